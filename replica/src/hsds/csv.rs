//! Reads the CSV files of an HSDS bundle into rows, each with the line it starts on.

use std::collections::BTreeMap;
use std::path::Path;

use super::{unreadable, Place, Row, Tables};
use crate::error::{ReplicaError, Result};

pub(crate) fn read_dir(dir: &Path) -> Result<Tables> {
    let required = |name: &str| -> Result<Vec<Row>> {
        read_file(&dir.join(name))?.ok_or_else(|| {
            ReplicaError::BadInput(format!(
                "o pacote HSDS em {} não tem o arquivo {name}",
                dir.display()
            ))
        })
    };
    let optional =
        |name: &str| -> Result<Vec<Row>> { Ok(read_file(&dir.join(name))?.unwrap_or_default()) };
    Ok(Tables {
        organizations: required("organizations.csv")?,
        services: required("services.csv")?,
        locations: optional("locations.csv")?,
        addresses: optional("addresses.csv")?,
        service_at_location: optional("service_at_location.csv")?,
        schedules: optional("schedules.csv")?,
        phones: optional("phones.csv")?,
        required_documents: optional("required_documents.csv")?,
    })
}

/// The rows of one file; `None` when the file is not there.
fn read_file(path: &Path) -> Result<Option<Vec<Row>>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(path, &e)),
    };
    let name = super::file_name(path);
    parse(&name, &bytes).map(Some)
}

/// Parses CSV text with a header row. A UTF-8 byte-order mark (spreadsheets write one) is
/// skipped.
pub(crate) fn parse(name: &str, bytes: &[u8]) -> Result<Vec<Row>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes);
    let bad = |e: ::csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        ReplicaError::BadInput(format!(
            "{name} linha {line}: o arquivo não é um CSV legível em UTF-8 ({e})"
        ))
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(bad)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let fields: BTreeMap<String, String> = headers
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(h, v)| (h.clone(), crate::entry::composed(v).into_owned()))
            .collect();
        if fields.is_empty() {
            continue;
        }
        rows.push(Row {
            at: Place {
                file: name.to_owned(),
                line,
                json: false,
            },
            fields,
        });
    }
    Ok(rows)
}

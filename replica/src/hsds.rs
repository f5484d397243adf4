//! Open Referral HSDS (Human Services Data Specification, 3.0) in and out of an office's
//! catalog: a bundle of CSV files or a JSON file of service objects is read into rows
//! (`hsds/csv.rs`, `hsds/json.rs`), the rows are checked and mapped onto the domain
//! (`hsds/map.rs`), compared with the store into an [`ImportPlan`] and applied in one
//! transaction (`hsds/plan.rs`), and the catalog is written back as a bundle
//! (`hsds/export.rs`).
//!
//! What maps: organizations (an organization whose id is the office's own id is the office
//! itself), services (`assured_date` is the review date, `eligibility_description` the
//! audience, `alternate_name` the keywords), one location per service (address fields on the
//! location or in `addresses.csv`; `latitude`/`longitude`), phones of services, required
//! documents, and weekly schedules (`byday` + `opens_at`/`closes_at`, or HSDS 2's `weekday`;
//! `valid_from`/`valid_to`; a row with `dtstart` and no day is a closure or special hours on
//! that date; `closes_at` 24:00 is midnight). Extensions the format has no field for:
//! `categories` on services (slugs such as `documents;health`), `timezone` on locations (an
//! IANA name; the office's zone when absent), `external_identifier_type = ibge` for the IBGE
//! code, and `reviewed_on`/`review_due` on schedules. Everything else (programs, contacts,
//! languages, accessibility, funding, phones of organizations or locations, other
//! recurrences than weekly) is ignored, and the plan's notes say which columns were.
//!
//! An import only adds and updates: a field the bundle does not carry keeps its value, and a
//! service leaves the catalog only when the bundle says `status = inactive` or `defunct`.

mod csv;
mod export;
mod json;
mod map;
mod plan;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{ReplicaError, Result};

pub use export::Export;
pub use plan::{ImportPlan, Item, ItemKind};

/// Where a row came from: "services.csv linha 14", "services.json serviço 3".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Place {
    pub file: String,
    /// The line in a CSV file where the row starts (the header is line 1), or the position
    /// of the service object in a JSON file (1 for the first).
    pub line: usize,
    pub json: bool,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.json { "serviço" } else { "linha" };
        write!(f, "{} {unit} {}", self.file, self.line)
    }
}

/// A row that was not imported, and why, in words a person reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejected {
    pub at: Place,
    pub message: String,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// One row of a table: its fields by column name (trimmed; empty ones left out).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub at: Place,
    pub fields: BTreeMap<String, String>,
}

impl Row {
    pub fn get(&self, column: &str) -> Option<&str> {
        self.fields
            .get(column)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// The HSDS tables this module reads, as rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tables {
    pub organizations: Vec<Row>,
    pub services: Vec<Row>,
    pub locations: Vec<Row>,
    pub addresses: Vec<Row>,
    pub service_at_location: Vec<Row>,
    pub schedules: Vec<Row>,
    pub phones: Vec<Row>,
    pub required_documents: Vec<Row>,
}

/// An HSDS bundle as read from disk, not yet checked.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub(crate) tables: Tables,
    pub source: PathBuf,
}

impl Bundle {
    /// Reads a directory of CSV files, or a `.json` file of service objects.
    pub fn read(path: &Path) -> Result<Bundle> {
        if path.is_dir() {
            Bundle::read_dir(path)
        } else {
            Bundle::read_json(path)
        }
    }

    /// Reads `organizations.csv`, `services.csv` and, when present, `locations.csv`,
    /// `addresses.csv`, `service_at_location.csv`, `schedules.csv`, `phones.csv` and
    /// `required_documents.csv`.
    pub fn read_dir(dir: &Path) -> Result<Bundle> {
        Ok(Bundle {
            tables: csv::read_dir(dir)?,
            source: dir.to_owned(),
        })
    }

    /// Reads a JSON file holding HSDS 3.0 service objects (an array, `{"services": […]}` or
    /// an API page `{"contents": […]}`), with their organization, locations, schedules and
    /// phones nested.
    pub fn read_json(path: &Path) -> Result<Bundle> {
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, &e))?;
        let name = file_name(path);
        Ok(Bundle {
            tables: json::read(&name, &text)?,
            source: path.to_owned(),
        })
    }

    /// Reads JSON text (for tests and the app, which hold the file in memory).
    pub fn from_json(name: &str, text: &str) -> Result<Bundle> {
        Ok(Bundle {
            tables: json::read(name, text)?,
            source: PathBuf::from(name),
        })
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn unreadable(path: &Path, e: &dyn fmt::Display) -> ReplicaError {
    ReplicaError::BadInput(format!("não foi possível ler {}: {e}", path.display()))
}

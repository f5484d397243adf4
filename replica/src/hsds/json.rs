//! Reads HSDS 3.0 service objects from JSON into the same rows as the CSV files, so one
//! mapping checks both: a service's nested organization, locations (with addresses),
//! schedules, phones and required documents become rows linked by id, each placed at the
//! service object it came from.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::{Place, Row, Tables};
use crate::error::{ReplicaError, Result};

pub(crate) fn read(name: &str, text: &str) -> Result<Tables> {
    let mut value: Value = serde_json::from_str(text).map_err(|e| {
        ReplicaError::BadInput(format!(
            "{name} linha {}: o arquivo não é um JSON legível ({e})",
            e.line()
        ))
    })?;
    crate::entry::compose_all(&mut value);
    let services = match &value {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("services").or_else(|| map.get("contents")) {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(ReplicaError::BadInput(format!(
                    "{name}: esperava uma lista de serviços (ou \"services\": […])"
                )))
            }
        },
        _ => {
            return Err(ReplicaError::BadInput(format!(
                "{name}: esperava uma lista de serviços"
            )))
        }
    };
    let mut tables = Tables::default();
    let mut orgs_seen = HashSet::new();
    let mut locations_seen = HashSet::new();
    for (i, service) in services.iter().enumerate() {
        let at = Place {
            file: name.to_owned(),
            line: i + 1,
            json: true,
        };
        let row = |value: &Value, extra: &[(&str, &str)]| {
            let mut fields = scalars(value);
            for (k, v) in extra {
                fields.insert((*k).to_owned(), (*v).to_owned());
            }
            Row {
                at: at.clone(),
                fields,
            }
        };
        let mut service_row = row(service, &[]);
        let service_id = service_row.get("id").unwrap_or_default().to_owned();
        if let Some(org) = service.get("organization").filter(|o| o.is_object()) {
            let org_row = row(org, &[]);
            if let Some(id) = org_row.get("id").map(str::to_owned) {
                service_row
                    .fields
                    .entry("organization_id".into())
                    .or_insert_with(|| id.clone());
                if orgs_seen.insert(id) {
                    tables.organizations.push(org_row);
                }
            }
        }
        for sal in list(service, "service_at_locations") {
            let Some(location) = sal.get("location").filter(|l| l.is_object()) else {
                continue;
            };
            let loc_row = row(location, &[]);
            let Some(location_id) = loc_row.get("id").map(str::to_owned) else {
                tables.locations.push(loc_row);
                continue;
            };
            tables.service_at_location.push(row(
                sal,
                &[("service_id", &service_id), ("location_id", &location_id)],
            ));
            if locations_seen.insert(location_id.clone()) {
                tables.locations.push(loc_row);
                for address in list(location, "addresses") {
                    tables
                        .addresses
                        .push(row(address, &[("location_id", &location_id)]));
                }
            }
        }
        for (key, table) in [
            ("schedules", &mut tables.schedules),
            ("phones", &mut tables.phones),
            ("required_documents", &mut tables.required_documents),
        ] {
            for item in list(service, key) {
                table.push(row(item, &[("service_id", &service_id)]));
            }
        }
        tables.services.push(service_row);
    }
    Ok(tables)
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// An object's scalar fields as text; a list of scalars is joined with ";" (categories,
/// `byday` written as a list).
fn scalars(value: &Value) -> BTreeMap<String, String> {
    let Some(map) = value.as_object() else {
        return BTreeMap::new();
    };
    map.iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                    items
                        .iter()
                        .filter_map(|i| match i {
                            Value::String(s) => Some(s.clone()),
                            Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join(";")
                }
                _ => return None,
            };
            (!text.trim().is_empty()).then(|| (k.to_ascii_lowercase(), text))
        })
        .collect()
}

//! An office's catalog as an HSDS bundle: the CSV files and the same as one JSON file of
//! service objects. The office itself is the organization whose id is the office's id.
//! Importing the bundle again gives the same catalog.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use esv_shared::document::{DocKind, Entity};
use esv_shared::domain::{Location, Schedule, Service};
use serde_json::{json, Map, Value};

use crate::error::{ReplicaError, Result};
use crate::store::Store;

type Record = BTreeMap<&'static str, String>;

/// The files of an exported bundle, by name.
#[derive(Debug, Clone, Default)]
pub struct Export {
    pub files: Vec<(String, Vec<u8>)>,
    /// How many services it holds.
    pub services: usize,
}

impl Export {
    /// Writes every file into `dir` (made if missing).
    pub fn write_to(&self, dir: &Path) -> Result<()> {
        let io = |path: &Path, source| ReplicaError::File {
            path: path.to_owned(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
        }
        Ok(())
    }

    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }
}

const TABLES: &[(&str, &[&str])] = &[
    (
        "organizations",
        &["id", "name", "description", "url", "email", "assured_date"],
    ),
    (
        "services",
        &[
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "eligibility_description",
            "assured_date",
            "categories",
        ],
    ),
    (
        "locations",
        &[
            "id",
            "name",
            "description",
            "latitude",
            "longitude",
            "timezone",
            "external_identifier",
            "external_identifier_type",
        ],
    ),
    (
        "addresses",
        &[
            "id",
            "location_id",
            "address_1",
            "city",
            "state_province",
            "country",
            "address_type",
        ],
    ),
    ("service_at_location", &["id", "service_id", "location_id"]),
    (
        "schedules",
        &[
            "id",
            "service_id",
            "freq",
            "byday",
            "opens_at",
            "closes_at",
            "valid_from",
            "valid_to",
            "dtstart",
            "until",
            "description",
            "reviewed_on",
            "review_due",
        ],
    ),
    (
        "phones",
        &["id", "service_id", "number", "display", "description"],
    ),
    ("required_documents", &["id", "service_id", "document"]),
];

#[derive(Default)]
struct Rows {
    tables: BTreeMap<&'static str, Vec<Record>>,
    /// Locations already written, by their JSON form, with their id.
    locations: HashMap<String, String>,
    /// Per service (in order), its nested objects for the JSON form.
    json: Vec<Value>,
}

impl Store {
    /// `office`'s catalog — the office's own services and those of the organizations it
    /// lists — as an HSDS bundle.
    pub fn hsds_export(&self, office: &str) -> Result<Export> {
        let mut providers: Vec<(Record, Vec<Service>)> = Vec::new();
        for entity in self.entities(DocKind::Office)? {
            if let Entity::Office(o) = entity {
                if o.id == office {
                    let row = record([
                        ("id", o.id.clone()),
                        ("name", o.name.clone()),
                        ("description", o.description.clone()),
                        ("email", o.email.clone().unwrap_or_default()),
                        ("assured_date", o.reviewed_on.to_string()),
                    ]);
                    providers.push((row, o.services));
                }
            }
        }
        if providers.is_empty() {
            return Err(ReplicaError::NotFound(format!(
                "nenhum escritório com o código {office:?}"
            )));
        }
        for entity in self.entities(DocKind::Organization)? {
            if let Entity::Organization(o) = entity {
                if o.office_id.as_deref() == Some(office) {
                    // The file is the office's own: ids without the office in front, which
                    // an import puts back (`plan::owned_id`).
                    let slug = o.id.strip_prefix(&format!("{office}/")).unwrap_or(&o.id);
                    let row = record([
                        ("id", slug.to_owned()),
                        ("name", o.name.clone()),
                        ("description", o.description.clone()),
                        ("url", o.website.clone().unwrap_or_default()),
                        ("assured_date", o.reviewed_on.to_string()),
                    ]);
                    providers.push((row, o.services));
                }
            }
        }
        let mut rows = Rows::default();
        let mut count = 0;
        for (org, services) in providers {
            let org_id = org.get("id").cloned().unwrap_or_default();
            for s in &services {
                rows.service(&org_id, &org, s);
                count += 1;
            }
            rows.push("organizations", org);
        }
        let mut files = Vec::new();
        for (table, columns) in TABLES {
            let mut writer = ::csv::Writer::from_writer(Vec::new());
            let failed = |e: ::csv::Error| ReplicaError::BadInput(format!("{table}.csv: {e}"));
            writer.write_record(*columns).map_err(failed)?;
            for r in rows.tables.get(table).into_iter().flatten() {
                writer
                    .write_record(columns.iter().map(|c| {
                        // No cell a spreadsheet would run as a formula (CSV injection).
                        esv_shared::report::csv::inert(r.get(c).map_or("", String::as_str))
                            .into_owned()
                    }))
                    .map_err(failed)?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|e| ReplicaError::BadInput(format!("{table}.csv: {e}")))?;
            files.push((format!("{table}.csv"), bytes));
        }
        let json = serde_json::to_vec_pretty(&Value::Array(rows.json))
            .map_err(|e| ReplicaError::BadInput(format!("services.json: {e}")))?;
        files.push(("services.json".to_owned(), json));
        Ok(Export {
            files,
            services: count,
        })
    }
}

impl Rows {
    fn push(&mut self, table: &'static str, r: Record) {
        self.tables.entry(table).or_default().push(r);
    }

    fn service(&mut self, org_id: &str, org: &Record, s: &Service) {
        let mut categories: Vec<&str> = s.categories.iter().map(|c| c.slug()).collect();
        categories.dedup();
        let row = record([
            ("id", s.id.clone()),
            ("organization_id", org_id.to_owned()),
            ("name", s.name.clone()),
            ("alternate_name", s.keywords.join("; ")),
            ("description", s.description.clone()),
            ("url", s.website.clone().unwrap_or_default()),
            ("email", s.email.clone().unwrap_or_default()),
            ("status", "active".to_owned()),
            ("eligibility_description", s.audience.clone()),
            ("assured_date", s.reviewed_on.to_string()),
            ("categories", categories.join(";")),
        ]);
        let mut object = as_json(&row);
        object.insert("organization".into(), Value::Object(as_json(org)));
        let mut at_locations = Vec::new();
        if let Some(loc) = &s.location {
            let (loc_id, location, address, fresh) = self.location(loc);
            let link = record([
                ("id", format!("{}-em-{loc_id}", s.id)),
                ("service_id", s.id.clone()),
                ("location_id", loc_id),
            ]);
            let mut nested = as_json(&location);
            nested.insert(
                "addresses".into(),
                json!([Value::Object(as_json(&address))]),
            );
            let mut link_json = as_json(&link);
            link_json.insert("location".into(), Value::Object(nested));
            at_locations.push(Value::Object(link_json));
            self.push("service_at_location", link);
            if fresh {
                self.push("locations", location);
                self.push("addresses", address);
            }
        }
        object.insert("service_at_locations".into(), Value::Array(at_locations));
        let nested = |table: &'static str, list: Vec<Record>, this: &mut Rows| {
            let values: Vec<Value> = list.iter().map(|r| Value::Object(as_json(r))).collect();
            for r in list {
                this.push(table, r);
            }
            values
        };
        let phones = s
            .phones
            .iter()
            .enumerate()
            .map(|(i, p)| {
                record([
                    ("id", format!("{}-tel-{}", s.id, i + 1)),
                    ("service_id", s.id.clone()),
                    ("number", p.number.clone()),
                    ("display", p.display.clone()),
                    ("description", p.label.clone().unwrap_or_default()),
                ])
            })
            .collect();
        let phones = nested("phones", phones, self);
        object.insert("phones".into(), Value::Array(phones));
        let documents = s
            .required_documents
            .iter()
            .enumerate()
            .map(|(i, d)| {
                record([
                    ("id", format!("{}-doc-{}", s.id, i + 1)),
                    ("service_id", s.id.clone()),
                    ("document", d.clone()),
                ])
            })
            .collect();
        let documents = nested("required_documents", documents, self);
        object.insert("required_documents".into(), Value::Array(documents));
        let schedules = s
            .schedule
            .as_ref()
            .map(|h| schedule_rows(&s.id, h))
            .unwrap_or_default();
        let schedules = nested("schedules", schedules, self);
        object.insert("schedules".into(), Value::Array(schedules));
        self.json.push(Value::Object(object));
        self.push("services", row);
    }

    /// The location's rows and id; `fresh` when it was not written yet.
    fn location(&mut self, loc: &Location) -> (String, Record, Record, bool) {
        let key = serde_json::to_string(loc).unwrap_or_default();
        let next = format!("local-{}", self.locations.len() + 1);
        let (id, fresh) = match self.locations.get(&key) {
            Some(id) => (id.clone(), false),
            None => {
                self.locations.insert(key, next.clone());
                (next, true)
            }
        };
        let mut location = record([
            ("id", id.clone()),
            ("description", loc.directions.clone().unwrap_or_default()),
            (
                "latitude",
                loc.lat.map(|v| v.to_string()).unwrap_or_default(),
            ),
            (
                "longitude",
                loc.lon.map(|v| v.to_string()).unwrap_or_default(),
            ),
            ("timezone", loc.tz.clone()),
        ]);
        if let Some(code) = loc.municipality_ibge {
            location.insert("external_identifier", code.to_string());
            location.insert("external_identifier_type", "ibge".to_owned());
        }
        let address = record([
            ("id", format!("{id}-endereco")),
            ("location_id", id.clone()),
            ("address_1", loc.address.clone()),
            ("city", loc.municipality.clone()),
            ("state_province", loc.uf.code().to_owned()),
            ("country", "BR".to_owned()),
            ("address_type", "physical".to_owned()),
        ]);
        (id, location, address, fresh)
    }
}

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn day(weekday: chrono::Weekday) -> &'static str {
    DAYS[weekday.num_days_from_monday() as usize]
}

fn hhmm(t: NaiveTime, closing: bool) -> String {
    if closing && t == NaiveTime::MIN {
        "24:00".to_owned()
    } else {
        t.format("%H:%M").to_string()
    }
}

/// One row per weekly interval, in order (an interval past midnight as two rows: to 24:00,
/// and from 00:00 the next day), every day 00:00–24:00 when always open, and one row per
/// range of each dated exception.
fn schedule_rows(service_id: &str, h: &Schedule) -> Vec<Record> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut out = Vec::new();
    let mut weekly = |byday: String, opens: String, closes: String| {
        let n = out.len() + 1;
        out.push(record([
            ("id", format!("{service_id}-horario-{n}")),
            ("service_id", service_id.to_owned()),
            ("freq", "WEEKLY".to_owned()),
            ("byday", byday),
            ("opens_at", opens),
            ("closes_at", closes),
            ("valid_from", date(h.valid_from)),
            ("valid_to", date(h.valid_until)),
            ("reviewed_on", h.reviewed_on.to_string()),
            ("review_due", h.review_due.to_string()),
        ]));
    };
    if h.always_open {
        weekly(DAYS.join(","), "00:00".into(), "24:00".into());
    }
    for i in h.intervals.iter().filter(|_| !h.always_open) {
        let midnight = NaiveTime::MIN;
        if i.passes_midnight() && i.closes != midnight {
            weekly(day(i.weekday).into(), hhmm(i.opens, false), "24:00".into());
            weekly(
                day(i.weekday.succ()).into(),
                "00:00".into(),
                hhmm(i.closes, true),
            );
        } else {
            weekly(
                day(i.weekday).into(),
                hhmm(i.opens, false),
                hhmm(i.closes, true),
            );
        }
    }
    for e in &h.exceptions {
        let ranges: Vec<Option<_>> = if e.intervals.is_empty() {
            vec![None]
        } else {
            e.intervals.iter().map(Some).collect()
        };
        for r in ranges {
            let n = out.len() + 1;
            out.push(record([
                ("id", format!("{service_id}-horario-{n}")),
                ("service_id", service_id.to_owned()),
                ("dtstart", e.date.to_string()),
                ("until", e.date.to_string()),
                (
                    "opens_at",
                    r.map(|r| hhmm(r.opens, false)).unwrap_or_default(),
                ),
                (
                    "closes_at",
                    r.map(|r| hhmm(r.closes, true)).unwrap_or_default(),
                ),
                ("description", e.reason.clone()),
                ("reviewed_on", h.reviewed_on.to_string()),
                ("review_due", h.review_due.to_string()),
            ]));
        }
    }
    out
}

fn record<const N: usize>(fields: [(&'static str, String); N]) -> Record {
    fields.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

fn as_json(r: &Record) -> Map<String, Value> {
    r.iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
        .collect()
}

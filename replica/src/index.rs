//! An in-memory view of the catalog projections: every service with its provider, resolved
//! hours, time zone and holiday calendar, so that listing, open-now and search ranking never
//! parse JSON or rebuild calendars on the hot path. Rebuilt after documents change.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use esv_shared::domain::{Location, MunicipalHoliday, Office, Organization, Schedule, Service, Uf};
use esv_shared::hours::{self, HolidayCalendar, OpenState};

use crate::error::Result;
use crate::store::Store;

/// A provider: an office or a partner organisation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Provider {
    Office(Office),
    Organization(Organization),
}

impl Provider {
    pub fn name(&self) -> &str {
        match self {
            Provider::Office(o) => &o.name,
            Provider::Organization(o) => &o.name,
        }
    }

    /// Its name and description in `locale` (or in Portuguese).
    pub fn words(
        &self,
        locale: esv_shared::locale::Locale,
    ) -> esv_shared::translation::ProviderWords<'_> {
        match self {
            Provider::Office(o) => o.words(locale),
            Provider::Organization(o) => o.words(locale),
        }
    }
}

/// One service, ready to answer questions about it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub service: Service,
    pub provider_id: String,
    pub provider_name: String,
    /// Its own hours, or its office's.
    pub schedule: Option<Schedule>,
    pub tz: Tz,
    place: usize,
}

/// A row of the full-text index, by rowid: what it refers to and the folded words of its
/// strong columns (name, keywords, categories), so that a search reads only rowids from
/// SQLite — reading a row's columns costs microseconds, and broad searches match thousands.
#[derive(Debug, Clone)]
pub(crate) struct FtsRow {
    pub kind: String,
    pub reference: String,
    pub strong: [Vec<String>; 3],
}

/// Where holidays come from for a service: its state, its municipality and the municipal
/// holidays its office lists.
#[derive(Debug, Clone, PartialEq)]
struct Place {
    uf: Option<Uf>,
    municipal: Option<(u32, Vec<MunicipalHoliday>)>,
}

/// Full-text rows of every kind: (kind, ref, bm25 score; lower is better), best first.
pub(crate) type Matches = Arc<Vec<(String, String, f64)>>;

pub struct Index {
    pub entries: Vec<Entry>,
    pub by_id: HashMap<String, usize>,
    pub providers: HashMap<String, Provider>,
    /// Every word in the search index (folded), sorted, for prefixes and typo correction.
    pub vocabulary: Vec<String>,
    pub vocabulary_set: HashSet<String>,
    /// The vocabulary under its Portuguese stems (`stem.rs`): a verb reaches the nouns.
    pub(crate) stems: HashMap<String, Vec<String>>,
    pub(crate) fts_rows: HashMap<i64, FtsRow>,
    places: Vec<Place>,
    calendars: RefCell<HashMap<(usize, i32), Arc<HolidayCalendar>>>,
    /// The last full-text queries and their rows of every kind (kind, ref, score), so the
    /// services and the articles of one keystroke share the passes over the index. Dropped
    /// with the index whenever the data change.
    pub(crate) last_match: RefCell<Vec<(String, Matches)>>,
}

impl Index {
    pub fn load(store: &Store) -> Result<Index> {
        let mut providers = HashMap::new();
        {
            let mut stmt = store.conn.prepare("SELECT id, kind, data FROM providers")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (id, kind, data) = row?;
                let provider = match kind.as_str() {
                    "office" => serde_json::from_str(&data).ok().map(Provider::Office),
                    _ => serde_json::from_str(&data).ok().map(Provider::Organization),
                };
                if let Some(p) = provider {
                    providers.insert(id, p);
                }
            }
        }
        let mut entries = Vec::new();
        let mut places: Vec<Place> = Vec::new();
        {
            let mut stmt = store
                .conn
                .prepare("SELECT provider_id, data FROM services ORDER BY name, id")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (provider_id, data) = row?;
                let Ok(service) = serde_json::from_str::<Service>(&data) else {
                    continue;
                };
                let provider = providers.get(&provider_id);
                let office = match provider {
                    Some(Provider::Office(o)) => Some(o),
                    _ => None,
                };
                let schedule = service
                    .schedule
                    .clone()
                    .or_else(|| office.map(|o| o.schedule.clone()));
                let location: Option<&Location> =
                    service.location.as_ref().or(office.map(|o| &o.location));
                let tz = location
                    .and_then(|l| hours::parse_tz(&l.tz))
                    .unwrap_or(chrono_tz::America::Sao_Paulo);
                let place = Place {
                    uf: location.map(|l| l.uf),
                    municipal: location.and_then(|l| {
                        let code = l.municipality_ibge?;
                        let listed = office
                            .filter(|o| o.location.municipality_ibge == Some(code))
                            .map(|o| o.municipal_holidays.clone())
                            .unwrap_or_default();
                        Some((code, listed))
                    }),
                };
                let place = match places.iter().position(|p| *p == place) {
                    Some(i) => i,
                    None => {
                        places.push(place);
                        places.len() - 1
                    }
                };
                entries.push(Entry {
                    provider_name: provider.map_or_else(String::new, |p| p.name().to_owned()),
                    provider_id,
                    service,
                    schedule,
                    tz,
                    place,
                });
            }
        }
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.service.id.clone(), i))
            .collect();
        let vocabulary = {
            let mut stmt = store.conn.prepare("SELECT term FROM search_vocab")?;
            let terms = stmt
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut terms = terms;
            terms.sort();
            terms
        };
        let fts_rows = {
            let mut stmt = store
                .conn
                .prepare("SELECT rowid, kind, ref, name, keywords, categories FROM search_fts")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        FtsRow {
                            kind: r.get(1)?,
                            reference: r.get(2)?,
                            strong: [
                                words(&r.get::<_, String>(3)?),
                                words(&r.get::<_, String>(4)?),
                                words(&r.get::<_, String>(5)?),
                            ],
                        },
                    ))
                })?
                .collect::<std::result::Result<HashMap<_, _>, _>>()?;
            rows
        };
        Ok(Index {
            fts_rows,
            last_match: RefCell::new(Vec::new()),
            entries,
            by_id,
            providers,
            vocabulary_set: vocabulary.iter().cloned().collect(),
            stems: crate::stem::groups(&vocabulary),
            vocabulary,
            places,
            calendars: RefCell::new(HashMap::new()),
        })
    }

    /// Whether some indexed word starts with `prefix` (the vocabulary is sorted).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        let at = self.vocabulary.partition_point(|v| v.as_str() < prefix);
        self.vocabulary
            .get(at)
            .is_some_and(|v| v.starts_with(prefix))
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The holidays that apply to an entry around `now`'s year.
    pub fn calendar(&self, entry: &Entry, now: DateTime<Utc>) -> Arc<HolidayCalendar> {
        let year = now.with_timezone(&entry.tz).year();
        let key = (entry.place, year);
        if let Some(c) = self.calendars.borrow().get(&key) {
            return Arc::clone(c);
        }
        let place = &self.places[entry.place];
        let calendar = Arc::new(HolidayCalendar::for_place(
            year - 1..=year + 1,
            place.uf,
            place
                .municipal
                .as_ref()
                .map(|(code, listed)| (*code, listed.as_slice())),
        ));
        self.calendars
            .borrow_mut()
            .insert(key, Arc::clone(&calendar));
        calendar
    }

    /// Whether an entry is open at `now` (cheaper than `open_state`: no next opening).
    pub fn is_open(&self, entry: &Entry, now: DateTime<Utc>) -> bool {
        entry
            .schedule
            .as_ref()
            .is_some_and(|s| hours::is_open(s, entry.tz, &self.calendar(entry, now), now))
    }

    /// Open-now for an entry.
    pub fn open_state(&self, entry: &Entry, now: DateTime<Utc>) -> OpenState {
        match &entry.schedule {
            Some(schedule) => {
                hours::open_state(schedule, entry.tz, &self.calendar(entry, now), now)
            }
            None => OpenState::Unknown { since: None },
        }
    }
}

/// A column's words as the full-text index splits them: folded, between non-alphanumerics.
fn words(column: &str) -> Vec<String> {
    esv_shared::text::fold(column)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

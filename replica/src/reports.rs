//! The monthly monitoring report of one office, computed from the projection tables (people,
//! encounters, referrals, outreaches) and suppressed before it leaves this module: raw counts
//! live only inside `monthly_report`.
//!
//! What is counted, for the month in the office's own time zone:
//! - **people served**: distinct people with an encounter in the month, by stage and by
//!   raça/cor × gênero (gender grouped by `esv_shared::report::gender`);
//! - **needs**: distinct people with each need recorded in an encounter of the month;
//! - **referrals**: referrals made in the month, by service, by the referred person's raça/cor
//!   and by their gênero, each × where they stand now, with the share that has a
//!   counter-referral (any status but "encaminhado") — three tables suppressed together;
//! - **busca ativa**: distinct people met per outreach place (encounters of the month linked to
//!   an outreach), and how many outreaches took place;
//! - **time to atendimento**: for people whose first referral marked "atendido" got that answer
//!   in the month, the days from their first encounter (first contact) to that answer — the
//!   first time the network actually attended them. Median, and a distribution;
//! - **time to the first referral**: for people whose first referral (over every record merged
//!   into theirs) was made in the month, the days from their first encounter to it, by raça/cor
//!   × gênero, with medians overall and per group.
//!
//! Only the office's own rows count: people by `people.office_id`, encounters and referrals by
//! the office in their data. Every figure is read from the columns the projection writes for
//! the report (migration 9), through covering indexes: no `data` is parsed here. A device signed in to another office, or a citizen's or field
//! worker's device, is refused. `send_monthly_report` sends the suppressed report to the
//! office's server for the national roll-up (`server/src/rollup.rs`).

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use esv_shared::access::Action;
use esv_shared::people::{Need, Origin, Race, ReferralStatus, Stage};
use esv_shared::report::first_referral::Waited;
use esv_shared::report::referrals::ReferralCounts;
use esv_shared::report::served::{ServedCounts, ServedPerson};
use esv_shared::report::{
    self, Counts, Figure, FigureValue, GenderGroup, Label, Period, Report, Section,
};

use crate::error::{ReplicaError, Result};
use crate::store::Store;

/// What a report needs to know about a person.
struct Who {
    stage: Option<Stage>,
    race: Option<Race>,
    origin: Option<Origin>,
    /// In the person's own words: grouped only for the people counted.
    gender: Option<String>,
    merged_into: Option<String>,
}

/// A unit variant from its serde name (a projected column); unknown values (a newer app's)
/// count as not informed.
fn variant<T: serde::de::DeserializeOwned>(name: Option<String>) -> Option<T> {
    use serde::de::IntoDeserializer;
    let name = name?;
    T::deserialize(name.as_str().into_deserializer())
        .map_err(|_: serde::de::value::Error| ())
        .ok()
}

fn parse_at(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn people_column() -> Vec<Label> {
    vec![Label::new("pessoas", "Pessoas")]
}

impl Store {
    /// The office's monitoring report of `period`, suppressed (see `esv_shared::report`).
    pub fn monthly_report(
        &mut self,
        office: &str,
        period: Period,
        now: DateTime<Utc>,
    ) -> Result<Report> {
        if let Some(account) = self.account()? {
            let s = &account.session;
            let staff = s.role.may(Action::MakeReports);
            if !staff || s.office != office {
                return Err(ReplicaError::BadInput(format!(
                    "Os relatórios do escritório {office} são só da equipe técnica e da \
                     coordenação desse escritório."
                )));
            }
        }
        let tz = self.office_tz(office);
        let start = local_midnight(tz, period.first_day());
        let end = local_midnight(tz, period.end());
        let people = self.report_people(office)?;
        let resolve = |id: &str| -> Option<String> {
            let mut id = id.to_owned();
            for _ in 0..8 {
                match people.get(&id)?.merged_into.clone() {
                    Some(next) if people.contains_key(&next) => id = next,
                    _ => return Some(id),
                }
            }
            Some(id)
        };

        // Encounters of the month (a second of slack on each side: the `at` column is text).
        let mut served: HashSet<String> = HashSet::new();
        let mut needs_of: HashMap<String, BTreeSet<Need>> = HashMap::new();
        let mut met_at: HashMap<String, HashSet<String>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT person_id, at, outreach_id, needs
                 FROM encounters INDEXED BY encounters_for_report
                 WHERE at >= ?1 AND at < ?2 AND office_id = ?3",
            )?;
            let rows = stmt.query_map(
                [
                    (start - Duration::seconds(1)).to_rfc3339(),
                    (end + Duration::seconds(1)).to_rfc3339(),
                    office.to_owned(),
                ],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                },
            )?;
            for row in rows {
                let (person, at, outreach, needs) = row?;
                if !parse_at(&at).is_some_and(|at| at >= start && at < end) {
                    continue;
                }
                let Ok(needs) = needs.map_or(Ok(None), |n| {
                    serde_json::from_str::<Vec<Need>>(&n).map(Some)
                }) else {
                    continue;
                };
                let Some(person) = resolve(&person) else {
                    continue;
                };
                needs_of
                    .entry(person.clone())
                    .or_default()
                    .extend(needs.unwrap_or_default());
                if let Some(o) = outreach {
                    met_at.entry(o).or_default().insert(person.clone());
                }
                served.insert(person);
            }
        }

        let mut served_counts = ServedCounts::default();
        for id in &served {
            if let Some(who) = people.get(id) {
                let needs: Vec<Need> = needs_of.get(id).into_iter().flatten().copied().collect();
                served_counts.add(&ServedPerson {
                    stage: who.stage,
                    race: who.race,
                    gender: GenderGroup::of(who.gender.as_deref()),
                    origin: who.origin,
                    needs: &needs,
                });
            }
        }

        let (referrals, waited) = self.report_referrals(office, &people, start, end, &resolve)?;
        let (outreach, outreaches_held) = self.report_outreaches(office, period, &met_at)?;
        served_counts.outreach = outreach;
        let time_to_care = self.report_time_to_care(&people, start, end, &resolve)?;

        let [stage, race_gender, needs, outreach, origin] =
            report::served::suppress(&served_counts).sections(outreaches_held);
        let [by_service, by_race, by_gender] = report::referrals::suppress(&referrals).sections();
        let sections = vec![
            stage,
            race_gender,
            needs,
            by_service,
            by_race,
            by_gender,
            outreach,
            origin,
            time_to_care,
            report::first_referral::section(&waited),
        ];
        Ok(Report {
            office: office.to_owned(),
            period,
            generated_at: now,
            offices: vec![office.to_owned()],
            sections,
        })
    }

    /// Makes the office's report of `period` and sends it to the office's server for the
    /// national roll-up: only the suppressed report travels.
    pub fn send_monthly_report(
        &mut self,
        office: &str,
        period: Period,
        now: DateTime<Utc>,
    ) -> Result<report::Received> {
        let account = self.account()?.ok_or_else(|| {
            ReplicaError::BadInput(
                "Entre com a conta do escritório (esv login) para enviar o relatório.".into(),
            )
        })?;
        let report = self.monthly_report(office, period, now)?;
        let remote = crate::sync::Remote::new(&account.server)?;
        Ok(remote.send_report(&account.session.token, &report)?)
    }

    fn report_people(&self, office: &str) -> Result<HashMap<String, Who>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, stage, race, gender, merged_into, origin
             FROM people INDEXED BY people_for_report_by_origin WHERE office_id = ?1",
        )?;
        let rows = stmt.query_map([office], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Who {
                    stage: variant(r.get(1)?),
                    race: variant(r.get(2)?),
                    gender: r.get(3)?,
                    merged_into: r.get(4)?,
                    origin: variant(r.get(5)?),
                },
            ))
        })?;
        let mut people = HashMap::new();
        for row in rows {
            let (id, who) = row?;
            people.insert(id, who);
        }
        Ok(people)
    }

    /// The referrals made in the month, and the people whose first referral it was.
    fn report_referrals(
        &mut self,
        office: &str,
        people: &HashMap<String, Who>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(ReferralCounts, Vec<Waited>)> {
        // (person served, service, status, made)
        let mut made: Vec<(String, String, ReferralStatus, DateTime<Utc>)> = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT person_id, service_id, status, made_at
                 FROM referrals INDEXED BY referrals_for_report
                 WHERE made_at >= ?1 AND made_at < ?2 AND office_id = ?3",
            )?;
            let rows = stmt.query_map(
                [
                    (start - Duration::seconds(1)).to_rfc3339(),
                    (end + Duration::seconds(1)).to_rfc3339(),
                    office.to_owned(),
                ],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )?;
            for row in rows {
                let (person, service, status, made_at) = row?;
                let Some(at) = parse_at(&made_at).filter(|at| *at >= start && *at < end) else {
                    continue;
                };
                if let (Some(person), Some(status)) =
                    (resolve(&person), ReferralStatus::parse(&status))
                {
                    made.push((person, service, status, at));
                }
            }
        }
        let index = self.index()?;
        let mut services: Vec<Label> = Vec::new();
        for (_, service, _, _) in &made {
            if !services.iter().any(|l| &l.key == service) {
                let name = index.get(service).map_or_else(
                    || service.clone(),
                    |e| format!("{} — {}", e.service.name, e.provider_name),
                );
                services.push(Label::new(service.clone(), name));
            }
        }
        services.sort_by(|a, b| a.text.cmp(&b.text));
        let mut counts = ReferralCounts::new(services);
        let who = |person: &str| {
            let p = people.get(person);
            (
                p.and_then(|p| p.race),
                GenderGroup::of(p.and_then(|p| p.gender.as_deref())),
            )
        };
        for (person, service, status, _) in &made {
            let (race, gender) = who(person);
            counts.add(service, *status, race, gender);
        }
        let waited = self.first_referrals(people, &made, start, resolve)?;
        Ok((counts, waited))
    }

    /// The people with a referral made in the month that was their first (over every record
    /// merged into theirs): days from their first contact to it.
    fn first_referrals(
        &self,
        people: &HashMap<String, Who>,
        made: &[(String, String, ReferralStatus, DateTime<Utc>)],
        start: DateTime<Utc>,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Vec<Waited>> {
        let referred: HashSet<&str> = made.iter().map(|m| m.0.as_str()).collect();
        let mut first: HashMap<String, DateTime<Utc>> = HashMap::new();
        for (person, _, _, at) in made {
            let f = first.entry(person.clone()).or_insert(*at);
            *f = (*f).min(*at);
        }
        {
            // Earlier referrals of the same people, through every record of theirs.
            let mut stmt = self.conn.prepare_cached(
                "SELECT made_at FROM referrals INDEXED BY referrals_by_person
                 WHERE person_id = ?1",
            )?;
            for record in people.keys() {
                let Some(root) = resolve(record).filter(|r| referred.contains(r.as_str())) else {
                    continue;
                };
                let rows = stmt.query_map([record], |r| r.get::<_, Option<String>>(0))?;
                for row in rows {
                    if let Some(at) = row?.as_deref().and_then(parse_at) {
                        let f = first.entry(root.clone()).or_insert(at);
                        *f = (*f).min(at);
                    }
                }
            }
        }
        let contact = self.first_contacts(people, resolve)?;
        let mut waited = Vec::new();
        for (person, at) in first.into_iter().filter(|(_, at)| *at >= start) {
            let (Some(contact), Some(who)) = (contact.get(&person), people.get(&person)) else {
                continue;
            };
            waited.push(Waited {
                race: who.race,
                gender: GenderGroup::of(who.gender.as_deref()),
                days: (at - *contact).num_days().max(0),
            });
        }
        Ok(waited)
    }

    /// Each person's first encounter, over every record merged into theirs.
    fn first_contacts(
        &self,
        people: &HashMap<String, Who>,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Result<HashMap<String, DateTime<Utc>>> {
        let mut first_contact: HashMap<String, DateTime<Utc>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person_id, MIN(at) FROM encounters GROUP BY person_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (person, at) = row?;
            if !people.contains_key(&person) {
                continue;
            }
            let (Some(person), Some(at)) = (resolve(&person), parse_at(&at)) else {
                continue;
            };
            let first = first_contact.entry(person).or_insert(at);
            *first = (*first).min(at);
        }
        Ok(first_contact)
    }

    fn report_outreaches(
        &self,
        office: &str,
        period: Period,
        met_at: &HashMap<String, HashSet<String>>,
    ) -> Result<(Counts, u64)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, date, json_extract(data, '$.place') FROM outreaches WHERE office_id = ?1",
        )?;
        let rows = stmt.query_map([office], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let (first, end) = (period.first_day().to_string(), period.end().to_string());
        let mut held = 0;
        let mut places: Vec<Label> = Vec::new();
        let mut people: HashMap<String, HashSet<&String>> = HashMap::new();
        for row in rows {
            let (id, date, place) = row?;
            if date >= first && date < end {
                held += 1;
            }
            let Some(met) = met_at.get(&id) else {
                continue;
            };
            let place = place.unwrap_or_default();
            let key = esv_shared::text::tokens(&place).join("-");
            if !places.iter().any(|l| l.key == key) {
                places.push(Label::new(key.clone(), place.trim()));
            }
            people.entry(key).or_default().extend(met);
        }
        let mut counts = Counts::new(
            places,
            vec![Label::new("pessoas", "Pessoas encontradas")],
            false,
        );
        for (r, label) in counts.rows.iter().enumerate() {
            counts.cells[r][0] = people.get(&label.key).map_or(0, |p| p.len() as u64);
        }
        Ok((counts, held))
    }

    fn report_time_to_care(
        &self,
        people: &HashMap<String, Who>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Section> {
        // First answer "atendido" per person, and first contact per person (all offices'
        // rows carry distinct ids; only the office's people are kept).
        let mut attended: HashMap<String, DateTime<Utc>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT person_id, outcome_at FROM referrals INDEXED BY referrals_answered
                 WHERE status = 'atendido'",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?;
            for row in rows {
                let (person, at) = row?;
                let (Some(person), Some(at)) = (resolve(&person), at.as_deref().and_then(parse_at))
                else {
                    continue;
                };
                let first = attended.entry(person).or_insert(at);
                *first = (*first).min(at);
            }
        }
        attended.retain(|_, at| *at >= start && *at < end);
        let first_contact = self.first_contacts(people, resolve)?;
        const BUCKETS: [(&str, &str, i64); 4] = [
            ("ate-7", "Até 7 dias", 7),
            ("8-30", "De 8 a 30 dias", 30),
            ("31-90", "De 31 a 90 dias", 90),
            ("mais-90", "Mais de 90 dias", i64::MAX),
        ];
        let mut counts = Counts::new(
            BUCKETS.iter().map(|(k, t, _)| Label::new(*k, *t)).collect(),
            people_column(),
            true,
        );
        let mut days: Vec<i64> = Vec::new();
        for (person, answered) in &attended {
            let Some(first) = first_contact.get(person) else {
                continue;
            };
            let d = (*answered - *first).num_days().max(0);
            days.push(d);
            if let Some(r) = BUCKETS.iter().position(|(_, _, most)| d <= *most) {
                counts.cells[r][0] += 1;
            }
        }
        let median = report::first_referral::median(days);
        Ok(Section {
            id: report::TIME_TO_CARE.into(),
            title: "Tempo do primeiro contato ao primeiro atendimento na rede".into(),
            table: counts.suppress(),
            figures: vec![Figure {
                id: "mediana-dias".into(),
                label: "Mediana de dias".into(),
                value: FigureValue::Days(median),
            }],
            note: "Pessoas cujo primeiro encaminhamento atendido teve retorno no mês: dias \
                   entre o primeiro atendimento registrado da pessoa e esse retorno."
                .into(),
        })
    }
}

/// Midnight of `date` in `tz`, as an instant (the earlier one if the clock repeats it).
fn local_midnight(tz: Tz, date: chrono::NaiveDate) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.with_timezone(&Utc)
        }
        // Midnight skipped by a clock change: one hour later exists.
        chrono::LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc)),
    }
}

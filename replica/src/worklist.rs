//! "Pendências", the team home's worklist: returns scheduled and not yet made, plan goals past
//! their deadline, referrals with no counter-referral after the office's number of days, and
//! the people expected at the office's gates this week (`gate_views.rs`) — for
//! the office's people this device holds, merged records and withdrawn consents left out,
//! most overdue first. Read
//! with SQL from the projections through indexes holding only what can be due (migration 13);
//! today is the injected `now` in the office's time zone.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use esv_shared::ipc::team::{DueItem, DueKind, WorklistView, WORKLIST_SHOWN};
use esv_shared::words::team as team_words;
use rusqlite::params;

use crate::error::{ReplicaError, Result};
use crate::store::Store;

/// The setting (in `meta`, as the store's other settings): days a referral waits for its
/// counter-referral before it is due.
pub const REFERRAL_DAYS_KEY: &str = "worklist.referral_days";
/// The days when the office has not set them.
pub const REFERRAL_DAYS_DEFAULT: u32 = 15;
/// The most days the setting takes (a year).
pub const REFERRAL_DAYS_MAX: u32 = 365;

impl Store {
    /// The days a referral waits for an answer before it is due (the setting, or 15).
    pub fn referral_days(&self) -> Result<u32> {
        Ok(self
            .meta(REFERRAL_DAYS_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|d| (1..=REFERRAL_DAYS_MAX).contains(d))
            .unwrap_or(REFERRAL_DAYS_DEFAULT))
    }

    /// Sets the days a referral waits for an answer (1 to 365).
    pub fn set_referral_days(&self, days: u32) -> Result<()> {
        if !(1..=REFERRAL_DAYS_MAX).contains(&days) {
            return Err(ReplicaError::BadInput(format!(
                "O prazo de resposta de um encaminhamento vai de 1 a {REFERRAL_DAYS_MAX} dias."
            )));
        }
        self.set_meta(REFERRAL_DAYS_KEY, &days.to_string())
    }

    /// The signed-in team account's office's worklist, in the session's language.
    pub fn worklist_view(&mut self, now: DateTime<Utc>) -> Result<WorklistView> {
        let office = self.recorder()?.office;
        self.worklist(&office, now)
    }

    /// What is due or overdue on the office's day of `now` for `office`'s people.
    pub fn worklist(&mut self, office: &str, now: DateTime<Utc>) -> Result<WorklistView> {
        let tz = self.office_tz(office);
        let locale = self.locale;
        let today = now.with_timezone(&tz).date_naive();
        let referral_days = self.referral_days()?;
        let wait = Duration::days(i64::from(referral_days));
        // The first day too recent for a referral to be due, from its first instant, written
        // without a zone designator: it sorts below every instant of that second however
        // serde wrote it.
        let bound = start_of(tz, today - wait + Duration::days(1))
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string();
        let today_text = today.to_string();
        let mut due: Vec<Due> = Vec::new();
        let mut total = 0;
        // Each kind: what it reads (covering indexes only, migration 13, in the order written:
        // the rows that can be due, then the person by id), and the index's column, whose
        // order is the order of the days they fell due. SQLite counts them all and hands over
        // the first `WORKLIST_SHOWN` of each kind: the ones shown are among those.
        let queries: [(DueKind, &str, &str, &str, &str); 3] = [
            // Returns: the person's latest encounter set one for today or before.
            (
                DueKind::Return,
                "x.person_id, p.display_name, x.follow_up, ''",
                "latest_encounters x INDEXED BY latest_encounters_returns
                 CROSS JOIN worklist_people p
                 WHERE x.follow_up <= ?1 AND p.id = x.person_id
                   AND p.office_id = ?2",
                "x.follow_up",
                &today_text,
            ),
            // Goals: open, their deadline before today.
            (
                DueKind::Goal,
                "g.person_id, p.display_name, g.due, g.action",
                "plan_goals g INDEXED BY plan_goals_open_by_due
                 CROSS JOIN worklist_people p
                 WHERE g.status = 'open' AND g.due < ?1 AND p.id = g.person_id
                   AND p.office_id = ?2",
                "g.due",
                &today_text,
            ),
            // Referrals: still waiting, made at least `referral_days` office days ago.
            (
                DueKind::Referral,
                "r.person_id, p.display_name, r.made_at, r.service_id",
                "referrals r INDEXED BY referrals_waiting
                 CROSS JOIN worklist_people p
                 WHERE r.status = 'encaminhado' AND r.made_at < ?1 AND p.id = r.person_id
                   AND p.office_id = ?2",
                "r.made_at",
                &bound,
            ),
        ];
        for (kind, columns, from, order, bound) in queries {
            let count: i64 = self
                .conn
                .prepare_cached(&format!("SELECT count(*) FROM {from}"))?
                .query_row(params![bound, office], |r| r.get(0))?;
            total += usize::try_from(count).unwrap_or(0);
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {columns} FROM {from} ORDER BY {order} LIMIT {WORKLIST_SHOWN}"
            ))?;
            let rows = stmt.query_map(params![bound, office], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (person_id, person_name, when, detail) = row?;
                let (since, day) = match kind {
                    DueKind::Referral => match when.parse::<DateTime<Utc>>() {
                        Ok(made) => {
                            let made = made.with_timezone(&tz).date_naive();
                            (made, made + wait)
                        }
                        Err(_) => continue,
                    },
                    _ => match when.parse::<NaiveDate>() {
                        Ok(d) => (d, d),
                        Err(_) => continue,
                    },
                };
                due.push(Due {
                    day,
                    kind,
                    person_name,
                    person_id,
                    since,
                    detail,
                });
            }
        }

        // Most overdue first; only the ones shown are put in words.
        due.sort_unstable();
        due.truncate(WORKLIST_SHOWN);
        let mut services = std::collections::HashMap::new();
        let items = due
            .into_iter()
            .map(|d| {
                let what = match d.kind {
                    DueKind::Return => team_words::return_due(locale, d.since),
                    DueKind::Goal => team_words::goal_due(locale, &d.detail, d.since),
                    DueKind::Referral => {
                        let service = services
                            .entry(d.detail)
                            .or_insert_with_key(|id| self.service_label(id, locale));
                        team_words::referral_waiting(locale, service, d.since)
                    }
                };
                let overdue_days = (today - d.day).num_days();
                DueItem {
                    kind: d.kind,
                    person_id: d.person_id,
                    person_name: d.person_name,
                    what,
                    due: d.day,
                    overdue_days,
                    since_label: team_words::overdue(locale, overdue_days),
                }
            })
            .collect();
        let expected = self.gate_week(office, now)?;
        Ok(WorklistView {
            items,
            total,
            referral_days,
            expected,
        })
    }
}

/// One row due, before it is put in words; ordered most overdue first (then by kind, name).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Due {
    /// The day it fell due.
    day: NaiveDate,
    kind: DueKind,
    person_name: String,
    person_id: String,
    /// The return's or goal's date, the day the referral was made.
    since: NaiveDate,
    /// The goal's step, the referral's service.
    detail: String,
}

/// The first instant of `day` in the office's zone (the earliest, should midnight repeat).
fn start_of(tz: chrono_tz::Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&midnight).earliest() {
        Some(t) => t.with_timezone(&Utc),
        // Midnight skipped by a clock change: the day starts an hour later.
        None => tz
            .from_local_datetime(&(midnight + Duration::hours(1)))
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)),
    }
}

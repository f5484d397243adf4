//! "Pendências", the team home's worklist: returns scheduled and not yet made, plan goals past
//! their deadline, referrals with no counter-referral after the office's number of days — for
//! the office's people this device holds, merged records left out, most overdue first. Read
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
        let mut items = Vec::new();
        let due_item = |kind, person_id, person_name, what, due: NaiveDate| {
            let overdue_days = (today - due).num_days();
            DueItem {
                kind,
                person_id,
                person_name,
                what,
                due,
                overdue_days,
                since_label: team_words::overdue(locale, overdue_days),
            }
        };

        // Returns: the person's latest encounter set one for today or before.
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.person_id, p.display_name, e.follow_up
             FROM encounters e JOIN people p ON p.id = e.person_id
             WHERE e.follow_up IS NOT NULL AND e.follow_up <= ?1
               AND p.office_id = ?2 AND p.merged_into IS NULL
               AND NOT EXISTS (SELECT 1 FROM encounters l
                               WHERE l.person_id = e.person_id AND l.at > e.at)",
        )?;
        let rows = stmt.query_map(params![today.to_string(), office], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (person, name, date) = row?;
            if let Ok(due) = date.parse::<NaiveDate>() {
                let what = team_words::return_due(locale, due);
                items.push(due_item(DueKind::Return, person, name, what, due));
            }
        }
        drop(stmt);

        // Goals: open, their deadline before today.
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.person_id, p.display_name, g.due, g.action
             FROM plan_goals g JOIN people p ON p.id = g.person_id
             WHERE g.status = 'open' AND g.due IS NOT NULL AND g.due < ?1
               AND p.office_id = ?2 AND p.merged_into IS NULL",
        )?;
        let rows = stmt.query_map(params![today.to_string(), office], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (person, name, date, action) = row?;
            if let Ok(due) = date.parse::<NaiveDate>() {
                let what = team_words::goal_due(locale, &action, due);
                items.push(due_item(DueKind::Goal, person, name, what, due));
            }
        }
        drop(stmt);

        // Referrals: still waiting, made on a day at least `referral_days` before today. The
        // bound is the start of the first office day too recent, written without a zone
        // designator, so it sorts below every instant of that second however serde wrote it.
        let first_too_recent = today - Duration::days(i64::from(referral_days) - 1);
        let bound = start_of(tz, first_too_recent)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string();
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.person_id, p.display_name, r.made_at, r.service_id
             FROM referrals r JOIN people p ON p.id = r.person_id
             WHERE r.status = 'encaminhado' AND r.made_at < ?1
               AND p.office_id = ?2 AND p.merged_into IS NULL",
        )?;
        let rows = stmt
            .query_map(params![bound, office], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        drop(stmt);
        let mut names = std::collections::HashMap::new();
        for (person, name, made_at, service_id) in rows {
            let Ok(made) = made_at.parse::<DateTime<Utc>>() else {
                continue;
            };
            let made = made.with_timezone(&tz).date_naive();
            let service = names
                .entry(service_id)
                .or_insert_with_key(|id| self.service_name(id, locale));
            let what = team_words::referral_waiting(locale, service, made);
            let due = made + Duration::days(i64::from(referral_days));
            items.push(due_item(DueKind::Referral, person, name, what, due));
        }

        items.sort_by(|a, b| {
            (a.due, a.kind, &a.person_name, &a.person_id, &a.what).cmp(&(
                b.due,
                b.kind,
                &b.person_name,
                &b.person_id,
                &b.what,
            ))
        });
        let total = items.len();
        items.truncate(WORKLIST_SHOWN);
        Ok(WorklistView {
            items,
            total,
            referral_days,
        })
    }

    /// A service's name in `locale`, or its id when the catalog does not hold it.
    fn service_name(&mut self, id: &str, locale: esv_shared::locale::Locale) -> String {
        self.index()
            .ok()
            .and_then(|i| i.get(id))
            .map(|e| e.service.words(locale).name.to_owned())
            .unwrap_or_else(|| id.to_owned())
    }
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

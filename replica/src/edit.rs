//! Staff edits of the catalog through the replica: an office's or a service's weekly hours,
//! and closures or special hours on a date. Each edit is a local change to the document that
//! holds the place (so it merges with others' edits) and is pushed at the next sync.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_shared::document::{DocKind, Entity};
use esv_shared::domain::{Schedule, ScheduleException, TimeRange, WeeklyInterval};

use crate::error::{ReplicaError, Result};
use crate::store::Store;

/// How long hours stay "confirmed" after staff set them.
const REVIEW_PERIOD_DAYS: i64 = 183;

impl Store {
    /// Finds the document holding office or service `id` and changes its schedule with `f`.
    /// A service that followed its provider's hours gets its own copy first.
    fn edit_schedule(
        &mut self,
        id: &str,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut Schedule) -> Result<()>,
    ) -> Result<bool> {
        let today = now.date_naive();
        for kind in [DocKind::Office, DocKind::Organization] {
            for mut entity in self.entities(kind)? {
                let schedule = match &mut entity {
                    Entity::Office(o) if o.id == id => Some(&mut o.schedule),
                    Entity::Office(o) => {
                        let inherited = o.schedule.clone();
                        o.services
                            .iter_mut()
                            .find(|s| s.id == id)
                            .map(|s| s.schedule.get_or_insert(inherited))
                    }
                    Entity::Organization(o) => o
                        .services
                        .iter_mut()
                        .find(|s| s.id == id)
                        .map(|s| s.schedule.get_or_insert_with(|| empty_schedule(today))),
                    _ => None,
                };
                if let Some(schedule) = schedule {
                    f(schedule)?;
                    schedule.reviewed_on = today;
                    schedule.review_due = today + Duration::days(REVIEW_PERIOD_DAYS);
                    return self.edit(&entity, now);
                }
            }
        }
        Err(ReplicaError::NotFound(format!(
            "nenhum escritório ou serviço com o código {id:?}"
        )))
    }

    /// Replaces the weekly hours of an office or service.
    pub fn set_weekly_hours(
        &mut self,
        id: &str,
        intervals: Vec<WeeklyInterval>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.edit_schedule(id, now, |s| {
            s.always_open = false;
            s.intervals = intervals;
            Ok(())
        })
    }

    /// Closes an office or service on `date` (no `hours`), or opens it only at `hours` that
    /// day. Replaces an earlier exception for the same date.
    pub fn set_exception(
        &mut self,
        id: &str,
        date: NaiveDate,
        hours: Vec<TimeRange>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ReplicaError::BadInput(
                "diga o motivo (ele aparece para as pessoas: \"recesso de fim de ano\")".into(),
            ));
        }
        if date < now.date_naive() - Duration::days(1) {
            return Err(ReplicaError::BadInput(format!("a data {date} já passou")));
        }
        if let Some(r) = hours.iter().find(|r| r.opens == r.closes) {
            return Err(ReplicaError::BadInput(format!(
                "o horário {}-{} abre e fecha na mesma hora",
                r.opens.format("%H:%M"),
                r.closes.format("%H:%M")
            )));
        }
        let reason = reason.to_owned();
        self.edit_schedule(id, now, move |s| {
            s.exceptions.retain(|e| e.date != date);
            s.exceptions.push(ScheduleException {
                date,
                intervals: hours,
                reason,
            });
            s.exceptions.sort_by_key(|e| e.date);
            Ok(())
        })
    }

    /// Removes the exception of `date`.
    pub fn remove_exception(
        &mut self,
        id: &str,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.edit_schedule(id, now, |s| {
            let before = s.exceptions.len();
            s.exceptions.retain(|e| e.date != date);
            if s.exceptions.len() == before {
                return Err(ReplicaError::NotFound(format!("nenhuma exceção em {date}")));
            }
            Ok(())
        })
    }
}

/// A schedule with no hours yet, reviewed `today`.
pub(crate) fn empty_schedule(today: NaiveDate) -> Schedule {
    Schedule {
        always_open: false,
        intervals: Vec::new(),
        valid_from: None,
        valid_until: None,
        exceptions: Vec::new(),
        closes_on_holidays: true,
        observed_optional_days: Vec::new(),
        reviewed_on: today,
        review_due: today,
    }
}

//! Open-now: whether a place is open at an instant, when it closes or opens next, and which
//! upcoming days it is closed — computed from its schedule, its time zone and the holidays.
//!
//! The order of precedence is design.md's: the schedule exception for the date (a closure or
//! special hours) wins; then public holidays (a "ponto facultativo" closes only where the place
//! observes it); then the weekly schedule, whose intervals may pass midnight. Data past their
//! review date, or no schedule at all, give `Unknown`: the app never guesses.

mod calendar;
pub mod interval;
pub mod label;
pub mod spec;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use calendar::HolidayCalendar;

use crate::domain::{HolidayKind, Schedule, TimeRange};

/// How far ahead open-now looks for the next opening.
const HORIZON_DAYS: i64 = 14;

/// The open-now answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum OpenState {
    /// Open; `closes_at` is `None` for places open around the clock.
    Open { closes_at: Option<DateTime<Utc>> },
    /// Closed; `opens_at` is `None` when it doesn't open within two weeks.
    /// `today` says why it is closed all day today (a holiday, a closure), when that is why.
    Closed {
        opens_at: Option<DateTime<Utc>>,
        today: Option<String>,
    },
    /// We don't know: no schedule, or hours not confirmed since `since`.
    Unknown { since: Option<NaiveDate> },
}

/// Why a usually-open day is different.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayChange {
    pub date: NaiveDate,
    /// Empty: closed all day. Otherwise the special hours.
    pub intervals: Vec<TimeRange>,
    /// "Natal (feriado nacional)", "Recesso de fim de ano".
    pub reason: String,
}

/// Parses an IANA time zone name.
pub fn parse_tz(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Whether a place with `schedule` in time zone `tz` is open at `now`.
pub fn open_state(
    schedule: &Schedule,
    tz: Tz,
    holidays: &HolidayCalendar,
    now: DateTime<Utc>,
) -> OpenState {
    let local_now = now.with_timezone(&tz).naive_local();
    let today = local_now.date();
    if let Some(settled) = settled_without_spans(schedule, today) {
        return settled;
    }

    let mut spans: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::new();
    for offset in -1..=HORIZON_DAYS {
        let day = today + Duration::days(offset);
        spans.extend(day_spans(schedule, holidays, day).0);
    }
    let spans = merge(spans);

    if let Some(&(_, end)) = spans
        .iter()
        .find(|(s, e)| *s <= local_now && local_now < *e)
    {
        return OpenState::Open {
            closes_at: Some(to_utc(tz, end)),
        };
    }
    let opens_at = spans
        .iter()
        .find(|(s, _)| *s > local_now)
        .map(|&(s, _)| to_utc(tz, s));
    let (today_spans, why) = day_spans(schedule, holidays, today);
    let today = if today_spans.is_empty() { why } else { None };
    OpenState::Closed { opens_at, today }
}

/// The answer that needs no spans: stale data, open around the clock, no usable hours.
fn settled_without_spans(schedule: &Schedule, today: NaiveDate) -> Option<OpenState> {
    if today > schedule.review_due {
        return Some(OpenState::Unknown {
            since: Some(schedule.reviewed_on),
        });
    }
    if schedule.always_open {
        return Some(OpenState::Open { closes_at: None });
    }
    let outside_validity = schedule.valid_until.is_some_and(|until| today > until)
        || schedule.valid_from.is_some_and(|from| today < from);
    if (schedule.intervals.is_empty() && schedule.exceptions.is_empty()) || outside_validity {
        return Some(OpenState::Unknown { since: None });
    }
    None
}

/// Whether `open_state` would say `Open`, without looking for the next opening: only the spans
/// that start yesterday (past midnight) or today can hold `now`. Ranking and the "só abertos
/// agora" filter ask this of every match; cards ask `open_state`.
pub fn is_open(
    schedule: &Schedule,
    tz: Tz,
    holidays: &HolidayCalendar,
    now: DateTime<Utc>,
) -> bool {
    let local_now = now.with_timezone(&tz).naive_local();
    let today = local_now.date();
    if let Some(settled) = settled_without_spans(schedule, today) {
        return matches!(settled, OpenState::Open { .. });
    }
    [today - Duration::days(1), today].into_iter().any(|day| {
        day_spans(schedule, holidays, day)
            .0
            .iter()
            .any(|(s, e)| *s <= local_now && local_now < *e)
    })
}

/// The usually-open days in `[from, from + days)` that are closed or have special hours.
pub fn upcoming_changes(
    schedule: &Schedule,
    holidays: &HolidayCalendar,
    from: NaiveDate,
    days: u32,
) -> Vec<DayChange> {
    if schedule.always_open {
        return Vec::new();
    }
    let mut changes = Vec::new();
    for offset in 0..i64::from(days) {
        let date = from + Duration::days(offset);
        if let Some(exception) = schedule.exceptions.iter().find(|e| e.date == date) {
            changes.push(DayChange {
                date,
                intervals: exception.intervals.clone(),
                reason: exception.reason.clone(),
            });
            continue;
        }
        let usually_open = schedule
            .intervals
            .iter()
            .any(|i| i.weekday == date.weekday());
        if !usually_open {
            continue;
        }
        if let Some(reason) = holiday_closure(schedule, holidays, date) {
            changes.push(DayChange {
                date,
                intervals: Vec::new(),
                reason,
            });
        }
    }
    changes
}

/// The local-time spans a place is open that *start* on `day`, and why there are none
/// (a closure or holiday), when that is why.
fn day_spans(
    schedule: &Schedule,
    holidays: &HolidayCalendar,
    day: NaiveDate,
) -> (Vec<(NaiveDateTime, NaiveDateTime)>, Option<String>) {
    if let Some(exception) = schedule.exceptions.iter().find(|e| e.date == day) {
        let spans = exception
            .intervals
            .iter()
            .map(|r| span(day, r.opens, r.closes))
            .collect();
        return (spans, Some(exception.reason.clone()));
    }
    if let Some(reason) = holiday_closure(schedule, holidays, day) {
        return (Vec::new(), Some(reason));
    }
    let valid = schedule.valid_from.is_none_or(|from| day >= from)
        && schedule.valid_until.is_none_or(|until| day <= until);
    if !valid {
        return (Vec::new(), None);
    }
    let spans = schedule
        .intervals
        .iter()
        .filter(|i| i.weekday == day.weekday())
        .map(|i| span(day, i.opens, i.closes))
        .collect();
    (spans, None)
}

/// The holiday that closes this place on `day`, described for people.
fn holiday_closure(
    schedule: &Schedule,
    holidays: &HolidayCalendar,
    day: NaiveDate,
) -> Option<String> {
    if !schedule.closes_on_holidays {
        return None;
    }
    holidays
        .on(day)
        .iter()
        .find(|h| match h.kind {
            HolidayKind::Holiday => true,
            HolidayKind::OptionalDay => schedule
                .observed_optional_days
                .iter()
                .any(|name| crate::text::fold(name) == crate::text::fold(&h.name)),
        })
        .map(|h| label::holiday_reason(crate::locale::Locale::PtBr, h))
}

fn span(
    day: NaiveDate,
    opens: chrono::NaiveTime,
    closes: chrono::NaiveTime,
) -> (NaiveDateTime, NaiveDateTime) {
    let start = day.and_time(opens);
    let end_day = if closes <= opens {
        day + Duration::days(1)
    } else {
        day
    };
    (start, end_day.and_time(closes))
}

/// Sorts spans and joins those that touch or overlap (22h–24h and 0h–6h are one night).
fn merge(mut spans: Vec<(NaiveDateTime, NaiveDateTime)>) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    spans.sort();
    let mut merged: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Local wall-clock time to an instant. A time skipped by a DST change counts as the first
/// instant after the gap; a repeated one as its first occurrence.
fn to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
        probe += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&local)
}

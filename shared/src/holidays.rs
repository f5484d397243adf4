//! Public holidays of Brazil: national (fixed and Easter-based), state holidays of the 27 UFs,
//! and municipal holidays listed by an office, each with its legal source.
//!
//! Everything here is a pure function of the year: no I/O, no clock. National days live in
//! `holidays/national.rs`, the table of state days in `holidays/state.rs`.

mod national;
mod state;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::domain::{Holiday, HolidayKind, HolidayScope, MunicipalHoliday, Uf};

/// Easter Sunday (Gregorian calendar).
///
/// The anonymous Gregorian computus (Meeus/Jones/Butcher). Meaningful from 1583 on; it panics
/// only for years outside chrono's range (beyond ±262,000).
pub fn easter(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 is in 1..=31, so both casts are lossless.
    let month = n.div_euclid(31) as u32;
    let day = (n.rem_euclid(31) + 1) as u32;
    NaiveDate::from_ymd_opt(year, month, day)
        .expect("Easter falls in March or April of a year chrono can represent")
}

/// National holidays and federal optional days (pontos facultativos) of a year.
pub fn national(year: i32) -> Vec<Holiday> {
    sorted(national::national(year))
}

/// State holidays of one UF in a year.
pub fn state(year: i32, uf: Uf) -> Vec<Holiday> {
    sorted(state::state(year, uf))
}

/// Municipal holidays an office lists, for one year.
///
/// A day that does not exist in that year (29 February outside leap years, or a typo such as
/// 31 April) is skipped. A movable day (`easter_offset`) falls that many days after Easter.
pub fn municipal(year: i32, ibge: u32, listed: &[MunicipalHoliday]) -> Vec<Holiday> {
    sorted(
        listed
            .iter()
            .filter_map(|listed| {
                let date = match listed.easter_offset {
                    Some(days) => from_easter(year, i64::from(days))?,
                    None => NaiveDate::from_ymd_opt(year, listed.month, listed.day)?,
                };
                Some(Holiday {
                    date,
                    name: listed.name.clone(),
                    kind: HolidayKind::Holiday,
                    scope: HolidayScope::Municipal(ibge),
                    source: listed.source.clone(),
                })
            })
            .collect(),
    )
}

/// Every holiday that applies at a place in a year, sorted by date.
///
/// National days, then the UF's days (if `uf` is given), then the municipality's (if given),
/// sorted by date and then by name. Two entries on the same date are both kept (a state day can
/// fall on a national one, like Tiradentes and the data magna of Minas Gerais).
pub fn for_place(
    year: i32,
    uf: Option<Uf>,
    municipality: Option<(u32, &[MunicipalHoliday])>,
) -> Vec<Holiday> {
    let mut all = national::national(year);
    if let Some(uf) = uf {
        all.extend(state::state(year, uf));
    }
    if let Some((ibge, listed)) = municipality {
        all.extend(municipal(year, ibge, listed));
    }
    sorted(all)
}

/// Sorts by date, then by name; stable, so equal entries keep their order.
fn sorted(mut holidays: Vec<Holiday>) -> Vec<Holiday> {
    holidays.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.name.cmp(&b.name)));
    holidays
}

/// A fixed day of a year; `None` only when it does not exist (29/2) or chrono cannot hold it.
fn fixed(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A day counted from Easter Sunday of the year (negative: before Easter).
fn from_easter(year: i32, days: i64) -> Option<NaiveDate> {
    easter(year).checked_add_signed(Duration::days(days))
}

/// The first Sunday on or after a date.
fn sunday_on_or_after(date: NaiveDate) -> Option<NaiveDate> {
    let ahead = (7 - date.weekday().num_days_from_sunday()) % 7;
    date.checked_add_signed(Duration::days(i64::from(ahead)))
}

/// The first Sunday of a month.
fn first_sunday_of(year: i32, month: u32) -> Option<NaiveDate> {
    sunday_on_or_after(fixed(year, month, 1)?)
}

/// The Friday of the same week (Monday to Sunday) as a date.
fn friday_of_week(date: NaiveDate) -> Option<NaiveDate> {
    let monday_based = i64::from(date.weekday().num_days_from_monday());
    let friday = i64::from(Weekday::Fri.num_days_from_monday());
    date.checked_add_signed(Duration::days(friday - monday_based))
}

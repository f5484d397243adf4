//! Our calendar (national + state holidays, 27 UFs × 2020–2035) against an independent one, the
//! `holidays` package from PyPI, exported to `data/holidays_pypi_br.csv` by
//! `tools/holidays/export_pypi.py`. Every day one side has and the other has not is written down,
//! with the law that decides it, in `data/holidays_disagreements.csv`; the test fails on a
//! disagreement not written down and on one written down that no longer exists.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use esv_shared::domain::{HolidayKind, Uf};
use esv_shared::holidays::{national, state};

const YEARS: std::ops::RangeInclusive<i32> = 2020..=2035;
const PYPI: &str = include_str!("data/holidays_pypi_br.csv");
const DISAGREEMENTS: &str = include_str!("data/holidays_disagreements.csv");

/// Which calendar has a day the other has not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    /// Only ours: the package misses it.
    Ours,
    /// Only the package's.
    Pypi,
}

impl Side {
    fn parse(word: &str) -> Side {
        match word {
            "ours" => Side::Ours,
            "pypi" => Side::Pypi,
            other => panic!("side must be ours or pypi, not {other:?}"),
        }
    }

    fn word(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Pypi => "pypi",
        }
    }
}

type Day = (String, NaiveDate);

fn date(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {iso}: {e}"))
}

/// Data lines of a CSV file: no comment (`#`), no blank line, no header.
fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .skip(1)
}

/// The package's days: (UF, date); a name may hold commas, so only the first two fields count.
fn pypi_days() -> BTreeSet<Day> {
    data_lines(PYPI)
        .map(|line| {
            let mut fields = line.splitn(3, ',');
            let uf = fields.next().unwrap_or_default().to_owned();
            let day = date(fields.next().unwrap_or_default());
            (uf, day)
        })
        .collect()
}

/// Our holidays (not the pontos facultativos) of every UF, national ones included.
fn our_days() -> BTreeSet<Day> {
    let mut days = BTreeSet::new();
    for uf in Uf::ALL {
        for year in YEARS {
            let all = national(year).into_iter().chain(state(year, uf));
            for holiday in all.filter(|h| h.kind == HolidayKind::Holiday) {
                days.insert((uf.code().to_owned(), holiday.date));
            }
        }
    }
    days
}

/// The written-down disagreements: (UF, date, side) → the reason.
fn written_down() -> BTreeMap<(String, NaiveDate, Side), String> {
    let mut listed = BTreeMap::new();
    for line in data_lines(DISAGREEMENTS) {
        let fields: Vec<&str> = line.splitn(4, ',').collect();
        let [uf, day, side, reason] = fields[..] else {
            panic!("expected uf,date,side,reason: {line}");
        };
        assert!(
            !reason.trim().is_empty(),
            "a disagreement needs its law: {line}"
        );
        let key = (uf.to_owned(), date(day), Side::parse(side));
        assert!(
            listed.insert(key, reason.to_owned()).is_none(),
            "listed twice: {line}"
        );
    }
    listed
}

/// Every disagreement between the two calendars.
fn disagreements() -> BTreeSet<(String, NaiveDate, Side)> {
    let (ours, pypi) = (our_days(), pypi_days());
    let only_ours = ours
        .difference(&pypi)
        .map(|(uf, d)| (uf.clone(), *d, Side::Ours));
    let only_pypi = pypi
        .difference(&ours)
        .map(|(uf, d)| (uf.clone(), *d, Side::Pypi));
    only_ours.chain(only_pypi).collect()
}

#[test]
fn the_export_covers_every_uf_and_year() {
    let days = pypi_days();
    for uf in Uf::ALL {
        for year in YEARS {
            let count = days
                .iter()
                .filter(|(code, d)| code == uf.code() && d.year() == year)
                .count();
            // Brazil has nine national holidays a year, ten from 2024 (20 November).
            assert!(
                count >= 9,
                "{} {year}: only {count} days in the export",
                uf.code()
            );
        }
    }
    let outside: Vec<&Day> = days
        .iter()
        .filter(|(_, d)| !YEARS.contains(&d.year()))
        .collect();
    assert!(outside.is_empty(), "days outside {YEARS:?}: {outside:?}");
}

#[test]
fn every_disagreement_with_the_pypi_calendar_is_written_down_with_its_law() {
    let found = disagreements();
    let listed = written_down();
    let unlisted: Vec<String> = found
        .iter()
        .filter(|key| !listed.contains_key(*key))
        .map(|(uf, d, side)| format!("{uf},{d},{},TODO: the law", side.word()))
        .collect();
    let stale: Vec<String> = listed
        .iter()
        .filter(|(key, _)| !found.contains(*key))
        .map(|((uf, d, side), reason)| format!("{uf},{d},{},{reason}", side.word()))
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "disagreements not in data/holidays_disagreements.csv (add them, with the law):\n{}\n\
         written down but no longer a disagreement (remove them):\n{}",
        unlisted.join("\n"),
        stale.join("\n")
    );
}

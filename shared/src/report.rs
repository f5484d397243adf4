//! Monitoring reports (relatório de monitoramento): a `Report` of one office (or the national
//! roll-up) for one month, made of sections, each a table of labelled cells and a few figures.
//!
//! A `Report` holds only what may be shown: raw counts live in [`Counts`] and become a
//! [`Table`] only through [`Counts::suppress`] (small-cell suppression, `report/suppress.rs`),
//! so nothing that renders, exports or sends a report can see a count it must not show.
//! Cells are [`Cell::Count`] (shown as is), [`Cell::Small`] (1 to 4 people: "<5"),
//! [`Cell::Hidden`] (5 or more, hidden so that totals cannot reveal a "<5": "X", IBGE's sign for
//! "omitido para evitar a identificação") and, in the national roll-up only, [`Cell::AtLeast`]
//! (a sum over offices some of whose parts were hidden: "≥ n").
//!
//! The tables about the people served (by stage, raça/cor × gênero, need, outreach place,
//! origin) are made and suppressed together
//! in `report/served.rs`, and the referrals' (by service, raça/cor, gênero) in
//! `report/referrals.rs`, so no table gives away what another hides; time from first contact to
//! first referral is `report/first_referral.rs`. Gender identity is free text; `report/gender.rs` groups it into report categories. CSV
//! rendering is in `report/csv.rs`; adding offices' reports together in `report/rollup.rs`.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub mod csv;
pub mod first_referral;
pub mod gender;
pub mod referrals;
pub mod rollup;
pub mod served;
pub mod suppress;

pub use gender::GenderGroup;

/// Section ids (stable: the national roll-up matches offices' sections by them).
pub const PEOPLE_BY_STAGE: &str = "pessoas-por-momento";
pub const RACE_GENDER: &str = "raca-cor-genero";
pub const NEEDS: &str = "necessidades";
pub const REFERRALS: &str = "encaminhamentos";
pub const OUTREACH: &str = "busca-ativa";
pub const TIME_TO_CARE: &str = "tempo-ate-atendimento";
pub const ORIGIN: &str = "pessoas-por-origem";
pub const REFERRALS_BY_RACE: &str = "encaminhamentos-por-raca-cor";
pub const REFERRALS_BY_GENDER: &str = "encaminhamentos-por-genero";
pub const TIME_TO_REFERRAL: &str = "tempo-ate-encaminhamento";
/// The column of referrals still waiting for their counter-referral (`ReferralStatus::Referred`).
pub const WAITING: &str = "encaminhado";

/// Fewer people than this in a cell (but more than none) are never shown.
pub const MIN_CELL: u64 = 5;

/// A calendar month in the office's own time zone: `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    year: i32,
    month: u32,
}

/// A period that is not `AAAA-MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mês inválido {0:?}; use AAAA-MM, por exemplo 2026-11")]
pub struct BadPeriod(pub String);

impl Period {
    pub fn month(year: i32, month: u32) -> Result<Period, BadPeriod> {
        if (1..=12).contains(&month) && (2000..=2200).contains(&year) {
            Ok(Period { year, month })
        } else {
            Err(BadPeriod(format!("{year}-{month:02}")))
        }
    }

    pub fn parse(text: &str) -> Result<Period, BadPeriod> {
        let bad = || BadPeriod(text.to_owned());
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Period::month(year, month).map_err(|_| bad())
    }

    /// The month that contains `date`.
    pub fn containing(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the next month (the period ends before it).
    pub fn end(self) -> NaiveDate {
        let (y, m) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
    }

    /// The month before.
    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// "nov/26", for a chart's axis.
    pub fn short_label(self) -> String {
        let name = crate::hours::label::month(crate::locale::Locale::PtBr, self.month);
        format!(
            "{}/{:02}",
            name.chars().take(3).collect::<String>(),
            self.year % 100
        )
    }

    /// "novembro de 2026".
    pub fn label(self) -> String {
        format!(
            "{} de {}",
            crate::hours::label::month(crate::locale::Locale::PtBr, self.month),
            self.year
        )
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Period {
    type Error = BadPeriod;
    fn try_from(s: String) -> Result<Period, BadPeriod> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

/// One value of a table as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cell {
    Count(u64),
    /// 1 to 4 people: "<5".
    Small,
    /// Hidden so that a total cannot reveal a "<5" cell: "X".
    Hidden,
    /// National roll-up: at least this many (some offices' parts were hidden).
    AtLeast(u64),
}

impl Cell {
    /// Whether the value is shown exactly.
    pub fn count(self) -> Option<u64> {
        match self {
            Cell::Count(n) => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Small => f.write_str("<5"),
            Cell::Hidden => f.write_str("X"),
            Cell::AtLeast(n) => write!(f, "≥{n}"),
        }
    }
}

/// A row or column: a stable key (to add offices' tables together) and what a person reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    pub key: String,
    pub text: String,
}

impl Label {
    pub fn new(key: impl Into<String>, text: impl Into<String>) -> Label {
        Label {
            key: key.into(),
            text: text.into(),
        }
    }
}

/// Raw counts, before suppression. Never leaves the function that made it except through
/// [`Counts::suppress`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub rows: Vec<Label>,
    pub columns: Vec<Label>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<u64>>,
    /// Whether each person is counted in one cell only, so rows and columns add up to totals.
    /// A table where a person may be in several rows (needs, places) has no totals.
    pub additive: bool,
}

impl Counts {
    pub fn new(rows: Vec<Label>, columns: Vec<Label>, additive: bool) -> Counts {
        let cells = vec![vec![0; columns.len()]; rows.len()];
        Counts {
            rows,
            columns,
            cells,
            additive,
        }
    }

    /// Adds one to the cell at (`row`, `column`) by key; unknown keys are ignored.
    pub fn add(&mut self, row: &str, column: &str) {
        let r = self.rows.iter().position(|l| l.key == row);
        let c = self.columns.iter().position(|l| l.key == column);
        if let (Some(r), Some(c)) = (r, c) {
            self.cells[r][c] += 1;
        }
    }
}

/// The totals of an additive table. A table of one column has no row totals (they would repeat
/// the cells) and a table of one row no column totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub rows: Vec<Cell>,
    pub columns: Vec<Cell>,
    pub all: Cell,
}

/// A table as it may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<Label>,
    pub columns: Vec<Label>,
    pub cells: Vec<Vec<Cell>>,
    #[serde(default)]
    pub totals: Option<Totals>,
}

impl Table {
    /// Orders rows by the value shown in `column`, largest first; rows whose value is not shown
    /// go last in their label order (sorting them by their real values would tell which of two
    /// "<5" is the larger).
    pub fn sort_rows_by_shown(&mut self, column: usize) {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        let key = |i: &usize| {
            let shown = self.cells[*i].get(column).and_then(|c| c.count());
            (
                shown.is_none(),
                std::cmp::Reverse(shown.unwrap_or(0)),
                self.rows[*i].text.clone(),
            )
        };
        order.sort_by_key(key);
        self.rows = order.iter().map(|&i| self.rows[i].clone()).collect();
        self.cells = order.iter().map(|&i| self.cells[i].clone()).collect();
        if let Some(t) = &mut self.totals {
            if t.rows.len() == order.len() {
                t.rows = order.iter().map(|&i| t.rows[i]).collect();
            }
        }
    }
}

/// A figure beside a table: a share, a number of days, a count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FigureValue {
    Count(Cell),
    /// Percent, 0–100; `None` when the values it comes from are not shown.
    Percent(Option<f64>),
    /// Days; `None` when fewer than [`MIN_CELL`] people are behind it.
    Days(Option<f64>),
}

impl fmt::Display for FigureValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureValue::Count(c) => write!(f, "{c}"),
            FigureValue::Percent(Some(p)) => write!(f, "{}%", decimal(*p)),
            FigureValue::Days(Some(d)) => write!(f, "{} dias", decimal(*d)),
            FigureValue::Percent(None) | FigureValue::Days(None) => {
                f.write_str("não calculado (poucas pessoas)")
            }
        }
    }
}

/// One decimal, with a comma (pt-BR): 37,5.
pub fn decimal(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub id: String,
    pub label: String,
    pub value: FigureValue,
}

/// One part of a report: a chart's table and the figures under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub table: Table,
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// How the numbers were counted, in plain words.
    #[serde(default)]
    pub note: String,
}

/// A monitoring report of one office, or the national roll-up (`office` = `nacional`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub office: String,
    pub period: Period,
    pub generated_at: DateTime<Utc>,
    /// The offices whose data it holds (one, or every office in a roll-up).
    pub offices: Vec<String>,
    pub sections: Vec<Section>,
}

impl Report {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}

/// The server's answer to an office's report sent for the national roll-up (`POST
/// /v1/rollup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    pub office: String,
    pub period: Period,
}

/// The share of referrals with a counter-referral, from what the table shows: (all − still
/// `encaminhado`) / all, for the whole table and for each row. A share is left out when either
/// value is not shown, so it never tells more than the table.
pub fn answered_shares(table: &Table, waiting_column: &str) -> Vec<Figure> {
    let Some(col) = table.columns.iter().position(|c| c.key == waiting_column) else {
        return Vec::new();
    };
    let share = |all: Option<u64>, waiting: Option<u64>| match (all, waiting) {
        (Some(all), Some(waiting)) if all > 0 && waiting <= all => {
            Some((all - waiting) as f64 * 100.0 / all as f64)
        }
        _ => None,
    };
    let mut figures = Vec::new();
    if let Some(t) = &table.totals {
        let waiting = t.columns.get(col).copied().or(if table.rows.len() == 1 {
            table.cells[0].get(col).copied()
        } else {
            None
        });
        figures.push(Figure {
            id: "taxa-contrarreferencia".into(),
            label: "Encaminhamentos com contrarreferência (todos os serviços)".into(),
            value: FigureValue::Percent(share(t.all.count(), waiting.and_then(Cell::count))),
        });
        for (r, row) in table.rows.iter().enumerate() {
            let all = t.rows.get(r).and_then(|c| c.count());
            let waiting = table.cells[r].get(col).and_then(|c| c.count());
            if let Some(p) = share(all, waiting) {
                figures.push(Figure {
                    id: format!("taxa-contrarreferencia:{}", row.key),
                    label: format!("Com contrarreferência: {}", row.text),
                    value: FigureValue::Percent(Some(p)),
                });
            }
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_months_written_aaaa_mm() {
        let p = Period::parse("2026-11").expect("period");
        assert_eq!(p.to_string(), "2026-11");
        assert_eq!(
            p.first_day(),
            NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
        );
        assert_eq!(p.end(), NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"));
        assert_eq!(
            Period::parse("2026-12").expect("period").end(),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
        );
        assert_eq!(p.label(), "novembro de 2026");
        assert_eq!(p.short_label(), "nov/26");
        assert_eq!(p.previous().to_string(), "2026-10");
        assert_eq!(
            Period::parse("2026-01")
                .expect("period")
                .previous()
                .to_string(),
            "2025-12"
        );
        assert_eq!(
            Period::parse("2026-03").expect("period").short_label(),
            "mar/26"
        );
        for bad in ["2026-13", "2026-1", "26-11", "novembro", "2026-00", ""] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        let json = serde_json::to_string(&p).expect("json");
        assert_eq!(json, "\"2026-11\"");
        assert!(serde_json::from_str::<Period>("\"2026-14\"").is_err());
    }

    #[test]
    fn cells_show_small_counts_as_less_than_five() {
        assert_eq!(Cell::Count(12).to_string(), "12");
        assert_eq!(Cell::Small.to_string(), "<5");
        assert_eq!(Cell::Hidden.to_string(), "X");
        assert_eq!(Cell::AtLeast(9).to_string(), "≥9");
        assert_eq!(FigureValue::Percent(Some(37.5)).to_string(), "37,5%");
    }
}

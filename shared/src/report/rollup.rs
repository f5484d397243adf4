//! The national roll-up: offices' suppressed reports of one month added together, cell by cell
//! (rows and columns matched by key), never their raw counts — which never leave an office.
//!
//! A sum whose parts were all shown is shown. A part shown as "<5" counts as at least 1 and a
//! part shown as "X" as at least 5, so a sum with hidden parts is "≥ n" (n its least possible
//! value); a sum of a single "<5" and zeros stays "<5". Everything here is worked out from the
//! offices' shown values, so the roll-up cannot tell a reader more than those reports together
//! do, and they hide every cell under 5. Shares are worked out again from the summed table
//! (only where both values are shown); medians cannot be added up and are left out, with a note.
//! New sections need nothing here: tables are added by their rows' and columns' keys.

use chrono::{DateTime, Utc};

use super::{Cell, Figure, FigureValue, Label, Period, Report, Section, Table, Totals};

/// A sum of shown cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sum {
    shown: u64,
    small: u64,
    hidden: u64,
    at_least: u64,
}

impl Sum {
    fn add(&mut self, cell: Cell) {
        match cell {
            Cell::Count(n) => self.shown += n,
            Cell::Small => self.small += 1,
            Cell::Hidden => self.hidden += 1,
            Cell::AtLeast(n) => self.at_least += n,
        }
    }

    fn cell(self) -> Cell {
        let least = self.shown + self.small + 5 * self.hidden + self.at_least;
        match self {
            Sum {
                small: 0,
                hidden: 0,
                at_least: 0,
                shown,
            } if shown == 0 || shown >= super::MIN_CELL => Cell::Count(shown),
            Sum {
                small: 0,
                hidden: 0,
                at_least: 0,
                ..
            } => Cell::Small,
            Sum {
                shown: 0,
                small: 1,
                hidden: 0,
                at_least: 0,
            } => Cell::Small,
            _ => Cell::AtLeast(least),
        }
    }
}

/// Keys in order of first appearance.
fn union<'a>(labels: impl Iterator<Item = &'a Vec<Label>>) -> Vec<Label> {
    let mut out: Vec<Label> = Vec::new();
    for list in labels {
        for l in list {
            if !out.iter().any(|o| o.key == l.key) {
                out.push(l.clone());
            }
        }
    }
    out
}

fn add_tables(tables: &[&Table]) -> Table {
    let rows = union(tables.iter().map(|t| &t.rows));
    let columns = union(tables.iter().map(|t| &t.columns));
    let (m, n) = (rows.len(), columns.len());
    let mut cells = vec![vec![Sum::default(); n]; m];
    let mut row_totals = vec![Sum::default(); m];
    let mut col_totals = vec![Sum::default(); n];
    let mut all = Sum::default();
    let additive = !tables.is_empty() && tables.iter().all(|t| t.totals.is_some());
    for t in tables {
        let r_at: Vec<usize> = t
            .rows
            .iter()
            .filter_map(|l| rows.iter().position(|o| o.key == l.key))
            .collect();
        let c_at: Vec<usize> = t
            .columns
            .iter()
            .filter_map(|l| columns.iter().position(|o| o.key == l.key))
            .collect();
        for (r, row) in t.cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                cells[r_at[r]][c_at[c]].add(*cell);
            }
        }
        if let Some(tot) = &t.totals {
            // A table of one column or one row carries no line totals: its cells are them.
            for r in 0..t.rows.len() {
                let v = tot.rows.get(r).copied().or(t.cells[r].first().copied());
                row_totals[r_at[r]].add(v.unwrap_or(Cell::Count(0)));
            }
            for c in 0..t.columns.len() {
                let v = tot
                    .columns
                    .get(c)
                    .copied()
                    .or(t.cells.first().and_then(|row| row.get(c).copied()));
                col_totals[c_at[c]].add(v.unwrap_or(Cell::Count(0)));
            }
            all.add(tot.all);
        }
    }
    let cells = cells
        .into_iter()
        .map(|row| row.into_iter().map(Sum::cell).collect())
        .collect();
    let totals = additive.then(|| Totals {
        rows: if n > 1 {
            row_totals.into_iter().map(Sum::cell).collect()
        } else {
            Vec::new()
        },
        columns: if m > 1 {
            col_totals.into_iter().map(Sum::cell).collect()
        } else {
            Vec::new()
        },
        all: all.cell(),
    });
    Table {
        rows,
        columns,
        cells,
        totals,
    }
}

fn add_figures(id: &str, sections: &[&Section], table: &Table) -> (Vec<Figure>, String) {
    let mut figures = Vec::new();
    let mut note = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for s in sections {
        for f in &s.figures {
            if seen.contains(&f.id.as_str()) {
                continue;
            }
            seen.push(&f.id);
            match &f.value {
                FigureValue::Count(_) => {
                    let mut sum = Sum::default();
                    for other in sections {
                        if let Some(FigureValue::Count(c)) = other
                            .figures
                            .iter()
                            .find(|o| o.id == f.id)
                            .map(|o| &o.value)
                        {
                            sum.add(*c);
                        }
                    }
                    figures.push(Figure {
                        value: FigureValue::Count(sum.cell()),
                        ..f.clone()
                    });
                }
                FigureValue::Days(_) if note.is_empty() => {
                    note = format!(
                        "{}: não se soma entre escritórios; veja a distribuição na tabela.",
                        f.label
                    );
                }
                FigureValue::Days(_) => {
                    note = "As medianas de dias não se somam entre escritórios; veja a \
                            distribuição na tabela."
                        .into();
                }
                FigureValue::Percent(_) => {}
            }
        }
    }
    figures.extend(super::referrals::shares(id, table));
    (figures, note)
}

/// The national report of `period` from the offices' reports of that period.
pub fn roll_up(reports: &[Report], period: Period, now: DateTime<Utc>) -> Report {
    let reports: Vec<&Report> = reports.iter().filter(|r| r.period == period).collect();
    let mut ids: Vec<&str> = Vec::new();
    for r in &reports {
        for s in &r.sections {
            if !ids.contains(&s.id.as_str()) {
                ids.push(&s.id);
            }
        }
    }
    let sections = ids
        .iter()
        .map(|id| {
            let parts: Vec<&Section> = reports.iter().filter_map(|r| r.section(id)).collect();
            let tables: Vec<&Table> = parts.iter().map(|s| &s.table).collect();
            let table = add_tables(&tables);
            let (figures, extra) = add_figures(id, &parts, &table);
            let note = [parts[0].note.as_str(), extra.as_str()]
                .iter()
                .filter(|n| !n.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            Section {
                id: (*id).to_owned(),
                title: parts[0].title.clone(),
                table,
                figures,
                note,
            }
        })
        .collect();
    let mut offices: Vec<String> = reports.iter().flat_map(|r| r.offices.clone()).collect();
    offices.sort();
    offices.dedup();
    Report {
        office: crate::sync::NATIONAL.to_owned(),
        period,
        generated_at: now,
        offices,
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Counts;
    use super::*;

    fn report(office: &str, cells: Vec<Vec<u64>>) -> Report {
        let mut counts = Counts::new(
            vec![Label::new("parda", "Parda"), Label::new("preta", "Preta")],
            vec![
                Label::new("mulher-cis", "Mulher cis"),
                Label::new("homem-cis", "Homem cis"),
            ],
            true,
        );
        counts.cells = cells;
        Report {
            office: office.into(),
            period: Period::parse("2026-11").expect("period"),
            generated_at: "2026-12-01T12:00:00Z".parse().expect("instant"),
            offices: vec![office.into()],
            sections: vec![Section {
                id: "raca-genero".into(),
                title: "Pessoas atendidas por raça/cor e gênero".into(),
                table: counts.suppress(),
                figures: vec![Figure {
                    id: "buscas-ativas".into(),
                    label: "Buscas ativas".into(),
                    value: FigureValue::Count(Cell::Count(3)),
                }],
                note: String::new(),
            }],
        }
    }

    #[test]
    fn shown_values_add_up_and_hidden_parts_give_a_least_value() {
        let a = report("es-vitoria", vec![vec![10, 20], vec![30, 40]]);
        let b = report("es-boa-vista", vec![vec![2, 20], vec![30, 40]]);
        let period = a.period;
        let national = roll_up(&[a.clone(), a.clone()], period, a.generated_at);
        let t = &national.sections[0].table;
        assert_eq!(t.cells[0][0], Cell::Count(20));
        assert_eq!(t.totals.as_ref().expect("totals").all, Cell::Count(200));
        let national = roll_up(&[a.clone(), b.clone()], period, a.generated_at);
        let t = &national.sections[0].table;
        // b hides its 2 ("<5") and three more cells ("X"): 10 + at least 1.
        assert_eq!(b.sections[0].table.cells[0][0], Cell::Small);
        assert_eq!(t.cells[0][0], Cell::AtLeast(11));
        assert_eq!(t.cells[1][1], Cell::AtLeast(45));
        assert_eq!(t.totals.as_ref().expect("totals").all, Cell::Count(192));
        assert_eq!(national.offices, vec!["es-boa-vista", "es-vitoria"]);
        assert_eq!(national.office, "nacional");
        assert_eq!(
            national.sections[0].figures[0].value,
            FigureValue::Count(Cell::Count(6))
        );
        // A single "<5" with nothing else stays "<5".
        let mut s = Sum::default();
        s.add(Cell::Small);
        s.add(Cell::Count(0));
        assert_eq!(s.cell(), Cell::Small);
        s.add(Cell::Small);
        assert_eq!(s.cell(), Cell::AtLeast(2));
    }
}

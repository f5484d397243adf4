//! The people served in the month, as five tables of a report — by stage, by raça/cor × gênero,
//! by need, by outreach place, by how they reached the office — with their labels, suppressed
//! together: they count the same people, so a number hidden in one must not be worked out from
//! another.
//!
//! Stage, raça/cor × gênero and origin add up to the number of people served (each person in one
//! cell), so their grand totals are one number; a need's or a place's count is at most that
//! number. Other sections (referrals, times) count referrals or people of other months and
//! share no sum with these. Need and origin by raça/cor and gênero are not tables yet: see
//! "What a report may tell" in ARCHITECTURE.md.

use super::suppress::{Entry, Joint};
use super::{Cell, Counts, Figure, FigureValue, GenderGroup, Label, Section, Table};
use crate::people::{Need, Origin, Race, Stage};

/// The key of "não informado" rows.
pub const NOT_INFORMED: &str = "nao-informado";

fn people_column() -> Vec<Label> {
    vec![Label::new("pessoas", "Pessoas atendidas")]
}

/// People served by stage (one column), before suppression.
pub fn by_stage() -> Counts {
    Counts::new(
        Stage::ALL
            .iter()
            .map(|s| Label::new(s.slug(), s.label()))
            .chain([Label::new(NOT_INFORMED, "Não informado")])
            .collect(),
        people_column(),
        true,
    )
}

/// How people reached the office, as rows.
fn origin_rows() -> Vec<Label> {
    Origin::ALL
        .iter()
        .map(|o| Label::new(o.slug(), o.label()))
        .chain([Label::new(NOT_INFORMED, "Não informado")])
        .collect()
}

/// Raça/cor as labels, "não informada" last (rows of one table, columns of others).
pub fn race_labels() -> Vec<Label> {
    Race::ALL
        .iter()
        .map(|r| Label::new(r.slug(), r.label()))
        .chain([Label::new(NOT_INFORMED, "Não informada")])
        .collect()
}

/// Gênero groups as labels.
pub fn gender_labels() -> Vec<Label> {
    GenderGroup::ALL
        .iter()
        .map(|g| Label::new(g.slug(), g.label()))
        .collect()
}

fn need_rows() -> Vec<Label> {
    Need::ALL
        .iter()
        .map(|n| Label::new(n.slug(), n.label()))
        .collect()
}

/// The key of a raça/cor, "não informada" when none was recorded.
pub fn race_key(race: Option<Race>) -> &'static str {
    race.map_or(NOT_INFORMED, Race::slug)
}

/// People served by how they reached the office (one column), before suppression.
pub fn by_origin() -> Counts {
    Counts::new(origin_rows(), people_column(), true)
}

/// People served by raça/cor (rows) × gênero (columns), before suppression.
pub fn by_race_gender() -> Counts {
    Counts::new(race_labels(), gender_labels(), true)
}

/// People with each need (one may count in several), before suppression.
pub fn by_need() -> Counts {
    Counts::new(
        need_rows(),
        vec![Label::new("pessoas", "Pessoas com a necessidade")],
        false,
    )
}

/// What the tables know of one person served in the month.
#[derive(Debug, Clone, Copy)]
pub struct ServedPerson<'a> {
    pub stage: Option<Stage>,
    pub race: Option<Race>,
    pub gender: GenderGroup,
    pub origin: Option<Origin>,
    /// The person's needs recorded in the month, each once.
    pub needs: &'a [Need],
}

/// The tables as they may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedTables {
    pub stage: Table,
    pub race_gender: Table,
    pub needs: Table,
    pub outreach: Table,
    pub origin: Table,
}

/// The raw tables of the people served, before suppression.
#[derive(Debug, Clone)]
pub struct ServedCounts {
    pub stage: Counts,
    pub race_gender: Counts,
    pub needs: Counts,
    pub outreach: Counts,
    pub origin: Counts,
}

impl Default for ServedCounts {
    fn default() -> Self {
        ServedCounts {
            stage: by_stage(),
            race_gender: by_race_gender(),
            needs: by_need(),
            outreach: Counts::new(
                Vec::new(),
                vec![Label::new("pessoas", "Pessoas encontradas")],
                false,
            ),
            origin: by_origin(),
        }
    }
}

impl ServedCounts {
    /// Counts one person served in every table but the outreach places'.
    pub fn add(&mut self, who: &ServedPerson<'_>) {
        let (race, gender) = (race_key(who.race), who.gender.slug());
        let origin = who.origin.map_or(NOT_INFORMED, Origin::slug);
        self.stage
            .add(who.stage.map_or(NOT_INFORMED, Stage::slug), "pessoas");
        self.race_gender.add(race, gender);
        self.origin.add(origin, "pessoas");
        for need in who.needs {
            self.needs.add(need.slug(), "pessoas");
        }
    }
}

/// Suppresses the five tables together (the module's second paragraph); needs and places
/// sorted by the value shown.
pub fn suppress(raw: &ServedCounts) -> ServedTables {
    use Entry::{Cell as At, Grand};
    let mut joint = Joint::default();
    let stage = joint.add(&raw.stage);
    let race_gender = joint.add(&raw.race_gender);
    let origin = joint.add(&raw.origin);
    let needs = joint.add(&raw.needs);
    let outreach = joint.add(&raw.outreach);
    for t in [race_gender, origin] {
        joint.same((stage, Grand), (t, Grand));
    }
    for (t, counts) in [(needs, &raw.needs), (outreach, &raw.outreach)] {
        for r in 0..counts.rows.len() {
            joint.at_most((t, At(r, 0)), (stage, Grand));
        }
    }
    let mut tables = joint.suppress().into_iter();
    let mut next = || {
        tables
            .next()
            .unwrap_or_else(|| Counts::new(Vec::new(), Vec::new(), false).suppress())
    };
    let (stage, race_gender, origin) = (next(), next(), next());
    let (mut needs, mut outreach) = (next(), next());
    needs.sort_rows_by_shown(0);
    outreach.sort_rows_by_shown(0);
    ServedTables {
        stage,
        race_gender,
        needs,
        outreach,
        origin,
    }
}

/// The sections' titles, as the report and its CSV show them.
pub const STAGE_TITLE: &str = "Pessoas atendidas no mês";
pub const RACE_GENDER_TITLE: &str = "Pessoas atendidas por raça/cor e gênero";
pub const NEEDS_TITLE: &str = "Necessidades identificadas";
pub const OUTREACH_TITLE: &str = "Alcance da busca ativa por local";
pub const ORIGIN_TITLE: &str = "Como as pessoas chegaram ao Escritório Social";

fn section(id: &str, title: &str, table: Table, note: &str) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        table,
        figures: Vec::new(),
        note: note.into(),
    }
}

impl ServedTables {
    /// The report's sections of these tables: by stage, by raça/cor × gênero, by need, the
    /// busca ativa's places with the number of outreaches held (outreaches, not people), and
    /// by how the people reached the office.
    pub fn sections(self, outreaches_held: u64) -> [Section; 5] {
        const SEVERAL: &str = "Uma pessoa com várias necessidades conta em cada uma delas.";
        [
            section(
                super::PEOPLE_BY_STAGE,
                STAGE_TITLE,
                self.stage,
                "Pessoas diferentes com ao menos um atendimento no mês.",
            ),
            section(
                super::RACE_GENDER,
                RACE_GENDER_TITLE,
                self.race_gender,
                "Raça/cor como a pessoa declarou (IBGE); identidade de gênero agrupada a \
                 partir do que a pessoa escreveu.",
            ),
            section(super::NEEDS, NEEDS_TITLE, self.needs, SEVERAL),
            Section {
                figures: vec![Figure {
                    id: "buscas-ativas".into(),
                    label: "Buscas ativas realizadas no mês".into(),
                    value: FigureValue::Count(Cell::Count(outreaches_held)),
                }],
                ..section(
                    super::OUTREACH,
                    OUTREACH_TITLE,
                    self.outreach,
                    "Pessoas diferentes encontradas em cada local; quem foi encontrado em dois \
                     locais conta nos dois.",
                )
            },
            section(
                super::ORIGIN,
                ORIGIN_TITLE,
                self.origin,
                "Como a pessoa chegou ao Escritório Social, como a equipe registrou: pela busca \
                 ativa na saída da prisão, pela Justiça, pela rede parceira, por um familiar ou \
                 por conta própria.",
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::report::{csv, Period, Report};

    type Who = (Stage, Race, GenderGroup);

    /// One person served: stage, origin, raça/cor, gênero.
    type Someone = (Stage, Option<Origin>, Race, GenderGroup);

    /// The raw tables of a month: `people` in order, the first `k` of them with a need for
    /// each `(need, k)` of `needs`.
    fn tables(people: &[Someone], needs: &[(Need, u64)]) -> ServedCounts {
        let mut raw = ServedCounts::default();
        for (i, &(stage, origin, race, gender)) in people.iter().enumerate() {
            let theirs: Vec<Need> = needs
                .iter()
                .filter(|(_, k)| (i as u64) < *k)
                .map(|(n, _)| *n)
                .collect();
            raw.add(&ServedPerson {
                stage: Some(stage),
                race: Some(race),
                gender,
                origin,
                needs: &theirs,
            });
        }
        raw
    }

    /// The raw tables of a month: `people` as groups of alike people, `needs` as how many
    /// people have each need (never more than the people served).
    fn counts(people: &[(Who, u64)], needs: &[(Need, u64)]) -> ServedCounts {
        let everyone: Vec<Someone> = people
            .iter()
            .flat_map(|&((s, r, g), n)| std::iter::repeat_n((s, None, r, g), n as usize))
            .collect();
        tables(&everyone, needs)
    }

    fn report(raw: &ServedCounts) -> Report {
        Report {
            office: "es-vitoria".into(),
            period: Period::parse("2026-11").expect("period"),
            // A fixed instant: nothing here reads a clock.
            generated_at: "2026-12-01T12:00:00Z".parse().expect("instant"),
            offices: vec!["es-vitoria".into()],
            sections: suppress(raw).sections(0).into(),
        }
    }

    /// One CSV line: section, row, column, value (the report's own fields, quotes undone).
    fn fields(line: &str) -> Vec<String> {
        let (mut out, mut field, mut quoted, mut chars) =
            (Vec::new(), String::new(), false, line.chars().peekable());
        while let Some(ch) = chars.next() {
            match (ch, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                ('"', _) => quoted = !quoted,
                (';', false) => out.push(std::mem::take(&mut field)),
                _ => field.push(ch),
            }
        }
        out.push(field);
        out.split_off(2)
    }

    /// One published value: section, row, column (as the CSV names them, "Total" for
    /// totals) and the value.
    type Published<'a> = (&'a str, &'a str, &'a str, Cell);
    type Name<'a> = (&'a str, &'a str, &'a str);

    /// Every value of the report's tables, as its CSV writes them (figures, with no column,
    /// left out).
    fn published(report: &Report) -> Vec<Published<'_>> {
        let mut out = Vec::new();
        for s in &report.sections {
            let (t, title) = (&s.table, s.title.as_str());
            for (r, row) in t.rows.iter().enumerate() {
                for (c, column) in t.columns.iter().enumerate() {
                    out.push((
                        title,
                        row.text.as_str(),
                        column.text.as_str(),
                        t.cells[r][c],
                    ));
                }
                if let Some(total) = t.totals.as_ref().and_then(|tot| tot.rows.get(r)) {
                    out.push((title, row.text.as_str(), "Total", *total));
                }
            }
            if let Some(tot) = &t.totals {
                for (c, column) in t.columns.iter().enumerate() {
                    if let Some(total) = tot.columns.get(c) {
                        out.push((title, "Total", column.text.as_str(), *total));
                    }
                }
                out.push((title, "Total", "Total", tot.all));
            }
        }
        out
    }

    /// The CSV's table values, `[section, row, column, value]`.
    fn csv_values(csv_text: &str) -> Vec<Vec<String>> {
        csv_text
            .trim_start_matches('\u{feff}')
            .lines()
            .skip(1)
            .map(fields)
            .filter(|f| f.len() == 4 && !f[2].is_empty())
            .collect()
    }

    /// The true value of an entry of the people tables, named as the CSV names it ("Total"
    /// for totals).
    fn truth(raw: &ServedCounts, (title, row, column): Name<'_>) -> u64 {
        let tables = [
            (STAGE_TITLE, &raw.stage),
            (RACE_GENDER_TITLE, &raw.race_gender),
            (NEEDS_TITLE, &raw.needs),
            (OUTREACH_TITLE, &raw.outreach),
            (ORIGIN_TITLE, &raw.origin),
        ];
        let Some(counts) = tables.iter().find(|t| t.0 == title).map(|t| t.1) else {
            return 0;
        };
        let pick = |labels: &[Label], text: &str| -> Vec<usize> {
            if text == "Total" {
                (0..labels.len()).collect()
            } else {
                labels
                    .iter()
                    .position(|l| l.text == text)
                    .into_iter()
                    .collect()
            }
        };
        let (rows, columns) = (pick(&counts.rows, row), pick(&counts.columns, column));
        rows.iter()
            .flat_map(|&r| columns.iter().map(move |&c| counts.cells[r][c]))
            .sum()
    }

    const UNBOUNDED: i64 = 1 << 40;

    /// A people table as the reader sees it: title, rows and columns ("Total" last), and the
    /// unknown of each entry.
    type PeopleGrid<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>, Vec<Vec<usize>>);

    /// A reader of the CSV who knows the rule: every published figure of the people tables as
    /// bounds on non-negative integer unknowns, every sum they obey, the one number of people
    /// served both tables add up to, and each need's or place's count at most that number.
    /// Written apart from `suppress.rs`, and stronger than its audit: after narrowing bounds
    /// through the sums, it tries each end of every hidden entry's range and drops the values
    /// that lead to a contradiction, until nothing changes.
    struct Reader<'a> {
        names: Vec<Name<'a>>,
        published: Vec<Option<Cell>>,
        bounds: Vec<(i64, i64)>,
        /// Each sum: its parts and a known amount add up to its total.
        sums: Vec<(Vec<usize>, usize, i64)>,
        at_most: Vec<(usize, usize)>,
    }

    impl<'a> Reader<'a> {
        /// `lines`: every published value as the CSV has it.
        fn of(lines: &[Published<'a>]) -> Reader<'a> {
            let mut reader = Reader {
                names: Vec::new(),
                published: Vec::new(),
                bounds: Vec::new(),
                sums: Vec::new(),
                at_most: Vec::new(),
            };
            const SUMS: [&str; 3] = [STAGE_TITLE, RACE_GENDER_TITLE, ORIGIN_TITLE];
            let people = |title: &str| SUMS.contains(&title);
            // The rule: an "X" is at least 5 while a "<5" is shown anywhere.
            let any_small = lines.iter().any(|f| f.3 == Cell::Small);
            let var = |reader: &mut Reader<'a>, key: Name<'a>| -> usize {
                reader.names.push(key);
                reader.published.push(None);
                reader.bounds.push((0, UNBOUNDED));
                reader.names.len() - 1
            };
            // Each people table: its rows and columns, "Total" last, and an unknown for each
            // entry.
            let mut grids: Vec<PeopleGrid<'a>> = Vec::new();
            for title in SUMS {
                let mut rows: Vec<&'a str> = Vec::new();
                let mut columns: Vec<&'a str> = Vec::new();
                for f in lines.iter().filter(|f| f.0 == title) {
                    if !rows.contains(&f.1) && f.1 != "Total" {
                        rows.push(f.1);
                    }
                    if !columns.contains(&f.2) && f.2 != "Total" {
                        columns.push(f.2);
                    }
                }
                rows.push("Total");
                columns.push("Total");
                let ids: Vec<Vec<usize>> = rows
                    .iter()
                    .map(|&r| {
                        columns
                            .iter()
                            .map(|&c| var(&mut reader, (title, r, c)))
                            .collect()
                    })
                    .collect();
                let (m, n) = (rows.len() - 1, columns.len() - 1);
                for row in &ids {
                    reader.sums.push((row[..n].to_vec(), row[n], 0));
                }
                for (c, &total) in ids[m].iter().enumerate() {
                    let parts = ids[..m].iter().map(|row| row[c]).collect();
                    reader.sums.push((parts, total, 0));
                }
                grids.push((title, rows, columns, ids));
            }
            let grands: Vec<usize> = grids
                .iter()
                .map(|g| *g.3.last().and_then(|r| r.last()).expect("total"))
                .collect();
            // The people tables count the same people: one grand total.
            for &other in &grands[1..] {
                reader.sums.push((vec![grands[0]], other, 0));
            }
            for &(title, r, c, value) in lines {
                let among = [NEEDS_TITLE, OUTREACH_TITLE].contains(&title);
                if !people(title) && !among {
                    continue;
                }
                let i = match grids.iter().find(|g| g.0 == title) {
                    Some((_, rows, columns, ids)) => {
                        let r = rows.iter().position(|&x| x == r).expect("row");
                        let c = columns.iter().position(|&x| x == c).expect("column");
                        ids[r][c]
                    }
                    None => {
                        let i = var(&mut reader, (title, r, c));
                        reader.at_most.push((i, grands[0]));
                        i
                    }
                };
                let x_least = if any_small { 5 } else { 1 };
                reader.bounds[i] = match value {
                    Cell::Small => (1, 4),
                    Cell::Hidden | Cell::AtLeast(_) => (x_least, UNBOUNDED),
                    Cell::Count(n) => (n as i64, n as i64),
                };
                reader.published[i] = Some(value);
            }
            reader
        }

        /// Narrows `b` through every relation until nothing changes; false on a contradiction.
        fn narrow(&self, b: &mut [(i64, i64)]) -> bool {
            loop {
                let before = b.to_vec();
                for (parts, total, known) in &self.sums {
                    // An upper bound of UNBOUNDED is "none" (an "X", a total with one).
                    let lo: i64 = known + parts.iter().map(|&p| b[p].0).sum::<i64>();
                    let open = parts.iter().filter(|&&p| b[p].1 >= UNBOUNDED).count();
                    let hi: i64 = known
                        + parts
                            .iter()
                            .map(|&p| b[p].1)
                            .filter(|&h| h < UNBOUNDED)
                            .sum::<i64>();
                    let t = b[*total];
                    b[*total] = (t.0.max(lo), if open == 0 { t.1.min(hi) } else { t.1 });
                    let t = b[*total];
                    for &p in parts {
                        let p_open = b[p].1 >= UNBOUNDED;
                        let others_lo = lo - b[p].0;
                        let p_lo = if open > usize::from(p_open) {
                            b[p].0
                        } else {
                            b[p].0.max(t.0 - (hi - if p_open { 0 } else { b[p].1 }))
                        };
                        let p_hi = if t.1 < UNBOUNDED {
                            b[p].1.min(t.1 - others_lo)
                        } else {
                            b[p].1
                        };
                        b[p] = (p_lo, p_hi);
                    }
                }
                for &(a, most) in &self.at_most {
                    b[a].1 = b[a].1.min(b[most].1);
                    b[most].0 = b[most].0.max(b[a].0);
                }
                if b.iter().any(|(lo, hi)| lo > hi) {
                    return false;
                }
                if b == before.as_slice() {
                    return true;
                }
            }
        }

        /// Whether `b` with entry `i` set to `v` survives narrowing.
        fn possible(&self, b: &[(i64, i64)], i: usize, v: i64) -> bool {
            let mut trial = b.to_vec();
            trial[i] = (v, v);
            self.narrow(&mut trial)
        }

        /// What the reader narrows every entry down to; an error if the figures contradict
        /// the rule the reader was told.
        fn solve(&mut self) -> Result<Vec<(i64, i64)>, String> {
            let mut b = self.bounds.clone();
            if !self.narrow(&mut b) {
                return Err("the published figures contradict the rule".into());
            }
            // Known entries become known amounts, and sums of known entries tell nothing more.
            let fixed = |i: usize| b[i].0 == b[i].1;
            for (parts, _, known) in &mut self.sums {
                *known += parts
                    .iter()
                    .filter(|&&p| fixed(p))
                    .map(|&p| b[p].0)
                    .sum::<i64>();
                parts.retain(|&p| !fixed(p));
            }
            self.sums
                .retain(|(parts, total, _)| !parts.is_empty() || !fixed(*total));
            self.at_most.retain(|&(a, most)| !fixed(a) || !fixed(most));
            // The rest as a small system of its own: the entries still in a relation.
            let mut small = Reader {
                names: Vec::new(),
                published: Vec::new(),
                bounds: Vec::new(),
                sums: Vec::new(),
                at_most: Vec::new(),
            };
            let mut place: Vec<Option<usize>> = vec![None; b.len()];
            let mut id = |i: usize, small: &mut Reader| -> usize {
                *place[i].get_or_insert_with(|| {
                    small.bounds.push(b[i]);
                    small.bounds.len() - 1
                })
            };
            for (parts, total, known) in &self.sums {
                let parts = parts.iter().map(|&p| id(p, &mut small)).collect();
                let total = id(*total, &mut small);
                small.sums.push((parts, total, *known));
            }
            for &(a, most) in &self.at_most {
                let pair = (id(a, &mut small), id(most, &mut small));
                small.at_most.push(pair);
            }
            let solved = small.shave()?;
            for (i, p) in place.iter().enumerate() {
                if let Some(p) = p {
                    b[i] = solved[*p];
                }
            }
            Ok(b)
        }

        /// Tries each end of every range and drops the values that lead to a contradiction,
        /// until nothing changes.
        fn shave(&self) -> Result<Vec<(i64, i64)>, String> {
            let mut b = self.bounds.clone();
            loop {
                let mut changed = false;
                for i in 0..b.len() {
                    while b[i].0 < b[i].1 && !self.possible(&b, i, b[i].0) {
                        b[i].0 += 1;
                        changed = true;
                    }
                    while b[i].0 < b[i].1 && b[i].1 < UNBOUNDED && !self.possible(&b, i, b[i].1) {
                        b[i].1 -= 1;
                        changed = true;
                    }
                    if changed && !self.narrow(&mut b) {
                        return Err("no value is left for an entry".into());
                    }
                }
                if !changed {
                    return Ok(b);
                }
            }
        }
    }

    /// The reader's attack on the report's CSV: every hidden entry keeps more than one possible
    /// value, and every true value stays possible (the rule the reader was told is true).
    fn attack(raw: &ServedCounts, report: &Report) -> Result<(), String> {
        let mut reader = Reader::of(&published(report));
        let bounds = reader.solve()?;
        for (i, name) in reader.names.iter().enumerate() {
            let value = truth(raw, *name) as i64;
            let (lo, hi) = bounds[i];
            if !(lo..=hi).contains(&value) {
                return Err(format!("{name:?} is {value}, read as {lo}..={hi}"));
            }
            let hidden = matches!(reader.published[i], Some(Cell::Small | Cell::Hidden));
            if hidden && lo == hi {
                return Err(format!("{name:?} hidden but worked out: {value}"));
            }
            if (1..5).contains(&value) && reader.published[i].is_some() && lo == hi {
                return Err(format!(
                    "{name:?} a small count shown or worked out: {value}"
                ));
            }
        }
        Ok(())
    }

    /// The people tables as shown: each table's entries that are not zero, `row/column=value`.
    fn shown(report: &Report) -> String {
        let mut out = Vec::new();
        for s in report.sections.iter().take(3) {
            let t = &s.table;
            let mut entries = Vec::new();
            for (r, row) in t.rows.iter().enumerate() {
                for (c, column) in t.columns.iter().enumerate() {
                    entries.push((row.key.as_str(), column.key.as_str(), t.cells[r][c]));
                }
                if let Some(total) = t.totals.as_ref().and_then(|tot| tot.rows.get(r)) {
                    entries.push((row.key.as_str(), "total", *total));
                }
            }
            if let Some(tot) = &t.totals {
                for (c, column) in t.columns.iter().enumerate() {
                    if let Some(total) = tot.columns.get(c) {
                        entries.push(("total", column.key.as_str(), *total));
                    }
                }
                entries.push(("total", "total", tot.all));
            }
            let entries: Vec<String> = entries
                .into_iter()
                .filter(|(_, _, cell)| *cell != Cell::Count(0))
                .map(|(r, c, cell)| format!("{r}/{c}={cell}"))
                .collect();
            out.push(entries.join(" "));
        }
        out.join(" | ")
    }

    fn check(people: &[(Who, u64)], needs: &[(Need, u64)], expect: &str) {
        let raw = counts(people, needs);
        let report = report(&raw);
        assert_eq!(shown(&report), expect, "{people:?} {needs:?}");
        // The reader reads the CSV's values: the same as the report's.
        let published: Vec<Vec<String>> = published(&report)
            .into_iter()
            .map(|(s, r, c, v)| vec![s.into(), r.into(), c.into(), v.to_string()])
            .collect();
        assert_eq!(csv_values(&csv::render(&report)), published);
        if let Err(e) = attack(&raw, &report) {
            panic!("{e}\n{}", csv::render(&report));
        }
    }

    const RELEASED_WHITE_MAN: Who = (Stage::Released, Race::White, GenderGroup::CisMan);
    const RELEASED_BLACK_WOMAN: Who = (Stage::Released, Race::Black, GenderGroup::CisWoman);

    #[test]
    fn known_answers() {
        // The case seen (issue 14): six people, five alike and one not. Alone, the raça/cor ×
        // gênero table hid its total while the table by stage showed "6" — and "X" + "<5" = 6
        // made them 5 and 1. Now the total is hidden in both (the stage's one cell with it),
        // so "X" + "<5" adds up to an unknown at least 6.
        check(
            &[(RELEASED_WHITE_MAN, 5), (RELEASED_BLACK_WOMAN, 1)],
            &[],
            "released/pessoas=X total/pessoas=X total/total=X | branca/homem-cis=X branca/total=X \
             preta/mulher-cis=<5 preta/total=<5 total/mulher-cis=<5 total/homem-cis=X \
             total/total=X | ",
        );
        // Eight people, all with one need: the need's "8" would be the total.
        check(
            &[(RELEASED_WHITE_MAN, 4), (RELEASED_BLACK_WOMAN, 4)],
            &[(Need::CivilDocuments, 8)],
            "released/pessoas=X total/pessoas=X total/total=X | branca/homem-cis=<5 \
             branca/total=<5 preta/mulher-cis=<5 preta/total=<5 total/mulher-cis=<5 \
             total/homem-cis=<5 total/total=X | documentacao/pessoas=X",
        );
        // Twelve people: nothing small but a need, which shares no sum: everything else shown.
        check(
            &[(RELEASED_WHITE_MAN, 7), (RELEASED_BLACK_WOMAN, 5)],
            &[(Need::CivilDocuments, 9), (Need::Health, 2)],
            "released/pessoas=12 total/pessoas=12 total/total=12 | branca/homem-cis=7 \
             branca/total=7 preta/mulher-cis=5 preta/total=5 total/mulher-cis=5 \
             total/homem-cis=7 total/total=12 | documentacao/pessoas=9 saude/pessoas=<5",
        );
    }

    /// Every vector of `len` counts adding up to `total`, in a fixed order.
    fn compositions(total: u64, len: usize) -> Vec<Vec<u64>> {
        if len == 1 {
            return vec![vec![total]];
        }
        (0..=total)
            .flat_map(|first| {
                compositions(total - first, len - 1)
                    .into_iter()
                    .map(move |mut rest| {
                        rest.insert(0, first);
                        rest
                    })
            })
            .collect()
    }

    /// A set of reports to check: up to `most` people, spread in every way over `stages` and,
    /// independently, over the raça/cor × gênero `cells`, with each number of them having one
    /// need in `needs(served)`. The two spreads are independent: any spread by stage and any
    /// by raça/cor × gênero of the same number of people are the counts of some population.
    struct Shape {
        stages: &'static [Stage],
        cells: &'static [(Race, GenderGroup)],
        /// The origins people have (`None`: not informed).
        origins: &'static [Option<Origin>],
        most: u64,
        needs: fn(u64) -> Vec<u64>,
    }

    /// Origin as most offices will have it at first: nobody's recorded.
    const NO_ORIGIN: &[Option<Origin>] = &[None];

    /// Nobody, and everybody (the most a need's count can tell about the total).
    fn nobody_or_everybody(served: u64) -> Vec<u64> {
        let mut needs = vec![0, served];
        needs.dedup();
        needs
    }

    /// Every count a need can have.
    fn any_number(served: u64) -> Vec<u64> {
        (0..=served).collect()
    }

    /// Attacks every report of `shape` made by `make`: how many there were, and what the
    /// reader worked out (the first `keep` of them, and how many).
    fn every_report(
        shape: &Shape,
        make: fn(&ServedCounts) -> Report,
        keep: usize,
    ) -> (u64, Vec<String>, u64) {
        let (mut reports, mut found, mut failed) = (0, Vec::new(), 0);
        for served in 0..=shape.most {
            for by_stage in compositions(served, shape.stages.len()) {
                for (by_origin, by_cell) in compositions(served, shape.origins.len())
                    .into_iter()
                    .flat_map(|o| {
                        compositions(served, shape.cells.len())
                            .into_iter()
                            .map(move |c| (o.clone(), c))
                    })
                {
                    for need in (shape.needs)(served) {
                        // The spreads put side by side: one population with all of them.
                        let spread = |parts: &[u64]| -> Vec<usize> {
                            parts
                                .iter()
                                .enumerate()
                                .flat_map(|(k, &n)| std::iter::repeat_n(k, n as usize))
                                .collect()
                        };
                        let people: Vec<Someone> = spread(&by_stage)
                            .into_iter()
                            .zip(spread(&by_origin))
                            .zip(spread(&by_cell))
                            .map(|((s, o), c)| {
                                let (r, g) = shape.cells[c];
                                (shape.stages[s], shape.origins[o], r, g)
                            })
                            .collect();
                        let raw = tables(&people, &[(Need::CivilDocuments, need)]);
                        let report = make(&raw);
                        if let Err(e) = attack(&raw, &report) {
                            failed += 1;
                            if found.len() < keep {
                                found.push(format!(
                                    "{by_stage:?} by stage, {by_origin:?} by origin, \
                                     {by_cell:?} by raça/cor × gênero, {need} with a need: {e}\n{}",
                                    csv::render(&report)
                                ));
                            }
                        }
                        reports += 1;
                    }
                }
            }
        }
        (reports, found, failed)
    }

    const TWO_STAGES: &[Stage] = &[Stage::Released, Stage::Family];
    const TWO_BY_TWO: &[(Race, GenderGroup)] = &[
        (Race::White, GenderGroup::CisMan),
        (Race::White, GenderGroup::CisWoman),
        (Race::Black, GenderGroup::CisMan),
        (Race::Black, GenderGroup::CisWoman),
    ];

    /// Attacks every report of `shape`; prints how many and how long (for the record).
    fn check_every_report(shape: &Shape) {
        let start = Instant::now();
        let (reports, found, failed) = every_report(shape, report, 3);
        println!(
            "{reports} reports of up to {} people ({} stages, {} raça/cor × gênero cells) \
             attacked in {:.1?}",
            shape.most,
            shape.stages.len(),
            shape.cells.len(),
            start.elapsed()
        );
        assert!(
            found.is_empty(),
            "{failed} reports give counts away:\n{}",
            found.join("\n")
        );
    }

    /// Issue 14's proof: no report of up to 12 people gives a hidden count away to a reader of
    /// all its tables (see `Shape`, and "What a report may tell" in ARCHITECTURE.md for what
    /// "every report" covers).
    #[test]
    fn no_report_of_up_to_twelve_people_gives_away_a_hidden_count() {
        check_every_report(&Shape {
            stages: TWO_STAGES,
            cells: TWO_BY_TWO,
            origins: NO_ORIGIN,
            most: 12,
            needs: nobody_or_everybody,
        });
    }

    /// The same over three stages and three raça/cor × gênero cells, with every count of a
    /// need, for up to 6 people.
    #[test]
    fn no_report_of_up_to_six_people_in_three_groups_gives_away_a_hidden_count() {
        check_every_report(&Shape {
            stages: &[Stage::PreRelease, Stage::Released, Stage::Family],
            cells: &[
                (Race::White, GenderGroup::CisWoman),
                (Race::Black, GenderGroup::CisMan),
                (Race::Brown, GenderGroup::TransWoman),
            ],
            origins: NO_ORIGIN,
            most: 6,
            needs: any_number,
        });
    }

    /// With origin recorded: two origins and the not informed, two stages, two by two raça/cor
    /// × gênero cells, for up to 6 people (the origin table is a third count of the same people).
    #[test]
    fn no_report_of_up_to_six_people_by_origin_gives_away_a_hidden_count() {
        check_every_report(&Shape {
            stages: TWO_STAGES,
            cells: TWO_BY_TWO,
            origins: &[Some(Origin::Gate), Some(Origin::WalkIn), None],
            most: 6,
            needs: nobody_or_everybody,
        });
    }

    /// Each table suppressed on its own, as before issue 14.
    fn report_alone(raw: &ServedCounts) -> Report {
        let tables = ServedTables {
            stage: raw.stage.suppress(),
            race_gender: raw.race_gender.suppress(),
            needs: raw.needs.suppress(),
            outreach: raw.outreach.suppress(),
            origin: raw.origin.suppress(),
        };
        let mut report = report(raw);
        report.sections = tables.sections(0).into();
        report
    }

    /// The reader is not toothless: against tables suppressed one by one it works out counts.
    #[test]
    fn the_reader_works_out_what_tables_suppressed_alone_give_away() {
        let raw = counts(&[(RELEASED_WHITE_MAN, 5), (RELEASED_BLACK_WOMAN, 1)], &[]);
        let seen = attack(&raw, &report_alone(&raw)).expect_err("the case seen");
        assert!(
            seen.contains("hidden but worked out"),
            "{seen}\n{}",
            csv::render(&report_alone(&raw))
        );
        let shape = Shape {
            stages: TWO_STAGES,
            cells: TWO_BY_TWO,
            origins: NO_ORIGIN,
            most: 8,
            needs: nobody_or_everybody,
        };
        let (reports, found, _) = every_report(&shape, report_alone, usize::MAX);
        let worked_out = found.iter().filter(|e| e.contains("worked out")).count();
        println!("tables suppressed alone: {worked_out} of {reports} reports give a count away");
        assert!(worked_out > 0);
    }
}

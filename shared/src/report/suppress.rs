//! Small-cell suppression: no count of 1 to 4 people is shown, and no total lets a reader work
//! one out.
//!
//! The rule, on the table extended with its totals (row totals as a last column, column totals
//! as a last row, the grand total in the corner):
//!
//! 1. **Primary**: every entry (cell or total) from 1 to 4 is hidden and shown as "<5". Zeros
//!    are shown: "nobody" identifies no one.
//! 2. **Complementary**: each row and column of the extended table is a sum (its cells add up
//!    to its total). Whenever a reader could work out a hidden entry, the smallest shown,
//!    non-zero entry of a line through it is hidden too and shown as "X" (at least 5, hidden to
//!    protect another cell): the first, in order, after which the entry can no longer be worked
//!    out — cells before totals, smaller before larger, the grand total last (it is the number
//!    of people served, which other sections repeat).
//! 3. **Audit** — "could work out" is decided as a reader would: every shown entry is known,
//!    a "<5" lies in 1..=4, an "X" is at least 5, and every line is an equation. Bounds are
//!    narrowed through the equations until nothing changes (interval propagation); a hidden
//!    entry whose bounds meet is recoverable. This catches the cases the classic "two hidden
//!    per line" rule misses: a row `[1, 1, 30 | 32]` (both "<5" must be 1) or `[1, 5, 20 | 26]`
//!    ("<5" + "X" = 6 means 1 and 5). If no shown entry is left to hide on the lines of a
//!    recoverable entry, one elsewhere is hidden (the first, in the same order, after which
//!    the entry can no longer be worked out); if none is left at all, every non-zero entry
//!    of the table is shown as "X", "<5" included
//!    (a table of four people, one in each cell, cannot say "<5" anywhere: four "<5" cells
//!    adding to a "<5" total must all be 1). A reader then knows only which entries are zero.
//!
//! Tables where a person may count in several rows (needs, places) are not sums and have no
//! totals: alone, only step 1 applies to them.
//!
//! **Across the tables of a report** ([`Joint`], and [`suppress_together`] for the common
//! case): tables that count the same people, or the same referrals, are one problem, not
//! several. Their entries go into one grid with every relation a reader knows: each table's
//! rows and columns; one number published in several tables (people served, by stage and by
//! raça/cor × gênero; the referrals of each status, by service and by raça/cor) as a line of
//! its own; a sum across tables (the people with a need, split by gênero, add up to the need's
//! count); and "at most" (a need's count is at most the people served; the people of a gênero
//! with a need are at most the people of that gênero). Steps 1–3 then run once over all of it:
//! a line with a single hidden entry (a total hidden in one table and shown in another) gets a
//! second one, and the audit narrows bounds through every table at once, so a "<5" that one
//! table's cells and another table's total pin down is found and protected — the count of a
//! need may itself become "X" (at least 5). When the lines through an entry that can be worked
//! out have nothing left to hide, the figure that gives it away is elsewhere, so the next "X"
//! is chosen among every shown entry of the problem, in the same order. An "X" is at least 5
//! as long as a "<5" is left anywhere in the problem; when nothing else helps, every non-zero
//! entry of every table of the problem becomes "X" (no "<5" is left, so a reader knows an "X"
//! only as "not zero").

use super::{Cell, Counts, Table, Totals, MIN_CELL};

/// How the reader sees an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Value,
    Small,
    Hidden,
}

/// Where one table's entries lie in a [`Grid`].
#[derive(Debug, Clone)]
struct Part {
    offset: usize,
    /// The rows and columns of cells in the grid: those with a person in them. Rows and
    /// columns of zeros are left out — they hold nothing to hide and no sum through them can
    /// change — so a table's grid, and what is hidden, is the same wherever its empty rows are.
    rows: Vec<usize>,
    columns: Vec<usize>,
    m: usize,
    n: usize,
    /// Entries per row of the extended table (cells, then the row total if any).
    width: usize,
    row_totals: bool,
    col_totals: bool,
    additive: bool,
}

impl Part {
    fn grand(&self) -> Option<usize> {
        let height = self.m + usize::from(self.col_totals);
        self.additive
            .then_some(self.offset + self.width * height - 1)
    }
}

/// The tables of a report with their totals as one set of entries, and what holds between
/// them: sums (a table's rows and columns, and one number repeated in several tables) and
/// "at most" (people counted in a need are among the people served).
struct Grid {
    values: Vec<u64>,
    shown: Vec<Shown>,
    /// Each line: the entries that add up, then the entry that is their total.
    lines: Vec<(Vec<usize>, usize)>,
    /// `(a, b)`: entry `a` is at most entry `b`.
    at_most: Vec<(usize, usize)>,
    parts: Vec<Part>,
    /// The table of each entry.
    part_of: Vec<usize>,
}

impl Grid {
    fn empty() -> Grid {
        Grid {
            values: Vec::new(),
            shown: Vec::new(),
            lines: Vec::new(),
            at_most: Vec::new(),
            parts: Vec::new(),
            part_of: Vec::new(),
        }
    }

    /// A grid of one table.
    fn new(counts: &Counts) -> Grid {
        let mut grid = Grid::empty();
        grid.add(counts, counts.additive);
        grid
    }

    /// Adds a table (extended with its totals when `additive`); its part's index.
    fn add(&mut self, counts: &Counts, additive: bool) -> usize {
        let (all_m, all_n) = (counts.rows.len(), counts.columns.len());
        // Totals as the whole table has them, whatever rows are left out.
        let row_totals = additive && all_n > 1;
        let col_totals = additive && all_m > 1;
        let mut rows: Vec<usize> = (0..all_m)
            .filter(|&r| counts.cells[r].iter().any(|&v| v > 0))
            .collect();
        let mut columns: Vec<usize> = (0..all_n)
            .filter(|&c| counts.cells.iter().any(|row| row[c] > 0))
            .collect();
        if rows.is_empty() {
            (rows, columns) = ((0..all_m).collect(), (0..all_n).collect());
        }
        let (m, n) = (rows.len(), columns.len());
        let width = n + usize::from(row_totals);
        let height = m + usize::from(col_totals);
        let offset = self.values.len();
        let mut values = vec![0u64; width * height];
        for (r, &row) in rows.iter().enumerate() {
            for (c, &column) in columns.iter().enumerate() {
                let v = counts.cells[row][column];
                values[r * width + c] = v;
                if row_totals {
                    values[r * width + n] += v;
                }
                if col_totals {
                    values[m * width + c] += v;
                }
                if row_totals && col_totals {
                    values[m * width + n] += v;
                }
            }
        }
        if row_totals {
            for r in 0..height {
                let parts = (0..n).map(|c| offset + r * width + c).collect();
                self.lines.push((parts, offset + r * width + n));
            }
        }
        if col_totals {
            for c in 0..width {
                let parts = (0..m).map(|r| offset + r * width + c).collect();
                self.lines.push((parts, offset + m * width + c));
            }
        }
        self.shown.extend(values.iter().map(|&v| {
            if v > 0 && v < MIN_CELL {
                Shown::Small
            } else {
                Shown::Value
            }
        }));
        self.values.extend(values);
        let index = self.parts.len();
        self.part_of.resize(self.values.len(), index);
        self.parts.push(Part {
            offset,
            rows,
            columns,
            m,
            n,
            width,
            row_totals,
            col_totals,
            additive,
        });
        index
    }

    fn hidden(&self, i: usize) -> bool {
        self.shown[i] != Shown::Value
    }

    fn is_grand(&self, i: usize) -> bool {
        self.parts[self.part_of[i]].grand() == Some(i)
    }

    /// The least value a reader knows an "X" has: 5 while a "<5" is left anywhere (an "X"
    /// then hides a shown count, to protect one). When nothing else helped, every non-zero
    /// entry became "X" and no "<5" is left: an "X" is then only known not to be zero.
    fn hidden_least(&self) -> i64 {
        if self.shown.contains(&Shown::Small) {
            MIN_CELL as i64
        } else {
            1
        }
    }

    /// What a reader can narrow each entry down to: `(low, high)`; `None` if the bounds did not
    /// settle (treated as recoverable, to be safe).
    fn reader_bounds(&self) -> Option<Vec<(i64, i64)>> {
        const UNBOUNDED: i64 = 1 << 40;
        let least = self.hidden_least();
        let mut b: Vec<(i64, i64)> = (0..self.values.len())
            .map(|i| match self.shown[i] {
                Shown::Value => (self.values[i] as i64, self.values[i] as i64),
                Shown::Small => (1, MIN_CELL as i64 - 1),
                Shown::Hidden => (least, UNBOUNDED),
            })
            .collect();
        for _ in 0..10_000 {
            let mut changed = false;
            for (parts, total) in &self.lines {
                // An "X" has no upper bound: a sum with one has none either (a large stand-in
                // for "no bound" must not creep down by a few each round).
                let lo: i64 = parts.iter().map(|&p| b[p].0).sum();
                let open = parts.iter().filter(|&&p| b[p].1 >= UNBOUNDED).count();
                let hi: i64 = parts
                    .iter()
                    .map(|&p| b[p].1)
                    .filter(|&h| h < UNBOUNDED)
                    .sum();
                changed |= narrow(&mut b[*total], lo, if open > 0 { UNBOUNDED } else { hi });
                for &p in parts {
                    let (t_lo, t_hi) = b[*total];
                    let lo_others = lo - b[p].0;
                    let p_open = b[p].1 >= UNBOUNDED;
                    let others_open = open > usize::from(p_open);
                    let least = if others_open {
                        0
                    } else {
                        t_lo - (hi - if p_open { 0 } else { b[p].1 })
                    };
                    let most = if t_hi >= UNBOUNDED {
                        UNBOUNDED
                    } else {
                        t_hi - lo_others
                    };
                    changed |= narrow(&mut b[p], least, most);
                }
            }
            for &(a, most) in &self.at_most {
                let (a_lo, most_hi) = (b[a].0, b[most].1);
                changed |= narrow(&mut b[a], i64::MIN, most_hi);
                changed |= narrow(&mut b[most], a_lo, i64::MAX);
            }
            if b.iter().any(|(lo, hi)| lo > hi) {
                // Cannot happen with true values; settle on "recoverable" to be safe.
                return None;
            }
            if !changed {
                return Some(b);
            }
        }
        None
    }

    /// A hidden entry a reader can work out, if any.
    fn recoverable(&self) -> Option<Option<usize>> {
        let Some(bounds) = self.reader_bounds() else {
            return Some(None);
        };
        (0..self.values.len())
            .find(|&i| self.hidden(i) && bounds[i].0 >= bounds[i].1)
            .map(Some)
    }

    /// The shown non-zero entries among `entries`: cells before totals (a hidden total tends
    /// to call for more hidden totals), smallest first, grand totals last (the number of
    /// people served, which other sections repeat).
    fn candidates(&self, entries: &[usize]) -> Vec<usize> {
        let mut found: Vec<usize> = entries
            .iter()
            .copied()
            .filter(|&i| !self.hidden(i) && self.values[i] > 0)
            .collect();
        let is_total = |i: usize| self.lines.iter().any(|(_, t)| *t == i);
        found.sort_by_key(|&i| (self.is_grand(i), is_total(i), self.values[i], i));
        found.dedup();
        found
    }

    /// Hides one more of `entries`: the first candidate after which `entry` (if given) can no
    /// longer be worked out, else the first candidate. False when there is none.
    fn hide_in(&mut self, entries: &[usize], entry: Option<usize>) -> bool {
        let candidates = self.candidates(entries);
        let Some(&first) = candidates.first() else {
            return false;
        };
        if let Some(entry) = entry {
            for &c in &candidates {
                self.shown[c] = Shown::Hidden;
                let safe = self
                    .reader_bounds()
                    .is_some_and(|b| b[entry].0 < b[entry].1);
                if safe {
                    return true;
                }
                self.shown[c] = Shown::Value;
            }
        }
        self.shown[first] = Shown::Hidden;
        true
    }

    /// The entries of a line.
    fn line_entries(&self, l: usize) -> Vec<usize> {
        let (parts, total) = &self.lines[l];
        parts
            .iter()
            .chain(std::iter::once(total))
            .copied()
            .collect()
    }

    /// The entries that share a sum or an "at most" with `entry`.
    fn related(&self, entry: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for l in 0..self.lines.len() {
            let line = self.line_entries(l);
            if line.contains(&entry) {
                out.extend(line);
            }
        }
        for &(a, b) in &self.at_most {
            if a == entry || b == entry {
                out.extend([a, b]);
            }
        }
        out
    }

    fn protect(&mut self) {
        loop {
            // A line with exactly one hidden entry gives it away at once: hide another there.
            let single = (0..self.lines.len()).find(|&l| {
                self.line_entries(l)
                    .iter()
                    .filter(|&&i| self.hidden(i))
                    .count()
                    == 1
            });
            let fixed = match single {
                Some(l) => {
                    let line = self.line_entries(l);
                    self.hide_in(&line, None)
                }
                None => match self.recoverable() {
                    None => return,
                    Some(Some(entry)) => {
                        // On its own lines first; when they have nothing left to hide, the
                        // figure that pins it is elsewhere (another table's total, a need):
                        // anywhere in the report, before giving up.
                        let related = self.related(entry);
                        let everywhere: Vec<usize> = (0..self.values.len()).collect();
                        self.hide_in(&related, Some(entry))
                            || self.hide_in(&everywhere, Some(entry))
                    }
                    Some(None) => false,
                },
            };
            if !fixed {
                // Even "<5" says too much here: every non-zero entry becomes "X".
                for i in 0..self.values.len() {
                    if self.values[i] > 0 {
                        self.shown[i] = Shown::Hidden;
                    }
                }
                return;
            }
        }
    }

    fn cell(&self, i: usize) -> Cell {
        match self.shown[i] {
            Shown::Value => Cell::Count(self.values[i]),
            Shown::Small => Cell::Small,
            Shown::Hidden => Cell::Hidden,
        }
    }

    /// Table `part` as it may be shown (the rows and columns left out of the grid are zeros).
    fn table(&self, part: usize, counts: &Counts) -> Table {
        let p = &self.parts[part];
        let (w, o) = (p.width, p.offset);
        let (all_m, all_n) = (counts.rows.len(), counts.columns.len());
        let row = |r: usize| p.rows.iter().position(|&k| k == r);
        let column = |c: usize| p.columns.iter().position(|&k| k == c);
        let zero = Cell::Count(0);
        let cells = (0..all_m)
            .map(|r| {
                (0..all_n)
                    .map(|c| match (row(r), column(c)) {
                        (Some(r), Some(c)) => self.cell(o + r * w + c),
                        _ => zero,
                    })
                    .collect()
            })
            .collect();
        let totals = p.additive.then(|| Totals {
            rows: if p.row_totals {
                (0..all_m)
                    .map(|r| row(r).map_or(zero, |r| self.cell(o + r * w + p.n)))
                    .collect()
            } else {
                Vec::new()
            },
            columns: if p.col_totals {
                (0..all_n)
                    .map(|c| column(c).map_or(zero, |c| self.cell(o + p.m * w + c)))
                    .collect()
            } else {
                Vec::new()
            },
            all: p.grand().map_or(zero, |g| self.cell(g)),
        });
        Table {
            rows: counts.rows.clone(),
            columns: counts.columns.clone(),
            cells,
            totals,
        }
    }
}

/// Narrows `b` to `[lo, hi]`; whether it changed.
fn narrow(b: &mut (i64, i64), lo: i64, hi: i64) -> bool {
    let next = (b.0.max(lo), b.1.min(hi));
    let changed = next != *b;
    *b = next;
    changed
}

/// A table with no rows or no columns: nothing to hide, a total of zero.
fn empty_table(counts: &Counts) -> Table {
    Table {
        rows: counts.rows.clone(),
        columns: counts.columns.clone(),
        cells: vec![Vec::new(); counts.rows.len()],
        totals: counts.additive.then_some(Totals {
            rows: Vec::new(),
            columns: Vec::new(),
            all: Cell::Count(0),
        }),
    }
}

impl Counts {
    /// The table as it may be shown (see the module's rule).
    pub fn suppress(&self) -> Table {
        if self.rows.is_empty() || self.columns.is_empty() {
            return empty_table(self);
        }
        let mut grid = Grid::new(self);
        if self.additive {
            grid.protect();
        }
        grid.table(0, self)
    }
}

/// An entry of a table extended with its totals. A table of one column has no row totals: its
/// cells are them (and likewise a table of one row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Cell(usize, usize),
    RowTotal(usize),
    ColumnTotal(usize),
    Grand,
}

/// Tables of one report suppressed as one problem ("Across the tables of a report"): each
/// table with its own sums, and every relation between entries of different tables a reader
/// knows — one number published twice, a sum, an "at most". Tables are named by the index
/// [`Joint::add`] gave them.
pub struct Joint<'a> {
    grid: Grid,
    tables: Vec<(&'a Counts, Option<usize>)>,
}

impl Default for Joint<'_> {
    fn default() -> Self {
        Joint {
            grid: Grid::empty(),
            tables: Vec::new(),
        }
    }
}

impl<'a> Joint<'a> {
    /// Adds a table, with its totals when it is additive; its index.
    pub fn add(&mut self, counts: &'a Counts) -> usize {
        let empty = counts.rows.is_empty() || counts.columns.is_empty();
        let part = (!empty).then(|| self.grid.add(counts, counts.additive));
        self.tables.push((counts, part));
        self.tables.len() - 1
    }

    /// Where entry `e` of table `t` lies in the grid; `None` when it is in a row or column of
    /// zeros left out of it (a zero, which no relation can move).
    fn place(&self, (t, e): (usize, Entry)) -> Option<usize> {
        let (counts, part) = self.tables.get(t)?;
        let p = &self.grid.parts[(*part)?];
        let row = |r: usize| p.rows.iter().position(|&k| k == r);
        let column = |c: usize| p.columns.iter().position(|&k| k == c);
        let at = |r: usize, c: usize| p.offset + r * p.width + c;
        match e {
            Entry::Cell(r, c) => Some(at(row(r)?, column(c)?)),
            Entry::RowTotal(r) if p.row_totals => Some(at(row(r)?, p.n)),
            Entry::RowTotal(r) if counts.columns.len() == 1 => self.place((t, Entry::Cell(r, 0))),
            Entry::ColumnTotal(c) if p.col_totals => Some(at(p.m, column(c)?)),
            Entry::ColumnTotal(c) if counts.rows.len() == 1 => self.place((t, Entry::Cell(0, c))),
            Entry::Grand => p.grand(),
            _ => None,
        }
    }

    /// `parts` add up to `total`.
    pub fn sum(&mut self, parts: &[(usize, Entry)], total: (usize, Entry)) {
        let parts: Vec<usize> = parts.iter().filter_map(|&e| self.place(e)).collect();
        if let (false, Some(total)) = (parts.is_empty(), self.place(total)) {
            self.grid.lines.push((parts, total));
        }
    }

    /// `a` and `b` are one number, shown in two places.
    pub fn same(&mut self, a: (usize, Entry), b: (usize, Entry)) {
        self.sum(&[a], b);
    }

    /// `a` is at most `b`.
    pub fn at_most(&mut self, a: (usize, Entry), b: (usize, Entry)) {
        if let (Some(a), Some(b)) = (self.place(a), self.place(b)) {
            self.grid.at_most.push((a, b));
        }
    }

    /// Every table as it may be shown, in the order added.
    pub fn suppress(mut self) -> Vec<Table> {
        self.grid.protect();
        self.tables
            .iter()
            .map(|(counts, part)| match part {
                Some(p) => self.grid.table(*p, counts),
                None => empty_table(counts),
            })
            .collect()
    }
}

#[cfg(test)]
impl Joint<'_> {
    /// Whether a reader who knows every relation of this problem works out a hidden entry of
    /// `shown` (its tables as published, in the order added) — the audit, run on tables made
    /// by anything.
    pub(crate) fn gives_away(mut self, shown: &[Table]) -> bool {
        for (t, table) in shown.iter().enumerate() {
            let Some(p) = self.tables.get(t).and_then(|x| x.1) else {
                continue;
            };
            let p = self.grid.parts[p].clone();
            let Some(totals) = &table.totals else {
                for (r, &row) in p.rows.iter().enumerate() {
                    for (c, &column) in p.columns.iter().enumerate() {
                        self.grid.shown[p.offset + r * p.width + c] =
                            seen(table.cells[row][column]);
                    }
                }
                continue;
            };
            for i in 0..p.width * (p.m + usize::from(p.col_totals)) {
                let (r, c) = (i / p.width, i % p.width);
                let cell = match (p.rows.get(r), p.columns.get(c)) {
                    (Some(&row), Some(&column)) => table.cells[row][column],
                    (Some(&row), None) => totals.rows[row],
                    (None, Some(&column)) => totals.columns[column],
                    (None, None) => totals.all,
                };
                self.grid.shown[p.offset + i] = seen(cell);
            }
        }
        self.grid.recoverable().is_some()
    }
}

#[cfg(test)]
fn seen(cell: Cell) -> Shown {
    match cell {
        Cell::Count(_) => Shown::Value,
        Cell::Small => Shown::Small,
        _ => Shown::Hidden,
    }
}

/// Tables of one report about the same people, suppressed together (see the module's rule,
/// "Across the tables of a report"): `same_people` are tables with totals whose grand totals
/// are all the number of people served (by stage; by raça/cor × gênero), `among_them` tables
/// whose every cell counts some of those people (each need; each outreach place). The tables
/// come back in the order given, `same_people` first.
pub fn suppress_together(same_people: &[&Counts], among_them: &[&Counts]) -> Vec<Table> {
    let mut joint = Joint::default();
    let grands: Vec<usize> = same_people.iter().map(|c| joint.add(c)).collect();
    for pair in grands.windows(2) {
        joint.same((pair[0], Entry::Grand), (pair[1], Entry::Grand));
    }
    for counts in among_them {
        let t = joint.add(counts);
        if let Some(&served) = grands.first() {
            for r in 0..counts.rows.len() {
                for c in 0..counts.columns.len() {
                    joint.at_most((t, Entry::Cell(r, c)), (served, Entry::Grand));
                }
            }
        }
    }
    joint.suppress()
}

#[cfg(test)]
mod tests {
    use super::super::Label;
    use super::*;

    fn counts(cells: &[&[u64]], additive: bool) -> Counts {
        let rows = (0..cells.len())
            .map(|i| Label::new(format!("r{i}"), format!("linha {i}")))
            .collect();
        let columns = (0..cells[0].len())
            .map(|i| Label::new(format!("c{i}"), format!("coluna {i}")))
            .collect();
        Counts {
            rows,
            columns,
            cells: cells.iter().map(|r| r.to_vec()).collect(),
            additive,
        }
    }

    /// The table as text: cells, then `| row total`, then a last line of column totals and the
    /// grand total.
    fn shown(t: &Table) -> String {
        let mut out = Vec::new();
        for (r, row) in t.cells.iter().enumerate() {
            let mut line: Vec<String> = row.iter().map(Cell::to_string).collect();
            if let Some(tot) = &t.totals {
                if let Some(rt) = tot.rows.get(r) {
                    line.push(format!("| {rt}"));
                }
            }
            out.push(line.join(" "));
        }
        if let Some(tot) = &t.totals {
            let mut line: Vec<String> = tot.columns.iter().map(Cell::to_string).collect();
            line.push(format!("= {}", tot.all));
            out.push(line.join(" "));
        }
        out.join(" / ")
    }

    fn check(cells: &[&[u64]], additive: bool, expect: &str) {
        let table = counts(cells, additive).suppress();
        assert_eq!(shown(&table), expect, "{cells:?}");
        assert_no_entry_recoverable(cells, &table);
    }

    /// The audit's view of the shown table: every "<5" keeps a range of possible values.
    fn assert_no_entry_recoverable(cells: &[&[u64]], table: &Table) {
        if table.totals.is_none() {
            return;
        }
        let mut g = Grid::new(&counts(cells, true));
        let p = g.parts[0].clone();
        let (m, n) = (table.rows.len(), table.columns.len());
        for i in 0..g.shown.len() {
            // The grid leaves out rows and columns of zeros: its entry in the whole table.
            let (r, c) = (i / p.width, i % p.width);
            let r = if r < p.m { p.rows[r] } else { m };
            let c = if c < p.n { p.columns[c] } else { n };
            g.shown[i] = match entry(table, n + 1, r * (n + 1) + c) {
                Cell::Count(_) => Shown::Value,
                Cell::Small => Shown::Small,
                _ => Shown::Hidden,
            };
        }
        let bounds = g.reader_bounds().expect("bounds settle");
        for (i, b) in bounds.iter().enumerate() {
            if g.hidden(i) {
                assert!(b.0 < b.1, "entry {i} recoverable: {b:?} in {cells:?}");
            }
        }
    }

    /// Entry `i` of the extended grid (cells, row totals, column totals, grand total).
    fn entry(table: &Table, width: usize, i: usize) -> Cell {
        let (m, n) = (table.rows.len(), table.columns.len());
        let t = table.totals.as_ref().expect("totals");
        let (r, c) = (i / width, i % width);
        match (r < m, c < n) {
            (true, true) => table.cells[r][c],
            (true, false) => t.rows[r],
            (false, true) => t.columns[c],
            (false, false) => t.all,
        }
    }
    #[test]
    fn known_answers() {
        // Nothing small: everything shown.
        check(
            &[&[10, 20], &[30, 40]],
            true,
            "10 20 | 30 / 30 40 | 70 / 40 60 = 100",
        );
        // One small cell: its row and column each get a second hidden entry, which forms a
        // rectangle with the smallest cell diagonal to it.
        check(
            &[&[3, 20, 30], &[10, 40, 50]],
            true,
            "<5 X 30 | 53 / X X 50 | 100 / 13 60 80 = 153",
        );
        // Two "<5" in a row that must both be 1 (sum 2): one more entry is hidden.
        check(
            &[&[1, 1, 30], &[20, 20, 20]],
            true,
            "<5 <5 X | 32 / X X X | 60 / 21 21 50 = 92",
        );
        // Zeros are shown; a table of one column has no row totals (its one column total is
        // the grand total).
        check(&[&[0], &[7], &[12]], true, "0 / 7 / 12 / 19 = 19");
        check(&[&[2], &[7], &[12]], true, "<5 / X / 12 / 21 = 21");
        // A small total is small too.
        check(&[&[2], &[0], &[0]], true, "<5 / 0 / 0 / <5 = <5");
        // Needs: a person counts in several rows, so there are no totals to protect.
        check(&[&[2], &[7], &[30]], false, "<5 / 7 / 30");
        // A small column total (few people of a gender) is protected by another column's.
        check(
            &[&[2, 30, 40], &[1, 30, 40]],
            true,
            "<5 X 40 | 72 / <5 X 40 | 71 / <5 X 80 = 143",
        );
    }

    #[test]
    fn an_empty_table_has_a_zero_total() {
        let empty = Counts::new(Vec::new(), vec![Label::new("c", "coluna")], true).suppress();
        assert_eq!(empty.totals.expect("totals").all, Cell::Count(0));
        assert!(empty.cells.is_empty());
    }

    #[test]
    fn a_one_and_a_five_that_add_to_six_are_not_left_alone() {
        // [1, 5, 20 | 26]: "<5" + "X" = 6 would make them 1 and 5.
        let table = counts(&[&[1, 5, 20], &[9, 9, 9]], true).suppress();
        assert_no_entry_recoverable(&[&[1, 5, 20], &[9, 9, 9]], &table);
        assert_eq!(table.cells[0][0], Cell::Small);
    }

    #[test]
    fn every_small_table_of_a_few_people_is_safe() {
        // Every 2×3 table with cells from 0 to 6: each small cell is "<5", totals under 5 are
        // hidden, and the audit finds nothing recoverable.
        let mut checked = 0;
        for code in 0..7u64.pow(6) {
            let v: Vec<u64> = (0..6).map(|k| code / 7u64.pow(k) % 7).collect();
            let cells: [&[u64]; 2] = [&v[0..3], &v[3..6]];
            let table = counts(&cells, true).suppress();
            assert_no_entry_recoverable(&cells, &table);
            for (i, row) in cells.iter().enumerate() {
                for (j, &value) in row.iter().enumerate() {
                    if (1..5).contains(&value) {
                        assert!(matches!(table.cells[i][j], Cell::Small | Cell::Hidden));
                    }
                }
            }
            let t = table.totals.as_ref().expect("totals");
            assert!(t
                .rows
                .iter()
                .chain(&t.columns)
                .chain([&t.all])
                .all(|c| match c {
                    Cell::Count(n) => *n == 0 || *n >= 5,
                    _ => true,
                }));
            checked += 1;
        }
        assert_eq!(checked, 117_649);
    }

    #[test]
    fn no_small_cell_of_a_two_by_two_table_has_only_one_possible_value() {
        // Independent of the audit: for every 2×2 table with cells 0..=6, list every table with
        // cells 0..=11 that shows the same (same shown values, "<5" in 1..=4, "X" at least 5)
        // and check that each "<5" cell takes more than one value among them.
        let mut hidden = 0;
        for code in 0..7u64.pow(4) {
            let v: Vec<u64> = (0..4).map(|k| code / 7u64.pow(k) % 7).collect();
            let cells: [&[u64]; 2] = [&v[0..2], &v[2..4]];
            let table = counts(&cells, true).suppress();
            let shown: Vec<Cell> = (0..9).map(|i| entry(&table, 3, i)).collect();
            let mut seen: Vec<std::collections::BTreeSet<u64>> = vec![Default::default(); 4];
            for other in 0..12u64.pow(4) {
                let w = [other % 12, other / 12 % 12, other / 144 % 12, other / 1728];
                let grid = [
                    w[0],
                    w[1],
                    w[0] + w[1],
                    w[2],
                    w[3],
                    w[2] + w[3],
                    w[0] + w[2],
                    w[1] + w[3],
                    w[0] + w[1] + w[2] + w[3],
                ];
                let x_least = if shown.contains(&Cell::Small) { 5 } else { 1 };
                let same = grid.iter().zip(&shown).all(|(&x, s)| match s {
                    Cell::Count(n) => x == *n,
                    Cell::Small => (1..5).contains(&x),
                    _ => x >= x_least,
                });
                if same {
                    for k in 0..4 {
                        seen[k].insert(w[k]);
                    }
                }
            }
            for k in 0..4 {
                if shown[k + k / 2] != Cell::Count(v[k]) {
                    assert!(
                        seen[k].len() > 1,
                        "cell {k} of {v:?} recoverable: {shown:?}"
                    );
                    hidden += 1;
                }
            }
        }
        assert!(
            hidden > 1_000,
            "the check looked at hidden cells ({hidden})"
        );
    }
}

//! A report as CSV: UTF-8 with a byte-order mark (so spreadsheet programs in pt-BR read the
//! accents), semicolons between fields (the comma is the decimal separator in pt-BR), one header
//! row, one line per value in long form — `escritorio;periodo;secao;linha;coluna;valor` — so a
//! whole report is one file a spreadsheet can pivot. Totals are lines whose `linha` or `coluna`
//! is "Total"; figures have `coluna` empty. Only what a `Report` holds is written, and a
//! `Report` holds only suppressed values.

use std::fmt::Write;

use super::Report;

pub const HEADER: &str = "escritorio;periodo;secao;linha;coluna;valor";

/// Quotes a field when it holds a separator, a quote or a line break; a text a spreadsheet
/// would run as a formula is made inert first ([`inert`]).
fn field(text: &str) -> String {
    let text = inert(text);
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

/// A cell a spreadsheet will not run as a formula (CSV injection): one that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets an apostrophe in front, which spreadsheets
/// show as text. Names of offices, services and sections come from people and files, so any of
/// them could hold `=HYPERLINK(…)`. A phone or a number written only with digits, spaces and
/// `+ - ( ) . , /` ("+55 27 3132-1234", "-3") cannot call anything and is left as it is, so
/// exported phones stay usable.
pub fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let only_a_number = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | ',' | '/'));
    if risky && !only_a_number {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(HEADER);
    out.push_str("\r\n");
    let mut line = |section: &str, row: &str, column: &str, value: &str| {
        let _ = write!(
            out,
            "{};{};{};{};{};{}\r\n",
            field(&report.office),
            report.period,
            field(section),
            field(row),
            field(column),
            field(value)
        );
    };
    for s in &report.sections {
        let t = &s.table;
        for (r, row) in t.rows.iter().enumerate() {
            for (c, column) in t.columns.iter().enumerate() {
                line(
                    &s.title,
                    &row.text,
                    &column.text,
                    &t.cells[r][c].to_string(),
                );
            }
            if let Some(total) = t.totals.as_ref().and_then(|tot| tot.rows.get(r)) {
                line(&s.title, &row.text, "Total", &total.to_string());
            }
        }
        if let Some(tot) = &t.totals {
            for (c, column) in t.columns.iter().enumerate() {
                if let Some(total) = tot.columns.get(c) {
                    line(&s.title, "Total", &column.text, &total.to_string());
                }
            }
            line(&s.title, "Total", "Total", &tot.all.to_string());
        }
        for f in &s.figures {
            line(&s.title, &f.label, "", &f.value.to_string());
        }
    }
    out
}

/// Every table value of a CSV (figures, whose `coluna` is empty, left out), for checks: none
/// of them may be a count from 1 to 4.
pub fn values(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .filter_map(|l| {
            let mut fields = l.rsplit(';');
            let value = fields.next()?;
            let column = fields.next()?;
            (!column.is_empty()).then(|| value.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Counts, Label, Period, Section};
    use super::*;

    #[test]
    fn formulas_are_made_inert_and_phones_and_numbers_are_kept() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\";\"clique\")",
                "'=HYPERLINK(\"http://x\";\"clique\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("+55 27 3132-1234", "+55 27 3132-1234"),
            ("-3", "-3"),
            ("(27) 3132-1234", "(27) 3132-1234"),
            ("CRAS Centro", "CRAS Centro"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(inert(input), want, "{input:?}");
        }
    }

    #[test]
    fn one_line_per_value_and_only_suppressed_values() {
        let mut counts = Counts::new(
            vec![
                Label::new("a", "Parda"),
                Label::new("b", "Preta; ou \"negra\""),
            ],
            vec![Label::new("x", "Mulher cis"), Label::new("y", "Homem cis")],
            true,
        );
        counts.cells = vec![vec![2, 40], vec![30, 50]];
        let report = Report {
            office: "es-vitoria".into(),
            period: Period::parse("2026-11").expect("period"),
            generated_at: "2026-12-01T12:00:00Z".parse().expect("instant"),
            offices: vec!["es-vitoria".into()],
            sections: vec![Section {
                id: "raca-genero".into(),
                title: "Pessoas atendidas por raça/cor e gênero".into(),
                table: counts.suppress(),
                figures: Vec::new(),
                note: String::new(),
            }],
        };
        let csv = render(&report);
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], HEADER);
        assert_eq!(
            lines[1],
            "es-vitoria;2026-11;Pessoas atendidas por raça/cor e gênero;Parda;Mulher cis;<5"
        );
        assert!(lines.contains(
            &"es-vitoria;2026-11;Pessoas atendidas por raça/cor e gênero;\"Preta; ou \"\"negra\"\"\";Homem cis;X"
        ));
        assert_eq!(lines.len(), 1 + 4 + 2 + 2 + 1);
        for v in values(&csv) {
            assert!(
                !matches!(v.parse::<u64>(), Ok(1..=4)),
                "a small count in the CSV: {v}"
            );
        }
        assert!(!csv.contains(";2\r\n") && !csv.contains(";30\r\n"));
    }
}

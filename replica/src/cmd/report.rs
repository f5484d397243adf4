//! `esv report --office X --month AAAA-MM [--csv | --send]`: the office's monthly monitoring
//! report as text tables (one under each chart of the console), CSV or JSON — suppressed in
//! every form — or sent to the server for the national roll-up.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use esv_replica::Store;
use esv_shared::report::{self, Period, Report, Table};

pub enum Format {
    Text,
    Csv,
    Json,
}

pub fn run(
    store: &mut Store,
    office: &str,
    month: &str,
    format: Format,
    send: bool,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let period = Period::parse(month).map_err(|e| e.to_string())?;
    if send {
        let got = store
            .send_monthly_report(office, period, now)
            .map_err(|e| e.to_string())?;
        return Ok(format!(
            "Relatório de {} de {} enviado para o consolidado nacional.\n",
            got.office,
            got.period.label()
        ));
    }
    let report = store
        .monthly_report(office, period, now)
        .map_err(|e| e.to_string())?;
    Ok(match format {
        Format::Text => text(&report),
        Format::Csv => report::csv::render(&report),
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            out.push('\n');
            out
        }
    })
}

/// A report as plain-text tables.
pub fn text(report: &Report) -> String {
    let mut out = format!(
        "Relatório de monitoramento — {} — {}\n(células com menos de 5 pessoas aparecem como \
         \"<5\"; \"X\" é um valor escondido para que os totais não revelem um \"<5\")\n",
        report.office,
        report.period.label()
    );
    for s in &report.sections {
        let _ = write!(out, "\n{}\n", s.title);
        out.push_str(&table(&s.table));
        for f in &s.figures {
            let _ = writeln!(out, "  {}: {}", f.label, f.value);
        }
        if !s.note.is_empty() {
            let _ = writeln!(out, "  ({})", s.note);
        }
    }
    out
}

fn table(t: &Table) -> String {
    let mut header: Vec<String> = vec![String::new()];
    header.extend(t.columns.iter().map(|c| c.text.clone()));
    let row_totals = t.totals.as_ref().is_some_and(|tot| !tot.rows.is_empty());
    if row_totals {
        header.push("Total".into());
    }
    let mut lines = vec![header];
    for (r, row) in t.rows.iter().enumerate() {
        let mut line = vec![row.text.clone()];
        line.extend(t.cells[r].iter().map(ToString::to_string));
        if let Some(tot) = t.totals.as_ref().filter(|_| row_totals) {
            line.push(tot.rows[r].to_string());
        }
        lines.push(line);
    }
    if let Some(tot) = &t.totals {
        if t.rows.len() > 1 {
            let mut line = vec!["Total".to_owned()];
            line.extend(tot.columns.iter().map(ToString::to_string));
            if row_totals {
                line.push(tot.all.to_string());
            }
            lines.push(line);
        }
    }
    if t.rows.is_empty() {
        return "  (nada no mês)\n".into();
    }
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|c| {
            lines
                .iter()
                .map(|l| l.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        out.push_str("  ");
        for (c, cell) in line.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            if c == 0 {
                let _ = write!(out, "{cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(out, "  {}{cell}", " ".repeat(pad));
            }
        }
        out.push('\n');
    }
    out
}

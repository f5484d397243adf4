//! The monthly monitoring report (Staff, Coordinator): people served month by month (a line),
//! each section as SVG bars with its table under it, the figures, "Baixar CSV" and a printable
//! page. Only suppressed values reach this module: a "<5" or "X" cell is drawn as a mark that
//! tells nothing of its size.

use esv_shared::ipc::office::{ReportInput, ReportView, SeriesPoint};
use esv_shared::report::{Cell, FigureValue, Label, Section, Table};
use leptos::prelude::*;

use crate::api;
use crate::common::{BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::office::StaffOnly;
use crate::route::{encode, Route};
use crate::team::on_team_error;

/// The drawing's width in SVG units (it scales to the screen).
const WIDTH: u64 = 320;

#[component]
pub fn ReportsPage(period: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let period = StoredValue::new(period.unwrap_or_default());
    view! {
        <BackLink href=Route::Office.href()>{t!(i18n, office.console)}</BackLink>
        <h1 class="page-title" id="report-title">{t!(i18n, office.reports_title)}</h1>
        <StaffOnly body=move |_| view! { <ReportLoader period=period.get_value() /> }.into_any() />
    }
}

#[component]
fn ReportLoader(period: String) -> impl IntoView {
    let period = StoredValue::new(period);
    let loaded = LocalResource::new(move || {
        api::report(ReportInput {
            period: period.get_value(),
        })
    });
    let retry = Callback::new(move |()| loaded.refetch());
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => {
            on_team_error(&e);
            view! { <ErrorBox error=e retry=retry /> }.into_any()
        }
        Some(Ok(v)) => report_body(v).into_any(),
    }
}

fn report_body(v: ReportView) -> impl IntoView {
    let i18n = use_i18n();
    let current = v.report.period.to_string();
    let csv_href = format!("data:text/csv;charset=utf-8,{}", encode(&v.csv));
    let csv_name = format!("relatorio-{}-{}.csv", v.report.office, current);
    let choose = move |ev| {
        let month = event_target_value(&ev);
        let _ = window()
            .location()
            .set_hash(&Route::Reports(Some(month)).href());
    };
    view! {
        <div class="team-form report-controls">
            <label class="field-label" for="report-month">{t!(i18n, office.report_month)}</label>
            <select id="report-month" on:change=choose>
                {v.months.iter().cloned().map(|(value, label)| {
                    let selected = value == current;
                    view! { <option value=value selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        </div>
        <p class="more-links">
            <a class="button primary" id="report-csv" href=csv_href download=csv_name>{t!(i18n, office.report_csv)}</a>
            <button type="button" class="button" id="report-print" on:click=move |_| { let _ = window().print(); }>
                {t!(i18n, office.report_print)}
            </button>
        </p>
        <article class="report" id="report" data-period=current.clone()>
            <h2 id="report-period">{v.period_label.clone()}</h2>
            <p class="notice">{t!(i18n, office.report_suppression)}</p>
            <section aria-labelledby="series-title" class="report-section" id="series">
                <h3 id="series-title">{t!(i18n, office.report_series)}</h3>
                {series_chart(&v.series)}
                {series_table(&v.series)}
            </section>
            {v.report.sections.into_iter().map(section_view).collect_view()}
        </article>
    }
}

/// A figure as `esv_shared::report::FigureValue`'s `Display` writes it, with the tenths
/// rounded by integers (formatting floats would add their machinery to the module).
fn figure_text(value: &FigureValue) -> String {
    let tenths = |x: f64| {
        let t = (x * 10.0).round() as i64;
        format!("{},{}", t / 10, (t % 10).abs())
    };
    match value {
        FigureValue::Count(c) => c.to_string(),
        FigureValue::Percent(Some(p)) => format!("{}%", tenths(*p)),
        FigureValue::Days(Some(d)) => format!("{} dias", tenths(*d)),
        FigureValue::Percent(None) | FigureValue::Days(None) => {
            "não calculado (poucas pessoas)".to_owned()
        }
    }
}

/// What a screen reader hears for a value.
fn spoken(cell: Cell) -> String {
    match cell {
        Cell::Small => "menos de 5".to_owned(),
        Cell::Hidden => "oculto".to_owned(),
        other => other.to_string(),
    }
}

fn section_view(s: Section) -> impl IntoView {
    let title_id = format!("section-{}", s.id);
    let charts = charts_of(&s.table);
    view! {
        <section class="report-section" id=s.id.clone() aria-labelledby=title_id.clone()>
            <h3 id=title_id.clone()>{s.title.clone()}</h3>
            {charts.into_iter().filter(|(_, items)| !items.is_empty()).map(|(title, items)| bars(&title, items)).collect_view()}
            {table_view(&s.title, &s.table)}
            {(!s.figures.is_empty()).then(|| view! {
                <ul class="plain figures">
                    {s.figures.iter().map(|f| view! {
                        <li data-figure=f.id.clone()><strong>{f.label.clone()}": "</strong>{figure_text(&f.value)}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!s.note.is_empty()).then(|| view! { <p class="hint">{s.note.clone()}</p> })}
        </section>
    }
}

/// The bars a table is drawn as: one column, its cells; several, the rows' totals and the
/// columns' totals (the cross-table itself is the table under them).
fn charts_of(table: &Table) -> Vec<(String, Vec<(String, Cell)>)> {
    let texts = |labels: &[Label]| labels.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
    if table.columns.len() == 1 {
        let cells = table.cells.iter().map(|r| r[0]);
        return vec![(
            table.columns[0].text.clone(),
            texts(&table.rows).into_iter().zip(cells).collect(),
        )];
    }
    match &table.totals {
        Some(t) => vec![
            (
                String::new(),
                texts(&table.rows)
                    .into_iter()
                    .zip(t.rows.iter().copied())
                    .collect(),
            ),
            (
                String::new(),
                texts(&table.columns)
                    .into_iter()
                    .zip(t.columns.iter().copied())
                    .collect(),
            ),
        ],
        None => Vec::new(),
    }
}

/// Horizontal bars, a label over each; the scale is the largest value shown.
fn bars(title: &str, items: Vec<(String, Cell)>) -> impl IntoView {
    let max = items
        .iter()
        .filter_map(|(_, c)| c.count())
        .max()
        .unwrap_or(0)
        .max(1);
    let row = 34;
    let height = row * items.len() as u64 + 4;
    let spoken_all = items
        .iter()
        .map(|(l, c)| format!("{l}: {}", spoken(*c)))
        .collect::<Vec<_>>()
        .join("; ");
    let label = if title.is_empty() {
        spoken_all
    } else {
        format!("{title}. {spoken_all}")
    };
    let marks = items
        .into_iter()
        .enumerate()
        .map(|(i, (text, cell))| {
            let y = row * i as u64;
            let (bar, value) = match cell.count() {
                Some(n) => {
                    let w = (n * (WIDTH - 48) / max).max(n.min(2));
                    (
                        view! { <rect class="bar" x="0" y=y + 16 width=w height="12" rx="2" /> }
                            .into_any(),
                        (w + 4, cell.to_string()),
                    )
                }
                None => (
                    view! { <rect class="bar-unknown" x="1" y=y + 17 width="16" height="11" rx="2" /> }
                        .into_any(),
                    (20, cell.to_string()),
                ),
            };
            view! {
                <text class="bar-label" x="0" y=y + 12>{text}</text>
                {bar}
                <text class="bar-value" x=value.0 y=y + 26>{value.1}</text>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label
            preserveAspectRatio="xMinYMin meet">
            {marks}
        </svg>
    }
}

/// People served per month: a line through the months whose value is shown, broken where a
/// value is "<5" or "X" (drawn as an open circle on the axis).
fn series_chart(series: &[SeriesPoint]) -> impl IntoView {
    let (height, top, bottom, left) = (170u64, 16u64, 30u64, 20u64);
    let max = series
        .iter()
        .filter_map(|p| p.people.count())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = (WIDTH - 2 * left) / (series.len().max(2) as u64 - 1);
    let x = |i: usize| left + step * i as u64;
    let y = |n: u64| top + (height - top - bottom) * (max - n.min(max)) / max;
    let base = height - bottom;
    let mut runs: Vec<Vec<(u64, u64)>> = vec![Vec::new()];
    for (i, p) in series.iter().enumerate() {
        match p.people.count() {
            Some(n) => runs.last_mut().map(|r| r.push((x(i), y(n)))).unwrap_or(()),
            None => runs.push(Vec::new()),
        }
    }
    let lines = runs
        .into_iter()
        .filter(|r| r.len() > 1)
        .map(|r| {
            let points = r
                .iter()
                .map(|(a, b)| format!("{a},{b}"))
                .collect::<Vec<_>>()
                .join(" ");
            view! { <polyline class="series-line" points=points /> }
        })
        .collect_view();
    let marks = series
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let cx = x(i);
            let shown = p.people.count();
            let cy = shown.map_or(base, y);
            let axis = (series.len() - 1 - i).is_multiple_of(2).then(|| {
                view! { <text class="axis-label" x=cx y=height - 10 text-anchor="middle">{p.label.clone()}</text> }
            });
            view! {
                <circle class=if shown.is_some() { "series-dot" } else { "series-unknown" } cx=cx cy=cy r="3.5" />
                <text class="bar-value" x=cx y=cy - 7 text-anchor="middle">{p.people.to_string()}</text>
                {axis}
            }
        })
        .collect_view();
    let label = series
        .iter()
        .map(|p| format!("{}: {}", p.label, spoken(p.people)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label>
            <line class="axis" x1=left y1=base x2=WIDTH - left y2=base />
            {lines}
            {marks}
        </svg>
    }
}

fn series_table(series: &[SeriesPoint]) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, office.report_series)>
            <table class="data-table">
                <caption class="visually-hidden">{t!(i18n, office.report_series)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, office.report_month)}</th>
                    <th scope="col">"Pessoas"</th>
                </tr></thead>
                <tbody>
                    {series.iter().map(|p| view! {
                        <tr data-period=p.period.clone()><th scope="row">{p.label.clone()}</th><td>{p.people.to_string()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn table_view(title: &str, table: &Table) -> impl IntoView {
    let i18n = use_i18n();
    let total = t_string!(i18n, office.report_total).to_owned();
    let totals = table.totals.clone();
    let row_totals = totals.as_ref().filter(|t| t.rows.len() == table.rows.len());
    let column_totals = totals
        .as_ref()
        .filter(|t| t.columns.len() == table.columns.len() && table.rows.len() > 1);
    let cell = |c: Cell| {
        let class = match c {
            Cell::Small | Cell::Hidden => "cell-hidden",
            _ => "",
        };
        view! { <td class=class>{c.to_string()}</td> }
    };
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=title.to_owned()>
            <table class="data-table">
                <caption class="visually-hidden">{title.to_owned()}</caption>
                <thead><tr>
                    <td></td>
                    {table.columns.iter().map(|c| view! { <th scope="col">{c.text.clone()}</th> }).collect_view()}
                    {row_totals.map(|_| view! { <th scope="col">{total.clone()}</th> })}
                </tr></thead>
                <tbody>
                    {table.rows.iter().zip(&table.cells).enumerate().map(|(r, (label, cells))| view! {
                        <tr data-row=label.key.clone()>
                            <th scope="row">{label.text.clone()}</th>
                            {cells.iter().copied().map(cell).collect_view()}
                            {row_totals.map(|t| cell(t.rows[r]))}
                        </tr>
                    }).collect_view()}
                </tbody>
                {column_totals.map(|t| view! {
                    <tfoot><tr data-row="total">
                        <th scope="row">{total.clone()}</th>
                        {t.columns.iter().copied().map(cell).collect_view()}
                        {row_totals.map(|_| cell(t.all))}
                    </tr></tfoot>
                })}
            </table>
        </div>
    }
}

//! `/v1/rollup`: the national roll-up of monitoring reports. An office's Staff or Coordinator
//! device sends its month's report, already suppressed on the device (no personal data and no
//! count under 5 leave the office); the server keeps the latest one per (office, month) and,
//! for a Coordinator, adds every office's reports of a month together (`shared::report::
//! rollup`) as JSON or CSV (`Accept: text/csv` or `?format=csv`).
//!
//! There is no national role: any Coordinator may read the roll-up, as any Coordinator may
//! write the national catalog (`shared::sync::may_write`). Reports are not documents: the
//! server reads them, and still never reads an automerge document (invariant 9).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use esv_shared::access::Action;
use esv_shared::report::{self, Cell, FigureValue, Period, Received, Report};
use serde::Deserialize;

use crate::auth::Signed;
use crate::body::{body_bytes, parse_json};
use crate::error::{Result, ServerError};
use crate::state::AppState;

/// A count the report should not carry: one from 1 to 4, or a roll-up's "≥".
fn unsuppressed(r: &Report) -> Option<String> {
    let bad = |c: &Cell| matches!(c, Cell::Count(1..=4) | Cell::AtLeast(_));
    for s in &r.sections {
        let t = &s.table;
        let totals = t.totals.iter().flat_map(|tot| {
            tot.rows
                .iter()
                .chain(&tot.columns)
                .chain(std::iter::once(&tot.all))
        });
        let figures = s.figures.iter().filter_map(|f| match &f.value {
            FigureValue::Count(c) if !f.id.starts_with("buscas-ativas") => Some(c),
            _ => None,
        });
        if t.cells
            .iter()
            .flatten()
            .chain(totals)
            .chain(figures)
            .any(bad)
        {
            return Some(s.title.clone());
        }
        if t.cells.len() != t.rows.len() || t.cells.iter().any(|r| r.len() != t.columns.len()) {
            return Some(s.title.clone());
        }
    }
    None
}

/// `POST /v1/rollup`: an office's report of a month.
pub async fn receive(
    State(state): State<AppState>,
    Signed(device): Signed,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Received>> {
    let report: Report = parse_json(&body_bytes(body)?)?;
    let staff = device.role.may(Action::MakeReports);
    if !staff || report.office != device.office || report.offices != [device.office.clone()] {
        return Err(ServerError::Forbidden(format!(
            "enviar o relatório do escritório {}",
            report.office
        )));
    }
    if let Some(section) = unsuppressed(&report) {
        return Err(ServerError::BadRequest(format!(
            "o relatório traz contagens de menos de 5 pessoas à mostra ou uma tabela \
             malformada ({section}); gere o relatório de novo no aplicativo"
        )));
    }
    let json = serde_json::to_string(&report)?;
    state
        .db
        .put_rollup(
            &report.office,
            &report.period.to_string(),
            &json,
            &state.now(),
        )
        .await?;
    Ok(Json(Received {
        office: report.office,
        period: report.period,
    }))
}

#[derive(Debug, Deserialize)]
pub struct RollupQuery {
    period: String,
    format: Option<String>,
}

/// `GET /v1/rollup?period=AAAA-MM`: every office's reports of that month, added up and
/// suppressed again (any Coordinator).
pub async fn national(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(device): Signed,
    Query(query): Query<RollupQuery>,
) -> Result<Response> {
    if !device.role.may(Action::ReadNationalRollup) {
        return Err(ServerError::Forbidden(
            "ver o consolidado nacional (só a coordenação)".into(),
        ));
    }
    let period =
        Period::parse(&query.period).map_err(|e| ServerError::BadRequest(e.to_string()))?;
    let reports = state
        .db
        .rollups(&period.to_string())
        .await?
        .iter()
        .map(|json| serde_json::from_str::<Report>(json))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let national = report::rollup::roll_up(&reports, period, state.clock.now());
    let csv = query.format.as_deref() == Some("csv")
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/csv"));
    if csv {
        let body = report::csv::render(&national);
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response());
    }
    Ok(Json(national).into_response())
}

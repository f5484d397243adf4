//! `esv hours`, `esv closure`, `esv data-protection` and `esv opportunity`: staff change a
//! place's hours, say who answers for the office's data, or announce an opportunity on this
//! device; the change goes to the office at the next `esv sync`.

use chrono::NaiveDate;
use esv_replica::Store;
use esv_shared::domain::{Opportunity, OpportunityKind, TimeRange};
use esv_shared::hours::spec;

pub fn hours(store: &mut Store, id: &str, weekly: &str) -> Result<String, String> {
    let intervals = spec::parse(weekly).map_err(|e| e.to_string())?;
    let changed = store
        .set_weekly_hours(id, intervals, crate::now())
        .map_err(|e| e.to_string())?;
    Ok(saved(changed))
}

/// `esv data-protection`: the controlador and encarregado the office's consent term names.
pub fn data_protection(
    store: &mut Store,
    office: &str,
    protection: Option<esv_shared::domain::DataProtection>,
) -> Result<String, String> {
    let changed = store
        .set_data_protection(office, protection, crate::now())
        .map_err(|e| e.to_string())?;
    Ok(saved(changed))
}

pub fn closure(
    store: &mut Store,
    id: &str,
    date: &str,
    reason: Option<&str>,
    hours: Option<&str>,
    remove: bool,
) -> Result<String, String> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| format!("data inválida {date:?}; use AAAA-MM-DD, por exemplo 2026-12-24"))?;
    let now = crate::now();
    if remove {
        let changed = store
            .remove_exception(id, date, now)
            .map_err(|e| e.to_string())?;
        return Ok(saved(changed));
    }
    let ranges = match hours {
        None => Vec::new(),
        Some(text) => spec::parse(&format!("seg {text}"))
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|i| TimeRange {
                opens: i.opens,
                closes: i.closes,
            })
            .collect(),
    };
    let reason = reason.ok_or("diga o motivo com --reason (ele aparece para as pessoas)")?;
    let changed = store
        .set_exception(id, date, ranges, reason, now)
        .map_err(|e| e.to_string())?;
    Ok(saved(changed))
}

/// `esv opportunity`: an office announces a job, course or workshop with a deadline.
pub struct OpportunityArgs<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub deadline: &'a str,
    pub requirements: &'a [String],
}

pub fn opportunity(store: &mut Store, a: OpportunityArgs<'_>) -> Result<String, String> {
    let kind = match a.kind {
        "job" | "vaga" | "emprego" => OpportunityKind::Job,
        "course" | "curso" => OpportunityKind::Course,
        "workshop" | "oficina" => OpportunityKind::Workshop,
        other => {
            return Err(format!(
                "tipo desconhecido {other:?}; use vaga, curso ou oficina"
            ))
        }
    };
    let deadline = NaiveDate::parse_from_str(a.deadline, "%Y-%m-%d").map_err(|_| {
        format!(
            "prazo inválido {:?}; use AAAA-MM-DD, por exemplo 2026-12-20",
            a.deadline
        )
    })?;
    let now = crate::now();
    let changed = store
        .put_opportunity(
            Opportunity {
                id: a.id.to_owned(),
                office_id: a.office.to_owned(),
                kind,
                title: a.title.trim().to_owned(),
                description: a.description.trim().to_owned(),
                deadline,
                requirements: a.requirements.to_vec(),
                reviewed_on: now.date_naive(),
            },
            now,
        )
        .map_err(|e| e.to_string())?;
    Ok(saved(changed))
}

fn saved(changed: bool) -> String {
    if changed {
        "Salvo neste aparelho; será enviado ao escritório na próxima sincronização.\n".to_owned()
    } else {
        "Nada mudou.\n".to_owned()
    }
}

//! Opportunities (vagas de emprego, cursos, oficinas) an office announces: staff add them on
//! their device (a document per opportunity, synced like the catalog); citizens see the ones
//! whose deadline has not passed, nearest deadline first. Expired ones simply disappear.

use chrono::{DateTime, Utc};
use esv_shared::document::Entity;
use esv_shared::domain::Opportunity;
use esv_shared::hours;
use esv_shared::ipc::OpportunityView;
use esv_shared::locale::Named;
use esv_shared::words;

use crate::error::{ReplicaError, Result};
use crate::index::Provider;
use crate::store::Store;

impl Store {
    /// Opportunities still open at `now` (in each office's own time zone).
    pub fn opportunities(&mut self, now: DateTime<Utc>) -> Result<Vec<OpportunityView>> {
        // Yesterday in UTC is a safe lower bound for "today" in every Brazilian zone.
        let floor = (now - chrono::Duration::days(1)).date_naive().to_string();
        let rows: Vec<String> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT data FROM opportunities WHERE deadline >= ?1 ORDER BY deadline, id",
            )?;
            let rows = stmt
                .query_map([floor], |r| r.get(0))?
                .collect::<std::result::Result<Vec<String>, _>>()?;
            rows
        };
        let locale = self.locale;
        let index = self.index()?;
        Ok(rows
            .iter()
            .filter_map(|data| serde_json::from_str::<Opportunity>(data).ok())
            .filter_map(|o| {
                let (office, tz) = match index.providers.get(&o.office_id) {
                    Some(Provider::Office(office)) => (
                        office.name.clone(),
                        hours::parse_tz(&office.location.tz)
                            .unwrap_or(chrono_tz::America::Sao_Paulo),
                    ),
                    _ => (o.office_id.clone(), chrono_tz::America::Sao_Paulo),
                };
                let today = now.with_timezone(&tz).date_naive();
                (o.deadline >= today).then(|| OpportunityView {
                    kind_label: o.kind.name_in(locale).to_owned(),
                    deadline_label: words::deadline(locale, o.deadline, today),
                    id: o.id,
                    kind: o.kind,
                    title: o.title,
                    description: o.description,
                    requirements: o.requirements,
                    office,
                    office_id: o.office_id,
                    deadline: o.deadline,
                })
            })
            .collect())
    }

    /// Staff announce (or change) an opportunity: checked, then written as a local change
    /// that the next sync publishes.
    pub fn put_opportunity(&mut self, mut o: Opportunity, now: DateTime<Utc>) -> Result<bool> {
        let mut problems = Vec::new();
        if o.title.trim().is_empty() {
            problems.push("o título está vazio".to_owned());
        }
        if o.description.trim().is_empty() {
            problems.push("a descrição está vazia".to_owned());
        }
        if o.deadline < now.date_naive() {
            problems.push(format!(
                "o prazo {} já passou",
                o.deadline.format("%d/%m/%Y")
            ));
        }
        // The id carries its office (`es-vitoria/curso-eletricista`, see `sync::ownership`);
        // the person types only the part after it.
        let prefix = format!("{}/", o.office_id);
        if let Some(slug) = o.id.strip_prefix(&prefix) {
            o.id = slug.to_owned();
        }
        let id_ok = !o.id.is_empty()
            && o.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            problems.push(format!(
                "o código {:?} deve ter só letras minúsculas, números e hífens",
                o.id
            ));
        }
        match self.index()?.providers.get(&o.office_id) {
            Some(Provider::Office(_)) => {}
            _ => problems.push(format!("nenhum escritório com o código {:?}", o.office_id)),
        }
        if !problems.is_empty() {
            return Err(ReplicaError::BadInput(problems.join("; ")));
        }
        o.id = format!("{prefix}{}", o.id);
        self.edit(&Entity::Opportunity(o), now)
    }
}

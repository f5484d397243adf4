//! The catalog editor as the staff screens use it: a place's weekly hours and closures, read
//! and written from text typed in a form (checked with plain messages), and what needs review.
//! Only Staff and Coordinator accounts of the office edit; a field worker is told so.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use esv_shared::access::Action;
use esv_shared::domain::{TimeRange, WeeklyInterval};
use esv_shared::hours::label;
use esv_shared::ipc::catalog::{
    parse_range, weekday, ClosureInput, DayHours, ExceptionView, HoursEditView, HoursInput,
    ReviewView,
};
use esv_shared::ipc::team::parse_date;

use crate::error::{ReplicaError, Result};
use crate::review::ReviewKind;
use crate::store::Store;

impl Store {
    /// The office whose catalog the signed-in account may edit.
    fn editor(&self) -> Result<String> {
        let who = self.recorder()?;
        if !who.role.may(Action::EditCatalog) {
            return Err(ReplicaError::NotAllowed(
                "Só a equipe do escritório (ou a coordenação) altera o catálogo.".to_owned(),
            ));
        }
        Ok(who.office)
    }

    /// The hours of an office or service, as the editor shows them.
    pub fn hours_edit(&mut self, id: &str, now: DateTime<Utc>) -> Result<HoursEditView> {
        self.editor()?;
        let index = self.index()?;
        let (name, schedule) = match (index.get(id), index.providers.get(id)) {
            (Some(entry), _) => (entry.service.name.clone(), entry.schedule.clone()),
            (None, Some(crate::index::Provider::Office(o))) => {
                (o.name.clone(), Some(o.schedule.clone()))
            }
            _ => return Err(ReplicaError::NotFound(format!("serviço {id}"))),
        };
        let locale = self.locale;
        let schedule = schedule.unwrap_or_else(|| crate::edit::empty_schedule(now.date_naive()));
        let days = (0..7u8)
            .filter_map(|n| weekday(n).map(|d| (n, d)))
            .map(|(n, day)| DayHours {
                weekday: n,
                label: capitalised(label::weekday_long(locale, day)),
                ranges: schedule
                    .intervals
                    .iter()
                    .filter(|i| i.weekday == day)
                    .map(|i| {
                        (
                            i.opens.format("%H:%M").to_string(),
                            // As it would be typed again: `07:00+1` past midnight.
                            esv_shared::hours::interval::show_closing(i.opens, i.closes),
                        )
                    })
                    .collect(),
            })
            .collect();
        let today = now.date_naive();
        let exceptions = schedule
            .exceptions
            .iter()
            .filter(|e| e.date >= today)
            .map(|e| ExceptionView {
                date: e.date.format("%Y-%m-%d").to_string(),
                label: if e.intervals.is_empty() {
                    format!("{}: fechado ({})", e.date.format("%d/%m/%Y"), e.reason)
                } else {
                    format!(
                        "{}: {} ({})",
                        e.date.format("%d/%m/%Y"),
                        label::ranges(locale, &e.intervals),
                        e.reason
                    )
                },
            })
            .collect();
        Ok(HoursEditView {
            id: id.to_owned(),
            name,
            days,
            exceptions,
            reviewed_label: format!(
                "Horário confirmado em {}",
                schedule.reviewed_on.format("%d/%m/%Y")
            ),
        })
    }

    /// New weekly hours from the form; every range is checked before anything is written.
    pub fn hours_set(&mut self, input: &HoursInput, now: DateTime<Utc>) -> Result<HoursEditView> {
        self.editor()?;
        let mut intervals = Vec::new();
        let mut problems = Vec::new();
        for day in &input.days {
            let Some(weekday) = weekday(day.weekday) else {
                continue;
            };
            for (opens, closes) in &day.ranges {
                if opens.trim().is_empty() && closes.trim().is_empty() {
                    continue;
                }
                match parse_range(opens, closes) {
                    Ok((opens, closes)) => intervals.push(WeeklyInterval {
                        weekday,
                        opens,
                        closes,
                    }),
                    Err(m) => problems.push(format!("{}: {m}", day_name(weekday))),
                }
            }
        }
        if !problems.is_empty() {
            return Err(ReplicaError::BadInput(problems.join(" ")));
        }
        self.set_weekly_hours(&input.id, intervals, now)?;
        self.hours_edit(&input.id, now)
    }

    /// A closure (no hours) or special hours on a date.
    pub fn closure_set(
        &mut self,
        input: &ClosureInput,
        now: DateTime<Utc>,
    ) -> Result<HoursEditView> {
        self.editor()?;
        let date = parse_date(&input.date)
            .map_err(ReplicaError::BadInput)?
            .ok_or_else(|| ReplicaError::BadInput("Escreva a data do fechamento.".to_owned()))?;
        let hours = if input.opens.trim().is_empty() && input.closes.trim().is_empty() {
            Vec::new()
        } else {
            let (opens, closes) =
                parse_range(&input.opens, &input.closes).map_err(ReplicaError::BadInput)?;
            vec![TimeRange { opens, closes }]
        };
        self.set_exception(&input.id, date, hours, &input.reason, now)?;
        self.hours_edit(&input.id, now)
    }

    pub fn closure_remove(
        &mut self,
        id: &str,
        date: &str,
        now: DateTime<Utc>,
    ) -> Result<HoursEditView> {
        self.editor()?;
        let date: NaiveDate = parse_date(date)
            .map_err(ReplicaError::BadInput)?
            .ok_or_else(|| ReplicaError::BadInput("Falta a data.".to_owned()))?;
        self.remove_exception(id, date, now)?;
        self.hours_edit(id, now)
    }

    /// What the office has not reviewed for six months, oldest first.
    pub fn review_list(&mut self, now: DateTime<Utc>) -> Result<Vec<ReviewView>> {
        let office = self.editor()?;
        Ok(self
            .needs_review(&office, now)?
            .into_iter()
            .map(|item| ReviewView {
                editable: item.kind != ReviewKind::Article,
                kind_label: capitalised(item.kind.label()),
                id: item.id,
                name: item.name,
                reason: item.reason,
            })
            .collect())
    }
}

fn day_name(day: Weekday) -> String {
    capitalised(label::weekday_long(esv_shared::locale::Locale::PtBr, day))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

//! The office console's views that sit on other modules: the reports screen (a month's
//! suppressed report, the twelve months before it as a time series, its CSV) and a person's
//! LGPD erasure by staff, confirmed by a typed word.

use chrono::{DateTime, Utc};
use esv_shared::access::Action;
use esv_shared::ipc::office::{
    PersonEraseInput, PersonErased, ReportInput, ReportView, SeriesPoint, ERASE_WORD,
};
use esv_shared::report::{self, csv, Cell, Period};
use esv_shared::sync::Scope;

use crate::error::{ReplicaError, Result};
use crate::store::Store;
use crate::sync::SyncError;

/// Months in the time series (the report's own and the eleven before).
pub const SERIES_MONTHS: usize = 12;

impl Store {
    /// The reports screen: `input.period`, or the last whole month in the office's time zone.
    /// Each point of the series is the very cell that month's report shows as its total, so the
    /// chart can never tell more than the reports do.
    pub fn report_view(&mut self, input: &ReportInput, now: DateTime<Utc>) -> Result<ReportView> {
        let office = self
            .account()?
            .ok_or(SyncError::NotSignedIn)?
            .session
            .office;
        let tz = self.office_tz(&office);
        let this_month = Period::containing(now.with_timezone(&tz).date_naive());
        let period = if input.period.trim().is_empty() {
            this_month.previous()
        } else {
            Period::parse(&input.period).map_err(|e| ReplicaError::BadInput(e.to_string()))?
        };
        let report = self.monthly_report(&office, period, now)?;
        let mut series = Vec::with_capacity(SERIES_MONTHS);
        let mut month = period;
        for _ in 0..SERIES_MONTHS {
            let people = if month == period {
                served_total(&report)
            } else if !self.any_encounter_near(month)? {
                // No encounter at all: the report would show 0, so it is not made.
                Cell::Count(0)
            } else {
                served_total(&self.monthly_report(&office, month, now)?)
            };
            series.push(SeriesPoint {
                period: month.to_string(),
                label: month.short_label(),
                people,
            });
            month = month.previous();
        }
        series.reverse();
        let mut months = Vec::with_capacity(24);
        let mut month = this_month;
        for _ in 0..24 {
            months.push((month.to_string(), month.label()));
            month = month.previous();
        }
        Ok(ReportView {
            csv: csv::render(&report),
            period_label: period.label(),
            report,
            series,
            months,
        })
    }

    /// Erases a person of this office — and the records merged into them — on the server and
    /// then here (LGPD). Only the office's Staff and Coordinator, and only after typing
    /// [`ERASE_WORD`]; offline nothing is erased and the error says so.
    pub fn person_erase(
        &mut self,
        input: &PersonEraseInput,
        now: DateTime<Utc>,
    ) -> Result<PersonErased> {
        let who = self.recorder()?;
        if !who.role.may(Action::ManagePeople) {
            return Err(ReplicaError::NotAllowed(
                "Só a equipe do escritório (técnico ou coordenação) apaga os dados de uma pessoa."
                    .to_owned(),
            ));
        }
        let person = self.person(&input.id)?;
        if person.office_id != who.office {
            return Err(ReplicaError::BadInput(
                "Só se apagam dados de pessoas do seu Escritório Social.".to_owned(),
            ));
        }
        if input.confirm.trim().to_uppercase() != ERASE_WORD {
            return Err(ReplicaError::BadInput(format!(
                "Para apagar, escreva {ERASE_WORD} no campo de confirmação. Nada foi apagado."
            )));
        }
        let scope = Scope::Office {
            office: who.office.clone(),
        };
        // Merged records are one person, and a merge copied the duplicate's data into the
        // kept record's history, which can't be edited: erasing any of them erases all, from
        // the record kept at the end of the chain down.
        let ids = self.merged_ids(&self.merge_root(&person.id)?)?;
        // The entries of the gate's list they were met from, under ids of their own when the
        // person was already known (under the person's id, they go with the person).
        let mut entries = Vec::new();
        for id in &ids {
            entries.extend(self.releases_of(id)?);
        }
        for id in ids.iter().chain(&entries) {
            crate::sync::erase(self, &scope, id, now)?;
        }
        Ok(PersonErased {
            message: format!(
                "Os dados de {} foram apagados neste aparelho e no servidor. Os outros \
                 aparelhos do escritório apagam a cópia deles na próxima sincronização.",
                person.display_name()
            ),
            ids,
        })
    }
}

impl Store {
    /// Whether any encounter (of any office) falls in `month`, give or take a day for time
    /// zones: months without one need no report.
    fn any_encounter_near(&self, month: Period) -> Result<bool> {
        let at = |d: chrono::NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc().to_rfc3339())
                .unwrap_or_default()
        };
        let from = at(month.first_day() - chrono::Days::new(1));
        let to = at(month.end() + chrono::Days::new(1));
        let mut stmt = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM encounters WHERE at >= ?1 AND at < ?2)",
        )?;
        Ok(stmt.query_row([from, to], |r| r.get::<_, bool>(0))?)
    }
}

/// The people-served total a report shows (the stage table's grand total).
fn served_total(report: &esv_shared::report::Report) -> Cell {
    report
        .section(report::PEOPLE_BY_STAGE)
        .and_then(|s| s.table.totals.as_ref())
        .map_or(Cell::Count(0), |t| t.all)
}

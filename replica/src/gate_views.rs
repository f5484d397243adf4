//! The gate's screens over the store (`ipc::gate`): units, the list of expected releases, and
//! the week on the team's home — in the session's language.

use chrono::{DateTime, Utc};
use esv_shared::ipc::gate::{
    ExpectedView, FacilityInput, ListImportedView, ReleaseInput, GATE_DAYS,
};
use esv_shared::ipc::team::{parse_date, WORKLIST_SHOWN};
use esv_shared::locale::Locale;
use esv_shared::release::{PrisonFacility, ReleaseLine};
use esv_shared::words::team as team_words;

use crate::error::{ReplicaError, Result};
use crate::releases::{Expected, ListImported};
use crate::store::Store;

impl Store {
    /// The signed-in team's office's prison units.
    pub fn prison_facilities_view(&mut self) -> Result<Vec<PrisonFacility>> {
        let office = self.recorder()?.office;
        self.prison_facilities(&office)
    }

    /// Adds or renames a unit of the signed-in office; answers the units.
    pub fn facility_save_view(
        &mut self,
        input: &FacilityInput,
        now: DateTime<Utc>,
    ) -> Result<Vec<PrisonFacility>> {
        let office = self.recorder()?.office;
        self.facility_save(
            &office,
            input.id.as_deref().filter(|i| !i.is_empty()),
            &input.name,
            &input.municipality,
            now,
        )?;
        self.prison_facilities(&office)
    }

    /// A person typed into the list.
    pub fn release_add_view(
        &mut self,
        input: &ReleaseInput,
        now: DateTime<Utc>,
    ) -> Result<ExpectedView> {
        let date = |field: &str, text: &str| {
            parse_date(text).map_err(|why| ReplicaError::BadInput(format!("{field}: {why}")))
        };
        let release_date = date("Data prevista", &input.release_date)?
            .ok_or_else(|| ReplicaError::BadInput("Escreva a data prevista de soltura.".into()))?;
        let line = ReleaseLine {
            name: input.name.clone(),
            birth_date: date("Data de nascimento", &input.birth_date)?,
            mother_name: Some(input.mother_name.clone()),
            facility_id: input.facility.clone(),
            release_date,
        };
        let entry = self.release_add(&line, now)?;
        self.release_entry_view(&entry.id, now)
    }

    /// One entry, to start a gate encounter from.
    pub fn release_entry_view(&mut self, id: &str, now: DateTime<Utc>) -> Result<ExpectedView> {
        let office = self.recorder()?.office;
        let entry = self.gate_entry(id, &office)?;
        let facility_name = self
            .prison_facilities(&office)?
            .into_iter()
            .find(|f| f.id == entry.facility_id)
            .map_or_else(|| entry.facility_id.clone(), |f| f.name);
        let today = self.office_today(&office, now);
        Ok(expected_view(
            Expected {
                entry,
                facility_name,
            },
            self.locale,
            today,
        ))
    }

    /// Reads a unit's list, and says what it did in plain words.
    pub fn releases_import_view(
        &mut self,
        list: &str,
        now: DateTime<Utc>,
    ) -> Result<ListImportedView> {
        let ListImported {
            added,
            already,
            problems,
        } = self.releases_import(list, now)?;
        let mut message = match added {
            0 => "Ninguém novo na lista.".to_owned(),
            1 => "1 pessoa entrou na lista.".to_owned(),
            n => format!("{n} pessoas entraram na lista."),
        };
        match already {
            0 => {}
            1 => message.push_str(" 1 já estava nela."),
            n => message.push_str(&format!(" {n} já estavam nela.")),
        }
        match problems.len() {
            0 => {}
            1 => message.push_str(" 1 linha não foi lida (abaixo): corrija-a e envie de novo."),
            n => message.push_str(&format!(
                " {n} linhas não foram lidas (abaixo): corrija-as e envie de novo."
            )),
        }
        Ok(ListImportedView {
            added,
            already,
            problems,
            message,
        })
    }

    /// People expected at `office`'s gates from today for [`GATE_DAYS`] days (the home's).
    pub fn gate_week(&mut self, office: &str, now: DateTime<Utc>) -> Result<Vec<ExpectedView>> {
        self.gate_ahead(office, GATE_DAYS, now)
    }

    /// People expected at `office`'s gates from today for `days` days, nobody met yet: the
    /// first [`WORKLIST_SHOWN`], by day (a phone lists no more).
    pub fn gate_ahead(
        &mut self,
        office: &str,
        days: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<ExpectedView>> {
        let today = self.office_today(office, now);
        let locale = self.locale;
        Ok(self
            .releases_expected(office, today, days.clamp(1, 366), WORKLIST_SHOWN)?
            .into_iter()
            .map(|e| expected_view(e, locale, today))
            .collect())
    }

    fn office_today(&mut self, office: &str, now: DateTime<Utc>) -> chrono::NaiveDate {
        now.with_timezone(&self.office_tz(office)).date_naive()
    }
}

fn expected_view(e: Expected, locale: Locale, today: chrono::NaiveDate) -> ExpectedView {
    let Expected {
        entry,
        facility_name,
    } = e;
    ExpectedView {
        when_label: team_words::expected_on(locale, entry.release_date, today),
        birth_label: entry.birth_date.map(|d| team_words::born(locale, d)),
        id: entry.id,
        name: entry.name,
        facility: facility_name,
        release_date: entry.release_date,
        birth_date: entry.birth_date,
        mother_name: entry.mother_name,
    }
}

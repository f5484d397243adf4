//! The gate's list on a device: the office's prison units (in its catalog document), the
//! people expected to be released (typed, or read from a unit's CSV list in one transaction),
//! the week the field team sees, and the erasure of entries nobody met (least data).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_shared::access::Action;
use esv_shared::document::{DocKind, Entity};
use esv_shared::release::{
    self, ExpectedRelease, LineProblem, ListSource, PrisonFacility, ReleaseLine, KEEP_UNMET_DAYS,
};
use esv_shared::sync::Scope;
use rusqlite::params;

use crate::error::{ReplicaError, Result};
use crate::ids;
use crate::index::Provider;
use crate::store::Store;
use crate::team_views::Recorder;

/// What reading a unit's list did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListImported {
    /// Entries added.
    pub added: usize,
    /// Lines already on the list (the same person, unit and day): left as they were.
    pub already: usize,
    /// Lines not read, each with why.
    pub problems: Vec<LineProblem>,
}

/// One person expected at a gate, as the field team's day lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub entry: ExpectedRelease,
    pub facility_name: String,
}

impl Store {
    /// The office's prison units, by name.
    pub fn prison_facilities(&mut self, office: &str) -> Result<Vec<PrisonFacility>> {
        let mut units = match self.index()?.providers.get(office) {
            Some(Provider::Office(o)) => o.prison_facilities.clone(),
            _ => Vec::new(),
        };
        units.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(units)
    }

    /// Adds a prison unit to the office's list, or renames the one with `id`: a change to the
    /// office's document, sent at the next sync like any catalog edit.
    pub fn facility_save(
        &mut self,
        office: &str,
        id: Option<&str>,
        name: &str,
        municipality: &str,
        now: DateTime<Utc>,
    ) -> Result<PrisonFacility> {
        self.check_catalog_editor(office)?;
        let name = release::clean_name(name)
            .map_err(|why| ReplicaError::BadInput(format!("Unidade prisional: {why}.")))?;
        let municipality = municipality
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let unit = PrisonFacility {
            id: id.map_or_else(|| release::facility_id(&name), str::to_owned),
            name,
            municipality,
        };
        if unit.id.is_empty() {
            return Err(ReplicaError::BadInput(
                "Escreva o nome da unidade prisional com letras.".into(),
            ));
        }
        for entity in self.entities(DocKind::Office)? {
            if let Entity::Office(mut o) = entity {
                if o.id != office {
                    continue;
                }
                let clash = o.prison_facilities.iter().any(|f| {
                    f.id != unit.id
                        && esv_shared::text::tokens(&f.name) == esv_shared::text::tokens(&unit.name)
                });
                if clash {
                    return Err(ReplicaError::BadInput(format!(
                        "A unidade “{}” já está na lista.",
                        unit.name
                    )));
                }
                match o.prison_facilities.iter_mut().find(|f| f.id == unit.id) {
                    Some(f) if id.is_some() => *f = unit.clone(),
                    Some(_) => {
                        return Err(ReplicaError::BadInput(format!(
                            "A unidade “{}” já está na lista.",
                            unit.name
                        )))
                    }
                    None if id.is_some() => {
                        return Err(ReplicaError::NotFound(format!("unidade {}", unit.id)))
                    }
                    None => o.prison_facilities.push(unit.clone()),
                }
                self.edit(&Entity::Office(o), now)?;
                return Ok(unit);
            }
        }
        Err(ReplicaError::NotFound(format!(
            "nenhum escritório com o código {office:?}"
        )))
    }

    /// Adds one person typed by the team to the list (refused if already there).
    pub fn release_add(
        &mut self,
        line: &ReleaseLine,
        now: DateTime<Utc>,
    ) -> Result<ExpectedRelease> {
        let who = self.recorder()?;
        let line = self.checked_line(&who, line)?;
        if self.unmet_like(&who.office, &line)?.is_some() {
            return Err(ReplicaError::BadInput(format!(
                "{} já está na lista para {} nessa unidade.",
                line.name,
                line.release_date.format("%d/%m/%Y")
            )));
        }
        let entry = entry(&who, line, ListSource::Typed, now)?;
        self.edit(&Entity::ExpectedRelease(entry.clone()), now)?;
        Ok(entry)
    }

    /// Reads a unit's list (CSV) into the office's list, in one transaction: good lines are
    /// added, lines already there are left, and each bad line is reported without stopping
    /// the rest. Office staff only (it brings many people's names at once).
    pub fn releases_import(&mut self, list: &str, now: DateTime<Utc>) -> Result<ListImported> {
        let who = self.recorder()?;
        if !who.role.may(Action::ManagePeople) {
            return Err(ReplicaError::NotAllowed(
                "Só a equipe técnica e a coordenação importam a lista de uma unidade.".into(),
            ));
        }
        let units = self.prison_facilities(&who.office)?;
        if units.is_empty() {
            return Err(ReplicaError::BadInput(
                "O escritório ainda não tem unidades prisionais: cadastre as unidades antes de \
                 importar a lista."
                    .into(),
            ));
        }
        let read =
            release::read_list(list, &units).map_err(|e| ReplicaError::BadInput(e.to_string()))?;
        let mut known = self.unmet_entries(&who.office)?;
        let mut done = ListImported {
            problems: read.problems,
            ..ListImported::default()
        };
        let mut entities = Vec::new();
        for line in read.lines {
            if known.iter().any(|e| e.same_as(&line)) {
                done.already += 1;
                continue;
            }
            let e = entry(&who, line, ListSource::UnitList, now)?;
            known.push(e.clone());
            entities.push(Entity::ExpectedRelease(e));
        }
        done.added = self.edit_all(&entities, now)?;
        Ok(done)
    }

    /// One entry of the list.
    pub fn expected_release(&self, id: &str) -> Result<ExpectedRelease> {
        self.row_json("SELECT data FROM expected_releases WHERE id = ?1", id)?
            .ok_or_else(|| ReplicaError::NotFound(format!("pessoa da lista de soltura {id}")))
    }

    /// The people nobody has met yet expected from `from` for `days` days, by date, unit and
    /// name, the first `most` of them (read from the index of unmet entries, migration 15).
    pub fn releases_expected(
        &mut self,
        office: &str,
        from: NaiveDate,
        days: i64,
        most: usize,
    ) -> Result<Vec<Expected>> {
        let until = from + Duration::days(days);
        let units = self.prison_facilities(office)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM expected_releases INDEXED BY expected_releases_unmet
             WHERE office_id = ?1 AND person_id IS NULL
               AND release_date >= ?2 AND release_date < ?3
             ORDER BY release_date, facility_id, name LIMIT ?4",
        )?;
        let most = i64::try_from(most).unwrap_or(i64::MAX);
        let rows = stmt.query_map(
            params![office, from.to_string(), until.to_string(), most],
            |r| r.get::<_, String>(0),
        )?;
        let mut out = Vec::new();
        for row in rows {
            let Ok(entry) = serde_json::from_str::<ExpectedRelease>(&row?) else {
                continue;
            };
            let facility_name = units
                .iter()
                .find(|f| f.id == entry.facility_id)
                .map_or_else(|| entry.facility_id.clone(), |f| f.name.clone());
            out.push(Expected {
                entry,
                facility_name,
            });
        }
        Ok(out)
    }

    /// Entries nobody met whose day passed more than [`KEEP_UNMET_DAYS`] ago.
    pub fn releases_stale(&mut self, office: &str, today: NaiveDate) -> Result<Vec<String>> {
        let before = today - Duration::days(KEEP_UNMET_DAYS);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM expected_releases INDEXED BY expected_releases_unmet
             WHERE office_id = ?1 AND person_id IS NULL AND release_date < ?2",
        )?;
        let ids = stmt
            .query_map(params![office, before.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Erases, on the server and here, the entries nobody met whose day passed more than
    /// [`KEEP_UNMET_DAYS`] ago. Needs the server, as every erasure does.
    pub fn releases_purge(&mut self, now: DateTime<Utc>) -> Result<usize> {
        let who = self.recorder()?;
        if !who.role.may(Action::ManagePeople) {
            return Err(ReplicaError::NotAllowed(
                "Só a equipe técnica e a coordenação apagam entradas da lista de soltura.".into(),
            ));
        }
        let today = now.with_timezone(&self.office_tz(&who.office)).date_naive();
        let stale = self.releases_stale(&who.office, today)?;
        let scope = Scope::Office {
            office: who.office.clone(),
        };
        for id in &stale {
            crate::sync::erase(self, &scope, id, now)?;
        }
        Ok(stale.len())
    }

    /// The entries of the list met as `person_id` (other than one under the person's own id).
    pub(crate) fn releases_of(&self, person_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM expected_releases INDEXED BY expected_releases_by_person
             WHERE person_id = ?1 AND id <> ?1",
        )?;
        let ids = stmt
            .query_map([person_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    fn checked_line(&mut self, who: &Recorder, line: &ReleaseLine) -> Result<ReleaseLine> {
        let bad = |why: String| ReplicaError::BadInput(why);
        let name = release::clean_name(&line.name).map_err(|w| bad(capital(&w)))?;
        let mother_name = match line.mother_name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(m) => Some(release::clean_name(m).map_err(|w| bad(format!("Nome da mãe: {w}.")))?),
        };
        let units = self.prison_facilities(&who.office)?;
        let facility_id = release::find_facility(&units, &line.facility_id)
            .ok_or_else(|| {
                bad("Escolha a unidade prisional na lista de unidades do escritório.".into())
            })?
            .to_owned();
        Ok(ReleaseLine {
            name,
            birth_date: line.birth_date,
            mother_name,
            facility_id,
            release_date: line.release_date,
        })
    }

    fn unmet_entries(&self, office: &str) -> Result<Vec<ExpectedRelease>> {
        self.rows_json(
            "SELECT data FROM expected_releases INDEXED BY expected_releases_unmet
             WHERE office_id = ?1 AND person_id IS NULL",
            office,
        )
    }

    fn unmet_like(&self, office: &str, line: &ReleaseLine) -> Result<Option<ExpectedRelease>> {
        Ok(self
            .unmet_entries(office)?
            .into_iter()
            .find(|e| e.same_as(line)))
    }
}

/// An entry for `line`, under a new id (the one its person gets if met).
fn entry(
    who: &Recorder,
    line: ReleaseLine,
    source: ListSource,
    now: DateTime<Utc>,
) -> Result<ExpectedRelease> {
    Ok(ExpectedRelease {
        id: ids::new_id()?,
        office_id: who.office.clone(),
        name: line.name,
        birth_date: line.birth_date,
        mother_name: line.mother_name,
        facility_id: line.facility_id,
        release_date: line.release_date,
        source: Some(source),
        added_by: who.staff.clone(),
        added_at: now,
        person_id: None,
        met_at: None,
    })
}

fn capital(why: &str) -> String {
    let mut chars = why.chars();
    match chars.next() {
        Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

impl Store {
    /// The entry a gate encounter starts from: the office's, and nobody met yet.
    pub(crate) fn gate_entry(&self, id: &str, office: &str) -> Result<ExpectedRelease> {
        let entry = self.expected_release(id)?;
        if entry.office_id != office {
            return Err(ReplicaError::BadInput(
                "Essa pessoa está na lista de outro Escritório Social.".into(),
            ));
        }
        if entry.person_id.is_some() {
            return Err(ReplicaError::BadInput(format!(
                "{} já foi atendida na porta: procure a pessoa pelo nome.",
                entry.name
            )));
        }
        Ok(entry)
    }

    /// What meeting a person from the list at the gate says about them, where the form said
    /// nothing: the name and dates the unit gave, that they came by the gate, released today
    /// from that unit; and the entry, now met.
    pub(crate) fn met_at_gate(
        &mut self,
        person: &mut esv_shared::people::Person,
        entry: &mut ExpectedRelease,
        now: DateTime<Utc>,
    ) {
        use esv_shared::people::{Origin, Stage};
        // The unit's list gives the civil name (prison records' name).
        if person.civil_name.is_none() {
            person.civil_name = Some(entry.name.clone());
        }
        person.birth_date = person.birth_date.or(entry.birth_date);
        person.mother_name = person.mother_name.take().or(entry.mother_name.clone());
        person.origin = person.origin.or(Some(Origin::Gate));
        person.stage = person.stage.or(Some(Stage::Released));
        let tz = self.office_tz(&entry.office_id);
        person.release_date = Some(now.with_timezone(&tz).date_naive());
        let unit = self
            .prison_facilities(&entry.office_id)
            .ok()
            .and_then(|units| units.into_iter().find(|f| f.id == entry.facility_id));
        person.release_place = Some(unit.map_or_else(|| entry.facility_id.clone(), |f| f.name));
        entry.person_id = Some(person.id.clone());
        entry.met_at = Some(now);
    }
}

//! Busca ativa on a field device: outreaches, and encounters recorded with consent, needs and
//! referrals — a person, their encounter and its referrals written in one transaction, or none
//! of them. Search before create finds people the office already knows.

use chrono::{DateTime, NaiveDate, Utc};
use esv_shared::audit::OpeningKind;
use esv_shared::document::Entity;
use esv_shared::matching::{self, Likeness, PersonKey, Prepared};
use esv_shared::people::{
    self, CivilDocument, Consent, ConsentForm, Encounter, Need, Origin, Outreach, Person, Race,
    Referral, ReferralStatus, Stage,
};

use crate::error::{ReplicaError, Result};
use crate::ids;
use crate::store::Store;

/// What the form says about the person. Everything but a name is optional (least data).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonFields {
    pub social_name: Option<String>,
    pub civil_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub mother_name: Option<String>,
    pub contact: Option<String>,
    pub stage: Option<Stage>,
    pub race: Option<Race>,
    pub gender_identity: Option<String>,
    pub missing_documents: Vec<CivilDocument>,
    pub origin: Option<Origin>,
}

/// A referral made on the spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralForm {
    pub service_id: String,
    pub reason: Option<String>,
}

/// An encounter form as the field worker filled it in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EncounterForm {
    pub office_id: String,
    /// The staff member recording it.
    pub staff: String,
    pub outreach_id: Option<String>,
    /// A person already known (chosen from the search); `None` records a new one.
    pub person_id: Option<String>,
    pub person: PersonFields,
    /// How the person consented today; needed unless a consent is already on record.
    pub consent: Option<ConsentForm>,
    pub needs: Vec<Need>,
    pub referrals: Vec<ReferralForm>,
    pub follow_up: Option<NaiveDate>,
    pub notes: String,
    /// The entry of the list of expected releases the person was met from, at the gate.
    pub release_id: Option<String>,
}

/// What recording an encounter wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub person_id: String,
    pub encounter_id: String,
    pub referral_ids: Vec<String>,
}

/// A person found by a search: who, how well the name matched (lower is better) and
/// whether the typed details say it is the same person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMatch {
    pub person: Person,
    pub score: u32,
    pub likeness: Option<Likeness>,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn key(person: &Person) -> PersonKey {
    PersonKey {
        social_name: person.social_name.clone(),
        civil_name: person.civil_name.clone(),
        birth_date: person.birth_date,
        mother_name: person.mother_name.clone(),
    }
}

/// People with their names prepared once for search.
pub(crate) type PreparedPeople = std::sync::Arc<Vec<(Person, Prepared)>>;

/// Brings the people prepared for search up to date after `person` was written.
pub(crate) fn remember_person(store: &mut Store, person: &Person) {
    if let Some((_, people)) = store.people_cache.as_mut() {
        let people = std::sync::Arc::make_mut(people);
        people.retain(|(p, _)| p.id != person.id);
        if person.merged_into.is_none() {
            people.push((person.clone(), key(person).prepare()));
        }
    }
}

/// `ids`: the person `?1` and everyone merged into them (see `Store::merged_ids`).
pub(crate) const MERGED_IDS: &str = "WITH RECURSIVE ids(id) AS (
        SELECT ?1
        UNION
        SELECT p.id FROM people p JOIN ids ON json_extract(p.data, '$.merged_into') = ids.id
    )";

/// Most people a search lists.
const MAX_FOUND: usize = 20;

impl Store {
    /// Starts an outreach: a place, a date, the team.
    pub fn create_outreach(
        &mut self,
        office_id: &str,
        place: &str,
        date: NaiveDate,
        team: &[String],
        now: DateTime<Utc>,
    ) -> Result<Outreach> {
        if place.trim().is_empty() {
            return Err(ReplicaError::BadInput(
                "Escreva o lugar da busca ativa (a unidade prisional ou outro ponto).".into(),
            ));
        }
        let outreach = Outreach {
            id: ids::new_id()?,
            office_id: office_id.to_owned(),
            place: place.trim().to_owned(),
            date,
            team: team
                .iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
        };
        self.edit(&Entity::Outreach(outreach.clone()), now)?;
        Ok(outreach)
    }

    /// Records an encounter: the person (new, or known and updated), today's consent, the
    /// encounter and its referrals, in one transaction. Nothing is saved without consent.
    pub fn record_encounter(
        &mut self,
        form: &EncounterForm,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let staff = form.staff.trim();
        if staff.is_empty() {
            return Err(ReplicaError::BadInput(
                "Falta o nome de quem atendeu.".into(),
            ));
        }
        let from_list = match &form.release_id {
            Some(id) => Some(self.gate_entry(id, &form.office_id)?),
            None => None,
        };
        let known = match &form.person_id {
            Some(id) => Some(self.person(id)?),
            None => None,
        };
        let mut person = match known {
            Some(p) => p,
            // Met from the list: the person takes the entry's id (so erasing one erases both).
            None => match &from_list {
                Some(entry) => Person::new(&entry.id, &form.office_id, staff, now),
                None => Person::new(&ids::new_id()?, &form.office_id, staff, now),
            },
        };
        if person.office_id != form.office_id {
            return Err(ReplicaError::BadInput(
                "Essa pessoa é de outro Escritório Social.".into(),
            ));
        }
        let f = &form.person;
        // What the form says replaces what was known; a field left blank keeps the old value.
        person.social_name = clean(&f.social_name).or(person.social_name);
        person.civil_name = clean(&f.civil_name).or(person.civil_name);
        person.birth_date = f.birth_date.or(person.birth_date);
        person.mother_name = clean(&f.mother_name).or(person.mother_name);
        person.contact = clean(&f.contact).or(person.contact);
        person.stage = f.stage.or(person.stage);
        person.race = f.race.or(person.race);
        person.origin = f.origin.or(person.origin);
        person.gender_identity = clean(&f.gender_identity).or(person.gender_identity);
        if !f.missing_documents.is_empty() {
            person.missing_documents = f.missing_documents.clone();
        }
        let mut entities = Vec::new();
        if let Some(mut entry) = from_list {
            self.met_at_gate(&mut person, &mut entry, now);
            entities.push(Entity::ExpectedRelease(entry));
        }
        if let Some(given) = form.consent {
            person.consents.push(Consent {
                id: ids::new_id()?,
                // The term as read: the office's own, in the language of the team's screen.
                purpose: self.consent_text(&form.office_id),
                form: given,
                staff: staff.to_owned(),
                at: now,
                withdrawn_at: None,
            });
        }
        let problems = people::check_person(&person);
        if !problems.is_empty() {
            let words: Vec<&str> = problems.iter().map(|(_, m)| *m).collect();
            return Err(ReplicaError::BadInput(words.join(" ")));
        }
        let consent_id = person
            .consents
            .iter()
            .rev()
            .find(|c| c.withdrawn_at.is_none())
            .map(|c| c.id.clone())
            .unwrap_or_default();
        for r in &form.referrals {
            if self.index()?.get(&r.service_id).is_none() {
                return Err(ReplicaError::BadInput(format!(
                    "O serviço {} não está no catálogo deste aparelho.",
                    r.service_id
                )));
            }
        }
        let encounter = Encounter {
            id: format!("{}/{}", person.id, ids::new_id()?),
            person_id: person.id.clone(),
            office_id: form.office_id.clone(),
            outreach_id: form.outreach_id.clone(),
            at: now,
            staff: staff.to_owned(),
            consent_id,
            needs: form.needs.clone(),
            follow_up: form.follow_up,
            notes: form.notes.trim().to_owned(),
        };
        entities.push(Entity::Person(person.clone()));
        entities.push(Entity::Encounter(encounter.clone()));
        let mut referral_ids = Vec::new();
        for r in &form.referrals {
            let referral = Referral {
                id: format!("{}/{}", person.id, ids::new_id()?),
                person_id: person.id.clone(),
                office_id: form.office_id.clone(),
                encounter_id: Some(encounter.id.clone()),
                service_id: r.service_id.clone(),
                made_at: now,
                made_by: staff.to_owned(),
                reason: clean(&r.reason),
                status: ReferralStatus::Referred,
                outcome: None,
                outcome_at: None,
                outcome_by: None,
            };
            referral_ids.push(referral.id.clone());
            entities.push(Entity::Referral(referral));
        }
        self.edit_all(&entities, now)?;
        Ok(Recorded {
            person_id: person.id,
            encounter_id: encounter.id,
            referral_ids,
        })
    }

    /// Records what came back from a referral (the contrarreferência).
    pub fn set_referral_outcome(
        &mut self,
        id: &str,
        status: ReferralStatus,
        outcome: Option<&str>,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Referral> {
        let mut referral: Referral = self
            .row_json("SELECT data FROM referrals WHERE id = ?1", id)?
            .ok_or_else(|| ReplicaError::NotFound(format!("encaminhamento {id}")))?;
        referral.status = status;
        referral.outcome = outcome
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned);
        referral.outcome_at = Some(now);
        referral.outcome_by = Some(staff.to_owned());
        self.edit(&Entity::Referral(referral.clone()), now)?;
        Ok(referral)
    }

    /// A person by id.
    pub fn person(&self, id: &str) -> Result<Person> {
        self.row_json("SELECT data FROM people WHERE id = ?1", id)?
            .ok_or_else(|| ReplicaError::NotFound(format!("pessoa {id}")))
    }

    /// A person's encounters, oldest first, with those of the people merged into them.
    pub fn encounters_of(&self, person_id: &str) -> Result<Vec<Encounter>> {
        self.rows_json(
            &format!(
                "{MERGED_IDS} SELECT data FROM encounters WHERE person_id IN ids ORDER BY at, id"
            ),
            person_id,
        )
    }

    /// A person's referrals, with those of the people merged into them.
    pub fn referrals_of(&self, person_id: &str) -> Result<Vec<Referral>> {
        self.rows_json(
            &format!("{MERGED_IDS} SELECT data FROM referrals WHERE person_id IN ids ORDER BY id"),
            person_id,
        )
    }

    /// Every person this device knows, with their prepared names, for searching.
    pub fn people(&self) -> Result<Vec<Person>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM people ORDER BY display_name")?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(rows
            .iter()
            .filter_map(|d| serde_json::from_str(d).ok())
            .collect())
    }

    /// People whose name matches what is being typed, best first; with `details`, each says
    /// whether the birth date and mother's name make it the same person. Each person listed
    /// is noted for the office's audit log (their civil name, birth date and mother's name
    /// leave the store).
    pub fn find_people(
        &mut self,
        query: &str,
        details: Option<&PersonKey>,
        now: DateTime<Utc>,
    ) -> Result<Vec<PersonMatch>> {
        let query = matching::Query::new(query);
        let typed: Option<Prepared> = details.map(PersonKey::prepare);
        let people = self.prepared_people()?;
        let mut found: Vec<(u32, usize)> = people
            .iter()
            .enumerate()
            .filter_map(|(i, (_, prepared))| query.score(prepared).map(|s| (s, i)))
            .collect();
        found.sort();
        let found: Vec<PersonMatch> = found
            .into_iter()
            .take(MAX_FOUND)
            .map(|(score, i)| {
                let (person, prepared) = &people[i];
                PersonMatch {
                    person: person.clone(),
                    score,
                    likeness: typed.as_ref().map(|t| matching::likeness(t, prepared)),
                }
            })
            .collect();
        let listed: Vec<&str> = found.iter().map(|m| m.person.id.as_str()).collect();
        self.note_openings(&listed, OpeningKind::Search, now)?;
        Ok(found)
    }

    /// People with their names prepared once, kept until the data change.
    fn prepared_people(&mut self) -> Result<PreparedPeople> {
        self.index()?;
        let version = self.generation;
        if let Some((v, people)) = &self.people_cache {
            if *v == version {
                return Ok(people.clone());
            }
        }
        let people: Vec<(Person, Prepared)> = self
            .people()?
            .into_iter()
            .filter(|p| p.merged_into.is_none())
            .map(|p| {
                let prepared = key(&p).prepare();
                (p, prepared)
            })
            .collect();
        let people = std::sync::Arc::new(people);
        self.people_cache = Some((version, people.clone()));
        Ok(people)
    }

    pub(crate) fn row_json<T: serde::de::DeserializeOwned>(
        &self,
        sql: &str,
        id: &str,
    ) -> Result<Option<T>> {
        Ok(self.rows_json(sql, id)?.into_iter().next())
    }

    pub(crate) fn rows_json<T: serde::de::DeserializeOwned>(
        &self,
        sql: &str,
        id: &str,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(rows
            .iter()
            .filter_map(|d| serde_json::from_str(d).ok())
            .collect())
    }
}

impl Store {
    /// The guia de encaminhamento of a referral: where, when it is open, what to bring, who
    /// referred — from the catalog this device holds, in the office's own time zone.
    pub fn referral_slip(
        &mut self,
        referral_id: &str,
        now: DateTime<Utc>,
    ) -> Result<esv_shared::slip::ReferralSlip> {
        let referral: Referral = self
            .row_json("SELECT data FROM referrals WHERE id = ?1", referral_id)?
            .ok_or_else(|| ReplicaError::NotFound(format!("encaminhamento {referral_id}")))?;
        let person = self.person(&referral.person_id)?;
        self.note_opening(&person.id, OpeningKind::Slip, now)?;
        let service = self.service_detail(&referral.service_id, now)?;
        let office = self.service_detail(&referral.office_id, now).ok();
        let tz = self
            .index()?
            .get(&referral.service_id)
            .map_or(chrono_tz::America::Sao_Paulo, |e| e.tz);
        let hours = esv_shared::share::hours_summary(self.locale, &service.hours);
        Ok(esv_shared::slip::ReferralSlip {
            person_name: person.display_name().to_owned(),
            service_name: service.name.clone(),
            provider: service.provider.clone(),
            address: service.address.as_ref().map(|a| a.lines.join(", ")),
            hours: if hours.is_empty() {
                Vec::new()
            } else {
                vec![hours]
            },
            phones: service.phones.iter().map(|p| p.display.clone()).collect(),
            bring: service.required_documents.clone(),
            referred_by: referral.made_by.clone(),
            office: office
                .as_ref()
                .map_or_else(|| referral.office_id.clone(), |o| o.name.clone()),
            office_phone: office
                .as_ref()
                .and_then(|o| o.phones.first().map(|p| p.display.clone())),
            referred_on: referral.made_at.with_timezone(&tz).date_naive(),
            reason: referral.reason.clone(),
        })
    }
}

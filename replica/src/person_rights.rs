//! A person's own rights over their data (LGPD art. 18), as the team carries them out: a copy of
//! the whole record (JSON to keep or take elsewhere, PDF to read; noted in the access log), a
//! correction of any field, blanks included, and the consent withdrawn — nothing new is kept
//! from then on, what was already recorded and reported stays, and the record says so.

use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use esv_shared::access::Action;
use esv_shared::audit::OpeningKind;
use esv_shared::document::Entity;
use esv_shared::ipc::team::{PersonCopyView, PersonCorrection, PersonView};
use esv_shared::people::{self, Encounter, Person, Referral};
use esv_shared::words::record::{self as words, Word};
use serde::Serialize;

use crate::error::{ReplicaError, Result};
use crate::slip::pages::{self, Block};
use crate::store::Store;

/// The longest a corrected field may be (a name, a phone, gender in the person's words).
const MAX_FIELD: usize = 200;

/// The JSON copy: everything the office keeps about the person, as stored.
#[derive(Serialize)]
struct RecordCopy<'a> {
    about: &'static str,
    office: &'a str,
    made_at: DateTime<Utc>,
    made_by: &'a str,
    person: &'a Person,
    encounters: &'a [Encounter],
    referrals: &'a [Referral],
}

impl Store {
    /// The person, if the one signed in may act on their record (the team of their office).
    fn person_for_rights(&mut self, id: &str) -> Result<(Person, String)> {
        let who = self.recorder()?;
        let person = self.person(id)?;
        if person.office_id != who.office || !who.role.may(Action::RecordFieldWork) {
            return Err(ReplicaError::BadInput(
                "Só a equipe do Escritório Social desta pessoa pode fazer isso.".to_owned(),
            ));
        }
        Ok((person, who.staff))
    }

    /// The person's copy of their record, in the team's language.
    pub fn person_copy(&mut self, id: &str, now: DateTime<Utc>) -> Result<PersonCopyView> {
        let (person, staff) = self.person_for_rights(id)?;
        let encounters = self.encounters_of(id)?;
        let referrals = self.referrals_of(id)?;
        let office = self.office_name(&person.office_id);
        let json = serde_json::to_string_pretty(&RecordCopy {
            about: "Cópia dos dados guardados pelo Escritório Social (LGPD, art. 18)",
            office: &office,
            made_at: now,
            made_by: &staff,
            person: &person,
            encounters: &encounters,
            referrals: &referrals,
        })
        .map_err(|e| ReplicaError::BadInput(format!("a cópia não pôde ser montada: {e}")))?;
        let blocks = self.copy_blocks(&person, &encounters, &referrals, &office, &staff, now);
        let title = format!(
            "{} — {}",
            words::word(self.locale, Word::Title),
            person.display_name()
        );
        let pdf = pages::pdf(&title, &blocks);
        self.note_opening(&person.id, OpeningKind::Copy, now)?;
        Ok(PersonCopyView {
            person_id: person.id,
            file_stem: format!("dados-{}", now.date_naive()),
            json,
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(pdf),
        })
    }

    fn office_name(&mut self, office: &str) -> String {
        self.index()
            .ok()
            .and_then(|i| i.providers.get(office).map(|p| p.name().to_owned()))
            .unwrap_or_else(|| office.to_owned())
    }

    fn copy_blocks(
        &mut self,
        p: &Person,
        encounters: &[Encounter],
        referrals: &[Referral],
        office: &str,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Vec<Block> {
        let l = self.locale;
        let w = |word| words::word(l, word).to_owned();
        let or_nothing = |v: Option<String>| v.unwrap_or_else(|| w(Word::Nothing));
        let field = |word, v: Option<String>| Block::Field(w(word), or_nothing(v));
        let list = |items: Vec<&str>| Some(items.join("; ")).filter(|s| !s.is_empty());
        let mut out = vec![
            Block::Paragraph(words::made(l, now.date_naive(), staff, office)),
            Block::Heading(w(Word::PersonalData)),
            field(Word::SocialName, p.social_name.clone()),
            field(Word::CivilName, p.civil_name.clone()),
            field(Word::BirthDate, p.birth_date.map(words::date)),
            field(Word::MotherName, p.mother_name.clone()),
            field(Word::Contact, p.contact.clone()),
            field(Word::Stage, p.stage.map(|s| s.label_in(l).to_owned())),
            field(Word::Race, p.race.map(|r| r.label_in(l).to_owned())),
            field(Word::Origin, p.origin.map(|o| o.label_in(l).to_owned())),
            field(Word::GenderIdentity, p.gender_identity.clone()),
            field(
                Word::MissingDocuments,
                list(p.missing_documents.iter().map(|d| d.label_in(l)).collect()),
            ),
            Block::Heading(w(Word::Consents)),
        ];
        for c in &p.consents {
            let mut label = format!(
                "{} · {}",
                words::date(c.at.date_naive()),
                c.form.label_in(l)
            );
            if let Some(at) = c.withdrawn_at {
                label = format!(
                    "{label} · {} {}",
                    w(Word::Withdrawn),
                    words::date(at.date_naive())
                );
            }
            out.push(Block::Field(label, c.purpose.clone()));
        }
        out.push(Block::Heading(w(Word::Encounters)));
        for e in encounters {
            out.push(Block::Field(
                words::date(e.at.date_naive()),
                format!(
                    "{}: {}",
                    w(Word::Needs),
                    or_nothing(list(e.needs.iter().map(|n| n.label_in(l)).collect()))
                ),
            ));
            if let Some(d) = e.follow_up {
                out.push(field(Word::FollowUp, Some(words::date(d))));
            }
            if !e.notes.trim().is_empty() {
                out.push(field(Word::Notes, Some(e.notes.clone())));
            }
        }
        out.push(Block::Heading(w(Word::Referrals)));
        for r in referrals {
            let service = self.service_label(&r.service_id, l);
            out.push(Block::Field(words::date(r.made_at.date_naive()), service));
            out.push(field(Word::Status, Some(r.status.label_in(l).to_owned())));
            if let Some(o) = &r.outcome {
                out.push(field(Word::Outcome, Some(o.clone())));
            }
        }
        if !p.plan.is_empty() {
            out.push(Block::Heading(w(Word::Plan)));
            for g in &p.plan {
                let due = g
                    .due
                    .map(|d| format!(" ({})", words::date(d)))
                    .unwrap_or_default();
                out.push(Block::Field(
                    g.need.label_in(l).to_owned(),
                    format!("{}{due} · {}", g.action, g.status.label_in(l)),
                ));
            }
        }
        out.push(Block::Paragraph(w(Word::YourRights)));
        out
    }

    /// The person's data as the correction says, blanks cleared; refused in plain words, with
    /// nothing changed, when no name would be left or a date is wrong.
    pub fn person_correct(
        &mut self,
        input: &PersonCorrection,
        now: DateTime<Utc>,
    ) -> Result<PersonView> {
        let (mut person, _) = self.person_for_rights(&input.id)?;
        let fields = [
            &input.social_name,
            &input.civil_name,
            &input.mother_name,
            &input.contact,
            &input.gender_identity,
        ];
        if fields.iter().any(|f| f.chars().count() > MAX_FIELD) {
            return Err(ReplicaError::BadInput(format!(
                "Cada campo cabe em {MAX_FIELD} letras; nada foi mudado."
            )));
        }
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let birth_date = match input.birth_date.trim() {
            "" => None,
            given => Some(NaiveDate::parse_from_str(given, "%Y-%m-%d").map_err(|_| {
                ReplicaError::BadInput(format!(
                    "Data de nascimento inválida ({given}): use dia, mês e ano."
                ))
            })?),
        };
        person.social_name = text(&input.social_name);
        person.civil_name = text(&input.civil_name);
        person.birth_date = birth_date;
        person.mother_name = text(&input.mother_name);
        person.contact = text(&input.contact);
        person.stage = input.stage;
        person.race = input.race;
        person.gender_identity = text(&input.gender_identity);
        person.missing_documents = input.missing_documents.clone();
        person.origin = input.origin;
        // The consent is not what this checks: a correction is the person's right with or
        // without one in force.
        let problems: Vec<&str> = people::check_person(&person)
            .into_iter()
            .filter(|(field, _)| *field != "consent")
            .map(|(_, m)| m)
            .collect();
        if !problems.is_empty() {
            return Err(ReplicaError::BadInput(problems.join(" ")));
        }
        self.edit(&Entity::Person(person), now)?;
        self.person_view(&input.id, now)
    }

    /// Withdraws every consent in force: from now on nothing new is kept about the person
    /// (encounters and plan goals are refused until a new consent), and what was recorded stays.
    pub fn consent_withdraw(&mut self, id: &str, now: DateTime<Utc>) -> Result<PersonView> {
        let (mut person, _) = self.person_for_rights(id)?;
        if !person.has_consent() {
            return Err(ReplicaError::BadInput(
                "Esta pessoa não tem consentimento em vigor.".to_owned(),
            ));
        }
        for consent in person
            .consents
            .iter_mut()
            .filter(|c| c.withdrawn_at.is_none())
        {
            consent.withdrawn_at = Some(now);
        }
        self.edit(&Entity::Person(person), now)?;
        self.person_view(id, now)
    }
}

//! Busca ativa as the team screens show it (`shared::ipc::team`): outreaches, people found
//! while typing, a person's record with encounters and referrals, the encounter form checked
//! and recorded, counter-referrals, the referral slip with its QR code and PDF. The signed-in
//! account says the office and who is recording; the app's commands call these, one line each.

use base64::Engine;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use esv_shared::access::Action;
use esv_shared::audit::OpeningKind;
use esv_shared::hours::{self, label};
use esv_shared::ipc::team::{
    parse_date, EncounterInput, EncounterView, FindPeopleInput, MergeInput, OutcomeInput,
    OutreachInput, OutreachView, PersonCorrection, PersonFound, PersonView, ReferralView, SlipView,
};
use esv_shared::locale::Locale;
use esv_shared::matching::{Likeness, PersonKey};
use esv_shared::people::{Outreach, Person, Referral};
use esv_shared::sync::Role;
use esv_shared::words::team as team_words;

use crate::error::{ReplicaError, Result};
use crate::field::{EncounterForm, PersonFields, ReferralForm};
use crate::index::Provider;
use crate::request_views::when;
use crate::store::Store;
use crate::sync::SyncError;

/// Who is recording, for which office: the signed-in team account.
pub(crate) struct Recorder {
    pub(crate) office: String,
    pub(crate) staff: String,
    pub(crate) role: Role,
}

impl Store {
    pub(crate) fn recorder(&self) -> Result<Recorder> {
        let account = self.account()?.ok_or(SyncError::NotSignedIn)?;
        let s = account.session;
        if s.role == Role::Citizen {
            return Err(ReplicaError::BadInput(
                "Só a equipe do Escritório Social, com usuário e senha, registra atendimentos."
                    .to_owned(),
            ));
        }
        Ok(Recorder {
            office: s.office,
            staff: s.username.unwrap_or_else(|| s.device.clone()),
            role: s.role,
        })
    }

    /// The office's time zone, from the catalog (São Paulo's if the office is not there).
    pub(crate) fn office_tz(&mut self, office: &str) -> Tz {
        match self.index().ok().and_then(|i| i.providers.get(office)) {
            Some(Provider::Office(o)) => hours::parse_tz(&o.location.tz),
            _ => None,
        }
        .unwrap_or(chrono_tz::America::Sao_Paulo)
    }

    /// A service's name in `locale`, or its id when the catalog does not hold it.
    pub(crate) fn service_label(&mut self, id: &str, locale: Locale) -> String {
        self.index()
            .ok()
            .and_then(|i| i.get(id))
            .map(|e| e.service.words(locale).name.to_owned())
            .unwrap_or_else(|| id.to_owned())
    }

    /// The outreaches this device knows, newest first, with how many encounters each has.
    pub fn outreaches_list(&mut self) -> Result<Vec<OutreachView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.data, (SELECT count(*) FROM encounters e
                             WHERE json_extract(e.data, '$.outreach_id') = o.id)
             FROM outreaches o ORDER BY o.date DESC, o.id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let locale = self.locale;
        Ok(rows
            .into_iter()
            .filter_map(|(data, n)| {
                let o: Outreach = serde_json::from_str(&data).ok()?;
                Some(OutreachView {
                    date_label: label::date_long(locale, o.date),
                    id: o.id,
                    place: o.place,
                    date: o.date,
                    team: o.team,
                    encounters: usize::try_from(n).unwrap_or(0),
                })
            })
            .collect())
    }

    /// Starts a busca ativa from its form; the team defaults to the one signed in.
    pub fn outreach_new(
        &mut self,
        input: &OutreachInput,
        now: DateTime<Utc>,
    ) -> Result<OutreachView> {
        let who = self.recorder()?;
        let date = parse_date(&input.date)
            .map_err(ReplicaError::BadInput)?
            .ok_or_else(|| ReplicaError::BadInput("Escreva a data da busca ativa.".to_owned()))?;
        let mut team: Vec<String> = input
            .team
            .split([',', '\n'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        if team.is_empty() {
            team.push(who.staff.clone());
        }
        let o = self.create_outreach(&who.office, &input.place, date, &team, now)?;
        Ok(OutreachView {
            date_label: label::date_long(self.locale, o.date),
            id: o.id,
            place: o.place,
            date: o.date,
            team: o.team,
            encounters: 0,
        })
    }

    /// "Buscar pessoa": people the office knows whose name matches what is typed; with a
    /// birth date or mother's name, whether each is the same person.
    pub fn people_find(
        &mut self,
        input: &FindPeopleInput,
        now: DateTime<Utc>,
    ) -> Result<Vec<PersonFound>> {
        let birth = input
            .birth_date
            .as_deref()
            .and_then(|d| parse_date(d).ok().flatten());
        let mother = input
            .mother_name
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty());
        let details = (birth.is_some() || mother.is_some()).then(|| PersonKey {
            social_name: Some(input.text.clone()),
            civil_name: None,
            birth_date: birth,
            mother_name: mother.map(str::to_owned),
        });
        let found = self.find_people(&input.text, details.as_ref(), now)?;
        Ok(found
            .into_iter()
            .map(|m| {
                let (likeness, likeness_label) = match m.likeness {
                    Some(Likeness::Same) => (Some("same"), Some("Parece ser a mesma pessoa")),
                    Some(Likeness::Maybe) => {
                        (Some("maybe"), Some("Pode ser a mesma pessoa: confira"))
                    }
                    Some(Likeness::Different) => (Some("different"), Some("Outra pessoa")),
                    None => (None, None),
                };
                PersonFound {
                    id: m.person.id.clone(),
                    name: m.person.display_name().to_owned(),
                    civil_name: other_name(&m.person),
                    birth_label: m
                        .person
                        .birth_date
                        .map(|d| format!("Nasceu em {}", d.format("%d/%m/%Y"))),
                    mother_name: m.person.mother_name.clone(),
                    likeness: likeness.map(str::to_owned),
                    likeness_label: likeness_label.map(str::to_owned),
                }
            })
            .collect())
    }

    /// A person's record: who, the consent in force, encounters and referrals (with those of
    /// the records merged into it). A team account opening it is noted for the audit log.
    pub fn person_view(&mut self, id: &str, now: DateTime<Utc>) -> Result<PersonView> {
        let person = self.person(id)?;
        self.note_opening(&person.id, OpeningKind::Record, now)?;
        let tz = self.office_tz(&person.office_id);
        let locale = self.locale;
        let places: std::collections::HashMap<String, String> = self
            .outreaches_list()?
            .into_iter()
            .map(|o| (o.id, o.place))
            .collect();
        let encounters = self
            .encounters_of(id)?
            .into_iter()
            .map(|e| EncounterView {
                when_label: when(locale, e.at, now, tz),
                place: e.outreach_id.as_ref().and_then(|o| places.get(o).cloned()),
                staff: e.staff,
                needs: e
                    .needs
                    .iter()
                    .map(|n| n.label_in(locale).to_owned())
                    .collect(),
                follow_up_label: e.follow_up.map(|d| team_words::follow_up(locale, d)),
                notes: e.notes,
                id: e.id,
            })
            .collect();
        let referrals = self
            .referrals_of(id)?
            .into_iter()
            .map(|r| self.referral_view(r, tz, locale))
            .collect();
        let consent = person
            .consents
            .iter()
            .rev()
            .find(|c| c.withdrawn_at.is_none());
        let consent_label = match consent {
            Some(c) => team_words::consent(
                locale,
                &c.form.label_in(locale).to_lowercase(),
                c.at.with_timezone(&tz).date_naive(),
                &c.staff,
            ),
            None => match person.consents.iter().filter_map(|c| c.withdrawn_at).max() {
                Some(at) => esv_shared::words::record::consent_withdrawn(
                    locale,
                    at.with_timezone(&tz).date_naive(),
                ),
                None => team_words::no_consent(locale).to_owned(),
            },
        };
        Ok(PersonView {
            id: person.id.clone(),
            name: person.display_name().to_owned(),
            civil_name: other_name(&person),
            birth_label: person.birth_date.map(|d| team_words::born(locale, d)),
            mother_name: person.mother_name.clone(),
            contact: person.contact.clone(),
            stage_label: person.stage.map(|s| s.label_in(locale).to_owned()),
            race_label: person.race.map(|r| r.label_in(locale).to_owned()),
            origin_label: person.origin.map(|o| o.label_in(locale).to_owned()),
            gender_identity: person.gender_identity.clone(),
            missing_documents: person
                .missing_documents
                .iter()
                .map(|d| d.label_in(locale).to_owned())
                .collect(),
            has_consent: consent.is_some(),
            consent_label,
            encounters,
            referrals,
            merged_into: person.merged_into.clone(),
            plan: crate::plan::plan_view(&person, tz, locale),
            fields: PersonCorrection {
                id: person.id.clone(),
                social_name: person.social_name.clone().unwrap_or_default(),
                civil_name: person.civil_name.clone().unwrap_or_default(),
                birth_date: person.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                mother_name: person.mother_name.clone().unwrap_or_default(),
                contact: person.contact.clone().unwrap_or_default(),
                stage: person.stage,
                race: person.race,
                gender_identity: person.gender_identity.clone().unwrap_or_default(),
                missing_documents: person.missing_documents.clone(),
                origin: person.origin,
            },
            can_manage: self
                .recorder()
                .is_ok_and(|r| r.role.may(Action::ManagePeople) && r.office == person.office_id),
        })
    }

    fn referral_view(&mut self, r: Referral, tz: Tz, locale: Locale) -> ReferralView {
        let service = self.service_label(&r.service_id, locale);
        ReferralView {
            made_label: team_words::referred(
                locale,
                r.made_at.with_timezone(&tz).date_naive(),
                &r.made_by,
            ),
            status_label: r.status.label_in(locale).to_owned(),
            status: r.status,
            outcome: r.outcome,
            service,
            service_id: r.service_id,
            id: r.id,
        }
    }

    /// "Juntar cadastros" from the staff screen: merges and answers the kept person's record.
    pub fn people_merge(&mut self, input: &MergeInput, now: DateTime<Utc>) -> Result<PersonView> {
        let merged = self.merge_people(&input.keep_id, &input.duplicate_id, "", now)?;
        self.person_view(&merged.kept.id, now)
    }

    /// Records the encounter form (checked first, by field, in plain words) and answers the
    /// person's record as it now is.
    pub fn encounter_record(
        &mut self,
        input: &EncounterInput,
        now: DateTime<Utc>,
    ) -> Result<PersonView> {
        let who = self.recorder()?;
        let has_consent = match &input.person_id {
            Some(id) => self.person(id)?.has_consent(),
            None => false,
        };
        let problems = input.problems(has_consent);
        if !problems.is_empty() {
            let words: Vec<String> = problems.into_iter().map(|(_, m)| m).collect();
            return Err(ReplicaError::BadInput(words.join(" ")));
        }
        let date = |text: &str| parse_date(text).ok().flatten();
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let form = EncounterForm {
            office_id: who.office,
            staff: who.staff,
            outreach_id: input.outreach_id.clone().filter(|o| !o.is_empty()),
            person_id: input.person_id.clone(),
            person: PersonFields {
                social_name: text(&input.social_name),
                civil_name: text(&input.civil_name),
                birth_date: date(&input.birth_date),
                mother_name: text(&input.mother_name),
                contact: text(&input.contact),
                stage: input.stage,
                race: input.race,
                gender_identity: text(&input.gender_identity),
                missing_documents: input.missing_documents.clone(),
                origin: input.origin,
            },
            consent: input.consent,
            needs: input.needs.clone(),
            referrals: input
                .referrals
                .iter()
                .map(|s| ReferralForm {
                    service_id: s.clone(),
                    reason: None,
                })
                .collect(),
            follow_up: date(&input.follow_up),
            notes: input.notes.clone(),
            release_id: input.release_id.clone().filter(|r| !r.is_empty()),
        };
        let recorded = self.record_encounter(&form, now)?;
        self.person_view(&recorded.person_id, now)
    }

    /// A counter-referral recorded by the one signed in.
    pub fn referral_outcome(
        &mut self,
        input: &OutcomeInput,
        now: DateTime<Utc>,
    ) -> Result<ReferralView> {
        let who = self.recorder()?;
        let r = self.set_referral_outcome(
            &input.id,
            input.status,
            Some(&input.outcome),
            &who.staff,
            now,
        )?;
        let tz = self.office_tz(&r.office_id);
        Ok(self.referral_view(r, tz, self.locale))
    }

    /// The guia de encaminhamento: its text, the QR code holding it, the PDF.
    pub fn referral_slip_view(&mut self, id: &str, now: DateTime<Utc>) -> Result<SlipView> {
        let slip = self.referral_slip(id, now)?;
        let text = esv_shared::slip::slip_text(&slip);
        let qr_svg =
            crate::slip::qr_svg(&text).map_err(|e| ReplicaError::BadInput(e.to_string()))?;
        let pdf = crate::slip::pdf(&slip);
        Ok(SlipView {
            referral_id: id.to_owned(),
            text,
            qr_svg,
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(pdf),
        })
    }
}

/// The civil name when the person is shown by another (their nome social).
fn other_name(p: &Person) -> Option<String> {
    p.civil_name
        .clone()
        .filter(|c| Some(c.as_str()) != Some(p.display_name()))
}

//! What the field and staff screens send and show: the device (PIN, lock, account), outreaches,
//! people found while typing, a person's record, the encounter form, a referral's slip.
//!
//! Dates travel as the text a person typed (`AAAA-MM-DD` from a date field) and are checked by
//! [`parse_date`], so a half-typed date is a plain message, not a failed call.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::people::{CivilDocument, ConsentForm, Need, Origin, Race, ReferralStatus, Stage};
use crate::sync::Role;

/// The device as the team screens need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    /// The store is encrypted with a PIN (a field or staff device).
    pub protected: bool,
    /// Protected and not unlocked (or locked after five minutes without use).
    pub locked: bool,
    /// The office revoked this device and its data were erased.
    pub wiped: bool,
    /// Seconds to wait before the next PIN can be tried (after wrong ones).
    pub pin_wait_seconds: u64,
    /// The signed-in account, when there is one and the store is open.
    #[serde(default)]
    pub account: Option<AccountView>,
    /// The office's server this app was set up with (`$ESV_SERVER`), if any.
    #[serde(default)]
    pub server: Option<String>,
}

impl DeviceView {
    /// A team member is signed in and the store is open: the busca ativa screens can work.
    pub fn is_team(&self) -> bool {
        !self.locked
            && self.account.as_ref().is_some_and(|a| {
                matches!(a.role, Role::FieldWorker | Role::Staff | Role::Coordinator)
            })
    }
}

/// Who is signed in on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    #[serde(default)]
    pub username: Option<String>,
    pub role: Role,
    /// "Equipe de campo", "Equipe do escritório", "Coordenação".
    pub role_label: String,
    pub office_id: String,
    /// The office's name, from the catalog.
    pub office: String,
}

/// The sign-in form of a team member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SignInInput {
    /// The server's address; when missing, the one the app was set up with.
    #[serde(default)]
    pub server: Option<String>,
    pub username: String,
    pub password: String,
    /// The PIN that will protect this device; needed when the device has none yet.
    #[serde(default)]
    pub pin: Option<String>,
    #[serde(default)]
    pub pin_again: Option<String>,
}

/// A new busca ativa.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OutreachInput {
    pub place: String,
    /// `AAAA-MM-DD`.
    pub date: String,
    /// Names of the team, one per line or separated by commas.
    #[serde(default)]
    pub team: String,
}

/// The termo de consentimento to read to a person, in the team's language: what the consent
/// records when the person agrees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentTermView {
    pub text: String,
    pub language: crate::locale::Locale,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachView {
    pub id: String,
    pub place: String,
    pub date: NaiveDate,
    /// "Terça, 1º de dezembro de 2026".
    pub date_label: String,
    pub team: Vec<String>,
    /// Encounters recorded in it on this device.
    pub encounters: usize,
}

/// What is typed in "Buscar pessoa" (search before create).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FindPeopleInput {
    pub text: String,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub mother_name: Option<String>,
}

/// A person found while typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFound {
    pub id: String,
    /// Nome social first.
    pub name: String,
    /// The civil name, when it differs from the name shown.
    #[serde(default)]
    pub civil_name: Option<String>,
    /// "Nasceu em 03/05/1990".
    #[serde(default)]
    pub birth_label: Option<String>,
    #[serde(default)]
    pub mother_name: Option<String>,
    /// With a birth date or mother's name typed: `same`, `maybe` or `different`.
    #[serde(default)]
    pub likeness: Option<String>,
    /// "Parece ser a mesma pessoa", "Pode ser a mesma pessoa", "Outra pessoa".
    #[serde(default)]
    pub likeness_label: Option<String>,
}

/// The encounter form (atendimento na busca ativa), as typed. Blank fields count as not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EncounterInput {
    #[serde(default)]
    pub outreach_id: Option<String>,
    /// A person chosen from the search; `None` records a new person.
    #[serde(default)]
    pub person_id: Option<String>,
    #[serde(default)]
    pub social_name: String,
    #[serde(default)]
    pub civil_name: String,
    /// `AAAA-MM-DD`, or blank.
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub mother_name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub race: Option<Race>,
    #[serde(default)]
    pub gender_identity: String,
    #[serde(default)]
    pub missing_documents: Vec<CivilDocument>,
    /// How the person reached the office.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// How the person agreed after the term was read; `None`: not (yet).
    #[serde(default)]
    pub consent: Option<ConsentForm>,
    #[serde(default)]
    pub needs: Vec<Need>,
    /// Catalog services referred to on the spot.
    #[serde(default)]
    pub referrals: Vec<String>,
    /// `AAAA-MM-DD`, or blank.
    #[serde(default)]
    pub follow_up: String,
    #[serde(default)]
    pub notes: String,
    /// The entry of the list of expected releases the person is met from, at the gate: the
    /// record starts from what the unit's list says.
    #[serde(default)]
    pub release_id: Option<String>,
}

impl EncounterInput {
    /// What must be fixed before saving, by field, in plain words — the same checks the store
    /// makes, so the form can say them inline as the person types. `has_consent` says whether
    /// the chosen person already has a consent on record.
    pub fn problems(&self, has_consent: bool) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if self.person_id.is_none()
            && self.release_id.is_none()
            && self.social_name.trim().is_empty()
            && self.civil_name.trim().is_empty()
        {
            problems.push((
                "social_name",
                "Escreva o nome pelo qual a pessoa quer ser chamada.".to_owned(),
            ));
        }
        for (field, text) in [
            ("birth_date", &self.birth_date),
            ("follow_up", &self.follow_up),
        ] {
            if let Err(message) = parse_date(text) {
                problems.push((field, message));
            }
        }
        if self.consent.is_none() && !has_consent {
            problems.push((
                "consent",
                "Sem o consentimento da pessoa, nada sobre ela pode ser guardado. Leia o termo \
                 e marque como ela concordou."
                    .to_owned(),
            ));
        }
        problems
    }
}

/// A date field's text: blank is `None`; `AAAA-MM-DD` or `DD/MM/AAAA` is the date; anything
/// else is a plain message.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| {
            format!("A data “{text}” não está completa: use dia/mês/ano, como 03/05/1990.")
        })
}

/// A person's record, nome social first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub civil_name: Option<String>,
    #[serde(default)]
    pub birth_label: Option<String>,
    #[serde(default)]
    pub mother_name: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub stage_label: Option<String>,
    #[serde(default)]
    pub race_label: Option<String>,
    /// How the person reached the office, in words.
    #[serde(default)]
    pub origin_label: Option<String>,
    #[serde(default)]
    pub gender_identity: Option<String>,
    /// Documents the person lacks, in words.
    pub missing_documents: Vec<String>,
    /// "Consentiu falando, em 01/12/2026, com Ana" — or that there is none in force.
    pub consent_label: String,
    pub has_consent: bool,
    /// Oldest first.
    pub encounters: Vec<EncounterView>,
    pub referrals: Vec<ReferralView>,
    /// This record was merged into that person's (open theirs instead); encounters and
    /// referrals of records merged into this one are listed above with its own.
    #[serde(default)]
    pub merged_into: Option<String>,
    /// Whether the one looking may merge this record and erase it (the office's Staff and
    /// Coordinator).
    #[serde(default)]
    pub can_manage: bool,
    /// The individual plan (singularização do atendimento): open goals first, then by due date.
    #[serde(default)]
    pub plan: Vec<PlanGoalView>,
    /// The record's fields as they stand, for the correction form to start from.
    #[serde(default)]
    pub fields: PersonCorrection,
}

/// A person's copy of their own record (LGPD art. 18 II and V): the whole record as JSON, to
/// keep or take elsewhere, and as a PDF to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCopyView {
    pub person_id: String,
    /// A file name without extension, with no name of the person in it ("dados-2026-12-07").
    pub file_stem: String,
    pub json: String,
    pub pdf_base64: String,
}

/// A correction of a person's data (LGPD art. 18 III): every field as it must now read; a
/// blank one is cleared (only a name, social or civil, must stay).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonCorrection {
    pub id: String,
    pub social_name: String,
    pub civil_name: String,
    /// `AAAA-MM-DD`, or blank.
    pub birth_date: String,
    pub mother_name: String,
    pub contact: String,
    pub stage: Option<Stage>,
    pub race: Option<Race>,
    pub gender_identity: String,
    pub missing_documents: Vec<CivilDocument>,
    pub origin: Option<Origin>,
}

/// One goal of the individual plan as the record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanGoalView {
    pub id: String,
    /// The need's slug and its words.
    pub need: String,
    pub need_label: String,
    pub action: String,
    #[serde(default)]
    pub responsible: String,
    /// "Até 15/12/2026", or nothing.
    #[serde(default)]
    pub due_label: Option<String>,
    /// `em-andamento`, `feito`, `deixado`.
    pub status: String,
    pub status_label: String,
    /// "Combinado em 01/12/2026 por ana".
    pub set_label: String,
}

/// A new goal of the plan (no `goal_id`), or a goal's new status (with it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanGoalInput {
    pub person_id: String,
    #[serde(default)]
    pub goal_id: Option<String>,
    #[serde(default)]
    pub need: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub responsible: String,
    /// `AAAA-MM-DD` or `DD/MM/AAAA`; blank for none.
    #[serde(default)]
    pub due: String,
    /// For a goal's new status.
    #[serde(default)]
    pub status: String,
}

/// "Juntar cadastros": the record that stays and the duplicate merged into it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MergeInput {
    pub keep_id: String,
    pub duplicate_id: String,
}

/// One opening of a person's record, as the Coordinator's screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub person_id: String,
    /// The account, or the device when it had none.
    pub who: String,
    /// When the server received it: "01/12/2026 às 10h05", in the office's time zone.
    pub when_label: String,
    /// What was read: "Abriu o cadastro", "Viu numa busca", "Fez a guia de encaminhamento".
    #[serde(default)]
    pub what_label: String,
    /// When the device says it was read, by its own clock: "no aparelho: 01/12/2026 às 9h58".
    #[serde(default)]
    pub opened_label: String,
}

/// A page of the audit log, and how to ask for the next one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditPageView {
    pub entries: Vec<AuditEntryView>,
    /// `before` for the next page; `None` on the last one.
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncounterView {
    pub id: String,
    /// "01/12/2026 às 10h".
    pub when_label: String,
    /// The outreach's place, when it was in one.
    #[serde(default)]
    pub place: Option<String>,
    pub staff: String,
    pub needs: Vec<String>,
    #[serde(default)]
    pub follow_up_label: Option<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralView {
    pub id: String,
    pub service_id: String,
    /// The service's name and who provides it.
    pub service: String,
    pub status: ReferralStatus,
    pub status_label: String,
    /// "Encaminhado em 01/12/2026 por Ana".
    pub made_label: String,
    #[serde(default)]
    pub outcome: Option<String>,
}

/// A counter-referral: what came back from a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeInput {
    pub id: String,
    pub status: ReferralStatus,
    #[serde(default)]
    pub outcome: String,
}

/// The guia de encaminhamento, to show, print or save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipView {
    pub referral_id: String,
    /// The slip's text, which the QR code holds too.
    pub text: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
    /// The one-page PDF, base64, for saving or sharing.
    pub pdf_base64: String,
}

/// What a "Pendências" item is about. New kinds (people expected at the gate this week) join
/// here; a screen shows any kind the same way, by its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueKind {
    /// A return scheduled at an encounter (its `follow_up`), not yet followed by another.
    Return,
    /// An open goal of the individual plan past its deadline.
    Goal,
    /// A referral with no counter-referral after the office's number of days.
    Referral,
}

/// One thing due or overdue on the team's home, one tap from the person's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    pub kind: DueKind,
    /// The person's record to open.
    pub person_id: String,
    /// Nome social first.
    pub person_name: String,
    /// What is due, in the session's language: "Retorno marcado para 05/12/2026".
    pub what: String,
    /// The day it fell due, in the office's time zone.
    pub due: NaiveDate,
    /// Days past `due` (0: due today).
    pub overdue_days: i64,
    /// "vence hoje", "vencido há 3 dias".
    pub since_label: String,
}

/// "Pendências": what is due or overdue for the office's people, most overdue first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorklistView {
    pub items: Vec<DueItem>,
    /// How many there are in all (`items` holds at most the first [`WORKLIST_SHOWN`]).
    pub total: usize,
    /// The setting: a referral is due after this many days without a counter-referral.
    pub referral_days: u32,
    /// People expected at the office's gates today and the next days, nobody met yet.
    #[serde(default)]
    pub expected: Vec<super::gate::ExpectedView>,
}

/// How many items the home screen receives at most (the most overdue).
pub const WORKLIST_SHOWN: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_typed() {
        let d = NaiveDate::from_ymd_opt(1990, 5, 3);
        assert_eq!(parse_date(" 1990-05-03 "), Ok(d));
        assert_eq!(parse_date("03/05/1990"), Ok(d));
        assert_eq!(parse_date(""), Ok(None));
        assert!(parse_date("03/05").is_err_and(|m| m.contains("não está completa")));
    }

    #[test]
    fn the_form_says_what_is_missing_by_field() {
        let empty = EncounterInput::default();
        let fields: Vec<&str> = empty.problems(false).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["social_name", "consent"]);
        let known = EncounterInput {
            person_id: Some("p1".into()),
            birth_date: "31/02/1990".into(),
            ..EncounterInput::default()
        };
        let fields: Vec<&str> = known.problems(true).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["birth_date"]);
        let good = EncounterInput {
            social_name: "Joana".into(),
            consent: Some(ConsentForm::Spoken),
            ..EncounterInput::default()
        };
        assert!(good.problems(false).is_empty());
    }
}

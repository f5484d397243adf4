//! The people an office serves and what its field teams record about them (busca ativa):
//! `Person` with consent (termo de consentimento), raça/cor and identidade de gênero as the
//! person declares them, `Outreach`, `Encounter`, `Referral` with its counter-referral.
//!
//! Least data (LGPD): only a name is required (nome social or civil name); everything else is
//! optional and nothing is stored without a consent on record. Ids of a person's documents
//! start with the person's id (`<person>/<random>`), so erasing a person names every document
//! about them without reading any (see [`crate::sync::subject`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

macro_rules! slugged {
    ($name:ident { $($variant:ident = $slug:literal, $label:literal, $es:literal;)* }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),* }
            }

            /// What a person reads (pt-BR): reports, exports, the office's own records.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            /// What a person reads, in their language (the team's screens).
            pub fn label_in(self, locale: crate::locale::Locale) -> &'static str {
                match locale {
                    crate::locale::Locale::PtBr => self.label(),
                    crate::locale::Locale::Es => match self { $($name::$variant => $es),* },
                }
            }

            pub fn parse(slug: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.slug() == slug)
            }
        }
    };
}

/// Where the person is in relation to prison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    PreRelease,
    Released,
    Family,
}

slugged!(Stage {
    PreRelease = "pre-release", "Pessoa pré-egressa", "Persona por salir de prisión (preegresada)";
    Released = "released", "Pessoa egressa", "Persona egresada de prisión";
    Family = "family", "Familiar", "Familiar";
});

/// How the person reached the office: the origin the monitoring report counts (the office's
/// reach: busca ativa at the prison gate, the justice system, the partner network, families,
/// people who came on their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Met at the prison gate (porta de saída) or inside, by busca ativa.
    Gate,
    /// Sent by the court, the Ministério Público or the Defensoria Pública.
    Justice,
    /// Sent by a service of the partner network (Raesp: CRAS, CREAS, CAPS, Sine, NGOs…).
    Partner,
    /// Brought or sent by a relative.
    Family,
    /// Came on their own (procura espontânea).
    WalkIn,
}

slugged!(Origin {
    Gate = "porta-de-saida", "Na saída da prisão (busca ativa)", "A la salida de la prisión (búsqueda activa)";
    Justice = "justica", "Pela Justiça, MP ou Defensoria", "Por la Justicia, el Ministerio Público o la Defensoria Pública";
    Partner = "rede", "Por um serviço da rede parceira", "Por un servicio de la red de apoyo";
    Family = "familia", "Por um familiar", "Por un familiar";
    WalkIn = "por-conta-propria", "Veio por conta própria", "Vino por su cuenta";
});

/// Raça/cor, in IBGE's categories, as the person declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Race {
    White,
    Black,
    Brown,
    Yellow,
    Indigenous,
    NotDeclared,
}

slugged!(Race {
    White = "branca", "Branca", "Blanca";
    Black = "preta", "Preta", "Negra";
    Brown = "parda", "Parda", "Parda";
    Yellow = "amarela", "Amarela", "Amarilla";
    Indigenous = "indigena", "Indígena", "Indígena";
    NotDeclared = "nao-declarada", "Prefere não declarar", "Prefiere no declarar";
});

/// A civil document the person lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CivilDocument {
    IdCard,
    Cpf,
    VoterCard,
    WorkCard,
    BirthCertificate,
    /// Certificado de reservista (or of dispensa): asked of men from the year they turn 19 to
    /// the year they turn 45 for public jobs, exams, passports and some licences (Lei
    /// 4.375/1964, art. 74; see the article `direitos-situacao-militar-reservista`). Added after
    /// the first release: older apps read it as absent and keep it (`crate::lenient`).
    MilitaryCertificate,
}

slugged!(CivilDocument {
    IdCard = "cin", "CIN / RG (identidade)", "CIN / RG (documento de identidad)";
    Cpf = "cpf", "CPF", "CPF";
    VoterCard = "titulo", "Título de eleitor", "Título de elector";
    WorkCard = "ctps", "Carteira de trabalho (CTPS)", "Libreta de trabajo (CTPS)";
    BirthCertificate = "certidao", "Certidão de nascimento", "Partida de nacimiento";
    MilitaryCertificate = "reservista", "Certificado de reservista", "Certificado de reservista (servicio militar)";
});

/// A need identified with the person (demanda).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    CivilDocuments,
    Health,
    MentalHealth,
    AlcoholDrugs,
    WorkIncome,
    Education,
    SocialAssistance,
    Housing,
    Food,
    Legal,
    Family,
    Transport,
}

slugged!(Need {
    CivilDocuments = "documentacao", "Documentação civil", "Documentación civil";
    Health = "saude", "Saúde", "Salud";
    MentalHealth = "saude-mental", "Saúde mental", "Salud mental";
    AlcoholDrugs = "alcool-drogas", "Álcool e drogas", "Alcohol y drogas";
    WorkIncome = "trabalho", "Trabalho e renda", "Trabajo e ingresos";
    Education = "educacao", "Educação", "Educación";
    SocialAssistance = "assistencia", "Assistência social", "Asistencia social";
    Housing = "moradia", "Moradia", "Vivienda";
    Food = "alimentacao", "Alimentação", "Alimentación";
    Legal = "juridica", "Jurídica", "Jurídica";
    Family = "familia", "Família", "Familia";
    Transport = "transporte", "Transporte", "Transporte";
});

/// How consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentForm {
    /// Read aloud and agreed aloud, witnessed by the staff member.
    Spoken,
    /// Signed on paper (kept at the office).
    Signed,
    /// Marked on the device by the person.
    OnDevice,
}

slugged!(ConsentForm {
    Spoken = "falado", "Lido em voz alta e aceito em voz alta", "Leído en voz alta y aceptado en voz alta";
    Signed = "assinado", "Assinado em papel", "Firmado en papel";
    OnDevice = "no-aparelho", "Marcado pela pessoa no aparelho", "Marcado por la persona en el dispositivo";
});

/// The termo de consentimento: what the person agreed to, how, before whom, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: String,
    /// The purpose as read to the person.
    pub purpose: String,
    pub form: ConsentForm,
    /// The staff member who collected it.
    pub staff: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// The purpose read to a person before anything about them is saved (pt-BR); the whole term,
/// naming who answers for the data, is [`crate::consent::term`].
pub const CONSENT_PURPOSE: &str = crate::consent::PURPOSE;

/// A person known to the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub office_id: String,
    /// The name the person wants to be called; shown first everywhere.
    #[serde(default)]
    pub social_name: Option<String>,
    #[serde(default)]
    pub civil_name: Option<String>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub mother_name: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::option")]
    pub stage: Option<Stage>,
    #[serde(default, deserialize_with = "crate::lenient::option")]
    pub race: Option<Race>,
    /// Self-declared, in the person's own words.
    #[serde(default)]
    pub gender_identity: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::list")]
    pub missing_documents: Vec<CivilDocument>,
    /// Keyed by id in the document, so consents recorded on two devices both stay.
    #[serde(default)]
    pub consents: Vec<Consent>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// Set when the office merged this record into another (both histories are kept).
    #[serde(default)]
    pub merged_into: Option<String>,
    /// The individual plan (singularização do atendimento), keyed by goal id in the document.
    #[serde(default)]
    pub plan: Vec<PlanGoal>,
    /// How the person reached the office. Added after the first release: older apps keep it
    /// (invariant 16).
    #[serde(default, deserialize_with = "crate::lenient::option")]
    pub origin: Option<Origin>,
    /// When and where (the unit's name) the person left prison, when met at the gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_place: Option<String>,
}

/// Where a goal of the individual plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoalStatus {
    Open,
    Done,
    Dropped,
}

slugged!(GoalStatus {
    Open = "em-andamento", "Em andamento", "En curso";
    Done = "feito", "Feito", "Hecho";
    Dropped = "deixado", "Deixado de lado", "Dejado de lado";
});

/// One goal of the individual plan: what the person and the office agreed to work on for one
/// need, the next step in plain words, who takes it, by when, and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanGoal {
    pub id: String,
    pub need: Need,
    /// "Tirar a 2ª via do RG no Faça Fácil".
    pub action: String,
    /// The person, the office, or a service of the network.
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    pub status: GoalStatus,
    pub set_by: String,
    pub set_at: DateTime<Utc>,
}

impl Person {
    /// A person known only by id so far: nothing about them yet (least data).
    pub fn new(id: &str, office_id: &str, created_by: &str, created_at: DateTime<Utc>) -> Person {
        Person {
            id: id.to_owned(),
            office_id: office_id.to_owned(),
            social_name: None,
            civil_name: None,
            birth_date: None,
            mother_name: None,
            contact: None,
            stage: None,
            race: None,
            gender_identity: None,
            missing_documents: Vec::new(),
            consents: Vec::new(),
            created_at,
            created_by: created_by.to_owned(),
            merged_into: None,
            plan: Vec::new(),
            origin: None,
            release_date: None,
            release_place: None,
        }
    }

    /// The name to show: nome social first.
    pub fn display_name(&self) -> &str {
        self.social_name
            .as_deref()
            .or(self.civil_name.as_deref())
            .unwrap_or("(sem nome)")
    }

    /// Whether a consent is on record and not withdrawn.
    pub fn has_consent(&self) -> bool {
        self.consents.iter().any(|c| c.withdrawn_at.is_none())
    }
}

/// A busca ativa: a team at a place on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outreach {
    pub id: String,
    pub office_id: String,
    /// A unidade prisional or other point, from the office's list.
    pub place: String,
    pub date: NaiveDate,
    pub team: Vec<String>,
}

/// One contact with a person (atendimento), in an outreach or at the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encounter {
    /// `<person>/<random>`.
    pub id: String,
    pub person_id: String,
    pub office_id: String,
    #[serde(default)]
    pub outreach_id: Option<String>,
    pub at: DateTime<Utc>,
    pub staff: String,
    /// The consent this encounter's data were recorded under.
    pub consent_id: String,
    #[serde(default, deserialize_with = "crate::lenient::list")]
    pub needs: Vec<Need>,
    #[serde(default)]
    pub follow_up: Option<NaiveDate>,
    #[serde(default)]
    pub notes: String,
}

/// Where a referral stands: the counter-referral (contrarreferência) closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferralStatus {
    Referred,
    Attended,
    NotAttended,
    NoReturn,
}

slugged!(ReferralStatus {
    Referred = "encaminhado", "Encaminhado", "Derivado";
    Attended = "atendido", "Atendido", "Atendido";
    NotAttended = "nao-atendido", "Não atendido", "No atendido";
    NoReturn = "sem-retorno", "Sem retorno", "Sin respuesta";
});

/// A referral (encaminhamento) to a service of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// `<person>/<random>`.
    pub id: String,
    pub person_id: String,
    pub office_id: String,
    #[serde(default)]
    pub encounter_id: Option<String>,
    pub service_id: String,
    pub made_at: DateTime<Utc>,
    pub made_by: String,
    #[serde(default)]
    pub reason: Option<String>,
    pub status: ReferralStatus,
    /// The counter-referral: what came back, written later by staff.
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub outcome_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub outcome_by: Option<String>,
}

/// What a person typed into an encounter form, checked: plain-language messages by field.
pub fn check_person(person: &Person) -> Vec<(&'static str, &'static str)> {
    let mut problems = Vec::new();
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&person.social_name) && blank(&person.civil_name) {
        problems.push((
            "social_name",
            "Escreva o nome pelo qual a pessoa quer ser chamada.",
        ));
    }
    if let Some(birth) = person.birth_date {
        if birth >= person.created_at.date_naive()
            || birth < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(birth)
        {
            problems.push(("birth_date", "Essa data de nascimento não parece certa."));
        }
    }
    if !person.has_consent() {
        problems.push((
            "consent",
            "Sem o consentimento da pessoa, nada sobre ela pode ser guardado. Leia o termo e \
             marque como ela concordou.",
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Person {
        Person {
            id: "p1".into(),
            office_id: "es-vitoria".into(),
            social_name: Some("Maria Aparecida Teste".into()),
            civil_name: None,
            birth_date: None,
            mother_name: None,
            contact: None,
            stage: Some(Stage::Released),
            race: None,
            gender_identity: None,
            missing_documents: Vec::new(),
            consents: vec![Consent {
                id: "c1".into(),
                purpose: CONSENT_PURPOSE.into(),
                form: ConsentForm::Spoken,
                staff: "ana".into(),
                at: "2026-12-01T10:00:00Z".parse().expect("instant"),
                withdrawn_at: None,
            }],
            created_at: "2026-12-01T10:00:00Z".parse().expect("instant"),
            created_by: "ana".into(),
            merged_into: None,
            plan: Vec::new(),
            origin: None,
            release_date: None,
            release_place: None,
        }
    }

    /// An outreach survives every erasure (it has no subject: `sync::subject`), so it must
    /// name no person it met. Every field is spelled out here: a new one fails to compile
    /// until someone decides whether it names a person — and if it does, it belongs in the
    /// encounter (the person's), not here.
    #[test]
    fn an_outreach_names_no_person_it_met() {
        let outreach = Outreach {
            id: "o1".into(),
            office_id: "es-vitoria".into(),
            place: "Penitenciária Estadual de Vila Velha".into(),
            date: "2026-12-01".parse().expect("date"),
            team: vec!["ana".into(), "caio".into()],
        };
        // The team are accounts of the office (staff, not people served).
        let Outreach {
            id,
            office_id,
            place,
            date: _,
            team,
        } = outreach;
        assert_eq!(crate::sync::subject(&format!("outreach:{id}")), None);
        assert!(
            [id, office_id, place]
                .iter()
                .chain(&team)
                .all(|s| !s.is_empty()),
            "every field is about the activity"
        );
    }

    #[test]
    fn slugs_round_trip_and_labels_are_portuguese() {
        for r in Race::ALL {
            assert_eq!(Race::parse(r.slug()), Some(*r));
        }
        for n in Need::ALL {
            assert_eq!(Need::parse(n.slug()), Some(*n));
        }
        assert_eq!(Need::ALL.len(), 12, "the glossary's list of needs");
        assert_eq!(Race::NotDeclared.label(), "Prefere não declarar");
        assert_eq!(CivilDocument::parse("ctps"), Some(CivilDocument::WorkCard));
        for d in CivilDocument::ALL {
            assert_eq!(CivilDocument::parse(d.slug()), Some(*d));
        }
        assert_eq!(
            CivilDocument::parse("reservista").map(CivilDocument::label),
            Some("Certificado de reservista")
        );
        assert_eq!(
            ReferralStatus::parse("sem-retorno"),
            Some(ReferralStatus::NoReturn)
        );
    }

    #[test]
    fn a_name_and_a_consent_are_all_that_is_required() {
        assert!(check_person(&person()).is_empty());
        let mut nameless = person();
        nameless.social_name = Some("  ".into());
        assert_eq!(check_person(&nameless)[0].0, "social_name");
        let mut civil_only = person();
        civil_only.social_name = None;
        civil_only.civil_name = Some("Maria A. Teste".into());
        assert!(check_person(&civil_only).is_empty());
        assert_eq!(civil_only.display_name(), "Maria A. Teste");
        let mut withdrawn = person();
        withdrawn.consents[0].withdrawn_at = Some(withdrawn.created_at);
        assert_eq!(check_person(&withdrawn)[0].0, "consent");
        let mut future = person();
        future.birth_date = NaiveDate::from_ymd_opt(2030, 1, 1);
        assert_eq!(check_person(&future)[0].0, "birth_date");
    }
}

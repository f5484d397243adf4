//! Domain types named after the glossary: offices, partner organisations, services, hours,
//! holidays, rights articles and opportunities. Plain data, serialisable, no behaviour that needs I/O.

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// What kind of help a service gives. The pt-BR label is what a person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Documents,
    Health,
    WorkIncome,
    SocialAssistance,
    Food,
    Housing,
    Legal,
    Education,
    Family,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Documents,
        Category::Health,
        Category::WorkIncome,
        Category::SocialAssistance,
        Category::Food,
        Category::Housing,
        Category::Legal,
        Category::Education,
        Category::Family,
    ];

    /// The label shown on screen (pt-BR).
    pub fn label(self) -> &'static str {
        match self {
            Category::Documents => "Documentos",
            Category::Health => "Saúde",
            Category::WorkIncome => "Trabalho e renda",
            Category::SocialAssistance => "Assistência social",
            Category::Food => "Alimentação",
            Category::Housing => "Moradia e acolhimento",
            Category::Legal => "Jurídico",
            Category::Education => "Educação",
            Category::Family => "Família",
        }
    }

    /// The stable identifier used in data files, URLs and the CLI.
    pub fn slug(self) -> &'static str {
        match self {
            Category::Documents => "documents",
            Category::Health => "health",
            Category::WorkIncome => "work-income",
            Category::SocialAssistance => "social-assistance",
            Category::Food => "food",
            Category::Housing => "housing",
            Category::Legal => "legal",
            Category::Education => "education",
            Category::Family => "family",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// The 27 federative units (26 states and the Distrito Federal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Uf {
    AC,
    AL,
    AP,
    AM,
    BA,
    CE,
    DF,
    ES,
    GO,
    MA,
    MT,
    MS,
    MG,
    PA,
    PB,
    PR,
    PE,
    PI,
    RJ,
    RN,
    RS,
    RO,
    RR,
    SC,
    SP,
    SE,
    TO,
}

impl Uf {
    pub const ALL: [Uf; 27] = [
        Uf::AC,
        Uf::AL,
        Uf::AP,
        Uf::AM,
        Uf::BA,
        Uf::CE,
        Uf::DF,
        Uf::ES,
        Uf::GO,
        Uf::MA,
        Uf::MT,
        Uf::MS,
        Uf::MG,
        Uf::PA,
        Uf::PB,
        Uf::PR,
        Uf::PE,
        Uf::PI,
        Uf::RJ,
        Uf::RN,
        Uf::RS,
        Uf::RO,
        Uf::RR,
        Uf::SC,
        Uf::SP,
        Uf::SE,
        Uf::TO,
    ];

    /// The two-letter code, e.g. "ES".
    pub fn code(self) -> &'static str {
        match self {
            Uf::AC => "AC",
            Uf::AL => "AL",
            Uf::AP => "AP",
            Uf::AM => "AM",
            Uf::BA => "BA",
            Uf::CE => "CE",
            Uf::DF => "DF",
            Uf::ES => "ES",
            Uf::GO => "GO",
            Uf::MA => "MA",
            Uf::MT => "MT",
            Uf::MS => "MS",
            Uf::MG => "MG",
            Uf::PA => "PA",
            Uf::PB => "PB",
            Uf::PR => "PR",
            Uf::PE => "PE",
            Uf::PI => "PI",
            Uf::RJ => "RJ",
            Uf::RN => "RN",
            Uf::RS => "RS",
            Uf::RO => "RO",
            Uf::RR => "RR",
            Uf::SC => "SC",
            Uf::SP => "SP",
            Uf::SE => "SE",
            Uf::TO => "TO",
        }
    }

    /// Parses a code in any letter case ("es", "ES").
    pub fn from_code(code: &str) -> Option<Uf> {
        Uf::ALL
            .into_iter()
            .find(|uf| uf.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// A place a person can go to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Street address as a person would write it on an envelope.
    pub address: String,
    /// Extra directions ("acesso pela Avenida Beira-Mar").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directions: Option<String>,
    pub municipality: String,
    /// IBGE municipality code (7 digits), used for municipal holidays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_ibge: Option<u32>,
    pub uf: Uf,
    /// IANA time zone name, never an offset (invariant 7).
    pub tz: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// As dialled: digits, maybe with a leading "+" ("2731325137", "100").
    pub number: String,
    /// As written for people: "(27) 3132-5137", "Disque 100".
    pub display: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// One weekly opening interval in the office's local time. `closes <= opens` means the
/// interval passes midnight and ends on the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyInterval {
    #[serde(with = "weekday_pt")]
    pub weekday: Weekday,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl WeeklyInterval {
    pub fn passes_midnight(&self) -> bool {
        self.closes <= self.opens
    }
}

/// Opening hours: weekly intervals valid between two dates, plus exceptions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Schedule {
    /// Open around the clock (hotlines such as Disque 100). Intervals are then ignored.
    #[serde(default)]
    pub always_open: bool,
    #[serde(default)]
    pub intervals: Vec<WeeklyInterval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    #[serde(default)]
    pub exceptions: Vec<ScheduleException>,
    /// Whether the place closes on holidays (almost every public office does).
    #[serde(default = "yes")]
    pub closes_on_holidays: bool,
    /// Optional-closing days (pontos facultativos) this place observes, by name
    /// (e.g. "Carnaval", "Quarta-feira de Cinzas"). Others are working days.
    #[serde(default)]
    pub observed_optional_days: Vec<String>,
    /// The day a person last confirmed these hours.
    pub reviewed_on: NaiveDate,
    /// After this day the hours are shown as not confirmed (open-now answers `Unknown`).
    pub review_due: NaiveDate,
}

fn yes() -> bool {
    true
}

/// A dated change to the weekly schedule: a closure or special hours. It wins over holidays
/// and the weekly schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleException {
    pub date: NaiveDate,
    /// Empty means closed all day.
    #[serde(default)]
    pub intervals: Vec<TimeRange>,
    /// Why, in pt-BR ("recesso de fim de ano", "mutirão de documentos").
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HolidayKind {
    /// Feriado: public offices close.
    Holiday,
    /// Ponto facultativo: closes only where the place says so.
    OptionalDay,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "level", content = "code")]
pub enum HolidayScope {
    National,
    State(Uf),
    /// IBGE municipality code.
    Municipal(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    pub kind: HolidayKind,
    pub scope: HolidayScope,
    /// The legal source (law and article).
    pub source: String,
}

/// A municipal holiday as an office lists it in its catalog: a fixed day each year (`month`,
/// `day`), or a day counted from Easter Sunday (`easter_offset`; Corpus Christi is 60), whose
/// `month` and `day` are then 0 — so an app older than the field skips the day (it is no day of
/// the year) rather than closing on a wrong one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalHoliday {
    pub month: u32,
    pub day: u32,
    pub name: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easter_offset: Option<i32>,
}

/// Where a statement comes from: a law and article, or an official page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// "Lei 7.210/1984 (Lei de Execução Penal), art. 132".
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Something a person can get, from an office or a partner organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(deserialize_with = "crate::lenient::list")]
    pub categories: Vec<Category>,
    /// Who it is for, in plain words.
    pub audience: String,
    #[serde(default)]
    pub required_documents: Vec<String>,
    /// Where to go; `None` for phone or online services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// `None` means the service follows its office's or organisation's hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Words people use for it that are not in its name ("RG", "CIN").
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub reviewed_on: NaiveDate,
    /// The same texts in Spanish (`translation.rs`); `None` until translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<crate::translation::ServiceText>,
}

/// An Escritório Social unit and the services it offers itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Office {
    pub id: String,
    pub name: String,
    pub description: String,
    pub location: Location,
    pub phones: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub schedule: Schedule,
    #[serde(default)]
    pub municipal_holidays: Vec<MunicipalHoliday>,
    pub services: Vec<Service>,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub reviewed_on: NaiveDate,
    /// The same texts in Spanish (`translation.rs`); `None` until translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<crate::translation::ProviderText>,
    /// Who answers for the personal data the office keeps, as its consent term names them;
    /// `None` until the office says (the term then asks the person to ask at the office).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_protection: Option<DataProtection>,
    /// The prison units the office works with (its busca ativa and expected releases), keyed
    /// by id in the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prison_facilities: Vec<crate::release::PrisonFacility>,
}

/// The controlador (the public body that decides about the data, LGPD art. 5 VI) and its
/// encarregado (the person people write to about their data, art. 5 VIII), whose identity and
/// contact must be public (art. 41 §1). Public like the rest of the office's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataProtection {
    /// "Secretaria de Estado da Justiça do Espírito Santo (Sejus)".
    pub controller: String,
    /// The encarregado's name or office ("Encarregado de Dados da Sejus").
    pub dpo: String,
    /// How to reach them: an e-mail, a phone or a web page.
    pub dpo_contact: String,
}

impl DataProtection {
    /// What is wrong with it, in plain words: each part is needed and short.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (value, what) in [
            (
                &self.controller,
                "Falta o nome de quem responde pelos dados (controlador).",
            ),
            (&self.dpo, "Falta o nome do encarregado de dados."),
            (
                &self.dpo_contact,
                "Falta o contato do encarregado de dados.",
            ),
        ] {
            if value.trim().is_empty() {
                out.push(what);
            } else if value.chars().count() > 200 {
                out.push("Cada campo dos dados do encarregado cabe em 200 caracteres.");
            }
        }
        out
    }
}

/// A partner organisation (CRAS, CAPS, Defensoria, a national hotline…) and its services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The office that lists it; `None` for national services listed by every office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    pub services: Vec<Service>,
    pub reviewed_on: NaiveDate,
    /// The same texts in Spanish (`translation.rs`); `None` until translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<crate::translation::ProviderText>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RightsGroup {
    Documents,
    WorkIncome,
    Benefits,
    Sentence,
    Health,
    Family,
    Participation,
    LegalHelp,
}

impl RightsGroup {
    pub fn label(self) -> &'static str {
        match self {
            RightsGroup::Documents => "Documentos",
            RightsGroup::WorkIncome => "Trabalho e renda",
            RightsGroup::Benefits => "Benefícios",
            RightsGroup::Sentence => "Cumprimento da pena",
            RightsGroup::Health => "Saúde",
            RightsGroup::Family => "Família",
            RightsGroup::Participation => "Participação",
            RightsGroup::LegalHelp => "Ajuda jurídica",
        }
    }
}

/// A plain-language rights topic with its sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsArticle {
    pub id: String,
    pub title: String,
    pub group: RightsGroup,
    /// One or two sentences shown in the list.
    pub summary: String,
    /// Paragraphs in plain pt-BR.
    pub body: Vec<String>,
    pub sources: Vec<Source>,
    pub reviewed_on: NaiveDate,
    /// Catalog services where a person can get help with this (service ids).
    #[serde(default)]
    pub help_services: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The same texts in Spanish (`translation.rs`); `None` until translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<crate::translation::ArticleText>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpportunityKind {
    Job,
    Course,
    Workshop,
}

/// A job vacancy, course or workshop an office announces, with a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: String,
    pub office_id: String,
    pub kind: OpportunityKind,
    pub title: String,
    pub description: String,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub requirements: Vec<String>,
    pub reviewed_on: NaiveDate,
}

/// Weekdays are written in data files as pt-BR abbreviations: seg, ter, qua, qui, sex, sab, dom.
pub mod weekday_pt {
    use chrono::Weekday;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn code(day: Weekday) -> &'static str {
        match day {
            Weekday::Mon => "seg",
            Weekday::Tue => "ter",
            Weekday::Wed => "qua",
            Weekday::Thu => "qui",
            Weekday::Fri => "sex",
            Weekday::Sat => "sab",
            Weekday::Sun => "dom",
        }
    }

    pub fn parse(code: &str) -> Option<Weekday> {
        WEEK.into_iter().find(|d| self::code(*d) == code)
    }

    /// The days of the week, Monday first (as Brazilian calendars and schedules list them).
    pub const WEEK: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code(*day))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "dia da semana desconhecido: {text:?} (use seg, ter, qua, qui, sex, sab ou dom)"
            ))
        })
    }
}

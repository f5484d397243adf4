//! The data files as written by people (see `FORMAT.md`), before validation: spans are kept
//! so that every error can name its file and line.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use esv_shared::domain::{Category, DataProtection, Location, Phone, RightsGroup, Source};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeFile {
    pub id: Spanned<String>,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub email: Option<String>,
    pub reviewed_on: Spanned<Datetime>,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub location: Location,
    pub hours: Spanned<HoursRaw>,
    #[serde(default)]
    pub municipal_holidays: Vec<Spanned<MunicipalHolidayRaw>>,
    #[serde(default)]
    pub services: Vec<ServiceRaw>,
    #[serde(default)]
    pub es: Option<Spanned<ProviderEsRaw>>,
    /// The controlador and encarregado the consent term names (`[data_protection]`).
    #[serde(default)]
    pub data_protection: Option<Spanned<DataProtection>>,
    /// The prison units the office works with (`[[prison_facilities]]`).
    #[serde(default)]
    pub prison_facilities: Vec<Spanned<esv_shared::release::PrisonFacility>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationFile {
    pub id: Spanned<String>,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub office_id: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    pub reviewed_on: Spanned<Datetime>,
    #[serde(default)]
    pub services: Vec<ServiceRaw>,
    #[serde(default)]
    pub es: Option<Spanned<ProviderEsRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRaw {
    pub id: Spanned<String>,
    pub name: String,
    pub description: String,
    pub categories: Vec<Category>,
    pub audience: String,
    #[serde(default)]
    pub required_documents: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub reviewed_on: Spanned<Datetime>,
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default)]
    pub hours: Option<Spanned<HoursRaw>>,
    #[serde(default)]
    pub es: Option<Spanned<ServiceEsRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursRaw {
    #[serde(default)]
    pub always_open: bool,
    #[serde(default)]
    pub weekly: Vec<Spanned<WeeklyRaw>>,
    #[serde(default)]
    pub valid_from: Option<Datetime>,
    #[serde(default)]
    pub valid_until: Option<Datetime>,
    #[serde(default)]
    pub review_due: Option<Datetime>,
    #[serde(default = "yes")]
    pub closes_on_holidays: bool,
    #[serde(default)]
    pub observed_optional_days: Vec<String>,
    #[serde(default)]
    pub exceptions: Vec<Spanned<ExceptionRaw>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyRaw {
    pub days: Vec<String>,
    pub opens: String,
    pub closes: String,
    #[serde(default)]
    pub overnight: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRaw {
    pub date: Datetime,
    pub reason: String,
    #[serde(default)]
    pub intervals: Vec<RangeRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeRaw {
    pub opens: String,
    pub closes: String,
    #[serde(default)]
    pub overnight: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalHolidayRaw {
    /// A fixed day: `month` and `day`; a movable one: `easter_offset` (days after Easter).
    #[serde(default)]
    pub month: Option<u32>,
    #[serde(default)]
    pub day: Option<u32>,
    #[serde(default)]
    pub easter_offset: Option<i32>,
    pub name: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleFile {
    pub id: Spanned<String>,
    pub title: String,
    pub group: RightsGroup,
    pub summary: String,
    pub reviewed_on: Spanned<Datetime>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub help_services: Vec<Spanned<String>>,
    pub body: Spanned<Vec<String>>,
    pub sources: Spanned<Vec<Source>>,
    #[serde(default)]
    pub es: Option<Spanned<ArticleEsRaw>>,
}

/// `[es]` of a rights article: its Spanish text (the sources are the article's own).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleEsRaw {
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub body: Vec<String>,
    #[serde(default)]
    pub reviewed_on: Option<Spanned<Datetime>>,
}

/// `[services.es]`: a service's Spanish text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEsRaw {
    pub name: String,
    pub description: String,
    pub audience: String,
    #[serde(default)]
    pub required_documents: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub reviewed_on: Option<Spanned<Datetime>>,
}

/// `[es]` of an office or organisation: its Spanish description (and name, when it is not a
/// proper name).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderEsRaw {
    #[serde(default)]
    pub name: Option<String>,
    pub description: String,
    #[serde(default)]
    pub reviewed_on: Option<Spanned<Datetime>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymsFile {
    #[serde(default)]
    pub group: Vec<SynonymGroup>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymGroup {
    pub words: Vec<String>,
}

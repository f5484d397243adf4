//! The gate's screens: the office's prison units, the list of people expected to be released
//! (typed, or a unit's CSV list), and the week the field team sees on its home.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::release::LineProblem;

/// Someone expected at a gate, one tap from an encounter that starts from the unit's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedView {
    /// The entry's id (`EncounterInput::release_id`).
    pub id: String,
    pub name: String,
    pub facility: String,
    pub release_date: NaiveDate,
    /// "hoje", "amanhã", "qui 10/12", in the session's language.
    pub when_label: String,
    /// "Nascido em 03/05/1990", when the list gave it.
    #[serde(default)]
    pub birth_label: Option<String>,
    /// As the list gave them, to start the encounter's form.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub mother_name: Option<String>,
}

/// A person typed into the list by the team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseInput {
    pub name: String,
    /// `AAAA-MM-DD` or `DD/MM/AAAA`.
    pub release_date: String,
    /// A unit's id or name.
    pub facility: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub mother_name: String,
}

/// What reading a unit's list did, to show the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListImportedView {
    pub added: usize,
    pub already: usize,
    pub problems: Vec<LineProblem>,
    /// "120 pessoas na lista; 3 já estavam; 2 linhas com problema (abaixo)."
    pub message: String,
}

/// A prison unit, added or renamed by the office.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilityInput {
    /// `None`: a new unit.
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub municipality: String,
}

/// How many days ahead the team's home lists people expected at the gate.
pub const GATE_DAYS: i64 = 7;

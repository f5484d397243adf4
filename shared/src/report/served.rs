//! The people served in the month, as four tables of a report — by stage, by raça/cor × gênero,
//! by need, by outreach place — with their labels, suppressed together: they count the same
//! people, so a number hidden in one must not be worked out from another.
//!
//! The first two add up to the number of people served (each person in one cell), so their
//! grand totals are one number; a need's or a place's count is at most that number. Other
//! sections (referrals, time to atendimento) count referrals or people of other months and share
//! no sum with these, so each is suppressed on its own.

use super::suppress::suppress_together;
use super::{Counts, GenderGroup, Label, Table};
use crate::people::{Need, Race, Stage};

/// The key of "não informado" rows.
pub const NOT_INFORMED: &str = "nao-informado";

/// People served by stage (one column), before suppression.
pub fn by_stage() -> Counts {
    Counts::new(
        Stage::ALL
            .iter()
            .map(|s| Label::new(s.slug(), s.label()))
            .chain([Label::new(NOT_INFORMED, "Não informado")])
            .collect(),
        vec![Label::new("pessoas", "Pessoas atendidas")],
        true,
    )
}

/// People served by raça/cor (rows) × gênero (columns), before suppression.
pub fn by_race_gender() -> Counts {
    Counts::new(
        Race::ALL
            .iter()
            .map(|r| Label::new(r.slug(), r.label()))
            .chain([Label::new(NOT_INFORMED, "Não informada")])
            .collect(),
        GenderGroup::ALL
            .iter()
            .map(|g| Label::new(g.slug(), g.label()))
            .collect(),
        true,
    )
}

/// People with each need (one may count in several), before suppression.
pub fn by_need() -> Counts {
    Counts::new(
        Need::ALL
            .iter()
            .map(|n| Label::new(n.slug(), n.label()))
            .collect(),
        vec![Label::new("pessoas", "Pessoas com a necessidade")],
        false,
    )
}

/// Counts one person served in the stage and raça/cor × gênero tables.
pub fn add_person(
    stage: &mut Counts,
    race_gender: &mut Counts,
    who: (Option<Stage>, Option<Race>, GenderGroup),
) {
    let (s, r, g) = who;
    stage.add(s.map_or(NOT_INFORMED, Stage::slug), "pessoas");
    race_gender.add(r.map_or(NOT_INFORMED, Race::slug), g.slug());
}

/// The four tables as they may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedTables {
    pub stage: Table,
    pub race_gender: Table,
    pub needs: Table,
    pub outreach: Table,
}

/// Suppresses the four tables together; needs and places sorted by the value shown.
pub fn suppress(
    stage: &Counts,
    race_gender: &Counts,
    needs: &Counts,
    outreach: &Counts,
) -> ServedTables {
    let mut tables = suppress_together(&[stage, race_gender], &[needs, outreach]).into_iter();
    let mut next = || {
        tables
            .next()
            .unwrap_or_else(|| Counts::new(Vec::new(), Vec::new(), false).suppress())
    };
    let (stage, race_gender, mut needs, mut outreach) = (next(), next(), next(), next());
    needs.sort_rows_by_shown(0);
    outreach.sort_rows_by_shown(0);
    ServedTables {
        stage,
        race_gender,
        needs,
        outreach,
    }
}

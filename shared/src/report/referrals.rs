//! The referrals made in the month as three tables — by service, by the referred person's
//! raça/cor and by their gênero, each × where the referral stands now — suppressed together:
//! they count the same referrals, so each status's total and the grand total are one number
//! in all three, and a "<5" hidden in one must not be worked out from another.
//!
//! Why two tables and not raça/cor × gênero as rows: an office makes tens of referrals a month,
//! and 7 × 7 groups × 4 statuses would leave almost every cell "<5" or "X" — nothing shown.
//! Each margin answers the question asked of it (are the referrals of pessoas negras, or of
//! mulheres trans, answered less?) with cells large enough to show; the cross of raça/cor and
//! gênero is the people served table's.

use super::served::{gender_labels, race_key, race_labels};
use super::suppress::{Entry, Joint};
use super::{answered_shares, Counts, Figure, GenderGroup, Label, Section, Table, WAITING};
use crate::people::{Race, ReferralStatus};

/// The statuses as columns; a referral still waiting reads "Aguardando retorno".
pub fn status_columns() -> Vec<Label> {
    ReferralStatus::ALL
        .iter()
        .map(|s| {
            let text = if *s == ReferralStatus::Referred {
                "Aguardando retorno"
            } else {
                s.label()
            };
            Label::new(s.slug(), text)
        })
        .collect()
}

/// The referrals of the month, before suppression.
#[derive(Debug, Clone)]
pub struct ReferralCounts {
    /// Service (rows) × status.
    pub service: Counts,
    /// The referred person's raça/cor (rows) × status.
    pub race: Counts,
    /// The referred person's gênero (rows) × status.
    pub gender: Counts,
}

impl ReferralCounts {
    /// Empty tables over `services` (rows of the first table).
    pub fn new(services: Vec<Label>) -> ReferralCounts {
        ReferralCounts {
            service: Counts::new(services, status_columns(), true),
            race: Counts::new(race_labels(), status_columns(), true),
            gender: Counts::new(gender_labels(), status_columns(), true),
        }
    }

    /// Counts one referral in the three tables.
    pub fn add(
        &mut self,
        service: &str,
        status: ReferralStatus,
        race: Option<Race>,
        gender: GenderGroup,
    ) {
        self.service.add(service, status.slug());
        self.race.add(race_key(race), status.slug());
        self.gender.add(gender.slug(), status.slug());
    }
}

/// The three tables as they may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralTables {
    pub service: Table,
    pub race: Table,
    pub gender: Table,
}

/// Suppresses the three tables as one problem: each status's total, and the grand total, is
/// one number published three times.
pub fn suppress(raw: &ReferralCounts) -> ReferralTables {
    let mut joint = Joint::default();
    let service = joint.add(&raw.service);
    let others = [joint.add(&raw.race), joint.add(&raw.gender)];
    for t in others {
        joint.same((service, Entry::Grand), (t, Entry::Grand));
        for c in 0..raw.service.columns.len() {
            joint.same((service, Entry::ColumnTotal(c)), (t, Entry::ColumnTotal(c)));
        }
    }
    let mut tables = joint.suppress().into_iter();
    let mut next = || {
        tables
            .next()
            .unwrap_or_else(|| Counts::new(Vec::new(), Vec::new(), true).suppress())
    };
    ReferralTables {
        service: next(),
        race: next(),
        gender: next(),
    }
}

pub const SERVICE_TITLE: &str = "Encaminhamentos por serviço e retorno";
pub const RACE_TITLE: &str = "Encaminhamentos por raça/cor e retorno";
pub const GENDER_TITLE: &str = "Encaminhamentos por gênero e retorno";

/// The shares of referrals with a counter-referral a section shows, from its shown values:
/// by service, the whole and each service's; by raça/cor or gênero, each group's (the whole is
/// the services' section's).
pub fn shares(id: &str, table: &Table) -> Vec<Figure> {
    let all = answered_shares(table, WAITING);
    if id == super::REFERRALS {
        all
    } else if id == super::REFERRALS_BY_RACE || id == super::REFERRALS_BY_GENDER {
        all.into_iter().skip(1).collect()
    } else {
        Vec::new()
    }
}

fn section(id: &str, title: &str, table: Table, note: &str) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        figures: shares(id, &table),
        table,
        note: note.into(),
    }
}

impl ReferralTables {
    /// The report's three sections of referrals.
    pub fn sections(self) -> [Section; 3] {
        [
            section(
                super::REFERRALS,
                SERVICE_TITLE,
                self.service,
                "Encaminhamentos feitos no mês, pela situação de hoje. Contrarreferência: o \
                 serviço respondeu (atendido, não atendido ou sem retorno).",
            ),
            section(
                super::REFERRALS_BY_RACE,
                RACE_TITLE,
                self.race,
                "Os mesmos encaminhamentos, pela raça/cor da pessoa encaminhada (IBGE, como \
                 declarou). Uma pessoa com dois encaminhamentos conta duas vezes.",
            ),
            section(
                super::REFERRALS_BY_GENDER,
                GENDER_TITLE,
                self.gender,
                "Os mesmos encaminhamentos, pelo gênero da pessoa encaminhada (agrupado a partir \
                 do que a pessoa escreveu). Uma pessoa com dois encaminhamentos conta duas \
                 vezes.",
            ),
        ]
    }
}

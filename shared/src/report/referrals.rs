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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    /// A referral: service (0 or 1), status, raça/cor, gênero.
    type Made = (usize, ReferralStatus, Race, GenderGroup);

    const SERVICES: [&str; 2] = ["cras", "caps"];

    fn raw(made: &[Made]) -> ReferralCounts {
        let mut raw = ReferralCounts::new(
            SERVICES
                .iter()
                .map(|s| Label::new(*s, s.to_uppercase()))
                .collect(),
        );
        for &(s, status, race, gender) in made {
            raw.add(SERVICES[s], status, Some(race), gender);
        }
        raw
    }

    /// The problem a reader of the three tables faces: every relation between them.
    fn reader_gives_away(raw: &ReferralCounts, shown: &ReferralTables) -> bool {
        let mut joint = Joint::default();
        let service = joint.add(&raw.service);
        for t in [joint.add(&raw.race), joint.add(&raw.gender)] {
            joint.same((service, Entry::Grand), (t, Entry::Grand));
            for c in 0..raw.service.columns.len() {
                joint.same((service, Entry::ColumnTotal(c)), (t, Entry::ColumnTotal(c)));
            }
        }
        joint.gives_away(&[
            shown.service.clone(),
            shown.race.clone(),
            shown.gender.clone(),
        ])
    }

    /// Every multiset of at most `most` referrals over `kinds`, in a fixed order.
    fn every_month(kinds: &[Made], most: usize, visit: &mut dyn FnMut(&[Made])) {
        fn walk(
            kinds: &[Made],
            from: usize,
            left: usize,
            made: &mut Vec<Made>,
            visit: &mut dyn FnMut(&[Made]),
        ) {
            visit(made);
            if left == 0 {
                return;
            }
            for k in from..kinds.len() {
                made.push(kinds[k]);
                walk(kinds, k, left - 1, made, visit);
                made.pop();
            }
        }
        walk(kinds, 0, most, &mut Vec::new(), visit);
    }

    fn kinds(genders: &[GenderGroup]) -> Vec<Made> {
        let mut out = Vec::new();
        for s in 0..2 {
            for status in [ReferralStatus::Attended, ReferralStatus::Referred] {
                for race in [Race::Black, Race::Brown] {
                    for &g in genders {
                        out.push((s, status, race, g));
                    }
                }
            }
        }
        out
    }

    fn no_small_count_shown(t: &Table) {
        let totals = t.totals.iter().flat_map(|tot| {
            tot.rows
                .iter()
                .chain(&tot.columns)
                .chain(std::iter::once(&tot.all))
        });
        for c in t.cells.iter().flatten().chain(totals) {
            assert!(!matches!(c, Cell::Count(1..=4)), "{t:?}");
        }
    }

    /// A reader who knows the three referral tables and that they count the same referrals
    /// (each status's total and the grand total one number) works out no hidden entry: every
    /// month of up to 5 referrals over two services, two statuses, two raças/cores and one
    /// gênero, and of up to 4 over two gêneros too.
    #[test]
    fn no_month_of_a_few_referrals_gives_a_hidden_count_away_across_the_tables() {
        let start = std::time::Instant::now();
        let mut months = 0;
        for (genders, most) in [
            (&[GenderGroup::CisMan][..], 5),
            (&[GenderGroup::CisMan, GenderGroup::TransWoman][..], 4),
        ] {
            every_month(&kinds(genders), most, &mut |made| {
                let raw = raw(made);
                let shown = suppress(&raw);
                assert!(!reader_gives_away(&raw, &shown), "{made:?}: {shown:?}");
                for t in [&shown.service, &shown.race, &shown.gender] {
                    no_small_count_shown(t);
                }
                months += 1;
            });
        }
        println!(
            "{months} months of referrals attacked in {:.1?}",
            start.elapsed()
        );
        assert!(months > 5_000, "{months}");
    }

    /// The reader is not toothless: against the tables suppressed one by one, it works
    /// counts out. Six referrals, five to one service and one to another, all of Black men:
    /// the raça/cor table shows "6" for them, which the service table alone had hidden.
    #[test]
    fn tables_suppressed_alone_give_counts_away_to_the_same_reader() {
        let made: Vec<Made> = [(0, 5), (1, 1)]
            .iter()
            .flat_map(|&(s, n)| {
                std::iter::repeat_n(
                    (
                        s,
                        ReferralStatus::Attended,
                        Race::Black,
                        GenderGroup::CisMan,
                    ),
                    n,
                )
            })
            .collect();
        let raw = raw(&made);
        let alone = ReferralTables {
            service: raw.service.suppress(),
            race: raw.race.suppress(),
            gender: raw.gender.suppress(),
        };
        assert!(reader_gives_away(&raw, &alone), "{alone:?}");
        let together = suppress(&raw);
        assert!(!reader_gives_away(&raw, &together));
        assert_eq!(together.service.cells[1][1], Cell::Small);
        assert_eq!(
            together.race.totals.as_ref().map(|t| t.all),
            Some(Cell::Hidden)
        );
    }

    /// The race and gender sections show each group's share of referrals answered, from
    /// shown values only; the services' section the whole too.
    #[test]
    fn sections_carry_shares_from_shown_values() {
        let mut made = Vec::new();
        for (status, n) in [(ReferralStatus::Attended, 6), (ReferralStatus::Referred, 6)] {
            for _ in 0..n {
                made.push((0, status, Race::Brown, GenderGroup::CisWoman));
            }
        }
        let [service, race, gender] = suppress(&raw(&made)).sections();
        assert_eq!(service.id, crate::report::REFERRALS);
        assert_eq!(service.figures[0].id, "taxa-contrarreferencia");
        let parda = race
            .figures
            .iter()
            .find(|f| f.id == "taxa-contrarreferencia:parda")
            .expect("parda");
        assert_eq!(parda.value, crate::report::FigureValue::Percent(Some(50.0)));
        assert!(race.figures.iter().all(|f| f.id.contains(':')));
        assert_eq!(gender.table.columns[0].text, "Aguardando retorno");
    }
}

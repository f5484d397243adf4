//! Time from first contact to first referral: for the people whose first referral was made in
//! the month, the days from their first encounter to it. The table counts them by raça/cor ×
//! gênero (suppressed on its own: these people are a set no other table counts, so it shares
//! no sum with the others); beside it the median overall, for each raça/cor and for each
//! gênero — each shown only beside a count the table shows, of 5 or more, so a median never
//! says more about how many people are behind it than the table does.

use super::served::{gender_labels, race_key, race_labels};
use super::{Cell, Counts, Figure, FigureValue, GenderGroup, Section, MIN_CELL};
use crate::people::Race;

/// One person whose first referral was made in the month.
#[derive(Debug, Clone, Copy)]
pub struct Waited {
    pub race: Option<Race>,
    pub gender: GenderGroup,
    /// Whole days from the first encounter to the first referral.
    pub days: i64,
}

/// The median of `days`, or `None` for fewer than [`MIN_CELL`] of them.
pub fn median(mut days: Vec<i64>) -> Option<f64> {
    if (days.len() as u64) < MIN_CELL {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    Some(if days.len().is_multiple_of(2) {
        (days[mid - 1] + days[mid]) as f64 / 2.0
    } else {
        days[mid] as f64
    })
}

pub const TITLE: &str = "Tempo do primeiro contato ao primeiro encaminhamento";

/// The section: the people by raça/cor × gênero, and the medians.
pub fn section(people: &[Waited]) -> Section {
    let mut counts = Counts::new(race_labels(), gender_labels(), true);
    for p in people {
        counts.add(race_key(p.race), p.gender.slug());
    }
    let table = counts.suppress();
    let mut figures = vec![figure(
        "mediana-dias",
        "Mediana de dias (todas as pessoas)".into(),
        table.totals.as_ref().map(|t| t.all),
        people.iter().map(|p| p.days).collect(),
    )];
    let mut group =
        |key: &str, label: String, shown: Option<Cell>, of: &dyn Fn(&Waited) -> bool| {
            let days: Vec<i64> = people.iter().filter(|p| of(p)).map(|p| p.days).collect();
            if !days.is_empty() {
                figures.push(figure(&format!("mediana-dias:{key}"), label, shown, days));
            }
        };
    let totals = table.totals.as_ref();
    for (r, row) in table.rows.iter().enumerate() {
        let shown = totals.and_then(|t| t.rows.get(r).copied());
        let label = format!("Mediana de dias — raça/cor {}", row.text);
        group(&row.key, label, shown, &|p| race_key(p.race) == row.key);
    }
    for (c, column) in table.columns.iter().enumerate() {
        let shown = totals.and_then(|t| t.columns.get(c).copied());
        let label = format!("Mediana de dias — gênero {}", column.text);
        group(&column.key, label, shown, &|p| {
            p.gender.slug() == column.key
        });
    }
    Section {
        id: super::TIME_TO_REFERRAL.into(),
        title: TITLE.into(),
        table,
        figures,
        note: "Pessoas cujo primeiro encaminhamento foi feito no mês, por raça/cor e gênero: dias \
               entre o primeiro atendimento registrado da pessoa e esse encaminhamento. A \
               mediana de um grupo só aparece quando a tabela mostra 5 pessoas ou mais nele."
            .into(),
    }
}

/// A median figure, computed only when the group's count is shown and at least 5.
fn figure(id: &str, label: String, shown: Option<Cell>, days: Vec<i64>) -> Figure {
    let value = match shown {
        Some(Cell::Count(n)) if n >= MIN_CELL => median(days),
        _ => None,
    };
    Figure {
        id: id.into(),
        label,
        value: FigureValue::Days(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waited(race: Race, gender: GenderGroup, days: &[i64]) -> Vec<Waited> {
        days.iter()
            .map(|&days| Waited {
                race: Some(race),
                gender,
                days,
            })
            .collect()
    }

    fn median_of(section: &Section, id: &str) -> Option<FigureValue> {
        section
            .figures
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.value.clone())
    }

    #[test]
    fn medians_only_beside_a_shown_count_of_five_or_more() {
        let ten = waited(
            Race::Brown,
            GenderGroup::CisMan,
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        );
        let s = section(&ten);
        assert_eq!(
            median_of(&s, "mediana-dias"),
            Some(FigureValue::Days(Some(5.5)))
        );
        assert_eq!(
            median_of(&s, "mediana-dias:parda"),
            Some(FigureValue::Days(Some(5.5)))
        );
        assert_eq!(median_of(&s, "mediana-dias:preta"), None, "nobody");

        // Six and one: the one's group is "<5" with no median, and no count 1–4 is shown.
        let mut seven = waited(Race::Brown, GenderGroup::CisMan, &[1, 2, 3, 4, 5, 6]);
        seven.extend(waited(Race::Black, GenderGroup::CisMan, &[30]));
        let s = section(&seven);
        assert_eq!(
            median_of(&s, "mediana-dias:preta"),
            Some(FigureValue::Days(None))
        );
        let t = s.table.totals.as_ref().expect("totals");
        let cells = s.table.cells.iter().flatten();
        for c in cells.chain(&t.rows).chain(&t.columns).chain([&t.all]) {
            assert!(!matches!(c, Cell::Count(1..=4)), "{c:?}");
        }
        let parda = s.table.rows.iter().position(|l| l.key == "parda");
        let shown = parda.and_then(|r| t.rows[r].count());
        assert_eq!(
            median_of(&s, "mediana-dias:parda") == Some(FigureValue::Days(Some(3.5))),
            shown == Some(6),
            "a median is shown exactly when its group's count is: {shown:?}"
        );
    }
}

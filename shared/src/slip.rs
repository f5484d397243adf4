//! The guia de encaminhamento: what a person carries to a service they were referred to.
//!
//! One text, in short plain pt-BR lines, is both the printed slip and the content of its QR code,
//! so a phone camera shows the same words without the app (no link, no app-specific format).
//! [`slip_fields`] gives the lines as label and values, for a layout that sets labels apart;
//! [`slip_text`] joins them into that one text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The first line of the slip.
pub const SLIP_TITLE: &str = "GUIA DE ENCAMINHAMENTO";

/// One referral of one person to one service, as the slip states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralSlip {
    /// The name the person is called by: the nome social when they have one.
    pub person_name: String,
    pub service_name: String,
    /// The organisation that offers the service; left out of the slip when it equals the service.
    pub provider: String,
    /// One line: street, number, neighbourhood, city.
    pub address: Option<String>,
    /// Already-formatted lines, like "seg a sex, 8h às 17h".
    pub hours: Vec<String>,
    pub phones: Vec<String>,
    /// Documents to bring.
    pub bring: Vec<String>,
    /// The staff member who made the referral.
    pub referred_by: String,
    /// The office's name as people know it, like "Escritório Social de Vitória".
    pub office: String,
    pub office_phone: Option<String>,
    pub referred_on: NaiveDate,
    pub reason: Option<String>,
}

/// One line of the slip: a label ("Levar") and its values, one per item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipField {
    pub label: &'static str,
    pub values: Vec<String>,
}

/// The slip's lines after the title, in the order a person needs them: who, what, where, when,
/// what to bring, why, who sent them. Empty values are left out, and so is a line with none.
pub fn slip_fields(s: &ReferralSlip) -> Vec<SlipField> {
    let mut fields = Vec::new();
    let mut push = |label: &'static str, values: Vec<String>| {
        let values: Vec<String> = values
            .iter()
            .map(|v| one_line(v))
            .filter(|v| !v.is_empty())
            .collect();
        if !values.is_empty() {
            fields.push(SlipField { label, values });
        }
    };
    push("Para", vec![s.person_name.clone()]);
    push("Serviço", vec![s.service_name.clone()]);
    if one_line(&s.provider) != one_line(&s.service_name) {
        push("Quem atende", vec![s.provider.clone()]);
    }
    push("Onde", s.address.iter().cloned().collect());
    push("Horário", s.hours.clone());
    // Phones are short: one line, as on a leaflet.
    push(
        "Telefone",
        vec![s
            .phones
            .iter()
            .map(|p| one_line(p))
            .collect::<Vec<_>>()
            .join(" / ")],
    );
    push("Levar", s.bring.clone());
    push("Motivo", s.reason.iter().cloned().collect());
    let office = one_line(&s.office);
    let by = one_line(&s.referred_by);
    let on = s.referred_on.format("%d/%m/%Y");
    let by_line = match (by.is_empty(), office.is_empty()) {
        (false, false) => format!("{by} ({office}), em {on}"),
        (false, true) => format!("{by}, em {on}"),
        (true, false) => format!("{office}, em {on}"),
        (true, true) => format!("em {on}"),
    };
    push("Encaminhado por", vec![by_line]);
    push("Dúvidas", s.office_phone.iter().cloned().collect());
    fields
}

/// The whole slip as plain text: the title, then one "Label: value" line per field; a field
/// with several values ("Levar", "Horário") puts each on a line of its own under the label.
pub fn slip_text(s: &ReferralSlip) -> String {
    let mut lines = vec![SLIP_TITLE.to_string()];
    for SlipField { label, values } in slip_fields(s) {
        match values.as_slice() {
            [one] => lines.push(format!("{label}: {one}")),
            many => {
                lines.push(format!("{label}:"));
                lines.extend(many.iter().map(|v| format!("- {v}")));
            }
        }
    }
    lines.join("\n")
}

/// Whitespace (a line break typed into a form, a tab) collapsed to single spaces, so a value
/// never breaks the slip's one-line-per-field shape.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip() -> ReferralSlip {
        ReferralSlip {
            person_name: "Maria Aparecida".into(),
            service_name: "Emissão de carteira de identidade".into(),
            provider: "Polícia Civil do ES – PC Cidadão".into(),
            address: Some("Rua Dom Pedro II, 100, São Pedro, Vitória".into()),
            hours: vec!["seg a sex, 8h às 17h".into()],
            phones: vec!["(27) 3137-9000".into()],
            bring: vec!["Certidão de nascimento".into()],
            referred_by: "Ana Souza".into(),
            office: "Escritório Social de Vitória".into(),
            office_phone: Some("(27) 3636-1000".into()),
            referred_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("a valid date"),
            reason: None,
        }
    }

    fn check(edit: impl FnOnce(&mut ReferralSlip), expect: &str) {
        let mut s = slip();
        edit(&mut s);
        assert_eq!(slip_text(&s), expect.trim_start_matches('\n'));
    }

    #[test]
    fn one_value_per_field() {
        check(
            |_| {},
            "
GUIA DE ENCAMINHAMENTO
Para: Maria Aparecida
Serviço: Emissão de carteira de identidade
Quem atende: Polícia Civil do ES – PC Cidadão
Onde: Rua Dom Pedro II, 100, São Pedro, Vitória
Horário: seg a sex, 8h às 17h
Telefone: (27) 3137-9000
Levar: Certidão de nascimento
Encaminhado por: Ana Souza (Escritório Social de Vitória), em 01/12/2026
Dúvidas: (27) 3636-1000",
        );
    }

    #[test]
    fn several_values_go_under_the_label() {
        check(
            |s| {
                s.hours = vec!["seg a sex, 8h às 17h".into(), "sáb, 8h às 12h".into()];
                s.phones.push("(27) 3137-9001".into());
                s.bring = vec![
                    "Certidão de nascimento".into(),
                    "Comprovante de residência".into(),
                ];
                s.reason = Some("Precisa de documento para o emprego".into());
            },
            "
GUIA DE ENCAMINHAMENTO
Para: Maria Aparecida
Serviço: Emissão de carteira de identidade
Quem atende: Polícia Civil do ES – PC Cidadão
Onde: Rua Dom Pedro II, 100, São Pedro, Vitória
Horário:
- seg a sex, 8h às 17h
- sáb, 8h às 12h
Telefone: (27) 3137-9000 / (27) 3137-9001
Levar:
- Certidão de nascimento
- Comprovante de residência
Motivo: Precisa de documento para o emprego
Encaminhado por: Ana Souza (Escritório Social de Vitória), em 01/12/2026
Dúvidas: (27) 3636-1000",
        );
    }

    #[test]
    fn missing_and_empty_values_leave_no_line() {
        check(
            |s| {
                s.provider = s.service_name.clone();
                s.address = None;
                s.hours.clear();
                s.phones = vec![" ".into()];
                s.bring = vec![String::new()];
                s.reason = Some("  ".into());
                s.office_phone = None;
            },
            "
GUIA DE ENCAMINHAMENTO
Para: Maria Aparecida
Serviço: Emissão de carteira de identidade
Encaminhado por: Ana Souza (Escritório Social de Vitória), em 01/12/2026",
        );
    }

    #[test]
    fn a_line_break_typed_into_a_value_stays_on_its_line() {
        check(
            |s| {
                s.person_name = "Maria\nAparecida ".into();
                s.referred_by = String::new();
                s.office_phone = None;
                s.provider = String::new();
            },
            "
GUIA DE ENCAMINHAMENTO
Para: Maria Aparecida
Serviço: Emissão de carteira de identidade
Onde: Rua Dom Pedro II, 100, São Pedro, Vitória
Horário: seg a sex, 8h às 17h
Telefone: (27) 3137-9000
Levar: Certidão de nascimento
Encaminhado por: Escritório Social de Vitória, em 01/12/2026",
        );
    }

    #[test]
    fn fields_and_text_agree() {
        let s = slip();
        let fields = slip_fields(&s);
        assert_eq!(fields[0].label, "Para");
        let lines = slip_text(&s).lines().count();
        assert_eq!(
            lines,
            1 + fields.iter().map(|f| f.values.len()).sum::<usize>()
        );
    }
}

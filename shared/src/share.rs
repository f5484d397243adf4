//! A service as plain text: to pass on (WhatsApp, SMS, the clipboard) and to read aloud.
//! Short lines a person can copy by hand; no links that only work inside the app.

use crate::ipc::{HoursRow, ServiceDetail};
use crate::locale::Locale;

/// The words before each line, in the text to share and the text to hear.
struct Labels {
    address: &'static str,
    hours: &'static str,
    phone: &'static str,
    from: &'static str,
}

fn labels(locale: Locale) -> Labels {
    match locale {
        Locale::PtBr => Labels {
            address: "Endereço",
            hours: "Horário",
            phone: "Telefone",
            from: "Informação do app Escritório Social Virtual",
        },
        Locale::Es => Labels {
            address: "Dirección",
            hours: "Horario",
            phone: "Teléfono",
            from: "Información de la app Escritório Social Virtual",
        },
    }
}

/// Name, who offers it, address, hours, phones, and where the information comes from.
pub fn share_text(locale: Locale, s: &ServiceDetail) -> String {
    let Labels {
        address,
        hours,
        phone,
        from,
    } = labels(locale);
    let mut lines = vec![s.name.clone()];
    if s.provider != s.name {
        lines.push(s.provider.clone());
    }
    if let Some(a) = &s.address {
        lines.push(format!("{address}: {}", a.lines.join(", ")));
    }
    let summary = hours_summary(locale, &s.hours);
    if !summary.is_empty() {
        lines.push(format!("{hours}: {summary}"));
    }
    if !s.phones.is_empty() {
        let phones: Vec<&str> = s.phones.iter().map(|p| p.display.as_str()).collect();
        lines.push(format!("{phone}: {}", phones.join(" / ")));
    }
    if let Some(w) = &s.website {
        lines.push(w.clone());
    }
    lines.push(format!("({from}; {})", lower_first(&s.reviewed_label)));
    lines.join("\n")
}

/// What "ouvir" reads: the name, whether it is open now, the address, hours and phones, in
/// sentences a voice can say.
pub fn speech_text(locale: Locale, s: &ServiceDetail) -> String {
    let Labels {
        address,
        hours,
        phone,
        ..
    } = labels(locale);
    let mut parts = vec![
        format!("{}.", s.name),
        format!("{}.", s.open.text.replace(" · ", ", ")),
    ];
    parts.push(s.description.clone());
    if let Some(a) = &s.address {
        parts.push(format!("{address}: {}.", a.lines.join(", ")));
    }
    let summary = hours_summary(locale, &s.hours);
    if !summary.is_empty() {
        parts.push(format!("{hours}: {summary}."));
    }
    for p in &s.phones {
        parts.push(format!("{phone}: {}.", p.display));
    }
    parts.join(" ")
}

/// "segunda a sexta, 8h às 17h; sábado, 8h às 12h": runs of days with the same hours. Closed
/// days are left out; every day the same gives "todos os dias, 24 horas".
pub fn hours_summary(locale: Locale, rows: &[HoursRow]) -> String {
    let closed = match locale {
        Locale::PtBr => "Fechado",
        Locale::Es => "Cerrado",
    };
    if rows.len() == 7 && rows.iter().all(|r| r.hours == rows[0].hours) && rows[0].hours != closed {
        let every = match locale {
            Locale::PtBr => "todos os dias",
            Locale::Es => "todos los días",
        };
        return format!("{every}, {}", rows[0].hours);
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match runs.last_mut() {
            Some((_, end)) if rows[*end].hours == row.hours && *end + 1 == i => *end = i,
            _ => runs.push((i, i)),
        }
    }
    let and = match locale {
        Locale::PtBr => "e",
        Locale::Es => "y",
    };
    runs.into_iter()
        .filter(|&(start, _)| rows[start].hours != closed)
        .map(|(start, end)| {
            let first = lower_first(&rows[start].day);
            let days = match end - start {
                0 => first,
                1 => format!("{first} {and} {}", lower_first(&rows[end].day)),
                _ => format!("{first} a {}", lower_first(&rows[end].day)),
            };
            format!("{days}, {}", rows[start].hours)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(hours: [&str; 7]) -> Vec<HoursRow> {
        let days = [
            "Segunda-feira",
            "Terça-feira",
            "Quarta-feira",
            "Quinta-feira",
            "Sexta-feira",
            "Sábado",
            "Domingo",
        ];
        days.iter()
            .zip(hours)
            .map(|(d, h)| HoursRow {
                day: (*d).to_owned(),
                hours: h.to_owned(),
            })
            .collect()
    }

    #[test]
    fn hours_are_summarised_in_runs() {
        let f = "Fechado";
        let cases = [
            (
                rows([
                    "8h às 17h",
                    "8h às 17h",
                    "8h às 17h",
                    "8h às 17h",
                    "8h às 17h",
                    f,
                    f,
                ]),
                "segunda-feira a sexta-feira, 8h às 17h",
            ),
            (
                rows([
                    "8h às 17h",
                    "8h às 17h",
                    "8h às 17h",
                    "8h às 17h",
                    "8h às 17h",
                    "8h às 12h",
                    f,
                ]),
                "segunda-feira a sexta-feira, 8h às 17h; sábado, 8h às 12h",
            ),
            (rows(["24 horas"; 7]), "todos os dias, 24 horas"),
            (
                rows(["8h às 12h", f, "8h às 12h", "8h às 12h", f, f, f]),
                "segunda-feira, 8h às 12h; quarta-feira e quinta-feira, 8h às 12h",
            ),
            (rows([f; 7]), ""),
        ];
        for (r, want) in cases {
            assert_eq!(hours_summary(Locale::PtBr, &r), want);
        }
    }
}

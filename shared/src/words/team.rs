//! Sentences the store writes for the team's screens (a person's record, the plan, referrals),
//! in the person's language. Dates are `DD/MM/AAAA` in both.

use chrono::NaiveDate;

use crate::locale::Locale;

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// "Retorno em 10/12/2026".
pub fn follow_up(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Retorno em {}", d(date)),
        Locale::Es => format!("Regreso el {}", d(date)),
    }
}

/// "Consentimento: assinado em papel em 01/12/2026, com Ana."
pub fn consent(locale: Locale, form: &str, on: NaiveDate, staff: &str) -> String {
    match locale {
        Locale::PtBr => format!("Consentimento: {form} em {}, com {staff}.", d(on)),
        Locale::Es => format!("Consentimiento: {form} el {}, con {staff}.", d(on)),
    }
}

/// What a record without a consent in force says.
pub fn no_consent(locale: Locale) -> &'static str {
    match locale {
        Locale::PtBr => "Sem consentimento em vigor: nada novo pode ser guardado.",
        Locale::Es => "Sin consentimiento vigente: no se puede guardar nada nuevo.",
    }
}

/// "Nasceu em 03/04/1990".
pub fn born(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Nasceu em {}", d(date)),
        Locale::Es => format!("Nació el {}", d(date)),
    }
}

/// "Encaminhado em 01/12/2026 por Ana".
pub fn referred(locale: Locale, on: NaiveDate, by: &str) -> String {
    match locale {
        Locale::PtBr => format!("Encaminhado em {} por {by}", d(on)),
        Locale::Es => format!("Derivado el {} por {by}", d(on)),
    }
}

/// "Até 15/12/2026" (a goal's deadline).
pub fn until(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Até {}", d(date)),
        Locale::Es => format!("Hasta el {}", d(date)),
    }
}

/// "Atualizado em 01/12/2026 por Ana".
pub fn updated(locale: Locale, on: NaiveDate, by: &str) -> String {
    match locale {
        Locale::PtBr => format!("Atualizado em {} por {by}", d(on)),
        Locale::Es => format!("Actualizado el {} por {by}", d(on)),
    }
}

/// "01/12/2026 às 10h05" / "01/12/2026 a las 10:05", a local date and time.
pub fn date_time(locale: Locale, at: chrono::NaiveDateTime) -> String {
    match locale {
        Locale::PtBr => at.format("%d/%m/%Y às %Hh%M").to_string(),
        Locale::Es => at.format("%d/%m/%Y a las %H:%M").to_string(),
    }
}

/// When a device says something happened, by its own clock: "no aparelho: 01/12/2026 às 9h58".
pub fn on_the_device(locale: Locale, when: &str) -> String {
    match locale {
        Locale::PtBr => format!("no aparelho: {when}"),
        Locale::Es => format!("en el dispositivo: {when}"),
    }
}

/// A return to be made (the team home's "Pendências"): "Retorno marcado para 05/12/2026".
pub fn return_due(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Retorno marcado para {}", d(date)),
        Locale::Es => format!("Regreso previsto para el {}", d(date)),
    }
}

/// A goal of the plan past its deadline: "Meta do plano: Tirar o RG (até 05/12/2026)".
pub fn goal_due(locale: Locale, action: &str, due: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Meta do plano: {action} (até {})", d(due)),
        Locale::Es => format!("Meta del plan: {action} (hasta el {})", d(due)),
    }
}

/// A referral with no answer: "Encaminhamento a CRAS sem resposta desde 01/12/2026".
pub fn referral_waiting(locale: Locale, service: &str, made: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Encaminhamento a {service} sem resposta desde {}", d(made)),
        Locale::Es => format!("Derivación a {service} sin respuesta desde el {}", d(made)),
    }
}

/// How long something is overdue: "vence hoje", "vencido há 1 dia", "vencido há 3 dias".
pub fn overdue(locale: Locale, days: i64) -> String {
    match (locale, days) {
        (Locale::PtBr, ..=0) => "vence hoje".to_owned(),
        (Locale::PtBr, 1) => "vencido há 1 dia".to_owned(),
        (Locale::PtBr, n) => format!("vencido há {n} dias"),
        (Locale::Es, ..=0) => "vence hoy".to_owned(),
        (Locale::Es, 1) => "vencido hace 1 día".to_owned(),
        (Locale::Es, n) => format!("vencido hace {n} días"),
    }
}

/// When someone is expected at the gate: "hoje", "amanhã", "qui 10/12".
pub fn expected_on(locale: Locale, day: NaiveDate, today: NaiveDate) -> String {
    use chrono::Datelike;
    const PT: [&str; 7] = ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"];
    const ES: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
    let weekday = day.weekday().num_days_from_monday() as usize;
    match (locale, (day - today).num_days()) {
        (Locale::PtBr, 0) => "hoje".to_owned(),
        (Locale::PtBr, 1) => "amanhã".to_owned(),
        (Locale::Es, 0) => "hoy".to_owned(),
        (Locale::Es, 1) => "mañana".to_owned(),
        (Locale::PtBr, _) => format!("{} {}", PT[weekday], day.format("%d/%m")),
        (Locale::Es, _) => format!("{} {}", ES[weekday], day.format("%d/%m")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_has_both_languages() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let pairs = [
            (follow_up(Locale::PtBr, day), follow_up(Locale::Es, day)),
            (
                consent(Locale::PtBr, "assinado em papel", day, "Ana"),
                consent(Locale::Es, "firmado en papel", day, "Ana"),
            ),
            (born(Locale::PtBr, day), born(Locale::Es, day)),
            (
                referred(Locale::PtBr, day, "Ana"),
                referred(Locale::Es, day, "Ana"),
            ),
            (until(Locale::PtBr, day), until(Locale::Es, day)),
            (return_due(Locale::PtBr, day), return_due(Locale::Es, day)),
            (
                goal_due(Locale::PtBr, "RG", day),
                goal_due(Locale::Es, "RG", day),
            ),
            (
                referral_waiting(Locale::PtBr, "CRAS", day),
                referral_waiting(Locale::Es, "CRAS", day),
            ),
            (
                updated(Locale::PtBr, day, "Ana"),
                updated(Locale::Es, day, "Ana"),
            ),
        ];
        for (pt, es) in pairs {
            assert_ne!(pt, es);
            assert!(
                pt.contains("01/12/2026") && es.contains("01/12/2026"),
                "{pt} / {es}"
            );
        }
        assert_eq!(
            referred(Locale::Es, day, "Ana"),
            "Derivado el 01/12/2026 por Ana"
        );
        assert_ne!(no_consent(Locale::PtBr), no_consent(Locale::Es));
        assert_eq!(overdue(Locale::PtBr, 0), "vence hoje");
        assert_eq!(overdue(Locale::PtBr, 1), "vencido há 1 dia");
        assert_eq!(overdue(Locale::PtBr, 3), "vencido há 3 dias");
        assert_eq!(overdue(Locale::Es, 0), "vence hoy");
        assert_eq!(overdue(Locale::Es, 3), "vencido hace 3 días");
    }
}

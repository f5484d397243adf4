//! The sentences the views carry besides hours (freshness, review dates, distances, deadlines,
//! the legal notice), in each language the app speaks.

pub mod record;
pub mod team;

use chrono::NaiveDate;

use crate::hours::label::date_short;
use crate::locale::Locale;

/// "Dados de 24/11/2026 · funciona sem internet".
pub fn data_of(locale: Locale, date: Option<NaiveDate>) -> String {
    match (locale, date) {
        (Locale::PtBr, Some(d)) => format!("Dados de {} · funciona sem internet", date_short(d)),
        (Locale::PtBr, None) => "Funciona sem internet".to_owned(),
        (Locale::Es, Some(d)) => format!("Datos del {} · funciona sin internet", date_short(d)),
        (Locale::Es, None) => "Funciona sin internet".to_owned(),
    }
}

/// "Informações conferidas em 24/11/2026".
pub fn checked_on(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Informações conferidas em {}", date_short(date)),
        Locale::Es => format!("Información revisada el {}", date_short(date)),
    }
}

/// "Revisado em 24/11/2026".
pub fn reviewed_on(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!("Revisado em {}", date_short(date)),
        Locale::Es => format!("Revisado el {}", date_short(date)),
    }
}

/// The mark after a name whose text is in `language` because the person's has none:
/// "(em português)", said in the text's own language, as a language is named in a switch.
pub fn in_language(language: Locale) -> &'static str {
    match language {
        Locale::PtBr => "(em português)",
        Locale::Es => "(en español)",
    }
}

/// "Tradução não revisada": said beside the review date of a translation nobody has checked
/// yet against the Portuguese and its sources.
pub fn translation_reviewed(locale: Locale, date: Option<NaiveDate>) -> String {
    match (locale, date) {
        (Locale::PtBr, Some(d)) => format!("Tradução revisada em {}", date_short(d)),
        (Locale::PtBr, None) => "Tradução ainda não revisada".to_owned(),
        (Locale::Es, Some(d)) => format!("Traducción revisada el {}", date_short(d)),
        (Locale::Es, None) => "Traducción todavía sin revisar".to_owned(),
    }
}

/// Where a service with no address is: reached by telephone or internet.
pub fn remote(locale: Locale) -> &'static str {
    match locale {
        Locale::PtBr => "Telefone / internet",
        Locale::Es => "Teléfono / internet",
    }
}

/// "Fechado: Natal (feriado nacional)".
pub fn closed_because(locale: Locale, reason: &str) -> String {
    match locale {
        Locale::PtBr => format!("Fechado: {reason}"),
        Locale::Es => format!("Cerrado: {reason}"),
    }
}

/// "Horário especial (8h às 12h): Véspera de Natal".
pub fn special_hours(locale: Locale, hours: &str, reason: &str) -> String {
    match locale {
        Locale::PtBr => format!("Horário especial ({hours}): {reason}"),
        Locale::Es => format!("Horario especial ({hours}): {reason}"),
    }
}

/// Who an Escritório Social serves.
pub fn office_audience(locale: Locale) -> &'static str {
    match locale {
        Locale::PtBr => "Pessoas egressas do sistema prisional, pré-egressas e seus familiares.",
        Locale::Es => {
            "Personas que salieron del sistema penitenciario, que están por salir, y sus familias."
        }
    }
}

/// Said under every rights article: this is not legal advice, and where to get it.
pub fn legal_disclaimer(locale: Locale) -> &'static str {
    match locale {
        Locale::PtBr => crate::ipc::LEGAL_DISCLAIMER,
        Locale::Es => {
            "Esta información ayuda a entender sus derechos, pero no es orientación jurídica. Para \
             su caso, busque la Defensoria Pública (defensa pública gratuita) o el Escritório \
             Social."
        }
    }
}

/// "a 2,4 km", "a 12 km"; with `approximate`, "a cerca de 3 km (centro de Vitória)".
pub fn distance(locale: Locale, km: f64, approximate_city: Option<&str>) -> String {
    let n = if km < 10.0 {
        format!("{:.1}", km).replace('.', ",")
    } else {
        format!("{:.0}", km)
    };
    match (locale, approximate_city) {
        (Locale::PtBr, None) => format!("a {n} km"),
        (Locale::PtBr, Some(city)) => format!("a cerca de {n} km (centro de {city})"),
        (Locale::Es, None) => format!("a {n} km"),
        (Locale::Es, Some(city)) => format!("a unos {n} km (centro de {city})"),
    }
}

/// "Inscrições até 15/12/2026 (faltam 3 dias)", "Inscrições até hoje".
pub fn deadline(locale: Locale, deadline: NaiveDate, today: NaiveDate) -> String {
    let days = (deadline - today).num_days();
    let d = date_short(deadline);
    match (locale, days) {
        (Locale::PtBr, 0) => "Inscrições até hoje".to_owned(),
        (Locale::PtBr, 1) => format!("Inscrições até amanhã, {d}"),
        (Locale::PtBr, n) => format!("Inscrições até {d} (faltam {n} dias)"),
        (Locale::Es, 0) => "Inscripciones hasta hoy".to_owned(),
        (Locale::Es, 1) => format!("Inscripciones hasta mañana, {d}"),
        (Locale::Es, n) => format!("Inscripciones hasta el {d} (faltan {n} días)"),
    }
}

/// What a person is told about documents this device received but keeps aside: `newer` of a
/// later version of the app ("Atualize o aplicativo para ver 2 itens novos"), `unreadable`
/// that could not be read. `None` when there are none.
pub fn held_documents(locale: Locale, newer: usize, unreadable: usize) -> Option<String> {
    let update = match (locale, newer) {
        (_, 0) => None,
        (Locale::PtBr, 1) => Some("Atualize o aplicativo para ver 1 item novo".to_owned()),
        (Locale::PtBr, n) => Some(format!("Atualize o aplicativo para ver {n} itens novos")),
        (Locale::Es, 1) => Some("Actualice la aplicación para ver 1 elemento nuevo".to_owned()),
        (Locale::Es, n) => Some(format!(
            "Actualice la aplicación para ver {n} elementos nuevos"
        )),
    };
    let unread = match (locale, unreadable) {
        (_, 0) => None,
        (Locale::PtBr, 1) => Some("1 documento recebido não pôde ser lido".to_owned()),
        (Locale::PtBr, n) => Some(format!("{n} documentos recebidos não puderam ser lidos")),
        (Locale::Es, 1) => Some("1 documento recibido no se pudo leer".to_owned()),
        (Locale::Es, n) => Some(format!("{n} documentos recibidos no se pudieron leer")),
    };
    match (update, unread) {
        (Some(a), Some(b)) => Some(format!("{a}. {b}.")),
        (Some(a), None) | (None, Some(a)) => Some(format!("{a}.")),
        (None, None) => None,
    }
}

/// The title of the notification that a request's status changed: "Seu pedido: Respondido".
pub fn request_notification_title(locale: Locale, status_label: &str) -> String {
    match locale {
        Locale::PtBr => format!("Seu pedido: {status_label}"),
        Locale::Es => format!("Su pedido: {status_label}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_request_notification_is_titled_in_the_persons_language() {
        assert_eq!(
            request_notification_title(Locale::PtBr, "Respondido"),
            "Seu pedido: Respondido"
        );
        assert_eq!(
            request_notification_title(Locale::Es, "Respondido"),
            "Su pedido: Respondido"
        );
    }

    #[test]
    fn distances_read_like_people_say_them() {
        let cases = [
            (Locale::PtBr, 2.44, None, "a 2,4 km"),
            (Locale::PtBr, 12.6, None, "a 13 km"),
            (
                Locale::PtBr,
                3.0,
                Some("Vitória"),
                "a cerca de 3,0 km (centro de Vitória)",
            ),
            (Locale::Es, 0.34, None, "a 0,3 km"),
        ];
        for (locale, km, city, want) in cases {
            assert_eq!(distance(locale, km, city), want);
        }
    }

    #[test]
    fn deadlines_count_the_days_left() {
        let today = d("2026-12-01");
        let cases = [
            (Locale::PtBr, "2026-12-01", "Inscrições até hoje"),
            (
                Locale::PtBr,
                "2026-12-02",
                "Inscrições até amanhã, 02/12/2026",
            ),
            (
                Locale::PtBr,
                "2026-12-15",
                "Inscrições até 15/12/2026 (faltam 14 dias)",
            ),
            (
                Locale::Es,
                "2026-12-15",
                "Inscripciones hasta el 15/12/2026 (faltan 14 días)",
            ),
        ];
        for (locale, when, want) in cases {
            assert_eq!(deadline(locale, d(when), today), want);
        }
    }

    #[test]
    fn held_documents_are_counted_in_both_languages() {
        assert_eq!(held_documents(Locale::PtBr, 0, 0), None);
        assert_eq!(
            held_documents(Locale::PtBr, 1, 0).as_deref(),
            Some("Atualize o aplicativo para ver 1 item novo.")
        );
        assert_eq!(
            held_documents(Locale::PtBr, 3, 2).as_deref(),
            Some(
                "Atualize o aplicativo para ver 3 itens novos. 2 documentos recebidos não \
                 puderam ser lidos."
            )
        );
        assert_eq!(
            held_documents(Locale::Es, 0, 1).as_deref(),
            Some("1 documento recibido no se pudo leer.")
        );
    }
}

//! A citizen's request (solicitação) to an office: what they need, a short text, an optional
//! name and contact, and its timeline of statuses and messages, kept as events keyed by id so
//! that the citizen and the office adding to it at the same time both keep their words.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::locale::Locale;

/// What the person asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestKind {
    /// Atendimento: to be seen at the office.
    Appointment,
    /// Ajuda com documentos.
    Documents,
    /// Vaga de trabalho ou curso.
    WorkOrCourse,
    /// Orientação jurídica.
    Legal,
    /// Outro.
    Other,
}

impl RequestKind {
    pub const ALL: [RequestKind; 5] = [
        RequestKind::Appointment,
        RequestKind::Documents,
        RequestKind::WorkOrCourse,
        RequestKind::Legal,
        RequestKind::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            RequestKind::Appointment => "appointment",
            RequestKind::Documents => "documents",
            RequestKind::WorkOrCourse => "work-or-course",
            RequestKind::Legal => "legal",
            RequestKind::Other => "other",
        }
    }

    pub fn parse(slug: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::PtBr, RequestKind::Appointment) => "Atendimento",
            (Locale::PtBr, RequestKind::Documents) => "Ajuda com documentos",
            (Locale::PtBr, RequestKind::WorkOrCourse) => "Vaga de trabalho ou curso",
            (Locale::PtBr, RequestKind::Legal) => "Orientação jurídica",
            (Locale::PtBr, RequestKind::Other) => "Outro assunto",
            (Locale::Es, RequestKind::Appointment) => "Atención",
            (Locale::Es, RequestKind::Documents) => "Ayuda con documentos",
            (Locale::Es, RequestKind::WorkOrCourse) => "Trabajo o curso",
            (Locale::Es, RequestKind::Legal) => "Orientación jurídica",
            (Locale::Es, RequestKind::Other) => "Otro asunto",
        }
    }
}

/// Where a request stands. `Sent` is implied once the office's server holds it; the rest are
/// events in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestStatus {
    /// Written, kept on the device until there is internet.
    Waiting,
    /// Enviado: the office's server has it.
    Sent,
    /// Recebido: someone at the office opened it.
    Received,
    /// Em atendimento.
    InProgress,
    /// Concluído.
    Done,
    /// Cancelado (by the person or the office).
    Cancelled,
}

impl RequestStatus {
    pub fn slug(self) -> &'static str {
        match self {
            RequestStatus::Waiting => "waiting",
            RequestStatus::Sent => "sent",
            RequestStatus::Received => "received",
            RequestStatus::InProgress => "in-progress",
            RequestStatus::Done => "done",
            RequestStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(slug: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Waiting,
            RequestStatus::Sent,
            RequestStatus::Received,
            RequestStatus::InProgress,
            RequestStatus::Done,
            RequestStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.slug() == slug)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::PtBr, RequestStatus::Waiting) => {
                "Guardado no celular: será enviado quando houver internet"
            }
            (Locale::PtBr, RequestStatus::Sent) => "Enviado",
            (Locale::PtBr, RequestStatus::Received) => "Recebido pelo Escritório",
            (Locale::PtBr, RequestStatus::InProgress) => "Em atendimento",
            (Locale::PtBr, RequestStatus::Done) => "Concluído",
            (Locale::PtBr, RequestStatus::Cancelled) => "Cancelado",
            (Locale::Es, RequestStatus::Waiting) => {
                "Guardado en el celular: se enviará cuando haya internet"
            }
            (Locale::Es, RequestStatus::Sent) => "Enviado",
            (Locale::Es, RequestStatus::Received) => "Recibido por la oficina",
            (Locale::Es, RequestStatus::InProgress) => "En atención",
            (Locale::Es, RequestStatus::Done) => "Concluido",
            (Locale::Es, RequestStatus::Cancelled) => "Cancelado",
        }
    }

    /// Whether nothing more will happen.
    pub fn is_closed(self) -> bool {
        matches!(self, RequestStatus::Done | RequestStatus::Cancelled)
    }
}

/// Who wrote an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    Citizen,
    Office,
}

/// One step of a request's timeline: a status change, a message, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    /// Sorts in time order: `<unix millis, 13 digits>-<writer>`; the key of the events map.
    pub id: String,
    pub at: DateTime<Utc>,
    pub by: Party,
    /// The staff member's name, for office events.
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::option")]
    pub status: Option<RequestStatus>,
    #[serde(default)]
    pub text: Option<String>,
}

/// A citizen's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// `<device>/<random>`: the device is the request's subject, so erasing a device's data
    /// names all its requests without reading them (see [`crate::sync::subject`]).
    pub id: String,
    pub office_id: String,
    /// The citizen device that wrote it (its scope).
    pub device: String,
    pub kind: RequestKind,
    pub text: String,
    /// Only if the person wants to give it: the name they want to be called (nome social).
    #[serde(default)]
    pub name: Option<String>,
    /// Only if the person wants a call back: phone or WhatsApp.
    #[serde(default)]
    pub contact: Option<String>,
    /// The service page it was asked from.
    #[serde(default)]
    pub service_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Staff member the office assigned it to.
    #[serde(default)]
    pub assigned_to: Option<String>,
    #[serde(default)]
    pub events: Vec<RequestEvent>,
}

/// Longest text a request takes (a few paragraphs; a phone keyboard, not a letter).
pub const MAX_TEXT: usize = 2_000;

impl Request {
    /// The latest status in the timeline; `Sent` when the office has written none.
    pub fn status(&self) -> RequestStatus {
        self.sorted_events()
            .iter()
            .rev()
            .find_map(|e| e.status)
            .unwrap_or(RequestStatus::Sent)
    }

    /// Events in time order.
    pub fn sorted_events(&self) -> Vec<&RequestEvent> {
        let mut events: Vec<&RequestEvent> = self.events.iter().collect();
        events.sort_by(|a, b| a.id.cmp(&b.id));
        events
    }
}

/// An event id that sorts by time: millis since the epoch, then who wrote it.
pub fn event_id(at: DateTime<Utc>, writer: &str) -> String {
    format!("{:013}-{writer}", at.timestamp_millis().max(0))
}

/// Checks what a person typed into a request; plain-language messages, one per field.
pub fn check(text: &str, contact: Option<&str>) -> Vec<(&'static str, &'static str)> {
    let mut problems = Vec::new();
    let text = text.trim();
    if text.is_empty() {
        problems.push(("text", "Escreva em poucas palavras do que você precisa."));
    } else if text.chars().count() > MAX_TEXT {
        problems.push((
            "text",
            "O texto está longo demais. Resuma em até 2.000 letras.",
        ));
    }
    if let Some(contact) = contact.map(str::trim).filter(|c| !c.is_empty()) {
        let digits = contact.chars().filter(char::is_ascii_digit).count();
        let only_phone_chars = contact
            .chars()
            .all(|c| c.is_ascii_digit() || " ()+-.".contains(c));
        if !only_phone_chars || !(8..=13).contains(&digits) {
            problems.push((
                "contact",
                "Esse telefone não parece certo. Escreva com DDD, por exemplo (27) 99999-1234.",
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    fn event(id_at: &str, writer: &str, status: Option<RequestStatus>) -> RequestEvent {
        RequestEvent {
            id: event_id(at(id_at), writer),
            at: at(id_at),
            by: Party::Office,
            author: None,
            status,
            text: None,
        }
    }

    #[test]
    fn the_status_is_the_latest_one_in_time_whatever_the_order_stored() {
        let mut request = Request {
            id: "d1/r1".into(),
            office_id: "es-vitoria".into(),
            device: "d1".into(),
            kind: RequestKind::Documents,
            text: "Preciso tirar o RG".into(),
            name: None,
            contact: None,
            service_id: None,
            created_at: at("2026-12-01T10:00:00Z"),
            assigned_to: None,
            events: Vec::new(),
        };
        assert_eq!(request.status(), RequestStatus::Sent);
        request.events = vec![
            event(
                "2026-12-02T10:00:00Z",
                "s1",
                Some(RequestStatus::InProgress),
            ),
            event("2026-12-01T11:00:00Z", "s1", Some(RequestStatus::Received)),
            event("2026-12-03T10:00:00Z", "s1", None),
        ];
        assert_eq!(request.status(), RequestStatus::InProgress);
    }

    #[test]
    fn event_ids_sort_by_time() {
        let a = event_id(at("2026-12-01T09:59:59Z"), "zz");
        let b = event_id(at("2026-12-01T10:00:00Z"), "aa");
        assert!(a < b, "{a} < {b}");
    }

    #[test]
    fn typed_requests_are_checked_in_plain_words() {
        assert!(check("Preciso de ajuda com o CPF", None).is_empty());
        assert!(check("Preciso de ajuda", Some("(27) 99999-1234")).is_empty());
        assert!(check("Preciso de ajuda", Some("  ")).is_empty());
        assert_eq!(check("   ", None)[0].0, "text");
        assert_eq!(check("oi", Some("abc"))[0].0, "contact");
        assert_eq!(check("oi", Some("123"))[0].0, "contact");
        assert_eq!(check(&"a".repeat(MAX_TEXT + 1), None)[0].0, "text");
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.slug()), Some(kind));
        }
    }
}

//! A citizen's requests as the app shows them (`shared::ipc::RequestView`): labels in the
//! store's locale, times in the office's zone, the outbox state said plainly. The app's
//! commands call these, one line each.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use esv_shared::hours::{self, label};
use esv_shared::ipc::{NewRequestInput, RequestEventView, RequestView};
use esv_shared::locale::Locale;
use esv_shared::requests::{Party, RequestEvent, RequestStatus};

use crate::error::{ReplicaError, Result};
use crate::index::{Index, Provider};
use crate::requests::{NewRequest, RequestRow};
use crate::store::Store;

impl Store {
    /// Writes the request a person filled in, and returns it as its page shows it.
    pub fn request_new(
        &mut self,
        input: &NewRequestInput,
        now: DateTime<Utc>,
    ) -> Result<RequestView> {
        let service_id = input
            .service_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let office_id = match input.office_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => id.to_owned(),
            None => office_for(self.index()?, service_id.as_deref()).unwrap_or_default(),
        };
        let request = self.create_request(
            &NewRequest {
                office_id,
                kind: input.kind,
                text: input.text.clone(),
                name: input.name.clone(),
                contact: input.contact.clone(),
                service_id,
            },
            now,
        )?;
        self.request_detail(&request.id, now)
    }

    /// This device's requests, newest first.
    pub fn requests_list(&mut self, now: DateTime<Utc>) -> Result<Vec<RequestView>> {
        let rows = self.requests()?;
        let locale = self.locale;
        let index = self.index()?;
        Ok(rows
            .iter()
            .map(|row| request_view(index, locale, row, Party::Citizen, now))
            .collect())
    }

    pub fn request_detail(&mut self, id: &str, now: DateTime<Utc>) -> Result<RequestView> {
        let row = self.request(id)?;
        let locale = self.locale;
        Ok(request_view(
            self.index()?,
            locale,
            &row,
            Party::Citizen,
            now,
        ))
    }

    /// The person's answer on a request's page.
    pub fn request_message(
        &mut self,
        id: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<RequestView> {
        if text.trim().is_empty() {
            return Err(ReplicaError::BadInput(
                "Escreva a sua mensagem antes de enviar.".into(),
            ));
        }
        self.add_to_request(id, Party::Citizen, None, Some(text), None, now)?;
        self.request_detail(id, now)
    }

    /// The person cancels their request.
    pub fn request_cancel(&mut self, id: &str, now: DateTime<Utc>) -> Result<RequestView> {
        self.add_to_request(
            id,
            Party::Citizen,
            None,
            None,
            Some(RequestStatus::Cancelled),
            now,
        )?;
        self.request_detail(id, now)
    }
}

/// The office a request asked from a service page goes to: the office itself, the service's
/// office, or — for a service of another organisation, or none — the only office there is.
fn office_for(index: &Index, service_id: Option<&str>) -> Option<String> {
    if let Some(id) = service_id {
        if let Some(Provider::Office(office)) = index.providers.get(id) {
            return Some(office.id.clone());
        }
        if let Some(entry) = index.get(id) {
            if let Some(Provider::Office(office)) = index.providers.get(&entry.provider_id) {
                return Some(office.id.clone());
            }
        }
    }
    let mut offices = index.providers.values().filter_map(|p| match p {
        Provider::Office(o) => Some(o.id.clone()),
        Provider::Organization(_) => None,
    });
    match (offices.next(), offices.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// A request as `viewer` sees it: the citizen reads their own words as "Você"; the office
/// reads them under the name the person gave (or "Quem pediu").
pub(crate) fn request_view(
    index: &Index,
    locale: Locale,
    row: &RequestRow,
    viewer: Party,
    now: DateTime<Utc>,
) -> RequestView {
    let request = &row.request;
    let office = match index.providers.get(&request.office_id) {
        Some(Provider::Office(o)) => Some(o),
        _ => None,
    };
    let tz = office
        .and_then(|o| hours::parse_tz(&o.location.tz))
        .unwrap_or(chrono_tz::America::Sao_Paulo);
    let office_name = office.map_or_else(|| request.office_id.clone(), |o| o.name.clone());
    let service = request.service_id.as_deref().and_then(|id| {
        index
            .get(id)
            .map(|e| e.service.words(locale).name.to_owned())
            .or_else(|| {
                index
                    .providers
                    .get(id)
                    .map(|p| p.words(locale).name.to_owned())
            })
    });
    // A request cancelled before it was ever sent reads as cancelled; the note says the rest.
    // The office only has requests that reached it: their own status.
    let status = match request.status() {
        closed if closed.is_closed() => closed,
        open if viewer == Party::Office => open,
        _ => row.status(),
    };
    let pending_note =
        (row.pending && status != RequestStatus::Waiting).then(|| pending_note(locale).to_owned());
    RequestView {
        id: request.id.clone(),
        kind: request.kind,
        kind_label: request.kind.label(locale).to_owned(),
        status,
        status_label: status.label(locale).to_owned(),
        pending_note,
        closed: status.is_closed(),
        text: request.text.clone(),
        name: request.name.clone(),
        contact: request.contact.clone(),
        office_id: request.office_id.clone(),
        office: office_name,
        service_id: request.service_id.clone(),
        service,
        created_label: created(locale, &when(locale, request.created_at, now, tz)),
        events: request
            .sorted_events()
            .into_iter()
            .map(|e| event_view(locale, e, viewer, request.name.as_deref(), now, tz))
            .collect(),
    }
}

fn event_view(
    locale: Locale,
    e: &RequestEvent,
    viewer: Party,
    name: Option<&str>,
    now: DateTime<Utc>,
    tz: Tz,
) -> RequestEventView {
    let who_label = match (e.by, viewer, locale) {
        (Party::Citizen, Party::Citizen, Locale::PtBr) => "Você".to_owned(),
        (Party::Citizen, Party::Citizen, Locale::Es) => "Usted".to_owned(),
        (Party::Citizen, Party::Office, _) => match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => name.to_owned(),
            None => match locale {
                Locale::PtBr => "Quem pediu".to_owned(),
                Locale::Es => "Quien pidió".to_owned(),
            },
        },
        (Party::Office, _, _) => {
            // A proper name: the same in every language.
            let office = "Escritório Social";
            match e.author.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                Some(author) => format!("{office} ({})", capitalised(author)),
                None => office.to_owned(),
            }
        }
    };
    RequestEventView {
        when_label: when(locale, e.at, now, tz),
        who_label,
        status_label: e.status.map(|s| s.label(locale).to_owned()),
        text: e.text.clone(),
    }
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "Hoje às 10h", "Ontem às 18h30", "20/11/2026 às 9h"; in Spanish "Hoy a las 10:00".
pub(crate) fn when(locale: Locale, at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> String {
    let (at, today) = (at.with_timezone(&tz), now.with_timezone(&tz).date_naive());
    let t = label::time(locale, at.time());
    let date = at.format("%d/%m/%Y");
    match (locale, (today - at.date_naive()).num_days()) {
        (Locale::PtBr, 0) => format!("Hoje às {t}"),
        (Locale::PtBr, 1) => format!("Ontem às {t}"),
        (Locale::PtBr, _) => format!("{date} às {t}"),
        (Locale::Es, 0) => format!("Hoy a las {t}"),
        (Locale::Es, 1) => format!("Ayer a las {t}"),
        (Locale::Es, _) => format!("{date} a las {t}"),
    }
}

fn created(locale: Locale, when: &str) -> String {
    let when = lowercase_first(when);
    match locale {
        Locale::PtBr => format!("Pedido feito {}", with_preposition_pt(&when)),
        Locale::Es => format!("Pedido hecho {}", with_preposition_es(&when)),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "hoje às 10h" stays; a date takes "em": "em 20/11/2026 às 9h".
fn with_preposition_pt(when: &str) -> String {
    if when.starts_with(|c: char| c.is_ascii_digit()) {
        format!("em {when}")
    } else {
        when.to_owned()
    }
}

fn with_preposition_es(when: &str) -> String {
    if when.starts_with(|c: char| c.is_ascii_digit()) {
        format!("el {when}")
    } else {
        when.to_owned()
    }
}

fn pending_note(locale: Locale) -> &'static str {
    match locale {
        Locale::PtBr => {
            "Sua última mudança está guardada no celular: será enviada quando houver internet."
        }
        Locale::Es => {
            "Su último cambio está guardado en el celular: se enviará cuando haya internet."
        }
    }
}

impl Store {
    /// Each request's status as its document says (sent or later: a request still waiting
    /// to leave counts as sent), to compare after a sync ([`Store::changed_requests`]).
    pub fn request_statuses(&self) -> Result<std::collections::HashMap<String, RequestStatus>> {
        Ok(self
            .requests()?
            .into_iter()
            .map(|row| (row.request.id.clone(), row.request.status()))
            .collect())
    }

    /// The requests whose status is not what it was in `before`: what a notification after
    /// a sync tells. Requests new to this device are not news.
    pub fn changed_requests(
        &mut self,
        before: &std::collections::HashMap<String, RequestStatus>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RequestView>> {
        let changed: Vec<String> = self
            .request_statuses()?
            .into_iter()
            .filter(|(id, status)| before.get(id).is_some_and(|old| old != status))
            .map(|(id, _)| id)
            .collect();
        changed
            .iter()
            .map(|id| self.request_detail(id, now))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use esv_shared::requests::RequestKind;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _) = Store::open(&dir.path().join("store.db")).expect("open");
        (dir, store)
    }

    fn now() -> DateTime<Utc> {
        "2026-12-01T13:00:00Z".parse().expect("instant")
    }

    #[test]
    fn a_request_from_a_service_page_goes_to_its_office_and_reads_plainly() {
        let (_dir, mut store) = store();
        let input = NewRequestInput {
            service_id: Some("es-vitoria-documentos".into()),
            kind: Some(RequestKind::Documents),
            text: "Preciso tirar o RG".into(),
            name: Some("  ".into()),
            ..Default::default()
        };
        let view = store.request_new(&input, now()).expect("request");
        assert_eq!(view.office_id, "es-vitoria");
        assert_eq!(view.kind_label, "Ajuda com documentos");
        assert!(view.status_label.contains("quando houver internet"));
        assert_eq!(view.pending_note, None, "the status already says it");
        assert_eq!(view.name, None, "a blank name is no name");
        assert_eq!(view.created_label, "Pedido feito hoje às 10h");
        assert!(view.service.is_some());

        let later = now() + chrono::Duration::minutes(5);
        let view = store
            .request_message(&view.id, "Pode ser de manhã", later)
            .expect("message");
        assert_eq!(view.events.len(), 1);
        assert_eq!(view.events[0].who_label, "Você");
        assert_eq!(view.events[0].when_label, "Hoje às 10h05");
        assert!(store.request_message(&view.id, "  ", later).is_err());

        let view = store.request_cancel(&view.id, later).expect("cancel");
        assert!(view.closed);
        assert_eq!(view.status_label, "Cancelado");
        assert!(view.pending_note.is_some(), "the cancel waits to be sent");
        assert_eq!(view.events[1].status_label.as_deref(), Some("Cancelado"));
        assert_eq!(store.requests_list(now()).expect("list").len(), 1);
    }

    #[test]
    fn a_form_with_nothing_chosen_says_what_is_missing() {
        let (_dir, mut store) = store();
        let err = store
            .request_new(&NewRequestInput::default(), now())
            .expect_err("empty");
        let ReplicaError::BadInput(words) = err else {
            panic!("plain words expected");
        };
        assert!(words.contains("Escolha do que você precisa"), "{words}");
        assert!(words.contains("Escreva"), "{words}");
    }

    #[test]
    fn office_answers_name_the_office_and_the_person() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("instant");
        let event = RequestEvent {
            id: "x".into(),
            at: at("2026-11-20T12:00:00Z"),
            by: Party::Office,
            author: Some("ana".into()),
            status: Some(RequestStatus::InProgress),
            text: None,
        };
        let tz = chrono_tz::America::Sao_Paulo;
        let view = event_view(Locale::PtBr, &event, Party::Citizen, None, now(), tz);
        assert_eq!(view.who_label, "Escritório Social (Ana)");
        assert_eq!(view.when_label, "20/11/2026 às 9h");
        assert_eq!(view.status_label.as_deref(), Some("Em atendimento"));
        let es = event_view(Locale::Es, &event, Party::Citizen, None, now(), tz);
        assert_eq!(es.when_label, "20/11/2026 a las 9:00");
    }

    #[test]
    fn only_a_changed_status_is_news() {
        let (_dir, mut store) = store();
        let ask = |text: &str| NewRequestInput {
            office_id: Some("es-vitoria".into()),
            kind: Some(RequestKind::Documents),
            text: text.into(),
            ..Default::default()
        };
        let first = store
            .request_new(&ask("Preciso do CPF"), now())
            .expect("first");
        let before = store.request_statuses().expect("statuses");
        store
            .receive_request(&first.id, "ana", now())
            .expect("received");
        let second = store
            .request_new(&ask("Preciso do RG"), now())
            .expect("second");
        let news = store.changed_requests(&before, now()).expect("news");
        assert_eq!(news.len(), 1, "{news:?}");
        assert_eq!(news[0].id, first.id);
        assert!(
            !news.iter().any(|r| r.id == second.id),
            "a new request is not news"
        );
        let again = store.request_statuses().expect("again");
        assert!(store
            .changed_requests(&again, now())
            .expect("none")
            .is_empty());
    }
}

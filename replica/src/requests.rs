//! Requests (solicitações): a citizen writes one offline, it waits in the outbox until sync
//! sends it, and the office's answers come back the same way. Staff read the office's queue,
//! mark a request received, reply and change its status. Every write is a local edit of the
//! request's document, committed before the call returns.

use chrono::{DateTime, Utc};
use esv_shared::document::Entity;
use esv_shared::requests::{self, Party, Request, RequestEvent, RequestKind, RequestStatus};
use rusqlite::OptionalExtension;

use crate::error::{ReplicaError, Result};
use crate::ids;
use crate::store::Store;

/// What a citizen fills in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewRequest {
    pub office_id: String,
    pub kind: Option<RequestKind>,
    pub text: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub service_id: Option<String>,
}

/// A request as a list shows it: the request, and whether some of it has not reached the
/// office yet ("será enviado quando houver internet").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub request: Request,
    /// Never reached the server: the status a person reads is `Waiting`.
    pub unsent: bool,
    /// Has words or changes not yet sent (a reply written offline).
    pub pending: bool,
}

impl RequestRow {
    pub fn status(&self) -> RequestStatus {
        if self.unsent {
            RequestStatus::Waiting
        } else {
            self.request.status()
        }
    }
}

fn blank_to_none(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Store {
    /// Writes a new request on this device (a citizen's), kept until sync sends it.
    pub fn create_request(&mut self, new: &NewRequest, now: DateTime<Utc>) -> Result<Request> {
        let mut problems: Vec<String> = requests::check(&new.text, new.contact.as_deref())
            .into_iter()
            .map(|(_, m)| m.to_owned())
            .collect();
        if new.kind.is_none() {
            problems.insert(0, "Escolha do que você precisa.".to_owned());
        }
        let known_office = matches!(
            self.index()?.providers.get(&new.office_id),
            Some(crate::index::Provider::Office(_))
        );
        if !known_office {
            problems.push("Escolha o Escritório Social que vai receber o pedido.".to_owned());
        }
        if !problems.is_empty() {
            return Err(ReplicaError::BadInput(problems.join(" ")));
        }
        let (device, _) = self.citizen_identity()?;
        let request = Request {
            id: format!("{device}/{}", ids::new_id()?),
            office_id: new.office_id.clone(),
            device,
            kind: new.kind.unwrap_or(RequestKind::Other),
            text: new.text.trim().to_owned(),
            name: blank_to_none(&new.name),
            contact: blank_to_none(&new.contact),
            service_id: new.service_id.clone(),
            created_at: now,
            assigned_to: None,
            events: Vec::new(),
        };
        self.edit(&Entity::Request(request.clone()), now)?;
        Ok(request)
    }

    /// The requests this device holds, newest first: a citizen's own, or an office's queue on
    /// a staff device.
    pub fn requests(&self) -> Result<Vec<RequestRow>> {
        self.request_rows("", &[])
    }

    /// One request by id.
    pub fn request(&self, id: &str) -> Result<RequestRow> {
        self.request_rows("WHERE r.id = ?1", &[&id])?
            .pop()
            .ok_or_else(|| ReplicaError::NotFound(format!("pedido {id}")))
    }

    /// Request rows with their sync state ("unsent" until the server acknowledged the
    /// document, "pending" while some change waits to be sent).
    fn request_rows(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<RequestRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.data, s.acked, s.dirty FROM requests r
             LEFT JOIN sync_docs s ON s.doc_id = r.doc_id {filter}
             ORDER BY r.created_at DESC, r.id"
        ))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<Vec<u8>>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                ))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(data, acked, dirty)| {
                let request: Request = serde_json::from_str(&data).ok()?;
                Some(RequestRow {
                    request,
                    unsent: acked.is_none_or(|a| a.is_empty()),
                    pending: dirty.unwrap_or(0) != 0,
                })
            })
            .collect())
    }

    /// Adds to a request's timeline: a message, a status, or both. `author` names the staff
    /// member for office events.
    pub fn add_to_request(
        &mut self,
        id: &str,
        by: Party,
        author: Option<&str>,
        text: Option<&str>,
        status: Option<RequestStatus>,
        now: DateTime<Utc>,
    ) -> Result<Request> {
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        if text.is_none() && status.is_none() {
            return Err(ReplicaError::BadInput(
                "Escreva uma mensagem ou escolha a nova situação do pedido.".into(),
            ));
        }
        if let Some(t) = text {
            if t.chars().count() > requests::MAX_TEXT {
                return Err(ReplicaError::BadInput(
                    "A mensagem está longa demais. Resuma em até 2.000 letras.".into(),
                ));
            }
        }
        let mut request = self.request(id)?.request;
        let current = request.status();
        if let Some(next) = status {
            if current.is_closed() {
                return Err(ReplicaError::BadInput(format!(
                    "Este pedido já está {}.",
                    current
                        .label(esv_shared::locale::Locale::PtBr)
                        .to_lowercase()
                )));
            }
            if by == Party::Citizen && next != RequestStatus::Cancelled {
                return Err(ReplicaError::BadInput(
                    "Quem pediu só pode cancelar o pedido; a situação muda pelo Escritório.".into(),
                ));
            }
            if matches!(next, RequestStatus::Waiting | RequestStatus::Sent) {
                return Err(ReplicaError::BadInput(
                    "Essa situação é dada pelo envio, não por quem atende.".into(),
                ));
            }
        }
        let writer = match by {
            Party::Citizen => request.device.clone(),
            Party::Office => author.unwrap_or("escritorio").to_owned(),
        };
        let mut event_id = requests::event_id(now, &writer);
        while request.events.iter().any(|e| e.id == event_id) {
            event_id.push('+');
        }
        request.events.push(RequestEvent {
            id: event_id,
            at: now,
            by,
            author: author.map(str::to_owned),
            status,
            text: text.map(str::to_owned),
        });
        self.edit(&Entity::Request(request.clone()), now)?;
        Ok(request)
    }

    /// A staff member opened a request that was only sent: it is now received.
    pub fn receive_request(
        &mut self,
        id: &str,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Request> {
        let row = self.request(id)?;
        if row.request.status() != RequestStatus::Sent {
            return Ok(row.request);
        }
        self.add_to_request(
            id,
            Party::Office,
            Some(staff),
            None,
            Some(RequestStatus::Received),
            now,
        )
    }

    /// The office of this device's oldest request: the one a citizen device registers with.
    pub fn office_of_first_request(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT office_id FROM requests ORDER BY created_at, id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }
}

//! The office's requests queue on a staff device: new requests first, filtered by kind,
//! status and who has them; opening a new one marks it received; staff assign, answer and
//! change the status, and the citizen sees it after their next sync.
//!
//! Reads one page at a time from the projection table, so a queue of thousands opens at once.

use chrono::{DateTime, Utc};
use esv_shared::access::Action;
use esv_shared::document::Entity;
use esv_shared::ipc::office::{
    AnswerInput, QueueFilter, QueueItem, QueueView, StatusCount, QUEUE_PAGE,
};
use esv_shared::requests::{Party, Request, RequestStatus};

use crate::error::{ReplicaError, Result};
use crate::request_views::request_view;
use crate::requests::RequestRow;
use crate::store::Store;
use crate::team_views::Recorder;

/// The order of the queue: what nobody opened yet first.
const STATUS_ORDER: &str = "CASE r.status WHEN 'sent' THEN 0 WHEN 'received' THEN 1 \
                            WHEN 'in-progress' THEN 2 ELSE 3 END";

impl Store {
    fn staff(&self) -> Result<Recorder> {
        let who = self.recorder()?;
        if !who.role.may(Action::ServeRequests) {
            return Err(ReplicaError::NotAllowed(
                "Os pedidos das pessoas são atendidos pela equipe do escritório.".to_owned(),
            ));
        }
        Ok(who)
    }

    /// One page of the office's queue.
    pub fn request_queue(&mut self, filter: &QueueFilter, now: DateTime<Utc>) -> Result<QueueView> {
        let who = self.staff()?;
        let kind = filter.kind.map(|k| k.slug().to_owned());
        let status = filter.status.map(|s| s.slug().to_owned());
        let mine = filter.mine.then(|| who.staff.clone());
        let matching = "r.office_id = ?1
             AND (?2 IS NULL OR json_extract(r.data, '$.kind') = ?2)
             AND (?3 IS NULL OR r.status = ?3)
             AND (?4 IS NULL OR json_extract(r.data, '$.assigned_to') = ?4)";
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM requests r WHERE {matching}"),
            rusqlite::params![who.office, kind, status, mine],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.data, s.acked, s.dirty FROM requests r
             LEFT JOIN sync_docs s ON s.doc_id = r.doc_id
             WHERE {matching}
             ORDER BY {STATUS_ORDER}, r.created_at DESC, r.id
             LIMIT ?5 OFFSET ?6"
        ))?;
        let rows = stmt
            .query_map(
                rusqlite::params![
                    who.office,
                    kind,
                    status,
                    mine,
                    i64::try_from(QUEUE_PAGE).unwrap_or(50),
                    i64::try_from(filter.offset).unwrap_or(0)
                ],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<Vec<u8>>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                },
            )?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        drop(stmt);
        let mut counts_stmt = self.conn.prepare_cached(
            "SELECT status, count(*) FROM requests WHERE office_id = ?1 GROUP BY status",
        )?;
        let counted = counts_stmt
            .query_map([&who.office], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        drop(counts_stmt);
        let locale = self.locale;
        let counts = [
            RequestStatus::Sent,
            RequestStatus::Received,
            RequestStatus::InProgress,
            RequestStatus::Done,
            RequestStatus::Cancelled,
        ]
        .into_iter()
        .map(|s| StatusCount {
            status: s,
            label: queue_label(locale, s).to_owned(),
            count: counted
                .iter()
                .find(|(slug, _)| slug == s.slug())
                .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0)),
        })
        .collect();
        let index = self.index()?;
        let items = rows
            .into_iter()
            .filter_map(|(data, acked, dirty)| {
                let request: Request = serde_json::from_str(&data).ok()?;
                let row = RequestRow {
                    request,
                    unsent: acked.is_none_or(|a| a.is_empty()),
                    pending: dirty.unwrap_or(0) != 0,
                };
                Some(queue_item(index, locale, &row, now))
            })
            .collect();
        Ok(QueueView {
            items,
            total: usize::try_from(total).unwrap_or(0),
            counts,
        })
    }

    /// A request as the office reads it; opening one nobody opened marks it received.
    pub fn queue_request(&mut self, id: &str, now: DateTime<Utc>) -> Result<QueueItem> {
        let who = self.staff()?;
        let row = self.request(id)?;
        if row.request.office_id != who.office {
            return Err(ReplicaError::NotFound(format!("pedido {id}")));
        }
        self.receive_request(id, &who.staff, now)?;
        self.queue_item_now(id, now)
    }

    /// Assigns a request to `to` (the one signed in when `None`).
    pub fn queue_assign(
        &mut self,
        id: &str,
        to: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<QueueItem> {
        let who = self.staff()?;
        let mut request = self.request(id)?.request;
        if request.office_id != who.office {
            return Err(ReplicaError::NotFound(format!("pedido {id}")));
        }
        let to = to
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(&who.staff);
        request.assigned_to = Some(to.to_owned());
        self.edit(&Entity::Request(request), now)?;
        self.queue_item_now(id, now)
    }

    /// A staff member's answer: a message to the person, a new status, or both.
    pub fn queue_answer(&mut self, input: &AnswerInput, now: DateTime<Utc>) -> Result<QueueItem> {
        let who = self.staff()?;
        if self.request(&input.id)?.request.office_id != who.office {
            return Err(ReplicaError::NotFound(format!("pedido {}", input.id)));
        }
        self.add_to_request(
            &input.id,
            Party::Office,
            Some(&who.staff),
            Some(&input.text),
            input.status,
            now,
        )?;
        self.queue_item_now(&input.id, now)
    }

    fn queue_item_now(&mut self, id: &str, now: DateTime<Utc>) -> Result<QueueItem> {
        let row = self.request(id)?;
        let locale = self.locale;
        Ok(queue_item(self.index()?, locale, &row, now))
    }
}

fn queue_item(
    index: &crate::index::Index,
    locale: esv_shared::locale::Locale,
    row: &RequestRow,
    now: DateTime<Utc>,
) -> QueueItem {
    QueueItem {
        assigned_to: row.request.assigned_to.clone(),
        request: request_view(index, locale, row, Party::Office, now),
    }
}

/// The queue's words for a status (the office's side: "Novos", not "Enviado"), in the
/// language of the staff member reading it.
fn queue_label(locale: esv_shared::locale::Locale, status: RequestStatus) -> &'static str {
    use esv_shared::locale::Locale::{Es, PtBr};
    match (locale, status) {
        (PtBr, RequestStatus::Waiting | RequestStatus::Sent) => "Novos",
        (PtBr, RequestStatus::Received) => "Abertos",
        (PtBr, RequestStatus::InProgress) => "Em atendimento",
        (PtBr, RequestStatus::Done) => "Concluídos",
        (PtBr, RequestStatus::Cancelled) => "Cancelados",
        (Es, RequestStatus::Waiting | RequestStatus::Sent) => "Nuevos",
        (Es, RequestStatus::Received) => "Abiertos",
        (Es, RequestStatus::InProgress) => "En atención",
        (Es, RequestStatus::Done) => "Terminados",
        (Es, RequestStatus::Cancelled) => "Cancelados",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use esv_shared::locale::Locale;

    #[test]
    fn the_queue_names_each_status_in_both_languages() {
        let cases = [
            (Locale::PtBr, RequestStatus::Sent, "Novos"),
            (Locale::PtBr, RequestStatus::InProgress, "Em atendimento"),
            (Locale::Es, RequestStatus::Waiting, "Nuevos"),
            (Locale::Es, RequestStatus::Received, "Abiertos"),
            (Locale::Es, RequestStatus::InProgress, "En atención"),
            (Locale::Es, RequestStatus::Done, "Terminados"),
        ];
        for (locale, status, want) in cases {
            assert_eq!(queue_label(locale, status), want);
        }
    }
}

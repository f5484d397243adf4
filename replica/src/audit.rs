//! Openings of a person's record by the team, kept on this device until the server's audit log
//! accepted them (`audit_pending`, device-only): written by `Store::person_view`, sent by each
//! sync, and the office's log as its Coordinator reads it from the server.

use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::audit::{AuditOpening, AuditPush, AuditRecord, MAX_PUSH};
use esv_shared::ipc::team::AuditEntryView;
use esv_shared::sync::Role;
use rusqlite::params;

use crate::error::Result;
use crate::ids;
use crate::store::Store;
use crate::sync::{Remote, SyncError};

impl Store {
    /// Notes that the signed-in team account opened `person_id`'s record; a citizen device or
    /// one signed out notes nothing.
    pub(crate) fn note_opening(&self, person_id: &str, now: DateTime<Utc>) -> Result<()> {
        let Some(account) = self.account()? else {
            return Ok(());
        };
        let session = account.session;
        if session.role == Role::Citizen {
            return Ok(());
        }
        let who = session.username.unwrap_or(session.device);
        self.conn.execute(
            "INSERT INTO audit_pending (id, username, person_id, at) VALUES (?1, ?2, ?3, ?4)",
            params![
                ids::new_id()?,
                who,
                person_id,
                now.to_rfc3339_opts(SecondsFormat::Millis, true)
            ],
        )?;
        Ok(())
    }

    /// Openings not yet accepted by the server, oldest first, at most one push's worth.
    pub fn pending_openings(&self) -> Result<Vec<AuditOpening>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, person_id, at FROM audit_pending ORDER BY at, id LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([MAX_PUSH as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, person_id, at)| {
                let at = DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc);
                Some(AuditOpening { id, person_id, at })
            })
            .collect())
    }

    /// Forgets the openings the server accepted.
    pub(crate) fn forget_openings(&mut self, sent: &[AuditOpening]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for entry in sent {
            tx.execute("DELETE FROM audit_pending WHERE id = ?1", [&entry.id])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Sends the pending openings, one push at a time, and forgets each push once accepted.
    /// Returns how many went.
    pub(crate) fn send_openings(&mut self, remote: &Remote, token: &str) -> Result<usize> {
        let mut sent = 0;
        loop {
            let entries = self.pending_openings()?;
            if entries.is_empty() {
                return Ok(sent);
            }
            let push = AuditPush { entries };
            remote.audit_push(token, &push)?;
            self.forget_openings(&push.entries)?;
            sent += push.entries.len();
        }
    }

    /// The office's audit log from the server, newest first — for its Coordinator; anyone
    /// else gets the server's refusal in plain words.
    pub fn audit_log(&self) -> Result<Vec<AuditRecord>> {
        let account = self.account()?.ok_or(SyncError::NotSignedIn)?;
        let remote = Remote::new(&account.server)?;
        Ok(remote
            .audit_log(&account.session.token, &account.session.office)?
            .entries)
    }

    /// [`Store::audit_log`] as the Coordinator's screen lists it, times in the office's zone.
    pub fn audit_log_view(&mut self) -> Result<Vec<AuditEntryView>> {
        let entries = self.audit_log()?;
        let office = self
            .account()?
            .map(|a| a.session.office)
            .unwrap_or_default();
        let tz = self.office_tz(&office);
        Ok(entries
            .into_iter()
            .map(|e| AuditEntryView {
                when_label: e
                    .at
                    .with_timezone(&tz)
                    .format("%d/%m/%Y às %Hh%M")
                    .to_string(),
                who: e.username.unwrap_or(e.device),
                person_id: e.person_id,
            })
            .collect())
    }
}

//! Reads of a person's data by the team, kept on this device until the server's audit log
//! accepted them (`audit_pending`, device-only): the record opened (`Store::person_view`), a
//! search listing them (`Store::find_people`) and the referral slip (`Store::referral_slip`)
//! — the store notes them itself, so the app and the `esv` command alike leave a trace — sent
//! by each sync; and the office's log, a page at a time, as its Coordinator reads it.

use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::audit::{AuditOpening, AuditPush, AuditRecord, OpeningKind, MAX_PUSH};
use esv_shared::ipc::team::{AuditEntryView, AuditPageView};
use esv_shared::sync::Role;
use rusqlite::params;

use crate::error::Result;
use crate::ids;
use crate::store::Store;
use crate::sync::{Remote, SyncError};

/// A person listed by searches again and again while a name is typed is noted once in this
/// many minutes (per kind of read), not once per keystroke.
const SEARCH_QUIET_MINUTES: i64 = 10;

impl Store {
    /// Notes that the signed-in team account read `person_id`'s data (`what`); a citizen
    /// device or one signed out notes nothing.
    pub(crate) fn note_opening(
        &mut self,
        person_id: &str,
        what: OpeningKind,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.note_openings(&[person_id], what, now)
    }

    /// [`Store::note_opening`] for several people at once, in one transaction. A search
    /// listing the same person again within [`SEARCH_QUIET_MINUTES`] is not noted twice, so
    /// typing a name writes nothing after the first letters that found someone new.
    pub(crate) fn note_openings(
        &mut self,
        people: &[&str],
        what: OpeningKind,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let Some(account) = self.account()? else {
            return Ok(());
        };
        let session = account.session;
        if session.role == Role::Citizen || people.is_empty() {
            return Ok(());
        }
        let at = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        let quiet_since = at(now - chrono::Duration::minutes(SEARCH_QUIET_MINUTES));
        let mut new = Vec::new();
        for person_id in people {
            let recent = what == OpeningKind::Search
                && self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM audit_pending
                     WHERE person_id = ?1 AND what = ?2 AND at >= ?3)",
                    params![person_id, what.as_str(), quiet_since],
                    |r| r.get::<_, bool>(0),
                )?;
            if !recent {
                new.push(*person_id);
            }
        }
        if new.is_empty() {
            return Ok(());
        }
        let who = session.username.unwrap_or(session.device);
        let tx = self.conn.transaction()?;
        for person_id in new {
            tx.execute(
                "INSERT INTO audit_pending (id, username, person_id, at, what)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![ids::new_id()?, who, person_id, at(now), what.as_str()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Openings not yet accepted by the server, oldest first, at most one push's worth.
    pub fn pending_openings(&self) -> Result<Vec<AuditOpening>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, person_id, at, what FROM audit_pending ORDER BY at, id LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([MAX_PUSH as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, person_id, at, what)| {
                let at = DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc);
                let what = OpeningKind::parse(&what).unwrap_or_default();
                Some(AuditOpening {
                    id,
                    person_id,
                    at,
                    what,
                })
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

    /// A page of the office's audit log from the server, last arrived first (the first, or
    /// the one after `before`) — for its Coordinator; anyone else gets the server's refusal in
    /// plain words.
    pub fn audit_log(&self, before: Option<&str>) -> Result<(Vec<AuditRecord>, Option<String>)> {
        let account = self.account()?.ok_or(SyncError::NotSignedIn)?;
        let remote = Remote::new(&account.server)?;
        let page = remote.audit_log(&account.session.token, &account.session.office, before)?;
        Ok((page.entries, page.next))
    }

    /// [`Store::audit_log`] as the Coordinator's screen lists it, in the store's language and
    /// the office's time zone: when the server got each entry, and when the device says.
    pub fn audit_log_view(&mut self, before: Option<&str>) -> Result<AuditPageView> {
        let (entries, next) = self.audit_log(before)?;
        let office = self
            .account()?
            .map(|a| a.session.office)
            .unwrap_or_default();
        let tz = self.office_tz(&office);
        let locale = self.locale;
        let when = |t: DateTime<Utc>| {
            esv_shared::words::team::date_time(locale, t.with_timezone(&tz).naive_local())
        };
        Ok(AuditPageView {
            entries: entries
                .into_iter()
                .map(|e| AuditEntryView {
                    when_label: when(e.received_at.unwrap_or(e.at)),
                    what_label: e.what.label(locale).to_owned(),
                    opened_label: esv_shared::words::team::on_the_device(locale, &when(e.at)),
                    who: e.username.unwrap_or(e.device),
                    person_id: e.person_id,
                })
                .collect(),
            next,
        })
    }
}

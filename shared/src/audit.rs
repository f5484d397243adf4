//! The audit log of openings of a person's record (design: "every read of a person's record by
//! staff is written to an audit log on the server"): what a team device sends (`POST
//! /v1/audit`), what the server keeps and answers its office's Coordinator (`GET
//! /v1/audit?office=…`, a page at a time), and who may read it. An entry holds the person's
//! id, never a name. Every read of a person's data that leaves a device's store is one: the
//! record opened, a search listing them (civil name, birth date, mother's name), the referral
//! slip — from the app or from the `esv` command alike. The device's clock says when it was
//! opened; the server's says when the entry arrived, and only the latter is trusted for order.

use crate::locale::Locale;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::Principal;

/// What of a person's data was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpeningKind {
    /// The person's record opened.
    #[default]
    Record,
    /// The person listed by a search (with civil name, birth date, mother's name).
    Search,
    /// The referral slip made (it carries the person's name).
    Slip,
    /// The person's copy of their whole record made (LGPD art. 18), to hand to them.
    Copy,
}

impl OpeningKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpeningKind::Record => "record",
            OpeningKind::Search => "search",
            OpeningKind::Slip => "slip",
            OpeningKind::Copy => "copy",
        }
    }

    pub fn parse(text: &str) -> Option<OpeningKind> {
        [
            OpeningKind::Record,
            OpeningKind::Search,
            OpeningKind::Slip,
            OpeningKind::Copy,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    /// What the Coordinator's log says was done.
    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (OpeningKind::Record, Locale::PtBr) => "Abriu o cadastro",
            (OpeningKind::Search, Locale::PtBr) => "Viu numa busca",
            (OpeningKind::Slip, Locale::PtBr) => "Fez a guia de encaminhamento",
            (OpeningKind::Record, Locale::Es) => "Abrió el registro",
            (OpeningKind::Search, Locale::Es) => "Lo vio en una búsqueda",
            (OpeningKind::Slip, Locale::Es) => "Hizo la guía de derivación",
            (OpeningKind::Copy, Locale::PtBr) => "Fez a cópia dos dados para a pessoa",
            (OpeningKind::Copy, Locale::Es) => "Hizo la copia de los datos para la persona",
        }
    }
}

/// One read of a person's data on a device, as the device sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOpening {
    /// Random, made on the device: sending the same entry again is harmless.
    pub id: String,
    pub person_id: String,
    /// By the device's clock.
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub what: OpeningKind,
}

/// `POST /v1/audit`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditPush {
    pub entries: Vec<AuditOpening>,
}

/// The answer to `POST /v1/audit`: every entry sent is on record (new or already there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditAccepted {
    pub accepted: u32,
}

/// One entry of the server's log: which device and account opened which person's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: String,
    pub device: String,
    /// The account signed in on that device (`None` if it has none).
    #[serde(default)]
    pub username: Option<String>,
    pub office: String,
    pub person_id: String,
    /// When the device says it was read (its own clock).
    pub at: DateTime<Utc>,
    /// When the entry reached the server, by the server's clock: the log's order.
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub what: OpeningKind,
}

/// `GET /v1/audit?office=…[&before=…]`: one page of the office's entries, last arrived
/// first; `next` asks for the page after it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditLog {
    pub entries: Vec<AuditRecord>,
    /// Give it as `before` for the next page; `None` on the last one.
    #[serde(default)]
    pub next: Option<String>,
}

/// Entries in one page of the log.
pub const PAGE: usize = 200;
/// The longest entry or person id the server keeps.
pub const MAX_ID: usize = 200;

/// Most entries one push may carry.
pub const MAX_PUSH: usize = 1_000;

/// Whether `who` may send openings: team accounts (a citizen device opens no records).
pub fn may_write_audit(who: &Principal) -> bool {
    who.role.may(crate::access::Action::RecordFieldWork)
}

/// Whether `who` may read `office`'s log: its Coordinator only.
pub fn may_read_audit(who: Option<&Principal>, office: &str) -> bool {
    who.is_some_and(|p| p.role.may(crate::access::Action::ReadAuditLog) && p.office == office)
}

/// What a Staff member, a field worker or another office's Coordinator reads when refused.
pub const READ_REFUSED: &str =
    "Só a coordenação do Escritório Social pode ler o registro de quem abriu os cadastros.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Role;

    fn who(role: Role, office: &str) -> Principal {
        Principal {
            device: "d".into(),
            role,
            office: office.into(),
        }
    }

    #[test]
    fn only_the_offices_coordinator_reads_the_log() {
        assert!(may_read_audit(
            Some(&who(Role::Coordinator, "es-vitoria")),
            "es-vitoria"
        ));
        assert!(!may_read_audit(
            Some(&who(Role::Coordinator, "rr-boa-vista")),
            "es-vitoria"
        ));
        assert!(!may_read_audit(
            Some(&who(Role::Staff, "es-vitoria")),
            "es-vitoria"
        ));
        assert!(!may_read_audit(None, "es-vitoria"));
        assert!(!may_write_audit(&who(Role::Citizen, "es-vitoria")));
        assert!(may_write_audit(&who(Role::FieldWorker, "es-vitoria")));
    }
}

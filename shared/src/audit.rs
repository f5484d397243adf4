//! The audit log of openings of a person's record (design: "every read of a person's record by
//! staff is written to an audit log on the server"): what a team device sends (`POST
//! /v1/audit`), what the server keeps and answers its office's Coordinator (`GET
//! /v1/audit?office=…`), and who may read it. An entry holds the person's id, never a name.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::Principal;

/// One opening of a person's record on a device, as the device sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOpening {
    /// Random, made on the device: sending the same entry again is harmless.
    pub id: String,
    pub person_id: String,
    pub at: DateTime<Utc>,
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
    pub at: DateTime<Utc>,
}

/// `GET /v1/audit?office=…`: the office's entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditLog {
    pub entries: Vec<AuditRecord>,
}

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

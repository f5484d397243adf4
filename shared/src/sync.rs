//! The sync protocol between a replica and the office's sync server (`/v1/…`): roles, scopes,
//! who may read and write what, and the request and response bodies. Both ends use these types;
//! the server never looks inside a document (invariant 5), only at its id and scope.
//!
//! Shape (design.md, Sync): the server keeps, per stream, an append-only log of automerge
//! changes numbered by `seq`, unique per `(doc_id, change hash)`. A replica pushes the changes
//! the server has not acknowledged and pulls everything after its cursor for each stream it may
//! read — push and pull in one request. Every request is idempotent and can be retried after a
//! failure at any byte.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::access::Action;

/// The protocol version this build speaks, sent in [`PROTOCOL_HEADER`] on every request.
pub const PROTOCOL: u32 = 1;
/// The header carrying the client's protocol version.
pub const PROTOCOL_HEADER: &str = "x-esv-protocol";
/// What the server answers an older client, in every language the client might show.
pub const UPGRADE_MESSAGE: &str =
    "Esta versão do aplicativo é antiga demais para sincronizar. Atualize o aplicativo.";
/// The catalog stream: everything public, from every office.
pub const CATALOG_STREAM: &str = "catalog";
/// The catalog owner of national entries (organisations listed by every office, rights).
pub const NATIONAL: &str = "nacional";

/// What an account or device may do (glossary: roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// An anonymous device of a pessoa egressa or a relative.
    Citizen,
    FieldWorker,
    Staff,
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::FieldWorker => "field-worker",
            Role::Staff => "staff",
            Role::Coordinator => "coordinator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Citizen,
            Role::FieldWorker,
            Role::Staff,
            Role::Coordinator,
        ]
        .into_iter()
        .find(|r| r.as_str() == s || (s == "fieldworker" && *r == Role::FieldWorker))
    }

    /// Staff and coordinators keep the office's catalog ([`Action::EditCatalog`]).
    pub fn edits_catalog(self) -> bool {
        self.may(Action::EditCatalog)
    }
}

/// Who a document belongs to, which decides who may read and write it (design.md's table).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Scope {
    /// Public catalog entries of `office` ([`NATIONAL`] for national ones): everyone reads;
    /// that office's Staff and Coordinator write (national ones: any Coordinator).
    Catalog { office: String },
    /// A citizen device's own documents (its requests): that device and `office`'s staff.
    Citizen { office: String, device: String },
    /// The office's private documents (people, encounters, referrals): its staff only.
    Office { office: String },
}

impl Scope {
    /// The log the document's changes are appended to. A citizen's documents go to the
    /// office's requests stream, filtered by device when a citizen reads it.
    pub fn stream(&self) -> String {
        match self {
            Scope::Catalog { .. } => CATALOG_STREAM.to_owned(),
            Scope::Citizen { office, .. } => format!("requests:{office}"),
            Scope::Office { office } => format!("office:{office}"),
        }
    }

    pub fn office(&self) -> &str {
        match self {
            Scope::Catalog { office }
            | Scope::Citizen { office, .. }
            | Scope::Office { office } => office,
        }
    }

    /// The device that owns a citizen document.
    pub fn device(&self) -> Option<&str> {
        match self {
            Scope::Citizen { device, .. } => Some(device),
            _ => None,
        }
    }
}

/// Who is asking: what a device token stands for. `None` is an unregistered device, which may
/// only read the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub device: String,
    pub role: Role,
    pub office: String,
}

/// Whether `who` may read documents of `scope`.
pub fn may_read(who: Option<&Principal>, scope: &Scope) -> bool {
    match (scope, who) {
        (Scope::Catalog { .. }, _) => true,
        (_, None) => false,
        (Scope::Citizen { office, device }, Some(p)) => {
            &p.office == office
                && (p.role.may(Action::ServeRequests)
                    || (p.role == Role::Citizen && &p.device == device))
        }
        (Scope::Office { office }, Some(p)) => {
            p.role.may(Action::RecordFieldWork) && &p.office == office
        }
    }
}

/// Whether `who` may write documents of `scope`.
pub fn may_write(who: Option<&Principal>, scope: &Scope) -> bool {
    let Some(p) = who else { return false };
    match scope {
        Scope::Catalog { office } if office == NATIONAL => p.role.may(Action::EditNationalCatalog),
        Scope::Catalog { office } => p.role.edits_catalog() && &p.office == office,
        Scope::Citizen { .. } | Scope::Office { .. } => may_read(who, scope),
    }
}

/// The streams `who` pulls, with the device filter that applies to each.
pub fn readable_streams(who: Option<&Principal>) -> Vec<(String, Option<String>)> {
    let mut streams = vec![(CATALOG_STREAM.to_owned(), None)];
    if let Some(p) = who {
        let requests = format!("requests:{}", p.office);
        if p.role.may(Action::ServeRequests) {
            streams.push((requests, None));
        } else if p.role == Role::Citizen {
            streams.push((requests, Some(p.device.clone())));
        }
        if p.role.may(Action::RecordFieldWork) {
            streams.push((format!("office:{}", p.office), None));
        }
    }
    streams
}

/// Document kinds by scope class, from the prefix of the document id (`<kind>:<id>`), so the
/// server can refuse a private document pushed into the public catalog without reading it —
/// and ids that carry an owner other than the scope's ([`ownership`]).
pub fn scope_fits_doc(doc_id: &str, scope: &Scope) -> bool {
    ownership(doc_id, scope) != Ownership::Wrong
}

/// Whether a document id belongs in a scope, read from the id alone (invariant 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// The id names the scope's owner: `office:<o>` and `organization:<o>/…` or
    /// `opportunity:<o>/…` in `o`'s catalog, `organization:nacional…` and every
    /// `rights-article:` in the national catalog, `request:<device>/…` in that device's
    /// citizen scope, a person's documents in an office scope.
    Fits,
    /// An office's organisation or opportunity named before ids carried their office
    /// (`organization:cras-centro`): the server keeps taking changes to one it already holds
    /// in that scope, and refuses to start a new one.
    Legacy,
    /// Another owner's id, or a kind that never lives in this scope: refused.
    Wrong,
}

/// Where a catalog document of `kind` with id `rest` belongs, if its id says so.
fn catalog_owner<'a>(kind: &str, rest: &'a str) -> Option<&'a str> {
    match kind {
        "office" => Some(rest),
        "rights-article" => Some(NATIONAL),
        "organization" | "opportunity" => rest.split_once('/').map(|(owner, _)| owner),
        _ => None,
    }
}

/// Whether `doc_id` may live in `scope` ([`Ownership`]). One rule, used by the server before
/// it stores a push and by the replica before it sends one.
pub fn ownership(doc_id: &str, scope: &Scope) -> Ownership {
    let Some((kind, rest)) = doc_id.split_once(':') else {
        return Ownership::Wrong;
    };
    if rest.is_empty() || doc_id.len() > MAX_DOC_ID || doc_id.chars().any(char::is_control) {
        return Ownership::Wrong;
    }
    let fits = |ok: bool| {
        if ok {
            Ownership::Fits
        } else {
            Ownership::Wrong
        }
    };
    match scope {
        Scope::Catalog { office } => match (kind, catalog_owner(kind, rest)) {
            (_, Some(owner)) => fits(owner == office),
            // The national catalog's own organisation (`organization:nacional`).
            ("organization", None) if rest == office => Ownership::Fits,
            ("organization" | "opportunity", None) if office != NATIONAL => Ownership::Legacy,
            _ => Ownership::Wrong,
        },
        Scope::Citizen { device, .. } => fits(kind == "request" && subject(doc_id) == Some(device)),
        // A personal document's id names its person (`subject`), or it could never be erased.
        Scope::Office { .. } => fits(match kind {
            "outreach" => true,
            "person" | "encounter" | "referral" | "consent" | "case-plan" | "expected-release" => {
                subject(doc_id).is_some()
            }
            _ => false,
        }),
    }
}

/// The longest document id the server takes.
pub const MAX_DOC_ID: usize = 200;

/// Bytes in JSON bodies, as base64.
pub mod b64 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = <&str>::deserialize(d)?;
        STANDARD.decode(text).map_err(D::Error::custom)
    }

    pub mod list {
        use super::*;
        use serde::ser::SerializeSeq;

        pub fn serialize<S: Serializer>(items: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(items.len()))?;
            for item in items {
                seq.serialize_element(&STANDARD.encode(item))?;
            }
            seq.end()
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
            Vec::<&str>::deserialize(d)?
                .into_iter()
                .map(|t| STANDARD.decode(t).map_err(D::Error::custom))
                .collect()
        }
    }
}

/// `POST /v1/devices`: an anonymous citizen device registers with an office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub office: String,
    /// The id and token the device made for itself (`dev-` + 20 hex digits; 43 base64url
    /// characters), so it can write requests offline, before it ever reached the server, and a
    /// registration whose answer was lost can be sent again with the same result.
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
}

/// Whether a device id has the shape the server hands out (`dev-` + 20 hex digits).
pub fn is_device_id(id: &str) -> bool {
    id.strip_prefix("dev-").is_some_and(|hex| {
        hex.len() == 20
            && hex
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

/// `POST /v1/login`: a staff member signs a device in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// How the device shows in `esv-server device list` ("celular da Ana").
    pub device_name: String,
}

/// The answer to a registration or a sign-in: the device's own revocable token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub device: String,
    pub token: String,
    pub role: Role,
    pub office: String,
    /// The account's username; `None` for a citizen device.
    pub username: Option<String>,
}

/// Changes of one document that the server has not acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocChanges {
    pub doc_id: String,
    pub scope: Scope,
    /// Raw automerge changes, in causal order.
    #[serde(with = "b64::list")]
    pub changes: Vec<Vec<u8>>,
}

/// `POST /v1/sync`: push and pull in one request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncRequest {
    pub push: Vec<DocChanges>,
    /// The last `seq` the device holds, per stream (absent: nothing yet).
    pub cursors: BTreeMap<String, u64>,
    /// At most this many changes back (the server may send fewer).
    pub limit: Option<u32>,
}

/// One change pulled from a stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pulled {
    pub stream: String,
    pub seq: u64,
    pub doc_id: String,
    pub scope: Scope,
    #[serde(with = "b64")]
    pub change: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncResponse {
    /// How many pushed changes were new to the server, and how many it already had.
    pub accepted: u32,
    pub duplicates: u32,
    pub pull: Vec<Pulled>,
    /// The cursor to send next time, per stream the device may read.
    pub cursors: BTreeMap<String, u64>,
    /// More changes wait: ask again with the new cursors.
    pub more: bool,
    /// Subjects erased since the cursors, and any the push named: delete their documents.
    #[serde(default)]
    pub erased: Vec<Erased>,
    /// Pushed documents the server's administrator removed (`esv-server doc remove`): their
    /// changes were dropped; the device stops sending them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// The device's account was disabled by the office's Coordinator: its push was taken, it
    /// receives nothing more, and once it has sent everything it holds it wipes its data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retiring: bool,
}

/// An erasure in a stream's log: every document about `subject` is gone, for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erased {
    pub stream: String,
    pub seq: u64,
    pub subject: String,
}

/// `POST /v1/erase`: delete every document about a subject (a person, or a citizen device's
/// requests) from the server, and tell every device to delete them (LGPD erasure). Changes to
/// them that arrive later, from a device that was offline, are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraseRequest {
    pub scope: Scope,
    pub subject: String,
}

/// Whom a document is about, read from its id alone (invariant 5): `person:<p>` and
/// `encounter:<p>/…`, `referral:<p>/…`, `consent:<p>/…`, `case-plan:<p>/…` are about person
/// `<p>`; `request:<device>/…` about a citizen device. Catalog documents and outreaches have no
/// subject: an outreach is a group activity (a place, a date, the team's accounts) and names
/// no person it met — who was met is in the encounters, which are the person's.
pub fn subject(doc_id: &str) -> Option<&str> {
    let (kind, rest) = doc_id.split_once(':')?;
    let subject = match kind {
        "person" | "expected-release" => rest,
        "encounter" | "referral" | "request" | "case-plan" | "consent" => rest.split_once('/')?.0,
        _ => return None,
    };
    (!subject.is_empty()).then_some(subject)
}

/// Whether `who` may erase `subject` in `scope`: a citizen device its own requests; the
/// office's Staff and Coordinator anything of the office. Field workers record; they don't erase.
pub fn may_erase(who: Option<&Principal>, scope: &Scope, subject: &str) -> bool {
    let Some(p) = who else { return false };
    match scope {
        Scope::Catalog { .. } => false,
        Scope::Citizen { office, device } => {
            device == subject
                && &p.office == office
                && (p.role.may(Action::ServeRequests)
                    || (p.role == Role::Citizen && &p.device == device))
        }
        Scope::Office { office } => &p.office == office && p.role.may(Action::ManagePeople),
    }
}

/// `GET /v1/snapshot?stream=…`: compacted documents for a new device, instead of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub stream: String,
    /// The log position the snapshot includes everything up to.
    pub seq: u64,
    pub docs: Vec<SnapshotDoc>,
    /// Subjects erased in this stream: a device holding their documents deletes them.
    #[serde(default)]
    pub erased: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotDoc {
    pub doc_id: String,
    pub scope: Scope,
    /// A saved automerge document.
    #[serde(with = "b64")]
    pub bytes: Vec<u8>,
}

/// Why a request failed. The client acts on `code`; `message` is for people, in pt-BR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The client speaks an older protocol: it must be updated.
    UpgradeRequired,
    /// No valid token (signed out, unknown device).
    Unauthorized,
    /// The office revoked this device: it must stop syncing and wipe sensitive data.
    DeviceRevoked,
    WrongPassword,
    /// Too many attempts (wrong passwords for that account, registrations from that network,
    /// erasures by that account in the last hour): wait before trying again (the message says
    /// how long).
    TooManyAttempts,
    /// A team device idle for longer than the server allows: its token is no longer taken;
    /// the app asks its user for the password (a new sign-in), and keeps the store.
    SignInAgain,
    /// The caller may not read or write that scope.
    Forbidden,
    /// A body that is not what the protocol says (bad JSON, bad compression, bad change).
    BadRequest,
    UnknownOffice,
    Internal,
    /// A pushed change depends on changes the server does not hold (it lost them: a restore
    /// from a backup, a document an administrator removed). `doc_id` names the document: the
    /// device sends that document's whole history in the next request.
    MissingDeps,
    /// The device's account was disabled: it may only send what it still holds (`/v1/sync`),
    /// until its grace period ends.
    AccountDisabled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// The document the error is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, office: &str, device: &str) -> Principal {
        Principal {
            device: device.into(),
            role,
            office: office.into(),
        }
    }

    fn catalog(office: &str) -> Scope {
        Scope::Catalog {
            office: office.into(),
        }
    }

    fn citizen(office: &str, device: &str) -> Scope {
        Scope::Citizen {
            office: office.into(),
            device: device.into(),
        }
    }

    fn office(office: &str) -> Scope {
        Scope::Office {
            office: office.into(),
        }
    }

    #[test]
    fn the_scope_table_of_design_md() {
        use Role::*;
        // (who, scope, may read, may write)
        let cases: Vec<(Option<Principal>, Scope, bool, bool)> = vec![
            (None, catalog("es-vitoria"), true, false),
            (None, citizen("es-vitoria", "d1"), false, false),
            (None, office("es-vitoria"), false, false),
            (
                Some(who(Citizen, "es-vitoria", "d1")),
                catalog("es-vitoria"),
                true,
                false,
            ),
            (
                Some(who(Citizen, "es-vitoria", "d1")),
                citizen("es-vitoria", "d1"),
                true,
                true,
            ),
            (
                Some(who(Citizen, "es-vitoria", "d1")),
                citizen("es-vitoria", "d2"),
                false,
                false,
            ),
            (
                Some(who(Citizen, "es-vitoria", "d1")),
                office("es-vitoria"),
                false,
                false,
            ),
            (
                Some(who(FieldWorker, "es-vitoria", "f")),
                catalog("es-vitoria"),
                true,
                false,
            ),
            (
                Some(who(FieldWorker, "es-vitoria", "f")),
                office("es-vitoria"),
                true,
                true,
            ),
            (
                Some(who(FieldWorker, "es-vitoria", "f")),
                citizen("es-vitoria", "d1"),
                false,
                false,
            ),
            (
                Some(who(Staff, "es-vitoria", "s")),
                catalog("es-vitoria"),
                true,
                true,
            ),
            (
                Some(who(Staff, "es-vitoria", "s")),
                catalog("rr-boa-vista"),
                true,
                false,
            ),
            (
                Some(who(Staff, "es-vitoria", "s")),
                catalog(NATIONAL),
                true,
                false,
            ),
            (
                Some(who(Staff, "es-vitoria", "s")),
                citizen("es-vitoria", "d1"),
                true,
                true,
            ),
            (
                Some(who(Staff, "es-vitoria", "s")),
                citizen("rr-boa-vista", "d9"),
                false,
                false,
            ),
            (
                Some(who(Staff, "es-vitoria", "s")),
                office("es-vitoria"),
                true,
                true,
            ),
            (
                Some(who(Staff, "es-vitoria", "s")),
                office("rr-boa-vista"),
                false,
                false,
            ),
            (
                Some(who(Coordinator, "es-vitoria", "c")),
                catalog(NATIONAL),
                true,
                true,
            ),
            (
                Some(who(Coordinator, "rr-boa-vista", "c")),
                office("es-vitoria"),
                false,
                false,
            ),
        ];
        for (i, (p, scope, read, write)) in cases.iter().enumerate() {
            assert_eq!(
                may_read(p.as_ref(), scope),
                *read,
                "case {i}: read {p:?} {scope:?}"
            );
            assert_eq!(
                may_write(p.as_ref(), scope),
                *write,
                "case {i}: write {p:?} {scope:?}"
            );
        }
    }

    #[test]
    fn every_readable_stream_is_one_the_principal_may_read() {
        for role in [
            Role::Citizen,
            Role::FieldWorker,
            Role::Staff,
            Role::Coordinator,
        ] {
            let p = who(role, "es-vitoria", "d1");
            for (stream, device) in readable_streams(Some(&p)) {
                let scope = match stream.split_once(':') {
                    None => catalog("es-vitoria"),
                    Some(("requests", o)) => citizen(o, device.as_deref().unwrap_or("any")),
                    Some((_, o)) => office(o),
                };
                assert!(may_read(Some(&p), &scope), "{role:?} pulls {stream}");
                if role == Role::Citizen && stream.starts_with("requests") {
                    assert_eq!(device.as_deref(), Some("d1"), "a citizen sees only its own");
                }
            }
        }
    }

    #[test]
    fn documents_only_go_to_scopes_of_their_class() {
        let cases = [
            ("office:es-vitoria", catalog("es-vitoria"), true),
            ("office:es-vitoria", catalog("rr-boa-vista"), false),
            (
                "organization:es-vitoria/cras-centro",
                catalog("es-vitoria"),
                true,
            ),
            (
                "organization:rr-boa-vista/cras-centro",
                catalog("es-vitoria"),
                false,
            ),
            ("organization:nacional", catalog(NATIONAL), true),
            ("opportunity:es-vitoria/curso", catalog("es-vitoria"), true),
            ("opportunity:es-vitoria/curso", catalog(NATIONAL), false),
            ("rights-article:cpf", catalog(NATIONAL), true),
            ("rights-article:cpf", catalog("es-vitoria"), false),
            ("request:d1/r1", citizen("es-vitoria", "d1"), true),
            ("request:d2/r1", citizen("es-vitoria", "d1"), false),
            ("request:abc", citizen("es-vitoria", "d1"), false),
            ("request:d1/r1", catalog("es-vitoria"), false),
            ("person:p1", office("es-vitoria"), true),
            ("person:p1", catalog("es-vitoria"), false),
            ("person:p1", citizen("es-vitoria", "d1"), false),
            ("nonsense", office("es-vitoria"), false),
            ("consent:p1/c1", office("es-vitoria"), true),
            ("outreach:o1", office("es-vitoria"), true),
            // About no one: it could never be erased.
            ("consent:c1", office("es-vitoria"), false),
            ("encounter:e1", office("es-vitoria"), false),
        ];
        for (doc, scope, fits) in cases {
            assert_eq!(scope_fits_doc(doc, &scope), fits, "{doc} in {scope:?}");
        }
    }

    #[test]
    fn ids_from_before_owners_were_named_are_legacy_only_in_an_office_catalog() {
        let legacy = ownership("organization:cras-centro", &catalog("es-vitoria"));
        assert_eq!(legacy, Ownership::Legacy);
        assert_eq!(
            ownership("opportunity:curso", &catalog("es-vitoria")),
            Ownership::Legacy
        );
        assert_eq!(
            ownership("organization:cras-centro", &catalog(NATIONAL)),
            Ownership::Wrong,
            "the national catalog has no legacy ids"
        );
        let long = format!("organization:es-vitoria/{}", "x".repeat(MAX_DOC_ID));
        assert_eq!(ownership(&long, &catalog("es-vitoria")), Ownership::Wrong);
        assert_eq!(
            ownership("organization:es-vitoria/a\nb", &catalog("es-vitoria")),
            Ownership::Wrong
        );
    }

    #[test]
    fn bodies_round_trip_through_json_with_bytes_as_base64() {
        let request = SyncRequest {
            push: vec![DocChanges {
                doc_id: "office:es-vitoria".into(),
                scope: catalog("es-vitoria"),
                changes: vec![vec![0, 1, 2, 255], vec![]],
            }],
            cursors: BTreeMap::from([("catalog".to_owned(), 7)]),
            limit: Some(10),
        };
        let json = serde_json::to_string(&request).expect("json");
        assert!(json.contains("\"AAEC/w==\""), "{json}");
        assert_eq!(
            serde_json::from_str::<SyncRequest>(&json).expect("back"),
            request
        );
        assert!(serde_json::from_str::<SyncRequest>(&json.replace("AAEC/w==", "%%%")).is_err());
    }

    #[test]
    fn subjects_come_from_ids_alone() {
        assert_eq!(subject("person:p1"), Some("p1"));
        assert_eq!(subject("encounter:p1/e9"), Some("p1"));
        assert_eq!(subject("referral:p1/r2"), Some("p1"));
        assert_eq!(subject("request:d7/r1"), Some("d7"));
        assert_eq!(subject("request:r1"), None);
        assert_eq!(subject("office:es-vitoria"), None);
        assert_eq!(subject("outreach:o1"), None);
        // A consent document (the office scope takes the kind) is the person's, so it goes
        // with them.
        assert_eq!(subject("consent:p1/c1"), Some("p1"));
        assert_eq!(subject("consent:c1"), None);
        assert_eq!(subject("case-plan:p1/g1"), Some("p1"));
        assert_eq!(subject("person:"), None);
    }

    #[test]
    fn who_may_erase() {
        use Role::*;
        let citizen = Scope::Citizen {
            office: "es-vitoria".into(),
            device: "d1".into(),
        };
        let office = Scope::Office {
            office: "es-vitoria".into(),
        };
        assert!(may_erase(
            Some(&who(Citizen, "es-vitoria", "d1")),
            &citizen,
            "d1"
        ));
        assert!(!may_erase(
            Some(&who(Citizen, "es-vitoria", "d2")),
            &citizen,
            "d1"
        ));
        assert!(!may_erase(
            Some(&who(Citizen, "es-vitoria", "d1")),
            &citizen,
            "d2"
        ));
        assert!(may_erase(
            Some(&who(Staff, "es-vitoria", "s1")),
            &citizen,
            "d1"
        ));
        assert!(may_erase(
            Some(&who(Staff, "es-vitoria", "s1")),
            &office,
            "p1"
        ));
        assert!(may_erase(
            Some(&who(Coordinator, "es-vitoria", "s1")),
            &office,
            "p1"
        ));
        assert!(!may_erase(
            Some(&who(FieldWorker, "es-vitoria", "f1")),
            &office,
            "p1"
        ));
        assert!(!may_erase(
            Some(&who(Staff, "es-manaus", "s2")),
            &office,
            "p1"
        ));
        assert!(!may_erase(None, &office, "p1"));
    }
}

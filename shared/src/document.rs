//! The automerge form of an entity: one document per office, organisation, rights article,
//! opportunity, request, person, outreach, encounter or referral (invariant 3). Native crates
//! only (feature `documents`).
//!
//! A document's root is `{ schema, kind, id, data }`. `data` is the entity's serde form written
//! field by field: maps become automerge maps, scalars become registers, lists become lists —
//! except the keyed collections (`services` by id, schedule `exceptions` by date), which become
//! maps so that two devices editing different items merge without conflict.
//!
//! Writing is a reconcile: only what differs from the document is written, so an edit of one
//! field is a change of one field. Readers ignore fields they don't know and fill missing ones
//! with defaults; old shapes are migrated when read, never by rewriting history.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::domain::{Office, Opportunity, Organization, RightsArticle};
use crate::people::{Encounter, Outreach, Person, Referral};
use crate::release::ExpectedRelease;
use crate::requests::Request;

/// The newest document schema this build reads. Documents are written at their kind's
/// [`schema_of`].
pub const SCHEMA: i64 = 2;

/// The schema a kind's documents are written at: the version that brought the kind (or the
/// last required change to its shape). An older app holds a document of a later schema,
/// untouched, until it is updated (invariant 16), instead of calling it damaged; the kinds it
/// knows stay at the schema it reads.
pub fn schema_of(kind: DocKind) -> i64 {
    match kind {
        // 2: the list of people expected at the gate (issue 17).
        DocKind::ExpectedRelease => 2,
        _ => 1,
    }
}

/// Lists of records stored as maps keyed by one of their fields, wherever they appear, so
/// that two devices adding or editing different items merge without conflict: services by
/// id, schedule exceptions (closures, special days) by date.
/// A request's timeline events and a person's consents are keyed by id for the same reason:
/// the citizen and the office, or two field devices, add to them at the same time; so are
/// the goals of a person's individual plan.
const KEYED: &[(&str, &str)] = &[
    ("services", "id"),
    ("exceptions", "date"),
    ("events", "id"),
    ("consents", "id"),
    ("plan", "id"),
    ("prison_facilities", "id"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    Office,
    Organization,
    RightsArticle,
    Opportunity,
    Request,
    Person,
    Outreach,
    Encounter,
    Referral,
    ExpectedRelease,
}

impl DocKind {
    pub const ALL: [DocKind; 10] = [
        DocKind::Office,
        DocKind::Organization,
        DocKind::RightsArticle,
        DocKind::Opportunity,
        DocKind::Request,
        DocKind::Person,
        DocKind::Outreach,
        DocKind::Encounter,
        DocKind::Referral,
        DocKind::ExpectedRelease,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Office => "office",
            DocKind::Organization => "organization",
            DocKind::RightsArticle => "rights-article",
            DocKind::Opportunity => "opportunity",
            DocKind::Request => "request",
            DocKind::Person => "person",
            DocKind::Outreach => "outreach",
            DocKind::Encounter => "encounter",
            DocKind::Referral => "referral",
            DocKind::ExpectedRelease => "expected-release",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether documents of this kind hold personal data (never in the public catalog).
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            DocKind::Request
                | DocKind::Person
                | DocKind::Outreach
                | DocKind::Encounter
                | DocKind::Referral
                | DocKind::ExpectedRelease
        )
    }
}

/// An entity that lives in its own document. (Offices are bigger than the rest; entities are
/// moved rarely, so boxing would only add noise.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Entity {
    Office(Office),
    Organization(Organization),
    RightsArticle(RightsArticle),
    Opportunity(Opportunity),
    Request(Request),
    Person(Person),
    Outreach(Outreach),
    Encounter(Encounter),
    Referral(Referral),
    ExpectedRelease(ExpectedRelease),
}

impl Entity {
    pub fn kind(&self) -> DocKind {
        match self {
            Entity::Office(_) => DocKind::Office,
            Entity::Organization(_) => DocKind::Organization,
            Entity::RightsArticle(_) => DocKind::RightsArticle,
            Entity::Opportunity(_) => DocKind::Opportunity,
            Entity::Request(_) => DocKind::Request,
            Entity::Person(_) => DocKind::Person,
            Entity::Outreach(_) => DocKind::Outreach,
            Entity::Encounter(_) => DocKind::Encounter,
            Entity::Referral(_) => DocKind::Referral,
            Entity::ExpectedRelease(_) => DocKind::ExpectedRelease,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Entity::Office(e) => &e.id,
            Entity::Organization(e) => &e.id,
            Entity::RightsArticle(e) => &e.id,
            Entity::Opportunity(e) => &e.id,
            Entity::Request(e) => &e.id,
            Entity::Person(e) => &e.id,
            Entity::Outreach(e) => &e.id,
            Entity::Encounter(e) => &e.id,
            Entity::Referral(e) => &e.id,
            Entity::ExpectedRelease(e) => &e.id,
        }
    }

    /// Who may read and write the document (design.md, Documents and scopes).
    pub fn scope(&self) -> crate::sync::Scope {
        use crate::sync::{Scope, NATIONAL};
        let office = match self {
            Entity::Office(e) => e.id.clone(),
            Entity::Organization(e) => e.office_id.clone().unwrap_or_else(|| NATIONAL.to_owned()),
            Entity::RightsArticle(_) => NATIONAL.to_owned(),
            Entity::Opportunity(e) => e.office_id.clone(),
            Entity::Request(e) => {
                return Scope::Citizen {
                    office: e.office_id.clone(),
                    device: e.device.clone(),
                }
            }
            Entity::Person(e) => {
                return Scope::Office {
                    office: e.office_id.clone(),
                }
            }
            Entity::Outreach(e) => {
                return Scope::Office {
                    office: e.office_id.clone(),
                }
            }
            Entity::Encounter(e) => {
                return Scope::Office {
                    office: e.office_id.clone(),
                }
            }
            Entity::Referral(e) => {
                return Scope::Office {
                    office: e.office_id.clone(),
                }
            }
            Entity::ExpectedRelease(e) => {
                return Scope::Office {
                    office: e.office_id.clone(),
                }
            }
        };
        Scope::Catalog { office }
    }

    /// The document's id: `<kind>:<entity id>`, e.g. `office:es-vitoria`.
    pub fn doc_id(&self) -> String {
        doc_id(self.kind(), self.id())
    }

    fn data(&self) -> Result<Json, serde_json::Error> {
        match self {
            Entity::Office(e) => serde_json::to_value(e),
            Entity::Organization(e) => serde_json::to_value(e),
            Entity::RightsArticle(e) => serde_json::to_value(e),
            Entity::Opportunity(e) => serde_json::to_value(e),
            Entity::Request(e) => serde_json::to_value(e),
            Entity::Person(e) => serde_json::to_value(e),
            Entity::Outreach(e) => serde_json::to_value(e),
            Entity::Encounter(e) => serde_json::to_value(e),
            Entity::Referral(e) => serde_json::to_value(e),
            Entity::ExpectedRelease(e) => serde_json::to_value(e),
        }
    }
}

pub fn doc_id(kind: DocKind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the document is not valid automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("the document has no {0} field")]
    Missing(&'static str),
    #[error("the document is of unknown kind {0:?}")]
    UnknownKind(String),
    #[error("the document was written by a newer version (schema {0}); update the app")]
    NewerSchema(i64),
    #[error("the document's data do not fit its kind: {0}")]
    Shape(#[from] serde_json::Error),
}

/// How a change is stamped. Fixed values make the bundled catalog reproducible.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub message: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
}

/// A new document holding `entity`, made of one change by `actor`.
pub fn create(entity: &Entity, actor: ActorId, stamp: &Stamp) -> Result<Automerge, DocumentError> {
    let mut doc = Automerge::new().with_actor(actor);
    write(&mut doc, entity, stamp)?;
    Ok(doc)
}

/// Writes `entity` into `doc` as one change holding only what differs. Returns whether
/// anything changed.
pub fn write(doc: &mut Automerge, entity: &Entity, stamp: &Stamp) -> Result<bool, DocumentError> {
    write_as(doc, entity, stamp, Build::OneByOne)
}

/// [`write`], with every object the change makes (a new document's root, a new service, a
/// replaced list) made in one batch: automerge's batch insertion, many times faster for big
/// documents. The document holds the same values and merges the same way; only the order of
/// the operations in the change differs, so its bytes are not those [`write`] makes (the
/// bundled catalog, which must be reproducible, is written with [`write`]).
pub fn write_batched(
    doc: &mut Automerge,
    entity: &Entity,
    stamp: &Stamp,
) -> Result<bool, DocumentError> {
    write_as(doc, entity, stamp, Build::Batch)
}

/// How a change makes new objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Build {
    /// One operation at a time, in the order of the fields: reproducible bytes.
    OneByOne,
    /// Each new object with everything in it in one batch.
    Batch,
}

fn write_as(
    doc: &mut Automerge,
    entity: &Entity,
    stamp: &Stamp,
    build: Build,
) -> Result<bool, DocumentError> {
    let mut root = Map::new();
    root.insert("schema".into(), Json::from(schema_of(entity.kind())));
    root.insert("kind".into(), Json::from(entity.kind().as_str()));
    root.insert("id".into(), Json::from(entity.id()));
    let fresh = doc.get_heads().is_empty();
    let mut data = keyed(entity.data()?);
    if !fresh {
        data = keeping_unseen(doc, entity.kind(), data);
    }
    root.insert("data".into(), data);
    let mut tx = doc.transaction();
    match (fresh, build) {
        (true, Build::OneByOne) => fill_map(&mut tx, &ROOT, &root)?,
        (true, Build::Batch) => tx.init_root_from_hydrate(&hydrate_map(&root))?,
        (false, build) => reconcile_map(&mut tx, &ROOT, &root, build)?,
    }
    let changed = tx.pending_ops() > 0;
    if changed {
        tx.commit_with(
            CommitOptions::default()
                .with_message(stamp.message.clone())
                .with_time(stamp.time),
        );
    } else {
        tx.rollback();
    }
    Ok(changed)
}

/// Reads the entity a document holds.
pub fn read(doc: &Automerge) -> Result<Entity, DocumentError> {
    read_up_to(doc, SCHEMA)
}

/// [`read`] as a build whose [`SCHEMA`] is `newest` reads: a document of a later schema is
/// [`DocumentError::NewerSchema`]. Only [`read`] is used to show data; this is how a test
/// plays the app after an update (`SCHEMA + 1`) without shipping one.
pub fn read_up_to(doc: &Automerge, newest: i64) -> Result<Entity, DocumentError> {
    // One pass over the document's operations: reading field by field looks each one up.
    let root = match hydrated_json(&doc.hydrate(None)) {
        Json::Object(root) => root,
        _ => Map::new(),
    };
    let schema = root
        .get("schema")
        .and_then(Json::as_i64)
        .ok_or(DocumentError::Missing("schema"))?;
    if schema > newest {
        return Err(DocumentError::NewerSchema(schema));
    }
    let kind = root
        .get("kind")
        .and_then(Json::as_str)
        .ok_or(DocumentError::Missing("kind"))?;
    let kind = DocKind::parse(kind).ok_or_else(|| DocumentError::UnknownKind(kind.to_owned()))?;
    let data = unkeyed(
        root.get("data")
            .cloned()
            .ok_or(DocumentError::Missing("data"))?,
    );
    entity_from(kind, data)
}

/// The entity of `kind` whose serde form (lists unkeyed) is `data`.
fn entity_from(kind: DocKind, data: Json) -> Result<Entity, DocumentError> {
    Ok(match kind {
        DocKind::Office => Entity::Office(serde_json::from_value(data)?),
        DocKind::Organization => Entity::Organization(serde_json::from_value(data)?),
        DocKind::RightsArticle => Entity::RightsArticle(serde_json::from_value(data)?),
        DocKind::Opportunity => Entity::Opportunity(serde_json::from_value(data)?),
        DocKind::Request => Entity::Request(serde_json::from_value(data)?),
        DocKind::Person => Entity::Person(serde_json::from_value(data)?),
        DocKind::Outreach => Entity::Outreach(serde_json::from_value(data)?),
        DocKind::Encounter => Entity::Encounter(serde_json::from_value(data)?),
        DocKind::Referral => Entity::Referral(serde_json::from_value(data)?),
        DocKind::ExpectedRelease => Entity::ExpectedRelease(serde_json::from_value(data)?),
    })
}

/// Fields that two devices set to different values concurrently, as paths under `data`
/// (`schedule.intervals`, `services.cin.phones`). Automerge keeps one of the values for
/// everyone; staff are shown the list so they can check the result.
pub fn conflicts(doc: &Automerge) -> Vec<String> {
    fn walk(doc: &Automerge, obj: &ObjId, kind: ObjType, path: &str, out: &mut Vec<String>) {
        let join = |key: &str| {
            if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            }
        };
        match kind {
            ObjType::Map | ObjType::Table => {
                for key in doc.keys(obj) {
                    let all = doc.get_all(obj, key.as_str()).unwrap_or_default();
                    if all.len() > 1 {
                        out.push(join(&key));
                    }
                    if let Some((Value::Object(kind), id)) = all.into_iter().last() {
                        walk(doc, &id, kind, &join(&key), out);
                    }
                }
            }
            ObjType::List | ObjType::Text => {
                for i in 0..doc.length(obj) {
                    if let Ok(Some((Value::Object(kind), id))) = doc.get(obj, i) {
                        walk(doc, &id, kind, &join(&i.to_string()), out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(Some((Value::Object(kind), data))) = doc.get(&ROOT, "data") {
        walk(doc, &data, kind, "", &mut out);
    }
    out
}

/// `want` (an entity's data, keyed) with what `doc` holds and this version could not see put
/// back: fields a later version added, and enum values it does not know (read as absent, see
/// [`crate::lenient`]). Without this, a device with an older app would delete them whenever it
/// saved the record, and the newer devices would lose them at the next sync.
///
/// What this version sees is the document read and written back (`seen`). Where `want` equals
/// `seen` the person changed nothing, so the document's value stays; a key the document has and
/// `seen` lacks is unseen, so it stays; everything else is `want`. A document this version cannot
/// read at all is written over, as before.
fn keeping_unseen(doc: &Automerge, kind: DocKind, want: Json) -> Json {
    let root = hydrated_json(&doc.hydrate(None));
    let Some(have) = root.get("data") else {
        return want;
    };
    let seen = entity_from(kind, unkeyed(have.clone())).map(|entity| entity.data());
    match seen {
        Ok(Ok(seen)) => merge_unseen(have, &keyed(seen), want),
        _ => want,
    }
}

fn merge_unseen(have: &Json, seen: &Json, want: Json) -> Json {
    match (have, seen, want) {
        (Json::Object(have), Json::Object(seen), Json::Object(want)) => {
            let mut out = Map::new();
            for (key, value) in want {
                let value = match (have.get(&key), seen.get(&key)) {
                    (Some(had), Some(saw)) => merge_unseen(had, saw, value),
                    _ => value,
                };
                out.insert(key, value);
            }
            for (key, had) in have {
                if !out.contains_key(key) && !seen.contains_key(key) {
                    out.insert(key.clone(), had.clone());
                }
            }
            Json::Object(out)
        }
        (have, seen, want) if want == *seen => have.clone(),
        // A list edited here keeps the values this version could not read (a document type
        // it does not know yet): the person could not have meant to remove them.
        (Json::Array(had), Json::Array(saw), Json::Array(mut want)) => {
            for item in had {
                if !item.is_object()
                    && !item.is_array()
                    && !saw.contains(item)
                    && !want.contains(item)
                {
                    want.push(item.clone());
                }
            }
            Json::Array(want)
        }
        (_, _, want) => want,
    }
}

/// Turns the keyed lists of an entity's data, at any depth, into maps by their key.
fn keyed(data: Json) -> Json {
    match data {
        Json::Object(fields) => Json::Object(
            fields
                .into_iter()
                .map(|(name, value)| {
                    let value = keyed(value);
                    let key_field = KEYED.iter().find(|(n, _)| *n == name).map(|(_, k)| *k);
                    match (key_field, value) {
                        (Some(key_field), Json::Array(items)) => {
                            let by_key: Map<String, Json> = items
                                .into_iter()
                                .filter_map(|item| {
                                    let key = item.get(key_field)?.as_str()?.to_owned();
                                    Some((key, item))
                                })
                                .collect();
                            (name, Json::Object(by_key))
                        }
                        (_, value) => (name, value),
                    }
                })
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.into_iter().map(keyed).collect()),
        other => other,
    }
}

/// The inverse of [`keyed`]: maps by key back to lists, ordered by key. (A document written
/// before a collection was keyed still holds a list; it is read as it is.)
fn unkeyed(data: Json) -> Json {
    match data {
        Json::Object(fields) => Json::Object(
            fields
                .into_iter()
                .map(|(name, value)| {
                    let value = unkeyed(value);
                    match value {
                        Json::Object(by_key) if KEYED.iter().any(|(n, _)| *n == name) => (
                            name,
                            Json::Array(by_key.into_iter().map(|(_, v)| v).collect()),
                        ),
                        value => (name, value),
                    }
                })
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.into_iter().map(unkeyed).collect()),
        other => other,
    }
}

/// The entity as a document holding it reads back, without touching automerge: what
/// [`write`] leaves in a document is `keyed(data)` exactly (scalars survive the round trip),
/// so reading it is `unkeyed` of that — keyed collections in key order, items without a key
/// dropped. Saves reading every field of a document just written.
pub fn as_written(entity: &Entity) -> Result<Entity, DocumentError> {
    entity_from(entity.kind(), unkeyed(keyed(entity.data()?)))
}

/// Writes `want` into a map just made (empty): the same operations, in the same order, as
/// [`reconcile_map`] would make there, without looking up what is not there (so the bytes of
/// a document are the same either way).
fn fill_map<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    want: &Map<String, Json>,
) -> Result<(), DocumentError> {
    for (key, value) in want {
        match value {
            Json::Object(fields) => {
                let child = tx.put_object(obj, key.as_str(), ObjType::Map)?;
                fill_map(tx, &child, fields)?;
            }
            Json::Array(items) => {
                let list = tx.put_object(obj, key.as_str(), ObjType::List)?;
                fill_list(tx, &list, items)?;
            }
            scalar => tx.put(obj, key.as_str(), to_scalar(scalar))?,
        }
    }
    Ok(())
}

/// Makes `value` (an object or a list) at `key` of `obj`, in one batch or one by one.
fn put_new<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    key: &str,
    value: &Json,
    build: Build,
) -> Result<(), DocumentError> {
    match (build, value) {
        (Build::OneByOne, Json::Object(fields)) => {
            let child = tx.put_object(obj, key, ObjType::Map)?;
            fill_map(tx, &child, fields)?;
        }
        (Build::OneByOne, Json::Array(items)) => {
            let list = tx.put_object(obj, key, ObjType::List)?;
            fill_list(tx, &list, items)?;
        }
        (Build::Batch, Json::Object(_) | Json::Array(_)) => {
            tx.batch_create_object(obj, key, &hydrate_value(value), false)?;
        }
        (_, scalar) => tx.put(obj, key, to_scalar(scalar))?,
    }
    Ok(())
}

fn reconcile_map<T: Transactable>(
    tx: &mut T,
    obj: &ObjId,
    want: &Map<String, Json>,
    build: Build,
) -> Result<(), DocumentError> {
    let stale: Vec<String> = tx.keys(obj).filter(|k| !want.contains_key(k)).collect();
    for key in stale {
        tx.delete(obj, key.as_str())?;
    }
    for (key, value) in want {
        let existing = tx.get(obj, key.as_str())?;
        match value {
            Json::Object(fields) => match existing {
                Some((Value::Object(ObjType::Map), id)) => reconcile_map(tx, &id, fields, build)?,
                _ => put_new(tx, obj, key, value, build)?,
            },
            Json::Array(items) => {
                let same = match &existing {
                    Some((Value::Object(ObjType::List), id)) => list_equals(tx, id, items),
                    _ => false,
                };
                if !same {
                    put_new(tx, obj, key, value, build)?;
                }
            }
            scalar => {
                let want = to_scalar(scalar);
                let same = matches!(&existing, Some((Value::Scalar(have), _)) if **have == want);
                if !same {
                    tx.put(obj, key.as_str(), want)?;
                }
            }
        }
    }
    Ok(())
}

fn fill_list<T: Transactable>(
    tx: &mut T,
    list: &ObjId,
    items: &[Json],
) -> Result<(), DocumentError> {
    for (index, item) in items.iter().enumerate() {
        match item {
            Json::Object(fields) => {
                let child = tx.insert_object(list, index, ObjType::Map)?;
                fill_map(tx, &child, fields)?;
            }
            Json::Array(inner) => {
                let child = tx.insert_object(list, index, ObjType::List)?;
                fill_list(tx, &child, inner)?;
            }
            scalar => tx.insert(list, index, to_scalar(scalar))?,
        }
    }
    Ok(())
}

fn list_equals<R: ReadDoc>(doc: &R, list: &ObjId, items: &[Json]) -> bool {
    doc.length(list) == items.len()
        && to_json(doc, list, ObjType::List) == Json::Array(items.to_vec())
}

/// The JSON form of an object of the document.
fn to_json<R: ReadDoc>(doc: &R, obj: &ObjId, kind: ObjType) -> Json {
    let value_json = |value: Value<'_>, id: ObjId| match value {
        Value::Object(kind) => to_json(doc, &id, kind),
        Value::Scalar(scalar) => from_scalar(&scalar),
    };
    match kind {
        ObjType::List | ObjType::Text => Json::Array(
            (0..doc.length(obj))
                .filter_map(|i| doc.get(obj, i).ok().flatten())
                .map(|(value, id)| value_json(value, id))
                .collect(),
        ),
        ObjType::Map | ObjType::Table => Json::Object(
            doc.keys(obj)
                .filter_map(|key| {
                    let (value, id) = doc.get(obj, key.as_str()).ok().flatten()?;
                    Some((key, value_json(value, id)))
                })
                .collect(),
        ),
    }
}

/// The hydrated form of a JSON map: what [`fill_map`] writes, for a batch.
fn hydrate_map(fields: &Map<String, Json>) -> automerge::hydrate::Map {
    fields
        .iter()
        .map(|(key, value)| (key.clone(), hydrate_value(value)))
        .collect::<std::collections::HashMap<_, _>>()
        .into()
}

fn hydrate_value(value: &Json) -> automerge::hydrate::Value {
    use automerge::hydrate::Value as H;
    match value {
        Json::Object(fields) => H::Map(hydrate_map(fields)),
        Json::Array(items) => H::from(items.iter().map(hydrate_value).collect::<Vec<_>>()),
        scalar => H::Scalar(to_scalar(scalar)),
    }
}

/// The JSON form of a hydrated document: the same as [`to_json`] gives (text as its
/// characters, one string each, as a list).
fn hydrated_json(value: &automerge::hydrate::Value) -> Json {
    use automerge::hydrate::Value as H;
    match value {
        H::Scalar(scalar) => from_scalar(scalar),
        H::Map(map) => Json::Object(
            map.iter()
                .map(|(key, v)| (key.clone(), hydrated_json(&v.value)))
                .collect(),
        ),
        H::List(list) => Json::Array(list.iter().map(|v| hydrated_json(&v.value)).collect()),
        H::Text(text) => Json::Array(
            text.to_string()
                .chars()
                .map(|c| Json::String(c.to_string()))
                .collect(),
        ),
    }
}

fn from_scalar(scalar: &ScalarValue) -> Json {
    match scalar {
        ScalarValue::Null => Json::Null,
        ScalarValue::Boolean(b) => Json::Bool(*b),
        ScalarValue::Int(i) => Json::from(*i),
        ScalarValue::Uint(u) => Json::from(*u),
        ScalarValue::F64(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        ScalarValue::Str(s) => Json::String(s.to_string()),
        ScalarValue::Counter(c) => Json::from(i64::from(c)),
        ScalarValue::Timestamp(t) => Json::from(*t),
        ScalarValue::Bytes(_) | ScalarValue::Unknown { .. } => Json::Null,
    }
}

fn to_scalar(value: &Json) -> ScalarValue {
    match value {
        Json::Null => ScalarValue::Null,
        Json::Bool(b) => ScalarValue::Boolean(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => ScalarValue::Int(i),
            (None, Some(u), _) => ScalarValue::Uint(u),
            (None, None, Some(f)) => ScalarValue::F64(f),
            _ => ScalarValue::Null,
        },
        Json::String(s) => ScalarValue::Str(s.as_str().into()),
        Json::Array(_) | Json::Object(_) => ScalarValue::Null,
    }
}

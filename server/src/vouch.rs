//! What the server checks in a push before it stores anything, so that no device can stop
//! another's sync: the limits of one push, the bytes of each change (a compressed chunk is
//! inflated under a bound, never by automerge unbounded), whose a document id is, and — with
//! facts read from the log — that every new change's dependencies are held and its actor's
//! sequence unbroken. It never reads a document's content (invariant 9). The limits live
//! here, in one place, and ARCHITECTURE.md lists them.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use automerge::Change;
use esv_shared::sync::{may_write, ownership, DocChanges, Ownership, Principal};

use crate::db::{DocBatch, NewChange};
use crate::error::{Result, ServerError};

/// The largest change, inflated: an HSDS import of thousands of services is one change of a
/// few MiB; nothing a person types comes near.
pub const MAX_CHANGE_BYTES: usize = 8 * 1024 * 1024;
/// The most bytes of changes (inflated) in one push. Devices send 384 KiB per round.
pub const MAX_PUSH_BYTES: usize = 24 * 1024 * 1024;
/// The most changes in one push: a day of field work is a few hundred.
pub const MAX_PUSH_CHANGES: usize = 20_000;
/// The most documents in one push.
pub const MAX_PUSH_DOCS: usize = 5_000;

/// The four bytes every automerge chunk starts with.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_CHANGE: u8 = 1;
const CHUNK_COMPRESSED: u8 = 2;

fn refused(doc_id: &str, message: String) -> ServerError {
    ServerError::RefusedPush {
        doc_id: doc_id.to_owned(),
        message,
    }
}

/// Reads an unsigned LEB128 at the start of `bytes`: the value and how many bytes it took.
fn leb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// Appends `value` as an unsigned LEB128 (how automerge writes a chunk's length).
pub fn write_leb128(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// One change chunk as automerge may parse it without surprises: a plain change chunk, or a
/// compressed one inflated here to at most [`MAX_CHANGE_BYTES`] and rewritten as plain.
/// Documents, bundles and anything else are refused.
pub fn plain_chunk(bytes: Vec<u8>) -> std::result::Result<Vec<u8>, String> {
    if bytes.len() > MAX_CHANGE_BYTES {
        return Err(format!(
            "tem {} bytes, mais que o limite de {} por alteração",
            bytes.len(),
            MAX_CHANGE_BYTES
        ));
    }
    if bytes.len() < 10 || bytes[..4] != MAGIC {
        return Err("não começa com os bytes de uma alteração automerge".into());
    }
    let kind = bytes[8];
    let (len, took) = leb128(&bytes[9..]).ok_or("o tamanho declarado está danificado")?;
    let body = 9 + took;
    if bytes.len() as u64 != body as u64 + len {
        return Err("o tamanho declarado não confere com os bytes enviados".into());
    }
    match kind {
        CHUNK_CHANGE => Ok(bytes),
        CHUNK_COMPRESSED => {
            let mut inflated = Vec::new();
            flate2::read::DeflateDecoder::new(&bytes[body..])
                .take(MAX_CHANGE_BYTES as u64 + 1)
                .read_to_end(&mut inflated)
                .map_err(|_| "a compressão está danificada".to_owned())?;
            if inflated.len() > MAX_CHANGE_BYTES {
                return Err(format!(
                    "descomprimida passa do limite de {MAX_CHANGE_BYTES} bytes por alteração"
                ));
            }
            let mut plain = Vec::with_capacity(inflated.len() + 20);
            plain.extend_from_slice(&bytes[..8]);
            plain.push(CHUNK_CHANGE);
            write_leb128(&mut plain, inflated.len() as u64);
            plain.extend_from_slice(&inflated);
            Ok(plain)
        }
        other => Err(format!(
            "é um bloco automerge do tipo {other}, não uma alteração"
        )),
    }
}

/// Checks a push before anything is stored: its size; every document in a scope its id fits
/// and the caller may write; every change a well-formed automerge change under the limits,
/// in causal order within its document. All or nothing: the error names the document.
pub fn check_push(who: Option<&Principal>, push: Vec<DocChanges>) -> Result<Vec<DocBatch>> {
    if push.len() > MAX_PUSH_DOCS {
        return Err(ServerError::BadRequest(format!(
            "{} documentos num envio; o limite é {MAX_PUSH_DOCS}: envie em partes",
            push.len()
        )));
    }
    let count: usize = push.iter().map(|d| d.changes.len()).sum();
    if count > MAX_PUSH_CHANGES {
        return Err(ServerError::BadRequest(format!(
            "{count} alterações num envio; o limite é {MAX_PUSH_CHANGES}: envie em partes"
        )));
    }
    let mut ids = HashSet::new();
    if let Some(twice) = push.iter().find(|d| !ids.insert(d.doc_id.as_str())) {
        return Err(refused(
            &twice.doc_id,
            format!("{} aparece duas vezes no mesmo envio", twice.doc_id),
        ));
    }
    let mut budget = MAX_PUSH_BYTES;
    push.into_iter()
        .map(|doc| {
            let legacy = match ownership(&doc.doc_id, &doc.scope) {
                Ownership::Fits => false,
                Ownership::Legacy => true,
                Ownership::Wrong => {
                    return Err(ServerError::Forbidden(format!(
                        "guardar {} nesse escopo",
                        doc.doc_id
                    )))
                }
            };
            if !may_write(who, &doc.scope) {
                return Err(ServerError::Forbidden(format!("alterar {}", doc.doc_id)));
            }
            let mut changes = Vec::with_capacity(doc.changes.len());
            for (i, bytes) in doc.changes.into_iter().enumerate() {
                let plain = plain_chunk(bytes).map_err(|why| {
                    refused(
                        &doc.doc_id,
                        format!(
                            "a alteração {i} de {} não é uma alteração automerge válida: {why}",
                            doc.doc_id
                        ),
                    )
                })?;
                budget = budget.checked_sub(plain.len()).ok_or_else(|| {
                    ServerError::BadRequest(format!(
                        "o envio passa de {MAX_PUSH_BYTES} bytes de alterações: envie em partes"
                    ))
                })?;
                let change = Change::from_bytes(plain).map_err(|e| {
                    refused(
                        &doc.doc_id,
                        format!(
                            "a alteração {i} de {} não é uma alteração automerge válida: {e}",
                            doc.doc_id
                        ),
                    )
                })?;
                changes.push(NewChange {
                    hash: change.hash().0,
                    deps: change.deps().iter().map(|h| h.0).collect(),
                    actor: change.actor_id().to_bytes().to_vec(),
                    seq: change.seq(),
                    bytes: change.raw_bytes().to_vec(),
                });
            }
            Ok(DocBatch {
                doc_id: doc.doc_id,
                scope: doc.scope,
                changes: causal_order(changes),
                legacy,
            })
        })
        .collect()
}

/// The changes reordered so that each comes after those of the same push it depends on
/// (stable otherwise; a cycle, which no honest device makes, keeps its order and fails the
/// dependency check).
fn causal_order(changes: Vec<NewChange>) -> Vec<NewChange> {
    let hashes: HashSet<[u8; 32]> = changes.iter().map(|c| c.hash).collect();
    if changes.iter().enumerate().all(|(i, c)| {
        c.deps
            .iter()
            .all(|d| !hashes.contains(d) || changes[..i].iter().any(|p| p.hash == *d))
    }) {
        return changes;
    }
    let mut placed: HashSet<[u8; 32]> = HashSet::new();
    let mut waiting = changes;
    let mut out = Vec::with_capacity(waiting.len());
    loop {
        let before = waiting.len();
        let mut rest = Vec::new();
        for c in waiting {
            if c.deps
                .iter()
                .all(|d| !hashes.contains(d) || placed.contains(d))
            {
                placed.insert(c.hash);
                out.push(c);
            } else {
                rest.push(c);
            }
        }
        if rest.is_empty() || rest.len() == before {
            out.extend(rest);
            return out;
        }
        waiting = rest;
    }
}

/// What the log says about the documents of a push: which of the hashes it names (changes and
/// their dependencies) are held, and each actor's last sequence number per document.
#[derive(Debug, Default)]
pub struct LogFacts {
    pub held: HashSet<(String, [u8; 32])>,
    pub last_seq: HashMap<(String, Vec<u8>), u64>,
}

/// Every `(doc, hash)` a push names, changes and dependencies alike, and every
/// `(doc, actor)`: what a backend must look up to make [`LogFacts`].
/// `(doc, hash)` and `(doc, actor)` pairs to look up in the log.
pub type Lookups = (Vec<(String, [u8; 32])>, Vec<(String, Vec<u8>)>);

pub fn lookups(batches: &[DocBatch]) -> Lookups {
    let mut hashes = HashSet::new();
    let mut actors = HashSet::new();
    for b in batches {
        for c in &b.changes {
            hashes.insert((b.doc_id.clone(), c.hash));
            for d in &c.deps {
                hashes.insert((b.doc_id.clone(), *d));
            }
            actors.insert((b.doc_id.clone(), c.actor.clone()));
        }
    }
    (hashes.into_iter().collect(), actors.into_iter().collect())
}

/// Which changes of `batch` are new, after checking each against the log and the changes of
/// the push before it: every dependency held, and the actor's sequence number the next one.
/// A change already held is a duplicate (any request may be repeated).
pub fn new_changes<'a>(batch: &'a DocBatch, facts: &LogFacts) -> Result<Vec<&'a NewChange>> {
    let doc = &batch.doc_id;
    let mut here: HashSet<[u8; 32]> = HashSet::new();
    let mut last: HashMap<&[u8], u64> = HashMap::new();
    let mut out = Vec::new();
    for (i, c) in batch.changes.iter().enumerate() {
        let held = |h: &[u8; 32]| here.contains(h) || facts.held.contains(&(doc.clone(), *h));
        if held(&c.hash) {
            continue;
        }
        if let Some(missing) = c.deps.iter().find(|d| !held(d)) {
            return Err(ServerError::MissingDeps {
                doc_id: doc.clone(),
                message: format!(
                    "a alteração {i} de {doc} depende de uma alteração que o servidor não tem \
                     ({}…); envie o histórico inteiro do documento",
                    hex(&missing[..4])
                ),
            });
        }
        let previous = *last.entry(&c.actor).or_insert_with(|| {
            facts
                .last_seq
                .get(&(doc.clone(), c.actor.clone()))
                .copied()
                .unwrap_or(0)
        });
        if c.seq != previous + 1 {
            return Err(refused(
                doc,
                format!(
                    "a alteração {i} de {doc} quebra a sequência do seu autor (número {}, \
                     esperado {})",
                    c.seq,
                    previous + 1
                ),
            ));
        }
        last.insert(&c.actor, c.seq);
        here.insert(c.hash);
        out.push(c);
    }
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{ActorId, AutoCommit, ROOT};
    use esv_shared::sync::{Role, Scope};

    fn staff() -> Principal {
        Principal {
            device: "d1".into(),
            role: Role::Staff,
            office: "es-vitoria".into(),
        }
    }

    fn push(doc_id: &str, changes: Vec<Vec<u8>>) -> Vec<DocChanges> {
        vec![DocChanges {
            doc_id: doc_id.into(),
            scope: Scope::Catalog {
                office: "es-vitoria".into(),
            },
            changes,
        }]
    }

    /// Three changes by one actor, each on top of the last.
    fn history() -> Vec<Change> {
        let mut doc = AutoCommit::new().with_actor(ActorId::from(b"ator-1".as_slice()));
        for i in 0..3 {
            doc.put(ROOT, "n", i as i64).expect("put");
            doc.commit();
        }
        doc.get_changes(&[])
    }

    fn message(e: ServerError) -> String {
        e.to_string()
    }

    #[test]
    fn a_compressed_chunk_is_inflated_under_the_bound_and_a_bomb_is_refused() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "texto", "a".repeat(10_000)).expect("put");
        let mut change = doc
            .get_changes(&[])
            .into_iter()
            .next()
            .expect("one")
            .clone();
        let compressed = change.bytes().into_owned();
        assert_eq!(
            compressed[8], CHUNK_COMPRESSED,
            "automerge compresses large changes"
        );
        let plain = plain_chunk(compressed).expect("inflated");
        assert_eq!(plain, change.raw_bytes(), "the same change, uncompressed");

        // 64 MiB of zeros deflate to a few KiB: the bound stops inflating at the limit.
        let mut bomb = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut bomb, &vec![0u8; 64 << 20]).expect("deflate");
        let deflated = bomb.finish().expect("deflate");
        let mut chunk = MAGIC.to_vec();
        chunk.extend([0, 0, 0, 0, CHUNK_COMPRESSED]);
        write_leb128(&mut chunk, deflated.len() as u64);
        chunk.extend(&deflated);
        assert!(chunk.len() < 200_000, "{}", chunk.len());
        let why = plain_chunk(chunk).expect_err("refused");
        assert!(why.contains("limite"), "{why}");
    }

    #[test]
    fn chunks_that_are_not_single_changes_are_refused_in_words() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", 1).expect("put");
        let saved = doc.save();
        assert!(plain_chunk(saved)
            .expect_err("a document")
            .contains("tipo 0"));
        assert!(plain_chunk(vec![1, 2, 3]).is_err());
        let mut cut = history()[0].raw_bytes().to_vec();
        cut.pop();
        assert!(plain_chunk(cut).expect_err("cut").contains("tamanho"));
        let too_big = vec![0u8; MAX_CHANGE_BYTES + 1];
        assert!(plain_chunk(too_big).expect_err("big").contains("limite"));
    }

    #[test]
    fn ids_of_another_owner_are_refused_and_legacy_ones_marked() {
        let bytes = vec![history()[0].raw_bytes().to_vec()];
        let e = check_push(Some(&staff()), push("rights-article:cpf", bytes.clone()))
            .expect_err("national text");
        assert!(matches!(e, ServerError::Forbidden(_)), "{e}");
        let e = check_push(
            Some(&staff()),
            push("organization:rr-boa-vista/cras", bytes.clone()),
        )
        .expect_err("another office");
        assert!(matches!(e, ServerError::Forbidden(_)), "{e}");
        let ok = check_push(
            Some(&staff()),
            push("organization:es-vitoria/cras", bytes.clone()),
        )
        .expect("own");
        assert!(!ok[0].legacy);
        let old =
            check_push(Some(&staff()), push("organization:cras-centro", bytes)).expect("legacy");
        assert!(old[0].legacy);
    }

    #[test]
    fn limits_of_a_push_are_said_plainly() {
        let one = history()[0].raw_bytes().to_vec();
        let many = vec![one; MAX_PUSH_CHANGES + 1];
        let e = check_push(Some(&staff()), push("office:es-vitoria", many)).expect_err("many");
        assert!(message(e).contains("envie em partes"));
    }

    #[test]
    fn dependencies_and_sequences_are_checked_against_the_log_and_the_push() {
        let h = history();
        let bytes = |cs: &[&Change]| cs.iter().map(|c| c.raw_bytes().to_vec()).collect();
        let batch = |cs: &[&Change]| {
            check_push(Some(&staff()), push("office:es-vitoria", bytes(cs)))
                .expect("well formed")
                .remove(0)
        };
        let empty = LogFacts::default();
        // In order, out of order: both fine on an empty log.
        assert_eq!(
            new_changes(&batch(&[&h[0], &h[1], &h[2]]), &empty)
                .expect("ok")
                .len(),
            3
        );
        let shuffled = batch(&[&h[2], &h[0], &h[1]]);
        assert_eq!(new_changes(&shuffled, &empty).expect("reordered").len(), 3);
        // A change whose dependency never came.
        let e = new_changes(&batch(&[&h[1]]), &empty).expect_err("missing dep");
        assert!(
            matches!(e, ServerError::MissingDeps { ref doc_id, .. } if doc_id == "office:es-vitoria"),
            "{e}"
        );
        // Held in the log: duplicates are skipped, the next one checked against the log.
        let mut facts = LogFacts::default();
        facts
            .held
            .insert(("office:es-vitoria".into(), h[0].hash().0));
        facts.last_seq.insert(
            (
                "office:es-vitoria".into(),
                h[0].actor_id().to_bytes().to_vec(),
            ),
            1,
        );
        let two = batch(&[&h[0], &h[1]]);
        let new = new_changes(&two, &facts).expect("ok");
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].hash, h[1].hash().0);
        // A second, different change with a sequence number already used.
        let mut fork = AutoCommit::new().with_actor(ActorId::from(b"ator-1".as_slice()));
        fork.put(ROOT, "outro", 1).expect("put");
        fork.commit();
        let forged = fork
            .get_changes(&[])
            .into_iter()
            .next()
            .expect("one")
            .clone();
        let e = new_changes(&batch(&[&forged]), &facts).expect_err("seq 1 again");
        assert!(message(e).contains("sequência"));
    }
}

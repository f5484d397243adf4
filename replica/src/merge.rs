//! Merging duplicate people: the duplicate points to the person kept (`merged_into`), the kept
//! person gains what only the duplicate knew, and both histories stay — the duplicate's
//! encounters and referrals keep their ids (which start with the duplicate's id, so an
//! erasure of it still names them) and show in the kept person's record.

use chrono::{DateTime, Utc};
use esv_shared::access::Action;
use esv_shared::document::Entity;
use esv_shared::people::Person;

use rusqlite::OptionalExtension;

use crate::error::{ReplicaError, Result};
use crate::store::Store;

/// What a merge wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub kept: Person,
    pub duplicate: Person,
}

/// The kept person with what the duplicate knew and the kept one lacked.
fn fill(mut keep: Person, dup: &Person) -> Person {
    keep.social_name = keep.social_name.or_else(|| dup.social_name.clone());
    keep.civil_name = keep.civil_name.or_else(|| dup.civil_name.clone());
    keep.birth_date = keep.birth_date.or(dup.birth_date);
    keep.mother_name = keep.mother_name.or_else(|| dup.mother_name.clone());
    keep.contact = keep.contact.or_else(|| dup.contact.clone());
    keep.stage = keep.stage.or(dup.stage);
    keep.race = keep.race.or(dup.race);
    keep.origin = keep.origin.or(dup.origin);
    keep.gender_identity = keep.gender_identity.or_else(|| dup.gender_identity.clone());
    if keep.missing_documents.is_empty() {
        keep.missing_documents = dup.missing_documents.clone();
    }
    for goal in &dup.plan {
        if !keep.plan.iter().any(|g| g.id == goal.id) {
            keep.plan.push(goal.clone());
        }
    }
    for consent in &dup.consents {
        if !keep.consents.iter().any(|c| c.id == consent.id) {
            keep.consents.push(consent.clone());
        }
    }
    keep
}

impl Store {
    /// Merges `duplicate_id` into `keep_id`, in one transaction. Only the office's Staff or
    /// Coordinator, signed in on this device, may merge, and only people of their office.
    /// `staff` is who asked (the signed-in account's name when empty); the changes' message
    /// names them.
    pub fn merge_people(
        &mut self,
        keep_id: &str,
        duplicate_id: &str,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Merged> {
        let who = self.recorder()?;
        if !who.role.may(Action::ManagePeople) {
            return Err(ReplicaError::NotAllowed(
                "Só a equipe do escritório (técnico ou coordenação) junta cadastros repetidos."
                    .to_owned(),
            ));
        }
        let staff = Some(staff.trim())
            .filter(|s| !s.is_empty())
            .unwrap_or(&who.staff);
        if keep_id == duplicate_id {
            return Err(ReplicaError::BadInput(
                "Escolha dois cadastros diferentes para juntar.".to_owned(),
            ));
        }
        let keep = self.person(keep_id)?;
        let mut dup = self.person(duplicate_id)?;
        if keep.office_id != who.office || dup.office_id != who.office {
            return Err(ReplicaError::BadInput(
                "Só se juntam cadastros do seu Escritório Social.".to_owned(),
            ));
        }
        if let Some(into) = &keep.merged_into {
            return Err(ReplicaError::BadInput(format!(
                "O cadastro que fica já foi juntado a outro ({into}): junte a esse."
            )));
        }
        if let Some(into) = &dup.merged_into {
            let message = if into == keep_id {
                "Esses cadastros já estão juntos.".to_owned()
            } else {
                format!("Esse cadastro repetido já foi juntado a outro ({into}).")
            };
            return Err(ReplicaError::BadInput(message));
        }
        if self
            .merged_ids(duplicate_id)?
            .iter()
            .any(|id| id == keep_id)
        {
            return Err(ReplicaError::BadInput(
                "O cadastro que fica já foi juntado ao repetido.".to_owned(),
            ));
        }
        let kept = fill(keep, &dup);
        dup.merged_into = Some(kept.id.clone());
        // Noted first (with the kept record's heads before the merge), so the sync never
        // sends the kept record ahead of the duplicate: an erasure of the duplicate that
        // arrives first takes the copy back (`erasure.rs`). A note left by a failed edit
        // below is dropped with it.
        let before = self.heads(&format!("person:{keep_id}"))?;
        {
            let tx = self.conn.transaction()?;
            crate::erasure::note_merge(&tx, keep_id, duplicate_id, &before)?;
            tx.commit()?;
        }
        // Who merged is said in the changes' message (a `Person` has no field for it).
        let written = self.edit_all_as(
            &[Entity::Person(kept.clone()), Entity::Person(dup.clone())],
            now,
            &format!("cadastro {duplicate_id} juntado a {keep_id} por {staff}"),
        );
        if written.is_err() {
            self.conn.execute(
                "DELETE FROM merge_pending WHERE kept = ?1 AND duplicate = ?2",
                [keep_id, duplicate_id],
            )?;
        }
        written?;
        Ok(Merged {
            kept,
            duplicate: dup,
        })
    }

    /// The record `person_id` was merged into at the end of the chain (itself if it was not
    /// merged; a cycle ends the walk).
    pub fn merge_root(&self, person_id: &str) -> Result<String> {
        let mut seen = vec![person_id.to_owned()];
        loop {
            let last = seen.last().cloned().unwrap_or_default();
            let into: Option<String> = self
                .conn
                .query_row(
                    "SELECT merged_into FROM people WHERE id = ?1",
                    [&last],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            match into {
                Some(next) if !seen.contains(&next) => seen.push(next),
                _ => return Ok(last),
            }
        }
    }

    /// `person_id` and every person merged into it, directly or through another merge (a
    /// cycle — two devices merging each into the other offline — ends the walk).
    pub fn merged_ids(&self, person_id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{} SELECT id FROM ids", crate::field::MERGED_IDS))?;
        let ids = stmt
            .query_map([person_id], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(ids)
    }
}

//! Form drafts, saved as the person types: each field is committed the moment it changes, so
//! a crash, a closed app or a dead battery loses nothing already typed. A draft is free JSON
//! (field → value), so a later version of a form reads an older draft's fields by name and a
//! schema change never breaks it. Device-only: drafts never sync.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension};
use serde_json::{Map, Value};

use crate::error::{ReplicaError, Result};
use crate::store::Store;

impl Store {
    /// Sets one field of the draft of `form` (e.g. `encounter:new`), creating the draft.
    pub fn save_draft_field(
        &mut self,
        form: &str,
        field: &str,
        value: Value,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let mut fields = match tx
            .query_row("SELECT data FROM drafts WHERE form = ?1", [form], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
        {
            Some(data) => parse(&data),
            None => Map::new(),
        };
        fields.insert(field.to_owned(), value);
        let data = serde_json::to_string(&fields)
            .map_err(|e| ReplicaError::BadInput(format!("rascunho ilegível: {e}")))?;
        tx.execute(
            "INSERT INTO drafts (form, data, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (form) DO UPDATE SET data = ?2, updated_at = ?3",
            params![form, data, now.to_rfc3339_opts(SecondsFormat::Secs, true)],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The draft of `form`, field by field (empty when there is none). A damaged draft reads
    /// as empty rather than stopping the form from opening.
    pub fn draft(&self, form: &str) -> Result<Map<String, Value>> {
        Ok(self
            .conn
            .query_row("SELECT data FROM drafts WHERE form = ?1", [form], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .map(|d| parse(&d))
            .unwrap_or_default())
    }

    /// The forms with a draft, most recently typed first.
    pub fn drafts(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT form FROM drafts ORDER BY updated_at DESC, form")?;
        let forms = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()?;
        Ok(forms)
    }

    /// Drops a draft (after the form was saved, or when the person discards it).
    pub fn discard_draft(&mut self, form: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM drafts WHERE form = ?1", [form])?;
        Ok(())
    }
}

fn parse(data: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(data) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    }
}

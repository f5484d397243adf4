//! What a person keeps on this device only: favourite services and the ones opened lately.
//! Plain tables, never synced, never sent anywhere; erased with the store.

use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::ipc::{GeoPoint, ServiceCard};
use rusqlite::params;

use crate::error::{ReplicaError, Result};
use crate::index::Provider;
use crate::store::Store;
use crate::views::{self, Ctx};

/// How many recently opened services are kept.
const RECENT_KEEP: u32 = 20;

impl Store {
    /// Marks or unmarks a service (or office) as a favourite. Returns whether it is one now.
    pub fn set_favourite(&mut self, id: &str, on: bool, now: DateTime<Utc>) -> Result<bool> {
        if on {
            self.check_listed(id)?;
            self.conn.execute(
                "INSERT INTO favourites (service_id, added_at) VALUES (?1, ?2)
                 ON CONFLICT (service_id) DO NOTHING",
                params![id, stamp(now)],
            )?;
        } else {
            self.conn
                .execute("DELETE FROM favourites WHERE service_id = ?1", [id])?;
        }
        Ok(on)
    }

    pub fn is_favourite(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM favourites WHERE service_id = ?1",
                [id],
                |_| Ok(()),
            )
            .map(|()| true)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(false),
                e => Err(e),
            })?)
    }

    /// Favourites, newest first. Ones no longer in the catalog are left out (and kept, in case
    /// they come back with the next sync).
    pub fn favourites(
        &mut self,
        near: Option<GeoPoint>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServiceCard>> {
        let ids =
            self.ids("SELECT service_id FROM favourites ORDER BY added_at DESC, service_id")?;
        self.cards(&ids, near, now)
    }

    /// Notes that the person opened a service, for "vistos por último".
    pub fn note_viewed(&mut self, id: &str, now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO recent (service_id, viewed_at) VALUES (?1, ?2)
             ON CONFLICT (service_id) DO UPDATE SET viewed_at = excluded.viewed_at",
            params![id, stamp(now)],
        )?;
        tx.execute(
            "DELETE FROM recent WHERE service_id NOT IN
               (SELECT service_id FROM recent ORDER BY viewed_at DESC LIMIT ?1)",
            [RECENT_KEEP],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Services opened lately, the last one first.
    pub fn recent(
        &mut self,
        near: Option<GeoPoint>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServiceCard>> {
        let ids = self.ids("SELECT service_id FROM recent ORDER BY viewed_at DESC, service_id")?;
        self.cards(&ids, near, now)
    }

    fn ids(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    fn check_listed(&mut self, id: &str) -> Result<()> {
        let index = self.index()?;
        if index.get(id).is_some() || index.providers.contains_key(id) {
            Ok(())
        } else {
            Err(ReplicaError::NotFound(format!(
                "nenhum serviço com o código {id:?}"
            )))
        }
    }

    fn cards(
        &mut self,
        ids: &[String],
        near: Option<GeoPoint>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServiceCard>> {
        let locale = self.locale;
        let index = self.index()?;
        let ctx = Ctx {
            index,
            locale,
            now,
            near,
        };
        Ok(ids
            .iter()
            .filter_map(|id| match (index.get(id), index.providers.get(id)) {
                (Some(entry), _) => Some(views::card(&ctx, entry)),
                (None, Some(Provider::Office(office))) => Some(views::office_card(&ctx, office)),
                _ => None,
            })
            .collect())
    }
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

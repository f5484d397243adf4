//! The front door against guessing and flooding: how many wrong passwords and anonymous
//! registrations the server takes, counted in the database so every instance over one
//! PostgreSQL shares the counts and a restart resets nothing.
//!
//! A sign-in **reserves** its attempt before the password is verified: one transaction takes
//! one attempt from each of three counters, or none if any is full ([`Db::reserve_attempts`]).
//! So twenty guesses sent at once take twenty attempts, and at most [`AT_SOURCE`]`.attempts`
//! of them reach Argon2. A right password gives its attempt back (it was no guess) and clears
//! its username at that source; a wrong one, or anything that fails on the way, keeps it.
//!
//! The three counters, and why:
//! - **a username at one source** ([`AT_SOURCE`], 5 per 15 minutes): the lock a guesser meets
//!   first. It closes that username to that source only, so someone who knows a colleague's
//!   username can't lock them out of their own phone by typing wrong passwords elsewhere.
//! - **a username from every source** ([`USERNAME`], 20 per hour): the ceiling for a guesser
//!   who moves between addresses — at most 480 guesses a day at one account, however many
//!   addresses. Reaching it closes new sign-ins of that username everywhere for the rest of
//!   the hour: a trade of availability for the confidentiality of the people in the store,
//!   and a small one, since devices already signed in keep syncing (a sign-in is needed only
//!   for a new or idle device), and it takes four addresses an hour to keep it closed.
//! - **one source, any username** ([`SOURCE`], 60 per hour): one address trying a common
//!   password on many accounts. An office's whole team behind one address never types 60
//!   wrong passwords in an hour.
//!
//! A source is the connection's address — IPv6 grouped by /64, since one home or phone gets a
//! whole /64 — or, only when the `--trust-forwarded` setting says a proxy sets it, the last
//! address of `X-Forwarded-For` (`crate::source`). Registrations (citizen devices) are
//! counted per source too ([`Settings::registrations_per_hour`], 60 by default: an office helping
//! a room of people install the app stays under it, a script filling the table does not).
//!
//! Keys are SHA-256 of what they count (kind, folded username, source), never the text
//! itself: nothing an attacker types is kept, a password typed into the username field by
//! mistake included, and addresses are not kept in the clear. Rows live until their window
//! ends; at most once a minute (by the injected clock) the ended ones are deleted, and past
//! [`MAX_ROWS`] those nearest their end go first, so the table is bounded by what a minute of
//! Argon2 verifications can add.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::db::{Attempt, Db};
use crate::error::{Result, ServerError};
use crate::source::Source;
use crate::state::Settings;

/// At most `attempts` within `window` seconds of the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub attempts: u32,
    pub window: i64,
}

/// Wrong passwords for one username from one source.
pub const AT_SOURCE: Limit = Limit {
    attempts: 5,
    window: 15 * 60,
};
/// Wrong passwords for one username from every source together.
pub const USERNAME: Limit = Limit {
    attempts: 20,
    window: 60 * 60,
};
/// Wrong passwords from one source, whatever the username.
pub const SOURCE: Limit = Limit {
    attempts: 60,
    window: 60 * 60,
};
/// The window of the registrations' count.
pub const REGISTRATION_WINDOW: i64 = 60 * 60;
/// The most counters kept; past it, those nearest their end are forgotten first.
pub const MAX_ROWS: u64 = 200_000;
/// Seconds between two clean-ups of ended counters.
const PRUNE_EVERY: i64 = 60;
/// The characters of a username that count: longer ones are no account (64 at most), and this
/// bounds the work of folding whatever arrives.
const USERNAME_CHARS: usize = 100;

/// The keys a sign-in reserved: dropped after a wrong password, its attempts stay counted.
#[derive(Debug)]
#[must_use = "a right password gives its attempt back with `Ticket::right_password`"]
pub struct Ticket {
    at_source: String,
    username: String,
    source: String,
}

impl Ticket {
    /// The password was right: its attempt was no guess.
    pub async fn right_password(self, db: &Db) -> Result<()> {
        db.return_attempts(vec![self.username, self.source], vec![self.at_source])
            .await
    }
}

/// The front door's counters, as the handlers share them.
#[derive(Debug, Default)]
pub struct Throttle {
    /// When ended counters were last deleted (Unix seconds, by the injected clock).
    last_prune: AtomicI64,
}

impl Throttle {
    /// Reserves one sign-in attempt for `username` from `source`, or says how long to wait —
    /// the same for accounts that exist and those that don't.
    pub async fn sign_in(
        &self,
        db: &Db,
        username: &str,
        source: &Source,
        now: DateTime<Utc>,
    ) -> Result<Ticket> {
        let name = fold(username);
        let ticket = Ticket {
            at_source: key("at-source", &[&name, &source.key()]),
            username: key("username", &[&name]),
            source: key("source", &[&source.key()]),
        };
        let attempts = vec![
            attempt(&ticket.at_source, AT_SOURCE),
            attempt(&ticket.username, USERNAME),
            attempt(&ticket.source, SOURCE),
        ];
        self.reserve(db, attempts, now)
            .await?
            .map_err(ServerError::TooManyAttempts)?;
        Ok(ticket)
    }

    /// Counts one anonymous registration from `source`, or says how long to wait.
    pub async fn register(
        &self,
        db: &Db,
        source: &Source,
        settings: &Settings,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let limit = Limit {
            attempts: settings.registrations_per_hour,
            window: REGISTRATION_WINDOW,
        };
        let attempts = vec![attempt(&key("register", &[&source.key()]), limit)];
        self.reserve(db, attempts, now)
            .await?
            .map_err(ServerError::TooManyRegistrations)
    }

    /// `Err(minutes)` to wait when a counter is full.
    async fn reserve(
        &self,
        db: &Db,
        attempts: Vec<Attempt>,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<(), u64>> {
        let now = now.timestamp();
        self.prune_now_and_then(db, now).await;
        Ok(match db.reserve_attempts(attempts, now).await? {
            None => Ok(()),
            Some(until) => Err(minutes_left(now, until)),
        })
    }

    /// Deletes ended counters at most once a minute; a failure only waits for the next time.
    async fn prune_now_and_then(&self, db: &Db, now: i64) {
        let last = self.last_prune.load(Ordering::Relaxed);
        if now - last < PRUNE_EVERY && now >= last {
            return;
        }
        // One request of those arriving together does it.
        if self
            .last_prune
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        if let Err(e) = db.prune_attempts(now, MAX_ROWS).await {
            tracing::warn!(error = %e, "limpeza das tentativas de entrada falhou");
        }
    }
}

/// Whole minutes until `until`, at least one.
fn minutes_left(now: i64, until: i64) -> u64 {
    (until - now).max(1).unsigned_abs().div_ceil(60)
}

/// The username as the counters know it: trimmed, lower case, bounded.
fn fold(username: &str) -> String {
    username
        .trim()
        .chars()
        .take(USERNAME_CHARS)
        .collect::<String>()
        .to_lowercase()
}

fn attempt(key: &str, limit: Limit) -> Attempt {
    Attempt {
        key: key.to_owned(),
        limit: limit.attempts,
        window: limit.window,
    }
}

/// `kind:` and the SHA-256 of the kind and parts, each part closed by a NUL (which neither a
/// folded username from JSON nor an address can hold unnoticed), so no two keys collide.
fn key(kind: &str, parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(kind.as_bytes());
    for part in parts {
        hash.update([0]);
        hash.update(part.as_bytes());
    }
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    async fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("t.db").display().to_string())
            .await
            .expect("db");
        (dir, db)
    }

    fn source(ip: &str) -> Source {
        Source::of(ip.parse().expect("ip"))
    }

    fn minutes(result: Result<Ticket>) -> u64 {
        match result {
            Err(ServerError::TooManyAttempts(m)) => m,
            other => panic!("expected a wait, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn five_wrong_passwords_close_a_username_at_that_source_only_then_it_opens() {
        let (_dir, db) = db().await;
        let t = Throttle::default();
        let start = at("2026-12-01T13:00:00Z");
        let (here, there) = (source("203.0.113.7"), source("198.51.100.1"));
        for _ in 0..AT_SOURCE.attempts {
            drop(t.sign_in(&db, "Ana ", &here, start).await.expect("room"));
        }
        let later = start + Duration::seconds(60);
        assert_eq!(minutes(t.sign_in(&db, "ana", &here, later).await), 14);
        // Refused attempts take nothing: the username is still open elsewhere.
        for _ in 0..10 {
            let _ = t.sign_in(&db, "ana", &here, later).await;
        }
        let elsewhere = t.sign_in(&db, "ana", &there, later).await.expect("open");
        elsewhere.right_password(&db).await.expect("given back");
        assert!(
            t.sign_in(&db, "bia", &here, later).await.is_ok(),
            "other names"
        );
        let window = start + Duration::seconds(AT_SOURCE.window);
        assert!(t.sign_in(&db, "ana", &here, window).await.is_ok(), "ended");
    }

    #[tokio::test]
    async fn a_username_from_many_sources_meets_its_hourly_ceiling() {
        let (_dir, db) = db().await;
        let t = Throttle::default();
        let start = at("2026-12-01T13:00:00Z");
        for i in 0..USERNAME.attempts {
            let from = source(&format!("203.0.113.{i}"));
            drop(t.sign_in(&db, "ana", &from, start).await.expect("room"));
        }
        let fresh = source("192.0.2.200");
        assert_eq!(minutes(t.sign_in(&db, "ana", &fresh, start).await), 60);
        let hour = start + Duration::seconds(USERNAME.window);
        assert!(t.sign_in(&db, "ana", &fresh, hour).await.is_ok());
    }

    #[tokio::test]
    async fn one_source_trying_many_usernames_is_stopped() {
        let (_dir, db) = db().await;
        let t = Throttle::default();
        let now = at("2026-12-01T13:00:00Z");
        let here = source("2001:db8:1:2:aaaa::1");
        for i in 0..SOURCE.attempts {
            drop(
                t.sign_in(&db, &format!("u{i}"), &here, now)
                    .await
                    .expect("room"),
            );
        }
        // The same /64 is the same source.
        let neighbour = source("2001:db8:1:2:bbbb::9");
        assert!(t.sign_in(&db, "nova", &neighbour, now).await.is_err());
        assert!(t
            .sign_in(&db, "nova", &source("2001:db8:1:3::1"), now)
            .await
            .is_ok());
    }

    #[tokio::test]
    async fn a_right_password_gives_its_attempt_back() {
        let (_dir, db) = db().await;
        let t = Throttle::default();
        let now = at("2026-12-01T13:00:00Z");
        let here = source("203.0.113.7");
        for _ in 0..3 * AT_SOURCE.attempts {
            let ticket = t.sign_in(&db, "ana", &here, now).await.expect("room");
            ticket.right_password(&db).await.expect("given back");
        }
    }

    #[tokio::test]
    async fn ended_counters_are_deleted_and_the_table_is_bounded() {
        let (_dir, db) = db().await;
        let now = at("2026-12-01T13:00:00Z").timestamp();
        for i in 0..50 {
            let a = Attempt {
                key: format!("k{i}"),
                limit: 5,
                window: 60 + i,
            };
            assert_eq!(db.reserve_attempts(vec![a], now).await.expect("ok"), None);
        }
        // Eleven have ended at now + 70; of the 39 left, the 19 nearest their end go.
        assert_eq!(db.prune_attempts(now + 70, 20).await.expect("prune"), 20);
        assert_eq!(db.prune_attempts(now + 200, 20).await.expect("prune"), 0);
    }

    #[test]
    fn keys_never_hold_what_was_typed_and_differ_by_kind() {
        let k = key("at-source", &["ana", "203.0.113.7"]);
        assert!(!k.contains("ana") && !k.contains("203"), "{k}");
        assert_eq!(k.len(), "at-source:".len() + 64);
        assert_ne!(key("username", &["ana"]), key("source", &["ana"]));
        assert_ne!(key("x", &["a", "bc"]), key("x", &["ab", "c"]));
        assert_eq!(fold(&"Á".repeat(10_000)).chars().count(), USERNAME_CHARS);
    }
}

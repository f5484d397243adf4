//! Slows down password guessing: after [`MAX_FAILURES`] wrong passwords for one username
//! within [`WINDOW`], that username is refused until the window has passed — the same for
//! accounts that exist and those that don't, so the refusal says nothing about either. Kept
//! in memory per server instance.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Result, ServerError};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// Refuses `key` while it has too many recent failures.
    pub fn check(&self, key: &str, now: Instant) -> Result<()> {
        let Ok(map) = self.failures.lock() else {
            return Ok(());
        };
        match map.get(key) {
            Some((count, since))
                if *count >= MAX_FAILURES && now.duration_since(*since) < WINDOW =>
            {
                let left = WINDOW.saturating_sub(now.duration_since(*since));
                Err(ServerError::TooManyAttempts(
                    left.as_secs().div_ceil(60).max(1),
                ))
            }
            _ => Ok(()),
        }
    }

    pub fn fail(&self, key: &str, now: Instant) {
        if let Ok(mut map) = self.failures.lock() {
            // Forget old entries now and then, so the map can't grow without bound.
            if map.len() > 100_000 {
                map.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
            }
            let entry = map.entry(key.to_owned()).or_insert((0, now));
            if now.duration_since(entry.1) >= WINDOW {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    pub fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_name_for_the_window_then_it_opens_again() {
        let t = Throttle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert!(t.check("ana", start).is_ok());
            t.fail("ana", start);
        }
        let refused = t
            .check("ana", start + Duration::from_secs(60))
            .expect_err("locked");
        assert!(refused.to_string().contains("14 minutos"), "{refused}");
        assert!(
            t.check("bia", start).is_ok(),
            "other names are not affected"
        );
        assert!(t.check("ana", start + WINDOW).is_ok(), "the window passed");
        t.clear("ana");
        assert!(
            t.check("ana", start + Duration::from_secs(1)).is_ok(),
            "a success clears it"
        );
    }
}

//! The one source of "now" for the server, the replica and the app: a [`Clock`] handed down
//! from each binary's entry point (the wall clock there, a fixed or manual one in tests), so no
//! test depends on today's date. This module reads no clock itself (invariant 1): the wall
//! clock is a function the binaries pass in.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// Where the current instant comes from. Cheap to clone; every clone reads the same source.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now().to_rfc3339())
    }
}

impl Clock {
    /// A clock reading `source`: the binaries pass `chrono::Utc::now`.
    pub fn from_fn(source: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(source))
    }

    /// A clock that always reads `at`.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock::from_fn(move || at)
    }

    /// `source` moved by `offset` (what `ESV_NOW` does to a running process: the clock
    /// starts at the given instant and then runs).
    pub fn shifted(source: Clock, offset: Duration) -> Clock {
        Clock::from_fn(move || source.now() + offset)
    }

    /// The clock a binary runs on: `setting` (the `ESV_NOW` variable, RFC 3339) fixes it, for
    /// demonstrations and tests; without it, `wall` (the binary passes `chrono::Utc::now`).
    pub fn from_setting(
        wall: impl Fn() -> DateTime<Utc> + Send + Sync + 'static,
        setting: Option<&str>,
    ) -> Result<Clock, String> {
        match setting.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Clock::from_fn(wall)),
            Some(text) => DateTime::parse_from_rfc3339(text)
                .map(|t| Clock::fixed(t.with_timezone(&Utc)))
                .map_err(|_| {
                    format!(
                        "ESV_NOW={text:?} não é uma data e hora RFC 3339 \
                         (por exemplo 2026-11-24T10:00:00-03:00)"
                    )
                }),
        }
    }

    /// A clock a test moves by hand, and the handle that moves it.
    pub fn manual(at: DateTime<Utc>) -> (Clock, ManualClock) {
        let cell = Arc::new(Mutex::new(at));
        let read = Arc::clone(&cell);
        let clock = Clock::from_fn(move || *read.lock().unwrap_or_else(|e| e.into_inner()));
        (clock, ManualClock(cell))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    /// The current instant as the server stores it: RFC 3339 in UTC, to the second.
    pub fn stamp(&self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

/// The hand on a [`Clock::manual`].
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    pub fn advance(&self, by: Duration) {
        let mut at = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *at += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    #[test]
    fn fixed_manual_and_shifted_clocks_read_what_they_are_told() {
        let fixed = Clock::fixed(at("2026-12-01T13:00:00Z"));
        assert_eq!(fixed.stamp(), "2026-12-01T13:00:00Z");
        let (clock, hand) = Clock::manual(at("2026-12-01T13:00:00Z"));
        let copy = clock.clone();
        hand.advance(Duration::days(366));
        assert_eq!(
            copy.stamp(),
            "2027-12-02T13:00:00Z",
            "clones share the source"
        );
        hand.set(at("2030-01-01T00:00:00Z"));
        assert_eq!(clock.now(), at("2030-01-01T00:00:00Z"));
        let shifted = Clock::shifted(fixed, Duration::hours(-3));
        assert_eq!(shifted.stamp(), "2026-12-01T10:00:00Z");
        let wall = || at("2026-01-01T00:00:00Z");
        let set = Clock::from_setting(wall, Some("2026-11-24T10:00:00-03:00")).expect("set");
        assert_eq!(set.stamp(), "2026-11-24T13:00:00Z");
        assert_eq!(
            Clock::from_setting(wall, None).expect("wall").stamp(),
            "2026-01-01T00:00:00Z"
        );
        let bad = Clock::from_setting(wall, Some("amanhã")).expect_err("refused");
        assert!(bad.contains("RFC 3339"), "{bad}");
    }
}

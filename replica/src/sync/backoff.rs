//! When to try again after a failed sync: exponential backoff with full jitter, so a thousand
//! phones that regain signal together don't knock on the server at the same instant.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    attempt: u32,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff::new(Duration::from_secs(2), Duration::from_secs(15 * 60))
    }
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Backoff {
        Backoff {
            base,
            cap,
            attempt: 0,
        }
    }

    /// The delay before the next attempt: uniform in `[0, min(cap, base · 2^attempt)]`.
    /// `unit` is a random number in `[0, 1)`.
    pub fn next_delay(&mut self, unit: f64) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32.checked_shl(self.attempt.min(20)).unwrap_or(u32::MAX))
            .min(self.cap);
        self.attempt = self.attempt.saturating_add(1);
        ceiling.mul_f64(unit.clamp(0.0, 1.0))
    }

    /// After a success, start again from the shortest delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// A random number in `[0, 1)` for [`Backoff::next_delay`].
    pub fn jitter() -> f64 {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            return 0.5;
        }
        (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_jitter_scales_them() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(10));
        let full: Vec<u64> = (0..6).map(|_| b.next_delay(1.0).as_secs()).collect();
        assert_eq!(full, [1, 2, 4, 8, 10, 10]);
        assert_eq!(b.next_delay(0.5), Duration::from_secs(5));
        assert_eq!(b.next_delay(0.0), Duration::ZERO);
        b.reset();
        assert_eq!(b.next_delay(1.0), Duration::from_secs(1));
        for _ in 0..100 {
            let j = Backoff::jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }
}

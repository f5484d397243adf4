//! Replica.

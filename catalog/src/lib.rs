//! Catalog compiler.

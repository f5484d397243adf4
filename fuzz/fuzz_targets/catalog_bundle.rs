//! Fuzz target: `esv_tests::decoders::catalog_bundle` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| esv_tests::decoders::catalog_bundle(data));

//! Fuzz target: `esv_tests::decoders::replica_sync_response` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| esv_tests::decoders::replica_sync_response(data));

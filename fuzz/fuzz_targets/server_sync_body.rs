//! Fuzz target: `esv_tests::decoders::server_sync_body` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| esv_tests::decoders::server_sync_body(data));

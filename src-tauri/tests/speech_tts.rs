//! "Ouvir" through the `tts` crate, the engine the phones use, here on Linux against a private
//! speech-dispatcher with espeak-ng (see `common`): a voice chosen by language from the list the
//! platform gives, sound made, and the plain error when there is no voice.
//!
//! Slower than the desktop engine: speech-dispatcher sends espeak-ng's 13,000 voices and
//! variants, once to choose and again each time `tts` sets one.

mod common;

use std::time::Instant;

use common::{assert_no_voice, wait_for_module_log, Setup, Synth};
use esv_app::speech::{Backend, Speech};
use esv_shared::ipc::Locale;

#[test]
fn the_tts_engine_chooses_a_voice_by_language_and_speaks() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(tmp.path());
    let speech = Speech::with_backend(Backend::Tts);

    assert_no_voice(speech.say("Olá.", Locale::PtBr), "no daemon");
    {
        let _dummy = setup.start(Synth::DummyOnly, 1);
        assert_no_voice(
            speech.say("Hola.", Locale::Es),
            "only the placeholder voice",
        );
    }

    let daemon = setup.start(Synth::EspeakNg, 2);
    // The daemon answers its socket before espeak-ng has sent it its 13,000 voices; on a busy
    // machine the first connection can give up before then. The engine is made again at the
    // next call (as at a person's next tap), so the first call is retried for a while: a bound
    // for a stuck daemon, not a speed the test expects.
    let started_daemon = Instant::now();
    let spoken = loop {
        match speech.say("Aberto agora, fecha às 17 horas.", Locale::PtBr) {
            Ok(spoken) => break spoken,
            Err(e) if started_daemon.elapsed() < std::time::Duration::from_secs(90) => {
                eprintln!("not ready yet ({e:?}); trying again");
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
            Err(e) => panic!("speak pt-BR: {e:?}"),
        }
    };
    assert_eq!(spoken.voice.as_deref(), Some("Portuguese (Brazil)"));
    wait_for_module_log(&daemon, "set synthesis voice to Portuguese (Brazil)");
    let after_pt = daemon.wait_for_audio(0, "pt-BR");
    let spoken = speech
        .say("Abierto ahora, cierra a las 17 horas.", Locale::Es)
        .expect("speak es");
    assert_eq!(spoken.voice.as_deref(), Some("Spanish (Latin America)"));
    wait_for_module_log(&daemon, "set synthesis voice to Spanish (Latin America)");
    daemon.wait_for_audio(after_pt, "es");
    assert!(speech.stop().is_ok());

    eprintln!("tts speech test: {:.1} s", started.elapsed().as_secs_f64());
}

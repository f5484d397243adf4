//! "Ouvir" for real, with the engine the desktop app uses: `Speech` against a private
//! speech-dispatcher with espeak-ng. Sound goes to a file (see `common`), so the test checks that
//! audio was made and which espeak-ng voice said it. Also: the plain error when there is no speech
//! service or no synthesizer, and speech coming back after the service restarts.
//!
//! One test function, as the engine finds its daemon through the process environment.

mod common;

use std::time::Instant;

use common::{assert_no_voice, wait_for_module_log, Setup, Synth};
use esv_app::speech::{self, Speech, SpeechError, MAX_SPEECH_UNITS};
use esv_shared::ipc::{IpcErrorKind, Locale};

#[test]
fn reads_aloud_in_portuguese_and_spanish_through_speech_dispatcher() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(tmp.path());
    let speech = Speech::new();

    // No speech service at all: a plain sentence, no panic; stopping is harmless.
    assert_no_voice(speech.say("Olá.", Locale::PtBr), "no daemon");
    assert!(speech.stop().is_ok());

    // A service with no synthesizer installed: the same sentence.
    {
        let _dummy = setup.start(Synth::DummyOnly, 1);
        assert_no_voice(speech.say("Olá.", Locale::PtBr), "dummy only");
        assert_no_voice(speech.say("Hola.", Locale::Es), "dummy only, es");
    }

    // espeak-ng: each language in its own voice, and sound comes out.
    let daemon = setup.start(Synth::EspeakNg, 2);
    let spoken = speech
        .say(
            "Escritório Social de Vitória. Aberto agora, fecha às 17 horas. \
             Leve o seu documento de identidade.",
            Locale::PtBr,
        )
        .expect("speak pt-BR");
    assert_eq!(spoken.language, Some("pt-BR"));
    assert!(!spoken.truncated);
    wait_for_module_log(&daemon, "set voice to \"pt-br\"");
    let after_pt = daemon.wait_for_audio(0, "pt-BR");

    let spoken = speech
        .say(
            "Oficina Social de Boa Vista. Abierto ahora, cierra a las 17 horas.",
            Locale::Es,
        )
        .expect("speak es");
    assert_eq!(spoken.language, Some("es-419"));
    wait_for_module_log(&daemon, "set voice to \"es-419\"");
    daemon.wait_for_audio(after_pt, "es");

    // A long article is cut where Android would refuse it; a NUL in it does not panic.
    let long = "Você tem direito a tirar seus documentos de graça.\0 ".repeat(200);
    assert!(long.encode_utf16().count() > MAX_SPEECH_UNITS);
    let spoken = speech.say(&long, Locale::PtBr).expect("speak a long text");
    assert!(spoken.truncated);
    // Stopping cuts it short (espeak-ng would take seconds to say it all).
    assert!(speech.stop().is_ok());

    // Nothing to read is a plain BadInput, not a call to the engine.
    match speech.say(" \n ", Locale::Es) {
        Err(e) => assert_eq!(speech::to_ipc(e).kind, IpcErrorKind::BadInput),
        Ok(s) => panic!("empty text was spoken: {s:?}"),
    }

    // The service goes away: a plain sentence, never a panic or a hang…
    drop(daemon);
    match speech.say("Olá de novo.", Locale::PtBr) {
        Err(e @ (SpeechError::Unavailable { .. } | SpeechError::Failed(_))) => {
            let ipc = speech::to_ipc(e);
            assert!(ipc.message.contains("texto na tela"), "{}", ipc.message);
        }
        other => panic!("expected a plain error with the service gone, got {other:?}"),
    }
    assert!(speech.stop().is_ok());

    // …and when it is back, the next tap speaks again.
    let daemon = setup.start(Synth::EspeakNg, 3);
    let spoken = speech
        .say("Centro de Referência de Assistência Social.", Locale::PtBr)
        .expect("speak after the service restarted");
    assert_eq!(spoken.language, Some("pt-BR"));
    wait_for_module_log(&daemon, "set voice to \"pt-br\"");
    let sound = daemon.wait_for_audio(0, "pt-BR after the restart");
    assert!(speech.stop().is_ok());

    eprintln!(
        "speech test: {} KiB of sound after the restart, {:.1} s in all",
        sound / 1024,
        started.elapsed().as_secs_f64()
    );
}

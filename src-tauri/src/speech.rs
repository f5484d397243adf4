//! "Ouvir": reads a service card or a rights article aloud with the system's own speech synthesis,
//! offline, in the person's language — speech-dispatcher on Linux, TextToSpeech on Android,
//! AVSpeechSynthesizer on iOS.
//!
//! The engine lives on one thread of its own, started on the first `speak`: the app starts even
//! where no speech service exists, the platform objects are only ever touched from the thread that
//! made them (Android's JNI wants that), and the commands wait for it off the main thread. When
//! the engine cannot be made, or has no voice for the language, the person reads a plain sentence
//! saying so, and the next tap tries again.
//!
//! Two engines: [`Backend::Tts`] (the `tts` crate, for the phones and everything else) and, on
//! Linux, [`Backend::SpeechDispatcher`], which sets the language by its tag. Through `tts` a voice
//! can only be picked from the full list, which speech-dispatcher with espeak-ng sends as 13,000
//! voices and variants, seconds to read on Debian 12 — and again for every change of language.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use esv_shared::ipc::{IpcError, IpcErrorKind, Locale};

/// At most this many UTF-16 units are read in one go: Android's TextToSpeech refuses longer
/// input (`getMaxSpeechInputLength()` is 4,000), and a rights article fits well inside it.
pub const MAX_SPEECH_UNITS: usize = 4_000;

/// How long a command waits for the speech thread (making the engine may start a daemon).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// Said when there is no speech engine, or none with a voice for the language.
pub const NO_VOICE_MESSAGE: &str =
    "O aparelho não tem voz instalada para ler em voz alta. Você pode ler o texto na tela.";
/// Said when the engine is there but failed this time.
pub const SPEAK_FAILED_MESSAGE: &str =
    "Não foi possível ler em voz alta agora. Tente de novo ou leia o texto na tela.";
/// Said when there is nothing to read.
pub const NOTHING_TO_READ_MESSAGE: &str = "Não há texto para ler em voz alta.";

/// What went wrong with speech; becomes an [`IpcError`] in [`to_ipc`].
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("nothing to read")]
    Empty,
    #[error("no speech engine or no voice for {locale}: {reason}")]
    Unavailable {
        locale: &'static str,
        reason: String,
    },
    #[error("speech failed: {0}")]
    Failed(String),
    #[error("the speech thread did not answer")]
    NoAnswer,
}

/// The one place a speech error becomes what the person reads.
pub fn to_ipc(e: SpeechError) -> IpcError {
    eprintln!("speech error: {e}");
    let (kind, message) = match e {
        SpeechError::Empty => (IpcErrorKind::BadInput, NOTHING_TO_READ_MESSAGE),
        SpeechError::Unavailable { .. } => (IpcErrorKind::NotFound, NO_VOICE_MESSAGE),
        SpeechError::Failed(_) | SpeechError::NoAnswer => {
            (IpcErrorKind::Internal, SPEAK_FAILED_MESSAGE)
        }
    };
    IpcError {
        kind,
        message: message.to_owned(),
    }
}

/// Which engine speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// speech-dispatcher, the language set by tag ("pt-BR", "es-419"); its module picks the voice.
    #[cfg(target_os = "linux")]
    SpeechDispatcher,
    /// The `tts` crate: a voice chosen by language from the platform's list where it has one
    /// (iOS; speech-dispatcher), the phone's own TTS language where it has none (Android).
    Tts,
}

impl Backend {
    /// The engine this platform uses.
    #[cfg(target_os = "linux")]
    pub fn platform() -> Backend {
        Backend::SpeechDispatcher
    }

    /// The engine this platform uses.
    #[cfg(not(target_os = "linux"))]
    pub fn platform() -> Backend {
        Backend::Tts
    }
}

/// What was handed to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spoken {
    /// The language tag set on the engine, when it takes one (speech-dispatcher).
    pub language: Option<&'static str>,
    /// The voice chosen for the language, when the engine lists voices (not on Android, which
    /// speaks in the language set in the phone's own text-to-speech settings).
    pub voice: Option<String>,
    /// Whether the text was cut at [`MAX_SPEECH_UNITS`].
    pub truncated: bool,
}

/// The Tauri state: a handle to the speech thread, started on first use.
#[derive(Clone)]
pub struct Speech {
    backend: Backend,
    worker: Arc<Mutex<Option<Sender<Job>>>>,
}

impl Default for Speech {
    fn default() -> Self {
        Speech::with_backend(Backend::platform())
    }
}

/// What the engine reports after taking a text: the language tag or voice it used.
type Used = (Option<&'static str>, Option<String>);

enum Job {
    Speak {
        text: String,
        locale: Locale,
        reply: SyncSender<Result<Used, SpeechError>>,
    },
    Stop {
        reply: SyncSender<()>,
    },
}

impl Speech {
    /// The platform's engine; nothing is started until something is read aloud.
    pub fn new() -> Self {
        Self::default()
    }

    /// A given engine (tests use [`Backend::Tts`] on Linux, the path the phones take).
    pub fn with_backend(backend: Backend) -> Self {
        Speech {
            backend,
            worker: Arc::new(Mutex::new(None)),
        }
    }

    /// Stops what is being said and reads `text` in `locale`'s language. Blocks until the
    /// engine has taken the text (not until it has finished saying it).
    pub fn say(&self, text: &str, locale: Locale) -> Result<Spoken, SpeechError> {
        let (text, truncated) = prepare(text).ok_or(SpeechError::Empty)?;
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(Job::Speak {
            text,
            locale,
            reply,
        })?;
        let (language, voice) = self.wait(&answer)??;
        Ok(Spoken {
            language,
            voice,
            truncated,
        })
    }

    /// Stops what is being said. Nothing to stop (no engine yet, or a broken one) is fine.
    pub fn stop(&self) -> Result<(), SpeechError> {
        let mut worker = self.worker.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(sender) = worker.as_ref() else {
            return Ok(());
        };
        let (reply, answer) = mpsc::sync_channel(1);
        if sender.send(Job::Stop { reply }).is_err() {
            // The thread is gone, and whatever it was saying with it.
            *worker = None;
            return Ok(());
        }
        drop(worker);
        self.wait(&answer)
    }

    /// Hands a job to the speech thread, starting it (again) if needed.
    fn send(&self, job: Job) -> Result<(), SpeechError> {
        let mut worker = self.worker.lock().unwrap_or_else(PoisonError::into_inner);
        let job = match worker.as_ref() {
            Some(sender) => match sender.send(job) {
                Ok(()) => return Ok(()),
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let (sender, jobs) = mpsc::channel();
        let backend = self.backend;
        std::thread::Builder::new()
            .name("esv-speech".into())
            .spawn(move || run(backend, &jobs))
            .map_err(|e| SpeechError::Failed(format!("could not start the speech thread: {e}")))?;
        sender
            .send(job)
            .map_err(|_| SpeechError::Failed("the speech thread stopped at once".into()))?;
        *worker = Some(sender);
        Ok(())
    }

    fn wait<T>(&self, answer: &Receiver<T>) -> Result<T, SpeechError> {
        match answer.recv_timeout(ANSWER_TIMEOUT) {
            Ok(v) => Ok(v),
            Err(RecvTimeoutError::Timeout) => Err(SpeechError::NoAnswer),
            Err(RecvTimeoutError::Disconnected) => {
                // The thread died (a panic inside the platform binding): start afresh next time.
                *self.worker.lock().unwrap_or_else(PoisonError::into_inner) = None;
                Err(SpeechError::NoAnswer)
            }
        }
    }
}

/// The speech thread: owns the engine, makes it on demand and again after a failure.
fn run(backend: Backend, jobs: &Receiver<Job>) {
    let mut engine: Option<Engine> = None;
    while let Ok(job) = jobs.recv() {
        match job {
            Job::Speak {
                text,
                locale,
                reply,
            } => {
                let result = speak_on(backend, &mut engine, &text, locale);
                let _ = reply.send(result);
            }
            Job::Stop { reply } => {
                if let Some(Err(e)) = engine.as_mut().map(Engine::stop) {
                    // A broken engine is saying nothing: the person's "stop" is done. A new one
                    // is made next time.
                    eprintln!("speech: stop failed, the engine will be made again: {e}");
                    if let Some(broken) = engine.take() {
                        broken.discard();
                    }
                }
                let _ = reply.send(());
            }
        }
    }
    if let Some(e) = engine {
        e.discard();
    }
}

/// Speaks with the engine, making it first if needed. An engine that fails is replaced once (the
/// speech service may have restarted since it was made); one just made is not.
fn speak_on(
    backend: Backend,
    engine: &mut Option<Engine>,
    text: &str,
    locale: Locale,
) -> Result<Used, SpeechError> {
    let mut fresh = false;
    loop {
        let current = match engine {
            Some(e) => e,
            None => {
                fresh = true;
                engine.insert(Engine::new(backend, locale)?)
            }
        };
        match current.speak(text, locale) {
            Ok(used) => return Ok(used),
            Err(e) => {
                if let Some(broken) = engine.take() {
                    broken.discard();
                }
                if fresh || matches!(e, SpeechError::Unavailable { .. }) {
                    return Err(e);
                }
            }
        }
    }
}

enum Engine {
    #[cfg(target_os = "linux")]
    Dispatcher(dispatcher::Engine),
    Tts(Box<with_tts::Engine>),
}

impl Engine {
    fn new(backend: Backend, locale: Locale) -> Result<Engine, SpeechError> {
        match backend {
            #[cfg(target_os = "linux")]
            Backend::SpeechDispatcher => dispatcher::Engine::new(locale).map(Engine::Dispatcher),
            Backend::Tts => with_tts::Engine::new(locale).map(|e| Engine::Tts(Box::new(e))),
        }
    }

    /// Interrupts what is being said, then speaks in `locale`'s language.
    fn speak(&mut self, text: &str, locale: Locale) -> Result<Used, SpeechError> {
        match self {
            #[cfg(target_os = "linux")]
            Engine::Dispatcher(e) => e.speak(text, locale),
            Engine::Tts(e) => e.speak(text, locale),
        }
    }

    fn stop(&mut self) -> Result<(), SpeechError> {
        match self {
            #[cfg(target_os = "linux")]
            Engine::Dispatcher(e) => e.stop(),
            Engine::Tts(e) => e.stop(),
        }
    }

    fn discard(self) {
        match self {
            #[cfg(target_os = "linux")]
            Engine::Dispatcher(e) => drop(e),
            Engine::Tts(e) => (*e).discard(),
        }
    }
}

/// speech-dispatcher spoken to directly (Linux).
#[cfg(target_os = "linux")]
mod dispatcher {
    use esv_shared::ipc::Locale;
    use speech_dispatcher::{Connection, Mode, Priority};

    use super::{SpeechError, Used};

    pub(super) struct Engine {
        connection: Connection,
        /// The locale whose language is set now.
        current: Option<Locale>,
    }

    /// The tag speech-dispatcher gets: Latin American Spanish, as most people who use the offices
    /// in Spanish are Venezuelan (espeak-ng's plain "es" is Spain's).
    pub(super) fn language(locale: Locale) -> &'static str {
        match locale {
            Locale::PtBr => "pt-BR",
            Locale::Es => "es-419",
        }
    }

    fn failed(e: speech_dispatcher::Error) -> SpeechError {
        SpeechError::Failed(format!("speech-dispatcher: {e}"))
    }

    impl Engine {
        pub(super) fn new(locale: Locale) -> Result<Engine, SpeechError> {
            let unavailable = |reason: String| SpeechError::Unavailable {
                locale: locale.tag(),
                reason,
            };
            // Connects where $SPEECHD_ADDRESS says, or to the user's daemon, starting it if needed.
            let connection = Connection::open("esv-app", "speech", "esv-app", Mode::Threaded)
                .map_err(|e| unavailable(format!("speech-dispatcher: {e}")))?;
            // With no synthesizer installed speech-dispatcher lists no module and answers
            // everything with its placeholder.
            let modules = connection
                .list_output_modules()
                .map_err(|e| unavailable(format!("speech-dispatcher modules: {e}")))?;
            if modules.is_empty() {
                return Err(unavailable("speech-dispatcher has no synthesizer".into()));
            }
            Ok(Engine {
                connection,
                current: None,
            })
        }

        pub(super) fn speak(&mut self, text: &str, locale: Locale) -> Result<Used, SpeechError> {
            let tag = language(locale);
            if self.current != Some(locale) {
                self.connection.set_language(tag).map_err(failed)?;
                self.current = Some(locale);
            }
            self.connection.cancel().map_err(failed)?;
            match self.connection.say(Priority::Text, text) {
                Some(_) => Ok((Some(tag), None)),
                None => Err(SpeechError::Failed(
                    "speech-dispatcher refused the text".into(),
                )),
            }
        }

        pub(super) fn stop(&mut self) -> Result<(), SpeechError> {
            self.connection.cancel().map_err(failed)
        }
    }
}

/// The `tts` crate (Android, iOS and the rest; on Linux only when asked for).
mod with_tts {
    use esv_shared::ipc::Locale;
    use tts::{Tts, Voice};

    use super::{best_voice, SpeechError, Used};

    pub(super) struct Engine {
        tts: Tts,
        /// Per locale (in `Locale::ALL` order). `None`: the platform has no voice for it.
        /// `Some(None)`: the platform cannot choose (Android), its default voice speaks.
        choices: [Option<Option<Voice>>; 2],
        /// The locale whose voice is set now.
        current: Option<Locale>,
        /// Whether anything was said through it (then callbacks may still arrive; see `discard`).
        spoke: bool,
    }

    fn failed(e: tts::Error) -> SpeechError {
        SpeechError::Failed(format!("tts: {e}"))
    }

    impl Engine {
        pub(super) fn new(locale: Locale) -> Result<Engine, SpeechError> {
            let unavailable = |reason: String| SpeechError::Unavailable {
                locale: locale.tag(),
                reason,
            };
            let tts = Tts::default().map_err(|e| unavailable(format!("tts: {e}")))?;
            let choices = if tts.supported_features().voice {
                let voices = tts
                    .voices()
                    .map_err(|e| unavailable(format!("tts voices: {e}")))?;
                Locale::ALL.map(|l| {
                    best_voice(
                        l,
                        voices
                            .iter()
                            .map(|v| (v.language().as_str().to_owned(), v.name())),
                    )
                    .and_then(|i| voices.get(i))
                    .map(|v| Some(v.clone()))
                })
            } else {
                [Some(None), Some(None)]
            };
            Ok(Engine {
                tts,
                choices,
                current: None,
                spoke: false,
            })
        }

        pub(super) fn speak(&mut self, text: &str, locale: Locale) -> Result<Used, SpeechError> {
            let choice = Locale::ALL
                .iter()
                .position(|l| *l == locale)
                .and_then(|i| self.choices.get(i).cloned().flatten());
            let Some(voice) = choice else {
                return Err(SpeechError::Unavailable {
                    locale: locale.tag(),
                    reason: "no voice for this language".into(),
                });
            };
            if self.current != Some(locale) {
                if let Some(v) = &voice {
                    self.tts.set_voice(v).map_err(failed)?;
                }
                self.current = Some(locale);
            }
            self.spoke = true;
            self.tts.speak(text, true).map_err(failed)?;
            Ok((None, voice.map(|v| v.name())))
        }

        pub(super) fn stop(&mut self) -> Result<(), SpeechError> {
            self.tts.stop().map(|_| ()).map_err(failed)
        }

        /// Lets go of the engine (one that failed, or at the end). One that never spoke is closed
        /// normally. One that did is leaked on purpose: `tts` forgets its callbacks before closing
        /// the connection, and an end-of-speech event arriving in between would abort the process
        /// (an `unwrap` in its callback); a few bytes per failure are the cheaper price.
        pub(super) fn discard(self) {
            if self.spoke {
                std::mem::forget(self);
            }
        }
    }
}

/// The index of the best voice for `locale` among `(language tag, name)` pairs, if any speaks its
/// language. pt-BR: Brazil first, then other Portuguese. Spanish: Latin America first (most people
/// who use the offices in Spanish are Venezuelan), then any region but Spain, then plain "es",
/// then Spain. Plain voices before variants ("Name+Variant", as espeak-ng lists them).
pub fn best_voice(
    locale: Locale,
    voices: impl IntoIterator<Item = (String, String)>,
) -> Option<usize> {
    voices
        .into_iter()
        .enumerate()
        .filter_map(|(i, (tag, name))| {
            let rank = language_rank(locale, &tag)?;
            Some((rank * 2 + u8::from(name.contains('+')), i))
        })
        .min()
        .map(|(_, i)| i)
}

/// 0 is best; `None` when the tag is not the locale's language.
fn language_rank(locale: Locale, tag: &str) -> Option<u8> {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next()?;
    let region = parts.find(|p| {
        (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
            || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
    });
    let is = |r: &str| region.is_some_and(|x| x.eq_ignore_ascii_case(r));
    match locale {
        Locale::PtBr if language.eq_ignore_ascii_case("pt") => Some(if is("BR") { 0 } else { 1 }),
        Locale::Es if language.eq_ignore_ascii_case("es") => Some(match region {
            Some(_) if is("419") => 0,
            Some(_) if !is("ES") => 1,
            None => 2,
            Some(_) => 3,
        }),
        _ => None,
    }
}

/// The text as the engine should get it: control characters (a NUL would break the C bindings)
/// become spaces, and a text longer than [`MAX_SPEECH_UNITS`] is cut at the last sentence (or
/// word) that fits. `None` when nothing is left to read. The bool says whether it was cut.
pub fn prepare(text: &str) -> Option<(String, bool)> {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        return None;
    }
    let mut units = 0;
    let mut end = clean.len();
    for (i, c) in clean.char_indices() {
        units += c.len_utf16();
        if units > MAX_SPEECH_UNITS {
            end = i;
            break;
        }
    }
    if end == clean.len() {
        return Some((clean.to_owned(), false));
    }
    let head = &clean[..end];
    let at = |found: Option<usize>, len: usize| found.map(|i| i + len).filter(|i| *i > end / 2);
    let cut = at(head.rfind(['.', '!', '?', ';', '\n']), 1)
        .or_else(|| at(head.rfind(char::is_whitespace), 0))
        .unwrap_or(end);
    Some((head[..cut].trim_end().to_owned(), true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voices(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(t, n)| ((*t).to_owned(), (*n).to_owned()))
            .collect()
    }

    #[test]
    fn brazilian_and_latin_american_voices_come_first() {
        let espeak = voices(&[
            ("pt", "Portuguese (Portugal)"),
            ("es", "Spanish (Spain)"),
            ("pt-BR", "Portuguese (Brazil)+Andy"),
            ("pt-BR", "Portuguese (Brazil)"),
            ("es-419", "Spanish (Latin America)"),
            ("en", "English"),
        ]);
        assert_eq!(best_voice(Locale::PtBr, espeak.clone()), Some(3));
        assert_eq!(best_voice(Locale::Es, espeak), Some(4));
        // iOS names regions; Spain comes last.
        let ios = voices(&[
            ("es-ES", "Mónica"),
            ("es-MX", "Paulina"),
            ("pt-PT", "Joana"),
        ]);
        assert_eq!(best_voice(Locale::Es, ios.clone()), Some(1));
        assert_eq!(best_voice(Locale::PtBr, ios), Some(2));
        // Only speech-dispatcher's placeholder module: no voice for either language.
        let dummy = voices(&[("en", "dummy")]);
        assert_eq!(best_voice(Locale::PtBr, dummy.clone()), None);
        assert_eq!(best_voice(Locale::Es, dummy), None);
        assert_eq!(language_rank(Locale::PtBr, "pt_br"), Some(0));
        assert_eq!(language_rank(Locale::PtBr, "ptx"), None);
    }

    #[test]
    fn text_is_cleaned_and_capped_at_a_sentence() {
        assert_eq!(prepare("  \n\t "), None);
        assert_eq!(prepare("a\0b\u{7}c"), Some(("a b c".to_owned(), false)));
        let sentence = "Você tem direito à documentação civil gratuita. ";
        let long = sentence.repeat(200);
        let (cut, truncated) = prepare(&long).expect("text");
        assert!(truncated);
        assert!(cut.encode_utf16().count() <= MAX_SPEECH_UNITS);
        assert!(cut.ends_with("gratuita."), "{}", &cut[cut.len() - 20..]);
        // No sentence end, no space: a hard cut on a character boundary.
        let emoji = "😀".repeat(MAX_SPEECH_UNITS);
        let (cut, truncated) = prepare(&emoji).expect("text");
        assert!(truncated);
        assert_eq!(cut.encode_utf16().count(), MAX_SPEECH_UNITS);
        let exact = "a".repeat(MAX_SPEECH_UNITS);
        assert_eq!(prepare(&exact), Some((exact.clone(), false)));
    }

    #[test]
    fn errors_say_what_to_do_in_plain_portuguese() {
        let e = to_ipc(SpeechError::Unavailable {
            locale: "es",
            reason: "x".into(),
        });
        assert_eq!(e.kind, IpcErrorKind::NotFound);
        assert_eq!(e.message, NO_VOICE_MESSAGE);
        assert_eq!(to_ipc(SpeechError::Empty).kind, IpcErrorKind::BadInput);
        assert_eq!(to_ipc(SpeechError::NoAnswer).message, SPEAK_FAILED_MESSAGE);
    }

    #[test]
    fn stopping_before_anything_was_said_starts_nothing() {
        let speech = Speech::new();
        assert!(speech.stop().is_ok());
        assert!(speech
            .worker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none());
        assert!(matches!(
            speech.say(" ", Locale::PtBr),
            Err(SpeechError::Empty)
        ));
    }
}

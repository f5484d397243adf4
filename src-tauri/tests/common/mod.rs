//! A private speech-dispatcher for the speech tests: its own config, socket and HOME, where ALSA's
//! `file` plugin writes every sound to a file instead of a sound card.

use std::fs;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use esv_app::speech::{self, SpeechError, Spoken, NO_VOICE_MESSAGE};
use esv_shared::ipc::IpcErrorKind;

/// A speech-dispatcher started for a test; killed when dropped.
pub struct Daemon {
    child: Child,
    /// The espeak-ng module's log (it says which voice it set).
    pub module_log: PathBuf,
    /// Where its sound goes.
    audio: PathBuf,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub enum Synth {
    EspeakNg,
    /// speech-dispatcher's placeholder, what it runs when no synthesizer is installed.
    DummyOnly,
}

pub struct Setup {
    dir: PathBuf,
    socket: PathBuf,
}

impl Setup {
    /// Points this process's speech clients at `dir`'s socket; they never start the system's
    /// own daemon. Call it once, before any engine is made.
    pub fn new(dir: &Path) -> Setup {
        let socket = dir.join("speechd.sock");
        std::env::set_var(
            "SPEECHD_ADDRESS",
            format!("unix_socket:{}", socket.display()),
        );
        std::env::set_var("SPEECHD_CMD", "/bin/false");
        Setup {
            dir: dir.to_owned(),
            socket,
        }
    }

    /// Starts daemon number `n` on the socket and waits until it answers.
    pub fn start(&self, synth: Synth, n: u32) -> Daemon {
        let conf = self.dir.join(format!("conf{n}"));
        let run = self.dir.join(format!("run{n}"));
        let log = self.dir.join(format!("log{n}"));
        let home = self.dir.join(format!("home{n}"));
        for d in [&conf.join("modules"), &run, &log, &home] {
            fs::create_dir_all(d).expect("dir");
        }
        let audio = self.dir.join(format!("audio{n}.raw"));
        fs::write(
            home.join(".asoundrc"),
            format!(
                "pcm.!default {{\n  type file\n  slave.pcm \"null\"\n  file \"{}\"\n  format \"raw\"\n}}\n",
                audio.display()
            ),
        )
        .expect("asoundrc");
        let module = match synth {
            Synth::EspeakNg => {
                "AddModule \"espeak-ng\" \"sd_espeak-ng\" \"espeak-ng.conf\"\nDefaultModule espeak-ng\n"
            }
            Synth::DummyOnly => "AddModule \"dummy\" \"sd_dummy\" \"dummy.conf\"\nDefaultModule dummy\n",
        };
        fs::write(
            conf.join("speechd.conf"),
            format!("LogLevel 1\nAudioOutputMethod \"alsa\"\n{module}"),
        )
        .expect("speechd.conf");
        fs::write(conf.join("modules/espeak-ng.conf"), "Debug 1\n").expect("module conf");
        let out = fs::File::create(log.join("stdout")).expect("log");
        let err = out.try_clone().expect("log");
        let _ = fs::remove_file(&self.socket);
        let child = Command::new("speech-dispatcher")
            // Single run; quits 20 s after its last client, so nothing outlives a crashed test.
            .args(["--run-single", "--timeout", "20", "--config-dir"])
            .arg(&conf)
            .arg("--log-dir")
            .arg(&log)
            .arg("--socket-path")
            .arg(&self.socket)
            .arg("--pid-file")
            .arg(run.join("pid"))
            .env("HOME", &home)
            .env("XDG_RUNTIME_DIR", &run)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect(
                "speech-dispatcher is not installed: run scripts/setup.sh \
                 (speech-dispatcher, espeak-ng, speech-dispatcher-espeak-ng)",
            );
        let daemon = Daemon {
            child,
            module_log: log.join("espeak-ng.log"),
            audio,
        };
        let start = Instant::now();
        while UnixStream::connect(&self.socket).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "speech-dispatcher did not open its socket; see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        daemon
    }
}

impl Daemon {
    pub fn audio_bytes(&self) -> u64 {
        fs::metadata(&self.audio).map(|m| m.len()).unwrap_or(0)
    }

    /// Waits until the daemon has written more sound than `before`, and returns the new size.
    pub fn wait_for_audio(&self, before: u64, what: &str) -> u64 {
        let start = Instant::now();
        while self.audio_bytes() <= before {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no sound was made for {what}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Let it finish the sentence (the null sink takes it faster than real time).
        std::thread::sleep(Duration::from_millis(200));
        self.audio_bytes()
    }
}

/// Waits until the espeak-ng module's log holds `needle` (it logs each voice it sets).
pub fn wait_for_module_log(daemon: &Daemon, needle: &str) {
    let start = Instant::now();
    while !fs::read_to_string(&daemon.module_log)
        .unwrap_or_default()
        .contains(needle)
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "espeak-ng never logged {needle:?}; see {}",
            daemon.module_log.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The result is the plain "no voice" sentence the person reads.
pub fn assert_no_voice(result: Result<Spoken, SpeechError>, what: &str) {
    match result {
        Err(e @ SpeechError::Unavailable { .. }) => {
            let ipc = speech::to_ipc(e);
            assert_eq!(ipc.kind, IpcErrorKind::NotFound, "{what}");
            assert_eq!(ipc.message, NO_VOICE_MESSAGE, "{what}");
        }
        other => panic!("{what}: expected the no-voice error, got {other:?}"),
    }
}

//! Headless Chromium under chromedriver at a phone's viewport, for browser tests of the UI: a
//! private profile and TMPDIR, no background networking (this machine's network is closed), and
//! a guard that ends the session and stops the driver, even when the test panics.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{free_port, Group, HarnessError};
use crate::webdriver::{self, Session};

type Result<T> = std::result::Result<T, HarnessError>;

/// The first program called `name` on `$PATH`.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, or a message that says what to install.
pub fn find_binaries() -> Result<(PathBuf, PathBuf)> {
    let chromium = on_path("chromium").or_else(|| on_path("chromium-browser"));
    let driver = on_path("chromedriver");
    match (chromium, driver) {
        (Some(c), Some(d)) => Ok((c, d)),
        (c, d) => {
            let mut missing = Vec::new();
            if c.is_none() {
                missing.push("chromium (Debian package `chromium`)");
            }
            if d.is_none() {
                missing.push("chromedriver (Debian package `chromium-driver`)");
            }
            Err(format!(
                "{} not found on PATH: run scripts/setup.sh, which installs them",
                missing.join(" and ")
            )
            .into())
        }
    }
}

/// A running headless Chromium. Dropping it ends the session, then stops chromedriver (and
/// the browser it started), then removes the profile.
#[derive(Debug)]
pub struct Chrome {
    // Field order is drop order.
    session: Option<Session>,
    driver: Option<Group>,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Chrome {
    /// Starts chromedriver on a free port and opens a session with a `width`×`height` phone
    /// viewport (mobile emulation, device pixel ratio 1). The driver's output goes to `log`.
    pub fn start(width: u32, height: u32, log: &Path) -> Result<Chrome> {
        let (chromium, chromedriver) = find_binaries()?;
        let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
        let tmp = dir.path().join("tmp");
        let profile = dir.path().join("profile");
        for d in [&tmp, &profile] {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        let port = free_port()?;
        let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let mut cmd = Command::new(&chromedriver);
        cmd.arg(format!("--port={port}"))
            .env("TMPDIR", &tmp)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let mut driver = Group::spawn("chromedriver", cmd)?;
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !webdriver::is_ready(&base) {
            if let Some(status) = driver.exited() {
                return Err(
                    format!("chromedriver exited with {status}; see {}", log.display()).into(),
                );
            }
            if Instant::now() > deadline {
                return Err(format!("chromedriver did not answer on {base} in 20 s").into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.display()),
            // Without these Chromium keeps calling hosts this closed network refuses.
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--lang=pt-BR".to_owned(),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": args,
                "mobileEmulation": {"deviceMetrics": {
                    "width": width, "height": height, "pixelRatio": 1.0, "touch": true, "mobile": true
                }},
            },
        }}});
        let session = Session::new(&base, &caps)
            .map_err(|e| format!("could not open a Chromium session: {e}\n{}", tail(log, 30)))?;
        Ok(Chrome {
            session: Some(session),
            driver: Some(driver),
            log: log.to_path_buf(),
            _dir: dir,
        })
    }

    pub fn session(&self) -> &Session {
        self.session
            .as_ref()
            .expect("the session is open while Chrome runs")
    }

    /// The last lines chromedriver printed.
    pub fn log_tail(&self) -> String {
        tail(&self.log, 30)
    }
}

fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(n);
    format!(
        "--- last lines of {} ---\n{}",
        path.display(),
        lines[from..].join("\n")
    )
}

impl Drop for Chrome {
    fn drop(&mut self) {
        if let Some(mut session) = self.session.take() {
            if let Err(e) = session.delete() {
                eprintln!("chrome: deleting the session failed: {e}");
            }
        }
        if let Some(mut driver) = self.driver.take() {
            driver.stop();
        }
    }
}

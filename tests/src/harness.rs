//! Runs the real app for an end-to-end test: a private Xvfb display, WebKitWebDriver on a free
//! port (which launches the app's binary), screenshots with ImageMagick's `import`, and a guard
//! that stops all of it, even when the test panics.

use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::webdriver::{self, Session};

/// Why the app could not be started or a screenshot taken. The message says what to install or
/// look at.
#[derive(Debug, Clone)]
pub struct HarnessError(pub String);

impl std::fmt::Display for HarnessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HarnessError {}

impl From<String> for HarnessError {
    fn from(message: String) -> HarnessError {
        HarnessError(message)
    }
}

type Result<T> = std::result::Result<T, HarnessError>;

/// What the app needs from the test: its binary and the environment it runs with.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Absolute path of the `esv-app` binary.
    pub binary: PathBuf,
    /// Extra environment for the app (WebKitWebDriver passes its own environment to it).
    pub env: Vec<(String, String)>,
    /// Where the driver's and the app's stdout/stderr go.
    pub log: PathBuf,
}

/// A child process started in its own process group, so that stopping it also stops what it
/// started (WebKitWebDriver starts the app).
#[derive(Debug)]
pub(crate) struct Group {
    name: &'static str,
    child: Child,
}

impl Group {
    pub(crate) fn spawn(name: &'static str, mut cmd: Command) -> Result<Group> {
        cmd.process_group(0);
        let child = cmd
            .spawn()
            .map_err(|e| format!("could not start {name}: {e}"))?;
        Ok(Group { name, child })
    }

    pub(crate) fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// SIGTERM to the group, a short grace period, then SIGKILL.
    pub(crate) fn stop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let pgid = self.child.id().to_string();
        let signal = |sig: &str| {
            let _ = Command::new("kill")
                .args([sig, "--", &format!("-{pgid}")])
                .stderr(Stdio::null())
                .status();
        };
        signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                // The group may still hold grandchildren (the app).
                signal("-KILL");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        signal("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
        eprintln!("e2e: {} needed SIGKILL", self.name);
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A running app under WebDriver. Dropping it deletes the session (the app closes), then stops
/// the driver, then the display, in that order.
#[derive(Debug)]
pub struct App {
    // Field order is drop order.
    session: Option<Session>,
    driver: Option<Group>,
    xvfb: Option<Group>,
    display: u32,
    log: PathBuf,
}

pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("no free port: {e}"))?;
    Ok(addr.port())
}

/// Starts Xvfb on the first free display in `:91..=:99`.
fn start_xvfb() -> Result<(Group, u32)> {
    let mut tried = Vec::new();
    for n in 91..=99u32 {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        if socket.exists() || lock.exists() {
            tried.push(format!(":{n} in use"));
            continue;
        }
        let mut cmd = Command::new("Xvfb");
        cmd.args([
            &format!(":{n}"),
            "-screen",
            "0",
            "1280x1024x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        let mut xvfb = Group::spawn("Xvfb", cmd)?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if socket.exists() {
                return Ok((xvfb, n));
            }
            if let Some(status) = xvfb.exited() {
                tried.push(format!(":{n} exited with {status}"));
                break;
            }
            if Instant::now() > deadline {
                tried.push(format!(":{n} did not come up in 10 s"));
                xvfb.stop();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    Err(format!("could not start Xvfb on :91..:99 ({})", tried.join(", ")).into())
}

impl App {
    /// Starts the display and the driver, and opens a session, which launches the app.
    pub fn start(opts: &AppOptions) -> Result<App> {
        if !opts.binary.is_file() {
            return Err(format!("the app binary {} does not exist", opts.binary.display()).into());
        }
        let (xvfb, display) = start_xvfb()?;
        let mut app = App {
            session: None,
            driver: None,
            xvfb: Some(xvfb),
            display,
            log: opts.log.clone(),
        };

        let port = free_port()?;
        let log = File::create(&opts.log).map_err(|e| format!("{}: {e}", opts.log.display()))?;
        let log2 = log
            .try_clone()
            .map_err(|e| format!("{}: {e}", opts.log.display()))?;
        let mut cmd = Command::new("WebKitWebDriver");
        cmd.arg(format!("--port={port}"))
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("DISPLAY", format!(":{display}"))
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .envs(opts.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2);
        let mut driver = Group::spawn("WebKitWebDriver", cmd)?;

        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(15);
        while !webdriver::is_ready(&base) {
            if let Some(status) = driver.exited() {
                return Err(
                    format!("WebKitWebDriver exited with {status}\n{}", app.log_tail()).into(),
                );
            }
            if Instant::now() > deadline {
                return Err(format!("WebKitWebDriver did not answer on {base} in 15 s").into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        app.driver = Some(driver);

        let binary = opts.binary.display().to_string();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "webkitgtk:browserOptions": {"binary": binary, "args": []}
        }}});
        let session = Session::new(&base, &caps).map_err(|e| {
            format!(
                "could not open a WebDriver session on the app: {e}\n{}",
                app.log_tail()
            )
        })?;
        app.session = Some(session);
        Ok(app)
    }

    pub fn session(&self) -> &Session {
        self.session
            .as_ref()
            .expect("the session is open while the app runs")
    }

    pub fn display(&self) -> u32 {
        self.display
    }

    /// The last lines the driver and the app printed: what to show when a step fails.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(40);
        format!(
            "--- last lines of {} (driver and app output) ---\n{}",
            self.log.display(),
            lines[from..].join("\n")
        )
    }

    /// Panics the app (or anything else under the driver) reported, each with its message line.
    pub fn panics(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains("panicked at"))
            .map(|(i, l)| format!("{l} {}", lines.get(i + 1).copied().unwrap_or_default()))
            .collect()
    }

    /// A screenshot of the whole display (the WebDriver screenshot call is unreliable with
    /// WebKitGTK, so this uses ImageMagick's `import`).
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        let out = Command::new("import")
            .args(["-display", &format!(":{}", self.display), "-window", "root"])
            .arg(path)
            .output()
            .map_err(|e| format!("could not run import: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "import failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
            .into())
        }
    }

    /// Deletes the session and stops everything now (what dropping does, but explicit).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(mut session) = self.session.take() {
            if let Err(e) = session.delete() {
                eprintln!("e2e: deleting the WebDriver session failed: {e}");
            }
        }
        if let Some(mut driver) = self.driver.take() {
            driver.stop();
        }
        if let Some(mut xvfb) = self.xvfb.take() {
            xvfb.stop();
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.shutdown();
    }
}

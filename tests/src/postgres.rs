//! A temporary PostgreSQL cluster for tests, from Debian's packages: `initdb` into a temporary
//! directory (as the `postgres` user when the tests run as root, since initdb refuses root),
//! listening on a free port of 127.0.0.1, started once per test process and stopped when the
//! process exits. Each test gets its own fresh database.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

pub struct TempCluster {
    port: u16,
    data: PathBuf,
    _dir: PathBuf,
}

fn bin_dir() -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("PostgreSQL is not installed ({e}): run scripts/setup.sh"))
        .flatten()
        .map(|e| e.path())
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL version").join("bin")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL program, as `postgres` when we are root.
fn run(program: &Path, args: &[&str]) {
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let out = cmd.args(args).output().expect("run a PostgreSQL program");
    assert!(
        out.status.success(),
        "{} {args:?}: {}{}",
        program.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

impl TempCluster {
    /// The cluster of this test process.
    pub fn get() -> &'static TempCluster {
        static CLUSTER: OnceLock<TempCluster> = OnceLock::new();
        CLUSTER.get_or_init(TempCluster::start)
    }

    fn start() -> TempCluster {
        let bin = bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("esv-pg-")
            .tempdir()
            .expect("tempdir");
        let data = dir.path().join("data");
        if is_root() {
            let _ = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status();
            let _ = Command::new("chmod").arg("755").arg(dir.path()).status();
        }
        let data_s = data.display().to_string();
        run(
            &bin.join("initdb"),
            &[
                "-D",
                &data_s,
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        let port = free_port();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=200",
            dir.path().display()
        );
        let log = dir.path().join("log").display().to_string();
        run(
            &bin.join("pg_ctl"),
            &["-D", &data_s, "-o", &options, "-l", &log, "-w", "start"],
        );
        // Stop it when this test process ends, whatever way it ends: a small shell watches
        // our pid (no unsafe code, no atexit).
        let watchdog = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop}; rm -rf {dir}",
            pid = std::process::id(),
            dir = dir.path().display(),
            stop = if is_root() {
                format!(
                    "runuser -u postgres -- {} -D {data_s} -m immediate stop",
                    bin.join("pg_ctl").display()
                )
            } else {
                format!(
                    "{} -D {data_s} -m immediate stop",
                    bin.join("pg_ctl").display()
                )
            },
        );
        let _ = Command::new("sh")
            .args(["-c", &watchdog])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        // The watchdog removes the directory once the cluster has stopped.
        TempCluster {
            port,
            data,
            _dir: dir.keep(),
        }
    }

    /// A fresh, empty database; its URL.
    pub fn new_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "esv_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        run(
            &bin_dir().join("psql"),
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-c",
                &format!("CREATE DATABASE {name}"),
            ],
        );
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }
}

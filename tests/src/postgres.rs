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
    /// With TLS: the certificate of the CA that signed the server's (PEM).
    ca: Option<PathBuf>,
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

/// A CA and a server certificate for `names` signed by it, made with openssl in `dir`: (CA
/// certificate, server certificate, server key). The key is 0600 and the server's user's.
fn certificates(dir: &Path, names: &str) -> (PathBuf, PathBuf, PathBuf) {
    let (ca_key, ca, key, csr, cert) = (
        dir.join("ca.key"),
        dir.join("ca.crt"),
        dir.join("server.key"),
        dir.join("server.csr"),
        dir.join("server.crt"),
    );
    let path = |p: &Path| p.display().to_string();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "3650",
        "-subj",
        "/CN=esv test CA",
        "-keyout",
        &path(&ca_key),
        "-out",
        &path(&ca),
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=esv test database",
        "-keyout",
        &path(&key),
        "-out",
        &path(&csr),
    ]);
    let extensions = dir.join("san.cnf");
    std::fs::write(&extensions, format!("subjectAltName={names}\n")).expect("san");
    openssl(&[
        "x509",
        "-req",
        "-in",
        &path(&csr),
        "-CA",
        &path(&ca),
        "-CAkey",
        &path(&ca_key),
        "-CAcreateserial",
        "-days",
        "3650",
        "-extfile",
        &path(&extensions),
        "-out",
        &path(&cert),
    ]);
    let _ = Command::new("chmod").arg("600").arg(&key).status();
    if is_root() {
        let _ = Command::new("chown")
            .arg("postgres:postgres")
            .arg(&key)
            .arg(&cert)
            .status();
    }
    (ca, cert, key)
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
        TempCluster::launch(None)
    }

    /// A cluster of its own that speaks TLS (`ssl = on`) with a certificate for `names`
    /// (`DNS:localhost,IP:127.0.0.1`), signed by a CA made for it ([`TempCluster::ca`]).
    /// Plain connections are still accepted, as a default `pg_hba.conf` does.
    pub fn start_tls(names: &str) -> TempCluster {
        TempCluster::launch(Some(names))
    }

    /// The CA that signed a TLS cluster's certificate.
    pub fn ca(&self) -> Option<&Path> {
        self.ca.as_deref()
    }

    fn launch(tls: Option<&str>) -> TempCluster {
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
        let mut options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=200",
            dir.path().display()
        );
        let ca = tls.map(|names| {
            let (ca, cert, key) = certificates(dir.path(), names);
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                cert.display(),
                key.display()
            ));
            ca
        });
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
            ca,
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

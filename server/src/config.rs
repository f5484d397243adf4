//! The server's configuration file (`esv-server --config FILE`, TOML): the same settings as
//! the command-line flags, under the same names. A flag or its environment variable wins over
//! the file, the file over the defaults. An unknown key or a bad value is refused, naming the
//! key and its line, so a typo never leaves a setting silently at its default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Result, ServerError};

/// The bounds of the numeric settings, shared with the flags (`main.rs`).
pub const TEAM_IDLE_DAYS: (u32, u32) = (1, 3650);
pub const REGISTRATIONS_PER_HOUR: (u32, u32) = (1, u32::MAX);
pub const SHUTDOWN_GRACE: (u64, u64) = (0, 3600);
pub const REQUEST_TIMEOUT: (u64, u64) = (1, 3600);
pub const HEADER_TIMEOUT: (u64, u64) = (1, 3600);

/// What a configuration file may set; each key absent stays as the flags say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct File {
    pub database: Option<String>,
    pub log_format: Option<String>,
    pub listen: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub team_idle_days: Option<u32>,
    pub registrations_per_hour: Option<u32>,
    pub trust_forwarded: Option<bool>,
    pub shutdown_grace: Option<u64>,
    pub request_timeout: Option<u64>,
    pub header_timeout: Option<u64>,
    pub metrics_listen: Option<String>,
}

/// Every key a file may hold, as written in it.
pub const KEYS: &[&str] = &[
    "database",
    "log-format",
    "listen",
    "tls-cert",
    "tls-key",
    "team-idle-days",
    "registrations-per-hour",
    "trust-forwarded",
    "shutdown-grace",
    "request-timeout",
    "header-timeout",
    "metrics-listen",
];

/// Reads and checks the file at `path`.
pub fn read(path: &Path) -> Result<File> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ServerError::Config(format!(
            "o arquivo de configuração {} não pôde ser lido: {e}",
            path.display()
        ))
    })?;
    parse(&text, &path.display().to_string())
}

/// Checks `text`, the contents of the file `name`.
pub fn parse(text: &str, name: &str) -> Result<File> {
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_at(text, s.start));
        ServerError::Config(explain(name, text, line, e.message()))
    })?;
    let check = |key: &str, value: Option<u64>, (low, high): (u64, u64)| match value {
        Some(v) if v < low || v > high => Err(ServerError::Config(format!(
            "{}: `{key}` = {v} está fora do intervalo aceito ({low} a {high})",
            place(name, line_of_key(text, key))
        ))),
        _ => Ok(()),
    };
    let widen = |(low, high): (u32, u32)| (u64::from(low), u64::from(high));
    check(
        "team-idle-days",
        file.team_idle_days.map(u64::from),
        widen(TEAM_IDLE_DAYS),
    )?;
    check(
        "registrations-per-hour",
        file.registrations_per_hour.map(u64::from),
        widen(REGISTRATIONS_PER_HOUR),
    )?;
    check("shutdown-grace", file.shutdown_grace, SHUTDOWN_GRACE)?;
    check("request-timeout", file.request_timeout, REQUEST_TIMEOUT)?;
    check("header-timeout", file.header_timeout, HEADER_TIMEOUT)?;
    if let Some(format) = file.log_format.as_deref() {
        if !matches!(format, "text" | "json") {
            return Err(ServerError::Config(format!(
                "{}: `log-format` = {format:?}: use \"text\" ou \"json\"",
                place(name, line_of_key(text, "log-format"))
            )));
        }
    }
    Ok(file)
}

/// The 1-based line of byte `at`.
fn line_at(text: &str, at: usize) -> usize {
    text.get(..at).unwrap_or(text).matches('\n').count() + 1
}

/// The line where `key` is set, if it is.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| key_of(l) == Some(key))
        .map(|i| i + 1)
}

/// The key a line sets (`chave = valor`).
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    Some(key.trim().trim_matches('"'))
}

fn place(name: &str, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{name}, linha {line}"),
        None => name.to_owned(),
    }
}

/// The parser's complaint in plain words, with the key when there is one.
fn explain(name: &str, text: &str, line: Option<usize>, message: &str) -> String {
    let at = place(name, line);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!(
            "{at}: chave desconhecida `{key}`; as chaves aceitas são: {}",
            KEYS.join(", ")
        );
    }
    let key = line
        .and_then(|l| text.lines().nth(l - 1))
        .and_then(key_of)
        .filter(|k| KEYS.contains(k));
    match key {
        Some(key) => format!("{at}: valor inválido para `{key}` ({})", message.trim()),
        None => format!("{at}: o arquivo não é TOML válido ({})", message.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str) -> String {
        match parse(text, "esv.toml") {
            Err(e) => e.to_string(),
            Ok(file) => panic!("accepted: {file:?}"),
        }
    }

    #[test]
    fn every_key_is_read() {
        let text = r#"
database = "/var/lib/esv/esv-server.db"
log-format = "json"
listen = "0.0.0.0:8787"
tls-cert = "/etc/esv/fullchain.pem"
tls-key = "/etc/esv/privkey.pem"
team-idle-days = 15
registrations-per-hour = 100
trust-forwarded = true
shutdown-grace = 10
request-timeout = 90
header-timeout = 20
metrics-listen = "127.0.0.1:9464"
"#;
        let file = parse(text, "esv.toml").expect("file");
        // Every key of KEYS was in it.
        for key in KEYS {
            assert!(text.contains(&format!("\n{key} = ")), "{key}");
        }
        assert_eq!(file.database.as_deref(), Some("/var/lib/esv/esv-server.db"));
        assert_eq!(file.log_format.as_deref(), Some("json"));
        assert_eq!(file.team_idle_days, Some(15));
        assert_eq!(file.registrations_per_hour, Some(100));
        assert_eq!(file.trust_forwarded, Some(true));
        assert_eq!(file.header_timeout, Some(20));
        assert_eq!(file.metrics_listen.as_deref(), Some("127.0.0.1:9464"));
        assert_eq!(parse("", "esv.toml").expect("empty"), File::default());
    }

    #[test]
    fn an_unknown_key_or_a_bad_value_is_refused_with_its_key_and_line() {
        let err = refusal("listen = \"0.0.0.0:8787\"\n\nrequest_timeout = 60\n");
        assert!(err.starts_with("esv.toml, linha 3: chave desconhecida `request_timeout`"));
        assert!(err.contains("request-timeout"), "{err}");

        let err = refusal("# comentário\nteam-idle-days = \"trinta\"\n");
        assert!(err.starts_with("esv.toml, linha 2: valor inválido para `team-idle-days`"));

        let err = refusal("listen = \"a\"\nteam-idle-days = 0\n");
        assert_eq!(
            err,
            "esv.toml, linha 2: `team-idle-days` = 0 está fora do intervalo aceito (1 a 3650)"
        );

        let err = refusal("\n\nlog-format = \"xml\"\n");
        assert!(
            err.starts_with("esv.toml, linha 3: `log-format` = \"xml\""),
            "{err}"
        );

        let err = refusal("listen = \n");
        assert!(err.starts_with("esv.toml, linha 1:"), "{err}");
    }
}

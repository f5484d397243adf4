//! The `esv-server` command: `serve` runs the sync server; `office`, `user`, `device` and
//! `erase` administer the same database. Settings come from the flags, their environment
//! variables, a `--config` file (`esv_server::config`) and the defaults, in that order.

use std::io::BufRead;
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};
use esv_server::{admin, config, Db, Result, ServerError};
use esv_shared::sync::Role;

#[derive(Debug, Parser)]
#[command(
    name = "esv-server",
    version,
    about = "Servidor de sincronização do Escritório Social Virtual"
)]
struct Cli {
    /// SQLite file (default) or postgres://… URL.
    #[arg(
        long,
        env = "ESV_DATABASE",
        default_value = "esv-server.db",
        global = true
    )]
    database: String,
    /// The log on stderr: text (one line per event) or json (one object per line).
    #[arg(long, env = "ESV_LOG_FORMAT", default_value = "text", global = true,
          value_parser = ["text", "json"])]
    log_format: String,
    /// A TOML file with the same settings as the flags (keys: database, log-format, listen,
    /// tls-cert, tls-key, team-idle-days, …; see README). Flags and environment win over it.
    #[arg(long, env = "ESV_CONFIG", global = true)]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the server.
    Serve(ServeArgs),
    /// Offices served by this server.
    #[command(subcommand)]
    Office(OfficeCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Signed-in and registered devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Documents in the log: list them, or remove one that no device should receive.
    #[command(subcommand)]
    Doc(DocCommand),
    /// Writes a consistent copy of the SQLite database to FILE while the server keeps serving
    /// (through FILE.tmp: a failure leaves an older FILE as it was).
    Backup { file: std::path::PathBuf },
    /// Replaces the SQLite database with the backup FILE, after checking it. Stop the server
    /// first.
    Restore { file: std::path::PathBuf },
    /// Erases every document about a person (or a citizen device's requests) for good (LGPD):
    /// `esv-server erase --office es-vitoria --subject p1 --scope office`.
    Erase {
        #[arg(long)]
        office: String,
        /// The person's id (`person:<id>`), or the citizen device's id.
        #[arg(long)]
        subject: String,
        /// office (a person's documents) or citizen (a device's requests).
        #[arg(long, default_value = "office")]
        scope: String,
    },
}

/// `esv-server serve`'s settings.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free one (printed at start).
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: String,
    /// Serve HTTPS with this certificate chain (PEM). Without it, plain HTTP: put the
    /// server behind a reverse proxy that terminates TLS.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
    /// Days a team device may go without contacting the server before its user must sign
    /// in again (citizen devices keep their token).
    #[arg(long, env = "ESV_TEAM_IDLE_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u32)
              .range(i64::from(config::TEAM_IDLE_DAYS.0)..=i64::from(config::TEAM_IDLE_DAYS.1)))]
    team_idle_days: u32,
    /// Anonymous registrations (citizen devices) accepted per address in an hour.
    #[arg(long, env = "ESV_REGISTRATIONS_PER_HOUR", default_value_t = 60,
          value_parser = clap::value_parser!(u32)
              .range(i64::from(config::REGISTRATIONS_PER_HOUR.0)..))]
    registrations_per_hour: u32,
    /// Take the client's address from the last entry of X-Forwarded-For. Only behind a
    /// reverse proxy that sets it: otherwise anyone could claim any address.
    #[arg(long, env = "ESV_TRUST_FORWARDED")]
    trust_forwarded: bool,
    /// Seconds the requests in flight may take to finish after SIGTERM or Ctrl-C; then
    /// the server stops anyway.
    #[arg(long, env = "ESV_SHUTDOWN_GRACE", default_value_t = 30,
          value_parser = clap::value_parser!(u64)
              .range(config::SHUTDOWN_GRACE.0..=config::SHUTDOWN_GRACE.1))]
    shutdown_grace: u64,
    /// Seconds a request may take, its body included, before it is answered 503.
    #[arg(long, env = "ESV_REQUEST_TIMEOUT", default_value_t = 120,
          value_parser = clap::value_parser!(u64)
              .range(config::REQUEST_TIMEOUT.0..=config::REQUEST_TIMEOUT.1))]
    request_timeout: u64,
    /// Seconds a connection may take to send a request's head, or stay idle between
    /// requests, before it is closed (against clients that send a byte at a time).
    #[arg(long, env = "ESV_HEADER_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64)
              .range(config::HEADER_TIMEOUT.0..=config::HEADER_TIMEOUT.1))]
    header_timeout: u64,
    /// Serve Prometheus's figures at http://ADDRESS/metrics, apart from the API (keep it on
    /// a private address: 127.0.0.1:9464 or the monitoring network's). Off by default.
    #[arg(long, env = "ESV_METRICS_LISTEN")]
    metrics_listen: Option<String>,
}

#[derive(Debug, Subcommand)]
enum OfficeCommand {
    /// Adds an office: `esv-server office add es-vitoria "Escritório Social de Vitória"`.
    Add {
        id: String,
        name: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Adds an account. The password is read from $ESV_PASSWORD or from the first line of stdin.
    Add {
        username: String,
        #[arg(long)]
        office: String,
        /// coordinator, staff or field-worker
        #[arg(long)]
        role: String,
    },
    /// Sets a new password (from $ESV_PASSWORD or stdin).
    Passwd {
        username: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
enum DocCommand {
    /// Lists the documents (id, stream, changes, bytes), optionally those whose id starts
    /// with PREFIX, then the documents removed before.
    List { prefix: Option<String> },
    /// Removes a document from the log for good, with the reason (recorded with the date):
    /// devices stop receiving it and later pushes of it are dropped.
    Remove {
        doc_id: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    List,
    /// Revokes a device: it stops syncing and wipes sensitive data on its next contact.
    Revoke {
        id: String,
    },
}

/// Whether `id` was left at its default (neither a flag nor its environment variable set it),
/// so the configuration file may set it.
fn defaulted(matches: &[&ArgMatches], id: &str) -> bool {
    matches.iter().all(|m| {
        matches!(
            m.try_get_raw(id).ok().and(m.value_source(id)),
            None | Some(ValueSource::DefaultValue)
        )
    })
}

/// The command line with the configuration file's settings where no flag or environment
/// variable gave one.
fn with_file(mut cli: Cli, matches: &ArgMatches) -> Result<Cli> {
    let Some(path) = cli.config.clone() else {
        return Ok(cli);
    };
    let file = config::read(&path)?;
    let sub = matches.subcommand().map(|(_, m)| m);
    let top: Vec<&ArgMatches> = std::iter::once(matches).chain(sub).collect();
    if let Some(v) = file.database.filter(|_| defaulted(&top, "database")) {
        cli.database = v;
    }
    if let Some(v) = file.log_format.filter(|_| defaulted(&top, "log_format")) {
        cli.log_format = v;
    }
    if let (Command::Serve(serve), Some(m)) = (&mut cli.command, sub) {
        let m = [m];
        let set = |id: &str| defaulted(&m, id);
        macro_rules! take {
            ($field:ident, $id:literal) => {
                if let Some(v) = file.$field.filter(|_| set($id)) {
                    serve.$field = v.into();
                }
            };
        }
        take!(listen, "listen");
        take!(tls_cert, "tls_cert");
        take!(tls_key, "tls_key");
        take!(team_idle_days, "team_idle_days");
        take!(registrations_per_hour, "registrations_per_hour");
        take!(trust_forwarded, "trust_forwarded");
        take!(shutdown_grace, "shutdown_grace");
        take!(request_timeout, "request_timeout");
        take!(header_timeout, "header_timeout");
        take!(metrics_listen, "metrics_listen");
        if serve.tls_cert.is_some() != serve.tls_key.is_some() {
            return Err(ServerError::Config(format!(
                "{}: tls-cert e tls-key vão juntos: dê os dois ou nenhum",
                path.display()
            )));
        }
    }
    Ok(cli)
}

/// A line on stdout for whoever started the server; a closed stdout is not a reason to stop.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn password() -> Result<String> {
    if let Ok(p) = std::env::var("ESV_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn run(cli: Cli) -> Result<()> {
    let clock =
        esv_server::Clock::from_setting(chrono::Utc::now, std::env::var("ESV_NOW").ok().as_deref())
            .map_err(ServerError::Config)?;
    match &cli.command {
        Command::Backup { file } => {
            let (database, to) = (cli.database.clone(), file.clone());
            tokio::task::spawn_blocking(move || esv_server::backup::backup(&database, &to))
                .await??;
            println!("cópia de segurança escrita em {}", file.display());
            return Ok(());
        }
        Command::Restore { file } => {
            let (database, from) = (cli.database.clone(), file.clone());
            tokio::task::spawn_blocking(move || esv_server::backup::restore(&database, &from))
                .await??;
            // Brings an older copy up to this version's schema, then erases again whoever was
            // erased after the copy was taken (the erasure log outlives the database).
            let db = Db::open(&cli.database).await?;
            let log =
                esv_server::erasure_log::path_for(&esv_server::backup::sqlite_path(&cli.database)?);
            let (entries, unreadable) = esv_server::erasure_log::read(&log)?;
            for entry in &entries {
                db.reapply(entry).await?;
            }
            db.close().await?;
            println!(
                "banco restaurado de {}; {} apagamento(s) (LGPD) do registro {} aplicado(s) de novo",
                file.display(),
                entries.len(),
                log.display()
            );
            if unreadable > 0 {
                eprintln!(
                    "atenção: {unreadable} linha(s) do registro de apagamentos não puderam ser \
                     lidas (cortadas por uma queda?): confira os apagamentos no log do servidor"
                );
            }
            return Ok(());
        }
        _ => {}
    }
    let db = Db::open(&cli.database).await?;
    match cli.command {
        Command::Serve(ServeArgs {
            listen,
            tls_cert,
            tls_key,
            team_idle_days,
            registrations_per_hour,
            trust_forwarded,
            shutdown_grace,
            request_timeout,
            header_timeout,
            metrics_listen,
        }) => {
            let settings = esv_server::Settings {
                team_idle_days,
                trust_forwarded,
                registrations_per_hour,
                shutdown_grace: std::time::Duration::from_secs(shutdown_grace),
                request_timeout: std::time::Duration::from_secs(request_timeout),
                header_timeout: std::time::Duration::from_secs(header_timeout),
            };
            match db.encrypted().await? {
                Some(true) => tracing::info!("PostgreSQL: conexão cifrada (TLS)"),
                Some(false) => tracing::warn!(
                    "PostgreSQL: conexão sem TLS; se o banco está em outra máquina, use \
                     sslmode=verify-full e sslrootcert na URL"
                ),
                None => {}
            }
            // Listened for before the port opens, so a SIGTERM right after start is a stop,
            // not a kill.
            let stop = esv_server::signals::stop()?;
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(esv_server::tls::config(&cert, &key)?),
                _ => None,
            };
            let listener = tokio::net::TcpListener::bind(&listen).await.map_err(|e| {
                ServerError::Config(format!("não foi possível ouvir em {listen}: {e}"))
            })?;
            let metrics = match metrics_listen {
                Some(at) => Some(tokio::net::TcpListener::bind(&at).await.map_err(|e| {
                    ServerError::Config(format!("não foi possível ouvir em {at} (métricas): {e}"))
                })?),
                None => None,
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let address = format!("{scheme}://{}", listener.local_addr()?);
            // On stdout for whoever started it (scripts and tests read it), and in the log.
            say(&format!("esv-server: ouvindo em {address}"));
            tracing::info!(address = address.as_str(), "ouvindo");
            // The figures are served until the API stops (then the task is dropped).
            let metrics = match metrics {
                Some(listener) => {
                    let at = format!("http://{}/metrics", listener.local_addr()?);
                    say(&format!("esv-server: métricas em {at}"));
                    tracing::info!(address = at.as_str(), "métricas");
                    let never = std::future::pending::<()>();
                    Some(tokio::spawn(esv_server::metrics::serve(listener, never)))
                }
                None => None,
            };
            let shutdown = async move {
                let signal = stop.await;
                tracing::info!(signal = %signal, "parando: terminando os pedidos em andamento");
            };
            let served = db.clone();
            let stopped = match tls {
                Some(tls) => {
                    let listener = esv_server::tls::TlsListener::new(listener, tls)?;
                    esv_server::serve_on(listener, served, clock, settings, shutdown).await
                }
                None => esv_server::serve_on(listener, served, clock, settings, shutdown).await,
            };
            match stopped.cut {
                0 => {}
                1 => tracing::warn!(
                    cut = 1,
                    "1 conexão ainda ocupada após {shutdown_grace} s foi cortada"
                ),
                n => tracing::warn!(
                    cut = n,
                    "{n} conexões ainda ocupadas após {shutdown_grace} s foram cortadas"
                ),
            }
            if let Some(task) = metrics {
                task.abort();
            }
            db.close().await?;
            tracing::info!("parado");
        }
        Command::Office(OfficeCommand::Add { id, name }) => {
            admin::add_office(&db, &id, &name).await?;
            println!("escritório {id} criado");
        }
        Command::Office(OfficeCommand::List) => {
            for o in admin::offices(&db).await? {
                println!("{}\t{}", o.id, o.name);
            }
        }
        Command::User(UserCommand::Add {
            username,
            office,
            role,
        }) => {
            let role = Role::parse(&role).ok_or_else(|| {
                ServerError::BadRequest(format!(
                    "papel desconhecido {role:?}: use coordinator, staff ou field-worker"
                ))
            })?;
            admin::add_user(&db, &username, &office, role, &password()?).await?;
            println!("usuário {username} criado em {office} ({})", role.as_str());
        }
        Command::User(UserCommand::Passwd { username }) => {
            admin::set_password(&db, &username, &password()?).await?;
            println!("senha de {username} alterada");
        }
        Command::User(UserCommand::List) => {
            for u in admin::users(&db).await? {
                let state = if u.disabled_at.is_some() {
                    "desativada"
                } else {
                    "ativa"
                };
                println!(
                    "{}\t{}\t{}\t{state}\t{}",
                    u.username,
                    u.office,
                    u.role.as_str(),
                    u.display_name.as_deref().unwrap_or("-")
                );
            }
        }
        Command::Device(DeviceCommand::List) => {
            for d in admin::devices(&db).await? {
                let state = match (&d.revoked_at, &d.retire_at, &d.last_seen) {
                    (Some(at), _, _) => format!("revogado em {at}"),
                    (None, Some(until), _) => format!("conta desativada: envia até {until}"),
                    (None, None, Some(seen)) => format!("visto em {seen}"),
                    (None, None, None) => "nunca sincronizou".to_owned(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{state}",
                    d.id,
                    d.office,
                    d.role.as_str(),
                    d.username.as_deref().unwrap_or("-"),
                    d.name
                );
            }
        }
        Command::Erase {
            office,
            subject,
            scope,
        } => {
            let erased = admin::erase(&db, &office, &scope, &subject, &clock).await?;
            println!(
                "dados de {} apagados de {} (posição {})",
                erased.subject, erased.stream, erased.seq
            );
        }
        Command::Doc(DocCommand::List { prefix }) => {
            for d in db.docs(prefix.as_deref()).await? {
                println!(
                    "{}\t{}\t{} alterações\t{} bytes",
                    d.doc_id, d.stream, d.changes, d.bytes
                );
            }
            for r in db.removed_docs().await? {
                println!(
                    "{}\t{}\tremovido em {}: {}",
                    r.doc_id, r.stream, r.removed_at, r.reason
                );
            }
        }
        Command::Doc(DocCommand::Remove { doc_id, reason }) => {
            if reason.trim().is_empty() {
                return Err(ServerError::BadRequest(
                    "diga por que o documento é removido (--reason)".into(),
                ));
            }
            if !db
                .remove_doc(&doc_id, reason.trim(), &clock.stamp())
                .await?
            {
                return Err(ServerError::BadRequest(format!(
                    "o documento {doc_id} não está no servidor"
                )));
            }
            println!("documento {doc_id} removido");
        }
        Command::Backup { .. } | Command::Restore { .. } => {}
        Command::Device(DeviceCommand::Revoke { id }) => {
            admin::revoke_device(&db, &id, &clock).await?;
            println!("aparelho {id} revogado");
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let cli = match with_file(cli, &matches) {
        Ok(cli) => cli,
        Err(e) => {
            esv_server::log::init(esv_server::log::Format::Text, std::io::stderr);
            tracing::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let format = esv_server::log::Format::parse(&cli.log_format).unwrap_or_default();
    esv_server::log::init(format, std::io::stderr);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

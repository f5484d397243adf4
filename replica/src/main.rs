//! `esv`: the store from the command line — search, show, open-now, holidays, rights — for
//! scripting, debugging and checking from outside. Same store file as the app by default.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use esv_replica::{paths, Store};
use esv_shared::clock::Clock;
use esv_shared::domain::{Category, Uf};
use esv_shared::holidays;
use esv_shared::hours::label;
use esv_shared::ipc::SearchRequest;
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "esv",
    version,
    about = "Escritório Social Virtual: o catálogo e seus direitos, na linha de comando"
)]
struct Cli {
    /// The store file (default: $ESV_STORE, else the app's data directory).
    #[arg(long, global = true)]
    store: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The PIN of a store protected by PIN (default: $ESV_PIN); with `pin set`, the new PIN.
    #[arg(long, global = true)]
    pin: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Search services (accents, synonyms and typos are understood).
    Search {
        text: String,
        /// Only this category (documents, health, work-income, social-assistance, food,
        /// housing, legal, education, family).
        #[arg(long)]
        category: Option<String>,
        /// Only places open at that instant.
        #[arg(long)]
        open_now: bool,
        /// The instant, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Everything about one service or office.
    Show {
        id: String,
        #[arg(long)]
        at: Option<String>,
    },
    /// Which services are open at an instant.
    OpenNow {
        #[arg(long)]
        at: Option<String>,
        /// List every service, not only the open ones.
        #[arg(long)]
        all: bool,
    },
    /// Public holidays of a year: national, and state/municipal when asked.
    Holidays {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        uf: Option<String>,
        /// IBGE municipality code (7 digits); its holidays come from the catalog.
        #[arg(long)]
        municipio: Option<u32>,
    },
    /// Rights articles: the list, or one article.
    Rights { id: Option<String> },
    /// What the store holds and when it was last updated.
    Status,
    /// Rebuild every projection from the documents.
    Rebuild,
    /// Register this device anonymously with an office (to send requests).
    Register {
        #[arg(long)]
        server: String,
        #[arg(long)]
        office: String,
    },
    /// Sign this device in with a staff account (password from $ESV_PASSWORD or stdin).
    Login {
        #[arg(long)]
        server: String,
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "esv")]
        device_name: String,
    },
    /// Send this device's changes and receive the office's. Without an account, pulls the
    /// public catalog from --server.
    Sync {
        #[arg(long)]
        server: Option<String>,
        /// Try again this many times (with growing, jittered waits) when the network fails.
        #[arg(long, default_value_t = 0)]
        retry: u32,
    },
    /// Documents edited at the same time on two devices, and which fields (for staff to check).
    Conflicts,
    /// Set the weekly hours of an office or service (staff): "seg-sex 08:00-17:00; sab 8h-12h".
    Hours { id: String, weekly: String },
    /// Who answers for the office's personal data, as its consent term names them: the
    /// controlador and the encarregado with a contact (LGPD art. 41; staff).
    DataProtection {
        office: String,
        #[arg(long)]
        controller: Option<String>,
        #[arg(long)]
        dpo: Option<String>,
        #[arg(long)]
        contact: Option<String>,
        /// Remove them (the term then asks the person to ask the office).
        #[arg(long)]
        clear: bool,
    },
    /// Close an office or service on a date, or give it special hours that day (staff).
    Closure {
        id: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        reason: Option<String>,
        /// Special hours instead of closed all day: "08:00-12:00".
        #[arg(long)]
        hours: Option<String>,
        /// Remove the closure or special hours of that date.
        #[arg(long)]
        remove: bool,
    },
    /// Announce a job, course or workshop of an office, with a deadline (staff).
    Opportunity {
        id: String,
        #[arg(long)]
        office: String,
        /// vaga, curso or oficina.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        description: String,
        /// Last day to apply, AAAA-MM-DD.
        #[arg(long)]
        deadline: String,
        /// A requirement ("ensino fundamental"); repeat for more.
        #[arg(long = "requirement")]
        requirements: Vec<String>,
    },
    /// Protect this store with a PIN (encrypt it), or change the PIN.
    Pin {
        #[command(subcommand)]
        action: PinAction,
    },
    /// Erase this device's store, its key file included (staff devices; cannot be undone).
    Wipe {
        #[arg(long)]
        yes: bool,
    },
    /// A citizen's requests to an office, or the office's queue on a staff device.
    Request {
        #[command(subcommand)]
        action: cmd::casework::RequestAction,
    },
    /// Record a busca ativa encounter (needs the person's consent).
    Encounter(Box<cmd::casework::EncounterArgs>),
    /// Start a busca ativa: a place, a date and the team.
    Outreach {
        #[arg(long)]
        office: String,
        #[arg(long)]
        place: String,
        /// AAAA-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// A member of the team; repeat for more.
        #[arg(long = "team")]
        team: Vec<String>,
    },
    /// Search before create: people the office knows by that name.
    People {
        query: String,
        /// AAAA-MM-DD, to tell namesakes apart.
        #[arg(long)]
        birth: Option<String>,
        #[arg(long)]
        mother: Option<String>,
    },
    /// "Pendências": returns, plan goals and referrals due or overdue for the signed-in
    /// account's office, most overdue first.
    Worklist {
        /// The office (default: the signed-in account's).
        #[arg(long)]
        office: Option<String>,
        /// Days a referral waits for its counter-referral before it is due (the office's
        /// setting, kept in the store; 15 when never set).
        #[arg(long)]
        referral_days: Option<u32>,
    },
    /// The office's prison units (unidades prisionais).
    Facility {
        #[command(subcommand)]
        action: cmd::gate::FacilityAction,
    },
    /// The list of people expected to be released: a unit's CSV list, typed names, the
    /// gate's next days, and the erasure of entries nobody met.
    Release {
        #[command(subcommand)]
        action: cmd::gate::ReleaseAction,
    },
    /// A person's rights over their data: a copy of the record, the consent withdrawn.
    Person {
        #[command(subcommand)]
        action: cmd::casework::PersonAction,
    },
    /// Referrals: the counter-referral and the slip the person carries.
    Referral {
        #[command(subcommand)]
        action: cmd::casework::ReferralAction,
    },
    /// Open Referral HSDS: preview or import a bundle into an office's catalog, or export it.
    Hsds {
        #[command(subcommand)]
        action: cmd::hsds::HsdsAction,
    },
    /// What in an office's catalog was not reviewed for six months, oldest first.
    Review {
        #[arg(long)]
        office: String,
        #[arg(long)]
        at: Option<String>,
    },
    /// The office's monthly monitoring report (staff), small counts suppressed.
    Report {
        #[arg(long)]
        office: String,
        /// AAAA-MM, in the office's time zone.
        #[arg(long)]
        month: String,
        /// CSV (UTF-8, semicolons) instead of text tables.
        #[arg(long)]
        csv: bool,
        /// Send it to the office's server for the national roll-up.
        #[arg(long)]
        send: bool,
    },
    /// Opportunities still open for applications.
    Opportunities {
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum PinAction {
    /// Encrypt this store with the PIN given by --pin or $ESV_PIN (6 to 12 digits).
    Set,
    /// Change the PIN: the current one by --pin or $ESV_PIN, the new one here.
    Change {
        #[arg(long)]
        new: String,
    },
}

fn main() -> ExitCode {
    // Names and texts typed on the command line are stored composed (NFC), like the app's.
    let cli = Cli::parse_from(std::env::args_os().map(|arg| match arg.into_string() {
        Ok(text) => esv_replica::entry::composed(&text).into_owned().into(),
        Err(raw) => raw,
    }));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("erro: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The command's clock: the wall clock, or `ESV_NOW` (RFC 3339) when it is set, read once.
fn clock() -> Result<&'static Clock, String> {
    static CLOCK: std::sync::OnceLock<Result<Clock, String>> = std::sync::OnceLock::new();
    CLOCK
        .get_or_init(|| Clock::from_setting(Utc::now, std::env::var("ESV_NOW").ok().as_deref()))
        .as_ref()
        .map_err(Clone::clone)
}

/// Now, by the command's [`clock`].
pub(crate) fn now() -> DateTime<Utc> {
    clock().map_or_else(|_| Utc::now(), Clock::now)
}

fn instant(at: Option<&str>) -> Result<DateTime<Utc>, String> {
    match at {
        None => Ok(now()),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| format!("data e hora inválida {text:?}; use RFC 3339, por exemplo 2026-11-24T10:00:00-03:00")),
    }
}

/// What `esv status` shows: the store, and the documents a sync keeps aside.
#[derive(Serialize)]
struct StatusOut {
    #[serde(flatten)]
    store: esv_shared::ipc::StoreStatus,
    quarantined: Vec<esv_replica::sync::Quarantined>,
}

fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) -> Result<(), String> {
    if json {
        let out = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
        println!("{out}");
    } else {
        print!("{}", text());
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), String> {
    clock()?;
    let path = cli.store.clone().unwrap_or_else(paths::default_store);
    let json = cli.json;
    // Holidays need no store.
    if let Command::Holidays {
        year,
        uf,
        municipio,
    } = &cli.command
    {
        return holidays_cmd(json, *year, uf.as_deref(), *municipio, &path);
    }
    let pin = cmd::vault::given_pin(cli.pin.as_deref())?;
    match &cli.command {
        Command::Pin {
            action: PinAction::Set,
        } => return print_out(cmd::vault::set(&path, pin.as_ref())?),
        Command::Pin {
            action: PinAction::Change { new },
        } => return print_out(cmd::vault::change(&path, pin.as_ref(), new)?),
        Command::Wipe { yes } => return print_out(cmd::vault::wipe(&path, *yes)?),
        _ => {}
    }
    let (mut store, notice) = cmd::vault::open(&path, pin.as_ref())?;
    if let Some(notice) = notice {
        eprintln!("aviso: {}", notice.message());
    }
    let err = |e: esv_replica::ReplicaError| e.to_string();
    match cli.command {
        Command::Search {
            text,
            category,
            open_now,
            at,
            limit,
        } => {
            let category = category
                .map(|c| {
                    Category::from_slug(&c).ok_or_else(|| format!("categoria desconhecida {c:?}"))
                })
                .transpose()?;
            let now = instant(at.as_deref())?;
            let request = SearchRequest {
                text,
                category,
                open_now_only: open_now,
                limit: Some(limit),
                ..Default::default()
            };
            let cards = store.search(&request, now).map_err(err)?;
            print(json, &cards, || {
                if cards.is_empty() {
                    return "Nada encontrado.\n".to_owned();
                }
                cards
                    .iter()
                    .map(|c| format!("{}\t{} — {} [{}]\n", c.id, c.name, c.provider, c.open.text))
                    .collect()
            })
        }
        Command::Show { id, at } => {
            let now = instant(at.as_deref())?;
            let d = store.service_detail(&id, now).map_err(err)?;
            print(json, &d, || {
                let mut out = format!(
                    "{}\n{}\n{}\n\n{}\n",
                    d.name, d.provider, d.open.text, d.description
                );
                if let Some(a) = &d.address {
                    out += &format!("\nEndereço: {}\nMapa: {}\n", a.lines.join(", "), a.maps_url);
                }
                for p in &d.phones {
                    out += &format!("Telefone: {} ({})\n", p.display, p.tel_url);
                }
                if let Some(e) = &d.email {
                    out += &format!("E-mail: {e}\n");
                }
                if !d.hours.is_empty() {
                    out += &format!("\nHorário — {}\n", d.hours_tz_label);
                    for row in &d.hours {
                        out += &format!("  {:<14} {}\n", row.day, row.hours);
                    }
                }
                for c in &d.next_closures {
                    out += &format!("  {}: {}\n", c.date_label, c.reason);
                }
                out += &format!("\n{}\n", d.reviewed_label);
                out
            })
        }
        Command::OpenNow { at, all } => {
            let now = instant(at.as_deref())?;
            let request = SearchRequest {
                text: String::new(),
                category: None,
                open_now_only: !all,
                limit: Some(u32::MAX),
                ..Default::default()
            };
            let cards = store.search(&request, now).map_err(err)?;
            print(json, &cards, || {
                cards
                    .iter()
                    .map(|c| format!("{}\t{} [{}]\n", c.id, c.name, c.open.text))
                    .collect()
            })
        }
        Command::Rights { id: None } => {
            let list = store.rights_list().map_err(err)?;
            print(json, &list, || {
                list.iter()
                    .map(|a| format!("{}\t{} ({})\n", a.id, a.title, a.group_label))
                    .collect()
            })
        }
        Command::Rights { id: Some(id) } => {
            let a = store.rights_article(&id, now()).map_err(err)?;
            print(json, &a, || {
                let sources: Vec<String> = a
                    .sources
                    .iter()
                    .map(|s| format!("- {}", s.citation))
                    .collect();
                format!(
                    "{}\n\n{}\n\nFontes:\n{}\n{}\n\n{}\n",
                    a.title,
                    a.body.join("\n\n"),
                    sources.join("\n"),
                    a.reviewed_label,
                    a.disclaimer
                )
            })
        }
        Command::Status => {
            let status = StatusOut {
                store: store.status().map_err(err)?,
                quarantined: store.quarantined().map_err(err)?,
            };
            print(json, &status, || {
                let held = cmd::sync::held_lines(&status.quarantined);
                let status = &status.store;
                let mut out = format!(
                    "Arquivo: {}\nCatálogo: {}\n{}\nServiços: {}\nArtigos de direitos: {}\n",
                    store.path().display(),
                    status.catalog_version,
                    status.updated_label,
                    status.services,
                    status.articles
                );
                out += &sync_status(&store);
                out += &held;
                out
            })
        }
        Command::Rebuild => {
            let n = store.rebuild_projections().map_err(err)?;
            print(json, &n, || format!("{n} documentos projetados de novo.\n"))
        }
        Command::Register { server, office } => {
            let out = cmd::sync::register(&store, &server, &office)?;
            print(json, &store.account().map_err(err)?, || out)
        }
        Command::Login {
            server,
            user,
            device_name,
        } => {
            let out = cmd::sync::login(&store, &server, &user, &device_name)?;
            print(
                json,
                &store.account().map_err(err)?.map(|a| a.session.role),
                || out,
            )
        }
        Command::Sync { server, retry } => {
            let report = cmd::sync::run(&mut store, server.as_deref(), retry, json)?;
            print(json, &report, || {
                let mut out = format!(
                    "Sincronizado: {} alterações enviadas ({} novas), {} recebidas, {} documentos atualizados.\n",
                    report.accepted + report.duplicates,
                    report.accepted,
                    report.pulled,
                    report.changed_docs
                );
                if !report.removed_docs.is_empty() {
                    out += &format!(
                        "{} documento(s) retirado(s) pelo administrador do servidor (não serão mais enviados): {}\n",
                        report.removed_docs.len(),
                        report.removed_docs.join(", ")
                    );
                }
                out
            })
        }
        Command::Conflicts => {
            let mut found = Vec::new();
            for (doc_id, _) in store.document_ids().map_err(err)? {
                let fields = store.conflicts(&doc_id).map_err(err)?;
                if !fields.is_empty() {
                    found.push((doc_id, fields));
                }
            }
            print(json, &found, || {
                if found.is_empty() {
                    return "Nenhum conflito.\n".to_owned();
                }
                found
                    .iter()
                    .map(|(doc, fields)| {
                        format!("{doc}: editado ao mesmo tempo em dois aparelhos ({}); confira o valor que ficou\n", fields.join(", "))
                    })
                    .collect()
            })
        }
        Command::Hours { id, weekly } => {
            let out = cmd::edit::hours(&mut store, &id, &weekly)?;
            print(json, &true, || out)
        }
        Command::DataProtection {
            office,
            controller,
            dpo,
            contact,
            clear,
        } => {
            let protection = if clear {
                None
            } else {
                Some(esv_shared::domain::DataProtection {
                    controller: controller.unwrap_or_default(),
                    dpo: dpo.unwrap_or_default(),
                    dpo_contact: contact.unwrap_or_default(),
                })
            };
            let out = cmd::edit::data_protection(&mut store, &office, protection)?;
            print(json, &true, || out)
        }
        Command::Opportunity {
            id,
            office,
            kind,
            title,
            description,
            deadline,
            requirements,
        } => {
            let out = cmd::edit::opportunity(
                &mut store,
                cmd::edit::OpportunityArgs {
                    id: &id,
                    office: &office,
                    kind: &kind,
                    title: &title,
                    description: &description,
                    deadline: &deadline,
                    requirements: &requirements,
                },
            )?;
            print!("{out}");
            Ok(())
        }
        Command::Request { action } => {
            print!("{}", cmd::casework::request(&mut store, action, now())?);
            Ok(())
        }
        Command::Encounter(args) => {
            print!("{}", cmd::casework::encounter(&mut store, *args, now())?);
            Ok(())
        }
        Command::Outreach {
            office,
            place,
            date,
            team,
        } => {
            let date = match date {
                Some(d) => d
                    .parse()
                    .map_err(|_| format!("data inválida {d:?}; use AAAA-MM-DD"))?,
                None => now().date_naive(),
            };
            let o = store
                .create_outreach(&office, &place, date, &team, now())
                .map_err(err)?;
            println!("Busca ativa {} em {} ({}).", o.id, o.place, o.date);
            Ok(())
        }
        Command::People {
            query,
            birth,
            mother,
        } => {
            print!(
                "{}",
                cmd::casework::people(&mut store, &query, birth.as_deref(), mother.as_deref())?
            );
            Ok(())
        }
        Command::Worklist {
            office,
            referral_days,
        } => {
            if let Some(days) = referral_days {
                store.set_referral_days(days).map_err(err)?;
            }
            let view = match office {
                Some(office) => store.worklist(&office, now()),
                None => store.worklist_view(now()),
            }
            .map_err(err)?;
            print(json, &view, || {
                let mut out = String::new();
                for i in &view.items {
                    out.push_str(&format!(
                        "{}  {} · {} · {}\n",
                        i.person_id, i.person_name, i.what, i.since_label
                    ));
                }
                if view.items.is_empty() {
                    out.push_str("Nada vencido hoje.\n");
                } else if view.total > view.items.len() {
                    out.push_str(&format!(
                        "(as {} mais atrasadas de {})\n",
                        view.items.len(),
                        view.total
                    ));
                }
                out
            })
        }
        Command::Facility { action } => {
            print!("{}", cmd::gate::facility(&mut store, action, now())?);
            Ok(())
        }
        Command::Release { action } => {
            print!("{}", cmd::gate::release(&mut store, action, now())?);
            Ok(())
        }
        Command::Person { action } => {
            print!("{}", cmd::casework::person(&mut store, action, now())?);
            Ok(())
        }
        Command::Referral { action } => {
            print!("{}", cmd::casework::referral(&mut store, action, now())?);
            Ok(())
        }
        Command::Hsds { action } => {
            print!("{}", cmd::hsds::hsds(&mut store, action, json, now())?);
            Ok(())
        }
        Command::Review { office, at } => {
            let now = instant(at.as_deref())?;
            print!("{}", cmd::hsds::review(&store, &office, json, now)?);
            Ok(())
        }
        Command::Report {
            office,
            month,
            csv,
            send,
        } => {
            let format = match (csv, json) {
                (true, _) => cmd::report::Format::Csv,
                (false, true) => cmd::report::Format::Json,
                _ => cmd::report::Format::Text,
            };
            print!(
                "{}",
                cmd::report::run(&mut store, &office, &month, format, send, now())?
            );
            Ok(())
        }
        Command::Opportunities { at } => {
            let list = store.opportunities(instant(at.as_deref())?).map_err(err)?;
            print(json, &list, || {
                if list.is_empty() {
                    return "Nenhuma oportunidade com inscrições abertas.\n".to_owned();
                }
                list.iter()
                    .map(|o| {
                        format!(
                            "{}\t{}: {}\t{}\t{}\n",
                            o.id, o.kind_label, o.title, o.office, o.deadline_label
                        )
                    })
                    .collect()
            })
        }
        Command::Closure {
            id,
            date,
            reason,
            hours,
            remove,
        } => {
            let out = cmd::edit::closure(
                &mut store,
                &id,
                &date,
                reason.as_deref(),
                hours.as_deref(),
                remove,
            )?;
            print(json, &true, || out)
        }
        Command::Holidays { .. } | Command::Pin { .. } | Command::Wipe { .. } => Ok(()),
    }
}

fn print_out(out: String) -> Result<(), String> {
    print!("{out}");
    Ok(())
}

fn holidays_cmd(
    json: bool,
    year: i32,
    uf: Option<&str>,
    municipio: Option<u32>,
    path: &std::path::Path,
) -> Result<(), String> {
    if !(1900..=2200).contains(&year) {
        return Err(format!(
            "ano fora do intervalo: {year} (use entre 1900 e 2200)"
        ));
    }
    let uf = uf
        .map(|u| {
            Uf::from_code(u)
                .ok_or_else(|| format!("UF desconhecida {u:?}; use a sigla, por exemplo ES"))
        })
        .transpose()?;
    let listed = match municipio {
        None => Vec::new(),
        Some(code) => {
            if !(1_000_000..10_000_000).contains(&code) {
                return Err(format!(
                    "código IBGE inválido {code}: tem 7 dígitos, por exemplo 3205309"
                ));
            }
            let (store, _) = Store::open(path).map_err(|e| e.to_string())?;
            store
                .entities(esv_shared::document::DocKind::Office)
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter_map(|e| match e {
                    esv_shared::document::Entity::Office(o)
                        if o.location.municipality_ibge == Some(code) =>
                    {
                        Some(o.municipal_holidays)
                    }
                    _ => None,
                })
                .flatten()
                .collect()
        }
    };
    let list = holidays::for_place(year, uf, municipio.map(|code| (code, listed.as_slice())));
    print(json, &list, || {
        list.iter()
            .map(|h| {
                let kind = label::holiday_reason(esv_shared::locale::Locale::PtBr, h);
                format!("{}\t{}\t{}\n", label::date_short(h.date), kind, h.source)
            })
            .collect()
    })
}

/// "Sincronização: …" lines of `esv status`.
fn sync_status(store: &Store) -> String {
    let account = store.account().ok().flatten();
    let mut out = match &account {
        Some(a) => format!(
            "Conta: {} no escritório {} ({})\n",
            a.session
                .username
                .as_deref()
                .unwrap_or("aparelho de cidadão"),
            a.session.office,
            a.server
        ),
        None => "Conta: nenhuma (só consulta)\n".to_owned(),
    };
    out += &match store.last_sync().ok().flatten() {
        Some(at) => format!(
            "Última sincronização: {}\n",
            at.format("%d/%m/%Y %H:%M UTC")
        ),
        None => "Última sincronização: nunca\n".to_owned(),
    };
    if let Ok(n) = store.outgoing_count() {
        if n > 0 {
            out += &format!("Aguardando envio: {n} documento(s)\n");
        }
    }
    if let Ok(Some(e)) = store.last_sync_error() {
        out += &format!("Último erro: {e}\n");
    }
    out
}

//! `esv register`, `esv login`, `esv sync`: connect this store to an office's sync server and
//! sync it, retrying with backoff when the network fails.

use std::io::BufRead;

use esv_replica::sync::{self, Backoff, Progress};
use esv_replica::{ReplicaError, Store};

pub fn register(store: &Store, server: &str, office: &str) -> Result<String, String> {
    let account = sync::register(store, server, office).map_err(|e| e.to_string())?;
    Ok(format!(
        "Aparelho registrado no escritório {} ({}).\n",
        account.session.office, account.server
    ))
}

pub fn login(store: &Store, server: &str, user: &str, device_name: &str) -> Result<String, String> {
    let password = match std::env::var("ESV_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("não foi possível ler a senha: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let account =
        sync::login(store, server, user, &password, device_name).map_err(|e| e.to_string())?;
    Ok(format!(
        "Conectado como {} ({}) no escritório {}.\n",
        user,
        account.session.role.as_str(),
        account.session.office
    ))
}

/// Syncs; on a network failure waits (exponential backoff with jitter) and tries again, up
/// to `retries` more times.
pub fn run(
    store: &mut Store,
    server: Option<&str>,
    retries: u32,
    quiet: bool,
) -> Result<sync::SyncReport, String> {
    let mut backoff = Backoff::default();
    let mut attempt = 0;
    loop {
        let mut show = |p: Progress| {
            if !quiet && p.rounds > 1 {
                eprintln!("… {} alterações recebidas, {} enviadas", p.pulled, p.pushed);
            }
        };
        match sync::sync(store, server, crate::now(), &mut show) {
            Ok(report) => return Ok(report),
            Err(ReplicaError::Sync(e)) if e.is_transient() && attempt < retries => {
                attempt += 1;
                let delay = backoff.next_delay(Backoff::jitter());
                eprintln!(
                    "aviso: {e}. Nova tentativa em {:.0} s.",
                    delay.as_secs_f64()
                );
                std::thread::sleep(delay);
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The lines of `esv status` about documents a sync brought and keeps aside: "1 documento
/// recebido não pôde ser lido:" and one line per document, with why.
pub fn held_lines(held: &[sync::Quarantined]) -> String {
    let (newer, unreadable): (Vec<_>, Vec<_>) = held
        .iter()
        .partition(|q| q.kind == sync::HeldKind::NewerSchema);
    let mut out = String::new();
    let mut list = |heading: Option<String>, docs: &[&sync::Quarantined]| {
        if let Some(heading) = heading {
            out += &format!("{}:\n", heading.trim_end_matches('.'));
            for q in docs {
                out += &format!(
                    "  {} — {} (desde {})\n",
                    q.doc_id,
                    q.reason,
                    q.since.format("%d/%m/%Y %H:%M UTC")
                );
            }
        }
    };
    let pt = esv_shared::locale::Locale::PtBr;
    list(
        esv_shared::words::held_documents(pt, newer.len(), 0),
        &newer,
    );
    list(
        esv_shared::words::held_documents(pt, 0, unreadable.len()),
        &unreadable,
    );
    out
}

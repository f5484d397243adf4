//! `esv facility …` and `esv release …`: the office's prison units and its list of people
//! expected at the gate, from the command line, through the same store API as the app.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use esv_replica::Store;
use esv_shared::ipc::gate::{FacilityInput, ReleaseInput};

fn err(e: esv_replica::ReplicaError) -> String {
    e.to_string()
}

#[derive(Debug, Subcommand)]
pub enum FacilityAction {
    /// The office's prison units.
    List,
    /// Add a unit (staff), or rename one with --id.
    Save {
        name: String,
        #[arg(long, default_value = "")]
        municipality: String,
        #[arg(long)]
        id: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReleaseAction {
    /// Read a unit's list (CSV: nome;data_prevista;unidade[;data_nascimento;nome_mae]; staff).
    Import { file: PathBuf },
    /// Type one person into the list.
    Add {
        #[arg(long)]
        name: String,
        /// DD/MM/AAAA or AAAA-MM-DD.
        #[arg(long)]
        date: String,
        /// The unit's id or name.
        #[arg(long)]
        unit: String,
        #[arg(long, default_value = "")]
        birth: String,
        #[arg(long, default_value = "")]
        mother: String,
    },
    /// Who is expected at the gates from today (nobody met yet).
    List {
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// Erase, on the server and here, entries nobody met a month after their day (staff).
    Purge,
}

pub fn facility(
    store: &mut Store,
    action: FacilityAction,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let units = match action {
        FacilityAction::List => store.prison_facilities_view().map_err(err)?,
        FacilityAction::Save {
            name,
            municipality,
            id,
        } => store
            .facility_save_view(
                &FacilityInput {
                    id,
                    name,
                    municipality,
                },
                now,
            )
            .map_err(err)?,
    };
    if units.is_empty() {
        return Ok(
            "O escritório ainda não tem unidades prisionais (esv facility save NOME).\n".into(),
        );
    }
    Ok(units
        .iter()
        .map(|u| format!("{}  {} ({})\n", u.id, u.name, u.municipality))
        .collect())
}

pub fn release(
    store: &mut Store,
    action: ReleaseAction,
    now: DateTime<Utc>,
) -> Result<String, String> {
    match action {
        ReleaseAction::Import { file } => {
            let meta = std::fs::metadata(&file)
                .map_err(|e| format!("não foi possível ler {}: {e}", file.display()))?;
            if meta.len() > esv_shared::release::MAX_LIST_BYTES as u64 {
                return Err(format!(
                    "{} tem mais de {} KiB: divida a lista em partes menores.",
                    file.display(),
                    esv_shared::release::MAX_LIST_BYTES / 1024
                ));
            }
            let bytes = std::fs::read(&file)
                .map_err(|e| format!("não foi possível ler {}: {e}", file.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                format!(
                    "{} não está em UTF-8: salve a planilha como \"CSV UTF-8\".",
                    file.display()
                )
            })?;
            let done = store.releases_import_view(&text, now).map_err(err)?;
            let mut out = format!("{}\n", done.message);
            for p in &done.problems {
                out.push_str(&format!("  {}\n", p.message));
            }
            Ok(out)
        }
        ReleaseAction::Add {
            name,
            date,
            unit,
            birth,
            mother,
        } => {
            let e = store
                .release_add_view(
                    &ReleaseInput {
                        name,
                        release_date: date,
                        facility: unit,
                        birth_date: birth,
                        mother_name: mother,
                    },
                    now,
                )
                .map_err(err)?;
            Ok(format!(
                "{}  {} · {} · {}\n",
                e.id, e.name, e.facility, e.when_label
            ))
        }
        ReleaseAction::List { days } => {
            let office = store.prison_facilities_view().and_then(|_| {
                let account = store
                    .account()?
                    .ok_or(esv_replica::sync::SyncError::NotSignedIn)?;
                Ok(account.session.office)
            });
            let expected = store
                .gate_ahead(&office.map_err(err)?, days, now)
                .map_err(err)?;
            if expected.is_empty() {
                return Ok("Ninguém esperado na porta nesses dias.\n".into());
            }
            Ok(expected
                .iter()
                .map(|e| format!("{}  {} · {} · {}\n", e.id, e.name, e.facility, e.when_label))
                .collect())
        }
        ReleaseAction::Purge => {
            let n = store.releases_purge(now).map_err(err)?;
            Ok(format!(
                "{n} entradas de pessoas não encontradas foram apagadas.\n"
            ))
        }
    }
}

//! `esv hsds preview|import|export <dir> --office X` and `esv review --office X`: the office
//! console's Open Referral HSDS import and export, and the catalog's "needs review" list.

use std::fmt::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use esv_replica::hsds::{Bundle, ImportPlan};
use esv_replica::{ReplicaError, Store};

#[derive(Subcommand)]
pub enum HsdsAction {
    /// What importing a bundle (a directory of CSV files, or a .json file) would change.
    Preview {
        path: PathBuf,
        #[arg(long)]
        office: String,
    },
    /// Import the good rows of a bundle (staff and coordinators of the office only).
    Import {
        path: PathBuf,
        #[arg(long)]
        office: String,
    },
    /// Write the office's catalog as CSV files and services.json into a directory.
    Export {
        dir: PathBuf,
        #[arg(long)]
        office: String,
    },
}

fn err(e: ReplicaError) -> String {
    e.to_string()
}

/// Runs one `esv hsds` action; the text to print, or the plan as JSON.
pub fn hsds(
    store: &mut Store,
    action: HsdsAction,
    json: bool,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let (plan, imported) = match action {
        HsdsAction::Preview { path, office } => {
            let bundle = Bundle::read(&path).map_err(err)?;
            (
                store.hsds_preview(&office, &bundle, now).map_err(err)?,
                false,
            )
        }
        HsdsAction::Import { path, office } => {
            let bundle = Bundle::read(&path).map_err(err)?;
            (store.hsds_import(&office, &bundle, now).map_err(err)?, true)
        }
        HsdsAction::Export { dir, office } => {
            let export = store.hsds_export(&office).map_err(err)?;
            export.write_to(&dir).map_err(err)?;
            return Ok(format!(
                "{} serviços exportados em {} ({} arquivos).\n",
                export.services,
                dir.display(),
                export.files.len()
            ));
        }
    };
    if json {
        return serde_json::to_string_pretty(&plan)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string());
    }
    Ok(plan_text(&plan, imported))
}

fn plan_text(plan: &ImportPlan, imported: bool) -> String {
    let mut out = String::new();
    let verb = if imported { "" } else { "seriam " };
    let list = |out: &mut String, title: &str, items: &[esv_replica::hsds::Item]| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(out, "{title} ({}):", items.len());
        for i in items {
            let _ = writeln!(out, "  {} {}: {}", i.kind.label(), i.id, i.name);
        }
    };
    list(&mut out, &format!("{verb}incluídos"), &plan.added);
    list(&mut out, &format!("{verb}alterados"), &plan.changed);
    list(&mut out, &format!("{verb}retirados"), &plan.removed);
    let _ = writeln!(out, "sem mudança: {}", plan.unchanged);
    if !plan.rejected.is_empty() {
        let _ = writeln!(out, "linhas recusadas ({}):", plan.rejected.len());
        for r in &plan.rejected {
            let _ = writeln!(out, "  {r}");
        }
    }
    for n in &plan.notes {
        let _ = writeln!(out, "nota: {n}");
    }
    if imported {
        let _ = writeln!(
            out,
            "Importado: {} documentos do catálogo gravados; serão enviados na próxima sincronização.",
            plan.written
        );
    }
    out
}

/// `esv review --office X`: what was not reviewed for six months, oldest first.
pub fn review(
    store: &Store,
    office: &str,
    json: bool,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let items = store.needs_review(office, now).map_err(err)?;
    if json {
        return serde_json::to_string_pretty(&items)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string());
    }
    if items.is_empty() {
        return Ok("Nada a revisar: tudo foi confirmado nos últimos seis meses.\n".to_owned());
    }
    let mut out = String::new();
    for i in &items {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}",
            i.kind.label(),
            i.id,
            i.name,
            i.reason
        );
    }
    Ok(out)
}

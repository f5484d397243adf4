//! `esv request …`, `esv encounter`, `esv people`, `esv person …`, `esv referral …`: a
//! citizen's requests, an office's busca ativa and a person's rights over their data from the
//! command line, through the same store API as the app.

use std::fmt::Write;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::requests::{NewRequest, RequestRow};
use esv_replica::{ReplicaError, Store};
use esv_shared::locale::Locale;
use esv_shared::matching::PersonKey;
use esv_shared::people::{CivilDocument, ConsentForm, Need, Origin, Race, ReferralStatus, Stage};
use esv_shared::requests::{Party, RequestKind, RequestStatus};
use esv_shared::sync::Role;

#[derive(Subcommand)]
pub enum RequestAction {
    /// Write a request to an office (kept until sync sends it).
    New {
        #[arg(long)]
        office: String,
        /// appointment, documents, work-or-course, legal, other.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        text: String,
        /// Only if the person wants: the name to be called by.
        #[arg(long)]
        name: Option<String>,
        /// Only if the person wants a call back: phone or WhatsApp.
        #[arg(long)]
        contact: Option<String>,
        #[arg(long)]
        service: Option<String>,
    },
    /// The requests on this device (a citizen's own, or the office's queue).
    List,
    /// One request and its timeline (on a staff device, marks it received).
    Show { id: String },
    /// Answer a request; staff may also change its status (in-progress, done, cancelled).
    Reply {
        id: String,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        status: Option<String>,
    },
    /// Cancel a request.
    Cancel { id: String },
}

/// What a field worker records about one encounter.
#[derive(Args)]
pub struct EncounterArgs {
    #[arg(long)]
    office: String,
    /// A person already known (from `esv people`); otherwise a new one is recorded.
    #[arg(long)]
    person: Option<String>,
    /// The entry of the gate's list the person is met from (`esv release list`).
    #[arg(long)]
    from_list: Option<String>,
    /// Nome social (the name the person wants to be called).
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    civil_name: Option<String>,
    /// AAAA-MM-DD.
    #[arg(long)]
    birth: Option<String>,
    #[arg(long)]
    mother: Option<String>,
    #[arg(long)]
    contact: Option<String>,
    /// pre-release, released, family.
    #[arg(long)]
    stage: Option<String>,
    /// branca, preta, parda, amarela, indigena, nao-declarada.
    #[arg(long)]
    race: Option<String>,
    /// How the person reached the office: porta-de-saida, justica, rede, familia,
    /// por-conta-propria.
    #[arg(long)]
    origin: Option<String>,
    /// In the person's own words.
    #[arg(long)]
    gender: Option<String>,
    /// A document the person lacks: cin, cpf, titulo, ctps, certidao; repeat for more.
    #[arg(long = "lacks")]
    lacks: Vec<String>,
    /// How the person consented today: falado, assinado, no-aparelho.
    #[arg(long)]
    consent: Option<String>,
    /// A need (documentacao, saude, saude-mental, alcool-drogas, trabalho, educacao,
    /// assistencia, moradia, alimentacao, juridica, familia, transporte); repeat for more.
    #[arg(long = "need")]
    needs: Vec<String>,
    /// Refer to a catalog service (its id); repeat for more.
    #[arg(long = "refer")]
    refer: Vec<String>,
    #[arg(long)]
    outreach: Option<String>,
    /// AAAA-MM-DD.
    #[arg(long)]
    follow_up: Option<String>,
    #[arg(long, default_value = "")]
    notes: String,
    /// Who recorded it (default: the signed-in account).
    #[arg(long)]
    staff: Option<String>,
}

#[derive(Subcommand)]
pub enum ReferralAction {
    /// Record what came back (contrarreferência): atendido, nao-atendido, sem-retorno.
    Outcome {
        id: String,
        #[arg(long)]
        status: String,
        #[arg(long)]
        text: Option<String>,
    },
    /// The guia de encaminhamento: its text, and as PDF and QR code (SVG) files.
    Slip {
        id: String,
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        qr: Option<PathBuf>,
    },
}

/// `esv person`: the person's rights over their data (LGPD art. 18).
#[derive(Debug, clap::Subcommand)]
pub enum PersonAction {
    /// A copy of the whole record to hand the person: a PDF to read and a JSON file to keep or
    /// take elsewhere (both written 0600: they hold the person's data).
    Copy {
        id: String,
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Withdraw the person's consent: nothing new is kept about them; the record stays.
    WithdrawConsent { id: String },
}

/// Writes `bytes` to a new file only its owner reads.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    let said = |e: std::io::Error| format!("não foi possível gravar {}: {e}", path.display());
    let mut file = esv_replica::files::create_private(path).map_err(said)?;
    file.write_all(bytes).map_err(said)?;
    file.sync_all().map_err(said)
}

pub fn person(
    store: &mut Store,
    action: PersonAction,
    now: DateTime<Utc>,
) -> Result<String, String> {
    match action {
        PersonAction::Copy { id, pdf, json } => {
            let copy = store.person_copy(&id, now).map_err(err)?;
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&copy.pdf_base64)
                .map_err(|e| e.to_string())?;
            let mut out = String::new();
            if let Some(path) = pdf {
                write_private(&path, &bytes)?;
                out.push_str(&format!("PDF: {}\n", path.display()));
            }
            if let Some(path) = json {
                write_private(&path, copy.json.as_bytes())?;
                out.push_str(&format!("JSON: {}\n", path.display()));
            }
            if out.is_empty() {
                out = format!("{}\n", copy.json);
            }
            Ok(out)
        }
        PersonAction::WithdrawConsent { id } => {
            let view = store.consent_withdraw(&id, now).map_err(err)?;
            Ok(format!("{}: {}\n", view.name, view.consent_label))
        }
    }
}

fn err(e: ReplicaError) -> String {
    e.to_string()
}

fn parse<T>(what: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
    parse(value).ok_or_else(|| format!("{what} desconhecido: {value:?}"))
}

fn date(value: &str) -> Result<NaiveDate, String> {
    value
        .parse()
        .map_err(|_| format!("data inválida {value:?}; use AAAA-MM-DD"))
}

/// The signed-in account's role and username, if any.
fn account(store: &Store) -> (Option<Role>, Option<String>) {
    match store.account() {
        Ok(Some(a)) => (Some(a.session.role), a.session.username),
        _ => (None, None),
    }
}

fn request_text(row: &RequestRow) -> String {
    let r = &row.request;
    let mut out = format!(
        "{}  {}  [{}]{}\n  {}\n",
        r.id,
        r.kind.label(Locale::PtBr),
        row.status().label(Locale::PtBr),
        if row.pending && !row.unsent {
            " (há partes ainda não enviadas)"
        } else {
            ""
        },
        r.text
    );
    for e in r.sorted_events() {
        let who = match e.by {
            Party::Citizen => "Você".to_owned(),
            Party::Office => format!(
                "Escritório{}",
                e.author
                    .as_deref()
                    .map(|a| format!(" ({a})"))
                    .unwrap_or_default()
            ),
        };
        let _ = write!(out, "  {} · {who}", e.at.format("%d/%m %H:%M"));
        if let Some(s) = e.status {
            let _ = write!(out, " · {}", s.label(Locale::PtBr));
        }
        if let Some(t) = &e.text {
            let _ = write!(out, ": {t}");
        }
        out.push('\n');
    }
    out
}

pub fn request(
    store: &mut Store,
    action: RequestAction,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let (role, username) = account(store);
    let staff = matches!(role, Some(r) if r != Role::Citizen);
    match action {
        RequestAction::New {
            office,
            kind,
            text,
            name,
            contact,
            service,
        } => {
            let kind = parse("tipo de pedido", &kind, RequestKind::parse)?;
            let r = store
                .create_request(
                    &NewRequest {
                        office_id: office,
                        kind: Some(kind),
                        text,
                        name,
                        contact,
                        service_id: service,
                    },
                    now,
                )
                .map_err(err)?;
            Ok(format!(
                "Pedido {} guardado. {}.\n",
                r.id,
                RequestStatus::Waiting.label(Locale::PtBr)
            ))
        }
        RequestAction::List => {
            let rows = store.requests().map_err(err)?;
            if rows.is_empty() {
                return Ok("Nenhum pedido.\n".into());
            }
            Ok(rows.iter().map(request_text).collect())
        }
        RequestAction::Show { id } => {
            if staff {
                let who = username.as_deref().unwrap_or("escritorio");
                store.receive_request(&id, who, now).map_err(err)?;
            }
            Ok(request_text(&store.request(&id).map_err(err)?))
        }
        RequestAction::Reply { id, text, status } => {
            let status = status
                .map(|s| parse("situação", &s, RequestStatus::parse))
                .transpose()?;
            let (by, author) = if staff {
                (Party::Office, username.as_deref())
            } else {
                (Party::Citizen, None)
            };
            store
                .add_to_request(&id, by, author, text.as_deref(), status, now)
                .map_err(err)?;
            Ok(request_text(&store.request(&id).map_err(err)?))
        }
        RequestAction::Cancel { id } => {
            let by = if staff { Party::Office } else { Party::Citizen };
            store
                .add_to_request(
                    &id,
                    by,
                    username.as_deref().filter(|_| staff),
                    None,
                    Some(RequestStatus::Cancelled),
                    now,
                )
                .map_err(err)?;
            Ok(request_text(&store.request(&id).map_err(err)?))
        }
    }
}

pub fn encounter(
    store: &mut Store,
    a: EncounterArgs,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let staff = a
        .staff
        .or_else(|| account(store).1)
        .ok_or("diga quem atendeu com --staff (ou entre com uma conta: esv login)")?;
    let form = EncounterForm {
        office_id: a.office,
        staff,
        outreach_id: a.outreach,
        person_id: a.person,
        release_id: a.from_list,
        person: PersonFields {
            social_name: a.name,
            civil_name: a.civil_name,
            birth_date: a.birth.as_deref().map(date).transpose()?,
            mother_name: a.mother,
            contact: a.contact,
            stage: a
                .stage
                .map(|s| parse("momento", &s, Stage::parse))
                .transpose()?,
            race: a
                .race
                .map(|r| parse("raça/cor", &r, Race::parse))
                .transpose()?,
            gender_identity: a.gender,
            origin: a
                .origin
                .map(|o| parse("origem", &o, Origin::parse))
                .transpose()?,
            missing_documents: a
                .lacks
                .iter()
                .map(|d| parse("documento", d, CivilDocument::parse))
                .collect::<Result<_, _>>()?,
        },
        consent: a
            .consent
            .map(|c| parse("forma de consentimento", &c, ConsentForm::parse))
            .transpose()?,
        needs: a
            .needs
            .iter()
            .map(|n| parse("necessidade", n, Need::parse))
            .collect::<Result<_, _>>()?,
        referrals: a
            .refer
            .into_iter()
            .map(|service_id| ReferralForm {
                service_id,
                reason: None,
            })
            .collect(),
        follow_up: a.follow_up.as_deref().map(date).transpose()?,
        notes: a.notes,
    };
    let recorded = store.record_encounter(&form, now).map_err(err)?;
    let mut out = format!(
        "Atendimento guardado: pessoa {}, atendimento {}.\n",
        recorded.person_id, recorded.encounter_id
    );
    for r in &recorded.referral_ids {
        let _ = writeln!(out, "Encaminhamento {r} (guia: esv referral slip {r}).");
    }
    Ok(out)
}

pub fn people(
    store: &mut Store,
    query: &str,
    birth: Option<&str>,
    mother: Option<&str>,
) -> Result<String, String> {
    let details = PersonKey {
        social_name: Some(query.to_owned()),
        civil_name: None,
        birth_date: birth.map(date).transpose()?,
        mother_name: mother.map(str::to_owned),
    };
    let with_details = birth.is_some() || mother.is_some();
    let found = store
        .find_people(query, with_details.then_some(&details), crate::now())
        .map_err(err)?;
    if found.is_empty() {
        return Ok("Ninguém com esse nome. Pode registrar uma pessoa nova.\n".into());
    }
    let mut out = String::new();
    for m in found {
        let p = &m.person;
        let _ = write!(out, "{}  {}", p.id, p.display_name());
        if let (Some(civil), Some(_)) = (&p.civil_name, &p.social_name) {
            let _ = write!(out, " (registro civil: {civil})");
        }
        if let Some(b) = p.birth_date {
            let _ = write!(out, " · nasc. {}", b.format("%d/%m/%Y"));
        }
        if let Some(mother) = &p.mother_name {
            let _ = write!(out, " · mãe: {mother}");
        }
        if let Some(l) = m.likeness {
            let _ = write!(out, " · {l:?}");
        }
        out.push('\n');
    }
    Ok(out)
}

pub fn referral(
    store: &mut Store,
    action: ReferralAction,
    now: DateTime<Utc>,
) -> Result<String, String> {
    match action {
        ReferralAction::Outcome { id, status, text } => {
            let status = parse("situação", &status, ReferralStatus::parse)?;
            let staff = account(store).1.unwrap_or_else(|| "escritorio".into());
            let r = store
                .set_referral_outcome(&id, status, text.as_deref(), &staff, now)
                .map_err(err)?;
            Ok(format!("Encaminhamento {}: {}.\n", r.id, r.status.label()))
        }
        ReferralAction::Slip { id, pdf, qr } => {
            let slip = store.referral_slip(&id, now).map_err(err)?;
            let text = esv_shared::slip::slip_text(&slip);
            if let Some(path) = pdf {
                std::fs::write(&path, esv_replica::slip::pdf(&slip))
                    .map_err(|e| format!("não foi possível gravar {}: {e}", path.display()))?;
            }
            if let Some(path) = qr {
                let svg = esv_replica::slip::qr_svg(&text).map_err(|e| e.to_string())?;
                std::fs::write(&path, svg)
                    .map_err(|e| format!("não foi possível gravar {}: {e}", path.display()))?;
            }
            Ok(format!("{text}\n"))
        }
    }
}

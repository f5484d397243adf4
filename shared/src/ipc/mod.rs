//! Types that cross the Tauri IPC boundary between the UI (wasm) and the shell (native): the
//! commands' names, their arguments, the views they return, and the one error type.
//!
//! Every command is declared once in [`cmd`]: its request (the object of the named arguments
//! Tauri passes) and its response; it answers either that or an [`IpcError`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Category, RightsGroup, Source};
pub use crate::requests::{RequestKind, RequestStatus};

pub mod accounts;
pub mod catalog;
pub mod cmd;
pub mod gate;
pub mod office;
pub mod team;

/// Every command's name (`commands::HOME`, …, `commands::ALL`), from the table in [`cmd`].
pub use cmd::names as commands;

pub use crate::locale::Locale;

/// Whether a place is open, for a badge. `text` is the full pt-BR sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpenKind {
    Open,
    Closed,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenBadge {
    pub kind: OpenKind,
    /// "Aberto agora · fecha às 17h", "Fechado · abre segunda às 8h",
    /// "Horário não confirmado desde março de 2026".
    pub text: String,
    /// The place's IANA time zone; the UI says "horário de Boa Vista" when it differs from the
    /// device's own.
    #[serde(default)]
    pub tz: String,
    /// "Horário de Boa Vista", to show beside the badge when `tz` is not the device's zone.
    #[serde(default)]
    pub tz_note: String,
}

/// A point on the map (WGS 84). A device's position is only ever held in memory, for one
/// session, and never leaves the device.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SortOrder {
    /// Relevance, then open now, then distance (when a position is known), then name.
    #[default]
    Relevance,
    /// Nearest first; remote services (telephone, internet) after every place.
    Distance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStatus {
    /// Identifies the bundled catalog release the store started from.
    pub catalog_version: String,
    /// When the data on this device last changed from outside (catalog load or sync).
    pub updated_at: Option<DateTime<Utc>>,
    /// "Dados de 24/11/2026" — what the UI shows, without alarm.
    pub updated_label: String,
    pub services: u32,
    pub articles: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub category: Category,
    pub label: String,
    pub count: u32,
}

/// A service in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub id: String,
    pub name: String,
    /// The office or organisation that offers it.
    pub provider: String,
    pub categories: Vec<Category>,
    /// The first sentence of the description.
    pub summary: String,
    pub open: OpenBadge,
    /// "Vitória/ES", or "Telefone / internet" for remote services.
    pub place: String,
    /// Straight-line distance from the position in the request, when both are known.
    pub distance_km: Option<f64>,
    /// "a 2,4 km", "a cerca de 3 km (centro de Vitória)" when only the city is known.
    #[serde(default)]
    pub distance_label: Option<String>,
    /// The language its texts are in: the person's, or pt-BR when it has none in theirs (its
    /// name or title then ends in "(em português)"). For `lang` on the element showing them.
    #[serde(default)]
    pub language: Locale,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SearchRequest {
    pub text: String,
    #[serde(default)]
    pub category: Option<Category>,
    #[serde(default)]
    pub open_now_only: bool,
    #[serde(default)]
    pub limit: Option<u32>,
    /// The person's position or chosen city, for distances.
    #[serde(default)]
    pub near: Option<GeoPoint>,
    #[serde(default)]
    pub sort: SortOrder,
}

/// A job vacancy, course or workshop still open for applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityView {
    pub id: String,
    pub kind: crate::domain::OpportunityKind,
    /// "Vaga de emprego", "Curso", "Oficina".
    pub kind_label: String,
    pub title: String,
    pub description: String,
    pub requirements: Vec<String>,
    /// The office that announces it.
    pub office: String,
    pub office_id: String,
    pub deadline: NaiveDate,
    /// "Inscrições até 15/12/2026 (faltam 3 dias)", "Inscrições até hoje".
    pub deadline_label: String,
}

/// The first screen: offices, categories with counts, all services, and freshness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    pub offices: Vec<ServiceCard>,
    pub categories: Vec<CategoryCount>,
    pub services: Vec<ServiceCard>,
    pub status: StoreStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressView {
    /// Lines as written on an envelope.
    pub lines: Vec<String>,
    /// Opens the maps app: `geo:` when coordinates are known, else an OpenStreetMap search.
    pub maps_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneView {
    pub display: String,
    /// `tel:` link.
    pub tel_url: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRow {
    /// "Segunda-feira".
    pub day: String,
    /// "8h às 17h", "Fechado", "24 horas".
    pub hours: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureView {
    pub date: NaiveDate,
    /// "sexta-feira, 25 de dezembro".
    pub date_label: String,
    /// "Natal (feriado nacional)", or the special hours and reason.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub id: String,
    pub name: String,
    pub description: String,
    pub provider: String,
    pub categories: Vec<Category>,
    pub audience: String,
    pub required_documents: Vec<String>,
    pub address: Option<AddressView>,
    pub phones: Vec<PhoneView>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub open: OpenBadge,
    pub hours: Vec<HoursRow>,
    /// "Horário de Brasília (America/Sao_Paulo)".
    pub hours_tz_label: String,
    pub next_closures: Vec<ClosureView>,
    pub sources: Vec<Source>,
    /// "Informações conferidas em 24/11/2026".
    pub reviewed_label: String,
    /// Whether the person saved it as a favourite (on this device only).
    #[serde(default)]
    pub favourite: bool,
    /// The service as plain text to pass on (WhatsApp, SMS): name, address, hours, phones.
    #[serde(default)]
    pub share_text: String,
    /// The card's text to read aloud ("ouvir"): name, open now, address, hours, phones.
    #[serde(default)]
    pub speech_text: String,
    /// The language its texts are in: the person's, or pt-BR when it has none in theirs (its
    /// name or title then ends in "(em português)"). For `lang` on the element showing them.
    #[serde(default)]
    pub language: Locale,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub group: RightsGroup,
    pub group_label: String,
    pub summary: String,
    /// The language its texts are in: the person's, or pt-BR when it has none in theirs (its
    /// name or title then ends in "(em português)"). For `lang` on the element showing them.
    #[serde(default)]
    pub language: Locale,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    pub id: String,
    pub title: String,
    pub group_label: String,
    pub summary: String,
    pub body: Vec<String>,
    pub sources: Vec<Source>,
    /// "Revisado em 24/11/2026".
    pub reviewed_label: String,
    pub help_services: Vec<ServiceCard>,
    /// That this is not legal advice and where to get it (Defensoria Pública).
    pub disclaimer: String,
    /// The language its texts are in: the person's, or pt-BR when it has none in theirs (its
    /// name or title then ends in "(em português)"). For `lang` on the element showing them.
    #[serde(default)]
    pub language: Locale,
}

/// What a person fills in to ask the office for help. Blank optional fields count as not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewRequestInput {
    /// The office that receives it; when missing, the office of `service_id`, or the only one.
    #[serde(default)]
    pub office_id: Option<String>,
    /// The service (or office) page it was asked from.
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub kind: Option<RequestKind>,
    #[serde(default)]
    pub text: String,
    /// Nome social, only if the person wants to give it.
    #[serde(default)]
    pub name: Option<String>,
    /// Phone or WhatsApp, only for a call back.
    #[serde(default)]
    pub contact: Option<String>,
}

/// One step of a request's timeline, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEventView {
    /// "Hoje às 10h", "Ontem às 18h30", "20/11/2026 às 9h" (the office's time).
    pub when_label: String,
    /// "Você", "Escritório Social (Ana)".
    pub who_label: String,
    /// The new status, when the step changed it ("Cancelado").
    #[serde(default)]
    pub status_label: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

/// A citizen's request as "Meus pedidos" and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub kind: RequestKind,
    /// "Ajuda com documentos".
    pub kind_label: String,
    pub status: RequestStatus,
    /// "Guardado no celular: será enviado quando houver internet", "Em atendimento".
    pub status_label: String,
    /// Said when something written here has not reached the office yet (a reply written
    /// offline); `None` when everything was sent, or the status already says so.
    #[serde(default)]
    pub pending_note: Option<String>,
    /// Done or cancelled: nothing more will happen, it cannot be cancelled.
    pub closed: bool,
    pub text: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    pub office_id: String,
    /// The office's name.
    pub office: String,
    #[serde(default)]
    pub service_id: Option<String>,
    /// The name of the service it was asked from.
    #[serde(default)]
    pub service: Option<String>,
    /// "Pedido feito hoje às 10h".
    pub created_label: String,
    /// Oldest first.
    pub events: Vec<RequestEventView>,
}

/// What went wrong, for the person using the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IpcErrorKind {
    NotFound,
    /// Something the person typed or chose is missing or wrong; the message says what.
    BadInput,
    /// The signed-in account may not do this (a field worker editing the catalog).
    NotAllowed,
    /// The server could not be reached or refused; the message carries its plain words.
    Network,
    /// The device's PIN is needed (locked, or locked after five minutes without use), or the
    /// office revoked the device: the team screens go back to the PIN screen.
    Locked,
    /// The device's stored data could not be read or written (the message says whether the
    /// storage is full).
    Storage,
    Internal,
}

/// What the app says about sync, without alarm: the data on the device always work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatusView {
    /// Whether a sync server is configured at all (if not, nothing about sync is shown).
    pub enabled: bool,
    pub running: bool,
    /// "Atualizado hoje às 10:02", "Ainda não sincronizado".
    pub label: String,
    /// Why the last attempt failed, in plain pt-BR, with what happens next.
    pub problem: Option<String>,
    /// Documents written here that wait to be sent.
    pub pending: usize,
    /// Documents received but kept aside (a later version of the app, or unreadable):
    /// "Atualize o aplicativo para ver 1 item novo.", in the store's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<String>,
}

/// The only error a command returns. `message` is plain pt-BR and says what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub kind: IpcErrorKind,
    pub message: String,
}

/// Said under every rights article and wherever legal information is shown.
pub const LEGAL_DISCLAIMER: &str =
    "Estas informações ajudam a entender seus direitos, mas não são \
orientação jurídica. Para o seu caso, procure a Defensoria Pública (atendimento gratuito) ou o \
Escritório Social.";

//! What the office console's screens send and show: the requests queue (new first, filtered by
//! kind and status, assigned to a staff member), a staff member's answer to a request, the
//! monthly report with its time series, and a person's erasure.

use serde::{Deserialize, Serialize};

use super::RequestView;
use crate::report::{Cell, Report};
use crate::requests::{RequestKind, RequestStatus};

/// Which requests the queue lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct QueueFilter {
    #[serde(default)]
    pub kind: Option<RequestKind>,
    #[serde(default)]
    pub status: Option<RequestStatus>,
    /// Only those assigned to the one signed in.
    #[serde(default)]
    pub mine: bool,
    /// How many to skip (for "Mostrar mais").
    #[serde(default)]
    pub offset: usize,
}

/// One page of the queue: new ones first, then received, in progress, closed; newest first
/// within each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub items: Vec<QueueItem>,
    /// How many match the filter (the page holds at most [`QUEUE_PAGE`]).
    pub total: usize,
    /// Per status, over the office's whole queue: "Novos: 12".
    pub counts: Vec<StatusCount>,
}

/// Requests on one page of the queue.
pub const QUEUE_PAGE: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: RequestStatus,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub request: RequestView,
    #[serde(default)]
    pub assigned_to: Option<String>,
}

/// A staff member's answer: a message, a new status, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AnswerInput {
    pub id: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub status: Option<RequestStatus>,
}

/// The reports screen asks for one month (`AAAA-MM`; blank: the last whole month).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReportInput {
    #[serde(default)]
    pub period: String,
}

/// The monthly report as the screen draws it: the suppressed report, people served month by
/// month before it (the time series), the same report as CSV, and the months one may choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub report: Report,
    /// "novembro de 2026".
    pub period_label: String,
    /// The twelve months up to the report's, oldest first.
    pub series: Vec<SeriesPoint>,
    /// [`crate::report::csv::render`] of `report`: what "Baixar CSV" saves.
    pub csv: String,
    /// Newest first: `("2026-11", "novembro de 2026")`.
    pub months: Vec<(String, String)>,
}

/// People served in one month (distinct people with an encounter), suppressed like any cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// `2026-11`.
    pub period: String,
    /// "nov/26".
    pub label: String,
    pub people: Cell,
}

/// "Apagar os dados desta pessoa" (LGPD): `confirm` must be the word [`ERASE_WORD`], typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PersonEraseInput {
    pub id: String,
    #[serde(default)]
    pub confirm: String,
}

/// What a staff member types to confirm an erasure.
pub const ERASE_WORD: &str = "APAGAR";

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonErased {
    /// The ids erased: the person and any record merged into them.
    pub ids: Vec<String>,
    /// "Os dados de Maria foram apagados neste aparelho e no servidor."
    pub message: String,
}

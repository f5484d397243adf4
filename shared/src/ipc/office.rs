//! What the office console's screens send and show: the requests queue (new first, filtered by
//! kind and status, assigned to a staff member), and a staff member's answer to a request.

use serde::{Deserialize, Serialize};

use super::RequestView;
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

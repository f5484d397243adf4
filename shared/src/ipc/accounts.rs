//! The Coordinator's screen of the office's accounts and devices: what it shows (labels ready,
//! times in the office's zone) and the form of a new account.

use serde::{Deserialize, Serialize};

use crate::sync::Role;

/// A team account, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUserView {
    pub username: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// The display name, or the username when there is none.
    pub name_label: String,
    pub role: Role,
    /// "Equipe de campo", "Equipe do escritório", "Coordenação".
    pub role_label: String,
    pub active: bool,
    /// "Ativa", "Desativada".
    pub status_label: String,
    /// Whether the Coordinator may disable it from the app (not a Coordinator, not disabled).
    pub may_disable: bool,
}

/// A team device, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDeviceView {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub username: Option<String>,
    pub role: Role,
    pub role_label: String,
    /// "Conectado em 01/12/2026 às 14h05".
    pub registered_label: String,
    /// "Última sincronização em 01/12/2026 às 14h05", "Ainda não sincronizou".
    pub last_seen_label: String,
    pub revoked: bool,
    /// "Ativo", "Desconectado em 01/12/2026 às 14h05".
    pub status_label: String,
    /// "Sem sincronizar há 45 dias": an active device silent for a month (lost, or forgotten).
    #[serde(default)]
    pub idle_note: Option<String>,
    /// The device this screen is on ("este aparelho"): it can't revoke itself.
    pub this_device: bool,
    /// "este aparelho" for `this_device`, else `None`.
    #[serde(default)]
    pub this_device_label: Option<String>,
    /// Active and not this device.
    pub may_revoke: bool,
}

/// A role the form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    /// What [`NewUserInput::role`] takes: "field-worker", "staff".
    pub value: String,
    pub label: String,
}

/// The screen: the office's accounts and team devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub office_id: String,
    /// The office's name, from the catalog.
    pub office: String,
    /// By username.
    pub users: Vec<AccountUserView>,
    /// Active devices first, then revoked ones; oldest first within each.
    pub devices: Vec<AccountDeviceView>,
    /// The roles a new account may have.
    pub roles: Vec<RoleChoice>,
}

/// The form of a new account. Blank optional fields count as not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewUserInput {
    pub username: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// A [`RoleChoice::value`].
    pub role: String,
    pub password: String,
}

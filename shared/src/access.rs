//! Who may do what: each kind of work an account does, and the roles that may do it. The
//! replica's screens, the scope rules of sync and the server all ask here, so each rule is
//! written once (the office a principal belongs to is checked beside it, by the caller).

use crate::sync::Role;

/// A kind of work in the office, as the rules of access name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Keep the office's catalog: hours, closures, services, the review list.
    EditCatalog,
    /// Keep the national catalog: rights articles, national services.
    EditNationalCatalog,
    /// Read and answer citizens' requests (the queue), and erase a citizen's requests.
    ServeRequests,
    /// Manage people's records: merge duplicates, erase a person (LGPD).
    ManagePeople,
    /// Make, read and send the office's monthly report.
    MakeReports,
    /// Read the national rollup of every office's reports.
    ReadNationalRollup,
    /// Read the office's access log.
    ReadAuditLog,
    /// See and change the office's accounts and devices.
    ManageAccounts,
    /// Busca ativa and casework: outreaches, encounters, referrals, plans; read the office's
    /// private documents; send openings to the access log.
    RecordFieldWork,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::EditCatalog,
        Action::EditNationalCatalog,
        Action::ServeRequests,
        Action::ManagePeople,
        Action::MakeReports,
        Action::ReadNationalRollup,
        Action::ReadAuditLog,
        Action::ManageAccounts,
        Action::RecordFieldWork,
    ];

    /// Whether `role` may do this (in its own office).
    pub fn allowed(self, role: Role) -> bool {
        match self {
            Action::EditCatalog
            | Action::ServeRequests
            | Action::ManagePeople
            | Action::MakeReports => matches!(role, Role::Staff | Role::Coordinator),
            Action::EditNationalCatalog
            | Action::ReadNationalRollup
            | Action::ReadAuditLog
            | Action::ManageAccounts => role == Role::Coordinator,
            Action::RecordFieldWork => role != Role::Citizen,
        }
    }
}

impl Role {
    /// Whether this role may do `action` (in its own office): see [`Action::allowed`].
    pub fn may(self, action: Action) -> bool {
        action.allowed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, written out: a change to who may do what shows here.
    #[test]
    fn the_table_of_who_may_do_what() {
        let roles = [
            Role::Citizen,
            Role::FieldWorker,
            Role::Staff,
            Role::Coordinator,
        ];
        let expected: [(Action, [bool; 4]); 9] = [
            (Action::EditCatalog, [false, false, true, true]),
            (Action::EditNationalCatalog, [false, false, false, true]),
            (Action::ServeRequests, [false, false, true, true]),
            (Action::ManagePeople, [false, false, true, true]),
            (Action::MakeReports, [false, false, true, true]),
            (Action::ReadNationalRollup, [false, false, false, true]),
            (Action::ReadAuditLog, [false, false, false, true]),
            (Action::ManageAccounts, [false, false, false, true]),
            (Action::RecordFieldWork, [false, true, true, true]),
        ];
        assert_eq!(expected.map(|(a, _)| a), Action::ALL);
        for (action, allowed) in expected {
            for (role, ok) in roles.into_iter().zip(allowed) {
                assert_eq!(role.may(action), ok, "{role:?} {action:?}");
            }
        }
    }
}

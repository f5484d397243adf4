//! One dispatcher for every command of `esv_shared::ipc::cmd`, over a [`Session`]: the Tauri
//! shell and the browser tests' bridge both hand it a command's name and its JSON arguments,
//! and get back the JSON of its response or the `IpcError` a person reads. What only a shell
//! has (its server, clock, background sync, voice) comes through [`Shell`].

use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use esv_shared::ipc::cmd::{self, Command};
use esv_shared::ipc::{IpcError, IpcErrorKind, Locale, SyncStatusView};
use serde_json::Value;

use crate::session::Session;
use crate::{ReplicaError, Store};

/// What the dispatcher needs from the shell it runs in.
pub trait Shell {
    /// `$ESV_SERVER`: where team members sign in (none: the one of the account, if any).
    fn server(&self) -> Option<&str>;
    /// The instant commands see (the injected clock).
    fn now(&self) -> DateTime<Utc>;
    /// The sync status, read from the command's own connection to the store.
    fn sync_view(&self, store: &Store) -> SyncStatusView;
    /// Asks the background sync to run now (after an edit that should leave soon).
    fn wake_sync(&self);
    /// Reads `text` aloud; an error says in plain words why it cannot.
    fn speak(&self, text: &str, locale: Locale) -> Result<(), IpcError>;
    fn stop_speaking(&self) -> Result<(), IpcError>;
}

/// Why a command failed: the replica's error (logged with its detail, then said plainly) or
/// one the shell already put in plain words.
enum Fail {
    Replica(ReplicaError),
    Ipc(IpcError),
}

impl From<ReplicaError> for Fail {
    fn from(e: ReplicaError) -> Fail {
        Fail::Replica(e)
    }
}

impl From<IpcError> for Fail {
    fn from(e: IpcError) -> Fail {
        Fail::Ipc(e)
    }
}

/// Where a replica error becomes what the person reads (`ReplicaError::to_ipc`), and is logged.
pub fn to_ipc(e: &ReplicaError) -> IpcError {
    eprintln!("command error: {e}");
    e.to_ipc()
}

/// Reads the request, runs the command, writes its response.
fn run<C: Command>(
    mut args: Value,
    f: impl FnOnce(C) -> Result<C::Response, Fail>,
) -> Result<Value, IpcError> {
    // Every text a person typed is stored composed (NFC), however their keyboard sent it.
    crate::entry::compose_all(&mut args);
    let request: C = serde_json::from_value(args).map_err(|e| IpcError {
        kind: IpcErrorKind::BadInput,
        message: format!("O pedido ao aplicativo veio incompleto ({}: {e}).", C::NAME),
    })?;
    let response = f(request).map_err(|fail| match fail {
        Fail::Replica(e) => to_ipc(&e),
        Fail::Ipc(e) => e,
    })?;
    serde_json::to_value(response).map_err(|e| {
        eprintln!("command {}: response not serializable: {e}", C::NAME);
        internal()
    })
}

/// What the person reads when the app itself failed (not their input, not the store).
pub fn internal() -> IpcError {
    IpcError {
        kind: IpcErrorKind::Internal,
        message: "O aplicativo encontrou um erro interno. Feche e abra de novo.".to_owned(),
    }
}

/// Answers the command `name` with `args` (the object of its named arguments); `None` when no
/// command has that name. The session's lock is taken by the commands that need it, for as long
/// as they need it: reading aloud does not wait for the store.
pub fn dispatch(
    session: &Mutex<Session>,
    shell: &dyn Shell,
    name: &str,
    args: Value,
) -> Option<Result<Value, IpcError>> {
    let now = shell.now();
    let server = shell.server();
    // The open store, under the session's lock, for one expression.
    macro_rules! store {
        () => {
            lock(session)?.store(now)?
        };
    }
    // Each arm: a command's type and what it does with its request `r`.
    macro_rules! table {
        ($($c:ty => |$r:pat_param| $body:expr;)*) => {
            match name {
                $(<$c as Command>::NAME => Some(run::<$c>(args, |$r| Ok($body))),)*
                _ => None,
            }
        };
    }
    table! {
        cmd::CatalogHome => |r| store!().home_near(r.near, now)?;
        cmd::SearchServices => |r| store!().search(&r.request, now)?;
        cmd::ServiceDetail => |r| service_detail(store!(), &r.id, now)?;
        cmd::RightsList => |_| store!().rights_list()?;
        cmd::RightsArticle => |r| store!().rights_article(&r.id, now)?;
        cmd::SyncStatus => |_| shell.sync_view(store!());
        cmd::SyncNow => |_| sync_now(shell, store!());
        cmd::SetLocale => |r| lock(session)?.set_locale(r.locale);
        cmd::SearchArticles => |r| store!().search_articles(&r.request.text)?;
        cmd::FavouriteSet => |r| store!().set_favourite(&r.id, r.on, now)?;
        cmd::FavouritesList => |r| store!().favourites(r.near, now)?;
        cmd::RecentList => |r| store!().recent(r.near, now)?;
        cmd::OpportunitiesList => |_| store!().opportunities(now)?;
        cmd::Speak => |r| shell.speak(&r.text, r.locale)?;
        cmd::StopSpeaking => |_| shell.stop_speaking()?;
        cmd::RequestNew => |r| woken(shell, store!().request_new(&r.request, now))?;
        cmd::RequestsList => |_| store!().requests_list(now)?;
        cmd::RequestDetail => |r| store!().request_detail(&r.id, now)?;
        cmd::RequestMessage => |r| store!().request_message(&r.id, &r.text, now)?;
        cmd::RequestCancel => |r| store!().request_cancel(&r.id, now)?;
        cmd::EraseMyData => |_| lock(session)?.erase_my_data(now)?;

        cmd::DeviceStatus => |_| lock(session)?.device_view(server, now);
        cmd::SignIn => |r| {
            let mut session = lock(session)?;
            woken(shell, session.sign_in(&r.input, server, now))?;
            session.device_view(server, now)
        };
        cmd::Unlock => |r| {
            let mut session = lock(session)?;
            woken(shell, session.unlock(&r.pin, now))?;
            session.device_view(server, now)
        };
        cmd::Lock => |_| {
            let mut session = lock(session)?;
            session.lock();
            session.device_view(server, now)
        };
        cmd::OutreachesList => |_| store!().outreaches_list()?;
        cmd::ConsentTerm => |c| store!().consent_term(c.locale)?;
        cmd::OutreachNew => |r| store!().outreach_new(&r.input, now)?;
        cmd::PeopleFind => |r| store!().people_find(&r.input, now)?;
        cmd::PersonDetail => |r| store!().person_view(&r.id, now)?;
        cmd::PersonCopy => |r| store!().person_copy(&r.id, now)?;
        cmd::PersonCorrect => |r| woken(shell, store!().person_correct(&r.input, now))?;
        cmd::ConsentWithdraw => |r| woken(shell, store!().consent_withdraw(&r.id, now))?;
        cmd::EncounterRecord => |r| woken(shell, store!().encounter_record(&r.input, now))?;
        cmd::DraftSave => |r| store!().save_draft_field(&r.form, &r.field, r.value, now)?;
        cmd::DraftGet => |r| store!().draft(&r.form)?;
        cmd::DraftDiscard => |r| store!().discard_draft(&r.form)?;
        cmd::ReferralOutcome => |r| store!().referral_outcome(&r.input, now)?;
        cmd::ReferralSlip => |r| store!().referral_slip_view(&r.id, now)?;
        cmd::PlanGoalSet => |r| store!().plan_goal_set(&r.input, now)?;
        cmd::Worklist => |_| store!().worklist_view(now)?;
        cmd::PrisonFacilities => |_| store!().prison_facilities_view()?;
        cmd::ReleaseAdd => |r| woken(shell, store!().release_add_view(&r.input, now))?;
        cmd::ReleaseEntry => |r| store!().release_entry_view(&r.id, now)?;

        cmd::QueueList => |r| store!().request_queue(&r.filter, now)?;
        cmd::QueueRequest => |r| store!().queue_request(&r.id, now)?;
        cmd::QueueAssign => |r| store!().queue_assign(&r.id, r.to.as_deref(), now)?;
        cmd::QueueAnswer => |r| woken(shell, store!().queue_answer(&r.input, now))?;
        cmd::HoursEdit => |r| store!().hours_edit(&r.id, now)?;
        cmd::HoursSet => |r| store!().hours_set(&r.input, now)?;
        cmd::FacilitySave => |r| store!().facility_save_view(&r.input, now)?;
        cmd::ReleasesImport => |r| woken(shell, store!().releases_import_view(&r.list, now))?;
        cmd::ClosureSet => |r| store!().closure_set(&r.input, now)?;
        cmd::ClosureRemove => |r| store!().closure_remove(&r.id, &r.date, now)?;
        cmd::ReviewList => |_| store!().review_list(now)?;
        cmd::ReportMonthly => |r| store!().report_view(&r.input, now)?;
        cmd::PeopleMerge => |r| woken(shell, store!().people_merge(&r.input, now))?;
        cmd::PersonErase => |r| side(session, now)?.person_erase(&r.input, now)?;
        cmd::AuditLog => |r| side(session, now)?.audit_log_view(r.before.as_deref())?;
        cmd::AccountsView => |_| side(session, now)?.accounts_view(now)?;
        cmd::AccountAdd => |r| side(session, now)?.add_user(&r.input)?;
        cmd::AccountDisable => |r| side(session, now)?.disable_user(&r.username)?;
        cmd::DeviceRevoke => |r| side(session, now)?.revoke_device(&r.id)?;
    }
}

fn lock(session: &Mutex<Session>) -> Result<MutexGuard<'_, Session>, Fail> {
    session.lock().map_err(|_| Fail::Ipc(internal()))
}

/// A connection of its own, for a command that waits on the server: the session's lock is let
/// go when this returns, before the network call, so a search is not stuck behind it.
fn side(session: &Mutex<Session>, now: DateTime<Utc>) -> Result<Store, Fail> {
    Ok(lock(session)?.side_store(now)?)
}

/// An edit that should leave soon: when it succeeds, the background sync is woken.
fn woken<T>(shell: &dyn Shell, result: crate::Result<T>) -> crate::Result<T> {
    if result.is_ok() {
        shell.wake_sync();
    }
    result
}

/// The service, also noted as seen ("Vistos por último"): a convenience whose failure must not
/// hide the service.
fn service_detail(
    store: &mut Store,
    id: &str,
    now: DateTime<Utc>,
) -> crate::Result<esv_shared::ipc::ServiceDetail> {
    let view = store.service_detail(id, now)?;
    if let Err(e) = store.note_viewed(id, now) {
        eprintln!("recent: {e}");
    }
    Ok(view)
}

fn sync_now(shell: &dyn Shell, store: &Store) -> SyncStatusView {
    shell.wake_sync();
    let mut view = shell.sync_view(store);
    view.running = view.enabled;
    view
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use chrono::TimeZone;
    use esv_shared::ipc::commands;
    use serde_json::json;

    use super::*;

    /// A shell with no server, no sync and no voice, counting how often the sync is woken.
    #[derive(Default)]
    struct Quiet {
        woken: AtomicU32,
    }

    impl Shell for Quiet {
        fn server(&self) -> Option<&str> {
            None
        }
        fn now(&self) -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 11, 24, 13, 0, 0)
                .single()
                .expect("instant")
        }
        fn sync_view(&self, _store: &Store) -> SyncStatusView {
            SyncStatusView {
                enabled: true,
                running: false,
                label: String::new(),
                problem: None,
                pending: 0,
                held: None,
            }
        }
        fn wake_sync(&self) {
            self.woken.fetch_add(1, Ordering::Relaxed);
        }
        fn speak(&self, _text: &str, _locale: Locale) -> Result<(), IpcError> {
            Ok(())
        }
        fn stop_speaking(&self) -> Result<(), IpcError> {
            Ok(())
        }
    }

    fn session(dir: &tempfile::TempDir) -> Mutex<Session> {
        let (session, _) = Session::open(&dir.path().join("esv.db"), Quiet::default().now());
        assert!(session.current().is_some(), "a fresh store opens");
        Mutex::new(session)
    }

    #[test]
    fn every_command_of_the_table_is_answered_and_no_other() {
        let dir = tempfile::tempdir().expect("tempdir");
        let session = session(&dir);
        for name in commands::ALL {
            // Without arguments a command may refuse (bad input), but it must be known.
            assert!(
                dispatch(&session, &Quiet::default(), name, json!({})).is_some(),
                "dispatch does not answer {name:?}: add its line to the table"
            );
        }
        assert!(dispatch(&session, &Quiet::default(), "no_such_command", json!({})).is_none());
    }

    #[test]
    fn requests_are_read_by_their_type_and_edits_wake_the_sync() {
        let dir = tempfile::tempdir().expect("tempdir");
        let session = session(&dir);
        let shell = Quiet::default();
        let ask = |name: &str, args: Value| {
            dispatch(&session, &shell, name, args)
                .expect("a command")
                .unwrap_or_else(|e| panic!("{name}: {e:?}"))
        };
        let detail = ask(commands::SERVICE, json!({"id": "es-vitoria"}));
        assert_eq!(detail["id"], "es-vitoria", "{detail}");
        let recent = ask(commands::RECENT, json!({}));
        assert_eq!(
            recent[0]["id"], "es-vitoria",
            "opening it noted it as seen: {recent}"
        );
        assert_eq!(shell.woken.load(Ordering::Relaxed), 0);
        let request = ask(
            commands::REQUEST_NEW,
            json!({"request": {"kind": "documents", "text": "Preciso tirar o RG"}}),
        );
        assert_eq!(request["status"], "waiting", "{request}");
        assert_eq!(
            shell.woken.load(Ordering::Relaxed),
            1,
            "a new request wakes the sync"
        );
        let now = ask(commands::SYNC_NOW, json!({}));
        assert_eq!(now["running"], true, "{now}");
        assert_eq!(shell.woken.load(Ordering::Relaxed), 2);

        let missing = dispatch(
            &session,
            &shell,
            commands::FAVOURITE_SET,
            json!({"id": "x"}),
        )
        .expect("known");
        let e = missing.expect_err("`on` is missing");
        assert_eq!(e.kind, IpcErrorKind::BadInput);
        assert!(e.message.contains("favourite_set"), "{}", e.message);
        let unknown = dispatch(
            &session,
            &shell,
            commands::SERVICE,
            json!({"id": "nao-existe"}),
        )
        .expect("known");
        assert_eq!(
            unknown.expect_err("no such service").kind,
            IpcErrorKind::NotFound
        );
    }

    /// A command that waits on the server (here, one that takes the connection and never
    /// answers) works on a connection of its own: a search answers meanwhile. Were the session
    /// held, the search would wait for the server, and this test would time out.
    #[test]
    fn a_command_waiting_on_the_server_does_not_hold_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let session = session(&dir);
        let server = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let account = crate::sync::Account {
            server: format!("http://{}", server.local_addr().expect("addr")),
            session: esv_shared::sync::Session {
                device: "dev-coord".into(),
                token: "t".into(),
                role: esv_shared::sync::Role::Coordinator,
                office: "es-vitoria".into(),
                username: Some("dora".into()),
            },
        };
        let shell = Quiet::default();
        session
            .lock()
            .expect("lock")
            .store(shell.now())
            .expect("open")
            .set_account(&account)
            .expect("account");
        std::thread::scope(|s| {
            let waiting = s.spawn(|| dispatch(&session, &shell, commands::AUDIT_LOG, json!({})));
            let (held, _) = server.accept().expect("the audit log asks the server");
            let (tx, rx) = std::sync::mpsc::channel();
            let (session, shell) = (&session, &shell);
            s.spawn(move || {
                let found = dispatch(
                    session,
                    shell,
                    commands::SEARCH,
                    json!({"request": {"text": "identidade"}}),
                );
                let _ = tx.send(found);
            });
            let found = rx
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the search answered while the server was silent")
                .expect("known");
            assert!(found.is_ok_and(|cards| cards.as_array().is_some_and(|a| !a.is_empty())));
            // The server hangs up: the audit log fails in plain words.
            drop(held);
            drop(server);
            let audit = waiting.join().expect("thread").expect("known");
            assert!(audit.is_err(), "{audit:?}");
        });
    }
}

//! The office's accounts and devices managed by its Coordinator, through a real server on a
//! real port: the Coordinator lists only their own office's accounts and team devices, and no
//! one else can (Staff, field workers, citizens, another office's Coordinator, no token); a
//! revoked device's next sync is refused (an encrypted store wipes itself); a new account
//! signs in; a bad new account is refused in plain words and changes nothing; a disabled
//! account can't sign in and its devices send what they hold, then wipe (a lost one sends
//! nothing); a new password replaces the old one.

use chrono::{DateTime, Utc};
use esv_replica::sync::{self, Remote, SyncError};
use esv_replica::{Pin, ReplicaError, Store};
use esv_shared::accounts::{
    AccountProblem, AccountsList, NewUser, RevokeDevice, MANAGE_REFUSED, NOT_THIS_DEVICE,
};
use esv_shared::ipc::accounts::NewUserInput;
use esv_shared::sync::{ErrorCode, Role};
use esv_tests::sync_server::{team_store, TestServer, PASSWORD};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn signed_in(server: &TestServer, dir: &tempfile::TempDir, user: &str) -> Store {
    let store = team_store(&dir.path().join(format!("{user}.db")));
    sync::login(
        &store,
        &server.url,
        user,
        PASSWORD,
        &format!("aparelho de {user}"),
    )
    .expect("login");
    store
}

/// A field or staff device as the app makes it: the store encrypted under a PIN.
fn signed_in_encrypted(server: &TestServer, dir: &std::path::Path, user: &str) -> Store {
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join("campo.db");
    let pin = Pin::new("864200").expect("pin");
    Store::encrypt_with_pin(&path, &pin).expect("encrypt");
    let (store, _) = Store::open_with_pin(&path, &pin, now()).expect("open");
    sync::login(&store, &server.url, user, PASSWORD, "celular de campo").expect("login");
    store
}

fn device_of(store: &Store) -> String {
    store
        .account()
        .expect("account")
        .expect("in")
        .session
        .device
}

fn token_of(store: &Store) -> String {
    store.account().expect("account").expect("in").session.token
}

fn server_error(result: esv_replica::Result<impl std::fmt::Debug>) -> (ErrorCode, String) {
    match result {
        Err(ReplicaError::Sync(SyncError::Server { code, message })) => (code, message),
        other => panic!("expected the server's refusal, got {other:?}"),
    }
}

fn remote_error(result: Result<impl std::fmt::Debug, SyncError>) -> (ErrorCode, String) {
    match result {
        Err(SyncError::Server { code, message }) => (code, message),
        other => panic!("expected the server's refusal, got {other:?}"),
    }
}

fn usernames(list: &AccountsList) -> Vec<&str> {
    list.users.iter().map(|u| u.username.as_str()).collect()
}

fn add_coordinator(server: &TestServer, username: &str, office: &str) {
    let db = server.db();
    server
        .runtime
        .block_on(esv_server::admin::add_user(
            &db,
            username,
            office,
            Role::Coordinator,
            PASSWORD,
        ))
        .expect("coordinator");
}

#[test]
fn the_coordinator_lists_only_their_office_and_no_one_else_can() {
    let server = TestServer::start();
    add_coordinator(&server, "rita", "rr-boa-vista");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut coord = signed_in(&server, &dir, "coord");
    let ana = signed_in(&server, &dir, "ana");
    let caio = signed_in(&server, &dir, "caio");
    let rui = signed_in(&server, &dir, "rui");
    let rita = signed_in(&server, &dir, "rita");
    let (citizen, _) = Store::open(&dir.path().join("cidada.db")).expect("open");
    let citizen_account = sync::register(&citizen, &server.url, "es-vitoria").expect("register");

    let list = coord.accounts().expect("the coordinator lists");
    assert_eq!(list.office, "es-vitoria");
    assert_eq!(usernames(&list), ["ana", "bia", "caio", "coord"]);
    assert!(list.users.iter().all(|u| u.active));
    let coord_user = list
        .users
        .iter()
        .find(|u| u.username == "coord")
        .expect("coord");
    assert_eq!(coord_user.role, Role::Coordinator);
    // (Made within the same second, so in no particular order.)
    let mut devices: Vec<(String, Option<&str>)> = list
        .devices
        .iter()
        .map(|d| (d.id.clone(), d.username.as_deref()))
        .collect();
    devices.sort();
    let mut expect = vec![
        (device_of(&coord), Some("coord")),
        (device_of(&ana), Some("ana")),
        (device_of(&caio), Some("caio")),
    ];
    expect.sort();
    assert_eq!(
        devices, expect,
        "team devices of Vitória only (no citizen's, no Boa Vista's)"
    );
    let caio_device = list
        .devices
        .iter()
        .find(|d| d.username.as_deref() == Some("caio"))
        .expect("caio's");
    assert!(list.devices.iter().all(|d| d.revoked_at.is_none()));
    assert!(!list
        .devices
        .iter()
        .any(|d| d.id == citizen_account.session.device));
    assert_eq!(caio_device.role, Role::FieldWorker);
    assert_eq!(caio_device.name, "aparelho de caio");
    let coord_device = list
        .devices
        .iter()
        .find(|d| d.id == device_of(&coord))
        .expect("coord's");
    assert!(
        coord_device.last_seen.is_some(),
        "the list itself was a contact"
    );
    // Never a password hash or a token (nor its hash).
    let json = serde_json::to_string(&list).expect("json");
    assert!(!json.contains("argon2"), "{json}");
    for store in [&coord, &ana, &caio] {
        let token = token_of(store);
        assert!(!json.contains(&token), "{json}");
        assert!(
            !json.contains(&esv_server::auth::token_hash(&token)),
            "{json}"
        );
    }

    // The screen's view: labels in Vitória's time, this device marked.
    let view = coord.accounts_view(now()).expect("view");
    assert_eq!(view.office_id, "es-vitoria");
    let mine: Vec<_> = view.devices.iter().filter(|d| d.this_device).collect();
    assert_eq!(mine.len(), 1, "{view:?}");
    let me = mine[0];
    assert_eq!(me.id, device_of(&coord));
    assert!(!me.may_revoke, "{me:?}");
    assert_eq!(me.this_device_label.as_deref(), Some("este aparelho"));
    assert!(me.registered_label.starts_with("Conectado em "), "{me:?}");
    assert!(me.registered_label.contains(" às "), "{me:?}");
    assert_eq!(me.role_label, "Coordenação");
    assert!(view
        .devices
        .iter()
        .filter(|d| d.id != me.id)
        .all(|d| d.may_revoke && d.this_device_label.is_none()));
    let roles: Vec<&str> = view.roles.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(roles, ["field-worker", "staff"], "never a Coordinator");
    let ana_view = view
        .users
        .iter()
        .find(|u| u.username == "ana")
        .expect("ana");
    assert_eq!(
        (ana_view.role_label.as_str(), ana_view.status_label.as_str()),
        ("Equipe do escritório", "Ativa")
    );

    // Staff, a field worker, another office's staff: refused in plain words.
    for store in [&ana, &caio, &rui] {
        assert_eq!(
            server_error(store.accounts()),
            (ErrorCode::Forbidden, MANAGE_REFUSED.to_owned())
        );
    }
    // Another office's Coordinator sees their own office, never Vitória's.
    let boa_vista = rita.accounts().expect("rita's own office");
    assert_eq!(usernames(&boa_vista), ["rita", "rui"]);
    assert_eq!(boa_vista.devices.len(), 2);
    let remote = Remote::new(&server.url).expect("remote");
    assert_eq!(
        remote_error(remote.accounts(&token_of(&rita), "es-vitoria")),
        (ErrorCode::Forbidden, MANAGE_REFUSED.to_owned())
    );
    // A citizen device, a made-up token: refused, unauthorized.
    assert_eq!(
        remote_error(remote.accounts(&citizen_account.session.token, "es-vitoria")).0,
        ErrorCode::Forbidden
    );
    assert_eq!(
        remote_error(remote.accounts("token-falso", "es-vitoria")).0,
        ErrorCode::Unauthorized
    );
    // No token at all: 401.
    let anonymous = ureq::get(&format!("{}/v1/accounts?office=es-vitoria", server.url)).call();
    assert!(
        matches!(anonymous, Err(ureq::Error::StatusCode(401))),
        "{anonymous:?}"
    );

    // A revoked Coordinator device is refused like everywhere.
    let db = server.db();
    server
        .runtime
        .block_on(esv_server::admin::revoke_device(
            &db,
            &device_of(&coord),
            &server.clock,
        ))
        .expect("revoke");
    assert_eq!(server_error(coord.accounts()).0, ErrorCode::DeviceRevoked);
}

#[test]
fn a_revoked_device_is_refused_at_its_next_sync_and_an_encrypted_one_wipes_itself() {
    let server = TestServer::start();
    add_coordinator(&server, "rita", "rr-boa-vista");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut coord = signed_in(&server, &dir, "coord");
    let ana = signed_in(&server, &dir, "ana");
    let mut bia = signed_in(&server, &dir, "bia");
    let mut rui = signed_in(&server, &dir, "rui");
    let rita = signed_in(&server, &dir, "rita");
    let caio_dir = dir.path().join("caio");
    let mut caio = signed_in_encrypted(&server, &caio_dir, "caio");
    sync::sync(&mut caio, None, now(), &mut |_| {}).expect("first sync");
    let caio_device = device_of(&caio);
    let remote = Remote::new(&server.url).expect("remote");
    let revoke = |id: &str| RevokeDevice { device: id.into() };

    // Staff, another office's Coordinator: refused, and caio still syncs.
    assert_eq!(
        remote_error(remote.revoke_device(&token_of(&ana), &revoke(&caio_device))),
        (ErrorCode::Forbidden, MANAGE_REFUSED.to_owned())
    );
    let (code, message) =
        remote_error(remote.revoke_device(&token_of(&rita), &revoke(&caio_device)));
    assert_eq!(code, ErrorCode::BadRequest, "{message}");
    assert!(
        message.contains("Nenhum aparelho da equipe deste escritório"),
        "{message}"
    );
    sync::sync(&mut caio, None, now(), &mut |_| {}).expect("not revoked");
    // The Coordinator can't reach another office's device either.
    let (_, message) = server_error(coord.revoke_device(&device_of(&rui)));
    assert!(message.contains("Nenhum aparelho"), "{message}");
    sync::sync(&mut rui, None, now(), &mut |_| {}).expect("Boa Vista untouched");
    // Nor this very device: refused here, and by the server too.
    match coord.revoke_device(&device_of(&coord)) {
        Err(ReplicaError::BadInput(message)) => assert_eq!(message, NOT_THIS_DEVICE),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        remote_error(remote.revoke_device(&token_of(&coord), &revoke(&device_of(&coord)))),
        (ErrorCode::Forbidden, NOT_THIS_DEVICE.to_owned())
    );

    // The field worker's encrypted phone: revoked, its next sync wipes it.
    let revoked = coord.revoke_device(&caio_device).expect("revoke");
    assert!(revoked.revoked && !revoked.may_revoke, "{revoked:?}");
    assert!(
        revoked
            .status_label
            .starts_with("Desconectado em 01/12/2026 às "),
        "{revoked:?}"
    );
    let again = coord
        .revoke_device(&caio_device)
        .expect("again is harmless");
    assert_eq!(
        again.status_label, revoked.status_label,
        "the first time stays"
    );
    let e = sync::sync(&mut caio, None, now(), &mut |_| {}).expect_err("revoked");
    assert!(matches!(e, ReplicaError::DeviceWiped), "{e:?}");
    let left: Vec<_> = std::fs::read_dir(&caio_dir).expect("dir").collect();
    assert!(left.is_empty(), "nothing left on the phone: {left:?}");

    // Another one revoked: wiped as well.
    coord.revoke_device(&device_of(&bia)).expect("revoke bia");
    let e = sync::sync(&mut bia, None, now(), &mut |_| {}).expect_err("revoked");
    assert!(matches!(e, ReplicaError::DeviceWiped), "{e:?}");

    // The others go on; the list shows who was revoked, active devices first.
    let mut ana = ana;
    sync::sync(&mut ana, None, now(), &mut |_| {}).expect("ana still syncs");
    let view = coord.accounts_view(now()).expect("view");
    let revoked: Vec<bool> = view.devices.iter().map(|d| d.revoked).collect();
    assert_eq!(revoked, [false, false, true, true], "{view:?}");
    let mut gone: Vec<&str> = view.devices[2..]
        .iter()
        .filter_map(|d| d.username.as_deref())
        .collect();
    gone.sort();
    assert_eq!(gone, ["bia", "caio"]);
}

fn form(username: &str, role: &str, password: &str) -> NewUserInput {
    NewUserInput {
        username: username.into(),
        display_name: Some("Dora Lima".into()),
        role: role.into(),
        password: password.into(),
    }
}

#[test]
fn a_new_account_signs_in_and_a_bad_one_changes_nothing() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let coord = signed_in(&server, &dir, "coord");
    let ana = signed_in(&server, &dir, "ana");
    let before = coord.accounts().expect("list");

    // Refused on the device, before asking the server.
    let local = |input: NewUserInput| match coord.add_user(&input) {
        Err(ReplicaError::BadInput(message)) => message,
        other => panic!("{input:?}: {other:?}"),
    };
    assert_eq!(
        local(form("  ", "staff", "uma-senha-boa")),
        "Escreva o nome de usuário da nova conta."
    );
    assert_eq!(
        local(form("dora", "staff", "curta")),
        "A senha precisa ter pelo menos 10 caracteres."
    );
    assert!(local(form("dora", "gerente", "uma-senha-boa")).contains("Escolha o papel"));
    assert_eq!(
        local(form("dora", "coordinator", "uma-senha-boa")),
        AccountProblem::CoordinatorByServerOnly.to_string()
    );
    // A taken username (here or in another office): the server says so.
    for taken in ["ana", "rui"] {
        let (code, message) = server_error(coord.add_user(&form(taken, "staff", "uma-senha-boa")));
        assert_eq!(code, ErrorCode::BadRequest, "{message}");
        assert_eq!(message, format!("o usuário {taken} já existe"));
    }
    // The server checks the same rules for a client that skips them.
    let remote = Remote::new(&server.url).expect("remote");
    let raw = |username: &str, role: Role, password: &str| NewUser {
        username: username.into(),
        display_name: None,
        role,
        password: password.into(),
    };
    for (user, expect) in [
        (
            raw("", Role::Staff, "uma-senha-boa"),
            AccountProblem::NoUsername,
        ),
        (
            raw("dora", Role::Staff, "curta"),
            AccountProblem::ShortPassword,
        ),
        (
            raw("dora", Role::Coordinator, "uma-senha-boa"),
            AccountProblem::CoordinatorByServerOnly,
        ),
        (
            raw("dora", Role::Citizen, "uma-senha-boa"),
            AccountProblem::CitizenHasNoAccount,
        ),
    ] {
        assert_eq!(
            remote_error(remote.add_account(&token_of(&coord), &user)),
            (ErrorCode::BadRequest, expect.to_string()),
            "{user:?}"
        );
    }
    // Staff may not add accounts.
    assert_eq!(
        remote_error(
            remote.add_account(&token_of(&ana), &raw("dora", Role::Staff, "uma-senha-boa"))
        ),
        (ErrorCode::Forbidden, MANAGE_REFUSED.to_owned())
    );
    assert_eq!(
        coord.accounts().expect("list").users,
        before.users,
        "nothing changed"
    );
    let e = sync::login(
        &team_store(&dir.path().join("ninguem.db")),
        &server.url,
        "dora",
        "uma-senha-boa",
        "x",
    )
    .expect_err("no such account");
    assert!(
        matches!(
            e,
            ReplicaError::Sync(SyncError::Server {
                code: ErrorCode::WrongPassword,
                ..
            })
        ),
        "{e:?}"
    );

    // A good one: made in the Coordinator's office, and it signs in.
    let dora = coord
        .add_user(&form(" dora ", "field-worker", "uma-senha-boa"))
        .expect("add");
    assert_eq!(dora.username, "dora");
    assert_eq!(dora.name_label, "Dora Lima");
    assert_eq!(dora.role_label, "Equipe de campo");
    assert!(dora.active);
    let mut phone = team_store(&dir.path().join("dora.db"));
    let account = sync::login(
        &phone,
        &server.url,
        "dora",
        "uma-senha-boa",
        "celular da Dora",
    )
    .expect("the new account signs in");
    assert_eq!(account.session.role, Role::FieldWorker);
    assert_eq!(account.session.office, "es-vitoria");
    sync::sync(&mut phone, None, now(), &mut |_| {}).expect("and syncs");
    let after = coord.accounts().expect("list");
    assert_eq!(usernames(&after), ["ana", "bia", "caio", "coord", "dora"]);
    let listed = after
        .users
        .iter()
        .find(|u| u.username == "dora")
        .expect("dora");
    assert_eq!(listed.display_name.as_deref(), Some("Dora Lima"));
    assert!(after
        .devices
        .iter()
        .any(|d| d.username.as_deref() == Some("dora") && d.name == "celular da Dora"));
}

#[test]
fn a_disabled_account_cant_sign_in_and_its_devices_retire() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let coord = signed_in(&server, &dir, "coord");
    let mut caio = signed_in(&server, &dir, "caio");
    let ana = signed_in(&server, &dir, "ana");

    // Staff can't; a Coordinator's account and another office's are out of reach.
    let (code, _) = server_error(ana.disable_user("caio"));
    assert_eq!(code, ErrorCode::Forbidden);
    let (code, message) = server_error(coord.disable_user("coord"));
    assert_eq!(code, ErrorCode::Forbidden, "{message}");
    assert!(message.contains("administra o servidor"), "{message}");
    let (_, message) = server_error(coord.disable_user("rui"));
    assert_eq!(message, "Não há conta rui neste escritório.");
    sync::sync(&mut caio, None, now(), &mut |_| {}).expect("caio still syncs");

    let disabled = coord.disable_user("caio").expect("disable");
    assert!(!disabled.active && !disabled.may_disable, "{disabled:?}");
    assert_eq!(disabled.status_label, "Desativada");
    // Its phone had nothing left to send: its next sync wipes it.
    let e = sync::sync(&mut caio, None, now(), &mut |_| {}).expect_err("retired");
    assert!(matches!(&e, ReplicaError::DeviceRetired), "{e:?}");
    let again = team_store(&dir.path().join("caio-de-novo.db"));
    let e = sync::login(&again, &server.url, "caio", PASSWORD, "x").expect_err("disabled");
    assert!(e.to_string().contains("desativada pela coordenação"), "{e}");
    let list = coord.accounts().expect("list");
    let caio_user = list
        .users
        .iter()
        .find(|u| u.username == "caio")
        .expect("caio");
    assert!(!caio_user.active);
    let retire_at = now() + chrono::Duration::days(esv_shared::accounts::RETIRE_GRACE_DAYS);
    assert!(list
        .devices
        .iter()
        .filter(|d| d.username.as_deref() == Some("caio"))
        .all(|d| d.retire_at == Some(retire_at) && d.revoked_at.is_none()));
    // Everyone else is untouched.
    assert!(list
        .users
        .iter()
        .filter(|u| u.username != "caio")
        .all(|u| u.active));
}

#[test]
fn a_new_password_replaces_the_old_one_and_keeps_the_devices() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let coord = signed_in(&server, &dir, "coord");
    let ana = signed_in(&server, &dir, "ana");
    let mut caio = signed_in(&server, &dir, "caio");
    let fresh = |name: &str| team_store(&dir.path().join(name));

    // Refused: too short (here), by Staff, for a Coordinator, for another office.
    match coord.reset_password("caio", "curta") {
        Err(ReplicaError::BadInput(message)) => {
            assert_eq!(message, AccountProblem::ShortPassword.to_string())
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server_error(ana.reset_password("caio", "nova-senha-do-caio")),
        (ErrorCode::Forbidden, MANAGE_REFUSED.to_owned())
    );
    assert_eq!(
        server_error(coord.reset_password("coord", "nova-senha-do-caio")).0,
        ErrorCode::Forbidden
    );
    let (_, message) = server_error(coord.reset_password("rui", "nova-senha-do-rui"));
    assert_eq!(message, "Não há conta rui neste escritório.");
    sync::login(&fresh("rui.db"), &server.url, "rui", PASSWORD, "x").expect("rui's unchanged");
    // The server checks the length too.
    let remote = Remote::new(&server.url).expect("remote");
    let short = esv_shared::accounts::SetPassword {
        username: "caio".into(),
        password: "curta".into(),
    };
    assert_eq!(
        remote_error(remote.set_account_password(&token_of(&coord), &short)),
        (
            ErrorCode::BadRequest,
            AccountProblem::ShortPassword.to_string()
        )
    );
    sync::login(&fresh("caio-1.db"), &server.url, "caio", PASSWORD, "x")
        .expect("the old one still works");

    let user = coord
        .reset_password("caio", "nova-senha-do-caio")
        .expect("reset");
    assert_eq!((user.username.as_str(), user.active), ("caio", true));
    let e = sync::login(&fresh("caio-2.db"), &server.url, "caio", PASSWORD, "x")
        .expect_err("the old password is gone");
    assert!(
        matches!(
            e,
            ReplicaError::Sync(SyncError::Server {
                code: ErrorCode::WrongPassword,
                ..
            })
        ),
        "{e:?}"
    );
    sync::login(
        &fresh("caio-3.db"),
        &server.url,
        "caio",
        "nova-senha-do-caio",
        "x",
    )
    .expect("the new one signs in");
    sync::sync(&mut caio, None, now(), &mut |_| {}).expect("the phone stays signed in");
}

fn vacancy(id: &str, title: &str) -> esv_shared::domain::Opportunity {
    esv_shared::domain::Opportunity {
        id: id.to_owned(),
        office_id: "es-vitoria".to_owned(),
        kind: esv_shared::domain::OpportunityKind::Job,
        title: title.to_owned(),
        description: "Auxiliar de cozinha".to_owned(),
        deadline: chrono::NaiveDate::from_ymd_opt(2027, 1, 31).expect("date"),
        requirements: Vec::new(),
        reviewed_on: now().date_naive(),
    }
}

fn vacancies(store: &mut Store) -> Vec<String> {
    let mut titles: Vec<String> = store
        .opportunities(now())
        .expect("opportunities")
        .into_iter()
        .map(|o| o.title)
        .collect();
    titles.sort();
    titles
}

/// A person leaving the team (disable) and a lost phone (revoke) are two cases: the first
/// sends the work done offline before leaving, then wipes; the second sends nothing more and
/// wipes; and past the grace days a disabled account's phone is treated as lost.
#[test]
fn a_person_leaving_sends_their_work_and_a_lost_phone_sends_nothing() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut coord = signed_in(&server, &dir, "coord");
    let mut ana = signed_in(&server, &dir, "ana");
    let mut bia = signed_in(&server, &dir, "bia");
    let bia_old_dir = tempfile::tempdir().expect("tempdir");
    let mut bia_old = team_store(&bia_old_dir.path().join("antigo.db"));
    sync::login(&bia_old, &server.url, "bia", PASSWORD, "tablet antigo").expect("login");
    let ana_lost_dir = tempfile::tempdir().expect("tempdir");
    let mut ana_lost = team_store(&ana_lost_dir.path().join("perdido.db"));
    sync::login(&ana_lost, &server.url, "ana", PASSWORD, "celular perdido").expect("login");
    for store in [&mut ana, &mut bia, &mut bia_old, &mut ana_lost] {
        sync::sync(store, None, now(), &mut |_| {}).expect("first sync");
    }

    // Offline work, not yet sent, on three devices.
    bia.put_opportunity(vacancy("saida-bia", "Vaga de quem saiu"), now())
        .expect("write");
    bia_old
        .put_opportunity(vacancy("tablet-bia", "Vaga do tablet esquecido"), now())
        .expect("write");
    ana_lost
        .put_opportunity(vacancy("perdido-ana", "Vaga do celular perdido"), now())
        .expect("write");

    // Bia leaves the team; Ana's phone is lost.
    coord.disable_user("bia").expect("disable");
    coord.revoke_device(&device_of(&ana_lost)).expect("revoke");
    let listed = coord.accounts_view(now()).expect("view");
    let bia_phone = listed
        .devices
        .iter()
        .find(|d| d.id == device_of(&bia))
        .expect("listed");
    assert!(
        bia_phone
            .status_label
            .starts_with("Conta desativada: envia o que guarda até 08/12/2026"),
        "{bia_phone:?}"
    );
    // While leaving, the phone may send but not read anything else of the office.
    let remote = Remote::new(&server.url).expect("remote");
    assert_eq!(
        remote_error(remote.snapshots(Some(&token_of(&bia)), &["catalog".to_owned()])).0,
        ErrorCode::AccountDisabled
    );

    // Bia's phone sends its work, then wipes itself.
    let e = sync::sync(&mut bia, None, now(), &mut |_| {}).expect_err("retired");
    assert!(matches!(e, ReplicaError::DeviceRetired), "{e:?}");
    assert!(
        e.to_string().contains("foi enviado ao Escritório Social"),
        "{e}"
    );
    let bia_dir = dir.path().join("bia.db");
    assert!(!bia_dir.exists(), "bia's store is gone");
    // The lost phone sends nothing and wipes itself.
    let e = sync::sync(&mut ana_lost, None, now(), &mut |_| {}).expect_err("revoked");
    assert!(matches!(e, ReplicaError::DeviceWiped), "{e:?}");
    // Past the grace days, the old tablet is a lost one: nothing taken, wiped.
    server.hand.advance(
        chrono::Duration::days(esv_shared::accounts::RETIRE_GRACE_DAYS)
            + chrono::Duration::minutes(1),
    );
    let e = sync::sync(&mut bia_old, None, now(), &mut |_| {}).expect_err("too late");
    assert!(matches!(e, ReplicaError::DeviceWiped), "{e:?}");
    assert!(std::fs::read_dir(bia_old_dir.path())
        .expect("dir")
        .next()
        .is_none());

    sync::sync(&mut ana, None, now(), &mut |_| {}).expect("ana syncs");
    let before = vacancies(&mut ana);
    assert!(
        before.contains(&"Vaga de quem saiu".to_owned()),
        "{before:?}"
    );
    assert!(
        !before.contains(&"Vaga do celular perdido".to_owned()),
        "{before:?}"
    );
    assert!(
        !before.contains(&"Vaga do tablet esquecido".to_owned()),
        "{before:?}"
    );
}

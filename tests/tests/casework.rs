//! Requests and busca ativa end to end, through a real server on a real port with real stores:
//! a field device offline records three encounters — killed in the middle of the third, it
//! loses nothing typed — then syncs; the office's staff see all three, another office's staff
//! none. A citizen's request written offline reaches the office, and the answer comes back.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};
use esv_replica::field::{EncounterForm, PersonFields};
use esv_replica::requests::NewRequest;
use esv_replica::sync;
use esv_replica::{Pin, Store};
use esv_shared::people::{ConsentForm, Need, Race};
use esv_shared::requests::{Party, RequestKind, RequestStatus};
use esv_tests::sync_server::{team_store, TestServer, PASSWORD, TEAM_PIN as PIN};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn open(path: &std::path::Path) -> Store {
    Store::open(path).expect("open").0
}

fn sync_now(store: &mut Store) {
    sync::sync(store, None, now(), &mut |_| {}).expect("sync");
}

fn open_field(path: &std::path::Path) -> Store {
    let pin = Pin::new(PIN).expect("pin");
    Store::open_with_pin(path, &pin, now()).expect("open").0
}

fn staff(server: &TestServer, dir: &tempfile::TempDir, user: &str) -> Store {
    let store = team_store(&dir.path().join(format!("{user}.db")));
    sync::login(&store, &server.url, user, PASSWORD, "teste").expect("login");
    store
}

/// The field worker's third form, from what its draft kept.
fn third_from_draft(store: &Store) -> EncounterForm {
    let draft = store.draft("encounter:new").expect("draft");
    let text = |k: &str| draft.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    EncounterForm {
        office_id: "es-vitoria".into(),
        staff: "caio".into(),
        person: PersonFields {
            social_name: text("social_name"),
            birth_date: text("birth_date").and_then(|d| d.parse().ok()),
            mother_name: text("mother_name"),
            race: text("race").and_then(|r| Race::parse(&r)),
            ..Default::default()
        },
        consent: text("consent").and_then(|c| ConsentForm::parse(&c)),
        needs: text("needs")
            .and_then(|n| Need::parse(&n))
            .into_iter()
            .collect(),
        notes: text("notes").unwrap_or_default(),
        ..Default::default()
    }
}

#[test]
fn a_field_day_offline_survives_a_kill_and_reaches_only_its_own_office() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let field_path = dir.path().join("campo.db");
    {
        // A field device keeps its store encrypted, opened with the worker's PIN.
        let store = team_store(&field_path);
        sync::login(&store, &server.url, "caio", PASSWORD, "celular do Caio").expect("login");
    }

    // Offline at the prison gate: two encounters saved, the third being typed when the
    // process is killed.
    let mut child = Command::new(env!("CARGO_BIN_EXE_field_typist"))
        .arg(&field_path)
        .env("ESV_PIN", PIN)
        .stdout(Stdio::piped())
        .spawn()
        .expect("field device");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut typed = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        if let Some(field) = line.strip_prefix("typed ") {
            typed.push(field.to_owned());
            if typed.len() == 5 {
                break;
            }
        }
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert_eq!(
        typed.len(),
        5,
        "the device typed five fields before the kill"
    );

    let mut field = open_field(&field_path);
    assert_eq!(field.people().expect("people").len(), 2);
    let draft = field.draft("encounter:new").expect("draft");
    for name in &typed {
        assert!(
            draft.contains_key(name),
            "{name} was typed and announced, then lost"
        );
    }
    assert_eq!(draft["social_name"], "Rosa Maria Terceira");
    assert_eq!(draft["consent"], "falado");
    assert!(
        !draft.contains_key("needs"),
        "the kill came before the needs were typed"
    );
    // The worker opens the form again, types what was missing and saves.
    field
        .save_draft_field("encounter:new", "needs", "moradia".into(), now())
        .expect("draft");
    let third = third_from_draft(&field);
    field.record_encounter(&third, now()).expect("third");
    field.discard_draft("encounter:new").expect("discard");
    assert_eq!(field.people().expect("people").len(), 3);

    // Back at the office.
    sync_now(&mut field);
    assert_eq!(field.outgoing_count().expect("count"), 0);
    // Nothing of them is readable in the device's files.
    for ext in ["", "-wal"] {
        let file = format!("{}{ext}", field_path.display());
        let bytes = std::fs::read(&file).unwrap_or_default();
        for name in ["Rosa Maria Terceira", "Bruno Segundo", "Ana Primeira"] {
            assert!(
                !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
                "{name} in plain text in {file}"
            );
        }
    }

    let mut ana = staff(&server, &dir, "ana");
    sync_now(&mut ana);
    let people = ana.people().expect("people");
    let mut names: Vec<&str> = people.iter().map(|p| p.display_name()).collect();
    names.sort();
    assert_eq!(
        names,
        ["Ana Primeira", "Bruno Segundo", "Rosa Maria Terceira"]
    );
    for p in &people {
        assert!(p.has_consent(), "{} without consent", p.display_name());
        assert_eq!(ana.encounters_of(&p.id).expect("encounters").len(), 1);
    }
    let rosa = people
        .iter()
        .find(|p| p.display_name() == "Rosa Maria Terceira")
        .expect("rosa");
    assert_eq!(rosa.race, Some(Race::Black));
    assert_eq!(
        ana.encounters_of(&rosa.id).expect("encounters")[0].needs,
        vec![Need::Housing]
    );

    let mut rui = staff(&server, &dir, "rui");
    sync_now(&mut rui);
    assert!(
        rui.people().expect("people").is_empty(),
        "another office sees none"
    );
    assert!(rui.encounters_of(&rosa.id).expect("encounters").is_empty());
}

#[test]
fn a_request_written_offline_reaches_the_office_and_the_answer_comes_back() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut citizen = open(&dir.path().join("cidadao.db"));
    // No internet yet, never registered: the request waits on the phone.
    let request = citizen
        .create_request(
            &NewRequest {
                office_id: "es-vitoria".into(),
                kind: Some(RequestKind::Documents),
                text: "Saí semana passada e perdi o RG. Como tiro outro?".into(),
                contact: Some("(27) 98888-7777".into()),
                ..Default::default()
            },
            now(),
        )
        .expect("request");
    assert_eq!(
        citizen.requests().expect("list")[0].status(),
        RequestStatus::Waiting
    );

    // Internet returns: the app's background sync registers the device with the request's
    // office and sends it.
    sync::sync(&mut citizen, Some(&server.url), now(), &mut |_| {}).expect("first sync");
    let account = citizen.account().expect("account").expect("registered");
    assert_eq!(account.session.device, request.device);
    assert_eq!(account.session.office, "es-vitoria");
    // A registration whose answer was lost, sent again, gives the same device.
    let again = sync::register(&citizen, &server.url, "es-vitoria").expect("again");
    assert_eq!(again.session.device, request.device);
    sync_now(&mut citizen);
    assert_eq!(
        citizen.requests().expect("list")[0].status(),
        RequestStatus::Sent
    );

    let mut ana = staff(&server, &dir, "ana");
    sync_now(&mut ana);
    let queue = ana.requests().expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].request.text, request.text);
    ana.receive_request(&request.id, "ana", now())
        .expect("received");
    ana.add_to_request(
        &request.id,
        Party::Office,
        Some("ana"),
        Some("Venha amanhã às 9h com uma conta de luz; fazemos o pedido da CIN juntos."),
        Some(RequestStatus::InProgress),
        now() + chrono::Duration::minutes(5),
    )
    .expect("reply");
    sync_now(&mut ana);

    // Another office never sees it; another citizen neither.
    let mut rui = staff(&server, &dir, "rui");
    sync_now(&mut rui);
    assert!(rui.requests().expect("queue").is_empty());
    let mut other = open(&dir.path().join("outro.db"));
    sync::register(&other, &server.url, "es-vitoria").expect("register");
    sync_now(&mut other);
    assert!(other.requests().expect("list").is_empty());

    sync_now(&mut citizen);
    let row = citizen.request(&request.id).expect("row");
    assert_eq!(row.status(), RequestStatus::InProgress);
    let events = row.request.sorted_events();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].status, Some(RequestStatus::Received));
    assert!(events[1]
        .text
        .as_deref()
        .is_some_and(|t| t.starts_with("Venha amanhã")));
    assert!(!row.pending);
}

//! The office's requests queue through the real store: new requests first, filters by kind,
//! status and assignee, opening marks received, assign and answer, the citizen's words under
//! the name they gave; a field worker is refused and another office's requests never show.

use chrono::{DateTime, Duration, Utc};
use esv_replica::requests::NewRequest;
use esv_replica::sync::Account;
use esv_replica::{ReplicaError, Store};
use esv_shared::document::Entity;
use esv_shared::ipc::office::{AnswerInput, QueueFilter};
use esv_shared::requests::{RequestKind, RequestStatus};
use esv_shared::sync::{Role, Session};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn account(role: Role, username: &str) -> Account {
    Account {
        server: "http://127.0.0.1:9".into(),
        session: Session {
            device: format!("dev-{username}"),
            token: "t".into(),
            role,
            office: "es-vitoria".into(),
            username: Some(username.into()),
        },
    }
}

#[test]
fn the_queue_shows_new_requests_first_and_staff_answer_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let mut ids = Vec::new();
    for (i, (kind, text)) in [
        (RequestKind::Documents, "Preciso tirar o CPF"),
        (RequestKind::Legal, "Quero saber do meu processo"),
        (RequestKind::WorkOrCourse, "Procuro curso de pedreiro"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = store
            .create_request(
                &NewRequest {
                    office_id: "es-vitoria".into(),
                    kind: Some(kind),
                    text: text.into(),
                    name: (i == 0).then(|| "Joana".to_owned()),
                    ..Default::default()
                },
                now() + Duration::minutes(i64::try_from(i).unwrap_or(0)),
            )
            .expect("request");
        ids.push(r.id);
    }
    // Another office's request, on this device by sync: never in this office's queue.
    let mut other = store.request(&ids[2]).expect("row").request;
    other.id = "dev-x/outro".into();
    other.office_id = "rr-boa-vista".into();
    store
        .edit(&Entity::Request(other), now())
        .expect("other office");

    let refused = store
        .request_queue(&QueueFilter::default(), now())
        .expect_err("no account");
    assert!(matches!(refused, ReplicaError::Sync(_)), "{refused:?}");
    store
        .set_account(&account(Role::FieldWorker, "caio"))
        .expect("account");
    let refused = store
        .request_queue(&QueueFilter::default(), now())
        .expect_err("field worker");
    assert!(
        refused.to_string().contains("equipe do escritório"),
        "{refused}"
    );

    store
        .set_account(&account(Role::Staff, "ana"))
        .expect("account");
    let queue = store
        .request_queue(&QueueFilter::default(), now())
        .expect("queue");
    assert_eq!(queue.total, 3, "only this office's");
    let order: Vec<&str> = queue.items.iter().map(|i| i.request.id.as_str()).collect();
    assert_eq!(
        order,
        [&ids[2], &ids[1], &ids[0]],
        "newest first among the new"
    );

    // Opening the oldest marks it received: it goes after the ones nobody opened.
    let opened = store.queue_request(&ids[0], now()).expect("open");
    assert_eq!(opened.request.status, RequestStatus::Received);
    let queue = store
        .request_queue(&QueueFilter::default(), now())
        .expect("queue");
    assert_eq!(queue.items[2].request.id, ids[0]);
    let count = |q: &esv_shared::ipc::office::QueueView, s: RequestStatus| {
        q.counts
            .iter()
            .find(|c| c.status == s)
            .map_or(0, |c| c.count)
    };
    assert_eq!(count(&queue, RequestStatus::Sent), 2);
    assert_eq!(count(&queue, RequestStatus::Received), 1);

    let legal = store
        .request_queue(
            &QueueFilter {
                kind: Some(RequestKind::Legal),
                ..QueueFilter::default()
            },
            now(),
        )
        .expect("by kind");
    assert_eq!(legal.total, 1);
    assert_eq!(legal.items[0].request.id, ids[1]);

    let assigned = store
        .queue_assign(&ids[1], None, now())
        .expect("assign to me");
    assert_eq!(assigned.assigned_to.as_deref(), Some("ana"));
    let mine = store
        .request_queue(
            &QueueFilter {
                mine: true,
                ..QueueFilter::default()
            },
            now(),
        )
        .expect("mine");
    assert_eq!(mine.total, 1);

    let answered = store
        .queue_answer(
            &AnswerInput {
                id: ids[0].clone(),
                text: "Traga a certidão de nascimento na terça.".into(),
                status: Some(RequestStatus::InProgress),
            },
            now() + Duration::hours(1),
        )
        .expect("answer");
    assert_eq!(answered.request.status, RequestStatus::InProgress);
    let last = answered.request.events.last().expect("event");
    assert!(last.who_label.contains("Ana"), "{}", last.who_label);
    let in_progress = store
        .request_queue(
            &QueueFilter {
                status: Some(RequestStatus::InProgress),
                ..QueueFilter::default()
            },
            now(),
        )
        .expect("by status");
    assert_eq!(in_progress.items[0].request.id, ids[0]);

    // The citizen's own words read under the name they gave, not "Você".
    store
        .add_to_request(
            &ids[0],
            esv_shared::requests::Party::Citizen,
            None,
            Some("Obrigada, vou sim."),
            None,
            now() + Duration::hours(2),
        )
        .expect("citizen answers");
    let item = store.queue_request(&ids[0], now()).expect("open again");
    let last = item.request.events.last().expect("event");
    assert_eq!(last.who_label, "Joana");

    let empty = store
        .queue_answer(
            &AnswerInput {
                id: ids[0].clone(),
                ..AnswerInput::default()
            },
            now(),
        )
        .expect_err("nothing to say");
    assert!(
        empty.to_string().contains("Escreva uma mensagem"),
        "{empty}"
    );
    assert!(matches!(
        store.queue_request("dev-x/outro", now()),
        Err(ReplicaError::NotFound(_))
    ));
}

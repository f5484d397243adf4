//! The catalog editor through the real store: hours typed as text are checked with plain
//! messages and nothing is written on a mistake; a closure changes open-now; the review list;
//! a field worker may not edit.

use chrono::{DateTime, Utc};
use esv_replica::sync::Account;
use esv_replica::Store;
use esv_shared::ipc::catalog::{ClosureInput, DayHours, HoursInput};
use esv_shared::ipc::OpenKind;
use esv_shared::sync::{Role, Session};

fn now() -> DateTime<Utc> {
    // Tuesday 1 December 2026, 10:00 in Vitória.
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn account(role: Role) -> Account {
    Account {
        server: "http://127.0.0.1:9".into(),
        session: Session {
            device: "dev-1".into(),
            token: "t".into(),
            role,
            office: "es-vitoria".into(),
            username: Some("ana".into()),
        },
    }
}

fn day(weekday: u8, ranges: &[(&str, &str)]) -> DayHours {
    DayHours {
        weekday,
        label: String::new(),
        ranges: ranges
            .iter()
            .map(|(o, c)| ((*o).to_owned(), (*c).to_owned()))
            .collect(),
    }
}

#[test]
fn staff_edit_hours_and_closures_with_plain_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    store
        .set_account(&account(Role::FieldWorker))
        .expect("account");
    let refused = store
        .hours_edit("es-vitoria", now())
        .expect_err("field worker");
    assert!(
        refused.to_string().contains("altera o catálogo"),
        "{refused}"
    );

    store.set_account(&account(Role::Staff)).expect("account");
    let view = store.hours_edit("es-vitoria", now()).expect("view");
    assert_eq!(view.days.len(), 7);
    assert_eq!(view.days[0].label, "Segunda-feira");
    assert!(
        !view.days[1].ranges.is_empty(),
        "open on Tuesdays: {view:?}"
    );
    let before = store.service_detail("es-vitoria", now()).expect("detail");

    let wrong = store
        .hours_set(
            &HoursInput {
                id: "es-vitoria".into(),
                days: vec![day(0, &[("17:00", "08:00")]), day(1, &[("8h", "meio-dia")])],
            },
            now(),
        )
        .expect_err("mistakes");
    let words = wrong.to_string();
    assert!(
        words.contains("Fecha (08:00) antes de abrir (17:00)"),
        "{words}"
    );
    assert!(words.contains("“meio-dia” não é um horário"), "{words}");
    let after = store.service_detail("es-vitoria", now()).expect("detail");
    assert_eq!(after.hours, before.hours, "nothing written on a mistake");

    let set = store
        .hours_set(
            &HoursInput {
                id: "es-vitoria".into(),
                days: (0..5)
                    .map(|d| day(d, &[("8h", "12"), ("13:00", "17h")]))
                    .collect(),
            },
            now(),
        )
        .expect("hours");
    assert_eq!(
        set.days[2].ranges,
        [
            ("08:00".to_owned(), "12:00".to_owned()),
            ("13:00".to_owned(), "17:00".to_owned())
        ]
    );
    assert!(set.reviewed_label.contains("01/12/2026"));
    assert_eq!(
        store
            .service_detail("es-vitoria", now())
            .expect("detail")
            .open
            .kind,
        OpenKind::Open
    );

    let past = store
        .closure_set(
            &ClosureInput {
                id: "es-vitoria".into(),
                date: "01/01/2020".into(),
                reason: "recesso".into(),
                ..ClosureInput::default()
            },
            now(),
        )
        .expect_err("past date");
    assert!(past.to_string().contains("já passou"), "{past}");
    let closed = store
        .closure_set(
            &ClosureInput {
                id: "es-vitoria".into(),
                date: "01/12/2026".into(),
                reason: "Dedetização".into(),
                ..ClosureInput::default()
            },
            now(),
        )
        .expect("closure today");
    assert_eq!(closed.exceptions.len(), 1);
    assert!(closed.exceptions[0].label.contains("fechado (Dedetização)"));
    assert_eq!(
        store
            .service_detail("es-vitoria", now())
            .expect("detail")
            .open
            .kind,
        OpenKind::Closed,
        "closed today after the closure"
    );
    let reopened = store
        .closure_remove("es-vitoria", "2026-12-01", now())
        .expect("remove");
    assert!(reopened.exceptions.is_empty());

    // Nothing of the bundled catalog was reviewed in the last six months of 2027.
    let later: DateTime<Utc> = "2027-09-01T13:00:00Z".parse().expect("instant");
    let review = store.review_list(later).expect("review");
    assert!(!review.is_empty());
    assert!(review.iter().all(|r| !r.reason.is_empty()));
}

/// A night shelter's hours through the editor, by the one rule of `hours::interval`: 19:00 to
/// `07:00+1` saves, is open at 02:00 of the next morning, and comes back as typed, so saving the
/// form again changes nothing; the same times typed without `+1` are a mistake said plainly.
#[test]
fn a_night_interval_is_typed_with_plus_one_and_read_back_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    store.set_account(&account(Role::Staff)).expect("account");
    let swapped = store
        .hours_set(
            &HoursInput {
                id: "es-vitoria".into(),
                days: vec![day(1, &[("19:00", "07:00")])],
            },
            now(),
        )
        .expect_err("without +1");
    assert!(swapped.to_string().contains("escreva 07:00+1"), "{swapped}");

    let night = HoursInput {
        id: "es-vitoria".into(),
        days: vec![day(1, &[("19:00", "07:00+1")])],
    };
    let view = store.hours_set(&night, now()).expect("a night interval");
    assert_eq!(
        view.days[1].ranges,
        [("19:00".to_owned(), "07:00+1".to_owned())]
    );
    // Wednesday 2 December 2026, 02:00 in Vitória: still Tuesday's night.
    let small_hours: DateTime<Utc> = "2026-12-02T05:00:00Z".parse().expect("instant");
    let open = store
        .service_detail("es-vitoria", small_hours)
        .expect("detail")
        .open;
    assert_eq!(open.kind, OpenKind::Open, "{open:?}");
    let again = store
        .hours_set(
            &HoursInput {
                id: "es-vitoria".into(),
                days: view.days.clone(),
            },
            now(),
        )
        .expect("the form saved again as shown");
    assert_eq!(again.days, view.days);
}

//! The gate's list end to end, through a real server on a real port with real stores (the
//! field device's encrypted): the office adds a prison unit and a partner (an HSDS list) in
//! the morning and reads the unit's list of expected releases; the field device takes it at
//! its next sync, meets Joaquim at the gate offline — the form started from his entry, a
//! referral to the partner, a goal with a deadline — and syncs later; a week on, the office
//! records the partner's answer, finds the goal past its deadline on its home, and the month's
//! report counts the referral and its outcome, by service and by raça/cor, small numbers hidden.

use chrono::{DateTime, Utc};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::hsds::Bundle;
use esv_replica::sync;
use esv_replica::Store;
use esv_shared::ipc::team::{DueKind, OutcomeInput, PlanGoalInput};
use esv_shared::people::{ConsentForm, Origin, Race, ReferralStatus};
use esv_shared::report::{self, Cell, Period};
use esv_tests::sync_server::{team_store, TestServer, PASSWORD};

/// Vitória is UTC−3.
fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("instant")
}

fn device(server: &TestServer, dir: &tempfile::TempDir, user: &str) -> Store {
    let store = team_store(&dir.path().join(format!("{user}.db")));
    sync::login(&store, &server.url, user, PASSWORD, "teste").expect("login");
    store
}

fn sync_at(store: &mut Store, now: DateTime<Utc>) {
    sync::sync(store, None, now, &mut |_| {}).expect("sync");
}

#[test]
fn met_at_the_gate_from_the_units_list_referred_answered_and_counted() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let morning = at("2026-12-02T11:00:00Z");

    // The office, in the morning: a unit, a partner from an HSDS list, the unit's list.
    let mut office = device(&server, &dir, "ana");
    office
        .facility_save(
            "es-vitoria",
            None,
            "Centro de Detenção Provisória de Viana",
            "Viana",
            morning,
        )
        .expect("unit");
    let hsds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../replica/tests/data/hsds");
    let bundle = Bundle::read(&hsds).expect("HSDS list");
    office
        .hsds_import("es-vitoria", &bundle, morning)
        .expect("partner");
    let list = "nome;data_prevista;unidade;data_nascimento\n\
                Joaquim Pereira;02/12/2026;Centro de Detenção Provisória de Viana;11/02/1985\n\
                Rita Alves;04/12/2026;Centro de Detenção Provisória de Viana;\n";
    let read = office.releases_import(list, morning).expect("list");
    assert_eq!((read.added, read.problems.len()), (2, 0));
    sync_at(&mut office, morning);

    // The field device takes the list and the partner at its next sync, then goes to the gate.
    let mut field = device(&server, &dir, "caio");
    sync_at(&mut field, morning);
    let gate = field.worklist("es-vitoria", morning).expect("home");
    let names: Vec<&str> = gate.expected.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Joaquim Pereira", "Rita Alves"]);
    assert_eq!(gate.expected[0].when_label, "hoje");
    let joaquim = gate.expected[0].id.clone();
    let cadunico = field
        .index()
        .expect("index")
        .entries
        .iter()
        .find(|e| e.service.name == "Cadastro Único")
        .map(|e| e.service.id.clone())
        .expect("the partner's service is in the field device's catalog");

    // Offline at the gate (no sync until the evening).
    let at_gate = at("2026-12-02T13:30:00Z");
    let met = field
        .record_encounter(
            &EncounterForm {
                office_id: "es-vitoria".into(),
                staff: "caio".into(),
                release_id: Some(joaquim.clone()),
                person: PersonFields {
                    race: Some(Race::Black),
                    gender_identity: Some("homem".into()),
                    ..Default::default()
                },
                consent: Some(ConsentForm::Spoken),
                referrals: vec![ReferralForm {
                    service_id: cadunico.clone(),
                    reason: Some("Inscrição no CadÚnico".into()),
                }],
                ..Default::default()
            },
            at_gate,
        )
        .expect("encounter at the gate");
    assert_eq!(met.person_id, joaquim);
    field
        .plan_goal_set(
            &PlanGoalInput {
                person_id: joaquim.clone(),
                need: "documentacao".into(),
                action: "Tirar a segunda via do RG".into(),
                responsible: "Joaquim".into(),
                due: "2026-12-05".into(),
                ..Default::default()
            },
            at_gate,
        )
        .expect("goal");
    sync_at(&mut field, at("2026-12-02T22:00:00Z"));

    // The office the same evening: Joaquim's record, and the list knows he was met.
    sync_at(&mut office, at("2026-12-02T22:10:00Z"));
    let person = office
        .person(&joaquim)
        .expect("the person reached the office");
    assert_eq!(person.civil_name.as_deref(), Some("Joaquim Pereira"));
    assert_eq!(person.origin, Some(Origin::Gate));
    assert_eq!(
        office
            .expected_release(&joaquim)
            .expect("entry")
            .person_id
            .as_deref(),
        Some(joaquim.as_str())
    );
    let evening = office
        .worklist("es-vitoria", at("2026-12-02T22:10:00Z"))
        .expect("home");
    let expected: Vec<&str> = evening.expected.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(expected, ["Rita Alves"], "Joaquim is no longer expected");

    // A week later: the partner's answer, and the goal past its deadline on the office's home.
    let week = at("2026-12-09T14:00:00Z");
    let referral = office.referrals_of(&joaquim).expect("referrals")[0].clone();
    office
        .referral_outcome(
            &OutcomeInput {
                id: referral.id.clone(),
                status: ReferralStatus::Attended,
                outcome: "Inscrito no CadÚnico".into(),
            },
            week,
        )
        .expect("the partner's answer");
    let home = office.worklist("es-vitoria", week).expect("home");
    let goal = home
        .items
        .iter()
        .find(|i| i.kind == DueKind::Goal && i.person_id == joaquim)
        .expect("the goal past its deadline is on the home");
    assert!(goal.what.contains("segunda via do RG"), "{}", goal.what);
    assert_eq!(goal.overdue_days, 4);
    assert!(
        !home.items.iter().any(|i| i.kind == DueKind::Referral),
        "the answered referral is not due"
    );
    sync_at(&mut office, week);

    // December's report: the referral, answered, counted — one person, so hidden as "<5".
    let december = Period::month(2026, 12).expect("month");
    let report = office
        .monthly_report("es-vitoria", december, at("2027-01-02T12:00:00Z"))
        .expect("report");
    let attended = ReferralStatus::Attended.slug();
    // Counted, and one person's answer is never shown as a number: by service, and by raça/cor
    // (Joaquim declared himself preto).
    let by_service = cell(&report, report::REFERRALS, &cadunico, attended);
    assert!(
        matches!(by_service, Cell::Small | Cell::Hidden),
        "{by_service:?}"
    );
    let by_race = cell(
        &report,
        report::REFERRALS_BY_RACE,
        Race::Black.slug(),
        attended,
    );
    assert!(matches!(by_race, Cell::Small | Cell::Hidden), "{by_race:?}");
    assert!(
        report.section(report::TIME_TO_REFERRAL).is_some(),
        "time from first contact to first referral"
    );
    let gate = cell(&report, report::ORIGIN, Origin::Gate.slug(), "pessoas");
    assert!(
        matches!(gate, Cell::Small | Cell::Hidden),
        "met at the gate: counted, not shown: {gate:?}"
    );
}

/// The entry of a report's section at the row and column with these keys.
fn cell(report: &report::Report, section: &str, row: &str, column: &str) -> Cell {
    let table = &report.section(section).expect(section).table;
    let r = table.rows.iter().position(|l| l.key == row).expect(row);
    let c = table
        .columns
        .iter()
        .position(|l| l.key == column)
        .expect(column);
    table.cells[r][c]
}

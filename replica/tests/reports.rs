//! The monthly monitoring report over a generated data set whose answers are known by
//! construction: groups of people written with a stage, raça/cor and gender in their own
//! words, encounters, outreaches and referrals, in a real store. Checks every shown count
//! against the expected table, that every count from 1 to 4 is "<5", that no total gives a
//! hidden cell away, that another office's people never count, that the month is the office's
//! local month, and that a device of another office is refused.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use esv_replica::{ReplicaError, Store};
use esv_shared::document::{DocKind, Entity};
use esv_shared::people::{
    Consent, ConsentForm, Encounter, Need, Origin, Outreach, Person, Race, Referral,
    ReferralStatus, Stage, CONSENT_PURPOSE,
};
use esv_shared::report::{self, Cell, FigureValue, Period, Report, Table};
use esv_shared::sync::Role;

mod support;
use support::sign_in;

const OFFICE: &str = "es-vitoria";
const OTHER: &str = "es-boa-vista";
const DOCS: &str = "es-vitoria-documentos";
const ESCUTA: &str = "es-vitoria-escuta";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn now() -> DateTime<Utc> {
    at("2026-12-02T12:00:00Z")
}

/// A group of people alike: how many, and what they declared.
struct Group {
    n: usize,
    stage: Option<Stage>,
    race: Option<Race>,
    gender: Option<&'static str>,
    needs: &'static [Need],
}

/// The office's people served in November 2026 (local time, America/Sao_Paulo).
fn groups() -> Vec<Group> {
    use Need::*;
    let g = |n, stage, race, gender, needs| Group {
        n,
        stage,
        race,
        gender,
        needs,
    };
    vec![
        g(
            12,
            Some(Stage::Released),
            Some(Race::Brown),
            Some("homem"),
            &[CivilDocuments, Housing],
        ),
        g(
            8,
            Some(Stage::Released),
            Some(Race::Black),
            Some("Homem cis"),
            &[CivilDocuments],
        ),
        g(
            6,
            Some(Stage::Released),
            Some(Race::Brown),
            Some("mulher"),
            &[CivilDocuments, Health],
        ),
        g(
            5,
            Some(Stage::PreRelease),
            Some(Race::White),
            Some("masculino"),
            &[CivilDocuments],
        ),
        g(
            7,
            Some(Stage::Family),
            Some(Race::Brown),
            Some("Mulher"),
            &[CivilDocuments],
        ),
        g(
            2,
            Some(Stage::Released),
            Some(Race::Indigenous),
            Some("travesti"),
            &[CivilDocuments],
        ),
        g(
            1,
            Some(Stage::Released),
            Some(Race::Brown),
            Some("homem trans"),
            &[CivilDocuments],
        ),
        g(3, None, None, None, &[CivilDocuments]),
    ]
}

/// Expected people by stage (rows in the report's order) and by raça/cor × gênero.
const STAGE: [(&str, u64); 4] = [
    ("pre-release", 5),
    ("released", 29),
    ("family", 7),
    ("nao-informado", 3),
];
const RACE_GENDER: [(&str, &str, u64); 7] = [
    ("parda", "homem-cis", 12),
    ("preta", "homem-cis", 8),
    ("parda", "mulher-cis", 13),
    ("branca", "homem-cis", 5),
    ("indigena", "mulher-trans-travesti", 2),
    ("parda", "homem-trans", 1),
    ("nao-informado", "nao-declarada", 3),
];
const SERVED: u64 = 44;

struct Data {
    entities: Vec<Entity>,
    next: usize,
}

impl Data {
    fn person(
        &mut self,
        office: &str,
        stage: Option<Stage>,
        race: Option<Race>,
        gender: Option<&str>,
    ) -> String {
        self.next += 1;
        let id = format!("{office}-p{:04}", self.next);
        let mut p = Person::new(&id, office, "ana", at("2026-08-01T12:00:00Z"));
        p.social_name = Some(format!("Pessoa {}", self.next));
        p.stage = stage;
        p.race = race;
        p.gender_identity = gender.map(str::to_owned);
        p.consents.push(Consent {
            id: format!("{id}-c"),
            purpose: CONSENT_PURPOSE.into(),
            form: ConsentForm::Spoken,
            staff: "ana".into(),
            at: at("2026-08-01T12:00:00Z"),
            withdrawn_at: None,
        });
        self.entities.push(Entity::Person(p));
        id
    }

    fn encounter(
        &mut self,
        person: &str,
        office: &str,
        when: DateTime<Utc>,
        needs: &[Need],
        outreach: Option<&str>,
    ) {
        self.next += 1;
        self.entities.push(Entity::Encounter(Encounter {
            id: format!("{person}/e{}", self.next),
            person_id: person.into(),
            office_id: office.into(),
            outreach_id: outreach.map(str::to_owned),
            at: when,
            staff: "ana".into(),
            consent_id: format!("{person}-c"),
            needs: needs.to_vec(),
            follow_up: None,
            notes: String::new(),
        }));
    }

    fn referral(
        &mut self,
        person: &str,
        office: &str,
        service: &str,
        made: DateTime<Utc>,
        status: ReferralStatus,
        answered: Option<DateTime<Utc>>,
    ) {
        self.next += 1;
        self.entities.push(Entity::Referral(Referral {
            id: format!("{person}/r{}", self.next),
            person_id: person.into(),
            office_id: office.into(),
            encounter_id: None,
            service_id: service.into(),
            made_at: made,
            made_by: "ana".into(),
            reason: None,
            status,
            outcome: answered.map(|_| "retorno do serviço".into()),
            outcome_at: answered,
            outcome_by: answered.map(|_| "ana".into()),
        }));
    }

    fn outreach(&mut self, id: &str, office: &str, place: &str, date: &str) {
        self.entities.push(Entity::Outreach(Outreach {
            id: id.into(),
            office_id: office.into(),
            place: place.into(),
            date: date.parse().expect("date"),
            team: vec!["ana".into()],
        }));
    }
}

/// Writes the data set; returns the ids of the office's people served in November, in group
/// order.
fn fill(store: &mut Store) -> Vec<String> {
    let mut d = Data {
        entities: Vec::new(),
        next: 0,
    };
    d.outreach(
        "o-cariacica",
        OFFICE,
        "Presídio Feminino de Cariacica",
        "2026-11-05",
    );
    d.outreach(
        "o-viana",
        OFFICE,
        "Porta de saída — CDP de Viana",
        "2026-11-12",
    );
    d.outreach(
        "o-outubro",
        OFFICE,
        "Presídio Feminino de Cariacica",
        "2026-10-20",
    );
    let mut served = Vec::new();
    for g in groups() {
        for _ in 0..g.n {
            let id = d.person(OFFICE, g.stage, g.race, g.gender);
            // Spread over the month; the first of them at 23:59 local on 30 November.
            // The six people attended by the network come back after their answer.
            let when = match served.len() {
                0 => at("2026-12-01T02:59:00Z"),
                1..6 => at("2026-11-25T13:00:00Z"),
                n => at("2026-11-03T13:00:00Z") + Duration::hours(9 * n as i64),
            };
            let outreach = match served.len() {
                0..7 => Some("o-cariacica"),
                7..10 => Some("o-viana"),
                _ => None,
            };
            d.encounter(&id, OFFICE, when, g.needs, outreach);
            served.push(id);
        }
    }
    // Not served in November: seen only in October, or at 23:30 local on 31 October.
    for when in ["2026-10-10T12:00:00Z", "2026-11-01T02:30:00Z"] {
        let id = d.person(
            OFFICE,
            Some(Stage::Released),
            Some(Race::Brown),
            Some("homem"),
        );
        d.encounter(&id, OFFICE, at(when), &[Need::Food], Some("o-outubro"));
    }
    // Referrals made in November: 10 to documents (6 attended, 2 not, 2 waiting), 7 to
    // listening (all waiting); and one made in October.
    let answer = at("2026-11-20T15:00:00Z");
    for (i, person) in served.iter().take(10).enumerate() {
        let (status, answered) = match i {
            0..6 => (ReferralStatus::Attended, Some(answer)),
            6..8 => (ReferralStatus::NotAttended, Some(answer)),
            _ => (ReferralStatus::Referred, None),
        };
        d.referral(
            person,
            OFFICE,
            DOCS,
            at("2026-11-10T13:00:00Z"),
            status,
            answered,
        );
    }
    for person in served.iter().skip(10).take(7) {
        d.referral(
            person,
            OFFICE,
            ESCUTA,
            at("2026-11-11T13:00:00Z"),
            ReferralStatus::Referred,
            None,
        );
    }
    d.referral(
        &served[20],
        OFFICE,
        DOCS,
        at("2026-10-11T13:00:00Z"),
        ReferralStatus::Referred,
        None,
    );
    // The six attended people were first met 2, 5, 12, 20, 45 and 100 days before the answer.
    for (person, days) in served.iter().zip([2, 5, 12, 20, 45, 100]) {
        d.encounter(person, OFFICE, answer - Duration::days(days), &[], None);
    }
    // Another office, same month: never counted.
    for _ in 0..9 {
        let id = d.person(
            OTHER,
            Some(Stage::Released),
            Some(Race::Brown),
            Some("homem"),
        );
        d.encounter(
            &id,
            OTHER,
            at("2026-11-10T13:00:00Z"),
            &[Need::Housing, Need::Health],
            None,
        );
        d.referral(
            &id,
            OTHER,
            DOCS,
            at("2026-11-10T13:00:00Z"),
            ReferralStatus::Attended,
            Some(answer),
        );
    }
    store.edit_all(&d.entities, now()).expect("write data set");
    served
}

fn report_of(store: &mut Store) -> Report {
    store
        .monthly_report(OFFICE, Period::parse("2026-11").expect("period"), now())
        .expect("report")
}

/// The shown cell at (row key, column key).
fn cell(t: &Table, row: &str, column: &str) -> Cell {
    let r = t.rows.iter().position(|l| l.key == row).expect(row);
    let c = t
        .columns
        .iter()
        .position(|l| l.key == column)
        .expect(column);
    t.cells[r][c]
}

/// Every shown value equals the expected one; every expected 1..=4 is "<5"; no shown value is
/// 1..=4; and no line whose total is shown has exactly one hidden cell.
fn check_table(t: &Table, expected: &BTreeMap<(String, String), u64>) {
    let want = |r: usize, c: usize| {
        *expected
            .get(&(t.rows[r].key.clone(), t.columns[c].key.clone()))
            .unwrap_or(&0)
    };
    for (r, row) in t.cells.iter().enumerate() {
        for (c, shown) in row.iter().enumerate() {
            let v = want(r, c);
            match shown {
                Cell::Count(n) => assert_eq!(*n, v, "{} × {}", t.rows[r].key, t.columns[c].key),
                Cell::Small => assert!((1..5).contains(&v)),
                Cell::Hidden => assert!(v > 0),
                Cell::AtLeast(_) => panic!("an office report has no ≥ cells"),
            }
            if (1..5).contains(&v) {
                assert!(matches!(shown, Cell::Small | Cell::Hidden), "{v} shown");
            }
        }
    }
    let Some(tot) = &t.totals else { return };
    for (r, total) in tot.rows.iter().enumerate() {
        let sum: u64 = (0..t.columns.len()).map(|c| want(r, c)).sum();
        if let Cell::Count(n) = total {
            assert_eq!(*n, sum, "row total {}", t.rows[r].key);
            let hidden = t.cells[r].iter().filter(|c| c.count().is_none()).count();
            assert_ne!(
                hidden, 1,
                "row {} gives its hidden cell away",
                t.rows[r].key
            );
        }
    }
    for (c, total) in tot.columns.iter().enumerate() {
        let sum: u64 = (0..t.rows.len()).map(|r| want(r, c)).sum();
        if let Cell::Count(n) = total {
            assert_eq!(*n, sum, "column total {}", t.columns[c].key);
            let hidden = t
                .cells
                .iter()
                .filter(|row| row[c].count().is_none())
                .count();
            assert_ne!(
                hidden, 1,
                "column {} gives its hidden cell away",
                t.columns[c].key
            );
        }
    }
}

fn expected(pairs: &[(&str, &str, u64)]) -> BTreeMap<(String, String), u64> {
    pairs
        .iter()
        .map(|(r, c, n)| ((r.to_string(), c.to_string()), *n))
        .collect()
}

#[test]
fn a_month_of_known_people_gives_the_known_suppressed_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    fill(&mut store);
    let report = report_of(&mut store);
    assert_eq!(report.office, OFFICE);
    assert_eq!(report.offices, vec![OFFICE]);

    let stage = &report
        .section(report::PEOPLE_BY_STAGE)
        .expect("stage")
        .table;
    let stage_expected: Vec<(&str, &str, u64)> =
        STAGE.iter().map(|(k, n)| (*k, "pessoas", *n)).collect();
    check_table(stage, &expected(&stage_expected));
    assert_eq!(
        stage.totals.as_ref().expect("totals").all,
        Cell::Count(SERVED)
    );
    assert_eq!(cell(stage, "released", "pessoas"), Cell::Count(29));
    assert_eq!(cell(stage, "nao-informado", "pessoas"), Cell::Small);
    // One "<5" in a column whose total is shown: the smallest other cell (5) is hidden too.
    assert_eq!(cell(stage, "pre-release", "pessoas"), Cell::Hidden);
    assert_eq!(cell(stage, "family", "pessoas"), Cell::Count(7));

    let rg = &report.section(report::RACE_GENDER).expect("race").table;
    check_table(rg, &expected(&RACE_GENDER));
    assert_eq!(rg.totals.as_ref().expect("totals").all, Cell::Count(SERVED));
    assert_eq!(cell(rg, "indigena", "mulher-trans-travesti"), Cell::Small);
    assert_eq!(cell(rg, "parda", "homem-trans"), Cell::Small);
    assert_eq!(cell(rg, "preta", "homem-cis"), Cell::Count(8));
    assert_eq!(cell(rg, "amarela", "nao-binario"), Cell::Count(0));

    let needs = &report.section(report::NEEDS).expect("needs").table;
    assert!(needs.totals.is_none(), "a person counts in several needs");
    assert_eq!(needs.rows[0].key, "documentacao", "most frequent first");
    assert_eq!(needs.cells[0][0], Cell::Count(SERVED));
    assert_eq!(needs.rows[1].key, "moradia");
    assert_eq!(needs.cells[1][0], Cell::Count(12));
    assert_eq!(cell(needs, "saude", "pessoas"), Cell::Count(6));
    assert_eq!(
        cell(needs, "alimentacao", "pessoas"),
        Cell::Count(0),
        "October's only"
    );

    let refs = report.section(report::REFERRALS).expect("referrals");
    check_table(
        &refs.table,
        &expected(&[
            (DOCS, "atendido", 6),
            (DOCS, "nao-atendido", 2),
            (DOCS, "encaminhado", 2),
            (ESCUTA, "encaminhado", 7),
        ]),
    );
    let t = refs.totals_all();
    assert_eq!(t, Cell::Count(17));
    let share = refs
        .figures
        .iter()
        .find(|f| f.id == "taxa-contrarreferencia")
        .expect("share");
    // 8 of 17 answered — shown only if the "aguardando" total (9) is shown.
    match share.value {
        FigureValue::Percent(Some(p)) => assert!((p - 800.0 / 17.0).abs() < 0.01, "{p}"),
        FigureValue::Percent(None) => {}
        ref other => panic!("{other:?}"),
    }

    let reach = report.section(report::OUTREACH).expect("outreach");
    assert_eq!(reach.table.rows[0].text, "Presídio Feminino de Cariacica");
    assert_eq!(reach.table.cells[0][0], Cell::Count(7));
    assert_eq!(reach.table.cells[1][0], Cell::Small, "3 people at Viana");
    assert_eq!(
        reach.figures[0].value,
        FigureValue::Count(Cell::Count(2)),
        "two outreaches in November"
    );

    let care = report.section(report::TIME_TO_CARE).expect("time");
    // 2, 5 | 12, 20 | 45 | 100 days: every bucket under 5, the 6 people shown.
    assert_eq!(care.table.cells[0][0], Cell::Small);
    assert_eq!(
        care.table.totals.as_ref().expect("totals").all,
        Cell::Count(6)
    );
    assert_eq!(care.figures[0].value, FigureValue::Days(Some(16.0)));

    let csv = report::csv::render(&report);
    for v in report::csv::values(&csv) {
        assert!(
            !matches!(v.parse::<u64>(), Ok(1..=4)),
            "a small count in the CSV: {v}"
        );
    }
    assert!(csv.contains(
        "es-vitoria;2026-11;Pessoas atendidas no mês;Pessoa egressa;Pessoas atendidas;29"
    ));
}

trait TotalsAll {
    fn totals_all(&self) -> Cell;
}

impl TotalsAll for report::Section {
    fn totals_all(&self) -> Cell {
        self.table.totals.as_ref().map_or(Cell::Count(0), |t| t.all)
    }
}

#[test]
fn another_office_sees_none_of_this_office_and_may_not_ask() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    fill(&mut store);
    let other = store
        .monthly_report(OTHER, Period::parse("2026-11").expect("period"), now())
        .expect("report");
    // Only its own 9 people, referrals and needs.
    let stage = &other.section(report::PEOPLE_BY_STAGE).expect("stage").table;
    assert_eq!(stage.totals.as_ref().expect("totals").all, Cell::Count(9));
    let refs = &other.section(report::REFERRALS).expect("refs").table;
    assert_eq!(refs.totals.as_ref().expect("totals").all, Cell::Count(9));
    let reach = &other.section(report::OUTREACH).expect("reach").table;
    assert!(
        reach.rows.is_empty(),
        "this office's outreaches are not the other's"
    );

    let mut account = |role, office: &str| {
        sign_in(&mut store, role, office);
        store.monthly_report(OFFICE, Period::parse("2026-11").expect("period"), now())
    };
    for (role, office) in [
        (Role::Staff, OTHER),
        (Role::Coordinator, OTHER),
        (Role::Citizen, OFFICE),
        (Role::FieldWorker, OFFICE),
    ] {
        let err = account(role, office).expect_err("refused");
        assert!(
            matches!(err, ReplicaError::BadInput(ref m) if m.contains("só da equipe")),
            "{err}"
        );
    }
    let report = account(Role::Coordinator, OFFICE).expect("own office");
    let stage = &report
        .section(report::PEOPLE_BY_STAGE)
        .expect("stage")
        .table;
    assert_eq!(
        stage.totals.as_ref().expect("totals").all,
        Cell::Count(SERVED)
    );
}

#[test]
fn the_cli_prints_tables_and_csv_without_small_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    {
        let (mut store, _) = Store::open(&path).expect("open");
        fill(&mut store);
    }
    let esv = env!("CARGO_BIN_EXE_esv");
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(esv)
            .args([
                "--store",
                path.to_str().expect("path"),
                "report",
                "--office",
                OFFICE,
                "--month",
                "2026-11",
            ])
            .args(extra)
            .output()
            .expect("esv");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let text = run(&[]);
    assert!(text.contains("novembro de 2026"), "{text}");
    assert!(text.contains("Pessoas atendidas por raça/cor e gênero"));
    assert!(text.contains("<5"));
    let csv = run(&["--csv"]);
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains(report::csv::HEADER));
    for v in report::csv::values(&csv) {
        assert!(!matches!(v.parse::<u64>(), Ok(1..=4)), "{v}");
    }
    let bad = std::process::Command::new(esv)
        .args([
            "--store",
            path.to_str().expect("path"),
            "report",
            "--office",
            OFFICE,
            "--month",
            "novembro",
        ])
        .output()
        .expect("esv");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("AAAA-MM"));
}

/// Takes a store back to schema 8: drops what migrations 9, 10 and 14 added (the report's columns
/// and their indexes, the quarantine), so the rows are as a store of that version has them.
fn downgrade_to_8(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("raw");
    // Migration 12's column, where the store has come that far.
    let has_what: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM pragma_table_info('audit_pending') WHERE name = 'what'",
            [],
            |r| r.get(0),
        )
        .expect("columns");
    if has_what > 0 {
        conn.execute_batch("ALTER TABLE audit_pending DROP COLUMN what;")
            .expect("drop what");
    }
    // Migration 13's index on those columns, and 14's column and index, where the store has
    // come that far.
    conn.execute_batch(
        "DROP INDEX IF EXISTS referrals_waiting;
         DROP INDEX IF EXISTS people_for_report_by_origin;
         ALTER TABLE people DROP COLUMN origin;",
    )
    .expect("drop migrations 13's and 14's");
    conn.execute_batch(
        "DROP INDEX IF EXISTS people_for_report; DROP INDEX encounters_for_report;
         DROP INDEX referrals_for_report; DROP INDEX referrals_answered;
         ALTER TABLE people DROP COLUMN stage; ALTER TABLE people DROP COLUMN race;
         ALTER TABLE people DROP COLUMN gender; ALTER TABLE people DROP COLUMN merged_into;
         ALTER TABLE encounters DROP COLUMN office_id;
         ALTER TABLE encounters DROP COLUMN outreach_id;
         ALTER TABLE encounters DROP COLUMN needs;
         ALTER TABLE referrals DROP COLUMN office_id; ALTER TABLE referrals DROP COLUMN made_at;
         ALTER TABLE referrals DROP COLUMN outcome_at;
         DROP TABLE IF EXISTS quarantine;
         PRAGMA user_version = 8;",
    )
    .expect("downgrade");
    let people: i64 = conn
        .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
        .expect("count");
    assert!(people > 40, "the rows stay: {people}");
}

#[test]
fn a_store_from_schema_8_gives_the_same_report_after_migration_9() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let fresh = {
        let (mut store, _) = Store::open(&path).expect("open");
        fill(&mut store);
        report_of(&mut store)
    };
    assert_eq!(
        fresh
            .section(report::PEOPLE_BY_STAGE)
            .expect("stage")
            .table
            .totals
            .as_ref()
            .expect("totals")
            .all,
        Cell::Count(SERVED)
    );
    // The migrations alone (9 and 14 add the report's columns), without rebuilding the
    // projections: they fill the columns themselves.
    downgrade_to_8(&path);
    {
        let latest = esv_replica::migrations::latest();
        let mut store = Store::open_at_version(&path, latest).expect("migrate");
        assert_eq!(store.schema_version().expect("version"), latest);
        assert_eq!(report_of(&mut store), fresh);
    }
    // And as the app opens it: migrated, projections rebuilt from the documents.
    downgrade_to_8(&path);
    let (mut store, notice) = Store::open(&path).expect("migrated");
    assert!(notice.is_none());
    assert_eq!(
        store.schema_version().expect("version"),
        esv_replica::migrations::latest()
    );
    assert_eq!(report_of(&mut store), fresh);
}

#[test]
fn a_changed_document_changes_what_the_report_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let served = fill(&mut store);
    let before = report_of(&mut store);
    let stage = |r: &Report, row: &str| {
        cell(
            &r.section(report::PEOPLE_BY_STAGE).expect("stage").table,
            row,
            "pessoas",
        )
    };
    let total = |r: &Report, id: &str| {
        r.section(id)
            .expect(id)
            .table
            .totals
            .as_ref()
            .expect("totals")
            .all
    };
    assert_eq!(stage(&before, "family"), Cell::Count(7));
    assert_eq!(total(&before, report::REFERRALS), Cell::Count(17));

    let mut changed = Vec::new();
    for entity in store.entities(DocKind::Person).expect("people") {
        let Entity::Person(mut p) = entity else {
            continue;
        };
        // The three who said nothing now say they are family; one of the first group is
        // merged into another of it.
        if served[41..44].contains(&p.id) {
            p.stage = Some(Stage::Family);
            changed.push(Entity::Person(p));
        } else if p.id == served[11] {
            p.merged_into = Some(served[10].clone());
            changed.push(Entity::Person(p));
        }
    }
    for entity in store.entities(DocKind::Referral).expect("referrals") {
        // A referral of November was in fact made in October.
        if let Entity::Referral(mut r) = entity {
            if r.person_id == served[16] && r.made_at.to_rfc3339().starts_with("2026-11") {
                r.made_at = at("2026-10-11T13:00:00Z");
                changed.push(Entity::Referral(r));
            }
        }
    }
    assert_eq!(changed.len(), 5);
    store.edit_all(&changed, now()).expect("edit");

    let after = report_of(&mut store);
    assert_eq!(stage(&after, "family"), Cell::Count(10));
    assert_eq!(stage(&after, "nao-informado"), Cell::Count(0));
    assert_eq!(
        total(&after, report::PEOPLE_BY_STAGE),
        Cell::Count(SERVED - 1)
    );
    assert_eq!(total(&after, report::REFERRALS), Cell::Count(16));
}

#[test]
fn the_report_counts_how_people_reached_the_office_with_the_same_suppression() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let served = fill(&mut store);
    let origin = |r: &Report, row: &str| {
        cell(
            &r.section(report::ORIGIN).expect("origin").table,
            row,
            "pessoas",
        )
    };
    let before = report_of(&mut store);
    assert_eq!(origin(&before, "nao-informado"), Cell::Count(SERVED));
    // Twenty met at the gate, ten on their own, two sent by the justice system.
    let mut changed = Vec::new();
    for entity in store.entities(DocKind::Person).expect("people") {
        let Entity::Person(mut p) = entity else {
            continue;
        };
        let Some(k) = served.iter().position(|id| *id == p.id) else {
            continue;
        };
        p.origin = match k {
            0..=19 => Some(Origin::Gate),
            20..=29 => Some(Origin::WalkIn),
            30..=31 => Some(Origin::Justice),
            _ => continue,
        };
        changed.push(Entity::Person(p));
    }
    assert_eq!(changed.len(), 32);
    store.edit_all(&changed, now()).expect("edit");
    let after = report_of(&mut store);
    assert_eq!(origin(&after, "justica"), Cell::Small, "2 is never shown");
    let truths = [
        ("porta-de-saida", 20),
        ("por-conta-propria", 10),
        ("justica", 2),
        ("nao-informado", 12),
    ];
    let mut hidden = 0;
    for (row, truth) in truths {
        match origin(&after, row) {
            Cell::Count(n) => assert_eq!(n, truth, "{row} shown as it is"),
            _ => hidden += 1,
        }
    }
    assert!(
        hidden >= 2,
        "the small count is not worked out from the total: another is hidden"
    );
    assert_eq!(
        after
            .section(report::ORIGIN)
            .and_then(|s| s.table.totals.as_ref())
            .map(|t| t.all),
        Some(Cell::Count(SERVED))
    );
    // A rebuild of the projections gives the same report.
    store.rebuild_projections().expect("rebuild");
    assert_eq!(report_of(&mut store), after);
}

/// The column totals and grand total of the referral tables are one number each: shown the
/// same in all three, or hidden in all three.
fn same_totals(tables: &[&Table]) {
    let totals: Vec<&report::Totals> = tables
        .iter()
        .map(|t| t.totals.as_ref().expect("totals"))
        .collect();
    let column = |t: &Table, tot: &report::Totals, c: usize| {
        tot.columns.get(c).copied().unwrap_or_else(|| t.cells[0][c])
    };
    for c in 0..tables[0].columns.len() {
        let seen: Vec<Cell> = tables
            .iter()
            .zip(&totals)
            .map(|(t, tot)| column(t, tot, c))
            .collect();
        let shown: Vec<Option<u64>> = seen.iter().map(|c| c.count()).collect();
        assert!(
            shown.iter().all(|s| *s == shown[0]),
            "status {}: {seen:?}",
            tables[0].columns[c].key
        );
    }
    let all: Vec<Option<u64>> = totals.iter().map(|t| t.all.count()).collect();
    assert!(all.iter().all(|a| *a == all[0]), "{all:?}");
}

#[test]
fn referrals_by_raca_cor_and_genero_and_time_to_first_referral() {
    let (_dir, mut store) = support::store();
    let served = fill(&mut store);
    let report = report_of(&mut store);
    // November's 17 referrals: 12 of pardos homens cis (6 attended, 2 not, 4 waiting), 5 of
    // pretos homens cis (waiting).
    let by_race = &report
        .section(report::REFERRALS_BY_RACE)
        .expect("by raça/cor")
        .table;
    check_table(
        by_race,
        &expected(&[
            ("parda", "atendido", 6),
            ("parda", "nao-atendido", 2),
            ("parda", "encaminhado", 4),
            ("preta", "encaminhado", 5),
        ]),
    );
    assert_eq!(cell(by_race, "parda", "nao-atendido"), Cell::Small);
    assert_eq!(by_race.columns[0].text, "Aguardando retorno");
    let by_gender = &report
        .section(report::REFERRALS_BY_GENDER)
        .expect("by gênero")
        .table;
    check_table(
        by_gender,
        &expected(&[
            ("homem-cis", "atendido", 6),
            ("homem-cis", "nao-atendido", 2),
            ("homem-cis", "encaminhado", 9),
        ]),
    );
    assert_eq!(cell(by_gender, "homem-cis", "nao-atendido"), Cell::Small);
    let by_service = &report.section(report::REFERRALS).expect("service").table;
    same_totals(&[by_service, by_race, by_gender]);

    // Their first referrals, all made in November: 17 people, from first contact 0 to 89 days.
    let first = report
        .section(report::TIME_TO_REFERRAL)
        .expect("time to referral");
    check_table(
        &first.table,
        &expected(&[("parda", "homem-cis", 12), ("preta", "homem-cis", 5)]),
    );
    let median = |id: &str| {
        first
            .figures
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.value.clone())
    };
    assert_eq!(median("mediana-dias"), Some(FigureValue::Days(Some(3.0))));
    assert_eq!(
        median("mediana-dias:parda"),
        Some(FigureValue::Days(Some(4.0)))
    );
    assert_eq!(
        median("mediana-dias:preta"),
        Some(FigureValue::Days(Some(2.0)))
    );
    assert_eq!(
        median("mediana-dias:homem-cis"),
        Some(FigureValue::Days(Some(3.0)))
    );
    assert_eq!(median("mediana-dias:branca"), None, "nobody: no figure");

    // One of the pretos' referrals was in fact made in October: four people are left in that
    // group, a "<5", with no median; the total of 16 cannot give it away.
    let mut changed = Vec::new();
    for entity in store.entities(DocKind::Referral).expect("referrals") {
        if let Entity::Referral(mut r) = entity {
            if r.person_id == served[12] {
                r.made_at = at("2026-10-11T13:00:00Z");
                changed.push(Entity::Referral(r));
            }
        }
    }
    assert_eq!(changed.len(), 1);
    store.edit_all(&changed, now()).expect("edit");
    let after = report_of(&mut store);
    let first = after.section(report::TIME_TO_REFERRAL).expect("time");
    check_table(
        &first.table,
        &expected(&[("parda", "homem-cis", 12), ("preta", "homem-cis", 4)]),
    );
    assert_eq!(cell(&first.table, "preta", "homem-cis"), Cell::Small);
    let preta = first.figures.iter().find(|f| f.id == "mediana-dias:preta");
    assert_eq!(
        preta.map(|f| f.value.clone()),
        Some(FigureValue::Days(None))
    );
    let csv = report::csv::render(&after);
    for v in report::csv::values(&csv) {
        assert!(!matches!(v.parse::<u64>(), Ok(1..=4)), "{v}");
    }
    assert!(csv.contains("Encaminhamentos por raça/cor e retorno"));
}

//! The national roll-up end to end, with a real server and two offices' real stores: each
//! office's staff send their suppressed monthly report; a Coordinator reads the sum as JSON and
//! CSV, re-suppressed, where every shown number is true and every "≥ n" a true lower bound;
//! sending again replaces; staff of another office, field workers and anonymous callers are
//! refused, and so is a report with a count under 5 in the open.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use esv_replica::{sync, Store};
use esv_shared::document::Entity;
use esv_shared::people::{Consent, ConsentForm, Encounter, Need, Person, Race, Stage};
use esv_shared::report::{self, Cell, Period, Report};
use esv_tests::sync_server::{TestServer, PASSWORD};

fn now() -> DateTime<Utc> {
    "2026-12-02T12:00:00Z".parse().expect("instant")
}

fn november() -> Period {
    Period::parse("2026-11").expect("period")
}

/// A signed-in store of `user` holding `groups` of people (count, race, gender) served in
/// November in `office`.
fn office_store(
    server: &TestServer,
    dir: &tempfile::TempDir,
    user: &str,
    office: &str,
    groups: &[(usize, Race, &str)],
) -> Store {
    let store = esv_tests::sync_server::team_store(&dir.path().join(format!("{user}.db")));
    sync::login(&store, &server.url, user, PASSWORD, "teste").expect("login");
    let mut store = store;
    let mut entities = Vec::new();
    let mut n = 0;
    for &(count, race, gender) in groups {
        for _ in 0..count {
            n += 1;
            let id = format!("{office}-p{n:03}");
            let mut p = Person::new(&id, office, user, now());
            p.social_name = Some(format!("Pessoa {n}"));
            p.stage = Some(Stage::Released);
            p.race = Some(race);
            p.gender_identity = Some(gender.into());
            p.consents.push(Consent {
                id: format!("{id}-c"),
                purpose: "teste".into(),
                form: ConsentForm::Spoken,
                staff: user.into(),
                at: now(),
                withdrawn_at: None,
            });
            entities.push(Entity::Person(p));
            entities.push(Entity::Encounter(Encounter {
                id: format!("{id}/e1"),
                person_id: id.clone(),
                office_id: office.into(),
                outreach_id: None,
                at: "2026-11-10T13:00:00Z".parse().expect("instant"),
                staff: user.into(),
                consent_id: format!("{id}-c"),
                needs: vec![Need::CivilDocuments],
                follow_up: None,
                notes: String::new(),
            }));
        }
    }
    store.edit_all(&entities, now()).expect("write");
    store
}

fn token(store: &Store) -> String {
    store
        .account()
        .expect("account")
        .expect("signed in")
        .session
        .token
}

struct Http {
    agent: ureq::Agent,
    url: String,
}

impl Http {
    fn get(&self, path: &str, token: Option<&str>, accept: Option<&str>) -> (u16, String) {
        let mut req = self.agent.get(&format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let mut resp = req.call().expect("get");
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().unwrap_or_default())
    }

    fn post(&self, token: &str, report: &Report) -> (u16, String) {
        let mut resp = self
            .agent
            .post(&format!("{}/v1/rollup", self.url))
            .header("authorization", &format!("Bearer {token}"))
            .header("content-type", "application/json")
            .send(serde_json::to_vec(report).expect("json").as_slice())
            .expect("post");
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().unwrap_or_default())
    }
}

#[test]
fn two_offices_add_up_to_a_suppressed_national_report() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut vitoria = office_store(
        &server,
        &dir,
        "coord",
        "es-vitoria",
        &[
            (14, Race::Brown, "homem"),
            (6, Race::Black, "mulher"),
            (2, Race::Indigenous, "mulher"),
        ],
    );
    let mut boa_vista = office_store(
        &server,
        &dir,
        "rui",
        "rr-boa-vista",
        &[(10, Race::Brown, "homem"), (3, Race::Black, "mulher")],
    );
    // The true national counts, which no one may read in full.
    let truth: BTreeMap<(&str, &str), u64> = [
        (("parda", "homem-cis"), 24),
        (("preta", "mulher-cis"), 9),
        (("indigena", "mulher-cis"), 2),
    ]
    .into();

    let got = vitoria
        .send_monthly_report("es-vitoria", november(), now())
        .expect("send");
    assert_eq!(
        (got.office.as_str(), got.period),
        ("es-vitoria", november())
    );
    boa_vista
        .send_monthly_report("rr-boa-vista", november(), now())
        .expect("send");
    // Sending again replaces the first one.
    vitoria
        .send_monthly_report("es-vitoria", november(), now())
        .expect("send again");

    let remote = sync::Remote::new(&server.url).expect("remote");
    let national = remote
        .national_report(&token(&vitoria), november())
        .expect("national");
    assert_eq!(national.office, "nacional");
    assert_eq!(national.offices, vec!["es-vitoria", "rr-boa-vista"]);
    let t = &national.section(report::RACE_GENDER).expect("race").table;
    assert_eq!(t.totals.as_ref().expect("totals").all, Cell::Count(35));
    let mut checked = 0;
    for (r, row) in t.rows.iter().enumerate() {
        for (c, col) in t.columns.iter().enumerate() {
            let real = *truth
                .get(&(row.key.as_str(), col.key.as_str()))
                .unwrap_or(&0);
            match t.cells[r][c] {
                Cell::Count(n) => assert_eq!(n, real, "{} × {}", row.key, col.key),
                Cell::Small => assert!((1..5).contains(&real)),
                Cell::AtLeast(n) => assert!(n <= real && real > 0, "≥{n} but {real}"),
                Cell::Hidden => panic!("the roll-up says ≥ n, not X"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 7 * 7);
    // Boa Vista hid its 10 (to protect its 3); Vitória showed its 14: at least 14 + 5.
    let parda = t.rows.iter().position(|l| l.key == "parda").expect("row");
    let homem = t
        .columns
        .iter()
        .position(|l| l.key == "homem-cis")
        .expect("col");
    assert_eq!(t.cells[parda][homem], Cell::AtLeast(19));

    let http = Http {
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into(),
        url: server.url.clone(),
    };
    let coord = token(&vitoria);
    for (path, accept) in [
        ("/v1/rollup?period=2026-11&format=csv", None),
        ("/v1/rollup?period=2026-11", Some("text/csv")),
    ] {
        let (status, csv) = http.get(path, Some(&coord), accept);
        assert_eq!(status, 200, "{csv}");
        assert!(csv.contains(report::csv::HEADER));
        assert!(
            csv.contains("nacional;2026-11;Pessoas atendidas no mês;Total;Pessoas atendidas;35"),
            "{csv}"
        );
        for v in report::csv::values(&csv) {
            assert!(!matches!(v.parse::<u64>(), Ok(1..=4)), "{v}");
        }
    }

    // Who may not.
    let rui = token(&boa_vista);
    assert_eq!(
        http.get("/v1/rollup?period=2026-11", Some(&rui), None).0,
        403
    );
    assert_eq!(http.get("/v1/rollup?period=2026-11", None, None).0, 401);
    assert_eq!(
        http.get("/v1/rollup?period=2026-13", Some(&coord), None).0,
        400
    );
    let own = vitoria
        .monthly_report("es-vitoria", november(), now())
        .expect("report");
    let (status, body) = http.post(&rui, &own);
    assert_eq!(
        status, 403,
        "another office's staff sent Vitória's report: {body}"
    );
    let (_dir2, field) = {
        let d = tempfile::tempdir().expect("tempdir");
        let s = esv_tests::sync_server::team_store(&d.path().join("caio.db"));
        sync::login(&s, &server.url, "caio", PASSWORD, "teste").expect("login");
        (d, s)
    };
    assert_eq!(
        http.post(&token(&field), &own).0,
        403,
        "field workers send no reports"
    );
    let mut leaky = own.clone();
    leaky.sections[0].table.cells[0][0] = Cell::Count(3);
    let (status, body) = http.post(&coord, &leaky);
    assert_eq!(status, 400);
    assert!(body.contains("menos de 5"), "{body}");

    // An empty month is an empty roll-up, not an error.
    let empty = remote
        .national_report(&coord, Period::parse("2026-10").expect("period"))
        .expect("empty");
    assert!(empty.sections.is_empty() && empty.offices.is_empty());
}

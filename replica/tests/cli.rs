//! The `esv` binary from outside: JSON output that scripts can read, and one-line errors with
//! a non-zero exit code for bad input.

use std::process::{Command, Output};

fn esv(store: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esv"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("run esv")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "esv failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn search_show_open_now_and_holidays_as_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store.db");
    let found = json(&esv(
        &store,
        &[
            "search",
            "identidade",
            "--json",
            "--at",
            "2026-11-24T10:00:00-03:00",
        ],
    ));
    let first = &found[0];
    assert!(
        first["id"].as_str().is_some_and(|id| !id.is_empty()),
        "{found}"
    );

    let office = json(&esv(
        &store,
        &[
            "show",
            "es-vitoria",
            "--json",
            "--at",
            "2026-11-24T10:00:00-03:00",
        ],
    ));
    assert_eq!(office["open"]["text"], "Aberto agora · fecha às 17h");
    assert_eq!(office["hours"][0]["hours"], "8h às 17h");

    let open = json(&esv(
        &store,
        &["open-now", "--json", "--at", "2026-11-24T10:00:00-03:00"],
    ));
    let closed = json(&esv(
        &store,
        &["open-now", "--json", "--at", "2026-11-29T03:00:00-03:00"],
    ));
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|c| c["id"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert!(
        ids(&open).iter().any(|id| id.starts_with("es-vitoria-")),
        "{open}"
    );
    assert!(
        !ids(&closed).iter().any(|id| id.starts_with("es-vitoria-")),
        "{closed}"
    );

    let holidays = json(&esv(
        &store,
        &["holidays", "--year", "2026", "--uf", "ES", "--json"],
    ));
    let dates: Vec<&str> = holidays
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(dates.contains(&"2026-11-20"), "{dates:?}");
    assert!(
        dates.contains(&"2026-04-03"),
        "Sexta-feira Santa: {dates:?}"
    );
}

#[test]
fn bad_input_is_one_line_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store.db");
    for args in [
        &["open-now", "--at", "ontem"][..],
        &["show", "nao-existe"],
        &["holidays", "--year", "2026", "--uf", "XX"],
        &["holidays", "--year", "2026", "--municipio", "12"],
        &["search", "rg", "--category", "jardinagem"],
    ] {
        let out = esv(&store, args);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("erro: "), "{args:?}: {err}");
    }
}

#[test]
fn staff_edits_and_sync_commands_say_what_went_wrong_in_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store.db");
    let cases: &[(&[&str], &str)] = &[
        (&["hours", "es-vitoria", "segunda 8-17"], "dia desconhecido"),
        (
            &["hours", "nao-existe", "seg 08:00-17:00"],
            "nenhum escritório ou serviço",
        ),
        (
            &[
                "closure",
                "es-vitoria",
                "--date",
                "24/12/2026",
                "--reason",
                "x",
            ],
            "data inválida",
        ),
        (&["closure", "es-vitoria", "--date", "2099-12-24"], "motivo"),
        (&["sync"], "ainda não está conectado"),
        (&["sync", "--server", "ftp://x"], "https://"),
        // A team account never signs into a store anyone could read.
        (
            &[
                "login",
                "--server",
                "https://escritorio.example.gov.br",
                "--user",
                "ana",
            ],
            "protegido por PIN",
        ),
        (
            &["sync", "--server", "http://escritorio.example.gov.br"],
            "legíveis no caminho",
        ),
        (
            &["sync", "--server", "http://127.0.0.1:9"],
            "sem conexão com o servidor",
        ),
        (
            &[
                "register",
                "--server",
                "http://127.0.0.1:9",
                "--office",
                "es-vitoria",
            ],
            "sem conexão",
        ),
    ];
    for (args, want) in cases {
        let out = esv(&store, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {err}"
        );
    }
    // A good edit is saved and waits to be sent; status says so; nothing conflicts.
    let out = esv(&store, &["hours", "es-vitoria", "seg-sex 09:00-15:00"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = String::from_utf8_lossy(&esv(&store, &["status"]).stdout).into_owned();
    assert!(status.contains("Aguardando envio: 1"), "{status}");
    let conflicts = String::from_utf8_lossy(&esv(&store, &["conflicts"]).stdout).into_owned();
    assert!(conflicts.contains("Nenhum conflito"), "{conflicts}");
    let shown = json(&esv(&store, &["show", "es-vitoria", "--json"]));
    assert!(shown.to_string().contains("9h às 15h"), "{shown}");
}

#[test]
fn a_field_worker_records_an_encounter_and_prints_the_referral_slip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("campo.db");
    let base = [
        "encounter",
        "--office",
        "es-vitoria",
        "--staff",
        "caio",
        "--name",
        "Maria Aparecida Teste",
        "--birth",
        "1990-05-17",
        "--need",
        "documentacao",
        "--refer",
        "es-vitoria-documentos",
    ];
    let refused = esv(&store, &base);
    assert!(!refused.status.success(), "no consent, nothing saved");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.starts_with("erro: Sem o consentimento"), "{stderr}");
    let people = esv(&store, &["people", "maria"]);
    assert!(String::from_utf8_lossy(&people.stdout).starts_with("Ninguém"));

    let mut with_consent = base.to_vec();
    with_consent.extend(["--consent", "falado"]);
    let saved = esv(&store, &with_consent);
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    let out = String::from_utf8_lossy(&saved.stdout).to_string();
    let referral = out
        .lines()
        .find_map(|l| l.strip_prefix("Encaminhamento "))
        .and_then(|l| l.split_whitespace().next())
        .expect("a referral id");
    let found = esv(
        &store,
        &["people", "maria aparecdia", "--birth", "1990-05-17"],
    );
    let found = String::from_utf8_lossy(&found.stdout);
    assert!(
        found.contains("Maria Aparecida Teste") && found.contains("Same"),
        "{found}"
    );

    let pdf = dir.path().join("guia.pdf");
    let slip = esv(
        &store,
        &[
            "referral",
            "slip",
            referral,
            "--pdf",
            pdf.to_str().expect("path"),
        ],
    );
    assert!(
        slip.status.success(),
        "{}",
        String::from_utf8_lossy(&slip.stderr)
    );
    let text = String::from_utf8_lossy(&slip.stdout);
    assert!(text.starts_with("GUIA DE ENCAMINHAMENTO"), "{text}");
    assert!(text.contains("Para: Maria Aparecida Teste"), "{text}");
    assert!(text.contains("Encaminhado por: caio"), "{text}");
    let bytes = std::fs::read(&pdf).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF-1."), "a PDF file");
}

#[test]
fn the_worklist_lists_a_return_on_its_day_and_takes_the_referral_setting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("campo.db");
    let at = |now: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_esv"))
            .env("ESV_NOW", now)
            .arg("--store")
            .arg(&store)
            .args(args)
            .output()
            .expect("run esv")
    };
    let saved = at(
        "2026-12-01T13:00:00Z",
        &[
            "encounter",
            "--office",
            "es-vitoria",
            "--staff",
            "caio",
            "--name",
            "Maria Aparecida Teste",
            "--consent",
            "falado",
            "--refer",
            "es-vitoria-documentos",
            "--follow-up",
            "2026-12-05",
        ],
    );
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    let before = at(
        "2026-12-04T13:00:00Z",
        &["worklist", "--office", "es-vitoria"],
    );
    assert_eq!(
        String::from_utf8_lossy(&before.stdout),
        "Nada vencido hoje.\n"
    );
    let due = at(
        "2026-12-08T13:00:00Z",
        &["worklist", "--office", "es-vitoria", "--referral-days", "7"],
    );
    let text = String::from_utf8_lossy(&due.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains(
            "Maria Aparecida Teste · Retorno marcado para 05/12/2026 · vencido há 3 dias"
        ),
        "{text}"
    );
    assert!(
        lines[1].contains("sem resposta desde 01/12/2026 · vence hoje"),
        "{text}"
    );
    let view = json(&at(
        "2026-12-08T13:00:00Z",
        &["--json", "worklist", "--office", "es-vitoria"],
    ));
    assert_eq!(view["referral_days"], 7, "the setting was kept: {view}");
    assert_eq!(view["total"], 2);
    let refused = at(
        "2026-12-08T13:00:00Z",
        &["worklist", "--office", "es-vitoria", "--referral-days", "0"],
    );
    assert!(!refused.status.success());
}

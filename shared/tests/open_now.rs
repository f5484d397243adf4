//! Open-now as tables: a place, a local wall-clock instant, and the sentence a person reads.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use esv_shared::domain::{
    Holiday, HolidayKind, HolidayScope, Schedule, ScheduleException, TimeRange, Uf, WeeklyInterval,
};
use esv_shared::hours::{is_open, label, open_state, upcoming_changes, HolidayCalendar, OpenState};
use esv_shared::locale::Locale;

fn t(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").expect("time")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn weekly(days: &[Weekday], opens: &str, closes: &str) -> Vec<WeeklyInterval> {
    days.iter()
        .map(|&weekday| WeeklyInterval {
            weekday,
            opens: t(opens),
            closes: t(closes),
        })
        .collect()
}

const WORKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

fn base(intervals: Vec<WeeklyInterval>) -> Schedule {
    Schedule {
        always_open: false,
        intervals,
        valid_from: None,
        valid_until: None,
        exceptions: Vec::new(),
        closes_on_holidays: true,
        observed_optional_days: Vec::new(),
        reviewed_on: d("2026-03-10"),
        review_due: d("2027-03-10"),
    }
}

/// The places the tables talk about, by name.
fn place(name: &str) -> Schedule {
    match name {
        // Escritório Social de Vitória: Monday to Friday, 8h to 17h.
        "office" => base(weekly(&WORKDAYS, "08:00", "17:00")),
        "lunch" => {
            let mut s = weekly(&WORKDAYS, "08:00", "12:00");
            s.extend(weekly(&WORKDAYS, "13:00", "17:00"));
            base(s)
        }
        // A night shelter: every night 19h to 7h.
        "shelter" => base(weekly(
            &[
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ],
            "19:00",
            "07:00",
        )),
        // Friday-night service that runs to 2h on Saturday.
        "friday-night" => base(weekly(&[Weekday::Fri], "22:00", "02:00")),
        "closure" => {
            let mut s = place("office");
            s.exceptions.push(ScheduleException {
                date: d("2026-11-25"),
                intervals: Vec::new(),
                reason: "Dedetização do prédio".into(),
            });
            s.exceptions.push(ScheduleException {
                date: d("2026-11-27"),
                intervals: vec![TimeRange {
                    opens: t("08:00"),
                    closes: t("12:00"),
                }],
                reason: "Meio expediente".into(),
            });
            // A Saturday mutirão on a day usually closed.
            s.exceptions.push(ScheduleException {
                date: d("2026-11-28"),
                intervals: vec![TimeRange {
                    opens: t("09:00"),
                    closes: t("13:00"),
                }],
                reason: "Mutirão de documentos".into(),
            });
            s
        }
        "observes-carnaval" => {
            let mut s = place("office");
            s.observed_optional_days = vec!["Carnaval".into()];
            s
        }
        "hotline" => Schedule {
            always_open: true,
            ..base(Vec::new())
        },
        "stale" => {
            let mut s = place("office");
            s.reviewed_on = d("2025-03-02");
            s.review_due = d("2025-09-02");
            s
        }
        "no-hours" => base(Vec::new()),
        "expired" => {
            let mut s = place("office");
            s.valid_until = Some(d("2026-06-30"));
            s
        }
        "ignores-holidays" => {
            let mut s = place("office");
            s.closes_on_holidays = false;
            s
        }
        other => panic!("no place called {other}"),
    }
}

fn holiday(date: &str, name: &str, kind: HolidayKind, scope: HolidayScope) -> Holiday {
    Holiday {
        date: d(date),
        name: name.into(),
        kind,
        scope,
        source: "test".into(),
    }
}

/// A fixed calendar, so these tables test open-now and not the holiday rules.
fn calendar() -> HolidayCalendar {
    use HolidayKind::*;
    HolidayCalendar::new([
        holiday(
            "2026-11-20",
            "Dia Nacional de Zumbi e da Consciência Negra",
            Holiday,
            HolidayScope::National,
        ),
        holiday("2026-12-25", "Natal", Holiday, HolidayScope::National),
        holiday(
            "2027-01-01",
            "Confraternização Universal",
            Holiday,
            HolidayScope::National,
        ),
        holiday(
            "2026-06-04",
            "Corpus Christi",
            OptionalDay,
            HolidayScope::National,
        ),
        holiday(
            "2026-02-16",
            "Carnaval",
            OptionalDay,
            HolidayScope::National,
        ),
        holiday(
            "2026-04-13",
            "Nossa Senhora da Penha",
            Holiday,
            HolidayScope::State(Uf::ES),
        ),
        holiday(
            "2026-09-08",
            "Nossa Senhora da Vitória",
            Holiday,
            HolidayScope::Municipal(3205309),
        ),
        holiday(
            "2026-10-05",
            "Criação do Estado de Roraima",
            Holiday,
            HolidayScope::State(Uf::RR),
        ),
    ])
}

fn check(place_name: &str, tz: &str, local: &str, expected: &str) {
    check_in(Locale::PtBr, place_name, tz, local, expected);
}

fn check_in(locale: Locale, place_name: &str, tz: &str, local: &str, expected: &str) {
    let tz: Tz = tz.parse().expect("tz");
    let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("instant");
    let now = tz
        .from_local_datetime(&local)
        .single()
        .expect("unambiguous")
        .with_timezone(&Utc);
    let state = open_state(&place(place_name), tz, &calendar(), now);
    let text = label::open_text(locale, &state, tz, now);
    assert_eq!(
        text, expected,
        "{place_name} at {local} ({tz}) gave {state:?}"
    );
}

const SP: &str = "America/Sao_Paulo";
const BV: &str = "America/Boa_Vista";

#[test]
fn weekly_hours() {
    // 2026-11-24 is a Tuesday.
    let cases = [
        (
            "office",
            SP,
            "2026-11-24 10:00",
            "Aberto agora · fecha às 17h",
        ),
        (
            "office",
            SP,
            "2026-11-24 08:00",
            "Aberto agora · fecha às 17h",
        ),
        ("office", SP, "2026-11-24 07:59", "Fechado · abre às 8h"),
        (
            "office",
            SP,
            "2026-11-24 16:59",
            "Aberto agora · fecha às 17h",
        ),
        (
            "office",
            SP,
            "2026-11-24 17:00",
            "Fechado · abre amanhã às 8h",
        ),
        (
            "office",
            SP,
            "2026-11-27 18:00",
            "Fechado · abre segunda às 8h",
        ),
        (
            "office",
            SP,
            "2026-11-28 12:00",
            "Fechado · abre segunda às 8h",
        ),
        (
            "office",
            SP,
            "2026-11-29 23:59",
            "Fechado · abre amanhã às 8h",
        ),
        ("lunch", SP, "2026-11-24 12:30", "Fechado · abre às 13h"),
        (
            "lunch",
            SP,
            "2026-11-24 11:00",
            "Aberto agora · fecha às 12h",
        ),
        (
            "lunch",
            SP,
            "2026-11-24 13:00",
            "Aberto agora · fecha às 17h",
        ),
    ];
    for (p, tz, at, want) in cases {
        check(p, tz, at, want);
    }
}

#[test]
fn past_midnight() {
    let cases = [
        (
            "shelter",
            SP,
            "2026-11-24 23:00",
            "Aberto agora · fecha amanhã às 7h",
        ),
        (
            "shelter",
            SP,
            "2026-11-25 03:00",
            "Aberto agora · fecha às 7h",
        ),
        ("shelter", SP, "2026-11-25 07:00", "Fechado · abre às 19h"),
        ("shelter", SP, "2026-11-25 18:59", "Fechado · abre às 19h"),
        (
            "friday-night",
            SP,
            "2026-11-28 01:30",
            "Aberto agora · fecha às 2h",
        ),
        (
            "friday-night",
            SP,
            "2026-11-28 02:00",
            "Fechado · abre sexta às 22h",
        ),
        (
            "friday-night",
            SP,
            "2026-11-27 21:00",
            "Fechado · abre às 22h",
        ),
        (
            "friday-night",
            SP,
            "2026-11-27 23:00",
            "Aberto agora · fecha amanhã às 2h",
        ),
    ];
    for (p, tz, at, want) in cases {
        check(p, tz, at, want);
    }
}

#[test]
fn holidays_and_exceptions() {
    let cases = [
        // National holiday on a Friday.
        ("office", SP, "2026-11-20 10:00", "Fechado hoje: Dia Nacional de Zumbi e da Consciência Negra (feriado nacional) · abre segunda às 8h"),
        ("office", SP, "2026-11-19 18:00", "Fechado · abre segunda às 8h"),
        // State and municipal holidays apply when they are in the place's calendar.
        ("office", SP, "2026-04-13 09:00", "Fechado hoje: Nossa Senhora da Penha (feriado estadual) · abre amanhã às 8h"),
        ("office", SP, "2026-09-08 09:00", "Fechado hoje: Nossa Senhora da Vitória (feriado municipal) · abre amanhã às 8h"),
        // A ponto facultativo closes only where the place observes it.
        ("office", SP, "2026-06-04 10:00", "Aberto agora · fecha às 17h"),
        ("office", SP, "2026-02-16 10:00", "Aberto agora · fecha às 17h"),
        ("observes-carnaval", SP, "2026-02-16 10:00", "Fechado hoje: Carnaval (ponto facultativo) · abre amanhã às 8h"),
        ("ignores-holidays", SP, "2026-11-20 10:00", "Aberto agora · fecha às 17h"),
        // Closure exception, special hours, and a special opening on a Saturday.
        ("closure", SP, "2026-11-25 10:00", "Fechado hoje: Dedetização do prédio · abre amanhã às 8h"),
        ("closure", SP, "2026-11-24 17:30", "Fechado · abre quinta às 8h"),
        ("closure", SP, "2026-11-27 11:00", "Aberto agora · fecha às 12h"),
        ("closure", SP, "2026-11-27 12:30", "Fechado · abre amanhã às 9h"),
        ("closure", SP, "2026-11-28 10:00", "Aberto agora · fecha às 13h"),
        // Year boundary: Christmas on Friday, New Year on Friday.
        ("office", SP, "2026-12-24 18:00", "Fechado · abre segunda às 8h"),
        ("office", SP, "2026-12-31 17:30", "Fechado · abre segunda às 8h"),
        ("office", SP, "2027-01-01 09:00", "Fechado hoje: Confraternização Universal (feriado nacional) · abre segunda às 8h"),
        ("shelter", SP, "2026-12-31 23:30", "Aberto agora · fecha amanhã às 7h"),
    ];
    for (p, tz, at, want) in cases {
        check(p, tz, at, want);
    }
}

#[test]
fn time_zones() {
    // The same schedule in Boa Vista (UTC−4) and São Paulo (UTC−3) at the same instant.
    let instant = Utc
        .with_ymd_and_hms(2026, 11, 24, 11, 30, 0)
        .single()
        .expect("instant");
    let office = place("office");
    let cal = calendar();
    let sp: Tz = SP.parse().expect("tz");
    let bv: Tz = BV.parse().expect("tz");
    assert_eq!(
        label::open_text(
            Locale::PtBr,
            &open_state(&office, sp, &cal, instant),
            sp,
            instant
        ),
        "Aberto agora · fecha às 17h"
    );
    assert_eq!(
        label::open_text(
            Locale::PtBr,
            &open_state(&office, bv, &cal, instant),
            bv,
            instant
        ),
        "Fechado · abre às 8h"
    );
    // 17h in Boa Vista is 21h UTC.
    match open_state(
        &office,
        bv,
        &cal,
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0)
            .single()
            .expect("instant"),
    ) {
        OpenState::Open {
            closes_at: Some(at),
        } => {
            assert_eq!(
                at,
                Utc.with_ymd_and_hms(2026, 11, 24, 21, 0, 0)
                    .single()
                    .expect("instant")
            )
        }
        other => panic!("expected open, got {other:?}"),
    }
    let cases = [
        (
            "office",
            BV,
            "2026-11-24 16:30",
            "Aberto agora · fecha às 17h",
        ),
        (
            "office",
            BV,
            "2026-10-05 10:00",
            "Fechado hoje: Criação do Estado de Roraima (feriado estadual) · abre amanhã às 8h",
        ),
    ];
    for (p, tz, at, want) in cases {
        check(p, tz, at, want);
    }
}

#[test]
fn unknown_and_always_open() {
    let cases = [
        ("hotline", SP, "2026-11-24 03:00", "Aberto 24 horas"),
        (
            "stale",
            SP,
            "2026-11-24 10:00",
            "Horário não confirmado desde março de 2025",
        ),
        (
            "stale",
            SP,
            "2025-09-02 10:00",
            "Aberto agora · fecha às 17h",
        ),
        ("no-hours", SP, "2026-11-24 10:00", "Horário não informado"),
        ("expired", SP, "2026-11-24 10:00", "Horário não informado"),
        (
            "expired",
            SP,
            "2026-06-30 10:00",
            "Aberto agora · fecha às 17h",
        ),
    ];
    for (p, tz, at, want) in cases {
        check(p, tz, at, want);
    }
}

#[test]
fn upcoming_closures() {
    let changes = upcoming_changes(&place("closure"), &calendar(), d("2026-11-16"), 45);
    let got: Vec<(String, String)> = changes
        .iter()
        .map(|c| (c.date.to_string(), c.reason.clone()))
        .collect();
    let want = [
        (
            "2026-11-20",
            "Dia Nacional de Zumbi e da Consciência Negra (feriado nacional)",
        ),
        ("2026-11-25", "Dedetização do prédio"),
        ("2026-11-27", "Meio expediente"),
        ("2026-11-28", "Mutirão de documentos"),
        ("2026-12-25", "Natal (feriado nacional)"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn labels() {
    let cases = [
        (t("08:00"), "8h"),
        (t("08:30"), "8h30"),
        (t("00:00"), "0h"),
        (t("17:05"), "17h05"),
    ];
    for (time, want) in cases {
        assert_eq!(label::time(Locale::PtBr, time), want);
    }
    assert_eq!(
        label::date_long(Locale::PtBr, d("2026-12-25")),
        "sexta-feira, 25 de dezembro"
    );
    assert_eq!(label::date_short(d("2026-01-05")), "05/01/2026");
    let rows = label::weekly_rows(Locale::PtBr, &place("lunch"));
    assert_eq!(
        rows[0],
        (
            "Segunda-feira".to_owned(),
            "8h às 12h e 13h às 17h".to_owned()
        )
    );
    assert_eq!(rows[6], ("Domingo".to_owned(), "Fechado".to_owned()));
    let rows = label::weekly_rows(Locale::PtBr, &place("shelter"));
    assert_eq!(rows[2].1, "19h às 7h do dia seguinte");
    assert_eq!(
        label::tz_label(Locale::PtBr, BV),
        "Horário do Amazonas (1 hora a menos que Brasília) (America/Boa_Vista)"
    );
}

#[test]
fn spanish_labels() {
    let es = Locale::Es;
    let cases = [
        (
            "office",
            SP,
            "2026-11-24 10:00",
            "Abierto ahora · cierra a las 17:00",
        ),
        (
            "office",
            SP,
            "2026-11-24 18:00",
            "Cerrado · abre mañana a las 8:00",
        ),
        (
            "office",
            SP,
            "2026-11-27 18:00",
            "Cerrado · abre el lunes a las 8:00",
        ),
        (
            "office",
            SP,
            "2026-12-25 10:00",
            "Cerrado hoy: Natal (feriado nacional) · abre el lunes a las 8:00",
        ),
        ("hotline", SP, "2026-11-24 03:00", "Abierto las 24 horas"),
        (
            "stale",
            SP,
            "2026-11-24 10:00",
            "Horario no confirmado desde marzo de 2025",
        ),
    ];
    for (place_name, tz, local, want) in cases {
        check_in(es, place_name, tz, local, want);
    }
    assert_eq!(
        label::date_long(es, d("2026-12-25")),
        "viernes, 25 de diciembre"
    );
    let rows = label::weekly_rows(es, &place("lunch"));
    assert_eq!(
        rows[0],
        (
            "Lunes".to_owned(),
            "8:00 a 12:00 y 13:00 a 17:00".to_owned()
        )
    );
    assert_eq!(rows[6], ("Domingo".to_owned(), "Cerrado".to_owned()));
    assert_eq!(
        label::weekly_rows(es, &place("shelter"))[2].1,
        "19:00 a 7:00 del día siguiente"
    );
}

#[test]
fn is_open_agrees_with_open_state_every_half_hour() {
    let places = [
        "office",
        "lunch",
        "shelter",
        "friday-night",
        "closure",
        "observes-carnaval",
        "hotline",
        "stale",
        "no-hours",
        "expired",
        "ignores-holidays",
    ];
    let calendar = calendar();
    let mut checked = 0;
    for tz in [SP, BV] {
        let tz: Tz = tz.parse().expect("tz");
        // Around Carnaval, the closures of November and the turn of the year.
        for start in [
            "2026-02-10T00:00:00Z",
            "2026-11-15T00:00:00Z",
            "2026-12-24T00:00:00Z",
        ] {
            let start: DateTime<Utc> = start.parse().expect("instant");
            for step in 0..(20 * 48) {
                let now = start + chrono::Duration::minutes(30 * step);
                for name in places {
                    let schedule = place(name);
                    let full = open_state(&schedule, tz, &calendar, now);
                    assert_eq!(
                        is_open(&schedule, tz, &calendar, now),
                        matches!(full, OpenState::Open { .. }),
                        "{name} at {now} in {tz}: open_state says {full:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 2 * 3 * 20 * 48 * places.len());
}

//! A field worker's device for the crash test: records two encounters, then types a third form
//! field by field into its draft — each field committed, then announced on stdout — so the
//! test can kill the process mid-form and check that nothing announced was lost.
//!
//! Usage: `field_typist <store path>`, with the store's PIN in `$ESV_PIN`.

use std::io::Write;
use std::time::Duration;

use chrono::{DateTime, Utc};
use esv_replica::field::{EncounterForm, PersonFields};
use esv_replica::{Pin, Store};
use esv_shared::people::{ConsentForm, Need};

/// The third form, in the order a field worker fills it in.
pub const THIRD: &[(&str, &str)] = &[
    ("social_name", "Rosa Maria Terceira"),
    ("birth_date", "1985-03-02"),
    ("mother_name", "Helena Terceira"),
    ("race", "preta"),
    ("consent", "falado"),
    ("needs", "moradia"),
    ("notes", "Saiu hoje; dorme na casa da irmã esta semana."),
];

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("uso: field_typist <arquivo do store>");
        std::process::exit(2);
    };
    let now: DateTime<Utc> = Utc::now();
    let path = std::path::Path::new(&path);
    let (mut store, _) = match std::env::var("ESV_PIN") {
        Ok(pin) => Store::open_with_pin(path, &Pin::new(&pin).expect("pin"), now).expect("open"),
        Err(_) => Store::open(path).expect("open"),
    };
    for name in ["Ana Primeira", "Bruno Segundo"] {
        let form = EncounterForm {
            office_id: "es-vitoria".into(),
            staff: "caio".into(),
            person: PersonFields {
                social_name: Some(name.into()),
                ..Default::default()
            },
            consent: Some(ConsentForm::Spoken),
            needs: vec![Need::CivilDocuments],
            ..Default::default()
        };
        store.record_encounter(&form, now).expect("record");
        println!("saved {name}");
    }
    let mut out = std::io::stdout();
    for (field, value) in THIRD {
        // A person types a field in a few keystrokes; each one is saved.
        let chars: Vec<char> = value.chars().collect();
        for n in [chars.len() / 2, chars.len()] {
            let partial: String = chars[..n].iter().collect();
            store
                .save_draft_field("encounter:new", field, partial.into(), now)
                .expect("draft");
        }
        writeln!(out, "typed {field}").expect("stdout");
        out.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(40));
    }
    // The test kills the process before it gets here.
    std::thread::sleep(Duration::from_secs(30));
}

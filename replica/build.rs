//! Compiles the bundled catalog (`catalog/data`) into saved automerge documents at build time.
//! A data error stops the build with the file and line.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let data = manifest.join("../catalog/data");
    println!("cargo:rerun-if-changed={}", data.display());
    for sub in ["offices", "organizations", "rights"] {
        println!("cargo:rerun-if-changed={}", data.join(sub).display());
        if let Ok(entries) = std::fs::read_dir(data.join(sub)) {
            for entry in entries.flatten() {
                println!("cargo:rerun-if-changed={}", entry.path().display());
            }
        }
    }
    println!(
        "cargo:rerun-if-changed={}",
        data.join("synonyms.toml").display()
    );

    let catalog = match esv_catalog::load_dir(&data) {
        Ok(catalog) => catalog,
        Err(e) => {
            eprintln!("error in the bundled catalog: {e}");
            std::process::exit(1);
        }
    };
    let docs = match esv_catalog::compile(&catalog) {
        Ok(docs) => docs,
        Err(e) => {
            eprintln!("error compiling the bundled catalog: {e}");
            std::process::exit(1);
        }
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("catalog.bin"), esv_catalog::encode_bundle(&docs))
        .expect("write catalog.bin");
    let synonyms = serde_json::to_string(&catalog.synonyms).expect("synonyms as json");
    std::fs::write(out.join("synonyms.json"), synonyms).expect("write synonyms.json");
}

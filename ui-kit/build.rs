//! Compiles the translations in `locales/` (one JSON file per language) into the `i18n` module
//! that `src/lib.rs` includes: typed keys, so a missing key is a compile error in the code.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // `interpolate_display`: `t_string!` can fill in `{{ count }}` and the like.
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("pt-BR")?
        .add_locale("es")?
        .parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}

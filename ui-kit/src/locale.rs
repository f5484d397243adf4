//! The language of the screens: pt-BR unless the person chose Spanish. The choice is kept in the
//! webview's localStorage (the same in a desktop window and on Android), written on
//! `<html lang>`, and passed to the app so that the labels it computes (open now, hours, dates)
//! follow; screens that show such labels ask again after each switch.

use esv_shared::ipc;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{t, use_i18n, I18nSubContextProvider, Locale};

const STORAGE_KEY: &str = "esv.locale";

pub use crate::lang::{from_ipc, to_ipc};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language chosen on this device before, if any.
fn stored() -> Option<Locale> {
    let tag = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    ipc::Locale::from_tag(&tag).map(from_ipc)
}

fn store(locale: Locale) {
    if let Some(storage) = local_storage() {
        // A webview that refuses storage keeps the choice until the app closes.
        let _ = storage.set_item(STORAGE_KEY, to_ipc(locale).tag());
    }
}

/// The language the app was last asked to compute its labels in (`None` until it answered
/// once, or failed to).
#[derive(Clone, Copy)]
struct AppLabels(RwSignal<Option<Locale>>);

/// For a resource's fetcher: reading it makes the resource fetch again after each switch, once
/// the app has been told. Screens wait for its first value, so the first one does not come in
/// the wrong language.
pub fn app_labels() -> ReadSignal<Option<Locale>> {
    expect_context::<AppLabels>().0.read_only()
}

/// Provides the translations to `children`, starting from the stored choice, and keeps
/// `<html lang>` and the app in step with them.
#[component]
pub fn LocaleProvider(children: Children) -> impl IntoView {
    // A subcontext with an initial locale: the main provider starts from the browser's
    // languages and a cookie, but pt-BR is the default here whatever the phone says.
    let initial = stored().unwrap_or_default();
    view! {
        <I18nSubContextProvider initial_locale=initial>
            <KeepInStep>{children()}</KeepInStep>
        </I18nSubContextProvider>
    }
}

#[component]
fn KeepInStep(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let labels = RwSignal::new(None);
    provide_context(AppLabels(labels));
    // A memo, so a locale set again to the same value does not tell the app twice.
    let locale = Memo::new(move |_| i18n.get_locale());
    Effect::new(move |_| {
        let locale = locale.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", to_ipc(locale).tag());
        }
        leptos::task::spawn_local(async move {
            // The app keeps the language in its session (so it holds while the device is
            // locked and after the PIN); should it still fail, its labels stay as they are
            // while the screens' own words switch anyway, and the console says why.
            if let Err(e) = api::set_locale(to_ipc(locale)).await {
                leptos::logging::warn!("set_locale: {}", e.message);
            }
            labels.set(Some(locale));
        });
    });
    children()
}

/// The language switch for the top bar: a labelled native select, so screen readers, keyboards
/// and phones all know it.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        if let Some(locale) = ipc::Locale::from_tag(&event_target_value(&ev)) {
            let locale = from_ipc(locale);
            store(locale);
            i18n.set_locale(locale);
        }
    };
    view! {
        <label class="language-switch">
            <span class="visually-hidden">{t!(i18n, app.language)}</span>
            <select id="language" on:change=on_change>
                {ipc::Locale::ALL
                    .into_iter()
                    .map(|l| {
                        let selected = move || to_ipc(i18n.get_locale()) == l;
                        view! {
                            <option value=l.tag() lang=l.tag() prop:selected=selected>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18nLocaleTrait;
    use std::collections::BTreeSet;

    #[test]
    fn every_language_maps_both_ways_with_the_same_tag() {
        for locale in ipc::Locale::ALL {
            assert_eq!(to_ipc(from_ipc(locale)), locale);
            assert_eq!(from_ipc(locale).as_str(), locale.tag());
        }
        assert_eq!(from_ipc(ipc::Locale::default()), Locale::default());
    }

    /// Every key path of a locale file, with the `{{ variables }}` of its text.
    fn keys(json: &str) -> BTreeSet<(String, Vec<String>)> {
        fn walk(
            prefix: &str,
            value: &serde_json::Value,
            out: &mut BTreeSet<(String, Vec<String>)>,
        ) {
            match value {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        walk(&format!("{prefix}{k}."), v, out);
                    }
                }
                serde_json::Value::String(text) => {
                    let vars = text
                        .split("{{")
                        .skip(1)
                        .filter_map(|rest| rest.split_once("}}"))
                        .map(|(var, _)| var.trim().to_owned())
                        .collect();
                    out.insert((prefix.trim_end_matches('.').to_owned(), vars));
                }
                other => panic!("{prefix}: only objects and strings are expected, got {other}"),
            }
        }
        let value = serde_json::from_str(json).expect("a locale file is valid JSON");
        let mut out = BTreeSet::new();
        walk("", &value, &mut out);
        out
    }

    /// leptos_i18n only warns about a key missing in one language (and shows the default's
    /// text there); this makes it an error, and checks the placeholders match too.
    #[test]
    fn both_locale_files_have_the_same_keys_and_placeholders() {
        let pt = keys(include_str!("../locales/pt-BR.json"));
        let es = keys(include_str!("../locales/es.json"));
        let only_pt: Vec<_> = pt.difference(&es).collect();
        let only_es: Vec<_> = es.difference(&pt).collect();
        assert!(
            only_pt.is_empty() && only_es.is_empty(),
            "only in pt-BR: {only_pt:?}\nonly in es: {only_es:?}"
        );
    }
}

//! Passing a service on and hearing it: "Compartilhar" shows the plain text that will be sent
//! (so the person sees it) and hands it to the system's share sheet or the clipboard; "Ouvir"
//! reads a card or an article aloud with the system's voice, in the chosen language.

use esv_shared::ipc::IpcError;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::{t, use_i18n};
use crate::locale::to_ipc;

/// Calls `navigator[object][method](arg)` if the webview has it; the promise it returns.
fn call_navigator(object: Option<&str>, method: &str, arg: &JsValue) -> Option<js_sys::Promise> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    let target = match object {
        Some(name) => js_sys::Reflect::get(&navigator, &JsValue::from_str(name)).ok()?,
        None => navigator,
    };
    let f = js_sys::Reflect::get(&target, &JsValue::from_str(method))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    f.call1(&target, arg).ok()?.dyn_into().ok()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    Yes,
    Failed,
}

#[component]
pub fn ShareBox(#[prop(into)] text: String) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let copied = RwSignal::new(None::<Copied>);
    let can_share = call_navigator(None, "canShare", &JsValue::UNDEFINED).is_some()
        || web_sys::window()
            .map(|w| {
                js_sys::Reflect::has(&w.navigator(), &JsValue::from_str("share")).unwrap_or(false)
            })
            .unwrap_or(false);
    let text = StoredValue::new(text);
    let share = move |_| {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"text".into(), &text.get_value().into());
        if let Some(p) = call_navigator(None, "share", &data) {
            // The person may close the sheet: that is not an error to show.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            });
        }
    };
    let copy = move |_| {
        let value: JsValue = text.get_value().into();
        match call_navigator(Some("clipboard"), "writeText", &value) {
            Some(p) => wasm_bindgen_futures::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(p).await.is_ok();
                copied.set(Some(if ok { Copied::Yes } else { Copied::Failed }));
            }),
            None => copied.set(Some(Copied::Failed)),
        }
    };
    view! {
        <section class="share" aria-labelledby="compartilhar">
            <button
                type="button"
                class="button"
                id="share-button"
                aria-expanded=move || open.get().to_string()
                aria-controls="share-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span aria-hidden="true">"↗"</span>
                <span id="compartilhar">{t!(i18n, share.button)}</span>
            </button>
            <div id="share-panel" hidden=move || !open.get()>
                <label for="share-text">{t!(i18n, share.label)}</label>
                <textarea id="share-text" readonly rows="7" prop:value=move || text.get_value()></textarea>
                {can_share.then(|| view! {
                    <button type="button" class="button" id="share-send" on:click=share>
                        {t!(i18n, share.send)}
                    </button>
                })}
                <button type="button" class="button" id="share-copy" on:click=copy>
                    {t!(i18n, share.copy)}
                </button>
                <p role="status" class="hint">
                    {move || match copied.get() {
                        Some(Copied::Yes) => t!(i18n, share.copied).into_any(),
                        Some(Copied::Failed) => t!(i18n, share.copy_failed).into_any(),
                        None => ().into_any(),
                    }}
                </p>
            </div>
        </section>
    }
}

/// "Ouvir": reads `text` aloud in the screen's language; "Parar" stops.
#[component]
pub fn SpeakButton(#[prop(into)] text: String) -> impl IntoView {
    let i18n = use_i18n();
    let speaking = RwSignal::new(false);
    let problem = RwSignal::new(None::<IpcError>);
    let text = StoredValue::new(text);
    let toggle = move |_| {
        let locale = to_ipc(i18n.get_locale());
        let stop = speaking.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let result = if stop {
                api::stop_speaking().await
            } else {
                api::speak(text.get_value(), locale).await
            };
            match result {
                Ok(()) => {
                    problem.set(None);
                    speaking.set(!stop);
                }
                Err(e) => {
                    speaking.set(false);
                    problem.set(Some(e));
                }
            }
        });
    };
    view! {
        <div class="speak">
            <button
                type="button"
                class="button"
                id="speak-button"
                aria-pressed=move || speaking.get().to_string()
                on:click=toggle
            >
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 9h4l5-4v14l-5-4H4z M16 9a4 4 0 0 1 0 6 M18.5 6.5a8 8 0 0 1 0 11" /></svg>
                {move || if speaking.get() { t!(i18n, speak.stop).into_any() } else { t!(i18n, speak.listen).into_any() }}
            </button>
            {move || problem.get().map(|e| view! { <p class="notice" role="status">{e.message}</p> })}
        </div>
    }
}

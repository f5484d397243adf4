//! The line under the home page that says when the data were last brought from the office,
//! and lets a person ask for it now. Shown only when this device syncs at all; a failure is
//! said calmly, because everything on the device keeps working.

use esv_shared::ipc::SyncStatusView;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::app_labels;

#[component]
pub fn SyncBar() -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let status = RwSignal::new(None::<SyncStatusView>);
    let load = move || {
        leptos::task::spawn_local(async move {
            if let Ok(view) = api::sync_status().await {
                status.set(Some(view));
            }
        });
    };
    // At start, and again after a language switch (the label is the app's).
    Effect::new(move |_| {
        labels.track();
        load();
    });
    let sync_now = move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(view) = api::sync_now().await {
                status.set(Some(view));
            }
            // The sync runs in the background; look again in a moment.
            for _ in 0..10 {
                sleep_ms(1500).await;
                match api::sync_status().await {
                    Ok(view) => {
                        let done = !view.running;
                        status.set(Some(view));
                        if done {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        });
    };
    move || {
        status.get().filter(|s| s.enabled).map(|s| {
            let pending = (s.pending > 0).then(|| {
                let count = s.pending;
                move || t_string!(i18n, sync.pending, count)
            });
            let label = s.label.clone();
            let label = move || {
                if s.running {
                    t_string!(i18n, sync.running).to_owned()
                } else {
                    label.clone()
                }
            };
            view! {
                <div class="sync-bar" id="sync-bar" aria-live="polite">
                    <p class="sync-label">{label}</p>
                    {s.problem.map(|p| view! { <p class="sync-problem">{p}</p> })}
                    {s.held.map(|h| view! { <p class="sync-held">{h}</p> })}
                    {pending.map(|p| view! { <p class="sync-pending">{p}</p> })}
                    <button type="button" class="button" disabled=s.running on:click=sync_now>
                        {t!(i18n, sync.now)}
                    </button>
                </div>
            }
        })
    }
}

/// Waits `ms` milliseconds without blocking the page.
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

//! Small pieces every screen uses: loading, an error with "try again", a back link, the
//! "só abertos agora" switch, an inline field error, and what a change's answer does.

use esv_shared::ipc::{IpcError, IpcErrorKind};
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::route::Route;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status">{t!(i18n, common.loading)}</p> }
}

/// The error's message in plain words, and a button to try again.
#[component]
pub fn ErrorBox(error: IpcError, retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error-box" role="alert">
            <p>{error.message}</p>
            <button type="button" class="button" on:click=move |_| retry.run(())>
                {t!(i18n, common.try_again)}
            </button>
        </div>
    }
}

/// A link back, with its words as children (so they follow the language).
#[component]
pub fn BackLink(#[prop(into)] href: String, children: Children) -> impl IntoView {
    view! {
        <a class="back-link" href=href>
            <span aria-hidden="true">"←"</span>
            {children()}
        </a>
    }
}

/// "Só lugares abertos agora": the switch every list of services has.
#[component]
pub fn OpenOnlyToggle(open_only: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="toggle">
            <input
                type="checkbox"
                prop:checked=move || open_only.get()
                on:change=move |ev| open_only.set(event_target_checked(&ev))
            />
            {t!(i18n, common.open_only)}
        </label>
    }
}

/// An inline error under a field, tied to it by `aria-describedby`.
pub fn field_error(id: &'static str, error: Option<String>) -> impl IntoView {
    error.map(|e| {
        view! {
            <p class="field-error" id=id>
                <span aria-hidden="true">"⚠ "</span>
                {e}
            </p>
        }
    })
}

/// What a change's answer does to its screen: on success the error goes and `loaded` is
/// fetched again; on failure its message shows (and a locked device goes to the PIN screen).
/// Returns whether it succeeded.
pub fn refetch_or_say<T, U: 'static>(
    result: Result<T, IpcError>,
    loaded: LocalResource<U>,
    error: RwSignal<Option<String>>,
) -> bool {
    match result {
        Ok(_) => {
            error.set(None);
            loaded.refetch();
            true
        }
        Err(e) => {
            on_team_error(&e);
            error.set(Some(e.message));
            false
        }
    }
}

/// What a team screen does with a failed call: a locked device goes to the PIN screen.
pub fn on_team_error(e: &IpcError) {
    if e.kind == IpcErrorKind::Locked {
        let _ = window().location().set_hash(&Route::Team.href());
    }
}

/// Moves the keyboard focus to the element with `id` (the first field with an error).
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

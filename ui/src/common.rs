//! Small pieces every screen uses: loading, an error with "try again", a back link.

use esv_shared::ipc::IpcError;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Carregando…"</p> }
}

/// The error's message in plain words, and a button to try again.
#[component]
pub fn ErrorBox(error: IpcError, retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <p>{error.message}</p>
            <button type="button" class="button" on:click=move |_| retry.run(())>"Tentar de novo"</button>
        </div>
    }
}

#[component]
pub fn BackLink(#[prop(into)] href: String, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <a class="back-link" href=href>
            <span aria-hidden="true">"←"</span>
            {label}
        </a>
    }
}

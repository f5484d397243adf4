//! A request as both the citizen's "Meus pedidos" and the office's queue show it: its status
//! as a badge, the words for its kind, and its timeline.

use esv_shared::ipc::{RequestStatus, RequestView};
use esv_shared::requests::RequestKind;
use leptos::prelude::*;

use crate::i18n::{t, td_string, use_i18n, Locale};

/// A request's status as a badge: its words and an icon, never colour alone.
#[component]
pub fn StatusBadge(status: RequestStatus, #[prop(into)] label: String) -> impl IntoView {
    let (class, d) = match status {
        RequestStatus::Waiting => (
            "open-badge is-unknown",
            "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M12 7v5l3 2",
        ),
        RequestStatus::Sent => ("open-badge is-neutral", "M3 11l18-8-8 18-2-8z"),
        RequestStatus::Received | RequestStatus::InProgress => {
            ("open-badge is-neutral", "M4 5h16v10H9l-5 4z M8 9h8 M8 12h5")
        }
        RequestStatus::Done => ("open-badge is-open", "M4 12l5 5L20 6"),
        RequestStatus::Cancelled => ("open-badge is-closed", "M6 6l12 12 M18 6L6 18"),
    };
    view! {
        <span class=class data-status=status.slug()>
            <svg class="icon badge-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d=d />
            </svg>
            <span class="badge-text">{label}</span>
        </span>
    }
}

/// The form's words for a kind, in the screen's language.
pub fn kind_words(locale: Locale, kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Appointment => td_string!(locale, request.kind_appointment),
        RequestKind::Documents => td_string!(locale, request.kind_documents),
        RequestKind::WorkOrCourse => td_string!(locale, request.kind_work),
        RequestKind::Legal => td_string!(locale, request.kind_legal),
        RequestKind::Other => td_string!(locale, request.kind_other),
    }
}

/// The timeline, oldest first.
pub fn timeline(r: &RequestView) -> impl IntoView {
    let i18n = use_i18n();
    if r.events.is_empty() {
        return view! { <p class="empty">{t!(i18n, request.no_events)}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {r.events
                .clone()
                .into_iter()
                .map(|e| view! {
                    <li>
                        <p class="timeline-head"><strong>{e.who_label}</strong>" · "{e.when_label}</p>
                        {e.status_label.map(|s| view! { <p class="timeline-status">{s}</p> })}
                        {e.text.map(|t| view! { <p class="timeline-text">{t}</p> })}
                    </li>
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

//! A service in a list (`ServiceCard`) and the open-now badge (`OpenNowBadge`): words and an
//! icon, never colour alone.

use esv_shared::ipc::{OpenBadge, OpenKind, ServiceCard as Card};
use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::route::Route;

/// The device's own IANA time zone, as the webview knows it.
fn device_tz() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}

#[component]
pub fn OpenNowBadge(badge: OpenBadge) -> impl IntoView {
    let i18n = use_i18n();
    let (class, icon) = match badge.kind {
        OpenKind::Open => ("open-badge is-open", "✓"),
        OpenKind::Closed => ("open-badge is-closed", "✕"),
        OpenKind::Unknown => ("open-badge is-unknown", "?"),
    };
    // Times are the place's own; say so when the phone is in another zone.
    let note = (!badge.tz.is_empty() && device_tz().is_some_and(|tz| tz != badge.tz))
        .then_some(badge.tz_note);
    view! {
        <span class=class>
            <span class="badge-icon" aria-hidden="true">{icon}</span>
            <span class="badge-text">{badge.text}</span>
        </span>
        {note.map(|zone| {
            let text = move || t_string!(i18n, home.tz_note, zone = zone.clone()).to_string();
            view! { <span class="tz-note">{text}</span> }
        })}
    }
}

#[component]
pub fn ServiceCard(card: Card) -> impl IntoView {
    let href = Route::Service(card.id.clone()).href();
    view! {
        <li>
            <a class="service-card" data-id=card.id.clone() href=href>
                <span class="service-name">{card.name}</span>
                <span class="service-provider">{card.provider}" · "{card.place}</span>
                <OpenNowBadge badge=card.open />
                {card.distance_label.map(|d| view! { <span class="distance">{d}</span> })}
                <span class="service-summary">{card.summary}</span>
            </a>
        </li>
    }
}

/// A list of cards, or a plain sentence when there is nothing to show (`empty`, e.g. a `t!`,
/// so that it follows the language).
#[component]
pub fn ServiceList(cards: Vec<Card>, #[prop(into)] empty: ViewFn) -> impl IntoView {
    if cards.is_empty() {
        return view! { <p class="empty">{move || empty.run()}</p> }.into_any();
    }
    view! {
        <ul class="cards">
            {cards.into_iter().map(|card| view! { <ServiceCard card=card /> }).collect_view()}
        </ul>
    }
    .into_any()
}

//! A service in a list (`ServiceCard`) and the open-now badge (`OpenNowBadge`): words and an
//! icon, never colour alone.

use esv_shared::ipc::{OpenBadge, OpenKind, ServiceCard as Card};
use leptos::prelude::*;

use crate::route::Route;

#[component]
pub fn OpenNowBadge(badge: OpenBadge) -> impl IntoView {
    let (class, icon) = match badge.kind {
        OpenKind::Open => ("open-badge is-open", "✓"),
        OpenKind::Closed => ("open-badge is-closed", "✕"),
        OpenKind::Unknown => ("open-badge is-unknown", "?"),
    };
    view! {
        <span class=class>
            <span class="badge-icon" aria-hidden="true">{icon}</span>
            <span class="badge-text">{badge.text}</span>
        </span>
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

//! A simple pictogram for each category, drawn as inline SVG (no icon fonts, no emoji fonts
//! needed), so people who read little can find their way.

use esv_shared::domain::Category;
use esv_shared::requests::RequestKind;
use leptos::prelude::*;

fn path(category: Category) -> &'static str {
    match category {
        Category::Documents => "M3 6h18v12H3z M7 10h4 M7 14h6 M15 10h2v4h-2z",
        Category::Health => "M10 4h4v6h6v4h-6v6h-4v-6H4v-4h6z",
        Category::WorkIncome => "M4 8h16v11H4z M9 8V5h6v3 M4 13h16",
        Category::SocialAssistance => "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2 4 4 0 0 1 7 2c0 5.5-7 10-7 10z",
        Category::Food => "M4 11h16a8 8 0 0 1-16 0z M8 4v4 M12 3v5 M16 4v4",
        Category::Housing => "M3 11l9-7 9 7 M5 10v10h14V10 M10 20v-6h4v6",
        Category::Legal => "M12 3v18 M7 21h10 M4 7h16 M6 7l-3 6a3 3 0 0 0 6 0z M18 7l-3 6a3 3 0 0 0 6 0z",
        Category::Education => "M4 5h7a2 2 0 0 1 2 2v13a2 2 0 0 0-2-2H4z M20 5h-7a2 2 0 0 0-2 2v13a2 2 0 0 1 2-2h7z",
        Category::Family => "M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M2 20a6 6 0 0 1 12 0 M10 20a6 6 0 0 1 12 0",
    }
}

#[component]
pub fn Pictogram(category: Category) -> impl IntoView {
    view! {
        <svg class="pictogram" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path(category) />
        </svg>
    }
}

/// The pictogram of a "Preciso de…" need: a category's, or "talk" (a speech bubble).
#[component]
pub fn NeedPictogram(name: &'static str) -> impl IntoView {
    let d = match Category::from_slug(name) {
        Some(category) => path(category),
        None => "M4 5h16v10H9l-5 4z M8 9h8 M8 12h5",
    };
    view! {
        <svg class="pictogram" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=d />
        </svg>
    }
}

/// The pictogram of what a request asks for ("Pedir ajuda"): a person at a desk, a document,
/// a briefcase, the scales, a speech bubble.
#[component]
pub fn RequestKindPictogram(kind: RequestKind) -> impl IntoView {
    let d = match kind {
        RequestKind::Appointment => {
            "M12 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M6 20a6 6 0 0 1 12 0 M3 20h18"
        }
        RequestKind::Documents => path(Category::Documents),
        RequestKind::WorkOrCourse => path(Category::WorkIncome),
        RequestKind::Legal => path(Category::Legal),
        RequestKind::Other => "M4 5h16v10H9l-5 4z M8 9h8 M8 12h5",
    };
    view! {
        <svg class="pictogram" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=d />
        </svg>
    }
}

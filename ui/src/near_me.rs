//! "Perto de mim": where the person is, for distances — their position, only if they allow it
//! (held in memory for this session, never stored, never sent anywhere), or a city they
//! choose (remembered on this device). Nothing here needs a network.

use esv_shared::geo::{self, CITIES};
use esv_shared::ipc::{GeoPoint, SortOrder};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{t, use_i18n};

const CITY_KEY: &str = "esv.city";

/// Where distances are measured from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// The device's position (this session only).
    Device(GeoPoint),
    /// A chosen city, by IBGE code.
    City(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Denied,
    Unavailable,
}

/// Shared by every screen that lists services.
#[derive(Clone, Copy)]
pub struct NearMe {
    pub origin: RwSignal<Option<Origin>>,
    pub by_distance: RwSignal<bool>,
    problem: RwSignal<Option<Problem>>,
    locating: RwSignal<bool>,
}

impl NearMe {
    pub fn point(&self) -> Option<GeoPoint> {
        match self.origin.get()? {
            Origin::Device(p) => Some(p),
            Origin::City(ibge) => geo::city_by_ibge(ibge).map(|c| c.centre),
        }
    }

    pub fn sort(&self) -> SortOrder {
        if self.by_distance.get() && self.origin.get().is_some() {
            SortOrder::Distance
        } else {
            SortOrder::Relevance
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Makes the shared state, starting from the city chosen before (never from a position).
pub fn provide_near_me() {
    let city = storage()
        .and_then(|s| s.get_item(CITY_KEY).ok().flatten())
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|ibge| geo::city_by_ibge(*ibge).is_some());
    provide_context(NearMe {
        origin: RwSignal::new(city.map(Origin::City)),
        by_distance: RwSignal::new(false),
        problem: RwSignal::new(None),
        locating: RwSignal::new(false),
    });
}

pub fn use_near_me() -> NearMe {
    expect_context::<NearMe>()
}

fn remember_city(ibge: Option<u32>) {
    if let Some(s) = storage() {
        let _ = match ibge {
            Some(ibge) => s.set_item(CITY_KEY, &ibge.to_string()),
            None => s.remove_item(CITY_KEY),
        };
    }
}

fn number(obj: &JsValue, key: &str) -> Option<f64> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .ok()?
        .as_f64()
}

/// Asks the system for the position once. A refusal is an answer, not an error.
fn locate(near: NearMe) {
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        near.problem.set(Some(Problem::Unavailable));
        return;
    };
    near.locating.set(true);
    let ok = Closure::once_into_js(move |position: JsValue| {
        near.locating.set(false);
        let coords = js_sys::Reflect::get(&position, &JsValue::from_str("coords"))
            .unwrap_or(JsValue::UNDEFINED);
        match (number(&coords, "latitude"), number(&coords, "longitude")) {
            (Some(lat), Some(lon)) if geo::is_valid(GeoPoint { lat, lon }) => {
                near.problem.set(None);
                near.origin.set(Some(Origin::Device(GeoPoint { lat, lon })));
                near.by_distance.set(true);
            }
            _ => near.problem.set(Some(Problem::Unavailable)),
        }
    });
    let failed = Closure::once_into_js(move |error: JsValue| {
        near.locating.set(false);
        // PositionError.PERMISSION_DENIED is 1.
        let denied = number(&error, "code") == Some(1.0);
        near.problem.set(Some(if denied {
            Problem::Denied
        } else {
            Problem::Unavailable
        }));
    });
    let (Some(ok), Some(failed)) = (ok.dyn_ref::<js_sys::Function>(), failed.dyn_ref()) else {
        return;
    };
    if geolocation
        .get_current_position_with_error_callback(ok, Some(failed))
        .is_err()
    {
        near.locating.set(false);
        near.problem.set(Some(Problem::Unavailable));
    }
}

/// The control above a list: use my position, or choose a city; nearest first.
#[component]
pub fn NearMeControl() -> impl IntoView {
    let i18n = use_i18n();
    let near = use_near_me();
    let selected = move || match near.origin.get() {
        Some(Origin::City(ibge)) => ibge.to_string(),
        _ => String::new(),
    };
    let on_city = move |ev: leptos::ev::Event| {
        let ibge = event_target_value(&ev).parse::<u32>().ok();
        remember_city(ibge);
        near.problem.set(None);
        near.origin.set(ibge.map(Origin::City));
        near.by_distance.set(ibge.is_some());
    };
    view! {
        <section class="near-me" aria-labelledby="perto">
            <h2 id="perto">{t!(i18n, near.title)}</h2>
            <button
                type="button"
                class="button"
                id="use-location"
                prop:disabled=move || near.locating.get()
                on:click=move |_| locate(near)
            >
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 2v4 M12 18v4 M2 12h4 M18 12h4 M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10z" /></svg>
                {move || if near.locating.get() { t!(i18n, near.locating).into_any() } else { t!(i18n, near.use_location).into_any() }}
            </button>
            {move || matches!(near.origin.get(), Some(Origin::Device(_))).then(|| view! {
                <p class="hint" id="location-note">{t!(i18n, near.using_location)}" "
                    <button type="button" class="link-button" on:click=move |_| {
                        near.origin.set(None);
                        near.by_distance.set(false);
                    }>{t!(i18n, near.forget)}</button>
                </p>
            })}
            {move || near.problem.get().map(|p| view! {
                <p class="notice" role="status" id="location-problem">
                    {match p {
                        Problem::Denied => t!(i18n, near.denied).into_any(),
                        Problem::Unavailable => t!(i18n, near.unavailable).into_any(),
                    }}
                </p>
            })}
            <label for="city">{t!(i18n, near.choose_city)}</label>
            <select id="city" prop:value=selected on:change=on_city>
                <option value="">{t!(i18n, near.no_city)}</option>
                {CITIES
                    .iter()
                    .map(|c| {
                        let label = format!("{} ({})", c.name, c.uf.code());
                        view! { <option value=c.ibge.to_string()>{label}</option> }
                    })
                    .collect_view()}
            </select>
            {move || near.origin.get().is_some().then(|| view! {
                <label class="toggle">
                    <input
                        type="checkbox"
                        id="by-distance"
                        prop:checked=move || near.by_distance.get()
                        on:change=move |ev| near.by_distance.set(event_target_checked(&ev))
                    />
                    {t!(i18n, near.nearest_first)}
                </label>
            })}
        </section>
    }
}

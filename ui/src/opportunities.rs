//! "Vagas, cursos e oficinas": what the offices announce, with the deadline in words; the
//! ones whose deadline has passed are not shown at all.

use esv_shared::ipc::OpportunityView;
use leptos::prelude::*;

use crate::api;
use crate::common::{BackLink, ErrorBox, Loading};
use crate::i18n::{t, use_i18n};
use crate::locale::app_labels;

#[component]
fn OpportunityCard(o: OpportunityView) -> impl IntoView {
    let i18n = use_i18n();
    let requirements = (!o.requirements.is_empty()).then(|| {
        let list = o.requirements.clone();
        view! {
            <p class="hint">{t!(i18n, opportunities.requirements)}</p>
            <ul class="plain">{list.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
        }
    });
    view! {
        <li class="opportunity" data-id=o.id.clone()>
            <span class="tag">{o.kind_label}</span>
            <h2>{o.title}</h2>
            <p class="deadline"><strong>{o.deadline_label}</strong></p>
            <p>{o.description}</p>
            {requirements}
            <p class="service-provider">{o.office}</p>
        </li>
    }
}

#[component]
pub fn OpportunitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let list = LocalResource::new(move || {
        labels.track();
        api::opportunities()
    });
    let retry = Callback::new(move |()| list.refetch());
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        <h1 class="page-title">{t!(i18n, opportunities.title)}</h1>
        {move || match list.get() {
            Some(Ok(items)) if items.is_empty() => view! { <p class="empty">{t!(i18n, opportunities.none)}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="opportunities">
                    {items.into_iter().map(|o| view! { <OpportunityCard o=o /> }).collect_view()}
                </ul>
            }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            None => view! { <Loading /> }.into_any(),
        }}
    }
}

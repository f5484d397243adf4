//! The office console's entry (Staff, Coordinator): requests, catalog, reports, and for the
//! Coordinator the access log — who saw which person's data — and accounts and devices.

use esv_shared::ipc::team::{AuditEntryView, DeviceView};
use esv_shared::sync::Role;
use leptos::prelude::*;

use crate::api;
use crate::common::{BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::route::Route;
use crate::team::on_team_error;

/// The signed-in account's role when the store is open.
pub fn staff_role(d: &DeviceView) -> Option<Role> {
    d.account
        .as_ref()
        .map(|a| a.role)
        .filter(|r| !d.locked && matches!(r, Role::Staff | Role::Coordinator))
}

/// Renders `body` for the office's Staff and Coordinator, and otherwise says who this part is
/// for, with the way to sign in.
#[component]
pub fn StaffOnly<F>(body: F) -> impl IntoView
where
    F: Fn(Role) -> AnyView + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let device = LocalResource::new(api::device);
    let retry = Callback::new(move |()| device.refetch());
    move || {
        match device.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => {
            on_team_error(&e);
            view! { <ErrorBox error=e retry=retry /> }.into_any()
        }
        Some(Ok(d)) => match staff_role(&d) {
            Some(role) => body(role),
            None => view! {
                <p class="notice" role="status" id="only-staff">{t!(i18n, office.only_staff)}</p>
                <p class="more-links"><a class="button primary" href=Route::Team.href()>{t!(i18n, team.home_title)}</a></p>
            }
            .into_any(),
        },
    }
    }
}

#[component]
pub fn OfficePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <BackLink href=Route::Team.href()>{t!(i18n, team.home_title)}</BackLink>
        <h1 class="page-title">{t!(i18n, office.console)}</h1>
        <p class="lead">{t!(i18n, office.hub_lead)}</p>
        <StaffOnly body=hub_links />
    }
}

fn hub_links(role: Role) -> AnyView {
    let i18n = use_i18n();
    let entry = |id: &'static str, route: Route, words: AnyView| {
        view! {
            <li><a class="service-card office-entry" id=id href=route.href()>
                <span class="service-name">{words}</span>
            </a></li>
        }
    };
    let coordinator = role == Role::Coordinator;
    view! {
        <ul class="cards" id="office-entries">
            {entry("office-queue", Route::Queue, t!(i18n, office.queue_title).into_any())}
            {entry("office-catalog", Route::Catalog, t!(i18n, office.catalog_title).into_any())}
            {entry("office-reports", Route::Reports(None), t!(i18n, office.reports_title).into_any())}
            {entry("office-releases", Route::Releases, t!(i18n, office.releases_title).into_any())}
            {coordinator.then(|| entry("office-audit", Route::Audit(None), t!(i18n, office.audit_title).into_any()))}
            {coordinator.then(|| entry("office-accounts", Route::Accounts, t!(i18n, office.accounts_title).into_any()))}
        </ul>
    }
    .into_any()
}

/// The Coordinator's access log, from the server, a page at a time (last arrived first):
/// the first, or the one after `before`; "Ver mais antigos" opens the next.
#[component]
pub fn AuditPage(before: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(move || api::audit_log(before.clone()));
    let retry = Callback::new(move |()| loaded.refetch());
    view! {
        <BackLink href=Route::Office.href()>{t!(i18n, office.console)}</BackLink>
        <h1 class="page-title" id="audit-title">{t!(i18n, office.audit_title)}</h1>
        <p class="hint">{t!(i18n, office.audit_lead)}</p>
        {move || match loaded.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => {
                on_team_error(&e);
                view! { <ErrorBox error=e retry=retry /> }.into_any()
            }
            Some(Ok(page)) if page.entries.is_empty() => {
                view! { <p class="empty" role="status">{t!(i18n, office.audit_none)}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                {audit_table(page.entries)}
                {page.next.map(|next| view! {
                    <p class="more-links">
                        <a class="button" id="audit-more" href=Route::Audit(Some(next)).href()>{t!(i18n, office.audit_more)}</a>
                    </p>
                })}
            }.into_any(),
        }}
    }
}

fn audit_table(entries: Vec<AuditEntryView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, office.audit_title)>
            <table class="data-table" id="audit-log" aria-labelledby="audit-title">
                <thead><tr>
                    <th scope="col">{t!(i18n, office.audit_when)}</th>
                    <th scope="col">{t!(i18n, office.audit_who)}</th>
                    <th scope="col">{t!(i18n, office.audit_what)}</th>
                    <th scope="col">{t!(i18n, office.audit_person)}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <td>{e.when_label}<br /><small>{e.opened_label}</small></td>
                            <td>{e.who}</td>
                            <td>{e.what_label}</td>
                            <td><a href=Route::Person(e.person_id.clone()).href()>{e.person_id.clone()}</a></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

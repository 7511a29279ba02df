//! The team's caseload for the coordinator (`/caseload`): households with their coordinator,
//! open questions, next date and legal clock; filters and search; assigning the coordinator and
//! a warm handover. Online only: the caseload is the team's, counted on the server.

use crate::features::handover_form::{load_colleagues, HandoverForm};
use crate::ui::counted;
use leptos::prelude::*;
use leptos_meta::Title;
#[cfg(feature = "hydrate")]
use shared::model::caseload::HandoverSummary;
use shared::model::caseload::{CaseloadRow, Colleague, TeamWorker};
use shared::rules::validation::{display_date, parse_date};

/// Another team of the municipality a household can move to (`GET /api/teams`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
struct OtherTeam {
    id: String,
    name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    NoCoordinator,
    DeadlineSoon,
    NextDatePassed,
}

fn matches(filter: Filter, row: &CaseloadRow, today: &str) -> bool {
    match filter {
        Filter::All => true,
        Filter::NoCoordinator => row.coordinator_id.is_none(),
        Filter::DeadlineSoon => row.deadline.as_ref().is_some_and(|d| d.days_left <= 7),
        Filter::NextDatePassed => row.next_date.as_deref().is_some_and(|d| d < today),
    }
}

#[cfg(feature = "hydrate")]
fn words(error: crate::sync::browser::SyncError) -> String {
    match error {
        crate::sync::browser::SyncError::Server(403, _) => {
            "Alleen een coördinator kan de caseload van het team inzien.".to_owned()
        }
        crate::sync::browser::SyncError::Server(status, message) if status < 500 => message,
        other => other.words(),
    }
}

#[component]
pub fn CaseloadPage() -> impl IntoView {
    let rows = RwSignal::new(None::<Result<Vec<CaseloadRow>, String>>);
    let workers = RwSignal::new(Vec::<TeamWorker>::new());
    let colleagues = RwSignal::new(Vec::<Colleague>::new());
    let teams = RwSignal::new(Vec::<OtherTeam>::new());
    let search = RwSignal::new(String::new());
    let filter = RwSignal::new(Filter::All);
    let notice = RwSignal::new(None::<Result<String, String>>);
    // Regisseurs chosen but not yet assigned, by household: a list that arrives again (a search
    // answered after the first load) redraws its rows and must not forget a choice.
    let choices = RwSignal::new(std::collections::HashMap::<shared::model::Id, String>::new());
    let load = move || {
        let q = search.get_untracked();
        #[cfg(not(feature = "hydrate"))]
        let _ = (q, rows, workers, teams);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            use crate::sync::browser::send;
            let url = format!("/api/caseload?q={}", js_sys::encode_uri_component(&q));
            let result = send::<Vec<CaseloadRow>>("GET", &url, None).await;
            rows.set(Some(result.map_err(words)));
            if let Ok(list) = send::<Vec<TeamWorker>>("GET", "/api/team/workers", None).await {
                workers.set(list);
            }
            if let Ok(list) = send::<Vec<OtherTeam>>("GET", "/api/teams", None).await {
                teams.set(list);
            }
        });
    };
    Effect::new(move |_| load());
    Effect::new(move |_| load_colleagues(colleagues));
    let today = crate::clock::now().date().to_string();
    view! {
        <Title text="Caseload"/>
        <h1>"Caseload van het team"</h1>
        <crate::features::access_requests::AccessRequestsCard/>
        <crate::features::duplicates::DuplicatesCard/>
        <form class="card form" role="search" on:submit=move |ev| { ev.prevent_default(); load(); }>
            <div class="field-grid">
                <div class="field">
                    <label class="field__label" for="caseload-zoek">"Zoek op huishouden of regisseur"</label>
                    <input id="caseload-zoek" class="field__input" type="search"
                        on:input=move |ev| search.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label class="field__label" for="caseload-filter">"Toon"</label>
                    <select id="caseload-filter" class="field__input" on:change=move |ev| filter.set(match event_target_value(&ev).as_str() {
                        "zonder" => Filter::NoCoordinator,
                        "termijn" => Filter::DeadlineSoon,
                        "verlopen" => Filter::NextDatePassed,
                        _ => Filter::All,
                    })>
                        <option value="alle">"Alle huishoudens"</option>
                        <option value="zonder">"Zonder regisseur"</option>
                        <option value="termijn">"Wettelijke termijn binnen een week"</option>
                        <option value="verlopen">"Volgende stap verlopen"</option>
                    </select>
                </div>
            </div>
            <div class="actions"><button class="button button--primary" type="submit">"Zoeken"</button></div>
        </form>
        {move || notice.get().map(|n| match n {
            Ok(text) => view! { <p class="notice notice--success" role="status" data-testid="caseload-notice">{text}</p> }.into_any(),
            Err(text) => view! { <p class="notice notice--error" role="alert">{text}</p> }.into_any(),
        })}
        {move || match rows.get() {
            None => view! { <p class="empty-state">"De caseload wordt geladen…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="notice notice--error" role="alert">{message}</p> }.into_any(),
            Some(Ok(list)) => {
                let today = today.clone();
                let shown: Vec<CaseloadRow> = list.into_iter().filter(|r| matches(filter.get(), r, &today)).collect();
                if shown.is_empty() {
                    return view! { <p class="empty-state">"Geen huishoudens gevonden."</p> }.into_any();
                }
                view! {
                    <ul class="caseload" data-testid="caseload">
                        {shown.into_iter().map(|row| view! { <CaseloadItem row=row workers=workers colleagues=colleagues teams=teams notice=notice choices=choices reload=Callback::new(move |_| load())/> }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        <crate::features::accounts::DevicesCard/>
    }
}

#[component]
fn CaseloadItem(
    row: CaseloadRow,
    workers: RwSignal<Vec<TeamWorker>>,
    colleagues: RwSignal<Vec<Colleague>>,
    teams: RwSignal<Vec<OtherTeam>>,
    notice: RwSignal<Option<Result<String, String>>>,
    choices: RwSignal<std::collections::HashMap<shared::model::Id, String>>,
    reload: Callback<()>,
) -> impl IntoView {
    let household = row.household_id;
    let chosen = RwSignal::new(
        choices
            .with_untracked(|c| c.get(&household).cloned())
            .or(row.coordinator_id.map(|id| id.to_string()))
            .unwrap_or_default(),
    );
    let name = row.name.clone();
    let assign = move |_| {
        let account = chosen.get_untracked();
        let Ok(account_id) = account.parse::<shared::model::Id>() else {
            notice.set(Some(Err("Kies eerst een regisseur.".into())));
            return;
        };
        let body = serde_json::json!({ "account_id": account_id }).to_string();
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, reload);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/households/{household}/coordinator");
            match crate::sync::browser::send::<serde_json::Value>("PUT", &url, Some(body)).await {
                Ok(_) => {
                    notice.set(Some(Ok("Regisseur toegewezen.".into())));
                    reload.run(());
                }
                Err(e) => notice.set(Some(Err(words(e)))),
            }
        });
    };
    let picked_up = move |id: shared::model::Id| {
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/handovers/{id}/pick-up");
            match crate::sync::browser::send::<HandoverSummary>("POST", &url, None).await {
                Ok(_) => {
                    notice.set(Some(Ok("Vastgelegd: de overdracht is opgepakt.".into())));
                    reload.run(());
                }
                Err(e) => notice.set(Some(Err(words(e)))),
            }
        });
    };
    let id = household.to_string();
    let deadline = row.deadline.clone();
    let handover = row.last_handover.clone();
    view! {
        <li class="card caseload__item" data-testid="caseload-row">
            <div class="caseload__head">
                <h2><a href=format!("/huishouden/{id}")>{name.clone()}</a></h2>
                {deadline.map(|d| {
                    let class = if d.days_left < 0 { "badge badge--danger" } else if d.days_left <= 7 { "badge badge--warning" } else { "badge" };
                    let when = if d.days_left < 0 { format!("{} verlopen", counted(-d.days_left, "dag", "dagen")) } else { format!("nog {}", counted(d.days_left, "dag", "dagen")) };
                    view! { <span class=class>{format!("{}: {when}", d.label)}</span> }
                })}
            </div>
            <p class="caseload__facts">
                {counted(row.open_questions, "open vraag", "open vragen")}
                {row.next_date.as_deref().and_then(parse_date).map(|d| format!(" · volgende stap {}", display_date(d)))}
                {format!(" · regisseur: {}", row.coordinator_name.clone().unwrap_or_else(|| "nog niet toegewezen".into()))}
            </p>
            {handover.map(|h| {
                let status = match &h.picked_up_at { Some(_) => "opgepakt", None => "nog niet opgepakt" };
                let waiting_partner = h.picked_up_at.is_none();
                let hid = h.id;
                view! {
                    <p class="caseload__handover" data-testid="handover-status">
                        {format!("Overgedragen aan {} door {}: {status}.", h.to, h.from)}
                        <Show when=move || waiting_partner>
                            <button class="button button--secondary" type="button" on:click=move |_| picked_up(hid)>"Opgepakt vastleggen"</button>
                        </Show>
                    </p>
                }
            })}
            <div class="caseload__actions">
                <div class="field">
                    <label class="field__label" for=format!("regisseur-{id}")>"Regisseur"</label>
                    <select id=format!("regisseur-{id}") class="field__input" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        choices.update(|c| { c.insert(household, value.clone()); });
                        chosen.set(value);
                    }>
                        <option value="">"Kies een collega"</option>
                        {move || workers.get().into_iter().map(|w| {
                            let value = w.id.to_string();
                            let selected = chosen.get_untracked() == value;
                            view! { <option value=value selected=selected>{w.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button class="button button--secondary" type="button" on:click=assign>"Toewijzen"</button>
            </div>
            <MoveForm household=household name=name.clone() teams notice reload/>
            <details class="caseload__handover-form">
                <summary>"Warm overdragen"</summary>
                <HandoverForm household colleagues notice on_done=reload/>
            </details>
        </li>
    }
}

/// Moving the household to another team of the municipality, with a reason.
#[component]
fn MoveForm(
    household: shared::model::Id,
    name: String,
    teams: RwSignal<Vec<OtherTeam>>,
    notice: RwSignal<Option<Result<String, String>>>,
    reload: Callback<()>,
) -> impl IntoView {
    let team = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (to, why) = (team.get_untracked(), reason.get_untracked());
        if to.is_empty() || why.trim().is_empty() {
            notice.set(Some(Err("Kies het team en schrijf waarom.".into())));
            return;
        }
        let body = serde_json::json!({ "team": to, "reason": why }).to_string();
        let name = name.clone();
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, name, reload);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/households/{household}/transfer");
            match crate::sync::browser::send::<serde_json::Value>("POST", &url, Some(body)).await {
                Ok(_) => {
                    notice.set(Some(Ok(format!("{name} is naar het andere team gegaan."))));
                    reload.run(());
                }
                Err(e) => notice.set(Some(Err(words(e)))),
            }
        });
    };
    view! {
        <details class="caseload__handover-form">
            <summary>"Naar een ander team"</summary>
            <form class="form" on:submit=submit>
                <div class="field">
                    <label class="field__label" for=format!("team-{household}")>"Team"</label>
                    <select id=format!("team-{household}") class="field__input" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="">"Kies een team"</option>
                        {move || teams.get().into_iter().map(|t| view! { <option value=t.id>{t.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for=format!("team-reden-{household}")>"Waarom"</label>
                    <input id=format!("team-reden-{household}") class="field__input" type="text"
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                </div>
                <button class="button button--secondary" type="submit">"Verplaatsen"</button>
            </form>
        </details>
    }
}

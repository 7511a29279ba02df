//! "Mijn werk" at the top of the start screen: today's appointments and home visits, questions
//! whose next date passed, plans to evaluate, conflicts and legal deadlines within a week, all
//! from the device (so also offline); and, when online, households a colleague handed over.

use crate::clock;
use crate::store::use_store;
use leptos::prelude::*;
use shared::model::caseload::HandoverSummary;
use shared::model::plan::SupportPlan;
use shared::model::{Household, Notification, Question, QuickScan, Resident};
use shared::rules::legal_clock::Urgency;
use shared::rules::my_work::{my_work, MyWork, Worker};
use shared::rules::validation::display_date;
use std::collections::HashMap;

#[component]
pub fn MyWorkCard() -> impl IntoView {
    let store = use_store();
    let data = move || {
        store.read(|s| {
            let today = clock::today();
            // Mine: the signed-in worker's (the team's and no one's wait in the tray).
            let account = s.account();
            let me = account.as_ref().map(|a| Worker {
                account_id: a.account_id,
                name: &a.name,
            });
            let work = my_work(
                today,
                me,
                &s.list::<QuickScan>(),
                &s.list::<Question>(),
                &s.list::<SupportPlan>(),
                &s.list::<Notification>(),
            );
            let households: HashMap<_, _> = s
                .list::<Household>()
                .into_iter()
                .map(|h| (h.id, h.name))
                .collect();
            let residents: HashMap<_, _> = s
                .list::<Resident>()
                .into_iter()
                .map(|r| (r.id, r.full_name()))
                .collect();
            (work, households, residents, s.conflicts().len())
        })
    };
    view! {
        <section class="card my-work" aria-labelledby="mijn-werk" data-testid="my-work">
            <h2 id="mijn-werk">"Mijn werk"</h2>
            <super::crisis::CrisisLists/>
            {move || match data() {
                None => view! { <p class="empty-state">"Gegevens op dit apparaat worden geladen…"</p> }.into_any(),
                Some((work, _, _, 0)) if work.is_empty() => view! {
                    <p class="empty-state">"Niets dat vandaag aandacht vraagt: geen afspraken, verlopen vragen, evaluaties of termijnen."</p>
                }.into_any(),
                Some((work, households, residents, conflicts)) => work_lists(work, households, residents, conflicts).into_any(),
            }}
            <HandoversWaiting/>
        </section>
    }
}

fn work_lists(
    work: MyWork,
    households: HashMap<shared::model::Id, String>,
    residents: HashMap<shared::model::Id, String>,
    conflicts: usize,
) -> impl IntoView {
    let household = move |id| {
        households
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "Huishouden".into())
    };
    let today = clock::today();
    view! {
        {(conflicts > 0).then(|| view! {
            <p class="notice notice--warning" data-testid="my-work-conflicts">
                <a href="/conflicten">{if conflicts == 1 { "1 conflict om op te lossen".to_owned() } else { format!("{conflicts} conflicten om op te lossen") }}</a>
            </p>
        })}
        {(!work.appointments.is_empty()).then(|| view! {
            <h3>"Afspraken vandaag"</h3>
            <ul class="list" data-testid="my-work-appointments">
                {work.appointments.iter().map(|a| {
                    let what = match (a.kitchen_table, a.home_visit) {
                        (true, true) => "Keukentafelgesprek, huisbezoek",
                        (true, false) => "Keukentafelgesprek",
                        (false, true) => "Verhelderend gesprek, huisbezoek",
                        (false, false) => "Verhelderend gesprek",
                    };
                    let name = residents.get(&a.resident_id).cloned().unwrap_or_else(|| household(a.household_id));
                    view! {
                        <li class="list__item">
                            <span class="list__main">
                                <a href=format!("/huishouden/{}", a.household_id)><strong>{name}</strong></a>
                                <span class="hint">{format!("{what} · {}", a.place)}</span>
                            </span>
                            <span class="list__meta"><strong>{a.time.clone()}</strong></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {(!work.overdue_questions.is_empty()).then(|| view! {
            <h3>"Vragen die een volgende stap nodig hebben"</h3>
            <ul class="list" data-testid="my-work-overdue">
                {work.overdue_questions.iter().map(|q| {
                    let when = match q.next_date {
                        Some(d) if d < today => format!("Verlopen: {}", display_date(d)),
                        Some(d) => display_date(d),
                        None => "Geen volgende datum".into(),
                    };
                    let owner = if q.owner.trim().is_empty() { "Geen eigenaar".to_owned() } else { format!("Eigenaar: {}", q.owner) };
                    view! {
                        <li class="list__item">
                            <span class="list__main">
                                <a href=format!("/huishouden/{}", q.household_id)><strong>{household(q.household_id)}</strong></a>
                                <span>{q.own_words.chars().take(100).collect::<String>()}</span>
                            </span>
                            <span class="list__meta"><span class="overdue">{when}</span><span class="hint">{owner}</span></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {(!work.overdue_actions.is_empty()).then(|| view! {
            <h3>"Acties uit het plan over hun datum"</h3>
            <ul class="list" data-testid="my-work-actions">
                {work.overdue_actions.iter().map(|a| view! {
                    <li class="list__item">
                        <span class="list__main">
                            <a href=format!("/plan/{}", a.household_id)><strong>{household(a.household_id)}</strong></a>
                            <span>{a.description.chars().take(100).collect::<String>()}</span>
                        </span>
                        <span class="list__meta"><span class="overdue">{format!("Verlopen: {}", display_date(a.due))}</span></span>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!work.evaluations_due.is_empty()).then(|| view! {
            <h3>"Evalueren met de inwoner"</h3>
            <ul class="list" data-testid="my-work-evaluations">
                {work.evaluations_due.iter().map(|id| view! {
                    <li class="list__item">
                        <span class="list__main"><strong>{household(*id)}</strong><span class="hint">"De ondersteuning is geleverd; bespreek of het resultaat is bereikt."</span></span>
                        <a class="button button--secondary" href=format!("/plan/{id}")>"Evaluatie vastleggen"</a>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!work.deadlines.is_empty()).then(|| view! {
            <h3>"Wettelijke termijnen binnen een week"</h3>
            <ul class="list" data-testid="my-work-deadlines">
                {work.deadlines.iter().map(|d| {
                    let (badge, text) = match d.item.urgency {
                        Urgency::Overdue => ("badge badge--danger", format!("Verlopen op {}", display_date(d.item.due))),
                        _ => ("badge badge--warning", format!("Uiterlijk {} (nog {} dagen)", display_date(d.item.due), d.item.days_left)),
                    };
                    view! {
                        <li class="list__item">
                            <span class="list__main">
                                <a href=format!("/huishouden/{}", d.household_id)><strong>{household(d.household_id)}</strong></a>
                                <span>{d.item.label}</span>
                            </span>
                            <span class="list__meta"><span class=badge>{text}</span></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// Households a colleague handed over to this worker, not yet picked up (online only: the
/// handover lives on the server; the household itself reaches this device by sync).
#[component]
fn HandoversWaiting() -> impl IntoView {
    let store = use_store();
    let waiting = RwSignal::new(Vec::<HandoverSummary>::new());
    let message = RwSignal::new(None::<String>);
    let load = move || {
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(list) = crate::sync::browser::send::<Vec<HandoverSummary>>(
                "GET",
                "/api/handovers/waiting",
                None,
            )
            .await
            {
                waiting.set(list);
            }
        });
    };
    // Once per page (not after every write), and again when the connection returns: only a
    // signed-in worker can receive handovers, and offline the question cannot be asked.
    let signed_in = Memo::new(move |_| store.read(|s| s.account().is_some()).unwrap_or(false));
    let online = crate::pwa::use_pwa_state().online;
    Effect::new(move |_| {
        if signed_in.get() && online.get() {
            load();
        }
    });
    let pick_up = move |id: shared::model::Id| {
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/handovers/{id}/pick-up");
            match crate::sync::browser::send::<HandoverSummary>("POST", &url, None).await {
                Ok(_) => {
                    message.set(Some(
                        "Opgepakt. Je collega ziet dat de overdracht is aangekomen.".into(),
                    ));
                    load();
                }
                Err(e) => message.set(Some(e.words())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let name = move |id| {
        store
            .read(|s| s.get::<Household>(id).map(|h| h.name))
            .flatten()
            .unwrap_or_else(|| "Huishouden (komt bij de volgende synchronisatie)".into())
    };
    view! {
        <Show when=move || message.with(Option::is_some)>
            <p class="notice notice--info" role="status">{move || message.get().unwrap_or_default()}</p>
        </Show>
        <Show when=move || !waiting.with(Vec::is_empty)>
            <h3>"Aan jou overgedragen"</h3>
            <ul class="list" data-testid="my-work-handovers">
                {move || waiting.get().into_iter().map(|h| {
                    let id = h.id;
                    view! {
                        <li class="list__item">
                            <span class="list__main">
                                <a href=format!("/huishouden/{}", h.household_id)><strong>{name(h.household_id)}</strong></a>
                                <span>{format!("Van {}: {}", h.from, h.note)}</span>
                            </span>
                            <button type="button" class="button button--primary" on:click=move |_| pick_up(id)>"Oppakken"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}

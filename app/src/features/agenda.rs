//! The agenda (`/agenda`): a week of booked conversations per worker. One's own comes from the
//! device (offline too), with the household and the place; a colleague's is asked of the
//! server and shows busy slots only, for booking a slot with them.

use crate::clock;
use crate::store::use_store;
use crate::ui::owner::roster;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::{Household, Id, QuickScan};
use shared::rules::agenda::{between, day_label, days_shown, week_start, Appointment, BusySlot};
use shared::rules::validation::display_date;
use time::{Date, Duration};

#[component]
pub fn AgendaPage() -> impl IntoView {
    let store = use_store();
    let me = Memo::new(move |_| store.read(|s| s.account()).flatten());
    let monday = RwSignal::new(week_start(clock::today()));
    // Whose agenda: empty for one's own.
    let whose = RwSignal::new(String::new());
    let team = roster();
    let others: Vec<(String, String)> = team
        .members
        .iter()
        .filter(|m| {
            me.get_untracked()
                .is_none_or(|a| a.account_id != m.account_id)
        })
        .map(|m| (m.account_id.to_string(), m.name.clone()))
        .collect();
    let heading = move || {
        let from = monday.get();
        format!(
            "Week {}: {} t/m {}",
            from.iso_week(),
            display_date(from),
            display_date(from + Duration::days(6))
        )
    };
    let week = move |days: i64| monday.update(|m| *m += Duration::days(days));
    view! {
        <Title text="Agenda"/>
        <h1>"Agenda"</h1>
        <section class="card agenda-controls" aria-label="Welke agenda">
            <div class="field">
                <label class="field__label" for="agenda_whose">"Agenda van"</label>
                <select id="agenda_whose" class="field__input"
                    on:change=move |ev| whose.set(event_target_value(&ev))>
                    <option value="" selected=move || whose.with(String::is_empty)>"Mijzelf"</option>
                    {others.into_iter().map(|(id, name)| {
                        let value = id.clone();
                        view! { <option value=value selected=move || whose.get() == id>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="actions">
                <button type="button" class="button button--secondary" on:click=move |_| week(-7)>"Vorige week"</button>
                <button type="button" class="button button--secondary"
                    on:click=move |_| monday.set(week_start(clock::today()))>"Deze week"</button>
                <button type="button" class="button button--secondary" on:click=move |_| week(7)>"Volgende week"</button>
            </div>
        </section>
        <h2 class="agenda-week" aria-live="polite">{heading}</h2>
        {move || {
            let from = monday.get();
            match Id::parse_str(&whose.get()) {
                Ok(account) => view! { <ColleagueWeek account from/> }.into_any(),
                Err(_) => view! { <OwnWeek from/> }.into_any(),
            }
        }}
    }
}

/// The signed-in worker's week, from the device.
#[component]
fn OwnWeek(from: Date) -> impl IntoView {
    let store = use_store();
    let to = from + Duration::days(6);
    let me = store.read(|s| s.account()).flatten();
    let scans = store.read(|s| s.list::<QuickScan>()).unwrap_or_default();
    let households: std::collections::HashMap<Id, String> = store
        .read(|s| s.list::<Household>())
        .unwrap_or_default()
        .into_iter()
        .map(|h| (h.id, h.name))
        .collect();
    let mine = between(&scans, from, to, |a| {
        me.as_ref()
            .is_none_or(|me| a.is_for(me.account_id, &me.name))
    });
    let booked: Vec<Date> = mine.iter().map(|a| a.date).collect();
    view! {
        <div class="agenda" data-testid="agenda">
            {days_shown(from, &booked).into_iter().map(|day| {
                let today: Vec<&Appointment> = mine.iter().filter(|a| a.date == day).collect();
                view! {
                    <section class="card agenda__day" class:agenda__day--today=day == clock::today() aria-label=day_label(day)>
                        <h3 class="agenda__date">{heading(day)}</h3>
                        {if today.is_empty() {
                            view! { <p class="hint">"Niets gepland."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="list">
                                    {today.into_iter().map(|a| {
                                        let name = households.get(&a.household_id).cloned()
                                            .unwrap_or_else(|| "Huishouden".to_owned());
                                        view! {
                                            <li class="list__item list__item--stacked" data-testid="appointment">
                                                <span><strong>{a.time.clone()}</strong>" "
                                                    {if a.kitchen_table { "Keukentafelgesprek" } else { "Vraagverheldering" }}
                                                    {a.home_visit.then(|| view! { <span class="badge agenda__tag">"Huisbezoek"</span> })}
                                                </span>
                                                <a href=format!("/huishouden/{}", a.household_id)>{name}</a>
                                                <span class="hint">{a.place.clone()}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

/// A colleague's week: busy slots only, asked of the server.
#[component]
fn ColleagueWeek(account: Id, from: Date) -> impl IntoView {
    let pwa = crate::pwa::use_pwa_state();
    let slots = RwSignal::new(None::<Result<Vec<BusySlot>, String>>);
    let to = from + Duration::days(6);
    Effect::new(move |_| {
        if !pwa.online.get() {
            return;
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (account, slots, to);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!(
                "/api/agenda/busy?account={account}&from={}&to={}",
                shared::rules::validation::format_date(from),
                shared::rules::validation::format_date(to)
            );
            let answer = crate::sync::browser::send::<Vec<BusySlot>>("GET", &url, None).await;
            slots.set(Some(answer.map_err(|e| e.words())));
        });
    });
    view! {
        <div class="agenda" data-testid="agenda">
            {move || match (pwa.online.get(), slots.get()) {
                (false, _) => view! {
                    <p class="notice notice--info" role="status">"Zonder verbinding is de agenda van een collega niet te zien. Je eigen agenda wel."</p>
                }.into_any(),
                (true, None) => view! { <p class="hint" role="status">"De agenda wordt opgehaald…"</p> }.into_any(),
                (true, Some(Err(words))) => view! { <p class="notice notice--error" role="alert">{words}</p> }.into_any(),
                (true, Some(Ok(busy))) => {
                    let booked: Vec<Date> = busy.iter().map(|s| s.date).collect();
                    days_shown(from, &booked).into_iter().map(|day| {
                        let taken: Vec<&BusySlot> = busy.iter().filter(|s| s.date == day).collect();
                        view! {
                            <section class="card agenda__day" class:agenda__day--today=day == clock::today() aria-label=day_label(day)>
                                <h3 class="agenda__date">{heading(day)}</h3>
                                {if taken.is_empty() {
                                    view! { <p class="hint">"Nog vrij."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="list">
                                            {taken.into_iter().map(|s| view! {
                                                <li class="list__item" data-testid="busy-slot">
                                                    <strong>{s.time.clone()}</strong>" bezet"
                                                    {s.home_visit.then(|| view! { <span class="badge agenda__tag">"Huisbezoek"</span> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                        }
                    }).collect_view().into_any()
                }
            }}
        </div>
    }
}

/// A day's heading, today marked as such.
fn heading(day: Date) -> String {
    if day == clock::today() {
        format!("{} (vandaag)", day_label(day))
    } else {
        day_label(day)
    }
}

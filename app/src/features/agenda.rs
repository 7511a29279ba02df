//! The agenda (`/agenda`): a day or a week of booked conversations per worker. One's own comes
//! from the device (offline too), with the household and the place; a colleague's is asked of
//! the server and shows busy slots only, for booking a slot with them.

use crate::clock;
use crate::store::use_store;
use crate::ui::owner::roster;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::{Household, Id, QuickScan};
use shared::rules::agenda::{between, day_label, Appointment, BusySlot, Span};
use shared::rules::validation::{display_date, format_date, parse_date};
use time::{Date, Duration};

#[component]
pub fn AgendaPage() -> impl IntoView {
    let store = use_store();
    let me = Memo::new(move |_| store.read(|s| s.account()).flatten());
    let span = RwSignal::new(Span::Week);
    // The page's first day: the day itself, or the week's Monday.
    let first = RwSignal::new(Span::Week.start(clock::today()));
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
        let from = first.get();
        match span.get() {
            Span::Day => heading(from),
            Span::Week => format!(
                "Week {}: {} t/m {}",
                from.iso_week(),
                display_date(from),
                display_date(Span::Week.end(from))
            ),
        }
    };
    let show = move |chosen: Span| {
        span.set(chosen);
        first.update(|f| *f = chosen.start(*f));
    };
    let page = move |direction: i64| {
        first.update(|f| *f += Duration::days(direction * span.get_untracked().step()))
    };
    let labels = move |day: &'static str, week: &'static str| {
        move || if span.get() == Span::Day { day } else { week }
    };
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
            <div class="choice-group" role="group" aria-labelledby="agenda_span">
                <p id="agenda_span" class="choice-group__label">"Toon"</p>
                <button type="button" class="button button--choice"
                    aria-pressed=move || (span.get() == Span::Day).to_string()
                    on:click=move |_| show(Span::Day)>"Dag"</button>
                <button type="button" class="button button--choice"
                    aria-pressed=move || (span.get() == Span::Week).to_string()
                    on:click=move |_| show(Span::Week)>"Week"</button>
            </div>
            <div class="field">
                <label class="field__label" for="agenda_date">"Ga naar datum"</label>
                <input id="agenda_date" class="field__input" type="date"
                    prop:value=move || format_date(first.get())
                    on:change=move |ev| {
                        if let Some(day) = parse_date(&event_target_value(&ev)) {
                            first.set(span.get_untracked().start(day));
                        }
                    }/>
            </div>
            <div class="actions">
                <button type="button" class="button button--secondary" on:click=move |_| page(-1)>{labels("Vorige dag", "Vorige week")}</button>
                <button type="button" class="button button--secondary"
                    on:click=move |_| first.set(span.get_untracked().start(clock::today()))>{labels("Vandaag", "Deze week")}</button>
                <button type="button" class="button button--secondary" on:click=move |_| page(1)>{labels("Volgende dag", "Volgende week")}</button>
            </div>
        </section>
        <h2 class="agenda-week" aria-live="polite">{heading}</h2>
        {move || {
            let (from, span) = (first.get(), span.get());
            match Id::parse_str(&whose.get()) {
                Ok(account) => view! { <ColleagueWeek account from span/> }.into_any(),
                Err(_) => view! { <OwnWeek from span/> }.into_any(),
            }
        }}
    }
}

/// The signed-in worker's day or week, from the device.
#[component]
fn OwnWeek(from: Date, span: Span) -> impl IntoView {
    let store = use_store();
    let to = span.end(from);
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
            {span.days(from, &booked).into_iter().map(|day| {
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

/// A colleague's day or week: busy slots only, asked of the server.
#[component]
fn ColleagueWeek(account: Id, from: Date, span: Span) -> impl IntoView {
    let pwa = crate::pwa::use_pwa_state();
    let slots = RwSignal::new(None::<Result<Vec<BusySlot>, String>>);
    let to = span.end(from);
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
                format_date(from),
                format_date(to)
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
                    span.days(from, &booked).into_iter().map(|day| {
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

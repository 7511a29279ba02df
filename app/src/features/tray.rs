//! The team's tray (werkvoorraad, `/werkvoorraad`): open questions owned by the team or by no
//! one, which anyone picks up ("Oppakken": it becomes theirs) and the coordinator hands to a
//! colleague; and, for the coordinator, how many open questions each colleague carries. From
//! the device (offline too); a pick-up travels as a change of the question's owner.

use crate::clock;
use crate::store::use_store;
use crate::ui::owner::{roster, OwnerSelect};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::{Household, Id, Owner, Question, Role};
use shared::rules::my_work::{load, tray};
use shared::rules::validation::display_date;

#[component]
pub fn TrayPage() -> impl IntoView {
    let store = use_store();
    let questions = Memo::new(move |_| store.read(|s| s.list::<Question>()).unwrap_or_default());
    let households = Memo::new(move |_| {
        store
            .read(|s| s.list::<Household>())
            .unwrap_or_default()
            .into_iter()
            .map(|h| (h.id, h.name))
            .collect::<std::collections::HashMap<_, _>>()
    });
    let me = Memo::new(move |_| store.read(|s| s.account()).flatten());
    let is_coordinator = move || me.get().is_some_and(|a| a.role == Role::Coordinator);
    let take = move |id: Id, owner: Owner| {
        if let Some(mut q) = store.read(|s| s.get::<Question>(id)).flatten() {
            q.set_owner(owner);
            store.write(|s| s.put(&q));
        }
    };
    let pick_up = move |id: Id| {
        if let Some(account) = me.get_untracked() {
            take(
                id,
                Owner::Person {
                    account_id: account.account_id,
                    name: account.name,
                },
            );
        }
    };
    let team = roster();
    let carried = move || {
        let per = questions.with(|q| load(q));
        team.members
            .iter()
            .map(|m| (m.name.clone(), per.get(&m.account_id).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
    };
    view! {
        <Title text="Werkvoorraad"/>
        <h1>"Werkvoorraad van het team"</h1>
        <section class="card" aria-labelledby="voorraad-kop" data-testid="tray">
            <h2 id="voorraad-kop">"Wacht op iemand"</h2>
            <p class="hint">"Vragen van het team of van niemand. Pak er een op, dan staat hij in jouw werk."</p>
            {move || {
                let waiting = questions.with(|q| tray(q));
                if waiting.is_empty() {
                    return view! { <p class="empty-state">"Niets in de werkvoorraad."</p> }.into_any();
                }
                let today = clock::today();
                view! {
                    <ul class="list">
                        {waiting.into_iter().map(|q| {
                            let id = q.id;
                            let current = if q.team_owned { Some(None) } else { None };
                            let name = households.with(|h| h.get(&q.household_id).cloned()).unwrap_or_else(|| "Huishouden".into());
                            let when = match q.next_date {
                                Some(d) if d < today => format!("Verlopen: {}", display_date(d)),
                                Some(d) => display_date(d),
                                None => "Geen volgende datum".into(),
                            };
                            view! {
                                <li class="list__item list__item--stacked" data-testid="tray-item">
                                    <span class="list__main">
                                        <a href=format!("/huishouden/{}", q.household_id)><strong>{name.clone()}</strong></a>
                                        <span>{q.own_words.chars().take(120).collect::<String>()}</span>
                                        <span class="hint">{when}</span>
                                    </span>
                                    <span class="actions">
                                        <button type="button" class="button button--primary" on:click=move |_| pick_up(id)
                                            aria-label=format!("Oppakken: {name}")>"Oppakken"</button>
                                    </span>
                                    <Show when=is_coordinator>
                                        <OwnerSelect id=format!("toewijzen-{id}") label=format!("Toewijzen aan ({name})")
                                            current=Signal::derive(move || current) on_choose=move |owner| take(id, owner)/>
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <Show when=is_coordinator>
            <section class="card" aria-labelledby="last-kop" data-testid="tray-load">
                <h2 id="last-kop">"Wie draagt wat"</h2>
                <p class="hint">"Open vragen per collega, op dit apparaat."</p>
                <ul class="list">
                    {carried().into_iter().map(|(name, count)| view! {
                        <li class="list__item">
                            <span class="list__main"><strong>{name}</strong></span>
                            <span class="list__meta">{if count == 1 { "1 open vraag".to_owned() } else { format!("{count} open vragen") }}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

//! The household page: its members (their details correctable), its story (timeline), its open questions and conversations, and the legal clock
//! of every melding, with days left and warnings in time.

mod clock;
mod closure;
mod consent;
mod guests;
mod handover;
mod involved;
mod members;
mod questions;
mod timeline;
mod zaken;

pub(crate) use questions::open_questions;

use crate::store::use_store;
use crate::ui::{route_id, when_loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::{Conversation, Household, Id, Notification};
use shared::rules::validation::display_date;

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let id = route_id();
    view! {
        <Title text="Huishouden"/>
        {when_loaded(move |s| s.get::<Household>(id?), |household| view! { <HouseholdView household/> }, "Huishouden niet gevonden")}
    }
}

#[component]
fn HouseholdView(household: Household) -> impl IntoView {
    let store = use_store();
    let household_id = household.id;
    crate::ui::note_read(household_id);
    // The household as stored now (a pull may bring a regisseur or a closure), read once per
    // store change for the lines that follow it.
    let current = Memo::new(move |_| store.read(|s| s.get::<Household>(household_id)).flatten());
    let conversations = move || {
        let mut list: Vec<Conversation> = store
            .read(|s| s.list::<Conversation>())
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.household_id == household_id)
            .collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.held_on));
        list
    };
    let notifications = untrack(|| {
        store
            .read(|s| s.list::<Notification>())
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.household_id == household_id)
            .collect::<Vec<_>>()
    });
    view! {
        <div class="page-head">
            <h1>{household.name.clone()}</h1>
            <span class="page-head__actions">
                <Show when=move || store.may_handle(shared::sync::RecordType::SupportPlan)>
                    <a class="button button--primary" href=format!("/plan/{household_id}")>"Ondersteuningsplan"</a>
                </Show>
                <a class="button button--secondary" href=format!("/verslag/{household_id}")>"Verslag voor de inwoner"</a>
            </span>
        </div>
        <p class="lead" data-testid="case-manager">
            {move || {
                match current.get().and_then(|h| h.case_manager) {
                    Some(person) => format!("Regisseur: {}", person.reach()),
                    None => "Nog geen regisseur: de coördinator wijst die toe in de caseload.".to_owned(),
                }
            }}
        </p>
        {move || {
            current.get().and_then(|h| h.closed).map(|closed| view! {
                <p class="notice" role="status" data-testid="closed">
                    {format!("Afgesloten op {}. Wat je nu vastlegt, wordt pas verwerkt als de coördinator het huishouden heropent.", display_date(closed.on))}
                </p>
            })
        }}
        <crate::sync::ConflictList household=household_id/>
        <crate::sync::RejectedList household=household_id/>
        <members::MembersCard household_id/>
        {notifications.into_iter().map(|n| view! { <clock::ClockCard notification=n/> }).collect_view()}
        <zaken::ZakenCard household_id/>
        <involved::InvolvedCard household_id/>
        <consent::ConsentCard household=household.clone() main_resident=household.members.first().map(|m| m.resident_id).unwrap_or_default()/>
        <questions::OpenQuestions household_id/>
        <crate::ui::RoleGate record_type=shared::sync::RecordType::Conversation>
        <section class="card" aria-labelledby="gesprekken-kop">
            <h2 id="gesprekken-kop">"Gesprekken"</h2>
            {move || {
                let list = conversations();
                if list.is_empty() {
                    return view! { <p class="empty-state">"Nog geen keukentafelgesprek."</p> }.into_any();
                }
                view! {
                    <ul class="list">
                        {list.into_iter().map(|c| view! {
                            <li class="list__item">
                                <a href=format!("/gesprek/{}", c.id)>{format!("{} van {}", c.kind.label(), display_date(c.held_on))}</a>
                                <span class="hint">{format!("{} leefgebieden", c.domains.len())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        </crate::ui::RoleGate>
        <timeline::TimelineCard household=household.clone()/>
        <handover::HandoverCard household_id/>
        <guests::GuestsCard household_id/>
        <closure::ClosureCard household_id/>
    }
}

/// The household's members (former ones too) by id and full name, in the household's order.
fn member_names(store: crate::store::StoreState, household: &Household) -> Vec<(Id, String)> {
    let residents = store
        .read(|s| s.list::<shared::model::Resident>())
        .unwrap_or_default();
    household
        .members
        .iter()
        .filter_map(|m| residents.iter().find(|r| r.id == m.resident_id))
        .map(|r| (r.id, r.full_name()))
        .collect()
}

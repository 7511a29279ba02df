//! The household's story on its page: everything recorded about it, newest first, filtered by
//! kind and by member. Read from the device store, so it works offline and shows what a pull
//! brought at once.

use crate::store::use_store;
use leptos::prelude::*;
use shared::model::caseload::HandoverSummary;
use shared::model::consent::Consent;
use shared::model::plan::SupportPlan;
use shared::model::timeline::{filtered, timeline, Kind, Records, Refused};
use shared::model::{Contact, Conversation, Household, Id, Notification, Question, QuickScan};
use shared::rules::validation::display_date;
use shared::sync::RecordType;

/// Entries drawn at first, and added by each "Oudere tonen".
const PAGE: usize = 25;

#[component]
pub fn TimelineCard(household: Household) -> impl IntoView {
    let store = use_store();
    let household_id = household.id;
    let map = crate::reference::catalogue().social_map();
    // Handovers live on the server: added to the story when online, left out offline.
    let handovers = RwSignal::new(Vec::<HandoverSummary>::new());
    #[cfg(feature = "hydrate")]
    wasm_bindgen_futures::spawn_local(async move {
        let url = format!("/api/households/{household_id}/handovers");
        if let Ok(list) =
            crate::sync::browser::send::<Vec<HandoverSummary>>("GET", &url, None).await
        {
            handovers.set(list);
        }
    });
    let story = Memo::new(move |_| {
        let handovers = handovers.get();
        store
            .read(|s| {
                let involved = s
                    .get::<Household>(household_id)
                    .map(|h| h.involved)
                    .unwrap_or_default();
                let (contacts, quick_scans) = (s.list::<Contact>(), s.list::<QuickScan>());
                let (questions, notifications) = (s.list::<Question>(), s.list::<Notification>());
                let (conversations, plans) = (s.list::<Conversation>(), s.list::<SupportPlan>());
                let consents = s.list::<Consent>();
                let today = crate::clock::today();
                let refused: Vec<Refused> = s
                    .rejected_in(household_id)
                    .into_iter()
                    .map(|r| Refused {
                        on: r.refused_on.unwrap_or(today),
                        what: crate::sync::record_label(r.change.record_type).to_owned(),
                        reason: r.reason,
                    })
                    .collect();
                let records = Records {
                    contacts: &contacts,
                    quick_scans: &quick_scans,
                    questions: &questions,
                    notifications: &notifications,
                    conversations: &conversations,
                    plans: &plans,
                    consents: &consents,
                    involved: &involved,
                    handovers: &handovers,
                    refused: &refused,
                };
                timeline(household_id, &records, |id| {
                    map.partner(id)
                        .map_or_else(|| id.to_owned(), |p| p.name.clone())
                })
            })
            .unwrap_or_default()
    });
    let members = untrack(|| super::member_names(store, &household));
    let kind = RwSignal::new(None::<Kind>);
    let member = RwSignal::new(None::<Id>);
    // The newest entries first, a page at a time: a year of phone calls need not all be drawn
    // before the page opens.
    let limit = RwSignal::new(PAGE);
    // The front office does not see conversations and plans: it is told that more exists.
    let sees_all = move || store.may_handle(RecordType::Conversation);
    view! {
        <section class="card" aria-labelledby="verloop-kop" data-testid="timeline">
            <h2 id="verloop-kop">"Verloop"</h2>
            <div class="field-grid">
                <div class="field">
                    <label class="field__label" for="verloop-soort">"Soort"</label>
                    <select id="verloop-soort" class="field__input"
                        on:change=move |ev| kind.set(Kind::from_key(&event_target_value(&ev)))>
                        <option value="">"Alles"</option>
                        {Kind::ALL.into_iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Show when={
                    let many = members.len() > 1;
                    move || many
                }>
                    <div class="field">
                        <label class="field__label" for="verloop-lid">"Over"</label>
                        <select id="verloop-lid" class="field__input"
                            on:change=move |ev| member.set(Id::parse_str(&event_target_value(&ev)).ok())>
                            <option value="">"Het hele huishouden"</option>
                            {members.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
            </div>
            <Show when=move || !sees_all()>
                <p class="hint" data-testid="timeline-more">"Er is meer vastgelegd (gesprekken en plannen) dan jouw rol laat zien."</p>
            </Show>
            {move || story.with(|entries| {
                let mut shown = filtered(entries, kind.get(), member.get());
                if shown.is_empty() {
                    return view! { <p class="empty-state">"Nog niets vastgelegd."</p> }.into_any();
                }
                let older = shown.len().saturating_sub(limit.get());
                shown.truncate(limit.get());
                view! {
                    <ol class="list">
                        {shown.into_iter().map(|e| view! {
                            <li class="list__item" data-testid="timeline-entry">
                                <span class="list__main">
                                    <strong>{match &e.href {
                                        Some(href) => view! { <a href=href.clone()>{e.title.clone()}</a> }.into_any(),
                                        None => e.title.clone().into_any(),
                                    }}</strong>
                                    {(!e.detail.is_empty()).then(|| view! { <span>{e.detail.clone()}</span> })}
                                </span>
                                <span class="list__meta">{display_date(e.on)}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                    {(older > 0).then(|| view! {
                        <button type="button" class="button button--secondary" data-testid="timeline-more-entries"
                            on:click=move |_| limit.update(|l| *l += PAGE)>
                            {format!("Oudere tonen ({older} meer)")}
                        </button>
                    })}
                }.into_any()
            })}
        </section>
    }
}

mod crisis;
mod my_work;

use crate::clock;
use crate::store::use_store;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use shared::model::{Contact, Question, QuestionStatus, QuickScan, Resident};
use shared::rules::validation::display_date;
use std::collections::HashMap;

/// The worker's start screen: my work (what needs attention), today's contacts and the open
/// questions with owner and next date.
#[component]
pub fn TodayPage() -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let start_conversation = move |question: &Question| {
        let mut started = None;
        store.write(|s| {
            started = Some(crate::features::conversation::conversation_for(
                s, question,
            )?);
            Ok(())
        });
        if let Some(id) = started {
            navigate(&format!("/gesprek/{id}"), Default::default());
        }
    };
    let data = move || {
        store.read(|s| {
            let residents: HashMap<_, _> = s
                .list::<Resident>()
                .into_iter()
                .map(|r| (r.id, r.full_name()))
                .collect();
            let scans: HashMap<_, _> = s
                .list::<QuickScan>()
                .into_iter()
                .map(|q| (q.id, q))
                .collect();
            let now = clock::now();
            let today = now.date();
            let mut contacts: Vec<Contact> = s
                .list::<Contact>()
                .into_iter()
                .filter(|c| c.started_at.to_offset(now.offset()).date() == today)
                .collect();
            contacts.sort_by_key(|c| std::cmp::Reverse(c.started_at));
            let mut questions: Vec<Question> = s
                .list::<Question>()
                .into_iter()
                .filter(|q| q.status == QuestionStatus::Open)
                .collect();
            questions.sort_by_key(|q| q.next_date);
            (residents, scans, contacts, questions)
        })
    };
    view! {
        <Title text="Vandaag"/>
        <div class="page-head">
            <h1>"Vandaag"</h1>
            <a class="button button--primary" href="/contact/nieuw">"Nieuw contact"</a>
        </div>
        <my_work::MyWorkCard/>
        <section class="card" aria-labelledby="contacten-vandaag">
            <h2 id="contacten-vandaag">"Contacten van vandaag"</h2>
            {move || match data() {
                Some((residents, scans, contacts, _)) if !contacts.is_empty() => view! {
                    <ul class="list" data-testid="today-contacts">
                        {contacts.into_iter().map(|c| {
                            let name = residents.get(&c.resident_id).cloned().unwrap_or_else(|| "Onbekende inwoner".into());
                            let status = match scans.get(&c.quick_scan_id).and_then(|s| s.outcome.as_ref()) {
                                Some(o) => view! { <span class="badge">{o.outcome.kind().label()}</span> }.into_any(),
                                None => view! {
                                    <a class="button button--secondary" href=format!("/vraagverkenning/{}", c.quick_scan_id)>
                                        "Vraagverkenning hervatten"
                                    </a>
                                }.into_any(),
                            };
                            view! {
                                <li class="list__item">
                                    <span class="list__main">
                                        <a href=format!("/huishouden/{}", c.household_id)><strong>{name}</strong></a>
                                        <span class="hint">{format!("{} · {}", clock::clock_time(c.started_at), c.channel.label())}</span>
                                    </span>
                                    {status}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(_) => view! { <p class="empty-state">"Je hebt vandaag nog geen contacten vastgelegd."</p> }.into_any(),
                None => view! { <p class="empty-state">"Gegevens op dit apparaat worden geladen…"</p> }.into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="open-vragen">
            <h2 id="open-vragen">"Open vragen"</h2>
            {move || match data() {
                Some((residents, _, _, questions)) if !questions.is_empty() => {
                    let today = clock::today();
                    view! {
                        <ul class="list" data-testid="open-questions">
                            {questions.into_iter().map(|q| {
                                let name = residents.get(&q.resident_id).cloned().unwrap_or_default();
                                let overdue = q.next_date.is_some_and(|d| d < today);
                                let date = q.next_date.map(display_date).unwrap_or_else(|| "geen datum".into());
                                let start = start_conversation.clone();
                                let question = q.clone();
                                view! {
                                    <li class="list__item">
                                        <span class="list__main">
                                            <strong>{name}</strong>
                                            <span>{q.own_words.chars().take(120).collect::<String>()}</span>
                                            <span class="hint">{q.next_step.clone()}</span>
                                        </span>
                                        <span class="list__meta">
                                            <span class:overdue=overdue>{if overdue { format!("Verlopen: {date}") } else { date }}</span>
                                            <span class="hint">{format!("Eigenaar: {}", q.owner)}</span>
                                            <Show when=move || store.may_handle(shared::sync::RecordType::Conversation)>
                                                <button type="button" class="button button--secondary"
                                                    on:click={
                                                        let start = start.clone();
                                                        let question = question.clone();
                                                        move |_| start(&question)
                                                    }>"Keukentafelgesprek"</button>
                                            </Show>
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
                Some(_) => view! { <p class="empty-state">"Er staan geen vragen open met een volgende stap."</p> }.into_any(),
                None => view! { <p class="empty-state">"Gegevens op dit apparaat worden geladen…"</p> }.into_any(),
            }}
        </section>
    }
}

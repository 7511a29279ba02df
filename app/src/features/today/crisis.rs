//! Escalations (crisis or unsafety from a quick scan) on top of "Mijn werk": the owner's own,
//! until they say they took it up ("Opgepakt"); and for the coordinator every escalation of the
//! team nobody took up within an hour (`shared::rules::my_work::unanswered_crises`). From the
//! device, so offline too; the acknowledgement syncs like any edit of the question.

use crate::clock;
use crate::store::use_store;
use leptos::prelude::*;
use shared::model::question::Acknowledged;
use shared::model::{Household, Id, Question, Role};
use shared::rules::my_work::{crises_of, unanswered_crises, Worker};
use shared::rules::validation::display_date;
use std::collections::HashMap;

#[derive(PartialEq)]
struct Crises {
    mine: Vec<Question>,
    /// For the coordinator only.
    unanswered: Vec<Question>,
    households: HashMap<Id, String>,
    me: String,
}

#[component]
pub fn CrisisLists() -> impl IntoView {
    let store = use_store();
    let data = Memo::new(move |_| {
        store
            .read(|s| {
                let questions = s.list::<Question>();
                if !questions.iter().any(Question::crisis_waiting) {
                    return None;
                }
                let account = s.account();
                let me = account.as_ref().map(|a| Worker {
                    account_id: a.account_id,
                    name: &a.name,
                });
                let coordinator = account
                    .as_ref()
                    .is_some_and(|a| a.role == Role::Coordinator);
                Some(Crises {
                    mine: crises_of(me, &questions),
                    unanswered: if coordinator {
                        unanswered_crises(&questions, clock::now())
                    } else {
                        Vec::new()
                    },
                    households: s
                        .list::<Household>()
                        .into_iter()
                        .map(|h| (h.id, h.name))
                        .collect(),
                    me: account.map(|a| a.name).unwrap_or_default(),
                })
            })
            .flatten()
    });
    let take_up = move |id: Id| {
        let Some(mut question) = store.read(|s| s.get::<Question>(id)).flatten() else {
            return;
        };
        let by = data.with_untracked(|d| d.as_ref().map(|d| d.me.clone()).unwrap_or_default());
        if let Some(crisis) = question.crisis.as_mut() {
            crisis.acknowledged = Some(Acknowledged {
                by,
                at: clock::now(),
            });
        }
        store.write(|s| s.put(&question));
    };
    view! {
        {move || data.with(|d| d.as_ref().map(|d| {
            let name = |id: Id| d.households.get(&id).cloned().unwrap_or_else(|| "Huishouden".into());
            view! {
                {(!d.mine.is_empty()).then(|| view! {
                    <div class="crisis" role="alert" data-testid="my-crises">
                        <h3>"Opgeschaald: direct oppakken"</h3>
                        <ul class="list">
                            {d.mine.iter().map(|q| {
                                let id = q.id;
                                let raised = q.crisis.as_ref().map(|c| c.raised_at);
                                let label = format!("Opgepakt: {}", name(q.household_id));
                                view! {
                                    <li class="list__item">
                                        <span class="list__main">
                                            <a href=format!("/huishouden/{}", q.household_id)><strong>{name(q.household_id)}</strong></a>
                                            <span>{q.own_words.chars().take(100).collect::<String>()}</span>
                                            <span class="hint">{raised.map(|at| format!("Opgeschaald op {} om {:02}:{:02}", display_date(at.date()), at.hour(), at.minute()))}</span>
                                        </span>
                                        <button type="button" class="button button--primary" aria-label=label
                                            on:click=move |_| take_up(id)>"Opgepakt"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                {(!d.unanswered.is_empty()).then(|| view! {
                    <div class="notice notice--warning" data-testid="unanswered-crises">
                        <h3>"Opschalingen die na een uur niemand oppakte"</h3>
                        <ul class="list">
                            {d.unanswered.iter().map(|q| view! {
                                <li class="list__item">
                                    <span class="list__main">
                                        <a href=format!("/huishouden/{}", q.household_id)><strong>{name(q.household_id)}</strong></a>
                                        <span class="hint">{format!("Eigenaar: {}", q.owner)}</span>
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
            }
        }))}
    }
}

//! The warm handover form (online: the handover is the server's): to a colleague of any team of
//! the municipality, or to a partner of the social map with the resident's consent, with what
//! the next one needs to know. On the caseload page and on the household page.

use crate::ui::online::Notice;
use leptos::prelude::*;
use shared::model::caseload::{Colleague, NewHandover};
use shared::model::Id;

/// Every colleague the worker can hand over to (`GET /api/colleagues`), their own team first.
pub fn load_colleagues(into: RwSignal<Vec<Colleague>>) {
    #[cfg(not(feature = "hydrate"))]
    let _ = into;
    #[cfg(feature = "hydrate")]
    wasm_bindgen_futures::spawn_local(async move {
        let answer =
            crate::sync::browser::send::<Vec<Colleague>>("GET", "/api/colleagues", None).await;
        if let Ok(list) = answer {
            into.set(list);
        }
    });
}

/// The colleagues grouped by team, in the order given.
fn by_team(colleagues: &[Colleague]) -> Vec<(String, Vec<Colleague>)> {
    let mut teams: Vec<(String, Vec<Colleague>)> = Vec::new();
    for c in colleagues {
        match teams.iter_mut().find(|(name, _)| *name == c.team_name) {
            Some((_, members)) => members.push(c.clone()),
            None => teams.push((c.team_name.clone(), vec![c.clone()])),
        }
    }
    teams
}

#[component]
pub fn HandoverForm(
    household: Id,
    colleagues: RwSignal<Vec<Colleague>>,
    notice: Notice,
    on_done: Callback<()>,
) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let legal_ground = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = target.get_untracked();
        let (to_account, to_partner) = match chosen.split_once(':') {
            Some(("collega", id)) => (id.parse().ok(), None),
            Some(("partner", id)) => (None, Some(id.to_owned())),
            _ => (None, None),
        };
        let handover = NewHandover {
            to_account,
            to_partner,
            note: note.get_untracked(),
            legal_ground: legal_ground.get_untracked(),
        };
        // Checked here first, so the form keeps what was typed and says what is missing.
        if let Err(message) = handover.check() {
            notice.set(Some(Err(message)));
            return;
        }
        let body = serde_json::to_string(&handover).unwrap_or_default();
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, on_done);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            use shared::model::caseload::HandoverSummary;
            let url = format!("/api/households/{household}/handovers");
            match crate::sync::browser::send::<HandoverSummary>("POST", &url, Some(body)).await {
                Ok(h) => {
                    notice.set(Some(Ok(format!("Overgedragen aan {}.", h.to))));
                    // Done: the form is empty again, so it does not look like it waits to be sent.
                    target.set(String::new());
                    note.set(String::new());
                    legal_ground.set(String::new());
                    on_done.run(());
                }
                Err(e) => notice.set(Some(Err(crate::ui::online::refusal_words(e)))),
            }
        });
    };
    let id = household.to_string();
    view! {
        <form class="form" on:submit=submit>
            <div class="field">
                <label class="field__label" for=format!("overdracht-aan-{id}")>"Aan"</label>
                <select id=format!("overdracht-aan-{id}") class="field__input"
                    prop:value=move || target.get() on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"Kies een collega of partner"</option>
                    {move || by_team(&colleagues.get()).into_iter().map(|(team, members)| view! {
                        <optgroup label=format!("Collega's: {team}")>
                            {members.into_iter().map(|c| view! {
                                <option value=format!("collega:{}", c.account_id)>{c.name}</option>
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                    <optgroup label="Partners (sociale kaart)">
                        {crate::reference::catalogue().social_map().partners.iter().filter(|p| p.active).map(|p| view! { <option value=format!("partner:{}", p.id)>{p.name.clone()}</option> }).collect_view()}
                    </optgroup>
                </select>
            </div>
            <div class="field">
                <label class="field__label" for=format!("overdracht-notitie-{id}")>"Wat moet de volgende weten?"</label>
                <textarea id=format!("overdracht-notitie-{id}") class="field__input" rows="3"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <p class="field__hint">"De open vragen gaan mee. Een collega van een ander team krijgt toegang tot het huishouden. Naar een partner alleen met toestemming van de inwoner voor een warme overdracht."</p>
            </div>
            <div class="field">
                <label class="field__label" for=format!("overdracht-grond-{id}")>"Wettelijke grondslag zonder toestemming (meestal leeg)"</label>
                <input id=format!("overdracht-grond-{id}") class="field__input" type="text"
                    prop:value=move || legal_ground.get() on:input=move |ev| legal_ground.set(event_target_value(&ev))/>
            </div>
            <button class="button button--primary" type="submit">"Overdragen"</button>
        </form>
    }
}

//! Who the conversation is booked with: a colleague from the team's roster (on the device, so
//! offline too), and, online, the slots already taken in their agenda on the chosen day (busy
//! slots only: when, not who or where).

use super::outcome::OutcomeDraft;
use crate::ui::form::{field_error, ErrorText};
use crate::ui::owner::roster_with_me;
use leptos::prelude::*;
use shared::rules::agenda::BusySlot;
use shared::rules::validation::FieldErrors;

#[component]
pub fn AppointmentWorker(
    draft: RwSignal<OutcomeDraft>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let roster = roster_with_me();
    let chosen = move || draft.with(|d| d.worker_account.clone());
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        draft.update(|d| d.worker_account = value);
    };
    let error = field_error(errors, "appointment_worker");
    view! {
        <div class="field">
            <label class="field__label" for="appointment_worker">"Met wie is de afspraak?"</label>
            <select id="appointment_worker" class="field__input" on:change=choose
                aria-describedby=move || if error.get().is_some() {
                    "appointment_worker-busy appointment_worker-fout"
                } else {
                    "appointment_worker-busy"
                }>
                <option value="" selected=move || chosen().is_empty()>"Kies een collega"</option>
                {roster.members.iter().map(|m| {
                    let account = m.account_id.to_string();
                    let value = account.clone();
                    view! {
                        <option value=value selected=move || chosen() == account>
                            {format!("{} ({})", m.name, m.role.label().to_lowercase())}
                        </option>
                    }
                }).collect_view()}
            </select>
            <ErrorText id="appointment_worker-fout".into() error/>
            <BusyThatDay draft/>
        </div>
    }
}

/// The chosen colleague's taken slots on the chosen day, asked of the server (the agenda of
/// someone else is not on this device).
#[component]
fn BusyThatDay(draft: RwSignal<OutcomeDraft>) -> impl IntoView {
    let pwa = crate::pwa::use_pwa_state();
    let busy = RwSignal::new(None::<Vec<BusySlot>>);
    Effect::new(move |_| {
        let (account, date) = draft.with(|d| (d.worker_account.clone(), d.date.clone()));
        let online = pwa.online.get();
        busy.set(None);
        let wanted = !account.is_empty() && !date.is_empty() && online;
        #[cfg(not(feature = "hydrate"))]
        let _ = wanted;
        #[cfg(feature = "hydrate")]
        if wanted {
            ask(draft, busy, account, date);
        }
    });

    view! {
        <p class="field__hint" id="appointment_worker-busy" data-testid="busy" aria-live="polite">
            {move || match (busy.get(), pwa.online.get()) {
                (_, false) => "Zonder verbinding is de agenda van een collega niet te zien.".to_owned(),
                (None, true) => String::new(),
                (Some(slots), true) if slots.is_empty() => "Nog niets gepland op deze dag.".to_owned(),
                (Some(slots), true) => format!(
                    "Al bezet op deze dag: {}.",
                    slots
                        .iter()
                        .map(|s| if s.home_visit {
                            format!("{} (huisbezoek)", s.time)
                        } else {
                            s.time.clone()
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }}
        </p>
    }
}

#[cfg(feature = "hydrate")]
fn ask(
    draft: RwSignal<OutcomeDraft>,
    busy: RwSignal<Option<Vec<BusySlot>>>,
    account: String,
    date: String,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let url = format!("/api/agenda/busy?account={account}&from={date}&to={date}");
        if let Ok(slots) = crate::sync::browser::send::<Vec<BusySlot>>("GET", &url, None).await {
            // Only if the choice is still the same when the answer comes.
            if draft.with_untracked(|d| d.worker_account == account && d.date == date) {
                busy.set(Some(slots));
            }
        }
    });
}

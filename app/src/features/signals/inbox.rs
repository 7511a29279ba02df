//! The team's signal inbox (`/signalen`): signals from outside, open ones first. A signal
//! becomes a contact and question ("Vraag van maken" opens a new contact for a new or known
//! resident, carrying the signal; when that contact is synced the server marks the signal) or
//! is closed with a reason; a reporter who can be reached can be told it was picked up. Online
//! only: the inbox lives on the server.

use crate::store::use_store;
use crate::ui::form::ChoiceGroup;
use crate::ui::online::{Notice, NoticeLine};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::outside_signal::{CloseReason, InboxSignal, Settlement};
use shared::model::Id;
use shared::rules::validation::display_date;

/// The signal a new contact is made from: kept on the device so the contact page can carry it
/// (offline too, once opened).
pub const PICKED: &str = "signal-picked";

#[component]
pub fn SignalInboxPage() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<InboxSignal>, String>>);
    let notice: Notice = RwSignal::new(None);
    let load = move || {
        #[cfg(not(feature = "hydrate"))]
        let _ = list;
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let answer =
                crate::sync::browser::send::<Vec<InboxSignal>>("GET", "/api/signals", None).await;
            list.set(Some(answer.map_err(crate::ui::online::refusal_words)));
        });
    };
    Effect::new(move |_| load());
    let act = move |url: String, body: Option<String>, done: String| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, body, done, notice);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            match crate::sync::browser::send::<serde_json::Value>("POST", &url, body).await {
                Ok(_) => {
                    notice.set(Some(Ok(done)));
                    load();
                }
                Err(e) => notice.set(Some(Err(crate::ui::online::refusal_words(e)))),
            }
        });
    };
    view! {
        <Title text="Signalen"/>
        <h1>"Signalen van buiten"</h1>
        <p class="hint">"Zorgen van een huisarts, buurtbewoner, woningcorporatie, politie of school. Maak er een vraag van voor een (nieuw of bekend) huishouden, of sluit het af met een reden. "
            <a href="/signaal/nieuw">"Signaal vastleggen"</a></p>
        <NoticeLine notice/>
        {move || match list.get() {
            None => view! { <p class="empty-state">"Signalen worden opgehaald…"</p> }.into_any(),
            Some(Err(words)) => view! {
                <p class="notice notice--error" role="alert">{format!("De signalen zijn nu niet op te halen: {words}")}</p>
            }.into_any(),
            Some(Ok(signals)) => {
                let (open, settled): (Vec<_>, Vec<_>) =
                    signals.into_iter().partition(|s| s.settlement == Settlement::Open);
                view! {
                    <section class="card" aria-labelledby="open-kop" data-testid="signals-open">
                        <h2 id="open-kop">{format!("Open ({})", open.len())}</h2>
                        {if open.is_empty() {
                            view! { <p class="empty-state">"Geen open signalen."</p> }.into_any()
                        } else {
                            view! { <ul class="list">{open.into_iter().map(|s| view! { <SignalItem item=s act/> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                    <section class="card" aria-labelledby="afgehandeld-kop" data-testid="signals-settled">
                        <h2 id="afgehandeld-kop">"Afgehandeld (laatste 30 dagen)"</h2>
                        {if settled.is_empty() {
                            view! { <p class="empty-state">"Nog niets afgehandeld."</p> }.into_any()
                        } else {
                            view! { <ul class="list">{settled.into_iter().map(|s| view! { <SignalItem item=s act/> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                }.into_any()
            }
        }}
    }
}

/// One signal: who, when, the concern, and what can be done with it.
#[component]
fn SignalItem(
    item: InboxSignal,
    act: impl Fn(String, Option<String>, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let store = use_store();
    let navigate = leptos_router::hooks::use_navigate();
    let signal = item.signal.clone();
    let id: Id = signal.id;
    let reporter = if signal.reporter.anonymous {
        format!("{} (anoniem)", signal.reporter.source.label())
    } else {
        format!(
            "{}: {}",
            signal.reporter.source.label(),
            signal.reporter.name
        )
    };
    let heading = format!(
        "{reporter} · {} · ontvangen {}",
        signal.channel.label(),
        crate::clock::when(signal.received_at)
    );
    let result = match &item.settlement {
        Settlement::Open => None,
        Settlement::BecameQuestion {
            household_id,
            household_name,
        } => Some(view! {
            <span class="hint">"Werd een vraag van "<a href=format!("/huishouden/{household_id}")>{household_name.clone()}</a>
                {item.settled_on.map(|d| format!(" op {}", display_date(d)))}</span>
        }.into_any()),
        Settlement::Closed { reason, note } => Some(view! {
            <span class="hint">{format!(
                "Afgesloten{}: {}{}",
                item.settled_on.map(|d| format!(" op {}", display_date(d))).unwrap_or_default(),
                reason.label(),
                if note.is_empty() { String::new() } else { format!(" ({note})") }
            )}</span>
        }.into_any()),
    };
    let is_open = item.settlement == Settlement::Open;
    let told = item.reporter_told_on;
    let reachable = signal.reachable();
    let reach = signal.reporter.reach.clone();
    let closing = RwSignal::new(false);
    let reason = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let picked = signal.clone();
    let make_question = move |_| {
        let kept = store.write(|s| s.save_draft(PICKED, &picked));
        if kept {
            navigate(&format!("/contact/nieuw?signaal={id}"), Default::default());
        }
    };
    let reasons: Vec<(String, String)> = CloseReason::ALL
        .iter()
        .map(|r| (r.key().to_owned(), r.label().to_owned()))
        .collect();
    let close = move |_| {
        let Some(reason) = reason
            .get_untracked()
            .as_deref()
            .and_then(CloseReason::from_key)
        else {
            return;
        };
        let body =
            serde_json::json!({ "reason": reason, "note": note.get_untracked() }).to_string();
        act(
            format!("/api/signals/{id}/close"),
            Some(body),
            format!("Signaal afgesloten: {}.", reason.label().to_lowercase()),
        );
    };
    let tell = move |_| {
        act(
            format!("/api/signals/{id}/reporter-told"),
            None,
            "Genoteerd dat de melder weet dat het signaal is opgepakt.".into(),
        )
    };
    view! {
        <li class="list__item list__item--stacked" data-testid="signal">
            <span class="list__main">
                <strong>{heading}</strong>
                {(!signal.about.is_empty()).then(|| view! { <span>{format!("Over: {}", signal.about)}</span> })}
                <span class="signal__concern">{signal.concern.clone()}</span>
                <span class="hint">{format!("Grond: {}. Vastgelegd door {}.", signal.ground.label(), item.recorded_by)}</span>
                {result}
                {match told {
                    Some(d) => Some(format!("Melder op {} laten weten dat het is opgepakt.", display_date(d))),
                    None if reachable => Some(format!("Melder te bereiken via {reach}.")),
                    None => None,
                }.map(|t| view! { <span class="hint">{t}</span> })}
            </span>
            <span class="actions">
                {is_open.then(|| view! {
                    <button type="button" class="button button--primary" on:click=make_question>"Vraag van maken"</button>
                    <button type="button" class="button button--secondary" aria-expanded=move || closing.get().to_string()
                        on:click=move |_| closing.update(|c| *c = !*c)>"Afsluiten"</button>
                })}
                {(reachable && told.is_none()).then(|| view! {
                    <button type="button" class="button button--secondary" on:click=tell>"Melder laten weten"</button>
                })}
            </span>
            <Show when=move || closing.get()>
                <div class="signal__close">
                    <ChoiceGroup name=format!("close-{id}") legend="Waarom afsluiten?".into() options=reasons.clone()
                        initial=None on_choose=move |v| reason.set(Some(v))/>
                    <crate::ui::form::TextField id=format!("close-note-{id}") label="Toelichting".into()
                        hint="Nodig bij 'Anders'." initial=String::new() on_input=move |v| note.set(v)/>
                    <button type="button" class="button button--primary" on:click=close
                        disabled=move || reason.with(Option::is_none)>"Signaal afsluiten"</button>
                </div>
            </Show>
        </li>
    }
}

//! "Snelle vraag zonder inwoner" (`/contact/anoniem`): a contact where no resident is registered,
//! such as a quick question by phone. Channel, subject in a few words, life domain and what was
//! given; kept on the device (offline too) and sent at the next sync, so the figures count it.
//! Nothing that names the person is asked.

use crate::clock;
use crate::store::use_store;
use crate::ui::form::{field_error, CheckboxGroup, ChoiceGroup, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use shared::model::{AnonymousContact, Channel, Given, Id};
use shared::rules::validation::FieldErrors;

const DRAFT: &str = "anonymous-contact";

/// The form as typed, kept on the device until saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct AnonymousDraft {
    channel: Option<String>,
    subject: String,
    life_domains: Vec<String>,
    given: Option<String>,
}

impl AnonymousDraft {
    fn contact(&self) -> Result<AnonymousContact, FieldErrors> {
        let mut errors = FieldErrors::default();
        let channel = self.channel.as_deref().and_then(Channel::from_key);
        if channel.is_none() {
            errors.add("channel", "Kies het kanaal van dit contact.");
        }
        let given = self.given.as_deref().and_then(Given::from_key);
        if given.is_none() {
            errors.add("given", "Kies wat de inwoner heeft gekregen.");
        }
        let contact = AnonymousContact {
            id: Id::now_v7(),
            channel: channel.unwrap_or(Channel::Phone),
            at: clock::now(),
            subject: self.subject.trim().to_owned(),
            life_domains: self.life_domains.clone(),
            given: given.unwrap_or(Given::Information),
        };
        if let Err(found) = contact.check() {
            errors.0.extend(found.0);
        }
        errors.into_result(contact)
    }
}

#[component]
pub fn AnonymousContactPage() -> impl IntoView {
    let store = use_store();
    view! {
        <Title text="Snelle vraag zonder inwoner"/>
        <h1>"Snelle vraag zonder inwoner"</h1>
        <p class="hint">"Voor een korte vraag waarbij je geen inwoner registreert, zoals een telefoontje over een formulier. Zo telt het contact mee in de cijfers. Noteer geen naam of andere gegevens van de persoon."</p>
        {move || {
            if !store.is_ready() {
                return view! { <p class="empty-state">"Gegevens op dit apparaat worden geladen…"</p> }.into_any();
            }
            let draft = untrack(|| store.read(|s| s.draft::<AnonymousDraft>(DRAFT)).flatten())
                .unwrap_or_default();
            view! { <AnonymousForm draft/> }.into_any()
        }}
    }
}

#[component]
fn AnonymousForm(draft: AnonymousDraft) -> impl IntoView {
    let store = use_store();
    let initial = draft.clone();
    let draft = RwSignal::new(draft);
    let errors = RwSignal::new(FieldErrors::default());
    let saved = RwSignal::new(None::<String>);
    // A new form for the next call: the inputs are drawn again from an empty draft.
    let round = RwSignal::new(0u32);
    crate::store::autosave_draft(draft, DRAFT.to_owned());
    let waiting = move || {
        store
            .read(|s| s.one_way_waiting_count::<AnonymousContact>())
            .unwrap_or(0)
    };
    let save = move |_| {
        saved.set(None);
        match draft.get_untracked().contact() {
            Err(found) => errors.set(found),
            Ok(contact) => {
                errors.set(FieldErrors::default());
                let kept = store.write(|s| {
                    s.record_one_way(&contact)?;
                    s.clear_draft(DRAFT);
                    Ok(())
                });
                if kept {
                    saved.set(Some(format!(
                        "Vastgelegd: {} via {}.",
                        contact.given.label().to_lowercase(),
                        contact.channel.label().to_lowercase()
                    )));
                    draft.set(AnonymousDraft::default());
                    round.update(|r| *r += 1);
                }
            }
        }
    };
    let channel_options: Vec<(String, String)> = Channel::ALL
        .iter()
        .map(|c| (c.key().to_owned(), c.label().to_owned()))
        .collect();
    let given_options: Vec<(String, String)> = Given::ALL
        .iter()
        .map(|g| (g.key().to_owned(), g.label().to_owned()))
        .collect();
    let domain_options: Vec<(String, String)> = crate::reference::catalogue()
        .current_quick_scan()
        .life_domains()
        .into_iter()
        .map(|(id, label)| (id.to_owned(), label.to_owned()))
        .collect();
    view! {
        <form class="card" on:submit=|ev| ev.prevent_default() novalidate data-testid="anonymous-contact">
            {move || {
                // Drawn again after each save, from the (then empty) draft.
                let _ = round.get();
                let now = if round.get_untracked() == 0 { initial.clone() } else { AnonymousDraft::default() };
                view! {
                    <ChoiceGroup name="anon-channel".into() legend="Kanaal".into() options=channel_options.clone()
                        initial=now.channel.clone()
                        on_choose=move |v| draft.update(|d| d.channel = Some(v))
                        error=field_error(errors, "channel")/>
                    <TextField id="anon-subject" label="Waar ging de vraag over?".into() initial=now.subject.clone() required=true
                        hint="In een paar woorden, zonder naam: bijvoorbeeld \"hulp bij aanvraag huurtoeslag\"."
                        on_input=move |v| draft.update(|d| d.subject = v) error=field_error(errors, "subject")/>
                    <CheckboxGroup name="anon-domain".into() legend="Leefgebied".into() options=domain_options.clone()
                        initial=now.life_domains.clone()
                        on_toggle=move |v, on| draft.update(|d| {
                            d.life_domains.retain(|x| *x != v);
                            if on { d.life_domains.push(v); }
                        })
                        error=field_error(errors, "life_domains")/>
                    <ChoiceGroup name="anon-given".into() legend="Wat heeft de inwoner gekregen?".into() options=given_options.clone()
                        initial=now.given.clone()
                        on_choose=move |v| draft.update(|d| d.given = Some(v))
                        error=field_error(errors, "given")/>
                }
            }}
            <div class="actions">
                <button type="button" class="button button--primary" on:click=save>"Contact vastleggen"</button>
            </div>
            <Show when=move || !errors.with(FieldErrors::is_empty)>
                <p class="notice notice--error" role="alert">"Niet alles is goed ingevuld. Bekijk de meldingen bij de velden."</p>
            </Show>
            {move || saved.get().map(|text| view! { <p class="notice notice--success" role="status" data-testid="anonymous-saved">{text}</p> })}
            <p class="hint" data-testid="anonymous-waiting">{move || match waiting() {
                0 => "Alles is verstuurd naar de server.".to_owned(),
                1 => "1 contact wacht op de volgende synchronisatie.".to_owned(),
                n => format!("{n} contacten wachten op de volgende synchronisatie."),
            }}</p>
        </form>
    }
}

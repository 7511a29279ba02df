//! "Signaal vastleggen" (`/signaal/nieuw`): the front office records a signal from outside:
//! who reported it (or that they stay anonymous), how to reach them, the concern in their words,
//! the resident if known and the ground for acting on it. Kept on the device (offline too) and
//! sent at the next sync to the team's inbox.

use crate::clock;
use crate::store::use_store;
use crate::ui::form::{field_error, CheckboxGroup, ChoiceGroup, TextArea, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use shared::model::outside_signal::{Ground, Source};
use shared::model::{Channel, Id, OutsideSignal, Reporter};
use shared::rules::validation::FieldErrors;

const DRAFT: &str = "outside-signal";

/// The form as typed, kept on the device until saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct SignalDraft {
    channel: Option<String>,
    source: Option<String>,
    anonymous: bool,
    name: String,
    reach: String,
    concern: String,
    about: String,
    ground: Option<String>,
}

impl SignalDraft {
    fn signal(&self) -> Result<OutsideSignal, FieldErrors> {
        let mut errors = FieldErrors::default();
        let channel = self.channel.as_deref().and_then(Channel::from_key);
        if channel.is_none() {
            errors.add("channel", "Kies hoe het signaal binnenkwam.");
        }
        let source = self.source.as_deref().and_then(Source::from_key);
        if source.is_none() {
            errors.add("source", "Kies wie het signaal gaf.");
        }
        let ground = self.ground.as_deref().and_then(Ground::from_key);
        if ground.is_none() {
            errors.add("ground", "Kies op welke grond het team het signaal oppakt.");
        }
        let signal = OutsideSignal {
            id: Id::now_v7(),
            channel: channel.unwrap_or(Channel::Phone),
            received_at: clock::now(),
            reporter: Reporter {
                source: source.unwrap_or(Source::Other),
                anonymous: self.anonymous,
                // An anonymous reporter's name is not kept, even if typed before ticking the box.
                name: if self.anonymous {
                    String::new()
                } else {
                    self.name.trim().to_owned()
                },
                reach: if self.anonymous {
                    String::new()
                } else {
                    self.reach.trim().to_owned()
                },
            },
            concern: self.concern.trim().to_owned(),
            about: self.about.trim().to_owned(),
            ground: ground.unwrap_or(Ground::ToEstablish),
        };
        if let Err(found) = signal.check() {
            errors.0.extend(found.0);
        }
        errors.into_result(signal)
    }
}

fn options<T: Copy>(
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (key(*v).to_owned(), label(*v).to_owned()))
        .collect()
}

#[component]
pub fn NewSignalPage() -> impl IntoView {
    let store = use_store();
    view! {
        <Title text="Signaal vastleggen"/>
        <h1>"Signaal van buiten vastleggen"</h1>
        <p class="hint">"Een huisarts, buurtbewoner, woningcorporatie, politie of school maakt zich zorgen over iemand. Leg vast wat de melder zegt; het signaal komt bij de volgende synchronisatie in de "
            <a href="/signalen">"signalen van het team"</a>"."</p>
        {move || {
            if !store.is_ready() {
                return view! { <p class="empty-state">"Gegevens op dit apparaat worden geladen…"</p> }.into_any();
            }
            let draft = untrack(|| store.read(|s| s.draft::<SignalDraft>(DRAFT)).flatten())
                .unwrap_or_default();
            view! { <SignalForm draft/> }.into_any()
        }}
    }
}

#[component]
fn SignalForm(draft: SignalDraft) -> impl IntoView {
    let store = use_store();
    let initial = draft.clone();
    let draft = RwSignal::new(draft);
    let errors = RwSignal::new(FieldErrors::default());
    let saved = RwSignal::new(None::<String>);
    // A new form for the next signal: the inputs are drawn again from an empty draft.
    let round = RwSignal::new(0u32);
    crate::store::autosave_draft(draft, DRAFT.to_owned());
    let waiting = move || {
        store
            .read(|s| s.one_way_waiting_count::<OutsideSignal>())
            .unwrap_or(0)
    };
    let save = move |_| {
        saved.set(None);
        match draft.get_untracked().signal() {
            Err(found) => errors.set(found),
            Ok(signal) => {
                errors.set(FieldErrors::default());
                let kept = store.write(|s| {
                    s.record_one_way(&signal)?;
                    s.clear_draft(DRAFT);
                    Ok(())
                });
                if kept {
                    saved.set(Some(format!(
                        "Signaal van {} vastgelegd.",
                        signal.reporter.source.label().to_lowercase()
                    )));
                    draft.set(SignalDraft::default());
                    round.update(|r| *r += 1);
                }
            }
        }
    };
    let channels = options(&Channel::ALL, Channel::key, Channel::label);
    let sources = options(Source::ALL, Source::key, Source::label);
    let grounds = options(Ground::ALL, Ground::key, Ground::label);
    let anonymous = Memo::new(move |_| draft.with(|d| d.anonymous));
    view! {
        <form class="card" on:submit=|ev| ev.prevent_default() novalidate data-testid="new-signal">
            {move || {
                // Drawn again after each save, from the (then empty) draft.
                let _ = round.get();
                let now = if round.get_untracked() == 0 { initial.clone() } else { SignalDraft::default() };
                view! {
                    <ChoiceGroup name="signal-source".into() legend="Wie geeft het signaal?".into() options=sources.clone()
                        initial=now.source.clone()
                        on_choose=move |v| draft.update(|d| d.source = Some(v))
                        error=field_error(errors, "source")/>
                    <CheckboxGroup name="signal-anonymous".into() legend="Melder".into()
                        options=vec![("yes".to_owned(), "De melder wil anoniem blijven".to_owned())]
                        initial=if now.anonymous { vec!["yes".to_owned()] } else { vec![] }
                        on_toggle=move |_, on| draft.update(|d| d.anonymous = on)/>
                    <Show when=move || !anonymous.get()>
                        <TextField id="signal-name" label="Naam van de melder of organisatie".into() required=true
                            initial=draft.with_untracked(|d| d.name.clone())
                            on_input=move |v| draft.update(|d| d.name = v) error=field_error(errors, "reporter_name")/>
                        <TextField id="signal-reach" label="Telefoonnummer of e-mailadres".into()
                            hint="Om de melder te laten weten dat het signaal is opgepakt."
                            initial=draft.with_untracked(|d| d.reach.clone())
                            on_input=move |v| draft.update(|d| d.reach = v) error=field_error(errors, "reporter_reach")/>
                    </Show>
                    <ChoiceGroup name="signal-channel".into() legend="Hoe kwam het binnen?".into() options=channels.clone()
                        initial=now.channel.clone()
                        on_choose=move |v| draft.update(|d| d.channel = Some(v))
                        error=field_error(errors, "channel")/>
                    <TextArea id="signal-concern".into() label="De zorg, in de woorden van de melder".into() required=true
                        initial=now.concern.clone()
                        on_input=move |v| draft.update(|d| d.concern = v) error=field_error(errors, "concern")/>
                    <TextField id="signal-about" label="Over wie gaat het? (als dat bekend is)".into()
                        hint="Naam of adres; laat leeg als het niet bekend is."
                        initial=now.about.clone()
                        on_input=move |v| draft.update(|d| d.about = v) error=field_error(errors, "about")/>
                    <ChoiceGroup name="signal-ground".into() legend="Grond om het op te pakken".into() options=grounds.clone()
                        initial=now.ground.clone()
                        on_choose=move |v| draft.update(|d| d.ground = Some(v))
                        error=field_error(errors, "ground")/>
                }
            }}
            <div class="actions">
                <button type="button" class="button button--primary" on:click=save>"Signaal vastleggen"</button>
            </div>
            <Show when=move || !errors.with(FieldErrors::is_empty)>
                <p class="notice notice--error" role="alert">"Niet alles is goed ingevuld. Bekijk de meldingen bij de velden."</p>
            </Show>
            {move || saved.get().map(|text| view! { <p class="notice notice--success" role="status" data-testid="signal-saved">{text}</p> })}
            <p class="hint" data-testid="signal-waiting">{move || match waiting() {
                0 => "Alle signalen zijn verstuurd naar de server.".to_owned(),
                1 => "1 signaal wacht op de volgende synchronisatie.".to_owned(),
                n => format!("{n} signalen wachten op de volgende synchronisatie."),
            }}</p>
        </form>
    }
}

//! Template versions: which quick-scan and conversation versions exist, and publishing a new
//! one without a deploy. A published version never changes; records keep the version they were
//! made with, and every device keeps every version so they still display.

use super::fetch_reference;
use super::template_texts::{set_text, text_spots};
use crate::ui::form::{ErrorText, TextArea, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::reference::{
    check_new_template, Catalogue, PublishedTemplate, ReferenceData, TemplateKind,
};

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<PublishedTemplate>, String>>);
    let data = RwSignal::new(None::<Result<ReferenceData, String>>);
    let reload = move || {
        fetch_reference(data);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let result =
                crate::sync::browser::send::<Vec<PublishedTemplate>>("GET", "/api/templates", None)
                    .await;
            list.set(Some(result.map_err(|e| e.words())));
        });
    };
    Effect::new(move |_| reload());
    let kind = RwSignal::new(TemplateKind::QuickScan);
    let body = RwSignal::new(String::new());
    // The JSON the text fields were drawn from: redrawn when the JSON itself is edited, not on
    // every keystroke in a field (that would take the focus away).
    let source = RwSignal::new(None::<serde_json::Value>);
    let error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let catalogue = move || {
        data.with(|d| match d {
            Some(Ok(d)) => Catalogue::with(d),
            _ => Catalogue::shipped().clone(),
        })
    };
    let start_from_current = move |_| {
        let c = catalogue();
        let json = match kind.get_untracked() {
            TemplateKind::QuickScan => serde_json::to_string_pretty(c.current_quick_scan()),
            TemplateKind::Conversation => serde_json::to_string_pretty(c.current_conversation()),
        };
        let json = json.unwrap_or_default();
        source.set(serde_json::from_str(&json).ok());
        body.set(json);
        error.set(None);
    };
    let edit_text = move |path: Vec<super::template_texts::Seg>, text: String| {
        let parsed = serde_json::from_str::<serde_json::Value>(&body.get_untracked());
        if let Ok(mut value) = parsed {
            if set_text(&mut value, &path, &text) {
                body.set(serde_json::to_string_pretty(&value).unwrap_or_default());
                return;
            }
        }
        error.set(Some(
            "De JSON hieronder klopt niet meer; herstel die eerst of begin opnieuw met de huidige versie.".into(),
        ));
    };
    let texts = move || {
        source.get().map(|value| {
            let fields = text_spots(&value)
                .into_iter()
                .enumerate()
                .map(|(i, spot)| {
                    let id = format!("sjabloon-tekst-{i}");
                    let path = spot.path.clone();
                    let on_input = move |v: String| edit_text(path.clone(), v);
                    if spot.long {
                        view! { <TextArea id label=spot.label initial=spot.value on_input/> }.into_any()
                    } else {
                        view! { <TextField id label=spot.label initial=spot.value on_input required=true/> }.into_any()
                    }
                })
                .collect_view();
            view! {
                <fieldset class="choices template-texts" data-testid="template-texts">
                    <legend class="field__label">"Teksten van het sjabloon"</legend>
                    <p class="field__hint">"Pas de versie en de teksten aan. Nieuwe vragen of leefgebieden voeg je toe in de JSON hieronder."</p>
                    {fields}
                </fieldset>
            }
        })
    };
    let publish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = catalogue();
        let chosen = kind.get_untracked();
        let taken: Vec<String> = match chosen {
            TemplateKind::QuickScan => c.quick_scans().iter().map(|t| t.version.clone()).collect(),
            TemplateKind::Conversation => c
                .conversations()
                .iter()
                .map(|t| t.version.clone())
                .collect(),
        };
        let text = body.get_untracked();
        // Checked here first, so a mistake is named at once and the text stays as typed.
        if let Err(refusal) = check_new_template(chosen, &text, &taken) {
            error.set(Some(refusal.to_string()));
            return;
        }
        error.set(None);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/templates/{}", chosen.key());
            match crate::sync::browser::send::<PublishedTemplate>("POST", &url, Some(text)).await {
                Ok(published) => {
                    message.set(Some(format!(
                        "{} versie {} is gepubliceerd. Nieuwe gesprekken gebruiken deze versie zodra het apparaat heeft gesynchroniseerd; bestaande houden hun eigen versie.",
                        published.kind.label(), published.version
                    )));
                    body.set(String::new());
                    source.set(None);
                    reload();
                }
                Err(e) => error.set(Some(super::refusal(e))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (text, message);
    };
    view! {
        <Title text="Sjablonen"/>
        <h1>"Sjablonen"</h1>
        <p class="hint">"De vragenlijsten van de vraagverkenning en het keukentafelgesprek. Een gepubliceerde versie verandert nooit meer: gesprekken houden de versie waarmee ze zijn gevoerd."</p>
        <Show when=move || message.with(Option::is_some)>
            <p class="notice notice--info" role="status" data-testid="template-message">{move || message.get().unwrap_or_default()}</p>
        </Show>
        {move || match list.get() {
            None => view! { <p class="empty-state">"Versies worden geladen…"</p> }.into_any(),
            Some(Err(reason)) => view! { <p class="notice notice--error" role="alert">{reason}</p> }.into_any(),
            Some(Ok(rows)) => view! {
                <table class="table" data-testid="templates-table">
                    <caption class="visually-hidden">"Versies van de sjablonen"</caption>
                    <thead><tr><th scope="col">"Sjabloon"</th><th scope="col">"Versie"</th><th scope="col">"Titel"</th><th scope="col">"Gepubliceerd"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().rev().map(|t| {
                            let when = match (&t.published_at, &t.published_by) {
                                (Some(at), by) => format!("{}{}", at.get(..10).unwrap_or(at), by.as_ref().map(|b| format!(" door {b}")).unwrap_or_default()),
                                (None, _) => "Meegeleverd met de app".to_owned(),
                            };
                            view! { <tr><td>{t.kind.label()}</td><td>{t.version.clone()}</td><td>{t.title.clone()}</td><td>{when}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
        <form class="card form" on:submit=publish novalidate=true aria-labelledby="publiceren-kop" data-testid="template-form">
            <h2 id="publiceren-kop">"Nieuwe versie publiceren"</h2>
            <div class="field">
                <label class="field__label" for="sjabloon-soort">"Sjabloon"</label>
                <select id="sjabloon-soort" class="field__input" on:change=move |ev| {
                    kind.set(if event_target_value(&ev) == "conversation" { TemplateKind::Conversation } else { TemplateKind::QuickScan });
                }>
                    <option value="quick_scan">{TemplateKind::QuickScan.label()}</option>
                    <option value="conversation">{TemplateKind::Conversation.label()}</option>
                </select>
            </div>
            <button type="button" class="button button--secondary" on:click=start_from_current>"Begin met de huidige versie"</button>
            {texts}
            <div class="field" class:field--invalid=move || error.with(Option::is_some)>
                <label class="field__label" for="sjabloon-json">"Sjabloon (JSON, voor gevorderden)"</label>
                <p class="field__hint" id="sjabloon-json-hint">"Pas de versie aan (bijvoorbeeld 2027.1) en de teksten, leefgebieden, vragen of schaallabels. De app controleert het sjabloon voor publicatie."</p>
                <ErrorText id="sjabloon-json-fout".into() error=Signal::derive(move || error.get())/>
                <textarea id="sjabloon-json" class="field__input field__input--code" spellcheck="false"
                    aria-describedby="sjabloon-json-hint sjabloon-json-fout"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    prop:value=move || body.get() on:input=move |ev| {
                        let text = event_target_value(&ev);
                        if let Ok(value) = serde_json::from_str(&text) {
                            source.set(Some(value));
                        }
                        body.set(text);
                    }></textarea>
            </div>
            <button type="submit" class="button button--primary">"Publiceren"</button>
        </form>
    }
}

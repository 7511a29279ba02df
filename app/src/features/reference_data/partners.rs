//! The social map as the administrator keeps it: partners with their services, life domains,
//! area, contact details and opening hours; one at a time in a form, or all at once as CSV.

use super::fetch_reference;
use crate::ui::form::{field_error, CheckboxGroup, ErrorText, TextArea, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::reference::{Catalogue, ReferenceData};
use shared::rules::validation::FieldErrors;
use shared::social_map::Partner;

fn empty_partner() -> Partner {
    Partner {
        id: String::new(),
        name: String::new(),
        kind: String::new(),
        description: String::new(),
        life_domains: vec![],
        area: String::new(),
        phone: String::new(),
        email: String::new(),
        address: String::new(),
        opening_hours: String::new(),
        active: true,
    }
}

#[component]
pub fn SocialMapPage() -> impl IntoView {
    let data = RwSignal::new(None::<Result<ReferenceData, String>>);
    Effect::new(move |_| fetch_reference(data));
    // The partner in the form; `None` while the form is closed. `editing` holds the code of an
    // existing partner (it cannot change: referrals and consents name it).
    let draft = RwSignal::new(None::<Partner>);
    let editing = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FieldErrors::default());
    let message = RwSignal::new(None::<(bool, String)>);
    let open = move |partner: Option<Partner>| {
        editing.set(partner.as_ref().map(|p| p.id.clone()));
        draft.set(Some(partner.unwrap_or_else(empty_partner)));
        errors.set(FieldErrors::default());
        message.set(None);
    };
    // The current template's life domains as (id, label), worked out once per load.
    let domains = Memo::new(move |_| {
        let of = |c: &Catalogue| {
            c.current_quick_scan()
                .life_domains()
                .into_iter()
                .map(|(id, label)| (id.to_owned(), label.to_owned()))
                .collect::<Vec<_>>()
        };
        data.with(|d| match d {
            Some(Ok(data)) => of(&Catalogue::with(data)),
            _ => of(Catalogue::shipped()),
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(partner) = draft.get_untracked() else {
            return;
        };
        let known = domains.get_untracked();
        let ids: Vec<&str> = known.iter().map(|(id, _)| id.as_str()).collect();
        if let Err(found) = partner.check(&ids) {
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::default());
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/social-map/partners/{}", partner.id);
            let body = serde_json::to_string(&partner).unwrap_or_default();
            match crate::sync::browser::send::<serde_json::Value>("PUT", &url, Some(body)).await {
                Ok(_) => {
                    message.set(Some((true, format!("{} is opgeslagen. Apparaten krijgen de wijziging bij de volgende synchronisatie.", partner.name))));
                    draft.set(None);
                    fetch_reference(data);
                }
                Err(error) => message.set(Some((false, super::refusal(error)))),
            }
        });
    };
    let field = move |f: fn(&Partner) -> String| {
        Signal::derive(move || draft.with(|d| d.as_ref().map(f).unwrap_or_default()))
    };
    let set = move |f: fn(&mut Partner, String)| {
        move |v: String| {
            draft.update(|d| {
                if let Some(d) = d {
                    f(d, v)
                }
            })
        }
    };
    view! {
        <Title text="Sociale kaart"/>
        <h1>"Sociale kaart"</h1>
        <p class="hint">"De partners waar medewerkers naar verwijzen. Wijzigingen gaan met de volgende synchronisatie naar alle apparaten, ook voor gebruik zonder verbinding."</p>
        <Show when=move || message.with(Option::is_some)>
            <p class=move || if message.get().is_some_and(|m| m.0) { "notice notice--info" } else { "notice notice--error" }
                role="status" data-testid="partner-message">{move || message.get().map(|m| m.1).unwrap_or_default()}</p>
        </Show>
        {move || match data.get() {
            None => view! { <p class="empty-state">"De sociale kaart wordt geladen…"</p> }.into_any(),
            Some(Err(reason)) => view! { <p class="notice notice--error" role="alert">{reason}</p> }.into_any(),
            Some(Ok(data)) => {
                let known = domains.get();
                view! {
                    <div class="table-scroll"><table class="table" data-testid="partners-table">
                        <caption class="visually-hidden">"Partners op de sociale kaart"</caption>
                        <thead><tr>
                            <th scope="col">"Naam"</th><th scope="col">"Leefgebieden"</th><th scope="col">"Werkgebied"</th>
                            <th scope="col">"Contact"</th><th scope="col"><span class="visually-hidden">"Actie"</span></th>
                        </tr></thead>
                        <tbody>
                            {data.partners.into_iter().map(|p| {
                                let labels = p.life_domains.iter()
                                    .map(|d| known.iter().find(|(id, _)| id == d).map_or(d.as_str(), |(_, label)| label.as_str()).to_owned())
                                    .collect::<Vec<_>>().join(", ");
                                let name = p.name.clone();
                                let edit = p.clone();
                                view! {
                                    <tr>
                                        <td>
                                            <strong>{p.name.clone()}</strong>
                                            {(!p.active).then(|| view! { " "<span class="badge badge--warning">"Gestopt"</span> })}
                                            <br/><span class="hint">{p.kind.clone()}</span>
                                        </td>
                                        <td>{labels}</td>
                                        <td>{p.area.clone()}</td>
                                        <td>{p.phone.clone()}<br/><span class="hint">{p.opening_hours.clone()}</span></td>
                                        <td><button type="button" class="button button--secondary button--small"
                                            aria-label=format!("{name} wijzigen")
                                            on:click=move |_| open(Some(edit.clone()))>"Wijzigen"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }
        }}
        <div class="actions">
            <button type="button" class="button button--primary" on:click=move |_| open(None)>"Nieuwe partner"</button>
            <a class="button button--secondary" href="/api/social-map/csv" download="sociale-kaart.csv">"Exporteren als CSV"</a>
        </div>
        {move || draft.with(Option::is_some).then(|| {
            let existing = editing.get_untracked();
            let title = match &existing { Some(_) => "Partner wijzigen", None => "Nieuwe partner" };
            let initial_domains = draft.with_untracked(|d| d.as_ref().map(|d| d.life_domains.clone()).unwrap_or_default());
            let initial_active = draft.with_untracked(|d| d.as_ref().is_none_or(|d| d.active));
            view! {
                <form class="card form" on:submit=save novalidate=true aria-labelledby="partner-kop" data-testid="partner-form">
                    <h2 id="partner-kop">{title}</h2>
                    {match existing {
                        Some(id) => view! { <p class="hint">"Code: "<code>{id}</code></p> }.into_any(),
                        None => view! {
                            <TextField id="partner-code" label="Code".into() initial=field(|p| p.id.clone()) on_input=set(|p, v| p.id = v)
                                error=field_error(errors, "id") hint="Kleine letters, cijfers en streepjes, bijvoorbeeld voedselbank-noord" required=true/>
                        }.into_any(),
                    }}
                    <TextField id="partner-naam" label="Naam".into() initial=field(|p| p.name.clone()) on_input=set(|p, v| p.name = v) error=field_error(errors, "name") required=true/>
                    <TextField id="partner-soort" label="Soort organisatie".into() initial=field(|p| p.kind.clone()) on_input=set(|p, v| p.kind = v) error=field_error(errors, "kind") required=true/>
                    <TextArea id="partner-diensten".into() label="Diensten".into() initial=field(|p| p.description.clone()) on_input=set(|p, v| p.description = v) error=field_error(errors, "description")/>
                    <CheckboxGroup name="partner-leefgebied".into() legend="Leefgebieden".into() options=domains.get_untracked() initial=initial_domains
                        on_toggle=move |id, on| draft.update(|d| if let Some(d) = d { d.life_domains.retain(|x| *x != id); if on { d.life_domains.push(id) } })
                        error=field_error(errors, "life_domains")/>
                    <TextField id="partner-werkgebied" label="Werkgebied".into() initial=field(|p| p.area.clone()) on_input=set(|p, v| p.area = v) error=field_error(errors, "area") hint="Bijvoorbeeld een wijk, of hele gemeente"/>
                    <div class="field-grid">
                        <TextField id="partner-telefoon" label="Telefoon".into() initial=field(|p| p.phone.clone()) on_input=set(|p, v| p.phone = v) input_type="tel" error=field_error(errors, "phone")/>
                        <TextField id="partner-email" label="E-mail".into() initial=field(|p| p.email.clone()) on_input=set(|p, v| p.email = v) input_type="email" error=field_error(errors, "email")/>
                    </div>
                    <TextField id="partner-adres" label="Adres".into() initial=field(|p| p.address.clone()) on_input=set(|p, v| p.address = v) error=field_error(errors, "address")/>
                    <TextField id="partner-openingstijden" label="Openingstijden".into() initial=field(|p| p.opening_hours.clone()) on_input=set(|p, v| p.opening_hours = v) error=field_error(errors, "opening_hours")/>
                    <label class="choice" for="partner-actief">
                        <input type="checkbox" id="partner-actief" prop:checked=initial_active
                            on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(d) = d { d.active = on }) }/>
                        <span>"Actief: medewerkers kunnen naar deze partner verwijzen"</span>
                    </label>
                    <div class="actions">
                        <button type="submit" class="button button--primary">"Opslaan"</button>
                        <button type="button" class="button button--secondary" on:click=move |_| draft.set(None)>"Annuleren"</button>
                    </div>
                </form>
            }
        })}
        <CsvImport data/>
    }
}

/// Import of a whole file: the server stores all rows or none and names every faulty line.
#[component]
fn CsvImport(data: RwSignal<Option<Result<ReferenceData, String>>>) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let result = RwSignal::new(None::<Result<String, Vec<String>>>);
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input
                .get()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                result.set(Some(Err(vec!["Kies eerst een CSV-bestand.".into()])));
                return;
            };
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string());
                let Some(text) = text else {
                    result.set(Some(Err(vec![
                        "Het bestand kon niet worden gelezen.".into()
                    ])));
                    return;
                };
                match crate::sync::browser::send::<shared::social_map::csv::ImportSummary>(
                    "POST",
                    "/api/social-map/csv",
                    Some(text),
                )
                .await
                {
                    Ok(s) => {
                        result.set(Some(Ok(format!(
                            "Import klaar: {} toegevoegd, {} gewijzigd, {} ongewijzigd.",
                            s.added, s.changed, s.unchanged
                        ))));
                        fetch_reference(data);
                    }
                    Err(error) => result.set(Some(Err(super::refusal(error)
                        .lines()
                        .map(str::to_owned)
                        .collect()))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file_input, data);
    };
    let error = Signal::derive(move || {
        result.with(|r| {
            matches!(r, Some(Err(_)))
                .then(|| "Het bestand is niet geïmporteerd; er is niets gewijzigd.".to_owned())
        })
    });
    view! {
        <form class="card form" on:submit=import aria-labelledby="csv-kop" data-testid="csv-import">
            <h2 id="csv-kop">"Importeren uit CSV"</h2>
            <p class="hint">"Kolommen zoals bij exporteren: code, naam, soort, diensten, leefgebieden (gescheiden door ;), werkgebied, telefoon, e-mail, adres, openingstijden, actief (ja/nee). Partners die niet in het bestand staan blijven zoals ze zijn."</p>
            <div class="field">
                <label class="field__label" for="csv-bestand">"CSV-bestand"</label>
                <input id="csv-bestand" class="field__input" type="file" accept=".csv,text/csv" node_ref=file_input/>
            </div>
            <ErrorText id="csv-fout".into() error=error/>
            {move || match result.get() {
                Some(Ok(summary)) => view! { <p class="notice notice--info" role="status" data-testid="csv-result">{summary}</p> }.into_any(),
                Some(Err(lines)) => view! {
                    <div class="notice notice--error" role="alert" data-testid="csv-errors">
                        <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
                None => ().into_any(),
            }}
            <button type="submit" class="button button--primary">"Importeren"</button>
        </form>
    }
}

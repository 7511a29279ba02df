//! The administrator's accounts screen: who has an account in the municipality, and a new one.
//! Online only (accounts live on the server).

use crate::ui::form::TextField;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::Deserialize;
use shared::model::Role;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub team: Option<String>,
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<AccountRow>, String>>);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Consultant.key().to_owned());
    let team = RwSignal::new("wijkteam".to_owned());
    let password = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = move || {
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let result =
                crate::sync::browser::send::<Vec<AccountRow>>("GET", "/api/accounts", None).await;
            list.set(Some(result.map_err(|e| e.words())));
        });
    };
    Effect::new(move |_| reload());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = role.get_untracked();
        let needs_team = Role::from_key(&chosen).is_some_and(Role::works_with_residents);
        let body = serde_json::json!({
            "email": email.get_untracked(),
            "name": name.get_untracked(),
            "role": chosen,
            "team": needs_team.then(|| team.get_untracked()),
            "password": password.get_untracked(),
        })
        .to_string();
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            match crate::sync::browser::send::<serde_json::Value>(
                "POST",
                "/api/accounts",
                Some(body),
            )
            .await
            {
                Ok(_) => {
                    message.set(Some((
                        true,
                        format!("Account voor {} aangemaakt.", name.get_untracked()),
                    )));
                    password.set(String::new());
                    reload();
                }
                Err(crate::sync::browser::SyncError::Server(_, reason)) => {
                    message.set(Some((false, reason)))
                }
                Err(other) => message.set(Some((false, other.words()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = body;
    };
    view! {
        <Title text="Accounts"/>
        <h1>"Accounts"</h1>
        {move || match list.get() {
            None => view! { <p class="empty-state">"Accounts worden geladen…"</p> }.into_any(),
            Some(Err(reason)) => view! { <p class="notice notice--error" role="alert">{reason}</p> }.into_any(),
            Some(Ok(rows)) => view! {
                <table class="table" data-testid="accounts-table">
                    <thead><tr><th scope="col">"Naam"</th><th scope="col">"E-mail"</th><th scope="col">"Rol"</th><th scope="col">"Team"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|a| view! {
                            <tr>
                                <td>{a.name.clone()}</td>
                                <td>{a.email.clone()}</td>
                                <td>{Role::from_key(&a.role).map(Role::label).unwrap_or_default()}</td>
                                <td>{a.team.clone().unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
        <form class="card form" on:submit=create novalidate=true aria-labelledby="nieuw-account">
            <h2 id="nieuw-account">"Nieuw account"</h2>
            <Show when=move || message.with(Option::is_some)>
                <p
                    class=move || if message.get().is_some_and(|m| m.0) { "notice notice--info" } else { "notice notice--error" }
                    role="status" data-testid="account-message"
                >{move || message.get().map(|m| m.1).unwrap_or_default()}</p>
            </Show>
            <TextField id="account-naam" label="Naam".into() initial=Signal::derive(move || name.get()) on_input=move |v| name.set(v) required=true/>
            <TextField id="account-email" label="E-mailadres".into() initial=Signal::derive(move || email.get()) on_input=move |v| email.set(v) input_type="email" required=true/>
            <div class="field">
                <label class="field__label" for="account-rol">"Rol"</label>
                <select id="account-rol" class="field__input" on:change=move |ev| role.set(event_target_value(&ev))>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.key() selected=r == Role::Consultant>{r.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <TextField id="account-team" label="Team".into() initial=Signal::derive(move || team.get()) on_input=move |v| team.set(v)
                hint="Voor frontoffice, consulenten en coördinatoren"/>
            <TextField id="account-wachtwoord" label="Eerste wachtwoord".into() initial=Signal::derive(move || password.get())
                on_input=move |v| password.set(v) input_type="password" autocomplete="new-password" required=true hint="Minstens 12 tekens"/>
            <button class="button button--primary" type="submit">"Account aanmaken"</button>
        </form>
    }
}

//! The administrator's accounts screen: who has an account in the municipality, a new account
//! with a one-time password, and each account's lifecycle (disable a leaver, enable, change
//! role or team, reset the password). The devices below can be marked lost. Online only
//! (accounts live on the server); the server refuses what a role may not do.

mod devices;
mod row;

pub use devices::DevicesCard;

use crate::ui::form::TextField;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::{AccountSummary, Role};

/// What the screen tells after an action: (success, words).
pub(crate) type Message = RwSignal<Option<(bool, String)>>;

/// Runs an account request and reports in words; `then` runs after a success.
#[cfg(feature = "hydrate")]
pub(crate) fn act<T: serde::de::DeserializeOwned + 'static>(
    method: &'static str,
    url: String,
    body: Option<String>,
    message: Message,
    then: impl FnOnce(T) -> String + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        match crate::sync::browser::send::<T>(method, &url, body).await {
            Ok(answer) => message.set(Some((true, then(answer)))),
            Err(crate::sync::browser::SyncError::Server(_, reason)) => {
                message.set(Some((false, reason)))
            }
            Err(other) => message.set(Some((false, other.words()))),
        }
    });
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<AccountSummary>, String>>);
    let message: Message = RwSignal::new(None);
    let reload = move || {
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let result =
                crate::sync::browser::send::<Vec<AccountSummary>>("GET", "/api/accounts", None)
                    .await;
            list.set(Some(result.map_err(|e| e.words())));
        });
    };
    Effect::new(move |_| reload());
    // Any answer (a success or a refusal) may have changed the list.
    Effect::new(move |_| {
        if message.with(Option::is_some) {
            reload();
        }
    });
    view! {
        <Title text="Accounts"/>
        <h1>"Accounts"</h1>
        <Show when=move || message.with(Option::is_some)>
            <p
                class=move || if message.get().is_some_and(|m| m.0) { "notice notice--info" } else { "notice notice--error" }
                role="status" data-testid="account-message"
            >{move || message.get().map(|m| m.1).unwrap_or_default()}</p>
        </Show>
        {move || match list.get() {
            None => view! { <p class="empty-state">"Accounts worden geladen…"</p> }.into_any(),
            Some(Err(reason)) => view! { <p class="notice notice--error" role="alert">{reason}</p> }.into_any(),
            Some(Ok(rows)) => view! {
                <table class="table" data-testid="accounts-table">
                    <caption class="visually-hidden">"Accounts van de gemeente"</caption>
                    <thead><tr>
                        <th scope="col">"Naam"</th><th scope="col">"E-mail"</th><th scope="col">"Rol"</th>
                        <th scope="col">"Team"</th><th scope="col">"Status"</th><th scope="col">"Acties"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|a| view! { <row::AccountRow account=a message/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
        <NewAccountForm message/>
        <DevicesCard/>
    }
}

/// A new account: the server makes a one-time password, shown here once.
#[component]
fn NewAccountForm(message: Message) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Consultant.key().to_owned());
    let team = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = role.get_untracked();
        let needs_team = Role::from_key(&chosen).is_some_and(Role::works_with_residents);
        let body = serde_json::json!({
            "email": email.get_untracked(),
            "name": name.get_untracked(),
            "role": chosen,
            "team": needs_team.then(|| team.get_untracked()),
        })
        .to_string();
        #[cfg(feature = "hydrate")]
        act(
            "POST",
            "/api/accounts".into(),
            Some(body),
            message,
            move |answer: serde_json::Value| {
                format!(
                    "Account voor {} aangemaakt. Eenmalig wachtwoord: {} — geef het persoonlijk door; bij de eerste keer inloggen kiest de medewerker een eigen wachtwoord.",
                    name.get_untracked(),
                    answer["one_time_password"].as_str().unwrap_or_default()
                )
            },
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, message);
    };
    view! {
        <form class="card form" on:submit=create novalidate=true aria-labelledby="nieuw-account">
            <h2 id="nieuw-account">"Nieuw account"</h2>
            <TextField id="account-naam" label="Naam".into() initial=Signal::derive(move || name.get()) on_input=move |v| name.set(v) required=true/>
            <TextField id="account-email" label="E-mailadres".into() initial=Signal::derive(move || email.get()) on_input=move |v| email.set(v) input_type="email" required=true/>
            <RolePicker id="account-rol" label="Rol" role/>
            <TextField id="account-team" label="Team".into() initial=Signal::derive(move || team.get()) on_input=move |v| team.set(v)
                hint="De code van het team (bijvoorbeeld wijkteam-noord), voor frontoffice, consulenten en coördinatoren"/>
            <p class="hint">"Keukentafel maakt een eenmalig wachtwoord; je kiest geen wachtwoord voor een ander."</p>
            <button class="button button--primary" type="submit">"Account aanmaken"</button>
        </form>
    }
}

/// A role select bound to `role` (its key).
#[component]
pub(crate) fn RolePicker(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    role: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            <select id=id class="field__input" on:change=move |ev| role.set(event_target_value(&ev))>
                {Role::ALL.into_iter().map(|r| view! {
                    <option value=r.key() selected=move || role.get() == r.key()>{r.label()}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

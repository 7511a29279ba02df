//! One account in the administrator's table, with its lifecycle actions behind "Wijzigen".

use super::{Message, RolePicker};
use crate::ui::form::TextField;
use leptos::prelude::*;
use shared::model::{AccountSummary, Role};

#[component]
pub fn AccountRow(account: AccountSummary, message: Message) -> impl IntoView {
    #[cfg(not(feature = "hydrate"))]
    let _ = message;
    let id = account.id.to_string();
    let role = RwSignal::new(account.role.clone());
    let team = RwSignal::new(account.team.clone().unwrap_or_default());
    let status = match (
        account.active,
        account.must_change_password,
        account.second_factor,
    ) {
        (false, _, _) => "Uitgeschakeld",
        (true, true, _) => "Actief (eenmalig wachtwoord)",
        (true, false, false) => "Actief (tweestaps nog instellen)",
        (true, false, true) => "Actief",
    };
    let name = account.name.clone();
    let toggle = {
        let (id, name) = (id.clone(), name.clone());
        let active = account.active;
        move |_| {
            let verb = if active { "disable" } else { "enable" };
            let done = if active {
                "uitgeschakeld: de sessies en apparaten worden bij hun volgende verzoek geweigerd"
            } else {
                "weer ingeschakeld"
            };
            let text = format!("Account van {name} {done}.");
            #[cfg(feature = "hydrate")]
            super::act(
                "POST",
                format!("/api/accounts/{id}/{verb}"),
                None,
                message,
                move |_: serde_json::Value| text,
            );
            #[cfg(not(feature = "hydrate"))]
            let _ = (verb, text, &id);
        }
    };
    let reset = {
        let (id, name) = (id.clone(), name.clone());
        move |_| {
            let name = name.clone();
            #[cfg(feature = "hydrate")]
            super::act(
                "POST",
                format!("/api/accounts/{id}/password-reset"),
                None,
                message,
                move |answer: serde_json::Value| {
                    format!(
                    "Nieuw eenmalig wachtwoord voor {name}: {} — geef het persoonlijk door. De sessies van dit account zijn beëindigd.",
                    answer["one_time_password"].as_str().unwrap_or_default()
                )
                },
            );
            #[cfg(not(feature = "hydrate"))]
            let _ = (name, &id);
        }
    };
    let reset_second_factor = {
        let (id, name) = (id.clone(), name.clone());
        move |_| {
            let text = format!("{name} stelt de tweestapsverificatie opnieuw in bij de volgende keer inloggen. De sessies van dit account zijn beëindigd.");
            #[cfg(feature = "hydrate")]
            super::act(
                "POST",
                format!("/api/accounts/{id}/second-factor-reset"),
                None,
                message,
                move |_: serde_json::Value| text,
            );
            #[cfg(not(feature = "hydrate"))]
            let _ = (text, &id);
        }
    };
    let save_role = {
        let (id, name) = (id.clone(), name.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen = role.get_untracked();
            let needs_team = Role::from_key(&chosen).is_some_and(Role::works_with_residents);
            let body = serde_json::json!({ "role": chosen, "team": needs_team.then(|| team.get_untracked()) }).to_string();
            let text = format!("Rol en team van {name} gewijzigd; de medewerker logt opnieuw in.");
            #[cfg(feature = "hydrate")]
            super::act(
                "PUT",
                format!("/api/accounts/{id}/role"),
                Some(body),
                message,
                move |_: serde_json::Value| text,
            );
            #[cfg(not(feature = "hydrate"))]
            let _ = (body, text, &id);
        }
    };
    let role_field = format!("rol-{id}");
    let team_field = format!("team-{id}");
    view! {
        <tr data-testid="account-row">
            <td>{account.name.clone()}</td>
            <td>{account.email.clone()}</td>
            <td>{Role::from_key(&account.role).map(Role::label).unwrap_or_default()}</td>
            <td>{account.team.clone().unwrap_or_default()}</td>
            <td>{status}</td>
            <td>
                <details class="row-actions">
                    <summary class="button button--secondary button--small">"Wijzigen"<span class="visually-hidden">{format!(" ({name})")}</span></summary>
                    <div class="row-actions__body">
                        <button class="button button--secondary button--small" type="button" on:click=toggle>
                            {if account.active { "Uitschakelen" } else { "Inschakelen" }}
                        </button>
                        <button class="button button--secondary button--small" type="button" on:click=reset>"Wachtwoord resetten"</button>
                        <button class="button button--secondary button--small" type="button" on:click=reset_second_factor>"Tweestaps opnieuw instellen"</button>
                        <form class="form" on:submit=save_role novalidate=true>
                            <RolePicker id=role_field label=format!("Rol van {name}") role/>
                            <TextField id=team_field label=format!("Team van {name}") initial=Signal::derive(move || team.get()) on_input=move |v| team.set(v)/>
                            <button class="button button--secondary button--small" type="submit">"Rol en team opslaan"</button>
                        </form>
                    </div>
                </details>
            </td>
        </tr>
    }
}

//! Signing in and out. Sign-in needs the network (the server checks the password); the app
//! then knows its worker offline. Signing out pushes what waits first, or says in words what
//! would be lost, and then removes everything Keukentafel keeps on the device.

use crate::pwa::use_pwa_state;
use crate::store::use_store;
use crate::ui::form::TextField;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignInPage() -> impl IntoView {
    let pwa = use_pwa_state();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let navigate = leptos_router::hooks::use_navigate();
    #[cfg(feature = "hydrate")]
    let sync = crate::sync::use_sync();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if email.get_untracked().trim().is_empty() || password.get_untracked().is_empty() {
            error.set(Some("Vul je e-mailadres en je wachtwoord in.".into()));
            return;
        }
        busy.set(true);
        #[cfg(feature = "hydrate")]
        {
            let navigate = navigate.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let body = serde_json::json!({
                    "email": email.get_untracked(),
                    "password": password.get_untracked(),
                })
                .to_string();
                let result = crate::sync::browser::send::<shared::model::SessionInfo>(
                    "POST",
                    "/api/session",
                    Some(body),
                )
                .await;
                busy.set(false);
                match result {
                    Ok(account) => {
                        password.set(String::new());
                        // An online sign-in lifts a block after too many wrong PINs; the PIN
                        // still unlocks the data.
                        let _ = crate::store::unblock();
                        if !crate::store::is_locked() {
                            let store = sync.store();
                            store.write(|s| {
                                s.set_account(&account)?;
                                s.save_draft("worker-name", &account.name)
                            });
                            sync.phase.set(crate::sync::SyncPhase::Idle);
                            sync.sync_now();
                        }
                        // In-app navigation: a page load would drop the unlocked key.
                        let next = if crate::store::has_pin() { "/" } else { "/pincode" };
                        navigate(next, Default::default());
                    }
                    Err(crate::sync::browser::SyncError::Offline) => error.set(Some(
                        "Inloggen kan alleen met een verbinding. Je werk op dit apparaat blijft bewaard.".into(),
                    )),
                    Err(crate::sync::browser::SyncError::SignedOut) => error.set(Some(
                        "Het e-mailadres of het wachtwoord klopt niet.".into(),
                    )),
                    Err(other) => error.set(Some(other.words())),
                }
            });
        }
    };
    view! {
        <Title text="Inloggen"/>
        <h1>"Inloggen"</h1>
        <form class="card form" on:submit=submit novalidate=true>
            <Show when=move || error.with(Option::is_some)>
                <p class="notice notice--error" role="alert" data-testid="sign-in-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <Show when=move || !pwa.online.get()>
                <p class="hint">"Je bent offline. Inloggen kan zodra er weer verbinding is."</p>
            </Show>
            <TextField id="email" label="E-mailadres".into() initial=Signal::derive(move || email.get())
                on_input=move |v| email.set(v) input_type="email" autocomplete="username" required=true/>
            <TextField id="wachtwoord" label="Wachtwoord".into() initial=Signal::derive(move || password.get())
                on_input=move |v| password.set(v) input_type="password" autocomplete="current-password" required=true/>
            <button class="button button--primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Bezig met inloggen…" } else { "Inloggen" }}
            </button>
        </form>
    }
}

/// On "Over deze app": who is signed in, and signing out.
#[component]
pub fn AccountCard() -> impl IntoView {
    let store = use_store();
    let account = move || store.read(|s| s.account()).flatten();
    let warning = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let sign_out = move |force: bool| {
        busy.set(true);
        #[cfg(feature = "hydrate")]
        {
            let sync = crate::sync::use_sync();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::sync::browser::sign_out(sync.store(), force).await {
                    Ok(()) => {
                        let _ = window().location().assign("/inloggen");
                    }
                    Err(left) => {
                        busy.set(false);
                        warning.set(Some(format!(
                            "{} nog niet op de server. Als je nu uitlogt, {} verloren. Maak eerst verbinding, of log toch uit.",
                            if left == 1 { "1 wijziging staat".to_owned() } else { format!("{left} wijzigingen staan") },
                            if left == 1 { "gaat die" } else { "gaan die" }
                        )));
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = force;
    };
    view! {
        <section class="card" aria-labelledby="account-kop" data-testid="account">
            <h2 id="account-kop">"Medewerker"</h2>
            {move || match account() {
                None => view! {
                    <p>"Niemand is ingelogd op dit apparaat. "<a href="/inloggen">"Inloggen"</a></p>
                }.into_any(),
                Some(a) => view! {
                    <p data-testid="signed-in-as">
                        {format!("Ingelogd als {} ({}{})", a.name, a.role.label(),
                            a.team.as_ref().map(|t| format!(", {t}")).unwrap_or_default())}
                    </p>
                    <Show when=move || warning.with(Option::is_some)>
                        <div class="notice notice--error" role="alert" data-testid="sign-out-warning">
                            <p class="notice__text">{move || warning.get().unwrap_or_default()}</p>
                            <button class="button button--danger" on:click=move |_| sign_out(true)>"Toch uitloggen"</button>
                        </div>
                    </Show>
                    <button class="button button--secondary" disabled=move || busy.get() on:click=move |_| sign_out(false)>
                        "Uitloggen"
                    </button>
                    <p class="hint">"Uitloggen verstuurt eerst wat nog wacht en wist daarna alle gegevens van Keukentafel op dit apparaat."</p>
                }.into_any(),
            }}
        </section>
    }
}

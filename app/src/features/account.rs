//! Signing in and out. Sign-in needs the network (the server checks the password); the app
//! then knows its worker offline. A first sign-in leads to a new password (after a one-time
//! one) and to the PIN before anything is stored or pulled. Signing out pushes what waits
//! first, or says in words what would be lost, and then removes everything Keukentafel keeps
//! on the device.

use crate::pwa::use_pwa_state;
use crate::store::use_store;
use crate::ui::form::TextField;
use leptos::prelude::*;
use leptos_meta::Title;

thread_local! {
    /// Set at a sign-in whose account has no second factor yet: the steps after the password
    /// change lead there before the PIN.
    static SECOND_FACTOR_DUE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Where a first sign-in goes next: a new password, the second factor, the PIN, then the app.
pub(crate) fn next_step(must_change_password: bool) -> &'static str {
    if must_change_password {
        "/wachtwoord"
    } else if SECOND_FACTOR_DUE.get() {
        "/tweestaps"
    } else if crate::store::has_pin() {
        "/"
    } else {
        "/pincode"
    }
}

/// The second factor is set up: the next steps skip it.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(crate) fn second_factor_done() {
    SECOND_FACTOR_DUE.set(false);
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let pwa = use_pwa_state();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // Shown once the password was right and the account has a second factor.
    let needs_code = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let query = leptos_router::hooks::use_query_map();
    let signed_out_notice = move || {
        match query.with(|q| q.get("afgemeld")).as_deref() {
        Some("offline") => Some("Je bent op dit apparaat uitgelogd en alles van Keukentafel is hier gewist. De server was niet bereikbaar: je sessie daar wordt beëindigd zodra deze browser weer verbinding heeft, en vervalt anders vanzelf na 12 uur."),
        Some("gewist") => Some("Dit apparaat is als kwijt gemeld of je account is uitgeschakeld. Wat nog wachtte is verstuurd; daarna zijn de gegevens van Keukentafel hier gewist."),
        _ => None,
    }
    };
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
                    "code": needs_code.get_untracked().then(|| code.get_untracked()),
                })
                .to_string();
                let result = crate::sync::browser::send::<shared::model::SignedIn>(
                    "POST",
                    "/api/session",
                    Some(body),
                )
                .await;
                busy.set(false);
                match result {
                    Ok(signed) => {
                        password.set(String::new());
                        code.set(String::new());
                        SECOND_FACTOR_DUE.set(signed.must_set_up_second_factor);
                        // An online sign-in lifts a block after too many wrong PINs; the PIN
                        // still unlocks the data.
                        let _ = crate::store::unblock().await;
                        let _ = crate::store::keep_unlock_proof(signed.unlock.clone());
                        let ready = crate::store::has_pin() && !crate::store::is_locked();
                        if !crate::store::is_locked() {
                            let store = sync.store();
                            store.write(|s| {
                                s.set_account(&signed.account)?;
                                if ready {
                                    s.save_draft("worker-name", &signed.account.name)?;
                                }
                                Ok(())
                            });
                            if ready && !signed.must_change_password && !signed.must_set_up_second_factor {
                                sync.phase.set(crate::sync::SyncPhase::Idle);
                                sync.sync_now();
                            }
                        }
                        // In-app navigation: a page load would drop the proof and the key.
                        navigate(next_step(signed.must_change_password), Default::default());
                    }
                    Err(crate::sync::browser::SyncError::Offline) => error.set(Some(
                        "Inloggen kan alleen met een verbinding. Je werk op dit apparaat blijft bewaard.".into(),
                    )),
                    Err(crate::sync::browser::SyncError::SignedOut) => error.set(Some(
                        "Het e-mailadres of het wachtwoord klopt niet. Na 5 mislukte pogingen kan een account 15 minuten niet inloggen.".into(),
                    )),
                    Err(crate::sync::browser::SyncError::SecondFactorRequired(reason)) => {
                        // Asked for the first time: no error yet, just the field.
                        error.set(needs_code.get_untracked().then_some(reason));
                        code.set(String::new());
                        needs_code.set(true);
                    }
                    Err(crate::sync::browser::SyncError::Server(_, reason)) => error.set(Some(reason)),
                    Err(other) => error.set(Some(other.words())),
                }
            });
        }
    };
    view! {
        <Title text="Inloggen"/>
        <h1>"Inloggen"</h1>
        {move || signed_out_notice().map(|text| view! {
            <p class="notice notice--info" role="status" data-testid="signed-out-notice">{text}</p>
        })}
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
            <Show when=move || needs_code.get()>
                <TextField id="tweestapscode" label="Code uit je authenticator-app".into() initial=Signal::derive(move || code.get())
                    on_input=move |v| code.set(v) autocomplete="one-time-code" required=true
                    hint="Zes cijfers, of een van je herstelcodes"/>
            </Show>
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
                    Ok(crate::sync::browser::SignedOut::Everywhere) => {
                        let _ = window().location().assign("/inloggen");
                    }
                    Ok(crate::sync::browser::SignedOut::DeviceOnly) => {
                        let _ = window().location().assign("/inloggen?afgemeld=offline");
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
                    <p><a href="/wachtwoord">"Wachtwoord wijzigen"</a></p>
                }.into_any(),
            }}
        </section>
    }
}

/// The worker's own new password: required after a one-time password, and reachable from the
/// account card. Needs the network.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let navigate = leptos_router::hooks::use_navigate();
    #[cfg(feature = "hydrate")]
    let sync = crate::sync::use_sync();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != again.get_untracked() {
            error.set(Some("De twee nieuwe wachtwoorden zijn niet gelijk.".into()));
            return;
        }
        let body =
            serde_json::json!({ "current": current.get_untracked(), "new": new.get_untracked() })
                .to_string();
        #[cfg(feature = "hydrate")]
        {
            let navigate = navigate.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::sync::browser::send::<serde_json::Value>(
                    "PUT",
                    "/api/session/password",
                    Some(body),
                )
                .await
                {
                    Ok(_) => {
                        error.set(None);
                        done.set(true);
                        current.set(String::new());
                        new.set(String::new());
                        again.set(String::new());
                        let next = next_step(false);
                        if next == "/" {
                            sync.sync_now();
                        }
                        navigate(next, Default::default());
                    }
                    Err(crate::sync::browser::SyncError::Server(_, reason)) => {
                        error.set(Some(reason))
                    }
                    Err(crate::sync::browser::SyncError::SignedOut) => {
                        error.set(Some("Je bent niet (meer) ingelogd. Log opnieuw in.".into()))
                    }
                    Err(other) => error.set(Some(other.words())),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = body;
    };
    view! {
        <Title text="Wachtwoord wijzigen"/>
        <h1>"Wachtwoord wijzigen"</h1>
        <form class="card form" on:submit=submit novalidate=true>
            <p>"Kies een wachtwoord van minstens 12 tekens dat je nergens anders gebruikt. Na een eenmalig wachtwoord van de beheerder is dit de eerste stap."</p>
            <Show when=move || error.with(Option::is_some)>
                <p class="notice notice--error" role="alert" data-testid="password-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <Show when=move || done.get()>
                <p class="notice notice--info" role="status">"Je wachtwoord is gewijzigd."</p>
            </Show>
            <TextField id="wachtwoord-huidig" label="Huidig wachtwoord".into() initial=Signal::derive(move || current.get())
                on_input=move |v| current.set(v) input_type="password" autocomplete="current-password" required=true/>
            <TextField id="wachtwoord-nieuw" label="Nieuw wachtwoord".into() initial=Signal::derive(move || new.get())
                on_input=move |v| new.set(v) input_type="password" autocomplete="new-password" required=true hint="Minstens 12 tekens"/>
            <TextField id="wachtwoord-herhaal" label="Herhaal het nieuwe wachtwoord".into() initial=Signal::derive(move || again.get())
                on_input=move |v| again.set(v) input_type="password" autocomplete="new-password" required=true/>
            <button class="button button--primary" type="submit">"Wachtwoord opslaan"</button>
        </form>
    }
}

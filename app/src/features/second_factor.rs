//! Setting up two-factor sign-in at the first sign-in: a QR code (and the secret to type in)
//! for the worker's authenticator app, the first code to confirm it, and ten recovery codes
//! shown once. Needs the network; offline unlocking stays PIN only.

use crate::ui::form::TextField;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
struct Enrolment {
    secret: String,
    qr_svg: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Enrolled {
    recovery_codes: Vec<String>,
}

/// The secret in groups of four, easier to type over.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let enrolment = RwSignal::new(None::<Result<Enrolment, String>>);
    let recovery = RwSignal::new(None::<Vec<String>>);
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let result =
                crate::sync::browser::send::<Enrolment>("POST", "/api/session/second-factor", None)
                    .await;
            enrolment.set(Some(result.map_err(|e| match e {
                crate::sync::browser::SyncError::Server(_, reason) => reason,
                other => other.words(),
            })));
        });
    });
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = serde_json::json!({ "code": code.get_untracked() }).to_string();
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            match crate::sync::browser::send::<Enrolled>(
                "POST",
                "/api/session/second-factor/confirm",
                Some(body),
            )
            .await
            {
                Ok(done) => {
                    crate::features::account::second_factor_done();
                    error.set(None);
                    recovery.set(Some(done.recovery_codes));
                }
                Err(crate::sync::browser::SyncError::Server(_, reason)) => error.set(Some(reason)),
                Err(other) => error.set(Some(other.words())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = body;
    };
    let navigate = leptos_router::hooks::use_navigate();
    let sync = crate::sync::use_sync();
    let go_on = move |_| {
        let next = crate::features::account::next_step(false);
        if next == "/" {
            sync.sync_now();
        }
        navigate(next, Default::default());
    };
    view! {
        <Title text="Tweestapsverificatie"/>
        <h1>"Tweestapsverificatie instellen"</h1>
        {move || match (recovery.get(), enrolment.get()) {
            (Some(codes), _) => view! {
                <section class="card" aria-labelledby="herstelcodes-kop" data-testid="recovery-codes">
                    <h2 id="herstelcodes-kop">"Je herstelcodes"</h2>
                    <p>"Bewaar deze codes op papier, op een veilige plek. Ben je je telefoon kwijt, dan log je met één van deze codes in; elke code werkt één keer."</p>
                    <ul class="recovery-codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                    <button class="button button--primary" type="button" on:click=go_on.clone()>"Ik heb de codes bewaard"</button>
                </section>
            }.into_any(),
            (None, None) => view! { <p class="empty-state">"Bezig met voorbereiden…"</p> }.into_any(),
            (None, Some(Err(reason))) => view! {
                <p class="notice notice--error" role="alert">{reason}</p>
                <p><a href="/inloggen">"Opnieuw inloggen"</a></p>
            }.into_any(),
            (None, Some(Ok(e))) => view! {
                <form class="card form" on:submit=confirm novalidate=true aria-labelledby="tweestaps-kop">
                    <h2 id="tweestaps-kop">"Koppel je authenticator-app"</h2>
                    <p>"Open een authenticator-app op je telefoon (bijvoorbeeld de app die de gemeente gebruikt) en scan deze QR-code. Inloggen vraagt daarna, naast je wachtwoord, de code uit die app."</p>
                    <div class="qr-code" role="img" aria-label="QR-code voor je authenticator-app" inner_html=e.qr_svg.clone()></div>
                    <p>"Scannen lukt niet? Typ deze sleutel over: "
                        <code class="secret" data-testid="second-factor-secret" data-secret=e.secret.clone()>{grouped(&e.secret)}</code>
                    </p>
                    <Show when=move || error.with(Option::is_some)>
                        <p class="notice notice--error" role="alert" data-testid="second-factor-error">{move || error.get().unwrap_or_default()}</p>
                    </Show>
                    <TextField id="tweestaps-eerste-code" label="Code uit de app".into() initial=Signal::derive(move || code.get())
                        on_input=move |v| code.set(v) autocomplete="one-time-code" required=true hint="Zes cijfers"/>
                    <button class="button button--primary" type="submit">"Koppelen"</button>
                </form>
            }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_secret_reads_in_groups_of_four() {
        assert_eq!(super::grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}

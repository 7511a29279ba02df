//! "Niet verwerkt": every change the server refused for good, with its reason and its words.
//! The worker corrects the text and sends it again, or throws the change away on purpose (the
//! server records that in the audit log). Nothing typed disappears without a worker choosing.

use super::conflicts::{field_label, record_label};
use crate::store::{use_store, RejectedChange};
use crate::ui::form::TextArea;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::Id;

/// The refused changes, all or one household's.
#[component]
pub fn RejectedList(#[prop(optional)] household: Option<Id>) -> impl IntoView {
    let store = use_store();
    let rejected = move || {
        store
            .read(|s| match household {
                Some(h) => s.rejected_in(h),
                None => s.rejected(),
            })
            .unwrap_or_default()
    };
    view! {
        <For each=rejected key=|r| (r.change.device_id, r.change.seq) let:entry>
            <RejectedCard entry/>
        </For>
    }
}

#[component]
fn RejectedCard(entry: RejectedChange) -> impl IntoView {
    let store = use_store();
    let seq = entry.change.seq;
    let heading_id = format!("niet-verwerkt-{seq}");
    // The texts, editable (also those inside a life domain or an answer, and as typed since
    // when that kept the refused words); other values go out again as they were.
    let texts: Vec<(String, RwSignal<String>)> = store
        .read(|s| s.rejected_texts(&entry))
        .unwrap_or_default()
        .into_iter()
        .map(|(field, text)| (field, RwSignal::new(text)))
        .collect();
    let message = RwSignal::new(None::<String>);
    let resend = {
        let texts = texts.clone();
        move |_| {
            let edited: Vec<(String, String)> = texts
                .iter()
                .map(|(f, v)| (f.clone(), v.get_untracked()))
                .collect();
            store.write(|s| s.resend_rejected(seq, &edited));
        }
    };
    let discard = {
        let change = entry.change.clone();
        move |_| {
            let change = change.clone();
            leptos::task::spawn_local(async move {
                match super::discard_rejected(&change).await {
                    Ok(()) => {
                        store.write(|s| {
                            s.forget_rejected(change.seq);
                            Ok(())
                        });
                    }
                    Err(words) => message.set(Some(words)),
                }
            });
        }
    };
    let labelled_by = heading_id.clone();
    view! {
        <section class="card rejected" aria-labelledby=labelled_by data-testid="rejected">
            <h2 id=heading_id>{record_label(entry.change.record_type)} ": niet verwerkt"</h2>
            <p class="rejected__reason" data-testid="rejected-reason">{entry.reason.clone()}</p>
            {texts.into_iter().map(|(field, value)| {
                view! {
                    <TextArea id=format!("{seq}-{field}") label=field_label(&field)
                        initial=Signal::derive(move || value.get()) on_input=move |v| value.set(v)/>
                }
            }).collect_view()}
            <Show when=move || message.get().is_some()>
                <p class="field__error" role="alert">{move || message.get().unwrap_or_default()}</p>
            </Show>
            <div class="actions">
                <button type="button" class="button button--primary" on:click=resend data-testid="resend">
                    "Opnieuw versturen"
                </button>
                <button type="button" class="button button--secondary" on:click=discard data-testid="discard">
                    "Weggooien"
                </button>
            </div>
        </section>
    }
}

#[component]
pub fn RejectedPage() -> impl IntoView {
    let store = use_store();
    let count = move || store.read(|s| s.rejected().len()).unwrap_or(0);
    let unreadable = move || store.read(|s| s.unreadable()).unwrap_or_default();
    view! {
        <Title text="Niet verwerkt"/>
        <div class="page-head"><h1>"Niet verwerkt"</h1></div>
        <Show
            when=move || { count() > 0 }
            fallback=|| view! { <p class="empty-state">"Alles is verwerkt: er wacht niets op een keuze."</p> }
        >
            <p class="hint">
                "De server kon deze wijzigingen niet verwerken. Je tekst is bewaard: pas hem aan en verstuur opnieuw, of gooi de wijziging bewust weg."
            </p>
            <RejectedList/>
        </Show>
        <Show when=move || !unreadable().is_empty()>
            <section class="card" aria-labelledby="onleesbaar-kop" data-testid="unreadable">
                <h2 id="onleesbaar-kop">"Onleesbare wijzigingen"</h2>
                <p class="hint">
                    "Deze wijzigingen waren op dit apparaat beschadigd en zijn apart gezet, zodat de rest verstuurd kon worden. De inhoud staat hieronder; geef die aan de beheerder."
                </p>
                <ul class="list">
                    {move || unreadable().into_iter().map(|u| view! {
                        <li class="list__item"><strong>{format!("Wijziging {}", u.seq)}</strong><code class="rejected__raw">{u.raw}</code></li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

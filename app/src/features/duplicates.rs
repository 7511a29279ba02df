//! Possible duplicates for the coordinator (`shared::rules::duplicates`): a resident registered
//! while the municipality already knew them, found when the registration was synced. Merge the
//! later household into the earlier one (every record and word of both kept; the team's devices
//! learn it at their next sync), or say it is a different person. Online only: the flags live on
//! the server. Shown on the caseload page.

use leptos::prelude::*;
use shared::model::Id;
use shared::rules::duplicates::PossibleDuplicate;
use shared::rules::validation::display_date;

#[component]
pub fn DuplicatesCard() -> impl IntoView {
    let flags = RwSignal::new(Vec::<PossibleDuplicate>::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        #[cfg(not(feature = "hydrate"))]
        let _ = flags;
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let answer = crate::sync::browser::send::<Vec<PossibleDuplicate>>(
                "GET",
                "/api/duplicates",
                None,
            )
            .await;
            if let Ok(list) = answer {
                flags.set(list);
            }
        });
    };
    Effect::new(move |_| load());
    let decide = move |id: Id, merge: bool, name: String| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, merge, name, notice);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!(
                "/api/duplicates/{id}/{}",
                if merge { "merge" } else { "dismiss" }
            );
            match crate::sync::browser::send::<serde_json::Value>("POST", &url, None).await {
                Ok(_) => {
                    notice.set(Some(Ok(if merge {
                        format!("De registraties van {name} zijn samengevoegd. De apparaten van het team krijgen dat bij de volgende synchronisatie.")
                    } else {
                        format!("{name}: genoteerd dat het om verschillende inwoners gaat.")
                    })));
                    load();
                }
                Err(e) => notice.set(Some(Err(crate::ui::online::refusal_words(e)))),
            }
        });
    };
    view! {
        <Show when=move || !flags.with(Vec::is_empty) || notice.with(Option::is_some)>
            <section class="card" aria-labelledby="dubbel-kop" data-testid="duplicates">
                <h2 id="dubbel-kop">"Mogelijk dubbel geregistreerd"</h2>
                <p class="hint">"Inwoners die zijn ingeschreven terwijl ze al bekend waren, bijvoorbeeld zonder verbinding. Samenvoegen bewaart alles van beide registraties."</p>
                <crate::ui::online::NoticeLine notice/>
                <ul class="list">
                    {move || flags.get().into_iter().map(|d| {
                        let (id, name) = (d.id, d.resident_name.clone());
                        let name_dismissed = name.clone();
                        let earlier = match &d.other_household_name {
                            Some(household) => format!("al bekend in {household}"),
                            None => format!("al bekend bij {}", d.other_team_name),
                        };
                        let (merge_label, dismiss_label) = (
                            format!("{} samenvoegen met de eerdere registratie", d.resident_name),
                            format!("{} is een andere inwoner", d.resident_name),
                        );
                        view! {
                            <li class="list__item list__item--stacked" data-testid="duplicate">
                                <span class="list__main">
                                    <strong>
                                        <a href=format!("/huishouden/{}", d.household_id)>{d.resident_name.clone()}</a>
                                        {format!(" ({}) is {earlier}", d.household_name)}
                                    </strong>
                                    <span class="hint">{format!("Gevonden op {}", display_date(d.found_on))}</span>
                                    {(!d.mergeable).then(|| view! {
                                        <span class="hint">"Samenvoegen kan alleen binnen het team: vraag toegang of verplaats het huishouden naar dat team."</span>
                                    })}
                                </span>
                                <span class="actions">
                                    <Show when=move || d.mergeable>
                                        <button type="button" class="button button--primary" aria-label=merge_label.clone()
                                            on:click={
                                                let name = name.clone();
                                                move |_| decide(id, true, name.clone())
                                            }>"Samenvoegen"</button>
                                    </Show>
                                    <button type="button" class="button button--secondary" aria-label=dismiss_label
                                        on:click=move |_| decide(id, false, name_dismissed.clone())>"Andere inwoner"</button>
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

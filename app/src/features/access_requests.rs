//! The coordinator's answer to workers of other teams who found a resident of this team and ask
//! for access (`shared::rules::lookup`): grant (their devices receive the household at their
//! next sync) or refuse. Online only: requests live on the server. Shown on the caseload page.

use leptos::prelude::*;
use shared::model::Id;
use shared::rules::lookup::AccessRequest;
use shared::rules::validation::display_date;

#[component]
pub fn AccessRequestsCard() -> impl IntoView {
    let requests = RwSignal::new(Vec::<AccessRequest>::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        #[cfg(not(feature = "hydrate"))]
        let _ = requests;
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let answer = crate::sync::browser::send::<Vec<AccessRequest>>(
                "GET",
                "/api/access-requests",
                None,
            )
            .await;
            if let Ok(list) = answer {
                requests.set(list);
            }
        });
    };
    Effect::new(move |_| load());
    let answer = move |id: Id, grant: bool, who: String| {
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, grant, who, notice);
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!(
                "/api/access-requests/{id}/{}",
                if grant { "grant" } else { "refuse" }
            );
            match crate::sync::browser::send::<serde_json::Value>("POST", &url, None).await {
                Ok(_) => {
                    notice.set(Some(Ok(if grant {
                        format!("{who} heeft toegang gekregen.")
                    } else {
                        format!("Het verzoek van {who} is geweigerd.")
                    })));
                    load();
                }
                Err(e) => notice.set(Some(Err(crate::ui::online::refusal_words(e)))),
            }
        });
    };
    view! {
        <Show when=move || !requests.with(Vec::is_empty) || notice.with(Option::is_some)>
            <section class="card" aria-labelledby="toegang-kop" data-testid="access-requests">
                <h2 id="toegang-kop">"Toegangsverzoeken"</h2>
                <p class="hint">"Medewerkers van andere teams die een inwoner van jullie team vonden. Geef alleen toegang als zij voor deze inwoner werken."</p>
                <crate::ui::online::NoticeLine notice/>
                <ul class="list">
                    {move || requests.get().into_iter().map(|r| {
                        let (id, who) = (r.id, r.requester.clone());
                        let who_refused = who.clone();
                        let (grant_label, refuse_label) = (format!("Toegang geven aan {who}"), format!("Verzoek van {who} weigeren"));
                        view! {
                            <li class="list__item list__item--stacked" data-testid="access-request">
                                <span class="list__main">
                                    <strong>{format!("{} ({}) vraagt toegang tot {}", r.requester, r.requester_team, r.household_name)}</strong>
                                    <span>{format!("“{}”", r.reason)}</span>
                                    <span class="hint">{format!("Gevraagd op {}", display_date(r.requested_on))}</span>
                                </span>
                                <span class="actions">
                                    <button type="button" class="button button--primary" aria-label=grant_label on:click=move |_| answer(id, true, who.clone())>"Toegang geven"</button>
                                    <button type="button" class="button button--secondary" aria-label=refuse_label on:click=move |_| answer(id, false, who_refused.clone())>"Weigeren"</button>
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

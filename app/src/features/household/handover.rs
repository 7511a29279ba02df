//! "Warm overdragen" on the household page, for every worker who may hand it over (the team's
//! coordinator, a consultant added to it, the front office): to a colleague of any team of the
//! municipality or to a partner. Online only; the handovers themselves are on the timeline.

use crate::features::handover_form::{load_colleagues, HandoverForm};
use crate::ui::online::NoticeLine;
use leptos::prelude::*;
use shared::model::caseload::Colleague;
use shared::model::Id;

#[component]
pub fn HandoverCard(household_id: Id) -> impl IntoView {
    let pwa = crate::pwa::use_pwa_state();
    let colleagues = RwSignal::new(Vec::<Colleague>::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| {
        if pwa.online.get() {
            load_colleagues(colleagues);
        }
    });
    view! {
        <section class="card" aria-labelledby="overdracht-kop" data-testid="handover">
            <h2 id="overdracht-kop">"Warm overdragen"</h2>
            <NoticeLine notice/>
            <Show
                when=move || pwa.online.get()
                fallback=|| view! { <p class="hint">"Overdragen kan alleen met verbinding: de ontvanger krijgt het via de server."</p> }
            >
                <details class="caseload__handover-form">
                    <summary>"Overdragen aan een collega of partner"</summary>
                    <HandoverForm household=household_id colleagues notice on_done=Callback::new(|_| ())/>
                </details>
            </Show>
        </section>
    }
}

//! The quick scan (vraagverkenning): the template's steps, then the suggested outcome, which
//! the worker confirms or overrides. Every answer is written through, and the step is stored,
//! so an interrupted scan resumes where it was.

mod appointment;
pub mod outcome;
mod steps;

use crate::ui::{route_id, when_loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::{Contact, QuickScan, Resident};

#[component]
pub fn QuickScanPage() -> impl IntoView {
    let id = route_id();
    view! {
        <Title text="Vraagverkenning"/>
        {when_loaded(
            move |s| {
                let scan = s.get::<QuickScan>(id?)?;
                let contact = s.get::<Contact>(scan.contact_id)?;
                let resident = s.get::<Resident>(scan.resident_id)?;
                Some((scan, contact, resident))
            },
            |(scan, contact, resident)| view! { <QuickScanWizard scan contact resident/> },
            "Vraagverkenning niet gevonden",
        )}
    }
}

#[component]
fn QuickScanWizard(scan: QuickScan, contact: Contact, resident: Resident) -> impl IntoView {
    // A record keeps the template version it was made with.
    let template = crate::reference::catalogue().quick_scan_or_current(&scan.template_version);
    let steps = template.steps.len();
    let scan = RwSignal::new(scan);
    crate::store::autosave_record(scan);
    let step = Memo::new(move |_| scan.with(|s| s.step));
    let done = Memo::new(move |_| scan.with(|s| s.outcome.is_some()));

    view! {
        <header class="scan-header">
            <p class="scan-header__who">
                <strong>{resident.full_name()}</strong>
                " · "{contact.channel.label()}
                {(!contact.place.is_empty()).then(|| format!(" · {}", contact.place))}
            </p>
            <h1>"Vraagverkenning"</h1>
            <ol class="progress" aria-label="Voortgang">
                {template.steps.iter().map(|s| s.title.clone()).chain(std::iter::once("Uitkomst".to_owned())).enumerate().map(|(i, title)| {
                    view! {
                        <li class="progress__step"
                            class=("progress__step--current", move || { step.get() == i })
                            class=("progress__step--done", move || { step.get() > i })
                            aria-current=move || { (step.get() == i).then_some("step") }>
                            {title}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </header>
        {move || {
            if done.get() {
                view! { <outcome::Done scan/> }.into_any()
            } else if step.get() < steps {
                view! { <steps::Step template scan index=step.get()/> }.into_any()
            } else {
                view! { <outcome::OutcomeStep template scan contact=contact.clone()/> }.into_any()
            }
        }}
    }
}

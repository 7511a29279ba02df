use crate::clock::today;
use crate::ui::form::TextField;
use leptos::prelude::*;
use shared::model::Notification;
use shared::rules::legal_clock::{LegalClock, Urgency};
use shared::rules::validation::{display_date, format_date, parse_date};

/// The legal clock of one melding: what is due, how many days are left, and the dates to record.
#[component]
pub fn ClockCard(notification: Notification) -> impl IntoView {
    let initial = notification.clock.clone();
    let notification = RwSignal::new(notification);
    crate::store::autosave_record(notification);
    let items = move || notification.with(|n| n.clock.open_items(today()));
    let melding = initial
        .notification_date
        .map(display_date)
        .unwrap_or_default();
    let field = |id: &'static str,
                 label: &'static str,
                 value: Option<time::Date>,
                 set: fn(&mut LegalClock, Option<time::Date>)| {
        view! {
            <TextField id=id label=label.into() input_type="date" initial=value.map(format_date).unwrap_or_default()
                on_input=move |v| notification.update(|n| set(&mut n.clock, parse_date(&v)))/>
        }
    };
    view! {
        <section class="card" aria-labelledby="klok-kop" data-testid="legal-clock">
            <h2 id="klok-kop">{format!("Wettelijke termijnen · melding van {melding}")}</h2>
            <ul class="list" aria-live="polite">
                {move || items().into_iter().map(|item| {
                    let (class, words) = match item.urgency {
                        Urgency::Overdue => ("deadline deadline--overdue", format!("Verlopen: {} dagen te laat", -item.days_left)),
                        Urgency::DueSoon => ("deadline deadline--soon", format!("Let op: nog {} dagen", item.days_left)),
                        Urgency::OnTrack => ("deadline", format!("Nog {} dagen", item.days_left)),
                    };
                    view! {
                        <li class="list__item">
                            <span class="list__main"><strong>{item.label}</strong><span class="hint">{format!("Uiterlijk {}", display_date(item.due))}</span></span>
                            <span class=class>{words}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <details class="clock-dates">
                <summary>"Datums vastleggen"</summary>
                <div class="field-grid">
                    {field("client_support_told_on", "Gewezen op cliëntondersteuning op", initial.client_support_told_on, |c, d| c.client_support_told_on = d)}
                    {field("personal_plan_received_on", "Persoonlijk plan ontvangen op", initial.personal_plan_received_on, |c, d| c.personal_plan_received_on = d)}
                    {field("investigation_done_on", "Onderzoek afgerond op", initial.investigation_done_on, |c, d| c.investigation_done_on = d)}
                    {field("report_handed_over_on", "Verslag aan de inwoner gegeven op", initial.report_handed_over_on, |c, d| c.report_handed_over_on = d)}
                    {field("application_date", "Aanvraag ontvangen op", initial.application_date, |c, d| c.application_date = d)}
                    {field("decision_on", "Besluit genomen op", initial.decision_on, |c, d| c.decision_on = d)}
                </div>
            </details>
        </section>
    }
}

//! The report of the conversation and the support plan, for the resident: plain language, no
//! internal notes (quick-scan signals, override reasons), printable on A4 or downloaded as the PDF
//! the server makes from the same [`ResidentReport`], with the resident's agreement recorded.

use crate::clock;
use crate::store::use_store;
use crate::ui::form::{ChoiceGroup, TextArea, TextField};
use crate::ui::{route_id, when_loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::conversation::{AgreementAnswer, ResidentAgreement};
use shared::model::plan::SupportPlan;
use shared::model::{Conversation, Household, Id, Resident};
use shared::report::{self, ReportSource, ResidentReport};
use shared::rules::validation::{format_date, parse_date};

#[component]
pub fn ReportPage() -> impl IntoView {
    let household_id = route_id();
    view! {
        <Title text="Verslag en ondersteuningsplan"/>
        <crate::ui::RoleGate record_type=shared::sync::RecordType::Conversation>
        {when_loaded(
            move |s| {
                let household = s.get::<Household>(household_id?)?;
                let conversation = s
                    .list::<Conversation>()
                    .into_iter()
                    .filter(|c| c.household_id == household.id)
                    .max_by_key(|c| c.held_on);
                let plan = s.list::<SupportPlan>().into_iter().find(|p| p.household_id == household.id);
                let names: Vec<String> = household
                    .members
                    .iter()
                    .filter(|m| m.is_current())
                    .filter_map(|m| s.get::<Resident>(m.resident_id).map(|r| r.full_name()))
                    .collect();
                let report = ResidentReport::build(&ReportSource {
                    household: &household,
                    conversation: conversation.as_ref(),
                    plan: plan.as_ref(),
                    names,
                    catalogue: crate::reference::catalogue(),
                    today: clock::today(),
                });
                Some((household.id, conversation, report))
            },
            |(household, conversation, report)| view! { <Report household conversation report/> },
            "Huishouden niet gevonden",
        )}
        </crate::ui::RoleGate>
    }
}

#[component]
fn Report(
    household: Id,
    conversation: Option<Conversation>,
    report: ResidentReport,
) -> impl IntoView {
    let store = use_store();
    let online = crate::pwa::use_pwa_state().online;
    let notice: crate::ui::online::Notice = RwSignal::new(None);
    crate::ui::note_read(household);
    let has_conversation = conversation.is_some();
    view! {
        <article class="report" data-testid="report">
            <ReportText report/>
            {has_conversation.then(|| view! { <Agreement conversation/> })}
            <div class="actions no-print">
                <button type="button" class="button button--primary" on:click=move |_| {
                    crate::ui::note(store, shared::sync::AccessAction::Print, household);
                    #[cfg(feature = "hydrate")]
                    let _ = window().print();
                }>"Afdrukken"</button>
                <PdfButton household online notice/>
            </div>
            <p class="hint no-print" id="report-pdf-hint">{move || if online.get() {
                "De pdf wordt op de server gemaakt uit wat gesynchroniseerd is."
            } else {
                "Downloaden als pdf kan weer als er verbinding is."
            }}</p>
            <div class="no-print"><crate::ui::online::NoticeLine notice/></div>
        </article>
    }
}

/// The PDF is made on the server from what it holds, so it needs a connection and shows what
/// was synchronised. It holds the resident's words, so it is fetched with the unlock proof and
/// handed to the browser as a file, not opened by a plain link.
#[component]
fn PdfButton(
    household: Id,
    online: RwSignal<bool>,
    notice: crate::ui::online::Notice,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let fetch = move |_| {
        busy.set(true);
        notice.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/households/{household}/report.pdf");
            let filename = format!(
                "verslag-en-plan-{}.pdf",
                shared::rules::validation::display_date(clock::today())
            );
            match crate::sync::browser::download(&url, &filename).await {
                Ok(()) => notice.set(Some(Ok("De pdf is gedownload.".into()))),
                Err(e) => notice.set(Some(Err(crate::ui::online::refusal_words(e)))),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = household;
    };
    view! {
        <button type="button" class="button button--secondary" data-testid="report-pdf"
            aria-describedby="report-pdf-hint"
            disabled=move || !online.get() || busy.get()
            on:click=fetch>
            {move || if busy.get() { "Pdf wordt gemaakt…" } else { "Downloaden als pdf" }}
        </button>
    }
}

/// The words of the report: the same [`ResidentReport`] the server's PDF is made from.
#[component]
fn ReportText(report: ResidentReport) -> impl IntoView {
    let ResidentReport {
        sender,
        for_whom,
        conversation,
        domains,
        case_manager,
        goals,
        involved,
        rights,
        agreement: _,
    } = report;
    view! {
        <header class="report__header">
            <p class="report__sender">{sender}</p>
            <h1>{report::TITLE}</h1>
            <p>{for_whom}</p>
            {conversation.map(|line| view! { <p data-testid="report-conversation">{line}</p> })}
        </header>
        <section>
            <h2>{report::DISCUSSED}</h2>
            {match domains {
                None => view! { <p>{report::NO_CONVERSATION}</p> }.into_any(),
                Some(domains) => domains.into_iter().map(|d| view! {
                    <section class="report__domain">
                        <h3>{d.label}</h3>
                        <dl>
                            {d.items.into_iter().map(|(label, text)| view! { <dt>{label}</dt><dd>{text}</dd> }).collect_view()}
                        </dl>
                    </section>
                }).collect_view().into_any(),
            }}
        </section>
        <section>
            <h2>{report::PLAN}</h2>
            {case_manager.map(|line| view! { <p data-testid="report-case-manager">{line}</p> })}
            {match goals {
                None => view! { <p>{report::NO_PLAN}</p> }.into_any(),
                Some(goals) => goals.into_iter().map(|g| view! {
                    <section class="report__goal">
                        <h3>{g.heading}</h3>
                        <table class="report__table">
                            <thead><tr>{report::ACTION_COLUMNS.map(|c| view! { <th scope="col">{c}</th> })}</tr></thead>
                            <tbody>
                                {g.actions.into_iter().map(|a| view! {
                                    <tr>
                                        <td>{a.what}</td>
                                        <td>{a.who}{a.phone.map(|phone| view! { <br/><span class="hint">{phone}</span> })}</td>
                                        <td>{a.when}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }).collect_view().into_any(),
            }}
        </section>
        {(!involved.is_empty()).then(|| view! {
            <section data-testid="report-involved">
                <h2>{report::INVOLVED}</h2>
                <ul>{involved.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </section>
        })}
        <section class="report__rights">
            <h2>{report::RIGHTS}</h2>
            {rights.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        </section>
    }
}

/// The resident's answer, kept in the conversation record so it travels with it to the server.
#[component]
fn Agreement(conversation: Option<Conversation>) -> impl IntoView {
    let store = use_store();
    let record = RwSignal::new(conversation.clone());
    // Said once stored, so the worker knows the resident's answer is kept.
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |previous: Option<()>| {
        let current = record.get();
        if previous.is_some() {
            if let Some(current) = current {
                if store.write(|s| s.put(&current)) {
                    saved.set(Some(crate::clock::clock_time(crate::clock::now())));
                }
            }
        }
    });
    let initial = conversation
        .as_ref()
        .map(|c| c.agreement.clone())
        .unwrap_or_default();
    let agree = move |f: Box<dyn FnOnce(&mut ResidentAgreement)>| {
        record.update(|c| {
            if let Some(c) = c {
                f(&mut c.agreement);
                // The date field shows today until changed: that is the date agreed on.
                if c.agreement.date.is_none() {
                    c.agreement.date = Some(clock::today());
                }
            }
        })
    };
    view! {
        <section class="report__agreement" aria-labelledby="akkoord-kop">
            <h2 id="akkoord-kop">{report::RESPONSE}</h2>
            <ChoiceGroup name="agreement".into() legend="Bent u het eens met dit verslag en plan?".into()
                options=vec![
                    ("agreed".into(), AgreementAnswer::Agreed.label().into()),
                    ("agreed_with_remarks".into(), AgreementAnswer::AgreedWithRemarks.label().into()),
                    ("not_agreed".into(), AgreementAnswer::NotAgreed.label().into()),
                ]
                initial=initial.answer.map(|a| answer_key(a).to_owned())
                on_choose=move |v: String| agree(Box::new(move |a| a.answer = answer_from_key(&v)))/>
            <TextArea id="agreement-remarks".into() label="Opmerkingen".into() initial=initial.remarks.clone()
                on_input=move |v| agree(Box::new(move |a| a.remarks = v))/>
            <div class="field-grid">
                <TextField id="agreement-name" label="Naam".into() initial=initial.name.clone() required=true
                    on_input=move |v| agree(Box::new(move |a| a.name = v))/>
                <TextField id="agreement-date" label="Datum".into() input_type="date"
                    initial=format_date(initial.date.unwrap_or_else(clock::today)) required=true
                    on_input=move |v| agree(Box::new(move |a| a.date = parse_date(&v)))/>
            </div>
            <p class="hint" role="status" data-testid="agreement-saved">
                {move || saved.get().map(|at| format!("Reactie bewaard op dit apparaat om {at}."))}
            </p>
        </section>
    }
}

fn answer_key(answer: AgreementAnswer) -> &'static str {
    match answer {
        AgreementAnswer::Agreed => "agreed",
        AgreementAnswer::AgreedWithRemarks => "agreed_with_remarks",
        AgreementAnswer::NotAgreed => "not_agreed",
    }
}

fn answer_from_key(key: &str) -> Option<AgreementAnswer> {
    match key {
        "agreed" => Some(AgreementAnswer::Agreed),
        "agreed_with_remarks" => Some(AgreementAnswer::AgreedWithRemarks),
        "not_agreed" => Some(AgreementAnswer::NotAgreed),
        _ => None,
    }
}

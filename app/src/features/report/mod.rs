//! The report of the conversation and the support plan, for the resident: plain language, no
//! internal notes (quick-scan signals, override reasons), printable on A4 or saved as PDF, with
//! the resident's agreement recorded.

use crate::clock;
use crate::store::use_store;
use crate::ui::form::{ChoiceGroup, TextArea, TextField};
use crate::ui::{route_id, when_loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::conversation::{AgreementAnswer, ResidentAgreement};
use shared::model::plan::SupportPlan;
use shared::model::{CaseManager, Conversation, Household, InvolvedParty, Resident};
use shared::rules::validation::{display_date, format_date, parse_date};

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
                let today = crate::clock::today();
                let involved: Vec<InvolvedParty> =
                    household.involved.into_iter().filter(|p| p.is_current_on(today)).collect();
                Some((conversation, plan, names, household.case_manager, involved))
            },
            |(conversation, plan, names, case_manager, involved)| view! { <Report conversation plan names case_manager involved/> },
            "Huishouden niet gevonden",
        )}
        </crate::ui::RoleGate>
    }
}

#[component]
fn Report(
    conversation: Option<Conversation>,
    plan: Option<SupportPlan>,
    names: Vec<String>,
    case_manager: Option<CaseManager>,
    involved: Vec<InvolvedParty>,
) -> impl IntoView {
    let store = use_store();
    let household = conversation
        .as_ref()
        .map(|c| c.household_id)
        .or(plan.as_ref().map(|p| p.household_id));
    if let Some(household) = household {
        crate::ui::note_read(household);
    }
    let template = conversation
        .as_ref()
        .map(|c| crate::reference::catalogue().conversation_or_current(&c.template_version))
        .unwrap_or_else(|| crate::reference::catalogue().current_conversation());
    // The agreement is part of the conversation record, so it travels with it to the server.
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
    let has_conversation = conversation.is_some();
    // From the social map, so a municipality's own data shows, not a number typed in here.
    let map = crate::reference::catalogue().social_map();
    let client_support = map
        .partners
        .iter()
        .find(|p| p.active && p.kind == "Onafhankelijke cliëntondersteuning")
        .map(|p| format!(", bijvoorbeeld van {} ({})", p.name, p.phone))
        .unwrap_or_default();
    let section = |label: &str, text: &str| {
        (!text.trim().is_empty())
            .then(|| view! { <dt>{label.to_owned()}</dt><dd>{text.to_owned()}</dd> })
    };
    view! {
        <article class="report" data-testid="report">
            <header class="report__header">
                <p class="report__sender">{format!("{} · Wmo-loket", map.municipality)}</p>
                <h1>"Verslag van ons gesprek en uw ondersteuningsplan"</h1>
                <p>{format!("Voor: {}", names.join(", "))}</p>
                {conversation.as_ref().map(|c| view! {
                    <p data-testid="report-conversation">{format!("{} op {} met {}", c.kind.label(), display_date(c.held_on), c.worker)}</p>
                })}
            </header>
            <section>
                <h2>"Wat we hebben besproken"</h2>
                {match &conversation {
                    None => view! { <p>"Er is nog geen gesprek vastgelegd."</p> }.into_any(),
                    Some(c) => c.domains.iter().map(|d| {
                        let label = template.domain_label(&d.domain).unwrap_or(&d.domain).to_owned();
                        let answer = |id: &str| d.answers.get(id).cloned().unwrap_or_default();
                        view! {
                            <section class="report__domain">
                                <h3>{label}</h3>
                                <dl>
                                    {section("Uw situatie", &answer("situation"))}
                                    {section("Wat goed gaat", &answer("goes_well"))}
                                    {section("Waar u tegenaan loopt", &answer("problem"))}
                                    {section("Wat u wilt bereiken", &answer("wanted_result"))}
                                    {section("Wat voor u belangrijk is", &d.needs)}
                                    {section("Wat u zelf kunt doen", &d.own_strength)}
                                    {section("Wat mensen om u heen kunnen doen", &d.network)}
                                    {section("Steun voor wie voor u zorgt", &d.carer_support)}
                                    {section("Voorzieningen in de buurt", &d.community_services)}
                                    {d.custom_provision_needed.then(|| section("Waarom een maatwerkvoorziening nodig is", &d.custom_provision_reason))}
                                </dl>
                            </section>
                        }
                    }).collect_view().into_any(),
                }}
            </section>
            <section>
                <h2>"Uw ondersteuningsplan"</h2>
                // The regisseur the coordinator chose, else the name the plan gives.
                {case_manager.as_ref().map(CaseManager::reach)
                    .or_else(|| plan.as_ref().map(|p| p.coordinator.trim().to_owned()).filter(|c| !c.is_empty()))
                    .map(|who| view! {
                        <p data-testid="report-case-manager">{format!("Uw vaste contactpersoon (regisseur): {who}")}</p>
                    })}
                {match &plan {
                    None => view! { <p>"Er is nog geen ondersteuningsplan."</p> }.into_any(),
                    Some(p) => view! {
                        {p.goals.iter().map(|g| view! {
                            <section class="report__goal">
                                <h3>{format!("Resultaat: {}", g.result)}</h3>
                                <table class="report__table">
                                    <thead><tr><th scope="col">"Wat"</th><th scope="col">"Wie"</th><th scope="col">"Wanneer"</th></tr></thead>
                                    <tbody>
                                        {g.actions.iter().map(|a| view! {
                                            <tr>
                                                <td>{a.description.clone()}</td>
                                                <td>{if a.who.trim().is_empty() { a.helper.label().to_owned() } else { format!("{} ({})", a.who, a.helper.label()) }}
                                                    {a.partner_id.as_deref().and_then(|id| map.partner(id)).filter(|p| !p.phone.trim().is_empty())
                                                        .map(|p| view! { <br/><span class="hint">{format!("Telefoon {}", p.phone)}</span> })}</td>
                                                <td>{a.due.map(display_date).unwrap_or_else(|| "nog af te spreken".into())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }).collect_view()}
                    }.into_any(),
                }}
            </section>
            {(!involved.is_empty()).then(|| view! {
                <section data-testid="report-involved">
                    <h2>"Wie er verder bij u betrokken is"</h2>
                    <ul>
                        {involved.iter().map(|p| {
                            let reach = p.reach();
                            let line = if reach.is_empty() {
                                format!("{}: {}", p.who(), p.role.trim())
                            } else {
                                format!("{}: {} ({reach})", p.who(), p.role.trim())
                            };
                            view! { <li>{line}</li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section class="report__rights">
                <h2>"Goed om te weten"</h2>
                <p>"U kunt gratis hulp krijgen van een onafhankelijke cliëntondersteuner"{client_support}"."</p>
                <p>"Bent u het niet eens met dit verslag? Zet uw opmerkingen hieronder. Ze horen bij het verslag."</p>
            </section>
            {has_conversation.then(|| view! {
            <section class="report__agreement" aria-labelledby="akkoord-kop">
                <h2 id="akkoord-kop">"Uw reactie"</h2>
                <ChoiceGroup name="agreement".into() legend="Bent u het eens met dit verslag en plan?".into()
                    options=vec![
                        ("agreed".into(), "Akkoord".into()),
                        ("agreed_with_remarks".into(), "Akkoord, met opmerkingen".into()),
                        ("not_agreed".into(), "Niet akkoord".into()),
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
            })}
            <div class="actions no-print">
                <button type="button" class="button button--primary" on:click=move |_| {
                    if let Some(household) = household {
                        crate::ui::note(store, shared::sync::AccessAction::Print, household);
                    }
                    #[cfg(feature = "hydrate")]
                    let _ = window().print();
                }>"Afdrukken of opslaan als pdf"</button>
            </div>
        </article>
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

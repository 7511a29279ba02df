use crate::clock;
use crate::features::social_map::PartnerPicker;
use crate::store::use_store;
use crate::ui::form::{field_error, ChoiceGroup, TextArea, TextField};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde::{Deserialize, Serialize};
use shared::model::caseload::{Roster, TeamMember};
use shared::model::question::Crisis;
use shared::model::quick_scan::{ConversationKind, HandledHow};
use shared::model::{
    ConfirmedOutcome, Contact, Id, Outcome, OutcomeKind, Question, QuickScan, Scheme,
};
use shared::rules::quick_scan_routing::{follow_up, signals, suggest};
use shared::rules::validation::{format_date, parse_date, FieldErrors};
use shared::templates::{QuickScanTemplate, Role};

/// The outcome form as typed, kept on the device until confirmed. A draft saved by an older
/// version of the app lacks the newer fields: they start empty, the rest is kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeDraft {
    pub kind: String,
    pub override_reason: String,
    pub handled_how: String,
    pub note: String,
    pub partner_id: String,
    pub warm_handover: bool,
    pub partner_query: String,
    pub conversation: String,
    pub date: String,
    pub time: String,
    pub place: String,
    pub home_visit: bool,
    /// The colleague the appointment is with: their account id from the roster.
    pub worker_account: String,
    /// The law or scheme the question falls under (its key); empty: the suggested one.
    pub scheme: String,
    pub follow_up_owner: String,
    pub follow_up_date: String,
}

impl OutcomeDraft {
    /// The outcome the draft describes; dates that are missing or wrong are reported.
    fn outcome(
        &self,
        kind: OutcomeKind,
        roster: &Roster,
        errors: &mut FieldErrors,
    ) -> Option<Outcome> {
        let mut date = |field: &str, value: &str, what: &str| {
            let parsed = parse_date(value);
            if parsed.is_none() {
                errors.add(field, format!("Vul {what} in."));
            }
            parsed
        };
        Some(match kind {
            OutcomeKind::Handled => Outcome::Handled {
                how: if self.handled_how == "product" {
                    HandledHow::SimpleProduct
                } else {
                    HandledHow::InformationOrAdvice
                },
                note: self.note.trim().to_owned(),
            },
            OutcomeKind::Referred => Outcome::Referred {
                partner_id: self.partner_id.clone(),
                warm_handover: self.warm_handover,
                note: self.note.trim().to_owned(),
            },
            OutcomeKind::Appointment => Outcome::Appointment {
                conversation: if self.conversation == "clarification" {
                    ConversationKind::Clarification
                } else {
                    ConversationKind::KitchenTable
                },
                date: date("appointment_date", &self.date, "de datum van de afspraak")?,
                time: self.time.trim().to_owned(),
                place: self.place.trim().to_owned(),
                home_visit: self.home_visit,
                worker: self
                    .appointment_worker(roster)
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                worker_account: self.appointment_worker(roster).map(|m| m.account_id),
            },
            OutcomeKind::Notification => Outcome::Notification {
                date: date("notification_date", &self.date, "de datum van de melding")?,
            },
            OutcomeKind::Escalated => Outcome::Escalated {
                follow_up_owner: self.follow_up_owner.clone(),
                follow_up_date: date(
                    "follow_up_date",
                    &self.follow_up_date,
                    "de datum van de opvolging",
                )?,
                note: self.note.trim().to_owned(),
            },
        })
    }
}

impl OutcomeDraft {
    fn appointment_worker<'r>(&self, roster: &'r Roster) -> Option<&'r TeamMember> {
        let account = Id::parse_str(&self.worker_account).ok()?;
        roster.member(account)
    }
}

fn draft_name(scan: &QuickScan) -> String {
    format!("quick-scan-outcome/{}", scan.id)
}

#[component]
pub fn OutcomeStep(
    template: &'static QuickScanTemplate,
    scan: RwSignal<QuickScan>,
    contact: Contact,
) -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let current = scan.get_untracked();
    let suggestion = suggest(template, &current);
    let chosen_signals = signals(template, &current);
    let today = clock::today();
    let stored = untrack(|| {
        store
            .read(|s| s.draft::<OutcomeDraft>(&draft_name(&current)))
            .flatten()
    });
    let me = untrack(|| store.read(|s| s.account()).flatten().map(|a| a.account_id));
    let roster = crate::ui::owner::roster_with_me();
    let initial = stored.unwrap_or_else(|| OutcomeDraft {
        kind: suggestion.kind.key().to_owned(),
        // Most often the worker books the conversation with themselves.
        worker_account: me.map(|id| id.to_string()).unwrap_or_default(),
        date: format_date(today),
        follow_up_date: format_date(today),
        // Met at home, the conversation is most likely at home too.
        home_visit: contact.channel == shared::model::Channel::HomeVisit,
        ..Default::default()
    });
    let draft = RwSignal::new(initial.clone());
    let errors = RwSignal::new(FieldErrors::default());
    crate::store::autosave_draft(draft, draft_name(&current));
    let kind = Memo::new(move |_| {
        draft.with(|d| OutcomeKind::from_key(&d.kind).unwrap_or(suggestion.kind))
    });
    let suggested = suggestion.kind;
    let suggested_scheme =
        Scheme::suggest(current.choices(&template.question_with_role(Role::LifeDomains).id));
    let first_domain = current
        .choices(&template.question_with_role(Role::LifeDomains).id)
        .first()
        .cloned()
        .unwrap_or_default();

    let roster_for_confirm = roster.clone();
    let confirm = move |_| {
        let d = draft.get_untracked();
        let mut problems = FieldErrors::default();
        let kind = kind.get_untracked();
        let outcome = d.outcome(kind, &roster_for_confirm, &mut problems);
        let confirmed = outcome.map(|o| ConfirmedOutcome::new(o, suggested, &d.override_reason));
        let confirmed = match confirmed {
            Some(Ok(c)) if problems.is_empty() => c,
            Some(Err(e)) => {
                problems.0.extend(e.0);
                errors.set(problems);
                return;
            }
            _ => {
                errors.set(problems);
                return;
            }
        };
        let scan_now = scan.get_untracked();
        let partner_name = match &confirmed.outcome {
            Outcome::Referred { partner_id, .. } => crate::reference::catalogue()
                .social_map()
                .partner(partner_id)
                .map(|p| p.name.clone()),
            _ => None,
        };
        let next = follow_up(
            &confirmed,
            partner_name.as_deref(),
            &contact.worker,
            clock::today(),
        );
        // The follow-up is the colleague the appointment is with, the worker's own ("Jouw
        // naam" is the signed-in worker), or a colleague's when the escalation names one of the
        // roster; else a name in words.
        let owner_account = match &confirmed.outcome {
            Outcome::Appointment {
                worker_account: Some(account),
                ..
            } => Some(*account),
            _ if next.owner.trim() == contact.worker.trim() => {
                store.read(|s| s.account()).flatten().map(|a| a.account_id)
            }
            _ => store
                .read(|s| s.roster())
                .flatten()
                .and_then(|r| r.named(&next.owner).map(|m| m.account_id)),
        };
        let question = Question {
            id: shared::model::Id::now_v7(),
            household_id: scan_now.household_id,
            resident_id: scan_now.resident_id,
            contact_id: scan_now.contact_id,
            own_words: scan_now
                .text(&template.question_with_role(Role::OwnWords).id)
                .to_owned(),
            life_domains: scan_now
                .choices(&template.question_with_role(Role::LifeDomains).id)
                .to_vec(),
            owner: next.owner,
            owner_account,
            team_owned: false,
            status: next.status,
            next_date: next.next_date,
            next_step: next.next_step,
            // A crisis or unsafety signal: on top of its owner's work until taken up.
            crisis: matches!(confirmed.outcome, Outcome::Escalated { .. }).then(|| Crisis {
                raised_at: clock::now(),
                acknowledged: None,
            }),
            scheme: Some(Scheme::from_key(&d.scheme).unwrap_or(suggested_scheme)),
        };
        let now = clock::now();
        let mut finished = scan_now.clone();
        finished.outcome = Some(confirmed);
        finished.completed_at = Some(now);
        let mut ended = contact.clone();
        ended.ended_at = Some(now);
        let name = draft_name(&finished);
        // A melding starts the legal clock on the household.
        let notification = match &finished.outcome.as_ref().map(|o| &o.outcome) {
            Some(Outcome::Notification { date }) => Some(shared::model::Notification {
                id: shared::model::Id::now_v7(),
                household_id: finished.household_id,
                question_id: question.id,
                clock: shared::rules::legal_clock::LegalClock {
                    notification_date: Some(*date),
                    ..Default::default()
                },
            }),
            _ => None,
        };
        // A warm handover is made with the resident's spoken consent: record it per partner.
        let consent = match &finished.outcome.as_ref().map(|o| &o.outcome) {
            Some(Outcome::Referred {
                partner_id,
                warm_handover: true,
                ..
            }) => Some(shared::model::consent::Consent {
                id: shared::model::Id::now_v7(),
                household_id: finished.household_id,
                resident_id: finished.resident_id,
                partner_id: partner_id.clone(),
                purpose: "warme overdracht".into(),
                form: shared::model::consent::ConsentForm::Spoken,
                given_on: clock::today(),
                withdrawn_on: None,
            }),
            _ => None,
        };
        let saved = store.write(|s| {
            if let Some(consent) = &consent {
                s.put(consent)?;
            }
            if let Some(notification) = &notification {
                s.put(notification)?;
            }
            s.put(&question)?;
            s.put(&ended)?;
            s.put(&finished)?;
            s.clear_draft(&name);
            Ok(())
        });
        if saved {
            navigate("/", Default::default());
        }
    };

    let set = move |f: fn(&mut OutcomeDraft, String)| move |v: String| draft.update(|d| f(d, v));
    let kind_options: Vec<(String, String)> = OutcomeKind::ALL
        .iter()
        .map(|k| {
            let label = if *k == suggested {
                format!("{} (voorstel)", k.label())
            } else {
                k.label().to_owned()
            };
            (k.key().to_owned(), label)
        })
        .collect();
    let init = initial.clone();

    view! {
        <section class="card" aria-labelledby="uitkomst-kop">
            <h2 id="uitkomst-kop">"Uitkomst"</h2>
            <div class="suggestion" data-testid="suggestion" class:suggestion--urgent=suggested == OutcomeKind::Escalated>
                <p class="suggestion__title">"Voorstel: " <strong>{suggested.label()}</strong></p>
                {suggestion.reasons.iter().map(|r| view! { <p>{r.clone()}</p> }).collect_view()}
                {(!chosen_signals.is_empty()).then(|| view! {
                    <p>"Signalen: " {chosen_signals.iter().map(|s| s.label.clone()).collect::<Vec<_>>().join(", ")}</p>
                })}
            </div>
            <ChoiceGroup name="outcome".into() legend="Uitkomst van de vraagverkenning".into()
                options=kind_options initial=Some(initial.kind.clone())
                on_choose=move |v| draft.update(|d| d.kind = v)/>
            <div class="field">
                <label class="field__label" for="scheme">"Wet of regeling"</label>
                <select id="scheme" class="field__input" aria-describedby="scheme-hint"
                    on:change=move |ev| draft.update(|d| d.scheme = event_target_value(&ev))>
                    {Scheme::ALL.into_iter().map(|s| {
                        let key = s.key();
                        let chosen = move || draft.with(|d| {
                            Scheme::from_key(&d.scheme).unwrap_or(suggested_scheme) == s
                        });
                        view! { <option value=key selected=chosen>{s.label()}</option> }
                    }).collect_view()}
                </select>
                <p class="field__hint" id="scheme-hint">{format!("Voorstel bij dit leefgebied: {}.", suggested_scheme.label())}</p>
            </div>
            <Show when=move || kind.get() != suggested>
                <TextArea id="override_reason".into() label="Waarom wijk je af van het voorstel?".into()
                    initial=init.override_reason.clone() required=true
                    on_input=set(|d, v| d.override_reason = v) error=field_error(errors, "override_reason")/>
            </Show>
        </section>
        <section class="card" aria-labelledby="details-kop">
            <h2 id="details-kop">"Details"</h2>
            {move || {
                let i = draft.get_untracked();
                match kind.get() {
                    OutcomeKind::Handled => view! {
                        <ChoiceGroup name="handled_how".into() legend="Hoe is de vraag afgehandeld?".into()
                            options=vec![("advice".into(), "Informatie of advies gegeven".into()), ("product".into(), "Eenvoudige voorziening direct geregeld".into())]
                            initial=Some(if i.handled_how.is_empty() { "advice".to_owned() } else { i.handled_how.clone() })
                            on_choose=move |v| draft.update(|d| d.handled_how = v)/>
                        <TextArea id="note".into() label="Toelichting".into() initial=i.note on_input=set(|d, v| d.note = v)/>
                    }.into_any(),
                    OutcomeKind::Referred => view! {
                        <PartnerPicker draft first_domain=first_domain.clone() error=field_error(errors, "partner")/>
                        <label class="choice choice--inline" for="warm_handover">
                            <input type="checkbox" id="warm_handover" prop:checked=i.warm_handover
                                on:change=move |ev| draft.update(|d| d.warm_handover = event_target_checked(&ev))/>
                            <span>"Warme overdracht: de inwoner geeft toestemming om de vraag door te geven"</span>
                        </label>
                        <TextArea id="note".into() label="Toelichting voor de partner".into() initial=i.note on_input=set(|d, v| d.note = v)/>
                    }.into_any(),
                    OutcomeKind::Appointment => view! {
                        <ChoiceGroup name="conversation".into() legend="Soort gesprek".into()
                            options=vec![("kitchen_table".into(), "Keukentafelgesprek".into()), ("clarification".into(), "Vraagverheldering".into())]
                            initial=Some(if i.conversation.is_empty() { "kitchen_table".to_owned() } else { i.conversation.clone() })
                            on_choose=move |v| draft.update(|d| d.conversation = v)/>
                        <div class="field-grid">
                            <TextField id="appointment_date" label="Datum".into() input_type="date" initial=i.date required=true
                                on_input=set(|d, v| d.date = v) error=field_error(errors, "appointment_date")/>
                            <TextField id="appointment_time" label="Tijd".into() input_type="time" initial=i.time required=true
                                on_input=set(|d, v| d.time = v) error=field_error(errors, "appointment_time")/>
                        </div>
                        <super::appointment::AppointmentWorker draft errors/>
                        <TextField id="appointment_place" label="Plaats van het gesprek".into() initial=i.place required=true
                            on_input=set(|d, v| d.place = v) error=field_error(errors, "appointment_place")/>
                        <label class="choice choice--inline" for="home_visit">
                            <input type="checkbox" id="home_visit" prop:checked=i.home_visit
                                on:change=move |ev| draft.update(|d| d.home_visit = event_target_checked(&ev))/>
                            <span>"Huisbezoek"</span>
                        </label>
                    }.into_any(),
                    OutcomeKind::Notification => view! {
                        <TextField id="notification_date" label="Datum van de melding".into() input_type="date" initial=i.date required=true
                            hint="Vanaf deze datum loopt de termijn van zes weken voor het onderzoek."
                            on_input=set(|d, v| d.date = v) error=field_error(errors, "notification_date")/>
                    }.into_any(),
                    OutcomeKind::Escalated => view! {
                        <TextField id="follow_up_owner" label="Wie pakt de opvolging op?".into() initial=i.follow_up_owner required=true
                            on_input=set(|d, v| d.follow_up_owner = v) error=field_error(errors, "follow_up_owner")/>
                        <TextField id="follow_up_date" label="Uiterlijk op".into() input_type="date" initial=i.follow_up_date required=true
                            on_input=set(|d, v| d.follow_up_date = v) error=field_error(errors, "follow_up_date")/>
                        <TextArea id="note".into() label="Wat is er afgesproken?".into() initial=i.note on_input=set(|d, v| d.note = v)/>
                    }.into_any(),
                }
            }}
        </section>
        <Show when=move || !errors.with(FieldErrors::is_empty)>
            <p class="notice notice--error" role="alert">"Niet alles is goed ingevuld. Bekijk de meldingen bij de velden."</p>
        </Show>
        <div class="actions">
            <button type="button" class="button button--secondary" on:click=move |_| scan.update(|s| s.step -= 1)>"Vorige"</button>
            <button type="button" class="button button--primary" on:click=confirm>"Uitkomst bevestigen"</button>
        </div>
    }
}

#[component]
pub fn Done(scan: RwSignal<QuickScan>) -> impl IntoView {
    let label = move || {
        scan.with(|s| {
            s.outcome
                .as_ref()
                .map(|o| o.outcome.kind().label())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="card">
            <h2>"Afgerond"</h2>
            <p>"Deze vraagverkenning is afgerond met de uitkomst: " <strong>{label}</strong>"."</p>
            <a class="button button--secondary" href="/">"Naar Vandaag"</a>
        </section>
    }
}

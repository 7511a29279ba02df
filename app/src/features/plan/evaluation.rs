//! Follow-up: once a goal's support is delivered, the evaluation with the resident (was the
//! result reached?); once every goal is evaluated, the household's open questions are closed and
//! the loop is complete.

use super::edit_goal;
use crate::clock;
use crate::store::use_store;
use crate::ui::form::{ChoiceGroup, TextArea, TextField};
use leptos::prelude::*;
use shared::model::plan::{Evaluation, Reached, SupportPlan};
use shared::model::{Id, QuestionStatus};
use shared::rules::validation::{display_date, format_date, parse_date, FieldErrors};

#[component]
pub fn GoalEvaluation(plan: RwSignal<SupportPlan>, goal_id: Id, index: usize) -> impl IntoView {
    let goal = move || plan.with(|p| p.goals.iter().find(|g| g.id == goal_id).cloned());
    let delivered = move || goal().is_some_and(|g| g.support_delivered());
    view! {
        <div class="evaluation" data-testid=format!("goal-{index}-evaluation")>
            <h3>"Evaluatie met de inwoner"</h3>
            {move || match goal().and_then(|g| g.evaluation) {
                Some(e) => view! {
                    <p class="evaluation__done">
                        <span class=if e.reached == Reached::Yes { "badge" } else { "badge badge--warning" }>{e.reached.label()}</span>
                        {format!(" Geëvalueerd op {}.", display_date(e.held_on))}
                    </p>
                    <p>{format!("De inwoner: \u{201c}{}\u{201d}", e.resident_words)}</p>
                    {(!e.follow_up.is_empty()).then(|| view! { <p class="hint">{format!("Vervolg: {}", e.follow_up)}</p> })}
                }.into_any(),
                None if delivered() => view! { <EvaluationForm plan goal_id index/> }.into_any(),
                None => view! { <p class="hint">"Evalueren kan zodra de acties klaar zijn."</p> }.into_any(),
            }}
        </div>
    }
}

/// The form keeps what was typed until the evaluation is complete; only then is it stored.
#[component]
fn EvaluationForm(plan: RwSignal<SupportPlan>, goal_id: Id, index: usize) -> impl IntoView {
    let held_on = RwSignal::new(format_date(clock::today()));
    let reached = RwSignal::new(None::<Reached>);
    let words = RwSignal::new(String::new());
    let follow_up = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let error = move |f: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(f).map(str::to_owned)))
    };
    let record = move |_| {
        let mut found = FieldErrors::default();
        let date = parse_date(&held_on.get_untracked());
        if date.is_none() {
            found.add("held_on", "Vul de datum van de evaluatie in.");
        }
        let Some(chosen) = reached.get_untracked() else {
            found.add("reached", "Kies of het resultaat is bereikt.");
            errors.set(found);
            return;
        };
        let evaluation = Evaluation {
            held_on: date.unwrap_or_else(clock::today),
            reached: chosen,
            resident_words: words.get_untracked(),
            follow_up: follow_up.get_untracked(),
        };
        if let Err(more) = evaluation.check(clock::today()) {
            found.0.extend(more.0);
        }
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        edit_goal(plan, goal_id, |g| g.evaluation = Some(evaluation));
    };
    let options = Reached::ALL
        .iter()
        .map(|r| (r.key().to_owned(), r.label().to_owned()))
        .collect();
    view! {
        <TextField id=format!("goal-{index}-evaluation-date") label="Datum van de evaluatie".into() input_type="date" required=true
            initial=Signal::derive(move || held_on.get()) on_input=move |v| held_on.set(v) error=error("held_on")/>
        <ChoiceGroup name=format!("goal-{index}-reached") legend="Is het resultaat bereikt?".into() options initial=None
            on_choose=move |v| reached.set(Reached::from_key(&v)) error=error("reached")/>
        <TextArea id=format!("goal-{index}-evaluation-words") label="Hoe ziet de inwoner het? (in eigen woorden)".into() required=true
            initial=Signal::derive(move || words.get()) on_input=move |v| words.set(v) error=error("resident_words")/>
        <TextArea id=format!("goal-{index}-evaluation-follow-up") label="Wat gebeurt er nu?".into()
            hint="Nodig als het resultaat niet helemaal is bereikt.".into()
            initial=Signal::derive(move || follow_up.get()) on_input=move |v| follow_up.set(v) error=error("follow_up")/>
        <button type="button" class="button button--primary" on:click=record>"Evaluatie vastleggen"</button>
    }
}

/// When every goal is evaluated: close the household's open questions, recording why.
#[component]
pub fn CloseTheLoop(plan: RwSignal<SupportPlan>, household_id: Id) -> impl IntoView {
    let store = use_store();
    let open_questions = move || crate::features::household::open_questions(store, household_id);
    let close = move |_| {
        let today = display_date(clock::today());
        for mut question in open_questions() {
            question.status = QuestionStatus::Closed;
            question.next_step = format!("Afgesloten na de evaluatie van het plan op {today}.");
            store.write(|s| s.put(&question));
        }
    };
    view! {
        <Show when=move || plan.with(SupportPlan::evaluated)>
            <section class="card" aria-labelledby="lus-kop" data-testid="close-the-loop">
                <h2 id="lus-kop">"Alle resultaten zijn geëvalueerd"</h2>
                {move || {
                    let n = open_questions().len();
                    if n == 0 {
                        view! { <p>"De lus is rond: dit huishouden heeft geen open vragen meer."</p> }.into_any()
                    } else {
                        view! {
                            <p>{if n == 1 { "Er staat nog 1 vraag open.".to_owned() } else { format!("Er staan nog {n} vragen open.") }}</p>
                            <button type="button" class="button button--primary" on:click=close>"Lus sluiten: open vragen afsluiten"</button>
                        }.into_any()
                    }
                }}
            </section>
        </Show>
    }
}

use crate::ui::form::{CheckboxGroup, ChoiceGroup, TextArea};
use leptos::prelude::*;
use shared::model::{Answer, QuickScan};
use shared::rules::{quick_scan_routing::missing_answers, validation::FieldErrors};
use shared::templates::{QuestionKind, QuickScanTemplate, TemplateQuestion};

/// One step of the template: its questions, then back and next.
#[component]
pub fn Step(
    template: &'static QuickScanTemplate,
    scan: RwSignal<QuickScan>,
    index: usize,
) -> impl IntoView {
    let step = &template.steps[index];
    let errors = RwSignal::new(FieldErrors::default());
    let heading = NodeRef::<leptos::html::H2>::new();
    // Moves focus to the new step, so keyboard and screen-reader users start at its top; after
    // the step is painted, as focusing lays the page out (a third of a step change's time).
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            crate::paint::after_next_paint(move || {
                let _ = h.focus();
            });
        }
    });
    let next = move |_| {
        let missing = scan.with_untracked(|s| missing_answers(template, index, s));
        if missing.is_empty() {
            errors.set(FieldErrors::default());
            scan.update(|s| s.step = index + 1);
        } else {
            errors.set(missing);
        }
    };
    let initial = scan.get_untracked();
    view! {
        <section class="card step" aria-labelledby="stap-kop">
            <h2 id="stap-kop" tabindex="-1" node_ref=heading>{step.title.clone()}</h2>
            {step.intro.clone().map(|intro| view! { <p class="hint">{intro}</p> })}
            {step.questions.iter().map(|q| question(q, &initial, scan, errors)).collect_view()}
        </section>
        <Show when=move || !errors.with(FieldErrors::is_empty)>
            <p class="notice notice--error" role="alert">"Beantwoord eerst de vragen die gemarkeerd zijn."</p>
        </Show>
        <div class="actions">
            {(index > 0).then(|| view! {
                <button type="button" class="button button--secondary" on:click=move |_| scan.update(|s| s.step = index - 1)>
                    "Vorige"
                </button>
            })}
            <button type="button" class="button button--primary" on:click=next>"Volgende"</button>
        </div>
    }
}

fn question(
    q: &'static TemplateQuestion,
    initial: &QuickScan,
    scan: RwSignal<QuickScan>,
    errors: RwSignal<FieldErrors>,
) -> AnyView {
    let id = q.id.as_str();
    let error = Signal::derive(move || errors.with(|e| e.for_field(id).map(str::to_owned)));
    match q.kind {
        QuestionKind::LongText => view! {
            <TextArea id=q.id.clone() label=q.label.clone() initial=initial.text(id).to_owned()
                required=q.required hint=q.hint.clone().unwrap_or_default() error=error
                on_input=move |v| scan.update(|s| { s.answers.insert(id.to_owned(), Answer::Text(v)); })/>
        }
        .into_any(),
        QuestionKind::YesNo => view! {
            <ChoiceGroup name=q.id.clone() legend=q.label.clone()
                options=vec![("ja".into(), "Ja".into()), ("nee".into(), "Nee".into())]
                initial=initial.yes_no(id).map(|b| if b { "ja".to_owned() } else { "nee".to_owned() })
                hint=q.hint.clone().unwrap_or_default() error=error
                on_choose=move |v: String| scan.update(|s| { s.answers.insert(id.to_owned(), Answer::YesNo(v == "ja")); })/>
        }
        .into_any(),
        QuestionKind::MultiChoice => view! {
            <CheckboxGroup name=q.id.clone() legend=q.label.clone()
                options=q.options.iter().map(|o| (o.id.clone(), o.label.clone())).collect()
                initial=initial.choices(id).to_vec()
                hint=q.hint.clone().unwrap_or_default() error=error
                on_toggle=move |option: String, on: bool| scan.update(|s| {
                    let mut chosen = s.choices(id).to_vec();
                    chosen.retain(|c| *c != option);
                    if on { chosen.push(option); }
                    s.answers.insert(id.to_owned(), Answer::Choices(chosen));
                })/>
        }
        .into_any(),
    }
}

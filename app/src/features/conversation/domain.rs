use crate::ui::form::{ChoiceGroup, TextArea};
use leptos::prelude::*;
use shared::model::{Conversation, DomainEntry};
use shared::rules::validation::display_date;
use shared::templates::conversation::ConversationTemplate;
use time::Date;

/// One life domain of the conversation, in the order of the Wmo investigation.
#[component]
pub fn DomainCard(
    template: &'static ConversationTemplate,
    conversation: RwSignal<Conversation>,
    domain: String,
    previous: Option<(Date, u8)>,
) -> impl IntoView {
    let initial = conversation.with_untracked(|c| c.entry(&domain).cloned().unwrap_or_default());
    let label = template.domain_label(&domain).unwrap_or(&domain).to_owned();
    let heading_id = format!("domein-{domain}");
    let labelled_by = heading_id.clone();
    let edit = {
        let domain = domain.clone();
        move |f: &dyn Fn(&mut DomainEntry)| {
            conversation.update(|c| {
                if let Some(entry) = c.entry_mut(&domain) {
                    f(entry);
                }
            })
        }
    };
    let text = {
        let edit = edit.clone();
        move |field: &str| {
            let edit = edit.clone();
            let field = field.to_owned();
            move |v: String| {
                edit(&|e: &mut DomainEntry| match e.section_text_mut(&field) {
                    Some(text) => *text = v.clone(),
                    None => {
                        e.answers.insert(field.clone(), v.clone());
                    }
                })
            }
        }
    };
    let needs_provision = RwSignal::new(initial.custom_provision_needed);
    let score_options: Vec<(String, String)> = template
        .scale
        .labels
        .iter()
        .map(|l| (l.score.to_string(), format!("{} · {}", l.score, l.label)))
        .collect();
    let edit_score = edit.clone();
    let edit_provision = edit.clone();
    let d = domain.clone();

    view! {
        <section class="card domain" aria-labelledby=labelled_by data-testid=format!("domain-{domain}")>
            <h2 id=heading_id>{label}</h2>
            {template.domain_questions.iter().map(|q| {
                view! {
                    <TextArea id=format!("{d}-{}", q.id) label=q.label.clone()
                        initial=initial.answers.get(&q.id).cloned().unwrap_or_default()
                        on_input=text(&q.id)/>
                }
            }).collect_view()}
            // Every section of the template, in the order of the investigation: an individual
            // provision last, asked only when it is needed.
            {template.sections.iter().map(|section| {
                let id = format!("{d}-{}", section.id);
                if section.id == "custom_provision" {
                    let edit_provision = edit_provision.clone();
                    let prompt = section.prompt.clone();
                    let reason = initial.custom_provision_reason.clone();
                    let on_input = text("custom_provision");
                    return view! {
                        <label class="choice choice--inline" for=id.clone()>
                            <input type="checkbox" id=id.clone() prop:checked=initial.custom_provision_needed
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    needs_provision.set(on);
                                    edit_provision(&|e: &mut DomainEntry| e.custom_provision_needed = on);
                                }/>
                            <span>{format!("{} nodig", section.title)}</span>
                        </label>
                        <Show when=move || needs_provision.get()>
                            <TextArea id=format!("{id}_reason") label="Waarom is een maatwerkvoorziening nodig?".into()
                                hint=prompt.clone() required=true
                                initial=reason.clone() on_input=on_input.clone()/>
                        </Show>
                    }.into_any();
                }
                view! {
                    <TextArea id=id label=section.title.clone() hint=section.prompt.clone()
                        initial=initial.section_text(&section.id).unwrap_or_default().to_owned()
                        on_input=text(&section.id)/>
                }.into_any()
            }).collect_view()}
            <ChoiceGroup name=format!("{domain}-score") legend="Zelfredzaamheid".into()
                options=score_options initial=initial.score.map(|s| s.to_string())
                hint=previous.map(|(date, score)| format!("Vorige keer ({}): {} · {}", display_date(date), score,
                    template.score_label(score).unwrap_or_default())).unwrap_or_default()
                on_choose=move |v: String| {
                    let score = v.parse().ok();
                    edit_score(&|e: &mut DomainEntry| e.score = score);
                }/>
        </section>
    }
}

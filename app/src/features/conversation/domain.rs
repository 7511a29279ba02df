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
                edit(&|e: &mut DomainEntry| match field.as_str() {
                    "own_strength" => e.own_strength = v.clone(),
                    "network" => e.network = v.clone(),
                    "community_services" => e.community_services = v.clone(),
                    "custom_provision_reason" => e.custom_provision_reason = v.clone(),
                    question => {
                        e.answers.insert(question.to_owned(), v.clone());
                    }
                })
            }
        }
    };
    let needs_provision = RwSignal::new(initial.custom_provision_needed);
    let section = |id: &str| {
        template
            .sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| (s.title.clone(), s.prompt.clone()))
            .unwrap_or_default()
    };
    let (own_title, own_prompt) = section("own_strength");
    let (network_title, network_prompt) = section("network");
    let (community_title, community_prompt) = section("community_services");
    let (provision_title, provision_prompt) = section("custom_provision");
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
            <TextArea id=format!("{domain}-own_strength") label=own_title hint=own_prompt
                initial=initial.own_strength.clone() on_input=text("own_strength")/>
            <TextArea id=format!("{domain}-network") label=network_title hint=network_prompt
                initial=initial.network.clone() on_input=text("network")/>
            <TextArea id=format!("{domain}-community_services") label=community_title hint=community_prompt
                initial=initial.community_services.clone() on_input=text("community_services")/>
            <label class="choice choice--inline" for=format!("{domain}-custom_provision")>
                <input type="checkbox" id=format!("{domain}-custom_provision") prop:checked=initial.custom_provision_needed
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        needs_provision.set(on);
                        edit_provision(&|e: &mut DomainEntry| e.custom_provision_needed = on);
                    }/>
                <span>{format!("{provision_title} nodig")}</span>
            </label>
            <Show when=move || needs_provision.get()>
                <TextArea id=format!("{d}-custom_provision_reason") label="Waarom is een maatwerkvoorziening nodig?".into()
                    hint=provision_prompt.clone() required=true
                    initial=initial.custom_provision_reason.clone() on_input=text("custom_provision_reason")/>
            </Show>
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

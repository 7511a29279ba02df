//! The support plan (ondersteuningsplan) of a household: goals in the resident's words, what
//! was considered before anything heavier, and actions with who and when. "Light before heavy"
//! is checked by `shared`'s rule as the worker types.

mod evaluation;

use crate::ui::form::{TextArea, TextField};
use crate::ui::{route_id, when_loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::model::plan::{Action, ActionStatus, Considered, Goal, Helper, SupportPlan};
use shared::model::{Conversation, Household, Id};
use shared::rules::validation::{format_date, parse_date, FieldErrors};

#[component]
pub fn PlanPage() -> impl IntoView {
    let household_id = route_id();
    view! {
        <Title text="Ondersteuningsplan"/>
        <crate::ui::RoleGate record_type=shared::sync::RecordType::SupportPlan>
        {when_loaded(
            move |s| {
                let household = s.get::<Household>(household_id?)?;
                let plan = s.list::<SupportPlan>().into_iter().find(|p| p.household_id == household.id);
                let latest = s
                    .list::<Conversation>()
                    .into_iter()
                    .filter(|c| c.household_id == household.id)
                    .max_by_key(|c| c.held_on);
                // The coordinator defaults to the worker of the latest conversation.
                let coordinator = latest.as_ref().map(|c| c.worker.clone()).unwrap_or_default();
                // Each result the resident wants, as the conversation wrote it down.
                let wanted: Vec<Goal> = latest
                    .iter()
                    .flat_map(|c| &c.domains)
                    .filter_map(|entry| Goal::from_conversation(Id::now_v7(), entry))
                    .collect();
                let plan = plan.unwrap_or_else(|| SupportPlan {
                    id: Id::now_v7(),
                    household_id: household.id,
                    coordinator,
                    goals: Vec::new(),
                });
                Some((household, plan, wanted))
            },
            |(household, plan, wanted)| view! { <PlanEditor household plan wanted/> },
            "Huishouden niet gevonden",
        )}
        </crate::ui::RoleGate>
    }
}

#[component]
fn PlanEditor(household: Household, plan: SupportPlan, wanted: Vec<Goal>) -> impl IntoView {
    // The regisseur the coordinator chose, until the plan names one itself.
    let mut plan = plan;
    if let (Some(person), "") = (&household.case_manager, plan.coordinator.trim()) {
        plan.coordinator = person.name.clone();
    }
    let initial_coordinator = plan.coordinator.clone();
    let plan = RwSignal::new(plan);
    crate::store::autosave_record(plan);
    let errors = Memo::new(move |_| plan.with(|p| p.check().err().unwrap_or_default()));
    let goal_ids =
        Memo::new(move |_| plan.with(|p| p.goals.iter().map(|g| g.id).collect::<Vec<_>>()));
    let add_goal = move |_| {
        plan.update(|p| {
            p.goals.push(Goal {
                id: Id::now_v7(),
                life_domain: String::new(),
                result: String::new(),
                considered: Considered::default(),
                actions: Vec::new(),
                evaluation: None,
            })
        })
    };
    view! {
        <header class="scan-header">
            <p class="scan-header__who"><a href=format!("/huishouden/{}", household.id)><strong>{household.name.clone()}</strong></a>
                " · "<a href="/wegwijzer">"Sociale kaart"</a></p>
            <h1>"Ondersteuningsplan"</h1>
        </header>
        <section class="card">
            // The regisseur is an account the coordinator chose (carried by the household
            // record); the plan's own text is only a name until then.
            {match household.case_manager.clone() {
                Some(person) => view! {
                    <p data-testid="plan-case-manager"><strong>"Regisseur: "</strong>{person.reach()}</p>
                    <p class="hint">"Toegewezen door de coördinator in de caseload."</p>
                }.into_any(),
                None => view! {
                    <TextField id="coordinator" label="Regisseur van het huishouden".into() initial=initial_coordinator required=true
                        hint="Nog niet toegewezen: de coördinator kiest de regisseur in de caseload. Tot dan de naam."
                        error=Signal::derive(move || errors.with(|e| e.for_field("coordinator").map(str::to_owned)))
                        on_input=move |v| plan.update(|p| p.coordinator = v)/>
                }.into_any(),
            }}
        </section>
        // Suggestions for "Naam of organisatie": the household's betrokkenen, then the social
        // map on the device.
        <datalist id="sociale-kaart-partners">
            {household.involved.iter().filter(|p| p.is_current_on(crate::clock::today()))
                .map(|p| view! { <option value=p.who()>{p.role.clone()}</option> }).collect_view()}
            {crate::reference::catalogue().social_map().partners.iter().filter(|p| p.active)
                .map(|p| view! { <option value=p.name.clone()></option> }).collect_view()}
        </datalist>
        <For each=move || { goal_ids.get().into_iter().enumerate().collect::<Vec<_>>() } key=|(_, id)| *id let:entry>
            <GoalCard plan index=entry.0 goal_id=entry.1 errors/>
        </For>
        <div class="actions">
            <button type="button" class="button button--secondary" on:click=add_goal>"Resultaat toevoegen"</button>
        </div>
        <FromConversation plan wanted/>
        <evaluation::CloseTheLoop plan household_id=household.id/>
    }
}

/// The results the resident named in the conversation, each one tap from being a goal (until a
/// goal in that life domain says the same).
#[component]
fn FromConversation(plan: RwSignal<SupportPlan>, wanted: Vec<Goal>) -> impl IntoView {
    let open = Signal::derive(move || {
        plan.with(|p| {
            wanted
                .iter()
                .filter(|w| {
                    !p.goals
                        .iter()
                        .any(|g| g.life_domain == w.life_domain && g.result.trim() == w.result)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let template = crate::reference::catalogue().current_conversation();
    view! {
        <Show when=move || open.with(|o| !o.is_empty())>
            <section class="card" aria-labelledby="uit-gesprek-kop" data-testid="from-conversation">
                <h2 id="uit-gesprek-kop">"Uit het gesprek"</h2>
                <p class="hint">"Wat de inwoner wil bereiken, zoals het in het gesprek is opgeschreven. Neem het over als resultaat; je kunt het daarna aanvullen."</p>
                <ul class="list">
                    {move || open.get().into_iter().map(|goal| {
                        let label = template.domain_label(&goal.life_domain).unwrap_or(&goal.life_domain).to_owned();
                        let result = goal.result.clone();
                        let adopt = move |_| {
                            let goal = Goal { id: Id::now_v7(), ..goal.clone() };
                            plan.update(|p| p.goals.push(goal));
                        };
                        view! {
                            <li class="list__item">
                                <span class="list__main"><strong>{label.clone()}</strong>" "<span>{format!("“{result}”")}</span></span>
                                <button type="button" class="button button--secondary" on:click=adopt
                                    aria-label=format!("Overnemen als resultaat: {label}")>"Overnemen"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

fn edit_goal(plan: RwSignal<SupportPlan>, goal_id: Id, f: impl FnOnce(&mut Goal)) {
    plan.update(|p| {
        if let Some(goal) = p.goals.iter_mut().find(|g| g.id == goal_id) {
            f(goal);
        }
    });
}

#[component]
fn GoalCard(
    plan: RwSignal<SupportPlan>,
    index: usize,
    goal_id: Id,
    errors: Memo<FieldErrors>,
) -> impl IntoView {
    let goal = plan
        .with_untracked(|p| p.goals.iter().find(|g| g.id == goal_id).cloned())
        .expect("a listed goal exists");
    let error = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|e| {
                e.for_field(&format!("goal.{index}.{field}"))
                    .map(str::to_owned)
            })
        })
    };
    let action_ids = Memo::new(move |_| {
        plan.with(|p| {
            p.goals
                .iter()
                .find(|g| g.id == goal_id)
                .map(|g| g.actions.iter().map(|a| a.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let add_action = move |_| {
        edit_goal(plan, goal_id, |g| {
            g.actions.push(Action {
                id: Id::now_v7(),
                description: String::new(),
                helper: Helper::Resident,
                who: String::new(),
                partner_id: None,
                owner_account: None,
                due: None,
                status: ActionStatus::Planned,
            })
        })
    };
    let domain_select_id = format!("goal-{index}-domain");
    view! {
        <section class="card goal" data-testid=format!("goal-{index}") aria-label=format!("Resultaat {}", index + 1)>
            <h2>{format!("Resultaat {}", index + 1)}</h2>
            <div class="field">
                <label class="field__label" for=domain_select_id.clone()>"Leefgebied"</label>
                <select id=domain_select_id class="field__input" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit_goal(plan, goal_id, |g| g.life_domain = v);
                }>
                    <option value="" selected=goal.life_domain.is_empty()>"Kies een leefgebied"</option>
                    {crate::reference::catalogue().current_conversation().domains.iter().map(|d| view! {
                        <option value=d.id.clone() selected=goal.life_domain == d.id>{d.label.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <TextArea id=format!("goal-{index}-result") label="Welk resultaat wil de inwoner bereiken? (in eigen woorden)".into()
                required=true initial=goal.result.clone() error=error("result")
                on_input=move |v| edit_goal(plan, goal_id, |g| g.result = v)/>
            <fieldset class="choices">
                <legend class="field__label">"Licht voor zwaar: wat is overwogen?"</legend>
                <TextArea id=format!("goal-{index}-own") label="Eigen kracht".into() initial=goal.considered.own_strength.clone()
                    error=error("own_strength") on_input=move |v| edit_goal(plan, goal_id, |g| g.considered.own_strength = v)/>
                <TextArea id=format!("goal-{index}-network") label="Sociaal netwerk".into() initial=goal.considered.network.clone()
                    error=error("network") on_input=move |v| edit_goal(plan, goal_id, |g| g.considered.network = v)/>
                <TextArea id=format!("goal-{index}-community") label="Algemene voorzieningen".into() initial=goal.considered.community_services.clone()
                    error=error("community_services") on_input=move |v| edit_goal(plan, goal_id, |g| g.considered.community_services = v)/>
            </fieldset>
            <h3>"Acties"</h3>
            <For each=move || { action_ids.get().into_iter().enumerate().collect::<Vec<_>>() } key=|(_, id)| *id let:entry>
                <ActionRow plan goal_id goal_index=index index=entry.0 action_id=entry.1/>
            </For>
            <button type="button" class="button button--secondary" on:click=add_action>"Actie toevoegen"</button>
            <evaluation::GoalEvaluation plan goal_id index/>
        </section>
    }
}

#[component]
fn ActionRow(
    plan: RwSignal<SupportPlan>,
    goal_id: Id,
    goal_index: usize,
    index: usize,
    action_id: Id,
) -> impl IntoView {
    let action = plan
        .with_untracked(|p| {
            p.goals
                .iter()
                .find(|g| g.id == goal_id)
                .and_then(|g| g.actions.iter().find(|a| a.id == action_id))
                .cloned()
        })
        .expect("a listed action exists");
    let edit = move |f: Box<dyn FnOnce(&mut Action)>| {
        edit_goal(plan, goal_id, |g| {
            if let Some(a) = g.actions.iter_mut().find(|a| a.id == action_id) {
                f(a);
            }
        })
    };
    let considered_all = move || {
        plan.with(|p| {
            p.goals.iter().find(|g| g.id == goal_id).is_some_and(|g| {
                let c = &g.considered;
                [&c.own_strength, &c.network, &c.community_services]
                    .iter()
                    .all(|t| !t.trim().is_empty())
            })
        })
    };
    // A colleague named in "who" gets the action in their "Mijn werk".
    let roster = crate::ui::owner::roster();
    let prefix = format!("goal-{goal_index}-action-{index}");
    let helper_id = format!("{prefix}-helper");
    let status_id = format!("{prefix}-status");
    view! {
        <div class="action-row" data-testid=prefix.clone()>
            <div class="field-grid">
                <TextField id=format!("{prefix}-description") label=format!("Actie {}", index + 1) required=true
                    initial=action.description.clone() on_input=move |v| edit(Box::new(move |a| a.description = v))/>
                <div class="field">
                    <label class="field__label" for=helper_id.clone()>{format!("Wie helpt bij actie {}", index + 1)}</label>
                    <select id=helper_id class="field__input" on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        edit(Box::new(move |a| a.helper = Helper::ALL[i.min(Helper::ALL.len() - 1)]));
                    }>
                        {Helper::ALL.iter().enumerate().map(|(i, h)| {
                            let heavy = *h == Helper::CustomProvision;
                            let disabled = move || heavy && !considered_all();
                            view! {
                                <option value=i.to_string() selected=action.helper == *h disabled=disabled>
                                    {if heavy { format!("{} (na eigen kracht, netwerk en algemene voorzieningen)", h.label()) } else { h.label().to_owned() }}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <TextField id=format!("{prefix}-who") label=format!("Naam of organisatie bij actie {}", index + 1)
                    list="sociale-kaart-partners" hint="Een naam, een betrokkene, of een partner van de sociale kaart."
                    initial=action.who.clone() on_input=move |v| {
                        let colleague = roster.named(&v).map(|m| m.account_id);
                        edit(Box::new(move |a| {
                        // A partner of the social map, named exactly: linked, so the report
                        // can say how to reach it.
                        a.partner_id = crate::reference::catalogue().social_map().partners.iter()
                            .find(|p| p.active && p.name == v.trim()).map(|p| p.id.clone());
                        a.owner_account = colleague;
                        a.who = v;
                    }))
                    }/>
                <TextField id=format!("{prefix}-due") label=format!("Klaar op (actie {})", index + 1) input_type="date"
                    initial=action.due.map(format_date).unwrap_or_default()
                    on_input=move |v| edit(Box::new(move |a| a.due = parse_date(&v)))/>
                <div class="field">
                    <label class="field__label" for=status_id.clone()>{format!("Stand van actie {}", index + 1)}</label>
                    <select id=status_id class="field__input" on:change=move |ev| {
                        let status = match event_target_value(&ev).as_str() {
                            "started" => ActionStatus::Started,
                            "done" => ActionStatus::Done,
                            "cancelled" => ActionStatus::Cancelled,
                            _ => ActionStatus::Planned,
                        };
                        edit(Box::new(move |a| a.status = status));
                    }>
                        {[("planned", "Gepland", ActionStatus::Planned), ("started", "Bezig", ActionStatus::Started), ("done", "Klaar", ActionStatus::Done), ("cancelled", "Vervallen", ActionStatus::Cancelled)]
                            .into_iter()
                            .map(|(value, label, status)| view! { <option value=value selected=action.status == status>{label}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
        </div>
    }
}

//! The support plan (ondersteuningsplan): goals in the resident's words, with actions, who does
//! them and when. Help is as light as possible and as heavy as necessary.

use super::Id;
use crate::rules::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use time::Date;

/// Who carries out an action, from light to heavy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Helper {
    Resident,
    Network,
    Volunteer,
    CommunityService,
    Professional,
    CustomProvision,
}

impl Helper {
    pub const ALL: [Helper; 6] = [
        Helper::Resident,
        Helper::Network,
        Helper::Volunteer,
        Helper::CommunityService,
        Helper::Professional,
        Helper::CustomProvision,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Helper::Resident => "Inwoner zelf",
            Helper::Network => "Sociaal netwerk",
            Helper::Volunteer => "Vrijwilliger",
            Helper::CommunityService => "Algemene voorziening",
            Helper::Professional => "Professional",
            Helper::CustomProvision => "Maatwerkvoorziening",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Planned,
    Started,
    Done,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Action {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub description: String,
    pub helper: Helper,
    /// The person or organisation, e.g. "dochter Aylin" or "Welzijn Lindeveen".
    pub who: String,
    /// The social map's partner when `who` names one, so the report can say how to reach it.
    #[serde(default)]
    pub partner_id: Option<String>,
    /// The colleague who does it, when `who` names one of the team (it is in their "Mijn werk").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub owner_account: Option<Id>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::CalendarDate>))]
    pub due: Option<Date>,
    pub status: ActionStatus,
}

/// What was considered before anything heavier, per goal: the reason in words, or why it
/// cannot help.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Considered {
    pub own_strength: String,
    pub network: String,
    pub community_services: String,
}

/// Whether a goal's result was reached, as the resident sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reached {
    Yes,
    Partly,
    No,
}

impl Reached {
    pub const ALL: [Reached; 3] = [Reached::Yes, Reached::Partly, Reached::No];

    pub fn label(self) -> &'static str {
        match self {
            Reached::Yes => "Bereikt",
            Reached::Partly => "Deels bereikt",
            Reached::No => "Niet bereikt",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Reached::Yes => "yes",
            Reached::Partly => "partly",
            Reached::No => "no",
        }
    }

    pub fn from_key(key: &str) -> Option<Reached> {
        Reached::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// The evaluation with the resident once the support is delivered: was the result reached?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::CalendarDate))]
    pub held_on: Date,
    pub reached: Reached,
    /// How the resident sees it, in their own words.
    pub resident_words: String,
    /// What happens now, when the result was not (fully) reached.
    #[serde(default)]
    pub follow_up: String,
}

impl Evaluation {
    pub fn check(&self, today: Date) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.held_on > today {
            errors.add("held_on", "Een evaluatie ligt niet in de toekomst.");
        }
        errors.require_text(
            "resident_words",
            &self.resident_words,
            "hoe de inwoner het ziet",
            2_000,
        );
        if self.reached != Reached::Yes && self.follow_up.trim().is_empty() {
            errors.add(
                "follow_up",
                "Het resultaat is niet helemaal bereikt: noteer wat er nu gebeurt.",
            );
        }
        errors.into_result(())
    }
}

/// A result the resident wants to reach, in their own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Goal {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub life_domain: String,
    pub result: String,
    pub considered: Considered,
    pub actions: Vec<Action>,
    /// Recorded with the resident after the support was delivered; closes the loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
}

impl Goal {
    /// The goal a life domain of the conversation leads to: the result the resident said they
    /// want, in their words, with what was found there about their own strength, network and
    /// community services. None when no result was written down.
    pub fn from_conversation(id: Id, entry: &crate::model::DomainEntry) -> Option<Goal> {
        let wanted = entry.answers.get("wanted_result")?.trim();
        (!wanted.is_empty()).then(|| Goal {
            id,
            life_domain: entry.domain.clone(),
            result: wanted.to_owned(),
            considered: Considered {
                own_strength: entry.own_strength.clone(),
                network: entry.network.clone(),
                community_services: entry.community_services.clone(),
            },
            actions: Vec::new(),
            evaluation: None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportPlan {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    /// The household's one coordinator.
    pub coordinator: String,
    pub goals: Vec<Goal>,
}

impl Goal {
    /// Light before heavy: an individual provision can only be planned once own strength, the
    /// network and community services were considered for this goal (a recorded reason counts).
    pub fn check_light_before_heavy(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self
            .actions
            .iter()
            .any(|a| a.helper == Helper::CustomProvision)
        {
            let missing = [
                (
                    "own_strength",
                    &self.considered.own_strength,
                    "eigen kracht",
                ),
                ("network", &self.considered.network, "het sociaal netwerk"),
                (
                    "community_services",
                    &self.considered.community_services,
                    "algemene voorzieningen",
                ),
            ];
            for (field, reason, what) in missing {
                if reason.trim().is_empty() {
                    errors.add(
                        field,
                        format!("Een maatwerkvoorziening kan pas als {what} is overwogen. Noteer wat {what} kan doen, of waarom niet."),
                    );
                }
            }
        }
        errors.into_result(())
    }

    /// Support is delivered when every action is done or cancelled and at least one was done:
    /// then it is time to evaluate with the resident.
    pub fn support_delivered(&self) -> bool {
        self.actions.iter().any(|a| a.status == ActionStatus::Done)
            && self
                .actions
                .iter()
                .all(|a| matches!(a.status, ActionStatus::Done | ActionStatus::Cancelled))
    }

    /// The heaviest help planned for this goal.
    pub fn heaviest_helper(&self) -> Option<Helper> {
        self.actions
            .iter()
            .filter(|a| a.status != ActionStatus::Cancelled)
            .map(|a| a.helper)
            .max()
    }
}

impl SupportPlan {
    /// Every goal was evaluated with the resident: the loop can be closed.
    pub fn evaluated(&self) -> bool {
        !self.goals.is_empty() && self.goals.iter().all(|g| g.evaluation.is_some())
    }

    /// Goals whose support is delivered but not yet evaluated.
    pub fn awaiting_evaluation(&self) -> usize {
        self.goals
            .iter()
            .filter(|g| g.evaluation.is_none() && g.support_delivered())
            .count()
    }

    /// Every goal's problems, with the goal's index in the field name.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.require_text("coordinator", &self.coordinator, "de regisseur", 100);
        for (i, goal) in self.goals.iter().enumerate() {
            errors.require_text(
                &format!("goal.{i}.result"),
                &goal.result,
                "het resultaat",
                2_000,
            );
            if let Err(goal_errors) = goal.check_light_before_heavy() {
                for e in goal_errors.0 {
                    errors.add(&format!("goal.{i}.{}", e.field), e.message);
                }
            }
        }
        errors.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goal_starts_from_the_result_the_resident_wants() {
        let mut entry = crate::model::DomainEntry {
            domain: "finances".into(),
            network: "Zus helpt met de post.".into(),
            ..Default::default()
        };
        assert!(Goal::from_conversation(Id::nil(), &entry).is_none());
        entry
            .answers
            .insert("wanted_result".into(), " Overzicht over mijn geld. ".into());
        let goal = Goal::from_conversation(Id::nil(), &entry).unwrap();
        assert_eq!(goal.result, "Overzicht over mijn geld.");
        assert_eq!(goal.life_domain, "finances");
        assert_eq!(goal.considered.network, "Zus helpt met de post.");
    }
    use proptest::prelude::*;

    fn action(helper: Helper) -> Action {
        Action {
            id: Id::nil(),
            description: "Boodschappen".into(),
            helper,
            who: "iemand".into(),
            partner_id: None,
            owner_account: None,
            due: None,
            status: ActionStatus::Planned,
        }
    }

    fn goal(helpers: &[Helper], considered: Considered) -> Goal {
        Goal {
            evaluation: None,
            id: Id::nil(),
            life_domain: "practical".into(),
            result: "Zelf boodschappen kunnen doen".into(),
            considered,
            actions: helpers.iter().map(|h| action(*h)).collect(),
        }
    }

    #[test]
    fn light_help_needs_no_recorded_considerations() {
        let g = goal(
            &[
                Helper::Resident,
                Helper::Network,
                Helper::Volunteer,
                Helper::CommunityService,
                Helper::Professional,
            ],
            Considered::default(),
        );
        assert!(g.check_light_before_heavy().is_ok());
        assert_eq!(g.heaviest_helper(), Some(Helper::Professional));
    }

    #[test]
    fn a_custom_provision_needs_all_three_considered() {
        let partly = Considered {
            own_strength: "Kan niet meer tillen".into(),
            ..Default::default()
        };
        let errors = goal(&[Helper::CustomProvision], partly)
            .check_light_before_heavy()
            .unwrap_err();
        assert!(errors.for_field("own_strength").is_none());
        assert!(errors
            .for_field("network")
            .unwrap()
            .contains("sociaal netwerk"));
        assert!(errors.for_field("community_services").is_some());
        let all = Considered {
            own_strength: "Kan niet meer tillen".into(),
            network: "Dochter woont in Groningen".into(),
            community_services: "Boodschappendienst heeft een wachtlijst van een half jaar".into(),
        };
        assert!(goal(&[Helper::CustomProvision], all)
            .check_light_before_heavy()
            .is_ok());
    }

    #[test]
    fn a_plan_names_its_goal_and_needs_a_coordinator() {
        let plan = SupportPlan {
            id: Id::nil(),
            household_id: Id::nil(),
            coordinator: " ".into(),
            goals: vec![
                goal(&[Helper::Resident], Considered::default()),
                goal(&[Helper::CustomProvision], Considered::default()),
            ],
        };
        let errors = plan.check().unwrap_err();
        assert!(errors.for_field("coordinator").is_some());
        assert!(errors.for_field("goal.1.network").is_some());
        assert!(errors.for_field("goal.0.network").is_none());
    }

    proptest! {
        #[test]
        fn without_a_custom_provision_the_rule_never_blocks(helpers in proptest::collection::vec(0usize..5, 0..6)) {
            let helpers: Vec<Helper> = helpers.into_iter().map(|i| Helper::ALL[i]).collect();
            prop_assert!(goal(&helpers, Considered::default()).check_light_before_heavy().is_ok());
        }
    }

    #[test]
    fn an_evaluation_closes_the_loop_goal_by_goal() {
        let today = time::macros::date!(2026 - 11 - 22);
        let mut done = action(Helper::Network);
        done.status = ActionStatus::Done;
        let mut plan = SupportPlan {
            id: Id::nil(),
            household_id: Id::nil(),
            coordinator: "Anne".into(),
            goals: vec![goal(&[Helper::Resident], Considered::default())],
        };
        assert!(
            !plan.goals[0].support_delivered(),
            "a planned action is not delivered"
        );
        plan.goals[0].actions = vec![done.clone(), action(Helper::Resident)];
        plan.goals[0].actions[1].status = ActionStatus::Cancelled;
        assert!(plan.goals[0].support_delivered());
        assert_eq!(plan.awaiting_evaluation(), 1);
        assert!(!plan.evaluated());

        let mut evaluation = Evaluation {
            held_on: today,
            reached: Reached::Partly,
            resident_words: "Boodschappen lukken, koken nog niet.".into(),
            follow_up: String::new(),
        };
        assert!(evaluation
            .check(today)
            .unwrap_err()
            .for_field("follow_up")
            .is_some());
        evaluation.follow_up = "Maaltijdservice erbij".into();
        assert_eq!(evaluation.check(today), Ok(()));
        assert!(
            evaluation.check(today - time::Duration::days(1)).is_err(),
            "not in the future"
        );
        plan.goals[0].evaluation = Some(evaluation);
        assert!(plan.evaluated());
        assert_eq!(plan.awaiting_evaluation(), 0);
    }

    #[test]
    fn a_plan_without_evaluations_keeps_its_old_json() {
        let plan = SupportPlan {
            id: Id::nil(),
            household_id: Id::nil(),
            coordinator: "Anne".into(),
            goals: vec![goal(&[Helper::Resident], Considered::default())],
        };
        let json = serde_json::to_value(&plan).unwrap();
        assert!(json["goals"][0].get("evaluation").is_none());
        let back: SupportPlan = serde_json::from_value(json).unwrap();
        assert_eq!(back, plan);
    }
}

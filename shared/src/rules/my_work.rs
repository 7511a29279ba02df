//! "My work": what a worker must see on opening the app. Computed on the device from what it
//! holds, so it works offline: today's appointments and home visits, open questions of theirs
//! whose next date passed (or that lack a date), above all escalations (crisis) of theirs not
//! yet taken up, plan actions of theirs past their date, plans
//! waiting for an evaluation, and legal deadlines that run out within a week. What belongs to
//! the team or to no one is in the team's tray ([`tray`]), not in anyone's "Mijn werk".

use crate::model::plan::{ActionStatus, SupportPlan};
use crate::model::{Id, Notification, Question, QuestionStatus, QuickScan};
use crate::rules::agenda::{self, Appointment};
use crate::rules::legal_clock::{ClockItem, Urgency};
use crate::rules::lookup::fold;
use time::{Date, Duration, OffsetDateTime};

/// How long an escalation may wait for its owner before the coordinator is shown it.
pub const CRISIS_WAIT: Duration = Duration::hours(1);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDeadline {
    pub household_id: Id,
    pub item: ClockItem,
}

/// A plan action of the worker's whose date passed, not done or cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueAction {
    pub household_id: Id,
    pub description: String,
    pub due: Date,
}

/// The signed-in worker, whose work this is.
#[derive(Debug, Clone, Copy)]
pub struct Worker<'a> {
    pub account_id: Id,
    pub name: &'a str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyWork {
    /// The worker's escalations not yet taken up, oldest first: on top, until acknowledged.
    pub crises: Vec<Question>,
    /// Today's appointments, by time.
    pub appointments: Vec<Appointment>,
    /// The worker's open questions whose next date passed or that have no date, oldest first.
    pub overdue_questions: Vec<Question>,
    /// The worker's plan actions past their date, oldest first.
    pub overdue_actions: Vec<OverdueAction>,
    /// Households whose plan has delivered goals not yet evaluated.
    pub evaluations_due: Vec<Id>,
    /// Open legal deadlines that passed or run out within a week, most urgent first.
    pub deadlines: Vec<DueDeadline>,
}

impl MyWork {
    pub fn is_empty(&self) -> bool {
        self.appointments.is_empty()
            && self.crises.is_empty()
            && self.overdue_questions.is_empty()
            && self.overdue_actions.is_empty()
            && self.evaluations_due.is_empty()
            && self.deadlines.is_empty()
    }
}

/// `me`: the signed-in worker; without one (no account on the device yet) every question and
/// action on the device counts.
pub fn my_work(
    today: Date,
    me: Option<Worker<'_>>,
    scans: &[QuickScan],
    questions: &[Question],
    plans: &[SupportPlan],
    notifications: &[Notification],
) -> MyWork {
    // Today's, of this worker: one booked with a colleague is in the colleague's work.
    let appointments = agenda::between(scans, today, today, |a| {
        me.is_none_or(|me| a.is_for(me.account_id, me.name))
    });
    let mut overdue_questions: Vec<Question> = questions
        .iter()
        .filter(|q| q.status == QuestionStatus::Open)
        .filter(|q| me.is_none_or(|me| q.is_owned_by(me.account_id, me.name)))
        .filter(|q| q.next_date.is_none_or(|d| d < today) || q.check_follow_up().is_err())
        .filter(|q| !q.crisis_waiting())
        .cloned()
        .collect();
    let crises = crises_of(me, questions);
    overdue_questions.sort_by_key(|q| q.next_date);
    let mine = |account: Option<Id>, who: &str| match (me, account) {
        (None, _) => true,
        (Some(me), Some(account)) => account == me.account_id,
        (Some(me), None) => !me.name.trim().is_empty() && fold(who) == fold(me.name),
    };
    let mut overdue_actions: Vec<OverdueAction> = plans
        .iter()
        .flat_map(|p| p.goals.iter().map(move |g| (p.household_id, g)))
        .flat_map(|(household_id, g)| g.actions.iter().map(move |a| (household_id, a)))
        .filter(|(_, a)| matches!(a.status, ActionStatus::Planned | ActionStatus::Started))
        .filter(|(_, a)| mine(a.owner_account, &a.who))
        .filter_map(|(household_id, a)| {
            let due = a.due.filter(|d| *d < today)?;
            Some(OverdueAction {
                household_id,
                description: a.description.clone(),
                due,
            })
        })
        .collect();
    overdue_actions.sort_by_key(|a| a.due);
    let evaluations_due = plans
        .iter()
        .filter(|p| p.awaiting_evaluation() > 0)
        .map(|p| p.household_id)
        .collect();
    let mut deadlines: Vec<DueDeadline> = notifications
        .iter()
        .flat_map(|n| {
            n.clock
                .open_items(today)
                .into_iter()
                .filter(|item| item.urgency != Urgency::OnTrack)
                .map(move |item| DueDeadline {
                    household_id: n.household_id,
                    item,
                })
        })
        .collect();
    deadlines.sort_by_key(|d| d.item.due);
    MyWork {
        crises,
        appointments,
        overdue_questions,
        overdue_actions,
        evaluations_due,
        deadlines,
    }
}

/// The worker's escalations not yet taken up, oldest first.
pub fn crises_of(me: Option<Worker<'_>>, questions: &[Question]) -> Vec<Question> {
    let mut crises: Vec<Question> = questions
        .iter()
        .filter(|q| q.crisis_waiting())
        .filter(|q| me.is_none_or(|me| q.is_owned_by(me.account_id, me.name)))
        .cloned()
        .collect();
    crises.sort_by_key(|q| q.crisis.as_ref().map(|c| c.raised_at));
    crises
}

/// Escalations of the team nobody took up within [`CRISIS_WAIT`], oldest first: for the
/// coordinator, whoever owns them.
pub fn unanswered_crises(questions: &[Question], now: OffsetDateTime) -> Vec<Question> {
    let mut waiting: Vec<Question> = questions
        .iter()
        .filter(|q| q.crisis_waiting())
        .filter(|q| {
            q.crisis
                .as_ref()
                .is_some_and(|c| c.raised_at + CRISIS_WAIT <= now)
        })
        .cloned()
        .collect();
    waiting.sort_by_key(|q| q.crisis.as_ref().map(|c| c.raised_at));
    waiting
}

/// The team's tray (werkvoorraad): open questions owned by the team or by no one, oldest next
/// date first (no date first of all).
pub fn tray(questions: &[Question]) -> Vec<Question> {
    let mut waiting: Vec<Question> = questions.iter().filter(|q| q.in_tray()).cloned().collect();
    waiting.sort_by_key(|q| q.next_date);
    waiting
}

/// Open questions per colleague (by account), for the coordinator's "who carries what".
pub fn load(questions: &[Question]) -> std::collections::BTreeMap<Id, usize> {
    let mut per = std::collections::BTreeMap::new();
    for q in questions
        .iter()
        .filter(|q| q.status == QuestionStatus::Open)
    {
        if let Some(account) = q.owner_account {
            *per.entry(account).or_insert(0) += 1;
        }
    }
    per
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::{Action, ActionStatus, Considered, Goal, Helper};
    use crate::model::quick_scan::{ConfirmedOutcome, ConversationKind, Outcome, OutcomeKind};
    use crate::rules::legal_clock::LegalClock;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn scan(n: u128, date: Date, time: &str) -> QuickScan {
        QuickScan {
            id: Id::from_u128(n),
            contact_id: Id::nil(),
            household_id: Id::from_u128(100 + n),
            resident_id: Id::nil(),
            template_version: "2026.1".into(),
            answers: Default::default(),
            step: 0,
            outcome: Some(ConfirmedOutcome {
                outcome: Outcome::Appointment {
                    conversation: ConversationKind::KitchenTable,
                    date,
                    time: time.into(),
                    place: "thuis".into(),
                    home_visit: true,
                    worker: String::new(),
                    worker_account: None,
                },
                suggested: OutcomeKind::Appointment,
                override_reason: None,
            }),
            completed_at: None,
        }
    }

    fn question(n: u128, owner: &str, next: Option<Date>, status: QuestionStatus) -> Question {
        Question {
            id: Id::from_u128(n),
            household_id: Id::nil(),
            resident_id: Id::nil(),
            contact_id: Id::nil(),
            own_words: format!("vraag {n}"),
            life_domains: vec![],
            owner: owner.into(),
            owner_account: None,
            team_owned: false,
            status,
            next_date: next,
            next_step: String::new(),
            crisis: None,
            scheme: None,
        }
    }

    #[test]
    fn an_appointment_booked_with_a_colleague_is_in_their_work_not_mine() {
        let mut booked = scan(1, TODAY, "10:00");
        if let Some(o) = booked.outcome.as_mut() {
            if let Outcome::Appointment {
                worker,
                worker_account,
                ..
            } = &mut o.outcome
            {
                *worker = "Carla".into();
                *worker_account = Some(Id::from_u128(7));
            }
        }
        let scans = [booked, scan(2, TODAY, "11:00")];
        let carla = Worker {
            account_id: Id::from_u128(7),
            name: "Carla",
        };
        let noor = Worker {
            account_id: Id::from_u128(9),
            name: "Noor",
        };
        let hers = my_work(TODAY, Some(carla), &scans, &[], &[], &[]).appointments;
        assert_eq!(hers.len(), 2, "hers and one made before workers were named");
        let mine = my_work(TODAY, Some(noor), &scans, &[], &[], &[]).appointments;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].time, "11:00");
    }

    #[test]
    fn today_passed_and_due_soon_are_picked_out() {
        let scans = [
            scan(1, TODAY, "14:00"),
            scan(2, TODAY + time::Duration::days(1), "09:00"),
            scan(3, TODAY, "09:30"),
        ];
        let questions = [
            question(
                1,
                "Anne",
                Some(TODAY - time::Duration::days(2)),
                QuestionStatus::Open,
            ),
            question(2, "Anne", Some(TODAY), QuestionStatus::Open),
            question(
                3,
                "",
                Some(TODAY + time::Duration::days(9)),
                QuestionStatus::Open,
            ),
            question(
                4,
                "Anne",
                Some(TODAY - time::Duration::days(30)),
                QuestionStatus::Closed,
            ),
        ];
        let delivered = Goal {
            id: Id::nil(),
            life_domain: "practical".into(),
            result: "Zelf boodschappen doen".into(),
            considered: Considered::default(),
            actions: vec![Action {
                id: Id::nil(),
                description: "Boodschappendienst".into(),
                helper: Helper::Volunteer,
                who: "De Schakel".into(),
                partner_id: None,
                owner_account: None,
                due: None,
                status: ActionStatus::Done,
            }],
            evaluation: None,
        };
        let plans = [SupportPlan {
            id: Id::nil(),
            household_id: Id::from_u128(7),
            coordinator: "Anne".into(),
            goals: vec![delivered],
        }];
        let clock = |received: Date| Notification {
            id: Id::nil(),
            household_id: Id::from_u128(9),
            question_id: Id::nil(),
            clock: LegalClock {
                notification_date: Some(received),
                ..LegalClock::default()
            },
        };
        // Six weeks for the investigation: a melding of 40 days ago is due within a week, one
        // of 10 days ago is not.
        let notifications = [
            clock(TODAY - time::Duration::days(40)),
            clock(TODAY - time::Duration::days(10)),
        ];

        let work = my_work(TODAY, None, &scans, &questions, &plans, &notifications);
        let times: Vec<&str> = work.appointments.iter().map(|a| a.time.as_str()).collect();
        assert_eq!(times, ["09:30", "14:00"]);
        let ids: Vec<Id> = work.overdue_questions.iter().map(|q| q.id).collect();
        assert_eq!(
            ids,
            [Id::from_u128(1), Id::from_u128(3)],
            "passed, and the one without owner"
        );
        assert_eq!(work.evaluations_due, [Id::from_u128(7)]);
        assert!(!work.deadlines.is_empty());
        assert!(work.deadlines.iter().all(|d| d.item.days_left <= 7));
        assert!(work
            .deadlines
            .windows(2)
            .all(|w| w[0].item.due <= w[1].item.due));
        assert!(my_work(TODAY, None, &[], &[], &[], &[]).is_empty());
    }

    fn action(who: &str, owner: Option<Id>, due: Date, status: ActionStatus) -> Action {
        Action {
            id: Id::nil(),
            description: format!("actie van {who}"),
            helper: Helper::Network,
            who: who.into(),
            partner_id: None,
            owner_account: owner,
            due: Some(due),
            status,
        }
    }

    #[test]
    fn my_work_is_mine_and_the_tray_is_the_teams() {
        let (anne, bram) = (Id::from_u128(1), Id::from_u128(2));
        let passed = Some(TODAY - time::Duration::days(1));
        let mut of_bram = question(1, "Bram", passed, QuestionStatus::Open);
        of_bram.owner_account = Some(bram);
        let mut of_team = question(2, "Wijkteam", passed, QuestionStatus::Open);
        of_team.team_owned = true;
        let questions = [
            of_bram,
            of_team,
            // From before the roster: Anne's by her name.
            question(3, "anne", passed, QuestionStatus::Open),
            question(4, "", passed, QuestionStatus::Open),
        ];
        let yesterday = TODAY - time::Duration::days(1);
        let plans = [SupportPlan {
            id: Id::nil(),
            household_id: Id::from_u128(7),
            coordinator: "Anne".into(),
            goals: vec![Goal {
                id: Id::nil(),
                life_domain: "practical".into(),
                result: "Zelf koken".into(),
                considered: Considered::default(),
                actions: vec![
                    action("Anne", Some(anne), yesterday, ActionStatus::Started),
                    action("Anne", Some(anne), TODAY, ActionStatus::Planned),
                    action("Anne", None, yesterday, ActionStatus::Done),
                    action("Bram", Some(bram), yesterday, ActionStatus::Planned),
                ],
                evaluation: None,
            }],
        }];
        let me = Worker {
            account_id: anne,
            name: "Anne",
        };
        let work = my_work(TODAY, Some(me), &[], &questions, &plans, &[]);
        let ids: Vec<Id> = work.overdue_questions.iter().map(|q| q.id).collect();
        assert_eq!(ids, [Id::from_u128(3)]);
        assert_eq!(work.overdue_actions.len(), 1);
        assert_eq!(work.overdue_actions[0].due, yesterday);
        let waiting: Vec<Id> = tray(&questions).iter().map(|q| q.id).collect();
        assert_eq!(waiting, [Id::from_u128(2), Id::from_u128(4)]);
        assert_eq!(load(&questions).get(&bram), Some(&1));
        assert_eq!(load(&questions).get(&anne), None);
    }

    #[test]
    fn an_escalation_is_on_top_of_its_owners_work_until_taken_up_and_the_coordinator_sees_it_after_an_hour(
    ) {
        use crate::model::question::{Acknowledged, Crisis};
        use time::macros::datetime;
        let bram = Id::from_u128(7);
        let me = Worker {
            account_id: bram,
            name: "Bram",
        };
        let raised = datetime!(2026-11-23 09:00 +1);
        let mut crisis = question(1, "Bram", Some(TODAY), QuestionStatus::Open);
        crisis.owner_account = Some(bram);
        crisis.crisis = Some(Crisis {
            raised_at: raised,
            acknowledged: None,
        });
        let mut older = crisis.clone();
        older.id = Id::from_u128(2);
        older.crisis = Some(Crisis {
            raised_at: raised - Duration::hours(2),
            acknowledged: None,
        });
        let mut someone_elses = crisis.clone();
        someone_elses.id = Id::from_u128(3);
        someone_elses.owner = "Anne".into();
        someone_elses.owner_account = Some(Id::from_u128(8));
        let questions = [crisis.clone(), older.clone(), someone_elses.clone()];
        let work = my_work(TODAY, Some(me), &[], &questions, &[], &[]);
        let ids: Vec<Id> = work.crises.iter().map(|q| q.id).collect();
        assert_eq!(ids, vec![older.id, crisis.id], "mine, oldest first");
        assert!(work.overdue_questions.is_empty(), "not twice");
        assert!(!work.is_empty());

        // The coordinator: only what waited an hour or more, whoever owns it.
        let at = |q: &[Question], now| -> Vec<Id> {
            unanswered_crises(q, now).iter().map(|q| q.id).collect()
        };
        assert_eq!(
            at(&questions, raised + Duration::minutes(59)),
            vec![older.id]
        );
        assert_eq!(
            at(&questions, raised + CRISIS_WAIT),
            vec![older.id, crisis.id, someone_elses.id]
        );

        // Taken up: gone from both.
        let mut taken = crisis.clone();
        taken.crisis.as_mut().unwrap().acknowledged = Some(Acknowledged {
            by: "Bram".into(),
            at: raised + Duration::minutes(5),
        });
        let questions = [taken, older.clone()];
        let work = my_work(TODAY, Some(me), &[], &questions, &[], &[]);
        assert_eq!(work.crises.len(), 1);
        assert_eq!(unanswered_crises(&questions, raised + CRISIS_WAIT).len(), 1);
    }
}

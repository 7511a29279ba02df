//! The record types beyond households, residents, questions and conversations: contacts with
//! their quick scans, consents, meldingen and support plans. They come with a new household and
//! are edited like the rest (a melding's legal clock holds dates, not words).

use super::Sim;
use rand::Rng;
use shared::model::consent::{Consent, ConsentForm};
use shared::model::plan::{Considered, Goal, SupportPlan};
use shared::model::{Answer, Channel, Contact, Id, Notification, QuickScan, Role};
use shared::rules::legal_clock::LegalClock;
use shared::sync::Record;
use time::macros::{date, datetime};

impl Sim {
    /// Besides its question, a new household now and then gets a contact with its quick scan,
    /// a consent, a melding and (not from the front office, which does not see plans) a plan.
    pub(super) fn create_others(&mut self, d: usize, home: Id, resident: Id, question: Id) {
        if self.rng.random_range(0..2) == 0 {
            let (contact, scan) = (self.new_id(), self.new_id());
            let place = self.token(d, home);
            self.put(
                d,
                &Contact {
                    id: contact,
                    household_id: home,
                    resident_id: resident,
                    channel: Channel::Desk,
                    place,
                    worker: format!("worker-{d}"),
                    started_at: datetime!(2026-11-30 10:00 UTC),
                    ended_at: None,
                    quick_scan_id: scan,
                    told_notice: None,
                    signal: None,
                },
            );
            let words = self.token(d, home);
            let template = app::reference::catalogue().current_quick_scan();
            let scan = QuickScan {
                id: scan,
                contact_id: contact,
                household_id: home,
                resident_id: resident,
                template_version: template.version.clone(),
                answers: [("own_words".to_owned(), Answer::Text(words))].into(),
                step: 1,
                outcome: None,
                completed_at: None,
            };
            self.put(d, &scan);
        }
        if self.rng.random_range(0..3) == 0 {
            let (id, purpose) = (self.new_id(), self.token(d, home));
            let consent = Consent {
                id,
                household_id: home,
                resident_id: resident,
                partner_id: "schuldhulp".into(),
                purpose,
                form: ConsentForm::Spoken,
                given_on: date!(2026 - 11 - 30),
                withdrawn_on: None,
            };
            self.put(d, &consent);
        }
        if self.rng.random_range(0..3) == 0 {
            let notification = Notification {
                id: self.new_id(),
                household_id: home,
                question_id: question,
                clock: LegalClock {
                    notification_date: Some(date!(2026 - 11 - 30)),
                    ..LegalClock::default()
                },
            };
            self.put(d, &notification);
        }
        if self.devices[d].role != Role::FrontOffice && self.rng.random_range(0..3) == 0 {
            let (id, goal) = (self.new_id(), self.goal(d, home));
            let plan = SupportPlan {
                id,
                household_id: home,
                coordinator: format!("worker-{d}"),
                goals: vec![goal],
            };
            self.put(d, &plan);
        }
    }

    fn goal(&mut self, d: usize, home: Id) -> Goal {
        Goal {
            id: self.new_id(),
            life_domain: "housing".into(),
            result: self.token(d, home),
            considered: Considered {
                own_strength: String::new(),
                network: String::new(),
                community_services: String::new(),
            },
            actions: Vec::new(),
            evaluation: None,
        }
    }

    /// Words added to a contact's place, a quick scan's answer, a consent's purpose or a plan's
    /// goal (or a goal added), or a melding's clock moved on. False when this device holds no
    /// record of the type chosen.
    pub(super) fn edit_other(&mut self, d: usize) -> bool {
        match self.rng.random_range(0..5) {
            0 => {
                let Some(mut contact) = self.pick::<Contact>(d) else {
                    return false;
                };
                let token = self.token(d, contact.household_id);
                contact.place = format!("{} {token}", contact.place);
                self.put(d, &contact);
            }
            1 => {
                let Some(mut scan) = self.pick::<QuickScan>(d) else {
                    return false;
                };
                let token = self.token(d, scan.household_id);
                let words = format!("{} {token}", scan.text("own_words"));
                scan.answers.insert("own_words".into(), Answer::Text(words));
                self.put(d, &scan);
            }
            2 => {
                let Some(mut consent) = self.pick::<Consent>(d) else {
                    return false;
                };
                let token = self.token(d, consent.household_id);
                consent.purpose = format!("{} {token}", consent.purpose);
                self.put(d, &consent);
            }
            3 => {
                let Some(mut plan) = self.pick::<SupportPlan>(d) else {
                    return false;
                };
                if plan.goals.is_empty() || self.rng.random_range(0..3) == 0 {
                    let goal = self.goal(d, plan.household_id);
                    plan.goals.push(goal);
                } else {
                    let i = self.rng.random_range(0..plan.goals.len());
                    let token = self.token(d, plan.household_id);
                    plan.goals[i].result = format!("{} {token}", plan.goals[i].result);
                }
                self.put(d, &plan);
            }
            _ => {
                let Some(mut notification) = self.pick::<Notification>(d) else {
                    return false;
                };
                let day =
                    date!(2026 - 12 - 01) + time::Duration::days(self.rng.random_range(0..30));
                if self.rng.random_range(0..2) == 0 {
                    notification.clock.client_support_told_on = Some(day);
                } else {
                    notification.clock.investigation_done_on = Some(day);
                }
                self.put(d, &notification);
            }
        }
        self.stats.other_edits += 1;
        true
    }

    fn pick<T: Record>(&mut self, d: usize) -> Option<T> {
        let mut all = self.devices[d].store().list::<T>();
        if all.is_empty() {
            return None;
        }
        Some(all.swap_remove(self.rng.random_range(0..all.len())))
    }
}

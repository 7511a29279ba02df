//! What changes a household's scope or lifecycle on the server while the devices work: the
//! coordinator closes and reopens households, moves them to another team and back, adds the
//! consultant to households and takes them off, and retention removes a closed household
//! for good. Each reaches the devices through the log; what a device sends meanwhile is refused
//! and kept under "Niet verwerkt" until it can land (or, for a removed household, is thrown away
//! by the worker on purpose).

use super::common::send;
use super::Sim;
use axum::http::StatusCode;
use rand::Rng;
use shared::model::{Household, Id, Role};

/// Retention runs over the whole database: one lane at a time.
static RETENTION: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Sim {
    /// A coordinator's session (two devices are coordinators').
    fn coordinator(&mut self) -> String {
        let coordinators: Vec<usize> = (0..self.devices.len())
            .filter(|d| self.devices[*d].role == Role::Coordinator)
            .collect();
        let d = coordinators[self.rng.random_range(0..coordinators.len())];
        self.devices[d].session.clone()
    }

    /// The coordinator closes a household (changes to it are then refused, their words kept
    /// under "Niet verwerkt") or reopens one.
    pub(super) async fn close_or_reopen(&mut self, d: usize) {
        let households = self.devices[d].store().list::<Household>();
        if households.is_empty() {
            return;
        }
        let id = households[self.rng.random_range(0..households.len())].id;
        if self.moved.contains(&id) {
            // Another team's now; this device purges it at its next pull.
            return;
        }
        let session = self.coordinator();
        if self.closed.remove(&id) {
            self.reopen(id, &session).await;
        } else {
            let uri = format!("/api/households/{id}/close");
            let body = Some(r#"{"basis": "no_support"}"#.to_owned());
            match send(&self.app(), "POST", &uri, &session, body).await {
                (StatusCode::NO_CONTENT, _) => {
                    self.closed.insert(id);
                    self.stats.closed += 1;
                }
                // Not on the server yet (made offline, not pushed), or deleted there.
                (StatusCode::NOT_FOUND, _) => {}
                (status, body) => panic!("closing answered {status}: {body}"),
            }
        }
    }

    /// The coordinator moves a household to another team of the municipality (every device
    /// of this team is told to remove it, after pushing what it still holds; what it sends for
    /// it meanwhile is refused and kept under "Niet verwerkt"), or that team moves one back.
    pub(super) async fn move_away_or_back(&mut self, d: usize) {
        if !self.moved.is_empty() && self.rng.random_range(0..2) == 0 {
            let id = *self.moved.iter().next().unwrap();
            self.move_back(id).await;
            return;
        }
        let households = self.devices[d].store().list::<Household>();
        if households.is_empty() {
            return;
        }
        let id = households[self.rng.random_range(0..households.len())].id;
        if self.moved.contains(&id) || self.closed.contains(&id) {
            return;
        }
        let uri = format!("/api/households/{id}/transfer");
        let body = serde_json::json!({"team": self.away.0, "reason": "Verhuisd"}).to_string();
        let session = self.coordinator();
        match send(&self.app(), "POST", &uri, &session, Some(body)).await {
            (StatusCode::NO_CONTENT, _) => {
                self.moved.insert(id);
                self.stats.moved += 1;
            }
            // Not on the server yet (made offline, not pushed), or deleted there.
            (StatusCode::NOT_FOUND, _) => {}
            (status, body) => panic!("moving answered {status}: {body}"),
        }
    }

    pub(super) async fn move_back(&mut self, id: Id) {
        let uri = format!("/api/households/{id}/transfer");
        let body = serde_json::json!({"team": self.team, "reason": "Terug"}).to_string();
        let (status, body) = send(&self.app(), "POST", &uri, &self.away.1, Some(body)).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        self.moved.remove(&id);
        self.stats.moved_back += 1;
    }

    pub(super) async fn reopen(&mut self, id: Id, session: &str) {
        let uri = format!("/api/households/{id}/reopen");
        let (status, body) = send(&self.app(), "POST", &uri, session, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        self.stats.reopened += 1;
    }

    /// The coordinator adds the consultant to a household of the team (their device receives
    /// it) or takes them off (their device removes it; what it sends for it meanwhile is
    /// refused until they are added again).
    pub(super) async fn add_or_take_off(&mut self, d: usize) {
        let households = self.devices[d].store().list::<Household>();
        if households.is_empty() {
            return;
        }
        let id = households[self.rng.random_range(0..households.len())].id;
        let take_off = self.rng.random_range(0..2) == 0;
        let consultant = self.consultant();
        let session = self.coordinator();
        let uri = format!(
            "/api/households/{id}/workers/{}",
            self.devices[consultant].account
        );
        let method = if take_off { "DELETE" } else { "PUT" };
        match send(&self.app(), method, &uri, &session, None).await {
            (StatusCode::NO_CONTENT, _) if take_off => {
                self.taken_off.insert(id);
                self.stats.taken_off += 1;
            }
            (StatusCode::NO_CONTENT, _) => {
                self.taken_off.remove(&id);
                self.stats.added += 1;
            }
            // Not on the server yet, another team's now, or removed by retention.
            (StatusCode::NOT_FOUND, _) => {}
            (status, body) => panic!("{method} {uri} answered {status}: {body}"),
        }
    }

    pub(super) fn consultant(&self) -> usize {
        (0..self.devices.len())
            .find(|d| self.devices[*d].role == Role::Consultant)
            .expect("a consultant's device")
    }

    /// The consultant added again to every household they were taken off (before the drain,
    /// so their refused words can land).
    pub(super) async fn add_consultant_again(&mut self) {
        let consultant = self.devices[self.consultant()].account;
        let session = self.coordinator();
        for id in std::mem::take(&mut self.taken_off) {
            let uri = format!("/api/households/{id}/workers/{consultant}");
            let (status, body) = send(&self.app(), "PUT", &uri, &session, None).await;
            assert!(
                status == StatusCode::NO_CONTENT || status == StatusCode::NOT_FOUND,
                "{status}: {body}"
            );
        }
    }

    /// Retention removes a closed household whose period has passed (its closing moved back
    /// in time here): every record, conflict, receipt and log entry of it leaves the server,
    /// and every device that held it is told to remove it. The words typed in it are gone on
    /// purpose; what a device still sends for it is refused, and the worker throws that away.
    pub(super) async fn retain(&mut self) {
        let Some(&id) = self.closed.iter().next() else {
            return;
        };
        let _one_at_a_time = RETENTION.lock().await;
        sqlx::query(
            "UPDATE household_closure SET closed_at = closed_at - interval '30 years'
             WHERE household_id = $1",
        )
        .bind(id)
        .execute(&self.pool)
        .await
        .unwrap();
        let entries: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM change_log WHERE team_id = $1 AND household_id = $2",
        )
        .bind(&self.team)
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        let removed = server::retention::run(&self.pool, Default::default(), false)
            .await
            .unwrap();
        assert_eq!(removed.households, vec![id]);
        self.log_removed += entries;
        self.closed.remove(&id);
        self.taken_off.remove(&id);
        self.retained.insert(id);
        self.stats.retained += 1;
    }

    /// The nightly compaction of the team's log, with no delay: whatever a later entry
    /// supersedes goes, while devices are behind, offline or in the middle of a pull.
    pub(super) async fn compact(&mut self) {
        let compacted = server::sync::compact_log(&self.pool, Some(&self.team), 0, false)
            .await
            .unwrap();
        self.log_removed += compacted.entries() as i64;
        self.stats.compacted += compacted.entries() as usize;
    }

    /// After the last compaction, each record has one entry left per audience, and a new
    /// device for every worker receives that: `check` then holds it to what the server has,
    /// as the devices that were there all along.
    pub(super) async fn join_late(&mut self) {
        self.compact().await;
        let repeated: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT 1 FROM change_log
             WHERE team_id = $1 AND kind = 'record'
             GROUP BY record_id, audience HAVING count(*) > 1) r",
        )
        .bind(&self.team)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        assert_eq!(
            repeated, 0,
            "a record's superseded states stayed in the log"
        );
        for d in 0..super::DEVICES {
            let id = uuid::Builder::from_random_bytes(self.rng.random()).into_uuid();
            let late = super::Device {
                id,
                session: self.devices[d].session.clone(),
                account: self.devices[d].account,
                role: self.devices[d].role,
                sent: Default::default(),
                store: Some(app::store::Store::open(Default::default(), move || id).unwrap()),
                old_app: false,
                late: Vec::new(),
                cursor: 0,
            };
            self.devices.push(late);
            // In pages of the app's size: paging is what the other devices exercise.
            self.pull_pages(self.devices.len() - 1, 500).await;
        }
    }

    /// The worker throws a refused change away on purpose (audited); the device forgets it.
    pub(super) async fn discard(&mut self, d: usize, seq: u64) {
        let device = &self.devices[d];
        let body = serde_json::json!({"device_id": device.id, "seq": seq}).to_string();
        let uri = "/api/sync/rejected/discard";
        let (status, body) = send(&self.app(), "POST", uri, &device.session, Some(body)).await;
        assert!(status.is_success(), "discarding answered {status}: {body}");
        device.store().forget_rejected(seq);
        self.stats.discarded += 1;
    }
}

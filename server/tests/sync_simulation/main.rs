//! A randomized simulation of the sync protocol against a real PostgreSQL: several devices
//! (the app's own store, in memory) make offline edits to shared households while pushes are
//! lost before or after commit, duplicated, delivered late or with a gap, devices crash and
//! restart, the server restarts, an old app version is told to update mid-queue, and now and
//! then a word is pasted with a character PostgreSQL cannot store: the server refuses that
//! change and the worker corrects and resends it from "Niet verwerkt" (in a record's texts and in
//! a life domain's). The coordinator closes households and reopens them: changes to a closed
//! household are refused, kept under "Niet verwerkt" and land once it is reopened (before the
//! drain at the latest). Now and then PostgreSQL fails inside a push's transaction, after the
//! records were written (the push answers 503 and the device keeps its queue), and a worker
//! pastes a text too long to keep (the device refuses it when it is made; the form keeps it, so
//! it is not a word the store lost). The coordinator moves households to another team of the
//! municipality and that team moves them back: the devices are told to remove one (after pushing
//! what they still hold for it), what they send for it meanwhile is refused and kept under "Niet
//! verwerkt", and it lands once the household is back. After everything drains,
//! every device and the server must agree and no typed word may be lost: each is in a live
//! record, or in a tombstone whose delete was made by a worker who had that word in front of
//! them (a delete that hid newer words fails). Every record type is made and edited
//! (households, residents, questions, conversations, contacts with quick scans, consents,
//! meldingen, plans); a conversation's life domains travel one by one (`domains/<key>`), so two
//! devices typing in different domains merge and in the same domain conflict about that domain.
//! The devices belong to two coordinators, a consultant (who sees only the households they
//! registered or were added to; the coordinator adds them and takes them off) and the front
//! office (no conversations or plans). Retention removes closed households for good: their
//! words may go, nothing else, and what a device still sends for one the worker throws away.
//! The team's log is compacted at random moments with no delay (superseded states go while
//! devices are behind or between pages); after draining, a new device of every worker joins and
//! must hold what the others hold.
//!
//! The server runs as two instances (each its own pool, as two processes would), and every
//! request goes to the other one than the last: the instances keep nothing between requests.
//! `KT_SIM_POOLER=host:port` connects them through a pooler (PgBouncer, `bench/cluster`).
//!
//! `cargo test` runs seeds 1–3, CI (`scripts/test`) 1–120; `scripts/simulate-sync N` runs N
//! more (`KT_SIM_SEEDS=first..last`, `KT_SIM_LANES` at once); `KT_SIM_TRACE=1` prints every
//! push and resend of a run.

mod check;
#[path = "../common/mod.rs"]
mod common;
mod merge;
mod records;
mod scope;

use app::store::{kv::KeyValue, kv::MemoryKv, Store};
use axum::{http::StatusCode, Router};
use common::{account, add_team, router, send};
use merge::{merge_values, words_of};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde_json::Value;
use shared::model::{Conversation, Household, Id, Question, QuestionStatus, Resident, Role};
use shared::sync::{
    codes, Change, PullResponse, PushRequest, PushResponse, MIN_SCHEMA_VERSION, PROTOCOL_VERSION,
};
use sqlx::{postgres::PgPoolOptions, PgPool};
use std::collections::{BTreeSet, HashMap};

/// Small batches, so that one outbox needs several pushes and reordering has something to do.
const BATCH: usize = 4;
/// Whose devices: the team's coordinators, a consultant, the front office.
const ROLES: [Role; 4] = [
    Role::Coordinator,
    Role::Coordinator,
    Role::Consultant,
    Role::FrontOffice,
];
const DEVICES: usize = ROLES.len();
const STEPS: usize = 160;
/// The life domains conversations are typed in: few, so that devices meet in one.
const DOMAINS: [&str; 3] = ["finances", "housing", "daytime"];

#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    LostBeforeSending,
    LostAfterCommit,
    Duplicated,
    DeliveredLate,
    Gap,
    /// PostgreSQL fails inside the push's transaction, after the records were written.
    DatabaseFails,
}

struct Device {
    id: Id,
    /// The worker signed in on this device, their account and role.
    session: String,
    account: Id,
    role: Role,
    /// The record each change this device sent was about, by its number.
    sent: HashMap<u64, Id>,
    store: Option<Store<MemoryKv>>,
    /// An app version the server no longer accepts wrote the queued changes.
    old_app: bool,
    /// A push the network holds back and delivers after later ones.
    late: Vec<PushRequest>,
    cursor: u64,
}

impl Device {
    fn store(&self) -> &Store<MemoryKv> {
        self.store.as_ref().unwrap()
    }
}

struct Sim {
    /// The server's two instances; [`Sim::app`] alternates between them.
    instances: [Router; 2],
    /// Their connections, kept by the lane from seed to seed (see [`Sim::restart`]).
    connections: [PgPool; 2],
    turn: std::cell::Cell<usize>,
    pool: PgPool,
    team: String,
    rng: StdRng,
    devices: Vec<Device>,
    /// Every word any device typed, with the household it was typed for.
    typed: Vec<(String, Id)>,
    /// The household of every record made.
    homes: HashMap<Id, Id>,
    /// The words a deleting device had in front of it: a tombstone may hide those, no others.
    seen_by_deleter: BTreeSet<String>,
    next_token: usize,
    ids: u64,
    stats: Stats,
    /// Households closed on the server now.
    closed: BTreeSet<Id>,
    /// Households moved to the other team now, and that team's coordinator.
    moved: BTreeSet<Id>,
    away: (String, String),
    /// Households the consultant was taken off, and households retention removed (with the
    /// number of their log entries, which left the log with them).
    taken_off: BTreeSet<Id>,
    retained: BTreeSet<Id>,
    log_removed: i64,
}

#[derive(Debug, Default)]
struct Stats {
    edits: usize,
    pushes: usize,
    conflicts_resolved: usize,
    /// Changes the server refused (a value it cannot store), corrected and sent again.
    resent: usize,
    upgrades: usize,
    restarts: usize,
    crashes: usize,
    /// Edits in a conversation's life domain, and conflicts about one (or the whole list).
    domain_edits: usize,
    domain_conflicts: usize,
    /// Households the coordinator closed (changes to them are refused until reopened) and
    /// reopened.
    closed: usize,
    reopened: usize,
    /// Residents' details edited.
    resident_edits: usize,
    /// Texts too long to keep, refused on the device when typed (never queued).
    refused_on_device: usize,
    /// Pushes whose transaction PostgreSQL failed half-way.
    database_failures: usize,
    /// Households moved to another team of the municipality (the devices purge them) and back.
    moved: usize,
    moved_back: usize,
    /// Edits of contacts, quick scans, consents, meldingen and plans.
    other_edits: usize,
    /// The consultant added to a household by the coordinator, and taken off.
    added: usize,
    taken_off: usize,
    /// Closed households retention removed, and refused changes for them thrown away.
    retained: usize,
    discarded: usize,
    /// Log entries compaction removed (superseded states, settled conflicts).
    compacted: usize,
}

fn seeds() -> Vec<u64> {
    match std::env::var("KT_SIM_SEEDS") {
        Ok(range) => {
            let (first, last) = range.split_once("..").expect("KT_SIM_SEEDS=first..last");
            (first.parse().unwrap()..=last.parse().unwrap()).collect()
        }
        Err(_) => vec![1, 2, 3],
    }
}

/// Seeds run in this many lanes at once, each with its own workers and one team per seed
/// (`KT_SIM_LANES`, default 1): a lane waits on PostgreSQL while another computes.
fn lanes() -> usize {
    std::env::var("KT_SIM_LANES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1)
}

#[sqlx::test(fixtures("../../demo/lindeveen.sql"))]
async fn devices_and_server_agree_after_any_mix_of_faults(pool: PgPool) {
    // A device listed here fails its next push inside the transaction, after its records were
    // written: the moment a database restart or a failing disk would hit.
    sqlx::raw_sql(
        "CREATE TABLE sim_failing_device (device_id uuid PRIMARY KEY);
         CREATE FUNCTION sim_fail() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF EXISTS (SELECT 1 FROM sim_failing_device WHERE device_id = NEW.id) THEN
             RAISE EXCEPTION 'simulated failure' USING ERRCODE = '40001';
           END IF;
           RETURN NEW;
         END $$;
         CREATE TRIGGER sim_fail BEFORE UPDATE OF last_seq ON device
           FOR EACH ROW EXECUTE FUNCTION sim_fail();",
    )
    .execute(&pool)
    .await
    .unwrap();
    let seeds = seeds();
    let lanes = lanes().min(seeds.len().max(1));
    let started = std::time::Instant::now();
    let runs = (0..lanes).map(|lane| {
        let mine: Vec<u64> = seeds.iter().copied().skip(lane).step_by(lanes).collect();
        run_lane(pool.clone(), lane, mine)
    });
    let requests: usize = futures::future::join_all(runs).await.into_iter().sum();
    // What bounds the speed: every request is a transaction of the real server.
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} seeds, {requests} requests to the server ({} a seed) in {seconds:.1} s: {:.2} seeds/s, {:.0} requests/s",
        seeds.len(),
        requests / seeds.len().max(1),
        seeds.len() as f64 / seconds,
        requests as f64 / seconds,
    );
}

/// Runs `seeds` one after another; returns how many requests they made to the server.
async fn run_lane(pool: PgPool, lane: usize, seeds: Vec<u64>) -> usize {
    // The workers are made once per lane (hashing their passwords is most of a seed's cost)
    // and move to each seed's own team.
    let home = format!("lane-{lane}");
    add_team(&pool, &home).await;
    let mut workers = Vec::new();
    for role in ROLES {
        workers.push(account(&pool, role, Some(&home)).await);
    }
    // The coordinator of the team households are moved to (and back from).
    let away = account(&pool, Role::Coordinator, Some(&home)).await;
    let connections = connections(&pool).await;
    let mut requests = 0;
    for seed in seeds {
        let team = format!("team-{seed}");
        add_team(&pool, &team).await;
        sqlx::query("UPDATE account SET team_id = $1 WHERE id = ANY($2)")
            .bind(&team)
            .bind(workers.iter().map(|w| w.1).collect::<Vec<_>>())
            .execute(&pool)
            .await
            .unwrap();
        let away_team = format!("team-{seed}-away");
        add_team(&pool, &away_team).await;
        sqlx::query("UPDATE account SET team_id = $1 WHERE id = $2")
            .bind(&away_team)
            .bind(away.1)
            .execute(&pool)
            .await
            .unwrap();
        let mut sim = Sim::new(pool.clone(), connections.clone(), team, seed, &workers);
        sim.away = (away_team, away.0.clone());
        for _ in 0..STEPS {
            sim.step().await;
        }
        sim.drain().await;
        sim.join_late().await;
        sim.check().await;
        println!(
            "seed {seed}: {:?}, {} words, {} requests",
            sim.stats,
            sim.typed.len(),
            sim.turn.get()
        );
        requests += sim.turn.get();
    }
    requests
}

/// The connections of the server's two instances to `pool`'s database, a pool each (as two
/// processes would have): directly, or through the pooler at `KT_SIM_POOLER` (its transaction
/// mode needs sqlx's statement cache off).
async fn connections(pool: &PgPool) -> [PgPool; 2] {
    let direct = pool.connect_options().as_ref().clone();
    let options = match std::env::var("KT_SIM_POOLER") {
        Ok(address) => {
            let (host, port) = address.split_once(':').expect("KT_SIM_POOLER=host:port");
            direct
                .host(host)
                .port(port.parse().expect("KT_SIM_POOLER's port"))
                .ssl_mode(sqlx::postgres::PgSslMode::Disable)
                .statement_cache_capacity(0)
        }
        Err(_) => direct,
    };
    let connect = || async {
        PgPoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone())
            .await
            .unwrap()
    };
    [connect().await, connect().await]
}

/// Two freshly started instances of the server over `connections`.
fn instances(connections: &[PgPool; 2]) -> [Router; 2] {
    connections.clone().map(router)
}

impl Sim {
    /// The instance the next request goes to: the other one than the last.
    fn app(&self) -> Router {
        let turn = self.turn.get();
        self.turn.set(turn + 1);
        self.instances[turn % 2].clone()
    }

    fn new(
        pool: PgPool,
        connections: [PgPool; 2],
        team: String,
        seed: u64,
        workers: &[(String, Id)],
    ) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut devices = Vec::new();
        for ((session, account), role) in workers.iter().zip(ROLES) {
            let id = uuid::Builder::from_random_bytes(rng.random()).into_uuid();
            devices.push(Device {
                id,
                session: session.clone(),
                account: *account,
                role,
                sent: HashMap::new(),
                store: Some(Store::open(MemoryKv::default(), move || id).unwrap()),
                old_app: false,
                late: Vec::new(),
                cursor: 0,
            });
        }
        Sim {
            instances: instances(&connections),
            connections,
            turn: Default::default(),
            pool,
            team,
            rng,
            devices,
            typed: Vec::new(),
            homes: HashMap::new(),
            seen_by_deleter: BTreeSet::new(),
            next_token: 0,
            ids: 0,
            stats: Stats::default(),
            closed: BTreeSet::new(),
            moved: BTreeSet::new(),
            away: (String::new(), String::new()),
            taken_off: BTreeSet::new(),
            retained: BTreeSet::new(),
            log_removed: 0,
        }
    }

    /// Ids from the seed, so that a seed replays the same run.
    /// Rising like the app's UUIDv7s, so that "oldest first" orders are as on a device.
    fn new_id(&mut self) -> Id {
        self.ids += 1;
        Id::from_u128((u128::from(self.ids) << 64) | u128::from(self.rng.random::<u64>()))
    }

    /// A new word typed for `home` (so it must never be lost, unless retention removes `home`).
    fn plain_token(&mut self, device: usize, home: Id) -> String {
        self.next_token += 1;
        let token = format!("d{device}w{}", self.next_token);
        self.typed.push((token.clone(), home));
        token
    }

    fn token(&mut self, device: usize, home: Id) -> String {
        let token = self.plain_token(device, home);
        // Now and then pasted with a character PostgreSQL cannot store: the server refuses
        // that change, the worker corrects it under "Niet verwerkt" and sends it again.
        if self.rng.random_range(0..40) == 0 {
            return format!("{token}\u{0}");
        }
        token
    }

    async fn step(&mut self) {
        let d = self.rng.random_range(0..DEVICES);
        match self.rng.random_range(0..100) {
            0..=39 => self.edit(d),
            40..=47 => self.create(d),
            48..=49 => self.delete(d),
            50..=79 => {
                let fault = match self.rng.random_range(0..10) {
                    0 => Fault::LostBeforeSending,
                    1 => Fault::LostAfterCommit,
                    2 => Fault::Duplicated,
                    3 => Fault::DeliveredLate,
                    4 => Fault::Gap,
                    5 => Fault::DatabaseFails,
                    _ => Fault::None,
                };
                self.sync(d, fault).await;
            }
            80..=86 => self.resolve(d).await,
            87..=90 => {
                // A crash: whatever was in memory is gone, the device's storage stays.
                let kv = self.devices[d].store.take().unwrap().into_kv();
                let id = self.devices[d].id;
                self.devices[d].store = Some(Store::open(kv, move || id).unwrap());
                self.stats.crashes += 1;
            }
            93..=94 => self.close_or_reopen(d).await,
            95 => self.move_away_or_back(d).await,
            96 => self.add_or_take_off(d).await,
            97 => self.retain().await,
            91 => self.restart(),
            92 => self.compact().await,
            _ => {
                self.devices[d].old_app = true;
                self.old_app_marks(d);
            }
        }
    }

    /// The server restarts: everything it held in memory is gone (its state, its routers), the
    /// database stays. The connections stay too: PostgreSQL spent most of a seed's time
    /// starting backends for fresh ones, and the protocol keeps nothing in a connection (a
    /// connection lost in the middle of a push is the soak's fault, `bench/soak`).
    fn restart(&mut self) {
        self.instances = instances(&self.connections);
        self.stats.restarts += 1;
    }

    fn edit(&mut self, d: usize) {
        if self.rng.random_range(0..3) == 0 && self.edit_conversation(d) {
            return;
        }
        if self.rng.random_range(0..5) == 0 && self.edit_resident(d) {
            return;
        }
        if self.rng.random_range(0..4) == 0 && self.edit_other(d) {
            return;
        }
        let questions = self.devices[d].store().list::<Question>();
        if questions.is_empty() {
            return self.create(d);
        }
        let mut question = questions[self.rng.random_range(0..questions.len())].clone();
        let mut token = self.token(d, question.household_id);
        if self.rng.random_range(0..60) == 0 {
            // A pasted document: more than a text may hold.
            token.push_str(&" x".repeat(shared::sync::MAX_TEXT_CHARS));
        }
        match self.rng.random_range(0..3) {
            0 => question.own_words = format!("{} {token}", question.own_words),
            1 => question.next_step = format!("{} {token}", question.next_step),
            _ => {
                let households = self.devices[d].store().list::<Household>();
                if let Some(mut home) = households
                    .into_iter()
                    .find(|h| h.id == question.household_id)
                {
                    home.name = format!("{} {token}", home.name);
                    self.put(d, &home);
                    return;
                }
                question.own_words = format!("{} {token}", question.own_words);
            }
        }
        self.put(d, &question);
    }

    fn create(&mut self, d: usize) {
        let home = self.new_id();
        let name_token = self.token(d, home);
        let main_contact = self.new_id();
        self.put(d, &Household::for_resident(home, main_contact, &name_token));
        let given_name = self.token(d, home);
        let family_name = self.token(d, home);
        let resident = Resident {
            id: main_contact,
            household_id: home,
            given_name,
            family_name,
            birth_date: None,
            bsn: None,
            address: None,
            phone: String::new(),
            email: String::new(),
        };
        self.put(d, &resident);
        let words = self.token(d, home);
        let question = Question {
            id: self.new_id(),
            household_id: home,
            resident_id: self.new_id(),
            contact_id: self.new_id(),
            own_words: words,
            life_domains: vec!["wonen".into()],
            owner: format!("worker-{d}"),
            owner_account: None,
            team_owned: false,
            status: QuestionStatus::Open,
            next_date: None,
            next_step: String::new(),
            crisis: None,
            scheme: None,
        };
        self.put(d, &question);
        // The front office does not hold conversations or plans.
        if self.devices[d].role != Role::FrontOffice && self.rng.random_range(0..2) == 0 {
            self.create_conversation(d, home);
        }
        self.create_others(d, home, main_contact, question.id);
    }

    /// Words added to a resident's name or phone note; names are capped, so a long one is
    /// refused on the device (see `put`).
    fn edit_resident(&mut self, d: usize) -> bool {
        let residents = self.devices[d].store().list::<Resident>();
        if residents.is_empty() {
            return false;
        }
        let mut resident = residents[self.rng.random_range(0..residents.len())].clone();
        let token = self.token(d, resident.household_id);
        match self.rng.random_range(0..3) {
            0 => resident.family_name = format!("{} {token}", resident.family_name),
            1 => resident.given_name = format!("{} {token}", resident.given_name),
            _ => resident.phone = format!("{} {token}", resident.phone),
        }
        self.put(d, &resident);
        self.stats.resident_edits += 1;
        true
    }

    /// Words added to one life domain of a conversation (opened when it was not yet).
    fn edit_conversation(&mut self, d: usize) -> bool {
        let talks = self.devices[d].store().list::<Conversation>();
        if talks.is_empty() {
            return false;
        }
        let mut talk = talks[self.rng.random_range(0..talks.len())].clone();
        let domain = DOMAINS[self.rng.random_range(0..DOMAINS.len())];
        // Now and then with the unstorable character too: "Niet verwerkt" offers the refused
        // domain's texts one by one for correcting.
        let token = self.token(d, talk.household_id);
        talk.open_domain(domain);
        let entry = talk.entry_mut(domain).unwrap();
        if self.rng.random_range(0..2) == 0 {
            entry.network = format!("{} {token}", entry.network);
        } else {
            entry.own_strength = format!("{} {token}", entry.own_strength);
        }
        self.put(d, &talk);
        self.stats.domain_edits += 1;
        true
    }

    fn create_conversation(&mut self, d: usize, household_id: Id) {
        let template = app::reference::catalogue().current_conversation();
        let mut talk = Conversation::start(
            self.new_id(),
            household_id,
            &template.version,
            &format!("worker-{d}"),
            time::macros::date!(2026 - 11 - 30),
        );
        let domain = DOMAINS[self.rng.random_range(0..DOMAINS.len())];
        talk.open_domain(domain);
        talk.entry_mut(domain).unwrap().network = self.token(d, household_id);
        self.put(d, &talk);
    }

    fn delete(&mut self, d: usize) {
        let questions = self.devices[d].store().list::<Question>();
        if let Some(question) = questions.first() {
            for text in [&question.own_words, &question.next_step] {
                self.seen_by_deleter
                    .extend(text.split_whitespace().map(|w| w.replace('\0', "")));
            }
            self.devices[d]
                .store()
                .delete::<Question>(question.id)
                .unwrap();
            self.old_app_marks(d);
        }
    }

    /// Saves as a form does. A record the shared check refuses is never queued: the form
    /// shows why and keeps the text, so its new words are not the store's to keep.
    fn put<T: shared::sync::Record>(&mut self, d: usize, record: &T) {
        let value = serde_json::to_value(record).unwrap();
        let home = value["household_id"]
            .as_str()
            .map_or(record.id(), |h| h.parse().unwrap());
        self.homes.insert(record.id(), home);
        match self.devices[d].store().put(record) {
            Ok(()) => self.stats.edits += 1,
            Err(app::store::kv::StoreError::Refused(_)) => {
                let kept: BTreeSet<String> = self.devices[d]
                    .store()
                    .get::<T>(record.id())
                    .map(|r| words_of(&serde_json::to_value(r).unwrap()))
                    .unwrap_or_default();
                let typed = words_of(&value);
                self.typed
                    .retain(|(w, _)| !typed.contains(w.as_str()) || kept.contains(w.as_str()));
                self.stats.refused_on_device += 1;
            }
            Err(other) => panic!("saving failed: {other:?}"),
        }
        self.old_app_marks(d);
    }

    /// An old app stamps its queued changes with versions the server no longer accepts.
    fn old_app_marks(&self, d: usize) {
        if !self.devices[d].old_app {
            return;
        }
        let kv = self.devices[d].store().kv();
        let mut keys = kv.keys("kt/outbox/");
        keys.extend(kv.keys("kt/queue/"));
        for key in keys {
            let mut change: Change = serde_json::from_str(&kv.get(&key).unwrap()).unwrap();
            change.protocol_version = PROTOCOL_VERSION - 1;
            change.schema_version = MIN_SCHEMA_VERSION;
            kv.set(&key, &serde_json::to_string(&change).unwrap())
                .unwrap();
        }
    }

    async fn push(&mut self, d: usize, request: &PushRequest) -> (StatusCode, Value) {
        self.stats.pushes += 1;
        for change in &request.changes {
            self.devices[d].sent.insert(change.seq, change.record_id);
        }
        let body = serde_json::to_string(request).unwrap();
        let session = &self.devices[d].session;
        let answer = send(&self.app(), "POST", "/api/sync/push", session, Some(body)).await;
        if std::env::var("KT_SIM_TRACE").is_ok() {
            let seqs: Vec<String> = request
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{}:{:?}:{}:{}",
                        c.seq,
                        c.op,
                        c.record_id,
                        serde_json::Value::Object(c.fields.clone())
                    )
                })
                .collect();
            eprintln!(
                "sent d{d} {seqs:?} -> {} {}",
                answer.0, answer.1["applied_through"]
            );
        }
        answer
    }

    /// Handles a push answer as the app does.
    fn settle(&mut self, d: usize, sent: &PushRequest, status: StatusCode, body: Value) {
        let device = &mut self.devices[d];
        match status {
            StatusCode::OK => {
                let response: PushResponse = serde_json::from_value(body).unwrap();
                if std::env::var("KT_SIM_TRACE").is_ok() {
                    for r in &response.results {
                        let c = sent.changes.iter().find(|c| c.seq == r.seq).unwrap();
                        eprintln!(
                            "push d{d} seq {} {:?} {:?} {} base {} resent {} -> {:?} v{:?} {:?}",
                            c.seq,
                            c.op,
                            c.record_type,
                            c.record_id,
                            c.base_version,
                            c.resent,
                            r.outcome,
                            r.version,
                            r.reason
                        );
                    }
                }
                device.store().settle(&response, &sent.changes).unwrap();
            }
            StatusCode::UPGRADE_REQUIRED => {
                assert_eq!(body["code"], codes::UPDATE_REQUIRED);
                device.old_app = false;
                device.store().upgrade_outbox().unwrap();
                self.stats.upgrades += 1;
            }
            StatusCode::CONFLICT => assert_eq!(body["code"], codes::GAP, "{body}"),
            // The queue stays as it was: the next push sends it again.
            StatusCode::SERVICE_UNAVAILABLE => {}
            other => panic!("push answered {other}: {body}"),
        }
    }

    /// One push (with a fault) and a full pull.
    async fn sync(&mut self, d: usize, fault: Fault) {
        if let Some(late) = self.devices[d].late.pop() {
            let (status, body) = self.push(d, &late).await;
            self.settle(d, &late, status, body);
        }
        let changes = self.devices[d].store().begin_push(BATCH).unwrap();
        if !changes.is_empty() {
            let request = PushRequest {
                device_id: self.devices[d].id,
                protocol_version: if self.devices[d].old_app {
                    PROTOCOL_VERSION - 1
                } else {
                    PROTOCOL_VERSION
                },
                changes,
            };
            match fault {
                Fault::LostBeforeSending => {}
                Fault::LostAfterCommit => {
                    self.push(d, &request).await;
                }
                Fault::Duplicated => {
                    self.push(d, &request).await;
                    let (status, body) = self.push(d, &request).await;
                    self.settle(d, &request, status, body);
                }
                Fault::DeliveredLate => self.devices[d].late.push(request),
                Fault::DatabaseFails => {
                    let device = self.devices[d].id;
                    let failing = "INSERT INTO sim_failing_device VALUES ($1)";
                    sqlx::query(failing)
                        .bind(device)
                        .execute(&self.pool)
                        .await
                        .unwrap();
                    let applied_before: i64 = self.receipts(d).await;
                    let (status, body) = self.push(d, &request).await;
                    sqlx::query("DELETE FROM sim_failing_device WHERE device_id = $1")
                        .bind(device)
                        .execute(&self.pool)
                        .await
                        .unwrap();
                    // A replay of settled changes touches no counter and may still succeed;
                    // an old app is told to update before anything is written.
                    if status != StatusCode::OK && status != StatusCode::UPGRADE_REQUIRED {
                        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
                        assert_eq!(applied_before, self.receipts(d).await, "rolled back");
                        self.stats.database_failures += 1;
                    }
                    self.settle(d, &request, status, body);
                }
                Fault::Gap if request.changes.len() > 1 => {
                    let mut gapped = request.clone();
                    gapped.changes.remove(0);
                    let (status, body) = self.push(d, &gapped).await;
                    let applied_before: i64 = self.receipts(d).await;
                    if status == StatusCode::CONFLICT {
                        assert_eq!(body["code"], codes::GAP);
                    }
                    self.settle(d, &gapped, status, body);
                    assert_eq!(applied_before, self.receipts(d).await);
                }
                Fault::Gap | Fault::None => {
                    let (status, body) = self.push(d, &request).await;
                    self.settle(d, &request, status, body);
                }
            }
        }
        self.pull(d).await;
    }

    async fn receipts(&self, d: usize) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM receipt WHERE device_id = $1")
            .bind(self.devices[d].id)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    async fn pull(&mut self, d: usize) {
        self.pull_pages(d, 7).await
    }

    /// A full pull in pages of `limit` entries (small ones, so that paging has work to do).
    async fn pull_pages(&mut self, d: usize, limit: u32) {
        loop {
            let device = &self.devices[d];
            let cursor = device.store().sync_meta().cursor;
            let settled = device.store().device().unwrap().settled_through;
            let uri = format!(
                "/api/sync/pull?device_id={}&cursor={cursor}&settled={settled}&limit={limit}",
                device.id
            );
            let (status, body) = send(&self.app(), "GET", &uri, &device.session, None).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let page: PullResponse = serde_json::from_value(body).unwrap();
            // Positions rise; a worker's view skips entries meant for others (another
            // account's, a household the consultant was not added to, a plan the front office
            // does not see), so only the log itself is checked for holes (`check`).
            let positions: Vec<u64> = page.entries.iter().map(|e| e.position).collect();
            assert!(
                positions.first().is_none_or(|p| *p > cursor) && positions.is_sorted(),
                "a pull goes forward: {cursor} then {positions:?}"
            );
            device.store().apply_pull(&page).unwrap();
            let now = device.store().sync_meta().cursor;
            assert!(
                now >= self.devices[d].cursor,
                "the cursor only moves forward"
            );
            self.devices[d].cursor = now;
            if !page.more {
                break;
            }
        }
    }

    /// Every conflict settled by merging both texts, and every refused change corrected and
    /// sent again, as a worker would.
    async fn resolve(&mut self, d: usize) {
        for refused in self.devices[d].store().rejected() {
            let home = self.homes.get(&refused.change.record_id);
            if home.is_some_and(|h| self.retained.contains(h)) {
                self.discard(d, refused.change.seq).await;
            }
        }
        let store = self.devices[d].store();
        for refused in store.rejected() {
            let corrected: Vec<(String, String)> = store
                .rejected_texts(&refused)
                .into_iter()
                .map(|(f, text)| (f, text.replace('\0', "")))
                .collect();
            if std::env::var("KT_SIM_TRACE").is_ok() {
                eprintln!(
                    "resend d{d} {:?} {}: {}",
                    refused.change.op, refused.change.record_id, refused.reason
                );
            }
            store
                .resend_rejected(refused.change.seq, &corrected)
                .unwrap();
            self.stats.resent += 1;
        }
        for conflict in store.conflicts() {
            let current = store
                .kv()
                .get(&format!(
                    "kt/rec/{}/{}",
                    conflict.record_type.key(),
                    conflict.record_id
                ))
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .and_then(|stored| {
                    shared::sync::fields::field_value(
                        conflict.record_type,
                        stored["record"].as_object()?,
                        &conflict.field,
                    )
                });
            let chosen = merge_values(&[
                current.as_ref(),
                Some(&conflict.device_value),
                Some(&conflict.server_value),
            ]);
            if std::env::var("KT_SIM_TRACE").is_ok() {
                let next = store.device().unwrap().next_seq;
                eprintln!("resolve d{d} seq {next}: conflict {} field {} current {current:?} chosen {chosen}", conflict.seq, conflict.field);
            }
            store.resolve_conflict(&conflict, Some(chosen)).unwrap();
            self.stats.conflicts_resolved += 1;
            if conflict.field.starts_with("domains") {
                self.stats.domain_conflicts += 1;
            }
        }
        self.old_app_marks(d);
    }

    /// No more faults: every device empties its outbox and settles its conflicts until quiet.
    async fn drain(&mut self) {
        // What moved away comes back, and the regisseur reopens what was closed, so the
        // refused words can land.
        for id in self.moved.clone() {
            self.move_back(id).await;
        }
        let session = self.devices[0].session.clone();
        for id in std::mem::take(&mut self.closed) {
            self.reopen(id, &session).await;
        }
        self.add_consultant_again().await;
        for round in 0.. {
            if round == 29 {
                for (d, device) in self.devices.iter().enumerate() {
                    eprintln!(
                        "keys {:?} {:?} {:?}",
                        device.store().kv().keys("kt/outbox/"),
                        device.store().kv().keys("kt/queue/"),
                        device.store().device()
                    );
                    eprintln!(
                        "device {d}: outbox {:?}\nrejected {:?}\nconflicts {:?}",
                        device.store().outbox(),
                        device.store().rejected(),
                        device.store().conflicts()
                    );
                }
                let open: Vec<(String, Value, Value)> = sqlx::query_as(
                    "SELECT field, server_value, device_value FROM conflict WHERE team_id = $1 AND resolved_at IS NULL",
                )
                .bind(&self.team)
                .fetch_all(&self.pool)
                .await
                .unwrap();
                eprintln!("open on server: {open:?}");
            }
            assert!(round < 30, "sync does not settle");
            for d in 0..DEVICES {
                while !self.devices[d].late.is_empty()
                    || !self.devices[d].store().outbox().is_empty()
                {
                    self.sync(d, Fault::None).await;
                }
            }
            for d in 0..DEVICES {
                self.pull(d).await;
            }
            let open: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM conflict WHERE team_id = $1 AND resolved_at IS NULL",
            )
            .bind(&self.team)
            .fetch_one(&self.pool)
            .await
            .unwrap();
            let quiet = self
                .devices
                .iter()
                .all(|d| d.store().outbox().is_empty() && d.store().rejected().is_empty());
            if open == 0 && quiet {
                break;
            }
            for d in 0..DEVICES {
                if !self.devices[d].store().rejected().is_empty() {
                    self.resolve(d).await;
                }
            }
            self.resolve(round % DEVICES).await;
        }
    }
}

//! What applying pulled changes costs the device itself (issue 19 item 3), without the browser:
//! a fresh device's sealed store (as with a PIN) applies the 10,000 changes `bench/browser-figures`
//! puts in the team's log (1,000 households, ten versions each) in pages of 500, as the app
//! pulls them. Prints changes per second and where the time of one sealed write goes. Chromium's
//! figure (`bench/browser-figures`) adds wasm's slowdown and localStorage: there the same apply
//! takes about twelve times as long, so most of it is not the sealing. Run: `bench/pull-apply`.

use app::store::kv::MemoryKv;
use app::store::seal;
use app::store::Store;
use serde_json::json;
use shared::model::Id;
use shared::sync::{LogBody, LogEntry, PullResponse, RecordState, RecordType};
use std::time::Instant;

const CHANGES: u64 = 10_000;
const PAGE: u64 = 500;

fn page(first: u64) -> PullResponse {
    let entries = (first..first + PAGE)
        .map(|p| {
            let household = Id::from_u128(0xbe0c_u128 << 64 | u128::from(p % 1000));
            let mut fields = serde_json::Map::new();
            fields.insert("id".into(), json!(household));
            fields.insert("name".into(), json!(format!("Huishouden {p}")));
            fields.insert("members".into(), json!([]));
            LogEntry {
                position: p,
                body: LogBody::Record(RecordState {
                    record_type: RecordType::Household,
                    record_id: household,
                    household_id: household,
                    version: 1 + p / 1000,
                    deleted: false,
                    fields,
                }),
            }
        })
        .collect();
    PullResponse {
        entries,
        cursor: first + PAGE - 1,
        more: first + PAGE <= CHANGES,
        applied_through: 0,
        rejected: Vec::new(),
        waiting: None,
    }
}

/// Applies every page into a fresh sealed store; returns the seconds it took.
fn apply(pages: &[PullResponse]) -> f64 {
    let (kv, _) = seal::unlocked(MemoryKv::default());
    let store = Store::open(kv, || Id::from_u128(7)).unwrap();
    let started = Instant::now();
    for page in pages {
        store.apply_pull(page).unwrap();
    }
    started.elapsed().as_secs_f64()
}

fn main() {
    let pages: Vec<PullResponse> = (0..CHANGES / PAGE).map(|i| page(1 + i * PAGE)).collect();
    let mut runs: Vec<f64> = (0..3).map(|_| apply(&pages)).collect();
    runs.sort_by(f64::total_cmp);
    println!(
        "applying {CHANGES} pulled changes into a fresh sealed in-memory store (median of 3): \
         {:.0} ms, {:.0} changes/s",
        runs[1] * 1000.0,
        CHANGES as f64 / runs[1]
    );
    let record = r#"{"base_version":3,"own_version":0,"record":{"id":"00000000-0000-be0c-0000-000000000001","members":[],"name":"Huishouden 2001"}}"#;
    for (step, cost) in seal::write_costs(record, 20_000) {
        println!(
            "  one sealed write of such a record, {step}: {:.2} µs",
            cost * 1e6
        );
    }
}

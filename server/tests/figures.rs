//! The front door in figures against expectations counted by hand from generated data: every
//! figure, the scope (own team, all teams, another municipality), the period edges in local
//! time, deleted records, and refusals.

mod common;

use axum::http::StatusCode;
use common::{account, account_in, add_team, add_team_in, insert_record as insert, router, send};
use serde_json::{json, Value};
use shared::figures::{deadline_counts, lead_time, MeldingDates};
use shared::model::{Channel, Id, Role};
use sqlx::PgPool;
use std::collections::BTreeMap;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

async fn insert_household(pool: &PgPool, n: u128) {
    sqlx::query(
        "INSERT INTO household (id, team_id, version, fields, field_versions) VALUES ($1, $2, 1, $3, '{}')",
    )
    .bind(household_id(n))
    .bind(if n < 40 { "wijkteam" } else { "noord" })
    .bind(json!({"id": household_id(n), "name": format!("Huishouden {n}"), "members": []}))
    .execute(pool)
    .await
    .unwrap();
}

/// Households 0..40 are in `wijkteam`, 40..50 in `noord`.
fn household_id(n: u128) -> Id {
    Id::from_u128(0x1000 + n)
}

fn date_json(d: Date) -> Value {
    serde_json::to_value(d).unwrap()
}

struct Generated {
    /// (local day, channel, household) of every live contact.
    contacts: Vec<(Date, Channel, u128)>,
    /// (household, life domains) of every question.
    questions: Vec<(u128, Vec<&'static str>)>,
    /// (household, outcome kind, partner) of every completed quick scan.
    scans: Vec<(u128, &'static str, Option<&'static str>)>,
    meldingen: Vec<(u128, MeldingDates, Option<Date>)>,
}

const DOMAINS: [&str; 4] = ["finances", "housing", "mental_health", "social_network"];
const OUTCOMES: [&str; 4] = ["handled", "referred", "appointment", "notification"];
const PARTNERS: [&str; 2] = ["schuldhulp-lindeveen", "welzijn-lindeveen"];

async fn generate(pool: &PgPool) -> Generated {
    add_team(pool, "noord").await;
    for n in 0..50 {
        insert_household(pool, n).await;
    }
    let mut generated = Generated {
        contacts: vec![],
        questions: vec![],
        scans: vec![],
        meldingen: vec![],
    };
    // 200 contacts from Monday 5 January 2026, winter time (+01:00), every 6 hours.
    let start = datetime!(2026-01-05 08:00 +1);
    for i in 0..200u128 {
        let household = i % 50;
        let channel = Channel::ALL[(i % 5) as usize];
        let at: OffsetDateTime = start + Duration::hours(6 * i as i64);
        let contact = Id::from_u128(0x2000 + i);
        let deleted = i == 7;
        insert(
            pool,
            "contact",
            contact,
            household_id(household),
            json!({"id": contact, "channel": channel.key(), "started_at": at.format(&time::format_description::well_known::Rfc3339).unwrap(), "worker": "w", "place": "p"}),
            deleted,
        )
        .await;
        if deleted {
            continue;
        }
        generated.contacts.push((at.date(), channel, household));
        if i % 3 == 0 {
            let domains = vec![DOMAINS[(i % 4) as usize], DOMAINS[((i + 1) % 4) as usize]];
            let question = Id::from_u128(0x3000 + i);
            insert(pool, "question", question, household_id(household), json!({"id": question, "contact_id": contact, "life_domains": domains, "status": "open"}), false).await;
            generated.questions.push((household, domains));
        }
        if i % 2 == 0 {
            let kind = OUTCOMES[((i / 2) % 4) as usize];
            let partner = (kind == "referred").then(|| PARTNERS[((i / 8) % 2) as usize]);
            let mut outcome = json!({"kind": kind});
            if let Some(p) = partner {
                outcome["partner_id"] = json!(p);
                outcome["warm_handover"] = json!(true);
            }
            let scan = Id::from_u128(0x4000 + i);
            let completed = at + Duration::minutes(20);
            insert(pool, "quick_scan", scan, household_id(household), json!({"id": scan, "completed_at": completed.format(&time::format_description::well_known::Rfc3339).unwrap(), "outcome": {"outcome": outcome, "suggested": kind}}), false).await;
            generated.scans.push((household, kind, partner));
        }
    }
    // A contact at 23:30 local on 4 January (before the period) and one at 00:30 local on
    // 5 January (inside it), both written in UTC.
    for (i, at, inside) in [
        (900u128, datetime!(2026-01-04 22:30 UTC), false),
        (901, datetime!(2026-01-04 23:30 UTC), true),
    ] {
        let contact = Id::from_u128(0x2000 + i);
        insert(pool, "contact", contact, household_id(0), json!({"id": contact, "channel": "phone", "started_at": at.format(&time::format_description::well_known::Rfc3339).unwrap()}), false).await;
        if inside {
            generated
                .contacts
                .push((date!(2026 - 01 - 05), Channel::Phone, 0));
        }
    }
    // Meldingen for households 0..12 (own team) and 45 (noord).
    for n in (0..12u128).chain([45]) {
        let melding = date!(2026 - 01 - 12) + Duration::days((n % 16) as i64 * 3);
        let done = match n % 3 {
            0 => Some(melding + Duration::days(30)),
            1 => Some(melding + Duration::days(50)),
            _ => None,
        };
        let (application, decision) = if n % 4 == 0 {
            let a = melding + Duration::days(35);
            (
                Some(a),
                Some(a + Duration::days(if n == 0 { 10 } else { 20 })),
            )
        } else {
            (None, None)
        };
        let dates = MeldingDates {
            notification_date: melding,
            investigation_done_on: done,
            application_date: application,
            decision_on: decision,
        };
        let notification = Id::from_u128(0x5000 + n);
        let opt = |d: Option<Date>| d.map_or(Value::Null, date_json);
        insert(pool, "notification", notification, household_id(n), json!({"id": notification, "clock": {"notification_date": date_json(melding), "investigation_done_on": opt(done), "application_date": opt(application), "decision_on": opt(decision)}}), false).await;
        // A conversation before the melding (does not count) and, for even households, one
        // 5 + n days after it.
        let before = Id::from_u128(0x6000 + n);
        insert(
            pool,
            "conversation",
            before,
            household_id(n),
            json!({"id": before, "held_on": date_json(melding - Duration::days(2))}),
            false,
        )
        .await;
        let first = (n % 2 == 0).then(|| melding + Duration::days(5 + n as i64));
        if let Some(held) = first {
            let after = Id::from_u128(0x7000 + n);
            insert(
                pool,
                "conversation",
                after,
                household_id(n),
                json!({"id": after, "held_on": date_json(held)}),
                false,
            )
            .await;
        }
        generated.meldingen.push((n, dates, first));
    }
    generated
}

fn in_team(household: u128, all: bool) -> bool {
    all || household < 40
}

async fn figures(pool: &PgPool, session: &str, query: &str) -> (StatusCode, Value) {
    send(
        &router(pool.clone()),
        "GET",
        &format!("/api/figures?{query}"),
        session,
        None,
    )
    .await
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn every_figure_matches_the_hand_count(pool: PgPool) {
    let generated = generate(&pool).await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    for all in [false, true] {
        let query = format!(
            "from=2026-01-05&to=2026-02-28{}",
            if all { "&team=alle" } else { "" }
        );
        let (status, body) = figures(&pool, &coordinator, &query).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["scope"], if all { "Alle teams" } else { "Wijkteam" });

        let contacts: Vec<_> = generated
            .contacts
            .iter()
            .filter(|c| in_team(c.2, all) && c.0 <= date!(2026 - 02 - 28))
            .collect();
        let mut per_day: BTreeMap<(String, &str), i64> = BTreeMap::new();
        let mut per_week: BTreeMap<(String, &str), i64> = BTreeMap::new();
        for (day, channel, _) in &contacts {
            *per_day.entry((day.to_string(), channel.key())).or_default() += 1;
            let monday = *day - Duration::days(day.weekday().number_days_from_monday() as i64);
            *per_week
                .entry((monday.to_string(), channel.key()))
                .or_default() += 1;
        }
        let as_map = |rows: &Value| -> BTreeMap<(String, String), i64> {
            rows.as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        (
                            r["period"].as_str().unwrap().to_owned(),
                            r["channel"].as_str().unwrap().to_owned(),
                        ),
                        r["count"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let expected = |m: &BTreeMap<(String, &str), i64>| {
            m.iter()
                .map(|((d, c), n)| ((d.clone(), (*c).to_owned()), *n))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(as_map(&body["contacts_per_day"]), expected(&per_day));
        assert_eq!(as_map(&body["contacts_per_week"]), expected(&per_week));
        assert_eq!(
            body["contacts_per_day"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["count"].as_i64().unwrap())
                .sum::<i64>(),
            contacts.len() as i64
        );

        let counted = |rows: &Value| -> BTreeMap<String, i64> {
            rows.as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["key"].as_str().unwrap().to_owned(),
                        r["count"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        // Every generated contact is inside the period (the last is on 23 February).
        let mut domains: BTreeMap<String, i64> = BTreeMap::new();
        for (household, ds) in &generated.questions {
            if in_team(*household, all) {
                for d in ds {
                    *domains.entry((*d).to_owned()).or_default() += 1;
                }
            }
        }
        assert_eq!(counted(&body["questions_per_domain"]), domains);
        let mut outcomes: BTreeMap<String, i64> = BTreeMap::new();
        let mut referrals: BTreeMap<String, i64> = BTreeMap::new();
        for (household, kind, partner) in &generated.scans {
            if in_team(*household, all) {
                *outcomes.entry((*kind).to_owned()).or_default() += 1;
                if let Some(p) = partner {
                    *referrals.entry((*p).to_owned()).or_default() += 1;
                }
            }
        }
        assert_eq!(counted(&body["outcomes"]), outcomes);
        assert_eq!(counted(&body["referrals"]), referrals);
        let labels: Vec<&str> = body["referrals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["label"].as_str().unwrap())
            .collect();
        assert!(
            labels.contains(&"Schuldhulpverlening Lindeveen"),
            "{labels:?}"
        );

        let meldingen: Vec<_> = generated
            .meldingen
            .iter()
            .filter(|m| in_team(m.0, all))
            .collect();
        let days: Vec<i64> = meldingen
            .iter()
            .filter_map(|(_, d, first)| first.map(|f| (f - d.notification_date).whole_days()))
            .collect();
        let lead = lead_time(meldingen.len() as i64, days);
        assert_eq!(
            body["melding_to_conversation"],
            serde_json::to_value(&lead).unwrap()
        );
        let dates: Vec<_> = meldingen.iter().map(|m| m.1).collect();
        let today = OffsetDateTime::now_utc()
            .to_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap())
            .date();
        assert_eq!(
            body["deadlines"],
            serde_json::to_value(deadline_counts(&dates, today)).unwrap()
        );
        // By hand for the own team: households 0..12; investigation done in 30 days (n%3==0:
        // 0,3,6,9) met, in 50 days (1,4,7,10) missed, not done (2,5,8,11) long past: missed.
        if !all {
            assert_eq!(body["deadlines"][0]["met"], 4);
            assert_eq!(body["deadlines"][0]["missed"], 8);
            // Applications for 0, 4, 8: decided in 10 days (0) met, in 20 days missed.
            assert_eq!(body["deadlines"][1]["met"], 1);
            assert_eq!(body["deadlines"][1]["missed"], 2);
            assert_eq!(lead.with_conversation, 6);
        }
    }
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn the_period_is_in_local_days_and_tables_download_as_csv(pool: PgPool) {
    generate(&pool).await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    // Only 5 January: the 00:30 contact counts, the 23:30 one of the day before does not.
    let (_, body) = figures(&pool, &coordinator, "from=2026-01-05&to=2026-01-05").await;
    let day: Vec<(String, String, i64)> = body["contacts_per_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap().into(),
                r["channel"].as_str().unwrap().into(),
                r["count"].as_i64().unwrap(),
            )
        })
        .collect();
    // Contacts 0 (08:00, phone), 1 (14:00, desk) and 2 (20:00, e-mail), and the 00:30 call.
    assert_eq!(
        day,
        vec![
            ("2026-01-05".into(), "desk".into(), 1),
            ("2026-01-05".into(), "email".into(), 1),
            ("2026-01-05".into(), "phone".into(), 2),
        ]
    );
    let (status, csv) = send(
        &router(pool.clone()),
        "GET",
        "/api/figures/csv/contacten-per-dag?from=2026-01-05&to=2026-01-05",
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        csv.as_str().unwrap(),
        "\u{feff}Dag;Kanaal;Contacten\n05-01-2026;Balie;1\n05-01-2026;E-mail;1\n05-01-2026;Telefoon;2\n"
    );
}

#[sqlx::test(migrations = "./migrations", fixtures("../demo/lindeveen.sql"))]
async fn figures_are_for_coordinators_of_the_municipality(pool: PgPool) {
    add_team_in(&pool, "elders", "elders").await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (consultant, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (other, _) = account_in(&pool, Role::Coordinator, Some("elders"), "elders").await;
    let ok = "from=2026-01-01&to=2026-01-31";
    assert_eq!(
        figures(&pool, &consultant, ok).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(figures(&pool, "", ok).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        figures(&pool, &other, &format!("{ok}&team=wijkteam"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    for bad in [
        "from=2026-13-01&to=2026-01-31",
        "to=2026-01-31",
        "from=2026-02-01&to=2026-01-01",
        "from=2020-01-01&to=2026-01-01",
    ] {
        let (status, body) = figures(&pool, &coordinator, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(!body["error"].as_str().unwrap().is_empty());
    }
    let (status, _) = send(
        &router(pool.clone()),
        "GET",
        &format!("/api/figures/csv/geheim?{ok}"),
        &coordinator,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // An empty period is an answer, not an error.
    let (status, body) = figures(&pool, &coordinator, ok).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["melding_to_conversation"]["meldingen"], 0);
}

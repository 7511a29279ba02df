//! Issue 18 item 1: the ZGW export against a local ZGW test server
//! (`scripts/lib/zgw-test-server.py`) that validates every request and answer against VNG's
//! specifications (`server/zgw/`) and refuses what they refuse. A synced melding becomes one
//! zaak with its initiator, its statuses as the clock moves and the agreed report as a PDF; a
//! lost answer or a refusal is retried without a second zaak; the household record and the
//! administrator's queue show where it stands.

mod common;

use common::{account, push_ok, router, send};
use serde_json::{json, Value};
use shared::model::conversation::{AgreementAnswer, ResidentAgreement};
use shared::model::{Conversation, Id, Notification, Role};
use shared::reference::Catalogue;
use shared::rules::legal_clock::LegalClock;
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use time::macros::date;

const CLIENT_ID: &str = "keukentafel-test";
const SECRET: &str = "een geheim van de testgemeente, lang genoeg";
const RSIN: &str = "002220647";
const BSN: &str = "111222333";

/// The ZGW test server on a free port, stopped when dropped.
struct Zgw {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Zgw {
    fn start() -> Zgw {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = root.join(".tools/zgw/bin/python");
        assert!(
            python.exists(),
            "the ZGW test server's Python ({}) is missing: run scripts/setup",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(root.join("scripts/lib/zgw-test-server.py"))
            .args(["--specs", root.join("server/zgw").to_str().unwrap()])
            .args(["--client-id", CLIENT_ID, "--secret", SECRET])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the ZGW test server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("the ZGW test server said {line:?}"))
            .to_owned();
        Zgw {
            child,
            base,
            http: reqwest::Client::new(),
        }
    }

    fn settings(&self, secret: &str) -> server::zgw::ZgwSettings {
        server::zgw::ZgwSettings {
            zaken_url: format!("{}/zaken/api/v1", self.base),
            documenten_url: format!("{}/documenten/api/v1", self.base),
            catalogi_url: format!("{}/catalogi/api/v1", self.base),
            catalogus: format!(
                "{}/catalogi/api/v1/catalogussen/6d2a9e0a-1b0c-4c8e-9b1e-000000000001",
                self.base
            ),
            zaaktype: "WMO-MELDING".into(),
            informatieobjecttype: "Gespreksverslag".into(),
            rsin: RSIN.into(),
            client_id: CLIENT_ID.into(),
            secret: secret.into(),
            interval: std::time::Duration::from_secs(60),
        }
    }

    fn client(&self) -> server::zgw::ZgwClient {
        server::zgw::ZgwClient::new(self.settings(SECRET))
    }

    async fn state(&self) -> Value {
        let url = format!("{}/_test/state", self.base);
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The next `times` calls of `operation` ("POST zaken") fail with `status`, `before` doing
    /// anything or `after` (made, and the answer lost).
    async fn fail(&self, operation: &str, mode: &str, status: u16, times: u32) {
        let url = format!("{}/_test/fail", self.base);
        let body = json!({"operation": operation, "mode": mode, "status": status, "times": times});
        let answer = self.http.post(url).json(&body).send().await.unwrap();
        assert!(answer.status().is_success());
    }
}

impl Drop for Zgw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn create(
    device: Id,
    seq: u64,
    record_type: RecordType,
    id: Id,
    fields: Value,
) -> shared::sync::Change {
    common::change(device, seq, record_type, id, Operation::Create, 0, fields)
}

struct Melding {
    household: Id,
    notification: Id,
    conversation: Id,
    device: Id,
}

/// A household whose resident (with a BSN) made a melding on 2 November whose conversation
/// was held on the 16th and whose report the resident agreed to; pushed by `session`.
async fn melding(app: &axum::Router, session: &str) -> Melding {
    let (device, home, resident, contact, question, notification, talk) = (
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
    );
    let template = Catalogue::shipped().current_conversation();
    let conversation = Conversation {
        agreement: ResidentAgreement {
            answer: Some(AgreementAnswer::Agreed),
            remarks: String::new(),
            name: "Els Bakker".into(),
            date: Some(date!(2026 - 11 - 18)),
        },
        ..Conversation::start(talk, home, &template.version, "Anne", date!(2026 - 11 - 16))
    };
    let clock = LegalClock {
        notification_date: Some(date!(2026 - 11 - 02)),
        investigation_done_on: Some(date!(2026 - 11 - 16)),
        ..Default::default()
    };
    let changes = vec![
        create(
            device,
            1,
            RecordType::Household,
            home,
            json!({
                "id": home, "name": "Huishouden Bakker", "case_manager": null,
                "members": [{"resident_id": resident, "relation": "main_contact", "left_on": null, "deceased": false}]
            }),
        ),
        create(
            device,
            2,
            RecordType::Resident,
            resident,
            json!({
                "id": resident, "household_id": home, "given_name": "Els", "family_name": "Bakker",
                "birth_date": null, "bsn": BSN, "address": null, "phone": "", "email": ""
            }),
        ),
        create(
            device,
            3,
            RecordType::Question,
            question,
            json!({
                "id": question, "household_id": home, "resident_id": resident, "contact_id": contact,
                "own_words": "Ik kom de trap niet meer op.", "life_domains": [], "owner": "Anne",
                "status": "open", "next_date": null, "next_step": ""
            }),
        ),
        create(
            device,
            4,
            RecordType::Notification,
            notification,
            serde_json::to_value(Notification {
                id: notification,
                household_id: home,
                question_id: question,
                clock,
            })
            .unwrap(),
        ),
        create(
            device,
            5,
            RecordType::Conversation,
            talk,
            serde_json::to_value(&conversation).unwrap(),
        ),
    ];
    let answer = push_ok(app, session, device, changes).await;
    for result in answer["results"].as_array().unwrap() {
        assert_eq!(result["outcome"], "applied", "{answer}");
    }
    Melding {
        household: home,
        notification,
        conversation: talk,
        device,
    }
}

fn omschrijvingen(state: &Value) -> Vec<String> {
    let names = &state["statustypen"];
    let mut statussen: Vec<(String, String)> = state["statussen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["datumStatusGezet"].as_str().unwrap().to_owned(),
                names[s["statustype"].as_str().unwrap()]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    statussen.sort();
    statussen.into_iter().map(|(_, name)| name).collect()
}

fn count(state: &Value, what: &str) -> usize {
    state[what].as_array().unwrap().len()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_melding_becomes_one_zaak_that_follows_the_clock(pool: PgPool) {
    let zgw = Zgw::start();
    let client = zgw.client();
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let melding = melding(&app, &coordinator).await;

    let summary = run(&pool, &client).await;
    assert_eq!(summary.delivered, 1);
    assert_eq!(summary.failed, 0);
    let state = zgw.state().await;
    assert_eq!(count(&state, "zaken"), 1);
    let zaak = &state["zaken"][0];
    let identificatie = zaak["identificatie"].as_str().unwrap().to_owned();
    assert!(identificatie.starts_with("Z-"), "{identificatie}");
    assert_eq!(zaak["bronorganisatie"], RSIN);
    assert_eq!(zaak["startdatum"], "2026-11-02");
    // The resident as initiator, by BSN; nothing of them in the zaak's own fields.
    assert_eq!(count(&state, "rollen"), 1);
    assert_eq!(state["rollen"][0]["betrokkeneIdentificatie"]["inpBsn"], BSN);
    assert!(!zaak.to_string().contains("Bakker"));
    assert_eq!(
        omschrijvingen(&state),
        ["Melding ontvangen", "Gesprek gevoerd"]
    );
    // The agreed report: a PDF document, linked to the zaak.
    assert_eq!(count(&state, "documenten"), 1);
    let document = &state["documenten"][0];
    assert_eq!(document["formaat"], "application/pdf");
    assert_eq!(document["taal"], "dut");
    assert!(document["size"].as_u64().unwrap() > 1000, "{document}");
    assert_eq!(count(&state, "zaakinformatieobjecten"), 1);
    assert_eq!(state["zaakinformatieobjecten"][0]["zaak"], zaak["url"]);

    // The household record shows the zaak and when it was brought up to date.
    let uri = format!("/api/households/{}/zaken", melding.household);
    let (status, lines) = send(&app, "GET", &uri, &coordinator, None).await;
    assert_eq!(status, 200, "{lines}");
    assert_eq!(lines[0]["identificatie"], identificatie.as_str());
    assert_eq!(lines[0]["waiting"], false);
    assert!(lines[0]["updated_at"].is_string(), "{lines}");

    // The clock moves: a decision. The same zaak gets its status; nothing is sent twice.
    let decided = common::change(
        melding.device,
        6,
        RecordType::Notification,
        melding.notification,
        Operation::Patch,
        1,
        json!({"clock": serde_json::to_value(LegalClock {
            notification_date: Some(date!(2026 - 11 - 02)),
            investigation_done_on: Some(date!(2026 - 11 - 16)),
            application_date: Some(date!(2026 - 11 - 20)),
            decision_on: Some(date!(2026 - 11 - 30)),
            ..Default::default()
        }).unwrap()}),
    );
    push_ok(&app, &coordinator, melding.device, vec![decided]).await;
    let (_, lines) = send(&app, "GET", &uri, &coordinator, None).await;
    assert_eq!(lines[0]["waiting"], true, "queued by the push: {lines}");
    let summary = run(&pool, &client).await;
    assert_eq!(summary.delivered, 1);
    let state = zgw.state().await;
    assert_eq!(count(&state, "zaken"), 1);
    assert_eq!(count(&state, "rollen"), 1);
    assert_eq!(count(&state, "documenten"), 1);
    assert_eq!(
        omschrijvingen(&state),
        [
            "Melding ontvangen",
            "Gesprek gevoerd",
            "Aanvraag ontvangen",
            "Besluit genomen"
        ]
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'zaak_updated' AND household_id = $1",
    )
    .bind(melding.household)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
    // Nothing left to do: a run without work asks the zaaksysteem nothing.
    let before = count(&zgw.state().await, "requests");
    let summary = run(&pool, &client).await;
    assert_eq!(summary, Default::default());
    assert_eq!(count(&zgw.state().await, "requests"), before);

    // Typing in the conversation does not concern the zaak: nothing is queued.
    let typed = common::change(
        melding.device,
        7,
        RecordType::Conversation,
        melding.conversation,
        Operation::Patch,
        1,
        json!({"flagged_domains": ["finances"]}),
    );
    let answer = push_ok(&app, &coordinator, melding.device, vec![typed]).await;
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");
    let (_, lines) = send(&app, "GET", &uri, &coordinator, None).await;
    assert_eq!(lines[0]["waiting"], false, "{lines}");

    // Two registrations merged: the melding moves to the other household, its zaak with it.
    let other = Id::now_v7();
    let registered = common::new_household(melding.device, 8, other, "Huishouden Jansen");
    push_ok(&app, &coordinator, melding.device, vec![registered]).await;
    sqlx::query("UPDATE notification SET household_id = $2 WHERE id = $1")
        .bind(melding.notification)
        .bind(other)
        .execute(&pool)
        .await
        .unwrap();
    let moved = format!("/api/households/{other}/zaken");
    let (status, lines) = send(&app, "GET", &moved, &coordinator, None).await;
    assert_eq!(status, 200, "{lines}");
    assert_eq!(lines[0]["identificatie"], identificatie.as_str());
    let (_, lines) = send(&app, "GET", &uri, &coordinator, None).await;
    assert_eq!(lines, json!([]));
}

/// One run of the outbox's worker.
async fn run(pool: &PgPool, client: &server::zgw::ZgwClient) -> server::zgw::delivery::Summary {
    server::zgw::delivery::deliver_due(pool, client, 10)
        .await
        .unwrap()
}

/// Makes every waiting delivery due now, as if its backoff had passed.
async fn time_passes(pool: &PgPool) {
    sqlx::query("UPDATE zgw_outbox SET due_at = now()")
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_lost_answer_or_a_refusal_is_retried_without_a_second_zaak(pool: PgPool) {
    let zgw = Zgw::start();
    let client = zgw.client();
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let (admin, _) = account(&pool, Role::Administrator, None).await;
    let melding = melding(&app, &coordinator).await;

    // The zaak is made, but the answer is lost on the way back.
    zgw.fail("POST zaken", "after", 502, 1).await;
    let summary = run(&pool, &client).await;
    assert_eq!((summary.delivered, summary.failed), (0, 1));
    assert_eq!(count(&zgw.state().await, "zaken"), 1);

    // The administrator sees it waiting, with the failure in words; the record too.
    let (status, queue) = send(&app, "GET", "/api/zgw/queue", &admin, None).await;
    assert_eq!(status, 200, "{queue}");
    let item = &queue["items"][0];
    assert_eq!(item["attempts"], 1);
    assert_eq!(item["notification_id"], melding.notification.to_string());
    let failure = item["failure"].as_str().unwrap();
    assert!(
        failure.contains("De Zaken API weigerde het aanmaken van de zaak (502"),
        "{failure}"
    );
    let uri = format!("/api/households/{}/zaken", melding.household);
    let (_, lines) = send(&app, "GET", &uri, &coordinator, None).await;
    assert_eq!(lines[0]["waiting"], true);
    assert_eq!(lines[0]["failure"], failure);
    // Not due yet: the backoff holds it back.
    let summary = run(&pool, &client).await;
    assert_eq!(summary, Default::default());

    // The next try finds the zaak it made; a status refused once is tried again later.
    zgw.fail("POST statussen", "before", 503, 1).await;
    time_passes(&pool).await;
    let summary = run(&pool, &client).await;
    assert_eq!((summary.delivered, summary.failed), (0, 1));
    // The administrator asks for it now rather than after the backoff.
    let retry = format!("/api/zgw/queue/{}/retry", melding.notification);
    let (status, _) = send(&app, "POST", &retry, &coordinator, None).await;
    assert_eq!(status, 403, "only the administrator");
    let (status, answer) = send(&app, "POST", &retry, &admin, None).await;
    assert_eq!(status, 204, "{answer}");
    let summary = run(&pool, &client).await;
    assert_eq!((summary.delivered, summary.failed), (1, 0));
    let state = zgw.state().await;
    assert_eq!(count(&state, "zaken"), 1, "one zaak, whatever was retried");
    assert_eq!(count(&state, "rollen"), 1);
    assert_eq!(count(&state, "documenten"), 1);
    assert_eq!(
        omschrijvingen(&state),
        ["Melding ontvangen", "Gesprek gevoerd"]
    );
    let (_, queue) = send(&app, "GET", "/api/zgw/queue", &admin, None).await;
    assert_eq!(queue["items"], json!([]));
    let (_, lines) = send(&app, "GET", &uri, &coordinator, None).await;
    assert_eq!(lines[0]["waiting"], false);
    assert_eq!(lines[0]["failure"], Value::Null);
    // The queue is the administrator's; the record's zaken are for who may read the household.
    let (status, _) = send(&app, "GET", "/api/zgw/queue", &coordinator, None).await;
    assert_eq!(status, 403);
    let (outsider, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    let (status, _) = send(&app, "GET", &uri, &outsider, None).await;
    assert_eq!(status, 403);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_test_server_refuses_what_the_standard_refuses(pool: PgPool) {
    let zgw = Zgw::start();
    // A wrong secret: the zaaksysteem refuses the JWT; the failure says what to check.
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    melding(&app, &coordinator).await;
    let wrong = server::zgw::ZgwClient::new(zgw.settings("een ander geheim, ook lang genoeg"));
    let summary = run(&pool, &wrong).await;
    assert_eq!(summary.failed, 1);
    let failure: String = sqlx::query_scalar("SELECT last_error FROM zgw_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        failure.contains("(403") && failure.contains("client-id"),
        "{failure}"
    );
    assert_eq!(count(&zgw.state().await, "zaken"), 0);

    // The specification's own rules: a zaak without the Crs headers, or with a start date that
    // is no date, is refused with 400 and the standard's error body.
    let client = zgw.client();
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({"iss": CLIENT_ID, "iat": time::OffsetDateTime::now_utc().unix_timestamp(), "client_id": CLIENT_ID}),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    let body = json!({
        "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN,
        "zaaktype": format!("{}/catalogi/api/v1/zaaktypen/6d2a9e0a-1b0c-4c8e-9b1e-000000000002", zgw.base),
        "startdatum": "2026-13-45",
    });
    let url = format!("{}/zaken/api/v1/zaken", zgw.base);
    let refused = zgw
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let refused: Value = refused.json().await.unwrap();
    assert!(refused["invalidParams"].is_array(), "{refused}");
    let refused = zgw
        .http
        .post(&url)
        .bearer_auth(&token)
        .header("Accept-Crs", "EPSG:4326")
        .header("Content-Crs", "EPSG:4326")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let refused: Value = refused.json().await.unwrap();
    assert!(refused.to_string().contains("date"), "{refused}");
    // With the right secret the same melding goes through.
    time_passes(&pool).await;
    let summary = run(&pool, &client).await;
    assert_eq!(summary.delivered, 1);
    assert_eq!(count(&zgw.state().await, "zaken"), 1);
}

//! Issue 18 item 2: the resident's report and plan as a PDF made on the server from the synced
//! records: A4, tagged, titled, in Dutch, with the resident's words; only for workers who may
//! read the household's conversation and plan, with the unlocked session; audited.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{account, push_ok, router};
use http_body_util::BodyExt;
use lopdf::{Document, Object};
use serde_json::{json, Value};
use shared::model::conversation::{AgreementAnswer, DomainEntry, ResidentAgreement};
use shared::model::plan::{Action, ActionStatus, Considered, Goal, Helper, SupportPlan};
use shared::model::{Conversation, Id, Role};
use shared::reference::Catalogue;
use shared::sync::{Operation, RecordType};
use sqlx::PgPool;
use tower::ServiceExt;

/// GETs `uri` in `session` ("cookie:unlock"; the unlock part left off when `unlock` is false);
/// the status, the content type and the body's bytes.
async fn get(
    app: &axum::Router,
    uri: &str,
    session: &str,
    unlock: bool,
) -> (StatusCode, String, Vec<u8>) {
    let (cookie, proof) = session.split_once(':').unwrap();
    let mut request = Request::get(uri).header("cookie", format!("kt_session={cookie}"));
    if unlock {
        request = request.header(shared::sync::UNLOCK_HEADER, proof);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let header = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    if status == StatusCode::OK {
        assert!(
            header("content-disposition").starts_with("attachment; filename=\"verslag-en-plan-")
        );
        assert_eq!(header("cache-control"), "no-store");
    }
    (status, header("content-type"), bytes.to_vec())
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

/// A household of one resident with a conversation over one domain (its words as given), the
/// resident's answer, and a plan with one action: pushed by `session`'s device.
async fn household_with_report(app: &axum::Router, session: &str, situation: &str) -> Id {
    let (device, home, resident, talk, plan) = (
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
        Id::now_v7(),
    );
    let template = Catalogue::shipped().current_conversation();
    let domain = template.domains[0].id.clone();
    let conversation = Conversation {
        domains: vec![DomainEntry {
            domain: domain.clone(),
            answers: [("situation".to_owned(), situation.to_owned())].into(),
            network: "Mijn dochter Aylin komt op zaterdag.".into(),
            ..Default::default()
        }],
        agreement: ResidentAgreement {
            answer: Some(AgreementAnswer::AgreedWithRemarks),
            remarks: "Graag 's ochtends bellen.".into(),
            name: "Els Bakker".into(),
            date: Some(time::macros::date!(2026 - 11 - 20)),
        },
        ..Conversation::start(
            talk,
            home,
            &template.version,
            "Anne",
            time::macros::date!(2026 - 11 - 20),
        )
    };
    let support_plan = SupportPlan {
        id: plan,
        household_id: home,
        coordinator: "Anne".into(),
        goals: vec![Goal {
            id: Id::now_v7(),
            life_domain: domain,
            result: "Weer zelf boodschappen doen".into(),
            considered: Considered::default(),
            actions: vec![Action {
                id: Id::now_v7(),
                description: "Samen naar de supermarkt".into(),
                helper: Helper::Network,
                who: "dochter Aylin".into(),
                partner_id: None,
                owner_account: None,
                due: Some(time::macros::date!(2026 - 12 - 5)),
                status: ActionStatus::Planned,
            }],
            evaluation: None,
        }],
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
                "birth_date": null, "bsn": null, "address": null, "phone": "", "email": ""
            }),
        ),
        create(
            device,
            3,
            RecordType::Conversation,
            talk,
            serde_json::to_value(&conversation).unwrap(),
        ),
        create(
            device,
            4,
            RecordType::SupportPlan,
            plan,
            serde_json::to_value(&support_plan).unwrap(),
        ),
    ];
    let answer = push_ok(app, session, device, changes).await;
    for result in answer["results"].as_array().unwrap() {
        assert_eq!(result["outcome"], "applied", "{answer}");
    }
    home
}

/// The text of every page, as a PDF reader extracts it.
fn text_of(pdf: &Document) -> String {
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    pdf.extract_text(&pages).unwrap()
}

fn catalog(pdf: &Document) -> &lopdf::Dictionary {
    pdf.catalog().unwrap()
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn the_report_is_an_accessible_a4_pdf_with_the_residents_words(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, coordinator_id) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let home = household_with_report(
        &app,
        &coordinator,
        "Ik woon alleen sinds maart.\nDe trap is lastig.",
    )
    .await;
    let uri = format!("/api/households/{home}/report.pdf");

    let (status, content_type, bytes) = get(&app, &uri, &coordinator, true).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(content_type, "application/pdf");
    assert!(bytes.starts_with(b"%PDF-"));

    // `KEUKENTAFEL_DOCS_PDF=<file>` keeps it, for the screenshot in docs/.
    if let Ok(path) = std::env::var("KEUKENTAFEL_DOCS_PDF") {
        std::fs::write(path, &bytes).unwrap();
    }
    let pdf = Document::load_mem(&bytes).unwrap();
    // Tagged, in Dutch, with its title shown by readers instead of the file name.
    let catalog = catalog(&pdf);
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"nl-NL");
    let marked = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
    assert_eq!(marked.get(b"Marked").unwrap(), &Object::Boolean(true));
    assert!(catalog.has(b"StructTreeRoot"));
    let preferences = catalog
        .get(b"ViewerPreferences")
        .unwrap()
        .as_dict()
        .unwrap();
    assert_eq!(
        preferences.get(b"DisplayDocTitle").unwrap(),
        &Object::Boolean(true)
    );
    let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = pdf.get_object(info).unwrap().as_dict().unwrap();
    assert_eq!(
        info.get(b"Title").unwrap().as_str().unwrap(),
        shared::report::TITLE.as_bytes()
    );
    // A4.
    let (_, first) = pdf.get_pages().into_iter().next().unwrap();
    let media_box = pdf
        .get_object(first)
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let size: Vec<f32> = media_box.iter().map(|v| v.as_float().unwrap()).collect();
    assert!(
        (size[2] - 595.28).abs() < 0.5 && (size[3] - 841.89).abs() < 0.5,
        "{size:?}"
    );

    // The resident's words, the plan and the answer, as on the device's report.
    let text = text_of(&pdf);
    for words in [
        shared::report::TITLE,
        "Voor: Els Bakker",
        "Ik woon alleen sinds maart.",
        "De trap is lastig.",
        "Mijn dochter Aylin komt op zaterdag.",
        "Resultaat: Weer zelf boodschappen doen",
        "Samen naar de supermarkt",
        "05-12-2026",
        "Akkoord, met opmerkingen",
        "Naam: Els Bakker, datum: 20-11-2026",
    ] {
        assert!(text.contains(words), "{words:?} not in {text}");
    }

    // Each download is in the audit log, with the household.
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'print' AND detail = 'pdf'
           AND household_id = $1 AND account_id = $2",
    )
    .bind(home)
    .bind(coordinator_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn a_long_conversation_runs_over_pages_and_stays_valid(pool: PgPool) {
    let app = router(pool.clone());
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let long = (1..=400).map(|n| format!("woord{n}")).collect::<Vec<_>>().join(" ")
        + " een-woord-zonder-spaties-dat-langer-is-dan-een-hele-regel-van-het-verslag-op-papier-en-nog-wat-langer";
    let home = household_with_report(&app, &coordinator, &long).await;
    let (status, _, bytes) = get(
        &app,
        &format!("/api/households/{home}/report.pdf"),
        &coordinator,
        true,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let pdf = Document::load_mem(&bytes).unwrap();
    assert!(
        pdf.get_pages().len() >= 2,
        "{} pages",
        pdf.get_pages().len()
    );
    let text = text_of(&pdf);
    assert!(text.contains("woord1 ") && text.contains("woord400"));
}

#[sqlx::test(fixtures("../demo/lindeveen.sql"))]
async fn only_workers_who_may_read_the_plan_get_it_and_only_unlocked(pool: PgPool) {
    let app = router(pool.clone());
    common::add_team(&pool, "andere-wijk").await;
    let (coordinator, _) = account(&pool, Role::Coordinator, Some("wijkteam")).await;
    let home = household_with_report(&app, &coordinator, "Mijn woorden.").await;
    let uri = format!("/api/households/{home}/report.pdf");

    // The front office never holds conversations or plans.
    let (front_office, _) = account(&pool, Role::FrontOffice, Some("wijkteam")).await;
    let (status, _, body) = get(&app, &uri, &front_office, true).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("verslag"),
        "{body}"
    );
    // A consultant not added to the household, another team's coordinator.
    let (consultant, _) = account(&pool, Role::Consultant, Some("wijkteam")).await;
    assert_eq!(
        get(&app, &uri, &consultant, true).await.0,
        StatusCode::FORBIDDEN
    );
    let (other, _) = account(&pool, Role::Coordinator, Some("andere-wijk")).await;
    assert_eq!(get(&app, &uri, &other, true).await.0, StatusCode::NOT_FOUND);
    // A plain link carries the cookie but not the unlock proof: no resident data.
    assert_eq!(
        get(&app, &uri, &coordinator, false).await.0,
        StatusCode::UNAUTHORIZED
    );
    // An unknown household.
    let unknown = format!("/api/households/{}/report.pdf", Id::now_v7());
    assert_eq!(
        get(&app, &unknown, &coordinator, true).await.0,
        StatusCode::NOT_FOUND
    );

    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_event WHERE detail = 'pdf'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(audited, 0, "nothing refused is logged as printed");
}

//! The audit log (NEN 7513): who read, created, changed, printed or exported which household's
//! data, when, from which device. Append-only in PostgreSQL (a trigger refuses changes); the
//! privacy officer searches and exports it.

use crate::http::{csv::Csv, ApiQuery, Download, Principal};
use crate::{AppState, Result};
use axum::{extract::State, response::Response, Json};
use serde::{Deserialize, Serialize};
use shared::model::{Id, Role};
use sqlx::PgExecutor;
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    SignOut,
    AccountCreated,
    Assigned,
    Unassigned,
    Read,
    Create,
    Change,
    Delete,
    Print,
    Export,
    CoordinatorAssigned,
    Handover,
    HandoverPickedUp,
    PartnerSaved,
    PartnersImported,
    TemplatePublished,
    /// A sign-in turned away before its password was checked (locked) or after (disabled).
    SignInRefused,
    AccountChanged,
    AccountDisabled,
    AccountEnabled,
    PasswordReset,
    PasswordChanged,
    DeviceLost,
    SecondFactorEnrolled,
    SecondFactorReset,
    /// A change the server refused, thrown away by its worker on purpose.
    RejectedDiscarded,
    /// A closed household reopened by its team's coordinator.
    Reopened,
    /// The municipality searched for a resident before registering one.
    ResidentLookup,
    AccessRequested,
    AccessGranted,
    AccessRefused,
    /// A guest's access taken back by the household's coordinator.
    AccessRevoked,
    /// A household moved to another team of the municipality.
    Transferred,
    /// A household registered twice merged into the earlier registration, or the flag closed
    /// as two different residents.
    DuplicateMerged,
    DuplicateDismissed,
    AppointmentBooked,
    AnonymousContactsRecorded,
    /// Signals from outside: recorded, the inbox read, closed, become a question, the
    /// reporter told it was picked up.
    SignalRecorded,
    SignalsRead,
    SignalClosed,
    SignalBecameQuestion,
    SignalReporterTold,
    /// The ZGW export brought a melding's zaak up to date (the steps in the detail).
    ZaakUpdated,
    /// The administrator asked for a waiting ZGW delivery to be tried now.
    ZaakRetried,
}

impl Action {
    pub fn key(self) -> &'static str {
        match self {
            Action::SignIn => "sign_in",
            Action::SignInFailed => "sign_in_failed",
            Action::SignOut => "sign_out",
            Action::AccountCreated => "account_created",
            Action::Assigned => "assigned",
            Action::Unassigned => "unassigned",
            Action::Read => "read",
            Action::Create => "create",
            Action::Change => "change",
            Action::Delete => "delete",
            Action::Print => "print",
            Action::Export => "export",
            Action::CoordinatorAssigned => "coordinator_assigned",
            Action::Handover => "handover",
            Action::HandoverPickedUp => "handover_picked_up",
            Action::PartnerSaved => "partner_saved",
            Action::PartnersImported => "partners_imported",
            Action::TemplatePublished => "template_published",
            Action::SignInRefused => "sign_in_refused",
            Action::AccountChanged => "account_changed",
            Action::AccountDisabled => "account_disabled",
            Action::AccountEnabled => "account_enabled",
            Action::PasswordReset => "password_reset",
            Action::PasswordChanged => "password_changed",
            Action::DeviceLost => "device_lost",
            Action::SecondFactorEnrolled => "second_factor_enrolled",
            Action::SecondFactorReset => "second_factor_reset",
            Action::RejectedDiscarded => "rejected_discarded",
            Action::Reopened => "reopened",
            Action::ResidentLookup => "resident_lookup",
            Action::AccessRequested => "access_requested",
            Action::AccessGranted => "access_granted",
            Action::AccessRefused => "access_refused",
            Action::AccessRevoked => "access_revoked",
            Action::Transferred => "transferred",
            Action::DuplicateMerged => "duplicate_merged",
            Action::DuplicateDismissed => "duplicate_dismissed",
            Action::AppointmentBooked => "appointment_booked",
            Action::AnonymousContactsRecorded => "anonymous_contacts_recorded",
            Action::SignalRecorded => "signal_recorded",
            Action::SignalsRead => "signals_read",
            Action::SignalClosed => "signal_closed",
            Action::SignalBecameQuestion => "signal_became_question",
            Action::SignalReporterTold => "signal_reporter_told",
            Action::ZaakUpdated => "zaak_updated",
            Action::ZaakRetried => "zaak_retried",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Event {
    action: Action,
    municipality: Option<String>,
    account: Option<Id>,
    device: Option<Id>,
    household: Option<Id>,
    record_type: Option<String>,
    record: Option<Id>,
    detail: Option<String>,
}

impl Event {
    pub fn new(action: Action) -> Self {
        Event {
            action,
            municipality: None,
            account: None,
            device: None,
            household: None,
            record_type: None,
            record: None,
            detail: None,
        }
    }

    pub fn by(principal: &Principal, action: Action) -> Self {
        Self::new(action).account(principal.account_id, &principal.municipality)
    }

    pub fn account(mut self, account: Id, municipality: &str) -> Self {
        self.account = Some(account);
        self.municipality = Some(municipality.to_owned());
        self
    }

    /// The municipality of an event no person caused (a step the server takes itself).
    pub fn municipality(mut self, municipality: &str) -> Self {
        self.municipality = Some(municipality.to_owned());
        self
    }

    pub fn device(mut self, device: Id) -> Self {
        self.device = Some(device);
        self
    }

    pub fn household(mut self, household: Id) -> Self {
        self.household = Some(household);
        self
    }

    pub fn record(mut self, record_type: &str, record: Id) -> Self {
        self.record_type = Some(record_type.to_owned());
        self.record = Some(record);
        self
    }

    pub fn detail(mut self, detail: &str) -> Self {
        self.detail = Some(detail.to_owned());
        self
    }
}

/// Appends one event (inside the caller's transaction when given one).
pub async fn record<'e>(db: impl PgExecutor<'e>, event: Event) -> Result<()> {
    sqlx::query!(
        "INSERT INTO audit_event
             (municipality_id, account_id, device_id, action, household_id, record_type, record_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        event.municipality,
        event.account,
        event.device,
        event.action.key(),
        event.household,
        event.record_type,
        event.record,
        event.detail
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One `read` per household whose records reached a device, in one statement (a pull page may
/// touch hundreds of households): the first time that day (in Amsterdam) for that device. A
/// later pull the same day tells the privacy officer nothing the first did not (that device
/// holds that household's data), and a team syncing every minute would otherwise write a row
/// per household per minute, most of a pull's cost (`bench/load`). What a worker opens on the
/// device is recorded each time (`POST /api/audit/access`).
pub async fn record_reads<'e>(
    db: impl PgExecutor<'e>,
    principal: &Principal,
    device: Id,
    households: &[Id],
) -> Result<()> {
    if households.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO audit_event (municipality_id, account_id, device_id, action, household_id, detail)
         SELECT $1, $2, $3, 'read', h, 'sync' FROM UNNEST($4::uuid[]) AS h
         WHERE NOT EXISTS (
             SELECT 1 FROM audit_event e
             WHERE e.household_id = h AND e.device_id = $3 AND e.action = 'read'
               AND e.detail = 'sync'
               AND e.at >= date_trunc('day', now() AT TIME ZONE 'Europe/Amsterdam')
                             AT TIME ZONE 'Europe/Amsterdam')",
        principal.municipality,
        principal.account_id,
        device,
        households
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The records a push created, changed or deleted, written to the log in one statement.
#[derive(Default)]
pub struct ChangeBatch {
    actions: Vec<String>,
    households: Vec<Id>,
    record_types: Vec<String>,
    records: Vec<Id>,
}

impl ChangeBatch {
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Drops the rows after the first `len` (a change rolled back to its savepoint).
    pub fn truncate(&mut self, len: usize) {
        self.actions.truncate(len);
        self.households.truncate(len);
        self.record_types.truncate(len);
        self.records.truncate(len);
    }

    pub fn push(&mut self, action: Action, household: Id, record_type: &str, record: Id) {
        self.actions.push(action.key().to_owned());
        self.households.push(household);
        self.record_types.push(record_type.to_owned());
        self.records.push(record);
    }

    pub async fn write<'e>(
        self,
        db: impl PgExecutor<'e>,
        principal: &Principal,
        device: Id,
    ) -> Result<()> {
        if self.actions.is_empty() {
            return Ok(());
        }
        sqlx::query!(
            "INSERT INTO audit_event
                 (municipality_id, account_id, device_id, action, household_id, record_type, record_id)
             SELECT $1, $2, $3, a, h, t, r
             FROM UNNEST($4::text[], $5::uuid[], $6::text[], $7::uuid[]) AS e(a, h, t, r)",
            principal.municipality,
            principal.account_id,
            device,
            &self.actions,
            &self.households,
            &self.record_types,
            &self.records
        )
        .execute(db)
        .await?;
        Ok(())
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(export))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Search {
    #[param(value_type = Option<uuid::Uuid>)]
    household_id: Option<Id>,
    #[param(value_type = Option<uuid::Uuid>)]
    account_id: Option<Id>,
    limit: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Row {
    id: i64,
    at: String,
    #[schema(value_type = Option<uuid::Uuid>)]
    account_id: Option<Id>,
    account_name: Option<String>,
    #[schema(value_type = Option<uuid::Uuid>)]
    device_id: Option<Id>,
    action: String,
    #[schema(value_type = Option<uuid::Uuid>)]
    household_id: Option<Id>,
    record_type: Option<String>,
    #[schema(value_type = Option<uuid::Uuid>)]
    record_id: Option<Id>,
    detail: Option<String>,
}

async fn rows(state: &AppState, principal: &Principal, search: &Search) -> Result<Vec<Row>> {
    principal.require(&[Role::PrivacyOfficer])?;
    let limit = search.limit.unwrap_or(500).clamp(1, 10_000);
    let found = sqlx::query!(
        r#"SELECT e.id, e.at, e.account_id, a.name AS "account_name?", e.device_id, e.action,
                  e.household_id, e.record_type, e.record_id, e.detail
           FROM audit_event e LEFT JOIN account a ON a.id = e.account_id
           WHERE e.municipality_id = $1
             AND ($2::uuid IS NULL OR e.household_id = $2)
             AND ($3::uuid IS NULL OR e.account_id = $3)
           ORDER BY e.id DESC LIMIT $4"#,
        principal.municipality,
        search.household_id,
        search.account_id,
        limit
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(found
        .into_iter()
        .map(|r| Row {
            id: r.id,
            at: r
                .at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            account_id: r.account_id,
            account_name: r.account_name,
            device_id: r.device_id,
            action: r.action,
            household_id: r.household_id,
            record_type: r.record_type,
            record_id: r.record_id,
            detail: r.detail,
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/api/audit",
    tag = "audit",
    params(Search),
    responses(
        (status = 200, description = "The audit log's events, newest first", body = [Row]),
        crate::openapi::Refusals,
    ),
    security(("session" = [], "unlock" = [])),
)]
async fn search(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<Search>,
) -> Result<Json<Vec<Row>>> {
    let search = query;
    Ok(Json(rows(&state, &principal, &search).await?))
}

/// The same search as CSV, for the privacy officer's own tools. The export itself is logged.
#[utoipa::path(
    get,
    path = "/api/audit/export",
    tag = "audit",
    params(Search),
    responses(
        (status = 200, description = "The same events as CSV (`;`, UTF-8 with BOM)", content_type = "text/csv", body = String),
        crate::openapi::Refusals,
    ),
    security(("session" = [])),
)]
async fn export(
    State(state): State<AppState>,
    Download(principal): Download,
    ApiQuery(query): ApiQuery<Search>,
) -> Result<Response> {
    let search = query;
    let rows = rows(&state, &principal, &search).await?;
    record(
        &state.pool,
        Event::by(&principal, Action::Export).detail("audit log"),
    )
    .await?;
    let mut csv = Csv::new(&[
        "id",
        "at",
        "account_id",
        "account_name",
        "device_id",
        "action",
        "household_id",
        "record_type",
        "record_id",
        "detail",
    ]);
    let text = |v: Option<Id>| v.map(|i| i.to_string()).unwrap_or_default();
    for r in rows {
        csv.row(&[
            r.id.to_string(),
            r.at,
            text(r.account_id),
            r.account_name.unwrap_or_default(),
            text(r.device_id),
            r.action,
            text(r.household_id),
            r.record_type.unwrap_or_default(),
            text(r.record_id),
            r.detail.unwrap_or_default(),
        ]);
    }
    Ok(csv.download("auditlog.csv"))
}

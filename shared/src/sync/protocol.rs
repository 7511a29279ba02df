//! What travels over the wire: push and pull requests and responses (see docs/sync.md).

use super::{Change, RecordType};
use crate::model::Id;
use serde::{Deserialize, Serialize};

/// The most changes one push may carry; the device sends its outbox in batches of this size.
pub const MAX_PUSH_BATCH: usize = 200;
/// The most bytes of changes (as JSON) one push carries, well under the server's 4 MiB body
/// limit. A single change is never larger (`MAX_RECORD_BYTES`), so the queue never jams.
pub const MAX_PUSH_BYTES: usize = 2 * 1024 * 1024;
/// The most log entries one pull page returns.
pub const MAX_PULL_PAGE: u32 = 500;

/// A device's changes, in order, without gaps (earlier numbers already applied are skipped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub device_id: Id,
    pub protocol_version: u32,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The device's last change number the server has settled (applied, conflicted or
    /// rejected): the device drops every outbox entry up to here.
    pub applied_through: u64,
    pub results: Vec<ChangeResult>,
    /// The device was marked lost or its worker's account disabled: once its outbox is pushed
    /// it wipes itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wipe: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOutcome {
    /// Every field was written (or already had that value).
    Applied,
    /// At least one field had changed on the server since the change's base version: those
    /// fields became conflict records, the others were written.
    Conflict,
    /// The change can never be applied (invalid, forbidden, unknown record); the reason is kept.
    Rejected,
    /// This change number was settled before: a replay, nothing done.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeResult {
    pub seq: u64,
    pub outcome: ChangeOutcome,
    /// Why a change was rejected, in words for the worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The record's version after an applied (or conflicted) change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

/// One page of the scope's log after a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub entries: Vec<LogEntry>,
    /// Where the next pull starts: the position of the last entry, or the request's cursor.
    pub cursor: u64,
    /// More entries wait after this page.
    pub more: bool,
    /// As in [`PushResponse`], so a device whose push answer was lost still drops its outbox.
    pub applied_through: u64,
    /// This device's changes the server refused after the number the pull names as settled
    /// (`settled=`): a device whose push answer was lost learns of them here, with their
    /// reasons, before it drops its outbox up to `applied_through`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<ChangeResult>,
    /// What waits after this page, when the device asked (`waiting=true`, on a sync's first
    /// page) and more waits: a device that would not hold it says so before it fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Waiting>,
}

/// The entries of a device's view of the log after a page, and their size as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Waiting {
    pub entries: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogEntry {
    /// 1, 2, 3, … per scope, handed out in commit order.
    pub position: u64,
    #[serde(flatten)]
    pub body: LogBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogBody {
    /// A record's whole state after a change (or after a push that left it as it was).
    Record(RecordState),
    Conflict(Conflict),
    Resolved {
        #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
        conflict_id: Id,
    },
    /// The household moved to another team: this team's devices remove it, once their queued
    /// changes to it are pushed.
    LeftScope {
        #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
        household_id: Id,
    },
}

/// A record as the server holds it. Whole states travel, not deltas, so a device that missed
/// or overlaid an entry converges on the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordState {
    pub record_type: RecordType,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub record_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub version: u64,
    pub deleted: bool,
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// One field two workers changed from the same version: the server kept the first, the
/// second waits here for a worker to choose. Nothing is dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: Id,
    pub record_type: RecordType,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub record_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
    pub field: String,
    /// The value on the server when the change arrived (a deleted record keeps its values).
    pub server_value: serde_json::Value,
    /// The value the device sent.
    pub device_value: serde_json::Value,
    /// The record was deleted on the server: choosing the device value restores it.
    pub deleted_on_server: bool,
    /// The device deleted the record while another worker still changed it (`field` is
    /// `WHOLE_RECORD`, `server_value` those changes): keeping it undoes the delete.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted_on_device: bool,
    /// The record's version when the conflict arose: a resolution is based on it.
    pub server_version: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub device_id: Id,
    pub seq: u64,
}

/// `POST /api/sync/rejected/discard`: the worker throws away a change the server refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscardRejected {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub device_id: Id,
    pub seq: u64,
}

/// The body of every 4xx/5xx answer. `code` is stable for programs; `error` is for people;
/// `fields` says which form field each problem is about, for a form to show beside the field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::rules::validation::FieldError>,
}

/// Error codes the client acts on.
pub mod codes {
    /// The app is older than the server accepts: update, then replay the outbox.
    pub const UPDATE_REQUIRED: &str = "update_required";
    /// The batch skips change numbers: send again from the oldest outbox entry.
    pub const GAP: &str = "gap";
    /// This device belongs to another worker or team, or the role may not do this.
    pub const FORBIDDEN: &str = "forbidden";
    /// No session: sign in first.
    pub const SIGNED_OUT: &str = "signed_out";
    /// The app locked itself and said so: it resumes the session when unlocked.
    pub const SESSION_LOCKED: &str = "session_locked";
    /// A one-time password is in use: change it first.
    pub const PASSWORD_CHANGE_REQUIRED: &str = "password_change_required";
    /// The device was marked lost: push what it holds, then wipe.
    pub const DEVICE_LOST: &str = "device_lost";
    /// The account was disabled (a leaver): push what the device holds, then wipe.
    pub const ACCOUNT_DISABLED: &str = "account_disabled";
    /// The password was right: the code from the authenticator app is needed too.
    pub const SECOND_FACTOR_REQUIRED: &str = "second_factor_required";
    /// The worker has not set up the second factor yet: do that first.
    pub const SECOND_FACTOR_SETUP_REQUIRED: &str = "second_factor_setup_required";
}

/// The header that proves the app on the device is unlocked (see docs/privacy.md).
pub const UNLOCK_HEADER: &str = "x-keukentafel-unlock";

/// Upgrades a change from an older (still accepted) schema to the current one. Schema 0 and 1
/// have the same record shapes; a future schema change adds its field mapping here, once,
/// for the server and for a device that updates with changes still queued.
pub fn upgrade(mut change: Change) -> Change {
    change.schema_version = super::SCHEMA_VERSION;
    change
}

/// What a worker did with a household's data on the device, for the audit log (NEN 7513): also
/// reads made offline reach the server, with the time they happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    Read,
    Print,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessEvent {
    /// 1, 2, 3, … per device: a resent event is recorded once.
    pub seq: u64,
    /// When it happened, by the device's clock (RFC 3339).
    pub at: String,
    pub action: AccessAction,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub household_id: Id,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReport {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub device_id: Id,
    pub events: Vec<AccessEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReceipt {
    /// The device drops its access events up to here.
    pub recorded_through: u64,
}

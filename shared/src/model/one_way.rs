//! Things a device makes once and never edits (an anonymous contact, a signal from outside):
//! kept on the device, offline too, and sent at each sync by id, so one whose answer was lost
//! is sent again and still stored once. They are not household records and do not go through
//! the versioned record protocol.

use super::Id;
use crate::rules::validation::FieldErrors;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// One kind of one-way item: where the device keeps it and where it is sent.
pub trait OneWay: Serialize + DeserializeOwned {
    /// The device's key prefix (`kt/{KIND}/`).
    const KIND: &'static str;
    /// The server's route that stores a batch.
    const ROUTE: &'static str;
    fn id(&self) -> Id;
    /// The device checks before keeping it, the server before storing it.
    fn check(&self) -> Result<(), FieldErrors>;
}

/// The most items sent at once.
pub const MAX_ONE_WAY_BATCH: usize = 200;

/// The server's answer to a batch: each id it now holds (stored now or before), and each it
/// refused with why (the device keeps those).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneWayReceipt {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    pub stored: Vec<Id>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::openapi::Refusal>))]
    pub refused: Vec<(Id, String)>,
}

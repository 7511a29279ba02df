//! The records Keukentafel keeps, one module per aggregate. Ids are UUIDv7 made on the device,
//! so nothing needs the server to be created.

pub mod account;
pub mod anonymous_contact;
pub mod caseload;
pub mod consent;
pub mod contact;
pub mod conversation;
pub mod household;
pub mod involved;
pub mod notification;
pub mod one_way;
pub mod outside_signal;
pub mod plan;
pub mod question;
pub mod quick_scan;
pub mod resident;
pub mod scheme;
pub mod timeline;

pub use account::{AccountSummary, DeviceSummary, Role, SessionInfo, SignedIn};
pub use anonymous_contact::{AnonymousContact, Given};
pub use contact::{Channel, Contact};
pub use conversation::{Conversation, ConversationStatus, DomainEntry};
pub use household::{CaseManager, Closure, Household, HouseholdMember, Relation};
pub use involved::{InvolvedParty, SharingBasis};
pub use notification::Notification;
pub use one_way::{OneWay, OneWayReceipt};
pub use outside_signal::{OutsideSignal, Reporter};
pub use question::{Owner, Question, QuestionStatus};
pub use quick_scan::{Answer, ConfirmedOutcome, Outcome, OutcomeKind, QuickScan, Signal};
pub use resident::{Address, Resident, ResidentDraft};
pub use scheme::Scheme;

/// Every record's id.
pub type Id = uuid::Uuid;

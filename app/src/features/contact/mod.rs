//! Starting a contact: channel, place and worker, then finding or registering the resident.

mod anonymous;
mod known;
mod new;
mod resident_fields;

pub use anonymous::AnonymousContactPage;
pub use new::NewContactPage;
pub use resident_fields::ResidentFields;

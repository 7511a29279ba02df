//! Starting a contact: channel, place and worker, then finding or registering the resident.

mod new;

pub use new::NewContactPage;

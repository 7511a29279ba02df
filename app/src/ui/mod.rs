//! Shared UI components: layout and form building blocks, no business rules.

pub mod form;
mod layout;
mod loaded;
mod role;

pub use layout::AppLayout;
pub use loaded::{route_id, when_loaded};
pub use role::{note, note_read, RoleGate};

//! Shared UI components: layout and form building blocks, no business rules.

pub mod form;
mod layout;
mod loaded;

pub use layout::AppLayout;
pub use loaded::{route_id, when_loaded};

//! Shared UI components: layout and form building blocks, no business rules.

pub mod form;
mod layout;

pub use layout::AppLayout;

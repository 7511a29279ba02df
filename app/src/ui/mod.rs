//! Shared UI components: layout and building blocks, no business rules.

mod layout;

pub use layout::AppLayout;

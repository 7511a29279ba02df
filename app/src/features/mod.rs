//! One module (or folder) per feature the worker sees.

pub mod about;
pub mod not_found;
pub mod today;

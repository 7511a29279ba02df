//! Domain rules both sides apply: validation, quick-scan routing.

pub mod bsn;
pub mod postcode;
pub mod quick_scan_routing;
pub mod validation;

//! Domain rules both sides apply: validation, quick-scan routing, the legal clock.

pub mod agenda;
pub mod bsn;
pub mod duplicates;
pub mod legal_clock;
pub mod lookup;
pub mod my_work;
pub mod postcode;
pub mod quick_scan_routing;
pub mod validation;

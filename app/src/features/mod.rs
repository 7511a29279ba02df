//! One module (or folder) per feature the worker sees.

pub mod about;
pub mod access_requests;
pub mod account;
pub mod accounts;
pub mod agenda;
pub mod audit_log;
pub mod caseload;
pub mod contact;
pub mod conversation;
pub mod duplicates;
pub mod figures;
pub mod handover_form;
pub mod household;
pub mod not_found;
pub mod plan;
pub mod quick_scan;
pub mod reference_data;
pub mod report;
pub mod second_factor;
pub mod signals;
pub mod social_map;
pub mod social_map_page;
pub mod today;
pub mod tray;
pub mod zgw_queue;

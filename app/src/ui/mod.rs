//! Shared UI components: layout and form building blocks, no business rules.

pub mod form;
mod layout;
mod loaded;
pub mod online;
pub mod owner;
mod role;

pub use layout::AppLayout;
pub use loaded::{route_id, when_loaded};
pub use role::{note, note_read, RoleGate};

/// "1 open vraag", "3 open vragen": a count with the word in the right number.
pub fn counted(n: i64, one: &str, many: &str) -> String {
    if n == 1 || n == -1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular() {
        assert_eq!(
            super::counted(1, "open vraag", "open vragen"),
            "1 open vraag"
        );
        assert_eq!(super::counted(0, "rij", "rijen"), "0 rijen");
        assert_eq!(super::counted(12, "dag", "dagen"), "12 dagen");
    }
}

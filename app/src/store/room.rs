//! Room on the device for what a pull brings (issue 19 item 5). A pull counts what each entry
//! really took, sealed and compressed, and a sync's first page says whether the rest will fit,
//! so a device that would not hold its scope says so before it fills.

use serde::{Deserialize, Serialize};
use shared::sync::Waiting;

/// Entries start only while this many bytes a byte of JSON are left: stored as UTF-16 and
/// sealed, an entry deflate gains nothing on takes at most that.
const MOST_PER_JSON_BYTE: usize = 3;

/// A pull's room: what may still be used before the reserve (`None`: the store knows no
/// quota), and what the entries so far took against their JSON.
#[derive(Debug, Default, Clone, Copy)]
pub struct Room {
    left: Option<usize>,
    json: usize,
    took: usize,
}

impl Room {
    pub fn new(left: Option<usize>) -> Self {
        Self {
            left,
            ..Self::default()
        }
    }

    /// Whether an entry of `json` bytes may start.
    pub fn may_take(&self, json: usize) -> bool {
        self.left
            .is_none_or(|left| MOST_PER_JSON_BYTE * json <= left)
    }

    /// An entry of `json` bytes took `took` (`None`: not counted, the most is assumed).
    pub fn took(&mut self, json: usize, took: Option<usize>) {
        let took = took.unwrap_or(MOST_PER_JSON_BYTE * json);
        self.json += json;
        self.took += took;
        if let Some(left) = self.left.as_mut() {
            *left = left.saturating_sub(took);
        }
    }

    /// Whether `waiting` fits, at what the entries so far took a byte of their JSON (the most
    /// before any). The server counts PostgreSQL's text of the entries, a little longer than
    /// the JSON counted here: the estimate errs towards warning.
    pub fn foresee(&self, waiting: Waiting) -> Option<ShortOfRoom> {
        let left = self.left? as u64;
        let needed = match self.json {
            0 => MOST_PER_JSON_BYTE as u64 * waiting.bytes,
            json => waiting.bytes.saturating_mul(self.took as u64) / json as u64,
        };
        (needed > left).then_some(ShortOfRoom { needed, left })
    }
}

/// What waits for this device would take more than the room it has (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortOfRoom {
    pub needed: u64,
    pub left: u64,
}

impl ShortOfRoom {
    /// What the worker is told, from the sync's first page until a sync finds it fits.
    pub fn message(&self) -> String {
        format!(
            "Niet alles past op dit apparaat: er wacht nog ongeveer {} aan gegevens, er is ruimte voor {}. Keukentafel haalt op wat past en houdt ruimte vrij om te blijven typen. Geef huishoudens die je niet meer nodig hebt vrij aan een collega, of vraag de beheerder om hulp.",
            megabytes(self.needed),
            megabytes(self.left)
        )
    }
}

/// "14,2 MB", as a Dutch reader writes it.
fn megabytes(bytes: u64) -> String {
    let tenths = (bytes * 10 + 500_000) / 1_000_000;
    format!("{},{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_waits_is_foreseen_at_what_entries_so_far_took() {
        let mut room = Room::new(Some(1_000_000));
        // Before any entry, the most: 400 kB of JSON may take 1.2 MB.
        let waiting = Waiting {
            entries: 1_000,
            bytes: 400_000,
        };
        assert_eq!(
            room.foresee(waiting),
            Some(ShortOfRoom {
                needed: 1_200_000,
                left: 1_000_000
            })
        );
        // Entries that took half their JSON: 200 kB, it fits.
        room.took(10_000, Some(5_000));
        assert_eq!(room.foresee(waiting), None);
        let more = Waiting {
            entries: 5_000,
            bytes: 3_000_000,
        };
        let short = room.foresee(more).unwrap();
        assert_eq!((short.needed, short.left), (1_500_000, 995_000));
        assert!(
            short.message().contains("ongeveer 1,5 MB") && short.message().contains("1,0 MB"),
            "{}",
            short.message()
        );
        // A store without a quota never runs short.
        assert_eq!(Room::new(None).foresee(more), None);
    }

    #[test]
    fn an_entry_starts_only_with_room_for_the_most_it_can_take() {
        let mut room = Room::new(Some(3_000));
        assert!(room.may_take(1_000));
        assert!(!room.may_take(1_001));
        room.took(1_000, None);
        assert!(!room.may_take(1));
        assert!(Room::new(None).may_take(usize::MAX / 4));
    }
}

//! Writes made just after the next paint: an autosave while the worker types or taps. Sealing
//! and queueing a long record costs more than drawing the key that changed it, so the key is on
//! screen first. A write waits at most one frame and is never skipped:
//!
//! - pending writes are keyed by what they write; a newer write of the same thing replaces one
//!   not yet made (a burst of keys within one frame makes one write), in the older one's place;
//! - every other use of the device store makes the pending writes first (`with_device_store`),
//!   so nothing reads around them and a later write never lands before them;
//! - locking the app makes them before the key is dropped, and so does a page that is hidden or
//!   left (a hidden page paints no frame).

use std::cell::{Cell, RefCell};

type Write = Box<dyn FnOnce()>;

thread_local! {
    static PENDING: RefCell<Vec<(String, Write)>> = const { RefCell::new(Vec::new()) };
    /// Set while the pending writes are made: their own store use must not make them again.
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// Makes `write` after the next paint, or replaces the pending write of the same `key`.
pub fn write_soon(key: String, write: impl FnOnce() + 'static) {
    PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        match pending.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = Box::new(write),
            None => pending.push((key, Box::new(write))),
        }
    });
    schedule();
}

/// Makes every pending write now, in the order they were first asked for. Does nothing while
/// already doing so (a pending write uses the store too).
pub fn flush() {
    if FLUSHING.replace(true) {
        return;
    }
    while let Some((_, write)) = PENDING.with(|pending| {
        let mut pending = pending.borrow_mut();
        (!pending.is_empty()).then(|| pending.remove(0))
    }) {
        write();
    }
    FLUSHING.set(false);
}

#[cfg(feature = "hydrate")]
fn schedule() {
    thread_local!(static SCHEDULED: Cell<bool> = const { Cell::new(false) });
    if SCHEDULED.replace(true) {
        return;
    }
    follow_visibility();
    crate::paint::after_next_paint(|| {
        SCHEDULED.set(false);
        flush();
    });
}

/// Outside the browser nothing paints: the writes wait for the next store use or `flush`.
#[cfg(not(feature = "hydrate"))]
fn schedule() {}

/// A hidden page paints no frame, and a page left may never run its timeouts.
#[cfg(feature = "hydrate")]
fn follow_visibility() {
    use leptos::prelude::*;
    thread_local!(static FOLLOWING: Cell<bool> = const { Cell::new(false) });
    if FOLLOWING.replace(true) {
        return;
    }
    std::mem::forget(window_event_listener(leptos::ev::pagehide, |_| flush()));
    std::mem::forget(leptos::prelude::window_event_listener_untyped(
        "visibilitychange",
        |_| {
            if document().hidden() {
                flush();
            }
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    fn pending() -> usize {
        PENDING.with(|pending| pending.borrow().len())
    }

    fn log() -> Rc<RefCell<Vec<String>>> {
        Rc::new(RefCell::new(Vec::new()))
    }

    fn note(log: &Rc<RefCell<Vec<String>>>, what: &str) -> impl FnOnce() + 'static {
        let log = log.clone();
        let what = what.to_owned();
        move || log.borrow_mut().push(what)
    }

    #[test]
    fn a_newer_write_of_the_same_thing_replaces_the_pending_one_in_its_place() {
        let made = log();
        write_soon("conversation/1".into(), note(&made, "first keys"));
        write_soon("plan/2".into(), note(&made, "plan"));
        write_soon("conversation/1".into(), note(&made, "all keys"));
        assert_eq!(pending(), 2);
        flush();
        assert_eq!(*made.borrow(), ["all keys", "plan"]);
        assert_eq!(pending(), 0);
    }

    #[test]
    fn a_pending_write_that_uses_the_store_does_not_run_the_next_one_inside_itself() {
        let made = log();
        let inner = made.clone();
        write_soon("a".into(), move || {
            // Its store use flushes (`with_device_store`): "c" must still come after "a".
            flush();
            inner.borrow_mut().push("a".into());
            write_soon("b".into(), note(&inner, "b"));
        });
        write_soon("c".into(), note(&made, "c"));
        flush();
        // "b", asked for while flushing, is made in the same flush.
        assert_eq!(*made.borrow(), ["a", "c", "b"]);
        assert_eq!(pending(), 0);
    }
}

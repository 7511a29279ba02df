//! Whether the app has started: hydrated (or mounted) completely, every chunk of the current
//! page included. A page whose route is a chunk of its own hydrates in steps (the frame first,
//! the page once its chunk has arrived), so an effect in the frame runs before the page can
//! take a tap; this says when the whole page can.

use std::cell::{Cell, RefCell};

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
    static WAITING: RefCell<Vec<Box<dyn FnOnce()>>> = RefCell::new(Vec::new());
}

/// Runs `then` once the app has started (at once when it has).
pub fn when_started(then: impl FnOnce() + 'static) {
    if STARTED.get() {
        then();
    } else {
        WAITING.with_borrow_mut(|waiting| waiting.push(Box::new(then)));
    }
}

/// Called by `hydrate` when hydration (or the client-side mount) is complete.
#[cfg(feature = "hydrate")]
pub(crate) fn mark_started() {
    STARTED.set(true);
    for then in WAITING.take() {
        then();
    }
    // Lets start-up be timed from outside (bench/, Playwright).
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark("hydrated");
    }
}

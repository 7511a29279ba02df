//! Work that can wait until the screen shows what a tap or key changed (Event Timing counts a
//! tap until the next frame is painted: what runs before it, the worker waits for).

/// Runs `then` just after the next frame is painted; at once when the page is hidden (a hidden
/// page paints no frames) and outside the browser.
pub fn after_next_paint(then: impl FnOnce() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        if !document().hidden() {
            // The frame is painted after the animation-frame callbacks; the timeout runs after.
            request_animation_frame(move || set_timeout(then, std::time::Duration::ZERO));
            return;
        }
    }
    then();
}

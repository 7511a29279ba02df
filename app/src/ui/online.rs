//! What an online action (a request the server answers at once) shows: one notice line, in
//! the server's words for a refusal and in plain words for anything else.

use leptos::prelude::*;

/// The answer to the last online action: `Ok(words)` or `Err(words)`.
pub type Notice = RwSignal<Option<Result<String, String>>>;

/// The words for a failed request: the server's own for a refusal (4xx), else what happened.
#[cfg(feature = "hydrate")]
pub(crate) fn refusal_words(error: crate::sync::browser::SyncError) -> String {
    match error {
        crate::sync::browser::SyncError::Server(status, message) if status < 500 => message,
        other => other.words(),
    }
}

/// The notice, as a status (success) or an alert (refusal).
#[component]
pub fn NoticeLine(notice: Notice) -> impl IntoView {
    move || {
        notice.get().map(|n| match n {
            Ok(text) => {
                view! { <p class="notice notice--success" role="status">{text}</p> }.into_any()
            }
            Err(text) => {
                view! { <p class="notice notice--error" role="alert">{text}</p> }.into_any()
            }
        })
    }
}

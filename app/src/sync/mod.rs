//! Sync as the worker sees it: it runs by itself (on reconnect, shortly after edits, and every
//! minute, backing off after failures), and the shell says in words where things stand.
//! The protocol is in `shared::sync` and docs/sync.md; the device's half in `store::sync`.

#[cfg(feature = "hydrate")]
pub(crate) mod browser;
mod conflicts;
mod rejected;

pub use conflicts::{record_label, ConflictList, ConflictsPage};
pub use rejected::{RejectedList, RejectedPage};

/// Tells the server the worker threw a refused change away (it records that in the audit
/// log); only then does the device forget it. Needs a connection: offline it stays listed.
async fn discard_rejected(change: &shared::sync::Change) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        let body = serde_json::to_string(&shared::sync::DiscardRejected {
            device_id: change.device_id,
            seq: change.seq,
        })
        .map_err(|e| e.to_string())?;
        browser::send::<serde_json::Value>("POST", "/api/sync/rejected/discard", Some(body))
            .await
            .map(drop)
            .map_err(|e| match e {
                browser::SyncError::Offline => {
                    "Weggooien kan alleen met verbinding: de server legt vast wie het deed. De wijziging blijft bewaard.".to_owned()
                }
                other => other.words(),
            })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = change;
        Err("Weggooien kan alleen in de app.".to_owned())
    }
}

use crate::pwa::use_pwa_state;
use crate::store::use_store;
use leptos::prelude::*;
use leptos_router::components::A;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncPhase {
    Idle,
    Syncing,
    /// The last attempt failed; the words say why and that nothing is lost.
    Failed(String),
    /// The server no longer takes this app version: the outbox waits for the update.
    UpdateRequired,
    /// Nobody is signed in on this device: changes wait until someone signs in.
    SignedOut,
    /// The signed-in role holds no residents' data (administrator, privacy officer).
    NotNeeded,
}

#[derive(Clone, Copy)]
pub struct SyncState {
    pub phase: RwSignal<SyncPhase>,
    /// The loop runs from timers, outside the component tree, so it carries the store along.
    store: crate::store::StoreState,
}

impl SyncState {
    /// Syncs now (the worker asked, or the device came back online).
    pub fn store(&self) -> crate::store::StoreState {
        self.store
    }

    pub fn sync_now(&self) {
        #[cfg(feature = "hydrate")]
        browser::schedule(*self, std::time::Duration::ZERO);
    }
}

pub fn provide_sync() -> SyncState {
    let store = use_store();
    let state = SyncState {
        phase: RwSignal::new(SyncPhase::Idle),
        store,
    };
    provide_context(state);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::start(state);
    });
    // Every write schedules a sync a little later, so a burst of typing makes one push.
    Effect::new(move |first: Option<()>| {
        let waiting = store.read(|s| s.outbox_len()).unwrap_or(0);
        if first.is_some() && waiting > 0 {
            #[cfg(feature = "hydrate")]
            browser::schedule(state, browser::AFTER_EDIT);
        }
    });
    state
}

pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

/// The sync state in one sentence; `last_synced` says when ("om 14:05", or with the date when
/// it was not today, see `clock::when`).
pub fn status_text(
    phase: &SyncPhase,
    online: bool,
    waiting: usize,
    last_synced: Option<&str>,
) -> String {
    let changes = |n: usize| {
        if n == 1 {
            "1 wijziging wacht".to_owned()
        } else {
            format!("{n} wijzigingen wachten")
        }
    };
    let last = last_synced
        .map(|at| format!(" Laatst gesynchroniseerd {at}."))
        .unwrap_or_default();
    match phase {
        SyncPhase::Syncing => "Bezig met synchroniseren…".into(),
        SyncPhase::UpdateRequired => {
            format!(
            "Deze versie van de app is te oud voor de server. Werk de app bij; {} op dit apparaat.",
            if waiting == 0 { "er wacht niets".to_owned() } else { changes(waiting) }
        )
        }
        SyncPhase::Failed(reason) => format!("{reason} {}.{last}", waiting_sentence(waiting)),
        SyncPhase::NotNeeded => {
            "Met deze rol staan er geen gegevens van inwoners op dit apparaat.".into()
        }
        SyncPhase::SignedOut => format!(
            "Log in om te synchroniseren. {}.",
            waiting_sentence(waiting)
        ),
        SyncPhase::Idle if !online && waiting > 0 => {
            format!("Offline: {} op verzending.{last}", changes(waiting))
        }
        SyncPhase::Idle if waiting > 0 => format!("{} op verzending.{last}", changes(waiting)),
        SyncPhase::Idle => match last_synced {
            Some(at) => format!("Alles gesynchroniseerd, laatst {at}."),
            None => "Nog niet gesynchroniseerd.".into(),
        },
    }
}

fn waiting_sentence(waiting: usize) -> String {
    match waiting {
        0 => "Er wacht niets".into(),
        1 => "1 wijziging blijft bewaard op dit apparaat".into(),
        n => format!("{n} wijzigingen blijven bewaard op dit apparaat"),
    }
}

/// The line under the navigation: state, a button to sync now, and open conflicts.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let sync = use_sync();
    let store = use_store();
    let pwa = use_pwa_state();
    let waiting = move || store.read(|s| s.outbox_len()).unwrap_or(0);
    let conflicts = move || store.read(|s| s.conflicts().len()).unwrap_or(0);
    let rejected = move || store.read(|s| s.rejected().len()).unwrap_or(0);
    // Read once per store write, for the three places below that show it.
    let meta = Memo::new(move |_| store.read(|s| s.sync_meta()).unwrap_or_default());
    let last = move || {
        meta.with(|m| m.last_synced_at.clone())
            .and_then(|at| {
                time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .map(crate::clock::when)
    };
    let short_of_room = move || meta.with(|m| m.short_of_room.map(|short| short.message()));
    let lock = crate::lock::use_lock();
    let text = move || {
        // Locked, the store cannot be read: nothing is known to say about it (and nothing
        // syncs until the PIN is entered).
        if lock.locked.get() {
            return "Vergrendeld: synchroniseren gaat verder zodra je ontgrendelt.".to_owned();
        }
        status_text(
            &sync.phase.get(),
            pwa.online.get(),
            waiting(),
            last().as_deref(),
        )
    };
    let failed = move || {
        matches!(
            sync.phase.get(),
            SyncPhase::Failed(_) | SyncPhase::UpdateRequired
        )
    };
    view! {
        // `data-synced-at` changes with every completed sync: tests wait for it, not for a
        // sentence that may still show the previous sync's result.
        <div class="sync-status" class:sync-status--problem=failed data-testid="sync-status"
            data-synced-at=move || meta.with(|m| m.last_synced_at.clone())>
            <p class="sync-status__text" role="status">{text}</p>
            {move || short_of_room().map(|words| view! {
                <p class="sync-status__notice" data-testid="short-of-room">{words}</p>
            })}
            <Show when=move || sync.phase.get() == SyncPhase::SignedOut>
                <A href="/inloggen" attr:class="sync-status__conflicts" attr:data-testid="sign-in-link">"Inloggen"</A>
            </Show>
            <Show when=move || { rejected() > 0 }>
                <A href="/niet-verwerkt" attr:class="sync-status__conflicts" attr:data-testid="rejected-link">
                    {move || match rejected() { 1 => "1 wijziging niet verwerkt".to_owned(), n => format!("{n} wijzigingen niet verwerkt") }}
                </A>
            </Show>
            <Show when=move || { conflicts() > 0 }>
                <A href="/conflicten" attr:class="sync-status__conflicts" attr:data-testid="conflicts-link">
                    {move || match conflicts() { 1 => "1 conflict om op te lossen".to_owned(), n => format!("{n} conflicten om op te lossen") }}
                </A>
            </Show>
            <button
                class="button button--secondary button--small"
                data-testid="sync-now"
                disabled=move || !pwa.online.get() || sync.phase.get() == SyncPhase::Syncing
                on:click=move |_| sync.sync_now()
            >
                "Nu synchroniseren"
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_says_what_waits_and_why() {
        assert_eq!(
            status_text(&SyncPhase::Idle, true, 0, Some("om 14:05")),
            "Alles gesynchroniseerd, laatst om 14:05."
        );
        assert_eq!(
            status_text(&SyncPhase::Idle, false, 3, None),
            "Offline: 3 wijzigingen wachten op verzending."
        );
        let failed = SyncPhase::Failed("De server is even niet bereikbaar.".into());
        assert_eq!(
            status_text(&failed, true, 1, Some("op 28-11-2026 om 09:30")),
            "De server is even niet bereikbaar. 1 wijziging blijft bewaard op dit apparaat. Laatst gesynchroniseerd op 28-11-2026 om 09:30."
        );
        assert!(status_text(&SyncPhase::UpdateRequired, true, 2, None).contains("Werk de app bij"));
    }
}

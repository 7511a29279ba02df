//! What keeps sign-in standing under guessing and load: a bound on concurrent password hashing
//! (a short queue, then a quick 503), a limit per client address, and a keyed hash for
//! unknown e-mail addresses in the audit log. The per-account limit is the atomic failure
//! counter in `accounts::sign_in`.

use crate::{Error, Result};
use axum::http::StatusCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The client's address (from the connection; unknown in tests without a socket).
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddress(address))
    }
}

/// How long a sign-in waits for a free hashing slot before it is told to try again.
const HASH_WAIT: Duration = Duration::from_secs(5);

/// Settings for sessions and sign-in (from `config::Config`; defaults in tests).
#[derive(Debug, Clone)]
pub struct AccessSettings {
    /// Sessions of the office-only roles (administrator, privacy officer) end after this idle time.
    pub office_idle_minutes: u32,
    /// Password hashes computed at once (argon2 takes a core each).
    pub hashing_slots: usize,
    /// Sign-ins that may wait for a slot; beyond that the answer is 503 at once.
    pub hashing_queue: usize,
    /// Sign-in attempts per client address per minute.
    pub per_address_per_minute: u32,
    /// The key for the audit log's hash of an unknown e-mail address.
    pub audit_key: Vec<u8>,
}

impl Default for AccessSettings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            office_idle_minutes: 30,
            hashing_slots: cores,
            hashing_queue: 64,
            per_address_per_minute: 60,
            audit_key: rand::random::<[u8; 32]>().to_vec(),
        }
    }
}

pub struct SignInGuard {
    settings: AccessSettings,
    admitted: Arc<Semaphore>,
    hashing: Arc<Semaphore>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

/// Held while a sign-in may hash.
pub struct HashingSlot {
    _admitted: OwnedSemaphorePermit,
    _hashing: OwnedSemaphorePermit,
}

fn busy() -> Error {
    Error::refused(
        StatusCode::SERVICE_UNAVAILABLE,
        "Het is even erg druk met inloggen. Probeer het over een paar seconden opnieuw.",
    )
}

impl SignInGuard {
    pub fn new(settings: AccessSettings) -> Self {
        let per_minute = NonZeroU32::new(settings.per_address_per_minute.max(1)).expect("max(1)");
        Self {
            admitted: Arc::new(Semaphore::new(
                settings.hashing_slots + settings.hashing_queue,
            )),
            hashing: Arc::new(Semaphore::new(settings.hashing_slots.max(1))),
            per_address: RateLimiter::keyed(Quota::per_minute(per_minute)),
            settings,
        }
    }

    pub fn settings(&self) -> &AccessSettings {
        &self.settings
    }

    /// Refuses (429) an address that tried too often this minute.
    pub fn check_address(&self, address: IpAddr) -> Result<()> {
        if self.per_address.len() > 10_000 {
            self.per_address.retain_recent();
        }
        self.per_address.check_key(&address).map_err(|_| {
            Error::refused(
                StatusCode::TOO_MANY_REQUESTS,
                "Te veel inlogpogingen vanaf dit adres. Probeer het over een minuut opnieuw.",
            )
        })
    }

    /// Waits briefly for a hashing slot; a full queue answers 503 at once.
    pub async fn slot(&self) -> Result<HashingSlot> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| busy())?;
        let hashing = tokio::time::timeout(HASH_WAIT, self.hashing.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        Ok(HashingSlot {
            _admitted: admitted,
            _hashing: hashing,
        })
    }

    /// A keyed hash of an e-mail address nobody has: the audit shows repeated guesses at the
    /// same address without storing what was typed.
    pub fn keyed_hash(&self, email: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.settings.audit_key)
            .expect("HMAC takes a key of any length");
        mac.update(email.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_answers_at_once() {
        let guard = SignInGuard::new(AccessSettings {
            hashing_slots: 1,
            hashing_queue: 1,
            ..Default::default()
        });
        let first = guard.slot().await.unwrap();
        // One sign-in hashes, one waits: the queue is full.
        let _waiting = guard.admitted.clone().try_acquire_owned().unwrap();
        let started = std::time::Instant::now();
        let refused = guard.slot().await;
        assert!(refused.is_err());
        assert!(started.elapsed() < Duration::from_millis(100));
        drop(first);
    }

    #[test]
    fn the_address_limit_counts_per_address() {
        let guard = SignInGuard::new(AccessSettings {
            per_address_per_minute: 3,
            ..Default::default()
        });
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let two: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            guard.check_address(one).unwrap();
        }
        assert!(guard.check_address(one).is_err());
        assert!(guard.check_address(two).is_ok());
    }

    #[test]
    fn unknown_addresses_are_hashed_with_the_key() {
        let guard = SignInGuard::new(AccessSettings {
            audit_key: b"een sleutel".to_vec(),
            ..Default::default()
        });
        let other = SignInGuard::new(AccessSettings {
            audit_key: b"een andere sleutel".to_vec(),
            ..Default::default()
        });
        let hash = guard.keyed_hash("iemand@example.nl");
        assert_eq!(hash.len(), 32);
        assert_eq!(hash, guard.keyed_hash("iemand@example.nl"));
        assert_ne!(hash, other.keyed_hash("iemand@example.nl"));
        assert!(!hash.contains("iemand"));
    }
}

//! Password hashing: argon2id with a random salt per password (PHC string format).

use argon2::password_hash::{rand_core::OsRng, SaltString};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use std::sync::OnceLock;

/// The shortest password an account may get (a passphrase is easier to remember and stronger).
pub const MIN_LENGTH: usize = 12;

pub fn hash(password: &str) -> crate::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| crate::Error::Internal(format!("password hash: {e}")))
}

pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the e-mail address is unknown, so that an unknown address
/// takes as long as a wrong password and does not give itself away.
pub fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password, never valid").unwrap_or_default())
}

/// Runs a verification off the async threads: argon2 is deliberately slow.
pub async fn verify_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &hash))
        .await
        .unwrap_or(false)
}

/// Hashes off the async threads.
pub async fn hash_blocking(password: String) -> crate::Result<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| crate::Error::Internal(e.to_string()))?
}

/// A one-time password for a new account or a reset: five groups of four letters and digits
/// (about 100 bits), easy to read out and type once.
pub fn one_time() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..5)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_time_passwords_are_long_enough_and_differ() {
        let a = super::one_time();
        assert_eq!(a.len(), 24);
        assert!(a.chars().count() >= super::MIN_LENGTH);
        assert_ne!(a, super::one_time());
    }
}

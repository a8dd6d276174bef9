//! Password hashing: argon2id with OWASP's parameters, always on the blocking pool so that a
//! burst of logins never stalls the async workers serving other requests, and behind a gate: a
//! few computations at once (each holds 19 MiB), a bounded queue behind them, and beyond that an
//! immediate [`Busy`] (the server answers 503 with `Retry-After`), so that a flood of password
//! requests can neither exhaust memory nor starve the rest of the portal.

use crate::input::Password;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};
use tokio::sync::Semaphore;

/// Password work waiting for its turn, at most: beyond this the answer is "busy, retry".
pub const MAX_WAITING: usize = 32;

/// Too much password work is queued already: try again in a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks at once")]
pub struct Busy;

struct Gate {
    running: Semaphore,
    waiting: AtomicUsize,
}

/// As many computations at once as there are cores: more would only share them.
static GATE: LazyLock<Gate> = LazyLock::new(|| Gate {
    running: Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
    waiting: AtomicUsize::new(0),
});

/// Runs `work` on the blocking pool when the gate lets it through; `Busy` when the queue is full.
async fn gated<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    if GATE.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        GATE.waiting.fetch_sub(1, Ordering::SeqCst);
        metrics::counter!("limelight_password_checks_refused_total").increment(1);
        return Err(Busy);
    }
    let permit = GATE.running.acquire().await;
    GATE.waiting.fetch_sub(1, Ordering::SeqCst);
    let _permit = permit.expect("the gate is never closed");
    Ok(tokio::task::spawn_blocking(work).await.expect("argon2 task panicked"))
}

/// The gate now: (computations running, computations waiting for a turn).
pub fn queue() -> (usize, usize) {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores.saturating_sub(GATE.running.available_permits()), GATE.waiting.load(Ordering::SeqCst))
}

/// OWASP (2023+): m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid params")
        .to_string()
}

/// A hash of nothing anybody knows: an unknown email is verified against it, so that it costs the
/// same work, and takes the same time, as a known email with a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("limelight-dummy-password-never-matches"))
}

/// Hashes a password into a PHC string.
pub async fn hash(password: &Password) -> Result<String, Busy> {
    let p = password.expose().to_string();
    gated(move || hash_blocking(&p)).await
}

/// Checks a password against a stored PHC string, or against the dummy hash when there is none
/// (unknown user, or a user who has not set a password yet). Never short-cuts.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Busy> {
    gated(move || {
        let real = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy_hash().to_string());
        let ok = match PasswordHash::new(&phc) {
            Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => {
                // A corrupt stored hash: still spend the same work before saying no.
                let parsed = PasswordHash::new(dummy_hash()).expect("dummy hash parses");
                let _ = argon2().verify_password(password.as_bytes(), &parsed);
                false
            }
        };
        ok && real
    })
    .await
}

/// Computes the dummy hash ahead of the first login, so that the first unknown-email login does
/// not pay for it (which would make it slower than a wrong password, and so distinguishable).
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(dummy_hash).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let pw = Password::parse("correct horse".into()).unwrap();
        let phc = hash(&pw).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse".into(), Some(phc.clone())).await.unwrap());
        assert!(!verify("Correct horse".into(), Some(phc.clone())).await.unwrap());
        assert!(!verify("correct horse ".into(), Some(phc)).await.unwrap());
        assert!(!verify("limelight-dummy-password-never-matches".into(), None).await.unwrap());
    }
}

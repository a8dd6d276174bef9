//! Password hashing: argon2id with OWASP's parameters, always on the blocking pool so that a
//! burst of logins never stalls the async workers serving other requests.

use crate::input::Password;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

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
pub async fn hash(password: &Password) -> String {
    let p = password.expose().to_string();
    tokio::task::spawn_blocking(move || hash_blocking(&p)).await.expect("hashing task panicked")
}

/// Checks a password against a stored PHC string, or against the dummy hash when there is none
/// (unknown user, or a user who has not set a password yet). Never short-cuts.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
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
    .expect("verification task panicked")
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
        let phc = hash(&pw).await;
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse".into(), Some(phc.clone())).await);
        assert!(!verify("Correct horse".into(), Some(phc.clone())).await);
        assert!(!verify("correct horse ".into(), Some(phc)).await);
        assert!(!verify("limelight-dummy-password-never-matches".into(), None).await);
    }
}

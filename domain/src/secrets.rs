//! The installation's secret key, and what it seals: secrets the database must keep but a copy of
//! the database must not reveal (TOTP secrets, and the pending state of a second step).
//!
//! The key comes from `LIMELIGHT_SECRET_KEY` (64 hex digits), or else from `secret.key` in the data
//! directory, made on first start and readable by its owner alone. Sealing is XChaCha20-Poly1305
//! with a random nonce; the associated data names what was sealed and for whom, so a sealed value
//! moved to another row (another user's secret, say) does not open.

use crate::error::{DomainError, Result};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::path::Path;

/// 256 bits, never printed.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

/// The name of the key file in the data directory.
/// Equal without saying where they differ (the time taken does not depend on where).
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub const KEY_FILE: &str = "secret.key";

/// Sealed values start with this, so that a later format can be told apart.
const VERSION: &str = "v1.";

impl SecretKey {
    /// A key from its 64 hex digits (`LIMELIGHT_SECRET_KEY`).
    pub fn parse(hex_digits: &str) -> std::result::Result<SecretKey, String> {
        let bytes = hex::decode(hex_digits.trim()).map_err(|_| {
            "the secret key must be 64 hexadecimal digits (for example `openssl rand -hex 32`)".to_string()
        })?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            "the secret key must be 64 hexadecimal digits (32 bytes; `openssl rand -hex 32`)".to_string()
        })?;
        Ok(SecretKey(key))
    }

    /// A new random key.
    pub fn generate() -> SecretKey {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        SecretKey(key)
    }

    /// The key in `dir/secret.key`, made (owner-only) when there is none. A key file that others
    /// can read is refused: whoever reads it can open every sealed secret.
    pub fn from_data_dir(dir: &Path) -> std::result::Result<SecretKey, String> {
        let path = dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                check_private(&path)?;
                SecretKey::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let key = SecretKey::generate();
                write_private(&path, &hex::encode(key.0)).map_err(|e| format!("{}: {e}", path.display()))?;
                tracing::info!(file = %path.display(), "made a new secret key; keep it with the database's backups");
                Ok(key)
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Seals `plain` for `purpose` (e.g. "totp:42"): only the same key and purpose open it.
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> String {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: purpose.as_bytes() })
            .expect("XChaCha20-Poly1305 seals any message that fits in memory");
        format!("{VERSION}{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    /// Opens what [`seal`](Self::seal) made for this purpose. Failing to is our failure (another
    /// key, a damaged or moved value): an internal error, logged with the purpose.
    #[track_caller]
    pub fn open(&self, purpose: &str, sealed: &str) -> Result<Vec<u8>> {
        let fail = || {
            DomainError::from(sea_orm::DbErr::Custom(format!(
                "a sealed {purpose} value does not open with this secret key"
            )))
        };
        let body = sealed.strip_prefix(VERSION).ok_or_else(fail)?;
        let bytes = hex::decode(body).map_err(|_| fail())?;
        if bytes.len() < 24 {
            return Err(fail());
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        XChaCha20Poly1305::new((&self.0).into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: purpose.as_bytes() })
            .map_err(|_| fail())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(unix)]
fn check_private(path: &Path) -> std::result::Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} can be read by other users (mode {:o}); make it the owner's alone: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &Path) -> std::result::Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_purpose() {
        let key = SecretKey::generate();
        let sealed = key.seal("totp:1", b"secret");
        assert!(!sealed.contains(&hex::encode(b"secret")));
        assert_eq!(key.open("totp:1", &sealed).unwrap(), b"secret");
        assert!(key.open("totp:2", &sealed).is_err(), "moved to another user");
        assert!(SecretKey::generate().open("totp:1", &sealed).is_err(), "another key");
        let mut damaged = sealed.clone();
        damaged.pop();
        damaged.push(if sealed.ends_with('0') { '1' } else { '0' });
        assert!(key.open("totp:1", &damaged).is_err());
        assert_ne!(key.seal("totp:1", b"secret"), sealed, "a fresh nonce each time");
    }

    #[test]
    fn the_key_file_is_made_owner_only_and_refused_when_others_can_read_it() {
        let dir = std::env::temp_dir().join(format!("limelight-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = SecretKey::from_data_dir(&dir).unwrap();
        let again = SecretKey::from_data_dir(&dir).unwrap();
        assert_eq!(first.0, again.0, "the same key on the next start");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.join(KEY_FILE);
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let refused = SecretKey::from_data_dir(&dir).unwrap_err();
            assert!(refused.contains("chmod 600"), "{refused}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_key_from_the_environment_must_be_32_bytes_of_hex() {
        assert!(SecretKey::parse(&"ab".repeat(32)).is_ok());
        assert!(SecretKey::parse("short").is_err());
        assert!(SecretKey::parse(&"zz".repeat(32)).is_err());
    }
}

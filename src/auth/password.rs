//! argon2id password hashes, computed off the async workers (hashing takes tens of
//! milliseconds of CPU on purpose).

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

/// argon2id with the crate's default (OWASP-recommended) parameters and a random salt.
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h: PasswordHash| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// Verifies a password. With no stored hash (unknown account) it verifies against a fixed
/// dummy so that the response time does not reveal whether the account exists.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let ok = Argon2::default().verify_password(password.as_bytes(), stored.as_str()).is_ok();
        ok && stored != DUMMY_HASH
    })
    .await
    .unwrap_or(false)
}

/// argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$ZHVtbXlzYWx0ZHVtbXlzYWx0$0T3pDDtDc1Hv0nQJmEUv7Ke5cSPzrDqFJm6vL4b4oqg";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("welkom-demo".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("welkom-demo".into(), Some(h.clone())).await);
        assert!(!verify("welkom-dem0".into(), Some(h)).await);
        assert!(!verify("welkom-demo".into(), None).await);
        assert!(!verify("x".into(), Some("geen hash".into())).await);
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}

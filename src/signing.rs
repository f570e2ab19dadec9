//! The commission's advies signing key (Ed25519, Art 25.3): kept in the data directory,
//! generated on first start, its public half published as a JWK at
//! `/.well-known/jwks.json`. Several instances must share the key file.

use crate::config::Secret;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use sha2::{Digest, Sha256};
use std::path::Path;

pub const KEY_FILE: &str = "advies-signing.key";

#[derive(Clone)]
pub struct AdviesKey {
    /// PKCS#8 DER of the private key, as jsonwebtoken takes it.
    pkcs8: Secret,
    pub public: [u8; 32],
    /// The key id in every signature's header: the start of the public key's SHA-256.
    pub kid: String,
}

impl std::fmt::Debug for AdviesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdviesKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl AdviesKey {
    pub fn from_seed(seed: [u8; 32]) -> anyhow::Result<AdviesKey> {
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let der = key.to_pkcs8_der().map_err(|e| anyhow::anyhow!("PKCS#8: {e}"))?;
        let public = key.verifying_key().to_bytes();
        Ok(AdviesKey {
            pkcs8: Secret::new(der.as_bytes().to_vec()),
            public,
            kid: hex::encode(&Sha256::digest(public)[..8]),
        })
    }

    pub fn sign(&self, claims: &crate::domain::advies::SignatureClaims) -> Result<String, String> {
        crate::domain::advies::sign(self.pkcs8.expose(), &self.kid, claims)
    }

    /// The public key as a JSON Web Key Set (RFC 8037).
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "EdDSA",
            "use": "sig",
            "kid": self.kid,
            "x": crate::domain::advies::base64url(&self.public),
        }]})
    }
}

/// Reads the key from the data directory, generating it when absent.
pub fn load_or_create(data_dir: &Path) -> anyhow::Result<AdviesKey> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim()).map_err(|_| anyhow::anyhow!("{} is not a hex key", path.display()))?;
            let seed: [u8; 32] =
                bytes.try_into().map_err(|_| anyhow::anyhow!("{} must hold 32 bytes", path.display()))?;
            AdviesKey::from_seed(seed)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let seed: [u8; 32] = rand::random();
            crate::config::write_private(&path, hex::encode(seed).as_bytes())?;
            tracing::info!(path = %path.display(), "generated a new advies signing key");
            AdviesKey::from_seed(seed)
        }
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_survives_a_restart_and_publishes_its_public_half() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create(dir.path()).unwrap();
        let b = load_or_create(dir.path()).unwrap();
        assert_eq!(a.public, b.public);
        assert_eq!(a.kid.len(), 16);
        let jwks = a.jwks();
        assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
        assert_eq!(jwks["keys"][0]["x"].as_str().unwrap().len(), 43, "32 bytes, unpadded");
        assert!(!format!("{a:?}").contains("pkcs8"));
    }
}

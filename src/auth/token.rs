//! The session token: a JWT (HS256) naming the server-side session, carried in an HttpOnly
//! cookie. The signature stops forgery; the session row allows logout and idle expiry.

use crate::config::Secret;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// Session id.
    pub sid: String,
    /// User id, as a string (the JWT `sub` claim is a string).
    pub sub: String,
    pub iat: i64,
    /// Absolute expiry (seconds since the epoch).
    pub exp: i64,
}

pub fn encode(key: &Secret, claims: &Claims) -> anyhow::Result<String> {
    Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key.expose()))?)
}

pub fn decode(key: &Secret, token: &str) -> Option<Claims> {
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = 0;
    v.set_required_spec_claims(&["exp", "sub"]);
    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(key.expose()), &v).ok().map(|d| d.claims)
}

/// What a pending login still needs before it becomes a session.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum Pending {
    /// The password was right; a TOTP or recovery code is asked for.
    Code,
    /// The password was right; the role requires two-factor login and the account has none yet.
    Enrol,
}

/// A login between the password and the second step: short-lived, carried in its own
/// HttpOnly cookie, never a session. It has no `sid`, so it never decodes as [`Claims`], and a
/// session token has no `pending`, so it never decodes as this.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Clone)]
pub struct PendingClaims {
    pub pending: Pending,
    /// User id.
    pub sub: String,
    /// A fingerprint of the account's password hash: a password change voids the token.
    pub fp: String,
    /// Where to go after the login (a local path).
    pub next: String,
    pub iat: i64,
    pub exp: i64,
}

pub fn encode_pending(key: &Secret, claims: &PendingClaims) -> anyhow::Result<String> {
    Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key.expose()))?)
}

pub fn decode_pending(key: &Secret, token: &str) -> Option<PendingClaims> {
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = 0;
    v.set_required_spec_claims(&["exp", "sub"]);
    jsonwebtoken::decode::<PendingClaims>(token, &DecodingKey::from_secret(key.expose()), &v).ok().map(|d| d.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_and_session_tokens_are_not_interchangeable() {
        let key = Secret::new(vec![1; 32]);
        let future = chrono::Utc::now().timestamp() + 300;
        let pending = PendingClaims {
            pending: Pending::Code,
            sub: "7".into(),
            fp: "ab".into(),
            next: "/".into(),
            iat: 0,
            exp: future,
        };
        let p = encode_pending(&key, &pending).unwrap();
        assert_eq!(decode_pending(&key, &p), Some(pending));
        assert_eq!(decode(&key, &p), None, "a pending login is no session");
        let s = encode(&key, &claims(future)).unwrap();
        assert_eq!(decode_pending(&key, &s), None, "a session is no pending login");
        assert_eq!(decode_pending(&Secret::new(vec![2; 32]), &p), None);
    }

    fn claims(exp: i64) -> Claims {
        Claims { sid: "abc".into(), sub: "7".into(), iat: 0, exp }
    }

    #[test]
    fn roundtrip_and_tamper() {
        let key = Secret::new(vec![1; 32]);
        let future = chrono::Utc::now().timestamp() + 3600;
        let t = encode(&key, &claims(future)).unwrap();
        assert_eq!(decode(&key, &t), Some(claims(future)));
        assert_eq!(decode(&Secret::new(vec![2; 32]), &t), None);
        let mut forged = t.clone();
        forged.replace_range(forged.len() - 3.., "AAA");
        assert_eq!(decode(&key, &forged), None);
    }

    #[test]
    fn expired_tokens_are_refused() {
        let key = Secret::new(vec![1; 32]);
        let t = encode(&key, &claims(chrono::Utc::now().timestamp() - 1)).unwrap();
        assert_eq!(decode(&key, &t), None);
    }
}

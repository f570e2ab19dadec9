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

#[cfg(test)]
mod tests {
    use super::*;

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

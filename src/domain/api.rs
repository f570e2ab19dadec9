//! The rules of the JSON API for the boards' own systems (issue 8), pure: the scopes of an API
//! token, its JWT claims (an issuer and audience of their own, so a session token is never an
//! API token and an API token never a session), the signing key derived for it, what a board may
//! type when it creates a token, and the webhook: the URL a board may configure, the payload of
//! a status change and its HMAC-SHA256 signature with the check a receiver makes.

use super::case::{CaseStatus, Outcome};
use super::validate::FieldErrors;
use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// What a token may do. A token carries one or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Read the board's cases, their status, outcome and sent advies.
    Lezen,
    /// File a klaagschrift with the commission for one of the board's schools.
    Indienen,
}

impl Scope {
    pub const ALL: &'static [Scope] = &[Scope::Lezen, Scope::Indienen];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Lezen => "lezen",
            Scope::Indienen => "indienen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::Lezen => "zaken lezen",
            Scope::Indienen => "klaagschriften indienen",
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        Scope::ALL.iter().copied().find(|s| s.code() == code)
    }
}

/// A set of scopes, stored and carried as space-separated codes (`lezen indienen`), in a fixed
/// order and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    pub fn new(scopes: impl IntoIterator<Item = Scope>) -> Self {
        let mut v: Vec<Scope> = scopes.into_iter().collect();
        v.sort();
        v.dedup();
        Scopes(v)
    }

    /// Parses `lezen indienen`; an unknown code or an empty list is refused.
    pub fn parse(text: &str) -> Option<Scopes> {
        let parsed: Option<Vec<Scope>> = text.split_whitespace().map(Scope::parse).collect();
        parsed.filter(|v| !v.is_empty()).map(Scopes::new)
    }

    pub fn format(&self) -> String {
        self.0.iter().map(|s| s.code()).collect::<Vec<_>>().join(" ")
    }

    pub fn contains(&self, s: Scope) -> bool {
        self.0.contains(&s)
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The `iss` of API tokens. Session tokens carry no issuer or audience, and are signed with
/// another key.
pub const ISSUER: &str = "klachtencommissie";
/// The `aud` of API tokens.
pub const AUDIENCE: &str = "klachtencommissie-api/v1";
/// The purpose under which the API signing key is derived from the server's session key.
pub const KEY_PURPOSE: &[u8] = b"api-token";
/// The longest validity of a token: two years.
pub const MAX_VALID_DAYS: i64 = 730;
pub const DEFAULT_VALID_DAYS: i64 = 365;

/// The claims of an API token. `sub` names the token's row (which is what revocation marks),
/// `board` the board it acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The id of the `api_tokens` row, as a string (the JWT `sub` claim is a string).
    pub sub: String,
    pub board: i32,
    /// Space-separated scopes, as stored.
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
}

impl Claims {
    pub fn new(token_id: i32, board_id: i32, scopes: &Scopes, issued: DateTime<Utc>, expires: DateTime<Utc>) -> Self {
        Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: token_id.to_string(),
            board: board_id,
            scope: scopes.format(),
            iat: issued.timestamp(),
            exp: expires.timestamp(),
        }
    }

    pub fn token_id(&self) -> Option<i32> {
        self.sub.parse().ok()
    }
}

/// The key API tokens are signed with (HS256): HMAC-SHA256 of [`KEY_PURPOSE`] under the
/// server's session key. One secret to keep, two keys that never sign each other's tokens.
pub fn derive_key(session_key: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(session_key).expect("HMAC takes a key of any length");
    mac.update(KEY_PURPOSE);
    mac.finalize().into_bytes().into()
}

pub fn encode(key: &[u8; 32], claims: &Claims) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key))
        .expect("HS256 signing with a byte key cannot fail")
}

/// Why a bearer token is refused before the database is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not ours: malformed, wrong signature, wrong issuer or audience, or a session token.
    Invalid,
    /// Ours and intact, but its `exp` has passed.
    Expired,
}

/// Checks the signature, issuer and audience, then the expiry against `now` (no leeway).
pub fn decode(key: &[u8; 32], token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
    let mut v = Validation::new(Algorithm::HS256);
    v.set_required_spec_claims(&["exp", "sub", "aud", "iss"]);
    v.set_audience(&[AUDIENCE]);
    v.set_issuer(&[ISSUER]);
    // The expiry is checked below against the caller's clock.
    v.validate_exp = false;
    v.leeway = 0;
    let claims = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(key), &v)
        .map_err(|_| TokenError::Invalid)?
        .claims;
    if claims.token_id().is_none() {
        return Err(TokenError::Invalid);
    }
    if claims.exp <= now.timestamp() {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// A token as the board asks for it on the portal page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub name: String,
    pub scopes: Scopes,
    pub valid_days: i64,
}

/// Checks the portal form: a name, at least one scope, a validity of 1 to 730 days.
pub fn token_request(name: &str, scopes: &[Scope], days: &str) -> Result<TokenRequest, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("naam", super::validate::required(name, 100));
    if scopes.is_empty() {
        errors.add("bevoegdheden", "Kies wat het token mag: zaken lezen, klaagschriften indienen of beide.");
    }
    let days = match days.trim() {
        "" => Some(DEFAULT_VALID_DAYS),
        d => match d.parse::<i64>() {
            Ok(n) if (1..=MAX_VALID_DAYS).contains(&n) => Some(n),
            _ => {
                errors.add(
                    "dagen",
                    format!("Geef een geldigheid van 1 tot en met {MAX_VALID_DAYS} dagen (ten hoogste twee jaar)."),
                );
                None
            }
        },
    };
    match (name, days, errors.is_empty()) {
        (Some(name), Some(valid_days), true) => {
            Ok(TokenRequest { name, scopes: Scopes::new(scopes.iter().copied()), valid_days })
        }
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/// The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`.
pub const SIGNATURE_HEADER: &str = "X-Klachtencommissie-Signature";
/// The header carrying the delivery id; the same on every attempt of one delivery.
pub const DELIVERY_HEADER: &str = "X-Klachtencommissie-Delivery";
/// The header carrying the event name.
pub const EVENT_HEADER: &str = "X-Klachtencommissie-Event";
/// The event of a status change.
pub const STATUS_EVENT: &str = "zaak.status";
/// How far a signature's time may lie from the receiver's clock (the default of [`verify`]).
pub const SIGNATURE_TOLERANCE_SECS: i64 = 300;

/// The signed text: `"{timestamp}.{body}"`.
fn mac_of(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The hex HMAC-SHA256 of `"{timestamp}.{body}"` under the board's secret (the secret's text,
/// as shown on the portal page, is the key).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    hex::encode(mac_of(secret.as_bytes(), timestamp, body).finalize().into_bytes())
}

/// The value of [`SIGNATURE_HEADER`].
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, body))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// The header is not `t=...,v1=...`.
    Malformed,
    /// The time in the header lies too far from now (a replay, or a wrong clock).
    Stale,
    /// No `v1` value matches.
    Mismatch,
}

/// What a receiver checks: the header's time lies within `tolerance_secs` of `now`, and one of
/// its `v1` values is the HMAC of `"{t}.{body}"` under the secret (compared in constant time).
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: DateTime<Utc>,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = Some(t.parse::<i64>().map_err(|_| SignatureError::Malformed)?),
            Some(("v1", v)) => candidates.push(hex::decode(v).map_err(|_| SignatureError::Malformed)?),
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now.timestamp() - timestamp).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    let expected = mac_of(secret.as_bytes(), timestamp, body).finalize().into_bytes();
    let mut ok = subtle::Choice::from(0);
    for c in &candidates {
        ok |= expected[..].ct_eq(c.as_slice());
    }
    if bool::from(ok) { Ok(()) } else { Err(SignatureError::Mismatch) }
}

/// A new webhook secret from 32 random bytes: `whsec_` and 64 hex digits.
pub fn new_secret(random: [u8; 32]) -> String {
    format!("whsec_{}", hex::encode(random))
}

/// The text stored in `cases.announced_state` for a status and outcome: `status/outcome`
/// (`ontvangen/`, `afgesloten/ingetrokken`). The announcing query computes the same with
/// `status || '/' || COALESCE(outcome, '')`.
pub fn announced_state(status: &str, outcome: Option<&str>) -> String {
    format!("{status}/{}", outcome.unwrap_or(""))
}

/// A status change to announce to the board's system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEvent {
    pub delivery_id: String,
    pub zaaknummer: String,
    pub status: CaseStatus,
    pub outcome: Option<Outcome>,
    pub occurred_at: DateTime<Utc>,
}

/// The JSON body of a status change (described under `webhooks` in the OpenAPI document).
pub fn payload(e: &StatusEvent) -> String {
    serde_json::json!({
        "event": STATUS_EVENT,
        "delivery_id": e.delivery_id,
        "occurred_at": e.occurred_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "zaaknummer": e.zaaknummer,
        "status": { "code": e.status.code(), "label": e.status.label() },
        "outcome": e.outcome.map(|o| serde_json::json!({ "code": o.code(), "label": o.label() })),
    })
    .to_string()
}

/// A new delivery id from 16 random bytes (32 hex digits).
pub fn new_delivery_id(random: [u8; 16]) -> String {
    hex::encode(random)
}

/// Checks the webhook URL a board types: `https://` (or `http://` to this machine only:
/// `127.0.0.1`, `localhost`, `[::1]`), a host name or public address, no credentials, no
/// fragment. Returns the URL as it will be used.
pub fn webhook_url(input: &str) -> Result<String, String> {
    let url = input.trim();
    if url.is_empty() {
        return Err("Vul het adres in waarop uw systeem de meldingen ontvangt.".into());
    }
    if url.len() > 2000 {
        return Err("Het adres is te lang (ten hoogste 2000 tekens).".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
        return Err("Het adres mag geen spaties, onzichtbare tekens of letters met accenten bevatten.".into());
    }
    let lower = url.to_ascii_lowercase();
    let (https, rest) = if let Some(r) = lower.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = lower.strip_prefix("http://") {
        (false, r)
    } else {
        return Err("Het adres moet beginnen met https://.".into());
    };
    if url.contains('#') {
        return Err("Het adres mag geen #-deel bevatten.".into());
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.is_empty() {
        return Err("Het adres mist de naam van de server.".into());
    }
    if authority.contains('@') {
        return Err("Het adres mag geen gebruikersnaam of wachtwoord bevatten.".into());
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']').ok_or("De servernaam in het adres is ongeldig.")?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or("De servernaam in het adres is ongeldig.")?),
        };
        let ip: std::net::Ipv6Addr = inside.parse().map_err(|_| "De servernaam in het adres is ongeldig.")?;
        (Host::V6(ip), port)
    } else {
        let (name, port) = match authority.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (authority, None),
        };
        let valid_name = !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !valid_name {
            return Err("De servernaam in het adres is ongeldig.".into());
        }
        match name.parse::<std::net::Ipv4Addr>() {
            Ok(ip) => (Host::V4(ip), port),
            Err(_) => (Host::Name(name.to_owned()), port),
        }
    };
    if let Some(p) = port
        && !(p.len() <= 5
            && p.chars().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n)))
    {
        return Err("Het poortnummer in het adres is ongeldig.".into());
    }
    let loopback = match &host {
        Host::V4(ip) => *ip == std::net::Ipv4Addr::LOCALHOST,
        Host::V6(ip) => *ip == std::net::Ipv6Addr::LOCALHOST,
        Host::Name(n) => n == "localhost",
    };
    if !https && !loopback {
        return Err(
            "Gebruik een adres dat met https:// begint; http:// kan alleen voor een systeem op deze server (localhost)."
                .into(),
        );
    }
    let internal = match &host {
        Host::V4(ip) => {
            let o = ip.octets();
            ip.is_private()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (ip.is_loopback() && *ip != std::net::Ipv4Addr::LOCALHOST)
        }
        Host::V6(ip) => {
            ip.is_unspecified() || ip.is_unique_local() || ip.is_unicast_link_local() || ip.to_ipv4_mapped().is_some()
        }
        Host::Name(_) => false,
    };
    if internal {
        return Err("Een intern netwerkadres kan niet worden gebruikt; geef het openbare adres van uw systeem.".into());
    }
    Ok(url.to_owned())
}

enum Host {
    V4(std::net::Ipv4Addr),
    V6(std::net::Ipv6Addr),
    Name(String),
}

// ---------------------------------------------------------------------------------------------
// Base64 (RFC 4648 §4, the standard alphabet with padding): documents travel in JSON so.

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64; line breaks and spaces (as in MIME) are skipped, padding is
/// optional. Anything else outside the alphabet is refused.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut padding = 0usize;
    for c in text.bytes() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return None;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero padding of a 2- or 3-character final group.
    if padding > 2 || bits >= 6 || acc != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(ts: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(ts, 0).unwrap()
    }

    #[test]
    fn scopes_parse_and_format_in_a_fixed_order() {
        let s = Scopes::parse("indienen lezen indienen").unwrap();
        assert_eq!(s.format(), "lezen indienen");
        assert!(s.contains(Scope::Lezen) && s.contains(Scope::Indienen));
        assert_eq!(Scopes::parse("lezen").unwrap().format(), "lezen");
        assert!(!Scopes::parse("lezen").unwrap().contains(Scope::Indienen));
        assert_eq!(Scopes::parse(""), None);
        assert_eq!(Scopes::parse("lezen schrijven"), None);
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.code()), Some(*s));
        }
    }

    #[test]
    fn the_key_is_derived_with_its_own_purpose() {
        // HMAC-SHA256(key = "sessiesleutel", "api-token"), computed with Python's hmac module.
        assert_eq!(
            hex::encode(derive_key(b"sessiesleutel")),
            "079ef34aa79c95482723a78267d2392f4d81adff301054d9d23e9d496313686f"
        );
        assert_ne!(derive_key(b"a"), derive_key(b"b"));
    }

    #[test]
    fn tokens_roundtrip_expire_and_resist_tampering() {
        let key = derive_key(b"server");
        let now = at(1_800_000_000);
        let scopes = Scopes::parse("lezen").unwrap();
        let claims = Claims::new(7, 3, &scopes, now, now + chrono::Duration::days(30));
        let t = encode(&key, &claims);
        assert_eq!(decode(&key, &t, now), Ok(claims.clone()));
        assert_eq!(claims.token_id(), Some(7));
        assert_eq!(decode(&key, &t, now + chrono::Duration::days(30)), Err(TokenError::Expired));
        assert_eq!(decode(&derive_key(b"other"), &t, now), Err(TokenError::Invalid));
        let mut forged = t.clone();
        forged.replace_range(forged.len() - 3.., "AAA");
        assert_eq!(decode(&key, &forged, now), Err(TokenError::Invalid));
        assert_eq!(decode(&key, "geen.jwt.token", now), Err(TokenError::Invalid));
        // An expired token with a wrong signature is invalid, not merely expired.
        assert_eq!(decode(&derive_key(b"other"), &t, now + chrono::Duration::days(31)), Err(TokenError::Invalid));
    }

    #[test]
    fn other_audiences_and_issuers_are_refused() {
        let key = derive_key(b"server");
        let now = at(1_800_000_000);
        let mut c = Claims::new(1, 1, &Scopes::parse("lezen").unwrap(), now, now + chrono::Duration::days(1));
        c.aud = "agenda".into();
        assert_eq!(decode(&key, &encode(&key, &c), now), Err(TokenError::Invalid));
        let mut c2 = Claims::new(1, 1, &Scopes::parse("lezen").unwrap(), now, now + chrono::Duration::days(1));
        c2.iss = "iemand-anders".into();
        assert_eq!(decode(&key, &encode(&key, &c2), now), Err(TokenError::Invalid));
        // A session-shaped token signed with the same key still lacks iss/aud.
        #[derive(Serialize)]
        struct Session {
            sid: String,
            sub: String,
            iat: i64,
            exp: i64,
        }
        let s = Session { sid: "x".into(), sub: "1".into(), iat: now.timestamp(), exp: now.timestamp() + 60 };
        let t = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &s, &EncodingKey::from_secret(&key)).unwrap();
        assert_eq!(decode(&key, &t, now), Err(TokenError::Invalid));
    }

    #[test]
    fn a_token_request_needs_a_name_a_scope_and_at_most_two_years() {
        let ok = token_request(" Leerlingvolgsysteem ", &[Scope::Lezen], "30").unwrap();
        assert_eq!(ok.name, "Leerlingvolgsysteem");
        assert_eq!(ok.valid_days, 30);
        assert_eq!(token_request("x", &[Scope::Indienen], "").unwrap().valid_days, DEFAULT_VALID_DAYS);
        assert_eq!(token_request("x", &[Scope::Lezen], "730").unwrap().valid_days, 730);
        let e = token_request("", &[], "731").unwrap_err();
        assert!(e.contains("naam") && e.contains("bevoegdheden") && e.contains("dagen"));
        assert!(token_request("x", &[Scope::Lezen], "0").unwrap_err().contains("dagen"));
        assert!(token_request("x", &[Scope::Lezen], "een jaar").unwrap_err().contains("dagen"));
    }

    #[test]
    fn signature_test_vector() {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(
        //   b'whsec_0123456789abcdef', b'1764498900.{...}', hashlib.sha256).hexdigest())"
        let body = br#"{"event":"zaak.status","zaaknummer":"2026-0001"}"#;
        let secret = "whsec_0123456789abcdef";
        assert_eq!(
            sign(secret, 1_764_498_900, body),
            "cd993f5cc7fb9e02a6c3677941c9efb9af1fb7661a187065f3b7013b1d8e31d2"
        );
        assert_eq!(
            signature_header(secret, 1_764_498_900, body),
            "t=1764498900,v1=cd993f5cc7fb9e02a6c3677941c9efb9af1fb7661a187065f3b7013b1d8e31d2"
        );
    }

    #[test]
    fn signatures_verify_and_refuse_changes() {
        let secret = "whsec_abc";
        let body = br#"{"event":"zaak.status"}"#;
        let now = at(1_800_000_000);
        let h = signature_header(secret, now.timestamp(), body);
        assert_eq!(verify(secret, &h, body, now, SIGNATURE_TOLERANCE_SECS), Ok(()));
        assert_eq!(verify(secret, &h, body, now + chrono::Duration::seconds(300), 300), Ok(()));
        assert_eq!(verify(secret, &h, body, now + chrono::Duration::seconds(301), 300), Err(SignatureError::Stale));
        assert_eq!(verify("whsec_other", &h, body, now, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify(secret, &h, br#"{"event":"zaak.statu5"}"#, now, 300), Err(SignatureError::Mismatch));
        // The time is part of what is signed: moving it breaks the signature.
        let moved = h.replace("t=1800000000", "t=1800000001");
        assert_eq!(verify(secret, &moved, body, now, 300), Err(SignatureError::Mismatch));
        // Several v1 values (a receiver rotating secrets): one match suffices.
        let two = format!("{h},v1={}", "00".repeat(32));
        assert_eq!(verify(secret, &two, body, now, 300), Ok(()));
        for bad in ["", "t=abc,v1=00", "v1=00", "t=1800000000", "t=1800000000,v1=zz", "garbage"] {
            assert_eq!(verify(secret, bad, body, now, 300), Err(SignatureError::Malformed), "{bad}");
        }
    }

    #[test]
    fn secrets_and_delivery_ids() {
        let s = new_secret([0xab; 32]);
        assert!(s.starts_with("whsec_") && s.len() == 6 + 64);
        assert_eq!(new_delivery_id([1; 16]), "01".repeat(16));
    }

    #[test]
    fn the_payload_names_the_case_its_status_and_outcome() {
        let e = StatusEvent {
            delivery_id: "d1".into(),
            zaaknummer: "2026-0001".into(),
            status: CaseStatus::Afgesloten,
            outcome: Some(Outcome::Ingetrokken),
            occurred_at: at(1_800_000_000),
        };
        let v: serde_json::Value = serde_json::from_str(&payload(&e)).unwrap();
        assert_eq!(v["event"], "zaak.status");
        assert_eq!(v["delivery_id"], "d1");
        assert_eq!(v["zaaknummer"], "2026-0001");
        assert_eq!(v["status"]["code"], "afgesloten");
        assert_eq!(v["status"]["label"], "Afgesloten");
        assert_eq!(v["outcome"]["code"], "ingetrokken");
        assert_eq!(v["occurred_at"], "2027-01-15T08:00:00Z");
        let open = StatusEvent { status: CaseStatus::Ontvangen, outcome: None, ..e };
        let v: serde_json::Value = serde_json::from_str(&payload(&open)).unwrap();
        assert!(v["outcome"].is_null());
        assert_eq!(announced_state("ontvangen", None), "ontvangen/");
        assert_eq!(announced_state("afgesloten", Some("ingetrokken")), "afgesloten/ingetrokken");
    }

    #[test]
    fn webhook_urls() {
        for ok in [
            "https://lvs.school.nl/hooks/klachten",
            "https://lvs.school.nl:8443/hooks?bron=kc",
            "HTTPS://Systeem.Voorbeeld.NL",
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://[::1]:9000/hook",
            "https://127.0.0.1:8443/",
            "https://203.0.113.7/hook",
        ] {
            assert_eq!(webhook_url(ok).as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(webhook_url("  https://a.nl/x  ").unwrap(), "https://a.nl/x");
        for (bad, why) in [
            ("", "Vul het adres in"),
            ("http://lvs.school.nl/hook", "https://"),
            ("http://10.0.0.5/hook", "https://"),
            ("ftp://lvs.school.nl", "https://"),
            ("lvs.school.nl/hook", "https://"),
            ("https://", "naam van de server"),
            ("https://user:pw@lvs.school.nl/", "gebruikersnaam"),
            ("https://lvs.school.nl/a b", "spaties"),
            ("https://lvs.school.nl:99999/", "poortnummer"),
            ("https://lvs.school.nl:/", "poortnummer"),
            ("https://lvs_school.nl/", "servernaam"),
            ("https://-a.nl/", "servernaam"),
            ("https://[::1/", "servernaam"),
            ("https://lvs.school.nl/#x", "#-deel"),
            ("https://10.1.2.3/hook", "intern netwerkadres"),
            ("https://192.168.1.10/hook", "intern netwerkadres"),
            ("https://172.16.0.1/hook", "intern netwerkadres"),
            ("https://169.254.169.254/latest", "intern netwerkadres"),
            ("https://0.0.0.0/", "intern netwerkadres"),
            ("https://127.0.0.2/", "intern netwerkadres"),
            ("https://[fd00::1]/", "intern netwerkadres"),
            ("https://[fe80::1]/", "intern netwerkadres"),
            ("https://[::ffff:10.0.0.1]/", "intern netwerkadres"),
            ("https://scholen.nl/é", "accenten"),
        ] {
            let e = webhook_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        assert!(webhook_url(&format!("https://a.nl/{}", "x".repeat(2000))).unwrap_err().contains("te lang"));
    }

    #[test]
    fn base64_roundtrips_and_matches_python() {
        assert_eq!(base64_encode(b"%PDF-1.4 klacht\n"), "JVBERi0xLjQga2xhY2h0Cg==");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert_eq!(base64_encode(b""), "");
        let all: Vec<u8> = (0..=255).collect();
        assert!(base64_encode(&all).starts_with("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"));
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64_decode("YWI"), Some(b"ab".to_vec()), "padding optional");
        assert_eq!(base64_decode("JVBE\r\nRi0x"), Some(b"%PDF-1".to_vec()), "line breaks skipped");
        for bad in ["YW*=", "YW=I", "Y", "YWI==="] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }
}

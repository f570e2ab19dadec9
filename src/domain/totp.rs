//! Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 30-second steps,
//! six digits, one step of clock drift either way; a step once used is never accepted again
//! for the same account. Also base32 (RFC 4648, as authenticator apps take secrets), the
//! `otpauth://` enrolment URI, and the shape and hash of single-use recovery codes. Pure: the
//! caller brings the time, the randomness and the stored last step.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret (160 bits, RFC 4226's recommendation for HMAC-SHA-1).
pub const SECRET_BYTES: usize = 20;
/// Steps of clock drift accepted on either side of the current one.
pub const WINDOW: i64 = 1;
/// Recovery codes handed out at once.
pub const RECOVERY_CODES: usize = 10;

/// HOTP (RFC 4226 §5.3): the `digits`-digit value for a counter.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[offset] & 0x7f, h[offset + 1], h[offset + 2], h[offset + 3]]);
    bin % 10u32.pow(digits)
}

/// The time step a moment (seconds since the epoch) falls in.
pub fn step_at(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECONDS)
}

/// The six-digit code of a time step, zero-padded.
pub fn code_for_step(secret: &[u8], step: i64) -> String {
    format!("{:0width$}", hotp(secret, step.max(0) as u64, DIGITS), width = DIGITS as usize)
}

/// The six-digit code at a moment (seconds since the epoch).
pub fn code_at(secret: &[u8], unix: i64) -> String {
    code_for_step(secret, step_at(unix))
}

/// Whether the input has the shape of a code (six digits, spaces ignored).
pub fn looks_like_code(input: &str) -> bool {
    let c = compact(input);
    c.len() == DIGITS as usize && c.bytes().all(|b| b.is_ascii_digit())
}

fn compact(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks a typed code at `unix` against the steps within [`WINDOW`] of now that are later
/// than `last_step` (the last step this account used). Returns the step it matched, which the
/// caller stores as the new last step so the code cannot be used again. Every candidate is
/// compared, in constant time.
pub fn verify(secret: &[u8], input: &str, unix: i64, last_step: Option<i64>) -> Option<i64> {
    let typed = compact(input);
    if !looks_like_code(&typed) {
        return None;
    }
    let now = step_at(unix);
    let mut matched = None;
    for step in (now - WINDOW)..=(now + WINDOW) {
        let fresh = last_step.is_none_or(|last| step > last);
        let same: bool = code_for_step(secret, step).as_bytes().ct_eq(typed.as_bytes()).into();
        if same && fresh && step >= 0 {
            matched = Some(step);
        }
    }
    matched
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648) without padding, as authenticator apps take a secret.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes base32: case-insensitive, spaces and `=` padding ignored; `None` for any other
/// character or for leftover bits that are not zero (a non-canonical text).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = ALPHABET.iter().position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if bits >= 5 || buffer != 0 {
        return None;
    }
    Some(out)
}

/// The enrolment URI (Google Authenticator's key URI format): the issuer and the account name
/// as label, the secret in base32, and the parameters spelled out.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let label = format!("{issuer}:{account}");
    format!(
        "otpauth://totp/{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        utf8_percent_encode(&label, NON_ALPHANUMERIC),
        base32_encode(secret),
        utf8_percent_encode(issuer, NON_ALPHANUMERIC),
    )
}

/// A recovery code from eight random bytes: ten base32 characters (50 bits) in lower case,
/// as `abcde-fghij`.
pub fn recovery_code(random: [u8; 8]) -> String {
    let chars = base32_encode(&random).to_ascii_lowercase();
    format!("{}-{}", &chars[..5], &chars[5..10])
}

/// A typed recovery code as compared: lower case, without spaces and hyphens.
pub fn normalize_recovery(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

/// What is stored of a recovery code: the SHA-256 of its normalized form, in hex.
pub fn hash_recovery(input: &str) -> String {
    hex::encode(Sha256::digest(normalize_recovery(input).as_bytes()))
}

/// Whether a typed recovery code matches a stored hash (constant time).
pub fn recovery_matches(input: &str, stored_hash: &str) -> bool {
    hash_recovery(input).as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_sha1_vectors() {
        for (t, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            let eight = format!("{:08}", hotp(RFC_SECRET, step_at(t) as u64, 8));
            assert_eq!(eight, expected, "T = {t}");
            assert_eq!(code_at(RFC_SECRET, t), expected[2..], "six digits at T = {t}");
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *value);
        }
    }

    #[test]
    fn rfc4648_base32_vectors() {
        for (plain, encoded) in
            [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB")]
        {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base32_encode(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode("mzxw 6ytb oi======").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZXW1"), None, "1 is not in the alphabet");
        assert_eq!(base32_decode("MZ"), None, "leftover bits must be zero");
    }

    #[test]
    fn window_and_replay() {
        let t = 1_111_111_111;
        let code = code_at(RFC_SECRET, t);
        let step = step_at(t);
        assert_eq!(verify(RFC_SECRET, &code, t, None), Some(step));
        assert_eq!(verify(RFC_SECRET, &code, t + 30, None), Some(step), "one step late");
        assert_eq!(verify(RFC_SECRET, &code, t - 30, None), Some(step), "one step early");
        assert_eq!(verify(RFC_SECRET, &code, t + 61, None), None, "two steps late");
        assert_eq!(verify(RFC_SECRET, &code, t, Some(step)), None, "replay");
        assert_eq!(verify(RFC_SECRET, &format!("{} {}", &code[..3], &code[3..]), t, None), Some(step));
        assert_eq!(verify(RFC_SECRET, "12345", t, None), None);
        assert_eq!(verify(RFC_SECRET, "abcdef", t, None), None);
    }

    #[test]
    fn uri_names_issuer_account_and_secret() {
        let uri = otpauth_uri("Klachtencommissie", "a.b@demo.nl", RFC_SECRET);
        assert_eq!(
            uri,
            "otpauth://totp/Klachtencommissie%3Aa%2Eb%40demo%2Enl?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Klachtencommissie&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn recovery_codes_normalize_and_match() {
        let code = recovery_code([1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        let stored = hash_recovery(&code);
        assert!(recovery_matches(&code.to_uppercase().replace('-', " "), &stored));
        assert!(!recovery_matches("aaaaa-aaaaa", &stored));
        assert_eq!(stored.len(), 64);
    }

    proptest! {
        #[test]
        fn base32_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = base32_encode(&bytes);
            prop_assert!(text.bytes().all(|b| ALPHABET.contains(&b)));
            prop_assert_eq!(base32_decode(&text), Some(bytes.clone()));
            prop_assert_eq!(base32_decode(&text.to_ascii_lowercase()), Some(bytes));
        }

        #[test]
        fn a_code_is_accepted_within_one_step_and_not_beyond(
            secret in proptest::array::uniform20(any::<u8>()),
            t in 60i64..4_000_000_000,
            drift in -3i64..=3,
        ) {
            let code = code_at(&secret, t);
            let step = step_at(t);
            let now = (step + drift) * STEP_SECONDS + t.rem_euclid(STEP_SECONDS);
            let got = verify(&secret, &code, now, None);
            if drift.abs() <= WINDOW {
                prop_assert!(got.is_some());
            }
            // Whatever is accepted is a step in the window whose code is the one typed (beyond
            // the window only a chance collision of two steps' codes could match).
            if let Some(s) = got {
                prop_assert!((s - step_at(now)).abs() <= WINDOW);
                prop_assert_eq!(code_for_step(&secret, s), code.clone());
            } else {
                prop_assert!(drift.abs() > WINDOW);
            }
        }

        #[test]
        fn a_used_step_is_never_accepted_again(
            secret in proptest::array::uniform20(any::<u8>()),
            t in 60i64..4_000_000_000,
            later in 0i64..90,
        ) {
            let code = code_at(&secret, t);
            let used = verify(&secret, &code, t, None).expect("fresh code accepted");
            // The same code again, at any moment: only a later step with (by chance) the same
            // code could match, never the used one or an earlier one.
            if let Some(again) = verify(&secret, &code, t + later, Some(used)) {
                prop_assert!(again > used);
            }
            prop_assert_eq!(verify(&secret, &code, t, Some(used + WINDOW + 1)), None);
        }

        #[test]
        fn recovery_codes_hash_their_normal_form(random in any::<[u8; 8]>()) {
            let code = recovery_code(random);
            prop_assert_eq!(normalize_recovery(&code).len(), 10);
            prop_assert!(recovery_matches(&code.to_uppercase(), &hash_recovery(&code)));
        }
    }
}

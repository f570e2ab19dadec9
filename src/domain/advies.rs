//! The advies (Art 25) as pure rules: its four required sections and what they are prefilled
//! with, which sections a revision changed, the verification code printed on it, and the
//! signature: a JWS (EdDSA, Ed25519) over the SHA-256 of the PDF, the zaaknummer, the signer,
//! the role and the time, made and checked here from key bytes (the key file is `signing.rs`).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The sections Art 25.2 requires.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sections {
    /// A: the names and places of residence of the parties, the names of their gemachtigden.
    pub a: String,
    /// B: the grounds of the complaint.
    pub b: String,
    /// C: the judgment on admissibility and on each part, with any recommended measures.
    pub c: String,
    /// D: the names of the members who adopted the advies.
    pub d: String,
}

pub const HEADINGS: [(&str, &str); 4] = [
    ("A", "A. Partijen en gemachtigden"),
    ("B", "B. De klacht en haar gronden"),
    ("C", "C. Het oordeel van de commissie"),
    ("D", "D. Vastgesteld door"),
];

impl Sections {
    pub fn all(&self) -> [&str; 4] {
        [&self.a, &self.b, &self.c, &self.d]
    }

    /// The required sections that are empty, by letter.
    pub fn missing(&self) -> Vec<&'static str> {
        HEADINGS.iter().zip(self.all()).filter(|(_, t)| t.trim().is_empty()).map(|((l, _), _)| *l).collect()
    }

    /// The sections that differ from `before`, by letter.
    pub fn changed(&self, before: &Sections) -> Vec<&'static str> {
        HEADINGS
            .iter()
            .zip(self.all().into_iter().zip(before.all()))
            .filter(|(_, (a, b))| a != b)
            .map(|((l, _), _)| *l)
            .collect()
    }
}

/// The place in an address: the last line without its postcode ("3512 AB Utrecht" gives
/// "Utrecht").
pub fn place_of(address: &str) -> Option<String> {
    let last = address.lines().map(str::trim).rfind(|l| !l.is_empty())?;
    let words: Vec<&str> = last.split_whitespace().collect();
    let is_digits = |w: &str| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    let is_letters = |w: &str| w.len() == 2 && w.chars().all(|c| c.is_ascii_alphabetic());
    let rest = match words.as_slice() {
        [d, l, rest @ ..] if is_digits(d) && is_letters(l) => rest.to_vec(),
        [dl, rest @ ..] if dl.len() == 6 && is_digits(&dl[..4]) && is_letters(&dl[4..]) => rest.to_vec(),
        all => all.to_vec(),
    };
    let place = rest.join(" ");
    if place.is_empty() { None } else { Some(place) }
}

/// A person named in section A.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub role: &'static str,
    pub name: String,
    pub place: Option<String>,
}

/// Section A, prefilled: parties with their places of residence, gemachtigden by name.
pub fn prefill_a(people: &[Named]) -> String {
    people
        .iter()
        .map(|p| match &p.place {
            Some(place) => format!("{}: {}, wonende te {place}", p.role, p.name),
            None => format!("{}: {}", p.role, p.name),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Section C, prefilled from the answers of the deliberation.
pub fn prefill_c(answers: &[(super::deliberation::QuestionKind, String, bool)]) -> String {
    use super::deliberation::QuestionKind::*;
    let mut out = Vec::new();
    for (kind, question, adopted) in answers {
        let subject = question.trim_end_matches('?');
        out.push(match (kind, adopted) {
            (Ontvankelijk, true) => "De commissie acht de klacht ontvankelijk.".to_owned(),
            (Ontvankelijk, false) => "De commissie acht de klacht niet-ontvankelijk.".to_owned(),
            (Gegrond, yes) => {
                let part = subject.rsplit(": ").next().unwrap_or(subject);
                // "Klacht over ..." reads as "klacht over ..." mid-sentence.
                let mut chars = part.chars();
                let part: String = chars.next().map(|f| f.to_lowercase().chain(chars).collect()).unwrap_or_default();
                format!("De klacht is {} ten aanzien van {part}.", if *yes { "gegrond" } else { "ongegrond" })
            }
            (Maatregelen, true) => "De commissie beveelt het bevoegd gezag de volgende maatregelen aan: ...".to_owned(),
            (Maatregelen, false) => {
                "De commissie ziet geen aanleiding het bevoegd gezag maatregelen aan te bevelen.".to_owned()
            }
        });
    }
    out.join("\n\n")
}

/// Section D, prefilled with the panel that deliberated.
pub fn prefill_d(members: &[(String, &'static str)]) -> String {
    let names: Vec<String> = members.iter().map(|(n, r)| format!("{n} ({r})")).collect();
    format!("Dit advies is vastgesteld door {}.", super::dutch::list(&names))
}

/// Unpadded base64url (RFC 4648 §5), as JWKs and JWS segments use it.
pub fn base64url(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Crockford base32, without the letters that look like digits.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The verification code printed on the advies: `KC-XXXX-XXXX` from 40 random bits.
pub fn verification_code(random: [u8; 5]) -> String {
    let mut n = random.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut chars = [0u8; 8];
    for c in chars.iter_mut().rev() {
        *c = ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    let s = String::from_utf8_lossy(&chars).into_owned();
    format!("KC-{}-{}", &s[..4], &s[4..])
}

/// A code as typed (any case, with or without dashes or spaces; O read as 0, I and L as 1), in
/// its printed form; `None` when it cannot be one.
pub fn normalize_code(input: &str) -> Option<String> {
    let mut s: String = input.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    if let Some(rest) = s.strip_prefix("KC") {
        s = rest.to_owned();
    }
    let s: String = s
        .chars()
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    if s.len() != 8 || !s.bytes().all(|b| ALPHABET.contains(&b)) {
        return None;
    }
    Some(format!("KC-{}-{}", &s[..4], &s[4..]))
}

/// What a signature states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureClaims {
    pub zaaknummer: String,
    /// SHA-256 of the PDF, hex.
    pub sha256: String,
    pub signer: String,
    /// `voorzitter` or `secretaris`.
    pub role: String,
    /// Seconds since the epoch.
    pub iat: i64,
    pub code: String,
}

/// Signs with the commission's key (PKCS#8 DER of an Ed25519 key).
pub fn sign(private_pkcs8_der: &[u8], kid: &str, claims: &SignatureClaims) -> Result<String, String> {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(private_pkcs8_der)).map_err(|e| e.to_string())
}

/// Why a signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("de handtekening is niet gezet met de sleutel van de commissie")]
    Signature,
    #[error("de handtekening hoort bij een ander document")]
    OtherDocument,
    #[error("de handtekening hoort bij een andere zaak")]
    OtherCase,
}

/// Checks a signature with the commission's public key (32 bytes) against the PDF's hash and
/// the zaaknummer it must name.
pub fn verify(public_key: &[u8], jws: &str, sha256: &str, zaaknummer: &str) -> Result<SignatureClaims, Invalid> {
    let mut v = Validation::new(Algorithm::EdDSA);
    v.validate_exp = false;
    v.required_spec_claims.clear();
    v.validate_aud = false;
    let claims = jsonwebtoken::decode::<SignatureClaims>(jws, &DecodingKey::from_ed_der(public_key), &v)
        .map_err(|_| Invalid::Signature)?
        .claims;
    if claims.sha256 != sha256 {
        return Err(Invalid::OtherDocument);
    }
    if claims.zaaknummer != zaaknummer {
        return Err(Invalid::OtherCase);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    use proptest::prelude::*;

    fn key(seed: u8) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&[seed; 32])
    }

    fn claims() -> SignatureClaims {
        SignatureClaims {
            zaaknummer: "2026-0005".into(),
            sha256: "ab".repeat(32),
            signer: "mr. A. de Boer".into(),
            role: "voorzitter".into(),
            iat: 1_790_000_000,
            code: "KC-0000-0001".into(),
        }
    }

    #[test]
    fn a_signature_holds_for_its_document_only() {
        let k = key(1);
        let der = k.to_pkcs8_der().unwrap();
        let jws = sign(der.as_bytes(), "k1", &claims()).unwrap();
        let public = k.verifying_key().to_bytes();
        assert_eq!(verify(&public, &jws, &"ab".repeat(32), "2026-0005"), Ok(claims()));
        assert_eq!(verify(&public, &jws, &"cd".repeat(32), "2026-0005"), Err(Invalid::OtherDocument));
        assert_eq!(verify(&public, &jws, &"ab".repeat(32), "2026-0006"), Err(Invalid::OtherCase));
        // Made with another key: refused, even with the right claims.
        let other = sign(key(2).to_pkcs8_der().unwrap().as_bytes(), "k1", &claims()).unwrap();
        assert_eq!(verify(&public, &other, &"ab".repeat(32), "2026-0005"), Err(Invalid::Signature));
        // A changed payload breaks the signature.
        let parts: Vec<&str> = jws.split('.').collect();
        let forged_claims = SignatureClaims { signer: "iemand anders".into(), ..claims() };
        let body = base64url(&serde_json::to_vec(&forged_claims).unwrap());
        let forged = format!("{}.{}.{}", parts[0], body, parts[2]);
        assert_eq!(verify(&public, &forged, &"ab".repeat(32), "2026-0005"), Err(Invalid::Signature));
    }

    #[test]
    fn sections_report_what_is_missing_and_what_changed() {
        let mut s = Sections { a: "Klager: X".into(), b: " ".into(), c: String::new(), d: "D".into() };
        assert_eq!(s.missing(), vec!["B", "C"]);
        let before = s.clone();
        s.c = "Gegrond.".into();
        assert_eq!(s.changed(&before), vec!["C"]);
        assert!(s.changed(&s.clone()).is_empty());
    }

    #[test]
    fn places_come_from_the_last_address_line() {
        assert_eq!(place_of("Dorpsstraat 1\n3512 AB Utrecht").as_deref(), Some("Utrecht"));
        assert_eq!(place_of("Kerkstraat 2\n6211KL Maastricht").as_deref(), Some("Maastricht"));
        assert_eq!(place_of("Postbus 9\n1000 AA 's-Hertogenbosch").as_deref(), Some("'s-Hertogenbosch"));
        assert_eq!(place_of("Den Haag").as_deref(), Some("Den Haag"));
        assert_eq!(place_of(""), None);
    }

    #[test]
    fn prefills_read_as_an_advies() {
        let a = prefill_a(&[
            Named { role: "Klager", name: "E. Jansen".into(), place: Some("Utrecht".into()) },
            Named { role: "Gemachtigde van klager", name: "mr. Vos".into(), place: None },
        ]);
        assert_eq!(a, "Klager: E. Jansen, wonende te Utrecht\nGemachtigde van klager: mr. Vos");
        use crate::domain::deliberation::QuestionKind::*;
        let c = prefill_c(&[
            (Ontvankelijk, "Is de klacht ontvankelijk?".into(), true),
            (Gegrond, "Is de klacht gegrond ten aanzien van: de bejegening?".into(), false),
        ]);
        assert!(c.contains("ontvankelijk.") && c.contains("ongegrond ten aanzien van de bejegening."), "{c}");
        assert_eq!(
            prefill_d(&[("A".into(), "voorzitter"), ("B".into(), "lid")]),
            "Dit advies is vastgesteld door A (voorzitter) en B (lid)."
        );
    }

    #[test]
    fn codes_are_printed_and_read_back() {
        let c = verification_code([0, 0, 0, 0, 1]);
        assert_eq!(c, "KC-0000-0001");
        assert_eq!(normalize_code("kc 0000 0001").as_deref(), Some("KC-0000-0001"));
        assert_eq!(normalize_code("KC-OOOO-OOOl").as_deref(), Some("KC-0000-0001"));
        assert_eq!(normalize_code("KC-0000"), None);
        assert_eq!(normalize_code("KC-UUUU-0000"), None, "U is not in the alphabet");
    }

    proptest! {
        #[test]
        fn every_code_reads_back_as_itself(bytes in any::<[u8; 5]>()) {
            let c = verification_code(bytes);
            prop_assert_eq!(c.len(), 12);
            prop_assert_eq!(normalize_code(&c), Some(c.clone()));
            prop_assert_eq!(normalize_code(&c.to_lowercase().replace('-', " ")), Some(c));
        }
    }
}

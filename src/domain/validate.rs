//! Validation of what people type, with the Dutch message shown next to the field.

/// Per-field error messages (Dutch), keyed by the field's name.
#[derive(Debug, Default, Clone)]
/// In the order they were found, which is the order of the form: the error summary lists
/// them top to bottom. The first error per field wins.
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, msg: impl Into<String>) {
        if !self.contains(field) {
            self.0.push((field.to_owned(), msg.into()));
        }
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    pub fn contains(&self, field: &str) -> bool {
        self.get(field).is_some()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// (field, message) pairs in form order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// Runs a validation, recording its error under `field`; returns the value when valid.
    pub fn check<T, E: ToString>(&mut self, field: &str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }
}

/// Normalises an e-mail address (trimmed, lower-case) and checks its shape.
pub fn email(input: &str) -> Result<String, &'static str> {
    let e = input.trim().to_lowercase();
    let (local, domain) = e.split_once('@').ok_or("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
        && e.len() <= 254;
    if ok { Ok(e) } else { Err("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.") }
}

/// An optional e-mail: empty means none.
pub fn optional_email(input: &str) -> Result<Option<String>, &'static str> {
    if input.trim().is_empty() { Ok(None) } else { email(input).map(Some) }
}

/// A required single-line text with a maximum length.
pub fn required(input: &str, max: usize) -> Result<String, String> {
    let t = input.trim();
    if t.is_empty() {
        Err("Dit veld is verplicht.".into())
    } else if t.chars().count() > max {
        Err(format!("Maximaal {max} tekens."))
    } else {
        Ok(t.to_owned())
    }
}

pub fn optional(input: &str, max: usize) -> Result<Option<String>, String> {
    if input.trim().is_empty() { Ok(None) } else { required(input, max).map(Some) }
}

pub const MIN_PASSWORD_LEN: usize = 10;

/// Password policy: long enough; length beats composition rules (NIST SP 800-63B).
pub fn password(input: &str) -> Result<(), String> {
    if input.chars().count() < MIN_PASSWORD_LEN {
        Err(format!("Het wachtwoord moet minstens {MIN_PASSWORD_LEN} tekens lang zijn."))
    } else if input.len() > 1024 {
        Err("Het wachtwoord is te lang.".into())
    } else {
        Ok(())
    }
}

/// A date typed as `YYYY-MM-DD` (what `<input type=date>` sends) or `DD-MM-YYYY`.
pub fn date(input: &str) -> Result<chrono::NaiveDate, &'static str> {
    let t = input.trim();
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%d-%m-%Y"))
        .map_err(|_| "Vul een geldige datum in (dd-mm-jjjj).")
}

pub fn optional_date(input: &str) -> Result<Option<chrono::NaiveDate>, &'static str> {
    if input.trim().is_empty() { Ok(None) } else { date(input).map(Some) }
}

/// Why a request carrying a NUL character is refused: no one types it, and PostgreSQL cannot
/// store it in a text column.
pub const NUL_MESSAGE: &str =
    "Het formulier bevat een ongeldig teken (een NUL-teken). Verwijder het en probeer het opnieuw.";

/// Whether a form body (`application/x-www-form-urlencoded`) carries a NUL character: raw, or
/// percent-encoded as `%00` (decoding is a single pass, so that is the only spelling).
pub fn urlencoded_has_nul(body: &[u8]) -> bool {
    body.contains(&0) || body.windows(3).any(|w| w == b"%00")
}

/// Whether a JSON text carries a NUL character: raw, or as the escape `\u0000` (which is an
/// escape only after an even number of backslashes, i.e. when its own backslash is not escaped).
pub fn json_has_nul(body: &[u8]) -> bool {
    if body.contains(&0) {
        return true;
    }
    body.windows(6)
        .enumerate()
        .any(|(i, w)| w == b"\\u0000" && body[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_in_every_spelling_and_only_then() {
        assert!(urlencoded_has_nul(b"naam=a%00b"));
        assert!(urlencoded_has_nul(b"naam=a\0b"));
        assert!(!urlencoded_has_nul(b"naam=100%25&x=%2000"));
        assert!(json_has_nul(br#"{"naam":"a\u0000b"}"#));
        assert!(json_has_nul(br#"{"naam":"\\\u0000"}"#), "an escaped backslash, then the escape");
        assert!(!json_has_nul(br#"{"naam":"\\u0000"}"#), "the text \\u0000, not a NUL");
        assert!(!json_has_nul(br#"{"naam":"u0000 \u0001"}"#));
    }

    proptest::proptest! {
        /// Whatever a form or JSON encoder makes of a text, the check sees a NUL exactly when
        /// the text holds one.
        #[test]
        fn the_nul_checks_agree_with_the_encoders(text in "[a-z\\\\%u0 \u{0}]{0,12}") {
            let form = serde_urlencoded::to_string([("veld", text.as_str())]).unwrap();
            proptest::prop_assert_eq!(urlencoded_has_nul(form.as_bytes()), text.contains('\0'));
            let json = serde_json::to_string(&text).unwrap();
            proptest::prop_assert_eq!(json_has_nul(json.as_bytes()), text.contains('\0'));
        }
    }

    #[test]
    fn emails() {
        assert_eq!(email("  Jan@Voorbeeld.NL ").unwrap(), "jan@voorbeeld.nl");
        for bad in ["", "jan", "jan@", "@x.nl", "jan@nl", "jan@.nl", "jan@x.nl.", "j an@x.nl", "a@b@c.nl"] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(optional_email(" ").unwrap(), None);
    }

    #[test]
    fn texts_and_passwords() {
        assert!(required("  ", 10).is_err());
        assert_eq!(required(" a ", 10).unwrap(), "a");
        assert!(required("abcdef", 5).is_err());
        assert!(password("kort").is_err());
        assert!(password("welkom-demo").is_ok());
    }

    #[test]
    fn dates_in_both_notations() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(date("2026-11-23"), Ok(d));
        assert_eq!(date("23-11-2026"), Ok(d));
        assert!(date("31-02-2026").is_err());
        assert_eq!(optional_date(""), Ok(None));
    }
}

//! The zaaknummer: `YYYY-NNNN`, the year of receipt and a sequence number within that year.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Zaaknummer {
    pub year: i32,
    pub seq: i32,
}

impl Zaaknummer {
    pub fn new(year: i32, seq: i32) -> Option<Self> {
        ((1900..=9999).contains(&year) && seq >= 1).then_some(Self { year, seq })
    }

    /// Parses `2026-0007`; at least four digits of sequence (more once a year passes 9999).
    pub fn parse(s: &str) -> Option<Self> {
        let (y, n) = s.split_once('-')?;
        if y.len() != 4 || n.len() < 4 || !y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::new(y.parse().ok()?, n.parse().ok()?)
    }
}

/// Whether some zaaknummer could start with `q`: four digits, a dash, then digits. The search
/// box looks up zaaknummers only for such a `q`; any other text can only be part of a name.
pub fn could_start(q: &str) -> bool {
    q.chars().enumerate().all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_digit() })
}

impl fmt::Display for Zaaknummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:04}", self.year, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_with_leading_zeros() {
        assert_eq!(Zaaknummer::new(2026, 7).unwrap().to_string(), "2026-0007");
        assert_eq!(Zaaknummer::new(2026, 12345).unwrap().to_string(), "2026-12345");
    }

    #[test]
    fn rejects_malformed() {
        for s in ["", "2026", "2026-", "2026-007", "26-0007", "2026-00a7", "2026-0000", "2026_0007", "-2026-0001"] {
            assert_eq!(Zaaknummer::parse(s), None, "{s}");
        }
    }

    #[test]
    fn only_digits_and_the_dash_can_start_a_zaaknummer() {
        for q in ["2", "2026", "2026-", "2026-00", "2026-0007", "2026-123456"] {
            assert!(could_start(q), "{q}");
        }
        for q in ["jan", "2026 ", "-2026", "20260", "2026--", "2026-0a", "２０２６", "de 2026"] {
            assert!(!could_start(q), "{q}");
        }
    }

    proptest! {
        /// Every start of every zaaknummer is recognised, and whatever is recognised does not
        /// rule out a zaaknummer that starts with it (the search never misses a number).
        #[test]
        fn every_start_of_a_zaaknummer_counts(year in 1900i32..=9999, seq in 1i32..=999_999, q in "[0-9a-z -]{0,12}") {
            let z = Zaaknummer::new(year, seq).unwrap().to_string();
            for end in 0..=z.len() {
                prop_assert!(could_start(&z[..end]), "{}", &z[..end]);
            }
            if z.starts_with(&q) {
                prop_assert!(could_start(&q));
            }
        }

        #[test]
        fn display_parse_roundtrip(year in 1900i32..=9999, seq in 1i32..=999_999) {
            let z = Zaaknummer::new(year, seq).unwrap();
            prop_assert_eq!(Zaaknummer::parse(&z.to_string()), Some(z));
        }
    }
}

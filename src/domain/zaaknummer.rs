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

    proptest! {
        #[test]
        fn display_parse_roundtrip(year in 1900i32..=9999, seq in 1i32..=999_999) {
            let z = Zaaknummer::new(year, seq).unwrap();
            prop_assert_eq!(Zaaknummer::parse(&z.to_string()), Some(z));
        }
    }
}

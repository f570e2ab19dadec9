//! The retention policy (issue 9): a closed case file is kept a number of years (five unless
//! the commission sets otherwise), then purged; a school register entry follows its own
//! five-year term ([`crate::domain::school_register::purge_after`]). Pure date rules.

use chrono::{Months, NaiveDate};

/// The commission's term when it has not set one.
pub const DEFAULT_YEARS: u32 = 5;
/// The shortest and longest terms the setting accepts: a file must outlive the Awb's
/// objection terms, and nothing is kept for ever.
pub const MIN_YEARS: u32 = 1;
pub const MAX_YEARS: u32 = 30;

/// The last day a file closed on `closed_on` is kept.
pub fn keep_until(closed_on: NaiveDate, years: u32) -> Option<NaiveDate> {
    closed_on.checked_add_months(Months::new(years.saturating_mul(12)))
}

/// Whether a file closed on `closed_on` is due for purging `today`: the day after its last
/// day of keeping.
pub fn is_due(closed_on: NaiveDate, years: u32, today: NaiveDate) -> bool {
    keep_until(closed_on, years).is_some_and(|last| today > last)
}

/// The last closing day that is due `today`: the due files are exactly those closed on or
/// before it (keeping ends later the later a file closed), so the database selects them
/// with one indexed comparison.
pub fn last_due_closing(today: NaiveDate, years: u32) -> Option<NaiveDate> {
    // Subtracting the months lands on or just after the answer (month ends clamp).
    let mut d = today.checked_sub_months(Months::new(years.saturating_mul(12)))?;
    while !is_due(d, years, today) {
        d = d.pred_opt()?;
    }
    Some(d)
}

/// The term as typed on the settings form.
pub fn parse_years(input: &str) -> Result<u32, String> {
    let years: u32 = input
        .trim()
        .parse()
        .map_err(|_| format!("Vul de bewaartermijn in als een heel aantal jaren, bijvoorbeeld {DEFAULT_YEARS}."))?;
    if !(MIN_YEARS..=MAX_YEARS).contains(&years) {
        return Err(format!("De bewaartermijn ligt tussen {MIN_YEARS} en {MAX_YEARS} jaar."));
    }
    Ok(years)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn five_years_to_the_day_then_purged() {
        assert_eq!(keep_until(d("2021-03-15"), 5), Some(d("2026-03-15")));
        assert!(!is_due(d("2021-03-15"), 5, d("2026-03-15")), "kept through the last day");
        assert!(is_due(d("2021-03-15"), 5, d("2026-03-16")));
        // A leap day closes on the last day of February five years on.
        assert_eq!(keep_until(d("2024-02-29"), 5), Some(d("2029-02-28")));
        assert!(is_due(d("2024-02-29"), 5, d("2029-03-01")));
        assert!(!is_due(d("2024-02-29"), 7, d("2029-03-01")));
    }

    #[test]
    fn the_last_due_closing_day() {
        assert_eq!(last_due_closing(d("2026-03-16"), 5), Some(d("2021-03-15")));
        // 29 February 2028: five years back is 28 February 2023, kept through 28 February 2028.
        assert_eq!(last_due_closing(d("2028-02-29"), 5), Some(d("2023-02-28")));
        assert_eq!(last_due_closing(d("2026-03-01"), 5), Some(d("2021-02-28")));
    }

    #[test]
    fn the_setting_is_checked() {
        assert_eq!(parse_years(" 7 "), Ok(7));
        assert!(parse_years("0").unwrap_err().contains("tussen 1 en 30"));
        assert!(parse_years("31").is_err());
        assert!(parse_years("vijf").unwrap_err().contains("heel aantal jaren"));
        assert!(parse_years("-2").is_err());
        assert!(parse_years("").is_err());
    }

    fn day() -> impl Strategy<Value = NaiveDate> {
        (0i64..30_000).prop_map(|n| d("1990-01-01") + chrono::TimeDelta::days(n))
    }

    proptest! {
        #[test]
        fn due_means_closed_on_or_before_the_last_due_closing(closed in day(), today in day(), years in MIN_YEARS..=MAX_YEARS) {
            let last = last_due_closing(today, years).unwrap();
            prop_assert_eq!(is_due(closed, years, today), closed <= last);
        }

        #[test]
        fn once_due_always_due(closed in day(), today in day(), later in 0i64..4000, years in MIN_YEARS..=MAX_YEARS) {
            if is_due(closed, years, today) {
                prop_assert!(is_due(closed, years, today + chrono::TimeDelta::days(later)));
            }
            // Nothing is due before its keeping ends.
            prop_assert!(!is_due(closed, years, closed));
        }
    }
}

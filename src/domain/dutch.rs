//! Dutch wording of dates, shared by explanations, letters and pages.

use chrono::{Datelike, NaiveDate, Weekday};

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// `23 november 2026`
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

pub fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "maandag",
        Weekday::Tue => "dinsdag",
        Weekday::Wed => "woensdag",
        Weekday::Thu => "donderdag",
        Weekday::Fri => "vrijdag",
        Weekday::Sat => "zaterdag",
        Weekday::Sun => "zondag",
    }
}

/// `maandag 23 november 2026`
pub fn date_with_weekday(d: NaiveDate) -> String {
    format!("{} {}", weekday(d), date(d))
}

/// `a, b en c`
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

/// A whole number with Dutch thousands separators: `10.000`, `1.234.567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_group_thousands_with_dots() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1.000");
        assert_eq!(count(10_000), "10.000");
        assert_eq!(count(1_234_567), "1.234.567");
        assert_eq!(count(u64::MAX), "18.446.744.073.709.551.615");
    }

    proptest! {
        #[test]
        fn a_count_reads_back_and_groups_by_three(n in any::<u64>()) {
            let s = count(n);
            prop_assert_eq!(s.replace('.', "").parse::<u64>().unwrap(), n);
            let groups: Vec<&str> = s.split('.').collect();
            prop_assert!(!groups[0].is_empty() && groups[0].len() <= 3);
            prop_assert!(groups[1..].iter().all(|g| g.len() == 3));
        }
    }

    #[test]
    fn lists_join_with_en() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&s(&[])), "");
        assert_eq!(list(&s(&["a"])), "a");
        assert_eq!(list(&s(&["a", "b"])), "a en b");
        assert_eq!(list(&s(&["a", "b", "c"])), "a, b en c");
    }

    #[test]
    fn dutch_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
        assert_eq!(date(d), "9 november 2026");
        assert_eq!(date_with_weekday(d), "maandag 9 november 2026");
    }
}

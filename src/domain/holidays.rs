//! General holidays of the Algemene termijnenwet (Atw art 3): the statutory days, computed for
//! any year, plus the days a royal decree made equal to them (gelijkgestelde dagen), which are
//! data that the beheerder can extend.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday (Gregorian; the anonymous/Meeus algorithm).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("the Easter algorithm yields a valid date")
}

/// The statutory general holidays of a year (Atw art 3(1) and 3(2)), in date order.
pub fn statutory(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("fixed holiday dates exist every year");
    let e = easter(year);
    let after = |n: u64| e.checked_add_days(Days::new(n)).expect("in range");
    // Koningsdag: 27 April, or the 26th when the 27th is a Sunday (since 2014).
    let koningsdag = if ymd(4, 27).weekday() == Weekday::Sun { ymd(4, 26) } else { ymd(4, 27) };
    let mut days = vec![
        (ymd(1, 1), "Nieuwjaarsdag"),
        (e.checked_sub_days(Days::new(2)).expect("in range"), "Goede Vrijdag"),
        (after(1), "Tweede Paasdag"),
        (koningsdag, "Koningsdag"),
        (ymd(5, 5), "Bevrijdingsdag"),
        (after(39), "Hemelvaartsdag"),
        (after(50), "Tweede Pinksterdag"),
        (ymd(12, 25), "Eerste Kerstdag"),
        (ymd(12, 26), "Tweede Kerstdag"),
    ];
    days.sort();
    days
}

/// A day made equal to a general holiday by royal decree (Atw art 3(3)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecreedDay {
    pub date: NaiveDate,
    pub description: String,
}

/// Every general holiday over a span of years, for fast lookup.
#[derive(Debug, Clone)]
pub struct GeneralHolidays {
    first_year: i32,
    /// Sorted by date; statutory and decreed days together.
    days: Vec<(NaiveDate, String)>,
    /// The last year for which the decrees are known; later years may still get some.
    decrees_known_through: i32,
}

impl GeneralHolidays {
    /// Statutory days for `first_year..=last_year` and the given decreed days.
    pub fn new(first_year: i32, last_year: i32, decreed: &[DecreedDay], decrees_known_through: i32) -> Self {
        let mut days: Vec<(NaiveDate, String)> =
            (first_year..=last_year).flat_map(statutory).map(|(d, n)| (d, n.to_owned())).collect();
        for d in decreed {
            if !days.iter().any(|(x, _)| *x == d.date) {
                days.push((d.date, format!("gelijkgestelde dag: {}", d.description)));
            }
        }
        days.sort();
        Self { first_year, days, decrees_known_through }
    }

    /// The name of the general holiday on `d`, if it is one.
    pub fn name(&self, d: NaiveDate) -> Option<&str> {
        self.days.binary_search_by(|(x, _)| x.cmp(&d)).ok().map(|i| self.days[i].1.as_str())
    }

    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.days.binary_search_by(|(x, _)| x.cmp(&d)).is_ok()
    }

    /// Saturday, Sunday or a general holiday: the days the Atw moves a term's end past.
    pub fn is_atw_rest_day(&self, d: NaiveDate) -> bool {
        matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || self.is_holiday(d)
    }

    /// Why `d` is a rest day under the Atw, in Dutch, or `None`.
    pub fn rest_day_reason(&self, d: NaiveDate) -> Option<String> {
        if let Some(n) = self.name(d) {
            return Some(n.to_owned());
        }
        match d.weekday() {
            Weekday::Sat => Some("zaterdag".into()),
            Weekday::Sun => Some("zondag".into()),
            _ => None,
        }
    }

    pub fn decrees_known_through(&self) -> i32 {
        self.decrees_known_through
    }

    pub fn first_year(&self) -> i32 {
        self.first_year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_check_values() {
        // legal.md's check values, and some well-known others.
        assert_eq!(easter(2026), d(2026, 4, 5));
        assert_eq!(easter(2027), d(2027, 3, 28));
        assert_eq!(easter(2028), d(2028, 4, 16));
        assert_eq!(easter(2024), d(2024, 3, 31));
        assert_eq!(easter(2025), d(2025, 4, 20));
        assert_eq!(easter(2038), d(2038, 4, 25)); // latest possible
        assert_eq!(easter(2285), d(2285, 3, 22)); // earliest possible
    }

    #[test]
    fn the_holidays_of_2026() {
        let names: Vec<(NaiveDate, &str)> = statutory(2026);
        assert_eq!(
            names,
            vec![
                (d(2026, 1, 1), "Nieuwjaarsdag"),
                (d(2026, 4, 3), "Goede Vrijdag"),
                (d(2026, 4, 6), "Tweede Paasdag"),
                (d(2026, 4, 27), "Koningsdag"),
                (d(2026, 5, 5), "Bevrijdingsdag"),
                (d(2026, 5, 14), "Hemelvaartsdag"),
                (d(2026, 5, 25), "Tweede Pinksterdag"),
                (d(2026, 12, 25), "Eerste Kerstdag"),
                (d(2026, 12, 26), "Tweede Kerstdag"),
            ]
        );
    }

    #[test]
    fn koningsdag_moves_to_saturday_when_the_27th_is_a_sunday() {
        // 27 April is a Sunday in 2025 and 2031.
        assert!(statutory(2025).contains(&(d(2025, 4, 26), "Koningsdag")));
        assert!(statutory(2031).contains(&(d(2031, 4, 26), "Koningsdag")));
        assert!(statutory(2027).contains(&(d(2027, 4, 27), "Koningsdag")));
    }

    #[test]
    fn bevrijdingsdag_counts_every_year() {
        for y in 2020..2040 {
            assert!(statutory(y).iter().any(|(x, n)| *x == d(y, 5, 5) && *n == "Bevrijdingsdag"), "{y}");
        }
    }

    #[test]
    fn decreed_days_join_the_statutory_ones() {
        let g = GeneralHolidays::new(
            2024,
            2030,
            &[DecreedDay { date: d(2026, 5, 15), description: "vrijdag na Hemelvaartsdag".into() }],
            2028,
        );
        assert_eq!(g.name(d(2026, 5, 15)), Some("gelijkgestelde dag: vrijdag na Hemelvaartsdag"));
        assert_eq!(g.name(d(2026, 5, 14)), Some("Hemelvaartsdag"));
        assert!(g.is_atw_rest_day(d(2026, 11, 21))); // Saturday
        assert!(!g.is_atw_rest_day(d(2026, 11, 23))); // Monday
        assert_eq!(g.rest_day_reason(d(2026, 11, 22)).as_deref(), Some("zondag"));
    }
}

// ---- The known decrees, shipped as data in fixtures/atw_gelijkgestelde_dagen.json ----

pub const DECREES_JSON: &str = include_str!("../../fixtures/atw_gelijkgestelde_dagen.json");

#[derive(serde::Deserialize)]
struct ShippedDecrees {
    known_through_year: i32,
    days: Vec<ShippedDay>,
}

#[derive(serde::Deserialize)]
struct ShippedDay {
    date: NaiveDate,
    description: String,
}

/// The decreed days shipped with the application, and the last year they are known for.
pub fn shipped_decrees() -> (Vec<DecreedDay>, i32) {
    let data: ShippedDecrees =
        serde_json::from_str(DECREES_JSON).expect("fixtures/atw_gelijkgestelde_dagen.json is valid (tested)");
    (
        data.days.into_iter().map(|d| DecreedDay { date: d.date, description: d.description }).collect(),
        data.known_through_year,
    )
}

/// The years general holidays are computed for; far beyond any term the commission sets.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// General holidays from the shipped data alone (the command line's `termijn`).
pub fn shipped() -> GeneralHolidays {
    let (days, known) = shipped_decrees();
    GeneralHolidays::new(*YEARS.start(), *YEARS.end(), &days, known)
}

#[cfg(test)]
mod shipped_tests {
    use super::*;

    #[test]
    fn shipped_decrees_are_fridays_after_a_holiday() {
        let (days, known) = shipped_decrees();
        assert_eq!(known, 2028);
        assert_eq!(days.len(), 10);
        for d in days {
            assert_eq!(d.date.weekday(), Weekday::Fri, "{d:?}");
        }
        assert!(shipped().is_holiday(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()));
    }
}

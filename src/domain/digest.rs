//! The daily digest: which deadlines a user is reminded of (overdue, or due within five working
//! days), and its text.

use super::deadline::DeadlineKind;
use super::dutch;
use super::holidays::GeneralHolidays;
use chrono::{Datelike, Days, NaiveDate, Weekday};

/// How far ahead the digest looks, in working days.
pub const WORKING_DAYS_AHEAD: u32 = 5;

/// A working day: Monday to Friday, not a general holiday (Atw).
pub fn is_working_day(d: NaiveDate, holidays: &GeneralHolidays) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.is_holiday(d)
}

/// The last day of the window: the `n`th working day after `today`.
pub fn horizon(today: NaiveDate, n: u32, holidays: &GeneralHolidays) -> NaiveDate {
    let mut d = today;
    let mut left = n;
    while left > 0 {
        d = d.checked_add_days(Days::new(1)).unwrap_or(d);
        if is_working_day(d, holidays) {
            left -= 1;
        }
    }
    d
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub zaaknummer: String,
    pub kind: DeadlineKind,
    pub due_on: NaiveDate,
}

/// The digest's text, or `None` when there is nothing to remind of (no empty mail is sent).
/// Overdue deadlines first, then the coming ones, each by date.
pub fn text(name: &str, today: NaiveDate, horizon: NaiveDate, lines: &[Line], base_url: &str) -> Option<String> {
    let mut overdue: Vec<&Line> = lines.iter().filter(|l| l.due_on < today).collect();
    let mut soon: Vec<&Line> = lines.iter().filter(|l| l.due_on >= today && l.due_on <= horizon).collect();
    if overdue.is_empty() && soon.is_empty() {
        return None;
    }
    // By number, not text: `2026-10000` comes after `2026-9999`.
    let key = |l: &Line| (l.due_on, super::zaaknummer::Zaaknummer::parse(&l.zaaknummer), l.zaaknummer.clone());
    overdue.sort_by_key(|l| key(l));
    soon.sort_by_key(|l| key(l));
    let line = |l: &Line| {
        format!(
            "- {} {} ({}): {} {}",
            l.zaaknummer,
            l.kind.label(),
            l.kind.article(),
            dutch::weekday(l.due_on),
            dutch::date(l.due_on)
        )
    };
    let mut out =
        format!("Beste {name},\n\nDit is het overzicht van de termijnen van uw zaken op {}.\n", dutch::date(today));
    if !overdue.is_empty() {
        out.push_str(&format!("\nVerstreken ({}):\n", overdue.len()));
        for l in &overdue {
            out.push_str(&line(l));
            out.push('\n');
        }
    }
    if !soon.is_empty() {
        out.push_str(&format!("\nTe verlopen tot en met {} ({}):\n", dutch::date(horizon), soon.len()));
        for l in &soon {
            out.push_str(&line(l));
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\nHet volledige overzicht: {base_url}/termijnen\n\nU ontvangt dit bericht elke werkdag. Uitzetten kan onder Mijn account > Meldingen: {base_url}/account\n"
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holidays;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn horizon_skips_weekends_and_holidays() {
        let h = holidays::shipped();
        // Monday 23 November 2026: five working days on is Monday 30 November.
        assert_eq!(horizon(d("2026-11-23"), 5, &h), d("2026-11-30"));
        // Thursday 24 December 2026: Christmas (25, 26) and the weekend are skipped.
        assert_eq!(horizon(d("2026-12-24"), 5, &h), d("2027-01-04"));
        assert_eq!(horizon(d("2026-11-23"), 0, &h), d("2026-11-23"));
    }

    #[test]
    fn text_lists_overdue_first_and_leaves_out_later_ones() {
        let today = d("2026-11-23");
        let lines = vec![
            Line { zaaknummer: "2026-0002".into(), kind: DeadlineKind::Advies, due_on: d("2026-11-27") },
            Line { zaaknummer: "2026-0001".into(), kind: DeadlineKind::Herstel, due_on: d("2026-11-20") },
            Line { zaaknummer: "2026-0003".into(), kind: DeadlineKind::Hoorzitting, due_on: d("2026-12-20") },
        ];
        let t = text("M. Bakker", today, d("2026-11-30"), &lines, "http://x").unwrap();
        let overdue = t.find("2026-0001").unwrap();
        let soon = t.find("2026-0002").unwrap();
        assert!(overdue < soon, "{t}");
        assert!(!t.contains("2026-0003"), "{t}");
        assert!(t.contains("Verstreken (1):") && t.contains("Te verlopen tot en met 30 november 2026 (1):"), "{t}");
        assert!(t.contains("vrijdag 27 november 2026"), "{t}");
    }

    #[test]
    fn same_day_lines_follow_the_case_number_past_9999() {
        let due = d("2026-11-25");
        let lines: Vec<Line> = ["2026-10000", "2026-9999", "2025-12000"]
            .iter()
            .map(|z| Line { zaaknummer: (*z).into(), kind: DeadlineKind::Advies, due_on: due })
            .collect();
        let t = text("X", d("2026-11-23"), d("2026-11-30"), &lines, "http://x").unwrap();
        let at = |z: &str| t.find(&format!("- {z} ")).unwrap();
        assert!(at("2025-12000") < at("2026-9999") && at("2026-9999") < at("2026-10000"), "{t}");
    }

    #[test]
    fn nothing_to_remind_means_no_message() {
        let lines =
            vec![Line { zaaknummer: "2026-0003".into(), kind: DeadlineKind::Hoorzitting, due_on: d("2026-12-20") }];
        assert_eq!(text("X", d("2026-11-23"), d("2026-11-30"), &lines, "http://x"), None);
    }
}

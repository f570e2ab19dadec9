//! Known dates, worked by hand from legal.md, and properties that must hold for every term.

use super::*;
use crate::domain::case::Region;
use crate::domain::holidays::{DecreedDay, GeneralHolidays};
use crate::domain::school_calendar::{SchoolCalendar, official_calendar};
use proptest::prelude::*;
use std::sync::LazyLock;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

static GENERAL: LazyLock<GeneralHolidays> = LazyLock::new(|| {
    let decreed: Vec<DecreedDay> = [
        (2023, 4, 28),
        (2023, 5, 19),
        (2024, 5, 10),
        (2024, 12, 27),
        (2025, 5, 30),
        (2026, 1, 2),
        (2026, 5, 15),
        (2027, 5, 7),
        (2028, 4, 28),
        (2028, 5, 26),
    ]
    .iter()
    .map(|&(y, m, dd)| DecreedDay { date: d(y, m, dd), description: "besluit".into() })
    .collect();
    GeneralHolidays::new(2020, 2035, &decreed, 2028)
});
static NOORD: LazyLock<SchoolCalendar> = LazyLock::new(|| official_calendar(Region::Noord));
static MIDDEN: LazyLock<SchoolCalendar> = LazyLock::new(|| official_calendar(Region::Midden));
static ZUID: LazyLock<SchoolCalendar> = LazyLock::new(|| official_calendar(Region::Zuid));

fn cal(region: Region) -> &'static SchoolCalendar {
    match region {
        Region::Noord => &NOORD,
        Region::Midden => &MIDDEN,
        Region::Zuid => &ZUID,
    }
}

fn run(event: NaiveDate, term: &str, region: Region, rules: Rules) -> Result<Deadline, TermError> {
    compute(event, Term::parse(term).unwrap(), rules, Calendars { general: &GENERAL, school: Some(cal(region)) })
}

fn due(event: NaiveDate, term: &str, region: Region) -> NaiveDate {
    run(event, term, region, Rules::REGLEMENT).unwrap().date
}

const URGENT: Rules = Rules { direction: Direction::Forward, skip_school_holidays: true, urgent: true };
const BACK: Rules = Rules { direction: Direction::Backward, skip_school_holidays: true, urgent: false };

#[test]
fn the_worked_example_of_legal_md() {
    // Repair letter Thursday 2026-10-15, midden, two weeks: herfstvakantie skipped, Saturday
    // end moved to Monday.
    let r = run(d(2026, 10, 15), "2 weken", Region::Midden, Rules::REGLEMENT).unwrap();
    assert_eq!(r.date, d(2026, 11, 9));
    let e = &r.explanation;
    assert_eq!(e.start, d(2026, 10, 16));
    assert_eq!(e.counted_days, Some(14));
    assert_eq!(e.raw_end, d(2026, 11, 7));
    assert_eq!(e.skipped, vec![Skipped { from: d(2026, 10, 17), to: d(2026, 10, 25), name: "Herfstvakantie".into() }]);
    assert_eq!(
        e.shifted,
        vec![
            Passed { day: d(2026, 11, 7), reason: "zaterdag".into() },
            Passed { day: d(2026, 11, 8), reason: "zondag".into() }
        ]
    );
    let text = e.lines().join("\n");
    assert!(
        text.contains(
            "Herfstvakantie van zaterdag 17 oktober 2026 tot en met zondag 25 oktober 2026 (9 dagen, regio midden)"
        ),
        "{text}"
    );
    assert!(text.contains("De termijn eindigt op maandag 9 november 2026."), "{text}");
}

#[test]
fn four_weeks_across_the_autumn_holiday() {
    // 2026-10-13..16 count 4, 17..25 skipped, 24 more from 26 October: Wednesday 18 November.
    assert_eq!(due(d(2026, 10, 12), "4 weken", Region::Midden), d(2026, 11, 18));
    // Noord's autumn week is 10-18 October: the term starts inside it, counts from Monday 19
    // October and ends Sunday 15 November, so Monday 16 November.
    assert_eq!(due(d(2026, 10, 12), "4 weken", Region::Noord), d(2026, 11, 16));
}

#[test]
fn across_the_year_end() {
    // Start Friday 11 December: 8 days, kerstvakantie 19 Dec - 3 Jan skipped, 6 more: Saturday
    // 9 January, so Monday 11 January 2027.
    assert_eq!(due(d(2026, 12, 10), "2 weken", Region::Midden), d(2027, 1, 11));
    // Urgent: the holidays count; Thursday 24 December is a working day.
    assert_eq!(run(d(2026, 12, 10), "2 weken", Region::Midden, URGENT).unwrap().date, d(2026, 12, 24));
    // Without school holidays, a term ending on Christmas moves past both days and the weekend.
    let r = run(d(2026, 12, 11), "2 weken", Region::Midden, Rules::NO_SCHOOL_HOLIDAYS).unwrap();
    assert_eq!(r.date, d(2026, 12, 28));
    assert_eq!(
        r.explanation.shifted.iter().map(|p| p.reason.as_str()).collect::<Vec<_>>(),
        ["Eerste Kerstdag", "Tweede Kerstdag", "zondag"]
    );
}

#[test]
fn easter_weekend() {
    // Ends on Goede Vrijdag 3 April 2026: moved past Saturday, Easter Sunday and Tweede Paasdag.
    let r = run(d(2026, 3, 20), "2 weken", Region::Midden, Rules::REGLEMENT).unwrap();
    assert_eq!(r.date, d(2026, 4, 7));
    assert_eq!(r.explanation.shifted.len(), 4);
    assert_eq!(r.explanation.shifted[0].reason, "Goede Vrijdag");
    assert_eq!(r.explanation.shifted[3].reason, "Tweede Paasdag");
}

#[test]
fn koningsdag() {
    // 27 April 2026 is a Monday: a term ending then moves to Tuesday.
    assert_eq!(run(d(2026, 4, 13), "2 weken", Region::Midden, Rules::NO_SCHOOL_HOLIDAYS).unwrap().date, d(2026, 4, 28));
    // 2025: Koningsdag on Saturday 26 April (the 27th is a Sunday); urgent, so the
    // meivakantie counts: Saturday, Sunday, then Monday 28 April.
    let r = run(d(2025, 4, 12), "2 weken", Region::Midden, URGENT).unwrap();
    assert_eq!(r.date, d(2025, 4, 28));
    assert_eq!(r.explanation.shifted[0].reason, "Koningsdag");
    // Not urgent: the whole meivakantie (26 April - 4 May) is skipped instead.
    assert_eq!(due(d(2025, 4, 12), "2 weken", Region::Midden), d(2025, 5, 5).succ_opt().unwrap());
}

#[test]
fn the_summer_holiday_of_each_region() {
    // From Wednesday 8 July 2026, two weeks:
    // noord (4 Jul - 16 Aug): starts inside the holiday; 14 days from 17 Aug end Sunday 30 Aug.
    assert_eq!(due(d(2026, 7, 8), "2 weken", Region::Noord), d(2026, 8, 31));
    // midden (18 Jul - 30 Aug): 9 days before, 5 after: Friday 4 September.
    assert_eq!(due(d(2026, 7, 8), "2 weken", Region::Midden), d(2026, 9, 4));
    // zuid (11 Jul - 23 Aug): 2 days before, 12 after: Friday 4 September.
    assert_eq!(due(d(2026, 7, 8), "2 weken", Region::Zuid), d(2026, 9, 4));
    let r = run(d(2026, 7, 8), "2 weken", Region::Noord, Rules::REGLEMENT).unwrap();
    assert_eq!(
        r.explanation.skipped,
        vec![Skipped { from: d(2026, 7, 9), to: d(2026, 8, 16), name: "Zomervakantie".into() }]
    );
}

#[test]
fn a_term_that_starts_inside_a_holiday() {
    // Event in the middle of the midden herfstvakantie: counting starts on Monday 26 October.
    let r = run(d(2026, 10, 20), "1 week", Region::Midden, Rules::REGLEMENT).unwrap();
    assert_eq!(r.explanation.skipped[0].from, d(2026, 10, 21));
    assert_eq!(r.date, d(2026, 11, 2)); // 26 Oct + 6 = Sunday 1 Nov, moved to Monday
}

#[test]
fn months() {
    // Two months from Saturday 31 January 2026 = 59 calendar days; voorjaarsvakantie midden
    // (14-22 Feb) skipped: Thursday 9 April.
    let r = run(d(2026, 1, 31), "2 maanden", Region::Midden, Rules::REGLEMENT).unwrap();
    assert_eq!(r.explanation.counted_days, Some(59));
    assert_eq!(r.date, d(2026, 4, 9));
    // One month from 31 January is 28 days (to 28 February).
    assert_eq!(
        run(d(2026, 1, 31), "1 maand", Region::Midden, Rules::NO_SCHOOL_HOLIDAYS).unwrap().explanation.counted_days,
        Some(28)
    );
}

#[test]
fn years_skip_nothing_and_are_never_shifted() {
    assert_eq!(due(d(2025, 11, 20), "1 jaar", Region::Midden), d(2026, 11, 20));
    // Ends on a Sunday and stays there (Atw art 4).
    let r = run(d(2025, 11, 22), "1 jaar", Region::Midden, Rules::REGLEMENT).unwrap();
    assert_eq!(r.date, d(2026, 11, 22));
    assert!(r.explanation.skipped.is_empty() && r.explanation.shifted.is_empty() && r.explanation.atw_exempt);
    assert_eq!(due(d(2024, 2, 29), "1 jaar", Region::Midden), d(2025, 2, 28));
    // Without any school calendar at all.
    let r = compute(
        d(2020, 1, 1),
        Term::new(1, Unit::Years),
        Rules::NO_SCHOOL_HOLIDAYS,
        Calendars { general: &GENERAL, school: None },
    );
    assert_eq!(r.unwrap().date, d(2021, 1, 1));
}

#[test]
fn long_terms_are_exempt_from_the_termijnenwet() {
    // 13 weeks from Friday 2 October 2026 with no school holidays: Friday 1 January 2027,
    // Nieuwjaarsdag, and it stays there (Atw art 4: more than twelve weeks).
    let r = run(d(2026, 10, 2), "13 weken", Region::Midden, Rules::NO_SCHOOL_HOLIDAYS).unwrap();
    assert_eq!(r.date, d(2027, 1, 1));
    assert!(r.explanation.atw_exempt);
    assert!(r.explanation.lines().iter().any(|l| l.contains("Atw art. 4")));
}

#[test]
fn working_days_backward() {
    // Art 21.4: five working days before a hearing on Monday 23 November 2026: Monday 16.
    assert_eq!(run(d(2026, 11, 23), "5 werkdagen", Region::Midden, BACK).unwrap().date, d(2026, 11, 16));
    // Before Wednesday 28 October 2026, midden: 27, 26, then the herfstvakantie, 16, 15, 14.
    let r = run(d(2026, 10, 28), "5 werkdagen", Region::Midden, BACK).unwrap();
    assert_eq!(r.date, d(2026, 10, 14));
    assert_eq!(r.explanation.skipped.len(), 1);
    // The weekends inside the holiday are part of the stretch that did not count.
    assert_eq!((r.explanation.skipped[0].from, r.explanation.skipped[0].to), (d(2026, 10, 17), d(2026, 10, 25)));
    assert!(r.explanation.shifted.is_empty());
    // Backward in days: no Atw shift even onto a Sunday.
    assert_eq!(run(d(2026, 11, 29), "7 dagen", Region::Midden, BACK).unwrap().date, d(2026, 11, 22));
}

#[test]
fn working_days_forward() {
    // Five working days after Thursday 30 April 2026 urgent: 1 May (Fri), 4 (Mon), 6, 7, 8 (5 May
    // is Bevrijdingsdag): Friday 8 May.
    assert_eq!(run(d(2026, 4, 30), "5 werkdagen", Region::Midden, URGENT).unwrap().date, d(2026, 5, 8));
}

#[test]
fn atw_article_2_keeps_two_working_days() {
    // Three days from Thursday 24 December 2026: 25, 26, 27 are rest days, art 1 moves the end
    // to Monday 28, which is only one working day: art 2 adds Tuesday 29.
    let r = run(d(2026, 12, 24), "3 dagen", Region::Midden, Rules::NO_SCHOOL_HOLIDAYS).unwrap();
    assert_eq!(r.date, d(2026, 12, 29));
    assert_eq!(r.explanation.art2_added.len(), 1);
    assert!(r.explanation.lines().iter().any(|l| l.contains("art. 2")));
}

#[test]
fn missing_school_year_is_an_error_not_a_guess() {
    let e = run(d(2030, 7, 20), "4 weken", Region::Midden, Rules::REGLEMENT).unwrap_err();
    assert_eq!(e, TermError::MissingSchoolYear { school_year: "2030-2031".into(), calendar: "regio midden".into() });
    assert!(e.to_string().contains("2030-2031"));
    // Urgent terms and year terms need no school data.
    assert!(run(d(2030, 7, 20), "4 weken", Region::Midden, URGENT).is_ok());
    assert!(run(d(2030, 7, 20), "1 jaar", Region::Midden, Rules::REGLEMENT).is_ok());
    let e = run(d(2024, 7, 1), "1 week", Region::Midden, Rules::REGLEMENT).unwrap_err();
    assert!(matches!(e, TermError::MissingSchoolYear { ref school_year, .. } if school_year == "2023-2024"));
}

#[test]
fn unknown_decrees_are_mentioned() {
    let r = run(d(2029, 9, 10), "2 weken", Region::Midden, Rules::REGLEMENT).unwrap();
    assert_eq!(r.explanation.decree_unknown_for, Some(2029));
    assert!(r.explanation.lines().iter().any(|l| l.contains("Voor 2029 zijn nog geen gelijkgestelde feestdagen")));
    assert_eq!(
        run(d(2026, 9, 10), "2 weken", Region::Midden, Rules::REGLEMENT).unwrap().explanation.decree_unknown_for,
        None
    );
}

#[test]
fn decreed_days_move_the_end() {
    // Friday 15 May 2026 (after Hemelvaartsdag) is a decreed day: a term ending then moves to
    // Monday 18 May.
    let r = run(d(2026, 5, 1), "2 weken", Region::Midden, Rules::NO_SCHOOL_HOLIDAYS).unwrap();
    assert_eq!(r.date, d(2026, 5, 18));
    assert!(r.explanation.shifted[0].reason.starts_with("gelijkgestelde dag"));
}

#[test]
fn extension_and_suspension() {
    let cals = Calendars { general: &GENERAL, school: Some(&MIDDEN) };
    let first = run(d(2026, 10, 15), "2 weken", Region::Midden, Rules::REGLEMENT).unwrap();
    // Art 25.1-style extension: four more weeks from Monday 9 November: Monday 7 December.
    let ext = extend(&first, Term::new(4, Unit::Weeks), cals).unwrap();
    assert_eq!(ext.date, d(2026, 12, 7));
    // Suspended on Monday 26 October (1 day counted: 16 Oct) and resumed Monday 2 November:
    // 13 days from 2 November: Saturday 14, so Monday 16 November.
    let res = resume(&first, d(2026, 10, 26), d(2026, 11, 2), cals).unwrap();
    assert_eq!(res.date, d(2026, 11, 16));
}

#[test]
fn term_parsing() {
    assert_eq!(Term::parse("4 weken"), Ok(Term::new(4, Unit::Weeks)));
    assert_eq!(Term::parse(" 1 Jaar "), Ok(Term::new(1, Unit::Years)));
    assert_eq!(Term::parse("5 werkdagen").unwrap().to_string(), "5 werkdagen");
    assert_eq!(Term::parse("1 week").unwrap().to_string(), "1 week");
    for bad in ["", "vier weken", "4", "4 fortnights", "0 dagen", "-1 dagen"] {
        assert!(Term::parse(bad).is_err(), "{bad}");
    }
}

fn any_region() -> impl Strategy<Value = Region> {
    prop_oneof![Just(Region::Noord), Just(Region::Midden), Just(Region::Zuid)]
}

/// Events from August 2024 to March 2030, so every term below stays inside the data.
fn any_event() -> impl Strategy<Value = NaiveDate> {
    (0u64..2040).prop_map(|n| d(2024, 8, 1) + Days::new(n))
}

fn any_term() -> impl Strategy<Value = Term> {
    prop_oneof![
        (1u32..=90).prop_map(|n| Term::new(n, Unit::Days)),
        (1u32..=12).prop_map(|n| Term::new(n, Unit::Weeks)),
        (1u32..=3).prop_map(|n| Term::new(n, Unit::Months)),
        (1u32..=20).prop_map(|n| Term::new(n, Unit::WorkingDays)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_end_is_never_a_rest_day_nor_a_school_holiday(event in any_event(), term in any_term(), region in any_region()) {
        let r = compute(event, term, Rules::REGLEMENT, Calendars { general: &GENERAL, school: Some(cal(region)) }).unwrap();
        prop_assert!(!GENERAL.is_atw_rest_day(r.date), "{r:?}");
        prop_assert!(cal(region).block_at(r.date).is_none(), "{r:?}");
        prop_assert!(r.date > event);
    }

    #[test]
    fn skipping_never_moves_a_date_earlier(event in any_event(), term in any_term(), region in any_region()) {
        let c = Calendars { general: &GENERAL, school: Some(cal(region)) };
        let skipped = compute(event, term, Rules::REGLEMENT, c).unwrap().date;
        let counted = compute(event, term, Rules::NO_SCHOOL_HOLIDAYS, c).unwrap().date;
        prop_assert!(skipped >= counted);
    }

    #[test]
    fn a_longer_term_never_ends_earlier(event in any_event(), term in any_term(), region in any_region(), urgent in any::<bool>()) {
        let c = Calendars { general: &GENERAL, school: Some(cal(region)) };
        let rules = Rules { urgent, ..Rules::REGLEMENT };
        let longer = Term { amount: term.amount + 1, ..term };
        prop_assume!(!longer.atw_exempt());
        prop_assert!(compute(event, longer, rules, c).unwrap().date >= compute(event, term, rules, c).unwrap().date);
    }

    #[test]
    fn urgent_never_ends_later(event in any_event(), term in any_term(), region in any_region()) {
        let c = Calendars { general: &GENERAL, school: Some(cal(region)) };
        let urgent = compute(event, term, URGENT, c).unwrap().date;
        let normal = compute(event, term, Rules::REGLEMENT, c).unwrap().date;
        prop_assert!(urgent <= normal);
    }

    #[test]
    fn backward_working_days_land_on_a_working_day_before_the_date(date in any_event(), n in 1u32..15, region in any_region()) {
        prop_assume!(date > d(2024, 10, 1));
        let r = compute(date, Term::new(n, Unit::WorkingDays), BACK, Calendars { general: &GENERAL, school: Some(cal(region)) }).unwrap();
        prop_assert!(r.date < date);
        prop_assert!(!GENERAL.is_atw_rest_day(r.date) && cal(region).block_at(r.date).is_none());
    }

    #[test]
    fn counted_days_equal_the_term_minus_skipped_days(event in any_event(), n in 1u32..=90, region in any_region()) {
        let r = compute(event, Term::new(n, Unit::Days), Rules::REGLEMENT, Calendars { general: &GENERAL, school: Some(cal(region)) }).unwrap();
        let e = &r.explanation;
        let skipped: u32 = e.skipped.iter().map(|s| days_between(s.from, s.to) + 1).sum();
        prop_assert_eq!(days_between(e.start, e.raw_end) + 1, n + skipped);
    }
}

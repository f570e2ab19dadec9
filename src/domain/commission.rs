//! The composition of the commission (Art 4.1) and its rooster van aftreden (Art 5.3).

use super::case::Expertise;
use chrono::{Months, NaiveDate};

/// What the composition rules need to know about a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFacts {
    pub is_chair: bool,
    pub expertise: Expertise,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub active: bool,
}

impl MemberFacts {
    /// Sitting on `today`: active, appointed, and the term not yet ended.
    pub fn sitting_on(&self, today: NaiveDate) -> bool {
        self.active && self.term_start <= today && today < self.term_end
    }
}

pub const MIN_MEMBERS: usize = 12;
pub const MIN_CHAIRS: usize = 2;
/// Members whose term ends within this many months are flagged on the rooster.
pub const TERM_WARNING_MONTHS: u32 = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompositionWarning {
    TooFewMembers { sitting: usize },
    TooFewChairs { sitting: usize },
    MissingExpertise(Expertise),
}

impl std::fmt::Display for CompositionWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompositionWarning::TooFewMembers { sitting } => {
                write!(f, "De commissie telt {sitting} zittende leden; artikel 4.1 vraagt er ten minste {MIN_MEMBERS}.")
            }
            CompositionWarning::TooFewChairs { sitting } => write!(
                f,
                "Er {} {sitting} zittende {}; artikel 4.1 vraagt er ten minste {MIN_CHAIRS}.",
                if *sitting == 1 { "is" } else { "zijn" },
                if *sitting == 1 { "voorzitter" } else { "voorzitters" }
            ),
            CompositionWarning::MissingExpertise(e) => write!(
                f,
                "Geen zittend lid met {} deskundigheid; artikel 4.1 vraagt juridische, sociaal-medische en onderwijskundige deskundigheid.",
                e.label().to_lowercase()
            ),
        }
    }
}

/// Art 4.1: at least twelve members, at least two of them chairs, and legal, social-medical and
/// educational expertise present; counted over the members sitting on `today`.
pub fn composition_warnings(members: &[MemberFacts], today: NaiveDate) -> Vec<CompositionWarning> {
    let sitting: Vec<&MemberFacts> = members.iter().filter(|m| m.sitting_on(today)).collect();
    let mut warnings = Vec::new();
    if sitting.len() < MIN_MEMBERS {
        warnings.push(CompositionWarning::TooFewMembers { sitting: sitting.len() });
    }
    let chairs = sitting.iter().filter(|m| m.is_chair).count();
    if chairs < MIN_CHAIRS {
        warnings.push(CompositionWarning::TooFewChairs { sitting: chairs });
    }
    for e in Expertise::ALL {
        if !sitting.iter().any(|m| m.expertise == *e) {
            warnings.push(CompositionWarning::MissingExpertise(*e));
        }
    }
    warnings
}

/// The state of a member's term on the rooster van aftreden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermState {
    NotStarted,
    Running,
    /// Ends within [`TERM_WARNING_MONTHS`]: reappointment or succession must be arranged.
    EndingSoon,
    Ended,
}

pub fn term_state(term_start: NaiveDate, term_end: NaiveDate, today: NaiveDate) -> TermState {
    if today < term_start {
        TermState::NotStarted
    } else if today >= term_end {
        TermState::Ended
    } else if today.checked_add_months(Months::new(TERM_WARNING_MONTHS)).is_none_or(|limit| term_end <= limit) {
        TermState::EndingSoon
    } else {
        TermState::Running
    }
}

/// Art 5.3: a term is four years.
pub fn standard_term_end(term_start: NaiveDate) -> Option<NaiveDate> {
    term_start.checked_add_months(Months::new(48))
}

/// Art 3: a board ends its affiliation by registered letter at least three months before the
/// end of a calendar year; it then ends at the end of that year, and a later letter ends it at
/// the end of the next. Returns the last day of the affiliation and the Dutch explanation.
pub fn affiliation_ends(notice_received_on: NaiveDate) -> (NaiveDate, String) {
    use chrono::Datelike;
    let year = notice_received_on.year();
    let year_end = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31).expect("31 December exists");
    // Three months before 31 December: a letter received on 30 September is in time.
    let last_notice = year_end(year).checked_sub_months(Months::new(3)).expect("in range");
    let d = super::dutch::date;
    if notice_received_on <= last_notice {
        let end = year_end(year);
        (
            end,
            format!(
                "De opzegging is op {} ontvangen, uiterlijk {} en dus ten minste drie maanden vóór het einde van het kalenderjaar: de aansluiting eindigt op {} (art. 3).",
                d(notice_received_on),
                d(last_notice),
                d(end)
            ),
        )
    } else {
        let end = year_end(year + 1);
        (
            end,
            format!(
                "De opzegging is op {} ontvangen, na {}: minder dan drie maanden vóór het einde van het kalenderjaar. De aansluiting eindigt daarom pas op {} (art. 3).",
                d(notice_received_on),
                d(last_notice),
                d(end)
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_affiliation_ends_at_a_year_end_after_three_months_notice() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(affiliation_ends(d("2026-09-30")).0, d("2026-12-31"));
        assert_eq!(affiliation_ends(d("2026-01-02")).0, d("2026-12-31"));
        let (end, why) = affiliation_ends(d("2026-10-01"));
        assert_eq!(end, d("2027-12-31"));
        assert!(why.contains("30 september 2026") && why.contains("31 december 2027"), "{why}");
        assert_eq!(affiliation_ends(d("2026-12-31")).0, d("2027-12-31"));
    }

    proptest::proptest! {
        #[test]
        fn the_end_is_a_year_end_at_least_three_months_after_the_notice(days in 0i64..3000) {
            use chrono::Datelike;
            let notice = d0() + chrono::TimeDelta::days(days);
            let (end, _) = affiliation_ends(notice);
            proptest::prop_assert_eq!((end.month(), end.day()), (12, 31));
            proptest::prop_assert!(end >= notice.checked_add_months(Months::new(3)).unwrap());
            proptest::prop_assert!(end < notice.checked_add_months(Months::new(16)).unwrap(), "never later than needed");
        }
    }

    fn d0() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(is_chair: bool, expertise: Expertise) -> MemberFacts {
        MemberFacts { is_chair, expertise, term_start: d(2024, 1, 1), term_end: d(2028, 1, 1), active: true }
    }

    fn full_commission() -> Vec<MemberFacts> {
        let mut ms = vec![member(true, Expertise::Juridisch), member(true, Expertise::Juridisch)];
        ms.extend((0..5).map(|_| member(false, Expertise::SociaalMedisch)));
        ms.extend((0..5).map(|_| member(false, Expertise::Onderwijskundig)));
        ms
    }

    #[test]
    fn a_complete_commission_has_no_warnings() {
        assert_eq!(composition_warnings(&full_commission(), d(2026, 11, 23)), vec![]);
    }

    #[test]
    fn counts_only_sitting_members() {
        let mut ms = full_commission();
        ms[0].term_end = d(2026, 1, 1);
        ms[5].active = false;
        let w = composition_warnings(&ms, d(2026, 11, 23));
        assert_eq!(
            w,
            vec![CompositionWarning::TooFewMembers { sitting: 10 }, CompositionWarning::TooFewChairs { sitting: 1 }]
        );
    }

    #[test]
    fn missing_expertise_is_named() {
        let ms: Vec<_> = full_commission()
            .into_iter()
            .map(|mut m| {
                if m.expertise == Expertise::SociaalMedisch {
                    m.expertise = Expertise::Onderwijskundig
                }
                m
            })
            .collect();
        let w = composition_warnings(&ms, d(2026, 11, 23));
        assert_eq!(w, vec![CompositionWarning::MissingExpertise(Expertise::SociaalMedisch)]);
        assert!(w[0].to_string().contains("sociaal-medische"));
    }

    #[test]
    fn term_states() {
        let today = d(2026, 11, 23);
        assert_eq!(term_state(d(2027, 1, 1), d(2031, 1, 1), today), TermState::NotStarted);
        assert_eq!(term_state(d(2023, 1, 1), d(2027, 1, 1), today), TermState::EndingSoon);
        assert_eq!(term_state(d(2023, 6, 1), d(2027, 5, 23), today), TermState::EndingSoon);
        assert_eq!(term_state(d(2023, 6, 1), d(2027, 5, 24), today), TermState::Running);
        assert_eq!(term_state(d(2022, 1, 1), d(2026, 11, 23), today), TermState::Ended);
        assert_eq!(standard_term_end(d(2024, 2, 29)), Some(d(2028, 2, 29)));
    }
}

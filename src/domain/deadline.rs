//! The deadlines of a case: which terms the reglement sets (and how each is counted), a
//! deadline's status, and its due date from what is stored about it, so that creating and
//! recomputing a deadline are the same computation.

use super::termijn::{self, Calendars, Deadline, Direction, Rules, Term, TermError, Unit};
use chrono::{Datelike, Days, NaiveDate};

macro_rules! kinds {
    ($($variant:ident = $code:literal, $label:literal, $article:literal, $event:literal, $term:expr, $dir:expr, $skip:literal;)+) => {
        /// A term the reglement (or the law) sets.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum DeadlineKind { $($variant),+ }

        impl DeadlineKind {
            pub const ALL: &'static [DeadlineKind] = &[$(DeadlineKind::$variant),+];
            pub fn code(self) -> &'static str { match self { $(DeadlineKind::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $(DeadlineKind::$variant => $label),+ } }
            pub fn article(self) -> &'static str { match self { $(DeadlineKind::$variant => $article),+ } }
            /// What the term runs from (forward) or back from (backward).
            pub fn event_label(self) -> &'static str { match self { $(DeadlineKind::$variant => $event),+ } }
            /// The term the reglement sets; `None` where the chair sets it (Art 17).
            pub fn default_term(self) -> Option<Term> { match self { $(DeadlineKind::$variant => $term),+ } }
            pub fn direction(self) -> Direction { match self { $(DeadlineKind::$variant => $dir),+ } }
            /// Whether Art 27 (school holidays do not count) applies to this term at all.
            pub fn skips_school_holidays(self) -> bool { match self { $(DeadlineKind::$variant => $skip),+ } }
            pub fn parse(code: &str) -> Option<Self> { match code { $($code => Some(DeadlineKind::$variant),)+ _ => None } }
        }
    };
}

const FWD: Direction = Direction::Forward;
const BACK: Direction = Direction::Backward;

kinds! {
    // Art 11.5: one year from the day after the facts; Art 27 excludes it from skipping.
    Indiening = "indiening", "Indieningstermijn klacht", "art. 11.5", "de gedraging of beslissing", Some(Term::new(1, Unit::Years)), FWD, false;
    Herstel = "herstel", "Herstel van het klaagschrift", "art. 11.7", "het verzoek tot herstel", Some(Term::new(2, Unit::Weeks)), FWD, true;
    Verweerschrift = "verweerschrift", "Verweerschrift", "art. 13.1", "de verzending van het klaagschrift", Some(Term::new(4, Unit::Weeks)), FWD, true;
    Hoorzitting = "hoorzitting", "Hoorzitting binnen twee maanden", "art. 18", "de ontvangst van het klaagschrift", Some(Term::new(2, Unit::Months)), FWD, true;
    Getuigen = "getuigen", "Namen van getuigen en deskundigen", "art. 21.4", "de hoorzitting", Some(Term::new(5, Unit::WorkingDays)), BACK, true;
    Repliek = "repliek", "Repliek van klager", "art. 17", "de verzending van het verweerschrift", None, FWD, true;
    Dupliek = "dupliek", "Dupliek van aangeklaagde", "art. 17", "de verzending van de repliek", None, FWD, true;
    Advies = "advies", "Advies", "art. 25.1", "de sluiting van het onderzoek", Some(Term::new(4, Unit::Weeks)), FWD, true;
    // WPO art 14(7) is a statutory term: the reglement's Art 27 does not reach it (legal.md rule 5).
    // Art 21.6: the chair sets the term to respond to the record of a minor witness.
    Reactie = "reactie", "Reactie op verslag getuige", "art. 21.6", "de verzending van het verslag", None, FWD, true;
    BesluitBevoegdGezag = "besluit_bevoegd_gezag", "Besluit bevoegd gezag op het advies", "art. 14 lid 7 WPO", "de ontvangst van het advies", Some(Term::new(4, Unit::Weeks)), FWD, false;
}

impl DeadlineKind {
    /// How this kind is counted, given the case's Art 27 urgency.
    pub fn rules(self, urgent: bool) -> Rules {
        Rules { direction: self.direction(), skip_school_holidays: self.skips_school_holidays(), urgent }
    }
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Open,
    Met,
    Missed,
    Extended,
    Suspended,
    Cancelled,
}

impl Status {
    pub const ALL: &'static [Status] =
        &[Status::Open, Status::Met, Status::Missed, Status::Extended, Status::Suspended, Status::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Met => "met",
            Status::Missed => "missed",
            Status::Extended => "extended",
            Status::Suspended => "suspended",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Lopend",
            Status::Met => "Gehaald",
            Status::Missed => "Verstreken",
            Status::Extended => "Verlengd",
            Status::Suspended => "Opgeschort",
            Status::Cancelled => "Vervallen",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// Still counting down (and recomputed when a calendar changes).
    pub fn is_running(self) -> bool {
        matches!(self, Status::Open | Status::Extended)
    }

    /// Not closed yet: running or suspended.
    pub fn is_pending(self) -> bool {
        self.is_running() || self == Status::Suspended
    }
}

/// Everything stored about a deadline that determines its due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub event_on: NaiveDate,
    pub term: Term,
    pub rules: Rules,
    /// Art 13.1, 25.1: an extension by a further term, counted from the original end.
    pub extension: Option<Term>,
    /// Rule 9: a suspension and, once it ended, its resumption.
    pub suspended_on: Option<NaiveDate>,
    pub resumed_on: Option<NaiveDate>,
}

/// The due date of a deadline, with its explanation; `None` while it is suspended.
pub fn due(spec: &Spec, cals: Calendars<'_>) -> Result<Option<Deadline>, TermError> {
    let mut d = termijn::compute(spec.event_on, spec.term, spec.rules, cals)?;
    match (spec.suspended_on, spec.resumed_on) {
        (Some(_), None) => return Ok(None),
        (Some(from), Some(to)) => d = termijn::resume(&d, from, to, cals)?,
        _ => {}
    }
    if let Some(extra) = spec.extension {
        d = termijn::extend(&d, extra, cals)?;
    }
    Ok(Some(d))
}

/// How urgent a running deadline is on `today`, for the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bucket {
    Overdue,
    ThisWeek,
    Later,
}

/// Overdue: the due date has passed (the due day itself still counts). This week: due by the
/// coming Sunday.
pub fn bucket(due_on: NaiveDate, today: NaiveDate) -> Bucket {
    let days_to_sunday = 6 - u64::from(today.weekday().num_days_from_monday());
    let sunday = today.checked_add_days(Days::new(days_to_sunday)).unwrap_or(today);
    if due_on < today {
        Bucket::Overdue
    } else if due_on <= sunday {
        Bucket::ThisWeek
    } else {
        Bucket::Later
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Region;
    use crate::domain::holidays;
    use crate::domain::school_calendar::official_calendar;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_roundtrip() {
        for k in DeadlineKind::ALL {
            assert_eq!(DeadlineKind::parse(k.code()), Some(*k));
            assert!(k.article().starts_with("art."));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(*s));
        }
        assert!(!DeadlineKind::Indiening.skips_school_holidays());
        assert!(!DeadlineKind::BesluitBevoegdGezag.skips_school_holidays());
        assert_eq!(DeadlineKind::Getuigen.direction(), Direction::Backward);
    }

    #[test]
    fn due_follows_suspension_and_extension() {
        let general = holidays::shipped();
        let midden = official_calendar(Region::Midden);
        let cals = Calendars { general: &general, school: Some(&midden) };
        let base = Spec {
            event_on: d(2026, 10, 15),
            term: Term::new(2, Unit::Weeks),
            rules: DeadlineKind::Herstel.rules(false),
            extension: None,
            suspended_on: None,
            resumed_on: None,
        };
        assert_eq!(due(&base, cals).unwrap().unwrap().date, d(2026, 11, 9));
        let suspended = Spec { suspended_on: Some(d(2026, 10, 26)), ..base.clone() };
        assert_eq!(due(&suspended, cals).unwrap(), None);
        let resumed = Spec { resumed_on: Some(d(2026, 11, 2)), ..suspended };
        assert_eq!(due(&resumed, cals).unwrap().unwrap().date, d(2026, 11, 16));
        let extended = Spec { extension: Some(Term::new(4, Unit::Weeks)), ..base };
        assert_eq!(due(&extended, cals).unwrap().unwrap().date, d(2026, 12, 7));
    }

    #[test]
    fn buckets() {
        let monday = d(2026, 11, 23);
        assert_eq!(bucket(d(2026, 11, 22), monday), Bucket::Overdue);
        assert_eq!(bucket(monday, monday), Bucket::ThisWeek);
        assert_eq!(bucket(d(2026, 11, 29), monday), Bucket::ThisWeek);
        assert_eq!(bucket(d(2026, 11, 30), monday), Bucket::Later);
        let sunday = d(2026, 11, 29);
        assert_eq!(bucket(sunday, sunday), Bucket::ThisWeek);
        assert_eq!(bucket(d(2026, 11, 30), sunday), Bucket::Later);
    }
}

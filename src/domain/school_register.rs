//! The school-level complaints register (the two school procedures in the seeds: the Alfrink
//! protocol and the Klassepro procedure) as pure rules: what counts as a complaint, where a
//! kind of complaint goes, the terms of each procedure, and the warnings the register shows.
//! The register's storage and pages build on these (issue 8).

use super::case::vocabulary;
use super::termijn::{self, Calendars, Rules, Term, TermError, Unit};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

vocabulary! {
    /// The kinds of complaint the registratieformulier distinguishes.
    ComplaintKind {
        Onderwijskundig = "onderwijskundig" => "Onderwijskundig",
        Organisatorisch = "organisatorisch" => "Organisatorisch",
        OngewenstGedrag = "ongewenst_gedrag" => "Ongewenst gedrag",
    }
}

vocabulary! {
    /// Which school procedure a board follows; it sets the answer term.
    Procedure {
        Alfrink = "alfrink" => "Klachtenprotocol (antwoord binnen 15 werkdagen)",
        Klassepro = "klassepro" => "Klachtenprocedure (beslissing binnen twee weken, nagesprek binnen twee weken)",
    }
}

/// Where a complaint starts (Alfrink protocol, steps 1-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Step 1: the teacher, then the director, the contactpersoon, the director in writing, the
    /// commission.
    FromTeacher,
    /// Step 2: organisational matters start with the director.
    FromDirector,
    /// Unwanted behaviour goes straight to the vertrouwenspersoon.
    Vertrouwenspersoon,
}

pub fn route(kind: ComplaintKind) -> Route {
    match kind {
        ComplaintKind::Onderwijskundig => Route::FromTeacher,
        ComplaintKind::Organisatorisch => Route::FromDirector,
        ComplaintKind::OngewenstGedrag => Route::Vertrouwenspersoon,
    }
}

/// What a written complaint (or a written withdrawal) carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub name: bool,
    pub address: bool,
    pub signed: bool,
}

/// A written complaint without name, address and signature is no complaint (Alfrink
/// protocol); the Dutch reason lists what is missing.
pub fn is_a_complaint(w: Written) -> Result<(), String> {
    let missing: Vec<&str> = [(w.name, "de naam"), (w.address, "het adres"), (w.signed, "een handtekening")]
        .into_iter()
        .filter(|(present, _)| !present)
        .map(|(_, what)| what)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Een schriftelijke klacht zonder {} is geen klacht en wordt niet in behandeling genomen.",
            super::dutch::list(&missing.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
        ))
    }
}

/// A withdrawal counts only in writing, with name, address and signature.
pub fn withdrawal_valid(in_writing: bool, w: Written) -> bool {
    in_writing && w.name && w.address && w.signed
}

/// Klassepro: a complaint handler is assigned within 48 hours of recording.
pub fn handler_due(recorded_at: DateTime<Utc>) -> DateTime<Utc> {
    recorded_at + TimeDelta::hours(48)
}

/// Klassepro: the handler is, where possible, not the person complained about.
pub fn handler_warning(handler: &str, complained_about: &str) -> Option<&'static str> {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    (!handler.trim().is_empty() && norm(handler) == norm(complained_about))
        .then_some("De klachtbehandelaar is de persoon over wie geklaagd wordt; wijs zo mogelijk iemand anders aan.")
}

/// The date by which the school answers: 15 working days (Alfrink) or a reasoned decision within
/// two weeks (Klassepro), counted from the day after receipt with the Termijnenwet; school
/// holidays count, as the school procedures do not set them aside.
pub fn answer_due(procedure: Procedure, received_on: NaiveDate, cals: Calendars<'_>) -> Result<NaiveDate, TermError> {
    let term = match procedure {
        Procedure::Alfrink => Term::new(15, Unit::WorkingDays),
        Procedure::Klassepro => Term::new(2, Unit::Weeks),
    };
    Ok(termijn::compute(received_on, term, Rules::NO_SCHOOL_HOLIDAYS, cals)?.date)
}

/// Klassepro: contact with the complainant within two weeks after the decision letter.
pub fn follow_up_due(decision_letter_on: NaiveDate, cals: Calendars<'_>) -> Result<NaiveDate, TermError> {
    Ok(termijn::compute(decision_letter_on, Term::new(2, Unit::Weeks), Rules::NO_SCHOOL_HOLIDAYS, cals)?.date)
}

/// Complaints are filed within a year of the facts, unless the director decides otherwise.
pub fn filed_in_time(facts_on: NaiveDate, received_on: NaiveDate, director_allows: bool) -> bool {
    director_allows || facts_on.checked_add_months(chrono::Months::new(12)).is_some_and(|limit| received_on <= limit)
}

/// Files are kept five years after closing, then purged.
pub fn purge_after(closed_on: NaiveDate) -> Option<NaiveDate> {
    closed_on.checked_add_months(chrono::Months::new(60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cals(h: &crate::domain::holidays::GeneralHolidays) -> Calendars<'_> {
        Calendars { general: h, school: None }
    }

    #[test]
    fn an_anonymous_written_complaint_is_no_complaint() {
        assert_eq!(is_a_complaint(Written { name: true, address: true, signed: true }), Ok(()));
        let e = is_a_complaint(Written { name: false, address: true, signed: false }).unwrap_err();
        assert!(e.contains("de naam en een handtekening"), "{e}");
        assert!(!withdrawal_valid(false, Written { name: true, address: true, signed: true }), "only in writing");
        assert!(withdrawal_valid(true, Written { name: true, address: true, signed: true }));
    }

    #[test]
    fn unwanted_behaviour_goes_to_the_vertrouwenspersoon() {
        assert_eq!(route(ComplaintKind::OngewenstGedrag), Route::Vertrouwenspersoon);
        assert_eq!(route(ComplaintKind::Organisatorisch), Route::FromDirector);
        assert_eq!(route(ComplaintKind::Onderwijskundig), Route::FromTeacher);
    }

    #[test]
    fn the_handler_comes_within_48_hours_and_is_not_the_accused() {
        let t: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        assert_eq!(handler_due(t), "2026-11-25T10:00:00Z".parse::<DateTime<Utc>>().unwrap());
        assert!(handler_warning("  A.  Jansen", "a. jansen").is_some());
        assert!(handler_warning("B. de Vries", "A. Jansen").is_none());
        assert!(handler_warning("", "A. Jansen").is_none());
    }

    #[test]
    fn answer_terms_follow_the_procedure() {
        let h = crate::domain::holidays::shipped();
        // Monday 23 November 2026: 15 working days end on Monday 14 December.
        assert_eq!(answer_due(Procedure::Alfrink, d("2026-11-23"), cals(&h)).unwrap(), d("2026-12-14"));
        assert_eq!(answer_due(Procedure::Klassepro, d("2026-11-23"), cals(&h)).unwrap(), d("2026-12-07"));
        // Two weeks ending on Saturday 26 December move past Christmas to Monday 28th (Atw).
        assert_eq!(follow_up_due(d("2026-12-12"), cals(&h)).unwrap(), d("2026-12-28"));
    }

    #[test]
    fn the_filing_year_and_the_five_year_retention() {
        assert!(filed_in_time(d("2025-11-23"), d("2026-11-23"), false));
        assert!(!filed_in_time(d("2025-11-22"), d("2026-11-24"), false));
        assert!(filed_in_time(d("2020-01-01"), d("2026-11-24"), true), "the director may decide otherwise");
        assert_eq!(purge_after(d("2026-02-28")), Some(d("2031-02-28")));
    }

    proptest! {
        #[test]
        fn answers_are_due_after_receipt_and_never_on_a_rest_day(days in 0i64..800, alfrink in any::<bool>()) {
            let h = crate::domain::holidays::shipped();
            let received = d("2026-01-01") + TimeDelta::days(days);
            let p = if alfrink { Procedure::Alfrink } else { Procedure::Klassepro };
            let due = answer_due(p, received, cals(&h)).unwrap();
            prop_assert!(due > received + TimeDelta::days(13));
            prop_assert!(!h.is_atw_rest_day(due));
        }
    }
}

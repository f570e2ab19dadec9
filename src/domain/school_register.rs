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
    // Names are typed freely ("Dhr. P. Smits" and "dhr. P. Smits, docent wiskunde"): compare
    // case-insensitively, up to a comma, and let one contain the other.
    let norm = |s: &str| {
        let name = s.split(',').next().unwrap_or_default();
        name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    };
    let (h, a) = (norm(handler), norm(complained_about));
    let same = h.chars().count() >= 3 && a.chars().count() >= 3 && (h == a || h.contains(&a) || a.contains(&h));
    same.then_some("De klachtbehandelaar is de persoon over wie geklaagd wordt; wijs zo mogelijk iemand anders aan.")
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

vocabulary! {
    /// Where a register entry stands.
    EntryStatus {
        Open = "open" => "In behandeling",
        GeenKlacht = "geen_klacht" => "Geen klacht (niet in behandeling)",
        Vertrouwenspersoon = "vertrouwenspersoon" => "Naar de vertrouwenspersoon",
        Beslist = "beslist" => "Beslissing verstuurd",
        Gesloten = "gesloten" => "Dossier gesloten",
        Ingetrokken = "ingetrokken" => "Ingetrokken",
        Doorgezet = "doorgezet" => "Voorgelegd aan de klachtencommissie",
    }
}

vocabulary! {
    /// The rows of the actions table on the registratieformulier, in their order.
    RegisterAction {
        KlachtBinnen = "klacht_binnen" => "Klacht binnengekomen",
        Ontvangstbevestiging = "ontvangstbevestiging" => "Ontvangstbevestiging verstuurd",
        Betrokkenen = "betrokkenen" => "Betrokkenen gehoord",
        BriefOplossing = "brief_oplossing" => "Brief met de geboden oplossing verstuurd",
        DirectieGeinformeerd = "directie_geinformeerd" => "Directie geïnformeerd",
        Gesloten = "gesloten" => "Dossier gesloten",
    }
}

vocabulary! {
    /// Who complained (registratieformulier: ouder/verzorger of leerling).
    ComplainantRole {
        Ouder = "ouder" => "Ouder of verzorger",
        Leerling = "leerling" => "Leerling",
        Anders = "anders" => "Anders",
    }
}

/// The number of an entry in the board's register: `R2026-007`.
pub fn entry_number(year: i32, seq: i32) -> String {
    format!("R{year}-{seq:03}")
}

/// The facts of an entry that decide what may happen next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub status: EntryStatus,
    pub has_handler: bool,
    pub acknowledged: bool,
    pub decided: bool,
    pub follow_up_recorded: bool,
    pub procedure: Procedure,
}

/// What can be done with an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    AssignHandler,
    Acknowledge,
    NoticeOfDelay,
    Decide,
    FollowUp,
    Withdraw,
    Close,
    Escalate,
    EditActions,
}

impl Step {
    pub const ALL: &'static [Step] = &[
        Step::AssignHandler,
        Step::Acknowledge,
        Step::NoticeOfDelay,
        Step::Decide,
        Step::FollowUp,
        Step::Withdraw,
        Step::Close,
        Step::Escalate,
        Step::EditActions,
    ];
}

/// Whether `step` may happen now; otherwise the Dutch reason the page shows.
pub fn allowed(f: &Facts, step: Step) -> Result<(), String> {
    use EntryStatus as S;
    let ended = || Err(format!("Deze klacht is afgerond ({}).", f.status.label().to_lowercase()));
    match step {
        // The record and its escalation stay open to the commission's later steps.
        Step::EditActions => Ok(()),
        Step::Escalate => match f.status {
            S::Doorgezet => Err("Deze klacht is al aan de klachtencommissie voorgelegd.".into()),
            S::GeenKlacht => Err("Een schriftelijke klacht zonder naam, adres en handtekening is geen klacht.".into()),
            S::Ingetrokken => Err("De klacht is ingetrokken.".into()),
            // Step 5: whoever is not satisfied with the school's answer goes to the commission;
            // unwanted behaviour may go there directly (through the vertrouwenspersoon).
            S::Open | S::Vertrouwenspersoon | S::Beslist | S::Gesloten => Ok(()),
        },
        Step::Withdraw => match f.status {
            S::Open | S::Vertrouwenspersoon | S::Beslist => Ok(()),
            _ => ended(),
        },
        Step::Close => match f.status {
            S::Open if !f.decided => Err("Sluit het dossier pas na de beslissing op de klacht.".into()),
            S::Beslist if f.procedure == Procedure::Klassepro && !f.follow_up_recorded => {
                Err("Leg eerst het nagesprek vast; de klachtenprocedure vraagt dat binnen twee weken na de beslissing."
                    .into())
            }
            S::Open | S::Beslist | S::Vertrouwenspersoon => Ok(()),
            _ => ended(),
        },
        Step::AssignHandler | Step::Acknowledge | Step::NoticeOfDelay | Step::Decide => {
            if f.status != S::Open {
                return ended();
            }
            match step {
                Step::Acknowledge | Step::NoticeOfDelay | Step::Decide if !f.has_handler => {
                    Err("Wijs eerst een klachtbehandelaar aan.".into())
                }
                Step::NoticeOfDelay | Step::Decide if !f.acknowledged => {
                    Err("Stuur eerst de ontvangstbevestiging.".into())
                }
                _ => Ok(()),
            }
        }
        Step::FollowUp => match f.status {
            S::Beslist => Ok(()),
            S::Open => Err("Het nagesprek volgt op de beslissing; die is nog niet verstuurd.".into()),
            _ => ended(),
        },
    }
}

/// The status after a step (steps not named leave it as it is).
pub fn status_after(step: Step, current: EntryStatus) -> EntryStatus {
    match step {
        Step::Decide => EntryStatus::Beslist,
        Step::Withdraw => EntryStatus::Ingetrokken,
        Step::Close => EntryStatus::Gesloten,
        Step::Escalate => EntryStatus::Doorgezet,
        _ => current,
    }
}

/// The status a new entry starts in: a written complaint without name, address and signature
/// is no complaint; unwanted behaviour goes to the vertrouwenspersoon.
pub fn initial_status(kind: ComplaintKind, written: Option<Written>) -> (EntryStatus, Option<String>) {
    if let Some(w) = written
        && let Err(why) = is_a_complaint(w)
    {
        return (EntryStatus::GeenKlacht, Some(why));
    }
    match route(kind) {
        Route::Vertrouwenspersoon => (
            EntryStatus::Vertrouwenspersoon,
            Some("Ongewenst gedrag: de klager is doorverwezen naar de vertrouwenspersoon.".into()),
        ),
        _ => (EntryStatus::Open, None),
    }
}

/// What an entry needs to record its timing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    pub status: EntryStatus,
    pub recorded_at: DateTime<Utc>,
    pub handler_assigned_at: Option<DateTime<Utc>>,
    pub handler: Option<String>,
    pub complained_about: String,
    pub answer_due: Option<NaiveDate>,
    pub answer_delayed_to: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub follow_up_due: Option<NaiveDate>,
    pub follow_up_on: Option<NaiveDate>,
    pub facts_on: Option<NaiveDate>,
    pub received_on: NaiveDate,
    pub late_allowed: bool,
}

impl Timing {
    /// The date the school must answer by: the new date of a notice of delay, else the term.
    pub fn answer_by(&self) -> Option<NaiveDate> {
        self.answer_delayed_to.or(self.answer_due)
    }
}

/// The warnings the register shows for an entry at `now`, in Dutch.
pub fn warnings(t: &Timing, now: DateTime<Utc>, today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    if t.status == EntryStatus::Open {
        match (&t.handler, t.handler_assigned_at) {
            (None, _) if now > handler_due(t.recorded_at) => {
                out.push("Er is nog geen klachtbehandelaar: die wordt binnen 48 uur aangewezen.".to_owned())
            }
            (Some(_), Some(at)) if at > handler_due(t.recorded_at) => {
                out.push("De klachtbehandelaar is later dan 48 uur na ontvangst aangewezen.".to_owned())
            }
            _ => {}
        }
        if let Some(h) = &t.handler
            && let Some(w) = handler_warning(h, &t.complained_about)
        {
            out.push(w.to_owned());
        }
        if t.decided_on.is_none()
            && let Some(by) = t.answer_by()
            && today > by
        {
            out.push(format!(
                "Het antwoord had uiterlijk op {} verstuurd moeten zijn; stuur de beslissing of een bericht van uitstel met een nieuwe datum.",
                super::dutch::date(by)
            ));
        }
    }
    if t.status == EntryStatus::Beslist
        && t.follow_up_on.is_none()
        && let Some(due) = t.follow_up_due
        && today > due
    {
        out.push(format!("Het nagesprek had uiterlijk op {} plaats moeten vinden.", super::dutch::date(due)));
    }
    if let Some(facts) = t.facts_on
        && !filed_in_time(facts, t.received_on, t.late_allowed)
    {
        out.push(
            "De klacht kwam meer dan een jaar na de feiten binnen; zij wordt alleen behandeld als de directeur daartoe besluit."
                .to_owned(),
        );
    }
    out
}

/// What the contactpersoon's yearly report needs of one entry (no names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEntry {
    pub kind: ComplaintKind,
    pub status: EntryStatus,
    /// The date the answer was due (after a notice of delay, the new date).
    pub answer_by: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub escalated: bool,
    pub cause: String,
    pub measures: String,
}

/// The contactpersoon's yearly report for a school or a board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearReport {
    pub total: usize,
    /// Per kind: (kind, entries).
    pub by_kind: Vec<(ComplaintKind, usize)>,
    /// Per status: (status, entries).
    pub by_status: Vec<(EntryStatus, usize)>,
    /// Decided on or before the answer date; decided later; still open past it.
    pub in_time: usize,
    pub late: usize,
    pub open_overdue: usize,
    pub escalated: usize,
    /// The analysis table: (kind, cause, measures) of the entries that record them.
    pub analysis: Vec<(ComplaintKind, String, String)>,
}

/// An open entry whose answer date (after a notice of delay, the new date) has passed without
/// a decision: "antwoord te laat" on the register and the board's start page.
pub fn answer_overdue(
    status: EntryStatus,
    decided_on: Option<NaiveDate>,
    answer_by: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    status == EntryStatus::Open && decided_on.is_none() && answer_by.is_some_and(|by| by < today)
}

/// Counts the entries of one year (those received in it) as of `today`.
pub fn year_report(entries: &[ReportEntry], today: NaiveDate) -> YearReport {
    let count = |f: &dyn Fn(&ReportEntry) -> bool| entries.iter().filter(|e| f(e)).count();
    YearReport {
        total: entries.len(),
        by_kind: ComplaintKind::ALL.iter().map(|k| (*k, count(&|e| e.kind == *k))).collect(),
        by_status: EntryStatus::ALL.iter().map(|s| (*s, count(&|e| e.status == *s))).collect(),
        in_time: count(&|e| matches!((e.decided_on, e.answer_by), (Some(d), Some(by)) if d <= by)),
        late: count(&|e| matches!((e.decided_on, e.answer_by), (Some(d), Some(by)) if d > by)),
        open_overdue: count(&|e| answer_overdue(e.status, e.decided_on, e.answer_by, today)),
        escalated: count(&|e| e.escalated),
        analysis: entries
            .iter()
            .filter(|e| !e.cause.trim().is_empty() || !e.measures.trim().is_empty())
            .map(|e| (e.kind, e.cause.trim().to_owned(), e.measures.trim().to_owned()))
            .collect(),
    }
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
        assert!(handler_warning("Dhr. P. Smits", "dhr. P. Smits, docent wiskunde").is_some());
        assert!(handler_warning("P. Smits", "dhr. P. Smits").is_some());
        assert!(handler_warning("A. Verbeek, directeur", "de directie").is_none());
        assert!(handler_warning("X", "X. Jansen").is_none(), "too short to tell");
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

    fn facts(status: EntryStatus) -> Facts {
        Facts {
            status,
            has_handler: true,
            acknowledged: true,
            decided: false,
            follow_up_recorded: false,
            procedure: Procedure::Alfrink,
        }
    }

    #[test]
    fn an_entry_moves_through_the_procedure() {
        let mut f = facts(EntryStatus::Open);
        f.has_handler = false;
        f.acknowledged = false;
        assert!(allowed(&f, Step::AssignHandler).is_ok());
        assert_eq!(allowed(&f, Step::Acknowledge).unwrap_err(), "Wijs eerst een klachtbehandelaar aan.");
        f.has_handler = true;
        assert!(allowed(&f, Step::Acknowledge).is_ok());
        assert!(allowed(&f, Step::Decide).unwrap_err().contains("ontvangstbevestiging"));
        f.acknowledged = true;
        assert!(allowed(&f, Step::Decide).is_ok() && allowed(&f, Step::NoticeOfDelay).is_ok());
        assert!(allowed(&f, Step::Close).unwrap_err().contains("na de beslissing"));
        assert!(allowed(&f, Step::FollowUp).is_err());
        assert_eq!(status_after(Step::Decide, f.status), EntryStatus::Beslist);
        let mut f = facts(EntryStatus::Beslist);
        f.decided = true;
        assert!(allowed(&f, Step::Decide).is_err(), "one decision");
        assert!(allowed(&f, Step::FollowUp).is_ok() && allowed(&f, Step::Close).is_ok());
        f.procedure = Procedure::Klassepro;
        assert!(allowed(&f, Step::Close).unwrap_err().contains("nagesprek"), "Klassepro: follow-up first");
        f.follow_up_recorded = true;
        assert!(allowed(&f, Step::Close).is_ok());
        for s in [EntryStatus::Gesloten, EntryStatus::Ingetrokken, EntryStatus::Doorgezet, EntryStatus::GeenKlacht] {
            for step in [Step::AssignHandler, Step::Acknowledge, Step::Decide, Step::Withdraw, Step::Close] {
                assert!(allowed(&facts(s), step).is_err(), "{s:?} {step:?}");
            }
            assert!(allowed(&facts(s), Step::EditActions).is_ok());
        }
        assert!(allowed(&facts(EntryStatus::Gesloten), Step::Escalate).is_ok(), "step 5 after the school's answer");
        assert!(allowed(&facts(EntryStatus::Doorgezet), Step::Escalate).is_err(), "once");
        assert!(allowed(&facts(EntryStatus::GeenKlacht), Step::Escalate).is_err());
    }

    #[test]
    fn a_new_entry_starts_by_its_kind_and_form() {
        let signed = Written { name: true, address: true, signed: true };
        assert_eq!(initial_status(ComplaintKind::Onderwijskundig, Some(signed)).0, EntryStatus::Open);
        assert_eq!(initial_status(ComplaintKind::Organisatorisch, None).0, EntryStatus::Open, "oral");
        let (s, why) = initial_status(ComplaintKind::Onderwijskundig, Some(Written { signed: false, ..signed }));
        assert_eq!(s, EntryStatus::GeenKlacht);
        assert!(why.unwrap().contains("een handtekening"));
        assert_eq!(initial_status(ComplaintKind::OngewenstGedrag, Some(signed)).0, EntryStatus::Vertrouwenspersoon);
        assert_eq!(entry_number(2026, 7), "R2026-007");
    }

    fn timing() -> Timing {
        Timing {
            status: EntryStatus::Open,
            recorded_at: "2026-11-23T10:00:00Z".parse().unwrap(),
            handler_assigned_at: None,
            handler: None,
            complained_about: "A. Jansen".into(),
            answer_due: Some(d("2026-12-14")),
            answer_delayed_to: None,
            decided_on: None,
            follow_up_due: None,
            follow_up_on: None,
            facts_on: Some(d("2026-11-01")),
            received_on: d("2026-11-23"),
            late_allowed: false,
        }
    }

    #[test]
    fn warnings_for_the_48_hours_the_answer_and_the_follow_up() {
        let t = timing();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(warnings(&t, at("2026-11-25T09:59:00Z"), d("2026-11-25")).is_empty());
        let w = warnings(&t, at("2026-11-25T10:01:00Z"), d("2026-11-25"));
        assert!(w[0].contains("48 uur"), "{w:?}");
        let late = Timing {
            handler: Some("a. jansen".into()),
            handler_assigned_at: Some(at("2026-11-26T10:00:00Z")),
            ..t.clone()
        };
        let w = warnings(&late, at("2026-11-26T11:00:00Z"), d("2026-11-26"));
        assert!(w.iter().any(|m| m.contains("later dan 48 uur")) && w.iter().any(|m| m.contains("persoon over wie")));
        let w = warnings(&late, at("2026-12-15T10:00:00Z"), d("2026-12-15"));
        assert!(w.iter().any(|m| m.contains("14 december 2026")), "{w:?}");
        let delayed = Timing { answer_delayed_to: Some(d("2027-01-08")), ..late.clone() };
        assert!(
            !warnings(&delayed, at("2026-12-15T10:00:00Z"), d("2026-12-15")).iter().any(|m| m.contains("antwoord"))
        );
        let decided = Timing {
            status: EntryStatus::Beslist,
            decided_on: Some(d("2026-12-10")),
            follow_up_due: Some(d("2026-12-24")),
            ..late
        };
        assert!(warnings(&decided, at("2026-12-28T10:00:00Z"), d("2026-12-28"))[0].contains("nagesprek"));
        let old = Timing { facts_on: Some(d("2025-01-01")), ..timing() };
        assert!(warnings(&old, at("2026-11-23T11:00:00Z"), d("2026-11-23"))[0].contains("meer dan een jaar"));
        assert!(
            warnings(&Timing { late_allowed: true, ..old }, at("2026-11-23T11:00:00Z"), d("2026-11-23")).is_empty()
        );
    }

    #[test]
    fn an_answer_is_overdue_only_when_open_undecided_and_past_its_date() {
        use EntryStatus as S;
        let today = d("2026-06-15");
        assert!(answer_overdue(S::Open, None, Some(d("2026-06-14")), today));
        assert!(!answer_overdue(S::Open, None, Some(d("2026-06-15")), today), "due today is not late yet");
        assert!(!answer_overdue(S::Open, None, None, today), "no answer date, nothing to be late for");
        assert!(!answer_overdue(S::Open, Some(d("2026-06-01")), Some(d("2026-05-01")), today), "decided");
        for s in EntryStatus::ALL.iter().filter(|s| **s != S::Open) {
            assert!(!answer_overdue(*s, None, Some(d("2026-01-01")), today), "{s:?}");
        }
    }

    #[test]
    fn the_yearly_report_counts_in_time_late_and_escalated() {
        let e = |kind, status, by: Option<&str>, decided: Option<&str>, escalated, cause: &str| ReportEntry {
            kind,
            status,
            answer_by: by.map(d),
            decided_on: decided.map(d),
            escalated,
            cause: cause.into(),
            measures: if cause.is_empty() { String::new() } else { "afspraak".into() },
        };
        use ComplaintKind::*;
        use EntryStatus as S;
        let entries = [
            e(Onderwijskundig, S::Gesloten, Some("2026-03-10"), Some("2026-03-09"), false, "rooster"),
            e(Onderwijskundig, S::Beslist, Some("2026-04-10"), Some("2026-04-12"), false, ""),
            e(Organisatorisch, S::Open, Some("2026-05-01"), None, false, ""),
            e(Organisatorisch, S::Doorgezet, Some("2026-06-01"), Some("2026-05-20"), true, "communicatie"),
            e(OngewenstGedrag, S::Vertrouwenspersoon, None, None, false, ""),
            e(Onderwijskundig, S::GeenKlacht, None, None, false, ""),
        ];
        let r = year_report(&entries, d("2026-06-15"));
        assert_eq!(r.total, 6);
        assert_eq!(r.by_kind, vec![(Onderwijskundig, 3), (Organisatorisch, 2), (OngewenstGedrag, 1)]);
        assert_eq!((r.in_time, r.late, r.open_overdue, r.escalated), (2, 1, 1, 1));
        assert_eq!(r.by_status.iter().map(|(_, n)| n).sum::<usize>(), 6);
        assert_eq!(r.analysis.len(), 2);
        assert_eq!(r.analysis[1], (Organisatorisch, "communicatie".into(), "afspraak".into()));
    }

    proptest! {
        #[test]
        fn only_an_open_entry_is_handled_and_every_refusal_says_why(
            status in 0usize..7, handler: bool, ack: bool, decided: bool, fu: bool, kp: bool, step in 0usize..9,
        ) {
            let f = Facts {
                status: EntryStatus::ALL[status],
                has_handler: handler,
                acknowledged: ack,
                decided,
                follow_up_recorded: fu,
                procedure: if kp { Procedure::Klassepro } else { Procedure::Alfrink },
            };
            let step = Step::ALL[step];
            match allowed(&f, step) {
                Ok(()) => {
                    if matches!(step, Step::AssignHandler | Step::Acknowledge | Step::Decide | Step::NoticeOfDelay) {
                        prop_assert_eq!(f.status, EntryStatus::Open);
                    }
                    if step == Step::Decide { prop_assert!(f.has_handler && f.acknowledged); }
                }
                Err(why) => prop_assert!(why.ends_with('.') && why.len() > 10),
            }
        }
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

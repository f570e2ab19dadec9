//! The annual report (jaarverslag, Art 9.4 of the reglement; protocol §6): the figures over a
//! period from plain facts per case. No names reach this module: a case is its dates, its
//! sector, its kind of complaint, its outcome, how it was handled, its hearing and advies terms
//! and its wraking and verschoning requests.
//!
//! A case is handled (afgehandeld) on the day its first advies was sent, or, when it was closed
//! without an advies, on the day it was closed (`cases.closed_on`): see [`handled_on`].

use super::case::{ComplaintKind, Outcome, Sector, vocabulary};
use super::deadline::Status;
use chrono::{Datelike, NaiveDate};

vocabulary! {
    /// How a handled case was dealt with.
    Handling {
        Vereenvoudigd = "vereenvoudigd" => "Vereenvoudigd afgedaan (art. 16)",
        Schriftelijk = "schriftelijk" => "Schriftelijk behandeld (art. 17)",
        Zitting = "zitting" => "Behandeld op een hoorzitting (art. 18)",
        Anders = "anders" => "Anders beëindigd (ingetrokken, opgelost, doorgezonden)",
    }
}

vocabulary! {
    /// A step of the procedure whose duration the report gives.
    Step {
        OntvangstZitting = "ontvangst_zitting" => "Ontvangst tot eerste hoorzitting",
        ZittingAdvies = "zitting_advies" => "Hoorzitting tot verzending advies",
        OntvangstAdvies = "ontvangst_advies" => "Ontvangst tot verzending advies",
        OntvangstAfhandeling = "ontvangst_afhandeling" => "Ontvangst tot afhandeling",
    }
}

vocabulary! {
    /// What a wraking or verschoning request came to (Art 19).
    RecusalOutcome {
        Toegewezen = "toegewezen" => "Toegewezen",
        Afgewezen = "afgewezen" => "Afgewezen",
        Open = "open" => "Nog niet beslist",
    }
}

/// One hearing or advies term (Art 18, Art 25.1) of a case, as the deadline records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermFact {
    pub status: Status,
    /// Extended by the chair (Art 25.1), whatever came of it.
    pub extended: bool,
    /// When it was closed as met or missed.
    pub closed_on: Option<NaiveDate>,
}

/// One wraking (`verschoning == false`) or verschoning request (Art 19).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecusalFact {
    pub received_on: NaiveDate,
    pub verschoning: bool,
    pub outcome: RecusalOutcome,
}

/// The facts of one case the report counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub received_on: NaiveDate,
    /// When the commission finished with it ([`handled_on`]): the advies sent, or the case
    /// closed otherwise.
    pub closed_on: Option<NaiveDate>,
    pub sector: Option<Sector>,
    /// The kind of complaint, when the secretary recorded it.
    pub kind: Option<ComplaintKind>,
    pub outcome: Option<Outcome>,
    /// Set for a handled case.
    pub handling: Option<Handling>,
    /// The first hearing held (not a pre-hearing appearance).
    pub first_hearing_on: Option<NaiveDate>,
    pub advies_sent_on: Option<NaiveDate>,
    pub hearing_terms: Vec<TermFact>,
    pub advies_terms: Vec<TermFact>,
    pub recusals: Vec<RecusalFact>,
}

/// The day a case counts as handled (afgehandeld): the day its first advies was sent, or,
/// for a case closed without an advies (withdrawn, settled, forwarded, declared
/// niet-ontvankelijk), the day it was closed. `None` while neither happened.
pub fn handled_on(first_advies_sent: Option<NaiveDate>, closed_on: Option<NaiveDate>) -> Option<NaiveDate> {
    first_advies_sent.or(closed_on)
}

/// The period reported on, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A calendar year; `None` outside chrono's range.
    pub fn year(year: i32) -> Option<Period> {
        Some(Period { from: NaiveDate::from_ymd_opt(year, 1, 1)?, to: NaiveDate::from_ymd_opt(year, 12, 31)? })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    fn has(&self, day: Option<NaiveDate>) -> bool {
        day.is_some_and(|d| self.contains(d))
    }
}

/// Counts per value of a vocabulary, in its order, with those that had no (known) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally<T> {
    pub rows: Vec<(T, usize)>,
    pub unknown: usize,
}

impl<T: Copy + PartialEq> Tally<T> {
    fn count(all: &[T], values: impl Iterator<Item = Option<T>>) -> Tally<T> {
        let mut t = Tally { rows: all.iter().map(|v| (*v, 0)).collect(), unknown: 0 };
        for v in values {
            match v.and_then(|v| t.rows.iter_mut().find(|(k, _)| *k == v)) {
                Some((_, n)) => *n += 1,
                None => t.unknown += 1,
            }
        }
        t
    }

    pub fn total(&self) -> usize {
        self.rows.iter().map(|(_, n)| n).sum::<usize>() + self.unknown
    }

    pub fn get(&self, v: T) -> usize {
        self.rows.iter().find(|(k, _)| *k == v).map_or(0, |(_, n)| *n)
    }
}

/// How the terms of one kind closed in the period ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermCounts {
    /// Met within the term the reglement sets.
    pub met: usize,
    /// Met within the extended term.
    pub met_extended: usize,
    /// Missed (of which some after an extension).
    pub missed: usize,
    pub missed_extended: usize,
}

impl TermCounts {
    fn of<'a>(period: &Period, terms: impl Iterator<Item = &'a TermFact>) -> TermCounts {
        let mut c = TermCounts::default();
        for t in terms.filter(|t| period.has(t.closed_on)) {
            match (t.status, t.extended) {
                (Status::Met, false) => c.met += 1,
                (Status::Met, true) => c.met_extended += 1,
                (Status::Missed, false) => c.missed += 1,
                (Status::Missed, true) => c.missed_extended += 1,
                _ => {}
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.met + self.met_extended + self.missed + self.missed_extended
    }
}

/// Durations of one step in days, over the cases that completed it in the period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Durations {
    pub cases: usize,
    /// The median; the mean of the middle two for an even number. `None` without cases.
    pub median: Option<f64>,
    pub longest: Option<i64>,
}

impl Durations {
    pub fn of(mut days: Vec<i64>) -> Durations {
        days.sort_unstable();
        let n = days.len();
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(days[n / 2] as f64),
            _ => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
        };
        Durations { cases: n, median, longest: days.last().copied() }
    }
}

/// Wraking and verschoning requests received in the period, by outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecusalCounts {
    pub wraking: Tally<RecusalOutcome>,
    pub verschoning: Tally<RecusalOutcome>,
}

/// All figures of the annual report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Period,
    /// Cases received in the period, by sector.
    pub received: Tally<Sector>,
    /// Cases handled (closed) in the period, by sector, outcome and handling.
    pub closed: Tally<Sector>,
    /// Cases received and handled in the period by kind of complaint; `unknown` counts the
    /// cases without one.
    pub received_by_kind: Tally<ComplaintKind>,
    pub closed_by_kind: Tally<ComplaintKind>,
    pub outcomes: Tally<Outcome>,
    pub handling: Tally<Handling>,
    /// Art 18: hearings within two months of receipt; Art 25.1: adviezen within four weeks.
    pub hearing_term: TermCounts,
    pub advies_term: TermCounts,
    pub durations: Vec<(Step, Durations)>,
    pub recusals: RecusalCounts,
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The figures over `period`.
pub fn compute(period: Period, cases: &[CaseFacts]) -> Report {
    let received: Vec<&CaseFacts> = cases.iter().filter(|c| period.contains(c.received_on)).collect();
    let closed: Vec<&CaseFacts> = cases.iter().filter(|c| period.has(c.closed_on)).collect();
    let step = |s: Step| -> Durations {
        let d = cases.iter().filter_map(|c| match s {
            Step::OntvangstZitting => {
                c.first_hearing_on.filter(|d| period.contains(*d)).map(|h| days(c.received_on, h))
            }
            Step::ZittingAdvies => match (c.first_hearing_on, c.advies_sent_on) {
                (Some(h), Some(a)) if period.contains(a) => Some(days(h, a)),
                _ => None,
            },
            Step::OntvangstAdvies => c.advies_sent_on.filter(|d| period.contains(*d)).map(|a| days(c.received_on, a)),
            Step::OntvangstAfhandeling => c.closed_on.filter(|d| period.contains(*d)).map(|a| days(c.received_on, a)),
        });
        Durations::of(d.collect())
    };
    let recusals: Vec<&RecusalFact> =
        cases.iter().flat_map(|c| &c.recusals).filter(|r| period.contains(r.received_on)).collect();
    let recusal_tally = |verschoning: bool| {
        Tally::count(
            RecusalOutcome::ALL,
            recusals.iter().filter(|r| r.verschoning == verschoning).map(|r| Some(r.outcome)),
        )
    };
    Report {
        period,
        received: Tally::count(Sector::ALL, received.iter().map(|c| c.sector)),
        closed: Tally::count(Sector::ALL, closed.iter().map(|c| c.sector)),
        received_by_kind: Tally::count(ComplaintKind::ALL, received.iter().map(|c| c.kind)),
        closed_by_kind: Tally::count(ComplaintKind::ALL, closed.iter().map(|c| c.kind)),
        outcomes: Tally::count(Outcome::ALL, closed.iter().map(|c| c.outcome)),
        handling: Tally::count(Handling::ALL, closed.iter().map(|c| c.handling)),
        hearing_term: TermCounts::of(&period, cases.iter().flat_map(|c| &c.hearing_terms)),
        advies_term: TermCounts::of(&period, cases.iter().flat_map(|c| &c.advies_terms)),
        durations: Step::ALL.iter().map(|s| (*s, step(*s))).collect(),
        recusals: RecusalCounts { wraking: recusal_tally(false), verschoning: recusal_tally(true) },
    }
}

/// The annual report over the previous calendar year is due in September (Art 9.4); the
/// secretary is reminded during August. Returns the year to report on, on a day of August.
pub fn reminder_year(today: NaiveDate) -> Option<i32> {
    (today.month() == 8).then(|| today.year() - 1)
}

/// The paragraph of the secretary's daily digest during August: the annual report over the
/// previous year is due in September, with the link to its figures.
pub fn reminder(today: NaiveDate, base_url: &str) -> Option<String> {
    let year = reminder_year(today)?;
    Some(format!(
        "Jaarverslag: het jaarverslag van de commissie over {year} (art. 9.4) moet in september worden uitgebracht. \
De cijfers, ook als CSV en PDF: {base_url}/rapportage/jaarverslag?jaar={year}\n"
    ))
}

/// A number of days as Dutch text: "12" or "12,5".
pub fn format_days(d: f64) -> String {
    if d.fract() == 0.0 { format!("{d:.0}") } else { format!("{d:.1}").replace('.', ",") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn case(received_on: NaiveDate) -> CaseFacts {
        CaseFacts {
            received_on,
            closed_on: None,
            sector: Some(Sector::Po),
            kind: None,
            outcome: None,
            handling: None,
            first_hearing_on: None,
            advies_sent_on: None,
            hearing_terms: vec![],
            advies_terms: vec![],
            recusals: vec![],
        }
    }

    fn term(status: Status, extended: bool, closed_on: Option<NaiveDate>) -> TermFact {
        TermFact { status, extended, closed_on }
    }

    fn y2026() -> Period {
        Period::year(2026).unwrap()
    }

    #[test]
    fn periods() {
        let p = y2026();
        assert!(p.contains(d(2026, 1, 1)) && p.contains(d(2026, 12, 31)));
        assert!(!p.contains(d(2025, 12, 31)) && !p.contains(d(2027, 1, 1)));
    }

    #[test]
    fn received_and_closed_are_counted_by_the_date_in_the_period() {
        let mut before = case(d(2025, 11, 3));
        before.closed_on = Some(d(2026, 2, 1));
        before.outcome = Some(Outcome::Ongegrond);
        before.handling = Some(Handling::Zitting);
        before.sector = Some(Sector::Vo);
        let mut open = case(d(2026, 3, 1));
        open.sector = Some(Sector::So);
        let mut later = case(d(2026, 12, 1));
        later.closed_on = Some(d(2027, 1, 10));
        let unknown = CaseFacts { sector: None, ..case(d(2026, 5, 5)) };
        let r = compute(y2026(), &[before, open, later, unknown]);
        assert_eq!(r.received.total(), 3);
        assert_eq!(r.received.get(Sector::So), 1);
        assert_eq!(r.received.get(Sector::Po), 1);
        assert_eq!(r.received.get(Sector::Vo), 0);
        assert_eq!(r.received.unknown, 1);
        assert_eq!(r.closed.total(), 1);
        assert_eq!(r.closed.get(Sector::Vo), 1);
        assert_eq!(r.outcomes.get(Outcome::Ongegrond), 1);
        assert_eq!(r.handling.get(Handling::Zitting), 1);
        assert_eq!(r.handling.unknown, 0);
    }

    #[test]
    fn handled_is_the_first_advies_sent_or_else_the_closing_day() {
        assert_eq!(handled_on(Some(d(2026, 3, 2)), Some(d(2026, 5, 1))), Some(d(2026, 3, 2)));
        assert_eq!(handled_on(None, Some(d(2026, 5, 1))), Some(d(2026, 5, 1)));
        assert_eq!(handled_on(Some(d(2026, 3, 2)), None), Some(d(2026, 3, 2)), "advies sent, board yet to decide");
        assert_eq!(handled_on(None, None), None);
    }

    #[test]
    fn kinds_are_counted_received_and_closed_with_the_unrecorded_apart() {
        let kind = |k: Option<ComplaintKind>, received: NaiveDate, closed: Option<NaiveDate>| CaseFacts {
            kind: k,
            closed_on: closed,
            ..case(received)
        };
        let cases = [
            kind(Some(ComplaintKind::Bejegening), d(2026, 1, 5), Some(d(2026, 4, 1))),
            kind(Some(ComplaintKind::Bejegening), d(2026, 2, 5), None),
            kind(Some(ComplaintKind::PestenVeiligheid), d(2025, 11, 5), Some(d(2026, 1, 20))),
            kind(Some(ComplaintKind::Organisatie), d(2026, 12, 1), Some(d(2027, 1, 2))),
            kind(None, d(2026, 3, 3), Some(d(2026, 3, 30))),
            kind(None, d(2024, 3, 3), Some(d(2025, 1, 3))),
        ];
        let r = compute(y2026(), &cases);
        assert_eq!(r.received_by_kind.get(ComplaintKind::Bejegening), 2);
        assert_eq!(r.received_by_kind.get(ComplaintKind::Organisatie), 1);
        assert_eq!(r.received_by_kind.get(ComplaintKind::PestenVeiligheid), 0);
        assert_eq!(r.received_by_kind.unknown, 1);
        assert_eq!(r.received_by_kind.total(), 4);
        assert_eq!(r.closed_by_kind.get(ComplaintKind::Bejegening), 1);
        assert_eq!(r.closed_by_kind.get(ComplaintKind::PestenVeiligheid), 1);
        assert_eq!(r.closed_by_kind.get(ComplaintKind::Organisatie), 0);
        assert_eq!(r.closed_by_kind.unknown, 1);
        assert_eq!(r.closed_by_kind.total(), 3);
        assert_eq!(r.received_by_kind.rows.len(), ComplaintKind::ALL.len(), "every kind has a row, also at 0");
    }

    #[test]
    fn terms_count_met_missed_and_extensions_closed_in_the_period() {
        let mut c = case(d(2026, 1, 5));
        c.hearing_terms = vec![
            term(Status::Met, false, Some(d(2026, 3, 1))),
            term(Status::Cancelled, false, None),
            term(Status::Open, false, None),
        ];
        c.advies_terms = vec![
            term(Status::Met, true, Some(d(2026, 4, 1))),
            term(Status::Missed, false, Some(d(2026, 5, 1))),
            term(Status::Missed, true, Some(d(2026, 6, 1))),
            term(Status::Met, false, Some(d(2025, 6, 1))),
            term(Status::Extended, true, None),
        ];
        let r = compute(y2026(), &[c]);
        assert_eq!(r.hearing_term, TermCounts { met: 1, met_extended: 0, missed: 0, missed_extended: 0 });
        assert_eq!(r.advies_term, TermCounts { met: 0, met_extended: 1, missed: 1, missed_extended: 1 });
        assert_eq!(r.advies_term.total(), 3);
    }

    #[test]
    fn durations_per_step() {
        let mut a = case(d(2026, 1, 1));
        a.first_hearing_on = Some(d(2026, 2, 10)); // 40 days
        a.advies_sent_on = Some(d(2026, 3, 2)); // 20 after the hearing, 60 after receipt
        a.closed_on = a.advies_sent_on;
        let mut b = case(d(2026, 2, 1));
        b.first_hearing_on = Some(d(2026, 3, 3)); // 30 days
        b.advies_sent_on = Some(d(2026, 4, 2)); // 30, 60
        b.closed_on = Some(d(2026, 4, 2));
        let mut c = case(d(2026, 5, 1));
        c.closed_on = Some(d(2026, 5, 11)); // withdrawn after 10 days
        let mut e = case(d(2026, 11, 1));
        e.first_hearing_on = Some(d(2027, 1, 5)); // outside the period
        let r = compute(y2026(), &[a, b, c, e]);
        let get = |s: Step| r.durations.iter().find(|(k, _)| *k == s).unwrap().1;
        assert_eq!(get(Step::OntvangstZitting), Durations { cases: 2, median: Some(35.0), longest: Some(40) });
        assert_eq!(get(Step::ZittingAdvies), Durations { cases: 2, median: Some(25.0), longest: Some(30) });
        assert_eq!(get(Step::OntvangstAdvies), Durations { cases: 2, median: Some(60.0), longest: Some(60) });
        assert_eq!(get(Step::OntvangstAfhandeling), Durations { cases: 3, median: Some(60.0), longest: Some(60) });
        assert_eq!(Durations::of(vec![]), Durations { cases: 0, median: None, longest: None });
        assert_eq!(Durations::of(vec![5, 1, 3]).median, Some(3.0));
    }

    #[test]
    fn recusals_by_kind_and_outcome() {
        let mut c = case(d(2025, 12, 1));
        c.recusals = vec![
            RecusalFact { received_on: d(2026, 1, 2), verschoning: false, outcome: RecusalOutcome::Afgewezen },
            RecusalFact { received_on: d(2026, 1, 3), verschoning: false, outcome: RecusalOutcome::Toegewezen },
            RecusalFact { received_on: d(2026, 1, 4), verschoning: true, outcome: RecusalOutcome::Toegewezen },
            RecusalFact { received_on: d(2025, 12, 4), verschoning: false, outcome: RecusalOutcome::Afgewezen },
        ];
        let r = compute(y2026(), &[c]);
        assert_eq!(r.recusals.wraking.total(), 2);
        assert_eq!(r.recusals.wraking.get(RecusalOutcome::Afgewezen), 1);
        assert_eq!(r.recusals.wraking.get(RecusalOutcome::Toegewezen), 1);
        assert_eq!(r.recusals.verschoning.get(RecusalOutcome::Toegewezen), 1);
        assert_eq!(r.recusals.verschoning.total(), 1);
    }

    #[test]
    fn the_reminder_runs_in_august_for_the_previous_year() {
        assert_eq!(reminder_year(d(2027, 8, 1)), Some(2026));
        assert_eq!(reminder_year(d(2027, 8, 31)), Some(2026));
        assert_eq!(reminder_year(d(2027, 7, 31)), None);
        assert_eq!(reminder_year(d(2027, 9, 1)), None);
    }

    #[test]
    fn the_reminder_links_the_previous_year() {
        let t = reminder(d(2027, 8, 2), "https://kc.example").unwrap();
        assert!(t.contains("over 2026") && t.contains("in september"), "{t}");
        assert!(t.contains("https://kc.example/rapportage/jaarverslag?jaar=2026"), "{t}");
        assert_eq!(reminder(d(2027, 9, 1), "https://kc.example"), None);
    }

    #[test]
    fn days_in_dutch() {
        assert_eq!(format_days(12.0), "12");
        assert_eq!(format_days(12.5), "12,5");
    }

    fn arb_case() -> impl Strategy<Value = CaseFacts> {
        (
            0i64..900,
            proptest::option::of(0i64..400),
            proptest::option::of(0usize..4),
            proptest::option::of(0usize..8),
            proptest::option::of(0usize..4),
            proptest::option::of(0i64..200),
            proptest::option::of(0i64..200),
            proptest::option::of(0usize..ComplaintKind::ALL.len()),
        )
            .prop_map(|(r, close, sector, outcome, handling, hearing, advies, kind)| {
                let start = d(2025, 6, 1) + chrono::Days::new(r as u64);
                let after = |n: i64| start + chrono::Days::new(n as u64);
                CaseFacts {
                    received_on: start,
                    closed_on: close.map(after),
                    sector: sector.map(|i| Sector::ALL[i]),
                    kind: kind.map(|i| ComplaintKind::ALL[i]),
                    outcome: outcome.map(|i| Outcome::ALL[i]),
                    handling: handling.map(|i| Handling::ALL[i]),
                    first_hearing_on: hearing.map(after),
                    advies_sent_on: advies.map(after),
                    hearing_terms: vec![term(Status::Met, r % 2 == 0, close.map(after))],
                    advies_terms: vec![term(Status::Missed, r % 3 == 0, advies.map(after))],
                    recusals: vec![],
                }
            })
    }

    proptest! {
        #[test]
        fn counts_add_up_and_medians_stay_below_the_longest(cases in proptest::collection::vec(arb_case(), 0..40)) {
            let p = y2026();
            let r = compute(p, &cases);
            let received = cases.iter().filter(|c| p.contains(c.received_on)).count();
            let closed = cases.iter().filter(|c| c.closed_on.is_some_and(|d| p.contains(d))).count();
            prop_assert_eq!(r.received.total(), received);
            prop_assert_eq!(r.closed.total(), closed);
            prop_assert_eq!(r.outcomes.total(), closed);
            prop_assert_eq!(r.handling.total(), closed);
            prop_assert_eq!(r.hearing_term.total(), closed);
            // By kind: every case in exactly one row (its kind, or not recorded).
            prop_assert_eq!(r.received_by_kind.total(), received);
            prop_assert_eq!(r.closed_by_kind.total(), closed);
            for k in ComplaintKind::ALL {
                let of = |c: &&CaseFacts| c.kind == Some(*k);
                prop_assert_eq!(
                    r.received_by_kind.get(*k),
                    cases.iter().filter(|c| p.contains(c.received_on)).filter(of).count()
                );
                prop_assert_eq!(
                    r.closed_by_kind.get(*k),
                    cases.iter().filter(|c| c.closed_on.is_some_and(|d| p.contains(d))).filter(of).count()
                );
            }
            prop_assert_eq!(
                r.received_by_kind.unknown,
                cases.iter().filter(|c| p.contains(c.received_on) && c.kind.is_none()).count()
            );
            for (_, dur) in &r.durations {
                match (dur.median, dur.longest) {
                    (Some(m), Some(l)) => prop_assert!(m <= l as f64 && dur.cases > 0),
                    (None, None) => prop_assert_eq!(dur.cases, 0),
                    _ => prop_assert!(false, "median and longest go together"),
                }
            }
            let afhandeling = r.durations.iter().find(|(s, _)| *s == Step::OntvangstAfhandeling).unwrap().1;
            prop_assert_eq!(afhandeling.cases, closed);
        }
    }
}

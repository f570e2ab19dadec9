//! From the investigation to the hearing and its record (Art 14.2, 18, 20-23), as pure rules:
//! which step is possible now, what stands in the way of a proposed hearing date, which dates
//! suit everyone, and whether parties are heard separately. The hearing page offers exactly the
//! steps [`allowed`] accepts, and the server checks every step with the same function.

use super::case::{CaseStatus, PartyRole, vocabulary};
use super::holidays::GeneralHolidays;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

vocabulary! {
    /// A hearing of the case (Art 18, 20), or a pre-hearing appearance (Art 14.2).
    HearingKind {
        Hoorzitting = "hoorzitting" => "Hoorzitting",
        Verschijning = "verschijning" => "Verschijning vóór de hoorzitting",
    }
}

vocabulary! {
    HearingStatus {
        Gepland = "gepland" => "Gepland",
        Gehouden = "gehouden" => "Gehouden",
        Geannuleerd = "geannuleerd" => "Geannuleerd",
    }
}

vocabulary! {
    /// Art 14.2: why parties are called before the hearing.
    AppearancePurpose {
        Inlichtingen = "inlichtingen" => "Inlichtingen geven",
        Schikking = "schikking" => "Poging tot schikking",
    }
}

vocabulary! {
    /// Art 21: who brings a witness, expert, interpreter or companion.
    BroughtBy {
        Klager = "klager" => "Klager",
        Aangeklaagde = "aangeklaagde" => "Aangeklaagde",
        Commissie = "commissie" => "De commissie",
    }
}

/// Whether a role is someone a party or the commission brings to the hearing (Art 21, 22),
/// rather than a party or a gemachtigde.
pub fn is_hearing_person(role: PartyRole) -> bool {
    matches!(role, PartyRole::Getuige | PartyRole::Deskundige | PartyRole::Tolk | PartyRole::Begeleider)
}

/// Art 20.3: where the klager or the aangeklaagde is a minor, parties are in principle heard
/// separately.
pub fn separately_in_principle(parties: &[(PartyRole, bool)]) -> bool {
    parties.iter().any(|(role, minor)| *minor && matches!(role, PartyRole::Klager | PartyRole::Aangeklaagde))
}

/// Art 21.4: a party's own witness or expert is admitted when its name reached the commission
/// by the due date (five working days before the hearing).
pub fn announced_in_time(announced_on: NaiveDate, due: NaiveDate) -> bool {
    announced_on <= due
}

/// What the hearing steps need to know about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub status: CaseStatus,
    /// The hearing or appearance still to come, if any.
    pub planned: Option<Planned>,
    /// The panel has a chair and two members (Art 9.1, 20.1).
    pub panel_complete: bool,
    /// A hearing was held and its proces-verbaal is final.
    pub hearing_recorded: bool,
    /// A hearing or appearance was held whose proces-verbaal is still a draft.
    pub minutes_pending: bool,
    /// Art 21.6: the parties' term to respond to a minor witness's record still runs.
    pub response_running: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    pub kind: HearingKind,
    pub invited: bool,
    pub starts_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Art 18, 14.2: the chair sets day, hour and place.
    Schedule,
    /// Art 18: a planned hearing moves; everyone invited is told.
    Move,
    /// The hearing is called off; everyone invited is told.
    Cancel,
    /// Art 18: the written invitation naming the panel; the calendar invitations.
    Invite,
    /// Art 20.3, 20.4: the chair decides whether parties are heard separately.
    DecideSeparately,
    /// Art 20, 21: who was there; the hearing took place.
    RecordHeld,
    /// Art 14.3, 20: the proces-verbaal becomes final (and a settlement closes the case).
    FinaliseMinutes,
    /// Art 21.6: the record of a minor witness heard without the parties, with a term to respond.
    SendWitnessRecord,
    /// Art 25.1: the investigation closes; the advies term starts.
    CloseInvestigation,
    /// Art 23: an incomplete investigation is reopened.
    Reopen,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Schedule,
        Step::Move,
        Step::Cancel,
        Step::Invite,
        Step::DecideSeparately,
        Step::RecordHeld,
        Step::FinaliseMinutes,
        Step::SendWitnessRecord,
        Step::CloseInvestigation,
        Step::Reopen,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Step::Schedule => "Zitting plannen",
            Step::Move => "Zitting verplaatsen",
            Step::Cancel => "Zitting afzeggen",
            Step::Invite => "Uitnodigingen versturen",
            Step::DecideSeparately => "Beslissen over apart horen",
            Step::RecordHeld => "Aanwezigheid vastleggen",
            Step::FinaliseMinutes => "Proces-verbaal vaststellen",
            Step::SendWitnessRecord => "Verslag minderjarige getuige versturen",
            Step::CloseInvestigation => "Onderzoek sluiten",
            Step::Reopen => "Onderzoek heropenen",
        }
    }

    /// Steps the chair decides; the secretariat carries out the others.
    pub fn chair_decides(self) -> bool {
        matches!(self, Step::Schedule | Step::Move | Step::Cancel | Step::DecideSeparately | Step::Reopen)
    }
}

/// Whether `step` is possible now (`today` in Amsterdam); otherwise the Dutch reason.
pub fn allowed(f: &Facts, step: Step, today: NaiveDate) -> Result<(), &'static str> {
    use CaseStatus::*;
    if !f.status.is_open() {
        return Err("De zaak is afgesloten.");
    }
    match step {
        Step::Schedule => {
            if f.planned.is_some() {
                Err("Er staat al een zitting gepland; verplaats die of zeg die af.")
            } else if !matches!(f.status, Onderzoek | ZittingGepland) {
                Err("Een zitting wordt gepland tijdens het onderzoek, na het verweerschrift (art. 14, 18).")
            } else {
                Ok(())
            }
        }
        Step::Move | Step::Cancel => match f.planned {
            Some(_) => Ok(()),
            None => Err("Er staat geen zitting gepland."),
        },
        Step::Invite => match f.planned {
            None => Err("Plan eerst de zitting."),
            Some(p) if p.invited => {
                Err("De uitnodigingen zijn al verstuurd; een wijziging gaat met het verplaatsen mee.")
            }
            Some(p) if p.kind == HearingKind::Hoorzitting && !f.panel_complete => Err(
                "De uitnodiging noemt de commissie (art. 18): stel eerst de commissie samen, een voorzitter en twee leden.",
            ),
            Some(p) if p.starts_on < today => Err("De zitting ligt in het verleden; verplaats haar eerst."),
            Some(_) => Ok(()),
        },
        Step::DecideSeparately => match f.planned {
            Some(p) if p.kind == HearingKind::Hoorzitting => Ok(()),
            _ => Err("Over apart horen wordt beslist voor een geplande hoorzitting (art. 20.4)."),
        },
        Step::RecordHeld => match f.planned {
            None => Err("Er staat geen zitting gepland."),
            Some(p) if !p.invited => Err("De partijen zijn nog niet uitgenodigd."),
            Some(p) if p.starts_on > today => Err("De zitting heeft nog niet plaatsgevonden."),
            Some(_) => Ok(()),
        },
        Step::FinaliseMinutes => {
            if f.minutes_pending {
                Ok(())
            } else {
                Err("Er is geen proces-verbaal in concept.")
            }
        }
        Step::SendWitnessRecord => {
            if f.status != ZittingGepland || !(f.hearing_recorded || f.minutes_pending) {
                Err("Een verslag van een getuige volgt op een gehouden hoorzitting (art. 21.6).")
            } else if f.response_running {
                Err("De termijn voor een reactie op een eerder verslag loopt nog.")
            } else {
                Ok(())
            }
        }
        Step::CloseInvestigation => {
            // In the investigation again only after a reopening (Art 23), with a hearing behind it.
            if !matches!(f.status, ZittingGepland | Onderzoek) {
                Err("Het onderzoek wordt gesloten na de hoorzitting.")
            } else if f.planned.is_some() {
                Err("Er staat nog een zitting gepland.")
            } else if f.minutes_pending {
                Err("Stel eerst het proces-verbaal vast.")
            } else if !f.hearing_recorded {
                Err("Er is nog geen hoorzitting gehouden met een vastgesteld proces-verbaal.")
            } else if f.response_running {
                Err("De partijen kunnen nog reageren op het verslag van de getuige (art. 21.6).")
            } else {
                Ok(())
            }
        }
        Step::Reopen => {
            if matches!(f.status, Beraadslaging | AdviesInVoorbereiding) {
                Ok(())
            } else {
                Err("Alleen een gesloten onderzoek kan worden heropend (art. 23).")
            }
        }
    }
}

/// Every step possible now, in the order of the procedure.
pub fn steps(f: &Facts, today: NaiveDate) -> Vec<Step> {
    Step::ALL.into_iter().filter(|s| allowed(f, *s, today).is_ok()).collect()
}

/// Where a step takes the case's status, given what the hearing is; `None` when it stays.
pub fn status_after(step: Step, kind: HearingKind, invited: bool) -> Option<CaseStatus> {
    match (step, kind) {
        // Art 16 ends here: once invited to the hearing, the case goes to a hearing.
        (Step::Invite, HearingKind::Hoorzitting) => Some(CaseStatus::ZittingGepland),
        (Step::Cancel, HearingKind::Hoorzitting) if invited => Some(CaseStatus::Onderzoek),
        (Step::CloseInvestigation, _) => Some(CaseStatus::Beraadslaging),
        (Step::Reopen, _) => Some(CaseStatus::Onderzoek),
        _ => None,
    }
}

/// What is known about one panel member for planning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPlan {
    pub name: String,
    pub term_end: NaiveDate,
    pub unavailable: Vec<Period>,
    /// Their other hearings: zaaknummer, start, end (local time).
    pub hearings: Vec<(String, NaiveDateTime, NaiveDateTime)>,
}

/// A period someone said they cannot attend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: String,
}

impl Period {
    fn covers(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// Everything a planning check needs.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// Art 18: the hearing in principle within two months of receipt.
    pub due: Option<NaiveDate>,
    pub members: Vec<MemberPlan>,
    /// Parties (and their people) with the periods they are unavailable.
    pub parties: Vec<(String, Vec<Period>)>,
    pub holidays: &'a GeneralHolidays,
}

/// Something that stands in the way of a proposed hearing date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    InThePast,
    NotAWorkingDay(String),
    PastArt18(NaiveDate),
    OtherHearing { member: String, zaaknummer: String, start: NaiveDateTime, end: NaiveDateTime },
    TermEnds { member: String, term_end: NaiveDate },
    MemberUnavailable { member: String, period: Period },
    PartyUnavailable { party: String, period: Period },
}

impl Conflict {
    /// The warning shown beside the date.
    pub fn text(&self) -> String {
        let d = super::dutch::date;
        let period = |p: &Period| {
            let span = if p.from == p.to { d(p.from) } else { format!("{} t/m {}", d(p.from), d(p.to)) };
            if p.note.trim().is_empty() { span } else { format!("{span} ({})", p.note.trim()) }
        };
        match self {
            Conflict::InThePast => "De datum ligt in het verleden.".to_owned(),
            Conflict::NotAWorkingDay(why) => format!("Geen werkdag: {why}."),
            Conflict::PastArt18(due) => {
                format!("Na de termijn van art. 18: de hoorzitting vindt in beginsel uiterlijk {} plaats.", d(*due))
            }
            Conflict::OtherHearing { member, zaaknummer, start, end } => format!(
                "{member} heeft die dag ook een zitting in zaak {zaaknummer} ({}–{}).",
                start.format("%H:%M"),
                end.format("%H:%M")
            ),
            Conflict::TermEnds { member, term_end } => {
                format!("De zittingstermijn van {member} eindigt op {}, vóór de zitting.", d(*term_end))
            }
            Conflict::MemberUnavailable { member, period: p } => format!("{member} is verhinderd: {}.", period(p)),
            Conflict::PartyUnavailable { party, period: p } => format!("{party} is verhinderd: {}.", period(p)),
        }
    }

    /// Only the Art 18 term may knowingly be passed ("in beginsel"); the rest make a date unsuitable.
    pub fn makes_unsuitable(&self) -> bool {
        !matches!(self, Conflict::PastArt18(_))
    }
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// What stands in the way of a hearing starting at `start` (local time). Another hearing of a
/// panel member that day counts whatever its hours: a hearing day is a full day's work.
pub fn conflicts(start: NaiveDateTime, today: NaiveDate, plan: &Plan<'_>) -> Vec<Conflict> {
    let day = start.date();
    let mut out = Vec::new();
    if day < today {
        out.push(Conflict::InThePast);
    }
    if weekend(day) {
        out.push(Conflict::NotAWorkingDay(if day.weekday() == Weekday::Sat { "zaterdag" } else { "zondag" }.into()));
    } else if let Some(name) = plan.holidays.name(day) {
        out.push(Conflict::NotAWorkingDay(name.to_owned()));
    }
    if let Some(due) = plan.due.filter(|due| day > *due) {
        out.push(Conflict::PastArt18(due));
    }
    for m in &plan.members {
        if m.term_end < day {
            out.push(Conflict::TermEnds { member: m.name.clone(), term_end: m.term_end });
        }
        for p in m.unavailable.iter().filter(|p| p.covers(day)) {
            out.push(Conflict::MemberUnavailable { member: m.name.clone(), period: p.clone() });
        }
        for (zaak, s, e) in m.hearings.iter().filter(|(_, s, _)| s.date() == day) {
            out.push(Conflict::OtherHearing { member: m.name.clone(), zaaknummer: zaak.clone(), start: *s, end: *e });
        }
    }
    for (party, periods) in &plan.parties {
        for p in periods.iter().filter(|p| p.covers(day)) {
            out.push(Conflict::PartyUnavailable { party: party.clone(), period: p.clone() });
        }
    }
    out
}

/// A date that suits everyone, and whether it lies past the Art 18 term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion {
    pub date: NaiveDate,
    pub past_art18: bool,
}

/// The first `n` working days from `from` (within `horizon` days) on which a hearing at `time`
/// meets no conflict other than the Art 18 term.
pub fn suggest(
    from: NaiveDate,
    time: NaiveTime,
    today: NaiveDate,
    plan: &Plan<'_>,
    n: usize,
    horizon: u32,
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    let start = from.max(today);
    for offset in 0..horizon {
        let Some(day) = start.checked_add_days(Days::new(u64::from(offset))) else { break };
        let found = conflicts(day.and_time(time), today, plan);
        if found.iter().all(|c| !c.makes_unsuitable()) {
            out.push(Suggestion { date: day, past_art18: found.iter().any(|c| matches!(c, Conflict::PastArt18(_))) });
            if out.len() == n {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(s: &str, hm: &str) -> NaiveDateTime {
        d(s).and_time(hm.parse().unwrap())
    }

    fn facts(status: CaseStatus) -> Facts {
        Facts {
            status,
            planned: None,
            panel_complete: true,
            hearing_recorded: false,
            minutes_pending: false,
            response_running: false,
        }
    }

    fn planned(kind: HearingKind, invited: bool, on: &str) -> Option<Planned> {
        Some(Planned { kind, invited, starts_on: d(on) })
    }

    const TODAY: &str = "2026-11-23";

    #[test]
    fn a_hearing_is_planned_invited_held_recorded_and_closed() {
        let today = d(TODAY);
        let mut f = facts(CaseStatus::Onderzoek);
        assert_eq!(steps(&f, today), vec![Step::Schedule]);
        f.planned = planned(HearingKind::Hoorzitting, false, "2026-12-10");
        assert_eq!(
            steps(&f, today),
            vec![Step::Move, Step::Cancel, Step::Invite, Step::DecideSeparately],
            "not held before it is invited"
        );
        assert_eq!(status_after(Step::Invite, HearingKind::Hoorzitting, false), Some(CaseStatus::ZittingGepland));
        f.status = CaseStatus::ZittingGepland;
        f.planned = planned(HearingKind::Hoorzitting, true, "2026-12-10");
        assert!(allowed(&f, Step::RecordHeld, today).unwrap_err().contains("nog niet"));
        assert_eq!(allowed(&f, Step::RecordHeld, d("2026-12-10")), Ok(()));
        f.planned = None;
        f.minutes_pending = true;
        assert!(allowed(&f, Step::CloseInvestigation, today).unwrap_err().contains("proces-verbaal"));
        f.minutes_pending = false;
        f.hearing_recorded = true;
        f.response_running = true;
        assert!(allowed(&f, Step::CloseInvestigation, today).unwrap_err().contains("21.6"));
        f.response_running = false;
        assert_eq!(allowed(&f, Step::CloseInvestigation, today), Ok(()));
        assert_eq!(
            status_after(Step::CloseInvestigation, HearingKind::Hoorzitting, true),
            Some(CaseStatus::Beraadslaging)
        );
    }

    #[test]
    fn the_invitation_names_the_panel_so_the_panel_must_be_complete() {
        let mut f = facts(CaseStatus::Onderzoek);
        f.planned = planned(HearingKind::Hoorzitting, false, "2026-12-10");
        f.panel_complete = false;
        assert!(allowed(&f, Step::Invite, d(TODAY)).unwrap_err().contains("art. 18"));
        // A pre-hearing appearance (Art 14.2) needs no panel.
        f.planned = planned(HearingKind::Verschijning, false, "2026-12-10");
        assert_eq!(allowed(&f, Step::Invite, d(TODAY)), Ok(()));
        assert_eq!(status_after(Step::Invite, HearingKind::Verschijning, false), None);
    }

    #[test]
    fn cancelling_an_invited_hearing_returns_to_the_investigation() {
        assert_eq!(status_after(Step::Cancel, HearingKind::Hoorzitting, true), Some(CaseStatus::Onderzoek));
        assert_eq!(status_after(Step::Cancel, HearingKind::Hoorzitting, false), None);
        assert_eq!(status_after(Step::Move, HearingKind::Hoorzitting, true), None);
    }

    #[test]
    fn only_a_closed_investigation_reopens() {
        for s in CaseStatus::ALL {
            let ok = allowed(&facts(*s), Step::Reopen, d(TODAY)).is_ok();
            assert_eq!(ok, matches!(s, CaseStatus::Beraadslaging | CaseStatus::AdviesInVoorbereiding), "{s:?}");
        }
    }

    #[test]
    fn nothing_on_a_closed_case() {
        let mut f = facts(CaseStatus::Afgesloten);
        f.planned = planned(HearingKind::Hoorzitting, true, TODAY);
        f.minutes_pending = true;
        assert!(steps(&f, d(TODAY)).is_empty());
    }

    #[test]
    fn minors_are_heard_separately_in_principle() {
        assert!(!separately_in_principle(&[(PartyRole::Klager, false), (PartyRole::Aangeklaagde, false)]));
        assert!(separately_in_principle(&[(PartyRole::Klager, true), (PartyRole::Aangeklaagde, false)]));
        // A minor witness does not make the parties' hearing separate.
        assert!(!separately_in_principle(&[(PartyRole::Getuige, true), (PartyRole::Klager, false)]));
    }

    fn plan(h: &GeneralHolidays) -> Plan<'_> {
        Plan {
            due: Some(d("2026-12-18")),
            members: vec![
                MemberPlan {
                    name: "mr. A. de Boer".into(),
                    term_end: d("2030-01-01"),
                    unavailable: vec![Period { from: d("2026-12-01"), to: d("2026-12-02"), note: "congres".into() }],
                    hearings: vec![("2026-0003".into(), at("2026-12-03", "10:00"), at("2026-12-03", "12:00"))],
                },
                MemberPlan {
                    name: "drs. B. Smit".into(),
                    term_end: d("2026-12-15"),
                    unavailable: vec![],
                    hearings: vec![],
                },
            ],
            parties: vec![(
                "J. de Vries (klager)".into(),
                vec![Period { from: d("2026-12-04"), to: d("2026-12-04"), note: String::new() }],
            )],
            holidays: h,
        }
    }

    #[test]
    fn conflicts_name_each_obstacle() {
        let h = crate::domain::holidays::shipped();
        let p = plan(&h);
        let today = d(TODAY);
        let c = |day: &str| conflicts(at(day, "14:00"), today, &p);
        assert!(matches!(c("2026-12-01")[0], Conflict::MemberUnavailable { .. }));
        assert!(c("2026-12-01")[0].text().contains("congres"));
        assert!(matches!(c("2026-12-03")[0], Conflict::OtherHearing { .. }), "same day, even without overlap");
        assert!(c("2026-12-03")[0].text().contains("2026-0003"));
        assert!(matches!(c("2026-12-04")[0], Conflict::PartyUnavailable { .. }));
        assert!(matches!(c("2026-12-05")[0], Conflict::NotAWorkingDay(_)));
        assert!(c("2026-12-25").iter().any(|x| x.text().contains("Kerstdag")), "{:?}", c("2026-12-25"));
        assert!(c("2026-12-16").iter().any(|x| matches!(x, Conflict::TermEnds { .. })));
        assert!(c("2026-11-20").contains(&Conflict::InThePast));
        assert!(c("2026-12-07").is_empty());
        let late = conflicts(at("2027-01-12", "14:00"), today, &Plan { members: vec![], ..p.clone() });
        assert_eq!(late, vec![Conflict::PastArt18(d("2026-12-18"))]);
        assert!(!late[0].makes_unsuitable());
    }

    #[test]
    fn suggestions_skip_every_conflict() {
        let h = crate::domain::holidays::shipped();
        let p = plan(&h);
        let s = suggest(d("2026-12-01"), "14:00".parse().unwrap(), d(TODAY), &p, 3, 60);
        let dates: Vec<NaiveDate> = s.iter().map(|x| x.date).collect();
        assert_eq!(dates, vec![d("2026-12-07"), d("2026-12-08"), d("2026-12-09")]);
        assert!(s.iter().all(|x| !x.past_art18));
    }

    proptest! {
        /// Every suggested date is a working day on which nothing but the Art 18 term stands in
        /// the way, and the suggestions come in order.
        #[test]
        fn suggestions_are_conflict_free(start in 0u64..400, n in 1usize..6) {
            let h = crate::domain::holidays::shipped();
            let p = plan(&h);
            let today = d(TODAY);
            let from = today.checked_add_days(Days::new(start)).unwrap();
            let time: NaiveTime = "10:00".parse().unwrap();
            let s = suggest(from, time, today, &p, n, 120);
            prop_assert!(s.len() <= n);
            for w in s.windows(2) { prop_assert!(w[0].date < w[1].date); }
            for x in &s {
                let c = conflicts(x.date.and_time(time), today, &p);
                prop_assert!(c.iter().all(|c| !c.makes_unsuitable()));
                prop_assert!(!weekend(x.date));
                prop_assert_eq!(x.past_art18, c.iter().any(|c| matches!(c, Conflict::PastArt18(_))));
            }
        }

        #[test]
        fn steps_agree_with_allowed(status in 0usize..10, has in any::<bool>(), invited in any::<bool>(),
            verschijning in any::<bool>(), complete in any::<bool>(), recorded in any::<bool>(),
            pending in any::<bool>(), running in any::<bool>(), days in -30i64..30) {
            let today = d(TODAY);
            let f = Facts {
                status: CaseStatus::ALL[status],
                planned: has.then(|| Planned {
                    kind: if verschijning { HearingKind::Verschijning } else { HearingKind::Hoorzitting },
                    invited,
                    starts_on: today + TimeDelta::days(days),
                }),
                panel_complete: complete,
                hearing_recorded: recorded,
                minutes_pending: pending,
                response_running: running,
            };
            let s = steps(&f, today);
            for step in Step::ALL {
                prop_assert_eq!(s.contains(&step), allowed(&f, step, today).is_ok());
            }
            // Holding a hearing needs invitations; closing needs a recorded hearing.
            if s.contains(&Step::RecordHeld) { prop_assert!(invited && days <= 0); }
            if s.contains(&Step::CloseInvestigation) { prop_assert!(recorded && !pending && !running && !has); }
        }
    }
}

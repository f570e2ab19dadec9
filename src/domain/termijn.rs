//! Computing a term (termijn) the way the reglement requires: school holidays of the school do
//! not count (Art 27), and the Algemene termijnenwet moves an end that falls on a Saturday,
//! Sunday or general holiday (Art 28). The counting rules, including where we chose a reading,
//! are those of legal.md "How we count"; each result carries its own explanation.

use super::dutch;
use super::holidays::GeneralHolidays;
use super::school_calendar::{SchoolCalendar, school_year_label};
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    Weeks,
    Months,
    WorkingDays,
    Years,
}

/// A term: a number of days, weeks, months, working days or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Term {
    pub amount: u32,
    pub unit: Unit,
}

impl Term {
    pub const fn new(amount: u32, unit: Unit) -> Self {
        Self { amount, unit }
    }

    /// Parses `4 weken`, `2 maanden`, `5 werkdagen`, `1 jaar`, `14 dagen` (singular too).
    pub fn parse(s: &str) -> Result<Term, String> {
        let s = s.trim().to_lowercase();
        let (n, unit) = s
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("'{s}' is geen termijn; schrijf bijvoorbeeld '4 weken'"))?;
        let amount: u32 = n.parse().map_err(|_| format!("'{n}' is geen geheel getal"))?;
        if amount == 0 || amount > 10_000 {
            return Err("een termijn is ten minste 1 en ten hoogste 10000".into());
        }
        let unit = match unit.trim() {
            "dag" | "dagen" => Unit::Days,
            "week" | "weken" => Unit::Weeks,
            "maand" | "maanden" => Unit::Months,
            "werkdag" | "werkdagen" => Unit::WorkingDays,
            "jaar" | "jaren" => Unit::Years,
            other => {
                return Err(format!("onbekende eenheid '{other}'; gebruik dagen, weken, maanden, werkdagen of jaar"));
            }
        };
        Ok(Term { amount, unit })
    }

    /// Atw art 4: the Termijnenwet does not apply to year terms, nor to terms of more than
    /// 90 days, twelve weeks or three months. Rule 5 (school holidays) skips year terms too.
    pub fn atw_exempt(self) -> bool {
        match self.unit {
            Unit::Years => true,
            Unit::Days => self.amount > 90,
            Unit::Weeks => self.amount > 12,
            Unit::Months => self.amount > 3,
            Unit::WorkingDays => false,
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one = self.amount == 1;
        let unit = match self.unit {
            Unit::Days => {
                if one {
                    "dag"
                } else {
                    "dagen"
                }
            }
            Unit::Weeks => {
                if one {
                    "week"
                } else {
                    "weken"
                }
            }
            Unit::Months => {
                if one {
                    "maand"
                } else {
                    "maanden"
                }
            }
            Unit::WorkingDays => {
                if one {
                    "werkdag"
                } else {
                    "werkdagen"
                }
            }
            Unit::Years => "jaar",
        };
        write!(f, "{} {unit}", self.amount)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// "within N after the event": starts the day after.
    Forward,
    /// "N before the date" (Art 21.4): counted back; no Termijnenwet (Atw art 1(2)).
    Backward,
}

/// How a term is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub direction: Direction,
    /// Art 27 applies: school holidays of the school do not count. False for the filing term
    /// of Art 11.5 and for statutory terms such as WPO art 14(7).
    pub skip_school_holidays: bool,
    /// Art 27: the chair marked the case or the term urgent, so holidays count after all.
    pub urgent: bool,
}

impl Rules {
    pub const REGLEMENT: Rules = Rules { direction: Direction::Forward, skip_school_holidays: true, urgent: false };
    pub const NO_SCHOOL_HOLIDAYS: Rules =
        Rules { direction: Direction::Forward, skip_school_holidays: false, urgent: false };
}

/// The calendars a computation needs.
#[derive(Debug, Clone, Copy)]
pub struct Calendars<'a> {
    pub general: &'a GeneralHolidays,
    /// The school's holiday calendar; may be absent when no school holidays are skipped.
    pub school: Option<&'a SchoolCalendar>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error(
        "Voor schooljaar {school_year} zijn geen schoolvakanties bekend ({calendar}); de termijn kan niet worden berekend zonder die gegevens."
    )]
    MissingSchoolYear { school_year: String, calendar: String },
    #[error("Voor deze termijn is de vakantiekalender van de school nodig, maar die ontbreekt.")]
    NoSchoolCalendar,
    #[error("De datum valt buiten het bereik dat het systeem kan rekenen.")]
    OutOfRange,
}

/// A stretch of school holiday that was not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub name: String,
}

/// A day the end was moved past, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passed {
    pub day: NaiveDate,
    pub reason: String,
}

/// Everything needed to check a deadline by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub event: NaiveDate,
    pub term: Term,
    pub rules: Rules,
    /// The first day counted (forward) or the date counted back from (backward).
    pub start: NaiveDate,
    /// For day, week and month terms: the number of days that count.
    pub counted_days: Option<u32>,
    /// The end found by counting, before any Termijnenwet shift.
    pub raw_end: NaiveDate,
    /// Which school calendar was used, if any.
    pub calendar: Option<String>,
    pub skipped: Vec<Skipped>,
    /// Atw art 1: days the end was moved past.
    pub shifted: Vec<Passed>,
    /// Atw art 2: days added so the term holds two days that are not rest days.
    pub art2_added: Vec<Passed>,
    pub atw_exempt: bool,
    /// A general-holiday decree may still be published for the year the term ends in.
    pub decree_unknown_for: Option<i32>,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub date: NaiveDate,
    pub explanation: Explanation,
}

fn add(d: NaiveDate, n: u64) -> Result<NaiveDate, TermError> {
    d.checked_add_days(Days::new(n)).ok_or(TermError::OutOfRange)
}

fn sub(d: NaiveDate, n: u64) -> Result<NaiveDate, TermError> {
    d.checked_sub_days(Days::new(n)).ok_or(TermError::OutOfRange)
}

fn days_between(a: NaiveDate, b: NaiveDate) -> u32 {
    (b - a).num_days().max(0) as u32
}

/// Computes a term from `event` (forward) or back from `event` (backward).
pub fn compute(event: NaiveDate, term: Term, rules: Rules, cals: Calendars<'_>) -> Result<Deadline, TermError> {
    match rules.direction {
        Direction::Forward => forward(event, term, rules, cals),
        Direction::Backward => backward(event, term, rules, cals),
    }
}

/// The school calendar to skip, if school holidays are skipped for this term at all.
fn skipping<'a>(term: Term, rules: Rules, cals: Calendars<'a>) -> Result<Option<&'a SchoolCalendar>, TermError> {
    if !rules.skip_school_holidays || rules.urgent || term.unit == Unit::Years {
        return Ok(None);
    }
    cals.school.map(Some).ok_or(TermError::NoSchoolCalendar)
}

fn require_data(cal: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> Result<(), TermError> {
    match cal.missing_school_year(from, to) {
        Some(y) => Err(TermError::MissingSchoolYear { school_year: school_year_label(y), calendar: cal.label.clone() }),
        None => Ok(()),
    }
}

/// Counts `n` days from `start` (start being the first), not counting school holiday days.
fn count_forward(
    cal: &SchoolCalendar,
    start: NaiveDate,
    n: u32,
    skipped: &mut Vec<Skipped>,
) -> Result<NaiveDate, TermError> {
    let mut pos = start;
    let mut remaining = u64::from(n);
    loop {
        match cal.block_at_or_after(pos) {
            Some(b) if b.from <= pos => {
                skipped.push(Skipped { from: pos, to: b.to, name: b.name.clone() });
                pos = add(b.to, 1)?;
            }
            Some(b) => {
                let gap = u64::from(days_between(pos, b.from));
                if remaining <= gap {
                    return add(pos, remaining - 1);
                }
                remaining -= gap;
                pos = b.from;
            }
            None => return add(pos, remaining - 1),
        }
    }
}

/// Counts `n` days back from the day before `date`, not counting school holiday days.
fn count_backward(
    cal: &SchoolCalendar,
    date: NaiveDate,
    n: u32,
    skipped: &mut Vec<Skipped>,
) -> Result<NaiveDate, TermError> {
    let mut pos = sub(date, 1)?;
    let mut remaining = u64::from(n);
    loop {
        match cal.block_at_or_before(pos) {
            Some(b) if b.to >= pos => {
                skipped.push(Skipped { from: b.from, to: pos, name: b.name.clone() });
                pos = sub(b.from, 1)?;
            }
            Some(b) => {
                let gap = u64::from(days_between(b.to, pos));
                if remaining <= gap {
                    return sub(pos, remaining - 1);
                }
                remaining -= gap;
                pos = b.to;
            }
            None => return sub(pos, remaining - 1),
        }
    }
}

fn is_working_day(d: NaiveDate, cals: Calendars<'_>, school: Option<&SchoolCalendar>) -> bool {
    !cals.general.is_atw_rest_day(d) && school.is_none_or(|c| c.block_at(d).is_none())
}

fn note_school_holiday(d: NaiveDate, school: Option<&SchoolCalendar>, skipped: &mut Vec<Skipped>) {
    if let Some(b) = school.and_then(|c| c.block_at(d)) {
        match skipped.last_mut() {
            Some(s)
                if s.name == b.name && (s.to == d.pred_opt().unwrap_or(d) || s.from == d.succ_opt().unwrap_or(d)) =>
            {
                s.from = s.from.min(d);
                s.to = s.to.max(d);
            }
            _ => skipped.push(Skipped { from: d, to: d, name: b.name.clone() }),
        }
    }
}

fn forward(event: NaiveDate, term: Term, rules: Rules, cals: Calendars<'_>) -> Result<Deadline, TermError> {
    let start = add(event, 1)?;
    let school = skipping(term, rules, cals)?;
    let exempt = term.atw_exempt();
    let mut skipped = Vec::new();
    let mut counted_days = None;

    let raw_end = match term.unit {
        Unit::Years => event.checked_add_months(Months::new(12 * term.amount)).ok_or(TermError::OutOfRange)?,
        Unit::WorkingDays => {
            let mut pos = start;
            let mut found = 0;
            loop {
                if let Some(cal) = school {
                    require_data(cal, pos, pos)?;
                }
                if is_working_day(pos, cals, school) {
                    found += 1;
                    if found == term.amount {
                        break pos;
                    }
                } else {
                    note_school_holiday(pos, school, &mut skipped);
                }
                pos = add(pos, 1)?;
            }
        }
        Unit::Days | Unit::Weeks | Unit::Months => {
            let days = match term.unit {
                Unit::Days => term.amount,
                Unit::Weeks => term.amount * 7,
                // Rule 3: the same day number N months later (or the month's last day), turned
                // into its number of calendar days for counting.
                _ => days_between(
                    event,
                    event.checked_add_months(Months::new(term.amount)).ok_or(TermError::OutOfRange)?,
                ),
            };
            counted_days = Some(days);
            match school {
                Some(cal) => {
                    let end = count_forward(cal, start, days, &mut skipped)?;
                    require_data(cal, start, end)?;
                    end
                }
                None => add(event, u64::from(days))?,
            }
        }
    };

    let mut end = raw_end;
    let mut shifted = Vec::new();
    let mut art2_added = Vec::new();
    if !exempt {
        // Atw art 1(1); and a term whose holidays do not count cannot end inside one (rule 6).
        loop {
            if let Some(reason) = cals.general.rest_day_reason(end) {
                shifted.push(Passed { day: end, reason });
            } else if let Some(b) = school.and_then(|c| c.block_at(end)) {
                shifted.push(Passed { day: end, reason: format!("schoolvakantie: {}", b.name) });
            } else {
                break;
            }
            end = add(end, 1)?;
            if let Some(cal) = school {
                require_data(cal, end, end)?;
            }
        }
        // Atw art 2: a term of at least three days holds at least two days that are not a
        // Saturday, Sunday or general holiday.
        let length = counted_days.unwrap_or(u32::MAX);
        if length >= 3 {
            let mut good = 0;
            let mut d = start;
            while d <= end && good < 2 {
                if !cals.general.is_atw_rest_day(d) {
                    good += 1;
                }
                d = add(d, 1)?;
            }
            while good < 2 {
                end = add(end, 1)?;
                let counts = is_working_day(end, cals, school);
                let reason = if counts {
                    "telt als tweede werkdag".to_owned()
                } else {
                    cals.general.rest_day_reason(end).unwrap_or_else(|| "schoolvakantie".into())
                };
                art2_added.push(Passed { day: end, reason });
                if counts {
                    good += 1;
                }
            }
        }
    }

    let end_year = chrono::Datelike::year(&end);
    let decree_unknown_for = (!exempt && end_year > cals.general.decrees_known_through()).then_some(end_year);
    Ok(Deadline {
        date: end,
        explanation: Explanation {
            event,
            term,
            rules,
            start,
            counted_days,
            raw_end,
            calendar: school.map(|c| c.label.clone()),
            skipped,
            shifted,
            art2_added,
            atw_exempt: exempt,
            decree_unknown_for,
            end,
        },
    })
}

fn backward(date: NaiveDate, term: Term, rules: Rules, cals: Calendars<'_>) -> Result<Deadline, TermError> {
    let school = skipping(term, rules, cals)?;
    let mut skipped = Vec::new();
    let mut counted_days = None;
    let end = match term.unit {
        Unit::Years => date.checked_sub_months(Months::new(12 * term.amount)).ok_or(TermError::OutOfRange)?,
        Unit::WorkingDays => {
            // Rule 7: the Nth working day before the date.
            let mut pos = date;
            let mut found = 0;
            loop {
                pos = sub(pos, 1)?;
                if let Some(cal) = school {
                    require_data(cal, pos, pos)?;
                }
                if is_working_day(pos, cals, school) {
                    found += 1;
                    if found == term.amount {
                        break pos;
                    }
                } else {
                    note_school_holiday(pos, school, &mut skipped);
                }
            }
        }
        Unit::Days | Unit::Weeks | Unit::Months => {
            let days = match term.unit {
                Unit::Days => term.amount,
                Unit::Weeks => term.amount * 7,
                _ => {
                    days_between(date.checked_sub_months(Months::new(term.amount)).ok_or(TermError::OutOfRange)?, date)
                }
            };
            counted_days = Some(days);
            match school {
                Some(cal) => {
                    let end = count_backward(cal, date, days, &mut skipped)?;
                    require_data(cal, end, date)?;
                    end
                }
                None => sub(date, u64::from(days))?,
            }
        }
    };
    Ok(Deadline {
        date: end,
        explanation: Explanation {
            event: date,
            term,
            rules,
            start: date,
            counted_days,
            raw_end: end,
            calendar: school.map(|c| c.label.clone()),
            skipped,
            shifted: vec![],
            art2_added: vec![],
            atw_exempt: true,
            decree_unknown_for: None,
            end,
        },
    })
}

/// Rule 9: an extension adds a term counted from the current end date by the same rules.
pub fn extend(current: &Deadline, extra: Term, cals: Calendars<'_>) -> Result<Deadline, TermError> {
    compute(current.date, extra, current.explanation.rules, cals)
}

/// Rule 9: a term suspended on `suspended_on` and resumed on `resumed_on`: the days counted
/// before the suspension stand, the rest is counted from the resumption.
pub fn resume(
    original: &Deadline,
    suspended_on: NaiveDate,
    resumed_on: NaiveDate,
    cals: Calendars<'_>,
) -> Result<Deadline, TermError> {
    let e = &original.explanation;
    let already = days_counted(e, suspended_on, cals)?;
    let total = match e.term.unit {
        Unit::WorkingDays => e.term.amount,
        _ => e.counted_days.unwrap_or(0),
    };
    let remaining = total.saturating_sub(already).max(1);
    let unit = if e.term.unit == Unit::WorkingDays { Unit::WorkingDays } else { Unit::Days };
    // Counted as a term of the remaining days that starts on the resumption day.
    let mut d =
        compute(resumed_on.pred_opt().ok_or(TermError::OutOfRange)?, Term::new(remaining, unit), e.rules, cals)?;
    // The Atw exemptions follow the original term, not the remainder.
    if e.atw_exempt && e.term.unit != unit {
        d.explanation.atw_exempt = true;
    }
    Ok(d)
}

/// How many days of a forward term had counted before `until` (exclusive).
fn days_counted(e: &Explanation, until: NaiveDate, cals: Calendars<'_>) -> Result<u32, TermError> {
    if until <= e.start {
        return Ok(0);
    }
    let school = skipping(e.term, e.rules, cals)?;
    let mut n = 0;
    let mut d = e.start;
    while d < until {
        let counts = match e.term.unit {
            Unit::WorkingDays => is_working_day(d, cals, school),
            _ => school.is_none_or(|c| c.block_at(d).is_none()),
        };
        if counts {
            n += 1;
        }
        d = add(d, 1)?;
    }
    Ok(n)
}

impl Explanation {
    /// The explanation in Dutch, one statement per line.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let day = |d: NaiveDate| dutch::date_with_weekday(d);
        match self.rules.direction {
            Direction::Forward => out.push(format!(
                "Termijn van {} na {}; de eerste dag is {} (de dag van de gebeurtenis telt niet mee).",
                self.term,
                day(self.event),
                day(self.start)
            )),
            Direction::Backward => {
                out.push(format!("Termijn van {} vóór {}, teruggerekend.", self.term, day(self.event)))
            }
        }
        if let Some(n) = self.counted_days {
            match self.term.unit {
                Unit::Weeks => out.push(format!("{} = {n} dagen.", self.term)),
                Unit::Months => out.push(format!("{} gerekend op de kalender is {n} dagen.", self.term)),
                _ => {}
            }
        }
        if self.term.unit == Unit::WorkingDays {
            out.push("Werkdagen zijn dagen die geen zaterdag, zondag, algemeen erkende feestdag of (tenzij spoed) schoolvakantiedag van de school zijn.".into());
        }
        if self.term.unit == Unit::Years {
            out.push("Een termijn in jaren: schoolvakanties tellen mee en de Algemene termijnenwet verschuift het einde niet (Atw art. 4).".into());
        } else if self.rules.urgent {
            out.push("Spoed (art. 27): de voorzitter heeft bepaald dat schoolvakanties meetellen.".into());
        } else if !self.rules.skip_school_holidays {
            out.push("Voor deze termijn tellen schoolvakanties mee (niet overgeslagen).".into());
        } else if let Some(c) = self.calendar.as_ref().filter(|_| self.skipped.is_empty()) {
            out.push(format!("Geen schoolvakantie ({c}) binnen de termijn."));
        }
        for s in &self.skipped {
            let n = days_between(s.from, s.to) + 1;
            out.push(format!(
                "Niet meegeteld (art. 27): {} van {} tot en met {} ({n} {}, {}).",
                s.name,
                day(s.from),
                day(s.to),
                if n == 1 { "dag" } else { "dagen" },
                self.calendar.as_deref().unwrap_or("schoolkalender")
            ));
        }
        if self.raw_end != self.end || !self.shifted.is_empty() {
            out.push(format!("Einde na het tellen: {}.", day(self.raw_end)));
        }
        if !self.shifted.is_empty() {
            // A weekend day already says what it is; a holiday is named.
            let passed: Vec<String> = self
                .shifted
                .iter()
                .map(|p| {
                    if p.reason == dutch::weekday(p.day) {
                        day(p.day)
                    } else {
                        format!("{} ({})", day(p.day), p.reason)
                    }
                })
                .collect();
            out.push(format!("Algemene termijnenwet art. 1: de termijn kan niet eindigen op {}.", passed.join(", ")));
        }
        if !self.art2_added.is_empty() {
            out.push("Algemene termijnenwet art. 2: de termijn is verlengd tot hij twee dagen bevat die geen zaterdag, zondag of feestdag zijn.".into());
        }
        match self.rules.direction {
            Direction::Backward => out.push("Bij terugrekenen geldt de Algemene termijnenwet niet (Atw art. 1 lid 2).".into()),
            Direction::Forward if self.atw_exempt && self.term.unit != Unit::Years => out.push(
                "De Algemene termijnenwet geldt niet voor een termijn van meer dan 90 dagen, twaalf weken of drie maanden (Atw art. 4).".into(),
            ),
            _ => {}
        }
        if let Some(y) = self.decree_unknown_for {
            out.push(format!(
                "Voor {y} zijn nog geen gelijkgestelde feestdagen (Atw art. 3 lid 3) bekend; een later besluit kan deze datum nog verschuiven."
            ));
        }
        out.push(format!("De termijn eindigt op {}.", day(self.end)));
        out
    }
}

#[cfg(test)]
mod tests;

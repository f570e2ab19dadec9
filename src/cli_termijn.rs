//! `klachtencommissie termijn`: one deadline computed from the shipped calendars, without a
//! database, for the secretary and for anyone who wants to check a date.

use crate::domain::case::Region;
use crate::domain::holidays;
use crate::domain::school_calendar::official_calendar;
use crate::domain::termijn::{self, Calendars, Direction, Rules, Term, Unit};
use chrono::NaiveDate;

#[derive(Debug, Clone, clap::Args)]
pub struct TermijnArgs {
    /// The date of the event (or, with --terug, the date counted back from): YYYY-MM-DD.
    #[arg(long)]
    pub vanaf: String,
    /// The term: "N dagen", "N weken", "N maanden", "N werkdagen" or "N jaar".
    #[arg(long)]
    pub duur: String,
    /// Holiday region of the school (noord, midden or zuid): its official calendar is skipped.
    #[arg(long)]
    pub regio: Option<String>,
    /// Art 27 urgency: school holidays count.
    #[arg(long)]
    pub spoed: bool,
    /// Ignore school holidays entirely (as for the Art 11.5 filing term).
    #[arg(long)]
    pub geen_vakanties: bool,
    /// Count backward from the date (e.g. five working days before a hearing, Art 21.4).
    #[arg(long)]
    pub terug: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command: the output on success, or the message for standard error (exit code 2).
pub fn run(a: &TermijnArgs) -> Result<String, String> {
    let event = NaiveDate::parse_from_str(a.vanaf.trim(), "%Y-%m-%d")
        .map_err(|_| format!("--vanaf '{}' is geen datum (jjjj-mm-dd)", a.vanaf))?;
    let term = Term::parse(&a.duur).map_err(|e| format!("--duur: {e}"))?;
    let rules = Rules {
        direction: if a.terug { Direction::Backward } else { Direction::Forward },
        skip_school_holidays: !a.geen_vakanties,
        urgent: a.spoed,
    };
    let region = match a.regio.as_deref() {
        Some(r) => Some(
            Region::parse(&r.trim().to_lowercase())
                .ok_or_else(|| format!("--regio '{r}': gebruik noord, midden of zuid"))?,
        ),
        None => None,
    };
    let needs_region = rules.skip_school_holidays && !rules.urgent && term.unit != Unit::Years;
    if needs_region && region.is_none() {
        return Err("--regio is nodig (noord, midden of zuid), tenzij --spoed of --geen-vakanties".into());
    }
    let general = holidays::shipped();
    let calendar = region.map(official_calendar);
    let deadline = termijn::compute(event, term, rules, Calendars { general: &general, school: calendar.as_ref() })
        .map_err(|e| e.to_string())?;
    if a.json {
        let v = serde_json::json!({
            "deadline": deadline.date,
            "term": term.to_string(),
            "skipped": deadline.explanation.skipped,
            "shifted": deadline.explanation.shifted,
            "explanation": deadline.explanation,
            "lines": deadline.explanation.lines(),
        });
        Ok(serde_json::to_string_pretty(&v).unwrap_or_default())
    } else {
        let mut out = deadline.date.format("%Y-%m-%d").to_string();
        for line in deadline.explanation.lines() {
            out.push('\n');
            out.push_str(&line);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(vanaf: &str, duur: &str, regio: Option<&str>) -> TermijnArgs {
        TermijnArgs {
            vanaf: vanaf.into(),
            duur: duur.into(),
            regio: regio.map(Into::into),
            spoed: false,
            geen_vakanties: false,
            terug: false,
            json: false,
        }
    }

    #[test]
    fn first_line_is_the_date() {
        let out = run(&args("2026-10-15", "2 weken", Some("midden"))).unwrap();
        assert_eq!(out.lines().next(), Some("2026-11-09"));
        assert!(out.contains("Herfstvakantie"));
    }

    #[test]
    fn errors_are_precise() {
        assert!(run(&args("15-10-2026", "2 weken", Some("midden"))).unwrap_err().contains("--vanaf"));
        assert!(run(&args("2026-10-15", "2 fortnights", Some("midden"))).unwrap_err().contains("--duur"));
        assert!(run(&args("2026-10-15", "2 weken", Some("oost"))).unwrap_err().contains("--regio"));
        assert!(run(&args("2026-10-15", "2 weken", None)).unwrap_err().contains("--regio is nodig"));
        assert!(run(&args("2030-07-20", "4 weken", Some("midden"))).unwrap_err().contains("2030-2031"));
        // A year term needs no region.
        assert_eq!(run(&args("2025-11-22", "1 jaar", None)).unwrap().lines().next(), Some("2026-11-22"));
    }

    #[test]
    fn json_has_the_deadline_and_the_skipped_stretches() {
        let mut a = args("2026-10-15", "2 weken", Some("midden"));
        a.json = true;
        let v: serde_json::Value = serde_json::from_str(&run(&a).unwrap()).unwrap();
        assert_eq!(v["deadline"], "2026-11-09");
        assert_eq!(v["skipped"][0]["name"], "Herfstvakantie");
        assert_eq!(v["skipped"][0]["from"], "2026-10-17");
    }
}

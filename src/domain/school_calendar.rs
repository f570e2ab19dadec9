//! School holiday calendars (Art 27): the official calendar of each region per school year,
//! and a school's own calendar, which defaults to its region's and may deviate.

use super::case::Region;
use chrono::{Datelike, Days, NaiveDate};
use serde::Deserialize;

/// A school year runs from 1 August to 31 July; it is named by the year it starts in.
pub fn school_year_of(d: NaiveDate) -> i32 {
    if d.month() >= 8 { d.year() } else { d.year() - 1 }
}

pub fn school_year_label(start_year: i32) -> String {
    format!("{start_year}-{}", start_year + 1)
}

/// Parses `2026-2027` (or `2026-27`) into its start year.
pub fn parse_school_year(s: &str) -> Option<i32> {
    let (a, b) = s.trim().split_once('-')?;
    let start: i32 = a.parse().ok()?;
    let end: i32 = b.parse().ok()?;
    let ok = end == start + 1 || (b.len() == 2 && end == (start + 1) % 100);
    ok.then_some(start)
}

/// The five holidays of a school year (the binding and the advisory ones).
pub const KINDS: &[(&str, &str)] = &[
    ("herfst", "Herfstvakantie"),
    ("kerst", "Kerstvakantie"),
    ("voorjaar", "Voorjaarsvakantie"),
    ("mei", "Meivakantie"),
    ("zomer", "Zomervakantie"),
];

/// One holiday period, first and last day inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayPeriod {
    pub school_year: i32,
    /// One of [`KINDS`] for the regular holidays; `None` for an extra period of one school.
    pub kind: Option<String>,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A school's calendar: its region's periods with the school's deviations applied. A school
/// period with a `kind` replaces the region's period of that kind in that school year; one
/// without is an extra (a study day, an extra week).
pub fn effective_periods(region: &[HolidayPeriod], school: &[HolidayPeriod]) -> Vec<HolidayPeriod> {
    let mut out: Vec<HolidayPeriod> = region
        .iter()
        .filter(|r| !school.iter().any(|s| s.kind.is_some() && s.kind == r.kind && s.school_year == r.school_year))
        .cloned()
        .collect();
    out.extend(school.iter().cloned());
    out.sort_by_key(|p| (p.from, p.to));
    out
}

/// A run of consecutive holiday days (overlapping or adjacent periods merged), with the names
/// of the periods it consists of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub name: String,
}

/// A calendar ready for counting: merged blocks, and the school years it has data for.
#[derive(Debug, Clone)]
pub struct SchoolCalendar {
    /// What the explanation calls it, e.g. "regio midden" or "Basisschool De Klimop".
    pub label: String,
    blocks: Vec<Block>,
    /// Start years of the school years with data, sorted.
    covered: Vec<i32>,
}

impl SchoolCalendar {
    pub fn new(label: impl Into<String>, periods: &[HolidayPeriod], covered_school_years: &[i32]) -> Self {
        let mut sorted: Vec<&HolidayPeriod> = periods.iter().collect();
        sorted.sort_by_key(|p| (p.from, p.to));
        let mut blocks: Vec<Block> = Vec::new();
        for p in sorted {
            match blocks.last_mut() {
                Some(b) if p.from <= b.to.checked_add_days(Days::new(1)).unwrap_or(b.to) => {
                    if p.to > b.to {
                        b.to = p.to;
                    }
                    if !b.name.split(" + ").any(|n| n == p.name) {
                        b.name = format!("{} + {}", b.name, p.name);
                    }
                }
                _ => blocks.push(Block { from: p.from, to: p.to, name: p.name.clone() }),
            }
        }
        let mut covered = covered_school_years.to_vec();
        covered.sort_unstable();
        covered.dedup();
        Self { label: label.into(), blocks, covered }
    }

    /// The holiday block containing `d`, or else the first one after it.
    pub fn block_at_or_after(&self, d: NaiveDate) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.to < d);
        self.blocks.get(i)
    }

    /// The holiday block containing `d`, if `d` is a school holiday day.
    pub fn block_at(&self, d: NaiveDate) -> Option<&Block> {
        self.block_at_or_after(d).filter(|b| b.from <= d)
    }

    /// The holiday block containing `d`, or else the last one before it.
    pub fn block_at_or_before(&self, d: NaiveDate) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.from <= d);
        i.checked_sub(1).and_then(|i| self.blocks.get(i))
    }

    /// The first school year in `from..=to` the calendar has no data for.
    pub fn missing_school_year(&self, from: NaiveDate, to: NaiveDate) -> Option<i32> {
        let (a, b) = (school_year_of(from.min(to)), school_year_of(from.max(to)));
        (a..=b).find(|y| self.covered.binary_search(y).is_err())
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    pub fn covered_school_years(&self) -> &[i32] {
        &self.covered
    }
}

// ---- The official calendars, shipped as data in fixtures/school_holidays.json ----

pub const OFFICIAL_JSON: &str = include_str!("../../fixtures/school_holidays.json");

#[derive(Deserialize)]
struct Official {
    school_years: Vec<OfficialYear>,
}

#[derive(Deserialize)]
struct OfficialYear {
    school_year: String,
    holidays: Vec<OfficialHoliday>,
}

#[derive(Deserialize)]
struct OfficialHoliday {
    kind: String,
    name: String,
    noord: [NaiveDate; 2],
    midden: [NaiveDate; 2],
    zuid: [NaiveDate; 2],
}

/// The official periods of every region and school year in the shipped data.
pub fn official_periods() -> Vec<(Region, HolidayPeriod)> {
    let data: Official = serde_json::from_str(OFFICIAL_JSON).expect("fixtures/school_holidays.json is valid (tested)");
    let mut out = Vec::new();
    for y in data.school_years {
        let year = parse_school_year(&y.school_year).expect("school years in the fixture are well-formed (tested)");
        for h in y.holidays {
            for (region, [from, to]) in [(Region::Noord, h.noord), (Region::Midden, h.midden), (Region::Zuid, h.zuid)] {
                out.push((
                    region,
                    HolidayPeriod { school_year: year, kind: Some(h.kind.clone()), name: h.name.clone(), from, to },
                ));
            }
        }
    }
    out
}

/// The official calendar of one region.
pub fn official_calendar(region: Region) -> SchoolCalendar {
    let periods: Vec<HolidayPeriod> =
        official_periods().into_iter().filter(|(r, _)| *r == region).map(|(_, p)| p).collect();
    let years: Vec<i32> = periods.iter().map(|p| p.school_year).collect();
    SchoolCalendar::new(format!("regio {}", region.code()), &periods, &years)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn school_years() {
        assert_eq!(school_year_of(d(2026, 7, 31)), 2025);
        assert_eq!(school_year_of(d(2026, 8, 1)), 2026);
        assert_eq!(school_year_label(2026), "2026-2027");
        assert_eq!(parse_school_year("2026-2027"), Some(2026));
        assert_eq!(parse_school_year("2026-27"), Some(2026));
        assert_eq!(parse_school_year("2026-2028"), None);
    }

    #[test]
    fn official_data_is_complete_and_sane() {
        let all = official_periods();
        for region in Region::ALL {
            let cal = official_calendar(*region);
            assert_eq!(cal.covered_school_years(), &[2024, 2025, 2026, 2027, 2028, 2029]);
            for (r, p) in all.iter().filter(|(r, _)| r == region) {
                assert!(p.from <= p.to, "{r:?} {p:?}");
                assert_eq!(school_year_of(p.from), p.school_year, "{p:?}");
                // Official holidays run Saturday to Sunday.
                assert_eq!(p.from.weekday(), chrono::Weekday::Sat, "{p:?}");
                assert_eq!(p.to.weekday(), chrono::Weekday::Sun, "{p:?}");
            }
            for y in 2024..=2029 {
                for (kind, _) in KINDS {
                    assert_eq!(
                        all.iter()
                            .filter(|(r, p)| r == region && p.school_year == y && p.kind.as_deref() == Some(kind))
                            .count(),
                        1
                    );
                }
            }
        }
    }

    #[test]
    fn spot_checks_against_legal_md() {
        let midden = official_calendar(Region::Midden);
        let herfst = midden.block_at(d(2026, 10, 20)).unwrap();
        assert_eq!(
            (herfst.from, herfst.to, herfst.name.as_str()),
            (d(2026, 10, 17), d(2026, 10, 25), "Herfstvakantie")
        );
        let zuid = official_calendar(Region::Zuid);
        assert_eq!(zuid.block_at(d(2027, 9, 5)).unwrap().from, d(2027, 7, 24));
        let noord = official_calendar(Region::Noord);
        assert_eq!(noord.block_at(d(2030, 9, 1)).unwrap().to, d(2030, 9, 1));
        assert!(noord.block_at(d(2030, 9, 2)).is_none());
        assert_eq!(noord.missing_school_year(d(2030, 7, 1), d(2030, 8, 15)), Some(2030));
        assert_eq!(noord.missing_school_year(d(2024, 8, 1), d(2030, 7, 31)), None);
        assert_eq!(noord.missing_school_year(d(2024, 7, 31), d(2024, 8, 1)), Some(2023));
    }

    #[test]
    fn a_school_replaces_and_adds() {
        let region: Vec<HolidayPeriod> = official_periods()
            .into_iter()
            .filter(|(r, p)| *r == Region::Midden && p.school_year == 2026)
            .map(|(_, p)| p)
            .collect();
        let own = vec![
            HolidayPeriod {
                school_year: 2026,
                kind: Some("herfst".into()),
                name: "Herfstvakantie (eigen)".into(),
                from: d(2026, 10, 10),
                to: d(2026, 10, 18),
            },
            HolidayPeriod {
                school_year: 2026,
                kind: None,
                name: "Studiedag".into(),
                from: d(2026, 10, 19),
                to: d(2026, 10, 19),
            },
        ];
        let eff = effective_periods(&region, &own);
        assert_eq!(eff.len(), 6);
        let cal = SchoolCalendar::new("De Klimop", &eff, &[2026]);
        // The study day directly after the own autumn week merges into one block.
        let b = cal.block_at(d(2026, 10, 12)).unwrap();
        assert_eq!((b.from, b.to), (d(2026, 10, 10), d(2026, 10, 19)));
        assert_eq!(b.name, "Herfstvakantie (eigen) + Studiedag");
        assert!(cal.block_at(d(2026, 10, 20)).is_none(), "the region's autumn week no longer applies");
    }

    #[test]
    fn block_lookup_around_edges() {
        let p = |f: NaiveDate, t: NaiveDate| HolidayPeriod {
            school_year: 2026,
            kind: None,
            name: "V".into(),
            from: f,
            to: t,
        };
        let cal = SchoolCalendar::new(
            "x",
            &[p(d(2026, 10, 10), d(2026, 10, 18)), p(d(2026, 12, 19), d(2027, 1, 3))],
            &[2026],
        );
        assert_eq!(cal.block_at_or_after(d(2026, 10, 1)).unwrap().from, d(2026, 10, 10));
        assert_eq!(cal.block_at_or_after(d(2026, 10, 18)).unwrap().from, d(2026, 10, 10));
        assert_eq!(cal.block_at_or_after(d(2026, 10, 19)).unwrap().from, d(2026, 12, 19));
        assert!(cal.block_at_or_after(d(2027, 1, 4)).is_none());
        assert_eq!(cal.block_at_or_before(d(2026, 11, 1)).unwrap().from, d(2026, 10, 10));
        assert!(cal.block_at_or_before(d(2026, 10, 9)).is_none());
    }
}

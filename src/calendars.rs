//! Use cases of the holiday calendars (Art 27, Atw art 3): the official periods of each region,
//! a school's own deviations (typed or imported from .ics/CSV), and the days a royal decree made
//! equal to general holidays. Every change recomputes the running deadlines it affects, in the
//! same transaction, so a page never shows a due date counted with an old calendar.

use crate::audit::{Actor, WriteTx};
use crate::deadlines::{self, RecomputeReport};
use crate::domain::calendar_import::{self, Format, ImportedPeriod};
use crate::domain::case::Region;
use crate::domain::holidays;
use crate::domain::school_calendar::{
    HolidayPeriod, KINDS, effective_periods, parse_school_year, school_year_label, school_year_of,
};
use crate::domain::validate::{self, FieldErrors};
use crate::entities::{atw_decreed_day, holiday_period, school};
use chrono::{Datelike, NaiveDate, Weekday};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use std::collections::BTreeSet;

/// What a change returns: the recomputation, or the errors to show (nothing written).
pub type Outcome<T = RecomputeReport> = Result<Result<T, FieldErrors>, DbErr>;

/// The longest period accepted; longer is almost certainly a typo in a month or year (the
/// import uses the same limit).
pub const MAX_PERIOD_DAYS: i64 = 100;

/// The largest calendar file accepted; a school year's holidays take a few kilobytes.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// The most import errors listed one by one; the rest are counted.
const MAX_LISTED_ERRORS: usize = 20;

const ZOMER: &str = "zomer";

// ---- Pure helpers ----

/// The Dutch label of a holiday kind (`herfst` → `Herfstvakantie`), if it is one of [`KINDS`].
pub fn kind_label(code: &str) -> Option<&'static str> {
    KINDS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The label of an optional kind: a school period without a kind is an extra one.
pub fn kind_or_extra(kind: Option<&str>) -> &'static str {
    kind.map_or("extra", |k| kind_label(k).unwrap_or("extra"))
}

/// The first and last day of a school year (1 August to 31 July).
pub fn school_year_bounds(start_year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(start_year, 8, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(start_year + 1, 7, 31).unwrap_or(NaiveDate::MAX);
    (first, last)
}

/// The latest last day of a zomervakantie that starts in school year `start_year`: the official
/// summer holidays start in July and run into the next school year.
fn latest_summer_end(start_year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(start_year + 1, 9, 30).unwrap_or(NaiveDate::MAX)
}

/// Checks that a period lies in its school year: the first day inside it, the last day too,
/// except for the zomervakantie, which may run on into the next school year until 30
/// September. On failure: the field to blame (`start_on` / `end_on`) and the Dutch message.
pub fn period_fits(
    school_year: i32,
    kind: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), (&'static str, String)> {
    let (first, last) = school_year_bounds(school_year);
    let label = school_year_label(school_year);
    let nl = crate::domain::dutch::date;
    if to < from {
        return Err(("end_on", "De laatste dag ligt vóór de eerste dag.".into()));
    }
    if from < first || from > last {
        return Err((
            "start_on",
            format!("De eerste dag ligt niet in schooljaar {label} ({} t/m {}).", nl(first), nl(last)),
        ));
    }
    if kind == Some(ZOMER) {
        let latest = latest_summer_end(school_year);
        if to > latest {
            return Err((
                "end_on",
                format!(
                    "De zomervakantie van schooljaar {label} loopt uiterlijk tot {}; controleer de laatste dag.",
                    nl(latest)
                ),
            ));
        }
    } else if to > last {
        return Err((
            "end_on",
            format!(
                "De laatste dag ligt na het einde van schooljaar {label} ({}). Alleen de zomervakantie mag doorlopen in het volgende schooljaar; splits de periode anders in tweeën.",
                nl(last)
            ),
        ));
    }
    let days = (to - from).num_days() + 1;
    if days > MAX_PERIOD_DAYS {
        return Err((
            "end_on",
            format!("De periode duurt {days} dagen, langer dan {MAX_PERIOD_DAYS}; controleer de data."),
        ));
    }
    Ok(())
}

/// Guesses the holiday an imported period stands for from its name, case-insensitively:
/// "herfst", "kerst", "voorjaar" or "krokus" (→ voorjaar), "mei", "zomer" or "grote vakantie"
/// (→ zomer). Only a name that is a holiday counts: it contains "vakantie" or is the bare word
/// ("Kerst", "Herfst 2026"), so "Kerstviering" or "Studiedag 12 mei" stay extra periods and do
/// not replace the region's holiday.
pub fn guess_kind(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    const KEYWORDS: [(&str, &str); 6] = [
        ("herfst", "herfst"),
        ("kerst", "kerst"),
        ("voorjaar", "voorjaar"),
        ("krokus", "voorjaar"),
        ("mei", "mei"),
        ("zomer", ZOMER),
    ];
    if lower.contains("vakantie") {
        if words.windows(2).any(|w| w == ["grote", "vakantie"]) {
            return Some(ZOMER);
        }
        KEYWORDS.iter().find(|(k, _)| lower.contains(k)).map(|(_, kind)| *kind)
    } else {
        // Without "vakantie" only a bare holiday word counts ("Kerst", "Herfst 2026").
        let keyword = |w: &&str| KEYWORDS.iter().any(|(k, _)| k == w);
        if !words.iter().all(|w| keyword(w) || w.chars().all(|c| c.is_ascii_digit())) {
            return None;
        }
        KEYWORDS.iter().find(|(k, _)| words.contains(k)).map(|(_, kind)| *kind)
    }
}

/// An uploaded text file: UTF-8, or else Latin-1 (what older spreadsheets save as "CSV").
pub fn upload_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Joins import errors into the one message a field can hold.
fn join_errors(errors: &[String]) -> String {
    let mut listed: Vec<&str> = errors.iter().take(MAX_LISTED_ERRORS).map(String::as_str).collect();
    let more = errors.len().saturating_sub(MAX_LISTED_ERRORS);
    let tail = format!("en nog {more} fouten");
    if more > 0 {
        listed.push(&tail);
    }
    format!("Het bestand is niet ingelezen: {}.", listed.join("; ").trim_end_matches('.'))
}

/// An imported period with the school year and kind it is stored under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPeriod {
    pub school_year: i32,
    pub kind: Option<&'static str>,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Assigns each imported period its school year (that of its first day) and the kind guessed
/// from its name. A second period of the same kind in the same school year becomes an extra
/// one, so the school keeps one row per kind and year. Also checks that each period fits its
/// school year; the errors name the period.
pub fn plan_import(periods: &[ImportedPeriod]) -> Result<Vec<PlannedPeriod>, Vec<String>> {
    let mut seen: BTreeSet<(i32, &str)> = BTreeSet::new();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let nl = crate::domain::dutch::date;
    for p in periods {
        let school_year = school_year_of(p.from);
        let mut kind = guess_kind(&p.name);
        if let Some(k) = kind
            && !seen.insert((school_year, k))
        {
            kind = None;
        }
        if let Err((_, msg)) = period_fits(school_year, kind, p.from, p.to) {
            errors.push(format!("'{}' ({} t/m {}): {msg}", p.name, nl(p.from), nl(p.to)));
            continue;
        }
        out.push(PlannedPeriod { school_year, kind, name: p.name.clone(), from: p.from, to: p.to });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The name of a period: as typed, or else the holiday's own name.
fn period_name(errors: &mut FieldErrors, typed: &str, kind: Option<&str>) -> Option<String> {
    if typed.trim().is_empty()
        && let Some(label) = kind.and_then(kind_label)
    {
        return Some(label.to_owned());
    }
    if typed.trim().is_empty() {
        errors.add("name", "Geef de periode een naam, bijvoorbeeld Studiedag.");
        return None;
    }
    errors.check("name", validate::required(typed, 100))
}

fn period_json(p: &holiday_period::Model) -> serde_json::Value {
    json!({ "naam": p.name, "van": p.start_on, "tot": p.end_on })
}

// ---- Region periods ----

/// A region's holiday as typed.
#[derive(Debug, Clone, Default)]
pub struct NewRegionPeriod {
    pub region: String,
    /// `2026-2027`
    pub school_year: String,
    pub kind: String,
    /// Empty: the holiday's own name (Herfstvakantie).
    pub name: String,
    pub start_on: String,
    pub end_on: String,
}

/// Adds a region's holiday, or replaces the one of that kind in that school year; recomputes
/// the running deadlines of the region's schools.
pub async fn add_region_period(db: &DatabaseConnection, actor: Actor, input: NewRegionPeriod) -> Outcome {
    let mut errors = FieldErrors::default();
    let region = Region::parse(input.region.trim());
    if region.is_none() {
        errors.add("region", "Kies de regio: Noord, Midden of Zuid.");
    }
    let school_year = parse_school_year(&input.school_year);
    if school_year.is_none() {
        errors.add("school_year", "Vul het schooljaar in als 2026-2027.");
    }
    let kind = kind_label(input.kind.trim()).map(|_| input.kind.trim().to_owned());
    if kind.is_none() {
        errors.add("kind", "Kies de vakantie: herfst-, kerst-, voorjaars-, mei- of zomervakantie.");
    }
    // Without a valid kind there is no default name yet; the kind's error says enough.
    let name = if kind.is_some() || !input.name.trim().is_empty() {
        period_name(&mut errors, &input.name, kind.as_deref())
    } else {
        None
    };
    let from = errors.check("start_on", validate::date(&input.start_on));
    let to = errors.check("end_on", validate::date(&input.end_on));
    if let (Some(y), Some(from), Some(to)) = (school_year, from, to)
        && let Err((field, msg)) = period_fits(y, kind.as_deref(), from, to)
    {
        errors.add(field, msg);
    }
    let (Some(region), Some(school_year), Some(kind), Some(name), Some(from), Some(to), true) =
        (region, school_year, kind, name, from, to, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let mut tx = WriteTx::begin(db, actor).await?;
    let existing = holiday_period::Entity::find()
        .filter(holiday_period::Column::Region.eq(region.code()))
        .filter(holiday_period::Column::SchoolYear.eq(school_year))
        .filter(holiday_period::Column::Kind.eq(kind.as_str()))
        .all(tx.conn())
        .await?;
    if !existing.is_empty() {
        holiday_period::Entity::delete_many()
            .filter(holiday_period::Column::Id.is_in(existing.iter().map(|p| p.id)))
            .exec(tx.conn())
            .await?;
    }
    holiday_period::ActiveModel {
        region: Set(Some(region.code().to_owned())),
        school_id: Set(None),
        school_year: Set(school_year),
        kind: Set(Some(kind.clone())),
        name: Set(name.clone()),
        start_on: Set(from),
        end_on: Set(to),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let label = kind_or_extra(Some(&kind));
    let year = school_year_label(school_year);
    tx.audit(
        None,
        "kalender.regio_gewijzigd",
        json!({
            "actie": if existing.is_empty() { "toegevoegd" } else { "vervangen" },
            "regio": region.label(),
            "schooljaar": year,
            "vakantie": label,
            "naam": name,
            "van": from,
            "tot": to,
            "was": existing.first().map(period_json),
        }),
    )
    .await?;
    let schools = deadlines::schools_in_region(tx.conn(), region).await?;
    let why = format!("{label} {year} van regio {} gewijzigd", region.label());
    let report = deadlines::recompute(&mut tx, Some(&schools), &why).await?;
    tx.commit().await?;
    Ok(Ok(report))
}

/// Deletes a region's holiday; `Ok(None)` when there is no such region period.
pub async fn delete_region_period(
    db: &DatabaseConnection,
    actor: Actor,
    period_id: i32,
) -> Result<Option<RecomputeReport>, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(p) = holiday_period::Entity::find_by_id(period_id).one(tx.conn()).await? else {
        return Ok(None);
    };
    let Some(region) = p.region.as_deref().and_then(Region::parse) else {
        return Ok(None);
    };
    holiday_period::Entity::delete_by_id(p.id).exec(tx.conn()).await?;
    let label = kind_or_extra(p.kind.as_deref());
    let year = school_year_label(p.school_year);
    tx.audit(
        None,
        "kalender.regio_gewijzigd",
        json!({
            "actie": "verwijderd",
            "regio": region.label(),
            "schooljaar": year,
            "vakantie": label,
            "naam": p.name,
            "van": p.start_on,
            "tot": p.end_on,
        }),
    )
    .await?;
    let schools = deadlines::schools_in_region(tx.conn(), region).await?;
    let why = format!("{label} {year} van regio {} verwijderd", region.label());
    let report = deadlines::recompute(&mut tx, Some(&schools), &why).await?;
    tx.commit().await?;
    Ok(Some(report))
}

// ---- A school's own periods ----

/// A school's own period as typed.
#[derive(Debug, Clone, Default)]
pub struct NewSchoolPeriod {
    /// One of [`KINDS`] to replace the region's holiday; empty for an extra period.
    pub kind: String,
    pub name: String,
    pub start_on: String,
    pub end_on: String,
}

const NO_SCHOOL: &str = "Deze school bestaat niet.";

/// Adds a school's own period; with a kind it replaces the region's holiday of that kind in
/// that school year (and an own period of that kind already there). The school year is that
/// of the first day. `Ok(Err(errors))` with an error under `school_id` when there is no such
/// school.
pub async fn add_school_period(
    db: &DatabaseConnection,
    actor: Actor,
    school_id: i32,
    input: NewSchoolPeriod,
) -> Outcome {
    let mut errors = FieldErrors::default();
    let kind_text = input.kind.trim();
    let kind = if kind_text.is_empty() {
        None
    } else if kind_label(kind_text).is_some() {
        Some(kind_text.to_owned())
    } else {
        errors.add("kind", "Kies een vakantie uit de lijst, of laat het leeg voor een extra vrije periode.");
        None
    };
    let name = period_name(&mut errors, &input.name, kind.as_deref());
    let from = errors.check("start_on", validate::date(&input.start_on));
    let to = errors.check("end_on", validate::date(&input.end_on));
    if let (Some(from), Some(to)) = (from, to)
        && let Err((field, msg)) = period_fits(school_year_of(from), kind.as_deref(), from, to)
    {
        errors.add(field, msg);
    }
    let (Some(name), Some(from), Some(to), true) = (name, from, to, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let school_year = school_year_of(from);
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(s) = school::Entity::find_by_id(school_id).one(tx.conn()).await? else {
        errors.add("school_id", NO_SCHOOL);
        return Ok(Err(errors));
    };
    let existing = match &kind {
        Some(k) => {
            holiday_period::Entity::find()
                .filter(holiday_period::Column::SchoolId.eq(school_id))
                .filter(holiday_period::Column::SchoolYear.eq(school_year))
                .filter(holiday_period::Column::Kind.eq(k.as_str()))
                .all(tx.conn())
                .await?
        }
        None => Vec::new(),
    };
    if !existing.is_empty() {
        holiday_period::Entity::delete_many()
            .filter(holiday_period::Column::Id.is_in(existing.iter().map(|p| p.id)))
            .exec(tx.conn())
            .await?;
    }
    holiday_period::ActiveModel {
        region: Set(None),
        school_id: Set(Some(school_id)),
        school_year: Set(school_year),
        kind: Set(kind.clone()),
        name: Set(name.clone()),
        start_on: Set(from),
        end_on: Set(to),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let label = kind_or_extra(kind.as_deref());
    let year = school_year_label(school_year);
    tx.audit(
        None,
        "kalender.school_gewijzigd",
        json!({
            "actie": if existing.is_empty() { "toegevoegd" } else { "vervangen" },
            "school": s.name,
            "schooljaar": year,
            "vakantie": label,
            "naam": name,
            "van": from,
            "tot": to,
            "was": existing.first().map(period_json),
        }),
    )
    .await?;
    let why = format!("eigen vakantie van {} gewijzigd ({name}, {year})", s.name);
    let report = deadlines::recompute(&mut tx, Some(&[school_id]), &why).await?;
    tx.commit().await?;
    Ok(Ok(report))
}

/// Deletes one of a school's own periods; `Ok(None)` when the school has no such period.
pub async fn delete_school_period(
    db: &DatabaseConnection,
    actor: Actor,
    school_id: i32,
    period_id: i32,
) -> Result<Option<RecomputeReport>, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(p) = holiday_period::Entity::find_by_id(period_id)
        .filter(holiday_period::Column::SchoolId.eq(school_id))
        .one(tx.conn())
        .await?
    else {
        return Ok(None);
    };
    let school_name = school::Entity::find_by_id(school_id).one(tx.conn()).await?.map(|s| s.name).unwrap_or_default();
    holiday_period::Entity::delete_by_id(p.id).exec(tx.conn()).await?;
    let year = school_year_label(p.school_year);
    tx.audit(
        None,
        "kalender.school_gewijzigd",
        json!({
            "actie": "verwijderd",
            "school": school_name,
            "schooljaar": year,
            "vakantie": kind_or_extra(p.kind.as_deref()),
            "naam": p.name,
            "van": p.start_on,
            "tot": p.end_on,
        }),
    )
    .await?;
    let why = format!("eigen vakantie van {school_name} verwijderd ({}, {year})", p.name);
    let report = deadlines::recompute(&mut tx, Some(&[school_id]), &why).await?;
    tx.commit().await?;
    Ok(Some(report))
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    pub removed: u64,
    pub school_years: Vec<i32>,
    pub recompute: RecomputeReport,
}

/// Imports a school's calendar from an .ics or CSV file. It replaces all the school's own
/// periods in the school years the file covers (delete, then insert, in one transaction).
/// Every problem in the file is reported under `file`; with an error under `school_id` when
/// there is no such school.
pub async fn import_school_calendar(
    db: &DatabaseConnection,
    actor: Actor,
    school_id: i32,
    file_name: &str,
    content: &str,
) -> Outcome<ImportReport> {
    let mut errors = FieldErrors::default();
    if file_name.trim().is_empty() && content.is_empty() {
        errors.add("file", "Kies een bestand met de vakanties (.ics of .csv).");
        return Ok(Err(errors));
    }
    if content.len() > MAX_IMPORT_BYTES {
        errors.add("file", "Het bestand is te groot voor een vakantierooster (ten hoogste 1 MB).");
        return Ok(Err(errors));
    }
    let Some(format) = calendar_import::detect(file_name, content) else {
        errors.add(
            "file",
            "Dit bestand is geen agenda (.ics) of CSV-bestand (.csv). Exporteer de vakanties uit de agenda of het spreadsheet als .ics of .csv.",
        );
        return Ok(Err(errors));
    };
    let periods = match calendar_import::parse(format, content) {
        Ok(p) => p,
        Err(errs) => {
            errors.add("file", join_errors(&errs.iter().map(ToString::to_string).collect::<Vec<_>>()));
            return Ok(Err(errors));
        }
    };
    let planned = match plan_import(&periods) {
        Ok(p) => p,
        Err(errs) => {
            errors.add("file", join_errors(&errs));
            return Ok(Err(errors));
        }
    };
    let years: Vec<i32> = planned.iter().map(|p| p.school_year).collect::<BTreeSet<_>>().into_iter().collect();
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(s) = school::Entity::find_by_id(school_id).one(tx.conn()).await? else {
        errors.add("school_id", NO_SCHOOL);
        return Ok(Err(errors));
    };
    let removed = holiday_period::Entity::delete_many()
        .filter(holiday_period::Column::SchoolId.eq(school_id))
        .filter(holiday_period::Column::SchoolYear.is_in(years.iter().copied()))
        .exec(tx.conn())
        .await?
        .rows_affected;
    for p in &planned {
        holiday_period::ActiveModel {
            region: Set(None),
            school_id: Set(Some(school_id)),
            school_year: Set(p.school_year),
            kind: Set(p.kind.map(str::to_owned)),
            name: Set(p.name.clone()),
            start_on: Set(p.from),
            end_on: Set(p.to),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    let replacing = planned.iter().filter(|p| p.kind.is_some()).count();
    let labels: Vec<String> = years.iter().map(|y| school_year_label(*y)).collect();
    let shown_name: String = file_name.chars().take(200).collect();
    tx.audit(
        None,
        "kalender.school_geimporteerd",
        json!({
            "school": s.name,
            "bestand": shown_name,
            "formaat": match format { Format::Ics => "ics", Format::Csv => "csv" },
            "schooljaren": labels,
            "verwijderd": removed,
            "geïmporteerd": planned.len(),
            "vervangen regiovakanties": replacing,
            "extra perioden": planned.len() - replacing,
        }),
    )
    .await?;
    let why = format!("vakantierooster van {} geïmporteerd ({})", s.name, labels.join(", "));
    let recompute = deadlines::recompute(&mut tx, Some(&[school_id]), &why).await?;
    tx.commit().await?;
    Ok(Ok(ImportReport { imported: planned.len(), removed, school_years: years, recompute }))
}

// ---- Atw decreed days ----

/// Adds a day made equal to a general holiday by royal decree (Atw art 3(3)); every running
/// deadline is recomputed. Refused: an invalid date, a weekend day, a statutory holiday, a
/// day already listed.
pub async fn add_decreed_day(db: &DatabaseConnection, actor: Actor, day: &str, description: &str) -> Outcome {
    let mut errors = FieldErrors::default();
    let date = errors.check("day", validate::date(day));
    if let Some(d) = date {
        if !holidays::YEARS.contains(&d.year()) {
            errors
                .add("day", format!("Kies een datum tussen {} en {}.", holidays::YEARS.start(), holidays::YEARS.end()));
        } else if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            errors.add(
                "day",
                format!(
                    "{} is een {}. Een termijn die op een zaterdag of zondag eindigt, schuift al door naar de volgende werkdag (Algemene termijnenwet art. 1); een gelijkgestelde dag is alleen nodig op een werkdag.",
                    crate::domain::dutch::date(d),
                    crate::domain::dutch::weekday(d)
                ),
            );
        } else if let Some((_, name)) = holidays::statutory(d.year()).into_iter().find(|(x, _)| *x == d) {
            errors.add(
                "day",
                format!(
                    "{} is al een algemeen erkende feestdag ({name}); die hoeft niet te worden toegevoegd.",
                    crate::domain::dutch::date(d)
                ),
            );
        }
    }
    let description = errors.check("description", validate::required(description, 200));
    let (Some(date), Some(description), true) = (date, description, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let mut tx = WriteTx::begin(db, actor).await?;
    if let Some(existing) = atw_decreed_day::Entity::find_by_id(date).one(tx.conn()).await? {
        errors.add(
            "day",
            format!("{} staat al in de lijst ({}).", crate::domain::dutch::date(date), existing.description),
        );
        return Ok(Err(errors));
    }
    atw_decreed_day::ActiveModel { day: Set(date), description: Set(description.clone()) }.insert(tx.conn()).await?;
    tx.audit(None, "kalender.feestdag_toegevoegd", json!({ "datum": date, "omschrijving": description })).await?;
    let why = format!("gelijkgestelde dag {} toegevoegd", crate::domain::dutch::date(date));
    let report = deadlines::recompute(&mut tx, None, &why).await?;
    tx.commit().await?;
    Ok(Ok(report))
}

/// Removes a decreed day; `Ok(None)` when it is not listed.
pub async fn delete_decreed_day(
    db: &DatabaseConnection,
    actor: Actor,
    day: NaiveDate,
) -> Result<Option<RecomputeReport>, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(existing) = atw_decreed_day::Entity::find_by_id(day).one(tx.conn()).await? else {
        return Ok(None);
    };
    atw_decreed_day::Entity::delete_by_id(day).exec(tx.conn()).await?;
    tx.audit(None, "kalender.feestdag_verwijderd", json!({ "datum": day, "omschrijving": existing.description }))
        .await?;
    let why = format!("gelijkgestelde dag {} verwijderd", crate::domain::dutch::date(day));
    let report = deadlines::recompute(&mut tx, None, &why).await?;
    tx.commit().await?;
    Ok(Some(report))
}

// ---- Reading, for the pages ----

/// One holiday of a school year in the three regions (in [`Region::ALL`] order).
#[derive(Debug, Clone)]
pub struct RegionRow {
    pub kind: Option<String>,
    pub label: String,
    pub cells: Vec<Option<holiday_period::Model>>,
}

/// A school year's region calendars.
#[derive(Debug, Clone)]
pub struct RegionYear {
    pub school_year: i32,
    pub rows: Vec<RegionRow>,
}

/// The region periods grouped by school year, each year's holidays in the order of [`KINDS`];
/// a region period without a kind gets a row of its own.
pub async fn region_calendars(db: &impl ConnectionTrait) -> Result<Vec<RegionYear>, DbErr> {
    let periods = holiday_period::Entity::find()
        .filter(holiday_period::Column::Region.is_not_null())
        .order_by_asc(holiday_period::Column::SchoolYear)
        .order_by_asc(holiday_period::Column::StartOn)
        .all(db)
        .await?;
    Ok(group_region_periods(periods))
}

fn region_index(p: &holiday_period::Model) -> Option<usize> {
    let r = Region::parse(p.region.as_deref()?)?;
    Region::ALL.iter().position(|x| *x == r)
}

fn group_region_periods(periods: Vec<holiday_period::Model>) -> Vec<RegionYear> {
    let years: BTreeSet<i32> = periods.iter().map(|p| p.school_year).collect();
    years
        .into_iter()
        .map(|year| {
            let of_year: Vec<&holiday_period::Model> = periods.iter().filter(|p| p.school_year == year).collect();
            let mut rows = Vec::new();
            for (code, label) in KINDS {
                let mut cells = vec![None; Region::ALL.len()];
                for p in of_year.iter().filter(|p| p.kind.as_deref() == Some(*code)) {
                    if let Some(i) = region_index(p) {
                        cells[i] = Some((*p).clone());
                    }
                }
                if cells.iter().any(Option::is_some) {
                    rows.push(RegionRow { kind: Some((*code).to_owned()), label: (*label).to_owned(), cells });
                }
            }
            for p in of_year.iter().filter(|p| p.kind.as_deref().and_then(kind_label).is_none()) {
                let mut cells = vec![None; Region::ALL.len()];
                if let Some(i) = region_index(p) {
                    cells[i] = Some((*p).clone());
                    rows.push(RegionRow { kind: None, label: p.name.clone(), cells });
                }
            }
            RegionYear { school_year: year, rows }
        })
        .collect()
}

/// The decreed days, in date order.
pub async fn decreed_days(db: &impl ConnectionTrait) -> Result<Vec<atw_decreed_day::Model>, DbErr> {
    atw_decreed_day::Entity::find().order_by_asc(atw_decreed_day::Column::Day).all(db).await
}

/// A period of a school's effective calendar: from its region, or its own.
#[derive(Debug, Clone)]
pub struct EffectivePeriod {
    pub period: HolidayPeriod,
    pub own: bool,
    /// For an own period with a kind: the region's holiday it replaces.
    pub replaces: Option<HolidayPeriod>,
}

/// One school year of a school's effective calendar.
#[derive(Debug, Clone)]
pub struct EffectiveYear {
    pub school_year: i32,
    /// Whether the region has data for this year (without it a term cannot be computed).
    pub covered: bool,
    pub periods: Vec<EffectivePeriod>,
}

/// What the school's calendar page shows.
#[derive(Debug, Clone)]
pub struct SchoolCalendarView {
    pub school: school::Model,
    pub region: Option<Region>,
    /// The school's own periods, by date.
    pub own: Vec<holiday_period::Model>,
    pub years: Vec<EffectiveYear>,
}

/// A school's calendar as the deadlines see it, its own periods marked; `None` when there is
/// no such school.
pub async fn school_calendar_view(
    db: &impl ConnectionTrait,
    school_id: i32,
) -> Result<Option<SchoolCalendarView>, DbErr> {
    let Some(s) = school::Entity::find_by_id(school_id).one(db).await? else {
        return Ok(None);
    };
    let own = holiday_period::Entity::find()
        .filter(holiday_period::Column::SchoolId.eq(school_id))
        .order_by_asc(holiday_period::Column::StartOn)
        .order_by_asc(holiday_period::Column::Id)
        .all(db)
        .await?;
    let regional: Vec<HolidayPeriod> = holiday_period::Entity::find()
        .filter(holiday_period::Column::Region.eq(s.region.as_str()))
        .all(db)
        .await?
        .iter()
        .map(crate::deadlines::period)
        .collect();
    // The years covered are exactly those the deadline computation sees.
    let covered = deadlines::school_calendar(db, school_id).await?.covered_school_years().to_vec();
    let own_periods: Vec<HolidayPeriod> = own.iter().map(crate::deadlines::period).collect();
    let effective = effective_periods(&regional, &own_periods);
    let years: BTreeSet<i32> = effective.iter().map(|p| p.school_year).chain(covered.iter().copied()).collect();
    let years = years
        .into_iter()
        .map(|y| EffectiveYear {
            school_year: y,
            covered: covered.contains(&y),
            periods: effective
                .iter()
                .filter(|p| p.school_year == y)
                .map(|p| {
                    let own = own_periods.contains(p);
                    let replaces = if own && p.kind.is_some() {
                        regional.iter().find(|r| r.school_year == p.school_year && r.kind == p.kind).cloned()
                    } else {
                        None
                    };
                    EffectivePeriod { period: p.clone(), own, replaces }
                })
                .collect(),
        })
        .collect();
    Ok(Some(SchoolCalendarView { region: Region::parse(&s.region), school: s, own, years }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn kinds_are_guessed_from_names() {
        assert_eq!(guess_kind("Herfstvakantie"), Some("herfst"));
        assert_eq!(guess_kind("KERSTVAKANTIE, regio noord"), Some("kerst"));
        assert_eq!(guess_kind("Kerst"), Some("kerst"));
        assert_eq!(guess_kind("Voorjaarsvakantie"), Some("voorjaar"));
        assert_eq!(guess_kind("Krokusvakantie"), Some("voorjaar"));
        assert_eq!(guess_kind("krokus"), Some("voorjaar"));
        assert_eq!(guess_kind("Herfst 2026"), Some("herfst"));
        assert_eq!(guess_kind("Meivakantie (incl. Koningsdag)"), Some("mei"));
        assert_eq!(guess_kind("Mei vakantie"), Some("mei"));
        assert_eq!(guess_kind("Zomervakantie"), Some("zomer"));
        assert_eq!(guess_kind("Grote vakantie"), Some("zomer"));
        // Not a holiday of the region: these are extra periods.
        assert_eq!(guess_kind("Studiedag 12 mei"), None);
        assert_eq!(guess_kind("Kerstviering (middag vrij)"), None);
        assert_eq!(guess_kind("Zomerfeest"), None);
        assert_eq!(guess_kind("Vakantie"), None);
        assert_eq!(guess_kind("Studiedag"), None);
        assert_eq!(guess_kind(""), None);
    }

    #[test]
    fn school_year_bounds_run_from_august_to_july() {
        assert_eq!(school_year_bounds(2026), (d(2026, 8, 1), d(2027, 7, 31)));
    }

    #[test]
    fn periods_must_fit_their_school_year() {
        assert_eq!(period_fits(2026, Some("herfst"), d(2026, 10, 17), d(2026, 10, 25)), Ok(()));
        assert_eq!(period_fits(2026, None, d(2026, 8, 1), d(2026, 8, 1)), Ok(()));
        assert_eq!(period_fits(2026, None, d(2027, 7, 31), d(2027, 7, 31)), Ok(()));
        // The summer holiday runs on into the next school year, as the official ones do.
        assert_eq!(period_fits(2026, Some("zomer"), d(2027, 7, 17), d(2027, 8, 29)), Ok(()));
        assert_eq!(period_fits(2026, Some("zomer"), d(2027, 7, 17), d(2027, 10, 1)).unwrap_err().0, "end_on");
        // Other periods do not.
        let (field, msg) = period_fits(2026, Some("mei"), d(2027, 7, 17), d(2027, 8, 2)).unwrap_err();
        assert_eq!(field, "end_on");
        assert!(msg.contains("31 juli 2027"), "{msg}");
        let (field, msg) = period_fits(2026, Some("herfst"), d(2027, 10, 16), d(2027, 10, 24)).unwrap_err();
        assert_eq!(field, "start_on");
        assert!(msg.contains("2026-2027"), "{msg}");
        assert_eq!(period_fits(2026, None, d(2026, 7, 31), d(2026, 8, 2)).unwrap_err().0, "start_on");
        assert_eq!(period_fits(2026, None, d(2026, 10, 25), d(2026, 10, 17)).unwrap_err().0, "end_on");
        assert!(period_fits(2026, None, d(2026, 8, 1), d(2026, 12, 31)).unwrap_err().1.contains("100"));
    }

    #[test]
    fn import_plan_assigns_years_and_kinds() {
        let p = |name: &str, from, to| ImportedPeriod { name: name.into(), from, to };
        let plan = plan_import(&[
            p("Herfstvakantie", d(2026, 10, 17), d(2026, 10, 25)),
            p("Studiedag", d(2026, 11, 11), d(2026, 11, 11)),
            p("Herfstvakantie (extra dag)", d(2026, 10, 26), d(2026, 10, 26)),
            p("Zomervakantie", d(2027, 7, 17), d(2027, 8, 29)),
            p("Herfstvakantie", d(2027, 10, 16), d(2027, 10, 24)),
        ])
        .unwrap();
        let kinds: Vec<(i32, Option<&str>)> = plan.iter().map(|p| (p.school_year, p.kind)).collect();
        assert_eq!(
            kinds,
            [(2026, Some("herfst")), (2026, None), (2026, None), (2026, Some("zomer")), (2027, Some("herfst"))]
        );
        let errs = plan_import(&[p("Studieweek", d(2027, 7, 28), d(2027, 8, 3))]).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("'Studieweek' (28 juli 2027 t/m 3 augustus 2027): "), "{}", errs[0]);
    }

    #[test]
    fn import_errors_are_joined_and_capped() {
        let one = join_errors(&["regel 2: x".into()]);
        assert_eq!(one, "Het bestand is niet ingelezen: regel 2: x.");
        assert_eq!(join_errors(&["Klopt niet.".into()]), "Het bestand is niet ingelezen: Klopt niet.");
        let many: Vec<String> = (1..=25).map(|i| format!("regel {i}: fout")).collect();
        let joined = join_errors(&many);
        assert!(joined.contains("regel 20: fout; en nog 5 fouten."), "{joined}");
        assert!(!joined.contains("regel 21"));
    }

    #[test]
    fn uploads_in_latin1_are_read() {
        assert_eq!(upload_text("Kerstvakantie;één".as_bytes()), "Kerstvakantie;één");
        assert_eq!(upload_text(b"Cr\xe8che;\xe9\xe9n"), "Crèche;één");
    }

    #[test]
    fn labels() {
        assert_eq!(kind_label("herfst"), Some("Herfstvakantie"));
        assert_eq!(kind_label("studiedag"), None);
        assert_eq!(kind_or_extra(None), "extra");
        assert_eq!(kind_or_extra(Some("zomer")), "Zomervakantie");
    }

    #[test]
    fn region_periods_are_grouped_per_year_and_holiday() {
        let m = |id, region: &str, year, kind: Option<&str>, name: &str| holiday_period::Model {
            id,
            region: Some(region.into()),
            school_id: None,
            school_year: year,
            kind: kind.map(Into::into),
            name: name.into(),
            start_on: d(year, 10, 1),
            end_on: d(year, 10, 2),
        };
        let years = group_region_periods(vec![
            m(1, "noord", 2026, Some("kerst"), "Kerstvakantie"),
            m(2, "zuid", 2026, Some("herfst"), "Herfstvakantie"),
            m(3, "midden", 2026, None, "Extra"),
            m(4, "midden", 2027, Some("herfst"), "Herfstvakantie"),
        ]);
        assert_eq!(years.len(), 2);
        let labels: Vec<&str> = years[0].rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["Herfstvakantie", "Kerstvakantie", "Extra"]);
        assert_eq!(
            years[0].rows[0].cells.iter().map(|c| c.as_ref().map(|p| p.id)).collect::<Vec<_>>(),
            [None, None, Some(2)]
        );
        assert_eq!(years[0].rows[2].cells[1].as_ref().map(|p| p.id), Some(3));
    }
}

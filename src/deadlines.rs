//! Deadlines on cases. A deadline is opened by the use case that creates its event, inside that
//! use case's transaction; it is extended, suspended, resumed or closed by a decision that is
//! recorded with who, when and why; and it is recomputed when a holiday calendar changes.
//! The dates themselves always come from `domain::deadline::due`.

use crate::audit::WriteTx;
use crate::domain::case::Region;
use crate::domain::deadline::{self, DeadlineKind, Spec, Status};
use crate::domain::holidays::{self, DecreedDay, GeneralHolidays};
use crate::domain::school_calendar::{HolidayPeriod, SchoolCalendar, effective_periods};
use crate::domain::termijn::{Calendars, Deadline, Direction, Rules, Term, TermError};
use crate::entities::{atw_decreed_day, case, deadline as entity, holiday_period, school};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum DeadlineError {
    #[error("{0}")]
    Term(#[from] TermError),
    #[error("Voor deze termijn moet de voorzitter de duur vaststellen (art. 17).")]
    NoTerm,
    #[error("Deze termijn bestaat niet (meer) bij deze zaak.")]
    NotFound,
    #[error("{0}")]
    NotAllowed(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

// ---- Calendars from the database ----

/// The Atw general holidays: statutory days plus the decreed days in the database.
pub async fn general_holidays(db: &impl ConnectionTrait) -> Result<GeneralHolidays, DbErr> {
    let days: Vec<DecreedDay> = atw_decreed_day::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| DecreedDay { date: d.day, description: d.description })
        .collect();
    let (_, shipped_known) = holidays::shipped_decrees();
    let known = days.iter().map(|d| d.date.year()).max().unwrap_or(shipped_known).max(shipped_known);
    Ok(GeneralHolidays::new(*holidays::YEARS.start(), *holidays::YEARS.end(), &days, known))
}

/// A stored holiday period as the domain counts with it.
pub fn period(p: &holiday_period::Model) -> HolidayPeriod {
    HolidayPeriod {
        school_year: p.school_year,
        kind: p.kind.clone(),
        name: p.name.clone(),
        from: p.start_on,
        to: p.end_on,
    }
}

/// Every school's calendar, keyed by school id, from two queries (region periods, school
/// deviations); `only` narrows it to some schools.
pub async fn school_calendars(
    db: &impl ConnectionTrait,
    only: Option<&[i32]>,
) -> Result<HashMap<i32, SchoolCalendar>, DbErr> {
    let mut schools = school::Entity::find();
    let mut own = holiday_period::Entity::find().filter(holiday_period::Column::SchoolId.is_not_null());
    if let Some(ids) = only {
        schools = schools.filter(school::Column::Id.is_in(ids.iter().copied()));
        own = own.filter(holiday_period::Column::SchoolId.is_in(ids.iter().copied()));
    }
    let schools = schools.all(db).await?;
    let own = own.all(db).await?;
    let regional = holiday_period::Entity::find().filter(holiday_period::Column::Region.is_not_null()).all(db).await?;
    let mut out = HashMap::new();
    for s in schools {
        let region: Vec<HolidayPeriod> =
            regional.iter().filter(|p| p.region.as_deref() == Some(s.region.as_str())).map(period).collect();
        let deviations: Vec<HolidayPeriod> = own.iter().filter(|p| p.school_id == Some(s.id)).map(period).collect();
        let covered: Vec<i32> = region.iter().map(|p| p.school_year).collect();
        let label = format!("{} (regio {})", s.name, s.region);
        out.insert(s.id, SchoolCalendar::new(label, &effective_periods(&region, &deviations), &covered));
    }
    Ok(out)
}

pub async fn school_calendar(db: &impl ConnectionTrait, school_id: i32) -> Result<SchoolCalendar, DbErr> {
    school_calendars(db, Some(&[school_id]))
        .await?
        .remove(&school_id)
        .ok_or(DbErr::RecordNotFound(format!("school {school_id}")))
}

/// The official region calendars and the known decreed days, loaded into empty tables: the
/// reference data every installation starts from (the beheerder can change it afterwards).
pub async fn ensure_reference_data(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if holiday_period::Entity::find().filter(holiday_period::Column::Region.is_not_null()).one(db).await?.is_none() {
        for (region, p) in crate::domain::school_calendar::official_periods() {
            holiday_period::ActiveModel {
                region: Set(Some(region.code().to_owned())),
                school_id: Set(None),
                school_year: Set(p.school_year),
                kind: Set(p.kind),
                name: Set(p.name),
                start_on: Set(p.from),
                end_on: Set(p.to),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if atw_decreed_day::Entity::find().one(db).await?.is_none() {
        for d in holidays::shipped_decrees().0 {
            atw_decreed_day::ActiveModel { day: Set(d.date), description: Set(d.description) }.insert(db).await?;
        }
    }
    Ok(())
}

// ---- Stored deadlines ----

/// What the stored row says about how its due date is computed.
pub fn spec_of(m: &entity::Model) -> Result<Spec, String> {
    let term = Term::parse(&m.term)?;
    let extension = m.extension_term.as_deref().map(Term::parse).transpose()?;
    Ok(Spec {
        event_on: m.event_on,
        term,
        rules: Rules {
            direction: if m.backward { Direction::Backward } else { Direction::Forward },
            skip_school_holidays: m.skip_school_holidays,
            urgent: m.urgent,
        },
        extension,
        suspended_on: m.suspended_on,
        resumed_on: m.resumed_on,
    })
}

/// The stored explanation: the computation, or why it could not be made.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Stored {
    Computed(Box<crate::domain::termijn::Explanation>),
    Failed { fout: String },
    Suspended { opgeschort: NaiveDate },
}

impl Stored {
    pub fn lines(&self) -> Vec<String> {
        match self {
            Stored::Computed(e) => e.lines(),
            Stored::Failed { fout } => vec![format!("De termijn kon niet worden berekend: {fout}")],
            Stored::Suspended { opgeschort } => {
                vec![format!(
                    "Opgeschort sinds {}; de termijn loopt weer na hervatting.",
                    crate::domain::dutch::date_with_weekday(*opgeschort)
                )]
            }
        }
    }
}

pub fn stored_explanation(m: &entity::Model) -> Stored {
    serde_json::from_str(&m.explanation).unwrap_or(Stored::Failed { fout: "onleesbare toelichting".into() })
}

/// Computes the due date for a spec: `(due_on, explanation)`. A calendar without data for the
/// years needed gives no date and says why; the deadline is computed as soon as the data is
/// there (see [`recompute`]).
fn evaluate(spec: &Spec, cals: Calendars<'_>) -> (Option<NaiveDate>, Stored) {
    match deadline::due(spec, cals) {
        Ok(Some(Deadline { date, explanation })) => (Some(date), Stored::Computed(Box::new(explanation))),
        Ok(None) => (None, Stored::Suspended { opgeschort: spec.suspended_on.unwrap_or(spec.event_on) }),
        Err(e) => (None, Stored::Failed { fout: e.to_string() }),
    }
}

fn to_json(s: &Stored) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A new term of `kind` from `event_on` computed as [`open`] would, without writing it: the
/// due day, the stored explanation, and the rules (for the load data generator).
pub(crate) fn compute(
    kind: DeadlineKind,
    event_on: NaiveDate,
    urgent: bool,
    cals: Calendars<'_>,
) -> Option<(Option<NaiveDate>, String, Rules, Term)> {
    let term = kind.default_term()?;
    let spec =
        Spec { event_on, term, rules: kind.rules(urgent), extension: None, suspended_on: None, resumed_on: None };
    let (due_on, explanation) = evaluate(&spec, cals);
    Some((due_on, to_json(&explanation), spec.rules, term))
}

/// Opens a deadline of `kind` on a case, counted from `event_on`, in the caller's transaction.
/// `term` overrides the reglement's term (and is required where the chair sets it).
pub async fn open(
    tx: &mut WriteTx,
    c: &case::Model,
    kind: DeadlineKind,
    event_on: NaiveDate,
    term: Option<Term>,
) -> Result<entity::Model, DeadlineError> {
    let term = term.or(kind.default_term()).ok_or(DeadlineError::NoTerm)?;
    let spec =
        Spec { event_on, term, rules: kind.rules(c.urgent), extension: None, suspended_on: None, resumed_on: None };
    let general = general_holidays(tx.conn()).await?;
    let school = school_calendar(tx.conn(), c.school_id).await?;
    let (due_on, explanation) = evaluate(&spec, Calendars { general: &general, school: Some(&school) });
    let now = Utc::now();
    let m = entity::ActiveModel {
        case_id: Set(c.id),
        kind: Set(kind.code().to_owned()),
        event_on: Set(event_on),
        term: Set(term.to_string()),
        backward: Set(spec.rules.direction == Direction::Backward),
        skip_school_holidays: Set(spec.rules.skip_school_holidays),
        urgent: Set(spec.rules.urgent),
        due_on: Set(due_on),
        explanation: Set(to_json(&explanation)),
        status: Set(Status::Open.code().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        Some(c.id),
        "termijn.gestart",
        json!({ "termijn": kind.label(), "artikel": kind.article(), "duur": term.to_string(), "vanaf": event_on, "uiterlijk": due_on }),
    )
    .await?;
    Ok(m)
}

async fn load(tx: &WriteTx, c: &case::Model, deadline_id: i32) -> Result<entity::Model, DeadlineError> {
    entity::Entity::find_by_id(deadline_id)
        .filter(entity::Column::CaseId.eq(c.id))
        .one(tx.conn())
        .await?
        .ok_or(DeadlineError::NotFound)
}

fn status_of(m: &entity::Model) -> Status {
    Status::parse(&m.status).unwrap_or(Status::Open)
}

/// Recomputes one stored deadline after a change of its spec and writes it back.
async fn rewrite(
    tx: &mut WriteTx,
    c: &case::Model,
    mut am: entity::ActiveModel,
    spec: &Spec,
) -> Result<entity::Model, DeadlineError> {
    let general = general_holidays(tx.conn()).await?;
    let school = school_calendar(tx.conn(), c.school_id).await?;
    let (due_on, explanation) = evaluate(spec, Calendars { general: &general, school: Some(&school) });
    am.due_on = Set(due_on);
    am.explanation = Set(to_json(&explanation));
    am.updated_at = Set(Utc::now());
    Ok(am.update(tx.conn()).await?)
}

fn decided(am: &mut entity::ActiveModel, tx: &WriteTx, reason: &str) {
    am.decided_by = Set(tx.actor().user_id);
    am.decided_at = Set(Some(Utc::now()));
    am.decision_reason = Set(Some(reason.to_owned()));
}

/// Art 13.1, 25.1: extends a running deadline by a further term counted from its current end.
/// Only once: a second extension is refused (the reglement allows one).
pub async fn extend(
    tx: &mut WriteTx,
    c: &case::Model,
    deadline_id: i32,
    extra: Term,
    reason: &str,
) -> Result<entity::Model, DeadlineError> {
    let m = load(tx, c, deadline_id).await?;
    if !status_of(&m).is_running() || m.due_on.is_none() {
        return Err(DeadlineError::NotAllowed(
            "Alleen een lopende termijn met een einddatum kan worden verlengd.".into(),
        ));
    }
    if m.extension_term.is_some() {
        return Err(DeadlineError::NotAllowed(
            "Deze termijn is al eens verlengd; het reglement staat één verlenging toe.".into(),
        ));
    }
    let mut spec = spec_of(&m).map_err(DeadlineError::NotAllowed)?;
    spec.extension = Some(extra);
    let old = m.due_on;
    let mut am: entity::ActiveModel = m.into();
    am.extension_term = Set(Some(extra.to_string()));
    am.status = Set(Status::Extended.code().to_owned());
    decided(&mut am, tx, reason);
    let m = rewrite(tx, c, am, &spec).await?;
    tx.audit(Some(c.id), "termijn.verlengd", json!({ "termijn": kind_label(&m.kind), "met": extra.to_string(), "was": old, "wordt": m.due_on, "reden": reason })).await?;
    Ok(m)
}

/// Rule 9: stops the clock on `on`.
pub async fn suspend(
    tx: &mut WriteTx,
    c: &case::Model,
    deadline_id: i32,
    on: NaiveDate,
    reason: &str,
) -> Result<entity::Model, DeadlineError> {
    let m = load(tx, c, deadline_id).await?;
    if !status_of(&m).is_running() || m.suspended_on.is_some() {
        return Err(DeadlineError::NotAllowed(
            "Alleen een lopende termijn die nog niet opgeschort is geweest kan worden opgeschort.".into(),
        ));
    }
    if on < m.event_on {
        return Err(DeadlineError::NotAllowed("De opschorting kan niet vóór het begin van de termijn liggen.".into()));
    }
    let mut spec = spec_of(&m).map_err(DeadlineError::NotAllowed)?;
    spec.suspended_on = Some(on);
    let mut am: entity::ActiveModel = m.into();
    am.suspended_on = Set(Some(on));
    am.status = Set(Status::Suspended.code().to_owned());
    decided(&mut am, tx, reason);
    let m = rewrite(tx, c, am, &spec).await?;
    tx.audit(Some(c.id), "termijn.opgeschort", json!({ "termijn": kind_label(&m.kind), "per": on, "reden": reason }))
        .await?;
    Ok(m)
}

/// Rule 9: restarts a suspended clock on `on`; the days before the suspension stand.
pub async fn resume(
    tx: &mut WriteTx,
    c: &case::Model,
    deadline_id: i32,
    on: NaiveDate,
    reason: &str,
) -> Result<entity::Model, DeadlineError> {
    let m = load(tx, c, deadline_id).await?;
    let Some(from) = m.suspended_on.filter(|_| status_of(&m) == Status::Suspended) else {
        return Err(DeadlineError::NotAllowed("Deze termijn is niet opgeschort.".into()));
    };
    if on < from {
        return Err(DeadlineError::NotAllowed("De hervatting kan niet vóór de opschorting liggen.".into()));
    }
    let mut spec = spec_of(&m).map_err(DeadlineError::NotAllowed)?;
    spec.resumed_on = Some(on);
    let mut am: entity::ActiveModel = m.into();
    am.resumed_on = Set(Some(on));
    am.status = Set(Status::Open.code().to_owned());
    decided(&mut am, tx, reason);
    let m = rewrite(tx, c, am, &spec).await?;
    tx.audit(Some(c.id), "termijn.hervat", json!({ "termijn": kind_label(&m.kind), "per": on, "uiterlijk": m.due_on }))
        .await?;
    Ok(m)
}

/// Closes a deadline as met, missed or cancelled.
pub async fn close(
    tx: &mut WriteTx,
    c: &case::Model,
    deadline_id: i32,
    status: Status,
    on: NaiveDate,
    reason: &str,
) -> Result<entity::Model, DeadlineError> {
    if !matches!(status, Status::Met | Status::Missed | Status::Cancelled) {
        return Err(DeadlineError::NotAllowed(
            "Een termijn wordt afgesloten als gehaald, verstreken of vervallen.".into(),
        ));
    }
    let m = load(tx, c, deadline_id).await?;
    if !status_of(&m).is_pending() {
        return Err(DeadlineError::NotAllowed("Deze termijn is al afgesloten.".into()));
    }
    let mut am: entity::ActiveModel = m.into();
    am.status = Set(status.code().to_owned());
    am.closed_on = Set(Some(on));
    decided(&mut am, tx, reason);
    am.updated_at = Set(Utc::now());
    let m = am.update(tx.conn()).await?;
    tx.audit(
        Some(c.id),
        "termijn.afgesloten",
        json!({ "termijn": kind_label(&m.kind), "status": status.label(), "op": on, "reden": reason }),
    )
    .await?;
    Ok(m)
}

/// Art 27: the chair marks a single term urgent (school holidays count for it) or lifts that.
pub async fn set_term_urgent(
    tx: &mut WriteTx,
    c: &case::Model,
    deadline_id: i32,
    urgent: bool,
    reason: &str,
) -> Result<entity::Model, DeadlineError> {
    let m = load(tx, c, deadline_id).await?;
    if !m.skip_school_holidays {
        return Err(DeadlineError::NotAllowed(
            "Voor deze termijn tellen schoolvakanties altijd mee; spoed verandert er niets aan.".into(),
        ));
    }
    if !status_of(&m).is_pending() {
        return Err(DeadlineError::NotAllowed("Deze termijn is al afgesloten.".into()));
    }
    if m.urgent == urgent {
        return Ok(m);
    }
    let mut spec = spec_of(&m).map_err(DeadlineError::NotAllowed)?;
    spec.rules.urgent = urgent;
    let old = m.due_on;
    let mut am: entity::ActiveModel = m.into();
    am.urgent = Set(urgent);
    decided(&mut am, tx, reason);
    let m = rewrite(tx, c, am, &spec).await?;
    tx.audit(
        Some(c.id),
        if urgent { "termijn.spoed" } else { "termijn.spoed_opgeheven" },
        json!({ "termijn": kind_label(&m.kind), "was": old, "wordt": m.due_on, "reden": reason }),
    )
    .await?;
    Ok(m)
}

/// Art 27: the chair marks a case urgent (school holidays count) or lifts it; the case's
/// running deadlines are recomputed.
pub async fn set_case_urgent(
    tx: &mut WriteTx,
    c: &case::Model,
    urgent: bool,
    reason: &str,
) -> Result<case::Model, DeadlineError> {
    if c.urgent == urgent {
        return Ok(c.clone());
    }
    let mut am: case::ActiveModel = c.clone().into();
    am.urgent = Set(urgent);
    am.updated_at = Set(Utc::now());
    let c = am.update(tx.conn()).await?;
    tx.audit(Some(c.id), if urgent { "zaak.spoed" } else { "zaak.spoed_opgeheven" }, json!({ "reden": reason }))
        .await?;
    let running = entity::Entity::find()
        .filter(entity::Column::CaseId.eq(c.id))
        .filter(entity::Column::Status.is_in(pending_codes()))
        .all(tx.conn())
        .await?;
    for m in running {
        let Ok(mut spec) = spec_of(&m) else { continue };
        // Terms that never skip holidays are not affected by urgency.
        if !m.skip_school_holidays {
            continue;
        }
        spec.rules.urgent = urgent;
        let old = m.due_on;
        let kind = m.kind.clone();
        let mut am: entity::ActiveModel = m.into();
        am.urgent = Set(urgent);
        let m = rewrite(tx, &c, am, &spec).await?;
        if m.due_on != old {
            tx.audit(
                Some(c.id),
                "termijn.herberekend",
                json!({ "termijn": kind_label(&kind), "was": old, "wordt": m.due_on, "reden": "spoed (art. 27)" }),
            )
            .await?;
        }
    }
    Ok(c)
}

fn pending_codes() -> Vec<&'static str> {
    Status::ALL.iter().filter(|s| s.is_pending()).map(|s| s.code()).collect()
}

fn kind_label(code: &str) -> String {
    DeadlineKind::parse(code).map_or_else(|| code.to_owned(), |k| k.label().to_owned())
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RecomputeReport {
    pub checked: usize,
    pub changed: usize,
}

#[derive(Debug, FromQueryResult)]
struct RunningRow {
    id: i32,
    case_id: i32,
    school_id: i32,
    kind: String,
    event_on: NaiveDate,
    term: String,
    backward: bool,
    skip_school_holidays: bool,
    urgent: bool,
    extension_term: Option<String>,
    suspended_on: Option<NaiveDate>,
    resumed_on: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
    explanation: String,
}

/// After a calendar change: recomputes the running deadlines of the given schools' cases (all
/// schools when `None`), writes the changed ones and audits each change on its case, in the
/// caller's transaction.
pub async fn recompute(tx: &mut WriteTx, schools: Option<&[i32]>, why: &str) -> Result<RecomputeReport, DbErr> {
    let backend = tx.conn().get_database_backend();
    let mut sql = "SELECT d.id, d.case_id, c.school_id, d.kind, d.event_on, d.term, d.backward, d.skip_school_holidays, d.urgent, \
                   d.extension_term, d.suspended_on, d.resumed_on, d.due_on, d.explanation \
                   FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE d.status IN ('open', 'extended')"
        .to_owned();
    let mut values: Vec<sea_orm::Value> = Vec::new();
    if let Some(ids) = schools {
        if ids.is_empty() {
            return Ok(RecomputeReport::default());
        }
        let params: Vec<String> = ids
            .iter()
            .map(|id| {
                values.push((*id).into());
                format!("${}", values.len())
            })
            .collect();
        sql.push_str(&format!(" AND c.school_id IN ({})", params.join(", ")));
    }
    sql.push_str(" ORDER BY d.id");
    let rows = RunningRow::find_by_statement(crate::db::stmt(backend, &sql, values)).all(tx.conn()).await?;
    let general = general_holidays(tx.conn()).await?;
    let calendars = school_calendars(tx.conn(), schools).await?;
    let mut report = RecomputeReport { checked: rows.len(), changed: 0 };
    let mut updates: Vec<(i32, Option<NaiveDate>, String)> = Vec::new();
    let mut moved: Vec<(Option<i32>, &str, serde_json::Value)> = Vec::new();
    for r in rows {
        let Some(cal) = calendars.get(&r.school_id) else { continue };
        let Ok(term) = Term::parse(&r.term) else { continue };
        let spec = Spec {
            event_on: r.event_on,
            term,
            rules: Rules {
                direction: if r.backward { Direction::Backward } else { Direction::Forward },
                skip_school_holidays: r.skip_school_holidays,
                urgent: r.urgent,
            },
            extension: r.extension_term.as_deref().and_then(|t| Term::parse(t).ok()),
            suspended_on: r.suspended_on,
            resumed_on: r.resumed_on,
        };
        let (due_on, explanation) = evaluate(&spec, Calendars { general: &general, school: Some(cal) });
        let explanation = to_json(&explanation);
        if due_on == r.due_on && explanation == r.explanation {
            continue;
        }
        if due_on != r.due_on {
            moved.push((
                Some(r.case_id),
                "termijn.herberekend",
                json!({ "termijn": kind_label(&r.kind), "was": r.due_on, "wordt": due_on, "reden": why }),
            ));
        }
        updates.push((r.id, due_on, explanation));
    }
    report.changed = updates.len();
    write_due_dates(tx, &updates).await?;
    tx.audit_many(moved).await?;
    Ok(report)
}

/// Writes new due dates and explanations, a few hundred rows per statement.
async fn write_due_dates(tx: &WriteTx, updates: &[(i32, Option<NaiveDate>, String)]) -> Result<(), DbErr> {
    let backend = tx.conn().get_database_backend();
    let now = Utc::now();
    for chunk in updates.chunks(300) {
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(chunk.len() * 5 + 1);
        let mut param = |v: sea_orm::Value| {
            values.push(v);
            format!("${}", values.len())
        };
        let mut due = String::from("CASE id");
        let mut expl = String::from("CASE id");
        let mut ids = Vec::with_capacity(chunk.len());
        for (id, due_on, explanation) in chunk {
            due.push_str(&format!(" WHEN {} THEN {}", param((*id).into()), param((*due_on).into())));
            expl.push_str(&format!(" WHEN {} THEN {}", param((*id).into()), param(explanation.clone().into())));
        }
        for (id, _, _) in chunk {
            ids.push(param((*id).into()));
        }
        let at = param(now.into());
        let sql = format!(
            "UPDATE deadlines SET due_on = {due} END, explanation = {expl} END, updated_at = {at} WHERE id IN ({})",
            ids.join(", ")
        );
        tx.conn().execute_raw(crate::db::stmt(backend, &sql, values)).await?;
    }
    Ok(())
}

/// The schools whose calendar follows a region (for a change of that region's calendar).
pub async fn schools_in_region(db: &impl ConnectionTrait, region: Region) -> Result<Vec<i32>, DbErr> {
    Ok(school::Entity::find()
        .filter(school::Column::Region.eq(region.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}

/// A case's deadlines, running ones first by due date, for the case page.
pub async fn for_case(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<entity::Model>, DbErr> {
    let mut all = entity::Entity::find()
        .filter(entity::Column::CaseId.eq(case_id))
        .order_by_asc(entity::Column::Id)
        .all(db)
        .await?;
    all.sort_by_key(|d| (!status_of(d).is_pending(), d.due_on.is_none(), d.due_on, d.id));
    Ok(all)
}

/// A running deadline for the overview.
#[derive(Debug, Clone, FromQueryResult)]
pub struct OverviewRow {
    pub id: i32,
    pub kind: String,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub event_on: NaiveDate,
    pub zaaknummer: String,
    pub subject: String,
    pub urgent: bool,
}

/// The most running deadlines the overview lists; beyond it the page says how many more.
pub const OVERVIEW_LIMIT: u64 = 500;

/// Running deadlines of the cases the viewer may see: those that could not be computed first,
/// then by due date. One query for the rows, one for the count of all running ones.
///
/// The rows come from three arms, each walking the `(status, due_on)` index in order and
/// stopping at the limit: one `status IN (..)` ordered by due date would merge two index ranges
/// and sort every running deadline before taking the first few (30 ms with 13,000 running
/// deadlines on SQLite, against 5 ms this way). The count skips the join to cases when the
/// viewer sees everything.
pub async fn overview(
    db: &impl ConnectionTrait,
    scope: crate::domain::access::CaseScope,
) -> Result<(Vec<OverviewRow>, u64), DbErr> {
    use crate::cases::search::{Sql, scope_condition};
    let backend = db.get_database_backend();
    let mut count = Sql::new(match scope {
        crate::domain::access::CaseScope::All => {
            "SELECT COUNT(*) FROM deadlines d WHERE d.status IN ('open', 'extended')"
        }
        _ => "SELECT COUNT(*) FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE d.status IN ('open', 'extended')",
    });
    if let Some(cond) = scope_condition(&mut count, scope) {
        count.text.push_str(&format!(" AND {cond}"));
    }
    let total = count.count(db).await?;
    // Placeholders become positional `?` on SQLite, so each use of the limit is its own.
    let mut sql = Sql::new("");
    let arms = [
        ("undated", 0, "d.status IN ('open', 'extended') AND d.due_on IS NULL"),
        ("running", 1, "d.status = 'open' AND d.due_on IS NOT NULL"),
        ("extended", 1, "d.status = 'extended' AND d.due_on IS NOT NULL"),
    ];
    let mut parts = Vec::new();
    for (name, dated, cond) in arms {
        let mut arm = format!(
            "SELECT * FROM (SELECT d.id, d.kind, d.due_on, d.status, d.event_on, c.zaaknummer, c.subject, c.urgent, \
             {dated} AS dated FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE {cond}"
        );
        if let Some(scoped) = scope_condition(&mut sql, scope) {
            arm.push_str(&format!(" AND {scoped}"));
        }
        let limit = sql.param(OVERVIEW_LIMIT as i64);
        arm.push_str(&format!(" ORDER BY d.due_on, d.id LIMIT {limit}) AS {name}"));
        parts.push(arm);
    }
    let limit = sql.param(OVERVIEW_LIMIT as i64);
    sql.text = format!("{} ORDER BY dated, due_on, id LIMIT {limit}", parts.join(" UNION ALL "));
    let rows = OverviewRow::find_by_statement(crate::db::stmt(backend, &sql.text, sql.values)).all(db).await?;
    Ok((rows, total))
}

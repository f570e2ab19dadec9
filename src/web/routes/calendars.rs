//! The holiday calendars (`/beheer/vakanties`, `/beheer/feestdagen`, and per school
//! `/beheer/scholen/{school_id}/vakanties`): the region calendars, the Atw decreed days, and a
//! school's own deviations and imports. Administrators only. After a change the page says how
//! many running deadlines were recomputed.

use crate::calendars::{self, NewRegionPeriod, NewSchoolPeriod};
use crate::domain::access::Action;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::Ctx,
    form::{FieldErrors, Form, MultipartForm},
    registry::{Access, Routes},
    views::{self, calendars::Saved},
};
use axum::{
    extract::{FromRequest, Path, RawQuery, Request, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use maud::Markup;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    let admin = Access::Action(Action::Administer);
    r.get("/beheer/vakanties", admin, regions_page)
        .post("/beheer/vakanties", admin, add_region_period)
        .post("/beheer/vakanties/{period_id}/verwijderen", admin, delete_region_period)
        .post("/beheer/feestdagen", admin, add_decreed_day)
        .post("/beheer/feestdagen/{day}/verwijderen", admin, delete_decreed_day)
        .get("/beheer/scholen/{school_id}/vakanties", admin, school_page)
        .post("/beheer/scholen/{school_id}/vakanties", admin, add_school_period)
        .post("/beheer/scholen/{school_id}/vakanties/import", admin, import_school_calendar)
        .post("/beheer/scholen/{school_id}/vakanties/{period_id}/verwijderen", admin, delete_school_period)
}

/// A region's holiday as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RegionForm {
    pub region: String,
    pub school_year: String,
    pub kind: String,
    pub name: String,
    pub start_on: String,
    pub end_on: String,
}

/// A decreed day as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecreeForm {
    pub day: String,
    pub description: String,
}

/// A school's own period as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SchoolPeriodForm {
    pub kind: String,
    pub name: String,
    pub start_on: String,
    pub end_on: String,
}

const REGIONS_PATH: &str = "/beheer/vakanties";

fn school_path(school_id: i32) -> String {
    format!("/beheer/scholen/{school_id}/vakanties")
}

/// An id from the path; anything that is not one names nothing.
fn id(text: &str) -> AppResult<i32> {
    text.parse().map_err(|_| AppError::NotFound)
}

/// What the redirect after a change carries: `herberekend=N` (and `geimporteerd=M` after an
/// import). Anything unreadable is ignored; without `herberekend` there is nothing to say.
pub fn saved_from_query(query: Option<&str>) -> Option<Saved> {
    let mut recomputed = None;
    let mut imported = None;
    for pair in query.unwrap_or_default().split('&') {
        let Some((key, value)) = pair.split_once('=') else { continue };
        let number = value.parse::<usize>().ok().filter(|n| *n <= 1_000_000);
        match key {
            "herberekend" => recomputed = recomputed.or(number),
            "geimporteerd" => imported = imported.or(number),
            _ => {}
        }
    }
    recomputed.map(|recomputed| Saved { recomputed, imported })
}

fn saved_redirect(path: &str, recomputed: usize, imported: Option<usize>) -> Response {
    let extra = imported.map(|n| format!("&geimporteerd={n}")).unwrap_or_default();
    Redirect::to(&format!("{path}?herberekend={recomputed}{extra}")).into_response()
}

// ---- Region calendars and decreed days ----

async fn render_regions(
    state: &AppState,
    ctx: &Ctx,
    region_form: &RegionForm,
    decree_form: &DecreeForm,
    errors: &FieldErrors,
    saved: Option<Saved>,
) -> AppResult<Markup> {
    let years = calendars::region_calendars(&state.db).await?;
    let days = calendars::decreed_days(&state.db).await?;
    Ok(views::calendars::regions(ctx, &years, &days, region_form, decree_form, errors, saved))
}

async fn regions_page(State(state): State<AppState>, ctx: Ctx, RawQuery(query): RawQuery) -> AppResult<Markup> {
    ctx.require(Action::Administer)?;
    let saved = saved_from_query(query.as_deref());
    render_regions(&state, &ctx, &RegionForm::default(), &DecreeForm::default(), &FieldErrors::default(), saved).await
}

/// The body is read only after the role check, so a refused user gets 403, not a form error.
async fn add_region_period(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let Form(form) = Form::<RegionForm>::from_request(req, &state).await?;
    let input = NewRegionPeriod {
        region: form.region.clone(),
        school_year: form.school_year.clone(),
        kind: form.kind.clone(),
        name: form.name.clone(),
        start_on: form.start_on.clone(),
        end_on: form.end_on.clone(),
    };
    match calendars::add_region_period(&state.db, ctx.user.actor(), input).await? {
        Ok(report) => Ok(saved_redirect(REGIONS_PATH, report.changed, None)),
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_regions(&state, &ctx, &form, &DecreeForm::default(), &errors, None).await?,
        )
            .into_response()),
    }
}

async fn delete_region_period(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(period_id): Path<String>,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let period_id = id(&period_id)?;
    let report =
        calendars::delete_region_period(&state.db, ctx.user.actor(), period_id).await?.ok_or(AppError::NotFound)?;
    Ok(saved_redirect(REGIONS_PATH, report.changed, None))
}

async fn add_decreed_day(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let Form(form) = Form::<DecreeForm>::from_request(req, &state).await?;
    match calendars::add_decreed_day(&state.db, ctx.user.actor(), &form.day, &form.description).await? {
        Ok(report) => Ok(saved_redirect(REGIONS_PATH, report.changed, None)),
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_regions(&state, &ctx, &RegionForm::default(), &form, &errors, None).await?,
        )
            .into_response()),
    }
}

async fn delete_decreed_day(State(state): State<AppState>, ctx: Ctx, Path(day): Path<String>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    let report = calendars::delete_decreed_day(&state.db, ctx.user.actor(), day).await?.ok_or(AppError::NotFound)?;
    Ok(saved_redirect(REGIONS_PATH, report.changed, None))
}

// ---- A school's calendar ----

async fn render_school(
    state: &AppState,
    ctx: &Ctx,
    school_id: i32,
    form: &SchoolPeriodForm,
    errors: &FieldErrors,
    saved: Option<Saved>,
) -> AppResult<Markup> {
    let view = calendars::school_calendar_view(&state.db, school_id).await?.ok_or(AppError::NotFound)?;
    Ok(views::calendars::school(ctx, &view, form, errors, saved))
}

async fn school_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(school_id): Path<String>,
    RawQuery(query): RawQuery,
) -> AppResult<Markup> {
    ctx.require(Action::Administer)?;
    let school_id = id(&school_id)?;
    let saved = saved_from_query(query.as_deref());
    render_school(&state, &ctx, school_id, &SchoolPeriodForm::default(), &FieldErrors::default(), saved).await
}

async fn add_school_period(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(school_id): Path<String>,
    req: Request,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let school_id = id(&school_id)?;
    let Form(form) = Form::<SchoolPeriodForm>::from_request(req, &state).await?;
    let input = NewSchoolPeriod {
        kind: form.kind.clone(),
        name: form.name.clone(),
        start_on: form.start_on.clone(),
        end_on: form.end_on.clone(),
    };
    match calendars::add_school_period(&state.db, ctx.user.actor(), school_id, input).await? {
        Ok(report) => Ok(saved_redirect(&school_path(school_id), report.changed, None)),
        Err(errors) if errors.contains("school_id") => Err(AppError::NotFound),
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_school(&state, &ctx, school_id, &form, &errors, None).await?)
                .into_response())
        }
    }
}

async fn import_school_calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(school_id): Path<String>,
    req: Request,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let school_id = id(&school_id)?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let (file_name, content) = match mp.files.iter().find(|f| f.field == "file") {
        Some(f) => (f.file_name.clone(), calendars::upload_text(&f.bytes)),
        None => (String::new(), String::new()),
    };
    match calendars::import_school_calendar(&state.db, ctx.user.actor(), school_id, &file_name, &content).await? {
        Ok(report) => Ok(saved_redirect(&school_path(school_id), report.recompute.changed, Some(report.imported))),
        Err(errors) if errors.contains("school_id") => Err(AppError::NotFound),
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_school(&state, &ctx, school_id, &SchoolPeriodForm::default(), &errors, None).await?,
        )
            .into_response()),
    }
}

async fn delete_school_period(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((school_id, period_id)): Path<(String, String)>,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let (school_id, period_id) = (id(&school_id)?, id(&period_id)?);
    let report = calendars::delete_school_period(&state.db, ctx.user.actor(), school_id, period_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(saved_redirect(&school_path(school_id), report.changed, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redirect_query_is_read_leniently() {
        let s = saved_from_query(Some("herberekend=3")).unwrap();
        assert_eq!((s.recomputed, s.imported), (3, None));
        let s = saved_from_query(Some("geimporteerd=12&herberekend=0")).unwrap();
        assert_eq!((s.recomputed, s.imported), (0, Some(12)));
        let s = saved_from_query(Some("herberekend=2&geimporteerd=x")).unwrap();
        assert_eq!((s.recomputed, s.imported), (2, None));
        for garbage in [
            None,
            Some(""),
            Some("herberekend="),
            Some("herberekend=-1"),
            Some("herberekend=abc"),
            Some("herberekend=%33"),
            Some("x=1"),
        ] {
            assert!(saved_from_query(garbage).is_none(), "{garbage:?}");
        }
    }
}

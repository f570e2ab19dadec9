//! The annual report (`/rapportage/jaarverslag`, Art 9.4): the figures of a calendar year as a
//! page with charts, as CSV and as PDF. For the secretariat, the beheerder and the chairs.

use crate::domain::access::Action;
use crate::domain::annual_report::Period;
use crate::reports;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::Ctx,
    registry::{Access, Routes},
    views,
};
use axum::{
    extract::{Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::Datelike;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/rapportage/jaarverslag", Access::Action(Action::ViewCommission), page)
        .get("/rapportage/jaarverslag.csv", Access::Action(Action::ViewCommission), csv)
        .get("/rapportage/jaarverslag.pdf", Access::Action(Action::ViewCommission), pdf)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    pub jaar: String,
}

/// The year asked for; without one, the current year.
fn year(q: &YearQuery) -> AppResult<i32> {
    if q.jaar.trim().is_empty() {
        return Ok(crate::admin::today().year());
    }
    match q.jaar.trim().parse::<i32>() {
        Ok(y) if (1990..=2200).contains(&y) => Ok(y),
        _ => Err(AppError::BadRequest(format!("geen jaar: {}", q.jaar))),
    }
}

async fn load(state: &AppState, q: &YearQuery) -> AppResult<(i32, crate::domain::annual_report::Report)> {
    let y = year(q)?;
    let period = Period::year(y).ok_or(AppError::NotFound)?;
    Ok((y, reports::report(&state.db, period).await?))
}

async fn page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<YearQuery>) -> AppResult<Response> {
    ctx.require(Action::ViewCommission)?;
    let (y, report) = load(&state, &q).await?;
    Ok(views::reports::page(&ctx, y, &report).into_response())
}

fn download(body: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(header::CONTENT_DISPOSITION, super::cases::content_disposition(file_name));
    resp
}

async fn csv(State(state): State<AppState>, ctx: Ctx, Query(q): Query<YearQuery>) -> AppResult<Response> {
    ctx.require(Action::ViewCommission)?;
    let (y, report) = load(&state, &q).await?;
    Ok(download(reports::csv(&report).into_bytes(), "text/csv; charset=utf-8", &format!("jaarverslag-{y}.csv")))
}

async fn pdf(State(state): State<AppState>, ctx: Ctx, Query(q): Query<YearQuery>) -> AppResult<Response> {
    ctx.require(Action::ViewCommission)?;
    let (y, report) = load(&state, &q).await?;
    let head = crate::letters::letterhead::load(&state.db).await?;
    let layout = crate::pdf::ReportLayout {
        head: head.layout(),
        title: format!("Jaarverslag {y}"),
        period: reports::period_label(&report.period),
        intro: views::reports::INTRO.to_owned(),
        sections: reports::sections(&report),
    };
    let bytes = tokio::task::spawn_blocking(move || crate::pdf::render_report(&layout))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))?;
    Ok(download(bytes, "application/pdf", &format!("jaarverslag-{y}.pdf")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_is_checked() {
        assert_eq!(year(&YearQuery { jaar: "2026".into() }).unwrap(), 2026);
        assert!(year(&YearQuery { jaar: "twintig".into() }).is_err());
        assert!(year(&YearQuery { jaar: "99999".into() }).is_err());
        assert!(year(&YearQuery::default()).is_ok());
    }
}

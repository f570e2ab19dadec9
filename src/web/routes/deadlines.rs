//! The deadlines overview (`/termijnen`) and the decisions on a case's terms: extension,
//! suspension and resumption, closing, and the Art 27 urgency of the case.

use crate::audit::WriteTx;
use crate::deadlines::{self, DeadlineError};
use crate::domain::access::{Action, case_scope};
use crate::domain::deadline::Status;
use crate::domain::termijn::Term;
use crate::domain::validate;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::{CaseCtx, Ctx},
    form::{FieldErrors, Form},
    registry::{Access, Routes},
    routes::cases::case_page_with_errors,
    views,
};
use axum::{
    extract::{FromRequest, Path, Request, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::Markup;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    let decide = Access::Action(Action::DecideTerms);
    r.get("/termijnen", Access::SignedIn, overview)
        .post("/zaken/{zaaknummer}/termijnen/{deadline_id}/verlengen", decide, extend)
        .post("/zaken/{zaaknummer}/termijnen/{deadline_id}/opschorten", decide, suspend)
        .post("/zaken/{zaaknummer}/termijnen/{deadline_id}/hervatten", decide, resume)
        .post("/zaken/{zaaknummer}/termijnen/{deadline_id}/afsluiten", decide, close)
        .post("/zaken/{zaaknummer}/termijnen/{deadline_id}/spoed", decide, term_urgency)
        .post("/zaken/{zaaknummer}/spoed", decide, urgency)
}

async fn overview(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    let (rows, total) = deadlines::overview(&state.db, case_scope(&ctx.user.viewer())).await?;
    Ok(views::deadlines::overview(&ctx, &rows, total))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    term: String,
    date: String,
    reason: String,
    status: String,
}

/// Reads the decision form after the role check, so a refused user gets 403.
async fn decision(state: &AppState, cc: &CaseCtx, req: Request) -> AppResult<DecisionForm> {
    cc.ctx.require(Action::DecideTerms)?;
    let Form(f) = Form::<DecisionForm>::from_request(req, state).await?;
    Ok(f)
}

/// Runs a decision in one transaction; a refusal re-renders the case page with the message
/// next to that deadline's forms.
async fn apply<F>(state: &AppState, cc: CaseCtx, id: i32, mut errors: FieldErrors, run: F) -> AppResult<Response>
where
    F: AsyncFnOnce(&mut WriteTx) -> Result<(), DeadlineError>,
{
    if errors.is_empty() {
        let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
        match run(&mut tx).await {
            Ok(()) => {
                tx.commit().await?;
                return Ok(Redirect::to(&format!("/zaken/{}#termijnen", cc.case.zaaknummer)).into_response());
            }
            Err(DeadlineError::Db(e)) => return Err(e.into()),
            Err(DeadlineError::NotFound) => return Err(AppError::NotFound),
            Err(other) => errors.add(&format!("t{id}_reason"), other.to_string()),
        }
    }
    case_page_with_errors(state, cc, errors, None).await
}

fn reason(errors: &mut FieldErrors, id: i32, f: &DecisionForm) -> String {
    errors
        .check(
            &format!("t{id}_reason"),
            validate::required(&f.reason, 500).map_err(|_| "Leg vast waarom (verplicht, ten hoogste 500 tekens)."),
        )
        .unwrap_or_default()
}

fn date(errors: &mut FieldErrors, id: i32, f: &DecisionForm) -> chrono::NaiveDate {
    errors.check(&format!("t{id}_date"), validate::date(&f.date)).unwrap_or_default()
}

async fn extend(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    let f = decision(&state, &cc, req).await?;
    let mut errors = FieldErrors::default();
    let term = errors.check(&format!("t{id}_term"), Term::parse(&f.term));
    let why = reason(&mut errors, id, &f);
    let case = cc.case.clone();
    apply(&state, cc, id, errors, async move |tx: &mut WriteTx| {
        deadlines::extend(tx, &case, id, term.expect("validated"), &why).await.map(|_| ())
    })
    .await
}

async fn suspend(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    dated(&state, cc, id, req, Dated::Suspend).await
}

async fn resume(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    dated(&state, cc, id, req, Dated::Resume).await
}

/// The two decisions that take a date and a reason and stop or restart the clock (rule 9).
enum Dated {
    Suspend,
    Resume,
}

async fn dated(state: &AppState, cc: CaseCtx, id: i32, req: Request, what: Dated) -> AppResult<Response> {
    let f = decision(state, &cc, req).await?;
    let mut errors = FieldErrors::default();
    let on = date(&mut errors, id, &f);
    let why = reason(&mut errors, id, &f);
    let case = cc.case.clone();
    apply(state, cc, id, errors, async move |tx: &mut WriteTx| {
        match what {
            Dated::Suspend => deadlines::suspend(tx, &case, id, on, &why).await,
            Dated::Resume => deadlines::resume(tx, &case, id, on, &why).await,
        }
        .map(|_| ())
    })
    .await
}

async fn close(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    let f = decision(&state, &cc, req).await?;
    let mut errors = FieldErrors::default();
    let on = date(&mut errors, id, &f);
    let why = reason(&mut errors, id, &f);
    let status = Status::parse(&f.status).ok_or_else(|| AppError::BadRequest("onbekende afsluiting".into()))?;
    let case = cc.case.clone();
    apply(&state, cc, id, errors, async move |tx: &mut WriteTx| {
        deadlines::close(tx, &case, id, status, on, &why).await.map(|_| ())
    })
    .await
}

async fn term_urgency(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    let f = decision(&state, &cc, req).await?;
    let urgent = crate::web::form::yes_no(&f.status, "spoed")?;
    let mut errors = FieldErrors::default();
    let why = reason(&mut errors, id, &f);
    let case = cc.case.clone();
    apply(&state, cc, id, errors, async move |tx: &mut WriteTx| {
        deadlines::set_term_urgent(tx, &case, id, urgent, &why).await.map(|_| ())
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UrgencyForm {
    urgent: String,
    spoed_reason: String,
}

async fn urgency(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let Form(f) = Form::<UrgencyForm>::from_request(req, &state).await?;
    let urgent = crate::web::form::yes_no(&f.urgent, "spoed")?;
    let mut errors = FieldErrors::default();
    let why = errors
        .check(
            "spoed_reason",
            validate::required(&f.spoed_reason, 500)
                .map_err(|_| "Leg vast waarom (verplicht, ten hoogste 500 tekens)."),
        )
        .unwrap_or_default();
    if !errors.is_empty() {
        return case_page_with_errors(&state, cc, errors, None).await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    deadlines::set_case_urgent(&mut tx, &cc.case, urgent, &why).await.map_err(|e| match e {
        DeadlineError::Db(db) => AppError::Db(db),
        other => AppError::BadRequest(other.to_string()),
    })?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/zaken/{}#termijnen", cc.case.zaaknummer)).into_response())
}

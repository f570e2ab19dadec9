//! The retention policy (`/beheer/bewaartermijn`, the beheerder): the term, the dry run of what
//! is due, and the purge itself after an explicit confirmation.

use crate::domain::access::Action;
use crate::retention;
use crate::web::{
    AppState,
    error::AppResult,
    extract::Ctx,
    form::FieldErrors,
    registry::{Access, Routes},
    views,
};
// Our Form: a malformed or NUL-carrying body gets the Dutch error page.
use crate::web::form::Form;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use maud::Markup;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/beheer/bewaartermijn", Access::Action(Action::Administer), page)
        .post("/beheer/bewaartermijn", Access::Action(Action::Administer), set_years)
        .post("/beheer/bewaartermijn/vernietigen", Access::Action(Action::Administer), purge)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct YearsForm {
    pub years: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PurgeForm {
    /// `ja` when the beheerder ticked the confirmation.
    pub confirm: String,
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    years_input: Option<&str>,
    errors: &FieldErrors,
    done: Option<&retention::Summary>,
) -> AppResult<Markup> {
    let today = crate::admin::today();
    let years = retention::years(&state.db).await?;
    let due = retention::due(&state.db, today).await?;
    let purged = retention::purged_counts(&state.db).await?;
    let input = years_input.map(str::to_owned).unwrap_or_else(|| years.to_string());
    Ok(views::retention::page(ctx, years, &input, &due, purged, errors, done))
}

async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::Administer)?;
    render(&state, &ctx, None, &FieldErrors::default(), None).await
}

async fn set_years(State(state): State<AppState>, ctx: Ctx, Form(f): Form<YearsForm>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    match retention::set_years(&state.db, ctx.user.actor(), &f.years).await? {
        Ok(_) => Ok(Redirect::to("/beheer/bewaartermijn").into_response()),
        Err(msg) => {
            let mut errors = FieldErrors::default();
            errors.add("years", &msg);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&state, &ctx, Some(&f.years), &errors, None).await?)
                .into_response())
        }
    }
}

async fn purge(State(state): State<AppState>, ctx: Ctx, Form(f): Form<PurgeForm>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    if f.confirm != "ja" {
        let mut errors = FieldErrors::default();
        errors.add(
            "confirm",
            "Bevestig dat deze dossiers vernietigd mogen worden; dit kan niet ongedaan worden gemaakt.",
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&state, &ctx, None, &errors, None).await?).into_response());
    }
    let summary = retention::purge_due(&state.db, ctx.user.actor(), crate::admin::today()).await?;
    Ok(render(&state, &ctx, None, &FieldErrors::default(), Some(&summary)).await?.into_response())
}

//! The start page, per role: what needs attention and the most recent cases one may see.

use crate::cases::search;
use crate::domain::access::case_scope;
use crate::web::{
    AppState,
    error::AppResult,
    extract::Ctx,
    registry::{Access, Routes},
    views,
};
use axum::extract::State;
use maud::Markup;

pub fn routes(r: Routes) -> Routes {
    r.get("/", Access::SignedIn, home)
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    let scope = case_scope(&ctx.user.viewer());
    let counts = search::status_counts(&state.db, scope).await?;
    let recent = search::page(&state.db, scope, &search::Filter { page: 1, ..Default::default() }).await?;
    Ok(views::home::page(&ctx, &counts, &recent.rows))
}

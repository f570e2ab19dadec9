//! The user's own pages: account with notification choices, and the notifications list
//! (board users get a notice for every letter the commission sends their board).

use crate::audit::WriteTx;
use crate::domain::access::Role;
use crate::entities::user;
use crate::notifications;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::Ctx,
    form::Form,
    registry::{Access, Routes},
    views,
};
use axum::{
    extract::{FromRequest, Path, Query, Request, State},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::EntityTrait;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/account", Access::SignedIn, account_page)
        .post("/account/meldingen", Access::SignedIn, save_preferences)
        .get("/meldingen", Access::SignedIn, notifications_page)
        .get("/meldingen/{notification_id}", Access::SignedIn, open_notification)
        .post("/meldingen/gelezen", Access::SignedIn, mark_all_read)
}

async fn account_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let u = user::Entity::find_by_id(ctx.user.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(views::account::account(&ctx, &u, false).into_response())
}

/// Which choices a role has: the digest for the secretary and chairs, notice e-mails for
/// board users.
pub fn offers_digest(role: Role) -> bool {
    matches!(role, Role::Secretaris | Role::Voorzitter)
}

async fn save_preferences(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let checked = |name: &str| pairs.iter().any(|(k, v)| k == name && v == "ja");
    let u = user::Entity::find_by_id(ctx.user.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    // A choice the role does not offer keeps its value.
    let digest = if offers_digest(ctx.user.role) { checked("overzicht") } else { u.digest_enabled };
    let by_email = if ctx.user.role == Role::Bestuur { checked("email") } else { u.notify_by_email };
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    notifications::set_preferences(&mut tx, ctx.user.id, digest, by_email).await?;
    tx.commit().await?;
    let u = user::Entity::find_by_id(ctx.user.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(views::account::account(&ctx, &u, true).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    pub page: String,
}

async fn notifications_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let page = q.page.parse::<u64>().unwrap_or(1).max(1);
    let (items, total) = notifications::list(&state.db, ctx.user.id, page).await?;
    let unread = notifications::unread_count(&state.db, ctx.user.id).await?;
    Ok(views::account::notifications(&ctx, &items, total, unread, page).into_response())
}

/// Opens a notification: marks it read and goes to the letters of its case.
async fn open_notification(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let n = crate::entities::notification::Entity::find_by_id(id).one(&state.db).await?;
    let Some(n) = n.filter(|n| n.user_id == ctx.user.id) else { return Err(AppError::NotFound) };
    notifications::mark_read(&state.db, ctx.user.id, Some(n.id)).await?;
    let target = match n.case_id {
        Some(cid) => match crate::entities::case::Entity::find_by_id(cid).one(&state.db).await? {
            Some(c) => format!("/zaken/{}#brieven", c.zaaknummer),
            None => "/meldingen".to_owned(),
        },
        None => "/meldingen".to_owned(),
    };
    Ok(Redirect::to(&target).into_response())
}

async fn mark_all_read(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    notifications::mark_read(&state.db, ctx.user.id, None).await?;
    Ok(Redirect::to("/meldingen").into_response())
}

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
        .post("/account/verhinderd", Access::SignedIn, add_unavailable)
        .post("/account/verhinderd/{unavailability_id}/verwijderen", Access::SignedIn, remove_unavailable)
        .post("/account/agenda/vernieuwen", Access::SignedIn, renew_feed)
        .get("/agenda/{token}", Access::Public, feed)
}

/// What a commission member's account page adds: the calendar feed URL and their own
/// unavailable periods.
async fn member_part(state: &AppState, ctx: &Ctx) -> AppResult<Option<views::account::MemberPart>> {
    let Some(member_id) = ctx.user.member_id else { return Ok(None) };
    let Some(m) = crate::entities::member::Entity::find_by_id(member_id).one(&state.db).await? else {
        return Ok(None);
    };
    let feed_url =
        format!("{}/agenda/{}", state.config.base_url(), crate::agenda::token(&state.config.session_key, &m));
    let unavailable = crate::cases::hearings::member_unavailability(&state.db, m.id).await?;
    Ok(Some(views::account::MemberPart { feed_url, unavailable }))
}

async fn render_account(
    state: &AppState,
    ctx: &Ctx,
    saved: bool,
    errors: crate::web::form::FieldErrors,
    input: Vec<(String, String)>,
) -> AppResult<Response> {
    let u = user::Entity::find_by_id(ctx.user.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let member = member_part(state, ctx).await?;
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, views::account::account(ctx, &u, saved, member.as_ref(), &errors, &input)).into_response())
}

/// A member records a period they cannot attend a hearing; the planning shows it.
async fn add_unavailable(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    let Some(member_id) = ctx.user.member_id else { return Err(AppError::Forbidden) };
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let get = |n: &str| pairs.iter().find(|(k, _)| k == n).map_or("", |(_, v)| v.as_str()).trim().to_owned();
    let mut errors = crate::web::form::FieldErrors::default();
    let from = errors.check("verhinderd", crate::domain::validate::date(&get("van")));
    let to = if get("tot").is_empty() {
        from
    } else {
        errors.check("verhinderd", crate::domain::validate::date(&get("tot")))
    };
    if get("notitie").chars().count() > 200 {
        errors.add("verhinderd", "De toelichting is te lang (ten hoogste 200 tekens).");
    }
    let (Some(from), Some(to), true) = (from, to, errors.is_empty()) else {
        return render_account(&state, &ctx, false, errors, pairs).await;
    };
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    let owner = crate::cases::hearings::Owner::Member(member_id);
    match crate::cases::hearings::add_unavailability(&mut tx, None, owner, from, to, &get("notitie")).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to("/account#verhinderd").into_response())
        }
        Err(crate::cases::CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            errors.add("verhinderd", e.to_string());
            render_account(&state, &ctx, false, errors, pairs).await
        }
    }
}

async fn remove_unavailable(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let Some(member_id) = ctx.user.member_id else { return Err(AppError::NotFound) };
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    let owner = crate::cases::hearings::Owner::Member(member_id);
    if !crate::cases::hearings::remove_unavailability(&mut tx, None, owner, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(Redirect::to("/account#verhinderd").into_response())
}

/// Revokes the member's calendar feed URL and shows the new one.
async fn renew_feed(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let Some(member_id) = ctx.user.member_id else { return Err(AppError::Forbidden) };
    let m = crate::entities::member::Entity::find_by_id(member_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    crate::agenda::renew(&mut tx, &m).await?;
    tx.commit().await?;
    Ok(Redirect::to("/account#agenda").into_response())
}

/// The calendar feed: no login, the signed token is the key; 404 for anything else.
async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    match crate::agenda::feed(&state.db, &state.config.session_key, token).await? {
        Some(ics) => Ok((
            [
                (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (axum::http::header::CACHE_CONTROL, "private, max-age=300"),
            ],
            ics,
        )
            .into_response()),
        None => Err(AppError::NotFound),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    opgeslagen: Option<String>,
}

async fn account_page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<SavedQuery>) -> AppResult<Response> {
    render_account(&state, &ctx, q.opgeslagen.is_some(), Default::default(), vec![]).await
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
    // Post/redirect/get: reloading the page does not save (and audit) the choice again.
    Ok(Redirect::to("/account?opgeslagen=1").into_response())
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

//! The board's link with its own systems (`/koppeling`): API tokens (created, shown once,
//! revoked), the webhook URL and its secret, and the recent deliveries. Board users only,
//! each for their own board.

use crate::api::tokens;
use crate::audit::WriteTx;
use crate::domain::access::Action;
use crate::domain::api::{self, Scope};
use crate::entities::board;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::Ctx,
    form::{FieldErrors, Form},
    registry::{Access, Routes},
    views::{
        self,
        integration::{NewToken, TokenForm},
    },
};
use axum::{
    extract::{FromRequest, Path, Request, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use sea_orm::EntityTrait;

pub fn routes(r: Routes) -> Routes {
    let board = Access::Action(Action::ManageIntegration);
    r.get("/koppeling", board, page)
        .post("/koppeling/tokens", board, create_token)
        .post("/koppeling/tokens/{token_id}/intrekken", board, revoke_token)
        .post("/koppeling/webhook", board, set_webhook)
        .post("/koppeling/webhook/verwijderen", board, clear_webhook)
        .post("/koppeling/webhook/geheim", board, renew_secret)
        .post("/koppeling/meldingen/{delivery_id}/opnieuw", board, retry_delivery)
}

/// How many recent deliveries the page lists.
const RECENT: u64 = 25;

/// The signed-in board user's board; 403 for everyone else.
fn board_of(ctx: &Ctx) -> AppResult<i32> {
    ctx.require(Action::ManageIntegration)?;
    // A school's contactpersoon does not speak for the whole board.
    if !crate::domain::access::speaks_for_board(&ctx.user.viewer()) {
        return Err(AppError::Forbidden);
    }
    ctx.user.board_id.ok_or(AppError::Forbidden)
}

/// What the page shows besides the stored state: a token just made, the forms as typed.
#[derive(Default)]
struct Shown {
    new_token: Option<NewToken>,
    token_form: TokenForm,
    token_errors: FieldErrors,
    webhook_input: Option<String>,
    webhook_errors: FieldErrors,
}

async fn render(state: &AppState, ctx: &Ctx, board_id: i32, shown: Shown, status: StatusCode) -> AppResult<Response> {
    let b = board::Entity::find_by_id(board_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let list = tokens::list(&state.db, board_id).await?;
    let deliveries = crate::webhooks::recent(&state.db, board_id, RECENT).await?;
    let page = views::integration::Page {
        board: &b,
        tokens: &list,
        deliveries: &deliveries,
        new_token: shown.new_token.as_ref(),
        token_form: &shown.token_form,
        token_errors: &shown.token_errors,
        webhook_input: shown.webhook_input.as_deref().or(b.webhook_url.as_deref()).unwrap_or(""),
        webhook_errors: &shown.webhook_errors,
        api_base: format!("{}{}", state.config.base_url(), crate::api::PREFIX),
        now: Utc::now(),
    };
    Ok((status, views::integration::page(ctx, &page)).into_response())
}

async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    render(&state, &ctx, board_id, Shown::default(), StatusCode::OK).await
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Creates a token and shows it once (the page is answered directly, never cached).
async fn create_token(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let scopes: Vec<Scope> =
        pairs.iter().filter(|(k, _)| k == "bevoegdheid").filter_map(|(_, v)| Scope::parse(v)).collect();
    let form = TokenForm {
        name: field(&pairs, "naam").to_owned(),
        lezen: scopes.contains(&Scope::Lezen),
        indienen: scopes.contains(&Scope::Indienen),
        days: field(&pairs, "dagen").to_owned(),
    };
    let request = match api::token_request(&form.name, &scopes, &form.days) {
        Ok(r) => r,
        Err(token_errors) => {
            let shown = Shown { token_form: form, token_errors, ..Default::default() };
            return render(&state, &ctx, board_id, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    let (row, jwt) = tokens::create(&mut tx, &state.config.session_key, board_id, request, Utc::now()).await?;
    tx.commit().await?;
    let shown = Shown { new_token: Some(NewToken { name: row.name, token: jwt }), ..Default::default() };
    render(&state, &ctx, board_id, shown, StatusCode::OK).await
}

async fn revoke_token(State(state): State<AppState>, ctx: Ctx, Path(token_id): Path<i32>) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    if !tokens::revoke(&mut tx, board_id, token_id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(Redirect::to("/koppeling#tokens").into_response())
}

/// Sets the webhook URL; an address that cannot be used is shown with its reason, as typed.
async fn set_webhook(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let input = field(&pairs, "url").to_owned();
    let url = match api::webhook_url(&input) {
        Ok(u) => u,
        Err(why) => {
            let mut webhook_errors = FieldErrors::default();
            webhook_errors.add("url", why);
            let shown = Shown { webhook_input: Some(input), webhook_errors, ..Default::default() };
            return render(&state, &ctx, board_id, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    crate::webhooks::set_url(&mut tx, board_id, &url).await?;
    tx.commit().await?;
    Ok(Redirect::to("/koppeling#webhook").into_response())
}

async fn clear_webhook(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    crate::webhooks::clear(&mut tx, board_id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/koppeling#webhook").into_response())
}

async fn renew_secret(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    crate::webhooks::renew_secret(&mut tx, board_id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/koppeling#webhook").into_response())
}

async fn retry_delivery(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    if !crate::webhooks::retry(&mut tx, board_id, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    state.mail_queued();
    Ok(Redirect::to("/koppeling#meldingen").into_response())
}

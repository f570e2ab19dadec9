//! Two-factor login (TOTP): the code step after the password, enrolment at login when the
//! role requires it, the account's own settings, and the administrator's reset.

use super::auth::{client_ip, signed_in};
use crate::auth::login::LoginError;
use crate::auth::token::Pending;
use crate::auth::totp::{self, PENDING_COOKIE};
use crate::domain::access::Action;
use crate::entities::user;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::{CsrfToken, Ctx, PeerAddr},
    form::Form,
    registry::{Access, Routes},
    views,
};
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use sea_orm::EntityTrait;
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes(r: Routes) -> Routes {
    r.get("/login/code", Access::Public, code_page)
        .post("/login/code", Access::Public, code_submit)
        .get("/login/inrichten", Access::Public, enrol_page)
        .post("/login/inrichten", Access::Public, enrol_submit)
        .get("/account/tweestaps", Access::SignedIn, account_page)
        .post("/account/tweestaps/starten", Access::SignedIn, start)
        .post("/account/tweestaps/bevestigen", Access::SignedIn, confirm)
        .post("/account/tweestaps/herstelcodes", Access::SignedIn, regenerate)
        .post("/account/tweestaps/uitschakelen", Access::SignedIn, disable)
        .post("/beheer/gebruikers/{user_id}/tweestaps-herstellen", Access::Action(Action::Administer), admin_reset)
}

const WRONG_CODE: &str = "De code klopt niet of is al gebruikt.";
const RATE_LIMITED: &str = "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.";
const EMPTY_CODE: &str = "Vul de code in.";

/// The pending-login cookie: only for the login pages; the token in it expires after five
/// minutes.
pub fn pending_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((PENDING_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/login")
        .build()
}

fn without_pending(jar: CookieJar) -> CookieJar {
    jar.remove(Cookie::build(PENDING_COOKIE).path("/login").build())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

/// The pending login of this browser, or the way back to the login page.
async fn pending(
    state: &AppState,
    jar: &CookieJar,
    kind: Pending,
) -> AppResult<Result<(user::Model, crate::auth::token::PendingClaims), Response>> {
    let found = match jar.get(PENDING_COOKIE) {
        Some(c) => totp::pending_user(&state.db, &state.config.session_key, c.value(), kind).await?,
        None => None,
    };
    Ok(found.ok_or_else(|| Redirect::to("/login").into_response()))
}

fn message(e: &LoginError) -> &'static str {
    match e {
        LoginError::RateLimited => RATE_LIMITED,
        _ => WRONG_CODE,
    }
}

async fn code_page(State(state): State<AppState>, jar: CookieJar, CsrfToken(csrf): CsrfToken) -> AppResult<Response> {
    if let Err(back) = pending(&state, &jar, Pending::Code).await? {
        return Ok(back);
    }
    Ok(views::totp::code_page(&csrf, None).into_response())
}

async fn code_submit(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    PeerAddr(peer): PeerAddr,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let (u, claims) = match pending(&state, &jar, Pending::Code).await? {
        Ok(p) => p,
        Err(back) => return Ok(back),
    };
    if f.code.trim().is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, views::totp::code_page(&csrf, Some(EMPTY_CODE))).into_response());
    }
    let ip = client_ip(&headers, peer, state.config.trust_forwarded_for);
    match totp::complete_login(&state.db, &state.config.session_key, u, &f.code, &ip).await {
        Ok(done) => {
            let jar = signed_in(without_pending(jar), done.token, state.config.secure_cookies());
            Ok((jar, Redirect::to(&claims.next)).into_response())
        }
        Err(e @ (LoginError::Invalid | LoginError::RateLimited)) => {
            Ok((StatusCode::UNAUTHORIZED, views::totp::code_page(&csrf, Some(message(&e)))).into_response())
        }
        Err(LoginError::Db(e)) => Err(AppError::Db(e)),
        Err(LoginError::Other(e)) => Err(AppError::Internal(e)),
    }
}

async fn enrol_page(State(state): State<AppState>, jar: CookieJar, CsrfToken(csrf): CsrfToken) -> AppResult<Response> {
    let (u, _) = match pending(&state, &jar, Pending::Enrol).await? {
        Ok(p) => p,
        Err(back) => return Ok(back),
    };
    let e = totp::ensure_enrolment(&state.db, &u).await?.ok_or(AppError::NotFound)?;
    Ok(views::totp::enrol_at_login(&csrf, &e, None).into_response())
}

async fn enrol_submit(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    PeerAddr(peer): PeerAddr,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let (u, claims) = match pending(&state, &jar, Pending::Enrol).await? {
        Ok(p) => p,
        Err(back) => return Ok(back),
    };
    let Some(e) = totp::enrolment(&u) else { return Ok(Redirect::to("/login/inrichten").into_response()) };
    let refuse =
        |status: StatusCode, msg: &str| Ok((status, views::totp::enrol_at_login(&csrf, &e, Some(msg))).into_response());
    if f.code.trim().is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, EMPTY_CODE);
    }
    let ip = client_ip(&headers, peer, state.config.trust_forwarded_for);
    match totp::confirm_enrolment(&state.db, totp::actor_of(&u), &u, &f.code, &ip).await {
        Ok(codes) => {
            let done = match crate::auth::login::start_session(&state.db, &state.config.session_key, u, &ip).await {
                Ok(done) => done,
                Err(LoginError::Db(e)) => return Err(AppError::Db(e)),
                Err(e) => return Err(AppError::Internal(anyhow::anyhow!("{e}"))),
            };
            let jar = signed_in(without_pending(jar), done.token, state.config.secure_cookies());
            Ok((jar, views::totp::codes_after_login(&codes, &claims.next)).into_response())
        }
        Err(e @ (LoginError::Invalid | LoginError::RateLimited)) => refuse(StatusCode::UNAUTHORIZED, message(&e)),
        Err(LoginError::Db(e)) => Err(AppError::Db(e)),
        Err(LoginError::Other(e)) => Err(AppError::Internal(e)),
    }
}

/// The account page's state for the signed-in user.
async fn render(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    error: Option<(&str, &str)>,
    new_codes: Option<&[String]>,
) -> AppResult<Response> {
    let u = user::Entity::find_by_id(ctx.user.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let enrolment = totp::enrolment(&u);
    let unused_codes = totp::unused_recovery_codes(&state.db, u.id).await?;
    let page = views::totp::account(
        ctx,
        &views::totp::AccountState {
            user: &u,
            enrolment: enrolment.as_ref(),
            unused_codes,
            required: state.config.requires_2fa(ctx.user.role),
            error: error.map(|(_, msg)| msg),
            new_codes,
            error_form: error.map_or("", |(form, _)| form),
        },
    );
    Ok((status, page).into_response())
}

async fn account_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    render(&state, &ctx, StatusCode::OK, None, None).await
}

async fn own(state: &AppState, ctx: &Ctx) -> AppResult<user::Model> {
    user::Entity::find_by_id(ctx.user.id).one(&state.db).await?.ok_or(AppError::NotFound)
}

async fn start(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let u = own(&state, &ctx).await?;
    totp::begin_enrolment(&state.db, &u).await?;
    Ok(Redirect::to("/account/tweestaps").into_response())
}

/// What a code form of the account page leads to: the page again, with the outcome.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    form: &str,
    result: Result<Option<Vec<String>>, LoginError>,
) -> AppResult<Response> {
    match result {
        Ok(Some(codes)) => render(state, ctx, StatusCode::OK, None, Some(&codes)).await,
        Ok(None) => Ok(Redirect::to("/account/tweestaps").into_response()),
        Err(e @ (LoginError::Invalid | LoginError::RateLimited)) => {
            render(state, ctx, StatusCode::UNPROCESSABLE_ENTITY, Some((form, message(&e))), None).await
        }
        Err(LoginError::Db(e)) => Err(AppError::Db(e)),
        Err(LoginError::Other(e)) => Err(AppError::Internal(e)),
    }
}

/// The code forms of the account page.
#[derive(Clone, Copy)]
enum AccountForm {
    Confirm,
    Regenerate,
    Disable,
}

impl AccountForm {
    /// The form's name on the page, which says where an error is shown.
    fn name(self) -> &'static str {
        match self {
            AccountForm::Confirm => "bevestigen",
            AccountForm::Regenerate => "herstelcodes",
            AccountForm::Disable => "uitschakelen",
        }
    }

    /// Whether the account is in the state this form is for.
    fn fits(self, u: &user::Model) -> bool {
        match self {
            AccountForm::Confirm => u.totp_enabled_at.is_none() && u.totp_secret.is_some(),
            AccountForm::Regenerate | AccountForm::Disable => u.totp_enabled_at.is_some(),
        }
    }
}

/// A code form of the account page: the checks run in one place so that every form makes them
/// in the same order; the answer is the page again, with the outcome.
async fn submit_code(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    form: AccountForm,
    code: &str,
) -> AppResult<Response> {
    let u = own(state, ctx).await?;
    // A form that does not fit the state (a stale page) just shows the page; an empty field is
    // no guess and does not count against the rate limit.
    if !form.fits(&u) {
        return Ok(Redirect::to("/account/tweestaps").into_response());
    }
    if code.trim().is_empty() {
        return render(state, ctx, StatusCode::UNPROCESSABLE_ENTITY, Some((form.name(), EMPTY_CODE)), None).await;
    }
    // auth::totp::disable leaves refusing a role that requires two-factor login to its caller.
    if matches!(form, AccountForm::Disable) && state.config.requires_2fa(ctx.user.role) {
        let msg = "Voor uw rol is tweestapsverificatie verplicht; u kunt haar niet uitschakelen.";
        return render(state, ctx, StatusCode::UNPROCESSABLE_ENTITY, Some((form.name(), msg)), None).await;
    }
    let ip = client_ip(headers, peer, state.config.trust_forwarded_for);
    let (db, actor) = (&state.db, ctx.user.actor());
    let result = match form {
        AccountForm::Confirm => totp::confirm_enrolment(db, actor, &u, code, &ip).await.map(Some),
        AccountForm::Regenerate => totp::regenerate_recovery_codes(db, actor, &u, code, &ip).await.map(Some),
        AccountForm::Disable => totp::disable(db, actor, &u, code, &ip).await.map(|()| None),
    };
    after(state, ctx, form.name(), result).await
}

async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    PeerAddr(peer): PeerAddr,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    submit_code(&state, &ctx, &headers, peer, AccountForm::Confirm, &f.code).await
}

async fn regenerate(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    PeerAddr(peer): PeerAddr,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    submit_code(&state, &ctx, &headers, peer, AccountForm::Regenerate, &f.code).await
}

async fn disable(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    PeerAddr(peer): PeerAddr,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    submit_code(&state, &ctx, &headers, peer, AccountForm::Disable, &f.code).await
}

/// The beheerder resets an account's two-factor login (a lost phone).
async fn admin_reset(State(state): State<AppState>, ctx: Ctx, Path(user_id): Path<String>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let user_id = user_id.parse::<i32>().map_err(|_| AppError::NotFound)?;
    if !totp::reset_by_admin(&state.db, ctx.user.actor(), user_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/beheer/gebruikers").into_response())
}

//! Login and logout. With two-factor login the password step ends in a pending login (see
//! `routes::totp`) instead of a session.

use crate::auth::login::{self, LoginError, Outcome};
use crate::auth::token::Pending;
use crate::web::{
    AppState, csrf,
    error::{AppError, AppResult},
    extract::{CsrfToken, MaybeUser, PeerAddr, SESSION_COOKIE},
    form::Form,
    registry::{Access, Routes},
    views,
};
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes(r: Routes) -> Routes {
    r.get("/login", Access::Public, login_page).post("/login", Access::Public, login_submit).post(
        "/logout",
        Access::SignedIn,
        logout,
    )
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a local path may be a redirect target after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".into(),
    }
}

async fn demo_accounts(state: &AppState) -> Option<Vec<(String, String)>> {
    if !crate::demo::demo_loaded(&state.db).await {
        return None;
    }
    let data = crate::demo::data().ok()?;
    Some(
        data.users
            .iter()
            .map(|u| {
                (
                    u.email.clone(),
                    crate::domain::access::Role::parse(&u.role).map_or(u.role.clone(), |r| r.label().to_owned()),
                )
            })
            .collect(),
    )
}

async fn login_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<NextQuery>,
) -> Response {
    if user.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    let demo = demo_accounts(&state).await;
    views::auth::login(&csrf, &safe_next(q.next.as_deref()), "", None, demo.as_deref()).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// The client's address for the login limits. Behind a reverse proxy the peer is the proxy,
/// which names the client in `X-Forwarded-For`; that header is believed only when configured
/// (`--trust-forwarded-for`), since anyone else could send any address in it.
pub(crate) fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trust_forwarded_for: bool) -> String {
    headers
        .get("x-forwarded-for")
        .filter(|_| trust_forwarded_for)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|s| s.trim().to_owned())
        .or_else(|| peer.map(|p| p.ip().to_string()))
        .unwrap_or_else(|| "onbekend".into())
}

async fn login_submit(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    PeerAddr(peer): PeerAddr,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let ip = client_ip(&headers, peer, state.config.trust_forwarded_for);
    let required = &state.config.require_2fa;
    match login::login(&state.db, &state.config.session_key, &f.email, &f.password, &ip, required, &next).await {
        Ok(Outcome::Session(done)) => {
            let jar = signed_in(jar, done.token, state.config.secure_cookies());
            Ok((jar, Redirect::to(&next)).into_response())
        }
        // The password was right; no session yet: the code (or enrolment) comes first.
        Ok(Outcome::Pending { kind, token }) => {
            let jar = jar.add(super::totp::pending_cookie(token, state.config.secure_cookies()));
            let to = match kind {
                Pending::Code => "/login/code",
                Pending::Enrol => "/login/inrichten",
            };
            Ok((jar, Redirect::to(to)).into_response())
        }
        Err(e @ (LoginError::Invalid | LoginError::RateLimited)) => {
            let msg = match e {
                LoginError::RateLimited => "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.",
                _ => "Het e-mailadres of het wachtwoord klopt niet.",
            };
            let demo = demo_accounts(&state).await;
            Ok((
                axum::http::StatusCode::UNAUTHORIZED,
                views::auth::login(&csrf, &next, &f.email, Some(msg), demo.as_deref()),
            )
                .into_response())
        }
        Err(LoginError::Db(e)) => Err(AppError::Db(e)),
        Err(LoginError::Other(e)) => Err(AppError::Internal(e)),
    }
}

/// The cookies of a new session: the session token, and a fresh CSRF token with it.
pub(crate) fn signed_in(jar: CookieJar, token: String, secure: bool) -> CookieJar {
    let session = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .build();
    jar.add(session).add(csrf::cookie(csrf::new_token(), secure))
}

async fn logout(State(state): State<AppState>, ctx: crate::web::extract::Ctx, jar: CookieJar) -> AppResult<Response> {
    login::logout(&state.db, &ctx.user.session_id).await?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/").build());
    Ok((jar, Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next(Some("/zaken?status=verweer")), "/zaken?status=verweer");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}

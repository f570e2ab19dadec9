//! Extractors that prove who is asking and what they may reach, so a handler cannot forget a
//! check: `Ctx` (signed in), `CaseCtx` (signed in and allowed to see the case in the path).

use super::{AppState, error::AppError};
use crate::auth::{CurrentUser, login};
use crate::domain::access::{self, Action, CaseFacts};
use crate::entities::case;
use axum::{
    extract::{FromRequestParts, RawPathParams, Request, State},
    http::{Method, request::Parts},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::cookie::CookieJar;

pub const SESSION_COOKIE: &str = "kc_session";

/// The user resolved once per request by [`resolve_user`].
#[derive(Clone)]
struct Resolved(Option<CurrentUser>);

/// Resolves the session cookie into the current user (if any) once, for all extractors.
pub async fn resolve_user(
    State(state): State<AppState>,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let user = match jar.get(SESSION_COOKIE) {
        Some(c) => {
            login::authenticate(&state.db, &state.config.session_key, c.value(), &state.config.require_2fa).await?
        }
        None => None,
    };
    req.extensions_mut().insert(Resolved(user));
    Ok(next.run(req).await)
}

/// The signed-in user, if any (for pages anyone may see).
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(MaybeUser(parts.extensions.get::<Resolved>().and_then(|r| r.0.clone())))
    }
}

/// The CSRF token of this browser, to put in every form.
#[derive(Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<std::sync::Arc<super::csrf::TokenSlot>>()
            .map(|slot| CsrfToken(slot.take()))
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("csrf middleware missing")))
    }
}

/// A signed-in request: the user, the CSRF token for forms, and the current path (for the
/// navigation).
#[derive(Clone)]
pub struct Ctx {
    pub user: CurrentUser,
    pub csrf: String,
    pub path: String,
}

impl Ctx {
    /// Refuses with 403 unless the user's role may perform `action`.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if access::may(self.user.role, action) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    pub fn may(&self, action: Action) -> bool {
        access::may(self.user.role, action)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await?;
        let path = parts.uri.path().to_owned();
        let Some(user) = user else {
            // After login, come back to the page asked for (GET only; a form post starts over).
            let next = if parts.method == Method::GET {
                parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned()
            } else {
                "/".into()
            };
            return Err(AppError::Unauthenticated { next });
        };
        let CsrfToken(csrf) = CsrfToken::from_request_parts(parts, state).await?;
        Ok(Ctx { user, csrf, path })
    }
}

/// A signed-in request for one case (`{zaaknummer}` in the path) that the user may see
/// (Art 10); 404 when there is no such case, 403 when it is not theirs.
pub struct CaseCtx {
    pub ctx: Ctx,
    pub case: case::Model,
}

impl FromRequestParts<AppState> for CaseCtx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let zaaknummer =
            params.iter().find(|(k, _)| *k == "zaaknummer").map(|(_, v)| v.to_owned()).ok_or(AppError::NotFound)?;
        if crate::domain::zaaknummer::Zaaknummer::parse(&zaaknummer).is_none() {
            return Err(AppError::NotFound);
        }
        let (case, panel) = crate::cases::find_for_access(&state.db, &zaaknummer).await?.ok_or(AppError::NotFound)?;
        let facts = CaseFacts { board_id: case.board_id, school_id: case.school_id, panel_member_ids: &panel };
        if !access::can_view_case(&ctx.user.viewer(), &facts) {
            tracing::warn!(user_id = ctx.user.id, %zaaknummer, "refused access to a case");
            return Err(AppError::Forbidden);
        }
        // A purged case is an anonymous record: it can be read, never written to again.
        if case.purged_on.is_some() && !matches!(parts.method, axum::http::Method::GET | axum::http::Method::HEAD) {
            return Err(AppError::Purged);
        }
        Ok(CaseCtx { ctx, case })
    }
}

/// The peer address of the connection, when the server was started with connect info.
pub struct PeerAddr(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(PeerAddr(parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0)))
    }
}

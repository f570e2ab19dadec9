//! CSRF protection for every state-changing request, in one middleware so no handler can
//! forget it: a random token in a SameSite=Strict, HttpOnly cookie must come back in the
//! `_csrf` field of the form (double submit), and a cross-site Origin is refused outright.

use super::{AppState, MAX_BODY_BYTES, error::AppError};
use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, Multipart, Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};
use subtle::ConstantTimeEq;

pub const CSRF_COOKIE: &str = "kc_csrf";
pub const CSRF_FIELD: &str = "_csrf";

/// This request's token, and whether a handler took it (to put it in a form).
pub struct TokenSlot {
    token: String,
    used: AtomicBool,
}

impl TokenSlot {
    pub fn take(&self) -> String {
        self.used.store(true, Ordering::Relaxed);
        self.token.clone()
    }
}

pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((CSRF_COOKIE, token)).http_only(true).same_site(SameSite::Strict).secure(secure).path("/").build()
}

fn valid_shape(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn protect(State(state): State<AppState>, jar: CookieJar, req: Request, next: Next) -> Response {
    let existing = jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|t| valid_shape(t));
    let token = existing.clone().unwrap_or_else(new_token);
    let mut req = req;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        if cross_site(req.headers()) {
            return AppError::Csrf.into_response();
        }
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
            Ok(b) => b,
            Err(_) => return AppError::TooLarge.into_response(),
        };
        let submitted = submitted_token(&parts.headers, &parts.extensions, &bytes).await;
        let ok = match (&existing, submitted) {
            (Some(cookie), Some(sent)) => bool::from(cookie.as_bytes().ct_eq(sent.as_bytes())),
            _ => false,
        };
        if !ok {
            return AppError::Csrf.into_response();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    let slot = Arc::new(TokenSlot { token: token.clone(), used: AtomicBool::new(false) });
    req.extensions_mut().insert(slot.clone());
    let resp = next.run(req).await;
    // A new token is only sent with a page that put it in a form. Otherwise a stylesheet or a
    // 404 fetched alongside a first page would each set a different token, and the form's
    // token would no longer match the cookie.
    if existing.is_none() && slot.used.load(Ordering::Relaxed) {
        (jar.add(cookie(token, state.config.secure_cookies())), resp).into_response()
    } else {
        resp
    }
}

/// A browser says where a request comes from; anything but this site is refused.
fn cross_site(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && (site == "cross-site" || site == "same-site")
    {
        return true;
    }
    match (h.get(header::ORIGIN).and_then(|v| v.to_str().ok()), h.get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        _ => false,
    }
}

async fn submitted_token(headers: &HeaderMap, extensions: &axum::http::Extensions, body: &Bytes) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?.to_owned();
    if ct.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v)
    } else if ct.starts_with("multipart/form-data") {
        let mut req = Request::builder().header(header::CONTENT_TYPE, ct).body(Body::from(body.clone())).ok()?;
        // The request's own extensions carry the application's body limit; without them the
        // multipart reader applies axum's default of 2 MB and refuses every larger upload.
        *req.extensions_mut() = extensions.clone();
        let mut mp = Multipart::from_request(req, &()).await.ok()?;
        while let Ok(Some(field)) = mp.next_field().await {
            if field.name() == Some(CSRF_FIELD) {
                return field.text().await.ok();
            }
        }
        None
    } else {
        None
    }
}

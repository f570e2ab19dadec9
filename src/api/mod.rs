//! The JSON API for the boards' own systems (issue 8), under `/api/v1`: read the status and
//! outcome of the board's cases, fetch a sent advies, file a klaagschrift with documents.
//! A board creates API tokens on its portal page (`/koppeling`); each request carries one as
//! `Authorization: Bearer <jwt>`. The API sits outside the browser's session and CSRF layers,
//! answers every error as JSON ([`error`]), and is described in `fixtures/openapi.json`,
//! served at `/api/v1/openapi.json`.

pub mod error;
pub mod klaagschrift;
pub mod openapi;
pub mod tokens;
pub mod zaken;

use crate::domain::api::Scope;
use crate::web::AppState;
use axum::{
    Router,
    extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request},
    handler::Handler,
    http::{header, request::Parts},
    middleware, routing,
};
pub use error::{ApiError, ApiResult};
pub use tokens::ApiClient;

/// Where the API is mounted.
pub const PREFIX: &str = "/api/v1";

/// The largest request body: one document of the upload limit, base64-encoded (4/3), plus
/// the rest of the klaagschrift.
pub const MAX_BODY_BYTES: usize = crate::domain::upload::MAX_UPLOAD_BYTES.div_ceil(3) * 4 + 1024 * 1024;

/// The API's routes as (method, path below [`PREFIX`]) with the router serving them: the list
/// is what the test compares with the OpenAPI document.
struct ApiRoutes {
    router: Router<AppState>,
    list: Vec<(&'static str, &'static str)>,
}

impl ApiRoutes {
    fn get<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, h: H) -> Self {
        self.list.push(("GET", path));
        self.router = self.router.route(path, routing::get(h));
        self
    }

    fn post<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, h: H) -> Self {
        self.list.push(("POST", path));
        self.router = self.router.route(path, routing::post(h));
        self
    }
}

fn routes() -> ApiRoutes {
    ApiRoutes { router: Router::new(), list: Vec::new() }
        .get("/openapi.json", openapi::document)
        .get("/zaken", zaken::list)
        .get("/zaken/{zaaknummer}", zaken::one)
        .get("/zaken/{zaaknummer}/advies", zaken::advies_pdf)
        .post("/klaagschriften", klaagschrift::submit)
}

/// Every endpoint as (method, path below `/api/v1`).
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    routes().list
}

/// Adds the API under [`PREFIX`] to the application's router (after the browser's own layers,
/// so neither sessions nor CSRF apply to it).
pub fn mount(app: Router<AppState>) -> Router<AppState> {
    app.nest(PREFIX, router()).route(PREFIX_SLASH, routing::any(error::unknown_path))
}

/// `/api/v1/` itself, which the nested router's fallback does not reach.
const PREFIX_SLASH: &str = "/api/v1/";

/// The API router, to be nested at [`PREFIX`]: its own fallbacks and body limit, and every
/// error as JSON.
pub fn router() -> Router<AppState> {
    routes()
        .router
        .fallback(error::unknown_path)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(middleware::map_response(error::ensure_json))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// The bearer token of the request, checked ([`tokens::authenticate`]).
impl FromRequestParts<AppState> for ApiClient {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let value = parts.headers.get(header::AUTHORIZATION).ok_or(ApiError::TokenMissing)?;
        let value = value.to_str().map_err(|_| ApiError::TokenInvalid)?;
        let (scheme, token) = value.trim().split_once(' ').ok_or(ApiError::TokenMissing)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::TokenMissing);
        }
        Ok(tokens::authenticate(&state.db, &state.config.session_key, token.trim(), chrono::Utc::now()).await?)
    }
}

/// A token with the scope `lezen`.
pub struct Reader(pub ApiClient);

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let client = ApiClient::from_request_parts(parts, state).await?;
        if !client.may(Scope::Lezen) {
            return Err(ApiError::Scope(Scope::Lezen.code()));
        }
        Ok(Reader(client))
    }
}

/// A token with the scope `indienen`.
pub struct Submitter(pub ApiClient);

impl FromRequestParts<AppState> for Submitter {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let client = ApiClient::from_request_parts(parts, state).await?;
        if !client.may(Scope::Indienen) {
            return Err(ApiError::Scope(Scope::Indienen.code()));
        }
        Ok(Submitter(client))
    }
}

/// A JSON response (axum's `Json` needs a feature this build leaves out; this is all it does).
pub struct JsonBody<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for JsonBody<T> {
    fn into_response(self) -> axum::response::Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
            Err(e) => ApiError::Internal(anyhow::anyhow!("serialising a response: {e}")).into_response(),
        }
    }
}

/// A JSON body: 415 without `Content-Type: application/json`, 413 over the limit, 400 with
/// serde's message when it does not parse into `T`.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|ct| ct.split(';').next())
            .map(|mt| mt.trim().to_ascii_lowercase())
            .is_some_and(|mt| mt == "application/json" || (mt.starts_with("application/") && mt.ends_with("+json")));
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadRequest(e.body_text())
            }
        })?;
        if crate::domain::validate::json_has_nul(&bytes) {
            return Err(ApiError::BadJson("een tekst bevat een NUL-teken (\\u0000), dat niet wordt aanvaard".into()));
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| ApiError::BadJson(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_prefix_with_a_slash_is_the_prefix() {
        assert_eq!(super::PREFIX_SLASH, format!("{}/", super::PREFIX));
    }
}

//! Errors of the API: always JSON, `{"error":{"code":"...","message":"..."}}`, with a stable
//! Dutch code for programs and a Dutch sentence for people; validation errors add `fields`.
//! Whatever else answers under `/api/v1` with an error (the router's own 404 and 405, a body
//! that is too large) is rewritten into the same shape by [`ensure_json`].

use crate::domain::validate::FieldErrors;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is no JSON, or not the JSON described (serde's message).
    #[error("bad json: {0}")]
    BadJson(String),
    /// A query parameter or path that cannot be read.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("no token")]
    TokenMissing,
    #[error("invalid token")]
    TokenInvalid,
    #[error("expired token")]
    TokenExpired,
    #[error("revoked token")]
    TokenRevoked,
    /// The token lacks the scope this endpoint needs.
    #[error("missing scope {0}")]
    Scope(&'static str),
    /// Not the board's (a case, a school).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("not found: {0}")]
    NotFound(&'static str),
    #[error("no advies sent")]
    NoAdvies,
    #[error("unknown path")]
    UnknownPath,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("payload too large")]
    TooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadJson(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TokenMissing | ApiError::TokenInvalid | ApiError::TokenExpired | ApiError::TokenRevoked => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Scope(_) | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::NoAdvies | ApiError::UnknownPath => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Db(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code a program can switch on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadJson(_) => "ongeldige_json",
            ApiError::BadRequest(_) => "ongeldig_verzoek",
            ApiError::TokenMissing => "token_ontbreekt",
            ApiError::TokenInvalid => "token_ongeldig",
            ApiError::TokenExpired => "token_verlopen",
            ApiError::TokenRevoked => "token_ingetrokken",
            ApiError::Scope(_) => "bevoegdheid_ontbreekt",
            ApiError::Forbidden(_) => "geen_toegang",
            ApiError::NotFound(_) => "niet_gevonden",
            ApiError::NoAdvies => "advies_niet_verzonden",
            ApiError::UnknownPath => "onbekend_adres",
            ApiError::MethodNotAllowed => "methode_niet_toegestaan",
            ApiError::TooLarge => "te_groot",
            ApiError::UnsupportedMediaType => "verkeerd_mediatype",
            ApiError::Validation(_) => "ongeldige_gegevens",
            ApiError::Db(_) | ApiError::Internal(_) => "interne_fout",
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::BadJson(why) => format!("De JSON in het verzoek is ongeldig: {why}"),
            ApiError::BadRequest(why) => format!("Het verzoek is ongeldig: {why}"),
            ApiError::TokenMissing => {
                "Stuur een API-token mee in de kop Authorization: Bearer <token>. Een token maakt u in het portaal onder Koppeling.".into()
            }
            ApiError::TokenInvalid => {
                "Het API-token is ongeldig. Controleer of het volledig is overgenomen, of maak een nieuw token aan in het portaal.".into()
            }
            ApiError::TokenExpired => "Het API-token is verlopen; maak een nieuw token aan in het portaal.".into(),
            ApiError::TokenRevoked => "Het API-token is ingetrokken; maak een nieuw token aan in het portaal.".into(),
            ApiError::Scope(scope) => {
                format!("Dit API-token heeft de bevoegdheid '{scope}' niet; maak een token met die bevoegdheid aan in het portaal.")
            }
            ApiError::Forbidden(what) => format!("{what} hoort niet bij uw bestuur."),
            ApiError::NotFound(what) => format!("{what} bestaat niet."),
            ApiError::NoAdvies => "In deze zaak is (nog) geen advies verzonden.".into(),
            ApiError::UnknownPath => {
                "Dit adres bestaat niet in de API. De beschrijving van alle adressen staat op /api/v1/openapi.json.".into()
            }
            ApiError::MethodNotAllowed => "Deze methode is op dit adres niet toegestaan; zie de kop Allow.".into(),
            ApiError::TooLarge => format!(
                "Het verzoek is te groot: ten hoogste {} MB, documenten base64-gecodeerd meegerekend.",
                super::MAX_BODY_BYTES / (1024 * 1024)
            ),
            ApiError::UnsupportedMediaType => "Stuur de gegevens als JSON, met de kop Content-Type: application/json.".into(),
            ApiError::Validation(_) => "Het klaagschrift is niet geregistreerd: controleer de velden in 'fields'.".into(),
            ApiError::Db(_) | ApiError::Internal(_) => {
                "Er ging aan onze kant iets mis; er is niets opgeslagen. Probeer het later opnieuw.".into()
            }
        }
    }

    /// The error a bare status stands for (the router's own answers).
    fn from_status(status: StatusCode) -> ApiError {
        match status {
            StatusCode::NOT_FOUND => ApiError::UnknownPath,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            StatusCode::UNAUTHORIZED => ApiError::TokenMissing,
            StatusCode::FORBIDDEN => ApiError::Forbidden("Dit"),
            s if s.is_client_error() => ApiError::BadRequest(s.canonical_reason().unwrap_or("onbekend").to_owned()),
            _ => ApiError::Internal(anyhow::anyhow!("status {status} without a JSON body")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            ApiError::Db(e) => tracing::error!(error = %e, "api: database error"),
            ApiError::Internal(e) => tracing::error!(error = ?e, "api: internal error"),
            ApiError::TokenInvalid | ApiError::TokenRevoked | ApiError::TokenExpired => {
                tracing::info!(code = self.code(), "api: token refused")
            }
            _ => {}
        }
        let mut error = json!({ "code": self.code(), "message": self.message() });
        if let ApiError::Validation(fields) = &self {
            let map: serde_json::Map<String, serde_json::Value> =
                fields.iter().map(|(f, m)| (f.to_owned(), serde_json::Value::String(m.to_owned()))).collect();
            error["fields"] = serde_json::Value::Object(map);
        }
        let mut resp = (status, super::JsonBody(json!({ "error": error }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750: a missing token gets the challenge alone, a bad one says why.
            let challenge = match self {
                ApiError::TokenMissing => r#"Bearer realm="klachtencommissie""#,
                _ => r#"Bearer realm="klachtencommissie", error="invalid_token""#,
            };
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        resp
    }
}

impl From<super::tokens::AuthError> for ApiError {
    fn from(e: super::tokens::AuthError) -> Self {
        match e {
            super::tokens::AuthError::Invalid => ApiError::TokenInvalid,
            super::tokens::AuthError::Expired => ApiError::TokenExpired,
            super::tokens::AuthError::Revoked => ApiError::TokenRevoked,
            super::tokens::AuthError::Db(e) => ApiError::Db(e),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Every path under `/api/v1` that is not an endpoint.
pub async fn unknown_path() -> ApiError {
    ApiError::UnknownPath
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Rewrites an error answered without JSON (by the router or a layer) into the API's shape,
/// keeping its status and its `Allow` header. Never an HTML page under `/api/v1`.
pub async fn ensure_json(resp: Response) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return resp;
    }
    let allow = resp.headers().get(header::ALLOW).cloned();
    let mut replaced = ApiError::from_status(status).into_response();
    *replaced.status_mut() = status;
    if let Some(a) = allow {
        replaced.headers_mut().insert(header::ALLOW, a);
    }
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(resp: Response) -> serde_json::Value {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
            serde_json::from_slice(&bytes).unwrap()
        })
    }

    #[test]
    fn every_error_is_json_with_a_code_and_a_dutch_message() {
        let mut fields = FieldErrors::default();
        fields.add("subject", "Dit veld is verplicht.");
        for e in [
            ApiError::BadJson("expected value at line 1 column 1".into()),
            ApiError::BadRequest("pagina".into()),
            ApiError::TokenMissing,
            ApiError::TokenInvalid,
            ApiError::TokenExpired,
            ApiError::TokenRevoked,
            ApiError::Scope("indienen"),
            ApiError::Forbidden("Deze zaak"),
            ApiError::NotFound("Deze zaak"),
            ApiError::NoAdvies,
            ApiError::UnknownPath,
            ApiError::MethodNotAllowed,
            ApiError::TooLarge,
            ApiError::UnsupportedMediaType,
            ApiError::Validation(fields.clone()),
            ApiError::Db(sea_orm::DbErr::Custom("geheim".into())),
            ApiError::Internal(anyhow::anyhow!("geheim")),
        ] {
            let status = e.status();
            let code = e.code();
            let resp = e.into_response();
            assert_eq!(resp.status(), status);
            assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/json");
            assert_eq!(resp.headers().contains_key(header::WWW_AUTHENTICATE), status == StatusCode::UNAUTHORIZED);
            let v = body(resp);
            assert_eq!(v["error"]["code"], code);
            let message = v["error"]["message"].as_str().unwrap();
            assert!(!message.is_empty() && !message.contains("geheim"), "{message}");
        }
        let v = body(ApiError::Validation(fields).into_response());
        assert_eq!(v["error"]["fields"]["subject"], "Dit veld is verplicht.");
        let expired = ApiError::TokenExpired.into_response();
        assert_eq!(
            expired.headers()[header::WWW_AUTHENTICATE],
            r#"Bearer realm="klachtencommissie", error="invalid_token""#
        );
        assert_eq!(
            body(expired)["error"]["message"],
            "Het API-token is verlopen; maak een nieuw token aan in het portaal."
        );
    }

    #[test]
    fn bare_errors_become_json_and_keep_allow() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let resp = rt
            .block_on(ensure_json((StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET,HEAD")], "").into_response()));
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(resp.headers()[header::ALLOW], "GET,HEAD");
        assert_eq!(body(resp)["error"]["code"], "methode_niet_toegestaan");
        let ok = rt.block_on(ensure_json((StatusCode::OK, "x").into_response()));
        assert_eq!(ok.status(), StatusCode::OK);
        let html = rt.block_on(ensure_json((StatusCode::PAYLOAD_TOO_LARGE, "<html>").into_response()));
        assert_eq!(body(html)["error"]["code"], "te_groot");
    }
}

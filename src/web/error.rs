//! One error type for every handler. Users get a calm Dutch page; details go to the log only.

use super::views;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in: go to the login page, then come back.
    #[error("not signed in")]
    Unauthenticated { next: String },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A request that no form of ours sends (a tampered or stale form).
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("payload too large")]
    TooLarge,
    /// A change to a case whose file was purged at the end of its retention term.
    #[error("case purged")]
    Purged,
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated { .. } => StatusCode::SEE_OTHER,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Purged => StatusCode::CONFLICT,
            AppError::Db(sea_orm::DbErr::RecordNotFound(_)) => StatusCode::NOT_FOUND,
            AppError::Db(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::cases::CaseError> for AppError {
    fn from(e: crate::cases::CaseError) -> Self {
        match e {
            crate::cases::CaseError::Db(db) => AppError::Db(db),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (title, text) = match &self {
            AppError::Unauthenticated { next } => {
                return Redirect::to(&format!(
                    "/login?next={}",
                    percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
                ))
                .into_response();
            }
            AppError::Forbidden => (
                "Geen toegang",
                "U hebt geen toegang tot deze pagina of deze zaak. Denkt u dat dit niet klopt, neem dan contact op met het secretariaat.",
            ),
            AppError::NotFound => (
                "Niet gevonden",
                "Deze pagina of zaak bestaat niet (meer). Controleer het adres of zoek de zaak op in het zakenregister.",
            ),
            AppError::BadRequest(_) => (
                "Ongeldig verzoek",
                "Het formulier bevatte gegevens die niet kloppen. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
            ),
            AppError::Csrf => (
                "Formulier verlopen",
                "Het formulier is verlopen of kwam niet van deze website. Ga terug, laad de pagina opnieuw en verstuur het nog eens.",
            ),
            AppError::TooLarge => {
                ("Bestand te groot", "Het verzonden bestand is te groot. Een document mag ten hoogste 20 MB zijn.")
            }
            AppError::Purged => (
                "Dossier vernietigd",
                "Dit dossier is na afloop van de bewaartermijn vernietigd. Er blijft alleen een anonieme registratie over; er kan niets meer aan worden toegevoegd of gewijzigd.",
            ),
            AppError::Db(_) | AppError::Internal(_) => (
                "Er ging iets mis",
                "Er ging aan onze kant iets mis. Uw wijziging is niet opgeslagen. Probeer het later opnieuw; blijft het misgaan, meld het dan aan de beheerder.",
            ),
        };
        match &self {
            AppError::Db(e) if status.is_server_error() => {
                tracing::error!(error = %e, "database error")
            }
            AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            AppError::BadRequest(why) => tracing::warn!(%why, "bad request"),
            AppError::Csrf => tracing::warn!("csrf check failed"),
            _ => {}
        }
        let detail = match &self {
            AppError::BadRequest(why) => Some(why.clone()),
            _ => None,
        };
        (status, views::errors::page(status, title, text, detail.as_deref())).into_response()
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_has_its_status() {
        assert_eq!(AppError::Unauthenticated { next: "/".into() }.status(), StatusCode::SEE_OTHER);
        assert_eq!(AppError::Forbidden.status(), StatusCode::FORBIDDEN);
        assert_eq!(AppError::Csrf.status(), StatusCode::FORBIDDEN);
        assert_eq!(AppError::NotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(AppError::BadRequest("x".into()).status(), StatusCode::BAD_REQUEST);
        assert_eq!(AppError::TooLarge.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(AppError::Db(sea_orm::DbErr::RecordNotFound("x".into())).status(), StatusCode::NOT_FOUND);
        assert_eq!(AppError::Db(sea_orm::DbErr::Custom("x".into())).status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(AppError::Internal(anyhow::anyhow!("x")).status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn internal_details_never_reach_the_page() {
        let resp = AppError::Internal(anyhow::anyhow!("secret table xyz")).into_response();
        let body = futures_body(resp);
        assert!(!body.contains("secret table xyz"));
        assert!(body.contains("Er ging iets mis"));
    }

    fn futures_body(resp: Response) -> String {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        })
    }
}

//! Form handling shared by the features: per-field errors, and reading a multipart form
//! (text fields plus uploaded files) within the size limits.

use super::error::AppError;
use axum::extract::Multipart;

pub use crate::domain::validate::FieldErrors;

/// An uploaded file as received.
#[derive(Clone)]
pub struct Upload {
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A multipart form read completely: text fields (repeated names kept in order) and files.
#[derive(Default)]
pub struct MultipartForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for MultipartForm {
    type Rejection = AppError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let mp = Multipart::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("geen geldig formulier met bestanden: {e}")))?;
        Self::read(mp).await
    }
}

impl MultipartForm {
    pub async fn read(mut mp: Multipart) -> Result<Self, AppError> {
        let mut form = MultipartForm::default();
        while let Some(field) = mp.next_field().await.map_err(|e| AppError::BadRequest(format!("multipart: {e}")))? {
            let name = field.name().unwrap_or_default().to_owned();
            if let Some(file_name) = field.file_name().map(str::to_owned) {
                if file_name.contains('\0') {
                    return Err(AppError::BadRequest(crate::domain::validate::NUL_MESSAGE.into()));
                }
                let content_type = field.content_type().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
                // An empty file input is sent as a part with no name and no bytes.
                if !(file_name.is_empty() && bytes.is_empty()) {
                    form.files.push(Upload { field: name, file_name, content_type, bytes: bytes.to_vec() });
                }
            } else {
                let text = field.text().await.map_err(|e| AppError::BadRequest(format!("multipart text: {e}")))?;
                if text.contains('\0') || name.contains('\0') {
                    return Err(AppError::BadRequest(crate::domain::validate::NUL_MESSAGE.into()));
                }
                form.fields.push((name, text));
            }
        }
        Ok(form)
    }

    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// All values of a repeated field, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

/// `axum::Form`, but a malformed body gets our Dutch error page instead of plain text.
pub struct Form<T>(pub T);

#[allow(clippy::disallowed_types)] // the one place that wraps it
impl<T, S> axum::extract::FromRequest<S> for Form<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        // The body is read once to refuse a NUL character, then handed on unchanged.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::web::MAX_BODY_BYTES).await.map_err(|_| AppError::TooLarge)?;
        if crate::domain::validate::urlencoded_has_nul(&bytes) {
            return Err(AppError::BadRequest(crate::domain::validate::NUL_MESSAGE.into()));
        }
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|axum::Form(v)| Form(v))
            .map_err(|e| AppError::BadRequest(format!("formulier niet leesbaar: {e}")))
    }
}

/// A yes/no choice posted as `ja` or `nee` by our own forms; anything else is a tampered form.
pub fn yes_no(value: &str, field: &str) -> Result<bool, AppError> {
    match value {
        "ja" => Ok(true),
        "nee" => Ok(false),
        other => Err(AppError::BadRequest(format!("{field}: 'ja' of 'nee' verwacht, niet {other:?}"))),
    }
}

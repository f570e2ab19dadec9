//! Letters of the commission: templates (versioned, editable by the secretary), the
//! letterhead, composing a letter on a case into a PDF in the dossier and onto its way (e-mail
//! through the outbox, or the post queue), and the printable post batch.

pub mod compose;
pub mod letterhead;
pub mod post;
pub mod templates;

use sea_orm::DbErr;

/// Errors a letter use case reports to the user, in Dutch.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("Het sjabloon '{0}' kan niet worden ingevuld: {1}.")]
    Template(&'static str, crate::domain::letter::TemplateError),
    #[error("{0}")]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("Deze geadresseerde hoort niet bij de zaak.")]
    UnknownRecipient,
    #[error("Deze brief is al als verzonden gemarkeerd.")]
    AlreadyPosted,
    #[error(transparent)]
    Db(#[from] DbErr),
}

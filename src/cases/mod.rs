//! The case register: registering a klaagschrift, listing and finding cases, a case's page,
//! its documents and its panel. Each writing function is one transaction with its audit entry.

pub mod advies;
pub mod detail;
pub mod documents;
pub mod dossier;
pub mod hearings;
pub mod intake;
pub mod panel;
pub mod parties;
pub mod portal;
pub mod progress;
pub mod recusals;
pub mod register;
pub mod search;

use crate::entities::{case, panel_member};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// Sets a case's status; closing it records the day, from which its retention term runs.
pub(crate) fn set_status(am: &mut crate::entities::case::ActiveModel, status: crate::domain::case::CaseStatus) {
    use sea_orm::ActiveValue::Set;
    am.status = Set(status.code().to_owned());
    am.closed_on = Set((!status.is_open()).then(crate::admin::today));
}

/// Finds a case by its zaaknummer together with the ids of its panel members: what the
/// access rule needs.
pub async fn find_for_access(
    db: &impl ConnectionTrait,
    zaaknummer: &str,
) -> Result<Option<(case::Model, Vec<i32>)>, DbErr> {
    let Some(c) = case::Entity::find().filter(case::Column::Zaaknummer.eq(zaaknummer)).one(db).await? else {
        return Ok(None);
    };
    let panel: Vec<i32> = panel_member::Entity::find()
        .select_only()
        .column(panel_member::Column::MemberId)
        .filter(panel_member::Column::CaseId.eq(c.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Some((c, panel)))
}

/// The zaaknummers of a set of cases, by id, in one query: for lists of letters and notices.
pub async fn zaaknummers(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    let rows: Vec<(i32, String)> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::Zaaknummer)
        .filter(case::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Errors a case use case reports to the user, in Dutch.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("De gekozen school bestaat niet (meer).")]
    UnknownSchool,
    #[error("Een klaagschrift noemt ten minste één klager (art. 11.3).")]
    NoKlager,
    #[error("Dit lid staat al in de commissie voor deze zaak.")]
    AlreadyOnPanel,
    #[error("{0}")]
    NotEligible(String),
    #[error("Het commissielid bestaat niet (meer).")]
    UnknownMember,
    #[error("{0}")]
    Deadline(String),
    #[error("{0}")]
    Letter(String),
    /// A step the case's state does not allow now (the reason from `domain::intake`).
    #[error("{0}")]
    NotNow(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<crate::letters::LetterError> for CaseError {
    fn from(e: crate::letters::LetterError) -> Self {
        match e {
            crate::letters::LetterError::Db(db) => CaseError::Db(db),
            other => CaseError::Letter(other.to_string()),
        }
    }
}

impl From<crate::deadlines::DeadlineError> for CaseError {
    fn from(e: crate::deadlines::DeadlineError) -> Self {
        match e {
            crate::deadlines::DeadlineError::Db(db) => CaseError::Db(db),
            other => CaseError::Deadline(other.to_string()),
        }
    }
}

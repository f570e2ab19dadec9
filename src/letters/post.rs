//! Letters to recipients without an e-mail address: the queue of letters waiting for post,
//! one printable PDF of all of them, and marking them posted.

use super::LetterError;
use crate::audit::WriteTx;
use crate::entities::letter;
use crate::pdf::{self, LetterLayout};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// The most letters one batch holds; more wait for the next.
pub const BATCH_LIMIT: u64 = 200;

/// Letters waiting for post, oldest first, with their case's zaaknummer.
pub async fn waiting(db: &impl ConnectionTrait) -> Result<Vec<(letter::Model, String)>, DbErr> {
    let letters = letter::Entity::find()
        .filter(letter::Column::Channel.eq("post"))
        .filter(letter::Column::PostedAt.is_null())
        .order_by_asc(letter::Column::Id)
        .limit(BATCH_LIMIT)
        .all(db)
        .await?;
    let cases = crate::cases::zaaknummers(db, letters.iter().map(|l| l.case_id)).await?;
    Ok(letters
        .into_iter()
        .map(|l| {
            let z = cases.get(&l.case_id).cloned().unwrap_or_default();
            (l, z)
        })
        .collect())
}

/// How many letters wait for post (one COUNT, for the start page).
pub async fn waiting_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    letter::Entity::find()
        .filter(letter::Column::Channel.eq("post"))
        .filter(letter::Column::PostedAt.is_null())
        .count(db)
        .await
}

/// One PDF with the given waiting letters, each exactly as it was laid out when sent.
pub async fn batch_pdf(letters: &[letter::Model]) -> Result<Vec<u8>, LetterError> {
    let layouts = letters
        .iter()
        .map(|l| serde_json::from_str::<LetterLayout>(&l.layout))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DbErr::Custom(format!("stored letter layout unreadable: {e}")))?;
    let bytes = tokio::task::spawn_blocking(move || pdf::render(&layouts))
        .await
        .map_err(|e| DbErr::Custom(format!("PDF task failed: {e}")))??;
    Ok(bytes)
}

/// Marks letters as posted; letters already marked, or sent by e-mail, are left alone.
/// Returns how many were marked.
pub async fn mark_posted(tx: &mut WriteTx, ids: &[i32]) -> Result<usize, DbErr> {
    let letters = letter::Entity::find()
        .filter(letter::Column::Id.is_in(ids.iter().copied()))
        .filter(letter::Column::Channel.eq("post"))
        .filter(letter::Column::PostedAt.is_null())
        .all(tx.conn())
        .await?;
    if letters.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    letter::Entity::update_many()
        .col_expr(letter::Column::PostedAt, sea_orm::sea_query::Expr::value(now))
        .filter(letter::Column::Id.is_in(letters.iter().map(|l| l.id)))
        .exec(tx.conn())
        .await?;
    let entries = letters
        .iter()
        .map(|l| {
            (
                Some(l.case_id),
                "brief.gepost",
                json!({ "onderwerp": l.subject, "aan": l.recipient_name, "datum_brief": l.letter_date }),
            )
        })
        .collect();
    tx.audit_many(entries).await?;
    Ok(letters.len())
}

//! Documents of a case: stored in the database with their SHA-256 and the receipt date stamp
//! of Art 11.9; the bytes in a table of their own.

use super::register::NewDocument;
use crate::audit::WriteTx;
use crate::entities::{document, document_content};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Incoming documents are `in`; the commission's own letters `uit`.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    case_id: i32,
    d: NewDocument,
    registered_by: Option<i32>,
    direction: &str,
) -> Result<document::Model, DbErr> {
    let sha256 = hex::encode(Sha256::digest(&d.bytes));
    let doc = document::ActiveModel {
        case_id: Set(case_id),
        title: Set(d.title),
        file_name: Set(d.file_name),
        media_type: Set(d.media_type),
        size_bytes: Set(d.bytes.len() as i64),
        sha256: Set(sha256),
        received_on: Set(d.received_on),
        registered_by: Set(registered_by),
        registered_at: Set(Utc::now()),
        restricted: Set(false),
        direction: Set(direction.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    document_content::ActiveModel { document_id: Set(doc.id), bytes: Set(d.bytes) }.insert(db).await?;
    Ok(doc)
}

/// Adds an incoming document to an existing case (Art 11.9: with its receipt date).
pub async fn add(tx: &mut WriteTx, case_id: i32, d: NewDocument) -> Result<document::Model, DbErr> {
    let user = tx.actor().user_id;
    let doc = insert(tx.conn(), case_id, d, user, "in").await?;
    tx.audit(
        Some(case_id),
        "document.ontvangen",
        json!({ "titel": doc.title, "bestand": doc.file_name, "sha256": doc.sha256, "ontvangen": doc.received_on }),
    )
    .await?;
    Ok(doc)
}

/// Art 11.9: an incoming document gets its receipt date and, when its sender is known, an
/// acknowledgement to the sender, in the same transaction.
pub async fn receive(
    tx: &mut WriteTx,
    c: &crate::entities::case::Model,
    d: NewDocument,
    acknowledge_to: Option<crate::letters::compose::To>,
) -> Result<document::Model, super::CaseError> {
    use crate::domain::letter::{LetterKind, Values};
    let doc = add(tx, c.id, d).await?;
    if let Some(to) = acknowledge_to {
        let values: Values =
            [("stuk", doc.title.clone()), ("stuk_ontvangen_op", crate::domain::dutch::date(doc.received_on))]
                .into_iter()
                .collect();
        crate::letters::compose::send(tx, c, LetterKind::OntvangstStuk, to, values).await?;
    }
    Ok(doc)
}

/// A document of the given case with its bytes; `None` when the id belongs to another case.
pub async fn load(
    db: &impl ConnectionTrait,
    case_id: i32,
    document_id: i32,
) -> Result<Option<(document::Model, Vec<u8>)>, DbErr> {
    let Some(doc) =
        document::Entity::find_by_id(document_id).filter(document::Column::CaseId.eq(case_id)).one(db).await?
    else {
        return Ok(None);
    };
    let bytes = document_content::Entity::find_by_id(doc.id).one(db).await?.map(|c| c.bytes).unwrap_or_default();
    Ok(Some((doc, bytes)))
}

/// Art 15: the chair reserves inspection of a document to the qualified gemachtigde of the
/// party concerned (`None` lifts the restriction). Audited with the reason.
pub async fn restrict(
    tx: &mut WriteTx,
    c: &crate::entities::case::Model,
    document_id: i32,
    concerned: Option<crate::domain::case::PartyRole>,
    reason: &str,
) -> Result<(), super::CaseError> {
    use sea_orm::ActiveModelTrait;
    let doc = document::Entity::find_by_id(document_id)
        .filter(document::Column::CaseId.eq(c.id))
        .one(tx.conn())
        .await?
        .ok_or_else(|| super::CaseError::NotNow("Dit document hoort niet bij de zaak.".into()))?;
    if doc.direction != "in" {
        return Err(super::CaseError::NotNow("Alleen ontvangen stukken kunnen een beperkte inzage krijgen.".into()));
    }
    let mut am: document::ActiveModel = doc.clone().into();
    am.restricted = Set(concerned.is_some());
    am.restricted_for = Set(concerned.map(|p| p.code().to_owned()));
    am.restriction_reason = Set(concerned.map(|_| reason.to_owned()));
    am.update(tx.conn()).await?;
    tx.audit(
        Some(c.id),
        if concerned.is_some() { "document.beperkt" } else { "document.beperking_opgeheven" },
        json!({ "document": doc.title, "voor": concerned.map(|p| p.label()), "reden": reason }),
    )
    .await?;
    Ok(())
}

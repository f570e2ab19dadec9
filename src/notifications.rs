//! Notifications for board users: a message in the portal for every letter the commission
//! sends their board, read or unread, and by e-mail too for those who asked for it. Also the
//! per-user choices about the daily digest and these e-mails.

use crate::audit::WriteTx;
use crate::entities::{case, notification, user};
use crate::outbox::{self, NewMessage, Purpose};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use serde_json::json;

/// Tells every active user of the case's board; those who chose so also by e-mail (a notice
/// only: the content stays in the portal).
pub async fn notify_board(
    db: &impl ConnectionTrait,
    c: &case::Model,
    letter_id: Option<i32>,
    title: &str,
    body: &str,
    from_address: &str,
) -> Result<usize, DbErr> {
    let users = user::Entity::find()
        .filter(user::Column::Role.eq("bestuur"))
        .filter(user::Column::BoardId.eq(c.board_id))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?;
    if users.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let rows: Vec<notification::ActiveModel> = users
        .iter()
        .map(|u| notification::ActiveModel {
            user_id: Set(u.id),
            case_id: Set(Some(c.id)),
            letter_id: Set(letter_id),
            title: Set(title.to_owned()),
            body: Set(body.to_owned()),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        })
        .collect();
    notification::Entity::insert_many(rows).exec_without_returning(db).await?;
    for u in users.iter().filter(|u| u.notify_by_email) {
        outbox::enqueue(
            db,
            NewMessage {
                purpose: Purpose::Melding,
                case_id: Some(c.id),
                letter_id: None,
                to_email: u.email.clone(),
                to_name: u.name.clone(),
                subject: format!("Nieuw bericht van de klachtencommissie over zaak {}", c.zaaknummer),
                body: format!(
                    "Beste {},\n\nIn het portaal van de klachtencommissie staat een nieuw bericht voor u: {title}.\n{body}\n\nLog in om het te lezen. U ontvangt deze e-mail omdat u meldingen per e-mail aanzette; uitzetten kan onder Mijn account.\n",
                    u.name
                ),
                attachment_document_id: None,
                more_attachments: vec![],
                calendar: None, register_document_id: None,            },
            from_address,
        )
        .await?;
    }
    Ok(users.len())
}

/// A notification with the zaaknummer of its case.
#[derive(Debug, Clone)]
pub struct Item {
    pub notification: notification::Model,
    pub zaaknummer: Option<String>,
}

pub const PER_PAGE: u64 = 50;

/// A user's notifications, newest first, one page; with the count of all.
pub async fn list(db: &impl ConnectionTrait, user_id: i32, page: u64) -> Result<(Vec<Item>, u64), DbErr> {
    let q = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(notification::Column::Id)
        .offset(page.saturating_sub(1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    let cases = crate::cases::zaaknummers(db, rows.iter().filter_map(|n| n.case_id)).await?;
    let items = rows
        .into_iter()
        .map(|n| {
            let zaaknummer = n.case_id.and_then(|id| cases.get(&id).cloned());
            Item { notification: n, zaaknummer }
        })
        .collect();
    Ok((items, total))
}

pub async fn unread_count(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
}

/// Marks the user's own notifications read: the given one, or all.
pub async fn mark_read(db: &impl ConnectionTrait, user_id: i32, id: Option<i32>) -> Result<u64, DbErr> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(Utc::now())))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// Saves a user's choices about the digest and notification e-mails.
pub async fn set_preferences(tx: &mut WriteTx, user_id: i32, digest: bool, by_email: bool) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::DigestEnabled, Expr::value(digest))
        .col_expr(user::Column::NotifyByEmail, Expr::value(by_email))
        .filter(user::Column::Id.eq(user_id))
        .exec(tx.conn())
        .await?;
    tx.audit(None, "account.meldingen", json!({ "termijnenoverzicht": digest, "meldingen_per_email": by_email })).await
}

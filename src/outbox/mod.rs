//! The outbox: every e-mail the application sends is first a row here, written in the same
//! transaction as the state change that caused it. The worker ([`worker`]) delivers rows
//! through a [`transport`]: SMTP when configured, otherwise `.eml` files in the data directory.

pub mod transport;
pub mod worker;

use crate::audit::WriteTx;
use crate::entities::outbox_message;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

/// Why a message is sent (checked by the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A letter on a case, its PDF attached.
    Brief,
    /// The daily digest of deadlines.
    Herinnering,
    /// A notice that is not a letter: to a board user that a message waits in the portal, or
    /// to a panel member or the secretary with a hearing's calendar invitation.
    Melding,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Brief => "brief",
            Purpose::Herinnering => "herinnering",
            Purpose::Melding => "melding",
        }
    }

    pub fn label(code: &str) -> &'static str {
        match code {
            "brief" => "Brief",
            "herinnering" => "Termijnenoverzicht",
            "melding" => "Melding",
            _ => "Bericht",
        }
    }
}

/// Delivery states as stored.
pub mod status {
    pub const WAITING: &str = "wachtend";
    pub const SENT: &str = "verzonden";
    pub const FAILED: &str = "mislukt";

    pub fn label(code: &str) -> &'static str {
        match code {
            WAITING => "Wacht op verzending",
            SENT => "Verzonden",
            FAILED => "Mislukt",
            _ => "Onbekend",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub purpose: Purpose,
    pub case_id: Option<i32>,
    pub letter_id: Option<i32>,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub attachment_document_id: Option<i32>,
    /// Further documents sent along, in order (the klaagschrift's documents, say).
    pub more_attachments: Vec<i32>,
    /// An iCalendar object sent along (a hearing invitation, its update or cancellation).
    pub calendar: Option<String>,
    /// The PDF of a school register letter (`register_documents`), attached first.
    pub register_document_id: Option<i32>,
}

/// Writes a message into the outbox, in the caller's transaction. Its Message-ID is fixed now
/// (on the sender's domain) and goes with every delivery attempt.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    m: NewMessage,
    from_address: &str,
) -> Result<outbox_message::Model, DbErr> {
    let token: [u8; 16] = rand::random();
    let now = Utc::now();
    let more = m.more_attachments;
    let saved = outbox_message::ActiveModel {
        message_id: Set(crate::domain::outbox::message_id(&token, from_address)),
        purpose: Set(m.purpose.code().to_owned()),
        case_id: Set(m.case_id),
        letter_id: Set(m.letter_id),
        to_email: Set(m.to_email),
        to_name: Set(m.to_name),
        subject: Set(m.subject),
        body: Set(m.body),
        attachment_document_id: Set(m.attachment_document_id),
        status: Set(status::WAITING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        calendar: Set(m.calendar),
        register_document_id: Set(m.register_document_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !more.is_empty() {
        let rows = more.iter().enumerate().map(|(i, d)| crate::entities::outbox_attachment::ActiveModel {
            outbox_id: Set(saved.id),
            position: Set(i as i32),
            document_id: Set(*d),
        });
        crate::entities::outbox_attachment::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(saved)
}

/// A page of the outbox for the secretary, newest first; failed messages first when asked.
pub async fn list(
    db: &impl ConnectionTrait,
    only_status: Option<&str>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<outbox_message::Model>, u64), DbErr> {
    let mut q = outbox_message::Entity::find();
    if let Some(s) = only_status {
        q = q.filter(outbox_message::Column::Status.eq(s));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(outbox_message::Column::Id)
        .offset(page.saturating_sub(1) * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Counts per status: what the start page and the outbox tabs show.
pub async fn counts(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Status)
        .column_as(outbox_message::Column::Id.count(), "n")
        .group_by(outbox_message::Column::Status)
        .into_tuple()
        .all(db)
        .await
}

pub async fn get(db: &impl ConnectionTrait, id: i32) -> Result<Option<outbox_message::Model>, DbErr> {
    outbox_message::Entity::find_by_id(id).one(db).await
}

/// The secretary sends a failed (or stuck) message again: same Message-ID, attempts from zero.
/// A message already delivered is not sent again. Returns whether it was queued.
pub async fn resend(tx: &mut WriteTx, id: i32) -> Result<bool, DbErr> {
    let Some(m) = get(tx.conn(), id).await? else { return Ok(false) };
    if m.status == status::SENT {
        return Ok(false);
    }
    let res = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::Status, sea_orm::sea_query::Expr::value(status::WAITING))
        .col_expr(outbox_message::Column::Attempts, sea_orm::sea_query::Expr::value(0))
        .col_expr(outbox_message::Column::NextAttemptAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .col_expr(outbox_message::Column::LeaseOwner, sea_orm::sea_query::Expr::value(Option::<String>::None))
        .col_expr(
            outbox_message::Column::LeaseUntil,
            sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(outbox_message::Column::Id.eq(id))
        .filter(outbox_message::Column::Status.ne(status::SENT))
        .exec(tx.conn())
        .await?;
    if res.rows_affected == 0 {
        return Ok(false);
    }
    tx.audit(
        m.case_id,
        "bericht.opnieuw_verzonden",
        json!({ "aan": m.to_email, "onderwerp": m.subject, "message_id": m.message_id, "vorige_fout": m.last_error }),
    )
    .await?;
    Ok(true)
}

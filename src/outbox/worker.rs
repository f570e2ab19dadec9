//! The delivery worker. It claims waiting messages with a lease (on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so two instances never claim the same row; on SQLite the single
//! writer does the same), delivers them, and records the result. A worker that dies between
//! claim and delivery leaves a lease that runs out; the message is then claimed again.
//! Delivery is at least once; the stable Message-ID makes a repeat after a crash recognisable.

use super::status;
use super::transport::{self, DeliveryError, Outgoing, Transport};
use crate::audit::{Actor, WriteTx};
use crate::domain::outbox::{AfterFailure, after_failure};
use crate::entities::{document, document_content, outbox_message};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct Worker {
    pub db: DatabaseConnection,
    pub transport: Arc<Transport>,
    /// Unique per process: who holds a lease.
    pub owner: String,
    /// How long a claim holds before another worker may take the message.
    pub lease: Duration,
    pub batch: u64,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retry: usize,
    pub failed: usize,
    /// Delivered, but the lease had passed to another worker meanwhile.
    pub lost_lease: usize,
}

impl Pass {
    pub fn handled(&self) -> usize {
        self.sent + self.retry + self.failed + self.lost_lease
    }
}

/// A name for this process's worker: host, process id and a random suffix.
pub fn owner_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!("{host}-{}-{}", std::process::id(), hex::encode(rand::random::<[u8; 4]>()))
}

/// Claims up to `limit` messages whose time has come and that nobody holds, for `lease`.
/// Each claim counts as an attempt.
pub async fn claim(
    db: &impl ConnectionTrait,
    owner: &str,
    lease: Duration,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox_message::Model>, DbErr> {
    let mut rows = claim_due::<outbox_message::Entity>(db, owner, lease, now, limit).await?;
    rows.sort_by_key(|m| m.id);
    Ok(rows)
}

/// The claim of a queue table (the outbox, the webhook deliveries: both have `status`,
/// `next_attempt_at`, `attempts` and a lease): up to `limit` rows waiting and due that nobody
/// holds, leased to `owner` in one statement. PostgreSQL skips rows another instance is
/// claiming at that moment; SQLite has one writer at a time anyway.
pub async fn claim_due<E: EntityTrait>(
    db: &impl ConnectionTrait,
    owner: &str,
    lease: Duration,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<E::Model>, DbErr> {
    let backend = db.get_database_backend();
    let table = E::default().table_name().to_owned();
    let lock = if backend == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
    let sql = format!(
        "UPDATE {table} SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM {table} WHERE status = 'wachtend' AND next_attempt_at <= $3 \
         AND (lease_until IS NULL OR lease_until < $3) ORDER BY id LIMIT $4{lock}) \
         RETURNING *"
    );
    let stmt = crate::db::stmt(backend, &sql, vec![owner.into(), until.into(), now.into(), (limit as i64).into()]);
    E::find().from_raw_sql(stmt).all(db).await
}

impl Worker {
    pub fn new(db: DatabaseConnection, transport: Arc<Transport>) -> Self {
        Self { db, transport, owner: owner_name(), lease: Duration::from_secs(300), batch: 20 }
    }

    /// Claims one batch and delivers it.
    pub async fn run_once(&self) -> Result<Pass, DbErr> {
        let claimed = claim(&self.db, &self.owner, self.lease, Utc::now(), self.batch).await?;
        self.deliver_claimed(claimed).await
    }

    /// Delivers messages this worker has claimed.
    pub async fn deliver_claimed(&self, claimed: Vec<outbox_message::Model>) -> Result<Pass, DbErr> {
        let mut pass = Pass::default();
        if claimed.is_empty() {
            return Ok(pass);
        }
        let head = crate::letters::letterhead::load(&self.db).await?;
        for m in claimed {
            let result = match self.message(&m, head.display_name(), head.from_address()).await? {
                Ok(msg) => self.transport.deliver(&msg).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    if self.mark_sent(&m).await? {
                        pass.sent += 1;
                    } else {
                        tracing::warn!(id = m.id, message_id = %m.message_id, "delivered after the lease ran out");
                        pass.lost_lease += 1;
                    }
                }
                Err(e) => {
                    tracing::warn!(id = m.id, attempt = m.attempts, error = %e.message, "delivery failed");
                    if self.record_failure(&m, &e).await? {
                        pass.failed += 1;
                    } else {
                        pass.retry += 1;
                    }
                }
            }
        }
        Ok(pass)
    }

    async fn message(
        &self,
        m: &outbox_message::Model,
        from_name: &str,
        from_address: &str,
    ) -> Result<Result<lettre::Message, DeliveryError>, DbErr> {
        let mut ids: Vec<i32> = m.attachment_document_id.into_iter().collect();
        let more = crate::entities::outbox_attachment::Entity::find()
            .filter(crate::entities::outbox_attachment::Column::OutboxId.eq(m.id))
            .order_by_asc(crate::entities::outbox_attachment::Column::Position)
            .all(&self.db)
            .await?;
        ids.extend(more.iter().map(|a| a.document_id));
        let mut attachments = Vec::with_capacity(ids.len() + 1);
        if let Some(id) = m.register_document_id {
            match crate::entities::register_document::Entity::find_by_id(id).one(&self.db).await? {
                Some(d) => attachments.push((d.file_name, d.media_type, d.bytes)),
                None => {
                    return Ok(Err(DeliveryError { permanent: true, message: "een bijlage bestaat niet meer".into() }));
                }
            }
        }
        for id in ids {
            let doc = document::Entity::find_by_id(id).one(&self.db).await?;
            let bytes = document_content::Entity::find_by_id(id).one(&self.db).await?;
            match (doc, bytes) {
                (Some(d), Some(b)) => attachments.push((d.file_name, d.media_type, b.bytes)),
                _ => {
                    return Ok(Err(DeliveryError { permanent: true, message: "een bijlage bestaat niet meer".into() }));
                }
            }
        }
        if let Some(ics) = &m.calendar {
            attachments.push(calendar_attachment(ics));
        }
        Ok(transport::build(Outgoing {
            message_id: &m.message_id,
            from_name,
            from_address,
            to_name: &m.to_name,
            to_address: &m.to_email,
            subject: &m.subject,
            body: &m.body,
            attachments,
        }))
    }

    /// Marks a message sent if this worker still holds it; false when the lease was lost.
    async fn mark_sent(&self, m: &outbox_message::Model) -> Result<bool, DbErr> {
        let res = outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(status::SENT))
            .col_expr(outbox_message::Column::SentAt, Expr::value(Some(Utc::now())))
            .col_expr(outbox_message::Column::LeaseOwner, Expr::value(Option::<String>::None))
            .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(outbox_message::Column::LastError, Expr::value(Option::<String>::None))
            .filter(outbox_message::Column::Id.eq(m.id))
            .filter(outbox_message::Column::LeaseOwner.eq(self.owner.as_str()))
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected == 1)
    }

    /// Schedules the next attempt, or gives up (audited, shown to the secretary). True when
    /// the message is now failed.
    async fn record_failure(&self, m: &outbox_message::Model, e: &DeliveryError) -> Result<bool, DbErr> {
        let now = Utc::now();
        let outcome = if e.permanent { AfterFailure::GiveUp } else { after_failure(m.attempts, now) };
        let error: String = e.message.chars().take(2000).collect();
        match outcome {
            AfterFailure::RetryAt(at) => {
                outbox_message::Entity::update_many()
                    .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(at))
                    .col_expr(outbox_message::Column::LeaseOwner, Expr::value(Option::<String>::None))
                    .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
                    .col_expr(outbox_message::Column::LastError, Expr::value(Some(error)))
                    .filter(outbox_message::Column::Id.eq(m.id))
                    .filter(outbox_message::Column::LeaseOwner.eq(self.owner.as_str()))
                    .exec(&self.db)
                    .await?;
                Ok(false)
            }
            AfterFailure::GiveUp => {
                let mut tx = WriteTx::begin(&self.db, Actor::system("bezorging")).await?;
                let res = outbox_message::Entity::update_many()
                    .col_expr(outbox_message::Column::Status, Expr::value(status::FAILED))
                    .col_expr(outbox_message::Column::LeaseOwner, Expr::value(Option::<String>::None))
                    .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
                    .col_expr(outbox_message::Column::LastError, Expr::value(Some(error.clone())))
                    .filter(outbox_message::Column::Id.eq(m.id))
                    .filter(outbox_message::Column::LeaseOwner.eq(self.owner.as_str()))
                    .exec(tx.conn())
                    .await?;
                if res.rows_affected == 1 {
                    tx.audit(
                        m.case_id,
                        "bericht.mislukt",
                        json!({ "aan": m.to_email, "onderwerp": m.subject, "pogingen": m.attempts, "fout": error }),
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(true)
            }
        }
    }

    /// Runs until `shutdown` resolves: delivers whatever is due, then sleeps until woken
    /// (`wake`, after a commit that queued mail) or until the poll interval has passed, so
    /// messages queued by another instance are picked up too. The daily digest is written
    /// from the same loop.
    pub async fn run(
        self,
        wake: Arc<Notify>,
        poll: Duration,
        digest: Option<crate::digest::DigestSchedule>,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        loop {
            if let Some(d) = &digest
                && let Err(e) = d.run_if_due(&self.db, Utc::now()).await
            {
                tracing::error!(error = %e, "daily digest failed");
            }
            let mut more = false;
            match self.run_once().await {
                Ok(pass) => {
                    if pass.handled() > 0 {
                        tracing::info!(sent = pass.sent, retry = pass.retry, failed = pass.failed, "outbox pass");
                    }
                    more = pass.handled() as u64 >= self.batch;
                }
                Err(e) => tracing::error!(error = %e, "outbox pass failed"),
            }
            // Status changes for the boards' webhooks, from the same loop (their own lease).
            match crate::webhooks::run_once(&self.db, &self.owner, self.batch).await {
                Ok(pass) => {
                    if pass.handled() > 0 {
                        tracing::info!(sent = pass.sent, retry = pass.retry, failed = pass.failed, "webhook pass");
                    }
                    more |= pass.handled() as u64 >= self.batch;
                }
                Err(e) => tracing::error!(error = %e, "webhook pass failed"),
            }
            if more {
                continue;
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }
}

/// An iCalendar object as an attachment whose content type carries its iTIP method, so mail
/// clients offer to add, update or remove the event (RFC 6047).
fn calendar_attachment(ics: &str) -> (String, String, Vec<u8>) {
    let method = ics
        .lines()
        .find_map(|l| l.strip_prefix("METHOD:"))
        .map(|m| m.trim().to_owned())
        .unwrap_or_else(|| "PUBLISH".to_owned());
    let name = if method == "CANCEL" { "afzegging.ics" } else { "uitnodiging.ics" };
    (name.to_owned(), format!("text/calendar; charset=utf-8; method={method}"), ics.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_travels_as_text_calendar_with_its_method() {
        let ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n";
        let (name, media_type, bytes) = calendar_attachment(ics);
        assert_eq!(
            (name.as_str(), media_type.as_str()),
            ("afzegging.ics", "text/calendar; charset=utf-8; method=CANCEL")
        );
        assert_eq!(bytes, ics.as_bytes());
        let m = transport::build(Outgoing {
            message_id: "<kc.2@commissie.nl>",
            from_name: "Secretariaat",
            from_address: "secr@commissie.nl",
            to_name: "Lid",
            to_address: "lid@voorbeeld.nl",
            subject: "Afgezegd",
            body: "De zitting gaat niet door.",
            attachments: vec![calendar_attachment(ics)],
        })
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("Content-Type: text/calendar; charset=utf-8; method=CANCEL"), "{raw}");
        let (_, request, _) = calendar_attachment("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n");
        assert!(request.ends_with("method=REQUEST"));
    }
}

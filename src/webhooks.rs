//! Webhooks to the boards' own systems (issue 8): every status change of a board's case is
//! posted to the URL the board configured, signed with its secret.
//!
//! *Announcing.* [`crate::audit::WriteTx`] remembers the cases it audited and calls
//! [`announce`] just before it commits: one `UPDATE ... RETURNING` finds those whose
//! `status/outcome` differs from what was last announced (`cases.announced_state`) and records
//! the new state; for a board with a webhook URL a delivery row is written with its payload. So
//! every status change of every use case is announced exactly once, in the transaction of the
//! change, and a rolled-back change announces nothing.
//!
//! *Delivering.* [`run_once`] works like the mail worker: it claims due deliveries with a lease
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL), posts each with a 10-second timeout and the
//! signature made with the board's current secret at the time of sending, and marks it sent
//! on a 2xx; boards side by side, each board's deliveries in order (after a failure the rest
//! wait behind it). Anything else is retried after 1, 2, 4, ... minutes
//! ([`crate::domain::outbox::after_failure`]); after the last attempt it is marked failed,
//! audited, and shown on the board's page, where it can be sent again.

use crate::audit::{Actor, WriteTx};
use crate::domain::api::{self, StatusEvent};
use crate::domain::case::{CaseStatus, Outcome};
use crate::domain::outbox::{AfterFailure, after_failure};
use crate::entities::{board, webhook_delivery};
use crate::outbox::worker::Pass;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

/// Delivery states as stored (the same words as the mail outbox).
pub use crate::outbox::status;

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Announces the status changes of these cases (see the module documentation). Called by
/// `WriteTx::commit` with the cases the transaction audited.
pub async fn announce(db: &impl ConnectionTrait, case_ids: &[i32]) -> Result<(), DbErr> {
    if case_ids.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let mut changed = Vec::new();
    for chunk in case_ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        // The same text as `domain::api::announced_state`.
        let sql = format!(
            "UPDATE cases SET announced_state = status || '/' || COALESCE(outcome, '') \
             WHERE id IN ({}) AND (announced_state IS NULL \
             OR announced_state <> status || '/' || COALESCE(outcome, '')) \
             RETURNING id, zaaknummer, board_id, status, outcome",
            placeholders.join(", ")
        );
        let values = chunk.iter().map(|id| (*id).into()).collect();
        for row in db.query_all_raw(crate::db::stmt(backend, &sql, values)).await? {
            let id: i32 = row.try_get_by_index(0)?;
            let zaaknummer: String = row.try_get_by_index(1)?;
            let board_id: i32 = row.try_get_by_index(2)?;
            let status: String = row.try_get_by_index(3)?;
            let outcome: Option<String> = row.try_get_by_index(4)?;
            changed.push((id, zaaknummer, board_id, status, outcome));
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    let urls: HashMap<i32, String> = board::Entity::find()
        .select_only()
        .column(board::Column::Id)
        .column(board::Column::WebhookUrl)
        .filter(board::Column::Id.is_in(changed.iter().map(|c| c.2)))
        .filter(board::Column::WebhookUrl.is_not_null())
        .into_tuple::<(i32, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, url)| url.map(|u| (id, u)))
        .collect();
    let now = Utc::now();
    let rows: Vec<webhook_delivery::ActiveModel> = changed
        .into_iter()
        .filter_map(|(case_id, zaaknummer, board_id, status, outcome)| {
            let url = urls.get(&board_id)?;
            let event = StatusEvent {
                delivery_id: api::new_delivery_id(rand::random()),
                zaaknummer,
                status: CaseStatus::parse(&status)?,
                outcome: outcome.as_deref().and_then(Outcome::parse),
                occurred_at: now,
            };
            Some(webhook_delivery::ActiveModel {
                delivery_id: Set(event.delivery_id.clone()),
                board_id: Set(board_id),
                case_id: Set(Some(case_id)),
                event: Set(api::STATUS_EVENT.to_owned()),
                url: Set(url.clone()),
                payload: Set(api::payload(&event)),
                status: Set(status::WAITING.to_owned()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                lease_owner: Set(None),
                lease_until: Set(None),
                last_error: Set(None),
                response_status: Set(None),
                created_at: Set(now),
                delivered_at: Set(None),
                ..Default::default()
            })
        })
        .collect();
    if !rows.is_empty() {
        webhook_delivery::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Claims up to `limit` due deliveries that nobody holds, for `lease`; each claim counts as an
/// attempt.
pub async fn claim(
    db: &impl ConnectionTrait,
    owner: &str,
    lease: Duration,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    let mut rows = crate::outbox::worker::claim_due::<webhook_delivery::Entity>(db, owner, lease, now, limit).await?;
    rows.sort_by_key(|d| d.id);
    Ok(rows)
}

/// How one attempt ended.
enum Attempt {
    Delivered { status: u16 },
    Failed { error: String, status: Option<u16>, permanent: bool },
}

/// Claims due deliveries and posts them (one pass of the worker). Boards are served side by
/// side, so a slow receiver does not hold up the others (nor the mail in the same loop for
/// longer than about one timeout); each board's deliveries go in order, and after a failed
/// post the rest of that board's wait behind it.
pub async fn run_once(db: &DatabaseConnection, owner: &str, batch: u64) -> Result<Pass, DbErr> {
    let claimed = claim(db, owner, Duration::from_secs(300), Utc::now(), batch).await?;
    let mut pass = Pass::default();
    if claimed.is_empty() {
        return Ok(pass);
    }
    // A client per pass with work: a pooled connection must not outlive the runtime it was
    // made on (the tests run many).
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("klachtencommissie-webhook/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| DbErr::Custom(format!("webhook client: {e}")))?;
    let boards: HashMap<i32, board::Model> = board::Entity::find()
        .filter(board::Column::Id.is_in(claimed.iter().map(|d| d.board_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let mut by_board: std::collections::BTreeMap<i32, Vec<webhook_delivery::Model>> = Default::default();
    for d in claimed {
        by_board.entry(d.board_id).or_default().push(d);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (board_id, deliveries) in by_board {
        let target = boards.get(&board_id).and_then(|b| Some((b.webhook_url.clone()?, b.webhook_secret.clone()?)));
        let (db, owner, client) = (db.clone(), owner.to_owned(), client.clone());
        tasks.spawn(async move { deliver_board(&db, &owner, &client, target, deliveries).await });
    }
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(p)) => {
                pass.sent += p.sent;
                pass.retry += p.retry;
                pass.failed += p.failed;
                pass.lost_lease += p.lost_lease;
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "webhook deliveries of a board failed");
                first_error.get_or_insert(e);
            }
            // Its leases run out and the deliveries are claimed again.
            Err(e) => tracing::error!(error = %e, "a webhook delivery task ended abnormally"),
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(pass),
    }
}

/// One board's claimed deliveries, in order. `target` is its current URL and secret (`None`:
/// the webhook was removed, and nothing is sent).
async fn deliver_board(
    db: &DatabaseConnection,
    owner: &str,
    client: &reqwest::Client,
    target: Option<(String, String)>,
    deliveries: Vec<webhook_delivery::Model>,
) -> Result<Pass, DbErr> {
    let mut pass = Pass::default();
    let mut queue = deliveries.into_iter();
    while let Some(d) = queue.next() {
        let (url, attempt) = match &target {
            None => (
                d.url.clone(),
                Attempt::Failed {
                    error: "De koppeling van het bestuur is uitgeschakeld; niet verzonden.".into(),
                    status: None,
                    permanent: true,
                },
            ),
            Some((url, secret)) => (url.clone(), post(client, url, secret, &d).await),
        };
        match attempt {
            Attempt::Delivered { status } => {
                if mark_sent(db, owner, &d, &url, status).await? {
                    pass.sent += 1;
                } else {
                    tracing::warn!(id = d.id, "webhook delivered after the lease ran out");
                    pass.lost_lease += 1;
                }
            }
            Attempt::Failed { error, status, permanent } => {
                tracing::warn!(id = d.id, attempt = d.attempts, %error, "webhook delivery failed");
                match record_failure(db, owner, &d, &url, &error, status, permanent).await? {
                    None => pass.failed += 1,
                    Some(retry_at) => {
                        pass.retry += 1;
                        // The receiver is failing: the board's later changes wait behind this
                        // one, untried, so they still arrive in order.
                        let rest: Vec<webhook_delivery::Model> = queue.by_ref().collect();
                        defer(db, owner, &rest, retry_at).await?;
                        pass.retry += rest.len();
                    }
                }
            }
        }
    }
    Ok(pass)
}

/// Puts claimed deliveries back untried, due at `at` (the claim's attempt is not counted).
async fn defer(
    db: &DatabaseConnection,
    owner: &str,
    deliveries: &[webhook_delivery::Model],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if deliveries.is_empty() {
        return Ok(());
    }
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(at))
        .col_expr(
            webhook_delivery::Column::Attempts,
            sea_orm::sea_query::ExprTrait::sub(Expr::col(webhook_delivery::Column::Attempts), 1),
        )
        .col_expr(webhook_delivery::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(webhook_delivery::Column::Id.is_in(deliveries.iter().map(|d| d.id)))
        .filter(webhook_delivery::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

async fn post(client: &reqwest::Client, url: &str, secret: &str, d: &webhook_delivery::Model) -> Attempt {
    let signature = api::signature_header(secret, Utc::now().timestamp(), d.payload.as_bytes());
    let sent = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(api::SIGNATURE_HEADER, signature)
        .header(api::DELIVERY_HEADER, &d.delivery_id)
        .header(api::EVENT_HEADER, &d.event)
        .body(d.payload.clone())
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => Attempt::Delivered { status: r.status().as_u16() },
        Ok(r) => Attempt::Failed {
            error: format!("Het systeem antwoordde met HTTP {}.", r.status().as_u16()),
            status: Some(r.status().as_u16()),
            permanent: false,
        },
        Err(e) => {
            let permanent = e.is_builder();
            let error = if e.is_timeout() {
                format!("Geen antwoord binnen {} seconden.", TIMEOUT.as_secs())
            } else if e.is_connect() {
                "Geen verbinding met het systeem (adres onbereikbaar of geweigerd).".into()
            } else if e.is_builder() {
                "Het adres kan niet worden gebruikt.".into()
            } else {
                format!("Verzenden mislukt: {}", e.without_url())
            };
            Attempt::Failed { error, status: None, permanent }
        }
    }
}

async fn mark_sent(
    db: &DatabaseConnection,
    owner: &str,
    d: &webhook_delivery::Model,
    url: &str,
    status: u16,
) -> Result<bool, DbErr> {
    let res = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(status::SENT))
        .col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(Some(Utc::now())))
        .col_expr(webhook_delivery::Column::ResponseStatus, Expr::value(Some(i32::from(status))))
        .col_expr(webhook_delivery::Column::Url, Expr::value(url))
        .col_expr(webhook_delivery::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(webhook_delivery::Column::LastError, Expr::value(Option::<String>::None))
        .filter(webhook_delivery::Column::Id.eq(d.id))
        .filter(webhook_delivery::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Schedules the next attempt (returned), or gives up (audited; `None`).
async fn record_failure(
    db: &DatabaseConnection,
    owner: &str,
    d: &webhook_delivery::Model,
    url: &str,
    error: &str,
    response_status: Option<u16>,
    permanent: bool,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let now = Utc::now();
    let outcome = if permanent { AfterFailure::GiveUp } else { after_failure(d.attempts, now) };
    let error: String = error.chars().take(2000).collect();
    let response_status = response_status.map(i32::from);
    match outcome {
        AfterFailure::RetryAt(at) => {
            webhook_delivery::Entity::update_many()
                .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(at))
                .col_expr(webhook_delivery::Column::LeaseOwner, Expr::value(Option::<String>::None))
                .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .col_expr(webhook_delivery::Column::LastError, Expr::value(Some(error)))
                .col_expr(webhook_delivery::Column::ResponseStatus, Expr::value(response_status))
                .col_expr(webhook_delivery::Column::Url, Expr::value(url))
                .filter(webhook_delivery::Column::Id.eq(d.id))
                .filter(webhook_delivery::Column::LeaseOwner.eq(owner))
                .exec(db)
                .await?;
            Ok(Some(at))
        }
        AfterFailure::GiveUp => {
            let mut tx = WriteTx::begin(db, Actor::system("statusmeldingen")).await?;
            let res = webhook_delivery::Entity::update_many()
                .col_expr(webhook_delivery::Column::Status, Expr::value(status::FAILED))
                .col_expr(webhook_delivery::Column::LeaseOwner, Expr::value(Option::<String>::None))
                .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .col_expr(webhook_delivery::Column::LastError, Expr::value(Some(error.clone())))
                .col_expr(webhook_delivery::Column::ResponseStatus, Expr::value(response_status))
                .col_expr(webhook_delivery::Column::Url, Expr::value(url))
                .filter(webhook_delivery::Column::Id.eq(d.id))
                .filter(webhook_delivery::Column::LeaseOwner.eq(owner))
                .exec(tx.conn())
                .await?;
            if res.rows_affected == 1 {
                tx.audit(
                    d.case_id,
                    "webhook.mislukt",
                    json!({ "bestuur": d.board_id, "melding": d.delivery_id, "pogingen": d.attempts, "fout": error }),
                )
                .await?;
            }
            tx.commit().await?;
            Ok(None)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The board's configuration (the portal page `/koppeling`)

/// Sets the board's webhook URL (already checked with [`api::webhook_url`]); the first time,
/// a secret is generated. Returns whether a new secret was made.
pub async fn set_url(tx: &mut WriteTx, board_id: i32, url: &str) -> Result<bool, DbErr> {
    let b = board::Entity::find_by_id(board_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("board {board_id}")))?;
    let new_secret = b.webhook_secret.is_none();
    let mut update = board::Entity::update_many().col_expr(board::Column::WebhookUrl, Expr::value(Some(url)));
    if new_secret {
        update = update.col_expr(board::Column::WebhookSecret, Expr::value(Some(api::new_secret(rand::random()))));
    }
    update.filter(board::Column::Id.eq(board_id)).exec(tx.conn()).await?;
    tx.audit(
        None,
        "webhook.ingesteld",
        json!({ "bestuur": b.name, "adres": url, "vorig_adres": b.webhook_url, "nieuw_geheim": new_secret }),
    )
    .await?;
    Ok(new_secret)
}

/// Removes the board's webhook: no URL, no secret; waiting deliveries are not sent.
pub async fn clear(tx: &mut WriteTx, board_id: i32) -> Result<(), DbErr> {
    let Some(b) = board::Entity::find_by_id(board_id).one(tx.conn()).await? else { return Ok(()) };
    if b.webhook_url.is_none() && b.webhook_secret.is_none() {
        return Ok(());
    }
    board::Entity::update_many()
        .col_expr(board::Column::WebhookUrl, Expr::value(Option::<String>::None))
        .col_expr(board::Column::WebhookSecret, Expr::value(Option::<String>::None))
        .filter(board::Column::Id.eq(board_id))
        .exec(tx.conn())
        .await?;
    let dropped = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(status::FAILED))
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(Some("De koppeling is verwijderd; niet verzonden.".to_owned())),
        )
        .filter(webhook_delivery::Column::BoardId.eq(board_id))
        .filter(webhook_delivery::Column::Status.eq(status::WAITING))
        .exec(tx.conn())
        .await?
        .rows_affected;
    tx.audit(
        None,
        "webhook.verwijderd",
        json!({ "bestuur": b.name, "adres": b.webhook_url, "niet_verzonden": dropped }),
    )
    .await?;
    Ok(())
}

/// Replaces the board's secret (the old one stops working at once). Never audited in clear.
pub async fn renew_secret(tx: &mut WriteTx, board_id: i32) -> Result<bool, DbErr> {
    let Some(b) = board::Entity::find_by_id(board_id).one(tx.conn()).await? else { return Ok(false) };
    if b.webhook_url.is_none() {
        return Ok(false);
    }
    board::Entity::update_many()
        .col_expr(board::Column::WebhookSecret, Expr::value(Some(api::new_secret(rand::random()))))
        .filter(board::Column::Id.eq(board_id))
        .exec(tx.conn())
        .await?;
    tx.audit(None, "webhook.geheim_vernieuwd", json!({ "bestuur": b.name })).await?;
    Ok(true)
}

/// Sends a failed delivery again (attempts from zero). `false` when the board has no such
/// delivery or it was delivered.
pub async fn retry(tx: &mut WriteTx, board_id: i32, id: i32) -> Result<bool, DbErr> {
    let Some(d) = webhook_delivery::Entity::find_by_id(id)
        .filter(webhook_delivery::Column::BoardId.eq(board_id))
        .one(tx.conn())
        .await?
    else {
        return Ok(false);
    };
    if d.status == status::SENT {
        return Ok(false);
    }
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(status::WAITING))
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(0))
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(Utc::now()))
        .col_expr(webhook_delivery::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(webhook_delivery::Column::Id.eq(d.id))
        .exec(tx.conn())
        .await?;
    tx.audit(
        d.case_id,
        "webhook.opnieuw",
        json!({ "bestuur": board_id, "melding": d.delivery_id, "vorige_fout": d.last_error }),
    )
    .await?;
    Ok(true)
}

/// A delivery with the zaaknummer of its case, for the page.
pub struct Recent {
    pub delivery: webhook_delivery::Model,
    pub zaaknummer: Option<String>,
}

/// The board's most recent deliveries, newest first.
pub async fn recent(db: &impl ConnectionTrait, board_id: i32, limit: u64) -> Result<Vec<Recent>, DbErr> {
    let rows = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::BoardId.eq(board_id))
        .order_by_desc(webhook_delivery::Column::CreatedAt)
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let numbers = crate::cases::zaaknummers(db, rows.iter().filter_map(|d| d.case_id)).await?;
    Ok(rows
        .into_iter()
        .map(|d| Recent { zaaknummer: d.case_id.and_then(|c| numbers.get(&c).cloned()), delivery: d })
        .collect())
}

//! The link of Sint-Bonifatius's own register system with the commission in the demo: API tokens in
//! every state (in use, revoked, expired; the tokens themselves were shown once and are not
//! kept) and a webhook with deliveries sent and one given up. The webhook points at a port on
//! this machine where nothing listens, so status changes made while trying the demo show as
//! retried deliveries on *Koppeling*.

use crate::audit::WriteTx;
use crate::domain::api::{self, StatusEvent};
use crate::domain::case::{CaseStatus, Outcome};
use crate::entities::{api_token, board, case, webhook_delivery};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("demo timestamp")
}

pub async fn load(tx: &mut WriteTx, board_id: i32) -> anyhow::Result<()> {
    // Every demo case counts as announced in its present state: no delivery for the past.
    let ids: Vec<i32> = case::Entity::find().all(tx.conn()).await?.into_iter().map(|c| c.id).collect();
    crate::webhooks::announce(tx.conn(), &ids).await?;

    for (name, scopes, created, expires, revoked, used) in [
        (
            "Leerlingadministratie (klachtenmodule)",
            "lezen indienen",
            "2026-09-01T08:00:00Z",
            "2027-09-01T08:00:00Z",
            None,
            Some("2026-11-27T14:12:00Z"),
        ),
        (
            "Rapportage bestuursbureau",
            "lezen",
            "2026-10-05T09:30:00Z",
            "2027-04-05T09:30:00Z",
            None,
            Some("2026-11-29T06:00:00Z"),
        ),
        (
            "Oude koppeling",
            "lezen indienen",
            "2025-09-01T08:00:00Z",
            "2026-09-01T08:00:00Z",
            Some("2026-09-01T08:05:00Z"),
            Some("2026-08-31T16:40:00Z"),
        ),
        ("Proef 2025", "lezen", "2025-01-06T10:00:00Z", "2025-07-06T10:00:00Z", None, None),
    ] {
        api_token::ActiveModel {
            board_id: Set(board_id),
            name: Set(name.into()),
            scopes: Set(scopes.into()),
            created_by: Set(None),
            created_at: Set(at(created)),
            expires_at: Set(at(expires)),
            revoked_at: Set(revoked.map(at)),
            last_used_at: Set(used.map(at)),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }

    let url = "http://127.0.0.1:9/klachtencommissie/webhook";
    let b = board::Entity::find_by_id(board_id).one(tx.conn()).await?.context("demo board")?;
    let mut am: board::ActiveModel = b.into();
    am.webhook_url = Set(Some(url.into()));
    am.webhook_secret = Set(Some(api::new_secret(rand::random())));
    am.update(tx.conn()).await?;

    let cases = case::Entity::find()
        .filter(case::Column::BoardId.eq(board_id))
        .order_by_desc(case::Column::UpdatedAt)
        .all(tx.conn())
        .await?;
    for (n, c) in cases.iter().take(4).enumerate() {
        let when = at("2026-11-20T10:00:00Z") + chrono::TimeDelta::hours(7 * n as i64);
        let event = StatusEvent {
            delivery_id: api::new_delivery_id(rand::random()),
            zaaknummer: c.zaaknummer.clone(),
            status: CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Ontvangen),
            outcome: c.outcome.as_deref().and_then(Outcome::parse),
            occurred_at: when,
        };
        let failed = n == 3;
        webhook_delivery::ActiveModel {
            delivery_id: Set(event.delivery_id.clone()),
            board_id: Set(board_id),
            case_id: Set(Some(c.id)),
            event: Set(api::STATUS_EVENT.into()),
            url: Set(if failed { "https://register.bonifatius.example/webhook".into() } else { url.into() }),
            payload: Set(api::payload(&event)),
            status: Set(if failed { crate::outbox::status::FAILED } else { crate::outbox::status::SENT }.into()),
            attempts: Set(if failed { 8 } else { 1 }),
            next_attempt_at: Set(when),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_error: Set(failed.then(|| "Verbinding mislukt: de naam van de ontvanger is onbekend (DNS).".into())),
            response_status: Set((!failed).then_some(204)),
            created_at: Set(when),
            delivered_at: Set((!failed).then_some(when + chrono::TimeDelta::seconds(1))),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    Ok(())
}

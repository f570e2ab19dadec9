//! The daily digest: on each working day, from a set hour, every secretary and chair who has
//! not turned it off gets one e-mail with the deadlines of their cases that are overdue or due
//! within five working days. Whichever instance first inserts the day's `digest_runs` row
//! writes all of that day's digests, in one transaction with the outbox rows and the audit
//! entry; the others find the row and do nothing.

use crate::audit::{Actor, WriteTx};
use crate::domain::access::{Role, Viewer, case_scope};
use crate::domain::annual_report;
use crate::domain::deadline::DeadlineKind;
use crate::domain::digest::{self, Line, WORKING_DAYS_AHEAD};
use crate::entities::{digest_run, user};
use crate::outbox::{self, NewMessage, Purpose};
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct DigestSchedule {
    /// The hour (Dutch time) from which the day's digest is sent.
    pub hour: u32,
    /// The address the application is reached at, for the links in the mail.
    pub base_url: String,
}

impl DigestSchedule {
    /// Writes today's digests if it is a working day, the hour has come, and no instance has
    /// written them yet. Returns the number of messages when this call wrote them.
    pub async fn run_if_due(&self, db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Option<usize>, DbErr> {
        let local = now.with_timezone(&chrono_tz::Europe::Amsterdam);
        if local.hour() < self.hour {
            return Ok(None);
        }
        let today = local.date_naive();
        // A cheap read first: on most passes the day is done and no write lock is needed.
        if digest_run::Entity::find_by_id(today).one(db).await?.is_some() {
            return Ok(None);
        }
        let holidays = crate::deadlines::general_holidays(db).await?;
        if !digest::is_working_day(today, &holidays) {
            return Ok(None);
        }
        write(db, today, &self.base_url).await
    }
}

/// Writes the digests of `today`, unless they were written already.
pub async fn write(db: &DatabaseConnection, today: NaiveDate, base_url: &str) -> Result<Option<usize>, DbErr> {
    let mut tx = WriteTx::begin(db, Actor::system("termijnenoverzicht")).await?;
    let inserted = digest_run::Entity::insert(digest_run::ActiveModel {
        day: Set(today),
        messages: Set(0),
        created_at: Set(Utc::now()),
    })
    .on_conflict(OnConflict::column(digest_run::Column::Day).do_nothing().to_owned())
    .exec_without_returning(tx.conn())
    .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let holidays = crate::deadlines::general_holidays(tx.conn()).await?;
    let horizon = digest::horizon(today, WORKING_DAYS_AHEAD, &holidays);
    let from = crate::letters::letterhead::load(tx.conn()).await?;
    let users = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::DigestEnabled.eq(true))
        .filter(user::Column::Role.is_in([Role::Secretaris.code(), Role::Voorzitter.code()]))
        .all(tx.conn())
        .await?;
    let mut sent = 0;
    for u in users {
        let Some(role) = Role::parse(&u.role) else { continue };
        let viewer = Viewer { role, member_id: u.member_id, board_id: u.board_id, school_id: u.school_id };
        let lines = lines_for(tx.conn(), &viewer).await?;
        // Art 9.4: during August the secretary is reminded of the annual report.
        let note = if role == Role::Secretaris { annual_report::reminder(today, base_url) } else { None };
        let Some(text) = with_note(&u.name, digest::text(&u.name, today, horizon, &lines, base_url), note) else {
            continue;
        };
        outbox::enqueue(
            tx.conn(),
            NewMessage {
                purpose: Purpose::Herinnering,
                case_id: None,
                letter_id: None,
                to_email: u.email.clone(),
                to_name: u.name.clone(),
                subject: format!("Termijnen op {}", crate::domain::dutch::date(today)),
                body: text,
                attachment_document_id: None,
                more_attachments: vec![],
                calendar: None,
                register_document_id: None,
            },
            from.from_address(),
        )
        .await?;
        sent += 1;
    }
    digest_run::Entity::update_many()
        .col_expr(digest_run::Column::Messages, Expr::value(sent as i32))
        .filter(digest_run::Column::Day.eq(today))
        .exec(tx.conn())
        .await?;
    tx.audit(None, "termijnenoverzicht.verstuurd", json!({ "dag": today, "berichten": sent })).await?;
    tx.commit().await?;
    Ok(Some(sent))
}

/// The digest with a note at its end; the note alone, with a greeting, on a day without
/// deadlines to remind of.
fn with_note(name: &str, text: Option<String>, note: Option<String>) -> Option<String> {
    match (text, note) {
        (Some(t), Some(n)) => Some(format!("{t}\n{n}")),
        (None, Some(n)) => Some(format!("Beste {name},\n\n{n}")),
        (t, None) => t,
    }
}

/// The running deadlines of the cases this user may see, as digest lines.
async fn lines_for(db: &impl ConnectionTrait, viewer: &Viewer) -> Result<Vec<Line>, DbErr> {
    let (rows, _) = crate::deadlines::overview(db, case_scope(viewer)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(Line { zaaknummer: r.zaaknummer, kind: DeadlineKind::parse(&r.kind)?, due_on: r.due_on? }))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_added_or_sent_alone() {
        assert_eq!(with_note("A", Some("x".into()), Some("n".into())), Some("x\nn".into()));
        assert_eq!(with_note("A", None, Some("n".into())), Some("Beste A,\n\nn".into()));
        assert_eq!(with_note("A", Some("x".into()), None), Some("x".into()));
        assert_eq!(with_note("A", None, None), None);
    }
}

//! Login, session lookup and logout. Sessions live in the database so that every application
//! instance sees the same ones and logout is immediate everywhere.

use super::{CurrentUser, password, token};
use crate::config::Secret;
use crate::domain::access::Role;
use crate::entities::{login_attempt, session, user};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter,
};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(60);
/// And after this long in any case.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Failed attempts per account, and per address, within [`FAILURE_WINDOW`] before refusing.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_IP: u64 = 20;
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("onjuiste inloggegevens")]
    Invalid,
    #[error("te veel mislukte pogingen")]
    RateLimited,
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub struct LoggedIn {
    pub user: CurrentUser,
    pub token: String,
}

pub async fn login(
    db: &DatabaseConnection,
    key: &Secret,
    email: &str,
    pw: &str,
    ip: &str,
) -> Result<LoggedIn, LoginError> {
    let email = email.trim().to_lowercase();
    let since = Utc::now() - FAILURE_WINDOW;
    let failures = |col: login_attempt::Column, value: String| {
        login_attempt::Entity::find()
            .filter(col.eq(value))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::At.gt(since))
            .count(db)
    };
    if failures(login_attempt::Column::Email, email.clone()).await? >= MAX_FAILURES_PER_ACCOUNT
        || failures(login_attempt::Column::Ip, ip.to_owned()).await? >= MAX_FAILURES_PER_IP
    {
        tracing::warn!(%email, %ip, "login refused: too many failed attempts");
        return Err(LoginError::RateLimited);
    }

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?;
    let ok = password::verify(pw.to_owned(), found.as_ref().map(|u| u.password_hash.clone())).await;
    login_attempt::ActiveModel {
        email: Set(email.clone()),
        ip: Set(ip.to_owned()),
        succeeded: Set(ok),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let Some(u) = found.filter(|_| ok) else {
        tracing::warn!(%email, %ip, "login failed");
        return Err(LoginError::Invalid);
    };
    let role = Role::parse(&u.role).ok_or_else(|| anyhow::anyhow!("user {} has unknown role {}", u.id, u.role))?;

    // A new session at every login: nothing from an earlier (possibly planted) session carries over.
    let now = Utc::now();
    let sid = hex::encode(rand::random::<[u8; 32]>());
    session::ActiveModel {
        id: Set(sid.clone()),
        user_id: Set(u.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ABSOLUTE_TIMEOUT),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    let token = token::encode(
        key,
        &token::Claims {
            sid: sid.clone(),
            sub: u.id.to_string(),
            iat: now.timestamp(),
            exp: (now + ABSOLUTE_TIMEOUT).timestamp(),
        },
    )?;
    tracing::info!(user_id = u.id, %ip, "login");
    Ok(LoggedIn {
        user: CurrentUser {
            id: u.id,
            email: u.email,
            name: u.name,
            role,
            member_id: u.member_id,
            board_id: u.board_id,
            school_id: u.school_id,
            session_id: sid,
        },
        token,
    })
}

/// The user behind a session token, if the session is alive; touches its idle clock.
pub async fn authenticate(
    db: &DatabaseConnection,
    key: &Secret,
    token_text: &str,
) -> Result<Option<CurrentUser>, DbErr> {
    let Some(claims) = token::decode(key, token_text) else {
        return Ok(None);
    };
    let Some(s) = session::Entity::find_by_id(claims.sid.clone()).one(db).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if s.user_id.to_string() != claims.sub
        || s.ended_at.is_some()
        || now >= s.expires_at
        || now - s.last_seen_at >= IDLE_TIMEOUT
    {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id).one(db).await? else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&u.role).filter(|_| u.active) else {
        return Ok(None);
    };
    // Only write when the clock moved noticeably: one write a minute per user, not per request.
    if now - s.last_seen_at > Duration::seconds(60) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::prelude::Expr::value(now))
            .filter(session::Column::Id.eq(s.id.clone()))
            .exec(db)
            .await?;
    }
    Ok(Some(CurrentUser {
        id: u.id,
        email: u.email,
        name: u.name,
        role,
        member_id: u.member_id,
        board_id: u.board_id,
        school_id: u.school_id,
        session_id: s.id,
    }))
}

pub async fn logout(db: &DatabaseConnection, session_id: &str) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::EndedAt, sea_orm::prelude::Expr::value(Some(Utc::now())))
        .filter(session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

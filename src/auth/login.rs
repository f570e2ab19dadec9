//! Login, session lookup and logout. Sessions live in the database so that every application
//! instance sees the same ones and logout is immediate everywhere.

use super::{CurrentUser, password, token};
use crate::config::Secret;
use crate::domain::access::Role;
use crate::entities::{login_attempt, session, user};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter,
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

/// What a right password leads to: a session, or a pending login that still needs its second
/// step (a code, or enrolment when the role requires two-factor login).
pub enum Outcome {
    Session(LoggedIn),
    Pending { kind: token::Pending, token: String },
}

/// Whether this account or address has had too many failed attempts (passwords and codes
/// alike) within [`FAILURE_WINDOW`].
pub async fn rate_limited(db: &impl ConnectionTrait, email: &str, ip: &str) -> Result<bool, DbErr> {
    let since = Utc::now() - FAILURE_WINDOW;
    let failures = |col: login_attempt::Column, value: String| {
        login_attempt::Entity::find()
            .filter(col.eq(value))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::At.gt(since))
            .count(db)
    };
    Ok(failures(login_attempt::Column::Email, email.to_owned()).await? >= MAX_FAILURES_PER_ACCOUNT
        || failures(login_attempt::Column::Ip, ip.to_owned()).await? >= MAX_FAILURES_PER_IP)
}

/// Records one attempt (a password or a code) for the rate limits.
pub async fn record_attempt(db: &impl ConnectionTrait, email: &str, ip: &str, ok: bool) -> Result<(), DbErr> {
    login_attempt::ActiveModel {
        email: Set(email.to_owned()),
        ip: Set(ip.to_owned()),
        succeeded: Set(ok),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The password step: the active account with this e-mail address and password.
pub async fn check_password(
    db: &DatabaseConnection,
    email: &str,
    pw: &str,
    ip: &str,
) -> Result<user::Model, LoginError> {
    let email = email.trim().to_lowercase();
    if rate_limited(db, &email, ip).await? {
        tracing::warn!(%email, %ip, "login refused: too many failed attempts");
        return Err(LoginError::RateLimited);
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?;
    let ok = password::verify(pw.to_owned(), found.as_ref().map(|u| u.password_hash.clone())).await;
    record_attempt(db, &email, ip, ok).await?;
    let Some(u) = found.filter(|_| ok) else {
        tracing::warn!(%email, %ip, "login failed");
        return Err(LoginError::Invalid);
    };
    Ok(u)
}

/// Logs in: the password, then either a session at once, or a pending login when the account
/// has two-factor login (a code follows) or its role requires it and it has none yet
/// (enrolment follows). `next` is where the browser goes once done.
pub async fn login(
    db: &DatabaseConnection,
    key: &Secret,
    email: &str,
    pw: &str,
    ip: &str,
    require_2fa: &[Role],
    next: &str,
) -> Result<Outcome, LoginError> {
    let u = check_password(db, email, pw, ip).await?;
    let role = Role::parse(&u.role).ok_or_else(|| anyhow::anyhow!("user {} has unknown role {}", u.id, u.role))?;
    let kind = if u.totp_enabled_at.is_some() {
        Some(token::Pending::Code)
    } else if require_2fa.contains(&role) {
        Some(token::Pending::Enrol)
    } else {
        None
    };
    match kind {
        Some(kind) => {
            tracing::info!(user_id = u.id, %ip, ?kind, "password accepted, second step pending");
            Ok(Outcome::Pending { kind, token: super::totp::pending_token(key, &u, kind, next)? })
        }
        None => Ok(Outcome::Session(start_session(db, key, u, ip).await?)),
    }
}

/// Starts a session for an account whose login is complete.
pub async fn start_session(
    db: &DatabaseConnection,
    key: &Secret,
    u: user::Model,
    ip: &str,
) -> Result<LoggedIn, LoginError> {
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
/// A session of an account whose role requires two-factor login but which has none (a session
/// from before the requirement, or before a reset) is no longer valid: the next login enrols.
pub async fn authenticate(
    db: &DatabaseConnection,
    key: &Secret,
    token_text: &str,
    require_2fa: &[Role],
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
    if require_2fa.contains(&role) && u.totp_enabled_at.is_none() {
        return Ok(None);
    }
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

//! Two-factor login with TOTP (RFC 6238) and single-use recovery codes: the pending login
//! between password and code, enrolment, the second step itself, new recovery codes, turning
//! it off, and the administrator's reset. The arithmetic is in [`crate::domain::totp`].

use super::login::{self, LoggedIn, LoginError};
use super::token::{self, Pending, PendingClaims};
use crate::audit::{Actor, WriteTx};
use crate::config::Secret;
use crate::domain::access::Role;
use crate::domain::totp;
use crate::entities::{session, user, user_recovery_code};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, prelude::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Klachtencommissie";
/// How long the second step may take after the password.
pub const PENDING_TTL: Duration = Duration::minutes(5);
/// The cookie that carries a pending login (HttpOnly, SameSite=Strict, path `/login`).
pub const PENDING_COOKIE: &str = "kc_pending";

/// A short fingerprint of the password hash: a pending login dies with a password change.
fn fingerprint(password_hash: &str) -> String {
    hex::encode(&Sha256::digest(password_hash.as_bytes())[..8])
}

/// The signed pending-login token for an account whose password was right.
pub fn pending_token(key: &Secret, u: &user::Model, kind: Pending, next: &str) -> anyhow::Result<String> {
    let now = Utc::now();
    token::encode_pending(
        key,
        &PendingClaims {
            pending: kind,
            sub: u.id.to_string(),
            fp: fingerprint(&u.password_hash),
            next: next.to_owned(),
            iat: now.timestamp(),
            exp: (now + PENDING_TTL).timestamp(),
        },
    )
}

/// The account behind a pending login of `kind`, while it is valid: signed, not expired, the
/// account active with the same password, and still in the state the token was made for.
pub async fn pending_user(
    db: &DatabaseConnection,
    key: &Secret,
    token_text: &str,
    kind: Pending,
) -> Result<Option<(user::Model, PendingClaims)>, DbErr> {
    let Some(claims) = token::decode_pending(key, token_text).filter(|c| c.pending == kind) else {
        return Ok(None);
    };
    let Ok(id) = claims.sub.parse::<i32>() else { return Ok(None) };
    let Some(u) = user::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
    let state_fits = match kind {
        Pending::Code => u.totp_enabled_at.is_some(),
        Pending::Enrol => u.totp_enabled_at.is_none(),
    };
    if !u.active || !state_fits || fingerprint(&u.password_hash) != claims.fp {
        return Ok(None);
    }
    Ok(Some((u, claims)))
}

/// The audit actor for an account acting on itself.
pub fn actor_of(u: &user::Model) -> Actor {
    let role = Role::parse(&u.role).map_or(u.role.as_str(), |r| r.label());
    Actor { user_id: Some(u.id), name: format!("{} ({role})", u.name) }
}

fn secret_of(u: &user::Model) -> Option<Vec<u8>> {
    u.totp_secret.as_deref().and_then(totp::base32_decode)
}

/// Checks a TOTP code against the secret and the last used step, and claims the step: a
/// conditional update, so two requests with the same code cannot both succeed.
async fn claim_totp(db: &impl ConnectionTrait, u: &user::Model, input: &str) -> Result<bool, DbErr> {
    let Some(secret) = secret_of(u) else { return Ok(false) };
    let Some(step) = totp::verify(&secret, input, Utc::now().timestamp(), u.totp_last_step) else {
        return Ok(false);
    };
    let claimed = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(user::Column::Id.eq(u.id))
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Checks a recovery code against every unused one of the account (each compared in constant
/// time, none skipped) and uses it up.
async fn claim_recovery(db: &impl ConnectionTrait, user_id: i32, input: &str) -> Result<bool, DbErr> {
    if totp::normalize_recovery(input).is_empty() {
        return Ok(false);
    }
    let unused = user_recovery_code::Entity::find()
        .filter(user_recovery_code::Column::UserId.eq(user_id))
        .filter(user_recovery_code::Column::UsedAt.is_null())
        .all(db)
        .await?;
    let mut found = None;
    for c in &unused {
        if totp::recovery_matches(input, &c.code_hash) {
            found = Some(c.id);
        }
    }
    let Some(id) = found else { return Ok(false) };
    let used = user_recovery_code::Entity::update_many()
        .col_expr(user_recovery_code::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(user_recovery_code::Column::Id.eq(id))
        .filter(user_recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

/// A six-digit input is a TOTP code, anything else a recovery code.
async fn claim_code(db: &impl ConnectionTrait, u: &user::Model, input: &str) -> Result<bool, DbErr> {
    if totp::looks_like_code(input) { claim_totp(db, u, input).await } else { claim_recovery(db, u.id, input).await }
}

/// Runs one code check under the login rate limits: refused outright when the account or the
/// address has too many failures, and every attempt counted.
async fn rate_limited_check(db: &DatabaseConnection, u: &user::Model, ip: &str, ok: bool) -> Result<(), LoginError> {
    login::record_attempt(db, &u.email, ip, ok).await?;
    if ok {
        Ok(())
    } else {
        tracing::warn!(user_id = u.id, %ip, "second step failed");
        Err(LoginError::Invalid)
    }
}

async fn refuse_if_limited(db: &DatabaseConnection, u: &user::Model, ip: &str) -> Result<(), LoginError> {
    if login::rate_limited(db, &u.email, ip).await? {
        tracing::warn!(user_id = u.id, %ip, "code refused: too many failed attempts");
        return Err(LoginError::RateLimited);
    }
    Ok(())
}

/// The second step of a login: a current code or an unused recovery code; then the session.
pub async fn complete_login(
    db: &DatabaseConnection,
    key: &Secret,
    u: user::Model,
    input: &str,
    ip: &str,
) -> Result<LoggedIn, LoginError> {
    refuse_if_limited(db, &u, ip).await?;
    let ok = claim_code(db, &u, input).await?;
    rate_limited_check(db, &u, ip, ok).await?;
    login::start_session(db, key, u, ip).await
}

/// The secret and its enrolment URI, shown while enrolment waits for its first code.
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
}

/// The enrolment in progress for this account, if any.
pub fn enrolment(u: &user::Model) -> Option<Enrolment> {
    if u.totp_enabled_at.is_some() {
        return None;
    }
    let secret = secret_of(u)?;
    Some(Enrolment { secret: totp::base32_encode(&secret), uri: totp::otpauth_uri(ISSUER, &u.email, &secret) })
}

/// Starts enrolment with a new random secret (replacing one not yet confirmed); nothing
/// changes for an account that already has two-factor login.
pub async fn begin_enrolment(db: &DatabaseConnection, u: &user::Model) -> Result<Option<Enrolment>, DbErr> {
    if u.totp_enabled_at.is_some() {
        return Ok(None);
    }
    let secret: [u8; totp::SECRET_BYTES] = rand::random();
    let mut am: user::ActiveModel = u.clone().into();
    am.totp_secret = Set(Some(totp::base32_encode(&secret)));
    am.totp_last_step = Set(None);
    let updated = am.update(db).await?;
    Ok(enrolment(&updated))
}

/// The enrolment in progress, started when there is none.
pub async fn ensure_enrolment(db: &DatabaseConnection, u: &user::Model) -> Result<Option<Enrolment>, DbErr> {
    match enrolment(u) {
        Some(e) => Ok(Some(e)),
        None => begin_enrolment(db, u).await,
    }
}

/// Replaces the account's recovery codes with new ones and returns them (the only time they
/// are seen: only their hashes are kept).
async fn new_recovery_codes(tx: &WriteTx, user_id: i32) -> Result<Vec<String>, DbErr> {
    user_recovery_code::Entity::delete_many()
        .filter(user_recovery_code::Column::UserId.eq(user_id))
        .exec(tx.conn())
        .await?;
    let now = Utc::now();
    let codes: Vec<String> = (0..totp::RECOVERY_CODES).map(|_| totp::recovery_code(rand::random())).collect();
    user_recovery_code::Entity::insert_many(codes.iter().map(|c| user_recovery_code::ActiveModel {
        user_id: Set(user_id),
        code_hash: Set(totp::hash_recovery(c)),
        created_at: Set(now),
        used_at: Set(None),
        ..Default::default()
    }))
    .exec(tx.conn())
    .await?;
    Ok(codes)
}

/// Confirms enrolment with a current code of the new secret: two-factor login is on from now,
/// and the recovery codes are returned to be shown once.
pub async fn confirm_enrolment(
    db: &DatabaseConnection,
    actor: Actor,
    u: &user::Model,
    input: &str,
    ip: &str,
) -> Result<Vec<String>, LoginError> {
    refuse_if_limited(db, u, ip).await?;
    let ok = u.totp_enabled_at.is_none() && totp::looks_like_code(input) && claim_totp(db, u, input).await?;
    rate_limited_check(db, u, ip, ok).await?;
    let mut tx = WriteTx::begin(db, actor).await?;
    let enabled = user::Entity::update_many()
        .col_expr(user::Column::TotpEnabledAt, Expr::value(Some(Utc::now())))
        .filter(user::Column::Id.eq(u.id))
        .filter(user::Column::TotpEnabledAt.is_null())
        .exec(tx.conn())
        .await?;
    if enabled.rows_affected != 1 {
        return Err(LoginError::Invalid);
    }
    let codes = new_recovery_codes(&tx, u.id).await?;
    tx.audit(None, "tweestaps.ingeschakeld", json!({ "e-mail": u.email, "herstelcodes": codes.len() })).await?;
    tx.commit().await?;
    tracing::info!(user_id = u.id, "two-factor login enabled");
    Ok(codes)
}

/// New recovery codes (the old ones void), after a current code or an unused recovery code.
pub async fn regenerate_recovery_codes(
    db: &DatabaseConnection,
    actor: Actor,
    u: &user::Model,
    input: &str,
    ip: &str,
) -> Result<Vec<String>, LoginError> {
    refuse_if_limited(db, u, ip).await?;
    let ok = u.totp_enabled_at.is_some() && claim_code(db, u, input).await?;
    rate_limited_check(db, u, ip, ok).await?;
    let mut tx = WriteTx::begin(db, actor).await?;
    let codes = new_recovery_codes(&tx, u.id).await?;
    tx.audit(None, "tweestaps.herstelcodes_vernieuwd", json!({ "e-mail": u.email })).await?;
    tx.commit().await?;
    Ok(codes)
}

fn cleared(u: &user::Model) -> user::ActiveModel {
    let mut am: user::ActiveModel = u.clone().into();
    am.totp_secret = Set(None);
    am.totp_enabled_at = Set(None);
    am.totp_last_step = Set(None);
    am
}

/// Turns two-factor login off, after a current code or an unused recovery code. The caller
/// refuses this when the role requires two-factor login.
pub async fn disable(
    db: &DatabaseConnection,
    actor: Actor,
    u: &user::Model,
    input: &str,
    ip: &str,
) -> Result<(), LoginError> {
    refuse_if_limited(db, u, ip).await?;
    let ok = u.totp_enabled_at.is_some() && claim_code(db, u, input).await?;
    rate_limited_check(db, u, ip, ok).await?;
    let mut tx = WriteTx::begin(db, actor).await?;
    cleared(u).update(tx.conn()).await?;
    user_recovery_code::Entity::delete_many()
        .filter(user_recovery_code::Column::UserId.eq(u.id))
        .exec(tx.conn())
        .await?;
    tx.audit(None, "tweestaps.uitgeschakeld", json!({ "e-mail": u.email })).await?;
    tx.commit().await?;
    Ok(())
}

/// The administrator's reset (a lost phone): the account's secret and recovery codes are
/// removed and its sessions end; it logs in with the password alone, or enrols again when its
/// role requires two-factor login. `false` when there is no such account.
pub async fn reset_by_admin(db: &DatabaseConnection, actor: Actor, user_id: i32) -> Result<bool, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(u) = user::Entity::find_by_id(user_id).one(tx.conn()).await? else { return Ok(false) };
    let was_on = u.totp_enabled_at.is_some();
    cleared(&u).update(tx.conn()).await?;
    let codes = user_recovery_code::Entity::delete_many()
        .filter(user_recovery_code::Column::UserId.eq(u.id))
        .exec(tx.conn())
        .await?;
    let ended = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(Some(Utc::now())))
        .filter(session::Column::UserId.eq(u.id))
        .filter(session::Column::EndedAt.is_null())
        .exec(tx.conn())
        .await?;
    tx.audit(
        None,
        "gebruiker.tweestaps_hersteld",
        json!({
            "e-mail": u.email,
            "naam": u.name,
            "was ingeschakeld": was_on,
            "vervallen herstelcodes": codes.rows_affected,
            "beëindigde sessies": ended.rows_affected,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Unused recovery codes of an account.
pub async fn unused_recovery_codes(db: &DatabaseConnection, user_id: i32) -> Result<u64, DbErr> {
    user_recovery_code::Entity::find()
        .filter(user_recovery_code::Column::UserId.eq(user_id))
        .filter(user_recovery_code::Column::UsedAt.is_null())
        .order_by_asc(user_recovery_code::Column::Id)
        .count(db)
        .await
}

//! A board's API tokens: created on the portal page (the JWT is shown once and never stored),
//! listed, revoked, and checked on every API request. The JWT names its row, so revoking marks
//! the row and the token is refused from then on.

use crate::audit::WriteTx;
use crate::config::Secret;
use crate::domain::api::{self, Claims, Scope, Scopes, TokenError, TokenRequest};
use crate::entities::api_token;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use serde_json::json;

/// The key API tokens are signed with, derived from the session key.
pub fn signing_key(session_key: &Secret) -> [u8; 32] {
    api::derive_key(session_key.expose())
}

/// Creates a token for the board, valid from `now` for the requested days; returns its row and
/// the JWT (shown once). The audit entry names the token, never its text.
pub async fn create(
    tx: &mut WriteTx,
    session_key: &Secret,
    board_id: i32,
    request: TokenRequest,
    now: DateTime<Utc>,
) -> Result<(api_token::Model, String), DbErr> {
    let expires = now + Duration::days(request.valid_days);
    let row = api_token::ActiveModel {
        board_id: Set(board_id),
        name: Set(request.name.clone()),
        scopes: Set(request.scopes.format()),
        created_by: Set(tx.actor().user_id),
        created_at: Set(now),
        expires_at: Set(expires),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let jwt = api::encode(&signing_key(session_key), &Claims::new(row.id, board_id, &request.scopes, now, expires));
    tx.audit(
        None,
        "api.token_aangemaakt",
        json!({
            "token": row.id,
            "naam": row.name,
            "bestuur": board_id,
            "bevoegdheden": row.scopes,
            "geldig_tot": expires.date_naive(),
        }),
    )
    .await?;
    Ok((row, jwt))
}

/// The board's tokens, newest first (revoked and expired ones too, for the record).
pub async fn list(db: &impl ConnectionTrait, board_id: i32) -> Result<Vec<api_token::Model>, DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::BoardId.eq(board_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await
}

/// Revokes one of the board's tokens. `false` when the board has no such token; revoking a
/// revoked token changes nothing.
pub async fn revoke(tx: &mut WriteTx, board_id: i32, token_id: i32) -> Result<bool, DbErr> {
    let Some(t) =
        api_token::Entity::find_by_id(token_id).filter(api_token::Column::BoardId.eq(board_id)).one(tx.conn()).await?
    else {
        return Ok(false);
    };
    if t.revoked_at.is_some() {
        return Ok(true);
    }
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Some(Utc::now())))
        .filter(api_token::Column::Id.eq(t.id))
        .exec(tx.conn())
        .await?;
    tx.audit(None, "api.token_ingetrokken", json!({ "token": t.id, "naam": t.name, "bestuur": board_id })).await?;
    Ok(true)
}

/// Who is calling the API: the token and the board it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub token_id: i32,
    pub token_name: String,
    pub board_id: i32,
    pub scopes: Scopes,
}

impl ApiClient {
    pub fn may(&self, scope: Scope) -> bool {
        self.scopes.contains(scope)
    }

    /// The actor of the audit log for what this token does.
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor {
            user_id: None,
            name: format!("API-token \"{}\" (bestuur {})", self.token_name, self.board_id),
        }
    }
}

/// Why a bearer token is refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("invalid token")]
    Invalid,
    #[error("expired token")]
    Expired,
    #[error("revoked token")]
    Revoked,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Checks a bearer token: signature, issuer, audience and expiry; then its row: it exists, is
/// not revoked, has not expired, and belongs to the board the token names. Records the use at
/// most once a minute.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    session_key: &Secret,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ApiClient, AuthError> {
    let claims = api::decode(&signing_key(session_key), token, now).map_err(|e| match e {
        TokenError::Invalid => AuthError::Invalid,
        TokenError::Expired => AuthError::Expired,
    })?;
    let id = claims.token_id().ok_or(AuthError::Invalid)?;
    let row = api_token::Entity::find_by_id(id).one(db).await?.ok_or(AuthError::Invalid)?;
    if row.board_id != claims.board {
        return Err(AuthError::Invalid);
    }
    if row.revoked_at.is_some() {
        return Err(AuthError::Revoked);
    }
    if row.expires_at <= now {
        return Err(AuthError::Expired);
    }
    let scopes = Scopes::parse(&row.scopes).ok_or(AuthError::Invalid)?;
    if row.last_used_at.is_none_or(|t| now - t >= Duration::seconds(60)) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(now)))
            .filter(api_token::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(ApiClient { token_id: row.id, token_name: row.name, board_id: row.board_id, scopes })
}

/// How a token stands, for the portal page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    pub fn of(t: &api_token::Model, now: DateTime<Utc>) -> Self {
        if t.revoked_at.is_some() {
            TokenState::Revoked
        } else if t.expires_at <= now {
            TokenState::Expired
        } else {
            TokenState::Active
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TokenState::Active => "Actief",
            TokenState::Expired => "Verlopen",
            TokenState::Revoked => "Ingetrokken",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_token_is_no_api_token_and_vice_versa() {
        let key = Secret::new(vec![5; 32]);
        let now = Utc::now();
        let session = crate::auth::token::encode(
            &key,
            &crate::auth::token::Claims {
                sid: "s".into(),
                sub: "1".into(),
                iat: now.timestamp(),
                exp: now.timestamp() + 600,
            },
        )
        .unwrap();
        assert_eq!(api::decode(&signing_key(&key), &session, now), Err(TokenError::Invalid));
        let claims = Claims::new(1, 1, &Scopes::parse("lezen").unwrap(), now, now + Duration::days(1));
        let api_token = api::encode(&signing_key(&key), &claims);
        assert_eq!(crate::auth::token::decode(&key, &api_token), None);
        // Even signed with the session key itself, an API-shaped token is no session.
        let raw: [u8; 32] = key.expose().try_into().unwrap();
        assert_eq!(crate::auth::token::decode(&key, &api::encode(&raw, &claims)), None);
    }

    #[test]
    fn token_states() {
        let now = Utc::now();
        let t = api_token::Model {
            id: 1,
            board_id: 1,
            name: "x".into(),
            scopes: "lezen".into(),
            created_by: None,
            created_at: now,
            expires_at: now + Duration::days(1),
            revoked_at: None,
            last_used_at: None,
        };
        assert_eq!(TokenState::of(&t, now), TokenState::Active);
        assert_eq!(TokenState::of(&t, now + Duration::days(1)), TokenState::Expired);
        let revoked = api_token::Model { revoked_at: Some(now), ..t };
        assert_eq!(TokenState::of(&revoked, now), TokenState::Revoked);
    }
}

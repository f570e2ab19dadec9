//! A member's personal calendar feed: every hearing of the cases on whose panel they sit, at a
//! URL a calendar application can subscribe to without logging in. The URL carries a signed
//! token (a JWT, HS256 with the server's key) naming the member and the feed version; raising
//! the version revokes every URL handed out before.

use crate::audit::WriteTx;
use crate::cases::hearings::local;
use crate::config::Secret;
use crate::domain::hearing::{HearingKind, HearingStatus};
use crate::domain::ical::{self, HearingEvent, Method, Person};
use crate::entities::{case, hearing, member, panel_member, school};
use chrono::{TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;

const AUDIENCE: &str = "agenda";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The member id.
    sub: String,
    /// The member's feed version when the URL was made.
    ver: i32,
    aud: String,
}

/// The token for a member's current feed URL.
pub fn token(key: &Secret, m: &member::Model) -> String {
    let claims = Claims { sub: m.id.to_string(), ver: m.feed_version, aud: AUDIENCE.to_owned() };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(key.expose()))
        .unwrap_or_default()
}

/// The member and version a token names, if its signature holds. Feed URLs do not expire;
/// they are revoked.
fn verify(key: &Secret, token: &str) -> Option<(i32, i32)> {
    let mut v = Validation::new(Algorithm::HS256);
    v.set_required_spec_claims(&["sub", "aud"]);
    v.validate_exp = false;
    v.set_audience(&[AUDIENCE]);
    let data = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(key.expose()), &v).ok()?;
    Some((data.claims.sub.parse().ok()?, data.claims.ver))
}

/// Revokes the member's feed URL; the next one differs.
pub async fn renew(tx: &mut WriteTx, m: &member::Model) -> Result<member::Model, DbErr> {
    let mut am: member::ActiveModel = m.clone().into();
    am.feed_version = Set(m.feed_version + 1);
    let updated = am.update(tx.conn()).await?;
    tx.audit(None, "agenda.link_vernieuwd", json!({ "lid": m.name })).await?;
    Ok(updated)
}

/// The feed for a token: `None` when the token is forged, revoked or the member inactive.
/// Hearings from 60 days back on; a cancelled one stays in as cancelled so the calendar
/// removes it.
pub async fn feed(db: &impl ConnectionTrait, key: &Secret, token: &str) -> Result<Option<String>, DbErr> {
    let Some((member_id, version)) = verify(key, token) else { return Ok(None) };
    let Some(m) = member::Entity::find_by_id(member_id).one(db).await? else { return Ok(None) };
    if m.feed_version != version || !m.active {
        return Ok(None);
    }
    let seats = panel_member::Entity::find().filter(panel_member::Column::MemberId.eq(m.id)).all(db).await?;
    let hearings = hearing::Entity::find()
        .filter(hearing::Column::CaseId.is_in(seats.iter().map(|s| s.case_id)))
        .filter(hearing::Column::StartsAt.gte(Utc::now() - TimeDelta::days(60)))
        .all(db)
        .await?;
    let cases = case::Entity::find().filter(case::Column::Id.is_in(hearings.iter().map(|h| h.case_id))).all(db).await?;
    let schools =
        school::Entity::find().filter(school::Column::Id.is_in(cases.iter().map(|c| c.school_id))).all(db).await?;
    let head = crate::letters::letterhead::load(db).await?;
    let events: Vec<HearingEvent> = hearings
        .iter()
        .filter_map(|h| {
            let c = cases.iter().find(|c| c.id == h.case_id)?;
            let school = schools.iter().find(|s| s.id == c.school_id).map(|s| s.name.clone()).unwrap_or_default();
            let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
            Some(HearingEvent {
                uid: h.uid.clone(),
                sequence: u32::try_from(h.sequence).unwrap_or(0),
                summary: format!("{} klachtzaak {}", kind.label(), c.zaaknummer),
                description: format!("{} in klachtzaak {} ({school}).", kind.label(), c.zaaknummer),
                location: h.place.clone(),
                start: local(h.starts_at),
                end: local(h.ends_at),
                stamp: h.updated_at,
                cancelled: h.status == HearingStatus::Geannuleerd.code(),
                organizer: Person {
                    name: format!("Secretariaat {}", head.display_name()),
                    email: head.from_address().to_owned(),
                },
                chair: None,
                attendees: vec![],
            })
        })
        .collect();
    Ok(Some(ical::calendar(Method::Publish, Some(&format!("Zittingen {}", m.name)), &events)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_member_and_version_and_nothing_else_verifies() {
        let key = Secret::new(vec![7; 32]);
        let claims = Claims { sub: "12".into(), ver: 3, aud: AUDIENCE.into() };
        let t = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(key.expose()))
            .unwrap();
        assert_eq!(verify(&key, &t), Some((12, 3)));
        assert_eq!(verify(&Secret::new(vec![8; 32]), &t), None, "another key");
        let mut tampered = t.clone();
        tampered.insert(tampered.len() - 3, 'x');
        assert_eq!(verify(&key, &tampered), None);
        let other = Claims { sub: "12".into(), ver: 3, aud: "sessie".into() };
        let t2 = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &other, &EncodingKey::from_secret(key.expose()))
            .unwrap();
        assert_eq!(verify(&key, &t2), None, "only agenda tokens");
    }
}

//! People named in a case: a gemachtigde's standing for Art 15 (lawyer, doctor, or admitted by
//! the commission), which decides whether restricted documents may reach them.

use super::CaseError;
use crate::audit::WriteTx;
use crate::domain::case::PartyRole;
use crate::entities::{case, party};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

pub const QUALIFICATIONS: [(&str, &str); 3] =
    [("advocaat", "advocaat"), ("arts", "arts"), ("toegelaten", "bijzonder toegelaten door de commissie")];

pub async fn set_qualification(
    tx: &mut WriteTx,
    c: &case::Model,
    party_id: i32,
    qualification: Option<&str>,
) -> Result<(), CaseError> {
    let p = party::Entity::find_by_id(party_id)
        .filter(party::Column::CaseId.eq(c.id))
        .one(tx.conn())
        .await?
        .ok_or_else(|| CaseError::NotNow("Deze persoon hoort niet bij de zaak.".into()))?;
    if !matches!(PartyRole::parse(&p.role), Some(PartyRole::GemachtigdeKlager | PartyRole::GemachtigdeAangeklaagde)) {
        return Err(CaseError::NotNow("Alleen een gemachtigde heeft een hoedanigheid voor art. 15.".into()));
    }
    if qualification.is_some_and(|q| !QUALIFICATIONS.iter().any(|(code, _)| *code == q)) {
        return Err(CaseError::NotNow("Kies advocaat, arts of bijzonder toegelaten.".into()));
    }
    let mut am: party::ActiveModel = p.clone().into();
    am.qualification = Set(qualification.map(str::to_owned));
    am.update(tx.conn()).await?;
    tx.audit(Some(c.id), "partij.hoedanigheid", json!({ "naam": p.name, "hoedanigheid": qualification })).await?;
    Ok(())
}

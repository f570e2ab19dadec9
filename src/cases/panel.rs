//! Seating and unseating members on the panel of a case. Seating gives the member access to
//! the case (Art 10); removal takes it away.

use super::CaseError;
use crate::audit::WriteTx;
use crate::domain::case::PanelRole;
use crate::domain::panel::{Affiliation, PANEL_SIZE, ineligibility};
use crate::entities::{case, member, member_affiliation, panel_member};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;

/// The members the secretary may seat on this case: active, their term running on `today`, not
/// yet on the panel, and with no tie to the case's board or school (Art 5.1), so the form
/// never offers a choice [`seat`] would refuse for that reason. Two queries.
pub async fn eligible_members(
    db: &impl ConnectionTrait,
    c: &case::Model,
    today: chrono::NaiveDate,
) -> Result<Vec<member::Model>, DbErr> {
    let members = member::Entity::find()
        .filter(member::Column::Active.eq(true))
        .filter(member::Column::TermEnd.gt(today))
        .order_by_asc(member::Column::Name)
        .all(db)
        .await?;
    let ties = member_affiliation::Entity::find()
        .filter(member_affiliation::Column::MemberId.is_in(members.iter().map(|m| m.id)))
        .all(db)
        .await?;
    let seated: Vec<i32> = panel_member::Entity::find()
        .filter(panel_member::Column::CaseId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.member_id)
        .collect();
    Ok(members
        .into_iter()
        .filter(|m| !seated.contains(&m.id))
        .filter(|m| {
            let own: Vec<Affiliation> = ties
                .iter()
                .filter(|a| a.member_id == m.id)
                .filter_map(|a| a.board_id.map(Affiliation::Board).or(a.school_id.map(Affiliation::School)))
                .collect();
            ineligibility(&own, m.is_chair, PanelRole::Lid, c.board_id, c.school_id).is_none()
        })
        .collect())
}

pub async fn seat(tx: &mut WriteTx, c: &case::Model, member_id: i32, role: PanelRole) -> Result<(), CaseError> {
    let m = member::Entity::find_by_id(member_id)
        .one(tx.conn())
        .await?
        .filter(|m| m.active)
        .ok_or(CaseError::UnknownMember)?;
    let affiliations: Vec<Affiliation> = member_affiliation::Entity::find()
        .filter(member_affiliation::Column::MemberId.eq(m.id))
        .all(tx.conn())
        .await?
        .into_iter()
        .filter_map(|a| a.board_id.map(Affiliation::Board).or(a.school_id.map(Affiliation::School)))
        .collect();
    if let Some(reason) = ineligibility(&affiliations, m.is_chair, role, c.board_id, c.school_id) {
        return Err(CaseError::NotEligible(reason));
    }
    let seated = panel_member::Entity::find().filter(panel_member::Column::CaseId.eq(c.id)).all(tx.conn()).await?;
    if seated.iter().any(|p| p.member_id == m.id) {
        return Err(CaseError::AlreadyOnPanel);
    }
    if seated.len() >= PANEL_SIZE {
        return Err(CaseError::NotEligible(
            "De commissie voor deze zaak is al voltallig: een voorzitter en twee leden (art. 9.1).".into(),
        ));
    }
    if role == PanelRole::Voorzitter && seated.iter().any(|p| p.role == PanelRole::Voorzitter.code()) {
        return Err(CaseError::NotEligible("Deze zaak heeft al een voorzitter (art. 9.1).".into()));
    }
    panel_member::ActiveModel {
        case_id: Set(c.id),
        member_id: Set(m.id),
        role: Set(role.code().to_owned()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(Some(c.id), "commissie.lid_toegevoegd", json!({ "lid": m.name, "rol": role.label() })).await?;
    Ok(())
}

pub async fn unseat(tx: &mut WriteTx, c: &case::Model, member_id: i32) -> Result<(), CaseError> {
    let m = member::Entity::find_by_id(member_id).one(tx.conn()).await?.ok_or(CaseError::UnknownMember)?;
    let removed = panel_member::Entity::delete_many()
        .filter(panel_member::Column::CaseId.eq(c.id))
        .filter(panel_member::Column::MemberId.eq(member_id))
        .exec(tx.conn())
        .await?;
    if removed.rows_affected == 0 {
        return Err(CaseError::UnknownMember);
    }
    let left = panel_member::Entity::find().filter(panel_member::Column::CaseId.eq(c.id)).count(tx.conn()).await?;
    tx.audit(Some(c.id), "commissie.lid_verwijderd", json!({ "lid": m.name, "resterend": left })).await?;
    Ok(())
}

//! Seating and unseating members on the panel of a case. Seating gives the member access to
//! the case (Art 10); removal takes it away.

use super::CaseError;
use crate::audit::WriteTx;
use crate::domain::case::{CaseStatus, PanelRole};
use crate::domain::panel::{Affiliation, PANEL_SIZE, ineligibility};
use crate::entities::{case, member, member_affiliation, panel_member};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
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
    super::hearings::panel_changed(tx, c, None).await?;
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
    super::hearings::panel_changed(tx, c, Some(&m)).await?;
    Ok(())
}

/// The panel proposal for a case (Art 5.1, 5.2, 9.1, 9.2): every active member assessed, the
/// open seats filled by the domain rule. Four queries, whatever the number of members.
pub async fn proposal(
    db: &impl ConnectionTrait,
    c: &case::Model,
    today: chrono::NaiveDate,
) -> Result<crate::domain::proposal::Proposal, DbErr> {
    use crate::domain::case::{Expertise, Sector};
    use crate::domain::proposal::{Candidate, propose};
    let members = member::Entity::find()
        .filter(member::Column::Active.eq(true))
        .order_by_asc(member::Column::Name)
        .all(db)
        .await?;
    let ties = member_affiliation::Entity::find().all(db).await?;
    let seats = panel_member::Entity::find().filter(panel_member::Column::CaseId.eq(c.id)).all(db).await?;
    // Workload: seats on open cases, counted per member in one query. Driven from the open
    // cases through the (status, received_on) index, which an `IN` list can use and a `<>` cannot:
    // the cost follows the number of open cases, not the whole history.
    let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
    let load: Vec<(i32, i64)> = panel_member::Entity::find()
        .select_only()
        .column(panel_member::Column::MemberId)
        .column_as(panel_member::Column::Id.count(), "n")
        .join(
            sea_orm::JoinType::InnerJoin,
            panel_member::Entity::belongs_to(case::Entity)
                .from(panel_member::Column::CaseId)
                .to(case::Column::Id)
                .into(),
        )
        .filter(case::Column::Status.is_in(open))
        .group_by(panel_member::Column::MemberId)
        .into_tuple()
        .all(db)
        .await?;
    let school = crate::entities::school::Entity::find_by_id(c.school_id)
        .one(db)
        .await?
        .ok_or(DbErr::RecordNotFound("school".into()))?;
    let sector = Sector::parse(&school.sector).unwrap_or(Sector::Po);
    let hearing_by = crate::deadlines::for_case(db, c.id)
        .await?
        .into_iter()
        .find(|d| d.kind == crate::domain::deadline::DeadlineKind::Hoorzitting.code())
        .and_then(|d| d.due_on)
        .unwrap_or_else(|| c.received_on.checked_add_months(chrono::Months::new(2)).unwrap_or(c.received_on))
        .max(today);
    let seated: Vec<i32> = seats.iter().map(|s| s.member_id).collect();
    let candidates: Vec<Candidate> = members
        .iter()
        .filter(|m| !seated.contains(&m.id) && m.term_end > today)
        .map(|m| {
            let own: Vec<Affiliation> = ties
                .iter()
                .filter(|a| a.member_id == m.id)
                .filter_map(|a| a.board_id.map(Affiliation::Board).or(a.school_id.map(Affiliation::School)))
                .collect();
            Candidate {
                id: m.id,
                name: m.name.clone(),
                is_chair: m.is_chair,
                is_jurist: m.is_jurist,
                expertise: Expertise::parse(&m.expertise),
                sectors: m.sectors.split(',').filter_map(|s| Sector::parse(s.trim())).collect(),
                term_end: m.term_end,
                conflict: ineligibility(&own, m.is_chair, PanelRole::Lid, c.board_id, c.school_id),
                open_cases: load.iter().find(|(id, _)| *id == m.id).map_or(0, |(_, n)| *n as u32),
            }
        })
        .collect();
    let has_chair = seats.iter().any(|s| s.role == PanelRole::Voorzitter.code());
    let seated_expertise: Vec<Option<Expertise>> = seats
        .iter()
        .filter_map(|s| members.iter().find(|m| m.id == s.member_id))
        .map(|m| Expertise::parse(&m.expertise))
        .collect();
    let member_seats = seats.iter().filter(|s| s.role != PanelRole::Voorzitter.code()).count();
    Ok(propose(&candidates, sector, hearing_by, has_chair, &seated_expertise, 2usize.saturating_sub(member_seats)))
}

/// Seats the proposed panel as it stands now (computed again inside the transaction, so the
/// secretary accepts what the rule proposes at this moment).
pub async fn accept_proposal(tx: &mut WriteTx, c: &case::Model) -> Result<usize, CaseError> {
    let p = proposal(tx.conn(), c, crate::admin::today()).await?;
    let mut seated = 0;
    if let Some(chair) = p.chair {
        seat(tx, c, chair, PanelRole::Voorzitter).await?;
        seated += 1;
    }
    for m in &p.members {
        seat(tx, c, *m, PanelRole::Lid).await?;
        seated += 1;
    }
    if seated == 0 {
        return Err(CaseError::NotEligible(
            "Er is geen voorstel: de commissie is voltallig of niemand is beschikbaar.".into(),
        ));
    }
    Ok(seated)
}

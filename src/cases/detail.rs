//! Everything the case page shows, loaded with one query per kind (never per row).

use crate::entities::{audit_entry, board, case, deadline, document, member, panel_member, party, school};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

#[derive(Debug)]
pub struct CaseDetail {
    pub case: case::Model,
    pub school: school::Model,
    pub board: board::Model,
    pub parties: Vec<party::Model>,
    pub documents: Vec<document::Model>,
    pub panel: Vec<(panel_member::Model, member::Model)>,
    pub timeline: Vec<audit_entry::Model>,
    pub deadlines: Vec<deadline::Model>,
    /// Letters sent, newest first, each with its e-mail when sent by e-mail.
    pub letters: Vec<(crate::entities::letter::Model, Option<crate::entities::outbox_message::Model>)>,
    /// What the intake state machine knows (Art 11-13).
    pub intake: crate::domain::intake::Facts,
    /// The checklist as the registration suggests it, for the secretary to confirm.
    pub proposed_checklist: crate::domain::intake::Checklist,
    /// Wraking and verschoning requests (Art 19).
    pub recusals: Vec<super::recusals::Request>,
    /// The deliberation, the advies and the board's decision (Art 24, 25).
    pub advies: super::advies::Dossier,
    /// The school register entry the case came from (escalated by the school): id and number.
    pub register_entry: Option<(i32, String)>,
}

pub async fn load(db: &impl ConnectionTrait, c: case::Model) -> Result<CaseDetail, DbErr> {
    let school =
        school::Entity::find_by_id(c.school_id).one(db).await?.ok_or(DbErr::RecordNotFound("school".into()))?;
    let board = board::Entity::find_by_id(c.board_id).one(db).await?.ok_or(DbErr::RecordNotFound("board".into()))?;
    let parties =
        party::Entity::find().filter(party::Column::CaseId.eq(c.id)).order_by_asc(party::Column::Id).all(db).await?;
    let documents = document::Entity::find()
        .filter(document::Column::CaseId.eq(c.id))
        .order_by_asc(document::Column::ReceivedOn)
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?;
    let seats = panel_member::Entity::find()
        .filter(panel_member::Column::CaseId.eq(c.id))
        .order_by_asc(panel_member::Column::Id)
        .all(db)
        .await?;
    let members =
        member::Entity::find().filter(member::Column::Id.is_in(seats.iter().map(|s| s.member_id))).all(db).await?;
    let mut panel: Vec<_> = seats
        .into_iter()
        .filter_map(|s| members.iter().find(|m| m.id == s.member_id).cloned().map(|m| (s, m)))
        .collect();
    // The chair first, as on every letter.
    panel.sort_by_key(|(s, _)| (s.role != "voorzitter", s.id));
    let timeline = audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.eq(c.id))
        .order_by_desc(audit_entry::Column::Seq)
        .all(db)
        .await?;
    let deadlines = crate::deadlines::for_case(db, c.id).await?;
    let letters = crate::letters::compose::for_case(db, c.id).await?;
    let intake = super::intake::facts(db, &c).await?;
    let advies = super::advies::load(db, c.id).await?;
    let c_id = c.id;
    use crate::domain::case::PartyRole;
    let has = |role: PartyRole| parties.iter().any(|p| p.role == role.code());
    let proposed_checklist = crate::domain::intake::Checklist::proposed(
        parties
            .iter()
            .any(|p| p.role == PartyRole::Klager.code() && p.address.as_deref().is_some_and(|a| !a.trim().is_empty())),
        has(PartyRole::Aangeklaagde),
        !c.subject.trim().is_empty(),
        documents.iter().any(|d| d.direction == "in"),
    );
    let register_entry = crate::school_register::entry_of_case(db, c.id)
        .await?
        .map(|e| (e.id, crate::domain::school_register::entry_number(e.year, e.seq)));
    Ok(CaseDetail {
        register_entry,
        advies,
        case: c,
        school,
        board,
        parties,
        documents,
        panel,
        timeline,
        deadlines,
        letters,
        intake,
        proposed_checklist,
        recusals: super::recusals::for_case(db, c_id).await?,
    })
}

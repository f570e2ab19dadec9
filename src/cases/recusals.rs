//! Wraking and verschoning (Art 19): registering a request with its grounds, the other panel
//! members' votes cast in the application, and the decision computed by the domain rule. A
//! granted request removes the member from the panel (and so from the case) and the parties are
//! told; the panel proposal then offers a replacement.

use super::CaseError;
use crate::audit::WriteTx;
use crate::domain::case::PartyRole;
use crate::domain::letter::{LetterKind, Values};
use crate::domain::recusal::{self as rule, Decision};
use crate::entities::{case, member, panel_member, party, recusal, recusal_vote};
use crate::letters::compose::send;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

/// A request with the challenged member's name and the votes so far.
#[derive(Debug, Clone)]
pub struct Request {
    pub recusal: recusal::Model,
    pub member_name: String,
    pub votes: Vec<recusal_vote::Model>,
    /// Who votes on it: the other panel members (ids).
    pub voters: Vec<i32>,
}

async fn panel_ids(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<i32>, DbErr> {
    Ok(panel_member::Entity::find()
        .filter(panel_member::Column::CaseId.eq(case_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.member_id)
        .collect())
}

/// The requests on a case, newest first. Three queries.
pub async fn for_case(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<Request>, DbErr> {
    let rows = recusal::Entity::find()
        .filter(recusal::Column::CaseId.eq(case_id))
        .order_by_desc(recusal::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let votes = recusal_vote::Entity::find()
        .filter(recusal_vote::Column::RecusalId.is_in(rows.iter().map(|r| r.id)))
        .all(db)
        .await?;
    let names =
        member::Entity::find().filter(member::Column::Id.is_in(rows.iter().map(|r| r.member_id))).all(db).await?;
    let panel = panel_ids(db, case_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| Request {
            member_name: names.iter().find(|m| m.id == r.member_id).map_or_else(String::new, |m| m.name.clone()),
            votes: votes.iter().filter(|v| v.recusal_id == r.id).cloned().collect(),
            voters: rule::voters(&panel, r.member_id),
            recusal: r,
        })
        .collect())
}

/// What the secretary registers.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub member_id: i32,
    /// `wraking` (a party challenges) or `verschoning` (the member asks to withdraw).
    pub kind: String,
    pub requested_by: String,
    pub grounds: String,
    pub received_on: NaiveDate,
}

pub async fn register(tx: &mut WriteTx, c: &case::Model, r: NewRequest) -> Result<recusal::Model, CaseError> {
    if c.status == "afgesloten" {
        return Err(CaseError::NotNow("De zaak is afgesloten.".into()));
    }
    let panel = panel_ids(tx.conn(), c.id).await?;
    if !panel.contains(&r.member_id) {
        return Err(CaseError::NotNow("Dit lid zit niet in de commissie voor deze zaak.".into()));
    }
    let open = recusal::Entity::find()
        .filter(recusal::Column::CaseId.eq(c.id))
        .filter(recusal::Column::MemberId.eq(r.member_id))
        .filter(recusal::Column::Status.eq("open"))
        .one(tx.conn())
        .await?;
    if open.is_some() {
        return Err(CaseError::NotNow("Over dit lid loopt al een verzoek.".into()));
    }
    let m = member::Entity::find_by_id(r.member_id).one(tx.conn()).await?.ok_or(CaseError::UnknownMember)?;
    let saved = recusal::ActiveModel {
        case_id: Set(c.id),
        member_id: Set(r.member_id),
        kind: Set(r.kind.clone()),
        requested_by: Set(r.requested_by.clone()),
        grounds: Set(r.grounds.clone()),
        received_on: Set(r.received_on),
        status: Set("open".into()),
        created_at: Set(Utc::now()),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        Some(c.id),
        "wraking.verzocht",
        json!({ "soort": r.kind, "lid": m.name, "door": r.requested_by, "gronden": r.grounds, "ontvangen": r.received_on }),
    )
    .await?;
    // With no one to vote (a panel of one), the rule decides at once.
    settle(tx, c, &saved, &m).await?;
    Ok(saved)
}

/// A panel member's vote, cast by that member. Decides the request once every voter voted.
pub async fn vote(
    tx: &mut WriteTx,
    c: &case::Model,
    recusal_id: i32,
    voter: i32,
    grant: bool,
    reason: Option<String>,
) -> Result<Option<Decision>, CaseError> {
    let r = recusal::Entity::find_by_id(recusal_id)
        .filter(recusal::Column::CaseId.eq(c.id))
        .one(tx.conn())
        .await?
        .ok_or_else(|| CaseError::NotNow("Dit verzoek bestaat niet.".into()))?;
    if r.status != "open" {
        return Err(CaseError::NotNow("Over dit verzoek is al beslist.".into()));
    }
    let panel = panel_ids(tx.conn(), c.id).await?;
    let voted = recusal_vote::Entity::find_by_id((r.id, voter)).one(tx.conn()).await?.is_some();
    rule::may_vote(&panel, r.member_id, voter, voted).map_err(|e| CaseError::NotNow(e.to_owned()))?;
    recusal_vote::ActiveModel {
        recusal_id: Set(r.id),
        member_id: Set(voter),
        grant: Set(grant),
        reason: Set(reason),
        voted_at: Set(Utc::now()),
    }
    .insert(tx.conn())
    .await?;
    // The vote itself stays confidential on the timeline; that a vote was cast is recorded.
    tx.audit(Some(c.id), "wraking.gestemd", json!({ "verzoek": r.id })).await?;
    let m = member::Entity::find_by_id(r.member_id).one(tx.conn()).await?.ok_or(CaseError::UnknownMember)?;
    settle(tx, c, &r, &m).await
}

/// Applies the domain rule; when decided: records it, removes a granted member, tells the parties.
async fn settle(
    tx: &mut WriteTx,
    c: &case::Model,
    r: &recusal::Model,
    m: &member::Model,
) -> Result<Option<Decision>, CaseError> {
    let panel = panel_ids(tx.conn(), c.id).await?;
    let voters = rule::voters(&panel, r.member_id);
    let votes = recusal_vote::Entity::find().filter(recusal_vote::Column::RecusalId.eq(r.id)).all(tx.conn()).await?;
    let counted: Vec<&recusal_vote::Model> = votes.iter().filter(|v| voters.contains(&v.member_id)).collect();
    let grants = counted.iter().filter(|v| v.grant).count();
    let Some(decision) = rule::decide(voters.len(), grants, counted.len() - grants) else { return Ok(None) };
    let status = if decision == Decision::Granted { "toegewezen" } else { "afgewezen" };
    let mut am: recusal::ActiveModel = r.clone().into();
    am.status = Set(status.into());
    am.decided_at = Set(Some(Utc::now()));
    am.update(tx.conn()).await?;
    tx.audit(
        Some(c.id),
        "wraking.beslist",
        json!({ "soort": r.kind, "lid": m.name, "beslissing": status, "voor": grants, "tegen": counted.len() - grants }),
    )
    .await?;
    if decision == Decision::Granted {
        super::panel::unseat(tx, c, r.member_id).await?;
    }
    let kind_text = if r.kind == "verschoning" { "verschoning" } else { "wraking" };
    let text = if decision == Decision::Granted {
        format!(
            "Het verzoek is toegewezen. {} neemt geen deel meer aan de behandeling van de klacht; de commissie wordt aangevuld met een ander lid, van wie u de naam hoort.",
            m.name
        )
    } else {
        format!("Het verzoek is afgewezen. {} blijft deel uitmaken van de commissie die de klacht behandelt.", m.name)
    };
    let parties = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).all(tx.conn()).await?;
    for role in [PartyRole::Klager, PartyRole::Aangeklaagde] {
        if let Some(to) = super::intake::addressee(&parties, role) {
            let values: Values = [
                ("soort_verzoek", kind_text.to_owned()),
                ("commissielid", m.name.clone()),
                ("beslissing", text.clone()),
            ]
            .into_iter()
            .collect();
            send(tx, c, LetterKind::BeslissingWraking, to, values).await?;
        }
    }
    Ok(Some(decision))
}

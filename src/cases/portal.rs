//! The board portal: everything a board user needs on one page. Its cases at the commission
//! with status and next date, the notices (Art 12.2), the adviezen received (Art 25.3), the
//! decisions it still owes (Art 25.4) and its schools' registers. A fixed number of queries.

use super::progress::{self, Progress};
use crate::domain::case::CaseStatus;
use crate::entities::{case, school};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// How many open cases and adviezen the portal lists (the register has the rest).
pub const LIMIT: u64 = 50;

pub struct Portal {
    pub open: Vec<Progress>,
    pub open_total: u64,
    /// Adviezen sent to the board, newest first.
    pub adviezen: Vec<Progress>,
    pub decisions_owed: Vec<Progress>,
    pub notices: Vec<crate::notifications::Item>,
    pub unread: u64,
    pub registers: Vec<crate::school_register::SchoolSummary>,
    pub schools: Vec<school::Model>,
}

/// `school` limits the portal to one school of the board (a contactpersoon's account).
pub async fn load(
    db: &impl ConnectionTrait,
    board_id: i32,
    school: Option<i32>,
    user_id: i32,
) -> Result<Portal, DbErr> {
    use sea_orm::PaginatorTrait;
    // Every case query of the portal is narrowed the same way.
    let mine = |q: sea_orm::Select<case::Entity>| match school {
        Some(s) => q.filter(case::Column::BoardId.eq(board_id)).filter(case::Column::SchoolId.eq(s)),
        None => q.filter(case::Column::BoardId.eq(board_id)),
    };
    let open_q = mine(case::Entity::find()).filter(case::Column::Status.ne(CaseStatus::Afgesloten.code()));
    let open_total = open_q.clone().count(db).await?;
    let open_cases =
        open_q.order_by_desc(case::Column::ReceivedOn).order_by_desc(case::Column::Id).limit(LIMIT).all(db).await?;
    // Cases that got an advies: status advies sent or closed after one (indexed on board).
    let advised = mine(case::Entity::find())
        .filter(case::Column::Status.is_in([CaseStatus::AdviesUitgebracht.code(), CaseStatus::Afgesloten.code()]))
        .order_by_desc(case::Column::UpdatedAt)
        .limit(LIMIT)
        .all(db)
        .await?;
    // Every advies still waiting for the board's decision (WPO art 14 lid 7), however many.
    let owed = mine(case::Entity::find())
        .filter(case::Column::Status.eq(CaseStatus::AdviesUitgebracht.code()))
        .order_by_asc(case::Column::Zaaknummer)
        .all(db)
        .await?;
    let mut all = open_cases.clone();
    for c in advised.into_iter().chain(owed.iter().cloned()) {
        if !all.iter().any(|o| o.id == c.id) {
            all.push(c);
        }
    }
    let progress = progress::of(db, &all).await?;
    let open: Vec<Progress> =
        progress.iter().filter(|p| open_cases.iter().any(|c| c.id == p.case_id)).cloned().collect();
    let mut adviezen: Vec<Progress> = progress.iter().filter(|p| p.advies.is_some()).cloned().collect();
    adviezen.sort_by(|a, b| b.advies.as_ref().map(|x| x.sent_at).cmp(&a.advies.as_ref().map(|x| x.sent_at)));
    let decisions_owed: Vec<Progress> =
        progress.iter().filter(|p| owed.iter().any(|c| c.id == p.case_id) && p.decision_owed()).cloned().collect();
    let (notices, _) = crate::notifications::list(db, user_id, 1).await?;
    let unread = crate::notifications::unread_count(db, user_id).await?;
    let registers = crate::school_register::summary(db, board_id, school).await?;
    let schools = school::Entity::find().filter(school::Column::BoardId.eq(board_id)).all(db).await?;
    Ok(Portal {
        open,
        open_total,
        adviezen,
        decisions_owed,
        notices: notices.into_iter().take(8).collect(),
        unread,
        registers,
        schools,
    })
}

//! The board portal: everything a board user needs on one page. Its cases at the commission
//! with status and next date, the notices (Art 12.2), the adviezen received (Art 25.3), the
//! decisions it still owes (Art 25.4) and its schools' registers. A fixed number of queries.

use super::progress::{self, Progress};
use crate::domain::case::CaseStatus;
use crate::entities::{advies, board_decision, case, school};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};

/// How many open cases and adviezen the portal lists (the register has the rest).
pub const LIMIT: u64 = 50;

pub struct Portal {
    pub open: Vec<Progress>,
    pub open_total: u64,
    /// Adviezen sent to the board, newest first.
    pub adviezen: Vec<Progress>,
    /// The first [`LIMIT`] of the adviezen awaiting the board's decision, longest waiting first.
    pub decisions_owed: Vec<Progress>,
    pub decisions_owed_total: u64,
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
    let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
    // The open cases are read once, as (id, received_on) over the (board or school, status,
    // received_on) index: their number, and the newest LIMIT of them, fetched by id. Walking the
    // board's cases newest first and skipping closed ones (what SQLite plans for an ORDER BY
    // ... LIMIT) read most of a long history when few cases are open: 4.9 ms at 100,000 cases
    // with 300 open, against 0.6 ms this way.
    let mut open_keys: Vec<(i32, chrono::NaiveDate)> = mine(case::Entity::find())
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::ReceivedOn)
        .filter(case::Column::Status.is_in(open))
        .into_tuple()
        .all(db)
        .await?;
    let open_total = open_keys.len() as u64;
    open_keys.sort_unstable_by_key(|k| std::cmp::Reverse((k.1, k.0)));
    open_keys.truncate(LIMIT as usize);
    let mut open_cases =
        case::Entity::find().filter(case::Column::Id.is_in(open_keys.iter().map(|k| k.0))).all(db).await?;
    open_cases.sort_unstable_by_key(|c| std::cmp::Reverse((c.received_on, c.id)));
    // The newest adviezen sent to the board, walking the (board_id, sent_at) index of the
    // adviezen (migration 000019) newest first; the board is filtered on the advies, not on
    // the case, so the database cannot start from the board's whole history instead. A
    // corrected advies is sent again, so a case can come twice and the second is dropped.
    let mut sent_q = case::Entity::find()
        .join_rev(
            JoinType::InnerJoin,
            advies::Entity::belongs_to(case::Entity).from(advies::Column::CaseId).to(case::Column::Id).into(),
        )
        .filter(advies::Column::BoardId.eq(board_id));
    if let Some(s) = school {
        sent_q = sent_q.filter(case::Column::SchoolId.eq(s));
    }
    let sent_to_board = sent_q
        .filter(advies::Column::SentAt.is_not_null())
        .order_by_desc(advies::Column::SentAt)
        .order_by_desc(advies::Column::Id)
        .limit(2 * LIMIT)
        .all(db)
        .await?;
    let mut advised: Vec<case::Model> = Vec::new();
    for c in sent_to_board {
        if advised.len() < LIMIT as usize && !advised.iter().any(|a| a.id == c.id) {
            advised.push(c);
        }
    }
    // The adviezen still waiting for the board's decision (WPO art 14 lid 7), longest waiting
    // first: counted in full, listed up to the limit.
    let owed_q = mine(case::Entity::find())
        .filter(case::Column::Status.eq(CaseStatus::AdviesUitgebracht.code()))
        .filter(case::Column::Id.not_in_subquery(
            Query::select().column(board_decision::Column::CaseId).from(board_decision::Entity).to_owned(),
        ))
        .filter(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(advies::Column::CaseId)
                    .from(advies::Entity)
                    .and_where(advies::Column::SentAt.is_not_null())
                    .to_owned(),
            ),
        );
    let decisions_owed_total = owed_q.clone().count(db).await?;
    let owed =
        owed_q.order_by_asc(case::Column::ReceivedOn).order_by_asc(case::Column::Id).limit(LIMIT).all(db).await?;
    let mut all = open_cases.clone();
    for c in advised.iter().chain(owed.iter()) {
        if !all.iter().any(|o| o.id == c.id) {
            all.push(c.clone());
        }
    }
    let progress = progress::of(db, &all).await?;
    let find = |id: i32| progress.iter().find(|p| p.case_id == id).cloned();
    let open: Vec<Progress> = open_cases.iter().filter_map(|c| find(c.id)).collect();
    let adviezen: Vec<Progress> = advised.iter().filter_map(|c| find(c.id)).filter(|p| p.advies.is_some()).collect();
    let decisions_owed: Vec<Progress> = owed.iter().filter_map(|c| find(c.id)).collect();
    let (notices, _) = crate::notifications::list(db, user_id, 1).await?;
    let unread = crate::notifications::unread_count(db, user_id).await?;
    let registers = crate::school_register::summary(db, board_id, school).await?;
    let schools = school::Entity::find().filter(school::Column::BoardId.eq(board_id)).all(db).await?;
    Ok(Portal {
        open,
        open_total,
        adviezen,
        decisions_owed,
        decisions_owed_total,
        notices: notices.into_iter().take(8).collect(),
        unread,
        registers,
        schools,
    })
}

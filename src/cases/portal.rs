//! The board portal: everything a board user needs on one page. Its cases at the commission
//! with status and next date, the notices (Art 12.2), the adviezen received (Art 25.3), the
//! decisions it still owes (Art 25.4) and its schools' registers. A fixed number of queries.

use super::progress::{self, Progress};
use crate::domain::case::CaseStatus;
use crate::entities::{advies, board_decision, case, school};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};

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
    // Every case query of the portal is narrowed the same way.
    let mine = |q: sea_orm::Select<case::Entity>| match school {
        Some(s) => q.filter(case::Column::BoardId.eq(board_id)).filter(case::Column::SchoolId.eq(s)),
        None => q.filter(case::Column::BoardId.eq(board_id)),
    };
    let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
    // The open cases are read once, as (id, received_on, status) over the (board or school,
    // status, received_on) index: their number, the newest LIMIT of them, and the candidates
    // for a decision owed. Walking the board's cases newest first and skipping closed ones
    // (what SQLite plans for an ORDER BY ... LIMIT) read most of a long history when few cases
    // are open: 4.9 ms at 100,000 cases with 300 open, against 0.6 ms this way.
    let open_keys: Vec<(i32, chrono::NaiveDate, String)> = mine(case::Entity::find())
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::ReceivedOn)
        .column(case::Column::Status)
        .filter(case::Column::Status.is_in(open))
        .into_tuple()
        .all(db)
        .await?;
    let open_total = open_keys.len() as u64;
    // The adviezen still waiting for the board's decision (WPO art 14 lid 7): cases with the
    // advies sent and no decision recorded. They are among the open cases, so they are found
    // by id from those, through the case_id indexes. (As one query with NOT IN/IN subqueries,
    // PostgreSQL's generic plan for a prepared `status = $2` scanned the cases by primary key:
    // 9 ms for the count and 8 ms for the list at 100,000 cases, most of the page.)
    let candidates: Vec<i32> =
        open_keys.iter().filter(|k| k.2 == CaseStatus::AdviesUitgebracht.code()).map(|k| k.0).collect();
    let (sent, decided): (HashSet<i32>, HashSet<i32>) = if candidates.is_empty() {
        (HashSet::new(), HashSet::new())
    } else {
        let sent: Vec<i32> = advies::Entity::find()
            .select_only()
            .column(advies::Column::CaseId)
            .filter(advies::Column::CaseId.is_in(candidates.clone()))
            .filter(advies::Column::SentAt.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        let decided: Vec<i32> = board_decision::Entity::find()
            .select_only()
            .column(board_decision::Column::CaseId)
            .filter(board_decision::Column::CaseId.is_in(candidates))
            .into_tuple()
            .all(db)
            .await?;
        (sent.into_iter().collect(), decided.into_iter().collect())
    };
    let mut owed_keys: Vec<(chrono::NaiveDate, i32)> =
        open_keys.iter().filter(|k| sent.contains(&k.0) && !decided.contains(&k.0)).map(|k| (k.1, k.0)).collect();
    let decisions_owed_total = owed_keys.len() as u64;
    owed_keys.sort_unstable();
    owed_keys.truncate(LIMIT as usize);
    let mut newest: Vec<(chrono::NaiveDate, i32)> = open_keys.iter().map(|k| (k.1, k.0)).collect();
    newest.sort_unstable_by_key(|k| std::cmp::Reverse(*k));
    newest.truncate(LIMIT as usize);
    // Both lists' cases in one read by id.
    let wanted: HashSet<i32> = newest.iter().chain(owed_keys.iter()).map(|k| k.1).collect();
    let fetched = if wanted.is_empty() {
        Vec::new()
    } else {
        case::Entity::find().filter(case::Column::Id.is_in(wanted)).all(db).await?
    };
    let fetched: HashMap<i32, &case::Model> = fetched.iter().map(|c| (c.id, c)).collect();
    let by_id = |id: i32| fetched.get(&id).map(|c| (*c).clone());
    let open_cases: Vec<case::Model> = newest.iter().filter_map(|k| by_id(k.1)).collect();
    let owed: Vec<case::Model> = owed_keys.iter().filter_map(|k| by_id(k.1)).collect();
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

//! Where a set of cases stands, as a board or a school sees it: status and outcome, the next
//! date (a planned hearing or a running term), the advies once sent, the board's decision.
//! Used by the board portal, the school register and the JSON API; a fixed number of queries
//! for any number of cases.

use crate::domain::case::{CaseStatus, Outcome};
use crate::domain::deadline::DeadlineKind;
use crate::entities::{advies, board_decision, case, deadline, hearing};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub case_id: i32,
    pub zaaknummer: String,
    pub school_id: i32,
    pub board_id: i32,
    pub subject: String,
    pub received_on: NaiveDate,
    pub status: CaseStatus,
    pub outcome: Option<Outcome>,
    /// The planned hearing (or pre-hearing appearance), if any.
    pub hearing_at: Option<DateTime<Utc>>,
    /// The last hearing held, if any.
    pub held_at: Option<DateTime<Utc>>,
    /// The running term that ends first.
    pub next_term: Option<(DeadlineKind, NaiveDate)>,
    /// The advies as sent (the newest version), if sent.
    pub advies: Option<SentAdvies>,
    pub board_decision: Option<board_decision::Model>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentAdvies {
    pub advies_id: i32,
    pub version: i32,
    pub advies_date: NaiveDate,
    pub sent_at: DateTime<Utc>,
    pub outcome: Option<Outcome>,
    pub verification_code: Option<String>,
    pub pdf_document_id: Option<i32>,
}

impl Progress {
    /// The next date that matters: the hearing, or the first running term.
    pub fn next_date(&self) -> Option<NaiveDate> {
        let hearing = self.hearing_at.map(|t| crate::cases::hearings::local(t).date());
        match (hearing, self.next_term.map(|(_, d)| d)) {
            (Some(h), Some(t)) => Some(h.min(t)),
            (h, t) => h.or(t),
        }
    }

    /// Art 25.4: the advies was sent and the board has not yet recorded its decision.
    pub fn decision_owed(&self) -> bool {
        self.advies.is_some() && self.board_decision.is_none()
    }

    /// One line for a list: the status, and the outcome when the case has ended.
    pub fn status_text(&self) -> String {
        match self.outcome {
            Some(o) => format!("{} ({})", self.status.label(), o.label().to_lowercase()),
            None => self.status.label().to_owned(),
        }
    }
}

/// The progress of these cases, in their order.
pub async fn of(db: &impl ConnectionTrait, cases: &[case::Model]) -> Result<Vec<Progress>, DbErr> {
    let ids: Vec<i32> = cases.iter().map(|c| c.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut hearings: HashMap<i32, DateTime<Utc>> = HashMap::new();
    let mut held: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for h in hearing::Entity::find()
        .filter(hearing::Column::CaseId.is_in(ids.clone()))
        .filter(hearing::Column::Status.is_in(["gepland", "gehouden"]))
        .order_by_asc(hearing::Column::StartsAt)
        .all(db)
        .await?
    {
        if h.status == "gepland" {
            hearings.entry(h.case_id).or_insert(h.starts_at);
        } else {
            // Ascending: the last one held wins.
            held.insert(h.case_id, h.starts_at);
        }
    }
    let mut terms: HashMap<i32, (DeadlineKind, NaiveDate)> = HashMap::new();
    for d in deadline::Entity::find()
        .filter(deadline::Column::CaseId.is_in(ids.clone()))
        .filter(deadline::Column::Status.is_in(["open", "extended"]))
        .filter(deadline::Column::DueOn.is_not_null())
        .order_by_asc(deadline::Column::DueOn)
        .all(db)
        .await?
    {
        if let (Some(kind), Some(due)) = (DeadlineKind::parse(&d.kind), d.due_on) {
            terms.entry(d.case_id).or_insert((kind, due));
        }
    }
    let mut sent: HashMap<i32, SentAdvies> = HashMap::new();
    for a in advies::Entity::find()
        .filter(advies::Column::CaseId.is_in(ids.clone()))
        .filter(advies::Column::SentAt.is_not_null())
        .order_by_desc(advies::Column::Version)
        .all(db)
        .await?
    {
        if let Some(sent_at) = a.sent_at {
            sent.entry(a.case_id).or_insert(SentAdvies {
                advies_id: a.id,
                version: a.version,
                advies_date: a.advies_date,
                sent_at,
                outcome: a.outcome.as_deref().and_then(Outcome::parse),
                verification_code: a.verification_code,
                pdf_document_id: a.pdf_document_id,
            });
        }
    }
    let mut decisions: HashMap<i32, board_decision::Model> = HashMap::new();
    for d in board_decision::Entity::find()
        .filter(board_decision::Column::CaseId.is_in(ids))
        .order_by_desc(board_decision::Column::Id)
        .all(db)
        .await?
    {
        decisions.entry(d.case_id).or_insert(d);
    }
    Ok(cases
        .iter()
        .map(|c| Progress {
            case_id: c.id,
            zaaknummer: c.zaaknummer.clone(),
            school_id: c.school_id,
            board_id: c.board_id,
            subject: c.subject.clone(),
            received_on: c.received_on,
            status: CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Ontvangen),
            outcome: c.outcome.as_deref().and_then(Outcome::parse),
            hearing_at: hearings.get(&c.id).copied(),
            held_at: held.get(&c.id).copied(),
            next_term: terms.get(&c.id).copied(),
            advies: sent.remove(&c.id),
            board_decision: decisions.remove(&c.id),
        })
        .collect())
}

//! The school-level complaints register a board keeps for its schools (the registratieformulier
//! of the school procedures): recording a complaint, its handling steps and letters, and its
//! escalation to the commission (step 5), linked both ways with the commission's case. The
//! rules are in [`crate::domain::school_register`]; each writing function here is one
//! transaction with its audit entry. Audit entries name the entry's number, never the people.

pub mod entries;
pub mod escalate;
pub mod letters;

use crate::domain::access::{self, CaseFacts, Viewer};
use crate::domain::school_register::{self as rules, EntryStatus, Procedure};
use crate::entities::{board, register_action, register_document, register_entry, register_letter, school};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// Errors a register use case reports to the user, in Dutch.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// A step the procedure does not allow now; the reason comes from the domain rules.
    #[error("{0}")]
    NotNow(String),
    #[error("De gekozen school hoort niet bij uw bestuur.")]
    ForeignSchool,
    #[error(transparent)]
    Letter(#[from] crate::letters::LetterError),
    #[error(transparent)]
    Case(#[from] crate::cases::CaseError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

pub const PER_PAGE: u64 = 25;

/// The register's filters (all optional).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub school_id: Option<i32>,
    pub status: Option<EntryStatus>,
    pub year: Option<i32>,
    pub page: u64,
}

pub struct Page {
    pub rows: Vec<register_entry::Model>,
    pub total: u64,
    pub page: u64,
}

/// One page of a board's register, newest first (indexed on board and receipt date).
pub async fn list(db: &impl ConnectionTrait, board_id: i32, f: &Filter) -> Result<Page, DbErr> {
    let mut q = register_entry::Entity::find().filter(register_entry::Column::BoardId.eq(board_id));
    if let Some(s) = f.school_id {
        q = q.filter(register_entry::Column::SchoolId.eq(s));
    }
    if let Some(s) = f.status {
        q = q.filter(register_entry::Column::Status.eq(s.code()));
    }
    if let Some(y) = f.year {
        q = q.filter(register_entry::Column::Year.eq(y));
    }
    let total = q.clone().count(db).await?;
    let page = f.page.max(1);
    let rows = q
        .order_by_desc(register_entry::Column::ReceivedOn)
        .order_by_desc(register_entry::Column::Id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .all(db)
        .await?;
    Ok(Page { rows, total, page })
}

/// Per school of the board: open entries, entries past their answer date, all this year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolSummary {
    pub school: school::Model,
    pub open: u64,
    pub overdue: u64,
    pub this_year: u64,
}

/// `only` limits it to one school (a contactpersoon's).
pub async fn summary(db: &impl ConnectionTrait, board_id: i32, only: Option<i32>) -> Result<Vec<SchoolSummary>, DbErr> {
    let today = crate::admin::today();
    let mut schools_q = school::Entity::find().filter(school::Column::BoardId.eq(board_id));
    if let Some(s) = only {
        schools_q = schools_q.filter(school::Column::Id.eq(s));
    }
    let schools = schools_q.order_by_asc(school::Column::Name).all(db).await?;
    // Only what the counts need: the open entries and this year's, not the decided ones of
    // every earlier year, and of those only the columns the counts read.
    let year = chrono::Datelike::year(&today);
    let rows: Vec<SummaryRow> = register_entry::Entity::find()
        .select_only()
        .columns([
            register_entry::Column::SchoolId,
            register_entry::Column::Year,
            register_entry::Column::Status,
            register_entry::Column::DecidedOn,
            register_entry::Column::AnswerDue,
            register_entry::Column::AnswerDelayedTo,
        ])
        .filter(register_entry::Column::BoardId.eq(board_id))
        .filter(
            sea_orm::Condition::any()
                .add(register_entry::Column::Status.eq(EntryStatus::Open.code()))
                .add(register_entry::Column::Year.eq(year)),
        )
        .into_model()
        .all(db)
        .await?;
    let mut counts: std::collections::HashMap<i32, (u64, u64, u64)> = std::collections::HashMap::new();
    for r in &rows {
        let status = EntryStatus::parse(&r.status);
        let c = counts.entry(r.school_id).or_default();
        c.0 += u64::from(status == Some(EntryStatus::Open));
        c.1 += u64::from(
            status.is_some_and(|s| rules::answer_overdue(s, r.decided_on, r.answer_delayed_to.or(r.answer_due), today)),
        );
        c.2 += u64::from(r.year == year);
    }
    Ok(schools
        .into_iter()
        .map(|s| {
            let (open, overdue, this_year) = counts.get(&s.id).copied().unwrap_or_default();
            SchoolSummary { open, overdue, this_year, school: s }
        })
        .collect())
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct SummaryRow {
    school_id: i32,
    year: i32,
    status: String,
    decided_on: Option<chrono::NaiveDate>,
    answer_due: Option<chrono::NaiveDate>,
    answer_delayed_to: Option<chrono::NaiveDate>,
}

/// A document of an entry, without its bytes (for lists).
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct DocumentInfo {
    pub id: i32,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub received_on: chrono::NaiveDate,
    pub direction: String,
}

/// An entry with everything its page shows.
pub struct Detail {
    pub entry: register_entry::Model,
    pub school: school::Model,
    pub board: board::Model,
    pub actions: Vec<register_action::Model>,
    pub documents: Vec<DocumentInfo>,
    pub letters: Vec<register_letter::Model>,
    /// The commission's case after escalation, with its progress.
    pub case: Option<crate::cases::progress::Progress>,
}

impl Detail {
    pub fn procedure(&self) -> Procedure {
        Procedure::parse(&self.board.procedure).unwrap_or(Procedure::Alfrink)
    }

    pub fn status(&self) -> EntryStatus {
        status_of(&self.entry)
    }

    pub fn number(&self) -> String {
        rules::entry_number(self.entry.year, self.entry.seq)
    }

    pub fn facts(&self) -> rules::Facts {
        facts(&self.entry, &self.actions, self.procedure())
    }

    pub fn timing(&self) -> rules::Timing {
        timing(&self.entry)
    }
}

pub fn status_of(e: &register_entry::Model) -> EntryStatus {
    EntryStatus::parse(&e.status).unwrap_or(EntryStatus::Open)
}

pub fn facts(e: &register_entry::Model, actions: &[register_action::Model], procedure: Procedure) -> rules::Facts {
    let done = |a: rules::RegisterAction| actions.iter().any(|x| x.action == a.code() && x.done);
    rules::Facts {
        status: status_of(e),
        has_handler: e.handler.is_some(),
        acknowledged: done(rules::RegisterAction::Ontvangstbevestiging),
        decided: e.decided_on.is_some(),
        follow_up_recorded: e.follow_up_on.is_some(),
        procedure,
    }
}

pub fn timing(e: &register_entry::Model) -> rules::Timing {
    rules::Timing {
        status: status_of(e),
        recorded_at: e.recorded_at,
        handler_assigned_at: e.handler_assigned_at,
        handler: e.handler.clone(),
        complained_about: e.complained_about.clone(),
        answer_due: e.answer_due,
        answer_delayed_to: e.answer_delayed_to,
        decided_on: e.decided_on,
        follow_up_due: e.follow_up_due,
        follow_up_on: e.follow_up_on,
        facts_on: e.facts_on,
        received_on: e.received_on,
        late_allowed: e.late_allowed,
    }
}

/// The entry `id` if this viewer may see it (404 otherwise, so nobody learns of another
/// board's entries), and whether they may change it.
pub async fn find_for(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> Result<Option<(register_entry::Model, bool)>, DbErr> {
    let Some(e) = register_entry::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
    let case = match e.case_id {
        Some(case_id) => {
            let c = crate::entities::case::Entity::find_by_id(case_id).one(db).await?;
            match c {
                Some(c) => crate::cases::find_for_access(db, &c.zaaknummer).await?,
                None => None,
            }
        }
        None => None,
    };
    let facts = case.as_ref().map(|(c, panel)| CaseFacts {
        board_id: c.board_id,
        school_id: c.school_id,
        panel_member_ids: panel,
    });
    if !access::can_view_register_entry(viewer, e.board_id, e.school_id, facts.as_ref()) {
        return Ok(None);
    }
    let may_edit = access::can_edit_register_entry(viewer, e.board_id, e.school_id);
    Ok(Some((e, may_edit)))
}

pub async fn detail(db: &impl ConnectionTrait, entry: register_entry::Model) -> Result<Detail, DbErr> {
    let school =
        school::Entity::find_by_id(entry.school_id).one(db).await?.ok_or(DbErr::RecordNotFound("school".into()))?;
    let board =
        board::Entity::find_by_id(entry.board_id).one(db).await?.ok_or(DbErr::RecordNotFound("board".into()))?;
    let actions = register_action::Entity::find()
        .filter(register_action::Column::EntryId.eq(entry.id))
        .order_by_asc(register_action::Column::Id)
        .all(db)
        .await?;
    let documents = register_document::Entity::find()
        .select_only()
        .columns([
            register_document::Column::Id,
            register_document::Column::Title,
            register_document::Column::FileName,
            register_document::Column::MediaType,
            register_document::Column::Size,
            register_document::Column::Sha256,
            register_document::Column::ReceivedOn,
            register_document::Column::Direction,
        ])
        .filter(register_document::Column::EntryId.eq(entry.id))
        .order_by_asc(register_document::Column::Id)
        .into_model::<DocumentInfo>()
        .all(db)
        .await?;
    let letters = register_letter::Entity::find()
        .filter(register_letter::Column::EntryId.eq(entry.id))
        .order_by_desc(register_letter::Column::Id)
        .all(db)
        .await?;
    let case = match entry.case_id {
        Some(id) => match crate::entities::case::Entity::find_by_id(id).one(db).await? {
            Some(c) => crate::cases::progress::of(db, &[c]).await?.pop(),
            None => None,
        },
        None => None,
    };
    Ok(Detail { entry, school, board, actions, documents, letters, case })
}

/// A document of the entry with its bytes; `None` when it belongs to another entry.
pub async fn document(
    db: &impl ConnectionTrait,
    entry_id: i32,
    document_id: i32,
) -> Result<Option<register_document::Model>, DbErr> {
    register_document::Entity::find_by_id(document_id)
        .filter(register_document::Column::EntryId.eq(entry_id))
        .one(db)
        .await
}

/// The register entry a case came from, for the case page's link back.
pub async fn entry_of_case(db: &impl ConnectionTrait, case_id: i32) -> Result<Option<register_entry::Model>, DbErr> {
    register_entry::Entity::find().filter(register_entry::Column::CaseId.eq(case_id)).one(db).await
}

/// The board chooses the school procedure its register follows; entries recorded from now on
/// get that procedure's answer term (running entries keep theirs).
pub async fn set_procedure(tx: &mut crate::audit::WriteTx, board_id: i32, procedure: Procedure) -> Result<(), DbErr> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let b = board::Entity::find_by_id(board_id).one(tx.conn()).await?.ok_or(DbErr::RecordNotFound("board".into()))?;
    if b.procedure == procedure.code() {
        return Ok(());
    }
    let name = b.name.clone();
    let mut am: board::ActiveModel = b.into();
    am.procedure = Set(procedure.code().to_owned());
    am.update(tx.conn()).await?;
    tx.audit(None, "register.klachtenregeling", serde_json::json!({ "bestuur": name, "regeling": procedure.label() }))
        .await
}

/// The contactpersoon's yearly report: the entries received in `year` by the board's schools
/// (or one school), counted by [`rules::year_report`]. One query.
pub async fn year_report(
    db: &impl ConnectionTrait,
    board_id: i32,
    school_id: Option<i32>,
    year: i32,
) -> Result<rules::YearReport, DbErr> {
    let mut q = register_entry::Entity::find()
        .filter(register_entry::Column::BoardId.eq(board_id))
        .filter(register_entry::Column::Year.eq(year));
    if let Some(s) = school_id {
        q = q.filter(register_entry::Column::SchoolId.eq(s));
    }
    let entries: Vec<rules::ReportEntry> = q
        .order_by_asc(register_entry::Column::ReceivedOn)
        .all(db)
        .await?
        .into_iter()
        .map(|e| rules::ReportEntry {
            kind: rules::ComplaintKind::parse(&e.kind).unwrap_or(rules::ComplaintKind::Onderwijskundig),
            status: status_of(&e),
            answer_by: e.answer_delayed_to.or(e.answer_due),
            decided_on: e.decided_on,
            escalated: e.case_id.is_some(),
            cause: e.cause,
            measures: e.measures,
        })
        .collect();
    Ok(rules::year_report(&entries, crate::admin::today()))
}

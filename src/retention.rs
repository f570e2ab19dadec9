//! The retention policy carried out (issue 9). A closed case past its term
//! ([`crate::domain::retention`]) is purged: its documents, letters, messages, people and every
//! free text are deleted, and what the annual report counts stays as a minimal anonymous
//! record (dates, codes, statuses, the sector through the school). Its audit entries keep their
//! place in the chain with the detail blanked (chain version 2 covers a digest of it). A school
//! register entry is purged the same way after its own five-year term.
//!
//! Each file is purged in its own transaction, with the audit entry that records it (counts,
//! never names), so a purge that fails half-way leaves every file either whole or purged.

use crate::audit::{Actor, WriteTx};
use crate::domain::{retention as policy, school_register as rules};
use crate::entities::{
    access_log, advies, advies_comment, advies_revision, advies_signature, audit_entry, board_decision, case, deadline,
    deliberation, deliberation_question, deliberation_vote, document, document_content, hearing, hearing_attendance,
    information_request, letter, notification, outbox_attachment, outbox_message, panel_member, party, publication,
    recusal, recusal_vote, register_action, register_document, register_entry, register_letter, setting,
    unavailability, webhook_delivery,
};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

/// The settings key of the commission's retention term in years.
pub const YEARS_SETTING: &str = "bewaartermijn_jaren";

/// The commission's retention term for case files.
pub async fn years(db: &impl ConnectionTrait) -> Result<u32, DbErr> {
    Ok(setting::Entity::find_by_id(YEARS_SETTING.to_owned())
        .one(db)
        .await?
        .and_then(|s| s.value.parse().ok())
        .filter(|y| (policy::MIN_YEARS..=policy::MAX_YEARS).contains(y))
        .unwrap_or(policy::DEFAULT_YEARS))
}

/// Sets the retention term (the beheerder), audited. `Ok(Err(msg))` is a refusal to show.
pub async fn set_years(
    db: &sea_orm::DatabaseConnection,
    actor: Actor,
    input: &str,
) -> Result<Result<u32, String>, DbErr> {
    let new = match policy::parse_years(input) {
        Ok(y) => y,
        Err(msg) => return Ok(Err(msg)),
    };
    let mut tx = WriteTx::begin(db, actor).await?;
    let old = years(tx.conn()).await?;
    setting::Entity::delete_by_id(YEARS_SETTING.to_owned()).exec(tx.conn()).await?;
    setting::ActiveModel { key: Set(YEARS_SETTING.to_owned()), value: Set(new.to_string()) }.insert(tx.conn()).await?;
    tx.audit(None, "bewaartermijn.gewijzigd", json!({ "van": old, "naar": new })).await?;
    tx.commit().await?;
    Ok(Ok(new))
}

/// What kind of file a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Case,
    RegisterEntry,
}

/// A file due for purging, as the dry run lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: FileKind,
    pub id: i32,
    /// The zaaknummer or the register entry's number.
    pub number: String,
    pub closed_on: NaiveDate,
    pub kept_until: NaiveDate,
    /// For a register entry: its board.
    pub board_id: Option<i32>,
    pub documents: u64,
}

/// Every file due for purging `today`, cases first, oldest first.
pub async fn due(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<Candidate>, DbErr> {
    let years = years(db).await?;
    let mut out = Vec::new();
    if let Some(cut) = policy::last_due_closing(today, years) {
        let cases = case::Entity::find()
            .filter(case::Column::Status.eq("afgesloten"))
            .filter(case::Column::PurgedOn.is_null())
            .filter(case::Column::ClosedOn.lte(cut))
            .order_by_asc(case::Column::ClosedOn)
            .order_by_asc(case::Column::Id)
            .all(db)
            .await?;
        let ids: Vec<i32> = cases.iter().map(|c| c.id).collect();
        let docs = count_by(db, document::Entity::find(), document::Column::CaseId, &ids).await?;
        for c in cases {
            let Some(closed) = c.closed_on.filter(|d| policy::is_due(*d, years, today)) else { continue };
            out.push(Candidate {
                kind: FileKind::Case,
                id: c.id,
                number: c.zaaknummer,
                closed_on: closed,
                kept_until: policy::keep_until(closed, years).unwrap_or(closed),
                board_id: None,
                documents: docs.get(&c.id).copied().unwrap_or(0),
            });
        }
    }
    // The school's own five-year term.
    if let Some(cut) = policy::last_due_closing(today, policy::DEFAULT_YEARS) {
        let entries = register_entry::Entity::find()
            .filter(register_entry::Column::PurgedOn.is_null())
            .filter(register_entry::Column::ClosedOn.lte(cut))
            .order_by_asc(register_entry::Column::ClosedOn)
            .order_by_asc(register_entry::Column::Id)
            .all(db)
            .await?;
        let ids: Vec<i32> = entries.iter().map(|e| e.id).collect();
        let docs = count_by(db, register_document::Entity::find(), register_document::Column::EntryId, &ids).await?;
        for e in entries {
            let Some(closed) = e.closed_on else { continue };
            let Some(until) = rules::purge_after(closed).filter(|u| today > *u) else { continue };
            out.push(Candidate {
                kind: FileKind::RegisterEntry,
                id: e.id,
                number: rules::entry_number(e.year, e.seq),
                closed_on: closed,
                kept_until: until,
                board_id: Some(e.board_id),
                documents: docs.get(&e.id).copied().unwrap_or(0),
            });
        }
    }
    Ok(out)
}

/// Rows per parent id, in one grouped query.
async fn count_by<E: EntityTrait>(
    db: &impl ConnectionTrait,
    find: sea_orm::Select<E>,
    col: E::Column,
    ids: &[i32],
) -> Result<std::collections::HashMap<i32, u64>, DbErr> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i32, i64)> = find
            .clone()
            .select_only()
            .column(col)
            .column_as(col.count(), "n")
            .filter(col.is_in(chunk.to_vec()))
            .group_by(col)
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(id, n)| (id, n as u64)));
    }
    Ok(out)
}

/// Why a file was not purged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    NotDue,
    AlreadyPurged,
    /// The audit chain still holds entries of version 1 (its re-seal failed on a broken chain).
    ChainNotResealed,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::NotFound => "Het dossier bestaat niet.",
            Refusal::NotDue => "De bewaartermijn van dit dossier is nog niet verstreken.",
            Refusal::AlreadyPurged => "Dit dossier is al vernietigd.",
            Refusal::ChainNotResealed => {
                "Het auditlog is nog niet herverzegeld (de keten was verbroken); los dat eerst op met verify-audit."
            }
        })
    }
}

/// What one purge removed, per kind of row (for the audit entry and the report).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Removed {
    pub documenten: u64,
    pub partijen: u64,
    pub brieven: u64,
    pub berichten: u64,
    pub meldingen: u64,
    pub overig: u64,
    pub auditregels_geleegd: u64,
}

/// Purges one case, if it is due. One transaction with its audit entry.
pub async fn purge_case(
    db: &sea_orm::DatabaseConnection,
    actor: Actor,
    case_id: i32,
    today: NaiveDate,
) -> Result<Result<Removed, Refusal>, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    // Read under the chain's lock: two instances purging at once purge each file once.
    let Some(c) = case::Entity::find_by_id(case_id).one(tx.conn()).await? else { return Ok(Err(Refusal::NotFound)) };
    if c.purged_on.is_some() {
        return Ok(Err(Refusal::AlreadyPurged));
    }
    let years = years(tx.conn()).await?;
    let Some(closed) = c.closed_on.filter(|d| c.status == "afgesloten" && policy::is_due(*d, years, today)) else {
        return Ok(Err(Refusal::NotDue));
    };
    if crate::audit::has_version_1(tx.conn()).await? {
        return Ok(Err(Refusal::ChainNotResealed));
    }
    let conn = tx.conn();
    let mut removed = Removed::default();
    let doc_ids = id_list(conn, document::Column::Id, document::Column::CaseId.eq(c.id)).await?;
    let outbox_ids = id_list(conn, outbox_message::Column::Id, outbox_message::Column::CaseId.eq(c.id)).await?;
    let party_ids = id_list(conn, party::Column::Id, party::Column::CaseId.eq(c.id)).await?;
    let hearing_ids = id_list(conn, hearing::Column::Id, hearing::Column::CaseId.eq(c.id)).await?;
    let advies_ids = id_list(conn, advies::Column::Id, advies::Column::CaseId.eq(c.id)).await?;
    let recusal_ids = id_list(conn, recusal::Column::Id, recusal::Column::CaseId.eq(c.id)).await?;
    let deliberation_ids = id_list(conn, deliberation::Column::Id, deliberation::Column::CaseId.eq(c.id)).await?;
    let question_ids = id_list(
        conn,
        deliberation_question::Column::Id,
        deliberation_question::Column::DeliberationId.is_in(deliberation_ids.clone()),
    )
    .await?;

    // Messages and their attachments first: they point at letters and documents.
    delete_where::<outbox_attachment::Entity>(
        conn,
        sea_orm::Condition::any()
            .add(outbox_attachment::Column::OutboxId.is_in(outbox_ids.clone()))
            .add(outbox_attachment::Column::DocumentId.is_in(doc_ids.clone())),
    )
    .await?;
    removed.berichten +=
        delete_where::<outbox_message::Entity>(conn, outbox_message::Column::Id.is_in(outbox_ids)).await?;
    removed.meldingen += delete_where::<notification::Entity>(conn, notification::Column::CaseId.eq(c.id)).await?;
    removed.brieven += delete_where::<letter::Entity>(conn, letter::Column::CaseId.eq(c.id)).await?;
    let mut other = 0;
    other += delete_where::<information_request::Entity>(conn, information_request::Column::CaseId.eq(c.id)).await?;
    other +=
        delete_where::<unavailability::Entity>(conn, unavailability::Column::PartyId.is_in(party_ids.clone())).await?;
    other += delete_where::<hearing_attendance::Entity>(conn, hearing_attendance::Column::HearingId.is_in(hearing_ids))
        .await?;
    // The hearing stays (the report counts the first one held), without place or record.
    hearing::Entity::update_many()
        .col_expr(hearing::Column::Place, Expr::value(""))
        .col_expr(hearing::Column::Minutes, Expr::value(""))
        .col_expr(hearing::Column::MinutesDocumentId, Expr::value(Option::<i32>::None))
        .col_expr(hearing::Column::CancelReason, Expr::value(Option::<String>::None))
        .col_expr(hearing::Column::SeparatelyReason, Expr::value(Option::<String>::None))
        .filter(hearing::Column::CaseId.eq(c.id))
        .exec(conn)
        .await?;
    other += delete_where::<advies_comment::Entity>(conn, advies_comment::Column::AdviesId.is_in(advies_ids.clone()))
        .await?;
    other += delete_where::<advies_revision::Entity>(conn, advies_revision::Column::AdviesId.is_in(advies_ids.clone()))
        .await?;
    other +=
        delete_where::<advies_signature::Entity>(conn, advies_signature::Column::AdviesId.is_in(advies_ids)).await?;
    // The advies stays as its date, status and outcome (the report's terms and outcomes).
    advies::Entity::update_many()
        .col_expr(advies::Column::SectionA, Expr::value(""))
        .col_expr(advies::Column::SectionB, Expr::value(""))
        .col_expr(advies::Column::SectionC, Expr::value(""))
        .col_expr(advies::Column::SectionD, Expr::value(""))
        .col_expr(advies::Column::CorrectionNote, Expr::value(Option::<String>::None))
        .col_expr(advies::Column::VerificationCode, Expr::value(Option::<String>::None))
        .col_expr(advies::Column::PdfDocumentId, Expr::value(Option::<i32>::None))
        .col_expr(advies::Column::PdfSha256, Expr::value(Option::<String>::None))
        .filter(advies::Column::CaseId.eq(c.id))
        .exec(conn)
        .await?;
    other += delete_where::<deliberation_vote::Entity>(conn, deliberation_vote::Column::QuestionId.is_in(question_ids))
        .await?;
    other += delete_where::<deliberation_question::Entity>(
        conn,
        deliberation_question::Column::DeliberationId.is_in(deliberation_ids),
    )
    .await?;
    other += delete_where::<deliberation::Entity>(conn, deliberation::Column::CaseId.eq(c.id)).await?;
    other += delete_where::<recusal_vote::Entity>(conn, recusal_vote::Column::RecusalId.is_in(recusal_ids)).await?;
    // Wraking and verschoning stay counted by kind and decision, without the grounds.
    recusal::Entity::update_many()
        .col_expr(recusal::Column::Grounds, Expr::value(""))
        .filter(recusal::Column::CaseId.eq(c.id))
        .exec(conn)
        .await?;
    board_decision::Entity::update_many()
        .col_expr(board_decision::Column::Decision, Expr::value(""))
        .col_expr(board_decision::Column::Measures, Expr::value(""))
        .filter(board_decision::Column::CaseId.eq(c.id))
        .exec(conn)
        .await?;
    deadline::Entity::update_many()
        .col_expr(deadline::Column::Explanation, Expr::value(""))
        .col_expr(deadline::Column::DecisionReason, Expr::value(Option::<String>::None))
        .filter(deadline::Column::CaseId.eq(c.id))
        .exec(conn)
        .await?;
    other += delete_where::<panel_member::Entity>(conn, panel_member::Column::CaseId.eq(c.id)).await?;
    other += delete_where::<access_log::Entity>(conn, access_log::Column::CaseId.eq(c.id)).await?;
    other += delete_where::<webhook_delivery::Entity>(conn, webhook_delivery::Column::CaseId.eq(c.id)).await?;
    removed.partijen += delete_where::<party::Entity>(conn, party::Column::Id.is_in(party_ids)).await?;
    delete_where::<document_content::Entity>(conn, document_content::Column::DocumentId.is_in(doc_ids.clone())).await?;
    removed.documenten += delete_where::<document::Entity>(conn, document::Column::Id.is_in(doc_ids)).await?;
    removed.overig = other;
    // A published advies is anonymous and stays public, but no longer leads back to the case.
    publication::Entity::update_many()
        .col_expr(publication::Column::CaseId, Expr::value(Option::<i32>::None))
        .filter(publication::Column::CaseId.eq(c.id))
        .exec(conn)
        .await?;
    let mut am: case::ActiveModel = c.clone().into();
    am.subject = Set(String::new());
    am.facts_date = Set(None);
    am.forwarded_by = Set(None);
    am.late_reason = Set(None);
    am.dupliek_term = Set(None);
    am.purged_on = Set(Some(today));
    am.updated_at = Set(Utc::now());
    am.update(conn).await?;
    removed.auditregels_geleegd = audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::Detail, Expr::value("{}"))
        .col_expr(audit_entry::Column::DetailPurged, Expr::value(true))
        .filter(audit_entry::Column::CaseId.eq(c.id))
        .filter(audit_entry::Column::DetailPurged.eq(false))
        .exec(conn)
        .await?
        .rows_affected;
    tx.audit(
        Some(c.id),
        "zaak.vernietigd",
        json!({
            "zaaknummer": c.zaaknummer,
            "gesloten_op": closed.to_string(),
            "bewaartermijn_jaren": years,
            "verwijderd": removed,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(removed))
}

/// The ids (column `id`, which also names the table) of the rows where `cond` holds.
async fn id_list<C>(db: &impl ConnectionTrait, id: C, cond: impl IntoCondition) -> Result<Vec<i32>, DbErr>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait<Column = C>,
{
    C::EntityName::find().filter(cond).select_only().column(id).into_tuple::<i32>().all(db).await
}

/// Deletes the rows of `E` where `cond` holds and says how many there were.
async fn delete_where<E: EntityTrait>(db: &impl ConnectionTrait, cond: impl IntoCondition) -> Result<u64, DbErr> {
    Ok(E::delete_many().filter(cond).exec(db).await?.rows_affected)
}

/// Purges one school register entry past its five-year term: its documents, letters, actions
/// and messages go; the entry stays with its dates, kind and statuses for the school's yearly
/// counts. Its audit entries name only the entry's number, so none needs blanking.
pub async fn purge_register_entry(
    db: &sea_orm::DatabaseConnection,
    actor: Actor,
    entry_id: i32,
    today: NaiveDate,
) -> Result<Result<Removed, Refusal>, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(e) = register_entry::Entity::find_by_id(entry_id).one(tx.conn()).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if e.purged_on.is_some() {
        return Ok(Err(Refusal::AlreadyPurged));
    }
    let Some(closed) = e.closed_on.filter(|d| rules::purge_after(*d).is_some_and(|until| today > until)) else {
        return Ok(Err(Refusal::NotDue));
    };
    let conn = tx.conn();
    let mut removed = Removed::default();
    let doc_ids = id_list(conn, register_document::Column::Id, register_document::Column::EntryId.eq(e.id)).await?;
    let outbox_ids =
        id_list(conn, outbox_message::Column::Id, outbox_message::Column::RegisterDocumentId.is_in(doc_ids.clone()))
            .await?;
    delete_where::<outbox_attachment::Entity>(conn, outbox_attachment::Column::OutboxId.is_in(outbox_ids.clone()))
        .await?;
    removed.berichten +=
        delete_where::<outbox_message::Entity>(conn, outbox_message::Column::Id.is_in(outbox_ids)).await?;
    removed.brieven += delete_where::<register_letter::Entity>(conn, register_letter::Column::EntryId.eq(e.id)).await?;
    removed.documenten +=
        delete_where::<register_document::Entity>(conn, register_document::Column::Id.is_in(doc_ids)).await?;
    removed.overig += delete_where::<register_action::Entity>(conn, register_action::Column::EntryId.eq(e.id)).await?;
    removed.partijen = 1;
    let number = rules::entry_number(e.year, e.seq);
    let mut am: register_entry::ActiveModel = e.into();
    am.complainant_name = Set(String::new());
    am.child_name = Set(None);
    am.group_name = Set(None);
    am.address = Set(None);
    am.phone = Set(None);
    am.email = Set(None);
    am.nature = Set(String::new());
    am.complained_about = Set(String::new());
    am.handler = Set(None);
    am.delay_reason = Set(None);
    am.decision = Set(String::new());
    am.cause = Set(String::new());
    am.solution = Set(String::new());
    am.measures = Set(String::new());
    am.follow_up_report = Set(String::new());
    am.status_reason = Set(None);
    am.purged_on = Set(Some(today));
    am.updated_at = Set(Utc::now());
    am.update(conn).await?;
    tx.audit(
        None,
        "register.vernietigd",
        json!({ "registratie": number, "gesloten_op": closed.to_string(), "verwijderd": removed }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(removed))
}

/// The outcome of purging everything due.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub cases: Vec<String>,
    pub register_entries: Vec<String>,
    /// Files that could not be purged, with the reason.
    pub refused: Vec<(String, String)>,
}

/// Purges every file due `today`, each in its own transaction.
pub async fn purge_due(db: &sea_orm::DatabaseConnection, actor: Actor, today: NaiveDate) -> Result<Summary, DbErr> {
    let mut summary = Summary::default();
    for c in due(db, today).await? {
        let result = match c.kind {
            FileKind::Case => purge_case(db, actor.clone(), c.id, today).await?,
            FileKind::RegisterEntry => purge_register_entry(db, actor.clone(), c.id, today).await?,
        };
        match (result, c.kind) {
            (Ok(_), FileKind::Case) => summary.cases.push(c.number),
            (Ok(_), FileKind::RegisterEntry) => summary.register_entries.push(c.number),
            // Another instance got there first: nothing to report.
            (Err(Refusal::AlreadyPurged), _) => {}
            (Err(r), _) => summary.refused.push((c.number, r.to_string())),
        }
    }
    Ok(summary)
}

/// How many files are due `today` (the beheerder's start page), in two counting queries.
pub async fn due_count(db: &impl ConnectionTrait, today: NaiveDate) -> Result<u64, DbErr> {
    let mut n = 0;
    if let Some(cut) = policy::last_due_closing(today, years(db).await?) {
        n += case::Entity::find()
            .filter(case::Column::Status.eq("afgesloten"))
            .filter(case::Column::PurgedOn.is_null())
            .filter(case::Column::ClosedOn.lte(cut))
            .count(db)
            .await?;
    }
    if let Some(cut) = policy::last_due_closing(today, policy::DEFAULT_YEARS) {
        n += register_entry::Entity::find()
            .filter(register_entry::Column::PurgedOn.is_null())
            .filter(register_entry::Column::ClosedOn.lte(cut))
            .count(db)
            .await?;
    }
    Ok(n)
}

/// Counts for the beheerder's page: what has been purged so far.
pub async fn purged_counts(db: &impl ConnectionTrait) -> Result<(u64, u64), DbErr> {
    let cases = case::Entity::find().filter(case::Column::PurgedOn.is_not_null()).count(db).await?;
    let entries =
        register_entry::Entity::find().filter(register_entry::Column::PurgedOn.is_not_null()).count(db).await?;
    Ok((cases, entries))
}

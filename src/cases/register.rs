//! Registering a klaagschrift (Art 11.1, 11.9): the case gets its zaaknummer, its receipt
//! date stamp, its parties and its documents, in one transaction with the audit entry.

use super::CaseError;
use crate::audit::WriteTx;
use crate::domain::case::{Arrival, CaseStatus, ComplaintKind, Outcome, PartyRole};
use crate::domain::zaaknummer::Zaaknummer;
use crate::entities::{case, party, school};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct NewParty {
    pub role: PartyRole,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub minor: bool,
}

#[derive(Clone)]
pub struct NewDocument {
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub received_on: NaiveDate,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for NewDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDocument").field("file_name", &self.file_name).field("size", &self.bytes.len()).finish()
    }
}

/// How the klaagschrift came in, beyond the date and the way (Art 11.1, 11.2, 11.4, 11.6).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    /// Art 11.1: signed by a gemachtigde rather than the klager.
    pub signed_by_representative: bool,
    /// Art 11.6: the school or other body that received the complaint first, and when.
    pub forwarded_by: Option<String>,
    pub forwarded_received_on: Option<NaiveDate>,
    /// Art 11.4: written in another language; a translation is needed.
    pub needs_translation: bool,
}

#[derive(Debug, Clone)]
pub struct NewCase {
    pub received_on: NaiveDate,
    pub school_id: i32,
    pub subject: String,
    pub facts_date: Option<NaiveDate>,
    pub arrival: Arrival,
    pub parties: Vec<NewParty>,
    pub documents: Vec<NewDocument>,
    pub receipt: Receipt,
    /// The kind of complaint, for the annual report; the secretary may record it later.
    pub complaint_kind: Option<ComplaintKind>,
}

/// Registers a klaagschrift as a new case in status `ontvangen`.
pub async fn register(tx: &mut WriteTx, new: NewCase) -> Result<(Zaaknummer, i32), CaseError> {
    insert(tx, new, CaseStatus::Ontvangen, None).await
}

/// Inserts a case in a given state: registration uses `ontvangen`; the demo data loader sets
/// later states directly (and says so in the audit entry).
pub async fn insert(
    tx: &mut WriteTx,
    new: NewCase,
    status: CaseStatus,
    outcome: Option<Outcome>,
) -> Result<(Zaaknummer, i32), CaseError> {
    if !new.parties.iter().any(|p| p.role == PartyRole::Klager) {
        return Err(CaseError::NoKlager);
    }
    let school = school::Entity::find_by_id(new.school_id).one(tx.conn()).await?.ok_or(CaseError::UnknownSchool)?;
    let year = new.received_on.year();
    let zaaknummer = next_zaaknummer(tx.conn(), year).await?;
    let now = Utc::now();
    let mut c = case::ActiveModel {
        zaaknummer: Set(zaaknummer.to_string()),
        year: Set(year),
        received_on: Set(new.received_on),
        school_id: Set(school.id),
        board_id: Set(school.board_id),
        complaint_kind: Set(new.complaint_kind.map(|k| k.code().to_owned())),
        outcome: Set(outcome.map(|o| o.code().to_owned())),
        subject: Set(new.subject.clone()),
        facts_date: Set(new.facts_date),
        arrival: Set(new.arrival.code().to_owned()),
        signed_by: Set(if new.receipt.signed_by_representative { "gemachtigde" } else { "klager" }.to_owned()),
        forwarded_by: Set(new.receipt.forwarded_by.clone()),
        forwarded_received_on: Set(new.receipt.forwarded_received_on),
        needs_translation: Set(new.receipt.needs_translation),
        // Art 11.2: the verslag of an oral complaint waits for the klager's signature.
        awaiting_signature: Set(new.arrival == Arrival::Mondeling && status == CaseStatus::Ontvangen),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    // A case inserted as closed (by the demo loader) is closed today unless its caller says when.
    super::set_status(&mut c, status);
    let c = c.insert(tx.conn()).await?;
    for p in &new.parties {
        party::ActiveModel {
            case_id: Set(c.id),
            role: Set(p.role.code().to_owned()),
            name: Set(p.name.clone()),
            address: Set(p.address.clone()),
            email: Set(p.email.clone()),
            phone: Set(p.phone.clone()),
            minor: Set(p.minor),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    let mut docs = Vec::new();
    for d in new.documents {
        let stored = super::documents::insert(tx.conn(), c.id, d, tx.actor().user_id, "in").await?;
        docs.push(json!({ "bestand": stored.file_name, "sha256": stored.sha256, "ontvangen": stored.received_on }));
    }
    let mut detail = json!({
        "zaaknummer": zaaknummer.to_string(),
        "ontvangen": new.received_on,
        "school": school.name,
        "binnengekomen": new.arrival.label(),
        "partijen": new.parties.iter().map(|p| format!("{}: {}", p.role.label(), p.name)).collect::<Vec<_>>(),
        "documenten": docs,
    });
    if status != CaseStatus::Ontvangen {
        detail["status"] = json!(status.label());
    }
    if let Some(k) = new.complaint_kind {
        detail["soort_klacht"] = json!(k.label());
    }
    if let (Some(by), Some(on)) = (&new.receipt.forwarded_by, new.receipt.forwarded_received_on) {
        detail["doorgezonden_door"] = json!(format!("{by}, ontvangen op {on}"));
    }
    if new.receipt.signed_by_representative {
        detail["ondertekend_door"] = json!("gemachtigde");
    }
    tx.audit(Some(c.id), "zaak.geregistreerd", detail).await?;
    open_receipt_deadlines(tx, &c).await?;
    Ok((zaaknummer, c.id))
}

/// Records or changes the kind of complaint of a case (`None`: not recorded), with its audit
/// entry; returns whether anything changed (recording the same kind again writes nothing).
/// Allowed in every state, also on a closed case: the annual report counts closed cases too.
pub async fn set_complaint_kind(
    tx: &mut WriteTx,
    c: &case::Model,
    kind: Option<ComplaintKind>,
) -> Result<bool, CaseError> {
    // The stored row, not the page's copy: another change may have come in between.
    let fresh = case::Entity::find_by_id(c.id).one(tx.conn()).await?.ok_or(DbErr::RecordNotFound("case".into()))?;
    let code = kind.map(|k| k.code().to_owned());
    if fresh.complaint_kind == code {
        return Ok(false);
    }
    let label = |k: Option<ComplaintKind>| k.map_or("niet vastgelegd", ComplaintKind::label);
    let before = label(fresh.complaint_kind.as_deref().and_then(ComplaintKind::parse));
    let mut am: case::ActiveModel = fresh.into();
    am.complaint_kind = Set(code);
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    tx.audit(Some(c.id), "zaak.soort_klacht", json!({ "soort_klacht": label(kind), "was": before })).await?;
    Ok(true)
}

/// Art 11.9: acknowledges receipt of the klaagschrift by letter, to the klager's gemachtigde
/// when there is one (correspondence goes to the representative), otherwise to the klager.
pub async fn acknowledge(tx: &mut WriteTx, case_id: i32) -> Result<(), CaseError> {
    use crate::domain::letter::{LetterKind, Values};
    use crate::letters::compose::send;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let c = case::Entity::find_by_id(case_id).one(tx.conn()).await?.ok_or(CaseError::NoKlager)?;
    let parties = party::Entity::find()
        .filter(party::Column::CaseId.eq(c.id))
        .order_by_asc(party::Column::Id)
        .all(tx.conn())
        .await?;
    let to = super::intake::addressee(&parties, PartyRole::Klager).ok_or(CaseError::NoKlager)?;
    send(tx, &c, LetterKind::Ontvangstbevestiging, to, Values::new()).await?;
    Ok(())
}

/// The terms that start with the receipt: the hearing within two months (Art 18), and the
/// one-year filing term (Art 11.5) when the date of the facts is known, which is closed at
/// once: the complaint was filed in time or it was not (the commission then decides, 11.5).
async fn open_receipt_deadlines(tx: &mut WriteTx, c: &case::Model) -> Result<(), CaseError> {
    crate::deadlines::open(tx, c, crate::domain::deadline::DeadlineKind::Hoorzitting, c.received_on, None).await?;
    judge_filing_term(tx, c).await
}

/// Art 11.5, 11.6: the one-year filing term from the date of the facts (no holidays skipped),
/// closed at once as met or missed; nothing while that date is unknown.
pub(crate) async fn judge_filing_term(tx: &mut WriteTx, c: &case::Model) -> Result<(), CaseError> {
    use crate::deadlines;
    use crate::domain::deadline::{DeadlineKind, Status};
    if let Some(facts) = c.facts_date {
        let d = deadlines::open(tx, c, DeadlineKind::Indiening, facts, None).await?;
        // Art 11.6: a complaint filed in time at the school or another body counts as timely.
        let filed_on = c.forwarded_received_on.unwrap_or(c.received_on).min(c.received_on);
        if let Some(due) = d.due_on {
            let (status, why) = if filed_on <= due {
                (Status::Met, "klaagschrift binnen een jaar ontvangen")
            } else {
                (
                    Status::Missed,
                    "klaagschrift na meer dan een jaar ontvangen; de commissie beslist of zij de klacht toch behandelt (art. 11.5)",
                )
            };
            deadlines::close(tx, c, d.id, status, filed_on, why).await?;
        }
    }
    Ok(())
}

/// The next number of the year, from a counter row that the upsert locks until commit: two
/// registrations, even from two instances, never get the same number (and `zaaknummer` is
/// unique in the database as well).
async fn next_zaaknummer(db: &impl ConnectionTrait, year: i32) -> Result<Zaaknummer, DbErr> {
    let row = db
        .query_one_raw(crate::db::stmt(
            db.get_database_backend(),
            "INSERT INTO zaaknummer_counters (year, last) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last = zaaknummer_counters.last + 1 RETURNING last",
            vec![year.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("zaaknummer counter returned no row".into()))?;
    let seq: i32 = row.try_get_by_index(0)?;
    Zaaknummer::new(year, seq).ok_or_else(|| DbErr::Custom(format!("invalid zaaknummer {year}-{seq}")))
}

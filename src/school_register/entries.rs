//! Recording a complaint in the school register and the steps of its handling, each checked
//! against the procedure's rules and written in one transaction with its audit entry (and its
//! letter, where the step sends one).

use super::{RegisterError, facts, status_of};
use crate::audit::WriteTx;
use crate::domain::school_register::{
    self as rules, ComplainantRole, ComplaintKind, EntryStatus, Procedure, RegisterAction, Step, Written,
};
use crate::domain::termijn::{Calendars, TermError};
use crate::domain::validate::{self, FieldErrors};
use crate::entities::{board, register_action, register_document, register_entry, school};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The registratieformulier as typed (strings, so a form with errors comes back as it was).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub school_id: String,
    pub received_on: String,
    pub received_how: String,
    pub complainant_name: String,
    pub complainant_role: String,
    pub child_name: String,
    pub group_name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub written_name: String,
    pub written_address: String,
    pub written_signed: String,
    pub nature: String,
    pub kind: String,
    pub complained_about: String,
    pub facts_on: String,
    pub late_allowed: String,
}

/// A checked registratieformulier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub school_id: i32,
    pub received_on: NaiveDate,
    /// `None` for an oral complaint; what the written one carried otherwise.
    pub written: Option<Written>,
    pub complainant_name: String,
    pub complainant_role: ComplainantRole,
    pub child_name: Option<String>,
    pub group_name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub nature: String,
    pub kind: ComplaintKind,
    pub complained_about: String,
    pub facts_on: Option<NaiveDate>,
    pub late_allowed: bool,
}

/// Checks the form against the board's schools; every problem is named at its field.
pub fn validate(f: &EntryForm, schools: &[school::Model], today: NaiveDate) -> Result<NewEntry, FieldErrors> {
    let mut e = FieldErrors::default();
    let school_id = match f.school_id.trim().parse::<i32>().ok().filter(|id| schools.iter().any(|s| s.id == *id)) {
        Some(id) => Some(id),
        None => {
            e.add("school_id", "Kies een school van uw bestuur.");
            None
        }
    };
    let received_on = e.check("received_on", validate::date(&f.received_on));
    if received_on.is_some_and(|d| d > today) {
        e.add("received_on", "De datum van ontvangst ligt in de toekomst.");
    }
    let yes = |v: &str| v == "ja";
    let written = match f.received_how.as_str() {
        "schriftelijk" => Some(Some(Written {
            name: yes(&f.written_name),
            address: yes(&f.written_address),
            signed: yes(&f.written_signed),
        })),
        "mondeling" => Some(None),
        _ => {
            e.add("received_how", "Kies hoe de klacht binnenkwam.");
            None
        }
    };
    let complainant_name = e.check("complainant_name", validate::required(&f.complainant_name, 150));
    let complainant_role = ComplainantRole::parse(&f.complainant_role);
    if complainant_role.is_none() {
        e.add("complainant_role", "Kies wie de klacht indient.");
    }
    let child_name = e.check("child_name", validate::optional(&f.child_name, 150));
    let group_name = e.check("group_name", validate::optional(&f.group_name, 40));
    let address = e.check("address", validate::optional(&f.address, 400));
    let phone = e.check("phone", validate::optional(&f.phone, 40));
    let email = e.check("email", validate::optional_email(&f.email));
    let nature = e.check("nature", validate::required(&f.nature, 4000));
    let kind = ComplaintKind::parse(&f.kind);
    if kind.is_none() {
        e.add("kind", "Kies de soort klacht.");
    }
    let complained_about = e.check("complained_about", validate::required(&f.complained_about, 150));
    let facts_on = e.check("facts_on", validate::optional_date(&f.facts_on));
    if let (Some(Some(facts)), Some(received)) = (facts_on, received_on)
        && facts > received
    {
        e.add("facts_on", "De feiten kunnen niet na de ontvangst van de klacht liggen.");
    }
    if !e.is_empty() {
        return Err(e);
    }
    match (school_id, received_on, written, complainant_name, complainant_role, nature, kind, complained_about) {
        (
            Some(school_id),
            Some(received_on),
            Some(written),
            Some(name),
            Some(role),
            Some(nature),
            Some(kind),
            Some(about),
        ) => Ok(NewEntry {
            school_id,
            received_on,
            written,
            complainant_name: name,
            complainant_role: role,
            child_name: child_name.flatten(),
            group_name: group_name.flatten(),
            address: address.flatten(),
            phone: phone.flatten(),
            email: email.flatten(),
            nature,
            kind,
            complained_about: about,
            facts_on: facts_on.flatten(),
            late_allowed: yes(&f.late_allowed),
        }),
        _ => Err(e),
    }
}

async fn calendars_answer_due(
    db: &impl ConnectionTrait,
    procedure: Procedure,
    received_on: NaiveDate,
) -> Result<Option<NaiveDate>, DbErr> {
    let general = crate::deadlines::general_holidays(db).await?;
    Ok(ok_or_none(rules::answer_due(procedure, received_on, Calendars { general: &general, school: None })))
}

/// A term outside the years the holiday data covers has no date; the page says so.
fn ok_or_none(r: Result<NaiveDate, TermError>) -> Option<NaiveDate> {
    r.ok()
}

fn procedure_of(b: &board::Model) -> Procedure {
    Procedure::parse(&b.procedure).unwrap_or(Procedure::Alfrink)
}

async fn board_of(db: &impl ConnectionTrait, id: i32) -> Result<board::Model, DbErr> {
    board::Entity::find_by_id(id).one(db).await?.ok_or(DbErr::RecordNotFound("board".into()))
}

async fn actor_name(tx: &WriteTx) -> Result<String, DbErr> {
    Ok(match tx.actor().user_id {
        Some(id) => {
            crate::entities::user::Entity::find_by_id(id).one(tx.conn()).await?.map_or_else(String::new, |u| u.name)
        }
        None => String::new(),
    })
}

/// Records a complaint in the register of `board_id`: its number, its status by the rules
/// (no complaint, vertrouwenspersoon, or open), the answer term of the board's procedure, and
/// the actions table with "klacht binnengekomen" done.
pub async fn record(
    tx: &mut WriteTx,
    board_id: i32,
    new: NewEntry,
    documents: Vec<crate::cases::register::NewDocument>,
) -> Result<register_entry::Model, RegisterError> {
    let school = school::Entity::find_by_id(new.school_id).one(tx.conn()).await?;
    let Some(school) = school.filter(|s| s.board_id == board_id) else { return Err(RegisterError::ForeignSchool) };
    let board = board_of(tx.conn(), board_id).await?;
    let year = new.received_on.year();
    // Writers queue on the audit chain's head lock (WriteTx), so MAX+1 is not raced; the
    // unique index on (board, year, seq) guards it anyway.
    let last: Option<i32> = register_entry::Entity::find()
        .select_only()
        .column_as(register_entry::Column::Seq.max(), "m")
        .filter(register_entry::Column::BoardId.eq(board_id))
        .filter(register_entry::Column::Year.eq(year))
        .into_tuple::<Option<i32>>()
        .one(tx.conn())
        .await?
        .flatten();
    let seq = last.unwrap_or(0) + 1;
    let (status, reason) = rules::initial_status(new.kind, new.written);
    let answer_due = if status == EntryStatus::Open {
        calendars_answer_due(tx.conn(), procedure_of(&board), new.received_on).await?
    } else {
        None
    };
    let now = Utc::now();
    let written = new.written.unwrap_or(Written { name: false, address: false, signed: false });
    let entry = register_entry::ActiveModel {
        board_id: Set(board_id),
        school_id: Set(school.id),
        year: Set(year),
        seq: Set(seq),
        received_on: Set(new.received_on),
        recorded_at: Set(now),
        received_how: Set(if new.written.is_some() { "schriftelijk" } else { "mondeling" }.into()),
        complainant_name: Set(new.complainant_name),
        complainant_role: Set(new.complainant_role.code().into()),
        child_name: Set(new.child_name),
        group_name: Set(new.group_name),
        address: Set(new.address),
        phone: Set(new.phone),
        email: Set(new.email),
        written_name: Set(written.name),
        written_address: Set(written.address),
        written_signed: Set(written.signed),
        nature: Set(new.nature),
        kind: Set(new.kind.code().into()),
        complained_about: Set(new.complained_about),
        facts_on: Set(new.facts_on),
        late_allowed: Set(new.late_allowed),
        answer_due: Set(answer_due),
        status: Set(status.code().into()),
        status_reason: Set(reason),
        closed_on: Set(None),
        created_by: Set(tx.actor().user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let who = actor_name(tx).await?;
    let rows = RegisterAction::ALL.iter().map(|a| register_action::ActiveModel {
        entry_id: Set(entry.id),
        action: Set(a.code().into()),
        on_date: Set((*a == RegisterAction::KlachtBinnen).then_some(entry.received_on)),
        who: Set(if *a == RegisterAction::KlachtBinnen { who.clone() } else { String::new() }),
        done: Set(*a == RegisterAction::KlachtBinnen),
        ..Default::default()
    });
    register_action::Entity::insert_many(rows).exec_without_returning(tx.conn()).await?;
    for d in documents {
        insert_document(tx, entry.id, d, "in").await?;
    }
    tx.audit(
        None,
        "register.opgenomen",
        json!({ "nummer": rules::entry_number(year, seq), "school": school.name, "status": status.label() }),
    )
    .await?;
    Ok(entry)
}

pub(crate) async fn insert_document(
    tx: &WriteTx,
    entry_id: i32,
    d: crate::cases::register::NewDocument,
    direction: &str,
) -> Result<register_document::Model, DbErr> {
    register_document::ActiveModel {
        entry_id: Set(entry_id),
        title: Set(d.title),
        file_name: Set(d.file_name),
        media_type: Set(d.media_type),
        size: Set(d.bytes.len() as i64),
        sha256: Set(hex::encode(Sha256::digest(&d.bytes))),
        received_on: Set(d.received_on),
        direction: Set(direction.into()),
        bytes: Set(d.bytes),
        created_by: Set(tx.actor().user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await
}

/// Adds a received document to the entry.
pub async fn add_document(
    tx: &mut WriteTx,
    e: &register_entry::Model,
    d: crate::cases::register::NewDocument,
) -> Result<(), RegisterError> {
    let doc = insert_document(tx, e.id, d, "in").await?;
    tx.audit(
        None,
        "register.document",
        json!({ "nummer": rules::entry_number(e.year, e.seq), "bestand": doc.file_name, "sha256": doc.sha256 }),
    )
    .await?;
    Ok(())
}

/// Checks a step against the rules with the entry as it is in the database now.
pub(crate) async fn check(
    tx: &WriteTx,
    e: &register_entry::Model,
    step: Step,
) -> Result<register_entry::Model, RegisterError> {
    let fresh =
        register_entry::Entity::find_by_id(e.id).one(tx.conn()).await?.ok_or(DbErr::RecordNotFound("entry".into()))?;
    let actions =
        register_action::Entity::find().filter(register_action::Column::EntryId.eq(e.id)).all(tx.conn()).await?;
    let board = board_of(tx.conn(), fresh.board_id).await?;
    rules::allowed(&facts(&fresh, &actions, procedure_of(&board)), step).map_err(RegisterError::NotNow)?;
    Ok(fresh)
}

/// Marks a row of the actions table done today by the current user (a step did it).
pub(crate) async fn mark_action(
    tx: &WriteTx,
    entry_id: i32,
    action: RegisterAction,
    on: NaiveDate,
) -> Result<(), DbErr> {
    let who = actor_name(tx).await?;
    register_action::Entity::update_many()
        .col_expr(register_action::Column::Done, sea_orm::sea_query::Expr::value(true))
        .col_expr(register_action::Column::OnDate, sea_orm::sea_query::Expr::value(Some(on)))
        .col_expr(register_action::Column::Who, sea_orm::sea_query::Expr::value(who))
        .filter(register_action::Column::EntryId.eq(entry_id))
        .filter(register_action::Column::Action.eq(action.code()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

async fn save(
    tx: &mut WriteTx,
    e: register_entry::Model,
    action: &str,
    detail: serde_json::Value,
    change: impl FnOnce(&mut register_entry::ActiveModel),
) -> Result<register_entry::Model, RegisterError> {
    let number = rules::entry_number(e.year, e.seq);
    let mut am: register_entry::ActiveModel = e.into();
    change(&mut am);
    am.updated_at = Set(Utc::now());
    let saved = am.update(tx.conn()).await?;
    let mut d = json!({ "nummer": number });
    if let (Some(obj), serde_json::Value::Object(more)) = (d.as_object_mut(), detail) {
        obj.extend(more);
    }
    tx.audit(None, action, d).await?;
    Ok(saved)
}

/// Klassepro: a complaint handler within 48 hours; where possible not the person complained
/// about (the page warns; the school may have no one else).
pub async fn assign_handler(tx: &mut WriteTx, e: &register_entry::Model, handler: &str) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::AssignHandler).await?;
    let handler = validate::required(handler, 150).map_err(RegisterError::NotNow)?;
    let warning = rules::handler_warning(&handler, &fresh.complained_about);
    save(tx, fresh, "register.behandelaar", json!({ "waarschuwing": warning }), |am| {
        am.handler = Set(Some(handler));
        am.handler_assigned_at = Set(Some(Utc::now()));
    })
    .await?;
    Ok(())
}

/// The acknowledgement on receipt, with the handler and the answer date.
pub async fn acknowledge(tx: &mut WriteTx, e: &register_entry::Model) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::Acknowledge).await?;
    let today = crate::admin::today();
    let by = fresh.answer_delayed_to.or(fresh.answer_due);
    let values = super::letters::values(&[
        ("behandelaar", fresh.handler.clone().unwrap_or_default()),
        ("antwoord_uiterlijk", by.map_or_else(|| "zo spoedig mogelijk".to_owned(), crate::domain::dutch::date)),
    ]);
    super::letters::send(tx, &fresh, crate::domain::letter::LetterKind::SchoolOntvangst, values).await?;
    mark_action(tx, fresh.id, RegisterAction::Ontvangstbevestiging, today).await?;
    save(tx, fresh, "register.ontvangst_bevestigd", json!({}), |_| {}).await?;
    Ok(())
}

/// The answer cannot come in time: a written notice with the reason and a new date.
pub async fn notice_of_delay(
    tx: &mut WriteTx,
    e: &register_entry::Model,
    reason: &str,
    new_date: NaiveDate,
) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::NoticeOfDelay).await?;
    let reason = validate::required(reason, 2000).map_err(RegisterError::NotNow)?;
    let today = crate::admin::today();
    let current = fresh.answer_delayed_to.or(fresh.answer_due);
    if new_date <= today || current.is_some_and(|c| new_date <= c) {
        return Err(RegisterError::NotNow(format!(
            "Kies een nieuwe datum na {}.",
            crate::domain::dutch::date(current.unwrap_or(today).max(today))
        )));
    }
    let values =
        super::letters::values(&[("reden", reason.clone()), ("nieuwe_datum", crate::domain::dutch::date(new_date))]);
    super::letters::send(tx, &fresh, crate::domain::letter::LetterKind::SchoolUitstel, values).await?;
    save(tx, fresh, "register.uitstel", json!({ "nieuwe_datum": new_date }), |am| {
        am.answer_delayed_to = Set(Some(new_date));
        am.delay_reason = Set(Some(reason));
    })
    .await?;
    Ok(())
}

/// What the school decided and the registratieformulier's analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    pub decision: String,
    pub solution: String,
    pub cause: String,
    pub measures: String,
}

/// The decision letter (Alfrink: the answer within 15 working days; Klassepro: the reasoned
/// decision within two weeks, with the follow-up contact within two weeks after it).
pub async fn decide(tx: &mut WriteTx, e: &register_entry::Model, d: Decision) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::Decide).await?;
    let board = board_of(tx.conn(), fresh.board_id).await?;
    let procedure = procedure_of(&board);
    let today = crate::admin::today();
    let follow_up_due = match procedure {
        Procedure::Klassepro => {
            let general = crate::deadlines::general_holidays(tx.conn()).await?;
            ok_or_none(rules::follow_up_due(today, Calendars { general: &general, school: None }))
        }
        Procedure::Alfrink => None,
    };
    let vervolg = match follow_up_due {
        Some(due) => format!(
            "Uiterlijk op {} nemen wij contact met u op om na te gaan of deze oplossing voor u werkt.",
            crate::domain::dutch::date(due)
        ),
        None => {
            "Wij gaan ervan uit dat de klacht hiermee is afgehandeld. Is dat voor u niet zo, laat het ons dan weten."
                .to_owned()
        }
    };
    let values = super::letters::values(&[
        ("beslissing", d.decision.clone()),
        ("oplossing", d.solution.clone()),
        ("vervolg", vervolg),
    ]);
    super::letters::send(tx, &fresh, crate::domain::letter::LetterKind::SchoolBeslissing, values).await?;
    mark_action(tx, fresh.id, RegisterAction::BriefOplossing, today).await?;
    let on_time = fresh.answer_delayed_to.or(fresh.answer_due).is_none_or(|by| today <= by);
    save(tx, fresh, "register.beslist", json!({ "op_tijd": on_time }), |am| {
        am.decided_on = Set(Some(today));
        am.decision = Set(d.decision);
        am.solution = Set(d.solution);
        am.cause = Set(d.cause);
        am.measures = Set(d.measures);
        am.follow_up_due = Set(follow_up_due);
        am.status = Set(rules::status_after(Step::Decide, EntryStatus::Open).code().into());
    })
    .await?;
    Ok(())
}

/// The registratieformulier's cause, solution and measures, which may be completed later.
pub async fn save_analysis(tx: &mut WriteTx, e: &register_entry::Model, d: Decision) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::EditActions).await?;
    save(tx, fresh, "register.analyse", json!({}), |am| {
        am.cause = Set(d.cause);
        am.solution = Set(d.solution);
        am.measures = Set(d.measures);
    })
    .await?;
    Ok(())
}

/// Klassepro: the follow-up contact after the decision, with its report.
pub async fn follow_up(
    tx: &mut WriteTx,
    e: &register_entry::Model,
    on: NaiveDate,
    report: &str,
) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::FollowUp).await?;
    let report = validate::required(report, 4000).map_err(RegisterError::NotNow)?;
    if on > crate::admin::today() || fresh.decided_on.is_some_and(|d| on < d) {
        return Err(RegisterError::NotNow("Het nagesprek ligt tussen de beslissing en vandaag.".into()));
    }
    let in_time = fresh.follow_up_due.is_none_or(|due| on <= due);
    save(tx, fresh, "register.nagesprek", json!({ "op_tijd": in_time }), |am| {
        am.follow_up_on = Set(Some(on));
        am.follow_up_report = Set(report);
    })
    .await?;
    Ok(())
}

/// A withdrawal counts only in writing, with name, address and signature.
pub async fn withdraw(
    tx: &mut WriteTx,
    e: &register_entry::Model,
    in_writing: bool,
    w: Written,
) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::Withdraw).await?;
    if !rules::withdrawal_valid(in_writing, w) {
        return Err(RegisterError::NotNow(
            "Een klacht kan alleen schriftelijk worden ingetrokken, met naam, adres en handtekening van de klager."
                .into(),
        ));
    }
    let today = crate::admin::today();
    mark_action(tx, fresh.id, RegisterAction::Gesloten, today).await?;
    save(tx, fresh, "register.ingetrokken", json!({}), |am| {
        am.status = Set(EntryStatus::Ingetrokken.code().into());
        am.closed_on = Set(Some(today));
    })
    .await?;
    Ok(())
}

/// Closes the file; from then on the five-year retention runs.
pub async fn close(tx: &mut WriteTx, e: &register_entry::Model) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::Close).await?;
    let today = crate::admin::today();
    mark_action(tx, fresh.id, RegisterAction::Gesloten, today).await?;
    let keep_until = rules::purge_after(today);
    save(tx, fresh, "register.gesloten", json!({ "bewaren_tot": keep_until }), |am| {
        am.status = Set(EntryStatus::Gesloten.code().into());
        am.closed_on = Set(Some(today));
    })
    .await?;
    Ok(())
}

/// A row of the actions table as the school fills it in by hand.
pub async fn set_action(
    tx: &mut WriteTx,
    e: &register_entry::Model,
    action: RegisterAction,
    on: Option<NaiveDate>,
    who: &str,
    done: bool,
) -> Result<(), RegisterError> {
    let fresh = check(tx, e, Step::EditActions).await?;
    let who = validate::optional(who, 150).map_err(RegisterError::NotNow)?.unwrap_or_default();
    if done && on.is_none() {
        return Err(RegisterError::NotNow("Vul de datum in van een gedane actie.".into()));
    }
    register_action::Entity::update_many()
        .col_expr(register_action::Column::Done, sea_orm::sea_query::Expr::value(done))
        .col_expr(register_action::Column::OnDate, sea_orm::sea_query::Expr::value(on))
        .col_expr(register_action::Column::Who, sea_orm::sea_query::Expr::value(who))
        .filter(register_action::Column::EntryId.eq(fresh.id))
        .filter(register_action::Column::Action.eq(action.code()))
        .exec(tx.conn())
        .await?;
    save(tx, fresh, "register.actie", json!({ "actie": action.label(), "gedaan": done }), |_| {}).await?;
    Ok(())
}

/// The status line of an entry for lists.
pub fn status_label(e: &register_entry::Model) -> &'static str {
    status_of(e).label()
}

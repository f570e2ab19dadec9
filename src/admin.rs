//! Administration use cases: accounts, and (below) the commission's members, boards and schools.

use crate::audit::{Actor, WriteTx};
use crate::domain::access::Role;
use crate::domain::case::{Expertise, Region, Sector, format_sectors};
use crate::domain::commission::{CompositionWarning, MemberFacts, composition_warnings, standard_term_end};
use crate::domain::panel::Affiliation;
use crate::domain::validate::{self, FieldErrors};
use crate::entities::{board, member, member_affiliation, school, session, user};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr, prelude::Expr,
};
use serde_json::json;
use std::collections::HashMap;

/// A new account as typed (web form or command line).
#[derive(Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: String,
    pub board_id: Option<i32>,
    /// For a board user: limits the account to one school of the board (its contactpersoon).
    pub school_id: Option<i32>,
    pub member_id: Option<i32>,
    pub password: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("role", &self.role)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// Creates an account; `Ok(Err(errors))` when the input is wrong (nothing written).
pub async fn create_user(
    db: &DatabaseConnection,
    actor: Actor,
    input: NewUser,
) -> Result<Result<i32, FieldErrors>, DbErr> {
    let mut errors = FieldErrors::default();
    let email = errors.check("email", validate::email(&input.email));
    let name = errors.check("name", validate::required(&input.name, 200));
    errors.check("password", validate::password(&input.password));
    let role = Role::parse(&input.role);
    match role {
        None => errors.add("role", "Kies een rol: beheerder, secretaris, voorzitter, lid of bestuur."),
        Some(Role::Bestuur) => match input.board_id {
            None => {
                errors.add("board_id", "Een account van een bevoegd gezag hoort bij een bestuur: kies het bestuur.")
            }
            Some(b) if board::Entity::find_by_id(b).one(db).await?.is_none() => {
                errors.add("board_id", "Dit bestuur bestaat niet.")
            }
            Some(b) => {
                if let Some(s) = input.school_id
                    && school::Entity::find_by_id(s).one(db).await?.is_none_or(|s| s.board_id != b)
                {
                    errors.add("school_id", "Deze school hoort niet bij het gekozen bestuur.")
                }
            }
        },
        Some(r) if r.sits_on_panels() => match input.member_id {
            None => errors.add("member_id", "Een voorzitter of lid hoort bij een commissielid: kies het lid."),
            Some(m) => match member::Entity::find_by_id(m).one(db).await? {
                None => errors.add("member_id", "Dit commissielid bestaat niet."),
                Some(mm) if r == Role::Voorzitter && !mm.is_chair => {
                    errors.add("member_id", "Dit commissielid is geen voorzitter.")
                }
                Some(_) => {}
            },
        },
        Some(_) => {}
    }
    if let Some(e) = &email
        && user::Entity::find().filter(user::Column::Email.eq(e.clone())).one(db).await?.is_some()
    {
        errors.add("email", "Er bestaat al een account met dit e-mailadres.");
    }
    let (Some(email), Some(name), Some(role), true) = (email, name, role, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let hash = crate::auth::password::hash(input.password).await.map_err(|e| DbErr::Custom(e.to_string()))?;
    let mut tx = WriteTx::begin(db, actor).await?;
    let inserted = user::ActiveModel {
        email: Set(email.clone()),
        name: Set(name),
        password_hash: Set(hash),
        role: Set(role.code().to_owned()),
        board_id: Set(if role == Role::Bestuur { input.board_id } else { None }),
        school_id: Set(if role == Role::Bestuur { input.school_id } else { None }),
        member_id: Set(if role.sits_on_panels() { input.member_id } else { None }),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await;
    let u = match inserted {
        Ok(u) => u,
        // Two requests at once: the database's unique constraint decides.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            errors.add("email", "Er bestaat al een account met dit e-mailadres.");
            return Ok(Err(errors));
        }
        Err(e) => return Err(e),
    };
    tx.audit(None, "gebruiker.aangemaakt", json!({ "e-mail": email, "rol": role.label() })).await?;
    tx.commit().await?;
    Ok(Ok(u.id))
}

/// Today in the Netherlands: the day the rooster van aftreden and the composition are judged on.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// A board (bevoegd gezag, Art 3) as typed.
#[derive(Debug, Clone, Default)]
pub struct NewBoard {
    pub name: String,
    pub address: String,
    pub email: String,
    pub affiliated_on: String,
    pub terminated_on: String,
}

/// Registers an affiliated board (Art 3); `Ok(Err(errors))` when the input is wrong.
pub async fn create_board(
    db: &DatabaseConnection,
    actor: Actor,
    input: NewBoard,
) -> Result<Result<i32, FieldErrors>, DbErr> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required(&input.name, 200));
    let address = errors.check("address", validate::required(&input.address, 500));
    let email = errors.check("email", validate::optional_email(&input.email));
    let affiliated_on = errors.check("affiliated_on", validate::date(&input.affiliated_on));
    let terminated_on = errors.check("terminated_on", validate::optional_date(&input.terminated_on));
    if let (Some(from), Some(Some(until))) = (affiliated_on, terminated_on)
        && until <= from
    {
        errors.add("terminated_on", "De datum waarop de aansluiting eindigt moet na de datum van aansluiting liggen.");
    }
    if let Some(n) = &name
        && board::Entity::find().filter(board::Column::Name.eq(n.clone())).one(db).await?.is_some()
    {
        errors.add("name", BOARD_EXISTS);
    }
    let (Some(name), Some(address), Some(email), Some(affiliated_on), Some(terminated_on), true) =
        (name, address, email, affiliated_on, terminated_on, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let mut tx = WriteTx::begin(db, actor).await?;
    let inserted = board::ActiveModel {
        name: Set(name.clone()),
        address: Set(address),
        email: Set(email),
        affiliated_on: Set(affiliated_on),
        terminated_on: Set(terminated_on),
        ..Default::default()
    }
    .insert(tx.conn())
    .await;
    let b = match inserted {
        Ok(b) => b,
        // Two requests at once: the database's unique constraint decides.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            errors.add("name", BOARD_EXISTS);
            return Ok(Err(errors));
        }
        Err(e) => return Err(e),
    };
    tx.audit(
        None,
        "bestuur.aangemaakt",
        json!({ "naam": name, "aangesloten per": affiliated_on.to_string(), "aansluiting eindigt": terminated_on.map(|d| d.to_string()) }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(b.id))
}

const BOARD_EXISTS: &str = "Er bestaat al een bestuur met deze naam.";

/// Art 3: records a board's notice of termination (its registered letter received on
/// `notice`): the affiliation ends at the end of that calendar year when the letter came at
/// least three months before it, else at the end of the next. Obligations that already existed
/// survive; the board's running cases continue. Returns the explanation, or `None` when there is
/// no such board.
pub async fn terminate_affiliation(
    db: &DatabaseConnection,
    actor: Actor,
    board_id: i32,
    notice: &str,
) -> Result<Option<Result<String, FieldErrors>>, DbErr> {
    let Some(b) = board::Entity::find_by_id(board_id).one(db).await? else { return Ok(None) };
    let mut errors = FieldErrors::default();
    let field = format!("notice_{board_id}");
    let Some(notice) = errors.check(&field, validate::date(notice)) else { return Ok(Some(Err(errors))) };
    if notice < b.affiliated_on || notice > today() {
        errors.add(&field, "De opzegging is ontvangen tussen de aansluiting en vandaag.");
        return Ok(Some(Err(errors)));
    }
    let (ends, why) = crate::domain::commission::affiliation_ends(notice);
    let mut tx = WriteTx::begin(db, actor).await?;
    let name = b.name.clone();
    let mut am: board::ActiveModel = b.into();
    am.terminated_on = Set(Some(ends));
    am.update(tx.conn()).await?;
    tx.audit(
        None,
        "bestuur.opgezegd",
        json!({ "naam": name, "opzegging ontvangen": notice.to_string(), "aansluiting eindigt": ends.to_string(), "uitleg": why }),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(why)))
}

/// A school as typed; `board_id` is `None` when no board was chosen.
#[derive(Debug, Clone, Default)]
pub struct NewSchool {
    pub board_id: Option<i32>,
    pub name: String,
    pub brin: String,
    pub address: String,
    pub place: String,
    pub region: String,
    pub sector: String,
    pub contact_name: String,
    pub contact_email: String,
}

/// A BRIN number: two digits and two letters (`04KL`), optionally followed by a two-digit
/// branch number (`04KL01`). Returned upper-case.
pub fn brin(input: &str) -> Result<Option<String>, &'static str> {
    let b = input.trim().to_uppercase();
    if b.is_empty() {
        return Ok(None);
    }
    let c: Vec<char> = b.chars().collect();
    let ok = (c.len() == 4 || c.len() == 6)
        && c[..2].iter().all(char::is_ascii_digit)
        && c[2..4].iter().all(char::is_ascii_uppercase)
        && c[4..].iter().all(char::is_ascii_digit);
    if ok { Ok(Some(b)) } else { Err("Een BRIN-nummer bestaat uit twee cijfers en twee letters, bijvoorbeeld 04KL.") }
}

/// Registers a school under its board; `Ok(Err(errors))` when the input is wrong.
pub async fn create_school(
    db: &DatabaseConnection,
    actor: Actor,
    input: NewSchool,
) -> Result<Result<i32, FieldErrors>, DbErr> {
    let mut errors = FieldErrors::default();
    let board = match input.board_id {
        None => {
            errors.add("board_id", "Kies het bestuur (bevoegd gezag) van de school.");
            None
        }
        Some(id) => {
            let b = board::Entity::find_by_id(id).one(db).await?;
            if b.is_none() {
                errors.add("board_id", "Dit bestuur bestaat niet.");
            }
            b
        }
    };
    let name = errors.check("name", validate::required(&input.name, 200));
    let brin = errors.check("brin", brin(&input.brin));
    let address = errors.check("address", validate::required(&input.address, 500));
    let place = errors.check("place", validate::required(&input.place, 100));
    // legal.md: the holiday region is chosen per school, never derived from its town.
    let region = Region::parse(&input.region);
    if region.is_none() {
        errors.add("region", "Kies de vakantieregio van de school: Noord, Midden of Zuid.");
    }
    let sector = Sector::parse(&input.sector);
    if sector.is_none() {
        errors.add("sector", "Kies de sector van de school.");
    }
    let contact_name = errors.check("contact_name", validate::optional(&input.contact_name, 200));
    let contact_email = errors.check("contact_email", validate::optional_email(&input.contact_email));
    let (
        Some(board),
        Some(name),
        Some(brin),
        Some(address),
        Some(place),
        Some(region),
        Some(sector),
        Some(contact_name),
        Some(contact_email),
        true,
    ) = (board, name, brin, address, place, region, sector, contact_name, contact_email, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let mut tx = WriteTx::begin(db, actor).await?;
    let s = school::ActiveModel {
        board_id: Set(board.id),
        name: Set(name.clone()),
        brin: Set(brin.clone()),
        address: Set(address),
        place: Set(place.clone()),
        region: Set(region.code().to_owned()),
        sector: Set(sector.code().to_owned()),
        contact_name: Set(contact_name),
        contact_email: Set(contact_email),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        None,
        "school.aangemaakt",
        json!({ "naam": name, "brin": brin, "plaats": place, "bestuur": board.name, "regio": region.label(), "sector": sector.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(s.id))
}

/// A commission member as typed (Art 4, 5).
#[derive(Debug, Clone, Default)]
pub struct NewMember {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub is_chair: bool,
    pub is_jurist: bool,
    pub expertise: String,
    /// Sector codes (`PO`, `SO`, `VO`, `BVE`).
    pub sectors: Vec<String>,
    pub term_start: String,
    /// Empty: four years after the start (Art 5.3).
    pub term_end: String,
}

/// The sectors ticked, in the fixed order, without repeats; an unknown code is an error.
pub fn sectors(codes: &[String]) -> Result<Vec<Sector>, String> {
    let mut picked = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match Sector::parse(code) {
            Some(s) => picked.push(s),
            None => return Err(format!("Onbekende sector: {code}.")),
        }
    }
    let picked: Vec<Sector> = Sector::ALL.iter().copied().filter(|s| picked.contains(s)).collect();
    if picked.is_empty() {
        return Err("Kies ten minste één sector waarin het lid deskundig is (art. 9.2).".into());
    }
    Ok(picked)
}

/// Appoints a commission member; `Ok(Err(errors))` when the input is wrong.
pub async fn create_member(
    db: &DatabaseConnection,
    actor: Actor,
    input: NewMember,
) -> Result<Result<i32, FieldErrors>, DbErr> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required(&input.name, 200));
    let email = errors.check("email", validate::email(&input.email));
    let phone = errors.check("phone", validate::optional(&input.phone, 40));
    let address = errors.check("address", validate::optional(&input.address, 500));
    let expertise = Expertise::parse(&input.expertise);
    if expertise.is_none() {
        errors.add(
            "expertise",
            "Kies de deskundigheid van het lid: juridisch, sociaal-medisch of onderwijskundig (art. 4.1).",
        );
    }
    let sectors = errors.check("sectors", sectors(&input.sectors));
    let term_start = errors.check("term_start", validate::date(&input.term_start));
    let term_end = errors.check("term_end", validate::optional_date(&input.term_end));
    // Art 5.3: a term is four years unless another end was agreed.
    let term_end = match (term_start, term_end) {
        (Some(start), Some(None)) => {
            let end = standard_term_end(start);
            if end.is_none() {
                errors.add("term_start", "Vul een geldige datum in (dd-mm-jjjj).");
            }
            end
        }
        (Some(start), Some(Some(end))) => {
            if end <= start {
                errors.add("term_end", "Het einde van de termijn moet na het begin liggen.");
            }
            Some(end)
        }
        _ => None,
    };
    let (
        Some(name),
        Some(email),
        Some(phone),
        Some(address),
        Some(expertise),
        Some(sectors),
        Some(term_start),
        Some(term_end),
        true,
    ) = (name, email, phone, address, expertise, sectors, term_start, term_end, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let mut tx = WriteTx::begin(db, actor).await?;
    let m = member::ActiveModel {
        name: Set(name.clone()),
        email: Set(email),
        phone: Set(phone),
        address: Set(address),
        is_chair: Set(input.is_chair),
        is_jurist: Set(input.is_jurist),
        expertise: Set(expertise.code().to_owned()),
        sectors: Set(format_sectors(&sectors)),
        term_start: Set(term_start),
        term_end: Set(term_end),
        renewals: Set(0),
        active: Set(true),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        None,
        "lid.aangemaakt",
        json!({
            "naam": name,
            "voorzitter": input.is_chair,
            "jurist": input.is_jurist,
            "deskundigheid": expertise.label(),
            "sectoren": format_sectors(&sectors),
            "termijn": format!("{term_start} tot {term_end}"),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(m.id))
}

/// Art 5.3: reappoints a member for another four years, counted from the end of the current
/// term. Returns the new end date, or `None` when there is no such member.
pub async fn renew_member(db: &DatabaseConnection, actor: Actor, member_id: i32) -> Result<Option<NaiveDate>, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    // Read inside the transaction: two renewals at once queue on the audit head and the second
    // sees the first one's new end date.
    let Some(m) = member::Entity::find_by_id(member_id).one(tx.conn()).await? else {
        return Ok(None);
    };
    let old_end = m.term_end;
    let new_end = standard_term_end(old_end)
        .ok_or_else(|| DbErr::Custom(format!("term end of member {member_id} out of range")))?;
    let renewals = m.renewals + 1;
    let name = m.name.clone();
    let mut am: member::ActiveModel = m.into();
    am.term_end = Set(new_end);
    am.renewals = Set(renewals);
    am.update(tx.conn()).await?;
    tx.audit(
        None,
        "lid.herbenoemd",
        json!({ "lid": name, "oude einddatum": old_end.to_string(), "nieuwe einddatum": new_end.to_string(), "herbenoemingen": renewals }),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(new_end))
}

/// Reads the target of an affiliation as the form sends it: `board:ID` or `school:ID`.
pub fn affiliation_target(input: &str) -> Option<Affiliation> {
    let (kind, id) = input.trim().split_once(':')?;
    let id: i32 = id.parse().ok().filter(|id| *id > 0)?;
    match kind {
        "board" => Some(Affiliation::Board(id)),
        "school" => Some(Affiliation::School(id)),
        _ => None,
    }
}

/// Art 5.1: records that a member works for or is part of a board or a school, so that the
/// member is not seated on its cases. `Ok(Err(errors))` when the input is wrong.
pub async fn add_affiliation(
    db: &DatabaseConnection,
    actor: Actor,
    member_id: i32,
    target: &str,
    note: &str,
) -> Result<Result<i32, FieldErrors>, DbErr> {
    let mut errors = FieldErrors::default();
    let Some(m) = member::Entity::find_by_id(member_id).one(db).await? else {
        errors.add("member_id", "Dit commissielid bestaat niet.");
        return Ok(Err(errors));
    };
    let note = errors.check("note", validate::optional(note, 500));
    let target_name = match affiliation_target(target) {
        None => {
            errors.add("target", "Kies het bestuur of de school waaraan het lid verbonden is.");
            None
        }
        Some(Affiliation::Board(id)) => match board::Entity::find_by_id(id).one(db).await? {
            Some(b) => Some((Affiliation::Board(id), "bestuur", b.name)),
            None => {
                errors.add("target", "Dit bestuur bestaat niet.");
                None
            }
        },
        Some(Affiliation::School(id)) => match school::Entity::find_by_id(id).one(db).await? {
            Some(s) => Some((Affiliation::School(id), "school", s.name)),
            None => {
                errors.add("target", "Deze school bestaat niet.");
                None
            }
        },
    };
    let (Some(note), Some((target, kind, target_name)), true) = (note, target_name, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let (board_id, school_id) = match target {
        Affiliation::Board(b) => (Some(b), None),
        Affiliation::School(s) => (None, Some(s)),
    };
    let mut tx = WriteTx::begin(db, actor).await?;
    let existing = member_affiliation::Entity::find()
        .filter(member_affiliation::Column::MemberId.eq(m.id))
        .all(tx.conn())
        .await?
        .into_iter()
        .any(|a| a.board_id == board_id && a.school_id == school_id);
    if existing {
        errors.add("target", "Deze verbondenheid is al vastgelegd.");
        return Ok(Err(errors));
    }
    let a = member_affiliation::ActiveModel {
        member_id: Set(m.id),
        board_id: Set(board_id),
        school_id: Set(school_id),
        note: Set(note.clone().unwrap_or_default()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(None, "lid.verbondenheid_vastgelegd", json!({ "lid": m.name, kind: target_name, "toelichting": note }))
        .await?;
    tx.commit().await?;
    Ok(Ok(a.id))
}

/// Removes a recorded affiliation; `false` when there is no such affiliation.
pub async fn remove_affiliation(db: &DatabaseConnection, actor: Actor, affiliation_id: i32) -> Result<bool, DbErr> {
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(a) = member_affiliation::Entity::find_by_id(affiliation_id).one(tx.conn()).await? else {
        return Ok(false);
    };
    let member_name = member::Entity::find_by_id(a.member_id).one(tx.conn()).await?.map(|m| m.name).unwrap_or_default();
    let (kind, target_name) = match (a.board_id, a.school_id) {
        (Some(b), _) => ("bestuur", board::Entity::find_by_id(b).one(tx.conn()).await?.map(|b| b.name)),
        (_, Some(s)) => ("school", school::Entity::find_by_id(s).one(tx.conn()).await?.map(|s| s.name)),
        _ => ("bestuur", None),
    };
    member_affiliation::Entity::delete_by_id(a.id).exec(tx.conn()).await?;
    tx.audit(
        None,
        "lid.verbondenheid_verwijderd",
        json!({ "lid": member_name, kind: target_name, "toelichting": a.note }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Deactivates or reactivates an account. Deactivating also ends its sessions at once.
/// `Ok(Err(errors))` when refused: one's own account, or the last active administrator.
pub async fn set_user_active(
    db: &DatabaseConnection,
    actor: Actor,
    user_id: i32,
    active: bool,
) -> Result<Result<(), FieldErrors>, DbErr> {
    let mut errors = FieldErrors::default();
    if !active && actor.user_id == Some(user_id) {
        errors.add("active", "U kunt uw eigen account niet deactiveren.");
        return Ok(Err(errors));
    }
    let mut tx = WriteTx::begin(db, actor).await?;
    let Some(u) = user::Entity::find_by_id(user_id).one(tx.conn()).await? else {
        errors.add("user_id", "Deze gebruiker bestaat niet.");
        return Ok(Err(errors));
    };
    if u.active == active {
        // Nothing changes (a repeated click): nothing to record.
        return Ok(Ok(()));
    }
    if !active && u.role == Role::Beheerder.code() {
        let others = user::Entity::find()
            .filter(user::Column::Role.eq(Role::Beheerder.code()))
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::Id.ne(u.id))
            .count(tx.conn())
            .await?;
        if others == 0 {
            errors.add(
                "active",
                "Dit is het laatste actieve beheerdersaccount; maak eerst een ander beheerdersaccount aan.",
            );
            return Ok(Err(errors));
        }
    }
    let (email, name) = (u.email.clone(), u.name.clone());
    let mut am: user::ActiveModel = u.into();
    am.active = Set(active);
    am.update(tx.conn()).await?;
    let mut detail = json!({ "e-mail": email, "naam": name });
    if !active {
        let ended = session::Entity::update_many()
            .col_expr(session::Column::EndedAt, Expr::value(Some(Utc::now())))
            .filter(session::Column::UserId.eq(user_id))
            .filter(session::Column::EndedAt.is_null())
            .exec(tx.conn())
            .await?;
        detail["beëindigde sessies"] = json!(ended.rows_affected);
    }
    tx.audit(None, if active { "gebruiker.geactiveerd" } else { "gebruiker.gedeactiveerd" }, detail).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// An affiliation as shown on the rooster: the board or school by name.
#[derive(Debug, Clone)]
pub struct AffiliationEntry {
    pub id: i32,
    pub target: Affiliation,
    pub target_name: String,
    pub note: String,
}

/// A member on the rooster van aftreden with the ties recorded for Art 5.1.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub member: member::Model,
    pub affiliations: Vec<AffiliationEntry>,
}

/// The rooster van aftreden (Art 5.3): every member, the first term to end first.
pub async fn roster(db: &DatabaseConnection) -> Result<Vec<RosterEntry>, DbErr> {
    let members =
        member::Entity::find().order_by_asc(member::Column::TermEnd).order_by_asc(member::Column::Name).all(db).await?;
    let affiliations = member_affiliation::Entity::find().order_by_asc(member_affiliation::Column::Id).all(db).await?;
    let boards: HashMap<i32, String> =
        board::Entity::find().all(db).await?.into_iter().map(|b| (b.id, b.name)).collect();
    let schools: HashMap<i32, String> =
        school::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    Ok(members
        .into_iter()
        .map(|m| {
            let affiliations = affiliations
                .iter()
                .filter(|a| a.member_id == m.id)
                .filter_map(|a| {
                    let (target, name) = match (a.board_id, a.school_id) {
                        (Some(b), _) => (Affiliation::Board(b), boards.get(&b)),
                        (_, Some(s)) => (Affiliation::School(s), schools.get(&s)),
                        _ => return None,
                    };
                    Some(AffiliationEntry {
                        id: a.id,
                        target,
                        target_name: name.cloned().unwrap_or_default(),
                        note: a.note.clone(),
                    })
                })
                .collect();
            RosterEntry { member: m, affiliations }
        })
        .collect())
}

/// What the composition rules need to know about a stored member.
pub fn member_facts(m: &member::Model) -> Option<MemberFacts> {
    Some(MemberFacts {
        is_chair: m.is_chair,
        expertise: Expertise::parse(&m.expertise)?,
        term_start: m.term_start,
        term_end: m.term_end,
        active: m.active,
    })
}

/// Art 4.1 warnings for the stored members on `today`.
pub fn composition<'a>(
    members: impl IntoIterator<Item = &'a member::Model>,
    today: NaiveDate,
) -> Vec<CompositionWarning> {
    let facts: Vec<MemberFacts> = members.into_iter().filter_map(member_facts).collect();
    composition_warnings(&facts, today)
}

/// How many members, boards, schools and accounts there are (the administration overview).
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub members: u64,
    pub boards: u64,
    pub schools: u64,
    pub users: u64,
}

pub async fn counts(db: &DatabaseConnection) -> Result<Counts, DbErr> {
    Ok(Counts {
        members: member::Entity::find().count(db).await?,
        boards: board::Entity::find().count(db).await?,
        schools: school::Entity::find().count(db).await?,
        users: user::Entity::find().count(db).await?,
    })
}

/// The number of schools per board.
pub async fn schools_per_board(db: &DatabaseConnection) -> Result<HashMap<i32, i64>, DbErr> {
    let rows: Vec<(i32, i64)> = school::Entity::find()
        .select_only()
        .column(school::Column::BoardId)
        .column_as(school::Column::Id.count(), "n")
        .group_by(school::Column::BoardId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brin_numbers() {
        assert_eq!(brin(" 04kl "), Ok(Some("04KL".into())));
        assert_eq!(brin("04KL01"), Ok(Some("04KL01".into())));
        assert_eq!(brin(""), Ok(None));
        for bad in ["4KL", "04K1", "AB04", "04KL1", "04KLAB", "04ÄL"] {
            assert!(brin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sectors_are_checked_and_ordered() {
        let s = |v: &[&str]| sectors(&v.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["VO", "PO", "VO"]), Ok(vec![Sector::Po, Sector::Vo]));
        assert!(s(&[]).unwrap_err().contains("ten minste één sector"));
        assert!(s(&["", " "]).is_err());
        assert!(s(&["PO", "HBO"]).unwrap_err().contains("HBO"));
    }

    #[test]
    fn affiliation_targets() {
        assert_eq!(affiliation_target("board:3"), Some(Affiliation::Board(3)));
        assert_eq!(affiliation_target("school:12"), Some(Affiliation::School(12)));
        for bad in ["", "board:", "board:x", "school:-1", "school:0", "case:1", "3", "board:1:2"] {
            assert_eq!(affiliation_target(bad), None, "{bad}");
        }
    }

    #[test]
    fn member_facts_follow_the_row() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut m = member::Model {
            id: 1,
            name: "A".into(),
            email: "a@x.nl".into(),
            phone: None,
            address: None,
            is_chair: true,
            is_jurist: true,
            expertise: "juridisch".into(),
            sectors: "PO".into(),
            term_start: d(2024, 1, 1),
            term_end: d(2028, 1, 1),
            renewals: 0,
            active: true,
            feed_version: 0,
        };
        let f = member_facts(&m).unwrap();
        assert!(f.is_chair && f.active && f.expertise == Expertise::Juridisch);
        m.expertise = "onbekend".into();
        assert_eq!(member_facts(&m), None);
    }
}

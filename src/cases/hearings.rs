//! From the investigation to the hearing and its record (Art 14, 18, 20-23): requests for
//! information, the hearing or pre-hearing appearance with its invitations (letters to the
//! parties, iCalendar to the panel and the secretariat), separate hearing, who attended, the
//! proces-verbaal, a minor witness's record, closing and reopening the investigation. Each step
//! is checked against [`crate::domain::hearing::allowed`] and happens in the caller's
//! `WriteTx` with its audit entry, letters and outbox messages.

use super::CaseError;
use super::intake::{addressee, cancel_running, close_by, need, parties, running, tell_board, values};
use super::register::NewDocument;
use crate::audit::WriteTx;
use crate::deadlines;
use crate::domain::case::{CaseStatus, Outcome, PanelRole, PartyRole};
use crate::domain::deadline::{DeadlineKind, Status};
use crate::domain::dutch;
use crate::domain::hearing::{
    self, AppearancePurpose, Facts, HearingKind, HearingStatus, MemberPlan, Period, Planned, Step,
};
use crate::domain::ical::{self, HearingEvent, Method, Person};
use crate::domain::letter::LetterKind;
use crate::domain::termijn::Term;
use crate::entities::{
    case, hearing as entity, hearing_attendance, information_request, member, panel_member, party, unavailability, user,
};
use crate::letters::compose::{To, send, send_with};
use crate::letters::letterhead;
use crate::outbox::{self, NewMessage, Purpose};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

/// A hearing's local (Amsterdam) time.
pub fn local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&Amsterdam).naive_local()
}

/// A local time as stored; a time that does not exist (the spring-forward hour) is refused.
pub fn to_utc(t: NaiveDateTime) -> Result<DateTime<Utc>, CaseError> {
    Amsterdam.from_local_datetime(&t).earliest().map(|x| x.with_timezone(&Utc)).ok_or_else(|| {
        CaseError::NotNow("Dit tijdstip bestaat niet door de overgang naar de zomertijd; kies een ander uur.".into())
    })
}

/// "donderdag 10 december 2026" and "14.00 uur", as letters write them.
pub fn day_text(t: NaiveDateTime) -> String {
    dutch::date_with_weekday(t.date())
}

pub fn time_text(t: NaiveDateTime) -> String {
    format!("{} uur", t.format("%H.%M"))
}

/// The hearing or appearance still to come.
pub async fn planned(db: &impl ConnectionTrait, case_id: i32) -> Result<Option<entity::Model>, DbErr> {
    entity::Entity::find()
        .filter(entity::Column::CaseId.eq(case_id))
        .filter(entity::Column::Status.eq(HearingStatus::Gepland.code()))
        .order_by_desc(entity::Column::Id)
        .one(db)
        .await
}

/// Every hearing and appearance of a case, the latest first.
pub async fn all(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<entity::Model>, DbErr> {
    entity::Entity::find()
        .filter(entity::Column::CaseId.eq(case_id))
        .order_by_desc(entity::Column::StartsAt)
        .order_by_desc(entity::Column::Id)
        .all(db)
        .await
}

/// The panel of a case with its members, the chair first.
pub async fn panel(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<(PanelRole, member::Model)>, DbErr> {
    let seats = panel_member::Entity::find().filter(panel_member::Column::CaseId.eq(case_id)).all(db).await?;
    let members =
        member::Entity::find().filter(member::Column::Id.is_in(seats.iter().map(|s| s.member_id))).all(db).await?;
    let mut out: Vec<(PanelRole, member::Model)> = seats
        .iter()
        .filter_map(|s| {
            let m = members.iter().find(|m| m.id == s.member_id)?.clone();
            Some((PanelRole::parse(&s.role).unwrap_or(PanelRole::Lid), m))
        })
        .collect();
    out.sort_by_key(|(r, m)| (*r != PanelRole::Voorzitter, m.name.clone()));
    Ok(out)
}

/// "mr. A. de Boer (voorzitter), drs. B. Smit en C. Jansen".
fn panel_names(panel: &[(PanelRole, member::Model)]) -> String {
    let names: Vec<String> = panel
        .iter()
        .map(|(r, m)| if *r == PanelRole::Voorzitter { format!("{} (voorzitter)", m.name) } else { m.name.clone() })
        .collect();
    dutch::list(&names)
}

/// What the hearing steps need, read from the case.
pub async fn facts(db: &impl ConnectionTrait, c: &case::Model) -> Result<Facts, DbErr> {
    let hearings = all(db, c.id).await?;
    let seats = panel(db, c.id).await?;
    let today = crate::admin::today();
    let response_running = deadlines::for_case(db, c.id).await?.iter().any(|d| {
        d.kind == DeadlineKind::Reactie.code()
            && Status::parse(&d.status).is_some_and(|s| s.is_running())
            && d.due_on.is_none_or(|due| due >= today)
    });
    let held = |h: &&entity::Model| h.status == HearingStatus::Gehouden.code();
    Ok(Facts {
        status: CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Ontvangen),
        planned: hearings.iter().find(|h| h.status == HearingStatus::Gepland.code()).map(|h| Planned {
            kind: HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting),
            invited: h.invited_at.is_some(),
            starts_on: local(h.starts_at).date(),
        }),
        panel_complete: seats.len() >= 3 && seats.iter().any(|(r, _)| *r == PanelRole::Voorzitter),
        hearing_recorded: hearings
            .iter()
            .filter(held)
            .any(|h| h.kind == HearingKind::Hoorzitting.code() && h.minutes_final_at.is_some()),
        minutes_pending: hearings.iter().filter(held).any(|h| h.minutes_final_at.is_none()),
        response_running,
    })
}

async fn check(tx: &WriteTx, c: &case::Model, step: Step) -> Result<Facts, CaseError> {
    let f = facts(tx.conn(), c).await?;
    hearing::allowed(&f, step, crate::admin::today()).map_err(|why| CaseError::NotNow(why.to_owned()))?;
    Ok(f)
}

async fn planned_or_refuse(tx: &WriteTx, c: &case::Model) -> Result<entity::Model, CaseError> {
    planned(tx.conn(), c.id).await?.ok_or_else(|| CaseError::NotNow("Er staat geen zitting gepland.".into()))
}

async fn set_status(tx: &mut WriteTx, c: &case::Model, status: CaseStatus) -> Result<case::Model, DbErr> {
    let mut am: case::ActiveModel = c.clone().into();
    am.status = Set(status.code().to_owned());
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await
}

/// Everything needed to check a date for a hearing of this case (Art 18, 21).
pub struct PlanData {
    pub due: Option<NaiveDate>,
    pub members: Vec<MemberPlan>,
    pub parties: Vec<(String, Vec<Period>)>,
    pub holidays: crate::domain::holidays::GeneralHolidays,
}

impl PlanData {
    pub fn plan(&self) -> hearing::Plan<'_> {
        hearing::Plan {
            due: self.due,
            members: self.members.clone(),
            parties: self.parties.clone(),
            holidays: &self.holidays,
        }
    }
}

/// The Art 18 term, the panel's terms of office, unavailable periods and other hearings, and
/// the parties' unavailable periods, in a fixed number of queries.
pub async fn plan_data(db: &impl ConnectionTrait, c: &case::Model) -> Result<PlanData, DbErr> {
    let due = deadlines::for_case(db, c.id)
        .await?
        .into_iter()
        .filter(|d| d.kind == DeadlineKind::Hoorzitting.code())
        .filter_map(|d| d.due_on)
        .max();
    let seats = panel(db, c.id).await?;
    let member_ids: Vec<i32> = seats.iter().map(|(_, m)| m.id).collect();
    let ps = parties(db, c.id).await?;
    let periods = unavailability::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(unavailability::Column::MemberId.is_in(member_ids.clone()))
                .add(unavailability::Column::PartyId.is_in(ps.iter().map(|p| p.id))),
        )
        .filter(unavailability::Column::ToOn.gte(crate::admin::today()))
        .order_by_asc(unavailability::Column::FromOn)
        .all(db)
        .await?;
    // Other hearings of these members: their other seats, then those cases' planned hearings.
    let other_seats = panel_member::Entity::find()
        .filter(panel_member::Column::MemberId.is_in(member_ids.clone()))
        .filter(panel_member::Column::CaseId.ne(c.id))
        .all(db)
        .await?;
    let others = entity::Entity::find()
        .filter(entity::Column::CaseId.is_in(other_seats.iter().map(|s| s.case_id)))
        .filter(entity::Column::Status.eq(HearingStatus::Gepland.code()))
        .all(db)
        .await?;
    let numbers = super::zaaknummers(db, others.iter().map(|h| h.case_id)).await?;
    let period = |u: &unavailability::Model| Period { from: u.from_on, to: u.to_on, note: u.note.clone() };
    let members = seats
        .iter()
        .map(|(_, m)| MemberPlan {
            name: m.name.clone(),
            term_end: m.term_end,
            unavailable: periods.iter().filter(|u| u.member_id == Some(m.id)).map(period).collect(),
            hearings: others
                .iter()
                .filter(|h| other_seats.iter().any(|s| s.case_id == h.case_id && s.member_id == m.id))
                .map(|h| (numbers.get(&h.case_id).cloned().unwrap_or_default(), local(h.starts_at), local(h.ends_at)))
                .collect(),
        })
        .collect();
    let parties = ps
        .iter()
        .map(|p| {
            let role = PartyRole::parse(&p.role).map_or(p.role.clone(), |r| r.label().to_lowercase());
            (
                format!("{} ({role})", p.name),
                periods.iter().filter(|u| u.party_id == Some(p.id)).map(period).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    Ok(PlanData { due, members, parties, holidays: deadlines::general_holidays(db).await? })
}

/// A hearing or appearance as the chair sets it.
#[derive(Debug, Clone)]
pub struct NewHearing {
    pub kind: HearingKind,
    pub purpose: Option<AppearancePurpose>,
    pub start: NaiveDateTime,
    pub duration_minutes: i64,
    pub place: String,
}

fn span(h: &NewHearing) -> Result<(DateTime<Utc>, DateTime<Utc>), CaseError> {
    if !(15..=8 * 60).contains(&h.duration_minutes) {
        return Err(CaseError::NotNow("Een zitting duurt tussen een kwartier en acht uur.".into()));
    }
    Ok((to_utc(h.start)?, to_utc(h.start + TimeDelta::minutes(h.duration_minutes))?))
}

/// Art 21.4: names of a party's own witnesses and experts are due five working days before
/// the hearing; the term follows the hearing when it moves and ends when it is called off.
async fn reset_witness_term(tx: &mut WriteTx, c: &case::Model, hearing_on: Option<NaiveDate>) -> Result<(), CaseError> {
    while let Some(d) = running(tx.conn(), c.id, DeadlineKind::Getuigen).await? {
        deadlines::close(tx, c, d.id, Status::Cancelled, crate::admin::today(), "de zitting is gewijzigd").await?;
    }
    if let Some(on) = hearing_on {
        deadlines::open(tx, c, DeadlineKind::Getuigen, on, None).await?;
    }
    Ok(())
}

/// Art 18, 14.2: the chair sets day, hour and place. Parties and panel are told with the
/// invitations, a separate step, so the date can be checked first.
pub async fn schedule(tx: &mut WriteTx, c: &case::Model, h: NewHearing) -> Result<entity::Model, CaseError> {
    check(tx, c, Step::Schedule).await?;
    if h.place.trim().is_empty() {
        return Err(CaseError::NotNow("Geef de plaats van de zitting op.".into()));
    }
    let (starts_at, ends_at) = span(&h)?;
    let ps = parties(tx.conn(), c.id).await?;
    let minors: Vec<(PartyRole, bool)> =
        ps.iter().filter_map(|p| PartyRole::parse(&p.role).map(|r| (r, p.minor))).collect();
    let separately = h.kind == HearingKind::Hoorzitting && hearing::separately_in_principle(&minors);
    let head = letterhead::load(tx.conn()).await?;
    let token: [u8; 12] = rand::random();
    let domain = head.from_address().rsplit('@').next().unwrap_or("klachtencommissie.invalid").to_owned();
    let now = Utc::now();
    let saved = entity::ActiveModel {
        case_id: Set(c.id),
        kind: Set(h.kind.code().to_owned()),
        purpose: Set(h.purpose.filter(|_| h.kind == HearingKind::Verschijning).map(|p| p.code().to_owned())),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        place: Set(h.place.trim().to_owned()),
        status: Set(HearingStatus::Gepland.code().to_owned()),
        uid: Set(ical::uid(&hex::encode(token), &domain)),
        sequence: Set(0),
        separately: Set(separately),
        separately_reason: Set(separately.then(|| "Een partij is minderjarig (artikel 20.3).".to_owned())),
        invited_at: Set(None),
        cancel_reason: Set(None),
        minutes: Set(String::new()),
        minutes_final_at: Set(None),
        minutes_document_id: Set(None),
        settled: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    if h.kind == HearingKind::Hoorzitting {
        reset_witness_term(tx, c, Some(h.start.date())).await?;
    }
    tx.audit(
        Some(c.id),
        "zitting.gepland",
        json!({ "soort": h.kind.label(), "begin": h.start, "duur_minuten": h.duration_minutes, "plaats": saved.place, "apart_horen": separately }),
    )
    .await?;
    Ok(saved)
}

/// The letter values describing a hearing.
fn hearing_values(h: &entity::Model) -> Vec<(&'static str, String)> {
    let start = local(h.starts_at);
    vec![("zitting_datum", day_text(start)), ("zitting_tijd", time_text(start)), ("zitting_plaats", h.place.clone())]
}

fn manner(h: &entity::Model) -> String {
    if h.separately {
        format!(
            "De partijen worden apart van elkaar gehoord (artikel 20.3 en 20.4). {}",
            h.separately_reason.clone().unwrap_or_default()
        )
        .trim()
        .to_owned()
    } else {
        "De partijen worden in elkaars aanwezigheid gehoord (artikel 20.3).".to_owned()
    }
}

/// The parties' addressees: the klager's and the aangeklaagde's (their gemachtigde when they
/// have one).
fn both_parties(ps: &[party::Model]) -> Vec<To> {
    [PartyRole::Klager, PartyRole::Aangeklaagde].into_iter().filter_map(|r| addressee(ps, r)).collect()
}

/// The calendar invitation (or cancellation) to the panel and the secretaries, each as a
/// message of its own in the outbox. The event names only the zaaknummer and the school:
/// calendars travel to phones and shared agendas.
async fn send_calendar(tx: &mut WriteTx, c: &case::Model, h: &entity::Model, method: Method) -> Result<(), CaseError> {
    send_calendar_to(tx, c, h, method, None).await
}

/// [`send_calendar`]; with `only`, to that one person (a member who left the panel), who is
/// then also named as attendee.
async fn send_calendar_to(
    tx: &mut WriteTx,
    c: &case::Model,
    h: &entity::Model,
    method: Method,
    only: Option<Person>,
) -> Result<(), CaseError> {
    let head = letterhead::load(tx.conn()).await?;
    let seats = panel(tx.conn(), c.id).await?;
    let secretaries = user::Entity::find()
        .filter(user::Column::Role.eq("secretaris"))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .all(tx.conn())
        .await?;
    let school = crate::entities::school::Entity::find_by_id(c.school_id).one(tx.conn()).await?;
    let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
    let person = |name: &str, email: &str| Person { name: name.to_owned(), email: email.to_owned() };
    let chair = seats.iter().find(|(r, _)| *r == PanelRole::Voorzitter).map(|(_, m)| person(&m.name, &m.email));
    let mut attendees: Vec<Person> =
        seats.iter().filter(|(r, _)| *r != PanelRole::Voorzitter).map(|(_, m)| person(&m.name, &m.email)).collect();
    attendees.extend(secretaries.iter().map(|u| person(&u.name, &u.email)));
    if let Some(p) = &only {
        attendees.push(p.clone());
    }
    let event = HearingEvent {
        uid: h.uid.clone(),
        sequence: u32::try_from(h.sequence).unwrap_or(0),
        summary: format!("{} klachtzaak {}", kind.label(), c.zaaknummer),
        description: format!(
            "{} in klachtzaak {} ({}). {}",
            kind.label(),
            c.zaaknummer,
            school.map(|s| s.name).unwrap_or_default(),
            if h.separately { "Partijen worden apart gehoord." } else { "" }
        )
        .trim()
        .to_owned(),
        location: h.place.clone(),
        start: local(h.starts_at),
        end: local(h.ends_at),
        stamp: h.updated_at,
        cancelled: method == Method::Cancel,
        organizer: person(&format!("Secretariaat {}", head.display_name()), head.from_address()),
        chair: chair.clone(),
        attendees: attendees.clone(),
    };
    let ics = ical::calendar(method, None, std::slice::from_ref(&event));
    let when = format!("{} om {}", day_text(event.start), time_text(event.start));
    let (subject, text) = match (method, h.sequence) {
        (Method::Cancel, _) => (
            "Afgezegd",
            format!("De {} in klachtzaak {} van {when} gaat niet door.", kind.label().to_lowercase(), c.zaaknummer),
        ),
        (_, 0) => (
            "Uitnodiging",
            format!(
                "U bent uitgenodigd voor de {} in klachtzaak {} op {when} in {}.",
                kind.label().to_lowercase(),
                c.zaaknummer,
                h.place
            ),
        ),
        _ => (
            "Gewijzigd",
            format!(
                "De {} in klachtzaak {} is gewijzigd: nu op {when} in {}.",
                kind.label().to_lowercase(),
                c.zaaknummer,
                h.place
            ),
        ),
    };
    let body = format!(
        "{text}\n\nDe bijlage zet de zitting in uw agenda (of werkt haar bij).\n\nMet vriendelijke groet,\n\nHet secretariaat van de {}\n",
        head.display_name()
    );
    let recipients: Vec<Person> = match &only {
        Some(p) => vec![p.clone()],
        None => chair.iter().chain(attendees.iter()).cloned().collect(),
    };
    for p in &recipients {
        outbox::enqueue(
            tx.conn(),
            NewMessage {
                purpose: Purpose::Melding,
                case_id: Some(c.id),
                letter_id: None,
                to_email: p.email.clone(),
                to_name: p.name.clone(),
                subject: format!("{subject}: {} {} op {when}", kind.label(), c.zaaknummer),
                body: body.clone(),
                attachment_document_id: None,
                more_attachments: vec![],
                calendar: Some(ics.clone()),
                register_document_id: None,
            },
            head.from_address(),
        )
        .await?;
    }
    tx.audit(
        Some(c.id),
        "zitting.agenda_verstuurd",
        json!({ "methode": method.code(), "uid": h.uid, "sequence": h.sequence, "aan": recipients.iter().map(|p| p.name.clone()).collect::<Vec<_>>() }),
    )
    .await?;
    Ok(())
}

/// Art 18, 14.2: the written invitation to the parties, naming the panel and how they are
/// heard; the calendar invitations to the panel and the secretariat. Inviting the parties to
/// the hearing ends the possibility of simplified handling (Art 16).
pub async fn invite(tx: &mut WriteTx, c: &case::Model) -> Result<(), CaseError> {
    check(tx, c, Step::Invite).await?;
    let h = planned_or_refuse(tx, c).await?;
    let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
    let ps = parties(tx.conn(), c.id).await?;
    need(&ps, PartyRole::Klager)?;
    need(&ps, PartyRole::Aangeklaagde)?;
    let seats = panel(tx.conn(), c.id).await?;
    let mut am: entity::ActiveModel = h.clone().into();
    am.invited_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    let h = am.update(tx.conn()).await?;
    let updated = match hearing::status_after(Step::Invite, kind, false) {
        Some(s) => set_status(tx, c, s).await?,
        None => c.clone(),
    };
    let witness_due = running(tx.conn(), c.id, DeadlineKind::Getuigen)
        .await?
        .and_then(|d| d.due_on)
        .map(dutch::date)
        .unwrap_or_else(|| "vijf werkdagen vóór de zitting".into());
    for to in both_parties(&ps) {
        let mut v = hearing_values(&h);
        let letter = match kind {
            HearingKind::Hoorzitting => {
                v.push(("commissieleden", panel_names(&seats)));
                v.push(("wijze_van_horen", manner(&h)));
                v.push(("getuigen_termijn", witness_due.clone()));
                LetterKind::UitnodigingZitting
            }
            HearingKind::Verschijning => {
                let purpose = h.purpose.as_deref().and_then(AppearancePurpose::parse);
                v.push((
                    "doel",
                    match purpose {
                        Some(AppearancePurpose::Schikking) => "een poging tot schikking".to_owned(),
                        _ => "het geven van inlichtingen".to_owned(),
                    },
                ));
                LetterKind::UitnodigingVerschijning
            }
        };
        send(tx, &updated, letter, to, values(&v)).await?;
    }
    send_calendar(tx, &updated, &h, Method::Request).await?;
    tx.audit(Some(c.id), "zitting.uitgenodigd", json!({ "soort": kind.label(), "uid": h.uid })).await?;
    Ok(())
}

/// Art 18: the hearing moves. Once invited, the parties get a new letter and the calendars an
/// update with the same UID and a higher SEQUENCE; the witness term follows.
pub async fn reschedule(
    tx: &mut WriteTx,
    c: &case::Model,
    start: NaiveDateTime,
    duration_minutes: i64,
    place: &str,
    reason: &str,
) -> Result<entity::Model, CaseError> {
    check(tx, c, Step::Move).await?;
    let h = planned_or_refuse(tx, c).await?;
    if place.trim().is_empty() {
        return Err(CaseError::NotNow("Geef de plaats van de zitting op.".into()));
    }
    let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
    let (starts_at, ends_at) =
        span(&NewHearing { kind, purpose: None, start, duration_minutes, place: place.to_owned() })?;
    let before = local(h.starts_at);
    let invited = h.invited_at.is_some();
    let mut am: entity::ActiveModel = h.clone().into();
    am.starts_at = Set(starts_at);
    am.ends_at = Set(ends_at);
    am.place = Set(place.trim().to_owned());
    // Only a change the attendees were told about is a new version of the event.
    if invited {
        am.sequence = Set(h.sequence + 1);
    }
    am.updated_at = Set(Utc::now());
    let h = am.update(tx.conn()).await?;
    if kind == HearingKind::Hoorzitting {
        reset_witness_term(tx, c, Some(start.date())).await?;
    }
    if invited {
        let ps = parties(tx.conn(), c.id).await?;
        let seats = panel(tx.conn(), c.id).await?;
        for to in both_parties(&ps) {
            let mut v = hearing_values(&h);
            v.push(("commissieleden", panel_names(&seats)));
            v.push(("wijze_van_horen", manner(&h)));
            v.push(("reden", reason.trim().to_owned()));
            send(tx, c, LetterKind::WijzigingZitting, to, values(&v)).await?;
        }
        send_calendar(tx, c, &h, Method::Request).await?;
    }
    tx.audit(
        Some(c.id),
        "zitting.verplaatst",
        json!({ "was": before, "wordt": start, "plaats": h.place, "reden": reason, "sequence": h.sequence }),
    )
    .await?;
    Ok(h)
}

/// The hearing is called off: the parties get a letter, the calendars a cancellation; an
/// invited hearing returns the case to the investigation (but Art 16 stays closed).
pub async fn cancel(tx: &mut WriteTx, c: &case::Model, reason: &str) -> Result<(), CaseError> {
    check(tx, c, Step::Cancel).await?;
    if reason.trim().is_empty() {
        return Err(CaseError::NotNow("Geef de reden van de afzegging.".into()));
    }
    let h = planned_or_refuse(tx, c).await?;
    let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
    let invited = h.invited_at.is_some();
    let mut am: entity::ActiveModel = h.clone().into();
    am.status = Set(HearingStatus::Geannuleerd.code().to_owned());
    am.cancel_reason = Set(Some(reason.trim().to_owned()));
    if invited {
        am.sequence = Set(h.sequence + 1);
    }
    am.updated_at = Set(Utc::now());
    let h = am.update(tx.conn()).await?;
    if kind == HearingKind::Hoorzitting {
        reset_witness_term(tx, c, None).await?;
    }
    let updated = match hearing::status_after(Step::Cancel, kind, invited) {
        Some(s) => set_status(tx, c, s).await?,
        None => c.clone(),
    };
    if invited {
        let ps = parties(tx.conn(), c.id).await?;
        for to in both_parties(&ps) {
            let mut v: Vec<(&'static str, String)> = hearing_values(&h).into_iter().take(2).collect();
            v.push(("reden", reason.trim().to_owned()));
            send(tx, &updated, LetterKind::AfzeggingZitting, to, values(&v)).await?;
        }
        send_calendar(tx, &updated, &h, Method::Cancel).await?;
    }
    tx.audit(Some(c.id), "zitting.afgezegd", json!({ "reden": reason, "uid": h.uid, "sequence": h.sequence })).await?;
    Ok(())
}

/// A case that ends calls off its planned hearing: the calendars of those invited get a
/// cancellation (the parties learn of the ending by its own letter).
pub async fn call_off(tx: &mut WriteTx, c: &case::Model, why: &str) -> Result<(), CaseError> {
    let Some(h) = planned(tx.conn(), c.id).await? else { return Ok(()) };
    let invited = h.invited_at.is_some();
    let mut am: entity::ActiveModel = h.clone().into();
    am.status = Set(HearingStatus::Geannuleerd.code().to_owned());
    am.cancel_reason = Set(Some(why.to_owned()));
    if invited {
        am.sequence = Set(h.sequence + 1);
    }
    am.updated_at = Set(Utc::now());
    let h = am.update(tx.conn()).await?;
    if invited {
        send_calendar(tx, c, &h, Method::Cancel).await?;
    }
    tx.audit(Some(c.id), "zitting.afgezegd", json!({ "reden": why, "uid": h.uid, "sequence": h.sequence })).await?;
    Ok(())
}

/// The panel of a case whose hearing was already announced changed (a wraking granted, a
/// member replaced): a member who left gets a cancellation, the others an update with a new
/// SEQUENCE and attendee list, and the parties a letter naming the panel now (Art 18).
pub async fn panel_changed(
    tx: &mut WriteTx,
    c: &case::Model,
    removed: Option<&member::Model>,
) -> Result<(), CaseError> {
    let Some(h) = planned(tx.conn(), c.id).await? else { return Ok(()) };
    if h.invited_at.is_none() {
        return Ok(());
    }
    let mut am: entity::ActiveModel = h.clone().into();
    am.sequence = Set(h.sequence + 1);
    am.updated_at = Set(Utc::now());
    let h = am.update(tx.conn()).await?;
    if let Some(m) = removed {
        let gone = Person { name: m.name.clone(), email: m.email.clone() };
        send_calendar_to(tx, c, &h, Method::Cancel, Some(gone)).await?;
    }
    send_calendar(tx, c, &h, Method::Request).await?;
    if h.kind == HearingKind::Hoorzitting.code() {
        let ps = parties(tx.conn(), c.id).await?;
        let seats = panel(tx.conn(), c.id).await?;
        for to in both_parties(&ps) {
            let mut v = hearing_values(&h);
            v.push(("commissieleden", panel_names(&seats)));
            v.push(("wijze_van_horen", manner(&h)));
            v.push(("reden", "De samenstelling van de commissie is gewijzigd.".to_owned()));
            send(tx, c, LetterKind::WijzigingZitting, to, values(&v)).await?;
        }
    }
    tx.audit(
        Some(c.id),
        "zitting.commissie_gewijzigd",
        json!({ "uid": h.uid, "sequence": h.sequence, "vertrokken": removed.map(|m| m.name.clone()) }),
    )
    .await?;
    Ok(())
}

/// Art 20.4: a party's reasoned written request to be heard separately; a copy goes to the
/// other party, the chair decides.
pub async fn register_separate_request(
    tx: &mut WriteTx,
    c: &case::Model,
    from: PartyRole,
    doc: NewDocument,
) -> Result<(), CaseError> {
    let other = match from {
        PartyRole::Klager => PartyRole::Aangeklaagde,
        PartyRole::Aangeklaagde => PartyRole::Klager,
        _ => return Err(CaseError::NotNow("Een verzoek om apart horen komt van de klager of de aangeklaagde.".into())),
    };
    let f = facts(tx.conn(), c).await?;
    if !f.status.is_open()
        || matches!(
            f.status,
            CaseStatus::Beraadslaging | CaseStatus::AdviesInVoorbereiding | CaseStatus::AdviesUitgebracht
        )
    {
        return Err(CaseError::NotNow("Een verzoek om apart horen hoort bij een hoorzitting die nog komt.".into()));
    }
    let received = doc.received_on;
    let d = super::documents::add(tx, c.id, doc).await?;
    super::intake::acknowledge(tx, c, &d, from).await?;
    let ps = parties(tx.conn(), c.id).await?;
    if let Some(to) = addressee(&ps, other) {
        let v = values(&[
            ("stuk", format!("Verzoek van de {} om apart te worden gehoord", from.label().to_lowercase())),
            ("stuk_ontvangen_op", dutch::date(received)),
            (
                "toelichting",
                "De voorzitter beslist over dit verzoek; u hoort de beslissing vóór de zitting (artikel 20.4)."
                    .to_owned(),
            ),
        ]);
        send_with(tx, c, LetterKind::DoorzendingStuk, to, v, &[d.id]).await?;
    }
    tx.audit(Some(c.id), "zitting.verzoek_apart_horen", json!({ "van": from.label(), "document": d.file_name }))
        .await?;
    Ok(())
}

/// Art 20.3, 20.4: the chair decides whether the parties are heard separately; both are told
/// before the hearing.
pub async fn decide_separately(
    tx: &mut WriteTx,
    c: &case::Model,
    separately: bool,
    reason: &str,
) -> Result<(), CaseError> {
    check(tx, c, Step::DecideSeparately).await?;
    if reason.trim().chars().count() < 5 {
        return Err(CaseError::NotNow("Motiveer de beslissing (artikel 20.4).".into()));
    }
    let h = planned_or_refuse(tx, c).await?;
    let mut am: entity::ActiveModel = h.clone().into();
    am.separately = Set(separately);
    am.separately_reason = Set(Some(reason.trim().to_owned()));
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let decision = if separately {
        "De klager en de aangeklaagde worden op de hoorzitting apart van elkaar gehoord."
    } else {
        "De klager en de aangeklaagde worden op de hoorzitting in elkaars aanwezigheid gehoord."
    };
    for to in both_parties(&ps) {
        let v = values(&[("beslissing", decision.to_owned()), ("motivering", reason.trim().to_owned())]);
        send(tx, c, LetterKind::BeslissingApartHoren, to, v).await?;
    }
    tx.audit(Some(c.id), "zitting.apart_horen", json!({ "apart": separately, "reden": reason })).await?;
    Ok(())
}

/// One line of the presence list: a panel member or a person named in the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub party_id: Option<i32>,
    pub member_id: Option<i32>,
    pub present: bool,
    pub heard_separately: bool,
}

/// Art 20, 21: who was there and who was heard separately; the hearing took place. The
/// proces-verbaal starts as a draft with the presence list; the Art 18 term is met or missed.
pub async fn record_held(tx: &mut WriteTx, c: &case::Model, presence: &[Presence]) -> Result<(), CaseError> {
    check(tx, c, Step::RecordHeld).await?;
    let h = planned_or_refuse(tx, c).await?;
    let seats = panel(tx.conn(), c.id).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
    let mut rows = Vec::new();
    for (role, m) in &seats {
        let p = presence.iter().find(|p| p.member_id == Some(m.id));
        rows.push((None, Some(m.id), m.name.clone(), role.label().to_owned(), p.is_some_and(|p| p.present), false));
    }
    for party in &ps {
        let p = presence.iter().find(|p| p.party_id == Some(party.id));
        let role = PartyRole::parse(&party.role).map_or(party.role.clone(), |r| r.label().to_owned());
        rows.push((
            Some(party.id),
            None,
            party.name.clone(),
            role,
            p.is_some_and(|p| p.present),
            p.is_some_and(|p| p.present && p.heard_separately),
        ));
    }
    if kind == HearingKind::Hoorzitting {
        let present_members = rows.iter().filter(|r| r.1.is_some() && r.4).count();
        let chair_present =
            seats.iter().any(|(r, m)| *r == PanelRole::Voorzitter && rows.iter().any(|x| x.1 == Some(m.id) && x.4));
        // Art 9.1, 20.1: a chair and two members; on sudden absence, the chair and one member.
        if !chair_present || present_members < 2 {
            return Err(CaseError::NotNow(
                "Een hoorzitting vraagt de voorzitter en ten minste één lid (art. 9.1, 20.1).".into(),
            ));
        }
    }
    for (party_id, member_id, name, capacity, present, separately) in &rows {
        hearing_attendance::ActiveModel {
            hearing_id: Set(h.id),
            party_id: Set(*party_id),
            member_id: Set(*member_id),
            name: Set(name.clone()),
            capacity: Set(capacity.clone()),
            present: Set(*present),
            heard_separately: Set(*separately),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    let start = local(h.starts_at);
    let list = |present: bool| {
        let v: Vec<String> =
            rows.iter().filter(|r| r.4 == present).map(|r| format!("{} ({})", r.2, r.3.to_lowercase())).collect();
        if v.is_empty() { "niemand".to_owned() } else { v.join(", ") }
    };
    let apart: Vec<String> = rows.iter().filter(|r| r.5).map(|r| r.2.clone()).collect();
    let title = match kind {
        HearingKind::Hoorzitting => "Proces-verbaal van de hoorzitting",
        HearingKind::Verschijning => "Proces-verbaal van de verschijning vóór de hoorzitting (artikel 14.3)",
    };
    let draft = format!(
        "{title} in klachtzaak {}, gehouden op {} om {} in {}.\n\nAanwezig: {}.\n\nAfwezig: {}.{}\n\nVerloop:\n\n",
        c.zaaknummer,
        day_text(start),
        time_text(start),
        h.place,
        list(true),
        list(false),
        if apart.is_empty() { String::new() } else { format!("\n\nApart gehoord: {}.", apart.join(", ")) }
    );
    let mut am: entity::ActiveModel = h.clone().into();
    am.status = Set(HearingStatus::Gehouden.code().to_owned());
    if h.minutes.trim().is_empty() {
        am.minutes = Set(draft);
    }
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    if kind == HearingKind::Hoorzitting {
        close_by(tx, c, DeadlineKind::Hoorzitting, start.date()).await?;
        while let Some(d) = running(tx.conn(), c.id, DeadlineKind::Getuigen).await? {
            deadlines::close(tx, c, d.id, Status::Met, start.date(), "de zitting is gehouden").await?;
        }
    }
    tx.audit(
        Some(c.id),
        "zitting.gehouden",
        json!({ "soort": kind.label(), "op": start, "aanwezig": rows.iter().filter(|r| r.4).count(), "apart_gehoord": apart }),
    )
    .await?;
    Ok(())
}

async fn minutes_draft(tx: &WriteTx, c: &case::Model) -> Result<entity::Model, CaseError> {
    entity::Entity::find()
        .filter(entity::Column::CaseId.eq(c.id))
        .filter(entity::Column::Status.eq(HearingStatus::Gehouden.code()))
        .filter(entity::Column::MinutesFinalAt.is_null())
        .order_by_desc(entity::Column::Id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| CaseError::NotNow("Er is geen proces-verbaal in concept.".into()))
}

pub(crate) fn minutes_subject(kind: HearingKind, on: NaiveDate) -> String {
    match kind {
        HearingKind::Hoorzitting => format!("Proces-verbaal hoorzitting {}", dutch::date(on)),
        HearingKind::Verschijning => format!("Proces-verbaal verschijning {}", dutch::date(on)),
    }
}

/// The proces-verbaal laid out on the commission's letterhead, signed by the secretary.
pub(crate) async fn minutes_pdf(
    db: &impl ConnectionTrait,
    c: &case::Model,
    subject: &str,
    text: &str,
    secretary: &str,
) -> Result<Vec<u8>, CaseError> {
    let head = letterhead::load(db).await?;
    let layout = crate::pdf::LetterLayout {
        head: head.layout(),
        recipient: vec![format!("Dossier klachtzaak {}", c.zaaknummer)],
        kenmerk: c.zaaknummer.clone(),
        date: head.dated(crate::admin::today()),
        subject: subject.to_owned(),
        paragraphs: crate::domain::letter::paragraphs(text),
        sign_name: secretary.to_owned(),
        sign_role: format!("secretaris van de {}", head.display_name()),
    };
    tokio::task::spawn_blocking(move || crate::pdf::render(&[layout]))
        .await
        .map_err(|e| DbErr::Custom(format!("PDF task failed: {e}")))?
        .map_err(|e| CaseError::Letter(e.to_string()))
}

/// Saves the draft proces-verbaal (Art 14.3, 20).
pub async fn save_minutes(tx: &mut WriteTx, c: &case::Model, text: &str) -> Result<(), CaseError> {
    check(tx, c, Step::FinaliseMinutes).await?;
    let h = minutes_draft(tx, c).await?;
    let mut am: entity::ActiveModel = h.clone().into();
    am.minutes = Set(text.to_owned());
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    tx.audit(Some(c.id), "zitting.proces_verbaal_concept", json!({ "tekens": text.chars().count() })).await?;
    Ok(())
}

/// Makes the proces-verbaal final: frozen, laid out as a PDF in the dossier. An appearance to
/// attempt a settlement that succeeded ends the case as opgelost (Art 14.2): the parties get
/// the confirmation with the proces-verbaal, the board is told.
pub async fn finalise_minutes(
    tx: &mut WriteTx,
    c: &case::Model,
    text: &str,
    settled: Option<bool>,
) -> Result<(), CaseError> {
    check(tx, c, Step::FinaliseMinutes).await?;
    let h = minutes_draft(tx, c).await?;
    if text.trim().chars().count() < 40 {
        return Err(CaseError::NotNow("Het proces-verbaal is te kort om vast te stellen.".into()));
    }
    let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
    let attempt = h.purpose.as_deref() == Some(AppearancePurpose::Schikking.code());
    if attempt && settled.is_none() {
        return Err(CaseError::NotNow("Geef aan of de partijen tot een schikking zijn gekomen.".into()));
    }
    let start = local(h.starts_at);
    let secretary = match tx.actor().user_id {
        Some(id) => user::Entity::find_by_id(id).one(tx.conn()).await?.map(|u| u.name),
        None => None,
    }
    .unwrap_or_else(|| "Het secretariaat".into());
    let subject = minutes_subject(kind, start.date());
    let bytes = minutes_pdf(tx.conn(), c, &subject, text, &secretary).await?;
    let today = crate::admin::today();
    let doc = super::documents::insert(
        tx.conn(),
        c.id,
        NewDocument {
            title: subject.clone(),
            file_name: format!("{}_proces-verbaal_{}.pdf", c.zaaknummer, start.date()),
            media_type: "application/pdf".into(),
            received_on: today,
            bytes,
        },
        tx.actor().user_id,
        "uit",
    )
    .await?;
    let mut am: entity::ActiveModel = h.clone().into();
    am.minutes = Set(text.to_owned());
    am.minutes_final_at = Set(Some(Utc::now()));
    am.minutes_document_id = Set(Some(doc.id));
    am.settled = Set(settled.filter(|_| attempt));
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    tx.audit(
        Some(c.id),
        "zitting.proces_verbaal_vastgesteld",
        json!({ "document": doc.file_name, "sha256": doc.sha256, "geschikt": settled.filter(|_| attempt) }),
    )
    .await?;
    if attempt && settled == Some(true) {
        cancel_running(tx, c, "klacht opgelost met een schikking (art. 14.2)").await?;
        let mut am: case::ActiveModel = c.clone().into();
        super::set_status(&mut am, CaseStatus::Afgesloten);
        am.outcome = Set(Some(Outcome::Opgelost.code().to_owned()));
        am.updated_at = Set(Utc::now());
        let updated = am.update(tx.conn()).await?;
        let ps = parties(tx.conn(), c.id).await?;
        for to in both_parties(&ps) {
            let v = values(&[("toelichting", "De afspraken staan in het bijgevoegde proces-verbaal.".to_owned())]);
            send_with(tx, &updated, LetterKind::Schikking, to, v, &[doc.id]).await?;
        }
        tell_board(
            tx,
            &updated,
            "De klager en de aangeklaagde zijn vóór de hoorzitting tot een schikking gekomen (artikel 14.2); de klacht is opgelost."
                .to_owned(),
        )
        .await?;
        tx.audit(Some(c.id), "zaak.opgelost", json!({ "artikel": "14.2" })).await?;
    }
    Ok(())
}

/// Art 21.6: the record of a minor witness heard without the parties goes to both, with the
/// term the chair sets to respond.
pub async fn send_witness_record(
    tx: &mut WriteTx,
    c: &case::Model,
    witness_id: i32,
    doc: NewDocument,
    term: Term,
) -> Result<(), CaseError> {
    check(tx, c, Step::SendWitnessRecord).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let witness = ps
        .iter()
        .find(|p| p.id == witness_id && p.role == PartyRole::Getuige.code())
        .ok_or_else(|| CaseError::NotNow("Kies de getuige om wie het gaat.".into()))?;
    if !witness.minor {
        return Err(CaseError::NotNow(
            "Alleen een minderjarige getuige wordt buiten aanwezigheid van de partijen gehoord (art. 21.6).".into(),
        ));
    }
    let today = crate::admin::today();
    let d = super::documents::insert(tx.conn(), c.id, doc, tx.actor().user_id, "uit").await?;
    let dl = deadlines::open(tx, c, DeadlineKind::Reactie, today, Some(term)).await?;
    let due = dl.due_on.map(dutch::date).unwrap_or_else(|| "(onbekend)".into());
    for to in both_parties(&ps) {
        let v = values(&[("getuige", witness.name.clone()), ("termijn", due.clone())]);
        send_with(tx, c, LetterKind::VerslagGetuige, to, v, &[d.id]).await?;
    }
    tx.audit(
        Some(c.id),
        "zitting.verslag_getuige",
        json!({ "getuige": witness.name, "document": d.file_name, "reactie_uiterlijk": dl.due_on }),
    )
    .await?;
    Ok(())
}

/// Art 25.1: the investigation closes; the four-week advies term starts today.
pub async fn close_investigation(tx: &mut WriteTx, c: &case::Model) -> Result<(), CaseError> {
    check(tx, c, Step::CloseInvestigation).await?;
    let today = crate::admin::today();
    while let Some(d) = running(tx.conn(), c.id, DeadlineKind::Reactie).await? {
        deadlines::close(tx, c, d.id, Status::Met, today, "het onderzoek is gesloten").await?;
    }
    let updated = set_status(tx, c, CaseStatus::Beraadslaging).await?;
    let d = deadlines::open(tx, &updated, DeadlineKind::Advies, today, None).await?;
    tx.audit(Some(c.id), "onderzoek.gesloten", json!({ "advies_uiterlijk": d.due_on })).await?;
    Ok(())
}

/// Art 23: an incomplete investigation reopens; the advies term lapses and the parties are told
/// how the investigation continues.
pub async fn reopen(tx: &mut WriteTx, c: &case::Model, continuation: &str) -> Result<(), CaseError> {
    check(tx, c, Step::Reopen).await?;
    if continuation.trim().chars().count() < 10 {
        return Err(CaseError::NotNow("Beschrijf hoe het onderzoek wordt voortgezet (art. 23).".into()));
    }
    let today = crate::admin::today();
    while let Some(d) = running(tx.conn(), c.id, DeadlineKind::Advies).await? {
        deadlines::close(tx, c, d.id, Status::Cancelled, today, "het onderzoek is heropend (art. 23)").await?;
    }
    let updated = set_status(tx, c, CaseStatus::Onderzoek).await?;
    let ps = parties(tx.conn(), c.id).await?;
    for to in both_parties(&ps) {
        send(tx, &updated, LetterKind::Heropening, to, values(&[("voortzetting", continuation.trim().to_owned())]))
            .await?;
    }
    tx.audit(Some(c.id), "onderzoek.heropend", json!({ "voortzetting": continuation })).await?;
    Ok(())
}

/// Art 14.1: the commission asks someone named in the case, or the board, for information in
/// writing; the klager and the aangeklaagde are told.
pub async fn request_information(
    tx: &mut WriteTx,
    c: &case::Model,
    to: To,
    question: &str,
    due_on: NaiveDate,
) -> Result<information_request::Model, CaseError> {
    let status = CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Ontvangen);
    if !matches!(
        status,
        CaseStatus::Verweer | CaseStatus::Onderzoek | CaseStatus::Schriftelijk | CaseStatus::ZittingGepland
    ) {
        return Err(CaseError::NotNow("De commissie vraagt inlichtingen tijdens het onderzoek (art. 14.1).".into()));
    }
    if question.trim().chars().count() < 10 {
        return Err(CaseError::NotNow("Omschrijf welke inlichtingen de commissie vraagt.".into()));
    }
    let today = crate::admin::today();
    if due_on <= today {
        return Err(CaseError::NotNow("De datum voor het antwoord ligt na vandaag.".into()));
    }
    let recipient = crate::letters::compose::recipients(tx.conn(), c)
        .await?
        .into_iter()
        .find(|r| r.to == to)
        .ok_or_else(|| CaseError::NotNow("Kies aan wie de commissie het vraagt.".into()))?;
    let saved = information_request::ActiveModel {
        case_id: Set(c.id),
        recipient: Set(to.code()),
        recipient_name: Set(recipient.name.clone()),
        question: Set(question.trim().to_owned()),
        requested_on: Set(today),
        due_on: Set(Some(due_on)),
        answered_on: Set(None),
        answer_document_id: Set(None),
        created_by: Set(tx.actor().user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    send(
        tx,
        c,
        LetterKind::Informatieverzoek,
        to,
        values(&[("vraag", question.trim().to_owned()), ("termijn", dutch::date(due_on))]),
    )
    .await?;
    let ps = parties(tx.conn(), c.id).await?;
    let asked = format!("{} ({})", recipient.name, recipient.role_label.to_lowercase());
    for informed in both_parties(&ps).into_iter().filter(|t| *t != to) {
        let v = values(&[("gevraagd_aan", asked.clone()), ("vraag", question.trim().to_owned())]);
        send(tx, c, LetterKind::MeldingInformatieverzoek, informed, v).await?;
    }
    tx.audit(
        Some(c.id),
        "onderzoek.inlichtingen_gevraagd",
        json!({ "aan": asked, "vraag": question.trim(), "uiterlijk": due_on }),
    )
    .await?;
    Ok(saved)
}

/// Art 14.1: the answer is registered as a document, acknowledged to its sender when that is a
/// party of the case, and sent to the klager and the aangeklaagde (Art 15 restrictions apply).
pub async fn register_answer(
    tx: &mut WriteTx,
    c: &case::Model,
    request_id: i32,
    doc: NewDocument,
) -> Result<(), CaseError> {
    let req = information_request::Entity::find_by_id(request_id)
        .filter(information_request::Column::CaseId.eq(c.id))
        .one(tx.conn())
        .await?
        .ok_or_else(|| CaseError::NotNow("Dit verzoek om inlichtingen bestaat niet.".into()))?;
    if req.answered_on.is_some() {
        return Err(CaseError::NotNow("Het antwoord op dit verzoek is al geregistreerd.".into()));
    }
    if !CaseStatus::parse(&c.status).is_some_and(|s| s.is_open()) {
        return Err(CaseError::NotNow("De zaak is afgesloten.".into()));
    }
    let received = doc.received_on;
    let d = super::documents::add(tx, c.id, doc).await?;
    let from = To::parse(&req.recipient);
    let mut am: information_request::ActiveModel = req.clone().into();
    am.answered_on = Set(Some(received));
    am.answer_document_id = Set(Some(d.id));
    am.update(tx.conn()).await?;
    if let Some(to) = from {
        let v = values(&[("stuk", d.title.clone()), ("stuk_ontvangen_op", dutch::date(received))]);
        send(tx, c, LetterKind::OntvangstStuk, to, v).await?;
    }
    let ps = parties(tx.conn(), c.id).await?;
    for to in both_parties(&ps).into_iter().filter(|t| Some(*t) != from) {
        let v = values(&[
            ("stuk", format!("Inlichtingen van {}", req.recipient_name)),
            ("stuk_ontvangen_op", dutch::date(received)),
            ("toelichting", "U kunt daarop reageren in uw verdere stukken of op de hoorzitting.".to_owned()),
        ]);
        send_with(tx, c, LetterKind::DoorzendingStuk, to, v, &[d.id]).await?;
    }
    tx.audit(
        Some(c.id),
        "onderzoek.inlichtingen_ontvangen",
        json!({ "van": req.recipient_name, "document": d.file_name }),
    )
    .await?;
    Ok(())
}

/// The information requests of a case, the latest first.
pub async fn requests(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<information_request::Model>, DbErr> {
    information_request::Entity::find()
        .filter(information_request::Column::CaseId.eq(case_id))
        .order_by_desc(information_request::Column::Id)
        .all(db)
        .await
}

/// Attendance of the hearings of a case.
pub async fn attendance(
    db: &impl ConnectionTrait,
    hearing_ids: impl IntoIterator<Item = i32>,
) -> Result<Vec<hearing_attendance::Model>, DbErr> {
    hearing_attendance::Entity::find()
        .filter(hearing_attendance::Column::HearingId.is_in(hearing_ids))
        .order_by_asc(hearing_attendance::Column::Id)
        .all(db)
        .await
}

/// Whose unavailability a period records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Member(i32),
    Party(i32),
}

/// Records a period someone cannot attend a hearing.
pub async fn add_unavailability(
    tx: &mut WriteTx,
    case_id: Option<i32>,
    owner: Owner,
    from: NaiveDate,
    to: NaiveDate,
    note: &str,
) -> Result<unavailability::Model, CaseError> {
    if to < from {
        return Err(CaseError::NotNow("De einddatum ligt vóór de begindatum.".into()));
    }
    if to < crate::admin::today() {
        return Err(CaseError::NotNow("De periode ligt helemaal in het verleden.".into()));
    }
    let (member_id, party_id) = match owner {
        Owner::Member(m) => (Some(m), None),
        Owner::Party(p) => (None, Some(p)),
    };
    let saved = unavailability::ActiveModel {
        member_id: Set(member_id),
        party_id: Set(party_id),
        from_on: Set(from),
        to_on: Set(to),
        note: Set(note.trim().to_owned()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        case_id,
        "verhindering.vastgelegd",
        json!({ "van": from, "tot_en_met": to, "lid": member_id, "partij": party_id }),
    )
    .await?;
    Ok(saved)
}

/// Removes a period, only for its owner; `false` when there is no such period of this owner.
pub async fn remove_unavailability(
    tx: &mut WriteTx,
    case_id: Option<i32>,
    owner: Owner,
    id: i32,
) -> Result<bool, DbErr> {
    let found = unavailability::Entity::find_by_id(id).one(tx.conn()).await?;
    let Some(u) = found.filter(|u| match owner {
        Owner::Member(m) => u.member_id == Some(m),
        Owner::Party(p) => u.party_id == Some(p),
    }) else {
        return Ok(false);
    };
    unavailability::Entity::delete_by_id(u.id).exec(tx.conn()).await?;
    tx.audit(case_id, "verhindering.verwijderd", json!({ "van": u.from_on, "tot_en_met": u.to_on })).await?;
    Ok(true)
}

/// A member's own unavailable periods from today on.
pub async fn member_unavailability(
    db: &impl ConnectionTrait,
    member_id: i32,
) -> Result<Vec<unavailability::Model>, DbErr> {
    unavailability::Entity::find()
        .filter(unavailability::Column::MemberId.eq(member_id))
        .filter(unavailability::Column::ToOn.gte(crate::admin::today()))
        .order_by_asc(unavailability::Column::FromOn)
        .all(db)
        .await
}

/// The unavailable periods of the people named in a case.
pub async fn party_unavailability(
    db: &impl ConnectionTrait,
    party_ids: impl IntoIterator<Item = i32>,
) -> Result<Vec<unavailability::Model>, DbErr> {
    unavailability::Entity::find()
        .filter(unavailability::Column::PartyId.is_in(party_ids))
        .order_by_asc(unavailability::Column::FromOn)
        .all(db)
        .await
}

/// The hearings of the next `days` days in the viewer's cases, soonest first (for the start
/// page): all for the secretariat, a member's own panels for members, none for boards.
pub async fn upcoming(
    db: &impl ConnectionTrait,
    scope: crate::domain::access::CaseScope,
    days: i64,
) -> Result<Vec<(String, entity::Model)>, DbErr> {
    use crate::domain::access::CaseScope;
    let now = Utc::now();
    let mut q = entity::Entity::find()
        .filter(entity::Column::Status.eq(HearingStatus::Gepland.code()))
        .filter(entity::Column::StartsAt.gte(now))
        .filter(entity::Column::StartsAt.lt(now + TimeDelta::days(days)));
    match scope {
        CaseScope::All => {}
        CaseScope::PanelOf(member_id) => {
            let cases: Vec<i32> = panel_member::Entity::find()
                .filter(panel_member::Column::MemberId.eq(member_id))
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.case_id)
                .collect();
            q = q.filter(entity::Column::CaseId.is_in(cases));
        }
        _ => return Ok(vec![]),
    }
    let hearings = q.order_by_asc(entity::Column::StartsAt).limit(20).all(db).await?;
    let numbers = super::zaaknummers(db, hearings.iter().map(|h| h.case_id)).await?;
    Ok(hearings.into_iter().map(|h| (numbers.get(&h.case_id).cloned().unwrap_or_default(), h)).collect())
}

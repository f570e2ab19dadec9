//! The demo data set (`fixtures/demo.json`, embedded in the binary): an invented commission,
//! boards, schools, users and cases in every state, loaded through the same use cases as
//! real input so that it obeys the same rules and leaves the same audit trail.

use crate::audit::{Actor, WriteTx};
use crate::cases::{panel, register};
use crate::domain::case::{Arrival, CaseStatus, ComplaintKind, Outcome, PanelRole, PartyRole};
use crate::entities::{board, case, member, member_affiliation, panel_member, school, setting, user};
use anyhow::{Context, bail};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use std::collections::HashMap;

pub const DEMO_JSON: &str = include_str!("../fixtures/demo.json");
mod integration;
pub mod load;
mod publications;
mod register_entries;
mod retention;

pub const DEMO_PASSWORD: &str = "welkom-demo";
/// Set while the demo data is loaded: the login page then lists the demo accounts.
pub const DEMO_SETTING: &str = "demo_loaded";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoData {
    pub commission: Commission,
    pub members: Vec<Member>,
    pub boards: Vec<Board>,
    pub schools: Vec<School>,
    pub users: Vec<User>,
    pub cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commission {
    pub name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    /// Where letters are dated.
    pub place: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    key: String,
    name: String,
    email: String,
    phone: Option<String>,
    address: Option<String>,
    is_chair: bool,
    is_jurist: bool,
    expertise: String,
    sectors: Vec<String>,
    term_start: NaiveDate,
    term_end: NaiveDate,
    renewals: i32,
    affiliations: Vec<Affiliation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Affiliation {
    board: Option<String>,
    school: Option<String>,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Board {
    key: String,
    name: String,
    address: String,
    email: Option<String>,
    affiliated_on: NaiveDate,
    terminated_on: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    key: String,
    board: String,
    name: String,
    brin: Option<String>,
    address: String,
    place: String,
    region: String,
    sector: String,
    contact_name: Option<String>,
    contact_email: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub email: String,
    pub name: String,
    pub role: String,
    member: Option<String>,
    board: Option<String>,
    /// A school's contactpersoon: the school (of the board) the account is limited to.
    #[serde(default)]
    school: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    received_on: NaiveDate,
    school: String,
    status: String,
    outcome: Option<String>,
    subject: String,
    /// The kind of complaint (`ComplaintKind` code); absent when not yet recorded.
    #[serde(default)]
    complaint_kind: Option<String>,
    facts_date: Option<NaiveDate>,
    arrival: String,
    panel: Vec<Seat>,
    parties: Vec<Party>,
    documents: Vec<Document>,
    /// Art 11.3 checklist as stored; cases past intake default to complete.
    #[serde(default)]
    checklist: Option<String>,
    #[serde(default)]
    needs_translation: bool,
    #[serde(default)]
    forwarded_by: Option<String>,
    #[serde(default)]
    forwarded_received_on: Option<NaiveDate>,
    /// The hearing story of a case at the hearing stage: `uitgenodigd` (planned and invited,
    /// the default) or `heropend` (investigation reopened, a minor witness heard, the
    /// proces-verbaal in draft). Later stages get a held hearing by themselves.
    #[serde(default)]
    hearing: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Seat {
    member: String,
    role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Party {
    role: String,
    name: String,
    address: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    minor: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    file_name: String,
    media_type: String,
    received_on: NaiveDate,
    title: String,
    content: String,
}

pub fn data() -> anyhow::Result<DemoData> {
    serde_json::from_str(DEMO_JSON).context("fixtures/demo.json does not match the demo data schema")
}

/// True when the database holds no accounts and no cases: the state in which demo data may
/// be loaded.
pub async fn database_is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(user::Entity::find().count(db).await? == 0 && case::Entity::find().count(db).await? == 0)
}

pub async fn demo_loaded(db: &DatabaseConnection) -> bool {
    matches!(setting::Entity::find_by_id(DEMO_SETTING.to_owned()).one(db).await, Ok(Some(s)) if s.value == "true")
}

fn lookup(map: &HashMap<String, i32>, key: &str, what: &str) -> anyhow::Result<i32> {
    map.get(key).copied().with_context(|| format!("demo data: unknown {what} {key}"))
}

/// Loads the demo data into an empty database, all in one transaction.
pub async fn load(db: &DatabaseConnection, key: &crate::signing::AdviesKey) -> anyhow::Result<()> {
    if !database_is_empty(db).await? {
        bail!("the database already holds users or cases; demo data is only loaded into an empty database");
    }
    let d = data()?;
    let password_hash = crate::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = WriteTx::begin(db, Actor::system("demodata")).await?;
    let now = Utc::now();

    for (k, v) in [
        ("commission_name", &d.commission.name),
        ("commission_address", &d.commission.address),
        ("commission_email", &d.commission.email),
        ("commission_phone", &d.commission.phone),
        ("commission_place", &d.commission.place),
    ] {
        setting::ActiveModel { key: Set(k.to_owned()), value: Set(v.clone()) }.insert(tx.conn()).await?;
    }
    setting::ActiveModel { key: Set(DEMO_SETTING.to_owned()), value: Set("true".into()) }.insert(tx.conn()).await?;

    let mut boards = HashMap::new();
    for b in &d.boards {
        let m = board::ActiveModel {
            name: Set(b.name.clone()),
            address: Set(b.address.clone()),
            email: Set(b.email.clone()),
            affiliated_on: Set(b.affiliated_on),
            terminated_on: Set(b.terminated_on),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        boards.insert(b.key.clone(), m.id);
    }
    let mut schools = HashMap::new();
    for s in &d.schools {
        let m = school::ActiveModel {
            board_id: Set(lookup(&boards, &s.board, "board")?),
            name: Set(s.name.clone()),
            brin: Set(s.brin.clone()),
            address: Set(s.address.clone()),
            place: Set(s.place.clone()),
            region: Set(s.region.clone()),
            sector: Set(s.sector.clone()),
            contact_name: Set(s.contact_name.clone()),
            contact_email: Set(s.contact_email.clone()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        schools.insert(s.key.clone(), m.id);
    }
    let mut members = HashMap::new();
    for m in &d.members {
        let row = member::ActiveModel {
            name: Set(m.name.clone()),
            email: Set(m.email.clone()),
            phone: Set(m.phone.clone()),
            address: Set(m.address.clone()),
            is_chair: Set(m.is_chair),
            is_jurist: Set(m.is_jurist),
            expertise: Set(m.expertise.clone()),
            sectors: Set(m.sectors.join(",")),
            term_start: Set(m.term_start),
            term_end: Set(m.term_end),
            renewals: Set(m.renewals),
            active: Set(true),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        for a in &m.affiliations {
            member_affiliation::ActiveModel {
                member_id: Set(row.id),
                board_id: Set(a.board.as_deref().map(|k| lookup(&boards, k, "board")).transpose()?),
                school_id: Set(a.school.as_deref().map(|k| lookup(&schools, k, "school")).transpose()?),
                note: Set(a.note.clone()),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
        }
        members.insert(m.key.clone(), row.id);
    }
    for u in &d.users {
        user::ActiveModel {
            email: Set(u.email.clone()),
            name: Set(u.name.clone()),
            password_hash: Set(password_hash.clone()),
            role: Set(u.role.clone()),
            board_id: Set(u.board.as_deref().map(|k| lookup(&boards, k, "board")).transpose()?),
            school_id: Set(u.school.as_deref().map(|k| lookup(&schools, k, "school")).transpose()?),
            member_id: Set(u.member.as_deref().map(|k| lookup(&members, k, "member")).transpose()?),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    tx.audit(None, "demodata.geladen", serde_json::json!({ "leden": d.members.len(), "besturen": d.boards.len(), "scholen": d.schools.len(), "gebruikers": d.users.len() })).await?;

    let mut cases: Vec<&Case> = d.cases.iter().collect();
    cases.sort_by_key(|c| c.received_on);
    for c in cases {
        let status = CaseStatus::parse(&c.status).with_context(|| format!("demo data: unknown status {}", c.status))?;
        let outcome = c
            .outcome
            .as_deref()
            .map(|o| Outcome::parse(o).with_context(|| format!("demo data: unknown outcome {o}")))
            .transpose()?;
        let new = register::NewCase {
            received_on: c.received_on,
            school_id: lookup(&schools, &c.school, "school")?,
            subject: c.subject.clone(),
            facts_date: c.facts_date,
            arrival: Arrival::parse(&c.arrival).with_context(|| format!("demo data: unknown arrival {}", c.arrival))?,
            parties: c
                .parties
                .iter()
                .map(|p| {
                    Ok(register::NewParty {
                        role: PartyRole::parse(&p.role)
                            .with_context(|| format!("demo data: unknown party role {}", p.role))?,
                        name: p.name.clone(),
                        address: p.address.clone(),
                        email: p.email.clone(),
                        phone: p.phone.clone(),
                        minor: p.minor,
                    })
                })
                .collect::<anyhow::Result<_>>()?,
            documents: c
                .documents
                .iter()
                .map(|doc| register::NewDocument {
                    title: doc.title.clone(),
                    file_name: doc.file_name.clone(),
                    media_type: doc.media_type.clone(),
                    received_on: doc.received_on,
                    bytes: doc.content.clone().into_bytes(),
                })
                .collect(),
            receipt: register::Receipt {
                signed_by_representative: false,
                forwarded_by: c.forwarded_by.clone(),
                forwarded_received_on: c.forwarded_received_on,
                needs_translation: c.needs_translation,
            },
            complaint_kind: c
                .complaint_kind
                .as_deref()
                .map(|k| ComplaintKind::parse(k).with_context(|| format!("demo data: unknown complaint kind {k}")))
                .transpose()?,
        };
        let (_, case_id) =
            register::insert(&mut tx, new, status, outcome).await.map_err(|e| anyhow::anyhow!("demo case: {e}"))?;
        let model = case::Entity::find_by_id(case_id).one(tx.conn()).await?.context("demo case vanished")?;
        let checklist = c.checklist.clone().unwrap_or_else(|| {
            if matches!(status, CaseStatus::Ontvangen | CaseStatus::HerstelGevraagd) { "???????" } else { "1111111" }
                .to_owned()
        });
        let mut am: case::ActiveModel = model.into();
        am.checklist = Set(checklist);
        if status == CaseStatus::Schriftelijk {
            // Art 17: written handling only with everyone's consent.
            am.written_consent = Set("111".into());
        }
        // Closed in its invented past, not on the day the demo was loaded.
        am.closed_on = Set(closed_on(status, c.received_on, c.outcome.as_deref(), crate::admin::today()));
        let model = sea_orm::ActiveModelTrait::update(am, tx.conn()).await?;
        for seat in &c.panel {
            let role =
                PanelRole::parse(&seat.role).with_context(|| format!("demo data: unknown panel role {}", seat.role))?;
            panel::seat(&mut tx, &model, lookup(&members, &seat.member, "member")?, role)
                .await
                .map_err(|e| anyhow::anyhow!("demo case {}: {e}", model.zaaknummer))?;
        }
        demo_deadlines(&mut tx, &model, status)
            .await
            .map_err(|e| anyhow::anyhow!("demo case {}: {e}", model.zaaknummer))?;
        if c.hearing.as_deref() != Some("heropend") {
            demo_recusal(&mut tx, &model, status)
                .await
                .map_err(|e| anyhow::anyhow!("demo case {}: {e}", model.zaaknummer))?;
        }
        let seated: Vec<i32> = c.panel.iter().filter_map(|s| members.get(&s.member).copied()).collect();
        demo_hearings(&mut tx, &model, status, c.hearing.as_deref(), &seated)
            .await
            .map_err(|e| anyhow::anyhow!("demo case {}: {e}", model.zaaknummer))?;
        demo_advies(&mut tx, &model, status, key)
            .await
            .map_err(|e| anyhow::anyhow!("demo case {}: {e}", model.zaaknummer))?;
    }
    register_entries::load(&mut tx, &boards, &schools).await?;
    publications::load(&mut tx).await?;
    integration::load(&mut tx, lookup(&boards, "b2", "board")?).await?;
    // The demo's letters and invitations belong to its invented past and go to invented
    // addresses: they count as delivered, so the outbox starts empty.
    crate::entities::outbox_message::Entity::update_many()
        .col_expr(
            crate::entities::outbox_message::Column::Status,
            sea_orm::sea_query::Expr::value(crate::outbox::status::SENT),
        )
        .col_expr(crate::entities::outbox_message::Column::Attempts, sea_orm::sea_query::Expr::value(1))
        .col_expr(crate::entities::outbox_message::Column::SentAt, sea_orm::sea_query::Expr::value(Some(now)))
        .exec(tx.conn())
        .await?;
    tx.commit().await?;
    retention::load(db).await?;
    Ok(())
}

/// The day a closed demo case was closed, following its story: a case that was heard closed
/// when the board's decision was recorded (the parties informed on day 101, see
/// `demo_advies`); a settled one when the proces-verbaal of the settlement (day 40) was adopted
/// three days later (`demo_hearings`); one that ended before a hearing on day 20, when its
/// hearing term lapsed (`demo_deadlines`). On a weekday, and never after `today`.
fn closed_on(status: CaseStatus, received_on: NaiveDate, outcome: Option<&str>, today: NaiveDate) -> Option<NaiveDate> {
    if status != CaseStatus::Afgesloten {
        return None;
    }
    let weekday = |mut d: NaiveDate| {
        while matches!(chrono::Datelike::weekday(&d), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            d = d.succ_opt().unwrap_or(d);
        }
        d
    };
    let day = |n: u64| weekday(received_on.checked_add_days(chrono::Days::new(n)).unwrap_or(received_on));
    let on = match outcome {
        Some("gegrond" | "ongegrond" | "gedeeltelijk_gegrond") => day(101),
        Some("opgelost") => day(40) + chrono::Days::new(3),
        _ => day(20),
    };
    Some(on.min(today).max(received_on))
}

/// Art 14, 18-23 in the demo: a planned and invited hearing with its people and an open
/// information request; a reopened case with a minor witness's record and a draft
/// proces-verbaal; held hearings with their final proces-verbaal on every later case; a
/// settlement on the case that was resolved.
async fn demo_hearings(
    tx: &mut WriteTx,
    c: &case::Model,
    status: CaseStatus,
    story: Option<&str>,
    panel: &[i32],
) -> Result<(), crate::cases::CaseError> {
    use crate::cases::hearings::{self as h, NewHearing, Owner};
    use crate::cases::parties::{NewPerson, add_person};
    use crate::domain::hearing::{AppearancePurpose, BroughtBy, HearingKind};
    use crate::letters::compose::To;
    let today = crate::admin::today();
    let weekday = |from: NaiveDate| {
        let mut d = from;
        while matches!(chrono::Datelike::weekday(&d), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            d = d.succ_opt().unwrap_or(d);
        }
        d
    };
    let day = |n: u64| weekday(c.received_on.checked_add_days(chrono::Days::new(n)).unwrap_or(c.received_on));
    let parties = crate::cases::intake::parties(tx.conn(), c.id).await?;
    let party_of = |role: PartyRole| parties.iter().find(|p| p.role == role.code()).map(|p| p.id);
    // Past deliberation, a case was heard, unless it ended without a judgment on the merits.
    let stage = |s: CaseStatus| CaseStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let heard = stage(status) >= stage(CaseStatus::Beraadslaging)
        && (status != CaseStatus::Afgesloten
            || matches!(c.outcome.as_deref(), Some("gegrond" | "ongegrond" | "gedeeltelijk_gegrond")));
    match (status, story) {
        (CaseStatus::ZittingGepland, Some("heropend")) => {
            // The first hearing, long ago, and the witness heard after the reopening (Art 23).
            held(
                tx,
                c,
                HearingKind::Hoorzitting,
                None,
                day(60),
                "Stadskantoor, Korte Elisabethstraat 6, Utrecht",
                true,
                None,
                true,
            )
            .await?;
            crate::cases::intake::close_by(tx, c, crate::domain::deadline::DeadlineKind::Hoorzitting, day(60)).await?;
            let witness = add_person(
                tx,
                c,
                NewPerson {
                    role: Some(PartyRole::Getuige),
                    name: "Sem de Wit (leerling groep 8)".into(),
                    minor: true,
                    brought_by: Some(BroughtBy::Commissie),
                    ..Default::default()
                },
            )
            .await?;
            let on = weekday(today - chrono::TimeDelta::days(7));
            // Art 21.6: the minor witness is heard without the parties.
            let id = held(
                tx,
                c,
                HearingKind::Hoorzitting,
                None,
                on,
                "Secretariaat van de commissie, Lindenhoflaan 12, Utrecht",
                false,
                None,
                false,
            )
            .await?;
            crate::entities::hearing_attendance::ActiveModel {
                hearing_id: Set(id),
                party_id: Set(Some(witness.id)),
                member_id: Set(None),
                name: Set(witness.name.clone()),
                capacity: Set("Getuige".into()),
                present: Set(true),
                heard_separately: Set(true),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            let record = crate::cases::documents::insert(
                tx.conn(),
                c.id,
                register::NewDocument {
                    title: "Verslag van het horen van een minderjarige getuige (art. 21.6)".into(),
                    file_name: "verslag-getuige.txt".into(),
                    media_type: "text/plain".into(),
                    received_on: on,
                    bytes: "De getuige is gehoord in aanwezigheid van de voorzitter en de secretaris, zonder de partijen. Hij verklaart dat de leerkracht in de klas vaker hard tegen leerlingen sprak.".as_bytes().to_vec(),
                },
                None,
                "uit",
            )
            .await?;
            crate::deadlines::open(
                tx,
                c,
                crate::domain::deadline::DeadlineKind::Reactie,
                weekday(on + chrono::TimeDelta::days(1)),
                Some(crate::domain::termijn::Term::new(2, crate::domain::termijn::Unit::Weeks)),
            )
            .await?;
            tx.audit(
                Some(c.id),
                "zitting.verslag_getuige",
                serde_json::json!({ "getuige": witness.name, "document": record.file_name, "demodata": true }),
            )
            .await?;
        }
        (CaseStatus::ZittingGepland, _) => {
            let on = weekday(today + chrono::TimeDelta::days(10));
            h::schedule(
                tx,
                c,
                NewHearing {
                    kind: HearingKind::Hoorzitting,
                    purpose: None,
                    start: on.and_hms_opt(14, 0, 0).unwrap_or_default(),
                    duration_minutes: 120,
                    place: "Vergadercentrum De Eenhoorn, Stationsplein 1, Utrecht".into(),
                },
            )
            .await?;
            h::invite(tx, c).await?;
            add_person(
                tx,
                c,
                NewPerson {
                    role: Some(PartyRole::Begeleider),
                    name: "Jan Peters (grootvader)".into(),
                    brought_by: Some(BroughtBy::Klager),
                    ..Default::default()
                },
            )
            .await?;
            add_person(
                tx,
                c,
                NewPerson {
                    role: Some(PartyRole::Getuige),
                    name: "R. Claassen, praktijkdocent".into(),
                    brought_by: Some(BroughtBy::Aangeklaagde),
                    announced_on: Some(today),
                    ..Default::default()
                },
            )
            .await?;
            add_person(
                tx,
                c,
                NewPerson {
                    role: Some(PartyRole::Deskundige),
                    name: "ing. B. Verhoeven, arbeidsveiligheidskundige".into(),
                    brought_by: Some(BroughtBy::Commissie),
                    ..Default::default()
                },
            )
            .await?;
            if let Some(p) = party_of(PartyRole::Aangeklaagde) {
                let off = weekday(today + chrono::TimeDelta::days(17));
                h::add_unavailability(tx, Some(c.id), Owner::Party(p), off, off, "bestuursvergadering").await?;
            }
            if let Some(m) = panel.get(1) {
                let from = weekday(today + chrono::TimeDelta::days(14));
                h::add_unavailability(
                    tx,
                    None,
                    Owner::Member(*m),
                    from,
                    from + chrono::TimeDelta::days(4),
                    "buitenland",
                )
                .await?;
            }
            h::request_information(tx, c, To::Board, "Wilt u het ongevalsrapport van 11 juni 2026 en het onderhoudslogboek van de kolomboormachine toezenden?", weekday(today + chrono::TimeDelta::days(7))).await?;
        }
        (CaseStatus::Afgesloten, _) if c.outcome.as_deref() == Some("opgelost") => {
            held(
                tx,
                c,
                HearingKind::Verschijning,
                Some(AppearancePurpose::Schikking),
                day(40),
                "Secretariaat van de commissie, Lindenhoflaan 12, Utrecht",
                true,
                Some(true),
                true,
            )
            .await?;
        }
        _ if heard => {
            held(
                tx,
                c,
                HearingKind::Hoorzitting,
                None,
                day(50),
                "Stadskantoor, Korte Elisabethstraat 6, Utrecht",
                true,
                None,
                true,
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Art 24, 25 in the demo: the case in preparation has its deliberation, a draft and a
/// comment; every later case that was heard has a deliberation, a signed advies sent on the
/// day its term was met, and, once closed, the board's decision. Past events are written
/// directly (signed with the instance's key), without sending the letters again.
async fn demo_advies(
    tx: &mut WriteTx,
    c: &case::Model,
    status: CaseStatus,
    key: &crate::signing::AdviesKey,
) -> Result<(), crate::cases::CaseError> {
    use crate::cases::advies as a;
    use crate::entities::{
        advies, advies_signature, board_decision, deliberation, deliberation_question, deliberation_vote,
    };
    let day = |n: u64| c.received_on.checked_add_days(chrono::Days::new(n)).unwrap_or(c.received_on);
    let heard = matches!(c.outcome.as_deref(), None | Some("gegrond" | "ongegrond" | "gedeeltelijk_gegrond"));
    let seats = crate::cases::hearings::panel(tx.conn(), c.id).await?;
    let votes_for = |adopted: bool, dissent: bool| -> Vec<(i32, bool)> {
        seats
            .iter()
            .enumerate()
            .map(|(n, (_, m))| (m.id, if dissent && n == seats.len() - 1 { !adopted } else { adopted }))
            .collect()
    };
    match status {
        CaseStatus::AdviesInVoorbereiding => {
            let parts = vec![c.subject.trim_end_matches('.').to_owned()];
            let questions = crate::domain::deliberation::questions(&parts, true);
            let decided = [true, true, false];
            a::record_deliberation(
                tx,
                c,
                a::NewDeliberation {
                    held_on: day(57),
                    present: seats.iter().map(|(_, m)| m.id).collect(),
                    questions: questions
                        .into_iter()
                        .zip(decided)
                        .enumerate()
                        .map(|(n, (q, yes))| (q, votes_for(yes, n == 1)))
                        .collect(),
                    notes: "Eén lid acht de klacht op dit onderdeel ongegrond.".into(),
                },
            )
            .await?;
            // Recorded by the demo's secretary, as the use case records the signed-in user.
            deliberation::Entity::update_many()
                .col_expr(deliberation::Column::Secretary, sea_orm::sea_query::Expr::value("Mr. Sanne Verhoef"))
                .filter(deliberation::Column::CaseId.eq(c.id))
                .exec(tx.conn())
                .await?;
            a::start_draft(tx, c).await?;
            a::comment(tx, c, "Graag in onderdeel B ook het verweer over de verslaglegging opnemen.").await?;
        }
        CaseStatus::AdviesUitgebracht | CaseStatus::Afgesloten if heard => {
            let outcome = c.outcome.as_deref().and_then(Outcome::parse).unwrap_or(Outcome::Ongegrond);
            let record = deliberation::ActiveModel {
                case_id: Set(c.id),
                held_on: Set(day(57)),
                secretary: Set("Mr. Sanne Verhoef".into()),
                notes: Set(String::new()),
                created_by: Set(None),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            let answers = [
                ("ontvankelijk", "Is de klacht ontvankelijk?".to_owned(), true),
                (
                    "gegrond",
                    format!("Is de klacht gegrond ten aanzien van: {}?", c.subject.trim_end_matches('.')),
                    outcome != Outcome::Ongegrond,
                ),
            ];
            for (n, (kind, question, adopted)) in answers.iter().enumerate() {
                let q = deliberation_question::ActiveModel {
                    deliberation_id: Set(record.id),
                    position: Set(n as i32),
                    kind: Set((*kind).to_owned()),
                    question: Set(question.clone()),
                    adopted: Set(*adopted),
                    ..Default::default()
                }
                .insert(tx.conn())
                .await?;
                for (m, yes) in votes_for(*adopted, n == 1 && outcome == Outcome::GedeeltelijkGegrond) {
                    deliberation_vote::ActiveModel {
                        question_id: Set(q.id),
                        member_id: Set(m),
                        vote: Set(yes),
                        ..Default::default()
                    }
                    .insert(tx.conn())
                    .await?;
                }
            }
            let d = a::latest_deliberation(tx.conn(), c.id)
                .await?
                .ok_or(crate::cases::CaseError::NotNow("geen beraadslaging".into()))?;
            let s = a::prefill(tx.conn(), c, &d).await?;
            let now = Utc::now();
            advies::ActiveModel {
                case_id: Set(c.id),
                board_id: Set(Some(c.board_id)),
                version: Set(1),
                status: Set("concept".into()),
                corrects_id: Set(None),
                correction_note: Set(None),
                advies_date: Set(day(78)),
                section_a: Set(s.a),
                section_b: Set(format!("De klacht betreft: {}. De klager stelt dat de school tekort is geschoten; de aangeklaagde betwist dat en wijst op de genomen maatregelen.", c.subject.trim_end_matches('.'))),
                section_c: Set(s.c),
                section_d: Set(s.d),
                outcome: Set(Some(outcome.code().to_owned())),
                revision: Set(1),
                verification_code: Set(None),
                pdf_document_id: Set(None),
                pdf_sha256: Set(None),
                finalized_at: Set(None),
                sent_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            a::finalize(tx, c, "http://127.0.0.1:3000/verifieer").await?;
            let adv = advies::Entity::find()
                .filter(advies::Column::CaseId.eq(c.id))
                .one(tx.conn())
                .await?
                .ok_or(crate::cases::CaseError::NotNow("geen advies".into()))?;
            // The PDF was made on the day of the advies, not on the day the demo was loaded.
            if let Some(doc) = adv.pdf_document_id {
                crate::entities::document::Entity::update_many()
                    .col_expr(crate::entities::document::Column::ReceivedOn, sea_orm::sea_query::Expr::value(day(78)))
                    .filter(crate::entities::document::Column::Id.eq(doc))
                    .exec(tx.conn())
                    .await?;
            }
            let chair = seats
                .iter()
                .find(|(r, _)| *r == PanelRole::Voorzitter)
                .map(|(_, m)| m.name.clone())
                .unwrap_or_default();
            let sent_at = crate::cases::hearings::to_utc(day(80).and_hms_opt(10, 0, 0).unwrap_or_default())?;
            for (role, name, at) in [
                ("voorzitter", chair, sent_at - chrono::TimeDelta::days(2)),
                ("secretaris", "Mr. Sanne Verhoef".to_owned(), sent_at - chrono::TimeDelta::days(1)),
            ] {
                let claims = crate::domain::advies::SignatureClaims {
                    zaaknummer: c.zaaknummer.clone(),
                    sha256: adv.pdf_sha256.clone().unwrap_or_default(),
                    signer: name.clone(),
                    role: role.into(),
                    iat: at.timestamp(),
                    code: adv.verification_code.clone().unwrap_or_default(),
                };
                let jws = key.sign(&claims).map_err(sea_orm::DbErr::Custom)?;
                advies_signature::ActiveModel {
                    advies_id: Set(adv.id),
                    role: Set(role.into()),
                    user_id: Set(None),
                    signer_name: Set(name),
                    signed_at: Set(at),
                    jws: Set(jws),
                    ..Default::default()
                }
                .insert(tx.conn())
                .await?;
            }
            let mut am: advies::ActiveModel = adv.into();
            am.status = Set("verzonden".into());
            am.sent_at = Set(Some(sent_at));
            am.update(tx.conn()).await?;
            if status == CaseStatus::Afgesloten {
                board_decision::ActiveModel {
                    case_id: Set(c.id),
                    decided_on: Set(day(100)),
                    decision: Set(if outcome == Outcome::Ongegrond {
                        "Het bestuur neemt het advies over: de klacht is ongegrond. Het bestuur ziet geen aanleiding voor maatregelen.".into()
                    } else {
                        "Het bestuur neemt het oordeel van de commissie over en neemt de aanbevolen maatregelen over.".into()
                    }),
                    measures: Set(if outcome == Outcome::Ongegrond { String::new() } else { "Het veiligheidsprotocol wordt herzien en met alle docenten besproken.".into() }),
                    informed_on: Set(day(101)),
                    recorded_by: Set(None),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(tx.conn())
                .await?;
            }
            tx.audit(Some(c.id), "advies.verzonden", serde_json::json!({ "demodata": true })).await?;
        }
        _ => {}
    }
    Ok(())
}

/// A hearing held in the past, with everyone present and its proces-verbaal (final or draft),
/// written directly like the demo's other past events, without sending the letters again.
#[allow(clippy::too_many_arguments)]
async fn held(
    tx: &mut WriteTx,
    c: &case::Model,
    kind: crate::domain::hearing::HearingKind,
    purpose: Option<crate::domain::hearing::AppearancePurpose>,
    on: NaiveDate,
    place: &str,
    final_minutes: bool,
    settled: Option<bool>,
    with_parties: bool,
) -> Result<i32, crate::cases::CaseError> {
    use crate::cases::hearings as h;
    use crate::entities::{hearing, hearing_attendance};
    let start = h::to_utc(on.and_hms_opt(14, 0, 0).unwrap_or_default())?;
    let panel = h::panel(tx.conn(), c.id).await?;
    let parties = crate::cases::intake::parties(tx.conn(), c.id).await?;
    let main: Vec<&crate::entities::party::Model> = parties
        .iter()
        .filter(|_| with_parties)
        .filter(|p| !crate::domain::hearing::is_hearing_person(PartyRole::parse(&p.role).unwrap_or(PartyRole::Klager)))
        .collect();
    let names: Vec<String> =
        panel.iter().map(|(_, m)| m.name.clone()).chain(main.iter().map(|p| p.name.clone())).collect();
    let minutes = format!(
        "{} in klachtzaak {}, gehouden op {} om 14.00 uur in {place}.\n\nAanwezig: {}.\n\n{}",
        if kind == crate::domain::hearing::HearingKind::Hoorzitting {
            "Proces-verbaal van de hoorzitting"
        } else {
            "Proces-verbaal van de verschijning vóór de hoorzitting (artikel 14.3)"
        },
        c.zaaknummer,
        crate::domain::dutch::date_with_weekday(on),
        names.join(", "),
        match (with_parties, settled) {
            (_, Some(true)) =>
                "De voorzitter licht het doel van het gesprek toe. Partijen komen overeen dat de school de klager maandelijks informeert over de begeleiding; de klacht is daarmee opgelost.",
            (true, _) =>
                "De voorzitter opent de zitting en licht de gang van zaken toe. De klager licht de klacht toe; de aangeklaagde reageert. De leden stellen vragen. De voorzitter sluit de zitting.",
            (false, _) =>
                "De voorzitter hoort de minderjarige getuige buiten aanwezigheid van de partijen (artikel 21.6). De secretaris maakt een verslag dat aan beide partijen wordt gezonden.",
        }
    );
    let doc = if final_minutes {
        let subject = h::minutes_subject(kind, on);
        let bytes = h::minutes_pdf(tx.conn(), c, &subject, &minutes, "Mr. Sanne Verhoef").await?;
        Some(
            crate::cases::documents::insert(
                tx.conn(),
                c.id,
                register::NewDocument {
                    title: subject,
                    file_name: format!("{}_proces-verbaal_{on}.pdf", c.zaaknummer),
                    media_type: "application/pdf".into(),
                    received_on: on,
                    bytes,
                },
                None,
                "uit",
            )
            .await?,
        )
    } else {
        None
    };
    let token: [u8; 12] = rand::random();
    let saved = hearing::ActiveModel {
        case_id: Set(c.id),
        kind: Set(kind.code().to_owned()),
        purpose: Set(purpose.map(|p| p.code().to_owned())),
        starts_at: Set(start),
        ends_at: Set(start + chrono::TimeDelta::minutes(90)),
        place: Set(place.to_owned()),
        status: Set("gehouden".into()),
        uid: Set(crate::domain::ical::uid(&hex::encode(token), "klachtencommissie.invalid")),
        sequence: Set(0),
        separately: Set(false),
        separately_reason: Set(None),
        invited_at: Set(Some(start - chrono::TimeDelta::days(21))),
        cancel_reason: Set(None),
        minutes: Set(minutes),
        minutes_final_at: Set(final_minutes.then(|| start + chrono::TimeDelta::days(3))),
        minutes_document_id: Set(doc.map(|d| d.id)),
        settled: Set(settled),
        created_at: Set(start - chrono::TimeDelta::days(30)),
        updated_at: Set(start),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    for (_, m) in &panel {
        hearing_attendance::ActiveModel {
            hearing_id: Set(saved.id),
            party_id: Set(None),
            member_id: Set(Some(m.id)),
            name: Set(m.name.clone()),
            capacity: Set("Commissie".into()),
            present: Set(true),
            heard_separately: Set(false),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    for p in main {
        hearing_attendance::ActiveModel {
            hearing_id: Set(saved.id),
            party_id: Set(Some(p.id)),
            member_id: Set(None),
            name: Set(p.name.clone()),
            capacity: Set(PartyRole::parse(&p.role).map_or(p.role.clone(), |r| r.label().to_owned())),
            present: Set(true),
            heard_separately: Set(false),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    tx.audit(Some(c.id), "zitting.gehouden", serde_json::json!({ "op": on, "demodata": true })).await?;
    Ok(saved.id)
}

/// Art 19 in the demo: an open challenge of a member before a planned hearing, and a member's
/// request to withdraw that the others refused, on the case in deliberation.
async fn demo_recusal(tx: &mut WriteTx, c: &case::Model, status: CaseStatus) -> Result<(), crate::cases::CaseError> {
    use crate::cases::recusals::{NewRequest, register};
    let (kind, by, grounds) = match status {
        CaseStatus::ZittingGepland => {
            ("wraking", "klager", "Het lid was eerder als adviseur betrokken bij de school van de aangeklaagde.")
        }
        CaseStatus::Beraadslaging => (
            "verschoning",
            "het lid zelf",
            "Het lid kent de familie van de klager uit de buurt en vraagt zich te mogen verschonen.",
        ),
        _ => return Ok(()),
    };
    let seats = panel_member::Entity::find()
        .filter(panel_member::Column::CaseId.eq(c.id))
        .order_by_asc(panel_member::Column::Id)
        .all(tx.conn())
        .await?;
    let Some(challenged) = seats.iter().rev().find(|s| s.role != "voorzitter") else { return Ok(()) };
    let received_on = c.received_on.checked_add_days(chrono::Days::new(30)).unwrap_or(c.received_on);
    let r = register(
        tx,
        c,
        NewRequest {
            member_id: challenged.member_id,
            kind: kind.into(),
            requested_by: by.into(),
            grounds: grounds.into(),
            received_on,
        },
    )
    .await?;
    if status == CaseStatus::Beraadslaging {
        // Decided in the past: the votes and the decision are set directly, like the demo's
        // later case states, without sending the letters again.
        let now = chrono::Utc::now();
        for s in seats.iter().filter(|s| s.member_id != challenged.member_id) {
            crate::entities::recusal_vote::ActiveModel {
                recusal_id: Set(r.id),
                member_id: Set(s.member_id),
                grant: Set(false),
                reason: Set(None),
                voted_at: Set(now),
            }
            .insert(tx.conn())
            .await?;
        }
        let mut am: crate::entities::recusal::ActiveModel = r.into();
        am.status = Set("afgewezen".into());
        am.decided_at = Set(Some(now));
        am.update(tx.conn()).await?;
        tx.audit(Some(c.id), "wraking.beslist", serde_json::json!({ "beslissing": "afgewezen", "demodata": true }))
            .await?;
    }
    Ok(())
}

/// The deadlines a case in `status` has by now, with invented but plausible event dates
/// (letters a few days after receipt, a hearing about seven weeks after).
async fn demo_deadlines(
    tx: &mut WriteTx,
    c: &case::Model,
    status: CaseStatus,
) -> Result<(), crate::deadlines::DeadlineError> {
    use crate::deadlines::{close, open};
    use crate::domain::deadline::{DeadlineKind as K, Status as S};
    use crate::domain::termijn::{Term, Unit};
    let day = |n: u64| c.received_on.checked_add_days(chrono::Days::new(n)).unwrap_or(c.received_on);
    let stage = CaseStatus::ALL.iter().position(|s| *s == status).unwrap_or(0);
    let at = |s: CaseStatus| CaseStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let hoorzitting =
        crate::deadlines::for_case(tx.conn(), c.id).await?.into_iter().find(|d| d.kind == K::Hoorzitting.code());
    // A case that ended before it was heard: its terms lapsed with it.
    let ended_early = status == CaseStatus::Afgesloten
        && !matches!(c.outcome.as_deref(), Some("gegrond" | "ongegrond" | "gedeeltelijk_gegrond"));
    if ended_early {
        if let Some(h) = hoorzitting {
            close(tx, c, h.id, S::Cancelled, day(20), "zaak afgesloten zonder hoorzitting").await?;
        }
        return Ok(());
    }
    if status == CaseStatus::HerstelGevraagd {
        open(tx, c, K::Herstel, day(3), None).await?;
    }
    if stage >= at(CaseStatus::Verweer) {
        let v = open(tx, c, K::Verweerschrift, day(7), None).await?;
        if c.outcome.as_deref() == Some("gegrond") {
            close(tx, c, v.id, S::Missed, day(40), "geen verweerschrift ontvangen").await?;
        } else if stage > at(CaseStatus::Verweer) {
            close(tx, c, v.id, S::Met, day(30), "verweerschrift ontvangen").await?;
        }
    }
    if let Some(h) = hoorzitting.as_ref().filter(|_| status == CaseStatus::Onderzoek) {
        crate::deadlines::suspend(tx, c, h.id, day(21), "informatie opgevraagd bij de school (art. 14.1)").await?;
    }
    if status == CaseStatus::Schriftelijk {
        open(tx, c, K::Repliek, day(35), Some(Term::new(3, Unit::Weeks))).await?;
        if let Some(h) = &hoorzitting {
            close(tx, c, h.id, S::Cancelled, day(34), "schriftelijke behandeling (art. 17)").await?;
        }
    }
    if let Some(h) = hoorzitting.filter(|h| stage >= at(CaseStatus::Beraadslaging) && h.status == "open") {
        close(tx, c, h.id, S::Met, day(50), "hoorzitting gehouden").await?;
    }
    // Closing the investigation started the advies term (Art 25.1).
    if stage >= at(CaseStatus::Beraadslaging) {
        let a = open(tx, c, K::Advies, day(56), None).await?;
        if stage > at(CaseStatus::AdviesInVoorbereiding) {
            close(tx, c, a.id, S::Met, day(80), "advies verzonden").await?;
        } else if stage == at(CaseStatus::AdviesInVoorbereiding) {
            crate::deadlines::extend(
                tx,
                c,
                a.id,
                Term::new(4, Unit::Weeks),
                "aanvullende stukken opgevraagd (art. 25.1)",
            )
            .await?;
        }
    }
    if stage >= at(CaseStatus::AdviesUitgebracht) {
        let b = open(tx, c, K::BesluitBevoegdGezag, day(82), None).await?;
        if status == CaseStatus::Afgesloten {
            close(tx, c, b.id, S::Met, day(100), "besluit bevoegd gezag ontvangen").await?;
        }
    }
    if status == CaseStatus::Afgesloten {
        for d in crate::deadlines::for_case(tx.conn(), c.id).await? {
            if crate::domain::deadline::Status::parse(&d.status).is_some_and(|s| s.is_pending()) {
                close(tx, c, d.id, S::Cancelled, day(100), "zaak afgesloten").await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_cases_close_in_their_own_past() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 11, 30);
        // Heard: the board's decision recorded on day 101 (a Thursday).
        assert_eq!(closed_on(CaseStatus::Afgesloten, d(2025, 10, 6), Some("ongegrond"), today), Some(d(2026, 1, 15)));
        // Ended before a hearing: day 20, a Sunday, moves to the Monday.
        assert_eq!(
            closed_on(CaseStatus::Afgesloten, d(2025, 11, 10), Some("niet_ontvankelijk"), today),
            Some(d(2025, 12, 1))
        );
        assert_eq!(closed_on(CaseStatus::AdviesUitgebracht, d(2026, 3, 16), Some("gegrond"), today), None);
        assert_eq!(closed_on(CaseStatus::Afgesloten, d(2026, 11, 20), Some("gegrond"), today), Some(today));
        for c in data().unwrap().cases {
            let status = CaseStatus::parse(&c.status).unwrap();
            if let Some(on) = closed_on(status, c.received_on, c.outcome.as_deref(), today) {
                assert!(c.received_on < on && on <= today, "{}: {on}", c.subject);
            }
            if let Some(k) = &c.complaint_kind {
                assert!(ComplaintKind::parse(k).is_some(), "{}: {k}", c.subject);
            }
        }
    }

    #[test]
    fn demo_json_matches_the_schema_and_covers_every_status() {
        let d = data().unwrap();
        for s in CaseStatus::ALL {
            assert!(d.cases.iter().any(|c| c.status == s.code()), "no demo case in status {}", s.code());
        }
        for email in ["beheerder@demo.nl", "secretaris@demo.nl", "voorzitter@demo.nl", "lid@demo.nl", "bestuur@demo.nl"]
        {
            assert!(d.users.iter().any(|u| u.email == email), "{email}");
        }
        assert!(d.members.len() >= 12);
        assert!(d.members.iter().filter(|m| m.is_chair).count() >= 2);
        for region in ["noord", "midden", "zuid"] {
            assert!(d.schools.iter().any(|s| s.region == region), "{region}");
        }
    }
}

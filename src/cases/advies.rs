//! Deliberation and the advies (Art 24, 25), and the board's decision on it: the deliberation
//! with every member's vote, the draft with its revisions and comments, the frozen final text
//! as a PDF, the signatures of the chair and then the secretary, sending with the proces-verbaal
//! attached, corrections as new versions, the extension of the advies term, and the decision
//! the board records in its portal. Each step in the caller's `WriteTx`, with its audit entry.

use super::CaseError;
use super::intake::{addressee, parties, running, values};
use crate::audit::WriteTx;
use crate::deadlines;
use crate::domain::advies::{self as rules, Named, Sections, SignatureClaims};
use crate::domain::case::{CaseStatus, Outcome, PanelRole, PartyRole};
use crate::domain::deadline::{DeadlineKind, Status};
use crate::domain::deliberation::{self, Question, QuestionKind, Vote};
use crate::domain::letter::LetterKind;
use crate::domain::termijn::{Term, Unit};
use crate::domain::{access::Role, dutch};
use crate::entities::{
    advies, advies_comment, advies_revision, advies_signature, board_decision, case, deliberation as delib,
    deliberation_question, deliberation_vote, hearing, user,
};
use crate::letters::compose::{To, send, send_with};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

/// A deliberation with its questions and votes.
#[derive(Debug, Clone)]
pub struct Deliberation {
    pub record: delib::Model,
    pub questions: Vec<(deliberation_question::Model, Vec<deliberation_vote::Model>)>,
}

/// Everything about the advies of a case.
#[derive(Debug, Clone, Default)]
pub struct Dossier {
    pub deliberation: Option<Deliberation>,
    /// Every version, the latest first.
    pub versions: Vec<advies::Model>,
    pub revisions: Vec<advies_revision::Model>,
    pub comments: Vec<advies_comment::Model>,
    pub signatures: Vec<advies_signature::Model>,
    pub decision: Option<board_decision::Model>,
}

impl Dossier {
    pub fn current(&self) -> Option<&advies::Model> {
        self.versions.first()
    }

    pub fn signatures_of(&self, advies_id: i32) -> Vec<&advies_signature::Model> {
        self.signatures.iter().filter(|s| s.advies_id == advies_id).collect()
    }
}

/// The latest deliberation of a case.
pub(crate) async fn latest_deliberation(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Option<Deliberation>, DbErr> {
    let Some(record) = delib::Entity::find()
        .filter(delib::Column::CaseId.eq(case_id))
        .order_by_desc(delib::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let qs = deliberation_question::Entity::find()
        .filter(deliberation_question::Column::DeliberationId.eq(record.id))
        .order_by_asc(deliberation_question::Column::Position)
        .all(db)
        .await?;
    let votes = deliberation_vote::Entity::find()
        .filter(deliberation_vote::Column::QuestionId.is_in(qs.iter().map(|q| q.id)))
        .all(db)
        .await?;
    let questions = qs
        .into_iter()
        .map(|q| {
            let v = votes.iter().filter(|v| v.question_id == q.id).cloned().collect();
            (q, v)
        })
        .collect();
    Ok(Some(Deliberation { record, questions }))
}

/// The advies dossier of a case, in a fixed number of queries.
pub async fn load(db: &impl ConnectionTrait, case_id: i32) -> Result<Dossier, DbErr> {
    let versions = advies::Entity::find()
        .filter(advies::Column::CaseId.eq(case_id))
        .order_by_desc(advies::Column::Version)
        .all(db)
        .await?;
    let ids: Vec<i32> = versions.iter().map(|v| v.id).collect();
    Ok(Dossier {
        deliberation: latest_deliberation(db, case_id).await?,
        revisions: advies_revision::Entity::find()
            .filter(advies_revision::Column::AdviesId.is_in(ids.clone()))
            .order_by_desc(advies_revision::Column::Id)
            .all(db)
            .await?,
        comments: advies_comment::Entity::find()
            .filter(advies_comment::Column::AdviesId.is_in(ids.clone()))
            .order_by_asc(advies_comment::Column::Id)
            .all(db)
            .await?,
        signatures: advies_signature::Entity::find()
            .filter(advies_signature::Column::AdviesId.is_in(ids))
            .order_by_asc(advies_signature::Column::Id)
            .all(db)
            .await?,
        decision: board_decision::Entity::find().filter(board_decision::Column::CaseId.eq(case_id)).one(db).await?,
        versions,
    })
}

fn status_of(c: &case::Model) -> CaseStatus {
    CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Ontvangen)
}

async fn set_case(
    tx: &mut WriteTx,
    c: &case::Model,
    status: CaseStatus,
    outcome: Option<Outcome>,
) -> Result<case::Model, DbErr> {
    let mut am: case::ActiveModel = c.clone().into();
    super::set_status(&mut am, status);
    if let Some(o) = outcome {
        am.outcome = Set(Some(o.code().to_owned()));
    }
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await
}

async fn user_name(tx: &WriteTx) -> Result<String, DbErr> {
    Ok(match tx.actor().user_id {
        Some(id) => user::Entity::find_by_id(id).one(tx.conn()).await?.map(|u| u.name),
        None => None,
    }
    .unwrap_or_else(|| "Het secretariaat".into()))
}

/// A deliberation as recorded by the secretary.
#[derive(Debug, Clone)]
pub struct NewDeliberation {
    pub held_on: NaiveDate,
    /// The panel members who took part.
    pub present: Vec<i32>,
    /// Each question with every member's vote.
    pub questions: Vec<(Question, Vec<(i32, bool)>)>,
    pub notes: String,
}

/// Art 24: the deliberation, with every panel member present and voting on each question; the
/// majority decides each. The case moves on to the drafting of the advies.
pub async fn record_deliberation(tx: &mut WriteTx, c: &case::Model, d: NewDeliberation) -> Result<(), CaseError> {
    let status = status_of(c);
    let earlier = latest_deliberation(tx.conn(), c.id).await?;
    let allowed =
        status == CaseStatus::Beraadslaging || (status == CaseStatus::AdviesInVoorbereiding && earlier.is_none());
    if !allowed {
        return Err(CaseError::NotNow(
            "De commissie beraadslaagt na het sluiten van het onderzoek of de schriftelijke behandeling (art. 24)."
                .into(),
        ));
    }
    if d.held_on > crate::admin::today() {
        return Err(CaseError::NotNow("De beraadslaging kan niet in de toekomst liggen.".into()));
    }
    let seats = super::hearings::panel(tx.conn(), c.id).await?;
    let panel_ids: Vec<i32> = seats.iter().map(|(_, m)| m.id).collect();
    deliberation::all_present(&panel_ids, &d.present).map_err(|e| CaseError::NotNow(e.to_owned()))?;
    if !d.questions.iter().any(|(q, _)| q.kind == QuestionKind::Ontvankelijk) {
        return Err(CaseError::NotNow("De eerste vraag is of de klacht ontvankelijk is.".into()));
    }
    let chair = seats.iter().find(|(r, _)| *r == PanelRole::Voorzitter).map(|(_, m)| m.id);
    let mut decided = Vec::new();
    for (q, votes) in &d.questions {
        if panel_ids.iter().any(|m| !votes.iter().any(|(v, _)| v == m)) {
            return Err(CaseError::NotNow(format!(
                "Elk lid stemt over elke vraag; er ontbreekt een stem bij: {}",
                q.text
            )));
        }
        let vs: Vec<Vote> = votes
            .iter()
            .filter(|(m, _)| panel_ids.contains(m))
            .map(|(m, yes)| Vote { member_id: *m, chair: Some(*m) == chair, yes: *yes })
            .collect();
        let adopted = deliberation::decide(&vs).map_err(|e| CaseError::NotNow(e.to_owned()))?;
        decided.push((q.clone(), vs, adopted));
    }
    let record = delib::ActiveModel {
        case_id: Set(c.id),
        held_on: Set(d.held_on),
        secretary: Set(user_name(tx).await?),
        notes: Set(d.notes.trim().to_owned()),
        created_by: Set(tx.actor().user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    for (n, (q, votes, adopted)) in decided.iter().enumerate() {
        let saved = deliberation_question::ActiveModel {
            deliberation_id: Set(record.id),
            position: Set(n as i32),
            kind: Set(q.kind.code().to_owned()),
            question: Set(q.text.clone()),
            adopted: Set(*adopted),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        for v in votes {
            deliberation_vote::ActiveModel {
                question_id: Set(saved.id),
                member_id: Set(v.member_id),
                vote: Set(v.yes),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
        }
    }
    if status == CaseStatus::Beraadslaging {
        set_case(tx, c, CaseStatus::AdviesInVoorbereiding, None).await?;
    }
    // The votes stay in the deliberation record; the audit log says what was decided.
    tx.audit(
        Some(c.id),
        "beraadslaging.vastgelegd",
        json!({
            "op": d.held_on,
            "besluiten": decided.iter().map(|(q, _, a)| format!("{}: {}", q.text, if *a { "ja" } else { "nee" })).collect::<Vec<_>>(),
        }),
    )
    .await?;
    Ok(())
}

/// The outcome the deliberation gave.
pub fn outcome_of(d: &Deliberation) -> Outcome {
    let admissible =
        d.questions.iter().find(|(q, _)| q.kind == QuestionKind::Ontvankelijk.code()).is_none_or(|(q, _)| q.adopted);
    let parts: Vec<bool> =
        d.questions.iter().filter(|(q, _)| q.kind == QuestionKind::Gegrond.code()).map(|(q, _)| q.adopted).collect();
    deliberation::outcome(admissible, &parts)
}

/// The draft as the application proposes it: section A from the parties, B from the
/// klaagschrift's subject, C from the deliberation, D from the panel.
pub(crate) async fn prefill(db: &impl ConnectionTrait, c: &case::Model, d: &Deliberation) -> Result<Sections, DbErr> {
    let ps = parties(db, c.id).await?;
    let people: Vec<Named> = ps
        .iter()
        .filter_map(|p| {
            let role = PartyRole::parse(&p.role)?;
            let party = matches!(role, PartyRole::Klager | PartyRole::Aangeklaagde);
            let gemachtigde = matches!(role, PartyRole::GemachtigdeKlager | PartyRole::GemachtigdeAangeklaagde);
            (party || gemachtigde).then(|| Named {
                role: role.label(),
                name: p.name.clone(),
                place: if party { p.address.as_deref().and_then(rules::place_of) } else { None },
            })
        })
        .collect();
    let answers: Vec<(QuestionKind, String, bool)> = d
        .questions
        .iter()
        .filter_map(|(q, _)| QuestionKind::parse(&q.kind).map(|k| (k, q.question.clone(), q.adopted)))
        .collect();
    let seats = super::hearings::panel(db, c.id).await?;
    let members: Vec<(String, &'static str)> = seats
        .iter()
        .map(|(r, m)| (m.name.clone(), if *r == PanelRole::Voorzitter { "voorzitter" } else { "lid" }))
        .collect();
    Ok(Sections {
        a: rules::prefill_a(&people),
        // Only what the case records; the grounds themselves are written by the drafter.
        b: format!("De klacht betreft: {}.", c.subject.trim_end_matches('.')),
        c: rules::prefill_c(&answers),
        d: rules::prefill_d(&members),
    })
}

fn sections_of(a: &advies::Model) -> Sections {
    Sections { a: a.section_a.clone(), b: a.section_b.clone(), c: a.section_c.clone(), d: a.section_d.clone() }
}

async fn add_revision(tx: &mut WriteTx, a: &advies::Model, changed: &[&str]) -> Result<(), DbErr> {
    advies_revision::ActiveModel {
        advies_id: Set(a.id),
        revision: Set(a.revision),
        author_id: Set(tx.actor().user_id),
        author_name: Set(user_name(tx).await?),
        changed: Set(changed.join(", ")),
        sections: Set(serde_json::to_string(&sections_of(a)).unwrap_or_default()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// Art 25.2: starts the draft, prefilled, after the deliberation.
pub async fn start_draft(tx: &mut WriteTx, c: &case::Model) -> Result<advies::Model, CaseError> {
    if status_of(c) != CaseStatus::AdviesInVoorbereiding {
        return Err(CaseError::NotNow("Het advies wordt opgesteld na de beraadslaging (art. 24, 25).".into()));
    }
    let d = latest_deliberation(tx.conn(), c.id)
        .await?
        .ok_or_else(|| CaseError::NotNow("Leg eerst de beraadslaging vast (art. 24).".into()))?;
    if advies::Entity::find().filter(advies::Column::CaseId.eq(c.id)).one(tx.conn()).await?.is_some() {
        return Err(CaseError::NotNow("Er is al een advies in bewerking.".into()));
    }
    let s = prefill(tx.conn(), c, &d).await?;
    let now = Utc::now();
    let a = advies::ActiveModel {
        case_id: Set(c.id),
        board_id: Set(Some(c.board_id)),
        version: Set(1),
        status: Set("concept".into()),
        corrects_id: Set(None),
        correction_note: Set(None),
        advies_date: Set(crate::admin::today()),
        section_a: Set(s.a),
        section_b: Set(s.b),
        section_c: Set(s.c),
        section_d: Set(s.d),
        outcome: Set(Some(outcome_of(&d).code().to_owned())),
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
    add_revision(tx, &a, &["A", "B", "C", "D"]).await?;
    tx.audit(Some(c.id), "advies.concept_gestart", json!({ "versie": 1 })).await?;
    Ok(a)
}

async fn current(tx: &WriteTx, c: &case::Model) -> Result<advies::Model, CaseError> {
    advies::Entity::find()
        .filter(advies::Column::CaseId.eq(c.id))
        .order_by_desc(advies::Column::Version)
        .one(tx.conn())
        .await?
        .ok_or_else(|| CaseError::NotNow("Er is nog geen advies.".into()))
}

fn refuse_unless(a: &advies::Model, status: &str, why: &str) -> Result<(), CaseError> {
    if a.status == status { Ok(()) } else { Err(CaseError::NotNow(why.to_owned())) }
}

/// Saves a revision of the draft: which sections changed, by whom, when.
pub async fn save_draft(
    tx: &mut WriteTx,
    c: &case::Model,
    sections: Sections,
    advies_date: NaiveDate,
) -> Result<Vec<&'static str>, CaseError> {
    let a = current(tx, c).await?;
    refuse_unless(&a, "concept", "Het advies is vastgesteld; een wijziging kan alleen als correctie (art. 25.3).")?;
    let mut changed = sections.changed(&sections_of(&a));
    if advies_date != a.advies_date {
        changed.push("datum");
    }
    if changed.is_empty() {
        return Ok(changed);
    }
    let mut am: advies::ActiveModel = a.clone().into();
    am.section_a = Set(sections.a);
    am.section_b = Set(sections.b);
    am.section_c = Set(sections.c);
    am.section_d = Set(sections.d);
    am.advies_date = Set(advies_date);
    am.revision = Set(a.revision + 1);
    am.updated_at = Set(Utc::now());
    let a = am.update(tx.conn()).await?;
    add_revision(tx, &a, &changed).await?;
    tx.audit(
        Some(c.id),
        "advies.concept_gewijzigd",
        json!({ "versie": a.version, "revisie": a.revision, "onderdelen": changed }),
    )
    .await?;
    Ok(changed)
}

/// A comment of the chair, a member or the secretariat on the draft.
pub async fn comment(tx: &mut WriteTx, c: &case::Model, body: &str) -> Result<(), CaseError> {
    let a = current(tx, c).await?;
    refuse_unless(&a, "concept", "Opmerkingen gaan over een concept; dit advies is vastgesteld.")?;
    if body.trim().chars().count() < 2 {
        return Err(CaseError::NotNow("Schrijf de opmerking.".into()));
    }
    advies_comment::ActiveModel {
        advies_id: Set(a.id),
        revision: Set(a.revision),
        author_id: Set(tx.actor().user_id),
        author_name: Set(user_name(tx).await?),
        body: Set(body.trim().to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(Some(c.id), "advies.opmerking", json!({ "versie": a.version, "revisie": a.revision })).await?;
    Ok(())
}

/// Art 25.2, 25.3: the final text is frozen and laid out as a PDF with its verification code;
/// refused while a required section is empty.
pub async fn finalize(tx: &mut WriteTx, c: &case::Model, verify_url: &str) -> Result<(), CaseError> {
    let a = current(tx, c).await?;
    refuse_unless(&a, "concept", "Dit advies is al vastgesteld.")?;
    let missing = sections_of(&a).missing();
    if !missing.is_empty() {
        return Err(CaseError::NotNow(format!(
            "Vul eerst de verplichte onderdelen in (art. 25.2): {}.",
            missing.join(", ")
        )));
    }
    let seats = super::hearings::panel(tx.conn(), c.id).await?;
    let chair = seats
        .iter()
        .find(|(r, _)| *r == PanelRole::Voorzitter)
        .map(|(_, m)| m.name.clone())
        .ok_or_else(|| CaseError::NotNow("De commissie heeft geen voorzitter om te ondertekenen.".into()))?;
    let code = rules::verification_code(rand::random());
    let head = crate::letters::letterhead::load(tx.conn()).await?;
    let corrected = match a.corrects_id {
        Some(id) => advies::Entity::find_by_id(id).one(tx.conn()).await?,
        None => None,
    };
    let note = match (&corrected, &a.correction_note) {
        (Some(o), Some(n)) => format!(
            "Dit advies (versie {}) verbetert het advies van {} (verificatiecode {}): {n}",
            a.version,
            dutch::date(o.advies_date),
            o.verification_code.clone().unwrap_or_default()
        ),
        _ => String::new(),
    };
    let s = sections_of(&a);
    let layout = crate::pdf::AdviesLayout {
        head: head.layout(),
        title: if a.version > 1 { format!("Advies (verbeterde versie {})", a.version) } else { "Advies".into() },
        zaaknummer: c.zaaknummer.clone(),
        date: head.dated(a.advies_date),
        note,
        sections: rules::HEADINGS
            .iter()
            .zip(s.all())
            .map(|((_, h), t)| ((*h).to_owned(), crate::domain::letter::paragraphs(t)))
            .collect(),
        signers: vec![
            (chair, "voorzitter".into()),
            ("De secretaris".into(), format!("secretaris van de {}", head.display_name())),
        ],
        code: code.clone(),
        verify_url: verify_url.to_owned(),
    };
    let bytes = tokio::task::spawn_blocking(move || crate::pdf::render_advies(&layout))
        .await
        .map_err(|e| DbErr::Custom(format!("PDF task failed: {e}")))?
        .map_err(|e| CaseError::Letter(e.to_string()))?;
    let doc = super::documents::insert(
        tx.conn(),
        c.id,
        super::register::NewDocument {
            title: if a.version > 1 { format!("Advies, verbeterde versie {}", a.version) } else { "Advies".into() },
            file_name: format!("{}_advies_v{}.pdf", c.zaaknummer, a.version),
            media_type: "application/pdf".into(),
            received_on: crate::admin::today(),
            bytes,
        },
        tx.actor().user_id,
        "uit",
    )
    .await?;
    let mut am: advies::ActiveModel = a.clone().into();
    am.status = Set("definitief".into());
    am.verification_code = Set(Some(code.clone()));
    am.pdf_document_id = Set(Some(doc.id));
    am.pdf_sha256 = Set(Some(doc.sha256.clone()));
    am.finalized_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    tx.audit(
        Some(c.id),
        "advies.vastgesteld",
        json!({ "versie": a.version, "verificatiecode": code, "sha256": doc.sha256 }),
    )
    .await?;
    Ok(())
}

/// Art 25.3: a signature, by the chair of this panel first and then a secretary; the caller
/// has checked the signer's password.
pub async fn sign(
    tx: &mut WriteTx,
    c: &case::Model,
    signer: &user::Model,
    key: &crate::signing::AdviesKey,
) -> Result<(), CaseError> {
    let a = current(tx, c).await?;
    let existing =
        advies_signature::Entity::find().filter(advies_signature::Column::AdviesId.eq(a.id)).all(tx.conn()).await?;
    let role = match Role::parse(&signer.role) {
        Some(Role::Voorzitter | Role::Lid) => {
            let seats = super::hearings::panel(tx.conn(), c.id).await?;
            let chair = seats.iter().find(|(r, _)| *r == PanelRole::Voorzitter).map(|(_, m)| m.id);
            if signer.member_id.is_none() || signer.member_id != chair {
                return Err(CaseError::NotNow(
                    "Alleen de voorzitter van de commissie in deze zaak ondertekent het advies (art. 25.3).".into(),
                ));
            }
            "voorzitter"
        }
        Some(Role::Secretaris) => "secretaris",
        _ => {
            return Err(CaseError::NotNow(
                "Het advies wordt ondertekend door de voorzitter en de secretaris (art. 25.3).".into(),
            ));
        }
    };
    match (a.status.as_str(), role, existing.iter().any(|s| s.role == "voorzitter")) {
        ("definitief", "voorzitter", false) => {}
        ("definitief", "secretaris", true) => {}
        ("definitief", "secretaris", false) => {
            return Err(CaseError::NotNow("De voorzitter ondertekent eerst; daarna de secretaris.".into()));
        }
        ("concept", _, _) => return Err(CaseError::NotNow("Stel het advies eerst vast.".into())),
        _ => return Err(CaseError::NotNow("U hebt dit advies al ondertekend, of het is al ondertekend.".into())),
    }
    let now = Utc::now();
    let claims = SignatureClaims {
        zaaknummer: c.zaaknummer.clone(),
        sha256: a.pdf_sha256.clone().unwrap_or_default(),
        signer: signer.name.clone(),
        role: role.to_owned(),
        iat: now.timestamp(),
        code: a.verification_code.clone().unwrap_or_default(),
    };
    let jws = key.sign(&claims).map_err(|e| DbErr::Custom(format!("signing failed: {e}")))?;
    advies_signature::ActiveModel {
        advies_id: Set(a.id),
        role: Set(role.to_owned()),
        user_id: Set(Some(signer.id)),
        signer_name: Set(signer.name.clone()),
        signed_at: Set(now),
        jws: Set(jws),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    if role == "secretaris" {
        let mut am: advies::ActiveModel = a.clone().into();
        am.status = Set("ondertekend".into());
        am.updated_at = Set(now);
        am.update(tx.conn()).await?;
    }
    tx.audit(Some(c.id), "advies.ondertekend", json!({ "versie": a.version, "door": signer.name, "als": role }))
        .await?;
    Ok(())
}

/// Art 25.3, 25.4: the signed advies goes to the klager, the aangeklaagde and the board, with
/// the proces-verbaal of the hearing; the board's four-week decision term starts (WPO art 14
/// lid 7). A correction goes the same way and says what it corrects.
pub async fn send_advies(tx: &mut WriteTx, c: &case::Model) -> Result<(), CaseError> {
    let a = current(tx, c).await?;
    refuse_unless(
        &a,
        "ondertekend",
        "Het advies wordt verzonden als de voorzitter en de secretaris het hebben ondertekend.",
    )?;
    let pdf = a.pdf_document_id.ok_or_else(|| CaseError::NotNow("Het advies heeft geen PDF.".into()))?;
    let minutes: Vec<i32> = hearing::Entity::find()
        .filter(hearing::Column::CaseId.eq(c.id))
        .filter(hearing::Column::Kind.eq("hoorzitting"))
        .filter(hearing::Column::MinutesDocumentId.is_not_null())
        .order_by_asc(hearing::Column::StartsAt)
        .all(tx.conn())
        .await?
        .into_iter()
        .filter_map(|h| h.minutes_document_id)
        .collect();
    let mut enclosures = vec![pdf];
    enclosures.extend(&minutes);
    let today = crate::admin::today();
    let outcome = a.outcome.as_deref().and_then(Outcome::parse);
    let first = a.corrects_id.is_none();
    let updated = if first { set_case(tx, c, CaseStatus::AdviesUitgebracht, outcome).await? } else { c.clone() };
    let judgment = outcome.map_or("zie het advies".to_owned(), |o| o.label().to_lowercase());
    let note = if first {
        String::new()
    } else {
        format!(
            "Dit is een verbeterde versie van het eerder verzonden advies. {}",
            a.correction_note.clone().unwrap_or_default()
        )
    };
    let ps = parties(tx.conn(), c.id).await?;
    let mut to: Vec<To> =
        [PartyRole::Klager, PartyRole::Aangeklaagde].into_iter().filter_map(|r| addressee(&ps, r)).collect();
    to.push(To::Board);
    for t in to {
        let v = values(&[
            ("oordeel", judgment.clone()),
            ("verificatiecode", a.verification_code.clone().unwrap_or_default()),
            ("toelichting", note.clone()),
        ]);
        send_with(tx, &updated, LetterKind::AdviesVerzending, t, v, &enclosures).await?;
    }
    let mut am: advies::ActiveModel = a.clone().into();
    am.status = Set("verzonden".into());
    am.sent_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    if first {
        if let Some(term) = running(tx.conn(), c.id, DeadlineKind::Advies).await? {
            let in_time = term.due_on.is_none_or(|due| today <= due);
            let (status, why) = if in_time {
                (Status::Met, "advies verzonden")
            } else {
                (Status::Missed, "advies na de termijn verzonden")
            };
            deadlines::close(tx, &updated, term.id, status, today, why).await?;
        }
        deadlines::open(tx, &updated, DeadlineKind::BesluitBevoegdGezag, today, None).await?;
    }
    tx.audit(
        Some(c.id),
        "advies.verzonden",
        json!({ "versie": a.version, "oordeel": judgment, "bijlagen": enclosures.len() }),
    )
    .await?;
    Ok(())
}

/// Art 25.1: the chair extends the advies term once by four weeks, with a reason; the parties
/// are told.
pub async fn extend_term(tx: &mut WriteTx, c: &case::Model, reason: &str) -> Result<(), CaseError> {
    if reason.trim().chars().count() < 10 {
        return Err(CaseError::NotNow(
            "Geef de reden van de verlenging; die staat in de brief aan de partijen.".into(),
        ));
    }
    let term = running(tx.conn(), c.id, DeadlineKind::Advies)
        .await?
        .ok_or_else(|| CaseError::NotNow("Er loopt geen termijn voor het advies.".into()))?;
    let d = deadlines::extend(tx, c, term.id, Term::new(4, Unit::Weeks), reason.trim()).await?;
    let due = d.due_on.map(dutch::date).unwrap_or_else(|| "(onbekend)".into());
    let ps = parties(tx.conn(), c.id).await?;
    for r in [PartyRole::Klager, PartyRole::Aangeklaagde] {
        if let Some(to) = addressee(&ps, r) {
            send(
                tx,
                c,
                LetterKind::VerlengingAdvies,
                to,
                values(&[("termijn", due.clone()), ("motivering", reason.trim().to_owned())]),
            )
            .await?;
        }
    }
    Ok(())
}

/// Art 25.3: a signed advies never changes; a correction is a new version, drafted from the
/// last one, that says what it corrects, and is signed and sent anew.
pub async fn start_correction(tx: &mut WriteTx, c: &case::Model, note: &str) -> Result<(), CaseError> {
    let a = current(tx, c).await?;
    refuse_unless(&a, "verzonden", "Een correctie volgt op een verzonden advies.")?;
    if note.trim().chars().count() < 10 {
        return Err(CaseError::NotNow("Beschrijf wat de correctie verbetert.".into()));
    }
    let now = Utc::now();
    let n = advies::ActiveModel {
        case_id: Set(c.id),
        board_id: Set(Some(c.board_id)),
        version: Set(a.version + 1),
        status: Set("concept".into()),
        corrects_id: Set(Some(a.id)),
        correction_note: Set(Some(note.trim().to_owned())),
        advies_date: Set(crate::admin::today()),
        section_a: Set(a.section_a.clone()),
        section_b: Set(a.section_b.clone()),
        section_c: Set(a.section_c.clone()),
        section_d: Set(a.section_d.clone()),
        outcome: Set(a.outcome.clone()),
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
    add_revision(tx, &n, &[]).await?;
    tx.audit(
        Some(c.id),
        "advies.correctie_gestart",
        json!({ "versie": n.version, "verbetert": a.version, "toelichting": note.trim() }),
    )
    .await?;
    Ok(())
}

/// The board's decision on the advies (WPO art 14 lid 7), recorded in its portal: the case
/// shows it, the decision term is met or missed, and the case closes with its outcome.
pub async fn record_board_decision(
    tx: &mut WriteTx,
    c: &case::Model,
    decided_on: NaiveDate,
    decision: &str,
    measures: &str,
    informed_on: NaiveDate,
) -> Result<(), CaseError> {
    if status_of(c) != CaseStatus::AdviesUitgebracht {
        return Err(CaseError::NotNow("Het bevoegd gezag beslist nadat het advies is uitgebracht.".into()));
    }
    if decision.trim().chars().count() < 10 {
        return Err(CaseError::NotNow("Beschrijf het besluit op het advies.".into()));
    }
    let today = crate::admin::today();
    if decided_on > today || informed_on > today {
        return Err(CaseError::NotNow("De datums kunnen niet in de toekomst liggen.".into()));
    }
    if informed_on < decided_on {
        return Err(CaseError::NotNow("Partijen en commissie worden na het besluit geïnformeerd.".into()));
    }
    let sent = advies::Entity::find()
        .filter(advies::Column::CaseId.eq(c.id))
        .filter(advies::Column::SentAt.is_not_null())
        .order_by_asc(advies::Column::Version)
        .one(tx.conn())
        .await?;
    if sent.as_ref().and_then(|a| a.sent_at).is_some_and(|t| decided_on < t.date_naive()) {
        return Err(CaseError::NotNow("Het besluit kan niet vóór het advies liggen.".into()));
    }
    board_decision::ActiveModel {
        case_id: Set(c.id),
        decided_on: Set(decided_on),
        decision: Set(decision.trim().to_owned()),
        measures: Set(measures.trim().to_owned()),
        informed_on: Set(informed_on),
        recorded_by: Set(tx.actor().user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    if let Some(term) = running(tx.conn(), c.id, DeadlineKind::BesluitBevoegdGezag).await? {
        let in_time = term.due_on.is_none_or(|due| decided_on <= due);
        let (status, why) =
            if in_time { (Status::Met, "besluit ontvangen") } else { (Status::Missed, "besluit na de termijn") };
        deadlines::close(tx, c, term.id, status, decided_on, why).await?;
    }
    set_case(tx, c, CaseStatus::Afgesloten, None).await?;
    tx.audit(
        Some(c.id),
        "besluit.vastgelegd",
        json!({ "besloten_op": decided_on, "partijen_geinformeerd_op": informed_on, "maatregelen": !measures.trim().is_empty() }),
    )
    .await?;
    Ok(())
}

/// What `/verifieer` reports about an advies.
#[derive(Debug, Clone)]
pub struct Verification {
    pub zaaknummer: String,
    pub version: i32,
    pub advies_date: NaiveDate,
    pub code: String,
    /// Signer, role and time of each signature that holds.
    pub valid: Vec<SignatureClaims>,
    /// Why a stored signature does not hold, if one does not.
    pub invalid: Vec<String>,
    /// A later version corrects this one.
    pub corrected_by: Option<i32>,
}

impl Verification {
    /// Authentic: signed by the chair and the secretary, both signatures holding.
    pub fn authentic(&self) -> bool {
        self.invalid.is_empty() && ["voorzitter", "secretaris"].iter().all(|r| self.valid.iter().any(|c| c.role == *r))
    }
}

/// Looks an advies up by its code or by the SHA-256 of its PDF and checks its signatures with
/// the commission's public key.
pub async fn verify(
    db: &impl ConnectionTrait,
    key: &crate::signing::AdviesKey,
    code: Option<&str>,
    sha256: Option<&str>,
) -> Result<Option<Verification>, DbErr> {
    let mut q = advies::Entity::find();
    q = match (code, sha256) {
        (Some(code), _) => q.filter(advies::Column::VerificationCode.eq(code)),
        (None, Some(h)) => q.filter(advies::Column::PdfSha256.eq(h)),
        (None, None) => return Ok(None),
    };
    let Some(a) = q.one(db).await? else { return Ok(None) };
    let Some(c) = case::Entity::find_by_id(a.case_id).one(db).await? else { return Ok(None) };
    let sigs = advies_signature::Entity::find().filter(advies_signature::Column::AdviesId.eq(a.id)).all(db).await?;
    let sha = a.pdf_sha256.clone().unwrap_or_default();
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for s in &sigs {
        match rules::verify(&key.public, &s.jws, &sha, &c.zaaknummer) {
            Ok(claims) => valid.push(claims),
            Err(e) => invalid.push(format!("{} ({}): {e}", s.signer_name, s.role)),
        }
    }
    let corrected_by = advies::Entity::find()
        .filter(advies::Column::CorrectsId.eq(a.id))
        .filter(advies::Column::SentAt.is_not_null())
        .one(db)
        .await?
        .map(|n| n.version);
    Ok(Some(Verification {
        zaaknummer: c.zaaknummer,
        version: a.version,
        advies_date: a.advies_date,
        code: a.verification_code.unwrap_or_default(),
        valid,
        invalid,
        corrected_by,
    }))
}

/// What waits for this user in the advies stage, for the start page: an advies to sign (the
/// chair of its panel first, then a secretary), one to send.
pub async fn waiting_for(
    db: &impl ConnectionTrait,
    user: &crate::auth::CurrentUser,
) -> Result<Vec<(String, String)>, DbErr> {
    let mut out = Vec::new();
    // A board's decisions owed are on its portal (`cases::portal`).
    if user.role == Role::Bestuur {
        return Ok(out);
    }
    let open =
        advies::Entity::find().filter(advies::Column::Status.is_in(["definitief", "ondertekend"])).all(db).await?;
    if open.is_empty() {
        return Ok(out);
    }
    let numbers = super::zaaknummers(db, open.iter().map(|a| a.case_id)).await?;
    let signed = advies_signature::Entity::find()
        .filter(advies_signature::Column::AdviesId.is_in(open.iter().map(|a| a.id)))
        .all(db)
        .await?;
    let chairs = crate::entities::panel_member::Entity::find()
        .filter(crate::entities::panel_member::Column::CaseId.is_in(open.iter().map(|a| a.case_id)))
        .filter(crate::entities::panel_member::Column::Role.eq(PanelRole::Voorzitter.code()))
        .all(db)
        .await?;
    for a in &open {
        let z = numbers.get(&a.case_id).cloned().unwrap_or_default();
        let chair_signed = signed.iter().any(|s| s.advies_id == a.id && s.role == "voorzitter");
        let chairs_this = chairs.iter().any(|p| p.case_id == a.case_id && Some(p.member_id) == user.member_id);
        let link = format!("/zaken/{z}/advies#ondertekening");
        match (a.status.as_str(), user.role) {
            ("definitief", Role::Voorzitter | Role::Lid) if chairs_this && !chair_signed => {
                out.push((link, format!("Zaak {z}: het advies wacht op uw handtekening als voorzitter (art. 25.3)")));
            }
            ("definitief", Role::Secretaris) if chair_signed => {
                out.push((link, format!("Zaak {z}: het advies wacht op de handtekening van de secretaris")));
            }
            ("ondertekend", Role::Secretaris | Role::Beheerder) => {
                out.push((link, format!("Zaak {z}: het ondertekende advies kan worden verzonden")));
            }
            _ => {}
        }
    }
    Ok(out)
}

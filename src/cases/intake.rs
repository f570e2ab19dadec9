//! Intake use cases (Art 11-13, 26): the completeness checklist, repair, admissibility, the
//! late-filing decision, forwarding to another commission or to the aangeklaagde, the
//! verweerschrift, and withdrawal. Each checks the step against the state machine in
//! [`crate::domain::intake`] first, then changes the case, its deadlines and its letters with
//! the audit entry, in the caller's `WriteTx`.

use super::CaseError;
use super::register::NewDocument;
use crate::audit::WriteTx;
use crate::deadlines;
use crate::domain::case::{CaseStatus, PartyRole};
use crate::domain::deadline::{DeadlineKind, Status};
use crate::domain::intake::{self, Checklist, Facts, LateFiling, Step};
use crate::domain::letter::{LetterKind, Values};
use crate::domain::termijn::Term;
use crate::entities::{case, deadline, document, party};
use crate::letters::compose::{To, send, send_with};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder,
};
use serde_json::json;

/// What the state machine needs, read from the case and its deadlines.
pub async fn facts(db: &impl ConnectionTrait, c: &case::Model) -> Result<Facts, DbErr> {
    let deadlines = deadline::Entity::find().filter(deadline::Column::CaseId.eq(c.id)).all(db).await?;
    let status_of = |d: &deadline::Model| Status::parse(&d.status);
    let late_filed =
        deadlines.iter().any(|d| d.kind == DeadlineKind::Indiening.code() && status_of(d) == Some(Status::Missed));
    let late = match (late_filed, c.late_decision.as_deref()) {
        (false, _) => LateFiling::InTime,
        (true, Some("aangenomen")) => LateFiling::Accepted,
        (true, Some("afgewezen")) => LateFiling::Refused,
        (true, _) => LateFiling::Pending,
    };
    let today = crate::admin::today();
    let repair_term_passed = deadlines.iter().any(|d| {
        d.kind == DeadlineKind::Herstel.code()
            && match status_of(d) {
                Some(Status::Missed) => true,
                Some(s) if s.is_running() => d.due_on.is_some_and(|due| due < today),
                _ => false,
            }
    });
    Ok(Facts {
        status: CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Ontvangen),
        checklist: Checklist::decode(&c.checklist),
        needs_translation: c.needs_translation,
        awaiting_signature: c.awaiting_signature,
        late,
        repair_term_passed,
        facts_known: c.facts_date.is_some(),
        consents: {
            let b: Vec<bool> = c.written_consent.chars().map(|ch| ch == '1').collect();
            [
                b.first().copied().unwrap_or(false),
                b.get(1).copied().unwrap_or(false),
                b.get(2).copied().unwrap_or(false),
            ]
        },
        written: {
            let running = |k: DeadlineKind| {
                deadlines.iter().any(|d| d.kind == k.code() && status_of(d).is_some_and(|s| s.is_running()))
            };
            if running(DeadlineKind::Repliek) {
                intake::WrittenPhase::Repliek
            } else if running(DeadlineKind::Dupliek) {
                intake::WrittenPhase::Dupliek
            } else {
                intake::WrittenPhase::None
            }
        },
        invited: crate::entities::hearing::Entity::find()
            .filter(crate::entities::hearing::Column::CaseId.eq(c.id))
            .filter(crate::entities::hearing::Column::Kind.eq("hoorzitting"))
            .filter(crate::entities::hearing::Column::InvitedAt.is_not_null())
            .one(db)
            .await?
            .is_some(),
    })
}

/// A case waiting for a chair's decision, for the start page.
#[derive(Debug, Clone, FromQueryResult)]
pub struct DecisionDue {
    pub zaaknummer: String,
    pub subject: String,
    /// `herstel` (the repair term passed, Art 11.7) or `te_laat` (late filing, Art 11.5).
    pub reason: String,
}

/// The cases in the viewer's scope on which a chair must decide: the repair term passed
/// without repair, or a late klaagschrift awaits the commission's decision. One query.
pub async fn decisions_due(
    db: &impl ConnectionTrait,
    scope: crate::domain::access::CaseScope,
) -> Result<Vec<DecisionDue>, DbErr> {
    use crate::cases::search::{Sql, scope_condition};
    let mut sql = Sql::new("");
    let today = sql.param(crate::admin::today());
    let cond = scope_condition(&mut sql, scope).map(|c| format!(" AND {c}")).unwrap_or_default();
    sql.text = format!(
        "SELECT c.zaaknummer, c.subject, 'herstel' AS reason FROM cases c WHERE c.status = 'herstel_gevraagd' \
         AND EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.kind = 'herstel' \
         AND (d.status = 'missed' OR (d.status IN ('open', 'extended') AND d.due_on < {today}))){cond} \
         UNION ALL \
         SELECT c.zaaknummer, c.subject, 'te_laat' AS reason FROM cases c WHERE c.status IN ('ontvangen', 'herstel_gevraagd') \
         AND c.late_decision IS NULL AND EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id \
         AND d.kind = 'indiening' AND d.status = 'missed'){cond} ORDER BY 1 LIMIT 100"
    );
    DecisionDue::find_by_statement(crate::db::stmt(db.get_database_backend(), &sql.text, sql.values)).all(db).await
}

/// Refuses a step the state does not allow, with the domain's Dutch reason.
async fn check(tx: &WriteTx, c: &case::Model, step: Step) -> Result<Facts, CaseError> {
    let f = facts(tx.conn(), c).await?;
    intake::allowed(&f, step).map_err(|why| CaseError::NotNow(why.to_owned()))?;
    Ok(f)
}

pub(crate) async fn parties(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<party::Model>, DbErr> {
    party::Entity::find().filter(party::Column::CaseId.eq(case_id)).order_by_asc(party::Column::Id).all(db).await
}

/// Correspondence goes to a party's gemachtigde when there is one.
pub(crate) fn addressee(parties: &[party::Model], role: PartyRole) -> Option<To> {
    let representative = match role {
        PartyRole::Klager => Some(PartyRole::GemachtigdeKlager),
        PartyRole::Aangeklaagde => Some(PartyRole::GemachtigdeAangeklaagde),
        _ => None,
    };
    representative
        .and_then(|r| parties.iter().find(|p| p.role == r.code()))
        .or_else(|| parties.iter().find(|p| p.role == role.code()))
        .map(|p| To::Party(p.id))
}

pub(crate) fn need(parties: &[party::Model], role: PartyRole) -> Result<To, CaseError> {
    addressee(parties, role).ok_or_else(|| {
        CaseError::NotNow(format!("De zaak noemt geen {}; voeg die eerst toe.", role.label().to_lowercase()))
    })
}

/// Moves the case to a new status (and outcome), returning the updated model.
async fn move_to(
    tx: &mut WriteTx,
    c: &case::Model,
    step: Step,
    change: impl FnOnce(&mut case::ActiveModel),
) -> Result<case::Model, DbErr> {
    let mut am: case::ActiveModel = c.clone().into();
    if let Some((status, outcome)) = intake::after(step) {
        super::set_status(&mut am, status);
        if let Some(o) = outcome {
            am.outcome = Set(Some(o.code().to_owned()));
        }
    }
    change(&mut am);
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await
}

/// Cancels every running deadline of a case that ends.
pub(crate) async fn cancel_running(tx: &mut WriteTx, c: &case::Model, why: &str) -> Result<(), CaseError> {
    let running: Vec<deadline::Model> = deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(c.id))
        .filter(deadline::Column::Status.is_in(["open", "extended", "suspended"]))
        .all(tx.conn())
        .await?;
    let today = crate::admin::today();
    for d in running {
        deadlines::close(tx, c, d.id, Status::Cancelled, today, why).await?;
    }
    super::hearings::call_off(tx, c, why).await
}

pub(crate) fn values(pairs: &[(&'static str, String)]) -> Values {
    pairs.iter().cloned().collect()
}

/// The running deadline of a kind, if any.
pub(crate) async fn running(
    db: &impl ConnectionTrait,
    case_id: i32,
    kind: DeadlineKind,
) -> Result<Option<deadline::Model>, DbErr> {
    deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(case_id))
        .filter(deadline::Column::Kind.eq(kind.code()))
        .filter(deadline::Column::Status.is_in(["open", "extended", "suspended"]))
        .order_by_desc(deadline::Column::Id)
        .one(db)
        .await
}

/// Art 11.9: every incoming document is acknowledged to its sender.
pub(crate) async fn acknowledge(
    tx: &mut WriteTx,
    c: &case::Model,
    d: &document::Model,
    from: PartyRole,
) -> Result<(), CaseError> {
    let ps = parties(tx.conn(), c.id).await?;
    if let Some(to) = addressee(&ps, from) {
        let v = values(&[("stuk", d.title.clone()), ("stuk_ontvangen_op", crate::domain::dutch::date(d.received_on))]);
        send(tx, c, LetterKind::OntvangstStuk, to, v).await?;
    }
    Ok(())
}

/// Art 11.3, 11.4: the secretary's confirmation of each requirement, and the translation flag.
pub async fn confirm_checklist(
    tx: &mut WriteTx,
    c: &case::Model,
    checklist: &Checklist,
    needs_translation: bool,
) -> Result<case::Model, CaseError> {
    check(tx, c, Step::ConfirmChecklist).await?;
    if !checklist.confirmed() {
        return Err(CaseError::NotNow("Geef bij elk vereiste aan of het aanwezig is of ontbreekt.".into()));
    }
    let encoded = checklist.encode();
    let updated = move_to(tx, c, Step::ConfirmChecklist, |am| {
        am.checklist = Set(encoded);
        am.needs_translation = Set(needs_translation);
    })
    .await?;
    let missing: Vec<&str> = checklist.missing().iter().map(|r| r.label()).collect();
    tx.audit(
        Some(c.id),
        "intake.volledigheid",
        json!({ "volledig": checklist.complete(), "ontbreekt": missing, "vertaling_nodig": needs_translation }),
    )
    .await?;
    Ok(updated)
}

/// Art 11.5: the date of the facts, learned after registration; the one-year term is judged.
pub async fn record_facts_date(tx: &mut WriteTx, c: &case::Model, on: NaiveDate) -> Result<(), CaseError> {
    check(tx, c, Step::RecordFactsDate).await?;
    if on > c.received_on {
        return Err(CaseError::NotNow("De feiten kunnen niet na de ontvangst van het klaagschrift liggen.".into()));
    }
    let updated = move_to(tx, c, Step::RecordFactsDate, |am| am.facts_date = Set(Some(on))).await?;
    tx.audit(Some(c.id), "intake.datum_feiten", json!({ "datum": on })).await?;
    super::register::judge_filing_term(tx, &updated).await
}

/// Art 11.2: the klager's signed copy of the verslag of an oral complaint.
pub async fn register_signed_verslag(tx: &mut WriteTx, c: &case::Model, doc: NewDocument) -> Result<(), CaseError> {
    check(tx, c, Step::RegisterSignedVerslag).await?;
    let d = super::documents::add(tx, c.id, doc).await?;
    move_to(tx, c, Step::RegisterSignedVerslag, |am| am.awaiting_signature = Set(false)).await?;
    acknowledge(tx, c, &d, PartyRole::Klager).await?;
    tx.audit(Some(c.id), "intake.verslag_ondertekend", json!({ "document": d.file_name, "ontvangen": d.received_on }))
        .await?;
    Ok(())
}

/// Art 11.4: the translation of a foreign-language klaagschrift.
pub async fn register_translation(tx: &mut WriteTx, c: &case::Model, doc: NewDocument) -> Result<(), CaseError> {
    check(tx, c, Step::RegisterTranslation).await?;
    let d = super::documents::add(tx, c.id, doc).await?;
    move_to(tx, c, Step::RegisterTranslation, |am| am.needs_translation = Set(false)).await?;
    acknowledge(tx, c, &d, PartyRole::Klager).await?;
    tx.audit(Some(c.id), "intake.vertaling", json!({ "document": d.file_name, "ontvangen": d.received_on })).await?;
    Ok(())
}

/// Art 11.5: the commission accepts a late klaagschrift anyway, or not, and why.
pub async fn decide_late_filing(
    tx: &mut WriteTx,
    c: &case::Model,
    accept: bool,
    reason: &str,
) -> Result<(), CaseError> {
    check(tx, c, Step::DecideLateFiling).await?;
    let decision = if accept { "aangenomen" } else { "afgewezen" };
    move_to(tx, c, Step::DecideLateFiling, |am| {
        am.late_decision = Set(Some(decision.to_owned()));
        am.late_reason = Set(Some(reason.to_owned()));
    })
    .await?;
    tx.audit(Some(c.id), "intake.te_laat_beslist", json!({ "beslissing": decision, "reden": reason })).await?;
    Ok(())
}

/// Art 11.7: the chair asks for repair; the letter lists exactly what is missing and the
/// two-week term (school holidays skipped) starts on the day of the letter.
pub async fn request_repair(tx: &mut WriteTx, c: &case::Model) -> Result<(), CaseError> {
    let f = check(tx, c, Step::RequestRepair).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let to = need(&ps, PartyRole::Klager)?;
    let today = crate::admin::today();
    let d = deadlines::open(tx, c, DeadlineKind::Herstel, today, None).await?;
    let due = d.due_on.map(crate::domain::dutch::date).unwrap_or_else(|| "(onbekend)".into());
    let missing: Vec<String> = f.checklist.missing().iter().map(|r| format!("- {}", r.label())).collect();
    let updated = move_to(tx, c, Step::RequestRepair, |_| {}).await?;
    send(
        tx,
        &updated,
        LetterKind::Herstelverzoek,
        to,
        values(&[("ontbrekend", missing.join("\n")), ("termijn", due.clone())]),
    )
    .await?;
    tx.audit(Some(c.id), "intake.herstel_gevraagd", json!({ "ontbreekt": missing, "uiterlijk": d.due_on })).await?;
    Ok(())
}

/// Art 11.7: the repair came in: the term is met (or was missed, if late), the repaired items
/// go back to unconfirmed for the secretary to check again.
pub async fn register_repair(tx: &mut WriteTx, c: &case::Model, doc: NewDocument) -> Result<(), CaseError> {
    let f = check(tx, c, Step::RegisterRepair).await?;
    let received = doc.received_on;
    let d = super::documents::add(tx, c.id, doc).await?;
    if let Some(term) = running(tx.conn(), c.id, DeadlineKind::Herstel).await? {
        let in_time = term.due_on.is_none_or(|due| received <= due);
        let (status, why) = if in_time {
            (Status::Met, "herstel op tijd ontvangen")
        } else {
            (Status::Missed, "herstel na de termijn ontvangen")
        };
        deadlines::close(tx, c, term.id, status, received, why).await?;
    }
    let mut checklist = f.checklist.clone();
    for r in f.checklist.missing() {
        checklist.items[intake::Requirement::ALL.iter().position(|x| *x == r).unwrap_or(0)] = None;
    }
    let encoded = checklist.encode();
    let updated = move_to(tx, c, Step::RegisterRepair, |am| am.checklist = Set(encoded)).await?;
    acknowledge(tx, &updated, &d, PartyRole::Klager).await?;
    tx.audit(Some(c.id), "intake.herstel_ontvangen", json!({ "document": d.file_name, "ontvangen": received })).await?;
    Ok(())
}

/// Tells the board how the case ended.
pub(crate) async fn tell_board(tx: &mut WriteTx, c: &case::Model, what: String) -> Result<(), CaseError> {
    send(tx, c, LetterKind::AfloopBevoegdGezag, To::Board, values(&[("afloop", what)])).await?;
    Ok(())
}

/// Art 11.5, 11.7: the chair declares the complaint niet-ontvankelijk, with reasons; the
/// klager gets the reasoned letter, the board is told, running terms end.
pub async fn declare_inadmissible(tx: &mut WriteTx, c: &case::Model, reason: &str) -> Result<(), CaseError> {
    check(tx, c, Step::DeclareInadmissible).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let to = need(&ps, PartyRole::Klager)?;
    cancel_running(tx, c, "zaak niet-ontvankelijk verklaard").await?;
    let updated = move_to(tx, c, Step::DeclareInadmissible, |_| {}).await?;
    send(tx, &updated, LetterKind::NietOntvankelijk, to, values(&[("motivering", reason.to_owned())])).await?;
    tell_board(tx, &updated, format!("De voorzitter heeft de klacht niet-ontvankelijk verklaard. Reden: {reason}"))
        .await?;
    tx.audit(Some(c.id), "intake.niet_ontvankelijk", json!({ "reden": reason })).await?;
    Ok(())
}

/// Art 11.10: forwarded with its receipt date to the competent commission; the klager is told.
pub async fn forward_to_other_commission(tx: &mut WriteTx, c: &case::Model, commission: &str) -> Result<(), CaseError> {
    check(tx, c, Step::ForwardToOtherCommission).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let to = need(&ps, PartyRole::Klager)?;
    cancel_running(tx, c, "zaak doorgezonden aan een andere commissie").await?;
    let updated = move_to(tx, c, Step::ForwardToOtherCommission, |_| {}).await?;
    send(tx, &updated, LetterKind::Doorgezonden, to, values(&[("andere_commissie", commission.to_owned())])).await?;
    tx.audit(Some(c.id), "intake.doorgezonden", json!({ "aan": commission, "ontvangen": c.received_on })).await?;
    Ok(())
}

/// Art 12.1, 12.2, 13.1: the klaagschrift and its documents go to the aangeklaagde, the board
/// is told, and the four-week verweerschrift term starts from the sending.
pub async fn forward_to_accused(tx: &mut WriteTx, c: &case::Model) -> Result<(), CaseError> {
    check(tx, c, Step::ForwardToAccused).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let to = need(&ps, PartyRole::Aangeklaagde)?;
    let today = crate::admin::today();
    let d = deadlines::open(tx, c, DeadlineKind::Verweerschrift, today, None).await?;
    let due = d.due_on.map(crate::domain::dutch::date).unwrap_or_else(|| "(onbekend)".into());
    // The documents the commission received; those reserved under Art 15 are left out per
    // recipient by the letter, which says so.
    let enclosures: Vec<i32> = document::Entity::find()
        .filter(document::Column::CaseId.eq(c.id))
        .filter(document::Column::Direction.eq("in"))
        .order_by_asc(document::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    let updated = move_to(tx, c, Step::ForwardToAccused, |_| {}).await?;
    send_with(tx, &updated, LetterKind::DoorzendingAangeklaagde, to, values(&[("termijn", due)]), &enclosures).await?;
    send(tx, &updated, LetterKind::MeldingBevoegdGezag, To::Board, Values::new()).await?;
    tx.audit(
        Some(c.id),
        "intake.doorgestuurd_aangeklaagde",
        json!({ "documenten": enclosures.len(), "verweerschrift_uiterlijk": d.due_on }),
    )
    .await?;
    Ok(())
}

/// Art 13.1: the chair extends the verweerschrift term, only for a reason recorded as
/// exceptional; both parties are told.
pub async fn extend_verweer(tx: &mut WriteTx, c: &case::Model, extra: Term, reason: &str) -> Result<(), CaseError> {
    check(tx, c, Step::ExtendVerweer).await?;
    let term = running(tx.conn(), c.id, DeadlineKind::Verweerschrift)
        .await?
        .ok_or_else(|| CaseError::NotNow("Er loopt geen termijn voor het verweerschrift.".into()))?;
    let d = deadlines::extend(tx, c, term.id, extra, &format!("uitzonderlijk: {reason}")).await?;
    let due = d.due_on.map(crate::domain::dutch::date).unwrap_or_else(|| "(onbekend)".into());
    let ps = parties(tx.conn(), c.id).await?;
    for role in [PartyRole::Aangeklaagde, PartyRole::Klager] {
        if let Some(to) = addressee(&ps, role) {
            send(
                tx,
                c,
                LetterKind::VerlengingVerweer,
                to,
                values(&[("termijn", due.clone()), ("motivering", reason.to_owned())]),
            )
            .await?;
        }
    }
    Ok(())
}

/// Art 13.1, 13.2: the verweerschrift came in; it goes to the klager without delay and the
/// term is met (or missed, when it came late).
pub async fn register_verweerschrift(tx: &mut WriteTx, c: &case::Model, doc: NewDocument) -> Result<(), CaseError> {
    check(tx, c, Step::RegisterVerweerschrift).await?;
    let received = doc.received_on;
    let d = super::documents::add(tx, c.id, doc).await?;
    if let Some(term) = running(tx.conn(), c.id, DeadlineKind::Verweerschrift).await? {
        let in_time = term.due_on.is_none_or(|due| received <= due);
        let (status, why) = if in_time {
            (Status::Met, "verweerschrift op tijd ontvangen")
        } else {
            (Status::Missed, "verweerschrift na de termijn ontvangen")
        };
        deadlines::close(tx, c, term.id, status, received, why).await?;
    }
    let ps = parties(tx.conn(), c.id).await?;
    let updated = move_to(tx, c, Step::RegisterVerweerschrift, |_| {}).await?;
    acknowledge(tx, &updated, &d, PartyRole::Aangeklaagde).await?;
    if let Some(to) = addressee(&ps, PartyRole::Klager) {
        send_with(
            tx,
            &updated,
            LetterKind::DoorzendingVerweerschrift,
            to,
            values(&[("stuk_ontvangen_op", crate::domain::dutch::date(received))]),
            &[d.id],
        )
        .await?;
    }
    tx.audit(Some(c.id), "intake.verweerschrift_ontvangen", json!({ "document": d.file_name, "ontvangen": received }))
        .await?;
    Ok(())
}

/// Art 26: the klager withdraws (in writing, dated and signed, or orally at the hearing); the
/// running terms end, the parties and the board are told.
pub async fn withdraw(tx: &mut WriteTx, c: &case::Model, on: NaiveDate, how: &str) -> Result<(), CaseError> {
    let f = check(tx, c, Step::Withdraw).await?;
    if on > crate::admin::today() {
        return Err(CaseError::NotNow("De datum van de intrekking kan niet in de toekomst liggen.".into()));
    }
    cancel_running(tx, c, "klacht ingetrokken").await?;
    let updated = move_to(tx, c, Step::Withdraw, |_| {}).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let forwarded = !matches!(f.status, CaseStatus::Ontvangen | CaseStatus::HerstelGevraagd);
    let date = crate::domain::dutch::date(on);
    let mut roles = vec![PartyRole::Klager];
    if forwarded {
        roles.push(PartyRole::Aangeklaagde);
    }
    for role in roles {
        if let Some(to) = addressee(&ps, role) {
            send(tx, &updated, LetterKind::Intrekking, to, values(&[("intrekking_op", date.clone())])).await?;
        }
    }
    tell_board(tx, &updated, format!("De klager heeft de klacht op {date} ingetrokken ({how}).")).await?;
    tx.audit(Some(c.id), "intake.ingetrokken", json!({ "op": on, "hoe": how })).await?;
    Ok(())
}

/// The complaint was resolved between the klager and the board (or the school) before the
/// advies: the case ends as opgelost; running terms and a planned hearing lapse; the parties
/// get a confirmation and the board is told.
pub async fn resolve(tx: &mut WriteTx, c: &case::Model, how: &str) -> Result<(), CaseError> {
    let f = check(tx, c, Step::Resolve).await?;
    cancel_running(tx, c, "klacht opgelost").await?;
    let updated = move_to(tx, c, Step::Resolve, |_| {}).await?;
    let ps = parties(tx.conn(), c.id).await?;
    let forwarded = !matches!(f.status, CaseStatus::Ontvangen | CaseStatus::HerstelGevraagd);
    let mut roles = vec![PartyRole::Klager];
    if forwarded {
        roles.push(PartyRole::Aangeklaagde);
    }
    for role in roles {
        if let Some(to) = addressee(&ps, role) {
            send(tx, &updated, LetterKind::Opgelost, to, values(&[("toelichting", how.to_owned())])).await?;
        }
    }
    tell_board(tx, &updated, format!("De klacht is opgelost: {how}")).await?;
    tx.audit(Some(c.id), "zaak.opgelost", json!({ "hoe": how })).await?;
    Ok(())
}

/// Art 16: the commission closes the case without a hearing because it is manifestly outside
/// its competence, or the complaint manifestly inadmissible, unfounded or founded. Only before
/// the parties are invited to a hearing. Both parties get the reasoned decision; the board is told.
pub async fn simplified(
    tx: &mut WriteTx,
    c: &case::Model,
    outcome: crate::domain::case::Outcome,
    reason: &str,
) -> Result<(), CaseError> {
    use crate::domain::case::Outcome;
    check(tx, c, Step::SimplifiedHandling).await?;
    let judgment = match outcome {
        Outcome::KennelijkOnbevoegd => "de commissie is kennelijk onbevoegd",
        Outcome::NietOntvankelijk => "de klacht is kennelijk niet-ontvankelijk",
        Outcome::Ongegrond => "de klacht is kennelijk ongegrond",
        Outcome::Gegrond => "de klacht is kennelijk gegrond",
        _ => return Err(CaseError::NotNow("Kies een van de uitkomsten van art. 16.".into())),
    };
    cancel_running(tx, c, "zaak vereenvoudigd afgedaan (art. 16)").await?;
    let updated =
        move_to(tx, c, Step::SimplifiedHandling, |am| am.outcome = Set(Some(outcome.code().to_owned()))).await?;
    let ps = parties(tx.conn(), c.id).await?;
    for role in [PartyRole::Klager, PartyRole::Aangeklaagde] {
        if let Some(to) = addressee(&ps, role) {
            send(
                tx,
                &updated,
                LetterKind::Vereenvoudigd,
                to,
                values(&[("beslissing", judgment.to_owned()), ("motivering", reason.to_owned())]),
            )
            .await?;
        }
    }
    tell_board(
        tx,
        &updated,
        format!("De commissie heeft de klacht zonder hoorzitting afgedaan (art. 16): {judgment}."),
    )
    .await?;
    tx.audit(Some(c.id), "zaak.vereenvoudigd", json!({ "uitkomst": outcome.label(), "reden": reason })).await?;
    Ok(())
}

/// Art 17: one of the three consents to written handling (0 commissie, 1 klager, 2 aangeklaagde).
pub async fn record_consent(tx: &mut WriteTx, c: &case::Model, who: usize) -> Result<(), CaseError> {
    check(tx, c, Step::RecordConsent).await?;
    let mut chars: Vec<char> = c.written_consent.chars().chain(std::iter::repeat('0')).take(3).collect();
    let Some(slot) = chars.get_mut(who) else { return Err(CaseError::NotNow("Kies wie instemt.".into())) };
    *slot = '1';
    let consent: String = chars.into_iter().collect();
    move_to(tx, c, Step::RecordConsent, |am| am.written_consent = Set(consent)).await?;
    tx.audit(Some(c.id), "schriftelijk.instemming", json!({ "door": intake::CONSENTING[who] })).await?;
    Ok(())
}

/// Art 17: with all consents, the chair sets the repliek and dupliek terms; the repliek term
/// starts now and both parties are told.
pub async fn start_written_handling(
    tx: &mut WriteTx,
    c: &case::Model,
    repliek: Term,
    dupliek: Term,
) -> Result<(), CaseError> {
    check(tx, c, Step::StartWrittenHandling).await?;
    let today = crate::admin::today();
    let d = deadlines::open(tx, c, DeadlineKind::Repliek, today, Some(repliek)).await?;
    let due = d.due_on.map(crate::domain::dutch::date).unwrap_or_else(|| "(onbekend)".into());
    let dupliek_text = dupliek.to_string();
    let updated =
        move_to(tx, c, Step::StartWrittenHandling, |am| am.dupliek_term = Set(Some(dupliek_text.clone()))).await?;
    let ps = parties(tx.conn(), c.id).await?;
    for role in [PartyRole::Klager, PartyRole::Aangeklaagde] {
        if let Some(to) = addressee(&ps, role) {
            let v = values(&[("termijn", due.clone()), ("dupliektermijn", dupliek_text.clone())]);
            send(tx, &updated, LetterKind::SchriftelijkeBehandeling, to, v).await?;
        }
    }
    tx.audit(Some(c.id), "schriftelijk.gestart", json!({ "repliek": repliek.to_string(), "dupliek": dupliek_text }))
        .await?;
    Ok(())
}

/// Closes the running deadline of `kind` as met or missed by the date received.
pub(crate) async fn close_by(
    tx: &mut WriteTx,
    c: &case::Model,
    kind: DeadlineKind,
    received: NaiveDate,
) -> Result<(), CaseError> {
    if let Some(term) = running(tx.conn(), c.id, kind).await? {
        let in_time = term.due_on.is_none_or(|due| received <= due);
        let (status, why) =
            if in_time { (Status::Met, "op tijd ontvangen") } else { (Status::Missed, "na de termijn ontvangen") };
        deadlines::close(tx, c, term.id, status, received, why).await?;
    }
    Ok(())
}

/// Art 17: the repliek came in: acknowledged, sent to the aangeklaagde, the dupliek term starts.
pub async fn register_repliek(tx: &mut WriteTx, c: &case::Model, doc: NewDocument) -> Result<(), CaseError> {
    check(tx, c, Step::RegisterRepliek).await?;
    let received = doc.received_on;
    let d = super::documents::add(tx, c.id, doc).await?;
    close_by(tx, c, DeadlineKind::Repliek, received).await?;
    let term = c
        .dupliek_term
        .as_deref()
        .and_then(|t| Term::parse(t).ok())
        .unwrap_or(Term::new(2, crate::domain::termijn::Unit::Weeks));
    let today = crate::admin::today();
    let dl = deadlines::open(tx, c, DeadlineKind::Dupliek, today, Some(term)).await?;
    let due = dl.due_on.map(crate::domain::dutch::date).unwrap_or_else(|| "(onbekend)".into());
    acknowledge(tx, c, &d, PartyRole::Klager).await?;
    let ps = parties(tx.conn(), c.id).await?;
    if let Some(to) = addressee(&ps, PartyRole::Aangeklaagde) {
        let v = values(&[
            ("stuk", "Repliek van de klager".to_owned()),
            ("stuk_ontvangen_op", crate::domain::dutch::date(received)),
            (
                "toelichting",
                format!("U kunt daarop uiterlijk op {due} schriftelijk reageren met een dupliek (artikel 17)."),
            ),
        ]);
        send_with(tx, c, LetterKind::DoorzendingStuk, to, v, &[d.id]).await?;
    }
    tx.audit(Some(c.id), "schriftelijk.repliek", json!({ "ontvangen": received, "dupliek_uiterlijk": dl.due_on }))
        .await?;
    Ok(())
}

/// Art 17, 25.1: the dupliek came in: sent to the klager; written handling ends, which closes the
/// investigation and starts the four-week advies term.
pub async fn register_dupliek(tx: &mut WriteTx, c: &case::Model, doc: NewDocument) -> Result<(), CaseError> {
    check(tx, c, Step::RegisterDupliek).await?;
    let received = doc.received_on;
    let d = super::documents::add(tx, c.id, doc).await?;
    close_by(tx, c, DeadlineKind::Dupliek, received).await?;
    let updated = move_to(tx, c, Step::RegisterDupliek, |_| {}).await?;
    deadlines::open(tx, &updated, DeadlineKind::Advies, crate::admin::today(), None).await?;
    acknowledge(tx, &updated, &d, PartyRole::Aangeklaagde).await?;
    let ps = parties(tx.conn(), c.id).await?;
    if let Some(to) = addressee(&ps, PartyRole::Klager) {
        let v = values(&[
            ("stuk", "Dupliek van de aangeklaagde".to_owned()),
            ("stuk_ontvangen_op", crate::domain::dutch::date(received)),
            ("toelichting", "Daarmee is de schriftelijke behandeling afgerond. De commissie sluit het onderzoek en brengt binnen vier weken advies uit (artikel 25.1).".to_owned()),
        ]);
        send_with(tx, &updated, LetterKind::DoorzendingStuk, to, v, &[d.id]).await?;
    }
    tx.audit(Some(c.id), "schriftelijk.afgerond", json!({ "ontvangen": received })).await?;
    Ok(())
}

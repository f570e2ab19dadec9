//! The investigation and hearing page of a case (Art 14, 18-23): planning with conflicts and
//! suggested dates, invitations, separate hearing, persons at the hearing, information
//! requests, presence, the proces-verbaal, a minor witness's record, closing and reopening.
//! A refused step re-renders the page with the Dutch reason beside its form and the input kept.

use crate::access_log::{self, What};
use crate::audit::WriteTx;
use crate::cases::{
    self, CaseError,
    hearings::{NewHearing, Owner, Presence},
    parties::NewPerson,
    register::NewDocument,
};
use crate::domain::access::{Action, Role};
use crate::domain::case::PartyRole;
use crate::domain::hearing::{self, AppearancePurpose, BroughtBy, HearingKind};
use crate::domain::termijn::Term;
use crate::domain::{upload, validate};
use crate::letters::compose::To;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::CaseCtx,
    form::{FieldErrors, Form, MultipartForm},
    registry::{Access, Routes},
    views::{self, hearings::Page},
};
use axum::{
    extract::{FromRequest, Path, Query, Request, State},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashMap;

const DECIDE: Access = Access::Action(Action::DecideTerms);

pub fn routes(r: Routes) -> Routes {
    r.get("/zaken/{zaaknummer}/zitting", Access::Case, page)
        .post("/zaken/{zaaknummer}/zitting", DECIDE, schedule)
        .post("/zaken/{zaaknummer}/zitting/verplaatsen", DECIDE, reschedule)
        .post("/zaken/{zaaknummer}/zitting/afzeggen", DECIDE, cancel)
        .post("/zaken/{zaaknummer}/zitting/uitnodigen", Access::ManageCase, invite)
        .post("/zaken/{zaaknummer}/zitting/apart-horen", DECIDE, decide_separately)
        .post("/zaken/{zaaknummer}/zitting/verzoek-apart-horen", Access::ManageCase, separate_request)
        .post("/zaken/{zaaknummer}/zitting/aanwezigheid", Access::ManageCase, record_held)
        .post("/zaken/{zaaknummer}/zitting/proces-verbaal", Access::ManageCase, minutes)
        .post("/zaken/{zaaknummer}/zitting/verslag-getuige", DECIDE, witness_record)
        .post("/zaken/{zaaknummer}/onderzoek/sluiten", Access::ManageCase, close)
        .post("/zaken/{zaaknummer}/onderzoek/heropenen", DECIDE, reopen)
        .post("/zaken/{zaaknummer}/inlichtingen", Access::ManageCase, request_information)
        .post("/zaken/{zaaknummer}/inlichtingen/{request_id}/antwoord", Access::ManageCase, answer)
        .post("/zaken/{zaaknummer}/personen", Access::ManageCase, add_person)
        .post("/zaken/{zaaknummer}/personen/{party_id}/verhinderd", Access::ManageCase, party_unavailable)
        .post(
            "/zaken/{zaaknummer}/verhinderingen/{unavailability_id}/verwijderen",
            Access::ManageCase,
            remove_party_unavailable,
        )
}

/// The form input, kept to fill the form again after an error.
pub type Input = HashMap<String, String>;

fn input(pairs: Vec<(String, String)>) -> Input {
    pairs.into_iter().map(|(k, v)| (k, v.trim().to_owned())).collect()
}

fn get<'a>(i: &'a Input, name: &str) -> &'a str {
    i.get(name).map_or("", String::as_str)
}

/// The commission's own working page: board users see the case page, not this one.
fn commission_only(cc: &CaseCtx) -> Result<(), AppError> {
    if cc.ctx.user.role == Role::Bestuur { Err(AppError::Forbidden) } else { Ok(()) }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CheckQuery {
    datum: String,
    tijd: String,
    duur: String,
    plaats: String,
    soort: String,
    doel: String,
}

/// The page; with `?datum=...&tijd=...` it checks that date and suggests others, with the
/// planning form filled in.
async fn page(State(state): State<AppState>, cc: CaseCtx, Query(q): Query<CheckQuery>) -> AppResult<Response> {
    commission_only(&cc)?;
    let mut i = Input::new();
    for (k, v) in [
        ("datum", q.datum),
        ("tijd", q.tijd),
        ("duur", q.duur),
        ("plaats", q.plaats),
        ("soort", q.soort),
        ("doel", q.doel),
    ] {
        if !v.is_empty() {
            i.insert(k.to_owned(), v);
        }
    }
    let check = !get(&i, "datum").is_empty();
    let (case_id, user_id) = (cc.case.id, cc.ctx.user.id);
    let resp = render(&state, cc, i, FieldErrors::default(), check, axum::http::StatusCode::OK).await?;
    access_log::record(&state.db, case_id, Some(user_id), What::Zitting, None).await?;
    Ok(resp)
}

async fn render(
    state: &AppState,
    cc: CaseCtx,
    input: Input,
    errors: FieldErrors,
    check: bool,
    status: axum::http::StatusCode,
) -> AppResult<Response> {
    let p = load_page(state, &cc.case, &input, check).await?;
    Ok((status, views::hearings::page(&cc.ctx, &p, &input, &errors)).into_response())
}

async fn refuse(
    state: &AppState,
    cc: CaseCtx,
    input: Input,
    field: &str,
    msg: impl Into<String>,
) -> AppResult<Response> {
    let mut e = FieldErrors::default();
    e.add(field, msg);
    render(state, cc, input, e, false, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Commits and goes back to the page, or shows the refusal beside the form with nothing written.
async fn done(
    state: &AppState,
    cc: CaseCtx,
    tx: WriteTx,
    result: Result<(), CaseError>,
    input: Input,
    field: &str,
    anchor: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => {
            tx.commit().await?;
            state.mail_queued();
            Ok(Redirect::to(&format!("/zaken/{}/zitting#{anchor}", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            refuse(state, cc, input, field, e.to_string()).await
        }
    }
}

async fn form(state: &AppState, req: Request) -> AppResult<Input> {
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state).await?;
    Ok(input(pairs))
}

/// Date, time and duration from a form.
fn when(i: &Input) -> Result<(NaiveDateTime, i64), String> {
    let day = validate::date(get(i, "datum")).map_err(|e| format!("Datum: {e}"))?;
    let time = NaiveTime::parse_from_str(get(i, "tijd"), "%H:%M")
        .map_err(|_| "Tijd: vul een tijd in als 14:00.".to_owned())?;
    let minutes: i64 = match get(i, "duur") {
        "" => 90,
        d => d.parse().map_err(|_| "Duur: vul het aantal minuten in.".to_owned())?,
    };
    Ok((day.and_time(time), minutes))
}

/// Conflicts that make a date unsuitable stop the form until the chair confirms the date.
async fn unconfirmed_conflicts(state: &AppState, cc: &CaseCtx, start: NaiveDateTime, i: &Input) -> AppResult<bool> {
    if get(i, "bevestigd") == "ja" {
        return Ok(false);
    }
    let data = cases::hearings::plan_data(&state.db, &cc.case).await?;
    let found = hearing::conflicts(start, crate::admin::today(), &data.plan());
    Ok(found.iter().any(|c| c.makes_unsuitable()))
}

/// "Datum controleren" on a planning form: the page again with the date checked, nothing saved.
async fn check_only(state: &AppState, cc: CaseCtx, mut i: Input, form_name: &str) -> AppResult<Response> {
    if let Err(e) = when(&i) {
        return refuse(state, cc, i, form_name, e).await;
    }
    i.insert("controle".into(), form_name.into());
    render(state, cc, i, FieldErrors::default(), true, axum::http::StatusCode::OK).await
}

async fn schedule(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    if get(&i, "actie") == "controleren" {
        return check_only(&state, cc, i, "plannen").await;
    }
    let (start, duration) = match when(&i) {
        Ok(x) => x,
        Err(e) => return refuse(&state, cc, i, "plannen", e).await,
    };
    let Some(kind) = HearingKind::parse(get(&i, "soort")) else {
        return refuse(&state, cc, i, "plannen", "Kies hoorzitting of verschijning vooraf.").await;
    };
    let purpose = AppearancePurpose::parse(get(&i, "doel"));
    if kind == HearingKind::Verschijning && purpose.is_none() {
        return refuse(&state, cc, i, "plannen", "Kies het doel van de verschijning (art. 14.2).").await;
    }
    if get(&i, "plaats").chars().count() > 500 {
        return refuse(&state, cc, i, "plannen", "De plaats is te lang.").await;
    }
    if unconfirmed_conflicts(&state, &cc, start, &i).await? {
        let mut e = FieldErrors::default();
        e.add("plannen", "Op deze datum staat iets in de weg (zie hieronder). Kies een andere datum of bevestig deze.");
        return render(&state, cc, i, e, true, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let new = NewHearing { kind, purpose, start, duration_minutes: duration, place: get(&i, "plaats").to_owned() };
    let r = cases::hearings::schedule(&mut tx, &c, new).await.map(|_| ());
    done(&state, cc, tx, r, i, "plannen", "zitting").await
}

async fn reschedule(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    if get(&i, "actie") == "controleren" {
        return check_only(&state, cc, i, "verplaatsen").await;
    }
    let (start, duration) = match when(&i) {
        Ok(x) => x,
        Err(e) => return refuse(&state, cc, i, "verplaatsen", e).await,
    };
    if get(&i, "reden").chars().count() < 5 || get(&i, "reden").chars().count() > 2000 {
        return refuse(&state, cc, i, "verplaatsen", "Geef de reden van de wijziging; die staat in de brief.").await;
    }
    if unconfirmed_conflicts(&state, &cc, start, &i).await? {
        let mut e = FieldErrors::default();
        e.add(
            "verplaatsen",
            "Op deze datum staat iets in de weg (zie de controle). Kies een andere datum of bevestig deze.",
        );
        let mut shown = i.clone();
        shown.insert("controle".into(), "verplaatsen".into());
        return render(&state, cc, shown, e, true, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::reschedule(&mut tx, &c, start, duration, get(&i, "plaats"), get(&i, "reden"))
        .await
        .map(|_| ());
    done(&state, cc, tx, r, i, "verplaatsen", "zitting").await
}

async fn cancel(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::cancel(&mut tx, &c, get(&i, "reden")).await;
    done(&state, cc, tx, r, i, "afzeggen", "zitting").await
}

async fn invite(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::invite(&mut tx, &c).await;
    done(&state, cc, tx, r, Input::new(), "uitnodigen", "zitting").await
}

async fn decide_separately(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    let separately = match get(&i, "apart") {
        "ja" => true,
        "nee" => false,
        _ => return refuse(&state, cc, i, "apart", "Kies of de partijen apart worden gehoord.").await,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::decide_separately(&mut tx, &c, separately, get(&i, "motivering")).await;
    done(&state, cc, tx, r, i, "apart", "zitting").await
}

/// A received document from a multipart form: its receipt date and the file, checked.
fn received_document(mp: &MultipartForm, title: String) -> Result<NewDocument, String> {
    let received_on = validate::date(mp.get("ontvangen")).map_err(|e| format!("Datum van ontvangst: {e}"))?;
    if received_on > crate::admin::today() {
        return Err("De datum van ontvangst kan niet in de toekomst liggen.".into());
    }
    let f = mp.files.iter().find(|f| f.field == "bestand").ok_or("Kies het bestand.")?;
    let file_name = upload::clean_file_name(&f.file_name).map_err(|e| e.to_string())?;
    let media_type = upload::check(&f.content_type, &file_name, &f.bytes).map_err(|e| e.to_string())?;
    Ok(NewDocument { title, file_name, media_type: media_type.to_owned(), received_on, bytes: f.bytes.clone() })
}

fn multipart_input(mp: &MultipartForm) -> Input {
    mp.fields.iter().map(|(k, v)| (k.clone(), v.trim().to_owned())).collect()
}

async fn separate_request(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let i = multipart_input(&mp);
    let from = match mp.get("van") {
        "klager" => PartyRole::Klager,
        "aangeklaagde" => PartyRole::Aangeklaagde,
        _ => return refuse(&state, cc, i, "verzoek-apart", "Kies van wie het verzoek komt.").await,
    };
    let doc = match received_document(
        &mp,
        format!("Verzoek van de {} om apart te worden gehoord (art. 20.4)", from.label().to_lowercase()),
    ) {
        Ok(d) => d,
        Err(e) => return refuse(&state, cc, i, "verzoek-apart", e).await,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::register_separate_request(&mut tx, &c, from, doc).await;
    done(&state, cc, tx, r, i, "verzoek-apart", "zitting").await
}

async fn record_held(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let has = |name: String| pairs.iter().any(|(k, v)| *k == name && v == "ja");
    let seats = cases::hearings::panel(&state.db, cc.case.id).await?;
    let ps = cases::intake::parties(&state.db, cc.case.id).await?;
    let mut presence: Vec<Presence> = seats
        .iter()
        .map(|(_, m)| Presence {
            party_id: None,
            member_id: Some(m.id),
            present: has(format!("lid-{}", m.id)),
            heard_separately: false,
        })
        .collect();
    presence.extend(ps.iter().map(|p| Presence {
        party_id: Some(p.id),
        member_id: None,
        present: has(format!("partij-{}", p.id)),
        heard_separately: has(format!("apart-{}", p.id)),
    }));
    let i = input(pairs);
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::record_held(&mut tx, &c, &presence).await;
    done(&state, cc, tx, r, i, "aanwezigheid", "verloop").await
}

async fn minutes(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let i = form(&state, req).await?;
    let text = get(&i, "tekst").to_owned();
    if text.chars().count() > 100_000 {
        return refuse(&state, cc, i, "proces-verbaal", "Het proces-verbaal is te lang (ten hoogste 100.000 tekens).")
            .await;
    }
    let settled = match get(&i, "schikking") {
        "ja" => Some(true),
        "nee" => Some(false),
        _ => None,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = if get(&i, "actie") == "vaststellen" {
        cases::hearings::finalise_minutes(&mut tx, &c, &text, settled).await
    } else {
        cases::hearings::save_minutes(&mut tx, &c, &text).await
    };
    done(&state, cc, tx, r, i, "proces-verbaal", "verloop").await
}

async fn witness_record(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let i = multipart_input(&mp);
    let Ok(witness) = mp.get("getuige").parse::<i32>() else {
        return refuse(&state, cc, i, "verslag-getuige", "Kies de getuige.").await;
    };
    let term = match Term::parse(mp.get("termijn")) {
        Ok(t) => t,
        Err(e) => return refuse(&state, cc, i, "verslag-getuige", format!("Termijn: {e}")).await,
    };
    let doc = match received_document(&mp, "Verslag van het horen van een minderjarige getuige (art. 21.6)".into()) {
        Ok(d) => d,
        Err(e) => return refuse(&state, cc, i, "verslag-getuige", e).await,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::send_witness_record(&mut tx, &c, witness, doc, term).await;
    done(&state, cc, tx, r, i, "verslag-getuige", "verloop").await
}

async fn close(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::close_investigation(&mut tx, &c).await;
    done(&state, cc, tx, r, Input::new(), "onderzoek", "onderzoek").await
}

async fn reopen(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    if get(&i, "voortzetting").chars().count() > 4000 {
        return refuse(&state, cc, i, "onderzoek", "De toelichting is te lang (ten hoogste 4000 tekens).").await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::reopen(&mut tx, &c, get(&i, "voortzetting")).await;
    done(&state, cc, tx, r, i, "onderzoek", "onderzoek").await
}

async fn request_information(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let i = form(&state, req).await?;
    let Some(to) = To::parse(get(&i, "aan")) else {
        return refuse(&state, cc, i, "inlichtingen", "Kies aan wie de commissie het vraagt.").await;
    };
    let due = match validate::date(get(&i, "uiterlijk")) {
        Ok(d) => d,
        Err(e) => return refuse(&state, cc, i, "inlichtingen", format!("Antwoord uiterlijk: {e}")).await,
    };
    if get(&i, "vraag").chars().count() > 4000 {
        return refuse(&state, cc, i, "inlichtingen", "De vraag is te lang (ten hoogste 4000 tekens).").await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::request_information(&mut tx, &c, to, get(&i, "vraag"), due).await.map(|_| ());
    done(&state, cc, tx, r, i, "inlichtingen", "inlichtingen").await
}

async fn answer(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, request_id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let i = multipart_input(&mp);
    let field = format!("antwoord-{request_id}");
    let doc = match received_document(&mp, "Inlichtingen (art. 14.1)".into()) {
        Ok(d) => d,
        Err(e) => return refuse(&state, cc, i, &field, e).await,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::hearings::register_answer(&mut tx, &c, request_id, doc).await;
    done(&state, cc, tx, r, i, &field, "inlichtingen").await
}

async fn add_person(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let i = form(&state, req).await?;
    let mut errors = FieldErrors::default();
    let name = errors.check("personen", validate::required(get(&i, "naam"), 200));
    let email = errors.check("personen", validate::optional_email(get(&i, "email")));
    let announced = errors.check("personen", validate::optional_date(get(&i, "opgegeven")));
    if get(&i, "adres").chars().count() > 1000 || get(&i, "telefoon").chars().count() > 50 {
        errors.add("personen", "Adres of telefoonnummer is te lang.");
    }
    let (Some(name), Some(email), Some(announced_on), true) = (name, email, announced, errors.is_empty()) else {
        return render(&state, cc, i, errors, false, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let p = NewPerson {
        role: PartyRole::parse(get(&i, "rol")),
        name,
        address: Some(get(&i, "adres").to_owned()),
        email,
        phone: Some(get(&i, "telefoon").to_owned()),
        minor: get(&i, "minderjarig") == "ja",
        brought_by: BroughtBy::parse(get(&i, "door")),
        announced_on,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::parties::add_person(&mut tx, &c, p).await.map(|_| ());
    done(&state, cc, tx, r, i, "personen", "personen").await
}

fn period(i: &Input) -> Result<(NaiveDate, NaiveDate), String> {
    let from = validate::date(get(i, "van")).map_err(|e| format!("Van: {e}"))?;
    let to = match get(i, "tot") {
        "" => from,
        t => validate::date(t).map_err(|e| format!("Tot en met: {e}"))?,
    };
    if get(i, "notitie").chars().count() > 200 {
        return Err("De toelichting is te lang (ten hoogste 200 tekens).".into());
    }
    Ok((from, to))
}

async fn party_unavailable(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, party_id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let i = form(&state, req).await?;
    let field = format!("verhinderd-{party_id}");
    let ps = cases::intake::parties(&state.db, cc.case.id).await?;
    if !ps.iter().any(|p| p.id == party_id) {
        return Err(AppError::NotFound);
    }
    let (from, to) = match period(&i) {
        Ok(x) => x,
        Err(e) => return refuse(&state, cc, i, &field, e).await,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r =
        cases::hearings::add_unavailability(&mut tx, Some(c.id), Owner::Party(party_id), from, to, get(&i, "notitie"))
            .await
            .map(|_| ());
    done(&state, cc, tx, r, i, &field, "personen").await
}

async fn remove_party_unavailable(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, id)): Path<(String, i32)>,
) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let u = crate::entities::unavailability::Entity::find_by_id(id).one(&state.db).await?;
    let ps = cases::intake::parties(&state.db, cc.case.id).await?;
    let Some(party_id) = u.and_then(|u| u.party_id).filter(|pid| ps.iter().any(|p| p.id == *pid)) else {
        return Err(AppError::NotFound);
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    cases::hearings::remove_unavailability(&mut tx, Some(cc.case.id), Owner::Party(party_id), id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/zaken/{}/zitting#personen", cc.case.zaaknummer)).into_response())
}

/// Everything the page shows, in a fixed number of queries.
async fn load_page(state: &AppState, c: &crate::entities::case::Model, i: &Input, check: bool) -> AppResult<Page> {
    use crate::domain::deadline::{DeadlineKind, Status};
    let db = &state.db;
    let today = crate::admin::today();
    let facts = cases::hearings::facts(db, c).await?;
    let hearings = cases::hearings::all(db, c.id).await?;
    let attendance = cases::hearings::attendance(db, hearings.iter().map(|h| h.id)).await?;
    let panel = cases::hearings::panel(db, c.id).await?;
    let parties = cases::intake::parties(db, c.id).await?;
    let unavailable = cases::hearings::party_unavailability(db, parties.iter().map(|p| p.id)).await?;
    let requests = cases::hearings::requests(db, c.id).await?;
    let recipients = crate::letters::compose::recipients(db, c).await?;
    let deadlines = crate::deadlines::for_case(db, c.id).await?;
    let due = |k: DeadlineKind, running_only: bool| {
        deadlines
            .iter()
            .filter(|d| d.kind == k.code())
            .filter(|d| !running_only || Status::parse(&d.status).is_some_and(|s| s.is_running()))
            .filter_map(|d| d.due_on)
            .max()
    };
    let data = cases::hearings::plan_data(db, c).await?;
    let plan = data.plan();
    let planned_conflicts = hearings
        .iter()
        .find(|h| h.status == "gepland")
        .map(|h| hearing::conflicts(cases::hearings::local(h.starts_at), today, &plan))
        .unwrap_or_default();
    let checked =
        if check { when(i).ok().map(|(start, _)| (start, hearing::conflicts(start, today, &plan))) } else { None };
    let time = NaiveTime::parse_from_str(get(i, "tijd"), "%H:%M")
        .unwrap_or(NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default());
    let from = checked.as_ref().map_or(today + chrono::TimeDelta::days(7), |(s, _)| s.date());
    let suggestions = hearing::suggest(from, time, today, &plan, 5, 120);
    let minors: Vec<(PartyRole, bool)> =
        parties.iter().filter_map(|p| PartyRole::parse(&p.role).map(|r| (r, p.minor))).collect();
    Ok(Page {
        case: c.clone(),
        steps: hearing::steps(&facts, today),
        facts,
        hearings,
        attendance,
        panel,
        unavailable,
        requests,
        recipients,
        art18_due: data.due,
        art18_suspended: deadlines
            .iter()
            .any(|d| d.kind == DeadlineKind::Hoorzitting.code() && d.status == Status::Suspended.code()),
        witness_due: due(DeadlineKind::Getuigen, true),
        response_due: due(DeadlineKind::Reactie, true),
        advies_due: due(DeadlineKind::Advies, true),
        planned_conflicts,
        checked,
        suggestions,
        separately_in_principle: hearing::separately_in_principle(&minors),
        parties,
    })
}

use sea_orm::EntityTrait;

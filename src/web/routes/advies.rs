//! Deliberation and the advies of a case (Art 24, 25), the board's decision in its portal, and
//! the public verification of a signed advies (`/verifieer`, `/.well-known/jwks.json`).

use crate::access_log::{self, What};
use crate::audit::WriteTx;
use crate::cases::{self, CaseError};
use crate::domain::access::{Action, Role};
use crate::domain::advies::Sections;
use crate::domain::deliberation::{self, Question};
use crate::domain::validate;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::{CaseCtx, CsrfToken},
    form::{FieldErrors, Form, MultipartForm},
    registry::{Access, Routes},
    views::{self, advies::Page},
};
use axum::{
    extract::{FromRequest, Query, Request, State},
    response::{IntoResponse, Redirect, Response},
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const DECIDE: Access = Access::Action(Action::DecideTerms);

pub fn routes(r: Routes) -> Routes {
    r.get("/zaken/{zaaknummer}/advies", Access::Case, page)
        .post("/zaken/{zaaknummer}/beraadslaging", Access::ManageCase, deliberate)
        .post("/zaken/{zaaknummer}/advies/concept", DECIDE, start_draft)
        .post("/zaken/{zaaknummer}/advies", DECIDE, save_draft)
        .post("/zaken/{zaaknummer}/advies/opmerkingen", Access::Case, comment)
        .post("/zaken/{zaaknummer}/advies/vaststellen", DECIDE, finalize)
        .post("/zaken/{zaaknummer}/advies/ondertekenen", Access::Case, sign)
        .post("/zaken/{zaaknummer}/advies/verzenden", Access::ManageCase, send)
        .post("/zaken/{zaaknummer}/advies/verlengen", DECIDE, extend)
        .post("/zaken/{zaaknummer}/advies/correctie", DECIDE, correction)
        .post("/zaken/{zaaknummer}/besluit", Access::Case, board_decision)
        .get("/verifieer", Access::Public, verify_page)
        .post("/verifieer", Access::Public, verify_submit)
        .get("/.well-known/jwks.json", Access::Public, jwks)
}

pub type Input = HashMap<String, String>;

fn get<'a>(i: &'a Input, name: &str) -> &'a str {
    i.get(name).map_or("", String::as_str)
}

async fn form(state: &AppState, req: Request) -> AppResult<Input> {
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state).await?;
    Ok(pairs.into_iter().map(|(k, v)| (k, v.replace("\r\n", "\n").trim().to_owned())).collect())
}

/// The commission's working page; board users see the sent advies on the case page.
fn commission_only(cc: &CaseCtx) -> Result<(), AppError> {
    if cc.ctx.user.role == Role::Bestuur { Err(AppError::Forbidden) } else { Ok(()) }
}

async fn page(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    commission_only(&cc)?;
    let (case_id, user_id) = (cc.case.id, cc.ctx.user.id);
    let resp = render(&state, cc, Input::new(), FieldErrors::default(), axum::http::StatusCode::OK).await?;
    access_log::record(&state.db, case_id, Some(user_id), What::Advies, None).await?;
    Ok(resp)
}

async fn render(
    state: &AppState,
    cc: CaseCtx,
    input: Input,
    errors: FieldErrors,
    status: axum::http::StatusCode,
) -> AppResult<Response> {
    let db = &state.db;
    let c = &cc.case;
    let dossier = cases::advies::load(db, c.id).await?;
    let panel = cases::hearings::panel(db, c.id).await?;
    let deadlines = crate::deadlines::for_case(db, c.id).await?;
    let advies_term = deadlines.iter().filter(|d| d.kind == "advies").max_by_key(|d| d.id).cloned();
    let decision_term = deadlines.iter().filter(|d| d.kind == "besluit_bevoegd_gezag").max_by_key(|d| d.id).cloned();
    let parts = parts_of(&input, c);
    let questions = deliberation::questions(&parts, get(&input, "maatregelen") == "ja");
    let p = Page { case: c.clone(), dossier, panel, advies_term, decision_term, parts, questions };
    Ok((status, views::advies::page(&cc.ctx, &p, &input, &errors)).into_response())
}

/// The parts of the complaint as the secretary listed them; by default the subject.
fn parts_of(i: &Input, c: &crate::entities::case::Model) -> Vec<String> {
    match i.get("onderdelen") {
        Some(text) => text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).take(20).collect(),
        None => vec![c.subject.trim_end_matches('.').to_owned()],
    }
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
    render(state, cc, input, e, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn done(
    state: &AppState,
    cc: CaseCtx,
    tx: WriteTx,
    result: Result<(), CaseError>,
    input: Input,
    field: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => {
            tx.commit().await?;
            state.mail_queued();
            Ok(Redirect::to(&format!("/zaken/{}/advies#{field}", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            refuse(state, cc, input, field, e.to_string()).await
        }
    }
}

/// Art 24. "Vragen opstellen" lays out the questions for the parts listed (nothing saved);
/// "Vastleggen" records the deliberation with every vote.
async fn deliberate(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let i = form(&state, req).await?;
    if get(&i, "actie") == "opstellen" {
        return render(&state, cc, i, FieldErrors::default(), axum::http::StatusCode::OK).await;
    }
    let held_on = match validate::date(get(&i, "datum")) {
        Ok(d) => d,
        Err(e) => return refuse(&state, cc, i, "beraadslaging", format!("Datum: {e}")).await,
    };
    let parts = parts_of(&i, &cc.case);
    if parts.is_empty() {
        return refuse(&state, cc, i, "beraadslaging", "Noem ten minste één onderdeel van de klacht.").await;
    }
    let questions: Vec<Question> = deliberation::questions(&parts, get(&i, "maatregelen") == "ja");
    let panel = cases::hearings::panel(&state.db, cc.case.id).await?;
    let present: Vec<i32> =
        panel.iter().filter(|(_, m)| get(&i, &format!("aanwezig-{}", m.id)) == "ja").map(|(_, m)| m.id).collect();
    let mut with_votes = Vec::new();
    for (n, q) in questions.into_iter().enumerate() {
        let mut votes = Vec::new();
        for (_, m) in &panel {
            match get(&i, &format!("stem-{n}-{}", m.id)) {
                "ja" => votes.push((m.id, true)),
                "nee" => votes.push((m.id, false)),
                _ => {}
            }
        }
        with_votes.push((q, votes));
    }
    if get(&i, "notities").chars().count() > 4000 {
        return refuse(&state, cc, i, "beraadslaging", "De aantekeningen zijn te lang (ten hoogste 4000 tekens).")
            .await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let d = cases::advies::NewDeliberation {
        held_on,
        present,
        questions: with_votes,
        notes: get(&i, "notities").to_owned(),
    };
    let r = cases::advies::record_deliberation(&mut tx, &c, d).await;
    done(&state, cc, tx, r, i, "beraadslaging").await
}

async fn start_draft(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::start_draft(&mut tx, &c).await.map(|_| ());
    done(&state, cc, tx, r, Input::new(), "concept").await
}

async fn save_draft(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    let date = match validate::date(get(&i, "datum")) {
        Ok(d) => d,
        Err(e) => return refuse(&state, cc, i, "concept", format!("Datum van het advies: {e}")).await,
    };
    let s = Sections {
        a: get(&i, "a").to_owned(),
        b: get(&i, "b").to_owned(),
        c: get(&i, "c").to_owned(),
        d: get(&i, "d").to_owned(),
    };
    if s.all().iter().any(|t| t.chars().count() > 50_000) {
        return refuse(&state, cc, i, "concept", "Een onderdeel is te lang (ten hoogste 50.000 tekens).").await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::save_draft(&mut tx, &c, s, date).await.map(|_| ());
    done(&state, cc, tx, r, i, "concept").await
}

/// Comments come from the commission: the secretariat and the members of this panel.
async fn comment(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    commission_only(&cc)?;
    let i = form(&state, req).await?;
    if get(&i, "opmerking").chars().count() > 4000 {
        return refuse(&state, cc, i, "opmerkingen", "De opmerking is te lang (ten hoogste 4000 tekens).").await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::comment(&mut tx, &c, get(&i, "opmerking")).await;
    done(&state, cc, tx, r, i, "opmerkingen").await
}

async fn finalize(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let url = format!("{}/verifieer", state.config.base_url());
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::finalize(&mut tx, &c, &url).await;
    done(&state, cc, tx, r, Input::new(), "ondertekening").await
}

/// Art 25.3: signing needs the signer's password again.
async fn sign(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    commission_only(&cc)?;
    let i = form(&state, req).await?;
    let u =
        crate::entities::user::Entity::find_by_id(cc.ctx.user.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let password = get(&i, "wachtwoord").to_owned();
    // The password is not kept for the page.
    let shown = Input::new();
    if !crate::auth::password::verify(password, Some(u.password_hash.clone())).await {
        return refuse(
            &state,
            cc,
            shown,
            "ondertekening",
            "Het wachtwoord klopt niet; het advies is niet ondertekend.",
        )
        .await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::sign(&mut tx, &c, &u, &state.config.advies_key).await;
    done(&state, cc, tx, r, shown, "ondertekening").await
}

async fn send(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::send_advies(&mut tx, &c).await;
    done(&state, cc, tx, r, Input::new(), "verzending").await
}

async fn extend(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::extend_term(&mut tx, &c, get(&i, "reden")).await;
    done(&state, cc, tx, r, i, "termijn").await
}

async fn correction(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let i = form(&state, req).await?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let r = cases::advies::start_correction(&mut tx, &c, get(&i, "toelichting")).await;
    done(&state, cc, tx, r, i, "verzending").await
}

/// The board records its decision on the advies in its portal (the case page).
async fn board_decision(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    if !crate::domain::access::speaks_for_board(&cc.ctx.user.viewer()) {
        return Err(AppError::Forbidden);
    }
    let i = form(&state, req).await?;
    let mut errors = FieldErrors::default();
    let decided =
        errors.check("besluit", validate::date(get(&i, "besloten")).map_err(|e| format!("Datum van het besluit: {e}")));
    let informed = errors
        .check("besluit", validate::date(get(&i, "geinformeerd")).map_err(|e| format!("Datum van de mededeling: {e}")));
    if get(&i, "besluit").chars().count() > 10_000 || get(&i, "maatregelen").chars().count() > 10_000 {
        errors.add("besluit", "De tekst is te lang (ten hoogste 10.000 tekens).");
    }
    let pairs: Vec<(String, String)> = i.clone().into_iter().collect();
    let (Some(decided_on), Some(informed_on), true) = (decided, informed, errors.is_empty()) else {
        return super::cases::case_page_with_input(&state, cc, errors, pairs).await;
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    match cases::advies::record_board_decision(
        &mut tx,
        &c,
        decided_on,
        get(&i, "besluit"),
        get(&i, "maatregelen"),
        informed_on,
    )
    .await
    {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/zaken/{}#advies", c.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("besluit", e.to_string());
            super::cases::case_page_with_input(&state, cc, errors, pairs).await
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CodeQuery {
    code: String,
}

async fn verify_page(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    Query(q): Query<CodeQuery>,
) -> AppResult<Response> {
    if q.code.trim().is_empty() {
        return Ok(views::advies::verify_page(&csrf, "", None).into_response());
    }
    verify_and_show(&state, &csrf, &q.code, None).await
}

async fn verify_submit(State(state): State<AppState>, CsrfToken(csrf): CsrfToken, req: Request) -> AppResult<Response> {
    let mp = MultipartForm::from_request(req, &state).await?;
    let code = mp.get("code").trim().to_owned();
    let file = mp.files.iter().find(|f| f.field == "bestand");
    let sha = file.map(|f| hex::encode(Sha256::digest(&f.bytes)));
    verify_and_show(&state, &csrf, &code, sha).await
}

async fn verify_and_show(state: &AppState, csrf: &str, code: &str, sha: Option<String>) -> AppResult<Response> {
    use views::advies::VerifyResult;
    let result = if let Some(sha) = sha {
        match cases::advies::verify(&state.db, &state.config.advies_key, None, Some(&sha)).await? {
            Some(v) => VerifyResult::Found(v),
            None => VerifyResult::UnknownFile,
        }
    } else {
        match crate::domain::advies::normalize_code(code) {
            None => VerifyResult::BadCode,
            Some(c) => match cases::advies::verify(&state.db, &state.config.advies_key, Some(&c), None).await? {
                Some(v) => VerifyResult::Found(v),
                None => VerifyResult::UnknownCode,
            },
        }
    };
    Ok(views::advies::verify_page(csrf, code, Some(&result)).into_response())
}

/// The commission's public signing key, for anyone who checks a signature themselves.
async fn jwks(State(state): State<AppState>) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/jwk-set+json")], state.config.advies_key.jwks().to_string())
        .into_response()
}

use sea_orm::EntityTrait;

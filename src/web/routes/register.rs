//! The school complaints register for board users: list, registration, an entry's page and
//! its steps. Every handler checks the entry against the viewer (another board's entry is
//! not found), calls one use case, and re-renders the page with the error and the input kept
//! when the procedure refuses.

use crate::access_log::{self, What};
use crate::audit::WriteTx;
use crate::cases::register::NewDocument;
use crate::domain::access::Action;
use crate::domain::school_register::{EntryStatus, RegisterAction, Written};
use crate::domain::{upload, validate};
use crate::entities::{register_entry, school};
use crate::school_register::{self as register, RegisterError, entries};
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::Ctx,
    form::{FieldErrors, Form, MultipartForm},
    registry::{Access, Routes},
    views,
};
use axum::{
    extract::{FromRequest, Path, Query, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    let keep = Access::Action(Action::KeepRegister);
    r.get("/register", keep, list)
        .get("/register/nieuw", keep, new_form)
        .post("/register", keep, create)
        .post("/register/regeling", keep, set_procedure)
        .get("/register/jaarverslag", keep, year_report)
        // Whoever may see an escalated entry's case may read the entry; the handler decides.
        .get("/register/{entry_id}", Access::SignedIn, show)
        .get("/register/{entry_id}/documenten/{stuk_id}", Access::SignedIn, download)
        .post("/register/{entry_id}/documenten", keep, add_document)
        .post("/register/{entry_id}/behandelaar", keep, assign_handler)
        .post("/register/{entry_id}/ontvangstbevestiging", keep, acknowledge)
        .post("/register/{entry_id}/uitstel", keep, delay)
        .post("/register/{entry_id}/beslissing", keep, decide)
        .post("/register/{entry_id}/analyse", keep, analysis)
        .post("/register/{entry_id}/nagesprek", keep, follow_up)
        .post("/register/{entry_id}/intrekking", keep, withdraw)
        .post("/register/{entry_id}/sluiten", keep, close)
        .post("/register/{entry_id}/acties", keep, set_action)
        .post("/register/{entry_id}/voorleggen", keep, escalate)
}

fn board_of(ctx: &Ctx) -> AppResult<i32> {
    ctx.require(Action::KeepRegister)?;
    ctx.user.board_id.ok_or(AppError::Forbidden)
}

/// The schools whose register this user keeps: the board's, or a contactpersoon's one school.
async fn schools_of(state: &AppState, ctx: &Ctx, board_id: i32) -> AppResult<Vec<school::Model>> {
    let mut q = school::Entity::find().filter(school::Column::BoardId.eq(board_id));
    if let Some(s) = ctx.user.school_id {
        q = q.filter(school::Column::Id.eq(s));
    }
    Ok(q.order_by_asc(school::Column::Name).all(&state.db).await?)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    school: String,
    status: String,
    jaar: String,
    pagina: String,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let schools = schools_of(&state, &ctx, board_id).await?;
    let f = register::Filter {
        school_id: ctx
            .user
            .school_id
            .or_else(|| q.school.parse().ok().filter(|id| schools.iter().any(|s| s.id == *id))),
        status: EntryStatus::parse(&q.status),
        year: q.jaar.trim().parse().ok().filter(|y| (2000..=2100).contains(y)),
        page: q.pagina.parse().unwrap_or(1).max(1),
    };
    let page = register::list(&state.db, board_id, &f).await?;
    let summary = register::summary(&state.db, board_id, ctx.user.school_id).await?;
    let board = crate::entities::board::Entity::find_by_id(board_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(views::register::list(&ctx, &board, &schools, &f, &page, &summary).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ReportQuery {
    school: String,
    jaar: String,
}

async fn year_report(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let schools = schools_of(&state, &ctx, board_id).await?;
    let school = ctx.user.school_id.or(q.school.parse::<i32>().ok()).and_then(|id| schools.iter().find(|s| s.id == id));
    let this_year = chrono::Datelike::year(&crate::admin::today());
    let year = q.jaar.trim().parse().ok().filter(|y| (2000..=this_year).contains(y)).unwrap_or(this_year);
    let report = register::year_report(&state.db, board_id, school.map(|s| s.id), year).await?;
    let board = crate::entities::board::Entity::find_by_id(board_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(views::register::year_report(&ctx, &board, &schools, school, year, &report).into_response())
}

async fn set_procedure(State(state): State<AppState>, ctx: Ctx, Form(f): Posted) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let procedure = crate::domain::school_register::Procedure::parse(get(&f, "procedure"))
        .ok_or_else(|| AppError::BadRequest("onbekende klachtenregeling".into()))?;
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    register::set_procedure(&mut tx, board_id, procedure).await?;
    tx.commit().await?;
    Ok(Redirect::to("/register").into_response())
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let schools = schools_of(&state, &ctx, board_of(&ctx)?).await?;
    let form = entries::EntryForm {
        received_on: crate::admin::today().to_string(),
        school_id: if schools.len() == 1 { schools[0].id.to_string() } else { String::new() },
        ..Default::default()
    };
    Ok(views::register::new_form(&ctx, &schools, &form, &FieldErrors::default()).into_response())
}

/// The uploaded file of a form, checked like every upload; `None` when none was chosen.
fn uploaded(
    mp: &MultipartForm,
    errors: &mut FieldErrors,
    title_field: &str,
    date: chrono::NaiveDate,
) -> Option<NewDocument> {
    let f = mp.files.iter().find(|f| f.field == "doc_file" && !f.bytes.is_empty())?;
    match upload::clean_file_name(&f.file_name)
        .and_then(|n| upload::check(&f.content_type, &n, &f.bytes).map(|t| (n, t)))
    {
        Ok((file_name, media_type)) => {
            let title = mp.get(title_field).trim();
            Some(NewDocument {
                title: if title.is_empty() { file_name.clone() } else { title.chars().take(200).collect() },
                file_name,
                media_type: media_type.to_owned(),
                received_on: date,
                bytes: f.bytes.clone(),
            })
        }
        Err(e) => {
            errors.add("doc_file", e.to_string());
            None
        }
    }
}

async fn create(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    let board_id = board_of(&ctx)?;
    let schools = schools_of(&state, &ctx, board_id).await?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let form = entries::EntryForm {
        school_id: mp.get("school_id").to_owned(),
        received_on: mp.get("received_on").to_owned(),
        received_how: mp.get("received_how").to_owned(),
        complainant_name: mp.get("complainant_name").to_owned(),
        complainant_role: mp.get("complainant_role").to_owned(),
        child_name: mp.get("child_name").to_owned(),
        group_name: mp.get("group_name").to_owned(),
        address: mp.get("address").to_owned(),
        phone: mp.get("phone").to_owned(),
        email: mp.get("email").to_owned(),
        written_name: mp.get("written_name").to_owned(),
        written_address: mp.get("written_address").to_owned(),
        written_signed: mp.get("written_signed").to_owned(),
        nature: mp.get("nature").to_owned(),
        kind: mp.get("kind").to_owned(),
        complained_about: mp.get("complained_about").to_owned(),
        facts_on: mp.get("facts_on").to_owned(),
        late_allowed: mp.get("late_allowed").to_owned(),
    };
    let today = crate::admin::today();
    let checked = entries::validate(&form, &schools, today);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let received_on = checked.as_ref().map_or(today, |n| n.received_on);
    let doc = uploaded(&mp, &mut errors, "doc_title", received_on);
    match checked {
        Ok(new) if errors.is_empty() => {
            let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
            let entry = entries::record(&mut tx, board_id, new, doc.into_iter().collect()).await.map_err(internal)?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/register/{}", entry.id)).into_response())
        }
        _ => {
            if mp.files.iter().any(|f| f.field == "doc_file" && !f.bytes.is_empty()) && !errors.contains("doc_file") {
                errors.add("doc_file", "Kies het bestand opnieuw.");
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, views::register::new_form(&ctx, &schools, &form, &errors))
                .into_response())
        }
    }
}

fn internal(e: RegisterError) -> AppError {
    match e {
        RegisterError::Db(e) => e.into(),
        RegisterError::ForeignSchool => AppError::Forbidden,
        other => AppError::Internal(anyhow::anyhow!(other.to_string())),
    }
}

/// The entry if this user may see it; another board's entry is not found.
async fn entry_for(state: &AppState, ctx: &Ctx, id: i32) -> AppResult<(register_entry::Model, bool)> {
    register::find_for(&state.db, &ctx.user.viewer(), id).await?.ok_or(AppError::NotFound)
}

/// The entry for a change: found, and this user keeps its register.
async fn editable(state: &AppState, ctx: &Ctx, id: i32) -> AppResult<register_entry::Model> {
    ctx.require(Action::KeepRegister)?;
    match entry_for(state, ctx, id).await? {
        (e, true) => Ok(e),
        _ => Err(AppError::Forbidden),
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    e: register_entry::Model,
    may_edit: bool,
    errors: FieldErrors,
    kept: views::register::Kept,
) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let detail = register::detail(&state.db, e).await?;
    Ok((status, views::register::entry(ctx, &detail, may_edit, &errors, &kept)).into_response())
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let (e, may_edit) = entry_for(&state, &ctx, id).await?;
    let case_id = e.case_id;
    let resp = render(&state, &ctx, e, may_edit, FieldErrors::default(), HashMap::new()).await?;
    // Issue 9: an entry escalated to a case is part of that case's file.
    if let Some(case_id) = case_id {
        let detail = access_log::register_detail(id, None);
        access_log::record(&state.db, case_id, Some(ctx.user.id), What::Register, Some(detail)).await?;
    }
    Ok(resp)
}

async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document_id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (e, _) = entry_for(&state, &ctx, id).await?;
    let doc = register::document(&state.db, e.id, document_id).await?.ok_or(AppError::NotFound)?;
    let mut resp = doc.bytes.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&doc.media_type).map_err(|_| AppError::Internal(anyhow::anyhow!("stored media type")))?,
    );
    h.insert(header::CONTENT_DISPOSITION, super::cases::content_disposition(&doc.file_name));
    if let Some(case_id) = e.case_id {
        let detail = access_log::register_detail(e.id, Some((&doc.file_name, doc.id)));
        access_log::record(&state.db, case_id, Some(ctx.user.id), What::Register, Some(detail)).await?;
    }
    Ok(resp)
}

/// Runs one step in a transaction; a refusal re-renders the page with the message at `field`
/// and the posted input kept, with nothing written.
async fn run_step<F>(
    state: &AppState,
    ctx: &Ctx,
    e: register_entry::Model,
    field: &str,
    kept: views::register::Kept,
    step: F,
) -> AppResult<Response>
where
    F: AsyncFnOnce(&mut WriteTx, &register_entry::Model) -> Result<(), RegisterError>,
{
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    match step(&mut tx, &e).await {
        Ok(()) => {
            tx.commit().await?;
            state.mail_queued();
            Ok(Redirect::to(&format!("/register/{}", e.id)).into_response())
        }
        Err(RegisterError::Db(err)) => Err(err.into()),
        Err(err) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add(field, err.to_string());
            render(state, ctx, e, true, errors, kept).await
        }
    }
}

type Posted = Form<HashMap<String, String>>;

fn get<'a>(m: &'a HashMap<String, String>, k: &str) -> &'a str {
    m.get(k).map_or("", |v| v.as_str())
}

async fn assign_handler(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Posted,
) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let handler = get(&f, "handler").to_owned();
    run_step(&state, &ctx, e, "handler", f, async move |tx, e| entries::assign_handler(tx, e, &handler).await).await
}

async fn acknowledge(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    run_step(&state, &ctx, e, "ontvangst", HashMap::new(), async |tx, e| entries::acknowledge(tx, e).await).await
}

async fn delay(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>, Form(f): Posted) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let mut errors = FieldErrors::default();
    let reason = errors.check("delay_reason", validate::required(get(&f, "delay_reason"), 2000));
    let date = errors.check("delay_date", validate::date(get(&f, "delay_date")));
    match (reason, date) {
        (Some(reason), Some(date)) => {
            run_step(&state, &ctx, e, "delay_date", f, async move |tx, e| {
                entries::notice_of_delay(tx, e, &reason, date).await
            })
            .await
        }
        _ => render(&state, &ctx, e, true, errors, f).await,
    }
}

fn decision_of(f: &HashMap<String, String>, prefix: &str, errors: &mut FieldErrors, full: bool) -> entries::Decision {
    let mut text = |name: &str, required: bool| {
        let field = format!("{prefix}{name}");
        let r = if required {
            validate::required(get(f, &field), 4000)
        } else {
            validate::optional(get(f, &field), 4000).map(Option::unwrap_or_default)
        };
        errors.check(&field, r).unwrap_or_default()
    };
    entries::Decision {
        decision: if full { text("decision", true) } else { String::new() },
        solution: text("solution", full),
        cause: text("cause", false),
        measures: text("measures", false),
    }
}

async fn decide(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>, Form(f): Posted) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let mut errors = FieldErrors::default();
    let d = decision_of(&f, "", &mut errors, true);
    if !errors.is_empty() {
        return render(&state, &ctx, e, true, errors, f).await;
    }
    run_step(&state, &ctx, e, "decision", f, async move |tx, e| entries::decide(tx, e, d).await).await
}

async fn analysis(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Posted,
) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let mut errors = FieldErrors::default();
    let d = decision_of(&f, "a_", &mut errors, false);
    if !errors.is_empty() {
        return render(&state, &ctx, e, true, errors, f).await;
    }
    run_step(&state, &ctx, e, "a_cause", f, async move |tx, e| entries::save_analysis(tx, e, d).await).await
}

async fn follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Posted,
) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let mut errors = FieldErrors::default();
    let on = errors.check("follow_up_on", validate::date(get(&f, "follow_up_on")));
    let report = get(&f, "follow_up_report").to_owned();
    match on {
        Some(on) => {
            run_step(&state, &ctx, e, "follow_up_report", f, async move |tx, e| {
                entries::follow_up(tx, e, on, &report).await
            })
            .await
        }
        None => render(&state, &ctx, e, true, errors, f).await,
    }
}

async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Posted,
) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let yes = |k: &str| get(&f, k) == "ja";
    let in_writing = yes("in_writing");
    let w = Written { name: yes("w_name"), address: yes("w_address"), signed: yes("w_signed") };
    run_step(&state, &ctx, e, "intrekking", f, async move |tx, e| entries::withdraw(tx, e, in_writing, w).await).await
}

async fn close(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    run_step(&state, &ctx, e, "sluiten", HashMap::new(), async |tx, e| entries::close(tx, e).await).await
}

async fn set_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Posted,
) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let Some(action) = RegisterAction::parse(get(&f, "action")) else {
        let mut errors = FieldErrors::default();
        errors.add("actie_klacht_binnen", "Kies een actie uit de tabel.");
        return render(&state, &ctx, e, true, errors, f).await;
    };
    let field = format!("actie_{}", action.code());
    let mut errors = FieldErrors::default();
    let on = errors.check(&field, validate::optional_date(get(&f, "on"))).flatten();
    if !errors.is_empty() {
        return render(&state, &ctx, e, true, errors, f).await;
    }
    let who = get(&f, "who").to_owned();
    let done = get(&f, "done") == "ja";
    run_step(&state, &ctx, e, &field, f, async move |tx, e| entries::set_action(tx, e, action, on, &who, done).await)
        .await
}

async fn escalate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Posted,
) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    if get(&f, "confirm") != "ja" {
        let mut errors = FieldErrors::default();
        errors.add("voorleggen", "Bevestig dat de klager de klacht aan de klachtencommissie wil voorleggen.");
        return render(&state, &ctx, e, true, errors, f).await;
    }
    run_step(&state, &ctx, e, "voorleggen", f, async |tx, e| {
        crate::school_register::escalate::escalate(tx, e).await.map(|_| ())
    })
    .await
}

async fn add_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    req: Request,
) -> AppResult<Response> {
    let e = editable(&state, &ctx, id).await?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let mut errors = FieldErrors::default();
    let title = errors.check("doc_title", validate::required(mp.get("doc_title"), 200));
    let date = errors.check("doc_received_on", validate::date(mp.get("doc_received_on")));
    let doc = uploaded(&mp, &mut errors, "doc_title", date.unwrap_or_else(crate::admin::today));
    if doc.is_none() && !errors.contains("doc_file") {
        errors.add("doc_file", "Kies het bestand dat is ontvangen.");
    }
    let kept: HashMap<String, String> = [
        ("doc_title".to_owned(), mp.get("doc_title").to_owned()),
        ("doc_received_on".to_owned(), mp.get("doc_received_on").to_owned()),
    ]
    .into_iter()
    .collect();
    match (title, doc) {
        (Some(_), Some(doc)) if errors.is_empty() => {
            run_step(&state, &ctx, e, "doc_file", kept, async move |tx, e| entries::add_document(tx, e, doc).await)
                .await
        }
        _ => render(&state, &ctx, e, true, errors, kept).await,
    }
}

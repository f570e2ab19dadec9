//! Letters: sending one on a case, the outbox of e-mail (with resend), the post queue with its
//! printable batch, and the template editor with the letterhead.

use crate::audit::WriteTx;
use crate::domain::access::Action;
use crate::domain::letter::{self, LetterKind, Values};
use crate::letters::{self, LetterError, compose::To, letterhead, post, templates};
use crate::outbox;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::{CaseCtx, Ctx},
    form::{FieldErrors, Form},
    registry::{Access, Routes},
    views,
};
use axum::{
    extract::{FromRequest, Path, Query, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::EntityTrait;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/zaken/{zaaknummer}/brieven/nieuw", Access::ManageCase, new_letter_page)
        .post("/zaken/{zaaknummer}/brieven", Access::ManageCase, send_letter)
        .get("/brieven", Access::Action(Action::ManageCase), outbox_page)
        .get("/brieven/berichten/{message_id}", Access::Action(Action::ManageCase), message_page)
        .post("/brieven/berichten/{message_id}/opnieuw", Access::Action(Action::ManageCase), resend)
        .get("/brieven/post", Access::Action(Action::ManageCase), post_page)
        .get("/brieven/post/brieven.pdf", Access::Action(Action::ManageCase), post_batch)
        .post("/brieven/post/verzonden", Access::Action(Action::ManageCase), mark_posted)
        .get("/brieven/sjablonen", Access::Action(Action::EditTemplates), templates_page)
        .post("/brieven/briefhoofd", Access::Action(Action::EditTemplates), save_letterhead)
        .get("/brieven/sjablonen/{soort}", Access::Action(Action::EditTemplates), template_page)
        .post("/brieven/sjablonen/{soort}", Access::Action(Action::EditTemplates), save_template)
}

// ---- A letter on a case ----

/// The form to send a letter, as typed.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct LetterForm {
    pub soort: String,
    pub aan: String,
    pub tekst: String,
}

async fn new_letter_page(
    State(state): State<AppState>,
    cc: CaseCtx,
    Query(q): Query<LetterForm>,
) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let recipients = letters::compose::recipients(&state.db, &cc.case).await?;
    let form =
        LetterForm { soort: if q.soort.is_empty() { LetterKind::VrijeBrief.code().into() } else { q.soort }, ..q };
    Ok(views::letters::new_letter(&cc.ctx, &cc.case, &recipients, &form, &FieldErrors::default()).into_response())
}

async fn send_letter(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let Form(form) = Form::<LetterForm>::from_request(req, &state).await?;
    let recipients = letters::compose::recipients(&state.db, &cc.case).await?;
    let mut errors = FieldErrors::default();
    let kind = LetterKind::parse(&form.soort);
    if kind.is_none() {
        errors.add("soort", "Kies het soort brief.");
    }
    let to = To::parse(&form.aan).filter(|t| recipients.iter().any(|r| r.to == *t));
    if to.is_none() {
        errors.add("aan", "Kies aan wie de brief gaat.");
    }
    let mut extra = Values::new();
    if kind == Some(LetterKind::VrijeBrief) {
        match crate::domain::validate::required(&form.tekst, 10_000) {
            Ok(t) => {
                extra.insert("tekst", t);
            }
            Err(e) => errors.add("tekst", e),
        }
    }
    if let (Some(kind), Some(to), true) = (kind, to, errors.is_empty()) {
        // Kinds with placeholders of their own (a received document, say) are sent by the
        // step they belong to; here only what the form can fill.
        let missing: Vec<&str> = kind
            .placeholders()
            .iter()
            .filter(|p| !letter::COMMON.contains(p) && !extra.contains_key(p.name))
            .map(|p| p.name)
            .collect();
        if missing.is_empty() {
            let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
            match letters::compose::send(&mut tx, &cc.case, kind, to, extra).await {
                Ok(_) => {
                    tx.commit().await?;
                    state.mail_queued();
                    return Ok(Redirect::to(&format!("/zaken/{}#brieven", cc.case.zaaknummer)).into_response());
                }
                Err(LetterError::Db(e)) => return Err(e.into()),
                Err(e) => errors.add("soort", e.to_string()),
            }
        } else {
            errors
                .add("soort", "Deze brief hoort bij een eigen stap in de zaak en kan hier niet los worden verstuurd.");
        }
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, views::letters::new_letter(&cc.ctx, &cc.case, &recipients, &form, &errors))
        .into_response())
}

// ---- The outbox ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OutboxQuery {
    pub status: String,
    pub page: String,
}

pub const OUTBOX_PER_PAGE: u64 = 50;

async fn outbox_page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<OutboxQuery>) -> AppResult<Response> {
    ctx.require(Action::ManageCase)?;
    let status =
        [outbox::status::WAITING, outbox::status::SENT, outbox::status::FAILED].into_iter().find(|s| *s == q.status);
    let page = q.page.parse::<u64>().unwrap_or(1).max(1);
    let (rows, total) = outbox::list(&state.db, status, page, OUTBOX_PER_PAGE).await?;
    let counts = outbox::counts(&state.db).await?;
    let folder = state.config.smtp.is_none().then(|| outbox::transport::mail_folder(&state.config.data_dir));
    Ok(views::letters::outbox(&ctx, status, page, total, &rows, &counts, folder.as_deref()).into_response())
}

async fn message_page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    ctx.require(Action::ManageCase)?;
    let m = outbox::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let case = match m.case_id {
        Some(cid) => crate::entities::case::Entity::find_by_id(cid).one(&state.db).await?,
        None => None,
    };
    let attachment = match m.attachment_document_id {
        Some(did) => crate::entities::document::Entity::find_by_id(did).one(&state.db).await?,
        None => None,
    };
    let head = letterhead::load(&state.db).await?;
    Ok(views::letters::message(&ctx, &m, case.as_ref(), attachment.as_ref(), &head).into_response())
}

async fn resend(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    ctx.require(Action::ManageCase)?;
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    if !outbox::resend(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    state.mail_queued();
    Ok(Redirect::to(&format!("/brieven/berichten/{id}")).into_response())
}

// ---- The post queue ----

async fn post_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManageCase)?;
    let waiting = post::waiting(&state.db).await?;
    Ok(views::letters::post(&ctx, &waiting).into_response())
}

async fn post_batch(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManageCase)?;
    let waiting: Vec<_> = post::waiting(&state.db).await?.into_iter().map(|(l, _)| l).collect();
    if waiting.is_empty() {
        return Err(AppError::NotFound);
    }
    let bytes = post::batch_pdf(&waiting).await.map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))?;
    let name = format!("post-{}.pdf", crate::admin::today());
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    resp.headers_mut().insert(header::CONTENT_DISPOSITION, super::cases::content_disposition(&name));
    Ok(resp)
}

async fn mark_posted(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    ctx.require(Action::ManageCase)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let ids: Vec<i32> = pairs.iter().filter(|(k, _)| k == "brief").filter_map(|(_, v)| v.parse().ok()).collect();
    if ids.is_empty() {
        let waiting = post::waiting(&state.db).await?;
        let mut errors = FieldErrors::default();
        errors.add("brief", "Vink de brieven aan die op de post zijn gedaan.");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, views::letters::post_with_errors(&ctx, &waiting, &errors))
            .into_response());
    }
    let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
    post::mark_posted(&mut tx, &ids).await?;
    tx.commit().await?;
    Ok(Redirect::to("/brieven/post").into_response())
}

// ---- Templates and letterhead ----

async fn templates_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditTemplates)?;
    let mut current = Vec::new();
    for kind in LetterKind::ALL {
        current.push((*kind, templates::current(&state.db, *kind).await?));
    }
    let head = letterhead::load(&state.db).await?;
    let form = LetterheadForm::from(&head);
    Ok(views::letters::templates(&ctx, &current, &form, &FieldErrors::default()).into_response())
}

/// The letterhead form as typed.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct LetterheadForm {
    pub naam: String,
    pub adres: String,
    pub plaats: String,
    pub email: String,
    pub telefoon: String,
}

impl From<&letterhead::Letterhead> for LetterheadForm {
    fn from(h: &letterhead::Letterhead) -> Self {
        Self {
            naam: h.name.clone(),
            adres: h.address.clone(),
            plaats: h.place.clone(),
            email: h.email.clone(),
            telefoon: h.phone.clone(),
        }
    }
}

async fn save_letterhead(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    ctx.require(Action::EditTemplates)?;
    let Form(form) = Form::<LetterheadForm>::from_request(req, &state).await?;
    match letterhead::validate(&form.naam, &form.adres, &form.plaats, &form.email, &form.telefoon) {
        Ok(head) => {
            let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
            letterhead::save(&mut tx, &head).await?;
            tx.commit().await?;
            Ok(Redirect::to("/brieven/sjablonen#briefhoofd").into_response())
        }
        Err(errors) => {
            let mut current = Vec::new();
            for kind in LetterKind::ALL {
                current.push((*kind, templates::current(&state.db, *kind).await?));
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, views::letters::templates(&ctx, &current, &form, &errors))
                .into_response())
        }
    }
}

/// The template editor as typed; `actie` is `voorbeeld`, `pdf` or `opslaan`.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct TemplateForm {
    pub onderwerp: String,
    pub tekst: String,
    pub actie: String,
}

fn kind_of(code: &str) -> AppResult<LetterKind> {
    LetterKind::parse(code).ok_or(AppError::NotFound)
}

async fn template_page(State(state): State<AppState>, ctx: Ctx, Path(soort): Path<String>) -> AppResult<Response> {
    ctx.require(Action::EditTemplates)?;
    let kind = kind_of(&soort)?;
    let history = templates::history(&state.db, kind).await?;
    let current = history.first().cloned().ok_or(AppError::NotFound)?;
    let form = TemplateForm { onderwerp: current.subject.clone(), tekst: current.body.clone(), actie: String::new() };
    Ok(views::letters::template_editor(&ctx, kind, &form, &history, None, &FieldErrors::default()).into_response())
}

async fn save_template(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(soort): Path<String>,
    req: Request,
) -> AppResult<Response> {
    ctx.require(Action::EditTemplates)?;
    let kind = kind_of(&soort)?;
    let Form(form) = Form::<TemplateForm>::from_request(req, &state).await?;
    let errors = templates::validate(kind, &form.onderwerp, &form.tekst);
    let history = templates::history(&state.db, kind).await?;
    let render_preview = || -> Option<(String, String)> {
        let v = letter::sample_values(kind);
        Some((letter::render(&form.onderwerp, &v).ok()?, letter::render(&form.tekst, &v).ok()?))
    };
    match form.actie.as_str() {
        "opslaan" if errors.is_empty() => {
            let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
            match templates::save(&mut tx, kind, &form.onderwerp, &form.tekst).await? {
                Ok(_) => {
                    tx.commit().await?;
                    Ok(Redirect::to(&format!("/brieven/sjablonen/{}", kind.code())).into_response())
                }
                Err(errors) => Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    views::letters::template_editor(&ctx, kind, &form, &history, None, &errors),
                )
                    .into_response()),
            }
        }
        "pdf" if errors.is_empty() => {
            let (subject, body) = render_preview().ok_or(AppError::BadRequest("voorbeeld".into()))?;
            let head = letterhead::load(&state.db).await?;
            let today = crate::admin::today();
            let layout = crate::pdf::LetterLayout {
                head: head.layout(),
                recipient: vec!["J. de Vries".into(), "Voorbeeldstraat 1".into(), "1234 AB Voorbeeld".into()],
                kenmerk: "2026-0042".into(),
                date: head.dated(today),
                subject,
                paragraphs: letter::paragraphs(&body),
                sign_name: ctx.user.name.clone(),
                sign_role: format!("secretaris van de {}", head.display_name()),
            };
            let bytes = tokio::task::spawn_blocking(move || crate::pdf::render(&[layout]))
                .await
                .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?
                .map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))?;
            let mut resp = bytes.into_response();
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            resp.headers_mut().insert(
                header::CONTENT_DISPOSITION,
                super::cases::content_disposition(&format!("voorbeeld-{}.pdf", kind.code())),
            );
            Ok(resp)
        }
        "voorbeeld" | "pdf" | "opslaan" => {
            let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            let preview = if errors.is_empty() { render_preview() } else { None };
            Ok((status, views::letters::template_editor(&ctx, kind, &form, &history, preview.as_ref(), &errors))
                .into_response())
        }
        other => Err(AppError::BadRequest(format!("onbekende actie {other:?}"))),
    }
}

//! The export of a case's dossier as one zip (issue 9): a small form on the case, and its
//! post, which answers with the zip itself.
//!
//! Only the secretariat and the beheerder (`Action::ManageCase`, the roles that keep the
//! dossier: they register its documents and send its letters) export a dossier. An export
//! holds restricted documents (archief) and is handed out of the system, so chairs and
//! members, who see the case only to judge it, and board users, who are a party-side account
//! for Art 15, may not.

use crate::cases::dossier::{self, DossierError, Purpose, Request};
use crate::domain::{access::Action, validate};
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::CaseCtx,
    form::{FieldErrors, Form},
    registry::{Access, Routes},
    routes::cases::content_disposition,
    views::{self, dossier::DossierForm},
};
use axum::{
    extract::{FromRequest, Request as HttpRequest, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

pub fn routes(r: Routes) -> Routes {
    r.get("/zaken/{zaaknummer}/dossier", Access::ManageCase, form_page).post(
        "/zaken/{zaaknummer}/dossier",
        Access::ManageCase,
        export,
    )
}

async fn form_page(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let summary = dossier::summary(&state.db, &cc.case).await?;
    Ok(views::dossier::page(&cc.ctx, &cc.case, summary, &DossierForm::default(), &FieldErrors::default())
        .into_response())
}

/// The body is read only after the role check, so a refused user gets 403, not a form error.
async fn export(State(state): State<AppState>, cc: CaseCtx, req: HttpRequest) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let Form(form) = Form::<DossierForm>::from_request(req, &state).await?;
    let mut errors = FieldErrors::default();
    let purpose = Purpose::parse(form.doel.trim());
    if purpose.is_none() {
        errors.add("doel", "Kies waarvoor het dossier wordt geëxporteerd: voor het archief of voor een inzageverzoek van de klager of de aangeklaagde.");
    }
    let note = errors.check("toelichting", validate::optional(&form.toelichting, 300));
    if let (Some(purpose), Some(note), true) = (purpose, note, errors.is_empty()) {
        match dossier::export(&state.db, cc.ctx.user.actor(), &cc.case, Request { purpose, note }).await {
            Ok(e) => {
                let mut resp = e.bytes.into_response();
                let h = resp.headers_mut();
                h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
                h.insert(header::CONTENT_DISPOSITION, content_disposition(&e.file_name));
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                return Ok(resp);
            }
            Err(DossierError::Db(e)) => return Err(AppError::Db(e)),
            Err(e) => errors.add("doel", e.to_string()),
        }
    }
    let summary = dossier::summary(&state.db, &cc.case).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, views::dossier::page(&cc.ctx, &cc.case, summary, &form, &errors))
        .into_response())
}

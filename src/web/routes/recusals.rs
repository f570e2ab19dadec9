//! Wraking and verschoning (Art 19): the secretary registers a request; the other panel members
//! vote, each in their own account; the domain rule decides.

use crate::audit::WriteTx;
use crate::cases::{self, CaseError, recusals::NewRequest};
use crate::domain::access::Action;
use crate::domain::validate;
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::CaseCtx,
    form::{FieldErrors, Form},
    registry::{Access, Routes},
};
use axum::{
    extract::{FromRequest, Path, Request, State},
    response::{IntoResponse, Redirect, Response},
};

pub fn routes(r: Routes) -> Routes {
    r.post("/zaken/{zaaknummer}/wraking", Access::ManageCase, register).post(
        "/zaken/{zaaknummer}/wraking/{recusal_id}/stem",
        Access::Case,
        vote,
    )
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()).trim().to_owned()
}

async fn done(
    state: &AppState,
    cc: CaseCtx,
    tx: WriteTx,
    result: Result<(), CaseError>,
    field_name: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => {
            tx.commit().await?;
            state.mail_queued();
            Ok(Redirect::to(&format!("/zaken/{}#wraking", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add(field_name, e.to_string());
            super::cases::case_page_with_errors(state, cc, errors, None).await
        }
    }
}

async fn register(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let mut errors = FieldErrors::default();
    let member_id = field(&pairs, "lid").parse::<i32>().ok();
    if member_id.is_none() {
        errors.add("wraking", "Kies het lid om wie het gaat.");
    }
    let kind = field(&pairs, "soort");
    if !matches!(kind.as_str(), "wraking" | "verschoning") {
        errors.add("wraking", "Kies wraking (door een partij) of verschoning (door het lid zelf).");
    }
    let by = errors.check("wraking", validate::required(&field(&pairs, "door"), 200));
    let grounds = field(&pairs, "gronden");
    if grounds.chars().count() < 10 {
        errors.add("wraking", "Geef de gronden van het verzoek (art. 19.2).");
    }
    let received = errors.check("wraking", validate::date(&field(&pairs, "ontvangen")));
    let (Some(member_id), Some(by), Some(received_on), true) = (member_id, by, received, errors.is_empty()) else {
        return super::cases::case_page_with_errors(&state, cc, errors, None).await;
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let result =
        cases::recusals::register(&mut tx, &c, NewRequest { member_id, kind, requested_by: by, grounds, received_on })
            .await
            .map(|_| ());
    done(&state, cc, tx, result, "wraking").await
}

async fn vote(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, recusal_id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    // Only commission members vote, each for themselves (Art 19.3); the rule checks the panel.
    let Some(member_id) = cc.ctx.user.member_id else { return Err(AppError::Forbidden) };
    let seated =
        crate::cases::find_for_access(&state.db, &cc.case.zaaknummer).await?.map(|(_, p)| p).unwrap_or_default();
    if !seated.contains(&member_id) {
        return Err(AppError::Forbidden);
    }
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let grant = match field(&pairs, "stem").as_str() {
        "toewijzen" => true,
        "afwijzen" => false,
        _ => {
            let mut errors = FieldErrors::default();
            errors.add("wraking", "Kies toewijzen of afwijzen.");
            return super::cases::case_page_with_errors(&state, cc, errors, None).await;
        }
    };
    let reason = Some(field(&pairs, "reden")).filter(|r| !r.is_empty());
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let result = cases::recusals::vote(&mut tx, &c, recusal_id, member_id, grant, reason).await.map(|_| ());
    done(&state, cc, tx, result, "wraking").await
}

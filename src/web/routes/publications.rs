//! Publication of anonymised adviezen (issue 9): the secretary's review at
//! `/zaken/{zaaknummer}/publicatie`, and the public pages `/uitspraken` (search) and
//! `/uitspraken/{nummer}` (one published advies), reachable without signing in.

use crate::audit::{Actor, WriteTx};
use crate::domain::access::Action;
use crate::domain::anonymise;
use crate::domain::case::{ComplaintKind, Outcome, Sector};
use crate::publications::{self, Fields, PublicFilter, PublicationError};
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::{CaseCtx, MaybeUser},
    form::{FieldErrors, Form},
    registry::{Access, Routes},
    views,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    r.get("/zaken/{zaaknummer}/publicatie", Access::ManageCase, page)
        .post("/zaken/{zaaknummer}/publicatie", Access::ManageCase, create)
        .post("/zaken/{zaaknummer}/publicatie/opslaan", Access::ManageCase, save)
        .post("/zaken/{zaaknummer}/publicatie/publiceren", Access::ManageCase, publish)
        .post("/zaken/{zaaknummer}/publicatie/intrekken", Access::ManageCase, withdraw)
        .get("/uitspraken", Access::Public, public_list)
        .get("/uitspraken/{nummer}", Access::Public, public_detail)
}

pub type Input = HashMap<String, String>;

fn get(i: &Input, name: &str) -> String {
    // Browsers post line breaks as CRLF.
    i.get(name).map_or(String::new(), |v| v.replace("\r\n", "\n"))
}

fn fields_of(i: &Input) -> Fields {
    Fields {
        title: get(i, "titel").trim().to_owned(),
        sector: get(i, "sector"),
        theme: get(i, "thema"),
        outcome: get(i, "uitkomst"),
        situation: get(i, "situatie"),
        judgment: get(i, "oordeel"),
        explanation: get(i, "overwegingen"),
    }
}

fn actor(cc: &CaseCtx) -> Actor {
    Actor { user_id: Some(cc.ctx.user.id), name: cc.ctx.user.name.clone() }
}

async fn render(
    state: &AppState,
    cc: &CaseCtx,
    input: Option<Fields>,
    errors: FieldErrors,
    reason: &str,
    status: StatusCode,
) -> AppResult<Response> {
    let db = &state.db;
    let c = &cc.case;
    let publication = publications::of_case(db, c.id).await?;
    let not_eligible = publications::not_eligible(db, c).await?;
    let advies = publications::sent_advies(db, c.id).await?;
    // The text shown is what was posted (kept after an error), else what is stored.
    let fields = input.or_else(|| publication.as_ref().map(Fields::of));
    let (remaining, attention) = match &fields {
        Some(f) => {
            let terms = publications::terms_of(db, c).await?;
            let remaining: Vec<(&'static str, Vec<String>)> = f
                .texts()
                .into_iter()
                .map(|(field, text)| (field, anonymise::remaining(text, &terms)))
                .filter(|(_, w)| !w.is_empty())
                .collect();
            // A word already refused is not also an attention point.
            let attention = publications::attention(f)
                .into_iter()
                .map(|(field, words)| {
                    let refused: Vec<&String> =
                        remaining.iter().filter(|(f, _)| *f == field).flat_map(|(_, w)| w).collect();
                    (field, words.into_iter().filter(|w| !refused.contains(&w)).collect::<Vec<_>>())
                })
                .filter(|(_, w)| !w.is_empty())
                .collect();
            (remaining, attention)
        }
        None => (Vec::new(), Vec::new()),
    };
    let view = views::publications::Review {
        case: c,
        publication: publication.as_ref(),
        not_eligible: not_eligible.as_deref(),
        advies: advies.as_ref(),
        fields: fields.as_ref(),
        remaining: &remaining,
        attention: &attention,
        theme_from_case: c.complaint_kind.is_some(),
        reason,
    };
    Ok((status, views::publications::review(&cc.ctx, &view, &errors)).into_response())
}

async fn page(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    render(&state, &cc, None, FieldErrors::default(), "", StatusCode::OK).await
}

/// Commits and returns to the page, or shows the page again with the Dutch message and the
/// input kept; nothing of a refused step is written.
async fn done<T>(
    state: &AppState,
    cc: CaseCtx,
    tx: WriteTx,
    result: Result<T, PublicationError>,
    input: Option<Fields>,
    reason: &str,
) -> AppResult<Response> {
    match result {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/zaken/{}/publicatie", cc.case.zaaknummer)).into_response())
        }
        Err(PublicationError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            match e {
                PublicationError::Fields(list) => {
                    for (field, msg) in list {
                        errors.add(field, msg);
                    }
                }
                other => errors.add("publicatie", other.to_string()),
            }
            render(state, &cc, input, errors, reason, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

async fn create(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mut tx = WriteTx::begin(&state.db, actor(&cc)).await?;
    let result = publications::create(&mut tx, &cc.case).await;
    done(&state, cc, tx, result, None, "").await
}

async fn save(State(state): State<AppState>, cc: CaseCtx, Form(i): Form<Input>) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let f = fields_of(&i);
    let mut tx = WriteTx::begin(&state.db, actor(&cc)).await?;
    let result = publications::save(&mut tx, &cc.case, &f).await;
    done(&state, cc, tx, result, Some(f), "").await
}

async fn publish(State(state): State<AppState>, cc: CaseCtx, Form(i): Form<Input>) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let f = fields_of(&i);
    let mut tx = WriteTx::begin(&state.db, actor(&cc)).await?;
    let result = publications::publish(&mut tx, &cc.case, &f, Some(cc.ctx.user.id)).await;
    done(&state, cc, tx, result, Some(f), "").await
}

async fn withdraw(State(state): State<AppState>, cc: CaseCtx, Form(i): Form<Input>) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let reason = get(&i, "reden");
    let mut tx = WriteTx::begin(&state.db, actor(&cc)).await?;
    let result = publications::withdraw(&mut tx, &cc.case, &reason).await;
    done(&state, cc, tx, result, None, &reason).await
}

/// The query of the public page; unknown values are ignored, not refused.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct PublicQuery {
    pub sector: String,
    pub thema: String,
    pub uitkomst: String,
    pub q: String,
    pub pagina: String,
}

impl PublicQuery {
    pub fn filter(&self) -> PublicFilter {
        PublicFilter {
            sector: Sector::parse(&self.sector).map(|s| s.code().to_owned()),
            theme: ComplaintKind::parse(&self.thema).map(|s| s.code().to_owned()),
            outcome: Outcome::parse(&self.uitkomst).map(|s| s.code().to_owned()),
            words: anonymise::query_words(&self.q.chars().take(200).collect::<String>()),
            page: self.pagina.trim().parse().unwrap_or(1),
        }
    }
}

async fn public_list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let page = publications::search(&state.db, &q.filter()).await?;
    Ok(views::publications::public_list(user.is_some(), &q, &page).into_response())
}

async fn public_detail(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(nummer): Path<String>,
) -> AppResult<Response> {
    if !publications::is_number(&nummer) {
        return Err(AppError::NotFound);
    }
    let p = publications::published(&state.db, &nummer).await?.ok_or(AppError::NotFound)?;
    Ok(views::publications::public_detail(user.is_some(), &p).into_response())
}

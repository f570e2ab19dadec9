//! Reading the board's cases: the list (newest first, 50 a page), one case, and its sent
//! advies as PDF. A fixed number of queries for any page ([`crate::cases::progress::of`]).

use super::{ApiError, ApiResult, JsonBody, PREFIX, Reader};
use crate::cases::progress::{self, Progress};
use crate::entities::{case, school};
use crate::web::AppState;
use axum::{
    extract::{Path, RawQuery, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;

/// Cases per page of `GET /zaken`.
pub const PER_PAGE: u64 = 50;

/// A code with its Dutch label (`{"code":"ontvangen","label":"Ontvangen"}`).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct School {
    pub id: i32,
    pub name: String,
}

/// Art 11.6: the school (or other body) that received the complaint first, and when.
#[derive(Debug, Serialize)]
pub struct Forwarded {
    pub by: String,
    pub received_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize)]
pub struct Term {
    pub kind: Code,
    pub due_on: NaiveDate,
}

#[derive(Debug, Serialize)]
pub struct Advies {
    pub version: i32,
    pub advies_date: NaiveDate,
    pub sent_at: DateTime<Utc>,
    pub outcome: Option<Code>,
    pub verification_code: Option<String>,
    /// Where the PDF is fetched (`GET`, scope `lezen`).
    pub pdf: String,
}

/// WPO art 14(7): the board's decision on the advies.
#[derive(Debug, Serialize)]
pub struct BoardDecision {
    /// The advies was sent and no decision is recorded yet.
    pub owed: bool,
    pub recorded: bool,
    pub decided_on: Option<NaiveDate>,
    pub informed_on: Option<NaiveDate>,
}

/// A case as the API shows it to its board.
#[derive(Debug, Serialize)]
pub struct Zaak {
    pub zaaknummer: String,
    pub school: School,
    pub subject: String,
    /// The commission's receipt date (Art 11.9).
    pub received_on: NaiveDate,
    pub forwarded: Option<Forwarded>,
    pub status: Code,
    pub outcome: Option<Code>,
    /// The next date that matters: the planned hearing or the first running term.
    pub next_date: Option<NaiveDate>,
    pub next_term: Option<Term>,
    /// The planned hearing (or pre-hearing appearance), if any.
    pub hearing_at: Option<DateTime<Utc>>,
    pub advies: Option<Advies>,
    pub board_decision: BoardDecision,
    pub url: String,
}

impl Zaak {
    fn new(c: &case::Model, p: Progress, school_name: String) -> Zaak {
        let url = format!("{PREFIX}/zaken/{}", c.zaaknummer);
        Zaak {
            zaaknummer: p.zaaknummer.clone(),
            school: School { id: c.school_id, name: school_name },
            subject: p.subject.clone(),
            received_on: p.received_on,
            forwarded: c.forwarded_by.clone().map(|by| Forwarded { by, received_on: c.forwarded_received_on }),
            status: Code { code: p.status.code(), label: p.status.label() },
            outcome: p.outcome.map(|o| Code { code: o.code(), label: o.label() }),
            next_date: p.next_date(),
            next_term: p.next_term.map(|(k, due_on)| Term { kind: Code { code: k.code(), label: k.label() }, due_on }),
            hearing_at: p.hearing_at,
            advies: p.advies.as_ref().map(|a| Advies {
                version: a.version,
                advies_date: a.advies_date,
                sent_at: a.sent_at,
                outcome: a.outcome.map(|o| Code { code: o.code(), label: o.label() }),
                verification_code: a.verification_code.clone(),
                pdf: format!("{url}/advies"),
            }),
            board_decision: BoardDecision {
                owed: p.decision_owed(),
                recorded: p.board_decision.is_some(),
                decided_on: p.board_decision.as_ref().map(|d| d.decided_on),
                informed_on: p.board_decision.as_ref().map(|d| d.informed_on),
            },
            url,
        }
    }
}

/// The API view of these cases, in their order: progress in its fixed queries, the schools'
/// names in one more.
pub async fn to_json(db: &impl ConnectionTrait, cases: &[case::Model]) -> Result<Vec<Zaak>, DbErr> {
    let progress = progress::of(db, cases).await?;
    let names: HashMap<i32, String> = school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .column(school::Column::Name)
        .filter(school::Column::Id.is_in(cases.iter().map(|c| c.school_id)))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(cases
        .iter()
        .zip(progress)
        .map(|(c, p)| Zaak::new(c, p, names.get(&c.school_id).cloned().unwrap_or_default()))
        .collect())
}

#[derive(Debug, Serialize)]
pub struct Page {
    pub zaken: Vec<Zaak>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    /// The next page's address, while there is one.
    pub next: Option<String>,
}

/// `pagina` from the query string: absent means 1.
fn page_of(query: Option<&str>) -> ApiResult<u64> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| ApiError::BadRequest("de query string is niet leesbaar.".into()))?;
    match pairs.iter().find(|(k, _)| k == "pagina") {
        None => Ok(1),
        Some((_, v)) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|p| (1..=1_000_000).contains(p))
            .ok_or_else(|| ApiError::BadRequest("pagina moet een geheel getal van 1 of meer zijn.".into())),
    }
}

/// `GET /zaken?pagina=N`: the board's cases, newest first.
pub async fn list(State(state): State<AppState>, Reader(client): Reader, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let page = page_of(q.as_deref())?;
    let scope = case::Entity::find().filter(case::Column::BoardId.eq(client.board_id));
    let total = scope.clone().count(&state.db).await?;
    let cases = scope
        .order_by_desc(case::Column::ReceivedOn)
        .order_by_desc(case::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(&state.db)
        .await?;
    let zaken = to_json(&state.db, &cases).await?;
    let next = (page * PER_PAGE < total).then(|| format!("{PREFIX}/zaken?pagina={}", page + 1));
    Ok(JsonBody(Page { zaken, page, per_page: PER_PAGE, total, next }).into_response())
}

/// The case named in the path if it is the board's: 404 when there is none, 403 when it is
/// another board's.
async fn own_case(db: &impl ConnectionTrait, board_id: i32, zaaknummer: &str) -> ApiResult<case::Model> {
    if crate::domain::zaaknummer::Zaaknummer::parse(zaaknummer).is_none() {
        return Err(ApiError::NotFound("Deze zaak"));
    }
    let c = case::Entity::find()
        .filter(case::Column::Zaaknummer.eq(zaaknummer))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("Deze zaak"))?;
    if c.board_id != board_id {
        tracing::warn!(board_id, %zaaknummer, "api: refused another board's case");
        return Err(ApiError::Forbidden("Deze zaak"));
    }
    Ok(c)
}

/// `GET /zaken/{zaaknummer}`.
pub async fn one(
    State(state): State<AppState>,
    Reader(client): Reader,
    Path(zaaknummer): Path<String>,
) -> ApiResult<Response> {
    let c = own_case(&state.db, client.board_id, &zaaknummer).await?;
    let zaak = to_json(&state.db, std::slice::from_ref(&c)).await?.pop().ok_or(ApiError::NotFound("Deze zaak"))?;
    crate::access_log::record_api(&state.db, c.id, client.token_id, "zaak").await?;
    Ok(JsonBody(zaak).into_response())
}

/// `GET /zaken/{zaaknummer}/advies`: the advies as sent (its newest version), as PDF.
pub async fn advies_pdf(
    State(state): State<AppState>,
    Reader(client): Reader,
    Path(zaaknummer): Path<String>,
) -> ApiResult<Response> {
    let c = own_case(&state.db, client.board_id, &zaaknummer).await?;
    let p = progress::of(&state.db, std::slice::from_ref(&c)).await?.pop();
    let Some(document_id) = p.and_then(|p| p.advies).and_then(|a| a.pdf_document_id) else {
        return Err(ApiError::NoAdvies);
    };
    let (doc, bytes) = crate::cases::documents::load(&state.db, c.id, document_id).await?.ok_or(ApiError::NoAdvies)?;
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CONTENT_DISPOSITION, crate::web::routes::cases::content_disposition(&doc.file_name));
    let read = format!("advies-PDF {}", crate::access_log::document_detail(&doc.file_name, doc.id));
    crate::access_log::record_api(&state.db, c.id, client.token_id, &read).await?;
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_strictly() {
        assert_eq!(page_of(None).unwrap(), 1);
        assert_eq!(page_of(Some("")).unwrap(), 1);
        assert_eq!(page_of(Some("pagina=3")).unwrap(), 3);
        assert_eq!(page_of(Some("x=1&pagina=2")).unwrap(), 2);
        for bad in ["pagina=0", "pagina=-1", "pagina=twee", "pagina="] {
            assert!(matches!(page_of(Some(bad)), Err(ApiError::BadRequest(_))), "{bad}");
        }
    }
}

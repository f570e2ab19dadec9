//! The case register (`/zaken`), registering a klaagschrift, the case page, its documents and
//! its panel.

use crate::access_log::{self, What};
use crate::audit::WriteTx;
use crate::cases::{
    self, CaseError,
    register::{NewCase, NewDocument, NewParty},
    search,
};
use crate::domain::access::{Action, CaseScope, Role, case_scope};
use crate::domain::case::{Arrival, CaseStatus, ComplaintKind, PanelRole, PartyRole};
use crate::domain::{upload, validate};
use crate::entities::{board, school};
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::{CaseCtx, Ctx},
    form::{FieldErrors, Form, MultipartForm},
    registry::{Access, Routes},
    views::{
        self,
        cases::{NewCaseForm, PartyInput},
    },
};
use axum::{
    extract::{FromRequest, Path, Query, Request, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/zaken", Access::SignedIn, register_page)
        .get("/zaken/nieuw", Access::Action(Action::RegisterCase), new_case_page)
        .post("/zaken", Access::Action(Action::RegisterCase), create_case)
        .get("/zaken/{zaaknummer}", Access::Case, case_page)
        .get("/zaken/{zaaknummer}/inzage-log", Access::Action(Action::Administer), access_log_page)
        .post("/zaken/{zaaknummer}/documenten", Access::ManageCase, add_document)
        .get("/zaken/{zaaknummer}/documenten/{document_id}", Access::Case, download_document)
        .post("/zaken/{zaaknummer}/commissie", Access::ManageCase, seat_member)
        .post("/zaken/{zaaknummer}/commissie/voorstel", Access::ManageCase, accept_proposal)
        .post(
            "/zaken/{zaaknummer}/documenten/{document_id}/inzage",
            Access::Action(Action::DecideTerms),
            restrict_document,
        )
        .post("/zaken/{zaaknummer}/betrokkenen/{party_id}/hoedanigheid", Access::ManageCase, set_qualification)
        .post("/zaken/{zaaknummer}/soort-klacht", Access::ManageCase, set_complaint_kind)
        .post("/zaken/{zaaknummer}/commissie/{member_id}/verwijderen", Access::ManageCase, unseat_member)
}

/// The register's filters as typed in the URL; anything unparseable is ignored, not an error.
#[derive(Deserialize, Default, Clone)]
pub struct RegisterQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub board: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
}

impl RegisterQuery {
    fn filter(&self) -> search::Filter {
        search::Filter {
            status: CaseStatus::parse(&self.status).map(|s| s.code().to_owned()),
            school_id: self.school.parse().ok(),
            board_id: self.board.parse().ok(),
            year: self.year.parse().ok().filter(|y| (1900..=9999).contains(y)),
            q: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty() && q.chars().count() <= 100),
            page: self.page.parse().unwrap_or(1),
        }
    }
}

/// The schools (and boards) one may filter on: a board user only sees its own.
async fn filter_options(state: &AppState, ctx: &Ctx) -> AppResult<(Vec<school::Model>, Vec<board::Model>)> {
    let mut schools = school::Entity::find().order_by_asc(school::Column::Name);
    let mut boards = board::Entity::find().order_by_asc(board::Column::Name);
    match case_scope(&ctx.user.viewer()) {
        CaseScope::Board(b) => {
            schools = schools.filter(school::Column::BoardId.eq(b));
            boards = boards.filter(board::Column::Id.eq(b));
        }
        CaseScope::School(s) => {
            schools = schools.filter(school::Column::Id.eq(s));
            boards = boards.filter(board::Column::Id.eq(ctx.user.board_id.unwrap_or_default()));
        }
        _ => {}
    }
    Ok((schools.all(&state.db).await?, boards.all(&state.db).await?))
}

async fn register_page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<RegisterQuery>) -> AppResult<Response> {
    let scope = case_scope(&ctx.user.viewer());
    let page = search::page(&state.db, scope, &q.filter()).await?;
    let (schools, boards) = filter_options(&state, &ctx).await?;
    Ok(views::cases::register(&ctx, &q, &page, &schools, &boards).into_response())
}

async fn new_case_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::RegisterCase)?;
    let schools = school::Entity::find().order_by_asc(school::Column::Name).all(&state.db).await?;
    let form = NewCaseForm {
        received_on: Utc::now()
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .date_naive()
            .format("%Y-%m-%d")
            .to_string(),
        arrival: Arrival::Post.code().into(),
        parties: vec![
            PartyInput { role: PartyRole::Klager.code().into(), ..Default::default() },
            PartyInput { role: PartyRole::Aangeklaagde.code().into(), ..Default::default() },
            PartyInput::default(),
            PartyInput::default(),
        ],
        acknowledge: true,
        signed_by: "klager".into(),
        ..Default::default()
    };
    Ok(views::cases::new_case(&ctx, &form, &schools, &FieldErrors::default()).into_response())
}

/// Party rows on the registration form (no JavaScript: a fixed number of rows).
pub const PARTY_ROWS: usize = 4;
/// Document rows on the registration form.
pub const DOCUMENT_ROWS: usize = 3;

/// Turns the submitted form into a [`NewCase`], collecting every error for the form.
fn parse_new_case(mp: &MultipartForm) -> (NewCaseForm, Result<NewCase, FieldErrors>) {
    let mut errors = FieldErrors::default();
    let form = NewCaseForm {
        received_on: mp.get("received_on").to_owned(),
        school_id: mp.get("school_id").to_owned(),
        subject: mp.get("subject").to_owned(),
        facts_date: mp.get("facts_date").to_owned(),
        arrival: mp.get("arrival").to_owned(),
        parties: (0..PARTY_ROWS)
            .map(|i| PartyInput {
                role: mp.get(&format!("p{i}_role")).to_owned(),
                name: mp.get(&format!("p{i}_name")).to_owned(),
                address: mp.get(&format!("p{i}_address")).to_owned(),
                email: mp.get(&format!("p{i}_email")).to_owned(),
                phone: mp.get(&format!("p{i}_phone")).to_owned(),
                minor: mp.get(&format!("p{i}_minor")) == "ja",
            })
            .collect(),
        doc_titles: (0..DOCUMENT_ROWS).map(|i| mp.get(&format!("d{i}_title")).to_owned()).collect(),
        acknowledge: mp.get("acknowledge") == "ja",
        signed_by: mp.get("signed_by").to_owned(),
        forwarded_by: mp.get("forwarded_by").to_owned(),
        forwarded_received_on: mp.get("forwarded_received_on").to_owned(),
        needs_translation: mp.get("needs_translation") == "ja",
        complaint_kind: mp.get("complaint_kind").trim().to_owned(),
    };
    let received_on = errors.check("received_on", validate::date(&form.received_on));
    if let Some(d) = received_on
        && d > Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
    {
        errors.add("received_on", "De datum van ontvangst kan niet in de toekomst liggen.");
    }
    let school_id = form.school_id.parse::<i32>().ok();
    if school_id.is_none() {
        errors.add("school_id", "Kies de school waarover geklaagd wordt.");
    }
    let subject = errors.check("subject", validate::required(&form.subject, 300));
    let facts_date = errors.check("facts_date", validate::optional_date(&form.facts_date));
    let arrival = Arrival::parse(&form.arrival);
    if arrival.is_none() {
        errors.add("arrival", "Kies hoe het klaagschrift binnenkwam.");
    }
    let complaint_kind = match parse_complaint_kind(&form.complaint_kind) {
        Ok(k) => k,
        Err(e) => {
            errors.add("complaint_kind", e);
            None
        }
    };
    let mut parties = Vec::new();
    for (i, p) in form.parties.iter().enumerate() {
        let blank = p.name.trim().is_empty()
            && p.address.trim().is_empty()
            && p.email.trim().is_empty()
            && p.phone.trim().is_empty();
        if blank {
            continue;
        }
        let role = PartyRole::parse(&p.role);
        if role.is_none() {
            errors.add(&format!("p{i}_role"), "Kies de rol van deze persoon.");
        }
        let name = errors.check(&format!("p{i}_name"), validate::required(&p.name, 200));
        let email = errors.check(&format!("p{i}_email"), validate::optional_email(&p.email));
        let address = errors.check(&format!("p{i}_address"), validate::optional(&p.address, 500));
        let phone = errors.check(&format!("p{i}_phone"), validate::optional(&p.phone, 40));
        if let (Some(role), Some(name), Some(email), Some(address), Some(phone)) = (role, name, email, address, phone) {
            parties.push(NewParty { role, name, address, email, phone, minor: p.minor });
        }
    }
    if !form.parties.iter().any(|p| p.role == PartyRole::Klager.code() && !p.name.trim().is_empty()) {
        errors.add("p0_name", "Vul ten minste de naam van de klager in (art. 11.3).");
    }
    let signed_by_representative = match form.signed_by.as_str() {
        "" | "klager" => false,
        "gemachtigde" => {
            if !parties.iter().any(|p: &NewParty| p.role == PartyRole::GemachtigdeKlager) {
                errors.add(
                    "signed_by",
                    "Noem de gemachtigde die het klaagschrift ondertekende bij de personen (art. 11.1).",
                );
            }
            true
        }
        _ => {
            errors.add("signed_by", "Kies wie het klaagschrift ondertekende.");
            false
        }
    };
    // Art 11.6: only a forwarded complaint has a first receiver.
    let (forwarded_by, forwarded_received_on) = if arrival == Some(Arrival::Doorgezonden) {
        let by = errors.check("forwarded_by", validate::required(&form.forwarded_by, 300));
        let on = errors.check("forwarded_received_on", validate::date(&form.forwarded_received_on));
        if let (Some(on), Some(received)) = (on, received_on)
            && on > received
        {
            errors.add(
                "forwarded_received_on",
                "De instantie kan de klacht niet later hebben ontvangen dan de commissie.",
            );
        }
        (by, on)
    } else {
        (None, None)
    };
    let mut documents = Vec::new();
    for i in 0..DOCUMENT_ROWS {
        let field = format!("d{i}_file");
        let Some(f) = mp.files.iter().find(|f| f.field == field) else {
            continue;
        };
        let file_name = match upload::clean_file_name(&f.file_name) {
            Ok(n) => n,
            Err(e) => {
                errors.add(&field, e.to_string());
                continue;
            }
        };
        match upload::check(&f.content_type, &file_name, &f.bytes) {
            Ok(media_type) => documents.push(NewDocument {
                title: Some(form.doc_titles[i].trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| if i == 0 { "Klaagschrift".into() } else { file_name.clone() }),
                file_name,
                media_type: media_type.to_owned(),
                received_on: received_on.unwrap_or_default(),
                bytes: f.bytes.clone(),
            }),
            Err(e) => errors.add(&field, format!("{}: {e}", f.file_name)),
        }
    }
    let result = match (errors.is_empty(), received_on, school_id, subject, arrival) {
        (true, Some(received_on), Some(school_id), Some(subject), Some(arrival)) => Ok(NewCase {
            received_on,
            school_id,
            subject,
            facts_date: facts_date.flatten(),
            arrival,
            parties,
            documents,
            receipt: cases::register::Receipt {
                signed_by_representative,
                forwarded_by,
                forwarded_received_on,
                needs_translation: form.needs_translation,
            },
            complaint_kind,
        }),
        _ => Err(errors),
    };
    (form, result)
}

/// A kind of complaint as chosen on a form: empty is "not recorded"; an unknown code (a
/// tampered or stale form) is refused with a Dutch message naming it.
pub(crate) fn parse_complaint_kind(code: &str) -> Result<Option<ComplaintKind>, String> {
    match code.trim() {
        "" => Ok(None),
        code => ComplaintKind::parse(code).map(Some).ok_or_else(|| {
            let shown: String = code.chars().take(40).collect();
            format!(
                "Onbekende soort klacht \u{2018}{shown}\u{2019}: kies een soort uit de lijst, \
                 of \u{2018}Niet vastgelegd\u{2019}."
            )
        }),
    }
}

/// The body is read only after the role check, so a refused user gets 403, not a form error.
async fn create_case(State(state): State<AppState>, ctx: Ctx, req: Request) -> AppResult<Response> {
    ctx.require(Action::RegisterCase)?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let (form, parsed) = parse_new_case(&mp);
    let outcome = match parsed {
        Ok(new) => {
            let mut tx = WriteTx::begin(&state.db, ctx.user.actor()).await?;
            let registered = match cases::register::register(&mut tx, new).await {
                Ok((zaaknummer, case_id)) if form.acknowledge => {
                    cases::register::acknowledge(&mut tx, case_id).await.map(|()| zaaknummer)
                }
                other => other.map(|(zaaknummer, _)| zaaknummer),
            };
            match registered {
                Ok(zaaknummer) => {
                    tx.commit().await?;
                    state.mail_queued();
                    return Ok(Redirect::to(&format!("/zaken/{zaaknummer}")).into_response());
                }
                // Dropping the transaction rolls it back: nothing half-written.
                Err(CaseError::UnknownSchool) => {
                    let mut e = FieldErrors::default();
                    e.add("school_id", CaseError::UnknownSchool.to_string());
                    e
                }
                Err(CaseError::NoKlager) => {
                    let mut e = FieldErrors::default();
                    e.add("p0_name", CaseError::NoKlager.to_string());
                    e
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(errors) => errors,
    };
    let schools = school::Entity::find().order_by_asc(school::Column::Name).all(&state.db).await?;
    let mut errors = outcome;
    if !mp.files.is_empty() {
        errors.add("documents", "Kies de bestanden opnieuw: een browser stuurt gekozen bestanden niet mee terug.");
    }
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, views::cases::new_case(&ctx, &form, &schools, &errors))
        .into_response())
}

async fn case_page(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    let members = seatable(&state, &cc).await?;
    let case_id = cc.case.id;
    let detail = cases::detail::load(&state.db, cc.case).await?;
    let page = views::cases::case_page(&cc.ctx, &detail, &members, &FieldErrors::default(), None, &[]);
    access_log::record(&state.db, case_id, Some(cc.ctx.user.id), What::Zaak, None).await?;
    Ok(page.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LogQuery {
    pagina: String,
}

/// Issue 9: who viewed or downloaded what of this case, for the beheerder only (not a view
/// of the case itself, so not logged).
async fn access_log_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zaaknummer): Path<String>,
    Query(q): Query<LogQuery>,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    if crate::domain::zaaknummer::Zaaknummer::parse(&zaaknummer).is_none() {
        return Err(AppError::NotFound);
    }
    let case = crate::entities::case::Entity::find()
        .filter(crate::entities::case::Column::Zaaknummer.eq(zaaknummer))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = access_log::page(&state.db, case.id, q.pagina.trim().parse().unwrap_or(1)).await?;
    Ok(views::cases::access_log(&ctx, &case, &page).into_response())
}

/// What the panel form offers: the members one may seat and the proposal with its reasons;
/// nothing for those who may not compose panels, or when the panel is full.
async fn seatable(state: &AppState, cc: &CaseCtx) -> AppResult<views::cases::PanelChoice> {
    if !cc.ctx.may(Action::ManageCase) {
        return Ok(views::cases::PanelChoice::default());
    }
    let today = views::deadlines::today();
    let members = cases::panel::eligible_members(&state.db, &cc.case, today).await?;
    let proposal = if cc.case.status != "afgesloten" {
        Some(cases::panel::proposal(&state.db, &cc.case, today).await?)
    } else {
        None
    };
    Ok(views::cases::PanelChoice { members, proposal })
}

/// Art 15: the chair reserves a document's inspection (or lifts the reservation).
async fn restrict_document(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, document_id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    cc.ctx.require(Action::DecideTerms)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let get = |n: &str| pairs.iter().find(|(k, _)| k == n).map_or("", |(_, v)| v.as_str()).trim().to_owned();
    let concerned = match get("voor").as_str() {
        "" => None,
        code => match PartyRole::parse(code).filter(|r| matches!(r, PartyRole::Klager | PartyRole::Aangeklaagde)) {
            Some(r) => Some(r),
            None => return Err(AppError::BadRequest("voor: klager of aangeklaagde".into())),
        },
    };
    let reason = get("reden");
    let mut errors = FieldErrors::default();
    if concerned.is_some() && reason.chars().count() < 5 {
        errors.add(
            "inzage",
            "Geef de reden van de beperking (art. 15): de gezondheid van een partij of de privacy van een ander.",
        );
        return case_page_with_errors(&state, cc, errors, None).await;
    }
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    match cases::documents::restrict(&mut tx, &cc.case, document_id, concerned, &reason).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/zaken/{}#documenten", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            errors.add("inzage", e.to_string());
            case_page_with_errors(&state, cc, errors, None).await
        }
    }
}

/// Art 15: a gemachtigde's standing (lawyer, doctor, admitted by the commission).
async fn set_qualification(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, party_id)): Path<(String, i32)>,
    req: Request,
) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let q = pairs.iter().find(|(k, _)| k == "hoedanigheid").map_or("", |(_, v)| v.as_str()).trim().to_owned();
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    match cases::parties::set_qualification(&mut tx, &cc.case, party_id, Some(q.as_str()).filter(|q| !q.is_empty()))
        .await
    {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/zaken/{}#betrokkenen", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("hoedanigheid", e.to_string());
            case_page_with_errors(&state, cc, errors, None).await
        }
    }
}

/// Records or changes the kind of complaint (for the annual report), also on a closed case.
async fn set_complaint_kind(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let raw = pairs.iter().find(|(k, _)| k == "soort_klacht").map_or("", |(_, v)| v.as_str()).to_owned();
    let kind = match parse_complaint_kind(&raw) {
        Ok(k) => k,
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("soort_klacht", e);
            return case_page_with_input(&state, cc, errors, vec![("soort_klacht".into(), raw)]).await;
        }
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    cases::register::set_complaint_kind(&mut tx, &cc.case, kind).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/zaken/{}", cc.case.zaaknummer)).into_response())
}

async fn accept_proposal(State(state): State<AppState>, cc: CaseCtx) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    match cases::panel::accept_proposal(&mut tx, &cc.case).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/zaken/{}#commissie", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("member_id", e.to_string());
            case_page_with_errors(&state, cc, errors, None).await
        }
    }
}

/// Re-renders the case page with an error next to the form that failed and its input kept.
pub(crate) async fn case_page_with_input(
    state: &AppState,
    cc: CaseCtx,
    errors: FieldErrors,
    input: Vec<(String, String)>,
) -> AppResult<Response> {
    let members = seatable(state, &cc).await?;
    let detail = cases::detail::load(&state.db, cc.case).await?;
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        views::cases::case_page(&cc.ctx, &detail, &members, &errors, None, &input),
    )
        .into_response())
}

/// Re-renders the case page with an error next to the form that failed.
pub(crate) async fn case_page_with_errors(
    state: &AppState,
    cc: CaseCtx,
    errors: FieldErrors,
    doc_title: Option<String>,
) -> AppResult<Response> {
    let members = seatable(state, &cc).await?;
    let detail = cases::detail::load(&state.db, cc.case).await?;
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        views::cases::case_page(&cc.ctx, &detail, &members, &errors, doc_title.as_deref(), &[]),
    )
        .into_response())
}

async fn add_document(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let mut errors = FieldErrors::default();
    let title = errors.check("doc_title", validate::required(mp.get("doc_title"), 200));
    let received_on = errors.check("doc_received_on", validate::date(mp.get("doc_received_on")));
    let file = mp.files.iter().find(|f| f.field == "doc_file");
    let doc = match file {
        None => {
            errors.add("doc_file", "Kies het bestand dat is ontvangen.");
            None
        }
        Some(f) => match upload::clean_file_name(&f.file_name)
            .and_then(|n| upload::check(&f.content_type, &n, &f.bytes).map(|t| (n, t)))
        {
            Ok((file_name, media_type)) => Some((file_name, media_type, f.bytes.clone())),
            Err(e) => {
                errors.add("doc_file", e.to_string());
                None
            }
        },
    };
    // Art 11.9: the sender, if known, gets an acknowledgement.
    let from = match mp.get("doc_from") {
        "" => None,
        code => match crate::letters::compose::To::parse(code) {
            Some(to) if crate::letters::compose::recipients(&state.db, &cc.case).await?.iter().any(|r| r.to == to) => {
                Some(to)
            }
            _ => {
                errors.add("doc_from", "Kies de afzender uit de lijst.");
                None
            }
        },
    };
    let acknowledge_to = from.filter(|_| mp.get("doc_ack") == "ja");
    match (title, received_on, doc) {
        (Some(title), Some(received_on), Some((file_name, media_type, bytes))) if errors.is_empty() => {
            let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
            let stored = cases::documents::receive(
                &mut tx,
                &cc.case,
                NewDocument { title, file_name, media_type: media_type.to_owned(), received_on, bytes },
                acknowledge_to,
            )
            .await;
            match stored {
                Ok(_) => {}
                Err(CaseError::Db(e)) => return Err(e.into()),
                Err(e) => {
                    drop(tx);
                    errors.add("doc_from", e.to_string());
                    return case_page_with_errors(&state, cc, errors, Some(mp.get("doc_title").to_owned())).await;
                }
            }
            tx.commit().await?;
            state.mail_queued();
            Ok(Redirect::to(&format!("/zaken/{}#documenten", cc.case.zaaknummer)).into_response())
        }
        _ => {
            if file.is_some() && !errors.contains("doc_file") {
                errors.add("doc_file", "Kies het bestand opnieuw.");
            }
            let title = mp.get("doc_title").to_owned();
            case_page_with_errors(&state, cc, errors, Some(title)).await
        }
    }
}

async fn download_document(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, document_id)): Path<(String, i32)>,
) -> AppResult<Response> {
    let (doc, bytes) = cases::documents::load(&state.db, cc.case.id, document_id).await?.ok_or(AppError::NotFound)?;
    // Art 15: restricted documents are never handed to a party-side account. Board users are
    // a party-side account for this purpose; the commission sees everything.
    if doc.restricted && cc.ctx.user.role == Role::Bestuur {
        return Err(AppError::Forbidden);
    }
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&doc.media_type).map_err(|_| AppError::Internal(anyhow::anyhow!("stored media type")))?,
    );
    h.insert(header::CONTENT_DISPOSITION, content_disposition(&doc.file_name));
    let detail = access_log::document_detail(&doc.file_name, doc.id);
    access_log::record(&state.db, cc.case.id, Some(cc.ctx.user.id), What::Document, Some(detail)).await?;
    Ok(resp)
}

/// `attachment` with an ASCII fallback and the exact name in RFC 5987 form, so no file name
/// can break out of the header or make the browser render the file inline.
pub fn content_disposition(file_name: &str) -> HeaderValue {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || "._- ()".contains(c) { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
pub struct SeatForm {
    member_id: String,
    role: String,
}

async fn seat_member(State(state): State<AppState>, cc: CaseCtx, req: Request) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let Form(f) = Form::<SeatForm>::from_request(req, &state).await?;
    let mut errors = FieldErrors::default();
    let (Some(member_id), Some(role)) = (f.member_id.parse::<i32>().ok(), PanelRole::parse(&f.role)) else {
        errors.add("member_id", "Kies een lid en een rol.");
        return case_page_with_errors(&state, cc, errors, None).await;
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    match cases::panel::seat(&mut tx, &cc.case, member_id, role).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/zaken/{}#commissie", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            errors.add("member_id", e.to_string());
            case_page_with_errors(&state, cc, errors, None).await
        }
    }
}

async fn unseat_member(
    State(state): State<AppState>,
    cc: CaseCtx,
    Path((_, member_id)): Path<(String, i32)>,
) -> AppResult<Response> {
    cc.ctx.require(Action::ManageCase)?;
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    match cases::panel::unseat(&mut tx, &cc.case, member_id).await {
        Ok(()) => tx.commit().await?,
        Err(CaseError::UnknownMember) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/zaken/{}#commissie", cc.case.zaaknummer)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaint_kinds_parse_or_are_explained() {
        assert_eq!(parse_complaint_kind(""), Ok(None));
        assert_eq!(parse_complaint_kind(" bejegening "), Ok(Some(ComplaintKind::Bejegening)));
        let e = parse_complaint_kind("onderwijskundig").unwrap_err();
        assert!(e.contains("Onbekende soort klacht") && e.contains("onderwijskundig"), "{e}");
    }

    #[test]
    fn content_disposition_is_safe() {
        let v = content_disposition("klacht \"x\"\r\nSet-Cookie: a.pdf");
        let s = v.to_str().unwrap();
        assert!(s.starts_with("attachment; filename=\"klacht _x___Set-Cookie_ a.pdf\""), "{s}");
        assert!(!s.contains('\n'));
        assert!(
            content_disposition("verslag-ö.pdf").to_str().unwrap().contains("filename*=UTF-8''verslag%2D%C3%B6%2Epdf")
        );
    }
}

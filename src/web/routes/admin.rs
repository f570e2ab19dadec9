//! Administration (`/beheer`): an overview, the affiliated boards (Art 3), their schools, and
//! the user accounts. Administrators only.

use crate::admin::{self, NewBoard, NewSchool, NewUser};
use crate::domain::access::Action;
use crate::entities::{board, member, school, user};
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::Ctx,
    form::FieldErrors,
    registry::{Access, Routes},
    views,
};
// Our Form: a malformed or NUL-carrying body gets the Dutch error page.
use crate::web::form::Form;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use maud::Markup;
use sea_orm::{EntityTrait, QueryOrder};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/beheer", Access::Action(Action::Administer), overview)
        .get("/beheer/besturen", Access::Action(Action::Administer), boards_page)
        .post("/beheer/besturen", Access::Action(Action::Administer), create_board)
        .post("/beheer/besturen/{board_id}/opzegging", Access::Action(Action::Administer), terminate_board)
        .get("/beheer/scholen", Access::Action(Action::Administer), schools_page)
        .post("/beheer/scholen", Access::Action(Action::Administer), create_school)
        .get("/beheer/gebruikers", Access::Action(Action::Administer), users_page)
        .post("/beheer/gebruikers", Access::Action(Action::Administer), create_user)
        .post("/beheer/gebruikers/{user_id}/actief", Access::Action(Action::Administer), set_user_active)
}

/// The board form as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BoardForm {
    pub name: String,
    pub address: String,
    pub email: String,
    pub affiliated_on: String,
    pub terminated_on: String,
}

/// The school form as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SchoolForm {
    pub board_id: String,
    pub name: String,
    pub brin: String,
    pub address: String,
    pub place: String,
    pub region: String,
    pub sector: String,
    pub contact_name: String,
    pub contact_email: String,
}

/// The account form as typed. The password is never shown again, nor logged.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct UserForm {
    pub email: String,
    pub name: String,
    pub role: String,
    pub board_id: String,
    pub school_id: String,
    pub member_id: String,
    pub password: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    /// `ja` to activate, `nee` to deactivate.
    pub active: String,
}

/// An id from the path; anything that is not one names nothing.
fn id(text: &str) -> AppResult<i32> {
    text.parse().map_err(|_| AppError::NotFound)
}

/// A chosen option of a select; the empty choice (or anything else) is none.
fn chosen(text: &str) -> Option<i32> {
    text.trim().parse().ok()
}

async fn overview(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::Administer)?;
    let counts = admin::counts(&state.db).await?;
    let members = member::Entity::find().all(&state.db).await?;
    let warnings = admin::composition(&members, admin::today());
    Ok(views::admin::overview(&ctx, &counts, &warnings))
}

async fn render_boards(
    state: &AppState,
    ctx: &Ctx,
    form: &BoardForm,
    errors: &FieldErrors,
    notice: Option<(i32, &str)>,
) -> AppResult<Markup> {
    let boards = board::Entity::find().order_by_asc(board::Column::Name).all(&state.db).await?;
    let per_board = admin::schools_per_board(&state.db).await?;
    Ok(views::admin::boards(ctx, &boards, &per_board, form, errors, notice))
}

async fn boards_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::Administer)?;
    render_boards(&state, &ctx, &BoardForm::default(), &FieldErrors::default(), None).await
}

async fn create_board(State(state): State<AppState>, ctx: Ctx, Form(form): Form<BoardForm>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let input = NewBoard {
        name: form.name.clone(),
        address: form.address.clone(),
        email: form.email.clone(),
        affiliated_on: form.affiliated_on.clone(),
        terminated_on: form.terminated_on.clone(),
    };
    match admin::create_board(&state.db, ctx.user.actor(), input).await? {
        Ok(_) => Ok(Redirect::to("/beheer/besturen").into_response()),
        Err(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, render_boards(&state, &ctx, &form, &errors, None).await?)
            .into_response()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NoticeForm {
    notice_on: String,
}

async fn terminate_board(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(board_id): axum::extract::Path<i32>,
    Form(f): Form<NoticeForm>,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    match admin::terminate_affiliation(&state.db, ctx.user.actor(), board_id, &f.notice_on).await? {
        None => Err(crate::web::error::AppError::NotFound),
        Some(Ok(_)) => Ok(Redirect::to("/beheer/besturen").into_response()),
        Some(Err(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_boards(&state, &ctx, &BoardForm::default(), &errors, Some((board_id, &f.notice_on))).await?,
        )
            .into_response()),
    }
}

async fn render_schools(state: &AppState, ctx: &Ctx, form: &SchoolForm, errors: &FieldErrors) -> AppResult<Markup> {
    let schools = school::Entity::find().order_by_asc(school::Column::Name).all(&state.db).await?;
    let boards = board::Entity::find().order_by_asc(board::Column::Name).all(&state.db).await?;
    Ok(views::admin::schools(ctx, &schools, &boards, form, errors))
}

async fn schools_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::Administer)?;
    render_schools(&state, &ctx, &SchoolForm::default(), &FieldErrors::default()).await
}

async fn create_school(State(state): State<AppState>, ctx: Ctx, Form(form): Form<SchoolForm>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let input = NewSchool {
        board_id: chosen(&form.board_id),
        name: form.name.clone(),
        brin: form.brin.clone(),
        address: form.address.clone(),
        place: form.place.clone(),
        region: form.region.clone(),
        sector: form.sector.clone(),
        contact_name: form.contact_name.clone(),
        contact_email: form.contact_email.clone(),
    };
    match admin::create_school(&state.db, ctx.user.actor(), input).await? {
        Ok(_) => Ok(Redirect::to("/beheer/scholen").into_response()),
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_schools(&state, &ctx, &form, &errors).await?).into_response())
        }
    }
}

async fn render_users(state: &AppState, ctx: &Ctx, form: &UserForm, errors: &FieldErrors) -> AppResult<Markup> {
    let users = user::Entity::find().order_by_asc(user::Column::Name).all(&state.db).await?;
    let boards = board::Entity::find().order_by_asc(board::Column::Name).all(&state.db).await?;
    let members = member::Entity::find().order_by_asc(member::Column::Name).all(&state.db).await?;
    let schools = school::Entity::find().order_by_asc(school::Column::Name).all(&state.db).await?;
    Ok(views::admin::users(ctx, &users, &boards, &schools, &members, form, errors))
}

async fn users_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::Administer)?;
    render_users(&state, &ctx, &UserForm::default(), &FieldErrors::default()).await
}

async fn create_user(State(state): State<AppState>, ctx: Ctx, Form(form): Form<UserForm>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let input = NewUser {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
        board_id: chosen(&form.board_id),
        school_id: chosen(&form.school_id),
        member_id: chosen(&form.member_id),
        password: form.password.clone(),
    };
    match admin::create_user(&state.db, ctx.user.actor(), input).await? {
        Ok(_) => Ok(Redirect::to("/beheer/gebruikers").into_response()),
        Err(errors) => {
            // The form comes back with everything as typed except the password.
            let kept = UserForm { password: String::new(), ..form };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_users(&state, &ctx, &kept, &errors).await?).into_response())
        }
    }
}

async fn set_user_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<String>,
    Form(f): Form<ActiveForm>,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let user_id = id(&user_id)?;
    let active = crate::web::form::yes_no(&f.active, "active")?;
    match admin::set_user_active(&state.db, ctx.user.actor(), user_id, active).await? {
        Ok(()) => Ok(Redirect::to("/beheer/gebruikers").into_response()),
        Err(errors) if errors.get("user_id").is_some() => Err(AppError::NotFound),
        Err(errors) => {
            // The error belongs to that user's button in the list.
            let mut on_row = FieldErrors::default();
            for (_, msg) in errors.iter() {
                on_row.add(&views::admin::user_row_field(user_id), msg);
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_users(&state, &ctx, &UserForm::default(), &on_row).await?)
                .into_response())
        }
    }
}

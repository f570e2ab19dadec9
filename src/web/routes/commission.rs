//! The commission (`/commissie`): the rooster van aftreden (Art 5.3), the composition check
//! (Art 4.1) and the members' recorded ties to boards and schools (Art 5.1). Administrators
//! appoint and reappoint members and record or remove ties here.

use crate::admin::{self, NewMember};
use crate::domain::access::Action;
use crate::domain::case::Sector;
use crate::entities::{board, school};
use crate::web::{
    AppState,
    error::{AppError, AppResult},
    extract::Ctx,
    form::FieldErrors,
    registry::{Access, Routes},
    views::{
        self,
        commission::{AffiliationInput, CommissionView},
    },
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
    r.get("/commissie", Access::Action(Action::ViewCommission), roster_page)
        .get("/commissie/rooster", Access::Action(Action::ViewCommission), roster_print)
        .post("/commissie/leden", Access::Action(Action::Administer), create_member)
        .post("/commissie/leden/{member_id}/herbenoemen", Access::Action(Action::Administer), renew_member)
        .post("/commissie/leden/{member_id}/verbondenheden", Access::Action(Action::Administer), add_affiliation)
        .post(
            "/commissie/verbondenheden/{affiliation_id}/verwijderen",
            Access::Action(Action::Administer),
            remove_affiliation,
        )
}

/// The "Lid toevoegen" form as typed. Sectors are four checkboxes, since a repeated field
/// cannot be read into a list from a urlencoded form.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MemberForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub is_chair: String,
    pub is_jurist: String,
    pub expertise: String,
    #[serde(rename = "sector_PO")]
    pub sector_po: String,
    #[serde(rename = "sector_SO")]
    pub sector_so: String,
    #[serde(rename = "sector_VO")]
    pub sector_vo: String,
    #[serde(rename = "sector_BVE")]
    pub sector_bve: String,
    pub term_start: String,
    pub term_end: String,
}

impl MemberForm {
    /// Whether the checkbox of this sector was ticked.
    pub fn has_sector(&self, s: Sector) -> bool {
        let v = match s {
            Sector::Po => &self.sector_po,
            Sector::So => &self.sector_so,
            Sector::Vo => &self.sector_vo,
            Sector::Bve => &self.sector_bve,
        };
        v == "ja"
    }

    fn to_new(&self) -> NewMember {
        NewMember {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            is_chair: self.is_chair == "ja",
            is_jurist: self.is_jurist == "ja",
            expertise: self.expertise.clone(),
            sectors: Sector::ALL.iter().filter(|s| self.has_sector(**s)).map(|s| s.code().to_owned()).collect(),
            term_start: self.term_start.clone(),
            term_end: self.term_end.clone(),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AffiliationForm {
    pub target: String,
    pub note: String,
}

/// An id from the path; anything that is not one names nothing.
fn id(text: &str) -> AppResult<i32> {
    text.parse().map_err(|_| AppError::NotFound)
}

/// The page with the given form state; boards and schools only for whoever may edit.
async fn render(
    state: &AppState,
    ctx: &Ctx,
    form: &MemberForm,
    affiliation: Option<&AffiliationInput>,
    errors: &FieldErrors,
) -> AppResult<Markup> {
    let today = admin::today();
    let roster = admin::roster(&state.db).await?;
    let warnings = admin::composition(roster.iter().map(|e| &e.member), today);
    let (boards, schools) = if ctx.may(Action::Administer) {
        (
            board::Entity::find().order_by_asc(board::Column::Name).all(&state.db).await?,
            school::Entity::find().order_by_asc(school::Column::Name).all(&state.db).await?,
        )
    } else {
        (vec![], vec![])
    };
    Ok(views::commission::page(
        ctx,
        &CommissionView {
            roster: &roster,
            warnings: &warnings,
            today,
            boards: &boards,
            schools: &schools,
            form,
            affiliation,
            errors,
        },
    ))
}

async fn roster_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ViewCommission)?;
    let form = MemberForm { term_start: admin::today().format("%Y-%m-%d").to_string(), ..Default::default() };
    Ok(render(&state, &ctx, &form, None, &FieldErrors::default()).await?.into_response())
}

async fn roster_print(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::ViewCommission)?;
    let roster = admin::roster(&state.db).await?;
    let head = crate::letters::letterhead::load(&state.db).await?;
    Ok(views::commission::roster_print(head.display_name(), &roster, admin::today()))
}

async fn create_member(State(state): State<AppState>, ctx: Ctx, Form(form): Form<MemberForm>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    match admin::create_member(&state.db, ctx.user.actor(), form.to_new()).await? {
        Ok(_) => Ok(Redirect::to("/commissie").into_response()),
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&state, &ctx, &form, None, &errors).await?).into_response())
        }
    }
}

async fn renew_member(State(state): State<AppState>, ctx: Ctx, Path(member_id): Path<String>) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    admin::renew_member(&state.db, ctx.user.actor(), id(&member_id)?).await?.ok_or(AppError::NotFound)?;
    Ok(Redirect::to("/commissie").into_response())
}

async fn add_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(member_id): Path<String>,
    Form(f): Form<AffiliationForm>,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    let member_id = id(&member_id)?;
    match admin::add_affiliation(&state.db, ctx.user.actor(), member_id, &f.target, &f.note).await? {
        Ok(_) => Ok(Redirect::to("/commissie").into_response()),
        Err(errors) if errors.get("member_id").is_some() => Err(AppError::NotFound),
        Err(errors) => {
            // Every member has its own form on the page: name the errors after this one's fields.
            let mut per_member = FieldErrors::default();
            for (field, msg) in errors.iter() {
                per_member.add(&AffiliationInput::field(field, member_id), msg);
            }
            let input = AffiliationInput { member_id, target: f.target, note: f.note };
            let page = render(&state, &ctx, &MemberForm::default(), Some(&input), &per_member).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn remove_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(affiliation_id): Path<String>,
) -> AppResult<Response> {
    ctx.require(Action::Administer)?;
    if !admin::remove_affiliation(&state.db, ctx.user.actor(), id(&affiliation_id)?).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/commissie").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_sectors_become_codes() {
        let f = MemberForm {
            sector_vo: "ja".into(),
            sector_po: "ja".into(),
            sector_bve: "nee".into(),
            is_chair: "ja".into(),
            ..Default::default()
        };
        let n = f.to_new();
        assert_eq!(n.sectors, vec!["PO".to_owned(), "VO".to_owned()]);
        assert!(n.is_chair && !n.is_jurist);
    }

    #[test]
    fn the_form_reads_urlencoded_checkboxes() {
        let f: MemberForm = serde_urlencoded::from_str("name=A&sector_SO=ja&sector_BVE=ja&csrf=x").unwrap();
        assert!(f.has_sector(Sector::So) && f.has_sector(Sector::Bve) && !f.has_sector(Sector::Po));
        assert_eq!(f.term_end, "");
    }
}

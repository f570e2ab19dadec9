//! The start page, per role: what needs attention and the most recent cases one may see.

use crate::cases::search;
use crate::domain::access::case_scope;
use crate::web::{
    AppState,
    error::AppResult,
    extract::Ctx,
    registry::{Access, Routes},
    views,
};
use axum::extract::State;
use maud::Markup;

pub fn routes(r: Routes) -> Routes {
    r.get("/", Access::SignedIn, home)
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    if let (crate::domain::access::Role::Bestuur, Some(board_id)) = (ctx.user.role, ctx.user.board_id) {
        let portal = crate::cases::portal::load(&state.db, board_id, ctx.user.school_id, ctx.user.id).await?;
        return Ok(views::home::board_portal(&ctx, &portal));
    }
    let scope = case_scope(&ctx.user.viewer());
    let counts = search::status_counts(&state.db, scope).await?;
    let recent = search::page(&state.db, scope, &search::Filter { page: 1, ..Default::default() }).await?;
    let attention = attention(&state, &ctx).await?;
    Ok(views::home::page(&ctx, &counts, &recent.rows, &attention))
}

/// What waits for this user outside the cases: undeliverable mail and letters to post for
/// the secretariat, unread notifications for everyone who has them.
async fn attention(state: &AppState, ctx: &Ctx) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    if ctx.may(crate::domain::access::Action::ManageCase) {
        let failed = crate::outbox::counts(&state.db)
            .await?
            .into_iter()
            .find(|(s, _)| s == crate::outbox::status::FAILED)
            .map_or(0, |(_, n)| n);
        if failed > 0 {
            out.push(("/brieven?status=mislukt".into(), format!("{failed} e-mail(s) konden niet worden bezorgd")));
        }
        let post = crate::letters::post::waiting_count(&state.db).await?;
        if post > 0 {
            out.push(("/brieven/post".into(), format!("{post} brief/brieven wachten op verzending per post")));
        }
    }
    if ctx.may(crate::domain::access::Action::Administer) {
        let due = crate::retention::due_count(&state.db, crate::admin::today()).await?;
        if due > 0 {
            out.push((
                "/beheer/bewaartermijn".into(),
                format!("{due} dossier(s) voorbij de bewaartermijn: te vernietigen"),
            ));
        }
    }
    let unread = crate::notifications::unread_count(&state.db, ctx.user.id).await?;
    if unread > 0 {
        out.push(("/meldingen".into(), format!("{unread} ongelezen melding(en)")));
    }
    // The chair's list: decisions that wait (Art 11.5, 11.7).
    if ctx.may(crate::domain::access::Action::DecideTerms) {
        for d in crate::cases::intake::decisions_due(&state.db, case_scope(&ctx.user.viewer())).await? {
            let why = if d.reason == "herstel" {
                "hersteltermijn verstreken: beslissen over de ontvankelijkheid (art. 11.7)"
            } else {
                "te laat ingediend: beslissen of de commissie de klacht toch behandelt (art. 11.5)"
            };
            out.push((format!("/zaken/{}#procedure", d.zaaknummer), format!("Zaak {}: {why}", d.zaaknummer)));
        }
    }
    out.extend(crate::cases::advies::waiting_for(&state.db, &ctx.user).await?);
    // The coming month's hearings of one's cases.
    for (z, h) in crate::cases::hearings::upcoming(&state.db, case_scope(&ctx.user.viewer()), 31).await? {
        let start = crate::cases::hearings::local(h.starts_at);
        let kind = crate::domain::hearing::HearingKind::parse(&h.kind).map_or("Zitting", |k| k.label());
        out.push((
            format!("/zaken/{z}/zitting"),
            format!(
                "{kind} zaak {z}: {} om {}, {}{}",
                crate::cases::hearings::day_text(start),
                crate::cases::hearings::time_text(start),
                h.place,
                if h.invited_at.is_none() { " (nog niet uitgenodigd)" } else { "" }
            ),
        ));
    }
    Ok(out)
}

//! The account page with notification choices, and the notifications list.

use super::components::{csrf_field, datetime_nl, pagination};
use crate::domain::access::Role;
use crate::entities::user;
use crate::notifications::{Item, PER_PAGE};
use crate::web::{extract::Ctx, routes::account::offers_digest};
use maud::{Markup, html};

pub fn account(ctx: &Ctx, u: &user::Model, saved: bool) -> Markup {
    super::layout::page(
        ctx,
        "Mijn account",
        html! {
            h1 { "Mijn account" }
            @if saved { p.flash.success role="status" { "Uw keuzes zijn opgeslagen." } }
            section.card {
                dl.facts {
                    dt { "Naam" } dd { (u.name) }
                    dt { "E-mailadres" } dd { (u.email) }
                    dt { "Rol" } dd { (ctx.user.role.label()) }
                }
            }
            section.card aria-labelledby="h-meldingen" {
                h2 #h-meldingen { "Meldingen" }
                @if offers_digest(ctx.user.role) || ctx.user.role == Role::Bestuur {
                    form.stack method="post" action="/account/meldingen" {
                        (csrf_field(&ctx.csrf))
                        @if offers_digest(ctx.user.role) {
                            div.checkbox {
                                input #f-overzicht type="checkbox" name="overzicht" value="ja" checked[u.digest_enabled];
                                label for="f-overzicht" { "Elke werkdag een e-mail met de termijnen van mijn zaken die verstreken zijn of binnen vijf werkdagen verlopen" }
                            }
                        }
                        @if ctx.user.role == Role::Bestuur {
                            div.checkbox {
                                input #f-email type="checkbox" name="email" value="ja" checked[u.notify_by_email];
                                label for="f-email" { "Ook een e-mail ontvangen bij een nieuw bericht van de commissie (de inhoud blijft in het portaal)" }
                            }
                        }
                        button type="submit" { "Opslaan" }
                    }
                } @else {
                    p.muted { "Voor uw rol zijn er geen meldingen per e-mail." }
                }
            }
        },
    )
}

pub fn notifications(ctx: &Ctx, items: &[Item], total: u64, unread: u64, page: u64) -> Markup {
    let pages = total.div_ceil(PER_PAGE).max(1);
    super::layout::page(
        ctx,
        "Meldingen",
        html! {
            div.page-header {
                h1 { "Meldingen" }
                @if unread > 0 {
                    div.actions {
                        form method="post" action="/meldingen/gelezen" {
                            (csrf_field(&ctx.csrf))
                            button.secondary type="submit" { "Alles als gelezen markeren" }
                        }
                    }
                }
            }
            p.lead { (unread) " ongelezen van " (total) "." }
            @if items.is_empty() {
                p.muted { "Nog geen meldingen." }
            } @else {
                ul.notifications {
                    @for i in items {
                        @let n = &i.notification;
                        li.unread[n.read_at.is_none()] {
                            @if n.read_at.is_none() { span.badge.warning { "nieuw" } " " }
                            a href=(format!("/meldingen/{}", n.id)) { strong { (n.title) } }
                            br;
                            span { (n.body) } " "
                            span.small.muted { (datetime_nl(n.created_at)) @if let Some(z) = &i.zaaknummer { " · zaak " (z) } }
                        }
                    }
                }
                (pagination(page, pages, |p| format!("/meldingen?page={p}")))
            }
        },
    )
}

//! The account page with notification choices, and the notifications list.

use super::components::{csrf_field, date_nl, datetime_nl, pagination};
use crate::domain::access::Role;
use crate::entities::user;
use crate::notifications::{Item, PER_PAGE};
use crate::web::{extract::Ctx, routes::account::offers_digest};
use maud::{Markup, html};

/// What a commission member sees besides: the calendar feed and their unavailable periods.
pub struct MemberPart {
    pub feed_url: String,
    pub unavailable: Vec<crate::entities::unavailability::Model>,
}

pub fn account(
    ctx: &Ctx,
    u: &user::Model,
    saved: bool,
    member: Option<&MemberPart>,
    errors: &crate::web::form::FieldErrors,
    input: &[(String, String)],
) -> Markup {
    let val = |n: &str| input.iter().find(|(k, _)| k == n).map_or("", |(_, v)| v.as_str()).to_owned();
    super::layout::page(
        ctx,
        "Mijn account",
        html! {
            h1 { "Mijn account" }
            @if saved { p.flash.success role="status" { "Uw keuzes zijn opgeslagen." } }
            div.card {
                dl.facts {
                    dt { "Naam" } dd { (u.name) }
                    dt { "E-mailadres" } dd { (u.email) }
                    dt { "Rol" } dd { (ctx.user.role.label()) }
                }
            }
            section.card #tweestaps aria-labelledby="h-tweestaps" {
                h2 #h-tweestaps { "Tweestapsverificatie" }
                @if let Some(since) = u.totp_enabled_at {
                    p { "Staat aan sinds " (datetime_nl(since)) "." }
                } @else {
                    p { "Staat uit: inloggen vraagt alleen uw wachtwoord." }
                }
                p { a href="/account/tweestaps" { "Tweestapsverificatie beheren" } }
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
            @if let Some(m) = member {
                section.card #agenda aria-labelledby="h-agenda" {
                    h2 #h-agenda { "Mijn zittingen in mijn agenda" }
                    p { "Abonneer u in uw agenda-programma op dit adres; het toont alle zittingen van de zaken waarin u zitting hebt en werkt zichzelf bij." }
                    p { input #f-feed type="text" readonly value=(m.feed_url) aria-label="Agenda-adres"; }
                    p.small.muted { "Het adres werkt zonder inloggen: deel het niet. Vernieuwen maakt het oude adres ongeldig." }
                    form method="post" action="/account/agenda/vernieuwen" {
                        (csrf_field(&ctx.csrf))
                        button.secondary type="submit" { "Nieuw adres maken (oude vervalt)" }
                    }
                }
                section.card #verhinderd aria-labelledby="h-verhinderd" {
                    h2 #h-verhinderd { "Wanneer ik niet kan" }
                    p.small.muted { "De planning van een hoorzitting waarschuwt voor deze data." }
                    @if m.unavailable.is_empty() { p.muted { "Geen verhinderingen." } }
                    ul {
                        @for x in &m.unavailable {
                            li {
                                (date_nl(x.from_on)) @if x.to_on != x.from_on { " t/m " (date_nl(x.to_on)) }
                                @if !x.note.is_empty() { " — " (x.note) }
                                " "
                                form.inline method="post" action=(format!("/account/verhinderd/{}/verwijderen", x.id)) {
                                    (csrf_field(&ctx.csrf)) button.link-button type="submit" { "verwijderen" }
                                }
                            }
                        }
                    }
                    form.stack method="post" action="/account/verhinderd" {
                        (csrf_field(&ctx.csrf))
                        @if let Some(e) = errors.get("verhinderd") { p.field-error #f-verhinderd role="alert" { (e) } }
                        div.field-row {
                            div.field { label for="f-van" { "Van" } input #f-van type="date" name="van" required value=(super::components::date_value(&val("van"))); }
                            div.field { label for="f-tot" { "Tot en met" } input #f-tot type="date" name="tot" value=(super::components::date_value(&val("tot"))); }
                        }
                        div.field { label for="f-notitie" { "Toelichting (optioneel)" } input #f-notitie type="text" name="notitie" maxlength="200" value=(val("notitie")); }
                        button type="submit" { "Toevoegen" }
                    }
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

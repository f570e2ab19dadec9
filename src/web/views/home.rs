//! The start page.

use super::components::{StatusBadge, date_nl};
use crate::cases::search::Row;
use crate::domain::access::{Action, Role};
use crate::domain::case::CaseStatus;
use crate::web::extract::Ctx;
use maud::{Markup, html};

pub fn page(ctx: &Ctx, counts: &[(String, i64)], recent: &[Row], attention: &[(String, String)]) -> Markup {
    let count = |s: CaseStatus| counts.iter().find(|(c, _)| c == s.code()).map_or(0, |(_, n)| *n);
    let open: i64 = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| count(*s)).sum();
    let intro = match ctx.user.role {
        Role::Secretaris | Role::Beheerder => "Alle zaken van de commissie.",
        Role::Voorzitter | Role::Lid => "De zaken waarin u zitting hebt.",
        Role::Bestuur => "De zaken over scholen van uw bestuur.",
    };
    super::layout::page(
        ctx,
        "Start",
        html! {
            div.page-header {
                h1 { "Welkom, " (ctx.user.name) }
                @if ctx.may(Action::RegisterCase) {
                    div.actions { a.button href="/zaken/nieuw" { "Klaagschrift registreren" } }
                }
            }
            p.lead { (intro) " " (open) " " (if open == 1 { "zaak is" } else { "zaken zijn" }) " in behandeling." }
            @if !attention.is_empty() {
                div.flash.info role="status" {
                    ul { @for (href, text) in attention { li { a href=(href) { (text) } } } }
                }
            }
            div.grid-2 {
                section.card aria-labelledby="h-stand" {
                    h2 #h-stand { "Zaken per fase" }
                    div.table-wrap {
                        table.data {
                            thead { tr { th scope="col" { "Fase" } th scope="col" { "Artikel" } th.num scope="col" { "Aantal" } } }
                            tbody {
                                @for s in CaseStatus::ALL {
                                    tr {
                                        td { a href=(format!("/zaken?status={}", s.code())) { (s.label()) } }
                                        td.muted { (s.article()) }
                                        td.num { (count(*s)) }
                                    }
                                }
                            }
                        }
                    }
                }
                section.card aria-labelledby="h-recent" {
                    h2 #h-recent { "Laatst ontvangen" }
                    @if recent.is_empty() {
                        p.muted { "Er zijn geen zaken die u kunt inzien." }
                    } @else {
                        ul {
                            @for r in recent.iter().take(8) {
                                li {
                                    a href=(format!("/zaken/{}", r.zaaknummer)) { (r.zaaknummer) } " — " (r.subject) " "
                                    span.small.muted { "(" (date_nl(r.received_on)) ")" } " "
                                    (StatusBadge { status: &r.status, outcome: r.outcome.as_deref() })
                                }
                            }
                        }
                        p { a href="/zaken" { "Naar het volledige zakenregister" } }
                    }
                }
            }
        },
    )
}

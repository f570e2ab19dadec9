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
            p.lead { (intro) " " (super::components::count_nl(open.max(0) as u64)) " " (if open == 1 { "zaak is" } else { "zaken zijn" }) " in behandeling." }
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
                                        td.num { (count_cell(*s, count(*s))) }
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

/// The board portal: one calm page with the board's cases, notices, adviezen, the decisions
/// it owes and its schools' registers.
pub fn board_portal(ctx: &Ctx, p: &crate::cases::portal::Portal) -> Markup {
    use crate::domain::deadline::DeadlineKind;
    // The bevoegd gezag decides on an advies; a school's contactpersoon follows the cases.
    let decides = crate::domain::access::speaks_for_board(&ctx.user.viewer());
    let school_name = |id: i32| p.schools.iter().find(|s| s.id == id).map_or("", |s| s.name.as_str());
    super::layout::page(
        ctx,
        "Start",
        html! {
            div.page-header {
                h1 { "Welkom, " (ctx.user.name) }
                div.actions { a.button href="/register/nieuw" { "Klacht registreren" } }
            }
            p.lead {
                (super::components::count_nl(p.open_total)) " " (if p.open_total == 1 { "zaak is" } else { "zaken zijn" }) " in behandeling bij de commissie"
                @if decides && p.decisions_owed_total > 0 { "; u neemt nog " (p.decisions_owed_total) " besluit(en) op een advies" }
                "."
            }
            @if decides && !p.decisions_owed.is_empty() {
                section.card #besluiten aria-labelledby="h-besluiten" {
                    h2 #h-besluiten { "Besluiten die u nog neemt (art. 14 lid 7 WPO)" }
                    p.muted { "Binnen vier weken na ontvangst van het advies deelt u de klager, de aangeklaagde en de commissie uw besluit mee." }
                    ul {
                        @for c in &p.decisions_owed {
                            li {
                                a href=(format!("/zaken/{}#advies", c.zaaknummer)) { "Zaak " (c.zaaknummer) } " — " (c.subject)
                                @if let Some((DeadlineKind::BesluitBevoegdGezag, due)) = c.next_term {
                                    " " span.badge.warning[due < crate::admin::today()] {
                                        "uiterlijk " (date_nl(due)) @if due < crate::admin::today() { " (verstreken)" }
                                    }
                                }
                            }
                        }
                    }
                    @if p.decisions_owed_total > p.decisions_owed.len() as u64 {
                        p {
                            "De " (p.decisions_owed.len()) " die het langst wachten staan hier; "
                            a href="/zaken?status=advies_uitgebracht" { "alle " (p.decisions_owed_total) " in het zakenregister" } "."
                        }
                    }
                }
            }
            section.card aria-labelledby="h-zaken" {
                h2 #h-zaken { "Uw zaken bij de commissie" }
                @if p.open.is_empty() {
                    p.muted { "Er zijn geen zaken in behandeling." }
                } @else {
                    div.table-wrap {
                        table.data.stack {
                            thead { tr { th scope="col" { "Zaak" } th scope="col" { "School" } th scope="col" { "Stand" } th scope="col" { "Volgende datum" } } }
                            tbody {
                                @for c in &p.open {
                                    tr {
                                        td data-label="Zaak" { a href=(format!("/zaken/{}", c.zaaknummer)) { (c.zaaknummer) } }
                                        td data-label="School" { (school_name(c.school_id)) }
                                        td data-label="Stand" { (StatusBadge { status: c.status.code(), outcome: c.outcome.map(|o| o.code()) }) }
                                        td data-label="Volgende datum" {
                                            @if let Some(at) = c.hearing_at { "zitting " (super::components::datetime_nl(at)) }
                                            @else if let Some((kind, due)) = c.next_term {
                                                (date_nl(due))
                                                @if due < crate::admin::today() { " " span.badge.warning { "verstreken" } }
                                                br; span.small.muted { (kind.label()) }
                                            }
                                            @else { span.muted { "—" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if p.open_total > p.open.len() as u64 { p { a href="/zaken" { "Alle " (super::components::count_nl(p.open_total)) " zaken in het zakenregister" } } }
                }
            }
            div.grid-2 {
                section.card aria-labelledby="h-meldingen" {
                    h2 #h-meldingen { "Meldingen" @if p.unread > 0 { " " span.badge { (p.unread) " ongelezen" } } }
                    @if p.notices.is_empty() { p.muted { "Geen meldingen." } } @else {
                        ul {
                            @for n in &p.notices {
                                li {
                                    a href=(format!("/meldingen/{}", n.notification.id)) {
                                        @if n.notification.read_at.is_none() { strong { (n.notification.title) } } @else { (n.notification.title) }
                                    }
                                    " " span.small.muted { "(" (super::components::datetime_nl(n.notification.created_at)) ")" }
                                }
                            }
                        }
                        p { a href="/meldingen" { "Alle meldingen" } }
                    }
                }
                section.card aria-labelledby="h-adviezen" {
                    h2 #h-adviezen { "Ontvangen adviezen (art. 25.3)" }
                    @if p.adviezen.is_empty() { p.muted { "Nog geen adviezen ontvangen." } } @else {
                        ul {
                            @for c in &p.adviezen {
                                @if let Some(a) = &c.advies {
                                    li {
                                        a href=(format!("/zaken/{}#advies", c.zaaknummer)) { "Zaak " (c.zaaknummer) } " — "
                                        @if let Some(o) = a.outcome { (o.label().to_lowercase()) ", " }
                                        "verzonden " (date_nl(a.sent_at.date_naive()))
                                        @if let Some(doc) = a.pdf_document_id { " · " a href=(format!("/zaken/{}/documenten/{doc}", c.zaaknummer)) { "PDF" } }
                                        @if let Some(b) = &c.board_decision { br; span.small.muted { "uw besluit van " (date_nl(b.decided_on)) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="h-registers" {
                h2 #h-registers { "Klachtenregisters van uw scholen" }
                (super::register::school_table(&p.registers))
                p { a href="/register" { "Naar het klachtenregister" } }
            }
        },
    )
}

/// A figure of the start page's table: exact, with Dutch thousands; the closed cases are
/// counted only up to the cap (`search::status_counts`), so above it they read "meer dan".
fn count_cell(status: CaseStatus, n: i64) -> String {
    use crate::cases::search::COUNT_CAP;
    if status == CaseStatus::Afgesloten && n > COUNT_CAP as i64 {
        format!("meer dan {}", super::components::count_nl(COUNT_CAP))
    } else {
        super::components::count_nl(n.max(0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_closed_count_is_capped() {
        assert_eq!(count_cell(CaseStatus::AdviesUitgebracht, 12_146), "12.146");
        assert_eq!(count_cell(CaseStatus::Ontvangen, 0), "0");
        assert_eq!(count_cell(CaseStatus::Afgesloten, 10_000), "10.000");
        assert_eq!(count_cell(CaseStatus::Afgesloten, 10_001), "meer dan 10.000");
    }
}

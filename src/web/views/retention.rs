//! The retention page: the term, the dry run of what is due, the purge and its outcome.

use super::components::{Field, csrf_field, date_nl, error_summary};
use crate::retention::{Candidate, FileKind, Summary};
use crate::web::{extract::Ctx, form::FieldErrors};
use maud::{Markup, html};

/// At most this many due files are listed; the count above the table gives the total.
const LISTED: usize = 500;

pub fn page(
    ctx: &Ctx,
    years: u32,
    years_input: &str,
    due: &[Candidate],
    (purged_cases, purged_entries): (u64, u64),
    errors: &FieldErrors,
    done: Option<&Summary>,
) -> Markup {
    let due_cases = due.iter().filter(|c| c.kind == FileKind::Case).count();
    let due_entries = due.len() - due_cases;
    super::layout::page(
        ctx,
        "Bewaartermijn",
        html! {
            div.page-header { h1 { "Bewaartermijn en vernietiging" } }
            p.lead {
                "Een afgesloten dossier wordt " (years) " jaar bewaard en daarna vernietigd: de stukken, brieven, berichten en "
                "persoonsgegevens verdwijnen; een anonieme registratie blijft voor de jaarverslagen (datums, sector, uitkomst). "
                "Een registratie in het klachtenregister van een school volgt de eigen termijn van vijf jaar van de klachtenregeling."
            }
            (error_summary(errors))
            @if let Some(s) = done {
                div.flash.success role="status" {
                    h2 { "Vernietigd" }
                    p {
                        (count(s.cases.len() as u64, "zaakdossier", "zaakdossiers")) " en "
                        (count(s.register_entries.len() as u64, "registratie", "registraties")) " vernietigd. "
                        "Elke vernietiging staat zonder persoonsgegevens in het auditlog."
                    }
                    @if !s.cases.is_empty() { p.small { "Zaken: " (s.cases.join(", ")) } }
                    @if !s.register_entries.is_empty() { p.small { "Registraties: " (s.register_entries.join(", ")) } }
                    @for (number, why) in &s.refused {
                        p.field-error { (number) ": " (why) }
                    }
                }
            }
            div.grid-2 {
                section.card aria-labelledby="h-termijn" {
                    h2 #h-termijn { "Bewaartermijn van zaakdossiers" }
                    form.stack method="post" action="/beheer/bewaartermijn" novalidate {
                        (csrf_field(&ctx.csrf))
                        (Field::new("years", "Aantal jaren na afsluiting", years_input, errors).kind("number").required()
                            .hint("Gerekend vanaf de dag dat de zaak is afgesloten; tussen 1 en 30 jaar."))
                        button type="submit" { "Termijn opslaan" }
                    }
                }
                section.card aria-labelledby="h-stand" {
                    h2 #h-stand { "Stand" }
                    dl.facts {
                        dt { "Te vernietigen zaakdossiers" } dd { (due_cases) }
                        dt { "Te vernietigen registraties" } dd { (due_entries) }
                        dt { "Vernietigd (anonieme registratie)" } dd { (count(purged_cases, "zaak", "zaken")) ", " (count(purged_entries, "registratie", "registraties")) }
                    }
                }
            }
            section.card aria-labelledby="h-proef" {
                h2 #h-proef { "Proefrun: wat nu vernietigd zou worden" }
                @if due.is_empty() {
                    p { "Er zijn geen dossiers waarvan de bewaartermijn is verstreken." }
                } @else {
                    @if due.len() > LISTED { p.small.muted { "De eerste " (LISTED) " van " (due.len()) " staan hieronder." } }
                    div.table-wrap {
                        table.data {
                            caption { "Dossiers waarvan de bewaartermijn is verstreken" }
                            thead { tr {
                                th scope="col" { "Dossier" } th scope="col" { "Soort" } th scope="col" { "Afgesloten" }
                                th scope="col" { "Bewaren tot en met" } th.num scope="col" { "Stukken" }
                            } }
                            tbody {
                                @for c in due.iter().take(LISTED) {
                                    tr {
                                        td {
                                            @match c.kind {
                                                FileKind::Case => a href=(format!("/zaken/{}", c.number)) { (c.number) },
                                                FileKind::RegisterEntry => (c.number),
                                            }
                                        }
                                        td { @match c.kind { FileKind::Case => "Zaak", FileKind::RegisterEntry => "Klachtenregister school" } }
                                        td { (date_nl(c.closed_on)) }
                                        td { (date_nl(c.kept_until)) }
                                        td.num { (c.documents) }
                                    }
                                }
                            }
                        }
                    }
                    form.stack method="post" action="/beheer/bewaartermijn/vernietigen" novalidate {
                        (csrf_field(&ctx.csrf))
                        div.checkbox #f-confirm {
                            input #f-confirm-ja type="checkbox" name="confirm" value="ja" aria-invalid=[errors.get("confirm").map(|_| "true")];
                            label for="f-confirm-ja" {
                                @if due.len() == 1 { "Ik bevestig dat dit dossier vernietigd wordt." }
                                @else { "Ik bevestig dat deze " (due.len()) " dossiers vernietigd worden." }
                                " Dit kan niet ongedaan worden gemaakt."
                            }
                        }
                        @if let Some(msg) = errors.get("confirm") { p.field-error { (msg) } }
                        button.danger type="submit" { "Vernietigen" }
                    }
                }
            }
        },
    )
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

//! The form to export a case's dossier as one zip (issue 9).

use super::components::{Field, csrf_field, error_summary};
use crate::cases::dossier::{INDEX_NAME, Purpose, Summary, zip_name};
use crate::entities::case;
use crate::web::{extract::Ctx, form::FieldErrors};
use maud::{Markup, html};
use serde::Deserialize;

/// The form as typed.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct DossierForm {
    pub doel: String,
    pub toelichting: String,
}

pub fn page(ctx: &Ctx, c: &case::Model, s: Summary, form: &DossierForm, errors: &FieldErrors) -> Markup {
    let doel_error = errors.get("doel");
    super::layout::page(
        ctx,
        &format!("Dossier exporteren · zaak {}", c.zaaknummer),
        html! {
            p.small { a href=(format!("/zaken/{}#documenten", c.zaaknummer)) { "‹ Terug naar zaak " (c.zaaknummer) } }
            h1 { "Dossier exporteren" }
            p.lead {
                "Alle documenten van de zaak (ontvangen stukken, verstuurde brieven, het advies en het proces-verbaal) "
                "in één zip-bestand, op datum genummerd, met een inhoudsopgave (" (INDEX_NAME) ") die per bestand de "
                "datum, de titel, de grootte en de SHA-256 noemt."
            }
            p {
                "Het dossier bevat nu " strong { (s.documents) (if s.documents == 1 { " document" } else { " documenten" }) } "."
                @if s.restricted > 0 {
                    " Bij " (s.restricted) (if s.restricted == 1 { " document is" } else { " documenten is" })
                    " de inzage beperkt (art. 15): bij een inzageverzoek van een partij blijven die buiten de export, "
                    "en de inhoudsopgave vermeldt alleen hoeveel het er zijn."
                }
            }
            (error_summary(errors))
            @if let Some(on) = c.purged_on {
                p.flash.info role="status" { "Dit dossier is op " (super::components::date_nl(on)) " vernietigd na afloop van de bewaartermijn; er is niets meer te exporteren." }
            } @else {
            form.stack method="post" action=(format!("/zaken/{}/dossier", c.zaaknummer)) novalidate {
                (csrf_field(&ctx.csrf))
                fieldset.invalid[doel_error.is_some()] #f-doel aria-describedby=[doel_error.map(|_| "f-doel-error")] {
                    legend { "Doel van de export " span.muted { "(verplicht)" } }
                    @for p in Purpose::ALL {
                        div.checkbox {
                            input id=(format!("doel-{}", p.code())) type="radio" name="doel" value=(p.code()) checked[form.doel == p.code()];
                            label for=(format!("doel-{}", p.code())) { (p.label()) }
                        }
                    }
                    @if let Some(e) = doel_error { p.field-error #f-doel-error { (e) } }
                }
                (Field::new("toelichting", "Toelichting op de inhoudsopgave", &form.toelichting, errors)
                    .hint("Bijvoorbeeld de datum en het kenmerk van het inzageverzoek. Ten hoogste 300 tekens."))
                p.small.muted {
                    "De export wordt vastgelegd in het logboek van de zaak (doel, aantal bestanden en de SHA-256 van het "
                    "zip-bestand) en in het inzagelog."
                }
                button type="submit" { "Downloaden als " (zip_name(c)) }
            }
            }
        },
    )
}

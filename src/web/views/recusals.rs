//! The wraking and verschoning section of the case page (Art 19).

use super::components::{csrf_field, date_nl, datetime_nl};
use crate::cases::recusals::Request;
use crate::domain::access::Action;
use crate::entities::{case, member, panel_member};
use crate::web::{extract::Ctx, form::FieldErrors};
use maud::{Markup, html};

pub fn section(
    ctx: &Ctx,
    c: &case::Model,
    requests: &[Request],
    panel: &[(panel_member::Model, member::Model)],
    errors: &FieldErrors,
) -> Markup {
    let manage = ctx.may(Action::ManageCase);
    let me = ctx.user.member_id;
    let today = crate::admin::today().format("%Y-%m-%d").to_string();
    let open = c.status != "afgesloten";
    // The commission's own deliberation on its composition: not shown to board users.
    if ctx.user.role == crate::domain::access::Role::Bestuur {
        return html! {};
    }
    if requests.is_empty() && !(manage && open && !panel.is_empty()) {
        return html! {};
    }
    html! {
        section.card #wraking aria-labelledby="h-wraking" {
            h2 #h-wraking { "Wraking en verschoning (art. 19)" }
            @if let Some(e) = errors.get("wraking") { p.field-error #f-wraking role="alert" { (e) } }
            @if requests.is_empty() { p.muted { "Geen verzoeken." } }
            @for r in requests {
                @let x = &r.recusal;
                @let grants = r.votes.iter().filter(|v| v.grant).count();
                div.request {
                    p {
                        strong { (if x.kind == "verschoning" { "Verschoning" } else { "Wraking" }) " van " (r.member_name) }
                        " — verzocht door " (x.requested_by) ", ontvangen " (date_nl(x.received_on)) " "
                        @match x.status.as_str() {
                            "toegewezen" => { span.badge.ok { "toegewezen" } }
                            "afgewezen" => { span.badge.muted { "afgewezen" } }
                            _ => { span.badge.warning { "stemming loopt" } }
                        }
                    }
                    p.small { "Gronden: " (x.grounds) }
                    p.small.muted {
                        (r.votes.len()) " van " (r.voters.len()) " stemmen uitgebracht"
                        @if x.status != "open" { " (" (grants) " voor toewijzing, " (r.votes.len() - grants) " tegen; bij gelijke stemmen toegewezen, art. 19.4)" }
                        @if let Some(at) = x.decided_at { " · beslist " (datetime_nl(at)) }
                    }
                    @if let Some(m) = me {
                        @if x.status == "open" && r.voters.contains(&m) && !r.votes.iter().any(|v| v.member_id == m) {
                            form.stack method="post" action=(format!("/zaken/{}/wraking/{}/stem", c.zaaknummer, x.id)) {
                                (csrf_field(&ctx.csrf))
                                fieldset.inline-choice {
                                    legend { "Uw stem" }
                                    label { input type="radio" name="stem" value="toewijzen"; " toewijzen" }
                                    label { input type="radio" name="stem" value="afwijzen"; " afwijzen" }
                                }
                                div.field { label for=(format!("reden-{}", x.id)) { "Toelichting (vertrouwelijk)" } textarea id=(format!("reden-{}", x.id)) name="reden" {} }
                                button type="submit" { "Stem uitbrengen" }
                            }
                        }
                    }
                }
            }
            @if manage && open && !panel.is_empty() {
                details {
                    summary { "Verzoek registreren" }
                    form.stack method="post" action=(format!("/zaken/{}/wraking", c.zaaknummer)) {
                        (csrf_field(&ctx.csrf))
                        div.field {
                            label for="f-lid" { "Lid" }
                            select #f-lid name="lid" {
                                @for (_, m) in panel { option value=(m.id) { (m.name) } }
                            }
                        }
                        fieldset.inline-choice {
                            legend { "Soort" }
                            label { input type="radio" name="soort" value="wraking" checked; " wraking (door een partij)" }
                            label { input type="radio" name="soort" value="verschoning"; " verschoning (door het lid zelf)" }
                        }
                        div.field { label for="f-door" { "Verzocht door" } input #f-door type="text" name="door" placeholder="bijvoorbeeld: klager, mevrouw Jansen"; }
                        div.field { label for="f-gronden" { "Gronden" } textarea #f-gronden name="gronden" {} }
                        div.field { label for="f-ontvangen" { "Ontvangen op" } input #f-ontvangen type="date" name="ontvangen" value=(today); }
                        button type="submit" { "Registreren" }
                    }
                }
            }
        }
    }
}

//! The deliberation and advies page (Art 24, 25), the advies and the board's decision on the
//! case page, and the public verification page.

use super::components::{csrf_field, date_nl, datetime_nl, error_summary};
use crate::cases::advies::{Dossier, Verification};
use crate::domain::access::{Action, Role};
use crate::domain::advies::HEADINGS;
use crate::domain::case::{Outcome, PanelRole};
use crate::domain::deliberation::Question;
use crate::entities::{advies, case, deadline, document, member};
use crate::web::{extract::Ctx, form::FieldErrors, routes::advies::Input};
use maud::{Markup, html};

pub struct Page {
    pub case: case::Model,
    pub dossier: Dossier,
    pub panel: Vec<(PanelRole, member::Model)>,
    pub advies_term: Option<deadline::Model>,
    pub decision_term: Option<deadline::Model>,
    /// The parts of the complaint for the deliberation's questions.
    pub parts: Vec<String>,
    pub questions: Vec<Question>,
}

fn val<'a>(i: &'a Input, name: &str, default: &'a str) -> &'a str {
    i.get(name).map(String::as_str).unwrap_or(default)
}

fn err(errors: &FieldErrors, field: &str) -> Markup {
    html! { @if let Some(e) = errors.get(field) { p.field-error id=(format!("f-{field}")) role="alert" { (e) } } }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "concept" => "concept",
        "definitief" => "vastgesteld, wacht op ondertekening",
        "ondertekend" => "ondertekend, klaar om te verzenden",
        "verzonden" => "verzonden",
        _ => "onbekend",
    }
}

fn term_line(d: &deadline::Model) -> Markup {
    let running = matches!(d.status.as_str(), "open" | "extended");
    html! {
        @match d.due_on {
            Some(due) => {
                (date_nl(due))
                @if running && due < crate::admin::today() { " " span.badge.warning { "verstreken" } }
            }
            None => { "opgeschort" }
        }
        " "
        span.muted.small {
            @match d.status.as_str() {
                "extended" => "(verlengd)",
                "met" => "(gehaald)",
                "missed" => "(verstreken)",
                "cancelled" => "(vervallen)",
                _ => "",
            }
        }
    }
}

pub fn page(ctx: &Ctx, p: &Page, i: &Input, errors: &FieldErrors) -> Markup {
    let c = &p.case;
    let z = &c.zaaknummer;
    let d = &p.dossier;
    let current = d.current();
    let may_decide = ctx.may(Action::DecideTerms);
    let may_manage = ctx.may(Action::ManageCase);
    super::layout::page(
        ctx,
        &format!("Advies {z}"),
        html! {
            div.page-header {
                div {
                    p.breadcrumb { a href=(format!("/zaken/{z}")) { "← Zaak " (z) } }
                    h1 { "Beraadslaging en advies" }
                    p { (super::components::StatusBadge { status: &c.status, outcome: c.outcome.as_deref() }) " " (c.subject) }
                }
            }
            (error_summary(errors))
            section.card #termijn aria-labelledby="h-termijn" {
                h2 #h-termijn { "Termijnen" }
                dl.facts {
                    dt { "Advies uiterlijk (art. 25.1)" }
                    dd { @match &p.advies_term { Some(t) => (term_line(t)), None => "— (begint bij het sluiten van het onderzoek)" } }
                    @if let Some(t) = &p.decision_term {
                        dt { "Besluit bevoegd gezag uiterlijk" } dd { (term_line(t)) }
                    }
                }
                (err(errors, "termijn"))
                @if may_decide && p.advies_term.as_ref().is_some_and(|t| t.status == "open") {
                    details open[errors.contains("termijn")] {
                        summary { "Termijn eenmalig met vier weken verlengen (art. 25.1)" }
                        form.stack method="post" action=(format!("/zaken/{z}/advies/verlengen")) {
                            (csrf_field(&ctx.csrf))
                            div.field { label for="f-reden" { "Reden (komt in de brief aan de partijen)" } textarea #f-reden name="reden" required { (val(i, "reden", "")) } }
                            button type="submit" { "Verlengen" }
                        }
                    }
                }
            }
            (deliberation_section(ctx, p, i, errors, may_manage))
            @if let Some(a) = current {
                (draft_section(ctx, p, a, i, errors, may_decide))
                (signing_section(ctx, p, a, errors, may_decide, may_manage))
            } @else if may_decide && d.deliberation.is_some() {
                section.card #concept aria-labelledby="h-concept" {
                    h2 #h-concept { "Het advies (art. 25.2)" }
                    (err(errors, "concept"))
                    form method="post" action=(format!("/zaken/{z}/advies/concept")) {
                        (csrf_field(&ctx.csrf))
                        p { "Het concept wordt ingevuld met de partijen, de klacht, de uitkomst van de beraadslaging en de leden van de commissie." }
                        button type="submit" { "Concept opstellen" }
                    }
                }
            }
            @if let Some(b) = &d.decision {
                section.card aria-labelledby="h-besluit" {
                    h2 #h-besluit { "Besluit van het bevoegd gezag" }
                    (decision_facts(b))
                }
            }
        },
    )
}

fn deliberation_section(ctx: &Ctx, p: &Page, i: &Input, errors: &FieldErrors, may_manage: bool) -> Markup {
    let z = &p.case.zaaknummer;
    let today = crate::admin::today().to_string();
    let open_for_record = matches!(p.case.status.as_str(), "beraadslaging")
        || (p.case.status == "advies_in_voorbereiding" && p.dossier.deliberation.is_none());
    html! {
        section.card #beraadslaging aria-labelledby="h-beraadslaging" {
            h2 #h-beraadslaging { "Beraadslaging (art. 24)" }
            (err(errors, "beraadslaging"))
            @if let Some(delib) = &p.dossier.deliberation {
                p {
                    "Gehouden op " (date_nl(delib.record.held_on)) ", met alle leden van de commissie en de secretaris (" (delib.record.secretary) ")."
                }
                table {
                    thead { tr { th { "Vraag" } @for (_, m) in &p.panel { th { (m.name) } } th { "Besluit" } } }
                    tbody {
                        @for (q, votes) in &delib.questions {
                            tr {
                                td { (q.question) }
                                @for (_, m) in &p.panel {
                                    td { @match votes.iter().find(|v| v.member_id == m.id) { Some(v) => { (if v.vote { "ja" } else { "nee" }) } None => { "—" } } }
                                }
                                td { strong { (if q.adopted { "ja" } else { "nee" }) } }
                            }
                        }
                    }
                }
                p { "Uitkomst: " strong { (crate::cases::advies::outcome_of(delib).label()) } }
                @if !delib.record.notes.is_empty() { p.small { "Aantekeningen: " (delib.record.notes) } }
            } @else if may_manage && open_for_record {
                form.stack method="post" action=(format!("/zaken/{z}/beraadslaging")) {
                    (csrf_field(&ctx.csrf))
                    div.field { label for="f-datum-b" { "Datum" } input #f-datum-b type="date" name="datum" value=(val(i, "datum", &today)); }
                    fieldset {
                        legend { "Aanwezig (alle leden nemen deel)" }
                        @for (r, m) in &p.panel {
                            div.checkbox {
                                input id=(format!("f-aanwezig-{}", m.id)) type="checkbox" name=(format!("aanwezig-{}", m.id)) value="ja" checked[i.is_empty() || val(i, &format!("aanwezig-{}", m.id), "") == "ja"];
                                label for=(format!("f-aanwezig-{}", m.id)) { (m.name) " (" (r.label().to_lowercase()) ")" }
                            }
                        }
                    }
                    div.field {
                        label for="f-onderdelen" { "Onderdelen van de klacht (één per regel)" }
                        textarea #f-onderdelen name="onderdelen" rows="3" { (p.parts.join("\n")) }
                    }
                    div.checkbox {
                        input #f-maatregelen type="checkbox" name="maatregelen" value="ja" checked[val(i, "maatregelen", "") == "ja"];
                        label for="f-maatregelen" { "De commissie stemt ook over aan te bevelen maatregelen" }
                    }
                    button.secondary type="submit" name="actie" value="opstellen" formnovalidate { "Vragen opstellen" }
                    table {
                        thead { tr { th { "Vraag" } @for (_, m) in &p.panel { th { (m.name) } } } }
                        tbody {
                            @for (n, q) in p.questions.iter().enumerate() {
                                tr {
                                    td { (q.text) }
                                    @for (_, m) in &p.panel {
                                        @let name = format!("stem-{n}-{}", m.id);
                                        td {
                                            label { input type="radio" name=(name) value="ja" checked[val(i, &name, "") == "ja"]; " ja" } " "
                                            label { input type="radio" name=(name) value="nee" checked[val(i, &name, "") == "nee"]; " nee" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    div.field { label for="f-notities" { "Aantekeningen (vertrouwelijk)" } textarea #f-notities name="notities" { (val(i, "notities", "")) } }
                    p.small.muted { "De meerderheid beslist; bij staken van de stemmen in een commissie van twee beslist de stem van de voorzitter (art. 29)." }
                    button type="submit" name="actie" value="vastleggen" { "Beraadslaging vastleggen" }
                }
            } @else if open_for_record {
                p.muted { "De secretaris legt de beraadslaging vast, met de stem van elk lid (art. 24)." }
            } @else {
                p.muted { "De commissie beraadslaagt na het sluiten van het onderzoek." }
            }
        }
    }
}

fn draft_section(ctx: &Ctx, p: &Page, a: &advies::Model, i: &Input, errors: &FieldErrors, may_decide: bool) -> Markup {
    let z = &p.case.zaaknummer;
    let editable = a.status == "concept" && may_decide;
    let sections = [&a.section_a, &a.section_b, &a.section_c, &a.section_d];
    let keys = ["a", "b", "c", "d"];
    html! {
        section.card #concept aria-labelledby="h-concept" {
            h2 #h-concept {
                "Het advies (art. 25.2)"
                @if a.version > 1 { " — verbeterde versie " (a.version) }
            }
            p.small.muted {
                "Status: " (status_label(&a.status)) " · revisie " (a.revision)
                @if let Some(o) = a.outcome.as_deref().and_then(Outcome::parse) { " · uitkomst: " (o.label().to_lowercase()) }
            }
            @if let Some(note) = &a.correction_note { p.flash.info { "Deze versie verbetert het verzonden advies: " (note) } }
            (err(errors, "concept"))
            @if editable {
                form.stack method="post" action=(format!("/zaken/{z}/advies")) {
                    (csrf_field(&ctx.csrf))
                    div.field { label for="f-datum-a" { "Datum van het advies" } input #f-datum-a type="date" name="datum" value=(super::components::date_value(val(i, "datum", &a.advies_date.to_string()))); }
                    @for (n, (_, heading)) in HEADINGS.iter().enumerate() {
                        div.field {
                            label for=(format!("f-{}", keys[n])) { (heading) }
                            @if n == 1 { p.small.muted { "De gronden van de klacht zoals de klager ze in het klaagschrift en ter zitting toelichtte, en het verweer." } }
                            textarea id=(format!("f-{}", keys[n])) name=(keys[n]) rows=(if n == 1 || n == 2 { "10" } else { "4" }) { (val(i, keys[n], sections[n])) }
                        }
                    }
                    button type="submit" { "Concept opslaan" }
                }
            } @else {
                p { "Datum: " (date_nl(a.advies_date)) }
                @for (n, (_, heading)) in HEADINGS.iter().enumerate() {
                    h3 { (heading) }
                    @for para in sections[n].split("\n\n") { p.preserve { (para) } }
                }
            }
            @let revisions: Vec<_> = p.dossier.revisions.iter().filter(|r| r.advies_id == a.id).collect();
            @if !revisions.is_empty() {
                details {
                    summary { "Revisies (" (revisions.len()) ")" }
                    ul {
                        @for r in revisions {
                            li.small { "Revisie " (r.revision) " — " (r.author_name) ", " (datetime_nl(r.created_at)) @if !r.changed.is_empty() { " — gewijzigd: " (r.changed) } }
                        }
                    }
                }
            }
            h3 #opmerkingen { "Opmerkingen van de commissie" }
            (err(errors, "opmerkingen"))
            @let comments: Vec<_> = p.dossier.comments.iter().filter(|x| x.advies_id == a.id).collect();
            @if comments.is_empty() { p.muted.small { "Nog geen opmerkingen." } }
            @for x in comments {
                div.request { p.small { strong { (x.author_name) } " bij revisie " (x.revision) ", " (datetime_nl(x.created_at)) } p.preserve { (x.body) } }
            }
            @if a.status == "concept" {
                form.stack method="post" action=(format!("/zaken/{z}/advies/opmerkingen")) {
                    (csrf_field(&ctx.csrf))
                    div.field { label for="f-opmerking" { "Opmerking bij deze revisie" } textarea #f-opmerking name="opmerking" { (val(i, "opmerking", "")) } }
                    button.secondary type="submit" { "Opmerking plaatsen" }
                }
            }
        }
    }
}

fn signing_section(
    ctx: &Ctx,
    p: &Page,
    a: &advies::Model,
    errors: &FieldErrors,
    may_decide: bool,
    may_manage: bool,
) -> Markup {
    let z = &p.case.zaaknummer;
    let sigs = p.dossier.signatures_of(a.id);
    let is_chair = ctx.user.member_id.is_some()
        && p.panel.iter().any(|(r, m)| *r == PanelRole::Voorzitter && Some(m.id) == ctx.user.member_id);
    let chair_signed = sigs.iter().any(|s| s.role == "voorzitter");
    let may_sign = a.status == "definitief"
        && ((is_chair && !chair_signed) || (ctx.user.role == Role::Secretaris && chair_signed));
    html! {
        section.card #ondertekening aria-labelledby="h-ondertekening" {
            h2 #h-ondertekening { "Vaststellen en ondertekenen (art. 25.3)" }
            (err(errors, "ondertekening"))
            @if a.status == "concept" {
                @if may_decide {
                    form method="post" action=(format!("/zaken/{z}/advies/vaststellen")) {
                        (csrf_field(&ctx.csrf))
                        p.small { "Vaststellen bevriest de tekst en maakt de PDF met de verificatiecode. Alle onderdelen A tot en met D moeten ingevuld zijn." }
                        button type="submit" { "Advies vaststellen" }
                    }
                } @else {
                    p.muted { "Het advies is nog een concept." }
                }
            } @else {
                p {
                    "Vastgesteld " @if let Some(t) = a.finalized_at { (datetime_nl(t)) }
                    " · verificatiecode " code { (a.verification_code.as_deref().unwrap_or("")) }
                    @if let Some(doc) = a.pdf_document_id { " · " a href=(format!("/zaken/{z}/documenten/{doc}")) { "PDF" } }
                }
                ul {
                    li { "Voorzitter: " @match sigs.iter().find(|s| s.role == "voorzitter") { Some(s) => { (s.signer_name) ", " (datetime_nl(s.signed_at)) } None => { span.badge.warning { "nog niet ondertekend" } } } }
                    li { "Secretaris: " @match sigs.iter().find(|s| s.role == "secretaris") { Some(s) => { (s.signer_name) ", " (datetime_nl(s.signed_at)) } None => { span.badge.warning { "nog niet ondertekend" } } } }
                }
                @if may_sign {
                    form.stack method="post" action=(format!("/zaken/{z}/advies/ondertekenen")) {
                        (csrf_field(&ctx.csrf))
                        div.field { label for="f-wachtwoord" { "Uw wachtwoord, ter bevestiging" } input #f-wachtwoord type="password" name="wachtwoord" required autocomplete="current-password"; }
                        button type="submit" { "Ondertekenen als " (if chair_signed { "secretaris" } else { "voorzitter" }) }
                    }
                }
            }
            h3 #verzending { "Verzending (art. 25.3, 25.4)" }
            (err(errors, "verzending"))
            @match a.status.as_str() {
                "ondertekend" => {
                    @if may_manage {
                        form method="post" action=(format!("/zaken/{z}/advies/verzenden")) {
                            (csrf_field(&ctx.csrf))
                            p.small { "Het advies gaat met het proces-verbaal van de hoorzitting naar de klager, de aangeklaagde en het bevoegd gezag." }
                            button type="submit" { "Advies verzenden" }
                        }
                    }
                }
                "verzonden" => {
                    p { "Verzonden " @if let Some(t) = a.sent_at { (datetime_nl(t)) } "; de brieven staan bij de zaak." }
                    @if may_decide {
                        details open[errors.contains("verzending")] {
                            summary { "Correctie opstellen (een nieuwe, apart ondertekende versie)" }
                            form.stack method="post" action=(format!("/zaken/{z}/advies/correctie")) {
                                (csrf_field(&ctx.csrf))
                                div.field { label for="f-toelichting" { "Wat verbetert de correctie?" } textarea #f-toelichting name="toelichting" required {} }
                                button type="submit" { "Correctie opstellen" }
                            }
                        }
                    }
                }
                _ => { p.muted { "Na de handtekeningen van de voorzitter en de secretaris." } }
            }
        }
    }
}

fn decision_facts(b: &crate::entities::board_decision::Model) -> Markup {
    html! {
        dl.facts {
            dt { "Besloten op" } dd { (date_nl(b.decided_on)) }
            dt { "Besluit" } dd.preserve { (b.decision) }
            @if !b.measures.is_empty() { dt { "Maatregelen" } dd.preserve { (b.measures) } }
            dt { "Partijen en commissie geïnformeerd op" } dd { (date_nl(b.informed_on)) }
        }
    }
}

/// The case page's section: the advies as sent, and the board's decision (the board records it
/// here).
pub fn case_section(
    ctx: &Ctx,
    c: &case::Model,
    d: &Dossier,
    documents: &[document::Model],
    errors: &FieldErrors,
    input: &[(String, String)],
) -> Markup {
    let sent: Vec<&advies::Model> = d.versions.iter().filter(|a| a.sent_at.is_some()).collect();
    // The bevoegd gezag decides (WPO 14.7): a board-wide account, not a school's contactpersoon.
    let board = crate::domain::access::speaks_for_board(&ctx.user.viewer());
    let val = |n: &str| input.iter().find(|(k, _)| k == n).map_or(String::new(), |(_, v)| v.clone());
    let today = crate::admin::today().to_string();
    if sent.is_empty() && d.decision.is_none() {
        return html! {};
    }
    html! {
        section.card #advies aria-labelledby="h-advies" {
            h2 #h-advies { "Advies en besluit" }
            @for a in &sent {
                p {
                    strong { @if a.version > 1 { "Verbeterde versie " (a.version) } @else { "Advies" } }
                    " van " (date_nl(a.advies_date))
                    @if let Some(o) = a.outcome.as_deref().and_then(Outcome::parse) { " — " (o.label().to_lowercase()) }
                    " · verzonden " @if let Some(t) = a.sent_at { (datetime_nl(t)) }
                    " · verificatiecode " code { (a.verification_code.as_deref().unwrap_or("")) }
                    @if let Some(doc) = a.pdf_document_id.filter(|id| documents.iter().any(|x| x.id == *id)) {
                        " · " a href=(format!("/zaken/{}/documenten/{doc}", c.zaaknummer)) { "PDF" }
                    }
                }
            }
            @match &d.decision {
                Some(b) => { h3 { "Besluit van het bevoegd gezag" } (decision_facts(b)) }
                None if board && c.status == "advies_uitgebracht" => {
                    h3 { "Uw besluit op het advies" }
                    p.small.muted { "Binnen vier weken na ontvangst van het advies deelt het bevoegd gezag de klager, de aangeklaagde en de commissie schriftelijk en gemotiveerd mee of het het oordeel deelt en welke maatregelen het neemt." }
                    form.stack method="post" action=(format!("/zaken/{}/besluit", c.zaaknummer)) {
                        (csrf_field(&ctx.csrf))
                        @if let Some(e) = errors.get("besluit") { p.field-error #f-besluit role="alert" { (e) } }
                        div.field { label for="f-besloten" { "Datum van het besluit" } input #f-besloten type="date" name="besloten" required value=(if val("besloten").is_empty() { today.clone() } else { val("besloten") }); }
                        div.field { label for="f-besluit-tekst" { "Besluit (deelt u het oordeel, en waarom)" } textarea #f-besluit-tekst name="besluit" required { (val("besluit")) } }
                        div.field { label for="f-maatregelen-b" { "Maatregelen (optioneel)" } textarea #f-maatregelen-b name="maatregelen" { (val("maatregelen")) } }
                        div.field { label for="f-geinformeerd" { "Datum waarop klager, aangeklaagde en commissie zijn geïnformeerd" } input #f-geinformeerd type="date" name="geinformeerd" required value=(if val("geinformeerd").is_empty() { today.clone() } else { val("geinformeerd") }); }
                        button type="submit" { "Besluit vastleggen" }
                    }
                }
                None => { p.muted { "Het besluit van het bevoegd gezag is nog niet ontvangen." } }
            }
        }
    }
}

/// What `/verifieer` found.
pub enum VerifyResult {
    Found(Verification),
    BadCode,
    UnknownCode,
    UnknownFile,
}

pub fn verify_page(csrf: &str, code: &str, result: Option<&VerifyResult>) -> Markup {
    super::layout::bare(
        "Advies controleren",
        Some("login-page"),
        html! {
            div.card {
                h1 { "Advies controleren" }
                p { "Controleer of een advies echt door de klachtencommissie is uitgebracht en niet is gewijzigd: vul de verificatiecode in die onderaan elke pagina staat, of upload het PDF-bestand." }
                @if let Some(r) = result {
                    @match r {
                        VerifyResult::Found(v) if v.authentic() => {
                            div.flash.success role="status" {
                                strong { "Echt en ongewijzigd." }
                                " Dit is het advies van " (date_nl(v.advies_date)) " in zaak " (v.zaaknummer)
                                @if v.version > 1 { " (verbeterde versie " (v.version) ")" }
                                ", verificatiecode " (v.code) "."
                            }
                            ul {
                                @for s in &v.valid {
                                    li { "Ondertekend door " (s.signer) " (" (s.role) ") op " (chrono::DateTime::from_timestamp(s.iat, 0).map(datetime_nl).unwrap_or_default()) }
                                }
                            }
                            @if let Some(n) = v.corrected_by { p.flash.info { "Let op: dit advies is later verbeterd door versie " (n) "." } }
                        }
                        VerifyResult::Found(v) => {
                            div.flash.error role="alert" {
                                strong { "Niet geldig ondertekend." }
                                " Het advies in zaak " (v.zaaknummer) " is bekend, maar de handtekeningen zijn niet compleet of kloppen niet."
                            }
                            ul { @for x in &v.invalid { li { (x) } } }
                        }
                        VerifyResult::BadCode => { div.flash.error role="alert" { "Dit is geen verificatiecode. Een code ziet eruit als KC-XXXX-XXXX." } }
                        VerifyResult::UnknownCode => { div.flash.error role="alert" { "Onder deze code is geen advies bekend." } }
                        VerifyResult::UnknownFile => { div.flash.error role="alert" { strong { "Niet herkend." } " Dit bestand is geen advies van de commissie, of het is na ondertekening gewijzigd." } }
                    }
                }
                form.stack method="post" action="/verifieer" enctype="multipart/form-data" {
                    (csrf_field(csrf))
                    div.field { label for="f-code" { "Verificatiecode" } input #f-code type="text" name="code" value=(code) placeholder="KC-XXXX-XXXX" autocomplete="off"; }
                    div.field { label for="f-bestand" { "of het PDF-bestand" } input #f-bestand type="file" name="bestand" accept="application/pdf"; }
                    button type="submit" { "Controleren" }
                }
                p.small.muted { "De openbare sleutel van de commissie staat op " a href="/.well-known/jwks.json" { "/.well-known/jwks.json" } "." }
            }
        },
    )
}

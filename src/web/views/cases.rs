//! The case register, the registration form and the case page.

use super::components::{
    Field, Select, StatusBadge, csrf_field, date_nl, datetime_nl, error_summary, human_size, pagination,
};
use crate::cases::{detail::CaseDetail, search::Page};
use crate::domain::access::Action;
use crate::domain::case::{Arrival, CaseStatus, ComplaintKind, PanelRole, PartyRole, Region};
use crate::entities::{board, member, school};
use crate::web::{
    extract::Ctx,
    form::FieldErrors,
    routes::cases::{DOCUMENT_ROWS, RegisterQuery},
};
use maud::{Markup, html};

pub fn register(
    ctx: &Ctx,
    q: &RegisterQuery,
    page: &Page,
    schools: &[school::Model],
    boards: &[board::Model],
) -> Markup {
    let no_errors = FieldErrors::default();
    let href = |p: u64| {
        let pairs = [("status", &q.status), ("school", &q.school), ("board", &q.board), ("year", &q.year), ("q", &q.q)];
        let mut s = form_urlencoded(&pairs);
        if !s.is_empty() {
            s.push('&');
        }
        format!("/zaken?{s}page={p}")
    };
    let filtered = [&q.status, &q.school, &q.board, &q.year, &q.q].iter().any(|v| !v.is_empty());
    let today = super::deadlines::today();
    super::layout::page(
        ctx,
        "Zakenregister",
        html! {
            div.page-header {
                h1 { "Zakenregister" }
                @if ctx.may(Action::RegisterCase) { div.actions { a.button href="/zaken/nieuw" { "Klaagschrift registreren" } } }
            }
            form.filters method="get" action="/zaken" role="search" aria-label="Zaken filteren" {
                div.field {
                    label for="f-q" { "Zoeken" }
                    input #f-q type="search" name="q" value=(q.q) placeholder="Zaaknummer of naam";
                }
                (Select { name: "status", label: "Fase", options: CaseStatus::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect(), selected: &q.status, empty: Some("Alle fasen"), errors: &no_errors })
                (Select { name: "school", label: "School", options: schools.iter().map(|s| (s.id.to_string(), s.name.clone())).collect(), selected: &q.school, empty: Some("Alle scholen"), errors: &no_errors })
                @if boards.len() > 1 {
                    (Select { name: "board", label: "Bevoegd gezag", options: boards.iter().map(|b| (b.id.to_string(), b.name.clone())).collect(), selected: &q.board, empty: Some("Alle besturen"), errors: &no_errors })
                }
                div.field {
                    label for="f-year" { "Jaar" }
                    input #f-year type="number" name="year" value=(q.year) min="2000" max="2100" inputmode="numeric";
                }
                button type="submit" { "Filteren" }
                @if filtered { a.button.secondary href="/zaken" { "Wis filters" } }
            }
            p.muted {
                @if page.more { "Meer dan " (super::components::count_nl(page.total)) " zaken" }
                @else { (super::components::count_nl(page.total)) " " (if page.total == 1 { "zaak" } else { "zaken" }) }
                @if page.pages > 1 { " · pagina " (page.page) " van " (page.pages) }
            }
            @if page.more {
                p.muted.small { "Alleen de nieuwste " (super::components::count_nl(page.total)) " zijn door te bladeren; kies een jaar, stand of school om oudere zaken te vinden." }
            }
            @if page.rows.is_empty() {
                p { "Geen zaken gevonden." }
            } @else {
                div.table-wrap {
                    table.data.responsive {
                        caption.visually-hidden { "Zaken, nieuwste eerst" }
                        thead { tr {
                            th scope="col" { "Zaaknummer" } th scope="col" { "Ontvangen" } th scope="col" { "Klager" }
                            th scope="col" { "Onderwerp" } th scope="col" { "School" } th scope="col" { "Fase" } th scope="col" { "Eerstvolgende termijn" }
                        } }
                        tbody {
                            @for r in &page.rows {
                                tr {
                                    td.nowrap data-label="Zaak" { a href=(format!("/zaken/{}", r.zaaknummer)) { (r.zaaknummer) } }
                                    td.nowrap data-label="Ontvangen" { (date_nl(r.received_on)) }
                                    td data-label="Klager" { (r.klager.as_deref().unwrap_or("—")) }
                                    td data-label="Onderwerp" { (r.subject) }
                                    td data-label="School" { div { (r.school_name) br; span.small.muted { (r.board_name) } } }
                                    td data-label="Fase" { (StatusBadge { status: &r.status, outcome: r.outcome.as_deref() }) }
                                    td.nowrap data-label="Termijn" { @if r.next_due.is_some() { (super::deadlines::DueBadge { due_on: r.next_due, today }) } @else { span.muted { "—" } } }
                                }
                            }
                        }
                    }
                }
                (pagination(page.page, page.pages, href))
            }
        },
    )
}

fn form_urlencoded(pairs: &[(&str, &String)]) -> String {
    serde_urlencoded::to_string(pairs.iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>()).unwrap_or_default()
}

#[derive(Debug, Default, Clone)]
pub struct PartyInput {
    pub role: String,
    pub name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub minor: bool,
}

/// What the registration form shows: the user's input as typed.
#[derive(Debug, Default, Clone)]
pub struct NewCaseForm {
    pub received_on: String,
    pub school_id: String,
    pub subject: String,
    pub facts_date: String,
    pub arrival: String,
    pub parties: Vec<PartyInput>,
    pub doc_titles: Vec<String>,
    /// Send the acknowledgement of receipt (Art 11.9) at once.
    pub acknowledge: bool,
    /// Art 11.1: `klager` or `gemachtigde`.
    pub signed_by: String,
    /// Art 11.6: the body that forwarded the complaint, and its receipt date.
    pub forwarded_by: String,
    pub forwarded_received_on: String,
    /// Art 11.4.
    pub needs_translation: bool,
    /// The kind of complaint (`ComplaintKind` code), or empty when not yet known.
    pub complaint_kind: String,
}

/// The kinds of complaint as select options.
fn kind_options() -> Vec<(String, String)> {
    ComplaintKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect()
}

pub fn new_case(ctx: &Ctx, form: &NewCaseForm, schools: &[school::Model], errors: &FieldErrors) -> Markup {
    let school_options = schools
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                format!("{} ({}, regio {})", s.name, s.place, Region::parse(&s.region).map_or("?", |r| r.label())),
            )
        })
        .collect();
    let role_options: Vec<(String, String)> =
        PartyRole::ALL.iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect();
    super::layout::page(
        ctx,
        "Klaagschrift registreren",
        html! {
            h1 { "Klaagschrift registreren" }
            p.lead { "Registreer een binnengekomen klaagschrift met de datum van ontvangst (art. 11.1 en 11.9). De zaak krijgt direct een zaaknummer." }
            (error_summary(errors))
            form.stack method="post" action="/zaken" enctype="multipart/form-data" novalidate {
                (csrf_field(&ctx.csrf))
                fieldset {
                    legend { "Ontvangst" }
                    (Field::new("received_on", "Datum van ontvangst (art. 11.9)", &form.received_on, errors).kind("date").required())
                    (Select { name: "arrival", label: "Binnengekomen", options: Arrival::ALL.iter().map(|a| (a.code().to_owned(), a.label().to_owned())).collect(), selected: &form.arrival, empty: None, errors })
                    (Select { name: "school_id", label: "School waarover geklaagd wordt", options: school_options, selected: &form.school_id, empty: Some("Kies een school"), errors })
                    (Field::new("subject", "Onderwerp van de klacht", &form.subject, errors).required().hint("Eén regel, bijvoorbeeld: Klacht over de afhandeling van een pestincident."))
                    (Select { name: "complaint_kind", label: "Soort klacht", options: kind_options(), selected: &form.complaint_kind, empty: Some("Nog niet vastgelegd"), errors })
                    (Field::new("facts_date", "Datum van de gedraging of beslissing (art. 11.5)", &form.facts_date, errors).kind("date").hint("Laat leeg als die nog niet bekend is."))
                    (Select { name: "signed_by", label: "Ondertekend door (art. 11.1)", options: vec![("klager".into(), "de klager".into()), ("gemachtigde".into(), "een gemachtigde van de klager".into())], selected: &form.signed_by, empty: None, errors })
                    (Field::new("forwarded_by", "Doorgezonden door (art. 11.6)", &form.forwarded_by, errors).hint("Alleen als een school of andere instantie de klacht doorstuurde: naam van die instantie."))
                    (Field::new("forwarded_received_on", "Datum van ontvangst bij die instantie", &form.forwarded_received_on, errors).kind("date").hint("Geldt voor de termijn van één jaar (art. 11.6)."))
                    div.checkbox {
                        input #f-needs_translation type="checkbox" name="needs_translation" value="ja" checked[form.needs_translation];
                        label for="f-needs_translation" { "Het klaagschrift is in een andere taal en moet worden vertaald (art. 11.4)" }
                    }
                    p.hint { "Een mondelinge klacht (art. 11.2): kies hierboven ‘Mondeling’ en voeg het verslag van de secretaris toe als document 1; het wacht dan op de handtekening van de klager." }
                }
                @for (i, p) in form.parties.iter().enumerate() {
                    @let fields = html! {
                        fieldset {
                            legend { "Persoon " (i + 1) @if i == 0 { " (klager)" } }
                            (Select { name: &format!("p{i}_role"), label: "Rol", options: role_options.clone(), selected: &p.role, empty: Some("Kies een rol"), errors })
                            (Field::new(&format!("p{i}_name"), "Naam", &p.name, errors))
                            (Field::new(&format!("p{i}_address"), "Correspondentieadres", &p.address, errors).kind("textarea"))
                            (Field::new(&format!("p{i}_email"), "E-mailadres", &p.email, errors).kind("email"))
                            (Field::new(&format!("p{i}_phone"), "Telefoon", &p.phone, errors).kind("tel"))
                            div.checkbox {
                                input id=(format!("f-p{i}_minor")) type="checkbox" name=(format!("p{i}_minor")) value="ja" checked[p.minor];
                                label for=(format!("f-p{i}_minor")) { "Minderjarig" }
                            }
                        }
                    };
                    // The first two (klager, aangeklaagde) are always open; further persons
                    // fold away until needed, or when they hold input or an error.
                    @if i < 2 {
                        (fields)
                    } @else {
                        @let used = !p.name.is_empty() || !p.address.is_empty() || !p.email.is_empty() || !p.phone.is_empty()
                            || errors.iter().any(|(f, _)| f.starts_with(&format!("p{i}_")));
                        details.optional open[used] {
                            summary { "Nog een persoon toevoegen (gemachtigde, getuige, ...)" }
                            (fields)
                        }
                    }
                }
                fieldset #f-documents {
                    legend { "Documenten" }
                    p.hint { "PDF, Word (.docx), OpenDocument (.odt), tekst, e-mail (.eml), PNG of JPEG; ten hoogste 20 MB per bestand. Het eerste document is het klaagschrift." }
                    @if let Some(e) = errors.get("documents") { p.field-error { (e) } }
                    @for i in 0..DOCUMENT_ROWS {
                        (Field::new(&format!("d{i}_title"), &format!("Titel document {}", i + 1), form.doc_titles.get(i).map_or("", String::as_str), errors))
                        (Field::new(&format!("d{i}_file"), &format!("Bestand {}", i + 1), "", errors).kind("file"))
                    }
                }
                div.checkbox {
                    input #f-acknowledge type="checkbox" name="acknowledge" value="ja" checked[form.acknowledge];
                    label for="f-acknowledge" { "Ontvangstbevestiging sturen aan de klager (of diens gemachtigde), art. 11.9" }
                }
                button type="submit" { "Registreren" }
            }
        },
    )
}

/// The kind of complaint on the case page; the secretariat records or changes it there (also
/// on a closed case, for the annual report). After a refused post the choice made is kept.
fn complaint_kind(
    ctx: &Ctx,
    c: &crate::entities::case::Model,
    manage: bool,
    errors: &FieldErrors,
    input: &[(String, String)],
) -> Markup {
    let stored = c.complaint_kind.as_deref().unwrap_or("");
    let selected = input.iter().find(|(k, _)| k == "soort_klacht").map_or(stored, |(_, v)| v.as_str());
    let err = errors.get("soort_klacht");
    html! {
        @if manage {
            form.inline method="post" action=(format!("/zaken/{}/soort-klacht", c.zaaknummer)) {
                (csrf_field(&ctx.csrf))
                label.visually-hidden for="f-soort_klacht" { "Soort klacht" }
                select id="f-soort_klacht" name="soort_klacht" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| "f-soort_klacht-error")] {
                    option value="" { "Niet vastgelegd" }
                    @for (code, label) in kind_options() {
                        option value=(code) selected[code == selected] { (label) }
                    }
                }
                " " button.link-button type="submit" { "opslaan" }
                @if let Some(e) = err { p.field-error id="f-soort_klacht-error" { (e) } }
            }
        } @else {
            @match c.complaint_kind.as_deref().and_then(ComplaintKind::parse) {
                Some(k) => (k.label()),
                None => span.muted { "niet vastgelegd" },
            }
        }
    }
}

/// The panel form's choices: who may be seated, and the proposal (Art 5, 9).
#[derive(Debug, Default)]
pub struct PanelChoice {
    pub members: Vec<member::Model>,
    pub proposal: Option<crate::domain::proposal::Proposal>,
}

pub fn case_page(
    ctx: &Ctx,
    d: &CaseDetail,
    panel: &PanelChoice,
    errors: &FieldErrors,
    doc_title: Option<&str>,
    input: &[(String, String)],
) -> Markup {
    let c = &d.case;
    // A purged case is an anonymous record: nothing on it can change (the server refuses too).
    let open_file = c.purged_on.is_none();
    let manage = ctx.may(Action::ManageCase) && open_file;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    super::layout::page(
        ctx,
        &format!("Zaak {}", c.zaaknummer),
        html! {
            div.page-header {
                h1 { "Zaak " (c.zaaknummer) }
                div.actions {
                    (StatusBadge { status: &c.status, outcome: c.outcome.as_deref() })
                    @if ctx.user.role != crate::domain::access::Role::Bestuur {
                        " " a.button.secondary href=(format!("/zaken/{}/zitting", c.zaaknummer)) { "Onderzoek en zitting" }
                        " " a.button.secondary href=(format!("/zaken/{}/advies", c.zaaknummer)) { "Beraadslaging en advies" }
                    }
                    @if ctx.may(Action::Administer) {
                        " " a.button.secondary href=(format!("/zaken/{}/inzage-log", c.zaaknummer)) { "Inzagelog" }
                    }
                    @if manage {
                        " " a.button.secondary href=(format!("/zaken/{}/dossier", c.zaaknummer)) { "Dossier exporteren" }
                    }
                    @if manage && matches!(c.status.as_str(), "advies_uitgebracht" | "afgesloten") {
                        " " a.button.secondary href=(format!("/zaken/{}/publicatie", c.zaaknummer)) { "Publicatie" }
                    }
                }
            }
            @if let Some(on) = c.purged_on {
                div.flash.info role="status" {
                    p {
                        "Dit dossier is op " (date_nl(on)) " vernietigd, na afloop van de bewaartermijn: de stukken, brieven en "
                        "persoonsgegevens zijn verwijderd. Alleen een anonieme registratie voor de jaarverslagen is over."
                    }
                }
            }
            p.lead { (c.subject) }
            (error_summary(errors))
            div.grid-2 {
                section.card aria-labelledby="h-gegevens" {
                    h2 #h-gegevens { "Gegevens" }
                    dl.facts {
                        dt { "Ontvangen" } dd { (date_nl(c.received_on)) }
                        dt { "Binnengekomen" } dd { (Arrival::parse(&c.arrival).map_or(c.arrival.as_str(), |a| a.label())) }
                        @if let (Some(by), Some(on)) = (&c.forwarded_by, c.forwarded_received_on) {
                            dt { "Doorgezonden door" } dd { (by) br; span.small.muted { "daar ontvangen op " (date_nl(on)) " (art. 11.6)" } }
                        }
                        @if let Some((entry_id, number)) = &d.register_entry {
                            dt { "Klachtenregister school" } dd { a href=(format!("/register/{entry_id}")) { "Registratie " (number) } }
                        }
                        dt { "Ondertekend door" } dd { (if c.signed_by == "gemachtigde" { "een gemachtigde van de klager" } else { "de klager" }) }
                        dt { "School" } dd { (d.school.name) ", " (d.school.place) br; span.small.muted { "Vakantieregio " (Region::parse(&d.school.region).map_or("?", |r| r.label())) } }
                        dt { "Bevoegd gezag" } dd { (d.board.name) }
                        dt { "Feiten" } dd { @if let Some(f) = c.facts_date { (date_nl(f)) } @else { span.muted { "nog niet vastgelegd" } } }
                        dt { "Soort klacht" } dd { (complaint_kind(ctx, c, manage, errors, input)) }
                        dt { "Fase" } dd { (CaseStatus::parse(&c.status).map_or(c.status.as_str(), |s| s.label())) " " span.small.muted { (CaseStatus::parse(&c.status).map_or("", |s| s.article())) } }
                    }
                }
                section.card #commissie aria-labelledby="h-commissie" {
                    h2 #h-commissie { "Commissie (art. 9.1)" }
                    @if d.panel.is_empty() {
                        p.muted { "Nog geen commissie samengesteld." }
                    } @else {
                        ul {
                            @for (seat, m) in &d.panel {
                                li {
                                    (m.name) " — " (PanelRole::parse(&seat.role).map_or(seat.role.as_str(), |r| r.label()))
                                    @if manage {
                                        form.inline method="post" action=(format!("/zaken/{}/commissie/{}/verwijderen", c.zaaknummer, m.id)) {
                                            (csrf_field(&ctx.csrf))
                                            button.link-button type="submit" aria-label=(format!("{} uit de commissie verwijderen", m.name)) { "verwijderen" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if let (true, Some(p)) = (manage && d.panel.len() < crate::domain::panel::PANEL_SIZE, &panel.proposal) {
                        (proposal_box(ctx, c, p))
                    }
                    @if manage && d.panel.len() < crate::domain::panel::PANEL_SIZE {
                        form.stack method="post" action=(format!("/zaken/{}/commissie", c.zaaknummer)) {
                            (csrf_field(&ctx.csrf))
                            (Select {
                                name: "member_id", label: "Lid toevoegen",
                                options: panel.members.iter()
                                    .map(|m| (m.id.to_string(), format!("{}{}", m.name, if m.is_chair { " (voorzitter)" } else { "" })))
                                    .collect(),
                                selected: "", empty: Some("Kies een lid"), errors,
                            })
                            (Select { name: "role", label: "Rol", options: PanelRole::ALL.iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect(), selected: "lid", empty: None, errors: &FieldErrors::default() })
                            button type="submit" { "Toevoegen" }
                        }
                    }
                }
            }
            (super::intake::section(ctx, c, &d.intake, &d.proposed_checklist, errors))
            (super::recusals::section(ctx, c, &d.recusals, &d.panel, errors))
            (super::deadlines::case_section(ctx, c, &d.deadlines, ctx.may(Action::DecideTerms) && open_file, errors))
            section.card #betrokkenen aria-labelledby="h-partijen" {
                h2 #h-partijen { "Betrokkenen" }
                div.table-wrap {
                    table.data {
                        thead { tr { th scope="col" { "Rol" } th scope="col" { "Naam" } th scope="col" { "Correspondentieadres" } th scope="col" { "Contact" } } }
                        tbody {
                            @for p in &d.parties {
                                tr {
                                    td { (PartyRole::parse(&p.role).map_or(p.role.as_str(), |r| r.label())) @if p.minor { " " span.badge.warning { "minderjarig" } } }
                                    td { (p.name) }
                                    td { @if let Some(a) = &p.address { @for (i, line) in a.lines().enumerate() { @if i > 0 { br; } (line) } } @else { span.badge.danger { "ontbreekt" } } }
                                    td {
                                        @if let Some(e) = &p.email { (e) } @if let Some(t) = &p.phone { br; (t) }
                                        @if matches!(PartyRole::parse(&p.role), Some(PartyRole::GemachtigdeKlager | PartyRole::GemachtigdeAangeklaagde)) {
                                            @if manage {
                                                form.inline method="post" action=(format!("/zaken/{}/betrokkenen/{}/hoedanigheid", c.zaaknummer, p.id)) {
                                                    (csrf_field(&ctx.csrf))
                                                    label.small for=(format!("q-{}", p.id)) { "Hoedanigheid (art. 15)" } " "
                                                    select id=(format!("q-{}", p.id)) name="hoedanigheid" {
                                                        option value="" { "geen" }
                                                        @for (code, label) in crate::cases::parties::QUALIFICATIONS {
                                                            option value=(code) selected[p.qualification.as_deref() == Some(code)] { (label) }
                                                        }
                                                    }
                                                    " " button.link-button type="submit" { "opslaan" }
                                                }
                                            } @else if let Some(q) = &p.qualification {
                                                br; span.small.muted { (q) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (super::advies::case_section(ctx, c, &d.advies, &d.documents, errors, input))
            (super::letters::case_section(ctx, c, &d.letters))
            section.card #documenten aria-labelledby="h-documenten" {
                h2 #h-documenten { "Documenten" }
                @if d.documents.is_empty() {
                    p.muted { "Nog geen documenten." }
                } @else {
                    div.table-wrap {
                        table.data {
                            thead { tr { th scope="col" { "Datum" } th scope="col" { "Titel" } th scope="col" { "Bestand" } th.num scope="col" { "Grootte" } } }
                            tbody {
                                @for doc in &d.documents {
                                    tr {
                                        td.nowrap { (date_nl(doc.received_on)) }
                                        td {
                                            (doc.title) @if doc.direction == "uit" { " " span.badge.muted title="Door de commissie verstuurd" { "uitgaand" } }
                                            @if doc.restricted {
                                                " " span.badge.warning { "beperkte inzage (art. 15)" }
                                                br; span.small.muted { "Mag inzien: de commissie" @for n in may_see(d, doc) { ", " (n) } "." }
                                            }
                                            @if ctx.may(Action::DecideTerms) && open_file && doc.direction == "in" {
                                                details.small {
                                                    summary { "Inzage (art. 15)" }
                                                    form.stack method="post" action=(format!("/zaken/{}/documenten/{}/inzage", c.zaaknummer, doc.id)) {
                                                        (csrf_field(&ctx.csrf))
                                                        div.field {
                                                            label for=(format!("voor-{}", doc.id)) { "Inzage voorbehouden aan de gemachtigde van" }
                                                            select id=(format!("voor-{}", doc.id)) name="voor" {
                                                                option value="" selected[doc.restricted_for.is_none()] { "niemand: niet beperkt" }
                                                                option value="klager" selected[doc.restricted_for.as_deref() == Some("klager")] { "de klager" }
                                                                option value="aangeklaagde" selected[doc.restricted_for.as_deref() == Some("aangeklaagde")] { "de aangeklaagde" }
                                                            }
                                                        }
                                                        div.field { label for=(format!("reden-doc-{}", doc.id)) { "Reden" } input id=(format!("reden-doc-{}", doc.id)) type="text" name="reden" value=(doc.restriction_reason.as_deref().unwrap_or("")); }
                                                        button type="submit" { "Opslaan" }
                                                    }
                                                }
                                            }
                                        }
                                        td { a href=(format!("/zaken/{}/documenten/{}", c.zaaknummer, doc.id)) download { (doc.file_name) } }
                                        td.num.nowrap { (human_size(doc.size_bytes)) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if manage {
                    h3 { "Ontvangen document toevoegen" }
                    form.stack method="post" action=(format!("/zaken/{}/documenten", c.zaaknummer)) enctype="multipart/form-data" novalidate {
                        (csrf_field(&ctx.csrf))
                        (Field::new("doc_title", "Titel", doc_title.unwrap_or(""), errors).required())
                        (Field::new("doc_received_on", "Datum van ontvangst", &today.format("%Y-%m-%d").to_string(), errors).kind("date").required())
                        (Field::new("doc_file", "Bestand", "", errors).kind("file").required().hint("Ten hoogste 20 MB: PDF, Word, OpenDocument, tekst, e-mail, PNG of JPEG."))
                        (Select {
                            name: "doc_from", label: "Afzender",
                            options: d.parties.iter().map(|p| (format!("partij-{}", p.id), format!("{}: {}", PartyRole::parse(&p.role).map_or(p.role.as_str(), |r| r.label()), p.name)))
                                .chain(std::iter::once(("bestuur".to_owned(), format!("Bevoegd gezag: {}", d.board.name))))
                                .collect(),
                            selected: "", empty: Some("Onbekend of iemand anders"), errors,
                        })
                        div.checkbox {
                            input #f-doc_ack type="checkbox" name="doc_ack" value="ja" checked;
                            label for="f-doc_ack" { "Ontvangstbevestiging sturen aan de afzender (art. 11.9)" }
                        }
                        button type="submit" { "Document toevoegen" }
                    }
                }
            }
            section.card aria-labelledby="h-tijdlijn" {
                h2 #h-tijdlijn { "Tijdlijn" }
                ol.timeline {
                    @for e in &d.timeline {
                        li {
                            time.when datetime=(super::components::datetime_attr(e.at)) { (datetime_nl(e.at)) }
                            " " strong.what { (action_label(&e.action)) }
                            " " span.who { "door " (e.actor) }
                            @if let Some(text) = detail_text(&e.detail) { p.detail { (text) } }
                        }
                    }
                }
            }
        },
    )
}

/// The proposed panel with a button to accept it, and why each member was or was not proposed.
/// Issue 9: the access log of a case, newest first, for the beheerder.
pub fn access_log(ctx: &Ctx, c: &crate::entities::case::Model, p: &crate::access_log::Page) -> Markup {
    let base = format!("/zaken/{}/inzage-log", c.zaaknummer);
    super::layout::page(
        ctx,
        &format!("Inzagelog zaak {}", c.zaaknummer),
        html! {
            div.page-header {
                h1 { "Inzagelog zaak " (c.zaaknummer) }
                div.actions { a.button.secondary href=(format!("/zaken/{}", c.zaaknummer)) { "Terug naar de zaak" } }
            }
            p.lead {
                "Wie deze zaak, haar documenten en haar registratie in het klachtenregister van de school bekeek "
                "of downloadde, ook via de API; het nieuwste eerst. Lezen verandert de zaak niet en staat daarom "
                "niet in het logboek van wijzigingen."
            }
            @if p.entries.is_empty() {
                p.muted { "Nog niemand heeft deze zaak bekeken." }
            } @else {
                p.small.muted { (p.total) (if p.total == 1 { " inzage" } else { " inzagen" }) }
                div.table-wrap {
                    table.data {
                        caption { "Inzagen, het nieuwste eerst" }
                        thead { tr { th scope="col" { "Wanneer" } th scope="col" { "Wie" } th scope="col" { "Wat" } th scope="col" { "Details" } } }
                        tbody {
                            @for e in &p.entries {
                                tr {
                                    td { time datetime=(super::components::datetime_attr(e.at)) { (datetime_seconds_nl(e.at)) } }
                                    td { (e.who()) }
                                    td { (e.what_label()) }
                                    td { @if let Some(d) = &e.detail { (d) } @else { span.muted { "—" } } }
                                }
                            }
                        }
                    }
                }
                (pagination(p.page, p.pages, |n| format!("{base}?pagina={n}")))
            }
        },
    )
}

/// `23 november 2026, 14:05:09` in Dutch local time: the log is read to the second.
fn datetime_seconds_nl(t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&chrono_tz::Europe::Amsterdam);
    format!("{}, {}", date_nl(local.date_naive()), local.format("%H:%M:%S"))
}

fn proposal_box(ctx: &Ctx, c: &crate::entities::case::Model, p: &crate::domain::proposal::Proposal) -> Markup {
    use crate::domain::proposal::Seat;
    let name = |id: i32| p.assessments.iter().find(|a| a.id == id).map_or("?", |a| a.name.as_str());
    html! {
        div.proposal {
            h3 { "Voorstel (art. 5, 9)" }
            @if p.chair.is_none() && p.members.is_empty() {
                p.muted { "Geen voorstel: niemand anders is beschikbaar." }
            } @else {
                ul {
                    @if let Some(ch) = p.chair { li { strong { (name(ch)) } " — voorzitter" } }
                    @for m in &p.members { li { strong { (name(*m)) } " — lid" } }
                }
                form method="post" action=(format!("/zaken/{}/commissie/voorstel", c.zaaknummer)) {
                    (csrf_field(&ctx.csrf))
                    button type="submit" { "Voorstel overnemen" }
                }
            }
            details {
                summary { "Waarom wel of niet voorgesteld" }
                ul.assessments {
                    @for a in &p.assessments {
                        li {
                            strong { (a.name) } " "
                            @match a.proposed_as {
                                Some(Seat::Chair) => { span.badge.ok { "voorgesteld als voorzitter" } }
                                Some(Seat::Member) => { span.badge.ok { "voorgesteld als lid" } }
                                None => { span.badge.muted { "niet voorgesteld" } }
                            }
                            br;
                            span.small { (a.reasons.join(" ")) }
                        }
                    }
                }
            }
        }
    }
}

/// Art 15: the people of the case who may see a restricted document.
fn may_see(d: &CaseDetail, doc: &crate::entities::document::Model) -> Vec<String> {
    let concerned = doc.restricted_for.as_deref().and_then(PartyRole::parse);
    if concerned.is_none() {
        return vec![];
    }
    d.parties
        .iter()
        .filter(|p| {
            PartyRole::parse(&p.role)
                .is_some_and(|r| crate::domain::restriction::may_receive(r, p.qualification.as_deref(), concerned))
        })
        .map(|p| format!("{} ({})", p.name, p.qualification.as_deref().unwrap_or("gemachtigde")))
        .collect()
}

/// Dutch wording of the audit actions shown on the timeline.
pub fn action_label(action: &str) -> &str {
    match action {
        "zaak.geregistreerd" => "Klaagschrift geregistreerd",
        "zaak.soort_klacht" => "Soort klacht vastgelegd",
        "document.ontvangen" => "Document ontvangen",
        "commissie.lid_toegevoegd" => "Lid aan de commissie toegevoegd",
        "commissie.lid_verwijderd" => "Lid uit de commissie verwijderd",
        "termijn.gestart" => "Termijn gestart",
        "termijn.verlengd" => "Termijn verlengd",
        "termijn.opgeschort" => "Termijn opgeschort",
        "termijn.hervat" => "Termijn hervat",
        "termijn.afgesloten" => "Termijn afgesloten",
        "termijn.herberekend" => "Termijn herberekend",
        "zaak.spoed" => "Zaak als spoed aangemerkt (art. 27)",
        "termijn.spoed" => "Termijn als spoed aangemerkt (art. 27)",
        "termijn.spoed_opgeheven" => "Spoed voor termijn opgeheven",
        "zaak.spoed_opgeheven" => "Spoed opgeheven",
        "brief.verstuurd" => "Brief verstuurd",
        "brief.gepost" => "Brief op de post gedaan",
        "bericht.mislukt" => "E-mail kon niet worden bezorgd",
        "bericht.opnieuw_verzonden" => "E-mail opnieuw verstuurd",
        "intake.volledigheid" => "Volledigheid vastgelegd (art. 11.3)",
        "intake.datum_feiten" => "Datum van de feiten vastgelegd (art. 11.5)",
        "intake.verslag_ondertekend" => "Ondertekend verslag ontvangen (art. 11.2)",
        "intake.vertaling" => "Vertaling ontvangen (art. 11.4)",
        "intake.te_laat_beslist" => "Beslist over te late indiening (art. 11.5)",
        "intake.herstel_gevraagd" => "Herstel gevraagd (art. 11.7)",
        "intake.herstel_ontvangen" => "Herstel ontvangen (art. 11.7)",
        "intake.niet_ontvankelijk" => "Niet-ontvankelijk verklaard",
        "intake.doorgezonden" => "Doorgezonden aan andere commissie (art. 11.10)",
        "intake.doorgestuurd_aangeklaagde" => "Klaagschrift aan aangeklaagde gestuurd (art. 12)",
        "intake.verweerschrift_ontvangen" => "Verweerschrift ontvangen (art. 13)",
        "intake.ingetrokken" => "Klacht ingetrokken (art. 26)",
        "zaak.vereenvoudigd" => "Zaak vereenvoudigd afgedaan (art. 16)",
        "schriftelijk.instemming" => "Instemming met schriftelijke behandeling (art. 17)",
        "schriftelijk.gestart" => "Schriftelijke behandeling gestart (art. 17)",
        "schriftelijk.repliek" => "Repliek ontvangen (art. 17)",
        "schriftelijk.afgerond" => "Schriftelijke behandeling afgerond; onderzoek gesloten",
        "wraking.verzocht" => "Verzoek tot wraking of verschoning (art. 19)",
        "document.beperkt" => "Inzage van een document beperkt (art. 15)",
        "document.beperking_opgeheven" => "Beperking van de inzage opgeheven",
        "dossier.geexporteerd" => "Dossier geëxporteerd als zip",
        "zaak.vernietigd" => "Dossier vernietigd na de bewaartermijn",
        "partij.hoedanigheid" => "Hoedanigheid van een gemachtigde vastgelegd (art. 15)",
        "wraking.gestemd" => "Stem uitgebracht over wraking of verschoning",
        "wraking.beslist" => "Beslist over wraking of verschoning (art. 19)",
        "zitting.gepland" => "Zitting gepland (art. 18)",
        "zitting.uitgenodigd" => "Partijen uitgenodigd voor de zitting (art. 18)",
        "zitting.agenda_verstuurd" => "Agenda-uitnodiging aan de commissie verstuurd",
        "zitting.verplaatst" => "Zitting verplaatst",
        "zitting.afgezegd" => "Zitting afgezegd",
        "zitting.commissie_gewijzigd" => "Gewijzigde commissie aan partijen en agenda's gemeld",
        "zitting.verzoek_apart_horen" => "Verzoek om apart horen ontvangen (art. 20.4)",
        "zitting.apart_horen" => "Beslist over apart horen (art. 20.4)",
        "zitting.gehouden" => "Zitting gehouden",
        "zitting.proces_verbaal_concept" => "Proces-verbaal (concept) opgeslagen",
        "zitting.proces_verbaal_vastgesteld" => "Proces-verbaal vastgesteld",
        "zitting.verslag_getuige" => "Verslag minderjarige getuige verstuurd (art. 21.6)",
        "zaak.opgelost" => "Klacht opgelost met een schikking (art. 14.2)",
        "onderzoek.gesloten" => "Onderzoek gesloten (art. 25.1)",
        "onderzoek.heropend" => "Onderzoek heropend (art. 23)",
        "onderzoek.inlichtingen_gevraagd" => "Inlichtingen gevraagd (art. 14.1)",
        "onderzoek.inlichtingen_ontvangen" => "Inlichtingen ontvangen (art. 14.1)",
        "verhindering.vastgelegd" => "Verhindering vastgelegd",
        "verhindering.verwijderd" => "Verhindering verwijderd",
        "partij.toegevoegd" => "Persoon toegevoegd (art. 21, 22)",
        "agenda.link_vernieuwd" => "Agenda-adres vernieuwd",
        "webhook.mislukt" => "Statusmelding aan het systeem van het bestuur kon niet worden afgeleverd",
        "webhook.opnieuw" => "Statusmelding aan het systeem van het bestuur opnieuw verstuurd",
        other => other,
    }
}

/// A short readable summary of an audit entry's details.
fn detail_text(detail: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(detail).ok()?;
    let obj = v.as_object()?;
    let parts: Vec<String> = obj
        .iter()
        .filter(|(k, v)| *k != "sha256" && *k != "documenten" && *k != "message_id" && !v.is_null())
        .map(|(k, v)| {
            let text = match v {
                // Dates are stored as ISO text; people read them in Dutch.
                serde_json::Value::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_or_else(|_| s.clone(), crate::domain::dutch::date),
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            format!("{k}: {text}")
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_times_are_local_to_the_second() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-30T13:05:09Z").unwrap().with_timezone(&chrono::Utc);
        assert_eq!(datetime_seconds_nl(t), "30 november 2026, 14:05:09");
        let summer = chrono::DateTime::parse_from_rfc3339("2026-07-01T12:00:00Z").unwrap().with_timezone(&chrono::Utc);
        assert_eq!(datetime_seconds_nl(summer), "1 juli 2026, 14:00:00");
    }
}

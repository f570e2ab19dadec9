//! The school complaints register: the list, the registratieformulier, and an entry's page
//! with its actions table, letters, documents and the link with the commission.

use super::components::{
    Field, Select, StatusBadge, csrf_field, date_nl, datetime_nl, error_summary, human_size, pagination,
};
use crate::domain::school_register::{
    self as rules, ComplainantRole, ComplaintKind, EntryStatus, Procedure, RegisterAction, Step,
};
use crate::entities::{register_entry, school};
use crate::school_register::{Detail, Filter, Page, SchoolSummary, entries::EntryForm};
use crate::web::extract::Ctx;
use crate::web::form::FieldErrors;
use maud::{Markup, html};
use std::collections::HashMap;

fn status_badge(status: &str) -> Markup {
    let label = EntryStatus::parse(status).map_or(status, |s| s.label());
    html! { span class=(format!("badge register-{status}")) { (label) } }
}

fn school_options(schools: &[school::Model]) -> Vec<(String, String)> {
    schools.iter().map(|s| (s.id.to_string(), s.name.clone())).collect()
}

pub fn list(
    ctx: &Ctx,
    board: &crate::entities::board::Model,
    schools: &[school::Model],
    f: &Filter,
    page: &Page,
    summary: &[SchoolSummary],
) -> Markup {
    let pages = page.total.div_ceil(crate::school_register::PER_PAGE);
    let errors = FieldErrors::default();
    let query = |p: u64| {
        let mut q = vec![format!("pagina={p}")];
        if let Some(s) = f.school_id {
            q.push(format!("school={s}"));
        }
        if let Some(s) = f.status {
            q.push(format!("status={}", s.code()));
        }
        if let Some(y) = f.year {
            q.push(format!("jaar={y}"));
        }
        format!("/register?{}", q.join("&"))
    };
    let school_name = |id: i32| schools.iter().find(|s| s.id == id).map_or("", |s| s.name.as_str());
    let today = crate::admin::today();
    super::layout::page(
        ctx,
        "Klachtenregister",
        html! {
            div.page-header {
                h1 { "Klachtenregister van uw scholen" }
                div.actions {
                    a.button.secondary href="/register/jaarverslag" { "Jaarverslag" }
                    a.button href="/register/nieuw" { "Klacht registreren" }
                }
            }
            p.lead { "Het register is vertrouwelijk: alleen het bestuur en de contactpersonen van de eigen scholen zien het. Dossiers worden vijf jaar na het sluiten bewaard." }
            section.card aria-labelledby="h-scholen" {
                h2 #h-scholen { "Per school" }
                (school_table(summary))
            }
            details {
                summary { "Klachtenregeling: " (Procedure::parse(&board.procedure).map_or("", |p| p.label())) }
                form.stack method="post" action="/register/regeling" {
                    (csrf_field(&ctx.csrf))
                    (Select { name: "procedure", label: "De klachtenregeling die uw scholen volgen", options: Procedure::ALL.iter().map(|p| (p.code().to_owned(), p.label().to_owned())).collect(), selected: &board.procedure, empty: None, errors: &errors })
                    p.hint { "Nieuwe registraties krijgen de antwoordtermijn van deze regeling; lopende registraties houden hun termijn." }
                    button type="submit" { "Opslaan" }
                }
            }
            form.filters method="get" action="/register" {
                (Select { name: "school", label: "School", options: school_options(schools), selected: &f.school_id.map(|s| s.to_string()).unwrap_or_default(), empty: Some("Alle scholen"), errors: &errors })
                (Select { name: "status", label: "Stand", options: EntryStatus::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect(), selected: f.status.map_or("", |s| s.code()), empty: Some("Alle"), errors: &errors })
                (Field::new("jaar", "Jaar", &f.year.map(|y| y.to_string()).unwrap_or_default(), &errors).kind("number"))
                button type="submit" { "Filteren" }
            }
            p.muted { (page.total) " registratie(s)" }
            @if page.rows.is_empty() {
                p { "Er zijn geen registraties die aan deze keuze voldoen." }
            } @else {
                div.table-wrap {
                    table.data.stack {
                        thead { tr {
                            th scope="col" { "Nummer" } th scope="col" { "Ontvangen" } th scope="col" { "School" }
                            th scope="col" { "Klager" } th scope="col" { "Soort" } th scope="col" { "Stand" } th scope="col" { "Antwoord uiterlijk" }
                        } }
                        tbody {
                            @for e in &page.rows {
                                @let by = e.answer_delayed_to.or(e.answer_due);
                                tr {
                                    td.nowrap data-label="Nummer" { a href=(format!("/register/{}", e.id)) { (rules::entry_number(e.year, e.seq)) } }
                                    td.nowrap data-label="Ontvangen" { (date_nl(e.received_on)) }
                                    td data-label="School" { (school_name(e.school_id)) }
                                    td data-label="Klager" { (e.complainant_name) }
                                    td data-label="Soort" { (ComplaintKind::parse(&e.kind).map_or("", |k| k.label())) }
                                    td data-label="Stand" { (status_badge(&e.status)) }
                                    td data-label="Antwoord uiterlijk" {
                                        @if let (true, Some(by)) = (e.status == EntryStatus::Open.code(), by) {
                                            span.nowrap { (date_nl(by)) }
                                            @if rules::answer_overdue(EntryStatus::Open, e.decided_on, Some(by), today) { " " span.badge.warning { "te laat" } }
                                        } @else if let Some(on) = e.decided_on {
                                            span.small.muted { "beslist " (date_nl(on)) }
                                        } @else { span.muted { "—" } }
                                    }
                                }
                            }
                        }
                    }
                }
                (pagination(page.page, pages, query))
            }
        },
    )
}

pub fn new_form(ctx: &Ctx, schools: &[school::Model], form: &EntryForm, errors: &FieldErrors) -> Markup {
    let opt = |all: &[(&str, &str)]| all.iter().map(|(c, l)| ((*c).to_owned(), (*l).to_owned())).collect::<Vec<_>>();
    let checked = |v: &str| v == "ja";
    super::layout::page(
        ctx,
        "Klacht registreren",
        html! {
            h1 { "Klacht registreren" }
            p.lead { "Het registratieformulier van de klachtenregeling. Een schriftelijke klacht zonder naam, adres en handtekening is geen klacht; een klacht over ongewenst gedrag gaat naar de vertrouwenspersoon." }
            (error_summary(errors))
            form.stack method="post" action="/register" enctype="multipart/form-data" novalidate {
                (csrf_field(&ctx.csrf))
                fieldset {
                    legend { "De klacht" }
                    (Select { name: "school_id", label: "School", options: school_options(schools), selected: &form.school_id, empty: Some("Kies een school"), errors })
                    (Field::new("received_on", "Ontvangen op", &form.received_on, errors).kind("date").required())
                    (Select { name: "received_how", label: "Binnengekomen", options: opt(&[("schriftelijk", "Schriftelijk"), ("mondeling", "Mondeling")]), selected: &form.received_how, empty: Some("Kies"), errors })
                    fieldset.checks {
                        legend { "Een schriftelijke klacht bevat" }
                        label { input type="checkbox" name="written_name" value="ja" checked[checked(&form.written_name)]; " de naam van de klager" }
                        label { input type="checkbox" name="written_address" value="ja" checked[checked(&form.written_address)]; " het adres" }
                        label { input type="checkbox" name="written_signed" value="ja" checked[checked(&form.written_signed)]; " een handtekening" }
                    }
                    (Select { name: "kind", label: "Soort klacht", options: ComplaintKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect(), selected: &form.kind, empty: Some("Kies"), errors })
                    (Field::new("nature", "Aard van de klacht", &form.nature, errors).kind("textarea").required())
                    (Field::new("complained_about", "Over wie of wat", &form.complained_about, errors).required().hint("De persoon over wie geklaagd wordt, of de afdeling."))
                    (Field::new("facts_on", "Datum van de feiten", &form.facts_on, errors).kind("date").hint("Een klacht wordt binnen een jaar na de feiten ingediend."))
                    label.check { input type="checkbox" name="late_allowed" value="ja" checked[checked(&form.late_allowed)]; " De directeur besluit een klacht van meer dan een jaar oud toch te behandelen" }
                }
                fieldset {
                    legend { "Wie klaagt" }
                    (Field::new("complainant_name", "Naam", &form.complainant_name, errors).required())
                    (Select { name: "complainant_role", label: "Hoedanigheid", options: ComplainantRole::ALL.iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect(), selected: &form.complainant_role, empty: Some("Kies"), errors })
                    (Field::new("child_name", "Naam van het kind", &form.child_name, errors))
                    (Field::new("group_name", "Groep of klas", &form.group_name, errors))
                    (Field::new("address", "Adres", &form.address, errors).kind("textarea"))
                    (Field::new("phone", "Telefoon", &form.phone, errors).kind("tel"))
                    (Field::new("email", "E-mail", &form.email, errors).kind("email").hint("Met een e-mailadres gaan de brieven per e-mail; anders drukt de school ze af."))
                }
                fieldset {
                    legend { "Stuk (optioneel)" }
                    (Field::new("doc_title", "Titel", "", errors))
                    div.field.invalid[errors.get("doc_file").is_some()] {
                        label for="f-doc_file" { "Bestand" }
                        input #f-doc_file type="file" name="doc_file";
                        @if let Some(e) = errors.get("doc_file") { p.field-error { (e) } }
                    }
                }
                button type="submit" { "Registreren" }
            }
        },
    )
}

/// The posted values of the form that failed, to put back in it.
pub type Kept = HashMap<String, String>;

pub fn entry(ctx: &Ctx, d: &Detail, may_edit: bool, errors: &FieldErrors, kept: &Kept) -> Markup {
    let e = &d.entry;
    let number = d.number();
    let facts = d.facts();
    let today = crate::admin::today();
    let warnings = rules::warnings(&d.timing(), chrono::Utc::now(), today);
    let can = |s: Step| may_edit && rules::allowed(&facts, s).is_ok();
    let k = |name: &str, default: &str| kept.get(name).cloned().unwrap_or_else(|| default.to_owned());
    let post = |what: &str| format!("/register/{}/{what}", e.id);
    let opt = |v: &Option<String>| v.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into());
    super::layout::page(
        ctx,
        &format!("Registratie {number}"),
        html! {
            div.page-header {
                h1 { "Registratie " (number) " " (status_badge(&e.status)) }
                @if may_edit { div.actions { a href="/register" { "Terug naar het register" } } }
            }
            p.lead { (d.school.name) " · " (d.procedure().label()) }
            @if let Some(reason) = &e.status_reason { p.flash.info { (reason) } }
            @if !warnings.is_empty() {
                div.flash.warning role="status" { ul { @for w in &warnings { li { (w) } } } }
            }
            (error_summary(errors))
            div.grid-2 {
                section.card aria-labelledby="h-klacht" {
                    h2 #h-klacht { "De klacht" }
                    dl.facts {
                        dt { "Ontvangen" } dd { (date_nl(e.received_on)) " (" (e.received_how) ")" }
                        dt { "Geregistreerd" } dd { (datetime_nl(e.recorded_at)) }
                        dt { "Soort" } dd { (ComplaintKind::parse(&e.kind).map_or("", |k| k.label())) }
                        dt { "Over" } dd { (e.complained_about) }
                        dt { "Feiten" } dd { (e.facts_on.map_or_else(|| "—".to_owned(), date_nl)) @if e.late_allowed { br; span.small.muted { "de directeur besloot de klacht toch te behandelen" } } }
                        dt { "Klager" } dd { (e.complainant_name) " (" (ComplainantRole::parse(&e.complainant_role).map_or("", |r| r.label()).to_lowercase()) ")" }
                        dt { "Kind, groep" } dd { (opt(&e.child_name)) ", " (opt(&e.group_name)) }
                        dt { "Adres" } dd.prewrap { (opt(&e.address)) }
                        dt { "Telefoon, e-mail" } dd { (opt(&e.phone)) ", " (opt(&e.email)) }
                        @if e.received_how == "schriftelijk" {
                            dt { "Schriftelijk met" } dd {
                                (if e.written_name { "naam" } else { "zonder naam" }) ", "
                                (if e.written_address { "adres" } else { "zonder adres" }) ", "
                                (if e.written_signed { "handtekening" } else { "zonder handtekening" })
                            }
                        }
                    }
                    h3 { "Aard van de klacht" }
                    p.prewrap { (e.nature) }
                }
                section.card aria-labelledby="h-termijnen" {
                    h2 #h-termijnen { "Behandeling en termijnen" }
                    dl.facts {
                        dt { "Klachtbehandelaar" } dd {
                            (opt(&e.handler))
                            @if let Some(at) = e.handler_assigned_at { br; span.small.muted { "aangewezen " (datetime_nl(at)) } }
                            br; span.small.muted { "uiterlijk " (datetime_nl(rules::handler_due(e.recorded_at))) " (48 uur)" }
                        }
                        dt { "Antwoord uiterlijk" } dd {
                            @match (e.answer_due, e.answer_delayed_to) {
                                (_, Some(new)) => { (date_nl(new)) br; span.small.muted { "uitgesteld: " (e.delay_reason.clone().unwrap_or_default()) } }
                                (Some(due), None) => { (date_nl(due)) br; span.small.muted { (match d.procedure() { Procedure::Alfrink => "15 werkdagen na ontvangst", Procedure::Klassepro => "twee weken na ontvangst" }) } }
                                (None, None) => { span.muted { "—" } }
                            }
                        }
                        dt { "Beslissing" } dd { (e.decided_on.map_or_else(|| "—".to_owned(), date_nl)) }
                        @if e.follow_up_due.is_some() || e.follow_up_on.is_some() {
                            dt { "Nagesprek" } dd {
                                @if let Some(on) = e.follow_up_on { (date_nl(on)) } @else { "nog niet" }
                                @if let Some(due) = e.follow_up_due { br; span.small.muted { "uiterlijk " (date_nl(due)) } }
                            }
                        }
                        @if let Some(closed) = e.closed_on {
                            dt { "Gesloten" } dd { (date_nl(closed)) br; span.small.muted { "bewaren tot " (rules::purge_after(closed).map_or_else(String::new, date_nl)) } }
                        }
                    }
                }
            }

            section.card #acties aria-labelledby="h-acties" {
                h2 #h-acties { "Acties" }
                div.table-wrap {
                    table.data.stack {
                        thead { tr { th scope="col" { "Actie" } th scope="col" { "Datum" } th scope="col" { "Wie" } th scope="col" { "Gedaan" } @if may_edit { th scope="col" { span.visually-hidden { "Opslaan" } } } } }
                        tbody {
                            @for a in &d.actions {
                                @let label = RegisterAction::parse(&a.action).map_or(a.action.as_str(), |x| x.label());
                                @let form_id = format!("actie-{}", a.action);
                                @let err = errors.get(&format!("actie_{}", a.action));
                                tr {
                                    td data-label="Actie" { (label) @if let Some(err) = err { p.field-error { (err) } } }
                                    @if may_edit {
                                        td data-label="Datum" { input type="date" name="on" form=(form_id) aria-label=(format!("Datum: {label}")) value=(a.on_date.map(|d| d.to_string()).unwrap_or_default()); }
                                        td data-label="Wie" { input type="text" name="who" form=(form_id) aria-label=(format!("Wie: {label}")) value=(a.who); }
                                        td data-label="Gedaan" { input type="checkbox" name="done" value="ja" form=(form_id) aria-label=(format!("Gedaan: {label}")) checked[a.done]; }
                                        td {
                                            form id=(form_id) method="post" action=(post("acties")) {
                                                (csrf_field(&ctx.csrf))
                                                input type="hidden" name="action" value=(a.action);
                                                button.small type="submit" { "Opslaan" }
                                            }
                                        }
                                    } @else {
                                        td data-label="Datum" { (a.on_date.map_or_else(|| "—".to_owned(), date_nl)) }
                                        td data-label="Wie" { (a.who) }
                                        td data-label="Gedaan" { (if a.done { "ja" } else { "nee" }) }
                                    }
                                }
                            }
                        }
                    }
                }
            }

            @if may_edit {
                section.card #afhandeling aria-labelledby="h-afhandeling" {
                    h2 #h-afhandeling { "Afhandeling" }
                    @if can(Step::AssignHandler) {
                        form.stack method="post" action=(post("behandelaar")) {
                            (csrf_field(&ctx.csrf))
                            (Field::new("handler", "Klachtbehandelaar", &k("handler", e.handler.as_deref().unwrap_or("")), errors).hint("Binnen 48 uur aanwijzen; zo mogelijk niet de persoon over wie geklaagd wordt."))
                            button type="submit" { "Aanwijzen" }
                        }
                    }
                    @if can(Step::Acknowledge) && !facts.acknowledged {
                        form method="post" action=(post("ontvangstbevestiging")) {
                            (csrf_field(&ctx.csrf))
                            @if let Some(err) = errors.get("ontvangst") { p.field-error { (err) } }
                            button type="submit" { "Ontvangstbevestiging versturen" }
                        }
                    }
                    @if can(Step::NoticeOfDelay) || (may_edit && kept.contains_key("delay_reason")) {
                        details open[kept.contains_key("delay_reason")] {
                            summary { "Het antwoord lukt niet op tijd: bericht van uitstel" }
                            form.stack method="post" action=(post("uitstel")) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("delay_reason", "Reden", &k("delay_reason", ""), errors).kind("textarea").required())
                                (Field::new("delay_date", "Nieuwe datum", &k("delay_date", ""), errors).kind("date").required())
                                button type="submit" { "Bericht van uitstel versturen" }
                            }
                        }
                    }
                    @if can(Step::Decide) || (may_edit && kept.contains_key("decision")) {
                        details open[kept.contains_key("decision")] {
                            summary { "Beslissing versturen" }
                            form.stack method="post" action=(post("beslissing")) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("decision", "Beslissing, met redenen", &k("decision", ""), errors).kind("textarea").required())
                                (Field::new("solution", "Geboden oplossing", &k("solution", ""), errors).kind("textarea").required())
                                (Field::new("cause", "Oorzaak", &k("cause", &e.cause), errors).kind("textarea"))
                                (Field::new("measures", "Maatregelen om herhaling te voorkomen", &k("measures", &e.measures), errors).kind("textarea"))
                                button type="submit" { "Beslissing versturen" }
                            }
                        }
                    }
                    @if can(Step::FollowUp) || (may_edit && kept.contains_key("follow_up_report")) {
                        details open[kept.contains_key("follow_up_report") || e.follow_up_on.is_none()] {
                            summary { "Nagesprek vastleggen" }
                            form.stack method="post" action=(post("nagesprek")) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("follow_up_on", "Datum", &k("follow_up_on", &e.follow_up_on.map(|d| d.to_string()).unwrap_or_default()), errors).kind("date").required())
                                (Field::new("follow_up_report", "Verslag", &k("follow_up_report", &e.follow_up_report), errors).kind("textarea").required())
                                button type="submit" { "Opslaan" }
                            }
                        }
                    }
                    @if can(Step::Close) {
                        form method="post" action=(post("sluiten")) {
                            (csrf_field(&ctx.csrf))
                            @if let Some(err) = errors.get("sluiten") { p.field-error { (err) } }
                            button type="submit" { "Dossier sluiten" }
                        }
                    }
                    @if can(Step::Withdraw) || (may_edit && kept.contains_key("withdraw")) {
                        details open[kept.contains_key("withdraw")] {
                            summary { "Intrekking vastleggen" }
                            form.stack method="post" action=(post("intrekking")) {
                                (csrf_field(&ctx.csrf))
                                input type="hidden" name="withdraw" value="ja";
                                @if let Some(err) = errors.get("intrekking") { p.field-error { (err) } }
                                fieldset.checks {
                                    legend { "De intrekking" }
                                    label { input type="checkbox" name="in_writing" value="ja" checked[k("in_writing", "") == "ja"]; " is schriftelijk" }
                                    label { input type="checkbox" name="w_name" value="ja" checked[k("w_name", "") == "ja"]; " noemt naam" }
                                    label { input type="checkbox" name="w_address" value="ja" checked[k("w_address", "") == "ja"]; " en adres" }
                                    label { input type="checkbox" name="w_signed" value="ja" checked[k("w_signed", "") == "ja"]; " en is ondertekend" }
                                }
                                button type="submit" { "Intrekking vastleggen" }
                            }
                        }
                    }
                    details {
                        summary { "Analyse: oorzaak, oplossing, maatregelen" }
                        form.stack method="post" action=(post("analyse")) {
                            (csrf_field(&ctx.csrf))
                            (Field::new("a_cause", "Oorzaak", &k("a_cause", &e.cause), errors).kind("textarea"))
                            (Field::new("a_solution", "Oplossing", &k("a_solution", &e.solution), errors).kind("textarea"))
                            (Field::new("a_measures", "Maatregelen om herhaling te voorkomen", &k("a_measures", &e.measures), errors).kind("textarea"))
                            button type="submit" { "Opslaan" }
                        }
                    }
                }
            }
            @if !e.decision.is_empty() || !e.cause.is_empty() || !e.solution.is_empty() || !e.measures.is_empty() {
                section.card aria-labelledby="h-analyse" {
                    h2 #h-analyse { "Beslissing en analyse" }
                    dl.facts {
                        @for (label, text) in [("Beslissing", &e.decision), ("Oorzaak", &e.cause), ("Oplossing", &e.solution), ("Maatregelen", &e.measures), ("Nagesprek", &e.follow_up_report)] {
                            @if !text.is_empty() { dt { (label) } dd.prewrap { (text) } }
                        }
                    }
                }
            }

            section.card #commissie aria-labelledby="h-commissie" {
                h2 #h-commissie { "Klachtencommissie" }
                @if let Some(p) = &d.case {
                    dl.facts {
                        dt { "Zaak" } dd { a href=(format!("/zaken/{}", p.zaaknummer)) { (p.zaaknummer) } " " (StatusBadge { status: p.status.code(), outcome: p.outcome.map(|o| o.code()) }) }
                        dt { "Voorgelegd" } dd { (e.escalated_at.map_or_else(String::new, datetime_nl)) }
                        dt { "Ontvangen door de commissie" } dd { (date_nl(p.received_on)) }
                        dt { "Hoorzitting" } dd {
                            @if let Some(at) = p.hearing_at { (datetime_nl(at)) }
                            @else if let Some(at) = p.held_at { "gehouden op " (datetime_nl(at)) }
                            @else if p.status.is_open() && p.advies.is_none() { "nog niet gepland" }
                            @else { "geen" }
                        }
                        @if let Some((kind, due)) = p.next_term { dt { "Eerstvolgende termijn" } dd { (kind.label()) ": " (date_nl(due)) } }
                        dt { "Advies" } dd {
                            @if let Some(a) = &p.advies {
                                "verzonden " (datetime_nl(a.sent_at))
                                @if let Some(o) = a.outcome { ", oordeel: " strong { (o.label().to_lowercase()) } }
                                @if let Some(doc) = a.pdf_document_id { br; a href=(format!("/zaken/{}/documenten/{doc}", p.zaaknummer)) { "Advies (PDF)" } }
                            } @else { "nog niet uitgebracht" }
                        }
                        @if let Some(b) = &p.board_decision { dt { "Besluit bevoegd gezag" } dd { (date_nl(b.decided_on)) ": " (b.decision) } }
                    }
                } @else if may_edit && can(Step::Escalate) {
                    p { "Is de klager niet tevreden met de afhandeling door de school, of gaat de klacht naar de commissie (stap 5)? Leg de klacht dan hier voor. De commissie ontvangt de gegevens van dit formulier en alle stukken; de datum waarop de school de klacht ontving geldt voor de termijn van een jaar (art. 11.6)." }
                    form.stack method="post" action=(post("voorleggen")) {
                        (csrf_field(&ctx.csrf))
                        @if let Some(err) = errors.get("voorleggen") { p.field-error { (err) } }
                        label.check { input type="checkbox" name="confirm" value="ja"; " De klager wil de klacht aan de klachtencommissie voorleggen" }
                        button type="submit" { "Voorleggen aan de klachtencommissie" }
                    }
                } @else {
                    p.muted { "Niet voorgelegd aan de klachtencommissie." }
                }
            }

            section.card #brieven aria-labelledby="h-brieven" {
                h2 #h-brieven { "Brieven" }
                @if d.letters.is_empty() { p.muted { "Nog geen brieven." } } @else {
                    ul {
                        @for l in &d.letters {
                            li {
                                (date_nl(l.letter_date)) ": " (l.subject) " — "
                                (if l.channel == "email" { "per e-mail" } else { "per post (afdrukken)" }) " · "
                                a href=(format!("/register/{}/documenten/{}", e.id, l.document_id)) { "PDF" }
                            }
                        }
                    }
                }
            }
            section.card #documenten aria-labelledby="h-documenten" {
                h2 #h-documenten { "Stukken" }
                @if d.documents.is_empty() { p.muted { "Nog geen stukken." } } @else {
                    ul {
                        @for doc in &d.documents {
                            li {
                                a href=(format!("/register/{}/documenten/{}", e.id, doc.id)) { (doc.title) }
                                " " span.small.muted { "(" (if doc.direction == "uit" { "verstuurd" } else { "ontvangen" }) " " (date_nl(doc.received_on)) ", " (human_size(doc.size)) ")" }
                            }
                        }
                    }
                }
                @if may_edit {
                    form.stack method="post" action=(post("documenten")) enctype="multipart/form-data" {
                        (csrf_field(&ctx.csrf))
                        (Field::new("doc_title", "Titel", &k("doc_title", ""), errors).required())
                        (Field::new("doc_received_on", "Ontvangen op", &k("doc_received_on", &today.to_string()), errors).kind("date"))
                        div.field.invalid[errors.get("doc_file").is_some()] {
                            label for="f-doc_file" { "Bestand" }
                            input #f-doc_file type="file" name="doc_file";
                            @if let Some(err) = errors.get("doc_file") { p.field-error { (err) } }
                        }
                        button type="submit" { "Stuk toevoegen" }
                    }
                }
            }
        },
    )
}

/// A line for the portal and lists: number, school, status.
/// One line per school of a board's registers: open, answered late, this year. On the
/// register page and on the board's start page.
pub fn school_table(summary: &[SchoolSummary]) -> Markup {
    html! {
        div.table-wrap {
            table.data {
                thead { tr { th scope="col" { "School" } th.num scope="col" { "In behandeling" } th.num scope="col" { "Antwoord te laat" } th.num scope="col" { "Dit jaar" } } }
                tbody {
                    @for s in summary {
                        tr {
                            td { a href=(format!("/register?school={}", s.school.id)) { (s.school.name) } }
                            td.num { (s.open) }
                            td.num { @if s.overdue > 0 { span.badge.warning { (s.overdue) } } @else { "0" } }
                            td.num { (s.this_year) }
                        }
                    }
                }
            }
        }
    }
}

pub fn entry_line(e: &register_entry::Model) -> Markup {
    html! { a href=(format!("/register/{}", e.id)) { (rules::entry_number(e.year, e.seq)) } " " (status_badge(&e.status)) }
}

/// The contactpersoon's yearly report for the board or one school: entries by kind and state,
/// answered in time, escalated, and the analysis of causes and preventive measures. No names.
pub fn year_report(
    ctx: &Ctx,
    board: &crate::entities::board::Model,
    schools: &[school::Model],
    school: Option<&school::Model>,
    year: i32,
    r: &rules::YearReport,
) -> Markup {
    let errors = FieldErrors::default();
    let scope = school.map_or(board.name.as_str(), |s| s.name.as_str());
    let decided = r.in_time + r.late;
    super::layout::page(
        ctx,
        &format!("Jaarverslag klachten {year}"),
        html! {
            div.page-header {
                h1 { "Jaarverslag klachten " (year) }
                div.actions { a href="/register" { "Terug naar het register" } }
            }
            p.lead { (scope) ": de klachten die in " (year) " binnenkwamen, zoals de contactpersoon erover rapporteert. Het verslag noemt geen namen." }
            form.filters method="get" action="/register/jaarverslag" {
                (Select { name: "school", label: "School", options: school_options(schools), selected: &school.map(|s| s.id.to_string()).unwrap_or_default(), empty: Some("Alle scholen van het bestuur"), errors: &errors })
                (Field::new("jaar", "Jaar", &year.to_string(), &errors).kind("number"))
                button type="submit" { "Tonen" }
            }
            div.grid-2 {
                section.card aria-labelledby="h-soort" {
                    h2 #h-soort { "Per soort" }
                    table.data {
                        thead { tr { th scope="col" { "Soort" } th.num scope="col" { "Aantal" } } }
                        tbody {
                            @for (k, n) in &r.by_kind { tr { td { (k.label()) } td.num { (n) } } }
                            tr { th scope="row" { "Totaal" } td.num { strong { (r.total) } } }
                        }
                    }
                }
                section.card aria-labelledby="h-afhandeling" {
                    h2 #h-afhandeling { "Afhandeling" }
                    table.data {
                        tbody {
                            tr { td { "Binnen de termijn beantwoord" } td.num { (r.in_time) " van " (decided) } }
                            tr { td { "Na de termijn beantwoord" } td.num { (r.late) } }
                            tr { td { "Open en over de termijn" } td.num { (r.open_overdue) } }
                            tr { td { "Voorgelegd aan de klachtencommissie" } td.num { (r.escalated) } }
                            @for (s, n) in &r.by_status { @if *n > 0 { tr { td.muted { (s.label()) } td.num { (n) } } } }
                        }
                    }
                }
            }
            section.card aria-labelledby="h-analyse" {
                h2 #h-analyse { "Analyse: oorzaken en maatregelen" }
                @if r.analysis.is_empty() {
                    p.muted { "Geen oorzaken of maatregelen vastgelegd." }
                } @else {
                    div.table-wrap {
                        table.data.stack {
                            thead { tr { th scope="col" { "Soort" } th scope="col" { "Oorzaak" } th scope="col" { "Maatregelen om herhaling te voorkomen" } } }
                            tbody {
                                @for (k, cause, measures) in &r.analysis {
                                    tr { td data-label="Soort" { (k.label()) } td.prewrap data-label="Oorzaak" { (cause) } td.prewrap data-label="Maatregelen" { (measures) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

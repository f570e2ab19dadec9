//! Publication of anonymised adviezen: the secretary's review page of a case, and the public
//! pages (search and one published advies) in the frame without navigation, for visitors who
//! are not signed in.

use super::components::{Select, StatusBadge, csrf_field, date_nl, datetime_nl, error_summary, pagination};
use crate::domain::case::{ComplaintKind, Outcome, Sector};
use crate::entities::{advies, case, publication};
use crate::publications::{self, Fields, GEPUBLICEERD, INGETROKKEN, PublicPage};
use crate::web::{extract::Ctx, form::FieldErrors, routes::publications::PublicQuery};
use maud::{Markup, html};

/// What the review page shows.
pub struct Review<'a> {
    pub case: &'a case::Model,
    pub publication: Option<&'a publication::Model>,
    pub not_eligible: Option<&'a str>,
    pub advies: Option<&'a advies::Model>,
    /// The fields as posted (after an error) or stored.
    pub fields: Option<&'a Fields>,
    /// Per field, the terms of the case still in it.
    pub remaining: &'a [(&'static str, Vec<String>)],
    /// Per field, words to look at.
    pub attention: &'a [(&'static str, Vec<String>)],
    /// Whether the case records its kind of complaint (else the theme is a guess).
    pub theme_from_case: bool,
    pub reason: &'a str,
}

fn status_label(status: &str) -> &'static str {
    match status {
        GEPUBLICEERD => "Gepubliceerd",
        INGETROKKEN => "Ingetrokken",
        _ => "Concept",
    }
}

fn label(field: &str) -> &'static str {
    publications::TEXT_FIELDS.iter().find(|(f, _)| *f == field).map_or("", |(_, l)| *l)
}

fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_owned(), label(*v).to_owned())).collect()
}

fn paragraphs(text: &str) -> Markup {
    html! { @for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) { p.preserve { (para.trim()) } } }
}

fn field_error(errors: &FieldErrors, field: &str) -> Markup {
    html! { @if let Some(e) = errors.get(field) { p.field-error id=(format!("f-{field}-error")) { (e) } } }
}

fn text_area(name: &str, value: &str, rows: u32, errors: &FieldErrors, hint: Option<&str>) -> Markup {
    let id = format!("f-{name}");
    let err = errors.get(name);
    html! {
        div.field.invalid[err.is_some()] {
            label for=(id) { (label(name)) }
            @if let Some(h) = hint { p.hint { (h) } }
            textarea id=(id) name=(name) rows=(rows) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))] { (value) }
            (field_error(errors, name))
        }
    }
}

/// `/zaken/{zaaknummer}/publicatie`: the proposal side by side with its warnings.
pub fn review(ctx: &Ctx, r: &Review<'_>, errors: &FieldErrors) -> Markup {
    let c = r.case;
    let z = &c.zaaknummer;
    let status = r.publication.map(|p| p.status.as_str());
    let editable = status == Some(publications::CONCEPT);
    super::layout::page(
        ctx,
        &format!("Publicatie zaak {z}"),
        html! {
            p.breadcrumb { a href=(format!("/zaken/{z}")) { "Zaak " (z) } " › Publicatie" }
            div.page-header {
                h1 { "Publicatie van het advies" }
                div.actions {
                    (StatusBadge { status: &c.status, outcome: c.outcome.as_deref() })
                    @if let Some(s) = status { " " span.badge.muted { (status_label(s)) } }
                }
            }
            p.lead { "Een geanonimiseerde versie van het advies voor de openbare pagina " a href="/uitspraken" { "Uitspraken" } ": namen, scholen, plaatsen en andere herkenbare gegevens uit de zaak zijn vervangen door neutrale omschrijvingen. Controleer de tekst voordat u publiceert." }
            (error_summary(errors))
            @if let Some(e) = errors.get("publicatie") { div.flash.error role="alert" { (e) } }
            @if let Some(p) = r.publication {
                p.small.muted {
                    "Status: " (status_label(&p.status))
                    @if let Some(n) = &p.number { " · nummer " (n) }
                    @if let Some(at) = p.published_at { " · gepubliceerd " (datetime_nl(at)) }
                    @if let Some(at) = p.withdrawn_at { " · ingetrokken " (datetime_nl(at)) }
                }
            }
            @match (r.publication, r.not_eligible) {
                (None, Some(why)) => { div.flash.info { (why) } }
                (None, None) => {
                    section.card {
                        h2 { "Voorstel maken" }
                        p { "Het voorstel wordt gemaakt uit het verzonden advies: de klacht (onderdeel B) wordt de situatie, het oordeel (onderdeel C) het oordeel en de overwegingen. Onderdeel A (partijen) en D (de leden) worden niet gepubliceerd." }
                        form method="post" action=(format!("/zaken/{z}/publicatie")) {
                            (csrf_field(&ctx.csrf))
                            button type="submit" { "Voorstel maken" }
                        }
                    }
                }
                (Some(p), _) => {
                    @if p.status == GEPUBLICEERD {
                        div.flash.success role="status" {
                            "Dit advies staat op de openbare pagina: "
                            @if let Some(n) = &p.number { a href=(format!("/uitspraken/{n}")) { "uitspraak " (n) } }
                            "."
                        }
                    }
                    @if p.status == INGETROKKEN {
                        div.flash.warning {
                            "Deze publicatie is ingetrokken en staat niet meer op de openbare pagina."
                            @if let Some(reason) = &p.withdrawn_reason { " Reden: " (reason) }
                        }
                        form method="post" action=(format!("/zaken/{z}/publicatie")) {
                            (csrf_field(&ctx.csrf))
                            button.secondary type="submit" { "Nieuw voorstel maken" }
                        }
                    }
                }
            }
            @if let Some(f) = r.fields {
                div.grid-2 {
                    section.card aria-labelledby="h-tekst" {
                        h2 #h-tekst { "Tekst voor publicatie" }
                        @if editable {
                            form.stack method="post" action=(format!("/zaken/{z}/publicatie/opslaan")) {
                                (csrf_field(&ctx.csrf))
                                div.field.invalid[errors.get("titel").is_some()] {
                                    label for="f-titel" { "Titel" }
                                    input #f-titel type="text" name="titel" value=(f.title) maxlength="200";
                                    (field_error(errors, "titel"))
                                }
                                (Select { name: "sector", label: "Sector", options: options(Sector::ALL, Sector::code, Sector::label), selected: &f.sector, empty: Some("— kies —"), errors })
                                (Select { name: "thema", label: "Thema (aard van de klacht)", options: options(ComplaintKind::ALL, ComplaintKind::code, ComplaintKind::label), selected: &f.theme, empty: Some("— kies —"), errors })
                                @if !r.theme_from_case { p.hint { "De zaak vermeldt geen aard van de klacht; het thema is een voorstel." } }
                                (Select { name: "uitkomst", label: "Uitkomst", options: options(Outcome::ALL, Outcome::code, Outcome::label), selected: &f.outcome, empty: Some("— kies —"), errors })
                                (text_area("situatie", &f.situation, 10, errors, Some("Wat er speelde en wat de klager aanvoert; het verweer.")))
                                (text_area("oordeel", &f.judgment, 5, errors, Some("Het oordeel van de commissie en eventuele aanbevelingen.")))
                                (text_area("overwegingen", &f.explanation, 10, errors, Some("Waarom de commissie zo oordeelt.")))
                                div.actions {
                                    button.secondary type="submit" { "Opslaan" }
                                    " "
                                    button type="submit" formaction=(format!("/zaken/{z}/publicatie/publiceren")) { "Publiceren" }
                                }
                            }
                        } @else {
                            h3 { (f.title) }
                            p.small.muted {
                                (Sector::parse(&f.sector).map_or("", Sector::label)) " · "
                                (ComplaintKind::parse(&f.theme).map_or("", ComplaintKind::label)) " · "
                                (Outcome::parse(&f.outcome).map_or("", Outcome::label))
                            }
                            h3 { "Situatie" } (paragraphs(&f.situation))
                            h3 { "Oordeel" } (paragraphs(&f.judgment))
                            h3 { "Overwegingen" } (paragraphs(&f.explanation))
                        }
                    }
                    section.card aria-labelledby="h-controle" {
                        h2 #h-controle { "Controle" }
                        @if r.remaining.is_empty() {
                            p.flash.success { "Geen namen, scholen, adressen of andere gegevens uit de zaak gevonden." }
                        } @else {
                            div.flash.error role="alert" {
                                strong { "Nog herkenbaar — zo kan het niet worden gepubliceerd." }
                                ul.warnings {
                                    @for (field, words) in r.remaining {
                                        li { (label(field)) ": " @for (n, w) in words.iter().enumerate() { @if n > 0 { ", " } "‘" (w) "’" } }
                                    }
                                }
                            }
                        }
                        h3 { "Aandachtspunten" }
                        @if r.attention.is_empty() {
                            p.muted { "Geen woorden die om aandacht vragen." }
                        } @else {
                            p.small { "Woorden met een hoofdletter midden in een zin, of codes: controleer of ze iemand herkenbaar maken (een naam van een leerling, een andere school, een plaats)." }
                            ul.warnings {
                                @for (field, words) in r.attention {
                                    li.notice { (label(field)) ": " @for (n, w) in words.iter().enumerate() { @if n > 0 { ", " } "‘" (w) "’" } }
                                }
                            }
                        }
                        @if let Some(a) = r.advies {
                            details.optional {
                                summary { "Het verzonden advies (niet geanonimiseerd)" }
                                p.small.muted { "Versie " (a.version) " van " (date_nl(a.advies_date)) }
                                h3 { "B. De klacht en haar gronden" } (paragraphs(&a.section_b))
                                h3 { "C. Het oordeel van de commissie" } (paragraphs(&a.section_c))
                            }
                        }
                        @if status == Some(GEPUBLICEERD) {
                            h3 { "Intrekken" }
                            form.stack method="post" action=(format!("/zaken/{z}/publicatie/intrekken")) {
                                (csrf_field(&ctx.csrf))
                                div.field.invalid[errors.get("reden").is_some()] {
                                    label for="f-reden" { "Reden (blijft intern)" }
                                    textarea #f-reden name="reden" rows="3" { (r.reason) }
                                    (field_error(errors, "reden"))
                                }
                                button.secondary type="submit" { "Publicatie intrekken" }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn public_nav(signed_in: bool) -> Markup {
    html! {
        p.breadcrumb {
            a href="/uitspraken" { "Uitspraken" }
            " · " a href="/verifieer" { "Advies controleren" }
            @if signed_in { " · " a href="/" { "Naar de werkomgeving" } }
        }
    }
}

/// The beginning of a text for the list: its first paragraph, at most about 300 characters.
fn excerpt(text: &str) -> String {
    let first = text.split("\n\n").next().unwrap_or("").trim();
    if first.chars().count() <= 300 {
        return first.to_owned();
    }
    let cut: String = first.chars().take(300).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut} …")
}

fn tags(p: &publication::Model) -> Markup {
    html! {
        span.badge { (Sector::parse(&p.sector).map_or(p.sector.as_str(), |s| s.label())) }
        " " span.badge.muted { (ComplaintKind::parse(&p.theme).map_or(p.theme.as_str(), |s| s.label())) }
        " " span.badge.muted { (Outcome::parse(&p.outcome).map_or(p.outcome.as_str(), |s| s.label())) }
    }
}

/// `/uitspraken`: published adviezen, filtered and searched.
pub fn public_list(signed_in: bool, q: &PublicQuery, page: &PublicPage) -> Markup {
    let none = FieldErrors::default();
    let href = |n: u64| {
        let query = serde_urlencoded::to_string([
            ("sector", q.sector.as_str()),
            ("thema", q.thema.as_str()),
            ("uitkomst", q.uitkomst.as_str()),
            ("q", q.q.as_str()),
            ("pagina", &n.to_string()),
        ])
        .unwrap_or_default();
        format!("/uitspraken?{query}")
    };
    super::layout::bare(
        "Uitspraken",
        None,
        html! {
            (public_nav(signed_in))
            h1 { "Uitspraken van de klachtencommissie" }
            p.lead { "Geanonimiseerde adviezen van de commissie: de situatie, het oordeel en de overwegingen. Namen, scholen en plaatsen zijn vervangen door neutrale omschrijvingen." }
            form.filters method="get" action="/uitspraken" role="search" {
                div.field { label for="f-q" { "Zoeken" } input #f-q type="search" name="q" value=(q.q) maxlength="200"; }
                (Select { name: "sector", label: "Sector", options: options(Sector::ALL, Sector::code, Sector::label), selected: &q.sector, empty: Some("Alle sectoren"), errors: &none })
                (Select { name: "thema", label: "Thema", options: options(ComplaintKind::ALL, ComplaintKind::code, ComplaintKind::label), selected: &q.thema, empty: Some("Alle thema's"), errors: &none })
                (Select { name: "uitkomst", label: "Uitkomst", options: options(Outcome::ALL, Outcome::code, Outcome::label), selected: &q.uitkomst, empty: Some("Alle uitkomsten"), errors: &none })
                button type="submit" { "Zoeken" }
            }
            p.small.muted role="status" {
                @match page.total { 0 => "Geen uitspraken gevonden.", 1 => "1 uitspraak gevonden.", n => { (n) " uitspraken gevonden." } }
            }
            @for p in &page.rows {
                @if let Some(n) = &p.number {
                    article.card {
                        h2 { a href=(format!("/uitspraken/{n}")) { (p.title) } }
                        p.small.muted { "Uitspraak " (n) " · advies van " (date_nl(p.advies_date)) }
                        p { (tags(p)) }
                        p { (excerpt(&p.situation)) }
                    }
                }
            }
            (pagination(page.page, page.pages, href))
        },
    )
}

/// `/uitspraken/{nummer}`: one published advies in its published form.
pub fn public_detail(signed_in: bool, p: &publication::Model) -> Markup {
    let number = p.number.as_deref().unwrap_or("");
    super::layout::bare(
        &format!("Uitspraak {number}"),
        None,
        html! {
            (public_nav(signed_in))
            article {
                h1 { (p.title) }
                p.small.muted { "Uitspraak " (number) " · advies van " (date_nl(p.advies_date)) }
                p { (tags(p)) }
                section aria-labelledby="h-situatie" { h2 #h-situatie { "Situatie" } (paragraphs(&p.situation)) }
                section aria-labelledby="h-oordeel" { h2 #h-oordeel { "Oordeel" } (paragraphs(&p.judgment)) }
                section aria-labelledby="h-overwegingen" { h2 #h-overwegingen { "Overwegingen" } (paragraphs(&p.explanation)) }
            }
        },
    )
}

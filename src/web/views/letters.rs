//! Letters: the send form on a case, the outbox, one message, the post queue, the templates
//! with the letterhead, and the template editor with placeholders and preview.

use super::components::{Field, Select, csrf_field, date_nl, datetime_nl, error_summary, pagination};
use crate::domain::letter::LetterKind;
use crate::entities::{case, document, letter, letter_template, outbox_message};
use crate::letters::compose::Recipient;
use crate::letters::letterhead::Letterhead;
use crate::outbox::{Purpose, status};
use crate::web::{
    extract::Ctx,
    form::FieldErrors,
    routes::letters::{LetterForm, LetterheadForm, OUTBOX_PER_PAGE, TemplateForm},
};
use maud::{Markup, html};

/// The sub-navigation of the letters pages.
fn subnav(ctx: &Ctx, current: &str) -> Markup {
    let mut items = vec![("/brieven", "Uitgaande e-mail"), ("/brieven/post", "Post")];
    if ctx.may(crate::domain::access::Action::EditTemplates) {
        items.push(("/brieven/sjablonen", "Sjablonen en briefhoofd"));
    }
    html! {
        nav.subnav aria-label="Brieven" {
            ul { @for (href, label) in items { li { a href=(href) aria-current=[(href == current).then_some("page")] { (label) } } } }
        }
    }
}

pub fn status_badge(code: &str) -> Markup {
    let class = match code {
        status::SENT => "badge ok",
        status::FAILED => "badge danger",
        _ => "badge warning",
    };
    html! { span class=(class) { (status::label(code)) } }
}

/// The letters of a case, for the case page.
pub fn case_section(ctx: &Ctx, c: &case::Model, letters: &[(letter::Model, Option<outbox_message::Model>)]) -> Markup {
    let manage = ctx.may(crate::domain::access::Action::ManageCase) && c.purged_on.is_none();
    html! {
        section.card #brieven aria-labelledby="h-brieven" {
            div.page-header {
                h2 #h-brieven { "Brieven" }
                @if manage { div.actions { a.button.secondary href=(format!("/zaken/{}/brieven/nieuw", c.zaaknummer)) { "Brief versturen" } } }
            }
            @if letters.is_empty() {
                p.muted { "Nog geen brieven verstuurd." }
            } @else {
                div.table-wrap {
                    table.data {
                        thead { tr { th scope="col" { "Datum" } th scope="col" { "Brief" } th scope="col" { "Aan" } th scope="col" { "Verzending" } } }
                        tbody {
                            @for (l, m) in letters {
                                tr {
                                    td.nowrap { (date_nl(l.letter_date)) }
                                    td {
                                        a href=(format!("/zaken/{}/documenten/{}", c.zaaknummer, l.document_id)) download { (l.subject) }
                                        br; span.small.muted { (LetterKind::parse(&l.kind).map_or(l.kind.as_str(), |k| k.label())) }
                                    }
                                    td { (l.recipient_name) }
                                    td {
                                        @if let Some(m) = m {
                                            "e-mail aan " (m.to_email) " " (status_badge(&m.status))
                                            @if let Some(at) = m.sent_at { br; span.small.muted { (datetime_nl(at)) } }
                                            @if manage { br; a.small href=(format!("/brieven/berichten/{}", m.id)) { "bericht bekijken" } }
                                        } @else if let Some(at) = l.posted_at {
                                            "per post " span.badge.ok { "gepost" } br; span.small.muted { (datetime_nl(at)) }
                                        } @else {
                                            "per post " span.badge.warning { "nog te posten" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn new_letter(
    ctx: &Ctx,
    c: &case::Model,
    recipients: &[Recipient],
    form: &LetterForm,
    errors: &FieldErrors,
) -> Markup {
    let kinds: Vec<(String, String)> = LetterKind::ALL
        .iter()
        .filter(|k| !k.is_school())
        .filter(|k| k.placeholders().iter().all(|p| crate::domain::letter::COMMON.contains(p) || p.name == "tekst"))
        .map(|k| {
            (
                k.code().to_owned(),
                format!(
                    "{}{}",
                    k.label(),
                    if k.article().is_empty() { String::new() } else { format!(" ({})", k.article()) }
                ),
            )
        })
        .collect();
    let options: Vec<(String, String)> = recipients
        .iter()
        .map(|r| {
            let how = match (&r.email, &r.address) {
                (Some(e), _) => format!("per e-mail aan {e}"),
                (None, Some(_)) => "per post".to_owned(),
                (None, None) => "per post — adres ontbreekt".to_owned(),
            };
            (r.to.code(), format!("{}: {} ({how})", r.role_label, r.name))
        })
        .collect();
    super::layout::page(
        ctx,
        &format!("Brief versturen · zaak {}", c.zaaknummer),
        html! {
            p.small { a href=(format!("/zaken/{}#brieven", c.zaaknummer)) { "‹ Terug naar zaak " (c.zaaknummer) } }
            h1 { "Brief versturen" }
            p.lead { "De brief wordt opgemaakt met het actuele sjabloon en het briefhoofd, als PDF aan het dossier toegevoegd en per e-mail verstuurd als de geadresseerde een e-mailadres heeft; anders komt hij klaar te staan voor de post." }
            (error_summary(errors))
            form.stack.template-editor method="post" action=(format!("/zaken/{}/brieven", c.zaaknummer)) novalidate {
                (csrf_field(&ctx.csrf))
                (Select { name: "soort", label: "Soort brief", options: kinds, selected: &form.soort, empty: None, errors })
                (Select { name: "aan", label: "Aan", options, selected: &form.aan, empty: Some("Kies de geadresseerde"), errors })
                (Field::new("tekst", "Tekst (bij een brief met vrije tekst)", &form.tekst, errors).kind("textarea").hint("Wordt ingevoegd op de plaats van {{tekst}}; begin een nieuwe alinea met een lege regel."))
                button type="submit" { "Versturen" }
            }
        },
    )
}

pub fn outbox(
    ctx: &Ctx,
    selected: Option<&str>,
    page: u64,
    total: u64,
    rows: &[outbox_message::Model],
    counts: &[(String, i64)],
    folder: Option<&std::path::Path>,
) -> Markup {
    let count = |s: &str| counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n);
    let all: i64 = counts.iter().map(|(_, n)| n).sum();
    let pages = total.div_ceil(OUTBOX_PER_PAGE).max(1);
    let tab = |code: Option<&str>, label: &str, n: i64| {
        let href = code.map_or("/brieven".to_owned(), |c| format!("/brieven?status={c}"));
        html! { li { a href=(href) aria-current=[(selected == code).then_some("page")] { (label) " (" (n) ")" } } }
    };
    super::layout::page(
        ctx,
        "Uitgaande e-mail",
        html! {
            h1 { "Brieven en berichten" }
            (subnav(ctx, "/brieven"))
            @if let Some(dir) = folder {
                p.flash.info { "Er is geen mailserver ingesteld: berichten worden niet echt verstuurd maar als .eml-bestand bewaard in " code { (dir.display()) } ". Hieronder ziet u precies wat verstuurd zou zijn." }
            }
            @if count(status::FAILED) > 0 {
                p.flash.error role="alert" { (count(status::FAILED)) " " (if count(status::FAILED) == 1 { "bericht kon" } else { "berichten konden" }) " niet worden bezorgd. Open het bericht om de fout te zien en het opnieuw te versturen." }
            }
            nav.subnav.tabs aria-label="Filter op status" {
                ul {
                    (tab(None, "Alle", all))
                    (tab(Some(status::WAITING), "Wachtend", count(status::WAITING)))
                    (tab(Some(status::FAILED), "Mislukt", count(status::FAILED)))
                    (tab(Some(status::SENT), "Verzonden", count(status::SENT)))
                }
            }
            @if rows.is_empty() {
                p.muted { "Geen berichten." }
            } @else {
                div.table-wrap {
                    table.data {
                        thead { tr { th scope="col" { "Aangemaakt" } th scope="col" { "Soort" } th scope="col" { "Aan" } th scope="col" { "Onderwerp" } th scope="col" { "Status" } } }
                        tbody {
                            @for m in rows {
                                tr {
                                    td.nowrap { (datetime_nl(m.created_at)) }
                                    td { (Purpose::label(&m.purpose)) }
                                    td { (m.to_name) br; span.small.muted { (m.to_email) } }
                                    td { a href=(format!("/brieven/berichten/{}", m.id)) { (m.subject) } }
                                    td { (status_badge(&m.status)) @if m.attempts > 0 && m.status != status::SENT { br; span.small.muted { (m.attempts) " pogingen" } } }
                                }
                            }
                        }
                    }
                }
                (pagination(page, pages, |p| match selected { Some(s) => format!("/brieven?status={s}&page={p}"), None => format!("/brieven?page={p}") }))
            }
        },
    )
}

pub fn message(
    ctx: &Ctx,
    m: &outbox_message::Model,
    case: Option<&case::Model>,
    attachment: Option<&document::Model>,
    head: &Letterhead,
) -> Markup {
    super::layout::page(
        ctx,
        &m.subject,
        html! {
            p.small { a href="/brieven" { "‹ Uitgaande e-mail" } }
            div.page-header {
                h1 { (m.subject) }
                div.actions {
                    (status_badge(&m.status))
                    @if m.status != status::SENT {
                        form method="post" action=(format!("/brieven/berichten/{}/opnieuw", m.id)) {
                            (csrf_field(&ctx.csrf))
                            button type="submit" { "Opnieuw versturen" }
                        }
                    }
                }
            }
            @if let Some(e) = &m.last_error {
                p.flash.error role="alert" { "Laatste fout: " (e) }
            }
            div.card {
                dl.facts {
                    dt { "Van" } dd { (head.display_name()) " <" (head.from_address()) ">" }
                    dt { "Aan" } dd { (m.to_name) " <" (m.to_email) ">" }
                    dt { "Message-ID" } dd { code { (m.message_id) } }
                    dt { "Soort" } dd { (Purpose::label(&m.purpose)) }
                    @if let Some(c) = case { dt { "Zaak" } dd { a href=(format!("/zaken/{}", c.zaaknummer)) { (c.zaaknummer) } } }
                    dt { "Aangemaakt" } dd { (datetime_nl(m.created_at)) }
                    dt { "Pogingen" } dd { (m.attempts) @if m.status == status::WAITING && m.attempts > 0 { " · volgende poging " (datetime_nl(m.next_attempt_at)) } }
                    @if let Some(at) = m.sent_at { dt { "Verzonden" } dd { (datetime_nl(at)) } }
                    @if let (Some(d), Some(c)) = (attachment, case) {
                        dt { "Bijlage" } dd { a href=(format!("/zaken/{}/documenten/{}", c.zaaknummer, d.id)) download { (d.file_name) } }
                    }
                }
            }
            h2 { "Tekst" }
            pre.letter { (m.body) }
        },
    )
}

pub fn post(ctx: &Ctx, waiting: &[(letter::Model, String)]) -> Markup {
    post_with_errors(ctx, waiting, &FieldErrors::default())
}

pub fn post_with_errors(ctx: &Ctx, waiting: &[(letter::Model, String)], errors: &FieldErrors) -> Markup {
    super::layout::page(
        ctx,
        "Post",
        html! {
            h1 { "Brieven en berichten" }
            (subnav(ctx, "/brieven/post"))
            p.lead { "Brieven aan geadresseerden zonder e-mailadres. Druk ze in één keer af, doe ze op de post en vink ze daarna aan." }
            (error_summary(errors))
            @if waiting.is_empty() {
                p.muted { "Er wachten geen brieven op verzending per post." }
            } @else {
                p { a.button href="/brieven/post/brieven.pdf" download { "Alle " (waiting.len()) " brieven afdrukken (PDF)" } }
                form.stack method="post" action="/brieven/post/verzonden" {
                    (csrf_field(&ctx.csrf))
                    fieldset #f-brief {
                        legend { "Op de post gedaan" }
                        div.table-wrap {
                            table.data {
                                thead { tr { th scope="col" { span.visually-hidden { "Kies" } } th scope="col" { "Datum" } th scope="col" { "Zaak" } th scope="col" { "Aan" } th scope="col" { "Onderwerp" } } }
                                tbody {
                                    @for (l, z) in waiting {
                                        tr {
                                            td { input type="checkbox" name="brief" value=(l.id) id=(format!("brief-{}", l.id)) aria-label=(format!("{} aan {} is gepost", l.subject, l.recipient_name)); }
                                            td.nowrap { (date_nl(l.letter_date)) }
                                            td { a href=(format!("/zaken/{z}#brieven")) { (z) } }
                                            td {
                                                (l.recipient_name)
                                                @if let Some(a) = &l.recipient_address { br; span.small.muted { (a.lines().collect::<Vec<_>>().join(", ")) } }
                                                @else { br; span.badge.danger { "adres ontbreekt" } }
                                            }
                                            td { a href=(format!("/zaken/{z}/documenten/{}", l.document_id)) download { (l.subject) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    button type="submit" { "Markeer als gepost" }
                }
            }
        },
    )
}

pub fn templates(
    ctx: &Ctx,
    current: &[(LetterKind, letter_template::Model)],
    head: &LetterheadForm,
    errors: &FieldErrors,
) -> Markup {
    super::layout::page(
        ctx,
        "Sjablonen en briefhoofd",
        html! {
            h1 { "Brieven en berichten" }
            (subnav(ctx, "/brieven/sjablonen"))
            section.card aria-labelledby="h-sjablonen" {
                h2 #h-sjablonen { "Sjablonen" }
                div.table-wrap {
                    table.data {
                        thead { tr { th scope="col" { "Brief" } th scope="col" { "Artikel" } th scope="col" { "Onderwerp" } th.num scope="col" { "Versie" } th scope="col" { "Gewijzigd" } } }
                        tbody {
                            @for (k, t) in current {
                                tr {
                                    td { a href=(format!("/brieven/sjablonen/{}", k.code())) { (k.label()) } }
                                    td.muted { (k.article()) }
                                    td { (t.subject) }
                                    td.num { (t.version) }
                                    td.nowrap { @if t.version == 1 && t.created_by.is_none() { span.muted { "standaardtekst" } } @else { (datetime_nl(t.created_at)) } }
                                }
                            }
                        }
                    }
                }
            }
            section.card #briefhoofd aria-labelledby="h-briefhoofd" {
                h2 #h-briefhoofd { "Briefhoofd" }
                p.muted { "Staat boven elke brief. Het e-mailadres is ook de afzender van alle e-mail van de commissie." }
                (error_summary(errors))
                form.stack method="post" action="/brieven/briefhoofd" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Field::new("naam", "Naam van de commissie", &head.naam, errors).required())
                    (Field::new("adres", "Postadres", &head.adres, errors).kind("textarea").hint("Eén regel per regel, bijvoorbeeld Postbus en postcode met plaats."))
                    (Field::new("plaats", "Plaats in de datumregel", &head.plaats, errors))
                    (Field::new("email", "E-mailadres (afzender)", &head.email, errors).kind("email"))
                    (Field::new("telefoon", "Telefoon", &head.telefoon, errors).kind("tel"))
                    button type="submit" { "Briefhoofd opslaan" }
                }
            }
        },
    )
}

pub fn template_editor(
    ctx: &Ctx,
    kind: LetterKind,
    form: &TemplateForm,
    history: &[letter_template::Model],
    preview: Option<&(String, String)>,
    errors: &FieldErrors,
) -> Markup {
    super::layout::page(
        ctx,
        &format!("Sjabloon: {}", kind.label()),
        html! {
            p.small { a href="/brieven/sjablonen" { "‹ Sjablonen" } }
            h1 { (kind.label()) @if !kind.article().is_empty() { " " span.muted.small { "(" (kind.article()) ")" } } }
            (error_summary(errors))
            div.grid-2 {
                form.stack.template-editor method="post" action=(format!("/brieven/sjablonen/{}", kind.code())) novalidate {
                    (csrf_field(&ctx.csrf))
                    (Field::new("onderwerp", "Onderwerp", &form.onderwerp, errors).required())
                    (Field::new("tekst", "Tekst", &form.tekst, errors).kind("textarea").required().hint("Een lege regel begint een nieuwe alinea. Aanhef in de tekst; de ondertekening zet de brief zelf eronder."))
                    div.actions {
                        button type="submit" name="actie" value="opslaan" { "Opslaan als nieuwe versie" }
                        button.secondary type="submit" name="actie" value="voorbeeld" { "Voorbeeld" }
                        button.secondary type="submit" name="actie" value="pdf" { "Voorbeeld als PDF" }
                    }
                }
                aside.card aria-labelledby="h-invulplekken" {
                    h2 #h-invulplekken { "Invulplekken" }
                    p.small.muted { "Zet de naam tussen dubbele accolades, bijvoorbeeld " code { "{{zaaknummer}}" } "." }
                    dl.placeholders {
                        @for p in kind.placeholders() {
                            dt { code { "{{" (p.name) "}}" } }
                            dd { (p.description) }
                        }
                    }
                }
            }
            @if let Some((subject, body)) = preview {
                section.card #voorbeeld aria-labelledby="h-voorbeeld" {
                    h2 #h-voorbeeld { "Voorbeeld met verzonnen gegevens" }
                    p { strong { "Onderwerp: " } (subject) }
                    pre.letter { (body) }
                }
            }
            section.card aria-labelledby="h-versies" {
                h2 #h-versies { "Versies" }
                p.small.muted { "Elke brief bewaart welke versie hem opmaakte." }
                ul {
                    @for t in history {
                        li {
                            "Versie " (t.version) " — "
                            @if t.created_by.is_none() { "standaardtekst" } @else { (datetime_nl(t.created_at)) }
                        }
                    }
                }
            }
        },
    )
}

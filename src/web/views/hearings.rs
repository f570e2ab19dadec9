//! The investigation and hearing page of a case (Art 14, 18-23).

use super::components::{StatusBadge, csrf_field, date_nl, datetime_nl, error_summary};
use crate::cases::hearings::{day_text, local, time_text};
use crate::domain::access::Action;
use crate::domain::case::{PanelRole, PartyRole};
use crate::domain::hearing::{
    AppearancePurpose, BroughtBy, Conflict, Facts, HearingKind, HearingStatus, Step, Suggestion,
};
use crate::entities::{case, hearing, hearing_attendance, information_request, member, party, unavailability};
use crate::letters::compose::Recipient;
use crate::web::{extract::Ctx, form::FieldErrors, routes::hearings::Input};
use chrono::{NaiveDate, NaiveDateTime};
use maud::{Markup, html};

/// Everything the page shows, loaded by the route.
pub struct Page {
    pub case: case::Model,
    pub facts: Facts,
    pub steps: Vec<Step>,
    pub hearings: Vec<hearing::Model>,
    pub attendance: Vec<hearing_attendance::Model>,
    pub panel: Vec<(PanelRole, member::Model)>,
    pub parties: Vec<party::Model>,
    pub unavailable: Vec<unavailability::Model>,
    pub requests: Vec<information_request::Model>,
    pub recipients: Vec<Recipient>,
    pub art18_due: Option<NaiveDate>,
    /// The Art 18 term is suspended (Rule 9), so it has no date now.
    pub art18_suspended: bool,
    pub witness_due: Option<NaiveDate>,
    pub response_due: Option<NaiveDate>,
    pub advies_due: Option<NaiveDate>,
    /// What stands in the way of the planned hearing's date.
    pub planned_conflicts: Vec<Conflict>,
    /// A date the user asked to check, and what stands in its way.
    pub checked: Option<(NaiveDateTime, Vec<Conflict>)>,
    pub suggestions: Vec<Suggestion>,
    pub separately_in_principle: bool,
}

fn val<'a>(i: &'a Input, name: &str, default: &'a str) -> &'a str {
    i.get(name).map(String::as_str).unwrap_or(default)
}

fn err(errors: &FieldErrors, field: &str) -> Markup {
    html! { @if let Some(e) = errors.get(field) { p.field-error id=(format!("f-{field}")) role="alert" { (e) } } }
}

fn conflicts_list(conflicts: &[Conflict]) -> Markup {
    html! {
        @if conflicts.is_empty() {
            p.flash.success { "Op deze datum staat niets in de weg." }
        } @else {
            ul.warnings {
                @for c in conflicts {
                    li class=(if c.makes_unsuitable() { "warning" } else { "notice" }) { (c.text()) }
                }
            }
        }
    }
}

fn person_label(p: &party::Model) -> String {
    let role = PartyRole::parse(&p.role).map_or(p.role.clone(), |r| r.label().to_lowercase());
    format!("{} ({role})", p.name)
}

pub fn page(ctx: &Ctx, p: &Page, i: &Input, errors: &FieldErrors) -> Markup {
    let c = &p.case;
    let z = &c.zaaknummer;
    let may_decide = ctx.may(Action::DecideTerms);
    let may_manage = ctx.may(Action::ManageCase);
    let can = |s: Step| p.steps.contains(&s) && if s.chair_decides() { may_decide } else { may_manage };
    let planned = p.hearings.iter().find(|h| h.status == HearingStatus::Gepland.code());
    super::layout::page(
        ctx,
        &format!("Onderzoek en zitting {z}"),
        html! {
            div.page-header {
                div {
                    p.breadcrumb { a href=(format!("/zaken/{z}")) { "← Zaak " (z) } }
                    h1 { "Onderzoek en zitting" }
                    p { (StatusBadge { status: &c.status, outcome: c.outcome.as_deref() }) " " (c.subject) }
                }
            }
            (error_summary(errors))
            section.card aria-labelledby="h-termijnen" {
                h2 #h-termijnen { "Termijnen" }
                dl.facts {
                    dt { "Hoorzitting uiterlijk (art. 18)" }
                    dd {
                        @match (p.art18_due, p.art18_suspended) {
                            (_, true) => { "opgeschort" }
                            (Some(d), _) => { (date_nl(d)) }
                            (None, _) => { "—" }
                        }
                        " " span.muted.small { "twee maanden na ontvangst, schoolvakanties niet meegeteld" }
                    }
                    @if let Some(d) = p.witness_due { dt { "Eigen getuigen opgeven uiterlijk (art. 21.4)" } dd { (date_nl(d)) } }
                    @if let Some(d) = p.response_due { dt { "Reactie op verslag getuige uiterlijk (art. 21.6)" } dd { (date_nl(d)) } }
                    @if let Some(d) = p.advies_due { dt { "Advies uiterlijk (art. 25.1)" } dd { (date_nl(d)) } }
                }
            }
            (hearing_section(ctx, p, i, errors, planned, &can))
            (persons_section(ctx, p, i, errors, may_manage))
            (requests_section(ctx, p, i, errors, may_manage))
            (record_section(ctx, p, i, errors, &can))
            (investigation_section(ctx, p, i, errors, &can))
        },
    )
}

fn hearing_form_fields(i: &Input, p: &Page, with_kind: bool) -> Markup {
    let default_place = "";
    html! {
        @if with_kind {
            fieldset.inline-choice {
                legend { "Soort" }
                label { input type="radio" name="soort" value="hoorzitting" checked[val(i, "soort", "hoorzitting") == "hoorzitting"]; " hoorzitting (art. 18)" }
                label { input type="radio" name="soort" value="verschijning" checked[val(i, "soort", "") == "verschijning"]; " verschijning vooraf (art. 14.2)" }
            }
            div.field {
                label for="f-doel" { "Doel van een verschijning vooraf" }
                select #f-doel name="doel" {
                    option value="" { "—" }
                    @for a in AppearancePurpose::ALL {
                        option value=(a.code()) selected[val(i, "doel", "") == a.code()] { (a.label()) }
                    }
                }
            }
        }
        div.field-row {
            div.field { label for="f-datum" { "Datum" } input #f-datum type="date" name="datum" required value=(super::components::date_value(val(i, "datum", ""))); }
            div.field { label for="f-tijd" { "Aanvang" } input #f-tijd type="time" name="tijd" required value=(val(i, "tijd", "14:00")); }
            div.field { label for="f-duur" { "Duur (minuten)" } input #f-duur type="number" name="duur" min="15" max="480" value=(val(i, "duur", "90")); }
        }
        div.field { label for="f-plaats" { "Plaats" } input #f-plaats type="text" name="plaats" required maxlength="500" value=(val(i, "plaats", default_place)); }
        @if !p.suggestions.is_empty() {
            p.small {
                "Eerste data waarop iedereen kan: "
                @for (n, s) in p.suggestions.iter().enumerate() {
                    @if n > 0 { ", " }
                    a href=(format!("/zaken/{}/zitting?datum={}&tijd={}&duur={}&soort={}#zitting", p.case.zaaknummer, s.date, val(i, "tijd", "14:00"), val(i, "duur", "90"), val(i, "soort", "hoorzitting"))) {
                        (day_text(s.date.and_hms_opt(0, 0, 0).unwrap_or_default()))
                    }
                    @if s.past_art18 { " (na de termijn van art. 18)" }
                }
                "."
            }
        }
    }
}

fn hearing_section(
    ctx: &Ctx,
    p: &Page,
    i: &Input,
    errors: &FieldErrors,
    planned: Option<&hearing::Model>,
    can: &dyn Fn(Step) -> bool,
) -> Markup {
    let z = &p.case.zaaknummer;
    html! {
        section.card #zitting aria-labelledby="h-zitting" {
            h2 #h-zitting { "Zitting (art. 14.2, 18, 20)" }
            (err(errors, "uitnodigen"))
            @if let Some(h) = planned {
                @let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
                @let start = local(h.starts_at);
                dl.facts {
                    dt { "Soort" } dd {
                        (kind.label())
                        @if let Some(pp) = h.purpose.as_deref().and_then(AppearancePurpose::parse) { " — " (pp.label().to_lowercase()) }
                    }
                    dt { "Wanneer" } dd { (day_text(start)) ", " (time_text(start)) " tot " (time_text(local(h.ends_at))) }
                    dt { "Plaats" } dd { (h.place) }
                    dt { "Commissie" } dd {
                        @if p.panel.is_empty() { span.muted { "nog niet samengesteld" } }
                        @for (n, (r, m)) in p.panel.iter().enumerate() {
                            @if n > 0 { ", " } (m.name) @if *r == PanelRole::Voorzitter { " (voorzitter)" }
                        }
                        @if !p.panel.is_empty() && !p.facts.panel_complete {
                            " " span.badge.warning { "niet voltallig (art. 9.1)" }
                        }
                    }
                    @if kind == HearingKind::Hoorzitting {
                        dt { "Horen" } dd {
                            @if h.separately { "apart (art. 20.3, 20.4)" } @else { "in elkaars aanwezigheid" }
                            @if let Some(r) = &h.separately_reason { span.muted.small { " — " (r) } }
                        }
                    }
                    dt { "Uitnodigingen" } dd {
                        @match h.invited_at {
                            Some(t) => { "verstuurd " (datetime_nl(t)) }
                            None => { span.badge.warning { "nog niet verstuurd" } }
                        }
                        span.muted.small { " · agenda-versie " (h.sequence) }
                    }
                }
                h3 { "Controle van de datum" }
                (conflicts_list(&p.planned_conflicts))
                @if can(Step::Invite) {
                    form method="post" action=(format!("/zaken/{z}/zitting/uitnodigen")) {
                        (csrf_field(&ctx.csrf))
                        button type="submit" {
                            @if kind == HearingKind::Hoorzitting { "Uitnodigingen versturen (brief aan partijen, agenda aan de commissie)" }
                            @else { "Oproepingen versturen" }
                        }
                    }
                }
                @if can(Step::Move) {
                    details open[errors.contains("verplaatsen") || p.checked.is_some()] {
                        summary { "Zitting verplaatsen" }
                        form.stack method="post" action=(format!("/zaken/{z}/zitting/verplaatsen")) {
                            (csrf_field(&ctx.csrf))
                            (err(errors, "verplaatsen"))
                            (hearing_form_fields(&with_defaults(i, h, "verplaatsen"), p, false))
                            @if let Some((start, cs)) = &p.checked {
                                h3 { "Controle van " (day_text(*start)) }
                                (conflicts_list(cs))
                                @if cs.iter().any(Conflict::makes_unsuitable) {
                                    div.checkbox { input #f-bevestigd-v type="checkbox" name="bevestigd" value="ja"; label for="f-bevestigd-v" { "Toch op deze datum" } }
                                }
                            }
                            div.field { label for="f-reden-v" { "Reden (komt in de brief)" } textarea #f-reden-v name="reden" { (val(i, "reden", "")) } }
                            div.actions {
                                button.secondary type="submit" name="actie" value="controleren" formnovalidate { "Datum controleren" }
                                button type="submit" { "Verplaatsen" }
                            }
                        }
                    }
                }
                @if can(Step::DecideSeparately) {
                    details open[errors.contains("apart")] {
                        summary { "Beslissen over apart horen (art. 20.4)" }
                        form.stack method="post" action=(format!("/zaken/{z}/zitting/apart-horen")) {
                            (csrf_field(&ctx.csrf))
                            (err(errors, "apart"))
                            @if p.separately_in_principle { p.small { "Een partij is minderjarig: in beginsel apart (art. 20.3)." } }
                            fieldset.inline-choice {
                                legend { "Partijen horen" }
                                label { input type="radio" name="apart" value="ja" checked[val(i, "apart", "") == "ja"]; " apart" }
                                label { input type="radio" name="apart" value="nee" checked[val(i, "apart", "") == "nee"]; " in elkaars aanwezigheid" }
                            }
                            div.field { label for="f-motivering" { "Motivering (komt in de brief aan beide partijen)" } textarea #f-motivering name="motivering" required { (val(i, "motivering", "")) } }
                            button type="submit" { "Beslissen" }
                        }
                    }
                }
                @if can(Step::Cancel) {
                    details open[errors.contains("afzeggen")] {
                        summary { "Zitting afzeggen" }
                        form.stack method="post" action=(format!("/zaken/{z}/zitting/afzeggen")) {
                            (csrf_field(&ctx.csrf))
                            (err(errors, "afzeggen"))
                            div.field { label for="f-reden-a" { "Reden (komt in de brief)" } textarea #f-reden-a name="reden" required { (val(i, "reden", "")) } }
                            button.danger type="submit" { "Afzeggen" }
                        }
                    }
                }
            } @else if can(Step::Schedule) {
                form.stack method="post" action=(format!("/zaken/{z}/zitting")) {
                    (csrf_field(&ctx.csrf))
                    (err(errors, "plannen"))
                    (hearing_form_fields(i, p, true))
                    @if let Some((start, cs)) = &p.checked {
                        h3 { "Controle van " (day_text(*start)) }
                        (conflicts_list(cs))
                        @if cs.iter().any(Conflict::makes_unsuitable) {
                            div.checkbox { input #f-bevestigd type="checkbox" name="bevestigd" value="ja"; label for="f-bevestigd" { "Toch op deze datum plannen" } }
                        }
                    }
                    div.actions {
                        button.secondary type="submit" name="actie" value="controleren" formnovalidate { "Datum controleren" }
                        button type="submit" { "Zitting plannen" }
                    }
                }
            } @else {
                p.muted { "Er staat geen zitting gepland." }
            }
            // The server takes a request to be heard separately (Art 20.4) only while a hearing can still come.
            @if ctx.may(Action::ManageCase) && !matches!(p.case.status.as_str(), "afgesloten" | "beraadslaging" | "advies_in_voorbereiding" | "advies_uitgebracht") {
                details open[errors.contains("verzoek-apart")] {
                    summary { "Verzoek om apart horen registreren (art. 20.4)" }
                    form.stack method="post" enctype="multipart/form-data" action=(format!("/zaken/{z}/zitting/verzoek-apart-horen")) {
                        (csrf_field(&ctx.csrf))
                        (err(errors, "verzoek-apart"))
                        fieldset.inline-choice {
                            legend { "Van" }
                            label { input type="radio" name="van" value="klager" checked[val(i, "van", "") == "klager"]; " klager" }
                            label { input type="radio" name="van" value="aangeklaagde" checked[val(i, "van", "") == "aangeklaagde"]; " aangeklaagde" }
                        }
                        div.field { label for="f-ontvangen-ah" { "Ontvangen op" } input #f-ontvangen-ah type="date" name="ontvangen" value=(val(i, "ontvangen", &crate::admin::today().to_string())); }
                        div.field { label for="f-bestand-ah" { "Het schriftelijke, gemotiveerde verzoek" } input #f-bestand-ah type="file" name="bestand" required; }
                        p.small.muted { "Een afschrift gaat naar de andere partij; de voorzitter beslist." }
                        button type="submit" { "Registreren" }
                    }
                }
            }
        }
    }
}

/// The move form starts from the hearing as planned.
fn with_defaults(i: &Input, h: &hearing::Model, form: &str) -> Input {
    let mut out = i.clone();
    if i.get("controle").map(String::as_str) != Some(form) && !i.contains_key("datum") {
        let s = local(h.starts_at);
        out.insert("datum".into(), s.date().to_string());
        out.insert("tijd".into(), s.format("%H:%M").to_string());
        out.insert("duur".into(), ((h.ends_at - h.starts_at).num_minutes()).to_string());
        out.insert("plaats".into(), h.place.clone());
    }
    out
}

fn persons_section(ctx: &Ctx, p: &Page, i: &Input, errors: &FieldErrors, may_manage: bool) -> Markup {
    let z = &p.case.zaaknummer;
    let open = p.case.status != "afgesloten";
    html! {
        section.card #personen aria-labelledby="h-personen" {
            h2 #h-personen { "Personen bij de zitting (art. 21, 22)" }
            table {
                thead { tr { th { "Naam" } th { "Hoedanigheid" } th { "Namens" } th { "Opgegeven" } th { "Verhinderd" } } }
                tbody {
                    @for x in &p.parties {
                        @let role = PartyRole::parse(&x.role);
                        tr {
                            td { (x.name) @if x.minor { " " span.badge.muted { "minderjarig" } } }
                            td { (role.map_or(x.role.as_str(), |r| r.label())) }
                            td { (x.brought_by.as_deref().and_then(BroughtBy::parse).map_or("", |b| b.label())) }
                            td {
                                @if let Some(on) = x.announced_on {
                                    (date_nl(on))
                                    @if let Some(due) = p.witness_due {
                                        @if matches!(role, Some(PartyRole::Getuige | PartyRole::Deskundige)) && x.brought_by.as_deref() != Some("commissie") && on > due {
                                            " " span.badge.warning title="Later dan vijf werkdagen vóór de zitting (art. 21.4)" { "te laat" }
                                        }
                                    }
                                }
                            }
                            td {
                                @for u in p.unavailable.iter().filter(|u| u.party_id == Some(x.id)) {
                                    div.small {
                                        (date_nl(u.from_on)) @if u.to_on != u.from_on { " t/m " (date_nl(u.to_on)) }
                                        @if !u.note.is_empty() { " (" (u.note) ")" }
                                        " "
                                        @if may_manage {
                                            form.inline method="post" action=(format!("/zaken/{z}/verhinderingen/{}/verwijderen", u.id)) {
                                                (csrf_field(&ctx.csrf)) button.link-button type="submit" { "verwijderen" }
                                            }
                                        }
                                    }
                                }
                                @if may_manage && open {
                                    @let field = format!("verhinderd-{}", x.id);
                                    details open[errors.contains(&field)] {
                                        summary.small { "verhindering vastleggen" }
                                        form.stack method="post" action=(format!("/zaken/{z}/personen/{}/verhinderd", x.id)) {
                                            (csrf_field(&ctx.csrf))
                                            (err(errors, &field))
                                            div.field-row {
                                                div.field { label for=(format!("f-van-{}", x.id)) { "Van" } input id=(format!("f-van-{}", x.id)) type="date" name="van" required; }
                                                div.field { label for=(format!("f-tot-{}", x.id)) { "Tot en met" } input id=(format!("f-tot-{}", x.id)) type="date" name="tot"; }
                                            }
                                            div.field { label for=(format!("f-notitie-{}", x.id)) { "Toelichting" } input id=(format!("f-notitie-{}", x.id)) type="text" name="notitie" maxlength="200"; }
                                            button type="submit" { "Vastleggen" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if may_manage && open {
                details open[errors.contains("personen")] {
                    summary { "Persoon toevoegen" }
                    form.stack method="post" action=(format!("/zaken/{z}/personen")) {
                        (csrf_field(&ctx.csrf))
                        (err(errors, "personen"))
                        div.field-row {
                            div.field {
                                label for="f-rol" { "Hoedanigheid" }
                                select #f-rol name="rol" {
                                    @for r in [PartyRole::GemachtigdeKlager, PartyRole::GemachtigdeAangeklaagde, PartyRole::Begeleider, PartyRole::Getuige, PartyRole::Deskundige, PartyRole::Tolk] {
                                        option value=(r.code()) selected[val(i, "rol", "") == r.code()] { (r.label()) }
                                    }
                                }
                            }
                            div.field {
                                label for="f-door" { "Namens / opgeroepen door" }
                                select #f-door name="door" {
                                    @for b in BroughtBy::ALL {
                                        option value=(b.code()) selected[val(i, "door", "") == b.code()] { (b.label()) }
                                    }
                                }
                            }
                        }
                        div.field { label for="f-naam" { "Naam" } input #f-naam type="text" name="naam" required maxlength="200" value=(val(i, "naam", "")); }
                        div.field-row {
                            div.field { label for="f-email" { "E-mail" } input #f-email type="email" name="email" value=(val(i, "email", "")); }
                            div.field { label for="f-telefoon" { "Telefoon" } input #f-telefoon type="tel" name="telefoon" value=(val(i, "telefoon", "")); }
                        }
                        div.field { label for="f-adres" { "Adres" } textarea #f-adres name="adres" { (val(i, "adres", "")) } }
                        div.field { label for="f-opgegeven" { "Naam schriftelijk opgegeven op (getuige of deskundige van een partij, art. 21.4)" } input #f-opgegeven type="date" name="opgegeven" value=(super::components::date_value(val(i, "opgegeven", ""))); }
                        div.checkbox { input #f-minderjarig type="checkbox" name="minderjarig" value="ja" checked[val(i, "minderjarig", "") == "ja"]; label for="f-minderjarig" { "Minderjarig" } }
                        p.small.muted { "Getuigen en deskundigen die de commissie oproept, worden aan beide partijen gemeld (art. 21.3). Een tolk komt voor rekening van de partij (art. 22)." }
                        button type="submit" { "Toevoegen" }
                    }
                }
            }
        }
    }
}

fn requests_section(ctx: &Ctx, p: &Page, i: &Input, errors: &FieldErrors, may_manage: bool) -> Markup {
    let z = &p.case.zaaknummer;
    let today = crate::admin::today();
    html! {
        section.card #inlichtingen aria-labelledby="h-inlichtingen" {
            h2 #h-inlichtingen { "Verzoeken om inlichtingen (art. 14.1)" }
            @if p.requests.is_empty() { p.muted { "Geen verzoeken." } }
            @for r in &p.requests {
                @let field = format!("antwoord-{}", r.id);
                div.request {
                    p {
                        strong { (r.recipient_name) } " — gevraagd " (date_nl(r.requested_on))
                        @match (r.answered_on, r.due_on) {
                            (Some(on), _) => { " " span.badge.ok { "beantwoord " (date_nl(on)) } }
                            (None, Some(due)) if due < today => { " " span.badge.warning { "antwoord verwacht uiterlijk " (date_nl(due)) } }
                            (None, Some(due)) => { " " span.badge.muted { "uiterlijk " (date_nl(due)) } }
                            (None, None) => {}
                        }
                    }
                    p.small { (r.question) }
                    @if let Some(d) = r.answer_document_id { p.small { a href=(format!("/zaken/{z}/documenten/{d}")) { "Antwoord bekijken" } } }
                    @if r.answered_on.is_none() && may_manage && p.case.status != "afgesloten" {
                        details open[errors.contains(&field)] {
                            summary.small { "antwoord registreren" }
                            form.stack method="post" enctype="multipart/form-data" action=(format!("/zaken/{z}/inlichtingen/{}/antwoord", r.id)) {
                                (csrf_field(&ctx.csrf))
                                (err(errors, &field))
                                div.field { label for=(format!("f-ontv-{}", r.id)) { "Ontvangen op" } input id=(format!("f-ontv-{}", r.id)) type="date" name="ontvangen" value=(today.to_string()); }
                                div.field { label for=(format!("f-best-{}", r.id)) { "Antwoord" } input id=(format!("f-best-{}", r.id)) type="file" name="bestand" required; }
                                button type="submit" { "Registreren" }
                            }
                        }
                    }
                }
            }
            @if may_manage && matches!(p.case.status.as_str(), "verweer" | "onderzoek" | "schriftelijk" | "zitting_gepland") {
                details open[errors.contains("inlichtingen")] {
                    summary { "Inlichtingen vragen" }
                    form.stack method="post" action=(format!("/zaken/{z}/inlichtingen")) {
                        (csrf_field(&ctx.csrf))
                        (err(errors, "inlichtingen"))
                        div.field {
                            label for="f-aan" { "Aan" }
                            select #f-aan name="aan" {
                                @for r in &p.recipients {
                                    option value=(r.to.code()) selected[val(i, "aan", "") == r.to.code()] { (r.name) " (" (r.role_label.to_lowercase()) ")" }
                                }
                            }
                        }
                        div.field { label for="f-vraag" { "Vraag" } textarea #f-vraag name="vraag" required { (val(i, "vraag", "")) } }
                        div.field { label for="f-uiterlijk" { "Antwoord uiterlijk" } input #f-uiterlijk type="date" name="uiterlijk" required value=(val(i, "uiterlijk", &(today + chrono::TimeDelta::days(14)).to_string())); }
                        p.small.muted { "Iemand die nog niet in de zaak staat, voegt u eerst toe bij de personen. De klager en de aangeklaagde krijgen bericht van het verzoek." }
                        button type="submit" { "Verzoek versturen" }
                    }
                }
            }
        }
    }
}

fn record_section(ctx: &Ctx, p: &Page, i: &Input, errors: &FieldErrors, can: &dyn Fn(Step) -> bool) -> Markup {
    let z = &p.case.zaaknummer;
    let pending =
        p.hearings.iter().find(|h| h.status == HearingStatus::Gehouden.code() && h.minutes_final_at.is_none());
    let past: Vec<&hearing::Model> = p.hearings.iter().filter(|h| h.status != HearingStatus::Gepland.code()).collect();
    html! {
        section.card #verloop aria-labelledby="h-verloop" {
            h2 #h-verloop { "Verloop en proces-verbaal (art. 14.3, 20, 21)" }
            @if can(Step::RecordHeld) {
                form.stack method="post" action=(format!("/zaken/{z}/zitting/aanwezigheid")) {
                    (csrf_field(&ctx.csrf))
                    (err(errors, "aanwezigheid"))
                    h3 { "Aanwezigheid" }
                    table {
                        thead { tr { th { "Naam" } th { "Aanwezig" } th { "Apart gehoord" } } }
                        tbody {
                            @for (r, m) in &p.panel {
                                tr {
                                    td { (m.name) " (" (r.label().to_lowercase()) ")" }
                                    td { input type="checkbox" name=(format!("lid-{}", m.id)) value="ja" checked aria-label=(format!("{} aanwezig", m.name)); }
                                    td {}
                                }
                            }
                            @for x in &p.parties {
                                tr {
                                    td { (person_label(x)) }
                                    td { input type="checkbox" name=(format!("partij-{}", x.id)) value="ja" checked aria-label=(format!("{} aanwezig", x.name)); }
                                    td { input type="checkbox" name=(format!("apart-{}", x.id)) value="ja" aria-label=(format!("{} apart gehoord", x.name)); }
                                }
                            }
                        }
                    }
                    button type="submit" { "Zitting gehouden: aanwezigheid vastleggen" }
                }
            }
            @if let Some(h) = pending {
                @let attempt = h.purpose.as_deref() == Some(AppearancePurpose::Schikking.code());
                form.stack method="post" action=(format!("/zaken/{z}/zitting/proces-verbaal")) {
                    (csrf_field(&ctx.csrf))
                    (err(errors, "proces-verbaal"))
                    div.field {
                        label for="f-tekst" { "Proces-verbaal (concept)" }
                        textarea #f-tekst name="tekst" rows="16" { (val(i, "tekst", &h.minutes)) }
                    }
                    @if attempt {
                        fieldset.inline-choice {
                            legend { "Uitkomst van de poging tot schikking (art. 14.2)" }
                            label { input type="radio" name="schikking" value="ja" checked[val(i, "schikking", "") == "ja"]; " geschikt: de klacht is opgelost" }
                            label { input type="radio" name="schikking" value="nee" checked[val(i, "schikking", "") == "nee"]; " niet geschikt: de behandeling gaat door" }
                        }
                    }
                    div.actions {
                        button type="submit" name="actie" value="opslaan" { "Concept opslaan" }
                        button type="submit" name="actie" value="vaststellen" { "Vaststellen (daarna niet meer te wijzigen)" }
                    }
                }
            }
            @if can(Step::SendWitnessRecord) {
                @let minors: Vec<&party::Model> = p.parties.iter().filter(|x| x.role == PartyRole::Getuige.code() && x.minor).collect();
                @if !minors.is_empty() {
                    details open[errors.contains("verslag-getuige")] {
                        summary { "Verslag van een minderjarige getuige versturen (art. 21.6)" }
                        form.stack method="post" enctype="multipart/form-data" action=(format!("/zaken/{z}/zitting/verslag-getuige")) {
                            (csrf_field(&ctx.csrf))
                            (err(errors, "verslag-getuige"))
                            div.field {
                                label for="f-getuige" { "Getuige, gehoord zonder de partijen" }
                                select #f-getuige name="getuige" { @for x in &minors { option value=(x.id) { (x.name) } } }
                            }
                            div.field { label for="f-ontvangen-vg" { "Datum van het verslag" } input #f-ontvangen-vg type="date" name="ontvangen" value=(crate::admin::today().to_string()); }
                            div.field { label for="f-bestand-vg" { "Verslag" } input #f-bestand-vg type="file" name="bestand" required; }
                            div.field { label for="f-termijn-vg" { "Termijn om te reageren" } input #f-termijn-vg type="text" name="termijn" value=(val(i, "termijn", "2 weken")); }
                            button type="submit" { "Versturen aan beide partijen" }
                        }
                    }
                }
            }
            @if !past.is_empty() { h3 { "Zittingen" } }
            @if past.is_empty() { p.muted { "Nog geen zitting gehouden." } }
            @for h in past {
                @let start = local(h.starts_at);
                @let kind = HearingKind::parse(&h.kind).unwrap_or(HearingKind::Hoorzitting);
                div.request {
                    p {
                        strong { (kind.label()) } " " (day_text(start)) ", " (time_text(start)) " — " (h.place) " "
                        @match HearingStatus::parse(&h.status) {
                            Some(HearingStatus::Geannuleerd) => { span.badge.muted { "afgezegd" } }
                            _ => { span.badge.ok { "gehouden" } }
                        }
                        @if h.settled == Some(true) { " " span.badge.ok { "geschikt" } }
                        @if h.settled == Some(false) { " " span.badge.muted { "niet geschikt" } }
                    }
                    @if let Some(r) = &h.cancel_reason { p.small { "Reden: " (r) } }
                    @let present: Vec<&hearing_attendance::Model> = p.attendance.iter().filter(|a| a.hearing_id == h.id && a.present).collect();
                    @if !present.is_empty() {
                        p.small { "Aanwezig: "
                            @for (n, a) in present.iter().enumerate() { @if n > 0 { ", " } (a.name) @if a.heard_separately { " (apart gehoord)" } }
                        }
                    }
                    @if let Some(d) = h.minutes_document_id { p.small { a href=(format!("/zaken/{z}/documenten/{d}")) { "Proces-verbaal (PDF)" } } }
                }
            }
        }
    }
}

fn investigation_section(ctx: &Ctx, p: &Page, i: &Input, errors: &FieldErrors, can: &dyn Fn(Step) -> bool) -> Markup {
    let z = &p.case.zaaknummer;
    let show_close = p.steps.contains(&Step::CloseInvestigation) || p.facts.hearing_recorded;
    html! {
        @if show_close || can(Step::Reopen) {
            section.card #onderzoek aria-labelledby="h-onderzoek" {
                h2 #h-onderzoek { "Sluiten en heropenen van het onderzoek (art. 23, 25.1)" }
                (err(errors, "onderzoek"))
                @if can(Step::CloseInvestigation) {
                    form method="post" action=(format!("/zaken/{z}/onderzoek/sluiten")) {
                        (csrf_field(&ctx.csrf))
                        p.small { "Met het sluiten begint de termijn van vier weken voor het advies." }
                        button type="submit" { "Onderzoek sluiten" }
                    }
                } @else if show_close && p.facts.status.is_open() && !can(Step::Reopen) {
                    p.muted.small { (crate::domain::hearing::allowed(&p.facts, Step::CloseInvestigation, crate::admin::today()).err().unwrap_or("")) }
                }
                @if can(Step::Reopen) {
                    form.stack method="post" action=(format!("/zaken/{z}/onderzoek/heropenen")) {
                        (csrf_field(&ctx.csrf))
                        div.field { label for="f-voortzetting" { "Hoe wordt het onderzoek voortgezet? (komt in de brief aan de partijen)" } textarea #f-voortzetting name="voortzetting" required { (val(i, "voortzetting", "")) } }
                        button type="submit" { "Onderzoek heropenen" }
                    }
                }
            }
        }
    }
}

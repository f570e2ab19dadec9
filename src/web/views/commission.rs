//! The commission page: the rooster van aftreden (Art 5.3), the composition check (Art 4.1),
//! the members' ties to boards and schools (Art 5.1) and, for the administrator, the forms to
//! appoint, reappoint and record ties.

use super::components::{Field, Select, csrf_field, date_nl, error_summary};
use crate::admin::{AffiliationEntry, RosterEntry};
use crate::domain::access::Action;
use crate::domain::case::{Expertise, Sector, parse_sectors};
use crate::domain::commission::{CompositionWarning, TERM_WARNING_MONTHS, TermState, standard_term_end, term_state};
use crate::domain::panel::Affiliation;
use crate::entities::{board, member, school};
use crate::web::{extract::Ctx, form::FieldErrors, routes::commission::MemberForm};
use chrono::NaiveDate;
use maud::{Markup, html};

/// The add-affiliation form of one member as typed, kept when it had errors.
#[derive(Debug, Clone, Default)]
pub struct AffiliationInput {
    pub member_id: i32,
    pub target: String,
    pub note: String,
}

impl AffiliationInput {
    /// The name a field of a member's affiliation form has on the page (each member has one).
    pub fn field(field: &str, member_id: i32) -> String {
        format!("{field}-{member_id}")
    }
}

/// Everything the commission page shows.
pub struct CommissionView<'a> {
    pub roster: &'a [RosterEntry],
    pub warnings: &'a [CompositionWarning],
    pub today: NaiveDate,
    /// Only filled for whoever may edit (the affiliation forms).
    pub boards: &'a [board::Model],
    pub schools: &'a [school::Model],
    pub form: &'a MemberForm,
    pub affiliation: Option<&'a AffiliationInput>,
    pub errors: &'a FieldErrors,
}

/// The state of a term as a badge on the rooster.
pub fn term_badge(term_start: NaiveDate, term_end: NaiveDate, today: NaiveDate) -> Markup {
    html! {
        @match term_state(term_start, term_end, today) {
            TermState::NotStarted => span.badge.muted { "nog niet begonnen" },
            TermState::Running => span.badge.ok { "loopt" },
            TermState::EndingSoon => span.badge.warning { "loopt af binnen " (TERM_WARNING_MONTHS) " maanden" },
            TermState::Ended => span.badge.danger { "afgelopen" },
        }
    }
}

/// Art 4.1 warnings as a list, or a calm line when the composition is complete.
pub fn composition(warnings: &[CompositionWarning]) -> Markup {
    html! {
        @if warnings.is_empty() {
            p { span.badge.ok { "in orde" } " De samenstelling voldoet aan artikel 4.1." }
        } @else {
            ul.warnings {
                @for w in warnings { li { (w.to_string()) } }
            }
        }
    }
}

fn sectors_text(m: &member::Model) -> Markup {
    match parse_sectors(&m.sectors) {
        Some(list) if !list.is_empty() => html! {
            @for (i, s) in list.iter().enumerate() {
                @if i > 0 { ", " }
                abbr title=(s.label()) { (s.code()) }
            }
        },
        _ => html! { (m.sectors) },
    }
}

fn affiliation_text(a: &AffiliationEntry) -> Markup {
    let kind = match a.target {
        Affiliation::Board(_) => "Bestuur",
        Affiliation::School(_) => "School",
    };
    html! {
        (kind) ": " (a.target_name)
        @if !a.note.is_empty() { " " span.small.muted { "(" (a.note) ")" } }
    }
}

pub fn page(ctx: &Ctx, v: &CommissionView<'_>) -> Markup {
    let admin = ctx.may(Action::Administer);
    let sitting = v
        .roster
        .iter()
        .filter(|e| e.member.active && e.member.term_start <= v.today && v.today < e.member.term_end)
        .count();
    super::layout::page(
        ctx,
        "Commissie",
        html! {
            div.page-header {
                h1 { "Commissie" }
                @if admin { div.actions { a.button.secondary href="#lid-toevoegen" { "Lid toevoegen" } } }
            }
            p.lead { "Het rooster van aftreden (art. 5.3): elk lid met zijn termijn en deskundigheid. Een termijn duurt vier jaar en kan worden verlengd." }
            p { a href="/commissie/rooster" { "Rooster van aftreden om af te drukken" } }
            (error_summary(v.errors))
            section.card aria-labelledby="h-samenstelling" {
                h2 #h-samenstelling { "Samenstelling (art. 4.1)" }
                p.muted { (sitting) " van de " (v.roster.len()) " leden hebben vandaag zitting." }
                (composition(v.warnings))
            }
            section aria-labelledby="h-rooster" {
                h2 #h-rooster { "Rooster van aftreden" }
                @if v.roster.is_empty() {
                    p.muted { "Er zijn nog geen leden." }
                } @else {
                    div.table-wrap {
                        table.data {
                            caption.visually-hidden { "Leden van de commissie, het eerst aftredende lid bovenaan" }
                            thead { tr {
                                th scope="col" { "Naam" } th scope="col" { "Functie" }
                                th scope="col" { "Deskundigheid" } th scope="col" { "Sectoren" }
                                th scope="col" { "Begin termijn" } th scope="col" { "Einde termijn" } th.num scope="col" { "Herbenoemd" }
                            } }
                            tbody {
                                @for e in v.roster {
                                    @let m = &e.member;
                                    tr {
                                        th scope="row" {
                                            (m.name)
                                            @if !m.active { " " span.badge.muted { "inactief" } }
                                        }
                                        td {
                                            @if m.is_chair { "Voorzitter" } @else { "Lid" }
                                            @if m.is_jurist { br; span.small.muted { "jurist" } }
                                        }
                                        td { (Expertise::parse(&m.expertise).map_or(m.expertise.as_str(), |x| x.label())) }
                                        td { (sectors_text(m)) }
                                        td.nowrap { (date_nl(m.term_start)) }
                                        td.nowrap { (date_nl(m.term_end)) br; (term_badge(m.term_start, m.term_end, v.today)) }
                                        td.num { (m.renewals) "×" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if admin && !v.roster.is_empty() {
                (manage_members(ctx, v))
            } @else if !v.roster.is_empty() {
                (affiliation_list(v))
            }
            @if admin {
                (new_member(ctx, v.form, v.errors))
            }
        },
    )
}

const ART_5_1: &str = "Een lid dat werkzaam is voor of deel uitmaakt van een bevoegd gezag of een school, neemt geen zitting in zaken over dat bestuur of die school.";

/// The recorded ties of the members who have any (Art 5.1), read-only.
fn affiliation_list(v: &CommissionView<'_>) -> Markup {
    let with_ties: Vec<&RosterEntry> = v.roster.iter().filter(|e| !e.affiliations.is_empty()).collect();
    html! {
        section.card aria-labelledby="h-verbondenheden" {
            h2 #h-verbondenheden { "Verbondenheden (art. 5.1)" }
            p.muted { (ART_5_1) }
            @if with_ties.is_empty() {
                p { "Er zijn geen verbondenheden vastgelegd." }
            } @else {
                dl.facts {
                    @for e in with_ties {
                        dt { (e.member.name) }
                        dd {
                            @for (i, a) in e.affiliations.iter().enumerate() {
                                @if i > 0 { br; }
                                (affiliation_text(a))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Per member: reappointment (Art 5.3), its ties with a remove button, and a form to record
/// another tie (Art 5.1).
fn manage_members(ctx: &Ctx, v: &CommissionView<'_>) -> Markup {
    html! {
        section.card aria-labelledby="h-verbondenheden" {
            h2 #h-verbondenheden { "Herbenoemen en verbondenheden (art. 5)" }
            p.muted { "Herbenoemen verlengt de termijn met vier jaar, gerekend vanaf het huidige einde (art. 5.3). " (ART_5_1) }
            @for e in v.roster {
                @let m = &e.member;
                @let input = v.affiliation.filter(|a| a.member_id == m.id);
                @let target_field = AffiliationInput::field("target", m.id);
                @let note_field = AffiliationInput::field("note", m.id);
                @let target_err = v.errors.get(&target_field);
                @let note_err = v.errors.get(&note_field);
                @let until = standard_term_end(m.term_end);
                h3 #(format!("lid-{}", m.id)) { (m.name) }
                div.actions {
                    span { "Termijn tot " (date_nl(m.term_end)) " " (term_badge(m.term_start, m.term_end, v.today)) }
                    form method="post" action=(format!("/commissie/leden/{}/herbenoemen", m.id)) {
                        (csrf_field(&ctx.csrf))
                        button.secondary type="submit"
                            aria-label=(format!("Herbenoemen: {}{}", m.name, until.map_or_else(String::new, |d| format!(", termijn tot {}", date_nl(d))))) { "Herbenoemen" }
                    }
                }
                @if e.affiliations.is_empty() {
                    p.small.muted { "Geen verbondenheden vastgelegd." }
                } @else {
                    ul {
                        @for a in &e.affiliations {
                            li {
                                div.actions {
                                    span { (affiliation_text(a)) }
                                    form method="post" action=(format!("/commissie/verbondenheden/{}/verwijderen", a.id)) {
                                        (csrf_field(&ctx.csrf))
                                        button.link-button type="submit" aria-label=(format!("verwijderen: {} – {}", m.name, a.target_name)) { "verwijderen" }
                                    }
                                }
                            }
                        }
                    }
                }
                details open[input.is_some()] {
                    summary { "Verbondenheid vastleggen" span.visually-hidden { " voor " (m.name) } }
                    form.stack method="post" action=(format!("/commissie/leden/{}/verbondenheden", m.id)) novalidate {
                        (csrf_field(&ctx.csrf))
                        div.field.invalid[target_err.is_some()] {
                            label for=(format!("f-{target_field}")) { "Bestuur of school" }
                            select id=(format!("f-{target_field}")) name="target" aria-invalid=[target_err.map(|_| "true")] aria-describedby=[target_err.map(|_| format!("f-{target_field}-error"))] {
                                @let selected = input.map_or("", |i| i.target.as_str());
                                option value="" { "Kies een bestuur of school" }
                                @if !v.boards.is_empty() {
                                    optgroup label="Besturen" {
                                        @for b in v.boards {
                                            @let value = format!("board:{}", b.id);
                                            option value=(value) selected[value == selected] { (b.name) }
                                        }
                                    }
                                }
                                @if !v.schools.is_empty() {
                                    optgroup label="Scholen" {
                                        @for s in v.schools {
                                            @let value = format!("school:{}", s.id);
                                            option value=(value) selected[value == selected] { (s.name) ", " (s.place) }
                                        }
                                    }
                                }
                            }
                            @if let Some(err) = target_err { p.field-error id=(format!("f-{target_field}-error")) { (err) } }
                        }
                        div.field.invalid[note_err.is_some()] {
                            label for=(format!("f-{note_field}")) { "Toelichting" }
                            p.hint id=(format!("f-{note_field}-hint")) { "Bijvoorbeeld: lid van de raad van toezicht, ouder van een leerling." }
                            input id=(format!("f-{note_field}")) type="text" name="note" value=(input.map_or("", |i| i.note.as_str()))
                                aria-invalid=[note_err.map(|_| "true")]
                                aria-describedby=(if note_err.is_some() { format!("f-{note_field}-hint f-{note_field}-error") } else { format!("f-{note_field}-hint") });
                            @if let Some(err) = note_err { p.field-error id=(format!("f-{note_field}-error")) { (err) } }
                        }
                        button type="submit" { "Vastleggen" }
                    }
                }
            }
        }
    }
}

/// The form to appoint a member (Art 4, 5.3).
fn new_member(ctx: &Ctx, form: &MemberForm, errors: &FieldErrors) -> Markup {
    let sectors_err = errors.get("sectors");
    html! {
        section.card #lid-toevoegen aria-labelledby="h-lid-toevoegen" {
            h2 #h-lid-toevoegen { "Lid toevoegen" }
            form.stack method="post" action="/commissie/leden" novalidate {
                (csrf_field(&ctx.csrf))
                (Field::new("name", "Naam", &form.name, errors).required())
                (Field::new("email", "E-mailadres", &form.email, errors).kind("email").required())
                (Field::new("phone", "Telefoon", &form.phone, errors).kind("tel"))
                (Field::new("address", "Adres", &form.address, errors).kind("textarea"))
                fieldset {
                    legend { "Functie" }
                    div.checkbox {
                        input #f-is_chair type="checkbox" name="is_chair" value="ja" checked[form.is_chair == "ja"];
                        label for="f-is_chair" { "Voorzitter (art. 4.1: ten minste twee)" }
                    }
                    div.checkbox {
                        input #f-is_jurist type="checkbox" name="is_jurist" value="ja" checked[form.is_jurist == "ja"];
                        label for="f-is_jurist" { "Jurist (een voorzitter is bij voorkeur jurist, art. 5.2)" }
                    }
                }
                (Select {
                    name: "expertise",
                    label: "Deskundigheid (art. 4.1)",
                    options: Expertise::ALL.iter().map(|x| (x.code().to_owned(), x.label().to_owned())).collect(),
                    selected: &form.expertise,
                    empty: Some("Kies de deskundigheid"),
                    errors,
                })
                fieldset #f-sectors aria-describedby=[sectors_err.map(|_| "f-sectors-error")] {
                    legend { "Sectoren (art. 9.2)" }
                    @for s in Sector::ALL {
                        @let id = format!("f-sector_{}", s.code());
                        div.checkbox {
                            input id=(id) type="checkbox" name=(format!("sector_{}", s.code())) value="ja" checked[form.has_sector(*s)];
                            label for=(id) { (s.label()) " (" (s.code()) ")" }
                        }
                    }
                    @if let Some(err) = sectors_err { p.field-error #f-sectors-error { (err) } }
                }
                (Field::new("term_start", "Begin van de termijn", &form.term_start, errors).kind("date").required())
                (Field::new("term_end", "Einde van de termijn", &form.term_end, errors).kind("date").hint("Laat leeg voor vier jaar na het begin (art. 5.3)."))
                button type="submit" { "Lid toevoegen" }
            }
        }
    }
}

/// The rooster van aftreden as a document to print or save as PDF (the browser's print): the
/// members in order of the end of their term, with function, expertise, sectors, term and
/// reappointments (Art 5.3), and the members whose term ends within six months marked.
pub fn roster_print(commission: &str, roster: &[RosterEntry], today: NaiveDate) -> Markup {
    super::layout::bare(
        "Rooster van aftreden",
        Some("print"),
        html! {
            h1 { "Rooster van aftreden" }
            p.lead { (commission) " · stand per " (date_nl(today)) }
            p { "Een lid wordt benoemd voor vier jaar en kan worden herbenoemd (art. 5.3). Leden van wie de termijn binnen " (TERM_WARNING_MONTHS) " maanden afloopt, zijn gemarkeerd: regel tijdig herbenoeming of opvolging." }
            table.data {
                caption.visually-hidden { "Leden, het eerst aftredende lid bovenaan" }
                thead { tr {
                    th scope="col" { "Naam" } th scope="col" { "Functie" } th scope="col" { "Deskundigheid" }
                    th scope="col" { "Sectoren" } th scope="col" { "Begin termijn" } th scope="col" { "Einde termijn" }
                    th.num scope="col" { "Herbenoemd" }
                } }
                tbody {
                    @for e in roster {
                        @let m = &e.member;
                        tr {
                            th scope="row" { (m.name) @if !m.active { " (inactief)" } }
                            td { @if m.is_chair { "Voorzitter" } @else { "Lid" } @if m.is_jurist { ", jurist" } }
                            td { (Expertise::parse(&m.expertise).map_or(m.expertise.as_str(), |x| x.label())) }
                            td { (sectors_text(m)) }
                            td.nowrap { (date_nl(m.term_start)) }
                            td.nowrap { (date_nl(m.term_end)) " " (term_badge(m.term_start, m.term_end, today)) }
                            td.num { (m.renewals) "×" }
                        }
                    }
                }
            }
            p.no-print { a href="/commissie" { "Terug naar de commissie" } " · Druk deze pagina af of bewaar haar als PDF via het afdrukmenu van de browser." }
        },
    )
}

//! Deadline badges, the deadlines section of a case page, and the deadlines overview.

use super::components::{csrf_field, error_summary};
use crate::deadlines::{OVERVIEW_LIMIT, OverviewRow, stored_explanation};
use crate::domain::deadline::{Bucket, DeadlineKind, Status, bucket};
use crate::domain::dutch;
use crate::entities::{case, deadline};
use crate::web::{extract::Ctx, form::FieldErrors};
use chrono::NaiveDate;
use maud::{Markup, Render, html};

pub use crate::admin::today;

/// A running deadline's due date as a badge: red when passed, amber this week, green later.
pub struct DueBadge {
    pub due_on: Option<NaiveDate>,
    pub today: NaiveDate,
}

impl Render for DueBadge {
    fn render(&self) -> Markup {
        match self.due_on {
            None => html! { span.badge.warning { "niet berekend" } },
            Some(d) => {
                let (class, prefix) = match bucket(d, self.today) {
                    Bucket::Overdue => ("badge danger", "verstreken "),
                    Bucket::ThisWeek => ("badge warning", "uiterlijk "),
                    Bucket::Later => ("badge ok", "uiterlijk "),
                };
                html! { span class=(class) { (prefix) time datetime=(d.format("%Y-%m-%d").to_string()) { (dutch::date(d)) } } }
            }
        }
    }
}

fn kind_of(d: &deadline::Model) -> (String, &'static str) {
    DeadlineKind::parse(&d.kind).map_or((d.kind.clone(), ""), |k| (k.label().to_owned(), k.article()))
}

/// The deadlines of a case, each with its explanation, and the decisions one may take.
pub fn case_section(
    ctx: &Ctx,
    c: &case::Model,
    deadlines: &[deadline::Model],
    may_decide: bool,
    errors: &FieldErrors,
) -> Markup {
    let today = today();
    let base = format!("/zaken/{}", c.zaaknummer);
    html! {
        section.card #termijnen aria-labelledby="h-termijnen" {
            h2 #h-termijnen { "Termijnen" }
            p.small.muted {
                "Schoolvakanties van de school tellen niet mee (art. 27); een einde op een zaterdag, zondag of feestdag schuift door (art. 28, Algemene termijnenwet)."
                @if c.urgent { " " strong { "Spoed: voor deze zaak tellen schoolvakanties wél mee." } }
            }
            @if deadlines.is_empty() {
                p.muted { "Geen termijnen." }
            } @else {
                div.table-wrap {
                    table.data {
                        thead { tr {
                            th scope="col" { "Termijn" } th scope="col" { "Vanaf" } th scope="col" { "Duur" }
                            th scope="col" { "Einde" } th scope="col" { "Stand" }
                        } }
                        tbody {
                            @for d in deadlines {
                                @let status = Status::parse(&d.status).unwrap_or(Status::Open);
                                @let (label, article) = kind_of(d);
                                tr {
                                    td { (label) " " span.small.muted { (article) } @if d.urgent { " " span.badge.warning { "spoed" } } }
                                    td.nowrap { (dutch::date(d.event_on)) }
                                    td.nowrap { (d.term) @if let Some(e) = &d.extension_term { br; span.small { "+ " (e) " verlenging" } } }
                                    td.nowrap {
                                        @if status.is_running() { (DueBadge { due_on: d.due_on, today }) }
                                        @else if let Some(due) = d.due_on { (dutch::date(due)) }
                                        @else { "—" }
                                    }
                                    td {
                                        (status.label())
                                        @if let Some(on) = d.closed_on { " op " (dutch::date(on)) }
                                        @if let Some(r) = &d.decision_reason { br; span.small.muted { (r) } }
                                    }
                                }
                                tr.explain {
                                    td colspan="5" {
                                        // Opened when one of its forms came back with an error.
                                        @let has_error = errors.iter().any(|(f, _)| f.starts_with(&format!("t{}_", d.id)));
                                        details open[has_error] {
                                            summary { "Berekening" @if may_decide && status.is_pending() { " en beslissingen" } }
                                            ol.small { @for line in stored_explanation(d).lines() { li { (line) } } }
                                            @if may_decide && status.is_pending() { (decisions(ctx, &base, d, status, errors)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if may_decide {
                form.stack method="post" action=(format!("{base}/spoed")) {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="urgent" value=(if c.urgent { "nee" } else { "ja" });
                    (super::components::Field::new("spoed_reason", if c.urgent { "Spoed opheffen — reden" } else { "Spoed (art. 27): schoolvakanties tellen mee — reden" }, "", errors))
                    button.secondary type="submit" { @if c.urgent { "Spoed opheffen" } @else { "Zaak als spoed aanmerken" } }
                }
            }
        }
    }
}

fn decisions(ctx: &Ctx, base: &str, d: &deadline::Model, status: Status, errors: &FieldErrors) -> Markup {
    let f = |name: &str| format!("t{}_{name}", d.id);
    let today = today().format("%Y-%m-%d").to_string();
    let action = |what: &str| format!("{base}/termijnen/{}/{what}", d.id);
    // Every form of the deadline has a reason (and some a date) under one name; the ids differ
    // per form, and the always-present "afsluiten" form keeps `f-{name}`, where the error summary links.
    let id = |name: &str, form: &str| format!("f-{}-{form}", f(name));
    let reason = |form: &str| {
        let field = super::components::Field::new_owned(f("reason"), "Reden (wordt vastgelegd)", "", errors);
        if form == "afsluiten" { field } else { field.id(id("reason", form)) }
    };
    html! {
        (error_summary_for(errors, d.id))
        div.grid-2 {
            @if status.is_running() && d.extension_term.is_none() && d.due_on.is_some() {
                form.stack method="post" action=(action("verlengen")) {
                    (csrf_field(&ctx.csrf))
                    h3 { "Verlengen" }
                    (super::components::Field::new_owned(f("term"), "Met (bijv. 4 weken)", "4 weken", errors))
                    (reason("verlengen"))
                    button type="submit" { "Verlengen" }
                }
            }
            @if status.is_running() && d.suspended_on.is_none() && !d.backward {
                form.stack method="post" action=(action("opschorten")) {
                    (csrf_field(&ctx.csrf))
                    h3 { "Opschorten" }
                    (super::components::Field::new_owned(f("date"), "Per", &today, errors).kind("date").id(id("date", "opschorten")))
                    (reason("opschorten"))
                    button.secondary type="submit" { "Opschorten" }
                }
            }
            @if status == Status::Suspended {
                form.stack method="post" action=(action("hervatten")) {
                    (csrf_field(&ctx.csrf))
                    h3 { "Hervatten" }
                    (super::components::Field::new_owned(f("date"), "Per", &today, errors).kind("date").id(id("date", "hervatten")))
                    (reason("hervatten"))
                    button type="submit" { "Hervatten" }
                }
            }
            @if d.skip_school_holidays {
                form.stack method="post" action=(action("spoed")) {
                    (csrf_field(&ctx.csrf))
                    h3 { @if d.urgent { "Spoed opheffen" } @else { "Spoed voor deze termijn" } }
                    p.small.muted { "Art. 27: bij spoed tellen schoolvakanties mee voor deze termijn." }
                    input type="hidden" name="status" value=(if d.urgent { "nee" } else { "ja" });
                    (reason("spoed"))
                    button.secondary type="submit" { @if d.urgent { "Spoed opheffen" } @else { "Als spoed aanmerken" } }
                }
            }
            form.stack method="post" action=(action("afsluiten")) {
                (csrf_field(&ctx.csrf))
                h3 { "Afsluiten" }
                div.field {
                    label for=(format!("f-{}", f("status"))) { "Als" }
                    select id=(format!("f-{}", f("status"))) name="status" {
                        option value="met" { "gehaald" }
                        option value="missed" { "verstreken" }
                        option value="cancelled" { "vervallen" }
                    }
                }
                (super::components::Field::new_owned(f("date"), "Op", &today, errors).kind("date"))
                (reason("afsluiten"))
                button.secondary type="submit" { "Afsluiten" }
            }
        }
    }
}

/// The errors of one deadline's forms (their field names start with `t{id}_`).
fn error_summary_for(errors: &FieldErrors, id: i32) -> Markup {
    let prefix = format!("t{id}_");
    let mut own = FieldErrors::default();
    for (f, m) in errors.iter().filter(|(f, _)| f.starts_with(&prefix)) {
        own.add(f, m);
    }
    error_summary(&own)
}

pub fn overview(ctx: &Ctx, rows: &[OverviewRow], total: u64) -> Markup {
    let today = today();
    let uncomputed: Vec<&OverviewRow> = rows.iter().filter(|r| r.due_on.is_none()).collect();
    let group = |b: Bucket| -> Vec<&OverviewRow> {
        rows.iter().filter(|r| r.due_on.is_some_and(|d| bucket(d, today) == b)).collect()
    };
    let sections = [
        ("Verstreken", "Het einde is voorbij en de termijn is niet afgesloten.", group(Bucket::Overdue)),
        ("Deze week", "Eindigt uiterlijk komende zondag.", group(Bucket::ThisWeek)),
        ("Later", "", group(Bucket::Later)),
    ];
    super::layout::page(
        ctx,
        "Termijnen",
        html! {
            h1 { "Termijnen" }
            p.lead { "Lopende termijnen van de zaken die u kunt inzien, vandaag " (dutch::date_with_weekday(today)) "." }
            @if total > rows.len() as u64 {
                p.flash.info { "De eerste " (OVERVIEW_LIMIT) " van " (total) " lopende termijnen worden getoond, de vroegste eerst." }
            }
            @if !uncomputed.is_empty() {
                section.card {
                    h2 { "Niet berekend" }
                    p { "Voor deze termijnen ontbreken vakantiegegevens van de school; voeg het schooljaar toe onder Beheer › Vakanties." }
                    (table(&uncomputed, today))
                }
            }
            @for (title, hint, list) in &sections {
                section.card {
                    h2 { (title) " " span.muted.small { "(" (list.len()) ")" } }
                    @if !hint.is_empty() { p.small.muted { (hint) } }
                    @if list.is_empty() { p.muted { "Geen." } } @else { (table(list, today)) }
                }
            }
        },
    )
}

fn table(rows: &[&OverviewRow], today: NaiveDate) -> Markup {
    html! {
        div.table-wrap {
            table.data {
                thead { tr { th scope="col" { "Einde" } th scope="col" { "Zaak" } th scope="col" { "Termijn" } th scope="col" { "Vanaf" } th scope="col" { "Stand" } } }
                tbody {
                    @for r in rows {
                        @let kind = DeadlineKind::parse(&r.kind);
                        tr {
                            td.nowrap { (DueBadge { due_on: r.due_on, today }) }
                            td { a href=(format!("/zaken/{}#termijnen", r.zaaknummer)) { (r.zaaknummer) } br; span.small.muted { (r.subject) } }
                            td { (kind.map_or(r.kind.as_str(), |k| k.label())) " " span.small.muted { (kind.map_or("", |k| k.article())) } @if r.urgent { " " span.badge.warning { "spoed" } } }
                            td.nowrap { (dutch::date(r.event_on)) }
                            td { (Status::parse(&r.status).map_or(r.status.as_str(), |s| s.label())) }
                        }
                    }
                }
            }
        }
    }
}

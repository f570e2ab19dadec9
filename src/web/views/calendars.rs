//! The holiday calendar pages: the region calendars with the Atw decreed days, and one
//! school's calendar with its own deviations and the import.

use super::components::{Field, Select, csrf_field, error_summary};
use crate::calendars::{EffectiveYear, RegionYear, SchoolCalendarView, kind_or_extra};
use crate::domain::case::Region;
use crate::domain::dutch::{date, date_with_weekday};
use crate::domain::school_calendar::{KINDS, school_year_label};
use crate::entities::{atw_decreed_day, holiday_period};
use crate::web::{
    extract::Ctx,
    form::FieldErrors,
    routes::calendars::{DecreeForm, RegionForm, SchoolPeriodForm},
};
use maud::{Markup, html};

/// What a change just did, shown once after the redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    /// Running deadlines whose computation changed.
    pub recomputed: usize,
    /// Periods read from an imported file.
    pub imported: Option<usize>,
}

impl Saved {
    pub fn message(&self) -> String {
        let imported = match self.imported {
            Some(1) => " 1 periode ingelezen.".to_owned(),
            Some(n) => format!(" {n} perioden ingelezen."),
            None => String::new(),
        };
        let recomputed = match self.recomputed {
            0 => "Geen lopende termijn veranderde hierdoor.".to_owned(),
            1 => "1 lopende termijn is herberekend.".to_owned(),
            n => format!("{n} lopende termijnen zijn herberekend."),
        };
        format!("Opgeslagen.{imported} {recomputed}")
    }
}

fn flash(saved: Option<Saved>) -> Markup {
    html! {
        @if let Some(s) = saved {
            div.flash.success role="status" { p { (s.message()) } }
        }
    }
}

fn period_dates(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Markup {
    html! {
        @if from == to { (date(from)) } @else { span.nowrap { (date(from)) } " t/m " span.nowrap { (date(to)) } }
    }
}

fn kind_options() -> Vec<(String, String)> {
    KINDS.iter().map(|(c, l)| ((*c).to_owned(), (*l).to_owned())).collect()
}

/// A small form with one delete button; `what` names the thing for screen readers.
fn delete_button(ctx: &Ctx, action: &str, what: &str) -> Markup {
    html! {
        div.actions {
            form method="post" action=(action) {
                (csrf_field(&ctx.csrf))
                button.secondary.small type="submit" aria-label=(format!("Verwijderen: {what}")) { "Verwijderen" }
            }
        }
    }
}

pub fn regions(
    ctx: &Ctx,
    years: &[RegionYear],
    days: &[atw_decreed_day::Model],
    region_form: &RegionForm,
    decree_form: &DecreeForm,
    errors: &FieldErrors,
    saved: Option<Saved>,
) -> Markup {
    let present: Vec<String> = years.iter().map(|y| school_year_label(y.school_year)).collect();
    super::layout::page(
        ctx,
        "Schoolvakanties en feestdagen",
        html! {
            p.small { a href="/beheer" { "‹ Terug naar beheer" } }
            div.page-header { h1 { "Schoolvakanties en feestdagen" } }
            p.lead {
                "Schoolvakanties tellen niet mee bij de termijnen (art. 27), en een termijn die op een zaterdag, zondag of algemeen erkende feestdag eindigt, schuift door (Algemene termijnenwet). "
                "Een school volgt de vakanties van haar regio; afwijkingen legt u per school vast via "
                a href="/beheer/scholen" { "de scholen" } "."
            }
            (flash(saved))
            (error_summary(errors))
            section.card aria-labelledby="h-bron" {
                h2 #h-bron { "Bron en aanwezige schooljaren" }
                p {
                    "De officiële schoolvakanties per regio worden jaarlijks gepubliceerd op "
                    a href="https://www.rijksoverheid.nl/onderwerpen/schoolvakanties" { "rijksoverheid.nl" }
                    ". Neem nieuwe schooljaren daaruit over zodra ze bekend zijn."
                }
                @if present.is_empty() {
                    p { strong { "Er zijn nog geen schoolvakanties ingevoerd." } }
                } @else {
                    p { "Aanwezig: " (present.join(", ")) "." }
                }
                p.small.muted {
                    "Een termijn die een schooljaar nodig heeft dat hier ontbreekt, kan niet worden berekend totdat dat schooljaar is toegevoegd. "
                    "Na elke wijziging worden de lopende termijnen van de betrokken scholen direct herberekend."
                }
            }
            section aria-labelledby="h-regio" {
                h2 #h-regio { "Vakanties per regio" }
                @for y in years {
                    @let label = school_year_label(y.school_year);
                    h3 id=(format!("schooljaar-{}", y.school_year)) { "Schooljaar " (label) }
                    div.table-wrap {
                        table.data {
                            caption.visually-hidden { "Schoolvakanties " (label) " per regio" }
                            thead { tr {
                                th scope="col" { "Vakantie" }
                                @for r in Region::ALL { th scope="col" { (r.label()) } }
                            } }
                            tbody {
                                @for row in &y.rows {
                                    tr {
                                        th scope="row" { (row.label) }
                                        @for (r, cell) in Region::ALL.iter().zip(&row.cells) {
                                            td {
                                                @if let Some(p) = cell {
                                                    (period_dates(p.start_on, p.end_on))
                                                    @if p.name != row.label { br; span.small.muted { (p.name) } }
                                                    (delete_button(ctx, &format!("/beheer/vakanties/{}/verwijderen", p.id), &format!("{} {label}, regio {}", p.name, r.label())))
                                                } @else {
                                                    span.muted { "—" }
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
            section.card aria-labelledby="h-nieuw" {
                h2 #h-nieuw { "Vakantie toevoegen of vervangen" }
                p.small.muted { "Een regio heeft per schooljaar één vakantie van elke soort: bestaat die al, dan wordt ze vervangen." }
                form.stack method="post" action="/beheer/vakanties" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Select {
                        name: "region",
                        label: "Regio",
                        options: Region::ALL.iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect(),
                        selected: &region_form.region,
                        empty: Some("Kies een regio"),
                        errors,
                    })
                    (Field::new("school_year", "Schooljaar", &region_form.school_year, errors).required().hint("Bijvoorbeeld 2030-2031. Een schooljaar loopt van 1 augustus tot en met 31 juli."))
                    (Select {
                        name: "kind",
                        label: "Vakantie",
                        options: kind_options(),
                        selected: &region_form.kind,
                        empty: Some("Kies een vakantie"),
                        errors,
                    })
                    (Field::new("name", "Naam", &region_form.name, errors).hint("Leeg laten voor de gewone naam, bijvoorbeeld Herfstvakantie."))
                    (Field::new("start_on", "Eerste vakantiedag", &region_form.start_on, errors).kind("date").required())
                    (Field::new("end_on", "Laatste vakantiedag", &region_form.end_on, errors).kind("date").required().hint("Tot en met deze dag. De zomervakantie mag doorlopen in het volgende schooljaar."))
                    button type="submit" { "Opslaan" }
                }
            }
            section aria-labelledby="h-feestdagen" {
                h2 #h-feestdagen { "Gelijkgestelde dagen (Algemene termijnenwet art. 3 lid 3)" }
                p {
                    "De algemeen erkende feestdagen (Nieuwjaarsdag, Pasen, Koningsdag, Bevrijdingsdag, Hemelvaart, Pinksteren, Kerst) rekent de applicatie zelf uit. "
                    "Hier staan de dagen die bij koninklijk besluit met een feestdag gelijk zijn gesteld, meestal de vrijdag na Hemelvaartsdag. "
                    "Ze worden bekendgemaakt in de Staatscourant."
                }
                @if days.is_empty() {
                    p.muted { "Er zijn geen gelijkgestelde dagen ingevoerd." }
                } @else {
                    div.table-wrap {
                        table.data {
                            caption.visually-hidden { "Gelijkgestelde dagen" }
                            thead { tr { th scope="col" { "Datum" } th scope="col" { "Omschrijving" } th scope="col" { "Actie" } } }
                            tbody {
                                @for d in days {
                                    tr {
                                        th scope="row" { span.nowrap { (date_with_weekday(d.day)) } }
                                        td { (d.description) }
                                        td { (delete_button(ctx, &format!("/beheer/feestdagen/{}/verwijderen", d.day.format("%Y-%m-%d")), &date(d.day))) }
                                    }
                                }
                            }
                        }
                    }
                }
                section.card aria-labelledby="h-feestdag-nieuw" {
                    h3 #h-feestdag-nieuw { "Gelijkgestelde dag toevoegen" }
                    form.stack method="post" action="/beheer/feestdagen" novalidate {
                        (csrf_field(&ctx.csrf))
                        (Field::new("day", "Datum", &decree_form.day, errors).kind("date").required())
                        (Field::new("description", "Omschrijving", &decree_form.description, errors).required().hint("Bijvoorbeeld: vrijdag na Hemelvaartsdag (Besluit van … , Stb. …)."))
                        button type="submit" { "Dag toevoegen" }
                    }
                }
            }
        },
    )
}

fn own_periods_table(ctx: &Ctx, school_id: i32, own: &[holiday_period::Model]) -> Markup {
    html! {
        @if own.is_empty() {
            p.muted { "Deze school heeft geen eigen afwijkingen: ze volgt de vakanties van haar regio." }
        } @else {
            div.table-wrap {
                table.data {
                    caption.visually-hidden { "Eigen afwijkingen" }
                    thead { tr {
                        th scope="col" { "Naam" } th scope="col" { "Schooljaar" } th scope="col" { "Soort" }
                        th scope="col" { "Periode" } th scope="col" { "Actie" }
                    } }
                    tbody {
                        @for p in own {
                            tr {
                                th scope="row" { (p.name) }
                                td.nowrap { (school_year_label(p.school_year)) }
                                td { @if p.kind.is_some() { "vervangt " (kind_or_extra(p.kind.as_deref()).to_lowercase()) } @else { "extra" } }
                                td { (period_dates(p.start_on, p.end_on)) }
                                td { (delete_button(ctx, &format!("/beheer/scholen/{school_id}/vakanties/{}/verwijderen", p.id), &format!("{} {}", p.name, school_year_label(p.school_year)))) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn effective_year(y: &EffectiveYear) -> Markup {
    let label = school_year_label(y.school_year);
    html! {
        h3 id=(format!("schooljaar-{}", y.school_year)) { "Schooljaar " (label) }
        @if !y.covered {
            p.flash.error {
                "Voor dit schooljaar zijn geen vakanties van de regio bekend. Een termijn die dit schooljaar raakt, kan niet worden berekend totdat ze zijn "
                a href="/beheer/vakanties" { "toegevoegd" } "."
            }
        }
        @if y.periods.is_empty() {
            p.muted { "Geen vakanties." }
        } @else {
            div.table-wrap {
                table.data {
                    caption.visually-hidden { "Geldende vakanties " (label) }
                    thead { tr { th scope="col" { "Vakantie" } th scope="col" { "Periode" } th scope="col" { "Herkomst" } } }
                    tbody {
                        @for e in &y.periods {
                            tr {
                                th scope="row" { (e.period.name) }
                                td { (period_dates(e.period.from, e.period.to)) }
                                td {
                                    @if e.own {
                                        span.badge.warning { "eigen afwijking" }
                                        @if let Some(r) = &e.replaces {
                                            br; span.small.muted { "in plaats van " (date(r.from)) " t/m " (date(r.to)) }
                                        } @else if e.period.kind.is_none() {
                                            br; span.small.muted { "extra vrije periode" }
                                        }
                                    } @else {
                                        span.badge.muted { "regio" }
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

pub fn school(
    ctx: &Ctx,
    view: &SchoolCalendarView,
    form: &SchoolPeriodForm,
    errors: &FieldErrors,
    saved: Option<Saved>,
) -> Markup {
    let s = &view.school;
    let region = view.region.map_or(s.region.as_str(), |r| r.label());
    let action = format!("/beheer/scholen/{}/vakanties", s.id);
    let file_err = errors.get("file");
    super::layout::page(
        ctx,
        &format!("Vakanties — {}", s.name),
        html! {
            p.small { a href="/beheer/scholen" { "‹ Terug naar de scholen" } }
            div.page-header { h1 { "Vakanties van " (s.name) } }
            dl.facts {
                dt { "School" } dd { (s.name) ", " (s.place) }
                dt { "Vakantieregio" } dd { (region) " — " a href="/beheer/vakanties" { "vakanties per regio" } }
            }
            p.lead {
                "De school volgt de schoolvakanties van regio " (region) ". Wijkt de school af, leg dat hier vast: een afwijking met een soort vervangt die vakantie van de regio in dat schooljaar, een afwijking zonder soort (een studiedag) komt erbij."
            }
            (flash(saved))
            (error_summary(errors))
            section aria-labelledby="h-eigen" {
                h2 #h-eigen { "Eigen afwijkingen" }
                (own_periods_table(ctx, s.id, &view.own))
            }
            div.grid-2 {
                section.card aria-labelledby="h-nieuw" {
                    h2 #h-nieuw { "Afwijking toevoegen" }
                    form.stack method="post" action=(action) novalidate {
                        (csrf_field(&ctx.csrf))
                        (Select {
                            name: "kind",
                            label: "Soort",
                            options: kind_options(),
                            selected: &form.kind,
                            empty: Some("extra (bijv. studiedag)"),
                            errors,
                        })
                        (Field::new("name", "Naam", &form.name, errors).hint("Bij een vakantie mag u dit leeg laten; bij een extra periode is een naam nodig, bijvoorbeeld Studiedag."))
                        (Field::new("start_on", "Eerste vrije dag", &form.start_on, errors).kind("date").required())
                        (Field::new("end_on", "Laatste vrije dag", &form.end_on, errors).kind("date").required().hint("Tot en met deze dag; voor één dag dezelfde datum."))
                        button type="submit" { "Afwijking opslaan" }
                    }
                }
                section.card aria-labelledby="h-import" {
                    h2 #h-import { "Vakantierooster importeren" }
                    p.small {
                        "Een agenda-export (.ics) of een CSV-bestand met per regel " code { "naam;van;tot" }
                        ", bijvoorbeeld " code { "Herfstvakantie;17-10-2026;25-10-2026" } ". "
                        "Een kopregel mag; datums als dd-mm-jjjj of jjjj-mm-dd; ook een komma als scheidingsteken mag."
                    }
                    p.small.muted {
                        "Het bestand vervangt álle eigen afwijkingen van de school in de schooljaren die erin voorkomen. "
                        "Een naam met herfst, kerst, voorjaar/krokus, mei of zomer en het woord vakantie vervangt die vakantie van de regio; andere perioden komen erbij."
                    }
                    form.stack method="post" action=(format!("{action}/import")) enctype="multipart/form-data" novalidate {
                        (csrf_field(&ctx.csrf))
                        div.field.invalid[file_err.is_some()] {
                            label for="f-file" { "Bestand" }
                            input #f-file type="file" name="file" accept=".ics,.csv,text/calendar,text/csv" required
                                aria-invalid=[file_err.map(|_| "true")] aria-describedby=[file_err.map(|_| "f-file-error")];
                            @if let Some(e) = file_err { p.field-error #f-file-error { (e) } }
                        }
                        button type="submit" { "Importeren" }
                    }
                }
            }
            section aria-labelledby="h-geldend" {
                h2 #h-geldend { "Geldende vakanties per schooljaar" }
                p.small.muted { "Zo telt de applicatie de schoolvakanties van deze school bij het berekenen van termijnen." }
                @if view.years.is_empty() {
                    p { strong { "Er zijn geen vakanties bekend voor deze school." } " Termijnen die schoolvakanties overslaan kunnen niet worden berekend; voeg eerst de " a href="/beheer/vakanties" { "vakanties van de regio" } " toe." }
                }
                @for y in &view.years { (effective_year(y)) }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_messages() {
        assert_eq!(
            Saved { recomputed: 3, imported: None }.message(),
            "Opgeslagen. 3 lopende termijnen zijn herberekend."
        );
        assert_eq!(Saved { recomputed: 1, imported: None }.message(), "Opgeslagen. 1 lopende termijn is herberekend.");
        assert_eq!(
            Saved { recomputed: 0, imported: Some(5) }.message(),
            "Opgeslagen. 5 perioden ingelezen. Geen lopende termijn veranderde hierdoor."
        );
    }
}

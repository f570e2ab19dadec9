//! The administration pages: overview, boards, schools and user accounts.

use super::components::{Field, Select, csrf_field, date_nl, error_summary};
use crate::admin::Counts;
use crate::domain::access::Role;
use crate::domain::case::{Region, Sector};
use crate::domain::commission::CompositionWarning;
use crate::entities::{board, member, school, user};
use crate::web::{
    extract::Ctx,
    form::FieldErrors,
    routes::admin::{BoardForm, SchoolForm, UserForm},
};
use maud::{Markup, html};
use std::collections::HashMap;

/// A multi-line text (an address) with its line breaks kept.
fn lines(text: &str) -> Markup {
    html! {
        @for (i, line) in text.lines().enumerate() {
            @if i > 0 { br; }
            (line)
        }
    }
}

fn back_link() -> Markup {
    html! { p.small { a href="/beheer" { "‹ Terug naar beheer" } } }
}

pub fn overview(ctx: &Ctx, counts: &Counts, warnings: &[CompositionWarning]) -> Markup {
    let items: [(&str, &str, Option<u64>, &str); 6] = [
        (
            "/commissie",
            "Commissieleden",
            Some(counts.members),
            "Rooster van aftreden, herbenoemen, verbondenheden (art. 4-5).",
        ),
        ("/beheer/besturen", "Besturen", Some(counts.boards), "Aangesloten bevoegde gezagen (art. 3)."),
        ("/beheer/scholen", "Scholen", Some(counts.schools), "Scholen per bestuur, met vakantieregio en sector."),
        ("/beheer/gebruikers", "Gebruikers", Some(counts.users), "Accounts, rollen, deactiveren."),
        (
            "/beheer/vakanties",
            "Vakanties en feestdagen",
            None,
            "Schoolvakanties per regio en de gelijkgestelde feestdagen (art. 27-28); per school via Scholen.",
        ),
        (
            "/beheer/bewaartermijn",
            "Bewaartermijn",
            None,
            "Vernietiging van afgesloten dossiers na de bewaartermijn, met proefrun.",
        ),
    ];
    super::layout::page(
        ctx,
        "Beheer",
        html! {
            div.page-header { h1 { "Beheer" } }
            p.lead { "Leden van de commissie, aangesloten besturen, scholen en gebruikers." }
            div.grid-2 {
                section.card aria-labelledby="h-overzicht" {
                    h2 #h-overzicht { "Overzicht" }
                    div.table-wrap {
                        table.data {
                            thead { tr { th scope="col" { "Onderdeel" } th.num scope="col" { "Aantal" } th scope="col" { "Omschrijving" } } }
                            tbody {
                                @for (href, label, n, text) in &items {
                                    tr {
                                        td { a href=(href) { (label) } }
                                        td.num { @if let Some(n) = n { (n) } @else { "—" } }
                                        td.small.muted { (text) }
                                    }
                                }
                            }
                        }
                    }
                }
                section.card aria-labelledby="h-samenstelling" {
                    h2 #h-samenstelling { "Samenstelling (art. 4.1)" }
                    (super::commission::composition(warnings))
                    p { a href="/commissie" { "Naar het rooster van aftreden" } }
                }
            }
        },
    )
}

pub fn boards(
    ctx: &Ctx,
    boards: &[board::Model],
    schools_per_board: &HashMap<i32, i64>,
    form: &BoardForm,
    errors: &FieldErrors,
    notice: Option<(i32, &str)>,
) -> Markup {
    super::layout::page(
        ctx,
        "Besturen",
        html! {
            (back_link())
            div.page-header { h1 { "Besturen" } }
            p.lead { "De bevoegde gezagen die bij de commissie zijn aangesloten (art. 3). Opzegging gebeurt per aangetekende brief, ten minste drie maanden voor het einde van het kalenderjaar." }
            (error_summary(errors))
            @if boards.is_empty() {
                p.muted { "Er zijn nog geen besturen." }
            } @else {
                div.table-wrap {
                    table.data {
                        caption.visually-hidden { "Aangesloten besturen" }
                        thead { tr {
                            th scope="col" { "Naam" } th scope="col" { "Adres" } th scope="col" { "Aangesloten per" }
                            th scope="col" { "Aansluiting eindigt" } th.num scope="col" { "Scholen" }
                        } }
                        tbody {
                            @for b in boards {
                                tr {
                                    th scope="row" {
                                        (b.name)
                                        @if let Some(e) = &b.email { br; span.small.muted { (e) } }
                                    }
                                    td { (lines(&b.address)) }
                                    td.nowrap { (date_nl(b.affiliated_on)) }
                                    td {
                                        @if let Some(t) = b.terminated_on { span.nowrap { (date_nl(t)) } }
                                        @else {
                                            @let field = format!("notice_{}", b.id);
                                            details open[errors.get(&field).is_some()] {
                                                summary { "Opzegging vastleggen" }
                                                form.stack method="post" action=(format!("/beheer/besturen/{}/opzegging", b.id)) {
                                                    (csrf_field(&ctx.csrf))
                                                    div.field.invalid[errors.get(&field).is_some()] {
                                                        label for=(format!("f-{field}")) { "Aangetekende brief ontvangen op" }
                                                        p.hint { "Opzegging ten minste drie maanden vóór het einde van het kalenderjaar (uiterlijk 30 september) beëindigt de aansluiting op 31 december; anders op 31 december van het jaar daarna. Bestaande verplichtingen blijven." }
                                                        input id=(format!("f-{field}")) type="date" name="notice_on" value=(notice.filter(|(id, _)| *id == b.id).map_or("", |(_, v)| v));
                                                        @if let Some(e) = errors.get(&field) { p.field-error { (e) } }
                                                    }
                                                    button type="submit" { "Opzegging vastleggen" }
                                                }
                                            }
                                        }
                                    }
                                    td.num { (schools_per_board.get(&b.id).copied().unwrap_or(0)) }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="h-nieuw" {
                h2 #h-nieuw { "Bestuur toevoegen" }
                form.stack method="post" action="/beheer/besturen" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Field::new("name", "Naam", &form.name, errors).required())
                    (Field::new("address", "Adres", &form.address, errors).kind("textarea").required())
                    (Field::new("email", "E-mailadres", &form.email, errors).kind("email"))
                    (Field::new("affiliated_on", "Aangesloten per", &form.affiliated_on, errors).kind("date").required())
                    (Field::new("terminated_on", "Aansluiting eindigt per", &form.terminated_on, errors).kind("date").hint("Alleen invullen als het bestuur de aansluiting heeft opgezegd."))
                    button type="submit" { "Bestuur toevoegen" }
                }
            }
        },
    )
}

pub fn schools(
    ctx: &Ctx,
    schools: &[school::Model],
    boards: &[board::Model],
    form: &SchoolForm,
    errors: &FieldErrors,
) -> Markup {
    let board_name = |id: i32| boards.iter().find(|b| b.id == id).map_or("—", |b| b.name.as_str());
    let region_err = errors.get("region");
    super::layout::page(
        ctx,
        "Scholen",
        html! {
            (back_link())
            div.page-header { h1 { "Scholen" } }
            p.lead { "De scholen van de aangesloten besturen. De vakantieregio bepaalt welke schoolvakanties bij termijnen niet meetellen." }
            (error_summary(errors))
            @if schools.is_empty() {
                p.muted { "Er zijn nog geen scholen." }
            } @else {
                div.table-wrap {
                    table.data {
                        caption.visually-hidden { "Scholen" }
                        thead { tr {
                            th scope="col" { "Naam" } th scope="col" { "BRIN" } th scope="col" { "Plaats" }
                            th scope="col" { "Regio" } th scope="col" { "Sector" } th scope="col" { "Bestuur" }
                            th scope="col" { "Vakanties" }
                        } }
                        tbody {
                            @for s in schools {
                                tr {
                                    th scope="row" { (s.name) }
                                    td.nowrap { (s.brin.as_deref().unwrap_or("—")) }
                                    td { (s.place) }
                                    td { (Region::parse(&s.region).map_or(s.region.as_str(), |r| r.label())) }
                                    td { abbr title=(Sector::parse(&s.sector).map_or("", |x| x.label())) { (s.sector) } }
                                    td { (board_name(s.board_id)) }
                                    td { a href=(format!("/beheer/scholen/{}/vakanties", s.id)) aria-label=(format!("Vakanties van {}", s.name)) { "Vakanties" } }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="h-nieuw" {
                h2 #h-nieuw { "School toevoegen" }
                @if boards.is_empty() {
                    p { "Voeg eerst het bestuur toe: " a href="/beheer/besturen" { "naar de besturen" } "." }
                }
                form.stack method="post" action="/beheer/scholen" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Select {
                        name: "board_id",
                        label: "Bestuur (bevoegd gezag)",
                        options: boards.iter().map(|b| (b.id.to_string(), b.name.clone())).collect(),
                        selected: &form.board_id,
                        empty: Some("Kies een bestuur"),
                        errors,
                    })
                    (Field::new("name", "Naam", &form.name, errors).required())
                    (Field::new("brin", "BRIN-nummer", &form.brin, errors).hint("Twee cijfers en twee letters, bijvoorbeeld 04KL."))
                    (Field::new("address", "Adres", &form.address, errors).kind("textarea").required())
                    (Field::new("place", "Plaats", &form.place, errors).required())
                    // The Select component has no hint; this one needs it, so it is written out.
                    div.field.invalid[region_err.is_some()] {
                        label for="f-region" { "Vakantieregio" }
                        p.hint #f-region-hint { "De vakantieregio wordt per school gekozen en niet afgeleid uit de plaats: een school kan van de regio van haar plaats afwijken." }
                        select #f-region name="region" aria-invalid=[region_err.map(|_| "true")]
                            aria-describedby=(if region_err.is_some() { "f-region-hint f-region-error" } else { "f-region-hint" }) {
                            option value="" { "Kies een regio" }
                            @for r in Region::ALL {
                                option value=(r.code()) selected[r.code() == form.region] { (r.label()) }
                            }
                        }
                        @if let Some(e) = region_err { p.field-error #f-region-error { (e) } }
                    }
                    (Select {
                        name: "sector",
                        label: "Sector",
                        options: Sector::ALL.iter().map(|s| (s.code().to_owned(), format!("{} ({})", s.label(), s.code()))).collect(),
                        selected: &form.sector,
                        empty: Some("Kies een sector"),
                        errors,
                    })
                    (Field::new("contact_name", "Contactpersoon klachten", &form.contact_name, errors))
                    (Field::new("contact_email", "E-mailadres contactpersoon", &form.contact_email, errors).kind("email"))
                    button type="submit" { "School toevoegen" }
                }
            }
        },
    )
}

/// The error key of a user's activate/deactivate button in the list.
pub fn user_row_field(user_id: i32) -> String {
    format!("user-{user_id}")
}

pub fn users(
    ctx: &Ctx,
    users: &[user::Model],
    boards: &[board::Model],
    schools: &[school::Model],
    members: &[member::Model],
    form: &UserForm,
    errors: &FieldErrors,
) -> Markup {
    let tied_to = |u: &user::Model| -> String {
        if let Some(s) = u.school_id.and_then(|s| schools.iter().find(|x| x.id == s)) {
            format!("contactpersoon {}", s.name)
        } else if let Some(b) = u.board_id {
            boards.iter().find(|x| x.id == b).map_or_else(String::new, |x| x.name.clone())
        } else if let Some(m) = u.member_id {
            members.iter().find(|x| x.id == m).map_or_else(String::new, |x| x.name.clone())
        } else {
            String::new()
        }
    };
    super::layout::page(
        ctx,
        "Gebruikers",
        html! {
            (back_link())
            div.page-header { h1 { "Gebruikers" } }
            p.lead { "Accounts met hun rol. Een gedeactiveerd account kan niet meer inloggen; lopende sessies worden direct beëindigd." }
            (error_summary(errors))
            div.table-wrap {
                table.data {
                    caption.visually-hidden { "Gebruikers" }
                    thead { tr {
                        th scope="col" { "Naam" } th scope="col" { "E-mailadres" } th scope="col" { "Rol" }
                        th scope="col" { "Bestuur of lid" } th scope="col" { "Status" } th scope="col" { "Acties" }
                    } }
                    tbody {
                        @for u in users {
                            @let field = user_row_field(u.id);
                            @let err = errors.get(&field);
                            tr {
                                th scope="row" { (u.name) }
                                td { (u.email) }
                                td { (Role::parse(&u.role).map_or(u.role.as_str(), |r| r.label())) }
                                td { @let t = tied_to(u); @if t.is_empty() { span.muted { "—" } } @else { (t) } }
                                td { @if u.active { span.badge.ok { "actief" } } @else { span.badge.muted { "gedeactiveerd" } } }
                                td {
                                    @if u.id == ctx.user.id {
                                        span.small.muted id=(format!("f-{field}")) { "uw eigen account" }
                                    } @else {
                                        form method="post" action=(format!("/beheer/gebruikers/{}/actief", u.id)) {
                                            (csrf_field(&ctx.csrf))
                                            input type="hidden" name="active" value=(if u.active { "nee" } else { "ja" });
                                            @let (text, label) = if u.active { ("Deactiveren", format!("Deactiveren: {}", u.name)) } else { ("Activeren", format!("Activeren: {}", u.name)) };
                                            button.secondary id=(format!("f-{field}")) type="submit" aria-label=(label)
                                                aria-describedby=[err.map(|_| format!("f-{field}-error"))] { (text) }
                                        }
                                    }
                                    @if u.totp_enabled_at.is_some() || u.totp_secret.is_some() {
                                        form method="post" action=(format!("/beheer/gebruikers/{}/tweestaps-herstellen", u.id)) {
                                            (csrf_field(&ctx.csrf))
                                            button.secondary type="submit" aria-label=(format!("Tweestapsverificatie herstellen: {}", u.name)) { "Tweestapsverificatie herstellen" }
                                        }
                                    }
                                    @if let Some(e) = err { p.field-error id=(format!("f-{field}-error")) { (e) } }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="h-nieuw" {
                h2 #h-nieuw { "Gebruiker toevoegen" }
                form.stack method="post" action="/beheer/gebruikers" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Field::new("email", "E-mailadres", &form.email, errors).kind("email").required())
                    (Field::new("name", "Naam", &form.name, errors).required())
                    (Select {
                        name: "role",
                        label: "Rol",
                        options: Role::ALL.iter().map(|r| (r.code().to_owned(), r.label().to_owned())).collect(),
                        selected: &form.role,
                        empty: Some("Kies een rol"),
                        errors,
                    })
                    (Select {
                        name: "board_id",
                        label: "Bestuur (alleen bij de rol bevoegd gezag)",
                        options: boards.iter().map(|b| (b.id.to_string(), b.name.clone())).collect(),
                        selected: &form.board_id,
                        empty: Some("Geen bestuur"),
                        errors,
                    })
                    (Select {
                        name: "school_id",
                        label: "Contactpersoon van één school (alleen bij de rol bevoegd gezag)",
                        options: schools.iter().map(|s| (s.id.to_string(), format!("{} ({})", s.name, boards.iter().find(|b| b.id == s.board_id).map_or("", |b| b.name.as_str())))).collect(),
                        selected: &form.school_id,
                        empty: Some("Het hele bestuur"),
                        errors,
                    })
                    (Select {
                        name: "member_id",
                        label: "Commissielid (alleen bij de rol voorzitter of commissielid)",
                        options: members.iter().map(|m| (m.id.to_string(), format!("{}{}", m.name, if m.is_chair { " (voorzitter)" } else { "" }))).collect(),
                        selected: &form.member_id,
                        empty: Some("Geen commissielid"),
                        errors,
                    })
                    (Field::new("password", "Wachtwoord", "", errors).kind("password").required().hint("minstens 10 tekens"))
                    button type="submit" { "Gebruiker toevoegen" }
                }
            }
        },
    )
}

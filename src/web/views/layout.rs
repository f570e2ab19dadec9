//! The page frame: skip link, header with navigation by role, main, footer.

use crate::domain::access::Action;
use crate::web::extract::Ctx;
use maud::{DOCTYPE, Markup, html};

pub const APP_NAME: &str = "Klachtencommissie";

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · " (APP_NAME) }
            link rel="stylesheet" href=(super::components::CSS_PATH);
        }
    }
}

/// A page for a signed-in user.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let mut nav: Vec<(&str, &str)> = vec![("/", "Start"), ("/zaken", "Zaken"), ("/termijnen", "Termijnen")];
    if ctx.may(Action::ManageCase) {
        nav.push(("/brieven", "Brieven"));
    }
    if ctx.may(Action::KeepRegister) {
        nav.push(("/register", "Klachtenregister"));
    }
    if ctx.user.role == crate::domain::access::Role::Bestuur {
        nav.push(("/meldingen", "Meldingen"));
    }
    if ctx.may(Action::ManageIntegration) && crate::domain::access::speaks_for_board(&ctx.user.viewer()) {
        nav.push(("/koppeling", "Koppeling"));
    }
    if ctx.may(Action::ViewCommission) {
        nav.push(("/commissie", "Commissie"));
        nav.push(("/rapportage/jaarverslag", "Rapportage"));
    }
    if ctx.may(Action::Administer) {
        nav.push(("/beheer", "Beheer"));
    }
    let current = |href: &str| {
        if href == "/" { ctx.path == "/" } else { ctx.path == href || ctx.path.starts_with(&format!("{href}/")) }
    };
    html! {
        (DOCTYPE)
        html lang="nl" {
            (head(title))
            body {
                a.skip-link href="#main" { "Naar de inhoud" }
                header.site {
                    a.brand href="/" { (APP_NAME) }
                    nav.main aria-label="Hoofdmenu" {
                        ul {
                            @for (href, label) in &nav {
                                li { a href=(href) aria-current=[current(href).then_some("page")] { (label) } }
                            }
                        }
                    }
                    div.user {
                        a href="/account" aria-current=[(ctx.path == "/account").then_some("page")] { (ctx.user.name) } " "
                        span.small { "(" (ctx.user.role.label()) ")" } " "
                        form method="post" action="/logout" {
                            (super::components::csrf_field(&ctx.csrf))
                            button.link-button type="submit" { "Uitloggen" }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer.site { p { (APP_NAME) " — vertrouwelijk (art. 10 reglement) · " a href="/uitspraken" { "Gepubliceerde adviezen" } } }
            }
        }
    }
}

/// A page without the signed-in frame (login, errors).
pub fn bare(title: &str, body_class: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="nl" {
            (head(title))
            body class=[body_class] {
                a.skip-link href="#main" { "Naar de inhoud" }
                header.site { a.brand href="/" { (APP_NAME) } }
                main #main tabindex="-1" { (body) }
                footer.site { p { a href="/uitspraken" { "Gepubliceerde adviezen (geanonimiseerd)" } } }
            }
        }
    }
}

//! The login page.

use maud::{Markup, html};

pub fn login(csrf: &str, next: &str, email: &str, error: Option<&str>, demo: Option<&[(String, String)]>) -> Markup {
    super::layout::bare(
        "Inloggen",
        Some("login-page"),
        html! {
            div.card {
                h1 { "Inloggen" }
                @if let Some(e) = error { div.flash.error role="alert" { (e) } }
                form.stack method="post" action="/login" {
                    (super::components::csrf_field(csrf))
                    input type="hidden" name="next" value=(next);
                    div.field {
                        label for="email" { "E-mailadres" }
                        input #email type="email" name="email" value=(email) autocomplete="username" required autofocus;
                    }
                    div.field {
                        label for="password" { "Wachtwoord" }
                        input #password type="password" name="password" autocomplete="current-password" required;
                    }
                    button type="submit" { "Inloggen" }
                }
            }
            @if let Some(accounts) = demo {
                div.demo-logins {
                    h2 { "Demo-accounts" }
                    p.small { "Deze installatie bevat demogegevens. Elk account heeft het wachtwoord " code { (crate::demo::DEMO_PASSWORD) } "." }
                    table.data {
                        thead { tr { th scope="col" { "E-mailadres" } th scope="col" { "Rol" } } }
                        tbody { @for (email, role) in accounts { tr { td { (email) } td { (role) } } } }
                    }
                }
            }
        },
    )
}

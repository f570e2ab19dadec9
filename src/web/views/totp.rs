//! Two-factor login pages: the code step of the login, enrolment (at login when the role
//! requires it, or from the account page), the recovery codes shown once, and the account's
//! Tweestapsverificatie page.

use super::components::{csrf_field, datetime_nl};
use crate::auth::totp::Enrolment;
use crate::entities::user;
use crate::web::extract::Ctx;
use maud::{Markup, html};

/// The QR code of the enrolment URI, drawn as inline SVG by maud itself (one path of squares),
/// so nothing unescaped reaches the page.
fn qr(uri: &str) -> Markup {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M) else {
        return html! {};
    };
    let width = code.width();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut d = String::new();
    for (i, c) in code.to_colors().into_iter().enumerate() {
        if c == qrcode::Color::Dark {
            d.push_str(&format!("M{} {}h1v1h-1z", i % width + quiet, i / width + quiet));
        }
    }
    html! {
        svg.qr xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {size} {size}")) width="220" height="220"
            role="img" aria-label="QR-code met de sleutel voor uw authenticator-app" shape-rendering="crispEdges" {
            // Closed explicitly: inside <svg> an unclosed <rect> would swallow the path.
            rect width=(size) height=(size) fill="#ffffff" {}
            path d=(d) fill="#000000" {}
        }
    }
}

/// The secret as an app takes it: QR code, the key in groups of four, and the URI.
fn enrolment_details(e: &Enrolment) -> Markup {
    let grouped: Vec<String> = e.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    html! {
        ol {
            li { "Open uw authenticator-app (bijvoorbeeld een app voor eenmalige codes op uw telefoon) en voeg een account toe." }
            li { "Scan de QR-code, of typ de sleutel over." }
            li { "Vul hieronder de zescijferige code in die de app nu toont." }
        }
        (qr(&e.uri))
        dl.facts {
            dt { "Sleutel" } dd { code #totp-secret { (grouped.join(" ")) } }
            dt { "Uitgever" } dd { (crate::auth::totp::ISSUER) }
            dt { "Soort" } dd { "tijdgebonden (TOTP), 6 cijfers, elke 30 seconden" }
        }
        details {
            summary { "Adres voor de app (otpauth)" }
            p { input #totp-uri type="text" readonly value=(e.uri) aria-label="otpauth-adres"; }
        }
    }
}

fn code_field(id: &str, label: &str, error: Option<&str>, digits_only: bool) -> Markup {
    html! {
        @if let Some(e) = error { p.field-error id=(format!("{id}-error")) role="alert" { (e) } }
        div.field {
            label for=(id) { (label) }
            @if digits_only {
                input id=(id) type="text" name="code" inputmode="numeric" pattern="[0-9 ]*" maxlength="7"
                    autocomplete="one-time-code" required autofocus
                    aria-describedby=[error.map(|_| format!("{id}-error"))];
            } @else {
                input id=(id) type="text" name="code" maxlength="32" autocomplete="one-time-code" required autofocus
                    aria-describedby=[error.map(|_| format!("{id}-error"))];
            }
        }
    }
}

/// The second step of the login.
pub fn code_page(csrf: &str, error: Option<&str>) -> Markup {
    super::layout::bare(
        "Verificatiecode",
        Some("login-page"),
        html! {
            div.card {
                h1 { "Verificatiecode" }
                p { "Uw wachtwoord klopt. Vul de zescijferige code in die uw authenticator-app nu toont, of een van uw herstelcodes." }
                form.stack method="post" action="/login/code" {
                    (csrf_field(csrf))
                    (code_field("f-code", "Code", error, false))
                    button type="submit" { "Inloggen" }
                }
                p.small { a href="/login" { "Opnieuw beginnen" } }
            }
        },
    )
}

/// Enrolment right after the password, when the role requires two-factor login.
pub fn enrol_at_login(csrf: &str, e: &Enrolment, error: Option<&str>) -> Markup {
    super::layout::bare(
        "Tweestapsverificatie instellen",
        Some("login-page"),
        html! {
            div.card {
                h1 { "Tweestapsverificatie instellen" }
                p { "Voor uw rol is tweestapsverificatie verplicht. Stel die nu in; daarna bent u ingelogd." }
                (enrolment_details(e))
                form.stack method="post" action="/login/inrichten" {
                    (csrf_field(csrf))
                    (code_field("f-code", "Code uit de app", error, true))
                    button type="submit" { "Bevestigen" }
                }
                p.small { a href="/login" { "Opnieuw beginnen" } }
            }
        },
    )
}

fn codes_list(codes: &[String]) -> Markup {
    html! {
        p { strong { "Bewaar deze herstelcodes nu op een veilige plek." } " Ze worden maar één keer getoond. Met elke code kunt u één keer inloggen als u uw authenticator-app niet bij de hand hebt." }
        ol.recovery-codes { @for c in codes { li { code { (c) } } } }
    }
}

/// The recovery codes after enrolment at login; the session has started.
pub fn codes_after_login(codes: &[String], next: &str) -> Markup {
    super::layout::bare(
        "Herstelcodes",
        Some("login-page"),
        html! {
            div.card {
                h1 { "Tweestapsverificatie staat aan" }
                (codes_list(codes))
                p { a.button href=(next) { "Verder" } }
            }
        },
    )
}

/// What the account page shows at the moment.
pub struct AccountState<'a> {
    pub user: &'a user::Model,
    pub enrolment: Option<&'a Enrolment>,
    pub unused_codes: u64,
    pub required: bool,
    pub error: Option<&'a str>,
    /// Codes just made: shown this once.
    pub new_codes: Option<&'a [String]>,
    /// Which form the error belongs to: `bevestigen`, `herstelcodes` or `uitschakelen`.
    pub error_form: &'a str,
}

pub fn account(ctx: &Ctx, s: &AccountState) -> Markup {
    let err = |form: &str| if s.error_form == form { s.error } else { None };
    super::layout::page(
        ctx,
        "Tweestapsverificatie",
        html! {
            p { a href="/account" { "← Mijn account" } }
            h1 { "Tweestapsverificatie" }
            @if let Some(codes) = s.new_codes {
                div.card role="status" { (codes_list(codes)) }
            }
            @if let Some(since) = s.user.totp_enabled_at {
                div.card {
                    p { "Tweestapsverificatie staat aan sinds " (datetime_nl(since)) ". Na uw wachtwoord vraagt het inloggen om een code uit uw authenticator-app." }
                    p { "Ongebruikte herstelcodes: " (s.unused_codes) "." }
                    @if s.required { p.muted { "Voor uw rol is tweestapsverificatie verplicht; u kunt haar niet uitschakelen." } }
                }
                section.card aria-labelledby="h-herstelcodes" {
                    h2 #h-herstelcodes { "Nieuwe herstelcodes" }
                    p { "De oude herstelcodes vervallen." }
                    form.stack method="post" action="/account/tweestaps/herstelcodes" {
                        (csrf_field(&ctx.csrf))
                        (code_field("f-code-herstel", "Huidige code (of een herstelcode)", err("herstelcodes"), false))
                        button type="submit" { "Nieuwe herstelcodes maken" }
                    }
                }
                @if !s.required {
                    section.card aria-labelledby="h-uit" {
                        h2 #h-uit { "Uitschakelen" }
                        form.stack method="post" action="/account/tweestaps/uitschakelen" {
                            (csrf_field(&ctx.csrf))
                            (code_field("f-code-uit", "Huidige code (of een herstelcode)", err("uitschakelen"), false))
                            button.secondary type="submit" { "Tweestapsverificatie uitschakelen" }
                        }
                    }
                }
            } @else if let Some(e) = s.enrolment {
                section.card aria-labelledby="h-instellen" {
                    h2 #h-instellen { "Instellen" }
                    (enrolment_details(e))
                    form.stack method="post" action="/account/tweestaps/bevestigen" {
                        (csrf_field(&ctx.csrf))
                        (code_field("f-code", "Code uit de app", err("bevestigen"), true))
                        button type="submit" { "Bevestigen en inschakelen" }
                    }
                }
            } @else {
                div.card {
                    p { "Met tweestapsverificatie vraagt het inloggen na uw wachtwoord ook om een code uit een authenticator-app op uw telefoon. Wie uw wachtwoord kent, kan dan nog niet inloggen." }
                    form method="post" action="/account/tweestaps/starten" {
                        (csrf_field(&ctx.csrf))
                        button type="submit" { "Tweestapsverificatie instellen" }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::totp as t;

    #[test]
    fn the_enrolment_draws_a_qr_code_and_escapes_everything() {
        let secret = b"12345678901234567890";
        let e = Enrolment {
            secret: t::base32_encode(secret),
            uri: t::otpauth_uri(crate::auth::totp::ISSUER, "a\"<b>@x.nl", secret),
        };
        let html = enrolment_details(&e).into_string();
        assert!(html.contains("<svg") && html.contains("viewBox=\"0 0 ") && html.contains("<path d=\"M"));
        assert!(html.contains("</rect><path d=\"M") && html.contains("</path></svg>"), "closed elements: {html}");
        assert!(html.contains("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"), "{html}");
        assert!(!html.contains("<b>") && !html.contains("a\""));
        let codes = codes_list(&["<i>x</i>".to_owned()]).into_string();
        assert!(codes.contains("&lt;i&gt;x&lt;/i&gt;"));
    }
}

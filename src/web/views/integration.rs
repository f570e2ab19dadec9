//! The page `/koppeling`: the board's API tokens, its webhook and the recent deliveries.

use super::components::{csrf_field, date_nl, datetime_nl, error_summary};
use crate::api::tokens::TokenState;
use crate::domain::api::{self, Scope, Scopes};
use crate::entities::{api_token, board};
use crate::web::{extract::Ctx, form::FieldErrors};
use crate::webhooks::{Recent, status};
use chrono::{DateTime, Utc};
use maud::{Markup, html};

/// A token just created: its text is shown this once.
pub struct NewToken {
    pub name: String,
    pub token: String,
}

/// The token form as typed.
#[derive(Debug, Clone)]
pub struct TokenForm {
    pub name: String,
    pub lezen: bool,
    pub indienen: bool,
    pub days: String,
}

impl Default for TokenForm {
    fn default() -> Self {
        TokenForm { name: String::new(), lezen: true, indienen: false, days: api::DEFAULT_VALID_DAYS.to_string() }
    }
}

pub struct Page<'a> {
    pub board: &'a board::Model,
    pub tokens: &'a [api_token::Model],
    pub deliveries: &'a [Recent],
    pub new_token: Option<&'a NewToken>,
    pub token_form: &'a TokenForm,
    pub token_errors: &'a FieldErrors,
    pub webhook_input: &'a str,
    pub webhook_errors: &'a FieldErrors,
    /// `https://.../api/v1`, for the examples.
    pub api_base: String,
    pub now: DateTime<Utc>,
}

fn scopes_text(stored: &str) -> String {
    Scopes::parse(stored)
        .map(|s| s.iter().map(Scope::label).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|| stored.to_owned())
}

fn delivery_status(code: &str) -> Markup {
    let (class, label) = match code {
        status::SENT => ("badge ok", "Afgeleverd"),
        status::FAILED => ("badge danger", "Mislukt"),
        _ => ("badge warning", "Wacht op aflevering"),
    };
    html! { span class=(class) { (label) } }
}

pub fn page(ctx: &Ctx, p: &Page<'_>) -> Markup {
    super::layout::page(
        ctx,
        "Koppeling met uw eigen systeem",
        html! {
            h1 { "Koppeling met uw eigen systeem" }
            p.lead {
                "Houdt " (p.board.name) " het klachtenregister bij in een eigen systeem? Met een API-token leest dat systeem de status en uitkomst van uw zaken en dient het klaagschriften in; "
                "met een webhook krijgt het bericht bij elke statuswijziging."
            }
            p.small.muted {
                "De beschrijving van de API (OpenAPI 3.1) staat op "
                a href="/api/v1/openapi.json" { "/api/v1/openapi.json" } "."
            }
            (tokens_section(ctx, p))
            (webhook_section(ctx, p))
            (deliveries_section(ctx, p))
        },
    )
}

fn tokens_section(ctx: &Ctx, p: &Page<'_>) -> Markup {
    let f = p.token_form;
    html! {
        section.card #tokens aria-labelledby="h-tokens" {
            h2 #h-tokens { "API-tokens" }
            @if let Some(t) = p.new_token {
                div.flash.success role="status" {
                    p { strong { "Token “" (t.name) "” is aangemaakt." } " Kopieer het nu: het wordt niet opnieuw getoond en is niet op te vragen. Bewaar het zoals een wachtwoord." }
                    div.field {
                        label for="nieuw-token" { "Het token" }
                        textarea #nieuw-token readonly rows="4" { (t.token) }
                    }
                    p.small { "Zo vraagt u de zaken van uw bestuur op, bijvoorbeeld om het token te proberen:" }
                    pre.prewrap { "curl -H \"Authorization: Bearer " (t.token) "\" " (p.api_base) "/zaken" }
                }
            }
            @if p.tokens.is_empty() {
                p.muted { "Nog geen tokens." }
            } @else {
                div.table-wrap {
                    table.data {
                        caption.visually-hidden { "API-tokens van uw bestuur" }
                        thead { tr { th { "Naam" } th { "Mag" } th { "Aangemaakt" } th { "Geldig tot" } th { "Laatst gebruikt" } th { "Status" } th { span.visually-hidden { "Actie" } } } }
                        tbody {
                            @for t in p.tokens {
                                @let state = TokenState::of(t, p.now);
                                tr {
                                    td { (t.name) }
                                    td { (scopes_text(&t.scopes)) }
                                    td.nowrap { (datetime_nl(t.created_at)) }
                                    td.nowrap { (date_nl(t.expires_at.date_naive())) }
                                    td.nowrap { @if let Some(u) = t.last_used_at { (datetime_nl(u)) } @else { span.muted { "nooit" } } }
                                    td {
                                        @match state {
                                            TokenState::Active => span.badge.ok { (state.label()) },
                                            TokenState::Expired => span.badge.muted { (state.label()) },
                                            TokenState::Revoked => {
                                                span.badge.danger { (state.label()) }
                                                @if let Some(r) = t.revoked_at { " " span.small.muted { (datetime_nl(r)) } }
                                            },
                                        }
                                    }
                                    td {
                                        @if state == TokenState::Active {
                                            form.inline method="post" action=(format!("/koppeling/tokens/{}/intrekken", t.id)) {
                                                (csrf_field(&ctx.csrf))
                                                button.danger type="submit" aria-label=(format!("Token {} intrekken", t.name)) { "Intrekken" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Nieuw token" }
            (error_summary(p.token_errors))
            form.stack method="post" action="/koppeling/tokens" {
                (csrf_field(&ctx.csrf))
                div.field.invalid[p.token_errors.contains("naam")] {
                    label for="f-naam" { "Naam" }
                    p.hint #f-naam-hint { "Waarvoor het token is, bijvoorbeeld de naam van uw systeem." }
                    input #f-naam type="text" name="naam" maxlength="100" required value=(f.name) aria-describedby="f-naam-hint";
                    @if let Some(e) = p.token_errors.get("naam") { p.field-error { (e) } }
                }
                fieldset #f-bevoegdheden {
                    legend { "Wat mag het token?" }
                    @if let Some(e) = p.token_errors.get("bevoegdheden") { p.field-error { (e) } }
                    div.checkbox {
                        input #f-lezen type="checkbox" name="bevoegdheid" value=(Scope::Lezen.code()) checked[f.lezen];
                        label for="f-lezen" { "Zaken lezen (status, uitkomst, advies)" }
                    }
                    div.checkbox {
                        input #f-indienen type="checkbox" name="bevoegdheid" value=(Scope::Indienen.code()) checked[f.indienen];
                        label for="f-indienen" { "Klaagschriften indienen" }
                    }
                }
                div.field.invalid[p.token_errors.contains("dagen")] {
                    label for="f-dagen" { "Geldig (dagen)" }
                    p.hint #f-dagen-hint { "Ten hoogste " (api::MAX_VALID_DAYS) " dagen (twee jaar). Daarna maakt u een nieuw token." }
                    input #f-dagen type="number" name="dagen" min="1" max=(api::MAX_VALID_DAYS) value=(f.days) aria-describedby="f-dagen-hint";
                    @if let Some(e) = p.token_errors.get("dagen") { p.field-error { (e) } }
                }
                button type="submit" { "Token aanmaken" }
            }
        }
    }
}

fn webhook_section(ctx: &Ctx, p: &Page<'_>) -> Markup {
    let error = p.webhook_errors.get("url");
    html! {
        section.card #webhook aria-labelledby="h-webhook" {
            h2 #h-webhook { "Statusmeldingen (webhook)" }
            p {
                "Bij elke wijziging van de status of de uitkomst van een zaak van uw bestuur sturen wij een JSON-bericht (POST) naar dit adres. "
                "Antwoordt uw systeem niet binnen 10 seconden met een 2xx-status, dan proberen wij het later opnieuw (na 1, 2, 4, … minuten, ten hoogste 8 keer)."
            }
            form.stack method="post" action="/koppeling/webhook" {
                (csrf_field(&ctx.csrf))
                div.field.invalid[error.is_some()] {
                    label for="f-url" { "Adres van uw systeem" }
                    p.hint #f-url-hint { "Begint met https://. Alleen voor een systeem op deze server mag http://localhost." }
                    // The user's text that is no URL is kept to correct, in a text field (a URL field may not hold it).
                    input #f-url type=(if super::components::url_value_ok(p.webhook_input) { "url" } else { "text" }) inputmode="url" name="url" value=(p.webhook_input) aria-invalid=[error.map(|_| "true")]
                        aria-describedby=(if error.is_some() { "f-url-hint f-url-error" } else { "f-url-hint" });
                    @if let Some(e) = error { p.field-error #f-url-error role="alert" { (e) } }
                }
                button type="submit" { "Adres opslaan" }
            }
            @if p.board.webhook_url.is_some() {
                @if let Some(secret) = &p.board.webhook_secret {
                    h3 { "Geheim voor de ondertekening" }
                    p {
                        "Elk bericht draagt de kop " code { (api::SIGNATURE_HEADER) } " met de waarde "
                        code { "t=<tijd>,v1=<handtekening>" } ": de HMAC-SHA256, met dit geheim als sleutel, van de tijd, een punt en de inhoud van het bericht. "
                        "Controleer die voordat uw systeem het bericht vertrouwt, en weiger een tijd die meer dan vijf minuten afwijkt. "
                        "De kop " code { (api::DELIVERY_HEADER) } " is bij elke poging van hetzelfde bericht gelijk."
                    }
                    div.field {
                        label for="f-geheim" { "Geheim" }
                        input #f-geheim type="text" readonly value=(secret);
                    }
                    div.actions {
                        form.inline method="post" action="/koppeling/webhook/geheim" {
                            (csrf_field(&ctx.csrf))
                            button.secondary type="submit" { "Nieuw geheim (het oude vervalt)" }
                        }
                        form.inline method="post" action="/koppeling/webhook/verwijderen" {
                            (csrf_field(&ctx.csrf))
                            button.danger type="submit" { "Webhook verwijderen" }
                        }
                    }
                }
            } @else {
                p.muted { "Er is nog geen adres ingesteld: er worden geen statusmeldingen verstuurd." }
            }
        }
    }
}

fn deliveries_section(ctx: &Ctx, p: &Page<'_>) -> Markup {
    html! {
        section.card #meldingen aria-labelledby="h-meldingen" {
            h2 #h-meldingen { "Recente statusmeldingen" }
            @if p.deliveries.is_empty() {
                p.muted { "Nog geen meldingen verstuurd." }
            } @else {
                div.table-wrap {
                    table.data {
                        caption.visually-hidden { "De laatste statusmeldingen aan uw systeem" }
                        thead { tr { th { "Aangemaakt" } th { "Zaak" } th { "Status" } th.num { "Pogingen" } th { "Volgende poging" } th { "Laatste fout" } th { span.visually-hidden { "Actie" } } } }
                        tbody {
                            @for r in p.deliveries {
                                @let d = &r.delivery;
                                tr {
                                    td.nowrap { (datetime_nl(d.created_at)) }
                                    td.nowrap { @if let Some(z) = &r.zaaknummer { a href=(format!("/zaken/{z}")) { (z) } } }
                                    td { (delivery_status(&d.status)) }
                                    td.num { (d.attempts) }
                                    td.nowrap {
                                        @if d.status == status::WAITING { (datetime_nl(d.next_attempt_at)) }
                                        @else if let Some(t) = d.delivered_at { span.small.muted { "afgeleverd " (datetime_nl(t)) } }
                                    }
                                    td { @if let Some(e) = &d.last_error { (e) } }
                                    td {
                                        @if d.status == status::FAILED {
                                            form.inline method="post" action=(format!("/koppeling/meldingen/{}/opnieuw", d.id)) {
                                                (csrf_field(&ctx.csrf))
                                                button.secondary type="submit" { "Opnieuw versturen" }
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
}

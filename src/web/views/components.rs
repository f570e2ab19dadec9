//! Small reusable pieces of markup.

use crate::domain::case::{CaseStatus, Outcome};
use crate::web::form::FieldErrors;
use chrono::{DateTime, NaiveDate, Utc};
use maud::{Markup, Render, html};

pub const CSS_PATH: &str = "/static/app.css";

pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(crate::web::csrf::CSRF_FIELD) value=(token); }
}

/// `23 november 2026`
pub fn date_nl(d: NaiveDate) -> String {
    crate::domain::dutch::date(d)
}

/// `23 november 2026, 14:05` in Dutch local time.
pub fn datetime_nl(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&chrono_tz::Europe::Amsterdam);
    format!("{}, {}", date_nl(local.date_naive()), local.format("%H:%M"))
}

/// A case's status as a badge, with the outcome when it has one.
pub struct StatusBadge<'a> {
    pub status: &'a str,
    pub outcome: Option<&'a str>,
}

impl Render for StatusBadge<'_> {
    fn render(&self) -> Markup {
        let label = CaseStatus::parse(self.status).map_or(self.status, |s| s.label());
        let outcome = self.outcome.map(|o| Outcome::parse(o).map_or(o, |o| o.label()));
        html! {
            span class=(format!("badge status-{}", self.status)) { (label) }
            @if let Some(o) = outcome { " " span.badge.muted { (o) } }
        }
    }
}

pub fn human_size(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.0} kB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}

/// A list of form errors at the top of a form, linking to the fields.
pub fn error_summary(errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { "Controleer het formulier" }
                ul {
                    @for (field, msg) in errors.iter() {
                        li { a href=(format!("#f-{field}")) { (msg) } }
                    }
                }
            }
        }
    }
}

/// A labelled input that keeps the user's value and shows its error.
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub required: bool,
    pub hint: Option<&'a str>,
    pub errors: &'a FieldErrors,
}

/// A [`Field`] whose name is built at run time (e.g. per row of a table).
pub struct OwnedField<'a> {
    name: String,
    label: &'a str,
    kind: &'a str,
    value: &'a str,
    errors: &'a FieldErrors,
}

impl<'a> OwnedField<'a> {
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
}

impl Render for OwnedField<'_> {
    fn render(&self) -> Markup {
        Field {
            name: &self.name,
            label: self.label,
            kind: self.kind,
            value: self.value,
            required: false,
            hint: None,
            errors: self.errors,
        }
        .render()
    }
}

impl<'a> Field<'a> {
    pub fn new_owned(name: String, label: &'a str, value: &'a str, errors: &'a FieldErrors) -> OwnedField<'a> {
        OwnedField { name, label, kind: "text", value, errors }
    }

    pub fn new(name: &'a str, label: &'a str, value: &'a str, errors: &'a FieldErrors) -> Self {
        Self { name, label, kind: "text", value, required: false, hint: None, errors }
    }
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
}

impl Render for Field<'_> {
    fn render(&self) -> Markup {
        let id = format!("f-{}", self.name);
        let err = self.errors.get(self.name);
        let described = match (self.hint.is_some(), err.is_some()) {
            (true, true) => Some(format!("{id}-hint {id}-error")),
            (true, false) => Some(format!("{id}-hint")),
            (false, true) => Some(format!("{id}-error")),
            _ => None,
        };
        html! {
            div.field.invalid[err.is_some()] {
                label for=(id) { (self.label) @if self.required { " " span.muted { "(verplicht)" } } }
                @if let Some(h) = self.hint { p.hint id=(format!("{id}-hint")) { (h) } }
                @if self.kind == "textarea" {
                    textarea id=(id) name=(self.name) rows="5" required[self.required] aria-invalid=[err.map(|_| "true")] aria-describedby=[described.as_deref()] { (self.value) }
                } @else {
                    input id=(id) type=(self.kind) name=(self.name) value=(self.value) required[self.required] aria-invalid=[err.map(|_| "true")] aria-describedby=[described.as_deref()];
                }
                @if let Some(e) = err { p.field-error id=(format!("{id}-error")) { (e) } }
            }
        }
    }
}

/// A labelled select with its options as (value, label); keeps the selection and shows its error.
pub struct Select<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub options: Vec<(String, String)>,
    pub selected: &'a str,
    pub empty: Option<&'a str>,
    pub errors: &'a FieldErrors,
}

impl Render for Select<'_> {
    fn render(&self) -> Markup {
        let id = format!("f-{}", self.name);
        let err = self.errors.get(self.name);
        html! {
            div.field.invalid[err.is_some()] {
                label for=(id) { (self.label) }
                select id=(id) name=(self.name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-error"))] {
                    @if let Some(e) = self.empty { option value="" { (e) } }
                    @for (v, l) in &self.options {
                        option value=(v) selected[v == self.selected] { (l) }
                    }
                }
                @if let Some(e) = err { p.field-error id=(format!("{id}-error")) { (e) } }
            }
        }
    }
}

/// Page links for a paginated list; `href(page)` builds each link keeping the filters.
pub fn pagination(page: u64, pages: u64, href: impl Fn(u64) -> String) -> Markup {
    if pages <= 1 {
        return html! {};
    }
    let window: Vec<u64> = (1..=pages).filter(|p| *p == 1 || *p == pages || p.abs_diff(page) <= 2).collect();
    html! {
        nav.pagination aria-label="Paginering" {
            ul {
                li { @if page > 1 { a href=(href(page - 1)) rel="prev" { "‹ Vorige" } } @else { span.disabled { "‹ Vorige" } } }
                @for (i, p) in window.iter().enumerate() {
                    @if i > 0 && window[i - 1] + 1 != *p { li { span.disabled { "…" } } }
                    li { @if *p == page { span aria-current="page" { (p) } } @else { a href=(href(*p)) { (p) } } }
                }
                li { @if page < pages { a href=(href(page + 1)) rel="next" { "Volgende ›" } } @else { span.disabled { "Volgende ›" } } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_dates() {
        assert_eq!(date_nl(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()), "1 maart 2026");
        let t = DateTime::parse_from_rfc3339("2026-07-01T12:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(datetime_nl(t), "1 juli 2026, 14:00");
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(2048), "2 kB");
        assert_eq!(human_size(3 * 1024 * 1024 / 2), "1,5 MB");
    }

    #[test]
    fn user_text_is_escaped() {
        let errors = FieldErrors::default();
        let html = Field::new("naam", "Naam", "<script>alert(1)</script>", &errors).render().into_string();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
    }
}

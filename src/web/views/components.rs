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

/// `10.000`
pub fn count_nl(n: u64) -> String {
    crate::domain::dutch::count(n)
}

/// `23 november 2026, 14:05` in Dutch local time.
pub fn datetime_nl(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&chrono_tz::Europe::Amsterdam);
    format!("{}, {}", date_nl(local.date_naive()), local.format("%H:%M"))
}

/// A moment as the `datetime` attribute of `time`: whole seconds, UTC (HTML allows at most three
/// digits of a fraction, which the stored microseconds exceed).
pub fn datetime_attr(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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
    /// The element's id when not `f-{name}`: for a name used by several forms on one page.
    pub id: Option<String>,
}

/// A [`Field`] whose name is built at run time (e.g. per row of a table).
pub struct OwnedField<'a> {
    name: String,
    label: &'a str,
    kind: &'a str,
    value: &'a str,
    errors: &'a FieldErrors,
    id: Option<String>,
}

impl<'a> OwnedField<'a> {
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn id(mut self, id: String) -> Self {
        self.id = Some(id);
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
            id: self.id.clone(),
        }
        .render()
    }
}

impl<'a> Field<'a> {
    pub fn new_owned(name: String, label: &'a str, value: &'a str, errors: &'a FieldErrors) -> OwnedField<'a> {
        OwnedField { name, label, kind: "text", value, errors, id: None }
    }

    pub fn new(name: &'a str, label: &'a str, value: &'a str, errors: &'a FieldErrors) -> Self {
        Self { name, label, kind: "text", value, required: false, hint: None, errors, id: None }
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
    pub fn id(mut self, id: String) -> Self {
        self.id = Some(id);
        self
    }
}

/// Whether a URL field may hold `v` as its value: empty, or an absolute http(s) address
/// without spaces.
pub fn url_value_ok(v: &str) -> bool {
    let v = v.trim();
    v.is_empty()
        || ((v.starts_with("https://") || v.starts_with("http://")) && v.len() > 8 && !v.contains(char::is_whitespace))
}

/// The value of a date input: the user's text only when it is a date (`yyyy-mm-dd`); anything
/// else is not a valid value of the element (the browser would drop it anyway).
pub fn date_value(v: &str) -> &str {
    if NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() { v } else { "" }
}

impl Render for Field<'_> {
    fn render(&self) -> Markup {
        let id = self.id.clone().unwrap_or_else(|| format!("f-{}", self.name));
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
                } @else if self.kind == "file" {
                    // A file input has no value attribute.
                    input id=(id) type="file" name=(self.name) required[self.required] aria-invalid=[err.map(|_| "true")] aria-describedby=[described.as_deref()];
                } @else if self.kind == "url" && !url_value_ok(self.value) {
                    // The user's text, kept to correct, is not a URL: a URL field may not hold it.
                    input id=(id) type="text" inputmode="url" name=(self.name) value=(self.value) required[self.required] aria-invalid=[err.map(|_| "true")] aria-describedby=[described.as_deref()];
                } @else if (self.kind == "date" && date_value(self.value).is_empty() && !self.value.trim().is_empty())
                    || (self.kind == "number" && self.value.trim().parse::<f64>().is_err() && !self.value.trim().is_empty()) {
                    // The user's text, kept to correct, is no date or number: an input of that
                    // type may not hold it, so it is shown in a text input.
                    input id=(id) type="text" inputmode=[(self.kind == "number").then_some("numeric")] name=(self.name) value=(self.value) required[self.required] aria-invalid=[err.map(|_| "true")] aria-describedby=[described.as_deref()];
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
    fn values_an_input_of_the_kind_may_not_hold_go_into_a_text_input() {
        let errors = FieldErrors::default();
        let html = |kind, value| Field::new("x", "X", value, &errors).kind(kind).render().into_string();
        assert!(html("date", "2026-11-30").contains(r#"value="2026-11-30""#));
        assert!(html("date", "gisteren").contains(r#"type="text" name="x" value="gisteren""#));
        assert!(html("number", "veel").contains(r#"type="text" inputmode="numeric" name="x" value="veel""#));
        assert!(html("number", "7").contains(r#"type="number" name="x" value="7""#));
        assert!(html("date", "").contains(r#"type="date" name="x" value="""#));
        assert!(!html("file", "").contains("value="));
        assert!(html("url", "geen-adres").contains(r#"type="text" inputmode="url""#));
        assert!(html("url", "https://example.nl/hook").contains(r#"type="url""#));
        assert!(Field::new("x", "X", "", &errors).id("f-x-2".into()).render().into_string().contains(r#"for="f-x-2""#));
        assert_eq!(
            datetime_attr(DateTime::parse_from_rfc3339("2026-07-01T12:00:00.123456Z").unwrap().into()),
            "2026-07-01T12:00:00Z"
        );
    }

    #[test]
    fn user_text_is_escaped() {
        let errors = FieldErrors::default();
        let html = Field::new("naam", "Naam", "<script>alert(1)</script>", &errors).render().into_string();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
    }
}

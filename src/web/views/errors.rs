//! Error pages.

use axum::http::StatusCode;
use maud::{Markup, html};

pub fn page(status: StatusCode, title: &str, text: &str, detail: Option<&str>) -> Markup {
    super::layout::bare(
        title,
        None,
        html! {
            h1 { (title) }
            p.lead { (text) }
            @if let Some(d) = detail { p { (d) } }
            p { a href="/" { "Naar de startpagina" } " · " a href="/zaken" { "Naar het zakenregister" } }
            p.muted.small { "Foutcode " (status.as_u16()) }
        },
    )
}

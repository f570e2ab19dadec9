//! The annual report page (Art 9.4): per table of figures a bar chart as server-rendered SVG
//! (an image with a title; the table under it is its text alternative) and the table itself.

use crate::domain::annual_report::Report;
use crate::reports::{self, Section};
use crate::web::extract::Ctx;
use maud::{Markup, html};

/// What the report counts, under its title (also in the PDF).
pub const INTRO: &str = "Cijfers over de klachtzaken van de commissie (art. 9.4 van het reglement), zonder persoonsgegevens. \
De zaken worden niet naar soort klacht geregistreerd; het verslag telt daarom naar sector, uitkomst en behandeling.";

const BAR_AREA: u32 = 300;
/// The label column is at least this wide, and wider for long labels (about 7 px a character
/// at 13 px), so no label is clipped at the left edge.
const LABEL_WIDTH: u32 = 300;
const ROW_HEIGHT: u32 = 26;

/// A horizontal bar chart of the first value column, without the total row.
pub fn bar_chart(id: &str, s: &Section) -> Markup {
    let rows: Vec<(&str, usize)> = s
        .rows
        .iter()
        .filter(|r| r[0] != "Totaal")
        .map(|r| (r[0].as_str(), r.get(1).and_then(|v| v.parse().ok()).unwrap_or(0)))
        .collect();
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let longest = rows.iter().map(|(l, _)| l.chars().count() as u32).max().unwrap_or(0);
    let label_width = LABEL_WIDTH.max(longest * 7 + 16);
    let width = label_width + BAR_AREA + 40;
    let height = ROW_HEIGHT * rows.len() as u32 + 4;
    let title_id = format!("{id}-titel");
    html! {
        svg.chart role="img" aria-labelledby=(title_id) viewBox=(format!("0 0 {width} {height}"))
            width=(width) height=(height) xmlns="http://www.w3.org/2000/svg" {
            title id=(title_id) { "Staafdiagram: " (s.title) ". De cijfers staan in de tabel hieronder." }
            @for (i, (label, n)) in rows.iter().enumerate() {
                @let y = i as u32 * ROW_HEIGHT + 2;
                @let w = (*n as u32 * BAR_AREA) / max as u32;
                text x=(label_width - 8) y=(y + 17) text-anchor="end" font-size="13" fill="currentColor" { (label) }
                rect x=(label_width) y=(y + 3) width=(w) height=(ROW_HEIGHT - 8) fill="#2f5d8a" {}
                text x=(label_width + w + 6) y=(y + 17) font-size="13" fill="currentColor" { (n) }
            }
        }
    }
}

fn table(s: &Section) -> Markup {
    html! {
        div.table-wrap {
            table.data {
                caption.visually-hidden { (s.title) }
                thead { tr {
                    @for (i, c) in s.columns.iter().enumerate() {
                        @if i == 0 { th scope="col" { (c) } } @else { th.num scope="col" { (c) } }
                    }
                } }
                tbody {
                    @for row in &s.rows {
                        tr {
                            th scope="row" { (row[0]) }
                            @for v in row.iter().skip(1) {
                                td.num { @if v.is_empty() { "–" } @else { (v) } }
                            }
                        }
                    }
                }
            }
        }
        @if !s.note.is_empty() { p.muted { (s.note) } }
    }
}

pub fn page(ctx: &Ctx, year: i32, r: &Report) -> Markup {
    let title = format!("Jaarverslag {year}");
    super::layout::page(
        ctx,
        &title,
        html! {
            div.page-header {
                h1 { (title) }
                div.actions {
                    a.button.secondary href=(format!("/rapportage/jaarverslag.csv?jaar={year}")) { "Download CSV" }
                    " "
                    a.button.secondary href=(format!("/rapportage/jaarverslag.pdf?jaar={year}")) { "Download PDF" }
                }
            }
            p.lead { (reports::period_label(&r.period)) ". " (INTRO) }
            form.filter method="get" action="/rapportage/jaarverslag" {
                label for="jaar" { "Jaar" }
                " "
                input #jaar type="number" name="jaar" value=(year) min="1990" max="2200";
                " "
                button.secondary type="submit" { "Toon" }
            }
            nav aria-label="Andere jaren" {
                p {
                    a href=(format!("/rapportage/jaarverslag?jaar={}", year - 1)) { "Vorig jaar (" (year - 1) ")" }
                    " · "
                    a href=(format!("/rapportage/jaarverslag?jaar={}", year + 1)) { "Volgend jaar (" (year + 1) ")" }
                }
            }
            @for (i, s) in reports::sections(r).iter().enumerate() {
                @let id = format!("onderdeel-{i}");
                section.card aria-labelledby=(id) {
                    h2 id=(id) { (s.title) }
                    @if s.chart { (bar_chart(&format!("grafiek-{i}"), s)) }
                    (table(s))
                }
            }
        },
    )
}

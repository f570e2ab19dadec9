//! The annual report page (Art 9.4): per table of figures a bar chart as server-rendered SVG
//! (an image with a title; the table under it is its text alternative) and the table itself.

use crate::domain::annual_report::Report;
use crate::reports::{self, Section};
use crate::web::extract::Ctx;
use maud::{Markup, html};

/// What the report counts, under its title (also in the PDF).
pub const INTRO: &str = "Cijfers over de klachtzaken van de commissie (art. 9.4 van het reglement), zonder persoonsgegevens. \
Een zaak is afgehandeld op de dag dat het advies is verzonden of, als de zaak zonder advies eindigde, op de dag dat zij is afgesloten.";

const BAR_AREA: u32 = 300;
/// The label column is at least this wide, and wider for long labels (about 7 px a character
/// at 13 px), so no label is clipped at the left edge.
const LABEL_WIDTH: u32 = 300;
const ROW_HEIGHT: u32 = 26;
/// With more than one value column, each row has one thinner bar per column.
const BAR_HEIGHT: u32 = 14;
/// The colour of each value column's bars (the first is the single-column colour); both
/// contrast at least 3:1 with white.
const COLOURS: [&str; 2] = ["#2f5d8a", "#b35c00"];

/// A horizontal bar chart without the total row: one bar per row of the first value column, or,
/// for a table with two value columns (received and handled), two bars per row and a legend.
pub fn bar_chart(id: &str, s: &Section) -> Markup {
    let series = s.columns.len().saturating_sub(1).clamp(1, COLOURS.len());
    let rows: Vec<(&str, Vec<usize>)> = s
        .rows
        .iter()
        .filter(|r| r[0] != "Totaal")
        .map(|r| (r[0].as_str(), (1..=series).map(|c| r.get(c).and_then(|v| v.parse().ok()).unwrap_or(0)).collect()))
        .collect();
    let max = rows.iter().flat_map(|(_, n)| n.iter().copied()).max().unwrap_or(0).max(1);
    let longest = rows.iter().map(|(l, _)| l.chars().count() as u32).max().unwrap_or(0);
    let label_width = LABEL_WIDTH.max(longest * 7 + 16);
    let width = label_width + BAR_AREA + 40;
    let (row_height, legend) = if series == 1 { (ROW_HEIGHT, 0) } else { (BAR_HEIGHT * series as u32 + 10, 24) };
    let height = legend + row_height * rows.len() as u32 + 4;
    let title_id = format!("{id}-titel");
    html! {
        svg.chart role="img" aria-labelledby=(title_id) viewBox=(format!("0 0 {width} {height}"))
            width=(width) height=(height) xmlns="http://www.w3.org/2000/svg" {
            title id=(title_id) { "Staafdiagram: " (s.title) ". De cijfers staan in de tabel hieronder." }
            @if series > 1 {
                @for (c, column) in s.columns.iter().skip(1).take(series).enumerate() {
                    @let x = label_width + c as u32 * 130;
                    rect x=(x) y="4" width="12" height="12" fill=(COLOURS[c]) {}
                    text x=(x + 18) y="15" font-size="13" fill="currentColor" { (column) }
                }
            }
            @for (i, (label, counts)) in rows.iter().enumerate() {
                @let y = legend + i as u32 * row_height + 2;
                text x=(label_width - 8) y=(y + row_height / 2 + 4) text-anchor="end" font-size="13" fill="currentColor" { (label) }
                @for (c, n) in counts.iter().enumerate() {
                    @let w = (*n as u32 * BAR_AREA) / max as u32;
                    @let (bar_y, bar_h) = if series == 1 { (y + 3, ROW_HEIGHT - 8) } else { (y + 4 + c as u32 * BAR_HEIGHT, BAR_HEIGHT - 2) };
                    rect x=(label_width) y=(bar_y) width=(w) height=(bar_h) fill=(COLOURS[c]) {}
                    text x=(label_width + w + 6) y=(bar_y + bar_h / 2 + 5) font-size=(if series == 1 { "13" } else { "12" }) fill="currentColor" { (n) }
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn section(columns: &[&str], rows: &[&[&str]]) -> Section {
        Section {
            title: "Proef".into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: rows.iter().map(|r| r.iter().map(|v| (*v).to_owned()).collect()).collect(),
            chart: true,
            note: String::new(),
        }
    }

    #[test]
    fn one_bar_per_row_and_column_without_the_total() {
        let one = bar_chart("g", &section(&["Sector", "Aantal"], &[&["PO", "2"], &["VO", "0"], &["Totaal", "2"]]))
            .into_string();
        assert_eq!(one.matches("<rect").count(), 2, "{one}");
        assert!(!one.contains("Totaal") && !one.contains("Aantal"), "no total row, no legend: {one}");
        let two = bar_chart(
            "g",
            &section(
                &["Soort klacht", "Ontvangen", "Afgehandeld"],
                &[&["Bejegening", "3", "1"], &["Overig", "0", "2"], &["Totaal", "3", "3"]],
            ),
        )
        .into_string();
        // Two legend squares, then two bars per row, in both colours.
        assert_eq!(two.matches("<rect").count(), 2 + 4, "{two}");
        assert!(two.contains(">Ontvangen</text>") && two.contains(">Afgehandeld</text>"), "{two}");
        assert_eq!(two.matches(COLOURS[1]).count(), 3, "{two}");
        assert!(!two.contains(">Totaal<"), "{two}");
    }
}

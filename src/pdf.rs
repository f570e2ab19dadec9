//! Letters as PDF: the typst template `fixtures/letter.typ` laid out with the embedded
//! Libertinus Serif fonts (SIL OFL, `fixtures/fonts/OFL.txt`). All values reach typst as
//! strings in `sys.inputs`, never as markup, so nothing a user typed can change the layout.

use std::sync::OnceLock;
use typst::foundations::{Array, Dict, IntoValue, Str, Value};
use typst_as_lib::TypstEngine;
use typst_as_lib::TypstTemplateMainFile;

const TEMPLATE: &str = include_str!("../fixtures/letter.typ");
const FONTS: [&[u8]; 3] = [
    include_bytes!("../fixtures/fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../fixtures/fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../fixtures/fonts/LibertinusSerif-Italic.otf"),
];

/// The commission's letterhead: its name and the lines beside it (address, e-mail, phone).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Letterhead {
    pub name: String,
    pub lines: Vec<String>,
}

/// One letter as it is laid out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LetterLayout {
    pub head: Letterhead,
    /// Name first, then the address lines.
    pub recipient: Vec<String>,
    pub kenmerk: String,
    /// Place and date as printed: "Utrecht, 23 november 2026".
    pub date: String,
    pub subject: String,
    pub paragraphs: Vec<Vec<String>>,
    pub sign_name: String,
    pub sign_role: String,
}

#[derive(Debug, thiserror::Error)]
#[error("PDF kon niet worden gemaakt: {0}")]
pub struct PdfError(String);

fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(TEMPLATE).fonts(FONTS).build())
}

fn strings(items: &[String]) -> Value {
    items.iter().map(|s| Str::from(s.as_str()).into_value()).collect::<Array>().into_value()
}

fn dict(pairs: Vec<(&str, Value)>) -> Value {
    pairs.into_iter().map(|(k, v)| (Str::from(k), v)).collect::<Dict>().into_value()
}

fn text(s: &str) -> Value {
    Str::from(s).into_value()
}

fn letter_value(l: &LetterLayout) -> Value {
    dict(vec![
        ("head", dict(vec![("name", text(&l.head.name)), ("lines", strings(&l.head.lines))])),
        ("recipient", strings(&l.recipient)),
        ("kenmerk", text(&l.kenmerk)),
        ("date", text(&l.date)),
        ("subject", text(&l.subject)),
        ("paragraphs", l.paragraphs.iter().map(|p| strings(p)).collect::<Array>().into_value()),
        ("sign_name", text(&l.sign_name)),
        ("sign_role", text(&l.sign_role)),
    ])
}

const ADVIES_TEMPLATE: &str = include_str!("../fixtures/advies.typ");

/// An advies as it is laid out (Art 25.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviesLayout {
    pub head: Letterhead,
    pub title: String,
    pub zaaknummer: String,
    /// Place and date: "Utrecht, 23 november 2026".
    pub date: String,
    /// For a correction: what it corrects; otherwise empty.
    pub note: String,
    /// Heading and paragraphs of each section.
    pub sections: Vec<(String, Vec<Vec<String>>)>,
    /// Name and role of each signer.
    pub signers: Vec<(String, String)>,
    pub code: String,
    pub verify_url: String,
}

fn advies_engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(ADVIES_TEMPLATE).fonts(FONTS).build())
}

/// Lays out an advies as a PDF. CPU-bound: call it from blocking code.
pub fn render_advies(a: &AdviesLayout) -> Result<Vec<u8>, PdfError> {
    let value = dict(vec![
        ("head", dict(vec![("name", text(&a.head.name)), ("lines", strings(&a.head.lines))])),
        ("title", text(&a.title)),
        ("zaaknummer", text(&a.zaaknummer)),
        ("date", text(&a.date)),
        ("note", text(&a.note)),
        (
            "sections",
            a.sections
                .iter()
                .map(|(h, ps)| {
                    dict(vec![
                        ("heading", text(h)),
                        ("paragraphs", ps.iter().map(|p| strings(p)).collect::<Array>().into_value()),
                    ])
                })
                .collect::<Array>()
                .into_value(),
        ),
        (
            "signers",
            a.signers
                .iter()
                .map(|(n, r)| dict(vec![("name", text(n)), ("role", text(r))]))
                .collect::<Array>()
                .into_value(),
        ),
        ("code", text(&a.code)),
        ("verify_url", text(&a.verify_url)),
    ]);
    let inputs: Dict = [(Str::from("advies"), value)].into_iter().collect();
    let doc: typst_layout::PagedDocument =
        advies_engine().compile_with_input(inputs).output.map_err(|e| PdfError(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError(format!("{e:?}")))
}

const REPORT_TEMPLATE: &str = include_str!("../fixtures/jaarverslag.typ");

/// The annual report as it is laid out (Art 9.4): tables of figures, no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLayout {
    pub head: Letterhead,
    pub title: String,
    /// The period as printed: "1 januari 2026 t/m 31 december 2026".
    pub period: String,
    pub intro: String,
    pub sections: Vec<crate::reports::Section>,
}

fn report_engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(REPORT_TEMPLATE).fonts(FONTS).build())
}

/// Lays out the annual report as a PDF. CPU-bound: call it from blocking code.
pub fn render_report(r: &ReportLayout) -> Result<Vec<u8>, PdfError> {
    let sections = r
        .sections
        .iter()
        .map(|s| {
            dict(vec![
                ("title", text(&s.title)),
                ("columns", strings(&s.columns)),
                ("rows", s.rows.iter().map(|row| strings(row)).collect::<Array>().into_value()),
                ("note", text(&s.note)),
            ])
        })
        .collect::<Array>()
        .into_value();
    let value = dict(vec![
        ("head", dict(vec![("name", text(&r.head.name)), ("lines", strings(&r.head.lines))])),
        ("title", text(&r.title)),
        ("period", text(&r.period)),
        ("intro", text(&r.intro)),
        ("sections", sections),
    ]);
    let inputs: Dict = [(Str::from("report"), value)].into_iter().collect();
    let doc: typst_layout::PagedDocument =
        report_engine().compile_with_input(inputs).output.map_err(|e| PdfError(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError(format!("{e:?}")))
}

const DOSSIER_INDEX_TEMPLATE: &str = include_str!("../fixtures/dossier_index.typ");

/// The index of an exported dossier (issue 9, `crate::cases::dossier`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierIndexLayout {
    pub head: Letterhead,
    pub title: String,
    /// Label and value: zaaknummer, school, purpose, when, by whom, ...
    pub facts: Vec<(String, String)>,
    /// Boxed remarks under the facts (what was withheld, and why).
    pub notes: Vec<String>,
    pub rows: Vec<DossierIndexRow>,
    /// Shown instead of the table when there are no rows.
    pub empty: String,
}

/// One file of the dossier, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierIndexRow {
    pub number: String,
    pub date: String,
    pub direction: String,
    pub title: String,
    pub file: String,
    pub size: String,
    pub sha256: String,
}

fn dossier_index_engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(DOSSIER_INDEX_TEMPLATE).fonts(FONTS).build())
}

/// Lays out a dossier's index as a PDF. CPU-bound: call it from blocking code.
pub fn render_dossier_index(d: &DossierIndexLayout) -> Result<Vec<u8>, PdfError> {
    let row = |r: &DossierIndexRow| {
        dict(vec![
            ("number", text(&r.number)),
            ("date", text(&r.date)),
            ("direction", text(&r.direction)),
            ("title", text(&r.title)),
            ("file", text(&r.file)),
            ("size", text(&r.size)),
            ("sha256", text(&r.sha256)),
        ])
    };
    let value = dict(vec![
        ("head", dict(vec![("name", text(&d.head.name)), ("lines", strings(&d.head.lines))])),
        ("title", text(&d.title)),
        ("facts", d.facts.iter().map(|(k, v)| strings(&[k.clone(), v.clone()])).collect::<Array>().into_value()),
        ("notes", strings(&d.notes)),
        ("rows", d.rows.iter().map(row).collect::<Array>().into_value()),
        ("empty", text(&d.empty)),
    ]);
    let inputs: Dict = [(Str::from("dossier"), value)].into_iter().collect();
    let doc: typst_layout::PagedDocument =
        dossier_index_engine().compile_with_input(inputs).output.map_err(|e| PdfError(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError(format!("{e:?}")))
}

/// Lays out one or more letters as one PDF, each letter numbering its own pages. CPU-bound
/// (milliseconds per letter in a release build): call it from blocking code.
pub fn render(letters: &[LetterLayout]) -> Result<Vec<u8>, PdfError> {
    if letters.is_empty() {
        return Err(PdfError("geen brieven".into()));
    }
    let inputs: Dict = [(Str::from("letters"), letters.iter().map(letter_value).collect::<Array>().into_value())]
        .into_iter()
        .collect();
    let doc: typst_layout::PagedDocument =
        engine().compile_with_input(inputs).output.map_err(|e| PdfError(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(subject: &str, paragraphs: usize) -> LetterLayout {
        LetterLayout {
            head: Letterhead {
                name: "Klachtencommissie Onderwijs".into(),
                lines: vec!["Postbus 1".into(), "1234 AB Utrecht".into()],
            },
            recipient: vec!["J. de Vries".into(), "Dorpsstraat 1".into(), "1234 AB Ergens".into()],
            kenmerk: "2026-0001".into(),
            date: "Utrecht, 23 november 2026".into(),
            subject: subject.into(),
            paragraphs: (0..paragraphs).map(|i| vec![format!("Alinea {i}: {}", "tekst ".repeat(40))]).collect(),
            sign_name: "M. Bakker".into(),
            sign_role: "secretaris".into(),
        }
    }

    #[test]
    fn renders_a_pdf_and_treats_markup_as_text() {
        let mut l = sample("#set page(width: 1cm) *vet* $x$ <label> @ref", 2);
        l.recipient[0] = "]] #panic(\"weg\") [[".into();
        let pdf = render(&[l]).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    }

    #[test]
    fn an_advies_renders_with_its_sections_and_code() {
        let a = AdviesLayout {
            head: Letterhead { name: "Klachtencommissie".into(), lines: vec!["Postbus 1".into()] },
            title: "Advies".into(),
            zaaknummer: "2026-0001".into(),
            date: "Utrecht, 23 november 2026".into(),
            note: String::new(),
            sections: vec![("A. Partijen".into(), vec![vec!["#panic(\"nee\") *x*".into()]])],
            signers: vec![("mr. A".into(), "voorzitter".into()), ("B".into(), "secretaris".into())],
            code: "KC-ABCD-EFGH".into(),
            verify_url: "https://example.nl/verifieer".into(),
        };
        let pdf = render_advies(&a).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn the_annual_report_renders() {
        let report =
            crate::domain::annual_report::compute(crate::domain::annual_report::Period::year(2026).unwrap(), &[]);
        let r = ReportLayout {
            head: Letterhead { name: "Klachtencommissie".into(), lines: vec!["Postbus 1".into()] },
            title: "Jaarverslag 2026 #panic(\"nee\")".into(),
            period: "1 januari 2026 t/m 31 december 2026".into(),
            intro: "*x*".into(),
            sections: crate::reports::sections(&report),
        };
        assert!(render_report(&r).unwrap().starts_with(b"%PDF-"));
    }

    #[test]
    fn no_letters_is_an_error() {
        assert!(render(&[]).is_err());
    }
}

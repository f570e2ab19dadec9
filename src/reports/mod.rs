//! The annual report (Art 9.4): the plain facts per case for [`crate::domain::annual_report`],
//! read in a fixed number of queries whatever the number of cases. Only dates, codes and
//! statuses are read: no party, member or school name leaves this module.

use crate::domain::annual_report::{self, CaseFacts, Handling, Period, RecusalFact, RecusalOutcome, Report, TermFact};
use crate::domain::case::{ComplaintKind, Outcome, Sector};
use crate::domain::deadline::{DeadlineKind, Status};
use crate::entities::{advies, audit_entry, case, deadline, hearing, recusal, school};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// A moment as the Dutch calendar day it fell on.
fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// The facts of every case received up to the end of `period` (seven queries).
pub async fn facts(db: &impl ConnectionTrait, period: Period) -> Result<Vec<CaseFacts>, DbErr> {
    let cases = case::Entity::find().filter(case::Column::ReceivedOn.lte(period.to)).all(db).await?;
    let sectors: HashMap<i32, Option<Sector>> =
        school::Entity::find().all(db).await?.into_iter().map(|s| (s.id, Sector::parse(&s.sector))).collect();
    let mut first_hearing: HashMap<i32, NaiveDate> = HashMap::new();
    for h in hearing::Entity::find()
        .filter(hearing::Column::Kind.eq("hoorzitting"))
        .filter(hearing::Column::Status.eq("gehouden"))
        .all(db)
        .await?
    {
        let day = local_day(h.starts_at);
        first_hearing.entry(h.case_id).and_modify(|d| *d = (*d).min(day)).or_insert(day);
    }
    let mut advies_sent: HashMap<i32, NaiveDate> = HashMap::new();
    for a in advies::Entity::find().filter(advies::Column::Status.eq("verzonden")).all(db).await? {
        let Some(sent) = a.sent_at else { continue };
        let day = local_day(sent);
        advies_sent.entry(a.case_id).and_modify(|d| *d = (*d).min(day)).or_insert(day);
    }
    let mut hearing_terms: HashMap<i32, Vec<TermFact>> = HashMap::new();
    let mut advies_terms: HashMap<i32, Vec<TermFact>> = HashMap::new();
    for t in deadline::Entity::find()
        .filter(deadline::Column::Kind.is_in([DeadlineKind::Hoorzitting.code(), DeadlineKind::Advies.code()]))
        .all(db)
        .await?
    {
        let Some(status) = Status::parse(&t.status) else { continue };
        let fact = TermFact { status, extended: t.extension_term.is_some(), closed_on: t.closed_on };
        let into = if t.kind == DeadlineKind::Hoorzitting.code() { &mut hearing_terms } else { &mut advies_terms };
        into.entry(t.case_id).or_default().push(fact);
    }
    let mut recusals: HashMap<i32, Vec<RecusalFact>> = HashMap::new();
    for r in recusal::Entity::find().all(db).await? {
        let Some(outcome) = RecusalOutcome::parse(&r.status) else { continue };
        recusals.entry(r.case_id).or_default().push(RecusalFact {
            received_on: r.received_on,
            verschoning: r.kind == "verschoning",
            outcome,
        });
    }
    let simplified: HashSet<i32> = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("zaak.vereenvoudigd"))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.case_id)
        .collect();

    Ok(cases
        .into_iter()
        .map(|c| {
            let first_hearing_on = first_hearing.get(&c.id).copied();
            let advies_sent_on = advies_sent.get(&c.id).copied();
            // Handled: once the advies is sent, or on the day the case was closed otherwise
            // (`closed_on`, set whenever a case becomes `afgesloten`).
            let closed_on = annual_report::handled_on(advies_sent_on, c.closed_on);
            let handling = closed_on.map(|_| {
                if simplified.contains(&c.id) {
                    Handling::Vereenvoudigd
                } else if first_hearing_on.is_some() {
                    Handling::Zitting
                } else if advies_sent_on.is_some() {
                    Handling::Schriftelijk
                } else {
                    Handling::Anders
                }
            });
            CaseFacts {
                received_on: c.received_on,
                closed_on,
                sector: sectors.get(&c.school_id).copied().flatten(),
                kind: c.complaint_kind.as_deref().and_then(ComplaintKind::parse),
                outcome: c.outcome.as_deref().and_then(Outcome::parse),
                handling,
                first_hearing_on,
                advies_sent_on,
                hearing_terms: hearing_terms.remove(&c.id).unwrap_or_default(),
                advies_terms: advies_terms.remove(&c.id).unwrap_or_default(),
                recusals: recusals.remove(&c.id).unwrap_or_default(),
            }
        })
        .collect())
}

/// The report over `period`.
pub async fn report(db: &impl ConnectionTrait, period: Period) -> Result<Report, DbErr> {
    Ok(annual_report::compute(period, &facts(db, period).await?))
}

/// One table of the report as every format shows it: the page, the CSV and the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    /// The heading of the label column, then of each value column.
    pub columns: Vec<String>,
    /// A label, then one value per value column (empty where there is none).
    pub rows: Vec<Vec<String>>,
    /// Whether the first value column is a count worth a bar chart.
    pub chart: bool,
    /// A line under the table (what is counted), or empty.
    pub note: String,
}

fn count_section<T: Copy + PartialEq>(
    title: &str,
    column: &str,
    tally: &annual_report::Tally<T>,
    label: fn(T) -> &'static str,
    unknown: &str,
    note: &str,
) -> Section {
    let mut rows: Vec<Vec<String>> =
        tally.rows.iter().map(|(v, n)| vec![label(*v).to_owned(), n.to_string()]).collect();
    if tally.unknown > 0 {
        rows.push(vec![unknown.to_owned(), tally.unknown.to_string()]);
    }
    rows.push(vec!["Totaal".to_owned(), tally.total().to_string()]);
    Section {
        title: title.to_owned(),
        columns: vec![column.to_owned(), "Aantal".to_owned()],
        rows,
        chart: true,
        note: note.to_owned(),
    }
}

fn term_section(title: &str, t: &annual_report::TermCounts, note: &str) -> Section {
    let rows = [
        ("Binnen de termijn", t.met),
        ("Binnen de verlengde termijn", t.met_extended),
        ("Na de termijn", t.missed),
        ("Na de verlengde termijn", t.missed_extended),
    ];
    let mut rows: Vec<Vec<String>> = rows.iter().map(|(l, n)| vec![(*l).to_owned(), n.to_string()]).collect();
    rows.push(vec!["Totaal".to_owned(), t.total().to_string()]);
    Section {
        title: title.to_owned(),
        columns: vec!["Termijn".to_owned(), "Aantal".to_owned()],
        rows,
        chart: true,
        note: note.to_owned(),
    }
}

/// The row of the cases whose kind of complaint was not recorded.
pub const KIND_UNKNOWN: &str = "Niet vastgelegd";

/// Received and handled cases per kind of complaint, the cases without one on their own row.
fn kind_section(r: &Report) -> Section {
    let (received, closed) = (&r.received_by_kind, &r.closed_by_kind);
    let rows = ComplaintKind::ALL
        .iter()
        .map(|k| vec![k.label().to_owned(), received.get(*k).to_string(), closed.get(*k).to_string()])
        .chain([
            vec![KIND_UNKNOWN.to_owned(), received.unknown.to_string(), closed.unknown.to_string()],
            vec!["Totaal".to_owned(), received.total().to_string(), closed.total().to_string()],
        ])
        .collect();
    Section {
        title: "Klachten naar soort".into(),
        columns: vec!["Soort klacht".into(), "Ontvangen".into(), "Afgehandeld".into()],
        rows,
        chart: true,
        note: "De soort klacht legt het secretariaat vast bij de registratie of op de zaak; \
               \u{2018}Niet vastgelegd\u{2019} telt de zaken zonder soort."
            .into(),
    }
}

/// The tables of the report, in the order they are shown.
pub fn sections(r: &Report) -> Vec<Section> {
    use annual_report::{Step, format_days};
    let durations = Section {
        title: "Doorlooptijden in dagen".into(),
        columns: vec!["Stap".into(), "Zaken".into(), "Mediaan".into(), "Langste".into()],
        rows: r
            .durations
            .iter()
            .map(|(s, d): &(Step, annual_report::Durations)| {
                vec![
                    s.label().to_owned(),
                    d.cases.to_string(),
                    d.median.map(format_days).unwrap_or_default(),
                    d.longest.map(|l| l.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        chart: false,
        note: "Kalenderdagen, over de zaken die de stap in de periode afrondden.".into(),
    };
    let recusal_rows = RecusalOutcome::ALL
        .iter()
        .map(|o| {
            vec![
                o.label().to_owned(),
                r.recusals.wraking.get(*o).to_string(),
                r.recusals.verschoning.get(*o).to_string(),
            ]
        })
        .chain(std::iter::once(vec![
            "Totaal".to_owned(),
            r.recusals.wraking.total().to_string(),
            r.recusals.verschoning.total().to_string(),
        ]))
        .collect();
    vec![
        count_section("Ontvangen klachten per sector", "Sector", &r.received, Sector::label, "Onbekend", ""),
        count_section(
            "Afgehandelde klachten per sector",
            "Sector",
            &r.closed,
            Sector::label,
            "Onbekend",
            "Afgehandeld: op de dag dat het advies is verzonden, of, zonder advies, op de dag dat de zaak is afgesloten.",
        ),
        kind_section(r),
        count_section(
            "Afgehandelde klachten naar uitkomst",
            "Uitkomst",
            &r.outcomes,
            Outcome::label,
            "Zonder uitkomst",
            "",
        ),
        count_section(
            "Afgehandelde klachten naar wijze van behandeling",
            "Behandeling",
            &r.handling,
            Handling::label,
            "Onbekend",
            "",
        ),
        term_section(
            "Hoorzitting binnen twee maanden na ontvangst (art. 18)",
            &r.hearing_term,
            "De termijnen die in de periode zijn afgesloten.",
        ),
        term_section(
            "Advies binnen vier weken na sluiting van het onderzoek (art. 25.1)",
            &r.advies_term,
            "De termijnen die in de periode zijn afgesloten.",
        ),
        durations,
        Section {
            title: "Verzoeken om wraking en verschoning (art. 19)".into(),
            columns: vec!["Beslissing".into(), "Wraking".into(), "Verschoning".into()],
            rows: recusal_rows,
            chart: false,
            note: "De verzoeken die in de periode zijn ontvangen.".into(),
        },
    ]
}

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// The report as CSV the way Dutch Excel opens it: UTF-8 with a byte order mark, semicolons,
/// CRLF line ends, a header row, one figure per line.
pub fn csv(r: &Report) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |fields: &[&str]| {
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    };
    line(&["Onderdeel", "Omschrijving", "Kolom", "Waarde"]);
    for s in sections(r) {
        for row in &s.rows {
            for (col, value) in s.columns.iter().skip(1).zip(row.iter().skip(1)) {
                line(&[&s.title, &row[0], col, value]);
            }
        }
    }
    out
}

/// The period as Dutch text: "1 januari 2026 t/m 31 december 2026".
pub fn period_label(p: &Period) -> String {
    format!("{} t/m {}", crate::domain::dutch::date(p.from), crate::domain::dutch::date(p.to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annual_report::compute;

    #[test]
    fn csv_has_a_bom_a_header_and_quotes_what_needs_it() {
        let r = compute(Period::year(2026).unwrap(), &[]);
        let text = csv(&r);
        assert!(text.starts_with("\u{feff}Onderdeel;Omschrijving;Kolom;Waarde\r\n"));
        assert!(text.contains("Ontvangen klachten per sector;Primair onderwijs;Aantal;0\r\n"));
        assert!(text.contains("Doorlooptijden in dagen;Ontvangst tot afhandeling;Mediaan;\r\n"));
        assert!(text.contains("Klachten naar soort;Bejegening;Ontvangen;0\r\n"));
        assert!(text.contains("Klachten naar soort;Niet vastgelegd;Afgehandeld;0\r\n"));
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn every_row_has_a_value_per_column() {
        let r = compute(Period::year(2026).unwrap(), &[]);
        for s in sections(&r) {
            for row in &s.rows {
                assert_eq!(row.len(), s.columns.len(), "{}", s.title);
            }
        }
    }
}

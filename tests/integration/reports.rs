//! The annual report (Art 9.4) against a fixture with known numbers: six cases of a board of
//! its own in 2030-2031, inserted directly next to the demo data (which lies in other years).
//! The page, the CSV and the PDF must carry exactly the figures worked out by hand below, and
//! no name of a party, school, board or member.

use crate::common::{Backend, TestApp, member_id_of};
use chrono::{NaiveDate, TimeZone, Utc};
use klachtencommissie::audit::{Actor, WriteTx};
use klachtencommissie::entities::{advies, board, case, deadline, hearing, party, recusal, school};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
}

const NAMES: &[&str] =
    &["Jantje Geheimnaam", "Meester Verborgen", "Stichting Fixturebestuur", "De Geheime Eik", "Verborgen Linde"];

/// What a fixture case records about itself beyond its status: its kind of complaint, the day
/// it was closed, and the day of its last change (which the report must not read).
struct Facts {
    kind: Option<&'static str>,
    closed_on: Option<NaiveDate>,
    updated_on: NaiveDate,
}

async fn new_case(
    db: &DatabaseConnection,
    nr: &str,
    school: &school::Model,
    received_on: NaiveDate,
    status: &str,
    outcome: Option<&str>,
    facts: Facts,
) -> case::Model {
    let c = case::ActiveModel {
        zaaknummer: Set(nr.into()),
        year: Set(received_on.format("%Y").to_string().parse().unwrap()),
        received_on: Set(received_on),
        school_id: Set(school.id),
        board_id: Set(school.board_id),
        status: Set(status.into()),
        outcome: Set(outcome.map(Into::into)),
        subject: Set("Klacht over Meester Verborgen".into()),
        facts_date: Set(None),
        arrival: Set("post".into()),
        created_at: Set(at(received_on)),
        updated_at: Set(at(facts.updated_on)),
        urgent: Set(false),
        checklist: Set("1111111".into()),
        needs_translation: Set(false),
        awaiting_signature: Set(false),
        signed_by: Set("klager".into()),
        forwarded_by: Set(None),
        forwarded_received_on: Set(None),
        late_decision: Set(None),
        late_reason: Set(None),
        written_consent: Set("000".into()),
        dupliek_term: Set(None),
        announced_state: Set(None),
        complaint_kind: Set(facts.kind.map(Into::into)),
        closed_on: Set(facts.closed_on),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for (role, name) in [("klager", "Jantje Geheimnaam"), ("aangeklaagde", "Meester Verborgen")] {
        party::ActiveModel {
            case_id: Set(c.id),
            role: Set(role.into()),
            name: Set(name.into()),
            minor: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    c
}

async fn term(db: &DatabaseConnection, c: &case::Model, kind: &str, status: &str, extended: bool, closed: NaiveDate) {
    deadline::ActiveModel {
        case_id: Set(c.id),
        kind: Set(kind.into()),
        event_on: Set(c.received_on),
        term: Set(if kind == "advies" { "4w" } else { "2m" }.into()),
        backward: Set(false),
        skip_school_holidays: Set(true),
        urgent: Set(false),
        extension_term: Set(extended.then(|| "4w".to_owned())),
        suspended_on: Set(None),
        resumed_on: Set(None),
        due_on: Set(Some(closed)),
        explanation: Set(String::new()),
        status: Set(status.into()),
        closed_on: Set(Some(closed)),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
        created_at: Set(at(c.received_on)),
        updated_at: Set(at(closed)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn held_hearing(db: &DatabaseConnection, c: &case::Model, on: NaiveDate) {
    hearing::ActiveModel {
        case_id: Set(c.id),
        kind: Set("hoorzitting".into()),
        purpose: Set(None),
        starts_at: Set(at(on)),
        ends_at: Set(at(on) + chrono::Duration::hours(2)),
        place: Set("Zaal".into()),
        status: Set("gehouden".into()),
        uid: Set(format!("fixture-{}", c.id)),
        sequence: Set(0),
        separately: Set(false),
        separately_reason: Set(None),
        invited_at: Set(None),
        cancel_reason: Set(None),
        minutes: Set(String::new()),
        minutes_final_at: Set(None),
        minutes_document_id: Set(None),
        settled: Set(None),
        created_at: Set(at(on)),
        updated_at: Set(at(on)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn sent_advies(db: &DatabaseConnection, c: &case::Model, on: NaiveDate) {
    advies::ActiveModel {
        case_id: Set(c.id),
        board_id: Set(Some(c.board_id)),
        version: Set(1),
        status: Set("verzonden".into()),
        corrects_id: Set(None),
        correction_note: Set(None),
        advies_date: Set(on),
        section_a: Set("Jantje Geheimnaam".into()),
        section_b: Set(String::new()),
        section_c: Set(String::new()),
        section_d: Set(String::new()),
        outcome: Set(c.outcome.clone()),
        revision: Set(1),
        verification_code: Set(None),
        pdf_document_id: Set(None),
        pdf_sha256: Set(None),
        finalized_at: Set(Some(at(on))),
        sent_at: Set(Some(at(on))),
        created_at: Set(at(on)),
        updated_at: Set(at(on)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn request(db: &DatabaseConnection, c: &case::Model, member: i32, kind: &str, on: NaiveDate, status: &str) {
    recusal::ActiveModel {
        case_id: Set(c.id),
        member_id: Set(member),
        kind: Set(kind.into()),
        requested_by: Set("klager".into()),
        grounds: Set("Jantje Geheimnaam vindt het lid partijdig".into()),
        received_on: Set(on),
        status: Set(status.into()),
        created_at: Set(at(on)),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// The fixture; the figures it gives for 2031 are in `EXPECTED`.
///
/// | case | received   | sector | handled    | outcome           | kind        | handling      |
/// |------|------------|--------|------------|-------------------|-------------|---------------|
/// | A    | 2031-01-10 | PO     | 2031-03-12 | gegrond           | bejegening  | hoorzitting 2031-02-20, advies 2031-03-12; closed 2031-06-01 |
/// | B    | 2031-02-01 | VO     | 2031-04-02 | ongegrond         | bejegening  | schriftelijk, advies 2031-04-02; not closed |
/// | C    | 2031-03-01 | PO     | 2031-03-15 | niet-ontvankelijk | –           | vereenvoudigd (art. 16); closed 2031-03-15, changed 2031-05-10 |
/// | D    | 2031-05-01 | VO     | open       |                   | pesten      | |
/// | E    | 2030-12-15 | PO     | 2031-01-05 | ingetrokken       | organisatie | anders; closed 2031-01-05, changed 2031-02-20 |
/// | F    | 2031-12-20 | VO     | open       |                   | –           | |
/// | G    | 2030-11-01 | VO     | 2030-12-20 | ingetrokken       | overig      | anders; closed 2030-12-20, changed 2031-02-01 |
///
/// Handled without an advies means closed (`closed_on`): the later changes of C, E and G (say,
/// their kind of complaint recorded) move nothing, and G, closed in 2030, is not counted in 2031.
///
/// Terms: A hearing met, A advies met after an extension, B advies missed, D hearing missed
/// after an extension. Requests: A wraking refused, D verschoning granted, D wraking open.
/// Durations: to the hearing A 41; hearing to advies A 20; to the advies A 61, B 60 (median
/// 60,5); to closing A 61, B 60, C 14, E 21 (median (21 + 60) / 2 = 40,5).
async fn fixture(db: &DatabaseConnection) {
    let b = board::ActiveModel {
        name: Set("Stichting Fixturebestuur".into()),
        address: Set("Postbus 9".into()),
        email: Set(None),
        affiliated_on: Set(d(2020, 1, 1)),
        terminated_on: Set(None),
        procedure: Set("alfrink".into()),
        webhook_url: Set(None),
        webhook_secret: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let school = |name: &str, sector: &str| school::ActiveModel {
        board_id: Set(b.id),
        name: Set(name.into()),
        brin: Set(None),
        address: Set("Straat 1".into()),
        place: Set("Utrecht".into()),
        region: Set("midden".into()),
        sector: Set(sector.into()),
        contact_name: Set(None),
        contact_email: Set(None),
        ..Default::default()
    };
    let po = school("Basisschool De Geheime Eik", "PO").insert(db).await.unwrap();
    let vo = school("Lyceum Verborgen Linde", "VO").insert(db).await.unwrap();
    let member = member_id_of(db, "voorzitter@demo.nl").await;

    let facts = |kind: Option<&'static str>, closed_on: Option<NaiveDate>, updated_on: NaiveDate| Facts {
        kind,
        closed_on,
        updated_on,
    };
    let a = new_case(
        db,
        "2031-0901",
        &po,
        d(2031, 1, 10),
        "afgesloten",
        Some("gegrond"),
        facts(Some("bejegening"), Some(d(2031, 6, 1)), d(2031, 6, 1)),
    )
    .await;
    held_hearing(db, &a, d(2031, 2, 20)).await;
    sent_advies(db, &a, d(2031, 3, 12)).await;
    term(db, &a, "hoorzitting", "met", false, d(2031, 2, 20)).await;
    term(db, &a, "advies", "met", true, d(2031, 3, 12)).await;
    request(db, &a, member, "wraking", d(2031, 2, 1), "afgewezen").await;

    let bb = new_case(
        db,
        "2031-0902",
        &vo,
        d(2031, 2, 1),
        "advies_uitgebracht",
        Some("ongegrond"),
        facts(Some("bejegening"), None, d(2031, 4, 2)),
    )
    .await;
    sent_advies(db, &bb, d(2031, 4, 2)).await;
    term(db, &bb, "advies", "missed", false, d(2031, 4, 2)).await;

    let c = new_case(
        db,
        "2031-0903",
        &po,
        d(2031, 3, 1),
        "afgesloten",
        Some("niet_ontvankelijk"),
        facts(None, Some(d(2031, 3, 15)), d(2031, 5, 10)),
    )
    .await;
    let mut tx = WriteTx::begin(db, Actor::system("test")).await.unwrap();
    tx.audit(Some(c.id), "zaak.vereenvoudigd", serde_json::json!({})).await.unwrap();
    tx.commit().await.unwrap();

    let dd = new_case(
        db,
        "2031-0904",
        &vo,
        d(2031, 5, 1),
        "onderzoek",
        None,
        facts(Some("pesten_veiligheid"), None, d(2031, 7, 5)),
    )
    .await;
    term(db, &dd, "hoorzitting", "missed", true, d(2031, 7, 5)).await;
    request(db, &dd, member, "verschoning", d(2031, 5, 20), "toegewezen").await;
    request(db, &dd, member, "wraking", d(2031, 6, 1), "open").await;

    new_case(
        db,
        "2030-0905",
        &po,
        d(2030, 12, 15),
        "afgesloten",
        Some("ingetrokken"),
        facts(Some("organisatie"), Some(d(2031, 1, 5)), d(2031, 2, 20)),
    )
    .await;
    new_case(db, "2031-0906", &vo, d(2031, 12, 20), "ontvangen", None, facts(None, None, d(2031, 12, 20))).await;
    new_case(
        db,
        "2030-0907",
        &vo,
        d(2030, 11, 1),
        "afgesloten",
        Some("ingetrokken"),
        facts(Some("overig"), Some(d(2030, 12, 20)), d(2031, 2, 1)),
    )
    .await;
}

/// Per table: its title, and rows of a label and its values.
const EXPECTED: &[(&str, &[&[&str]])] = &[
    (
        "Ontvangen klachten per sector",
        &[
            &["Primair onderwijs", "2"],
            &["(Voortgezet) speciaal onderwijs", "0"],
            &["Voortgezet onderwijs", "3"],
            &["Beroeps- en volwasseneneducatie", "0"],
            &["Totaal", "5"],
        ],
    ),
    (
        "Afgehandelde klachten per sector",
        &[&["Primair onderwijs", "3"], &["Voortgezet onderwijs", "1"], &["Totaal", "4"]],
    ),
    (
        "Klachten naar soort",
        &[
            &["Begeleiding en zorg (passend onderwijs)", "0", "0"],
            &["Bejegening", "2", "2"],
            &["Pesten en veiligheid", "1", "0"],
            &["Organisatie en onderwijstijd", "0", "1"],
            &["Overig", "0", "0"],
            &["Niet vastgelegd", "2", "1"],
            &["Totaal", "5", "4"],
        ],
    ),
    (
        "Afgehandelde klachten naar uitkomst",
        &[
            &["Niet-ontvankelijk", "1"],
            &["Ongegrond", "1"],
            &["Gegrond", "1"],
            &["Gedeeltelijk gegrond", "0"],
            &["Ingetrokken", "1"],
            &["Totaal", "4"],
        ],
    ),
    (
        "Afgehandelde klachten naar wijze van behandeling",
        &[
            &["Vereenvoudigd afgedaan (art. 16)", "1"],
            &["Schriftelijk behandeld (art. 17)", "1"],
            &["Behandeld op een hoorzitting (art. 18)", "1"],
            &["Totaal", "4"],
        ],
    ),
    (
        "Hoorzitting binnen twee maanden",
        &[
            &["Binnen de termijn", "1"],
            &["Binnen de verlengde termijn", "0"],
            &["Na de termijn", "0"],
            &["Na de verlengde termijn", "1"],
            &["Totaal", "2"],
        ],
    ),
    (
        "Advies binnen vier weken",
        &[
            &["Binnen de termijn", "0"],
            &["Binnen de verlengde termijn", "1"],
            &["Na de termijn", "1"],
            &["Na de verlengde termijn", "0"],
            &["Totaal", "2"],
        ],
    ),
    (
        "Doorlooptijden in dagen",
        &[
            &["Ontvangst tot eerste hoorzitting", "1", "41", "41"],
            &["Hoorzitting tot verzending advies", "1", "20", "20"],
            &["Ontvangst tot verzending advies", "2", "60,5", "61"],
            &["Ontvangst tot afhandeling", "4", "40,5", "61"],
        ],
    ),
    (
        "Verzoeken om wraking en verschoning",
        &[&["Toegewezen", "0", "1"], &["Afgewezen", "1", "0"], &["Nog niet beslist", "1", "0"], &["Totaal", "2", "1"]],
    ),
];

/// The part of `text` from the title of table `i` up to the next one's.
fn part(text: &str, i: usize) -> &str {
    let start = text.find(EXPECTED[i].0).unwrap_or_else(|| panic!("no {:?} in:\n{text}", EXPECTED[i].0));
    let end = EXPECTED.get(i + 1).and_then(|(t, _)| text[start..].find(t)).map_or(text.len(), |e| start + e);
    &text[start..end]
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jaarverslag.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed; .ci/run installs it");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

crate::on_both!(the_annual_report_carries_the_known_figures, |backend: Backend| async move {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    fixture(&app.db).await;
    let sec = app.login("secretaris@demo.nl").await;

    // The page: each table has its rows, and a chart as an image with a title.
    let (status, html) = sec.get_text("/rapportage/jaarverslag?jaar=2031").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Jaarverslag 2031"));
    assert!(html.contains(r#"href="/rapportage/jaarverslag.csv?jaar=2031""#));
    assert!(html.contains(r#"href="/rapportage/jaarverslag.pdf?jaar=2031""#));
    assert!(html.contains(r#"<svg class="chart" role="img" aria-labelledby="grafiek-0-titel""#), "{html}");
    assert!(html.contains(r#"<title id="grafiek-0-titel">Staafdiagram: Ontvangen klachten per sector"#));
    // The kinds: a chart with a bar for received and one for handled per kind, and a legend.
    assert!(html.contains(r#"<title id="grafiek-2-titel">Staafdiagram: Klachten naar soort"#), "{html}");
    let chart = &html[html.find("grafiek-2-titel").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    assert!(chart.contains(">Ontvangen</text>") && chart.contains(">Afgehandeld</text>"), "{chart}");
    assert_eq!(chart.matches("<rect").count(), 2 + 2 * 10, "legend, then two bars for each kind and Niet vastgelegd");
    assert!(!html.contains("niet naar soort klacht"), "the report does count by kind now");
    assert!(!html.contains("<script"), "no JavaScript");
    for (i, (_, rows)) in EXPECTED.iter().enumerate() {
        let section = part(&html, i);
        for row in *rows {
            let cells: String = row[1..].iter().map(|v| format!(r#"<td class="num">{v}</td>"#)).collect();
            let expected = format!(r#"<th scope="row">{}</th>{cells}"#, row[0]);
            assert!(section.contains(&expected), "page lacks {expected} in:\n{section}");
        }
    }

    // The CSV: a BOM, a header, one figure per line, semicolons.
    let resp = sec.get("/rapportage/jaarverslag.csv?jaar=2031").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFOnderdeel;Omschrijving;Kolom;Waarde\r\n"));
    let csv = String::from_utf8(bytes.to_vec()).unwrap();
    for (i, (_, rows)) in EXPECTED.iter().enumerate() {
        let section = part(&csv, i);
        for row in *rows {
            for v in &row[1..] {
                let line = format!(";{};", row[0]);
                assert!(
                    section.lines().any(|l| l.contains(&line) && l.ends_with(&format!(";{v}"))),
                    "CSV lacks {row:?} in:\n{section}"
                );
            }
        }
    }
    assert!(csv.contains("Doorlooptijden in dagen;Ontvangst tot afhandeling;Mediaan;40,5\r\n"));
    assert!(csv.contains("Verzoeken om wraking en verschoning (art. 19);Totaal;Wraking;2\r\n"));
    for line in [
        "Klachten naar soort;Bejegening;Ontvangen;2\r\n",
        "Klachten naar soort;Bejegening;Afgehandeld;2\r\n",
        "Klachten naar soort;Pesten en veiligheid;Afgehandeld;0\r\n",
        "Klachten naar soort;Organisatie en onderwijstijd;Afgehandeld;1\r\n",
        "Klachten naar soort;Niet vastgelegd;Ontvangen;2\r\n",
        "Klachten naar soort;Niet vastgelegd;Afgehandeld;1\r\n",
        "Klachten naar soort;Totaal;Afgehandeld;4\r\n",
    ] {
        assert!(csv.contains(line), "CSV lacks {line:?}");
    }

    // The PDF, read back as text.
    let resp = sec.get("/rapportage/jaarverslag.pdf?jaar=2031").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = pdftotext(&resp.bytes().await.unwrap());
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Jaarverslag 2031"));
    assert!(flat.contains("1 januari 2031 t/m 31 december 2031"));
    for (i, (_, rows)) in EXPECTED.iter().enumerate() {
        let section = part(&flat, i);
        for row in *rows {
            assert!(section.contains(&row.join(" ")), "PDF lacks {row:?} in:\n{section}");
        }
    }

    // No names, in none of the three.
    for name in NAMES {
        assert!(!html.contains(name), "page names {name}");
        assert!(!csv.contains(name), "CSV names {name}");
        assert!(!flat.contains(name), "PDF names {name}");
    }
});

crate::on_both!(only_the_commission_sees_the_report, |backend: Backend| async move {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let chair = app.login("voorzitter@demo.nl").await;
    let (status, html) = chair.get_text("/rapportage/jaarverslag").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"href="/rapportage/jaarverslag""#), "nav link");
    assert_eq!(chair.get("/rapportage/jaarverslag?jaar=twintig").await.status(), 400);
    let board = app.login("bestuur@demo.nl").await;
    let (_, html) = board.get_text("/").await;
    assert!(!html.contains("/rapportage/jaarverslag"), "no nav link for a board");
    assert_eq!(board.get("/rapportage/jaarverslag.csv?jaar=2026").await.status(), 403);
});

// Art 9.4: during August the secretary's digest reminds of the annual report over the
// previous year; a chair's digest does not, and in September neither does.
crate::on_both!(the_secretary_is_reminded_in_august, |backend: Backend| async move {
    use klachtencommissie::entities::outbox_message;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let bodies = |day: NaiveDate| {
        let db = app.db.clone();
        async move {
            klachtencommissie::digest::write(&db, day, "http://kc.test").await.unwrap();
            outbox_message::Entity::find()
                .filter(outbox_message::Column::Purpose.eq("herinnering"))
                .filter(outbox_message::Column::Subject.contains(klachtencommissie::domain::dutch::date(day)))
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|m| (m.to_email, m.body))
                .collect::<Vec<_>>()
        }
    };
    let august = bodies(d(2027, 8, 2)).await;
    let secretary = &august.iter().find(|(to, _)| to == "secretaris@demo.nl").expect("a digest for the secretary").1;
    assert!(secretary.contains("jaarverslag van de commissie over 2026"), "{secretary}");
    assert!(secretary.contains("http://kc.test/rapportage/jaarverslag?jaar=2026"), "{secretary}");
    for (to, body) in &august {
        if to != "secretaris@demo.nl" {
            assert!(!body.contains("jaarverslag"), "{to}: {body}");
        }
    }
    let september = bodies(d(2027, 9, 1)).await;
    assert!(september.iter().all(|(_, b)| !b.contains("jaarverslag")), "{september:?}");
});

// The demo's closed cases were closed on a day of their story, not on the day the demo was
// loaded: the report over 2025 counts those handled in 2025, by kind of complaint.
crate::on_both!(the_demo_cases_are_handled_in_their_own_year, |backend: Backend| async move {
    use klachtencommissie::domain::annual_report::Period;
    use klachtencommissie::domain::case::ComplaintKind as K;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let today = klachtencommissie::admin::today();
    for c in case::Entity::find().filter(case::Column::Status.eq("afgesloten")).all(&app.db).await.unwrap() {
        let closed = c.closed_on.unwrap_or_else(|| panic!("{} has no closing day", c.zaaknummer));
        assert!(c.received_on < closed && closed < today, "{}: closed on {closed}", c.zaaknummer);
    }
    let r = klachtencommissie::reports::report(&app.db, Period::year(2025).unwrap()).await.unwrap();
    // Received in 2025: the pestincident, the schorsing, the uitlatingen, the schoolreisje, the
    // profielwerkstuk and the bejegening in groep 8.
    assert_eq!(r.received_by_kind.total(), 6);
    assert_eq!(r.received_by_kind.get(K::Bejegening), 2);
    assert_eq!(r.received_by_kind.unknown, 0);
    // Handled in 2025: two adviezen sent (the pestincident, the schorsing), one declared
    // niet-ontvankelijk and one withdrawn; the settlement closed in January 2026.
    assert_eq!(r.closed_by_kind.total(), 4, "{:?}", r.closed_by_kind);
    for k in [K::PestenVeiligheid, K::SchorsingVerwijdering, K::Bejegening, K::Beoordeling] {
        assert_eq!(r.closed_by_kind.get(k), 1, "{k:?}");
    }
    assert_eq!(r.closed_by_kind.get(K::Organisatie), 0);
});

//! Registering a klaagschrift, the register, the case page, documents and the panel,
//! through the real router.

use crate::common::{Backend, TestApp, demo_case, simple_case};
use klachtencommissie::audit::{Actor, WriteTx, verify};
use klachtencommissie::cases::register::register;
use klachtencommissie::entities::{case, document, member, school};
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn school_id(db: &DatabaseConnection) -> i32 {
    school::Entity::find().one(db).await.unwrap().unwrap().id
}

fn registration(school: i32) -> Form {
    Form::new()
        .text("received_on", "2026-11-20")
        .text("arrival", "email")
        .text("school_id", school.to_string())
        .text("subject", "Klacht over de begeleiding van onze zoon <b>in groep 7</b>")
        .text("facts_date", "2026-10-01")
        .text("p0_role", "klager")
        .text("p0_name", "Noor Oukili-Brandsma")
        .text("p0_address", "Lindelaan 4\n3500 AB Utrecht")
        .text("p0_email", "fatima@example.nl")
        .text("p1_role", "aangeklaagde")
        .text("p1_name", "J. Visser, leerkracht groep 7")
        .text("d0_title", "Klaagschrift")
        .part(
            "d0_file",
            Part::bytes(PDF.to_vec()).file_name("klaagschrift-oukili.pdf").mime_str("application/pdf").unwrap(),
        )
}

async fn register_with_attachment(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut c = app.login("secretaris@demo.nl").await;
    let school = school_id(&app.db).await;
    let r = c.post_multipart("/zaken", registration(school)).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, "/zaken/2026-0015", "fourteen demo cases were received in 2026");

    let (status, html) = c.get_text(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Noor Oukili-Brandsma"));
    assert!(html.contains("klaagschrift-oukili.pdf"));
    assert!(html.contains("&lt;b&gt;in groep 7&lt;/b&gt;"), "user input is escaped");
    assert!(html.contains("Klaagschrift geregistreerd"), "the timeline shows the audit entry");

    let case_id = klachtencommissie::cases::find_for_access(&app.db, "2026-0015").await.unwrap().unwrap().0.id;
    let doc =
        document::Entity::find().filter(document::Column::CaseId.eq(case_id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(doc.received_on.to_string(), "2026-11-20", "Art 11.9 receipt date stamp");
    let d = c.get(&format!("{location}/documenten/{}", doc.id)).await;
    assert_eq!(d.status(), 200);
    assert_eq!(d.headers()["content-type"], "application/pdf");
    assert!(
        d.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"klaagschrift-oukili.pdf\"")
    );
    assert_eq!(d.bytes().await.unwrap().as_ref(), PDF);

    let (_, list) = c.get_text("/zaken?q=OUKILI").await;
    assert!(list.contains("2026-0015"));
    assert!(list.contains(">1 zaak<"), "{list}");
    assert_eq!(verify(&app.db).await.unwrap().result, Ok(()));
}
crate::on_both!(register_klaagschrift, register_with_attachment);

async fn bad_input_is_explained_kept_and_nothing_written(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut c = app.login("secretaris@demo.nl").await;
    let before = case::Entity::find().count(&app.db).await.unwrap();
    let form = Form::new()
        .text("received_on", "2099-01-01")
        .text("arrival", "email")
        .text("school_id", "")
        .text("subject", "Onderwerp blijft staan")
        .text("p0_role", "klager")
        .text("p0_name", "Piet Jansen")
        .text("p0_email", "geen-adres")
        .part(
            "d0_file",
            Part::bytes(b"MZ\x90\x00 not a pdf".to_vec()).file_name("brief.pdf").mime_str("application/pdf").unwrap(),
        );
    let r = c.post_multipart("/zaken", form).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for msg in [
        "De datum van ontvangst kan niet in de toekomst liggen.",
        "Kies de school waarover geklaagd wordt.",
        "Vul een geldig e-mailadres in",
        "De inhoud van het bestand past niet bij het opgegeven type",
        "Kies de bestanden opnieuw",
    ] {
        assert!(html.contains(msg), "missing message: {msg}");
    }
    assert!(
        html.contains("value=\"Onderwerp blijft staan\"")
            && html.contains("value=\"Piet Jansen\"")
            && html.contains("value=\"geen-adres\""),
        "input is kept"
    );
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), before, "nothing written");
    assert_eq!(
        document::Entity::find().filter(document::Column::FileName.eq("brief.pdf")).count(&app.db).await.unwrap(),
        0
    );
}
crate::on_both!(bad_registration, bad_input_is_explained_kept_and_nothing_written);

async fn zaaknummers_are_unique_under_concurrency(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let school = school_id(&app.db).await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = WriteTx::begin(&db, Actor::system("test")).await.unwrap();
            let (z, _) = register(
                &mut tx,
                simple_case(
                    school,
                    chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
                    format!("Gelijktijdige klacht {i}"),
                    format!("Klager {i}"),
                ),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            z.to_string()
        }));
    }
    let mut numbers: Vec<String> = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=12).map(|n| format!("2027-{n:04}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(verify(&app.db).await.unwrap().result, Ok(()), "the chain stays linear under concurrent writers");
}
crate::on_both!(concurrent_zaaknummers, zaaknummers_are_unique_under_concurrency);

async fn register_filters_and_pages(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let school = school_id(&app.db).await;
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    for i in 0..30 {
        let new = simple_case(
            school,
            chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(i),
            format!("Oudere klacht {i}"),
            format!("Ouder {i}"),
        );
        register(&mut tx, new).await.unwrap();
    }
    tx.commit().await.unwrap();
    let c = app.login("secretaris@demo.nl").await;
    let (_, p1) = c.get_text("/zaken").await;
    assert!(p1.contains("52 zaken") && p1.contains("pagina 1 van 3"), "52 = 22 demo + 30");
    assert!(p1.contains("2026-0010"), "newest first");
    let (_, p2) = c.get_text("/zaken?page=2").await;
    assert!(p2.contains("2024-0001") && !p2.contains("2026-0010"));
    // Last, the two oldest: the demo's cases closed before 2022 (one of them purged).
    let (_, p3) = c.get_text("/zaken?page=3").await;
    assert!(p3.contains("2019-0001") && p3.contains("2020-0001"));
    let (_, by_year) = c.get_text("/zaken?year=2024").await;
    assert!(by_year.contains("30 zaken"));
    // The year is the year of receipt, to the day at both ends.
    let (_, y2025) = c.get_text("/zaken?year=2025").await;
    // The count line of the register: `<p class="muted">N zaken ...`.
    let count = |page: &str| -> Option<u32> {
        let line = &page[page.find("<p class=\"muted\">")? + "<p class=\"muted\">".len()..];
        line[..line.find(' ')?].parse().ok()
    };
    let before_2025 = count(&y2025).expect("a count on the page");
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    for (d, who) in [((2024, 12, 31), "Oudejaars"), ((2025, 1, 1), "Nieuwjaars")] {
        let on = chrono::NaiveDate::from_ymd_opt(d.0, d.1, d.2).unwrap();
        register(&mut tx, simple_case(school, on, format!("Klacht van {who}"), format!("Ouder {who}"))).await.unwrap();
    }
    tx.commit().await.unwrap();
    let (_, by_year) = c.get_text("/zaken?year=2024").await;
    assert!(by_year.contains("31 zaken") && by_year.contains("2024-0031"), "31 December counts");
    assert!(by_year.find("2024-0031").unwrap() < by_year.find("2024-0030").unwrap(), "newest first");
    assert!(!by_year.contains("Nieuwjaars"));
    let (_, y2025) = c.get_text("/zaken?year=2025").await;
    assert_eq!(count(&y2025), Some(before_2025 + 1), "1 January counts for the new year");
    let (_, by_status) = c.get_text("/zaken?status=verweer").await;
    assert!(by_status.contains("1 zaak"));
    let (_, by_number) = c.get_text("/zaken?q=2024-0030").await;
    assert!(by_number.contains("1 zaak"));
    let (_, wildcard) = c.get_text("/zaken?q=%25").await;
    assert!(wildcard.contains("0 zaken"), "LIKE wildcards typed by users are literal");
    // Nonsense in the query string is ignored, not an error.
    assert_eq!(c.get("/zaken?page=abc&year=x&status=<script>").await.status(), 200);
}
crate::on_both!(register_list, register_filters_and_pages);

/// The search box through the name index (migration 000020, one entry per case with its
/// parties' names, trigrams over them): fragments in any case, characters that mean something to LIKE, GLOB or FTS5 taken literally, fragments shorter
/// than a trigram, zaaknummer prefixes, and an index that follows renamed and removed parties.
async fn name_search_by_fragment(backend: Backend) {
    use klachtencommissie::entities::party;
    use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let school = school_id(&app.db).await;
    let names = ["Özlem Öztürk", "100% Jansen_Bakker", "JansenxBakker", "De \"Vries\"", "Ab*[c]?", "Qx"];
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    let mut numbers = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let new = simple_case(
            school,
            chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap() + chrono::Days::new(i as u64),
            format!("Zoekproef {i}"),
            (*name).to_owned(),
        );
        numbers.push(register(&mut tx, new).await.unwrap().0.to_string());
    }
    tx.commit().await.unwrap();
    let c = app.login("secretaris@demo.nl").await;
    let found = async |q: &str| -> Vec<String> {
        let (status, html) = c.get_text(&format!("/zaken?q={}", percent_encode(q))).await;
        assert_eq!(status, 200, "{q}");
        numbers.iter().filter(|z| html.contains(z.as_str())).cloned().collect()
    };
    let only = |i: usize| vec![numbers[i].clone()];
    assert_eq!(found("öztürk").await, only(0), "a fragment in another case than the name");
    assert_eq!(found("ztür").await, only(0), "a fragment inside a word");
    assert_eq!(found("100%").await, only(1), "% is a literal");
    assert_eq!(found("sen_bak").await, only(1), "_ is a literal, not JansenxBakker");
    assert_eq!(found("jansen").await, vec![numbers[1].clone(), numbers[2].clone()]);
    assert_eq!(found("\"vries\"").await, only(3), "quotes are no FTS5 syntax");
    assert_eq!(found("b*[c]").await, only(4), "* and [ are no GLOB wildcards");
    assert_eq!(found("qx").await, only(5), "shorter than a trigram");
    assert_eq!(found(&numbers[2]).await, only(2), "a whole zaaknummer");
    let (_, by_prefix) = c.get_text("/zaken?q=2023-000").await;
    assert!(numbers.iter().all(|z| by_prefix.contains(z.as_str())), "a zaaknummer prefix");
    assert_eq!(found("2023-*").await, Vec::<String>::new(), "no wildcard in the zaaknummer either");

    // The index follows the parties table: a renamed party is found by its new name only, a
    // removed one no more.
    let klager = |i: usize| {
        let db = app.db.clone();
        let zaak = numbers[i].clone();
        async move {
            let case_id = klachtencommissie::cases::find_for_access(&db, &zaak).await.unwrap().unwrap().0.id;
            party::Entity::find().filter(party::Column::CaseId.eq(case_id)).one(&db).await.unwrap().unwrap()
        }
    };
    let mut renamed: party::ActiveModel = klager(0).await.into();
    renamed.name = Set("Özlem Yılmaz".into());
    renamed.update(&app.db).await.unwrap();
    assert_eq!(found("öztürk").await, Vec::<String>::new());
    assert_eq!(found("yılmaz").await, only(0));
    party::Entity::delete_by_id(klager(5).await.id).exec(&app.db).await.unwrap();
    assert_eq!(found("qx").await, Vec::<String>::new());
    party::Entity::delete_by_id(klager(2).await.id).exec(&app.db).await.unwrap();
    assert_eq!(found("xbakker").await, Vec::<String>::new());

    match app.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            // FTS5's own check that the index holds exactly the rows of `case_names`.
            app.db
                .execute_unprepared("INSERT INTO case_names_fts (case_names_fts, rank) VALUES ('integrity-check', 1)")
                .await
                .expect("the trigram index matches the case_names table");
        }
        _ => {
            let index = app
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_case_names_trgm'",
                ))
                .await
                .unwrap()
                .expect("pg_trgm is available here, so the index exists");
            assert!(index.try_get_by_index::<String>(0).unwrap().contains("gin_trgm_ops"));
            // The zaaknummer prefix under a language collation (see migration 000018): planned
            // through the pattern index once the planner may not scan.
            use sea_orm::TransactionTrait;
            let txn = app.db.begin().await.unwrap();
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
            let plan = txn
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    "EXPLAIN SELECT id FROM cases WHERE zaaknummer LIKE '2023-00%' COLLATE \"nl-x-icu\"",
                ))
                .await
                .unwrap();
            txn.rollback().await.unwrap();
            let plan: Vec<String> = plan.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect();
            assert!(plan.iter().any(|l| l.contains("ix_cases_zaaknummer_pattern")), "{plan:?}");
        }
    }
}
crate::on_both!(name_search, name_search_by_fragment);

/// The name index keeps the register's order (migration 000020): a name search pages newest
/// first, by date of receipt and then by case, across pages and within a year; a fragment never
/// spans two names of one case; and the key the database computes is the one
/// `domain::case_order` defines, also after a date of receipt is corrected.
async fn name_index_in_register_order(backend: Backend) {
    use klachtencommissie::cases::search::{self, Filter};
    use klachtencommissie::domain::{access::CaseScope, case_order};
    use klachtencommissie::entities::party;
    use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let school = school_id(&app.db).await;
    // 28 cases named "Paginaproef", received over two years in a shuffled order, two of them
    // on one day (then the later case comes first).
    let day = |i: u64| chrono::NaiveDate::from_ymd_opt(2022, 12, 20).unwrap() + chrono::Days::new((i * 11) % 28 * 3);
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    let mut cases = Vec::new();
    for i in 0..28u64 {
        let received = if i == 27 { day(5) } else { day(i) };
        let (zaak, _) =
            register(&mut tx, simple_case(school, received, format!("Volgorde {i}"), format!("Paginaproef {i}")))
                .await
                .unwrap();
        cases.push((received, zaak.to_string()));
    }
    tx.commit().await.unwrap();
    // The register's order: newest receipt first; on one day the later registration first.
    let mut expected = cases.clone();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let expected: Vec<String> = expected.into_iter().map(|(_, z)| z).collect();
    let search = async |page: u64, year: Option<i32>| {
        let f = Filter { q: Some("paginaproef".into()), page, year, ..Default::default() };
        let p = search::page(&app.db, CaseScope::All, &f).await.unwrap();
        (p.total, p.rows.into_iter().map(|r| r.zaaknummer).collect::<Vec<_>>())
    };
    let (total, first) = search(1, None).await;
    assert_eq!(total, 28);
    assert_eq!(first, expected[..25]);
    assert_eq!(search(2, None).await, (28, expected[25..].to_vec()));
    let in_2023: Vec<String> = cases
        .iter()
        .filter(|(d, _)| chrono::Datelike::year(d) == 2023)
        .map(|(_, z)| z.clone())
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    let (n, rows) = search(1, Some(2023)).await;
    assert_eq!(n as usize, in_2023.len());
    assert_eq!(rows, expected.iter().filter(|z| in_2023.contains(z)).cloned().collect::<Vec<_>>(), "a year, in order");
    // A board sees its own matches only, in the same order (the scope needs the case rows).
    let board = school::Entity::find_by_id(school).one(&app.db).await.unwrap().unwrap().board_id;
    let f = Filter { q: Some("paginaproef".into()), page: 1, ..Default::default() };
    assert_eq!(search::page(&app.db, CaseScope::Board(board), &f).await.unwrap().rows.len(), 25);
    assert_eq!(search::page(&app.db, CaseScope::Board(board + 1000), &f).await.unwrap().total, 0);

    // A second party joins the first case's entry; a fragment across the two names finds nothing.
    let case_id = klachtencommissie::cases::find_for_access(&app.db, &cases[0].1).await.unwrap().unwrap().0.id;
    party::ActiveModel {
        case_id: Set(case_id),
        role: Set("aangeklaagde".into()),
        name: Set("Berend Naastgenoemd".into()),
        minor: Set(false),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let names = async |q: &str| {
        let f = Filter { q: Some(q.into()), page: 1, ..Default::default() };
        search::page(&app.db, CaseScope::All, &f)
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.zaaknummer)
            .collect::<Vec<_>>()
    };
    assert_eq!(names("naastgenoemd").await, vec![cases[0].1.clone()]);
    assert_eq!(names("paginaproef 0").await, vec![cases[0].1.clone()], "the first name still there");
    assert!(names("0 berend").await.is_empty(), "no match across two names");
    assert!(names("0berend").await.is_empty(), "no match across two names");

    // A corrected date of receipt moves the case in the index too.
    let db_backend = app.db.get_database_backend();
    app.db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            db_backend,
            if db_backend == sea_orm::DbBackend::Sqlite {
                "UPDATE cases SET received_on = ? WHERE id = ?"
            } else {
                "UPDATE cases SET received_on = $1 WHERE id = $2"
            },
            [chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().into(), case_id.into()],
        ))
        .await
        .unwrap();
    assert_eq!(search(1, None).await.1[0], cases[0].1, "now the newest");

    // Every entry's key is the one domain::case_order defines.
    let rows = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            db_backend,
            "SELECT n.sort_key, c.received_on, c.id FROM case_names n JOIN cases c ON c.id = n.case_id",
        ))
        .await
        .unwrap();
    assert!(rows.len() >= 28);
    for r in rows {
        let (key, received, id): (i64, chrono::NaiveDate, i32) =
            (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap(), r.try_get_by_index(2).unwrap());
        assert_eq!(key, case_order::sort_key(received, id), "case {id}");
    }
    if db_backend == sea_orm::DbBackend::Sqlite {
        // The name search's page comes from the trigram index in its order: no sort.
        let plan = app
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                db_backend,
                "EXPLAIN QUERY PLAN SELECT c.zaaknummer FROM case_names_fts JOIN cases c ON c.id = (case_names_fts.rowid & 4294967295) \
                 WHERE case_names_fts MATCH '\"proef\"' ORDER BY case_names_fts.rowid DESC LIMIT 25",
            ))
            .await
            .unwrap();
        let plan: Vec<String> = plan.iter().map(|r| r.try_get_by_index::<String>(3).unwrap()).collect();
        assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{plan:?}");
        assert!(plan[0].starts_with("SCAN case_names_fts"), "{plan:?}");
    }
}
crate::on_both!(name_index_order, name_index_in_register_order);

/// Migration 000020 undone and done again: the undo restores 000018's index on single parties,
/// and the redo fills the name index from the parties, including one registered in between.
async fn name_index_migration_down_and_up(backend: Backend) {
    use klachtencommissie::cases::search::{self, Filter};
    use klachtencommissie::domain::access::CaseScope;
    use migration::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let exists = async |sql: &str| {
        app.db
            .query_one_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), sql.to_owned()))
            .await
            .unwrap()
            .is_some()
    };
    let (old_index, new_table) = match app.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => (
            "SELECT 1 FROM sqlite_master WHERE name = 'parties_fts'",
            "SELECT 1 FROM sqlite_master WHERE name = 'case_names'",
        ),
        _ => (
            "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_parties_name_trgm'",
            "SELECT 1 FROM pg_tables WHERE tablename = 'case_names' AND schemaname = current_schema()",
        ),
    };
    assert!(!exists(old_index).await && exists(new_table).await);
    Migrator::down(&app.db, Some(1)).await.unwrap();
    assert!(exists(old_index).await && !exists(new_table).await, "back to 000018");

    let school = school_id(&app.db).await;
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    let new =
        simple_case(school, chrono::NaiveDate::from_ymd_opt(2023, 5, 2).unwrap(), "Tussendoor", "Wendelien Terugrol");
    let (zaak, _) = register(&mut tx, new).await.unwrap();
    tx.commit().await.unwrap();

    Migrator::up(&app.db, None).await.unwrap();
    assert!(!exists(old_index).await && exists(new_table).await);
    let f = Filter { q: Some("terugrol".into()), page: 1, ..Default::default() };
    let found = search::page(&app.db, CaseScope::All, &f).await.unwrap();
    assert_eq!(found.rows.into_iter().map(|r| r.zaaknummer).collect::<Vec<_>>(), vec![zaak.to_string()]);
    let demo = Filter { q: Some("bakker-de groot".into()), page: 1, ..Default::default() };
    assert!(search::page(&app.db, CaseScope::All, &demo).await.unwrap().total > 0, "the demo's names, filled in");
}
crate::on_both!(name_index_migration, name_index_migration_down_and_up);

/// Where `pg_trgm` cannot be created (here: the application's role may not create extensions in
/// the database), migrations 000018 and 000020 still succeed without the index and the name search works
/// by reading the parties.
#[tokio::test]
async fn name_search_without_pg_trgm() {
    use klachtencommissie::cases::search::{self, Filter};
    use klachtencommissie::domain::access::CaseScope;
    use sea_orm::{ConnectionTrait, Database, Statement};
    let Some(base) = crate::common::postgres_base() else {
        eprintln!("PostgreSQL tests not run: set KC_TEST_POSTGRES (the CI does)");
        return;
    };
    let suffix = hex::encode(rand::random::<[u8; 5]>());
    let (role, name) = (format!("kc_notrgm_{suffix}"), format!("kc_test_notrgm_{suffix}"));
    let admin = Database::connect(format!("{base}/postgres")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE ROLE {role} LOGIN")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let owner_db = Database::connect(format!("{base}/{name}")).await.unwrap();
    owner_db.execute_unprepared(&format!("GRANT ALL ON SCHEMA public TO {role}")).await.unwrap();
    owner_db.close().await.unwrap();

    let url = format!("{base}/{name}").replacen("postgres@", &format!("{role}@"), 1);
    assert!(url.contains(&role), "KC_TEST_POSTGRES names the user postgres: {base}");
    let db = klachtencommissie::db::connect(&url).await.unwrap();
    klachtencommissie::db::prepare(&db).await.expect("migrations succeed without pg_trgm");
    let one = |sql: &str| Statement::from_string(sea_orm::DbBackend::Postgres, sql.to_owned());
    let index = db.query_one_raw(one("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_case_names_trgm'")).await;
    assert!(index.unwrap().is_none(), "no trigram index");
    let ext = db.query_one_raw(one("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).await;
    assert!(ext.unwrap().is_none(), "the extension was refused");

    let key = klachtencommissie::signing::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
    klachtencommissie::demo::load(&db, &key).await.unwrap();
    let school = school_id(&db).await;
    let mut tx = WriteTx::begin(&db, Actor::system("test")).await.unwrap();
    let new = simple_case(
        school,
        chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
        "Zonder trigramindex",
        "Zwaantje Trigramloos",
    );
    let (zaak, _) = register(&mut tx, new).await.unwrap();
    tx.commit().await.unwrap();
    let found =
        search::page(&db, CaseScope::All, &Filter { q: Some("TRIGRAMLOOS".into()), page: 1, ..Default::default() })
            .await
            .unwrap();
    assert_eq!(found.rows.iter().map(|r| r.zaaknummer.clone()).collect::<Vec<_>>(), vec![zaak.to_string()]);

    db.close().await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    admin.execute_unprepared(&format!("DROP ROLE {role}")).await.unwrap();
}

fn percent_encode(q: &str) -> String {
    percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string()
}

async fn panel_seat_gives_and_removal_takes_access(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let zaak = demo_case(&app.db, "De Waarden").await;
    let lid = crate::common::member_id_of(&app.db, "lid@demo.nl").await;
    let lid_client = app.login("lid@demo.nl").await;
    assert_eq!(lid_client.get(&format!("/zaken/{zaak}")).await.status(), 403);

    let mut sec = app.login("secretaris@demo.nl").await;
    // The panel of this demo case is full: free a seat first.
    let seated = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().1;
    let other = seated.iter().copied().find(|m| *m != lid).unwrap();
    let other_is_chair = member::Entity::find_by_id(other).one(&app.db).await.unwrap().unwrap().is_chair;
    let victim = if other_is_chair { seated.iter().copied().find(|m| *m != other).unwrap() } else { other };
    assert_eq!(sec.post_form(&format!("/zaken/{zaak}/commissie/{victim}/verwijderen"), &[]).await.status(), 303);
    let r =
        sec.post_form(&format!("/zaken/{zaak}/commissie"), &[("member_id", &lid.to_string()), ("role", "lid")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(lid_client.get(&format!("/zaken/{zaak}")).await.status(), 200, "seated: access");
    assert_eq!(sec.post_form(&format!("/zaken/{zaak}/commissie/{lid}/verwijderen"), &[]).await.status(), 303);
    assert_eq!(lid_client.get(&format!("/zaken/{zaak}")).await.status(), 403, "removed: no access");

    // Art 5.1: the demo's lid@demo.nl is affiliated with the Sint-Bonifatius board.
    let foreign = demo_case(&app.db, "Sint-Bonifatius").await;
    let seated = klachtencommissie::cases::find_for_access(&app.db, &foreign).await.unwrap().unwrap().1;
    for m in seated.iter().filter(|m| **m != lid) {
        let is_chair = member::Entity::find_by_id(*m).one(&app.db).await.unwrap().unwrap().is_chair;
        if !is_chair {
            sec.post_form(&format!("/zaken/{foreign}/commissie/{m}/verwijderen"), &[]).await;
            break;
        }
    }
    let r = sec
        .post_form(&format!("/zaken/{foreign}/commissie"), &[("member_id", &lid.to_string()), ("role", "lid")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("art. 5.1"));
    // The form does not offer that member in the first place.
    let (_, page) = sec.get_text(&format!("/zaken/{foreign}")).await;
    assert!(
        page.contains("name=\"member_id\"") && !page.contains(&format!("<option value=\"{lid}\"")),
        "an ineligible member is offered"
    );
}
crate::on_both!(panel_access, panel_seat_gives_and_removal_takes_access);

async fn add_document_to_a_case(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let zaak = demo_case(&app.db, "De Waarden").await;
    let mut c = app.login("secretaris@demo.nl").await;
    let form = Form::new().text("doc_title", "Verweerschrift").text("doc_received_on", "2026-11-02").part(
        "doc_file",
        Part::bytes("Geachte commissie,\nHierbij mijn verweer.\n".as_bytes().to_vec())
            .file_name("verweer.txt")
            .mime_str("text/plain")
            .unwrap(),
    );
    assert_eq!(c.post_multipart(&format!("/zaken/{zaak}/documenten"), form).await.status(), 303);
    let (_, html) = c.get_text(&format!("/zaken/{zaak}")).await;
    assert!(html.contains("verweer.txt") && html.contains("Document ontvangen"));

    let bad = Form::new().text("doc_title", "Bijlage met titel").text("doc_received_on", "gisteren");
    let r = c.post_multipart(&format!("/zaken/{zaak}/documenten"), bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Vul een geldige datum in")
            && html.contains("Kies het bestand dat is ontvangen")
            && html.contains("value=\"Bijlage met titel\"")
    );

    // A board user may read but not add.
    let mut board = app.login("bestuur@demo.nl").await;
    let form = Form::new().text("doc_title", "x").text("doc_received_on", "2026-11-02");
    assert_eq!(board.post_multipart(&format!("/zaken/{zaak}/documenten"), form).await.status(), 403);
}
crate::on_both!(documents, add_document_to_a_case);

/// Issue 9: the kind of complaint, chosen at registration and recorded or changed on the case
/// page by the secretariat (also on a closed case), audited; a bad code is explained with the
/// input kept and nothing written; a board may read it but not change it.
async fn the_kind_of_complaint_is_recorded_and_changed(backend: Backend) {
    use klachtencommissie::entities::audit_entry;
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let entries = |action: &'static str, case_id: i32| {
        let db = app.db.clone();
        async move {
            audit_entry::Entity::find()
                .filter(audit_entry::Column::Action.eq(action))
                .filter(audit_entry::Column::CaseId.eq(case_id))
                .all(&db)
                .await
                .unwrap()
        }
    };
    let mut c = app.login("secretaris@demo.nl").await;
    let school = school_id(&app.db).await;

    // At registration: an unknown code is refused and the rest of the input kept.
    let before = case::Entity::find().count(&app.db).await.unwrap();
    let r = c.post_multipart("/zaken", registration(school).text("complaint_kind", "onderwijskundig")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Onbekende soort klacht ‘onderwijskundig’"), "{html}");
    assert!(html.contains("value=\"Noor Oukili-Brandsma\""), "input is kept");
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), before, "nothing written");
    // A known kind is stored and named in the registration's audit entry.
    let r = c.post_multipart("/zaken", registration(school).text("complaint_kind", "begeleiding_zorg")).await;
    assert_eq!(r.status(), 303);
    let zaak = r.headers()["location"].to_str().unwrap().trim_start_matches("/zaken/").to_owned();
    let new = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0;
    assert_eq!(new.complaint_kind.as_deref(), Some("begeleiding_zorg"));
    assert!(entries("zaak.geregistreerd", new.id).await[0].detail.contains("Begeleiding en zorg"));
    // Without a choice the kind stays open.
    let r = c.post_multipart("/zaken", registration(school).text("complaint_kind", "")).await;
    assert_eq!(r.status(), 303);
    let zaak2 = r.headers()["location"].to_str().unwrap().trim_start_matches("/zaken/").to_owned();
    let open = klachtencommissie::cases::find_for_access(&app.db, &zaak2).await.unwrap().unwrap().0;
    assert_eq!(open.complaint_kind, None);
    let (_, html) = c.get_text(&format!("/zaken/{zaak2}")).await;
    assert!(html.contains("Soort klacht") && html.contains(r#"<option value="">Niet vastgelegd</option>"#), "{html}");

    // On the case page, here a closed demo case.
    let closed = crate::common::case_in(&app.db, "afgesloten").await;
    let path = format!("/zaken/{}/soort-klacht", closed.zaaknummer);
    let (_, html) = c.get_text(&format!("/zaken/{}", closed.zaaknummer)).await;
    assert!(html.contains(&format!(r#"action="{path}""#)), "the secretariat gets the form");
    let kind = if closed.complaint_kind.as_deref() == Some("bejegening") { "overig" } else { "bejegening" };
    let r = c.post_form(&path, &[("soort_klacht", kind)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(crate::common::reload(&app.db, closed.id).await.complaint_kind.as_deref(), Some(kind));
    let audited = entries("zaak.soort_klacht", closed.id).await;
    assert_eq!(audited.len(), 1);
    let (_, html) = c.get_text(&format!("/zaken/{}", closed.zaaknummer)).await;
    assert!(html.contains(&format!(r#"<option value="{kind}" selected>"#)), "{html}");
    assert!(html.contains("Soort klacht vastgelegd"), "the timeline shows the change");
    // The same again writes nothing.
    assert_eq!(c.post_form(&path, &[("soort_klacht", kind)]).await.status(), 303);
    assert_eq!(entries("zaak.soort_klacht", closed.id).await.len(), 1);
    // An unknown code: explained, the code shown, nothing written.
    let r = c.post_form(&path, &[("soort_klacht", "<b>geheim</b>")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Onbekende soort klacht ‘&lt;b&gt;geheim&lt;/b&gt;’"), "{html}");
    assert_eq!(crate::common::reload(&app.db, closed.id).await.complaint_kind.as_deref(), Some(kind));
    assert_eq!(entries("zaak.soort_klacht", closed.id).await.len(), 1);
    // Cleared back to not recorded.
    assert_eq!(c.post_form(&path, &[("soort_klacht", "")]).await.status(), 303);
    assert_eq!(crate::common::reload(&app.db, closed.id).await.complaint_kind, None);
    assert_eq!(entries("zaak.soort_klacht", closed.id).await.len(), 2);
    // Without the CSRF token: refused, nothing written.
    let r = c.http.post(format!("{}{path}", c.base)).form(&[("soort_klacht", "overig")]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(crate::common::reload(&app.db, closed.id).await.complaint_kind, None);

    // A board reads the kind on its case but may not change it.
    let z = demo_case(&app.db, "De Waarden").await;
    let theirs = klachtencommissie::cases::find_for_access(&app.db, &z).await.unwrap().unwrap().0;
    let mut board = app.login("bestuur@demo.nl").await;
    let (status, html) = board.get_text(&format!("/zaken/{z}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("/soort-klacht"), "no form for a board");
    if let Some(k) = theirs.complaint_kind.as_deref().and_then(klachtencommissie::domain::case::ComplaintKind::parse) {
        assert!(html.contains(k.label()), "the kind is shown");
    }
    let r = board.post_form(&format!("/zaken/{z}/soort-klacht"), &[("soort_klacht", "overig")]).await;
    assert_eq!(r.status(), 403);
    assert_eq!(crate::common::reload(&app.db, theirs.id).await.complaint_kind, theirs.complaint_kind);
    assert_eq!(verify(&app.db).await.unwrap().result, Ok(()));
}
crate::on_both!(kind_of_complaint, the_kind_of_complaint_is_recorded_and_changed);

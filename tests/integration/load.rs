//! The load data set (issue 10): generated cases next to the demo data are whole (people,
//! klaagschrift, hearing term, audit entry), spread over every status, and the application
//! goes on after them: its next registration gets the next zaaknummer and id.

use crate::common::{Backend, TestApp};
use klachtencommissie::domain::case::CaseStatus;
use klachtencommissie::entities::{case, deadline, document, party};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn generated_cases_are_whole(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    let before = case::Entity::find().count(db).await.unwrap();
    let mut seen = Vec::new();
    klachtencommissie::demo::load::generate(db, 2_500, None, &mut |n| seen.push(n)).await.unwrap();
    assert_eq!(seen, vec![1_000, 2_000, 2_500], "progress after every batch");
    assert_eq!(case::Entity::find().count(db).await.unwrap(), before + 2_500);
    assert_eq!(klachtencommissie::audit::verify(db).await.unwrap().result, Ok(()));
    for status in CaseStatus::ALL {
        let n = case::Entity::find().filter(case::Column::Status.eq(status.code())).count(db).await.unwrap();
        assert!(n > 0, "generated cases in status {}", status.code());
    }
    let generated =
        case::Entity::find().filter(case::Column::Subject.starts_with("Klacht over")).all(db).await.unwrap();
    let last = generated.iter().max_by_key(|c| c.id).unwrap();
    assert_eq!(party::Entity::find().filter(party::Column::CaseId.eq(last.id)).count(db).await.unwrap(), 2);
    assert_eq!(document::Entity::find().filter(document::Column::CaseId.eq(last.id)).count(db).await.unwrap(), 1);
    let term = deadline::Entity::find().filter(deadline::Column::CaseId.eq(last.id)).one(db).await.unwrap().unwrap();
    assert!(term.due_on.is_some_and(|d| d > last.received_on), "the hearing term is computed");
    let closed = case::Entity::find().filter(case::Column::Status.eq("afgesloten")).all(db).await.unwrap();
    assert!(closed.iter().all(|c| c.closed_on.is_some_and(|d| d >= c.received_on)));

    // The name index (migration 000020) holds every case with parties, each with all its names;
    // on SQLite the load committed secure-delete back on and left the index whole.
    let one = |sql: &str| sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned());
    let number = |sql: &str| {
        let stmt = one(sql);
        async move { db.query_one_raw(stmt).await.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap() }
    };
    assert_eq!(
        number("SELECT COUNT(*) FROM case_names").await,
        number("SELECT COUNT(DISTINCT case_id) FROM parties").await
    );
    let names = db
        .query_one_raw(one(&format!("SELECT names FROM case_names WHERE case_id = {}", last.id)))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap();
    let parties = party::Entity::find().filter(party::Column::CaseId.eq(last.id)).all(db).await.unwrap();
    let mut joined: Vec<&str> = names.split('\u{1f}').collect();
    joined.sort();
    // PostgreSQL keeps them in lower case for its case-sensitive LIKE.
    let lower = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    let mut expected: Vec<String> =
        parties.iter().map(|p| if lower { p.name.to_lowercase() } else { p.name.clone() }).collect();
    expected.sort();
    assert_eq!(joined, expected);
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        assert_eq!(number("SELECT v FROM case_names_fts_config WHERE k = 'secure-delete'").await, 1);
        db.execute_unprepared("INSERT INTO case_names_fts (case_names_fts, rank) VALUES ('integrity-check', 1)")
            .await
            .expect("the trigram index matches case_names");
    }

    // The pages a load run asks for answer, and the next registration follows on.
    let sec = app.login("secretaris@demo.nl").await;
    for path in ["/zaken", "/zaken?status=verweer", "/termijnen", &format!("/zaken/{}", last.zaaknummer)] {
        let (status, _) = sec.get_text(path).await;
        assert_eq!(status, 200, "{path}");
    }
    let (status, page) = sec
        .get_text(&format!("/zaken/{}/documenten/{}", last.zaaknummer, {
            document::Entity::find().filter(document::Column::CaseId.eq(last.id)).one(db).await.unwrap().unwrap().id
        }))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Aan de klachtencommissie"));
    let mut tx =
        klachtencommissie::audit::WriteTx::begin(db, klachtencommissie::audit::Actor::system("test")).await.unwrap();
    let school = klachtencommissie::entities::school::Entity::find().one(db).await.unwrap().unwrap().id;
    let (nr, id) = klachtencommissie::cases::register::register(
        &mut tx,
        klachtencommissie::cases::register::NewCase {
            received_on: klachtencommissie::admin::today(),
            school_id: school,
            subject: "Na de lastdata".into(),
            facts_date: None,
            arrival: klachtencommissie::domain::case::Arrival::Post,
            parties: vec![klachtencommissie::cases::register::NewParty {
                role: klachtencommissie::domain::case::PartyRole::Klager,
                name: "Nieuwe klager".into(),
                address: None,
                email: None,
                phone: None,
                minor: false,
            }],
            documents: vec![klachtencommissie::cases::register::NewDocument {
                title: "Klaagschrift".into(),
                file_name: "k.txt".into(),
                media_type: "text/plain".into(),
                received_on: klachtencommissie::admin::today(),
                bytes: b"Klacht".to_vec(),
            }],
            receipt: Default::default(),
            complaint_kind: None,
        },
    )
    .await
    .expect("no zaaknummer, case id or document id is taken twice");
    tx.commit().await.unwrap();
    assert!(id > last.id);
    let year_max = case::Entity::find()
        .filter(case::Column::Year.eq(nr.to_string()[..4].parse::<i32>().unwrap()))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.id != id)
        .map(|c| c.zaaknummer)
        .max()
        .unwrap();
    assert!(nr.to_string() > year_max, "{nr} follows {year_max}");
}
crate::on_both!(generated, generated_cases_are_whole);

/// The SQL statements of each page a user opens every day, read from the server's
/// `x-sql-statements` header: the same with the demo's 22 cases as with 1,500 more, so no
/// page runs a query per row (N+1) or per case.
async fn statement_counts_do_not_grow(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let sec = app.login("secretaris@demo.nl").await;
    let board = app.login("bestuur@demo.nl").await;
    let chair = app.login("voorzitter@demo.nl").await;
    let zaak = crate::common::demo_case(&app.db, "De Waarden").await;
    let school = klachtencommissie::entities::school::Entity::find().one(&app.db).await.unwrap().unwrap().id;
    let pages: Vec<(&str, String, &crate::common::Client)> = vec![
        ("register", "/zaken".into(), &sec),
        ("register, filtered", format!("/zaken?status=verweer&school={school}"), &sec),
        ("register, searched", "/zaken?q=de".into(), &sec),
        ("register, page 2", "/zaken?page=2".into(), &sec),
        ("case page", format!("/zaken/{zaak}"), &sec),
        ("deadlines", "/termijnen".into(), &sec),
        ("start page", "/".into(), &sec),
        ("board portal", "/".into(), &board),
        ("board register", "/zaken".into(), &board),
        ("chair's start page", "/".into(), &chair),
        ("letters", "/brieven".into(), &sec),
    ];
    let count = async |path: &str, c: &crate::common::Client| {
        // Once to settle the session's idle clock, then the count.
        c.get(path).await;
        let r = c.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        r.headers()["x-sql-statements"].to_str().unwrap().parse::<u32>().unwrap()
    };
    let mut small = Vec::new();
    for (_, path, c) in &pages {
        small.push(count(path, c).await);
    }
    klachtencommissie::demo::load::generate(&app.db, 1_500, None, &mut |_| {}).await.unwrap();
    let mut failures = Vec::new();
    for ((label, path, c), before) in pages.iter().zip(&small) {
        let after = count(path, c).await;
        assert!(*before > 0, "{label}: statements are counted");
        if after != *before {
            failures
                .push(format!("{label} ({path}): {before} statements with the demo, {after} with 1,500 more cases"));
        }
    }
    assert!(failures.is_empty(), "{backend:?}:\n{}", failures.join("\n"));
}

crate::on_both!(statement_counts, statement_counts_do_not_grow);

/// The board portal with more adviezen awaiting a decision than it lists: the count is whole,
/// the list holds the longest waiting, and it points to the register for the rest.
async fn portal_bounds_the_decisions_owed(backend: Backend) {
    use klachtencommissie::entities::advies;
    use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, IntoActiveModel, Set};
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    let board = app.login("bestuur@demo.nl").await;
    let (status, before) = board.get_text("/").await;
    assert_eq!(status, 200);
    assert!(before.contains("u neemt nog 1 besluit(en) op een advies"), "the demo owes one decision");

    // 60 copies of the demo's owed case, each received a day earlier than the one before.
    let owed = case::Entity::find()
        .filter(case::Column::BoardId.eq(1))
        .filter(case::Column::Status.eq("advies_uitgebracht"))
        .filter(
            case::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(advies::Column::CaseId)
                    .from(advies::Entity)
                    .and_where(advies::Column::SentAt.is_not_null())
                    .to_owned(),
            ),
        )
        .one(db)
        .await
        .unwrap()
        .expect("the demo has an advies awaiting the board's decision");
    let sent = advies::Entity::find()
        .filter(advies::Column::CaseId.eq(owed.id))
        .filter(advies::Column::SentAt.is_not_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    for i in 1..=60i64 {
        let mut c = owed.clone().into_active_model();
        c.id = NotSet;
        c.zaaknummer = Set(format!("2025-9{i:03}"));
        c.year = Set(2025);
        c.received_on = Set(owed.received_on - chrono::Duration::days(i));
        let copy = c.insert(db).await.unwrap();
        let mut a = sent.clone().into_active_model();
        a.id = NotSet;
        a.case_id = Set(copy.id);
        a.verification_code = Set(None);
        a.pdf_document_id = Set(None);
        a.sent_at = Set(sent.sent_at.map(|t| t - chrono::Duration::days(i)));
        a.insert(db).await.unwrap();
    }

    let (status, page) = board.get_text("/").await;
    assert_eq!(status, 200);
    assert!(page.contains("u neemt nog 61 besluit(en) op een advies"), "every owed decision is counted");
    let section = &page[page.find("id=\"besluiten\"").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("#advies\"").count(), 50, "the list stops at the limit");
    assert!(section.contains("Zaak 2025-9060"), "the longest waiting is listed");
    assert!(!section.contains(&format!("Zaak {}", owed.zaaknummer)), "the most recent is left for the register");
    assert!(section.contains("href=\"/zaken?status=advies_uitgebracht\""), "the rest are one click away");
    assert!(section.contains("alle 61 in het zakenregister"));
    // The adviezen received: the newest first, each case once, at most the limit.
    let received = &page[page.find("id=\"h-adviezen\"").expect("the adviezen section")..];
    let received = &received[..received.find("</section>").unwrap()];
    assert!(received.find(&owed.zaaknummer).unwrap() < received.find("2025-9001").unwrap(), "newest first");
    assert!(!received.contains("2025-9060"), "the oldest fall beyond the limit");
    crate::common::assert_adviezen_carry_their_board(db).await;

    // A decision recorded for the longest waiting takes it off the list; a case in the same
    // status whose advies was not sent never was on it.
    let oldest = case::Entity::find().filter(case::Column::Zaaknummer.eq("2025-9060")).one(db).await.unwrap().unwrap();
    klachtencommissie::entities::board_decision::ActiveModel {
        case_id: Set(oldest.id),
        decided_on: Set(owed.received_on),
        decision: Set("Het bestuur neemt het advies over.".into()),
        measures: Set(String::new()),
        informed_on: Set(owed.received_on),
        recorded_by: Set(None),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let mut unsent = owed.clone().into_active_model();
    unsent.id = NotSet;
    unsent.zaaknummer = Set("2025-9100".into());
    unsent.received_on = Set(owed.received_on - chrono::Duration::days(100));
    let unsent = unsent.insert(db).await.unwrap();
    let mut a = sent.clone().into_active_model();
    a.id = NotSet;
    a.case_id = Set(unsent.id);
    a.verification_code = Set(None);
    a.pdf_document_id = Set(None);
    a.sent_at = Set(None);
    a.insert(db).await.unwrap();
    let (_, page) = board.get_text("/").await;
    assert!(page.contains("u neemt nog 60 besluit(en) op een advies"), "decided and unsent are not owed");
    let section = &page[page.find("id=\"besluiten\"").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(!section.contains("Zaak 2025-9060") && !section.contains("Zaak 2025-9100"));
    assert!(section.contains("Zaak 2025-9059"), "the next longest waiting moves up");

    // An advies sent to another board, newer than all of these, is not this board's.
    let other = case::Entity::find().filter(case::Column::BoardId.ne(owed.board_id)).one(db).await.unwrap().unwrap();
    let mut a = sent.clone().into_active_model();
    a.id = NotSet;
    a.case_id = Set(other.id);
    a.version = Set(99); // the case may have an advies of its own
    a.board_id = Set(Some(other.board_id));
    a.verification_code = Set(None);
    a.pdf_document_id = Set(None);
    a.sent_at = Set(sent.sent_at.map(|t| t + chrono::Duration::days(1)));
    a.insert(db).await.unwrap();
    let (_, page) = board.get_text("/").await;
    let received = &page[page.find("id=\"h-adviezen\"").unwrap()..];
    let received = &received[..received.find("</section>").unwrap()];
    assert!(received.contains(&owed.zaaknummer) && !received.contains(&other.zaaknummer), "only the board's own");
}

crate::on_both!(portal_decisions_owed, portal_bounds_the_decisions_owed);

/// Past 10,000 matching cases the register stops counting and says so; a filter that narrows
/// below the cap gets its exact count again.
async fn register_count_is_capped(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    klachtencommissie::demo::load::generate(&app.db, 10_000, None, &mut |_| {}).await.unwrap();
    let sec = app.login("secretaris@demo.nl").await;
    let (status, page) = sec.get_text("/zaken").await;
    assert_eq!(status, 200);
    assert!(page.contains("Meer dan 10.000 zaken · pagina 1 van 400"), "capped count");
    assert!(page.contains("kies een jaar, stand of school om oudere zaken te vinden"));
    let (status, last) = sec.get_text("/zaken?page=9999").await;
    assert_eq!(status, 200);
    assert!(last.contains("pagina 400 van 400"), "a page past the cap shows the last one it counts");
    let exact = case::Entity::find().filter(case::Column::Status.eq("verweer")).count(&app.db).await.unwrap();
    assert!(exact < 10_000);
    let (_, filtered) = sec.get_text("/zaken?status=verweer").await;
    let exact = klachtencommissie::domain::dutch::count(exact);
    assert!(filtered.contains(&format!(">{exact} zaken")), "a narrower filter counts exactly: {exact}");
    assert!(!filtered.contains("Meer dan"));
    // The start page's figures per status stay exact below the cap.
    let (_, start) = sec.get_text("/").await;
    for status in CaseStatus::ALL {
        let n = case::Entity::find().filter(case::Column::Status.eq(status.code())).count(&app.db).await.unwrap();
        let row = format!(
            "/zaken?status={}\">{}</a></td><td class=\"muted\">{}</td><td class=\"num\">{}</td>",
            status.code(),
            status.label(),
            status.article(),
            klachtencommissie::domain::dutch::count(n)
        );
        assert!(start.contains(&row), "{}: {n} on the start page", status.code());
    }
}

crate::on_both!(register_cap, register_count_is_capped);

/// `demo --cases N --open K`: the history grows, the open workload stays about K.
async fn open_workload_held(backend: Backend) {
    use sea_orm::QuerySelect;
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    let last_demo: i32 = case::Entity::find()
        .select_only()
        .column_as(case::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await
        .unwrap()
        .flatten()
        .unwrap();
    klachtencommissie::demo::load::generate(db, 3_000, Some(60), &mut |_| {}).await.unwrap();
    let generated = case::Entity::find().filter(case::Column::Id.gt(last_demo));
    assert_eq!(generated.clone().count(db).await.unwrap(), 3_000);
    let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
    let n_open = generated.filter(case::Column::Status.is_in(open)).count(db).await.unwrap();
    // The seed is fixed, so the count is the same every run; the range allows the binomial
    // spread around 60 that another seed would give.
    assert!((30..=100).contains(&n_open), "{n_open} open of 3,000, asked about 60");
    assert_eq!(klachtencommissie::audit::verify(db).await.unwrap().result, Ok(()));
}
crate::on_both!(open_workload, open_workload_held);

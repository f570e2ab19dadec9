//! The load data set (issue 10): generated cases next to the demo data are whole (people,
//! klaagschrift, hearing term, audit entry), spread over every status, and the application
//! goes on after them: its next registration gets the next zaaknummer and id.

use crate::common::{Backend, TestApp};
use klachtencommissie::domain::case::CaseStatus;
use klachtencommissie::entities::{case, deadline, document, party};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn generated_cases_are_whole(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    let before = case::Entity::find().count(db).await.unwrap();
    let mut seen = Vec::new();
    klachtencommissie::demo::load::generate(db, 2_500, &mut |n| seen.push(n)).await.unwrap();
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
    klachtencommissie::demo::load::generate(&app.db, 1_500, &mut |_| {}).await.unwrap();
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

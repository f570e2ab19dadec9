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

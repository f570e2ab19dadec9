//! The access log (issue 9): views and downloads of a case are recorded with who and when, and
//! the beheerder (only) reads them per case, newest first.

use crate::common::{Backend, Client, TestApp, demo_case};
use klachtencommissie::access_log::What;
use klachtencommissie::entities::{access_log, api_token, document, register_entry, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn log_of(app: &TestApp, case_id: i32) -> Vec<access_log::Model> {
    access_log::Entity::find()
        .filter(access_log::Column::CaseId.eq(case_id))
        .order_by_desc(access_log::Column::At)
        .order_by_desc(access_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn user_named(app: &TestApp, email: &str) -> user::Model {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(&app.db).await.unwrap().unwrap()
}

/// The body rows of the log table, as HTML.
fn rows(html: &str) -> Vec<String> {
    let Some(start) = html.find("<tbody>") else {
        return Vec::new();
    };
    let end = start + html[start..].find("</tbody>").unwrap();
    html[start..end].split("<tr>").skip(1).map(str::to_owned).collect()
}

/// How the page shows a moment: Dutch local time to the second.
fn shown(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Amsterdam).format("%H:%M:%S").to_string()
}

async fn views_and_downloads_are_listed_for_the_beheerder(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let zaak = demo_case(&app.db, "De Waarden").await;
    let case_id = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0.id;
    let doc = document::Entity::find()
        .filter(document::Column::CaseId.eq(case_id))
        .filter(document::Column::Restricted.eq(false))
        .order_by_asc(document::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a demo document");
    assert!(log_of(&app, case_id).await.is_empty(), "the demo data has no log");

    // Someone not signed in is sent to the login page, and nothing is written.
    let anon = app.client().get(&format!("/zaken/{zaak}")).await;
    assert_eq!(anon.status(), 303);
    assert_eq!(access_log::Entity::find().count(&app.db).await.unwrap(), 0);

    let secretary = app.login("secretaris@demo.nl").await;
    assert_eq!(secretary.get(&format!("/zaken/{zaak}")).await.status(), 200);
    assert_eq!(secretary.get(&format!("/zaken/{zaak}/documenten/{}", doc.id)).await.status(), 200);
    let board = app.login("bestuur@demo.nl").await;
    assert_eq!(board.get(&format!("/zaken/{zaak}")).await.status(), 200);

    // Only the beheerder reads the log; reading it is not itself logged.
    for who in ["secretaris@demo.nl", "voorzitter@demo.nl", "lid@demo.nl", "bestuur@demo.nl"] {
        let c = app.login(who).await;
        assert_eq!(c.get(&format!("/zaken/{zaak}/inzage-log")).await.status(), 403, "{who}");
    }
    let anon = app.client().get(&format!("/zaken/{zaak}/inzage-log")).await;
    assert_eq!(anon.status(), 303);
    let admin = app.login("beheerder@demo.nl").await;
    assert_eq!(admin.get("/zaken/2099-9999/inzage-log").await.status(), 404);
    let (status, html) = admin.get_text(&format!("/zaken/{zaak}/inzage-log")).await;
    assert_eq!(status, 200);

    let log = log_of(&app, case_id).await;
    let sec = user_named(&app, "secretaris@demo.nl").await;
    let bestuur = user_named(&app, "bestuur@demo.nl").await;
    let got: Vec<(Option<i32>, &str)> = log.iter().map(|e| (e.user_id, e.what.as_str())).collect();
    assert_eq!(
        got,
        [(Some(bestuur.id), "zaak"), (Some(sec.id), "document"), (Some(sec.id), "zaak")],
        "exactly the three reads, newest first"
    );
    assert_eq!(log[1].detail.as_deref(), Some(format!("{} (document {})", doc.file_name, doc.id).as_str()));

    assert!(html.contains("3 inzagen"), "{html}");
    let rows = rows(&html);
    assert_eq!(rows.len(), 3, "{html}");
    let expect = [
        (format!("{} (Bevoegd gezag)", bestuur.name), "Zaakpagina bekeken"),
        (format!("{} (Secretaris)", sec.name), "Document gedownload"),
        (format!("{} (Secretaris)", sec.name), "Zaakpagina bekeken"),
    ];
    for ((row, (who, what)), entry) in rows.iter().zip(&expect).zip(&log) {
        let who = who.replace('\'', "&#39;");
        assert!(row.contains(&who), "{who} in {row}");
        assert!(row.contains(what), "{what} in {row}");
        assert!(row.contains(&shown(entry.at)), "the time of {what} in {row}");
    }
    assert!(rows[1].contains(&doc.file_name), "the download names the document");

    // The beheerder finds the log from the case page; the secretary has no link.
    let (_, page) = admin.get_text(&format!("/zaken/{zaak}")).await;
    assert!(page.contains(&format!("/zaken/{zaak}/inzage-log")));
    let (_, page) = secretary.get_text(&format!("/zaken/{zaak}")).await;
    assert!(!page.contains("inzage-log"));
}

crate::on_both!(listed_for_the_beheerder, views_and_downloads_are_listed_for_the_beheerder);

/// Creates a read token on the board's integration page and returns it.
async fn read_token(c: &mut Client) -> String {
    let resp = c.post_form("/koppeling/tokens", &[("naam", "LVS"), ("dagen", "30"), ("bevoegdheid", "lezen")]).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let start = html.find("id=\"nieuw-token\"").expect("the token on the page");
    let from = start + html[start..].find('>').unwrap() + 1;
    let to = from + html[from..].find("</textarea>").unwrap();
    html[from..to].trim().to_owned()
}

async fn hearing_advies_register_and_api_reads_are_logged(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let zaak = demo_case(&app.db, "De Waarden").await;
    let case_id = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0.id;
    let secretary = app.login("secretaris@demo.nl").await;
    assert_eq!(secretary.get(&format!("/zaken/{zaak}/zitting")).await.status(), 200);
    assert_eq!(secretary.get(&format!("/zaken/{zaak}/advies")).await.status(), 200);
    // A refused request is not a view.
    let mut board = app.login("bestuur@demo.nl").await;
    assert_eq!(board.get(&format!("/zaken/{zaak}/zitting")).await.status(), 403);

    let token = read_token(&mut board).await;
    let token_id =
        api_token::Entity::find().filter(api_token::Column::Name.eq("LVS")).one(&app.db).await.unwrap().unwrap().id;
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v1/zaken/{zaak}", app.url))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let log = log_of(&app, case_id).await;
    let got: Vec<(Option<i32>, &str, Option<&str>)> =
        log.iter().map(|e| (e.user_id, e.what.as_str(), e.detail.as_deref())).collect();
    let sec = user_named(&app, "secretaris@demo.nl").await.id;
    let api_detail = format!("API-token {token_id}: zaak");
    assert_eq!(
        got,
        [(None, "api", Some(api_detail.as_str())), (Some(sec), "advies", None), (Some(sec), "zitting", None)]
    );
    let admin = app.login("beheerder@demo.nl").await;
    let (_, html) = admin.get_text(&format!("/zaken/{zaak}/inzage-log")).await;
    let listed = rows(&html);
    assert!(listed[0].contains(&format!("API-token {token_id}</td>")), "{}", listed[0]);
    assert!(
        listed[1].contains("Advies en beraadslaging bekeken") && listed[2].contains("Onderzoek en zitting bekeken")
    );

    // A register entry escalated to a case is logged on that case; one that is not, nowhere.
    let board_id = user_named(&app, "bestuur@demo.nl").await.board_id.unwrap();
    let entries = register_entry::Entity::find()
        .filter(register_entry::Column::BoardId.eq(board_id))
        .order_by_asc(register_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let linked = entries.iter().find(|e| e.case_id.is_some()).expect("an escalated demo entry");
    let unlinked = entries.iter().find(|e| e.case_id.is_none()).expect("a demo entry of the school only");
    let before = access_log::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(board.get(&format!("/register/{}", unlinked.id)).await.status(), 200);
    assert_eq!(access_log::Entity::find().count(&app.db).await.unwrap(), before);
    assert_eq!(board.get(&format!("/register/{}", linked.id)).await.status(), 200);
    let log = log_of(&app, linked.case_id.unwrap()).await;
    assert_eq!(log[0].what, "register");
    assert_eq!(log[0].detail, Some(format!("registratie {}", linked.id)));
    assert_eq!(access_log::Entity::find().count(&app.db).await.unwrap(), before + 1);

    // Fifty entries a page: the oldest spill onto the second.
    let more = klachtencommissie::access_log::PER_PAGE;
    for _ in 0..more {
        klachtencommissie::access_log::record(&app.db, case_id, Some(sec), What::Zaak, None).await.unwrap();
    }
    let (_, first) = admin.get_text(&format!("/zaken/{zaak}/inzage-log")).await;
    assert_eq!(rows(&first).len() as u64, more);
    assert!(first.contains(&format!("/zaken/{zaak}/inzage-log?pagina=2")), "a link to the next page");
    let (status, second) = admin.get_text(&format!("/zaken/{zaak}/inzage-log?pagina=2")).await;
    assert_eq!(status, 200);
    let second = rows(&second);
    assert_eq!(second.len(), log_of(&app, case_id).await.len() - more as usize);
    assert!(second[2].contains("Onderzoek en zitting bekeken"), "the oldest entry last");
}

crate::on_both!(other_reads, hearing_advies_register_and_api_reads_are_logged);

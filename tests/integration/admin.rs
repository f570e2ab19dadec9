//! Administration through the real router: boards, schools, accounts, members.

use crate::common::{Backend, TestApp};
use klachtencommissie::entities::{board, member, school, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn board_school_and_account_from_scratch(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut admin = app.login("beheerder@demo.nl").await;

    // Bad input: explained, kept, nothing written.
    let boards_before = board::Entity::find().count(&app.db).await.unwrap();
    let r = admin
        .post_form(
            "/beheer/besturen",
            &[("name", "Stichting Het Baken"), ("address", ""), ("email", "geen"), ("affiliated_on", "2026-13-01")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"Stichting Het Baken\""), "input kept");
    assert!(html.contains("Dit veld is verplicht.") && html.contains("Vul een geldig e-mailadres in"));
    assert!(html.contains("Vul een geldige datum in"));
    assert_eq!(board::Entity::find().count(&app.db).await.unwrap(), boards_before);

    let r = admin
        .post_form(
            "/beheer/besturen",
            &[
                ("name", "Stichting Het Baken"),
                ("address", "Postbus 7\n8000 AA Zwolle"),
                ("email", "bestuur@hetbaken.example.nl"),
                ("affiliated_on", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The same name twice is refused by the unique constraint, as a field error.
    let dup = admin
        .post_form(
            "/beheer/besturen",
            &[("name", "Stichting Het Baken"), ("address", "x"), ("affiliated_on", "2026-01-01")],
        )
        .await;
    assert_eq!(dup.status(), 422);
    let b = board::Entity::find()
        .filter(board::Column::Name.eq("Stichting Het Baken"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    let r = admin
        .post_form(
            "/beheer/scholen",
            &[
                ("board_id", &b.id.to_string()),
                ("name", "De Vlonder"),
                ("brin", "12ab"),
                ("address", "Dijk 1\n8011 AA Zwolle"),
                ("place", "Zwolle"),
                ("region", "noord"),
                ("sector", "PO"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let s = school::Entity::find().filter(school::Column::Name.eq("De Vlonder")).one(&app.db).await.unwrap().unwrap();
    assert_eq!((s.region.as_str(), s.brin.as_deref()), ("noord", Some("12AB")));

    let r = admin
        .post_form(
            "/beheer/gebruikers",
            &[
                ("email", "Secretariaat@HetBaken.example.nl"),
                ("name", "Els de Boer"),
                ("role", "bestuur"),
                ("board_id", &b.id.to_string()),
                ("password", "lang-genoeg-wachtwoord"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let u = user::Entity::find()
        .filter(user::Column::Email.eq("secretariaat@hetbaken.example.nl"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.board_id, Some(b.id));

    // The new board user logs in and sees no cases: the board has none yet.
    let mut board_user = app.client();
    let r = board_user
        .post_form("/login", &[("email", "secretariaat@hetbaken.example.nl"), ("password", "lang-genoeg-wachtwoord")])
        .await;
    assert_eq!(r.status(), 303);
    let (status, html) = board_user.get_text("/zaken").await;
    assert_eq!(status, 200);
    assert!(html.contains(">0 zaken<"));

    // Deactivation ends the account's sessions at once.
    let r = admin.post_form(&format!("/beheer/gebruikers/{}/actief", u.id), &[("active", "nee")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(board_user.get("/zaken").await.status(), 303, "logged out");
    board_user.refresh_csrf().await;
    let r = board_user
        .post_form("/login", &[("email", "secretariaat@hetbaken.example.nl"), ("password", "lang-genoeg-wachtwoord")])
        .await;
    assert_eq!(r.status(), 401);

    // Accounts that need a board or a member say so.
    let r = admin
        .post_form(
            "/beheer/gebruikers",
            &[("email", "x@voorbeeld.nl"), ("name", "X"), ("role", "bestuur"), ("password", "kort")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("kies het bestuur") && html.contains("minstens 10 tekens"));
    let pos_board = html.find("kies het bestuur").unwrap();
    let pos_password = html.find("minstens 10 tekens").unwrap();
    let pos_email_field = html.find("name=\"email\"").unwrap();
    assert!(pos_board < pos_email_field && pos_password < pos_email_field, "the error summary comes first");
}
crate::on_both!(board_school_account, board_school_and_account_from_scratch);

async fn members_and_the_roster(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut admin = app.login("beheerder@demo.nl").await;
    let r = admin
        .post_form(
            "/commissie/leden",
            &[
                ("name", "dr. P. (Pim) Zandbergen"),
                ("email", "p.zandbergen@voorbeeld.nl"),
                ("expertise", "sociaal-medisch"),
                ("sector_VO", "ja"),
                ("sector_BVE", "ja"),
                ("term_start", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let m = member::Entity::find()
        .filter(member::Column::Email.eq("p.zandbergen@voorbeeld.nl"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.term_end.to_string(), "2030-12-01", "Art 5.3: four years by default");
    assert_eq!(m.sectors, "VO,BVE");

    let r = admin.post_form(&format!("/commissie/leden/{}/herbenoemen", m.id), &[]).await;
    assert_eq!(r.status(), 303);
    let renewed = member::Entity::find_by_id(m.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((renewed.term_end.to_string().as_str(), renewed.renewals), ("2034-12-01", 1));

    let r = admin
        .post_form(
            "/commissie/leden",
            &[
                ("name", "Zonder sector"),
                ("email", "z@voorbeeld.nl"),
                ("expertise", "juridisch"),
                ("term_start", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("value=\"Zonder sector\""));

    // The roster: chairs see it read-only; members and boards do not see it at all.
    let chair = app.login("voorzitter@demo.nl").await;
    let (status, html) = chair.get_text("/commissie").await;
    assert_eq!(status, 200);
    assert!(html.contains("Zandbergen") && !html.contains("Herbenoemen"));
    assert_eq!(app.login("lid@demo.nl").await.get("/commissie").await.status(), 403);
    assert_eq!(app.login("bestuur@demo.nl").await.get("/commissie").await.status(), 403);
    assert_eq!(admin.post_form("/commissie/leden/999999/herbenoemen", &[]).await.status(), 404);
}
crate::on_both!(members_roster, members_and_the_roster);

/// Art 3: a board's notice of termination ends the affiliation on 31 December when it came at
/// least three months before, else a year later; a wrong date is refused with the input kept.
async fn affiliation_notice(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut admin = app.login("beheerder@demo.nl").await;
    let boards = board::Entity::find().filter(board::Column::TerminatedOn.is_null()).all(&app.db).await.unwrap();
    let (first, second) = (&boards[0], &boards[1]);
    let year = chrono::Datelike::year(&klachtencommissie::admin::today());
    // A date in the future is refused, and the page keeps it.
    let future = format!("{}-01-05", year + 1);
    let r = admin.post_form(&format!("/beheer/besturen/{}/opzegging", first.id), &[("notice_on", &future)]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("tussen de aansluiting en vandaag") && page.contains(&future), "{page}");
    // Received on 1 January: in time for this year's end.
    let on_time = format!("{year}-01-02");
    let r = admin.post_form(&format!("/beheer/besturen/{}/opzegging", first.id), &[("notice_on", &on_time)]).await;
    assert_eq!(r.status(), 303);
    let b = board::Entity::find_by_id(first.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(b.terminated_on, chrono::NaiveDate::from_ymd_opt(year, 12, 31));
    // Received after 30 September: the end of next year (only when today is past it).
    let today = klachtencommissie::admin::today();
    let late = chrono::NaiveDate::from_ymd_opt(year, 10, 1).unwrap();
    if today >= late {
        let r = admin
            .post_form(&format!("/beheer/besturen/{}/opzegging", second.id), &[("notice_on", &late.to_string())])
            .await;
        assert_eq!(r.status(), 303);
        let b = board::Entity::find_by_id(second.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(b.terminated_on, chrono::NaiveDate::from_ymd_opt(year + 1, 12, 31));
    }
    let audit = klachtencommissie::entities::audit_entry::Entity::find()
        .filter(klachtencommissie::entities::audit_entry::Column::Action.eq("bestuur.opgezegd"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("audited");
    assert!(audit.detail.contains("drie maanden"), "{}", audit.detail);
}

crate::on_both!(affiliation_termination, affiliation_notice);

/// The rooster van aftreden as a document to print: every member, the first to retire first,
/// those ending within six months marked.
async fn printable_roster(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let sec = app.login("secretaris@demo.nl").await;
    let (status, page) = sec.get_text("/commissie/rooster").await;
    assert_eq!(status, 200);
    let today = klachtencommissie::admin::today();
    let mut members = member::Entity::find().all(&app.db).await.unwrap();
    let row = |name: &str| page.find(&format!("<th scope=\"row\">{name}")).expect("every member listed");
    members.sort_by_key(|m| row(&m.name));
    assert!(members.windows(2).all(|w| w[0].term_end <= w[1].term_end), "in order of the end of the term");
    let soon = members.iter().any(|m| {
        m.term_start <= today
            && today < m.term_end
            && m.term_end <= today.checked_add_months(chrono::Months::new(6)).unwrap()
    });
    assert_eq!(page.contains("loopt af binnen 6 maanden"), soon);
    assert!(!page.contains("Uitloggen"), "a document, without the navigation");
}

crate::on_both!(roster_document, printable_roster);

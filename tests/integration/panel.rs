//! The panel proposal (Art 5.1, 5.2, 9.1, 9.2) through the real router: the reasons shown, the
//! proposal accepted in one step, conflicts never seated.

use crate::common::{Backend, TestApp};
use klachtencommissie::entities::{member, panel_member};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn proposal_is_explained_and_accepted(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    // 2026-0013: a school of the board to which demo member m5 is tied.
    let zaak = "2026-0013";
    let u = klachtencommissie::entities::user::Entity::find()
        .filter(klachtencommissie::entities::user::Column::Email.eq("lid@demo.nl"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let tied_name = member::Entity::find_by_id(u.member_id.unwrap()).one(&app.db).await.unwrap().unwrap().name;
    let mut sec = app.login("secretaris@demo.nl").await;
    let (status, html) = sec.get_text(&format!("/zaken/{zaak}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Voorstel (art. 5, 9)") && html.contains("Waarom wel of niet voorgesteld"), "{html}");
    assert!(html.contains(&tied_name), "every member is assessed");
    assert!(html.contains("art. 5.1"), "the tie is the reason given");

    let r = sec.post_form(&format!("/zaken/{zaak}/commissie/voorstel"), &[]).await;
    assert_eq!(r.status(), 303);
    let c = klachtencommissie::cases::find_for_access(&app.db, zaak).await.unwrap().unwrap().0;
    let seats = panel_member::Entity::find().filter(panel_member::Column::CaseId.eq(c.id)).all(&app.db).await.unwrap();
    assert_eq!(seats.len(), 3, "a chair and two members (art. 9.1)");
    let chair = seats.iter().find(|s| s.role == "voorzitter").expect("a chair");
    let chair = member::Entity::find_by_id(chair.member_id).one(&app.db).await.unwrap().unwrap();
    assert!(chair.is_chair);
    for s in &seats {
        let m = member::Entity::find_by_id(s.member_id).one(&app.db).await.unwrap().unwrap();
        assert_ne!(m.name, tied_name, "never a member tied to the board (art. 5.1)");
    }
    // Full now: no proposal, and accepting again is refused with a reason.
    let r = sec.post_form(&format!("/zaken/{zaak}/commissie/voorstel"), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("geen voorstel"));
}
crate::on_both!(proposal, proposal_is_explained_and_accepted);

/// Seats chair voorzitter@demo.nl, and as members voorzitter2@demo.nl and lid@demo.nl, on a
/// case of another board than lid@demo.nl's; returns (zaaknummer, case id, member ids).
async fn panel_of_three(app: &TestApp) -> (String, i32, [i32; 3]) {
    use klachtencommissie::audit::{Actor, WriteTx};
    use klachtencommissie::domain::case::PanelRole;
    let zaak = "2026-0012".to_owned();
    let c = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0;
    let mut ids = [0; 3];
    for (i, email) in ["voorzitter@demo.nl", "voorzitter2@demo.nl", "lid@demo.nl"].iter().enumerate() {
        let u = klachtencommissie::entities::user::Entity::find()
            .filter(klachtencommissie::entities::user::Column::Email.eq(*email))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        ids[i] = u.member_id.unwrap();
    }
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    klachtencommissie::cases::panel::seat(&mut tx, &c, ids[0], PanelRole::Voorzitter).await.unwrap();
    klachtencommissie::cases::panel::seat(&mut tx, &c, ids[1], PanelRole::Lid).await.unwrap();
    klachtencommissie::cases::panel::seat(&mut tx, &c, ids[2], PanelRole::Lid).await.unwrap();
    tx.commit().await.unwrap();
    (zaak, c.id, ids)
}

async fn wraking_votes(backend: Backend, votes: [&str; 2]) -> (TestApp, String, i32, [i32; 3]) {
    let app = TestApp::with_demo(backend).await.unwrap();
    let (zaak, case_id, ids) = panel_of_three(&app).await;
    let mut sec = app.login("secretaris@demo.nl").await;
    // Bad input first: no grounds.
    let lid = ids[2].to_string();
    let r = sec
        .post_form(
            &format!("/zaken/{zaak}/wraking"),
            &[("lid", &lid), ("soort", "wraking"), ("door", "klager"), ("gronden", ""), ("ontvangen", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Geef de gronden"));
    let r = sec
        .post_form(
            &format!("/zaken/{zaak}/wraking"),
            &[
                ("lid", &lid),
                ("soort", "wraking"),
                ("door", "klager"),
                ("gronden", "Het lid kent de aangeklaagde privé."),
                ("ontvangen", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let rec = klachtencommissie::entities::recusal::Entity::find()
        .filter(klachtencommissie::entities::recusal::Column::CaseId.eq(case_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let url = format!("/zaken/{zaak}/wraking/{}/stem", rec.id);
    // The challenged member does not vote; a board user cannot.
    let mut challenged = app.login("lid@demo.nl").await;
    let r = challenged.post_form(&url, &[("stem", "afwijzen")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("zelf betreft"));
    let mut board = app.login("bestuur@demo.nl").await;
    assert_eq!(board.post_form(&url, &[("stem", "toewijzen")]).await.status(), 403);
    let (_, board_view) = board.get_text(&format!("/zaken/{zaak}")).await;
    assert!(!board_view.contains("Wraking en verschoning"), "the board does not see the panel's deliberation");
    // The other two vote, each in their own account.
    for (email, vote) in ["voorzitter@demo.nl", "voorzitter2@demo.nl"].iter().zip(votes) {
        let mut m = app.login(email).await;
        let (status, html) = m.get_text(&format!("/zaken/{zaak}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Stem uitbrengen"), "{email} sees the request and the vote form");
        assert_eq!(m.post_form(&url, &[("stem", vote)]).await.status(), 303);
        assert_eq!(m.post_form(&url, &[("stem", vote)]).await.status(), 422, "once");
    }
    (app, zaak, case_id, ids)
}

async fn wraking_granted_by_a_tie(backend: Backend) {
    if backend == Backend::Postgres && crate::common::postgres_base().is_none() {
        return;
    }
    let (app, zaak, case_id, ids) = wraking_votes(backend, ["toewijzen", "afwijzen"]).await;
    let rec = klachtencommissie::entities::recusal::Entity::find()
        .filter(klachtencommissie::entities::recusal::Column::CaseId.eq(case_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rec.status, "toegewezen", "a tie means granted (art. 19.4)");
    let seated: Vec<i32> = panel_member::Entity::find()
        .filter(panel_member::Column::CaseId.eq(case_id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.member_id)
        .collect();
    assert!(!seated.contains(&ids[2]), "the member leaves the panel");
    let lid = app.login("lid@demo.nl").await;
    assert_eq!(lid.get(&format!("/zaken/{zaak}")).await.status(), 403, "and loses access to the case");
    let letters = klachtencommissie::entities::letter::Entity::find()
        .filter(klachtencommissie::entities::letter::Column::Kind.eq("beslissing_wraking"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!letters.is_empty() && letters[0].body.contains("toegewezen"), "the parties are told");
    // The proposal now offers a replacement.
    let sec = app.login("secretaris@demo.nl").await;
    let (_, html) = sec.get_text(&format!("/zaken/{zaak}")).await;
    assert!(html.contains("Voorstel (art. 5, 9)"));
}
crate::on_both!(wraking_tie, wraking_granted_by_a_tie);

async fn wraking_refused_by_a_majority(backend: Backend) {
    if backend == Backend::Postgres && crate::common::postgres_base().is_none() {
        return;
    }
    let (app, _zaak, case_id, ids) = wraking_votes(backend, ["afwijzen", "afwijzen"]).await;
    let rec = klachtencommissie::entities::recusal::Entity::find()
        .filter(klachtencommissie::entities::recusal::Column::CaseId.eq(case_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rec.status, "afgewezen");
    let still = panel_member::Entity::find()
        .filter(panel_member::Column::CaseId.eq(case_id))
        .filter(panel_member::Column::MemberId.eq(ids[2]))
        .one(&app.db)
        .await
        .unwrap();
    assert!(still.is_some(), "the member stays");
    assert!(klachtencommissie::audit::verify(&app.db).await.unwrap().result.is_ok());
}
crate::on_both!(wraking_majority, wraking_refused_by_a_majority);

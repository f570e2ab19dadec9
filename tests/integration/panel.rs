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

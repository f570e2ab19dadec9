//! Intake paths through the real router (Art 11-13, 26): each checks the letters produced, the
//! deadlines, the audit entries, the state machine's refusals, and what board users see.

use crate::common::{Backend, Client, TestApp};
use klachtencommissie::entities::{audit_entry, case, deadline, letter, outbox_attachment, outbox_message, school};
use reqwest::multipart::{Form, Part};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Registers a klaagschrift at a school of the board of bestuur@demo.nl.
async fn register(app: &TestApp, c: &mut Client, facts_date: &str) -> case::Model {
    register_with(app, c, facts_date, &[]).await
}

async fn register_with(app: &TestApp, c: &mut Client, facts_date: &str, more: &[(&str, &str)]) -> case::Model {
    let board = klachtencommissie::entities::board::Entity::find()
        .filter(klachtencommissie::entities::board::Column::Name.contains("De Waarden"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let school =
        school::Entity::find().filter(school::Column::BoardId.eq(board.id)).one(&app.db).await.unwrap().unwrap();
    let arrival = more.iter().find(|(k, _)| *k == "arrival").map_or("post", |(_, v)| *v);
    let mut form = Form::new()
        .text("received_on", "2026-11-16")
        .text("arrival", arrival.to_owned())
        .text("school_id", school.id.to_string())
        .text("subject", "Klacht over de begeleiding in groep 5")
        .text("facts_date", facts_date.to_owned())
        .text("p0_role", "klager")
        .text("p0_name", "Eva Jansen")
        .text("p0_address", "Dorpsstraat 1\n3512 AB Utrecht")
        .text("p0_email", "eva@example.nl")
        .text("p1_role", "aangeklaagde")
        .text("p1_name", "T. de Groot")
        .text("p1_email", "groot@school.example.nl")
        .text("acknowledge", "ja")
        .text("d0_title", "Klaagschrift")
        .part("d0_file", Part::bytes(PDF.to_vec()).file_name("klaagschrift.pdf").mime_str("application/pdf").unwrap());
    for (k, v) in more.iter().filter(|(k, _)| *k != "arrival") {
        form = form.text(k.to_string(), v.to_string());
    }
    let r = c.post_multipart("/zaken", form).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let zaak = r.headers()["location"].to_str().unwrap().trim_start_matches("/zaken/").to_owned();
    reload(&app.db, &zaak).await
}

async fn reload(db: &DatabaseConnection, zaak: &str) -> case::Model {
    case::Entity::find().filter(case::Column::Zaaknummer.eq(zaak)).one(db).await.unwrap().unwrap()
}

fn all_present() -> Vec<(String, String)> {
    ["klager", "aangeklaagde", "bevoegd_gezag", "dagtekening", "omschrijving", "gronden", "stukken"]
        .iter()
        .map(|r| (format!("eis_{r}"), "ja".to_owned()))
        .collect()
}

async fn post(c: &mut Client, zaak: &str, step: &str, fields: &[(String, String)]) -> reqwest::Response {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post_form(&format!("/zaken/{zaak}/intake/{step}"), &f).await
}

async fn post_doc(c: &mut Client, zaak: &str, step: &str, received: &str) -> reqwest::Response {
    let form = Form::new().text("ontvangen", received.to_owned()).part(
        "bestand",
        Part::bytes(PDF.to_vec()).file_name(format!("{step}.pdf")).mime_str("application/pdf").unwrap(),
    );
    c.post_multipart(&format!("/zaken/{zaak}/intake/{step}"), form).await
}

async fn letters(db: &DatabaseConnection, case_id: i32) -> Vec<(String, String)> {
    letter::Entity::find()
        .filter(letter::Column::CaseId.eq(case_id))
        .order_by_asc(letter::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.kind, l.recipient_role))
        .collect()
}

async fn deadline_of(db: &DatabaseConnection, case_id: i32, kind: &str) -> deadline::Model {
    deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(case_id))
        .filter(deadline::Column::Kind.eq(kind))
        .order_by_desc(deadline::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {kind} deadline"))
}

async fn audited(db: &DatabaseConnection, case_id: i32, action: &str) -> bool {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.eq(case_id))
        .filter(audit_entry::Column::Action.eq(action))
        .count(db)
        .await
        .unwrap()
        > 0
}

fn s(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Complete at once → forwarded with its documents → verweerschrift on time → onderzoek.
async fn complete_at_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;

    // Not before the checklist: the server refuses, nothing is written.
    let r = post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("nog niet volledig"));
    assert_eq!(letters(&app.db, c.id).await.len(), 1, "only the acknowledgement");

    // An incomplete form is refused with the input's problem named.
    let r = post(&mut sec, &c.zaaknummer, "volledigheid", &s(&[("eis_klager", "ja")])).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Geef bij elk vereiste aan"));

    assert_eq!(post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await.status(), 303);
    assert_eq!(reload(&app.db, &c.zaaknummer).await.checklist, "1111111");
    assert_eq!(post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.status, "verweer");
    assert_eq!(
        letters(&app.db, c.id).await,
        vec![
            ("ontvangstbevestiging".to_owned(), "klager".to_owned()),
            ("doorzending_aangeklaagde".into(), "aangeklaagde".into()),
            ("melding_bevoegd_gezag".into(), "bestuur".into()),
        ]
    );
    let d = deadline_of(&app.db, c.id, "verweerschrift").await;
    assert_eq!(d.status, "open");
    assert_eq!(d.event_on, klachtencommissie::admin::today());
    // The klaagschrift goes along with the letter to the aangeklaagde.
    let to_accused = outbox_message::Entity::find()
        .filter(outbox_message::Column::ToEmail.eq("groot@school.example.nl"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        outbox_attachment::Entity::find()
            .filter(outbox_attachment::Column::OutboxId.eq(to_accused.id))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    assert!(audited(&app.db, c.id, "intake.doorgestuurd_aangeklaagde").await);

    // The board of the school sees it; another board does not.
    let mut board = app.login("bestuur@demo.nl").await;
    let (status, html) = board.get_text("/meldingen").await;
    assert_eq!(status, 200);
    assert!(html.contains(&c.zaaknummer));
    let (status, html) = board.get_text(&format!("/zaken/{}", c.zaaknummer)).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Doorsturen"), "a board user gets no procedure actions");
    let other = app.login("bestuur2@demo.nl").await;
    assert_eq!(other.get(&format!("/zaken/{}", c.zaaknummer)).await.status(), 403);
    assert_eq!(post(&mut board, &c.zaaknummer, "intrekking", &[]).await.status(), 403);

    let today = klachtencommissie::admin::today().to_string();
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "verweerschrift", &today).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.status, "onderzoek");
    assert_eq!(deadline_of(&app.db, c.id, "verweerschrift").await.status, "met");
    let ls = letters(&app.db, c.id).await;
    assert_eq!(
        ls[ls.len() - 2..].to_vec(),
        vec![
            ("ontvangst_stuk".to_owned(), "aangeklaagde".to_owned()),
            ("doorzending_verweerschrift".into(), "klager".into())
        ],
        "the aangeklaagde gets the acknowledgement (art. 11.9), the klager the verweerschrift (art. 13.2)"
    );
    assert!(klachtencommissie::audit::verify(&app.db).await.unwrap().result.is_ok());
}
crate::on_both!(path_complete, complete_at_once);

/// Incomplete → repair asked (letter lists exactly what is missing, two-week term) → repaired
/// in time → checked again and forwarded.
async fn repaired_in_time(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    let mut list = all_present();
    list[0].1 = "nee".into(); // no correspondence address
    list[5].1 = "nee".into(); // no grounds
    assert_eq!(post(&mut sec, &c.zaaknummer, "volledigheid", &list).await.status(), 303);
    // A member may not decide on repair.
    let lid = app.login("lid@demo.nl").await;
    assert_eq!(lid.get(&format!("/zaken/{}", c.zaaknummer)).await.status(), 403);
    assert_eq!(post(&mut sec, &c.zaaknummer, "herstel", &[]).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.status, "herstel_gevraagd");
    let l =
        letter::Entity::find().filter(letter::Column::Kind.eq("herstelverzoek")).one(&app.db).await.unwrap().unwrap();
    assert!(
        l.body.contains("- de naam en het correspondentieadres van de klager\n- de gronden van de klacht"),
        "{}",
        l.body
    );
    assert!(!l.body.contains("dagtekening"), "only what is missing");
    assert!(l.body.contains("niet-ontvankelijk"), "warns of niet-ontvankelijkheid");
    let d = deadline_of(&app.db, c.id, "herstel").await;
    assert_eq!((d.status.as_str(), d.term.as_str()), ("open", "2 weken"));
    assert!(
        l.body.contains(&klachtencommissie::domain::dutch::date(d.due_on.unwrap())),
        "the letter names the last day"
    );

    let today = klachtencommissie::admin::today().to_string();
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "herstel-ontvangen", &today).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.status, "ontvangen");
    assert_eq!(c.checklist, "?1111?1", "the repaired items are checked again");
    assert_eq!(deadline_of(&app.db, c.id, "herstel").await.status, "met");
    assert_eq!(post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await.status(), 303);
    assert_eq!(post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await.status(), 303);
    assert_eq!(reload(&app.db, &c.zaaknummer).await.status, "verweer");
}
crate::on_both!(path_repaired, repaired_in_time);

/// Not repaired: refused while the term runs; after it, niet-ontvankelijk with reasons to the
/// klager, the board told, every running term ended.
async fn not_repaired(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    let mut list = all_present();
    list[6].1 = "nee".into();
    post(&mut sec, &c.zaaknummer, "volledigheid", &list).await;
    post(&mut sec, &c.zaaknummer, "herstel", &[]).await;
    let reason = s(&[("reden", "Het klaagschrift is niet binnen twee weken aangevuld met de stukken.")]);
    let r = post(&mut sec, &c.zaaknummer, "niet-ontvankelijk", &reason).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("loopt nog"));

    // The term passes.
    let d = deadline_of(&app.db, c.id, "herstel").await;
    let mut am: deadline::ActiveModel = d.into();
    am.due_on = Set(Some(klachtencommissie::admin::today() - chrono::Days::new(1)));
    am.update(&app.db).await.unwrap();
    let (_, html) = sec.get_text(&format!("/zaken/{}", c.zaaknummer)).await;
    assert!(html.contains("De hersteltermijn is verstreken"), "the case page says a decision is due");
    let (_, home) = sec.get_text("/").await;
    assert!(
        home.contains(&format!("Zaak {}: hersteltermijn verstreken", c.zaaknummer)),
        "on the list of decisions: {home}"
    );

    assert_eq!(
        post(&mut sec, &c.zaaknummer, "niet-ontvankelijk", &s(&[("reden", "kort")])).await.status(),
        422,
        "a reason is required"
    );
    assert_eq!(post(&mut sec, &c.zaaknummer, "niet-ontvankelijk", &reason).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!((c.status.as_str(), c.outcome.as_deref()), ("afgesloten", Some("niet_ontvankelijk")));
    let ls = letters(&app.db, c.id).await;
    assert!(
        ls.contains(&("niet_ontvankelijk".into(), "klager".into()))
            && ls.contains(&("afloop_bevoegd_gezag".into(), "bestuur".into())),
        "{ls:?}"
    );
    let running = deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(c.id))
        .filter(deadline::Column::Status.is_in(["open", "extended"]))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(running, 0, "no term runs on after the end");
    let l = letter::Entity::find()
        .filter(letter::Column::Kind.eq("niet_ontvankelijk"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(l.body.contains("niet binnen twee weken aangevuld"), "the letter gives the reason");
    // A closed case takes no further step.
    assert_eq!(
        post(&mut sec, &c.zaaknummer, "intrekking", &s(&[("datum", "2026-11-20"), ("wijze", "schriftelijk")]))
            .await
            .status(),
        422
    );
}
crate::on_both!(path_not_repaired, not_repaired);

/// Filed more than a year after the facts: blocked until the commission decides; accepted
/// with a reason, the case goes on.
async fn late_filing_accepted(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2025-06-01").await;
    assert_eq!(deadline_of(&app.db, c.id, "indiening").await.status, "missed");
    post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await;
    let r = post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("art. 11.5"));
    let (_, home) = sec.get_text("/").await;
    assert!(home.contains(&format!("Zaak {}: te laat ingediend", c.zaaknummer)), "on the list of decisions");
    assert_eq!(
        post(&mut sec, &c.zaaknummer, "te-laat", &s(&[("besluit", "aannemen")])).await.status(),
        422,
        "reason required"
    );
    let r = post(
        &mut sec,
        &c.zaaknummer,
        "te-laat",
        &s(&[("besluit", "aannemen"), ("reden", "De klager was langdurig ziek.")]),
    )
    .await;
    assert_eq!(r.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(
        (c.late_decision.as_deref(), c.late_reason.as_deref()),
        (Some("aangenomen"), Some("De klager was langdurig ziek."))
    );
    assert!(audited(&app.db, c.id, "intake.te_laat_beslist").await);
    assert_eq!(post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await.status(), 303);
}
crate::on_both!(path_late_accepted, late_filing_accepted);

/// Art 11.10: forwarded to the competent commission, klager told, case ends.
async fn forwarded_elsewhere(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    assert_eq!(post(&mut sec, &c.zaaknummer, "doorzenden", &s(&[("commissie", "")])).await.status(), 422);
    let to = s(&[("commissie", "Klachtencommissie Primair Onderwijs, Postbus 1, 3500 AA Utrecht")]);
    assert_eq!(post(&mut sec, &c.zaaknummer, "doorzenden", &to).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.outcome.as_deref(), Some("doorgezonden"));
    let l = letter::Entity::find().filter(letter::Column::Kind.eq("doorgezonden")).one(&app.db).await.unwrap().unwrap();
    assert!(l.body.contains("Klachtencommissie Primair Onderwijs"));
    assert_eq!(deadline_of(&app.db, c.id, "hoorzitting").await.status, "cancelled");
}
crate::on_both!(path_forwarded, forwarded_elsewhere);

/// Withdrawn while the verweerschrift term runs: terms cancelled, both parties and the board told.
async fn withdrawn(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await;
    post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await;
    let r = post(&mut sec, &c.zaaknummer, "intrekking", &s(&[("datum", "2026-11-20")])).await;
    assert_eq!(r.status(), 422, "how it was withdrawn is required");
    let today = klachtencommissie::admin::today().to_string();
    let r = post(&mut sec, &c.zaaknummer, "intrekking", &s(&[("datum", &today), ("wijze", "schriftelijk")])).await;
    assert_eq!(r.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.outcome.as_deref(), Some("ingetrokken"));
    let ls = letters(&app.db, c.id).await;
    for expected in [("intrekking", "klager"), ("intrekking", "aangeklaagde"), ("afloop_bevoegd_gezag", "bestuur")] {
        assert!(ls.contains(&(expected.0.to_owned(), expected.1.to_owned())), "{expected:?} in {ls:?}");
    }
    assert_eq!(deadline_of(&app.db, c.id, "verweerschrift").await.status, "cancelled");
    assert!(audited(&app.db, c.id, "intake.ingetrokken").await);
}
crate::on_both!(path_withdrawn, withdrawn);

/// The chair extends the verweerschrift term for an exceptional reason; both parties are told;
/// the verweerschrift then arrives within the extended term.
async fn verweer_after_extension(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await;
    post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await;
    let before = deadline_of(&app.db, c.id, "verweerschrift").await.due_on.unwrap();
    assert_eq!(
        post(&mut sec, &c.zaaknummer, "verweer-verlengen", &s(&[("duur", "2 weken"), ("reden", "")])).await.status(),
        422
    );
    assert_eq!(
        post(
            &mut sec,
            &c.zaaknummer,
            "verweer-verlengen",
            &s(&[("duur", "veel"), ("reden", "De aangeklaagde is opgenomen in het ziekenhuis.")])
        )
        .await
        .status(),
        422
    );
    let r = post(
        &mut sec,
        &c.zaaknummer,
        "verweer-verlengen",
        &s(&[("duur", "2 weken"), ("reden", "De aangeklaagde is opgenomen in het ziekenhuis.")]),
    )
    .await;
    assert_eq!(r.status(), 303);
    let d = deadline_of(&app.db, c.id, "verweerschrift").await;
    assert_eq!(d.status, "extended");
    assert!(d.due_on.unwrap() > before);
    assert!(d.decision_reason.unwrap_or_default().contains("uitzonderlijk"));
    let ls = letters(&app.db, c.id).await;
    assert!(
        ls.contains(&("verlenging_verweer".into(), "aangeklaagde".into()))
            && ls.contains(&("verlenging_verweer".into(), "klager".into()))
    );
    let today = klachtencommissie::admin::today().to_string();
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "verweerschrift", &today).await.status(), 303);
    assert_eq!(deadline_of(&app.db, c.id, "verweerschrift").await.status, "met");
}
crate::on_both!(path_extended, verweer_after_extension);

/// Art 11.2: an oral complaint waits for the klager's signature before it can go further.
async fn oral_complaint(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register_with(&app, &mut sec, "2026-10-01", &[("arrival", "mondeling")]).await;
    assert!(c.awaiting_signature);
    post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await;
    let r = post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("art. 11.2"));
    let today = klachtencommissie::admin::today().to_string();
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "verslag", &today).await.status(), 303);
    assert!(!reload(&app.db, &c.zaaknummer).await.awaiting_signature);
    assert!(audited(&app.db, c.id, "intake.verslag_ondertekend").await);
    assert_eq!(post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await.status(), 303);
}
crate::on_both!(path_oral, oral_complaint);

/// Art 11.6: a complaint the school received within the year counts as timely, even when it
/// reaches the commission after the year; the form asks for the school's receipt date.
async fn forwarded_by_school_in_time(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    // Missing the school's receipt date: refused, input kept, nothing registered.
    let before = case::Entity::find().count(&app.db).await.unwrap();
    let school = school::Entity::find().one(&app.db).await.unwrap().unwrap();
    let bad = Form::new()
        .text("received_on", "2026-11-16")
        .text("arrival", "doorgezonden")
        .text("school_id", school.id.to_string())
        .text("subject", "Doorgezonden klacht")
        .text("p0_role", "klager")
        .text("p0_name", "Eva Jansen")
        .text("forwarded_by", "OBS De Klimop");
    let r = sec.post_multipart("/zaken", bad).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("OBS De Klimop"), "input kept");
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), before);
    let c = register_with(
        &app,
        &mut sec,
        "2025-11-10",
        &[("arrival", "doorgezonden"), ("forwarded_by", "OBS De Klimop"), ("forwarded_received_on", "2026-11-05")],
    )
    .await;
    assert_eq!(c.forwarded_received_on.map(|d| d.to_string()).as_deref(), Some("2026-11-05"));
    assert_eq!(deadline_of(&app.db, c.id, "indiening").await.status, "met", "timely through the school (art. 11.6)");
}
crate::on_both!(path_forwarded_by_school, forwarded_by_school_in_time);

/// Art 11.9: a document received on any case is acknowledged to its sender.
async fn incoming_document_is_acknowledged(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    let klager = klachtencommissie::entities::party::Entity::find()
        .filter(klachtencommissie::entities::party::Column::CaseId.eq(c.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let form = Form::new()
        .text("doc_title", "Aanvullende verklaring")
        .text("doc_received_on", "2026-11-20")
        .text("doc_from", format!("partij-{}", klager.id))
        .text("doc_ack", "ja")
        .part("doc_file", Part::bytes(PDF.to_vec()).file_name("verklaring.pdf").mime_str("application/pdf").unwrap());
    assert_eq!(sec.post_multipart(&format!("/zaken/{}/documenten", c.zaaknummer), form).await.status(), 303);
    let l =
        letter::Entity::find().filter(letter::Column::Kind.eq("ontvangst_stuk")).one(&app.db).await.unwrap().unwrap();
    assert_eq!(l.recipient_name, "Eva Jansen");
    assert!(l.body.contains("Aanvullende verklaring") && l.body.contains("20 november 2026"), "{}", l.body);
}
crate::on_both!(document_acknowledged, incoming_document_is_acknowledged);

/// Art 11.5: a date of the facts learned after registration starts the filing-term check.
async fn facts_date_recorded_later(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "").await;
    assert!(c.facts_date.is_none());
    assert_eq!(post(&mut sec, &c.zaaknummer, "feiten", &s(&[("datum", "2030-01-01")])).await.status(), 422);
    assert_eq!(post(&mut sec, &c.zaaknummer, "feiten", &s(&[("datum", "2025-09-01")])).await.status(), 303);
    assert_eq!(deadline_of(&app.db, c.id, "indiening").await.status, "missed", "more than a year: flagged");
    let r = post(&mut sec, &c.zaaknummer, "feiten", &s(&[("datum", "2025-10-01")])).await;
    assert_eq!(r.status(), 422, "recorded once");
    let (_, home) = sec.get_text("/").await;
    assert!(home.contains(&format!("Zaak {}: te laat ingediend", c.zaaknummer)));
}
crate::on_both!(path_facts_later, facts_date_recorded_later);

/// Art 15: a restricted document never reaches the party concerned; its gemachtigde gets it only
/// as a lawyer, doctor or admitted; a letter that would enclose it explains instead.
async fn restricted_documents(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    for qualified in [false, true] {
        let c = register_with(
            &app,
            &mut sec,
            "2026-10-01",
            &[
                ("p2_role", "gemachtigde_aangeklaagde"),
                ("p2_name", "mr. P. Smit"),
                ("p2_email", "smit@advocaten.example.nl"),
            ],
        )
        .await;
        // A second document, marked restricted by the chair.
        let form = Form::new()
            .text("doc_title", "Medisch verslag")
            .text("doc_received_on", "2026-11-16")
            .part("doc_file", Part::bytes(PDF.to_vec()).file_name("medisch.pdf").mime_str("application/pdf").unwrap());
        assert_eq!(sec.post_multipart(&format!("/zaken/{}/documenten", c.zaaknummer), form).await.status(), 303);
        let medical = klachtencommissie::entities::document::Entity::find()
            .filter(klachtencommissie::entities::document::Column::CaseId.eq(c.id))
            .filter(klachtencommissie::entities::document::Column::Title.eq("Medisch verslag"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let url = format!("/zaken/{}/documenten/{}/inzage", c.zaaknummer, medical.id);
        assert_eq!(
            sec.post_form(&url, &[("voor", "aangeklaagde"), ("reden", "")]).await.status(),
            422,
            "a reason is required"
        );
        assert_eq!(
            sec.post_form(&url, &[("voor", "aangeklaagde"), ("reden", "Bescherming van de gezondheid van de klager.")])
                .await
                .status(),
            303
        );
        if qualified {
            let g = klachtencommissie::entities::party::Entity::find()
                .filter(klachtencommissie::entities::party::Column::CaseId.eq(c.id))
                .filter(klachtencommissie::entities::party::Column::Role.eq("gemachtigde_aangeklaagde"))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            let r = sec
                .post_form(
                    &format!("/zaken/{}/betrokkenen/{}/hoedanigheid", c.zaaknummer, g.id),
                    &[("hoedanigheid", "advocaat")],
                )
                .await;
            assert_eq!(r.status(), 303);
            let (_, html) = sec.get_text(&format!("/zaken/{}", c.zaaknummer)).await;
            assert!(html.contains("Mag inzien: de commissie, mr. P. Smit (advocaat)"), "the page shows who may see it");
        }
        post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await;
        assert_eq!(post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await.status(), 303);
        let m = outbox_message::Entity::find()
            .filter(outbox_message::Column::CaseId.eq(c.id))
            .filter(outbox_message::Column::ToEmail.eq("smit@advocaten.example.nl"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the letter goes to the gemachtigde");
        let attached: Vec<i32> = outbox_attachment::Entity::find()
            .filter(outbox_attachment::Column::OutboxId.eq(m.id))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.document_id)
            .collect();
        assert_eq!(attached.contains(&medical.id), qualified, "qualified={qualified}");
        assert_eq!(m.body.contains("artikel 15"), !qualified, "the letter explains the restriction instead");
    }
    // A board user never downloads it.
    let board = app.login("bestuur@demo.nl").await;
    let medical = klachtencommissie::entities::document::Entity::find()
        .filter(klachtencommissie::entities::document::Column::Title.eq("Medisch verslag"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let c = case::Entity::find_by_id(medical.case_id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(board.get(&format!("/zaken/{}/documenten/{}", c.zaaknummer, medical.id)).await.status(), 403);
}
crate::on_both!(art15, restricted_documents);

/// Art 16: closed without a hearing while the verweerschrift term runs; refused once the parties
/// are invited to a hearing.
async fn simplified_handling(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await;
    post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await;
    assert_eq!(
        post(&mut sec, &c.zaaknummer, "vereenvoudigd", &s(&[("reden", "De klacht gaat over iets anders.")]))
            .await
            .status(),
        422
    );
    let r = post(
        &mut sec,
        &c.zaaknummer,
        "vereenvoudigd",
        &s(&[("uitkomst", "ongegrond"), ("reden", "Uit de stukken blijkt dat de school het protocol heeft gevolgd.")]),
    )
    .await;
    assert_eq!(r.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!((c.status.as_str(), c.outcome.as_deref()), ("afgesloten", Some("ongegrond")));
    let ls = letters(&app.db, c.id).await;
    for expected in
        [("vereenvoudigd", "klager"), ("vereenvoudigd", "aangeklaagde"), ("afloop_bevoegd_gezag", "bestuur")]
    {
        assert!(ls.contains(&(expected.0.to_owned(), expected.1.to_owned())), "{expected:?} in {ls:?}");
    }
    assert_eq!(deadline_of(&app.db, c.id, "verweerschrift").await.status, "cancelled");
    assert!(audited(&app.db, c.id, "zaak.vereenvoudigd").await);

    // A demo case whose hearing is planned: the parties are invited, the option is gone.
    let planned =
        case::Entity::find().filter(case::Column::Status.eq("zitting_gepland")).one(&app.db).await.unwrap().unwrap();
    let r = post(
        &mut sec,
        &planned.zaaknummer,
        "vereenvoudigd",
        &s(&[("uitkomst", "ongegrond"), ("reden", "Kennelijk ongegrond volgens de stukken.")]),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("art. 16"));
    assert_eq!(reload(&app.db, &planned.zaaknummer).await.status, "zitting_gepland", "nothing changed");
}
crate::on_both!(art16, simplified_handling);

/// Art 17: written handling only with three consents; repliek, then dupliek, each forwarded to
/// the other party; its end closes the investigation and starts the advies term.
async fn written_handling(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let c = register(&app, &mut sec, "2026-10-01").await;
    post(&mut sec, &c.zaaknummer, "volledigheid", &all_present()).await;
    post(&mut sec, &c.zaaknummer, "aangeklaagde", &[]).await;
    let today = klachtencommissie::admin::today().to_string();
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "verweerschrift", &today).await.status(), 303);
    let terms = s(&[("repliek", "2 weken"), ("dupliek", "10 dagen")]);
    let r = post(&mut sec, &c.zaaknummer, "schriftelijk", &terms).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("instemming"), "not without consent");
    for who in ["commissie", "klager"] {
        assert_eq!(post(&mut sec, &c.zaaknummer, "instemming", &s(&[("wie", who)])).await.status(), 303);
    }
    assert_eq!(
        post(&mut sec, &c.zaaknummer, "schriftelijk", &terms).await.status(),
        422,
        "the aangeklaagde has not consented"
    );
    assert_eq!(post(&mut sec, &c.zaaknummer, "instemming", &s(&[("wie", "aangeklaagde")])).await.status(), 303);
    assert_eq!(
        post(&mut sec, &c.zaaknummer, "schriftelijk", &s(&[("repliek", "veel"), ("dupliek", "2 weken")]))
            .await
            .status(),
        422
    );
    assert_eq!(post(&mut sec, &c.zaaknummer, "schriftelijk", &terms).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.status, "schriftelijk");
    let repliek = deadline_of(&app.db, c.id, "repliek").await;
    assert_eq!((repliek.status.as_str(), repliek.term.as_str()), ("open", "2 weken"));
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "dupliek", &today).await.status(), 422, "the repliek comes first");
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "repliek", &today).await.status(), 303);
    assert_eq!(deadline_of(&app.db, c.id, "repliek").await.status, "met");
    let dupliek = deadline_of(&app.db, c.id, "dupliek").await;
    assert_eq!((dupliek.status.as_str(), dupliek.term.as_str()), ("open", "10 dagen"));
    assert_eq!(post_doc(&mut sec, &c.zaaknummer, "dupliek", &today).await.status(), 303);
    let c = reload(&app.db, &c.zaaknummer).await;
    assert_eq!(c.status, "advies_in_voorbereiding", "the end of written handling closes the investigation");
    assert_eq!(deadline_of(&app.db, c.id, "advies").await.status, "open");
    let ls = letters(&app.db, c.id).await;
    for expected in [
        ("schriftelijke_behandeling", "klager"),
        ("schriftelijke_behandeling", "aangeklaagde"),
        ("doorzending_stuk", "aangeklaagde"),
        ("doorzending_stuk", "klager"),
    ] {
        assert!(ls.contains(&(expected.0.to_owned(), expected.1.to_owned())), "{expected:?} in {ls:?}");
    }
    assert!(audited(&app.db, c.id, "schriftelijk.afgerond").await);
}
crate::on_both!(art17, written_handling);

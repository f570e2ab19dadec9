//! The school complaints register through the real router: recording with the rules of both
//! procedures (an anonymous written complaint refused, unwanted behaviour to the
//! vertrouwenspersoon, the 48-hour handler, the 15-working-day answer, the Klassepro
//! follow-up), confidentiality between boards, and the escalation round trip: an entry
//! escalated, its case handled to a signed advies, the outcome visible in the entry.

use crate::common::{Backend, Client, TestApp, member_id_of, post};
use klachtencommissie::domain::school_register::{self as rules, Procedure};
use klachtencommissie::domain::termijn::Calendars;
use klachtencommissie::entities::{
    case, document, outbox_message, party, register_entry, register_letter, school, user,
};
use reqwest::multipart::{Form, Part};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

async fn school_of(db: &DatabaseConnection, name: &str) -> school::Model {
    school::Entity::find().filter(school::Column::Name.eq(name)).one(db).await.unwrap().unwrap()
}

async fn entry(db: &DatabaseConnection, id: i32) -> register_entry::Model {
    register_entry::Entity::find_by_id(id).one(db).await.unwrap().unwrap()
}

async fn newest_entry(db: &DatabaseConnection) -> register_entry::Model {
    register_entry::Entity::find().order_by_desc(register_entry::Column::Id).one(db).await.unwrap().unwrap()
}

/// The registratieformulier as a multipart form, with `changes` applied over sensible values.
fn form(school_id: i32, received_on: &str, changes: &[(&'static str, &str)], pdf: bool) -> Form {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("school_id", school_id.to_string()),
        ("received_on", received_on.to_owned()),
        ("received_how", "schriftelijk".into()),
        ("written_name", "ja".into()),
        ("written_address", "ja".into()),
        ("written_signed", "ja".into()),
        ("complainant_name", "E. van Leeuwen".into()),
        ("complainant_role", "ouder".into()),
        ("child_name", "Bram van Leeuwen".into()),
        ("group_name", "groep 6".into()),
        ("address", "Lindelaan 4\n6521 AB Nijmegen".into()),
        ("phone", "024-7654321".into()),
        ("email", "e.vanleeuwen@example.org".into()),
        ("kind", "onderwijskundig".into()),
        ("nature", "De leerkracht beoordeelt het werk van onze zoon structureel lager dan dat van klasgenoten.".into()),
        ("complained_about", "mevrouw J. Brouwer".into()),
        ("facts_on", received_on.to_owned()),
    ];
    for (k, v) in changes {
        fields.retain(|(name, _)| name != k);
        if !v.is_empty() {
            fields.push((k, (*v).to_owned()));
        }
    }
    let mut f = Form::new();
    for (k, v) in fields {
        f = f.text(k, v);
    }
    if pdf {
        f = f.text("doc_title", "Brief van de ouders").part(
            "doc_file",
            Part::bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec())
                .file_name("brief.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    }
    f
}

async fn register(c: &mut Client, f: Form) -> (u16, String, Option<String>) {
    let r = c.post_multipart("/register", f).await;
    let status = r.status().as_u16();
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    (status, r.text().await.unwrap(), location)
}

async fn rules_of_both_procedures(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut board = app.login("bestuur@demo.nl").await;
    let klimop = school_of(&app.db, "Basisschool De Klimop").await;
    let today = klachtencommissie::admin::today();
    let received = (today - chrono::TimeDelta::days(3)).to_string();

    // Bad input: the page names the field, keeps what was typed, and writes nothing.
    let before = register_entry::Entity::find().all(&app.db).await.unwrap().len();
    let (status, page, _) = register(&mut board, form(klimop.id, &received, &[("complainant_name", "")], false)).await;
    assert_eq!(status, 422);
    assert!(page.contains("f-complainant_name") && page.contains("structureel lager"), "input kept: {page}");
    assert_eq!(register_entry::Entity::find().all(&app.db).await.unwrap().len(), before);
    // Another board's school is not offered and not accepted.
    let foreign = school_of(&app.db, "Basisschool De Wegwijzer").await;
    let (status, page, _) = register(&mut board, form(foreign.id, &received, &[], false)).await;
    assert_eq!(status, 422);
    assert!(page.contains("Kies een school van uw bestuur."));

    // An anonymous written complaint is no complaint.
    let (status, _, _) = register(
        &mut board,
        form(
            klimop.id,
            &received,
            &[("written_name", ""), ("written_signed", ""), ("complainant_name", "Anoniem")],
            false,
        ),
    )
    .await;
    assert_eq!(status, 303);
    let anon = newest_entry(&app.db).await;
    assert_eq!(anon.status, "geen_klacht");
    assert!(anon.status_reason.as_deref().unwrap().contains("zonder de naam en een handtekening"));
    assert_eq!(anon.answer_due, None);
    let (status, body) = post(&mut board, &format!("/register/{}/behandelaar", anon.id), &[("handler", "X")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("afgerond"), "{body}");
    // Unwanted behaviour goes to the vertrouwenspersoon.
    let (status, _, _) = register(&mut board, form(klimop.id, &received, &[("kind", "ongewenst_gedrag")], false)).await;
    assert_eq!(status, 303);
    assert_eq!(newest_entry(&app.db).await.status, "vertrouwenspersoon");

    // A complaint: numbered in the board's register, the answer within 15 working days.
    let (status, _, location) = register(&mut board, form(klimop.id, &received, &[], true)).await;
    assert_eq!(status, 303);
    let e = newest_entry(&app.db).await;
    assert_eq!(location.as_deref(), Some(format!("/register/{}", e.id).as_str()));
    let general = klachtencommissie::domain::holidays::shipped();
    let due =
        rules::answer_due(Procedure::Alfrink, e.received_on, Calendars { general: &general, school: None }).unwrap();
    assert_eq!(e.answer_due, Some(due));
    let working_days = (1..=(due - e.received_on).num_days())
        .map(|n| e.received_on + chrono::TimeDelta::days(n))
        .filter(|d| !general.is_atw_rest_day(*d))
        .count();
    assert_eq!(working_days, 15, "15 working days after the receipt");
    let (_, page) = board.get_text(&format!("/register/{}", e.id)).await;
    assert!(page.contains(&klachtencommissie::domain::dutch::date(due)) && page.contains("15 werkdagen"), "{page}");
    assert!(page.contains("Brief van de ouders"), "the uploaded letter is among the documents");

    // 48 hours without a handler: warned.
    assert!(!page.contains("binnen 48 uur aangewezen"));
    let mut am: register_entry::ActiveModel = e.clone().into();
    am.recorded_at = Set(e.recorded_at - chrono::TimeDelta::hours(49));
    am.update(&app.db).await.unwrap();
    let (_, page) = board.get_text(&format!("/register/{}", e.id)).await;
    assert!(page.contains("Er is nog geen klachtbehandelaar: die wordt binnen 48 uur aangewezen."), "{page}");

    // Order of the procedure: acknowledgement needs a handler; the decision the acknowledgement.
    let (status, body) = post(&mut board, &format!("/register/{}/ontvangstbevestiging", e.id), &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Wijs eerst een klachtbehandelaar aan."));
    // The handler is the person complained about: allowed, with a warning.
    assert_eq!(
        post(&mut board, &format!("/register/{}/behandelaar", e.id), &[("handler", "Mevrouw J.  Brouwer")]).await.0,
        303
    );
    let (_, page) = board.get_text(&format!("/register/{}", e.id)).await;
    assert!(page.contains("De klachtbehandelaar is de persoon over wie geklaagd wordt"), "{page}");
    assert!(page.contains("later dan 48 uur"), "assigned after 49 hours");
    let decision = [
        ("decision", "De klacht is ongegrond; de beoordeling volgt de toetsmatrijs."),
        ("solution", "Een gesprek met de leerkracht en de ouders."),
        ("cause", ""),
        ("measures", ""),
    ];
    let (status, body) = post(&mut board, &format!("/register/{}/beslissing", e.id), &decision).await;
    assert_eq!(status, 422);
    assert!(body.contains("Stuur eerst de ontvangstbevestiging.") && body.contains("de toetsmatrijs"), "kept: {body}");
    assert_eq!(post(&mut board, &format!("/register/{}/ontvangstbevestiging", e.id), &[]).await.0, 303);
    // The acknowledgement went by e-mail with its PDF from the register.
    let letters =
        register_letter::Entity::find().filter(register_letter::Column::EntryId.eq(e.id)).all(&app.db).await.unwrap();
    assert_eq!(letters.len(), 1);
    assert!(letters[0].body.contains(&klachtencommissie::domain::dutch::date(due)), "the answer date is in the letter");
    let mail = outbox_message::Entity::find()
        .filter(outbox_message::Column::RegisterDocumentId.eq(letters[0].document_id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an e-mail to the complainant");
    assert_eq!(mail.to_email, "e.vanleeuwen@example.org");

    // A notice of delay must move the date forward.
    let (status, body) = post(
        &mut board,
        &format!("/register/{}/uitstel", e.id),
        &[("delay_reason", "Ziekte"), ("delay_date", &received)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Kies een nieuwe datum na"), "{body}");
    let later = (due + chrono::TimeDelta::days(7)).to_string();
    assert_eq!(
        post(
            &mut board,
            &format!("/register/{}/uitstel", e.id),
            &[("delay_reason", "Ziekte van de leerkracht"), ("delay_date", &later)]
        )
        .await
        .0,
        303
    );
    assert_eq!(entry(&app.db, e.id).await.answer_delayed_to, Some(due + chrono::TimeDelta::days(7)));

    // Withdrawal only in writing.
    let (status, body) = post(
        &mut board,
        &format!("/register/{}/intrekking", e.id),
        &[("withdraw", "ja"), ("w_name", "ja"), ("w_address", "ja"), ("w_signed", "ja")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("alleen schriftelijk"), "{body}");
    assert_eq!(entry(&app.db, e.id).await.status, "open");

    // The decision; Alfrink has no follow-up term; the file can be closed.
    assert_eq!(post(&mut board, &format!("/register/{}/beslissing", e.id), &decision).await.0, 303);
    let decided = entry(&app.db, e.id).await;
    assert_eq!((decided.status.as_str(), decided.decided_on, decided.follow_up_due), ("beslist", Some(today), None));
    assert_eq!(post(&mut board, &format!("/register/{}/sluiten", e.id), &[]).await.0, 303);
    assert_eq!(entry(&app.db, e.id).await.closed_on, Some(today));

    // Klassepro (Sint-Bonifatius): the follow-up within two weeks before the file closes.
    let mut board2 = app.login("bestuur2@demo.nl").await;
    assert_eq!(board2.get(&format!("/register/{}", e.id)).await.status(), 404, "another board's register");
    let (_, list) = board2.get_text("/register").await;
    assert!(!list.contains("van Leeuwen"));
    let wegwijzer = school_of(&app.db, "Basisschool De Wegwijzer").await;
    let (status, _, _) = register(&mut board2, form(wegwijzer.id, &today.to_string(), &[], false)).await;
    assert_eq!(status, 303);
    let k = newest_entry(&app.db).await;
    let two_weeks =
        rules::answer_due(Procedure::Klassepro, today, Calendars { general: &general, school: None }).unwrap();
    assert_eq!(k.answer_due, Some(two_weeks));
    assert_eq!(
        post(&mut board2, &format!("/register/{}/behandelaar", k.id), &[("handler", "R. Claassen")]).await.0,
        303
    );
    assert_eq!(post(&mut board2, &format!("/register/{}/ontvangstbevestiging", k.id), &[]).await.0, 303);
    assert_eq!(post(&mut board2, &format!("/register/{}/beslissing", k.id), &decision).await.0, 303);
    let k1 = entry(&app.db, k.id).await;
    assert_eq!(
        k1.follow_up_due,
        Some(rules::follow_up_due(today, Calendars { general: &general, school: None }).unwrap())
    );
    let (status, body) = post(&mut board2, &format!("/register/{}/sluiten", k.id), &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Leg eerst het nagesprek vast"), "{body}");
    assert_eq!(
        post(
            &mut board2,
            &format!("/register/{}/nagesprek", k.id),
            &[("follow_up_on", &today.to_string()), ("follow_up_report", "De ouders zijn tevreden.")]
        )
        .await
        .0,
        303
    );
    assert_eq!(post(&mut board2, &format!("/register/{}/sluiten", k.id), &[]).await.0, 303);
    assert_eq!(entry(&app.db, k.id).await.status, "gesloten");
    // A board chooses its procedure: new entries get its term.
    assert_eq!(post(&mut board, "/register/regeling", &[("procedure", "klassepro")]).await.0, 303);
    let (status, _, _) = register(&mut board, form(klimop.id, &today.to_string(), &[], false)).await;
    assert_eq!(status, 303);
    assert_eq!(newest_entry(&app.db).await.answer_due, Some(two_weeks));
    // The commission does not see a school's register.
    let sec = app.login("secretaris@demo.nl").await;
    assert_eq!(sec.get("/register").await.status(), 403);
    assert_eq!(sec.get(&format!("/register/{}", k.id)).await.status(), 404);
}

crate::on_both!(procedure_rules, rules_of_both_procedures);

async fn escalation_round_trip(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut board = app.login("bestuur@demo.nl").await;
    let klimop = school_of(&app.db, "Basisschool De Klimop").await;
    let today = klachtencommissie::admin::today();
    let received = today - chrono::TimeDelta::days(20);
    let (status, _, _) = register(&mut board, form(klimop.id, &received.to_string(), &[], true)).await;
    assert_eq!(status, 303);
    let e = newest_entry(&app.db).await;
    assert_eq!(post(&mut board, &format!("/register/{}/behandelaar", e.id), &[("handler", "A. Verbeek")]).await.0, 303);
    assert_eq!(post(&mut board, &format!("/register/{}/ontvangstbevestiging", e.id), &[]).await.0, 303);
    let decision = [
        ("decision", "De school handhaaft de beoordeling."),
        ("solution", "Een extra gesprek."),
        ("cause", ""),
        ("measures", ""),
    ];
    assert_eq!(post(&mut board, &format!("/register/{}/beslissing", e.id), &decision).await.0, 303);

    // Step 5: escalate, confirmed.
    let (status, body) = post(&mut board, &format!("/register/{}/voorleggen", e.id), &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Bevestig dat de klager"));
    assert_eq!(post(&mut board, &format!("/register/{}/voorleggen", e.id), &[("confirm", "ja")]).await.0, 303);
    let e = entry(&app.db, e.id).await;
    assert_eq!(e.status, "doorgezet");
    let c = case::Entity::find_by_id(e.case_id.expect("linked to a case")).one(&app.db).await.unwrap().unwrap();
    let z = c.zaaknummer.clone();
    assert_eq!((c.arrival.as_str(), c.received_on), ("doorgezonden", today));
    // Art 11.6: the school's receipt date is recorded for the filing term.
    assert_eq!((c.forwarded_by.as_deref(), c.forwarded_received_on), (Some("Basisschool De Klimop"), Some(received)));
    let parties = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).all(&app.db).await.unwrap();
    assert!(parties.iter().any(|p| p.role == "klager"
        && p.name == "E. van Leeuwen"
        && p.email.as_deref() == Some("e.vanleeuwen@example.org")));
    assert!(parties.iter().any(|p| p.role == "aangeklaagde" && p.name == "mevrouw J. Brouwer"));
    let docs = document::Entity::find().filter(document::Column::CaseId.eq(c.id)).all(&app.db).await.unwrap();
    assert!(docs.iter().any(|d| d.title.starts_with("Registratieformulier R")), "the form itself");
    assert!(docs.iter().any(|d| d.title == "Brief van de ouders (van de school)"), "the school's documents");
    assert!(docs.iter().any(|d| d.title.contains("beslissing")), "and its letters");
    // Both ways: the case page links to the entry, which the secretary may read but not change.
    let mut sec = app.login("secretaris@demo.nl").await;
    let (_, page) = sec.get_text(&format!("/zaken/{z}")).await;
    assert!(page.contains(&format!("/register/{}", e.id)), "{page}");
    let (status, page) = sec.get_text(&format!("/register/{}", e.id)).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Afhandeling") && page.contains(&z));
    assert_eq!(sec.post_form(&format!("/register/{}/sluiten", e.id), &[]).await.status(), 403);
    let lid = app.login("lid@demo.nl").await;
    assert_eq!(lid.get(&format!("/register/{}", e.id)).await.status(), 404, "not on the panel");
    let (_, page) = board.get_text(&format!("/register/{}", e.id)).await;
    assert!(page.contains("nog niet uitgebracht") && page.contains(&z));

    // The commission handles it (intake and hearing are tested elsewhere): a panel, then the
    // deliberation, the advies, both signatures and the sending, all through the router.
    let chair = member_id_of(&app.db, "voorzitter@demo.nl").await;
    let others: Vec<i32> = {
        let demo = crate::common::demo_case(&app.db, "De Waarden").await;
        let (_, panel) = klachtencommissie::cases::find_for_access(&app.db, &demo).await.unwrap().unwrap();
        panel.into_iter().filter(|m| *m != chair).take(2).collect()
    };
    {
        use klachtencommissie::audit::{Actor, WriteTx};
        use klachtencommissie::domain::case::PanelRole;
        let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
        klachtencommissie::cases::panel::seat(&mut tx, &c, chair, PanelRole::Voorzitter).await.unwrap();
        for m in &others {
            klachtencommissie::cases::panel::seat(&mut tx, &c, *m, PanelRole::Lid).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    let mut am: case::ActiveModel = case::Entity::find_by_id(c.id).one(&app.db).await.unwrap().unwrap().into();
    am.status = Set("beraadslaging".into());
    am.checklist = Set("1111111".into());
    am.update(&app.db).await.unwrap();
    let panel = klachtencommissie::cases::hearings::panel(&app.db, c.id).await.unwrap();
    let mut fields: Vec<(String, String)> = vec![
        ("actie".into(), "vastleggen".into()),
        ("datum".into(), today.to_string()),
        ("onderdelen".into(), "de beoordeling".into()),
    ];
    for (_, m) in &panel {
        fields.push((format!("aanwezig-{}", m.id), "ja".into()));
        fields.push((format!("stem-0-{}", m.id), "ja".into()));
        fields.push((format!("stem-1-{}", m.id), "ja".into()));
        fields.push((format!("stem-2-{}", m.id), "nee".into()));
    }
    let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, body) = post(&mut sec, &format!("/zaken/{z}/beraadslaging"), &f).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/concept"), &[]).await.0, 303);
    let a = klachtencommissie::entities::advies::Entity::find()
        .filter(klachtencommissie::entities::advies::Column::CaseId.eq(c.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let text = [
        ("datum", today.to_string()),
        ("a", a.section_a.clone()),
        ("b", "De ouders stellen dat de beoordeling onjuist is; de school betwist dat.".to_owned()),
        ("c", a.section_c.clone()),
        ("d", a.section_d.clone()),
    ];
    let f: Vec<(&str, &str)> = text.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies"), &f).await.0, 303);
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/vaststellen"), &[]).await.0, 303);
    let mut voorzitter = app.login("voorzitter@demo.nl").await;
    assert_eq!(
        post(&mut voorzitter, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await.0,
        303
    );
    assert_eq!(
        post(&mut sec, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await.0,
        303
    );
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/verzenden"), &[]).await.0, 303);

    // The outcome in the register entry, with the advies itself, and on the board's portal.
    let (_, page) = board.get_text(&format!("/register/{}", e.id)).await;
    assert!(page.contains("Advies uitgebracht") && page.contains("oordeel: <strong>gegrond</strong>"), "{page}");
    let pdf_link = page.split("href=\"").find(|s| s.starts_with(&format!("/zaken/{z}/documenten/"))).unwrap();
    let pdf_link = &pdf_link[..pdf_link.find('"').unwrap()];
    let r = board.get(pdf_link).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let (_, home) = board.get_text("/").await;
    assert!(home.contains("Besluiten die u nog neemt") && home.contains(&format!("Zaak {z}")), "{home}");
    assert!(home.contains("Klachtenregisters van uw scholen") && home.contains("Basisschool De Klimop"));
    let u = user::Entity::find().filter(user::Column::Email.eq("bestuur@demo.nl")).one(&app.db).await.unwrap().unwrap();
    assert!(u.board_id.is_some());
}

crate::on_both!(escalation, escalation_round_trip);

async fn demo_holds_every_state(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let all = register_entry::Entity::find().all(&app.db).await.unwrap();
    for s in rules::EntryStatus::ALL {
        assert!(all.iter().any(|e| e.status == s.code()), "no demo entry in {s:?}");
    }
    assert!(all.iter().any(|e| e.answer_delayed_to.is_some()) && all.iter().any(|e| e.follow_up_on.is_some()));
    let board = app.login("bestuur@demo.nl").await;
    let (status, list) = board.get_text("/register").await;
    assert_eq!(status, 200);
    assert!(list.contains("te laat"), "an overdue answer is flagged");
    let linked = all.iter().find(|e| e.case_id.is_some() && e.status == "doorgezet").unwrap();
    let (status, _) = board.get_text(&format!("/register/{}", linked.id)).await;
    assert_eq!(status, 200);

    // The per-school summary (start page and register) reads only the open entries and this
    // year's; its counts equal those over every entry of the board.
    let today = klachtencommissie::admin::today();
    let year = chrono::Datelike::year(&today);
    // An entry decided in an earlier year, whose answer was late: in none of the counts.
    let mut old: register_entry::ActiveModel = linked.clone().into();
    old.id = sea_orm::ActiveValue::NotSet;
    old.year = sea_orm::Set(year - 3);
    old.seq = sea_orm::Set(999);
    old.status = sea_orm::Set("beslist".into());
    old.case_id = sea_orm::Set(None);
    old.answer_due = sea_orm::Set(Some(today - chrono::Duration::days(1200)));
    old.decided_on = sea_orm::Set(Some(today - chrono::Duration::days(1100)));
    sea_orm::ActiveModelTrait::insert(old, &app.db).await.unwrap();
    let all = register_entry::Entity::find().all(&app.db).await.unwrap();
    for board_id in all.iter().map(|e| e.board_id).collect::<std::collections::BTreeSet<_>>() {
        let summary = klachtencommissie::school_register::summary(&app.db, board_id, None).await.unwrap();
        assert!(!summary.is_empty());
        for s in &summary {
            let mine: Vec<_> = all.iter().filter(|e| e.school_id == s.school.id).collect();
            let open = mine.iter().filter(|e| e.status == "open").count() as u64;
            let overdue = mine
                .iter()
                .filter(|e| {
                    rules::answer_overdue(
                        rules::EntryStatus::parse(&e.status).unwrap(),
                        e.decided_on,
                        e.answer_delayed_to.or(e.answer_due),
                        today,
                    )
                })
                .count() as u64;
            let this_year = mine.iter().filter(|e| e.year == year).count() as u64;
            assert_eq!((s.open, s.overdue, s.this_year), (open, overdue, this_year), "{}", s.school.name);
        }
        assert!(summary.iter().any(|s| s.open > 0), "the demo has open entries");
    }
}

crate::on_both!(demo_register, demo_holds_every_state);

/// The contactpersoon's yearly report over the demo register of De Waarden (2026), whose
/// numbers are known: 11 entries, 5 onderwijskundig, 5 organisatorisch, 1 ongewenst gedrag;
/// 4 answered in time and none late; 2 escalated; causes and measures recorded for 2.
async fn yearly_report_of_the_demo(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let board = app.login("bestuur@demo.nl").await;
    let (status, page) = board.get_text("/register/jaarverslag?jaar=2026").await;
    assert_eq!(status, 200);
    let cell = |label: &str| {
        let at = page.find(&format!("<td>{label}</td>")).unwrap_or_else(|| panic!("{label}: {page}"));
        let rest = &page[at..];
        let start = rest.find("<td class=\"num\">").unwrap() + "<td class=\"num\">".len();
        rest[start..start + rest[start..].find("</td>").unwrap()].to_owned()
    };
    assert_eq!(cell("Onderwijskundig"), "5");
    assert_eq!(cell("Organisatorisch"), "5");
    assert_eq!(cell("Ongewenst gedrag"), "1");
    assert!(page.contains("<strong>11</strong>"));
    assert_eq!(cell("Binnen de termijn beantwoord"), "4 van 4");
    assert_eq!(cell("Na de termijn beantwoord"), "0");
    assert_eq!(cell("Voorgelegd aan de klachtencommissie"), "2");
    assert!(page.contains("De jaarplanning was niet met de ouderraad gedeeld.") && page.contains("Een invalpool"));
    for e in register_entry::Entity::find().all(&app.db).await.unwrap() {
        assert!(!page.contains(&e.complainant_name), "no names in the report: {}", e.complainant_name);
    }
    // One school: only its entries; another board's school is not taken.
    let klimop = school_of(&app.db, "Basisschool De Klimop").await;
    let (_, page) = board.get_text(&format!("/register/jaarverslag?jaar=2026&school={}", klimop.id)).await;
    assert!(page.contains("Basisschool De Klimop: de klachten die in 2026"));
    let wegwijzer = school_of(&app.db, "Basisschool De Wegwijzer").await;
    let (_, page) = board.get_text(&format!("/register/jaarverslag?jaar=2026&school={}", wegwijzer.id)).await;
    assert!(page.contains("Stichting Katholiek Onderwijs De Waarden: de klachten"), "falls back to the board");
}

crate::on_both!(register_year_report, yearly_report_of_the_demo);

/// A school's contactpersoon (a board account limited to one school): that school's register
/// and cases only, no API tokens, no decision on an advies (the board decides).
async fn contactpersoon_sees_one_school(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut contact = app.login("contactpersoon@demo.nl").await;
    let jozef = school_of(&app.db, "Sint-Jozefschool").await;
    let klimop = school_of(&app.db, "Basisschool De Klimop").await;
    let (status, list) = contact.get_text("/register").await;
    assert_eq!(status, 200);
    let entries = register_entry::Entity::find().all(&app.db).await.unwrap();
    for e in &entries {
        let number = rules::entry_number(e.year, e.seq);
        let row = format!("/register/{}\">{number}</a>", e.id);
        assert_eq!(list.contains(&row), e.school_id == jozef.id, "{number} of school {}", e.school_id);
    }
    let other = entries.iter().find(|e| e.school_id == klimop.id).unwrap();
    assert_eq!(contact.get(&format!("/register/{}", other.id)).await.status(), 404);
    let (status, page, _) = register(&mut contact, form(klimop.id, "2026-11-27", &[], false)).await;
    assert_eq!(status, 422);
    assert!(page.contains("Kies een school van uw bestuur."));
    let (status, _, _) = register(&mut contact, form(jozef.id, "2026-11-27", &[], false)).await;
    assert_eq!(status, 303);
    // The commission's cases: only those of the school.
    let cases = case::Entity::find().filter(case::Column::BoardId.eq(jozef.board_id)).all(&app.db).await.unwrap();
    for c in &cases {
        let status = contact.get(&format!("/zaken/{}", c.zaaknummer)).await.status();
        assert_eq!(status == 200, c.school_id == jozef.id, "{} of school {}: {status}", c.zaaknummer, c.school_id);
    }
    let (_, register_page) = contact.get_text("/zaken").await;
    assert!(cases.iter().all(|c| register_page.contains(&c.zaaknummer) == (c.school_id == jozef.id)));
    // The board's link with its systems and its decisions are not a school's.
    assert_eq!(contact.get("/koppeling").await.status(), 403);
    let (_, home) = contact.get_text("/").await;
    assert!(!home.contains("Besluiten die u nog neemt") && !home.contains("/koppeling"));
    assert!(home.contains("Sint-Jozefschool") && !home.contains(">Basisschool De Klimop<"), "{home}");
    // The beheerder makes such an account only for a school of the chosen board.
    let mut admin = app.login("beheerder@demo.nl").await;
    let wegwijzer = school_of(&app.db, "Basisschool De Wegwijzer").await;
    let fields = [
        ("email", "cp2@example.org"),
        ("name", "Contact"),
        ("role", "bestuur"),
        ("board_id", &jozef.board_id.to_string()),
        ("school_id", &wegwijzer.id.to_string()),
        ("member_id", ""),
        ("password", "een-lang-genoeg-wachtwoord"),
    ];
    let (status, body) = post(&mut admin, "/beheer/gebruikers", &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("Deze school hoort niet bij het gekozen bestuur."), "{body}");
    let ok = fields.map(|(k, v)| if k == "school_id" { (k, jozef.id.to_string()) } else { (k, v.to_owned()) });
    let f: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&mut admin, "/beheer/gebruikers", &f).await.0, 303);
    let u = user::Entity::find().filter(user::Column::Email.eq("cp2@example.org")).one(&app.db).await.unwrap().unwrap();
    assert_eq!(u.school_id, Some(jozef.id));
}

crate::on_both!(contactpersoon, contactpersoon_sees_one_school);

//! Deliberation, the advies and the board's decision through the real router (Art 24, 25):
//! the split vote, the refusal of an incomplete advies, signing by the chair and the secretary
//! with their passwords (and not by a member), sending with the proces-verbaal, verification of
//! the real PDF (and refusal of a changed byte or another key), corrections, and the board's
//! decision closing the case.

use crate::common::{Backend, Client, TestApp, case_in, post, reload};
use klachtencommissie::entities::{
    advies, advies_signature, case, deadline, document_content, letter, outbox_attachment, outbox_message,
};
use reqwest::multipart::{Form, Part};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

async fn latest(db: &DatabaseConnection, case_id: i32) -> advies::Model {
    advies::Entity::find()
        .filter(advies::Column::CaseId.eq(case_id))
        .order_by_desc(advies::Column::Version)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn pdf_of(db: &DatabaseConnection, a: &advies::Model) -> Vec<u8> {
    document_content::Entity::find_by_id(a.pdf_document_id.unwrap()).one(db).await.unwrap().unwrap().bytes
}

/// Uploads a PDF to the public verification page, as anyone may.
async fn verify_file(c: &mut Client, bytes: Vec<u8>) -> String {
    let form =
        Form::new().part("bestand", Part::bytes(bytes).file_name("advies.pdf").mime_str("application/pdf").unwrap());
    let r = c.post_multipart("/verifieer", form).await;
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

async fn from_deliberation_to_decision(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    // The case in deliberation; its chair is voorzitter3@demo.nl.
    let k = case_in(&app.db, "beraadslaging").await;
    let z = k.zaaknummer.clone();
    let panel = klachtencommissie::cases::hearings::panel(&app.db, k.id).await.unwrap();
    let today = klachtencommissie::admin::today().to_string();
    let parts = "de bejegening van de leerling\nde communicatie met de ouders";
    // Lay out the questions: admissibility, two parts, no measures.
    let (status, page) =
        post(&mut sec, &format!("/zaken/{z}/beraadslaging"), &[("actie", "opstellen"), ("onderdelen", parts)]).await;
    assert_eq!(status, 200);
    assert!(page.contains("de communicatie met de ouders?"), "{page}");
    let mut fields: Vec<(String, String)> = vec![
        ("actie".into(), "vastleggen".into()),
        ("datum".into(), today.clone()),
        ("onderdelen".into(), parts.into()),
    ];
    for (_, m) in &panel[..2] {
        fields.push((format!("aanwezig-{}", m.id), "ja".into()));
    }
    // Split votes: question 1 (part one) 2-1 founded, question 2 (part two) 1-2 unfounded.
    for (n, (_, m)) in panel.iter().enumerate() {
        fields.push((format!("stem-0-{}", m.id), "ja".into()));
        fields.push((format!("stem-1-{}", m.id), if n < 2 { "ja" } else { "nee" }.into()));
        fields.push((format!("stem-2-{}", m.id), if n == 0 { "ja" } else { "nee" }.into()));
    }
    let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, body) = post(&mut sec, &format!("/zaken/{z}/beraadslaging"), &f).await;
    assert_eq!(status, 422, "not every member present");
    assert!(body.contains("art. 24"), "{body}");
    let (_, last) = &panel[2];
    fields.push((format!("aanwezig-{}", last.id), "ja".into()));
    let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, body) = post(&mut sec, &format!("/zaken/{z}/beraadslaging"), &f).await;
    assert_eq!(status, 303, "{body}");
    let k1 = reload(&app.db, k.id).await;
    assert_eq!(k1.status, "advies_in_voorbereiding");

    // The draft, prefilled; an empty section stops it from being made final.
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/concept"), &[]).await.0, 303);
    let a = latest(&app.db, k.id).await;
    assert_eq!(a.outcome.as_deref(), Some("gedeeltelijk_gegrond"), "one part founded, one not");
    assert!(
        a.section_c.contains("gegrond ten aanzien van de bejegening")
            && a.section_c.contains("ongegrond ten aanzien van de communicatie"),
        "{}",
        a.section_c
    );
    for (_, m) in &panel {
        assert!(a.section_d.contains(&m.name));
    }
    let draft = |b: &'static str| {
        vec![
            ("datum", today.clone()),
            ("a", a.section_a.clone()),
            ("b", b.to_owned()),
            ("c", a.section_c.clone()),
            ("d", a.section_d.clone()),
        ]
    };
    let empty_b = draft("");
    let f: Vec<(&str, &str)> = empty_b.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies"), &f).await.0, 303);
    let (status, body) = post(&mut sec, &format!("/zaken/{z}/advies/vaststellen"), &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("25.2") && body.contains(": B."), "{body}");
    let full = draft("De klager stelt dat de leerkracht de leerling heeft gekleineerd. De aangeklaagde betwist dat.");
    let f: Vec<(&str, &str)> = full.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies"), &f).await.0, 303);
    // A member comments on the draft.
    let mut chair = app.login("voorzitter3@demo.nl").await;
    assert_eq!(
        post(&mut chair, &format!("/zaken/{z}/advies/opmerkingen"), &[("opmerking", "Akkoord met de tekst.")]).await.0,
        303
    );
    let (_, page) = sec.get_text(&format!("/zaken/{z}/advies")).await;
    assert!(page.contains("Akkoord met de tekst.") && page.contains("gewijzigd: B"), "revisions say who changed what");
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/vaststellen"), &[]).await.0, 303);
    let a = latest(&app.db, k.id).await;
    assert_eq!(a.status, "definitief");
    let code = a.verification_code.clone().unwrap();
    let pdf = pdf_of(&app.db, &a).await;
    // After freezing, the text cannot change.
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies"), &f).await.0, 422);

    let (_, home) = chair.get_text("/").await;
    assert!(home.contains(&format!("Zaak {z}: het advies wacht op uw handtekening als voorzitter")), "{home}");
    // Signing: not by the secretary first, not by a member who is not the chair, not with a
    // wrong password.
    let (status, body) =
        post(&mut sec, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("De voorzitter ondertekent eerst"), "{body}");
    let member_id =
        panel.iter().find(|(r, _)| *r != klachtencommissie::domain::case::PanelRole::Voorzitter).unwrap().1.id;
    let member_user = klachtencommissie::entities::user::Entity::find()
        .filter(klachtencommissie::entities::user::Column::Role.eq("lid"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut am: klachtencommissie::entities::user::ActiveModel = member_user.clone().into();
    am.member_id = Set(Some(member_id));
    am.update(&app.db).await.unwrap();
    let mut member = app.login(&member_user.email).await;
    let (status, body) =
        post(&mut member, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Alleen de voorzitter"), "{body}");
    let (status, body) = post(&mut chair, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "fout")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("wachtwoord klopt niet"), "{body}");
    assert_eq!(
        post(&mut chair, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await.0,
        303
    );
    assert_eq!(
        post(&mut sec, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await.0,
        303
    );
    assert_eq!(latest(&app.db, k.id).await.status, "ondertekend");

    // Sending: to both parties and the board, with the proces-verbaal of the hearing.
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/verzenden"), &[]).await.0, 303);
    let k2 = reload(&app.db, k.id).await;
    assert_eq!((k2.status.as_str(), k2.outcome.as_deref()), ("advies_uitgebracht", Some("gedeeltelijk_gegrond")));
    let sent: Vec<letter::Model> = letter::Entity::find()
        .filter(letter::Column::CaseId.eq(k.id))
        .filter(letter::Column::Kind.eq("advies"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(sent.len(), 3, "klager, aangeklaagde and board");
    assert!(sent.iter().any(|l| l.recipient_role == "bestuur"));
    let by_mail = outbox_message::Entity::find()
        .filter(outbox_message::Column::LetterId.is_in(sent.iter().map(|l| l.id)))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an e-mail with the advies");
    let attached: Vec<i32> = outbox_attachment::Entity::find()
        .filter(outbox_attachment::Column::OutboxId.eq(by_mail.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.document_id)
        .collect();
    assert!(attached.contains(&a.pdf_document_id.unwrap()), "the advies itself");
    assert!(attached.len() >= 2, "and the proces-verbaal of the hearing: {attached:?}");
    let besluit = deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(k.id))
        .filter(deadline::Column::Kind.eq("besluit_bevoegd_gezag"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the board's four weeks");
    assert_eq!(besluit.status, "open");

    // Verification: the real PDF, by code and by file; one changed byte; another key.
    let mut public = app.client();
    let (status, page) = public.get_text(&format!("/verifieer?code={}", code.to_lowercase())).await;
    assert_eq!(status, 200);
    assert!(page.contains("Echt en ongewijzigd") && page.contains(&z), "{page}");
    let page = verify_file(&mut public, pdf.clone()).await;
    assert!(page.contains("Echt en ongewijzigd"), "{page}");
    let mut changed = pdf.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 1;
    let page = verify_file(&mut public, changed).await;
    assert!(page.contains("Niet herkend"), "{page}");
    let (_, page) = public.get_text("/verifieer?code=KC-0000-0000").await;
    assert!(page.contains("geen advies bekend"));
    let jwks: serde_json::Value = serde_json::from_str(&public.get_text("/.well-known/jwks.json").await.1).unwrap();
    assert_eq!(jwks["keys"][0]["crv"], "Ed25519");

    // The board records its decision in its portal; the case closes with its outcome.
    let board_user = klachtencommissie::entities::user::Entity::find()
        .filter(klachtencommissie::entities::user::Column::BoardId.eq(k.board_id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a board account for this case");
    let mut board = app.login(&board_user.email).await;
    let (_, home) = board.get_text("/").await;
    assert!(
        home.contains("Besluiten die u nog neemt") && home.contains(&format!("/zaken/{z}#advies\">Zaak {z}</a>")),
        "the portal lists the decision owed: {home}"
    );
    let (_, case_page) = board.get_text(&format!("/zaken/{z}")).await;
    assert!(case_page.contains("Uw besluit op het advies") && case_page.contains(&code), "{case_page}");
    assert_eq!(board.get(&format!("/zaken/{z}/advies")).await.status(), 403, "the commission's working page");
    let (status, body) = post(
        &mut board,
        &format!("/zaken/{z}/besluit"),
        &[("besloten", &today), ("besluit", "kort"), ("geinformeerd", &today)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Beschrijf het besluit"), "{body}");
    let decision = "Het bestuur deelt het oordeel en spreekt de leerkracht aan op de bejegening.";
    assert_eq!(
        post(
            &mut board,
            &format!("/zaken/{z}/besluit"),
            &[("besloten", &today), ("besluit", decision), ("geinformeerd", &today)]
        )
        .await
        .0,
        303
    );
    let k3 = reload(&app.db, k.id).await;
    assert_eq!((k3.status.as_str(), k3.outcome.as_deref()), ("afgesloten", Some("gedeeltelijk_gegrond")));
    let besluit = deadline::Entity::find_by_id(besluit.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(besluit.status, "met");
    let (_, case_page) = sec.get_text(&format!("/zaken/{z}")).await;
    assert!(case_page.contains(decision));

    // A correction is a new version, signed anew; the old one reports it was corrected.
    assert_eq!(
        post(
            &mut sec,
            &format!("/zaken/{z}/advies/correctie"),
            &[("toelichting", "De naam van de school was verkeerd gespeld.")]
        )
        .await
        .0,
        303
    );
    let v2 = latest(&app.db, k.id).await;
    assert_eq!((v2.version, v2.status.as_str()), (2, "concept"));
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/vaststellen"), &[]).await.0, 303);
    assert_eq!(
        post(&mut chair, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await.0,
        303
    );
    assert_eq!(
        post(&mut sec, &format!("/zaken/{z}/advies/ondertekenen"), &[("wachtwoord", "welkom-demo")]).await.0,
        303
    );
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/verzenden"), &[]).await.0, 303);
    let (_, page) = public.get_text(&format!("/verifieer?code={code}")).await;
    assert!(page.contains("later verbeterd door versie 2"), "{page}");
    let v2 = latest(&app.db, k.id).await;
    assert_ne!(v2.verification_code.as_deref(), Some(code.as_str()));
    assert!(verify_file(&mut public, pdf_of(&app.db, &v2).await).await.contains("Echt en ongewijzigd"));
    crate::common::assert_adviezen_carry_their_board(&app.db).await;
}
crate::on_both!(from_deliberation_to_decision, from_deliberation_to_decision);

#[tokio::test]
async fn a_signature_made_with_another_key_is_refused() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    // A demo advies that was signed and sent.
    let a = advies::Entity::find().filter(advies::Column::Status.eq("verzonden")).one(&app.db).await.unwrap().unwrap();
    let code = a.verification_code.clone().unwrap();
    let public = app.client();
    let (_, page) = public.get_text(&format!("/verifieer?code={code}")).await;
    assert!(page.contains("Echt en ongewijzigd"), "the demo's signatures hold with this instance's key: {page}");
    // Replace the chair's signature by one with the same claims made with another key.
    let sig = advies_signature::Entity::find()
        .filter(advies_signature::Column::AdviesId.eq(a.id))
        .filter(advies_signature::Column::Role.eq("voorzitter"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let c = case::Entity::find_by_id(a.case_id).one(&app.db).await.unwrap().unwrap();
    let claims = klachtencommissie::domain::advies::SignatureClaims {
        zaaknummer: c.zaaknummer.clone(),
        sha256: a.pdf_sha256.clone().unwrap(),
        signer: sig.signer_name.clone(),
        role: "voorzitter".into(),
        iat: sig.signed_at.timestamp(),
        code: code.clone(),
    };
    let other = klachtencommissie::signing::AdviesKey::from_seed([42; 32]).unwrap();
    let mut am: advies_signature::ActiveModel = sig.into();
    am.jws = Set(other.sign(&claims).unwrap());
    am.update(&app.db).await.unwrap();
    let (_, page) = public.get_text(&format!("/verifieer?code={code}")).await;
    assert!(
        page.contains("Niet geldig ondertekend") && page.contains("niet gezet met de sleutel van de commissie"),
        "{page}"
    );
}

#[tokio::test]
async fn the_advies_term_is_extended_once_with_letters() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut sec = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "beraadslaging").await;
    let z = k.zaaknummer.clone();
    let (status, body) = post(&mut sec, &format!("/zaken/{z}/advies/verlengen"), &[("reden", "kort")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("reden"), "{body}");
    let reason = "De commissie wacht op aanvullende stukken van de school.";
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/advies/verlengen"), &[("reden", reason)]).await.0, 303);
    let kinds: Vec<String> = letter::Entity::find()
        .filter(letter::Column::CaseId.eq(k.id))
        .filter(letter::Column::Kind.eq("verlenging_advies"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.recipient_role)
        .collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    let (status, body) = post(&mut sec, &format!("/zaken/{z}/advies/verlengen"), &[("reden", reason)]).await;
    assert_eq!(status, 422, "once only (art. 25.1)");
    assert!(!body.is_empty());
}

#[tokio::test]
async fn resolved_by_the_board_is_an_ending_of_its_own() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut sec = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "verweer").await;
    let z = k.zaaknummer.clone();
    let (status, _) = post(&mut sec, &format!("/zaken/{z}/intake/opgelost"), &[("reden", "")]).await;
    assert_eq!(status, 422);
    let how = "De school en de ouders hebben afspraken gemaakt over de begeleiding; de klager is tevreden.";
    assert_eq!(post(&mut sec, &format!("/zaken/{z}/intake/opgelost"), &[("reden", how)]).await.0, 303);
    let k2 = reload(&app.db, k.id).await;
    assert_eq!((k2.status.as_str(), k2.outcome.as_deref()), ("afgesloten", Some("opgelost")));
    let kinds: Vec<String> = letter::Entity::find()
        .filter(letter::Column::CaseId.eq(k.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| format!("{}:{}", l.kind, l.recipient_role))
        .collect();
    assert!(kinds.iter().filter(|x| x.starts_with("opgelost:")).count() == 2, "{kinds:?}");
    assert!(kinds.contains(&"afloop_bevoegd_gezag:bestuur".to_owned()), "{kinds:?}");
}

//! From investigation to hearing through the real router (Art 14, 16, 18-23): planning with
//! conflicts, invitations with iCalendar (checked by an independent parser), moving and
//! cancelling, the Art 16 refusal after invitations, presence and proces-verbaal, closing and
//! reopening, settlement, information requests, persons at the hearing and the calendar feed.

use crate::common::{Backend, Client, TestApp, case_in, post, reload};
use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use klachtencommissie::entities::{deadline, document, hearing, information_request, letter, outbox_message, party};
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A weekday at least `days` from today.
fn weekday_after(days: i64) -> NaiveDate {
    let mut d = klachtencommissie::admin::today() + TimeDelta::days(days);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += TimeDelta::days(1);
    }
    d
}

async fn letter_kinds(db: &DatabaseConnection, case_id: i32) -> Vec<String> {
    letter::Entity::find()
        .filter(letter::Column::CaseId.eq(case_id))
        .order_by_asc(letter::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| format!("{}:{}", l.kind, l.recipient_role))
        .collect()
}

async fn calendars(db: &DatabaseConnection, case_id: i32) -> Vec<outbox_message::Model> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::CaseId.eq(case_id))
        .filter(outbox_message::Column::Calendar.is_not_null())
        .order_by_asc(outbox_message::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// Parses calendar objects with Python's `icalendar` package (tests/tools/ics_fields.py).
fn parse_independently(objects: &[String]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (n, o) in objects.iter().enumerate() {
        let p = dir.path().join(format!("{n}.ics"));
        std::fs::write(&p, o).unwrap();
        paths.push(p);
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/ics_fields.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .args(&paths)
        .output()
        .expect("python3 runs (the .ics check needs python3 with `pip install icalendar`)");
    assert!(
        out.status.success(),
        "the independent iCalendar parser failed (is `pip install icalendar` done? .ci/run does it):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn plan(c: &mut Client, zaak: &str, day: NaiveDate, time: &str) -> (u16, String) {
    let d = day.to_string();
    post(
        c,
        &format!("/zaken/{zaak}/zitting"),
        &[
            ("soort", "hoorzitting"),
            ("datum", &d),
            ("tijd", time),
            ("duur", "90"),
            ("plaats", "Stadskantoor, Utrecht"),
            ("bevestigd", "ja"),
        ],
    )
    .await
}

async fn moved_twice_and_cancelled(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut c = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    let (status, page) = c.get_text(&format!("/zaken/{z}/zitting")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Zitting plannen") && page.contains("Eerste data waarop iedereen kan"), "{page}");

    let d1 = weekday_after(21);
    assert_eq!(plan(&mut c, &z, d1, "14:00").await.0, 303);
    assert_eq!(reload(&app.db, k.id).await.status, "onderzoek", "planning is not yet inviting");
    assert!(calendars(&app.db, k.id).await.is_empty(), "nobody is told before the invitations");
    // Art 21.4: the witness term runs back from the hearing.
    let witness = deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(k.id))
        .filter(deadline::Column::Kind.eq("getuigen"))
        .filter(deadline::Column::Status.eq("open"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("witness term");
    assert!(witness.due_on.unwrap() < d1);

    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/uitnodigen"), &[]).await.0, 303);
    assert_eq!(reload(&app.db, k.id).await.status, "zitting_gepland");
    let kinds = letter_kinds(&app.db, k.id).await;
    assert!(
        kinds
            .iter()
            .any(|x| x.starts_with("uitnodiging_zitting:klager")
                || x.starts_with("uitnodiging_zitting:gemachtigde_klager")),
        "{kinds:?}"
    );
    assert!(
        kinds.iter().any(|x| x.starts_with("uitnodiging_zitting:aangeklaagde")
            || x.starts_with("uitnodiging_zitting:gemachtigde_aangeklaagde")),
        "{kinds:?}"
    );
    let invitation = letter::Entity::find()
        .filter(letter::Column::CaseId.eq(k.id))
        .filter(letter::Column::Kind.eq("uitnodiging_zitting"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let panel = klachtencommissie::cases::hearings::panel(&app.db, k.id).await.unwrap();
    for (_, m) in &panel {
        assert!(invitation.body.contains(&m.name), "the invitation names the panel (art. 18): {}", invitation.body);
    }
    let first = calendars(&app.db, k.id).await;
    assert_eq!(first.len(), panel.len() + 1, "the panel and the secretary");
    assert!(first.iter().all(|m| m.purpose == "melding"));

    // Art 16 is gone once the parties are invited.
    let (status, body) = post(
        &mut c,
        &format!("/zaken/{z}/intake/vereenvoudigd"),
        &[("uitkomst", "ongegrond"), ("reden", "De klacht is kennelijk ongegrond.")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("art. 16"), "{body}");

    let d2 = weekday_after(28);
    let d3 = weekday_after(35);
    for (day, time) in [(d2, "10:00"), (d3, "13:30")] {
        let (status, body) = post(
            &mut c,
            &format!("/zaken/{z}/zitting/verplaatsen"),
            &[
                ("datum", &day.to_string()),
                ("tijd", time),
                ("duur", "60"),
                ("plaats", "Stadskantoor, Utrecht"),
                ("reden", "Een lid is verhinderd."),
                ("bevestigd", "ja"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{body}");
    }
    assert_eq!(
        post(&mut c, &format!("/zaken/{z}/zitting/afzeggen"), &[("reden", "De klager is ernstig ziek.")]).await.0,
        303
    );
    let k2 = reload(&app.db, k.id).await;
    assert_eq!(k2.status, "onderzoek", "a called-off hearing returns the case to the investigation");
    let h = hearing::Entity::find().filter(hearing::Column::CaseId.eq(k.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!((h.status.as_str(), h.sequence), ("geannuleerd", 3));
    let kinds = letter_kinds(&app.db, k.id).await;
    assert_eq!(kinds.iter().filter(|x| x.starts_with("wijziging_zitting:")).count(), 4, "two moves, two parties");
    assert_eq!(kinds.iter().filter(|x| x.starts_with("afzegging_zitting:")).count(), 2);
    // Still no Art 16: the parties were invited.
    let (status, _) = post(
        &mut c,
        &format!("/zaken/{z}/intake/vereenvoudigd"),
        &[("uitkomst", "ongegrond"), ("reden", "De klacht is kennelijk ongegrond.")],
    )
    .await;
    assert_eq!(status, 422);

    // One calendar object per version, to the first attendee: parsed by an independent parser.
    let all = calendars(&app.db, k.id).await;
    let to = &all[0].to_email;
    let versions: Vec<String> = all.iter().filter(|m| &m.to_email == to).map(|m| m.calendar.clone().unwrap()).collect();
    assert_eq!(versions.len(), 4);
    let parsed = parse_independently(&versions);
    let expect = [
        (0, "REQUEST", d1, "14:00", 90),
        (1, "REQUEST", d2, "10:00", 60),
        (2, "REQUEST", d3, "13:30", 60),
        (3, "CANCEL", d3, "13:30", 60),
    ];
    for (n, (seq, method, day, time, minutes)) in expect.iter().enumerate() {
        let obj = &parsed[n];
        assert_eq!(obj["method"], *method, "{obj}");
        assert_eq!(obj["timezones"], serde_json::json!(["Europe/Amsterdam"]));
        let ev = &obj["events"][0];
        assert_eq!(ev["uid"], h.uid.as_str(), "the same UID on every version");
        assert_eq!(ev["sequence"], *seq);
        assert_eq!(ev["status"], if *method == "CANCEL" { "CANCELLED" } else { "CONFIRMED" });
        assert_eq!(ev["tz"], "Europe/Amsterdam");
        let start = chrono::NaiveDateTime::parse_from_str(&format!("{day} {time}"), "%Y-%m-%d %H:%M").unwrap();
        assert!(ev["start"].as_str().unwrap().starts_with(&start.format("%Y-%m-%dT%H:%M:00").to_string()), "{ev}");
        let end = start + TimeDelta::minutes(*minutes);
        assert!(ev["end"].as_str().unwrap().starts_with(&end.format("%Y-%m-%dT%H:%M:00").to_string()), "{ev}");
        let offset = ev["utc_offset"].as_f64().unwrap();
        assert!(offset == 1.0 || offset == 2.0, "CET or CEST: {ev}");
        assert_eq!(ev["location"], "Stadskantoor, Utrecht");
        assert!(ev["summary"].as_str().unwrap().contains(&z));
        assert!(ev["organizer"]["email"].as_str().unwrap().contains('@'));
        let emails: Vec<&str> =
            ev["attendees"].as_array().unwrap().iter().map(|a| a["email"].as_str().unwrap()).collect();
        for (_, m) in &panel {
            assert!(emails.contains(&m.email.as_str()), "{emails:?}");
        }
        assert!(emails.contains(&"secretaris@demo.nl"), "{emails:?}");
        let chairs = ev["attendees"].as_array().unwrap().iter().filter(|a| a["role"] == "CHAIR").count();
        assert_eq!(chairs, 1);
    }
    // The parties' names stay out of calendars, which travel to phones.
    let klager = party::Entity::find()
        .filter(party::Column::CaseId.eq(k.id))
        .filter(party::Column::Role.eq("klager"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(versions.iter().all(|v| !v.contains(&klager.name)));
}
crate::on_both!(hearing_moved_twice_and_cancelled, moved_twice_and_cancelled);

async fn held_recorded_closed_reopened(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut c = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    let today = klachtencommissie::admin::today();
    assert_eq!(plan(&mut c, &z, today, "09:00").await.0, 303);
    // Not held before the invitations.
    let (status, body) = post(&mut c, &format!("/zaken/{z}/zitting/aanwezigheid"), &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("nog niet uitgenodigd"), "{body}");
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/uitnodigen"), &[]).await.0, 303);
    // The chair and at least one member must be there (Art 9.1, 20.1).
    let (status, body) = post(&mut c, &format!("/zaken/{z}/zitting/aanwezigheid"), &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("20.1"), "{body}");
    let panel = klachtencommissie::cases::hearings::panel(&app.db, k.id).await.unwrap();
    let parties = party::Entity::find().filter(party::Column::CaseId.eq(k.id)).all(&app.db).await.unwrap();
    let mut fields: Vec<(String, String)> =
        panel.iter().map(|(_, m)| (format!("lid-{}", m.id), "ja".to_owned())).collect();
    fields.extend(parties.iter().map(|p| (format!("partij-{}", p.id), "ja".to_owned())));
    fields.push((format!("apart-{}", parties[0].id), "ja".to_owned()));
    let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/aanwezigheid"), &f).await.0, 303);
    let h = hearing::Entity::find().filter(hearing::Column::CaseId.eq(k.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(h.status, "gehouden");
    assert!(h.minutes.contains("Aanwezig:") && h.minutes.contains("Apart gehoord:"), "{}", h.minutes);
    // Closing waits for the final proces-verbaal.
    let (status, body) = post(&mut c, &format!("/zaken/{z}/onderzoek/sluiten"), &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("proces-verbaal"), "{body}");
    let text = format!(
        "{}De voorzitter opent de zitting. De klager licht de klacht toe; de aangeklaagde reageert.",
        h.minutes
    );
    assert_eq!(
        post(&mut c, &format!("/zaken/{z}/zitting/proces-verbaal"), &[("tekst", &text), ("actie", "opslaan")]).await.0,
        303
    );
    assert_eq!(
        post(&mut c, &format!("/zaken/{z}/zitting/proces-verbaal"), &[("tekst", &text), ("actie", "vaststellen")])
            .await
            .0,
        303
    );
    let h = hearing::Entity::find_by_id(h.id).one(&app.db).await.unwrap().unwrap();
    let doc = document::Entity::find_by_id(h.minutes_document_id.expect("the proces-verbaal in the dossier"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc.media_type, "application/pdf");
    // A final proces-verbaal cannot change.
    let (status, _) =
        post(&mut c, &format!("/zaken/{z}/zitting/proces-verbaal"), &[("tekst", "Anders"), ("actie", "opslaan")]).await;
    assert_eq!(status, 422);

    assert_eq!(post(&mut c, &format!("/zaken/{z}/onderzoek/sluiten"), &[]).await.0, 303);
    assert_eq!(reload(&app.db, k.id).await.status, "beraadslaging");
    let advies = || async {
        deadline::Entity::find()
            .filter(deadline::Column::CaseId.eq(k.id))
            .filter(deadline::Column::Kind.eq("advies"))
            .order_by_desc(deadline::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(advies().await.status, "open");
    let (status, _) = post(&mut c, &format!("/zaken/{z}/onderzoek/heropenen"), &[("voortzetting", "kort")]).await;
    assert_eq!(status, 422, "reopening says how the investigation continues");
    assert_eq!(
        post(
            &mut c,
            &format!("/zaken/{z}/onderzoek/heropenen"),
            &[("voortzetting", "De commissie hoort de intern begeleider als getuige.")]
        )
        .await
        .0,
        303
    );
    assert_eq!(reload(&app.db, k.id).await.status, "onderzoek");
    assert_eq!(advies().await.status, "cancelled");
    let kinds = letter_kinds(&app.db, k.id).await;
    assert_eq!(kinds.iter().filter(|x| x.starts_with("heropening:")).count(), 2, "{kinds:?}");
    // After reopening, the investigation can close again on the hearing already held.
    assert_eq!(post(&mut c, &format!("/zaken/{z}/onderzoek/sluiten"), &[]).await.0, 303);
    assert_eq!(reload(&app.db, k.id).await.status, "beraadslaging");
}
crate::on_both!(hearing_held_recorded_closed_reopened, held_recorded_closed_reopened);

#[tokio::test]
async fn a_settlement_ends_the_case_as_opgelost() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut c = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    let today = klachtencommissie::admin::today().to_string();
    let (status, body) = post(
        &mut c,
        &format!("/zaken/{z}/zitting"),
        &[
            ("soort", "verschijning"),
            ("datum", &today),
            ("tijd", "09:00"),
            ("plaats", "Secretariaat"),
            ("bevestigd", "ja"),
        ],
    )
    .await;
    assert_eq!(status, 422, "an appearance has a purpose");
    assert!(body.contains("14.2") && body.contains("Secretariaat"), "refused with the input kept: {body}");
    let (status, _) = post(
        &mut c,
        &format!("/zaken/{z}/zitting"),
        &[
            ("soort", "verschijning"),
            ("doel", "schikking"),
            ("datum", &today),
            ("tijd", "09:00"),
            ("plaats", "Secretariaat"),
            ("bevestigd", "ja"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/uitnodigen"), &[]).await.0, 303);
    assert_eq!(reload(&app.db, k.id).await.status, "onderzoek", "an appearance is not the hearing of Art 18");
    let parties = party::Entity::find().filter(party::Column::CaseId.eq(k.id)).all(&app.db).await.unwrap();
    let fields: Vec<(String, String)> = parties.iter().map(|p| (format!("partij-{}", p.id), "ja".to_owned())).collect();
    let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/aanwezigheid"), &f).await.0, 303);
    let text =
        "Proces-verbaal. Partijen spreken af dat de school de klager maandelijks informeert over de begeleiding.";
    let (status, body) =
        post(&mut c, &format!("/zaken/{z}/zitting/proces-verbaal"), &[("tekst", text), ("actie", "vaststellen")]).await;
    assert_eq!(status, 422, "the outcome of the attempt is required");
    assert!(body.contains(text), "the text is kept");
    assert_eq!(
        post(
            &mut c,
            &format!("/zaken/{z}/zitting/proces-verbaal"),
            &[("tekst", text), ("actie", "vaststellen"), ("schikking", "ja")]
        )
        .await
        .0,
        303
    );
    let k2 = reload(&app.db, k.id).await;
    assert_eq!((k2.status.as_str(), k2.outcome.as_deref()), ("afgesloten", Some("opgelost")));
    let kinds = letter_kinds(&app.db, k.id).await;
    assert_eq!(kinds.iter().filter(|x| x.starts_with("uitnodiging_verschijning:")).count(), 2);
    assert_eq!(kinds.iter().filter(|x| x.starts_with("schikking:")).count(), 2);
    assert!(kinds.iter().any(|x| x == "afloop_bevoegd_gezag:bestuur"), "{kinds:?}");
}

#[tokio::test]
async fn conflicts_stop_the_plan_until_confirmed_and_suggestions_avoid_them() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    // lid@demo.nl sits on this panel and records a day off in their own account.
    let mut member = app.login("lid@demo.nl").await;
    let day = weekday_after(24);
    let (status, _) =
        post(&mut member, "/account/verhinderd", &[("van", &day.to_string()), ("notitie", "congres")]).await;
    assert_eq!(status, 303);
    let (status, body) = post(&mut member, "/account/verhinderd", &[("van", "2026-13-40")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("geldige datum"), "{body}");
    let mut c = app.login("secretaris@demo.nl").await;
    let fields = [
        ("soort", "hoorzitting"),
        ("datum", &day.to_string() as &str),
        ("tijd", "14:00"),
        ("duur", "90"),
        ("plaats", "Zaal De Linde"),
    ];
    let (status, body) = post(&mut c, &format!("/zaken/{z}/zitting"), &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("is verhinderd") && body.contains("congres"), "{body}");
    assert!(body.contains("Zaal De Linde"), "input kept");
    assert!(hearing::Entity::find().filter(hearing::Column::CaseId.eq(k.id)).one(&app.db).await.unwrap().is_none());
    // The check by GET shows the same, and suggestions skip the day.
    let (status, page) = c.get_text(&format!("/zaken/{z}/zitting?datum={day}&tijd=14:00")).await;
    assert_eq!(status, 200);
    assert!(page.contains("is verhinderd"));
    // "Datum controleren" posts the form (the CSRF token stays out of the URL) and saves nothing.
    let mut checking: Vec<(&str, &str)> = fields.to_vec();
    checking.push(("actie", "controleren"));
    let (status, page) = post(&mut c, &format!("/zaken/{z}/zitting"), &checking).await;
    assert_eq!(status, 200);
    assert!(page.contains("is verhinderd") && page.contains("Zaal De Linde"), "{page}");
    assert!(hearing::Entity::find().filter(hearing::Column::CaseId.eq(k.id)).one(&app.db).await.unwrap().is_none());
    let data = klachtencommissie::cases::hearings::plan_data(&app.db, &k).await.unwrap();
    let s = klachtencommissie::domain::hearing::suggest(
        day - TimeDelta::days(3),
        "14:00".parse().unwrap(),
        klachtencommissie::admin::today(),
        &data.plan(),
        10,
        30,
    );
    assert!(!s.iter().any(|x| x.date == day), "{s:?}");
    // A party's unavailability, recorded by the secretary, shows as well.
    let klager = party::Entity::find()
        .filter(party::Column::CaseId.eq(k.id))
        .filter(party::Column::Role.eq("klager"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let other = weekday_after(31);
    assert_eq!(
        post(&mut c, &format!("/zaken/{z}/personen/{}/verhinderd", klager.id), &[("van", &other.to_string())]).await.0,
        303
    );
    let (_, page) = c.get_text(&format!("/zaken/{z}/zitting?datum={other}&tijd=14:00")).await;
    assert!(page.contains(&format!("{} (klager) is verhinderd", klager.name)), "{page}");
    // Confirmed anyway: planned.
    let mut confirmed: Vec<(&str, &str)> = fields.to_vec();
    confirmed.push(("bevestigd", "ja"));
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting"), &confirmed).await.0, 303);
    // Board users do not see the commission's planning page.
    let b = app.login("bestuur2@demo.nl").await;
    let board_case_visible = b.get(&format!("/zaken/{z}")).await.status().as_u16() == 200;
    if board_case_visible {
        assert_eq!(b.get(&format!("/zaken/{z}/zitting")).await.status().as_u16(), 403);
    }
}

#[tokio::test]
async fn information_requests_and_persons_at_the_hearing() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut c = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    let due = (klachtencommissie::admin::today() + TimeDelta::days(14)).to_string();
    let (status, body) = post(
        &mut c,
        &format!("/zaken/{z}/inlichtingen"),
        &[("aan", "bestuur"), ("vraag", "kort"), ("uiterlijk", &due)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Omschrijf"), "{body}");
    assert_eq!(
        post(
            &mut c,
            &format!("/zaken/{z}/inlichtingen"),
            &[("aan", "bestuur"), ("vraag", "Wilt u het zorgplan van de leerling toezenden?"), ("uiterlijk", &due)]
        )
        .await
        .0,
        303
    );
    let kinds = letter_kinds(&app.db, k.id).await;
    assert!(kinds.contains(&"informatieverzoek:bestuur".to_owned()), "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|x| x.starts_with("melding_informatieverzoek:")).count(),
        2,
        "klager and aangeklaagde are told"
    );
    let req = information_request::Entity::find()
        .filter(information_request::Column::CaseId.eq(k.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let form = Form::new()
        .text("ontvangen", klachtencommissie::admin::today().to_string())
        .part("bestand", Part::bytes(PDF.to_vec()).file_name("zorgplan.pdf").mime_str("application/pdf").unwrap());
    let r = c.post_multipart(&format!("/zaken/{z}/inlichtingen/{}/antwoord", req.id), form).await;
    assert_eq!(r.status(), 303);
    let req = information_request::Entity::find_by_id(req.id).one(&app.db).await.unwrap().unwrap();
    assert!(req.answered_on.is_some() && req.answer_document_id.is_some());
    let kinds = letter_kinds(&app.db, k.id).await;
    assert_eq!(
        kinds.iter().filter(|x| x.starts_with("doorzending_stuk:")).count(),
        2,
        "both parties get the answer: {kinds:?}"
    );

    // Art 21: a companion each, a witness of the commission told to both parties.
    let add = |fields: Vec<(&'static str, &'static str)>| fields;
    let companion = add(vec![("rol", "begeleider"), ("door", "klager"), ("naam", "A. Vertrouwd")]);
    assert_eq!(post(&mut c, &format!("/zaken/{z}/personen"), &companion).await.0, 303);
    let (status, body) = post(
        &mut c,
        &format!("/zaken/{z}/personen"),
        &add(vec![("rol", "begeleider"), ("door", "klager"), ("naam", "B. Tweede")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("21.2") && body.contains("B. Tweede"), "{body}");
    let (status, body) = post(
        &mut c,
        &format!("/zaken/{z}/personen"),
        &add(vec![("rol", "getuige"), ("door", "aangeklaagde"), ("naam", "C. Getuige")]),
    )
    .await;
    assert_eq!(status, 422, "a party's witness needs the date its name came in");
    assert!(body.contains("21.4"), "{body}");
    assert_eq!(
        post(
            &mut c,
            &format!("/zaken/{z}/personen"),
            &add(vec![("rol", "deskundige"), ("door", "commissie"), ("naam", "dr. D. Deskundig")])
        )
        .await
        .0,
        303
    );
    let kinds = letter_kinds(&app.db, k.id).await;
    assert_eq!(kinds.iter().filter(|x| x.starts_with("getuigen_commissie:")).count(), 2, "{kinds:?}");
    let (_, page) = c.get_text(&format!("/zaken/{z}/zitting")).await;
    assert!(page.contains("A. Vertrouwd") && page.contains("dr. D. Deskundig"));
}

#[tokio::test]
async fn a_members_calendar_feed_and_its_revocation() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut c = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    assert_eq!(plan(&mut c, &z, weekday_after(21), "14:00").await.0, 303);
    // voorzitter2@demo.nl chairs this case's panel; the start page lists the coming hearing.
    let chair = app.login("voorzitter2@demo.nl").await;
    let (_, home) = chair.get_text("/").await;
    assert!(home.contains(&format!("Hoorzitting zaak {z}")) && home.contains("nog niet uitgenodigd"), "{home}");
    let (_, account) = chair.get_text("/account").await;
    let url = account
        .split("id=\"f-feed\"")
        .nth(1)
        .and_then(|s| s.split("value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .expect("the feed URL on the account page")
        .to_owned();
    let path = url.split_once("/agenda/").map(|(_, t)| format!("/agenda/{t}")).unwrap();
    let anonymous = app.client();
    let r = anonymous.get(&path).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = r.text().await.unwrap();
    let h = hearing::Entity::find().filter(hearing::Column::CaseId.eq(k.id)).one(&app.db).await.unwrap().unwrap();
    assert!(ics.contains("METHOD:PUBLISH") && ics.contains(&h.uid), "{ics}");
    let parsed = parse_independently(&[ics]);
    assert!(parsed[0]["events"].as_array().unwrap().iter().any(|e| e["uid"] == h.uid.as_str()));
    // Another member's feed does not list it; a forged token finds nothing.
    assert_eq!(anonymous.get(&format!("{path}x")).await.status(), 404);
    let mut chair = chair;
    chair.refresh_csrf().await;
    assert_eq!(chair.post_form("/account/agenda/vernieuwen", &[]).await.status(), 303);
    assert_eq!(anonymous.get(&path).await.status(), 404, "the old URL is revoked");
    let (_, account) = chair.get_text("/account").await;
    assert!(!account.contains(&url));
}

#[tokio::test]
async fn a_panel_change_after_the_invitations_updates_calendars_and_parties() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut c = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    assert_eq!(plan(&mut c, &z, weekday_after(21), "14:00").await.0, 303);
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/uitnodigen"), &[]).await.0, 303);
    let before = calendars(&app.db, k.id).await.len();
    let panel = klachtencommissie::cases::hearings::panel(&app.db, k.id).await.unwrap();
    let (_, leaving) = panel.iter().find(|(r, _)| *r == klachtencommissie::domain::case::PanelRole::Lid).unwrap();
    assert_eq!(post(&mut c, &format!("/zaken/{z}/commissie/{}/verwijderen", leaving.id), &[]).await.0, 303);
    let after = calendars(&app.db, k.id).await;
    let new: Vec<&outbox_message::Model> = after[before..].iter().collect();
    let to_leaving: Vec<&&outbox_message::Model> = new.iter().filter(|m| m.to_email == leaving.email).collect();
    assert_eq!(to_leaving.len(), 1);
    let cancel = to_leaving[0].calendar.as_deref().unwrap();
    assert!(cancel.contains("METHOD:CANCEL") && cancel.contains("SEQUENCE:1"), "{cancel}");
    let others: Vec<&&outbox_message::Model> = new.iter().filter(|m| m.to_email != leaving.email).collect();
    assert_eq!(others.len(), panel.len() - 1 + 1, "the remaining panel and the secretary");
    assert!(others.iter().all(|m| {
        let ics = m.calendar.as_deref().unwrap();
        ics.contains("METHOD:REQUEST") && ics.contains("SEQUENCE:1") && !ics.contains(&leaving.email)
    }));
    let kinds = letter_kinds(&app.db, k.id).await;
    assert_eq!(
        kinds.iter().filter(|x| x.starts_with("wijziging_zitting:")).count(),
        2,
        "Art 18: the parties learn the new panel"
    );
}

#[tokio::test]
async fn separate_hearing_and_a_minor_witness_record() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut c = app.login("secretaris@demo.nl").await;
    let k = case_in(&app.db, "onderzoek").await;
    let z = k.zaaknummer.clone();
    let today = klachtencommissie::admin::today();
    assert_eq!(plan(&mut c, &z, today, "09:00").await.0, 303);
    // Art 20.4: the klager's written request, copied to the aangeklaagde; the chair decides.
    let form = Form::new()
        .text("van", "klager")
        .text("ontvangen", today.to_string())
        .part("bestand", Part::bytes(PDF.to_vec()).file_name("verzoek.pdf").mime_str("application/pdf").unwrap());
    assert_eq!(c.post_multipart(&format!("/zaken/{z}/zitting/verzoek-apart-horen"), form).await.status(), 303);
    let kinds = letter_kinds(&app.db, k.id).await;
    assert!(kinds.iter().any(|x| x.starts_with("doorzending_stuk:") && x.contains("aangeklaagde")), "{kinds:?}");
    let (status, body) =
        post(&mut c, &format!("/zaken/{z}/zitting/apart-horen"), &[("apart", "ja"), ("motivering", "")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Motiveer"), "{body}");
    let why = "De klager heeft aannemelijk gemaakt dat hij zich in aanwezigheid van de aangeklaagde niet vrij voelt.";
    assert_eq!(
        post(&mut c, &format!("/zaken/{z}/zitting/apart-horen"), &[("apart", "ja"), ("motivering", why)]).await.0,
        303
    );
    let h = hearing::Entity::find().filter(hearing::Column::CaseId.eq(k.id)).one(&app.db).await.unwrap().unwrap();
    assert!(h.separately && h.separately_reason.as_deref() == Some(why));
    assert_eq!(
        letter_kinds(&app.db, k.id).await.iter().filter(|x| x.starts_with("beslissing_apart_horen:")).count(),
        2
    );
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/uitnodigen"), &[]).await.0, 303);
    let invitation = letter::Entity::find()
        .filter(letter::Column::CaseId.eq(k.id))
        .filter(letter::Column::Kind.eq("uitnodiging_zitting"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(invitation.body.contains("apart van elkaar gehoord"), "{}", invitation.body);

    // Art 21.6: a minor witness of the commission, heard without the parties.
    let witness = [("rol", "getuige"), ("door", "commissie"), ("naam", "Noor (leerling)"), ("minderjarig", "ja")];
    assert_eq!(post(&mut c, &format!("/zaken/{z}/personen"), &witness).await.0, 303);
    let noor = party::Entity::find()
        .filter(party::Column::CaseId.eq(k.id))
        .filter(party::Column::Name.eq("Noor (leerling)"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let panel = klachtencommissie::cases::hearings::panel(&app.db, k.id).await.unwrap();
    let fields: Vec<(String, String)> = panel.iter().map(|(_, m)| (format!("lid-{}", m.id), "ja".to_owned())).collect();
    let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(post(&mut c, &format!("/zaken/{z}/zitting/aanwezigheid"), &f).await.0, 303);
    let record = |term: &str| {
        Form::new()
            .text("getuige", noor.id.to_string())
            .text("termijn", term.to_owned())
            .text("ontvangen", today.to_string())
            .part("bestand", Part::bytes(PDF.to_vec()).file_name("verslag.pdf").mime_str("application/pdf").unwrap())
    };
    let r = c.post_multipart(&format!("/zaken/{z}/zitting/verslag-getuige"), record("morgen")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Termijn"));
    assert_eq!(c.post_multipart(&format!("/zaken/{z}/zitting/verslag-getuige"), record("2 weken")).await.status(), 303);
    let kinds = letter_kinds(&app.db, k.id).await;
    assert_eq!(kinds.iter().filter(|x| x.starts_with("verslag_getuige:")).count(), 2, "{kinds:?}");
    let reactie = deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(k.id))
        .filter(deadline::Column::Kind.eq("reactie"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the response term");
    assert!(reactie.due_on.unwrap() > today);
    let h = hearing::Entity::find().filter(hearing::Column::CaseId.eq(k.id)).one(&app.db).await.unwrap().unwrap();
    let text = format!("{}Het horen verliep zonder bijzonderheden; de getuige is apart gehoord.", h.minutes);
    assert_eq!(
        post(&mut c, &format!("/zaken/{z}/zitting/proces-verbaal"), &[("tekst", &text), ("actie", "vaststellen")])
            .await
            .0,
        303
    );
    let (status, body) = post(&mut c, &format!("/zaken/{z}/onderzoek/sluiten"), &[]).await;
    assert_eq!(status, 422, "the parties may still respond");
    assert!(body.contains("21.6"), "{body}");
}

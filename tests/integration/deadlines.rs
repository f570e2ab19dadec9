//! Deadlines through the application: opened at registration, shown and decided on, and
//! recomputed when a calendar changes; always the same date the `termijn` command gives.

use crate::common::{Backend, TestApp, demo_case};
use klachtencommissie::audit::{Actor, WriteTx, verify};
use klachtencommissie::cli_termijn::{TermijnArgs, run as cli};
use klachtencommissie::deadlines;
use klachtencommissie::domain::deadline::DeadlineKind;
use klachtencommissie::entities::{audit_entry, case, deadline, holiday_period, school};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// What `klachtencommissie termijn` says for a stored deadline of a case at a school.
fn cli_date(d: &deadline::Model, region: &str) -> String {
    let args = TermijnArgs {
        vanaf: d.event_on.to_string(),
        duur: d.term.clone(),
        regio: Some(region.to_owned()),
        spoed: d.urgent,
        geen_vakanties: !d.skip_school_holidays,
        terug: d.backward,
        json: false,
    };
    cli(&args).unwrap().lines().next().unwrap().to_owned()
}

async fn the_application_and_the_cli_agree(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let all = deadline::Entity::find().all(&app.db).await.unwrap();
    assert!(all.len() > 25, "the demo cases carry deadlines");
    let mut compared = 0;
    for d in all.iter().filter(|d| d.extension_term.is_none() && d.suspended_on.is_none()) {
        let c = case::Entity::find_by_id(d.case_id).one(&app.db).await.unwrap().unwrap();
        let s = school::Entity::find_by_id(c.school_id).one(&app.db).await.unwrap().unwrap();
        let due = d.due_on.expect("demo deadlines are computable").to_string();
        assert_eq!(due, cli_date(d, &s.region), "{} {} at {}", c.zaaknummer, d.kind, s.name);
        compared += 1;
    }
    assert!(compared > 25);
    // Every state a deadline can be in that the demo shows.
    for status in ["open", "met", "missed", "extended", "suspended", "cancelled"] {
        assert!(all.iter().any(|d| d.status == status), "{status}");
    }
}
crate::on_both!(agree_with_cli, the_application_and_the_cli_agree);

async fn registration_opens_the_hearing_and_filing_terms(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let s = school::Entity::find().filter(school::Column::Region.eq("midden")).one(&app.db).await.unwrap().unwrap();
    let mut c = app.login("secretaris@demo.nl").await;
    let form = reqwest::multipart::Form::new()
        .text("received_on", "2026-10-15")
        .text("arrival", "post")
        .text("school_id", s.id.to_string())
        .text("subject", "Klacht over de schoolreis")
        .text("facts_date", "2025-09-01")
        .text("p0_role", "klager")
        .text("p0_name", "Ruud Termijn");
    let r = c.post_multipart("/zaken", form).await;
    assert_eq!(r.status(), 303);
    let zaak = r.headers()["location"].to_str().unwrap().trim_start_matches("/zaken/").to_owned();
    let case_id = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0.id;
    let ds = deadlines::for_case(&app.db, case_id).await.unwrap();
    let hearing = ds.iter().find(|d| d.kind == DeadlineKind::Hoorzitting.code()).unwrap();
    assert_eq!(hearing.term, "2 maanden");
    assert_eq!(hearing.due_on.unwrap().to_string(), cli_date(hearing, "midden"));
    // 2 months = 61 days from 15 October 2026; the midden herfstvakantie (17-25 Oct) and
    // kerstvakantie (19 Dec - 3 Jan) do not count: Saturday 9 January, so Monday 11 January.
    assert_eq!(hearing.due_on.unwrap().to_string(), "2027-01-11");
    // Art 11.5: facts on 1 September 2025, received 15 October 2026: more than a year.
    let filing = ds.iter().find(|d| d.kind == DeadlineKind::Indiening.code()).unwrap();
    assert_eq!((filing.status.as_str(), filing.due_on.unwrap().to_string().as_str()), ("missed", "2026-09-01"));

    let (_, page) = c.get_text(&format!("/zaken/{zaak}")).await;
    assert!(page.contains("Hoorzitting binnen twee maanden") && page.contains("11 januari 2027"));
    assert!(page.contains("Herfstvakantie van zaterdag 17 oktober 2026"), "the explanation is on the page");
    let (_, register) = c.get_text("/zaken?q=Ruud").await;
    assert!(register.contains("11 januari 2027"), "the register shows the next deadline");
}
crate::on_both!(registration_terms, registration_opens_the_hearing_and_filing_terms);

async fn the_chair_extends_once_and_urgency_recomputes(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    // The demo's voorzitter chairs the case in verweer (an open verweerschrift term).
    let chair = app.login("voorzitter@demo.nl").await;
    let c = case::Entity::find().filter(case::Column::Status.eq("verweer")).one(&app.db).await.unwrap().unwrap();
    assert_eq!(chair.get(&format!("/zaken/{}", c.zaaknummer)).await.status(), 200);
    let v = deadlines::for_case(&app.db, c.id).await.unwrap().into_iter().find(|d| d.kind == "verweerschrift").unwrap();
    let mut chair = chair;
    let url = format!("/zaken/{}/termijnen/{}/verlengen", c.zaaknummer, v.id);
    let r = chair.post_form(&url, &[("term", "2 weken"), ("reason", "")]).await;
    assert_eq!(r.status(), 422, "a reason is required");
    assert!(r.text().await.unwrap().contains("Leg vast waarom"));
    let r = chair.post_form(&url, &[("term", "2 weken"), ("reason", "ziekte van de aangeklaagde")]).await;
    assert_eq!(r.status(), 303);
    let after = deadline::Entity::find_by_id(v.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(after.status, "extended");
    assert!(after.due_on > v.due_on);
    assert_eq!(after.decision_reason.as_deref(), Some("ziekte van de aangeklaagde"));
    let r = chair.post_form(&url, &[("term", "2 weken"), ("reason", "nogmaals")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("al eens verlengd"));

    // A single term urgent (Art 27): the case stays non-urgent, the term counts holidays.
    let hearing =
        deadlines::for_case(&app.db, c.id).await.unwrap().into_iter().find(|d| d.kind == "hoorzitting").unwrap();
    let r = chair
        .post_form(
            &format!("/zaken/{}/termijnen/{}/spoed", c.zaaknummer, hearing.id),
            &[("status", "ja"), ("reason", "zitting vóór de kerstvakantie")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let urgent_term = deadline::Entity::find_by_id(hearing.id).one(&app.db).await.unwrap().unwrap();
    assert!(urgent_term.urgent && urgent_term.due_on <= hearing.due_on);
    assert!(!case::Entity::find_by_id(c.id).one(&app.db).await.unwrap().unwrap().urgent);

    // A member may not decide.
    let mut lid = app.login("lid@demo.nl").await;
    let r = lid.post_form(&format!("/zaken/{}/spoed", c.zaaknummer), &[("urgent", "ja"), ("spoed_reason", "x")]).await;
    assert_eq!(r.status(), 403);

    // Urgency: school holidays count, so no running term ends later than before.
    let before = deadlines::for_case(&app.db, c.id).await.unwrap();
    let r = chair
        .post_form(
            &format!("/zaken/{}/spoed", c.zaaknummer),
            &[("urgent", "ja"), ("spoed_reason", "veiligheid van de leerling")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let urgent = case::Entity::find_by_id(c.id).one(&app.db).await.unwrap().unwrap();
    assert!(urgent.urgent);
    for d in deadlines::for_case(&app.db, c.id).await.unwrap() {
        let old = before.iter().find(|b| b.id == d.id).unwrap();
        if d.skip_school_holidays && (d.status == "open" || d.status == "extended") {
            assert!(d.urgent && d.due_on <= old.due_on, "{d:?}");
        }
    }
    assert_eq!(verify(&app.db).await.unwrap().result, Ok(()));
}
crate::on_both!(extend_and_urgency, the_chair_extends_once_and_urgency_recomputes);

async fn a_calendar_change_recomputes_running_deadlines_and_says_so(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let zaak = demo_case(&app.db, "De Waarden").await;
    // A running deadline of a case at a school: take the hearing term of the newest case.
    let c = case::Entity::find().filter(case::Column::Status.eq("ontvangen")).one(&app.db).await.unwrap().unwrap();
    let hearing =
        deadlines::for_case(&app.db, c.id).await.unwrap().into_iter().find(|d| d.kind == "hoorzitting").unwrap();
    let due = hearing.due_on.unwrap();
    // The school closes for a study week right before the due date.
    holiday_period::ActiveModel {
        region: Set(None),
        school_id: Set(Some(c.school_id)),
        school_year: Set(klachtencommissie::domain::school_calendar::school_year_of(due)),
        kind: Set(None),
        name: Set("Studieweek".into()),
        start_on: Set(due - chrono::Days::new(6)),
        end_on: Set(due),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    let report = deadlines::recompute(&mut tx, Some(&[c.school_id]), "studieweek toegevoegd").await.unwrap();
    tx.commit().await.unwrap();
    assert!(report.changed >= 1 && report.checked >= report.changed);
    let after = deadline::Entity::find_by_id(hearing.id).one(&app.db).await.unwrap().unwrap();
    assert!(after.due_on.unwrap() > due, "seven more days do not count");
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.eq(c.id))
        .filter(audit_entry::Column::Action.eq("termijn.herberekend"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    let sec = app.login("secretaris@demo.nl").await;
    let (_, page) = sec.get_text(&format!("/zaken/{}", c.zaaknummer)).await;
    assert!(page.contains("Studieweek") && page.contains("Termijn herberekend"));
    // Nothing else moved: another school's case is untouched.
    let other = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0;
    assert!(
        other.school_id == c.school_id
            || audit_entry::Entity::find()
                .filter(audit_entry::Column::CaseId.eq(other.id))
                .filter(audit_entry::Column::Action.eq("termijn.herberekend"))
                .count(&app.db)
                .await
                .unwrap()
                == 0
    );
}
crate::on_both!(calendar_change, a_calendar_change_recomputes_running_deadlines_and_says_so);

async fn the_overview_is_scoped_and_grouped(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let sec = app.login("secretaris@demo.nl").await;
    let (status, html) = sec.get_text("/termijnen").await;
    assert_eq!(status, 200);
    assert!(html.contains("Verstreken") && html.contains("Deze week") && html.contains("Later"));
    let all_cases = case::Entity::find().all(&app.db).await.unwrap();
    let lid = app.login("lid@demo.nl").await;
    let (_, mine) = lid.get_text("/termijnen").await;
    let lid_member = crate::common::member_id_of(&app.db, "lid@demo.nl").await;
    for c in all_cases {
        let panel = klachtencommissie::cases::find_for_access(&app.db, &c.zaaknummer).await.unwrap().unwrap().1;
        if !panel.contains(&lid_member) {
            assert!(
                !mine.contains(&format!("/zaken/{}#termijnen", c.zaaknummer)),
                "{} is not the member's case",
                c.zaaknummer
            );
        }
    }
}
crate::on_both!(overview, the_overview_is_scoped_and_grouped);

async fn school_calendar_screens_recompute(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let c = case::Entity::find().filter(case::Column::Status.eq("ontvangen")).one(&app.db).await.unwrap().unwrap();
    let hearing =
        deadlines::for_case(&app.db, c.id).await.unwrap().into_iter().find(|d| d.kind == "hoorzitting").unwrap();
    let due = hearing.due_on.unwrap();
    let mut admin = app.login("beheerder@demo.nl").await;
    let page = format!("/beheer/scholen/{}/vakanties", c.school_id);
    assert_eq!(admin.get(&page).await.status(), 200);

    // A study day on the due date itself: the term ends a day later (or later still).
    let r = admin
        .post_form(
            &page,
            &[("kind", ""), ("name", "Studiedag team"), ("start_on", &due.to_string()), ("end_on", &due.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("herberekend="), "{location}");
    let (_, html) = admin.get_text(&location).await;
    assert!(html.contains("herberekend"), "the page says how many deadlines moved");
    let after = deadline::Entity::find_by_id(hearing.id).one(&app.db).await.unwrap().unwrap();
    assert!(after.due_on.unwrap() > due);

    // A CSV with a mistake: explained, nothing changed.
    let bad = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"naam;van;tot\nStudiedag;31-02-2026;31-02-2026\n".to_vec())
            .file_name("vakanties.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let r = admin.post_multipart(&format!("{page}/import"), bad).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("geen geldige datum"));
    assert_eq!(deadline::Entity::find_by_id(hearing.id).one(&app.db).await.unwrap().unwrap().due_on, after.due_on);

    // An .ics import replaces the school's own periods of that school year.
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Extra vrije dag\r\nDTSTART;VALUE=DATE:{}\r\nDTEND;VALUE=DATE:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        (due - chrono::Days::new(1)).format("%Y%m%d"),
        due.format("%Y%m%d")
    );
    let good = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(ics.into_bytes()).file_name("school.ics").mime_str("text/calendar").unwrap(),
    );
    let r = admin.post_multipart(&format!("{page}/import"), good).await;
    assert_eq!(r.status(), 303);
    let own: Vec<holiday_period::Model> = holiday_period::Entity::find()
        .filter(holiday_period::Column::SchoolId.eq(c.school_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(own.len(), 1, "the import replaced the study day");
    assert_eq!(own[0].name, "Extra vrije dag");
    assert_eq!(verify(&app.db).await.unwrap().result, Ok(()));
}
crate::on_both!(calendar_screens, school_calendar_screens_recompute);

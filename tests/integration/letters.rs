//! Letters and the outbox: the acknowledgement on registration, PDFs in the dossier, delivery
//! to a real SMTP server on loopback and to the mail folder, the post queue, retries and
//! giving up, crash safety of claims, two workers on PostgreSQL, templates, board
//! notifications and the daily digest.

use crate::common::{Backend, TestApp, demo_case, postgres_base};
use crate::smtp_sink::SmtpSink;
use klachtencommissie::audit::{Actor, WriteTx, verify};
use klachtencommissie::domain::letter::{LetterKind, Values};
use klachtencommissie::entities::{
    audit_entry, case, letter, letter_template, notification, outbox_message, party, school, user,
};
use klachtencommissie::letters::compose::{To, send};
use klachtencommissie::outbox::transport::Transport;
use klachtencommissie::outbox::worker::{Worker, claim};
use klachtencommissie::outbox::{self, NewMessage, Purpose};
use mail_parser::MimeHeaders;
use reqwest::multipart::Form;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use std::sync::Arc;
use std::time::Duration;

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed; .ci/run installs it");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn registration(school: i32, klager_email: Option<&str>, acknowledge: bool) -> Form {
    let f = Form::new()
        .text("received_on", "2026-11-20")
        .text("arrival", "post")
        .text("school_id", school.to_string())
        .text("subject", "Klacht over de schoolreis")
        .text("p0_role", "klager")
        .text("p0_name", "Sanne de Wit")
        .text("p0_address", "Kerkstraat 8\n3511 AA Utrecht")
        .text("p0_email", klager_email.unwrap_or("").to_owned())
        .text("p1_role", "aangeklaagde")
        .text("p1_name", "M. Smit");
    if acknowledge { f.text("acknowledge", "ja") } else { f }
}

async fn register(app: &TestApp, email: Option<&str>) -> case::Model {
    let mut c = app.login("secretaris@demo.nl").await;
    let school = school::Entity::find().one(&app.db).await.unwrap().unwrap().id;
    let r = c.post_multipart("/zaken", registration(school, email, true)).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let zaak = r.headers()["location"].to_str().unwrap().trim_start_matches("/zaken/").to_owned();
    klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0
}

fn worker(db: &DatabaseConnection, transport: Transport) -> Worker {
    Worker::new(db.clone(), Arc::new(transport))
}

/// The demo with its own (already delivered) messages set aside, so that each test here sees
/// exactly the messages it causes.
async fn demo_without_mail(backend: Backend) -> Option<TestApp> {
    let app = TestApp::with_demo(backend).await?;
    outbox_message::Entity::delete_many().exec(&app.db).await.unwrap();
    Some(app)
}

/// Letters written so far (the demo's own included).
async fn letter_count(db: &DatabaseConnection) -> u64 {
    letter::Entity::find().count(db).await.unwrap()
}

async fn only_message(db: &DatabaseConnection) -> outbox_message::Model {
    let all = outbox_message::Entity::find().all(db).await.unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().unwrap()
}

/// The "done when" of the issue: registering a klaagschrift produces the acknowledgement
/// letter, in the dossier as a PDF, delivered to a real SMTP server.
async fn acknowledgement_reaches_the_smtp_sink(backend: Backend) {
    let Some(app) = demo_without_mail(backend).await else { return };
    let c = register(&app, Some("sanne@example.nl")).await;
    let l = letter::Entity::find().filter(letter::Column::CaseId.eq(c.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(l.kind, "ontvangstbevestiging");
    assert_eq!(l.channel, "email");
    let template = letter_template::Entity::find_by_id(l.template_id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (template.kind.as_str(), template.version),
        ("ontvangstbevestiging", 1),
        "the letter records its template version"
    );

    // The PDF is in the dossier and reads as the letter.
    let sec = app.login("secretaris@demo.nl").await;
    let (status, html) = sec.get_text(&format!("/zaken/{}", c.zaaknummer)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Ontvangstbevestiging van uw klaagschrift") && html.contains("Wacht op verzending"),
        "{html}"
    );
    let pdf = sec.get(&format!("/zaken/{}/documenten/{}", c.zaaknummer, l.document_id)).await.bytes().await.unwrap();
    let text = pdftotext(&pdf);
    for expected in [
        "Onafhankelijke Klachtencommissie Katholiek Onderwijs",
        "Sanne de Wit",
        "Kerkstraat 8",
        &c.zaaknummer,
        "Ontvangstbevestiging van uw klaagschrift",
        "Geachte Sanne de Wit,",
        "Pagina 1 van",
        "Utrecht, ",
    ] {
        assert!(text.contains(expected), "PDF lacks {expected:?}:\n{text}");
    }

    let sink = SmtpSink::start().await;
    let pass = worker(&app.db, Transport::smtp(&sink.config()).unwrap()).run_once().await.unwrap();
    assert_eq!(pass.sent, 1, "{pass:?}");
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_to, vec!["sanne@example.nl".to_owned()]);
    let m = got[0].parsed();
    let stored = only_message(&app.db).await;
    assert_eq!(stored.status, "verzonden");
    assert_eq!(format!("<{}>", m.message_id().unwrap()), stored.message_id, "the stored Message-ID is the one sent");
    assert_eq!(
        m.subject().unwrap(),
        format!("Ontvangstbevestiging van uw klaagschrift (ons kenmerk {})", c.zaaknummer)
    );
    assert!(m.body_text(0).unwrap().contains("Geachte Sanne de Wit,"));
    let att: Vec<_> = m.attachments().collect();
    assert_eq!(att.len(), 1);
    assert!(att[0].attachment_name().unwrap().ends_with(".pdf"));
    assert!(pdftotext(att[0].contents()).contains(&c.zaaknummer), "the attachment is the letter's PDF");
    assert!(got[0].mail_from.contains("secretariaat@klachtencommissie.voorbeeld.nl"), "sender from the letterhead");

    // Nothing more to send: a second pass delivers nothing again.
    let pass = worker(&app.db, Transport::smtp(&sink.config()).unwrap()).run_once().await.unwrap();
    assert_eq!(pass.handled(), 0);
    assert_eq!(sink.messages().len(), 1);
    let entry = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("brief.verstuurd"))
        .filter(audit_entry::Column::CaseId.eq(c.id))
        .one(&app.db)
        .await
        .unwrap();
    assert!(entry.is_some(), "sending is audited with the case");
    assert!(verify(&app.db).await.unwrap().result.is_ok());
}
crate::on_both!(acknowledgement_smtp, acknowledgement_reaches_the_smtp_sink);

/// Without SMTP configuration mail lands as .eml files in the data directory, and the
/// outbox page shows it.
#[tokio::test]
async fn without_smtp_mail_goes_to_the_mail_folder() {
    let app = demo_without_mail(Backend::Sqlite).await.unwrap();
    let c = register(&app, Some("sanne@example.nl")).await;
    let dir = tempfile::tempdir().unwrap();
    let pass = worker(&app.db, Transport::folder(dir.path())).run_once().await.unwrap();
    assert_eq!(pass.sent, 1);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let raw = std::fs::read(&files[0]).unwrap();
    let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert!(m.subject().unwrap().contains(&c.zaaknummer));
    assert_eq!(m.attachments().count(), 1);

    let sec = app.login("secretaris@demo.nl").await;
    let (status, html) = sec.get_text("/brieven").await;
    assert_eq!(status, 200);
    assert!(html.contains("Verzonden") && html.contains("sanne@example.nl"), "{html}");
    let id = only_message(&app.db).await.id;
    let (status, html) = sec.get_text(&format!("/brieven/berichten/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Message-ID") && html.contains("Geachte Sanne de Wit,"), "{html}");
}

/// A klager without e-mail: the letter waits for post, prints in the batch, and is marked posted.
async fn post_queue_and_batch(backend: Backend) {
    let Some(app) = demo_without_mail(backend).await else { return };
    let c = register(&app, None).await;
    let l = letter::Entity::find().filter(letter::Column::CaseId.eq(c.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(l.channel, "post");
    assert_eq!(outbox_message::Entity::find().count(&app.db).await.unwrap(), 0, "nothing to e-mail");

    let mut sec = app.login("secretaris@demo.nl").await;
    let (status, html) = sec.get_text("/brieven/post").await;
    assert_eq!(status, 200);
    assert!(html.contains("Sanne de Wit") && html.contains("Kerkstraat 8"), "{html}");
    let r = sec.get("/brieven/post/brieven.pdf").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let text = pdftotext(&r.bytes().await.unwrap());
    assert!(text.contains("Sanne de Wit") && text.contains(&c.zaaknummer), "{text}");

    // Nothing ticked: a clear error, nothing marked.
    let r = sec.post_form("/brieven/post/verzonden", &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Vink de brieven aan"));
    let id = l.id.to_string();
    let r = sec.post_form("/brieven/post/verzonden", &[("brief", &id)]).await;
    assert_eq!(r.status(), 303);
    let l = letter::Entity::find_by_id(l.id).one(&app.db).await.unwrap().unwrap();
    assert!(l.posted_at.is_some());
    assert_eq!(sec.get("/brieven/post/brieven.pdf").await.status(), 404, "no letters wait any more");
    let (_, html) = sec.get_text(&format!("/zaken/{}", c.zaaknummer)).await;
    assert!(html.contains("gepost"), "the case shows the letter was posted");
}
crate::on_both!(post_queue, post_queue_and_batch);

/// Failures are retried later, then given up and shown; the secretary resends with the same
/// Message-ID.
async fn retry_give_up_and_resend(backend: Backend) {
    let Some(app) = demo_without_mail(backend).await else { return };
    register(&app, Some("sanne@example.nl")).await;
    // A port nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cfg = SmtpSink::start().await.config();
    cfg.port = closed;
    let w = worker(&app.db, Transport::smtp(&cfg).unwrap());
    let pass = w.run_once().await.unwrap();
    assert_eq!(pass.retry, 1, "{pass:?}");
    let m = only_message(&app.db).await;
    assert_eq!((m.status.as_str(), m.attempts), ("wachtend", 1));
    assert!(m.last_error.is_some() && m.lease_owner.is_none());
    assert!(m.next_attempt_at > chrono::Utc::now(), "the next attempt waits");
    assert_eq!(w.run_once().await.unwrap().handled(), 0, "not before its time");

    // The last allowed attempt fails too: the message is marked failed and audited.
    let mut am: outbox_message::ActiveModel = m.into();
    am.attempts = Set(klachtencommissie::domain::outbox::MAX_ATTEMPTS - 1);
    am.next_attempt_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    am.update(&app.db).await.unwrap();
    assert_eq!(w.run_once().await.unwrap().failed, 1);
    let m = only_message(&app.db).await;
    assert_eq!(m.status, "mislukt");
    assert!(
        audit_entry::Entity::find()
            .filter(audit_entry::Column::Action.eq("bericht.mislukt"))
            .one(&app.db)
            .await
            .unwrap()
            .is_some()
    );
    let mut sec = app.login("secretaris@demo.nl").await;
    let (_, html) = sec.get_text("/brieven").await;
    assert!(html.contains("niet worden bezorgd"), "the secretary sees the failure: {html}");

    let r = sec.post_form(&format!("/brieven/berichten/{}/opnieuw", m.id), &[]).await;
    assert_eq!(r.status(), 303);
    let sink = SmtpSink::start().await;
    assert_eq!(worker(&app.db, Transport::smtp(&sink.config()).unwrap()).run_once().await.unwrap().sent, 1);
    let again = only_message(&app.db).await;
    assert_eq!(again.status, "verzonden");
    assert_eq!(format!("<{}>", sink.messages()[0].parsed().message_id().unwrap()), m.message_id, "same Message-ID");
    // A delivered message cannot be sent again by accident.
    assert_eq!(sec.post_form(&format!("/brieven/berichten/{}/opnieuw", m.id), &[]).await.status(), 404);
    assert!(verify(&app.db).await.unwrap().result.is_ok());
}
crate::on_both!(retry_and_resend, retry_give_up_and_resend);

async fn enqueue_many(db: &DatabaseConnection, n: usize) {
    let tx = WriteTx::begin(db, Actor::system("test")).await.unwrap();
    for i in 0..n {
        outbox::enqueue(
            tx.conn(),
            NewMessage {
                purpose: Purpose::Melding,
                case_id: None,
                letter_id: None,
                to_email: format!("ontvanger{i}@example.nl"),
                to_name: format!("Ontvanger {i}"),
                subject: format!("Bericht {i}"),
                body: "Tekst".into(),
                attachment_document_id: None,
                more_attachments: vec![],
                calendar: None,
                register_document_id: None,
            },
            "secretariaat@commissie.nl",
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// A worker that dies after claiming, before delivering: its lease runs out and another
/// worker delivers the message, once.
async fn crash_between_claim_and_delivery(backend: Backend) {
    let Some(app) = demo_without_mail(backend).await else { return };
    enqueue_many(&app.db, 1).await;
    // The first worker claims (committed) and then dies: it never delivers nor releases.
    let claimed = claim(&app.db, "gestorven-worker", Duration::from_millis(800), chrono::Utc::now(), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let sink = SmtpSink::start().await;
    let survivor = worker(&app.db, Transport::smtp(&sink.config()).unwrap());
    assert_eq!(survivor.run_once().await.unwrap().handled(), 0, "the lease still holds");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(survivor.run_once().await.unwrap().sent, 1, "claimed again after the lease ran out");
    assert_eq!(survivor.run_once().await.unwrap().handled(), 0);
    assert_eq!(sink.messages().len(), 1, "delivered once");
    let m = only_message(&app.db).await;
    assert_eq!((m.status.as_str(), m.attempts), ("verzonden", 2));
}
crate::on_both!(crash_after_claim, crash_between_claim_and_delivery);

/// Two workers, each with its own connection pool, drain 200 messages from one PostgreSQL
/// database at the same time: each message is delivered exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_postgres_deliver_each_message_once() {
    if postgres_base().is_none() {
        eprintln!("PostgreSQL tests not run: set KC_TEST_POSTGRES");
        return;
    }
    let app = TestApp::with_demo(Backend::Postgres).await.unwrap();
    enqueue_many(&app.db, 200).await;
    let sink = SmtpSink::start().await;
    let second_db = klachtencommissie::db::connect(&app.database_url()).await.unwrap();
    let mut handles = Vec::new();
    for db in [app.db.clone(), second_db] {
        let mut w = worker(&db, Transport::smtp(&sink.config()).unwrap());
        w.batch = 7;
        handles.push(tokio::spawn(async move {
            let mut sent = 0;
            loop {
                let pass = w.run_once().await.unwrap();
                assert_eq!(pass.lost_lease, 0);
                sent += pass.sent;
                if pass.handled() == 0 {
                    return sent;
                }
            }
        }));
    }
    let mut per_worker = Vec::new();
    for h in handles {
        per_worker.push(h.await.unwrap());
    }
    assert_eq!(per_worker.iter().sum::<usize>(), 200, "{per_worker:?}");
    assert!(per_worker.iter().all(|n| *n > 0), "both workers took part: {per_worker:?}");
    let got = sink.messages();
    assert_eq!(got.len(), 200);
    let mut ids: Vec<String> = got.iter().map(|r| r.parsed().message_id().unwrap().to_owned()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200, "no message delivered twice");
    let waiting = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.ne("verzonden"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(waiting, 0);
}

/// The template editor: placeholders listed, errors explained with the input kept, preview,
/// a new version on save that the next letter uses.
async fn template_editing(backend: Backend) {
    let Some(app) = demo_without_mail(backend).await else { return };
    let mut sec = app.login("secretaris@demo.nl").await;
    let (status, html) = sec.get_text("/brieven/sjablonen/ontvangstbevestiging").await;
    assert_eq!(status, 200);
    assert!(html.contains("{{zaaknummer}}") && html.contains("naam van de geadresseerde"), "placeholders listed");

    let bad = "Geachte {{ontvanger}}, uw zaak {{zaaknr}} <script>alert(1)</script>";
    let r = sec
        .post_form(
            "/brieven/sjablonen/ontvangstbevestiging",
            &[("onderwerp", "Ontvangst"), ("tekst", bad), ("actie", "opslaan")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("onbekende invulplek {{zaaknr}}"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "input kept, escaped");
    assert_eq!(
        letter_template::Entity::find()
            .filter(letter_template::Column::Kind.eq("ontvangstbevestiging"))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );

    let good = "Geachte {{ontvanger}},\n\nWij ontvingen uw klacht op {{ontvangen_op}} onder nummer {{zaaknummer}}.";
    let r = sec
        .post_form(
            "/brieven/sjablonen/ontvangstbevestiging",
            &[("onderwerp", "Ontvangen: {{zaaknummer}}"), ("tekst", good), ("actie", "voorbeeld")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Ontvangen: 2026-0042") && html.contains("Wij ontvingen uw klacht op 16 november 2026"),
        "{html}"
    );
    let r = sec
        .post_form(
            "/brieven/sjablonen/ontvangstbevestiging",
            &[("onderwerp", "Ontvangen: {{zaaknummer}}"), ("tekst", good), ("actie", "pdf")],
        )
        .await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(pdftotext(&r.bytes().await.unwrap()).contains("Wij ontvingen uw klacht"));
    let r = sec
        .post_form(
            "/brieven/sjablonen/ontvangstbevestiging",
            &[("onderwerp", "Ontvangen: {{zaaknummer}}"), ("tekst", good), ("actie", "opslaan")],
        )
        .await;
    assert_eq!(r.status(), 303);

    let c = register(&app, Some("sanne@example.nl")).await;
    let l = letter::Entity::find().filter(letter::Column::CaseId.eq(c.id)).one(&app.db).await.unwrap().unwrap();
    let t = letter_template::Entity::find_by_id(l.template_id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(t.version, 2, "the new letter names the new version");
    assert_eq!(l.subject, format!("Ontvangen: {}", c.zaaknummer));

    // The letterhead: bad input explained and kept, good input used by the next letter.
    let r =
        sec.post_form("/brieven/briefhoofd", &[("naam", ""), ("email", "geen-adres"), ("adres", "Postbus 9")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Dit veld is verplicht") && html.contains("Postbus 9"), "{html}");
    let r = sec
        .post_form(
            "/brieven/briefhoofd",
            &[
                ("naam", "Commissie Test"),
                ("email", "post@commissie-test.nl"),
                ("adres", "Postbus 9\n1000 AA Amsterdam"),
                ("plaats", "Amsterdam"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let head = klachtencommissie::letters::letterhead::load(&app.db).await.unwrap();
    assert_eq!(
        (head.name.as_str(), head.from_address(), head.place.as_str()),
        ("Commissie Test", "post@commissie-test.nl", "Amsterdam")
    );

    // A member may not edit templates.
    let lid = app.login("lid@demo.nl").await;
    assert_eq!(lid.get("/brieven/sjablonen").await.status(), 403);
}
crate::on_both!(templates, template_editing);

/// A letter to the board appears in its users' portal as unread, opening it marks it read;
/// a board user who asked for it also gets a notice by e-mail.
async fn board_notifications(backend: Backend) {
    let Some(app) = demo_without_mail(backend).await else { return };
    let zaak = demo_case(&app.db, "De Waarden").await;
    let mut board_user = app.login("bestuur@demo.nl").await;
    let r = board_user.post_form("/account/meldingen", &[("email", "ja")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/account?opgeslagen=1");
    let u = user::Entity::find().filter(user::Column::Email.eq("bestuur@demo.nl")).one(&app.db).await.unwrap().unwrap();
    assert!(u.notify_by_email);

    let mut sec = app.login("secretaris@demo.nl").await;
    let letters_before = letter_count(&app.db).await;
    // Bad input first: nothing chosen, no text.
    let r =
        sec.post_form(&format!("/zaken/{zaak}/brieven"), &[("soort", "vrije_brief"), ("aan", ""), ("tekst", "")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Kies aan wie de brief gaat") && html.contains("Dit veld is verplicht"), "{html}");
    assert_eq!(letter_count(&app.db).await, letters_before, "nothing half-written");
    let r = sec
        .post_form(
            &format!("/zaken/{zaak}/brieven"),
            &[("soort", "vrije_brief"), ("aan", "bestuur"), ("tekst", "Wij verzoeken u om een reactie.\n\nDank.")],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());

    let (status, html) = board_user.get_text("/meldingen").await;
    assert_eq!(status, 200);
    assert!(html.contains("nieuw") && html.contains(&zaak), "{html}");
    let n =
        notification::Entity::find().filter(notification::Column::UserId.eq(u.id)).one(&app.db).await.unwrap().unwrap();
    assert!(n.read_at.is_none());
    let r = board_user.get(&format!("/meldingen/{}", n.id)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/zaken/{zaak}#brieven").as_str());
    let n = notification::Entity::find_by_id(n.id).one(&app.db).await.unwrap().unwrap();
    assert!(n.read_at.is_some(), "opened means read");
    // Another user's notification is not theirs to open.
    let other = app.login("bestuur2@demo.nl").await;
    assert_eq!(other.get(&format!("/meldingen/{}", n.id)).await.status(), 404);

    let mails = outbox_message::Entity::find().order_by_asc(outbox_message::Column::Id).all(&app.db).await.unwrap();
    let purposes: Vec<&str> = mails.iter().map(|m| m.purpose.as_str()).collect();
    assert_eq!(purposes, vec!["brief", "melding"], "the letter to the board's address, and the notice to the user");
    assert_eq!(mails[1].to_email, "bestuur@demo.nl");
}
crate::on_both!(notifications, board_notifications);

/// The daily digest: once per day however often it is asked for, to the secretary and the
/// chairs who did not turn it off, listing only overdue and soon-due deadlines.
async fn daily_digest(backend: Backend) {
    let Some(app) = demo_without_mail(backend).await else { return };
    let today = klachtencommissie::admin::today();
    // The chair turns the digest off.
    let mut chair = app.login("voorzitter@demo.nl").await;
    assert_eq!(chair.post_form("/account/meldingen", &[]).await.status(), 303);

    let n = klachtencommissie::digest::write(&app.db, today, "http://kc.test").await.unwrap();
    assert!(n.is_some_and(|n| n >= 1), "{n:?}");
    assert_eq!(klachtencommissie::digest::write(&app.db, today, "http://kc.test").await.unwrap(), None, "once per day");
    let mails = outbox_message::Entity::find()
        .filter(outbox_message::Column::Purpose.eq("herinnering"))
        .all(&app.db)
        .await
        .unwrap();
    let to: Vec<&str> = mails.iter().map(|m| m.to_email.as_str()).collect();
    assert!(to.contains(&"secretaris@demo.nl"), "{to:?}");
    assert!(!to.contains(&"voorzitter@demo.nl"), "turned off: {to:?}");
    assert!(!to.iter().any(|t| t.starts_with("bestuur") || t.starts_with("lid")), "{to:?}");
    let body = &mails.iter().find(|m| m.to_email == "secretaris@demo.nl").unwrap().body;
    assert!(body.contains("http://kc.test/termijnen"), "{body}");
}
crate::on_both!(digest, daily_digest);

/// Sending a letter on a case writes nothing when the transaction is dropped.
#[tokio::test]
async fn a_dropped_transaction_leaves_no_letter() {
    let app = demo_without_mail(Backend::Sqlite).await.unwrap();
    let zaak = demo_case(&app.db, "De Waarden").await;
    let c = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0;
    let p = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).one(&app.db).await.unwrap().unwrap();
    let letters_before = letter_count(&app.db).await;
    {
        let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
        let mut extra = Values::new();
        extra.insert("tekst", "x".into());
        send(&mut tx, &c, LetterKind::VrijeBrief, To::Party(p.id), extra).await.unwrap();
        // dropped without commit
    }
    assert_eq!(letter_count(&app.db).await, letters_before);
    assert_eq!(outbox_message::Entity::find().count(&app.db).await.unwrap(), 0);
    assert!(verify(&app.db).await.unwrap().result.is_ok());
}

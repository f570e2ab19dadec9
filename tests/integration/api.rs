//! The JSON API for the boards' systems (issue 8) over real HTTP: tokens made on the portal
//! page, reading and filing with them, every refusal as JSON, and the webhook posted to a real
//! receiver on loopback with a signature checked by the domain's own function.

use crate::common::{Backend, Client, TestApp, demo_case};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use klachtencommissie::domain::api::{self as rules, Scopes};
use klachtencommissie::entities::{
    audit_entry, board, case, document, document_content, letter, outbox_message, school, user, webhook_delivery,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Creates a token on the portal page and reads it from the page (shown once).
async fn token_via_page(c: &mut Client, name: &str, scopes: &[&str]) -> String {
    let mut fields = vec![("naam", name), ("dagen", "30")];
    fields.extend(scopes.iter().map(|s| ("bevoegdheid", *s)));
    let resp = c.post_form("/koppeling/tokens", &fields).await;
    assert_eq!(resp.status(), 200, "the page shows the new token");
    let html = resp.text().await.unwrap();
    let start = html.find("id=\"nieuw-token\"").expect("the token on the page");
    let from = start + html[start..].find('>').unwrap() + 1;
    let to = from + html[from..].find("</textarea>").unwrap();
    let token = html[from..to].trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
    assert!(html.contains(&format!("Authorization: Bearer {token}")), "with a curl example");
    token
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        assert_eq!(
            self.headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "JSON, never HTML: {}",
            self.body
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_owned()
    }
}

async fn send(req: reqwest::RequestBuilder) -> Answer {
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.text().await.unwrap();
    Answer { status, headers, body }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> Answer {
    let mut req = http().get(format!("{}/api/v1{path}", app.url));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    send(req).await
}

async fn post_json(app: &TestApp, token: &str, path: &str, body: String) -> Answer {
    send(
        http()
            .post(format!("{}/api/v1{path}", app.url))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(body),
    )
    .await
}

async fn board_of(app: &TestApp, email: &str) -> i32 {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(&app.db).await.unwrap().unwrap().board_id.unwrap()
}

async fn school_of(app: &TestApp, board_id: i32) -> school::Model {
    school::Entity::find()
        .filter(school::Column::BoardId.eq(board_id))
        .order_by_asc(school::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

fn klaagschrift(school_id: i32, received_on: &str, documents: Value) -> String {
    json!({
        "school_id": school_id,
        "received_on": received_on,
        "facts_date": "2026-09-15",
        "subject": "Pesten in groep 6 en de afhandeling door de school",
        "klager": { "name": "J. de Vries", "address": "Dorpsstraat 1\n1234 AB Ergens", "email": "devries@voorbeeld.nl" },
        "aangeklaagde": { "name": "M. Bakker (groepsleerkracht)" },
        "documents": documents,
    })
    .to_string()
}

fn pdf_document() -> Value {
    json!([{ "file_name": "klaagschrift.pdf", "title": "Klaagschrift van de ouders",
             "media_type": "application/pdf", "content_base64": rules::base64_encode(PDF) }])
}

/// A valid token lists and reads its own board's cases, newest first, with the sent advies.
async fn reads_own_cases(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut board_user = app.login("bestuur@demo.nl").await;
    let (status, page) = board_user.get_text("/koppeling").await;
    assert_eq!(status, 200);
    assert!(page.contains("Nog geen tokens") && page.contains("/api/v1/openapi.json"));
    let token = token_via_page(&mut board_user, "Leerlingvolgsysteem", &["lezen"]).await;
    let board_id = board_of(&app, "bestuur@demo.nl").await;

    let a = get(&app, Some(&token), "/zaken").await;
    assert_eq!(a.status, 200, "{}", a.body);
    let v = a.json();
    let own = case::Entity::find()
        .filter(case::Column::BoardId.eq(board_id))
        .order_by_desc(case::Column::ReceivedOn)
        .order_by_desc(case::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert!(!own.is_empty());
    assert_eq!(v["total"], own.len() as u64);
    assert_eq!(v["page"], 1);
    assert_eq!(v["per_page"], 50);
    let listed: Vec<&str> = v["zaken"].as_array().unwrap().iter().map(|z| z["zaaknummer"].as_str().unwrap()).collect();
    let expected: Vec<&str> = own.iter().take(50).map(|c| c.zaaknummer.as_str()).collect();
    assert_eq!(listed, expected, "the board's cases only, newest first");
    let first = &v["zaken"][0];
    for field in ["school", "subject", "received_on", "status", "outcome", "next_date", "hearing_at", "advies"] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert!(first["status"]["code"].is_string() && first["status"]["label"].is_string());
    assert!(first["board_decision"]["owed"].is_boolean());
    let second_page = get(&app, Some(&token), "/zaken?pagina=2").await.json();
    assert_eq!(second_page["zaken"].as_array().unwrap().len(), own.len().saturating_sub(50));
    let bad_page = get(&app, Some(&token), "/zaken?pagina=nul").await;
    assert_eq!((bad_page.status, bad_page.error_code().as_str()), (400, "ongeldig_verzoek"));

    let zaak = demo_case(&app.db, "De Waarden").await;
    let one = get(&app, Some(&token), &format!("/zaken/{zaak}")).await;
    assert_eq!(one.status, 200);
    let one = one.json();
    assert_eq!(one["zaaknummer"], zaak.as_str());
    assert_eq!(one["url"], format!("/api/v1/zaken/{zaak}"));
    let missing = get(&app, Some(&token), "/zaken/2099-9999").await;
    assert_eq!((missing.status, missing.error_code().as_str()), (404, "niet_gevonden"));

    // The advies as sent: the PDF itself; a case without one answers 404 in JSON.
    let cases_of_board = klachtencommissie::cases::progress::of(&app.db, &own).await.unwrap();
    let with_advies = cases_of_board.iter().find(|p| p.advies.as_ref().is_some_and(|a| a.pdf_document_id.is_some()));
    let without = cases_of_board.iter().find(|p| p.advies.is_none()).unwrap();
    let none = get(&app, Some(&token), &format!("/zaken/{}/advies", without.zaaknummer)).await;
    assert_eq!((none.status, none.error_code().as_str()), (404, "advies_niet_verzonden"));
    let (advies_token, advies_case) = match with_advies {
        Some(p) => (token.clone(), p.clone()),
        None => {
            // The demo's sent adviezen may all belong to another board: a token of that board.
            let all = case::Entity::find().all(&app.db).await.unwrap();
            let p = klachtencommissie::cases::progress::of(&app.db, &all)
                .await
                .unwrap()
                .into_iter()
                .find(|p| p.advies.as_ref().is_some_and(|a| a.pdf_document_id.is_some()))
                .expect("a demo case with a sent advies");
            (direct_token(&app, p.board_id, "lezen", chrono::Utc::now(), 30).await, p)
        }
    };
    let pdf = send(
        http()
            .get(format!("{}/api/v1/zaken/{}/advies", app.url, advies_case.zaaknummer))
            .header("authorization", format!("Bearer {advies_token}")),
    )
    .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF"));
    let listed = get(&app, Some(&advies_token), &format!("/zaken/{}", advies_case.zaaknummer)).await.json();
    assert_eq!(listed["advies"]["pdf"], format!("/api/v1/zaken/{}/advies", advies_case.zaaknummer));
    assert!(listed["advies"]["sent_at"].is_string());

    // The page records the use; a lezen token may not file.
    let (_, page) = board_user.get_text("/koppeling").await;
    assert!(page.contains("Leerlingvolgsysteem") && page.contains("Actief") && !page.contains("nooit"));
    let school = school_of(&app, board_id).await;
    let refused =
        post_json(&app, &token, "/klaagschriften", klaagschrift(school.id, "2026-11-02", pdf_document())).await;
    assert_eq!((refused.status, refused.error_code().as_str()), (403, "bevoegdheid_ontbreekt"));
    // Security headers as on every response.
    assert_eq!(one_headers(&app, &token).await["x-content-type-options"], "nosniff");
}
crate::on_both!(own_cases, reads_own_cases);

async fn one_headers(app: &TestApp, token: &str) -> HeaderMap {
    get(app, Some(token), "/zaken").await.headers
}

/// A token made through the use case directly, with a chosen clock.
async fn direct_token(
    app: &TestApp,
    board_id: i32,
    scopes: &str,
    now: chrono::DateTime<chrono::Utc>,
    days: i64,
) -> String {
    let key = klachtencommissie::config::load_or_create_session_key(app.data_dir()).unwrap();
    let mut tx = klachtencommissie::audit::WriteTx::begin(&app.db, klachtencommissie::audit::Actor::system("test"))
        .await
        .unwrap();
    let request = rules::TokenRequest {
        name: format!("test {scopes}"),
        scopes: Scopes::parse(scopes).unwrap(),
        valid_days: days,
    };
    let (_, jwt) = klachtencommissie::api::tokens::create(&mut tx, &key, board_id, request, now).await.unwrap();
    tx.commit().await.unwrap();
    jwt
}

/// Missing, forged, expired and revoked tokens, a session cookie, another board's token: each
/// refused with its own code, as JSON, with the bearer challenge.
async fn refuses_what_is_not_a_valid_token(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut board_user = app.login("bestuur@demo.nl").await;
    let token = token_via_page(&mut board_user, "LVS", &["lezen", "indienen"]).await;
    let own_case = demo_case(&app.db, "De Waarden").await;
    assert_eq!(get(&app, Some(&token), &format!("/zaken/{own_case}")).await.status, 200);

    let none = get(&app, None, "/zaken").await;
    assert_eq!((none.status, none.error_code().as_str()), (401, "token_ontbreekt"));
    assert_eq!(none.headers["www-authenticate"], r#"Bearer realm="klachtencommissie""#);
    let forged = get(&app, Some("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.AAAA"), "/zaken").await;
    assert_eq!((forged.status, forged.error_code().as_str()), (401, "token_ongeldig"));
    assert!(forged.headers["www-authenticate"].to_str().unwrap().contains("invalid_token"));
    let basic = send(http().get(format!("{}/api/v1/zaken", app.url)).header("authorization", "Basic YTpi")).await;
    assert_eq!((basic.status, basic.error_code().as_str()), (401, "token_ontbreekt"));

    // Expired: made 400 days ago for 30 days, signed with the server's real key.
    let board_id = board_of(&app, "bestuur@demo.nl").await;
    let long_ago = chrono::Utc::now() - chrono::Duration::days(400);
    let expired = direct_token(&app, board_id, "lezen", long_ago, 30).await;
    let a = get(&app, Some(&expired), "/zaken").await;
    assert_eq!((a.status, a.error_code().as_str()), (401, "token_verlopen"));
    assert_eq!(a.json()["error"]["message"], "Het API-token is verlopen; maak een nieuw token aan in het portaal.");

    // A session cookie is no token.
    let session = board_user.get("/api/v1/zaken").await;
    assert_eq!(session.status(), 401);
    let v: Value = serde_json::from_str(&session.text().await.unwrap()).unwrap();
    assert_eq!(v["error"]["code"], "token_ontbreekt");

    // Another board's token: that board's cases are its own, not these; its schools neither.
    let mut other_user = app.login("bestuur2@demo.nl").await;
    let other = token_via_page(&mut other_user, "Ander systeem", &["lezen", "indienen"]).await;
    let a = get(&app, Some(&other), &format!("/zaken/{own_case}")).await;
    assert_eq!((a.status, a.error_code().as_str()), (403, "geen_toegang"));
    assert_eq!(get(&app, Some(&other), &format!("/zaken/{own_case}/advies")).await.status, 403);
    let listed = get(&app, Some(&other), "/zaken").await.json();
    assert!(!listed["zaken"].as_array().unwrap().iter().any(|z| z["zaaknummer"] == own_case.as_str()));
    let school = school_of(&app, board_id).await;
    let before = case::Entity::find().count(&app.db).await.unwrap();
    let a = post_json(&app, &other, "/klaagschriften", klaagschrift(school.id, "2026-11-02", pdf_document())).await;
    assert_eq!((a.status, a.error_code().as_str()), (403, "geen_toegang"));
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), before, "nothing registered");

    // Revoked on the page: refused from then on; another board cannot revoke it.
    let row = klachtencommissie::entities::api_token::Entity::find()
        .filter(klachtencommissie::entities::api_token::Column::Name.eq("LVS"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.last_used_at.is_some(), "the use is recorded");
    let path = format!("/koppeling/tokens/{}/intrekken", row.id);
    assert_eq!(other_user.post_form(&path, &[]).await.status(), 404);
    assert_eq!(get(&app, Some(&token), "/zaken").await.status, 200);
    assert_eq!(board_user.post_form(&path, &[]).await.status(), 303);
    let a = get(&app, Some(&token), "/zaken").await;
    assert_eq!((a.status, a.error_code().as_str()), (401, "token_ingetrokken"));
    let (_, page) = board_user.get_text("/koppeling").await;
    assert!(page.contains("Ingetrokken"));
    // The audit log names the tokens, never their text.
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.is_in(["api.token_aangemaakt", "api.token_ingetrokken"]))
        .all(&app.db)
        .await
        .unwrap();
    assert!(entries.len() >= 4);
    for e in &entries {
        for t in [&token, &other, &expired] {
            assert!(!e.detail.contains(t.as_str()) && !e.detail.contains(t.split('.').nth(2).unwrap()));
        }
    }
    // A token request the page refuses: with its reasons, nothing made.
    let r = board_user.post_form("/koppeling/tokens", &[("naam", ""), ("dagen", "800")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Dit veld is verplicht") && html.contains("ten hoogste twee jaar") && html.contains("Kies wat")
    );
}
crate::on_both!(refused_tokens, refuses_what_is_not_a_valid_token);

/// Filing a klaagschrift with a PDF: registered as forwarded by the school, the document kept,
/// the acknowledgement queued. Wrong requests are refused as JSON with nothing written.
async fn files_a_klaagschrift(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let mut board_user = app.login("bestuur@demo.nl").await;
    let token = token_via_page(&mut board_user, "Registratiesysteem", &["indienen", "lezen"]).await;
    let board_id = board_of(&app, "bestuur@demo.nl").await;
    let school = school_of(&app, board_id).await;
    let today = klachtencommissie::admin::today();
    let before = case::Entity::find().count(&app.db).await.unwrap();

    // An invalid document: 422 naming it, nothing registered.
    let bad_doc = json!([
        { "file_name": "klaagschrift.pdf", "media_type": "application/pdf", "content_base64": rules::base64_encode(PDF) },
        { "file_name": "bijlage.pdf", "media_type": "application/pdf", "content_base64": rules::base64_encode(b"MZ\x90\x00") }
    ]);
    let a = post_json(&app, &token, "/klaagschriften", klaagschrift(school.id, "2026-11-02", bad_doc)).await;
    assert_eq!((a.status, a.error_code().as_str()), (422, "ongeldige_gegevens"));
    let fields = &a.json()["error"]["fields"];
    assert!(fields["documents[1]"].as_str().unwrap().starts_with("bijlage.pdf: "), "{fields}");
    assert!(fields.get("documents[0]").is_none());
    let a = post_json(&app, &token, "/klaagschriften", json!({ "school_id": school.id }).to_string()).await;
    assert_eq!(a.status, 422);
    for f in ["received_on", "subject", "klager"] {
        assert!(a.json()["error"]["fields"][f].is_string(), "{f}: {}", a.body);
    }
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), before, "nothing registered");

    // Malformed requests.
    let a = post_json(&app, &token, "/klaagschriften", "{\"school_id\": ".into()).await;
    assert_eq!((a.status, a.error_code().as_str()), (400, "ongeldige_json"));
    assert!(a.json()["error"]["message"].as_str().unwrap().contains("EOF while parsing"), "serde's message");
    let a = post_json(&app, &token, "/klaagschriften", json!({ "school_id": "vier" }).to_string()).await;
    assert_eq!((a.status, a.error_code().as_str()), (400, "ongeldige_json"));
    // A NUL character, which PostgreSQL cannot store in text: refused before anything is read.
    let nul = klaagschrift(school.id, "2026-11-02", pdf_document()).replace("Pesten", "Pes\\u0000ten");
    let a = post_json(&app, &token, "/klaagschriften", nul).await;
    assert_eq!((a.status, a.error_code().as_str()), (400, "ongeldige_json"));
    assert!(a.json()["error"]["message"].as_str().unwrap().contains("NUL-teken"));
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), before, "nothing registered");
    let a = send(
        http()
            .post(format!("{}/api/v1/klaagschriften", app.url))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/plain")
            .body("hallo"),
    )
    .await;
    assert_eq!((a.status, a.error_code().as_str()), (415, "verkeerd_mediatype"));
    let huge = format!("{{\"subject\":\"{}\"}}", "x".repeat(klachtencommissie::api::MAX_BODY_BYTES + 10));
    let a = post_json(&app, &token, "/klaagschriften", huge).await;
    assert_eq!((a.status, a.error_code().as_str()), (413, "te_groot"));
    // Larger than the browser's limit, within the API's: one big document, base64.
    let mut big = PDF.to_vec();
    big.resize(16 * 1024 * 1024, b' ');
    let big_doc = json!([{ "file_name": "groot.pdf", "media_type": "application/pdf", "content_base64": rules::base64_encode(&big) }]);
    let body = klaagschrift(school.id, "2026-11-01", big_doc);
    assert!(body.len() > klachtencommissie::web::MAX_BODY_BYTES);
    let a = post_json(&app, &token, "/klaagschriften", body).await;
    assert_eq!(a.status, 201, "{}", &a.body[..a.body.len().min(300)]);
    let big_case = a.json()["zaaknummer"].as_str().unwrap().to_owned();
    let big_case =
        case::Entity::find().filter(case::Column::Zaaknummer.eq(big_case)).one(&app.db).await.unwrap().unwrap();
    let stored = document::Entity::find()
        .filter(document::Column::CaseId.eq(big_case.id))
        .filter(document::Column::Direction.eq("in"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.size_bytes, big.len() as i64);
    let before = before + 1;
    let a = get(&app, Some(&token), "/bestaat-niet").await;
    assert_eq!((a.status, a.error_code().as_str()), (404, "onbekend_adres"));
    for path in ["/zaken/2026-0001/iets", "", "/", "/zaken/"] {
        let a = get(&app, None, path).await;
        assert_eq!((a.status, a.error_code().as_str()), (404, "onbekend_adres"), "/api/v1{path}");
    }
    // A POST anywhere under /api/v1 meets no CSRF check (a browser's): JSON all the same.
    for path in ["/", "/onbekend/pad"] {
        let a = send(http().post(format!("{}/api/v1{path}", app.url)).header("origin", "https://elders.nl")).await;
        assert_eq!((a.status, a.error_code().as_str()), (404, "onbekend_adres"), "POST /api/v1{path}");
    }
    let a = send(http().delete(format!("{}/api/v1/zaken", app.url))).await;
    assert_eq!((a.status, a.error_code().as_str()), (405, "methode_niet_toegestaan"));
    assert!(a.headers.contains_key("allow"));
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), before);

    // The real thing: 201, Location, the case as JSON.
    let a = post_json(&app, &token, "/klaagschriften", klaagschrift(school.id, "2026-11-02", pdf_document())).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let v = a.json();
    let zaak = v["zaaknummer"].as_str().unwrap().to_owned();
    assert_eq!(a.headers["location"], format!("/api/v1/zaken/{zaak}").as_str());
    assert_eq!(v["status"]["code"], "ontvangen");
    assert_eq!(v["received_on"], today.to_string());
    assert_eq!(v["forwarded"]["by"], school.name.as_str());
    assert_eq!(v["forwarded"]["received_on"], "2026-11-02");
    assert_eq!(v["school"]["id"], school.id);
    let c = case::Entity::find().filter(case::Column::Zaaknummer.eq(&zaak)).one(&app.db).await.unwrap().unwrap();
    assert_eq!((c.board_id, c.school_id, c.arrival.as_str()), (board_id, school.id, "doorgezonden"));
    assert_eq!(c.received_on, today);
    assert_eq!(c.forwarded_received_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 2));
    assert_eq!(c.forwarded_by.as_deref(), Some(school.name.as_str()));
    let docs = document::Entity::find().filter(document::Column::CaseId.eq(c.id)).all(&app.db).await.unwrap();
    let incoming: Vec<_> = docs.iter().filter(|d| d.direction == "in").collect();
    assert_eq!(incoming.len(), 1);
    assert_eq!(
        (incoming[0].title.as_str(), incoming[0].file_name.as_str(), incoming[0].media_type.as_str()),
        ("Klaagschrift van de ouders", "klaagschrift.pdf", "application/pdf")
    );
    assert_eq!(incoming[0].received_on, today);
    let bytes = document_content::Entity::find_by_id(incoming[0].id).one(&app.db).await.unwrap().unwrap().bytes;
    assert_eq!(bytes, PDF);
    let letters = letter::Entity::find().filter(letter::Column::CaseId.eq(c.id)).all(&app.db).await.unwrap();
    assert!(letters.iter().any(|l| l.kind == "ontvangstbevestiging" && l.recipient_role == "klager"), "{letters:?}");
    let queued = outbox_message::Entity::find()
        .filter(outbox_message::Column::CaseId.eq(c.id))
        .filter(outbox_message::Column::ToEmail.eq("devries@voorbeeld.nl"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the acknowledgement waits in the outbox");
    assert_eq!(queued.status, "wachtend");
    let registered = audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.eq(c.id))
        .filter(audit_entry::Column::Action.eq("zaak.geregistreerd"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(registered.actor.contains("API-token \"Registratiesysteem\""), "{}", registered.actor);
    // It reads back, and the board sees it in the portal too.
    assert_eq!(get(&app, Some(&token), &format!("/zaken/{zaak}")).await.json()["zaaknummer"], zaak.as_str());
    assert_eq!(board_user.get(&format!("/zaken/{zaak}")).await.status(), 200);
    assert!(klachtencommissie::audit::verify(&app.db).await.unwrap().result.is_ok());

    // The description lists every endpoint.
    let doc = get(&app, None, "/openapi.json").await;
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    for (method, path) in klachtencommissie::api::route_list() {
        assert!(doc["paths"][path][method.to_lowercase()].is_object(), "{method} {path} in openapi.json");
    }
    assert_eq!(doc["paths"].as_object().unwrap().len(), 5);
}
crate::on_both!(klaagschrift, files_a_klaagschrift);

/// A receiver of webhooks on loopback: records each request, answers with a settable status.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    answer: Arc<AtomicU16>,
}

async fn receiver() -> Receiver {
    let got: Arc<Mutex<Vec<(HeaderMap, Bytes)>>> = Arc::default();
    let answer = Arc::new(AtomicU16::new(200));
    let (g, s) = (got.clone(), answer.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (g, s) = (g.clone(), s.clone());
            async move {
                g.lock().unwrap().push((headers, body));
                StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver { url: format!("http://{addr}/hook"), got, answer }
}

/// Checks one received post: the signature (with the domain's own check), the headers, the
/// payload; returns the payload.
fn check_post(headers: &HeaderMap, body: &Bytes, secret: &str) -> Value {
    let signature = headers[rules::SIGNATURE_HEADER].to_str().unwrap();
    assert_eq!(rules::verify(secret, signature, body, chrono::Utc::now(), 60), Ok(()), "signature {signature}");
    assert_eq!(
        rules::verify("whsec_wrong", signature, body, chrono::Utc::now(), 60),
        Err(rules::SignatureError::Mismatch)
    );
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers[rules::EVENT_HEADER], "zaak.status");
    let v: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(v["event"], "zaak.status");
    assert_eq!(headers[rules::DELIVERY_HEADER].to_str().unwrap(), v["delivery_id"].as_str().unwrap());
    v
}

/// Every status change of the board's cases is posted exactly once, signed; a receiver that
/// answers 500 gets the delivery again later.
async fn webhook_announces_each_change_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let recv = receiver().await;
    let mut board_user = app.login("bestuur@demo.nl").await;
    let board_id = board_of(&app, "bestuur@demo.nl").await;

    // A URL the page refuses keeps what was typed and says why.
    let r = board_user.post_form("/koppeling/webhook", &[("url", "http://lvs.voorbeeld.nl/hook")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"http://lvs.voorbeeld.nl/hook\"") && html.contains("begint; http:// kan alleen"));
    assert!(board::Entity::find_by_id(board_id).one(&app.db).await.unwrap().unwrap().webhook_url.is_none());

    assert_eq!(board_user.post_form("/koppeling/webhook", &[("url", recv.url.as_str())]).await.status(), 303);
    let b = board::Entity::find_by_id(board_id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(b.webhook_url.as_deref(), Some(recv.url.as_str()));
    let secret = b.webhook_secret.clone().expect("a secret is made with the first URL");
    let (_, page) = board_user.get_text("/koppeling").await;
    assert!(page.contains(&secret), "the board sees its secret to configure its receiver");
    // Nothing changed yet: nothing to deliver.
    let pass = klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap();
    assert_eq!(pass.handled(), 0);

    // A change through a real use case: a klaagschrift filed through the API is `ontvangen`.
    let token = token_via_page(&mut board_user, "LVS", &["indienen"]).await;
    let school = school_of(&app, board_id).await;
    let a = post_json(&app, &token, "/klaagschriften", klaagschrift(school.id, "2026-11-02", pdf_document())).await;
    assert_eq!(a.status, 201);
    let zaak = a.json()["zaaknummer"].as_str().unwrap().to_owned();
    let pass = klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap();
    assert_eq!((pass.sent, pass.retry, pass.failed), (1, 0, 0));
    {
        let got = recv.got.lock().unwrap();
        assert_eq!(got.len(), 1);
        let v = check_post(&got[0].0, &got[0].1, &secret);
        assert_eq!(v["zaaknummer"], zaak.as_str());
        assert_eq!(v["status"]["code"], "ontvangen");
        assert!(v["outcome"].is_null());
    }

    // The secretary records a withdrawal (Art 26): many writes, one change, one post.
    let mut sec = app.login("secretaris@demo.nl").await;
    let today = klachtencommissie::admin::today().to_string();
    let r = sec
        .post_form(&format!("/zaken/{zaak}/intake/intrekking"), &[("datum", today.as_str()), ("wijze", "schriftelijk")])
        .await;
    assert_eq!(r.status(), 303);
    klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap();
    // A later pass and another audited write that changes no status send nothing more.
    klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap();
    {
        let got = recv.got.lock().unwrap();
        assert_eq!(got.len(), 2, "exactly one post per change");
        let v = check_post(&got[1].0, &got[1].1, &secret);
        assert_eq!((v["zaaknummer"].as_str(), v["status"]["code"].as_str()), (Some(zaak.as_str()), Some("afgesloten")));
        assert_eq!(v["outcome"]["code"], "ingetrokken");
        assert_ne!(got[0].0[rules::DELIVERY_HEADER], got[1].0[rules::DELIVERY_HEADER]);
    }
    // This board's deliveries (the demo's other board has its own history).
    let deliveries = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::BoardId.eq(board_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 2);
    assert!(deliveries.iter().all(|d| d.status == "verzonden" && d.attempts == 1 && d.response_status == Some(200)));

    // The receiver fails: the delivery waits for its next attempt, later than now; the board's
    // next change waits behind it, untried, so the two still arrive in order.
    recv.answer.store(500, Ordering::SeqCst);
    let mut filed = Vec::new();
    for received in ["2026-11-03", "2026-11-04"] {
        let a = post_json(&app, &token, "/klaagschriften", klaagschrift(school.id, received, pdf_document())).await;
        assert_eq!(a.status, 201);
        filed.push(a.json()["zaaknummer"].as_str().unwrap().to_owned());
    }
    let pass = klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap();
    assert_eq!((pass.sent, pass.retry, pass.failed), (0, 2, 0));
    assert_eq!(recv.got.lock().unwrap().len(), 3, "one attempt; the second is not tried behind a failure");
    let waiting = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::BoardId.eq(board_id))
        .filter(webhook_delivery::Column::Status.ne("verzonden"))
        .order_by_asc(webhook_delivery::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 2);
    let (failed, behind) = (&waiting[0], &waiting[1]);
    assert_eq!(failed.status, "wachtend");
    assert_eq!(failed.attempts, 1);
    assert!(failed.next_attempt_at > chrono::Utc::now(), "retried later");
    assert_eq!(failed.response_status, Some(500));
    assert!(failed.last_error.as_deref().unwrap().contains("HTTP 500"));
    assert!(failed.payload.contains(&filed[0]));
    assert_eq!((behind.status.as_str(), behind.attempts, behind.last_error.as_deref()), ("wachtend", 0, None));
    assert_eq!(behind.next_attempt_at, failed.next_attempt_at);
    assert!(behind.payload.contains(&filed[1]));
    // Not due yet: the next pass leaves them alone.
    assert_eq!(klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap().handled(), 0);
    let (_, page) = board_user.get_text("/koppeling").await;
    assert!(page.contains("Wacht op aflevering") && page.contains("HTTP 500"));
    // The receiver recovers and the minute passes: both arrive, in order.
    recv.answer.store(200, Ordering::SeqCst);
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(webhook_delivery::Column::Status.eq("wachtend"))
        .exec(&app.db)
        .await
        .unwrap();
    let pass = klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap();
    assert_eq!((pass.sent, pass.retry), (2, 0));
    {
        let got = recv.got.lock().unwrap();
        assert_eq!(got.len(), 5);
        let order: Vec<String> = got[3..]
            .iter()
            .map(|(h, b)| check_post(h, b, &secret)["zaaknummer"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(order, filed);
    }
    let retried = webhook_delivery::Entity::find_by_id(failed.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((retried.status.as_str(), retried.attempts), ("verzonden", 2));

    // Failing again on the next change (the first of those cases is withdrawn).
    recv.answer.store(503, Ordering::SeqCst);
    let r = sec
        .post_form(
            &format!("/zaken/{}/intake/intrekking", filed[0]),
            &[("datum", today.as_str()), ("wijze", "schriftelijk")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap().retry, 1);
    assert_eq!(recv.got.lock().unwrap().len(), 6);
    let failed = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::BoardId.eq(board_id))
        .filter(webhook_delivery::Column::Status.eq("wachtend"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failed.response_status, Some(503));

    // A new secret signs from then on; the old one no longer verifies.
    assert_eq!(board_user.post_form("/koppeling/webhook/geheim", &[]).await.status(), 303);
    let renewed = board::Entity::find_by_id(board_id).one(&app.db).await.unwrap().unwrap().webhook_secret.unwrap();
    assert_ne!(renewed, secret);
    // Removing the webhook: no URL, no secret, the waiting delivery is not sent.
    assert_eq!(board_user.post_form("/koppeling/webhook/verwijderen", &[]).await.status(), 303);
    let b = board::Entity::find_by_id(board_id).one(&app.db).await.unwrap().unwrap();
    assert!(b.webhook_url.is_none() && b.webhook_secret.is_none());
    let dropped = webhook_delivery::Entity::find_by_id(failed.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(dropped.status, "mislukt");
    // Another board cannot send it again; its own board can (it waits for a URL).
    let mut other = app.login("bestuur2@demo.nl").await;
    assert_eq!(other.post_form(&format!("/koppeling/meldingen/{}/opnieuw", failed.id), &[]).await.status(), 404);
    assert_eq!(board_user.post_form(&format!("/koppeling/meldingen/{}/opnieuw", failed.id), &[]).await.status(), 303);
    let again = webhook_delivery::Entity::find_by_id(failed.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((again.status.as_str(), again.attempts), ("wachtend", 0));
    // With no webhook any more, the worker gives up on it at once (audited on the case).
    recv.answer.store(200, Ordering::SeqCst);
    let pass = klachtencommissie::webhooks::run_once(&app.db, "test", 20).await.unwrap();
    assert_eq!(pass.failed, 1);
    assert_eq!(recv.got.lock().unwrap().len(), 6, "nothing posted without a webhook");
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("webhook.mislukt"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the give-up is audited");
    assert_eq!(audited.case_id, Some(failed.case_id.unwrap()));
    for e in audit_entry::Entity::find().all(&app.db).await.unwrap() {
        assert!(!e.detail.contains(&secret) && !e.detail.contains(&renewed), "no secret in the audit log");
    }
    assert!(klachtencommissie::audit::verify(&app.db).await.unwrap().result.is_ok());
}
crate::on_both!(webhook, webhook_announces_each_change_once);

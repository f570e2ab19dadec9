//! Accessibility and HTML validity of every page type: axe-core (WCAG 2.1 A and AA) in headless
//! Chromium reports no serious or critical violation, and the Nu HTML checker (vnu) finds no
//! error in the HTML the server sends. The tools come from `tests/a11y/package-lock.json`
//! (`npm ci --prefix tests/a11y`; `.ci/run` does it). Runs when `KC_TEST_BROWSER=1`, and then
//! fails when a tool is missing; a plain `cargo test` prints that it did not run.

use crate::common::{Backend, Client, TestApp, case_in};
use fantoccini::Locator;
use klachtencommissie::entities::{case, outbox_message, publication, register_entry, school, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One page to check: who looks, at what, and the status the page comes with.
struct Page {
    name: String,
    who: &'static str,
    path: String,
    /// A form posted to `path` with these fields (to show its validation errors); multipart or not.
    post: Option<(Vec<(&'static str, String)>, bool)>,
    status: u16,
}

fn get(name: &str, who: &'static str, path: impl Into<String>) -> Page {
    Page { name: name.into(), who, path: path.into(), post: None, status: 200 }
}

fn tools() -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/node_modules");
    let axe = dir.join("axe-core/axe.min.js");
    let vnu = dir.join("vnu-jar/build/dist/vnu.jar");
    for f in [&axe, &vnu] {
        assert!(
            f.is_file(),
            "{} is missing: run `npm ci --prefix tests/a11y --ignore-scripts` (.ci/run does)",
            f.display()
        );
    }
    (axe, vnu)
}

/// The pages: one of every page type, derived from the GET routes of access.rs's TABLE, plus
/// the error pages and forms showing their validation errors.
async fn pages(app: &TestApp) -> Vec<Page> {
    let db = &app.db;
    let (secr, beh, vz, lid, best, best2, cp) = (
        "secretaris@demo.nl",
        "beheerder@demo.nl",
        "voorzitter@demo.nl",
        "lid@demo.nl",
        "bestuur@demo.nl",
        "bestuur2@demo.nl",
        "contactpersoon@demo.nl",
    );
    let mut v = vec![
        get("login", "anoniem", "/login"),
        get("start (beheerder)", beh, "/"),
        get("start (secretaris)", secr, "/"),
        get("start (voorzitter)", vz, "/"),
        get("start (lid)", lid, "/"),
        get("start (bestuur)", best, "/"),
        get("start (contactpersoon)", cp, "/"),
        get("zakenregister", secr, "/zaken"),
        get("zakenregister gefilterd", secr, "/zaken?status=onderzoek&q=school"),
        get("zakenregister (bestuur)", best, "/zaken"),
        get("nieuwe zaak", secr, "/zaken/nieuw"),
        get("termijnen", secr, "/termijnen"),
        get("termijnen (voorzitter)", vz, "/termijnen"),
        get("vakanties", beh, "/beheer/vakanties"),
        get("commissie", secr, "/commissie"),
        get("rooster", secr, "/commissie/rooster"),
        get("jaarverslag", secr, "/rapportage/jaarverslag"),
        get("beheer", beh, "/beheer"),
        get("besturen", beh, "/beheer/besturen"),
        get("bewaartermijn", beh, "/beheer/bewaartermijn"),
        get("scholen", beh, "/beheer/scholen"),
        get("gebruikers", beh, "/beheer/gebruikers"),
        get("brieven", secr, "/brieven"),
        get("postbatch", secr, "/brieven/post"),
        get("sjablonen", secr, "/brieven/sjablonen"),
        get("sjabloon", secr, "/brieven/sjablonen/vrije_brief"),
        get("account (secretaris)", secr, "/account"),
        get("account (lid)", lid, "/account"),
        get("account (bestuur)", best, "/account"),
        get("tweestapsverificatie", secr, "/account/tweestaps"),
        get("meldingen", best, "/meldingen"),
        get("verifieer", "anoniem", "/verifieer"),
        get("verifieer met uitkomst", "anoniem", "/verifieer?code=ABCD-EFGH-JKLM"),
        get("klachtenregister", best, "/register"),
        get("nieuwe registratie", best, "/register/nieuw"),
        get("register jaarverslag", best, "/register/jaarverslag"),
        get("koppeling", best2, "/koppeling"),
        get("uitspraken", "anoniem", "/uitspraken"),
        get("uitspraken gezocht", "anoniem", "/uitspraken?q=pesten"),
        Page { status: 404, ..get("404", secr, "/zaken/2099-9999") },
        Page { status: 404, ..get("404 (niet ingelogd)", "anoniem", "/bestaat-niet") },
    ];
    // The case page in every status the demo has, as the secretary sees it.
    let cases = case::Entity::find().order_by_asc(case::Column::Id).all(db).await.unwrap();
    let mut seen = Vec::new();
    for c in &cases {
        if !seen.contains(&c.status) {
            seen.push(c.status.clone());
            v.push(get(&format!("zaak ({})", c.status), secr, format!("/zaken/{}", c.zaaknummer)));
        }
    }
    let own = crate::common::demo_case(db, "De Waarden").await;
    let foreign = crate::common::demo_case(db, "Sint-Bonifatius").await;
    v.push(get("zaak (bestuur)", best, format!("/zaken/{own}")));
    v.push(get("zaak (voorzitter)", vz, format!("/zaken/{own}")));
    v.push(Page { status: 403, ..get("403", best, format!("/zaken/{foreign}")) });
    v.push(get("inzage-log", beh, format!("/zaken/{own}/inzage-log")));
    v.push(get("dossier", secr, format!("/zaken/{own}/dossier")));
    v.push(get("nieuwe brief", secr, format!("/zaken/{own}/brieven/nieuw")));
    for status in ["zitting_gepland", "onderzoek"] {
        let c = case_in(db, status).await;
        v.push(get(&format!("zitting ({status})"), secr, format!("/zaken/{}/zitting", c.zaaknummer)));
    }
    for status in ["beraadslaging", "advies_in_voorbereiding", "advies_uitgebracht"] {
        let c = case_in(db, status).await;
        v.push(get(&format!("advies ({status})"), secr, format!("/zaken/{}/advies", c.zaaknummer)));
    }
    let published = publication::Entity::find()
        .filter(publication::Column::Status.eq("gepubliceerd"))
        .one(db)
        .await
        .unwrap()
        .expect("a published demo advies");
    v.push(get("uitspraak", "anoniem", format!("/uitspraken/{}", published.number.clone().unwrap())));
    if let Some(case_id) = published.case_id {
        let c = cases.iter().find(|c| c.id == case_id).unwrap();
        v.push(get("publicatie", secr, format!("/zaken/{}/publicatie", c.zaaknummer)));
    }
    if let Some(m) = outbox_message::Entity::find().one(db).await.unwrap() {
        v.push(get("bericht", secr, format!("/brieven/berichten/{}", m.id)));
    }
    let school_id = school::Entity::find().one(db).await.unwrap().unwrap().id;
    v.push(get("vakanties school", beh, format!("/beheer/scholen/{school_id}/vakanties")));
    // Register entries of bestuur@demo.nl's board in several states.
    let board_id =
        user::Entity::find().filter(user::Column::Email.eq(best)).one(db).await.unwrap().unwrap().board_id.unwrap();
    let entries = register_entry::Entity::find()
        .filter(register_entry::Column::BoardId.eq(board_id))
        .order_by_asc(register_entry::Column::Id)
        .all(db)
        .await
        .unwrap();
    let mut seen = Vec::new();
    for e in &entries {
        let key = format!("{}{}", e.status, if e.case_id.is_some() { ", voorgelegd" } else { "" });
        if !seen.contains(&key) {
            v.push(get(&format!("registratie ({key})"), best, format!("/register/{}", e.id)));
            seen.push(key);
        }
    }
    // Forms showing their validation errors.
    let post = |name: &str, who: &'static str, path: String, fields: &[(&'static str, &str)], multipart: bool| Page {
        name: name.into(),
        who,
        path,
        post: Some((fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(), multipart)),
        status: 422,
    };
    v.push(Page {
        status: 401,
        ..post(
            "login mislukt",
            "anoniem",
            "/login".into(),
            &[("email", "niemand@demo.nl"), ("password", "fout")],
            false,
        )
    });
    // A typed date that is no date: the form shows the error and an empty date field.
    v.push(post("nieuwe zaak met fouten", secr, "/zaken".into(), &[("received_on", "gisteren")], true));
    v.push(post("registratie met fouten", best, "/register".into(), &[("received_on", "gisteren")], true));
    v.push(post("gebruiker met fouten", beh, "/beheer/gebruikers".into(), &[("email", "geen-adres")], false));
    v.push(post("school met fouten", beh, "/beheer/scholen".into(), &[("name", "")], false));
    v.push(post("brief met fouten", secr, format!("/zaken/{own}/brieven"), &[("kind", "")], false));
    let hearing = case_in(db, "onderzoek").await.zaaknummer;
    v.push(post("zitting met fouten", secr, format!("/zaken/{hearing}/zitting"), &[("datum", "gisteren")], false));
    v.push(post("commissielid met fouten", beh, "/commissie/leden".into(), &[("email", "geen-adres")], false));
    v.push(post("bewaartermijn met fouten", beh, "/beheer/bewaartermijn".into(), &[("years", "veel")], false));
    v.push(post("verhinderd met fouten", lid, "/account/verhinderd".into(), &[("van", "gisteren")], false));
    v.push(post("dossier met fouten", secr, format!("/zaken/{own}/dossier"), &[], false));
    v.push(post("webhook met fouten", best2, "/koppeling/webhook".into(), &[("url", "geen-adres")], false));
    let drafting = case_in(db, "advies_in_voorbereiding").await.zaaknummer;
    v.push(post("advies met fouten", secr, format!("/zaken/{drafting}/advies"), &[("datum", "gisteren")], false));
    // A running deadline's extension with errors: the case page with the error summary.
    let d = klachtencommissie::entities::deadline::Entity::find()
        .filter(klachtencommissie::entities::deadline::Column::Status.eq("open"))
        .filter(klachtencommissie::entities::deadline::Column::ExtensionTerm.is_null())
        .filter(klachtencommissie::entities::deadline::Column::DueOn.is_not_null())
        .order_by_asc(klachtencommissie::entities::deadline::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("a running demo deadline");
    let z = &cases.iter().find(|c| c.id == d.case_id).unwrap().zaaknummer;
    let term: &'static str = Box::leak(format!("t{}_term", d.id).into_boxed_str());
    let path = format!("/zaken/{z}/termijnen/{}/verlengen", d.id);
    v.push(post("termijn met fouten", secr, path, &[(term, "ooit")], false));
    v
}

/// Signs the browser in as `who` ("anoniem": signs out).
async fn browser_login(b: &fantoccini::Client, base: &str, who: &str) {
    b.delete_all_cookies().await.unwrap();
    if who == "anoniem" {
        return;
    }
    b.goto(&format!("{base}/login")).await.unwrap();
    b.find(Locator::Css("input[name=email]")).await.unwrap().send_keys(who).await.unwrap();
    b.find(Locator::Css("input[name=password]")).await.unwrap().send_keys("welkom-demo").await.unwrap();
    b.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("nav")).await.unwrap();
}

/// Opens the page in the browser: a GET by address, a POST by submitting a form with the same
/// fields (and the page's CSRF token) from the page at the same address.
async fn open(b: &fantoccini::Client, base: &str, p: &Page) {
    match &p.post {
        None => b.goto(&format!("{base}{}", p.path)).await.unwrap(),
        Some((fields, multipart)) => {
            // Any page of the session carries its CSRF token; the login page for everyone.
            let from = if p.who == "anoniem" { "/login" } else { "/account" };
            b.goto(&format!("{base}{from}")).await.unwrap();
            let fields: Vec<serde_json::Value> = fields.iter().map(|(k, v)| serde_json::json!([k, v])).collect();
            b.execute(
                "const f = document.createElement('form');
                 f.method = 'post'; f.action = arguments[0];
                 if (arguments[2]) f.enctype = 'multipart/form-data';
                 const add = (n, v) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); };
                 add('_csrf', document.querySelector('input[name=_csrf]').value);
                 for (const [n, v] of arguments[1]) add(n, v);
                 document.body.appendChild(f);
                 window.__kcOld = true;
                 f.submit();",
                vec![p.path.clone().into(), fields.into(), (*multipart).into()],
            )
            .await
            .unwrap();
            for _ in 0..200 {
                let loaded = b
                    .execute("return window.__kcOld === undefined && document.readyState === 'complete';", vec![])
                    .await
                    .is_ok_and(|v| v == serde_json::json!(true));
                if loaded {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    b.wait().for_element(Locator::Css("footer")).await.unwrap();
    // Fold every optional form open, so axe checks it too (it skips what is hidden).
    b.execute("document.querySelectorAll('details').forEach(d => d.open = true)", vec![]).await.unwrap();
}

/// The serious and critical axe violations on the page in the browser, one line each.
async fn axe(b: &fantoccini::Client, axe_src: &str) -> Vec<String> {
    b.execute(axe_src, vec![]).await.unwrap();
    let result = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.passes.length === 0 ? ['axe checked nothing'] : r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .flatMap(v => v.nodes.map(n => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + n.target.join(' ')
                   + ' ' + n.html.slice(0, 200) + (n.failureSummary ? ' [' + n.failureSummary.replace(/\\s+/g, ' ') + ']' : '')))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(result).unwrap()
}

/// The server's HTML of the page, fetched as the same user.
async fn server_html(app: &TestApp, clients: &mut BTreeMap<&'static str, Client>, p: &Page) -> (u16, String) {
    if !clients.contains_key(p.who) {
        let c = if p.who == "anoniem" { app.client() } else { app.login(p.who).await };
        clients.insert(p.who, c);
    }
    let c = clients.get_mut(p.who).unwrap();
    let resp = match &p.post {
        None => c.get(&p.path).await,
        Some((fields, false)) => {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form(&p.path, &f).await
        }
        Some((fields, true)) => {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields {
                form = form.text(*k, v.clone());
            }
            c.post_multipart(&p.path, form).await
        }
    };
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

/// vnu messages that are not errors in valid HTML5; each is filtered by its exact text.
const VNU_FALSE_POSITIVES: &[&str] = &[];

/// Checks all pages with vnu in one JVM; errors per page name.
fn vnu(jar: &Path, files: &[(String, PathBuf)]) -> Vec<String> {
    let java = std::env::var("JAVA").unwrap_or_else(|_| "java".into());
    let out = std::process::Command::new(&java)
        .arg("-jar")
        .arg(jar)
        .args(["--format", "json", "--stdout"])
        .args(files.iter().map(|(_, f)| f))
        .output()
        .unwrap_or_else(|e| panic!("{java} runs (java 17 is needed for vnu.jar): {e}"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("vnu's JSON ({e}): {} {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    let mut failures = Vec::new();
    for m in report["messages"].as_array().unwrap() {
        let kind = m["type"].as_str().unwrap_or("");
        let text = m["message"].as_str().unwrap_or("");
        if VNU_FALSE_POSITIVES.contains(&text) {
            continue;
        }
        let url = m["url"].as_str().unwrap_or("");
        let page = files
            .iter()
            .find(|(_, f)| url.ends_with(&*f.file_name().unwrap().to_string_lossy()))
            .map_or(url, |(n, _)| n.as_str());
        let line = format!(
            "{page}: vnu {kind}: {text} (line {}: {})",
            m["lastLine"],
            m["extract"].as_str().unwrap_or("").replace('\n', " ")
        );
        if kind == "error" || kind == "non-document-error" {
            failures.push(line);
        } else if m["subType"].as_str() == Some("warning") {
            eprintln!("{line}");
        }
    }
    failures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_type_is_accessible_and_valid_html() {
    if std::env::var("KC_TEST_BROWSER").ok().as_deref() != Some("1") {
        eprintln!(
            "accessibility test not run: set KC_TEST_BROWSER=1 with chromium, chromedriver, java and `npm ci --prefix tests/a11y` (the CI does)"
        );
        return;
    }
    let (axe_path, jar) = tools();
    let axe_src = std::fs::read_to_string(&axe_path).unwrap();
    let Some((driver, b, _profile)) = crate::browser::browser().await else { return };
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut pages = pages(&app).await;
    // One sign-in per user in the browser.
    pages.sort_by_key(|p| p.who);
    let dir = tempfile::tempdir().unwrap();
    let mut clients = BTreeMap::new();
    let mut failures = Vec::new();
    let mut files = Vec::new();
    let mut signed_in = None;
    for (n, p) in pages.iter().enumerate() {
        let (status, html) = server_html(&app, &mut clients, p).await;
        if status != p.status {
            failures.push(format!("{} ({}): status {status}, expected {}", p.name, p.path, p.status));
        }
        let file = dir.path().join(format!("{n:03}.html"));
        std::fs::write(&file, html).unwrap();
        files.push((format!("{} ({})", p.name, p.path), file));

        if signed_in != Some(p.who) {
            browser_login(&b, &app.url, p.who).await;
            signed_in = Some(p.who);
        }
        open(&b, &app.url, p).await;
        if p.status == 422 {
            let shown = b.execute("return !!document.querySelector('.error-summary, .field-error');", vec![]).await;
            if !shown.is_ok_and(|v| v == serde_json::json!(true)) {
                failures.push(format!("{} ({}): the browser does not show the form's errors", p.name, p.path));
            }
        }
        // Every link of an error summary leads to its field.
        let dangling = b
            .execute(
                "return [...document.querySelectorAll('.error-summary a[href^=\"#\"]')]
                   .map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1)));",
                vec![],
            )
            .await
            .unwrap();
        for h in dangling.as_array().unwrap() {
            failures.push(format!("{} ({}): the error summary links to {h}, which is no element", p.name, p.path));
        }
        for v in axe(&b, &axe_src).await {
            failures.push(format!("{} ({}): axe {v}", p.name, p.path));
        }
    }
    failures.extend(vnu(&jar, &files));
    eprintln!("checked {} pages with axe-core and vnu", pages.len());
    b.close().await.unwrap();
    drop(driver);
    // The same problem repeated on one page (a timeline entry, a table row) is listed once.
    let mut counted: Vec<(String, usize)> = Vec::new();
    for f in failures {
        match counted.iter_mut().find(|(g, _)| *g == f) {
            Some((_, n)) => *n += 1,
            None => counted.push((f, 1)),
        }
    }
    let report: Vec<String> =
        counted.iter().map(|(f, n)| if *n > 1 { format!("{f} (×{n})") } else { f.clone() }).collect();
    assert!(report.is_empty(), "{} accessibility or HTML problems:\n{}", report.len(), report.join("\n"));
}

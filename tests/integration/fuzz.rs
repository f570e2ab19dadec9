//! Every form of the application, filled with random and hostile input.
//!
//! The test crawls the demo application as each kind of user, reads every `<form method=post>`
//! off the pages it finds (action, enctype, fields, the options of each select), and posts
//! each form several times with values drawn from a seeded generator: overlong text, HTML and
//! script, impossible dates and numbers, control characters, header injection, invalid UTF-8
//! (percent-encoded in forms, raw in uploaded files), a missing CSRF token. It asserts:
//! - no response is a 5xx;
//! - a request that was not accepted (anything but a redirect after success, a download, or a
//!   page with a success notice) changed no row count in any table, so nothing is half-written;
//! - afterwards, no page of any user carries one of the script payloads unescaped.
//!
//! The seed is printed; `KC_FUZZ_SEED=<n>` replays a run, `KC_FUZZ_ROUNDS=<n>` sets how many
//! times each form is posted (default 5).

use crate::common::{Backend, Client, TestApp, row_counts, table_names};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Marks our payloads: any page that carries one of these unescaped would run it.
const SCRIPT_PAYLOADS: &[&str] = &[
    "<script>window.kcxss=1</script>",
    "\"><img src=x onerror=window.kcxss=1>",
    "'><svg onload=window.kcxss=1>",
    "javascript:window.kcxss=1",
    "</textarea><script>window.kcxss=1</script>",
];
/// What must never appear in a page: the active part of each payload, as sent.
const UNESCAPED: &[&str] = &[
    "<script>window.kcxss",
    "<img src=x onerror=window.kcxss",
    "<svg onload=window.kcxss",
    "href=\"javascript:window.kcxss",
    "src=\"javascript:window.kcxss",
];

/// Tables whose rows a refused request may still add: its session and login bookkeeping, and
/// the access log, which records reads.
const BOOKKEEPING: &[&str] = &["sessions", "login_attempts", "access_log"];

#[derive(Debug, Clone)]
enum Kind {
    Text,
    TextArea,
    Hidden,
    Date,
    Number,
    Select(Vec<String>),
    Check,
    File,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    kind: Kind,
    value: String,
}

#[derive(Debug, Clone)]
struct FormSpec {
    action: String,
    multipart: bool,
    fields: Vec<Field>,
    /// The page the form was found on, for the failure message.
    page: String,
}

/// The attributes of the tag that starts at `html[at]` (`<name ...>`), and where it ends.
fn tag_at(html: &str, at: usize) -> Option<(String, BTreeMap<String, String>, usize)> {
    let rest = &html[at + 1..];
    let name_end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    let name = rest[..name_end].to_ascii_lowercase();
    let bytes = rest.as_bytes();
    let mut i = name_end;
    let mut attrs = BTreeMap::new();
    loop {
        while i < bytes.len() && (bytes[i] as char).is_whitespace() || i < bytes.len() && bytes[i] == b'/' {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            return Some((name, attrs, at + 1 + i + 1));
        }
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b' ' | b'\n' | b'\t' | b'/') {
            i += 1;
        }
        let key = rest[start..i].to_ascii_lowercase();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            let value = if i < bytes.len() && bytes[i] == b'"' {
                let end = rest[i + 1..].find('"')? + i + 1;
                let v = &rest[i + 1..end];
                i = end + 1;
                v.to_owned()
            } else {
                let s = i;
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'>') {
                    i += 1;
                }
                rest[s..i].to_owned()
            };
            attrs.insert(key, unescape(&value));
        } else {
            attrs.insert(key, String::new());
        }
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Every POST form in a page.
fn forms_in(html: &str, page: &str) -> Vec<FormSpec> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = html[from..].find("<form") {
        let at = from + rel;
        let Some((_, attrs, body_start)) = tag_at(html, at) else { break };
        let end = html[body_start..].find("</form>").map_or(html.len(), |e| body_start + e);
        from = end;
        if attrs.get("method").map(|m| m.to_ascii_lowercase()) != Some("post".into()) {
            continue;
        }
        let action = attrs.get("action").cloned().unwrap_or_else(|| page.to_owned());
        let multipart = attrs.get("enctype").is_some_and(|e| e.contains("multipart"));
        let body = &html[body_start..end];
        let mut fields: Vec<Field> = Vec::new();
        let mut i = 0;
        while let Some(rel) = body[i..].find('<') {
            let t = i + rel;
            i = t + 1;
            let Some((name, a, after)) = tag_at(body, t) else { continue };
            let Some(field_name) = a.get("name").cloned() else { continue };
            let value = a.get("value").cloned().unwrap_or_default();
            let kind = match name.as_str() {
                "input" => match a.get("type").map(String::as_str).unwrap_or("text") {
                    "hidden" => Kind::Hidden,
                    "date" | "datetime-local" | "time" => Kind::Date,
                    "number" => Kind::Number,
                    "checkbox" | "radio" => Kind::Check,
                    "file" => Kind::File,
                    "submit" | "button" => continue,
                    _ => Kind::Text,
                },
                "textarea" => Kind::TextArea,
                "select" => {
                    let close = body[after..].find("</select>").map_or(body.len(), |e| after + e);
                    let mut options = Vec::new();
                    let mut j = after;
                    while let Some(r) = body[j..close].find("<option") {
                        let o = j + r;
                        j = o + 1;
                        if let Some((_, oa, _)) = tag_at(body, o) {
                            options.push(oa.get("value").cloned().unwrap_or_default());
                        }
                    }
                    Kind::Select(options)
                }
                "button" => {
                    // A named submit button posts its value.
                    fields.push(Field { name: field_name, kind: Kind::Hidden, value });
                    continue;
                }
                _ => continue,
            };
            // Radio groups and repeated names: keep one field per name (its first value).
            if !fields.iter().any(|f| f.name == field_name) {
                fields.push(Field { name: field_name, kind, value });
            }
        }
        out.push(FormSpec { action: unescape(&action), multipart, fields, page: page.to_owned() });
    }
    out
}

/// Local links worth following: pages, not downloads, and not the way out.
fn links_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = html[from..].find("href=\"") {
        let s = from + rel + 6;
        let Some(e) = html[s..].find('"') else { break };
        from = s + e;
        let href = unescape(&html[s..s + e]);
        let path = href.split('#').next().unwrap_or("").to_owned();
        if path.starts_with('/')
            && !path.starts_with("//")
            && !path.starts_with("/static/")
            && !path.contains("/documenten/")
            && !path.starts_with("/agenda/")
            && ![".pdf", ".csv", ".ics", ".json", ".zip"]
                .iter()
                .any(|ext| path.split('?').next().unwrap().ends_with(ext))
        {
            out.push(path);
        }
    }
    out
}

/// The same page template once: digits and zaaknummers stand for any value.
fn template(path: &str) -> String {
    let mut t = String::new();
    let mut last_digit = false;
    for ch in path.split('?').next().unwrap().chars() {
        if ch.is_ascii_digit() || (ch == '-' && last_digit) {
            if !last_digit {
                t.push('#');
            }
            last_digit = true;
        } else {
            t.push(ch);
            last_digit = false;
        }
    }
    t
}

/// Pages a user can reach from the start page, at most `per_template` per page template.
async fn crawl(c: &Client, start: &[&str], per_template: usize) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    let mut queue: VecDeque<String> = start.iter().map(|s| s.to_string()).collect();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let n = per.entry(template(&path)).or_default();
        if *n >= per_template || pages.len() >= 400 {
            continue;
        }
        *n += 1;
        let resp = c.get(&path).await;
        let status = resp.status().as_u16();
        assert!(status < 500, "GET {path} gave {status}");
        let html_page = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if status != 200 || !html_page {
            continue;
        }
        let html = resp.text().await.unwrap();
        queue.extend(links_in(&html));
        pages.push((path, html));
    }
    pages
}

/// A hostile value for a field.
fn hostile(rng: &mut StdRng) -> Vec<u8> {
    let s: String = match rng.random_range(0..20) {
        0 => String::new(),
        1 => " \t\n ".into(),
        2..=4 => SCRIPT_PAYLOADS.choose(rng).unwrap().to_string(),
        5 => "x".repeat(rng.random_range(5_000..300_000)),
        6 => ["2026-02-30", "31-12-2026", "0000-00-00", "9999-99-99", "2026-13-01", "1900-01-01T25:61"]
            .choose(rng)
            .unwrap()
            .to_string(),
        7 => ["-1", "0", "99999999999999999999", "1e309", "NaN", "0x1F", "3.5"].choose(rng).unwrap().to_string(),
        8 => "' OR 1=1 --; DROP TABLE cases; --".into(),
        9 => "\u{202E}fdp.exe \u{200B}\u{FEFF}".into(),
        10 => "nul\u{0}byte\u{7}bel".into(),
        11 => "😀👨‍👩‍👧 Ĳsselmeer ẞ".into(),
        12 => "klager@voorbeeld.nl\r\nBcc: buiten@voorbeeld.nl".into(),
        13 => "{{ tekst }} #{ } $(id) %s %n".into(),
        14 => "../../../../etc/passwd".into(),
        15 => {
            (0..rng.random_range(1..200)).map(|_| char::from_u32(rng.random_range(1..0x2FFFF)).unwrap_or('?')).collect()
        }
        16 => {
            // Invalid UTF-8: sent percent-encoded, so the form decoder sees the raw bytes.
            return vec![b'a', 0xFF, 0xFE, b'b', 0xC3];
        }
        17 => "ja".into(),
        18 => "nee".into(),
        _ => rng.random_range(0..1_000_000).to_string(),
    };
    s.into_bytes()
}

/// A value our own form would send.
fn plausible(f: &Field, rng: &mut StdRng, stored_payload: bool) -> Option<Vec<u8>> {
    let v = match &f.kind {
        Kind::Hidden => f.value.clone(),
        Kind::Select(options) => options.choose(rng).cloned().unwrap_or_default(),
        Kind::Check => {
            if rng.random_bool(0.5) {
                return None;
            }
            if f.value.is_empty() { "on".into() } else { f.value.clone() }
        }
        Kind::Date => {
            if f.value.is_empty() {
                "2026-12-14".into()
            } else {
                f.value.clone()
            }
        }
        Kind::Number => {
            if f.value.is_empty() {
                "3".into()
            } else {
                f.value.clone()
            }
        }
        Kind::Text | Kind::TextArea if stored_payload => SCRIPT_PAYLOADS.choose(rng).unwrap().to_string(),
        Kind::Text | Kind::TextArea => {
            if f.value.is_empty() {
                "Tekst van de fuzztest".into()
            } else {
                f.value.clone()
            }
        }
        Kind::File => return None,
    };
    Some(v.into_bytes())
}

fn urlencode(fields: &[(String, Vec<u8>)]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, percent_encode};
    fields
        .iter()
        .map(|(k, v)| {
            format!("{}={}", percent_encode(k.as_bytes(), NON_ALPHANUMERIC), percent_encode(v, NON_ALPHANUMERIC))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An uploaded file: random bytes, invalid UTF-8 text, a PDF in name only, a real small PDF,
/// an empty file, an executable.
fn hostile_file(rng: &mut StdRng) -> (String, String, Vec<u8>) {
    let (name, mime, bytes): (&str, &str, Vec<u8>) = match rng.random_range(0..6) {
        0 => ("willekeurig.bin", "application/octet-stream", (0..2048).map(|_| rng.random::<u8>()).collect()),
        1 => ("tekst.txt", "text/plain", vec![b'G', 0xFF, 0xFE, 0xC3, b'x', 0x80]),
        2 => ("nep.pdf", "application/pdf", b"<script>window.kcxss=1</script>".to_vec()),
        3 => (
            "<script>window.kcxss=1</script>.pdf",
            "application/pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
        ),
        4 => ("leeg.pdf", "application/pdf", Vec::new()),
        _ => ("programma.exe", "application/x-msdownload", b"MZ\x90\x00\x03\x00\x00\x00".to_vec()),
    };
    (name.to_owned(), mime.to_owned(), bytes)
}

/// Logs in as `who`, enabling the demo accounts first: the fuzzing of the user administration
/// may well have disabled one (which ends its sessions at once, as it should).
async fn login(app: &TestApp, who: &str) -> Client {
    use klachtencommissie::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(true))
        .filter(user::Column::Email.ends_with("@demo.nl"))
        .exec(&app.db)
        .await
        .unwrap();
    app.login(who).await
}

const USERS: &[&str] =
    &["secretaris@demo.nl", "beheerder@demo.nl", "voorzitter@demo.nl", "lid@demo.nl", "bestuur@demo.nl"];

async fn fuzz_every_form(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let seed: u64 = std::env::var("KC_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    let rounds: usize = std::env::var("KC_FUZZ_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    eprintln!("fuzz ({backend:?}): KC_FUZZ_SEED={seed} KC_FUZZ_ROUNDS={rounds}");
    let mut rng = StdRng::seed_from_u64(seed);
    let all_tables = table_names(&app.db).await;
    let watched: Vec<usize> =
        (0..all_tables.len()).filter(|&i| !BOOKKEEPING.contains(&all_tables[i].as_str())).collect();

    let mut failures = Vec::new();
    let mut posted = 0usize;
    let mut forms_seen = BTreeSet::new();
    for who in USERS {
        let mut c = login(&app, who).await;
        let pages = crawl(
            &c,
            &["/", "/zaken", "/termijnen", "/account", "/beheer", "/commissie", "/register", "/koppeling", "/brieven"],
            2,
        )
        .await;
        // One instance of each (user, action template, fields): the rest of its kind adds time,
        // not coverage.
        let mut forms: BTreeMap<(String, Vec<String>), FormSpec> = BTreeMap::new();
        for (path, html) in &pages {
            for f in forms_in(html, path) {
                if f.action == "/logout" {
                    continue;
                }
                let key = (template(&f.action), f.fields.iter().map(|x| x.name.clone()).collect());
                forms.entry(key).or_insert(f);
            }
        }
        for form in forms.values() {
            forms_seen.insert(template(&form.action));
            for round in 0..rounds + 1 {
                let before = row_counts(&app.db, &all_tables).await;
                // Round 0 stores a script payload through an otherwise ordinary submission; one
                // round in every form leaves out the CSRF token.
                let drop_csrf = round == 1;
                let mut values: Vec<(String, Vec<u8>)> = Vec::new();
                let mut files = Vec::new();
                for f in &form.fields {
                    if f.name == "_csrf" {
                        if !drop_csrf {
                            values.push((f.name.clone(), c.csrf.clone().into_bytes()));
                        }
                        continue;
                    }
                    if matches!(f.kind, Kind::File) {
                        if round == 0 {
                            files.push((
                                f.name.clone(),
                                ("brief.txt".to_owned(), "text/plain".to_owned(), b"Een brief".to_vec()),
                            ));
                        } else if rng.random_bool(0.8) {
                            files.push((f.name.clone(), hostile_file(&mut rng)));
                        }
                        continue;
                    }
                    let v = if round == 0 || rng.random_bool(0.4) {
                        plausible(f, &mut rng, round == 0)
                    } else if rng.random_bool(0.1) {
                        None
                    } else {
                        Some(hostile(&mut rng))
                    };
                    if let Some(v) = v {
                        values.push((f.name.clone(), v));
                    }
                }
                if round > 1 && rng.random_bool(0.15) {
                    // A field no form has.
                    values.push(("onbekend_veld".into(), hostile(&mut rng)));
                }
                let url = format!("{}{}", app.url, form.action);
                let req = if form.multipart {
                    let mut mp = reqwest::multipart::Form::new();
                    for (k, v) in &values {
                        // Multipart text parts must be UTF-8 for reqwest; invalid bytes go as a
                        // part without a file name, which the server reads as text.
                        mp = mp.part(k.clone(), reqwest::multipart::Part::bytes(v.clone()));
                    }
                    for (k, (name, mime, bytes)) in files {
                        let part = reqwest::multipart::Part::bytes(bytes).file_name(name).mime_str(&mime).unwrap();
                        mp = mp.part(k, part);
                    }
                    c.http.post(&url).multipart(mp)
                } else {
                    c.http
                        .post(&url)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(urlencode(&values))
                };
                let resp = req.send().await.unwrap();
                posted += 1;
                let status = resp.status().as_u16();
                let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                let html = resp
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|t| t.starts_with("text/html"));
                let body = resp.text().await.unwrap_or_default();
                let what = format!("{who} POST {} (round {round}, found on {})", form.action, form.page);
                if status >= 500 {
                    failures.push(format!("{what}: {status}: {}", body.chars().take(300).collect::<String>()));
                }
                if drop_csrf && status != 403 {
                    failures.push(format!("{what}: without CSRF token got {status}, expected 403"));
                }
                // Accepted: a redirect after success, a download, or a page with a success notice.
                let accepted = status == 303
                    || (status == 200 && !html)
                    || (status == 200 && body.contains("class=\"flash success\""));
                let after = row_counts(&app.db, &all_tables).await;
                if !accepted {
                    for &i in &watched {
                        if before[i] != after[i] {
                            failures.push(format!(
                                "{what}: refused with {status}, yet table {} went from {} to {} rows",
                                all_tables[i], before[i], after[i]
                            ));
                        }
                    }
                }
                if html {
                    for marker in UNESCAPED {
                        if body.contains(marker) {
                            failures.push(format!("{what}: the response carries {marker:?} unescaped"));
                        }
                    }
                }
                // A form that ends the session (an account disabled, say) sends us to log in.
                if status == 303 && location.starts_with("/login") {
                    c = login(&app, who).await;
                }
            }
        }
    }
    // Everything stored above, on every page every user can reach.
    for who in USERS {
        let c = login(&app, who).await;
        for (path, html) in crawl(
            &c,
            &[
                "/",
                "/zaken",
                "/termijnen",
                "/account",
                "/beheer",
                "/commissie",
                "/register",
                "/koppeling",
                "/brieven",
                "/uitspraken",
            ],
            3,
        )
        .await
        {
            for marker in UNESCAPED {
                if html.contains(marker) {
                    failures.push(format!("{who} GET {path}: carries {marker:?} unescaped"));
                }
            }
        }
    }
    eprintln!("fuzz ({backend:?}): {} form kinds, {posted} posts", forms_seen.len());
    assert!(forms_seen.len() >= 60, "the crawl found only {} kinds of form: {forms_seen:#?}", forms_seen.len());
    failures.dedup();
    assert!(failures.is_empty(), "{backend:?}, KC_FUZZ_SEED={seed}:\n{}", failures.join("\n"));
}

crate::on_both!(every_form, fuzz_every_form);

/// The upload limits and content checks on the case page's document form, and the login
/// limit per address: each refusal in Dutch, with the title kept and no document stored.
async fn limits_hold(backend: Backend) {
    use klachtencommissie::domain::upload::MAX_UPLOAD_BYTES;
    use klachtencommissie::entities::document;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let zaak = crate::common::demo_case(&app.db, "De Waarden").await;
    let sec = app.login("secretaris@demo.nl").await;
    let before = document::Entity::find().count(&app.db).await.unwrap();
    // The token first, as in the page's own form: the CSRF check reads it before the file.
    let token = sec.csrf.clone();
    let upload = |name: &str, mime: &str, bytes: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("_csrf", token.clone())
            .text("doc_title", "Aanvulling <b>klager</b>")
            .text("doc_received_on", "2026-11-20")
            .part("doc_file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap())
    };
    let path = format!("/zaken/{zaak}/documenten");
    let mut pdf_over_limit = b"%PDF-1.4\n".to_vec();
    pdf_over_limit.resize(MAX_UPLOAD_BYTES + 1, b' ');
    let cases: Vec<(&str, reqwest::multipart::Form, u16, &str)> = vec![
        ("one byte over 20 MB", upload("groot.pdf", "application/pdf", pdf_over_limit), 422, "groter dan 20 MB"),
        (
            "a body over the request limit",
            upload("groter.pdf", "application/pdf", vec![b'%'; klachtencommissie::web::MAX_BODY_BYTES + 1]),
            413,
            "ten hoogste 20 MB",
        ),
        (
            "a program named as a PDF",
            upload("klacht.pdf", "application/pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec()),
            422,
            "past niet bij het opgegeven type",
        ),
        ("invalid UTF-8 as text", upload("brief.txt", "text/plain", vec![b'G', 0xFF, 0xFE, b'x']), 422, "past niet"),
        ("an executable", upload("setup.exe", "application/x-msdownload", b"MZ".to_vec()), 422, "wordt niet aanvaard"),
        ("an empty file", upload("leeg.pdf", "application/pdf", Vec::new()), 422, ""),
    ];
    for (what, form, status, message) in cases {
        let r = sec.http.post(format!("{}{path}", app.url)).multipart(form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{what}");
        let html = r.text().await.unwrap();
        assert!(html.contains(message), "{what}: {message:?} on the page");
        if status == 422 {
            assert!(html.contains("Aanvulling &lt;b&gt;klager&lt;/b&gt;"), "{what}: the title is kept, escaped");
        }
        assert_eq!(document::Entity::find().count(&app.db).await.unwrap(), before, "{what}: nothing stored");
    }

    // A large document within the limit goes in (the CSRF check once refused every upload
    // over axum's default multipart limit of 2 MB).
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(MAX_UPLOAD_BYTES - 1024, b' ');
    let r = sec
        .http
        .post(format!("{}{path}", app.url))
        .multipart(upload("groot.pdf", "application/pdf", pdf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "a document of almost 20 MB is accepted");
    assert_eq!(document::Entity::find().count(&app.db).await.unwrap(), before + 1);

    // Without --trust-forwarded-for the header is ignored: a client cannot pick the address
    // the limit counts, so changing it does not open a closed door.
    login_limit_per_address(&app, false).await;
    let Some(proxied) = TestApp::with_demo_config(backend, |c| c.trust_forwarded_for = true).await else {
        return;
    };
    login_limit_per_address(&proxied, true).await;
}

/// Twenty failed logins from one address, each on another account, close that address for
/// every account. Behind a trusted proxy the address is the one `X-Forwarded-For` names and
/// another address goes on; otherwise the header changes nothing.
async fn login_limit_per_address(app: &TestApp, trusted: bool) {
    let mut c = app.client();
    c.refresh_csrf().await;
    let attempt = async |c: &Client, ip: &str, email: &str, password: &str| {
        let r = c
            .http
            .post(format!("{}/login", app.url))
            .header("x-forwarded-for", ip)
            .form(&[("_csrf", c.csrf.as_str()), ("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    for i in 0..20 {
        // Untrusted, each attempt claims another address; all count for the one real peer.
        let ip = if trusted { "203.0.113.7".to_owned() } else { format!("203.0.113.{i}") };
        let (status, _) = attempt(&c, &ip, &format!("raden{i}@voorbeeld.nl"), "x").await;
        assert_eq!(status, 401);
    }
    let (status, page) = attempt(&c, "203.0.113.7", "secretaris@demo.nl", "welkom-demo").await;
    assert_eq!(status, 401, "trusted: {trusted}");
    assert!(page.contains("Te veel mislukte pogingen"));
    let (status, _) = attempt(&c, "198.51.100.20", "secretaris@demo.nl", "welkom-demo").await;
    if trusted {
        assert_eq!(status, 303, "another address is not affected");
    } else {
        assert_eq!(status, 401, "a made-up X-Forwarded-For does not get round the limit");
    }
}

crate::on_both!(limits, limits_hold);

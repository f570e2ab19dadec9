//! Login, sessions, logout, rate limiting, CSRF and security headers.

use crate::common::{Backend, TestApp};

async fn login_logout_and_session_cookie(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut c = app.client();
    let (status, html) = c.get_text("/login").await;
    assert_eq!(status, 200);
    assert!(html.contains("secretaris@demo.nl"), "demo logins are shown while demo data is loaded");

    let resp = c
        .post_form(
            "/login",
            &[("email", " Secretaris@Demo.nl "), ("password", "welkom-demo"), ("next", "/zaken?status=verweer")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/zaken?status=verweer");
    let cookies: Vec<String> =
        resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let session = cookies.iter().find(|c| c.starts_with("kc_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    assert!(!session.contains("Secure"), "plain http in tests: no Secure flag");
    assert!(cookies.iter().any(|c| c.starts_with("kc_csrf=")), "a fresh CSRF token at login");

    let (status, html) = c.get_text("/zaken").await;
    assert_eq!(status, 200);
    assert!(html.contains("Zakenregister"));

    c.refresh_csrf().await;
    let resp = c.post_form("/logout", &[]).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(c.get("/zaken").await.status(), 303, "the session ended");
}
crate::on_both!(login_logout, login_logout_and_session_cookie);

async fn wrong_password_and_unknown_account_look_the_same(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut c = app.client();
    let a = c.post_form("/login", &[("email", "secretaris@demo.nl"), ("password", "fout-wachtwoord")]).await;
    assert_eq!(a.status(), 401);
    let a = a.text().await.unwrap();
    let b = c.post_form("/login", &[("email", "niemand@demo.nl"), ("password", "fout-wachtwoord")]).await;
    assert_eq!(b.status(), 401);
    let b = b.text().await.unwrap();
    assert!(a.contains("Het e-mailadres of het wachtwoord klopt niet."));
    assert!(b.contains("Het e-mailadres of het wachtwoord klopt niet."));
    assert!(a.contains("value=\"secretaris@demo.nl\""), "the typed e-mail address is kept");
}
crate::on_both!(login_errors, wrong_password_and_unknown_account_look_the_same);

async fn failed_logins_are_rate_limited(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut c = app.client();
    for _ in 0..5 {
        assert_eq!(c.post_form("/login", &[("email", "lid@demo.nl"), ("password", "geraden")]).await.status(), 401);
    }
    // Even the right password is refused now, with a message that says why.
    let r = c.post_form("/login", &[("email", "lid@demo.nl"), ("password", "welkom-demo")]).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("Te veel mislukte pogingen"));
    // Another account is not affected.
    assert_eq!(
        c.post_form("/login", &[("email", "secretaris@demo.nl"), ("password", "welkom-demo")]).await.status(),
        303
    );
}
crate::on_both!(rate_limit, failed_logins_are_rate_limited);

#[tokio::test]
async fn posts_without_the_csrf_token_or_from_another_site_are_refused() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let c = app.login("secretaris@demo.nl").await;
    let url = format!("{}/zaken/2025-0001/commissie", app.url);
    let missing = c.http.post(&url).form(&[("member_id", "1"), ("role", "lid")]).send().await.unwrap();
    assert_eq!(missing.status(), 403);
    assert!(missing.text().await.unwrap().contains("Formulier verlopen"));
    let wrong = c.http.post(&url).form(&[("_csrf", "0".repeat(64).as_str()), ("member_id", "1")]).send().await.unwrap();
    assert_eq!(wrong.status(), 403);
    let cross = c
        .http
        .post(&url)
        .header("origin", "https://evil.example")
        .form(&[("_csrf", c.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    // A login form posted from elsewhere is refused as well (login CSRF).
    let anon = app.client();
    let r = anon
        .http
        .post(format!("{}/login", app.url))
        .form(&[("email", "secretaris@demo.nl"), ("password", "welkom-demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn security_headers_on_every_page() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let c = app.login("secretaris@demo.nl").await;
    for path in ["/login", "/zaken", "/bestaat-niet"] {
        let r = c.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["cache-control"], "no-store", "{path}");
    }
    let r = c.get("/bestaat-niet").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Niet gevonden"));
}

#[tokio::test]
async fn an_open_redirect_after_login_is_refused() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let mut c = app.client();
    let r = c
        .post_form(
            "/login",
            &[("email", "secretaris@demo.nl"), ("password", "welkom-demo"), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(r.headers()["location"], "/");
}

#[tokio::test]
async fn only_pages_with_a_form_hand_out_a_csrf_token() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let c = app.client();
    let sets_token = |r: &reqwest::Response| {
        r.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap().starts_with("kc_csrf="))
    };
    // A first visit fetches the page, its stylesheet and perhaps a favicon at once: only the
    // page may set the token, or the form's token would be overwritten by another.
    assert!(!sets_token(&c.get("/static/app.css").await));
    assert!(!sets_token(&c.get("/favicon.ico").await));
    assert!(sets_token(&c.get("/login").await));
}

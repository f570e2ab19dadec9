//! Two-factor login (TOTP and recovery codes) through the real router: enrolment with a code
//! computed from the secret, the code step after the password, wrong and replayed codes,
//! recovery codes used once, the rate limit, the roles that require it, and the beheerder's
//! reset. Codes are computed with `domain::totp` from the secret the database holds.

use crate::common::{Backend, Client, TestApp, post};
use klachtencommissie::domain::{access::Role, totp};
use klachtencommissie::entities::{audit_entry, session, user, user_recovery_code};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

const WRONG: &str = "De code klopt niet of is al gebruikt.";
const LIMITED: &str = "Te veel mislukte pogingen";

async fn user_by(db: &DatabaseConnection, email: &str) -> user::Model {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await.unwrap().unwrap()
}

fn secret_of(u: &user::Model) -> Vec<u8> {
    totp::base32_decode(u.totp_secret.as_deref().expect("a secret")).expect("base32")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A code the server has not accepted yet: the current step, or the one after the last used
/// (still within the one-step window).
async fn fresh_code(db: &DatabaseConnection, email: &str) -> String {
    let u = user_by(db, email).await;
    let current = totp::step_at(now());
    let step = u.totp_last_step.map_or(current, |last| (last + 1).max(current));
    assert!(step <= current + totp::WINDOW, "the test used up the window");
    totp::code_for_step(&secret_of(&u), step)
}

/// A six-digit code that is no code of this secret near now.
fn wrong_code(secret: &[u8]) -> String {
    let t = now();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| totp::verify(secret, c, t, None).is_none() && totp::verify(secret, c, t + 30, None).is_none())
        .unwrap()
}

/// The recovery codes on a page that shows them.
fn recovery_codes(html: &str) -> Vec<String> {
    html.split("<li><code>").skip(1).map(|rest| rest[..rest.find("</code>").unwrap()].to_owned()).collect()
}

async fn sessions_of(db: &DatabaseConnection, user_id: i32) -> u64 {
    session::Entity::find().filter(session::Column::UserId.eq(user_id)).count(db).await.unwrap()
}

async fn unused_codes(db: &DatabaseConnection, user_id: i32) -> u64 {
    user_recovery_code::Entity::find()
        .filter(user_recovery_code::Column::UserId.eq(user_id))
        .filter(user_recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await
        .unwrap()
}

async fn audited(db: &DatabaseConnection, action: &str) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find().filter(audit_entry::Column::Action.eq(action)).all(db).await.unwrap()
}

fn cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

/// Enrols `email` from its account page; returns the signed-in client and the recovery codes.
async fn enrol_from_account(app: &TestApp, email: &str) -> (Client, Vec<String>) {
    let mut c = app.login(email).await;
    let (status, html) = c.get_text("/account").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tweestapsverificatie") && html.contains("/account/tweestaps"));
    let (status, html) = c.get_text("/account/tweestaps").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tweestapsverificatie instellen"));
    assert_eq!(c.post_form("/account/tweestaps/starten", &[]).await.status(), 303);
    let u = user_by(&app.db, email).await;
    assert!(u.totp_enabled_at.is_none(), "not in force before the first code");
    let secret = secret_of(&u);
    assert_eq!(secret.len(), 20);
    let (status, html) = c.get_text("/account/tweestaps").await;
    assert_eq!(status, 200);
    let b32 = totp::base32_encode(&secret);
    assert!(html.contains(&b32[..4]) && html.contains(&b32[28..]), "the secret is shown");
    assert!(html.contains("otpauth://totp/Klachtencommissie%3A") && html.contains(&format!("secret={b32}")));
    assert!(html.contains("<svg") && html.contains("<path d=\"M"), "a QR code");
    // An empty code is refused without counting as an attempt.
    let (status, html) = post(&mut c, "/account/tweestaps/bevestigen", &[("code", " ")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Vul de code in."));
    assert!(user_by(&app.db, email).await.totp_enabled_at.is_none());
    // The current code switches it on and shows ten recovery codes, once.
    let code = fresh_code(&app.db, email).await;
    let (status, html) = post(&mut c, "/account/tweestaps/bevestigen", &[("code", &code)]).await;
    assert_eq!(status, 200, "{html}");
    let codes = recovery_codes(&html);
    assert_eq!(codes.len(), 10, "{html}");
    let u = user_by(&app.db, email).await;
    assert!(u.totp_enabled_at.is_some());
    assert_eq!(unused_codes(&app.db, u.id).await, 10);
    let stored = user_recovery_code::Entity::find()
        .filter(user_recovery_code::Column::UserId.eq(u.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(stored.iter().all(|r| r.code_hash.len() == 64 && !codes.iter().any(|c| r.code_hash.contains(c.as_str()))));
    let (_, again) = c.get_text("/account/tweestaps").await;
    assert!(recovery_codes(&again).is_empty(), "shown only once");
    assert!(again.contains("Ongebruikte herstelcodes: 10"));
    (c, codes)
}

/// Password step only: the client then holds a pending login.
async fn password_step(app: &TestApp, email: &str) -> (Client, reqwest::Response) {
    let mut c = app.client();
    let r = c.post_form("/login", &[("email", email), ("password", "welkom-demo"), ("next", "/termijnen")]).await;
    (c, r)
}

async fn enrolment_and_login(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let email = "secretaris@demo.nl";
    let (mut first, codes) = enrol_from_account(&app, email).await;
    let u = user_by(&app.db, email).await;
    assert_eq!(audited(&app.db, "tweestaps.ingeschakeld").await.len(), 1);
    assert_eq!(first.post_form("/logout", &[]).await.status(), 303);

    // The password alone gives no session: a pending login in its own cookie.
    let before = sessions_of(&app.db, u.id).await;
    let (mut c, r) = password_step(&app, email).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login/code");
    let set = cookies(&r);
    assert!(!set.iter().any(|c| c.starts_with("kc_session=")), "{set:?}");
    let pending = set.iter().find(|c| c.starts_with("kc_pending=")).expect("pending cookie");
    assert!(pending.contains("HttpOnly") && pending.contains("SameSite=Strict"), "{pending}");
    assert_eq!(sessions_of(&app.db, u.id).await, before);
    // The pending cookie alone opens nothing.
    for path in ["/zaken", "/account", "/account/tweestaps", "/termijnen"] {
        let r = c.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/login"), "{path}");
    }
    let (status, html) = c.get_text("/login/code").await;
    assert_eq!(status, 200);
    assert!(html.contains("Verificatiecode") && html.contains("name=\"_csrf\""));

    // A wrong code: the Dutch message, nothing created.
    let (status, html) = post(&mut c, "/login/code", &[("code", &wrong_code(&secret_of(&u)))]).await;
    assert_eq!(status, 401);
    assert!(html.contains(WRONG));
    assert_eq!(sessions_of(&app.db, u.id).await, before);
    assert_eq!(c.get("/zaken").await.status(), 303);

    // The right code: the session, and on to where the login was going.
    let code = fresh_code(&app.db, email).await;
    let r = c.post_form("/login/code", &[("code", &code)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/termijnen");
    assert!(cookies(&r).iter().any(|c| c.starts_with("kc_session=")));
    assert_eq!(sessions_of(&app.db, u.id).await, before + 1);
    assert_eq!(c.get("/zaken").await.status(), 200);
    assert_eq!(c.get("/login/code").await.status(), 303, "the pending login is gone");

    // The same code again (another browser, the password right): refused as used.
    let (mut other, _) = password_step(&app, email).await;
    let (status, html) = post(&mut other, "/login/code", &[("code", &code)]).await;
    assert_eq!(status, 401);
    assert!(html.contains(WRONG));
    assert_eq!(other.get("/zaken").await.status(), 303);

    // A recovery code works once, typed in any case and without its hyphen.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let r = other.post_form("/login/code", &[("code", &typed)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(other.get("/zaken").await.status(), 200);
    assert_eq!(unused_codes(&app.db, u.id).await, 9);
    let (mut third, _) = password_step(&app, email).await;
    let (status, html) = post(&mut third, "/login/code", &[("code", &codes[0])]).await;
    assert_eq!(status, 401);
    assert!(html.contains(WRONG));

    // New recovery codes (with a recovery code as proof): the old ones are void.
    other.refresh_csrf().await;
    let (status, html) = post(&mut other, "/account/tweestaps/herstelcodes", &[("code", &codes[1])]).await;
    assert_eq!(status, 200, "{html}");
    let renewed = recovery_codes(&html);
    assert_eq!(renewed.len(), 10);
    assert_eq!(unused_codes(&app.db, u.id).await, 10);
    assert_eq!(audited(&app.db, "tweestaps.herstelcodes_vernieuwd").await.len(), 1);
    let hashes: Vec<String> = user_recovery_code::Entity::find()
        .filter(user_recovery_code::Column::UserId.eq(u.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.code_hash)
        .collect();
    assert!(!hashes.contains(&totp::hash_recovery(&codes[2])), "an old recovery code is void");
    assert!(hashes.contains(&totp::hash_recovery(&renewed[2])));
    let r = third.post_form("/login/code", &[("code", &renewed[0])]).await;
    assert_eq!(r.status(), 303);

    // Voluntary: the user turns it off again (a code as proof), and logs in with the password.
    third.refresh_csrf().await;
    let r = third.post_form("/account/tweestaps/uitschakelen", &[("code", &renewed[1])]).await;
    assert_eq!(r.status(), 303);
    let u = user_by(&app.db, email).await;
    assert!(u.totp_enabled_at.is_none() && u.totp_secret.is_none());
    assert_eq!(unused_codes(&app.db, u.id).await, 0);
    assert_eq!(audited(&app.db, "tweestaps.uitgeschakeld").await.len(), 1);
    let (_, r) = password_step(&app, email).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/termijnen");
}
crate::on_both!(enrolment_login, enrolment_and_login);

async fn codes_count_in_the_rate_limit(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else { return };
    let email = "voorzitter@demo.nl";
    let (_, codes) = enrol_from_account(&app, email).await;
    let u = user_by(&app.db, email).await;
    let secret = secret_of(&u);
    let (mut c, r) = password_step(&app, email).await;
    assert_eq!(r.headers()["location"], "/login/code");
    for _ in 0..5 {
        let (status, html) = post(&mut c, "/login/code", &[("code", &wrong_code(&secret))]).await;
        assert_eq!(status, 401);
        assert!(html.contains(WRONG));
    }
    // Now even a right code is refused, with the login's own message, and not used up.
    let (status, html) = post(&mut c, "/login/code", &[("code", &codes[0])]).await;
    assert_eq!(status, 401);
    assert!(html.contains(LIMITED), "{html}");
    assert_eq!(unused_codes(&app.db, u.id).await, 10);
    assert_eq!(c.get("/zaken").await.status(), 303);
    // And so is the password step.
    let (_, r) = password_step(&app, email).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains(LIMITED));
}
crate::on_both!(rate_limit, codes_count_in_the_rate_limit);

/// Enrolment right after the password, for a role that requires it.
async fn forced_enrolment(app: &TestApp, email: &str) -> (Client, Vec<String>) {
    let (mut c, r) = password_step(app, email).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login/inrichten");
    assert!(!cookies(&r).iter().any(|c| c.starts_with("kc_session=")));
    // Nothing but the enrolment page answers.
    for path in ["/", "/zaken", "/beheer", "/account", "/account/tweestaps", "/login/code"] {
        let r = c.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/login"), "{path}");
    }
    assert_eq!(c.post_form("/account/tweestaps/starten", &[]).await.status(), 303);
    let (status, html) = c.get_text("/login/inrichten").await;
    assert_eq!(status, 200);
    assert!(html.contains("Voor uw rol is tweestapsverificatie verplicht"));
    let u = user_by(&app.db, email).await;
    let secret = secret_of(&u);
    let b32 = totp::base32_encode(&secret);
    assert!(html.contains(&format!("secret={b32}")), "the secret of the database is on the page");
    // The page again shows the same secret (it is kept until confirmed).
    let (_, again) = c.get_text("/login/inrichten").await;
    assert!(again.contains(&format!("secret={b32}")));
    let (status, html) = post(&mut c, "/login/inrichten", &[("code", &wrong_code(&secret))]).await;
    assert_eq!(status, 401);
    assert!(html.contains(WRONG));
    assert_eq!(c.get("/zaken").await.status(), 303);
    assert_eq!(sessions_of(&app.db, u.id).await, 0);
    let code = fresh_code(&app.db, email).await;
    let (status, html) = post(&mut c, "/login/inrichten", &[("code", &code)]).await;
    assert_eq!(status, 200, "{html}");
    let codes = recovery_codes(&html);
    assert_eq!(codes.len(), 10);
    assert!(html.contains("href=\"/termijnen\""), "on to where the login was going");
    assert_eq!(c.get("/zaken").await.status(), 200);
    c.refresh_csrf().await;
    (c, codes)
}

async fn required_roles_enrol_first_and_beheerder_resets(backend: Backend) {
    let Some(app) = TestApp::with_demo_config(backend, |cfg| {
        cfg.require_2fa = vec![Role::Beheerder, Role::Secretaris, Role::Voorzitter];
    })
    .await
    else {
        return;
    };
    // A role that is not required logs in as before.
    let (mut lid, r) = password_step(&app, "lid@demo.nl").await;
    assert_eq!(r.headers()["location"], "/termijnen");
    assert_eq!(lid.get("/zaken").await.status(), 200);
    lid.refresh_csrf().await;

    let (mut admin, admin_codes) = forced_enrolment(&app, "beheerder@demo.nl").await;
    assert_eq!(admin.get("/beheer").await.status(), 200);
    // Required: it cannot be turned off.
    let (status, html) = post(&mut admin, "/account/tweestaps/uitschakelen", &[("code", &admin_codes[0])]).await;
    assert_eq!(status, 422);
    assert!(html.contains("verplicht"));
    assert!(user_by(&app.db, "beheerder@demo.nl").await.totp_enabled_at.is_some());
    assert_eq!(unused_codes(&app.db, user_by(&app.db, "beheerder@demo.nl").await.id).await, 10);

    // The secretary enrols too, then loses the phone: the beheerder resets it.
    let (secretary, _) = forced_enrolment(&app, "secretaris@demo.nl").await;
    let s = user_by(&app.db, "secretaris@demo.nl").await;
    let (_, users) = admin.get_text("/beheer/gebruikers").await;
    let reset_path = format!("/beheer/gebruikers/{}/tweestaps-herstellen", s.id);
    assert!(users.contains(&reset_path));
    // Only the beheerder may.
    assert_eq!(lid.post_form(&reset_path, &[]).await.status(), 403);
    assert!(user_by(&app.db, "secretaris@demo.nl").await.totp_enabled_at.is_some());
    assert_eq!(admin.post_form(&reset_path, &[]).await.status(), 303);
    let s = user_by(&app.db, "secretaris@demo.nl").await;
    assert!(s.totp_enabled_at.is_none() && s.totp_secret.is_none() && s.totp_last_step.is_none());
    assert_eq!(unused_codes(&app.db, s.id).await, 0);
    let entries = audited(&app.db, "gebruiker.tweestaps_hersteld").await;
    assert_eq!(entries.len(), 1);
    let admin_id = user_by(&app.db, "beheerder@demo.nl").await.id;
    assert_eq!(entries[0].user_id, Some(admin_id));
    assert!(entries[0].detail.contains("secretaris@demo.nl"));
    // The secretary's session ended; the next login enrols again.
    assert_eq!(secretary.get("/zaken").await.status(), 303);
    let (_, r) = password_step(&app, "secretaris@demo.nl").await;
    assert_eq!(r.headers()["location"], "/login/inrichten");
    assert_eq!(admin.post_form("/beheer/gebruikers/999999/tweestaps-herstellen", &[]).await.status(), 404);
}
crate::on_both!(required_and_reset, required_roles_enrol_first_and_beheerder_resets);

/// A session from before the requirement (or before a reset) of a required role without
/// two-factor login is no longer valid.
#[tokio::test]
async fn an_old_session_of_a_required_role_without_2fa_ends() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let c = app.login("secretaris@demo.nl").await;
    assert_eq!(c.get("/zaken").await.status(), 200);
    // A second instance on the same database and key, now with the requirement.
    let cfg = klachtencommissie::config::Config {
        data_dir: app.data_dir().to_owned(),
        database_url: app.database_url(),
        bind: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        session_key: klachtencommissie::config::load_or_create_session_key(app.data_dir()).unwrap(),
        advies_key: klachtencommissie::signing::load_or_create(app.data_dir()).unwrap(),
        smtp: None,
        require_2fa: vec![Role::Secretaris],
        trust_forwarded_for: false,
    };
    let router = klachtencommissie::build_router(klachtencommissie::AppState::new(app.db.clone(), cfg));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
    });
    let url = format!("http://{addr}/zaken");
    // The same session cookie, sent to the instance that requires two-factor login.
    let r = c.http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login"));
}

//! `TestApp`: builds the production router on a fresh database and serves it on a free port;
//! helpers to log in, read CSRF tokens and build rows.

use klachtencommissie::{AppState, build_router, config, db};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server for tests, e.g. `postgres://postgres@127.0.0.1:5432`. `.ci/run` sets
/// it, so CI fails when PostgreSQL is missing; a plain `cargo test` runs on SQLite only.
pub fn postgres_base() -> Option<String> {
    std::env::var("KC_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
}

pub struct TestApp {
    pub url: String,
    pub db: DatabaseConnection,
    db_url: String,
    _dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestApp {
    /// The database URL, for a second connection pool (a second "instance").
    pub fn database_url(&self) -> String {
        self.db_url.clone()
    }

    /// The data directory (the session signing key lives there).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// A new app with the demo data loaded; `None` for PostgreSQL when it is not configured.
    pub async fn with_demo(backend: Backend) -> Option<TestApp> {
        let app = Self::empty(backend).await?;
        let key = klachtencommissie::signing::load_or_create(app._dir.path()).unwrap();
        klachtencommissie::demo::load(&app.db, &key).await.expect("demo data loads");
        Some(app)
    }

    /// A new app with the demo data loaded and its configuration changed by `tweak`.
    pub async fn with_demo_config(backend: Backend, tweak: impl FnOnce(&mut config::Config)) -> Option<TestApp> {
        let app = Self::empty_with(backend, tweak).await?;
        let key = klachtencommissie::signing::load_or_create(app._dir.path()).unwrap();
        klachtencommissie::demo::load(&app.db, &key).await.expect("demo data loads");
        Some(app)
    }

    pub async fn empty(backend: Backend) -> Option<TestApp> {
        Self::empty_with(backend, |_| {}).await
    }

    pub async fn empty_with(backend: Backend, tweak: impl FnOnce(&mut config::Config)) -> Option<TestApp> {
        let dir = tempfile::tempdir().unwrap();
        let (url, pg_name) = match backend {
            Backend::Sqlite => (config::default_database_url(dir.path()), None),
            Backend::Postgres => {
                let Some(base) = postgres_base() else {
                    eprintln!(
                        "PostgreSQL tests not run: set KC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432 (the CI does)"
                    );
                    return None;
                };
                let name = create_pg_database(&base).await;
                (format!("{base}/{name}"), Some(name))
            }
        };
        let db_url = url.clone();
        let conn = db::connect(&url).await.unwrap();
        db::prepare(&conn).await.unwrap();
        let mut cfg = config::Config {
            data_dir: dir.path().to_owned(),
            database_url: url,
            bind: "127.0.0.1:0".parse().unwrap(),
            public_url: None,
            session_key: config::load_or_create_session_key(dir.path()).unwrap(),
            advies_key: klachtencommissie::signing::load_or_create(dir.path()).unwrap(),
            smtp: None,
            require_2fa: vec![],
            trust_forwarded_for: false,
        };
        tweak(&mut cfg);
        // Every response tells its number of SQL statements (the N+1 checks in load.rs read it).
        let router = build_router(AppState::new(conn.clone(), cfg).counting_statements());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
        });
        Some(TestApp { url: format!("http://{addr}"), db: conn, db_url, _dir: dir, pg_name })
    }

    pub fn client(&self) -> Client {
        Client::new(&self.url)
    }

    /// A client logged in as `email` with the demo password.
    pub async fn login(&self, email: &str) -> Client {
        Client::login(&self.url, email).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            drop_pg_database(name);
        }
    }
}

/// A new, empty PostgreSQL database on the server at `base`; its name. Fails (does not skip)
/// when the server cannot be reached.
pub async fn create_pg_database(base: &str) -> String {
    let name = format!("kc_test_{}", hex::encode(rand::random::<[u8; 6]>()));
    let admin = Database::connect(format!("{base}/postgres")).await.expect("PostgreSQL reachable at KC_TEST_POSTGRES");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    admin.close().await.ok();
    name
}

/// Drops a database of `create_pg_database`, for a `Drop` impl: from a separate thread with
/// its own runtime, because `Drop` is sync and may run inside the test's runtime.
pub fn drop_pg_database(name: String) {
    let Some(base) = postgres_base() else { return };
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            if let Ok(admin) = Database::connect(format!("{base}/postgres")).await {
                let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
            }
        });
    })
    .join()
    .ok();
}

/// An HTTP client with a cookie jar and the CSRF token of its browser session.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

impl Client {
    /// A client of the application at `base` (`http://127.0.0.1:PORT`), not signed in.
    pub fn new(base: &str) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            csrf: String::new(),
        }
    }

    /// A client signed in as `email` with the demo password.
    pub async fn login(base: &str, email: &str) -> Client {
        let mut c = Client::new(base);
        let resp = c.post_form("/login", &[("email", email), ("password", "welkom-demo")]).await;
        assert_eq!(resp.status(), 303, "login as {email}");
        c.refresh_csrf().await;
        c
    }
}

pub fn csrf_from(html: &str) -> Option<String> {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    Some(html[start..start + 64].to_owned())
}

impl Client {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Loads the login page (anyone may) to learn this browser's CSRF token.
    pub async fn refresh_csrf(&mut self) {
        let (_, html) = self.get_text("/login").await;
        if let Some(t) = csrf_from(&html) {
            self.csrf = t;
            return;
        }
        // Signed in: /login redirects; any signed-in page carries the token in the logout form.
        let (_, html) = self.get_text("/zaken").await;
        self.csrf = csrf_from(&html).expect("a page with a CSRF token");
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        if self.csrf.is_empty() {
            self.refresh_csrf().await;
        }
        let mut all: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.http.post(format!("{}{path}", self.base)).form(&all).send().await.unwrap()
    }

    pub async fn post_multipart(&mut self, path: &str, form: reqwest::multipart::Form) -> reqwest::Response {
        if self.csrf.is_empty() {
            self.refresh_csrf().await;
        }
        let form = form.text("_csrf", self.csrf.clone());
        self.http.post(format!("{}{path}", self.base)).multipart(form).send().await.unwrap()
    }
}

/// Runs a test body on SQLite, and as a second test on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::common::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)($crate::common::Backend::Postgres).await
            }
        }
    };
}

/// The zaaknummer of the first demo case matching a predicate on (status, board name).
pub async fn demo_case(db: &DatabaseConnection, board_name_contains: &str) -> String {
    use klachtencommissie::entities::{board, case};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let b = board::Entity::find()
        .filter(board::Column::Name.contains(board_name_contains))
        .one(db)
        .await
        .unwrap()
        .expect("demo board");
    case::Entity::find()
        .filter(case::Column::BoardId.eq(b.id))
        .order_by_asc(case::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("demo case")
        .zaaknummer
}

/// The commission member behind a demo account (a chair or member).
pub async fn member_id_of(db: &DatabaseConnection, email: &str) -> i32 {
    use klachtencommissie::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .member_id
        .expect("a member account")
}

/// Posts a form and returns the status and the body.
pub async fn post(c: &mut Client, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = c.post_form(path, fields).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// The first case (by id) in a status.
pub async fn case_in(db: &DatabaseConnection, status: &str) -> klachtencommissie::entities::case::Model {
    use klachtencommissie::entities::case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    case::Entity::find()
        .filter(case::Column::Status.eq(status))
        .order_by_asc(case::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// A case as it is in the database now.
pub async fn reload(db: &DatabaseConnection, id: i32) -> klachtencommissie::entities::case::Model {
    use sea_orm::EntityTrait;
    klachtencommissie::entities::case::Entity::find_by_id(id).one(db).await.unwrap().unwrap()
}

/// Row counts of every table, in one statement.
pub async fn row_counts(db: &DatabaseConnection, tables: &[String]) -> Vec<i64> {
    let sql = format!(
        "SELECT {}",
        tables
            .iter()
            .enumerate()
            .map(|(i, t)| format!("(SELECT COUNT(*) FROM \"{t}\") AS c{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    (0..tables.len()).map(|i| row.try_get_by_index::<i64>(i).unwrap()).collect()
}

/// Every table of the application's schema.
pub async fn table_names(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
        }
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get::<String>("", "t").unwrap())
        .collect()
}

/// A klaagschrift received by post on `received_on` at school `school_id`, with one klager and no
/// documents: the case most tests need; they change a field with `NewCase { .., ..simple_case() }`.
pub fn simple_case(
    school_id: i32,
    received_on: chrono::NaiveDate,
    subject: impl Into<String>,
    klager: impl Into<String>,
) -> klachtencommissie::cases::register::NewCase {
    use klachtencommissie::cases::register::{NewCase, NewParty};
    NewCase {
        received_on,
        school_id,
        subject: subject.into(),
        facts_date: None,
        arrival: klachtencommissie::domain::case::Arrival::Post,
        parties: vec![NewParty {
            role: klachtencommissie::domain::case::PartyRole::Klager,
            name: klager.into(),
            address: None,
            email: None,
            phone: None,
            minor: false,
        }],
        documents: vec![],
        receipt: Default::default(),
        complaint_kind: None,
    }
}

/// Every advies row carries the board of its case (migration 000019 and every insert), which
/// the board portal's list of adviezen received relies on.
pub async fn assert_adviezen_carry_their_board(db: &DatabaseConnection) {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*), SUM(CASE WHEN a.board_id IS NULL OR a.board_id <> c.board_id THEN 1 ELSE 0 END) \
             FROM adviezen a JOIN cases c ON c.id = a.case_id",
        ))
        .await
        .unwrap()
        .unwrap();
    let (all, wrong): (i64, Option<i64>) = (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap());
    assert!(all > 0, "there are adviezen to check");
    assert_eq!(wrong.unwrap_or(0), 0, "adviezen without their case's board");
}

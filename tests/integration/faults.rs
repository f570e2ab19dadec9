//! Fault tests: the real binary as child processes, driven over real HTTP, delivering to the
//! SMTP sink on loopback.
//!
//! * `kill_nine`: two clients keep registering klaagschriften (with the acknowledgement by
//!   e-mail) and sending letters while the server is killed with SIGKILL at random moments
//!   (seeded; the seed is printed, `KC_FAULT_SEED` repeats a run) and restarted on the same
//!   database. Afterwards every case and letter whose request was answered with success is
//!   there with its documents, audit entries and outbox message; every case is whole (one
//!   registration entry, its acknowledgement queued); `verify-audit` passes; and once the
//!   outbox has drained every message reached the SMTP server.
//!
//!   What is guaranteed about duplicates (see `src/outbox/worker.rs`): delivery is *at least
//!   once*, with a Message-ID fixed when the message is queued. Every claim of a message counts
//!   as an attempt, and one claim delivers at most once. So a message reaches the SMTP server
//!   exactly once unless a worker was killed after the server accepted it and before the row
//!   was marked sent; then it is delivered again, with the same Message-ID, after the lease
//!   runs out. The test asserts precisely that: every outbox row is `verzonden`, every message
//!   received carries the Message-ID of an outbox row, each row was received at least once and
//!   at most as often as it was claimed (`attempts`), a row claimed once was received exactly
//!   once, and repeats happen at most once per kill (one worker per process, one message at
//!   a time). The lease is five minutes; to not wait
//!   that long the test moves the leases of the killed workers into the past while no server
//!   runs (the clock passing), and the restarted worker claims them again the ordinary way.
//!
//! * `two_instances` (PostgreSQL only): two `serve` processes with their own data directories
//!   and one `SESSION_KEY` on one database, clients registering against both (a session from
//!   one used on the other), both outbox workers and digest schedulers running. No zaaknummer
//!   twice and no gap, every message received exactly once (no process dies here), the day's
//!   digest written once, every deadline opened once, with one audit entry each, and, while
//!   the beheerder adds study days to a school's calendar on both instances, every
//!   recomputation of a new case's hearing term chained from the date it had (no change
//!   applied twice or to a stale date), and a final recomputation (rolled back) changes
//!   nothing.

use crate::common::postgres_base;
use crate::smtp_sink::SmtpSink;
use klachtencommissie::entities::{audit_entry, case, deadline, digest_run, document, letter, outbox_message};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The binary under test, pinned for the whole test run: a hard link to the file cargo built,
/// so a rebuild of `target/debug/klachtencommissie` during the run (another `cargo build` on
/// the same target directory) does not swap the binary between a kill and the restart.
fn binary() -> &'static Path {
    static PINNED: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PINNED.get_or_init(|| {
        let built = Path::new(env!("CARGO_BIN_EXE_klachtencommissie"));
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("faults-bin");
        let _ = std::fs::remove_dir_all(&dir); // links of earlier runs
        std::fs::create_dir_all(&dir).unwrap();
        let pinned = dir.join(format!("klachtencommissie-{}", std::process::id()));
        match std::fs::hard_link(built, &pinned) {
            Ok(()) => pinned,
            Err(_) => built.to_owned(),
        }
    })
}

fn bin() -> Command {
    let mut c = Command::new(binary());
    c.env_remove("DATABASE_URL").env_remove("SMTP_HOST").env_remove("DATA_DIR").env("LOG_LEVEL", "warn");
    c
}

/// A fresh database: a SQLite file in `dir`, or a new PostgreSQL database (dropped at the end).
struct TestDb {
    url: String,
    pg_name: Option<String>,
}

impl TestDb {
    async fn sqlite(dir: &Path) -> TestDb {
        TestDb { url: klachtencommissie::config::default_database_url(dir), pg_name: None }
    }

    /// Fails (does not skip) when `KC_TEST_POSTGRES` is set and the server cannot be reached.
    async fn postgres(base: &str) -> TestDb {
        let name = crate::common::create_pg_database(base).await;
        TestDb { url: format!("{base}/{name}"), pg_name: Some(name) }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            crate::common::drop_pg_database(name);
        }
    }
}

/// The demo data, loaded by the binary itself (`klachtencommissie demo`).
fn load_demo(data: &Path, url: &str) {
    let out = bin().arg("--data-dir").arg(data).args(["--database-url", url, "demo"]).output().unwrap();
    assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
}

fn verify_audit(data: &Path, url: &str) -> String {
    let out = bin().arg("--data-dir").arg(data).args(["--database-url", url, "verify-audit"]).output().unwrap();
    assert!(
        out.status.success(),
        "verify-audit failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `serve` process; killed with SIGKILL when dropped (also when the test fails).
struct Server {
    child: Option<Child>,
}

impl Server {
    /// Starts `serve` on `port` and waits until it accepts connections.
    async fn start(data: &Path, url: &str, port: u16, smtp_port: u16, session_key: &str) -> Server {
        let child = bin()
            .arg("--data-dir")
            .arg(data)
            .args(["--database-url", url, "serve", "--no-demo", "--bind", &format!("127.0.0.1:{port}")])
            .args(["--smtp-host", "127.0.0.1", "--smtp-port", &smtp_port.to_string(), "--smtp-tls", "none"])
            // The digest is due at once, so the daily job runs during the test.
            .args(["--digest-hour", "0"])
            .env("SESSION_KEY", session_key)
            .stdout(Stdio::null())
            .stderr(log_file(data))
            .spawn()
            .unwrap();
        let mut s = Server { child: Some(child) };
        let deadline = Instant::now() + Duration::from_secs(60);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            if let Some(status) = s.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("serve exited while starting: {status}");
            }
            assert!(Instant::now() < deadline, "serve did not start within 60 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        s
    }

    /// SIGKILL (`Child::kill`), and reap the process.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The servers' log (warnings and errors), appended over restarts: `<data-dir>/serve.log`.
fn log_file(data: &Path) -> std::fs::File {
    std::fs::OpenOptions::new().create(true).append(true).open(data.join("serve.log")).unwrap()
}

/// The error lines the servers logged.
fn logged_errors(data: &Path) -> Vec<String> {
    std::fs::read_to_string(data.join("serve.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| (l.contains("ERROR") || l.contains("WARN")) && !l.contains("webhook"))
        .map(str::to_owned)
        .collect()
}

fn session_key() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// A browser of the secretary: cookie jar and CSRF token. Requests never panic on a dead
/// server: a connection error is an `Err` (the request may or may not have been committed).
struct Browser {
    http: reqwest::Client,
    csrf: String,
}

impl Browser {
    async fn login(base: &str) -> Browser {
        let c = crate::common::Client::login(base, "secretaris@demo.nl").await;
        Browser { http: c.http, csrf: c.csrf }
    }

    /// Registers a klaagschrift with the acknowledgement by e-mail; the zaaknummer on success.
    async fn register(&self, base: &str, n: usize) -> Result<String, Failure> {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", self.csrf.clone())
            .text("received_on", chrono::Utc::now().date_naive().to_string())
            .text("arrival", "email")
            .text("school_id", "1")
            .text("subject", format!("Fouttest klacht {n}"))
            .text("p0_role", "klager")
            .text("p0_name", format!("Klager {n}"))
            .text("p0_email", format!("klager{n}@example.nl"))
            .text("acknowledge", "ja");
        let r = self
            .http
            .post(format!("{base}/zaken"))
            .multipart(form)
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .map_err(|e| Failure::Connection(e.to_string()))?;
        expect_redirect(r).await.map(|to| to.trim_start_matches("/zaken/").to_owned())
    }

    /// Sends a free letter to the klager of `zaak` (by e-mail, the klager has an address),
    /// with `marker` in its text.
    async fn letter(&self, base: &str, zaak: &str, marker: &str) -> Result<(), Failure> {
        let page = self
            .http
            .get(format!("{base}/zaken/{zaak}/brieven/nieuw"))
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .map_err(|e| Failure::Connection(e.to_string()))?;
        let html = page.text().await.map_err(|e| Failure::Connection(e.to_string()))?;
        let at = html.find("value=\"partij-").ok_or_else(|| Failure::Http(200, "no party to write to".into()))?;
        let to: String = html[at + 7..].chars().take_while(|c| *c != '"').collect();
        let text = format!("Geachte heer, mevrouw,\n\nDit is brief {marker}.\n\nMet vriendelijke groet.");
        let r = self
            .http
            .post(format!("{base}/zaken/{zaak}/brieven"))
            .form(&[("_csrf", self.csrf.as_str()), ("soort", "vrije_brief"), ("aan", to.as_str()), ("tekst", &text)])
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .map_err(|e| Failure::Connection(e.to_string()))?;
        expect_redirect(r).await.map(|_| ())
    }
}

#[derive(Debug)]
enum Failure {
    /// No answer: the server died (or was not up). The request may have been committed.
    Connection(String),
    /// An answer that is not the success redirect: always a test failure.
    Http(u16, String),
}

async fn expect_redirect(r: reqwest::Response) -> Result<String, Failure> {
    let status = r.status().as_u16();
    if status == 303 {
        return Ok(r.headers()["location"].to_str().unwrap().to_owned());
    }
    let body = r.text().await.map_err(|e| Failure::Connection(e.to_string()))?;
    Err(Failure::Http(status, body.chars().take(2000).collect()))
}

/// What the client had confirmed: zaaknummers, and (zaaknummer, marker) of letters.
#[derive(Default)]
struct Acked {
    cases: Vec<String>,
    letters: Vec<(String, String)>,
    connection_errors: usize,
    last_connection_error: Option<String>,
    http_errors: Vec<String>,
}

/// The case with the highest id before the test's own cases.
async fn max_case_id(db: &DatabaseConnection) -> i32 {
    case::Entity::find().all(db).await.unwrap().iter().map(|c| c.id).max().unwrap_or(0)
}

/// The last outbox message before the test's own (the demo's count as delivered, unsent).
async fn max_outbox_id(db: &DatabaseConnection) -> i32 {
    outbox_message::Entity::find().all(db).await.unwrap().iter().map(|m| m.id).max().unwrap_or(0)
}

/// Waits until no outbox message after `after` waits any more (`timeout`), and returns them.
async fn drain(db: &DatabaseConnection, after: i32, timeout: Duration) -> Vec<outbox_message::Model> {
    let deadline = Instant::now() + timeout;
    loop {
        let rows = outbox_message::Entity::find().filter(outbox_message::Column::Id.gt(after)).all(db).await.unwrap();
        let waiting = rows.iter().filter(|m| m.status != "verzonden").count();
        if waiting == 0 {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "{waiting} outbox message(s) not delivered: {:?}",
            rows.iter()
                .filter(|m| m.status != "verzonden")
                .map(|m| (m.id, &m.status, m.attempts, &m.lease_until, &m.last_error))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Message-ID (without angle brackets) → how often the SMTP sink received it.
fn received_ids(sink: &SmtpSink) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for m in sink.messages() {
        let parsed = m.parsed();
        let id = parsed.message_id().expect("every message has a Message-ID").trim_matches(['<', '>']).to_owned();
        *out.entry(id).or_insert(0) += 1;
    }
    out
}

fn bare(message_id: &str) -> String {
    message_id.trim_matches(['<', '>']).to_owned()
}

/// Every case the test made is whole: one registration entry, its hearing deadline opened once
/// (one `termijn.gestart` per deadline), its acknowledgement letter with its PDF in the
/// dossier and its outbox message.
async fn check_cases_whole(db: &DatabaseConnection, first_new_id: i32) -> Vec<case::Model> {
    let cases = case::Entity::find().filter(case::Column::Id.gt(first_new_id)).all(db).await.unwrap();
    let audit = audit_entry::Entity::find().filter(audit_entry::Column::CaseId.gt(first_new_id)).all(db).await.unwrap();
    let deadlines = deadline::Entity::find().filter(deadline::Column::CaseId.gt(first_new_id)).all(db).await.unwrap();
    let letters = letter::Entity::find().filter(letter::Column::CaseId.gt(first_new_id)).all(db).await.unwrap();
    let outbox =
        outbox_message::Entity::find().filter(outbox_message::Column::CaseId.gt(first_new_id)).all(db).await.unwrap();
    for c in &cases {
        let entries = |action: &str| audit.iter().filter(|a| a.case_id == Some(c.id) && a.action == action).count();
        assert_eq!(entries("zaak.geregistreerd"), 1, "{}: one registration entry", c.zaaknummer);
        let own_deadlines = deadlines.iter().filter(|d| d.case_id == c.id).count();
        assert_eq!(entries("termijn.gestart"), own_deadlines, "{}: one audit entry per deadline opened", c.zaaknummer);
        assert_eq!(
            deadlines.iter().filter(|d| d.case_id == c.id && d.kind == "hoorzitting").count(),
            1,
            "{}: the hearing term opened once",
            c.zaaknummer
        );
        let acks: Vec<&letter::Model> =
            letters.iter().filter(|l| l.case_id == c.id && l.kind == "ontvangstbevestiging").collect();
        assert_eq!(acks.len(), 1, "{}: one acknowledgement", c.zaaknummer);
        for l in letters.iter().filter(|l| l.case_id == c.id) {
            assert!(
                document::Entity::find_by_id(l.document_id).one(db).await.unwrap().is_some(),
                "{}: the letter's PDF is in the dossier",
                c.zaaknummer
            );
            assert_eq!(
                outbox.iter().filter(|m| m.letter_id == Some(l.id)).count(),
                1,
                "{}: letter {} queued once",
                c.zaaknummer,
                l.id
            );
        }
    }
    cases
}

// ---- A: kill -9 ----

async fn kill_nine(backend: crate::common::Backend) {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = match backend {
        crate::common::Backend::Sqlite => TestDb::sqlite(dir.path()).await,
        crate::common::Backend::Postgres => {
            let Some(base) = postgres_base() else {
                eprintln!("PostgreSQL fault test not run: set KC_TEST_POSTGRES (the CI does)");
                return;
            };
            TestDb::postgres(&base).await
        }
    };
    let seed: u64 = std::env::var("KC_FAULT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    println!("faults::kill_nine ({backend:?}): seed {seed} (KC_FAULT_SEED={seed} repeats it)");
    let mut rng = StdRng::seed_from_u64(seed);
    load_demo(dir.path(), &db.url);
    let conn = klachtencommissie::db::connect(&db.url).await.unwrap();
    let before = max_case_id(&conn).await;
    let outbox_before = max_outbox_id(&conn).await;
    let sink = SmtpSink::start().await;
    let key = session_key();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Server::start(dir.path(), &db.url, port, sink.port, &key).await;
    let browser = Arc::new(Browser::login(&base).await);

    // The client: a klaagschrift, then a letter on it, again and again; down or not.
    let acked = Arc::new(Mutex::new(Acked::default()));
    let stop = Arc::new(AtomicBool::new(false));
    // Two of them, so that a kill also catches one request mid-commit while another waits.
    let clients: Vec<_> = (0..2)
        .map(|w| {
            let (acked, stop, browser, base) = (acked.clone(), stop.clone(), browser.clone(), base.clone());
            tokio::spawn(async move {
                let mut n = w * 100_000;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    match browser.register(&base, n).await {
                        Ok(zaak) => {
                            acked.lock().unwrap().cases.push(zaak.clone());
                            let marker = format!("L{n}-{}", hex::encode(rand::random::<[u8; 4]>()));
                            match browser.letter(&base, &zaak, &marker).await {
                                Ok(()) => acked.lock().unwrap().letters.push((zaak, marker)),
                                Err(e) => record(&acked, e),
                            }
                        }
                        Err(e) => {
                            record(&acked, e);
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
            })
        })
        .collect();

    let rounds = 5;
    for round in 0..rounds {
        let wait = rng.random_range(800..4000);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.kill();
        println!("round {round}: SIGKILL after {wait} ms, {} cases confirmed", acked.lock().unwrap().cases.len());
        // Down for a moment, as a real crash would be; the client keeps trying.
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..300))).await;
        server = Server::start(dir.path(), &db.url, port, sink.port, &key).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.await.unwrap();
    }
    server.kill(); // the last kill: the worker may be mid-delivery here too

    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(acked.http_errors.is_empty(), "requests answered with an error: {:#?}", acked.http_errors);
    assert!(acked.cases.len() >= rounds, "the client got work done between the kills: {}", acked.cases.len());

    // The clock passes the killed workers' leases (five minutes), with no server running.
    let stale = conn
        .execute_raw(klachtencommissie::db::stmt(
            conn.get_database_backend(),
            "UPDATE outbox SET lease_until = $1 WHERE status = 'wachtend' AND lease_until IS NOT NULL",
            vec![(chrono::Utc::now() - chrono::Duration::seconds(1)).into()],
        ))
        .await
        .unwrap()
        .rows_affected();
    println!("{stale} message(s) held by a killed worker's lease");
    let mut server = Server::start(dir.path(), &db.url, port, sink.port, &key).await;
    let outbox = drain(&conn, outbox_before, Duration::from_secs(60)).await;
    // The sink answers 250 before the worker marks the row sent; give that last write a moment
    // to land before the final kill.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill();
    let audit = verify_audit(dir.path(), &db.url);
    for l in logged_errors(dir.path()) {
        println!("server error: {l}");
    }

    // Every confirmed case and letter is there, whole.
    let cases = check_cases_whole(&conn, before).await;
    let numbers: HashSet<&str> = cases.iter().map(|c| c.zaaknummer.as_str()).collect();
    for z in &acked.cases {
        assert!(numbers.contains(z.as_str()), "confirmed case {z} is in the database");
    }
    assert_eq!(numbers.len(), cases.len(), "no zaaknummer twice");
    let letters = letter::Entity::find().filter(letter::Column::CaseId.gt(before)).all(&conn).await.unwrap();
    for (zaak, marker) in &acked.letters {
        let c = cases.iter().find(|c| &c.zaaknummer == zaak).unwrap();
        let found: Vec<_> = letters.iter().filter(|l| l.case_id == c.id && l.body.contains(marker.as_str())).collect();
        assert_eq!(found.len(), 1, "confirmed letter {marker} on {zaak} is in the database once");
    }

    // Delivery: at least once, at most once per claim, exactly once when claimed once.
    let received = received_ids(&sink);
    let known: HashSet<String> = outbox.iter().map(|m| bare(&m.message_id)).collect();
    for id in received.keys() {
        assert!(known.contains(id), "the sink received {id}, which is no outbox message");
    }
    let mut repeated = 0;
    for m in &outbox {
        let n = received.get(&bare(&m.message_id)).copied().unwrap_or(0);
        assert!(n >= 1, "outbox message {} ({}) was never received", m.id, m.message_id);
        assert!(
            n <= m.attempts.max(1) as usize,
            "outbox message {} received {n} times in {} claim(s): a double delivery",
            m.id,
            m.attempts
        );
        if m.attempts <= 1 {
            assert_eq!(n, 1, "outbox message {} claimed once, received {n} times", m.id);
        }
        if n > 1 {
            println!("repeat: outbox {} {} received {n} times in {} claims", m.id, m.message_id, m.attempts);
        }
        repeated += n - 1;
    }
    // One worker per process delivers one message at a time: at most one repeat per kill (the
    // rounds, and the kill that ends the client phase).
    let kills = rounds + 1;
    assert!(repeated <= kills, "{repeated} repeat deliveries for {kills} kills");
    let digests = digest_run::Entity::find().count(&conn).await.unwrap();
    assert!(digests <= 1, "the day's digest written once, not {digests} times");
    println!(
        "kill_nine ({backend:?}): {kills} kills, {} cases and {} letters confirmed, {} cases in the database, \
         {} requests cut off (last: {:?}), {} outbox messages, {repeated} delivered again after a kill (same Message-ID), \
         {audit} ({:.1} s)",
        acked.cases.len(),
        acked.letters.len(),
        cases.len(),
        acked.connection_errors,
        acked.last_connection_error,
        outbox.len(),
        started.elapsed().as_secs_f64()
    );
}

fn record(acked: &Mutex<Acked>, e: Failure) {
    let mut a = acked.lock().unwrap();
    match e {
        Failure::Connection(e) => {
            a.connection_errors += 1;
            a.last_connection_error = Some(e);
        }
        Failure::Http(status, body) => a.http_errors.push(format!("{status}: {body}")),
    }
}

crate::on_both!(kill_nine_mid_write, kill_nine);

// ---- B: two instances on one PostgreSQL ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres() {
    let Some(pg) = postgres_base() else {
        eprintln!("two-instance fault test not run: set KC_TEST_POSTGRES (the CI does)");
        return;
    };
    let started = Instant::now();
    let db = TestDb::postgres(&pg).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    load_demo(dir_a.path(), &db.url);
    let conn = klachtencommissie::db::connect(&db.url).await.unwrap();
    let before = max_case_id(&conn).await;
    let outbox_before = max_outbox_id(&conn).await;
    let sink = SmtpSink::start().await;
    let key = session_key();
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = Server::start(dir_a.path(), &db.url, port_a, sink.port, &key).await;
    let mut b = Server::start(dir_b.path(), &db.url, port_b, sink.port, &key).await;
    let bases = [format!("http://127.0.0.1:{port_a}"), format!("http://127.0.0.1:{port_b}")];

    // Four browsers, two signed in on each instance, each alternating between both (one
    // SESSION_KEY: a session is valid on either).
    let per_client = 8;
    let counter = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for i in 0..4 {
        let browser = Browser::login(&bases[i % 2]).await;
        let (bases, counter) = (bases.clone(), counter.clone());
        clients.push(tokio::spawn(async move {
            let mut done = Vec::new();
            for k in 0..per_client {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let base = &bases[(i + k) % 2];
                let zaak = browser.register(base, n).await.unwrap_or_else(|e| panic!("register on {base}: {e:?}"));
                let marker = format!("B{n}");
                browser
                    .letter(&bases[(i + k + 1) % 2], &zaak, &marker)
                    .await
                    .unwrap_or_else(|e| panic!("letter: {e:?}"));
                done.push(zaak);
            }
            done
        }));
    }
    // Meanwhile the beheerder adds study days to school 1's calendar on both instances: each
    // change recomputes the running deadlines of the school's cases in its transaction.
    let study_days: Vec<chrono::NaiveDate> = (14..60)
        .map(|d| chrono::Utc::now().date_naive() + chrono::Duration::days(d))
        .filter(|d| chrono::Datelike::weekday(d).number_from_monday() <= 5)
        .take(8)
        .collect();
    let mut admins = Vec::new();
    for (i, base) in bases.iter().enumerate() {
        let mut admin = crate::common::Client::login(base, "beheerder@demo.nl").await;
        let days: Vec<String> = study_days.iter().skip(i).step_by(2).map(|d| d.to_string()).collect();
        admins.push(tokio::spawn(async move {
            for day in days {
                let fields =
                    [("kind", ""), ("name", "Studiedag"), ("start_on", day.as_str()), ("end_on", day.as_str())];
                let r = admin.post_form("/beheer/scholen/1/vakanties", &fields).await;
                assert_eq!(r.status(), 303, "study day {day}: {}", r.text().await.unwrap());
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
        }));
    }
    let mut confirmed = Vec::new();
    for c in clients {
        confirmed.extend(c.await.unwrap());
    }
    for a in admins {
        a.await.unwrap();
    }
    let outbox = drain(&conn, outbox_before, Duration::from_secs(60)).await;
    // A last pass of both workers (5 s poll) over whatever was marked meanwhile.
    tokio::time::sleep(Duration::from_secs(1)).await;
    a.kill();
    b.kill();
    let audit = verify_audit(dir_a.path(), &db.url);

    // Zaaknummers: unique and without gaps after the demo's last one.
    let cases = check_cases_whole(&conn, before).await;
    assert_eq!(cases.len(), confirmed.len(), "every request made one case");
    let unique: HashSet<&str> = confirmed.iter().map(String::as_str).collect();
    assert_eq!(unique.len(), confirmed.len(), "no zaaknummer given twice: {confirmed:?}");
    let mut per_year: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for z in &confirmed {
        let (year, seq) = z.split_once('-').unwrap_or_else(|| panic!("zaaknummer {z}"));
        per_year.entry(year.to_owned()).or_default().push(seq.parse().unwrap());
    }
    for (year, mut seqs) in per_year {
        seqs.sort_unstable();
        for w in seqs.windows(2) {
            assert_eq!(w[1], w[0] + 1, "zaaknummers of {year} contiguous: {seqs:?}");
        }
    }
    let letters = letter::Entity::find()
        .filter(letter::Column::CaseId.gt(before))
        .filter(letter::Column::Kind.eq("vrije_brief"))
        .count(&conn)
        .await
        .unwrap();
    assert_eq!(letters as usize, confirmed.len(), "one letter per confirmed request");

    // Every message received exactly once: no process died, so no repeat is allowed.
    let received = received_ids(&sink);
    let known: HashSet<String> = outbox.iter().map(|m| bare(&m.message_id)).collect();
    for (id, n) in &received {
        assert!(known.contains(id), "the sink received {id}, which is no outbox message");
        assert_eq!(*n, 1, "message {id} received {n} times");
    }
    for m in &outbox {
        assert!(received.contains_key(&bare(&m.message_id)), "outbox message {} never received", m.id);
        assert_eq!(m.attempts, 1, "outbox message {} claimed {} times", m.id, m.attempts);
    }

    // Deadlines recomputed once per calendar change, never from a stale calendar: per new
    // case, the hearing term's `termijn.herberekend` entries chain from the date it was opened
    // with (`was` is the previous `wordt`) to the date stored now; and a recomputation with the
    // final calendars (rolled back) changes nothing anywhere.
    let entries = audit_entry::Entity::find().filter(audit_entry::Column::CaseId.gt(before)).all(&conn).await.unwrap();
    let mut moves = 0;
    for c in &cases {
        let mut own: Vec<&audit_entry::Model> = entries.iter().filter(|e| e.case_id == Some(c.id)).collect();
        own.sort_by_key(|e| e.seq);
        let detail = |e: &audit_entry::Model| serde_json::from_str::<serde_json::Value>(&e.detail).unwrap();
        let hearing = klachtencommissie::domain::deadline::DeadlineKind::Hoorzitting.label();
        let opened = own
            .iter()
            .map(|e| (e, detail(e)))
            .find(|(e, d)| e.action == "termijn.gestart" && d["termijn"] == hearing)
            .unwrap_or_else(|| panic!("{}: hearing term opened", c.zaaknummer));
        let mut due = opened.1["uiterlijk"].clone();
        for e in own.iter().filter(|e| e.action == "termijn.herberekend") {
            let d = detail(e);
            assert_eq!(d["was"], due, "{}: recomputed from the date it had (entry {})", c.zaaknummer, e.seq);
            assert_ne!(d["was"], d["wordt"], "{}: an entry that moved nothing", c.zaaknummer);
            due = d["wordt"].clone();
            moves += 1;
        }
        let stored = deadline::Entity::find()
            .filter(deadline::Column::CaseId.eq(c.id))
            .filter(deadline::Column::Kind.eq("hoorzitting"))
            .one(&conn)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(due, serde_json::json!(stored.due_on), "{}: the stored date is the last one audited", c.zaaknummer);
    }
    let check = {
        let mut tx = klachtencommissie::audit::WriteTx::begin(&conn, klachtencommissie::audit::Actor::system("test"))
            .await
            .unwrap();
        klachtencommissie::deadlines::recompute(&mut tx, None, "controle").await.unwrap()
        // dropped: rolled back
    };
    assert_eq!(check.changed, 0, "every running deadline matches the final calendars: {check:?}");
    let changes = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("kalender.school_gewijzigd"))
        .count(&conn)
        .await
        .unwrap();

    // The periodic job (the daily digest) ran once between the two instances: one run row,
    // one audit entry, as many reminders as the row says.
    let runs = digest_run::Entity::find().all(&conn).await.unwrap();
    assert!(runs.len() <= 1, "the day's digest written once: {runs:?}");
    let digest_entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("termijnenoverzicht.verstuurd"))
        .count(&conn)
        .await
        .unwrap();
    assert_eq!(digest_entries as usize, runs.len(), "one audit entry per digest run");
    let reminders = outbox.iter().filter(|m| m.purpose == "herinnering").count();
    assert_eq!(reminders as i32, runs.iter().map(|r| r.messages).sum::<i32>(), "the digest's messages queued once");
    println!(
        "two_instances: {} cases on 2 instances, zaaknummers {:?}..{:?}, {} messages each delivered once, \
         {} digest run(s) with {reminders} reminder(s), {moves} deadline moves on the new cases from \
         {changes} calendar change(s), {audit} ({:.1} s)",
        confirmed.len(),
        cases.iter().map(|c| &c.zaaknummer).min(),
        cases.iter().map(|c| &c.zaaknummer).max(),
        outbox.len(),
        runs.len(),
        started.elapsed().as_secs_f64()
    );
}

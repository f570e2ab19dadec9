//! The binary's command line, run as a user would.

use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_klachtencommissie"))
}

#[test]
fn migrate_demo_user_add_and_verify_audit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str]| bin().args(args).args(["--data-dir", data]).output().unwrap();

    assert!(run(&["migrate"]).status.success());
    let demo = run(&["demo"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let again = run(&["demo"]);
    assert!(!again.status.success(), "demo data only goes into an empty database");
    assert!(String::from_utf8_lossy(&again.stderr).contains("empty database"));

    let mut child = bin()
        .args([
            "user",
            "add",
            "--email",
            "nieuw@voorbeeld.nl",
            "--name",
            "Nieuwe Secretaris",
            "--role",
            "secretaris",
            "--data-dir",
            data,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"een-lang-wachtwoord\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mut child = bin()
        .args(["user", "add", "--email", "kort@voorbeeld.nl", "--name", "X", "--role", "bestuur", "--data-dir", data])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"kort\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("password: Het wachtwoord moet minstens 10 tekens lang zijn.") && err.contains("board_id:"),
        "{err}"
    );

    let ok = run(&["verify-audit"]);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Audit log intact"));

    // Tamper with the file directly, as someone with disk access could.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let db =
            klachtencommissie::db::connect(&klachtencommissie::config::default_database_url(dir.path())).await.unwrap();
        db.execute_unprepared("UPDATE audit_log SET actor = 'iemand anders' WHERE seq = 2").await.unwrap();
    });
    let broken = run(&["verify-audit"]);
    assert!(!broken.status.success());
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("entry 2 was changed"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
}

#[test]
fn help_lists_every_command() {
    let out = bin().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "serve",
        "migrate",
        "demo",
        "user",
        "verify-audit",
        "bezorg",
        "purge",
        "backup",
        "restore",
        "--data-dir",
        "--database-url",
    ] {
        assert!(text.contains(cmd), "--help lacks {cmd}");
    }
}

#[test]
fn termijn_prints_the_date_first_and_fails_precisely() {
    let out =
        bin().args(["termijn", "--vanaf", "2026-10-15", "--duur", "2 weken", "--regio", "midden"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().next(), Some("2026-11-09"));
    assert!(text.contains("Algemene termijnenwet art. 1"));

    let json = bin()
        .args(["termijn", "--vanaf", "2026-10-15", "--duur", "2 weken", "--regio", "midden", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["deadline"], "2026-11-09");

    let missing =
        bin().args(["termijn", "--vanaf", "2030-07-20", "--duur", "4 weken", "--regio", "zuid"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("2030-2031"));

    let bad = bin().args(["termijn", "--vanaf", "gisteren", "--duur", "2 weken", "--regio", "zuid"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--vanaf"));
}

/// A server process that is killed (SIGKILL) when dropped, also when a test fails.
struct Server(std::process::Child);

impl Server {
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `serve` on a free port and waits until it answers.
fn start_server(data: &str) -> (Server, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = bin()
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir", data])
        .env_remove("SMTP_HOST")
        .env_remove("DATABASE_URL")
        .env("LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let child = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    (child, base)
}

fn eml_files(data: &std::path::Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(data.join("mail")) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "eml")).collect(),
        Err(_) => vec![],
    }
}

/// The README's start command as a new user runs it: registering a klaagschrift sends the
/// acknowledgement, which the server's own worker writes to the mail folder. After a kill -9
/// and a restart it is not sent again, and the audit chain is intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_writes_the_acknowledgement_to_the_mail_folder_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let (mut server, base) = start_server(&data);
    let mut c = crate::common::Client::login(&base, "secretaris@demo.nl").await;
    let form = reqwest::multipart::Form::new()
        .text("received_on", "2026-11-20")
        .text("arrival", "email")
        .text("school_id", "1")
        .text("subject", "Klacht over de overblijf")
        .text("p0_role", "klager")
        .text("p0_name", "Ilse Bos")
        .text("p0_email", "ilse@example.nl")
        .text("acknowledge", "ja");
    let r = c.post_multipart("/zaken", form).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let zaak = r.headers()["location"].to_str().unwrap().trim_start_matches("/zaken/").to_owned();

    // The folder also holds the day's digests (the demo has deadlines due); the
    // acknowledgement is the message that names the new case.
    let acknowledgements = || -> Vec<String> {
        eml_files(dir.path())
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .filter(|raw| raw.contains(&format!("ons kenmerk {zaak}")))
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let found = loop {
        let f = acknowledgements();
        if !f.is_empty() || std::time::Instant::now() > deadline {
            break f;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(found.len(), 1, "the worker delivered the acknowledgement");
    let raw = &found[0];
    assert!(raw.contains(&zaak) && raw.contains("ilse@example.nl") && raw.contains("Message-ID: <kc."), "{raw}");
    let (_, outbox) = c.get_text("/brieven").await;
    assert!(outbox.contains("geen mailserver ingesteld") && outbox.contains("Verzonden"), "{outbox}");

    let before = eml_files(dir.path()).len();
    server.kill(); // SIGKILL
    let (mut server, _) = start_server(&data);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(acknowledgements().len(), 1, "not sent again after the restart");
    assert_eq!(eml_files(dir.path()).len(), before, "nor anything else, the digest included");
    server.kill();

    let out = bin().args(["bezorg", "--data-dir", &data]).env_remove("SMTP_HOST").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("Verzonden: 0,"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bin().args(["verify-audit", "--data-dir", &data]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// SIGTERM (systemd's and `kill`'s default) stops the server gracefully: it exits with
/// success instead of being killed by the signal.
#[test]
fn sigterm_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = bin()
        .args(["serve", "--no-demo", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let up = (0..600).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(up, "the server listens");
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = (0..200)
        .find_map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            child.try_wait().unwrap()
        })
        .expect("the server stops within 10 s of SIGTERM");
    assert!(status.success(), "a graceful stop exits with success, not by the signal: {status:?}");
}

/// Two instances started at once on an empty PostgreSQL database: both migrate successfully
/// (one waits for the other's advisory lock), each migration is applied once and the reference
/// data is loaded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_prepare_an_empty_postgres_at_once() {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let Some(base) = crate::common::postgres_base() else {
        eprintln!("PostgreSQL tests not run: set KC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432 (the CI does)");
        return;
    };
    let admin = Database::connect(format!("{base}/postgres")).await.expect("PostgreSQL reachable at KC_TEST_POSTGRES");
    let count = async |db: &sea_orm::DatabaseConnection, sql: &str| -> i64 {
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    };
    let mut reference: Option<(i64, i64)> = None;
    // Round 0 migrates alone and gives the reference counts; the others start two at once.
    for round in 0..3 {
        let name = format!("kc_test_{}", hex::encode(rand::random::<[u8; 6]>()));
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
        let url = format!("{base}/{name}");
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let children: Vec<_> = dirs
            .iter()
            .take(if round == 0 { 1 } else { 2 })
            .map(|d| {
                bin()
                    .args(["migrate", "--database-url", &url, "--data-dir"])
                    .arg(d.path())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "both migrate: {}", String::from_utf8_lossy(&out.stderr));
        }
        let db = Database::connect(url.as_str()).await.unwrap();
        let applied = count(&db, "SELECT COUNT(*) FROM seaql_migrations").await;
        let distinct = count(&db, "SELECT COUNT(DISTINCT version) FROM seaql_migrations").await;
        assert_eq!(applied, distinct, "each migration applied once");
        let holidays = count(&db, "SELECT COUNT(*) FROM holiday_periods").await;
        let templates = count(&db, "SELECT COUNT(*) FROM letter_templates").await;
        // The reference data is loaded once, as when one instance migrates alone.
        match reference {
            None => reference = Some((holidays, templates)),
            Some(r) => assert_eq!(r, (holidays, templates)),
        }
        assert!(holidays > 0);
        db.close().await.ok();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    }
}

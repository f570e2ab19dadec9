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
    for cmd in ["serve", "migrate", "demo", "user", "verify-audit", "--data-dir", "--database-url"] {
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

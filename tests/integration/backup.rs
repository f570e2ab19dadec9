//! Backup and restore through the binary (issue 10): a backup made while klaagschriften are
//! being registered is consistent, the restored copy passes `verify-audit` and holds every
//! case committed before the backup began; bad copies and existing files are refused.

use crate::common::simple_case;
use klachtencommissie::audit::{Actor, WriteTx};
use klachtencommissie::cases::register::{NewCase, register};
use klachtencommissie::domain::case::Arrival;
use klachtencommissie::entities::{case, school};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

fn bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_klachtencommissie")).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

async fn zaaknummers(db: &DatabaseConnection) -> Vec<String> {
    case::Entity::find()
        .order_by_asc(case::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.zaaknummer)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_while_writing_restores_intact() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_s = data.to_str().unwrap().to_owned();
    assert!(bin(&["demo", "--data-dir", &data_s]).status.success());
    let db = klachtencommissie::db::connect(&klachtencommissie::config::default_database_url(&data)).await.unwrap();
    let school = school::Entity::find().one(&db).await.unwrap().unwrap().id;

    // A writer registers klaagschriften, each with its audit entry, all through the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let mut tx = WriteTx::begin(&db, Actor::system("test")).await.unwrap();
                let new = NewCase {
                    arrival: Arrival::Email,
                    ..simple_case(
                        school,
                        chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                        format!("Klacht tijdens de back-up {n}"),
                        format!("Ouder {n}"),
                    )
                };
                register(&mut tx, new).await.unwrap();
                tx.commit().await.unwrap();
                n += 1;
            }
            n
        })
    };
    while case::Entity::find().count(&db).await.unwrap() < 25 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let committed_before = zaaknummers(&db).await;
    let copy = dir.path().join("kopie.db");
    let copy_s = copy.to_str().unwrap().to_owned();
    let out = {
        let (copy_s, data_s) = (copy_s.clone(), data_s.clone());
        tokio::task::spawn_blocking(move || bin(&["backup", "--to", &copy_s, "--data-dir", &data_s])).await.unwrap()
    };
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("keten intact"), "{}", text(&out));
    assert!(written > 5, "the writer kept writing ({written} cases)");

    // PostgreSQL has its own tools; nothing is opened.
    let pg = bin(&["backup", "--to", "x.db", "--database-url", "postgres://postgres@127.0.0.1:1/niets"]);
    assert!(!pg.status.success());
    assert!(text(&pg).contains("pg_dump"), "{}", text(&pg));

    // A backup never overwrites.
    let again = bin(&["backup", "--to", &copy_s, "--data-dir", &data_s]);
    assert!(!again.status.success());
    assert!(text(&again).contains("bestaat al"), "{}", text(&again));

    // Restored into a new data directory: the chain verifies and every case committed before
    // the backup began is there.
    let restored = dir.path().join("hersteld");
    let restored_s = restored.to_str().unwrap().to_owned();
    let out = bin(&["restore", "--from", &copy_s, "--data-dir", &restored_s]);
    assert!(out.status.success(), "{}", text(&out));
    let verify = bin(&["verify-audit", "--data-dir", &restored_s]);
    assert!(verify.status.success(), "{}", text(&verify));
    let rdb =
        klachtencommissie::db::connect(&klachtencommissie::config::default_database_url(&restored)).await.unwrap();
    let in_copy = zaaknummers(&rdb).await;
    assert!(in_copy.len() >= committed_before.len());
    assert_eq!(in_copy[..committed_before.len()], committed_before[..]);
    let original = zaaknummers(&db).await;
    assert_eq!(in_copy[..], original[..in_copy.len()], "the copy is a prefix of the original: a consistent moment");
    rdb.close().await.ok();

    // Over an existing database only with --replace, which keeps the old one.
    let out = bin(&["restore", "--from", &copy_s, "--data-dir", &restored_s]);
    assert!(!out.status.success());
    assert!(text(&out).contains("--replace"), "{}", text(&out));
    let out = bin(&["restore", "--from", &copy_s, "--data-dir", &restored_s, "--replace"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("voor-herstel-"), "{}", text(&out));
    let kept = std::fs::read_dir(&restored)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("voor-herstel-"))
        .count();
    assert!(kept >= 1);

    // A damaged copy is refused before anything changes.
    let bad = dir.path().join("kapot.db");
    std::fs::write(&bad, b"dit is geen database").unwrap();
    let out = bin(&["restore", "--from", bad.to_str().unwrap(), "--data-dir", &restored_s, "--replace"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("kapot.db"), "{}", text(&out));
    let verify = bin(&["verify-audit", "--data-dir", &restored_s]);
    assert!(verify.status.success(), "the restored database is untouched");

    // A copy whose audit log was altered is refused as well.
    let tampered = dir.path().join("gewijzigd.db");
    std::fs::copy(&copy, &tampered).unwrap();
    {
        use sea_orm::ConnectionTrait;
        let t = klachtencommissie::db::connect(&format!("sqlite://{}", tampered.display())).await.unwrap();
        t.execute_unprepared("UPDATE audit_log SET actor = 'iemand anders' WHERE seq = 3").await.unwrap();
        t.close().await.ok();
    }
    let out = bin(&["restore", "--from", tampered.to_str().unwrap(), "--data-dir", &restored_s, "--replace"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("auditlog") && text(&out).contains("entry 3"), "{}", text(&out));
}

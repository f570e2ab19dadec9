//! Deadline engine benchmark: computations per second for a four-week and a two-month term
//! across school holidays (one core), and the time to recompute the running deadlines of
//! 100,000 cases after a calendar change, on the embedded SQLite.
//!
//! Run: `cargo bench --bench termijnen` (optionally `-- --cases 20000` for a quicker run).

use chrono::{Days, NaiveDate};
use klachtencommissie::audit::{Actor, WriteTx};
use klachtencommissie::domain::case::Region;
use klachtencommissie::domain::holidays;
use klachtencommissie::domain::school_calendar::official_calendar;
use klachtencommissie::domain::termijn::{Calendars, Rules, Term, Unit, compute};
use sea_orm::{ConnectionTrait, TransactionTrait};
use std::hint::black_box;
use std::time::Instant;

fn engine(label: &str, term: Term, n: u32) {
    let general = holidays::shipped();
    let cals: Vec<_> = Region::ALL.iter().map(|r| official_calendar(*r)).collect();
    let start = NaiveDate::from_ymd_opt(2024, 8, 1).unwrap();
    // Events spread over 2024-2030 so that most terms cross a holiday or a weekend end.
    let events: Vec<NaiveDate> = (0..n).map(|i| start + Days::new(u64::from(i.wrapping_mul(7919) % 2000))).collect();
    // Warm up.
    for e in events.iter().take(10_000) {
        black_box(
            compute(*e, term, Rules::REGLEMENT, Calendars { general: &general, school: Some(&cals[0]) }).unwrap(),
        );
    }
    let t = Instant::now();
    for (i, e) in events.iter().enumerate() {
        let school = &cals[i % 3];
        black_box(compute(*e, term, Rules::REGLEMENT, Calendars { general: &general, school: Some(school) }).unwrap());
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "| engine: {label} | {n} computations | {:.0} ns each | {:.2} million/s |",
        secs * 1e9 / f64::from(n),
        f64::from(n) / secs / 1e6
    );
}

async fn recompute(cases: u32) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = klachtencommissie::config::default_database_url(dir.path());
    let db = klachtencommissie::db::connect(&url).await?;
    klachtencommissie::db::prepare(&db).await?;
    db.execute_unprepared(
        "INSERT INTO boards (name, address, affiliated_on) VALUES ('Bestuur', 'Adres', '2020-01-01')",
    )
    .await?;
    for (i, region) in ["noord", "midden", "zuid"].iter().cycle().take(30).enumerate() {
        db.execute_unprepared(&format!(
            "INSERT INTO schools (board_id, name, address, place, region, sector) VALUES (1, 'School {i}', 'Adres', 'Plaats', '{region}', 'PO')"
        ))
        .await?;
    }
    let t = Instant::now();
    let start = NaiveDate::from_ymd_opt(2024, 9, 1).unwrap();
    let txn = db.begin().await?;
    for chunk in (0..cases).collect::<Vec<_>>().chunks(500) {
        let mut c = String::from(
            "INSERT INTO cases (id, zaaknummer, year, received_on, school_id, board_id, status, subject, arrival, created_at, updated_at) VALUES ",
        );
        let mut d = String::from(
            "INSERT INTO deadlines (case_id, kind, event_on, term, backward, skip_school_holidays, urgent, due_on, explanation, status, created_at, updated_at) VALUES ",
        );
        for (j, i) in chunk.iter().enumerate() {
            let received = start + Days::new(u64::from(i % 1800));
            let sep = if j == 0 { "" } else { "," };
            let id = i + 1;
            c.push_str(&format!(
                "{sep}({id}, 'B-{id:07}', 2025, '{received}', {}, 1, 'ontvangen', 'Klacht', 'post', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                i % 30 + 1
            ));
            d.push_str(&format!(
                "{sep}({id}, 'hoorzitting', '{received}', '2 maanden', false, true, false, NULL, '{{}}', 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
            ));
        }
        txn.execute_unprepared(&c).await?;
        txn.execute_unprepared(&d).await?;
    }
    txn.commit().await?;
    println!("| setup: {cases} cases with a running hearing term | {:.1} s | | |", t.elapsed().as_secs_f64());

    // First computation of every deadline (a calendar was added for all schools).
    let t = Instant::now();
    let mut tx = WriteTx::begin(&db, Actor::system("bench")).await?;
    let report = klachtencommissie::deadlines::recompute(&mut tx, None, "benchmark").await?;
    tx.commit().await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "| recompute after a calendar change: {} deadlines checked, {} changed (each audited) | {secs:.1} s | {:.0} µs per deadline | |",
        report.checked,
        report.changed,
        secs * 1e6 / report.checked.max(1) as f64
    );
    // A change that moves nothing: only the checking cost.
    let t = Instant::now();
    let mut tx = WriteTx::begin(&db, Actor::system("bench")).await?;
    let report = klachtencommissie::deadlines::recompute(&mut tx, None, "benchmark").await?;
    tx.commit().await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "| recompute with nothing changed: {} checked, {} changed | {secs:.1} s | | |",
        report.checked, report.changed
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let cases: u32 = args
        .iter()
        .position(|a| a == "--cases")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!("| what | size | time | rate |");
    println!("|---|---|---|---|");
    engine("4 weken, school holidays skipped", Term::new(4, Unit::Weeks), 2_000_000);
    engine("2 maanden, school holidays skipped", Term::new(2, Unit::Months), 2_000_000);
    engine("5 werkdagen", Term::new(5, Unit::WorkingDays), 2_000_000);
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(recompute(cases))
}

//! Letters benchmark: laying out a letter as PDF, composing letters on a case (template, PDF,
//! document, letter, outbox row and audit entry in one transaction), and the outbox worker
//! draining messages to the mail folder, on the embedded SQLite; and the advies as PDF with its
//! signature made and checked.
//!
//! Run: `cargo bench --bench brieven` (optionally `-- --letters 100`).

use klachtencommissie::audit::{Actor, WriteTx};
use klachtencommissie::domain::letter::{LetterKind, Values};
use klachtencommissie::letters::compose::{To, send};
use klachtencommissie::outbox::transport::Transport;
use klachtencommissie::outbox::worker::Worker;
use klachtencommissie::pdf::{LetterLayout, Letterhead, render};
use sea_orm::EntityTrait;
use std::sync::Arc;
use std::time::Instant;

fn layout(i: usize) -> LetterLayout {
    LetterLayout {
        head: Letterhead {
            name: "Onafhankelijke Klachtencommissie Katholiek Onderwijs".into(),
            lines: vec!["Lindenhoflaan 12".into(), "3521 KL Utrecht".into(), "Telefoon 030-2345678".into()],
        },
        recipient: vec![format!("Ontvanger {i}"), "Kerkstraat 8".into(), "3511 AA Utrecht".into()],
        kenmerk: format!("2026-{:04}", i % 10_000),
        date: "Utrecht, 23 november 2026".into(),
        subject: "Ontvangstbevestiging van uw klaagschrift".into(),
        // About one and a half pages of text.
        paragraphs: (0..9)
            .map(|p| {
                vec![format!(
                    "Alinea {p}. {}",
                    "De commissie beoordeelt eerst of het klaagschrift volledig is. ".repeat(6)
                )]
            })
            .collect(),
        sign_name: "Mr. S. Verhoef".into(),
        sign_role: "secretaris".into(),
    }
}

fn pdf(n: usize) {
    render(&[layout(0)]).unwrap(); // warm up: fonts parsed once
    let t = Instant::now();
    for i in 0..n {
        std::hint::black_box(render(&[layout(i)]).unwrap());
    }
    let each = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!("| one letter as PDF (2 pages) | {n} letters | {each:.1} ms each |");
    let batch: Vec<_> = (0..50).map(layout).collect();
    let t = Instant::now();
    let bytes = render(&batch).unwrap();
    println!(
        "| post batch of 50 letters, one PDF | {:.0} ms | {} kB |",
        t.elapsed().as_secs_f64() * 1000.0,
        bytes.len() / 1024
    );
}

/// The advies (Art 25): its PDF, and a signature made and checked (Ed25519 JWS).
fn advies(n: usize) {
    use klachtencommissie::domain::advies::{SignatureClaims, verify};
    use klachtencommissie::pdf::{AdviesLayout, render_advies};
    let text = "De commissie overweegt als volgt. ".repeat(40);
    let a = AdviesLayout {
        head: layout(0).head,
        title: "Advies".into(),
        zaaknummer: "2026-0001".into(),
        date: "Utrecht, 23 november 2026".into(),
        note: String::new(),
        sections: ["A. Partijen", "B. De klacht", "C. Het oordeel", "D. Vastgesteld door"]
            .iter()
            .map(|h| ((*h).to_owned(), vec![vec![text.clone()], vec![text.clone()]]))
            .collect(),
        signers: vec![("mr. A".into(), "voorzitter".into()), ("De secretaris".into(), "secretaris".into())],
        code: "KC-0000-0001".into(),
        verify_url: "https://klachtencommissie.example/verifieer".into(),
    };
    render_advies(&a).unwrap();
    let t = Instant::now();
    for _ in 0..n / 4 {
        std::hint::black_box(render_advies(&a).unwrap());
    }
    println!(
        "| an advies as PDF (about 3 pages) | {} adviezen | {:.1} ms each |",
        n / 4,
        t.elapsed().as_secs_f64() * 1000.0 / (n / 4) as f64
    );
    let key = klachtencommissie::signing::AdviesKey::from_seed([3; 32]).unwrap();
    let claims = SignatureClaims {
        zaaknummer: "2026-0001".into(),
        sha256: "ab".repeat(32),
        signer: "mr. A".into(),
        role: "voorzitter".into(),
        iat: 1_790_000_000,
        code: "KC-0000-0001".into(),
    };
    let t = Instant::now();
    for _ in 0..n {
        let jws = key.sign(&claims).unwrap();
        std::hint::black_box(verify(&key.public, &jws, &claims.sha256, &claims.zaaknummer).unwrap());
    }
    println!(
        "| sign and verify an advies signature (EdDSA JWS) | {n} signatures | {:.0} µs each |",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}

async fn compose_and_deliver(n: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = klachtencommissie::db::connect(&klachtencommissie::config::default_database_url(dir.path())).await?;
    klachtencommissie::db::prepare(&db).await?;
    klachtencommissie::demo::load(&db, &klachtencommissie::signing::AdviesKey::from_seed([1; 32])?).await?;
    let case = klachtencommissie::entities::case::Entity::find().one(&db).await?.expect("demo case");
    let t = Instant::now();
    for i in 0..n {
        let mut tx = WriteTx::begin(&db, Actor::system("bench")).await?;
        let mut extra = Values::new();
        extra.insert("tekst", format!("Brief nummer {i}."));
        send(&mut tx, &case, LetterKind::VrijeBrief, To::Board, extra).await?;
        tx.commit().await?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "| compose a letter: template, PDF, dossier, outbox, audit, commit | {n} letters | {:.1} ms each |",
        secs * 1000.0 / n as f64
    );
    let mut worker = Worker::new(db.clone(), Arc::new(Transport::folder(dir.path())));
    worker.batch = 50;
    let t = Instant::now();
    let mut sent = 0;
    loop {
        let pass = worker.run_once().await?;
        sent += pass.sent;
        if pass.handled() == 0 {
            break;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!("| deliver to the mail folder (PDF attached) | {sent} messages | {:.0} per second |", sent as f64 / secs);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n = args
        .iter()
        .position(|a| a == "--letters")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    println!("| what | size | figure |\n|---|---|---|");
    pdf(n);
    advies(n);
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(compose_and_deliver(n))
}

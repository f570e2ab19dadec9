//! `demo --cases N` (issue 10): the demo data plus N generated cases for load runs, spread over
//! the demo's boards, schools, the years since August 2024 and every status, each with its
//! people, its klaagschrift, its hearing term (computed as the application computes it) and
//! its audit entry. Written in batches of multi-row inserts, one transaction per batch, so a
//! hundred thousand cases take seconds, not the hours the use cases one by one would.

use crate::audit::{Actor, WriteTx};
use crate::domain::case::{CaseStatus, ComplaintKind, Outcome};
use crate::domain::deadline::DeadlineKind;
use crate::domain::termijn::{Calendars, Direction};
use crate::domain::zaaknummer::Zaaknummer;
use crate::entities::{case, deadline, document, document_content, party, school};
use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Statement};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const SQLITE_SECURE_DELETE_OFF: &str = "INSERT INTO case_names_fts (case_names_fts, rank) VALUES ('secure-delete', 0)";
const SQLITE_SECURE_DELETE_ON: &str = "INSERT INTO case_names_fts (case_names_fts, rank) VALUES ('secure-delete', 1)";

/// Cases per transaction.
const BATCH: u64 = 1_000;
/// Rows per insert statement: well inside both databases' limits on bound parameters.
const ROWS: usize = 400;

const FIRST_NAMES: &[&str] = &[
    "Anna", "Bram", "Daan", "Eva", "Fleur", "Jesse", "Lotte", "Milan", "Noor", "Sanne", "Thijs", "Yara", "Fatima",
    "Mohammed", "Sem", "Julia", "Lars", "Emma", "Ruben", "Zoë",
];
const SURNAMES: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Boer",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Yilmaz",
    "El Amrani",
    "Kok",
    "Verhoeven",
    "Willems",
];
const ACCUSED: &[&str] = &[
    "Groepsleerkracht",
    "Mentor",
    "Directeur",
    "Intern begeleider",
    "Docent wiskunde",
    "Teamleider onderbouw",
    "Examencommissie",
    "Conciërge",
];
const SUBJECTS: &[&str] = &[
    "Klacht over de begeleiding van een leerling met dyslexie",
    "Klacht over de bejegening door een docent",
    "Klacht over de communicatie rond een schorsing",
    "Klacht over de beoordeling van een schoolexamen",
    "Klacht over de aanpak van pesten in de klas",
    "Klacht over de informatie aan gescheiden ouders",
    "Klacht over het niet uitvoeren van het ontwikkelingsperspectiefplan",
    "Klacht over de verwijdering van een leerling",
];

/// Where a generated case stands, by its age: cases older than eight months are closed (the
/// board decides within four weeks of the advies, art. 14 lid 7 WPO), recent ones mostly open.
fn status_for(rng: &mut StdRng, age_days: i64) -> CaseStatus {
    use CaseStatus::*;
    let roll = rng.random_range(0..100);
    // Keep in step with `open_chance`.
    if age_days > 240 {
        return Afgesloten;
    }
    if age_days > 90 {
        return match roll {
            0..55 => Afgesloten,
            55..60 => AdviesUitgebracht,
            60..70 => AdviesInVoorbereiding,
            70..78 => Beraadslaging,
            78..90 => ZittingGepland,
            _ => Onderzoek,
        };
    }
    match roll {
        0..15 => Ontvangen,
        15..22 => HerstelGevraagd,
        22..50 => Verweer,
        50..68 => Onderzoek,
        68..74 => Schriftelijk,
        74..88 => ZittingGepland,
        88..94 => Afgesloten,
        _ => Beraadslaging,
    }
}

/// The chance that [`status_for`] leaves a case open, by its age in days.
fn open_chance(age_days: i64) -> f64 {
    match age_days {
        a if a > 240 => 0.0,
        a if a > 90 => 0.45,
        _ => 0.94,
    }
}

/// With `--open K`: the chance that a case [`status_for`] leaves open stays open, so that of `n`
/// cases spread evenly over `span_days` about `K` are open and the rest is closed history. A load
/// run then grows the history while the workload stays that of a real commission; without
/// `--open` the open cases grow with `n` (1.0).
pub fn keep_open_chance(n: u64, span_days: i64, open: Option<u64>) -> f64 {
    let Some(open) = open else {
        return 1.0;
    };
    let span = span_days.max(1);
    let share = (0..span).map(open_chance).sum::<f64>() / span as f64;
    let expected = n as f64 * share;
    if expected <= 0.0 { 1.0 } else { (open as f64 / expected).clamp(0.0, 1.0) }
}

fn pick<'a>(rng: &mut StdRng, list: &'a [&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// Adds `n` generated cases to a database that holds the demo data; with `open`, about that
/// many of them open (see [`keep_open_chance`]). `progress` hears the number of cases written
/// after each batch.
pub async fn generate(
    db: &DatabaseConnection,
    n: u64,
    open: Option<u64>,
    progress: &mut dyn FnMut(u64),
) -> anyhow::Result<()> {
    let schools = school::Entity::find().all(db).await?;
    anyhow::ensure!(!schools.is_empty(), "de demodata ontbreken: er zijn geen scholen");
    let general = crate::deadlines::general_holidays(db).await?;
    let calendars = crate::deadlines::school_calendars(db, None).await?;
    let today = crate::admin::today();
    let first = NaiveDate::from_ymd_opt(2024, 8, 19).expect("a date");
    let span = (today - first).num_days().max(1);
    let mut rng = StdRng::seed_from_u64(20_261_130);
    let keep_open = keep_open_chance(n, span, open);

    let max_id = |table: &'static str| async move {
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT MAX(id) FROM {table}")))
            .await?;
        Ok::<i32, sea_orm::DbErr>(row.and_then(|r| r.try_get_by_index::<Option<i32>>(0).ok().flatten()).unwrap_or(0))
    };
    let mut case_id = max_id("cases").await?;
    let mut doc_id = max_id("documents").await?;
    let mut counters: HashMap<i32, i32> = HashMap::new();
    for row in db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT year, last FROM zaaknummer_counters"))
        .await?
    {
        counters.insert(row.try_get_by_index(0)?, row.try_get_by_index(1)?);
    }

    let backend = db.get_database_backend();
    let mut written = 0u64;
    while written < n {
        let count = BATCH.min(n - written);
        let mut cases = Vec::new();
        let mut parties = Vec::new();
        let mut documents = Vec::new();
        let mut contents = Vec::new();
        let mut deadlines = Vec::new();
        let mut audits = Vec::new();
        // Received in date order, so zaaknummers rise with the receipt date within a year.
        let mut days: Vec<i64> = (0..count).map(|_| rng.random_range(0..span)).collect();
        days.sort_unstable();
        for offset in days {
            let received = first + TimeDelta::days(offset);
            let s = &schools[rng.random_range(0..schools.len())];
            let mut status = status_for(&mut rng, (today - received).num_days());
            if status.is_open() && keep_open < 1.0 && rng.random::<f64>() >= keep_open {
                status = CaseStatus::Afgesloten;
            }
            case_id += 1;
            let seq = counters.entry(received.year()).or_insert(0);
            *seq += 1;
            let zaaknummer = Zaaknummer::new(received.year(), *seq).expect("a valid zaaknummer").to_string();
            let closed_on = (status == CaseStatus::Afgesloten)
                .then(|| (received + TimeDelta::days(rng.random_range(20..140))).min(today));
            let outcome = match status {
                CaseStatus::Afgesloten | CaseStatus::AdviesUitgebracht => Some(
                    [Outcome::Gegrond, Outcome::Ongegrond, Outcome::GedeeltelijkGegrond, Outcome::Ingetrokken]
                        [rng.random_range(0..4)],
                ),
                _ => None,
            };
            let klager = format!("{} {}", pick(&mut rng, FIRST_NAMES), pick(&mut rng, SURNAMES));
            let subject = pick(&mut rng, SUBJECTS);
            let now = Utc::now();
            cases.push(case::ActiveModel {
                id: Set(case_id),
                zaaknummer: Set(zaaknummer.clone()),
                year: Set(received.year()),
                received_on: Set(received),
                school_id: Set(s.id),
                board_id: Set(s.board_id),
                status: Set(status.code().to_owned()),
                outcome: Set(outcome.map(|o| o.code().to_owned())),
                subject: Set(subject.to_owned()),
                facts_date: Set(Some(received - TimeDelta::days(rng.random_range(5..120)))),
                arrival: Set(if rng.random_bool(0.6) { "email" } else { "post" }.to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                urgent: Set(false),
                checklist: Set(if status == CaseStatus::Ontvangen { "???????" } else { "1111111" }.to_owned()),
                needs_translation: Set(false),
                awaiting_signature: Set(false),
                signed_by: Set("klager".to_owned()),
                written_consent: Set(if status == CaseStatus::Schriftelijk { "111" } else { "000" }.to_owned()),
                complaint_kind: Set(Some(
                    ComplaintKind::ALL[rng.random_range(0..ComplaintKind::ALL.len())].code().to_owned(),
                )),
                closed_on: Set(closed_on),
                ..Default::default()
            });
            let person = |role: &str, name: String, email: Option<String>| party::ActiveModel {
                case_id: Set(case_id),
                role: Set(role.to_owned()),
                name: Set(name),
                address: Set(None),
                email: Set(email),
                phone: Set(None),
                minor: Set(false),
                ..Default::default()
            };
            let email = format!("ouder{case_id}@voorbeeld.nl");
            parties.push(person("klager", klager.clone(), Some(email)));
            parties.push(person("aangeklaagde", format!("{} ({})", pick(&mut rng, ACCUSED), s.name), None));
            let text = format!(
                "Aan de klachtencommissie,\n\n{subject} op {}.\n\nIk verzoek de commissie mijn klacht te behandelen.\n\n{klager}\n",
                s.name
            );
            doc_id += 1;
            documents.push(document::ActiveModel {
                id: Set(doc_id),
                case_id: Set(case_id),
                title: Set("Klaagschrift".to_owned()),
                file_name: Set("klaagschrift.txt".to_owned()),
                media_type: Set("text/plain".to_owned()),
                size_bytes: Set(text.len() as i64),
                sha256: Set(hex::encode(Sha256::digest(text.as_bytes()))),
                received_on: Set(received),
                registered_by: Set(None),
                registered_at: Set(now),
                restricted: Set(false),
                direction: Set("in".to_owned()),
                restricted_for: Set(None),
                restriction_reason: Set(None),
            });
            contents.push(document_content::ActiveModel { document_id: Set(doc_id), bytes: Set(text.into_bytes()) });
            let cals = Calendars { general: &general, school: calendars.get(&s.id) };
            if let Some((due_on, explanation, rules, term)) =
                crate::deadlines::compute(DeadlineKind::Hoorzitting, received, false, cals)
            {
                // Running until the hearing is held; met (or ended with the case) after it.
                let stage = CaseStatus::ALL.iter().position(|x| *x == status).unwrap_or(0);
                let held = stage >= CaseStatus::ALL.iter().position(|x| *x == CaseStatus::Beraadslaging).unwrap_or(0);
                let (dl_status, dl_closed) = match (held, closed_on) {
                    (true, _) => ("met", due_on.map(|d| d.min(today))),
                    (false, Some(c)) => ("cancelled", Some(c)),
                    (false, None) => ("open", None),
                };
                deadlines.push(deadline::ActiveModel {
                    case_id: Set(case_id),
                    kind: Set(DeadlineKind::Hoorzitting.code().to_owned()),
                    event_on: Set(received),
                    term: Set(term.to_string()),
                    backward: Set(rules.direction == Direction::Backward),
                    skip_school_holidays: Set(rules.skip_school_holidays),
                    urgent: Set(rules.urgent),
                    due_on: Set(due_on),
                    explanation: Set(explanation),
                    status: Set(dl_status.to_owned()),
                    closed_on: Set(dl_closed),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            audits.push((
                Some(case_id),
                json!({ "zaaknummer": zaaknummer, "ontvangen": received, "school": s.name, "status": status.label(), "gegenereerd": true }),
            ));
        }
        let mut tx = WriteTx::begin(db, Actor::system("lastdata")).await?;
        let conn = tx.conn();
        // Each case's second party replaces its entry in the name index (migration 000020);
        // with secure-delete that rewrites the index's pages every time (a load 7 times slower).
        // Off within the batch's transaction, so it is never committed off: the replaced entries
        // are the same case's first name, and the `optimize` below merges their traces away.
        if backend == DbBackend::Sqlite {
            conn.execute_unprepared(SQLITE_SECURE_DELETE_OFF).await?;
        }
        for chunk in cases.chunks(ROWS) {
            case::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
        }
        for chunk in parties.chunks(ROWS) {
            party::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
        }
        for chunk in documents.chunks(ROWS) {
            document::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
        }
        for chunk in contents.chunks(ROWS) {
            document_content::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
        }
        for chunk in deadlines.chunks(ROWS) {
            deadline::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
        }
        tx.audit_many(audits.into_iter().map(|(c, d)| (c, "zaak.geregistreerd", d)).collect()).await?;
        if backend == DbBackend::Sqlite {
            tx.conn().execute_unprepared(SQLITE_SECURE_DELETE_ON).await?;
        }
        tx.commit().await?;
        written += count;
        progress(written);
    }

    // The counters and sequences go on after the generated cases, so the application's own
    // registrations do not collide with them.
    for (year, last) in counters {
        db.execute_raw(crate::db::stmt(
            backend,
            "INSERT INTO zaaknummer_counters (year, last) VALUES ($1, $2) \
             ON CONFLICT (year) DO UPDATE SET last = $2",
            vec![year.into(), last.into()],
        ))
        .await?;
    }
    if backend == DbBackend::Sqlite {
        // One segment per index, without the replaced entries: what automerge would reach
        // over time, and the state a load run should measure.
        db.execute_unprepared("INSERT INTO case_names_fts (case_names_fts) VALUES ('optimize')").await?;
    }
    if backend == DbBackend::Postgres {
        for table in ["cases", "documents"] {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
        // What autovacuum would do a while after a bulk load: statistics for the planner and
        // the visibility map that lets counts read only the index. A load run measures at once.
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn without_open_every_case_keeps_its_status() {
        assert_eq!(keep_open_chance(1_000_000, 800, None), 1.0);
    }

    #[test]
    fn the_chance_matches_the_age_distribution() {
        let mut rng = StdRng::seed_from_u64(7);
        for age in [0, 45, 90, 91, 200, 240, 241, 1000] {
            let open = (0..20_000).filter(|_| status_for(&mut rng, age).is_open()).count() as f64 / 20_000.0;
            assert!((open - open_chance(age)).abs() < 0.02, "age {age}: {open} against {}", open_chance(age));
        }
    }

    proptest! {
        #[test]
        fn about_the_asked_number_stays_open(n in 1u64..2_000_000, span in 1i64..3_000, open in 0u64..5_000) {
            let q = keep_open_chance(n, span, Some(open));
            prop_assert!((0.0..=1.0).contains(&q));
            let share = (0..span).map(open_chance).sum::<f64>() / span as f64;
            let expected_open = n as f64 * share * q;
            if q < 1.0 {
                prop_assert!((expected_open - open as f64).abs() < 1e-6 * open.max(1) as f64);
            } else {
                prop_assert!(expected_open <= open as f64 + 1e-9);
            }
        }
    }
}

//! The ceiling for the case register page: a minimal axum server that reads the same first
//! page of cases with one query and renders it as a maud table, with nothing else of the
//! application (no session, no access checks, no layout, no filters, no count). The load run
//! (`benches/load-run.sh`) measures our `/zaken` against this in the same run and reports the
//! ratio.
//!
//! Run: `cargo bench --bench referentie -- --database-url URL --bind 127.0.0.1:3199`

use axum::{Router, extract::State, routing::get};
use maud::{DOCTYPE, Markup, html};
use sea_orm::{DatabaseConnection, FromQueryResult, Statement};

#[derive(FromQueryResult)]
struct Row {
    zaaknummer: String,
    received_on: chrono::NaiveDate,
    status: String,
    subject: String,
    school_name: String,
    board_name: String,
    klager: Option<String>,
    next_due: Option<chrono::NaiveDate>,
}

/// The register's row query for the first page of all cases (see `cases::search::page`).
const FIRST_PAGE: &str = "SELECT c.zaaknummer, c.received_on, c.status, c.subject, s.name AS school_name, \
    b.name AS board_name, \
    (SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'klager' ORDER BY p.id LIMIT 1) AS klager, \
    (SELECT MIN(d.due_on) FROM deadlines d WHERE d.case_id = c.id AND d.status IN ('open', 'extended')) AS next_due \
    FROM cases c JOIN schools s ON s.id = c.school_id JOIN boards b ON b.id = c.board_id \
    ORDER BY c.received_on DESC, c.id DESC LIMIT 25 OFFSET 0";

async fn first_page(State(db): State<DatabaseConnection>) -> Markup {
    let backend = db.get_database_backend();
    let rows = Row::find_by_statement(Statement::from_string(backend, FIRST_PAGE)).all(&db).await.unwrap_or_default();
    html! {
        (DOCTYPE)
        html lang="nl" {
            head { meta charset="utf-8"; title { "Zakenregister" } }
            body {
                table {
                    thead { tr { th { "Zaak" } th { "Ontvangen" } th { "Fase" } th { "Onderwerp" } th { "School" } th { "Bestuur" } th { "Klager" } th { "Termijn" } } }
                    tbody {
                        @for r in &rows {
                            tr {
                                td { a href={ "/zaken/" (r.zaaknummer) } { (r.zaaknummer) } }
                                td { (r.received_on.format("%d-%m-%Y")) }
                                td { (r.status) }
                                td { (r.subject) }
                                td { (r.school_name) }
                                td { (r.board_name) }
                                td { (r.klager.as_deref().unwrap_or("")) }
                                td { @if let Some(d) = r.next_due { (d.format("%d-%m-%Y")) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = arg("--database-url").ok_or_else(|| anyhow::anyhow!("--database-url URL is required"))?;
    let bind = arg("--bind").unwrap_or_else(|| "127.0.0.1:3199".into());
    // The application's own pool and connection settings, so only the handler differs.
    let db = klachtencommissie::db::connect(&url).await?;
    let app = Router::new().route("/zaken", get(first_page)).with_state(db);
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("referentie: http://{bind}/zaken");
    axum::serve(listener, app).await?;
    Ok(())
}

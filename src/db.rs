//! Opening the database (SQLite by default, PostgreSQL by URL) and applying migrations.

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if url.starts_with("sqlite:") {
        // These are legal records: WAL for concurrent readers, FULL sync so a committed
        // transaction survives a power cut, foreign keys enforced, and a busy timeout so
        // writers from several processes wait for each other instead of failing.
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.max_connections(16).sqlx_logging(false);
        Ok(Database::connect(opts).await?)
    } else {
        anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://")
    }
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// Names the PostgreSQL advisory lock that [`prepare`] holds ("kcprep").
const PREPARE_LOCK: i64 = 0x6b63_7072_6570;

/// Migrations plus the reference data every installation starts from (official holiday
/// calendars, known Atw decrees), loaded into empty tables only.
///
/// Several instances may start at once on one PostgreSQL database: each takes an advisory lock
/// first, so one migrates while the others wait and then find nothing left to do (without it
/// one of them failed on a duplicate key). The lock is held by one pooled connection and ends
/// with it, also when the process dies.
pub async fn prepare(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return prepare_unlocked(db).await;
    }
    let mut lock = db.get_postgres_connection_pool().acquire().await?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)").bind(PREPARE_LOCK).execute(&mut *lock).await?;
    let prepared = prepare_unlocked(db).await;
    sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)").bind(PREPARE_LOCK).execute(&mut *lock).await?;
    prepared
}

async fn prepare_unlocked(db: &DatabaseConnection) -> anyhow::Result<()> {
    migrate(db).await?;
    match crate::audit::reseal(db).await? {
        crate::audit::Reseal::NotNeeded => {}
        crate::audit::Reseal::Done { entries } => {
            tracing::info!(entries, "audit log re-sealed into chain version 2");
        }
        crate::audit::Reseal::Refused(b) => {
            tracing::error!("audit log not re-sealed, the chain is broken: {b}; purging is refused until it is mended");
        }
    }
    crate::deadlines::ensure_reference_data(db).await?;
    crate::letters::templates::ensure_defaults(db).await?;
    check_search_index(db).await?;
    Ok(())
}

/// Warns when PostgreSQL has no trigram index on the cases' party names: migrations 000018 and
/// 000020 leave it out where the `pg_trgm` extension could not be created, and the name search
/// then reads every case's names. The warning names the statements that add it.
async fn check_search_index(db: &DatabaseConnection) -> anyhow::Result<()> {
    use migration::m20261201_000020_case_names::PG_INDEX;
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let found = db
        .query_one_raw(stmt(
            DbBackend::Postgres,
            "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1",
            vec![PG_INDEX.into()],
        ))
        .await?
        .is_some();
    if !found {
        tracing::warn!(
            "no trigram index on party names: the name search reads every case's names. As the database owner run \
             `CREATE EXTENSION pg_trgm; CREATE INDEX {PG_INDEX} ON case_names USING gin (names gin_trgm_ops);` \
             (pg_trgm is part of PostgreSQL's contrib package)"
        );
    }
    Ok(())
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "SQLite",
        DbBackend::Postgres => "PostgreSQL",
        _ => "onbekend",
    }
}

/// A raw statement written with PostgreSQL's numbered `$1, $2, ...` placeholders; for SQLite
/// they become its numbered `?1, ?2, ...`, so they may appear in any order. Only for the few
/// statements the query builder cannot express.
pub fn stmt(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    let sql = match backend {
        DbBackend::Sqlite => sql_for_sqlite(sql),
        _ => sql.to_owned(),
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

fn sql_for_sqlite(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_their_numbers() {
        assert_eq!(sql_for_sqlite("SELECT $2, $1 WHERE a = $10"), "SELECT ?2, ?1 WHERE a = ?10");
        assert_eq!(sql_for_sqlite("SELECT '$' || x"), "SELECT '$' || x");
    }
}

tokio::task_local! {
    /// The SQL statements run so far by the task inside [`counted`].
    static STATEMENTS: std::cell::Cell<u32>;
}

/// Counts every statement run through `db` (and the transactions it begins) for [`counted`].
/// The callback costs two clock reads per statement; the server turns it on with
/// `--count-sql` for the load run, and the tests always.
pub fn count_statements(db: &mut DatabaseConnection) {
    db.set_metric_callback(|_| {
        let _ = STATEMENTS.try_with(|n| n.set(n.get() + 1));
    });
}

/// Runs `f` and tells how many SQL statements it ran on a connection set up by
/// [`count_statements`]. Statements of tasks `f` spawns are not counted.
pub async fn counted<F: std::future::Future>(f: F) -> (F::Output, u32) {
    STATEMENTS
        .scope(std::cell::Cell::new(0), async {
            let out = f.await;
            (out, STATEMENTS.with(std::cell::Cell::get))
        })
        .await
}

//! Backup and restore of the embedded SQLite database (issue 10). A backup is a consistent
//! copy made while the application runs (`VACUUM INTO`: one read transaction, so writers go
//! on), written under a temporary name and checked (integrity, the audit chain) before it
//! gets its own. A restore checks the copy the same way and swaps it in, keeping the database
//! it replaces. PostgreSQL is backed up with its own tools (README, "Backup and restore").

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, Statement};
use std::path::{Path, PathBuf};

/// What the check of a copy found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub bytes: u64,
    pub cases: u64,
    pub audit_entries: u64,
}

/// Why `backup` does not copy a PostgreSQL database.
pub const NOT_SQLITE: &str = "backup kopieert de ingebouwde SQLite-database; maak van PostgreSQL een back-up met pg_dump (zie README, \"Backup and restore\")";

/// The SQLite file behind a `sqlite://PATH?options` URL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Writes a checked copy of the running SQLite database to `to`, which must not exist yet.
pub async fn backup(db: &DatabaseConnection, to: &Path) -> anyhow::Result<Checked> {
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!(NOT_SQLITE);
    }
    if to.exists() {
        bail!("{} bestaat al; kies een nieuwe bestandsnaam (een back-up overschrijft niets)", to.display());
    }
    let dir = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!("de map {} bestaat niet", dir.display());
    }
    // A half-written or unchecked copy never carries the name the user asked for.
    let part = dir.join(format!(
        ".{}.deel",
        to.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "backup".into())
    ));
    let _ = std::fs::remove_file(&part);
    let made = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [part.to_string_lossy().into_owned().into()],
        ))
        .await
        .with_context(|| format!("de kopie naar {} is mislukt", part.display()));
    let checked = match made {
        Ok(_) => check(&part).await,
        Err(e) => Err(e),
    };
    match checked {
        Ok(c) => {
            std::fs::rename(&part, to).with_context(|| format!("{} kon niet worden hernoemd", part.display()))?;
            Ok(c)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}

/// Opens a copy read-only and checks it: SQLite's integrity check, and the whole audit chain.
pub async fn check(file: &Path) -> anyhow::Result<Checked> {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    if !file.is_file() {
        bail!("{} bestaat niet of is geen bestand", file.display());
    }
    let opts = SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .with_context(|| format!("{} is geen leesbare SQLite-database", file.display()))?;
    let conn = sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
    let result = check_open(&conn, file).await;
    conn.close().await.ok();
    result
}

async fn check_open(conn: &DatabaseConnection, file: &Path) -> anyhow::Result<Checked> {
    let row = conn
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA integrity_check"))
        .await
        .with_context(|| format!("{} is geen leesbare SQLite-database", file.display()))?
        .context("integrity_check gaf geen antwoord")?;
    let verdict: String = row.try_get_by_index(0)?;
    if verdict != "ok" {
        bail!("{} is beschadigd: {verdict}", file.display());
    }
    let report = crate::audit::verify(conn)
        .await
        .with_context(|| format!("{} is geen database van deze applicatie", file.display()))?;
    if let Err(b) = report.result {
        bail!("het auditlog in {} is niet intact na {} regels: {b}", file.display(), report.checked);
    }
    Ok(Checked {
        bytes: std::fs::metadata(file)?.len(),
        cases: crate::entities::case::Entity::find().count(conn).await?,
        audit_entries: report.checked,
    })
}

/// Puts a checked copy in place of the SQLite database at `target`. An existing database is
/// only replaced with `replace`, and is then kept next to it with the time in its name. The
/// application must be stopped: it would go on writing to the file it has open.
pub async fn restore(from: &Path, target: &Path, replace: bool) -> anyhow::Result<(Checked, Option<PathBuf>)> {
    let checked = check(from).await?;
    if let Some(dir) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("de map {} kon niet worden gemaakt", dir.display()))?;
    }
    if target.exists() && !replace {
        bail!(
            "er staat al een database op {}; stop de applicatie en geef --replace om haar te vervangen (de oude blijft bewaard)",
            target.display()
        );
    }
    let with_suffix = |p: &Path, suffix: &str| PathBuf::from(format!("{}{suffix}", p.display()));
    let incoming = with_suffix(target, ".herstel");
    std::fs::copy(from, &incoming).with_context(|| format!("{} kon niet worden gekopieerd", from.display()))?;
    std::fs::File::open(&incoming)?.sync_all()?;
    let mut kept = None;
    if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let old = with_suffix(target, &format!(".voor-herstel-{stamp}"));
        // The old database with its write-ahead log, so nothing of it is lost.
        for suffix in ["", "-wal", "-shm"] {
            let from = with_suffix(target, suffix);
            if from.exists() {
                std::fs::rename(&from, with_suffix(&old, suffix))?;
            }
        }
        kept = Some(old);
    }
    std::fs::rename(&incoming, target)?;
    Ok((checked, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_behind_a_url() {
        assert_eq!(
            sqlite_path("sqlite://data/klachtencommissie.db?mode=rwc"),
            Some("data/klachtencommissie.db".into())
        );
        assert_eq!(sqlite_path("sqlite:///var/lib/kc/kc.db"), Some("/var/lib/kc/kc.db".into()));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }
}

//! A trigram index on party names, so the register's name search (`/zaken?q=`) stops reading
//! every party (issue 10: 0.4 s at 100,000 cases, 1.7 s at a million).
//! Migration 000020 replaces the index on single parties with one on each case's names
//! (`case_names`); its `down` restores this one from [`SQLITE_UP`].
//!
//! - SQLite: an FTS5 table with the trigram tokenizer over `parties.name` (external content, kept
//!   in step by triggers). `secure-delete` removes a deleted name from the index itself, so a
//!   purged party (retention) leaves no trace in the index's pages either.
//! - PostgreSQL: a GIN index with `pg_trgm` on `lower(name)`, which the search's
//!   `lower(p.name) LIKE '%…%'` uses. `pg_trgm` ships with PostgreSQL (contrib) and is a trusted
//!   extension, so the database owner may create it. Where it cannot be created the migration
//!   still succeeds without the index: the search then reads every party, as before, and the
//!   application logs a warning at start-up (see `db::check_search_index`).
//! - PostgreSQL, the zaaknummer prefix (`zaaknummer LIKE '2026-00%'`): the unique index serves a
//!   `LIKE` prefix only under the C collation; a database created with a language collation
//!   (`nl_NL.UTF-8`, ICU) needs a `text_pattern_ops` index for it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE parties_fts USING fts5(name, content = 'parties', content_rowid = 'id', tokenize = 'trigram')",
    "INSERT INTO parties_fts (parties_fts, rank) VALUES ('secure-delete', 1)",
    "INSERT INTO parties_fts (parties_fts) VALUES ('rebuild')",
    "CREATE TRIGGER parties_fts_insert AFTER INSERT ON parties BEGIN \
         INSERT INTO parties_fts (rowid, name) VALUES (new.id, new.name); \
     END",
    "CREATE TRIGGER parties_fts_delete AFTER DELETE ON parties BEGIN \
         INSERT INTO parties_fts (parties_fts, rowid, name) VALUES ('delete', old.id, old.name); \
     END",
    "CREATE TRIGGER parties_fts_update AFTER UPDATE OF name ON parties BEGIN \
         INSERT INTO parties_fts (parties_fts, rowid, name) VALUES ('delete', old.id, old.name); \
         INSERT INTO parties_fts (rowid, name) VALUES (new.id, new.name); \
     END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS parties_fts_update",
    "DROP TRIGGER IF EXISTS parties_fts_delete",
    "DROP TRIGGER IF EXISTS parties_fts_insert",
    "DROP TABLE IF EXISTS parties_fts",
];

/// The PostgreSQL trigram index; `db::check_search_index` looks for it by this name.
pub const PG_INDEX: &str = "ix_parties_name_trgm";
/// The PostgreSQL index for zaaknummer prefixes under any collation.
const PG_PREFIX_INDEX: &str = "ix_cases_zaaknummer_pattern";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for sql in SQLITE_UP {
                    db.execute_unprepared(sql).await?;
                }
            }
            DbBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE INDEX {PG_PREFIX_INDEX} ON cases (zaaknummer text_pattern_ops)"
                ))
                .await?;
                // The migration runs in a transaction: a savepoint lets a refused CREATE EXTENSION
                // (not installed, or not allowed) leave the rest of the upgrade intact.
                db.execute_unprepared("SAVEPOINT name_search").await?;
                match db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm").await {
                    Ok(_) => {
                        db.execute_unprepared(&format!(
                            "CREATE INDEX IF NOT EXISTS {PG_INDEX} ON parties USING gin (lower(name) gin_trgm_ops)"
                        ))
                        .await?;
                        db.execute_unprepared("RELEASE SAVEPOINT name_search").await?;
                    }
                    Err(_) => {
                        db.execute_unprepared("ROLLBACK TO SAVEPOINT name_search").await?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for sql in SQLITE_DOWN {
                    db.execute_unprepared(sql).await?;
                }
            }
            DbBackend::Postgres => {
                // The extension stays: other schemas in the database may use it.
                db.execute_unprepared(&format!("DROP INDEX IF EXISTS {PG_INDEX}")).await?;
                db.execute_unprepared(&format!("DROP INDEX IF EXISTS {PG_PREFIX_INDEX}")).await?;
            }
            _ => {}
        }
        Ok(())
    }
}

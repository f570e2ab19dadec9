//! One search row per case, `case_names`: the names of all its parties, keyed in the register's
//! order, so the name search (`/zaken?q=`) reads its count and its page from the index alone
//! (issue 10: a common fragment such as "jan" matched one case in twenty and cost 60 ms at
//! 100,000 cases, reading every matching party and case row).
//!
//! - `sort_key` is the register's order as one number: the days from 1970-01-01 to
//!   `received_on`, shifted left 32 bits, or'ed with the case id. Descending `sort_key` is
//!   "received_on DESC, id DESC", and `sort_key & 4294967295` is the case id (ids are `i32`).
//! - `names` holds the names joined by U+001F (unit separator), so a fragment never matches
//!   across two names. Filled and kept in step by triggers on `parties` and `cases`, so every
//!   writer (the application, the load generator, retention, a manual fix) keeps it right.
//! - SQLite: an FTS5 trigram index over `names` with `sort_key` as its rowid (external content,
//!   like migration 000018's index on `parties`, which this one replaces). FTS5 returns rowids
//!   in descending order without a sort, so the newest 25 matches are its first 25 and the count
//!   reads only the index. `secure-delete` keeps a removed name out of the index's pages.
//! - PostgreSQL: `names` in lower case (its `LIKE` is case-sensitive; lowering
//!   once on write spares the search a `lower()` per match: 4.7 → 2.9 ms for 4,880 matches),
//!   a GIN trigram index on it where `pg_trgm` exists (see 000018), and the primary key on
//!   `sort_key` for the page order. The party triggers are per statement
//!   (with transition tables), so a bulk insert refreshes each case once, and they lock the
//!   affected cases (`FOR NO KEY UPDATE`) so two instances adding parties to one case at once
//!   cannot leave it with only one of the two names.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The PostgreSQL trigram index; `db::check_search_index` looks for it by this name.
pub const PG_INDEX: &str = "ix_case_names_trgm";

/// `sort_key` of the cases row `c` (see the module comment), as SQLite computes it.
const SQLITE_KEY: &str = "((unixepoch(c.received_on) / 86400) << 32) | c.id";
/// The same for PostgreSQL.
const PG_KEY: &str = "(((c.received_on - DATE '1970-01-01')::bigint) << 32) | c.id";

fn sqlite_up() -> Vec<String> {
    let refresh = |case: &str| {
        format!(
            "DELETE FROM case_names WHERE case_id = {case}; \
             INSERT INTO case_names (sort_key, case_id, names) \
             SELECT {SQLITE_KEY}, c.id, (SELECT group_concat(p.name, char(31)) FROM parties p WHERE p.case_id = c.id) \
             FROM cases c WHERE c.id = {case} AND EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id);"
        )
    };
    vec![
        "CREATE TABLE case_names (sort_key INTEGER PRIMARY KEY, \
         case_id INTEGER NOT NULL UNIQUE REFERENCES cases (id) ON DELETE CASCADE, names TEXT NOT NULL)"
            .into(),
        "CREATE VIRTUAL TABLE case_names_fts USING fts5(names, content = 'case_names', content_rowid = 'sort_key', tokenize = 'trigram')".into(),
        "INSERT INTO case_names_fts (case_names_fts, rank) VALUES ('secure-delete', 1)".into(),
        format!(
            "INSERT INTO case_names (sort_key, case_id, names) \
             SELECT {SQLITE_KEY}, c.id, group_concat(p.name, char(31)) FROM cases c JOIN parties p ON p.case_id = c.id GROUP BY c.id"
        ),
        "INSERT INTO case_names_fts (case_names_fts) VALUES ('rebuild')".into(),
        "CREATE TRIGGER case_names_fts_insert AFTER INSERT ON case_names BEGIN \
             INSERT INTO case_names_fts (rowid, names) VALUES (new.sort_key, new.names); \
         END"
        .into(),
        "CREATE TRIGGER case_names_fts_delete AFTER DELETE ON case_names BEGIN \
             INSERT INTO case_names_fts (case_names_fts, rowid, names) VALUES ('delete', old.sort_key, old.names); \
         END"
        .into(),
        "CREATE TRIGGER case_names_fts_update AFTER UPDATE ON case_names BEGIN \
             INSERT INTO case_names_fts (case_names_fts, rowid, names) VALUES ('delete', old.sort_key, old.names); \
             INSERT INTO case_names_fts (rowid, names) VALUES (new.sort_key, new.names); \
         END"
        .into(),
        format!("CREATE TRIGGER case_names_party_insert AFTER INSERT ON parties BEGIN {} END", refresh("new.case_id")),
        format!("CREATE TRIGGER case_names_party_delete AFTER DELETE ON parties BEGIN {} END", refresh("old.case_id")),
        format!(
            "CREATE TRIGGER case_names_party_update AFTER UPDATE OF name, case_id ON parties BEGIN {} {} END",
            refresh("old.case_id"),
            refresh("new.case_id")
        ),
        format!(
            "CREATE TRIGGER case_names_case_received AFTER UPDATE OF received_on ON cases BEGIN \
             UPDATE case_names SET sort_key = (SELECT {SQLITE_KEY} FROM cases c WHERE c.id = new.id) WHERE case_id = new.id; \
             END"
        ),
        // Migration 000018's index on single parties: the search no longer reads it.
        "DROP TRIGGER parties_fts_update".into(),
        "DROP TRIGGER parties_fts_delete".into(),
        "DROP TRIGGER parties_fts_insert".into(),
        "DROP TABLE parties_fts".into(),
    ]
}

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS case_names_case_received",
    "DROP TRIGGER IF EXISTS case_names_party_update",
    "DROP TRIGGER IF EXISTS case_names_party_delete",
    "DROP TRIGGER IF EXISTS case_names_party_insert",
    "DROP TRIGGER IF EXISTS case_names_fts_update",
    "DROP TRIGGER IF EXISTS case_names_fts_delete",
    "DROP TRIGGER IF EXISTS case_names_fts_insert",
    "DROP TABLE IF EXISTS case_names_fts",
    "DROP TABLE IF EXISTS case_names",
];

fn pg_up() -> Vec<String> {
    vec![
        "CREATE TABLE case_names (sort_key BIGINT PRIMARY KEY, \
         case_id INTEGER NOT NULL UNIQUE REFERENCES cases (id) ON DELETE CASCADE, names TEXT NOT NULL)"
            .into(),
        format!(
            "INSERT INTO case_names (sort_key, case_id, names) \
             SELECT {PG_KEY}, c.id, lower(string_agg(p.name, E'\\x1f' ORDER BY p.id)) FROM cases c JOIN parties p ON p.case_id = c.id GROUP BY c.id"
        ),
        // `changed_parties` is the statement's transition table; on UPDATE `old_parties` too,
        // in case a party moved to another case. Planned anew on each run: PL/pgSQL keeps a
        // generic plan otherwise, and one made while a bulk load's tables were still small
        // scanned `cases` and `parties` whole on every insert after (45 ms at 20,000 cases).
        format!(
            "CREATE FUNCTION case_names_refresh() RETURNS trigger LANGUAGE plpgsql \
             SET plan_cache_mode = force_custom_plan AS $$ \
             DECLARE ids integer[]; \
             BEGIN \
                 ids := ARRAY(SELECT DISTINCT case_id FROM changed_parties); \
                 IF TG_OP = 'UPDATE' THEN ids := ids || ARRAY(SELECT DISTINCT case_id FROM old_parties); END IF; \
                 PERFORM 1 FROM cases WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE; \
                 DELETE FROM case_names WHERE case_id = ANY (ids); \
                 INSERT INTO case_names (sort_key, case_id, names) \
                     SELECT {PG_KEY}, c.id, lower(string_agg(p.name, E'\\x1f' ORDER BY p.id)) \
                     FROM cases c JOIN parties p ON p.case_id = c.id WHERE c.id = ANY (ids) GROUP BY c.id; \
                 RETURN NULL; \
             END $$"
        ),
        "CREATE TRIGGER case_names_party_insert AFTER INSERT ON parties REFERENCING NEW TABLE AS changed_parties \
         FOR EACH STATEMENT EXECUTE FUNCTION case_names_refresh()"
            .into(),
        "CREATE TRIGGER case_names_party_delete AFTER DELETE ON parties REFERENCING OLD TABLE AS changed_parties \
         FOR EACH STATEMENT EXECUTE FUNCTION case_names_refresh()"
            .into(),
        "CREATE TRIGGER case_names_party_update AFTER UPDATE ON parties \
         REFERENCING OLD TABLE AS old_parties NEW TABLE AS changed_parties \
         FOR EACH STATEMENT EXECUTE FUNCTION case_names_refresh()"
            .into(),
        format!(
            "CREATE FUNCTION case_names_rekey() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
                 UPDATE case_names SET sort_key = (SELECT {PG_KEY} FROM cases c WHERE c.id = NEW.id) WHERE case_id = NEW.id; \
                 RETURN NULL; \
             END $$"
        ),
        "CREATE TRIGGER case_names_case_received AFTER UPDATE OF received_on ON cases \
         FOR EACH ROW EXECUTE FUNCTION case_names_rekey()"
            .into(),
    ]
}

const PG_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS case_names_case_received ON cases",
    "DROP TRIGGER IF EXISTS case_names_party_update ON parties",
    "DROP TRIGGER IF EXISTS case_names_party_delete ON parties",
    "DROP TRIGGER IF EXISTS case_names_party_insert ON parties",
    "DROP FUNCTION IF EXISTS case_names_rekey()",
    "DROP FUNCTION IF EXISTS case_names_refresh()",
    "DROP TABLE IF EXISTS case_names",
];

/// Runs `create` (a trigram index) where `pg_trgm` is installed. Migration 000018 installs it
/// where the database allows; without it the name search reads rows and
/// `db::check_search_index` warns at every start.
async fn trigram_index(db: &impl ConnectionTrait, create: &str) -> Result<(), DbErr> {
    let installed = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'",
        ))
        .await?
        .is_some();
    if installed {
        db.execute_unprepared(create).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for sql in sqlite_up() {
                    db.execute_unprepared(&sql).await?;
                }
            }
            DbBackend::Postgres => {
                for sql in pg_up() {
                    db.execute_unprepared(&sql).await?;
                }
                // The names get the trigram index and 000018's index on single parties goes.
                trigram_index(db, &format!("CREATE INDEX {PG_INDEX} ON case_names USING gin (names gin_trgm_ops)"))
                    .await?;
                db.execute_unprepared(&format!(
                    "DROP INDEX IF EXISTS {}",
                    crate::m20261201_000018_name_search::PG_INDEX
                ))
                .await?;
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
                // Back to 000018's index on single parties.
                for sql in crate::m20261201_000018_name_search::SQLITE_UP {
                    db.execute_unprepared(sql).await?;
                }
            }
            DbBackend::Postgres => {
                for sql in PG_DOWN {
                    db.execute_unprepared(sql).await?;
                }
                let index = crate::m20261201_000018_name_search::PG_INDEX;
                trigram_index(
                    db,
                    &format!("CREATE INDEX IF NOT EXISTS {index} ON parties USING gin (lower(name) gin_trgm_ops)"),
                )
                .await?;
            }
            _ => {}
        }
        Ok(())
    }
}

//! The case register: one page of cases matching the filters, narrowed to what the viewer may
//! see, in one query for the rows and one for the count.

use crate::domain::access::CaseScope;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Value};

pub const PAGE_SIZE: u64 = 25;

/// The register counts matches up to here and then says "more than": an exact count would
/// read every matching case on each page view, which grows with the history (issue 10). Past
/// this many, the filters (year, status, school) narrow the list faster than paging does.
pub const COUNT_CAP: u64 = 10_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<String>,
    pub school_id: Option<i32>,
    pub board_id: Option<i32>,
    pub year: Option<i32>,
    /// A zaaknummer (or its start) or part of a party's name.
    pub q: Option<String>,
    /// 1-based.
    pub page: u64,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct Row {
    pub zaaknummer: String,
    pub received_on: NaiveDate,
    pub status: String,
    pub outcome: Option<String>,
    pub subject: String,
    pub school_name: String,
    pub board_name: String,
    pub klager: Option<String>,
    /// The nearest due date of the case's running deadlines.
    pub next_due: Option<NaiveDate>,
}

#[derive(Debug)]
pub struct Page {
    pub rows: Vec<Row>,
    /// Matches, counted up to [`COUNT_CAP`].
    pub total: u64,
    /// More than [`COUNT_CAP`] cases match; `total` is the cap.
    pub more: bool,
    pub page: u64,
    pub pages: u64,
}

/// SQL text with `$n` placeholders and their values, built up clause by clause.
pub(crate) struct Sql {
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self { text: text.to_owned(), values: Vec::new() }
    }

    pub fn param(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        format!("${}", self.values.len())
    }

    /// Runs a `SELECT COUNT(*) ...` and returns the count.
    pub async fn count(self, db: &impl ConnectionTrait) -> Result<u64, DbErr> {
        let n: i64 = db
            .query_one_raw(crate::db::stmt(db.get_database_backend(), &self.text, self.values))
            .await?
            .map(|r| r.try_get_by_index(0))
            .transpose()?
            .unwrap_or(0);
        Ok(n.max(0) as u64)
    }
}

/// The condition on cases `c` that [`CaseScope`] stands for (the SQL form of `can_view_case`).
pub(crate) fn scope_condition(sql: &mut Sql, scope: CaseScope) -> Option<String> {
    match scope {
        CaseScope::All => None,
        CaseScope::PanelOf(m) => {
            let p = sql.param(m);
            Some(format!("EXISTS (SELECT 1 FROM panel_members pm WHERE pm.case_id = c.id AND pm.member_id = {p})"))
        }
        CaseScope::Board(b) => {
            let p = sql.param(b);
            Some(format!("c.board_id = {p}"))
        }
        CaseScope::School(s) => {
            let p = sql.param(s);
            Some(format!("c.school_id = {p}"))
        }
        CaseScope::Nothing => Some("1 = 0".into()),
    }
}

fn where_clause(sql: &mut Sql, backend: DbBackend, scope: CaseScope, f: &Filter) {
    let mut conds: Vec<String> = scope_condition(sql, scope).into_iter().collect();
    if let Some(s) = &f.status {
        let p = sql.param(s.clone());
        conds.push(format!("c.status = {p}"));
    }
    if let Some(s) = f.school_id {
        let p = sql.param(s);
        conds.push(format!("c.school_id = {p}"));
    }
    if let Some(b) = f.board_id {
        let p = sql.param(b);
        conds.push(format!("c.board_id = {p}"));
    }
    // The year of receipt, as a range on `received_on` (the zaaknummer's year is set from it at
    // registration and neither changes), so the (received_on, id) index yields the page in its
    // order. As `c.year = $n` PostgreSQL walked that index from today and filtered, since it
    // cannot know the two columns move together: 15-20 ms for last year at 100,000 cases.
    if let Some((from, to)) =
        f.year.and_then(|y| Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y + 1, 1, 1)?)))
    {
        let (from, to) = (sql.param(from), sql.param(to));
        conds.push(format!("c.received_on >= {from} AND c.received_on < {to}"));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        conds.push(text_match(sql, backend, q));
    }
    if !conds.is_empty() {
        sql.text.push_str(" WHERE ");
        sql.text.push_str(&conds.join(" AND "));
    }
}

/// The search box: cases whose zaaknummer starts with `q`, or with a party whose name contains
/// it (case-insensitively). Written as `c.id IN (ids)` so the database starts from the matches,
/// found through indexes, instead of testing every case:
/// - the zaaknummer prefix walks the unique index on `zaaknummer` (SQLite needs `GLOB` for that:
///   its `LIKE` is case-insensitive and so cannot use a plain index);
/// - a name fragment of three characters or more is looked up in the trigram index of party
///   names (migration 000018: FTS5 on SQLite, `pg_trgm` on PostgreSQL). On SQLite a shorter
///   fragment has no trigram and reads the parties, as it does on PostgreSQL without `pg_trgm`.
fn text_match(sql: &mut Sql, backend: DbBackend, q: &str) -> String {
    let lower = q.to_lowercase();
    let (by_number, by_name) = match backend {
        DbBackend::Sqlite => {
            let prefix = sql.param(glob_literal(q) + "*");
            let by_name = if lower.chars().count() >= 3 {
                let phrase = sql.param(fts_phrase(q));
                format!(
                    "SELECT case_id FROM parties WHERE id IN (SELECT rowid FROM parties_fts WHERE parties_fts MATCH {phrase})"
                )
            } else {
                let anywhere = sql.param(format!("%{}%", like_literal(&lower)));
                format!("SELECT case_id FROM parties WHERE LOWER(name) LIKE {anywhere} ESCAPE '\\'")
            };
            (format!("SELECT id FROM cases WHERE zaaknummer GLOB {prefix}"), by_name)
        }
        _ => {
            let prefix = sql.param(format!("{}%", like_literal(q)));
            let anywhere = sql.param(format!("%{}%", like_literal(&lower)));
            (
                format!("SELECT id FROM cases WHERE zaaknummer LIKE {prefix} ESCAPE '\\'"),
                format!("SELECT case_id FROM parties WHERE lower(name) LIKE {anywhere} ESCAPE '\\'"),
            )
        }
    };
    format!("c.id IN ({by_number} UNION ALL {by_name})")
}

/// `s` as a `LIKE` pattern that matches only itself (escape character `\`).
fn like_literal(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// `s` as a SQLite `GLOB` pattern that matches only itself: each wildcard in a one-character class.
fn glob_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '*' | '?' | '[' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// `s` as one FTS5 phrase: with the trigram tokenizer a phrase matches wherever `s` occurs as a
/// substring. Quotes are doubled, so no FTS5 query syntax reaches the index.
fn fts_phrase(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub async fn page(db: &impl ConnectionTrait, scope: CaseScope, f: &Filter) -> Result<Page, DbErr> {
    let backend = db.get_database_backend();

    let mut count = Sql { text: "SELECT COUNT(*) FROM (SELECT 1 FROM cases c".into(), values: vec![] };
    where_clause(&mut count, backend, scope, f);
    let cap = count.param((COUNT_CAP + 1) as i64);
    count.text.push_str(&format!(" LIMIT {cap}) AS matches"));
    let counted = count.count(db).await?;
    let more = counted > COUNT_CAP;
    let total = counted.min(COUNT_CAP);
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = f.page.clamp(1, pages);

    let mut rows = Sql {
        text: "SELECT c.zaaknummer, c.received_on, c.status, c.outcome, c.subject, s.name AS school_name, b.name AS board_name, \
               (SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'klager' ORDER BY p.id LIMIT 1) AS klager, \
               (SELECT MIN(d.due_on) FROM deadlines d WHERE d.case_id = c.id AND d.status IN ('open', 'extended')) AS next_due \
               FROM cases c JOIN schools s ON s.id = c.school_id JOIN boards b ON b.id = c.board_id"
            .into(),
        values: vec![],
    };
    where_clause(&mut rows, backend, scope, f);
    let limit = rows.param(PAGE_SIZE as i64);
    let offset = rows.param(((page - 1) * PAGE_SIZE) as i64);
    rows.text.push_str(&format!(" ORDER BY c.received_on DESC, c.id DESC LIMIT {limit} OFFSET {offset}"));
    let rows = Row::find_by_statement(crate::db::stmt(backend, &rows.text, rows.values)).all(db).await?;
    Ok(Page { rows, total, more, page, pages })
}

/// Number of visible cases per status, for the start page. The open statuses are counted
/// exactly through the status index (their number is the commission's workload); the closed
/// cases, which grow with the years, only up to [`COUNT_CAP`] + 1, so a count above the cap
/// means "more than".
pub async fn status_counts(db: &impl ConnectionTrait, scope: CaseScope) -> Result<Vec<(String, i64)>, DbErr> {
    use crate::domain::case::CaseStatus;
    let backend = db.get_database_backend();
    let mut sql = Sql { text: "SELECT c.status, COUNT(*) FROM cases c WHERE ".into(), values: vec![] };
    if let Some(cond) = scope_condition(&mut sql, scope) {
        sql.text.push_str(&format!("{cond} AND "));
    }
    let open: Vec<String> =
        CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| sql.param(s.code().to_owned())).collect();
    sql.text.push_str(&format!("c.status IN ({}) GROUP BY c.status", open.join(", ")));
    let rows = db.query_all_raw(crate::db::stmt(backend, &sql.text, sql.values)).await?;
    let mut counts: Vec<(String, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get_by_index::<String>(0)?, r.try_get_by_index::<i64>(1)?)))
        .collect::<Result<_, DbErr>>()?;
    let closed = Filter { status: Some(CaseStatus::Afgesloten.code().to_owned()), ..Default::default() };
    let mut count = Sql { text: "SELECT COUNT(*) FROM (SELECT 1 FROM cases c".into(), values: vec![] };
    where_clause(&mut count, backend, scope, &closed);
    let cap = count.param((COUNT_CAP + 1) as i64);
    count.text.push_str(&format!(" LIMIT {cap}) AS closed"));
    let n = count.count(db).await?;
    if n > 0 {
        counts.push((CaseStatus::Afgesloten.code().to_owned(), n as i64));
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_every_wildcard() {
        assert_eq!(like_literal(r"100%_a\b"), r"100\%\_a\\b");
        assert_eq!(glob_literal("a*b?c[d]"), "a[*]b[?]c[[]d]");
        assert_eq!(fts_phrase(r#"De "Vries""#), r#""De ""Vries""""#);
        assert_eq!(fts_phrase("jan OR piet"), "\"jan OR piet\"", "operators stay inside the phrase");
    }

    #[test]
    fn search_starts_from_the_matches() {
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let mut sql = Sql::new("");
            let cond = text_match(&mut sql, backend, "Jansen");
            assert!(cond.starts_with("c.id IN (SELECT id FROM cases WHERE zaaknummer"), "{cond}");
            assert_eq!(sql.values.len(), 2);
        }
        let mut sql = Sql::new("");
        assert!(text_match(&mut sql, DbBackend::Sqlite, "Jan").contains("parties_fts MATCH"));
        let mut sql = Sql::new("");
        assert!(text_match(&mut sql, DbBackend::Sqlite, "Ja").contains("LIKE"), "below a trigram");
    }
}

//! The case register: one page of cases matching the filters, narrowed to what the viewer may
//! see, in one query for the rows and one for the count.

use crate::domain::access::CaseScope;
use crate::domain::{case_order, zaaknummer};
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

/// Where the register's rows come from. A search on part of a name reads the name index
/// (migration 000020, one entry per case keyed in register order) and joins each match to its
/// case, newest first, so the page costs its 25 rows and the count reads only the index; any
/// other list reads the cases.
enum Source {
    Cases,
    /// The name index on SQLite: FTS5 trigrams, for a fragment of three characters or more.
    Trigrams,
    /// The `case_names` table itself: PostgreSQL (its trigram index serves the `LIKE`), and
    /// SQLite for a fragment shorter than a trigram.
    NameRows,
}

impl Source {
    fn for_text(backend: DbBackend, q: Option<&str>) -> Self {
        match q {
            Some(q) if !zaaknummer::could_start(q) => Self::for_name(backend, q),
            _ => Self::Cases,
        }
    }

    /// The part of the name index that finds `q`.
    fn for_name(backend: DbBackend, q: &str) -> Self {
        if backend == DbBackend::Sqlite && q.chars().count() >= 3 { Self::Trigrams } else { Self::NameRows }
    }

    /// The condition on the name index that its names contain `q`.
    fn name_match(&self, sql: &mut Sql, q: &str) -> String {
        match self {
            Self::Trigrams => {
                let phrase = sql.param(fts_phrase(q));
                format!("case_names_fts MATCH {phrase}")
            }
            _ => name_like(sql, "n", q),
        }
    }

    /// The case id of an entry of the name index.
    fn case_id(&self) -> &'static str {
        match self {
            Self::Trigrams => "(case_names_fts.rowid & 4294967295)",
            _ => "n.case_id",
        }
    }

    /// The name index's table, without the cases.
    fn index(&self) -> &'static str {
        match self {
            Self::Cases => "cases c",
            Self::Trigrams => "case_names_fts",
            Self::NameRows => "case_names n",
        }
    }

    /// The index joined to the cases `c`.
    fn with_cases(&self) -> &'static str {
        match self {
            Self::Cases => "cases c",
            Self::Trigrams => "case_names_fts JOIN cases c ON c.id = (case_names_fts.rowid & 4294967295)",
            Self::NameRows => "case_names n JOIN cases c ON c.id = n.case_id",
        }
    }

    /// The register's order, read from the index where there is one.
    fn order(&self) -> &'static str {
        match self {
            Self::Cases => "c.received_on DESC, c.id DESC",
            Self::Trigrams => "case_names_fts.rowid DESC",
            Self::NameRows => "n.sort_key DESC",
        }
    }

    fn key(&self) -> Option<&'static str> {
        match self {
            Self::Cases => None,
            Self::Trigrams => Some("case_names_fts.rowid"),
            Self::NameRows => Some("n.sort_key"),
        }
    }
}

/// The filters as conditions: `text` those on the index (the name, and the year as a key
/// range), `cases` those that need the case row (the scope and the other filters).
struct Conditions {
    text: Vec<String>,
    cases: Vec<String>,
}

impl Conditions {
    fn build(sql: &mut Sql, backend: DbBackend, source: &Source, scope: CaseScope, f: &Filter) -> Self {
        let mut text = Vec::new();
        let mut cases: Vec<String> = scope_condition(sql, scope).into_iter().collect();
        if let Some(s) = &f.status {
            let p = sql.param(s.clone());
            cases.push(format!("c.status = {p}"));
        }
        if let Some(s) = f.school_id {
            let p = sql.param(s);
            cases.push(format!("c.school_id = {p}"));
        }
        if let Some(b) = f.board_id {
            let p = sql.param(b);
            cases.push(format!("c.board_id = {p}"));
        }
        // The year of receipt, as a range on `received_on` (the zaaknummer's year is set from it
        // at registration and neither changes), so the (received_on, id) index yields the page
        // in its order; in the name index, the same range of keys. As `c.year = $n` PostgreSQL
        // walked that index from today and filtered, since it cannot know the two columns move
        // together: 15-20 ms for last year at 100,000 cases.
        if let Some((from, to)) =
            f.year.and_then(|y| Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y + 1, 1, 1)?)))
        {
            match source.key() {
                Some(key) => {
                    let (lo, hi) = case_order::key_range(from, to);
                    let (lo, hi) = (sql.param(lo), sql.param(hi));
                    text.push(format!("{key} >= {lo} AND {key} < {hi}"));
                }
                None => {
                    let (from, to) = (sql.param(from), sql.param(to));
                    cases.push(format!("c.received_on >= {from} AND c.received_on < {to}"));
                }
            }
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            match source {
                Source::Cases => cases.push(number_or_name(sql, backend, q)),
                names => text.push(names.name_match(sql, q)),
            }
        }
        Self { text, cases }
    }

    /// ` WHERE ...` over all conditions, or nothing.
    fn push_where(&self, sql: &mut Sql) {
        let all: Vec<&str> = self.text.iter().chain(&self.cases).map(String::as_str).collect();
        if !all.is_empty() {
            sql.text.push_str(" WHERE ");
            sql.text.push_str(&all.join(" AND "));
        }
    }
}

/// `alias.names` contains `q`, case-insensitively (`LIKE` with every wildcard of `q` literal):
/// PostgreSQL keeps the names in lower case (migration 000020), SQLite's `LIKE` ignores case.
fn name_like(sql: &mut Sql, alias: &str, q: &str) -> String {
    let anywhere = sql.param(format!("%{}%", like_literal(&q.to_lowercase())));
    format!("{alias}.names LIKE {anywhere} ESCAPE '\\'")
}

/// The search box for a `q` that could start a zaaknummer (digits and a dash): cases whose
/// zaaknummer starts with `q`, or with a party whose name contains it. Written as `c.id IN
/// (ids)` so the database starts from the matches, found through indexes, instead of testing
/// every case:
/// - the zaaknummer prefix walks the unique index on `zaaknummer` (SQLite needs `GLOB` for that:
///   its `LIKE` is case-insensitive and so cannot use a plain index);
/// - the name through the name index (migration 000020), as in [`Source`].
fn number_or_name(sql: &mut Sql, backend: DbBackend, q: &str) -> String {
    let by_number = match backend {
        DbBackend::Sqlite => format!("SELECT id FROM cases WHERE zaaknummer GLOB {}", sql.param(glob_literal(q) + "*")),
        _ => format!(
            "SELECT id FROM cases WHERE zaaknummer LIKE {} ESCAPE '\\'",
            sql.param(format!("{}%", like_literal(q)))
        ),
    };
    let names = Source::for_name(backend, q);
    let by_name = format!("SELECT {} FROM {} WHERE {}", names.case_id(), names.index(), names.name_match(sql, q));
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
    let source = Source::for_text(backend, f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()));

    let mut count = Sql::new("");
    let conds = Conditions::build(&mut count, backend, &source, scope, f);
    // Without conditions on the case rows, a name search counts in its index alone.
    let from = if conds.cases.is_empty() { source.index() } else { source.with_cases() };
    count.text = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {from}");
    conds.push_where(&mut count);
    let cap = count.param((COUNT_CAP + 1) as i64);
    count.text.push_str(&format!(" LIMIT {cap}) AS matches"));
    let counted = count.count(db).await?;
    let more = counted > COUNT_CAP;
    let total = counted.min(COUNT_CAP);
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = f.page.clamp(1, pages);

    let mut rows = Sql::new("");
    let conds = Conditions::build(&mut rows, backend, &source, scope, f);
    rows.text = format!(
        "SELECT c.zaaknummer, c.received_on, c.status, c.outcome, c.subject, s.name AS school_name, b.name AS board_name, \
         (SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'klager' ORDER BY p.id LIMIT 1) AS klager, \
         (SELECT MIN(d.due_on) FROM deadlines d WHERE d.case_id = c.id AND d.status IN ('open', 'extended')) AS next_due \
         FROM {} JOIN schools s ON s.id = c.school_id JOIN boards b ON b.id = c.board_id",
        source.with_cases()
    );
    conds.push_where(&mut rows);
    let limit = rows.param(PAGE_SIZE as i64);
    let offset = rows.param(((page - 1) * PAGE_SIZE) as i64);
    rows.text.push_str(&format!(" ORDER BY {} LIMIT {limit} OFFSET {offset}", source.order()));
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
    let mut count = Sql::new("SELECT COUNT(*) FROM (SELECT 1 FROM cases c");
    Conditions::build(&mut count, backend, &Source::Cases, scope, &closed).push_where(&mut count);
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
    fn a_name_is_read_from_the_name_index_and_a_number_from_the_cases() {
        use Source::*;
        assert!(matches!(Source::for_text(DbBackend::Sqlite, Some("Jansen")), Trigrams));
        assert!(matches!(Source::for_text(DbBackend::Sqlite, Some("Ja")), NameRows), "below a trigram");
        assert!(matches!(Source::for_text(DbBackend::Postgres, Some("Jansen")), NameRows));
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            assert!(matches!(Source::for_text(backend, None), Cases));
            assert!(matches!(Source::for_text(backend, Some("2026-00")), Cases), "could be a zaaknummer");
        }
    }

    #[test]
    fn a_number_searches_zaaknummers_and_names_from_their_indexes() {
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let mut sql = Sql::new("");
            let cond = number_or_name(&mut sql, backend, "2026");
            assert!(cond.starts_with("c.id IN (SELECT id FROM cases WHERE zaaknummer"), "{cond}");
            assert!(cond.contains("case_names"), "{cond}");
            assert_eq!(sql.values.len(), 2);
        }
        let mut sql = Sql::new("");
        assert!(number_or_name(&mut sql, DbBackend::Sqlite, "2026").contains("case_names_fts MATCH"));
        let mut sql = Sql::new("");
        assert!(number_or_name(&mut sql, DbBackend::Sqlite, "20").contains("LIKE"), "below a trigram");
    }

    #[test]
    fn the_year_of_a_name_search_is_a_range_of_keys() {
        let f = Filter { year: Some(2025), q: Some("jan".into()), ..Default::default() };
        let mut sql = Sql::new("");
        let conds = Conditions::build(&mut sql, DbBackend::Sqlite, &Source::Trigrams, CaseScope::All, &f);
        assert!(conds.cases.is_empty(), "nothing needs the case rows: {:?}", conds.cases);
        assert_eq!(conds.text.len(), 2);
        let (lo, hi) = case_order::key_range(
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        );
        assert_eq!(&sql.values[..2], &[Value::from(lo), Value::from(hi)]);
        let mut sql = Sql::new("");
        let scoped = Conditions::build(&mut sql, DbBackend::Postgres, &Source::NameRows, CaseScope::Board(3), &f);
        assert_eq!(scoped.cases, vec!["c.board_id = $1".to_owned()]);
    }
}

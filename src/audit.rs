//! Writing state changes: every change happens in a [`WriteTx`], which appends the audit entry
//! to the hash chain in the same transaction. Also the verification of the whole chain.

use crate::domain::audit_chain::{self, ChainBreak, EntryContent, GENESIS, Resealer, StoredEntry, Verifier};
use crate::entities::{audit_entry, case};
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use std::collections::HashSet;

/// Who performs a change, as recorded in the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub name: String,
}

impl Actor {
    pub fn system(what: &str) -> Self {
        Self { user_id: None, name: format!("systeem ({what})") }
    }
}

/// The fixed text form of an audit timestamp (microseconds, UTC), identical on both databases.
pub fn format_at(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A writing transaction. `begin` locks the head of the audit chain first, so writers queue
/// there (a row lock on PostgreSQL, the write lock on SQLite) and the chain stays linear even
/// with several application instances.
pub struct WriteTx {
    txn: DatabaseTransaction,
    actor: Actor,
    seq: i64,
    last_hash: String,
    head_seq: i64,
    /// The cases this transaction audited (single [`WriteTx::audit`] calls): their status
    /// changes are announced to the boards' webhooks at commit.
    case_ids: Vec<i32>,
}

impl WriteTx {
    pub async fn begin(db: &DatabaseConnection, actor: Actor) -> Result<Self, DbErr> {
        let txn = db.begin().await?;
        let backend = txn.get_database_backend();
        // An upsert that always writes: it takes the lock even on the very first use.
        let row = txn
            .query_one_raw(crate::db::stmt(
                backend,
                "INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, $1) \
                 ON CONFLICT (id) DO UPDATE SET seq = audit_head.seq RETURNING seq, last_hash",
                vec![GENESIS.into()],
            ))
            .await?
            .ok_or_else(|| DbErr::Custom("audit_head returned no row".into()))?;
        let seq: i64 = row.try_get_by_index(0)?;
        let last_hash: String = row.try_get_by_index(1)?;
        Ok(Self { txn, actor, seq, last_hash, head_seq: seq, case_ids: Vec::new() })
    }

    /// The transaction, for the use case's own reads and writes.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Appends an audit entry: what happened (`action`, a stable code like `zaak.geregistreerd`),
    /// on which case, with its details (JSON).
    pub async fn audit(&mut self, case_id: Option<i32>, action: &str, detail: serde_json::Value) -> Result<(), DbErr> {
        let entry = self.chain(case_id, action, detail);
        audit_entry::Entity::insert(entry).exec(&self.txn).await?;
        if let Some(id) = case_id
            && !self.case_ids.contains(&id)
        {
            self.case_ids.push(id);
        }
        Ok(())
    }

    /// Appends many entries at once (e.g. every deadline a calendar change moved): hashed in
    /// order, written in a few multi-row inserts.
    pub async fn audit_many(&mut self, entries: Vec<(Option<i32>, &str, serde_json::Value)>) -> Result<(), DbErr> {
        let models: Vec<audit_entry::ActiveModel> = entries.into_iter().map(|(c, a, d)| self.chain(c, a, d)).collect();
        // Ten columns per row: well inside both databases' limit on parameters.
        for chunk in models.chunks(1000) {
            audit_entry::Entity::insert_many(chunk.to_vec()).exec(&self.txn).await?;
        }
        Ok(())
    }

    /// The next entry of the chain, with its hash; advances the chain.
    fn chain(&mut self, case_id: Option<i32>, action: &str, detail: serde_json::Value) -> audit_entry::ActiveModel {
        let at = Utc::now().trunc_subsecs(6);
        let at_text = format_at(&at);
        let detail = detail.to_string();
        let digest = audit_chain::detail_digest(&detail);
        let seq = self.seq + 1;
        let content = EntryContent {
            seq,
            at: &at_text,
            user_id: self.actor.user_id,
            actor: &self.actor.name,
            case_id,
            action,
            detail: &digest,
        };
        let hash = audit_chain::entry_hash(&self.last_hash, &content);
        let model = audit_entry::ActiveModel {
            seq: Set(seq),
            at: Set(at),
            user_id: Set(self.actor.user_id),
            actor: Set(self.actor.name.clone()),
            case_id: Set(case_id),
            action: Set(action.to_owned()),
            detail: Set(detail),
            detail_digest: Set(Some(digest)),
            detail_purged: Set(false),
            prev_hash: Set(self.last_hash.clone()),
            hash: Set(hash.clone()),
            ..Default::default()
        };
        self.seq = seq;
        self.last_hash = hash;
        model
    }

    /// Announces the audited cases' status changes ([`crate::webhooks::announce`]), writes the
    /// chain's head and commits.
    pub async fn commit(self) -> Result<(), DbErr> {
        crate::webhooks::announce(&self.txn, &self.case_ids).await?;
        if self.seq != self.head_seq {
            let backend = self.txn.get_database_backend();
            self.txn
                .execute_raw(crate::db::stmt(
                    backend,
                    "UPDATE audit_head SET seq = $1, last_hash = $2 WHERE id = 1",
                    vec![self.seq.into(), self.last_hash.clone().into()],
                ))
                .await?;
        }
        self.txn.commit().await
    }
}

#[derive(Debug)]
pub struct VerifyReport {
    pub checked: u64,
    pub result: Result<(), ChainBreak>,
}

/// The ids of purged cases: only their entries may have a blank detail.
async fn purged_cases(db: &impl ConnectionTrait) -> Result<HashSet<i32>, DbErr> {
    Ok(case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::PurgedOn.is_not_null())
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

fn stored(e: &audit_entry::Model, purged: &HashSet<i32>) -> StoredEntry {
    StoredEntry {
        id: e.id,
        seq: e.seq,
        at: format_at(&e.at),
        user_id: e.user_id,
        actor: e.actor.clone(),
        case_id: e.case_id,
        action: e.action.clone(),
        detail: e.detail.clone(),
        detail_digest: e.detail_digest.clone(),
        detail_purged: e.detail_purged,
        case_purged: e.case_id.is_some_and(|c| purged.contains(&c)),
        prev_hash: e.prev_hash.clone(),
        hash: e.hash.clone(),
    }
}

const PAGE: u64 = 5_000;

async fn page_after(db: &impl ConnectionTrait, after: i64) -> Result<Vec<audit_entry::Model>, DbErr> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Seq.gt(after))
        .order_by_asc(audit_entry::Column::Seq)
        .limit(PAGE)
        .all(db)
        .await
}

async fn head(db: &impl ConnectionTrait) -> Result<(i64, String), DbErr> {
    let backend = db.get_database_backend();
    let head =
        db.query_one_raw(Statement::from_string(backend, "SELECT seq, last_hash FROM audit_head WHERE id = 1")).await?;
    Ok(match head {
        Some(row) => (row.try_get_by_index::<i64>(0)?, row.try_get_by_index::<String>(1)?),
        None => (0, GENESIS.to_owned()),
    })
}

/// Walks the whole chain in pages of `seq` order and checks every link and the head.
pub async fn verify(db: &DatabaseConnection) -> Result<VerifyReport, DbErr> {
    let purged = purged_cases(db).await?;
    let mut v = Verifier::default();
    let mut after = 0i64;
    loop {
        let page = page_after(db, after).await?;
        for e in &page {
            if let Err(b) = v.feed(&stored(e, &purged)) {
                return Ok(VerifyReport { checked: v.checked, result: Err(b) });
            }
        }
        match page.last() {
            Some(last) if page.len() as u64 == PAGE => after = last.seq,
            _ => break,
        }
    }
    let (head_seq, head_hash) = head(db).await?;
    let result = v.finish(head_seq, &head_hash);
    Ok(VerifyReport { checked: v.checked, result })
}

/// Whether entries of the first chain version remain (hashed over their detail text, so
/// their details cannot be blanked by a purge).
pub async fn has_version_1(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(audit_entry::Entity::find()
        .select_only()
        .column(audit_entry::Column::Id)
        .filter(audit_entry::Column::DetailDigest.is_null())
        .into_tuple::<i64>()
        .one(db)
        .await?
        .is_some())
}

/// How a re-seal ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Reseal {
    /// Nothing of version 1 was left (another instance may have done it).
    NotNeeded,
    Done {
        entries: u64,
    },
    /// The chain as it stood was broken: left as it is, for `verify-audit` to report.
    Refused(ChainBreak),
}

/// Re-seals the chain into version 2, once: every entry gets the digest of its detail and new
/// hashes, in one transaction that holds the chain's head (so instances starting together do
/// it once), closed by an audit entry that records the old and the new head.
pub async fn reseal(db: &DatabaseConnection) -> Result<Reseal, DbErr> {
    if !has_version_1(db).await? {
        return Ok(Reseal::NotNeeded);
    }
    let mut tx = WriteTx::begin(db, Actor::system("herverzegeling auditlog")).await?;
    if !has_version_1(tx.conn()).await? {
        return Ok(Reseal::NotNeeded);
    }
    let purged = purged_cases(tx.conn()).await?;
    let mut r = Resealer::default();
    let mut after = 0i64;
    loop {
        let page = page_after(tx.conn(), after).await?;
        for e in &page {
            let sealed = match r.feed(&stored(e, &purged)) {
                Ok(s) => s,
                Err(b) => return Ok(Reseal::Refused(b)),
            };
            audit_entry::Entity::update_many()
                .col_expr(audit_entry::Column::DetailDigest, Expr::value(sealed.detail_digest))
                .col_expr(audit_entry::Column::PrevHash, Expr::value(sealed.prev_hash))
                .col_expr(audit_entry::Column::Hash, Expr::value(sealed.hash))
                .filter(audit_entry::Column::Id.eq(e.id))
                .exec(tx.conn())
                .await?;
        }
        match page.last() {
            Some(last) if page.len() as u64 == PAGE => after = last.seq,
            _ => break,
        }
    }
    let old_head = tx.last_hash.clone();
    let new_head = match r.finish(tx.seq, &old_head) {
        Ok(h) => h,
        Err(b) => return Ok(Reseal::Refused(b)),
    };
    let entries = r.checked();
    tx.last_hash = new_head.clone();
    // Forces the head to be written even though the count of entries is unchanged so far.
    tx.head_seq = -1;
    tx.audit(
        None,
        "audit.herverzegeld",
        serde_json::json!({ "versie": 2, "regels": entries, "oude_kop": old_head, "nieuwe_kop": new_head }),
    )
    .await?;
    tx.commit().await?;
    Ok(Reseal::Done { entries })
}

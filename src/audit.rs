//! Writing state changes: every change happens in a [`WriteTx`], which appends the audit entry
//! to the hash chain in the same transaction. Also the verification of the whole chain.

use crate::domain::audit_chain::{self, ChainBreak, EntryContent, GENESIS, StoredEntry, Verifier};
use crate::entities::audit_entry;
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};

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
        let seq = self.seq + 1;
        let content = EntryContent {
            seq,
            at: &at_text,
            user_id: self.actor.user_id,
            actor: &self.actor.name,
            case_id,
            action,
            detail: &detail,
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

/// Walks the whole chain in pages of `seq` order and checks every link and the head.
pub async fn verify(db: &DatabaseConnection) -> Result<VerifyReport, DbErr> {
    const PAGE: u64 = 5_000;
    let mut v = Verifier::default();
    let mut after = 0i64;
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.gt(after))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        for e in &page {
            let stored = StoredEntry {
                id: e.id,
                seq: e.seq,
                at: format_at(&e.at),
                user_id: e.user_id,
                actor: e.actor.clone(),
                case_id: e.case_id,
                action: e.action.clone(),
                detail: e.detail.clone(),
                prev_hash: e.prev_hash.clone(),
                hash: e.hash.clone(),
            };
            if let Err(b) = v.feed(&stored) {
                return Ok(VerifyReport { checked: v.checked, result: Err(b) });
            }
        }
        match page.last() {
            Some(last) if page.len() as u64 == PAGE => after = last.seq,
            _ => break,
        }
    }
    let backend = db.get_database_backend();
    let head =
        db.query_one_raw(Statement::from_string(backend, "SELECT seq, last_hash FROM audit_head WHERE id = 1")).await?;
    let (head_seq, head_hash) = match head {
        Some(row) => (row.try_get_by_index::<i64>(0)?, row.try_get_by_index::<String>(1)?),
        None => (0, GENESIS.to_owned()),
    };
    let result = v.finish(head_seq, &head_hash);
    Ok(VerifyReport { checked: v.checked, result })
}

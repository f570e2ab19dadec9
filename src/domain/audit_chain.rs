//! The audit log as a hash chain: each entry's hash covers its own content and the hash of
//! the entry before it, so an edited, deleted or reordered entry breaks the chain.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an entry that its hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryContent<'a> {
    pub seq: i64,
    /// RFC 3339 with microseconds, UTC: fixed so both databases give the same text back.
    pub at: &'a str,
    pub user_id: Option<i32>,
    pub actor: &'a str,
    pub case_id: Option<i32>,
    pub action: &'a str,
    pub detail: &'a str,
}

pub fn entry_hash(prev_hash: &str, e: &EntryContent<'_>) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields, so no two different entries serialise to the same bytes.
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(prev_hash.as_bytes());
    field(&e.seq.to_be_bytes());
    field(e.at.as_bytes());
    field(e.user_id.map(|u| u.to_string()).unwrap_or_default().as_bytes());
    field(e.actor.as_bytes());
    field(e.case_id.map(|c| c.to_string()).unwrap_or_default().as_bytes());
    field(e.action.as_bytes());
    field(e.detail.as_bytes());
    hex::encode(h.finalize())
}

/// A stored entry as read back for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub id: i64,
    pub seq: i64,
    pub at: String,
    pub user_id: Option<i32>,
    pub actor: String,
    pub case_id: Option<i32>,
    pub action: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEntry {
    fn content(&self) -> EntryContent<'_> {
        EntryContent {
            seq: self.seq,
            at: &self.at,
            user_id: self.user_id,
            actor: &self.actor,
            case_id: self.case_id,
            action: &self.action,
            detail: &self.detail,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's content no longer matches its own hash: it was edited.
    Edited { seq: i64 },
    /// A sequence number is missing: entries were deleted.
    Missing { expected_seq: i64, found_seq: i64 },
    /// The entry does not point at the hash of its predecessor.
    Unlinked { seq: i64 },
    /// The head records more entries, or another last hash, than the log holds.
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Edited { seq } => {
                write!(f, "entry {seq} was changed after it was written (its hash no longer matches)")
            }
            ChainBreak::Missing { expected_seq, found_seq } => {
                write!(f, "entries {expected_seq}..{} are missing (deleted)", found_seq - 1)
            }
            ChainBreak::Unlinked { seq } => {
                write!(f, "entry {seq} does not link to the entry before it")
            }
            ChainBreak::HeadMismatch { head_seq, last_seq } => write!(
                f,
                "the chain head records entry {head_seq} as the last, but the log ends at entry {last_seq} (entries at the end were deleted or the head was altered)"
            ),
        }
    }
}

/// Incremental verifier: feed entries in `seq` order (in pages, so a large log never sits in
/// memory at once), then check against the head.
#[derive(Debug)]
pub struct Verifier {
    prev_hash: String,
    next_seq: i64,
    pub checked: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self { prev_hash: GENESIS.to_owned(), next_seq: 1, checked: 0 }
    }
}

impl Verifier {
    pub fn feed(&mut self, e: &StoredEntry) -> Result<(), ChainBreak> {
        if e.seq != self.next_seq {
            return Err(ChainBreak::Missing { expected_seq: self.next_seq, found_seq: e.seq });
        }
        if entry_hash(&e.prev_hash, &e.content()) != e.hash {
            return Err(ChainBreak::Edited { seq: e.seq });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        self.prev_hash = e.hash.clone();
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }

    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        let last_seq = self.next_seq - 1;
        if head_seq != last_seq || head_hash != self.prev_hash {
            return Err(ChainBreak::HeadMismatch { head_seq, last_seq });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain(n: usize) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n as i64)
            .map(|seq| {
                let at = format!("2026-11-23T10:00:{:02}.000000Z", seq % 60);
                let detail = format!("{{\"n\":{seq}}}");
                let content = EntryContent {
                    seq,
                    at: &at,
                    user_id: Some(1),
                    actor: "Secretaris",
                    case_id: Some(seq as i32 % 3),
                    action: "zaak.geregistreerd",
                    detail: &detail,
                };
                let hash = entry_hash(&prev, &content);
                let e = StoredEntry {
                    id: seq,
                    seq,
                    at: at.clone(),
                    user_id: Some(1),
                    actor: "Secretaris".into(),
                    case_id: Some(seq as i32 % 3),
                    action: "zaak.geregistreerd".into(),
                    detail,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[StoredEntry], head_seq: i64, head_hash: &str) -> Result<u64, ChainBreak> {
        let mut v = Verifier::default();
        for e in entries {
            v.feed(e)?;
        }
        v.finish(head_seq, head_hash)?;
        Ok(v.checked)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn edit_is_detected_with_its_seq() {
        let mut c = chain(5);
        c[2].detail = "{\"n\":99}".into();
        assert_eq!(verify(&c, 5, &c[4].hash.clone()), Err(ChainBreak::Edited { seq: 3 }));
    }

    #[test]
    fn deletion_in_the_middle_is_detected() {
        let mut c = chain(5);
        c.remove(1);
        let head = c[3].hash.clone();
        assert_eq!(verify(&c, 5, &head), Err(ChainBreak::Missing { expected_seq: 2, found_seq: 3 }));
    }

    #[test]
    fn deletion_at_the_end_is_detected_by_the_head() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(verify(&c[..4], 5, &head), Err(ChainBreak::HeadMismatch { head_seq: 5, last_seq: 4 }));
    }

    #[test]
    fn rehashed_edit_is_detected_by_the_next_link() {
        let mut c = chain(4);
        c[1].actor = "Iemand anders".into();
        let content = c[1].content();
        c[1].hash = entry_hash(&c[1].prev_hash, &content);
        assert_eq!(verify(&c, 4, &c[3].hash.clone()), Err(ChainBreak::Unlinked { seq: 3 }));
    }

    proptest! {
        #[test]
        fn any_single_field_edit_breaks_the_chain(n in 1usize..20, idx in 0usize..20, field in 0u8..5, text in "[a-z]{1,8}") {
            let mut c = chain(n);
            let i = idx % n;
            match field {
                0 => c[i].actor.push_str(&text),
                1 => c[i].action.push_str(&text),
                2 => c[i].detail.push_str(&text),
                3 => c[i].at.push_str(&text),
                _ => c[i].case_id = Some(c[i].case_id.unwrap_or(0) + 1),
            }
            let head = c[n - 1].hash.clone();
            prop_assert!(verify(&c, n as i64, &head).is_err());
        }
    }
}

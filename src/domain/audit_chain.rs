//! The audit log as a hash chain: each entry's hash covers its own content and the hash of
//! the entry before it, so an edited, deleted or reordered entry breaks the chain.
//!
//! Version 2 (the current one) covers a SHA-256 digest of the detail instead of the detail
//! itself: when the retention purge blanks the details of a purged case (they may name
//! people), the stored digest still links the entry, so the chain keeps verifying. Entries of
//! version 1 (no digest) are re-sealed into version 2 once, at start-up ([`reseal`]).

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
    /// Version 1: the detail text. Version 2: its digest ([`detail_digest`]).
    pub detail: &'a str,
}

/// The digest of a detail as version 2 of the chain covers it.
pub fn detail_digest(detail: &str) -> String {
    hex::encode(Sha256::digest(detail.as_bytes()))
}

fn hash_fields(version: Option<&[u8]>, prev_hash: &str, e: &EntryContent<'_>) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields, so no two different entries serialise to the same bytes.
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    if let Some(v) = version {
        field(v);
    }
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

/// Version 1: the hash covers the detail text itself.
pub fn entry_hash_v1(prev_hash: &str, e: &EntryContent<'_>) -> String {
    hash_fields(None, prev_hash, e)
}

/// Version 2: `e.detail` must be the detail's digest. A leading version field keeps the two
/// versions' inputs apart.
pub fn entry_hash(prev_hash: &str, e: &EntryContent<'_>) -> String {
    hash_fields(Some(b"v2"), prev_hash, e)
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
    /// `None` for an entry of version 1.
    pub detail_digest: Option<String>,
    pub detail_purged: bool,
    /// Whether the entry's case was purged: only then may its detail be blank.
    pub case_purged: bool,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEntry {
    fn content<'a>(&'a self, detail: &'a str) -> EntryContent<'a> {
        EntryContent {
            seq: self.seq,
            at: &self.at,
            user_id: self.user_id,
            actor: &self.actor,
            case_id: self.case_id,
            action: &self.action,
            detail,
        }
    }

    /// The hash this entry's stored content gives, or the break it shows on its own.
    fn own_hash(&self) -> Result<String, ChainBreak> {
        match &self.detail_digest {
            None if self.detail_purged => Err(ChainBreak::Blanked { seq: self.seq }),
            None => Ok(entry_hash_v1(&self.prev_hash, &self.content(&self.detail))),
            Some(digest) => {
                if self.detail_purged {
                    if !self.case_purged {
                        return Err(ChainBreak::Blanked { seq: self.seq });
                    }
                } else if detail_digest(&self.detail) != *digest {
                    return Err(ChainBreak::Edited { seq: self.seq });
                }
                Ok(entry_hash(&self.prev_hash, &self.content(digest)))
            }
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
    /// The entry's detail was blanked although its case was never purged.
    Blanked { seq: i64 },
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
            ChainBreak::Blanked { seq } => {
                write!(f, "entry {seq} had its detail removed, but its case was never purged")
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
        if e.own_hash()? != e.hash {
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

/// An entry's new seal under version 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resealed {
    pub detail_digest: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Re-seals a chain into version 2: feed the stored entries in `seq` order; each is verified as
/// it stands (a broken chain is never re-sealed, which would launder the break), then given its
/// digest and linked to the re-sealed entry before it.
#[derive(Debug)]
pub struct Resealer {
    verifier: Verifier,
    prev_hash: String,
}

impl Default for Resealer {
    fn default() -> Self {
        Self { verifier: Verifier::default(), prev_hash: GENESIS.to_owned() }
    }
}

impl Resealer {
    pub fn feed(&mut self, e: &StoredEntry) -> Result<Resealed, ChainBreak> {
        self.verifier.feed(e)?;
        let digest = e.detail_digest.clone().unwrap_or_else(|| detail_digest(&e.detail));
        let hash = entry_hash(&self.prev_hash, &e.content(&digest));
        let out =
            Resealed { detail_digest: digest, prev_hash: std::mem::replace(&mut self.prev_hash, hash.clone()), hash };
        Ok(out)
    }

    /// Checks the old head; gives the new last hash.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<String, ChainBreak> {
        self.verifier.finish(head_seq, head_hash)?;
        Ok(self.prev_hash.clone())
    }

    pub fn checked(&self) -> u64 {
        self.verifier.checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain(n: usize) -> Vec<StoredEntry> {
        build(n, true)
    }

    /// A chain of version 2 (`v2`) or version 1 entries.
    fn build(n: usize, v2: bool) -> Vec<StoredEntry> {
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
                let digest = detail_digest(&detail);
                let hash = if v2 {
                    entry_hash(&prev, &EntryContent { detail: &digest, ..content })
                } else {
                    entry_hash_v1(&prev, &content)
                };
                let e = StoredEntry {
                    id: seq,
                    seq,
                    at: at.clone(),
                    user_id: Some(1),
                    actor: "Secretaris".into(),
                    case_id: Some(seq as i32 % 3),
                    action: "zaak.geregistreerd".into(),
                    detail,
                    detail_digest: v2.then_some(digest),
                    detail_purged: false,
                    case_purged: false,
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
        c[1].hash = c[1].own_hash().unwrap();
        assert_eq!(verify(&c, 4, &c[3].hash.clone()), Err(ChainBreak::Unlinked { seq: 3 }));
    }

    #[test]
    fn a_purged_cases_blanked_detail_still_verifies() {
        let mut c = chain(4);
        c[1].detail = "{}".into();
        c[1].detail_purged = true;
        c[1].case_purged = true;
        assert_eq!(verify(&c, 4, &c[3].hash.clone()), Ok(4));
    }

    #[test]
    fn a_blanked_detail_without_a_purged_case_is_a_break() {
        let mut c = chain(4);
        c[1].detail = "{}".into();
        c[1].detail_purged = true;
        assert_eq!(verify(&c, 4, &c[3].hash.clone()), Err(ChainBreak::Blanked { seq: 2 }));
        // Version 1 has no digest to fall back on: blanking is always a break.
        let mut c = build(4, false);
        c[1].detail_purged = true;
        c[1].case_purged = true;
        assert_eq!(verify(&c, 4, &c[3].hash.clone()), Err(ChainBreak::Blanked { seq: 2 }));
    }

    #[test]
    fn a_changed_digest_is_an_edit() {
        let mut c = chain(3);
        c[1].detail_digest = Some(detail_digest("{\"n\":99}"));
        c[1].detail = "{\"n\":99}".into();
        assert_eq!(verify(&c, 3, &c[2].hash.clone()), Err(ChainBreak::Edited { seq: 2 }));
    }

    #[test]
    fn version_1_chains_and_mixed_chains_verify() {
        let c = build(5, false);
        assert_eq!(verify(&c, 5, &c[4].hash.clone()), Ok(5));
        // Version-2 entries appended to a version-1 chain (written after the upgrade, before
        // the re-seal).
        let mut mixed = build(3, false);
        let mut tail = chain(2);
        let mut prev = mixed[2].hash.clone();
        for (i, e) in tail.iter_mut().enumerate() {
            e.seq = 4 + i as i64;
            e.prev_hash = prev.clone();
            e.hash = e.own_hash().unwrap();
            prev = e.hash.clone();
        }
        mixed.extend(tail);
        assert_eq!(verify(&mixed, 5, &prev), Ok(5));
    }

    fn reseal_all(c: &[StoredEntry], head_seq: i64, head_hash: &str) -> Result<Vec<StoredEntry>, ChainBreak> {
        let mut r = Resealer::default();
        let mut out = Vec::new();
        for e in c {
            let sealed = r.feed(e)?;
            out.push(StoredEntry {
                detail_digest: Some(sealed.detail_digest),
                prev_hash: sealed.prev_hash,
                hash: sealed.hash,
                ..e.clone()
            });
        }
        let head = r.finish(head_seq, head_hash)?;
        assert_eq!(out.last().map(|e| e.hash.clone()).unwrap_or(GENESIS.to_owned()), head);
        Ok(out)
    }

    #[test]
    fn resealing_a_version_1_chain_keeps_its_content_and_verifies() {
        let old = build(6, false);
        let new = reseal_all(&old, 6, &old[5].hash).unwrap();
        for (o, n) in old.iter().zip(&new) {
            assert_eq!((o.seq, &o.detail, &o.actor), (n.seq, &n.detail, &n.actor));
            assert_ne!(o.hash, n.hash);
        }
        assert_eq!(verify(&new, 6, &new[5].hash.clone()), Ok(6));
        // Re-sealing a chain already of version 2 changes nothing.
        assert_eq!(reseal_all(&new, 6, &new[5].hash).unwrap(), new);
    }

    #[test]
    fn a_broken_chain_is_never_resealed() {
        let mut old = build(4, false);
        old[2].detail = "{\"n\":99}".into();
        let head = old[3].hash.clone();
        assert_eq!(reseal_all(&old, 4, &head), Err(ChainBreak::Edited { seq: 3 }));
        let old = build(4, false);
        assert_eq!(reseal_all(&old[..3], 4, &old[3].hash), Err(ChainBreak::HeadMismatch { head_seq: 4, last_seq: 3 }));
    }

    proptest! {
        #[test]
        fn after_a_reseal_any_single_field_edit_breaks_the_chain(n in 1usize..15, idx in 0usize..15, field in 0u8..4, text in "[a-z]{1,8}") {
            let old = build(n, false);
            let mut c = reseal_all(&old, n as i64, &old[n - 1].hash).unwrap();
            let i = idx % n;
            match field {
                0 => c[i].actor.push_str(&text),
                1 => c[i].detail.push_str(&text),
                2 => c[i].detail_purged = true,
                _ => c[i].at.push_str(&text),
            }
            let head = c[n - 1].hash.clone();
            prop_assert!(verify(&c, n as i64, &head).is_err());
        }

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

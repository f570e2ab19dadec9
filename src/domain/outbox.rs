//! Delivery rules of the outbox: when a failed message is tried again, when the worker gives
//! up, and the form of a message's stable Message-ID.

use chrono::{DateTime, Duration, Utc};

/// After this many failed attempts a message is marked failed and shown to the secretary.
pub const MAX_ATTEMPTS: i32 = 8;

/// The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed: one minute,
/// doubling, at most six hours. Eight attempts span a little over four hours.
pub fn backoff(attempt: i32) -> Duration {
    let exp = attempt.clamp(1, 20) - 1;
    Duration::minutes((1i64 << exp).min(6 * 60))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(DateTime<Utc>),
    GiveUp,
}

/// What happens after attempt number `attempts` failed at `now`.
pub fn after_failure(attempts: i32, now: DateTime<Utc>) -> AfterFailure {
    if attempts >= MAX_ATTEMPTS { AfterFailure::GiveUp } else { AfterFailure::RetryAt(now + backoff(attempts)) }
}

/// A Message-ID (RFC 5322) from a random token and the sender's domain, fixed when the message
/// enters the outbox: `<kc.0123abcd...@domain>`.
pub fn message_id(token: &[u8; 16], from_address: &str) -> String {
    let domain = from_address.rsplit_once('@').map(|(_, d)| d).filter(|d| !d.is_empty()).unwrap_or("localhost");
    format!("<kc.{}@{}>", hex::encode(token), domain)
}

/// The name of a message's file in the mail folder: the Message-ID's token, so a message
/// delivered twice overwrites its own file instead of appearing twice.
pub fn mail_file_name(message_id: &str) -> String {
    let token: String = message_id
        .trim_matches(['<', '>'])
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect();
    format!("{token}.eml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn backoff_doubles_from_a_minute_and_is_capped() {
        let waits: Vec<i64> = (1..=MAX_ATTEMPTS).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 64, 128]);
        assert_eq!(backoff(30).num_minutes(), 360);
        assert_eq!(backoff(0).num_minutes(), 1);
    }

    #[test]
    fn gives_up_at_the_limit() {
        let now = Utc::now();
        assert_eq!(after_failure(1, now), AfterFailure::RetryAt(now + Duration::minutes(1)));
        assert_eq!(after_failure(MAX_ATTEMPTS - 1, now), AfterFailure::RetryAt(now + Duration::minutes(64)));
        assert_eq!(after_failure(MAX_ATTEMPTS, now), AfterFailure::GiveUp);
    }

    #[test]
    fn message_ids_use_the_senders_domain() {
        let t = [0xab; 16];
        assert_eq!(message_id(&t, "secretariaat@klachten.nl"), format!("<kc.{}@klachten.nl>", "ab".repeat(16)));
        assert_eq!(message_id(&t, "geen-adres"), format!("<kc.{}@localhost>", "ab".repeat(16)));
        assert_eq!(mail_file_name("<kc.ab12@klachten.nl>"), "kc.ab12_klachten.nl.eml");
    }

    proptest! {
        #[test]
        fn retries_are_always_later_and_bounded(attempts in 1..MAX_ATTEMPTS) {
            let now = Utc::now();
            match after_failure(attempts, now) {
                AfterFailure::RetryAt(t) => prop_assert!(t > now && t <= now + Duration::hours(6)),
                AfterFailure::GiveUp => prop_assert!(false, "gave up too early"),
            }
        }

        #[test]
        fn mail_file_names_are_safe(id in ".{0,80}") {
            let name = mail_file_name(&id);
            prop_assert!(!name.contains('/'));
            prop_assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)));
        }
    }
}

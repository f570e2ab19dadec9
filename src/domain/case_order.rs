//! The register's order (newest receipt first, then the newest case) as one number, the
//! `sort_key` of the name index (migration 000020): the days from 1970-01-01 to the date of
//! receipt in the high 32 bits, the case id in the low 32. The migration's SQL computes the same
//! key for both databases; an integration test holds the two to this definition.

use chrono::NaiveDate;

/// Case ids are `i32` and positive, so they fit the low 32 bits.
const ID_BITS: u32 = 32;

fn days_since_epoch(date: NaiveDate) -> i64 {
    i64::from(date.to_epoch_days())
}

/// The key of the case `id` received on `received_on`.
pub fn sort_key(received_on: NaiveDate, id: i32) -> i64 {
    (days_since_epoch(received_on) << ID_BITS) | i64::from(id.max(0))
}

/// The keys of the cases received from `from` up to, not including, `to`: `from_key <= k < to_key`.
pub fn key_range(from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    (days_since_epoch(from) << ID_BITS, days_since_epoch(to) << ID_BITS)
}

/// The case id in a key; `case_of(sort_key(d, id)) == id`.
pub fn case_of(key: i64) -> i32 {
    (key & 0xFFFF_FFFF) as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(d: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(d as u64)
    }

    #[test]
    fn epoch_and_bit_layout() {
        assert_eq!(sort_key(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap(), 7), (1 << 32) | 7);
        assert_eq!(case_of(sort_key(date(9000), i32::MAX)), i32::MAX);
        assert!(sort_key(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(), i32::MAX) > 0, "no overflow into the sign");
    }

    proptest! {
        /// Ordering by key is ordering by (received_on, id), both ways round.
        #[test]
        fn key_order_is_register_order(d1 in 0i64..40_000, id1 in 1i32..=i32::MAX, d2 in 0i64..40_000, id2 in 1i32..=i32::MAX) {
            let (a, b) = ((date(d1), id1), (date(d2), id2));
            prop_assert_eq!(sort_key(a.0, a.1).cmp(&sort_key(b.0, b.1)), a.cmp(&b));
            prop_assert_eq!(case_of(sort_key(a.0, a.1)), id1);
        }

        /// A case falls in a date range exactly when its key falls in the range's keys.
        #[test]
        fn ranges_hold_exactly_their_dates(d in 0i64..40_000, id in 1i32..=i32::MAX, from in 0i64..40_000, len in 0i64..800) {
            let (lo, hi) = key_range(date(from), date(from + len));
            let k = sort_key(date(d), id);
            prop_assert_eq!(lo <= k && k < hi, from <= d && d < from + len);
        }
    }
}

//! Wraking and verschoning (Art 19): who votes, and what the votes decide. The other members
//! of the panel decide; a tie means the request is granted (19.4).

/// What a request comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Granted,
    Refused,
}

/// The members who vote on a request about `challenged`: every other member of the panel.
pub fn voters(panel: &[i32], challenged: i32) -> Vec<i32> {
    panel.iter().copied().filter(|m| *m != challenged).collect()
}

/// The decision once every voter has voted; `None` while votes are missing. A tie is granted
/// (Art 19.4), and so is a request on which no one can vote (the panel has no other member),
/// because the member then cannot be shown to be impartial.
pub fn decide(voters: usize, grants: usize, refusals: usize) -> Option<Decision> {
    if grants + refusals < voters {
        return None;
    }
    Some(if grants >= refusals { Decision::Granted } else { Decision::Refused })
}

/// Whether `member` may vote on a request about `challenged`, and if not, why (in Dutch).
pub fn may_vote(panel: &[i32], challenged: i32, member: i32, already_voted: bool) -> Result<(), &'static str> {
    if member == challenged {
        Err("Over een verzoek dat u zelf betreft stemt u niet (art. 19.3).")
    } else if !panel.contains(&member) {
        Err("Alleen de andere leden van de commissie voor deze zaak stemmen (art. 19.3).")
    } else if already_voted {
        Err("U hebt al gestemd.")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_tie_is_granted_and_a_majority_decides() {
        assert_eq!(decide(2, 1, 1), Some(Decision::Granted), "art. 19.4");
        assert_eq!(decide(2, 0, 2), Some(Decision::Refused));
        assert_eq!(decide(2, 2, 0), Some(Decision::Granted));
        assert_eq!(decide(2, 1, 0), None, "one vote missing");
        assert_eq!(decide(1, 0, 1), Some(Decision::Refused));
        assert_eq!(decide(0, 0, 0), Some(Decision::Granted));
    }

    #[test]
    fn only_the_other_panel_members_vote_once() {
        let panel = [1, 2, 3];
        assert_eq!(voters(&panel, 2), vec![1, 3]);
        assert!(may_vote(&panel, 2, 2, false).is_err());
        assert!(may_vote(&panel, 2, 9, false).is_err());
        assert!(may_vote(&panel, 2, 1, true).is_err());
        assert_eq!(may_vote(&panel, 2, 1, false), Ok(()));
    }

    proptest! {
        #[test]
        fn decided_only_when_complete_and_ties_grant(voters in 0usize..5, grants in 0usize..5, refusals in 0usize..5) {
            match decide(voters, grants, refusals) {
                None => prop_assert!(grants + refusals < voters),
                Some(Decision::Granted) => prop_assert!(grants >= refusals),
                Some(Decision::Refused) => prop_assert!(refusals > grants),
            }
        }
    }
}

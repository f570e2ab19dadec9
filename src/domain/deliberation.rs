//! Deliberation (Art 24) as pure rules: every panel member takes part, each question is put to
//! the vote, the majority decides, and the answers give the outcome of the complaint.

use super::case::{Outcome, vocabulary};

vocabulary! {
    /// What a question decides.
    QuestionKind {
        Ontvankelijk = "ontvankelijk" => "Ontvankelijkheid",
        Gegrond = "gegrond" => "Gegrondheid",
        Maatregelen = "maatregelen" => "Aanbevolen maatregelen",
    }
}

/// A question as put to the vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub kind: QuestionKind,
    pub text: String,
}

/// The questions for a complaint with these parts: admissibility, each part founded, and,
/// when the panel considers them, recommended measures.
pub fn questions(parts: &[String], measures: bool) -> Vec<Question> {
    let mut q = vec![Question { kind: QuestionKind::Ontvankelijk, text: "Is de klacht ontvankelijk?".into() }];
    for p in parts {
        q.push(Question { kind: QuestionKind::Gegrond, text: format!("Is de klacht gegrond ten aanzien van: {p}?") });
    }
    if measures {
        q.push(Question {
            kind: QuestionKind::Maatregelen,
            text: "Beveelt de commissie het bevoegd gezag maatregelen aan?".into(),
        });
    }
    q
}

/// Art 24: the deliberation needs every member of the panel.
pub fn all_present(panel: &[i32], present: &[i32]) -> Result<(), &'static str> {
    if panel.is_empty() {
        Err("De zaak heeft nog geen commissie.")
    } else if panel.iter().all(|m| present.contains(m)) {
        Ok(())
    } else {
        Err(
            "Alle leden van de commissie nemen deel aan de beraadslaging (art. 24); een beraadslaging zonder hen wordt niet vastgelegd.",
        )
    }
}

/// One member's vote, with whether that member chairs the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vote {
    pub member_id: i32,
    pub chair: bool,
    pub yes: bool,
}

/// Art 24: the majority decides. An even split can only arise in a panel of two (Art 9.1, on
/// sudden absence); then the chair's vote decides (Art 29: the chair decides what the
/// reglement does not provide for).
pub fn decide(votes: &[Vote]) -> Result<bool, &'static str> {
    if votes.is_empty() {
        return Err("Er is niet gestemd.");
    }
    let yes = votes.iter().filter(|v| v.yes).count();
    let no = votes.len() - yes;
    match yes.cmp(&no) {
        std::cmp::Ordering::Greater => Ok(true),
        std::cmp::Ordering::Less => Ok(false),
        std::cmp::Ordering::Equal => votes
            .iter()
            .find(|v| v.chair)
            .map(|v| v.yes)
            .ok_or("De stemmen staken en de voorzitter heeft niet gestemd."),
    }
}

/// The outcome the answers give: not admissible, or founded on all, some or none of the parts.
pub fn outcome(admissible: bool, parts_founded: &[bool]) -> Outcome {
    if !admissible {
        Outcome::NietOntvankelijk
    } else if !parts_founded.is_empty() && parts_founded.iter().all(|f| *f) {
        Outcome::Gegrond
    } else if parts_founded.iter().any(|f| *f) {
        Outcome::GedeeltelijkGegrond
    } else {
        Outcome::Ongegrond
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(member_id: i32, chair: bool, yes: bool) -> Vote {
        Vote { member_id, chair, yes }
    }

    #[test]
    fn a_split_panel_follows_the_majority() {
        assert_eq!(decide(&[v(1, true, true), v(2, false, false), v(3, false, false)]), Ok(false));
        assert_eq!(decide(&[v(1, true, false), v(2, false, true), v(3, false, true)]), Ok(true));
        assert_eq!(decide(&[v(1, true, true), v(2, false, true), v(3, false, true)]), Ok(true));
    }

    #[test]
    fn in_a_panel_of_two_the_chair_decides_a_tie() {
        assert_eq!(decide(&[v(1, true, true), v(2, false, false)]), Ok(true));
        assert_eq!(decide(&[v(1, true, false), v(2, false, true)]), Ok(false));
        assert!(decide(&[v(1, false, false), v(2, false, true)]).is_err());
        assert!(decide(&[]).is_err());
    }

    #[test]
    fn everyone_on_the_panel_takes_part() {
        assert_eq!(all_present(&[1, 2, 3], &[3, 2, 1]), Ok(()));
        assert!(all_present(&[1, 2, 3], &[1, 2]).unwrap_err().contains("art. 24"));
        assert!(all_present(&[], &[]).is_err());
    }

    #[test]
    fn outcomes_follow_the_answers() {
        assert_eq!(outcome(false, &[true, true]), Outcome::NietOntvankelijk);
        assert_eq!(outcome(true, &[true, true]), Outcome::Gegrond);
        assert_eq!(outcome(true, &[true, false]), Outcome::GedeeltelijkGegrond);
        assert_eq!(outcome(true, &[false, false]), Outcome::Ongegrond);
        assert_eq!(outcome(true, &[]), Outcome::Ongegrond);
    }

    #[test]
    fn the_questions_cover_every_part() {
        let q = questions(&["de bejegening".into(), "de communicatie".into()], true);
        assert_eq!(q.len(), 4);
        assert_eq!(q[0].kind, QuestionKind::Ontvankelijk);
        assert!(q[2].text.contains("de communicatie"));
        assert_eq!(q[3].kind, QuestionKind::Maatregelen);
        assert_eq!(questions(&[], false).len(), 1);
    }

    proptest! {
        /// With an odd number of voters the majority always decides, whoever chairs; the
        /// decision never goes against a strict majority.
        #[test]
        fn the_majority_decides(yes in proptest::collection::vec(any::<bool>(), 1..7), chair in 0usize..7) {
            let votes: Vec<Vote> = yes.iter().enumerate().map(|(i, y)| v(i as i32, i == chair % yes.len(), *y)).collect();
            let ayes = yes.iter().filter(|y| **y).count();
            let nays = yes.len() - ayes;
            let d = decide(&votes).unwrap();
            if ayes > nays { prop_assert!(d); }
            if nays > ayes { prop_assert!(!d); }
            if ayes == nays { prop_assert_eq!(d, votes[chair % yes.len()].yes); }
        }
    }
}

//! Proposing a panel (Art 5.1, 5.2, 9.1, 9.2, 20.1): a chair and two members, never one tied to
//! the board or school (5.1), preferring a jurist as chair (5.2), expertise in the school's sector
//! (9.2), a mix of disciplines, members whose term runs past the hearing, and a fair spread of
//! work. Every candidate gets the reasons for and against, so the secretary sees why each was
//! or was not proposed, and confirms or changes the proposal.

use super::case::{Expertise, Sector};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i32,
    pub name: String,
    pub is_chair: bool,
    pub is_jurist: bool,
    pub expertise: Option<Expertise>,
    pub sectors: Vec<Sector>,
    pub term_end: NaiveDate,
    /// Art 5.1: the reason this member may not sit, if any.
    pub conflict: Option<String>,
    /// Open cases on whose panel the member sits now.
    pub open_cases: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub id: i32,
    pub name: String,
    /// `None`: not proposed; otherwise the seat.
    pub proposed_as: Option<Seat>,
    /// Why (or why not), in Dutch, most important first.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Chair,
    Member,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub chair: Option<i32>,
    pub members: Vec<i32>,
    /// Every candidate, the proposed ones first.
    pub assessments: Vec<Assessment>,
}

/// Higher is better: sector expertise counts most, then a light workload.
fn score(c: &Candidate, sector: Sector) -> i64 {
    let sector_bonus = if c.sectors.contains(&sector) { 100 } else { 0 };
    sector_bonus - i64::from(c.open_cases) * 10
}

/// Proposes the seats still open. `seated_chair` and `seated` describe the panel as it is;
/// `hearing_by` is the date by which the hearing should be held (Art 18).
pub fn propose(
    candidates: &[Candidate],
    sector: Sector,
    hearing_by: NaiveDate,
    has_chair: bool,
    seated_expertise: &[Option<Expertise>],
    open_member_seats: usize,
) -> Proposal {
    let available = |c: &Candidate| c.conflict.is_none() && c.term_end > hearing_by;
    // The chair: a chair of the commission, preferably a jurist (Art 5.2), then by score.
    let chair = if has_chair {
        None
    } else {
        candidates
            .iter()
            .filter(|c| c.is_chair && available(c))
            .max_by_key(|c| (c.is_jurist, score(c, sector), std::cmp::Reverse(c.id)))
            .map(|c| c.id)
    };
    // The members: greedily, each time preferring a discipline not yet on the panel.
    let mut disciplines: Vec<Option<Expertise>> = seated_expertise.to_vec();
    if let Some(id) = chair
        && let Some(c) = candidates.iter().find(|c| c.id == id)
    {
        disciplines.push(c.expertise);
    }
    let mut members: Vec<i32> = Vec::new();
    for _ in 0..open_member_seats {
        let pick = candidates
            .iter()
            .filter(|c| available(c) && Some(c.id) != chair && !members.contains(&c.id))
            .max_by_key(|c| {
                let new_discipline = c.expertise.is_some() && !disciplines.contains(&c.expertise);
                // Chairs are few: they fill a member's seat only when no one else fits as well.
                (new_discipline, score(c, sector), !c.is_chair, std::cmp::Reverse(c.id))
            });
        if let Some(c) = pick {
            members.push(c.id);
            disciplines.push(c.expertise);
        }
    }
    let mut assessments: Vec<Assessment> = candidates
        .iter()
        .map(|c| {
            let proposed_as = if Some(c.id) == chair {
                Some(Seat::Chair)
            } else if members.contains(&c.id) {
                Some(Seat::Member)
            } else {
                None
            };
            Assessment { id: c.id, name: c.name.clone(), proposed_as, reasons: reasons(c, sector, hearing_by) }
        })
        .collect();
    assessments.sort_by_key(|a| (a.proposed_as.is_none(), a.proposed_as != Some(Seat::Chair), a.name.clone()));
    Proposal { chair, members, assessments }
}

fn reasons(c: &Candidate, sector: Sector, hearing_by: NaiveDate) -> Vec<String> {
    let mut r = Vec::new();
    if let Some(why) = &c.conflict {
        r.push(why.clone());
        return r;
    }
    if c.term_end <= hearing_by {
        r.push(format!(
            "Zittingstermijn eindigt op {}, vóór de uiterste datum van de hoorzitting ({}).",
            super::dutch::date(c.term_end),
            super::dutch::date(hearing_by)
        ));
        return r;
    }
    if c.sectors.contains(&sector) {
        r.push(format!("Deskundig in de sector van de school: {} (art. 9.2).", sector.label().to_lowercase()));
    } else {
        r.push(format!("Niet deskundig in de sector van de school ({}).", sector.label().to_lowercase()));
    }
    if c.is_chair {
        r.push(if c.is_jurist {
            "Voorzitter en jurist (art. 5.2).".to_owned()
        } else {
            "Voorzitter, geen jurist (art. 5.2 geeft de voorkeur aan een jurist).".to_owned()
        });
    }
    if let Some(e) = c.expertise {
        r.push(format!("Discipline: {}.", e.label().to_lowercase()));
    }
    r.push(match c.open_cases {
        0 => "Zit nu in geen lopende zaak.".to_owned(),
        1 => "Zit nu in 1 lopende zaak.".to_owned(),
        n => format!("Zit nu in {n} lopende zaken."),
    });
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cand(id: i32, chair: bool, jurist: bool, e: Expertise, sectors: &[Sector], load: u32) -> Candidate {
        Candidate {
            id,
            name: format!("Lid {id}"),
            is_chair: chair,
            is_jurist: jurist,
            expertise: Some(e),
            sectors: sectors.to_vec(),
            term_end: d("2030-01-01"),
            conflict: None,
            open_cases: load,
        }
    }

    #[test]
    fn a_jurist_chair_and_a_mix_of_disciplines_with_sector_expertise() {
        use Expertise::*;
        use Sector::*;
        let c = vec![
            cand(1, true, false, Onderwijskundig, &[Po], 0),
            cand(2, true, true, Juridisch, &[Vo], 0),
            cand(3, false, true, Juridisch, &[Po], 0),
            cand(4, false, false, SociaalMedisch, &[Po], 0),
            cand(5, false, false, Onderwijskundig, &[Po], 0),
            cand(6, false, false, Onderwijskundig, &[Vo], 0),
        ];
        let p = propose(&c, Po, d("2027-01-20"), false, &[], 2);
        assert_eq!(p.chair, Some(2), "the jurist chair, though not from the sector");
        let mut m = p.members.clone();
        m.sort();
        assert_eq!(m, vec![4, 5], "two new disciplines from the sector, not a second jurist");
        assert_eq!(p.assessments[0].proposed_as, Some(Seat::Chair));
    }

    #[test]
    fn conflicts_and_ending_terms_are_never_proposed_and_say_why() {
        use Expertise::*;
        use Sector::*;
        let mut c = vec![
            cand(1, true, true, Juridisch, &[Po], 0),
            cand(2, false, false, SociaalMedisch, &[Po], 0),
            cand(3, false, false, Onderwijskundig, &[Po], 0),
            cand(4, false, false, Onderwijskundig, &[Po], 5),
        ];
        c[1].conflict = Some("Verbonden aan het bevoegd gezag (art. 5.1).".into());
        c[2].term_end = d("2026-12-31");
        let p = propose(&c, Po, d("2027-01-20"), false, &[], 2);
        assert_eq!(p.chair, Some(1));
        assert_eq!(p.members, vec![4], "only one member is available");
        let why = |id: i32| p.assessments.iter().find(|a| a.id == id).unwrap().reasons.join(" ");
        assert!(why(2).contains("art. 5.1"));
        assert!(why(3).contains("vóór de uiterste datum van de hoorzitting"));
        assert!(why(4).contains("5 lopende zaken"));
    }

    #[test]
    fn workload_breaks_ties() {
        use Expertise::*;
        use Sector::*;
        let c = vec![
            cand(1, true, true, Juridisch, &[Po], 0),
            cand(2, false, false, Onderwijskundig, &[Po], 3),
            cand(3, false, false, Onderwijskundig, &[Po], 1),
        ];
        let p = propose(&c, Po, d("2027-01-20"), false, &[], 1);
        assert_eq!(p.members, vec![3]);
    }

    #[test]
    fn only_open_seats_are_filled() {
        use Expertise::*;
        use Sector::*;
        let c = vec![
            cand(1, true, true, Juridisch, &[Po], 0),
            cand(2, false, false, Onderwijskundig, &[Po], 0),
            cand(3, false, false, SociaalMedisch, &[Po], 0),
        ];
        let p = propose(&c, Po, d("2027-01-20"), true, &[Some(Juridisch), Some(Onderwijskundig)], 1);
        assert_eq!(p.chair, None, "the case has its chair");
        assert_eq!(p.members, vec![3], "the discipline the panel lacks");
    }

    proptest! {
        #[test]
        fn never_proposes_the_unavailable_or_anyone_twice(
            flags in proptest::collection::vec((any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), 0u32..5), 0..12)
        ) {
            let c: Vec<Candidate> = flags.iter().enumerate().map(|(i, (chair, jurist, conflict, ending, load))| {
                let mut x = cand(i as i32, *chair, *jurist, Expertise::ALL[i % 3], &[Sector::ALL[i % 4]], *load);
                if *conflict { x.conflict = Some("art. 5.1".into()); }
                if *ending { x.term_end = d("2026-01-01"); }
                x
            }).collect();
            let p = propose(&c, Sector::Po, d("2027-01-20"), false, &[], 2);
            let mut chosen: Vec<i32> = p.members.clone();
            chosen.extend(p.chair);
            let mut unique = chosen.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), chosen.len());
            for id in chosen {
                let x = &c[id as usize];
                prop_assert!(x.conflict.is_none() && x.term_end > d("2027-01-20"));
            }
            if let Some(ch) = p.chair { prop_assert!(c[ch as usize].is_chair); }
            prop_assert!(p.members.len() <= 2);
            prop_assert_eq!(p.assessments.len(), c.len());
        }
    }
}

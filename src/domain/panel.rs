//! Who may sit on the panel of a case (Art 5.1, 9.1).

use super::case::PanelRole;

/// A declared tie of a member to a board or a school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affiliation {
    Board(i32),
    School(i32),
}

/// Art 5.1: a member who works for or is part of the bevoegd gezag concerned, or is otherwise
/// part of the school community, cannot sit on the case. Returns the reason, in Dutch.
pub fn ineligibility(
    affiliations: &[Affiliation],
    is_chair: bool,
    role: PanelRole,
    case_board: i32,
    case_school: i32,
) -> Option<String> {
    if affiliations.contains(&Affiliation::Board(case_board)) {
        return Some("Dit lid is verbonden aan het bevoegd gezag van deze school en kan niet in de zaak zitting nemen (art. 5.1).".into());
    }
    if affiliations.contains(&Affiliation::School(case_school)) {
        return Some(
            "Dit lid is verbonden aan de school van deze zaak en kan niet in de zaak zitting nemen (art. 5.1).".into(),
        );
    }
    if role == PanelRole::Voorzitter && !is_chair {
        return Some("Alleen een voorzitter van de commissie kan de zaak voorzitten (art. 9.1).".into());
    }
    None
}

/// Art 9.1: one chair and two members; a panel is full at three.
pub const PANEL_SIZE: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affiliation_with_board_or_school_excludes() {
        let a = [Affiliation::Board(2), Affiliation::School(9)];
        assert!(ineligibility(&a, false, PanelRole::Lid, 2, 1).unwrap().contains("bevoegd gezag"));
        assert!(ineligibility(&a, false, PanelRole::Lid, 3, 9).unwrap().contains("school"));
        assert_eq!(ineligibility(&a, false, PanelRole::Lid, 3, 1), None);
        assert_eq!(ineligibility(&[], true, PanelRole::Voorzitter, 3, 1), None);
        assert!(ineligibility(&[], false, PanelRole::Voorzitter, 3, 1).unwrap().contains("voorzitter"));
    }
}

//! Who may see and do what. The web layer asks these functions; it never decides itself.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Beheerder,
    Secretaris,
    Voorzitter,
    Lid,
    Bestuur,
}

impl Role {
    pub const ALL: &'static [Role] = &[Role::Beheerder, Role::Secretaris, Role::Voorzitter, Role::Lid, Role::Bestuur];

    pub fn code(self) -> &'static str {
        match self {
            Role::Beheerder => "beheerder",
            Role::Secretaris => "secretaris",
            Role::Voorzitter => "voorzitter",
            Role::Lid => "lid",
            Role::Bestuur => "bestuur",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Beheerder => "Beheerder",
            Role::Secretaris => "Secretaris",
            Role::Voorzitter => "Voorzitter",
            Role::Lid => "Commissielid",
            Role::Bestuur => "Bevoegd gezag",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// A chair or member sits on panels and is linked to a commission member record.
    pub fn sits_on_panels(self) -> bool {
        matches!(self, Role::Voorzitter | Role::Lid)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The facts about a user that access depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub role: Role,
    /// The commission member this account belongs to (chairs and members).
    pub member_id: Option<i32>,
    /// The board this account belongs to (board users).
    pub board_id: Option<i32>,
    /// A school's contactpersoon: the one school of that board the account is limited to.
    pub school_id: Option<i32>,
}

/// The facts about a case that access depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts<'a> {
    pub board_id: i32,
    pub school_id: i32,
    pub panel_member_ids: &'a [i32],
}

/// Art 10 confidentiality: the secretary and the administrator see every case; a chair or
/// member only the cases on whose panel they sit; a board user only its own board's cases.
pub fn can_view_case(viewer: &Viewer, case: &CaseFacts<'_>) -> bool {
    match viewer.role {
        Role::Beheerder | Role::Secretaris => true,
        Role::Voorzitter | Role::Lid => viewer.member_id.is_some_and(|m| case.panel_member_ids.contains(&m)),
        Role::Bestuur => viewer.board_id == Some(case.board_id) && viewer.school_id.is_none_or(|s| s == case.school_id),
    }
}

/// Where a list of cases must be narrowed for this viewer (the same rule as
/// [`can_view_case`], expressed as a filter the database can apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope {
    All,
    PanelOf(i32),
    Board(i32),
    /// A school's contactpersoon: the cases of that school.
    School(i32),
    /// A chair/member account without a member record, or a board user without a board.
    Nothing,
}

pub fn case_scope(viewer: &Viewer) -> CaseScope {
    match viewer.role {
        Role::Beheerder | Role::Secretaris => CaseScope::All,
        Role::Voorzitter | Role::Lid => viewer.member_id.map_or(CaseScope::Nothing, CaseScope::PanelOf),
        Role::Bestuur => match (viewer.board_id, viewer.school_id) {
            (Some(_), Some(school)) => CaseScope::School(school),
            (Some(board), None) => CaseScope::Board(board),
            (None, _) => CaseScope::Nothing,
        },
    }
}

/// Actions outside a single case, by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Register a klaagschrift and its documents (Art 11.1, 11.9: the secretariat).
    RegisterCase,
    /// Add documents to a case, assign the panel (the secretariat's daily work).
    ManageCase,
    /// Download a document of a case one may view.
    ReadDocuments,
    /// Users, members, boards and schools.
    Administer,
    /// See the commission's roster (rooster van aftreden).
    ViewCommission,
    /// Decide on a case's terms: extension (Art 13.1, 25.1), urgency (Art 27), suspension,
    /// closing. The chair decides; the secretariat records such decisions.
    DecideTerms,
    /// Edit the letter templates and the letterhead (the secretariat writes the letters).
    EditTemplates,
    /// Keep the school-level complaints register of one's own board's schools.
    KeepRegister,
    /// Manage one's board's API tokens and webhook (the link with its own systems).
    ManageIntegration,
}

pub fn may(role: Role, action: Action) -> bool {
    use Role::*;
    match action {
        Action::RegisterCase | Action::ManageCase | Action::EditTemplates => matches!(role, Secretaris | Beheerder),
        Action::ReadDocuments => true,
        Action::Administer => role == Beheerder,
        Action::ViewCommission | Action::DecideTerms => matches!(role, Beheerder | Secretaris | Voorzitter),
        Action::KeepRegister | Action::ManageIntegration => role == Bestuur,
    }
}

/// The school register is confidential: a board user sees its own schools' entries and keeps
/// them. An entry escalated to the commission is part of that case's dossier, so whoever may
/// see the case may read the entry (not change it).
pub fn can_view_register_entry(
    viewer: &Viewer,
    entry_board_id: i32,
    entry_school_id: i32,
    escalated_to: Option<&CaseFacts<'_>>,
) -> bool {
    can_edit_register_entry(viewer, entry_board_id, entry_school_id)
        || escalated_to.is_some_and(|c| can_view_case(viewer, c))
}

/// The board's users keep the registers of its schools; a contactpersoon only that of their school.
pub fn can_edit_register_entry(viewer: &Viewer, entry_board_id: i32, entry_school_id: i32) -> bool {
    viewer.role == Role::Bestuur
        && viewer.board_id == Some(entry_board_id)
        && viewer.school_id.is_none_or(|s| s == entry_school_id)
}

/// Whether the account speaks for the whole board (its API tokens and webhook), not for one school.
pub fn speaks_for_board(viewer: &Viewer) -> bool {
    viewer.role == Role::Bestuur && viewer.board_id.is_some() && viewer.school_id.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role, member_id: Option<i32>, board_id: Option<i32>) -> Viewer {
        Viewer { role, member_id, board_id, school_id: None }
    }

    #[test]
    fn case_visibility_per_role() {
        let panel = [3, 7, 9];
        let case = CaseFacts { board_id: 2, school_id: 20, panel_member_ids: &panel };
        assert!(can_view_case(&viewer(Role::Secretaris, None, None), &case));
        assert!(can_view_case(&viewer(Role::Beheerder, None, None), &case));
        assert!(can_view_case(&viewer(Role::Voorzitter, Some(3), None), &case));
        assert!(can_view_case(&viewer(Role::Lid, Some(9), None), &case));
        assert!(!can_view_case(&viewer(Role::Lid, Some(4), None), &case));
        assert!(!can_view_case(&viewer(Role::Voorzitter, None, None), &case));
        assert!(can_view_case(&viewer(Role::Bestuur, None, Some(2)), &case));
        assert!(!can_view_case(&viewer(Role::Bestuur, None, Some(5)), &case));
        assert!(!can_view_case(&viewer(Role::Bestuur, None, None), &case));
    }

    #[test]
    fn scope_agrees_with_can_view() {
        let panels: [&[i32]; 3] = [&[], &[1], &[1, 2, 3]];
        for role in Role::ALL {
            for member in [None, Some(1), Some(4)] {
                for board in [None, Some(1), Some(2)] {
                    for school in [None, Some(10), Some(20)] {
                        let v = Viewer { school_id: school, ..viewer(*role, member, board) };
                        for panel in panels {
                            for (case_board, case_school) in [(1, 10), (2, 20), (2, 21)] {
                                let case =
                                    CaseFacts { board_id: case_board, school_id: case_school, panel_member_ids: panel };
                                let by_scope = match case_scope(&v) {
                                    CaseScope::All => true,
                                    CaseScope::PanelOf(m) => panel.contains(&m),
                                    CaseScope::Board(b) => b == case_board,
                                    CaseScope::School(s) => s == case_school,
                                    CaseScope::Nothing => false,
                                };
                                // A contactpersoon's school belongs to their board (checked when
                                // the account is made), so a school of another board never occurs.
                                let consistent = school.is_none_or(|s| board == Some(if s == 10 { 1 } else { 2 }));
                                if *role == Role::Bestuur && !consistent {
                                    continue;
                                }
                                assert_eq!(by_scope, can_view_case(&v, &case), "{v:?} {case:?}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn only_secretariat_registers_and_only_beheerder_administers() {
        for role in Role::ALL {
            assert_eq!(may(*role, Action::RegisterCase), matches!(role, Role::Secretaris | Role::Beheerder));
            assert_eq!(may(*role, Action::Administer), *role == Role::Beheerder);
            assert_eq!(may(*role, Action::EditTemplates), matches!(role, Role::Secretaris | Role::Beheerder));
        }
        assert!(!may(Role::Bestuur, Action::ViewCommission));
        assert!(!may(Role::Lid, Action::ViewCommission));
        assert!(
            may(Role::Voorzitter, Action::DecideTerms)
                && !may(Role::Lid, Action::DecideTerms)
                && !may(Role::Bestuur, Action::DecideTerms)
        );
    }

    #[test]
    fn the_school_register_is_the_boards_own() {
        let own = viewer(Role::Bestuur, None, Some(2));
        let other = viewer(Role::Bestuur, None, Some(3));
        let secretary = viewer(Role::Secretaris, None, None);
        let member = viewer(Role::Lid, Some(4), None);
        assert!(can_edit_register_entry(&own, 2, 20) && can_view_register_entry(&own, 2, 20, None));
        assert!(!can_view_register_entry(&other, 2, 20, None) && !can_edit_register_entry(&other, 2, 20));
        assert!(!can_view_register_entry(&secretary, 2, 20, None), "not escalated: the school's own");
        let panel = [4];
        let case = CaseFacts { board_id: 2, school_id: 20, panel_member_ids: &panel };
        assert!(can_view_register_entry(&secretary, 2, 20, Some(&case)) && !can_edit_register_entry(&secretary, 2, 20));
        assert!(can_view_register_entry(&member, 2, 20, Some(&case)));
        assert!(!can_view_register_entry(&viewer(Role::Lid, Some(5), None), 2, 20, Some(&case)));
        assert!(!can_view_register_entry(&other, 2, 20, Some(&case)));
        // A school's contactpersoon: that school's register and cases, not the other schools'.
        let contact = Viewer { school_id: Some(20), ..own.clone() };
        assert!(can_edit_register_entry(&contact, 2, 20) && !can_edit_register_entry(&contact, 2, 21));
        assert!(!can_view_register_entry(&contact, 2, 21, None));
        assert!(can_view_case(&contact, &case));
        assert!(!can_view_case(&contact, &CaseFacts { school_id: 21, ..case.clone() }));
        assert!(speaks_for_board(&own) && !speaks_for_board(&contact) && !speaks_for_board(&secretary));
        for role in Role::ALL {
            assert_eq!(may(*role, Action::KeepRegister), *role == Role::Bestuur);
            assert_eq!(may(*role, Action::ManageIntegration), *role == Role::Bestuur);
        }
    }

    #[test]
    fn role_codes_roundtrip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(*role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}

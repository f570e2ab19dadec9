//! Restricted documents (Art 15): the commission may reserve inspection of a document to a
//! party's gemachtigde who is a lawyer or a doctor, or whom it specially admitted, to protect a
//! party's health or another's privacy. The party concerned never receives it.

use super::case::PartyRole;

/// Whether a person in `role` (with a gemachtigde's `qualification`) may receive a document
/// restricted for `restricted_for` (`None`: not restricted).
pub fn may_receive(role: PartyRole, qualification: Option<&str>, restricted_for: Option<PartyRole>) -> bool {
    let Some(concerned) = restricted_for else { return true };
    let representative = match concerned {
        PartyRole::Klager => PartyRole::GemachtigdeKlager,
        PartyRole::Aangeklaagde => PartyRole::GemachtigdeAangeklaagde,
        _ => return role != concerned,
    };
    if role == concerned {
        return false;
    }
    if role == representative {
        return matches!(qualification, Some("advocaat" | "arts" | "toegelaten"));
    }
    // The other side's people are not the party concerned; the commission decides per case
    // whether to share, so a restricted document goes to no other party either.
    false
}

/// The sentence a letter carries instead of a document it may not enclose.
pub fn notice(title: &str) -> String {
    format!(
        "Het stuk ‘{title}’ is niet bijgevoegd: de commissie heeft de inzage daarvan voorbehouden aan een gemachtigde die advocaat of arts is of door de commissie is toegelaten (artikel 15 van het reglement)."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_party_concerned_never_receives_it() {
        let r = Some(PartyRole::Aangeklaagde);
        assert!(!may_receive(PartyRole::Aangeklaagde, None, r));
        assert!(!may_receive(PartyRole::Aangeklaagde, Some("advocaat"), r), "a party is not its own lawyer here");
        assert!(!may_receive(PartyRole::GemachtigdeAangeklaagde, None, r), "an unqualified gemachtigde does not");
        for q in ["advocaat", "arts", "toegelaten"] {
            assert!(may_receive(PartyRole::GemachtigdeAangeklaagde, Some(q), r), "{q}");
        }
        assert!(!may_receive(PartyRole::Klager, None, r));
        assert!(may_receive(PartyRole::Aangeklaagde, None, None), "unrestricted documents go to everyone");
    }

    #[test]
    fn the_notice_names_the_document_and_the_article() {
        let n = notice("Medisch verslag");
        assert!(n.contains("‘Medisch verslag’") && n.contains("artikel 15"));
    }
}

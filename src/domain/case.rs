//! The vocabulary of a case: its status in the lifecycle, how it ends, how the klaagschrift
//! arrived, and the roles of the people it names.

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database (checked there by a constraint).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Dutch label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// Where a case stands. The order is the order of the lifecycle (Art 11-25).
    CaseStatus {
        Ontvangen = "ontvangen" => "Ontvangen",
        HerstelGevraagd = "herstel_gevraagd" => "Herstel gevraagd",
        Verweer = "verweer" => "Termijn verweerschrift",
        Onderzoek = "onderzoek" => "In onderzoek",
        Schriftelijk = "schriftelijk" => "Schriftelijke behandeling",
        ZittingGepland = "zitting_gepland" => "Hoorzitting gepland",
        Beraadslaging = "beraadslaging" => "Beraadslaging",
        AdviesInVoorbereiding = "advies_in_voorbereiding" => "Advies in voorbereiding",
        AdviesUitgebracht = "advies_uitgebracht" => "Advies uitgebracht",
        Afgesloten = "afgesloten" => "Afgesloten",
    }
}

impl CaseStatus {
    /// The article of the reglement that governs this stage.
    pub fn article(self) -> &'static str {
        match self {
            Self::Ontvangen => "art. 11.1-11.3",
            Self::HerstelGevraagd => "art. 11.7",
            Self::Verweer => "art. 12-13",
            Self::Onderzoek => "art. 14-15",
            Self::Schriftelijk => "art. 17",
            Self::ZittingGepland => "art. 18-22",
            Self::Beraadslaging => "art. 24",
            Self::AdviesInVoorbereiding => "art. 25.1-25.2",
            Self::AdviesUitgebracht => "art. 25.3-25.4",
            Self::Afgesloten => "",
        }
    }

    pub fn is_open(self) -> bool {
        self != Self::Afgesloten
    }
}

vocabulary! {
    /// How a case ends (domain: outcomes a case ends in).
    Outcome {
        NietOntvankelijk = "niet_ontvankelijk" => "Niet-ontvankelijk",
        Doorgezonden = "doorgezonden" => "Doorgezonden naar andere commissie",
        KennelijkOnbevoegd = "kennelijk_onbevoegd" => "Kennelijk onbevoegd",
        Ongegrond = "ongegrond" => "Ongegrond",
        Gegrond = "gegrond" => "Gegrond",
        GedeeltelijkGegrond = "gedeeltelijk_gegrond" => "Gedeeltelijk gegrond",
        Ingetrokken = "ingetrokken" => "Ingetrokken",
        Opgelost = "opgelost" => "Opgelost (schikking)",
    }
}

vocabulary! {
    /// The kind of complaint: the themes such commissions report and publish under.
    ComplaintKind {
        BegeleidingZorg = "begeleiding_zorg" => "Begeleiding en zorg (passend onderwijs)",
        Bejegening = "bejegening" => "Bejegening",
        Communicatie = "communicatie" => "Communicatie en informatie",
        Beoordeling = "beoordeling" => "Beoordeling, toetsing en examens",
        SchorsingVerwijdering = "schorsing_verwijdering" => "Schorsing en verwijdering",
        OngewenstGedrag = "ongewenst_gedrag" => "Ongewenst gedrag en intimidatie",
        PestenVeiligheid = "pesten_veiligheid" => "Pesten en veiligheid",
        Organisatie = "organisatie" => "Organisatie en onderwijstijd",
        Overig = "overig" => "Overig",
    }
}

vocabulary! {
    /// How the klaagschrift reached the commission (Art 11.1, 11.2, 11.6).
    Arrival {
        Post = "post" => "Per post",
        Email = "email" => "Per e-mail",
        Afgegeven = "afgegeven" => "Afgegeven op het secretariaat",
        Doorgezonden = "doorgezonden" => "Doorgezonden door school of andere instantie",
        Mondeling = "mondeling" => "Mondeling (verslag door secretaris)",
    }
}

vocabulary! {
    /// The role of a person named in a case. Parties need no account.
    PartyRole {
        Klager = "klager" => "Klager",
        Aangeklaagde = "aangeklaagde" => "Aangeklaagde",
        GemachtigdeKlager = "gemachtigde_klager" => "Gemachtigde van klager",
        GemachtigdeAangeklaagde = "gemachtigde_aangeklaagde" => "Gemachtigde van aangeklaagde",
        Getuige = "getuige" => "Getuige",
        Deskundige = "deskundige" => "Deskundige",
        Tolk = "tolk" => "Tolk",
        Begeleider = "begeleider" => "Vertrouwenspersoon (begeleider)",
    }
}

vocabulary! {
    /// Holiday region of a school (legal.md: chosen per school, not derived from its town).
    Region {
        Noord = "noord" => "Noord",
        Midden = "midden" => "Midden",
        Zuid = "zuid" => "Zuid",
    }
}

vocabulary! {
    /// Education sector (Art 9.2: panels are chosen for expertise in the sector).
    Sector {
        Po = "PO" => "Primair onderwijs",
        So = "SO" => "(Voortgezet) speciaal onderwijs",
        Vo = "VO" => "Voortgezet onderwijs",
        Bve = "BVE" => "Beroeps- en volwasseneneducatie",
    }
}

vocabulary! {
    /// Expertise of a commission member (Art 4.1).
    Expertise {
        Juridisch = "juridisch" => "Juridisch",
        SociaalMedisch = "sociaal-medisch" => "Sociaal-medisch",
        Onderwijskundig = "onderwijskundig" => "Onderwijskundig",
    }
}

vocabulary! {
    /// A seat on the panel of a case (Art 9.1).
    PanelRole {
        Voorzitter = "voorzitter" => "Voorzitter",
        Lid = "lid" => "Lid",
    }
}

/// Parses a stored list like `PO,VO`; unknown codes are refused rather than dropped.
pub fn parse_sectors(list: &str) -> Option<Vec<Sector>> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(Sector::parse).collect()
}

pub fn format_sectors(sectors: &[Sector]) -> String {
    sectors.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_roundtrip_and_are_unique() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            let mut seen = std::collections::HashSet::new();
            for &v in all {
                assert!(seen.insert(code(v)), "duplicate code {}", code(v));
                assert_eq!(parse(code(v)), Some(v));
            }
            assert_eq!(parse("onbekend"), None);
        }
        check(CaseStatus::ALL, CaseStatus::code, CaseStatus::parse);
        check(Outcome::ALL, Outcome::code, Outcome::parse);
        check(ComplaintKind::ALL, ComplaintKind::code, ComplaintKind::parse);
        check(Arrival::ALL, Arrival::code, Arrival::parse);
        check(PartyRole::ALL, PartyRole::code, PartyRole::parse);
        check(Region::ALL, Region::code, Region::parse);
        check(Sector::ALL, Sector::code, Sector::parse);
        check(Expertise::ALL, Expertise::code, Expertise::parse);
        check(PanelRole::ALL, PanelRole::code, PanelRole::parse);
    }

    #[test]
    fn only_afgesloten_is_closed() {
        for s in CaseStatus::ALL {
            assert_eq!(s.is_open(), *s != CaseStatus::Afgesloten);
        }
    }

    #[test]
    fn sectors_parse() {
        assert_eq!(parse_sectors("PO, VO"), Some(vec![Sector::Po, Sector::Vo]));
        assert_eq!(parse_sectors(""), Some(vec![]));
        assert_eq!(parse_sectors("PO,XX"), None);
        assert_eq!(format_sectors(&[Sector::So, Sector::Bve]), "SO,BVE");
    }
}

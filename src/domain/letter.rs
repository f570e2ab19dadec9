//! Letters: the kinds the commission sends, the placeholders each template may use, and the
//! rendering of a template's text. Templates are plain text with `{{name}}` placeholders;
//! paragraphs are separated by an empty line.

use super::case::vocabulary;
use std::collections::BTreeMap;

vocabulary! {
    /// The kinds of letter, each with its own template. Later steps of the lifecycle add kinds.
    LetterKind {
        Ontvangstbevestiging = "ontvangstbevestiging" => "Ontvangstbevestiging klaagschrift",
        OntvangstStuk = "ontvangst_stuk" => "Ontvangstbevestiging stuk",
        MeldingBevoegdGezag = "melding_bevoegd_gezag" => "Melding klacht aan het bevoegd gezag",
        VrijeBrief = "vrije_brief" => "Brief met vrije tekst",
        Herstelverzoek = "herstelverzoek" => "Verzoek om herstel van het klaagschrift",
        NietOntvankelijk = "niet_ontvankelijk" => "Beslissing niet-ontvankelijk",
        Doorgezonden = "doorgezonden" => "Doorzending aan een andere commissie",
        DoorzendingAangeklaagde = "doorzending_aangeklaagde" => "Klaagschrift aan de aangeklaagde",
        DoorzendingVerweerschrift = "doorzending_verweerschrift" => "Verweerschrift aan de klager",
        VerlengingVerweer = "verlenging_verweer" => "Verlenging termijn verweerschrift",
        Intrekking = "intrekking" => "Bevestiging van de intrekking",
        AfloopBevoegdGezag = "afloop_bevoegd_gezag" => "Afloop van de klacht aan het bevoegd gezag",
        BeslissingWraking = "beslissing_wraking" => "Beslissing op wraking of verschoning",
        Vereenvoudigd = "vereenvoudigd" => "Vereenvoudigde afdoening",
        SchriftelijkeBehandeling = "schriftelijke_behandeling" => "Schriftelijke behandeling",
        DoorzendingStuk = "doorzending_stuk" => "Doorzending van een stuk aan de andere partij",
        Informatieverzoek = "informatieverzoek" => "Verzoek om inlichtingen",
        MeldingInformatieverzoek = "melding_informatieverzoek" => "Melding van een verzoek om inlichtingen",
        UitnodigingVerschijning = "uitnodiging_verschijning" => "Oproeping vóór de hoorzitting",
        UitnodigingZitting = "uitnodiging_zitting" => "Uitnodiging voor de hoorzitting",
        WijzigingZitting = "wijziging_zitting" => "Wijziging van de zitting",
        AfzeggingZitting = "afzegging_zitting" => "Afzegging van de zitting",
        BeslissingApartHoren = "beslissing_apart_horen" => "Beslissing over apart horen",
        GetuigenCommissie = "getuigen_commissie" => "Getuigen en deskundigen van de commissie",
        VerslagGetuige = "verslag_getuige" => "Verslag van het horen van een minderjarige getuige",
        Schikking = "schikking" => "Bevestiging van de schikking",
        Heropening = "heropening" => "Heropening van het onderzoek",
        AdviesVerzending = "advies" => "Toezending van het advies",
        VerlengingAdvies = "verlenging_advies" => "Verlenging van de termijn voor het advies",
        Opgelost = "opgelost" => "Bevestiging: klacht opgelost",
        SchoolOntvangst = "school_ontvangst" => "School: ontvangstbevestiging van de klacht",
        SchoolBeslissing = "school_beslissing" => "School: beslissing op de klacht",
        SchoolUitstel = "school_uitstel" => "School: bericht van uitstel",
    }
}

impl LetterKind {
    /// A letter a school sends from its own complaints register, not the commission.
    pub fn is_school(self) -> bool {
        matches!(self, Self::SchoolOntvangst | Self::SchoolBeslissing | Self::SchoolUitstel)
    }

    /// The article of the reglement the letter carries out.
    pub fn article(self) -> &'static str {
        match self {
            Self::Ontvangstbevestiging | Self::OntvangstStuk => "art. 11.9",
            Self::MeldingBevoegdGezag => "art. 12.2",
            Self::VrijeBrief | Self::AfloopBevoegdGezag => "",
            Self::Herstelverzoek => "art. 11.7",
            Self::NietOntvankelijk => "art. 11.5, 11.7",
            Self::Doorgezonden => "art. 11.10",
            Self::DoorzendingAangeklaagde => "art. 12.1, 13.1",
            Self::DoorzendingVerweerschrift => "art. 13.2",
            Self::VerlengingVerweer => "art. 13.1",
            Self::Intrekking => "art. 26",
            Self::BeslissingWraking => "art. 19",
            Self::Vereenvoudigd => "art. 16",
            Self::SchriftelijkeBehandeling | Self::DoorzendingStuk => "art. 17",
            Self::Informatieverzoek | Self::MeldingInformatieverzoek => "art. 14.1",
            Self::UitnodigingVerschijning | Self::Schikking => "art. 14.2, 14.3",
            Self::UitnodigingZitting | Self::WijzigingZitting | Self::AfzeggingZitting => "art. 18",
            Self::BeslissingApartHoren => "art. 20.3, 20.4",
            Self::GetuigenCommissie => "art. 21.3",
            Self::VerslagGetuige => "art. 21.6",
            Self::Heropening => "art. 23",
            Self::AdviesVerzending => "art. 25.3, 25.4",
            Self::VerlengingAdvies => "art. 25.1",
            Self::Opgelost => "",
            Self::SchoolOntvangst | Self::SchoolBeslissing | Self::SchoolUitstel => "klachtenregeling school",
        }
    }

    /// Every placeholder a template of this kind may use: the common ones and its own.
    pub fn placeholders(self) -> Vec<&'static Placeholder> {
        let own: &[Placeholder] = match self {
            Self::OntvangstStuk => &[
                Placeholder { name: "stuk", description: "de titel van het ontvangen stuk" },
                Placeholder { name: "stuk_ontvangen_op", description: "de ontvangstdatum van het stuk (art. 11.9)" },
            ],
            Self::VrijeBrief => {
                &[Placeholder { name: "tekst", description: "de tekst die de secretaris bij het versturen schrijft" }]
            }
            Self::Ontvangstbevestiging | Self::MeldingBevoegdGezag => &[],
            Self::Herstelverzoek => &[
                Placeholder { name: "ontbrekend", description: "de lijst van wat ontbreekt (art. 11.3)" },
                Placeholder { name: "termijn", description: "de laatste dag voor het herstel" },
            ],
            Self::NietOntvankelijk => &[Placeholder { name: "motivering", description: "de reden van de beslissing" }],
            Self::Doorgezonden => {
                &[Placeholder { name: "andere_commissie", description: "naam en adres van de bevoegde commissie" }]
            }
            Self::DoorzendingAangeklaagde => {
                &[Placeholder { name: "termijn", description: "de laatste dag voor het verweerschrift" }]
            }
            Self::DoorzendingVerweerschrift => {
                &[Placeholder { name: "stuk_ontvangen_op", description: "de ontvangstdatum van het verweerschrift" }]
            }
            Self::VerlengingVerweer => &[
                Placeholder { name: "termijn", description: "de nieuwe laatste dag" },
                Placeholder { name: "motivering", description: "de reden van de verlenging" },
            ],
            Self::Intrekking => &[Placeholder { name: "intrekking_op", description: "de datum van de intrekking" }],
            Self::AfloopBevoegdGezag => &[Placeholder { name: "afloop", description: "hoe de zaak eindigde" }],
            Self::SchriftelijkeBehandeling => &[
                Placeholder { name: "termijn", description: "de laatste dag voor de repliek" },
                Placeholder { name: "dupliektermijn", description: "de termijn voor de dupliek, bijvoorbeeld 2 weken" },
            ],
            Self::DoorzendingStuk => &[
                Placeholder { name: "stuk", description: "de titel van het stuk" },
                Placeholder { name: "stuk_ontvangen_op", description: "de ontvangstdatum van het stuk" },
                Placeholder { name: "toelichting", description: "wat er nu van de ontvanger wordt verwacht" },
            ],
            Self::Vereenvoudigd => &[
                Placeholder {
                    name: "beslissing",
                    description: "het oordeel: kennelijk onbevoegd, niet-ontvankelijk, ongegrond of gegrond",
                },
                Placeholder { name: "motivering", description: "de reden van de beslissing" },
            ],
            Self::Informatieverzoek => &[
                Placeholder { name: "vraag", description: "waarover de commissie inlichtingen vraagt" },
                Placeholder { name: "termijn", description: "de datum waarop het antwoord wordt verwacht" },
            ],
            Self::MeldingInformatieverzoek => &[
                Placeholder { name: "gevraagd_aan", description: "aan wie de commissie inlichtingen vraagt" },
                Placeholder { name: "vraag", description: "waarover de commissie inlichtingen vraagt" },
            ],
            Self::UitnodigingVerschijning => &[
                Placeholder { name: "zitting_datum", description: "de dag van de zitting" },
                Placeholder { name: "zitting_tijd", description: "het uur van de zitting" },
                Placeholder { name: "zitting_plaats", description: "de plaats van de zitting" },
                Placeholder { name: "doel", description: "waarom de partijen worden opgeroepen (art. 14.2)" },
            ],
            Self::UitnodigingZitting => &[
                Placeholder { name: "zitting_datum", description: "de dag van de zitting" },
                Placeholder { name: "zitting_tijd", description: "het uur van de zitting" },
                Placeholder { name: "zitting_plaats", description: "de plaats van de zitting" },
                Placeholder {
                    name: "commissieleden",
                    description: "de leden van de commissie die de klacht behandelen (art. 18)",
                },
                Placeholder {
                    name: "wijze_van_horen",
                    description: "of de partijen samen of apart worden gehoord (art. 20)",
                },
                Placeholder {
                    name: "getuigen_termijn",
                    description: "de laatste dag om eigen getuigen en deskundigen op te geven (art. 21.4)",
                },
            ],
            Self::WijzigingZitting => &[
                Placeholder { name: "zitting_datum", description: "de dag van de zitting" },
                Placeholder { name: "zitting_tijd", description: "het uur van de zitting" },
                Placeholder { name: "zitting_plaats", description: "de plaats van de zitting" },
                Placeholder {
                    name: "commissieleden",
                    description: "de leden van de commissie die de klacht behandelen (art. 18)",
                },
                Placeholder {
                    name: "wijze_van_horen",
                    description: "of de partijen samen of apart worden gehoord (art. 20)",
                },
                Placeholder { name: "reden", description: "waarom de zitting is gewijzigd" },
            ],
            Self::AfzeggingZitting => &[
                Placeholder { name: "zitting_datum", description: "de dag van de zitting" },
                Placeholder { name: "zitting_tijd", description: "het uur van de zitting" },
                Placeholder { name: "reden", description: "waarom de zitting niet doorgaat" },
            ],
            Self::BeslissingApartHoren => &[
                Placeholder { name: "beslissing", description: "of de partijen apart worden gehoord" },
                Placeholder { name: "motivering", description: "de reden van de beslissing" },
            ],
            Self::GetuigenCommissie => &[Placeholder {
                name: "getuigen",
                description: "de getuigen en deskundigen die de commissie oproept (art. 21.3)",
            }],
            Self::VerslagGetuige => &[
                Placeholder { name: "getuige", description: "de getuige (zonder de partijen gehoord)" },
                Placeholder { name: "termijn", description: "de laatste dag voor een reactie (art. 21.6)" },
            ],
            Self::Schikking => &[Placeholder { name: "toelichting", description: "wat partijen zijn overeengekomen" }],
            Self::Heropening => {
                &[Placeholder { name: "voortzetting", description: "hoe het onderzoek wordt voortgezet (art. 23)" }]
            }
            Self::AdviesVerzending => &[
                Placeholder { name: "oordeel", description: "het oordeel van de commissie, bijvoorbeeld gegrond" },
                Placeholder {
                    name: "verificatiecode",
                    description: "de code waarmee iedereen het advies kan controleren",
                },
                Placeholder { name: "toelichting", description: "bij een verbeterde versie: wat zij verbetert" },
            ],
            Self::VerlengingAdvies => &[
                Placeholder { name: "termijn", description: "de nieuwe laatste dag voor het advies" },
                Placeholder { name: "motivering", description: "de reden van de verlenging" },
            ],
            Self::Opgelost => &[Placeholder { name: "toelichting", description: "hoe de klacht is opgelost" }],
            Self::SchoolOntvangst => &[
                Placeholder { name: "behandelaar", description: "wie de klacht op school behandelt" },
                Placeholder { name: "antwoord_uiterlijk", description: "de dag waarop de school uiterlijk antwoordt" },
            ],
            Self::SchoolBeslissing => &[
                Placeholder { name: "beslissing", description: "de beslissing van de school, met redenen" },
                Placeholder { name: "oplossing", description: "de oplossing die de school biedt" },
                Placeholder { name: "vervolg", description: "het nagesprek of de weg naar de klachtencommissie" },
            ],
            Self::SchoolUitstel => &[
                Placeholder { name: "reden", description: "waarom het antwoord later komt" },
                Placeholder { name: "nieuwe_datum", description: "de nieuwe datum van het antwoord" },
            ],
            Self::BeslissingWraking => &[
                Placeholder { name: "soort_verzoek", description: "wraking of verschoning" },
                Placeholder { name: "commissielid", description: "het lid om wie het gaat" },
                Placeholder { name: "beslissing", description: "de beslissing en wat er nu gebeurt" },
            ],
        };
        COMMON.iter().chain(own).collect()
    }

    /// Whether a template may use `name`.
    pub fn allows(self, name: &str) -> bool {
        self.placeholders().iter().any(|p| p.name == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    pub description: &'static str,
}

/// The placeholders every letter can fill from its case and recipient.
pub const COMMON: &[Placeholder] = &[
    Placeholder { name: "ontvanger", description: "naam van de geadresseerde" },
    Placeholder { name: "datum", description: "datum van de brief" },
    Placeholder { name: "zaaknummer", description: "het zaaknummer (ons kenmerk)" },
    Placeholder { name: "ontvangen_op", description: "datum van ontvangst van het klaagschrift" },
    Placeholder { name: "onderwerp_klacht", description: "korte omschrijving van de klacht" },
    Placeholder { name: "klager", description: "naam van de klager" },
    Placeholder { name: "aangeklaagde", description: "naam van de aangeklaagde" },
    Placeholder { name: "school", description: "naam van de school" },
    Placeholder { name: "bevoegd_gezag", description: "naam van het bevoegd gezag" },
    Placeholder { name: "commissie", description: "naam van de klachtencommissie" },
    Placeholder { name: "secretaris", description: "naam van de secretaris die de brief verstuurt" },
];

/// The values a letter is rendered with, by placeholder name.
pub type Values = BTreeMap<&'static str, String>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("onbekende invulplek {{{{{0}}}}}")]
    Unknown(String),
    #[error("'{{{{' zonder bijbehorende '}}}}'")]
    Unclosed,
    #[error("lege invulplek {{{{}}}}")]
    Empty,
    #[error("geen waarde voor {{{{{0}}}}}")]
    Missing(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    Text(&'a str),
    Slot(&'a str),
}

fn segments(template: &str) -> Result<Vec<Segment<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Segment::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..end].trim();
        if name.is_empty() {
            return Err(TemplateError::Empty);
        }
        out.push(Segment::Slot(name));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    Ok(out)
}

/// Every problem of a template's text for a kind, each placeholder named once; empty when it
/// can be used.
pub fn check(kind: LetterKind, template: &str) -> Vec<TemplateError> {
    match segments(template) {
        Err(e) => vec![e],
        Ok(segs) => {
            let mut errors: Vec<TemplateError> = Vec::new();
            for s in segs {
                if let Segment::Slot(name) = s {
                    let e = TemplateError::Unknown(name.to_owned());
                    if !kind.allows(name) && !errors.contains(&e) {
                        errors.push(e);
                    }
                }
            }
            errors
        }
    }
}

/// Fills a template. Every placeholder must have a value; the values are inserted as they are
/// (the PDF and the e-mail treat the result as plain text).
pub fn render(template: &str, values: &Values) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 256);
    for s in segments(template)? {
        match s {
            Segment::Text(t) => out.push_str(t),
            Segment::Slot(name) => {
                out.push_str(values.get(name).ok_or_else(|| TemplateError::Missing(name.to_owned()))?)
            }
        }
    }
    Ok(out)
}

/// A body as paragraphs of lines: an empty line separates paragraphs; surrounding blank lines
/// and trailing spaces go.
pub fn paragraphs(body: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in body.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_owned());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The parts of a template file as shipped: the first line `Onderwerp: ...`, an empty line,
/// then the body.
pub fn parse_shipped(text: &str) -> Option<(String, String)> {
    let (first, rest) = text.split_once('\n')?;
    let subject = first.strip_prefix("Onderwerp:")?.trim();
    Some((subject.to_owned(), rest.trim_start_matches(['\r', '\n']).trim_end().to_owned()))
}

/// Sample values for the template editor's preview: what a letter on an invented case reads like.
pub fn sample_values(kind: LetterKind) -> Values {
    let mut v = Values::new();
    for p in kind.placeholders() {
        let sample = match p.name {
            "ontvanger" => "J. de Vries",
            "datum" => "23 november 2026",
            "zaaknummer" => "2026-0042",
            "ontvangen_op" => "16 november 2026",
            "onderwerp_klacht" => "Bejegening van een leerling tijdens de les",
            "klager" => "J. de Vries",
            "aangeklaagde" => "A. Jansen",
            "school" => "Basisschool De Regenboog",
            "bevoegd_gezag" => "Stichting Katholiek Onderwijs Voorbeeld",
            "commissie" => "Klachtencommissie Onderwijs",
            "secretaris" => "M. Bakker",
            "stuk" => "Aanvulling op het klaagschrift",
            "stuk_ontvangen_op" => "20 november 2026",
            "tekst" => "Hier staat de tekst die de secretaris bij het versturen schrijft.",
            "ontbrekend" => "- de naam en het correspondentieadres van de klager\n- de gronden van de klacht",
            "termijn" => "7 december 2026",
            "motivering" => "Het klaagschrift is niet binnen de gestelde termijn aangevuld.",
            "andere_commissie" => "Klachtencommissie Voorbeeld, Postbus 1, 1000 AA Amsterdam",
            "intrekking_op" => "24 november 2026",
            "afloop" => "De klager heeft de klacht ingetrokken.",
            "soort_verzoek" => "wraking",
            "dupliektermijn" => "2 weken",
            "toelichting" => {
                "U kunt daarop uiterlijk op 21 december 2026 schriftelijk reageren met een dupliek (artikel 17)."
            }
            "commissielid" => "mr. A. de Boer",
            "vraag" => "Wilt u de verslagen van de gesprekken met de ouders van oktober 2026 toezenden?",
            "gevraagd_aan" => "de directeur van Basisschool De Regenboog",
            "zitting_datum" => "donderdag 10 december 2026",
            "zitting_tijd" => "14.00 uur",
            "zitting_plaats" => "Vergadercentrum De Eenhoorn, Stationsplein 1, Utrecht",
            "doel" => "een poging tot schikking",
            "commissieleden" => "mr. A. de Boer (voorzitter), drs. B. Smit en C. Jansen",
            "wijze_van_horen" => "De partijen worden in elkaars aanwezigheid gehoord (artikel 20.3).",
            "getuigen_termijn" => "3 december 2026",
            "reden" => "Een lid van de commissie is verhinderd.",
            "getuigen" => "- K. Visser, intern begeleider (getuige)",
            "getuige" => "een minderjarige leerling",
            "oordeel" => "gedeeltelijk gegrond",
            "verificatiecode" => "KC-7Q4M-2HXD",
            "voortzetting" => "De commissie hoort de intern begeleider van de school als getuige.",
            "behandelaar" => "mevrouw K. Visser, intern begeleider",
            "antwoord_uiterlijk" => "14 december 2026",
            "oplossing" => "Uw kind krijgt vanaf januari extra begeleiding bij rekenen.",
            "vervolg" => "Binnen twee weken nemen wij contact met u op om te horen of de oplossing werkt.",
            "nieuwe_datum" => "21 december 2026",
            "beslissing" => {
                "Het verzoek is toegewezen. Mr. A. de Boer neemt geen deel meer aan de behandeling van de klacht; de commissie wordt aangevuld."
            }
            other => other,
        };
        v.insert(p.name, sample.to_owned());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(pairs: &[(&'static str, &str)]) -> Values {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    #[test]
    fn renders_placeholders_with_and_without_spaces() {
        let v = values(&[("zaaknummer", "2026-0001"), ("ontvanger", "Mw. X")]);
        assert_eq!(
            render("Kenmerk {{zaaknummer}}, aan {{ ontvanger }}.", &v).unwrap(),
            "Kenmerk 2026-0001, aan Mw. X."
        );
    }

    #[test]
    fn a_missing_value_is_an_error_not_an_empty_string() {
        assert_eq!(render("{{klager}}", &Values::new()), Err(TemplateError::Missing("klager".into())));
    }

    #[test]
    fn check_names_unknown_placeholders_once_in_order() {
        let errs = check(LetterKind::Ontvangstbevestiging, "{{foo}} {{zaaknummer}} {{bar}} {{foo}} {{tekst}}");
        assert_eq!(
            errs,
            vec![
                TemplateError::Unknown("foo".into()),
                TemplateError::Unknown("bar".into()),
                TemplateError::Unknown("tekst".into())
            ]
        );
        assert!(check(LetterKind::VrijeBrief, "{{tekst}}").is_empty());
    }

    #[test]
    fn check_finds_unclosed_and_empty_slots() {
        assert_eq!(check(LetterKind::VrijeBrief, "Geachte {{ontvanger,"), vec![TemplateError::Unclosed]);
        assert_eq!(check(LetterKind::VrijeBrief, "Geachte {{ }},"), vec![TemplateError::Empty]);
        assert_eq!(TemplateError::Unknown("x".into()).to_string(), "onbekende invulplek {{x}}");
    }

    #[test]
    fn values_are_not_rendered_again() {
        // A klager named "{{zaaknummer}}" stays exactly that: values are never templates.
        let v = values(&[("klager", "{{zaaknummer}}"), ("zaaknummer", "2026-0001")]);
        assert_eq!(render("{{klager}}", &v).unwrap(), "{{zaaknummer}}");
    }

    #[test]
    fn paragraphs_split_on_empty_lines() {
        let p = paragraphs("\n\nGeachte X,\n\nRegel een\nregel twee  \n \n\n\nGroet\n");
        assert_eq!(
            p,
            vec![vec!["Geachte X,".to_owned()], vec!["Regel een".into(), "regel twee".into()], vec!["Groet".into()]]
        );
        assert!(paragraphs(" \n\n").is_empty());
    }

    #[test]
    fn shipped_file_format() {
        assert_eq!(parse_shipped("Onderwerp: Ontvangst\n\nTekst\n"), Some(("Ontvangst".into(), "Tekst".into())));
        assert_eq!(parse_shipped("Tekst"), None);
    }

    #[test]
    fn every_kind_has_sample_values_for_all_its_placeholders() {
        for k in LetterKind::ALL {
            let v = sample_values(*k);
            for p in k.placeholders() {
                assert!(v.get(p.name).is_some_and(|s| s != p.name), "{k:?} {}", p.name);
            }
        }
    }

    proptest! {
        #[test]
        fn text_without_braces_renders_to_itself(t in "[^{}]{0,200}") {
            prop_assert_eq!(render(&t, &Values::new()).unwrap(), t.clone());
            prop_assert!(check(LetterKind::VrijeBrief, &t).is_empty());
        }

        #[test]
        fn rendering_never_panics_and_agrees_with_check(t in "[a-z{} ]{0,60}") {
            let v = sample_values(LetterKind::VrijeBrief);
            let rendered = render(&t, &v);
            let problems = check(LetterKind::VrijeBrief, &t);
            // A template that passes the check always renders with a full set of values.
            if problems.is_empty() {
                prop_assert!(rendered.is_ok());
            }
        }
    }
}

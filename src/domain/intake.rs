//! Intake (Art 11-13, 26): from the klaagschrift to the verweerschrift, as a pure state
//! machine. The case page offers exactly the steps [`allowed`] accepts, and the server checks
//! every step with the same function, so a stale page cannot do what the state forbids.

use super::case::{CaseStatus, Outcome};

/// The seven requirements of a klaagschrift (Art 11.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requirement {
    /// a. the name and correspondence address of the klager
    Klager,
    /// b. the name of the aangeklaagde
    Aangeklaagde,
    /// c. the name of the bevoegd gezag and of the school
    BevoegdGezag,
    /// d. the date (dagtekening)
    Dagtekening,
    /// e. a description of the complaint
    Omschrijving,
    /// f. the grounds of the complaint
    Gronden,
    /// g. the documents the complaint relies on
    Stukken,
}

impl Requirement {
    pub const ALL: [Requirement; 7] = [
        Requirement::Klager,
        Requirement::Aangeklaagde,
        Requirement::BevoegdGezag,
        Requirement::Dagtekening,
        Requirement::Omschrijving,
        Requirement::Gronden,
        Requirement::Stukken,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Requirement::Klager => "klager",
            Requirement::Aangeklaagde => "aangeklaagde",
            Requirement::BevoegdGezag => "bevoegd_gezag",
            Requirement::Dagtekening => "dagtekening",
            Requirement::Omschrijving => "omschrijving",
            Requirement::Gronden => "gronden",
            Requirement::Stukken => "stukken",
        }
    }

    pub fn parse(code: &str) -> Option<Requirement> {
        Requirement::ALL.into_iter().find(|r| r.code() == code)
    }

    /// As it is listed on the checklist and in the repair letter.
    pub fn label(self) -> &'static str {
        match self {
            Requirement::Klager => "de naam en het correspondentieadres van de klager",
            Requirement::Aangeklaagde => "de naam van de aangeklaagde",
            Requirement::BevoegdGezag => "de naam van het bevoegd gezag en van de school",
            Requirement::Dagtekening => "de datum van het klaagschrift (dagtekening)",
            Requirement::Omschrijving => "een omschrijving van de klacht",
            Requirement::Gronden => "de gronden van de klacht",
            Requirement::Stukken => "de stukken waarop de klacht steunt",
        }
    }
}

/// Which requirements are met: each confirmed by the secretary (Art 11.3), or not yet looked at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checklist {
    /// `Some(true)` present, `Some(false)` missing, `None` not yet confirmed.
    pub items: [Option<bool>; 7],
}

impl Checklist {
    pub fn get(&self, r: Requirement) -> Option<bool> {
        self.items[Requirement::ALL.iter().position(|x| *x == r).unwrap_or(0)]
    }

    pub fn set(&mut self, r: Requirement, present: bool) {
        if let Some(i) = Requirement::ALL.iter().position(|x| *x == r) {
            self.items[i] = Some(present);
        }
    }

    /// Every requirement confirmed, present or missing.
    pub fn confirmed(&self) -> bool {
        self.items.iter().all(Option::is_some)
    }

    /// Every requirement confirmed present.
    pub fn complete(&self) -> bool {
        self.items.iter().all(|i| *i == Some(true))
    }

    /// What the registration already shows, for the secretary to confirm (Art 11.3): present
    /// where the data is there, missing where it is visibly not (a klager without an address),
    /// and open where only reading the klaagschrift can tell (its date, its grounds).
    pub fn proposed(
        klager_with_address: bool,
        has_aangeklaagde: bool,
        has_subject: bool,
        has_documents: bool,
    ) -> Checklist {
        let mut c = Checklist::default();
        c.set(Requirement::Klager, klager_with_address);
        c.set(Requirement::Aangeklaagde, has_aangeklaagde);
        c.set(Requirement::BevoegdGezag, true);
        if has_subject {
            c.set(Requirement::Omschrijving, true);
        }
        c.set(Requirement::Stukken, has_documents);
        c
    }

    /// The stored form: seven characters, '1' present, '0' missing, '?' unconfirmed.
    pub fn encode(&self) -> String {
        self.items
            .iter()
            .map(|i| match i {
                Some(true) => '1',
                Some(false) => '0',
                None => '?',
            })
            .collect()
    }

    /// Reads the stored form; anything unreadable counts as unconfirmed.
    pub fn decode(s: &str) -> Checklist {
        let mut c = Checklist::default();
        for (i, ch) in s.chars().take(7).enumerate() {
            c.items[i] = match ch {
                '1' => Some(true),
                '0' => Some(false),
                _ => None,
            };
        }
        c
    }

    /// What is missing, in the order of Art 11.3: exactly what the repair letter lists.
    pub fn missing(&self) -> Vec<Requirement> {
        Requirement::ALL.into_iter().zip(self.items).filter(|(_, v)| *v == Some(false)).map(|(r, _)| r).collect()
    }
}

/// The commission's decision on a klaagschrift filed after the one-year term (Art 11.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateFiling {
    /// Filed in time, or the date of the facts is not known (yet).
    InTime,
    /// Filed late; the commission has not decided.
    Pending,
    Accepted,
    Refused,
}

/// What the state machine needs to know about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub status: CaseStatus,
    pub checklist: Checklist,
    /// Art 11.4: a klaagschrift in another language that awaits its translation.
    pub needs_translation: bool,
    /// Art 11.2: an oral complaint whose verslag the klager has not yet signed.
    pub awaiting_signature: bool,
    pub late: LateFiling,
    /// Art 11.7: the two-week repair term has passed without repair.
    pub repair_term_passed: bool,
    /// Art 11.5: the date of the facts (or of learning of them) is recorded.
    pub facts_known: bool,
    /// Art 17: consent of the commission, the klager and the aangeklaagde.
    pub consents: [bool; 3],
    /// Art 17: which written exchange is awaited.
    pub written: WrittenPhase,
    /// Art 16: the parties were invited to a hearing (even one later called off).
    pub invited: bool,
}

/// Where written handling (Art 17) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrittenPhase {
    None,
    /// The klager's repliek is awaited.
    Repliek,
    /// The aangeklaagde's dupliek is awaited.
    Dupliek,
}

/// Who consents to written handling, in the order of `Facts::consents`.
pub const CONSENTING: [&str; 3] = ["de commissie", "de klager", "de aangeklaagde"];

/// The steps of intake, each with its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Art 11.3: the secretary confirms the checklist.
    ConfirmChecklist,
    /// Art 11.5: the date of the facts, when it was not known at registration.
    RecordFactsDate,
    /// Art 11.2: the signed verslag of an oral complaint came back.
    RegisterSignedVerslag,
    /// Art 11.4: the translation came in.
    RegisterTranslation,
    /// Art 11.5: the commission decides on a late klaagschrift.
    DecideLateFiling,
    /// Art 11.7: the chair asks for repair within two weeks.
    RequestRepair,
    /// Art 11.7: the repair came in.
    RegisterRepair,
    /// Art 11.7, 11.5: the chair declares the complaint niet-ontvankelijk.
    DeclareInadmissible,
    /// Art 11.10: the complaint belongs to another commission.
    ForwardToOtherCommission,
    /// Art 12.1, 12.2: the klaagschrift goes to the aangeklaagde, the board is told.
    ForwardToAccused,
    /// Art 13.1: the chair extends the verweerschrift term, exceptionally.
    ExtendVerweer,
    /// Art 13.1, 13.2: the verweerschrift came in and goes to the klager.
    RegisterVerweerschrift,
    /// Art 26: the klager withdraws the complaint.
    Withdraw,
    /// Art 16: until the parties are invited to a hearing, the commission may close a case that
    /// is manifestly outside its competence, inadmissible, unfounded or founded.
    SimplifiedHandling,
    /// Art 17: the consent of the commission, the klager or the aangeklaagde to written handling.
    RecordConsent,
    /// Art 17: with all three consents, the chair sets the repliek and dupliek terms.
    StartWrittenHandling,
    /// Art 17: the klager's repliek came in; it goes to the aangeklaagde, the dupliek term starts.
    RegisterRepliek,
    /// Art 17: the aangeklaagde's dupliek came in; written handling ends, the investigation closes.
    RegisterDupliek,
    /// The board and the klager resolved the complaint between them; the case ends as opgelost.
    Resolve,
}

impl Step {
    pub const ALL: [Step; 19] = [
        Step::ConfirmChecklist,
        Step::RecordFactsDate,
        Step::RegisterSignedVerslag,
        Step::RegisterTranslation,
        Step::DecideLateFiling,
        Step::RequestRepair,
        Step::RegisterRepair,
        Step::DeclareInadmissible,
        Step::ForwardToOtherCommission,
        Step::ForwardToAccused,
        Step::ExtendVerweer,
        Step::RegisterVerweerschrift,
        Step::Withdraw,
        Step::SimplifiedHandling,
        Step::RecordConsent,
        Step::StartWrittenHandling,
        Step::RegisterRepliek,
        Step::RegisterDupliek,
        Step::Resolve,
    ];

    pub fn article(self) -> &'static str {
        match self {
            Step::ConfirmChecklist => "art. 11.3",
            Step::RecordFactsDate => "art. 11.5",
            Step::RegisterSignedVerslag => "art. 11.2",
            Step::RegisterTranslation => "art. 11.4",
            Step::DecideLateFiling => "art. 11.5",
            Step::RequestRepair | Step::RegisterRepair => "art. 11.7",
            Step::DeclareInadmissible => "art. 11.7",
            Step::ForwardToOtherCommission => "art. 11.10",
            Step::ForwardToAccused => "art. 12",
            Step::ExtendVerweer => "art. 13.1",
            Step::RegisterVerweerschrift => "art. 13",
            Step::Withdraw => "art. 26",
            Step::SimplifiedHandling => "art. 16",
            Step::RecordConsent | Step::StartWrittenHandling | Step::RegisterRepliek | Step::RegisterDupliek => {
                "art. 17"
            }
            // Not a step of the reglement: the complaint went away before the advies.
            Step::Resolve => "",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::ConfirmChecklist => "Volledigheid vastleggen",
            Step::RecordFactsDate => "Datum van de feiten vastleggen",
            Step::RegisterSignedVerslag => "Ondertekend verslag ontvangen",
            Step::RegisterTranslation => "Vertaling ontvangen",
            Step::DecideLateFiling => "Beslissen over te late indiening",
            Step::RequestRepair => "Om herstel vragen",
            Step::RegisterRepair => "Herstel ontvangen",
            Step::DeclareInadmissible => "Niet-ontvankelijk verklaren",
            Step::ForwardToOtherCommission => "Doorzenden naar andere commissie",
            Step::ForwardToAccused => "Doorsturen aan aangeklaagde",
            Step::ExtendVerweer => "Termijn verweerschrift verlengen",
            Step::RegisterVerweerschrift => "Verweerschrift ontvangen",
            Step::Withdraw => "Intrekking vastleggen",
            Step::SimplifiedHandling => "Vereenvoudigd afdoen",
            Step::RecordConsent => "Instemming met schriftelijke behandeling vastleggen",
            Step::StartWrittenHandling => "Schriftelijke behandeling starten",
            Step::RegisterRepliek => "Repliek ontvangen",
            Step::RegisterDupliek => "Dupliek ontvangen",
            Step::Resolve => "Opgelost vastleggen",
        }
    }

    /// Whether only a chair may decide this step (the secretariat records other steps).
    pub fn chair_decides(self) -> bool {
        matches!(
            self,
            Step::RequestRepair
                | Step::DeclareInadmissible
                | Step::ExtendVerweer
                | Step::DecideLateFiling
                | Step::SimplifiedHandling
                | Step::StartWrittenHandling
        )
    }
}

fn in_intake(s: CaseStatus) -> bool {
    matches!(s, CaseStatus::Ontvangen | CaseStatus::HerstelGevraagd)
}

/// Whether `step` is valid now; otherwise the Dutch reason shown to the user.
pub fn allowed(f: &Facts, step: Step) -> Result<(), &'static str> {
    use CaseStatus::*;
    if !f.status.is_open() {
        return Err("De zaak is afgesloten.");
    }
    match step {
        Step::ConfirmChecklist => {
            if in_intake(f.status) {
                Ok(())
            } else {
                Err("De volledigheid is al vastgesteld: het klaagschrift is doorgestuurd.")
            }
        }
        Step::RecordFactsDate => {
            if !in_intake(f.status) {
                Err("De termijn van indiening wordt bij de intake beoordeeld.")
            } else if f.facts_known {
                Err("De datum van de feiten is al vastgelegd.")
            } else {
                Ok(())
            }
        }
        Step::RegisterSignedVerslag => {
            if f.awaiting_signature {
                Ok(())
            } else {
                Err("Er wacht geen verslag van een mondelinge klacht op ondertekening.")
            }
        }
        Step::RegisterTranslation => {
            if f.needs_translation {
                Ok(())
            } else {
                Err("Er wordt geen vertaling verwacht.")
            }
        }
        Step::DecideLateFiling => match (in_intake(f.status), f.late) {
            (true, LateFiling::Pending) => Ok(()),
            (false, _) => Err("Over de termijn van indiening wordt bij binnenkomst beslist."),
            _ => Err("Er ligt geen beslissing over te late indiening open."),
        },
        Step::RequestRepair => {
            if f.status != Ontvangen {
                Err("Om herstel kan alleen worden gevraagd bij een ontvangen klaagschrift.")
            } else if !f.checklist.confirmed() {
                Err("Leg eerst voor elk vereiste van art. 11.3 vast of het aanwezig is.")
            } else if f.checklist.complete() {
                Err("Het klaagschrift is volledig; er valt niets te herstellen.")
            } else {
                Ok(())
            }
        }
        Step::RegisterRepair => {
            if f.status == HerstelGevraagd {
                Ok(())
            } else {
                Err("Er is geen herstel gevraagd.")
            }
        }
        Step::DeclareInadmissible => {
            if !in_intake(f.status) {
                Err("Niet-ontvankelijkheid wordt bij de intake beslist.")
            } else if f.late == LateFiling::Refused || (f.status == HerstelGevraagd && f.repair_term_passed) {
                Ok(())
            } else if f.status == HerstelGevraagd {
                Err("De hersteltermijn van twee weken loopt nog (art. 11.7).")
            } else {
                Err(
                    "Niet-ontvankelijk na een verzuimd herstel (art. 11.7) of een te late klacht die de commissie niet aanneemt (art. 11.5).",
                )
            }
        }
        Step::ForwardToOtherCommission => {
            if in_intake(f.status) {
                Ok(())
            } else {
                Err("Doorzenden naar een andere commissie kan alleen bij de intake (art. 11.10).")
            }
        }
        Step::ForwardToAccused => {
            if f.status != Ontvangen {
                Err(if f.status == HerstelGevraagd {
                    "Wacht op het herstel van het klaagschrift (art. 11.7)."
                } else {
                    "Het klaagschrift is al doorgestuurd."
                })
            } else if !f.checklist.complete() {
                Err("Het klaagschrift is nog niet volledig (art. 11.3): leg de volledigheid vast of vraag om herstel.")
            } else if f.awaiting_signature {
                Err("Het verslag van de mondelinge klacht is nog niet ondertekend (art. 11.2).")
            } else if f.needs_translation {
                Err("De vertaling van het klaagschrift ontbreekt nog (art. 11.4).")
            } else if f.late == LateFiling::Pending {
                Err(
                    "De klacht is te laat ingediend: de commissie beslist eerst of zij haar toch behandelt (art. 11.5).",
                )
            } else if f.late == LateFiling::Refused {
                Err("De commissie nam de te late klacht niet aan (art. 11.5).")
            } else {
                Ok(())
            }
        }
        Step::ExtendVerweer | Step::RegisterVerweerschrift => {
            if f.status == Verweer {
                Ok(())
            } else {
                Err("Er loopt geen termijn voor het verweerschrift.")
            }
        }
        Step::Withdraw => Ok(()),
        Step::RecordConsent => {
            if f.status != Onderzoek {
                Err("Instemming met schriftelijke behandeling wordt tijdens het onderzoek gevraagd (art. 17).")
            } else if f.consents.iter().all(|c| *c) {
                Err("Alle drie stemden al in.")
            } else {
                Ok(())
            }
        }
        Step::StartWrittenHandling => {
            if f.status != Onderzoek {
                Err("Schriftelijke behandeling begint tijdens het onderzoek (art. 17).")
            } else if !f.consents.iter().all(|c| *c) {
                Err(
                    "Schriftelijke behandeling alleen met instemming van de commissie, de klager en de aangeklaagde (art. 17).",
                )
            } else {
                Ok(())
            }
        }
        Step::RegisterRepliek => {
            if f.status == Schriftelijk && f.written == WrittenPhase::Repliek {
                Ok(())
            } else {
                Err("Er wordt geen repliek verwacht.")
            }
        }
        Step::RegisterDupliek => {
            if f.status == Schriftelijk && f.written == WrittenPhase::Dupliek {
                Ok(())
            } else {
                Err("Er wordt geen dupliek verwacht.")
            }
        }
        Step::Resolve => {
            if matches!(f.status, AdviesUitgebracht) {
                Err("Het advies is uitgebracht; de zaak sluit met het besluit van het bevoegd gezag.")
            } else {
                Ok(())
            }
        }
        Step::SimplifiedHandling => {
            if !f.invited && matches!(f.status, Ontvangen | HerstelGevraagd | Verweer | Onderzoek | Schriftelijk) {
                Ok(())
            } else {
                Err(
                    "Na de uitnodiging voor de hoorzitting kan de commissie de zaak niet meer vereenvoudigd afdoen (art. 16).",
                )
            }
        }
    }
}

/// Every step valid now, in the order of the procedure.
pub fn steps(f: &Facts) -> Vec<Step> {
    Step::ALL.into_iter().filter(|s| allowed(f, *s).is_ok()).collect()
}

/// A new status, and the outcome when the case ends.
pub type Transition = (CaseStatus, Option<Outcome>);

/// Where a step takes the case (status and, when it ends, its outcome); `None` when the
/// status stays.
pub fn after(step: Step) -> Option<Transition> {
    match step {
        Step::RequestRepair => Some((CaseStatus::HerstelGevraagd, None)),
        Step::RegisterRepair => Some((CaseStatus::Ontvangen, None)),
        Step::DeclareInadmissible => Some((CaseStatus::Afgesloten, Some(Outcome::NietOntvankelijk))),
        Step::ForwardToOtherCommission => Some((CaseStatus::Afgesloten, Some(Outcome::Doorgezonden))),
        Step::ForwardToAccused => Some((CaseStatus::Verweer, None)),
        Step::RegisterVerweerschrift => Some((CaseStatus::Onderzoek, None)),
        Step::Withdraw => Some((CaseStatus::Afgesloten, Some(Outcome::Ingetrokken))),
        Step::Resolve => Some((CaseStatus::Afgesloten, Some(Outcome::Opgelost))),
        // The outcome is the commission's judgment, chosen with the step.
        Step::SimplifiedHandling => Some((CaseStatus::Afgesloten, None)),
        Step::StartWrittenHandling => Some((CaseStatus::Schriftelijk, None)),
        // The end of written handling closes the investigation (Art 17, 25.1).
        Step::RegisterDupliek => Some((CaseStatus::AdviesInVoorbereiding, None)),
        Step::RecordConsent | Step::RegisterRepliek => None,
        Step::ConfirmChecklist
        | Step::RecordFactsDate
        | Step::RegisterSignedVerslag
        | Step::RegisterTranslation
        | Step::DecideLateFiling
        | Step::ExtendVerweer => None,
    }
}

/// Who is expected to do what next, for the case page.
pub fn expected(f: &Facts) -> &'static str {
    use CaseStatus::*;
    match f.status {
        Ontvangen if f.awaiting_signature => "De klager ondertekent het verslag van de mondelinge klacht (art. 11.2).",
        Ontvangen if !f.checklist.confirmed() => {
            "Het secretariaat legt vast of het klaagschrift volledig is (art. 11.3)."
        }
        Ontvangen if f.late == LateFiling::Pending => {
            "De commissie beslist of zij de te late klacht toch behandelt (art. 11.5)."
        }
        Ontvangen if f.late == LateFiling::Refused => {
            "De voorzitter verklaart de klacht niet-ontvankelijk (art. 11.5)."
        }
        Ontvangen if !f.checklist.complete() => "De voorzitter vraagt om herstel binnen twee weken (art. 11.7).",
        Ontvangen if f.needs_translation => "De klager zorgt voor een vertaling (art. 11.4).",
        Ontvangen => {
            "Het secretariaat stuurt het klaagschrift aan de aangeklaagde en meldt de klacht aan het bevoegd gezag (art. 12)."
        }
        HerstelGevraagd if f.repair_term_passed => {
            "De hersteltermijn is verstreken: de voorzitter beslist over de ontvankelijkheid (art. 11.7)."
        }
        HerstelGevraagd => "De klager vult het klaagschrift aan binnen twee weken (art. 11.7).",
        Verweer => "De aangeklaagde dient binnen vier weken een verweerschrift in (art. 13.1).",
        Schriftelijk if f.written == WrittenPhase::Repliek => "De klager dient een repliek in (art. 17).",
        Schriftelijk if f.written == WrittenPhase::Dupliek => "De aangeklaagde dient een dupliek in (art. 17).",
        Onderzoek => "De commissie onderzoekt de klacht (art. 14).",
        Afgesloten => "De zaak is afgesloten.",
        _ => "De commissie behandelt de klacht.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(status: CaseStatus) -> Facts {
        Facts {
            status,
            checklist: Checklist::default(),
            needs_translation: false,
            awaiting_signature: false,
            late: LateFiling::InTime,
            repair_term_passed: false,
            facts_known: true,
            consents: [false; 3],
            written: WrittenPhase::None,
            invited: false,
        }
    }

    fn complete() -> Checklist {
        Checklist { items: [Some(true); 7] }
    }

    fn missing_address() -> Checklist {
        let mut c = complete();
        c.set(Requirement::Klager, false);
        c
    }

    #[test]
    fn checklist_lists_what_is_missing_in_article_order() {
        let mut c = Checklist::default();
        assert!(!c.confirmed() && !c.complete());
        c.set(Requirement::Stukken, false);
        c.set(Requirement::Klager, false);
        assert_eq!(c.missing(), vec![Requirement::Klager, Requirement::Stukken]);
        for r in Requirement::ALL {
            assert_eq!(Requirement::parse(r.code()), Some(r));
        }
    }

    #[test]
    fn the_proposal_shows_a_missing_address_as_missing() {
        let p = Checklist::proposed(false, true, true, true);
        assert_eq!(p.get(Requirement::Klager), Some(false));
        assert_eq!(p.get(Requirement::BevoegdGezag), Some(true));
        assert_eq!(p.get(Requirement::Dagtekening), None, "only the secretary can tell");
        assert_eq!(p.get(Requirement::Gronden), None);
        assert_eq!(
            Checklist::proposed(true, false, false, false).missing(),
            vec![Requirement::Aangeklaagde, Requirement::Stukken]
        );
    }

    #[test]
    fn checklist_round_trips_through_its_stored_form() {
        let c = missing_address();
        assert_eq!(c.encode(), "0111111");
        assert_eq!(Checklist::decode(&c.encode()), c);
        assert_eq!(Checklist::decode("???????"), Checklist::default());
        assert_eq!(Checklist::decode("x"), Checklist::default());
    }

    #[test]
    fn complete_at_once_goes_to_the_accused() {
        let mut f = facts(CaseStatus::Ontvangen);
        assert!(allowed(&f, Step::ForwardToAccused).is_err(), "not before the checklist");
        f.checklist = complete();
        assert_eq!(allowed(&f, Step::ForwardToAccused), Ok(()));
        assert!(allowed(&f, Step::RequestRepair).is_err());
        assert_eq!(after(Step::ForwardToAccused), Some((CaseStatus::Verweer, None)));
    }

    #[test]
    fn incomplete_needs_repair_then_forwarding() {
        let mut f = facts(CaseStatus::Ontvangen);
        f.checklist = missing_address();
        assert!(allowed(&f, Step::ForwardToAccused).is_err());
        assert_eq!(allowed(&f, Step::RequestRepair), Ok(()));
        f.status = CaseStatus::HerstelGevraagd;
        assert!(allowed(&f, Step::DeclareInadmissible).unwrap_err().contains("loopt nog"));
        assert_eq!(allowed(&f, Step::RegisterRepair), Ok(()));
        f.repair_term_passed = true;
        assert_eq!(allowed(&f, Step::DeclareInadmissible), Ok(()));
        assert_eq!(after(Step::DeclareInadmissible), Some((CaseStatus::Afgesloten, Some(Outcome::NietOntvankelijk))));
    }

    #[test]
    fn late_filing_blocks_until_the_commission_decides() {
        let mut f = facts(CaseStatus::Ontvangen);
        f.checklist = complete();
        f.late = LateFiling::Pending;
        assert!(allowed(&f, Step::ForwardToAccused).unwrap_err().contains("11.5"));
        assert_eq!(allowed(&f, Step::DecideLateFiling), Ok(()));
        f.late = LateFiling::Accepted;
        assert_eq!(allowed(&f, Step::ForwardToAccused), Ok(()));
        assert!(allowed(&f, Step::DecideLateFiling).is_err());
        f.late = LateFiling::Refused;
        assert!(allowed(&f, Step::ForwardToAccused).is_err());
        assert_eq!(allowed(&f, Step::DeclareInadmissible), Ok(()));
    }

    #[test]
    fn oral_complaint_and_translation_block_forwarding() {
        let mut f = facts(CaseStatus::Ontvangen);
        f.checklist = complete();
        f.awaiting_signature = true;
        assert!(allowed(&f, Step::ForwardToAccused).unwrap_err().contains("11.2"));
        assert_eq!(allowed(&f, Step::RegisterSignedVerslag), Ok(()));
        f.awaiting_signature = false;
        f.needs_translation = true;
        assert!(allowed(&f, Step::ForwardToAccused).unwrap_err().contains("11.4"));
        assert_eq!(allowed(&f, Step::RegisterTranslation), Ok(()));
    }

    #[test]
    fn the_facts_date_is_recorded_once_during_intake() {
        let mut f = facts(CaseStatus::Ontvangen);
        assert!(allowed(&f, Step::RecordFactsDate).is_err());
        f.facts_known = false;
        assert_eq!(allowed(&f, Step::RecordFactsDate), Ok(()));
        f.status = CaseStatus::Verweer;
        assert!(allowed(&f, Step::RecordFactsDate).is_err());
    }

    #[test]
    fn written_handling_needs_three_consents_then_repliek_then_dupliek() {
        let mut f = facts(CaseStatus::Onderzoek);
        assert!(allowed(&f, Step::StartWrittenHandling).unwrap_err().contains("instemming"));
        assert_eq!(allowed(&f, Step::RecordConsent), Ok(()));
        f.consents = [true, true, false];
        assert!(allowed(&f, Step::StartWrittenHandling).is_err());
        f.consents = [true; 3];
        assert_eq!(allowed(&f, Step::StartWrittenHandling), Ok(()));
        assert!(allowed(&f, Step::RecordConsent).is_err());
        f.status = CaseStatus::Schriftelijk;
        f.written = WrittenPhase::Repliek;
        assert_eq!(allowed(&f, Step::RegisterRepliek), Ok(()));
        assert!(allowed(&f, Step::RegisterDupliek).is_err());
        f.written = WrittenPhase::Dupliek;
        assert_eq!(allowed(&f, Step::RegisterDupliek), Ok(()));
        assert!(allowed(&f, Step::RegisterRepliek).is_err());
    }

    #[test]
    fn verweer_steps_only_while_the_term_runs() {
        let f = facts(CaseStatus::Verweer);
        assert_eq!(
            steps(&f),
            vec![
                Step::ExtendVerweer,
                Step::RegisterVerweerschrift,
                Step::Withdraw,
                Step::SimplifiedHandling,
                Step::Resolve
            ]
        );
        assert_eq!(after(Step::RegisterVerweerschrift), Some((CaseStatus::Onderzoek, None)));
        assert!(allowed(&facts(CaseStatus::Onderzoek), Step::RegisterVerweerschrift).is_err());
    }

    #[test]
    fn a_closed_case_takes_no_step_and_withdrawal_ends_any_open_one() {
        for s in Step::ALL {
            assert!(allowed(&facts(CaseStatus::Afgesloten), s).is_err());
        }
        for status in CaseStatus::ALL.iter().filter(|s| s.is_open()) {
            assert_eq!(allowed(&facts(*status), Step::Withdraw), Ok(()));
        }
        assert_eq!(after(Step::Withdraw), Some((CaseStatus::Afgesloten, Some(Outcome::Ingetrokken))));
    }

    /// Every transition: where each step takes the case.
    #[test]
    fn every_step_has_its_transition() {
        use CaseStatus::*;
        let expected: Vec<(Step, Option<Transition>)> = vec![
            (Step::ConfirmChecklist, None),
            (Step::RecordFactsDate, None),
            (Step::RegisterSignedVerslag, None),
            (Step::RegisterTranslation, None),
            (Step::DecideLateFiling, None),
            (Step::RequestRepair, Some((HerstelGevraagd, None))),
            (Step::RegisterRepair, Some((Ontvangen, None))),
            (Step::DeclareInadmissible, Some((Afgesloten, Some(Outcome::NietOntvankelijk)))),
            (Step::ForwardToOtherCommission, Some((Afgesloten, Some(Outcome::Doorgezonden)))),
            (Step::ForwardToAccused, Some((Verweer, None))),
            (Step::ExtendVerweer, None),
            (Step::RegisterVerweerschrift, Some((Onderzoek, None))),
            (Step::Withdraw, Some((Afgesloten, Some(Outcome::Ingetrokken)))),
            (Step::SimplifiedHandling, Some((Afgesloten, None))),
            (Step::RecordConsent, None),
            (Step::StartWrittenHandling, Some((Schriftelijk, None))),
            (Step::RegisterRepliek, None),
            (Step::RegisterDupliek, Some((AdviesInVoorbereiding, None))),
            (Step::Resolve, Some((Afgesloten, Some(Outcome::Opgelost)))),
        ];
        assert_eq!(expected.len(), Step::ALL.len());
        for (step, to) in expected {
            assert_eq!(after(step), to, "{step:?}");
        }
    }

    /// In which states each step is possible, for a klaagschrift that is otherwise in order.
    #[test]
    fn every_step_in_every_state() {
        use CaseStatus::*;
        let intake_only = [Ontvangen, HerstelGevraagd];
        for status in CaseStatus::ALL {
            let mut f = facts(*status);
            f.checklist = complete();
            let ok = |s: Step| allowed(&f, s).is_ok();
            assert_eq!(ok(Step::ConfirmChecklist), intake_only.contains(status), "{status:?}");
            assert_eq!(ok(Step::ForwardToOtherCommission), intake_only.contains(status), "{status:?}");
            assert_eq!(ok(Step::ForwardToAccused), *status == Ontvangen, "{status:?}");
            assert_eq!(ok(Step::RegisterRepair), *status == HerstelGevraagd, "{status:?}");
            assert_eq!(ok(Step::RegisterVerweerschrift), *status == Verweer, "{status:?}");
            assert_eq!(ok(Step::ExtendVerweer), *status == Verweer, "{status:?}");
            assert_eq!(ok(Step::Withdraw), status.is_open(), "{status:?}");
            // Resolved between klager and board: any time before the advies is out.
            assert_eq!(ok(Step::Resolve), status.is_open() && *status != AdviesUitgebracht, "{status:?}");
            let before_invitation = matches!(status, Ontvangen | HerstelGevraagd | Verweer | Onderzoek | Schriftelijk);
            assert_eq!(ok(Step::SimplifiedHandling), before_invitation, "art. 16: {status:?}");
            // A hearing invitation, even for a hearing later called off, ends Art 16 for good.
            let invited = Facts { invited: true, ..f.clone() };
            assert!(allowed(&invited, Step::SimplifiedHandling).is_err(), "art. 16 after invitation: {status:?}");
            assert!(!ok(Step::RequestRepair), "complete: nothing to repair");
            assert!(!ok(Step::DeclareInadmissible), "in time and not in repair");
        }
    }

    #[test]
    fn chairs_decide_the_decisions() {
        let chair: Vec<Step> = Step::ALL.into_iter().filter(|s| s.chair_decides()).collect();
        assert_eq!(
            chair,
            vec![
                Step::DecideLateFiling,
                Step::RequestRepair,
                Step::DeclareInadmissible,
                Step::ExtendVerweer,
                Step::SimplifiedHandling,
                Step::StartWrittenHandling
            ]
        );
    }

    fn any_facts() -> impl Strategy<Value = Facts> {
        (
            proptest::sample::select(CaseStatus::ALL.to_vec()),
            proptest::array::uniform7(proptest::option::of(any::<bool>())),
            any::<bool>(),
            any::<bool>(),
            proptest::sample::select(vec![
                LateFiling::InTime,
                LateFiling::Pending,
                LateFiling::Accepted,
                LateFiling::Refused,
            ]),
            any::<bool>(),
            any::<bool>(),
            proptest::array::uniform3(any::<bool>()),
            (
                proptest::sample::select(vec![WrittenPhase::None, WrittenPhase::Repliek, WrittenPhase::Dupliek]),
                any::<bool>(),
            ),
        )
            .prop_map(
                |(
                    status,
                    items,
                    needs_translation,
                    awaiting_signature,
                    late,
                    repair_term_passed,
                    facts_known,
                    consents,
                    (written, invited),
                )| Facts {
                    status,
                    checklist: Checklist { items },
                    needs_translation,
                    awaiting_signature,
                    late,
                    repair_term_passed,
                    facts_known,
                    consents,
                    written,
                    invited,
                },
            )
    }

    proptest! {
        /// The page offers exactly what the server accepts, and nothing reaches the accused
        /// unless the klaagschrift is complete and admissible so far.
        #[test]
        fn offered_steps_are_the_allowed_ones(f in any_facts()) {
            let offered = steps(&f);
            for s in Step::ALL {
                prop_assert_eq!(offered.contains(&s), allowed(&f, s).is_ok());
            }
            if offered.contains(&Step::ForwardToAccused) {
                prop_assert!(f.checklist.complete() && !f.awaiting_signature && !f.needs_translation);
                prop_assert!(matches!(f.late, LateFiling::InTime | LateFiling::Accepted));
                prop_assert_eq!(f.status, CaseStatus::Ontvangen);
            }
            if !f.status.is_open() {
                prop_assert!(offered.is_empty());
            }
            prop_assert!(!expected(&f).is_empty());
        }
    }
}

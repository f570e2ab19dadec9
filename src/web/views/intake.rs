//! The procedure section of the case page: where the case stands (a step indicator following
//! the articles), what is expected next from whom, and a form for each step valid now.

use super::components::{Field, csrf_field};
use crate::domain::case::CaseStatus;
use crate::domain::intake::{self, Facts, LateFiling, Requirement, Step};
use crate::entities::case;
use crate::web::{
    extract::Ctx,
    form::FieldErrors,
    routes::intake::{error_field, path},
};
use maud::{Markup, html};

/// The stages shown in the indicator, with their articles.
const STAGES: &[(CaseStatus, &str, &str)] = &[
    (CaseStatus::Ontvangen, "Ontvangst en volledigheid", "art. 11"),
    (CaseStatus::Verweer, "Verweerschrift", "art. 12-13"),
    (CaseStatus::Onderzoek, "Onderzoek", "art. 14-17"),
    (CaseStatus::ZittingGepland, "Hoorzitting", "art. 18-23"),
    (CaseStatus::Beraadslaging, "Beraadslaging", "art. 24"),
    (CaseStatus::AdviesInVoorbereiding, "Advies", "art. 25"),
    (CaseStatus::Afgesloten, "Afgesloten", ""),
];

fn stage_index(s: CaseStatus) -> usize {
    match s {
        CaseStatus::Ontvangen | CaseStatus::HerstelGevraagd => 0,
        CaseStatus::Verweer => 1,
        CaseStatus::Onderzoek | CaseStatus::Schriftelijk => 2,
        CaseStatus::ZittingGepland => 3,
        CaseStatus::Beraadslaging => 4,
        CaseStatus::AdviesInVoorbereiding | CaseStatus::AdviesUitgebracht => 5,
        CaseStatus::Afgesloten => 6,
    }
}

pub fn section(ctx: &Ctx, c: &case::Model, f: &Facts, proposed: &intake::Checklist, errors: &FieldErrors) -> Markup {
    // Until the secretary confirms, the checklist shows what the registration suggests.
    let shown = if f.checklist.items.iter().all(Option::is_none) { proposed } else { &f.checklist };
    let current = stage_index(f.status);
    let may = |s: Step| ctx.may(crate::web::routes::intake::action_for(s));
    let steps: Vec<Step> = intake::steps(f).into_iter().filter(|s| may(*s)).collect();
    let action = |s: Step| format!("/zaken/{}/intake/{}", c.zaaknummer, path(s));
    let today = crate::admin::today().format("%Y-%m-%d").to_string();
    let err = |s: Step| errors.get(&error_field(s)).map(str::to_owned);
    html! {
        section.card #procedure aria-labelledby="h-procedure" {
            h2 #h-procedure { "Procedure" }
            ol.stages aria-label="Voortgang van de klacht" {
                @for (i, (_, label, article)) in STAGES.iter().enumerate() {
                    li class=(if i < current { "done" } else if i == current { "current" } else { "todo" })
                        aria-current=[(i == current).then_some("step")] {
                        span.stage-label { (label) }
                        @if !article.is_empty() { " " span.small.muted { (article) } }
                    }
                }
            }
            p.expected { strong { "Volgende stap: " } (intake::expected(f)) }
            @if f.status == CaseStatus::HerstelGevraagd { p { span.badge.warning { "herstel gevraagd (art. 11.7)" } } }
            @if f.late == LateFiling::Pending { p { span.badge.danger { "te laat ingediend (art. 11.5): beslissing nodig" } } }
            @if let Some(d) = &c.late_decision { p.small.muted { "Te late indiening: " (d) @if let Some(r) = &c.late_reason { " — " (r) } } }
            @if f.awaiting_signature { p { span.badge.warning { "mondelinge klacht: verslag wacht op ondertekening (art. 11.2)" } } }
            @if f.needs_translation { p { span.badge.warning { "vertaling nodig (art. 11.4)" } } }
            @if matches!(f.status, CaseStatus::Ontvangen | CaseStatus::HerstelGevraagd) {
                h3 { "Vereisten van het klaagschrift (art. 11.3)" }
                @if shown != &f.checklist { p.small.muted { "Voorstel op grond van de registratie; nog niet bevestigd." } }
                ul.checklist {
                    @for r in Requirement::ALL {
                        li {
                            @match shown.get(r) {
                                Some(true) => { span.badge.ok { "aanwezig" } }
                                Some(false) => { span.badge.danger { "ontbreekt" } }
                                None => { span.badge.muted { "nog niet vastgesteld" } }
                            }
                            " " (r.label())
                        }
                    }
                }
            }
            @for s in &steps {
                @let s = *s;
                details.step open[err(s).is_some()] id=(format!("f-{}", error_field(s))) {
                    summary { (s.label()) @if !s.article().is_empty() { " " span.small.muted { "(" (s.article()) ")" } } }
                    @if let Some(e) = err(s) { p.field-error role="alert" { (e) } }
                    @match s {
                        Step::ConfirmChecklist => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                @for r in Requirement::ALL {
                                    fieldset.inline-choice {
                                        legend { (r.label()) }
                                        @let name = format!("eis_{}", r.code());
                                        label { input type="radio" name=(name) value="ja" checked[shown.get(r) == Some(true)]; " aanwezig" }
                                        label { input type="radio" name=(name) value="nee" checked[shown.get(r) == Some(false)]; " ontbreekt" }
                                    }
                                }
                                div.checkbox {
                                    input #f-vertaling type="checkbox" name="vertaling" value="ja" checked[f.needs_translation];
                                    label for="f-vertaling" { "Het klaagschrift is in een andere taal en moet worden vertaald (art. 11.4)" }
                                }
                                button type="submit" { "Volledigheid vastleggen" }
                            }
                        }
                        Step::RecordConsent => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                p.small.muted {
                                    "Ingestemd: "
                                    @for (i, who) in intake::CONSENTING.iter().enumerate() { @if i > 0 { ", " } (who) " " (if f.consents[i] { "ja" } else { "nog niet" }) }
                                }
                                fieldset.inline-choice {
                                    legend { "Wie stemt in" }
                                    @for (code, i) in [("commissie", 0), ("klager", 1), ("aangeklaagde", 2)] {
                                        @if !f.consents[i] { label { input type="radio" name="wie" value=(code); " " (intake::CONSENTING[i]) } }
                                    }
                                }
                                button type="submit" { "Instemming vastleggen" }
                            }
                        }
                        Step::StartWrittenHandling => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("repliek", "Termijn voor de repliek van de klager", "2 weken", &FieldErrors::default()).id(format!("f-{}-repliek", error_field(s))))
                                (Field::new("dupliek", "Termijn voor de dupliek van de aangeklaagde", "2 weken", &FieldErrors::default()).id(format!("f-{}-dupliek", error_field(s))))
                                button type="submit" { "Schriftelijke behandeling starten" }
                            }
                        }
                        Step::SimplifiedHandling => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                p { "Zonder hoorzitting, omdat de uitkomst op voorhand vaststaat; kan alleen zolang de partijen niet voor een hoorzitting zijn uitgenodigd." }
                                fieldset.inline-choice {
                                    legend { "Uitkomst" }
                                    label { input type="radio" name="uitkomst" value="kennelijk_onbevoegd"; " kennelijk onbevoegd" }
                                    label { input type="radio" name="uitkomst" value="niet_ontvankelijk"; " kennelijk niet-ontvankelijk" }
                                    label { input type="radio" name="uitkomst" value="ongegrond"; " kennelijk ongegrond" }
                                    label { input type="radio" name="uitkomst" value="gegrond"; " kennelijk gegrond" }
                                }
                                (Field::new("reden", "Motivering (komt in de brieven aan de partijen)", "", &FieldErrors::default()).id(format!("f-{}-reden", error_field(s))).kind("textarea"))
                                button.danger type="submit" { "Afdoen en zaak afsluiten" }
                            }
                        }
                        Step::RecordFactsDate => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("datum", "Datum van de gedraging of beslissing, of van het moment dat de klager ervan hoorde", "", &FieldErrors::default()).id(format!("f-{}-datum", error_field(s))).kind("date"))
                                button type="submit" { "Vastleggen en termijn van indiening beoordelen" }
                            }
                        }
                        Step::RequestRepair => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                p { "De klager krijgt een brief met wat ontbreekt en twee weken (schoolvakanties niet meegeteld) om het aan te vullen, met de waarschuwing voor niet-ontvankelijkheid." }
                                button type="submit" { "Om herstel vragen" }
                            }
                        }
                        Step::DecideLateFiling => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                fieldset.inline-choice {
                                    legend { "Behandelt de commissie de te late klacht toch?" }
                                    label { input type="radio" name="besluit" value="aannemen"; " ja, toch behandelen" }
                                    label { input type="radio" name="besluit" value="afwijzen"; " nee" }
                                }
                                (Field::new("reden", "Reden", "", &FieldErrors::default()).id(format!("f-{}-reden", error_field(s))).kind("textarea"))
                                button type="submit" { "Beslissing vastleggen" }
                            }
                        }
                        Step::DeclareInadmissible => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("reden", "Motivering (komt in de brief aan de klager)", "", &FieldErrors::default()).id(format!("f-{}-reden", error_field(s))).kind("textarea"))
                                button.danger type="submit" { "Niet-ontvankelijk verklaren" }
                            }
                        }
                        Step::ForwardToOtherCommission => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("commissie", "Naam en adres van de bevoegde commissie", "", &FieldErrors::default()).id(format!("f-{}-commissie", error_field(s))).kind("textarea"))
                                button type="submit" { "Doorzenden en zaak afsluiten" }
                            }
                        }
                        Step::ForwardToAccused => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                p { "De aangeklaagde krijgt het klaagschrift met de stukken (behalve stukken met beperkte inzage, art. 15) en vier weken voor een verweerschrift; het bevoegd gezag krijgt de melding van art. 12.2." }
                                button type="submit" { "Doorsturen" }
                            }
                        }
                        Step::ExtendVerweer => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("duur", "Verlenging", "2 weken", &FieldErrors::default()).id(format!("f-{}-duur", error_field(s))).hint("Bijvoorbeeld: 2 weken, 10 dagen"))
                                (Field::new("reden", "Uitzonderlijke reden (art. 13.1)", "", &FieldErrors::default()).id(format!("f-{}-reden", error_field(s))).kind("textarea"))
                                button type="submit" { "Verlengen" }
                            }
                        }
                        Step::Withdraw => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                (Field::new("datum", "Datum van de intrekking", &today, &FieldErrors::default()).id(format!("f-{}-datum", error_field(s))).kind("date"))
                                fieldset.inline-choice {
                                    legend { "Hoe" }
                                    label { input type="radio" name="wijze" value="schriftelijk"; " schriftelijk, gedagtekend en ondertekend" }
                                    label { input type="radio" name="wijze" value="mondeling"; " mondeling ter zitting" }
                                }
                                button.danger type="submit" { "Intrekking vastleggen en zaak afsluiten" }
                            }
                        }
                        Step::Resolve => {
                            form.stack method="post" action=(action(s)) {
                                (csrf_field(&ctx.csrf))
                                p.small.muted { "De klager en het bevoegd gezag (of de school) hebben de klacht samen opgelost; de zaak sluit als opgelost en de partijen krijgen een bevestiging." }
                                (Field::new("reden", "Hoe is de klacht opgelost? (komt in de brief)", "", &FieldErrors::default()).id(format!("f-{}-reden", error_field(s))).kind("textarea"))
                                button.danger type="submit" { "Opgelost vastleggen en zaak afsluiten" }
                            }
                        }
                        Step::RegisterSignedVerslag | Step::RegisterTranslation | Step::RegisterRepair | Step::RegisterVerweerschrift | Step::RegisterRepliek | Step::RegisterDupliek => {
                            form.stack method="post" action=(action(s)) enctype="multipart/form-data" {
                                (csrf_field(&ctx.csrf))
                                (Field::new("ontvangen", "Datum van ontvangst (art. 11.9)", &today, &FieldErrors::default()).id(format!("f-{}-ontvangen", error_field(s))).kind("date"))
                                (Field::new("bestand", "Bestand", "", &FieldErrors::default()).id(format!("f-{}-bestand", error_field(s))).kind("file"))
                                button type="submit" { (s.label()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

//! The intake steps on a case (Art 11-13, 26). Every step is checked by the server against the
//! state machine (`domain::intake`), whatever the page offered; a refused step re-renders the
//! case page with the Dutch reason and nothing written.

use crate::audit::WriteTx;
use crate::cases::{self, CaseError, register::NewDocument};
use crate::domain::access::Action;
use crate::domain::intake::{Checklist, Requirement, Step};
use crate::domain::termijn::Term;
use crate::domain::{upload, validate};
use crate::web::{
    AppState,
    error::AppResult,
    extract::CaseCtx,
    form::{FieldErrors, Form, MultipartForm},
    registry::{Access, Routes},
};
use axum::{
    extract::{FromRequest, Request, State},
    response::{IntoResponse, Redirect, Response},
};

/// Every step is one POST route; the chair's decisions need [`Action::DecideTerms`], the rest
/// the secretariat's [`Action::ManageCase`]. Steps that register a received document are
/// posted as multipart.
pub fn routes(mut r: Routes) -> Routes {
    for step in Step::ALL {
        // A case route: ManageCase also checks that the user may see the case.
        let access = if step.chair_decides() { Access::Action(Action::DecideTerms) } else { Access::ManageCase };
        r = if receives_document(step) {
            r.post(route(step), access, move |s, cc, req| document_step(s, cc, req, step))
        } else {
            r.post(route(step), access, move |s, cc, req| form_step(s, cc, req, step))
        };
    }
    r
}

fn receives_document(step: Step) -> bool {
    matches!(
        step,
        Step::RegisterSignedVerslag
            | Step::RegisterTranslation
            | Step::RegisterRepair
            | Step::RegisterVerweerschrift
            | Step::RegisterRepliek
            | Step::RegisterDupliek
    )
}

/// The route of a step.
fn route(step: Step) -> &'static str {
    match step {
        Step::ConfirmChecklist => "/zaken/{zaaknummer}/intake/volledigheid",
        Step::RecordFactsDate => "/zaken/{zaaknummer}/intake/feiten",
        Step::SimplifiedHandling => "/zaken/{zaaknummer}/intake/vereenvoudigd",
        Step::RecordConsent => "/zaken/{zaaknummer}/intake/instemming",
        Step::StartWrittenHandling => "/zaken/{zaaknummer}/intake/schriftelijk",
        Step::RegisterRepliek => "/zaken/{zaaknummer}/intake/repliek",
        Step::RegisterDupliek => "/zaken/{zaaknummer}/intake/dupliek",
        Step::RegisterSignedVerslag => "/zaken/{zaaknummer}/intake/verslag",
        Step::RegisterTranslation => "/zaken/{zaaknummer}/intake/vertaling",
        Step::DecideLateFiling => "/zaken/{zaaknummer}/intake/te-laat",
        Step::RequestRepair => "/zaken/{zaaknummer}/intake/herstel",
        Step::RegisterRepair => "/zaken/{zaaknummer}/intake/herstel-ontvangen",
        Step::DeclareInadmissible => "/zaken/{zaaknummer}/intake/niet-ontvankelijk",
        Step::ForwardToOtherCommission => "/zaken/{zaaknummer}/intake/doorzenden",
        Step::ForwardToAccused => "/zaken/{zaaknummer}/intake/aangeklaagde",
        Step::ExtendVerweer => "/zaken/{zaaknummer}/intake/verweer-verlengen",
        Step::RegisterVerweerschrift => "/zaken/{zaaknummer}/intake/verweerschrift",
        Step::Withdraw => "/zaken/{zaaknummer}/intake/intrekking",
        Step::Resolve => "/zaken/{zaaknummer}/intake/opgelost",
    }
}

/// The last segment of a step's route, for the view's form actions.
pub fn path(step: Step) -> &'static str {
    route(step).rsplit('/').next().unwrap_or_default()
}

/// Who may take a step: the chair decides (and the secretariat records the chair's decision),
/// the secretariat does the rest.
pub fn action_for(step: Step) -> Action {
    if step.chair_decides() { Action::DecideTerms } else { Action::ManageCase }
}

/// The field the error of a step is shown at.
pub fn error_field(step: Step) -> String {
    format!("intake-{}", path(step))
}

async fn finish(
    state: &AppState,
    cc: CaseCtx,
    step: Step,
    result: Result<(), CaseError>,
    tx: WriteTx,
) -> AppResult<Response> {
    match result {
        Ok(()) => {
            tx.commit().await?;
            state.mail_queued();
            Ok(Redirect::to(&format!("/zaken/{}#procedure", cc.case.zaaknummer)).into_response())
        }
        Err(CaseError::Db(e)) => Err(e.into()),
        Err(e) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add(&error_field(step), e.to_string());
            super::cases::case_page_with_errors(state, cc, errors, None).await
        }
    }
}

fn invalid(step: Step, msg: impl Into<String>) -> FieldErrors {
    let mut e = FieldErrors::default();
    e.add(&error_field(step), msg);
    e
}

async fn form_step(State(state): State<AppState>, cc: CaseCtx, req: Request, step: Step) -> AppResult<Response> {
    cc.ctx.require(action_for(step))?;
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &state).await?;
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()).trim().to_owned();
    let reason = |min: usize| -> Result<String, String> {
        let r = get("reden");
        if r.chars().count() < min {
            Err("Geef de reden; die komt in het dossier en, waar het een brief is, in de brief.".into())
        } else if r.chars().count() > 4000 {
            Err("De reden is te lang (ten hoogste 4000 tekens).".into())
        } else {
            Ok(r)
        }
    };
    // Validate the form first: nothing is written for a form that is not right.
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let result: Result<(), CaseError> = match step {
        Step::ConfirmChecklist => {
            let mut checklist = Checklist::default();
            for r in Requirement::ALL {
                match get(&format!("eis_{}", r.code())).as_str() {
                    "ja" => checklist.set(r, true),
                    "nee" => checklist.set(r, false),
                    _ => {}
                }
            }
            if !checklist.confirmed() {
                drop(tx);
                return reject(&state, cc, invalid(step, "Geef bij elk vereiste aan of het aanwezig is of ontbreekt."))
                    .await;
            }
            cases::intake::confirm_checklist(&mut tx, &c, &checklist, get("vertaling") == "ja").await.map(|_| ())
        }
        Step::DecideLateFiling => {
            let accept = match get("besluit").as_str() {
                "aannemen" => true,
                "afwijzen" => false,
                _ => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, "Kies of de commissie de klacht toch behandelt.")).await;
                }
            };
            match reason(3) {
                Ok(r) => cases::intake::decide_late_filing(&mut tx, &c, accept, &r).await,
                Err(e) => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, e)).await;
                }
            }
        }
        Step::RecordFactsDate => match validate::date(&get("datum")) {
            Ok(on) => cases::intake::record_facts_date(&mut tx, &c, on).await,
            Err(e) => {
                drop(tx);
                return reject(&state, cc, invalid(step, format!("Datum van de feiten: {e}"))).await;
            }
        },
        Step::RecordConsent => match get("wie").as_str() {
            "commissie" => cases::intake::record_consent(&mut tx, &c, 0).await,
            "klager" => cases::intake::record_consent(&mut tx, &c, 1).await,
            "aangeklaagde" => cases::intake::record_consent(&mut tx, &c, 2).await,
            _ => {
                drop(tx);
                return reject(&state, cc, invalid(step, "Kies wie instemt met schriftelijke behandeling.")).await;
            }
        },
        Step::StartWrittenHandling => match (Term::parse(&get("repliek")), Term::parse(&get("dupliek"))) {
            (Ok(r), Ok(d)) => cases::intake::start_written_handling(&mut tx, &c, r, d).await,
            (Err(e), _) => {
                drop(tx);
                return reject(&state, cc, invalid(step, format!("Termijn repliek: {e}"))).await;
            }
            (_, Err(e)) => {
                drop(tx);
                return reject(&state, cc, invalid(step, format!("Termijn dupliek: {e}"))).await;
            }
        },
        Step::SimplifiedHandling => {
            use crate::domain::case::Outcome;
            let outcome = Outcome::parse(&get("uitkomst")).filter(|o| {
                matches!(
                    o,
                    Outcome::KennelijkOnbevoegd | Outcome::NietOntvankelijk | Outcome::Ongegrond | Outcome::Gegrond
                )
            });
            match (outcome, reason(10)) {
                (Some(o), Ok(r)) => cases::intake::simplified(&mut tx, &c, o, &r).await,
                (None, _) => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, "Kies de uitkomst (art. 16).")).await;
                }
                (_, Err(e)) => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, e)).await;
                }
            }
        }
        Step::RequestRepair => cases::intake::request_repair(&mut tx, &c).await,
        Step::DeclareInadmissible => match reason(10) {
            Ok(r) => cases::intake::declare_inadmissible(&mut tx, &c, &r).await,
            Err(e) => {
                drop(tx);
                return reject(&state, cc, invalid(step, e)).await;
            }
        },
        Step::ForwardToOtherCommission => {
            let to = get("commissie");
            if to.chars().count() < 3 || to.chars().count() > 1000 {
                drop(tx);
                return reject(&state, cc, invalid(step, "Vul naam en adres van de bevoegde commissie in.")).await;
            }
            cases::intake::forward_to_other_commission(&mut tx, &c, &to).await
        }
        Step::ForwardToAccused => cases::intake::forward_to_accused(&mut tx, &c).await,
        Step::Resolve => match reason(10) {
            Ok(r) => cases::intake::resolve(&mut tx, &c, &r).await,
            Err(e) => {
                drop(tx);
                return reject(&state, cc, invalid(step, e)).await;
            }
        },
        Step::ExtendVerweer => {
            let term = Term::parse(&get("duur"));
            match (term, reason(10)) {
                (Ok(t), Ok(r)) => cases::intake::extend_verweer(&mut tx, &c, t, &r).await,
                (Err(e), _) => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, format!("Duur: {e}"))).await;
                }
                (_, Err(e)) => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, e)).await;
                }
            }
        }
        Step::Withdraw => {
            let on = validate::date(&get("datum"));
            let how = match get("wijze").as_str() {
                "schriftelijk" => "schriftelijk, gedagtekend en ondertekend",
                "mondeling" => "mondeling ter zitting",
                _ => "",
            };
            match on {
                Ok(on) if !how.is_empty() => cases::intake::withdraw(&mut tx, &c, on, how).await,
                Ok(_) => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, "Kies hoe de klacht is ingetrokken (art. 26).")).await;
                }
                Err(e) => {
                    drop(tx);
                    return reject(&state, cc, invalid(step, format!("Datum van intrekking: {e}"))).await;
                }
            }
        }
        Step::RegisterSignedVerslag
        | Step::RegisterTranslation
        | Step::RegisterRepair
        | Step::RegisterVerweerschrift
        | Step::RegisterRepliek
        | Step::RegisterDupliek => {
            unreachable!("document steps are posted as multipart")
        }
    };
    finish(&state, cc, step, result, tx).await
}

async fn reject(state: &AppState, cc: CaseCtx, errors: FieldErrors) -> AppResult<Response> {
    super::cases::case_page_with_errors(state, cc, errors, None).await
}

/// Steps that register an incoming document (with its receipt date, Art 11.9).
async fn document_step(State(state): State<AppState>, cc: CaseCtx, req: Request, step: Step) -> AppResult<Response> {
    cc.ctx.require(action_for(step))?;
    let mp = MultipartForm::from_request(req, &state).await?;
    let received_on = validate::date(mp.get("ontvangen"));
    let file = mp.files.iter().find(|f| f.field == "bestand");
    let doc = match (received_on, file) {
        (Err(e), _) => Err(format!("Datum van ontvangst: {e}")),
        (Ok(d), _) if d > crate::admin::today() => Err("De datum van ontvangst kan niet in de toekomst liggen.".into()),
        (_, None) => Err("Kies het ontvangen bestand.".into()),
        (Ok(d), Some(f)) => upload::clean_file_name(&f.file_name)
            .and_then(|n| upload::check(&f.content_type, &n, &f.bytes).map(|t| (n, t)))
            .map(|(file_name, media_type)| NewDocument {
                title: match step {
                    Step::RegisterSignedVerslag => "Ondertekend verslag mondelinge klacht (art. 11.2)".into(),
                    Step::RegisterTranslation => "Vertaling van het klaagschrift (art. 11.4)".into(),
                    Step::RegisterRepair => "Herstel van het klaagschrift (art. 11.7)".into(),
                    Step::RegisterRepliek => "Repliek van de klager (art. 17)".into(),
                    Step::RegisterDupliek => "Dupliek van de aangeklaagde (art. 17)".into(),
                    _ => "Verweerschrift (art. 13)".into(),
                },
                file_name,
                media_type: media_type.to_owned(),
                received_on: d,
                bytes: f.bytes.clone(),
            })
            .map_err(|e| e.to_string()),
    };
    let doc = match doc {
        Ok(d) => d,
        Err(e) => return reject(&state, cc, invalid(step, e)).await,
    };
    let mut tx = WriteTx::begin(&state.db, cc.ctx.user.actor()).await?;
    let c = cc.case.clone();
    let result = match step {
        Step::RegisterSignedVerslag => cases::intake::register_signed_verslag(&mut tx, &c, doc).await,
        Step::RegisterTranslation => cases::intake::register_translation(&mut tx, &c, doc).await,
        Step::RegisterRepair => cases::intake::register_repair(&mut tx, &c, doc).await,
        Step::RegisterRepliek => cases::intake::register_repliek(&mut tx, &c, doc).await,
        Step::RegisterDupliek => cases::intake::register_dupliek(&mut tx, &c, doc).await,
        _ => cases::intake::register_verweerschrift(&mut tx, &c, doc).await,
    };
    finish(&state, cc, step, result, tx).await
}

//! `POST /klaagschriften`: a school forwards a complaint it received to the commission
//! (Art 11.6), with its documents. Registered like the secretary's form does it: the case,
//! its parties and documents, the receipt terms and the acknowledgement to the klager
//! (Art 11.9), in one transaction; nothing is written when anything is wrong.

use super::{ApiError, ApiJson, ApiResult, JsonBody, PREFIX, Submitter};
use crate::audit::WriteTx;
use crate::cases::{
    CaseError,
    register::{NewCase, NewDocument, NewParty, Receipt},
};
use crate::domain::case::{Arrival, PartyRole};
use crate::domain::{upload, validate, validate::FieldErrors};
use crate::entities::{case, school};
use crate::web::AppState;
use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use sea_orm::EntityTrait;
use serde::Deserialize;

/// At most this many documents in one klaagschrift.
pub const MAX_DOCUMENTS: usize = 20;

/// The body of `POST /klaagschriften` (schema `NieuwKlaagschrift` in the OpenAPI document).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKlaagschrift {
    pub school_id: Option<i32>,
    /// When the school received the complaint (`YYYY-MM-DD`): Art 11.6 keeps that date for the
    /// one-year term.
    pub received_on: Option<String>,
    /// When the facts complained about took place, if known (Art 11.5).
    pub facts_date: Option<String>,
    pub subject: Option<String>,
    pub klager: Option<Person>,
    pub aangeklaagde: Option<Person>,
    /// The klager's representative (gemachtigde), if any.
    pub gemachtigde: Option<Person>,
    /// Art 11.1: the gemachtigde signed the klaagschrift.
    #[serde(default)]
    pub signed_by_representative: bool,
    #[serde(default)]
    pub documents: Vec<Document>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub minor: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub file_name: Option<String>,
    pub title: Option<String>,
    pub media_type: Option<String>,
    /// The file's bytes, base64 (standard alphabet).
    pub content_base64: Option<String>,
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// An ISO date (`YYYY-MM-DD`) that does not lie after `today`.
fn iso_date(input: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let d = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| "Geef een datum als JJJJ-MM-DD.")?;
    if d > today { Err("De datum kan niet in de toekomst liggen.") } else { Ok(d) }
}

fn person(errors: &mut FieldErrors, field: &str, role: PartyRole, p: &Person) -> Option<NewParty> {
    let name = errors.check(&format!("{field}.name"), validate::required(text(&p.name), 200));
    let address = errors.check(&format!("{field}.address"), validate::optional(text(&p.address), 500));
    let email = errors.check(&format!("{field}.email"), validate::optional_email(text(&p.email)));
    let phone = errors.check(&format!("{field}.phone"), validate::optional(text(&p.phone), 40));
    Some(NewParty { role, name: name?, address: address?, email: email?, phone: phone?, minor: p.minor })
}

/// Checks the body against the rules of the registration form and builds the case. `school` is
/// the board's school the body names (`None`: it named none, or one that does not exist).
/// The commission receives the klaagschrift `today`; the school's receipt date is kept as the
/// forwarding date (Art 11.6).
pub fn parse(
    input: &NewKlaagschrift,
    today: NaiveDate,
    school: Option<&school::Model>,
) -> Result<NewCase, FieldErrors> {
    let mut errors = FieldErrors::default();
    if school.is_none() {
        errors.add(
            "school_id",
            if input.school_id.is_none() {
                "Geef de school waarover geklaagd wordt (school_id)."
            } else {
                "Deze school bestaat niet."
            },
        );
    }
    let received_on = match &input.received_on {
        None => {
            errors.add("received_on", "Geef de datum waarop de school de klacht ontving (JJJJ-MM-DD).");
            None
        }
        Some(d) => errors.check("received_on", iso_date(d, today)),
    };
    let facts_date = match input.facts_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => errors.check("facts_date", iso_date(d, today)),
    };
    let subject = errors.check("subject", validate::required(text(&input.subject), 300));
    let mut parties = Vec::new();
    match &input.klager {
        Some(k) => parties.extend(person(&mut errors, "klager", PartyRole::Klager, k)),
        None => errors.add("klager", "Noem ten minste de klager, met naam (art. 11.3)."),
    }
    if let Some(a) = &input.aangeklaagde {
        parties.extend(person(&mut errors, "aangeklaagde", PartyRole::Aangeklaagde, a));
    }
    if let Some(g) = &input.gemachtigde {
        parties.extend(person(&mut errors, "gemachtigde", PartyRole::GemachtigdeKlager, g));
    }
    if input.signed_by_representative && input.gemachtigde.is_none() {
        errors.add(
            "signed_by_representative",
            "Noem de gemachtigde die het klaagschrift ondertekende (gemachtigde), art. 11.1.",
        );
    }
    if input.documents.len() > MAX_DOCUMENTS {
        errors.add("documents", format!("Ten hoogste {MAX_DOCUMENTS} documenten per klaagschrift."));
    }
    let mut documents = Vec::new();
    for (i, d) in input.documents.iter().enumerate().take(MAX_DOCUMENTS) {
        let field = format!("documents[{i}]");
        let file_name = match upload::clean_file_name(text(&d.file_name)) {
            Ok(n) => n,
            Err(e) => {
                errors.add(&format!("{field}.file_name"), e.to_string());
                continue;
            }
        };
        let Some(bytes) = crate::domain::api::base64_decode(text(&d.content_base64)) else {
            errors.add(
                &format!("{field}.content_base64"),
                format!("{file_name}: de inhoud is geen geldige base64 (standaardalfabet)."),
            );
            continue;
        };
        match upload::check(text(&d.media_type), &file_name, &bytes) {
            Ok(media_type) => {
                let title = match validate::optional(text(&d.title), 300) {
                    Ok(t) => t.unwrap_or_else(|| if i == 0 { "Klaagschrift".into() } else { file_name.clone() }),
                    Err(e) => {
                        errors.add(&format!("{field}.title"), e);
                        continue;
                    }
                };
                documents.push(NewDocument {
                    title,
                    file_name,
                    media_type: media_type.to_owned(),
                    received_on: today,
                    bytes,
                })
            }
            Err(e) => errors.add(&field, format!("{file_name}: {e}")),
        }
    }
    match (errors.is_empty(), school, received_on, subject) {
        (true, Some(school), Some(received_on), Some(subject)) => Ok(NewCase {
            received_on: today,
            school_id: school.id,
            subject,
            facts_date,
            arrival: Arrival::Doorgezonden,
            parties,
            documents,
            receipt: Receipt {
                signed_by_representative: input.signed_by_representative,
                forwarded_by: Some(school.name.clone()),
                forwarded_received_on: Some(received_on),
                needs_translation: false,
            },
            // The API carries no kind of complaint; the secretariat records it on the case.
            complaint_kind: None,
        }),
        _ => Err(errors),
    }
}

/// `POST /klaagschriften`: 201 with the case and its address; 403 for another board's school;
/// 422 naming every field that is wrong.
pub async fn submit(
    State(state): State<AppState>,
    Submitter(client): Submitter,
    ApiJson(body): ApiJson<NewKlaagschrift>,
) -> ApiResult<Response> {
    let school = match body.school_id {
        Some(id) => school::Entity::find_by_id(id).one(&state.db).await?,
        None => None,
    };
    if let Some(s) = &school
        && s.board_id != client.board_id
    {
        tracing::warn!(board_id = client.board_id, school_id = s.id, "api: refused another board's school");
        return Err(ApiError::Forbidden("Deze school"));
    }
    let new = parse(&body, crate::admin::today(), school.as_ref()).map_err(ApiError::Validation)?;
    let mut tx = WriteTx::begin(&state.db, client.actor()).await?;
    let (zaaknummer, case_id) = crate::cases::register::register(&mut tx, new).await.map_err(case_error)?;
    crate::cases::register::acknowledge(&mut tx, case_id).await.map_err(case_error)?;
    tx.commit().await?;
    state.mail_queued();
    tracing::info!(board_id = client.board_id, token_id = client.token_id, %zaaknummer, "api: klaagschrift registered");
    let c = case::Entity::find_by_id(case_id).one(&state.db).await?.ok_or(ApiError::NotFound("Deze zaak"))?;
    let zaak = super::zaken::to_json(&state.db, std::slice::from_ref(&c))
        .await?
        .pop()
        .ok_or(ApiError::NotFound("Deze zaak"))?;
    let location = HeaderValue::from_str(&format!("{PREFIX}/zaken/{zaaknummer}"))
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("location header: {e}")))?;
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], JsonBody(zaak)).into_response())
}

fn case_error(e: CaseError) -> ApiError {
    match e {
        CaseError::Db(e) => ApiError::Db(e),
        CaseError::UnknownSchool => {
            let mut f = FieldErrors::default();
            f.add("school_id", CaseError::UnknownSchool.to_string());
            ApiError::Validation(f)
        }
        CaseError::NoKlager => {
            let mut f = FieldErrors::default();
            f.add("klager", CaseError::NoKlager.to_string());
            ApiError::Validation(f)
        }
        other => ApiError::Internal(anyhow::anyhow!("registering a klaagschrift: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::api::base64_encode;

    fn school() -> school::Model {
        school::Model {
            id: 4,
            board_id: 2,
            name: "Basisschool De Wilg".into(),
            brin: None,
            address: "Laan 1".into(),
            place: "Utrecht".into(),
            region: "midden".into(),
            sector: "PO".into(),
            contact_name: None,
            contact_email: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn body() -> NewKlaagschrift {
        serde_json::from_value(serde_json::json!({
            "school_id": 4,
            "received_on": "2026-11-20",
            "facts_date": "2026-10-01",
            "subject": "Pesten in groep 6",
            "klager": { "name": "J. Jansen", "email": "jansen@voorbeeld.nl", "minor": false },
            "aangeklaagde": { "name": "Directeur" },
            "documents": [{ "file_name": "klacht.pdf", "media_type": "application/pdf",
                            "content_base64": base64_encode(b"%PDF-1.7 klacht") }]
        }))
        .unwrap()
    }

    #[test]
    fn a_forwarded_klaagschrift_keeps_the_schools_date() {
        let s = school();
        let c = parse(&body(), today(), Some(&s)).unwrap();
        assert_eq!(c.received_on, today(), "the commission receives it today (art. 11.9)");
        assert_eq!(c.arrival, Arrival::Doorgezonden);
        assert_eq!(c.receipt.forwarded_by.as_deref(), Some("Basisschool De Wilg"));
        assert_eq!(c.receipt.forwarded_received_on, NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(c.facts_date, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!(c.parties.len(), 2);
        assert_eq!(c.parties[0].role, PartyRole::Klager);
        assert_eq!(c.parties[0].email.as_deref(), Some("jansen@voorbeeld.nl"));
        assert_eq!(c.documents.len(), 1);
        assert_eq!(c.documents[0].title, "Klaagschrift");
        assert_eq!(c.documents[0].bytes, b"%PDF-1.7 klacht");
        assert_eq!(c.documents[0].received_on, today());
    }

    #[test]
    fn every_wrong_field_is_named() {
        let mut b = body();
        b.received_on = Some("2026-12-01".into());
        b.facts_date = Some("1 oktober".into());
        b.subject = Some(" ".into());
        b.klager = Some(Person { name: None, email: Some("geen-adres".into()), ..Default::default() });
        b.signed_by_representative = true;
        b.documents = vec![
            Document {
                file_name: Some("virus.pdf".into()),
                media_type: Some("application/pdf".into()),
                content_base64: Some(base64_encode(b"MZ\x90\x00")),
                ..Default::default()
            },
            Document {
                file_name: Some("x.pdf".into()),
                media_type: Some("application/pdf".into()),
                content_base64: Some("***".into()),
                ..Default::default()
            },
            Document {
                file_name: Some("a.exe".into()),
                media_type: Some("application/x-msdownload".into()),
                content_base64: Some(base64_encode(b"MZ")),
                ..Default::default()
            },
            Document { file_name: Some("".into()), ..Default::default() },
        ];
        let e = parse(&b, today(), None).unwrap_err();
        for field in [
            "school_id",
            "received_on",
            "facts_date",
            "subject",
            "klager.name",
            "klager.email",
            "signed_by_representative",
            "documents[0]",
            "documents[1].content_base64",
            "documents[2]",
            "documents[3].file_name",
        ] {
            assert!(e.contains(field), "{field} in {e:?}");
        }
        assert!(e.get("documents[0]").unwrap().starts_with("virus.pdf: "), "the document is named");
        assert_eq!(e.get("school_id"), Some("Deze school bestaat niet."));
        let none = parse(&NewKlaagschrift::default(), today(), None).unwrap_err();
        for field in ["school_id", "received_on", "subject", "klager"] {
            assert!(none.contains(field), "{field}");
        }
    }

    #[test]
    fn unknown_fields_are_refused_by_serde() {
        let e = serde_json::from_str::<NewKlaagschrift>(r#"{"subjct":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `subjct`"), "{e}");
    }
}

//! People named in a case: a gemachtigde's standing for Art 15 (lawyer, doctor, or admitted by
//! the commission), which decides whether restricted documents may reach them; and the people
//! a party or the commission brings to the hearing (Art 21, 22).

use super::CaseError;
use crate::audit::WriteTx;
use crate::domain::case::PartyRole;
use crate::domain::hearing::BroughtBy;
use crate::entities::{case, party};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

pub const QUALIFICATIONS: [(&str, &str); 3] =
    [("advocaat", "advocaat"), ("arts", "arts"), ("toegelaten", "bijzonder toegelaten door de commissie")];

pub async fn set_qualification(
    tx: &mut WriteTx,
    c: &case::Model,
    party_id: i32,
    qualification: Option<&str>,
) -> Result<(), CaseError> {
    let p = party::Entity::find_by_id(party_id)
        .filter(party::Column::CaseId.eq(c.id))
        .one(tx.conn())
        .await?
        .ok_or_else(|| CaseError::NotNow("Deze persoon hoort niet bij de zaak.".into()))?;
    if !matches!(PartyRole::parse(&p.role), Some(PartyRole::GemachtigdeKlager | PartyRole::GemachtigdeAangeklaagde)) {
        return Err(CaseError::NotNow("Alleen een gemachtigde heeft een hoedanigheid voor art. 15.".into()));
    }
    if qualification.is_some_and(|q| !QUALIFICATIONS.iter().any(|(code, _)| *code == q)) {
        return Err(CaseError::NotNow("Kies advocaat, arts of bijzonder toegelaten.".into()));
    }
    let mut am: party::ActiveModel = p.clone().into();
    am.qualification = Set(qualification.map(str::to_owned));
    am.update(tx.conn()).await?;
    tx.audit(Some(c.id), "partij.hoedanigheid", json!({ "naam": p.name, "hoedanigheid": qualification })).await?;
    Ok(())
}

/// A person a party or the commission brings to the hearing, or a gemachtigde (Art 21, 22).
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub role: Option<PartyRole>,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub minor: bool,
    pub brought_by: Option<BroughtBy>,
    /// Art 21.4: when the name reached the commission in writing.
    pub announced_on: Option<chrono::NaiveDate>,
}

/// Adds a gemachtigde, companion, witness, expert or interpreter to the case. A witness or
/// expert the commission calls is told to both parties (Art 21.3).
pub async fn add_person(tx: &mut WriteTx, c: &case::Model, p: NewPerson) -> Result<party::Model, CaseError> {
    use PartyRole::*;
    if !crate::domain::case::CaseStatus::parse(&c.status).is_some_and(|s| s.is_open()) {
        return Err(CaseError::NotNow("De zaak is afgesloten.".into()));
    }
    let role = p.role.ok_or_else(|| CaseError::NotNow("Kies de hoedanigheid van de persoon.".into()))?;
    if matches!(role, Klager | Aangeklaagde) {
        return Err(CaseError::NotNow("Klager en aangeklaagde staan in het klaagschrift.".into()));
    }
    let brought_by = match role {
        GemachtigdeKlager => Some(BroughtBy::Klager),
        GemachtigdeAangeklaagde => Some(BroughtBy::Aangeklaagde),
        _ => p.brought_by,
    };
    let Some(by) = brought_by else {
        return Err(CaseError::NotNow("Geef aan wie deze persoon meebrengt of oproept.".into()));
    };
    match (role, by) {
        // Art 21.2, 22: companions and interpreters come with a party.
        (Begeleider | Tolk, BroughtBy::Commissie) => {
            return Err(CaseError::NotNow(
                "Een vertrouwenspersoon of tolk komt mee met de klager of de aangeklaagde (art. 21.2, 22).".into(),
            ));
        }
        (Getuige | Deskundige, BroughtBy::Klager | BroughtBy::Aangeklaagde) if p.announced_on.is_none() => {
            return Err(CaseError::NotNow(
                "Geef de datum waarop de naam schriftelijk binnenkwam (vijf werkdagen vóór de zitting, art. 21.4)."
                    .into(),
            ));
        }
        _ => {}
    }
    let existing = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).all(tx.conn()).await?;
    if role == Begeleider
        && existing.iter().any(|x| x.role == Begeleider.code() && x.brought_by.as_deref() == Some(by.code()))
    {
        return Err(CaseError::NotNow("Elke partij kan één vertrouwenspersoon meenemen (art. 21.2).".into()));
    }
    let name = p.name.trim().to_owned();
    if name.is_empty() {
        return Err(CaseError::NotNow("Vul de naam in.".into()));
    }
    let saved = party::ActiveModel {
        case_id: Set(c.id),
        role: Set(role.code().to_owned()),
        name: Set(name.clone()),
        address: Set(p.address.filter(|a| !a.trim().is_empty())),
        email: Set(p.email.filter(|e| !e.trim().is_empty())),
        phone: Set(p.phone.filter(|e| !e.trim().is_empty())),
        minor: Set(p.minor),
        qualification: Set(None),
        brought_by: Set(Some(by.code().to_owned())),
        announced_on: Set(p.announced_on),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        Some(c.id),
        "partij.toegevoegd",
        json!({ "naam": name, "hoedanigheid": role.label(), "door": by.label(), "opgegeven": p.announced_on, "minderjarig": p.minor }),
    )
    .await?;
    if by == BroughtBy::Commissie && matches!(role, Getuige | Deskundige) {
        let called: Vec<String> = existing
            .iter()
            .chain(std::iter::once(&saved))
            .filter(|x| x.brought_by.as_deref() == Some(BroughtBy::Commissie.code()))
            .filter_map(|x| PartyRole::parse(&x.role).map(|r| format!("- {} ({})", x.name, r.label().to_lowercase())))
            .collect();
        let all = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).all(tx.conn()).await?;
        for r in [Klager, Aangeklaagde] {
            if let Some(to) = super::intake::addressee(&all, r) {
                let v = super::intake::values(&[("getuigen", called.join("\n"))]);
                crate::letters::compose::send(tx, c, crate::domain::letter::LetterKind::GetuigenCommissie, to, v)
                    .await?;
            }
        }
    }
    Ok(saved)
}

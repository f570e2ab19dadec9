//! The letterhead: the commission's name, address, place, e-mail (also the sender of its
//! e-mail) and phone, kept in `settings` and edited by the secretary beside the templates.

use crate::audit::WriteTx;
use crate::domain::validate::{self, FieldErrors};
use crate::entities::setting;
use crate::pdf;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, sea_query::OnConflict};
use serde_json::json;

// The keys the demo data and earlier versions already use.
const NAME: &str = "commission_name";
const ADDRESS: &str = "commission_address";
const PLACE: &str = "commission_place";
const EMAIL: &str = "commission_email";
const PHONE: &str = "commission_phone";

/// Until the secretary fills in the commission's own address, mail is sent from this reserved
/// (RFC 2606) domain, so nothing can reach a stranger by accident.
pub const FALLBACK_EMAIL: &str = "secretariaat@klachtencommissie.invalid";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    pub name: String,
    /// Postal address, one line per line.
    pub address: String,
    /// Where letters are dated: "Utrecht, 23 november 2026".
    pub place: String,
    pub email: String,
    pub phone: String,
}

impl Letterhead {
    /// The name as printed, with a neutral default before it is configured.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() { "Klachtencommissie" } else { &self.name }
    }

    /// The sender address of all mail.
    pub fn from_address(&self) -> &str {
        if self.email.is_empty() { FALLBACK_EMAIL } else { &self.email }
    }

    pub fn layout(&self) -> pdf::Letterhead {
        let mut lines: Vec<String> =
            self.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        if !self.phone.is_empty() {
            lines.push(format!("Telefoon {}", self.phone));
        }
        if !self.email.is_empty() {
            lines.push(self.email.clone());
        }
        pdf::Letterhead { name: self.display_name().to_owned(), lines }
    }

    pub fn dated(&self, date: chrono::NaiveDate) -> String {
        let d = crate::domain::dutch::date(date);
        if self.place.is_empty() { d } else { format!("{}, {d}", self.place) }
    }
}

pub async fn load(db: &impl ConnectionTrait) -> Result<Letterhead, DbErr> {
    let rows = setting::Entity::find()
        .filter(setting::Column::Key.is_in([NAME, ADDRESS, PLACE, EMAIL, PHONE]))
        .all(db)
        .await?;
    let get = |k: &str| rows.iter().find(|r| r.key == k).map(|r| r.value.clone()).unwrap_or_default();
    Ok(Letterhead { name: get(NAME), address: get(ADDRESS), place: get(PLACE), email: get(EMAIL), phone: get(PHONE) })
}

/// Checks the form; the letterhead to store, or the errors per field.
pub fn validate(name: &str, address: &str, place: &str, email: &str, phone: &str) -> Result<Letterhead, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("naam", validate::required(name, 150));
    let address = address.trim();
    if address.lines().count() > 6 || address.chars().count() > 400 {
        errors.add("adres", "Ten hoogste zes regels en 400 tekens.");
    }
    let place = errors.check("plaats", validate::optional(place, 80));
    let email = errors.check("email", validate::optional_email(email));
    let phone = errors.check("telefoon", validate::optional(phone, 40));
    match (name, place, email, phone) {
        (Some(name), Some(place), Some(email), Some(phone)) if errors.is_empty() => Ok(Letterhead {
            name,
            address: address.to_owned(),
            place: place.unwrap_or_default(),
            email: email.unwrap_or_default(),
            phone: phone.unwrap_or_default(),
        }),
        _ => Err(errors),
    }
}

pub async fn save(tx: &mut WriteTx, head: &Letterhead) -> Result<(), DbErr> {
    let pairs = [
        (NAME, &head.name),
        (ADDRESS, &head.address),
        (PLACE, &head.place),
        (EMAIL, &head.email),
        (PHONE, &head.phone),
    ];
    for (k, v) in pairs {
        setting::Entity::insert(setting::ActiveModel {
            key: sea_orm::ActiveValue::Set(k.to_owned()),
            value: sea_orm::ActiveValue::Set(v.clone()),
        })
        .on_conflict(OnConflict::column(setting::Column::Key).update_column(setting::Column::Value).to_owned())
        .exec_without_returning(tx.conn())
        .await?;
    }
    tx.audit(
        None,
        "briefhoofd.gewijzigd",
        json!({ "naam": head.name, "adres": head.address, "plaats": head.place, "email": head.email, "telefoon": head.phone }),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_keeps_what_was_typed_apart_and_names_fields() {
        let e = validate("", "a\nb\nc\nd\ne\nf\ng", "", "geen-adres", "").unwrap_err();
        assert!(e.contains("naam") && e.contains("adres") && e.contains("email"));
        let ok = validate(" Commissie ", " Postbus 1\n1234 AB Utrecht ", "Utrecht", "Secr@Commissie.nl", "").unwrap();
        assert_eq!(ok.email, "secr@commissie.nl");
        assert_eq!(ok.layout().lines, vec!["Postbus 1", "1234 AB Utrecht", "secr@commissie.nl"]);
    }

    #[test]
    fn defaults_before_configuration() {
        let h = Letterhead::default();
        assert_eq!(h.display_name(), "Klachtencommissie");
        assert_eq!(h.from_address(), FALLBACK_EMAIL);
        assert_eq!(h.dated("2026-11-23".parse().unwrap()), "23 november 2026");
    }
}

//! The access log (issue 9): every view of a case, every download of one of its documents and
//! every API read of it, by whom and when, for the beheerder to inspect per case.
//!
//! Reading is not a change of the case, so an entry is a plain insert outside the audit chain
//! (which records changes only, and whose hash chain would serialise every page view). The log
//! is nevertheless a record the commission must be able to rely on: when an entry cannot be
//! written the request fails (500) instead of showing the page unlogged.

use crate::domain::access::Role;
use crate::entities::{access_log, user};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Entries per page of the beheerder's log.
pub const PER_PAGE: u64 = 50;

/// What was read; the codes are the `what` column's check constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The case page.
    Zaak,
    /// A document of the case (the advies PDF included), downloaded.
    Document,
    /// The deliberation and advies page.
    Advies,
    /// The investigation and hearing page.
    Zitting,
    /// The school register entry linked to the case, or one of its documents.
    Register,
    /// A read through the boards' API.
    Api,
}

impl What {
    pub const ALL: &'static [What] =
        &[What::Zaak, What::Document, What::Advies, What::Zitting, What::Register, What::Api];

    pub fn code(self) -> &'static str {
        match self {
            What::Zaak => "zaak",
            What::Document => "document",
            What::Advies => "advies",
            What::Zitting => "zitting",
            What::Register => "register",
            What::Api => "api",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            What::Zaak => "Zaakpagina bekeken",
            What::Document => "Document gedownload",
            What::Advies => "Advies en beraadslaging bekeken",
            What::Zitting => "Onderzoek en zitting bekeken",
            What::Register => "Klachtenregister school",
            What::Api => "Gelezen via de API",
        }
    }

    pub fn parse(code: &str) -> Option<What> {
        What::ALL.iter().copied().find(|w| w.code() == code)
    }
}

/// Writes one entry. `user_id` is `None` for an API read (use [`record_api`]).
pub async fn record(
    db: &impl ConnectionTrait,
    case_id: i32,
    user_id: Option<i32>,
    what: What,
    detail: Option<String>,
) -> Result<(), DbErr> {
    access_log::ActiveModel {
        case_id: Set(case_id),
        user_id: Set(user_id),
        what: Set(what.code().to_owned()),
        detail: Set(detail),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Writes an API read by token `token_id`: `detail` names the token, then what was read.
pub async fn record_api(db: &impl ConnectionTrait, case_id: i32, token_id: i32, read: &str) -> Result<(), DbErr> {
    record(db, case_id, None, What::Api, Some(api_detail(token_id, read))).await
}

/// How a downloaded case document is named: `klaagschrift.pdf (document 12)`.
pub fn document_detail(file_name: &str, document_id: i32) -> String {
    format!("{file_name} (document {document_id})")
}

/// A school register entry (`registratie 4`) or one of its documents (`registratie 4:
/// brief.pdf (stuk 9)`), for entries linked to the case.
pub fn register_detail(entry_id: i32, document: Option<(&str, i32)>) -> String {
    match document {
        None => format!("registratie {entry_id}"),
        Some((file_name, id)) => format!("registratie {entry_id}: {file_name} (stuk {id})"),
    }
}

const TOKEN_PREFIX: &str = "API-token ";

/// `API-token 7: zaak`.
pub fn api_detail(token_id: i32, read: &str) -> String {
    format!("{TOKEN_PREFIX}{token_id}: {read}")
}

/// The token named at the start of an API entry's detail.
pub fn api_token_of(detail: &str) -> Option<i32> {
    let rest = detail.strip_prefix(TOKEN_PREFIX)?;
    let digits = rest.split(':').next()?;
    digits.parse().ok()
}

/// One line of the log as the beheerder reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub what: String,
    pub detail: Option<String>,
    /// The user's name and role, when the entry has a (still existing) user.
    pub user: Option<(String, String)>,
}

impl Entry {
    /// Who: `Naam (Rol)`, `API-token N`, or that the account no longer exists.
    pub fn who(&self) -> String {
        match (&self.user, self.what.as_str(), self.detail.as_deref().and_then(api_token_of)) {
            (Some((name, role)), _, _) => {
                format!("{name} ({})", Role::parse(role).map_or(role.as_str(), |r| r.label()))
            }
            (None, "api", Some(token)) => format!("{TOKEN_PREFIX}{token}"),
            (None, _, _) => "onbekend (account verwijderd)".into(),
        }
    }

    pub fn what_label(&self) -> &str {
        What::parse(&self.what).map_or(self.what.as_str(), |w| w.label())
    }
}

/// A page of a case's log, newest first.
#[derive(Debug)]
pub struct Page {
    pub entries: Vec<Entry>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// Page `page` (from 1) of the log of `case_id`, newest first: two queries, the entries and
/// then the names and roles of their users.
pub async fn page(db: &impl ConnectionTrait, case_id: i32, page: u64) -> Result<Page, DbErr> {
    let scope = access_log::Entity::find().filter(access_log::Column::CaseId.eq(case_id));
    let total = scope.clone().count(db).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let rows = scope
        .order_by_desc(access_log::Column::At)
        .order_by_desc(access_log::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows.iter().filter_map(|r| r.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let users: HashMap<i32, (String, String)> = if ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Name)
            .column(user::Column::Role)
            .filter(user::Column::Id.is_in(ids))
            .into_tuple::<(i32, String, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, name, role)| (id, (name, role)))
            .collect()
    };
    let entries = rows
        .into_iter()
        .map(|r| Entry {
            at: r.at,
            user: r.user_id.and_then(|id| users.get(&id).cloned()),
            what: r.what,
            detail: r.detail,
        })
        .collect();
    Ok(Page { entries, page, pages, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for w in What::ALL {
            assert_eq!(What::parse(w.code()), Some(*w));
        }
        assert_eq!(What::parse("iets"), None);
    }

    #[test]
    fn api_token_is_read_back_from_the_detail() {
        assert_eq!(api_detail(7, "zaak"), "API-token 7: zaak");
        assert_eq!(api_token_of(&api_detail(7, "advies-PDF advies.pdf")), Some(7));
        assert_eq!(api_token_of("advies.pdf"), None);
        assert_eq!(api_token_of("API-token x: zaak"), None);
    }

    #[test]
    fn downloads_are_named() {
        assert_eq!(document_detail("klaagschrift.pdf", 12), "klaagschrift.pdf (document 12)");
        assert_eq!(register_detail(4, None), "registratie 4");
        assert_eq!(register_detail(4, Some(("brief.pdf", 9))), "registratie 4: brief.pdf (stuk 9)");
    }

    #[test]
    fn who_names_the_user_the_token_or_neither() {
        let at = Utc::now();
        let e = |user: Option<(&str, &str)>, what: &str, detail: Option<&str>| Entry {
            at,
            what: what.into(),
            detail: detail.map(str::to_owned),
            user: user.map(|(n, r)| (n.to_owned(), r.to_owned())),
        };
        assert_eq!(e(Some(("Sanne de Vries", "secretaris")), "zaak", None).who(), "Sanne de Vries (Secretaris)");
        assert_eq!(e(Some(("B. Bestuur", "bestuur")), "zaak", None).who(), "B. Bestuur (Bevoegd gezag)");
        assert_eq!(e(None, "api", Some("API-token 3: zaak")).who(), "API-token 3");
        assert_eq!(e(None, "document", Some("klacht.pdf")).who(), "onbekend (account verwijderd)");
        assert_eq!(e(None, "zaak", None).what_label(), "Zaakpagina bekeken");
    }
}

//! Step 5: the complaint goes to the commission. A klaagschrift is registered with what the
//! school already holds (the complainant, the person complained about, the facts date, every
//! document of the entry and the registratieformulier itself), received as forwarded by the
//! school with the school's receipt date (Art 11.6), and the entry and the case are linked.

use super::{RegisterError, entries};
use crate::audit::WriteTx;
use crate::cases::register::{NewCase, NewDocument, NewParty, Receipt};
use crate::domain::case::{Arrival, PartyRole};
use crate::domain::school_register::{self as rules, ComplainantRole, ComplaintKind, EntryStatus, Step};
use crate::entities::{register_action, register_document, register_entry, school};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

/// The registratieformulier as a plain-text document for the commission's dossier.
pub fn form_text(e: &register_entry::Model, school: &str, actions: &[register_action::Model]) -> String {
    let opt = |v: &Option<String>| v.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "-".into());
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "-".into(), crate::domain::dutch::date);
    let mut t = format!(
        "Registratieformulier klacht {nummer}\nSchool: {school}\n\n\
         Klager: {name} ({role})\nKind: {child}\nGroep/klas: {group}\nAdres: {address}\nTelefoon: {phone}\nE-mail: {email}\n\n\
         Ontvangen op: {received} ({how})\nSoort klacht: {kind}\nOver: {about}\nDatum van de feiten: {facts}\n\n\
         Aard van de klacht:\n{nature}\n\nKlachtbehandelaar: {handler}\n\nActies:\n",
        nummer = rules::entry_number(e.year, e.seq),
        name = e.complainant_name,
        role = ComplainantRole::parse(&e.complainant_role).map_or("", |r| r.label()),
        child = opt(&e.child_name),
        group = opt(&e.group_name),
        address = opt(&e.address).replace('\n', ", "),
        phone = opt(&e.phone),
        email = opt(&e.email),
        received = crate::domain::dutch::date(e.received_on),
        how = e.received_how,
        kind = ComplaintKind::parse(&e.kind).map_or("", |k| k.label()),
        about = e.complained_about,
        facts = date(e.facts_on),
        nature = e.nature,
        handler = opt(&e.handler),
    );
    for a in actions {
        let label = rules::RegisterAction::parse(&a.action).map_or(a.action.as_str(), |x| x.label());
        t.push_str(&format!("- {label}: {} {} {}\n", if a.done { "gedaan" } else { "open" }, date(a.on_date), a.who));
    }
    for (title, text) in [
        ("Beslissing", &e.decision),
        ("Oorzaak", &e.cause),
        ("Oplossing", &e.solution),
        ("Maatregelen om herhaling te voorkomen", &e.measures),
        ("Nagesprek", &e.follow_up_report),
    ] {
        if !text.trim().is_empty() {
            t.push_str(&format!("\n{title}:\n{text}\n"));
        }
    }
    t
}

/// The commission's kind of complaint for a school register's kind, where one follows: an
/// organisational complaint is one about organisatie en onderwijstijd, unwanted behaviour is
/// ongewenst gedrag. An educational (onderwijskundig) complaint may be about guidance and care,
/// assessment, communication or teaching itself: no kind is guessed, the secretariat records
/// it on the case (until then the annual report counts it as not recorded).
pub fn case_kind(kind: ComplaintKind) -> Option<crate::domain::case::ComplaintKind> {
    use crate::domain::case::ComplaintKind as Case;
    match kind {
        ComplaintKind::Organisatorisch => Some(Case::Organisatie),
        ComplaintKind::OngewenstGedrag => Some(Case::OngewenstGedrag),
        ComplaintKind::Onderwijskundig => None,
    }
}

/// Registers the klaagschrift at the commission and links it to the entry; returns the
/// zaaknummer. The acknowledgement (Art 11.9) goes to the klager in the same transaction.
pub async fn escalate(tx: &mut WriteTx, e: &register_entry::Model) -> Result<String, RegisterError> {
    let fresh = entries::check(tx, e, Step::Escalate).await?;
    let school = school::Entity::find_by_id(fresh.school_id)
        .one(tx.conn())
        .await?
        .ok_or(DbErr::RecordNotFound("school".into()))?;
    let actions = register_action::Entity::find()
        .filter(register_action::Column::EntryId.eq(fresh.id))
        .order_by_asc(register_action::Column::Id)
        .all(tx.conn())
        .await?;
    let today = crate::admin::today();
    let number = rules::entry_number(fresh.year, fresh.seq);
    let mut documents = vec![NewDocument {
        title: format!("Registratieformulier {number} van {}", school.name),
        file_name: format!("registratieformulier_{number}.txt"),
        media_type: "text/plain; charset=utf-8".into(),
        received_on: today,
        bytes: form_text(&fresh, &school.name, &actions).into_bytes(),
    }];
    for d in register_document::Entity::find()
        .filter(register_document::Column::EntryId.eq(fresh.id))
        .order_by_asc(register_document::Column::Id)
        .all(tx.conn())
        .await?
    {
        documents.push(NewDocument {
            title: format!("{} (van de school)", d.title),
            file_name: d.file_name,
            media_type: d.media_type,
            received_on: today,
            bytes: d.bytes,
        });
    }
    let mut parties = vec![NewParty {
        role: PartyRole::Klager,
        name: fresh.complainant_name.clone(),
        address: fresh.address.clone(),
        email: fresh.email.clone(),
        phone: fresh.phone.clone(),
        minor: false,
    }];
    if !fresh.complained_about.trim().is_empty() {
        parties.push(NewParty {
            role: PartyRole::Aangeklaagde,
            name: fresh.complained_about.clone(),
            address: None,
            email: None,
            phone: None,
            minor: false,
        });
    }
    let subject: String = fresh.nature.lines().next().unwrap_or_default().chars().take(200).collect();
    let new = NewCase {
        received_on: today,
        school_id: fresh.school_id,
        subject,
        facts_date: fresh.facts_on,
        arrival: Arrival::Doorgezonden,
        parties,
        documents,
        receipt: Receipt {
            signed_by_representative: false,
            forwarded_by: Some(school.name.clone()),
            // Art 11.6: filed in time at the school counts as filed in time.
            forwarded_received_on: Some(fresh.received_on),
            needs_translation: false,
        },
        complaint_kind: ComplaintKind::parse(&fresh.kind).and_then(case_kind),
    };
    let (zaaknummer, case_id) = crate::cases::register::register(tx, new).await?;
    crate::cases::register::acknowledge(tx, case_id).await?;
    let mut am: register_entry::ActiveModel = fresh.clone().into();
    am.case_id = Set(Some(case_id));
    am.escalated_at = Set(Some(Utc::now()));
    am.status = Set(rules::status_after(Step::Escalate, EntryStatus::Open).code().into());
    am.updated_at = Set(Utc::now());
    am.update(tx.conn()).await?;
    tx.audit(
        Some(case_id),
        "register.voorgelegd",
        json!({ "nummer": number, "school": school.name, "zaaknummer": zaaknummer.to_string() }),
    )
    .await?;
    Ok(zaaknummer.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::ComplaintKind as Case;

    #[test]
    fn register_kinds_map_to_case_kinds_only_where_one_follows() {
        assert_eq!(case_kind(ComplaintKind::Organisatorisch), Some(Case::Organisatie));
        assert_eq!(case_kind(ComplaintKind::OngewenstGedrag), Some(Case::OngewenstGedrag));
        assert_eq!(case_kind(ComplaintKind::Onderwijskundig), None);
    }
}

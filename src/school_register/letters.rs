//! Letters a school sends from its register (acknowledgement, decision, notice of delay):
//! the same templates, PDF layout and outbox as the commission's letters, on the school's
//! letterhead, stored as a document of the entry.

use super::RegisterError;
use crate::audit::WriteTx;
use crate::domain::letter::{LetterKind, Values};
use crate::domain::school_register::entry_number;
use crate::entities::{board, register_entry, register_letter, school};
use crate::letters::compose::{self, Draft, Sender};
use crate::outbox::{self, NewMessage, Purpose};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr, EntityTrait};
use serde_json::json;

pub fn values(pairs: &[(&'static str, String)]) -> Values {
    pairs.iter().cloned().collect()
}

/// Sends a letter of `kind` to the complainant of the entry: by e-mail when the register has
/// an address for it, otherwise the school prints the PDF from the entry's page.
pub async fn send(
    tx: &mut WriteTx,
    e: &register_entry::Model,
    kind: LetterKind,
    extra: Values,
) -> Result<register_letter::Model, RegisterError> {
    let school =
        school::Entity::find_by_id(e.school_id).one(tx.conn()).await?.ok_or(DbErr::RecordNotFound("school".into()))?;
    let board =
        board::Entity::find_by_id(e.board_id).one(tx.conn()).await?.ok_or(DbErr::RecordNotFound("board".into()))?;
    let head = crate::letters::letterhead::load(tx.conn()).await?;
    let today = crate::admin::today();
    let number = entry_number(e.year, e.seq);
    let sign_name = match tx.actor().user_id {
        Some(id) => crate::entities::user::Entity::find_by_id(id).one(tx.conn()).await?.map(|u| u.name),
        None => None,
    }
    .unwrap_or_else(|| "De directie".to_owned());
    let mut v = Values::new();
    v.insert("ontvanger", e.complainant_name.clone());
    v.insert("datum", crate::domain::dutch::date(today));
    v.insert("zaaknummer", number.clone());
    v.insert("ontvangen_op", crate::domain::dutch::date(e.received_on));
    v.insert("onderwerp_klacht", e.nature.clone());
    v.insert("klager", e.complainant_name.clone());
    v.insert("aangeklaagde", e.complained_about.clone());
    v.insert("school", school.name.clone());
    v.insert("bevoegd_gezag", board.name.clone());
    v.insert("commissie", head.display_name().to_owned());
    v.insert("secretaris", sign_name.clone());
    v.extend(extra);
    let letterhead = crate::pdf::Letterhead {
        name: school.name.clone(),
        lines: std::iter::once(board.name.clone())
            .chain(board.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned))
            .collect(),
    };
    let Draft { template, subject, body, pdf, .. } = compose::draft(
        tx.conn(),
        kind,
        &v,
        &[],
        Sender {
            head: letterhead,
            dated: crate::domain::dutch::date(today),
            sign_name: sign_name.clone(),
            sign_role: format!("namens {}", school.name),
        },
        compose::address_block(&e.complainant_name, e.address.as_deref()),
        number.clone(),
    )
    .await?;
    let doc = super::entries::insert_document(
        tx,
        e.id,
        crate::cases::register::NewDocument {
            title: format!("{} aan {}", kind.label().trim_start_matches("School: "), e.complainant_name),
            file_name: format!("{number}_{}_{today}.pdf", kind.code()),
            media_type: "application/pdf".into(),
            received_on: today,
            bytes: pdf,
        },
        "uit",
    )
    .await?;
    let email = e.email.clone().filter(|m| !m.trim().is_empty());
    let saved = register_letter::ActiveModel {
        entry_id: Set(e.id),
        kind: Set(kind.code().into()),
        template_id: Set(template.id),
        recipient_name: Set(e.complainant_name.clone()),
        recipient_address: Set(e.address.clone()),
        recipient_email: Set(email.clone()),
        channel: Set(if email.is_some() { "email" } else { "post" }.into()),
        subject: Set(subject.clone()),
        body: Set(body.clone()),
        letter_date: Set(today),
        document_id: Set(doc.id),
        created_by: Set(tx.actor().user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    if let Some(to) = &email {
        outbox::enqueue(
            tx.conn(),
            NewMessage {
                purpose: Purpose::Brief,
                case_id: None,
                letter_id: None,
                to_email: to.clone(),
                to_name: e.complainant_name.clone(),
                subject: format!("{subject} ({} {number})", school.name),
                body: compose::email_text(&body, &sign_name, &format!("namens {}", school.name), &number),
                attachment_document_id: None,
                more_attachments: vec![],
                calendar: None,
                register_document_id: Some(doc.id),
            },
            head.from_address(),
        )
        .await?;
    }
    tx.audit(
        None,
        "register.brief",
        json!({
            "nummer": number,
            "soort": kind.label(),
            "kanaal": if email.is_some() { "e-mail" } else { "post (door de school)" },
            "sjabloonversie": template.version,
            "sha256": doc.sha256,
        }),
    )
    .await?;
    Ok(saved)
}

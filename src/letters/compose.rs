//! Sending a letter on a case: the current template filled from the case, laid out as a PDF,
//! stored in the dossier, and put on its way, all in the caller's writing transaction with
//! its audit entry. E-mail goes into the outbox (the worker delivers it after commit); a
//! recipient without an e-mail address gets the letter by post, through the post queue.

use super::{LetterError, letterhead, templates};
use crate::audit::WriteTx;
use crate::cases::register::NewDocument;
use crate::domain::case::PartyRole;
use crate::domain::letter::{self, LetterKind, Values};
use crate::entities::{board, case, letter as letter_entity, party, school};
use crate::outbox::{self, NewMessage, Purpose};
use crate::pdf::{self, LetterLayout};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

/// Whom a letter is addressed to: a party of the case, or the case's board (bevoegd gezag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Party(i32),
    Board,
}

impl To {
    /// The form value: `partij-12` or `bestuur`.
    pub fn code(self) -> String {
        match self {
            To::Party(id) => format!("partij-{id}"),
            To::Board => "bestuur".to_owned(),
        }
    }

    pub fn parse(s: &str) -> Option<To> {
        if s == "bestuur" {
            return Some(To::Board);
        }
        s.strip_prefix("partij-")?.parse().ok().map(To::Party)
    }
}

/// A possible addressee with what the letter needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub to: To,
    /// Stored on the letter: the party role code, or `bestuur`.
    pub role: String,
    pub role_label: String,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    /// Art 15: a gemachtigde's standing (`advocaat`, `arts`, `toegelaten`).
    pub qualification: Option<String>,
}

impl Recipient {
    /// Art 15: whether this recipient may receive a document of the dossier.
    pub fn may_receive(&self, d: &crate::entities::document::Model) -> bool {
        if !d.restricted {
            return true;
        }
        let Some(role) = PartyRole::parse(&self.role) else { return false };
        match d.restricted_for.as_deref().and_then(PartyRole::parse) {
            Some(concerned) => {
                crate::domain::restriction::may_receive(role, self.qualification.as_deref(), Some(concerned))
            }
            // Restricted without a party named: the commission keeps it to itself.
            None => false,
        }
    }

    pub fn by_email(&self) -> bool {
        self.email.is_some()
    }
}

/// Everyone a letter on this case can go to: its parties, then the board.
pub async fn recipients(db: &impl ConnectionTrait, c: &case::Model) -> Result<Vec<Recipient>, DbErr> {
    let parties =
        party::Entity::find().filter(party::Column::CaseId.eq(c.id)).order_by_asc(party::Column::Id).all(db).await?;
    let board = board::Entity::find_by_id(c.board_id).one(db).await?.ok_or(DbErr::RecordNotFound("board".into()))?;
    let mut out: Vec<Recipient> = parties
        .into_iter()
        .map(|p| Recipient {
            to: To::Party(p.id),
            role_label: PartyRole::parse(&p.role).map_or_else(|| p.role.clone(), |r| r.label().to_owned()),
            role: p.role,
            name: p.name,
            address: p.address.filter(|a| !a.trim().is_empty()),
            email: p.email.filter(|e| !e.trim().is_empty()),
            qualification: p.qualification,
        })
        .collect();
    out.push(Recipient {
        to: To::Board,
        role: "bestuur".into(),
        role_label: "Bevoegd gezag".into(),
        name: board.name,
        address: Some(board.address).filter(|a| !a.trim().is_empty()),
        email: board.email.filter(|e| !e.trim().is_empty()),
        qualification: None,
    });
    Ok(out)
}

/// A letter laid out and rendered, not yet stored or sent.
pub struct Draft {
    pub template: crate::entities::letter_template::Model,
    pub subject: String,
    pub body: String,
    pub layout_json: String,
    pub pdf: Vec<u8>,
}

/// Who a letter is from: the letterhead, the dated line, and who signs.
pub struct Sender {
    pub head: pdf::Letterhead,
    pub dated: String,
    pub sign_name: String,
    pub sign_role: String,
}

/// The name and the lines of the postal address, as the letter's address block.
pub fn address_block(name: &str, address: Option<&str>) -> Vec<String> {
    let mut block = vec![name.to_owned()];
    block.extend(address.iter().flat_map(|a| a.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned)));
    block
}

/// Fills the current template of `kind` with `values`, appends `notices` as paragraphs, and
/// renders the PDF: what every letter goes through, from the commission or from a school.
pub async fn draft(
    db: &impl ConnectionTrait,
    kind: LetterKind,
    values: &Values,
    notices: &[String],
    from: Sender,
    recipient: Vec<String>,
    kenmerk: String,
) -> Result<Draft, LetterError> {
    let template = templates::current(db, kind).await?;
    let subject = letter::render(&template.subject, values).map_err(|e| LetterError::Template(kind.label(), e))?;
    let mut body = letter::render(&template.body, values).map_err(|e| LetterError::Template(kind.label(), e))?;
    for n in notices {
        body.push_str("\n\n");
        body.push_str(n);
    }
    let layout = LetterLayout {
        head: from.head,
        recipient,
        kenmerk,
        date: from.dated,
        subject: subject.clone(),
        paragraphs: letter::paragraphs(&body),
        sign_name: from.sign_name,
        sign_role: from.sign_role,
    };
    let layout_json = serde_json::to_string(&layout).map_err(|e| DbErr::Custom(e.to_string()))?;
    let pdf = tokio::task::spawn_blocking(move || pdf::render(&[layout]))
        .await
        .map_err(|e| DbErr::Custom(format!("PDF task failed: {e}")))??;
    Ok(Draft { template, subject, body, layout_json, pdf })
}

/// The values every letter on the case can use, for one recipient.
async fn case_values(
    db: &impl ConnectionTrait,
    c: &case::Model,
    recipient: &Recipient,
    head: &letterhead::Letterhead,
    sender: &str,
    date: NaiveDate,
) -> Result<Values, DbErr> {
    let school =
        school::Entity::find_by_id(c.school_id).one(db).await?.ok_or(DbErr::RecordNotFound("school".into()))?;
    let board = board::Entity::find_by_id(c.board_id).one(db).await?.ok_or(DbErr::RecordNotFound("board".into()))?;
    let parties = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).all(db).await?;
    let names = |role: PartyRole| {
        let n: Vec<&str> = parties.iter().filter(|p| p.role == role.code()).map(|p| p.name.as_str()).collect();
        if n.is_empty() { "(onbekend)".to_owned() } else { n.join(", ") }
    };
    let mut v = Values::new();
    v.insert("ontvanger", recipient.name.clone());
    v.insert("datum", crate::domain::dutch::date(date));
    v.insert("zaaknummer", c.zaaknummer.clone());
    v.insert("ontvangen_op", crate::domain::dutch::date(c.received_on));
    v.insert("onderwerp_klacht", c.subject.clone());
    v.insert("klager", names(PartyRole::Klager));
    v.insert("aangeklaagde", names(PartyRole::Aangeklaagde));
    v.insert("school", school.name);
    v.insert("bevoegd_gezag", board.name);
    v.insert("commissie", head.display_name().to_owned());
    v.insert("secretaris", sender.to_owned());
    Ok(v)
}

/// The plain text of a letter as it goes into an e-mail: the body, then the signature.
pub fn email_text(body: &str, sign_name: &str, sign_role: &str, kenmerk: &str) -> String {
    format!(
        "{}\n\nMet vriendelijke groet,\n\n{sign_name}\n{sign_role}\n\n--\nOns kenmerk: {kenmerk}. Deze brief is ook als PDF bijgevoegd.\n",
        body.trim_end()
    )
}

/// Who signs: the person sending (by their name, without the role the audit log adds), as
/// secretary of the commission; a letter the system sends is signed by the secretariat.
async fn signature(tx: &WriteTx, head: &letterhead::Letterhead) -> Result<(String, String), DbErr> {
    let name = match tx.actor().user_id {
        Some(id) => crate::entities::user::Entity::find_by_id(id)
            .one(tx.conn())
            .await?
            .map_or_else(|| "Het secretariaat".to_owned(), |u| u.name),
        None => "Het secretariaat".to_owned(),
    };
    Ok((name, format!("secretaris van de {}", head.display_name())))
}

/// Sends a letter of `kind` to one recipient of the case. `extra` holds the values of the
/// kind's own placeholders (the free text of a `vrije_brief`, say).
pub async fn send(
    tx: &mut WriteTx,
    c: &case::Model,
    kind: LetterKind,
    to: To,
    extra: Values,
) -> Result<letter_entity::Model, LetterError> {
    send_with(tx, c, kind, to, extra, &[]).await
}

/// [`send`], with documents of the dossier sent along (by e-mail attached after the letter).
pub async fn send_with(
    tx: &mut WriteTx,
    c: &case::Model,
    kind: LetterKind,
    to: To,
    extra: Values,
    enclosures: &[i32],
) -> Result<letter_entity::Model, LetterError> {
    let recipient =
        recipients(tx.conn(), c).await?.into_iter().find(|r| r.to == to).ok_or(LetterError::UnknownRecipient)?;
    let head = letterhead::load(tx.conn()).await?;
    let today = crate::admin::today();
    let (sign_name, sign_role) = signature(tx, &head).await?;
    let mut values = case_values(tx.conn(), c, &recipient, &head, &sign_name, today).await?;
    values.extend(extra);
    // Art 15: a document this recipient may not see is not enclosed; the letter says so.
    let enclosed_docs = crate::entities::document::Entity::find()
        .filter(crate::entities::document::Column::Id.is_in(enclosures.iter().copied()))
        .filter(crate::entities::document::Column::CaseId.eq(c.id))
        .order_by_asc(crate::entities::document::Column::Id)
        .all(tx.conn())
        .await?;
    let mut enclosures: Vec<i32> = Vec::new();
    let mut notices = Vec::new();
    for d in &enclosed_docs {
        if recipient.may_receive(d) {
            enclosures.push(d.id);
        } else {
            notices.push(crate::domain::restriction::notice(&d.title));
        }
    }
    let Draft { template, subject, body, layout_json, pdf: pdf_bytes } = draft(
        tx.conn(),
        kind,
        &values,
        &notices,
        Sender {
            head: head.layout(),
            dated: head.dated(today),
            sign_name: sign_name.clone(),
            sign_role: sign_role.clone(),
        },
        address_block(&recipient.name, recipient.address.as_deref()),
        c.zaaknummer.clone(),
    )
    .await?;

    let document = crate::cases::documents::insert(
        tx.conn(),
        c.id,
        NewDocument {
            title: format!("{} aan {} ({})", kind.label(), recipient.name, recipient.role_label.to_lowercase()),
            file_name: format!("{}_{}_{}_{}.pdf", c.zaaknummer, kind.code(), recipient.role, today),
            media_type: "application/pdf".into(),
            received_on: today,
            bytes: pdf_bytes,
        },
        tx.actor().user_id,
        "uit",
    )
    .await?;
    let channel = if recipient.by_email() { "email" } else { "post" };
    let saved = letter_entity::ActiveModel {
        case_id: Set(c.id),
        kind: Set(kind.code().to_owned()),
        template_id: Set(template.id),
        recipient_role: Set(recipient.role.clone()),
        recipient_name: Set(recipient.name.clone()),
        recipient_address: Set(recipient.address.clone()),
        recipient_email: Set(recipient.email.clone()),
        channel: Set(channel.to_owned()),
        subject: Set(subject.clone()),
        body: Set(body.clone()),
        layout: Set(layout_json),
        letter_date: Set(today),
        document_id: Set(document.id),
        created_by: Set(tx.actor().user_id),
        created_at: Set(Utc::now()),
        posted_at: Set(None),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let mut message_id = None;
    if let Some(email) = &recipient.email {
        let m = outbox::enqueue(
            tx.conn(),
            NewMessage {
                purpose: Purpose::Brief,
                case_id: Some(c.id),
                letter_id: Some(saved.id),
                to_email: email.clone(),
                to_name: recipient.name.clone(),
                subject: format!("{subject} (ons kenmerk {})", c.zaaknummer),
                body: email_text(&body, &sign_name, &sign_role, &c.zaaknummer),
                attachment_document_id: Some(document.id),
                more_attachments: enclosures.clone(),
                calendar: None,
                register_document_id: None,
            },
            head.from_address(),
        )
        .await?;
        message_id = Some(m.message_id);
    }
    if to == To::Board {
        crate::notifications::notify_board(
            tx.conn(),
            c,
            Some(saved.id),
            &format!("{}: {subject}", c.zaaknummer),
            &format!("De commissie stuurde u een brief: {}.", kind.label().to_lowercase()),
            head.from_address(),
        )
        .await?;
    }
    tx.audit(
        Some(c.id),
        "brief.verstuurd",
        json!({
            "soort": kind.label(),
            "aan": format!("{} ({})", recipient.name, recipient.role_label),
            "kanaal": if channel == "email" { "e-mail" } else { "post" },
            "sjabloonversie": template.version,
            "document": document.file_name,
            "sha256": document.sha256,
            "message_id": message_id,
        }),
    )
    .await?;
    Ok(saved)
}

/// The letters of a case, newest first, with their e-mail's delivery state where sent by
/// e-mail (one query each).
pub async fn for_case(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Vec<(letter_entity::Model, Option<crate::entities::outbox_message::Model>)>, DbErr> {
    use crate::entities::outbox_message;
    let letters = letter_entity::Entity::find()
        .filter(letter_entity::Column::CaseId.eq(case_id))
        .order_by_desc(letter_entity::Column::Id)
        .all(db)
        .await?;
    let mails = outbox_message::Entity::find()
        .filter(outbox_message::Column::LetterId.is_in(letters.iter().map(|l| l.id)))
        .all(db)
        .await?;
    Ok(letters
        .into_iter()
        .map(|l| {
            let m = mails.iter().find(|m| m.letter_id == Some(l.id)).cloned();
            (l, m)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_codes_round_trip() {
        for to in [To::Party(12), To::Board] {
            assert_eq!(To::parse(&to.code()), Some(to));
        }
        assert_eq!(To::parse("partij-x"), None);
        assert_eq!(To::parse("iemand"), None);
    }

    /// Snapshot of every shipped template as the e-mail text a recipient reads, filled with
    /// the sample values. `UPDATE_SNAPSHOTS=1 cargo test` rewrites the files after a
    /// deliberate change; review the diff.
    #[test]
    fn snapshots_of_every_template() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/letters/snapshots");
        for kind in LetterKind::ALL {
            let (subject, body) = letter::parse_shipped(templates::shipped(*kind)).unwrap();
            let values = letter::sample_values(*kind);
            let text = format!(
                "Onderwerp: {}\n\n{}",
                letter::render(&subject, &values).unwrap(),
                email_text(
                    &letter::render(&body, &values).unwrap(),
                    "M. Bakker",
                    "secretaris van de Klachtencommissie Onderwijs",
                    "2026-0042"
                )
            );
            let path = dir.join(format!("{}.txt", kind.code()));
            if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &text).unwrap();
            }
            let expected =
                std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing snapshot {}", path.display()));
            assert_eq!(text, expected, "snapshot {} differs", path.display());
        }
    }
}

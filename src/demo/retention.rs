//! Demo data for the retention policy: two cases closed more than five years ago. One has been
//! purged already (its anonymous record shows on the case page and in the annual reports of
//! 2019-2020); the other is due, so the beheerder's dry run at `/beheer/bewaartermijn` lists it.

use crate::audit::{Actor, WriteTx};
use crate::cases::register::{self, NewCase, NewDocument, NewParty, Receipt};
use crate::domain::case::{Arrival, CaseStatus, ComplaintKind, Outcome, PartyRole};
use crate::entities::{case, deadline, school};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

struct OldCase {
    school: &'static str,
    received_on: NaiveDate,
    closed_on: NaiveDate,
    outcome: Outcome,
    kind: ComplaintKind,
    subject: &'static str,
    klager: &'static str,
    aangeklaagde: &'static str,
    purged: bool,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a demo date")
}

pub(super) async fn load(db: &DatabaseConnection) -> anyhow::Result<()> {
    let cases = [
        OldCase {
            school: "Basisschool De Wegwijzer",
            received_on: day(2019, 9, 12),
            closed_on: day(2020, 2, 14),
            outcome: Outcome::Ingetrokken,
            kind: ComplaintKind::Communicatie,
            subject: "Klacht over de informatie aan ouders bij de overgang naar groep 6",
            klager: "Wouter Smits",
            aangeklaagde: "Groepsleerkracht groep 5",
            purged: true,
        },
        OldCase {
            school: "Christoffelcollege",
            received_on: day(2020, 10, 5),
            closed_on: day(2021, 3, 19),
            outcome: Outcome::Opgelost,
            kind: ComplaintKind::Beoordeling,
            subject: "Klacht over de herkansing van het schoolexamen economie",
            klager: "Fatma Yilmaz",
            aangeklaagde: "Examencommissie havo",
            purged: false,
        },
    ];
    let today = crate::admin::today();
    for c in cases {
        let s = school::Entity::find()
            .filter(school::Column::Name.eq(c.school))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo school {} is missing", c.school))?;
        let mut tx = WriteTx::begin(db, Actor::system("demodata")).await?;
        let new = NewCase {
            received_on: c.received_on,
            school_id: s.id,
            subject: c.subject.to_owned(),
            facts_date: None,
            arrival: Arrival::Post,
            parties: vec![
                NewParty {
                    role: PartyRole::Klager,
                    name: c.klager.to_owned(),
                    address: Some("Havenstraat 3, 3511 AA Utrecht".to_owned()),
                    email: None,
                    phone: None,
                    minor: false,
                },
                NewParty {
                    role: PartyRole::Aangeklaagde,
                    name: c.aangeklaagde.to_owned(),
                    address: None,
                    email: None,
                    phone: None,
                    minor: false,
                },
            ],
            documents: vec![NewDocument {
                title: "Klaagschrift".to_owned(),
                file_name: "klaagschrift.txt".to_owned(),
                media_type: "text/plain".to_owned(),
                received_on: c.received_on,
                bytes: format!("Geachte commissie,\n\n{}.\n\nMet vriendelijke groet,\n{}\n", c.subject, c.klager)
                    .into_bytes(),
            }],
            receipt: Receipt {
                signed_by_representative: false,
                forwarded_by: None,
                forwarded_received_on: None,
                needs_translation: false,
            },
            complaint_kind: Some(c.kind),
        };
        let (_, id) = register::insert(&mut tx, new, CaseStatus::Afgesloten, Some(c.outcome))
            .await
            .map_err(|e| anyhow::anyhow!("demo case: {e}"))?;
        let model = case::Entity::find_by_id(id).one(tx.conn()).await?.ok_or_else(|| anyhow::anyhow!("demo case"))?;
        let mut am: case::ActiveModel = model.into();
        am.closed_on = Set(Some(c.closed_on));
        am.checklist = Set("1111111".into());
        am.update(tx.conn()).await?;
        // The shipped school holiday calendars start in 2024-2025, so terms of these old cases
        // cannot be computed; they carry none (their terms ran out long ago).
        deadline::Entity::delete_many().filter(deadline::Column::CaseId.eq(id)).exec(tx.conn()).await?;
        tx.commit().await?;
        if c.purged {
            crate::retention::purge_case(db, Actor::system("bewaartermijn"), id, today)
                .await?
                .map_err(|r| anyhow::anyhow!("demo purge: {r}"))?;
        }
    }
    Ok(())
}

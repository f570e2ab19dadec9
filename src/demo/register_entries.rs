//! The school registers in the demo: entries of De Waarden (Alfrink protocol, answer within 15
//! working days) and Sint-Bonifatius (Klassepro procedure, decision within two weeks and a
//! follow-up) in every state, two of them escalated and linked to demo cases of the
//! commission (one still at intake, one whose advies was sent).

use crate::audit::WriteTx;
use crate::domain::case::{CaseStatus, PartyRole};
use crate::domain::school_register::{ComplainantRole, ComplaintKind, EntryStatus, RegisterAction, Written};
use crate::entities::{board, case, party, register_entry};
use crate::school_register::entries::{self, NewEntry};
use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("demo date")
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("demo timestamp")
}

#[allow(clippy::too_many_arguments)]
fn entry(
    school_id: i32,
    received: &str,
    name: &str,
    role: ComplainantRole,
    child: Option<(&str, &str)>,
    email: Option<&str>,
    kind: ComplaintKind,
    about: &str,
    nature: &str,
) -> NewEntry {
    NewEntry {
        school_id,
        received_on: d(received),
        written: Some(Written { name: true, address: true, signed: true }),
        complainant_name: name.into(),
        complainant_role: role,
        child_name: child.map(|c| c.0.into()),
        group_name: child.map(|c| c.1.into()),
        address: Some(format!("Kerkstraat {}\n6511 LK Nijmegen", 3 + name.len() * 7 % 90)),
        phone: Some("024-1234567".into()),
        email: email.map(str::to_owned),
        nature: nature.into(),
        kind,
        complained_about: about.into(),
        facts_on: Some(d(received) - chrono::TimeDelta::days(10)),
        late_allowed: false,
    }
}

/// Sets fields the use cases set to "now" to the moments of the demo's story.
async fn backdate(
    tx: &WriteTx,
    id: i32,
    change: impl FnOnce(&mut register_entry::ActiveModel),
) -> anyhow::Result<register_entry::Model> {
    let e = register_entry::Entity::find_by_id(id).one(tx.conn()).await?.context("demo entry vanished")?;
    let mut am: register_entry::ActiveModel = e.into();
    change(&mut am);
    Ok(am.update(tx.conn()).await?)
}

/// A step that happened in the past: the action row done on that day by that person.
async fn done(tx: &WriteTx, id: i32, action: RegisterAction, on: &str, who: &str) -> anyhow::Result<()> {
    use crate::entities::register_action;
    register_action::Entity::update_many()
        .col_expr(register_action::Column::Done, sea_orm::sea_query::Expr::value(true))
        .col_expr(register_action::Column::OnDate, sea_orm::sea_query::Expr::value(Some(d(on))))
        .col_expr(register_action::Column::Who, sea_orm::sea_query::Expr::value(who.to_owned()))
        .filter(register_action::Column::EntryId.eq(id))
        .filter(register_action::Column::Action.eq(action.code()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// The demo case of `school` in `status`, and its klager's name.
async fn demo_case(tx: &WriteTx, school: i32, status: CaseStatus) -> anyhow::Result<(case::Model, String)> {
    let c = case::Entity::find()
        .filter(case::Column::SchoolId.eq(school))
        .filter(case::Column::Status.eq(status.code()))
        .one(tx.conn())
        .await?
        .with_context(|| format!("no demo case in {status:?}"))?;
    let klager = party::Entity::find()
        .filter(party::Column::CaseId.eq(c.id))
        .filter(party::Column::Role.eq(PartyRole::Klager.code()))
        .one(tx.conn())
        .await?
        .map_or_else(|| "Klager".to_owned(), |p| p.name);
    Ok((c, klager))
}

pub async fn load(
    tx: &mut WriteTx,
    boards: &HashMap<String, i32>,
    schools: &HashMap<String, i32>,
) -> anyhow::Result<()> {
    let s = |k: &str| schools.get(k).copied().with_context(|| format!("demo school {k}"));
    let b1 = boards.get("b1").copied().context("demo board b1")?;
    let b2 = boards.get("b2").copied().context("demo board b2")?;
    // Sint-Bonifatius follows the Klassepro procedure; De Waarden the Alfrink protocol (default).
    let bon = board::Entity::find_by_id(b2).one(tx.conn()).await?.context("board b2")?;
    let mut am: board::ActiveModel = bon.into();
    am.procedure = Set("klassepro".into());
    am.update(tx.conn()).await?;
    let klimop = s("s1")?;
    let jozef = s("s2")?;
    let willibrord = s("s3")?;
    let wegwijzer = s("s4")?;
    let bonifatius = s("s5")?;
    use ComplainantRole::{Leerling, Ouder};
    use ComplaintKind::{Onderwijskundig, OngewenstGedrag, Organisatorisch};

    // 1. Just in, no handler yet after more than 48 hours.
    let e = entries::record(
        tx,
        b1,
        entry(
            klimop,
            "2026-11-25",
            "R. Hendriks",
            Ouder,
            Some(("Daan Hendriks", "groep 5")),
            Some("r.hendriks@example.org"),
            Onderwijskundig,
            "mevrouw T. Peters, leerkracht groep 5",
            "Onze zoon krijgt sinds september geen verrijkingswerk meer, terwijl dat in het groepsplan staat.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| am.recorded_at = Set(at("2026-11-25T09:15:00Z"))).await?;

    // 2. Handler assigned and the acknowledgement sent (a real letter, by e-mail).
    let e = entries::record(
        tx,
        b1,
        entry(
            jozef,
            "2026-11-26",
            "M. de Groot",
            Ouder,
            Some(("Sara de Groot", "groep 7")),
            Some("m.degroot@example.org"),
            Organisatorisch,
            "de directie",
            "De overblijfregeling is zonder overleg met de ouders gewijzigd; de kosten zijn verdubbeld.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| am.recorded_at = Set(at("2026-11-26T08:30:00Z"))).await?;
    entries::assign_handler(tx, &e, "J. Willems, adjunct-directeur").await?;
    backdate(tx, e.id, |am| am.handler_assigned_at = Set(Some(at("2026-11-26T14:00:00Z")))).await?;
    entries::acknowledge(tx, &e).await?;

    // 3. Answer overdue, and the handler is the person complained about (two warnings).
    let e = entries::record(
        tx,
        b1,
        entry(
            willibrord,
            "2026-10-19",
            "K. Bakker",
            Leerling,
            None,
            None,
            Onderwijskundig,
            "dhr. P. Smits, docent wiskunde",
            "Mijn schoolexamen wiskunde is met een onvoldoende beoordeeld zonder dat ik de toets mocht inzien.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.recorded_at = Set(at("2026-10-19T10:00:00Z"));
        am.handler = Set(Some("Dhr. P. Smits".into()));
        am.handler_assigned_at = Set(Some(at("2026-10-20T09:00:00Z")));
    })
    .await?;
    done(tx, e.id, RegisterAction::Ontvangstbevestiging, "2026-10-20", "P. Smits").await?;

    // 4. A notice of delay with a new date (a real letter, by post: no e-mail address).
    let e = entries::record(
        tx,
        b1,
        entry(
            klimop,
            "2026-11-02",
            "F. Yilmaz",
            Ouder,
            Some(("Elif Yilmaz", "groep 3")),
            None,
            Onderwijskundig,
            "de intern begeleider",
            "Het onderzoek naar dyslexie dat in juni is toegezegd, is nog niet gestart.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.recorded_at = Set(at("2026-11-02T11:00:00Z"));
        am.handler = Set(Some("A. Verbeek, directeur".into()));
        am.handler_assigned_at = Set(Some(at("2026-11-03T09:00:00Z")));
    })
    .await?;
    done(tx, e.id, RegisterAction::Ontvangstbevestiging, "2026-11-03", "A. Verbeek").await?;
    entries::notice_of_delay(
        tx,
        &e,
        "Wij wachten op het verslag van de orthopedagoog, die pas op 10 december beschikbaar is.",
        d("2026-12-18"),
    )
    .await?;

    // 5. Decided: the decision letter is out.
    let e = entries::record(
        tx,
        b1,
        entry(
            jozef,
            "2026-10-05",
            "H. Jansen",
            Ouder,
            Some(("Noor Jansen", "groep 8")),
            Some("h.jansen@example.org"),
            Organisatorisch,
            "de directie",
            "De informatieavond over het voortgezet onderwijs werd pas twee dagen van tevoren aangekondigd.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.recorded_at = Set(at("2026-10-05T09:00:00Z"));
        am.handler = Set(Some("J. Willems, adjunct-directeur".into()));
        am.handler_assigned_at = Set(Some(at("2026-10-05T15:00:00Z")));
    })
    .await?;
    done(tx, e.id, RegisterAction::Ontvangstbevestiging, "2026-10-06", "J. Willems").await?;
    done(tx, e.id, RegisterAction::Betrokkenen, "2026-10-13", "J. Willems").await?;
    backdate(tx, e.id, |am| {
        am.status = Set(EntryStatus::Beslist.code().into());
        am.decided_on = Set(Some(d("2026-10-23")));
        am.decision = Set("De klacht is gegrond: de aankondiging kwam te laat.".into());
        am.solution =
            Set("De informatieavond wordt op 12 november herhaald, met een uitnodiging drie weken vooraf.".into());
        am.cause = Set("De jaarplanning was niet met de ouderraad gedeeld.".into());
        am.measures = Set("Ouderavonden staan voortaan in de jaarkalender die in augustus verschijnt.".into());
    })
    .await?;
    done(tx, e.id, RegisterAction::BriefOplossing, "2026-10-23", "J. Willems").await?;

    // 6. Closed, with the whole actions table and the analysis.
    let e = entries::record(
        tx,
        b1,
        entry(
            willibrord,
            "2026-03-02",
            "L. van Dam",
            Ouder,
            Some(("Tim van Dam", "2 havo")),
            Some("l.vandam@example.org"),
            Organisatorisch,
            "de roostermaker",
            "Het rooster van 2 havo valt sinds januari wekelijks uit zonder bericht aan de ouders.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.recorded_at = Set(at("2026-03-02T09:00:00Z"));
        am.handler = Set(Some("S. Koster, teamleider".into()));
        am.handler_assigned_at = Set(Some(at("2026-03-02T13:00:00Z")));
        am.status = Set(EntryStatus::Gesloten.code().into());
        am.decided_on = Set(Some(d("2026-03-16")));
        am.decision = Set("De klacht is gegrond.".into());
        am.solution = Set("Roosterwijzigingen staan voortaan uiterlijk de dag ervoor in de app.".into());
        am.cause = Set("Langdurige ziekte van twee docenten zonder vervanging.".into());
        am.measures = Set("Een invalpool met de andere scholen van het bestuur.".into());
        am.closed_on = Set(Some(d("2026-04-01")));
    })
    .await?;
    for (a, on) in [
        (RegisterAction::Ontvangstbevestiging, "2026-03-03"),
        (RegisterAction::Betrokkenen, "2026-03-09"),
        (RegisterAction::BriefOplossing, "2026-03-16"),
        (RegisterAction::DirectieGeinformeerd, "2026-03-17"),
        (RegisterAction::Gesloten, "2026-04-01"),
    ] {
        done(tx, e.id, a, on, "S. Koster").await?;
    }

    // 7. An anonymous letter: no complaint.
    let mut anon = entry(
        klimop,
        "2026-11-16",
        "Onbekend",
        Ouder,
        None,
        None,
        Onderwijskundig,
        "de leerkracht van groep 6",
        "Anonieme brief over de strafwerkregels in groep 6.",
    );
    anon.written = Some(Written { name: false, address: false, signed: false });
    anon.address = None;
    anon.phone = None;
    entries::record(tx, b1, anon, vec![]).await?;

    // 8. Unwanted behaviour: to the vertrouwenspersoon.
    entries::record(
        tx,
        b1,
        entry(
            jozef,
            "2026-11-20",
            "A. Mulder",
            Ouder,
            Some(("Lotte Mulder", "groep 6")),
            None,
            OngewenstGedrag,
            "een medewerker van de naschoolse opvang",
            "Onze dochter is door een medewerker van de opvang herhaaldelijk uitgescholden.",
        ),
        vec![],
    )
    .await?;

    // 9. Withdrawn in writing.
    let e = entries::record(
        tx,
        b1,
        entry(
            klimop,
            "2026-09-14",
            "P. Visser",
            Ouder,
            Some(("Jesse Visser", "groep 4")),
            None,
            Organisatorisch,
            "de directie",
            "De schoolreis is zonder opgaaf van redenen verplaatst.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.status = Set(EntryStatus::Ingetrokken.code().into());
        am.closed_on = Set(Some(d("2026-09-21")));
        am.status_reason = Set(Some("De klager trok de klacht op 21 september 2026 schriftelijk in.".into()));
    })
    .await?;
    done(tx, e.id, RegisterAction::Gesloten, "2026-09-21", "A. Verbeek").await?;

    // 10. Escalated and the advies sent: the outcome shows in the entry.
    let (c, klager) = demo_case(tx, willibrord, CaseStatus::AdviesUitgebracht).await?;
    let e = entries::record(
        tx,
        b1,
        entry(willibrord, "2026-02-16", &klager, Ouder, None, None, Onderwijskundig, "de zorgcoördinator", &c.subject),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.status = Set(EntryStatus::Doorgezet.code().into());
        am.handler = Set(Some("S. Koster, teamleider".into()));
        am.decided_on = Set(Some(d("2026-03-02")));
        am.decision = Set("De school ziet geen aanleiding de afspraken te wijzigen.".into());
        am.case_id = Set(Some(c.id));
        am.escalated_at = Set(Some(at("2026-03-16T10:00:00Z")));
    })
    .await?;
    // 11. Escalated last week: the commission has just received it.
    let (c, klager) = demo_case(tx, klimop, CaseStatus::Ontvangen).await?;
    let e = entries::record(
        tx,
        b1,
        entry(klimop, "2026-10-26", &klager, Ouder, None, None, Organisatorisch, "de directie", &c.subject),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.status = Set(EntryStatus::Doorgezet.code().into());
        am.handler = Set(Some("A. Verbeek, directeur".into()));
        am.decided_on = Set(Some(d("2026-11-09")));
        am.case_id = Set(Some(c.id));
        am.escalated_at = Set(Some(at("2026-11-18T09:00:00Z")));
    })
    .await?;

    // Sint-Bonifatius (Klassepro): a decision waiting for its follow-up, one closed after it,
    // and one open.
    let e = entries::record(
        tx,
        b2,
        entry(
            wegwijzer,
            "2026-11-02",
            "B. Koç",
            Ouder,
            Some(("Ayla Koç", "groep 2")),
            Some("b.koc@example.org"),
            Onderwijskundig,
            "de leerkracht van groep 2",
            "Onze dochter krijgt geen hulp bij het zindelijkheidsprobleem, ondanks afspraken.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.status = Set(EntryStatus::Beslist.code().into());
        am.handler = Set(Some("M. Dekker, intern begeleider".into()));
        am.handler_assigned_at = Set(Some(at("2026-11-03T08:00:00Z")));
        am.decided_on = Set(Some(d("2026-11-13")));
        am.decision = Set("Gedeeltelijk gegrond: de afspraken zijn niet schriftelijk vastgelegd.".into());
        am.solution = Set("Een handelingsplan met de ouders, besproken op 20 november.".into());
        am.follow_up_due = Set(Some(d("2026-11-27")));
    })
    .await?;
    done(tx, e.id, RegisterAction::Ontvangstbevestiging, "2026-11-03", "M. Dekker").await?;
    done(tx, e.id, RegisterAction::BriefOplossing, "2026-11-13", "M. Dekker").await?;
    let e = entries::record(
        tx,
        b2,
        entry(
            bonifatius,
            "2026-05-11",
            "G. Peeters",
            Leerling,
            None,
            Some("g.peeters@example.org"),
            Organisatorisch,
            "de mentor van 4 vwo",
            "Mijn profielkeuze is niet doorgegeven, waardoor ik in het verkeerde cluster ben ingedeeld.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| {
        am.status = Set(EntryStatus::Gesloten.code().into());
        am.handler = Set(Some("R. Claassen, teamleider".into()));
        am.handler_assigned_at = Set(Some(at("2026-05-11T13:00:00Z")));
        am.decided_on = Set(Some(d("2026-05-22")));
        am.decision = Set("Gegrond.".into());
        am.solution = Set("Plaatsing in het juiste cluster per 1 juni.".into());
        am.follow_up_due = Set(Some(d("2026-06-05")));
        am.follow_up_on = Set(Some(d("2026-06-03")));
        am.follow_up_report = Set("De leerling zit in het juiste cluster en is tevreden.".into());
        am.closed_on = Set(Some(d("2026-06-04")));
    })
    .await?;
    let e = entries::record(
        tx,
        b2,
        entry(
            bonifatius,
            "2026-11-24",
            "D. Smit",
            Ouder,
            Some(("Mila Smit", "1 mavo")),
            Some("d.smit@example.org"),
            Organisatorisch,
            "de conciërge",
            "Fietsen worden bij de ingang niet gecontroleerd; er zijn drie fietsen gestolen.",
        ),
        vec![],
    )
    .await?;
    backdate(tx, e.id, |am| am.recorded_at = Set(at("2026-11-24T12:00:00Z"))).await?;
    entries::assign_handler(tx, &e, "R. Claassen, teamleider").await?;
    backdate(tx, e.id, |am| am.handler_assigned_at = Set(Some(at("2026-11-24T15:00:00Z")))).await?;
    // Entries recorded on the day they came in (the use cases stamp "now").
    for e in register_entry::Entity::find().all(tx.conn()).await? {
        if e.recorded_at.date_naive() > e.received_on + chrono::TimeDelta::days(2) {
            let on = e.received_on.and_hms_opt(8, 30, 0).expect("valid time").and_utc();
            backdate(tx, e.id, |am| am.recorded_at = Set(on)).await?;
        }
    }

    Ok(())
}

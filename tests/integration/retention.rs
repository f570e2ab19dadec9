//! Retention (issue 9): the dry run lists a closed case past its term and changes nothing; the
//! purge leaves no document or personal datum of the case in any table of either database,
//! the annual report's figures stay the same, and the audit chain still verifies.

use crate::common::{Backend, TestApp, post};
use klachtencommissie::audit::{self, Reseal};
use klachtencommissie::domain::audit_chain::{self, ChainBreak, EntryContent, GENESIS};
use klachtencommissie::entities::{audit_entry, case, document, document_content, letter, outbox_message, party};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Statement,
};

/// Every (table, column) of the database with a type that can hold text or bytes.
async fn text_columns(db: &DatabaseConnection) -> Vec<(String, String, bool)> {
    let backend = db.get_database_backend();
    let mut out = Vec::new();
    match backend {
        DatabaseBackend::Postgres => {
            let rows = db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT table_name, column_name, data_type FROM information_schema.columns \
                     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'bytea', 'json', 'jsonb')",
                ))
                .await
                .unwrap();
            for r in rows {
                let t: String = r.try_get_by_index(0).unwrap();
                let c: String = r.try_get_by_index(1).unwrap();
                let ty: String = r.try_get_by_index(2).unwrap();
                out.push((t, c, ty == "bytea"));
            }
        }
        _ => {
            let tables = db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                ))
                .await
                .unwrap();
            for t in tables {
                let t: String = t.try_get_by_index(0).unwrap();
                let cols = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{t}')"),
                    ))
                    .await
                    .unwrap();
                for c in cols {
                    // SQLite types are loose: every column is searched, cast to text.
                    out.push((t.clone(), c.try_get_by_index::<String>(0).unwrap(), false));
                }
            }
        }
    }
    assert!(out.len() > 100, "every table's columns are searched, found {}", out.len());
    out
}

/// The places in the whole database where `needle` still occurs, as `table.column`.
async fn occurrences(db: &DatabaseConnection, columns: &[(String, String, bool)], needle: &str) -> Vec<String> {
    let backend = db.get_database_backend();
    let mut found = Vec::new();
    for (t, c, bytes) in columns {
        let expr = match (backend, bytes) {
            (DatabaseBackend::Postgres, true) => format!("position(convert_to($1, 'UTF8') in \"{c}\") > 0"),
            (DatabaseBackend::Postgres, false) => format!("strpos(lower(\"{c}\"::text), lower($1)) > 0"),
            _ => format!("instr(lower(CAST(\"{c}\" AS TEXT)), lower(?1)) > 0"),
        };
        let sql = format!("SELECT COUNT(*) FROM \"{t}\" WHERE {expr}");
        let row = db
            .query_one_raw(Statement::from_sql_and_values(backend, sql, [needle.into()]))
            .await
            .unwrap_or_else(|e| panic!("searching {t}.{c}: {e}"))
            .unwrap();
        let n: i64 = row.try_get_by_index(0).unwrap();
        if n > 0 {
            found.push(format!("{t}.{c} ({n})"));
        }
    }
    found
}

/// What identifies the people of a case and its documents: values found nowhere else in the
/// database before the purge, so after it they must be found nowhere at all.
async fn markers(db: &DatabaseConnection, columns: &[(String, String, bool)], case_id: i32) -> Vec<String> {
    let mut candidates = Vec::new();
    for p in party::Entity::find().filter(party::Column::CaseId.eq(case_id)).all(db).await.unwrap() {
        candidates.push(p.name.clone());
        candidates.extend(p.email.clone());
        candidates.extend(p.phone.clone());
        candidates.extend(p.address.clone());
    }
    // (The subject names no one in the demo; the published, anonymised advies keeps its
    // situation, so it is not a marker here.)
    for d in document::Entity::find().filter(document::Column::CaseId.eq(case_id)).all(db).await.unwrap() {
        let bytes = document_content::Entity::find_by_id(d.id).one(db).await.unwrap().unwrap().bytes;
        // A text document: a line of its own words, found in this document only.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            for line in text.lines().map(str::trim).filter(|l| l.chars().count() >= 40) {
                let line: String = line.chars().take(60).collect();
                if occurrences(db, columns, &line).await == ["document_contents.bytes (1)"] {
                    candidates.push(line);
                    break;
                }
            }
        }
    }
    let mut unique = Vec::new();
    for m in candidates.into_iter().filter(|m| m.chars().count() >= 8) {
        let others = party::Entity::find()
            .filter(party::Column::CaseId.ne(case_id))
            .filter(
                sea_orm::Condition::any()
                    .add(party::Column::Name.eq(m.clone()))
                    .add(party::Column::Email.eq(m.clone()))
                    .add(party::Column::Address.eq(m.clone()))
                    .add(party::Column::Phone.eq(m.clone())),
            )
            .count(db)
            .await
            .unwrap();
        if others == 0 && !unique.contains(&m) {
            unique.push(m);
        }
    }
    unique
}

async fn report_csvs(c: &crate::common::Client) -> Vec<String> {
    let mut out = Vec::new();
    for year in 2018..=2027 {
        let (status, body) = c.get_text(&format!("/rapportage/jaarverslag.csv?jaar={year}")).await;
        assert_eq!(status, 200);
        out.push(body);
    }
    out
}

async fn purge_leaves_nothing_personal(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    // A case heard and advised, closed long ago: its term has passed.
    let sem = party::Entity::find().filter(party::Column::Name.eq("Sem Postma")).one(db).await.unwrap().unwrap();
    let c = case::Entity::find_by_id(sem.case_id).one(db).await.unwrap().unwrap();
    assert_eq!(c.status, "afgesloten");
    let closed = klachtencommissie::admin::today() - chrono::TimeDelta::days(6 * 366);
    db.execute_raw(klachtencommissie::db::stmt(
        db.get_database_backend(),
        "UPDATE cases SET closed_on = $1 WHERE id = $2",
        vec![closed.into(), c.id.into()],
    ))
    .await
    .unwrap();

    // A letter to the klager, sent through the real route: letter, PDF, message and notice.
    let mut sec = app.login("secretaris@demo.nl").await;
    let father = party::Entity::find()
        .filter(party::Column::CaseId.eq(c.id))
        .filter(party::Column::Role.eq("gemachtigde_klager"))
        .one(db)
        .await
        .unwrap()
        .expect("the klager's father acts for him");
    let to = format!("partij-{}", father.id);
    let r = sec
        .post_form(
            &format!("/zaken/{}/brieven", c.zaaknummer),
            &[("soort", "vrije_brief"), ("aan", &to), ("tekst", "Uw kenmerk XQ-ZEBRA-7731 is bij ons bekend.")],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());

    let doc_ids: Vec<i32> = document::Entity::find()
        .filter(document::Column::CaseId.eq(c.id))
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert!(doc_ids.len() >= 3, "the case has its klaagschrift, letters and the advies");
    let letters = letter::Entity::find().filter(letter::Column::CaseId.eq(c.id)).count(db).await.unwrap();
    assert!(letters > 0);
    let columns = text_columns(db).await;
    let mut markers = markers(db, &columns, c.id).await;
    markers.push("XQ-ZEBRA-7731".to_owned());
    assert!(markers.len() >= 6, "names, e-mail, addresses, document text: {markers:?}");
    for m in &markers {
        assert!(!occurrences(db, &columns, m).await.is_empty(), "the marker {m} is in the database before the purge");
    }

    let mut beheer = app.login("beheerder@demo.nl").await;
    let before = report_csvs(&beheer).await;

    // The beheerder's start page points at what is due: this case and the demo's old one.
    let (_, home) = beheer.get_text("/").await;
    assert!(home.contains("2 dossier(s) voorbij de bewaartermijn"), "{home}");

    // The dry run lists the case and changes nothing.
    let (status, page) = beheer.get_text("/beheer/bewaartermijn").await;
    assert_eq!(status, 200);
    assert!(page.contains(&c.zaaknummer), "the dry run lists the case");
    assert_eq!(
        document::Entity::find().filter(document::Column::CaseId.eq(c.id)).count(db).await.unwrap(),
        doc_ids.len() as u64
    );

    // Without the confirmation nothing happens.
    let (status, page) = post(&mut beheer, "/beheer/bewaartermijn/vernietigen", &[]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Bevestig dat deze dossiers vernietigd mogen worden"));
    assert_eq!(
        klachtencommissie::entities::case::Entity::find_by_id(c.id).one(db).await.unwrap().unwrap().purged_on,
        None
    );

    let (status, page) = post(&mut beheer, "/beheer/bewaartermijn/vernietigen", &[("confirm", "ja")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Vernietigd") && page.contains(&c.zaaknummer));

    // No personal datum of the case, in any column of any table.
    for m in &markers {
        let left = occurrences(db, &columns, m).await;
        assert!(left.is_empty(), "{m:?} is still in {left:?} on {backend:?}");
    }
    assert_eq!(document::Entity::find().filter(document::Column::CaseId.eq(c.id)).count(db).await.unwrap(), 0);
    assert_eq!(
        document_content::Entity::find()
            .filter(document_content::Column::DocumentId.is_in(doc_ids))
            .count(db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(party::Entity::find().filter(party::Column::CaseId.eq(c.id)).count(db).await.unwrap(), 0);
    assert_eq!(letter::Entity::find().filter(letter::Column::CaseId.eq(c.id)).count(db).await.unwrap(), 0);
    assert_eq!(
        outbox_message::Entity::find().filter(outbox_message::Column::CaseId.eq(c.id)).count(db).await.unwrap(),
        0
    );
    let after = case::Entity::find_by_id(c.id).one(db).await.unwrap().unwrap();
    assert_eq!(after.purged_on, Some(klachtencommissie::admin::today()));
    assert_eq!((after.status.as_str(), after.outcome.as_deref()), ("afgesloten", Some("ongegrond")));

    // The statistics are what they were.
    assert_eq!(report_csvs(&beheer).await, before);

    // The chain verifies with the blanked details, and the purge itself is on it.
    assert_eq!(audit::verify(db).await.unwrap().result, Ok(()));
    let entries = audit_entry::Entity::find().filter(audit_entry::Column::CaseId.eq(c.id)).all(db).await.unwrap();
    let purge = entries.iter().find(|e| e.action == "zaak.vernietigd").expect("the purge is audited");
    assert!(purge.detail.contains(&c.zaaknummer) && purge.detail.contains("documenten"));
    assert!(entries.iter().filter(|e| e.action != "zaak.vernietigd").all(|e| e.detail_purged && e.detail == "{}"));

    // The anonymous record still opens, saying what happened; nothing is due any more.
    let (status, page) = sec.get_text(&format!("/zaken/{}", c.zaaknummer)).await;
    assert_eq!(status, 200);
    assert!(page.contains("vernietigd"), "the case page says the file was purged");
    let (status, page) =
        post(&mut sec, &format!("/zaken/{}/dossier", c.zaaknummer), &[("doel", "archief"), ("toelichting", "")]).await;
    assert_eq!(status, 409, "no change to a purged case, through any form");
    assert!(page.contains("Dossier vernietigd"));
    let (status, _) = post(
        &mut sec,
        &format!("/zaken/{}/brieven", c.zaaknummer),
        &[("soort", "vrije_brief"), ("aan", "bestuur"), ("tekst", "x")],
    )
    .await;
    assert_eq!(status, 409);
    let (_, page) = sec.get_text(&format!("/zaken/{}/dossier", c.zaaknummer)).await;
    assert!(page.contains("niets meer te exporteren"));
    let (_, page) = beheer.get_text("/beheer/bewaartermijn").await;
    assert!(!page.contains(&format!(">{}<", c.zaaknummer)));

    // Blanking a detail of a case that was not purged is caught.
    let other = audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.ne(c.id))
        .filter(audit_entry::Column::CaseId.is_not_null())
        .order_by_asc(audit_entry::Column::Seq)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    db.execute_unprepared(&format!(
        "UPDATE audit_log SET detail = '{{}}', detail_purged = TRUE WHERE id = {}",
        other.id
    ))
    .await
    .unwrap();
    assert_eq!(audit::verify(db).await.unwrap().result, Err(ChainBreak::Blanked { seq: other.seq }));
}
crate::on_both!(purge, purge_leaves_nothing_personal);

async fn term_setting_and_refusals(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut beheer = app.login("beheerder@demo.nl").await;
    let (status, page) = post(&mut beheer, "/beheer/bewaartermijn", &[("years", "vijf")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("heel aantal jaren") && page.contains("value=\"vijf\""), "the error, the input kept");
    let (status, _) = post(&mut beheer, "/beheer/bewaartermijn", &[("years", "7")]).await;
    assert_eq!(status, 303);
    assert_eq!(klachtencommissie::retention::years(&app.db).await.unwrap(), 7);
    // An open case is never purged, nor one closed within its term.
    let open = crate::common::case_in(&app.db, "verweer").await;
    let r = klachtencommissie::retention::purge_case(
        &app.db,
        klachtencommissie::audit::Actor::system("test"),
        open.id,
        klachtencommissie::admin::today(),
    )
    .await
    .unwrap();
    assert_eq!(r, Err(klachtencommissie::retention::Refusal::NotDue));
    let closed = crate::common::case_in(&app.db, "afgesloten").await;
    let r = klachtencommissie::retention::purge_case(
        &app.db,
        klachtencommissie::audit::Actor::system("test"),
        closed.id,
        klachtencommissie::admin::today(),
    )
    .await
    .unwrap();
    assert_eq!(r, Err(klachtencommissie::retention::Refusal::NotDue));
    // Members and boards cannot reach the page.
    let lid = app.login("lid@demo.nl").await;
    assert_eq!(lid.get("/beheer/bewaartermijn").await.status(), 403);
}
crate::on_both!(term_setting, term_setting_and_refusals);

/// A database written before chain version 2: its entries are turned back into version 1 here
/// (hashed over the detail itself); the start-up re-seal converts them once, audited, and
/// refuses a chain that is already broken.
async fn version_1_chain_is_resealed(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    let entries = audit_entry::Entity::find().order_by_asc(audit_entry::Column::Seq).all(db).await.unwrap();
    let mut prev = GENESIS.to_owned();
    for e in &entries {
        if e.detail_purged {
            // The demo's purged case: its blanked entries stay of version 2 (a mixed chain).
            let at = audit::format_at(&e.at);
            let digest = e.detail_digest.clone().unwrap();
            let content = EntryContent {
                seq: e.seq,
                at: &at,
                user_id: e.user_id,
                actor: &e.actor,
                case_id: e.case_id,
                action: &e.action,
                detail: &digest,
            };
            let hash = audit_chain::entry_hash(&prev, &content);
            let mut am: audit_entry::ActiveModel = e.clone().into();
            am.prev_hash = sea_orm::ActiveValue::Set(prev.clone());
            am.hash = sea_orm::ActiveValue::Set(hash.clone());
            sea_orm::ActiveModelTrait::update(am, db).await.unwrap();
            prev = hash;
            continue;
        }
        let at = audit::format_at(&e.at);
        let content = EntryContent {
            seq: e.seq,
            at: &at,
            user_id: e.user_id,
            actor: &e.actor,
            case_id: e.case_id,
            action: &e.action,
            detail: &e.detail,
        };
        let hash = audit_chain::entry_hash_v1(&prev, &content);
        let mut am: audit_entry::ActiveModel = e.clone().into();
        am.detail_digest = sea_orm::ActiveValue::Set(None);
        am.prev_hash = sea_orm::ActiveValue::Set(prev.clone());
        am.hash = sea_orm::ActiveValue::Set(hash.clone());
        sea_orm::ActiveModelTrait::update(am, db).await.unwrap();
        prev = hash;
    }
    db.execute_raw(klachtencommissie::db::stmt(
        db.get_database_backend(),
        "UPDATE audit_head SET last_hash = $1 WHERE id = 1",
        vec![prev.into()],
    ))
    .await
    .unwrap();
    assert_eq!(audit::verify(db).await.unwrap().result, Ok(()), "a version-1 chain verifies");
    assert!(audit::has_version_1(db).await.unwrap());

    // A broken version-1 chain is left as it is.
    let original = entries[4].detail.clone();
    db.execute_unprepared("UPDATE audit_log SET detail = '{\"x\":1}' WHERE seq = 5").await.unwrap();
    assert_eq!(audit::reseal(db).await.unwrap(), Reseal::Refused(ChainBreak::Edited { seq: 5 }));
    assert!(audit::has_version_1(db).await.unwrap(), "nothing changed");
    let mut am: audit_entry::ActiveModel =
        audit_entry::Entity::find().filter(audit_entry::Column::Seq.eq(5)).one(db).await.unwrap().unwrap().into();
    am.detail = sea_orm::ActiveValue::Set(original);
    sea_orm::ActiveModelTrait::update(am, db).await.unwrap();

    let n = entries.len() as u64;
    assert_eq!(audit::reseal(db).await.unwrap(), Reseal::Done { entries: n });
    assert!(!audit::has_version_1(db).await.unwrap());
    assert_eq!(audit::verify(db).await.unwrap().result, Ok(()));
    let last = audit_entry::Entity::find().order_by_desc(audit_entry::Column::Seq).one(db).await.unwrap().unwrap();
    assert_eq!(last.action, "audit.herverzegeld");
    assert!(last.detail.contains(&format!("\"regels\":{n}")));
    // Once only.
    assert_eq!(audit::reseal(db).await.unwrap(), Reseal::NotNeeded);
    // Version 2 still catches an edit.
    db.execute_unprepared("UPDATE audit_log SET detail = '{\"x\":2}' WHERE seq = 7").await.unwrap();
    assert_eq!(audit::verify(db).await.unwrap().result, Err(ChainBreak::Edited { seq: 7 }));
}
crate::on_both!(reseal, version_1_chain_is_resealed);

/// A school register entry past its own five-year term: its complainant, documents, letters
/// and actions leave every table; the entry stays with its dates, kind and status.
async fn register_entry_is_purged(backend: Backend) {
    use klachtencommissie::entities::{register_action, register_document, register_entry, register_letter};
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    let e = register_entry::Entity::find()
        .filter(register_entry::Column::Status.eq("gesloten"))
        .filter(register_entry::Column::CaseId.is_null())
        .order_by_asc(register_entry::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("a closed demo register entry");
    let closed = klachtencommissie::admin::today() - chrono::TimeDelta::days(5 * 366 + 2);
    db.execute_raw(klachtencommissie::db::stmt(
        db.get_database_backend(),
        "UPDATE register_entries SET closed_on = $1 WHERE id = $2",
        vec![closed.into(), e.id.into()],
    ))
    .await
    .unwrap();
    let columns = text_columns(db).await;
    let mut markers = vec![e.complainant_name.clone()];
    markers.extend(e.email.clone());
    markers.extend(e.phone.clone());
    markers.extend(e.child_name.clone());
    // Only what belongs to this entry alone (the demo shares a phone number between entries).
    let mut own = Vec::new();
    for m in markers {
        let found = occurrences(db, &columns, &m).await;
        if found.iter().all(|o| o.starts_with("register_"))
            && found.iter().any(|o| o.starts_with("register_entries.") && o.ends_with("(1)"))
        {
            own.push(m);
        }
    }
    let markers = own;
    assert!(!markers.is_empty() && markers.contains(&e.complainant_name), "{markers:?}");
    let docs =
        register_document::Entity::find().filter(register_document::Column::EntryId.eq(e.id)).count(db).await.unwrap();
    let actions =
        register_action::Entity::find().filter(register_action::Column::EntryId.eq(e.id)).count(db).await.unwrap();
    assert!(actions > 0);
    let number = klachtencommissie::domain::school_register::entry_number(e.year, e.seq);

    let mut beheer = app.login("beheerder@demo.nl").await;
    let (_, page) = beheer.get_text("/beheer/bewaartermijn").await;
    assert!(page.contains(&number), "the dry run lists {number}");
    let (status, page) = post(&mut beheer, "/beheer/bewaartermijn/vernietigen", &[("confirm", "ja")]).await;
    assert_eq!(status, 200);
    assert!(page.contains(&number));

    for m in &markers {
        let left = occurrences(db, &columns, m).await;
        assert!(left.is_empty(), "{m:?} is still in {left:?} on {backend:?}");
    }
    assert_eq!(
        register_document::Entity::find().filter(register_document::Column::EntryId.eq(e.id)).count(db).await.unwrap(),
        0
    );
    assert_eq!(
        register_letter::Entity::find().filter(register_letter::Column::EntryId.eq(e.id)).count(db).await.unwrap(),
        0
    );
    assert_eq!(
        register_action::Entity::find().filter(register_action::Column::EntryId.eq(e.id)).count(db).await.unwrap(),
        0
    );
    let after = register_entry::Entity::find_by_id(e.id).one(db).await.unwrap().unwrap();
    assert_eq!(
        (after.kind.as_str(), after.status.as_str(), after.received_on),
        (e.kind.as_str(), "gesloten", e.received_on)
    );
    assert!(after.purged_on.is_some());
    let _ = docs;
    let last = audit_entry::Entity::find().order_by_desc(audit_entry::Column::Seq).one(db).await.unwrap().unwrap();
    assert_eq!(last.action, "register.vernietigd");
    assert_eq!(audit::verify(db).await.unwrap().result, Ok(()));
}
crate::on_both!(register_entry, register_entry_is_purged);

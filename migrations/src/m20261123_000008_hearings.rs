//! From investigation to hearing (Art 14, 18, 20-23): requests for information, hearings and
//! pre-hearing appearances with their invitations, calendar identity and proces-verbaal, who
//! attended, unavailable periods of members and parties, the persons a party brings (a trusted
//! companion among them), and the term to respond to a minor witness's record.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PARTY_ROLES: &[&str] =
    &["klager", "aangeklaagde", "gemachtigde_klager", "gemachtigde_aangeklaagde", "getuige", "deskundige", "tolk"];
const PARTY_ROLES_NEW: &[&str] = &[
    "klager",
    "aangeklaagde",
    "gemachtigde_klager",
    "gemachtigde_aangeklaagde",
    "getuige",
    "deskundige",
    "tolk",
    "begeleider",
];
const DEADLINE_KINDS: &[&str] = &[
    "indiening",
    "herstel",
    "verweerschrift",
    "hoorzitting",
    "getuigen",
    "repliek",
    "dupliek",
    "advies",
    "besluit_bevoegd_gezag",
];
const DEADLINE_KINDS_NEW: &[&str] = &[
    "indiening",
    "herstel",
    "verweerschrift",
    "hoorzitting",
    "getuigen",
    "repliek",
    "dupliek",
    "advies",
    "besluit_bevoegd_gezag",
    "reactie",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Art 21.2: one trusted companion per party; Art 21.6: the term to respond to the record
        // of a minor witness heard without the parties.
        replace_check(m, "parties", "ck_parties_role", "role", PARTY_ROLES, PARTY_ROLES_NEW).await?;
        replace_check(m, "deadlines", "ck_deadlines_kind", "kind", DEADLINE_KINDS, DEADLINE_KINDS_NEW).await?;

        // Art 21.3-21.5: who brings a witness, expert, interpreter or companion, and when its
        // name reached the commission.
        m.alter_table(
            Table::alter()
                .table("parties")
                .add_column(string_null("brought_by").check(one_of(
                    "parties_brought_by",
                    "brought_by",
                    &["klager", "aangeklaagde", "commissie"],
                )))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("parties").add_column(date_null("announced_on")).to_owned()).await?;

        // A member's calendar feed URL carries this number; raising it revokes the old URL.
        m.alter_table(Table::alter().table("members").add_column(integer("feed_version").default(0)).to_owned())
            .await?;
        // An iCalendar object sent with a notice (a hearing invitation or its cancellation).
        m.alter_table(Table::alter().table("outbox").add_column(text_null("calendar")).to_owned()).await?;

        // A hearing (Art 18, 20) or a pre-hearing appearance (Art 14.2). Times are stored in UTC
        // and shown in Europe/Amsterdam. The UID never changes; SEQUENCE rises on every change
        // the attendees are told about (RFC 5545).
        m.create_table(
            Table::create()
                .table("hearings")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(string("kind").check(one_of("hearings_kind", "kind", &["hoorzitting", "verschijning"])))
                // Art 14.2: to inform, or to attempt a settlement.
                .col(string_null("purpose").check(one_of(
                    "hearings_purpose",
                    "purpose",
                    &["inlichtingen", "schikking"],
                )))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(text("place"))
                .col(string("status").check(one_of(
                    "hearings_status",
                    "status",
                    &["gepland", "gehouden", "geannuleerd"],
                )))
                .col(string_uniq("uid"))
                .col(integer("sequence").default(0))
                // Art 20.3, 20.4: parties heard separately, and why.
                .col(boolean("separately").default(false))
                .col(text_null("separately_reason"))
                .col(timestamp_with_time_zone_null("invited_at"))
                .col(text_null("cancel_reason"))
                // Art 20.5, 14.3: the proces-verbaal, a draft until it is made final.
                .col(text("minutes").default(""))
                .col(timestamp_with_time_zone_null("minutes_final_at"))
                .col(integer_null("minutes_document_id"))
                // Art 14.2: whether the appearance ended in a settlement.
                .col(boolean_null("settled"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .check(("ck_hearings_order", Expr::cust("ends_at > starts_at")))
                .foreign_key(&mut fk("hearings", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("hearings", "minutes_document_id", "documents", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("hearings", &["case_id"])).await?;
        m.create_index(index("hearings", &["starts_at"])).await?;

        // Who was there (Art 20, 21), per person named in the case or panel member.
        m.create_table(
            Table::create()
                .table("hearing_attendance")
                .col(pk_auto("id"))
                .col(integer("hearing_id"))
                .col(integer_null("party_id"))
                .col(integer_null("member_id"))
                .col(string("name"))
                .col(string("capacity"))
                .col(boolean("present"))
                .col(boolean("heard_separately").default(false))
                .foreign_key(&mut fk("hearing_attendance", "hearing_id", "hearings", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("hearing_attendance", "party_id", "parties", ForeignKeyAction::SetNull))
                .foreign_key(&mut fk("hearing_attendance", "member_id", "members", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("hearing_attendance", &["hearing_id"])).await?;

        // Dates on which a member (kept by the member) or a party (recorded by the secretary)
        // cannot attend a hearing.
        m.create_table(
            Table::create()
                .table("unavailabilities")
                .col(pk_auto("id"))
                .col(integer_null("member_id"))
                .col(integer_null("party_id"))
                .col(date("from_on"))
                .col(date("to_on"))
                .col(text("note").default(""))
                .check(("ck_unavailabilities_owner", Expr::cust("(member_id IS NULL) <> (party_id IS NULL)")))
                .check(("ck_unavailabilities_order", Expr::cust("to_on >= from_on")))
                .foreign_key(&mut fk("unavailabilities", "member_id", "members", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("unavailabilities", "party_id", "parties", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("unavailabilities", &["member_id", "to_on"])).await?;
        m.create_index(index("unavailabilities", &["party_id"])).await?;

        // Art 14.1: the commission asks anyone for information in writing.
        m.create_table(
            Table::create()
                .table("information_requests")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                // `partij-<id>` or `bestuur`, as a letter's addressee.
                .col(string("recipient"))
                .col(string("recipient_name"))
                .col(text("question"))
                .col(date("requested_on"))
                .col(date_null("due_on"))
                .col(date_null("answered_on"))
                .col(integer_null("answer_document_id"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("information_requests", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(
                    "information_requests",
                    "answer_document_id",
                    "documents",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk("information_requests", "created_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("information_requests", &["case_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["information_requests", "unavailabilities", "hearing_attendance", "hearings"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("outbox").drop_column("calendar").to_owned()).await?;
        m.alter_table(Table::alter().table("members").drop_column("feed_version").to_owned()).await?;
        for c in ["announced_on", "brought_by"] {
            m.alter_table(Table::alter().table("parties").drop_column(c).to_owned()).await?;
        }
        replace_check(m, "deadlines", "ck_deadlines_kind", "kind", DEADLINE_KINDS_NEW, DEADLINE_KINDS).await?;
        replace_check(m, "parties", "ck_parties_role", "role", PARTY_ROLES_NEW, PARTY_ROLES).await?;
        Ok(())
    }
}

fn in_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    format!("({})", quoted.join(", "))
}

/// Replaces the value list of a named `col IN (...)` check constraint. PostgreSQL drops and adds
/// the constraint. SQLite cannot alter a constraint, so the table is rebuilt from its own stored
/// definition with only the list changed (the documented procedure; only for tables no foreign
/// key points to, which the caller guarantees: dropping a parent would cascade).
async fn replace_check(
    m: &SchemaManager<'_>,
    table: &str,
    name: &str,
    col: &str,
    old: &[&str],
    new: &[&str],
) -> Result<(), DbErr> {
    let db = m.get_connection();
    match db.get_database_backend() {
        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
            db.execute_unprepared(&format!(
                "ALTER TABLE \"{table}\" DROP CONSTRAINT \"{name}\"; \
                 ALTER TABLE \"{table}\" ADD CONSTRAINT \"{name}\" CHECK (\"{col}\" IN {})",
                in_list(new)
            ))
            .await?;
        }
        sea_orm_migration::sea_orm::DatabaseBackend::Sqlite => {
            use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    sea_orm_migration::sea_orm::DatabaseBackend::Sqlite,
                    "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
                    [table.into()],
                ))
                .await?;
            let mut create = None;
            let mut indexes = Vec::new();
            for r in rows {
                let kind: String = r.try_get("", "type")?;
                let sql: String = r.try_get("", "sql")?;
                if kind == "table" {
                    create = Some(sql);
                } else if kind == "index" {
                    indexes.push(sql);
                }
            }
            let create = create.ok_or_else(|| DbErr::Migration(format!("table {table} not found")))?;
            let old_text = format!("CONSTRAINT \"{name}\" CHECK (\"{col}\" IN {})", in_list(old));
            if create.matches(&old_text).count() != 1 {
                return Err(DbErr::Migration(format!("check {name} not found as expected in {table}")));
            }
            let new_create = create
                .replacen(&old_text, &format!("CONSTRAINT \"{name}\" CHECK (\"{col}\" IN {})", in_list(new)), 1)
                .replacen(&format!("CREATE TABLE \"{table}\""), &format!("CREATE TABLE \"{table}_rebuilt\""), 1);
            if !new_create.contains(&format!("\"{table}_rebuilt\"")) {
                return Err(DbErr::Migration(format!("unexpected definition of {table}")));
            }
            // One call, so every statement runs on the same connection (the pool's other
            // connections could otherwise still see the old table), inside a savepoint so a
            // failure leaves the table as it was.
            let mut script = vec![
                "SAVEPOINT rebuild".to_owned(),
                new_create,
                format!("INSERT INTO \"{table}_rebuilt\" SELECT * FROM \"{table}\""),
                format!("DROP TABLE \"{table}\""),
                format!("ALTER TABLE \"{table}_rebuilt\" RENAME TO \"{table}\""),
            ];
            script.extend(indexes);
            script.push("RELEASE rebuild".to_owned());
            db.execute_unprepared(&script.join(";\n")).await?;
        }
        other => return Err(DbErr::Migration(format!("unsupported backend {other:?}"))),
    }
    Ok(())
}

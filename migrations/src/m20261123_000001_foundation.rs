//! The foundation: accounts, the commission, boards and schools, cases with their parties and
//! documents, and the hash-chained audit log.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const ROLES: &[&str] = &["beheerder", "secretaris", "voorzitter", "lid", "bestuur"];
const REGIONS: &[&str] = &["noord", "midden", "zuid"];
const SECTORS: &[&str] = &["PO", "SO", "VO", "BVE"];
const EXPERTISES: &[&str] = &["juridisch", "sociaal-medisch", "onderwijskundig"];
const STATUSES: &[&str] = &[
    "ontvangen",
    "herstel_gevraagd",
    "verweer",
    "onderzoek",
    "schriftelijk",
    "zitting_gepland",
    "beraadslaging",
    "advies_in_voorbereiding",
    "advies_uitgebracht",
    "afgesloten",
];
const OUTCOMES: &[&str] = &[
    "niet_ontvankelijk",
    "doorgezonden",
    "kennelijk_onbevoegd",
    "ongegrond",
    "gegrond",
    "gedeeltelijk_gegrond",
    "ingetrokken",
    "opgelost",
];
const ARRIVALS: &[&str] = &["post", "email", "afgegeven", "doorgezonden", "mondeling"];
const PARTY_ROLES: &[&str] =
    &["klager", "aangeklaagde", "gemachtigde_klager", "gemachtigde_aangeklaagde", "getuige", "deskundige", "tolk"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("boards")
                .col(pk_auto("id"))
                .col(string_uniq("name"))
                .col(text("address"))
                .col(string_null("email"))
                .col(date("affiliated_on"))
                .col(date_null("terminated_on"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("schools")
                .col(pk_auto("id"))
                .col(integer("board_id"))
                .col(string("name"))
                .col(string_null("brin"))
                .col(text("address"))
                .col(string("place"))
                .col(string("region").check(one_of("schools_region", "region", REGIONS)))
                .col(string("sector").check(one_of("schools_sector", "sector", SECTORS)))
                .col(string_null("contact_name"))
                .col(string_null("contact_email"))
                .foreign_key(&mut fk("schools", "board_id", "boards", ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("schools", &["board_id"])).await?;

        m.create_table(
            Table::create()
                .table("members")
                .col(pk_auto("id"))
                .col(string("name"))
                .col(string("email"))
                .col(string_null("phone"))
                .col(text_null("address"))
                .col(boolean("is_chair"))
                .col(boolean("is_jurist"))
                .col(string("expertise").check(one_of("members_expertise", "expertise", EXPERTISES)))
                // A comma-separated subset of PO,SO,VO,BVE; validated by the domain.
                .col(string("sectors"))
                .col(date("term_start"))
                .col(date("term_end"))
                .col(integer("renewals").default(0))
                .col(boolean("active").default(true))
                .check(("ck_members_term", Expr::cust("term_end > term_start")))
                .to_owned(),
        )
        .await?;

        // Art 5.1: a member tied to a board or school cannot sit on its cases.
        m.create_table(
            Table::create()
                .table("member_affiliations")
                .col(pk_auto("id"))
                .col(integer("member_id"))
                .col(integer_null("board_id"))
                .col(integer_null("school_id"))
                .col(text("note").default(""))
                .check(("ck_member_affiliations_target", Expr::cust("(board_id IS NULL) <> (school_id IS NULL)")))
                .foreign_key(&mut fk("member_affiliations", "member_id", "members", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("member_affiliations", "board_id", "boards", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("member_affiliations", "school_id", "schools", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("member_affiliations", &["member_id"])).await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(pk_auto("id"))
                // Stored lower-case; the application normalises before every lookup.
                .col(string_uniq("email"))
                .col(string("name"))
                .col(string("password_hash"))
                .col(string("role").check(one_of("users_role", "role", ROLES)))
                .col(integer_null("board_id"))
                .col(integer_null("member_id"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .check(("ck_users_board", Expr::cust("(role = 'bestuur') = (board_id IS NOT NULL)")))
                .foreign_key(&mut fk("users", "board_id", "boards", ForeignKeyAction::Restrict))
                .foreign_key(&mut fk("users", "member_id", "members", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .col(string_len("id", 64).primary_key())
                .col(integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .foreign_key(&mut fk("sessions", "user_id", "users", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", &["user_id"])).await?;

        m.create_table(
            Table::create()
                .table("login_attempts")
                .col(big_pk_auto("id"))
                .col(string("email"))
                .col(string("ip"))
                .col(boolean("succeeded"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("login_attempts", &["email", "at"])).await?;
        m.create_index(index("login_attempts", &["ip", "at"])).await?;

        m.create_table(
            Table::create()
                .table("zaaknummer_counters")
                .col(integer("year").primary_key())
                .col(integer("last"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("cases")
                .col(pk_auto("id"))
                .col(string_len_uniq("zaaknummer", 16))
                .col(integer("year"))
                .col(date("received_on"))
                .col(integer("school_id"))
                .col(integer("board_id"))
                .col(string("status").check(one_of("cases_status", "status", STATUSES)))
                .col(string_null("outcome").check(one_of("cases_outcome", "outcome", OUTCOMES)))
                .col(text("subject"))
                .col(date_null("facts_date"))
                .col(string("arrival").check(one_of("cases_arrival", "arrival", ARRIVALS)))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("cases", "school_id", "schools", ForeignKeyAction::Restrict))
                .foreign_key(&mut fk("cases", "board_id", "boards", ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        // The register lists newest first and filters by these columns.
        m.create_index(index("cases", &["received_on", "id"])).await?;
        m.create_index(index("cases", &["status", "received_on"])).await?;
        m.create_index(index("cases", &["board_id", "received_on"])).await?;
        m.create_index(index("cases", &["school_id", "received_on"])).await?;
        m.create_index(index("cases", &["year", "received_on"])).await?;

        // The panel of a case (Art 9.1, 20.1); until panels are composed by rule, the secretary
        // assigns chairs and members here, and it is what gives them access (Art 10).
        m.create_table(
            Table::create()
                .table("panel_members")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(integer("member_id"))
                .col(string("role").check(one_of("panel_members_role", "role", &["voorzitter", "lid"])))
                .foreign_key(&mut fk("panel_members", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("panel_members", "member_id", "members", ForeignKeyAction::Restrict))
                .index(Index::create().name("ux_panel_members_case_member").col("case_id").col("member_id").unique())
                .to_owned(),
        )
        .await?;
        m.create_index(index("panel_members", &["member_id", "case_id"])).await?;

        m.create_table(
            Table::create()
                .table("parties")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(string("role").check(one_of("parties_role", "role", PARTY_ROLES)))
                .col(string("name"))
                .col(text_null("address"))
                .col(string_null("email"))
                .col(string_null("phone"))
                .col(boolean("minor").default(false))
                .foreign_key(&mut fk("parties", "case_id", "cases", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("parties", &["case_id"])).await?;

        m.create_table(
            Table::create()
                .table("documents")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(string("title"))
                .col(string("file_name"))
                .col(string("media_type"))
                .col(big_integer("size_bytes").check(("ck_documents_size", Expr::cust("size_bytes >= 0"))))
                .col(string_len("sha256", 64))
                // Art 11.9: the receipt date stamped on every incoming document.
                .col(date("received_on"))
                .col(integer_null("registered_by"))
                .col(timestamp_with_time_zone("registered_at"))
                // Art 15: inspection reserved to a qualified gemachtigde.
                .col(boolean("restricted").default(false))
                .foreign_key(&mut fk("documents", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("documents", "registered_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("documents", &["case_id"])).await?;

        // The bytes live apart so that listing documents never drags blobs along.
        m.create_table(
            Table::create()
                .table("document_contents")
                .col(integer("document_id").primary_key())
                .col(blob("bytes"))
                .foreign_key(&mut fk("document_contents", "document_id", "documents", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;

        // Hash-chained audit log: entry n carries the hash of entry n-1.
        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_pk_auto("id"))
                .col(big_integer_uniq("seq"))
                .col(timestamp_with_time_zone("at"))
                .col(integer_null("user_id"))
                .col(string("actor"))
                .col(integer_null("case_id"))
                .col(string("action"))
                .col(text("detail"))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log", &["case_id", "seq"])).await?;

        // One row: the head of the chain. Every writing transaction locks it first, which
        // serialises audit appends across processes (row lock on PostgreSQL, write lock on SQLite).
        m.create_table(
            Table::create()
                .table("audit_head")
                .col(integer("id").primary_key())
                .col(big_integer("seq"))
                .col(string_len("last_hash", 64))
                .to_owned(),
        )
        .await?;

        // Key/value facts about this installation (e.g. whether demo data was loaded).
        m.create_table(
            Table::create().table("settings").col(string("key").primary_key()).col(text("value")).to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "settings",
            "audit_head",
            "audit_log",
            "document_contents",
            "documents",
            "parties",
            "panel_members",
            "cases",
            "zaaknummer_counters",
            "login_attempts",
            "sessions",
            "users",
            "member_affiliations",
            "members",
            "schools",
            "boards",
        ] {
            m.drop_table(Table::drop().table(t.to_owned()).to_owned()).await?;
        }
        Ok(())
    }
}

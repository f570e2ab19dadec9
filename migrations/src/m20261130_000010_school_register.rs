//! The school-level complaints register (the registratieformulier of the school procedures)
//! with its actions table, documents and letters; the board's procedure; the link from a
//! register entry to the commission's case; API tokens and webhook deliveries for boards that
//! keep their register in another system.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const ENTRY_STATUSES: &[&str] =
    &["open", "geen_klacht", "vertrouwenspersoon", "beslist", "gesloten", "ingetrokken", "doorgezet"];
const ACTIONS: &[&str] =
    &["klacht_binnen", "ontvangstbevestiging", "betrokkenen", "brief_oplossing", "directie_geinformeerd", "gesloten"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Which school procedure the board follows: it sets the answer term of its register.
        m.alter_table(
            Table::alter()
                .table("boards")
                .add_column(string("procedure").default("alfrink").check(one_of(
                    "boards_procedure",
                    "procedure",
                    &["alfrink", "klassepro"],
                )))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("boards").add_column(text_null("webhook_url")).to_owned()).await?;
        m.alter_table(Table::alter().table("boards").add_column(string_null("webhook_secret")).to_owned()).await?;
        // The last status+outcome a board was told about (webhooks), so each change goes out once.
        m.alter_table(Table::alter().table("cases").add_column(string_null("announced_state")).to_owned()).await?;
        // A letter from a school register goes by e-mail with its PDF from register_documents.
        m.alter_table(Table::alter().table("outbox").add_column(integer_null("register_document_id")).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table("register_entries")
                .col(pk_auto("id"))
                .col(integer("board_id"))
                .col(integer("school_id"))
                .col(integer("year"))
                .col(integer("seq"))
                .col(date("received_on"))
                .col(timestamp_with_time_zone("recorded_at"))
                .col(string("received_how").check(one_of(
                    "register_entries_received_how",
                    "received_how",
                    &["mondeling", "schriftelijk"],
                )))
                .col(string("complainant_name"))
                .col(string("complainant_role").check(one_of(
                    "register_entries_complainant_role",
                    "complainant_role",
                    &["ouder", "leerling", "anders"],
                )))
                .col(string_null("child_name"))
                .col(string_null("group_name"))
                .col(text_null("address"))
                .col(string_null("phone"))
                .col(string_null("email"))
                .col(boolean("written_name").default(false))
                .col(boolean("written_address").default(false))
                .col(boolean("written_signed").default(false))
                .col(text("nature"))
                .col(string("kind").check(one_of(
                    "register_entries_kind",
                    "kind",
                    &["onderwijskundig", "organisatorisch", "ongewenst_gedrag"],
                )))
                .col(string("complained_about"))
                .col(date_null("facts_on"))
                .col(boolean("late_allowed").default(false))
                .col(string_null("handler"))
                .col(timestamp_with_time_zone_null("handler_assigned_at"))
                .col(date_null("answer_due"))
                .col(date_null("answer_delayed_to"))
                .col(text_null("delay_reason"))
                .col(date_null("decided_on"))
                .col(text("decision").default(""))
                .col(text("cause").default(""))
                .col(text("solution").default(""))
                .col(text("measures").default(""))
                .col(date_null("follow_up_due"))
                .col(date_null("follow_up_on"))
                .col(text("follow_up_report").default(""))
                .col(string("status").check(one_of("register_entries_status", "status", ENTRY_STATUSES)))
                .col(text_null("status_reason"))
                .col(date_null("closed_on"))
                .col(integer_null("case_id"))
                .col(timestamp_with_time_zone_null("escalated_at"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("register_entries", "board_id", "boards", ForeignKeyAction::Restrict))
                .foreign_key(&mut fk("register_entries", "school_id", "schools", ForeignKeyAction::Restrict))
                .foreign_key(&mut fk("register_entries", "case_id", "cases", ForeignKeyAction::SetNull))
                .foreign_key(&mut fk("register_entries", "created_by", "users", ForeignKeyAction::SetNull))
                .index(
                    Index::create().name("ux_register_entries_number").col("board_id").col("year").col("seq").unique(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("register_entries", &["board_id", "received_on"])).await?;
        m.create_index(index("register_entries", &["school_id", "received_on"])).await?;
        m.create_index(index("register_entries", &["case_id"])).await?;
        m.create_index(index("register_entries", &["status", "received_on"])).await?;

        // The actions table of the registratieformulier: one row per step, with date, who, done.
        m.create_table(
            Table::create()
                .table("register_actions")
                .col(pk_auto("id"))
                .col(integer("entry_id"))
                .col(string("action").check(one_of("register_actions_action", "action", ACTIONS)))
                .col(date_null("on_date"))
                .col(string("who").default(""))
                .col(boolean("done").default(false))
                .foreign_key(&mut fk("register_actions", "entry_id", "register_entries", ForeignKeyAction::Cascade))
                .index(Index::create().name("ux_register_actions_entry_action").col("entry_id").col("action").unique())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("register_documents")
                .col(pk_auto("id"))
                .col(integer("entry_id"))
                .col(string("title"))
                .col(string("file_name"))
                .col(string("media_type"))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(date("received_on"))
                .col(string("direction").check(one_of("register_documents_direction", "direction", &["in", "uit"])))
                .col(blob("bytes"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("register_documents", "entry_id", "register_entries", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("register_documents", "created_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("register_documents", &["entry_id"])).await?;

        m.create_table(
            Table::create()
                .table("register_letters")
                .col(pk_auto("id"))
                .col(integer("entry_id"))
                .col(string("kind"))
                .col(integer("template_id"))
                .col(string("recipient_name"))
                .col(text_null("recipient_address"))
                .col(string_null("recipient_email"))
                .col(string("channel").check(one_of("register_letters_channel", "channel", &["email", "post"])))
                .col(text("subject"))
                .col(text("body"))
                .col(date("letter_date"))
                .col(integer("document_id"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("register_letters", "entry_id", "register_entries", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("register_letters", "template_id", "letter_templates", ForeignKeyAction::Restrict))
                .foreign_key(&mut fk(
                    "register_letters",
                    "document_id",
                    "register_documents",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk("register_letters", "created_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("register_letters", &["entry_id"])).await?;

        // API tokens: the JWT names its row, so a token is revoked by marking the row.
        m.create_table(
            Table::create()
                .table("api_tokens")
                .col(pk_auto("id"))
                .col(integer("board_id"))
                .col(string("name"))
                .col(string("scopes"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .foreign_key(&mut fk("api_tokens", "board_id", "boards", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("api_tokens", "created_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("api_tokens", &["board_id"])).await?;

        // Webhook deliveries: an outbox of their own (written in the transaction of the change,
        // delivered and retried by the worker under a lease, like mail).
        m.create_table(
            Table::create()
                .table("webhook_deliveries")
                .col(pk_auto("id"))
                .col(string("delivery_id").unique_key())
                .col(integer("board_id"))
                .col(integer_null("case_id"))
                .col(string("event"))
                .col(text("url"))
                .col(text("payload"))
                .col(string("status").check(one_of(
                    "webhook_deliveries_status",
                    "status",
                    &["wachtend", "verzonden", "mislukt"],
                )))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(string_null("lease_owner"))
                .col(timestamp_with_time_zone_null("lease_until"))
                .col(text_null("last_error"))
                .col(integer_null("response_status"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("delivered_at"))
                .foreign_key(&mut fk("webhook_deliveries", "board_id", "boards", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("webhook_deliveries", "case_id", "cases", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("webhook_deliveries", &["status", "next_attempt_at"])).await?;
        m.create_index(index("webhook_deliveries", &["board_id", "created_at"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "webhook_deliveries",
            "api_tokens",
            "register_letters",
            "register_documents",
            "register_actions",
            "register_entries",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("outbox").drop_column("register_document_id").to_owned()).await?;
        m.alter_table(Table::alter().table("cases").drop_column("announced_state").to_owned()).await?;
        for c in ["webhook_secret", "webhook_url", "procedure"] {
            m.alter_table(Table::alter().table("boards").drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}

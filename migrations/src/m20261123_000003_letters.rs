//! Letters and what carries them: versioned letter templates, the letters sent on a case, the
//! outbox the delivery worker drains, notifications for board users, and the once-a-day marker
//! of the deadline digest.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A template is never changed in place: editing adds a version, and each letter keeps the
        // id of the version that produced it.
        m.create_table(
            Table::create()
                .table("letter_templates")
                .col(pk_auto("id"))
                .col(string("kind"))
                .col(integer("version"))
                .col(text("subject"))
                .col(text("body"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("letter_templates", "created_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("letter_templates", &["kind", "version"]).unique().to_owned()).await?;

        // Outgoing letters are documents of the dossier too; incoming ones stay 'in'.
        m.alter_table(
            Table::alter()
                .table("documents")
                .add_column(string("direction").default("in").check(one_of(
                    "documents_direction",
                    "direction",
                    &["in", "uit"],
                )))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("letters")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(string("kind"))
                .col(integer("template_id"))
                .col(string("recipient_role"))
                .col(string("recipient_name"))
                .col(text_null("recipient_address"))
                .col(string_null("recipient_email"))
                .col(string("channel").check(one_of("letters_channel", "channel", &["email", "post"])))
                .col(text("subject"))
                .col(text("body"))
                // The laid-out letter (JSON), so the post batch prints exactly what was sent.
                .col(text("layout"))
                .col(date("letter_date"))
                .col(integer("document_id"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                // For post: when the secretary marked the printed letter as posted.
                .col(timestamp_with_time_zone_null("posted_at"))
                .foreign_key(&mut fk("letters", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("letters", "template_id", "letter_templates", ForeignKeyAction::Restrict))
                .foreign_key(&mut fk("letters", "document_id", "documents", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("letters", "created_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("letters", &["case_id", "id"])).await?;
        m.create_index(index("letters", &["channel", "posted_at"])).await?;

        // One row per e-mail to deliver. `message_id` is fixed when the row is written, so a
        // message sent again after a crash carries the same Message-ID.
        m.create_table(
            Table::create()
                .table("outbox")
                .col(pk_auto("id"))
                .col(string("message_id").unique_key())
                .col(string("purpose").check(one_of("outbox_purpose", "purpose", &["brief", "herinnering", "melding"])))
                .col(integer_null("case_id"))
                .col(integer_null("letter_id"))
                .col(string("to_email"))
                .col(string("to_name"))
                .col(text("subject"))
                .col(text("body"))
                .col(integer_null("attachment_document_id"))
                .col(string("status").check(one_of("outbox_status", "status", &["wachtend", "verzonden", "mislukt"])))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(string_null("lease_owner"))
                .col(timestamp_with_time_zone_null("lease_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut fk("outbox", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("outbox", "letter_id", "letters", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("outbox", "attachment_document_id", "documents", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        // The worker's claim: waiting messages whose time has come.
        m.create_index(index("outbox", &["status", "next_attempt_at"])).await?;
        m.create_index(index("outbox", &["letter_id"])).await?;
        m.create_index(index("outbox", &["case_id"])).await?;

        m.create_table(
            Table::create()
                .table("notifications")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(integer_null("case_id"))
                .col(integer_null("letter_id"))
                .col(text("title"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("read_at"))
                .foreign_key(&mut fk("notifications", "user_id", "users", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("notifications", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("notifications", "letter_id", "letters", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notifications", &["user_id", "id"])).await?;

        // Per-user choices: the daily digest (on unless turned off), notices also by e-mail.
        m.alter_table(Table::alter().table("users").add_column(boolean("digest_enabled").default(true)).to_owned())
            .await?;
        m.alter_table(Table::alter().table("users").add_column(boolean("notify_by_email").default(false)).to_owned())
            .await?;

        // The digest of a day is written by whichever instance inserts this row first.
        m.create_table(
            Table::create()
                .table("digest_runs")
                .col(date("day").primary_key())
                .col(integer("messages"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["digest_runs", "notifications", "outbox", "letters", "letter_templates"] {
            m.drop_table(Table::drop().table(t.to_owned()).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("users").drop_column("notify_by_email").to_owned()).await?;
        m.alter_table(Table::alter().table("users").drop_column("digest_enabled").to_owned()).await?;
        m.alter_table(Table::alter().table("documents").drop_column("direction").to_owned()).await?;
        Ok(())
    }
}

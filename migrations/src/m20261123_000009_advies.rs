//! Deliberation and the advies (Art 24, 25): the deliberation with each question put to the
//! vote and each member's vote; the advies in versions (drafts with their revisions and the
//! panel's comments, the frozen final text with its PDF, the chair's and the secretary's
//! signatures, corrections as new versions); and the board's decision on it.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("deliberations")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(date("held_on"))
                .col(string("secretary"))
                .col(text("notes").default(""))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("deliberations", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("deliberations", "created_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("deliberations", &["case_id"])).await?;

        // A question put to the vote (Art 24): admissibility, each part of the complaint, measures.
        m.create_table(
            Table::create()
                .table("deliberation_questions")
                .col(pk_auto("id"))
                .col(integer("deliberation_id"))
                .col(integer("position"))
                .col(string("kind").check(one_of(
                    "deliberation_questions_kind",
                    "kind",
                    &["ontvankelijk", "gegrond", "maatregelen"],
                )))
                .col(text("question"))
                .col(boolean("adopted"))
                .foreign_key(&mut fk(
                    "deliberation_questions",
                    "deliberation_id",
                    "deliberations",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("deliberation_questions", &["deliberation_id"])).await?;

        m.create_table(
            Table::create()
                .table("deliberation_votes")
                .col(pk_auto("id"))
                .col(integer("question_id"))
                .col(integer("member_id"))
                .col(boolean("vote"))
                .foreign_key(&mut fk(
                    "deliberation_votes",
                    "question_id",
                    "deliberation_questions",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk("deliberation_votes", "member_id", "members", ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("deliberation_votes", &["question_id"])).await?;

        // One row per version of the advies; a correction is a new version (Art 25.3).
        m.create_table(
            Table::create()
                .table("adviezen")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(integer("version"))
                .col(string("status").check(one_of(
                    "adviezen_status",
                    "status",
                    &["concept", "definitief", "ondertekend", "verzonden"],
                )))
                .col(integer_null("corrects_id"))
                .col(text_null("correction_note"))
                .col(date("advies_date"))
                .col(text("section_a"))
                .col(text("section_b"))
                .col(text("section_c"))
                .col(text("section_d"))
                .col(string_null("outcome"))
                .col(integer("revision").default(1))
                .col(string_null("verification_code").unique_key())
                .col(integer_null("pdf_document_id"))
                .col(string_null("pdf_sha256"))
                .col(timestamp_with_time_zone_null("finalized_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("adviezen", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("adviezen", "corrects_id", "adviezen", ForeignKeyAction::SetNull))
                .foreign_key(&mut fk("adviezen", "pdf_document_id", "documents", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("adviezen", &["case_id", "version"]).unique().to_owned()).await?;
        m.create_index(index("adviezen", &["pdf_sha256"])).await?;

        // Who changed what and when: the sections as saved in each revision of a draft.
        m.create_table(
            Table::create()
                .table("advies_revisions")
                .col(pk_auto("id"))
                .col(integer("advies_id"))
                .col(integer("revision"))
                .col(integer_null("author_id"))
                .col(string("author_name"))
                .col(string("changed"))
                .col(text("sections"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("advies_revisions", "advies_id", "adviezen", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("advies_revisions", "author_id", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("advies_revisions", &["advies_id"])).await?;

        m.create_table(
            Table::create()
                .table("advies_comments")
                .col(pk_auto("id"))
                .col(integer("advies_id"))
                .col(integer("revision"))
                .col(integer_null("author_id"))
                .col(string("author_name"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("advies_comments", "advies_id", "adviezen", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("advies_comments", "author_id", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("advies_comments", &["advies_id"])).await?;

        // Art 25.3: a JWS (EdDSA) over the PDF's SHA-256, the zaaknummer, the signer and the time.
        m.create_table(
            Table::create()
                .table("advies_signatures")
                .col(pk_auto("id"))
                .col(integer("advies_id"))
                .col(string("role").check(one_of("advies_signatures_role", "role", &["voorzitter", "secretaris"])))
                .col(integer_null("user_id"))
                .col(string("signer_name"))
                .col(timestamp_with_time_zone("signed_at"))
                .col(text("jws"))
                .foreign_key(&mut fk("advies_signatures", "advies_id", "adviezen", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("advies_signatures", "user_id", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("advies_signatures", &["advies_id", "role"]).unique().to_owned()).await?;

        // WPO art 14 lid 7: the board's decision on the advies, recorded in its portal.
        m.create_table(
            Table::create()
                .table("board_decisions")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(date("decided_on"))
                .col(text("decision"))
                .col(text("measures").default(""))
                .col(date("informed_on"))
                .col(integer_null("recorded_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("board_decisions", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("board_decisions", "recorded_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("board_decisions", &["case_id"]).unique().to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "board_decisions",
            "advies_signatures",
            "advies_comments",
            "advies_revisions",
            "adviezen",
            "deliberation_votes",
            "deliberation_questions",
            "deliberations",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

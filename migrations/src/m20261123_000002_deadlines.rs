//! Deadlines (termijnen) on cases, the holiday calendars they are counted with, and the Art 27
//! urgency of a case.

use crate::helpers::{fk, index, one_of};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const KINDS: &[&str] = &["herfst", "kerst", "voorjaar", "mei", "zomer"];
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
const STATUSES: &[&str] = &["open", "met", "missed", "extended", "suspended", "cancelled"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A region's official holidays (region set) or a school's own deviation (school_id
        // set): with a kind it replaces the region's holiday of that kind in that school year,
        // without one it is an extra period.
        m.create_table(
            Table::create()
                .table("holiday_periods")
                .col(pk_auto("id"))
                .col(string_null("region").check(one_of(
                    "holiday_periods_region",
                    "region",
                    &["noord", "midden", "zuid"],
                )))
                .col(integer_null("school_id"))
                .col(integer("school_year"))
                .col(string_null("kind").check(one_of("holiday_periods_kind", "kind", KINDS)))
                .col(string("name"))
                .col(date("start_on"))
                .col(date("end_on"))
                .check(("ck_holiday_periods_owner", Expr::cust("(region IS NULL) <> (school_id IS NULL)")))
                .check(("ck_holiday_periods_order", Expr::cust("end_on >= start_on")))
                .foreign_key(&mut fk("holiday_periods", "school_id", "schools", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("holiday_periods", &["region", "school_year"])).await?;
        m.create_index(index("holiday_periods", &["school_id", "school_year"])).await?;

        // Atw art 3(3): days made equal to general holidays by royal decree.
        m.create_table(
            Table::create()
                .table("atw_decreed_days")
                .col(date("day").primary_key())
                .col(string("description"))
                .to_owned(),
        )
        .await?;

        // Art 27: the chair may decide that school holidays count for this case.
        m.alter_table(Table::alter().table("cases").add_column(boolean("urgent").default(false)).to_owned()).await?;

        m.create_table(
            Table::create()
                .table("deadlines")
                .col(pk_auto("id"))
                .col(integer("case_id"))
                .col(string("kind").check(one_of("deadlines_kind", "kind", DEADLINE_KINDS)))
                .col(date("event_on"))
                // The term as written ("2 weken") and how it is counted.
                .col(string("term"))
                .col(boolean("backward").default(false))
                .col(boolean("skip_school_holidays").default(true))
                .col(boolean("urgent").default(false))
                .col(string_null("extension_term"))
                .col(date_null("suspended_on"))
                .col(date_null("resumed_on"))
                // Null while suspended: a stopped clock has no end.
                .col(date_null("due_on"))
                .col(text("explanation"))
                .col(string("status").check(one_of("deadlines_status", "status", STATUSES)))
                .col(date_null("closed_on"))
                .col(integer_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("decision_reason"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("deadlines", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("deadlines", "decided_by", "users", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("deadlines", &["case_id", "status", "due_on"])).await?;
        // The overview lists running deadlines by due date.
        m.create_index(index("deadlines", &["status", "due_on"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("deadlines".to_owned()).to_owned()).await?;
        m.alter_table(Table::alter().table("cases").drop_column("urgent").to_owned()).await?;
        m.drop_table(Table::drop().table("atw_decreed_days".to_owned()).to_owned()).await?;
        m.drop_table(Table::drop().table("holiday_periods".to_owned()).to_owned()).await?;
        Ok(())
    }
}

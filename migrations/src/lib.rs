//! Database migrations. Append-only: a migration that has landed is never edited; a change of
//! schema is a new file `mYYYYMMDD_HHMMSS_name.rs`, reversible through its `down`.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261123_000001_foundation;
mod m20261123_000002_deadlines;
mod m20261123_000003_letters;
mod m20261123_000004_intake;
mod m20261123_000005_recusals;
mod m20261123_000006_restricted_documents;
mod m20261123_000007_written_handling;
mod m20261123_000008_hearings;
mod m20261123_000009_advies;
mod m20261130_000010_school_register;
mod m20261130_000011_access_log;
mod m20261130_000012_school_contacts;
mod m20261130_000013_case_kind_closed;
mod m20261130_000014_publications;
mod m20261130_000015_retention;
mod m20261130_000016_totp;
mod m20261130_000017_scaling_indexes;
pub mod m20261201_000018_name_search;
mod m20261201_000019_advies_board;
pub mod m20261201_000020_case_names;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_deadlines::Migration),
            Box::new(m20261123_000003_letters::Migration),
            Box::new(m20261123_000004_intake::Migration),
            Box::new(m20261123_000005_recusals::Migration),
            Box::new(m20261123_000006_restricted_documents::Migration),
            Box::new(m20261123_000007_written_handling::Migration),
            Box::new(m20261123_000008_hearings::Migration),
            Box::new(m20261123_000009_advies::Migration),
            Box::new(m20261130_000010_school_register::Migration),
            Box::new(m20261130_000011_access_log::Migration),
            Box::new(m20261130_000012_school_contacts::Migration),
            Box::new(m20261130_000013_case_kind_closed::Migration),
            Box::new(m20261130_000014_publications::Migration),
            Box::new(m20261130_000015_retention::Migration),
            Box::new(m20261130_000016_totp::Migration),
            Box::new(m20261130_000017_scaling_indexes::Migration),
            Box::new(m20261201_000018_name_search::Migration),
            Box::new(m20261201_000019_advies_board::Migration),
            Box::new(m20261201_000020_case_names::Migration),
        ]
    }
}

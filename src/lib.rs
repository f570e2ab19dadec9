//! Case management for an external school complaints commission (klachtencommissie, art. 14
//! WPO): from the klaagschrift to the signed advies. A guided tour, in the order data flows:

/// The access log: who viewed or downloaded what of a case, and when (outside the audit chain).
pub mod access_log;
/// Use cases of administration: members, boards, schools, users.
pub mod admin;
pub mod agenda;
/// The JSON API for the boards' own systems: tokens, endpoints, errors, OpenAPI.
pub mod api;
/// Writing transactions with their hash-chained audit entry; verifying the chain.
pub mod audit;
/// Passwords, session tokens, login and logout.
pub mod auth;
/// Backup and restore of the embedded SQLite database, each copy checked.
pub mod backup;
/// Use cases of the holiday calendars: region periods, school deviations, imports, decrees.
pub mod calendars;
/// Use cases of the case register: register, search, case page, documents, panel.
pub mod cases;
/// The `termijn` command: one deadline from the shipped calendars, no database.
pub mod cli_termijn;
/// Command-line and environment configuration, secrets kept out of logs.
pub mod config;
/// Opening SQLite or PostgreSQL and applying the migrations.
pub mod db;
/// Deadlines on cases: opened with their event, extended, suspended, closed, recomputed.
pub mod deadlines;
/// The demo data set, embedded from `fixtures/demo.json`.
pub mod demo;
/// The daily digest of deadlines for the secretary and the chairs.
pub mod digest;
/// The rules of the reglement and the protocols: pure functions, no I/O.
pub mod domain;
/// sea-orm entities, one per table.
pub mod entities;
/// Letters: templates, letterhead, composing into the dossier, the post queue.
pub mod letters;
/// Notifications for board users in the portal, and per-user notification choices.
pub mod notifications;
/// The outbox of e-mail and its delivery worker (SMTP or the local mail folder).
pub mod outbox;
/// Letters laid out as PDF with typst.
pub mod pdf;
/// Publication of anonymised adviezen on the public page `/uitspraken`.
pub mod publications;
/// The annual report (Art 9.4): gathering the facts per case for a period.
pub mod reports;
/// The retention policy carried out: the dry run and the purge of closed files past their term.
pub mod retention;
/// The school-level complaints register of the boards, and its escalation to the commission.
pub mod school_register;
pub mod signing;
/// The axum router, extractors, CSRF, security headers and maud views.
pub mod web;
/// Webhooks to the boards' systems: announcing status changes, delivering them signed.
pub mod webhooks;

pub use web::{AppState, build_router};

//! The web layer: axum router, extractors for the signed-in user and for access to one case,
//! CSRF, security headers, and the maud views. Handlers stay thin: parse, call a use case,
//! render.

pub mod csrf;
pub mod error;
pub mod extract;
pub mod form;
pub mod registry;
pub mod routes;
pub mod security;
pub mod views;

use crate::config::Config;
use axum::{Router, extract::DefaultBodyLimit, middleware};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    /// Wakes this instance's outbox worker after a commit that queued mail.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Each response tells how many SQL statements it took (`x-sql-statements`).
    pub count_statements: bool,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> Self {
        Self { db, config: Arc::new(config), mail_wake: Arc::new(tokio::sync::Notify::new()), count_statements: false }
    }

    /// Counts the SQL statements of each request into the `x-sql-statements` response header:
    /// for the load run and the tests that keep pages free of N+1 queries.
    pub fn counting_statements(mut self) -> Self {
        crate::db::count_statements(&mut self.db);
        self.count_statements = true;
        self
    }

    /// Call after committing a transaction that wrote to the outbox.
    pub fn mail_queued(&self) {
        self.mail_wake.notify_one();
    }
}

/// The largest request body: an upload of [`crate::domain::upload::MAX_UPLOAD_BYTES`] plus the
/// rest of the form.
pub const MAX_BODY_BYTES: usize = crate::domain::upload::MAX_UPLOAD_BYTES + 1024 * 1024;

/// Every route of the application, each with the access rule it is registered under.
pub fn all_routes() -> registry::Routes {
    let r = registry::Routes::new();
    let r = routes::auth::routes(r);
    let r = routes::home::routes(r);
    let r = routes::cases::routes(r);
    let r = routes::dossier::routes(r);
    let r = routes::commission::routes(r);
    let r = routes::admin::routes(r);
    let r = routes::calendars::routes(r);
    let r = routes::deadlines::routes(r);
    let r = routes::letters::routes(r);
    let r = routes::intake::routes(r);
    let r = routes::recusals::routes(r);
    let r = routes::hearings::routes(r);
    let r = routes::advies::routes(r);
    let r = routes::publications::routes(r);
    let r = routes::account::routes(r);
    let r = routes::register::routes(r);
    let r = routes::integration::routes(r);
    let r = routes::reports::routes(r);
    let r = routes::retention::routes(r);
    let r = routes::totp::routes(r);
    routes::assets::routes(r)
}

/// The production router; tests drive exactly this. The JSON API (`/api/v1`) is nested outside
/// the browser's session and CSRF layers (it authenticates with bearer tokens), but inside the
/// security headers and the body limit (its own, for base64 documents).
pub fn build_router(state: AppState) -> Router {
    let counting = state.count_statements;
    let browser = all_routes()
        .into_router()
        .fallback(routes::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(middleware::from_fn_with_state(state.clone(), extract::resolve_user));
    let app = crate::api::mount(browser);
    let app = if counting { app.layer(middleware::from_fn(statement_count)) } else { app };
    app.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// The number of SQL statements the request took, as a response header.
async fn statement_count(req: axum::extract::Request, next: middleware::Next) -> axum::response::Response {
    let (mut resp, n) = crate::db::counted(next.run(req)).await;
    resp.headers_mut().insert("x-sql-statements", n.into());
    resp
}

//! Static assets, embedded in the binary so it runs from any directory.

use crate::web::registry::{Access, Routes};
use axum::http::header;
use axum::response::IntoResponse;

const APP_CSS: &str = include_str!("../../../fixtures/static/app.css");

pub fn routes(r: Routes) -> Routes {
    r.get(crate::web::views::components::CSS_PATH, Access::Public, css).get("/health", Access::Public, health)
}

async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], APP_CSS)
}

/// For load balancers and monitoring: the process answers and the database responds.
async fn health(axum::extract::State(state): axum::extract::State<crate::web::AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

//! Routes are registered here, each with its access rule, so the full list is known: a test
//! walks it and checks every route against its table of roles, and a route added without an
//! entry there fails that test.

use super::AppState;
use axum::{Router, handler::Handler, routing};

/// Who may reach a route at all (finer, per-case checks happen in the extractors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login page, static assets).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Signed in and allowed to see the case named in the path.
    Case,
    /// Signed in, allowed to see the case, and allowed [`crate::domain::access::Action::ManageCase`].
    ManageCase,
    /// Signed in with a role that may do this action.
    Action(crate::domain::access::Action),
}

#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

pub struct Routes {
    router: Router<AppState>,
    pub list: Vec<RouteInfo>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Self { router: Router::new(), list: Vec::new() }
    }

    pub fn get<H, T>(mut self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.list.push(RouteInfo { method: "GET", path, access });
        self.router = self.router.route(path, routing::get(handler));
        self
    }

    pub fn post<H, T>(mut self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.list.push(RouteInfo { method: "POST", path, access });
        self.router = self.router.route(path, routing::post(handler));
        self
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

//! (being written)

use crate::web::registry::Routes;

pub fn routes(r: Routes) -> Routes {
    r
}

//! Small builders shared by the migrations: named foreign keys, indexes and check constraints.
//! Changing one changes what an old migration would create on a new database, so these only
//! ever gain functions; existing ones stay as they are.

use sea_orm_migration::prelude::*;

/// `col IN ('a', 'b', ...)` as a named check constraint.
pub fn one_of(name: &str, col: &str, values: &[&str]) -> (String, SimpleExpr) {
    (format!("ck_{name}"), Expr::col(col.to_owned()).is_in(values.iter().map(|v| String::from(*v))))
}

pub fn fk(from_table: &str, from_col: &str, to_table: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table.to_owned(), from_col.to_owned())
        .to(to_table.to_owned(), "id")
        .on_delete(on_delete)
        .to_owned()
}

pub fn index(table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("ix_{table}_{}", cols.join("_"))).table(table.to_owned());
    for c in cols {
        idx.col(String::from(*c));
    }
    idx.to_owned()
}

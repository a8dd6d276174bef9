//! Foreign keys, named the one way every migration names them: `fk_{table}_{columns}`.

use sea_orm_migration::prelude::*;

/// A foreign key from `table.columns` to `parent.parent_columns`.
pub(crate) fn fk(
    table: &'static str,
    columns: &[&'static str],
    parent: &'static str,
    parent_columns: &[&'static str],
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create();
    key.name(format!("fk_{table}_{}", columns.join("_")));
    key.from_tbl(table).to_tbl(parent);
    for c in columns {
        key.from_col(*c);
    }
    for c in parent_columns {
        key.to_col(*c);
    }
    key.on_delete(on_delete).on_update(ForeignKeyAction::NoAction);
    key.to_owned()
}

"""SQLite: ALTER TABLE can add, drop and rename columns only; the rest needs batch mode."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ClauseElement

from ..errors import CommandError
from .base import (
    ColumnName,
    RenameTable,
    alter_table,
    format_column_name,
    format_table_name,
)
from .impl import DefaultImpl, batch_required

__all__ = ["ColumnName", "DefaultImpl", "RenameTable", "SQLiteImpl", "alter_table",
           "format_column_name", "format_table_name", "visit_column_name",
           "visit_rename_table"]

_CONSTRAINT_DIRECTIVE = {
    "ForeignKeyConstraint": "create_foreign_key",
    "UniqueConstraint": "create_unique_constraint",
    "CheckConstraint": "create_check_constraint",
    "PrimaryKeyConstraint": "create_primary_key",
}


class SQLiteImpl(DefaultImpl):
    __dialect__ = "sqlite"
    transactional_ddl = False
    inline_references_default = True

    def requires_recreate_in_batch(self, batch_op: Any) -> bool:
        """Everything but add_column (with a constant default) and indexes recreates."""
        for opname, args, _kw in batch_op.batch:
            if opname == "add_column":
                col = args[1]
                default = col.server_default
                if isinstance(default, sa.schema.DefaultClause) and isinstance(
                        default.arg, ClauseElement):
                    return True
                if default is not None and getattr(default, "persisted", None) is not None:
                    return True
                if col.primary_key or col.unique:
                    return True
            elif opname not in ("create_index", "drop_index"):
                return True
        return False

    def prep_table_for_batch(self, batch_impl: Any, table: Any) -> None:
        """Before "move and copy": keep AUTOINCREMENT, and refuse to DROP a table that
        other tables reference while ``PRAGMA foreign_keys`` is on (the implicit DELETE
        would fire their ON DELETE actions)."""
        conn = self.connection
        if conn is None:
            return
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)
        ).scalar() or ""
        if "AUTOINCREMENT" in sql.upper():
            batch_impl.table_kwargs.setdefault("sqlite_autoincrement", True)
        if not conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
            return
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'").scalars().all()
        for name in names:
            if name == table.name:
                continue
            quoted = self.dialect.identifier_preparer.quote(name)
            refs = conn.exec_driver_sql(f"PRAGMA foreign_key_list({quoted})").all()
            if any(row[2] == table.name for row in refs):
                raise CommandError(
                    f"batch_alter_table {table.name!r}: table {name!r} references it and "
                    "PRAGMA foreign_keys is ON, so recreating it would run their ON DELETE "
                    "actions; turn foreign keys off for the migration connection"
                )

    def add_constraint(self, const: Any, **kw: Any) -> None:
        if const._create_rule is not None and not const._create_rule(self):
            return
        directive = _CONSTRAINT_DIRECTIVE.get(type(const).__name__, "add_constraint")
        raise batch_required(directive, const.table.name, "add a constraint")

    def drop_constraint(self, const: Any, if_exists: bool | None = None, **kw: Any) -> None:
        raise batch_required("drop_constraint", const.table.name, "drop a constraint")

    def alter_column(  # type: ignore[override]
        self,
        table_name: str,
        column_name: str,
        nullable: bool | None = None,
        server_default: Any = False,
        name: str | None = None,
        type_: Any = None,
        schema: str | None = None,
        autoincrement: bool | None = None,
        **kw: Any,
    ) -> None:
        changes = [what for what, changed in (
            ("nullability", nullable is not None),
            ("server default", server_default is not False),
            ("type", type_ is not None or kw.get("postgresql_using") is not None),
            ("autoincrement", autoincrement is not None),
        ) if changed]
        if changes:
            raise batch_required("alter_column", table_name,
                                 f"change a column's {' and '.join(changes)}")
        # comments are not stored by SQLite; a rename is the only change left
        if name is not None:
            self._exec(ColumnName(table_name, column_name, name, schema=schema))


@compiles(RenameTable, "sqlite")
def visit_rename_table(element: RenameTable, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} RENAME TO "
            f"{format_table_name(compiler, element.new_table_name, None)}")


@compiles(ColumnName, "sqlite")
def visit_column_name(element: ColumnName, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} RENAME COLUMN "
            f"{format_column_name(compiler, element.column_name)} TO "
            f"{format_column_name(compiler, element.newname)}")

"""MySQL / MariaDB: non-transactional DDL; MODIFY / CHANGE need the full column spec."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..errors import CommandError
from .impl import (
    DefaultImpl,
    alter_table,
    format_column,
    format_literal,
    format_server_default,
    format_type,
)


class MySQLImpl(DefaultImpl):
    __dialect__ = "mysql mariadb"
    transactional_ddl = False

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
        comment: Any = False,
        existing_comment: str | None = None,
        existing_type: Any = None,
        existing_server_default: Any = None,
        existing_nullable: bool | None = None,
        existing_autoincrement: bool | None = None,
        **kw: Any,
    ) -> None:
        modify = (name is not None or type_ is not None or nullable is not None
                  or autoincrement is not None or comment is not False)
        if not modify:
            if server_default is not False:
                self._alter(lambda c: self._render_set_default(
                    f"{alter_table(c, table_name, schema)} ALTER COLUMN "
                    f"{format_column(c, column_name)}", c, server_default, existing_type))
            return
        where = f"alter_column on table {table_name!r} column {column_name!r}"
        verb = "CHANGE" if name is not None else "MODIFY"
        col_type = type_ if type_ is not None else existing_type
        if col_type is None:
            raise CommandError(f"{where}: MySQL/MariaDB {verb} COLUMN needs the existing type; "
                               "pass existing_type=")
        null = nullable if nullable is not None else existing_nullable
        if null is None:
            raise CommandError(f"{where}: MySQL/MariaDB {verb} COLUMN needs the existing "
                               "nullability; pass existing_nullable=")
        default = server_default if server_default is not False else existing_server_default
        autoinc = autoincrement if autoincrement is not None else existing_autoincrement
        cmt = comment if comment is not False else existing_comment

        def render(c: Any) -> str:
            spec = f"{format_type(c, col_type)} {'NULL' if null else 'NOT NULL'}"
            rendered = format_server_default(c, default, col_type)
            if rendered is not None:
                spec += f" DEFAULT {rendered}"
            if autoinc:
                spec += " AUTO_INCREMENT"
            if cmt:
                spec += f" COMMENT {format_literal(c, cmt)}"
            head = f"{alter_table(c, table_name, schema)} {verb} {format_column(c, column_name)} "
            if name is not None:
                head += f"{format_column(c, name)} "
            return head + spec

        self._alter(render)

    def create_column_comment(self, column: sa.Column) -> None:
        raise CommandError(
            f"comment on column {column.name!r} of table {column.table.name!r}: MySQL/MariaDB "
            "sets column comments with alter_column(comment=..., existing_type=..., "
            "existing_nullable=...)"
        )

    def drop_index(self, index: sa.Index, **kw: Any) -> None:
        if index.table is None or index.table.name == "no_table":
            raise CommandError(f"drop_index {index.name!r}: MySQL/MariaDB needs the table; "
                               "pass table_name=")
        super().drop_index(index, **kw)

    def drop_constraint(self, const: Any, if_exists: bool | None = None, **kw: Any) -> None:
        if not isinstance(const, (sa.ForeignKeyConstraint, sa.PrimaryKeyConstraint,
                                  sa.UniqueConstraint, sa.CheckConstraint)):
            raise CommandError(
                f"drop_constraint {const.name!r} on table {const.table.name!r}: MySQL/MariaDB "
                "needs the constraint type; pass type_='foreignkey', 'unique', 'primary' or 'check'"
            )
        super().drop_constraint(const, if_exists=if_exists, **kw)

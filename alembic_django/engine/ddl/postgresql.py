"""PostgreSQL: transactional DDL; ALTER COLUMN ... TYPE ... USING; EXCLUDE constraints."""

from __future__ import annotations

from typing import Any

from .impl import DefaultImpl, alter_table, format_column, format_type


class PostgresqlImpl(DefaultImpl):
    __dialect__ = "postgresql"
    transactional_ddl = True

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
        existing_type: Any = None,
        existing_server_default: Any = None,
        existing_nullable: bool | None = None,
        existing_autoincrement: bool | None = None,
        **kw: Any,
    ) -> None:
        using = kw.pop("postgresql_using", None)
        if using is not None and type_ is None:
            type_ = existing_type
            if type_ is None:
                from ..errors import CommandError

                raise CommandError(
                    f"alter_column on table {table_name!r} column {column_name!r}: "
                    "postgresql_using needs type_ (or existing_type)"
                )
        if type_ is not None:
            def render(c: Any) -> str:
                sql = (f"{alter_table(c, table_name, schema)} ALTER COLUMN "
                       f"{format_column(c, column_name)} TYPE {format_type(c, type_)}")
                if using is not None:
                    sql += f" USING {using}"
                return sql

            self._alter(render)
        super().alter_column(
            table_name, column_name, nullable=nullable, server_default=server_default,
            name=name, type_=None, schema=schema, autoincrement=autoincrement,
            existing_type=type_ if type_ is not None else existing_type,
            existing_server_default=existing_server_default,
            existing_nullable=existing_nullable,
            existing_autoincrement=existing_autoincrement, **kw,
        )

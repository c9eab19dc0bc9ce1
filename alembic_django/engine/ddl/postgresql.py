"""PostgreSQL: transactional DDL; ``ALTER COLUMN ... TYPE ... USING``; identity columns."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.compiler import compiles

from ..errors import CommandError
from .base import (
    AlterColumn,
    ColumnComment,
    IdentityColumnDefault,
    RenameTable,
    alter_column,
    alter_table,
    format_column_name,
    format_table_name,
    format_type,
    visit_rename_table,
)
from .impl import ComparisonResult, DefaultImpl

__all__ = [
    "AlterColumn", "ColumnComment", "ComparisonResult", "DefaultImpl", "IdentityColumnDefault",
    "PostgresqlColumnType", "PostgresqlImpl", "RenameTable", "alter_column", "alter_table",
    "format_column_name", "format_table_name", "format_type", "visit_column_comment",
    "visit_column_type", "visit_identity_column", "visit_rename_table",
]


class PostgresqlColumnType(AlterColumn):
    """``ALTER COLUMN ... TYPE <type> [USING <expr>]``."""

    def __init__(self, name: str, column_name: str, type_: Any, **kw: Any) -> None:
        using = kw.pop("using", None)
        super().__init__(name, column_name, **kw)
        self.type_ = sa.types.to_instance(type_)
        self.using = using


@compiles(PostgresqlColumnType, "postgresql")
def visit_column_type(element: PostgresqlColumnType, compiler: Any, **kw: Any) -> str:
    sql = (f"{alter_table(compiler, element.table_name, element.schema)} "
           f"{alter_column(compiler, element.column_name)} "
           f"TYPE {format_type(compiler, element.type_)}")
    if element.using:
        sql += f" USING {element.using}"
    return sql


@compiles(ColumnComment, "postgresql")
def visit_column_comment(element: ColumnComment, compiler: Any, **kw: Any) -> str:
    comment = ("NULL" if element.comment is None else compiler.sql_compiler.render_literal_value(
        element.comment, sa.String()))
    return (f"COMMENT ON COLUMN {format_table_name(compiler, element.table_name, element.schema)}"
            f".{format_column_name(compiler, element.column_name)} IS {comment}")


_IDENTITY_SET = {"start": "START WITH {}", "increment": "INCREMENT BY {}",
                 "minvalue": "MINVALUE {}", "maxvalue": "MAXVALUE {}", "cache": "CACHE {}"}


@compiles(IdentityColumnDefault, "postgresql")
def visit_identity_column(element: IdentityColumnDefault, compiler: Any, **kw: Any) -> str:
    head = (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"{alter_column(compiler, element.column_name)} ")
    new, old = element.default, element.existing_server_default
    if new is None:
        return head + "DROP IDENTITY"
    if not isinstance(old, sa.Identity):
        return head + f"ADD {compiler.visit_identity_column(new)}"
    changes = []
    if bool(new.always) != bool(old.always):
        changes.append("SET GENERATED " + ("ALWAYS" if new.always else "BY DEFAULT"))
    for attr, spelling in _IDENTITY_SET.items():
        if getattr(new, attr, None) != getattr(old, attr, None) and \
                getattr(new, attr, None) is not None:
            changes.append("SET " + spelling.format(getattr(new, attr)))
    if new.cycle != old.cycle and new.cycle is not None:
        changes.append("SET CYCLE" if new.cycle else "SET NO CYCLE")
    if not changes:
        raise sa_exc.CompileError(
            f"identity of column {element.table_name}.{element.column_name}: no change that "
            "PostgreSQL can ALTER")
    return head + " ".join(changes)


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
                raise CommandError(
                    f"alter_column on table {table_name!r} column {column_name!r}: "
                    "postgresql_using needs type_ (or existing_type)"
                )
        if type_ is not None:
            self._exec(PostgresqlColumnType(
                table_name, column_name, type_, schema=schema, using=using,
                existing_type=existing_type, existing_nullable=existing_nullable,
                existing_server_default=existing_server_default))
        super().alter_column(
            table_name, column_name, nullable=nullable, server_default=server_default,
            name=name, type_=None, schema=schema, autoincrement=autoincrement,
            existing_type=type_ if type_ is not None else existing_type,
            existing_server_default=existing_server_default,
            existing_nullable=existing_nullable,
            existing_autoincrement=existing_autoincrement, **kw,
        )

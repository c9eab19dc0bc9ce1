"""Oracle: non-transactional DDL; ``MODIFY`` for column changes; ``/`` batch separator."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from .base import (
    AddColumn,
    ColumnComment,
    ColumnDefault,
    ColumnName,
    ColumnNullable,
    ColumnType,
    IdentityColumnDefault,
    RenameTable,
    add_column,
    alter_column,
    alter_table,
    format_column_name,
    format_server_default,
    format_table_name,
    format_type,
)
from .impl import DefaultImpl

__all__ = [
    "AddColumn", "ColumnComment", "ColumnDefault", "ColumnName", "ColumnNullable",
    "ColumnType", "DefaultImpl", "IdentityColumnDefault", "OracleImpl", "RenameTable",
    "add_column", "alter_column", "alter_table", "format_column_name", "format_server_default",
    "format_table_name", "format_type", "visit_add_column", "visit_column_comment",
    "visit_column_default", "visit_column_name", "visit_column_nullable", "visit_column_type",
    "visit_identity_column", "visit_rename_table",
]


class OracleImpl(DefaultImpl):
    __dialect__ = "oracle"
    transactional_ddl = False
    command_terminator = ""
    batch_separator = "/"

    def __init__(self, *arg: Any, **kw: Any) -> None:
        super().__init__(*arg, **kw)
        self.batch_separator = self.context_opts.get("oracle_batch_separator",
                                                     self.batch_separator)

    def _exec(self, construct: Any, *args: Any, **kw: Any) -> Any:
        result = super()._exec(construct, *args, **kw)
        if self.as_sql and self.batch_separator:
            self.static_output(self.batch_separator)
        return result

    def emit_begin(self) -> None:
        self._exec("SET TRANSACTION READ WRITE")

    def emit_commit(self) -> None:
        self._exec("COMMIT")


def _modify(compiler: Any, element: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} MODIFY "
            f"{format_column_name(compiler, element.column_name)}")


@compiles(AddColumn, "oracle")
def visit_add_column(element: AddColumn, compiler: Any, **kw: Any) -> str:
    spec = add_column(compiler, element.column, **kw)
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"ADD {spec[len('ADD COLUMN '):]}")


@compiles(ColumnNullable, "oracle")
def visit_column_nullable(element: ColumnNullable, compiler: Any, **kw: Any) -> str:
    return f"{_modify(compiler, element)} {'NULL' if element.nullable else 'NOT NULL'}"


@compiles(ColumnType, "oracle")
def visit_column_type(element: ColumnType, compiler: Any, **kw: Any) -> str:
    return f"{_modify(compiler, element)} {format_type(compiler, element.type_)}"


@compiles(ColumnName, "oracle")
def visit_column_name(element: ColumnName, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} RENAME COLUMN "
            f"{format_column_name(compiler, element.column_name)} TO "
            f"{format_column_name(compiler, element.newname)}")


@compiles(ColumnDefault, "oracle")
def visit_column_default(element: ColumnDefault, compiler: Any, **kw: Any) -> str:
    rendered = format_server_default(compiler, element.default, type_=element.existing_type)
    return f"{_modify(compiler, element)} DEFAULT {rendered if rendered is not None else 'NULL'}"


@compiles(ColumnComment, "oracle")
def visit_column_comment(element: ColumnComment, compiler: Any, **kw: Any) -> str:
    comment = compiler.sql_compiler.render_literal_value(element.comment or "", sa.String())
    return (f"COMMENT ON COLUMN {format_table_name(compiler, element.table_name, element.schema)}"
            f".{format_column_name(compiler, element.column_name)} IS {comment}")


@compiles(RenameTable, "oracle")
def visit_rename_table(element: RenameTable, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} RENAME TO "
            f"{format_table_name(compiler, element.new_table_name, None)}")


@compiles(IdentityColumnDefault, "oracle")
def visit_identity_column(element: IdentityColumnDefault, compiler: Any, **kw: Any) -> str:
    if element.default is None:
        return f"{_modify(compiler, element)} DROP IDENTITY"
    return f"{_modify(compiler, element)} {compiler.visit_identity_column(element.default)}"

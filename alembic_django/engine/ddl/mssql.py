"""SQL Server: transactional DDL; ``sp_rename``; ``GO`` batch separator offline."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles

from ..errors import CommandError
from .base import (
    AddColumn,
    ColumnComment,
    ColumnDefault,
    ColumnName,
    ColumnNullable,
    ColumnType,
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
    "ColumnType", "DefaultImpl", "MSSQLImpl", "RenameTable", "alter_column", "alter_table",
    "format_column_name", "format_server_default", "format_table_name", "format_type",
    "mssql_add_column", "visit_add_column", "visit_column_default", "visit_column_nullable",
    "visit_column_type", "visit_rename_column", "visit_rename_table",
]


class MSSQLImpl(DefaultImpl):
    __dialect__ = "mssql"
    transactional_ddl = True
    batch_separator = "GO"

    def __init__(self, *arg: Any, **kw: Any) -> None:
        super().__init__(*arg, **kw)
        self.batch_separator = self.context_opts.get("mssql_batch_separator",
                                                     self.batch_separator)

    def _exec(self, construct: Any, *args: Any, **kw: Any) -> Any:
        result = super()._exec(construct, *args, **kw)
        if self.as_sql and self.batch_separator:
            self.static_output(self.batch_separator)
        return result

    def emit_begin(self) -> None:
        self.static_output("BEGIN TRANSACTION" + self.command_terminator)

    def emit_commit(self) -> None:
        super().emit_commit()
        if self.as_sql and self.batch_separator:
            self.static_output(self.batch_separator)

    def alter_column(self, table_name: str, column_name: str, nullable: bool | None = None,
                     server_default: Any = False, name: str | None = None, type_: Any = None,
                     schema: str | None = None, existing_type: Any = None,
                     **kw: Any) -> None:
        if nullable is not None and type_ is None and existing_type is None:
            raise CommandError(
                f"alter_column on table {table_name!r} column {column_name!r}: MS-SQL needs "
                "the column type to change its nullability; pass existing_type=")
        if nullable is not None:
            # SQL Server restates the type with the nullability, once
            type_, existing_type = None, type_ if type_ is not None else existing_type
        super().alter_column(table_name, column_name, nullable=nullable,
                             server_default=server_default, name=name, type_=type_,
                             schema=schema, existing_type=existing_type, **kw)


def mssql_add_column(compiler: Any, column: Any, **kw: Any) -> str:
    """``ADD <column spec>`` (SQL Server has no COLUMN keyword here)."""
    return "ADD " + add_column(compiler, column, **kw)[len("ADD COLUMN "):]


@compiles(AddColumn, "mssql")
def visit_add_column(element: AddColumn, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"{mssql_add_column(compiler, element.column, **kw)}")


@compiles(ColumnNullable, "mssql")
def visit_column_nullable(element: ColumnNullable, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"{alter_column(compiler, element.column_name)} "
            f"{format_type(compiler, element.existing_type)} "
            f"{'NULL' if element.nullable else 'NOT NULL'}")


@compiles(ColumnType, "mssql")
def visit_column_type(element: ColumnType, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"{alter_column(compiler, element.column_name)} {format_type(compiler, element.type_)}")


@compiles(ColumnDefault, "mssql")
def visit_column_default(element: ColumnDefault, compiler: Any, **kw: Any) -> str:
    rendered = format_server_default(compiler, element.default, type_=element.existing_type)
    if rendered is None:
        raise CommandError(
            f"dropping the default of {element.table_name}.{element.column_name} on MS-SQL "
            "needs the name of its DEFAULT constraint; drop it with op.drop_constraint()")
    return (f"{alter_table(compiler, element.table_name, element.schema)} ADD DEFAULT "
            f"{rendered} FOR {format_column_name(compiler, element.column_name)}")


@compiles(RenameTable, "mssql")
def visit_rename_table(element: RenameTable, compiler: Any, **kw: Any) -> str:
    return (f"EXEC sp_rename '{format_table_name(compiler, element.table_name, element.schema)}', "
            f"{format_table_name(compiler, element.new_table_name, None)}")


@compiles(ColumnName, "mssql")
def visit_rename_column(element: ColumnName, compiler: Any, **kw: Any) -> str:
    table = format_table_name(compiler, element.table_name, element.schema)
    return (f"EXEC sp_rename '{table}.{format_column_name(compiler, element.column_name)}', "
            f"{format_column_name(compiler, element.newname)}, 'COLUMN'")


@compiles(ColumnComment, "mssql")
def visit_column_comment(element: ColumnComment, compiler: Any, **kw: Any) -> str:
    raise CommandError(f"column comments on MS-SQL are not supported by this engine "
                       f"({element.table_name}.{element.column_name})")

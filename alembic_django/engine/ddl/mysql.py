"""MySQL / MariaDB: non-transactional DDL; MODIFY / CHANGE need the full column spec."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from ..errors import CommandError
from .base import (
    AlterColumn,
    ColumnDefault,
    ColumnName,
    ColumnNullable,
    ColumnType,
    alter_table,
    format_column_name,
    format_literal,
    format_server_default,
    format_type,
)
from .impl import DefaultImpl

__all__ = [
    "AlterColumn", "ColumnDefault", "ColumnName", "ColumnNullable", "ColumnType",
    "DefaultImpl", "MariaDBImpl", "MySQLAlterDefault", "MySQLChangeColumn", "MySQLImpl",
    "MySQLModifyColumn", "alter_table", "format_column_name", "format_server_default",
]


class MySQLChangeColumn(AlterColumn):
    """``CHANGE <old> <new> <full column spec>`` (a rename, with everything else restated)."""

    def __init__(self, name: str, column_name: str, schema: str | None = None,
                 newname: str | None = None, type_: Any = None, nullable: bool | None = None,
                 default: Any = False, autoincrement: bool | None = None,
                 comment: Any = False) -> None:
        super().__init__(name, column_name, schema=schema)
        self.newname = newname if newname is not None else column_name
        self.type_ = sa.types.to_instance(type_) if type_ is not None else None
        self.nullable = nullable
        self.default = default
        self.autoincrement = autoincrement
        self.comment = comment


class MySQLModifyColumn(MySQLChangeColumn):
    """``MODIFY <column> <full column spec>``."""


class MySQLAlterDefault(AlterColumn):
    """``ALTER COLUMN <column> SET DEFAULT ... / DROP DEFAULT``."""

    def __init__(self, name: str, column_name: str, default: Any,
                 schema: str | None = None) -> None:
        super().__init__(name, column_name, schema=schema)
        self.default = default


def _column_spec(compiler: Any, element: MySQLChangeColumn) -> str:
    spec = f"{format_type(compiler, element.type_)} {'NULL' if element.nullable else 'NOT NULL'}"
    rendered = format_server_default(compiler, element.default, type_=element.type_)
    if rendered is not None:
        spec += f" DEFAULT {rendered}"
    if element.autoincrement:
        spec += " AUTO_INCREMENT"
    if element.comment:
        spec += f" COMMENT {format_literal(compiler, element.comment)}"
    return spec


@compiles(MySQLChangeColumn, "mysql", "mariadb")
def _mysql_change_column(element: MySQLChangeColumn, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} CHANGE "
            f"{format_column_name(compiler, element.column_name)} "
            f"{format_column_name(compiler, element.newname)} {_column_spec(compiler, element)}")


@compiles(MySQLModifyColumn, "mysql", "mariadb")
def _mysql_modify_column(element: MySQLModifyColumn, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} MODIFY "
            f"{format_column_name(compiler, element.column_name)} "
            f"{_column_spec(compiler, element)}")


@compiles(MySQLAlterDefault, "mysql", "mariadb")
def _mysql_alter_default(element: MySQLAlterDefault, compiler: Any, **kw: Any) -> str:
    head = (f"{alter_table(compiler, element.table_name, element.schema)} ALTER COLUMN "
            f"{format_column_name(compiler, element.column_name)} ")
    rendered = format_server_default(compiler, element.default)
    return head + ("DROP DEFAULT" if rendered is None else f"SET DEFAULT {rendered}")


class MySQLImpl(DefaultImpl):
    __dialect__ = "mysql"
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
                self._exec(MySQLAlterDefault(table_name, column_name, server_default,
                                             schema=schema))
            return
        where = f"alter_column on table {table_name!r} column {column_name!r}"
        element = MySQLChangeColumn if name is not None else MySQLModifyColumn
        verb = "CHANGE" if name is not None else "MODIFY"
        col_type = type_ if type_ is not None else existing_type
        if col_type is None:
            raise CommandError(f"{where}: MySQL/MariaDB {verb} COLUMN needs the existing type; "
                               "pass existing_type=")
        null = nullable if nullable is not None else existing_nullable
        if null is None:
            raise CommandError(f"{where}: MySQL/MariaDB {verb} COLUMN needs the existing "
                               "nullability; pass existing_nullable=")
        self._exec(element(
            table_name, column_name, schema=schema, newname=name, type_=col_type,
            nullable=null,
            default=server_default if server_default is not False else existing_server_default,
            autoincrement=autoincrement if autoincrement is not None else existing_autoincrement,
            comment=comment if comment is not False else existing_comment,
        ))

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


class MariaDBImpl(MySQLImpl):
    __dialect__ = "mariadb"

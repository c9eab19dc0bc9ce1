"""The ALTER statements SQLAlchemy lacks, as DDL elements (Alembic's ``alembic.ddl.base``).

Each element (``RenameTable``, ``AddColumn``, ``ColumnNullable`` ...) compiles
through a ``@compiles`` visitor; dialect modules register their own visitor for an
element where their SQL differs (``@compiles(ColumnType, "postgresql")``), and so
may a plugin or an external dialect.  The ``format_*`` helpers render names, types
and defaults with the target dialect's compiler, online and offline alike.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import schema as sa_schema
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import DDLElement

from ..util.sqla_compat import _fk_spec  # noqa: F401  (Alembic's import path too)

__all__ = [
    "AddColumn", "AlterColumn", "AlterTable", "ColumnComment", "ColumnDefault", "ColumnName",
    "ColumnNullable", "ColumnType", "ComputedColumnDefault", "DropColumn",
    "IdentityColumnDefault", "RenameTable", "add_column", "alter_column", "alter_table",
    "compiles", "drop_column", "format_column_name", "format_server_default",
    "format_table_name", "format_type", "quote_dotted", "visit_add_column",
    "visit_column_default", "visit_column_name", "visit_column_nullable", "visit_column_type",
    "visit_computed_column", "visit_drop_column", "visit_identity_column", "visit_rename_table",
]


class AlterTable(DDLElement):
    """``ALTER TABLE <table_name>``: only the names are needed, not a ``Table``."""

    inherit_cache = False

    def __init__(self, table_name: str, schema: str | None = None) -> None:
        self.table_name = table_name
        self.schema = schema


class RenameTable(AlterTable):
    def __init__(self, old_table_name: str, new_table_name: str,
                 schema: str | None = None) -> None:
        super().__init__(old_table_name, schema=schema)
        self.new_table_name = new_table_name


class AlterColumn(AlterTable):
    """``ALTER TABLE ... ALTER COLUMN <column_name>`` plus what is known of the column."""

    def __init__(self, name: str, column_name: str, schema: str | None = None,
                 existing_type: Any = None, existing_nullable: bool | None = None,
                 existing_server_default: Any = None,
                 existing_comment: str | None = None) -> None:
        super().__init__(name, schema=schema)
        self.column_name = column_name
        self.existing_type = (sa.types.to_instance(existing_type)
                              if existing_type is not None else None)
        self.existing_nullable = existing_nullable
        self.existing_server_default = existing_server_default
        self.existing_comment = existing_comment


class ColumnNullable(AlterColumn):
    def __init__(self, name: str, column_name: str, nullable: bool, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.nullable = nullable


class ColumnType(AlterColumn):
    def __init__(self, name: str, column_name: str, type_: Any, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.type_ = sa.types.to_instance(type_)


class ColumnName(AlterColumn):
    def __init__(self, name: str, column_name: str, newname: str, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.newname = newname


class ColumnDefault(AlterColumn):
    """Set (``default``) or drop (``default=None``) a column's server default."""

    def __init__(self, name: str, column_name: str, default: Any, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.default = default


class ComputedColumnDefault(AlterColumn):
    """Add or remove a ``Computed`` (GENERATED ALWAYS AS) construct: no dialect can."""

    def __init__(self, name: str, column_name: str, default: Any, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.default = default


class IdentityColumnDefault(AlterColumn):
    """Add, change or remove a column's ``Identity``."""

    def __init__(self, name: str, column_name: str, default: Any, impl: Any,
                 **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.default = default
        self.impl = impl


class AddColumn(AlterTable):
    def __init__(self, name: str, column: sa.Column, schema: str | None = None,
                 if_not_exists: bool | None = None, inline_references: bool | None = None,
                 inline_primary_key: bool | None = None) -> None:
        super().__init__(name, schema=schema)
        self.column = column
        self.if_not_exists = if_not_exists
        self.inline_references = inline_references
        self.inline_primary_key = inline_primary_key


class DropColumn(AlterTable):
    def __init__(self, name: str, column: sa.Column, schema: str | None = None,
                 if_exists: bool | None = None) -> None:
        super().__init__(name, schema=schema)
        self.column = column
        self.if_exists = if_exists


class ColumnComment(AlterColumn):
    def __init__(self, name: str, column_name: str, comment: str | None, **kw: Any) -> None:
        super().__init__(name, column_name, **kw)
        self.comment = comment


# -- the default visitors -------------------------------------------------------------


@compiles(RenameTable)
def visit_rename_table(element: RenameTable, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} RENAME TO "
            f"{format_table_name(compiler, element.new_table_name, None)}")


@compiles(AddColumn)
def visit_add_column(element: AddColumn, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            + add_column(compiler, element.column, if_not_exists=element.if_not_exists,
                         inline_references=element.inline_references,
                         inline_primary_key=element.inline_primary_key, **kw))


@compiles(DropColumn)
def visit_drop_column(element: DropColumn, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            + drop_column(compiler, element.column.name, if_exists=element.if_exists, **kw))


@compiles(ColumnNullable)
def visit_column_nullable(element: ColumnNullable, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"{alter_column(compiler, element.column_name)} "
            f"{'DROP' if element.nullable else 'SET'} NOT NULL")


@compiles(ColumnType)
def visit_column_type(element: ColumnType, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"{alter_column(compiler, element.column_name)} "
            f"TYPE {format_type(compiler, element.type_)}")


@compiles(ColumnName)
def visit_column_name(element: ColumnName, compiler: Any, **kw: Any) -> str:
    return (f"{alter_table(compiler, element.table_name, element.schema)} RENAME "
            f"{format_column_name(compiler, element.column_name)} TO "
            f"{format_column_name(compiler, element.newname)}")


@compiles(ColumnDefault)
def visit_column_default(element: ColumnDefault, compiler: Any, **kw: Any) -> str:
    head = (f"{alter_table(compiler, element.table_name, element.schema)} "
            f"{alter_column(compiler, element.column_name)} ")
    rendered = format_server_default(compiler, element.default, type_=element.existing_type)
    if rendered is None:
        return head + "DROP DEFAULT"
    return head + f"SET DEFAULT {rendered}"


@compiles(ComputedColumnDefault)
def visit_computed_column(element: ComputedColumnDefault, compiler: Any, **kw: Any) -> str:
    raise sa_exc.CompileError(
        f'Adding or removing a "computed" construct, e.g. GENERATED ALWAYS AS, to or from '
        f'an existing column is not supported in this dialect (column '
        f'{element.table_name}.{element.column_name}).'
    )


@compiles(IdentityColumnDefault)
def visit_identity_column(element: IdentityColumnDefault, compiler: Any, **kw: Any) -> str:
    raise sa_exc.CompileError(
        f'Adding, removing or modifying an "identity" construct, e.g. GENERATED AS IDENTITY, '
        f'to or from an existing column is not supported in this dialect (column '
        f'{element.table_name}.{element.column_name}).'
    )


# -- formatting helpers (used inside visitors) -------------------------------------------


def quote_dotted(name: Any, quote: Any) -> Any:
    """Quote each dot-separated part of ``name`` with ``quote``."""
    if isinstance(name, sa.sql.elements.quoted_name):
        return quote(name)
    return ".".join(quote(part) for part in str(name).split("."))


def format_table_name(compiler: Any, name: str, schema: str | None) -> str:
    prep = compiler.preparer
    if schema:
        return f"{quote_dotted(schema, prep.quote)}.{prep.quote(name)}"
    return prep.quote(name)


def format_column_name(compiler: Any, name: str) -> str:
    return compiler.preparer.quote(name)


def format_server_default(compiler: Any, default: Any, *, type_: Any = None) -> str | None:
    """A server default (str, ``text()``, expression, ``DefaultClause``) as SQL;
    None for "no default" (``None`` / ``False``)."""
    if default is None or default is False:
        return None
    if isinstance(default, sa_schema.DefaultClause):
        default = default.arg
    col_type = sa.types.to_instance(type_) if type_ is not None else sa.types.NULLTYPE
    return compiler.get_column_default_string(sa.Column("x", col_type, server_default=default))


def format_type(compiler: Any, type_: Any) -> str:
    return compiler.dialect.type_compiler_instance.process(sa.types.to_instance(type_))


def format_literal(compiler: Any, value: str) -> str:
    """A string literal as the dialect spells it."""
    return compiler.sql_compiler.render_literal_value(value, sa.String())


def alter_table(compiler: Any, name: str, schema: str | None) -> str:
    return f"ALTER TABLE {format_table_name(compiler, name, schema)}"


def drop_column(compiler: Any, name: str, if_exists: bool | None = None, **kw: Any) -> str:
    return f"DROP COLUMN {'IF EXISTS ' if if_exists else ''}{format_column_name(compiler, name)}"


def alter_column(compiler: Any, name: str) -> str:
    return f"ALTER COLUMN {format_column_name(compiler, name)}"


def add_column(compiler: Any, column: sa.Column, if_not_exists: bool | None = None,
               inline_references: bool | None = None, inline_primary_key: bool | None = None,
               **kw: Any) -> str:
    """``ADD COLUMN <spec>`` with, on request, the column's REFERENCES and PRIMARY KEY."""
    spec = compiler.get_column_specification(column, **kw)
    if inline_primary_key and column.primary_key:
        spec += " PRIMARY KEY"
    if inline_references:
        for fk in column.foreign_keys:
            target = fk.column
            spec += (f" REFERENCES {format_table_name(compiler, target.table.name, target.table.schema)}"
                     f" ({format_column_name(compiler, target.name)})")
            if fk.ondelete:
                spec += f" ON DELETE {fk.ondelete}"
            if fk.onupdate:
                spec += f" ON UPDATE {fk.onupdate}"
    return f"ADD COLUMN {'IF NOT EXISTS ' if if_not_exists else ''}{spec}"

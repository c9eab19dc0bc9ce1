"""DefaultImpl: turns DDL operations into SQL, online (a connection) or offline (a buffer).

Mirrors Alembic's ``alembic.ddl.impl.DefaultImpl``.  Each dialect subclass sets
``__dialect__`` and is registered automatically; :meth:`DefaultImpl.get_by_dialect`
returns the class for a SQLAlchemy dialect.  The SQL is built with SQLAlchemy 2's
own DDL constructs and compiler (types, defaults, quoting), so offline output uses
the target dialect's exact spelling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal, NamedTuple

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema
from sqlalchemy.engine.mock import MockConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import BindParameter, ClauseElement

from ..errors import CommandError
from . import base
from .base import alter_table, format_literal, format_server_default, format_type  # noqa: F401
from .compare_types import Params  # noqa: F401  (Alembic's import path)


class AlterDDL(sa_schema.ExecutableDDLElement):
    """A DDL statement whose text is produced by ``render(compiler)`` at compile time
    (for dialect statements that have no element of their own in :mod:`.base`)."""

    inherit_cache = False

    def __init__(self, render: Callable[[Any], str]) -> None:
        self.render = render


@compiles(AlterDDL)
def _compile_alter_ddl(element: AlterDDL, compiler: Any, **kw: Any) -> str:
    return element.render(compiler)


class _literal_bindparam(BindParameter):
    """A bound value that is always rendered inline (``op.inline_literal``)."""

    inherit_cache = True


@compiles(_literal_bindparam)
def _render_literal_bindparam(element: Any, compiler: Any, **kw: Any) -> str:
    return compiler.render_literal_bindparam(element, **kw)


def inline_literal(value: Any, type_: Any = None) -> _literal_bindparam:
    """A literal value rendered inline in the SQL, online and offline."""
    return _literal_bindparam(None, value, type_=type_)


def batch_required(op: str, table_name: str, what: str) -> CommandError:
    return CommandError(
        f"{op} on table {table_name!r}: SQLite cannot {what} with ALTER TABLE; "
        f"use batch mode (op.batch_alter_table({table_name!r}))"
    )


class ComparisonResult(NamedTuple):
    """The outcome of comparing a model object with its reflected counterpart."""

    status: Literal["equal", "different", "skip"]
    message: str

    @property
    def is_equal(self) -> bool:
        return self.status == "equal"

    @property
    def is_different(self) -> bool:
        return self.status == "different"

    @property
    def is_skip(self) -> bool:
        return self.status == "skip"

    @classmethod
    def Equal(cls) -> ComparisonResult:  # noqa: N802 (Alembic's name)
        return cls("equal", "The two objects are equal")

    @classmethod
    def Different(cls, reason: str | Sequence[str]) -> ComparisonResult:  # noqa: N802
        return cls("different", ", ".join(reason) if not isinstance(reason, str) else reason)

    @classmethod
    def Skip(cls, reason: str | Sequence[str]) -> ComparisonResult:  # noqa: N802
        return cls("skip", ", ".join(reason) if not isinstance(reason, str) else reason)


#: the implementation class of each dialect name (filled by :class:`ImplMeta`)
_impls: dict[str, type[DefaultImpl]] = {}


class ImplMeta(type):
    """Registers each ``DefaultImpl`` subclass under the names in its ``__dialect__``."""

    def __init__(cls, classname: str, bases: tuple, dict_: dict[str, Any]) -> None:
        super().__init__(classname, bases, dict_)
        for name in (dict_.get("__dialect__") or "").split():
            _impls[name] = cls  # type: ignore[assignment]


def version_table_definition(name: str, schema: str | None, pk: bool) -> sa.Table:
    """``<name>(version_num VARCHAR(32) NOT NULL[, CONSTRAINT <name>_pkc PRIMARY KEY])``."""
    args: list[Any] = [sa.Column("version_num", sa.String(32), nullable=False)]
    if pk:
        args.append(sa.PrimaryKeyConstraint("version_num", name=f"{name}_pkc"))
    return sa.Table(name, sa.MetaData(), *args, schema=schema)


class DefaultImpl(metaclass=ImplMeta):
    """Emits DDL for one dialect, to a connection (online) or a buffer (offline)."""

    __dialect__: ClassVar[str] = "default"

    transactional_ddl: bool = False
    command_terminator: str = ";"
    # add_column renders a column's FOREIGN KEY inline (REFERENCES) unless told otherwise
    inline_references_default: bool = False

    @classmethod
    def get_by_dialect(cls, dialect: Any) -> type[DefaultImpl]:
        from . import mssql, mysql, oracle, postgresql, sqlite  # noqa: F401  (register them)

        return _impls.get(dialect.name, DefaultImpl)

    def __init__(
        self,
        dialect: Any,
        connection: Any,
        as_sql: bool,
        transactional_ddl: bool | None,
        output_buffer: Any,
        context_opts: dict | None = None,
    ) -> None:
        self.dialect = dialect
        self.connection = connection
        self.as_sql = as_sql
        self.output_buffer = output_buffer
        self.context_opts = dict(context_opts or {})
        # offline output renders every value inline (Alembic's literal_binds)
        self.literal_binds = bool(as_sql)
        if transactional_ddl is not None:
            self.transactional_ddl = transactional_ddl
        self.memo: dict = {}
        if self.context_opts.get("literal_binds") and not as_sql:
            raise CommandError("literal_binds=True can only be used in offline (--sql) mode")

    # -- plumbing -----------------------------------------------------------------

    @property
    def bind(self) -> Any:
        return self.connection

    @property
    def ddl_bind(self) -> Any:
        """A connection for SQLAlchemy DDL events (PostgreSQL ENUM create/drop).

        Offline this is a mock connection whose statements go to ``_exec``.
        """
        if not self.as_sql:
            return self.connection
        return MockConnection(self.dialect, lambda construct, *a, **k: self._exec(construct))

    def static_output(self, text: str) -> None:
        self.output_buffer.write(text + "\n\n")
        if hasattr(self.output_buffer, "flush"):
            self.output_buffer.flush()

    def emit_begin(self) -> None:
        self.static_output("BEGIN" + self.command_terminator)

    def emit_commit(self) -> None:
        self.static_output("COMMIT" + self.command_terminator)

    def requires_recreate_in_batch(self, batch_op: Any) -> bool:
        """Whether a batch block must use "move and copy" (only SQLite says yes)."""
        return False

    def prep_table_for_batch(self, batch_impl: Any, table: Any) -> None:
        """Hook run on the reflected table before a batch recreate."""

    def _exec(
        self,
        construct: Any,
        execution_options: dict | None = None,
        multiparams: Any = None,
        params: dict | None = None,
    ) -> Any:
        if isinstance(construct, str):
            construct = sa.text(construct)
        if self.as_sql:
            if multiparams or params:
                raise CommandError("SQL parameters are not allowed in offline (--sql) mode")
            if self.literal_binds and not isinstance(construct, sa_schema.ExecutableDDLElement):
                compiled = construct.compile(
                    dialect=self.dialect,
                    compile_kwargs={"literal_binds": True, "include_table": False},
                )
            else:
                compiled = construct.compile(dialect=self.dialect)
            text = str(compiled).replace("\t", "    ").strip()
            self.static_output(text + self.command_terminator)
            return None
        conn = self.connection
        if execution_options:
            conn = conn.execution_options(**execution_options)
        if multiparams:
            return conn.execute(construct, multiparams)
        return conn.execute(construct, params or {})

    def execute(self, sql: Any, execution_options: dict | None = None) -> Any:
        return self._exec(sql, execution_options)

    def _alter(self, render: Callable[[Any], str]) -> None:
        self._exec(AlterDDL(render))

    # -- tables -------------------------------------------------------------------

    def create_table(self, table: sa.Table, if_not_exists: bool | None = None,
                     **kw: Any) -> None:
        bind = self.ddl_bind
        table.dispatch.before_create(table, bind, checkfirst=False, _ddl_runner=self)
        self._exec(sa_schema.CreateTable(table, if_not_exists=bool(if_not_exists)))
        table.dispatch.after_create(table, bind, checkfirst=False, _ddl_runner=self)
        for index in table.indexes:
            self._exec(sa_schema.CreateIndex(index, if_not_exists=bool(if_not_exists)))
        if self.dialect.supports_comments and not self.dialect.inline_comments:
            if table.comment:
                self.create_table_comment(table)
            for column in table.columns:
                if column.comment:
                    self.create_column_comment(column)

    def drop_table(self, table: sa.Table, if_exists: bool | None = None, **kw: Any) -> None:
        bind = self.ddl_bind
        table.dispatch.before_drop(table, bind, checkfirst=False, _ddl_runner=self)
        self._exec(sa_schema.DropTable(table, if_exists=bool(if_exists)))
        table.dispatch.after_drop(table, bind, checkfirst=False, _ddl_runner=self)

    def rename_table(self, old_table_name: str, new_table_name: str,
                     schema: str | None = None) -> None:
        self._exec(base.RenameTable(old_table_name, new_table_name, schema=schema))

    def create_table_comment(self, table: sa.Table) -> None:
        if self.dialect.supports_comments:
            self._exec(sa_schema.SetTableComment(table))

    def drop_table_comment(self, table: sa.Table) -> None:
        if self.dialect.supports_comments:
            self._exec(sa_schema.DropTableComment(table))

    def create_column_comment(self, column: sa.Column) -> None:
        if self.dialect.supports_comments:
            self._exec(sa_schema.SetColumnComment(column))

    # -- columns ------------------------------------------------------------------

    def add_column(
        self,
        table_name: str,
        column: sa.Column,
        schema: str | None = None,
        if_not_exists: bool | None = None,
        inline_references: bool | None = None,
        inline_primary_key: bool | None = None,
    ) -> None:
        self._exec(base.AddColumn(table_name, column, schema=schema,
                                  if_not_exists=if_not_exists,
                                  inline_references=inline_references,
                                  inline_primary_key=inline_primary_key))

    def drop_column(self, table_name: str, column: sa.Column, schema: str | None = None,
                    if_exists: bool | None = None, **kw: Any) -> None:
        if isinstance(column, str):
            column = sa.Column(column, sa.types.NULLTYPE)
        self._exec(base.DropColumn(table_name, column, schema=schema, if_exists=if_exists))

    def alter_column(
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
        """One statement per change (nullability, default, type, comment), rename last."""
        existing = {"schema": schema, "existing_type": existing_type,
                    "existing_nullable": existing_nullable,
                    "existing_server_default": existing_server_default,
                    "existing_comment": existing_comment}
        if nullable is not None:
            self._exec(base.ColumnNullable(table_name, column_name, nullable, **existing))
        if server_default is not False:
            self._exec(self._server_default_element(
                table_name, column_name, server_default,
                dict(existing, existing_type=type_ if type_ is not None else existing_type)))
        if type_ is not None:
            self._exec(base.ColumnType(table_name, column_name, type_, **existing))
        if comment is not False:
            self._column_comment(table_name, column_name, comment, schema,
                                 type_ if type_ is not None else existing_type)
        if name is not None:
            self._exec(base.ColumnName(table_name, column_name, name, **existing))

    def _server_default_element(self, table_name: str, column_name: str, server_default: Any,
                                existing: dict[str, Any]) -> Any:
        """The element that sets ``server_default`` (a Computed / Identity has its own)."""
        for value in (server_default, existing.get("existing_server_default")):
            if isinstance(value, sa.Computed):
                return base.ComputedColumnDefault(table_name, column_name, server_default,
                                                  **existing)
        if isinstance(server_default, sa.Identity) or isinstance(
                existing.get("existing_server_default"), sa.Identity):
            return base.IdentityColumnDefault(table_name, column_name, server_default, self,
                                              **existing)
        return base.ColumnDefault(table_name, column_name, server_default, **existing)

    def _column_comment(self, table_name: str, column_name: str, comment: str | None,
                        schema: str | None, type_: Any) -> None:
        if not self.dialect.supports_comments:
            return
        col = sa.Column(column_name, type_ if type_ is not None else sa.types.NULLTYPE,
                        comment=comment)
        sa.Table(table_name, sa.MetaData(), col, schema=schema)
        self.create_column_comment(col)

    # -- indexes and constraints --------------------------------------------------

    def create_index(self, index: sa.Index, **kw: Any) -> None:
        self._exec(sa_schema.CreateIndex(index, if_not_exists=bool(kw.get("if_not_exists"))))

    def drop_index(self, index: sa.Index, **kw: Any) -> None:
        self._exec(sa_schema.DropIndex(index, if_exists=bool(kw.get("if_exists"))))

    def add_constraint(self, const: Any, **kw: Any) -> None:
        if const._create_rule is None or const._create_rule(self):
            self._exec(sa_schema.AddConstraint(const))

    def drop_constraint(self, const: Any, if_exists: bool | None = None, **kw: Any) -> None:
        if if_exists:
            self._exec(sa_schema.DropConstraint(const, if_exists=True))
        else:
            self._exec(sa_schema.DropConstraint(const))

    # -- data ---------------------------------------------------------------------

    def bulk_insert(self, table: Any, rows: list, multiinsert: bool = True, **kw: Any) -> None:
        if not isinstance(rows, list):
            raise CommandError(f"bulk_insert into {getattr(table, 'name', table)!r}: "
                               "rows must be a list of dictionaries")
        if rows and not isinstance(rows[0], dict):
            raise CommandError(f"bulk_insert into {getattr(table, 'name', table)!r}: "
                               "rows must be a list of dictionaries")
        if self.as_sql:
            for row in rows:
                values = {
                    k: v if isinstance(v, _literal_bindparam)
                    else _literal_bindparam(k, v, type_=table.c[k].type)
                    for k, v in row.items()
                }
                self._exec(table.insert().inline().values(**values))
        elif rows:
            if multiinsert:
                self._exec(table.insert().inline(), multiparams=rows)
            else:
                for row in rows:
                    self._exec(table.insert().inline().values(**row))

    # -- hooks a dialect implementation may override ---------------------------------

    def start_migrations(self) -> None:
        """Called when a run of migrations starts (clears ``memo``)."""
        self.memo = {}

    def version_table_impl(self, *, version_table: str, version_table_schema: str | None,
                           version_table_pk: bool, **kw: Any) -> sa.Table:
        """The version table's ``Table``: ``version_num VARCHAR(32) NOT NULL`` and, with
        ``version_table_pk``, a primary key named ``<table>_pkc``."""
        return version_table_definition(version_table, version_table_schema, version_table_pk)

    def render_type(self, type_obj: Any, autogen_context: Any) -> str | bool:
        """Autogenerate source text for ``type_obj``, or False for the default rendering."""
        return False

    def adjust_reflected_dialect_options(self, reflected_object: dict[str, Any],
                                         kind: str) -> dict[str, Any]:
        """The dialect keyword arguments to rebuild a reflected object with."""
        return dict(reflected_object.get("dialect_options", {}))

    # -- autogenerate comparisons (a dialect or a plugin may override them) ----------

    def compare_type(self, inspector_column: sa.Column, metadata_column: sa.Column) -> bool:
        """Whether the reflected column's type differs from the model's."""
        from .compare_types import types_differ

        return types_differ(self.dialect, inspector_column, metadata_column)

    def compare_server_default(self, inspector_column: sa.Column, metadata_column: sa.Column,
                               rendered_metadata_default: str | None,
                               rendered_inspector_default: str | None) -> bool:
        """Whether the reflected server default differs from the model's."""
        from .compare_types import defaults_differ

        return defaults_differ(self.dialect, inspector_column, metadata_column,
                               rendered_metadata_default, rendered_inspector_default)

    def render_ddl_sql_expr(self, expr: ClauseElement, is_server_default: bool = False,
                            **kw: Any) -> str:
        compile_kw = {"literal_binds": True, "include_table": False}
        return str(expr.compile(dialect=self.dialect, compile_kwargs=compile_kw))


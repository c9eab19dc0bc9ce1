"""Build throw-away SQLAlchemy schema objects (Table, Index, constraints) for op directives.

Each directive names tables and columns by string; the DDL compiler needs real
objects, so these helpers make minimal ones in a fresh MetaData (Alembic's
``SchemaObjects``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema
from sqlalchemy.sql import visitors
from sqlalchemy.types import NULLTYPE

from ..errors import CommandError


class SchemaObjects:
    def __init__(self, migration_context: Any = None) -> None:
        self.migration_context = migration_context

    def metadata(self) -> sa.MetaData:
        kw = {}
        opts = getattr(self.migration_context, "opts", None) or {}
        md = opts.get("target_metadata")
        if isinstance(md, sa.MetaData) and md.naming_convention:
            kw["naming_convention"] = md.naming_convention
        return sa.MetaData(**kw)

    def _table_with(self, md: sa.MetaData, name: str, schema: str | None,
                    cols: Sequence[str]) -> sa.Table:
        key = f"{schema}.{name}" if schema else name
        if key in md.tables:
            t = md.tables[key]
        else:
            t = sa.Table(name, md, schema=schema)
        for c in cols:
            if c not in t.c:
                t.append_column(sa.Column(c, NULLTYPE))
        return t

    def primary_key_constraint(self, name: str | None, table_name: str,
                               cols: Sequence[str], schema: str | None = None,
                               **dialect_kw: Any) -> sa.PrimaryKeyConstraint:
        t = self._table_with(self.metadata(), table_name, schema, cols)
        pk = sa.PrimaryKeyConstraint(*[t.c[c] for c in cols], name=name, **dialect_kw)
        t.append_constraint(pk)
        return pk

    def foreign_key_constraint(
        self, name: str | None, source: str, referent: str, local_cols: Sequence[str],
        remote_cols: Sequence[str], onupdate: str | None = None,
        ondelete: str | None = None, deferrable: bool | None = None,
        source_schema: str | None = None, referent_schema: str | None = None,
        initially: str | None = None, match: str | None = None, **dialect_kw: Any,
    ) -> sa.ForeignKeyConstraint:
        md = self.metadata()
        self._table_with(md, referent, referent_schema, remote_cols)
        t = self._table_with(md, source, source_schema, local_cols)
        ref = f"{referent_schema}.{referent}" if referent_schema else referent
        fk = sa.ForeignKeyConstraint(
            list(local_cols), [f"{ref}.{c}" for c in remote_cols], name=name,
            onupdate=onupdate, ondelete=ondelete, deferrable=deferrable,
            initially=initially, match=match, **dialect_kw,
        )
        t.append_constraint(fk)
        return fk

    def unique_constraint(self, name: str | None, source: str, local_cols: Sequence[str],
                          schema: str | None = None, **kw: Any) -> sa.UniqueConstraint:
        t = self._table_with(self.metadata(), source, schema, local_cols)
        uq = sa.UniqueConstraint(*[t.c[c] for c in local_cols], name=name, **kw)
        t.append_constraint(uq)
        return uq

    def check_constraint(self, name: str | None, source: str, condition: Any,
                         schema: str | None = None, **kw: Any) -> sa.CheckConstraint:
        t = sa.Table(source, self.metadata(), sa.Column("x", sa.Integer), schema=schema)
        ck = sa.CheckConstraint(condition, name=name, **kw)
        t.append_constraint(ck)
        return ck

    def generic_constraint(self, name: str | None, table_name: str, type_: str | None,
                           schema: str | None = None, **kw: Any) -> Any:
        t = sa.Table(table_name, self.metadata(), schema=schema)
        types = {
            "foreignkey": lambda name: sa.ForeignKeyConstraint([], [], name=name),
            "primary": sa.PrimaryKeyConstraint,
            "unique": sa.UniqueConstraint,
            "check": lambda name: sa.CheckConstraint("", name=name),
            None: sa_schema.Constraint,
        }
        try:
            const = types[type_]
        except KeyError as err:
            raise CommandError(
                f"drop_constraint {name!r} on table {table_name!r}: type_ must be one of "
                f"'foreignkey', 'primary', 'unique', 'check' (got {type_!r})"
            ) from err
        c = const(name=name)
        t.append_constraint(c)
        return c

    def table(self, name: str, *columns: Any, **kw: Any) -> sa.Table:
        md = self.metadata()
        constraints_included = kw.pop("_constraints_included", False)
        cols = []
        for c in columns:
            if not isinstance(c, sa.Column):
                continue
            if c.table is not None:
                c = c._copy()
                if constraints_included:
                    c.unique = None
                    c.index = None
            cols.append(c)
        items = [c for c in columns if isinstance(c, (sa_schema.Constraint, sa.Index))]
        fresh = [c for c in items if not _is_bound(c)]
        attached = [c for c in items if _is_bound(c)]
        t = sa.Table(name, md, *cols, *fresh, **kw)
        for const in attached:
            if isinstance(const, sa.Index):
                exprs = [_rebind(e, t) for e in const.expressions]
                sa.Index(const.name, *exprs, unique=const.unique, _table=t, **const.kwargs)
                continue
            if isinstance(const, sa.PrimaryKeyConstraint):
                if t.primary_key.columns and not const.name:
                    continue
            copied = const._copy(target_table=t)
            if isinstance(copied, sa.ForeignKeyConstraint) and self._duplicate_fk(t, copied):
                continue
            t.append_constraint(copied)
        for fk in list(t.foreign_keys):
            self._ensure_table_for_fk(md, fk)
        return t

    @staticmethod
    def _duplicate_fk(t: sa.Table, const: sa.ForeignKeyConstraint) -> bool:
        spec = [e._get_colspec() for e in const.elements]
        for existing in t.foreign_key_constraints:
            if [e._get_colspec() for e in existing.elements] == spec and \
                    list(existing.column_keys) == list(const.column_keys):
                return True
        return False

    def _ensure_table_for_fk(self, md: sa.MetaData, fk: sa.ForeignKey) -> None:
        """Make a stub referred table so the FK resolves when compiled."""
        colspec = fk._get_colspec()
        if not isinstance(colspec, str):
            return
        parts = colspec.split(".")
        if len(parts) < 2:
            return
        tname, cname = parts[-2], parts[-1]
        schema = ".".join(parts[:-2]) or None
        self._table_with(md, tname, schema, [cname])

    def column(self, name: str, type_: Any, **kw: Any) -> sa.Column:
        return sa.Column(name, type_, **kw)

    def index(self, name: str | None, tablename: str | None, columns: Sequence[Any],
              schema: str | None = None, **kw: Any) -> sa.Index:
        t = sa.Table(tablename or "no_table", self.metadata(), schema=schema)
        exprs = []
        for col in columns:
            if isinstance(col, str):
                if col not in t.c:
                    t.append_column(sa.Column(col, NULLTYPE))
                exprs.append(t.c[col])
            elif isinstance(col, sa.Column):
                if col.name not in t.c:
                    t.append_column(sa.Column(col.name, NULLTYPE))
                exprs.append(t.c[col.name])
            else:
                exprs.append(_rebind(col, t))
        idx = sa.Index(name, *exprs, _table=t, **kw)
        return idx


def _is_bound(item: Any) -> bool:
    if isinstance(item, sa.Index):
        return item.table is not None
    return getattr(item, "parent", None) is not None


def _rebind(expr: Any, table: sa.Table) -> Any:
    """``expr`` with its columns of other tables (e.g. ``func.lower(user_table.c.name)``
    of an expression index) replaced by same-named columns of ``table``, added if
    missing; an Index may only refer to the columns of its own table."""

    def replace(elem: Any) -> Any:
        if isinstance(elem, sa.Column) and elem.table is not table:
            if elem.name not in table.c:
                table.append_column(sa.Column(elem.name, elem.type))
            return table.c[elem.name]
        return None

    if isinstance(expr, sa.Column):
        return expr if expr.table is table else replace(expr)
    return visitors.replacement_traverse(expr, {}, replace)

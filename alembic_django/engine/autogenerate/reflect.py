"""Bulk reflection of the live database for autogenerate.

One call of each of SQLAlchemy's ``Inspector.get_multi_*`` methods per schema
reflects every table at once (a handful of queries for hundreds of tables).
The raw dictionaries are kept for comparison (they carry the dialect hints such
as ``duplicates_constraint``), and ``Table`` objects are built from them for the
op tree (dropped tables, reflected columns).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema

TableKey = tuple[str | None, str]

_NEXTVAL = re.compile(r"nextval\('(.+?)'(::regclass)?\)")


@dataclass
class ReflectedTable:
    """Everything reflected about one table, raw and as a ``Table``."""

    schema: str | None
    name: str
    columns: list[dict]
    pk: dict
    foreign_keys: list[dict]
    indexes: list[dict]
    uniques: list[dict]
    comment: str | None
    checks: list[dict] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    #: indexes the dialect cannot reflect (SQLite expression indexes): names only
    opaque_indexes: set = field(default_factory=set)
    table: sa.Table | None = None


def _multi(insp: Any, method: str, schema: str | None, names: list[str] | None) -> dict:
    fn = getattr(insp, method)
    try:
        with warnings.catch_warnings():
            # SQLite: "Skipped unsupported reflection of expression-based index"; those
            # are found by name in sqlite_master instead (see _sqlite_opaque_indexes)
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
            return fn(schema=schema, filter_names=names)
    except NotImplementedError:
        return {}


def reflect_schema(insp: Any, dialect: Any, schema: str | None,
                   names: list[str], all_names: list[str]) -> dict[TableKey, ReflectedTable]:
    """Reflect ``names`` (tables of ``schema``) with one query per kind of object.

    ``all_names`` is every table of the schema: when nothing was filtered out the
    queries run without an ``IN (...)`` list.
    """
    if not names:
        return {}
    filt: list[str] | None = None if len(names) == len(all_names) else list(names)
    columns = _multi(insp, "get_multi_columns", schema, filt)
    pks = _multi(insp, "get_multi_pk_constraint", schema, filt)
    fks = _multi(insp, "get_multi_foreign_keys", schema, filt)
    indexes = _multi(insp, "get_multi_indexes", schema, filt)
    uniques = _multi(insp, "get_multi_unique_constraints", schema, filt)
    comments = (
        _multi(insp, "get_multi_table_comment", schema, filt)
        if getattr(dialect, "supports_comments", False) else {}
    )
    checks = _multi(insp, "get_multi_check_constraints", schema, filt)
    options = (
        _multi(insp, "get_multi_table_options", schema, filt)
        if dialect.name in ("mysql", "mariadb") else {}
    )
    opaque = _sqlite_opaque_indexes(insp, schema) if dialect.name == "sqlite" else {}
    wanted = set(names)
    out: dict[TableKey, ReflectedTable] = {}
    for (s, tname), cols in columns.items():
        if tname not in wanted:
            continue
        key = (s, tname)
        comment = (comments.get(key) or {}).get("text")
        cols = [_fix_column(dialect, dict(c)) for c in cols]
        out[(schema, tname)] = ReflectedTable(
            schema=schema,
            name=tname,
            columns=cols,
            pk=pks.get(key) or {"constrained_columns": [], "name": None},
            foreign_keys=list(fks.get(key) or ()),
            indexes=list(indexes.get(key) or ()),
            uniques=list(uniques.get(key) or ()),
            comment=comment,
            checks=list(checks.get(key) or ()),
            options=dict(options.get(key) or {}),
        )
        reflected = {ix["name"] for ix in out[(schema, tname)].indexes}
        out[(schema, tname)].opaque_indexes = opaque.get(tname, set()) - reflected
    return out


def _sqlite_opaque_indexes(insp: Any, schema: str | None) -> dict[str, set]:
    """Every explicitly created index of each table, by name (one query)."""
    master = f'"{schema}".sqlite_master' if schema else "sqlite_master"
    sql = f"SELECT tbl_name, name FROM {master} WHERE type = 'index' AND sql IS NOT NULL"
    bind = insp.bind
    if hasattr(bind, "exec_driver_sql"):
        rows = bind.exec_driver_sql(sql).all()
    else:  # an Engine
        with bind.connect() as conn:
            rows = conn.exec_driver_sql(sql).all()
    found: dict[str, set] = {}
    for tname, name in rows:
        found.setdefault(tname, set()).add(name)
    return found


def _fix_column(dialect: Any, col: dict) -> dict:
    """Dialect quirks of reflected columns (Alembic's ``autogen_column_reflect``)."""
    default = col.get("default")
    if (
        dialect.name == "postgresql"
        and isinstance(default, str)
        and col.get("autoincrement")
        and _NEXTVAL.match(default)
        and isinstance(col["type"], sa.Integer)
    ):
        # a SERIAL column: the sequence default is implied by the type
        col["default"] = None
    return col


def build_table(md: sa.MetaData, rt: ReflectedTable) -> sa.Table:
    """A ``Table`` equivalent to the reflected one (columns, PK, FKs, indexes, uniques)."""
    if rt.table is not None:
        return rt.table
    pk_cols = list(rt.pk.get("constrained_columns") or ())
    args: list[Any] = [_build_column(c) for c in rt.columns]
    if pk_cols:
        args.append(sa.PrimaryKeyConstraint(*pk_cols, name=rt.pk.get("name")))
    for fk in rt.foreign_keys:
        if not fk.get("referred_table"):
            continue
        prefix = fk["referred_table"]
        if fk.get("referred_schema"):
            prefix = f"{fk['referred_schema']}.{prefix}"
        opts = {k: v for k, v in (fk.get("options") or {}).items()
                if k in ("onupdate", "ondelete", "deferrable", "initially", "match")}
        args.append(sa.ForeignKeyConstraint(
            fk["constrained_columns"],
            [f"{prefix}.{c}" for c in fk["referred_columns"]],
            name=fk.get("name"), link_to_name=True, **opts,
        ))
    for uq in rt.uniques:
        if uq.get("duplicates_index"):
            continue  # reflected as a unique index too (MySQL): keep the index
        args.append(sa.UniqueConstraint(*uq["column_names"], name=uq.get("name")))
    for ck in rt.checks:
        if ck.get("sqltext"):
            args.append(sa.CheckConstraint(sa.text(ck["sqltext"]), name=ck.get("name")))
    kw: dict[str, Any] = {}
    if rt.comment:
        kw["comment"] = rt.comment
    kw.update({k: v for k, v in rt.options.items() if k != "mysql_comment"})  # = comment
    table = sa.Table(rt.name, md, *args, schema=rt.schema, **kw)
    for ix in rt.indexes:
        if ix.get("duplicates_constraint"):
            continue
        exprs = _index_elements(ix, table)
        if exprs is None:
            continue
        dialect_kw = {k: v for k, v in (ix.get("dialect_options") or {}).items()
                      if v not in (None, [], (), False)}
        sa.Index(ix["name"], *exprs, unique=bool(ix.get("unique")), _table=table, **dialect_kw)
    rt.table = table
    return table


def _index_elements(ix: dict, table: sa.Table) -> list[Any] | None:
    names = list(ix.get("column_names") or ())
    exprs = list(ix.get("expressions") or ())
    out: list[Any] = []
    for i, name in enumerate(names):
        if name is not None and name in table.c:
            out.append(table.c[name])
        elif i < len(exprs) and exprs[i]:
            out.append(sa.text(exprs[i]))
        else:
            return None
    return out


def _build_column(col: dict) -> sa.Column:
    kw = {k: col[k] for k in ("nullable", "autoincrement", "comment") if k in col}
    kw.update(col.get("dialect_options") or {})
    args: list[Any] = []
    default = col.get("default")
    if default is not None:
        if isinstance(default, sa_schema.FetchedValue):
            args.append(default)
        else:
            text = default if isinstance(default, sa.TextClause) else sa.text(str(default))
            args.append(sa_schema.DefaultClause(text, _reflected=True))
    if col.get("computed"):
        args.append(sa.Computed(**col["computed"]))
    if col.get("identity"):
        args.append(sa.Identity(**col["identity"]))
    return sa.Column(col["name"], col["type"], *args, **kw)


class _InspectorConv:
    """An ``Inspector`` whose reflected constraint and index names come back wrapped in
    ``conv()``, so that a naming convention is not applied to them a second time
    (Alembic's class of that name).  ``pre_cache_tables`` reflects many tables with
    one query per kind of object, as :func:`reflect_schema` does."""

    __slots__ = ("inspector",)

    _KINDS = {"get_indexes": "indexes", "get_unique_constraints": "uniques",
              "get_foreign_keys": "foreign_keys", "get_check_constraints": "checks"}

    def __init__(self, inspector: Any) -> None:
        self.inspector = inspector

    def pre_cache_tables(self, schema: str | None, tablenames: list[str],
                         all_available_tablenames: list[str]) -> None:
        cache = self.inspector.info_cache.setdefault("_alembic_django_reflected", {})
        todo = [t for t in tablenames if (schema, t) not in cache]
        if todo:
            cache.update(reflect_schema(self.inspector, self.inspector.dialect, schema, todo,
                                        list(all_available_tablenames)))

    def _get(self, method: str, tname: str, schema: str | None) -> list[dict]:
        cached = self.inspector.info_cache.get("_alembic_django_reflected", {}).get(
            (schema, tname))
        if cached is not None:
            items = getattr(cached, self._KINDS[method])
        else:
            items = getattr(self.inspector, method)(tname, schema=schema)
        return [self._conv(item) for item in items]

    @staticmethod
    def _conv(item: dict) -> dict:
        item = dict(item)
        if item.get("name") is not None:
            item["name"] = sa.sql.elements.conv(item["name"])
        return item

    def get_indexes(self, tname: str, schema: str | None = None) -> list[dict]:
        return self._get("get_indexes", tname, schema)

    def get_unique_constraints(self, tname: str, schema: str | None = None) -> list[dict]:
        return self._get("get_unique_constraints", tname, schema)

    def get_foreign_keys(self, tname: str, schema: str | None = None) -> list[dict]:
        return self._get("get_foreign_keys", tname, schema)

    def get_check_constraints(self, tname: str, schema: str | None = None) -> list[dict]:
        return self._get("get_check_constraints", tname, schema)

    def reflect_table(self, table: sa.Table, include_columns: Any = None) -> None:
        """Reflect into ``table``, then mark its constraint and index names final."""
        self.inspector.reflect_table(table, include_columns=include_columns)
        for obj in [*table.constraints, *table.indexes]:
            if isinstance(obj.name, str) and not isinstance(obj.name, sa.sql.elements.conv):
                obj.name = sa.sql.elements.conv(obj.name)

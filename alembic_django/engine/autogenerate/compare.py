"""Compare target metadata with the live database and build the op tree.

The database is reflected in bulk (:mod:`.reflect`): one ``Inspector.get_multi_*``
call per kind of object and per schema, however many tables there are.  Tables are
then compared one by one in memory: columns here, indexes / unique constraints /
foreign keys in :mod:`.compare_constraints`.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from ..operations import ops
from . import compare_constraints as cc
from . import compare_types as ct
from .context import AutogenContext
from .reflect import ReflectedTable, TableKey, build_table, reflect_schema

log = logging.getLogger("alembic_django.autogenerate.compare")

_SYSTEM_SCHEMAS = {"information_schema", "performance_schema", "mysql", "sys"}


class Comparators:
    """Alembic's ``comparators`` dispatcher for custom comparisons::

        @comparators.dispatch_for("schema")   # fn(autogen_context, upgrade_ops, schemas)
        @comparators.dispatch_for("table")    # fn(autogen_context, modify_table_ops,
                                              #    schema, tname, conn_table, metadata_table)
        @comparators.dispatch_for("column")   # fn(autogen_context, alter_column_op, schema,
                                              #    tname, cname, conn_col, metadata_col)

    They run after the built-in comparisons of the same level.
    """

    def __init__(self) -> None:
        self._fns: dict[str, list[Callable[..., Any]]] = {"schema": [], "table": [],
                                                          "column": []}

    def dispatch_for(self, target: str, qualifier: str = "default") -> Callable:
        if target not in self._fns:
            raise ValueError(f"unknown comparison target {target!r}")

        def register(fn: Callable) -> Callable:
            self._fns[target].append(fn)
            return fn

        return register

    def run(self, target: str, *args: Any) -> None:
        for fn in self._fns[target]:
            fn(*args)


comparators = Comparators()


def produce_net_changes(actx: AutogenContext, upgrade_ops: Any) -> None:
    """Append to ``upgrade_ops`` the ops that bring the database to the metadata."""
    insp = actx.inspector
    dialect = actx.dialect
    default_schema = insp.default_schema_name

    def norm(schema: str | None) -> str | None:
        return None if schema == default_schema else schema

    schemas = _schemas(actx, insp, default_schema)
    version_table = actx.opts.get("version_table") or "alembic_version"
    version_key = (norm(actx.opts.get("version_table_schema")), version_table)

    conn: dict[TableKey, ReflectedTable] = {}
    for schema in sorted(schemas, key=lambda s: s or ""):
        all_names = insp.get_table_names(schema=schema)
        names = [
            t for t in all_names
            if (schema, t) != version_key
            and actx.run_name_filters(t, "table", {"schema_name": schema})
        ]
        conn.update(reflect_schema(insp, dialect, schema, names, all_names))

    meta_tables: dict[TableKey, sa.Table] = {}
    for key, table in actx.table_key_to_table.items():
        nkey = (norm(key[0]), key[1])
        if nkey != version_key:
            meta_tables[nkey] = table
    meta_order = [
        (norm(t.schema), t.name) for t in actx.sorted_tables
        if (norm(t.schema), t.name) in meta_tables
    ]
    ctxt = _Compare(actx, norm)

    # 0. custom schema-level comparators (Alembic runs them before the tables)
    comparators.run("schema", actx, upgrade_ops, sorted(schemas, key=lambda s: s or ""))

    # 1. tables in the metadata only: CREATE TABLE, then their indexes
    for key in meta_order:
        if key in conn:
            continue
        table = meta_tables[key]
        if not actx.run_object_filters(table, table.name, "table", False, None):
            continue
        upgrade_ops.ops.append(ops.CreateTableOp.from_table(table))
        mto = ops.ModifyTableOps(table.name, [], schema=table.schema)
        cc.compare_indexes_and_uniques(ctxt, mto, table.schema, table.name, None, None, table)
        comparators.run("table", actx, mto, table.schema, table.name, None, table)
        if not mto.is_empty():
            upgrade_ops.ops.append(mto)

    # 2. tables in the database only: their indexes, then DROP TABLE
    removal_md = sa.MetaData()
    removed = [key for key in conn if key not in meta_tables]
    removed_tables = {key: build_table(removal_md, conn[key]) for key in removed}
    for table in _drop_order([removed_tables[k] for k in sorted(removed, key=_sort_key)]):
        key = (table.schema, table.name)
        if not actx.run_object_filters(table, table.name, "table", True, None):
            continue
        mto = ops.ModifyTableOps(table.name, [], schema=table.schema)
        cc.compare_indexes_and_uniques(ctxt, mto, table.schema, table.name, conn[key],
                                       lambda t=table: t, None)
        comparators.run("table", actx, mto, table.schema, table.name, table, None)
        if not mto.is_empty():
            upgrade_ops.ops.append(mto)
        upgrade_ops.ops.append(ops.DropTableOp.from_table(table))

    # 3. tables on both sides
    existing_md = sa.MetaData()
    for key in sorted((k for k in meta_tables if k in conn), key=_sort_key):
        meta_table = meta_tables[key]
        rt = conn[key]

        def get_table(rt: ReflectedTable = rt) -> sa.Table:
            return build_table(existing_md, rt)

        if actx._object_filters and not actx.run_object_filters(
                meta_table, meta_table.name, "table", False, get_table()):
            continue
        mto = ops.ModifyTableOps(meta_table.name, [], schema=meta_table.schema)
        compare_table(ctxt, mto, meta_table.schema, meta_table.name, rt, get_table, meta_table)
        if not mto.is_empty():
            upgrade_ops.ops.append(mto)


def _sort_key(key: TableKey) -> tuple[str, str]:
    return (key[0] or "", key[1])


def _schemas(actx: AutogenContext, insp: Any, default_schema: str | None) -> set[str | None]:
    if actx.opts.get("include_schemas"):
        found: set[str | None] = set(insp.get_schema_names())
        found -= _SYSTEM_SCHEMAS
        found.discard(default_schema)
        found.add(None)
    else:
        found = {None}
    return {s for s in found if actx.run_name_filters(s, "schema", {})}


def _drop_order(tables: list[sa.Table]) -> list[sa.Table]:
    """Dependent tables first, so that each DROP TABLE succeeds."""
    if len(tables) < 2:
        return tables
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ordered = sa.schema.sort_tables(tables)
    return list(reversed(ordered))


class _Compare:
    """Per-run state shared by the comparison functions."""

    def __init__(self, actx: AutogenContext, norm: Any) -> None:
        self.actx = actx
        self.dialect = actx.dialect
        self.norm_schema = norm
        self.supports_comments = bool(getattr(actx.dialect, "supports_comments", False))

    def parents(self, schema: str | None, tname: str) -> dict[str, Any]:
        return {"table_name": tname, "schema_name": schema}


def compare_table(ctxt: _Compare, mto: Any, schema: str | None, tname: str,
                  rt: ReflectedTable, get_table: Callable[[], sa.Table],
                  meta_table: sa.Table) -> None:
    """Compare one table; ``get_table`` builds the reflected ``Table``, which is only
    needed when an op must carry one of its objects (a dropped column, index, key)."""
    _compare_columns(ctxt, mto, schema, tname, rt, get_table, meta_table)
    cc.compare_indexes_and_uniques(ctxt, mto, schema, tname, rt, get_table, meta_table)
    cc.compare_foreign_keys(ctxt, mto, schema, tname, rt, get_table, meta_table)
    _compare_table_comment(ctxt, mto, schema, tname, rt.comment, meta_table)
    if comparators._fns["table"]:
        comparators.run("table", ctxt.actx, mto, schema, tname, get_table(), meta_table)


class ConnColumn:
    """What the comparison needs of a reflected column, without building a ``Column``."""

    __slots__ = ("name", "type", "nullable", "comment", "autoincrement", "primary_key",
                 "identity", "server_default")

    def __init__(self, col: dict, pk_cols: Any) -> None:
        self.name = col["name"]
        self.type = col["type"]
        self.nullable = col.get("nullable", True)
        self.comment = col.get("comment")
        self.autoincrement = col.get("autoincrement", "auto")
        self.primary_key = self.name in pk_cols
        self.identity = sa.Identity(**col["identity"]) if col.get("identity") else None
        default = col.get("default")
        if col.get("computed"):
            self.server_default: Any = sa.Computed(**col["computed"])
        elif self.identity is not None:
            self.server_default = self.identity
        elif default is None:
            self.server_default = None
        elif isinstance(default, sa.schema.FetchedValue):
            self.server_default = default
        else:
            text = default if isinstance(default, sa.TextClause) else sa.text(str(default))
            self.server_default = sa.schema.DefaultClause(text, _reflected=True)


def _compare_columns(ctxt: _Compare, mto: Any, schema: str | None, tname: str,
                     rt: ReflectedTable, get_table: Callable[[], sa.Table],
                     meta_table: sa.Table) -> None:
    actx = ctxt.actx
    parents = ctxt.parents(schema, tname)
    meta_cols = {c.name: c for c in meta_table.c if not getattr(c, "system", False)}
    names = [c["name"] for c in rt.columns
             if actx.run_name_filters(c["name"], "column", parents)]
    if actx._object_filters or callable(actx.opts.get("compare_type")) or \
            callable(actx.opts.get("compare_server_default")) or comparators._fns["column"]:
        # hooks are given real Column objects
        table = get_table()
        conn_cols: dict[str, Any] = {n: table.c[n] for n in names}
    else:
        pk = set(rt.pk.get("constrained_columns") or ())
        by_name = {c["name"]: c for c in rt.columns}
        conn_cols = {n: ConnColumn(by_name[n], pk) for n in names}
    for cname, col in meta_cols.items():
        if cname in conn_cols:
            continue
        if actx.run_object_filters(col, cname, "column", False, None):
            mto.ops.append(ops.AddColumnOp.from_column_and_tablename(schema, tname, col))
    for cname, meta_col in meta_cols.items():
        conn_col = conn_cols.get(cname)
        if conn_col is None:
            continue
        if not actx.run_object_filters(meta_col, cname, "column", False, conn_col):
            continue
        aco = ops.AlterColumnOp(tname, cname, schema=schema)
        compare_column(ctxt, aco, tname, cname, conn_col, meta_col)
        comparators.run("column", actx, aco, schema, tname, cname, conn_col, meta_col)
        if aco.has_changes():
            mto.ops.append(aco)
    for cname, conn_col in conn_cols.items():
        if cname in meta_cols:
            continue
        if actx.run_object_filters(conn_col, cname, "column", True, None):
            column = get_table().c[cname]
            mto.ops.append(ops.DropColumnOp.from_column_and_tablename(schema, tname, column))


def compare_column(ctxt: _Compare, aco: Any, tname: str, cname: str,
                   conn_col: sa.Column, meta_col: sa.Column) -> None:
    _compare_type(ctxt, aco, tname, cname, conn_col, meta_col)
    _compare_nullable(aco, conn_col, meta_col)
    identity_handled = _compare_identity(aco, conn_col, meta_col)
    if not identity_handled:
        _compare_server_default(ctxt, aco, tname, cname, conn_col, meta_col)
    _compare_comment(ctxt, aco, conn_col, meta_col)
    _setup_autoincrement(aco, meta_col)


def _compare_type(ctxt: _Compare, aco: Any, tname: str, cname: str,
                  conn_col: sa.Column, meta_col: sa.Column) -> None:
    aco.existing_type = conn_col.type
    setting = ctxt.actx.opts.get("compare_type", True)
    if setting is False:
        return
    if conn_col.type._type_affinity is sa.types.NullType:
        log.info("Couldn't determine database type for column '%s.%s'", tname, cname)
        return
    if meta_col.type._type_affinity is sa.types.NullType:
        log.info("Column '%s.%s' has no type within the model; can't compare", tname, cname)
        return
    differs: bool | None = None
    if callable(setting):
        differs = setting(ctxt.actx.migration_context, conn_col, meta_col,
                          conn_col.type, meta_col.type)
    if differs is None:
        differs = ct.types_differ(ctxt.dialect, conn_col, meta_col)
    if differs:
        aco.modify_type = meta_col.type


def _compare_nullable(aco: Any, conn_col: sa.Column, meta_col: sa.Column) -> None:
    aco.existing_nullable = conn_col.nullable
    if conn_col.nullable is meta_col.nullable:
        return
    if meta_col.identity is not None or conn_col.identity is not None:
        return  # identity columns are NOT NULL whatever the model says
    if isinstance(meta_col.server_default, sa.Computed):
        return
    aco.modify_nullable = meta_col.nullable


def _compare_identity(aco: Any, conn_col: sa.Column, meta_col: sa.Column) -> bool:
    meta_id, conn_id = meta_col.identity, conn_col.identity
    if meta_id is None and conn_id is None:
        return False
    if ct.identity_differs(meta_id, conn_id):
        aco.existing_server_default = conn_id
        aco.modify_server_default = meta_id
    return True


def _compare_server_default(ctxt: _Compare, aco: Any, tname: str, cname: str,
                            conn_col: sa.Column, meta_col: sa.Column) -> None:
    meta_default = meta_col.server_default
    conn_default = conn_col.server_default
    if meta_default is None and conn_default is None:
        return
    if isinstance(meta_default, sa.Computed) or isinstance(conn_default, sa.Computed):
        return  # computed columns are not altered (Alembic warns only)
    if conn_default is not None:
        aco.existing_server_default = conn_default
    setting = ctxt.actx.opts.get("compare_server_default", False)
    if setting is False:
        return
    rendered_meta = ct.render_metadata_default(ctxt.dialect, meta_col)
    rendered_conn = ct.render_reflected_default(conn_col)
    differs: bool | None = None
    if callable(setting):
        differs = setting(ctxt.actx.migration_context, conn_col, meta_col, rendered_meta,
                          meta_default, rendered_conn)
    if differs is None:
        differs = ct.defaults_differ(ctxt.dialect, conn_col, meta_col, rendered_meta,
                                     rendered_conn)
    if differs:
        aco.modify_server_default = meta_default


def _compare_comment(ctxt: _Compare, aco: Any, conn_col: sa.Column,
                     meta_col: sa.Column) -> None:
    if not ctxt.supports_comments:
        return
    if conn_col.comment is None and meta_col.comment is None:
        return
    aco.existing_comment = conn_col.comment
    if (conn_col.comment or None) != (meta_col.comment or None):
        aco.modify_comment = meta_col.comment


def _setup_autoincrement(aco: Any, meta_col: sa.Column) -> None:
    table = meta_col.table
    if table is not None and table._autoincrement_column is meta_col:
        aco.kw["autoincrement"] = True
    elif meta_col.autoincrement is True:
        aco.kw["autoincrement"] = True
    elif meta_col.autoincrement is False:
        aco.kw["autoincrement"] = False


def _compare_table_comment(ctxt: _Compare, mto: Any, schema: str | None, tname: str,
                           conn_comment: str | None, meta_table: sa.Table) -> None:
    if not ctxt.supports_comments:
        return
    conn_comment = conn_comment or None
    meta_comment = meta_table.comment or None
    if conn_comment is None and meta_comment is None:
        return
    if meta_comment is None:
        mto.ops.append(ops.DropTableCommentOp(tname, existing_comment=conn_comment,
                                              schema=schema))
    elif meta_comment != conn_comment:
        mto.ops.append(ops.CreateTableCommentOp(tname, meta_comment,
                                                existing_comment=conn_comment, schema=schema))

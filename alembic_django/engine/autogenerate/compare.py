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

from ..ddl import compare_types as ct
from ..errors import CommandError
from ..operations import ops
from ..util.langhelpers import PriorityDispatcher
from . import compare_constraints as cc
from .context import AutogenContext
from .reflect import ReflectedTable, TableKey, build_table, reflect_schema

log = logging.getLogger("alembic_django.autogenerate.compare")

_SYSTEM_SCHEMAS = {"information_schema", "performance_schema", "mysql", "sys"}


#: third-party comparators (``@comparators.dispatch_for("table")``): empty in the
#: engine itself; each AutogenContext branches it and adds the selected plugins
#: (the built-in comparisons are the plugins of :mod:`.builtin_plugins`)
comparators = PriorityDispatcher()


def _produce_net_changes(autogen_context: AutogenContext, upgrade_ops: Any) -> None:
    """Run the comparators of the ``"autogenerate"`` target into ``upgrade_ops``."""
    autogen_context.comparators.dispatch(
        "autogenerate", qualifier=autogen_context.dialect.name)(autogen_context, upgrade_ops)


produce_net_changes = _produce_net_changes


def builtin(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a comparator as one of the engine's own (they read the bulk reflection)."""
    fn._alembic_django_builtin = True  # type: ignore[attr-defined]
    return fn


@builtin
def _autogen_for_schemas(actx: AutogenContext, upgrade_ops: Any) -> None:
    """``"autogenerate"``: pick the schemas, then run the ``"schema"`` comparators."""
    insp = actx.inspector
    schemas = _schemas(actx, insp, insp.default_schema_name)
    actx.comparators.dispatch("schema", qualifier=actx.dialect.name)(actx, upgrade_ops, schemas)


@builtin
def _autogen_for_tables(actx: AutogenContext, upgrade_ops: Any, schemas: Any) -> None:
    """``"schema"`` / ``"tables"``: added, removed and changed tables of ``schemas``."""
    insp = actx.inspector
    default_schema = insp.default_schema_name

    def norm(schema: str | None) -> str | None:
        return None if schema == default_schema else schema

    version_key = _version_key(actx, norm)
    conn_names = set()
    for schema in sorted(schemas, key=lambda s: s or ""):
        for t in insp.get_table_names(schema=schema):
            if (schema, t) != version_key and \
                    actx.run_name_filters(t, "table", {"schema_name": schema}):
                conn_names.add((schema, t))
    meta_names = {(norm(t.schema), t.name) for t in actx.sorted_tables
                  if (norm(t.schema), t.name) != version_key}
    _compare_tables(conn_names, meta_names, insp, upgrade_ops, actx)


def _version_key(actx: AutogenContext, norm: Callable[[Any], Any]) -> TableKey:
    version_table = actx.opts.get("version_table") or "alembic_version"
    return (norm(actx.opts.get("version_table_schema")), version_table)


def _compare_tables(conn_table_names: set, metadata_table_names: set, inspector: Any,
                    upgrade_ops: Any, autogen_context: AutogenContext) -> None:
    """Compare the tables named on each side (``(schema, name)`` pairs, ``None`` for the
    default schema): the database is reflected in bulk, ``"table"`` comparators run for
    each table, ``"column"`` comparators for each column present on both sides."""
    actx = autogen_context
    insp = inspector
    dialect = actx.dialect
    default_schema = insp.default_schema_name

    def norm(schema: str | None) -> str | None:
        return None if schema == default_schema else schema

    conn: dict[TableKey, ReflectedTable] = {}
    by_schema: dict[str | None, list[str]] = {}
    for schema, name in conn_table_names:
        by_schema.setdefault(schema, []).append(name)
    for schema in sorted(by_schema, key=lambda s: s or ""):
        all_names = insp.get_table_names(schema=schema)
        conn.update(reflect_schema(insp, dialect, schema, sorted(by_schema[schema]),
                                   all_names))

    meta_tables: dict[TableKey, sa.Table] = {}
    for key, table in actx.table_key_to_table.items():
        nkey = (norm(key[0]), key[1])
        if nkey in metadata_table_names:
            meta_tables[nkey] = table
    meta_order = [
        (norm(t.schema), t.name) for t in actx.sorted_tables
        if (norm(t.schema), t.name) in meta_tables
    ]
    ctxt = _Compare(actx, norm)
    actx._compare_state = ctxt
    table_comparators = actx.comparators.dispatch("table", qualifier=dialect.name)

    # 1. tables in the metadata only: CREATE TABLE, then their indexes
    for key in meta_order:
        if key in conn:
            continue
        table = meta_tables[key]
        if not actx.run_object_filters(table, table.name, "table", False, None):
            continue
        upgrade_ops.ops.append(ops.CreateTableOp.from_table(table))
        mto = ops.ModifyTableOps(table.name, [], schema=table.schema)
        table_comparators(actx, mto, table.schema, table.name, None, table)
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
        ctxt.reflected[(table.schema, table.name)] = (conn[key], lambda t=table: t)
        mto = ops.ModifyTableOps(table.name, [], schema=table.schema)
        table_comparators(actx, mto, table.schema, table.name, table, None)
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
        schema, tname = meta_table.schema, meta_table.name
        ctxt.reflected[(schema, tname)] = (rt, get_table)
        mto = ops.ModifyTableOps(tname, [], schema=schema)
        _compare_columns(ctxt, mto, schema, tname, rt, get_table, meta_table)
        conn_table = get_table() if ctxt.foreign("table") else ReflectedRef(rt)
        table_comparators(actx, mto, schema, tname, conn_table, meta_table)
        if not mto.is_empty():
            upgrade_ops.ops.append(mto)


class ReflectedRef:
    """What the ``"table"`` comparators receive as ``conn_table`` when only the engine's
    own run: the bulk reflection, without building a ``Table`` nobody reads."""

    __slots__ = ("reflected",)

    def __init__(self, reflected: ReflectedTable) -> None:
        self.reflected = reflected


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
    """Per-run state shared by the engine's own comparison functions."""

    def __init__(self, actx: AutogenContext, norm: Any) -> None:
        self.actx = actx
        self.dialect = actx.dialect
        self.norm_schema = norm
        self.supports_comments = bool(getattr(actx.dialect, "supports_comments", False))
        #: (schema, table name) -> (ReflectedTable, () -> reflected Table)
        self.reflected: dict[tuple[str | None, str], tuple[ReflectedTable, Any]] = {}
        registry = actx.comparators._registry
        self._foreign = {key[0] for key, fns in registry.items()
                         if any(not getattr(fn, "_alembic_django_builtin", False)
                                for fn, _ in fns)}

    def foreign(self, target: str) -> bool:
        """Whether comparators other than the engine's own run for ``target``."""
        return target in self._foreign

    def parents(self, schema: str | None, tname: str) -> dict[str, Any]:
        return {"table_name": tname, "schema_name": schema}


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
            callable(actx.opts.get("compare_server_default")) or ctxt.foreign("column"):
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
    column_comparators = actx.comparators.dispatch("column", qualifier=ctxt.dialect.name)
    for cname, meta_col in meta_cols.items():
        conn_col = conn_cols.get(cname)
        if conn_col is None:
            continue
        if not actx.run_object_filters(meta_col, cname, "column", False, conn_col):
            continue
        aco = ops.AlterColumnOp(tname, cname, schema=schema)
        column_comparators(actx, aco, schema, tname, cname, conn_col, meta_col)
        if aco.has_changes():
            mto.ops.append(aco)
    for cname, conn_col in conn_cols.items():
        if cname in meta_cols:
            continue
        if actx.run_object_filters(conn_col, cname, "column", True, None):
            column = get_table().c[cname]
            mto.ops.append(ops.DropColumnOp.from_column_and_tablename(schema, tname, column))


@builtin
def _compare_type(actx: AutogenContext, aco: Any, schema: str | None, tname: str, cname: str,
                  conn_col: sa.Column, meta_col: sa.Column) -> None:
    """``"column"`` / ``"types"``: the user's ``compare_type`` callable, then the dialect's."""
    aco.existing_type = conn_col.type
    setting = actx.opts.get("compare_type", True)
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
        differs = setting(actx.migration_context, conn_col, meta_col,
                          conn_col.type, meta_col.type)
    if differs is None:
        impl = getattr(actx.migration_context, "impl", None)
        differs = (impl.compare_type(conn_col, meta_col) if impl is not None
                   else ct.types_differ(actx.dialect, conn_col, meta_col))
    if differs:
        aco.modify_type = meta_col.type


@builtin
def _compare_nullable(actx: AutogenContext, aco: Any, schema: str | None, tname: str,
                      cname: str, conn_col: sa.Column, meta_col: sa.Column) -> None:
    """``"column"`` / ``"nullable"``."""
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


@builtin
def _compare_server_default(actx: AutogenContext, aco: Any, schema: str | None, tname: str,
                            cname: str, conn_col: sa.Column, meta_col: sa.Column) -> None:
    """``"column"`` / ``"server_default"``: identity, then the server default."""
    if _compare_identity(aco, conn_col, meta_col):
        return
    meta_default = meta_col.server_default
    conn_default = conn_col.server_default
    if meta_default is None and conn_default is None:
        return
    if isinstance(meta_default, sa.Computed) or isinstance(conn_default, sa.Computed):
        return  # computed columns are not altered (Alembic warns only)
    if conn_default is not None:
        aco.existing_server_default = conn_default
    setting = actx.opts.get("compare_server_default", False)
    if setting is False:
        return
    rendered_meta = ct.render_metadata_default(actx.dialect, meta_col)
    rendered_conn = ct.render_reflected_default(conn_col)
    differs: bool | None = None
    if callable(setting):
        differs = setting(actx.migration_context, conn_col, meta_col, rendered_meta,
                          meta_default, rendered_conn)
    if differs is None:
        impl = getattr(actx.migration_context, "impl", None)
        differs = (impl.compare_server_default(conn_col, meta_col, rendered_meta, rendered_conn)
                   if impl is not None else
                   ct.defaults_differ(actx.dialect, conn_col, meta_col, rendered_meta,
                                      rendered_conn))
    if differs:
        aco.modify_server_default = meta_default


@builtin
def _compare_column_comment(actx: AutogenContext, aco: Any, schema: str | None, tname: str,
                            cname: str, conn_col: sa.Column, meta_col: sa.Column) -> None:
    """``"column"`` / ``"comments"``."""
    if not getattr(actx.dialect, "supports_comments", False):
        return
    if conn_col.comment is None and meta_col.comment is None:
        return
    aco.existing_comment = conn_col.comment
    if (conn_col.comment or None) != (meta_col.comment or None):
        aco.modify_comment = meta_col.comment


@builtin
def _setup_autoincrement(actx: AutogenContext, aco: Any, schema: str | None, tname: str,
                         cname: str, conn_col: sa.Column, meta_col: sa.Column) -> None:
    """``"column"`` / ``"server_default"``: carry the model's autoincrement setting."""
    table = meta_col.table
    if table is not None and table._autoincrement_column is meta_col:
        aco.kw["autoincrement"] = True
    elif meta_col.autoincrement is True:
        aco.kw["autoincrement"] = True
    elif meta_col.autoincrement is False:
        aco.kw["autoincrement"] = False


def _reflected(actx: AutogenContext, schema: str | None, tname: str,
               conn_table: Any) -> tuple[Any, Any]:
    """(ReflectedTable, () -> Table) of a table on the database side of this run."""
    state = getattr(actx, "_compare_state", None)
    found = state.reflected.get((schema, tname)) if state is not None else None
    if found is None:
        raise CommandError(f"autogenerate: table {tname!r} was not reflected by this run")
    return found


@builtin
def _compare_indexes_and_uniques(actx: AutogenContext, mto: Any, schema: str | None,
                                 tname: str, conn_table: Any, meta_table: Any) -> None:
    """``"table"`` / ``"indexes"``: indexes and unique constraints."""
    rt = get_table = None
    if conn_table is not None:
        rt, get_table = _reflected(actx, schema, tname, conn_table)
    cc.compare_indexes_and_uniques(actx._compare_state, mto, schema, tname, rt, get_table,
                                   meta_table)


@builtin
def _compare_foreign_keys(actx: AutogenContext, mto: Any, schema: str | None, tname: str,
                          conn_table: Any, meta_table: Any) -> None:
    """``"table"`` / ``"foreignkeys"``: foreign keys of a table on both sides."""
    if conn_table is None or meta_table is None:
        return
    rt, get_table = _reflected(actx, schema, tname, conn_table)
    cc.compare_foreign_keys(actx._compare_state, mto, schema, tname, rt, get_table, meta_table)


@builtin
def _compare_table_comment(actx: AutogenContext, mto: Any, schema: str | None, tname: str,
                           conn_table: Any, meta_table: Any) -> None:
    """``"table"`` / ``"comments"``: the comment of a table on both sides."""
    if conn_table is None or meta_table is None:
        return
    if not getattr(actx.dialect, "supports_comments", False):
        return
    conn_comment = _reflected(actx, schema, tname, conn_table)[0].comment or None
    meta_comment = meta_table.comment or None
    if conn_comment is None and meta_comment is None:
        return
    if meta_comment is None:
        mto.ops.append(ops.DropTableCommentOp(tname, existing_comment=conn_comment,
                                              schema=schema))
    elif meta_comment != conn_comment:
        mto.ops.append(ops.CreateTableCommentOp(tname, meta_comment,
                                                existing_comment=conn_comment, schema=schema))

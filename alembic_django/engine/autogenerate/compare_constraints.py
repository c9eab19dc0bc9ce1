"""Indexes, unique constraints and foreign keys: metadata versus reflection.

Dialect quirks handled (Alembic's ``correct_for_autogen_constraints``):

* PostgreSQL reflects each UNIQUE constraint a second time as an index
  (``duplicates_constraint``): the index copy is ignored.
* MySQL / MariaDB keep a UNIQUE constraint as a unique index and report it twice
  (``duplicates_index``); either spelling in the model matches it.
* MySQL / MariaDB create an index for a foreign key that has none; that implicit
  index is ignored, and dropped along with its foreign key.
* Unnamed unique constraints in the model match reflected ones by columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..operations import ops
from .reflect import ReflectedTable


@dataclass
class Sig:
    name: str | None
    is_index: bool
    unique: bool
    cols: tuple[str, ...]
    obj: Any  # metadata Index / UniqueConstraint; for a reflected one, see ``ref``
    ref: Callable[[], Any] | None = None  # builds the reflected object when needed

    def resolve(self) -> Any:
        return self.ref() if self.ref is not None else self.obj

    @property
    def type_(self) -> str:
        return "index" if self.is_index else "unique_constraint"


def _is_mysql(dialect: Any) -> bool:
    return dialect.name in ("mysql", "mariadb")


def _norm_expr(text: str) -> str:
    text = re.sub(r"::[\w ]+", "", text.lower())
    text = re.sub(r"\basc\b", "", text)  # the default order
    return re.sub(r"[\s()\"`_]", "", text)


def sql_name(dialect: Any, obj: Any) -> str | None:
    """The name the database will use for a metadata constraint / index (``conv`` and
    truncation applied), or None when unnamed."""
    name = obj.name
    if not isinstance(name, str):
        return None
    try:
        return dialect.identifier_preparer.format_constraint(obj, _alembic_quote=False)
    except Exception:  # noqa: BLE001 - naming conventions run user code: keep the plain name
        return str(name)


def _meta_cols(dialect: Any, obj: Any) -> tuple[str, ...]:
    out: list[str] = []
    for expr in getattr(obj, "expressions", None) or list(obj.columns):
        if isinstance(expr, sa.Column):
            out.append(expr.name)
        elif isinstance(expr, str):
            out.append(expr)
        else:
            try:
                text = str(expr.compile(dialect=dialect, compile_kwargs={
                    "literal_binds": True, "include_table": False}))
            except Exception:  # noqa: BLE001 - user expressions/compilers may raise anything
                text = str(expr)
            text = _norm_expr(text)
            if dialect.name == "sqlite":  # SQLite does not reflect the order of a column
                text = re.sub(r"(desc|nulls(first|last))+$", "", text)
            out.append(text)
    return tuple(out)


def create_index_op(dialect: Any, index: sa.Index) -> Any:
    """``CreateIndexOp`` for a model index, SQL expressions as ``text()`` so that the op
    does not hold on to the model's columns."""
    cols: list[Any] = []
    for expr in index.expressions:
        if isinstance(expr, sa.Column):
            cols.append(expr.name)
        elif isinstance(expr, str):
            cols.append(expr)
        else:
            cols.append(sa.text(str(expr.compile(dialect=dialect, compile_kwargs={
                "literal_binds": True, "include_table": False}))))
    table = index.table
    return ops.CreateIndexOp(index.name, table.name, cols, schema=table.schema,
                             unique=bool(index.unique), **index.kwargs)


def _conn_index_cols(ix: dict) -> tuple[str, ...]:
    names = list(ix.get("column_names") or ())
    exprs = list(ix.get("expressions") or ())
    sorting = ix.get("column_sorting") or {}
    out = []
    for i, name in enumerate(names):
        if name is not None and sorting.get(name):
            out.append(_norm_expr(" ".join((name,) + tuple(sorting[name]))))
        elif name is not None:
            out.append(name)
        else:
            out.append(_norm_expr(exprs[i] if i < len(exprs) else ""))
    return tuple(out)


def _implicit_fk_indexes(rt: ReflectedTable, model_index_names: set[str | None]
                         ) -> dict[str, tuple[str, ...]]:
    """MySQL's own indexes for foreign keys, by name: a non-unique index that leads with
    a key's columns and is named after the key or its first column, or is not in the
    model at all (MySQL keeps it, renamed or not, for as long as the key needs it)."""
    found: dict[str, tuple[str, ...]] = {}
    for ix in rt.indexes:
        if ix.get("unique"):
            continue
        cols = tuple(ix.get("column_names") or ())
        for fk in rt.foreign_keys:
            fcols = tuple(fk.get("constrained_columns") or ())
            if not fcols or cols[:len(fcols)] != fcols:
                continue
            if ix["name"] in (fk.get("name"), fcols[0]) or ix["name"] not in model_index_names:
                found[ix["name"]] = cols
    return found


def _built_lookup(conn_table: sa.Table) -> tuple[dict[str, Any], dict[str, Any]]:
    indexes: dict[str, Any] = {}
    uniques: dict[str, Any] = {}
    for ix in conn_table.indexes:
        if ix.name:
            indexes[ix.name] = ix
    for c in conn_table.constraints:
        if isinstance(c, sa.UniqueConstraint) and c.name:
            uniques[c.name] = c
    return indexes, uniques


def compare_indexes_and_uniques(ctxt: Any, mto: Any, schema: str | None, tname: str,
                                rt: ReflectedTable | None,
                                get_table: Callable[[], sa.Table] | None,
                                meta_table: sa.Table | None) -> None:
    """``get_table`` builds the reflected ``Table`` (only called when an op needs one of
    its objects); None, like ``rt``, for a table that is not in the database."""
    actx = ctxt.actx
    dialect = ctxt.dialect
    parents = ctxt.parents(schema, tname)
    mysql = _is_mysql(dialect)

    # 1. the reflected side
    conn_ix: list[Sig] = []
    conn_uq: list[Sig] = []
    implicit: set[str] = set()
    if rt is not None:
        lookups: list[Any] = []

        def built(kind: int, name: str | None) -> Any:
            if not lookups:
                lookups.extend(_built_lookup(get_table()))  # type: ignore[misc]
            return lookups[kind].get(name)

        if mysql:
            model_names = ({sql_name(dialect, ix) for ix in meta_table.indexes}
                           if meta_table is not None else set())
            implicit = set(_implicit_fk_indexes(rt, model_names))
        for ix in rt.indexes:
            if ix.get("duplicates_constraint") or ix["name"] in implicit:
                continue
            if not actx.run_name_filters(ix["name"], "index", parents):
                continue
            conn_ix.append(Sig(ix["name"], True, bool(ix.get("unique")), _conn_index_cols(ix),
                               None, lambda n=ix["name"]: built(0, n)))
        for uq in rt.uniques:
            if not actx.run_name_filters(uq.get("name"), "unique_constraint", parents):
                continue
            uq_name, dup = uq.get("name"), uq.get("duplicates_index")
            conn_uq.append(Sig(uq_name, False, True, tuple(uq["column_names"]), None,
                               lambda n=uq_name, d=dup: built(1, n) or built(0, d)))

    # 2. the metadata side (a new table's unique constraints are inline in CREATE TABLE)
    meta_ix: list[Sig] = []
    meta_uq: list[Sig] = []
    if meta_table is not None:
        opaque = rt.opaque_indexes if rt is not None else set()
        for ix in meta_table.indexes:
            name = sql_name(dialect, ix)
            if name in implicit or name in opaque:
                continue  # (an index the database has but cannot describe: assume equal)
            meta_ix.append(Sig(name, True, bool(ix.unique), _meta_cols(dialect, ix), ix))
        if rt is not None:
            for uq in meta_table.constraints:
                if isinstance(uq, sa.UniqueConstraint):
                    meta_uq.append(Sig(sql_name(dialect, uq), False, True,
                                       _meta_cols(dialect, uq), uq))

    # 3. drop / change / add, Alembic's order
    meta_names = {s.name: s for s in meta_uq + meta_ix if s.name}
    conn_names: dict[str, Sig] = {}
    for s in conn_uq + conn_ix:
        if s.name:
            conn_names.setdefault(s.name, s)
    conn_ix_by_name = {s.name: s for s in conn_ix}
    conn_uq_by_name = {s.name: s for s in conn_uq if s.name}
    doubled = {n: (conn_uq_by_name[n], conn_ix_by_name[n])
               for n in set(conn_uq_by_name) & set(conn_ix_by_name)}
    unnamed_meta_uq = {s.cols: s for s in meta_uq if not s.name}
    conn_uq_cols = {s.cols for s in conn_uq}

    def add(sig: Sig, compare_to: Any = None) -> None:
        if not actx.run_object_filters(sig.obj, sig.name, sig.type_, False,
                                       compare_to() if callable(compare_to) else compare_to):
            return
        if sig.is_index:
            mto.ops.append(create_index_op(dialect, sig.obj))
        else:
            mto.ops.append(ops.AddConstraintOp.from_constraint(sig.obj))

    def remove(sig: Sig, compare_to: Any = None) -> None:
        obj = sig.resolve()
        if obj is None:
            return  # an unnamed reflected constraint cannot be dropped by name
        if not actx.run_object_filters(obj, sig.name, sig.type_, True, compare_to):
            return
        if isinstance(obj, sa.Index):
            mto.ops.append(ops.DropIndexOp.from_index(obj))
        else:
            mto.ops.append(ops.DropConstraintOp.from_constraint(obj))

    for name in sorted(set(conn_names) - set(meta_names)):
        sig = conn_names[name]
        if name in doubled:
            c_uq, c_ix = doubled[name]
            if c_uq.cols in unnamed_meta_uq:
                continue
            remove(c_ix)
        elif not sig.is_index and sig.cols in unnamed_meta_uq:
            continue
        elif sig.is_index and sig.unique and sig.cols in unnamed_meta_uq and mysql:
            continue
        else:
            remove(sig)

    for name in sorted(set(meta_names) & set(conn_names)):
        meta = meta_names[name]
        if name in doubled:
            c_uq, c_ix = doubled[name]
            conn = c_ix if meta.is_index else c_uq
        else:
            conn = conn_names[name]
        if meta.is_index != conn.is_index or meta.cols != conn.cols or (
                meta.is_index and meta.unique != conn.unique):
            if actx._object_filters and not actx.run_object_filters(
                    meta.obj, name, meta.type_, False, conn.resolve()):
                continue
            remove(conn, meta.obj)
            add(meta, conn.resolve)

    for name in sorted(set(meta_names) - set(conn_names)):
        add(meta_names[name])

    if rt is not None:
        for cols, sig in unnamed_meta_uq.items():
            if cols not in conn_uq_cols and not (mysql and any(
                    s.cols == cols and s.unique for s in conn_ix)):
                add(sig)

    # 4. on a dropped table, unique constraints go with the table
    if meta_table is None:
        mto.ops[:] = [op for op in mto.ops if isinstance(op, ops.DropIndexOp)]


# -- foreign keys -------------------------------------------------------------------

_DEFAULT_ACTIONS = {None, "NO ACTION"}


def _action(value: str | None, mysql: bool) -> str | None:
    if value is None:
        return None
    value = value.upper()
    if value in _DEFAULT_ACTIONS or (mysql and value == "RESTRICT"):
        return None
    return value


def _fk_sig(cols: Any, ref_schema: str | None, ref_table: str, ref_cols: Any,
            opts: dict[str, Any], mysql: bool) -> tuple:
    initially = (opts.get("initially") or "").upper() or None
    if initially == "IMMEDIATE":
        initially = None
    return (tuple(cols), ref_schema, ref_table, tuple(ref_cols),
            _action(opts.get("onupdate"), mysql), _action(opts.get("ondelete"), mysql),
            bool(opts.get("deferrable")), initially)


def _meta_fk_sig(ctxt: Any, fk: sa.ForeignKeyConstraint, mysql: bool) -> tuple:
    ref_schema = ref_table = None
    ref_cols = []
    for elem in fk.elements:
        schema, tname, cname = elem._column_tokens
        ref_schema, ref_table = schema, tname
        key = f"{schema}.{tname}" if schema else tname
        tables = fk.table.metadata.tables if fk.table is not None else {}
        if not elem.link_to_name and key in tables:
            col = tables[key].c.get(cname)
            cname = col.name if col is not None else cname
        ref_cols.append(cname)
    if ref_schema is None and fk.table is not None and fk.table.metadata.schema:
        ref_schema = fk.table.metadata.schema
    cols = [elem.parent.name for elem in fk.elements]
    opts = {k: getattr(fk, k) for k in ("onupdate", "ondelete", "deferrable", "initially")}
    return _fk_sig(cols, ctxt.norm_schema(ref_schema), ref_table or "", ref_cols, opts, mysql)


def compare_foreign_keys(ctxt: Any, mto: Any, schema: str | None, tname: str,
                         rt: ReflectedTable, get_table: Callable[[], sa.Table],
                         meta_table: sa.Table) -> None:
    actx = ctxt.actx
    mysql = _is_mysql(ctxt.dialect)
    parents = ctxt.parents(schema, tname)
    built: dict[tuple, Any] = {}

    def built_fk(name: str | None, cols: tuple[str, ...]) -> Any:
        if not built:
            for c in get_table().constraints:
                if isinstance(c, sa.ForeignKeyConstraint):
                    built[(c.name, tuple(e.parent.name for e in c.elements))] = c
        return built.get((name, cols))

    conn_by_sig: dict[tuple, tuple[dict, Any]] = {}
    for fk in rt.foreign_keys:
        if not actx.run_name_filters(fk.get("name"), "foreign_key_constraint", parents):
            continue
        ref_schema = fk.get("referred_schema")
        if ref_schema is None and mysql:
            ref_schema = rt.schema
        sig = _fk_sig(fk["constrained_columns"], ctxt.norm_schema(ref_schema),
                      fk["referred_table"], fk["referred_columns"], fk.get("options") or {},
                      mysql)
        conn_by_sig[sig] = (fk, None)
    meta_by_sig = {}
    for fk in meta_table.constraints:
        if isinstance(fk, sa.ForeignKeyConstraint):
            meta_by_sig[_meta_fk_sig(ctxt, fk, mysql)] = fk
    meta_by_name = {sql_name(ctxt.dialect, fk): fk for fk in meta_by_sig.values()}
    meta_index_names = {sql_name(ctxt.dialect, ix) for ix in meta_table.indexes}
    implicit = _implicit_fk_indexes(rt, meta_index_names) if mysql else {}
    dropped_indexes: set[str] = set()

    for sig in [s for s in conn_by_sig if s not in meta_by_sig]:
        fk, _ = conn_by_sig[sig]
        obj = built_fk(fk.get("name"), tuple(fk["constrained_columns"]))
        if obj is None:
            continue
        compare_to = meta_by_name.get(fk.get("name"))
        if actx.run_object_filters(obj, fk.get("name"), "foreign_key_constraint", True,
                                   compare_to):
            mto.ops.append(ops.DropConstraintOp.from_constraint(obj))
            # MySQL keeps the index it made for the key: drop it too, unless another
            # key of the model still needs it
            for ixname, ixcols in sorted(implicit.items()):
                if ixname in dropped_indexes or ixcols[:len(sig[0])] != sig[0] or \
                        not _index_orphaned(ixcols, meta_by_sig):
                    continue
                ix_obj = {ix.name: ix for ix in get_table().indexes}.get(ixname)
                if ix_obj is not None:
                    dropped_indexes.add(ixname)
                    mto.ops.append(ops.DropIndexOp.from_index(ix_obj))
    for sig in [s for s in meta_by_sig if s not in conn_by_sig]:
        fk = meta_by_sig[sig]
        name = sql_name(ctxt.dialect, fk)
        compare_to = None
        if actx._object_filters:
            for cfk, _ in conn_by_sig.values():
                if cfk.get("name") == name:
                    compare_to = built_fk(name, tuple(cfk["constrained_columns"]))
        if actx.run_object_filters(fk, name, "foreign_key_constraint", False, compare_to):
            if mysql and not _has_leading_index(sig[0], rt, meta_table):
                # index the key explicitly: MySQL would make one that its DROP keeps
                mto.ops.append(ops.CreateIndexOp(name or sig[0][0], tname, list(sig[0]),
                                                 schema=schema))
            mto.ops.append(ops.CreateForeignKeyOp.from_constraint(fk))


def _index_orphaned(ixcols: tuple[str, ...], meta_by_sig: dict) -> bool:
    """True when no foreign key of the model can use an index on ``ixcols``."""
    return not any(ixcols[:len(sig[0])] == sig[0] for sig in meta_by_sig)


def _has_leading_index(cols: tuple[str, ...], rt: ReflectedTable,
                       meta_table: sa.Table) -> bool:
    """True when an index (or the primary key) already starts with ``cols``."""
    candidates = [tuple(rt.pk.get("constrained_columns") or ())]
    candidates += [tuple(ix.get("column_names") or ()) for ix in rt.indexes]
    candidates += [tuple(c.name for c in ix.columns) for ix in meta_table.indexes]
    candidates += [tuple(c.name for c in uq.columns) for uq in meta_table.constraints
                   if isinstance(uq, sa.UniqueConstraint)]
    return any(c[:len(cols)] == cols for c in candidates)

"""Batch mode: ``op.batch_alter_table`` (Alembic's "move and copy").

:class:`BatchOperationsImpl` records the directives of a batch block.  At the end
of the block it either replays them as plain ALTERs (other dialects, or SQLite when
every op can be done natively) or hands them to :class:`ApplyBatchImpl`, which
builds the new table ``_alembic_tmp_<table>`` from the reflected one (columns, primary
key, unique / check / foreign key constraints and indexes), copies every row with
``INSERT ... SELECT``, drops the old table and renames the new one into its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema
from sqlalchemy.types import NULLTYPE

from ..errors import CommandError
from ..util.sqla_compat import (  # noqa: F401  (Alembic's import path)
    constraint_name_defined,
    constraint_name_string,
)

_BATCH_ONLY_KW = ("insert_before", "insert_after")


class BatchOperationsImpl:
    """Stands in for ``impl`` inside a batch block: records each DDL call."""

    def __init__(self, operations: Any, table_name: str, schema: str | None, recreate: str,
                 copy_from: Any, table_args: tuple, table_kwargs: dict, reflect_args: tuple,
                 reflect_kwargs: dict, naming_convention: dict | None,
                 partial_reordering: Sequence[tuple] | None) -> None:
        self.operations = operations
        self.table_name = table_name
        self.schema = schema
        self.recreate = recreate
        self.copy_from = copy_from
        self.table_args = table_args
        self.table_kwargs = table_kwargs
        self.reflect_args = reflect_args
        self.reflect_kwargs = reflect_kwargs
        self.naming_convention = naming_convention
        self.partial_reordering = partial_reordering
        self.batch: list[tuple[str, tuple, dict]] = []

    @property
    def impl(self) -> Any:
        return self.operations.impl

    @property
    def dialect(self) -> Any:
        return self.impl.dialect

    @property
    def inline_references_default(self) -> bool:
        return self.impl.inline_references_default

    def _should_recreate(self) -> bool:
        if self.recreate == "auto":
            return self.impl.requires_recreate_in_batch(self)
        return self.recreate == "always"

    def flush(self) -> None:
        if not self._should_recreate():
            for opname, args, kw in self.batch:
                kw = {k: v for k, v in kw.items() if k not in _BATCH_ONLY_KW}
                getattr(self.impl, opname)(*args, **kw)
            return
        existing, reflected = self._existing_table()
        batch_impl = ApplyBatchImpl(self.impl, existing, self.table_args, self.table_kwargs,
                                    reflected, self.partial_reordering or (),
                                    self.naming_convention)
        if reflected:
            self.impl.prep_table_for_batch(batch_impl, existing)
        for opname, args, kw in self.batch:
            getattr(batch_impl, opname)(*args, **kw)
        batch_impl.create(self.impl)

    def _existing_table(self) -> tuple[sa.Table, bool]:
        if self.copy_from is not None:
            return self.copy_from, False
        if self.impl.as_sql:
            raise CommandError(
                f"batch_alter_table {self.table_name!r}: offline (--sql) mode cannot reflect "
                "the table; pass copy_from=Table(...)"
            )
        md = sa.MetaData()
        try:
            table = sa.Table(self.table_name, md, *self.reflect_args, schema=self.schema,
                             autoload_with=self.impl.connection, **self.reflect_kwargs)
        except sa.exc.NoSuchTableError as err:
            raise CommandError(f"batch_alter_table {self.table_name!r}: no such table") from err
        return table, True

    def _record(self, name: str, args: tuple, kw: dict) -> None:
        self.batch.append((name, args, kw))

    def add_column(self, *args: Any, **kw: Any) -> None:
        self._record("add_column", args, kw)

    def drop_column(self, *args: Any, **kw: Any) -> None:
        self._record("drop_column", args, kw)

    def alter_column(self, *args: Any, **kw: Any) -> None:
        self._record("alter_column", args, kw)

    def add_constraint(self, const: Any) -> None:
        self._record("add_constraint", (const,), {})

    def drop_constraint(self, const: Any, **kw: Any) -> None:
        self._record("drop_constraint", (const,), kw)

    def create_index(self, idx: Any, **kw: Any) -> None:
        self._record("create_index", (idx,), kw)

    def drop_index(self, idx: Any, **kw: Any) -> None:
        self._record("drop_index", (idx,), kw)

    def create_table_comment(self, table: Any) -> None:
        self._record("create_table_comment", (table,), {})

    def drop_table_comment(self, table: Any) -> None:
        self._record("drop_table_comment", (table,), {})

    def create_column_comment(self, column: Any) -> None:
        self._record("create_column_comment", (column,), {})

    def create_table(self, *a: Any, **kw: Any) -> None:
        raise CommandError("create_table does not apply to a batch table alter operation")

    def drop_table(self, *a: Any, **kw: Any) -> None:
        raise CommandError("drop_table does not apply to a batch table alter operation")

    def rename_table(self, *a: Any, **kw: Any) -> None:
        raise CommandError("rename_table does not apply to a batch table alter operation")

    def bulk_insert(self, *a: Any, **kw: Any) -> None:
        raise CommandError("bulk_insert does not apply to a batch table alter operation")


def _plain_column(col: sa.Column) -> sa.Column:
    """A detached copy of a column without its constraints and index flags."""
    new = sa.Column(col.name, col.type, nullable=col.nullable,
                    server_default=col.server_default._copy() if col.server_default is not None
                    else None,
                    autoincrement=col.autoincrement, comment=col.comment)
    return new


def _col_names(exprs: Any) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in exprs]


class ApplyBatchImpl:
    """Applies recorded ops to a copy of the table's definition and recreates it."""

    def __init__(self, impl: Any, table: sa.Table, table_args: tuple, table_kwargs: dict,
                 reflected: bool, partial_reordering: Sequence[tuple] = (),
                 naming_convention: dict | None = None) -> None:
        self.impl = impl
        self.table = table
        self.table_args = table_args
        self.table_kwargs = table_kwargs
        self.reflected = reflected
        self.partial_reordering = list(partial_reordering)
        self.naming_convention = naming_convention
        self.temp_table_name = f"_alembic_tmp_{table.name}"
        self.comment = table.comment
        self.columns: dict[str, sa.Column] = {c.name: _plain_column(c) for c in table.c}
        self.order: list[str] = [c.name for c in table.c]
        self.transfers: dict[str, dict] = {c.name: {"source": c.name, "cast": None}
                                           for c in table.c}
        pk = table.primary_key
        self.pk_cols: list[str] = [c.name for c in pk.columns]
        self.pk_name: str | None = pk.name if pk is not None else None
        self.constraints: list[dict] = []
        for const in table.constraints:
            spec = self._spec_for(const)
            if spec is not None:
                self.constraints.append(spec)
        self.indexes: list[dict] = [self._index_spec(idx) for idx in table.indexes]

    # -- specs ------------------------------------------------------------------------

    def _spec_for(self, const: Any) -> dict | None:
        if isinstance(const, sa.PrimaryKeyConstraint):
            return None
        if getattr(const, "_type_bound", False):
            return None
        if isinstance(const, sa.ForeignKeyConstraint):
            targets = []
            for el in const.elements:
                colspec = el._get_colspec()
                if not isinstance(colspec, str):
                    colspec = f"{el.column.table.fullname}.{el.column.name}"
                targets.append(colspec)
            ref = targets[0].rsplit(".", 1)[0]
            ref_schema, _, ref_table = ref.rpartition(".")
            return {"kind": "fk", "name": const.name, "cols": list(const.column_keys),
                    "ref_table": ref_table, "ref_schema": ref_schema or None,
                    "ref_cols": [t.rsplit(".", 1)[1] for t in targets],
                    "opts": {k: getattr(const, k) for k in
                             ("onupdate", "ondelete", "deferrable", "initially", "match")}}
        if isinstance(const, sa.UniqueConstraint):
            return {"kind": "unique", "name": const.name,
                    "cols": [c.name for c in const.columns]
                    or _col_names(const._pending_colargs),
                    "opts": {"deferrable": const.deferrable, "initially": const.initially}}
        if isinstance(const, sa.CheckConstraint):
            sqltext = const.sqltext
            text = str(sqltext.text) if hasattr(sqltext, "text") else str(
                sqltext.compile(dialect=self.impl.dialect,
                                compile_kwargs={"literal_binds": True}))
            return {"kind": "check", "name": const.name, "sqltext": text, "cols": []}
        return None

    @staticmethod
    def _index_spec(idx: sa.Index) -> dict:
        exprs = [e.name if isinstance(e, sa.Column) else e for e in idx.expressions]
        return {"name": idx.name, "exprs": exprs, "unique": bool(idx.unique),
                "kwargs": dict(idx.kwargs)}

    # -- recorded operations ----------------------------------------------------------

    def _place(self, name: str, insert_before: str | None, insert_after: str | None
               ) -> None:
        if name in self.order:
            self.order.remove(name)
        anchor = insert_before or insert_after
        if anchor is not None:
            if anchor not in self.order:
                raise CommandError(f"batch_alter_table {self.table.name!r}: no column "
                                   f"{anchor!r} to insert {name!r} next to")
            pos = self.order.index(anchor) + (0 if insert_before else 1)
            self.order.insert(pos, name)
        else:
            self.order.append(name)

    def add_column(self, table_name: str, column: sa.Column, insert_before: str | None = None,
                   insert_after: str | None = None, **kw: Any) -> None:
        if column.name in self.columns:
            if kw.get("if_not_exists"):
                return
            raise CommandError(f"add_column on table {self.table.name!r}: column "
                               f"{column.name!r} already exists")
        self.columns[column.name] = _plain_column(column)
        if column.primary_key:
            self.pk_cols.append(column.name)
        for fk in column.foreign_keys:
            spec = self._spec_for(fk.constraint)
            if spec is not None and spec not in self.constraints:
                self.constraints.append(spec)
        self._place(column.name, insert_before, insert_after)

    def drop_column(self, table_name: str, column: Any, **kw: Any) -> None:
        name = column if isinstance(column, str) else column.name
        if name not in self.columns:
            if kw.get("if_exists"):
                return
            raise CommandError(f"drop_column on table {self.table.name!r}: no column {name!r}")
        del self.columns[name]
        self.order.remove(name)
        self.transfers.pop(name, None)
        if name in self.pk_cols:
            self.pk_cols.remove(name)
        pattern = re.compile(rf"(?<![\w\"]){re.escape(name)}(?![\w\"])|\"{re.escape(name)}\"")
        self.constraints = [
            c for c in self.constraints
            if name not in c["cols"] and not (c["kind"] == "check" and pattern.search(c["sqltext"]))
        ]
        self.indexes = [i for i in self.indexes if name not in i["exprs"]]

    def alter_column(self, table_name: str, column_name: str, nullable: bool | None = None,
                     server_default: Any = False, name: str | None = None, type_: Any = None,
                     autoincrement: bool | None = None, comment: Any = False,
                     insert_before: str | None = None, insert_after: str | None = None,
                     **kw: Any) -> None:
        if column_name not in self.columns:
            raise CommandError(f"alter_column on table {self.table.name!r}: no column "
                               f"{column_name!r}")
        col = self.columns[column_name]
        if name is not None and name != column_name:
            self._rename(column_name, name)
            column_name = name
        if type_ is not None:
            col.type = sa.types.to_instance(type_)
            transfer = self._transfer_for(column_name)
            if transfer is not None:
                transfer["cast"] = col.type
        if nullable is not None:
            col.nullable = nullable
        if server_default is not False:
            if server_default is None:
                col.server_default = None
            elif isinstance(server_default, sa_schema.FetchedValue):
                col.server_default = server_default
            else:
                col.server_default = sa_schema.DefaultClause(server_default)
        if autoincrement is not None:
            col.autoincrement = autoincrement
        if comment is not False:
            col.comment = comment
        if insert_before or insert_after:
            self._place(column_name, insert_before, insert_after)

    def _transfer_for(self, new_name: str) -> dict | None:
        for target, transfer in self.transfers.items():
            if target == new_name:
                return transfer
        return None

    def _rename(self, old: str, new: str) -> None:
        col = self.columns.pop(old)
        col.name = new
        col.key = new
        self.columns[new] = col
        self.order[self.order.index(old)] = new
        if old in self.transfers:
            self.transfers = {(new if k == old else k): v for k, v in self.transfers.items()}
        self.pk_cols = [new if c == old else c for c in self.pk_cols]
        pattern = re.compile(rf"(?<![\w\"]){re.escape(old)}(?![\w\"])|\"{re.escape(old)}\"")
        for spec in self.constraints:
            spec["cols"] = [new if c == old else c for c in spec["cols"]]
            if spec["kind"] == "check":
                spec["sqltext"] = pattern.sub(f'"{new}"', spec["sqltext"])
            if spec["kind"] == "fk" and spec["ref_table"] == self.table.name:
                spec["ref_cols"] = [new if c == old else c for c in spec["ref_cols"]]
        for idx in self.indexes:
            idx["exprs"] = [new if e == old else e for e in idx["exprs"]]

    def add_constraint(self, const: Any) -> None:
        if isinstance(const, sa.PrimaryKeyConstraint):
            self.pk_cols = [c.name for c in const.columns]
            self.pk_name = const.name
            return
        spec = self._spec_for(const)
        if spec is None:
            raise CommandError(f"batch_alter_table {self.table.name!r}: cannot add constraint "
                               f"{const.name!r} of type {type(const).__name__}")
        if spec not in self.constraints:  # add_column may have brought it already
            self.constraints.append(spec)

    def drop_constraint(self, const: Any, **kw: Any) -> None:
        name = const.name
        if not name:
            raise CommandError(f"drop_constraint on table {self.table.name!r}: "
                               "the constraint must have a name")
        for spec in self.constraints:
            if spec["name"] == name:
                self.constraints.remove(spec)
                return
        if name == self.pk_name or isinstance(const, sa.PrimaryKeyConstraint):
            self.pk_cols, self.pk_name = [], None
            return
        if kw.get("if_exists"):
            return
        raise CommandError(f"drop_constraint on table {self.table.name!r}: no such constraint: "
                           f"{name!r}")

    def create_index(self, idx: sa.Index, **kw: Any) -> None:
        self.indexes.append(self._index_spec(idx))

    def drop_index(self, idx: sa.Index, **kw: Any) -> None:
        for spec in self.indexes:
            if spec["name"] == idx.name:
                self.indexes.remove(spec)
                return
        if kw.get("if_exists"):
            return
        raise CommandError(f"drop_index on table {self.table.name!r}: no such index: "
                           f"{idx.name!r}")

    def create_table_comment(self, table: sa.Table) -> None:
        self.comment = table.comment

    def drop_table_comment(self, table: sa.Table) -> None:
        self.comment = None

    def create_column_comment(self, column: sa.Column) -> None:
        if column.name in self.columns:
            self.columns[column.name].comment = column.comment

    # -- building the new table -------------------------------------------------------

    def _final_order(self) -> list[str]:
        """Current order, with each column's partial_reordering predecessors pulled
        in front of it."""
        if not self.partial_reordering:
            return list(self.order)
        before: dict[str, list] = {n: [] for n in self.order}
        for group in self.partial_reordering:
            for earlier, later in zip(group, group[1:], strict=False):
                for n in (earlier, later):
                    if n not in before:
                        raise CommandError(f"batch_alter_table {self.table.name!r}: "
                                           f"partial_reordering names unknown column {n!r}")
                before[later].append(earlier)
        result: list[str] = []
        visiting: set = set()

        def emit(name: str) -> None:
            if name in result:
                return
            if name in visiting:
                raise CommandError(f"batch_alter_table {self.table.name!r}: "
                                   "partial_reordering is circular")
            visiting.add(name)
            for prior in before[name]:
                emit(prior)
            visiting.discard(name)
            result.append(name)

        for name in self.order:
            emit(name)
        return result

    def _new_table(self, name: str, md: sa.MetaData) -> sa.Table:
        cols = []
        for cname in self._final_order():
            col = self.columns[cname]
            col.primary_key = cname in self.pk_cols
            cols.append(col)
        items: list = []
        if self.pk_cols:
            items.append(sa.PrimaryKeyConstraint(*self.pk_cols, name=self.pk_name))
        for spec in self.constraints:
            if any(c not in self.columns for c in spec["cols"]):
                continue
            if spec["kind"] == "fk":
                ref = spec["ref_table"]
                if spec["ref_schema"]:
                    ref = f"{spec['ref_schema']}.{ref}"
                self._stub(md, spec["ref_table"], spec["ref_schema"], spec["ref_cols"])
                items.append(sa.ForeignKeyConstraint(
                    spec["cols"], [f"{ref}.{c}" for c in spec["ref_cols"]], name=spec["name"],
                    **{k: v for k, v in spec["opts"].items() if v is not None}))
            elif spec["kind"] == "unique":
                items.append(sa.UniqueConstraint(*spec["cols"], name=spec["name"],
                                                 **{k: v for k, v in spec["opts"].items()
                                                    if v is not None}))
            else:
                items.append(sa.CheckConstraint(sa.text(spec["sqltext"]), name=spec["name"]))
        kw = dict(self.table_kwargs)
        if self.comment is not None:
            kw.setdefault("comment", self.comment)
        return sa.Table(name, md, *cols, *items, *self.table_args, schema=self.table.schema,
                        **kw)

    def _pg_prepare(self, tmp: sa.Table) -> tuple[dict, list]:
        """PostgreSQL: PK/UNIQUE names are schema-wide, so the new table's get a temporary
        name; serial columns keep their sequence instead of getting a new one."""
        renames = {}
        for const in tmp.constraints:
            if isinstance(const, (sa.PrimaryKeyConstraint, sa.UniqueConstraint)) and const.name:
                renames[f"_alembic_tmp_{const.name}"] = const.name
                const.name = f"_alembic_tmp_{const.name}"
        sequences = []
        for col in tmp.c:
            arg = getattr(col.server_default, "arg", None)
            text = str(getattr(arg, "text", arg)) if arg is not None else ""
            m = re.match(r"nextval\('([^']+)'(?:::regclass)?\)", text)
            if m:
                col.autoincrement = False
                sequences.append((m.group(1), col.name))
        return renames, sequences

    def _pg_finish(self, impl: Any, renames: dict, sequences: list) -> None:
        for tmp_name, name in renames.items():
            impl._alter(lambda c, t=tmp_name, n=name: (
                f"ALTER TABLE {c.preparer.format_table(self._final_stub())} RENAME CONSTRAINT "
                f"{c.preparer.quote(t)} TO {c.preparer.quote(n)}"))
        for seq, col in sequences:
            impl._alter(lambda c, s=seq, col=col: (
                f"ALTER SEQUENCE {s} OWNED BY "
                f"{c.preparer.format_table(self._final_stub())}.{c.preparer.quote(col)}"))

    def _final_stub(self) -> sa.Table:
        return sa.Table(self.table.name, sa.MetaData(), schema=self.table.schema)

    @staticmethod
    def _stub(md: sa.MetaData, table: str, schema: str | None, cols: list[str]) -> None:
        key = f"{schema}.{table}" if schema else table
        t = md.tables.get(key)
        if t is None:
            t = sa.Table(table, md, schema=schema)
        for c in cols:
            if c not in t.c:
                t.append_column(sa.Column(c, NULLTYPE))

    def create(self, impl: Any) -> None:
        kw = {"naming_convention": self.naming_convention} if self.naming_convention else {}
        md = sa.MetaData(**kw)
        tmp = self._new_table(self.temp_table_name, md)
        pg = impl.dialect.name == "postgresql"
        renames, sequences = (self._pg_prepare(tmp) if pg else ({}, []))
        impl._exec(sa_schema.CreateTable(tmp))
        old = sa.table(self.table.name, *[sa.column(c.name) for c in self.table.c],
                       schema=self.table.schema)
        targets, sources = [], []
        for target, transfer in self.transfers.items():
            if target not in self.columns:
                continue
            src = old.c[transfer["source"]]
            if transfer["cast"] is not None and impl.dialect.name != "sqlite":
                src = sa.cast(src, transfer["cast"])
            targets.append(target)
            sources.append(src)
        if targets:
            impl._exec(tmp.insert().inline().from_select(targets, sa.select(*sources)))
        for seq, _col in sequences:
            impl.execute(f"ALTER SEQUENCE {seq} OWNED BY NONE")
        impl._exec(sa_schema.DropTable(sa.Table(self.table.name, sa.MetaData(),
                                                schema=self.table.schema)))
        impl.rename_table(self.temp_table_name, self.table.name, schema=self.table.schema)
        if pg:
            self._pg_finish(impl, renames, sequences)
        final = sa.Table(self.table.name, sa.MetaData(),
                         *[sa.Column(n, NULLTYPE) for n in self.columns],
                         schema=self.table.schema)
        for spec in self.indexes:
            exprs = []
            for e in spec["exprs"]:
                if isinstance(e, str):
                    if e not in final.c:
                        break
                    exprs.append(final.c[e])
                else:
                    exprs.append(e)
            else:
                impl._exec(sa_schema.CreateIndex(
                    sa.Index(spec["name"], *exprs, unique=spec["unique"], _table=final,
                             **spec["kwargs"])))

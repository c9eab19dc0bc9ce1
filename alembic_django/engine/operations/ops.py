"""Op objects: migration directives as data (Alembic's ``alembic.operations.ops``).

Autogenerate builds trees of these (``from_table`` / ``from_column`` / ...), renders
them to Python and reverses them for the downgrade; ``Operations.invoke`` performs
them.  Each class also carries the classmethod behind its ``op.<directive>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import NULLTYPE

from .base import BatchOperations, Operations
from .schemaobj import SchemaObjects


def _schema_obj(migration_context: Any = None) -> SchemaObjects:
    return SchemaObjects(migration_context)


class MigrateOperation:
    """Base of all op objects."""

    _mutations: frozenset = frozenset()

    @property
    def info(self) -> dict:
        """A dict for user-defined data attached to this op."""
        try:
            return self._info  # type: ignore[has-type]
        except AttributeError:
            self._info = {}
            return self._info

    @info.setter
    def info(self, value: dict) -> None:
        self._info = value

    def reverse(self) -> MigrateOperation:
        raise NotImplementedError(f"{type(self).__name__} is not reversible")

    def to_diff_tuple(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no diff tuple")


class AddConstraintOp(MigrateOperation):
    """Base of the create-constraint ops."""

    add_constraint_ops: dict[str, type] = {}

    @property
    def constraint_type(self) -> str:
        raise NotImplementedError()

    @classmethod
    def register_add_constraint(cls, type_: str):
        def go(klass: type) -> type:
            cls.add_constraint_ops[type_] = klass
            return klass

        return go

    @classmethod
    def from_constraint(cls, constraint: Any) -> AddConstraintOp:
        return cls.add_constraint_ops[constraint.__visit_name__].from_constraint(constraint)

    def to_constraint(self, migration_context: Any = None) -> Any:
        raise NotImplementedError()

    def reverse(self) -> DropConstraintOp:
        return DropConstraintOp.from_constraint(self.to_constraint())

    def to_diff_tuple(self) -> tuple:
        return ("add_constraint", self.to_constraint())


_CONSTRAINT_TYPES = {
    "unique_constraint": "unique",
    "foreign_key_constraint": "foreignkey",
    "primary_key_constraint": "primary",
    "check_constraint": "check",
    "column_check_constraint": "check",
    "table_or_column_check_constraint": "check",
    "exclude_constraint": None,
}


@Operations.register_operation("drop_constraint")
@BatchOperations.register_operation("drop_constraint", "batch_drop_constraint")
class DropConstraintOp(MigrateOperation):
    def __init__(self, constraint_name: str | None, table_name: str,
                 type_: str | None = None, *, schema: str | None = None,
                 if_exists: bool | None = None, _reverse: AddConstraintOp | None = None
                 ) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.constraint_type = type_
        self.schema = schema
        self.if_exists = if_exists
        self._reverse = _reverse

    def reverse(self) -> AddConstraintOp:
        if self._reverse is None:
            raise ValueError("operation is not reversible; original constraint is not present")
        return AddConstraintOp.from_constraint(self.to_constraint())

    def to_diff_tuple(self) -> tuple:
        if self.constraint_type == "foreignkey":
            return ("remove_fk", self.to_constraint())
        return ("remove_constraint", self.to_constraint())

    @classmethod
    def from_constraint(cls, constraint: Any) -> DropConstraintOp:
        table = constraint.table
        return cls(constraint.name, table.name, schema=table.schema,
                   type_=_CONSTRAINT_TYPES.get(constraint.__visit_name__),
                   _reverse=AddConstraintOp.from_constraint(constraint))

    def to_constraint(self, migration_context: Any = None) -> Any:
        if self._reverse is not None:
            constraint = self._reverse.to_constraint(migration_context)
            constraint.name = self.constraint_name
            constraint.table.name = self.table_name
            constraint.table.schema = self.schema
            return constraint
        return _schema_obj(migration_context).generic_constraint(
            self.constraint_name, self.table_name, self.constraint_type, schema=self.schema)

    @classmethod
    def drop_constraint(cls, operations: Any, constraint_name: str, table_name: str,
                        type_: str | None = None, *, schema: str | None = None,
                        if_exists: bool | None = None) -> None:
        """Drop a constraint; ``type_`` is 'foreignkey', 'primary', 'unique' or 'check'."""
        return operations.invoke(cls(constraint_name, table_name, type_=type_, schema=schema,
                                     if_exists=if_exists))

    @classmethod
    def batch_drop_constraint(cls, operations: Any, constraint_name: str,
                              type_: str | None = None) -> None:
        """Drop a constraint of the batch table."""
        return operations.invoke(cls(constraint_name, operations.impl.table_name, type_=type_,
                                     schema=operations.impl.schema))


@Operations.register_operation("create_primary_key")
@BatchOperations.register_operation("create_primary_key", "batch_create_primary_key")
@AddConstraintOp.register_add_constraint("primary_key_constraint")
class CreatePrimaryKeyOp(AddConstraintOp):
    constraint_type = "primarykey"

    def __init__(self, constraint_name: str | None, table_name: str,
                 columns: Sequence[str], *, schema: str | None = None, **kw: Any) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.columns = columns
        self.schema = schema
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Any) -> CreatePrimaryKeyOp:
        return cls(constraint.name, constraint.table.name, [c.name for c in constraint.columns],
                   schema=constraint.table.schema, **constraint.dialect_kwargs)

    def to_constraint(self, migration_context: Any = None) -> Any:
        return _schema_obj(migration_context).primary_key_constraint(
            self.constraint_name, self.table_name, self.columns, schema=self.schema, **self.kw)

    @classmethod
    def create_primary_key(cls, operations: Any, constraint_name: str | None,
                           table_name: str, columns: list[str], *,
                           schema: str | None = None) -> None:
        """Add a PRIMARY KEY constraint."""
        return operations.invoke(cls(constraint_name, table_name, columns, schema=schema))

    @classmethod
    def batch_create_primary_key(cls, operations: Any, constraint_name: str | None,
                                 columns: list[str]) -> None:
        return operations.invoke(cls(constraint_name, operations.impl.table_name, columns,
                                     schema=operations.impl.schema))


@Operations.register_operation("create_unique_constraint")
@BatchOperations.register_operation("create_unique_constraint", "batch_create_unique_constraint")
@AddConstraintOp.register_add_constraint("unique_constraint")
class CreateUniqueConstraintOp(AddConstraintOp):
    constraint_type = "unique"

    def __init__(self, constraint_name: str | None, table_name: str,
                 columns: Sequence[str], *, schema: str | None = None, **kw: Any) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.columns = columns
        self.schema = schema
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Any) -> CreateUniqueConstraintOp:
        kw: dict = dict(constraint.dialect_kwargs)
        if constraint.deferrable:
            kw["deferrable"] = constraint.deferrable
        if constraint.initially:
            kw["initially"] = constraint.initially
        return cls(constraint.name, constraint.table.name, [c.name for c in constraint.columns],
                   schema=constraint.table.schema, **kw)

    def to_constraint(self, migration_context: Any = None) -> Any:
        return _schema_obj(migration_context).unique_constraint(
            self.constraint_name, self.table_name, self.columns, schema=self.schema, **self.kw)

    @classmethod
    def create_unique_constraint(cls, operations: Any, constraint_name: str | None,
                                 table_name: str, columns: Sequence[str], *,
                                 schema: str | None = None, **kw: Any) -> Any:
        """Add a UNIQUE constraint (``deferrable``, ``initially`` and dialect kwargs)."""
        return operations.invoke(cls(constraint_name, table_name, columns, schema=schema, **kw))

    @classmethod
    def batch_create_unique_constraint(cls, operations: Any, constraint_name: str,
                                       columns: Sequence[str], **kw: Any) -> Any:
        kw["schema"] = operations.impl.schema
        return operations.invoke(cls(constraint_name, operations.impl.table_name, columns, **kw))


@Operations.register_operation("create_foreign_key")
@BatchOperations.register_operation("create_foreign_key", "batch_create_foreign_key")
@AddConstraintOp.register_add_constraint("foreign_key_constraint")
class CreateForeignKeyOp(AddConstraintOp):
    constraint_type = "foreignkey"

    def __init__(self, constraint_name: str | None, source_table: str, referent_table: str,
                 local_cols: list[str], remote_cols: list[str], **kw: Any) -> None:
        self.constraint_name = constraint_name
        self.source_table = source_table
        self.referent_table = referent_table
        self.local_cols = local_cols
        self.remote_cols = remote_cols
        self.kw = kw

    def to_diff_tuple(self) -> tuple:
        return ("add_fk", self.to_constraint())

    @classmethod
    def from_constraint(cls, constraint: Any) -> CreateForeignKeyOp:
        kw: dict = {}
        for key in ("onupdate", "ondelete", "initially", "deferrable", "match"):
            value = getattr(constraint, key)
            if value:
                kw[key] = value
        kw["source_schema"] = constraint.table.schema
        first = constraint.elements[0]
        colspec = first._get_colspec()
        parts = colspec.split(".") if isinstance(colspec, str) else None
        if parts and len(parts) >= 2:
            referent = parts[-2]
            kw["referent_schema"] = ".".join(parts[:-2]) or None
            remote = [e._get_colspec().split(".")[-1] for e in constraint.elements]
        else:
            target = first.column.table
            referent, kw["referent_schema"] = target.name, target.schema
            remote = [e.column.name for e in constraint.elements]
        kw.update(constraint.dialect_kwargs)
        return cls(constraint.name, constraint.table.name, referent,
                   list(constraint.column_keys), remote, **kw)

    def to_constraint(self, migration_context: Any = None) -> Any:
        return _schema_obj(migration_context).foreign_key_constraint(
            self.constraint_name, self.source_table, self.referent_table,
            self.local_cols, self.remote_cols, **self.kw)

    @classmethod
    def create_foreign_key(cls, operations: Any, constraint_name: str | None,
                           source_table: str, referent_table: str, local_cols: list[str],
                           remote_cols: list[str], *, onupdate: str | None = None,
                           ondelete: str | None = None, deferrable: bool | None = None,
                           initially: str | None = None, match: str | None = None,
                           source_schema: str | None = None,
                           referent_schema: str | None = None, **dialect_kw: Any) -> None:
        """Add a FOREIGN KEY constraint."""
        return operations.invoke(cls(
            constraint_name, source_table, referent_table, local_cols, remote_cols,
            onupdate=onupdate, ondelete=ondelete, deferrable=deferrable,
            source_schema=source_schema, referent_schema=referent_schema,
            initially=initially, match=match, **dialect_kw))

    @classmethod
    def batch_create_foreign_key(cls, operations: Any, constraint_name: str | None,
                                 referent_table: str, local_cols: list[str],
                                 remote_cols: list[str], *, referent_schema: str | None = None,
                                 onupdate: str | None = None, ondelete: str | None = None,
                                 deferrable: bool | None = None, initially: str | None = None,
                                 match: str | None = None, **dialect_kw: Any) -> None:
        return operations.invoke(cls(
            constraint_name, operations.impl.table_name, referent_table, local_cols, remote_cols,
            onupdate=onupdate, ondelete=ondelete, deferrable=deferrable,
            source_schema=operations.impl.schema, referent_schema=referent_schema,
            initially=initially, match=match, **dialect_kw))


@Operations.register_operation("create_check_constraint")
@BatchOperations.register_operation("create_check_constraint", "batch_create_check_constraint")
@AddConstraintOp.register_add_constraint("check_constraint")
@AddConstraintOp.register_add_constraint("table_or_column_check_constraint")
@AddConstraintOp.register_add_constraint("column_check_constraint")
class CreateCheckConstraintOp(AddConstraintOp):
    constraint_type = "check"

    def __init__(self, constraint_name: str | None, table_name: str, condition: Any, *,
                 schema: str | None = None, **kw: Any) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.condition = condition
        self.schema = schema
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Any) -> CreateCheckConstraintOp:
        return cls(constraint.name, constraint.table.name, constraint.sqltext,
                   schema=constraint.table.schema, **constraint.dialect_kwargs)

    def to_constraint(self, migration_context: Any = None) -> Any:
        return _schema_obj(migration_context).check_constraint(
            self.constraint_name, self.table_name, self.condition, schema=self.schema, **self.kw)

    @classmethod
    def create_check_constraint(cls, operations: Any, constraint_name: str | None,
                                table_name: str, condition: Any, *,
                                schema: str | None = None, **kw: Any) -> None:
        """Add a CHECK constraint; ``condition`` is a string or SQL expression."""
        return operations.invoke(cls(constraint_name, table_name, condition, schema=schema,
                                     **kw))

    @classmethod
    def batch_create_check_constraint(cls, operations: Any, constraint_name: str,
                                      condition: Any, **kw: Any) -> None:
        return operations.invoke(cls(constraint_name, operations.impl.table_name, condition,
                                     schema=operations.impl.schema, **kw))


@Operations.register_operation("create_exclude_constraint")
@BatchOperations.register_operation("create_exclude_constraint",
                                    "batch_create_exclude_constraint")
@AddConstraintOp.register_add_constraint("exclude_constraint")
class CreateExcludeConstraintOp(AddConstraintOp):
    """PostgreSQL ``EXCLUDE USING ...`` constraint."""

    constraint_type = "exclude"

    def __init__(self, constraint_name: str | None, table_name: str, elements: Sequence,
                 where: Any = None, *, schema: str | None = None, **kw: Any) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.elements = list(elements)
        self.where = where
        self.schema = schema
        self.kw = kw

    @classmethod
    def from_constraint(cls, constraint: Any) -> CreateExcludeConstraintOp:
        kw = {k: getattr(constraint, k) for k in ("using", "deferrable", "initially")
              if getattr(constraint, k, None)}
        return cls(constraint.name, constraint.table.name,
                   [(expr, op) for expr, _name, op in constraint._render_exprs],
                   where=constraint.where, schema=constraint.table.schema, **kw)

    def to_constraint(self, migration_context: Any = None) -> Any:
        from sqlalchemy.dialects.postgresql import ExcludeConstraint

        t = sa.Table(self.table_name, sa.MetaData(), schema=self.schema)
        for expr, _op in self.elements:
            if isinstance(expr, str) and expr not in t.c:
                t.append_column(sa.Column(expr, NULLTYPE))
        where = sa.text(self.where) if isinstance(self.where, str) else self.where
        excl = ExcludeConstraint(*self.elements, name=self.constraint_name, where=where,
                                 **self.kw)
        t.append_constraint(excl)
        return excl

    @classmethod
    def create_exclude_constraint(cls, operations: Any, constraint_name: str, table_name: str,
                                  *elements: Any, **kw: Any) -> None:
        """PostgreSQL: add an EXCLUDE constraint; ``elements`` are (column, operator)."""
        schema = kw.pop("schema", None)
        where = kw.pop("where", None)
        return operations.invoke(cls(constraint_name, table_name, elements, where=where,
                                     schema=schema, **kw))

    @classmethod
    def batch_create_exclude_constraint(cls, operations: Any, constraint_name: str,
                                        *elements: Any, **kw: Any) -> None:
        """The EXCLUDE constraint on the batch's table."""
        kw.setdefault("schema", operations.impl.schema)
        return cls.create_exclude_constraint(operations, constraint_name,
                                             operations.impl.table_name, *elements, **kw)


@Operations.register_operation("create_index")
@BatchOperations.register_operation("create_index", "batch_create_index")
class CreateIndexOp(MigrateOperation):
    def __init__(self, index_name: str | None, table_name: str, columns: Sequence[Any], *,
                 schema: str | None = None, unique: bool = False,
                 if_not_exists: bool | None = None, _orig_index: sa.Index | None = None,
                 **kw: Any) -> None:
        self.index_name = index_name
        self.table_name = table_name
        self.columns = columns
        self.schema = schema
        self.unique = unique
        self.if_not_exists = if_not_exists
        self.kw = kw
        self._orig_index = _orig_index

    def _index(self) -> sa.Index:
        """The Index this op was made from while the op still describes it exactly,
        otherwise one built by :meth:`to_index`."""
        orig = self._orig_index
        if orig is not None and _same_index(orig, self.index_name, self.table_name,
                                            self.schema, self.kw) \
                and bool(self.unique) == bool(orig.unique) \
                and _same_items(self.columns, orig.expressions):
            return orig
        return self.to_index()

    def reverse(self) -> DropIndexOp:
        if self._orig_index is None and all(_is_dialect_kw(k) for k in self.kw):
            # what DropIndexOp.from_index(self.to_index()) gives, without building an
            # Index (and a Table and a MetaData) for it
            return DropIndexOp(
                self.index_name, table_name=self.table_name, schema=self.schema,
                _reverse=CreateIndexOp(self.index_name, self.table_name, list(self.columns),
                                       schema=self.schema, unique=bool(self.unique),
                                       **self.kw),
                **self.kw)
        return DropIndexOp.from_index(self._index())

    def to_diff_tuple(self) -> tuple:
        return ("add_index", self._index())

    @classmethod
    def from_index(cls, index: sa.Index) -> CreateIndexOp:
        return cls(index.name, index.table.name, list(index.expressions),
                   schema=index.table.schema, unique=bool(index.unique), _orig_index=index,
                   **index.kwargs)

    def to_index(self, migration_context: Any = None) -> sa.Index:
        return _schema_obj(migration_context).index(
            self.index_name, self.table_name, self.columns, schema=self.schema,
            unique=self.unique, **self.kw)

    @classmethod
    def create_index(cls, operations: Any, index_name: str | None, table_name: str,
                     columns: Sequence[Any], *, schema: str | None = None,
                     unique: bool = False, if_not_exists: bool | None = None,
                     **kw: Any) -> None:
        """Create an index; ``columns`` are names or SQL expressions (``text()``)."""
        return operations.invoke(cls(index_name, table_name, columns, schema=schema,
                                     unique=unique, if_not_exists=if_not_exists, **kw))

    @classmethod
    def batch_create_index(cls, operations: Any, index_name: str, columns: list[str],
                           **kw: Any) -> None:
        return operations.invoke(cls(index_name, operations.impl.table_name, columns,
                                     schema=operations.impl.schema, **kw))


@Operations.register_operation("drop_index")
@BatchOperations.register_operation("drop_index", "batch_drop_index")
class DropIndexOp(MigrateOperation):
    def __init__(self, index_name: Any, table_name: str | None = None, *,
                 schema: str | None = None, if_exists: bool | None = None,
                 _reverse: CreateIndexOp | None = None, **kw: Any) -> None:
        self.index_name = index_name
        self.table_name = table_name
        self.schema = schema
        self.if_exists = if_exists
        self._reverse = _reverse
        self.kw = kw

    def _index(self) -> sa.Index:
        rev = self._reverse
        orig = rev._orig_index if rev is not None else None
        if orig is not None and _same_index(orig, self.index_name, self.table_name,
                                            self.schema, self.kw):
            return rev._index()
        return self.to_index()

    def to_diff_tuple(self) -> tuple:
        return ("remove_index", self._index())

    def reverse(self) -> CreateIndexOp:
        if self._reverse is None:
            raise ValueError("operation is not reversible; original index is not present")
        return CreateIndexOp.from_index(self._reverse._index())

    @classmethod
    def from_index(cls, index: sa.Index) -> DropIndexOp:
        return cls(index.name, table_name=index.table.name, schema=index.table.schema,
                   _reverse=CreateIndexOp.from_index(index), **index.kwargs)

    def to_index(self, migration_context: Any = None) -> sa.Index:
        columns = self._reverse.columns if self._reverse is not None else ["x"]
        unique = self._reverse.unique if self._reverse is not None else False
        return _schema_obj(migration_context).index(
            self.index_name, self.table_name, columns, schema=self.schema, unique=unique,
            **self.kw)

    @classmethod
    def drop_index(cls, operations: Any, index_name: str, table_name: str | None = None, *,
                   schema: str | None = None, if_exists: bool | None = None,
                   **kw: Any) -> None:
        """Drop an index (MySQL needs ``table_name``)."""
        return operations.invoke(cls(index_name, table_name=table_name, schema=schema,
                                     if_exists=if_exists, **kw))

    @classmethod
    def batch_drop_index(cls, operations: Any, index_name: str, **kw: Any) -> None:
        return operations.invoke(cls(index_name, table_name=operations.impl.table_name,
                                     schema=operations.impl.schema, **kw))


@Operations.register_operation("create_table")
class CreateTableOp(MigrateOperation):
    def __init__(self, table_name: str, columns: Sequence[Any], *,
                 schema: str | None = None, if_not_exists: bool | None = None,
                 _namespace_metadata: sa.MetaData | None = None,
                 _constraints_included: bool = False, _orig_table: sa.Table | None = None,
                 **kw: Any) -> None:
        self._orig_table = _orig_table
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.if_not_exists = if_not_exists
        self.info = kw.pop("info", {})
        self.comment = kw.pop("comment", None)
        self.prefixes = kw.pop("prefixes", None)
        self.kw = kw
        self._namespace_metadata = _namespace_metadata
        self._constraints_included = _constraints_included

    def _table(self) -> sa.Table:
        """The Table this op was made from while the op still describes it exactly
        (nothing is added to it), otherwise one built by :meth:`to_table`."""
        orig = self._orig_table
        if orig is not None and _same_table(orig, self.table_name, self.schema, self.comment,
                                            self.info, self.prefixes, self.kw) \
                and _same_items(self.columns, list(orig.c) + list(orig.constraints)):
            return orig
        return self.to_table()

    def reverse(self) -> DropTableOp:
        return DropTableOp.from_table(self._table(), _namespace_metadata=self._namespace_metadata)

    def to_diff_tuple(self) -> tuple:
        return ("add_table", self._table())

    @classmethod
    def from_table(cls, table: sa.Table, *, _namespace_metadata: sa.MetaData | None = None
                   ) -> CreateTableOp:
        if _namespace_metadata is None:
            _namespace_metadata = table.metadata
        return cls(table.name, list(table.c) + list(table.constraints), schema=table.schema,
                   _namespace_metadata=_namespace_metadata, _constraints_included=True,
                   _orig_table=table, comment=table.comment, info=dict(table.info),
                   prefixes=list(table._prefixes), **table.kwargs)

    def to_table(self, migration_context: Any = None) -> sa.Table:
        kw = dict(self.kw)
        if self.comment is not None:
            kw["comment"] = self.comment
        if self.prefixes:
            kw["prefixes"] = self.prefixes
        return _schema_obj(migration_context).table(
            self.table_name, *self.columns, schema=self.schema, info=dict(self.info),
            _constraints_included=self._constraints_included, **kw)

    @classmethod
    def create_table(cls, operations: Any, table_name: str, *columns: Any,
                     if_not_exists: bool | None = None, **kw: Any) -> sa.Table:
        """Create a table from Column / Constraint / Index objects; returns the Table."""
        return operations.invoke(cls(table_name, columns, if_not_exists=if_not_exists, **kw))


@Operations.register_operation("drop_table")
class DropTableOp(MigrateOperation):
    def __init__(self, table_name: str, *, schema: str | None = None,
                 if_exists: bool | None = None, table_kw: dict | None = None,
                 _reverse: CreateTableOp | None = None) -> None:
        self.table_name = table_name
        self.schema = schema
        self.if_exists = if_exists
        self.table_kw = dict(table_kw or {})
        self.comment = self.table_kw.pop("comment", None)
        self.info = self.table_kw.pop("info", None) or {}
        self.prefixes = self.table_kw.pop("prefixes", None)
        self._reverse = _reverse

    def _table(self) -> sa.Table:
        rev = self._reverse
        orig = rev._orig_table if rev is not None else None
        if orig is not None and _same_table(orig, self.table_name, self.schema, self.comment,
                                            self.info, self.prefixes, self.table_kw):
            return rev._table()
        return self.to_table()

    def to_diff_tuple(self) -> tuple:
        return ("remove_table", self._table())

    def reverse(self) -> CreateTableOp:
        return CreateTableOp.from_table(self._table())

    @classmethod
    def from_table(cls, table: sa.Table, *, _namespace_metadata: sa.MetaData | None = None
                   ) -> DropTableOp:
        return cls(table.name, schema=table.schema,
                   table_kw={"comment": table.comment, "info": dict(table.info),
                             "prefixes": list(table._prefixes), **table.kwargs},
                   _reverse=CreateTableOp.from_table(table,
                                                     _namespace_metadata=_namespace_metadata))

    def to_table(self, migration_context: Any = None) -> sa.Table:
        items = self._reverse.columns if self._reverse is not None else []
        kw = dict(self.table_kw)
        if self.comment is not None:
            kw["comment"] = self.comment
        if self.prefixes:
            kw["prefixes"] = self.prefixes
        return _schema_obj(migration_context).table(
            self.table_name, *items, schema=self.schema, info=dict(self.info),
            _constraints_included=bool(self._reverse and self._reverse._constraints_included),
            **kw)

    @classmethod
    def drop_table(cls, operations: Any, table_name: str, *, schema: str | None = None,
                   if_exists: bool | None = None, **kw: Any) -> None:
        """Drop a table."""
        return operations.invoke(cls(table_name, schema=schema, if_exists=if_exists,
                                     table_kw=kw))


def _same_items(items: Sequence[Any], originals: Any) -> bool:
    """Whether ``items`` are exactly (by identity) ``originals``."""
    originals = list(originals)
    return len(items) == len(originals) and all(a is b for a, b in zip(items, originals, strict=False))


def _is_dialect_kw(key: str) -> bool:
    """``postgresql_where`` and the like: what ``Index.kwargs`` gives back."""
    return "_" in key and not key.startswith("_") and key.split("_", 1)[0].isalnum()


def _same_kw(kw: dict, orig_kw: Any) -> bool:
    try:
        return dict(kw) == dict(orig_kw)
    except Exception:  # noqa: BLE001 - values whose == builds SQL (or raises) rather than answering
        return False


def _same_index(orig: sa.Index, name: Any, table_name: str | None, schema: str | None,
                kw: dict) -> bool:
    table = orig.table
    return table is not None and name == orig.name and table_name == table.name \
        and schema == table.schema and _same_kw(kw, orig.kwargs)


def _same_table(orig: sa.Table, name: str, schema: str | None, comment: str | None,
                info: dict, prefixes: Any, kw: dict) -> bool:
    return name == orig.name and schema == orig.schema and comment == orig.comment \
        and list(prefixes or []) == list(orig._prefixes) and _same_kw(info, orig.info) \
        and _same_kw(kw, orig.kwargs)


class AlterTableOp(MigrateOperation):
    def __init__(self, table_name: str, *, schema: str | None = None) -> None:
        self.table_name = table_name
        self.schema = schema


@Operations.register_operation("rename_table")
class RenameTableOp(AlterTableOp):
    def __init__(self, old_table_name: str, new_table_name: str, *,
                 schema: str | None = None) -> None:
        super().__init__(old_table_name, schema=schema)
        self.new_table_name = new_table_name

    def reverse(self) -> RenameTableOp:
        return RenameTableOp(self.new_table_name, self.table_name, schema=self.schema)

    @classmethod
    def rename_table(cls, operations: Any, old_table_name: str, new_table_name: str, *,
                     schema: str | None = None) -> None:
        """Rename a table."""
        return operations.invoke(cls(old_table_name, new_table_name, schema=schema))


@Operations.register_operation("create_table_comment")
@BatchOperations.register_operation("create_table_comment", "batch_create_table_comment")
class CreateTableCommentOp(AlterTableOp):
    def __init__(self, table_name: str, comment: str | None, *,
                 schema: str | None = None, existing_comment: str | None = None) -> None:
        super().__init__(table_name, schema=schema)
        self.comment = comment
        self.existing_comment = existing_comment

    def reverse(self) -> MigrateOperation:
        if self.existing_comment is None:
            return DropTableCommentOp(self.table_name, existing_comment=self.comment,
                                      schema=self.schema)
        return CreateTableCommentOp(self.table_name, self.existing_comment,
                                    existing_comment=self.comment, schema=self.schema)

    def to_table(self, migration_context: Any = None) -> sa.Table:
        return _schema_obj(migration_context).table(self.table_name, schema=self.schema,
                                                    comment=self.comment)

    def to_diff_tuple(self) -> tuple:
        return ("add_table_comment", self.to_table(), self.existing_comment)

    @classmethod
    def create_table_comment(cls, operations: Any, table_name: str, comment: str | None, *,
                             existing_comment: str | None = None,
                             schema: str | None = None) -> None:
        """Set the comment of a table."""
        return operations.invoke(cls(table_name, comment, existing_comment=existing_comment,
                                     schema=schema))

    @classmethod
    def batch_create_table_comment(cls, operations: Any, comment: str | None, *,
                                   existing_comment: str | None = None) -> None:
        return operations.invoke(cls(operations.impl.table_name, comment,
                                     existing_comment=existing_comment,
                                     schema=operations.impl.schema))


@Operations.register_operation("drop_table_comment")
@BatchOperations.register_operation("drop_table_comment", "batch_drop_table_comment")
class DropTableCommentOp(AlterTableOp):
    def __init__(self, table_name: str, *, schema: str | None = None,
                 existing_comment: str | None = None) -> None:
        super().__init__(table_name, schema=schema)
        self.existing_comment = existing_comment

    def reverse(self) -> CreateTableCommentOp:
        return CreateTableCommentOp(self.table_name, self.existing_comment, schema=self.schema)

    def to_table(self, migration_context: Any = None) -> sa.Table:
        return _schema_obj(migration_context).table(self.table_name, schema=self.schema)

    def to_diff_tuple(self) -> tuple:
        return ("remove_table_comment", self.to_table())

    @classmethod
    def drop_table_comment(cls, operations: Any, table_name: str, *,
                           existing_comment: str | None = None,
                           schema: str | None = None) -> None:
        """Remove the comment of a table."""
        return operations.invoke(cls(table_name, existing_comment=existing_comment,
                                     schema=schema))

    @classmethod
    def batch_drop_table_comment(cls, operations: Any, *,
                                 existing_comment: str | None = None) -> None:
        return operations.invoke(cls(operations.impl.table_name,
                                     existing_comment=existing_comment,
                                     schema=operations.impl.schema))


from .column_ops import (  # noqa: E402  (the rest of the op classes)
    AddColumnOp,
    AlterColumnOp,
    BulkInsertOp,
    DowngradeOps,
    DropColumnOp,
    ExecuteSQLOp,
    MigrationScript,
    ModifyTableOps,
    OpContainer,
    UpgradeOps,
)

__all__ = [
    "MigrateOperation", "AddConstraintOp", "DropConstraintOp", "CreatePrimaryKeyOp",
    "CreateUniqueConstraintOp", "CreateForeignKeyOp", "CreateCheckConstraintOp",
    "CreateExcludeConstraintOp", "CreateIndexOp", "DropIndexOp", "CreateTableOp",
    "DropTableOp", "AlterTableOp", "RenameTableOp", "CreateTableCommentOp",
    "DropTableCommentOp", "AddColumnOp", "AlterColumnOp", "DropColumnOp", "BulkInsertOp",
    "ExecuteSQLOp", "OpContainer", "ModifyTableOps", "UpgradeOps", "DowngradeOps",
    "MigrationScript",
]

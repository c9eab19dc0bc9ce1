"""Column, SQL/data and container op objects (re-exported by :mod:`.ops`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import NULLTYPE

from .base import BatchOperations, Operations
from .ops import AlterTableOp, MigrateOperation


@Operations.register_operation("alter_column")
@BatchOperations.register_operation("alter_column", "batch_alter_column")
class AlterColumnOp(AlterTableOp):
    def __init__(self, table_name: str, column_name: str, *, schema: str | None = None,
                 existing_type: Any = None, existing_server_default: Any = False,
                 existing_nullable: bool | None = None,
                 existing_comment: str | None = None, modify_nullable: bool | None = None,
                 modify_comment: Any = False, modify_server_default: Any = False,
                 modify_name: str | None = None, modify_type: Any = None,
                 **kw: Any) -> None:
        super().__init__(table_name, schema=schema)
        self.column_name = column_name
        self.existing_type = existing_type
        self.existing_server_default = existing_server_default
        self.existing_nullable = existing_nullable
        self.existing_comment = existing_comment
        self.modify_nullable = modify_nullable
        self.modify_comment = modify_comment
        self.modify_server_default = modify_server_default
        self.modify_name = modify_name
        self.modify_type = modify_type
        self.kw = kw

    def to_diff_tuple(self) -> list:
        col_diff = []
        schema, tname, cname = self.schema, self.table_name, self.column_name
        base_kw = {"existing_nullable": self.existing_nullable,
                   "existing_server_default": self.existing_server_default or None,
                   "existing_comment": self.existing_comment}
        if self.modify_type is not None:
            col_diff.append(("modify_type", schema, tname, cname, dict(base_kw),
                             self.existing_type, self.modify_type))
        if self.modify_nullable is not None:
            col_diff.append(("modify_nullable", schema, tname, cname,
                             {"existing_type": self.existing_type,
                              "existing_server_default": self.existing_server_default or None,
                              "existing_comment": self.existing_comment},
                             self.existing_nullable, self.modify_nullable))
        if self.modify_server_default is not False:
            col_diff.append(("modify_default", schema, tname, cname,
                             {"existing_nullable": self.existing_nullable,
                              "existing_type": self.existing_type,
                              "existing_comment": self.existing_comment},
                             self.existing_server_default, self.modify_server_default))
        if self.modify_comment is not False:
            col_diff.append(("modify_comment", schema, tname, cname,
                             {"existing_nullable": self.existing_nullable,
                              "existing_type": self.existing_type,
                              "existing_server_default": self.existing_server_default or None},
                             self.existing_comment, self.modify_comment))
        return col_diff

    def has_changes(self) -> bool:
        hc = (self.modify_nullable is not None or self.modify_server_default is not False
              or self.modify_type is not None or self.modify_comment is not False
              or self.modify_name is not None)
        if hc:
            return True
        return any(k.startswith("modify_") for k in self.kw)

    def reverse(self) -> AlterColumnOp:
        kw = dict(self.kw)
        kw["existing_type"] = self.existing_type
        kw["existing_nullable"] = self.existing_nullable
        kw["existing_server_default"] = self.existing_server_default
        kw["existing_comment"] = self.existing_comment
        if self.modify_type is not None:
            kw["modify_type"] = self.modify_type
        if self.modify_nullable is not None:
            kw["modify_nullable"] = self.modify_nullable
        if self.modify_server_default is not False:
            kw["modify_server_default"] = self.modify_server_default
        if self.modify_comment is not False:
            kw["modify_comment"] = self.modify_comment
        keys = {m.group(1) for m in (re.match(r"^(?:existing_|modify_)(.+)$", k) for k in kw)
                if m}
        for k in keys:
            if f"modify_{k}" in kw:
                kw[f"existing_{k}"], kw[f"modify_{k}"] = kw[f"modify_{k}"], kw.get(f"existing_{k}")
        column_name = self.column_name
        if self.modify_name is not None:
            kw["modify_name"], column_name = self.column_name, self.modify_name
        return self.__class__(self.table_name, column_name, schema=self.schema, **kw)

    @classmethod
    def alter_column(cls, operations: Any, table_name: str, column_name: str, *,
                     nullable: bool | None = None, comment: Any = False,
                     server_default: Any = False, new_column_name: str | None = None,
                     type_: Any = None, existing_type: Any = None,
                     existing_server_default: Any = False,
                     existing_nullable: bool | None = None,
                     existing_comment: str | None = None, schema: str | None = None,
                     **kw: Any) -> None:
        """Alter a column: nullability, server default, type, name, comment.

        ``existing_*`` describe the column as it is (MySQL needs type and nullability);
        ``postgresql_using`` and ``autoincrement`` are accepted as keywords.
        """
        return operations.invoke(cls(
            table_name, column_name, schema=schema, existing_type=existing_type,
            existing_server_default=existing_server_default,
            existing_nullable=existing_nullable, existing_comment=existing_comment,
            modify_name=new_column_name, modify_type=type_,
            modify_server_default=server_default, modify_nullable=nullable,
            modify_comment=comment, **kw))

    @classmethod
    def batch_alter_column(cls, operations: Any, column_name: str, *,
                           nullable: bool | None = None, comment: Any = False,
                           server_default: Any = False, new_column_name: str | None = None,
                           type_: Any = None, existing_type: Any = None,
                           existing_server_default: Any = False,
                           existing_nullable: bool | None = None,
                           existing_comment: str | None = None,
                           insert_before: str | None = None,
                           insert_after: str | None = None, **kw: Any) -> None:
        return operations.invoke(cls(
            operations.impl.table_name, column_name, schema=operations.impl.schema,
            existing_type=existing_type, existing_server_default=existing_server_default,
            existing_nullable=existing_nullable, existing_comment=existing_comment,
            modify_name=new_column_name, modify_type=type_,
            modify_server_default=server_default, modify_nullable=nullable,
            modify_comment=comment, insert_before=insert_before, insert_after=insert_after,
            **kw))


@Operations.register_operation("add_column")
@BatchOperations.register_operation("add_column", "batch_add_column")
class AddColumnOp(AlterTableOp):
    def __init__(self, table_name: str, column: sa.Column, *, schema: str | None = None,
                 if_not_exists: bool | None = None, **kw: Any) -> None:
        super().__init__(table_name, schema=schema)
        self.column = column
        self.if_not_exists = if_not_exists
        self.kw = kw

    def reverse(self) -> DropColumnOp:
        op = DropColumnOp.from_column_and_tablename(self.schema, self.table_name, self.column)
        op.if_exists = self.if_not_exists
        return op

    def to_diff_tuple(self) -> tuple:
        return ("add_column", self.schema, self.table_name, self.column)

    def to_column(self) -> sa.Column:
        return self.column

    @classmethod
    def from_column(cls, col: sa.Column) -> AddColumnOp:
        return cls(col.table.name, col, schema=col.table.schema)

    @classmethod
    def from_column_and_tablename(cls, schema: str | None, tname: str,
                                  col: sa.Column) -> AddColumnOp:
        return cls(tname, col, schema=schema)

    @classmethod
    def add_column(cls, operations: Any, table_name: str, column: sa.Column, *,
                   schema: str | None = None, if_not_exists: bool | None = None,
                   inline_references: bool | None = None,
                   inline_primary_key: bool | None = None) -> None:
        """Add a column; its ForeignKey / unique / index become separate statements unless
        ``inline_references`` / ``inline_primary_key`` put them in the column spec."""
        return operations.invoke(cls(
            table_name, column, schema=schema, if_not_exists=if_not_exists,
            inline_references=inline_references, inline_primary_key=inline_primary_key))

    @classmethod
    def batch_add_column(cls, operations: Any, column: sa.Column, *,
                         insert_before: str | None = None, insert_after: str | None = None,
                         if_not_exists: bool | None = None,
                         inline_references: bool | None = None,
                         inline_primary_key: bool | None = None) -> None:
        kw: dict = {}
        if insert_before:
            kw["insert_before"] = insert_before
        if insert_after:
            kw["insert_after"] = insert_after
        if inline_references is not None:
            kw["inline_references"] = inline_references
        if inline_primary_key is not None:
            kw["inline_primary_key"] = inline_primary_key
        return operations.invoke(cls(operations.impl.table_name, column,
                                     schema=operations.impl.schema,
                                     if_not_exists=if_not_exists, **kw))


@Operations.register_operation("drop_column")
@BatchOperations.register_operation("drop_column", "batch_drop_column")
class DropColumnOp(AlterTableOp):
    def __init__(self, table_name: str, column_name: str, *, schema: str | None = None,
                 if_exists: bool | None = None, _reverse: AddColumnOp | None = None,
                 **kw: Any) -> None:
        super().__init__(table_name, schema=schema)
        self.column_name = column_name
        self.kw = kw
        self.if_exists = if_exists
        self._reverse = _reverse

    def to_diff_tuple(self) -> tuple:
        return ("remove_column", self.schema, self.table_name, self.to_column())

    def reverse(self) -> AddColumnOp:
        if self._reverse is None:
            raise ValueError("operation is not reversible; original column is not present")
        return AddColumnOp.from_column_and_tablename(self.schema, self.table_name,
                                                     self._reverse.column)

    @classmethod
    def from_column_and_tablename(cls, schema: str | None, tname: str,
                                  col: sa.Column) -> DropColumnOp:
        return cls(tname, col.name, schema=schema,
                   _reverse=AddColumnOp.from_column_and_tablename(schema, tname, col))

    def to_column(self, migration_context: Any = None) -> sa.Column:
        if self._reverse is not None:
            return self._reverse.column
        return sa.Column(self.column_name, NULLTYPE)

    @classmethod
    def drop_column(cls, operations: Any, table_name: str, column_name: str, *,
                    schema: str | None = None, **kw: Any) -> None:
        """Drop a column (``if_exists`` and dialect keywords accepted)."""
        return operations.invoke(cls(table_name, column_name, schema=schema, **kw))

    @classmethod
    def batch_drop_column(cls, operations: Any, column_name: str, **kw: Any) -> None:
        return operations.invoke(cls(operations.impl.table_name, column_name,
                                     schema=operations.impl.schema, **kw))


@Operations.register_operation("bulk_insert")
class BulkInsertOp(MigrateOperation):
    def __init__(self, table: Any, rows: list, *, multiinsert: bool = True) -> None:
        self.table = table
        self.rows = rows
        self.multiinsert = multiinsert

    @classmethod
    def bulk_insert(cls, operations: Any, table: Any, rows: list, *,
                    multiinsert: bool = True) -> None:
        """Insert a list of dicts into a Table / table(); offline each row is an INSERT
        with inline literal values."""
        return operations.invoke(cls(table, rows, multiinsert=multiinsert))


@Operations.register_operation("execute")
@BatchOperations.register_operation("execute", "batch_execute")
class ExecuteSQLOp(MigrateOperation):
    def __init__(self, sqltext: Any, *, execution_options: dict | None = None) -> None:
        self.sqltext = sqltext
        self.execution_options = execution_options

    @classmethod
    def execute(cls, operations: Any, sqltext: Any, *,
                execution_options: dict | None = None) -> None:
        """Execute a SQL string or construct (rendered as literal SQL offline)."""
        return operations.invoke(cls(sqltext, execution_options=execution_options))

    @classmethod
    def batch_execute(cls, operations: Any, sqltext: Any, *,
                      execution_options: dict | None = None) -> None:
        return operations.invoke(cls(sqltext, execution_options=execution_options))


class OpContainer(MigrateOperation):
    """A sequence of ops."""

    def __init__(self, ops: Sequence[MigrateOperation] = ()) -> None:
        self.ops = list(ops)

    def is_empty(self) -> bool:
        return not self.ops

    def as_diffs(self) -> list:
        return list(OpContainer._ops_as_diffs(self))

    @classmethod
    def _ops_as_diffs(cls, migrations: OpContainer) -> Iterator:
        for op in migrations.ops:
            if hasattr(op, "ops"):
                yield from cls._ops_as_diffs(op)
            else:
                yield op.to_diff_tuple()


class ModifyTableOps(OpContainer):
    """Ops that all apply to one table."""

    def __init__(self, table_name: str, ops: Sequence[MigrateOperation], *,
                 schema: str | None = None) -> None:
        super().__init__(ops)
        self.table_name = table_name
        self.schema = schema

    def reverse(self) -> ModifyTableOps:
        return ModifyTableOps(self.table_name,
                              ops=list(reversed([op.reverse() for op in self.ops])),
                              schema=self.schema)


class UpgradeOps(OpContainer):
    """The ops of an ``upgrade()``."""

    def __init__(self, ops: Sequence[MigrateOperation] = (),
                 upgrade_token: str = "upgrades") -> None:
        super().__init__(ops=ops)
        self.upgrade_token = upgrade_token

    def reverse_into(self, downgrade_ops: DowngradeOps) -> DowngradeOps:
        downgrade_ops.ops[:] = list(reversed([op.reverse() for op in self.ops]))
        return downgrade_ops

    def reverse(self) -> DowngradeOps:
        return self.reverse_into(DowngradeOps(ops=[]))


class DowngradeOps(OpContainer):
    """The ops of a ``downgrade()``."""

    def __init__(self, ops: Sequence[MigrateOperation] = (),
                 downgrade_token: str = "downgrades") -> None:
        super().__init__(ops=ops)
        self.downgrade_token = downgrade_token

    def reverse(self) -> UpgradeOps:
        return UpgradeOps(ops=list(reversed([op.reverse() for op in self.ops])))


class MigrationScript(MigrateOperation):
    """A revision file to be written: its identity and its upgrade/downgrade ops."""

    def __init__(self, rev_id: str | None, upgrade_ops: Any, downgrade_ops: Any, *,
                 message: str | None = None, imports: set | None = None,
                 head: str | None = None, splice: bool | None = None,
                 branch_label: Any = None, version_path: str | None = None,
                 depends_on: Any = None) -> None:
        self.rev_id = rev_id
        self.message = message
        self.imports = imports if imports is not None else set()
        self.head = head
        self.splice = splice
        self.branch_label = branch_label
        self.version_path = version_path
        self.depends_on = depends_on
        self.upgrade_ops = upgrade_ops
        self.downgrade_ops = downgrade_ops

    @property
    def upgrade_ops(self) -> UpgradeOps | None:
        if len(self._upgrade_ops) > 1:
            raise ValueError("This MigrationScript instance has a multiple-entry list for "
                             "UpgradeOps; please use the upgrade_ops_list attribute.")
        return self._upgrade_ops[0] if self._upgrade_ops else None

    @upgrade_ops.setter
    def upgrade_ops(self, upgrade_ops: Any) -> None:
        self._upgrade_ops = _to_list(upgrade_ops)
        for elem in self._upgrade_ops:
            if not isinstance(elem, UpgradeOps):
                raise TypeError(f"expected UpgradeOps, got {type(elem).__name__}")

    @property
    def downgrade_ops(self) -> DowngradeOps | None:
        if len(self._downgrade_ops) > 1:
            raise ValueError("This MigrationScript instance has a multiple-entry list for "
                             "DowngradeOps; please use the downgrade_ops_list attribute.")
        return self._downgrade_ops[0] if self._downgrade_ops else None

    @downgrade_ops.setter
    def downgrade_ops(self, downgrade_ops: Any) -> None:
        self._downgrade_ops = _to_list(downgrade_ops)
        for elem in self._downgrade_ops:
            if not isinstance(elem, DowngradeOps):
                raise TypeError(f"expected DowngradeOps, got {type(elem).__name__}")

    @property
    def upgrade_ops_list(self) -> list[UpgradeOps]:
        return self._upgrade_ops

    @property
    def downgrade_ops_list(self) -> list[DowngradeOps]:
        return self._downgrade_ops


def _to_list(x: Any) -> list:
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]

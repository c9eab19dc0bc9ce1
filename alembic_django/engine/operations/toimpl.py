"""How each op object is performed: op object → ``operations.impl`` calls."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..errors import CommandError
from . import ops
from .base import Operations


@Operations.implementation_for(ops.AlterColumnOp)
def alter_column(operations: Any, operation: ops.AlterColumnOp) -> None:
    kw = dict(operation.kw)
    existing_server_default = operation.existing_server_default
    if existing_server_default is False:
        existing_server_default = None
    operations.impl.alter_column(
        operation.table_name, operation.column_name,
        nullable=operation.modify_nullable, server_default=operation.modify_server_default,
        name=operation.modify_name, type_=operation.modify_type, schema=operation.schema,
        existing_type=operation.existing_type, existing_server_default=existing_server_default,
        existing_nullable=operation.existing_nullable, comment=operation.modify_comment,
        existing_comment=operation.existing_comment, **kw,
    )


@Operations.implementation_for(ops.DropTableOp)
def drop_table(operations: Any, operation: ops.DropTableOp) -> None:
    kw = {"if_exists": operation.if_exists} if operation.if_exists is not None else {}
    operations.impl.drop_table(operation.to_table(operations.migration_context), **kw)


@Operations.implementation_for(ops.DropColumnOp)
def drop_column(operations: Any, operation: ops.DropColumnOp) -> None:
    column = operation.to_column(operations.migration_context)
    kw = dict(operation.kw)
    if operation.if_exists is not None:
        kw["if_exists"] = operation.if_exists
    operations.impl.drop_column(operation.table_name, column, schema=operation.schema, **kw)


@Operations.implementation_for(ops.CreateIndexOp)
def create_index(operations: Any, operation: ops.CreateIndexOp) -> None:
    idx = operation.to_index(operations.migration_context)
    kw = {"if_not_exists": operation.if_not_exists} if operation.if_not_exists else {}
    operations.impl.create_index(idx, **kw)


@Operations.implementation_for(ops.DropIndexOp)
def drop_index(operations: Any, operation: ops.DropIndexOp) -> None:
    idx = operation.to_index(operations.migration_context)
    kw = {"if_exists": operation.if_exists} if operation.if_exists else {}
    operations.impl.drop_index(idx, **kw)


@Operations.implementation_for(ops.CreateTableOp)
def create_table(operations: Any, operation: ops.CreateTableOp) -> sa.Table:
    table = operation.to_table(operations.migration_context)
    kw = {"if_not_exists": operation.if_not_exists} if operation.if_not_exists else {}
    operations.impl.create_table(table, **kw)
    return table


@Operations.implementation_for(ops.RenameTableOp)
def rename_table(operations: Any, operation: ops.RenameTableOp) -> None:
    operations.impl.rename_table(operation.table_name, operation.new_table_name,
                                 schema=operation.schema)


@Operations.implementation_for(ops.CreateTableCommentOp)
def create_table_comment(operations: Any, operation: ops.CreateTableCommentOp) -> None:
    operations.impl.create_table_comment(operation.to_table(operations.migration_context))


@Operations.implementation_for(ops.DropTableCommentOp)
def drop_table_comment(operations: Any, operation: ops.DropTableCommentOp) -> None:
    operations.impl.drop_table_comment(operation.to_table(operations.migration_context))


@Operations.implementation_for(ops.AddColumnOp)
def add_column(operations: Any, operation: ops.AddColumnOp) -> None:
    table_name, column, schema = operation.table_name, operation.column, operation.schema
    kw = dict(operation.kw)
    inline_references = kw.pop("inline_references", None)
    inline_primary_key = kw.pop("inline_primary_key", None)
    if inline_references is None:
        inline_references = getattr(operations.impl, "inline_references_default", False)
    t = operations.schema_obj.table(table_name, column, schema=schema)
    operations.impl.add_column(table_name, column, schema=schema,
                               if_not_exists=operation.if_not_exists,
                               inline_references=inline_references,
                               inline_primary_key=inline_primary_key, **kw)
    for constraint in t.constraints:
        if isinstance(constraint, sa.PrimaryKeyConstraint):
            continue
        if inline_references and isinstance(constraint, sa.ForeignKeyConstraint):
            continue
        operations.impl.add_constraint(constraint)
    for index in t.indexes:
        operations.impl.create_index(index)
    dialect = operations.impl.dialect
    if column.comment and dialect.supports_comments and not dialect.inline_comments:
        operations.impl.create_column_comment(column)


@Operations.implementation_for(ops.AddConstraintOp)
def create_constraint(operations: Any, operation: ops.AddConstraintOp) -> None:
    operations.impl.add_constraint(operation.to_constraint(operations.migration_context))


@Operations.implementation_for(ops.DropConstraintOp)
def drop_constraint(operations: Any, operation: ops.DropConstraintOp) -> None:
    kw = {"if_exists": operation.if_exists} if operation.if_exists else {}
    operations.impl.drop_constraint(
        operations.schema_obj.generic_constraint(
            operation.constraint_name, operation.table_name, operation.constraint_type,
            schema=operation.schema),
        **kw)


@Operations.implementation_for(ops.BulkInsertOp)
def bulk_insert(operations: Any, operation: ops.BulkInsertOp) -> None:
    operations.impl.bulk_insert(operation.table, operation.rows,
                                multiinsert=operation.multiinsert)


@Operations.implementation_for(ops.ExecuteSQLOp)
def execute_sql(operations: Any, operation: ops.ExecuteSQLOp) -> None:
    sql = operation.sqltext
    if not isinstance(sql, str) and not hasattr(sql, "compile"):
        raise CommandError(f"execute: expected a SQL string or construct, got "
                           f"{type(sql).__name__}")
    operations.migration_context.impl.execute(sql,
                                              execution_options=operation.execution_options)

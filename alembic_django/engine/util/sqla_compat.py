"""SQLAlchemy helpers shared by the engine (Alembic's ``alembic.util.sqla_compat``).

Imports SQLAlchemy: load it only where a database or schema objects are involved.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import __version__ as sqlalchemy_version
from sqlalchemy import schema as sa_schema
from sqlalchemy.sql.base import DialectKWArgs
from sqlalchemy.sql.elements import ColumnClause, UnaryExpression, conv
from sqlalchemy.sql.naming import _NONE_NAME

from .messaging import warn

__all__ = ["all_table_check_constraints", "constraint_name_defined", "constraint_name_or_none",
           "constraint_name_string", "conv", "is_expression", "is_expression_index",
           "sqla_2_1", "sqlalchemy_version", "warn"]


def _version_tuple(text: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"\d+|[abc]\d", text))


_vers = _version_tuple(sqlalchemy_version)
sqla_2 = _vers >= (2,)
sqla_2_0_25 = _vers >= (2, 0, 25)
sqla_2_1 = _vers >= (2, 1)
identity_has_dialect_kwargs = issubclass(sa_schema.Identity, DialectKWArgs)
AUTOINCREMENT_DEFAULT = "auto"


def constraint_name_defined(name: Any) -> bool:
    """A name was given (a string, or the naming convention's "no name" marker)."""
    return name is _NONE_NAME or isinstance(name, str)


def constraint_name_string(name: Any) -> bool:
    return isinstance(name, str)


def constraint_name_or_none(name: Any) -> str | None:
    return name if isinstance(name, str) else None


@contextlib.contextmanager
def _ensure_scope_for_ddl(connection: Any) -> Iterator[None]:
    """A transaction around the block unless ``connection`` is in one (or is a mock)."""
    in_transaction = getattr(connection, "in_transaction", None)
    if in_transaction is None or in_transaction():
        yield
        return
    with connection.begin():
        yield


def _safe_begin_connection_transaction(connection: Any) -> Any:
    current = connection.get_transaction()
    return current if current is not None else connection.begin()


def _safe_commit_connection_transaction(connection: Any) -> None:
    current = connection.get_transaction()
    if current is not None:
        current.commit()


def _safe_rollback_connection_transaction(connection: Any) -> None:
    current = connection.get_transaction()
    if current is not None:
        current.rollback()


def _get_connection_in_transaction(connection: Any) -> bool:
    in_transaction = getattr(connection, "in_transaction", None)
    return bool(in_transaction()) if in_transaction is not None else False


def _connectable_has_table(connectable: Any, tablename: str, schemaname: str | None) -> bool:
    return bool(sa.inspect(connectable).has_table(tablename, schemaname))


def _is_type_bound(constraint: Any) -> bool:
    """A constraint SQLAlchemy creates for a type (Boolean / Enum CHECK)."""
    return bool(getattr(constraint, "_type_bound", False))


def _get_constraint_final_name(constraint: Any, dialect: Any) -> str | None:
    """The name as the dialect would write it (naming convention and truncation applied)."""
    if constraint.name is None:
        return None
    return dialect.identifier_preparer.format_constraint(constraint, _alembic_quote=False)


def _constraint_is_named(constraint: Any, dialect: Any) -> bool:
    return constraint.name is not None and _get_constraint_final_name(constraint, dialect) \
        is not None


def _table_for_constraint(constraint: Any) -> Any:
    if isinstance(constraint, sa.ForeignKeyConstraint):
        table = constraint.parent
        assert table is not None
        return table
    return constraint.table


def _inherit_schema_deprecated() -> bool:
    return sqla_2_1 and hasattr(sa.Enum, "inherit_schema")


def is_expression(expr: Any) -> bool:
    """Anything but a plain (possibly ``desc()``-wrapped) column."""
    while isinstance(expr, UnaryExpression):
        expr = expr.element
    return not isinstance(expr, ColumnClause) or expr.is_literal


def is_expression_index(index: Any) -> bool:
    return any(is_expression(expr) for expr in index.expressions)


def all_table_check_constraints(table: Any) -> set[Any]:
    """The CHECK constraints of ``table``: its own, its columns' and type-bound ones."""
    candidates = chain(table.constraints, *(c.constraints for c in table.columns))
    return {c for c in candidates if isinstance(c, sa.CheckConstraint)}


def _fk_spec(constraint: Any) -> tuple:
    """(source schema, source table, source columns, target schema, target table,
    target columns, onupdate, ondelete, deferrable, initially) of a foreign key."""
    source_table = constraint.parent.name if constraint.parent is not None else None
    source_schema = constraint.parent.schema if constraint.parent is not None else None
    source_columns = [elem.parent.name for elem in constraint.elements]
    target_schema = target_table = None
    target_columns = []
    for elem in constraint.elements:
        spec = elem._get_colspec()
        tokens = spec.split(".")
        target_columns.append(tokens[-1])
        target_table = tokens[-2] if len(tokens) >= 2 else None
        target_schema = ".".join(tokens[:-2]) or None
    return (source_schema, source_table, source_columns, target_schema, target_table,
            target_columns, constraint.onupdate, constraint.ondelete, constraint.deferrable,
            constraint.initially)

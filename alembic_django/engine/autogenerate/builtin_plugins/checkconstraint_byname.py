"""Plugin ``alembic.ext.checkconstraint_byname`` (opt-in): named CHECK constraints.

Select it with ``autogenerate_plugins=["alembic.autogenerate.*",
"alembic.ext.checkconstraint_byname"]``.  Constraints are matched by name on tables
present on both sides: a name only in the database is dropped, a name only in the
model is added, and a name on both sides whose SQL text differs (compared with
whitespace, quotes and parentheses normalised) is dropped and added again.
Unnamed and type-bound (Boolean / Enum) constraints are left alone.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from ...operations import ops
from ...util.langhelpers import PriorityDispatchResult
from ...util.sqla_compat import _constraint_is_named, _is_type_bound, all_table_check_constraints
from ..compare import builtin
from ..compare_constraints import _norm_expr
from ..plugins import Plugin
from ..reflect import _InspectorConv

__all__ = ["PriorityDispatchResult", "setup"]

log = logging.getLogger("alembic.ext.checkconstraint_byname")


def _sql(const: Any, dialect: Any) -> str:
    text = const.sqltext
    if not isinstance(text, str):
        text = str(text.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return _norm_expr(text)


@builtin
def _compare_check_constraints(actx: Any, mto: Any, schema: str | None, tname: str,
                               conn_table: Any, metadata_table: Any) -> PriorityDispatchResult:
    """``"table"`` / ``"checkconstraints"``."""
    if conn_table is None or metadata_table is None:
        return PriorityDispatchResult.CONTINUE
    try:
        reflected = _InspectorConv(actx.inspector).get_check_constraints(tname, schema=schema)
    except NotImplementedError:
        return PriorityDispatchResult.CONTINUE
    parents = {"table_name": tname, "schema_name": schema}
    holder = sa.Table(tname, sa.MetaData(), schema=schema)
    conn = {
        ck["name"]: sa.CheckConstraint(sa.text(ck["sqltext"]), name=ck["name"], table=holder)
        for ck in reflected
        if ck.get("name") and actx.run_name_filters(ck["name"], "check_constraint", parents)
    }
    meta = {
        str(ck.name): ck for ck in all_table_check_constraints(metadata_table)
        if not _is_type_bound(ck) and _constraint_is_named(ck, actx.dialect)
    }
    for name in sorted(set(conn) - set(meta)):
        if actx.run_object_filters(conn[name], name, "check_constraint", True, None):
            mto.ops.append(ops.DropConstraintOp.from_constraint(conn[name]))
            log.info("Detected removed check constraint %r on table %r", name, tname)
    for name in sorted(set(conn) & set(meta)):
        if _sql(conn[name], actx.dialect) == _sql(meta[name], actx.dialect):
            continue
        if actx.run_object_filters(meta[name], name, "check_constraint", False, conn[name]):
            log.info("Detected changed check constraint %r on table %r", name, tname)
            mto.ops.append(ops.DropConstraintOp.from_constraint(conn[name]))
            mto.ops.append(ops.AddConstraintOp.from_constraint(meta[name]))
    for name in sorted(set(meta) - set(conn)):
        if actx.run_object_filters(meta[name], name, "check_constraint", False, None):
            mto.ops.append(ops.AddConstraintOp.from_constraint(meta[name]))
            log.info("Detected added check constraint %r on table %r", name, tname)
    return PriorityDispatchResult.CONTINUE


def setup(plugin: Plugin) -> None:
    plugin.add_autogenerate_comparator(_compare_check_constraints, "table", "checkconstraints")

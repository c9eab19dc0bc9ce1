"""``alembic.ext.checkconstraint_byname``: the opt-in CHECK-constraint-by-name comparator."""

from ....engine.autogenerate.builtin_plugins.checkconstraint_byname import (  # noqa: F401
    PriorityDispatchResult,
    _compare_check_constraints,
    setup,
)

__all__ = ["PriorityDispatchResult", "setup"]

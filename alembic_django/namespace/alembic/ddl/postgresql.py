"""``alembic.ddl.postgresql``: the PostgreSQL implementation and its DDL visitors."""

from ....engine.ddl.postgresql import *  # noqa: F401,F403
from ....engine.ddl.postgresql import __all__ as _engine_all
from ....engine.operations.base import BatchOperations, Operations  # noqa: F401
from ....engine.operations.ops import CreateExcludeConstraintOp  # noqa: F401

__all__ = [*_engine_all, "BatchOperations", "CreateExcludeConstraintOp", "Operations"]


from ....engine.ddl import postgresql as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

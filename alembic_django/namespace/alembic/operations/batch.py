"""``alembic.operations.batch``: batch mode ("move and copy" on SQLite)."""

from ....engine.operations.batch import ApplyBatchImpl, BatchOperationsImpl
from ....engine.util.sqla_compat import constraint_name_defined, constraint_name_string

__all__ = ["ApplyBatchImpl", "BatchOperationsImpl", "constraint_name_defined",
           "constraint_name_string"]


from ....engine.operations import batch as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

"""``alembic.operations.ops``: the op objects (autogenerate's intermediate form)."""

from ....engine.operations.base import BatchOperations, Operations  # noqa: F401
from ....engine.operations.ops import *  # noqa: F401,F403
from ....engine.operations.ops import __all__  # noqa: F401


from ....engine.operations import ops as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

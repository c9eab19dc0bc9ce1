"""``alembic.runtime.environment``: ``EnvironmentContext`` (what env.py's ``context`` is)."""

from ....engine.operations import Operations
from ....engine.runtime.environment import EnvironmentContext
from ....engine.runtime.migration import MigrationContext

__all__ = ["EnvironmentContext", "MigrationContext", "Operations"]


from ....engine.runtime import environment as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

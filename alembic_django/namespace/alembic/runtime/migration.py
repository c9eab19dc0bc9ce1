"""``alembic.runtime.migration``: ``MigrationContext`` and the step objects."""

from ....engine.runtime.migration import (
    EncodedIO,
    HeadMaintainer,
    MigrationContext,
    MigrationInfo,
)
from ....engine.script.plan import MigrationStep, RevisionStep, StampStep

__all__ = ["EncodedIO", "HeadMaintainer", "MigrationContext", "MigrationInfo",
           "MigrationStep", "RevisionStep", "StampStep"]


from ....engine.runtime import migration as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

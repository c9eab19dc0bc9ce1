"""``alembic.operations``: ``Operations`` (the ``op`` object), batch mode, op objects."""

from ....engine.operations import (  # noqa: F401
    AbstractOperations,
    BatchOperations,
    MigrateOperation,
    Operations,
    batch,
    ops,
    schemaobj,
    toimpl,
)
from ....engine.operations.ops import MigrationScript
from . import base  # noqa: F401

__all__ = ["AbstractOperations", "Operations", "BatchOperations", "MigrateOperation",
           "MigrationScript"]

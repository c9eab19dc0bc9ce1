"""``alembic.operations``: ``Operations`` (the ``op`` object), batch mode, op objects."""

from ....engine.operations import (
    AbstractOperations,
    BatchOperations,
    MigrateOperation,
    Operations,
)
from ....engine.operations.ops import MigrationScript
from ....engine.operations import batch, ops, schemaobj, toimpl  # noqa: F401
from . import base  # noqa: F401

__all__ = ["AbstractOperations", "Operations", "BatchOperations", "MigrateOperation",
           "MigrationScript"]

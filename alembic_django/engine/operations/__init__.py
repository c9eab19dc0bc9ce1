"""Migration directives: ``Operations`` (the ``op`` object), batch mode and op objects."""

from . import (
    ops,  # noqa: E402,F401  (registers the directives)
    toimpl,  # noqa: E402,F401  (registers their implementations)
)
from .base import AbstractOperations, BatchOperations, Operations
from .ops import MigrateOperation

__all__ = ["AbstractOperations", "BatchOperations", "Operations", "MigrateOperation", "ops"]

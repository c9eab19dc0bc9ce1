"""``alembic.operations.base``: the ``Operations`` classes."""

from ....engine.operations.base import AbstractOperations, BatchOperations, Operations
from ....engine.util.compat import formatannotation_fwdref
from ....engine.util.sqla_compat import conv  # noqa: F401

__all__ = ["AbstractOperations", "BatchOperations", "Operations", "formatannotation_fwdref"]


from ....engine.operations import base as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

"""``alembic.script.revision``: the pure revision graph and its errors."""

from ....engine.script.directory import tuple_rev_as_scalar
from ....engine.script.revision import (
    CycleDetected,
    DependencyCycleDetected,
    DependencyLoopDetected,
    LoopDetected,
    MultipleHeads,
    RangeNotAncestorError,
    ResolutionError,
    Revision,
    RevisionError,
    RevisionMap,
    is_revision,
)
from ....engine.util.langhelpers import not_none

__all__ = ["CycleDetected", "DependencyCycleDetected", "DependencyLoopDetected",
           "LoopDetected", "MultipleHeads", "RangeNotAncestorError", "ResolutionError",
           "Revision", "RevisionError", "RevisionMap", "is_revision", "not_none",
           "tuple_rev_as_scalar"]


from ....engine.script import revision as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

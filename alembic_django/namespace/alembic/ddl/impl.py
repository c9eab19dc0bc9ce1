"""``alembic.ddl.impl``: ``DefaultImpl`` (one subclass per dialect, found by ``__dialect__``)."""

from ....engine.ddl.impl import ComparisonResult, DefaultImpl, ImplMeta, Params, _impls  # noqa: F401

__all__ = ["ComparisonResult", "DefaultImpl", "ImplMeta", "Params"]


from ....engine.ddl import impl as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

"""``alembic.autogenerate.rewriter``: ``Rewriter``."""

from ....engine.autogenerate.rewriter import Rewriter

__all__ = ["Rewriter"]


from ....engine.autogenerate import rewriter as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

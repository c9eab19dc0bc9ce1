"""``alembic.runtime.plugins``: ``Plugin`` (autogenerate plugins, entry point ``alembic.plugins``)."""

from ....engine.autogenerate.plugins import (  # noqa: F401
    DispatchPriority,
    Plugin,
    PriorityDispatcher,
    _all_plugins,
    _make_re,
    _setup,
    _translate_legacy_name,
)

__all__ = ["DispatchPriority", "Plugin", "PriorityDispatcher"]


from ....engine.autogenerate import plugins as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

"""``alembic.autogenerate.api``: ``AutogenContext``, ``RevisionContext`` and the functions."""

from ....engine.autogenerate.api import (  # noqa: F401
    RevisionContext,
    _render_migration_diffs,
    compare_metadata,
    produce_migrations,
    render_python_code,
)
from ....engine.autogenerate.context import AutogenContext
from ....engine.autogenerate.plugins import Plugin

__all__ = ["AutogenContext", "Plugin", "RevisionContext", "compare_metadata",
           "produce_migrations", "render_python_code"]


from ....engine.autogenerate import api as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

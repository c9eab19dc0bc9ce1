"""``alembic.script.base``: ``ScriptDirectory`` and ``Script``."""

from ....engine.script.directory import Script, ScriptDirectory
from ....engine.util.langhelpers import not_none

__all__ = ["Script", "ScriptDirectory", "not_none"]


from ....engine.script import directory as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

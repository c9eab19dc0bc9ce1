"""``alembic.script``: ``ScriptDirectory`` and ``Script``."""

from ....engine.script import directory as base  # noqa: F401  (alembic.script.base)
from ....engine.script import revision, write_hooks  # noqa: F401  (alembic.script.*)
from ....engine.script.directory import Script, ScriptDirectory

__all__ = ["ScriptDirectory", "Script"]

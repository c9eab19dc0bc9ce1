"""``alembic.script``: ``ScriptDirectory`` and ``Script``."""

from ....engine.script.directory import Script, ScriptDirectory
from ....engine.script import revision, write_hooks  # noqa: F401  (alembic.script.*)
from . import base  # noqa: F401

__all__ = ["ScriptDirectory", "Script"]

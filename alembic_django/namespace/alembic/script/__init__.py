"""``alembic.script``: ``ScriptDirectory`` and ``Script``."""

from ....engine.script.directory import Script, ScriptDirectory
from . import base, revision, write_hooks  # noqa: F401

__all__ = ["ScriptDirectory", "Script"]

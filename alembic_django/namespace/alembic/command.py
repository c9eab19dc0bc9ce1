"""``alembic.command``: the command verbs (``command.upgrade(config, "head")``)."""

import os  # noqa: F401  (as Alembic's module: tests patch alembic.command.os)

from ...engine import commands as _engine_module  # noqa: E402
from ...engine.commands import (  # noqa: F401
    branches,
    check,
    current,
    downgrade,
    edit,
    ensure_version,
    heads,
    history,
    init,
    list_templates,
    merge,
    revision,
    show,
    stamp,
    upgrade,
)
from ...engine.runtime.environment import EnvironmentContext  # noqa: F401
from ...engine.script.directory import ScriptDirectory  # noqa: F401


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)

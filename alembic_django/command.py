"""The programmatic API: ``command.upgrade(config, "heads")`` and friends.

Each verb takes a :class:`~alembic_django.config.Config` first, then the same
arguments as the command line (Alembic's ``alembic.command``).
"""

from .engine.commands import (
                              branches,
                              check,
                              config,
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
                              sqlmigrate,
                              squash,
                              squashed,
                              stamp,
                              upgrade,
)

__all__ = [
    "branches", "check", "config", "current", "downgrade", "edit", "ensure_version",
    "heads", "history", "init", "list_templates", "merge", "revision", "show", "sqlmigrate",
    "squash", "squashed", "stamp", "upgrade",
]

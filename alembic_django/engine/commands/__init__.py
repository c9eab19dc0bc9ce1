"""The command verbs: one function per command, registered with the registry."""

from .database import check, current, downgrade, ensure_version, sqlmigrate, stamp, upgrade
from .environment import config, init, list_templates
from .scripts import branches, edit, heads, history, merge, revision, show
from .squash import squash, squashed

__all__ = [
    "branches", "check", "config", "current", "downgrade", "edit", "ensure_version",
    "heads", "history", "init", "list_templates", "merge", "revision", "show", "sqlmigrate",
    "squash", "squashed", "stamp", "upgrade",
]

"""``from alembic_django import context`` in env.py: the running EnvironmentContext.

Every attribute (``config``, ``script``, ``configure``, ``run_migrations``,
``begin_transaction``, ``is_offline_mode`` …) is looked up on the environment the
current command is running, so the module can be imported before one exists.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    from .engine.runtime.environment import current_environment

    return getattr(current_environment(), name)

"""``from alembic_django import context`` in env.py: the running EnvironmentContext.

Every attribute (``config``, ``script``, ``configure``, ``run_migrations``,
``begin_transaction``, ``is_offline_mode`` …) is looked up on the environment the
current command is running, so the module can be imported before one exists.  The environment is found through
a context variable (concurrent runs in threads each see their own); an
``EnvironmentContext`` assigned to ``_proxy`` by code written for Alembic is used
when none is running.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    from .engine.errors import CommandError, ContextNotAvailable
    from .engine.runtime.environment import current_environment

    try:
        env = current_environment()
    except CommandError as exc:
        if name == "_proxy":
            raise AttributeError(name) from None
        # code written for Alembic may set ``context._proxy`` itself
        env = globals().get("_proxy")
        if env is None:
            raise ContextNotAvailable(str(exc)) from None
    if name == "_proxy":
        return env
    return getattr(env, name)

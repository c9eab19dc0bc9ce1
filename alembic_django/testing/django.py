"""MigrationRunner for a ``settings.ALEMBIC`` environment."""

from __future__ import annotations

from typing import Any

from .runner import MigrationRunner


def get_config(name: str | None = None, database: str | None = None, **kw: Any) -> Any:
    from .. import conf

    return conf.get_config(name, database=database, **kw)


def runner(name: str | None = None, database: str | None = None) -> MigrationRunner:
    """A runner on environment ``name`` (its database, or ``database``)."""
    from .. import conf

    return MigrationRunner(get_config(name, database), connected=conf.connected)

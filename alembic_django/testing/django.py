"""MigrationRunner for a ``settings.ALEMBIC`` environment -- on test databases only."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from .runner import MigrationRunner


def get_config(name: str | None = None, database: str | None = None, **kw: Any) -> Any:
    from .. import conf

    return conf.get_config(name, database=database, **kw)


def guarded_connected(alias: str, what: str) -> Callable[[Any], AbstractContextManager[Any]]:
    """A ``connected`` for :class:`~alembic_django.testing.MigrationRunner`: before every command, check that
    ``alias`` is a Django test database right now and point the config at it."""
    from .. import conf, testdb

    @contextlib.contextmanager
    def connected(config: Any) -> Iterator[Any]:
        testdb.require_test_database(alias, what)
        url = conf.database_url(alias).render_as_string(hide_password=False)
        if config.get_main_option("sqlalchemy.url") != url:  # built before the rename
            config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        with conf.connected(config) as lent:
            yield lent

    return connected


def runner(name: str | None = None, database: str | None = None) -> MigrationRunner:
    """A runner on environment ``name`` (its database, or ``database``).

    Every command it runs first checks that the alias is one of the test databases
    Django's test runner or pytest-django created in this process (raising
    :class:`alembic_django.testdb.NotATestDatabase` otherwise), so it can never migrate
    a development or production database.
    """
    from .. import testdb

    config = get_config(name, database)
    env = config.attributes["alembic_django.environment"]
    if config.attributes.get("alembic_django.explicit_url"):
        raise testdb.NotATestDatabase(
            f"alembic_django.testing.django.runner: settings.ALEMBIC[{env!r}] sets its own "
            "sqlalchemy.url, which is not a test database; use MigrationRunner(config) "
            "with a Config pointing at a test database")
    alias = config.attributes["alembic_django.database"]
    testdb.require_test_database(alias, "alembic_django.testing.django.runner")
    return MigrationRunner(config, connected=guarded_connected(
        alias, "alembic_django.testing.django.runner"))

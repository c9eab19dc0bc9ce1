"""The Django app: registers the system checks and the test-database hook.

Nothing here reads ``DATABASES`` or builds a URL: the test runner renames
databases after ``ready()``, so every URL is built when a command runs.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import io
from collections.abc import Iterator
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

#: aliases whose test database Django is creating right now (see creating_test_db)
_creating_test_db: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "alembic_django_creating_test_db", default=()
)


class AlembicDjangoConfig(AppConfig):
    name = "alembic_django"
    label = "alembic_django"
    verbose_name = "Alembic migrations"
    default_auto_field = "django.db.models.AutoField"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: alias -> NAME of the test database Django created or cloned in this process
        #: (see :mod:`alembic_django.testdb`)
        self.test_databases: dict[str, str] = {}

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
        from .testdb import install_hooks

        install_hooks()
        install_runserver_hook()
        post_migrate.connect(
            upgrade_test_database, sender=self, dispatch_uid="alembic_django.upgrade_test_database"
        )


@contextlib.contextmanager
def creating_test_db(alias: str) -> Iterator[None]:
    """Mark that Django is creating the test database of ``alias`` (for ``post_migrate``)."""
    token = _creating_test_db.set((*_creating_test_db.get(), alias))
    try:
        yield
    finally:
        _creating_test_db.reset(token)


def install_runserver_hook() -> None:
    """After Django's own unapplied-migrations notice (``BaseCommand.check_migrations``,
    which ``runserver`` calls), list the unapplied Alembic revisions."""
    from django.core.management.base import BaseCommand

    original = BaseCommand.check_migrations
    if getattr(original, "_alembic_django", False):
        return

    @functools.wraps(original)
    def check_migrations(self: Any) -> None:
        original(self)
        from .checks import notify_unapplied

        notify_unapplied(self)

    check_migrations._alembic_django = True  # type: ignore[attr-defined]
    BaseCommand.check_migrations = check_migrations


def upgrade_test_database(sender: Any = None, using: str = "default", verbosity: int = 1,
                          stdout: Any = None, **kwargs: Any) -> list[str]:
    """``post_migrate`` receiver: upgrade every environment bound to ``using`` to heads.

    Acts only while a test database is being created, and not when
    ``settings.ALEMBIC_TEST_UPGRADE`` is False, ``TEST["MIGRATE"]`` is False or the
    alias is a ``TEST["MIRROR"]``.  Upgrading to heads is idempotent, so keepdb /
    ``--reuse-db`` repeats are safe.  Returns the environments upgraded.
    """
    if using not in (_creating_test_db.get() or {}):
        return []
    return upgrade_alias(using, verbosity=verbosity, stdout=stdout)


def upgrade_alias(alias: str, verbosity: int = 1, stdout: Any = None) -> list[str]:
    """Upgrade every environment bound to ``alias`` to heads (honouring the test settings)."""
    from django.conf import settings
    from django.db import connections

    from . import conf

    if not getattr(settings, "ALEMBIC_TEST_UPGRADE", True):
        return []
    test = connections[alias].settings_dict.get("TEST") or {}
    if test.get("MIGRATE", True) is False or test.get("MIRROR"):
        return []
    if getattr(settings, "ALEMBIC", None) is None:
        return []
    from .command import upgrade

    done = []
    environments = conf.environments()
    for name in conf.environments_for_alias(alias):
        if "sqlalchemy.url" in environments[name]:
            continue  # an explicit URL is not the test database: never migrate it from here
        out = stdout if (stdout is not None and verbosity >= 2) else io.StringIO()
        config = conf.get_config(name, stdout=out)
        if verbosity >= 1 and stdout is not None:
            stdout.write(f"  Upgrading Alembic environment {name!r} to heads on {alias!r}\n")
        with conf.connected(config):
            upgrade(config, "heads")
        done.append(name)
    return done

"""The Django app: registers the system checks and the test-database hook.

Nothing here reads ``DATABASES`` or builds a URL: the test runner renames
databases after ``ready()``, so every URL is built when a command runs.
"""

from __future__ import annotations

import contextvars
import functools
import io
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

#: alias → keepdb of the test database being created right now (set by the wrapper)
_creating_test_db: contextvars.ContextVar[dict[str, bool] | None] = contextvars.ContextVar(
    "alembic_django_creating_test_db", default=None
)


class AlembicDjangoConfig(AppConfig):
    name = "alembic_django"
    label = "alembic_django"
    verbose_name = "Alembic migrations"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)

        install_test_db_hook()
        post_migrate.connect(
            upgrade_test_database, sender=self, dispatch_uid="alembic_django.upgrade_test_database"
        )


def install_test_db_hook() -> None:
    """Mark ``create_test_db`` calls so ``post_migrate`` knows a test database is being made."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.create_test_db
    if getattr(original, "_alembic_django", False):
        return

    @functools.wraps(original)
    def create_test_db(self, *args: Any, **kwargs: Any):
        keepdb = kwargs.get("keepdb", args[3] if len(args) > 3 else False)
        marks = dict(_creating_test_db.get() or {})
        marks[self.connection.alias] = bool(keepdb)
        token = _creating_test_db.set(marks)
        try:
            return original(self, *args, **kwargs)
        finally:
            _creating_test_db.reset(token)

    create_test_db._alembic_django = True  # type: ignore[attr-defined]
    BaseDatabaseCreation.create_test_db = create_test_db


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

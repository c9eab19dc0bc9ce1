"""pytest plugin (registered as a ``pytest11`` entry point): fixtures for testing migrations.

The names carry the package's prefix, so they never meet pytest-alembic's
``alembic_config`` / ``alembic_runner`` / ``alembic_engine`` when both are installed.

* ``alembic_django_url`` — the database the migrations run on.  With Django settings
  it is ``None``: Django's test database of the environment's alias, which pytest-django
  creates for every test that uses these fixtures (no ``django_db`` mark needed; such a
  test is a transactional test).  Without Django it is a fresh SQLite file in the
  test's ``tmp_path``.  Override it to return an explicit URL; the ``sqlalchemy.url``
  of ``alembic.ini`` is never used, since it usually names the development database.
* ``alembic_django_config`` — the :class:`Config` of the environment under test
  (``settings.ALEMBIC``'s default environment, or the one a test marks with
  ``@pytest.mark.alembic_django_environment("analytics")``; without Django the
  ``alembic.ini`` / ``pyproject.toml`` of pytest's rootdir).
* ``alembic_django_runner`` — a :class:`alembic_django.testing.MigrationRunner` on it:
  ``check_single_head()``, ``check_upgrade()``, ``check_up_down_consistency()``,
  ``check_model_definitions_match_ddl()``, ``check_roundtrip()`` and stepping.  On a
  Django test database it is brought back to heads after the test.

A migration never runs on a database that is not a test database: under Django the
fixtures check the alias's live ``NAME`` against the test databases Django created in
this process and fail the test otherwise.

Importing this module imports neither Django nor SQLAlchemy.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

MARKER = "alembic_django_environment"
#: fixtures whose tests need a Django test database
_FIXTURES = ("alembic_django_config", "alembic_django_runner")


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(name): the settings.ALEMBIC environment the alembic_django_* fixtures use",
    )


def _django_configured() -> bool:
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return True
    module = sys.modules.get("django.conf")
    return bool(module is not None and module.settings.configured)


def _environment_name(node: Any) -> str | None:
    marker = node.get_closest_marker(MARKER)
    return marker.args[0] if marker and marker.args else None


# -- collection: tests using the fixtures get Django's test databases -------------------------
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: Any, config: Any, items: list) -> None:
    """Mark every test that uses the fixtures ``django_db(transaction=True)`` on its
    environment's alias, so pytest-django creates that test database before the session
    and the test runs on it (before pytest-django sorts the tests by their marks)."""
    if not (config.pluginmanager.hasplugin("django") and _django_configured()):
        return
    for item in items:
        if not any(name in getattr(item, "fixturenames", ()) for name in _FIXTURES):
            continue
        if getattr(item, "cls", None) is not None and _is_django_testcase(item.cls):
            continue
        item.add_marker(_django_db_mark(item), append=False)


def _is_django_testcase(cls: type) -> bool:
    from django.test import TransactionTestCase

    return issubclass(cls, TransactionTestCase)


def _alias_of(item: Any) -> str:
    from . import conf
    from .engine.errors import CommandError

    try:
        _, env = conf.environment(_environment_name(item))
    except CommandError:  # reported by the fixture, where it fails the test
        return "default"
    return env.get("database", "default")


def _django_db_mark(item: Any) -> Any:
    """The test's own ``django_db`` mark, made transactional and extended to the alias."""
    from pytest_django.fixtures import validate_django_db

    existing = item.get_closest_marker("django_db")
    if existing is not None:
        _, reset_sequences, databases, serialized_rollback, available_apps = \
            validate_django_db(existing)
    else:
        reset_sequences, databases, serialized_rollback, available_apps = False, None, False, None
    if databases != "__all__":
        databases = sorted(set(databases or ["default"]) | {_alias_of(item)})
    return pytest.mark.django_db(
        transaction=True, reset_sequences=reset_sequences, databases=databases,
        serialized_rollback=serialized_rollback, available_apps=available_apps,
    )


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture
def alembic_django_url(request: Any) -> str | None:
    """Where migrations run: ``None`` under Django (the test database), else a fresh
    SQLite file.  Override to return an explicit URL."""
    if _django_configured():
        return None
    tmp_path = request.getfixturevalue("tmp_path")
    return f"sqlite:///{tmp_path / 'alembic_django.sqlite3'}"


@pytest.fixture
def alembic_django_config(request: Any, alembic_django_url: str | None) -> Any:
    """The Config of the environment under test, pointing at a test database."""
    if _django_configured():
        return _django_config(request, alembic_django_url)
    from .engine.config import Config

    root = str(request.config.rootpath)
    ini = os.path.join(root, "alembic.ini")
    toml = os.path.join(root, "pyproject.toml")
    config = Config(file_=ini if os.path.exists(ini) else None,
                    toml_file=toml if os.path.exists(toml) else None)
    if not config.has_source():
        pytest.skip("no Django settings and no alembic.ini / [tool.alembic] in the rootdir; "
                    "override the alembic_django_config fixture")
    if alembic_django_url is None:
        pytest.fail("alembic_django_url returned None outside Django: give a URL", pytrace=False)
    config.set_main_option("sqlalchemy.url", str(alembic_django_url).replace("%", "%%"))
    return config


def _django_config(request: Any, url: str | None) -> Any:
    from . import conf, testdb
    from .engine.errors import CommandError

    name = _environment_name(request.node)
    try:
        if url is not None:  # an explicit database: no Django test database involved
            config = conf.get_config(name, resolve_url=False)
            config.set_main_option("sqlalchemy.url", str(url).replace("%", "%%"))
            config.attributes["alembic_django.explicit_url"] = True
            return config
        if not request.config.pluginmanager.hasplugin("django"):
            raise testdb.NotATestDatabase(
                "alembic_django_config: pytest-django is not installed, and only it creates "
                "Django's test databases here (or override alembic_django_url)")
        # the test databases of the session exist now; refuse before anything else
        # (transactional_db's flush included) can touch a database that is not one
        request.getfixturevalue("django_db_setup")
        config = conf.get_config(name, resolve_url=False)
        env_name = config.attributes[conf.ATTR_ENVIRONMENT]
        if config.attributes.get("alembic_django.explicit_url"):
            raise testdb.NotATestDatabase(
                f"alembic_django_config: settings.ALEMBIC[{env_name!r}] sets its own "
                "sqlalchemy.url, which is not a test database (override alembic_django_url)")
        testdb.require_test_database(config.attributes[conf.ATTR_DATABASE],
                                     "alembic_django_config")
        # database access for the test; the tables are flushed after it (Alembic's too)
        request.getfixturevalue("transactional_db")
        config = conf.get_config(name)
    except CommandError as exc:
        failure = str(exc)
    else:
        return config
    pytest.fail(failure, pytrace=False)


@pytest.fixture
def alembic_django_runner(request: Any, alembic_django_config: Any) -> Any:
    """A MigrationRunner on ``alembic_django_config``."""
    from alembic_django.testing import MigrationRunner

    config = alembic_django_config
    if not _django_configured() or config.attributes.get("alembic_django.explicit_url"):
        yield MigrationRunner(config)
        return
    from alembic_django.testing.django import guarded_connected

    runner = MigrationRunner(config, connected=guarded_connected(
        config.attributes["alembic_django.database"], "alembic_django_runner"))
    yield runner
    if runner.moved:
        # later tests share this test database: give them the schema it was created with
        runner.upgrade("heads")

"""pytest plugin (registered as a ``pytest11`` entry point): fixtures for testing migrations.

* ``alembic_config`` — the :class:`Config` of the environment under test.  With Django
  settings configured it is ``settings.ALEMBIC``'s default environment (override the
  fixture, or mark a test ``@pytest.mark.alembic_environment("analytics")``);
  without Django it reads ``alembic.ini`` / ``pyproject.toml`` in pytest's rootdir.
* ``alembic_runner`` — a :class:`alembic_django.testing.MigrationRunner` on it, with
  database access unblocked under pytest-django.  Its ``check_single_head()`` and
  ``check_roundtrip()`` are the usual migration tests; the database is left at heads.

Importing this module imports neither Django nor SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import pytest


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "alembic_environment(name): the settings.ALEMBIC environment alembic_config uses"
    )


def _django_configured() -> bool:
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return True
    module = sys.modules.get("django.conf")
    return bool(module is not None and module.settings.configured)


def _environment_name(request: Any) -> str | None:
    marker = request.node.get_closest_marker("alembic_environment")
    return marker.args[0] if marker and marker.args else None


@pytest.fixture
def alembic_config(request: Any) -> Any:
    """The Config of the environment under test (override to point elsewhere)."""
    if _django_configured():
        from alembic_django import conf

        if request.config.pluginmanager.hasplugin("django"):
            # the URL must be built after the test databases exist (they are renamed)
            request.getfixturevalue("django_db_setup")
        return conf.get_config(_environment_name(request))
    from alembic_django.engine.config import Config

    root = str(request.config.rootpath)
    ini = os.path.join(root, "alembic.ini")
    toml = os.path.join(root, "pyproject.toml")
    config = Config(file_=ini if os.path.exists(ini) else None,
                    toml_file=toml if os.path.exists(toml) else None)
    if not config.has_source():
        pytest.skip("no Django settings and no alembic.ini / [tool.alembic] in the rootdir; "
                    "override the alembic_config fixture")
    return config


@pytest.fixture
def alembic_runner(request: Any, alembic_config: Any) -> Any:
    """A MigrationRunner on ``alembic_config``; under pytest-django it uses the test database."""
    from alembic_django.testing import MigrationRunner

    connected = None
    unblock: Any = contextlib.nullcontext()
    if _django_configured():
        from alembic_django import conf

        connected = conf.connected
        if request.config.pluginmanager.hasplugin("django"):
            request.getfixturevalue("django_db_setup")
            unblock = request.getfixturevalue("django_db_blocker").unblock()
    with unblock:
        yield MigrationRunner(alembic_config, connected=connected)

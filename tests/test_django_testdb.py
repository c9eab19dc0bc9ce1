"""Test databases get every environment bound to their alias upgraded to heads.

In-process: pytest-django's in-memory SQLite test databases (this module's
``django_db`` tests).  Subprocesses: Django's test runner and pytest-django with
file databases, keepdb / ``--reuse-db`` repeats, ``TEST["MIGRATE"] = False``,
``ALEMBIC_TEST_UPGRADE = False`` and, when configured, PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import django_settings
import pytest

django_settings.configure()

import django  # noqa: E402

django.setup()

pytest.importorskip("alembic_django.command")


# -- in-process: pytest-django, in-memory SQLite ------------------------------------------
@pytest.mark.django_db(databases=["default", "analytics"])
def test_in_memory_test_databases_are_at_heads():
    from django.db import connections

    default = connections["default"]
    assert "mode=memory" in str(default.settings_dict["NAME"])
    tables = set(default.introspection.table_names())
    assert {"inventory_item", "inventory_supplier", "alembic_version"} <= tables
    with default.cursor() as cursor:
        cursor.execute("SELECT version_num FROM alembic_version")
        assert [r[0] for r in cursor.fetchall()] == ["53fffde5ad5"]
    analytics = set(connections["analytics"].introspection.table_names())
    assert "analytics_page_view" in analytics and "inventory_item" not in analytics


@pytest.mark.django_db(databases=["default"])
def test_orm_style_queries_see_alembic_tables():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO inventory_item (sku, name, quantity) VALUES ('a1', 'Anvil', 3)")
        cursor.execute("SELECT name, quantity FROM inventory_item")
        assert cursor.fetchall() == [("Anvil", 3)]


@pytest.mark.django_db(databases=["default"], transaction=True)
def test_commands_on_the_in_memory_test_database_share_djangos_connection():
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    def run(*args):
        out = StringIO()
        call_command("alembic", *args, stdout=out, no_color=True)
        return out.getvalue()

    assert run("current").split()[0] == "53fffde5ad5"
    run("downgrade", "1975ea83b712")
    assert "inventory_supplier" not in connection.introspection.table_names()
    assert "[ ] 27c6a30d7c24" in run("showmigrations")
    run("upgrade", "heads")
    assert "inventory_supplier" in connection.introspection.table_names()


def test_alembic_django_runner_fixture_round_trip(alembic_django_runner):
    assert alembic_django_runner.check_single_head() == "53fffde5ad5"
    stepped = alembic_django_runner.check_roundtrip()
    assert stepped[0] == "1975ea83b712" and stepped[-1] == "53fffde5ad5"
    assert sorted(stepped[1:3]) == ["27c6a30d7c24", "ae1027a6acf"]
    assert alembic_django_runner.current() == ("53fffde5ad5",)


@pytest.mark.alembic_django_environment("analytics")
def test_alembic_django_runner_named_environment(alembic_django_runner):
    alembic_django_runner.downgrade("base")
    assert list(alembic_django_runner.iterate_up()) == ["3cac04ae8714", "4f2e9c1b7d30"]
    assert alembic_django_runner.current() == ("4f2e9c1b7d30",)


# -- subprocesses: Django's runner and pytest-django ---------------------------------------
SETTINGS = '''
import json, os
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE
SECRET_KEY = "x"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["alembic_django", "inventory"]
_options = json.loads(os.environ.get("TDB_OPTIONS", "{}"))
_pg = os.environ.get("TDB_POSTGRESQL")
if _pg:
    from sqlalchemy.engine import make_url
    _u = make_url(_pg)
    default = {"ENGINE": "django.db.backends.postgresql", "NAME": _u.database, "USER": _u.username or "",
               "PASSWORD": _u.password or "", "HOST": _u.host or "", "PORT": _u.port or "",
               "TEST": {"NAME": "test_" + _u.database + "_tdb"}}
else:
    default = {"ENGINE": "django.db.backends.sqlite3", "NAME": HERE / "main.sqlite3",
               "TEST": {"NAME": str(HERE / "test_main.sqlite3")}}
default["TEST"].update(_options.get("test", {}))
if _options.get("in_memory"):
    default["TEST"].pop("NAME", None)
DATABASES = {
    "default": default,
    "replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": HERE / "replica.sqlite3",
                "TEST": {"MIRROR": "default"}},
}
ALEMBIC = {
    "default": {"script_location": HERE / "alembic", "database": "default"},
    "replica": {"script_location": HERE / "analytics_migrations", "database": "replica"},
}
if "upgrade" in _options:
    ALEMBIC_TEST_UPGRADE = _options["upgrade"]
'''

TESTS = '''
import json, os
from django.db import connection
from django.test import TestCase


class AlembicTables(TestCase):
    databases = {"default", "replica"}

    def test_report(self):
        self.report()

    def report(self):
        with connection.cursor() as cursor:
            tables = sorted(connection.introspection.table_names(cursor))
            versions = []
            if "alembic_version" in tables:
                cursor.execute("SELECT version_num FROM alembic_version")
                versions = [r[0] for r in cursor.fetchall()]
        with open(os.environ["TDB_REPORT"], "a") as fh:
            fh.write(json.dumps({"tables": tables, "versions": versions}) + "\\n")


class Second(AlembicTables):
    """A second class, so --parallel has two workers' worth of tests."""

    def test_report(self):
        if os.environ.get("TDB_BOTH"):
            self.report()
'''

PYTEST_TESTS = '''
import json, os
import pytest


@pytest.mark.django_db
def test_report():
    from django.db import connection
    tables = sorted(connection.introspection.table_names())
    with open(os.environ["TDB_REPORT"], "a") as fh:
        fh.write(json.dumps({"tables": tables, "versions": []}) + "\\n")
'''


class SiteProject:
    def __init__(self, root: Path, postgresql: str | None = None) -> None:
        self.root = root
        for env in ("alembic", "analytics_migrations"):
            shutil.copytree(django_settings.EXAMPLE / env, root / env,
                            ignore=shutil.ignore_patterns("__pycache__"))
        (root / "tdb_settings.py").write_text(SETTINGS)
        (root / "tdb_tests.py").write_text(TESTS)
        (root / "test_tdb_pytest.py").write_text(PYTEST_TESTS)
        self.report = root / "report.jsonl"
        self.postgresql = postgresql

    def env(self, options: dict) -> dict:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["PYTHONPATH"] = os.pathsep.join([str(self.root), str(django_settings.EXAMPLE),
                                             str(django_settings.REPO)])
        env["TDB_OPTIONS"] = json.dumps(options)
        env["TDB_REPORT"] = str(self.report)
        if self.postgresql:
            env["TDB_POSTGRESQL"] = self.postgresql
        return env

    def _reports(self) -> list[dict]:
        if not self.report.exists():
            return []
        return [json.loads(line) for line in self.report.read_text().splitlines()]

    def django_test(self, *extra: str, options: dict | None = None) -> dict:
        before = len(self._reports())
        proc = subprocess.run(
            [sys.executable, "-m", "django", "test", "tdb_tests", "--settings=tdb_settings",
             "--noinput", "-v", "1", *extra],
            cwd=self.root, env=self.env(options or {}), capture_output=True, text=True, timeout=240,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        reports = self._reports()
        assert len(reports) == before + 1, proc.stderr
        return reports[-1]

    def pytest_run(self, *extra: str, options: dict | None = None) -> dict:
        before = len(self._reports())
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ds=tdb_settings",
             "test_tdb_pytest.py", *extra],
            cwd=self.root, env=self.env(options or {}), capture_output=True, text=True, timeout=240,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        reports = self._reports()
        assert len(reports) == before + 1, proc.stdout
        return reports[-1]


HEAD_TABLES = {"inventory_item", "inventory_supplier", "alembic_version"}


def test_django_runner_upgrades_and_keepdb_repeats(tmp_path):
    project = SiteProject(tmp_path)
    first = project.django_test("--keepdb")
    assert HEAD_TABLES <= set(first["tables"])
    assert first["versions"] == ["53fffde5ad5"]
    assert (tmp_path / "test_main.sqlite3").exists()
    second = project.django_test("--keepdb")
    assert second == first
    # mirrors are skipped: the replica environment never ran anywhere
    assert "analytics_page_view" not in first["tables"]


def test_django_runner_honours_migrate_false_and_the_setting(tmp_path):
    project = SiteProject(tmp_path)
    off = project.django_test(options={"test": {"MIGRATE": False}})
    assert "alembic_version" not in off["tables"]
    disabled = project.django_test(options={"upgrade": False})
    assert "alembic_version" not in disabled["tables"]
    on = project.django_test()
    assert HEAD_TABLES <= set(on["tables"])


def test_django_runner_parallel_clones_of_in_memory_database(tmp_path, monkeypatch):
    monkeypatch.setenv("TDB_BOTH", "1")
    project = SiteProject(tmp_path)
    before = len(project._reports())
    proc = subprocess.run(
        [sys.executable, "-m", "django", "test", "tdb_tests", "--settings=tdb_settings",
         "--noinput", "--parallel", "2"],
        cwd=tmp_path, env=project.env({"in_memory": True}), capture_output=True, text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reports = project._reports()[before:]
    assert len(reports) == 2
    for report in reports:
        assert HEAD_TABLES <= set(report["tables"])
        assert report["versions"] == ["53fffde5ad5"]


def test_pytest_django_reuse_db(tmp_path):
    project = SiteProject(tmp_path)
    first = project.pytest_run("--reuse-db")
    assert HEAD_TABLES <= set(first["tables"])
    second = project.pytest_run("--reuse-db")
    assert second == first
    third = project.pytest_run("--create-db")
    assert HEAD_TABLES <= set(third["tables"])


def test_postgresql_test_database_with_keepdb(tmp_path):
    url = os.environ.get("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL is not set")
        pytest.skip("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL is not set")
    project = SiteProject(tmp_path, postgresql=url)
    try:
        first = project.django_test("--keepdb")
        assert HEAD_TABLES <= set(first["tables"])
        assert first["versions"] == ["53fffde5ad5"]
        second = project.django_test("--keepdb")
        assert second == first
    finally:
        project.django_test()  # without keepdb the test database is dropped afterwards

"""Migrations in tests only ever run on Django's test databases (issue 15, item 1).

Subprocess runs of pytest-django in a throwaway project (``djproject``) whose
development database holds a row of its own: SQLite (Django's in-memory and file test
databases) and PostgreSQL, with and without ``--reuse-db``.  Also: refusal with one
clear error, and plain (non-Django) use of the fixtures with an explicit URL.
"""

from __future__ import annotations

import shutil

import djproject
import pytest

pytest.importorskip("pytest_django")

#: a pytest-django suite file as in docs/testing.rst: no django_db mark anywhere
NO_MARK_TESTS = f'''
from djp_report import report
from alembic_django.testing.tests import *  # noqa: F401,F403  (pytest-alembic's checks)


def test_round_trip(alembic_django_runner):
    stepped = alembic_django_runner.check_roundtrip()
    assert stepped[-1] == {djproject.HEAD!r}
    report("round_trip", url=alembic_django_runner.config.get_main_option("sqlalchemy.url"))


def test_downgrade_and_write(alembic_django_runner):
    from django.db import connection

    alembic_django_runner.downgrade("base")
    alembic_django_runner.upgrade("heads")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO inventory_item (sku, name, quantity) VALUES ('t', 'T', 1)")
    report("write")


def test_left_at_heads_for_the_next_test(alembic_django_runner):
    alembic_django_runner.downgrade("base")


def test_next(alembic_django_runner):
    assert alembic_django_runner.current() == ({djproject.HEAD!r},)
    report("next")
'''

SCENARIOS = djproject.SCENARIOS
make_project = djproject.make_project


def _assert_on_test_database(project, reports, options):
    dev = str(project.root / "dev.sqlite3") if project.backend == "sqlite" else None
    for report in reports:
        assert report["name"] != dev
        if project.backend == "postgresql":
            assert report["name"] == "test_" + djproject.postgresql_url().rsplit("/", 1)[1]
        elif options.get("test_file"):
            assert report["name"].endswith("test_dev.sqlite3")
        else:
            assert "mode=memory" in report["name"]
        assert "inventory_note" in report["tables"]


@pytest.mark.parametrize("backend, options", SCENARIOS)
def test_no_django_db_mark_leaves_the_development_database_alone(make_project, backend, options):
    project = make_project(backend, **options)
    project.prepare_dev_database()
    before = project.dev_state()
    assert before["items"] == ["dev-row"] and before["versions"] == [djproject.HEAD]
    project.write("test_migrations.py", NO_MARK_TESTS)
    proc = project.pytest("test_migrations.py")
    assert "8 passed" in proc.stdout, proc.stdout
    assert project.dev_state() == before
    reports = project.reports()
    assert [r["label"] for r in reports] == ["round_trip", "write", "next"]
    _assert_on_test_database(project, reports, options)
    assert reports[0]["url"] != project.dev_url()


@pytest.mark.parametrize("backend, options", [SCENARIOS[1], SCENARIOS[2]])
def test_reuse_db_leaves_the_development_database_alone(make_project, backend, options):
    project = make_project(backend, **options)
    project.prepare_dev_database()
    before = project.dev_state()
    project.write("test_migrations.py", NO_MARK_TESTS)
    for _ in range(2):
        proc = project.pytest("--reuse-db", "test_migrations.py")
        assert "8 passed" in proc.stdout, proc.stdout
        assert project.dev_state() == before
    reports = project.reports()
    assert len(reports) == 6
    _assert_on_test_database(project, reports, options)


DYNAMIC = '''
def test_dynamic(request):
    request.getfixturevalue("alembic_django_runner")
'''

HELPER_OUTSIDE_TESTS = '''
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "djp_settings"
import django
django.setup()
from alembic_django.testing.django import runner
try:
    runner()
except Exception as exc:
    print(type(exc).__name__, exc)
'''


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_refuses_a_database_that_is_not_a_test_database(make_project, backend):
    project = make_project(backend)
    project.prepare_dev_database()
    before = project.dev_state()
    # requested dynamically, so no test database was set up for it
    project.write("test_dynamic.py", DYNAMIC)
    proc = project.pytest("test_dynamic.py", ok=False)
    assert proc.returncode == 1
    assert "alembic_django_config: DATABASES['default']" in proc.stdout
    assert "is not a test database" in proc.stdout
    assert "Traceback" not in proc.stdout
    # the helper, outside any test run
    project.write("outside.py", HELPER_OUTSIDE_TESTS)
    out = project.run("outside.py").stdout
    assert out.startswith("NotATestDatabase alembic_django.testing.django.runner: "
                          "DATABASES['default']")
    assert project.dev_state() == before


def test_refuses_an_environment_with_its_own_url(make_project, tmp_path):
    project = make_project("sqlite")
    project.write("test_migrations.py", NO_MARK_TESTS)
    proc = project.pytest("test_migrations.py", "-k", "round_trip", ok=False, alembic={
        "default": {"script_location": str(project.root / "alembic"),
                    "sqlalchemy.url": f"sqlite:///{tmp_path / 'elsewhere.db'}"}})
    assert "settings.ALEMBIC['default'] sets its own sqlalchemy.url" in proc.stdout
    assert not (tmp_path / "elsewhere.db").exists()


# -- without Django ------------------------------------------------------------------------------
PLAIN_TESTS = '''
import sqlalchemy as sa
from alembic_django.testing.tests import *  # noqa: F401,F403


def test_round_trip(alembic_django_runner, alembic_django_url):
    stepped = alembic_django_runner.check_roundtrip()
    assert len(stepped) == 4
    assert alembic_django_runner.current() == ("53fffde5ad5",)
    assert alembic_django_runner.config.get_main_option("sqlalchemy.url") == alembic_django_url
'''

EXPLICIT_URL_CONFTEST = '''
import os
import pytest


@pytest.fixture
def alembic_django_url():
    return os.environ["PLAIN_TEST_URL"]
'''


@pytest.mark.parametrize("explicit", [False, True], ids=["temporary-sqlite", "explicit-url"])
def test_plain_use_never_uses_the_ini_url(tmp_path, explicit):
    root = tmp_path / "plain"
    shutil.copytree(djproject.django_settings.EXAMPLE / "alembic", root / "alembic",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (root / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/alembic\n"
                                      "sqlalchemy.url = sqlite:///%(here)s/development.db\n")
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "test_plain.py").write_text(PLAIN_TESTS.replace(
        "from alembic_django.testing.tests import *  # noqa: F401,F403",
        "from alembic_django.testing.tests import test_single_head_revision, test_upgrade, "
        "test_up_down_consistency  # noqa: F401"))
    env = {"PLAIN_TEST_URL": f"sqlite:///{tmp_path / 'explicit.db'}"}
    if explicit:
        (root / "conftest.py").write_text(EXPLICIT_URL_CONFTEST)
    proc = djproject.run_plain_pytest(root, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 passed" in proc.stdout
    assert not (root / "development.db").exists()
    assert (tmp_path / "explicit.db").exists() is explicit

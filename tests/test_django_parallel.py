"""``manage.py test --parallel 2`` and ``pytest -n 2`` get migrated test databases
(issue 15, item 1): Django's clones and pytest-xdist's per-worker databases have the
Alembic tables and version rows, on SQLite (in-memory and file) and PostgreSQL."""

from __future__ import annotations

import djproject
import pytest

pytest.importorskip("pytest_django")

SCENARIOS = djproject.SCENARIOS
make_project = djproject.make_project

RUNNER_TESTS = """
from django.db import connection
from django.test import TestCase, TransactionTestCase

from djp_report import insert_rows, report


class One(TestCase):
    def test_report(self):
        report("one")


class Two(TestCase):
    def test_report(self):
        report("two")


class Three(TransactionTestCase):
    def test_write(self):  # the flush after it must empty the clone's Alembic tables
        with connection.cursor() as cursor:
            insert_rows(cursor, "three")
        report("three")


class Four(TransactionTestCase):
    def test_write(self):
        with connection.cursor() as cursor:
            insert_rows(cursor, "four")
        report("four")
"""

XDIST_TESTS = f"""
import pytest
from django.db import connection

from djp_report import insert_rows, report


@pytest.mark.django_db
@pytest.mark.parametrize("n", range(4))
def test_report(n):
    report(f"report-{{n}}")


@pytest.mark.parametrize("n", range(2))
def test_migrations(alembic_django_runner, n):
    assert alembic_django_runner.check_roundtrip()[-1] == {djproject.HEAD!r}
    with connection.cursor() as cursor:
        insert_rows(cursor, f"runner-{{n}}")
    report(f"runner-{{n}}")
"""


def _check_workers(reports, expected_labels, clone_marker):
    assert sorted(r["label"] for r in reports) == sorted(expected_labels)
    for report in reports:
        assert "inventory_note" in report["tables"]
        assert report["versions"] == [djproject.HEAD]
    names_by_pid: dict[int, set[str]] = {}
    for report in reports:
        names_by_pid.setdefault(report["pid"], set()).add(report["name"])
    assert len(names_by_pid) == 2, names_by_pid  # two workers ...
    assert all(len(n) == 1 for n in names_by_pid.values())
    names = [next(iter(n)) for n in names_by_pid.values()]
    if not all("mode=memory" in name for name in names):
        # ... each on its own database (forked workers keep their in-memory copy's name)
        assert len(set(names)) == 2
    assert all(clone_marker(name) for name in names), names


def _clone_marker(backend, options, kind):
    def marker(name: str) -> bool:
        if backend == "postgresql":
            base = "test_" + djproject.postgresql_url().rsplit("/", 1)[1]
            return name in ({f"{base}_1", f"{base}_2"} if kind == "django"
                            else {f"{base}_gw0", f"{base}_gw1"})
        if kind == "django":
            return ("memorydb_default" if not options else "test_dev_") in name
        return "gw" in name
    return marker


@pytest.mark.parametrize("backend, options", SCENARIOS)
def test_django_runner_parallel(make_project, backend, options):
    project = make_project(backend, **options)
    project.write("djp_parallel_tests.py", RUNNER_TESTS)
    proc = project.manage("test", "djp_parallel_tests", "--noinput", "--parallel", "2")
    assert "Ran 4 tests" in proc.stderr and "OK" in proc.stderr
    reports = project.reports()
    _check_workers(reports, ["one", "two", "three", "four"],
                   _clone_marker(backend, options, "django"))
    for report in reports:
        if report["label"] in ("one", "two"):  # TestCase: the revision's seed row is there
            assert report["counts"]["inventory_supplier"] == 1


@pytest.mark.parametrize("backend, options", [SCENARIOS[1], SCENARIOS[2]])
def test_pytest_xdist(make_project, backend, options):
    pytest.importorskip("xdist")
    project = make_project(backend, **options)
    project.write("test_parallel.py", XDIST_TESTS)
    proc = project.pytest("-n", "2", "test_parallel.py")
    assert "6 passed" in proc.stdout, proc.stdout
    _check_workers(project.reports(),
                   [f"report-{n}" for n in range(4)] + ["runner-0", "runner-1"],
                   _clone_marker(backend, options, "xdist"))

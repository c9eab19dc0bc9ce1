"""Transactional tests leave the Alembic-managed tables empty for the next test, as Django
does for its own (issue 15, item 1); ``serialized_rollback`` brings back the rows the
revisions inserted; the version table is never emptied.

Subprocess runs of Django's runner (``TransactionTestCase``) and of pytest-django
(``transactional_db``) in ``djproject``, whose last revision creates ``inventory_note``
(foreign keys to ``inventory_item`` and Django's ``auth_user``) and seeds supplier 1.
Plus in-process unit tests of the table order.
"""

from __future__ import annotations

import djproject
import pytest

pytest.importorskip("pytest_django")

SCENARIOS = djproject.SCENARIOS
make_project = djproject.make_project

RUNNER_TESTS = '''
from django.db import connection
from django.test import TransactionTestCase

from djp_report import insert_rows, report


class A(TransactionTestCase):
    serialized_rollback = True

    def test_1_writes(self):
        report("serialized-first")
        with connection.cursor() as cursor:
            insert_rows(cursor, "again")

    def test_2_sees_only_the_serialized_rows(self):
        report("serialized-second")


class B(TransactionTestCase):
    def test_1_writes(self):
        report("before")
        with connection.cursor() as cursor:
            insert_rows(cursor, "first")
        report("first")

    def test_2_sees_nothing(self):
        report("second")
'''

PYTEST_TESTS = '''
import pytest
from django.db import connection

from djp_report import insert_rows, report


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_1_writes():
    report("serialized-first")
    with connection.cursor() as cursor:
        insert_rows(cursor, "again")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_2_sees_only_the_serialized_rows():
    report("serialized-second")


def test_3_writes(transactional_db):
    report("before")
    with connection.cursor() as cursor:
        insert_rows(cursor, "first")
    report("first")


def test_4_sees_nothing(transactional_db):
    report("second")
'''

SEEDED = {"inventory_item": 0, "inventory_supplier": 1, "inventory_note": 0, "auth_user": 0}
EMPTY = {"inventory_item": 0, "inventory_supplier": 0, "inventory_note": 0, "auth_user": 0}
WRITTEN = {"inventory_item": 1, "inventory_supplier": 1, "inventory_note": 1, "auth_user": 1}


def _check(reports):
    assert [r["label"] for r in reports] == [
        "serialized-first", "serialized-second", "before", "first", "second"]
    by_label = {r["label"]: r for r in reports}
    # serialized_rollback: the revision's seed row is there, the test's rows are not
    assert by_label["serialized-first"]["counts"] == SEEDED
    assert by_label["serialized-second"]["counts"] == SEEDED
    # without it, the flush after a test leaves every table empty
    assert by_label["before"]["counts"] == EMPTY
    assert by_label["first"]["counts"] == WRITTEN
    assert by_label["second"]["counts"] == EMPTY
    for report in reports:  # the version table is never flushed
        assert report["versions"] == [djproject.HEAD]


@pytest.mark.parametrize("backend, options", SCENARIOS)
def test_transaction_test_case_flushes_alembic_tables(make_project, backend, options):
    project = make_project(backend, **options)
    project.write("djp_flush_tests.py", RUNNER_TESTS)
    proc = project.manage("test", "djp_flush_tests", "--noinput")
    assert "Ran 4 tests" in proc.stderr
    _check(project.reports())


@pytest.mark.parametrize("backend, options", SCENARIOS)
def test_transactional_db_flushes_alembic_tables(make_project, backend, options):
    project = make_project(backend, **options)
    project.write("test_flush.py", PYTEST_TESTS)
    proc = project.pytest("test_flush.py")
    assert "4 passed" in proc.stdout
    _check(project.reports())


def test_manage_py_flush_on_the_development_database_is_djangos(make_project):
    """Outside tests ``flush`` is Django's: the Alembic tables keep their rows."""
    project = make_project("sqlite")
    project.prepare_dev_database()
    project.manage("flush", "--noinput")
    state = project.dev_state()
    assert state["items"] == ["dev-row"] and state["versions"] == [djproject.HEAD]


# -- the order tables are emptied in ---------------------------------------------------------
@pytest.mark.parametrize("references, expected", [
    ({}, ["a", "b"]),
    ({"a": {"b"}}, ["a", "b"]),
    ({"b": {"a"}}, ["b", "a"]),
    ({"c": {"b"}, "b": {"a"}}, ["c", "b", "a"]),
    ({"a": {"a"}}, ["a", "b"]),
    ({"a": {"b"}, "b": {"a"}}, ["a", "b"]),
], ids=["independent", "a-refs-b", "b-refs-a", "chain", "self-reference", "cycle"])
def test_referencing_tables_come_first(references, expected):
    from alembic_django.testdb import _referencing_first

    tables = sorted({"a", "b", *references, *(r for refs in references.values() for r in refs)})
    assert _referencing_first(tables, references) == expected

"""``flush`` that also empties the Alembic-managed tables of a *test* database.

Django's ``TransactionTestCase`` (and pytest-django's ``transactional_db``) clean up
after each test with ``call_command("flush")``.  This command is Django's, with the
Alembic-managed tables added to the tables it empties on a test database (one statement
list, so foreign keys between Django's and Alembic's tables are respected; version
tables are kept).  On any other database it is exactly Django's ``flush``.
See :mod:`alembic_django.testdb`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from ... import testdb


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with testdb.flushing_alembic_tables(connections[options["database"]]):
            return super().handle(**options)

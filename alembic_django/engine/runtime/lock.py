"""The migration lock: one runner at a time per version table.

* PostgreSQL: an advisory lock (transaction-scoped when the whole run is one
  transaction, so it is held until COMMIT; session-scoped otherwise).
* MySQL / MariaDB: ``GET_LOCK`` (session-scoped).
* SQLite: the run's transaction starts with ``BEGIN IMMEDIATE`` (see migration.py);
  the busy timeout is set to the lock timeout.

Once the lock is held the runner reads the version table, so a runner that waited
sees what the previous one applied.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from sqlalchemy import text

from ..errors import LockTimeout


def _key(name: str) -> int:
    digest = hashlib.sha1(f"alembic_django:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class MigrationLock:
    def __init__(self, context: Any, timeout: float = 60.0) -> None:
        self.context = context
        self.conn = context.connection
        self.timeout = timeout
        self.name = context._version.qualified_name
        self.kind: str | None = None

    def acquire(self) -> None:
        dialect = self.context.dialect.name
        if dialect == "postgresql":
            self._acquire_postgresql()
        elif dialect in ("mysql", "mariadb"):
            self._acquire_mysql()
        elif dialect == "sqlite":
            ms = int(self.timeout * 1000)
            self.conn.exec_driver_sql(f"PRAGMA busy_timeout = {ms}")
            self.kind = "sqlite"

    def _acquire_postgresql(self) -> None:
        key = _key(self.name)
        xact = self.conn.in_transaction() and not self.context._transaction_per_migration \
            and self.context.impl.transactional_ddl
        fn = "pg_try_advisory_xact_lock" if xact else "pg_try_advisory_lock"
        deadline = time.monotonic() + self.timeout
        delay = 0.02
        while True:
            got = self.conn.execute(text(f"SELECT {fn}(:k)"), {"k": key}).scalar()
            if got:
                self.kind = "pg_xact" if xact else "pg_session"
                return
            if time.monotonic() >= deadline:
                holder = self._pg_holder(key)
                raise LockTimeout(
                    f"Could not take the migration lock on {self.name} within "
                    f"{self.timeout:g} s; it is held by {holder}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    def _pg_holder(self, key: int) -> str:
        try:
            row = self.conn.execute(text(
                "SELECT a.pid, a.application_name, a.client_addr, a.state "
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.objid = (:k & 4294967295)::oid LIMIT 1"), {"k": key}).first()
        except Exception:
            return "another session"
        if row is None:
            return "another session"
        return f"PostgreSQL backend pid {row[0]} ({row[1] or 'no application_name'}, " \
               f"{row[2] or 'local'}, {row[3]})"

    def _acquire_mysql(self) -> None:
        name = f"alembic_django:{self.name}"[:64]
        got = self.conn.execute(text("SELECT GET_LOCK(:n, :t)"),
                                {"n": name, "t": int(max(self.timeout, 0))}).scalar()
        if got != 1:
            holder = self.conn.execute(text("SELECT IS_USED_LOCK(:n)"), {"n": name}).scalar()
            who = f"connection id {holder}" if holder else "another session"
            raise LockTimeout(
                f"Could not take the migration lock {name!r} within {self.timeout:g} s; "
                f"it is held by {who}"
            )
        self.kind = "mysql"
        self._mysql_name = name
        if self.conn.in_transaction() and not self.context._in_external_transaction:
            self.conn.commit()

    def release(self) -> None:
        try:
            if self.kind == "pg_session":
                self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(self.name)})
                if self.conn.in_transaction() and not self.context._in_external_transaction:
                    self.conn.commit()
            elif self.kind == "mysql":
                self.conn.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": self._mysql_name})
                if self.conn.in_transaction() and not self.context._in_external_transaction:
                    self.conn.commit()
        except Exception:
            pass  # the session ends with the connection; never mask the real error
        self.kind = None

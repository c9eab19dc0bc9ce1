"""The migration lock: one runner at a time per version table.

* PostgreSQL: an advisory lock (transaction-scoped when the whole run is one
  transaction or runs inside the caller's, so it is held until COMMIT and cannot
  outlive a failure; session-scoped otherwise).  An ``autocommit_block`` holds a
  session lock across its COMMIT (:meth:`MigrationLock.hold_across_commit`).
* MySQL / MariaDB: ``GET_LOCK`` (session-scoped).
* SQLite: the run's transaction starts with ``BEGIN IMMEDIATE`` (see migration.py);
  the busy timeout is set to the lock timeout, and the connection's own value comes
  back when our transaction ends.  With ``transaction_per_migration`` the write lock
  is only held per step.

Once the lock is held the runner reads the version table, so a runner that waited
sees what the previous one applied.

The lock is named after the version table.  An unqualified table (no
``version_table_schema``) lives in whatever schema the connection resolves it to, so
on PostgreSQL the name includes ``current_schema()`` (schema-per-tenant env.py files
that only set ``search_path``) and on MySQL / MariaDB, whose locks are server-wide,
``DATABASE()``: runs on different tenants never wait for each other.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

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

    def _qualify(self, function: str) -> None:
        """Name an unqualified version table after the schema / database it resolves to."""
        if self.context.version_table_schema is None:
            where = self.conn.execute(text(f"SELECT {function}")).scalar()
            if where:
                self.name = f"{where}.{self.name}"

    def acquire(self) -> None:
        dialect = self.context.dialect.name
        if dialect == "postgresql":
            self._qualify("current_schema()")
            self._acquire_postgresql()
        elif dialect in ("mysql", "mariadb"):
            self._qualify("DATABASE()")
            self._acquire_mysql()
        elif dialect == "sqlite":
            self.context.set_sqlite_busy_timeout(int(self.timeout * 1000))
            self.kind = "sqlite"

    def _acquire_postgresql(self) -> None:
        key = _key(self.name)
        # inside the caller's transaction everything runs in it, and a session lock could
        # not be released once a failure has aborted it (it would outlive the run)
        xact = self.conn.in_transaction() and (
            self.context._in_external_transaction
            or (not self.context._transaction_per_migration
                and self.context.impl.transactional_ddl))
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
        except SQLAlchemyError:
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
        if self._may_commit():
            self.conn.commit()

    def hold_across_commit(self) -> None:
        """Before an ``autocommit_block`` commits the run's transaction: a
        transaction-scoped lock would end with it, so hold a session lock meanwhile
        (the same session may stack both)."""
        if self.kind == "pg_xact":
            self.conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _key(self.name)})

    def resume_after_commit(self) -> None:
        """Once the run's transaction has begun again: back to the transaction lock."""
        if self.kind == "pg_xact":
            key = _key(self.name)
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
            self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})

    def _may_commit(self) -> bool:
        """Only a transaction SQLAlchemy began by itself around the lock statements may be
        committed: never the caller's, never the run's own (``context._transaction``)."""
        return (self.conn.in_transaction() and not self.context._in_external_transaction
                and self.context._transaction is None)

    def _pg_unlock(self) -> None:
        unlock = text("SELECT pg_advisory_unlock(:k)")
        try:
            self.conn.execute(unlock, {"k": _key(self.name)})
        except Exception:
            # a failure aborted SQLAlchemy's own autobegun transaction (env.py without
            # begin_transaction): end it, or the lock outlives the run on this session
            if not self._may_commit():
                raise
            self.conn.rollback()
            self.conn.execute(unlock, {"k": _key(self.name)})

    def release(self) -> None:
        try:
            if self.kind == "pg_session":
                self._pg_unlock()
                if self._may_commit():
                    self.conn.commit()
            elif self.kind == "sqlite":
                self.context.restore_sqlite_busy_timeout()  # unless our COMMIT is ahead
            elif self.kind == "mysql":
                self.conn.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": self._mysql_name})
                if self._may_commit():
                    self.conn.commit()
        except Exception:  # noqa: BLE001 - release runs while another error may be in
            pass  # flight: the session ends with the connection; never mask the real error
        self.kind = None

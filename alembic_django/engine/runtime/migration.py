"""``MigrationContext``: runs planned steps against one connection (or offline buffer).

Transaction rules:

* PostgreSQL (transactional DDL): one transaction for the whole run, or one per
  migration with ``transaction_per_migration``.
* SQLite: made really transactional.  pysqlite does not start a transaction
  before DDL, so when ours begins we emit ``BEGIN`` (``BEGIN IMMEDIATE`` when the
  migration lock is on) if the DBAPI connection is not in one already.
* MySQL / MariaDB: DDL commits by itself, so each migration and its version-table
  change get their own transaction; a failure names the step and where the
  database now stands.
* A connection that is already inside a caller's transaction is left alone.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from ..errors import CommandError, MigrationError
from ..script.plan import MigrationStep, RevisionStep  # noqa: F401  (Alembic's import path)
from ..util.compat import EncodedIO  # noqa: F401
from ..util.logs import engine_logger
from .lock import MigrationLock
from .version_table import VersionTable


def _log() -> logging.Logger:
    return engine_logger("runtime.migration")


class MigrationInfo:
    """What ``on_version_apply`` callbacks receive as ``step``: the revisions above
    (``up``) and below (``down``) the step, whichever way it went."""

    def __init__(self, revision_map: Any, is_upgrade: bool, is_stamp: bool,
                 up_revisions: Any, down_revisions: Any) -> None:
        self.revision_map = revision_map
        self.is_upgrade = is_upgrade
        self.is_stamp = is_stamp
        self.up_revision_ids = _ids(up_revisions)
        self.down_revision_ids = _ids(down_revisions)
        # the single revision of a migration step (a merge has one up, many down)
        self.up_revision_id = self.up_revision_ids[0] if self.up_revision_ids else None

    @classmethod
    def of_step(cls, step: Any, revision_map: Any) -> MigrationInfo:
        rev = getattr(step, "revision", None)
        if rev is None:  # a stamp: this one's, or the planned one of script/plan.py
            src = getattr(step, "from_revs", None)
            dst = getattr(step, "to_revs", None)
            if src is None:
                src, dst = step.from_, step.to_
            up, down = (dst, src) if step.is_upgrade else (src, dst)
            return cls(revision_map, step.is_upgrade, True, up, down)
        return cls(revision_map, step.is_upgrade, False, (rev.revision,),
                   rev._versioned_down_revisions)

    @property
    def is_migration(self) -> bool:
        """True for a migration step, False for a stamp."""
        return not self.is_stamp

    @property
    def source_revision_ids(self) -> tuple[str, ...]:
        return self.down_revision_ids if self.is_upgrade else self.up_revision_ids

    @property
    def destination_revision_ids(self) -> tuple[str, ...]:
        return self.up_revision_ids if self.is_upgrade else self.down_revision_ids

    def _revs(self, ids: tuple[str, ...]) -> tuple:
        return tuple(self.revision_map.get_revisions(ids)) if self.revision_map else ()

    @property
    def up_revision(self) -> Any:
        if self.up_revision_id is None or self.revision_map is None:
            return None
        return self.revision_map.get_revision(self.up_revision_id)

    @property
    def up_revisions(self) -> tuple:
        return self._revs(self.up_revision_ids)

    @property
    def down_revisions(self) -> tuple:
        return self._revs(self.down_revision_ids)

    @property
    def source_revisions(self) -> tuple:
        return self._revs(self.source_revision_ids)

    @property
    def destination_revisions(self) -> tuple:
        return self._revs(self.destination_revision_ids)

    def __repr__(self) -> str:
        return (f"MigrationInfo(is_upgrade={self.is_upgrade}, up={self.up_revision_id}, "
                f"down={self.down_revision_ids})")


class StampStep(MigrationStep):
    """A version-table change with no migration code, as the ``stamp`` command runs it
    (its row changes computed in advance from :class:`~..script.plan.StampStep`)."""

    def __init__(self, changes: list[tuple], from_revs: tuple, to_revs: tuple,
                 is_upgrade: bool = True, quiet: bool = False) -> None:
        self.changes = changes
        self.quiet = quiet  # no "Running stamp_revision" line (stamp --purge to base)
        self.from_revs = from_revs
        self.to_revs = to_revs
        self.is_upgrade = is_upgrade
        self.revision = None

    def version_changes(self, heads: Any) -> list[tuple]:
        return list(self.changes)

    @property
    def short_log(self) -> str:
        return "stamp_revision {} -> {}".format(", ".join(self.from_revs), ", ".join(self.to_revs))

    def __str__(self) -> str:
        return self.short_log


class HeadMaintainer:
    """The heads of a run, kept in step with the version table as steps complete.

    ``heads`` is updated in place; with ``write=False`` (a transaction whose net change
    is written at its end) only the set changes.
    """

    def __init__(self, context: MigrationContext, heads: set[str], *, write: bool = True) -> None:
        self.context = context
        self.heads = heads if isinstance(heads, set) else set(heads)
        self.write = write

    def update_to_step(self, step: Any) -> None:
        """Apply ``step``'s version-table changes."""
        ctx = self.context
        for change in step.version_changes(self.heads):
            if self.write:
                ctx._version.apply(ctx.impl, change, ctx.as_sql)
            _apply_change(self.heads, change)


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def step_short_log(step: Any) -> str:
    if isinstance(step, StampStep):
        return step.short_log
    rev = step.revision
    down = ", ".join(rev._versioned_down_revisions)
    if step.is_upgrade:
        return f"upgrade {down} -> {rev.revision}"
    return f"downgrade {rev.revision} -> {down}"


def step_log(step: Any) -> str:
    if isinstance(step, StampStep):
        return step.short_log
    return f"{step_short_log(step)}, {step.revision.doc}"


class MigrationContext:
    """Alembic's ``MigrationContext``: the database side of one migration run."""

    def __init__(self, dialect: Any, connection: Any, opts: dict[str, Any],
                 environment_context: Any = None) -> None:
        from ..ddl.impl import DefaultImpl

        self.environment_context = environment_context
        self.opts = opts
        self.dialect = dialect
        self.connection = connection
        self.as_sql = bool(opts.get("as_sql", False))
        self.script = environment_context.script if environment_context is not None else None
        self._migrations_fn = opts.get("fn")
        self.purge = bool(opts.get("purge", False))
        self.output_buffer = opts.get("output_buffer") or sys.stdout
        self._user_compare_type = opts.get("compare_type", True)
        self._user_compare_server_default = opts.get("compare_server_default", False)
        self.version_table_name = opts.get("version_table", "alembic_version")
        self.version_table_schema = opts.get("version_table_schema")
        self._start_from_rev = opts.get("starting_rev")
        self._transaction_per_migration = bool(opts.get("transaction_per_migration", False))
        self.on_version_apply_callbacks = list(opts.get("on_version_apply") or ())
        self._in_external_transaction = bool(
            connection is not None and connection.in_transaction()
        )
        transactional_ddl = opts.get("transactional_ddl")
        impl_cls = DefaultImpl.get_by_dialect(dialect)
        if transactional_ddl is None and dialect.name == "sqlite" and not self.as_sql:
            transactional_ddl = True  # we make pysqlite really transactional
        self.impl = impl_cls(dialect, connection, self.as_sql, transactional_ddl,
                             self.output_buffer, opts)
        pk = opts.get("version_table_pk", True)
        self._version = VersionTable(
            self.version_table_name, self.version_table_schema, pk,
            table=self.impl.version_table_impl(version_table=self.version_table_name,
                                               version_table_schema=self.version_table_schema,
                                               version_table_pk=pk))
        self._transaction: Any = None
        self._lock: MigrationLock | None = None
        self._progress = opts.get("progress")
        log = _log()
        log.info("Context impl %s.", type(self.impl).__name__)
        if self.as_sql:
            log.info("Generating static SQL")
        log.info("Will assume %s DDL.",
                 "transactional" if self.impl.transactional_ddl else "non-transactional")

    # -- construction --------------------------------------------------------------
    @classmethod
    def configure(cls, connection: Any = None, url: Any = None, dialect_name: str | None = None,
                  dialect: Any = None, environment_context: Any = None,
                  dialect_opts: dict | None = None, opts: dict | None = None) -> MigrationContext:
        opts = dict(opts or {})
        dialect_opts = dict(dialect_opts or {})
        if connection is not None:
            if not hasattr(connection, "dialect") or not hasattr(connection, "in_transaction"):
                raise CommandError(
                    f"'connection' argument to configure() is expected to be a sqlalchemy.engine."
                    f"Connection instance, got {connection!r}"
                )
            dialect = connection.dialect
        elif url is not None:
            if opts.get("as_sql") and "paramstyle" not in dialect_opts:
                dialect_opts["paramstyle"] = "named"  # offline: no %-doubling in literal SQL
            try:
                url_obj = make_url(url) if not isinstance(url, URL) else url
                dialect = url_obj.get_dialect()(**dialect_opts)
            except (SQLAlchemyError, ImportError, TypeError, ValueError) as exc:
                from ..util.masking import error_line, mask_password

                raise CommandError(
                    f"Could not use database URL {mask_password(str(url))}: {error_line(exc)}"
                ) from None
        elif dialect_name:
            if opts.get("as_sql") and "paramstyle" not in dialect_opts:
                dialect_opts["paramstyle"] = "named"
            url_obj = make_url(f"{dialect_name}://")
            dialect = url_obj.get_dialect()(**dialect_opts)
        elif dialect is None:
            raise CommandError("Connection, url, or dialect_name is required.")
        return cls(dialect, connection, opts, environment_context)

    # -- reading -------------------------------------------------------------------
    @property
    def bind(self) -> Any:
        return self.connection

    @property
    def config(self) -> Any:
        return self.environment_context.config if self.environment_context else None

    def get_current_revision(self) -> str | None:
        heads = self.get_current_heads()
        if len(heads) == 0:
            return None
        if len(heads) > 1:
            raise CommandError(
                f"Version table '{self.version_table_name}' has more than one head present; please use "
                "get_current_heads()"
            )
        return heads[0]

    def get_current_heads(self) -> tuple[str, ...]:
        """The revisions in the version table (offline: the ``start`` of ``start:end``)."""
        if self.as_sql:
            start = self._start_from_rev
            if not start:
                return ()
            if isinstance(start, str):
                start = [start]
            if self.script is not None:
                resolved = []
                for s in start:
                    if s == "base":
                        continue
                    resolved.extend(self._start_revisions(s))
                return tuple(resolved)
            return tuple(s for s in start if s != "base")
        if self.connection is None:
            raise CommandError("Can't read the version table without a connection")
        if getattr(self, "_deferred_heads", None) is not None:
            return tuple(sorted(self._deferred_heads))
        return self._version.heads(self.connection)

    def _start_revisions(self, ident: str) -> tuple[str, ...]:
        """``start`` of an offline ``start:end``.  It may name a revision a squashed
        revision replaces: a database inside or at the end of the squashed range,
        whose row says so (the command's plan sees it through the database's view)."""
        squashes = getattr(self.script, "squashes", None)
        if squashes and any(ident in sq.replaces for sq in squashes):
            return (ident,)
        try:
            return tuple(r.revision for r in self.script.get_revisions(ident))
        except CommandError:
            with_originals = getattr(self.script, "with_originals", None)
            view = with_originals() if with_originals is not None else self.script
            if view is self.script:
                raise
            return tuple(r.revision for r in view.get_revisions(ident))

    def _ensure_version_table(self) -> None:
        if self.as_sql:
            return
        if not self._version.exists(self.connection):
            self._version.create(self.impl)

    def stamp(self, script_directory: Any, revision: str) -> None:
        """Stamp the version table with ``revision`` (no migrations run)."""
        heads = self.get_current_heads()
        with self.begin_transaction():
            steps = script_directory._stamp_revs(revision, heads)
            self._ensure_version_table()
            maintainer = HeadMaintainer(self, heads)
            for step in steps:
                maintainer.update_to_step(step)

    # -- transactions --------------------------------------------------------------
    def _dbapi_in_transaction(self) -> bool:
        raw = self.connection.connection.dbapi_connection
        return bool(getattr(raw, "in_transaction", True))

    def _begin(self) -> Any:
        conn = self.connection
        trans = conn.begin()
        if self.dialect.name == "sqlite" and not self._dbapi_in_transaction():
            if self._lock_enabled():
                ms = int(float(self.opts.get("migration_lock_timeout", 600)) * 1000)
                self.set_sqlite_busy_timeout(ms)
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                except Exception as exc:
                    if "locked" not in str(exc):
                        raise
                    from ..errors import LockTimeout

                    trans.rollback()
                    self.restore_sqlite_busy_timeout()
                    raise LockTimeout(
                        f"Could not take the migration lock (the SQLite write lock on "
                        f"{conn.engine.url.database}) within {ms / 1000:g} s: another "
                        "connection is writing to the database"
                    ) from None
            else:
                conn.exec_driver_sql("BEGIN")
        return trans

    def set_sqlite_busy_timeout(self, ms: int) -> None:
        """Wait up to ``ms`` for SQLite's write lock; the connection's own setting comes
        back once our transaction ends (:meth:`restore_sqlite_busy_timeout`)."""
        conn = self.connection
        if getattr(self, "_busy_timeout_saved", None) is None:
            self._busy_timeout_saved = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(ms)}")

    def restore_sqlite_busy_timeout(self) -> None:
        saved = getattr(self, "_busy_timeout_saved", None)
        if saved is None or self._transaction is not None:
            return  # nothing changed, or our COMMIT (which may wait too) is still ahead
        self._busy_timeout_saved = None
        with contextlib.suppress(Exception):
            self.connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(saved)}")

    @contextlib.contextmanager
    def _real_transaction(self) -> Iterator[None]:
        conn = self.connection
        if conn.in_transaction():
            conn.commit()  # close SQLAlchemy's autobegun read transaction first
        self._transaction = self._begin()
        try:
            yield
        except BaseException:
            trans, self._transaction = self._transaction, None
            if trans is not None and trans.is_active:
                trans.rollback()
            self.restore_sqlite_busy_timeout()
            raise
        else:
            trans, self._transaction = self._transaction, None
            if trans is not None and trans.is_active:
                trans.commit()
            self.restore_sqlite_busy_timeout()

    def begin_transaction(self, _per_migration: bool = False) -> Any:
        """The transaction block env.py wraps ``run_migrations()`` in (Alembic's rules)."""
        if self._in_external_transaction:
            return contextlib.nullcontext()
        if self.impl.transactional_ddl:
            transaction_now = _per_migration == self._transaction_per_migration
        else:
            transaction_now = _per_migration is True
        if not transaction_now:
            return contextlib.nullcontext()
        if not self.impl.transactional_ddl:
            if self.as_sql:
                return contextlib.nullcontext()
            return self._real_transaction()
        if self.as_sql:
            return self._offline_transaction()
        return self._real_transaction()

    @contextlib.contextmanager
    def _offline_transaction(self) -> Iterator[None]:
        self.impl.emit_begin()
        yield
        self.impl.emit_commit()

    @contextlib.contextmanager
    def autocommit_block(self) -> Iterator[None]:
        """Run the enclosed statements outside any transaction (AUTOCOMMIT)."""
        if self.as_sql:
            if self.impl.transactional_ddl:
                self.impl.emit_commit()
            yield
            if self.impl.transactional_ddl:
                self.impl.emit_begin()
            return
        conn = self.connection
        had_transaction = self._transaction is not None
        lock = self._lock
        if had_transaction:
            self._flush_deferred()  # what is committed now must be recorded now
            if lock is not None:
                lock.hold_across_commit()
            self._transaction.commit()
            self._transaction = None
        elif conn.in_transaction() and not self._in_external_transaction:
            conn.commit()
        current_level = conn.get_isolation_level()
        conn.execution_options(isolation_level="AUTOCOMMIT")
        fake = conn.begin()
        try:
            yield
        finally:
            if fake.is_active:
                fake.commit()
            conn.execution_options(isolation_level=current_level)
            if had_transaction:
                self._transaction = self._begin()
                if lock is not None:
                    lock.resume_after_commit()

    # -- running -------------------------------------------------------------------
    def _lock_enabled(self) -> bool:
        return (bool(self.opts.get("migration_lock", True)) and not self.as_sql
                and bool(self.opts.get("_mutates", True)))

    def run_migrations(self, **kw: Any) -> None:
        """Run the steps the command's plan function returns, updating the version table."""
        if self._migrations_fn is None:
            return
        if not self.as_sql and self.connection is None:
            raise CommandError("run_migrations() needs context.configure(connection=...) or "
                               "offline mode")
        self.impl.start_migrations()
        lock = None
        if self._lock_enabled() and self.opts.get("_mutates", True):
            lock = MigrationLock(self, timeout=float(self.opts.get("migration_lock_timeout", 600)))
            lock.acquire()
        self._lock = lock
        try:
            self._run_steps(kw)
        finally:
            self._lock = None
            if lock is not None:
                lock.release()

    def _run_steps(self, kw: dict[str, Any]) -> None:
        heads = tuple(self.get_current_heads())
        if not heads and not self.as_sql and self.opts.get("_mutates", True):
            self._ensure_version_table()  # as Alembic: the table exists from the start
        steps = self._migrations_fn(heads, self)
        current = set(heads)
        # Inside one real transaction nobody else can see intermediate version rows, so
        # write only the net change, after the last step (fewer statements; a failure
        # rolls everything back anyway) -- or earlier, when an autocommit_block commits.
        # Per-step transactions, non-transactional DDL, offline output and
        # on_version_apply callbacks keep per-step writes.
        defer = (not self.as_sql and self.impl.transactional_ddl
                 and not self._transaction_per_migration and self._transaction is not None
                 and not self.on_version_apply_callbacks)
        self._deferred_heads = current if defer else None
        self._deferred_written = set(heads)
        try:
            self._run_each(steps, current, kw, defer)
            self._flush_deferred()
        finally:
            self._deferred_heads = None

    def _flush_deferred(self) -> None:
        """Write the net version-table change deferred since the last write."""
        current = getattr(self, "_deferred_heads", None)
        if current is None or current == self._deferred_written:
            return
        for old in sorted(self._deferred_written - current):
            self._version.apply(self.impl, ("delete", old), False)
        for new in sorted(current - self._deferred_written):
            self._version.apply(self.impl, ("insert", new), False)
        self._deferred_written = set(current)

    def _run_each(self, steps: list, current: set, kw: dict[str, Any], defer: bool) -> None:
        heads = HeadMaintainer(self, current, write=not defer)
        for step in steps:
            before = tuple(sorted(current))
            started = time.perf_counter()
            self._report("step_start", step, before)
            try:
                with self.begin_transaction(_per_migration=True):
                    if not current and not defer:
                        if self.as_sql:
                            self._version.create(self.impl)
                        else:
                            self._ensure_version_table()
                    if not getattr(step, "quiet", False):
                        _log().info("Running %s", step_log(step))
                    if self.as_sql and not getattr(step, "quiet", False):
                        # (offline, the step's SQL lies between these two events:
                        # what ``sqlmigrate`` prints)
                        self._report("sql_step_start", step, before)
                        self.impl.static_output(f"-- Running {step_short_log(step)}")
                    if not isinstance(step, StampStep):
                        fn_name = "upgrade" if step.is_upgrade else "downgrade"
                        module = step.revision.module
                        migration_fn = getattr(module, fn_name, None)
                        if migration_fn is None:
                            raise MigrationError(
                                f"{step.revision.path}: no {fn_name}() function"
                            )
                        from ..operations.base import Operations

                        with Operations.context(self):
                            migration_fn(**kw)
                    heads.update_to_step(step)
                    if self.as_sql:
                        self._report("sql_step_end", step, tuple(sorted(current)))
                    for callback in self.on_version_apply_callbacks:
                        rmap = self.script.revision_map if self.script is not None else None
                        callback(ctx=self, step=MigrationInfo.of_step(step, rmap),
                                 heads=set(current), run_args=kw)
            except CommandError as exc:
                raise self._step_failed(step, before, exc) from exc
            except Exception as exc:
                raise self._step_failed(step, before, exc) from exc
            self._report("step_done", step, tuple(sorted(current)),
                         elapsed=time.perf_counter() - started)

    def _step_failed(self, step: Any, before: tuple, exc: BaseException) -> MigrationError:
        from ..util.masking import error_line

        known = getattr(self.config, "known_secrets", None)
        detail = error_line(exc, known() if known is not None else ())
        if isinstance(exc, CommandError):
            reason = detail
        else:
            reason = f"{type(exc).__name__}: {detail}"
        if len(reason) > 400:
            reason = reason[:400] + "..."
        where = ""
        if self._in_external_transaction:
            where = "; the caller's transaction was left open for the caller to roll back"
            if not self.impl.transactional_ddl:
                where += " (DDL on this database has committed itself)"
        elif not self.as_sql:
            if self.impl.transactional_ddl and not self._transaction_per_migration:
                where = "; the transaction was rolled back"
            elif self.impl.transactional_ddl:
                where = "; this step was rolled back, the database is at %s" % (
                    ", ".join(before) or "<base>")
            else:
                where = ("; the database (which cannot roll back DDL) is recorded at %s and "
                         "may hold part of this step's changes" % (", ".join(before) or "<base>"))
        path = getattr(getattr(step, "revision", None), "path", None)
        in_file = f" ({path})" if path else ""
        return MigrationError(f"Running {step_short_log(step)} failed{in_file}: {reason}{where}")

    def _report(self, event: str, step: Any, heads: tuple, **extra: Any) -> None:
        if self._progress is None:
            return
        self._progress({"event": event, "step": step_log(step), "is_upgrade": step.is_upgrade,
                        "revision": getattr(getattr(step, "revision", None), "revision", None),
                        "heads": heads, **extra})

    def execute(self, sql: Any, execution_options: dict | None = None) -> None:
        self.impl._exec(sql, execution_options)


def _apply_change(current: set, change: tuple) -> None:
    kind = change[0]
    if kind == "insert":
        current.add(change[1])
    elif kind == "update":
        current.discard(change[1])
        current.add(change[2])
    elif kind == "delete":
        current.discard(change[1])


def engine_for_url(url: Any) -> Any:
    """A throwaway engine for a URL (used by commands that read the version table)."""
    from sqlalchemy.pool import NullPool

    return create_engine(url, poolclass=NullPool)

"""Step through an environment's revisions in tests (no Django needed).

``MigrationRunner(config)`` wraps one :class:`~alembic_django.engine.config.Config`:
it lists revisions in upgrade order, upgrades and downgrades one step at a time,
reads the database's current heads, and offers the checks pytest-alembic made
popular: a single head, upgrade from base, up/down consistency, the model definitions
matching the DDL the revisions produce -- and an up/down round trip.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any


class MigrationRunner:
    """Drive ``upgrade`` / ``downgrade`` on one environment, step by step."""

    def __init__(self, config: Any,
                 connected: Callable[[Any], AbstractContextManager[Any]] | None = None) -> None:
        self.config = config
        #: wraps each command (Django lends its in-memory SQLite connection here)
        self.connected = connected or (lambda cfg: contextlib.nullcontext(cfg))
        #: True once upgrade() or downgrade() ran (the pytest fixture then restores heads)
        self.moved = False

    # -- reading -----------------------------------------------------------------------
    @property
    def script(self) -> Any:
        from ..engine.script.directory import ScriptDirectory

        return ScriptDirectory.from_config(self.config)

    def revisions(self) -> list[str]:
        """Every revision id, bases first (the order ``upgrade heads`` applies them)."""
        order = [s.revision for s in self.script.walk_revisions()]
        order.reverse()
        return order

    def heads(self) -> list[str]:
        return list(self.script.get_heads())

    def current(self) -> tuple[str, ...]:
        """The revisions recorded in the database's version table."""
        from ..engine.runtime.migration import MigrationContext

        with self.connected(self.config) as config:
            shared = config.attributes.get("connection")
            if shared is not None:
                return tuple(MigrationContext.configure(shared).get_current_heads())
            import sqlalchemy as sa

            engine = sa.create_engine(config.get_main_option("sqlalchemy.url"),
                                      poolclass=sa.pool.NullPool)
            try:
                with engine.connect() as connection:
                    return tuple(MigrationContext.configure(connection).get_current_heads())
            finally:
                engine.dispose()

    # -- moving ------------------------------------------------------------------------
    def upgrade(self, target: str = "heads") -> None:
        from ..command import upgrade

        self.moved = True
        with self.connected(self.config) as config:
            upgrade(config, target)

    def downgrade(self, target: str = "base") -> None:
        from ..command import downgrade

        self.moved = True
        with self.connected(self.config) as config:
            downgrade(config, target)

    def iterate_up(self) -> Iterator[str]:
        """Upgrade one revision at a time from where the database is; yield each id."""
        from ..checks import applied_set

        applied = applied_set(self.script, self.current())
        for rev in self.revisions():
            if rev not in applied:
                self.upgrade(rev)
                yield rev

    def migrate_up_to(self, revision: str) -> None:
        """Upgrade to ``revision`` (and only what it needs)."""
        self.upgrade(revision)

    # -- checks ------------------------------------------------------------------------
    def check_single_head(self) -> str:
        heads = self.heads()
        if len(heads) != 1:
            raise AssertionError(
                f"expected a single head revision, found {len(heads)}: {', '.join(sorted(heads))}"
            )
        return heads[0]

    def check_upgrade(self) -> list[str]:
        """From base, upgrade one revision at a time to heads (pytest-alembic's
        ``test_upgrade``).  A database that is not empty is downgraded to base first.
        Returns the revisions applied."""
        if self.current():
            self.downgrade("base")
        stepped = list(self.iterate_up())
        if set(self.current()) != set(self.heads()):
            raise AssertionError(f"after stepping up the database is at {sorted(self.current())}, "
                                 f"not the heads {sorted(self.heads())}")
        return stepped

    def check_up_down_consistency(self) -> list[str]:
        """For every revision, from base in upgrade order: upgrade to it, downgrade it
        again, upgrade again (pytest-alembic's ``test_up_down_consistency``): every
        downgrade runs and removes its revision.  Leaves the database at heads; returns
        the revisions checked."""
        from ..checks import applied_set

        if self.current():
            self.downgrade("base")
        checked = []
        for rev in self.revisions():
            self.upgrade(rev)
            parents = self._parents(rev)
            self.downgrade(parents[0] if parents else "base")
            if rev in applied_set(self.script, self.current()):
                raise AssertionError(f"downgrading revision {rev} left it applied "
                                     f"(the database is at {sorted(self.current())})")
            self.upgrade(rev)
            checked.append(rev)
        self.upgrade("heads")
        return checked

    def check_model_definitions_match_ddl(self) -> None:
        """Upgrade to heads, then compare ``target_metadata`` with the database the
        revisions built (pytest-alembic's ``test_model_definitions_match_ddl``); raises
        ``AssertionError`` with autogenerate's ``Detected ...`` lines when they differ."""
        from ..command import check
        from ..engine.autogenerate.report import describe
        from ..engine.errors import AutogenerateDiffsDetected

        self.upgrade("heads")
        try:
            with self.connected(self.config) as config:
                check(config)
        except AutogenerateDiffsDetected as exc:
            lines = []
            for diff in exc.diffs:
                for item in diff if isinstance(diff, list) else [diff]:
                    lines.append(describe(item) or repr(item))
            raise AssertionError("the models differ from the DDL the revisions produce: "
                                 + "; ".join(lines)) from None

    def _parents(self, rev: str) -> list[str]:
        down = self.script.get_revision(rev).down_revision
        if down is None:
            return []
        return [down] if isinstance(down, str) else list(down)

    def check_roundtrip(self) -> list[str]:
        """From base: upgrade one step at a time to heads, downgrade to base, upgrade again.

        Returns the revisions stepped through.  Leaves the database at heads.
        """
        self.downgrade("base")
        if self.current():
            raise AssertionError(f"downgrade base left revisions {self.current()}")
        stepped = list(self.iterate_up())
        at_heads = set(self.current())
        if at_heads != set(self.heads()):
            raise AssertionError(f"after stepping up the database is at {sorted(at_heads)}, "
                                 f"not the heads {sorted(self.heads())}")
        self.downgrade("base")
        if self.current():
            raise AssertionError(f"second downgrade base left revisions {self.current()}")
        self.upgrade("heads")
        return stepped

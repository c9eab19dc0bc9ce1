"""Step through an environment's revisions in tests (no Django needed).

``MigrationRunner(config)`` wraps one :class:`~alembic_django.engine.config.Config`:
it lists revisions in upgrade order, upgrades and downgrades one step at a time,
reads the database's current heads, and offers the checks pytest-alembic made
popular: a single head, and an up/down round trip.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any


class MigrationRunner:
    """Drive ``upgrade`` / ``downgrade`` on one environment, step by step."""

    def __init__(self, config: Any,
                 connected: Callable[[Any], contextlib.AbstractContextManager[Any]] | None = None) -> None:
        self.config = config
        #: wraps each command (Django lends its in-memory SQLite connection here)
        self.connected = connected or (lambda cfg: contextlib.nullcontext(cfg))

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

        with self.connected(self.config) as config:
            upgrade(config, target)

    def downgrade(self, target: str = "base") -> None:
        from ..command import downgrade

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

"""Pure migration planning: upgrade / downgrade / stamp steps and version-table changes.

The version table holds one row per current head.  Each :class:`Step` knows the
row changes Alembic makes for it (``HeadMaintainer.update_to_step``):

* ``("insert", rev)``          -- a new base or a new branch
* ``("update", old, new)``     -- a linear step
* ``("delete", rev)``          -- downgrade to base / away from a dependency
* merge   = ``("delete", ...)``s then one ``("update", ...)``
* unmerge = ``("insert", ...)``s then one ``("update", ...)``

A downgrade plan precomputes every step's changes in one pass (pending-children
counts), so ``downgrade base`` over a long chain is linear; Alembic recomputes
ancestor sets for every step and is quadratic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .revision import (
    InvalidDestination,
    MultipleHeads,
    RangeNotAncestorError,
    Revision,
    RevisionMap,
    to_tuple,
)

Change = tuple

STAMP_MULTIPLE_HEADS = "Multiple heads are present; please specify a single target revision"


def apply_changes(heads: Iterable[str], changes: Iterable[Change]) -> set[str]:
    """The head set after applying version-table ``changes`` to ``heads``."""
    out = set(heads)
    _apply_in_place(out, changes)
    return out


def _apply_in_place(table: set[str], changes: Iterable[Change]) -> None:
    for change in changes:
        if change[0] == "insert":
            table.add(change[1])
        elif change[0] == "delete":
            table.discard(change[1])
        else:
            table.discard(change[1])
            table.add(change[2])


def _signature(heads: Iterable[str]) -> tuple[int, int]:
    """An order-free fingerprint of a head set, updatable in O(1) per change."""
    count = total = 0
    for head in heads:
        count += 1
        total += hash(head)
    return count, total & 0xFFFFFFFFFFFFFFFF


def _signature_after(sig: tuple[int, int], changes: Iterable[Change]) -> tuple[int, int]:
    count, total = sig
    for change in changes:
        if change[0] == "insert":
            count, total = count + 1, total + hash(change[1])
        elif change[0] == "delete":
            count, total = count - 1, total - hash(change[1])
        else:
            total += hash(change[2]) - hash(change[1])
    return count, total & 0xFFFFFFFFFFFFFFFF


class MigrationStep:
    """One step of a run: a revision's upgrade / downgrade, or a stamp."""

    is_upgrade: bool

    @property
    def name(self) -> str:
        return "upgrade" if self.is_upgrade else "downgrade"

    @property
    def is_downgrade(self) -> bool:
        return not self.is_upgrade

    @property
    def short_log(self) -> str:
        """``upgrade A, B -> C`` as in Alembic's progress lines (without the doc)."""
        return "{} {} -> {}".format(self.name, ", ".join(self.from_revisions_no_deps),
                                ", ".join(self.to_revisions_no_deps))

    @property
    def info(self) -> Any:
        """The :class:`~..runtime.migration.MigrationInfo` of this step."""
        from ..runtime.migration import MigrationInfo

        return MigrationInfo.of_step(self, getattr(self, "revision_map", None))

    @classmethod
    def upgrade_from_script(cls, revision_map: RevisionMap, script: Revision) -> RevisionStep:
        return RevisionStep(script, True, revision_map)

    @classmethod
    def downgrade_from_script(cls, revision_map: RevisionMap, script: Revision) -> RevisionStep:
        return RevisionStep(script, False, revision_map)


@dataclass(eq=False)
class RevisionStep(MigrationStep):
    """Run one revision's ``upgrade()`` (``is_upgrade``) or ``downgrade()``."""

    revision: Revision
    is_upgrade: bool
    revision_map: RevisionMap | None = field(default=None, repr=False)
    _expected: tuple | None = field(default=None, repr=False)  # heads signature
    _changes: list | None = field(default=None, repr=False)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RevisionStep) and other.revision is self.revision
                and other.is_upgrade == self.is_upgrade)

    __hash__ = None  # type: ignore[assignment]

    @property
    def doc(self) -> str:
        return self.revision.doc

    @property
    def from_revisions_no_deps(self) -> tuple[str, ...]:
        """For ``Running upgrade A -> B`` logs: parents on upgrade, self on downgrade."""
        rev = self.revision
        return rev._versioned_down_revisions if self.is_upgrade else (rev.revision,)

    @property
    def to_revisions_no_deps(self) -> tuple[str, ...]:
        rev = self.revision
        return (rev.revision,) if self.is_upgrade else rev._versioned_down_revisions

    @property
    def from_revisions(self) -> tuple[str, ...]:
        """As ``from_revisions_no_deps``, with the dependencies an upgrade needs."""
        rev = self.revision
        return rev._normalized_down_revisions if self.is_upgrade else (rev.revision,)

    @property
    def to_revisions(self) -> tuple[str, ...]:
        rev = self.revision
        return (rev.revision,) if self.is_upgrade else rev._normalized_down_revisions

    def version_changes(self, current_heads: Iterable[str]) -> list[Change]:
        """The version-table row changes this step makes, given the current rows."""
        heads = frozenset(current_heads)
        if self._changes is not None and _signature(heads) == self._expected:
            return list(self._changes)
        if self.is_upgrade:
            return upgrade_changes(self.revision, heads)
        return downgrade_changes(self.revision, heads, self.revision_map)

    def apply(self, heads: Iterable[str]) -> set[str]:
        """The head set after this step."""
        heads = set(heads)
        return apply_changes(heads, self.version_changes(heads))


def upgrade_changes(rev: Revision, heads: frozenset | set) -> list[Change]:
    """Rows changed by upgrading ``rev``: insert, update, or merge (deletes + update)."""
    present = [d for d in rev._all_down_revisions if d in heads]
    if not present:
        return [("insert", rev.revision)]
    return [("delete", d) for d in present[:-1]] + [("update", present[-1], rev.revision)]


def _rows_for_downgrade(rev: Revision, new_heads: Sequence[str]) -> list[Change]:
    if not new_heads:
        return [("delete", rev.revision)]
    return [("insert", d) for d in new_heads[:-1]] + [("update", rev.revision, new_heads[-1])]


def downgrade_changes(rev: Revision, heads: frozenset | set,
                      rmap: RevisionMap | None) -> list[Change]:
    """Rows changed by downgrading ``rev`` from ``heads``: a parent becomes a row again
    unless another remaining head still has it as an ancestor."""
    downs = rev._all_down_revisions
    if not downs:
        return [("delete", rev.revision)]
    others = [h for h in heads if h != rev.revision]
    if not others:
        kept = list(downs)
        if len(kept) > 1 and rmap is not None:  # drop parents that are ancestors of parents
            below = rmap._reach((d2 for d in kept for d2 in rmap._revs[d]._all_down_revisions
                                 if d in rmap._revs),
                                lambda r: rmap._revs[r]._all_down_revisions)
            kept = [d for d in kept if d not in below]
        return _rows_for_downgrade(rev, kept)
    if rmap is None:
        raise ValueError("downgrade_changes needs the revision map when other heads exist")
    still = rmap._reach(others, lambda r: rmap._revs[r]._all_down_revisions)
    return _rows_for_downgrade(rev, [d for d in downs if d not in still])


# --------------------------------------------------------------------------- planning


def _heads_tuple(current_heads: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(to_tuple(current_heads)))


def upgrade_plan(rmap: RevisionMap, current_heads: Iterable[str] | str | None,
                 target: str | Sequence[str]) -> list[Step]:
    """Steps to upgrade from ``current_heads`` to ``target``, parents and dependencies first.

    Raises :class:`InvalidDestination` ("Destination X is not a valid upgrade target
    from current head(s)") when ``target`` is not above the current heads.
    """
    heads = _heads_tuple(current_heads)
    try:
        revs = list(rmap.iterate_revisions(target, heads, implicit_base=True))
    except RangeNotAncestorError as err:
        raise InvalidDestination(target, "upgrade", err.lower, err.upper) from err
    except MultipleHeads as err:  # Alembic names the destination as given
        raise MultipleHeads(err.heads, target) from err
    return [Step(rev, True, rmap) for rev in reversed(revs)]


def downgrade_plan(rmap: RevisionMap, current_heads: Iterable[str] | str | None,
                   target: str) -> list[Step]:
    """Steps to downgrade from ``current_heads`` to ``target`` (``base``, an id, ``-1``,
    ``label@base``, ...), children first, unmerging through merge points.

    Version-table changes are precomputed in one linear pass.
    """
    heads = _heads_tuple(current_heads)
    try:
        revs = list(rmap.iterate_revisions(heads, target, select_for_downgrade=True))
    except RangeNotAncestorError as err:
        raise InvalidDestination(target, "downgrade", err.lower, err.upper) from err
    except MultipleHeads as err:
        raise MultipleHeads(err.heads, target) from err
    if not revs:
        return []
    known = rmap._revs
    applied = rmap._reach(heads, lambda r: known[r]._all_down_revisions)
    live_children: dict[str, int] = {}
    for rev in revs:  # parents of downgraded revisions: count their applied children
        for d in rev._all_down_revisions:
            if d in known and d not in live_children:
                live_children[d] = sum(1 for c in known[d]._all_nextrev if c in applied)
    table = set(heads)
    sig = _signature(table)
    steps = []
    for rev in revs:
        new_heads = []
        for d in rev._all_down_revisions:
            if d in live_children:
                live_children[d] -= 1
                if live_children[d] == 0:
                    new_heads.append(d)
        if rev.revision in table:
            changes = _rows_for_downgrade(rev, new_heads)
        else:  # not a row (inconsistent table): let the general rule decide
            changes = downgrade_changes(rev, frozenset(table), rmap)
        steps.append(Step(rev, False, rmap, sig, changes))
        _apply_in_place(table, changes)
        sig = _signature_after(sig, changes)
    return steps


Step = RevisionStep


@dataclass(eq=False)
class StampStep(MigrationStep):
    """Move version rows without running migrations (``stamp``)."""

    from_: tuple[str, ...]
    to_: tuple[str, ...]
    is_upgrade: bool
    branch_move: bool
    revision_map: RevisionMap | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from .revision_errors import to_tuple

        self.from_ = to_tuple(self.from_)
        self.to_ = to_tuple(self.to_)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, StampStep) and other.from_ == self.from_
                and other.to_ == self.to_ and other.branch_move == self.branch_move
                and other.is_upgrade == self.is_upgrade)

    __hash__ = None  # type: ignore[assignment]

    @property
    def from_revisions(self) -> tuple[str, ...]:
        return self.from_

    from_revisions_no_deps = from_revisions

    @property
    def to_revisions(self) -> tuple[str, ...]:
        return self.to_

    to_revisions_no_deps = to_revisions

    @property
    def stamp_revision(self) -> str | None:
        return self.to_[0] if self.to_ else None

    @property
    def short_log(self) -> str:
        return "stamp_revision {} -> {}".format(", ".join(self.from_), ", ".join(self.to_))

    def version_changes(self, current_heads: Iterable[str]) -> list[Change]:
        """Alembic's stamp row changes; rows an earlier step already moved are skipped
        (Alembic fails on those, e.g. ``stamp a b`` where both replace one head)."""
        heads = set(current_heads)
        if self.is_downgrade and self.branch_move:
            return [("delete", self.from_[0])] if self.from_[0] in heads else []
        dest = self.to_[0]
        if dest in heads:
            return []
        froms = [r for r in self.from_ if r in heads]
        if self.branch_move or not froms:
            return [("insert", dest)]
        return [("delete", r) for r in froms[:-1]] + [("update", froms[-1], dest)]

    def apply(self, heads: Iterable[str]) -> set[str]:
        heads = set(heads)
        return apply_changes(heads, self.version_changes(heads))


def stamp_plan(rmap: RevisionMap, current_heads: Iterable[str] | str | None,
               targets: str | Sequence[str] | None, purge: bool = False) -> list[StampStep]:
    """Alembic's ``_stamp_revs``: one :class:`StampStep` per destination.

    With ``purge`` the current rows are ignored (the caller empties the table first).
    """
    heads = () if purge else _heads_tuple(current_heads)
    try:
        head_revs = [r for r in rmap.get_revisions(heads) if r is not None]
        targets = to_tuple(targets) or ("base",)
        filtered: list[Revision] = []
        for target in targets:
            if target:
                for rev in rmap.filter_for_lineage(head_revs, target, include_dependencies=True):
                    if rev not in filtered:
                        filtered.append(rev)
        dests = tuple(dict.fromkeys(rmap.get_revisions(targets))) or (None,)
    except MultipleHeads as err:
        raise MultipleHeads(err.heads, err.argument, STAMP_MULTIPLE_HEADS) from err
    steps = []
    todo_heads = tuple(h.revision for h in filtered)
    for dest in dests:
        if dest is None or dest == "base":
            steps.extend(StampStep((h.revision,), (), False, True) for h in filtered)
            continue
        if dest in filtered:
            continue
        lineage_down = {r.revision for r in rmap._get_descendant_nodes([dest])}
        lineage_up = {r.revision for r in rmap._get_ancestor_nodes([dest])}
        if lineage_down.intersection(todo_heads):
            steps.append(StampStep(todo_heads, (dest.revision,), False, False))
        elif lineage_up.intersection(todo_heads):
            steps.append(StampStep(todo_heads, (dest.revision,), True, False))
        else:
            steps.append(StampStep((), (dest.revision,), True, True))
    return steps


def stamp_changes(rmap: RevisionMap, current_heads: Iterable[str] | str | None,
                  targets: str | Sequence[str] | None, purge: bool = False) -> list[Change]:
    """All version-table changes of ``stamp targets`` (with ``purge``: delete every
    current row first, then stamp as if the table were empty)."""
    current = _heads_tuple(current_heads)
    changes: list[Change] = []
    table = set(current)
    if purge:
        changes.extend(("delete", h) for h in current)
        table = set()
    for step in stamp_plan(rmap, current, targets, purge=purge):
        step_changes = step.version_changes(table)
        changes.extend(step_changes)
        table = apply_changes(table, step_changes)
    return changes

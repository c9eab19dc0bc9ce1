"""A node of the revision graph (:class:`Revision`) and the identifier grammar."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from .revision_errors import DependencyLoopDetected, LoopDetected, RevisionError, to_tuple

_relative_destination = re.compile(r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)")
_revision_illegal_chars = ("@", "-", "+", ":")

RevisionIdentifier = str | Sequence[str] | None


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _as_scalar(rev: tuple):
    if not rev:
        return None
    return rev[0] if len(rev) == 1 else rev


# --------------------------------------------------------------------------- Revision


class Revision:
    """One node of the graph: a revision id, its parents, dependencies and labels."""

    nextrev: frozenset = frozenset()
    """Children through ``down_revision`` only."""
    _all_nextrev: frozenset = frozenset()
    _resolved_dependencies: tuple = ()

    def __init__(self, revision: str, down_revision: str | Sequence[str] | None,
                 dependencies: str | Sequence[str] | None = None,
                 branch_labels: str | Sequence[str] | None = None) -> None:
        if down_revision and revision in to_tuple(down_revision):
            raise LoopDetected(revision)
        if dependencies is not None and revision in to_tuple(dependencies):
            raise DependencyLoopDetected(revision)
        self.verify_rev_id(revision)
        self.revision = revision
        self.down_revision = _as_scalar(to_tuple(down_revision))
        #: parents, always a tuple
        self._versioned_down_revisions: tuple[str, ...] = to_tuple(self.down_revision)
        #: parents plus resolved dependencies (complete once a map is built)
        self._all_down_revisions: tuple[str, ...] = self._versioned_down_revisions
        self.dependencies = _as_scalar(to_tuple(dependencies))
        self._orig_branch_labels = to_tuple(branch_labels)
        self.branch_labels: set[str] = set(self._orig_branch_labels)

    @classmethod
    def verify_rev_id(cls, revision: str) -> None:
        illegal = [c for c in _revision_illegal_chars if c in revision]
        if illegal:
            raise RevisionError(
                "Character(s) '{}' not allowed in revision identifier '{}'".format(", ".join(sorted(illegal)), revision)
            )

    def __repr__(self) -> str:
        args = [repr(self.revision), repr(self.down_revision)]
        if self.dependencies:
            args.append(f"dependencies={self.dependencies!r}")
        if self.branch_labels:
            args.append(f"branch_labels={sorted(self.branch_labels)!r}")
        return "{}({})".format(type(self).__name__, ", ".join(args))


    def add_nextrev(self, revision: Revision) -> None:
        """Record ``revision`` as a child (a dependant counts in ``_all_nextrev`` only)."""
        self._all_nextrev = self._all_nextrev.union([revision.revision])
        if self.revision in revision._versioned_down_revisions:
            self.nextrev = self.nextrev.union([revision.revision])

    @property
    def _normalized_down_revisions(self) -> tuple[str, ...]:
        """Parents plus the dependencies no versioned ancestor already has (needs the
        map this revision belongs to; without one, all parents and dependencies)."""
        ref = self.__dict__.get("_map_ref")
        rmap = ref() if ref is not None else None
        if rmap is None:
            return self._all_down_revisions
        return rmap._normalized_down_revisions(self)

    @property
    def _normalized_resolved_dependencies(self) -> tuple[str, ...]:
        given = self.__dict__.get("_given_normalized_dependencies")
        if given is not None:
            return given
        return tuple(d for d in self._normalized_down_revisions
                     if d not in self._versioned_down_revisions)

    @_normalized_resolved_dependencies.setter
    def _normalized_resolved_dependencies(self, value: tuple[str, ...]) -> None:
        self.__dict__["_given_normalized_dependencies"] = tuple(value)

    @property
    def is_head(self) -> bool:
        return not self.nextrev

    @property
    def _is_real_head(self) -> bool:
        return not self._all_nextrev

    @property
    def is_base(self) -> bool:
        return self.down_revision is None

    @property
    def _is_real_base(self) -> bool:
        return self.down_revision is None and self.dependencies is None

    @property
    def is_branch_point(self) -> bool:
        return len(self.nextrev) > 1

    @property
    def _is_real_branch_point(self) -> bool:
        return len(self._all_nextrev) > 1

    @property
    def is_merge_point(self) -> bool:
        return len(self._versioned_down_revisions) > 1


def tuple_rev_as_scalar(rev: Sequence[str] | None) -> str | tuple | None:
    """None for no revisions, the id for one, a tuple for several."""
    if not rev:
        return None
    if len(rev) == 1:
        return rev[0]
    return tuple(rev)


def is_revision(rev: Any) -> Revision:
    if not isinstance(rev, Revision):
        raise RevisionError(f"revision expected, got {rev!r}")
    return rev

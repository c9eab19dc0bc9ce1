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


def is_revision(rev: Any) -> Revision:
    if not isinstance(rev, Revision):
        raise RevisionError(f"revision expected, got {rev!r}")
    return rev

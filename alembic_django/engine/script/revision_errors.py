"""The revision graph's error family (re-exported by :mod:`.revision`).

Each error carries data; ``str(exc)`` is the one-line text Alembic shows the user, so
``ScriptDirectory`` translates any of them with ``CommandError(str(exc))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MULTIPLE_HEADS_ADVICE = (
    "Multiple head revisions are present for given argument '%(head_arg)s'; "
    "please specify a specific target revision, '<branchname>@%(head_arg)s' to "
    "narrow to a specific head, or 'heads' for all heads"
)


# --------------------------------------------------------------------------- errors


class RevisionError(Exception):
    """The revision graph or an identifier is invalid; ``str()`` is the user text."""


class RangeNotAncestorError(RevisionError):
    """``lower`` is not an ancestor of ``upper`` (a range across branches)."""

    def __init__(self, lower: Any, upper: Any, message: str | None = None) -> None:
        self.lower = lower
        self.upper = upper
        if message is None:
            message = (
                f"Requested range {_fmt(lower)}:{_fmt(upper)} does not refer to ancestor/descendant "
                "revisions along the same branch"
            )
        super().__init__(message)


class InvalidDestination(RangeNotAncestorError):
    """An upgrade/downgrade destination is not reachable from the current heads."""

    def __init__(self, destination: Any, direction: str, lower: Any = None,
                 upper: Any = None) -> None:
        self.destination = destination
        self.direction = direction
        super().__init__(
            lower, upper,
            f"Destination {_fmt(destination)} is not a valid {direction} target from current head(s)",
        )


class MultipleHeads(RevisionError):
    """A symbol that must name one revision (``head``, ``label@head``) names several."""

    def __init__(self, heads: Sequence[str], argument: Any, message: str | None = None) -> None:
        self.heads = tuple(heads)
        self.argument = argument
        if message is None:
            message = MULTIPLE_HEADS_ADVICE
        super().__init__(message % {"head_arg": argument, "heads": ", ".join(self.heads)})


class ResolutionError(RevisionError):
    """An identifier, prefix or branch label does not resolve to a revision."""

    def __init__(self, message: str, argument: Any) -> None:
        super().__init__(message)
        self.argument = argument


class CycleDetected(RevisionError):
    """``down_revision`` links form a cycle."""

    kind = "Cycle"

    def __init__(self, revisions: Sequence[str]) -> None:
        self.revisions = list(revisions)
        super().__init__(
            "{} is detected in revisions ({})".format(self.kind, ", ".join(self.revisions)))


class DependencyCycleDetected(CycleDetected):
    """``down_revision`` plus ``depends_on`` links form a cycle."""

    kind = "Dependency cycle"


class LoopDetected(CycleDetected):
    """A revision names itself as its ``down_revision``."""

    kind = "Self-loop"

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__([revision])


class DependencyLoopDetected(DependencyCycleDetected, LoopDetected):
    """A revision names itself in ``depends_on``."""

    kind = "Dependency self-loop"

    def __init__(self, revision: str) -> None:
        LoopDetected.__init__(self, revision)


class DuplicateBranchLabel(RevisionError):
    """Two revisions (or a label and a revision id) use the same branch name."""

    def __init__(self, label: str, rev: str, other: str) -> None:
        self.label, self.rev, self.other = label, rev, other
        super().__init__(
            f"Branch name '{label}' in revision {rev} already used by revision {other}"
        )


class DuplicateRevision(RevisionError):
    """Two revisions declare the same id (``first`` and ``second``, in load order)."""

    def __init__(self, revision: str, first: Any = None, second: Any = None) -> None:
        self.revision, self.first, self.second = revision, first, second
        super().__init__(f"Revision {revision} is present more than once")


class MissingRevision(RevisionError):
    """A ``down_revision`` or ``depends_on`` names a revision that is not present."""

    def __init__(self, missing: str, referenced_from: Any, key: str = "down_revision") -> None:
        self.missing, self.referenced_from, self.key = missing, referenced_from, key
        rid = getattr(referenced_from, "revision", referenced_from)
        super().__init__(f"Revision {missing} referenced from {rid} is not present")


class NotAHead(RevisionError):
    """``revision --head X`` where X has children (needs ``--splice``)."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"Revision {revision} is not a head revision; please specify --splice to "
            "create a new branch from this revision"
        )


def _fmt(value: Any) -> str:
    if value is None or value == ():
        return "base"
    if isinstance(value, (tuple, list, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return str(value)


def to_tuple(value: Any, default: Any = ()) -> tuple:
    """``None`` -> default, a string -> ``(s,)``, an iterable -> tuple."""
    if value is None:
        return default
    if isinstance(value, str):
        return (value,)
    return tuple(value)

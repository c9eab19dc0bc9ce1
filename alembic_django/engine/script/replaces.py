"""Squashed revisions: which graph a database sees (pure; no files, no database).

A squashed revision ``S`` lists in ``replaces`` the consecutive revisions
``R1 .. Rn`` (oldest first) whose code it carries (see the ``squash`` command).
Both ``S`` and the originals stay on disk until every database is past them, but a
graph can hold only one of the two paths, so each squash is seen one of two ways:

* **squashed** -- the default, and for any database whose version table names none
  of ``R1 .. R(n-1)``: the originals are hidden; a reference to any of them (a
  child's ``down_revision``, a ``depends_on``) points at ``S``; ``Rn`` is an alias of
  ``S`` (a version row naming ``Rn`` means ``S`` and is rewritten to ``S`` by the
  next command that writes the version table);
* **original** -- for a database inside the range (its version table names one of
  ``R1 .. R(n-1)``): ``S`` is hidden, references to ``S`` point at ``Rn`` and ``S``
  is an alias of ``Rn``; the database runs the remaining originals and, once at
  ``Rn``, is recorded at ``S``.

The originals can be deleted once no database is inside the range: ``Rn`` stays an
alias of ``S`` through ``S``'s ``replaces`` list.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import CommandError
from .revision_errors import to_tuple


@dataclass(frozen=True)
class Squash:
    """One squashed revision and the revisions it replaces (oldest first)."""

    revision: str
    replaces: tuple[str, ...]
    path: str | None = None

    @property
    def end(self) -> str:
        return self.replaces[-1]

    @property
    def inner(self) -> tuple[str, ...]:
        return self.replaces[:-1]


@dataclass(frozen=True)
class Replaced:
    """What a view tells the revision map: ``aliases`` (an id that names another
    revision) and ``hidden`` (an id hidden by a squash -> the squashed revision)."""

    aliases: dict[str, str] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)


@dataclass
class DatabaseView:
    """The graph as a database at ``heads`` sees it.

    ``script`` is the :class:`~.directory.ScriptDirectory` (or a copy of it whose
    map shows some squashes as their originals); ``heads`` are the version rows in
    that view's names; ``before`` are the version-table changes to make before any
    step (rows naming an alias); ``finish`` maps an alias to the revision a row
    naming it must be rewritten to once the run's steps are done.
    """

    script: Any
    heads: tuple[str, ...]
    before: list[tuple] = field(default_factory=list)
    finish: dict[str, str] = field(default_factory=dict)

    @property
    def trivial(self) -> bool:
        return not self.before and not self.finish


def squashes(revisions: Iterable[Any]) -> list[Squash]:
    """The squashed revisions among ``revisions``; an id replaced twice is an error."""
    found = [Squash(r.revision, tuple(r.replaces), getattr(r, "path", None))
             for r in revisions if getattr(r, "replaces", None)]
    owner: dict[str, str] = {}
    for sq in found:
        if sq.revision in sq.replaces:
            raise CommandError(f"Revision {sq.revision} ({sq.path}) lists itself in 'replaces'")
        for rid in sq.replaces:
            other = owner.setdefault(rid, sq.revision)
            if other != sq.revision:
                raise CommandError(f"Revision {rid} is replaced by both {other} and "
                                   f"{sq.revision}; a revision can be squashed only once")
    return found


def inside(found: Sequence[Squash], heads: Iterable[str]) -> list[Squash]:
    """The squashes a database at ``heads`` is inside (a row names an inner original)."""
    heads = set(heads)
    return [sq for sq in found if heads.intersection(sq.inner)]


def arrange(revisions: Sequence[Any], found: Sequence[Squash], original: frozenset[str],
            copy_all: bool) -> tuple[list[Any], Replaced]:
    """The revisions of one view: squashes in ``original`` shown as their originals,
    the others as the squashed revision.  Revisions whose references change are
    copied (every one when ``copy_all``: a map writes its links into its revisions)."""
    redirect: dict[str, str] = {}
    hidden: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for sq in found:
        if sq.revision in original:  # S names the end of the range
            redirect[sq.revision] = sq.end
            aliases[sq.revision] = sq.end
        else:
            for rid in sq.replaces:
                redirect[rid] = sq.revision
                hidden[rid] = sq.revision
            aliases[sq.end] = sq.revision
            del hidden[sq.end]  # resolves, through the alias
    hidden_ids = set(hidden) | set(aliases)
    out = []
    for rev in revisions:
        if rev.revision in hidden_ids:
            continue
        down = to_tuple(rev.down_revision)
        deps = to_tuple(rev.dependencies)
        new_down = _redirected(down, redirect)
        new_deps = _redirected(deps, redirect)
        if new_down == down and new_deps == deps and not copy_all:
            out.append(rev)
            continue
        clone = copy.copy(rev)
        clone.down_revision = _scalar(new_down)
        clone._versioned_down_revisions = new_down
        clone.dependencies = _scalar(new_deps)
        clone.branch_labels = set(clone._orig_branch_labels)
        out.append(clone)
    return out, Replaced(aliases, hidden)


def _redirected(ids: tuple[str, ...], redirect: dict[str, str]) -> tuple[str, ...]:
    if not ids or not redirect:
        return ids
    return tuple(dict.fromkeys(redirect.get(i, i) for i in ids))


def _scalar(ids: tuple[str, ...]) -> Any:
    if not ids:
        return None
    return ids[0] if len(ids) == 1 else ids


def missing_originals(sq: Squash, present: set[str]) -> list[str]:
    return [rid for rid in sq.replaces if rid not in present]

"""The pure revision graph: Alembic's ``RevisionMap`` semantics, in linear time.

A :class:`RevisionMap` is built lazily from a zero-argument callable yielding
:class:`Revision` objects; it never touches files, databases or SQLAlchemy.
Every walk is iterative (a 10,000-long chain does not recurse) and every public
operation is O(n) or O(n log n) in the number of revisions.

Graph errors (:mod:`.revision_errors`, re-exported here) carry data; ``str(exc)``
is the one-line text Alembic shows the user, so ``ScriptDirectory`` can translate
any of them with ``CommandError(str(exc))``.
"""

from __future__ import annotations

import bisect
import threading
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..util.langhelpers import not_none  # noqa: F401  (Alembic's import path)
from .revision_errors import (  # noqa: F401 - re-exported: the graph's public errors
    MULTIPLE_HEADS_ADVICE,
    CycleDetected,
    DependencyCycleDetected,
    DependencyLoopDetected,
    DuplicateBranchLabel,
    DuplicateRevision,
    InvalidDestination,
    LoopDetected,
    MissingRevision,
    MultipleHeads,
    NotAHead,
    RangeNotAncestorError,
    ResolutionError,
    RevisionError,
    to_tuple,
)
from .revision_iterate import IterateMixin
from .revision_labels import LabelsMixin
from .revision_node import (  # noqa: F401 - re-exported
    Revision,
    RevisionIdentifier,
    _as_scalar,
    _dedupe,
    _relative_destination,
    _revision_illegal_chars,
    is_revision,
    tuple_rev_as_scalar,
)

# --------------------------------------------------------------------------- RevisionMap


class RevisionMap(LabelsMixin, IterateMixin):
    """All revisions, indexed; built on first use from ``generator()``.

    A duplicate revision id or a ``down_revision`` / ``depends_on`` naming a revision
    that is not there is a *problem*: by default (Alembic's behaviour) a ``UserWarning``
    and the graph is built without it; ``on_problem`` (called with a
    :class:`DuplicateRevision` or :class:`MissingRevision`) may raise instead -- the
    script directory does, so every command refuses such a graph.
    """

    def __init__(self, generator: Callable[[], Iterable[Revision]],
                 replaced: Callable[[], Any] | None = None,
                 on_problem: Callable[[RevisionError], None] | None = None) -> None:
        self._generator = generator
        #: called after ``generator``: an object with ``aliases`` (id -> the id of the
        #: revision it names) and ``hidden`` (id -> the squashed revision hiding it);
        #: see :mod:`.replaces`
        self._replaced_source = replaced
        self._on_problem = on_problem
        self._built = False
        self._build_lock = threading.Lock()  # threads sharing one map build it once

    def _problem(self, error: RevisionError) -> None:
        if self._on_problem is not None:
            self._on_problem(error)
        else:
            warnings.warn(str(error), stacklevel=5)

    # ----------------------------------------------------------------- building

    def _ensure(self) -> None:
        if not self._built:
            with self._build_lock:
                if not self._built:
                    self._build()
                    self._built = True

    @property
    def _revision_map(self) -> dict:
        self._ensure()
        return self._map

    @property
    def heads(self) -> tuple[str, ...]:
        """Revisions no ``down_revision`` points at, in generator order."""
        self._ensure()
        return self._heads

    @property
    def bases(self) -> tuple[str, ...]:
        """Revisions whose ``down_revision`` is None, in generator order."""
        self._ensure()
        return self._bases

    @property
    def _real_heads(self) -> tuple[str, ...]:
        self._ensure()
        return self._rheads

    @property
    def _real_bases(self) -> tuple[str, ...]:
        self._ensure()
        return self._rbases

    def get_heads(self, consider_depends_on: bool = False) -> tuple[str, ...]:
        """``heads``; with ``consider_depends_on`` leave out heads others depend on."""
        return self._real_heads if consider_depends_on else self.heads

    def get_bases(self) -> tuple[str, ...]:
        return self.bases

    def add_revision(self, revision: Revision, _replace: bool = False) -> None:
        """Add (or with ``_replace`` swap in) one revision; the map rebuilds lazily."""
        self._ensure()
        revs = dict(self._revs)
        if not _replace and revision.revision in revs:
            self._problem(DuplicateRevision(revision.revision, revs[revision.revision], revision))
        elif _replace and revision.revision not in revs:
            raise RevisionError(f"revision {revision.revision} not in map")
        revs[revision.revision] = revision
        items = list(revs.values())
        self._generator = lambda: items
        self._built = False

    def _build(self) -> None:
        revs: dict[str, Revision] = {}
        for rev in self._generator():
            if "_orig_branch_labels" not in rev.__dict__:  # a subclass skipped __init__
                rev._orig_branch_labels = to_tuple(rev.branch_labels)
            if rev.revision in revs:
                self._problem(DuplicateRevision(rev.revision, revs[rev.revision], rev))
                del revs[rev.revision]
            revs[rev.revision] = rev
        self._order = {rid: n for n, rid in enumerate(revs)}
        full: dict[Any, Revision | None] = dict(revs)
        labelled = [r for r in revs.values() if r._orig_branch_labels]
        for rev in labelled:
            for label in rev._orig_branch_labels:
                other = full.get(label)
                if other is not None:
                    raise DuplicateBranchLabel(label, rev.revision, other.revision)
                full[label] = rev
        self._hidden: dict[str, str] = {}
        if self._replaced_source is not None:
            replaced = self._replaced_source()
            for alias, target in replaced.aliases.items():
                if alias not in full and target in revs:
                    full[alias] = revs[target]
            self._hidden = dict(replaced.hidden)

        children: dict[str, list[str]] = {}
        dep_children: dict[str, list[str]] = {}
        self._has_deps = False
        ref = weakref.ref(self)
        for rid, rev in revs.items():
            rev._map_ref = ref
            versioned = rev._versioned_down_revisions = to_tuple(rev.down_revision)
            for down in versioned:
                if down in revs:
                    children.setdefault(down, []).append(rid)
                else:
                    self._problem(MissingRevision(down, rev, "down_revision"))
            rev._resolved_dependencies = ()
            rev._all_down_revisions = versioned
            if rev.dependencies:
                resolved = []
                for dep in to_tuple(rev.dependencies):
                    target = full.get(dep)
                    if target is None:
                        self._problem(MissingRevision(dep, rev, "depends_on"))
                    else:
                        resolved.append(target.revision)
                if resolved:
                    self._has_deps = True
                    rev._resolved_dependencies = _dedupe(resolved)
                    rev._all_down_revisions = _dedupe(versioned + rev._resolved_dependencies)
                    for dep in rev._resolved_dependencies:
                        if dep not in versioned:
                            dep_children.setdefault(dep, []).append(rid)
        empty: frozenset = frozenset()
        for rid, rev in revs.items():
            kids = children.get(rid)
            rev.nextrev = frozenset(kids) if kids else empty
            extra = dep_children.get(rid)
            rev._all_nextrev = rev.nextrev.union(extra) if extra else rev.nextrev
        self._children = {k: tuple(v) for k, v in children.items()}
        self._all_children = dict(self._children)
        for k, v in dep_children.items():
            self._all_children[k] = tuple(dict.fromkeys(self._children.get(k, ()) + tuple(v)))

        self._revs = revs
        self._map = full
        self._map[None] = None
        self._map[()] = None
        self._heads = tuple(r for r, x in revs.items() if not x.nextrev)
        self._rheads = tuple(r for r, x in revs.items() if not x._all_nextrev)
        self._bases = tuple(r for r, x in revs.items() if x.is_base)
        self._rbases = tuple(r for r, x in revs.items() if x._is_real_base)
        self._normalized: dict[str, tuple[str, ...]] = {}
        self._sorted_keys: list[str] | None = None
        self._detect_cycles()
        self._propagate_branch_labels()

    def _reach(self, starts: Iterable[str], step: Callable[[str], Iterable[str]]) -> set[str]:
        seen: set[str] = set()
        todo = [s for s in starts if s in self._revs]
        while todo:
            rid = todo.pop()
            if rid in seen:
                continue
            seen.add(rid)
            todo.extend(n for n in step(rid) if n in self._revs and n not in seen)
        return seen

    def _is_acyclic(self) -> bool:
        """Kahn's algorithm over parents and dependencies: the fast common case."""
        revs = self._revs
        indegree = {r: sum(1 for d in x._all_down_revisions if d in revs)
                    for r, x in revs.items()}
        todo = [r for r, n in indegree.items() if not n]
        done = 0
        all_children = self._all_children
        while todo:
            rid = todo.pop()
            done += 1
            for child in all_children.get(rid, ()):
                indegree[child] -= 1
                if not indegree[child]:
                    todo.append(child)
        return done == len(revs)

    def _detect_cycles(self) -> None:
        revs = self._revs
        if not revs or (self._heads and self._is_acyclic()):
            return
        # roots: bases, plus revisions whose parents are all missing (already warned)
        roots = [r for r, x in revs.items()
                 if all(d not in revs for d in x._versioned_down_revisions)]
        if not self._heads or not roots:
            raise CycleDetected(list(revs))
        space = self._reach(self._heads, lambda r: revs[r]._versioned_down_revisions)
        space &= self._reach(roots, lambda r: self._children.get(r, ()))
        if len(space) != len(revs):
            raise CycleDetected(sorted(set(revs) - space))
        real_roots = [r for r, x in revs.items()
                      if all(d not in revs for d in x._all_down_revisions)]
        if not self._rheads or not real_roots:
            raise DependencyCycleDetected(list(revs))
        space = self._reach(self._rheads, lambda r: revs[r]._all_down_revisions)
        space &= self._reach(real_roots, lambda r: self._all_children.get(r, ()))
        if len(space) != len(revs):
            raise DependencyCycleDetected(sorted(set(revs) - space))

    def _sorted(self, ids: Iterable[str]) -> list[str]:
        order = self._order
        return sorted(ids, key=lambda r: order.get(r, -1), reverse=True)

    # ----------------------------------------------------------------- walking

    def _iter_related(self, targets: Iterable[Any],
                      fn: Callable[[Revision], Iterable[str]]) -> Iterator[Revision]:
        """Depth-first, iterative; yields each reachable revision once (targets too)."""
        revs = self._revs
        seen: set[str] = set()
        for target in targets:
            todo = [is_revision(target)]
            while todo:
                rev = todo.pop()
                if rev.revision in seen:
                    continue
                seen.add(rev.revision)
                for rid in fn(rev):
                    nxt = revs.get(rid)
                    if nxt is not None and rid not in seen:
                        todo.append(nxt)
                yield rev

    def _get_ancestor_nodes(self, targets: Iterable[Any], include_dependencies: bool = True,
                            check: bool = False) -> Iterator[Revision]:
        targets = [t for t in targets if t is not None and t != "base"]
        if check:
            self._check_overlap(targets)
        fn = ((lambda r: r._all_down_revisions) if include_dependencies
              else (lambda r: r._versioned_down_revisions))
        return self._iter_related(targets, fn)

    def _get_descendant_nodes(self, targets: Iterable[Any],
                              include_dependencies: bool = True) -> Iterator[Revision]:
        targets = [t for t in targets if t is not None and t != "base"]
        fn = (lambda r: r._all_nextrev) if include_dependencies else (lambda r: r.nextrev)
        return self._iter_related(targets, fn)

    def _check_overlap(self, targets: list[Revision]) -> None:
        ids = {t.revision for t in targets}
        if len(ids) < 2:
            return
        below = self._reach((d for t in targets for d in t._all_down_revisions),
                            lambda r: self._revs[r]._all_down_revisions)
        if not below & ids:
            return
        for target in targets:
            mine = self._reach(target._all_down_revisions,
                               lambda r: self._revs[r]._all_down_revisions)
            overlaps = sorted(mine & ids - {target.revision}, key=self._order.get)
            if overlaps:
                raise RevisionError("Requested revision {} overlaps with other requested "
                                    "revisions {}".format(target.revision, ", ".join(overlaps)))

    def _normalized_down_revisions(self, rev: Revision) -> tuple[str, ...]:
        """Parents plus the dependencies no versioned ancestor already depends on."""
        deps = rev._resolved_dependencies
        if not deps:
            return rev._versioned_down_revisions
        cached = self._normalized.get(rev.revision)
        if cached is None:
            keep = set(deps)
            topo = self._topo_index
            if topo is None:  # no topological order (cyclic map): plain walk
                for anc in self._get_ancestor_nodes([rev], include_dependencies=False):
                    if anc is not rev and anc._resolved_dependencies:
                        keep.difference_update(anc._resolved_dependencies)
                        if not keep:
                            break
            else:
                self._drop_inherited_dependencies(rev, keep, topo)
            cached = _dedupe(rev._versioned_down_revisions
                             + tuple(d for d in deps if d in keep))
            self._normalized[rev.revision] = cached
        return cached

    def _drop_inherited_dependencies(self, rev: Revision, keep: set[str],
                                     topo: dict[str, int]) -> None:
        """Remove from ``keep`` the dependencies a strict versioned ancestor of ``rev``
        also has.  Only revisions depending on one of them and placed before ``rev``
        in topological order can matter, and ancestors placed before the earliest of
        those cannot lead to one, so the walk is pruned there."""
        users = self._dependency_users
        if users is None:
            users = self._dependency_users = {}
            for rid, other in self._revs.items():
                for dep in other._resolved_dependencies:
                    users.setdefault(dep, []).append(rid)
        mine = topo[rev.revision]
        candidates = {u for d in keep for u in users.get(d, ()) if topo[u] < mine}
        if not candidates:
            return
        floor = min(topo[u] for u in candidates)
        revs = self._revs
        seen = {rev.revision}
        todo = [d for d in rev._versioned_down_revisions if d in revs]
        while todo:
            rid = todo.pop()
            if rid in seen:
                continue
            seen.add(rid)
            if rid in candidates:
                keep.difference_update(revs[rid]._resolved_dependencies)
                if not keep:
                    return
            todo.extend(d for d in revs[rid]._versioned_down_revisions
                        if d in revs and d not in seen and topo[d] >= floor)

    # ----------------------------------------------------------------- resolution

    def get_current_head(self, branch_label: str | None = None) -> str | None:
        """The single head (of ``branch_label``); :class:`MultipleHeads` if several."""
        current: Sequence[str] = self.heads
        if branch_label:
            current = self.filter_for_lineage(current, branch_label)
        if len(current) > 1:
            raise MultipleHeads(current, f"{branch_label}@head" if branch_label else "head")
        return current[0] if current else None

    def _get_base_revisions(self, identifier: str) -> tuple[str, ...]:
        return self.filter_for_lineage(self.bases, identifier)

    def get_revisions(self, id_: Any) -> tuple[Any, ...]:
        """Revisions for an identifier or a sequence of them; ``()`` for ``base``."""
        if isinstance(id_, (list, tuple, set, frozenset)):
            out: list = []
            for elem in id_:
                out.extend(self.get_revisions(elem))
            return tuple(out)
        resolved, branch_label = self._resolve_revision_number(id_)
        if len(resolved) == 1:
            try:
                rint = int(resolved[0])
            except ValueError:
                rint = 0
            if rint < 0:
                select = self.get_revisions("heads")
                if branch_label is not None:
                    select = tuple(h for h in select if branch_label in h.branch_labels)
                return tuple(self._walk(h, steps=rint) for h in select)
        return tuple(self._revision_for_ident(r, branch_label) for r in resolved)

    def get_revision(self, id_: str | None) -> Revision | None:
        """One revision (``None`` for ``base``); :class:`MultipleHeads` if several."""
        resolved, branch_label = self._resolve_revision_number(id_)
        if len(resolved) > 1:
            raise MultipleHeads(resolved, id_)
        return self._revision_for_ident(resolved[0] if resolved else (), branch_label)

    def _resolve_branch(self, branch_label: str) -> Revision | None:
        rev = self._revision_map.get(branch_label)
        if rev is not None:
            return rev
        try:
            return self._revision_for_ident(branch_label)
        except ResolutionError as err:
            raise ResolutionError(f"No such branch: '{branch_label}'", branch_label) from err

    def _prefix_matches(self, prefix: str) -> list[str]:
        if self._sorted_keys is None:
            self._key_order = {k: n for n, k in enumerate(
                k for k in self._map if isinstance(k, str))}
            self._sorted_keys = sorted(k for k in self._key_order if len(k) > 3)
        keys = self._sorted_keys
        out = []
        for n in range(bisect.bisect_left(keys, prefix), len(keys)):
            if not keys[n].startswith(prefix):
                break
            out.append(keys[n])
        return sorted(out, key=self._key_order.get)

    def _revision_for_ident(self, resolved_id: Any, check_branch: str | None = None
                            ) -> Revision | None:
        branch_rev = self._resolve_branch(check_branch) if check_branch else None
        map_ = self._revision_map
        if resolved_id in map_:
            revision = map_[resolved_id]
        else:
            if not isinstance(resolved_id, str):
                raise RevisionError(f"revision identifier {resolved_id!r} is not a string; ensure database "
                                    "driver settings are correct")
            revs: Sequence[str] = self._prefix_matches(resolved_id)
            if branch_rev is not None:
                revs = self.filter_for_lineage(revs, check_branch)
            if len(revs) > 1 and len({id(map_[r]) for r in revs}) == 1:
                revs = revs[:1]  # a revision id and an alias of it
            if not revs:
                self._raise_if_hidden(resolved_id)
                raise ResolutionError(
                    "No such revision or branch '{}'{}".format(
                        resolved_id,
                        "; please ensure at least four characters are present for "
                        "partial revision identifier matches" if len(resolved_id) < 4 else ""),
                    resolved_id)
            if len(revs) > 1:
                raise ResolutionError(
                    "Multiple revisions start with '{}': {}...".format(resolved_id, ", ".join(f"'{r}'" for r in revs[0:3])), resolved_id)
            revision = map_[revs[0]]
        if check_branch and revision is not None and branch_rev is not None:
            if not self._shares_lineage(revision, [branch_rev]):
                raise ResolutionError(f"Revision {revision.revision} is not a member of branch '{check_branch}'", resolved_id)
        return revision

    def _raise_if_hidden(self, ident: str) -> None:
        """A clearer error for an id a squashed revision hides in this view."""
        hidden = getattr(self, "_hidden", None)
        if not hidden:
            return
        found = [h for h in hidden if h == ident or (len(ident) > 3 and h.startswith(ident))]
        if len(found) == 1:
            rid = found[0]
            raise ResolutionError(
                f"revision {rid} is replaced by squashed revision {hidden[rid]}; name "
                f"{hidden[rid]} instead (the replaced revisions are used only by a database "
                "inside the squashed range)", ident)

    def _lineage(self, against: Iterable[Revision], include_dependencies: bool) -> set[str]:
        """Ids of every revision sharing a line (ancestor or descendant) with one of ``against``."""
        against = [a for a in against if a is not None]
        out = {r.revision for r in self._get_ancestor_nodes(
            against, include_dependencies=include_dependencies)}
        out.update(r.revision for r in self._get_descendant_nodes(
            against, include_dependencies=include_dependencies))
        return out

    def _shares_lineage(self, target: Any, test_against: Sequence[Any],
                        include_dependencies: bool = False) -> bool:
        if not test_against:
            return True
        tgt = target if isinstance(target, Revision) else self._revision_for_ident(target)
        against = [t if isinstance(t, Revision) else self._revision_for_ident(t)
                   for t in to_tuple(test_against)]
        return tgt is not None and tgt.revision in self._lineage(against, include_dependencies)

    def filter_for_lineage(self, targets: Iterable[Any], check_against: str | None,
                           include_dependencies: bool = False) -> tuple:
        """The targets (ids or revisions) on the same line as ``check_against``."""
        ids, branch_label = self._resolve_revision_number(check_against)
        shares: list[Any] = ([branch_label] if branch_label else []) + list(ids)
        targets = tuple(targets)
        if not shares:
            return targets
        against = [s if isinstance(s, Revision) else self._revision_for_ident(s)
                   for s in shares]
        lineage = self._lineage(against, include_dependencies)
        out = []
        for tg in targets:
            rev = tg if isinstance(tg, Revision) else self._revision_for_ident(tg)
            if rev is not None and rev.revision in lineage:
                out.append(tg)
        return tuple(out)

    def _resolve_revision_number(self, id_: Any) -> tuple[tuple[Any, ...], str | None]:
        branch_label: str | None = None
        if isinstance(id_, str) and "@" in id_:
            branch_label, id_ = id_.split("@", 1)
        elif id_ is not None and ((isinstance(id_, tuple) and id_ and not isinstance(id_[0], str))
                                  or not isinstance(id_, (str, tuple))):
            raise RevisionError(f"revision identifier {id_!r} is not a string; ensure database "
                                "driver settings are correct")
        self._ensure()
        if id_ == "heads":
            if branch_label:
                return self.filter_for_lineage(self.heads, branch_label), branch_label
            return self._real_heads, branch_label
        if id_ == "head":
            head = self.get_current_head(branch_label)
            return ((head,) if head else ()), branch_label
        if id_ == "base" or id_ is None:
            return (), branch_label
        return to_tuple(id_), branch_label

    def resolve_revision_number(self, id_: Any) -> str | tuple[str, ...] | None:
        """``ScriptDirectory.as_revision_number``: symbols to ids (a tuple for ``heads``)."""
        rev, _ = self._resolve_revision_number(id_)
        if not rev:
            return None
        return rev if id_ == "heads" else rev[0]

    # ----------------------------------------------------------------- relative walks

    def _walk(self, start: Any, steps: int, branch_label: str | None = None,
              no_overwalk: bool = True) -> Any:
        """Walk ``steps`` up (>0) or down (<0); ``None`` when walking off the graph."""
        initial = self.get_revision(start) if isinstance(start, str) else start
        for _ in range(abs(steps)):
            if steps > 0:
                if initial == "base":
                    raise RevisionError("Walked too far")
                walk_up = [is_revision(r) for r in self.get_revisions(
                    self.bases if initial is None else self._sorted(initial.nextrev)[::-1])]
                children: Sequence[Any] = (self.filter_for_lineage(walk_up, branch_label)
                                           if branch_label else walk_up)
            elif initial == "base":
                children = ()
            else:
                children = self.get_revisions(self.heads if initial is None
                                              else initial.down_revision)
                if not children:
                    children = ("base",)
            if not children:
                return None if no_overwalk else initial
            if len(children) > 1:
                raise RevisionError("Ambiguous walk")
            initial = children[0]
        return initial

    def _relative_error(self, relative: str) -> RevisionError:
        return RevisionError(
            f"Relative revision {relative} didn't produce {abs(int(relative))} migrations")

    def parse_downgrade_target(self, current_revisions: Any, target: Any,
                               assert_relative_length: bool = True) -> tuple[str | None, Any]:
        """``(branch_label, Revision | None | "base")`` for a downgrade target."""
        if target is None:
            return None, None
        if not isinstance(target, str):
            raise RevisionError("Expected downgrade target in string form")
        match = _relative_destination.match(target)
        if match:
            branch_label, symbol, relative = match.groups()
            rel_int = int(relative)
            if rel_int >= 0:
                if symbol is None:
                    raise self._relative_error(relative)
                rev = self._walk(symbol, rel_int, branch_label, no_overwalk=assert_relative_length)
                if rev is None:
                    raise RevisionError("Walked too far")
                return branch_label, rev
            relative_revision = symbol is None
            if relative_revision:
                if branch_label:
                    current = to_tuple(current_revisions)
                    symbols: Sequence[Any] = self.filter_for_lineage(current, branch_label)
                    if not symbols:
                        all_current = self._get_all_current(current)
                        symbols = [r.revision for r in
                                   self.filter_for_lineage(all_current, branch_label)]
                    if not symbols:
                        raise self._relative_error(relative)
                    if len(symbols) > 1:
                        raise RevisionError("Ambiguous walk")
                    symbol = symbols[0]
                else:
                    current = to_tuple(current_revisions)
                    if not current:
                        raise self._relative_error(relative)
                    if len(set(current)) > 1:
                        warnings.warn("downgrade -1 from multiple heads is ambiguous; this usage "
                                      "will be disallowed in a future release.", stacklevel=3)
                    symbol = current[0]
                    branch_label = symbol
            start = (self.get_revision(symbol) if branch_label is None
                     else self.get_revision(f"{branch_label}@{symbol}"))
            rev = self._walk(start, rel_int, no_overwalk=assert_relative_length)
            if rev is None:
                if relative_revision:
                    raise self._relative_error(relative)
                raise RevisionError("Walked too far")
            return branch_label, rev
        branch_label, _, symbol = target.rpartition("@")
        return (branch_label or None), self.get_revision(symbol)

    def parse_upgrade_target(self, current_revisions: Any, target: Any,
                             assert_relative_length: bool = True) -> tuple[Any, ...]:
        """The revisions an upgrade target names (relative forms from current heads)."""
        match = _relative_destination.match(target) if isinstance(target, str) else None
        if not match:
            return self.get_revisions(target)
        current = to_tuple(current_revisions)
        branch_label, symbol, relative_str = match.groups()
        relative = int(relative_str)
        if relative > 0:
            if symbol is not None:
                rev = self._walk(self.get_revision(symbol), relative, branch_label,
                                 no_overwalk=assert_relative_length)
                if rev is None:
                    raise RevisionError(
                        f"Relative revision {target} didn't produce {relative} migrations")
                return (rev,)
            if not current:
                current = (None,)
            start_revs: Sequence[Any] = current
            if branch_label:
                start_revs = self.filter_for_lineage(self.get_revisions(current), branch_label)
                if not start_revs:
                    active = self.filter_for_lineage(
                        self._get_ancestor_nodes(self.get_revisions(current)), branch_label)
                    downs = {d for r in active for d in self._normalized_down_revisions(r)}
                    start_revs = tuple(sorted({r.revision for r in active} - downs,
                                              key=self._order.get)) or (None,)
            if len(start_revs) > 1:
                raise RevisionError("Ambiguous upgrade from multiple current revisions")
            rev = self._walk(start_revs[0], relative, branch_label,
                             no_overwalk=assert_relative_length)
            if rev is None:
                raise self._relative_error(relative_str)
            return (rev,)
        if symbol is None:
            raise self._relative_error(relative_str)
        start = (self.get_revision(symbol) if branch_label is None
                 else self.get_revision(f"{branch_label}@{symbol}"))
        rev = self._walk(start, relative, no_overwalk=assert_relative_length)
        if rev is None:
            raise RevisionError(
                f"Relative revision {target} didn't produce {abs(relative)} migrations")
        return (rev,)

    def _get_all_current(self, id_: tuple[str, ...]) -> set[Revision]:
        """Current heads plus their ancestors, narrowed to branch tips."""
        self._ensure()
        top = {r for r in self.get_revisions(id_) if r is not None}
        top.update(self._get_ancestor_nodes(list(top)))
        return self._filter_into_branch_heads(top)

    def _filter_into_branch_heads(self, targets: Iterable[Revision]) -> set[Revision]:
        """The targets that are not (versioned) ancestors of another target."""
        targets = set(targets)
        below = self._reach((d for t in targets for d in t._versioned_down_revisions),
                            lambda r: self._revs[r]._versioned_down_revisions)
        return {t for t in targets if t.revision not in below}

    # ----------------------------------------------------------------- iteration

    def iterate_revisions(self, upper: Any, lower: Any, implicit_base: bool = False,
                          inclusive: bool = False, assert_relative_length: bool = True,
                          select_for_downgrade: bool = False) -> Iterator[Revision]:
        """Revisions between ``lower`` and ``upper``, newest first (children first)."""
        collect = (self._collect_downgrade_revisions if select_for_downgrade
                   else self._collect_upgrade_revisions)
        revisions, heads = collect(upper, lower, inclusive=inclusive,
                                   implicit_base=implicit_base,
                                   assert_relative_length=assert_relative_length)
        revs = self._revs
        for rid in self._topological_sort(revisions, heads):
            yield revs[rid]

    def walk_revisions(self, base: Any = "base", head: Any = "heads") -> Iterator[Revision]:
        """``ScriptDirectory.walk_revisions``: ``base`` to ``head`` inclusive, newest first."""
        try:
            revs = list(self.iterate_revisions(head, base, inclusive=True,
                                               assert_relative_length=False))
        except RangeNotAncestorError as err:
            raise RangeNotAncestorError(base, head) from err
        except MultipleHeads as err:  # Alembic names the range's end as given
            raise MultipleHeads(err.heads, head) from err
        return iter(revs)

    def history_range(self, rev_range: str | None,
                      current_heads: Iterable[str] = ()) -> list[Revision]:
        """``history -r [start]:[end]`` (``current`` = ``current_heads``), newest first."""
        if rev_range is None:
            base = head = None
        else:
            if ":" not in rev_range:
                raise RevisionError("History range requires [start]:[end], [start]:, or :[end]")
            base, head = rev_range.strip().split(":", 1)
        current = tuple(current_heads)
        if head == "current":
            head = current
        if base == "current":
            base = current
        return list(self.walk_revisions(base=base or "base", head=head or "heads"))

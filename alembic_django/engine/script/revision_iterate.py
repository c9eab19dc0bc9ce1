"""Collecting and ordering the revisions between two sets of targets, for
:class:`~.revision.RevisionMap` (a mixin; every walk linear in the map's size)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from .revision_errors import DependencyCycleDetected, RangeNotAncestorError, RevisionError
from .revision_node import Revision, _relative_destination, is_revision


class IterateMixin:
    def _collect_downgrade_revisions(self, upper: Any, lower: Any, inclusive: bool,
                                     implicit_base: bool, assert_relative_length: bool
                                     ) -> tuple[set[Revision], tuple[Any, ...]]:
        branch_label, target = self.parse_downgrade_target(upper, lower, assert_relative_length)
        if target == "base":
            target = None
        if target is None:
            roots = [r for r in self._revs.values() if r.down_revision is None]
        elif inclusive:
            roots = [target]
        else:
            roots = [is_revision(r) for r in self.get_revisions(self._sorted(target.nextrev)[::-1])]
        if branch_label and len(roots) > 1:
            ancestors = {r.revision for r in self._get_ancestor_nodes(
                [self._resolve_branch(branch_label)], include_dependencies=False)}
            roots = [r for r in roots if r.revision in ancestors]
            if not roots:
                raise RevisionError("Not a valid downgrade target from current heads")
        heads = self.get_revisions(upper)
        downgrade = set(self._get_descendant_nodes(roots, include_dependencies=True))
        active = set(self._get_ancestor_nodes(heads, include_dependencies=True))
        downgrade &= active
        if implicit_base:
            downgrade.update(active.difference(self._get_ancestor_nodes(roots)))
        if target is not None and not downgrade and target not in heads:
            raise RangeNotAncestorError("Nothing to drop", upper)
        return downgrade, heads

    def _collect_upgrade_revisions(self, upper: Any, lower: Any, inclusive: bool,
                                   implicit_base: bool, assert_relative_length: bool
                                   ) -> tuple[set[Revision], tuple[Revision, ...]]:
        targets: list[Revision] = [
            is_revision(r) for r in self.parse_upgrade_target(lower, upper,
                                                              assert_relative_length)]
        if isinstance(lower, str) and "@" in lower:
            branch, _, _ = lower.partition("@")
            branch_rev = self.get_revision(branch)
            if branch_rev is not None and branch_rev.revision == branch \
                    and len(branch_rev.branch_labels) == 1:
                branch = next(iter(branch_rev.branch_labels))
            targets = [t for t in targets if branch in t.branch_labels]
        required = set(self._get_ancestor_nodes(targets, check=True)).union(targets)
        rel = _relative_destination.match(lower) if isinstance(lower, str) else None
        if rel and rel.group(2) is None and int(rel.group(3)) < 0 and len(targets) == 1:
            # "-3:current": relative to the upper end (Alembic walks from the map's
            # heads here, which fails whenever the upper end is not a head)
            _, rev = self.parse_downgrade_target((targets[0].revision,), lower,
                                                 assert_relative_length)
            current = (rev,) if isinstance(rev, Revision) else ()
            lower = rev.revision if current else None
        else:
            current = self.get_revisions(lower)
        if not implicit_base and any(r not in required for r in current if r is not None):
            raise RangeNotAncestorError(lower, upper)
        if current and current[0] is None:
            _, rev = self.parse_downgrade_target(upper, lower, assert_relative_length)
            if rev == "base" or rev is None:
                current, lower = (), None
            else:
                current, lower = (rev,), rev.revision
        current_set = set(self._get_ancestor_nodes(current, check=True)).union(
            r for r in current if r is not None)
        needs = required - current_set
        if inclusive:
            needs.update(is_revision(r) for r in self.get_revisions(lower))
        if current and not implicit_base:
            needs &= set(self._get_descendant_nodes(current, include_dependencies=False))
        return needs, tuple(targets)

    @staticmethod
    def _reach_in(kids: dict[str, list[str]], start: str, emitted: set[str],
                  stop_at: str) -> set[str]:
        """Not-yet-emitted descendants of ``start`` within a sort's todo set; stops
        early at ``stop_at`` (the first tip in order: nothing can beat it)."""
        seen: set[str] = set()
        todo = [k for k in kids.get(start, ()) if k not in emitted]
        while todo:
            rid = todo.pop()
            if rid not in seen:
                seen.add(rid)
                if rid == stop_at:
                    break
                todo.extend(k for k in kids.get(rid, ()) if k not in emitted and k not in seen)
        return seen

    def _topological_sort(self, revisions: Collection[Revision], heads: Iterable[Any]
                          ) -> list[str]:
        """Ids, children before parents, walking one branch down as far as it can go
        (Alembic's order) -- in O(n + e) using pending-children counts instead of
        recomputing ancestor sets."""
        todo = {r.revision for r in revisions}
        order = self._order
        pending = dict.fromkeys(todo, 0)
        kids: dict[str, list[str]] = {}
        downs: dict[str, tuple[str, ...]] = {}
        for rid in sorted(todo, key=order.get):
            downs[rid] = tuple(d for d in self._normalized_down_revisions(self._revs[rid])
                               if d in todo)
            for d in downs[rid]:
                pending[d] += 1
                kids.setdefault(d, []).append(rid)
        tips = sorted({h.revision for h in heads if h is not None and h != "base"
                       and h.revision in todo}, key=order.get)
        emitted: set[str] = set()
        extra = sorted(set(todo) - set(tips), key=order.get)
        tips += [r for r in extra if not kids.get(r)]  # tops not under any head
        in_tips = set(tips)
        output: list[str] = []
        idx = 0
        while tips:
            cand = tips[idx]
            if pending[cand]:
                # another branch still builds on cand: switch to the first tip (in
                # tips order) that has cand as an ancestor, as Alembic does
                first_other = tips[1] if idx == 0 else tips[0]
                above = self._reach_in(kids, cand, emitted, first_other)
                idx = next(n for n, tip in enumerate(tips) if tip in above and tip != cand)
                continue
            output.append(cand)
            emitted.add(cand)
            in_tips.discard(cand)
            add = []
            for d in downs[cand]:
                pending[d] -= 1
                if d not in in_tips and d not in add:
                    add.append(d)
            if not add:
                del tips[idx]
                idx = max(idx - 1, 0)
            else:
                tips[idx] = add[0]
                tips.extend(add[1:])
                in_tips.update(add)
        if len(output) != len(todo):
            missing = sorted(todo - emitted, key=order.get)
            raise DependencyCycleDetected(missing)
        return output

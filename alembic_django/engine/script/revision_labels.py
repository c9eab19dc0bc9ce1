"""Branch-label propagation for :class:`~.revision.RevisionMap` (a mixin: two
linear passes giving every revision the labels Alembic's per-label walks give it)."""

from __future__ import annotations

from .revision_node import Revision


class LabelsMixin:
    def _propagate_branch_labels(self) -> None:
        """Give every revision its branch labels, as Alembic's per-label walks do, in
        two linear passes.

        Alembic gives a labelled revision's labels to all its (versioned) descendants
        and then walks down from the last descendant it visited over revisions that are
        neither (real) branch points nor merge points.  That walk only gets below the
        labelled revision when the line above it is "clean" -- no branch or merge point
        from it up to a head -- and then covers the clean line below it.  So a revision
        carries the labels of its labelled ancestors-or-self, and a clean revision those
        of its whole clean line too, i.e. exactly the set of the line's top.  (The
        result does not depend on the order the labelled revisions are processed in.)

        Parents of unclean revisions are unclean, so sets are computed for unclean
        revisions (sharing the parent's frozenset where nothing is added) and once per
        clean line: memory is O(n + merges x labels), and a labelled chain is linear.
        """
        revs = self._revs
        children = self._children
        empty: frozenset = frozenset()
        self._dependency_users: dict[str, list[str]] | None = None
        self._topo_index: dict[str, int] | None = None
        indegree = {r: sum(1 for d in x._versioned_down_revisions if d in revs)
                    for r, x in revs.items()}
        todo = [r for r, n in indegree.items() if not n]
        topo: list[Revision] = []
        while todo:
            rid = todo.pop()
            topo.append(revs[rid])
            for child in children.get(rid, ()):
                indegree[child] -= 1
                if not indegree[child]:
                    todo.append(child)
        if len(topo) != len(revs):  # cycles were reported already; be safe anyway
            for rev in revs.values():
                rev.branch_labels = frozenset(rev._orig_branch_labels)
            return
        self._topo_index = {rev.revision: n for n, rev in enumerate(topo)}
        # the top of the clean line each revision is on (None: not clean)
        clean_top: dict[str, str | None] = {}
        for rev in reversed(topo):
            top: str | None = None
            if len(rev._all_nextrev) <= 1 and not rev.is_merge_point:
                if not rev.nextrev:
                    top = rev.revision
                else:
                    (child,) = rev.nextrev
                    top = clean_top[child]
            clean_top[rev.revision] = top
        inherited: dict[str, frozenset] = {}  # unclean revisions' sets
        line_base: dict[str, frozenset] = {}  # clean line top -> set below the line
        line_own: dict[str, list] = {}  # clean line top -> its revisions' own labels
        for rev in topo:
            rid = rev.revision
            top = clean_top[rid]
            if top is not None:  # at most one parent; the line's lowest gives its base
                below = [d for d in rev._versioned_down_revisions if d in revs]
                if not below:
                    line_base[top] = empty
                elif clean_top[below[0]] is None:
                    line_base[top] = inherited[below[0]]
                if rev._orig_branch_labels:
                    line_own.setdefault(top, []).extend(rev._orig_branch_labels)
                continue
            parents = [inherited[d] for d in rev._versioned_down_revisions if d in revs]
            labels = empty
            for pset in parents:
                if pset and pset is not labels:
                    if not labels or pset > labels:
                        labels = pset
                    elif not pset <= labels:
                        labels = labels | pset
            own = rev._orig_branch_labels
            if own and not labels.issuperset(own):
                labels = labels.union(own)
            inherited[rid] = labels
        for top, base in line_base.items():
            own_labels = line_own.get(top)
            if own_labels and not base.issuperset(own_labels):
                base = base.union(own_labels)
            line_base[top] = base
        for rev in topo:
            top = clean_top[rev.revision]
            rev.branch_labels = inherited[rev.revision] if top is None else line_base[top]

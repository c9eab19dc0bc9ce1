"""Property tests for the pure revision graph and the upgrade/downgrade planner.

Hypothesis draws random revision DAGs -- several bases, merges, branch labels and
``depends_on`` edges, handed to :class:`RevisionMap` in random order -- and checks the
invariants every shape must keep:

* ``heads`` are exactly the revisions no ``down_revision`` points at;
* upgrading from base to ``heads`` visits every revision once, parents and dependencies
  first, and leaves the version table holding the revisions nothing else needs;
* upgrading in two legs (base -> T -> heads) visits the same revisions once in total;
* the version-table changes of every step are valid (insert a new row, update or delete
  an existing one) and a downgrade to base after the upgrade empties the table again,
  visiting each revision once, children first.
"""

from __future__ import annotations

import pytest

revision_mod = pytest.importorskip("alembic_django.engine.script.revision")
plan_mod = pytest.importorskip("alembic_django.engine.script.plan")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

Revision = revision_mod.Revision
RevisionMap = revision_mod.RevisionMap


@st.composite
def revision_graphs(draw):
    """A list of (rev, down_revision, depends_on, branch_labels) in topological order."""
    n = draw(st.integers(min_value=1, max_value=24))
    ancestors: list[set[int]] = []
    specs = []
    for i in range(n):
        parents: list[int] = []
        if i and draw(st.integers(0, 9)) > 1:  # ~20% of revisions start a new base
            first = draw(st.integers(0, i - 1))
            parents.append(first)
            if draw(st.integers(0, 4)) == 0:  # a merge of two unrelated lines
                others = [j for j in range(i) if j != first
                          and j not in ancestors[first] and first not in ancestors[j]]
                if others:
                    parents.append(draw(st.sampled_from(others)))
        deps: list[int] = []
        if i and draw(st.integers(0, 5)) == 0:
            dep = draw(st.integers(0, i - 1))
            if dep not in parents:
                deps.append(dep)
        label = f"lbl_{i}" if draw(st.integers(0, 6)) == 0 else None
        anc = set(parents).union(*(ancestors[p] for p in parents)) if parents else set()
        ancestors.append(anc)
        specs.append((i, parents, deps, label))
    order = draw(st.permutations(range(n)))
    return [specs[i] for i in order]


def rid(i: int) -> str:
    return f"{i:04d}{'abcdef0123456789'[i % 16] * 8}"


def build(specs) -> RevisionMap:
    revisions = []
    for i, parents, deps, label in specs:
        down = None if not parents else rid(parents[0]) if len(parents) == 1 else tuple(map(rid, parents))
        revisions.append(Revision(
            rid(i), down,
            dependencies=tuple(map(rid, deps)) or None,
            branch_labels=(label,) if label else None,
        ))
    return RevisionMap(lambda: revisions)


def step_id(step) -> str:
    rev = step.revision
    return rev if isinstance(rev, str) else rev.revision


def apply_changes(table: set[str], step) -> None:
    """Apply one step's version-table changes, checking each is possible online."""
    for change in step.version_changes(tuple(sorted(table))):
        kind = change[0]
        if kind == "insert":
            assert change[1] not in table, f"insert of existing row {change}"
            table.add(change[1])
        elif kind == "update":
            assert change[1] in table, f"update of missing row {change} in {table}"
            assert change[2] not in table, f"update onto existing row {change}"
            table.remove(change[1])
            table.add(change[2])
        elif kind == "delete":
            assert change[1] in table, f"delete of missing row {change} in {table}"
            table.remove(change[1])
        else:  # pragma: no cover - a contract violation
            pytest.fail(f"unknown version change {change!r}")


def needs(specs) -> dict[str, set[str]]:
    """rev -> the revisions that must be applied before it (parents and dependencies)."""
    return {rid(i): {rid(p) for p in parents} | {rid(d) for d in deps}
            for i, parents, deps, _ in specs}


def closure(rev: str, req: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [rev]
    while todo:
        r = todo.pop()
        if r not in seen:
            seen.add(r)
            todo.extend(req[r])
    return seen


def run(rmap, table: set[str], plan, *, upgrade: bool) -> list[str]:
    visited = []
    for step in plan:
        assert bool(step.is_upgrade) is upgrade
        apply_changes(table, step)
        visited.append(step_id(step))
    return visited


FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(revision_graphs())
def test_heads_are_revisions_nothing_builds_on(specs):
    rmap = build(specs)
    built_on = {rid(p) for _, parents, _, _ in specs for p in parents}
    assert set(rmap.heads) == {rid(i) for i, *_ in specs} - built_on
    bases = {rid(i) for i, parents, _, _ in specs if not parents}
    assert set(rmap.bases) == bases


@FUZZ
@given(revision_graphs())
def test_upgrade_visits_every_revision_once_parents_first(specs):
    rmap = build(specs)
    req = needs(specs)
    table: set[str] = set()
    order = run(rmap, table, plan_mod.upgrade_plan(rmap, (), "heads"), upgrade=True)
    assert sorted(order) == sorted(req), "every revision exactly once"
    position = {rev: n for n, rev in enumerate(order)}
    for rev, before in req.items():
        for other in before:
            assert position[other] < position[rev], f"{other} must run before {rev}"
    needed_by_others = set().union(*req.values())
    assert table == set(req) - needed_by_others


@FUZZ
@given(revision_graphs(), st.data())
def test_two_leg_upgrade_then_downgrade_restores_the_table(specs, data):
    rmap = build(specs)
    req = needs(specs)
    target = data.draw(st.sampled_from(sorted(req)), label="target")

    table: set[str] = set()
    first = run(rmap, table, plan_mod.upgrade_plan(rmap, (), target), upgrade=True)
    assert set(first) == closure(target, req)
    assert len(first) == len(set(first))
    after_first = set(table)

    second = run(rmap, table, plan_mod.upgrade_plan(rmap, tuple(sorted(table)), "heads"),
                 upgrade=True)
    assert set(first).isdisjoint(second), "nothing is applied twice"
    assert set(first) | set(second) == set(req)

    down = run(rmap, table, plan_mod.downgrade_plan(rmap, tuple(sorted(table)), "base"),
               upgrade=False)
    assert sorted(down) == sorted(req), "every revision downgraded exactly once"
    position = {rev: n for n, rev in enumerate(down)}
    for rev, before in req.items():
        for other in before:
            assert position[rev] < position[other], f"{rev} must be undone before {other}"
    assert table == set()

    # and back up to the intermediate target reproduces the same table
    run(rmap, table, plan_mod.upgrade_plan(rmap, (), target), upgrade=True)
    assert table == after_first


def reference_branch_labels(specs) -> dict[str, set[str]]:
    """Alembic's ``_add_branches``, literally: for each labelled revision (in the order
    the map receives them) give its current labels to every versioned descendant, then
    walk down from the last descendant visited over revisions that are neither (real)
    branch points nor merge points.  Quadratic; fine for small graphs."""
    downs = {rid(i): [rid(p) for p in parents] for i, parents, _, _ in specs}
    kids: dict[str, list[str]] = {r: [] for r in downs}
    all_kids: dict[str, set[str]] = {r: set() for r in downs}
    for i, parents, deps, _ in specs:
        for p in parents:
            kids[rid(p)].append(rid(i))
        for p in parents + deps:
            all_kids[rid(p)].add(rid(i))
    labels = {rid(i): ({label} if label else set()) for i, _, _, label in specs}
    for i, _, _, label in specs:
        if not label:
            continue
        own = labels[rid(i)]
        seen: set[str] = set()
        todo = [rid(i)]
        last = rid(i)
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            labels[node].update(own)
            last = node
            todo.extend(k for k in sorted(kids[node]) if k not in seen)
        parent: str | None = last
        while parent is not None and len(all_kids[parent]) <= 1 and len(downs[parent]) <= 1:
            labels[parent].update(own)
            parent = downs[parent][0] if downs[parent] else None
    return labels


@FUZZ
@given(revision_graphs())
def test_branch_labels_match_alembics_per_label_walk(specs):
    rmap = build(specs)
    _ = rmap.heads  # build
    expected = reference_branch_labels(specs)
    for i, *_ in specs:
        rev = rmap.get_revision(rid(i))
        assert set(rev.branch_labels) == expected[rid(i)], rid(i)
        assert sorted(rev.branch_labels) == sorted(expected[rid(i)])


@FUZZ
@given(revision_graphs())
def test_normalized_down_revisions_drop_dependencies_ancestors_already_have(specs):
    rmap = build(specs)
    _ = rmap.heads
    parents = {rid(i): [rid(p) for p in ps] for i, ps, _, _ in specs}
    deps = {rid(i): [rid(d) for d in ds] for i, _, ds, _ in specs}
    for i, *_ in specs:
        me = rid(i)
        ancestors = closure(me, parents) - {me}
        inherited = {d for a in ancestors for d in deps[a]}
        expected = tuple(dict.fromkeys(parents[me] + [d for d in deps[me] if d not in inherited]))
        assert rmap._normalized_down_revisions(rmap.get_revision(me)) == expected, me

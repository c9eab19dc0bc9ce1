"""Table tests for the pure revision graph and the upgrade/downgrade/stamp planner.

One case per graph shape, each drawn as ASCII art; expected orders and version-table
changes are Alembic 1.20's (checked against it on these shapes).  Every error text is
the exact user-facing string.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass

import pytest

from alembic_django.engine.script import plan
from alembic_django.engine.script.revision import (
    CycleDetected,
    DependencyCycleDetected,
    DependencyLoopDetected,
    DuplicateBranchLabel,
    InvalidDestination,
    LoopDetected,
    MultipleHeads,
    NotAHead,
    RangeNotAncestorError,
    ResolutionError,
    Revision,
    RevisionError,
    RevisionMap,
)


def make_map(specs) -> RevisionMap:
    """specs: (rev, down_revision, depends_on, branch_labels), in generator order."""
    revisions = [Revision(rev, down, dependencies=deps, branch_labels=labels)
                 for rev, down, deps, labels in specs]
    return RevisionMap(lambda: revisions)


def ids(revisions) -> list[str]:
    return [r.revision if isinstance(r, Revision) else r for r in revisions]


def run(steps, table: set[str]) -> list[list[tuple]]:
    """Apply each step's version changes, checking each is possible on a real table."""
    per_step = []
    for step in steps:
        changes = step.version_changes(tuple(sorted(table)))
        for change in changes:
            if change[0] == "insert":
                assert change[1] not in table
                table.add(change[1])
            elif change[0] == "update":
                assert change[1] in table and change[2] not in table
                table.remove(change[1])
                table.add(change[2])
            else:
                assert change[0] == "delete" and change[1] in table
                table.remove(change[1])
        per_step.append(changes)
    return per_step


# --------------------------------------------------------------------------- shapes

LINEAR = [
    # a1b2c3d4e5f6 -> 0c1d2e3f4a5b -> 9f8e7d6c5b4a
    ("a1b2c3d4e5f6", None, None, None),
    ("0c1d2e3f4a5b", "a1b2c3d4e5f6", None, None),
    ("9f8e7d6c5b4a", "0c1d2e3f4a5b", None, None),
]

DIAMOND = [
    #               +-> bbbb00000002 --+
    # aaaa00000001 -+                  +-> dddd00000004 (merge)
    #               +-> cccc00000003 --+
    ("aaaa00000001", None, None, None),
    ("bbbb00000002", "aaaa00000001", None, None),
    ("cccc00000003", "aaaa00000001", None, None),
    ("dddd00000004", ("bbbb00000002", "cccc00000003"), None, None),
]

# Alembic's "Working with Multiple Bases" tutorial (seed 001), generator in file order:
#
#   1975ea83b712 --+-> ae1027a6acf -> 55af2cb1c267
#   (base)         +-> 27c6a30d7c24 (shoppingcart) -> d747a8a8879
#
#   3cac04ae8714 (networking, base) -> 109ec7d132bf -> 29f859a13ea
MULTIPLE_BASES = [
    ("109ec7d132bf", "3cac04ae8714", None, None),
    ("1975ea83b712", None, None, None),
    ("27c6a30d7c24", "1975ea83b712", None, "shoppingcart"),
    ("29f859a13ea", "109ec7d132bf", None, None),
    ("3cac04ae8714", None, None, "networking"),
    ("55af2cb1c267", "ae1027a6acf", None, None),
    ("ae1027a6acf", "1975ea83b712", None, None),
    ("d747a8a8879", "27c6a30d7c24", None, None),
]

MERGE_OF_BASES = [
    # 1111aaaa0000 (base) -> 2222aaaa0000 --+
    #                                       +-> 4444cccc0000 (merge) -> 5555dddd0000
    # 3333bbbb0000 (base) ------------------+
    ("1111aaaa0000", None, None, None),
    ("2222aaaa0000", "1111aaaa0000", None, None),
    ("3333bbbb0000", None, None, None),
    ("4444cccc0000", ("2222aaaa0000", "3333bbbb0000"), None, None),
    ("5555dddd0000", "4444cccc0000", None, None),
]

# the tutorial's "Branch Dependencies": networking's 2a95102259be depends on 55af2cb1c267
#
#   1975ea83b712 --+-> ae1027a6acf -> 55af2cb1c267 . . . . . . . . .
#                  +-> 27c6a30d7c24 (shoppingcart) -> d747a8a8879    . depends_on
#   3cac04ae8714 (networking) -> 109ec7d132bf -> 29f859a13ea -> 2a95102259be
DEPENDS_ON = MULTIPLE_BASES + [("2a95102259be", "29f859a13ea", "55af2cb1c267", None)]


@dataclass
class Shape:
    specs: list
    heads: tuple
    bases: tuple
    upgrade: list          # base -> heads, in order
    upgrade_changes: list  # version-table changes per step
    downgrade: list        # heads -> base, in order
    downgrade_changes: list


SHAPES = [
    pytest.param(Shape(
        LINEAR, ("9f8e7d6c5b4a",), ("a1b2c3d4e5f6",),
        ["a1b2c3d4e5f6", "0c1d2e3f4a5b", "9f8e7d6c5b4a"],
        [[("insert", "a1b2c3d4e5f6")], [("update", "a1b2c3d4e5f6", "0c1d2e3f4a5b")],
         [("update", "0c1d2e3f4a5b", "9f8e7d6c5b4a")]],
        ["9f8e7d6c5b4a", "0c1d2e3f4a5b", "a1b2c3d4e5f6"],
        [[("update", "9f8e7d6c5b4a", "0c1d2e3f4a5b")],
         [("update", "0c1d2e3f4a5b", "a1b2c3d4e5f6")], [("delete", "a1b2c3d4e5f6")]],
    ), id="linear"),
    pytest.param(Shape(
        DIAMOND, ("dddd00000004",), ("aaaa00000001",),
        ["aaaa00000001", "cccc00000003", "bbbb00000002", "dddd00000004"],
        [[("insert", "aaaa00000001")], [("update", "aaaa00000001", "cccc00000003")],
         [("insert", "bbbb00000002")],
         [("delete", "bbbb00000002"), ("update", "cccc00000003", "dddd00000004")]],
        ["dddd00000004", "bbbb00000002", "cccc00000003", "aaaa00000001"],
        [[("insert", "bbbb00000002"), ("update", "dddd00000004", "cccc00000003")],
         [("delete", "bbbb00000002")], [("update", "cccc00000003", "aaaa00000001")],
         [("delete", "aaaa00000001")]],
    ), id="diamond"),
    pytest.param(Shape(
        MULTIPLE_BASES, ("29f859a13ea", "55af2cb1c267", "d747a8a8879"),
        ("1975ea83b712", "3cac04ae8714"),
        ["1975ea83b712", "27c6a30d7c24", "d747a8a8879", "ae1027a6acf", "55af2cb1c267",
         "3cac04ae8714", "109ec7d132bf", "29f859a13ea"],
        [[("insert", "1975ea83b712")], [("update", "1975ea83b712", "27c6a30d7c24")],
         [("update", "27c6a30d7c24", "d747a8a8879")], [("insert", "ae1027a6acf")],
         [("update", "ae1027a6acf", "55af2cb1c267")], [("insert", "3cac04ae8714")],
         [("update", "3cac04ae8714", "109ec7d132bf")],
         [("update", "109ec7d132bf", "29f859a13ea")]],
        ["29f859a13ea", "109ec7d132bf", "3cac04ae8714", "55af2cb1c267", "ae1027a6acf",
         "d747a8a8879", "27c6a30d7c24", "1975ea83b712"],
        [[("update", "29f859a13ea", "109ec7d132bf")],
         [("update", "109ec7d132bf", "3cac04ae8714")], [("delete", "3cac04ae8714")],
         [("update", "55af2cb1c267", "ae1027a6acf")], [("delete", "ae1027a6acf")],
         [("update", "d747a8a8879", "27c6a30d7c24")],
         [("update", "27c6a30d7c24", "1975ea83b712")], [("delete", "1975ea83b712")]],
    ), id="multiple-bases"),
    pytest.param(Shape(
        MERGE_OF_BASES, ("5555dddd0000",), ("1111aaaa0000", "3333bbbb0000"),
        ["3333bbbb0000", "1111aaaa0000", "2222aaaa0000", "4444cccc0000", "5555dddd0000"],
        [[("insert", "3333bbbb0000")], [("insert", "1111aaaa0000")],
         [("update", "1111aaaa0000", "2222aaaa0000")],
         [("delete", "2222aaaa0000"), ("update", "3333bbbb0000", "4444cccc0000")],
         [("update", "4444cccc0000", "5555dddd0000")]],
        ["5555dddd0000", "4444cccc0000", "2222aaaa0000", "1111aaaa0000", "3333bbbb0000"],
        [[("update", "5555dddd0000", "4444cccc0000")],
         [("insert", "2222aaaa0000"), ("update", "4444cccc0000", "3333bbbb0000")],
         [("update", "2222aaaa0000", "1111aaaa0000")], [("delete", "1111aaaa0000")],
         [("delete", "3333bbbb0000")]],
    ), id="merge"),
    pytest.param(Shape(
        DEPENDS_ON, ("55af2cb1c267", "d747a8a8879", "2a95102259be"),
        ("1975ea83b712", "3cac04ae8714"),
        ["1975ea83b712", "ae1027a6acf", "55af2cb1c267", "3cac04ae8714", "109ec7d132bf",
         "29f859a13ea", "2a95102259be", "27c6a30d7c24", "d747a8a8879"],
        [[("insert", "1975ea83b712")], [("update", "1975ea83b712", "ae1027a6acf")],
         [("update", "ae1027a6acf", "55af2cb1c267")], [("insert", "3cac04ae8714")],
         [("update", "3cac04ae8714", "109ec7d132bf")],
         [("update", "109ec7d132bf", "29f859a13ea")],
         [("delete", "29f859a13ea"), ("update", "55af2cb1c267", "2a95102259be")],
         [("insert", "27c6a30d7c24")], [("update", "27c6a30d7c24", "d747a8a8879")]],
        ["d747a8a8879", "27c6a30d7c24", "2a95102259be", "29f859a13ea", "109ec7d132bf",
         "3cac04ae8714", "55af2cb1c267", "ae1027a6acf", "1975ea83b712"],
        # unmerge of a dependency: the exact inverse of the upgrade's merge (Alembic
        # picks the row to update from a set, so its choice varies between runs)
        [[("update", "d747a8a8879", "27c6a30d7c24")], [("delete", "27c6a30d7c24")],
         [("insert", "29f859a13ea"), ("update", "2a95102259be", "55af2cb1c267")],
         [("update", "29f859a13ea", "109ec7d132bf")],
         [("update", "109ec7d132bf", "3cac04ae8714")], [("delete", "3cac04ae8714")],
         [("update", "55af2cb1c267", "ae1027a6acf")],
         [("update", "ae1027a6acf", "1975ea83b712")], [("delete", "1975ea83b712")]],
    ), id="depends-on-across-branches"),
]


@pytest.mark.parametrize("shape", SHAPES)
def test_heads_and_bases(shape):
    rmap = make_map(shape.specs)
    assert rmap.heads == shape.heads
    assert rmap.bases == shape.bases
    for rid in shape.heads:
        assert rmap.get_revision(rid).is_head
    for rid in shape.bases:
        assert rmap.get_revision(rid).is_base


@pytest.mark.parametrize("shape", SHAPES)
def test_upgrade_order_and_version_rows(shape):
    rmap = make_map(shape.specs)
    steps = plan.upgrade_plan(rmap, (), "heads")
    assert ids(s.revision for s in steps) == shape.upgrade
    assert all(s.is_upgrade for s in steps)
    table: set[str] = set()
    assert run(steps, table) == shape.upgrade_changes
    assert table == set(rmap.get_heads(consider_depends_on=True))


@pytest.mark.parametrize("shape", SHAPES)
def test_downgrade_order_and_version_rows(shape):
    rmap = make_map(shape.specs)
    table = set(rmap.get_heads(consider_depends_on=True))
    steps = plan.downgrade_plan(rmap, tuple(sorted(table)), "base")
    assert ids(s.revision for s in steps) == shape.downgrade
    assert not any(s.is_upgrade for s in steps)
    assert run(steps, table) == shape.downgrade_changes
    assert table == set()


@pytest.mark.parametrize("shape", SHAPES)
def test_version_changes_without_the_plan_agree(shape):
    """A Step built by hand (no precomputed rows) computes the same changes."""
    rmap = make_map(shape.specs)
    table = set(rmap.get_heads(consider_depends_on=True))
    for step in plan.downgrade_plan(rmap, tuple(table), "base"):
        fresh = plan.Step(step.revision, False, rmap)
        assert fresh.version_changes(table) == step.version_changes(table)
        table = fresh.apply(table)
    assert table == set()


# --------------------------------------------------------------------------- identifiers

@pytest.fixture
def seed_map():
    return make_map(MULTIPLE_BASES)


@pytest.mark.parametrize("identifier, expected", [
    pytest.param("ae1027a6acf", ["ae1027a6acf"], id="full-id"),
    pytest.param("ae10", ["ae1027a6acf"], id="prefix"),
    pytest.param("d7", ["d747a8a8879"], id="short-unique-prefix"),
    pytest.param("heads", ["29f859a13ea", "55af2cb1c267", "d747a8a8879"], id="heads"),
    pytest.param("base", [], id="base"),
    pytest.param(None, [], id="none"),
    pytest.param("networking", ["3cac04ae8714"], id="label"),
    pytest.param("networking@head", ["29f859a13ea"], id="label@head"),
    pytest.param("shoppingcart@heads", ["d747a8a8879"], id="label@heads"),
    pytest.param("networking@base", [], id="label@base"),
    pytest.param("networking@109e", ["109ec7d132bf"], id="label@rev"),
    pytest.param("ae10@head", ["55af2cb1c267"], id="rev-as-label@head"),
    pytest.param("-1", ["109ec7d132bf", "ae1027a6acf", "27c6a30d7c24"], id="minus-from-heads"),
    pytest.param("networking@-2", ["3cac04ae8714"], id="label@minus"),
    pytest.param(("ae10", "networking"), ["ae1027a6acf", "3cac04ae8714"], id="tuple"),
])
def test_get_revisions(seed_map, identifier, expected):
    assert ids(seed_map.get_revisions(identifier)) == expected


def test_labels_are_inherited_along_the_branch(seed_map):
    labels = {rid: seed_map.get_revision(rid).branch_labels for rid, *_ in MULTIPLE_BASES}
    assert labels["109ec7d132bf"] == labels["29f859a13ea"] == {"networking"}
    assert labels["d747a8a8879"] == {"shoppingcart"}
    assert labels["1975ea83b712"] == labels["55af2cb1c267"] == set()


def test_labels_reach_below_only_on_a_clean_line():
    """Alembic's label walk goes down from the labelled revision's last descendant, so
    the line below gets the label only when nothing branches or merges above it."""
    rmap = make_map([
        ("a1", None, None, None), ("a2", "a1", None, None),
        ("a3", "a2", None, "top"),  # clean up to its head: the walk reaches a2
        ("b1", "a1", None, None),  # a1 is a branch point: the walk stops above it
        ("c1", None, None, None), ("c2", "c1", None, "mid"),
        ("c3", "c2", None, None), ("c4", "c2", None, None),  # c2 branches: no walk down
        ("m1", ("c3", "b1"), None, "merged"),  # c3 is below a merge: not clean either
    ])
    labels = {rid: set(rmap.get_revision(rid).branch_labels)
              for rid in ("a1", "a2", "a3", "b1", "c1", "c2", "c3", "c4", "m1")}
    assert labels == {
        "a1": set(), "a2": {"top"}, "a3": {"top"}, "b1": set(),
        "c1": set(), "c2": {"mid"}, "c3": {"mid"}, "c4": {"mid"},
        "m1": {"mid", "merged"},
    }
    chain = make_map([("x1", None, None, "l1"), ("x2", "x1", None, "l2"),
                      ("x3", "x2", None, None)])
    for rid in ("x1", "x2", "x3"):  # a clean line shares all its labels
        assert chain.get_revision(rid).branch_labels == {"l1", "l2"}
    assert sorted(chain.get_revision("x1").branch_labels) == ["l1", "l2"]
    assert "l2" in chain.get_revision("x1").branch_labels


def test_revision_attributes(seed_map):
    root = seed_map.get_revision("1975ea83b712")
    assert root.nextrev == frozenset({"ae1027a6acf", "27c6a30d7c24"})
    assert root.is_branch_point and root.is_base and not root.is_head
    merge = make_map(DIAMOND).get_revision("dddd00000004")
    assert merge.is_merge_point and merge._versioned_down_revisions == (
        "bbbb00000002", "cccc00000003")
    dep = make_map(DEPENDS_ON).get_revision("2a95102259be")
    assert dep._all_down_revisions == ("29f859a13ea", "55af2cb1c267")
    assert dep.dependencies == "55af2cb1c267"


def test_get_current_head_and_heads(seed_map):
    assert seed_map.get_current_head("networking") == "29f859a13ea"
    assert make_map(LINEAR).get_current_head() == "9f8e7d6c5b4a"
    assert make_map([]).get_current_head() is None
    dep_map = make_map(DEPENDS_ON)
    assert dep_map.get_heads() == ("55af2cb1c267", "d747a8a8879", "2a95102259be")
    assert dep_map.get_heads(consider_depends_on=True) == ("d747a8a8879", "2a95102259be")


@pytest.mark.parametrize("current, target, expected", [
    pytest.param((), "networking@head", ["3cac04ae8714", "109ec7d132bf", "29f859a13ea"],
                 id="label@head-from-empty"),
    pytest.param(("29f859a13ea",), "heads",
                 ["1975ea83b712", "27c6a30d7c24", "d747a8a8879", "ae1027a6acf",
                  "55af2cb1c267"], id="seed-001-upgrade-heads"),
    pytest.param(("3cac04ae8714",), "+2", ["109ec7d132bf", "29f859a13ea"], id="plus-n"),
    pytest.param(("3cac04ae8714",), "networking@+1", ["109ec7d132bf"], id="label@plus"),
    pytest.param((), "shoppingcart@+2", ["1975ea83b712", "27c6a30d7c24"],
                 id="label@plus-from-base"),
    pytest.param((), "ae10+1", ["1975ea83b712", "ae1027a6acf", "55af2cb1c267"],
                 id="rev-plus-n"),
    pytest.param((), "shoppingcart@head-1", ["1975ea83b712", "27c6a30d7c24"],
                 id="label@head-minus"),
    pytest.param(("55af2cb1c267",), "ae10", [], id="already-past-target"),
])
def test_upgrade_targets(seed_map, current, target, expected):
    assert ids(s.revision for s in plan.upgrade_plan(seed_map, current, target)) == expected


@pytest.mark.parametrize("current, target, expected", [
    pytest.param(("29f859a13ea", "55af2cb1c267"), "networking@base",
                 ["29f859a13ea", "109ec7d132bf", "3cac04ae8714"], id="label@base"),
    pytest.param(("29f859a13ea",), "-1", ["29f859a13ea"], id="minus-one"),
    pytest.param(("29f859a13ea",), "-2", ["29f859a13ea", "109ec7d132bf"], id="minus-two"),
    pytest.param(("29f859a13ea", "d747a8a8879"), "shoppingcart@-1", ["d747a8a8879"],
                 id="label@minus"),
    pytest.param(("d747a8a8879",), "1975", ["d747a8a8879", "27c6a30d7c24"], id="to-rev"),
    pytest.param(("d747a8a8879",), "d747", [], id="to-current"),
])
def test_downgrade_targets(seed_map, current, target, expected):
    assert ids(s.revision for s in plan.downgrade_plan(seed_map, current, target)) == expected


@pytest.mark.parametrize("rev_range, current, expected", [
    pytest.param("networking@base:", (), ["29f859a13ea", "109ec7d132bf", "3cac04ae8714"],
                 id="label@base-open-end"),
    pytest.param(":networking@head", (), ["29f859a13ea", "109ec7d132bf", "3cac04ae8714"],
                 id="open-start"),
    pytest.param("1975:55af", (), ["55af2cb1c267", "ae1027a6acf", "1975ea83b712"],
                 id="closed"),
    pytest.param("-1:current", ("109ec7d132bf",), ["109ec7d132bf", "3cac04ae8714"],
                 id="relative-to-current"),
    pytest.param("current:", ("ae1027a6acf", "3cac04ae8714"),
                 ["29f859a13ea", "109ec7d132bf", "3cac04ae8714", "55af2cb1c267",
                  "ae1027a6acf"], id="current-open-end"),
])
def test_history_range(seed_map, rev_range, current, expected):
    assert ids(seed_map.history_range(rev_range, current)) == expected


def test_history_without_range_is_everything_newest_first(seed_map):
    assert ids(seed_map.history_range(None)) == MULTIPLE_BASES_NEWEST_FIRST
    assert ids(seed_map.walk_revisions()) == MULTIPLE_BASES_NEWEST_FIRST


MULTIPLE_BASES_NEWEST_FIRST = ["29f859a13ea", "109ec7d132bf", "3cac04ae8714", "55af2cb1c267",
                               "ae1027a6acf", "d747a8a8879", "27c6a30d7c24", "1975ea83b712"]


# --------------------------------------------------------------------------- stamp

@pytest.mark.parametrize("current, targets, purge, expected", [
    pytest.param((), "heads", False,
                 [("insert", "29f859a13ea"), ("insert", "55af2cb1c267"),
                  ("insert", "d747a8a8879")], id="heads-from-empty"),
    pytest.param(("ae1027a6acf",), "55af", False, [("update", "ae1027a6acf", "55af2cb1c267")],
                 id="forward"),
    pytest.param(("55af2cb1c267",), "1975", False, [("update", "55af2cb1c267", "1975ea83b712")],
                 id="backward"),
    pytest.param(("55af2cb1c267",), "networking", False, [("insert", "3cac04ae8714")],
                 id="new-branch"),
    pytest.param(("55af2cb1c267", "29f859a13ea"), "base", False,
                 [("delete", "55af2cb1c267"), ("delete", "29f859a13ea")], id="base"),
    pytest.param(("55af2cb1c267",), "55af", False, [], id="already-there"),
    pytest.param(("deadbeef0000",), "ae10", True,
                 [("delete", "deadbeef0000"), ("insert", "ae1027a6acf")], id="purge"),
    pytest.param(("bbbb00000002", "cccc00000003"), "dddd", False,
                 [("delete", "bbbb00000002"), ("update", "cccc00000003", "dddd00000004")],
                 id="merge"),
])
def test_stamp_changes(current, targets, purge, expected):
    rmap = make_map(DIAMOND if "dddd" in targets else MULTIPLE_BASES)
    assert plan.stamp_changes(rmap, current, targets, purge=purge) == expected


# --------------------------------------------------------------------------- errors

MULTIPLE_HEADS_TEXT = (
    "Multiple head revisions are present for given argument 'head'; please specify a "
    "specific target revision, '<branchname>@head' to narrow to a specific head, or "
    "'heads' for all heads")

SEED = make_map(MULTIPLE_BASES)
ONE_BASE = make_map(LINEAR)


def _build(specs):
    def build():
        return make_map(specs).heads
    return build


@pytest.mark.parametrize("call, error, text", [
    pytest.param(lambda: SEED.get_revision("head"), MultipleHeads, MULTIPLE_HEADS_TEXT,
                 id="head-with-several-heads"),
    pytest.param(lambda: plan.upgrade_plan(SEED, (), "head"), MultipleHeads,
                 MULTIPLE_HEADS_TEXT, id="upgrade-head-with-several-heads"),
    pytest.param(lambda: plan.downgrade_plan(SEED, ("ae10",), "head-1"), MultipleHeads,
                 "Multiple head revisions are present for given argument 'head-1'; please "
                 "specify a specific target revision, '<branchname>@head-1' to narrow to a "
                 "specific head, or 'heads' for all heads",
                 id="relative-head-with-several-heads"),
    pytest.param(lambda: make_map(DIAMOND[:3]).get_current_head("aaaa"), MultipleHeads,
                 "Multiple head revisions are present for given argument 'aaaa@head'; "
                 "please specify a specific target revision, '<branchname>@aaaa@head' to "
                 "narrow to a specific head, or 'heads' for all heads",
                 id="label-head-with-several-heads"),
    pytest.param(lambda: plan.stamp_changes(SEED, (), "head"), MultipleHeads,
                 "Multiple heads are present; please specify a single target revision",
                 id="stamp-head-with-several-heads"),
    pytest.param(lambda: SEED.get_revision("zz"), ResolutionError,
                 "No such revision or branch 'zz'; please ensure at least four characters "
                 "are present for partial revision identifier matches", id="short-prefix"),
    pytest.param(lambda: SEED.get_revision("ffff"), ResolutionError,
                 "No such revision or branch 'ffff'", id="unknown"),
    pytest.param(lambda: SEED.get_revision("1"), ResolutionError,
                 "Multiple revisions start with '1': '109ec7d132bf', '1975ea83b712'...",
                 id="ambiguous-prefix"),
    pytest.param(lambda: SEED.get_revision("networking@1975ea83b712"), ResolutionError,
                 "Revision 1975ea83b712 is not a member of branch 'networking'",
                 id="not-member-of-branch"),
    pytest.param(lambda: SEED.get_revision("nosuch@ae10"), ResolutionError,
                 "No such branch: 'nosuch'", id="no-such-branch"),
    pytest.param(lambda: plan.downgrade_plan(SEED, (), "-1"), RevisionError,
                 "Relative revision -1 didn't produce 1 migrations", id="minus-from-empty"),
    pytest.param(lambda: plan.upgrade_plan(ONE_BASE, ("9f8e7d6c5b4a",), "+1"), RevisionError,
                 "Relative revision +1 didn't produce 1 migrations", id="plus-past-head"),
    pytest.param(lambda: plan.downgrade_plan(ONE_BASE, ("9f8e7d6c5b4a",), "+1"),
                 RevisionError, "Relative revision +1 didn't produce 1 migrations",
                 id="downgrade-plus"),
    pytest.param(lambda: plan.downgrade_plan(ONE_BASE, ("9f8e",), "a1b2+5"), RevisionError,
                 "Walked too far", id="walked-too-far"),
    pytest.param(lambda: plan.upgrade_plan(SEED, (), "+1"), RevisionError, "Ambiguous walk",
                 id="ambiguous-walk"),
    pytest.param(lambda: plan.upgrade_plan(SEED, ("ae10", "3cac"), "+1"), RevisionError,
                 "Ambiguous upgrade from multiple current revisions", id="ambiguous-upgrade"),
    pytest.param(lambda: plan.downgrade_plan(SEED, ("ae1027a6acf",), "55af"),
                 InvalidDestination,
                 "Destination 55af is not a valid downgrade target from current head(s)",
                 id="downgrade-to-newer"),
    pytest.param(lambda: SEED.history_range("ae10:networking@head"), RangeNotAncestorError,
                 "Requested range ae10:networking@head does not refer to ancestor/descendant "
                 "revisions along the same branch", id="range-across-branches"),
    pytest.param(lambda: SEED.history_range("ae10"), RevisionError,
                 "History range requires [start]:[end], [start]:, or :[end]",
                 id="range-without-colon"),
    # aaaa1111 <--> bbbb2222   (each is the other's down_revision; no base, no head)
    pytest.param(_build([("aaaa1111", "bbbb2222", None, None),
                         ("bbbb2222", "aaaa1111", None, None)]),
                 CycleDetected, "Cycle is detected in revisions (aaaa1111, bbbb2222)",
                 id="cycle"),
    # 0000base -> aaaa1111        bbbb2222 <--> cccc3333
    pytest.param(_build([("0000base", None, None, None), ("aaaa1111", "0000base", None, None),
                         ("bbbb2222", "cccc3333", None, None),
                         ("cccc3333", "bbbb2222", None, None)]),
                 CycleDetected, "Cycle is detected in revisions (bbbb2222, cccc3333)",
                 id="cycle-beside-a-good-branch"),
    # aaaa1111 (base) -> bbbb2222, and aaaa1111 depends_on bbbb2222
    pytest.param(_build([("aaaa1111", None, "bbbb2222", None),
                         ("bbbb2222", "aaaa1111", None, None)]),
                 DependencyCycleDetected,
                 "Dependency cycle is detected in revisions (aaaa1111, bbbb2222)",
                 id="dependency-cycle"),
    # aaaa1111 --+   (its own down_revision)
    #     ^------+
    pytest.param(lambda: Revision("aaaa1111", "aaaa1111"), LoopDetected,
                 "Self-loop is detected in revisions (aaaa1111)", id="self-loop"),
    pytest.param(lambda: Revision("aaaa1111", None, dependencies="aaaa1111"),
                 DependencyLoopDetected,
                 "Dependency self-loop is detected in revisions (aaaa1111)",
                 id="dependency-self-loop"),
    pytest.param(_build([("aaaa1111", None, None, "x"), ("bbbb2222", "aaaa1111", None, "x")]),
                 DuplicateBranchLabel,
                 "Branch name 'x' in revision bbbb2222 already used by revision aaaa1111",
                 id="duplicate-branch-label"),
    pytest.param(lambda: Revision("ab-cd", None), RevisionError,
                 "Character(s) '-' not allowed in revision identifier 'ab-cd'",
                 id="illegal-character"),
])
def test_error_texts(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == text


def test_errors_carry_data():
    with pytest.raises(MultipleHeads) as info:
        SEED.get_revision("head")
    assert info.value.heads == ("29f859a13ea", "55af2cb1c267", "d747a8a8879")
    assert info.value.argument == "head"
    with pytest.raises(ResolutionError) as info:
        SEED.get_revision("ffff")
    assert info.value.argument == "ffff"
    not_a_head = NotAHead("3cac04ae8714")
    assert str(not_a_head) == ("Revision 3cac04ae8714 is not a head revision; please specify "
                               "--splice to create a new branch from this revision")
    assert not_a_head.revision == "3cac04ae8714"
    assert issubclass(CycleDetected, RevisionError) and issubclass(LoopDetected, CycleDetected)


@pytest.mark.parametrize("specs, text", [
    pytest.param([("aaaa1111", None, None, None), ("aaaa1111", None, None, None)],
                 "Revision aaaa1111 is present more than once", id="duplicate-id"),
    pytest.param([("aaaa1111", "ffff9999", None, None)],
                 "Revision ffff9999 referenced from aaaa1111 is not present",
                 id="dangling-down-revision"),
    pytest.param([("aaaa1111", None, "ffff9999", None)],
                 "Revision ffff9999 referenced from aaaa1111 is not present",
                 id="dangling-dependency"),
])
def test_warnings_not_errors(specs, text):
    with pytest.warns(UserWarning, match=text):
        rmap = make_map(specs)
        assert rmap.heads == ("aaaa1111",)


def test_downgrade_minus_one_from_several_heads_only_warns(seed_map):
    with pytest.warns(UserWarning, match="downgrade -1 from multiple heads is ambiguous"):
        steps = plan.downgrade_plan(seed_map, ("29f859a13ea", "55af2cb1c267"), "-1")
    assert ids(s.revision for s in steps) == ["29f859a13ea"]


# --------------------------------------------------------------------------- 10,000 revisions

@pytest.fixture(scope="module")
def big_map():
    """A generated map of 10,000 revisions: one long chain with a labelled side branch
    every 1,000 revisions merged back 10 revisions later.

        r00000 -> r00001 -> ... -> r01000 -> ... -> r01010 (merge) -> ... -> r09999
                                      \\-> s01000 (side1000) -----/
    """
    revisions = []
    for i in range(10_000):
        down = None if i == 0 else f"r{i - 1:05d}"
        if i % 1000 == 10 and i > 1000:
            down = (down, f"s{i - 10:05d}")
        revisions.append(Revision(f"r{i:05d}", down))
        if i % 1000 == 0 and i:
            revisions.append(Revision(f"s{i:05d}", f"r{i:05d}", branch_labels=f"side{i}"))
    return RevisionMap(lambda: revisions)


def test_big_map_walks_without_recursion(big_map):
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # an O(depth) recursion would fail at once
    try:
        assert big_map.heads == ("r09999",)
        assert big_map.bases == ("r00000",)
        # labels flow downstream through the merges, like Alembic's
        assert big_map.get_revision("s05000").branch_labels == {
            f"side{n}000" for n in range(1, 6)}
        assert big_map.get_revision("side5000").revision == "s05000"
        assert big_map.get_revision("side5000@head").revision == "r09999"
        assert big_map.get_revision("side5000@r05010").revision == "r05010"
        with pytest.raises(ResolutionError, match="not a member of branch"):
            big_map.get_revision("side5000@r05005")
        assert ids(big_map.get_revisions("-2")) == ["r09997"]
        upgrade = plan.upgrade_plan(big_map, (), "heads")
        assert len(upgrade) == 10_009
        table: set[str] = set()
        run(upgrade, table)
        assert table == {"r09999"}
        downgrade = plan.downgrade_plan(big_map, ("r09999",), "base")
        assert ids(s.revision for s in downgrade) == ids(reversed([s.revision for s in upgrade]))
        run(downgrade, table)
        assert table == set()
        assert len(big_map.history_range("-3:current", ["r05000"])) == 4
    finally:
        sys.setrecursionlimit(limit)


def test_big_linear_chain_downgrade_to_base_completes():
    """Alembic is quadratic here (23 s for 3,000); ours is one linear pass."""
    revisions = [Revision(f"{i:012x}", f"{i - 1:012x}" if i else None) for i in range(10_000)]
    rmap = RevisionMap(lambda: revisions)
    steps = plan.downgrade_plan(rmap, (f"{9999:012x}",), "base")
    table = {f"{9999:012x}"}
    for step in steps:
        table = step.apply(table)
    assert len(steps) == 10_000 and table == set()
    assert steps[-1].version_changes(["000000000000"]) == [("delete", "000000000000")]


def test_map_is_built_once_and_lazily():
    calls = []

    def generator():
        calls.append(1)
        return [Revision("aaaa1111", None)]

    rmap = RevisionMap(generator)
    assert calls == []
    assert rmap.heads == rmap.bases == ("aaaa1111",)
    rmap.get_revision("aaaa")
    assert calls == [1]


def test_add_revision_rebuilds_lazily():
    rmap = make_map(LINEAR)
    assert rmap.heads == ("9f8e7d6c5b4a",)
    rmap.add_revision(Revision("77aa77aa77aa", "9f8e7d6c5b4a", branch_labels="tail"))
    assert rmap.heads == ("77aa77aa77aa",)
    assert rmap.get_revision("9f8e7d6c5b4a").nextrev == frozenset({"77aa77aa77aa"})
    assert rmap.get_revision("tail@head").revision == "77aa77aa77aa"
    with pytest.raises(RevisionError, match="revision ffffffffffff not in map"):
        rmap.add_revision(Revision("ffffffffffff", None), _replace=True)


def test_no_warnings_for_a_clean_graph():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _ = make_map(DEPENDS_ON).heads

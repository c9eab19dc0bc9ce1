"""Selecting and drawing the revisions ``history`` shows."""

from __future__ import annotations

from typing import Any

from ..errors import CommandError


def history_revisions(config: Any, script: Any, rev_range: str | None,
                      indicate_current: bool) -> tuple[list, set]:
    """The revisions in ``rev_range``, newest first, and the database's current heads."""
    if rev_range is not None:
        if ":" not in rev_range:
            raise CommandError("History range requires [start]:[end], [start]:, or :[end]")
        base, head = rev_range.strip().split(":", 1)
    else:
        base = head = ""
    needs_db = (
        indicate_current or base == "current" or head == "current"
        or config.get_alembic_boolean_option("revision_environment") and indicate_current
    )
    current: tuple = ()
    if needs_db:
        from .database import read_current_heads

        view = script.database_view(read_current_heads(config, script))
        script, current = view.script, view.heads
    from ..script.directory import _graph_errors

    with _graph_errors():
        revs = list(script.revision_map.history_range(f"{base}:{head}", current))
    return revs, set(current)


def render_graph(revs: list, current: set) -> list[str]:
    """One line per revision, newest first, with a lane per open line of descent
    (like ``git log --graph``): ``*`` is the revision, ``|`` a lane passing by,
    ``\\`` a merge point opening a lane for its second parent, ``/`` a lane joining
    its branch point."""
    lanes: list[str | None] = []  # each lane waits for the revision it will show next
    lines: list[str] = []
    in_range = {r.revision for r in revs}

    def cells(marks: dict[int, str]) -> str:
        return " ".join(marks.get(i, "|" if lane else " ") for i, lane in enumerate(lanes)).rstrip()

    for rev in revs:
        if rev.revision not in lanes:
            try:
                lanes[lanes.index(None)] = rev.revision
            except ValueError:
                lanes.append(rev.revision)
        col = lanes.index(rev.revision)
        joins = [i for i, lane in enumerate(lanes) if lane == rev.revision and i != col]
        if joins:
            lines.append(cells({j: "/" for j in joins}))
            for j in joins:
                lanes[j] = None
            while lanes and lanes[-1] is None:
                lanes.pop()
        marks = [m for m, on in (("head", rev.is_head), ("mergepoint", rev.is_merge_point),
                                 ("branchpoint", rev.is_branch_point),
                                 ("current", rev.revision in current)) if on]
        labels = f" ({', '.join(sorted(rev.branch_labels))})" if rev.branch_labels else ""
        tags = "".join(f" [{m}]" for m in marks)
        lines.append(f"{cells({col: '*'})}  {rev.revision}{labels}{tags} {rev.doc}".rstrip())
        parents = [p for p in rev._versioned_down_revisions if p in in_range]
        lanes[col] = parents[0] if parents else None
        opened = []
        for extra in parents[1:]:
            if extra in lanes:
                continue
            try:
                slot = lanes.index(None)
                lanes[slot] = extra
            except ValueError:
                slot = len(lanes)
                lanes.append(extra)
            opened.append(slot)
        if opened:
            lines.append(cells({i: "\\" for i in opened}))
        while lanes and lanes[-1] is None:
            lanes.pop()
    return lines


def render_dot(revs: list) -> str:
    """Graphviz DOT of the revisions and their parent / dependency edges."""
    in_range = {r.revision for r in revs}
    out = ["digraph revisions {", '  rankdir=BT;', '  node [shape=box, fontname="monospace"];']
    for rev in revs:
        label = rev.revision
        if rev.branch_labels:
            label += "\\n(" + ", ".join(sorted(rev.branch_labels)) + ")"
        doc = rev.doc.replace('"', '\\"')
        if doc:
            label += "\\n" + doc
        style = ', style=bold' if rev.is_head else ""
        out.append(f'  "{rev.revision}" [label="{label}"{style}];')
    for rev in revs:
        for parent in rev._versioned_down_revisions:
            if parent in in_range:
                out.append(f'  "{rev.revision}" -> "{parent}";')
        deps = rev.dependencies or ()
        for dep in ((deps,) if isinstance(deps, str) else deps):
            target = dep
            if target in in_range:
                out.append(f'  "{rev.revision}" -> "{target}" [style=dashed];')
    out.append("}")
    return "\n".join(out)

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

        current = read_current_heads(config, script)
    from ..script.directory import _graph_errors

    with _graph_errors():
        revs = list(script.revision_map.history_range(f"{base}:{head}", current))
    return revs, set(current)


def render_graph(revs: list, current: set) -> list[str]:
    """One line per revision, newest first, with a lane per open branch (git log --graph)."""
    lanes: list[str | None] = []  # each lane waits for the revision id it will show next
    lines: list[str] = []
    in_range = {r.revision for r in revs}
    for rev in revs:
        if rev.revision not in lanes:
            try:
                lanes[lanes.index(None)] = rev.revision
            except ValueError:
                lanes.append(rev.revision)
        col = lanes.index(rev.revision)
        # lanes that also waited for this revision join here
        joins = [i for i, l in enumerate(lanes) if l == rev.revision and i != col]
        cells = []
        for i, lane in enumerate(lanes):
            if i == col:
                cells.append("*")
            elif lane is None:
                cells.append(" ")
            else:
                cells.append("|")
        marks = []
        if rev.is_head:
            marks.append("head")
        if rev.is_merge_point:
            marks.append("mergepoint")
        if rev.is_branch_point:
            marks.append("branchpoint")
        if rev.revision in current:
            marks.append("current")
        labels = f" ({', '.join(sorted(rev.branch_labels))})" if rev.branch_labels else ""
        tags = "".join(f" [{m}]" for m in marks)
        lines.append(f"{' '.join(cells).rstrip()}  {rev.revision}{labels}{tags} {rev.doc}".rstrip())
        for i in joins:
            lanes[i] = None
        parents = [p for p in rev._versioned_down_revisions if p in in_range]
        if parents:
            lanes[col] = parents[0]
            for extra in parents[1:]:
                if extra in lanes:
                    continue
                try:
                    lanes[lanes.index(None)] = extra
                except ValueError:
                    lanes.append(extra)
            if len(parents) > 1:
                width = max(i for i, l in enumerate(lanes) if l is not None) + 1
                lines.append(" ".join("|" if i == col else ("\\" if lanes[i] in parents[1:] else ("|" if lanes[i] else " ")) for i in range(width)).rstrip())
        else:
            lanes[col] = None
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

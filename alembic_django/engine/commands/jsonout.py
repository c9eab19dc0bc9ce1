"""``--json`` output: one JSON document per command run.

The documents are described by the JSON Schemas in ``docs/json-schemas/`` (shown on
the "Machine-readable output" page); the tests validate every command's output
against them.  A document is written to ``config.stdout`` even under ``-q``: it is
the command's data, like ``--sql`` output, not a progress message.
"""

from __future__ import annotations

import json
from typing import Any

#: bumped when a document changes incompatibly (fields are only ever added otherwise)
FORMAT = 1


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def revision_dict(rev: Any, current: bool | None = None) -> dict[str, Any]:
    """A revision as the schemas' ``revision`` object."""
    out: dict[str, Any] = {
        "revision": rev.revision,
        "down_revisions": list(rev._versioned_down_revisions),
        "dependencies": _ids(rev.dependencies),
        "branch_labels": sorted(rev.branch_labels or ()),
        "replaces": list(getattr(rev, "replaces", ()) or ()),
        "doc": getattr(rev, "doc", ""),
        "longdoc": getattr(rev, "longdoc", ""),
        "path": getattr(rev, "path", None),
        "is_head": bool(rev.is_head),
        "is_base": bool(rev.is_base),
        "is_branch_point": bool(rev.is_branch_point),
        "is_merge_point": bool(rev.is_merge_point),
    }
    if current is not None:
        out["current"] = current
    return out


def _name(obj: Any) -> str | None:
    name = getattr(obj, "name", None)
    return None if name is None else str(name)


def diff_dict(diff: tuple) -> dict[str, Any]:
    """One autogenerate diff tuple as the ``check`` schema's ``diff`` object."""
    from ..autogenerate.report import describe

    kind = str(diff[0])
    schema = table = name = None
    if kind in ("add_table", "remove_table", "add_table_comment", "remove_table_comment"):
        schema, table = diff[1].schema, diff[1].name
    elif kind in ("add_column", "remove_column"):
        schema, table, name = diff[1], diff[2], _name(diff[3])
    elif kind.startswith("modify_"):
        schema, table, name = diff[1], diff[2], diff[3]
    elif kind in ("add_index", "remove_index", "add_constraint", "remove_constraint",
                  "add_fk", "remove_fk"):
        obj = diff[1]
        parent = getattr(obj, "parent", None) if kind.endswith("_fk") else None
        owner = parent if parent is not None else getattr(obj, "table", None)
        if owner is not None:
            schema, table = getattr(owner, "schema", None), _name(owner)
        name = _name(obj)
    try:
        description = describe(diff)
    except Exception:  # noqa: BLE001 - a report line must never break the document
        description = None
    return {
        "kind": kind,
        "schema": None if schema is None else str(schema),
        "table": None if table is None else str(table),
        "name": None if name is None else str(name),
        "description": description,
    }


def diff_dicts(diffs: Any) -> list[dict[str, Any]]:
    """Alembic's diff list (a list of ``modify_*`` tuples per column) flattened."""
    out = []
    for diff in diffs or ():
        for item in (diff if isinstance(diff, list) else [diff]):
            out.append(diff_dict(item))
    return out


def emit(config: Any, document: dict[str, Any]) -> None:
    """Write ``document`` (plus ``format``) to the command's output."""
    document = {"format": FORMAT, **document}
    config.stdout.write(json.dumps(document, indent=2) + "\n")

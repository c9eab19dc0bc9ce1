"""Read a revision file's identifiers without importing it.

``read_header(path)`` parses the source with :mod:`ast` and returns the literal
values of ``revision``, ``down_revision``, ``branch_labels``, ``depends_on`` and
the module docstring.  When one of them is not a literal (computed, imported),
it returns ``None`` and the caller executes the module instead.
"""

from __future__ import annotations

import ast
from typing import Any

from ..errors import CommandError

FIELDS = ("revision", "down_revision", "branch_labels", "depends_on")
_NOT_LITERAL = object()


class NotARevision(Exception):
    """The file defines no ``revision`` variable."""


def read_header(path: str, source: bytes | None = None) -> dict[str, Any] | None:
    """The revision header of ``path``, or None when the module must be executed."""
    if source is None:
        with open(path, "rb") as fh:
            source = fh.read()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise CommandError(f"{path}: line {exc.lineno}: syntax error: {exc.msg}") from None
    found: dict[str, Any] = {}
    for node in tree.body:
        targets: list[ast.expr]
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in FIELDS:
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:
                    found[target.id] = _NOT_LITERAL
    if "revision" not in found:
        raise NotARevision(path)
    if any(v is _NOT_LITERAL for v in found.values()):
        return None
    for key in FIELDS:
        found.setdefault(key, None)
    found["doc"] = ast.get_docstring(tree, clean=True) or ""
    return found


def header_from_module(module: Any) -> dict[str, Any]:
    """The same header, read from an executed module."""
    if not hasattr(module, "revision"):
        raise NotARevision(getattr(module, "__file__", "?"))
    out = {key: getattr(module, key, None) for key in FIELDS}
    out["doc"] = (module.__doc__ or "").strip()
    return out

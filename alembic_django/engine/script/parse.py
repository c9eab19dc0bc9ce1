"""Read a revision file's identifiers without importing it.

``read_header(path)`` parses the source with :mod:`ast` and returns the literal
values of ``revision``, ``down_revision``, ``branch_labels``, ``depends_on`` and
the module docstring.  When one of them is not a literal (computed, imported),
it returns ``None`` and the caller executes the module instead.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
from typing import Any

from ..errors import CommandError

FIELDS = ("revision", "down_revision", "branch_labels", "depends_on")
#: read when present: the revisions a squashed revision replaces
OPTIONAL_FIELDS = ("replaces",)
_ALL_FIELDS = FIELDS + OPTIONAL_FIELDS
_NOT_LITERAL = object()


class NotARevision(CommandError):
    """The file defines no ``revision`` variable (Alembic's text names the file)."""

    def __init__(self, path: str) -> None:
        self.path = path
        name = os.path.basename(path)
        super().__init__(
            f"Could not determine revision id from filename {name}. Be sure the "
            f"'revision' variable is declared inside the script ({path}; helper modules "
            "belong outside the version locations)"
        )


# The layout script.py.mako produces: a module docstring, then one-line top-level
# assignments of literals.  Recognised without compiling the whole file; anything
# unusual (a second assignment, a multi-line value, a non-literal) takes the AST path.
_DOCSTRING = re.compile(rb'\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*("""|\'\'\')(.*?)\1', re.S)
_ASSIGN = re.compile(
    rb"^(revision|down_revision|branch_labels|depends_on)[ \t]*(?::[^=\n]*)?=[ \t]*(.*?)[ \t]*"
    rb"(?:#[^\n]*)?\r?$",
    re.M,
)
_ANY_MENTION = re.compile(rb"^[ \t]*(revision|down_revision|branch_labels|depends_on)\b", re.M)
# ``replaces`` (squashed revisions): a literal tuple, possibly over several lines
_REPLACES = re.compile(
    rb"^replaces[ \t]*(?::[^=\n]*)?=[ \t]*(\((?:[^()#\\]|\n)*?\)|None)[ \t]*\r?$", re.M)
_REPLACES_MENTION = re.compile(rb"^[ \t]*replaces\b", re.M)


def _fast_header(source: bytes) -> dict[str, Any] | None:
    if b"\\" in source[:200] or not source.isascii():
        return None  # escapes / encodings: let the real parser decide
    found: dict[str, Any] = {}
    for m in _ASSIGN.finditer(source):
        key = m.group(1).decode()
        if key in found:
            return None
        try:
            found[key] = ast.literal_eval(m.group(2).decode())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None  # not a plain literal: the full parser decides
    if len(found) != 4 or len(_ANY_MENTION.findall(source)) != 4:
        return None
    if b"replaces" in source:
        mentions = _REPLACES_MENTION.findall(source)
        if len(mentions) > 1:
            return None
        if mentions:
            m = _REPLACES.search(source)
            if m is None:
                return None
            try:
                found["replaces"] = ast.literal_eval(m.group(1).decode())
            except (ValueError, SyntaxError):
                return None
    doc = _DOCSTRING.match(source)
    if doc is None:
        if source.lstrip().startswith((b"'", b'"', b"r'", b'r"', b"u'", b'u"')):
            return None
        found["doc"] = ""
    else:
        found["doc"] = inspect.cleandoc(doc.group(2).decode())
    return found


def read_header(path: str, source: bytes | None = None) -> dict[str, Any] | None:
    """The revision header of ``path``, or None when the module must be executed."""
    if source is None:
        with open(path, "rb") as fh:
            source = fh.read()
    fast = _fast_header(source)
    if fast is not None:
        return fast
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise CommandError(f"{path}: line {exc.lineno}: syntax error: {exc.msg}") from None
    except ValueError as exc:  # e.g. NUL bytes (a SyntaxError from Python 3.12)
        raise CommandError(f"{path}: not Python source: {exc}") from None
    except (MemoryError, RecursionError):  # the parser's own nesting limits
        raise CommandError(f"{path}: too deeply nested to parse") from None
    found: dict[str, Any] = {}
    for node in tree.body:
        if _rebinds_elsewhere(node):
            return None  # e.g. assigned inside a top-level if/try: execute to be sure
        targets: list[ast.expr]
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in _ALL_FIELDS:
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:
                    found[target.id] = _NOT_LITERAL
                except (TypeError, MemoryError, RecursionError) as exc:  # e.g. {[]: 1}
                    raise CommandError(f"{path}: line {node.lineno}: {target.id} is not a "
                                       f"valid value ({type(exc).__name__})") from None
    if "revision" not in found:
        raise NotARevision(path)
    if any(v is _NOT_LITERAL for v in found.values()):
        return None
    for key in FIELDS:
        found.setdefault(key, None)
    found["doc"] = ast.get_docstring(tree, clean=True) or ""
    return found


def _rebinds_elsewhere(node: ast.stmt) -> bool:
    """True when a top-level statement other than a plain assignment binds a header name."""
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr, ast.FunctionDef,
                         ast.AsyncFunctionDef, ast.ClassDef)):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            return any(not isinstance(t, ast.Name) and any(
                isinstance(n, ast.Name) and n.id in _ALL_FIELDS for n in ast.walk(t))
                for t in targets)
        return False
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return any((alias.asname or alias.name).split(".")[0] in _ALL_FIELDS or alias.name == "*"
                   for alias in node.names)
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and sub.id in _ALL_FIELDS:
            return True
        if isinstance(sub, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name) in _ALL_FIELDS for a in sub.names):
            return True
    return False


def header_from_module(module: Any) -> dict[str, Any]:
    """The same header, read from an executed module."""
    if not hasattr(module, "revision"):
        raise NotARevision(getattr(module, "__file__", "?"))
    out = {key: getattr(module, key, None) for key in FIELDS}
    for key in OPTIONAL_FIELDS:
        if getattr(module, key, None) is not None:
            out[key] = getattr(module, key)
    out["doc"] = (module.__doc__ or "").strip()
    return out

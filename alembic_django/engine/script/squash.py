"""Writing a squashed revision: the replaced revisions' code, copied verbatim.

The squashed file carries each replaced revision's module code (its imports,
helpers, ``upgrade()`` and ``downgrade()``, without the docstring and the revision
identifiers) inside one function per revision, so that data migrations,
``op.execute`` and anything else the revisions do run exactly as they did::

    def _r_1975ea83b712():
        \"\"\"create item table (1975ea83b712_create_item_table.py)\"\"\"
        import sqlalchemy as sa
        from alembic import op

        def upgrade() -> None:
            ...

        def downgrade() -> None:
            ...

        return upgrade, downgrade

``upgrade()`` calls them oldest first, ``downgrade()`` newest first.  Copying is
checked: the body of each function must parse to the same statements as the
original module (string contents included), or nothing is written.

What cannot be carried over is refused with one line naming the file: a ``global``
statement, ``from ... import *``, a revision without ``upgrade()``, a statement
sharing a line with a revision identifier.  ``globals()`` (the ``multidb``
template's per-engine dispatch) is rewritten to the function's own namespace.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import CommandError
from .parse import FIELDS, OPTIONAL_FIELDS

_HEADER_NAMES = set(FIELDS) | set(OPTIONAL_FIELDS)
_NAMESPACE = "_namespace"


@dataclass
class Original:
    """One replaced revision: its id, file, source and docstring's first line."""

    revision: str
    path: str
    source: str
    doc: str = ""


@dataclass
class Copied:
    function: str  # the function's name in the squashed file
    text: str  # the function's source
    future: list[str]  # names of ``from __future__`` imports
    has_downgrade: bool


def read_source(path: str) -> str:
    if path.endswith((".pyc", ".pyo")):
        raise CommandError(f"{path}: a sourceless revision cannot be squashed (its code is "
                           "needed)")
    with open(path, "rb") as fh:
        raw = fh.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding)


def _is_header(node: ast.stmt) -> bool:
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Name) and t.id in _HEADER_NAMES for t in node.targets)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and node.target.id in _HEADER_NAMES
    return False


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno] + [d.lineno for d in decorators])


def _bound_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        else:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.add(sub.id)
    return names


def _string_continuation_lines(source: str) -> set[int]:
    """1-based numbers of lines that continue a multi-line string (never re-indented)."""
    lines: set[int] = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return lines
    kinds = {tokenize.STRING}
    for name in ("FSTRING_MIDDLE", "FSTRING_END"):
        if hasattr(tokenize, name):
            kinds.add(getattr(tokenize, name))
    for tok in tokens:
        if tok.type in kinds and tok.end[0] > tok.start[0]:
            lines.update(range(tok.start[0] + 1, tok.end[0] + 1))
    return lines


def _refuse(original: Original, why: str) -> CommandError:
    return CommandError(f"{original.path}: cannot squash revision {original.revision}: {why}")


def copy_revision(original: Original, function: str) -> Copied:
    """The function carrying ``original``'s module code (see the module docstring)."""
    source = original.source
    try:
        tree = ast.parse(source, filename=original.path)
    except SyntaxError as exc:
        raise CommandError(f"{original.path}: line {exc.lineno}: syntax error: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            raise _refuse(original, f"line {node.lineno} has a 'global' statement")
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            raise _refuse(original, f"line {node.lineno} imports '*'")
    bound = _bound_names(tree)
    if "upgrade" not in bound:
        raise _refuse(original, "it defines no upgrade()")
    dropped: list[ast.stmt] = []
    future: list[str] = []
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        dropped.append(body[0])
    kept: list[ast.stmt] = []
    for node in body[len(dropped):]:
        if _is_header(node):
            dropped.append(node)
        elif isinstance(node, ast.ImportFrom) and node.module == "__future__":
            future.extend(a.name for a in node.names)
            dropped.append(node)
        else:
            kept.append(node)
    lines = source.splitlines()
    skip: set[int] = set()
    for node in dropped:
        skip.update(range(_first_line(node), node.end_lineno + 1))
        n = _first_line(node) - 1  # the comment block just above ("# revision identifiers")
        while n >= 1 and lines[n - 1].lstrip().startswith("#"):
            skip.add(n)
            n -= 1
    for node in kept:
        if skip.intersection((_first_line(node), node.end_lineno)):
            raise _refuse(original, f"line {node.lineno} shares a line with a revision "
                          "identifier or the docstring")
    text_lines = _rewrite_globals(tree, lines, original)
    continuation = _string_continuation_lines(source)
    out: list[str] = []
    blank_run = 0
    for number, line in enumerate(text_lines, start=1):
        if number in skip:
            continue
        if number in continuation:  # inside a multi-line string: exactly as written
            out.append(line)
            blank_run = 0
        elif not line.strip():
            blank_run += 1
            if out and blank_run <= 1:
                out.append("")
        else:
            out.append("    " + line)
            blank_run = 0
    while out and out[-1] == "":
        out.pop()
    code = "\n".join(out)
    uses_namespace = text_lines is not lines
    has_downgrade = "downgrade" in bound
    doc = original.doc.splitlines()[0] if original.doc else ""
    label = f"{doc} ({_file_name(original.path)})" if doc else _file_name(original.path)
    parts = [f"def {function}():", f"    {_docstring(label)}"]
    if code:
        parts.append(code)
    if uses_namespace:
        parts.append(f"    {_NAMESPACE} = locals()  # what globals() meant in the original file")
    parts.append("")
    parts.append("    return upgrade, " + ("downgrade" if has_downgrade else "None"))
    text = "\n".join(parts) + "\n"
    _verify(original, tree, kept, text, function, uses_namespace)
    return Copied(function, text, future, has_downgrade)


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _docstring(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'"""{text}"""'


def _rewrite_globals(tree: ast.Module, lines: list[str], original: Original) -> list[str]:
    """``globals()`` -> ``_namespace`` (the squashed function's own namespace)."""
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id == "globals"
             and not n.args and not n.keywords]
    if not calls:
        return lines
    if any(isinstance(n, ast.Name) and n.id == _NAMESPACE for n in ast.walk(tree)):
        raise _refuse(original, f"it uses globals() and the name {_NAMESPACE}")
    out = list(lines)
    for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset), reverse=True):
        if call.lineno != call.end_lineno:
            raise _refuse(original, f"line {call.lineno}: globals() spans lines")
        raw = out[call.lineno - 1].encode("utf-8")  # ast offsets count UTF-8 bytes
        raw = raw[:call.col_offset] + _NAMESPACE.encode() + raw[call.end_col_offset:]
        out[call.lineno - 1] = raw.decode("utf-8")
    return out


def _verify(original: Original, tree: ast.Module, kept: Sequence[ast.stmt], text: str,
            function: str, uses_namespace: bool) -> None:
    """The copy must be the original statement for statement (strings included)."""
    try:
        copied = ast.parse(text).body[0]
    except SyntaxError as exc:
        raise _refuse(original, f"its code could not be copied faithfully ({exc.msg} at line "
                      f"{exc.lineno} of the copy)") from None
    assert isinstance(copied, ast.FunctionDef) and copied.name == function
    body = copied.body[1:-1]  # the docstring and the return
    if uses_namespace:
        body = body[:-1]
    expected = ast.dump(ast.Module(body=list(kept), type_ignores=[]))
    if uses_namespace:
        expected = expected.replace("Call(func=Name(id='globals', ctx=Load()), args=[], "
                                    "keywords=[])", f"Name(id='{_NAMESPACE}', ctx=Load())")
    got = ast.dump(ast.Module(body=body, type_ignores=[]))
    if got != expected:
        raise _refuse(original, "its code could not be copied faithfully (the copy parses "
                      "differently; is it indented with tabs?)")


def function_name(revision: str, taken: set[str]) -> str:
    base = "_r_" + re.sub(r"\W", "_", revision)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def render(revision: str, down_revision: Any, branch_labels: Sequence[str],
           depends_on: Sequence[str], originals: Sequence[Original], message: str,
           create_date: Any) -> str:
    """The squashed revision file."""
    taken: set[str] = set()
    copies = [copy_revision(o, function_name(o.revision, taken)) for o in originals]
    future = sorted({name for c in copies for name in c.future})
    ids = [o.revision for o in originals]
    revises = (", ".join(down_revision) if isinstance(down_revision, tuple)
               else (down_revision or ""))
    doc_lines = [
        message,
        "",
        f"Revision ID: {revision}",
        f"Revises: {revises}",
        "Replaces: " + ", ".join(ids),
        f"Create Date: {create_date}",
        "",
        f"Squashes {len(ids)} revisions, {ids[0]} to {ids[-1]}.  The code of each is kept",
        "verbatim in the function named after it; upgrade() runs them oldest first,",
        "downgrade() newest first.  Keep the replaced revision files until every",
        "database is past this one ('squashed' tells), then delete them.",
    ]
    doc = "\n".join(doc_lines).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    labels = tuple(branch_labels) or None
    deps = tuple(depends_on)
    text = f'"""{doc}\n"""\n'
    if future:
        text += f"from __future__ import {', '.join(future)}\n"
    text += (
        "\n# revision identifiers, used by Alembic.\n"
        f"revision = {revision!r}\n"
        f"down_revision = {down_revision!r}\n"
        f"branch_labels = {labels!r}\n"
        f"depends_on = {(deps[0] if len(deps) == 1 else deps) if deps else None!r}\n"
        "replaces = (\n" + "".join(f"    {rid!r},\n" for rid in ids) + ")\n"
        "\n\ndef upgrade(**kw) -> None:\n"
        "    for revision_code in _REPLACED:\n"
        "        revision_code()[0](**kw)\n"
        "\n\ndef downgrade(**kw) -> None:\n"
        "    for revision_code in reversed(_REPLACED):\n"
        "        undo = revision_code()[1]\n"
        "        if undo is None:\n"
        "            raise NotImplementedError(\n"
        "                f\"{revision_code.__doc__}: the replaced revision has no downgrade()\")\n"
        "        undo(**kw)\n"
    )
    for copy in copies:
        text += "\n\n" + copy.text
    text += "\n\n_REPLACED = (\n" + "".join(f"    {c.function},\n" for c in copies) + ")\n"
    ast.parse(text)  # the whole file parses (each function was checked on its own)
    return text

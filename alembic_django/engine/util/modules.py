"""Executing env.py and revision files, and the ``alembic`` alias they may import.

An unmodified Alembic project says ``from alembic import context, op``.  While
our engine executes such a file, :func:`alembic_alias` makes those two names
(and ``alembic.context`` / ``alembic.op``) resolve to our proxies — whether or not
the real Alembic is installed — and restores ``sys.modules`` afterwards, so a real
Alembic is never shadowed outside our own runs.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import os
import re
import sys
import threading
import types
from collections.abc import Iterator

from ..errors import CommandError

_ALIASED = ("alembic", "alembic.context", "alembic.op")
# How many runs (threads of a fleet) have the alias active; the first installs it, the
# last restores sys.modules.  Guarded by the lock (the minimal thread-safe form; the
# `alembic` namespace work replaces this with its own activation).
_depth = 0
_saved: dict[str, types.ModuleType | None] = {}
_lock = threading.Lock()


@contextlib.contextmanager
def alembic_alias() -> Iterator[None]:
    """Let ``import alembic``'s context and op resolve to ours for the duration."""
    global _depth
    with _lock:
        if not _depth:
            _install()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if not _depth:
                _restore()


def _install() -> None:
    from ... import context as our_context
    from ... import op as our_op

    _saved.clear()
    _saved.update({name: sys.modules.get(name) for name in _ALIASED})
    shim = types.ModuleType("alembic")
    shim.__doc__ = "alembic_django stand-in for `alembic` while it runs an environment"
    shim.__path__ = []  # a package, so `import alembic.op` works
    shim.context = our_context
    shim.op = our_op
    shim.__alembic_django_shim__ = True
    sys.modules["alembic"] = shim
    sys.modules["alembic.context"] = our_context
    sys.modules["alembic.op"] = our_op


def _restore() -> None:
    for name, module in _saved.items():
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module
    _saved.clear()


class _CachedCodeLoader(importlib.machinery.SourceFileLoader):
    """A source loader that compiles a file once per (path, mtime, size) into ``cache``
    (env.py runs once per target of a fleet; bytecode files may be disabled)."""

    def __init__(self, fullname: str, path: str, cache: dict) -> None:
        super().__init__(fullname, path)
        self._code_cache = cache

    def get_code(self, fullname: str) -> types.CodeType | None:
        stat = os.stat(self.path)
        key = (self.path, stat.st_mtime_ns, stat.st_size)
        code = self._code_cache.get(key)
        if code is None:
            code = super().get_code(fullname)
            self._code_cache[key] = code
        return code


def load_python_file(path: str, module_id: str | None = None,
                     code_cache: dict | None = None) -> types.ModuleType:
    """Execute the file at ``path`` (source or ``.pyc``) as a fresh module; with
    ``code_cache``, a source file is compiled once for as long as it is unchanged."""
    if module_id is None:
        module_id = "alembic_django_script_" + re.sub(r"\W", "_", os.path.abspath(path))
    if path.endswith((".pyc", ".pyo")):
        loader = importlib.machinery.SourcelessFileLoader(module_id, path)
        spec = importlib.util.spec_from_file_location(module_id, path, loader=loader)
    elif code_cache is not None:
        spec = importlib.util.spec_from_file_location(
            module_id, path, loader=_CachedCodeLoader(module_id, path, code_cache))
    else:
        spec = importlib.util.spec_from_file_location(module_id, path)
    if spec is None or spec.loader is None:
        raise CommandError(f"Can't load Python file {path}")
    module = importlib.util.module_from_spec(spec)
    with alembic_alias():
        try:
            spec.loader.exec_module(module)
        except SyntaxError as exc:
            raise CommandError(f"{path}: line {exc.lineno}: syntax error: {exc.msg}") from None
        except CommandError:
            raise
        except ImportError as exc:
            raise CommandError(f"{path}: {type(exc).__name__}: {exc}") from exc
    return module

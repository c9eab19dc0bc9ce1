"""Executing env.py and revision files, and the ``alembic`` namespace they import.

An unmodified Alembic project (and the plugins it uses) says ``from alembic import
context, op``, ``from alembic.operations import ops``, ``import alembic.autogenerate``
and so on.  While our engine executes such a file, :data:`NAMESPACE` is *active*:
``import alembic.<anything>`` resolves to :mod:`alembic_django.namespace.alembic`, a
view whose modules re-export this engine's objects.  Activation is process-wide
(``sys.modules`` is), so it is reference-counted under a lock: many runs in threads
of one process share one activation, and the real Alembic's modules (if any were
imported) are put back when the last run ends.

While active:

* ``sys.modules["alembic"]`` is the view root, and a finder at the head of
  ``sys.meta_path`` maps ``alembic.X`` to ``alembic_django.namespace.alembic.X``
  (``alembic.op`` / ``alembic.context`` to :mod:`alembic_django.op` /
  :mod:`alembic_django.context`).  The module objects are the same under both names,
  so a registration made through ``alembic.*`` lands in the engine.
* the real Alembic's ``alembic`` / ``alembic.*`` entries are set aside.  If a plugin
  registered operations, comparators, renderers, plugins, write hooks or DDL impls
  into that real Alembic before our run, activation fails with one
  :class:`~alembic_django.engine.errors.CommandError` naming the plugin's modules
  (see :mod:`.coexistence`): those registrations would otherwise be silently ignored.

:meth:`AlembicNamespace.install` keeps the namespace active for the rest of the
process (tools that import ``alembic`` themselves: Flask-Migrate, pytest-alembic).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
import threading
import types
from collections.abc import Iterator

from ..errors import CommandError

ROOT = "alembic"
VIEW = "alembic_django.namespace.alembic"
#: ``alembic.X`` names whose module *is* one of ours (the same object under both
#: names, so that ``mock.patch("alembic.util.editor.check_call")`` patches the engine)
ALIASES = {
    "alembic.op": "alembic_django.op",
    "alembic.context": "alembic_django.context",
    "alembic.util.exc": "alembic_django.engine.errors",
    **{f"alembic.{name}": f"alembic_django.engine.{target}" for name, target in (
        ("util", "util"),
        ("util.compat", "util.compat"),
        ("util.editor", "util.editor"),
        ("util.langhelpers", "util.langhelpers"),
        ("util.messaging", "util.messaging"),
        ("util.pyfiles", "util.pyfiles"),
        ("util.sqla_compat", "util.sqla_compat"),
        ("script.base", "script.directory"),
        ("script.revision", "script.revision"),
        ("script.write_hooks", "script.write_hooks"),
        ("ddl.base", "ddl.base"),
        ("ddl.impl", "ddl.impl"),
        ("ddl.mssql", "ddl.mssql"),
        ("ddl.mysql", "ddl.mysql"),
        ("ddl.oracle", "ddl.oracle"),
        ("ddl.sqlite", "ddl.sqlite"),
        ("operations.batch", "operations.batch"),
        ("operations.ops", "operations.ops"),
        ("operations.schemaobj", "operations.schemaobj"),
        ("operations.toimpl", "operations.toimpl"),
        ("autogenerate.render", "autogenerate.render"),
        ("autogenerate.rewriter", "autogenerate.rewriter"),
        ("runtime.plugins", "autogenerate.plugins"),
    )},
}


def _is_alembic_name(name: str) -> bool:
    return name == ROOT or name.startswith(ROOT + ".")


class _AliasLoader(importlib.abc.Loader):
    """Hands out an already-importable module of ours under an ``alembic.*`` name."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._own_spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(self.target)
        self._own_spec = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run (the module executed under its own name); the import system
        has just replaced its ``__spec__`` with the alias's: put its own back."""
        if self._own_spec is not None:
            module.__spec__ = self._own_spec


class _NamespaceFinder(importlib.abc.MetaPathFinder):
    """``alembic.X`` → ``alembic_django.namespace.alembic.X`` while the namespace is active."""

    def __init__(self, namespace: AlembicNamespace) -> None:
        self.namespace = namespace

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        if not _is_alembic_name(fullname) or not self.namespace.active:
            return None
        ours = ALIASES.get(fullname) or VIEW + fullname[len(ROOT):]
        try:
            found = importlib.util.find_spec(ours)
        except ModuleNotFoundError:
            found = None
        if found is None:
            return None  # not ours: the next finder (e.g. a test harness) may have it
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(ours),
            is_package=found.submodule_search_locations is not None,
        )


class AlembicNamespace:
    """The process-wide switch that makes ``import alembic...`` mean this engine.

    One instance (:data:`NAMESPACE`) exists.  :meth:`activated` is the scoped form
    the engine uses around env.py / revision files; :meth:`install` /
    :meth:`uninstall` the permanent, opt-in form.  Both nest and may be used from
    many threads at once.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._count = 0
        self._installed = 0
        self._saved: dict[str, types.ModuleType] = {}
        self._finder = _NamespaceFinder(self)

    @property
    def active(self) -> bool:
        return self._count > 0

    @property
    def installed(self) -> bool:
        return self._installed > 0

    def acquire(self) -> None:
        """Activate (or join the current activation)."""
        with self._lock:
            if self._count == 0:
                self._activate()
            self._count += 1

    def release(self) -> None:
        """Leave the activation; the last one out restores the real Alembic."""
        with self._lock:
            if self._count <= 0:
                raise RuntimeError("alembic namespace released more often than acquired")
            self._count -= 1
            if self._count == 0:
                self._deactivate()

    @contextlib.contextmanager
    def activated(self) -> Iterator[types.ModuleType]:
        """``import alembic...`` resolves to this engine inside the block."""
        self.acquire()
        try:
            yield sys.modules[ROOT]
        finally:
            self.release()

    def install(self) -> types.ModuleType:
        """Keep the namespace active until :meth:`uninstall` (or the process ends)."""
        with self._lock:
            self.acquire()
            self._installed += 1
            return sys.modules[ROOT]

    def uninstall(self) -> None:
        """Undo one :meth:`install`."""
        with self._lock:
            if not self._installed:
                return
            self._installed -= 1
            self.release()

    # -- the switch -----------------------------------------------------------------
    def _activate(self) -> None:
        from .coexistence import check_foreign_registrations

        real = {name: mod for name, mod in list(sys.modules.items())
                if _is_alembic_name(name) and mod is not None}
        check_foreign_registrations(real)
        view = importlib.import_module(VIEW)
        for name in real:
            del sys.modules[name]
        self._saved = real
        sys.meta_path.insert(0, self._finder)
        sys.modules[ROOT] = view

    def _deactivate(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self._finder)
        for name in [n for n in list(sys.modules) if _is_alembic_name(n)]:
            del sys.modules[name]
        sys.modules.update(self._saved)
        self._saved = {}


#: the one switch of this process
NAMESPACE = AlembicNamespace()


def alembic_alias() -> contextlib.AbstractContextManager[types.ModuleType]:
    """``import alembic...`` resolves to this engine for the duration (scoped)."""
    return NAMESPACE.activated()


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


def load_file_as_module(path: str, module_id: str | None = None,
                        code_cache: dict | None = None) -> types.ModuleType:
    """Execute the file at ``path`` (source or ``.pyc``) as a fresh module, with the
    ``alembic`` namespace active; errors importing it become one CommandError line.
    With ``code_cache``, a source file is compiled once for as long as it is unchanged."""
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
    with NAMESPACE.activated():
        try:
            spec.loader.exec_module(module)
        except SyntaxError as exc:
            raise CommandError(f"{path}: line {exc.lineno}: syntax error: {exc.msg}") from None
        except CommandError:
            raise
        except ImportError as exc:
            raise CommandError(f"{path}: {type(exc).__name__}: {exc}") from exc
    return module

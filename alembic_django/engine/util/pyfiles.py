"""Loading Python files and rendering Mako templates (Alembic's ``alembic.util.pyfiles``).

:func:`load_module_py` is the one place the engine executes a file as a module;
it does so with the ``alembic`` namespace active (see :mod:`.modules`).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.machinery
import importlib.util
import os
import pathlib
import re
import types
from typing import Any

from ..errors import CommandError
from .files import write_atomic

__all__ = ["coerce_resource_to_filename", "load_module_py", "load_python_file",
           "pyc_file_from_path", "template_to_file"]


def load_module_py(module_id: str, path: str | os.PathLike[str]) -> types.ModuleType:
    """Execute the file at ``path`` (source or ``.pyc``) as a fresh module ``module_id``."""
    from .modules import load_file_as_module

    return load_file_as_module(os.fspath(path), module_id)


def pyc_file_from_path(path: str | os.PathLike[str]) -> pathlib.Path | None:
    """The compiled file of source ``path`` (``__pycache__`` or legacy ``x.pyc``), if any."""
    source = pathlib.Path(path)
    cached = pathlib.Path(importlib.util.cache_from_source(source.as_posix()))
    if cached.exists():
        return cached
    for suffix in importlib.machinery.BYTECODE_SUFFIXES:
        legacy = source.with_suffix(suffix)
        if legacy.exists():
            return legacy
    return None


def load_python_file(dir_: str | os.PathLike[str],
                     filename: str | os.PathLike[str]) -> types.ModuleType:
    """Load ``dir_/filename`` as a module (its ``.pyc`` when only that exists)."""
    name = pathlib.Path(filename).name
    path = pathlib.Path(dir_) / name
    module_id = re.sub(r"\W", "_", name)
    if path.suffix == ".py":
        if not path.exists():
            compiled = pyc_file_from_path(path)
            if compiled is None:
                raise ImportError(f"Can't find Python file {path}")
            path = compiled
    elif path.suffix not in (".pyc", ".pyo"):
        raise ImportError(f"{path} is not a Python file")
    return load_module_py(module_id, path)


def render_mako(template_file: str | os.PathLike[str], **kw: Any) -> str:
    """Render a Mako template; a template error becomes one CommandError line."""
    from mako import exceptions
    from mako.template import Template

    template_path = os.fspath(template_file)
    if not os.path.exists(template_path):
        raise CommandError(f"Template {template_path} not found")
    try:
        return Template(filename=template_path).render_unicode(**kw)
    except Exception as exc:  # noqa: BLE001  (any template error becomes one line)
        from .masking import mask_password

        detail = exceptions.text_error_template().render().strip().splitlines()[-1]
        raise CommandError(f"Error rendering {template_path}: {mask_password(detail)}") from exc


def template_to_file(template_file: str | os.PathLike[str], dest: str | os.PathLike[str],
                     output_encoding: str, *, append_with_newlines: bool = False,
                     **kw: Any) -> None:
    """Render ``template_file`` with ``kw`` into ``dest`` (replaced, or appended after a
    blank line with ``append_with_newlines``)."""
    text = render_mako(template_file, **kw)
    if append_with_newlines:
        with open(dest, "ab") as fh:
            fh.write(("\n\n" + text).encode(output_encoding))
    else:
        write_atomic(os.fspath(dest), text, encoding=output_encoding)


def coerce_resource_to_filename(fname_or_resource: str) -> pathlib.Path:
    """A path, or ``package:resource/path`` resolved to a file on disk."""
    if os.path.isabs(fname_or_resource) or ":" not in fname_or_resource:
        return pathlib.Path(fname_or_resource)
    from importlib import resources

    package, *parts = fname_or_resource.split(":")
    ref = resources.files(package)
    for part in parts:
        ref = ref / part
    stack = contextlib.ExitStack()
    atexit.register(stack.close)
    return pathlib.Path(stack.enter_context(resources.as_file(ref)))

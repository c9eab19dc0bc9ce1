"""Post-write hooks: programs run on a newly generated revision file.

The shape is Alembic's ``script/write_hooks.py``.  A hook is a dict with a
``name``, a ``type`` naming a registered runner, and the runner's own keys::

    {"name": "black", "type": "console_scripts", "entrypoint": "black",
     "options": "-l 79 REVISION_SCRIPT_FILENAME", "cwd": "/project"}

Built-in runners: ``console_scripts`` (key ``entrypoint``), ``exec`` (key
``executable``) and ``module`` (key ``module``; runs ``python -m``).  In
``options`` the token ``REVISION_SCRIPT_FILENAME`` is replaced by the path of
the revision file, and prepended when absent; ``cwd`` sets the working
directory and ``ignore_output = true`` discards the program's output.
Custom runners are added with ``@register("name")`` and called as
``fn(path, options)`` where ``options`` is the hook dict.

Reading the hooks from the configuration (ini ``[post_write_hooks]`` with
``hooks = a, b`` / ``a.type = ...``, or TOML ``[[tool.alembic.post_write_hooks]]``)
is ``script/location.py``'s job; it hands :func:`run_hooks` the list of dicts.

Any failure (unknown type, missing key, missing program, non-zero exit,
exception in a custom runner) raises :class:`CommandError` naming the hook.
"""

from __future__ import annotations

import importlib.metadata
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..errors import CommandError

REVISION_SCRIPT_TOKEN = "REVISION_SCRIPT_FILENAME"

HookFn = Callable[[str, Mapping[str, Any]], Any]

_registry: dict[str, HookFn] = {}


def register(name: str) -> Callable[[HookFn], HookFn]:
    """Register ``fn(path, options)`` as the runner for hooks of type ``name``.

    Usage::

        @register("spaces_to_tabs")
        def convert(path, options):
            ...
    """

    def decorate(fn: HookFn) -> HookFn:
        _registry[name] = fn
        return fn

    return decorate


def hook_name(hook: Mapping[str, Any]) -> str:
    """The name of ``hook`` (``name``, or Alembic's internal ``_hook_name``)."""
    return str(hook.get("name") or hook.get("_hook_name") or hook.get("type") or "?")


def run_hooks(
    path: str,
    hooks: Iterable[Mapping[str, Any]],
    *,
    status: Callable[[str], None] | None = None,
) -> None:
    """Run each hook of ``hooks`` on the revision file ``path``, in order.

    ``status``, when given, is called with ``"Running post write hook 'x' ...  done"``
    after each hook that succeeded (the caller decides how to show it).
    """
    for hook in hooks:
        name = hook_name(hook)
        type_ = hook.get("type")
        if not type_:
            raise CommandError(
                f"Key '{name}.type' (or 'type' in toml) is required for post write hook {name!r}"
            )
        runner = _registry.get(str(type_))
        if runner is None:
            raise CommandError(
                f"No post write hook runner of type {type_!r} registered (hook {name!r})"
            )
        try:
            runner(path, hook)
        except CommandError:
            raise
        except Exception as exc:
            raise CommandError(f"Post write hook {name!r} failed: {_one_line(exc)}") from exc
        if status is not None:
            status(f"Running post write hook {name!r} ...  done")


_run_hooks = run_hooks  # Alembic's name


def _one_line(exc: BaseException) -> str:
    from ..util.masking import error_line

    text = error_line(exc)
    return f"{type(exc).__name__}: {text}" if text != type(exc).__name__ else text


def _required(options: Mapping[str, Any], key: str) -> str:
    value = options.get(key)
    if not value:
        name = hook_name(options)
        raise CommandError(
            f"Key {name}.{key} is required for post write hook {name!r}"
        )
    return str(value)


def parse_cmdline_options(options: str, path: str) -> list[str]:
    """Split ``options`` shell-style, with the revision path put in for the token."""
    if REVISION_SCRIPT_TOKEN not in options:
        options = REVISION_SCRIPT_TOKEN + " " + options
    return [
        arg.replace(REVISION_SCRIPT_TOKEN, path)
        for arg in shlex.split(options, posix=os.name == "posix")
    ]


def _run(name: str, argv: list[str], options: Mapping[str, Any],
         ignore_output: bool = False) -> None:
    cwd = options.get("cwd") or None
    kw: dict[str, Any] = {}
    if ignore_output or str(options.get("ignore_output", "")).strip().lower() in (
            "true", "1", "yes", "on"):
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
    try:
        result = subprocess.run(argv, cwd=cwd, check=False, **kw)
    except OSError as exc:
        raise CommandError(
            f"Post write hook {name!r} could not run {argv[0]!r}: {_one_line(exc)}"
        ) from exc
    if result.returncode != 0:
        raise CommandError(
            f"Post write hook {name!r} failed with exit code {result.returncode}: "
            f"{shlex.join(argv)}"
        )


def _find_console_script(name: str) -> importlib.metadata.EntryPoint | None:
    for entry in importlib.metadata.entry_points(group="console_scripts"):
        if entry.name == name:
            return entry
    return None


@register("console_scripts")
def console_scripts(path: str, options: Mapping[str, Any], ignore_output: bool = False,
                    verify_version: tuple[int, ...] | None = None) -> None:
    """Run the ``console_scripts`` entry point ``entrypoint`` in this interpreter."""
    name = hook_name(options)
    entrypoint = _required(options, "entrypoint")
    entry = _find_console_script(entrypoint)
    if entry is None:
        raise CommandError(
            f"Could not find entrypoint console_scripts.{entrypoint} (post write hook {name!r})"
        )
    if verify_version is not None and entry.dist is not None:
        found = tuple(int(p) for p in entry.dist.version.split(".")[:len(verify_version)]
                      if p.isdigit())
        if found < tuple(verify_version):
            raise CommandError(
                f"Post write hook {name!r}: {entry.dist.name} {entry.dist.version} is older "
                f"than {'.'.join(map(str, verify_version))}")
    call = f"import {entry.module}; {entry.module}.{entry.attr}()" if entry.attr else (
        f"import runpy; runpy.run_module({entry.module!r}, run_name='__main__')"
    )
    argv = [sys.executable, "-c", call]
    _run(name, argv + parse_cmdline_options(str(options.get("options") or ""), path), options,
         ignore_output)


@register("exec")
def exec_(path: str, options: Mapping[str, Any], ignore_output: bool = False) -> None:
    """Run the program ``executable`` (a path, or a name found on PATH)."""
    name = hook_name(options)
    executable = _required(options, "executable")
    argv = [executable] + parse_cmdline_options(str(options.get("options") or ""), path)
    _run(name, argv, options, ignore_output)


@register("module")
def module(path: str, options: Mapping[str, Any], ignore_output: bool = False) -> None:
    """Run ``python -m <module>`` with this interpreter."""
    name = hook_name(options)
    module_name = _required(options, "module")
    argv = [sys.executable, "-m", module_name]
    _run(name, argv + parse_cmdline_options(str(options.get("options") or ""), path), options,
         ignore_output)

"""Opening a file in the user's editor (Alembic's ``alembic.util.editor``)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from os.path import exists, join, splitext
from subprocess import CalledProcessError, check_call

from ..errors import CommandError

__all__ = ["open_in_editor"]


def _default_editors() -> list[str]:
    if os.name == "posix":
        return ["sensible-editor", "editor", "nano", "vim", "code"]
    return ["code.exe", "notepad++.exe", "notepad.exe"]


def _find_executable(candidate: str, environ: Mapping[str, str]) -> str | None:
    if os.name != "posix" and splitext(candidate)[1] != ".exe":
        candidate += ".exe"
    for path in environ.get("PATH", "").split(os.pathsep):
        found = join(path, candidate)
        if exists(found):
            return found
    return None


def _find_editor(environ: Mapping[str, str]) -> list[str]:
    """The editor command: ``$EDITOR``, then ``$VISUAL`` (a path, or a name looked up on
    PATH, possibly with arguments), then the usual editors found on PATH."""
    candidates: list[list[str]] = [[name] for name in _default_editors()]
    for i, var in enumerate(("EDITOR", "VISUAL")):
        choice = environ.get(var)
        if not choice:
            continue
        if exists(choice):
            return [choice]
        argv = shlex.split(choice) if choice.strip() else []
        if argv and os.sep not in argv[0]:
            candidates.insert(i, argv)
    for argv in candidates:
        found = _find_executable(argv[0], environ)
        if found is not None:
            return [found, *argv[1:]]
    raise OSError('No suitable editor found. Please set the "EDITOR" or "VISUAL" '
                  "environment variables")


def open_in_editor(filename: str, environ: Mapping[str, str] | None = None) -> None:
    """Open ``filename`` in ``$EDITOR`` / ``$VISUAL`` / a usual editor; wait for it.

    Any failure raises ``CommandError("Error executing editor (<reason>)")``.
    """
    env = os.environ if environ is None else environ
    try:
        check_call([*_find_editor(env), filename])
    except (OSError, CalledProcessError) as exc:
        raise CommandError(f"Error executing editor ({exc})") from exc

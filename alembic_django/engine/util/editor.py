"""Opening a file in the user's editor (Alembic's ``alembic.util.editor``)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping

from ..errors import CommandError

__all__ = ["open_in_editor"]


def _default_editors() -> list[str]:
    if os.name == "posix":
        return ["sensible-editor", "editor", "nano", "vim", "code"]
    return ["code.exe", "notepad++.exe", "notepad.exe"]


def _find_editor(environ: Mapping[str, str]) -> list[str]:
    """The editor command: ``$EDITOR``, ``$VISUAL``, then the usual editors on PATH."""
    path = environ.get("PATH", os.defpath)
    for var in ("EDITOR", "VISUAL"):
        choice = environ.get(var)
        if not choice:
            continue
        if os.path.exists(choice):
            return [choice]
        argv = shlex.split(choice)
        found = shutil.which(argv[0], path=path) if argv else None
        if found:
            return [found, *argv[1:]]
    for candidate in _default_editors():
        found = shutil.which(candidate, path=path)
        if found:
            return [found]
    raise OSError('No suitable editor found. Please set the "EDITOR" or "VISUAL" '
                  "environment variables")


def open_in_editor(filename: str, environ: Mapping[str, str] | None = None) -> None:
    """Open ``filename`` in ``$EDITOR`` / ``$VISUAL`` / a usual editor; wait for it.

    Any failure raises ``CommandError("Error executing editor (<reason>)")``.
    """
    env = os.environ if environ is None else environ
    try:
        subprocess.run([*_find_editor(env), filename], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise CommandError(f"Error executing editor ({exc})") from exc

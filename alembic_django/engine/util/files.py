"""Atomic file writes: a temporary file in the same directory, then ``os.replace``.

The temporary file is created with mode 0666 filtered by the process umask -- as
``open(path, "w")`` would -- so new files are 0644 under umask 022 and 0600 under 077
(``tempfile.mkstemp`` would make every file 0600).  Replacing an existing file keeps
that file's mode.
"""

from __future__ import annotations

import os
import secrets
import stat


def _create_temp(directory: str, prefix: str) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f"{prefix}{secrets.token_hex(6)}.part")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {directory}")


def write_atomic(path: str, text: str, encoding: str = "utf-8", overwrite: bool = True,
                 prefix: str = ".tmp-") -> None:
    """Write ``text`` to ``path`` so readers see either nothing or the whole file.

    With ``overwrite=False`` an existing file is never replaced (``FileExistsError``).
    """
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = _create_temp(directory, prefix)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        if overwrite:
            try:
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
            except FileNotFoundError:
                pass
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError if path exists
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

"""Atomic file writes: a temporary file in the same directory, then ``os.replace``."""

from __future__ import annotations

import os
import tempfile


def write_atomic(path: str, text: str, encoding: str = "utf-8", overwrite: bool = True) -> None:
    """Write ``text`` to ``path`` so readers see either nothing or the whole file.

    With ``overwrite=False`` an existing file is never replaced (``FileExistsError``).
    """
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError if path exists
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

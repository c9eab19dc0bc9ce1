"""Console messages for plugins and scripts (Alembic's ``alembic.util.messaging``).

The engine itself never prints (it writes through ``config.print_stdout()`` and
logging); these helpers exist because plugins and env.py files call them.  They
write to ``sys.stdout`` as looked up at call time, replacing characters the
stream's encoding cannot show.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import textwrap
import warnings
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..errors import CommandError

__all__ = ["err", "format_as_comma", "msg", "obfuscate_url_pw", "status", "warn",
           "warn_deprecated", "write_outstream"]

_log = logging.getLogger("alembic.util.messaging")


def write_outstream(stream: TextIO, *text: str | bytes, quiet: bool = False) -> None:
    """Write ``text`` to ``stream`` in one call; characters its encoding lacks become
    ``?``.  A stream without an encoding (``io.StringIO``) gets the text unchanged
    (Alembic assumes ASCII there)."""
    if quiet:
        return
    encoding = getattr(stream, "encoding", None)
    out = []
    for part in text:
        if isinstance(part, bytes):
            part = part.decode(encoding or "utf-8", "replace")
        elif encoding:
            part = part.encode(encoding, "replace").decode(encoding, "replace")
        out.append(part)
    try:
        stream.write("".join(out))
    except OSError:  # a closed pipe (e.g. `| head`): stop quietly
        pass


def _terminal_width() -> int | None:
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size((0, 0)).columns or None


#: width :func:`msg` wraps at (None: not a terminal), read once at import as Alembic does
TERMWIDTH = _terminal_width()


def msg(msg: str, newline: bool = True, flush: bool = False, quiet: bool = False) -> None:
    """Print ``msg``; on a terminal, wrapped and indented by two spaces."""
    if quiet:
        return
    width = TERMWIDTH
    end = "\n" if newline else ""
    if width is None:
        write_outstream(sys.stdout, msg, end)
    else:
        lines = textwrap.wrap(msg, width, initial_indent="  ", subsequent_indent="  ") or [""]
        for line in lines[:-1]:
            write_outstream(sys.stdout, line, "\n")
        write_outstream(sys.stdout, lines[-1], end)
    if flush:
        sys.stdout.flush()


@contextlib.contextmanager
def status(status_msg: str, newline: bool = False, quiet: bool = False) -> Iterator[None]:
    """``<status_msg> ...`` then ``  done`` (or ``  FAILED`` if the block raises)."""
    msg(status_msg + " ...", newline, flush=True, quiet=quiet)
    try:
        yield
    except BaseException:
        if not quiet:
            write_outstream(sys.stdout, "  FAILED\n")
        raise
    if not quiet:
        write_outstream(sys.stdout, "  done\n")


def err(message: str, quiet: bool = False) -> None:
    """Log and print ``FAILED: <message>``, then exit 255 (Alembic's console error)."""
    _log.error(message)
    msg(f"FAILED: {message}", quiet=quiet)
    sys.exit(-1)


def obfuscate_url_pw(input_url: str) -> str:
    """``input_url`` with its password shown as ``***``."""
    from sqlalchemy.engine import make_url

    return make_url(input_url).render_as_string(hide_password=True)


def warn(msg: str, stacklevel: int = 2) -> None:
    warnings.warn(msg, UserWarning, stacklevel=stacklevel)


def warn_deprecated(msg: str, stacklevel: int = 2) -> None:
    warnings.warn(msg, DeprecationWarning, stacklevel=stacklevel)


def format_as_comma(value: str | Iterable[str] | None) -> str:
    """``"a, b"`` for a sequence, the string itself for a string, ``""`` for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ", ".join(value)
    raise CommandError(f"Don't know how to comma-format {value!r}")



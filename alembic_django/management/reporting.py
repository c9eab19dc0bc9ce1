"""What ``manage.py alembic`` says, in Django's words and at Django's verbosity levels.

* autogenerate's ``Detected ...`` lines on standard output from verbosity 1 (the
  standalone CLI logs them, as Alembic does);
* ``revision --autogenerate`` that detects nothing says ``No changes detected`` and
  writes no file, as ``makemigrations`` does (the standalone CLI writes an empty
  revision, as Alembic does);
* a database that cannot be reached is named as such -- alias and URL, password
  masked -- instead of surfacing as a failure of ``env.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def detected_lines(diffs: Iterable[Any]) -> list[str]:
    """Alembic's ``Detected ...`` line for each diff (nested lists flattened)."""
    from ..engine.autogenerate.report import describe

    lines = []
    for diff in diffs:
        for item in diff if isinstance(diff, list) else [diff]:
            line = describe(item)
            if line:
                lines.append(line)
    return lines


class AutogenerateReport:
    """``process_revision_directives`` hook of ``manage.py alembic revision --autogenerate``:
    writes the ``Detected`` lines (verbosity >= 1) and drops a revision without operations."""

    def __init__(self, write: Any, verbosity: int) -> None:
        self.write = write
        self.verbosity = verbosity
        self.empty = False

    def __call__(self, context: Any, revision: Any, directives: list) -> None:
        containers = [ops for script in directives for ops in script.upgrade_ops_list]
        if self.verbosity >= 1:
            for ops in containers:
                for line in detected_lines(ops.as_diffs()):
                    self.write(line)
        if directives and all(ops.is_empty() for ops in containers):
            directives[:] = []
            self.empty = True


def _is_connect_failure(exc: BaseException) -> bool:
    """True when ``exc`` was raised while opening a connection (SQLAlchemy's pool or
    Django's ``ensure_connection``), not by a statement."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        path = code.co_filename.replace("\\", "/")
        if "/sqlalchemy/pool/" in path or code.co_name in (
                "_handle_dbapi_exception_noconnection", "ensure_connection", "get_new_connection"):
            return True
        tb = tb.tb_next
    return False


def connection_error(exc: BaseException, config: Any) -> str | None:
    """One line for a failure to connect somewhere in ``exc``'s causes, else None."""
    from .. import conf
    from ..engine.config import mask_password

    seen = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if _is_connect_failure(cause) and not isinstance(cause, ImportError):
            break
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return None
    alias = config.attributes.get(conf.ATTR_DATABASE) if config is not None else None
    url = config.get_main_option("sqlalchemy.url") if config is not None else None
    where = f" ({mask_password(url)})" if url else ""
    name = f"database {alias!r}" if alias else "the database"
    return (f"Cannot connect to {name}{where}: "
            f"{type(cause).__name__}: {conf.one_line_error(cause, alias)}")

"""Alembic's ``Detected ...`` INFO lines for what autogenerate found."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from ..util.logs import engine_logger


def _log() -> logging.Logger:
    return engine_logger("autogenerate.compare")


def _table(schema: Any, name: Any) -> str:
    return f"{schema}.{name}" if schema else str(name)


def describe(diff: tuple) -> str | None:
    """The line Alembic logs for one diff tuple (None for kinds it does not log)."""
    kind = diff[0]
    if kind in ("add_table", "remove_table"):
        t = diff[1]
        return f"Detected {kind.split('_')[0]}ed table '{_table(t.schema, t.name)}'".replace(
            "removeed", "removed")
    if kind in ("add_column", "remove_column"):
        verb = "added" if kind == "add_column" else "removed"
        return f"Detected {verb} column '{_table(diff[1], diff[2])}.{diff[3].name}'"
    if kind == "modify_nullable":
        what = "NULL" if diff[6] else "NOT NULL"
        return f"Detected {what} on column '{_table(diff[1], diff[2])}.{diff[3]}'"
    if kind == "modify_type":
        return (f"Detected type change from {diff[5]!r} to {diff[6]!r} on "
                f"'{_table(diff[1], diff[2])}.{diff[3]}'")
    if kind == "modify_default":
        return f"Detected server default on column '{_table(diff[1], diff[2])}.{diff[3]}'"
    if kind == "modify_comment":
        return f"Detected column comment '{_table(diff[1], diff[2])}.{diff[3]}'"
    if kind in ("add_index", "add_constraint"):
        # Alembic: "... %r on '%s'" with the tuple of column names
        obj = diff[1]
        what = "index" if kind == "add_index" else "unique constraint"
        cols = tuple(getattr(c, "name", None) or str(c)
                     for c in (obj.expressions if kind == "add_index" else obj.columns))
        return f"Detected added {what} {obj.name!r} on '{cols}'"
    if kind in ("remove_index", "remove_constraint"):
        # Alembic: "... %r on %r" with the table name
        obj = diff[1]
        what = "index" if kind == "remove_index" else "unique constraint"
        return f"Detected removed {what} {obj.name!r} on {obj.table.name!r}"
    if kind in ("add_fk", "remove_fk"):
        fk = diff[1]
        verb = "added" if kind == "add_fk" else "removed"
        src = ", ".join(c.name for c in fk.columns)
        ref = ", ".join(e.column.name if hasattr(e, "column") else str(e) for e in fk.elements)
        return (f"Detected {verb} foreign key ({src})({ref}) on table "
                f"{fk.parent.name if hasattr(fk, 'parent') and fk.parent is not None else fk.table.name}")
    if kind in ("add_table_comment", "remove_table_comment"):
        return f"Detected table comment on '{diff[1].name}'"
    return None


def log_diffs(diffs: Iterable[Any]) -> None:
    log = _log()
    if not log.isEnabledFor(logging.INFO):
        return
    for diff in diffs:
        for item in (diff if isinstance(diff, list) else [diff]):
            try:
                line = describe(item)
            except Exception:  # noqa: BLE001  (a report line must never break autogenerate)
                line = None
            if line:
                log.info(line)

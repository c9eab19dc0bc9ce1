"""Python-version helpers (Alembic's ``alembic.util.compat``)."""

from __future__ import annotations

import io
import os
import sys
import typing
from collections.abc import Iterator, Sequence
from configparser import ConfigParser
from importlib import metadata
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

#: also (loaded from SQLAlchemy on first use): inspect_formatargspec, inspect_getfullargspec
__all__ = ["EncodedIO", "EntryPoint", "formatannotation_fwdref", "importlib_metadata_get",
           "is_posix", "path_relative_to", "path_walk", "py311", "py312", "py313", "py314",
           "read_config_parser", "tomllib"]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

is_posix = os.name == "posix"
py311 = sys.version_info >= (3, 11)
py312 = sys.version_info >= (3, 12)
py313 = sys.version_info >= (3, 13)
py314 = sys.version_info >= (3, 14)


def __getattr__(name: str) -> Any:
    if name in ("inspect_getfullargspec", "inspect_formatargspec"):
        import sqlalchemy.util.compat

        return getattr(sqlalchemy.util.compat, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class EncodedIO(io.TextIOWrapper):
    """A text layer over a binary buffer that leaves the buffer open when closed."""

    def close(self) -> None:
        self.flush()


def path_walk(path: Path, *, top_down: bool = True) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``Path.walk`` on every supported Python."""
    for root, dirs, files in os.walk(path, topdown=top_down):
        yield Path(root), dirs, files


def path_relative_to(path: Path, other: Path, *, walk_up: bool = False) -> Path:
    """``path`` relative to ``other``; with ``walk_up``, through ``..`` parts if needed."""
    if not walk_up:
        return path.relative_to(other)
    return Path(os.path.relpath(path, other))


def importlib_metadata_get(group: str) -> Sequence[EntryPoint]:
    """The installed entry points of ``group``."""
    return tuple(metadata.entry_points(group=group))


def formatannotation_fwdref(annotation: Any, base_module: Any | None = None) -> str:
    """An annotation as source text (``typing.`` prefixes removed)."""
    if isinstance(annotation, str):
        return annotation
    if getattr(annotation, "__module__", None) == "typing":
        return repr(annotation).replace("typing.", "").replace("~", "")
    if isinstance(annotation, type):
        if annotation.__module__ in ("builtins", base_module):
            return repr(annotation.__qualname__)
        return f"{annotation.__module__}.{annotation.__qualname__}"
    if isinstance(annotation, typing.TypeVar):
        return repr(annotation).replace("~", "")
    return repr(annotation).replace("~", "")


def read_config_parser(file_config: ConfigParser,
                       file_argument: list[str | os.PathLike[str]]) -> list[str]:
    """``file_config.read(...)`` in the locale's encoding (as ``open()`` reads)."""
    return file_config.read(file_argument, encoding="locale")

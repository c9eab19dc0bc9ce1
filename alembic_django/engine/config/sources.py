"""The three configuration sources: an ini section, ``[tool.alembic]`` and a mapping.

Each source answers ``get(key) -> (value, origin)`` or ``None`` and can list the
keys it holds.  Values keep the type the source stores them in: ini values are
strings (after configparser interpolation), TOML values are strings, lists,
booleans or tables (after ``%``-interpolation of strings), mapping values are
whatever Python object the caller put there.
"""

from __future__ import annotations

import configparser
import os
import sys
from typing import Any

from ..errors import ConfigError

_MISSING = object()


class IniSource:
    """One section of an alembic.ini file, with ``[DEFAULT]`` inheritance."""

    def __init__(self, path: str | None, section: str, config_args: dict[str, str]) -> None:
        self.path = path
        self.section = section
        here = os.path.dirname(os.path.abspath(path)) if path else ""
        self.parser = configparser.ConfigParser({"here": here, **config_args})
        self.loaded = False
        if path is not None and os.path.exists(path):
            try:
                self.parser.read([path], encoding="utf-8")
            except configparser.Error as exc:
                raise ConfigError(f"{path}: cannot parse: {_one_line(exc)}") from exc
            self.loaded = True
        self._default_keys = {"here", *config_args}

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else "<ini>"

    def has_section(self, section: str | None = None) -> bool:
        return self.parser.has_section(section or self.section)

    def origin(self, key: str, section: str | None = None) -> str:
        section = section or self.section
        if self.parser.has_section(section) and key in self.parser._sections[section]:  # type: ignore[attr-defined]
            return f"{self.name} [{section}]"
        return f"{self.name} [DEFAULT]"

    def get(self, key: str, section: str | None = None) -> Any:
        section = section or self.section
        if not self.parser.has_section(section) or not self.parser.has_option(section, key):
            return _MISSING
        try:
            return self.parser.get(section, key)
        except configparser.Error as exc:
            raise ConfigError(
                f"{self.path} [{section}] {key}: bad interpolation: {_one_line(exc)}"
            ) from exc

    def keys(self, section: str | None = None) -> list[str]:
        section = section or self.section
        if not self.parser.has_section(section):
            return []
        return [k for k in self.parser.options(section) if k not in self._default_keys]


class TomlSource:
    """``[tool.alembic]`` of a pyproject.toml, ``%``-interpolated with ``here``."""

    def __init__(self, path: str | None, config_args: dict[str, str]) -> None:
        self.path = path
        self.data: dict[str, Any] = {}
        self.loaded = False
        if path is None or not os.path.exists(path):
            return
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot parse: {_one_line(exc)}") from exc
        section = raw.get("tool", {}).get("alembic")
        if section is None:
            return
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.alembic] must be a table")
        here = os.path.dirname(os.path.abspath(path))
        subst = {"here": here, **config_args}
        self.data = {k: self._interpolate(k, v, subst) for k, v in section.items()}
        self.loaded = True

    def _interpolate(self, key: str, value: Any, subst: dict[str, str]) -> Any:
        if isinstance(value, str):
            try:
                return value % subst
            except (KeyError, ValueError, TypeError) as exc:
                raise ConfigError(
                    f"{self.path} [tool.alembic] {key}: bad interpolation in {value!r}: "
                    f"{_one_line(exc)} (write a literal % as %%)"
                ) from exc
        if isinstance(value, list):
            return [self._interpolate(key, v, subst) for v in value]
        if isinstance(value, dict):
            return {k: self._interpolate(key, v, subst) for k, v in value.items()}
        return value

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else "pyproject.toml"

    def origin(self, key: str) -> str:
        return f"{self.name} [tool.alembic]"

    def get(self, key: str) -> Any:
        return self.data.get(key, _MISSING)

    def keys(self) -> list[str]:
        return list(self.data)


class MappingSource:
    """A plain mapping of keys to Python values (what Django settings pass).

    ``origin`` names where the values come from; ``key_origins`` may name another
    origin for some keys (Django: ``sqlalchemy.url`` comes from ``settings.DATABASES``).
    """

    def __init__(self, mapping: dict[str, Any] | None, origin: str,
                 key_origins: dict[str, str] | None = None) -> None:
        self.data = {k: v for k, v in (mapping or {}).items() if v is not None}
        self.origin_name = origin
        self.key_origins = dict(key_origins or {})
        self.loaded = bool(mapping)

    def origin(self, key: str) -> str:
        return self.key_origins.get(key, self.origin_name)

    def origins(self) -> list[str]:
        """The distinct origins of the keys present, in first-seen order."""
        found: dict[str, None] = {}
        for key in self.data:
            found.setdefault(self.origin(key), None)
        return list(found)

    def get(self, key: str) -> Any:
        return self.data.get(key, _MISSING)

    def keys(self) -> list[str]:
        return list(self.data)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


MISSING = _MISSING

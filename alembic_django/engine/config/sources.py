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
import re
import sys
from typing import Any

from ..errors import ConfigError
from ..util.masking import mask_password

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
            except (configparser.Error, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot parse: {_ini_parse_error(exc)}") from None
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
        except (configparser.Error, ValueError) as exc:
            raw = self.parser.get(section, key, raw=True)
            raise ConfigError(
                f"{self.path} [{section}] {key}: bad interpolation: "
                f"{_interpolation_error(exc, raw)}"
            ) from None

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
        except (OSError, ValueError) as exc:  # TOMLDecodeError and UnicodeDecodeError too
            raise ConfigError(f"{path}: cannot parse: {mask_password(_one_line(exc))}") from None
        tool = raw.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: [tool] must be a table")
        section = tool.get("alembic")
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
                    f"{self.path} [tool.alembic] {key}: bad interpolation: "
                    f"{_interpolation_error(exc, value)}"
                ) from None
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


def _ini_parse_error(exc: BaseException) -> str:
    """Why an ini file cannot be read, without quoting its lines (they may hold a password)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start})"
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno}: a key before the first [section] header"
    if isinstance(exc, configparser.ParsingError):
        lines = ", ".join(str(n) for n, _ in getattr(exc, "errors", ()))
        return (f"line {lines or '?'}: not 'key = value', a [section] header, a comment or "
                "an indented continuation")
    return mask_password(_one_line(exc))


def _interpolation_error(exc: BaseException, raw: str) -> str:
    """The detail of a ``%``-interpolation error, never quoting the value.

    When the failing ``%`` sits inside a part :func:`mask_password` hides (a password),
    say so instead of naming it: the detail is worked out on the masked value.
    """
    masked = mask_password(raw)
    hidden = "a '%' in the (hidden) password must be written as %%"
    hint = " (write a literal % as %%)"
    ref = None
    if isinstance(exc, configparser.InterpolationMissingOptionError):
        ref = exc.reference
    elif isinstance(exc, KeyError) and exc.args:
        ref = str(exc.args[0])
    if ref is not None:
        if f"%({ref.lower()})" in masked.lower():
            return f"unknown interpolation key %({ref})s{hint}"
        return hidden
    if isinstance(exc, configparser.InterpolationDepthError):
        return "recursion limit exceeded (a value refers to itself)"
    if masked != raw and _interpolates(masked):
        return hidden
    return "'%' must be followed by '%' or '('" + hint


def _interpolates(value: str) -> bool:
    """True when ``value`` has no malformed ``%`` (names need not exist)."""
    rest = re.sub(r"%%|%\([^()%]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]", "", value)
    return "%" not in rest


MISSING = _MISSING

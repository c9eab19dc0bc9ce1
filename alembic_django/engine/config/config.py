"""``Config``: one merged view over alembic.ini, ``[tool.alembic]`` and a mapping.

Precedence, highest first: the **mapping** (Django's ``settings.ALEMBIC[name]`` or a
caller's dict) → the **ini** section chosen with ``-n/--name`` (with ``[DEFAULT]``
inheritance) → **pyproject.toml** ``[tool.alembic]`` → built-in defaults.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from argparse import Namespace
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any, TextIO

from ..errors import ConfigError
from ..util.masking import mask_password  # noqa: F401 - re-exported: the one masking function
from .sources import MISSING, IniSource, MappingSource, TomlSource

DEFAULTS: dict[str, Any] = {
    "file_template": "%(rev)s_%(slug)s",
    "truncate_slug_length": 40,
    "output_encoding": "utf-8",
    "path_separator": None,
}

#: keys that hold lists of paths
LIST_KEYS = ("version_locations", "prepend_sys_path")

PATH_SEPARATORS = {
    "os": os.pathsep,
    ":": ":",
    ";": ";",
    "space": " ",
    "newline": "\n",
}

def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(_as_text(v) for v in value)
    if isinstance(value, PurePath):
        return str(value)
    return str(value)


class Config:
    """Configuration for one migration environment (Alembic's ``Config`` surface)."""

    def __init__(
        self,
        file_: str | os.PathLike | None = None,
        toml_file: str | os.PathLike | None = None,
        ini_section: str = "alembic",
        output_buffer: TextIO | None = None,
        stdout: TextIO | None = None,
        cmd_opts: Namespace | None = None,
        config_args: Mapping[str, Any] | None = None,
        attributes: dict[str, Any] | None = None,
        *,
        mapping: dict[str, Any] | None = None,
        mapping_origin: str = "mapping",
        mapping_origins: dict[str, str] | None = None,
    ) -> None:
        self.config_file_name = os.fspath(file_) if file_ is not None else None
        self.toml_file_name = os.fspath(toml_file) if toml_file is not None else None
        self.config_ini_section = ini_section
        self.output_buffer = output_buffer
        self._stdout = stdout
        self.cmd_opts = cmd_opts
        self.config_args = dict(config_args or {})
        self.toml_args = dict(config_args or {})
        self.attributes: dict[str, Any] = attributes if attributes is not None else {}
        self._mapping = MappingSource(mapping, mapping_origin, mapping_origins)
        self._ini: IniSource | None = None
        self._ini_shared = False  # a derived copy reads its origin's parser until it writes
        self._toml: TomlSource | None = None

    def derive(self, *, cmd_opts: Namespace | None = None, attributes: dict[str, Any] | None = None,
               stdout: TextIO | None = None, output_buffer: TextIO | None = None,
               options: dict[str, Any] | None = None) -> Config:
        """An independent copy for one run among many (a fleet target).

        The copy has its own ini parser once it writes to it (so env.py's
        ``set_main_option`` stays in its run: copy on write), its own mapping with ``options`` on top (highest precedence) and the given
        ``cmd_opts`` / ``attributes`` / ``stdout`` / ``output_buffer``; the parsed
        pyproject.toml is shared (nothing writes to it).
        """
        import copy

        clone = copy.copy(self)
        clone._ini = self.ini_source
        clone._ini_shared = True
        clone._toml = self.toml_source
        clone._mapping = MappingSource({**self._mapping.data, **(options or {})},
                                       self._mapping.origin_name)
        clone._mapping.loaded = self._mapping.loaded
        clone.cmd_opts = cmd_opts if cmd_opts is not None else copy.copy(self.cmd_opts)
        clone.attributes = dict(self.attributes if attributes is None else attributes)
        clone.config_args = dict(self.config_args)
        clone._stdout = stdout if stdout is not None else self._stdout
        clone.output_buffer = output_buffer
        return clone

    @property
    def _config_file_path(self) -> Path | None:
        return Path(self.config_file_name) if self.config_file_name is not None else None

    @property
    def _toml_file_path(self) -> Path | None:
        return Path(self.toml_file_name) if self.toml_file_name is not None else None

    @property
    def stdout(self) -> TextIO:
        return self._stdout if self._stdout is not None else sys.stdout

    @stdout.setter
    def stdout(self, value: TextIO) -> None:
        self._stdout = value

    # -- sources -------------------------------------------------------------
    @property
    def file_config(self):
        """The ``configparser.ConfigParser`` of the ini file (empty when there is none)."""
        if self._ini_shared:  # the caller may write to it: this copy gets its own first
            import copy

            self._ini = copy.deepcopy(self._ini)
            self._ini_shared = False
        return self.ini_source.parser

    @property
    def ini_source(self) -> IniSource:
        if self._ini is None:
            if self.config_file_name:  # as Alembic: config_args gains the ini's directory
                self.config_args["here"] = Path(self.config_file_name).absolute().parent \
                    .as_posix()
            args = {k: v for k, v in self.config_args.items() if k != "here"}
            self._ini = IniSource(self.config_file_name, self.config_ini_section, args)
        return self._ini

    @property
    def toml_source(self) -> TomlSource:
        if self._toml is None:
            self._toml = TomlSource(self.toml_file_name, self.config_args)
        return self._toml

    @property
    def toml_alembic_config(self) -> dict[str, Any]:
        return self.toml_source.data

    def known_secrets(self) -> list[str]:
        """The passwords this configuration holds, for the ``secrets`` of
        :func:`~alembic_django.engine.util.masking.mask_password`.

        Read from the raw (uninterpolated) ini text and from the mapping and
        ``[tool.alembic]`` values: the password of every URL-like value and the value
        of every password-like key.  A source that cannot be read adds nothing.
        """
        from ..util.masking import is_secret_key, url_password

        values: list[tuple[str, Any]] = []
        try:
            parser = self.ini_source.parser
            for section in parser.sections():
                values.extend((k, parser.get(section, k, raw=True)) for k in parser.options(section))
        except ConfigError:
            pass
        try:
            values.extend((k, self.toml_source.get(k)) for k in self.toml_source.keys())
        except ConfigError:
            pass
        values.extend((k, self._mapping.get(k)) for k in self._mapping.keys())
        found: list[str] = []
        for key, value in values:
            if not isinstance(value, str) or not value:
                continue
            if is_secret_key(key):
                found.append(value)
            password = url_password(value)
            if password:
                found.append(password)
        return found

    def has_source(self) -> bool:
        """True when at least one source holds this environment's section."""
        return bool(
            self._mapping.loaded
            or (self.ini_source.loaded and self.ini_source.has_section())
            or self.toml_source.loaded
        )

    def _lookup(self, name: str) -> tuple[Any, str]:
        for source in (self._mapping, self.ini_source, self.toml_source):
            value = source.get(name)
            if value is not MISSING:
                return value, source.origin(name)
        if name in DEFAULTS and DEFAULTS[name] is not None:
            return DEFAULTS[name], "default"
        return MISSING, ""

    def origin_of(self, name: str) -> str | None:
        value, origin = self._lookup(name)
        return None if value is MISSING else origin

    # -- Alembic's public surface ----------------------------------------------
    def get_main_option(self, name: str, default: str | None = None) -> str | None:
        """The merged value of ``name`` as a string (mapping, then ini, then TOML)."""
        for source in (self._mapping, self.ini_source):
            value = source.get(name)
            if value is not MISSING:
                return _as_text(value)
        value = self.toml_source.get(name)
        if value is not MISSING and not isinstance(value, (dict, list)):
            return _as_text(value)
        return default

    def set_main_option(self, name: str, value: str) -> None:
        """Set an option in the main section (``%`` must be escaped as ``%%``)."""
        self.set_section_option(self.config_ini_section, name, value)
        self._mapping.data.pop(name, None)

    def remove_main_option(self, name: str) -> None:
        self.file_config.remove_option(self.config_ini_section, name)

    def get_section(self, name: str, default: dict | None = None) -> dict[str, str] | None:
        """A section as a dict; the main section is the merged view of all sources."""
        if name == self.config_ini_section:
            merged: dict[str, str] = {}
            for key in self.toml_source.keys():
                value = self.toml_source.get(key)
                if not isinstance(value, (dict, list)):
                    merged[key] = _as_text(value)
            if self.ini_source.has_section(name):
                for key in self.ini_source.keys(name):
                    merged[key] = self.ini_source.get(key, name)
            for key in self._mapping.keys():
                merged[key] = _as_text(self._mapping.get(key))
            if not merged and default is not None:
                return default
            return merged if (merged or self.has_source()) else default
        if not self.ini_source.has_section(name):
            return default
        return {k: self.ini_source.get(k, name) for k in self.ini_source.keys(name)}

    def get_section_option(self, section: str, name: str, default: str | None = None) -> str | None:
        if not self.ini_source.has_section(section):
            raise ConfigError(
                f"No config file {self.config_file_name!r} found, or file has no '[{section}]' section"
            )
        value = self.ini_source.get(name, section)
        return default if value is MISSING else value

    def set_section_option(self, section: str, name: str, value: str) -> None:
        parser = self.file_config
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, name, value)

    def get_alembic_option(self, name: str, default: Any = None) -> Any:
        """The merged value of ``name``, typed as its source stores it."""
        value, _ = self._lookup(name)
        return default if value is MISSING else value

    def get_alembic_boolean_option(self, name: str, default: bool = False) -> bool:
        value, origin = self._lookup(name)
        if value is MISSING:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("true", "yes", "on", "1"):
                return True
            if text in ("false", "no", "off", "0", ""):
                return False
        raise ConfigError(f"{origin}: {name} must be true or false, not {value!r}")

    def get_alembic_int_option(self, name: str, default: int | None = None) -> int | None:
        value, origin = self._lookup(name)
        if value is MISSING or value == "":
            return default
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ConfigError(f"{origin}: {name} must be an integer, not {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            raise ConfigError(f"{origin}: {name} must be an integer, not {value!r}") from None

    def _separator(self, name: str) -> str | None:
        """The separator for list option ``name`` (None: legacy space/comma split)."""
        value, origin = self._lookup("path_separator")
        key = "path_separator"
        if value is MISSING or value is None:
            if name == "version_locations":
                value, origin = self._lookup("version_path_separator")
                key = "version_path_separator"
            if value is MISSING or value is None:
                return None
        text = str(value)
        if text not in PATH_SEPARATORS:
            raise ConfigError(
                f"{origin}: {key} has invalid value {text!r}; expected one of "
                "os, ':', ';', space, newline"
            )
        return PATH_SEPARATORS[text]

    def get_alembic_list_option(self, name: str) -> list[str]:
        """A list option: TOML / mapping lists as given, ini strings split per path_separator."""
        value, origin = self._lookup(name)
        if value is MISSING or value is None:
            return []
        if isinstance(value, (list, tuple)):
            return [os.fspath(v) if isinstance(v, PurePath) else str(v) for v in value]
        if isinstance(value, PurePath):
            return [os.fspath(value)]
        if not isinstance(value, str):
            raise ConfigError(f"{origin}: {name} must be a list of paths, not {value!r}")
        text = str(value)
        sep = self._separator(name)
        if sep is None:
            parts = re.split(r", *|(?: +)", text)
            if len(parts) > 1:
                warnings.warn(
                    f"{origin}: no path_separator is set; splitting {name} on spaces and "
                    "commas (set path_separator = os in the ini to silence this)",
                    DeprecationWarning,
                    stacklevel=2,
                )
        elif sep == "\n":
            parts = text.splitlines()
        else:
            parts = text.split(sep)
        return [p.strip() for p in parts if p.strip()]

    def get_version_locations_list(self) -> list[str] | None:
        """``version_locations`` as a list (None when not set)."""
        return self.get_alembic_list_option("version_locations") or None

    def get_prepend_sys_paths_list(self) -> list[str] | None:
        """``prepend_sys_path`` as a list (None when not set)."""
        return self.get_alembic_list_option("prepend_sys_path") or None

    def get_hooks_list(self) -> list[dict[str, Any]]:
        """The post-write hooks: dicts of their keys plus ``_hook_name`` (from the ini
        ``[post_write_hooks]`` section, ``[[tool.alembic.post_write_hooks]]`` or a
        mapping's ``post_write_hooks`` list)."""
        value = self.get_alembic_option("post_write_hooks")
        if isinstance(value, (list, tuple)):
            hooks = []
            for i, item in enumerate(value):
                if not isinstance(item, dict) or "name" not in item:
                    raise ConfigError(f"{self.origin_of('post_write_hooks')}: "
                                      f"post_write_hooks[{i}] needs a 'name'")
                opts = {k: str(v) for k, v in item.items() if k != "name"}
                opts["_hook_name"] = str(item["name"])
                hooks.append(opts)
            return hooks
        section = self.get_section("post_write_hooks") if self.ini_source.loaded else None
        hooks = []
        for name in re.split(r"[,\s]+", (section or {}).get("hooks", "")):
            if not name:
                continue
            prefix = name + "."
            opts = {k[len(prefix):]: v for k, v in section.items() if k.startswith(prefix)}
            opts["_hook_name"] = name
            hooks.append(opts)
        return hooks

    @property
    def messaging_opts(self) -> dict[str, Any]:
        """``{"quiet": <-q given>}`` (what Alembic's messaging helpers take)."""
        return {"quiet": bool(getattr(self.cmd_opts, "quiet", False))}

    def print_stdout(self, text: str, *arg: Any) -> None:
        """Write a line of command output unless ``-q/--quiet`` was given (characters the
        output's encoding cannot show are replaced, as Alembic does)."""
        if getattr(self.cmd_opts, "quiet", False):
            return
        from ..util.messaging import write_outstream

        out = (str(text) % arg) if arg else str(text)
        write_outstream(self.stdout, out, "\n")

    def get_template_directory(self) -> str:
        """The directory holding the environment templates shipped with the package."""
        return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")

    # -- for the ``config`` command ------------------------------------------------
    def effective_options(self) -> list[tuple[str, Any, str]]:
        """Every effective key, its value and where it came from, sorted by key."""
        keys: dict[str, None] = {}
        for source_keys in (self._mapping.keys(), self.ini_source.keys(), self.toml_source.keys()):
            for key in source_keys:
                keys.setdefault(key, None)
        for key, value in DEFAULTS.items():
            if value is not None:
                keys.setdefault(key, None)
        rows = []
        for key in sorted(keys):
            value, origin = self._lookup(key)
            if value is not MISSING:
                rows.append((key, value, origin))
        return rows

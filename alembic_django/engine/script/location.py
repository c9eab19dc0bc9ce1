"""Turn a :class:`Config` into the options of a :class:`ScriptDirectory`."""

from __future__ import annotations

import os
from typing import Any

from ..errors import ConfigError


def _where(config: Any, key: str) -> str:
    origin = config.origin_of(key)
    return origin or (config.config_file_name or "configuration")


def resolve_script_location(config: Any) -> str:
    """The absolute directory of ``script_location`` (path, ``%(here)s/…`` or ``pkg:res``)."""
    value = config.get_alembic_option("script_location")
    if value is None or str(value).strip() == "":
        sources = [s for s in (config.config_file_name, config.toml_file_name) if s]
        where = " or ".join(sources) if sources else "configuration"
        raise ConfigError(f"No 'script_location' key found in configuration ({where}).")
    location = os.fspath(value) if hasattr(value, "__fspath__") else str(value)
    if ":" in location and not os.path.isabs(location) and not _is_windows_drive(location):
        package, resource = location.split(":", 1)
        import importlib.util

        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            raise ConfigError(
                f"{_where(config, 'script_location')}: script_location {location!r}: "
                f"no package {package!r}"
            )
        location = os.path.join(list(spec.submodule_search_locations)[0], resource)
    location = os.path.abspath(os.path.expanduser(location))
    if not os.path.isdir(location):
        raise ConfigError(
            f"Path doesn't exist: {location} (script_location in "
            f"{_where(config, 'script_location')}).  Please use the 'init' command to "
            "create a new scripts folder."
        )
    return location


def _is_windows_drive(path: str) -> bool:
    return len(path) > 1 and path[1] == ":" and path[0].isalpha()


def post_write_hooks(config: Any) -> list[dict[str, Any]]:
    """The post-write hooks of ``config`` (``Config.get_hooks_list``), each with a type."""
    hooks = config.get_hooks_list()
    for hook in hooks:
        if "type" not in hook:
            name = hook["_hook_name"]
            raise ConfigError(
                f"{config.config_file_name} [post_write_hooks]: key {name}.type is required"
            )
    return hooks


def script_directory_options(config: Any) -> dict[str, Any]:
    truncate = config.get_alembic_int_option("truncate_slug_length", 40)
    version_locations = config.get_alembic_list_option("version_locations") or None
    return {
        "dir": resolve_script_location(config),
        "file_template": str(config.get_alembic_option("file_template", "%(rev)s_%(slug)s")),
        "truncate_slug_length": truncate,
        "sourceless": _strict_bool(config, "sourceless"),
        "output_encoding": str(config.get_alembic_option("output_encoding", "utf-8")),
        "version_locations": version_locations,
        "timezone": (str(config.get_alembic_option("timezone")).strip() or None)
        if config.get_alembic_option("timezone") is not None else None,
        "hooks": post_write_hooks(config),
        "recursive_version_locations": _strict_bool(config, "recursive_version_locations"),
    }


def _strict_bool(config: Any, key: str) -> bool:
    value = config.get_alembic_option(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false", ""):
        return text == "true"
    raise ConfigError(f"{_where(config, key)}: {key} must be true or false, not {value!r}")

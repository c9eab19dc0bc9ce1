"""Resolving a ``target_metadata`` setting into MetaData (stdlib only; no SQLAlchemy
import needed here, the objects come from the user's modules)."""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import ConfigError


def resolve_target_metadata(value: Any) -> Any:
    """A MetaData (or a list of them) from a ``target_metadata`` setting.

    Accepts a MetaData, a callable returning one (or a list), a
    ``"package.module:attribute"`` string naming one of those, or a list of any of
    these; None stays None.
    """
    if isinstance(value, (list, tuple)):
        resolved: list = []
        for item in value:
            item = resolve_target_metadata(item)
            if isinstance(item, (list, tuple)):
                resolved.extend(item)
            elif item is not None:
                resolved.append(item)
        return resolved
    if isinstance(value, str):
        spec = value.strip()
        if not spec:
            return None
        module_name, sep, attribute = spec.partition(":")
        if not sep or not module_name or not attribute:
            raise ConfigError(
                f"target_metadata {spec!r} must be 'module:attribute' "
                "(e.g. 'myproject.models:metadata')"
            )
        try:
            value = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigError(
                f"target_metadata {spec!r}: cannot import module {module_name!r}: {exc}"
            ) from exc
        for part in attribute.split("."):
            try:
                value = getattr(value, part)
            except AttributeError:
                raise ConfigError(
                    f"target_metadata {spec!r}: {module_name!r} has no attribute {attribute!r}"
                ) from None
    if callable(value) and not hasattr(value, "tables"):
        value = value()
    return value

"""Autogenerate plugins (Alembic's ``alembic.runtime.plugins``).

A :class:`Plugin` is a named bundle of comparison functions.  Every plugin
registers itself in :data:`_all_plugins`; an :class:`~.context.AutogenContext`
starts from the global ``comparators`` registry (third-party ``dispatch_for``
registrations) and adds the comparators of the plugins that its
``autogenerate_plugins`` option selects (default ``["alembic.autogenerate.*"]``:
the built-in comparisons).  Names may use ``*`` for one or more dotted parts and
``~name`` to exclude.

Third-party plugins are found through the ``alembic.plugins`` entry point group:
the entry point names a module whose ``setup(plugin)`` is called once.
"""

from __future__ import annotations

import functools
import logging
import re
import types
from collections.abc import Callable
from importlib import metadata
from typing import Any

from ..errors import CommandError
from ..util.langhelpers import DispatchPriority, PriorityDispatcher, PriorityDispatchResult
from ..util.messaging import warn_deprecated

__all__ = ["DispatchPriority", "Plugin", "PriorityDispatchResult", "PriorityDispatcher"]

log = logging.getLogger("alembic.runtime.plugins")

#: every plugin set up in this process, by name (registration order is run order)
_all_plugins: dict[str, Plugin] = {}

#: old names that still select the plugin they were renamed to
_legacy_plugin_names = {
    "alembic.autogenerate.checkconstraint_byname": "alembic.ext.checkconstraint_byname",
}


class Plugin:
    """A named collection of autogenerate comparators."""

    def __init__(self, name: str) -> None:
        if name in _all_plugins:
            raise ValueError(f"A plugin named {name} is already registered")
        log.info("setup plugin %s", name)
        self.name = name
        self.autogenerate_comparators = PriorityDispatcher()
        _all_plugins[name] = self

    def remove(self) -> None:
        """Unregister this plugin."""
        del _all_plugins[self.name]

    def add_autogenerate_comparator(
        self,
        fn: Callable[..., Any],
        compare_target: str,
        compare_element: str | None = None,
        *,
        qualifier: str = "default",
        priority: DispatchPriority = DispatchPriority.MEDIUM,
    ) -> None:
        """Run ``fn`` when autogenerate compares ``compare_target`` (``"autogenerate"``,
        ``"schema"``, ``"table"``, ``"column"``), in subgroup ``compare_element``."""
        self.autogenerate_comparators.dispatch_for(
            compare_target, subgroup=compare_element, priority=priority, qualifier=qualifier,
        )(fn)

    @classmethod
    def populate_autogenerate_priority_dispatch(cls, comparators: PriorityDispatcher,
                                                include_plugins: list[str]) -> None:
        """Add to ``comparators`` the functions of the plugins ``include_plugins`` selects."""
        include: dict[str, re.Pattern[str]] = {}
        exclude: list[re.Pattern[str]] = []
        for expr in include_plugins:
            if expr.startswith("~"):
                exclude.append(_make_re(_translate_legacy_name(expr[1:])))
            else:
                include[expr] = _make_re(_translate_legacy_name(expr))
        matched: set[str] = set()
        for plugin in _all_plugins.values():
            if any(pattern.match(plugin.name) for pattern in exclude):
                continue
            hits = [expr for expr, pattern in include.items() if pattern.match(plugin.name)]
            if not hits:
                continue
            matched.update(hits)
            log.info("setting up autogenerate plugin %s", plugin.name)
            comparators.populate_with(plugin.autogenerate_comparators)
        missing = [expr for expr in include if expr not in matched]
        if missing:
            raise CommandError(f"Did not locate plugins: {', '.join(missing)}")

    @classmethod
    def setup_plugin_from_module(cls, module: types.ModuleType, name: str) -> None:
        """Create the plugin ``name`` and call ``module.setup(plugin)``."""
        module.setup(Plugin(name))


def _translate_legacy_name(name: str) -> str:
    """The current name of a renamed plugin (wildcards are never translated)."""
    return _legacy_plugin_names.get(name, name)


def _make_re(name: str) -> re.Pattern[str]:
    """A regex for a plugin expression: dotted identifiers, ``*`` for one or more parts."""
    parts = []
    for token in name.split("."):
        if token == "*":
            parts.append(r".+?")
        elif token.isidentifier():
            parts.append(re.escape(token))
        else:
            raise ValueError(f"Invalid plugin expression {name!r}")
    return re.compile("^" + r"\.".join(parts) + "$")


def _setup() -> None:
    """Set up the plugins published through the ``alembic.plugins`` entry points
    (each once; the ``alembic`` namespace is active while their modules import)."""
    from ..util.modules import NAMESPACE

    for ep in metadata.entry_points(group="alembic.plugins"):
        if ep.name in _all_plugins:
            continue
        with NAMESPACE.activated():
            loaded = ep.load()
        if isinstance(loaded, types.ModuleType):
            Plugin.setup_plugin_from_module(loaded, ep.name)
            continue
        warn_deprecated(
            f"Plugin entrypoint {ep.name!r} refers to a collection of modules; the "
            "entrypoint should refer to a single plugin module that includes a setup() "
            "function."
        )
        for module in loaded:
            Plugin.setup_plugin_from_module(module, ep.name)


@functools.cache
def setup_entry_point_plugins() -> None:
    """:func:`_setup` once per process (the first autogenerate run calls it)."""
    _setup()

"""Registrations a plugin made into a *real* Alembic before our run.

Plugins (alembic-utils, alembic-postgresql-enum, external dialects ...) register
operations, comparators, renderers, plugins, write hooks and DDL impls into the
``alembic`` they import.  When the real Alembic was imported before our run, those
registrations live in its registries, which this engine never reads: autogenerate
would write an empty revision and ``check`` would pass.  Adopting them is not safe
either (the plugin's code tests ``isinstance`` against the real Alembic's classes).
So activation refuses, naming the modules, and says how to load the plugin on this
engine instead.

The real Alembic is read by duck typing (its registries' shapes of 1.x), never
imported: only modules already in ``sys.modules`` are looked at.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import CommandError


def _module_of(obj: Any) -> str | None:
    module = getattr(obj, "__module__", None)
    if module is None and isinstance(obj, tuple) and obj:
        return _module_of(obj[0])
    return module if isinstance(module, str) else None


def _foreign(module: str | None) -> bool:
    return bool(module) and module not in ("alembic", "builtins") and \
        not module.startswith("alembic.")


def _registry_values(dispatcher: Any) -> Iterable[Any]:
    registry = getattr(dispatcher, "_registry", None)
    if not isinstance(registry, Mapping):
        return ()
    out: list[Any] = []
    for key, value in registry.items():
        if isinstance(key, tuple) and key and isinstance(key[0], type):
            out.append(key[0])  # an op class keyed in a Dispatcher
        if isinstance(value, list):
            out.extend(item[0] if isinstance(item, tuple) else item for item in value)
        else:
            out.append(value)
    return out


def _scan(real: Mapping[str, types.ModuleType]) -> dict[str, set[str]]:
    """``{kind: {module, ...}}`` for every non-Alembic registration found."""
    found: dict[str, set[str]] = {}

    def note(kind: str, objs: Iterable[Any]) -> None:
        for obj in objs:
            module = _module_of(obj)
            if _foreign(module):
                found.setdefault(kind, set()).add(module)  # type: ignore[arg-type]

    base = real.get("alembic.operations.base")
    ops_cls = getattr(base, "Operations", None)
    if ops_cls is not None:
        note("operations", _registry_values(getattr(ops_cls, "_to_impl", None)))
    compare = real.get("alembic.autogenerate.compare")
    note("autogenerate comparators", _registry_values(getattr(compare, "comparators", None)))
    render = real.get("alembic.autogenerate.render")
    note("autogenerate renderers", _registry_values(getattr(render, "renderers", None)))
    plugins = real.get("alembic.runtime.plugins")
    for plugin in (getattr(plugins, "_all_plugins", None) or {}).values():
        name = getattr(plugin, "name", "")
        fns = list(_registry_values(getattr(plugin, "autogenerate_comparators", None)))
        if _foreign(name) or any(_foreign(_module_of(fn)) for fn in fns):
            note("plugins", fns or [types.SimpleNamespace(__module__=name)])
    hooks = real.get("alembic.script.write_hooks")
    note("post-write hooks", (getattr(hooks, "_registry", None) or {}).values())
    impl = real.get("alembic.ddl.impl")
    note("DDL implementations", (getattr(impl, "_impls", None) or {}).values())
    return found


def check_foreign_registrations(real: Mapping[str, types.ModuleType]) -> None:
    """Raise CommandError when a plugin registered into the real Alembic ``real``."""
    if "alembic" not in real:
        return
    found = _scan(real)
    if not found:
        return
    parts = [f"{kind} from {', '.join(sorted(mods))}" for kind, mods in sorted(found.items())]
    raise CommandError(
        "the real Alembic was imported before this run and has "
        + "; ".join(parts)
        + " registered into it, which alembic-django would not run; let those modules be "
        "imported by env.py in a process that has not imported alembic, or call "
        "alembic_django.namespace.install() before anything imports alembic"
    )

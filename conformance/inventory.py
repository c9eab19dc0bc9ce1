"""Derive the public API list of Alembic 1.20 from the real Alembic (run once).

Run with an interpreter that has the real Alembic installed::

    /tmp/alvenv/bin/python conformance/inventory.py > tests/data/alembic_api.json

It lists, for every module Alembic documents (``docs/build/api``) or that the
common plugins import, the public names defined by Alembic in that module (or
re-exported through ``__all__`` / Alembic's own ``X as X`` re-exports), and for
callables the parameters Alembic declares.  ``tests/test_namespace_api.py``
walks the list through :mod:`alembic_django.namespace`.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys

MODULES = [
    "alembic", "alembic.command", "alembic.config", "alembic.context", "alembic.op",
    "alembic.environment", "alembic.migration",
    "alembic.autogenerate", "alembic.autogenerate.api", "alembic.autogenerate.render",
    "alembic.autogenerate.rewriter", "alembic.autogenerate.compare",
    "alembic.ddl", "alembic.ddl.base", "alembic.ddl.impl", "alembic.ddl.sqlite",
    "alembic.ddl.postgresql", "alembic.ddl.mysql", "alembic.ddl.mssql", "alembic.ddl.oracle",
    "alembic.operations", "alembic.operations.base", "alembic.operations.ops",
    "alembic.operations.schemaobj", "alembic.operations.toimpl", "alembic.operations.batch",
    "alembic.runtime", "alembic.runtime.environment", "alembic.runtime.migration",
    "alembic.runtime.plugins",
    "alembic.script", "alembic.script.base", "alembic.script.revision",
    "alembic.script.write_hooks",
    "alembic.util", "alembic.util.exc", "alembic.util.langhelpers", "alembic.util.messaging",
    "alembic.util.editor", "alembic.util.pyfiles", "alembic.util.compat",
    "alembic.util.sqla_compat",
    "alembic.ext", "alembic.ext.checkconstraint_byname",
]

#: private names third-party plugins import (alembic-utils, geoalchemy2, ...)
PLUGIN_PRIVATE = {
    "alembic.autogenerate.render": ["_render_cmd_body", "_add_table", "_drop_table",
                                    "_add_index", "_drop_index", "_add_column",
                                    "_drop_column"],
}

#: names whose presence depends on the moment (proxies filled while a migration runs)
SKIP_MODULE_NAMES = {"alembic.context", "alembic.op"}


def _params(obj):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    out = []
    for p in sig.parameters.values():
        out.append({"name": p.name, "kind": p.kind.name,
                    "default": p.default is not inspect.Parameter.empty})
    return out


def _kind(obj):
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def _public_names(modname, mod):
    names = set(getattr(mod, "__all__", ()) or ())
    for name, obj in vars(mod).items():
        if name.startswith("_"):
            continue
        if inspect.ismodule(obj):
            if obj.__name__ == f"{modname}.{name}":
                names.add(name)
            continue
        owner = getattr(obj, "__module__", None)
        if isinstance(owner, str) and owner.startswith("alembic") and (
                inspect.isclass(obj) or inspect.isfunction(obj)):
            names.add(name)
    names.update(_explicit_reexports(mod))
    if modname == "alembic":
        names.add("__version__")
    return sorted(names)


def _explicit_reexports(mod):
    """Names a module re-exports on purpose: ``from x import name as name``."""
    import ast

    path = getattr(mod, "__file__", None)
    if not path or not path.endswith(".py"):
        return set()
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if True:` import blocks
            body = node.body
        else:
            body = [node]
        for stmt in body:
            if isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    if alias.asname and alias.asname == alias.name and not alias.name.startswith("_"):
                        found.add(alias.name)
    return found


def main() -> None:
    import alembic

    api = {"alembic_version": alembic.__version__, "modules": {}}
    for modname in MODULES:
        mod = importlib.import_module(modname)
        entry = {}
        names = [] if modname in SKIP_MODULE_NAMES else _public_names(modname, mod)
        for name in names + PLUGIN_PRIVATE.get(modname, []):
            obj = getattr(mod, name)
            item = {"kind": _kind(obj)}
            if item["kind"] in ("class", "function"):
                params = _params(obj)
                if params is not None:
                    item["params"] = params
            if item["kind"] == "class":
                methods = {}
                for mname, member in vars(obj).items():
                    if mname.startswith("_") and mname != "__init__":
                        continue
                    func = member
                    if isinstance(member, (classmethod, staticmethod)):
                        func = member.__func__
                    if inspect.isfunction(func):
                        methods[mname] = _params(func)
                    elif isinstance(member, property):
                        methods[mname] = "property"
                item["members"] = methods
            entry[name] = item
        api["modules"][modname] = entry
    json.dump(api, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

"""Alembic 1.20's public API, walked through the ``alembic`` namespace during a run.

``tests/data/alembic_api.json`` was derived once from the real Alembic 1.20.1
(``conformance/inventory.py``): for each documented module (and each module the
common plugins import) its public names and, for callables, Alembic's parameters.
Every module must import under ``alembic.*`` while the namespace is active, every
name must resolve to an object of this package (or the SQLAlchemy object Alembic
itself re-exports), and every callable must accept Alembic's parameter names.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

from alembic_django.namespace import activated

API = json.loads((Path(__file__).parent / "data" / "alembic_api.json").read_text())

#: names Alembic has that this engine deliberately does not provide, with the reason
ABSENT = {
    ("alembic.util", "ModuleClsProxy"): "the op/context proxies are modules that look up "
    "the running Operations/EnvironmentContext in a context variable, not exec'd proxies",
    ("alembic.util.langhelpers", "ModuleClsProxy"): "as alembic.util.ModuleClsProxy",
}

#: objects Alembic re-exports from SQLAlchemy (or the stdlib) and so do we
FOREIGN_OK = ("sqlalchemy.", "typing", "builtins", "importlib.metadata", "tomllib")

CASES = [(mod, name, spec) for mod, names in sorted(API["modules"].items())
         for name, spec in sorted(names.items())]


def _owner_ok(obj: object) -> bool:
    if inspect.ismodule(obj):
        return obj.__name__.startswith("alembic_django.")
    module = getattr(obj, "__module__", None) or getattr(type(obj), "__module__", "")
    return module.startswith("alembic_django.") or module.startswith(FOREIGN_OK)


def _accepts(fn: object, params: list[dict]) -> list[str]:
    """Alembic's parameters ``fn`` does not accept (by name, or through *args / **kw)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    ours = sig.parameters
    var_pos = any(p.kind is p.VAR_POSITIONAL for p in ours.values())
    var_kw = any(p.kind is p.VAR_KEYWORD for p in ours.values())
    missing = []
    for p in params:
        if p["name"] in ("self", "cls"):
            continue
        if p["kind"] == "VAR_POSITIONAL":
            if not var_pos:
                missing.append("*" + p["name"])
        elif p["kind"] == "VAR_KEYWORD":
            if not var_kw:
                missing.append("**" + p["name"])
        elif p["name"] not in ours and not (var_kw and p["kind"] == "KEYWORD_ONLY"):
            if not (var_kw or var_pos):
                missing.append(p["name"])
    return missing


def test_alembic_version_is_the_implemented_release():
    with activated() as alembic:
        assert alembic.__version__ == API["alembic_version"] == "1.20.1"


@pytest.mark.parametrize("module", sorted(API["modules"]), ids=str)
def test_module_imports_under_alembic_name(module):
    with activated():
        mod = importlib.import_module(module)
        assert mod.__name__.startswith("alembic_django.")


@pytest.mark.parametrize(("module", "name", "spec"), CASES,
                         ids=[f"{m}:{n}" for m, n, _ in CASES])
def test_name_resolves_to_engine_object(module, name, spec):
    with activated():
        mod = importlib.import_module(module)
        if (module, name) in ABSENT:
            assert not hasattr(mod, name), f"{module}.{name} exists now: drop it from ABSENT"
            return
        assert hasattr(mod, name), f"{module}.{name} is missing"
        obj = getattr(mod, name)
        if name != "__version__":
            assert _owner_ok(obj), f"{module}.{name} is {obj!r}, not an object of ours"
        if spec["kind"] == "module":
            assert inspect.ismodule(obj)
        elif spec["kind"] == "class":
            assert inspect.isclass(obj), f"{module}.{name} is not a class"
        elif spec["kind"] == "function":
            assert callable(obj)
        if "params" in spec:
            target = obj.__init__ if inspect.isclass(obj) and spec["kind"] == "class" else obj
            if inspect.isclass(obj) and "members" in spec and "__init__" not in spec["members"]:
                target = None  # Alembic's class takes its parent's constructor
            if target is not None:
                assert not _accepts(target, spec["params"]), (
                    f"{module}.{name} does not accept {_accepts(target, spec['params'])}")
        for member, params in (spec.get("members") or {}).items():
            if member == "__init__":
                continue
            assert hasattr(obj, member), f"{module}.{name}.{member} is missing"
            if isinstance(params, list):
                attr = inspect.getattr_static(obj, member)
                fn = getattr(attr, "__func__", attr)
                if callable(fn):
                    missing = _accepts(fn, params)
                    assert not missing, f"{module}.{name}.{member} does not accept {missing}"

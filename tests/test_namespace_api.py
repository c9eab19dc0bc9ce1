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

#: Alembic class members this engine does not provide yet, with the reason
_IMPL_HOOK = ("autogenerate applies the dialect rules in engine/autogenerate (compare_constraints, "
              "ddl/compare_types) and does not consult this DefaultImpl hook yet")
_STEP_PROTOCOL = ("the engine's steps state their version-table changes with "
                  "version_changes(heads) (script/plan.py) instead of Alembic's "
                  "should_*/*_version_num/*_branch_idents protocol with HeadMaintainer")
DEFERRED: dict[tuple[str, str], str] = {
    **{("DefaultImpl", m): _IMPL_HOOK for m in (
        "autogen_column_reflect", "cast_for_batch_migrate", "compare_check_constraint",
        "compare_indexes", "compare_unique_constraint", "correct_for_autogen_constraints",
        "correct_for_autogen_foreignkeys")},
    **{(cls, m): _IMPL_HOOK for cls, m in (
        ("MySQLImpl", "correct_for_autogen_constraints"),
        ("MySQLImpl", "correct_for_autogen_foreignkeys"),
        ("PostgresqlImpl", "autogen_column_reflect"), ("PostgresqlImpl", "compare_indexes"),
        ("PostgresqlImpl", "compare_unique_constraint"),
        ("PostgresqlImpl", "correct_for_autogen_constraints"),
        ("SQLiteImpl", "autogen_column_reflect"), ("SQLiteImpl", "cast_for_batch_migrate"),
        ("SQLiteImpl", "correct_for_autogen_constraints"))},
    **{(cls, m): _STEP_PROTOCOL for cls in ("RevisionStep", "StampStep") for m in (
        "delete_version_num", "insert_version_num", "update_version_num",
        "merge_branch_idents", "unmerge_branch_idents", "should_create_branch",
        "should_delete_branch", "should_merge_branches", "should_unmerge_branches")},
    ("AbstractOperations", "context"): "Operations.context installs the op proxy; a "
    "BatchOperations is never installed as op, so the base class does not offer it",
    ("ApplyBatchImpl", "rename_table"): "batch mode renames tables outside the recreate "
    "(batch wave of issue 19)",
}

#: (module, name, member) whose signature differs from Alembic's on purpose, with the reason
SIGNATURES: dict[tuple[str, str, str], str] = {
    **{(m, "Script", "__init__"): "a Script is built from the parsed header of its file "
       "(directory, path, header[, module]); the module runs only when needed"
       for m in ("alembic.script", "alembic.script.base")},
    ("alembic.ddl.postgresql", "PostgresqlImpl", "render_type"): "inherited from DefaultImpl "
    "(type_obj, autogen_context); PostgreSQL types render in autogenerate/render.py",
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


def _problems(module: str, name: str, spec: dict, obj: object) -> list[str]:
    out = []
    if name != "__version__" and not _owner_ok(obj):
        out.append(f"{module}.{name} is {obj!r}, not an object of ours")
    kind = spec["kind"]
    if kind == "module" and not inspect.ismodule(obj) or \
            kind == "class" and not inspect.isclass(obj) or \
            kind == "function" and not callable(obj):
        out.append(f"{module}.{name} is not a {kind}")
    if "params" in spec and (module, name, "__init__") not in SIGNATURES:
        target = obj.__init__ if inspect.isclass(obj) else obj
        if inspect.isclass(obj) and "__init__" not in (spec.get("members") or {}):
            target = None  # Alembic's class takes its parent's constructor
        missing = _accepts(target, spec["params"]) if target is not None else []
        if missing:
            out.append(f"{module}.{name} does not accept {missing}")
    for member, params in (spec.get("members") or {}).items():
        if member == "__init__" or (module, name, member) in SIGNATURES:
            continue
        if not hasattr(obj, member):
            if (getattr(obj, "__name__", name), member) not in DEFERRED:
                out.append(f"{module}.{name}.{member} is missing")
            continue
        if isinstance(params, list):
            attr = inspect.getattr_static(obj, member)
            fn = getattr(attr, "__func__", attr)
            missing = _accepts(fn, params) if callable(fn) else []
            if missing:
                out.append(f"{module}.{name}.{member} does not accept {missing}")
    return out


@pytest.mark.parametrize(("module", "name", "spec"), CASES,
                         ids=[f"{m}:{n}" for m, n, _ in CASES])
def test_name_resolves_to_engine_object(module, name, spec):
    with activated():
        mod = importlib.import_module(module)
        if (module, name) in ABSENT:
            assert not hasattr(mod, name), f"{module}.{name} exists now: drop it from ABSENT"
            return
        assert hasattr(mod, name), f"{module}.{name} is missing"
        assert _problems(module, name, spec, getattr(mod, name)) == []


@pytest.mark.parametrize(("cls", "member"), sorted(DEFERRED), ids=str)
def test_deferred_members_are_still_absent(cls, member):
    """A member listed as not provided must really be absent (else drop it from DEFERRED)."""
    with activated():
        found = [m for m, names in API["modules"].items() for n, spec in names.items()
                 if n == cls and member in (spec.get("members") or {})]
        assert found, f"{cls}.{member} is not in Alembic's API list"
        owner = getattr(importlib.import_module(found[0]), cls)
        assert not hasattr(owner, member), f"{cls}.{member} exists now: drop it from DEFERRED"


def test_every_module_imports_from_env_py_during_a_run(tmp_path, monkeypatch):
    """The same walk from inside a real run: env.py imports every listed module and name."""
    from alembic_django import command
    from alembic_django.config import Config

    root = tmp_path / "migrations"
    (root / "versions").mkdir(parents=True)
    names = {m: sorted(n for n in spec if (m, n) not in ABSENT)
             for m, spec in API["modules"].items()}
    (root / "env.py").write_text(
        "import importlib, json\n"
        "from alembic import context\n"
        f"names = json.loads({json.dumps(json.dumps(names))})\n"
        "for module, attrs in names.items():\n"
        "    mod = importlib.import_module(module)\n"
        "    assert mod.__name__.startswith('alembic_django'), mod\n"
        "    for attr in attrs:\n"
        "        getattr(mod, attr)\n"
        "context.config.attributes['walked'] = len(names)\n")
    (root / "script.py.mako").write_text("")
    monkeypatch.chdir(tmp_path)
    cfg = Config(mapping={"script_location": str(root)})
    command.upgrade(cfg, "head", sql=True)
    assert cfg.attributes["walked"] == len(API["modules"])


#: private names that Alembic's own test suite (conformance) and plugins import at module
#: level: without them a whole test module or plugin fails to import
PRIVATE_IMPORTED = [
    ("alembic.autogenerate", "_render_migration_diffs"),
    ("alembic.autogenerate.compare.constraints", "_compare_nullable"),
    ("alembic.autogenerate.compare.server_defaults", "_dialect_impl_compare_server_default"),
    ("alembic.autogenerate.compare.server_defaults", "_render_server_default_for_compare"),
    ("alembic.autogenerate.compare.server_defaults", "_user_compare_server_default"),
    ("alembic.autogenerate.compare.tables", "_compare_tables"),
    ("alembic.autogenerate.compare.types", "_dialect_impl_compare_type"),
    ("alembic.autogenerate.compare.util", "_InspectorConv"),
    ("alembic.autogenerate.render", "_render_cmd_body"),
    ("alembic.ddl._autogen", "ComparisonResult"),
    ("alembic.ddl.base", "_fk_spec"),
    ("alembic.runtime.plugins", "_all_plugins"),
    ("alembic.runtime.plugins", "_make_re"),
    ("alembic.util.sqla_compat", "_NONE_NAME"),
    ("alembic.util.sqla_compat", "_ensure_scope_for_ddl"),
    ("alembic.util.sqla_compat", "_safe_rollback_connection_transaction"),
]


@pytest.mark.parametrize(("module", "name"), PRIVATE_IMPORTED, ids=str)
def test_private_names_imported_by_alembic_tests_and_plugins(module, name):
    with activated():
        mod = importlib.import_module(module)
        assert getattr(mod, name) is not None

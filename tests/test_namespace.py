"""The ``alembic`` namespace: activation (scoped, nested, threads, permanent), the module
view (same objects under both names), and refusing registrations made into a real
Alembic (simulated here; ``test_namespace_coexistence.py`` uses the real one)."""

from __future__ import annotations

import subprocess
import sys
import threading
import types

import pytest

import alembic_django.namespace as ns
from alembic_django.engine.errors import CommandError
from alembic_django.engine.util.modules import NAMESPACE


def _alembic_entries() -> dict[str, types.ModuleType]:
    return {k: v for k, v in sys.modules.items() if k == "alembic" or k.startswith("alembic.")}


@pytest.fixture
def fake_real_alembic(monkeypatch):
    """A stand-in "real Alembic" already imported, restored (and ours gone) afterwards."""
    real = types.ModuleType("alembic")
    real.__path__ = []
    real.REAL = True
    sub = types.ModuleType("alembic.config")
    monkeypatch.setitem(sys.modules, "alembic", real)
    monkeypatch.setitem(sys.modules, "alembic.config", sub)
    return real, sub


def test_scoped_activation_swaps_and_restores(fake_real_alembic):
    real, sub = fake_real_alembic
    with ns.activated() as alembic:
        assert sys.modules["alembic"] is alembic is not real
        import alembic.config as config
        import alembic.operations as operations

        from alembic_django.engine.config import Config
        from alembic_django.engine.operations import Operations

        assert config.Config is Config and operations.Operations is Operations
        assert sys.modules["alembic.config"] is not sub
    assert sys.modules["alembic"] is real and sys.modules["alembic.config"] is sub
    assert "alembic.operations" not in sys.modules


def test_same_module_object_under_both_names():
    with ns.activated():
        import alembic.ddl.base as ddl_base
        import alembic.op as op
        import alembic.util as util

        import alembic_django.engine.ddl.base as engine_base
        import alembic_django.engine.util as engine_util
        import alembic_django.op as our_op

        assert ddl_base is engine_base and util is engine_util and op is our_op


def test_registration_through_alembic_lands_in_the_engine():
    from alembic_django.engine.autogenerate.compare import comparators as engine_comparators

    saved = engine_comparators.branch()
    try:
        with ns.activated():
            from alembic.autogenerate import comparators

            @comparators.dispatch_for("table")
            def compare_something(*args):
                pass

        assert any(fn is compare_something
                   for fns in engine_comparators._registry.values() for fn, _ in fns)
    finally:
        engine_comparators._registry = saved._registry


def test_nested_and_failing_activation_restores(fake_real_alembic):
    real, _ = fake_real_alembic
    with pytest.raises(RuntimeError):
        with ns.activated():
            with ns.activated():
                assert sys.modules["alembic"] is not real
            assert sys.modules["alembic"] is not real  # the outer one still holds it
            raise RuntimeError
    assert sys.modules["alembic"] is real and not NAMESPACE.active


def test_threads_share_one_activation(fake_real_alembic):
    real, _ = fake_real_alembic
    n = 8
    inside = threading.Barrier(n)
    seen: list[bool] = []
    errors: list[BaseException] = []

    def worker():
        try:
            with ns.activated():
                inside.wait(timeout=30)  # every thread is active at once here
                import alembic.autogenerate.api as api

                seen.append(api.__name__.startswith("alembic_django."))
                inside.wait(timeout=30)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and seen == [True] * n
    assert sys.modules["alembic"] is real and not NAMESPACE.active


def test_install_is_permanent_until_uninstalled(fake_real_alembic):
    real, _ = fake_real_alembic
    alembic = ns.install()
    try:
        assert ns.installed() and sys.modules["alembic"] is alembic
        with ns.activated():
            pass
        assert sys.modules["alembic"] is alembic  # a run ending does not undo install()
    finally:
        ns.uninstall()
    assert not ns.installed() and sys.modules["alembic"] is real


def test_alembic_version_and_lazy_sqlalchemy():
    code = ("import sys, alembic_django.namespace as ns\n"
            "a = ns.install()\n"
            "import alembic, alembic.op, alembic.context\n"
            "assert alembic.__version__ == '1.20.1', alembic.__version__\n"
            "assert 'sqlalchemy' not in sys.modules, 'importing alembic loaded SQLAlchemy'\n"
            "import alembic.operations.ops\n"
            "assert 'sqlalchemy' in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_python_m_runs_a_module_under_the_namespace(tmp_path):
    (tmp_path / "tool.py").write_text(
        "import sys, alembic.command\n"
        "print(alembic.command.upgrade.__module__, sys.argv[1:])\n")
    proc = subprocess.run([sys.executable, "-m", "alembic_django.namespace", "-m", "tool", "x"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "alembic_django.engine.commands.database ['x']"
    proc = subprocess.run([sys.executable, "-m", "alembic_django.namespace",
                           "no-such-console-script"], capture_output=True, text=True)
    assert proc.returncode == 2 and "no console script named" in proc.stderr


def _registry_module(name: str, attr: str, registry: object) -> types.ModuleType:
    mod = types.ModuleType(name)
    setattr(mod, attr, registry)
    return mod


class _Dispatcher:
    def __init__(self, registry: dict) -> None:
        self._registry = registry


def _foreign_fn():
    pass


_foreign_fn.__module__ = "some_plugin.hooks"


@pytest.mark.parametrize(("module", "attr", "registry", "kind"), [
    ("alembic.autogenerate.compare", "comparators",
     _Dispatcher({("table", "default", 25): [(_foreign_fn, None)]}), "autogenerate comparators"),
    ("alembic.autogenerate.render", "renderers",
     _Dispatcher({(object, "default"): _foreign_fn}), "autogenerate renderers"),
    ("alembic.script.write_hooks", "_registry", {"fmt": _foreign_fn}, "post-write hooks"),
], ids=["comparator", "renderer", "write-hook"])
def test_registrations_into_a_real_alembic_are_refused(monkeypatch, fake_real_alembic, module,
                                                       attr, registry, kind):
    real, _ = fake_real_alembic
    monkeypatch.setitem(sys.modules, module, _registry_module(module, attr, registry))
    with pytest.raises(CommandError) as info:
        with ns.activated():
            pass  # pragma: no cover - activation refuses
    assert kind in str(info.value) and "some_plugin.hooks" in str(info.value)
    assert sys.modules["alembic"] is real and not NAMESPACE.active


def test_alembic_own_registrations_are_not_foreign(monkeypatch, fake_real_alembic):
    def builtin():
        pass

    builtin.__module__ = "alembic.autogenerate.render"
    monkeypatch.setitem(sys.modules, "alembic.autogenerate.render", _registry_module(
        "alembic.autogenerate.render", "renderers", _Dispatcher({(object, "default"): builtin})))
    with ns.activated():
        pass

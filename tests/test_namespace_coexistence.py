"""Coexistence with the real Alembic (issue 14, item 2), with the real Alembic 1.20.1.

The package never needs Alembic; these tests build a throwaway virtualenv (system
site-packages + ``pip install alembic==1.20.1``) once, cached outside the checkout
in ``$ALEMBIC_DJANGO_TEST_VENVS`` (default ``/tmp/alembic-django-test-venvs``), and
run scenarios in it with this checkout on ``PYTHONPATH``:

* a plugin registered a comparator / an operation into the real Alembic before our
  run: the run fails with one CommandError naming the plugin's module, writes no
  revision, and ``check`` does not pass;
* the same plugin imported under ``alembic_django.namespace.install()``: its
  comparator and renderer are ours, autogenerate writes the op and ``check`` fails;
* the real Alembic imported, no plugin: our run works and the real modules are what
  ``import alembic`` gives afterwards.

They skip (with the reason) when PyPI is unreachable, except under ``CI``.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
import venv
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
VENVS = Path(os.environ.get("ALEMBIC_DJANGO_TEST_VENVS", "/tmp/alembic-django-test-venvs"))


@pytest.fixture(scope="module")
def real_alembic_python() -> Path:
    env_dir = VENVS / "alembic-1.20.1"
    py = env_dir / "bin" / "python"
    stamp = env_dir / "installed.stamp"
    if not stamp.exists():
        venv.EnvBuilder(system_site_packages=True, clear=True, with_pip=True).create(env_dir)
        proc = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps",
                               "alembic==1.20.1"], capture_output=True, text=True)
        if proc.returncode != 0:
            reason = f"could not install alembic==1.20.1 from PyPI: {proc.stderr.strip()[-300:]}"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        stamp.write_text("alembic==1.20.1\n")
    return py


INI = """\
[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///{db}
path_separator = os
"""

ENV_PY = """\
from alembic import context
from sqlalchemy import engine_from_config, pool
import models

config = context.config

def run():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=models.metadata)
        with context.begin_transaction():
            context.run_migrations()

run()
"""

MODELS = """\
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
"""

# a plugin as alembic-utils & co. are written: it imports alembic at import time
PLUGIN = """\
from alembic.autogenerate import comparators, renderers
from alembic.operations import MigrateOperation, Operations


@Operations.register_operation("touch_table")
class TouchTableOp(MigrateOperation):
    def __init__(self, table_name):
        self.table_name = table_name

    @classmethod
    def touch_table(cls, operations, table_name):
        return operations.invoke(cls(table_name))

    def reverse(self):
        return TouchTableOp(self.table_name)

    def to_diff_tuple(self):
        return ("touch_table", self.table_name)


@Operations.implementation_for(TouchTableOp)
def touch_table(operations, operation):
    operations.execute("SELECT 1")


@comparators.dispatch_for("table")
def compare_touch(autogen_context, modify_ops, schema, tname, conn_table, metadata_table):
    if tname == "t" and conn_table is not None:
        modify_ops.ops.append(TouchTableOp(tname))


@renderers.dispatch_for(TouchTableOp)
def render_touch(autogen_context, op):
    return "op.touch_table(%r)" % op.table_name
"""


def _project(root: Path) -> None:
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV_PY)
    (root / "migrations" / "script.py.mako").write_text(
        (CHECKOUT / "alembic_django" / "engine" / "templates" / "generic" / "script.py.mako")
        .read_text())
    (root / "models.py").write_text(MODELS)
    (root / "touchplugin.py").write_text(PLUGIN)
    (root / "alembic.ini").write_text(INI.format(db=root / "db.sqlite"))
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{root / 'db.sqlite'}")
    md = sa.MetaData()
    sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True))
    md.create_all(engine)  # the database already matches the model
    engine.dispose()


def _run(py: Path, root: Path, code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=f"{CHECKOUT}{os.pathsep}{root}")
    return subprocess.run([str(py), "-c", textwrap.dedent(code)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


PREAMBLE = """\
import sys
from alembic_django import command
from alembic_django.config import Config
from alembic_django.engine.errors import CommandError
cfg = Config("alembic.ini")
"""


def test_plugin_registered_into_real_alembic_is_refused(real_alembic_python, tmp_path):
    _project(tmp_path)
    proc = _run(real_alembic_python, tmp_path, PREAMBLE + """
import alembic, touchplugin          # the real Alembic, then a plugin registering into it
assert alembic.__file__ and "site-packages" in alembic.__file__, alembic.__file__
for verb in (lambda: command.revision(cfg, "x", autogenerate=True),
             lambda: command.check(cfg)):
    try:
        verb()
    except CommandError as exc:
        print("REFUSED:", exc)
    else:
        print("NOT REFUSED")
import os
print("FILES:", os.listdir("migrations/versions"))
print("STILL REAL:", sys.modules["alembic"] is alembic)
""")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    refused = [line for line in lines if line.startswith("REFUSED:")]
    assert len(refused) == 2, proc.stdout
    for line in refused:
        assert "touchplugin" in line
        assert "autogenerate comparators" in line and "operations" in line
        assert "autogenerate renderers" in line
    assert "FILES: []" in lines and "STILL REAL: True" in lines


def test_plugin_imported_under_install_runs_on_this_engine(real_alembic_python, tmp_path):
    _project(tmp_path)
    proc = _run(real_alembic_python, tmp_path, """
import alembic_django.namespace
alembic_django.namespace.install()   # before anything imports alembic
import alembic, touchplugin
assert alembic.__name__ == "alembic_django.namespace.alembic", alembic.__name__
""" + PREAMBLE + """
script = command.revision(cfg, "touch", autogenerate=True)
print("BODY:", "op.touch_table('t')" in open(script.path).read())
command.upgrade(cfg, "head")         # runs the plugin's implementation of touch_table
try:
    command.check(cfg)               # the plugin's comparator still reports a change
except CommandError as exc:
    print("CHECK FAILED:", exc)
""")
    assert proc.returncode == 0, proc.stderr
    assert "BODY: True" in proc.stdout
    assert "CHECK FAILED: New upgrade operations detected: [('touch_table', 't')]" in proc.stdout


def test_real_alembic_imported_without_plugins_is_left_alone(real_alembic_python, tmp_path):
    _project(tmp_path)
    (tmp_path / "migrations" / "env.py").write_text(
        "import alembic\nassert alembic.__name__.startswith('alembic_django'), alembic\n"
        + ENV_PY)
    proc = _run(real_alembic_python, tmp_path, PREAMBLE + """
import alembic, alembic.op, alembic.config
real = (alembic, alembic.op, alembic.config)
command.revision(cfg, "empty", autogenerate=True)
command.upgrade(cfg, "head")
import alembic as again
assert (sys.modules["alembic"], sys.modules["alembic.op"], sys.modules["alembic.config"]) == real
assert again.__file__.endswith("alembic/__init__.py") and "site-packages" in again.__file__
print("OK")
""")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("OK")

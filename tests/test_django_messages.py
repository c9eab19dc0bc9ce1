"""``manage.py alembic`` says what Django would say, at Django's verbosity levels
(issue 15, item 2).  In-process through ``call_command`` on SQLite files (the
``scratch`` alias), plus subprocesses where the process boundary is the point
(``--version``, ``-v 3`` log lines on standard error, ``runserver``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import django_settings
import pytest

django_settings.configure()

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.test import override_settings  # noqa: E402

django.setup()

HEAD = "53fffde5ad5"
VERBOSITIES = pytest.mark.parametrize("verbosity", [0, 1, 3], ids=["v0", "v1", "v3"])

EXTRA_TABLE = '''
import sqlalchemy as sa
from inventory.tables import metadata  # noqa: F401

extra = sa.Table("inventory_extra", metadata, sa.Column("id", sa.Integer, primary_key=True))
'''


class Project:
    """The example's default environment in ``root``, on the ``scratch`` alias."""

    def __init__(self, root: Path, metadata: str = "inventory.tables:metadata") -> None:
        from django.db import connections

        self.root = root
        shutil.copytree(django_settings.EXAMPLE / "alembic", root / "alembic",
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.versions = root / "alembic" / "versions"
        self.db = root / "default.sqlite3"
        self._saved = connections["scratch"].settings_dict["NAME"]
        connections["scratch"].settings_dict["NAME"] = str(self.db)
        self.settings = override_settings(ALEMBIC={"default": {
            "script_location": root / "alembic", "database": "scratch",
            "target_metadata": metadata}})
        self.settings.enable()
        self.output = ""

    def run(self, *args: str, verbosity: int = 1) -> str:
        out = StringIO()
        try:
            call_command("alembic", *args, verbosity=verbosity, stdout=out, stderr=StringIO(),
                         no_color=True)
        finally:
            self.output = out.getvalue()
        return self.output

    def close(self) -> None:
        from django.db import connections

        self.settings.disable()
        connections["scratch"].settings_dict["NAME"] = self._saved


@pytest.fixture
def make_project(tmp_path, monkeypatch):
    made = []

    def make(**kw) -> Project:
        project = Project(tmp_path / f"p{len(made)}", **kw)
        made.append(project)
        return project

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for project in made:
        project.close()


@pytest.fixture
def project(make_project):
    return make_project()


@pytest.fixture
def drifted(make_project, tmp_path):
    """A project at heads whose metadata has one table more than the revisions."""
    (tmp_path / "msg_extra_tables.py").write_text(EXTRA_TABLE)
    sys.modules.pop("msg_extra_tables", None)
    project = make_project(metadata="msg_extra_tables:metadata")
    project.run("upgrade", "heads", verbosity=0)
    yield project
    from inventory import tables

    tables.metadata.remove(tables.metadata.tables["inventory_extra"])
    sys.modules.pop("msg_extra_tables", None)


# -- No migrations to apply. ------------------------------------------------------------------
@VERBOSITIES
@pytest.mark.parametrize("args, prepare", [
    (["upgrade", "heads"], ["upgrade", "heads"]),
    (["downgrade", "base"], None),
], ids=["upgrade-at-heads", "downgrade-at-base"])
def test_nothing_to_apply(project, verbosity, args, prepare):
    if prepare:
        project.run(*prepare, verbosity=0)
    out = project.run(*args, verbosity=verbosity)
    assert out == ("" if verbosity == 0 else "  No migrations to apply.\n")


@VERBOSITIES
def test_applied_steps_are_listed_not_no_migrations(project, verbosity):
    out = project.run("upgrade", "ae1027a6acf", verbosity=verbosity)
    if verbosity == 0:
        assert out == ""
    else:
        lines = out.splitlines()
        assert [line.split("...")[0] for line in lines] == [
            "  Running upgrade  -> 1975ea83b712, create item table",
            "  Running upgrade 1975ea83b712 -> ae1027a6acf, add quantity column"]
        assert all(" OK" in line for line in lines)


# -- revision --autogenerate ---------------------------------------------------------------------
@VERBOSITIES
def test_autogenerate_without_changes_writes_nothing(project, verbosity):
    project.run("upgrade", "heads", verbosity=0)
    before = sorted(p.name for p in project.versions.iterdir())
    out = project.run("revision", "--autogenerate", "-m", "nothing", verbosity=verbosity)
    assert out == ("" if verbosity == 0 else "No changes detected\n")
    assert sorted(p.name for p in project.versions.iterdir()) == before


@VERBOSITIES
def test_autogenerate_lists_what_it_detected(drifted, verbosity):
    out = drifted.run("revision", "--autogenerate", "-m", "add extra", "--rev-id", "e1",
                      verbosity=verbosity)
    written = drifted.versions / "e1_add_extra.py"
    assert written.exists()
    if verbosity == 0:
        assert out == ""
    else:
        assert out == ("Detected added table 'inventory_extra'\n"
                       f"Generating {written} ...  done\n")


def test_standalone_cli_keeps_alembics_empty_revision(tmp_path, monkeypatch):
    """Alembic writes an empty revision when nothing is detected; alembic-django does too."""
    from alembic_django.cli import main

    monkeypatch.chdir(tmp_path)
    out = StringIO()
    assert main(["init", "alembic"], stdout=out) == 0
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname",
                                           f"sqlite:///{tmp_path / 'x.db'}"))
    env = tmp_path / "alembic" / "env.py"
    env.write_text(env.read_text().replace("target_metadata = None",
                                           "import sqlalchemy\ntarget_metadata = sqlalchemy.MetaData()"))
    out = StringIO()
    assert main(["revision", "--autogenerate", "-m", "empty"], stdout=out) == 0
    assert "Generating" in out.getvalue()
    assert len(list((tmp_path / "alembic" / "versions").glob("*_empty.py"))) == 1


# -- check ---------------------------------------------------------------------------------------------
@VERBOSITIES
def test_check_prints_the_detected_lines(drifted, verbosity):
    with pytest.raises(CommandError) as info:
        drifted.run("check", verbosity=verbosity)
    assert str(info.value) == "New upgrade operations detected: 1 change(s)"
    assert info.value.returncode == 255
    assert drifted.output == ("" if verbosity == 0
                              else "Detected added table 'inventory_extra'\n")


@VERBOSITIES
def test_check_without_changes(project, verbosity):
    project.run("upgrade", "heads", verbosity=0)
    out = project.run("check", verbosity=verbosity)
    assert out == ("" if verbosity == 0 else "No new upgrade operations detected.\n")


# -- errors name the real cause -----------------------------------------------------------------------
@pytest.fixture
def unreachable_alias():
    pytest.importorskip("psycopg")
    from django.db import connections

    alias = "msg_unreachable"
    connections.settings[alias] = {
        "ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "app",
        "PASSWORD": "s3cr:et", "HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {}, "TEST": {},
        "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "TIME_ZONE": None}
    yield alias
    del connections.settings[alias]


@VERBOSITIES
@pytest.mark.parametrize("args", [["upgrade", "heads"], ["current"], ["showmigrations"],
                                  ["check"]], ids=["upgrade", "current", "showmigrations", "check"])
def test_unreachable_database_is_a_connection_error(project, unreachable_alias, verbosity, args):
    with pytest.raises(CommandError) as info:
        project.run("--database", unreachable_alias, *args, verbosity=verbosity)
    message = str(info.value)
    assert message.startswith(
        "Cannot connect to database 'msg_unreachable' "
        "(postgresql+psycopg://app:***@127.0.0.1:1/shop): OperationalError: ")
    assert "Connection refused" in message
    assert "s3cr" not in message and "env.py" not in message and "\n" not in message
    assert info.value.returncode == 255


@pytest.mark.parametrize("path", ["/nonexistent-dir-for-tests/x.sqlite3"], ids=["sqlite"])
def test_unopenable_sqlite_file_is_a_connection_error(project, path):
    from django.db import connections

    connections["scratch"].settings_dict["NAME"] = path
    with pytest.raises(CommandError) as info:
        project.run("current")
    assert str(info.value) == (f"Cannot connect to database 'scratch' (sqlite:///{path}): "
                               "OperationalError: (sqlite3.OperationalError) unable to open "
                               "database file")


@VERBOSITIES
def test_unknown_database_option_blames_the_command_line(project, verbosity):
    with pytest.raises(CommandError) as info:
        project.run("--database", "nope", "current", verbosity=verbosity)
    assert str(info.value).startswith(
        "--database 'nope': no such alias in settings.DATABASES (it has 'default', ")
    assert "settings.ALEMBIC" not in str(info.value)


def test_a_failing_revision_is_still_an_env_py_or_revision_error(project):
    """Not every database error is a connection error: a failing statement is reported
    as the engine reports it."""
    import sqlite3

    with sqlite3.connect(project.db) as db:
        db.execute("CREATE TABLE inventory_item (id INTEGER PRIMARY KEY)")
    with pytest.raises(CommandError) as info:
        project.run("upgrade", "heads")
    assert not str(info.value).startswith("Cannot connect")
    assert "inventory_item" in str(info.value)


# -- config names the real sources ---------------------------------------------------------------
def test_config_names_settings_databases_as_the_url_source(project):
    out = project.run("config")
    lines = out.splitlines()
    assert lines[0] == ("# sources, highest precedence first: settings.ALEMBIC['default']; "
                        "settings.DATABASES['scratch']; defaults")
    assert f"sqlalchemy.url = sqlite:///{project.db}    # settings.DATABASES['scratch']" in lines
    assert "database = scratch    # settings.ALEMBIC['default']" in lines
    out = project.run("--database", "scratch_analytics", "config")
    assert "database = scratch_analytics    # --database" in out.splitlines()
    assert "    # settings.DATABASES['scratch_analytics']" in out


def test_config_without_a_database_key_says_default(project):
    from alembic_django import conf

    with override_settings(ALEMBIC={"default": {"script_location": project.root / "alembic"}}):
        out = project.run("config")
    assert "database = default    # default" in out.splitlines()
    url = conf.database_url("default").render_as_string(hide_password=False)
    assert f"sqlalchemy.url = {url}    # settings.DATABASES['default']" in out


# -- the django template renders batch operations on SQLite -------------------------------------
TEMPLATE_TABLES = '''
import sqlalchemy as sa

metadata = sa.MetaData()
account = sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("name", sa.{type}, nullable=False))
'''


def test_django_template_autogenerates_batch_alter_column_on_sqlite(tmp_path, monkeypatch):
    from django.db import connections

    monkeypatch.syspath_prepend(str(tmp_path))
    models = tmp_path / "tpl_account_tables.py"
    models.write_text(TEMPLATE_TABLES.format(type="String(20)"))
    sys.modules.pop("tpl_account_tables", None)
    saved = connections["scratch"].settings_dict["NAME"]
    connections["scratch"].settings_dict["NAME"] = str(tmp_path / "tpl.sqlite3")
    try:
        with override_settings(BASE_DIR=tmp_path, ALEMBIC={"default": {
                "script_location": tmp_path / "migrations", "database": "scratch",
                "target_metadata": "tpl_account_tables:metadata"}}):
            def run(*args):
                call_command("alembic", *args, stdout=StringIO(), stderr=StringIO(), verbosity=0)

            run("init", str(tmp_path / "migrations"))
            run("revision", "--autogenerate", "-m", "create account", "--rev-id", "a1")
            run("upgrade", "heads")
            models.write_text(TEMPLATE_TABLES.format(type="Text"))
            sys.modules.pop("tpl_account_tables", None)
            run("revision", "--autogenerate", "-m", "widen name", "--rev-id", "a2")
            body = (tmp_path / "migrations" / "versions" / "a2_widen_name.py").read_text()
            assert "with op.batch_alter_table('account'" in body
            assert "batch_op.alter_column('name'" in body
            run("upgrade", "heads")  # would fail without batch mode on SQLite
            run("check")
    finally:
        connections["scratch"].settings_dict["NAME"] = saved
        sys.modules.pop("tpl_account_tables", None)


# -- subprocesses: --version, -v 3 ---------------------------------------------------------------
@pytest.fixture
def example(tmp_path):
    root = tmp_path / "example"
    shutil.copytree(django_settings.EXAMPLE, root,
                    ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    return root


def manage(root: Path, *args: str, merge: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(django_settings.REPO)
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    return subprocess.run([sys.executable, str(root / "manage.py"), *args], cwd=root, env=env,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merge else subprocess.PIPE,
                          text=True, timeout=180)


def test_version_is_this_packages(example):
    from alembic_django import ALEMBIC_COMPATIBLE, __version__

    proc = manage(example, "alembic", "--version")
    assert proc.returncode == 0
    assert proc.stdout == f"alembic-django {__version__} (compatible with Alembic {ALEMBIC_COMPATIBLE})\n"


@VERBOSITIES
def test_progress_lines_are_never_split_by_log_lines(example, verbosity):
    proc = manage(example, "alembic", "-v", str(verbosity), "upgrade", "heads", merge=True)
    assert proc.returncode == 0, proc.stdout
    lines = proc.stdout.splitlines()
    running = [line for line in lines if line.startswith("  Running")]
    logs = [line for line in lines if line.startswith("INFO ")]
    if verbosity == 0:
        assert lines == []
        return
    assert len(running) == 4
    assert all(line.endswith(" OK") or " OK (" in line for line in running)
    assert bool(logs) is (verbosity == 3)
    if verbosity == 3:  # each step's log line comes before its (whole) progress line
        assert lines.index(running[0]) > lines.index(
            "INFO  [alembic_django.runtime.migration] Running upgrade  -> 1975ea83b712, "
            "create item table")
    again = manage(example, "alembic", "-v", str(verbosity), "upgrade", "heads", merge=True)
    assert "  No migrations to apply." in again.stdout.splitlines()


@VERBOSITIES
def test_check_json_stays_one_document(drifted, verbosity):
    """With --json the Detected lines are not printed: stdout is the JSON document."""
    import json

    with pytest.raises(CommandError) as info:
        drifted.run("check", "--json", verbosity=verbosity)
    assert info.value.returncode == 255
    document = json.loads(drifted.output)
    assert document["ok"] is False and len(document["diffs"]) == 1

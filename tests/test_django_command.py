"""``manage.py alembic`` through ``call_command`` (in-process, SQLite files)."""

from __future__ import annotations

import re
import shutil
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

pytest.importorskip("alembic_django.command")

ALL_DEFAULT = ["1975ea83b712", "ae1027a6acf", "27c6a30d7c24", "53fffde5ad5"]


class Project:
    def __init__(self, root: Path) -> None:
        from django.db import connections

        self.root = root
        for env in ("alembic", "analytics_migrations"):
            shutil.copytree(django_settings.EXAMPLE / env, root / env,
                            ignore=shutil.ignore_patterns("__pycache__"))
        self.db = root / "default.sqlite3"
        self.analytics_db = root / "analytics.sqlite3"
        self._saved = {}
        for alias, path in (("scratch", self.db), ("scratch_analytics", self.analytics_db)):
            self._saved[alias] = connections[alias].settings_dict["NAME"]
            connections[alias].settings_dict["NAME"] = str(path)
        self.settings = override_settings(ALEMBIC={
            "default": {"script_location": root / "alembic", "database": "scratch",
                        "target_metadata": "inventory.tables:metadata"},
            "analytics": {"script_location": root / "analytics_migrations",
                          "database": "scratch_analytics",
                          "target_metadata": "inventory.tables:analytics_metadata"},
        })

    def run(self, *args, **kwargs) -> str:
        out = StringIO()
        kwargs.setdefault("no_color", True)
        call_command("alembic", *args, stdout=out, stderr=StringIO(), **kwargs)
        return out.getvalue()

    def tables(self, path: Path | None = None) -> set[str]:
        import sqlalchemy as sa

        engine = sa.create_engine(f"sqlite:///{path or self.db}")
        try:
            return set(sa.inspect(engine).get_table_names())
        finally:
            engine.dispose()

    def versions(self, path: Path | None = None) -> set[str]:
        import sqlite3

        with sqlite3.connect(path or self.db) as conn:
            try:
                return {r[0] for r in conn.execute("select version_num from alembic_version")}
            except sqlite3.OperationalError:
                return set()

    def restore(self) -> None:
        from django.db import connections

        for alias, name in self._saved.items():
            connections[alias].settings_dict["NAME"] = name


@pytest.fixture
def project(tmp_path):
    p = Project(tmp_path)
    p.settings.enable()
    try:
        yield p
    finally:
        p.settings.disable()
        p.restore()


def test_upgrade_heads_creates_tables(project):
    out = project.run("upgrade", "heads")
    assert {"inventory_item", "inventory_supplier", "alembic_version"} <= project.tables()
    assert project.versions() == {"53fffde5ad5"}
    assert "Running upgrade  -> 1975ea83b712, create item table... OK" in out
    assert "53fffde5ad5" in out
    assert project.tables(project.analytics_db) == set()


def test_upgrade_progress_timings_at_verbosity_2(project):
    out = project.run("upgrade", "heads", verbosity=2)
    lines = [line for line in out.splitlines() if "Running upgrade" in line]
    assert len(lines) == 4
    assert all(line.endswith("s)") and "... OK (" in line for line in lines)
    quiet = project.run("downgrade", "base", verbosity=0)
    assert quiet == ""
    assert project.versions() == set()


def test_named_environment_and_database_override(project):
    project.run("--name", "analytics", "upgrade", "heads")
    assert "analytics_page_view" in project.tables(project.analytics_db)
    assert "analytics_page_view" not in project.tables()
    project.run("-n", "analytics", "--database", "scratch", "upgrade", "heads")
    assert "analytics_page_view" in project.tables()


def test_call_command_keyword_options(project):
    project.run("upgrade", "heads", name="analytics", database="scratch")
    assert project.versions() == {"4f2e9c1b7d30"}


def test_current_heads_branches_history_show(project):
    assert project.run("current").strip() == ""
    project.run("upgrade", "ae1027a6acf")
    assert project.run("current").split() == ["ae1027a6acf"]
    assert re.search(r"^53fffde5ad5 .*\(head\)$", project.run("heads"), re.M)
    assert "1975ea83b712 (branchpoint)" in project.run("branches")
    history = project.run("history")
    assert history.index("53fffde5ad5") < history.index("1975ea83b712")
    ranged = project.run("history", "-r", "suppliers@base:")
    assert "27c6a30d7c24" in ranged
    assert "(current)" in project.run("history", "-i")
    shown = project.run("show", "53fffde5ad5")
    assert "Merges: ae1027a6acf, 27c6a30d7c24" in shown


def test_downgrade_relative_and_stamp(project):
    project.run("upgrade", "heads")
    project.run("downgrade", "ae1027a6acf")
    assert project.versions() == {"ae1027a6acf", "27c6a30d7c24"}
    assert "supplier_id" not in {c["name"] for c in _columns(project.db, "inventory_item")}
    project.run("downgrade", "base")
    assert project.tables() <= {"alembic_version"}
    project.run("upgrade", "+1")
    assert project.versions() == {"1975ea83b712"}
    project.run("downgrade", "-1")
    assert project.versions() == set()
    project.run("stamp", "heads")
    assert project.versions() == {"53fffde5ad5"}


def _columns(path, table):
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return sa.inspect(engine).get_columns(table)
    finally:
        engine.dispose()


def test_upgrade_sql_is_offline(project):
    # (the merge revision's batch recreate on SQLite needs reflection, so stop before it)
    out = project.run("upgrade", "ae1027a6acf", "--sql")
    assert "CREATE TABLE inventory_item" in out
    assert "ALTER TABLE inventory_item ADD COLUMN quantity" in out
    assert "Running upgrade" not in out.replace("-- Running upgrade", "")
    assert project.tables() == set()


def test_showmigrations(project):
    out = project.run("showmigrations")
    assert out.splitlines() == [
        "(main)",
        " [ ] 1975ea83b712 create item table",
        " [ ] ae1027a6acf add quantity column",
        " [ ] 53fffde5ad5 merge quantity and suppliers; link items to suppliers",
        "suppliers",
        " [ ] 27c6a30d7c24 create supplier table",
    ]
    project.run("upgrade", "27c6a30d7c24")
    out = project.run("showmigrations")
    assert " [X] 1975ea83b712 create item table" in out
    assert " [X] 27c6a30d7c24 create supplier table" in out
    assert " [ ] ae1027a6acf add quantity column" in out
    plan = project.run("showmigrations", "--plan").splitlines()
    assert [line.split()[-1] if False else line[:4] for line in plan].count("[X] ") == 2
    assert plan[0].startswith("[X]  1975ea83b712")
    assert plan[-1].startswith("[ ]  53fffde5ad5")
    verbose = project.run("showmigrations", "--plan", verbosity=2)
    assert "53fffde5ad5 merge quantity and suppliers; link items to suppliers (ae1027a6acf, 27c6a30d7c24)" in verbose


def test_upgrade_check_is_a_ci_gate(project):
    with pytest.raises(CommandError) as info:
        project.run("upgrade", "heads", "--check")
    assert info.value.returncode == 1
    assert "4 unapplied revision(s)" in str(info.value)
    assert project.tables() <= {"alembic_version"}
    project.run("upgrade", "ae1027a6acf")
    project.run("upgrade", "ae1027a6acf", "--check")  # nothing pending up to there
    with pytest.raises(CommandError, match="2 unapplied"):
        project.run("upgrade", "heads", "--check")
    project.run("upgrade", "heads")
    assert "No unapplied revisions." in project.run("upgrade", "heads", "--check")


def test_subcommand_options_as_call_command_keywords(project):
    with pytest.raises(CommandError, match="4 unapplied"):
        project.run("upgrade", "heads", check_unapplied=True)
    project.run("upgrade", "heads", verbosity=0)
    assert project.versions() == {"53fffde5ad5"}


def test_test_database_hook_skips_explicit_urls(project, tmp_path):
    from alembic_django.apps import upgrade_alias

    target = tmp_path / "production.db"
    alembic = {"default": {"script_location": project.root / "alembic",
                           "sqlalchemy.url": f"sqlite:///{target}"}}
    with override_settings(ALEMBIC=alembic):
        assert upgrade_alias("default") == []
    assert not target.exists()
    assert upgrade_alias("scratch", stdout=StringIO()) == ["default"]
    assert project.versions() == {"53fffde5ad5"}
    with override_settings(ALEMBIC_TEST_UPGRADE=False):
        assert upgrade_alias("scratch") == []


class RecordingConnection(__import__("sqlite3").Connection):
    opened: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordingConnection.opened.append(args[0] if args else kwargs.get("database"))


def test_non_string_options_reach_the_driver_through_a_lent_connection(project):
    from django.db import connections

    options = connections["scratch"].settings_dict.setdefault("OPTIONS", {})
    options["factory"] = RecordingConnection
    RecordingConnection.opened.clear()
    try:
        project.run("upgrade", "heads")
    finally:
        options.pop("factory")
    assert RecordingConnection.opened and str(project.db) in RecordingConnection.opened
    assert project.versions() == {"53fffde5ad5"}


def test_revision_and_merge_write_files(project):
    project.run("revision", "-m", "add colour", "--rev-id", "c0l0ur000001")
    created = list((project.root / "alembic" / "versions").glob("c0l0ur000001_*.py"))
    assert [p.name for p in created] == ["c0l0ur000001_add_colour.py"]
    assert "53fffde5ad5" in created[0].read_text()
    assert re.search(r"^c0l0ur000001 .*\(head\)$", project.run("heads"), re.M)
    project.run("revision", "-m", "side", "--head", "1975ea83b712", "--splice",
                "--rev-id", "51de00000001", "--branch-label", "side")
    assert len(project.run("heads").splitlines()) == 2
    project.run("merge", "heads", "-m", "join", "--rev-id", "301400000001")
    assert project.run("heads").split()[0] == "301400000001"
    shown = project.run("showmigrations")
    assert "side\n [ ] 51de00000001 side" in shown


def test_revision_autogenerate_against_database(project):
    project.run("upgrade", "heads")
    out = project.run("revision", "--autogenerate", "-m", "nothing", "--rev-id", "a070000000a1")
    # as makemigrations: nothing detected, nothing written (see test_django_messages.py)
    assert out == "No changes detected\n"
    assert not list((project.root / "alembic" / "versions").glob("a070000000a1_*.py"))


def test_check_finds_no_drift_between_tables_and_revisions(project):
    project.run("upgrade", "heads")
    assert "No new upgrade operations detected." in project.run("check")
    project.run("--name", "analytics", "upgrade", "heads")
    assert "No new upgrade operations detected." in project.run("--name", "analytics", "check")


def test_errors_become_command_errors(project):
    with pytest.raises(CommandError) as info:
        project.run("upgrade", "nosuchrev")
    assert info.value.returncode == 255
    assert "nosuchrev" in str(info.value)
    with pytest.raises(CommandError, match="No environment 'nope'"):
        project.run("--name", "nope", "heads")
    with pytest.raises(CommandError):
        project.run("upgrade")  # missing positional: argparse error, raised as CommandError


def test_config_command_shows_sources(project):
    out = project.run("config")
    assert "script_location" in out
    assert "settings.ALEMBIC['default']" in out


def test_list_templates_and_init(project, tmp_path):
    assert "django - " in project.run("list_templates")
    target = tmp_path / "fresh"
    with override_settings(BASE_DIR=tmp_path / "site"):
        (tmp_path / "site").mkdir()
        out = project.run("init", str(target))
    assert (target / "env.py").exists()
    assert (tmp_path / "site" / "alembic.ini").exists()  # BASE_DIR, never the cwd
    assert "get_main_option(\"sqlalchemy.url\")" in (target / "env.py").read_text()
    assert str(target) in out


def test_raiseerr_keeps_engine_error(project):
    from alembic_django.engine.errors import CommandError as EngineError

    with pytest.raises(EngineError):
        project.run("--raiseerr", "upgrade", "nosuchrev")


# -- the same commands on PostgreSQL and MariaDB, through a Django DATABASES alias ------------
def _django_entry(url_text: str) -> dict:
    from sqlalchemy.engine import make_url

    url = make_url(url_text)
    engine = {"postgresql": "postgresql", "mysql": "mysql"}[url.get_backend_name()]
    return {"ENGINE": f"django.db.backends.{engine}", "NAME": url.database,
            "USER": url.username or "", "PASSWORD": url.password or "",
            "HOST": url.host or "", "PORT": url.port or "", "OPTIONS": {}}


@pytest.fixture(params=["postgresql", "mysql"])
def server_project(request, project):
    from conftest import wipe_database
    from django.db import connections

    url = request.getfixturevalue(f"{request.param}_url")
    connections.settings["server"] = _django_entry(url)
    alembic = {"default": {"script_location": project.root / "alembic", "database": "server"}}
    try:
        with override_settings(ALEMBIC=alembic):
            yield project, url
    finally:
        del connections.settings["server"]
        try:
            del connections["server"]  # the cached DatabaseWrapper, if one was made
        except AttributeError:
            pass
        wipe_database(url)


def test_upgrade_downgrade_on_server(server_project):
    import sqlalchemy as sa

    project, url = server_project
    project.run("upgrade", "heads")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        tables = set(sa.inspect(engine).get_table_names())
        assert {"inventory_item", "inventory_supplier", "alembic_version"} <= tables
        assert "[X] 53fffde5ad5" in project.run("showmigrations")
        project.run("upgrade", "heads", "--check")
        project.run("downgrade", "base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()

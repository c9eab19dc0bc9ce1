"""Findings of a Django adopter's walk through the docs (``manage.py alembic`` in-process).

* autogenerate (``check``, ``revision --autogenerate``) leaves Django's own tables alone;
* a database that cannot be reached is a one-line ``CommandError`` for
  ``showmigrations`` / ``upgrade --check`` (no traceback, no password);
* ``showmigrations``, ``upgrade --check`` and check W002 read the environment's
  ``version_table``;
* a failing step finishes its progress line with ``FAILED``.
"""

from __future__ import annotations

import shutil
import sqlite3
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

from alembic_django import checks, conf  # noqa: E402

HEADS = {"53fffde5ad5"}
PASSWORD = "p@ss%w0rd"


class Project:
    """The example's ``default`` environment copied to ``root``, on the ``scratch`` alias."""

    def __init__(self, root: Path, **entry: object) -> None:
        from django.db import connections

        shutil.copytree(django_settings.EXAMPLE / "alembic", root / "alembic",
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.db = root / "default.sqlite3"
        self._saved = connections["scratch"].settings_dict["NAME"]
        connections["scratch"].settings_dict["NAME"] = str(self.db)
        self.settings = override_settings(ALEMBIC={
            "default": {"script_location": root / "alembic", "database": "scratch",
                        "target_metadata": "inventory.tables:metadata", **entry},
        })

    def run(self, *args: str, **kwargs: object) -> str:
        out = StringIO()
        kwargs.setdefault("no_color", True)
        try:
            call_command("alembic", *args, stdout=out, stderr=StringIO(), **kwargs)
        finally:
            self.output = out.getvalue()
        return self.output

    def sql(self, *statements: str) -> None:
        with sqlite3.connect(self.db) as db:
            for statement in statements:
                db.execute(statement)

    def restore(self) -> None:
        from django.db import connections

        connections["scratch"].settings_dict["NAME"] = self._saved


@pytest.fixture
def make_project(tmp_path):
    made: list[Project] = []

    def make(**entry: object) -> Project:
        p = Project(tmp_path, **entry)
        p.settings.enable()
        made.append(p)
        return p

    yield make
    for p in made:
        p.settings.disable()
        p.restore()


@pytest.fixture
def django_model_table():
    """A Django model ``inventory.QaThing`` (table ``inventory_qathing``) while the test runs."""
    from django.apps import apps
    from django.db import models

    class QaThing(models.Model):
        tags = models.ManyToManyField("self")

        class Meta:
            app_label = "inventory"

    try:
        yield QaThing
    finally:
        for key in [k for k in apps.all_models["inventory"] if k.startswith("qathing")]:
            del apps.all_models["inventory"][key]
        apps.clear_cache()


# -- autogenerate and Django's tables ---------------------------------------------------------
def test_django_table_names_lists_models_m2m_and_django_migrations(django_model_table):
    names = conf.django_table_names()
    assert {"inventory_qathing", "inventory_qathing_tags", "django_migrations"} <= names
    assert "inventory_item" not in names


def test_check_ignores_django_tables_but_not_other_strays(make_project, django_model_table):
    project = make_project()
    project.run("upgrade", "heads")
    # what Django's migrate leaves in the same database
    project.sql(
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app VARCHAR(255), "
        "name VARCHAR(255), applied DATETIME)",
        "CREATE TABLE inventory_qathing (id INTEGER PRIMARY KEY)",
        "CREATE TABLE inventory_qathing_tags (id INTEGER PRIMARY KEY, "
        "from_qathing_id INTEGER, to_qathing_id INTEGER)",
    )
    assert project.run("check").strip() == "No new upgrade operations detected."

    project.sql("CREATE TABLE stray (id INTEGER PRIMARY KEY)")
    with pytest.raises(CommandError) as info:
        project.run("check")
    assert str(info.value) == "New upgrade operations detected: 1 change(s)"
    # the Detected lines come first, as autogenerate's report (see test_django_messages.py)
    assert project.output == "Detected removed table 'stray'\n"


def test_revision_autogenerate_writes_no_drop_of_django_tables(make_project, tmp_path):
    project = make_project()
    project.run("upgrade", "heads")
    project.sql("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app VARCHAR(255), "
                "name VARCHAR(255), applied DATETIME)",
                "CREATE TABLE stray (id INTEGER PRIMARY KEY)")  # so that a file is written
    out = project.run("revision", "--autogenerate", "-m", "nothing")
    assert out.startswith("Detected removed table 'stray'\n")
    path = Path(out.split("Generating ", 1)[1].split(" ...", 1)[0])
    body = path.read_text()
    assert "op.drop_table('stray')" in body and "django_migrations" not in body


def test_a_metadata_table_named_like_a_django_table_is_still_compared():
    import sqlalchemy as sa

    hook = conf._with_django_tables_excluded(None)["include_object"]
    table = sa.Table("django_migrations", sa.MetaData())
    # reflected, not in the metadata: left out
    assert hook(table, "django_migrations", "table", True, None) is False
    # reflected and in the metadata (compare_to set): compared
    assert hook(table, "django_migrations", "table", True, table) is True
    # in the metadata only (would be created): kept
    assert hook(table, "django_migrations", "table", False, None) is True


def test_user_include_object_is_chained_not_replaced():
    seen = []

    def mine(obj, name, type_, reflected, compare_to):
        seen.append(name)
        return name != "legacy"

    options = conf._with_django_tables_excluded({"include_object": mine, "render_as_batch": True})
    hook = options["include_object"]
    assert options["render_as_batch"] is True
    assert hook(None, "django_migrations", "table", True, None) is False
    assert hook(None, "legacy", "table", True, None) is False
    assert hook(None, "account", "table", True, None) is True
    assert seen == ["legacy", "account"]
    # wrapping twice does not stack hooks
    assert conf._with_django_tables_excluded(options)["include_object"] is hook


def test_get_config_installs_the_hook_and_keeps_caller_options(make_project):
    make_project()
    cfg = conf.get_config(attributes={"context_options": {"render_as_batch": True}})
    options = cfg.attributes["context_options"]
    assert options["render_as_batch"] is True
    assert options["include_object"](None, "django_migrations", "table", True, None) is False


# -- unreachable databases -----------------------------------------------------------------------
@pytest.fixture
def unreachable_pg_alias():
    """A PostgreSQL alias on a closed port, with a password that needs quoting."""
    pytest.importorskip("psycopg")
    from django.db import connections

    alias = "qa_unreachable"
    connections.settings[alias] = {
        "ENGINE": "django.db.backends.postgresql", "NAME": "nowhere", "USER": "qa",
        "PASSWORD": PASSWORD, "HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {}, "TEST": {},
        "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "TIME_ZONE": None,
    }
    try:
        yield alias
    finally:
        del connections.settings[alias]
        try:
            del connections[alias]
        except AttributeError:
            pass


@pytest.mark.parametrize("args", [["showmigrations"], ["upgrade", "heads", "--check"]])
def test_unreachable_database_is_a_one_line_error(make_project, unreachable_pg_alias, args):
    project = make_project()
    with pytest.raises(CommandError) as info:
        project.run("--database", unreachable_pg_alias, *args)
    message = str(info.value)
    assert info.value.returncode == 255
    assert message.startswith(
        f"Cannot connect to database '{unreachable_pg_alias}' "
        "(postgresql+psycopg://qa:***@127.0.0.1:1/nowhere): OperationalError: ")
    assert "\n" not in message and "Background on this error" not in message
    assert PASSWORD not in message and "p%40ss" not in message


def test_w002_reports_unreachable_database_on_one_line(make_project, unreachable_pg_alias):
    make_project(database=unreachable_pg_alias)
    warnings = checks.check_unapplied(databases=[unreachable_pg_alias])
    assert [w.id for w in warnings] == ["alembic_django.W002"]
    text = warnings[0].msg
    assert text.startswith(f"Cannot read Alembic environment 'default' on database "
                           f"'{unreachable_pg_alias}': ")
    assert "Background on this error" not in text and PASSWORD not in text


def test_one_line_error_hides_the_password(unreachable_pg_alias):
    exc = RuntimeError(f"failed for qa:{PASSWORD}@host\n(Background on this error at: x)")
    assert conf.one_line_error(exc, unreachable_pg_alias) == "failed for qa:***@host"
    quoted = RuntimeError("url postgresql://qa:p%40ss%25w0rd@host/db")
    assert conf.one_line_error(quoted, unreachable_pg_alias) == "url postgresql://qa:***@host/db"


# -- version_table ------------------------------------------------------------------------------------
def test_showmigrations_check_and_w002_read_the_configured_version_table(make_project):
    project = make_project(version_table="qa_version")
    project.run("upgrade", "heads")
    with sqlite3.connect(project.db) as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
        assert {r[0] for r in db.execute("select version_num from qa_version")} == HEADS
    assert "alembic_version" not in tables
    listing = project.run("showmigrations")
    assert "[ ]" not in listing and listing.count("[X]") == 4
    assert project.run("upgrade", "heads", "--check").strip() == "No unapplied revisions."
    assert checks.check_unapplied(databases=["scratch"]) == []

    project.run("downgrade", "ae1027a6acf")
    with pytest.raises(CommandError) as info:
        project.run("upgrade", "heads", "--check")
    assert info.value.returncode == 1
    [warning] = checks.check_unapplied(databases=["scratch"])
    assert "unapplied Alembic revision(s) in environment 'default'" in warning.msg


# -- progress line of a failing step -----------------------------------------------------------
def test_failing_step_finishes_its_progress_line(make_project):
    project = make_project()
    project.sql("CREATE TABLE inventory_item (id INTEGER PRIMARY KEY)")  # the first step collides
    with pytest.raises(CommandError) as info:
        project.run("upgrade", "heads")
    assert info.value.returncode == 255
    assert project.output == "  Running upgrade  -> 1975ea83b712, create item table... FAILED\n"


def test_env_py_driver_error_is_one_line_too(make_project, unreachable_pg_alias):
    project = make_project()
    with pytest.raises(CommandError) as info:
        project.run("--database", unreachable_pg_alias, "upgrade", "heads")
    message = str(info.value)
    assert info.value.returncode == 255
    # the connection is named, not env.py (which only passed the error on)
    assert message.startswith(
        f"Cannot connect to database '{unreachable_pg_alias}' "
        "(postgresql+psycopg://qa:***@127.0.0.1:1/nowhere): OperationalError: ")
    assert "env.py" not in message
    assert "\n" not in message and "Background on this error" not in message
    assert PASSWORD not in message and "p%40ss" not in message

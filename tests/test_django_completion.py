"""Shell completion of ``manage.py alembic`` through Django's completion protocol, and the
``runserver`` notice for unapplied revisions (issue 15, item 2)."""

from __future__ import annotations

import shutil
import time
from io import StringIO

import django_settings
import pytest

django_settings.configure()

import django  # noqa: E402
from django.core.management import ManagementUtility  # noqa: E402
from django.test import override_settings  # noqa: E402

django.setup()


def complete(monkeypatch, capsys, line: str) -> list[str]:
    """What Django's bash completion gets for ``line`` (the cursor at its end), by
    driving ``ManagementUtility.autocomplete()`` as ``django_bash_completion`` does."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    monkeypatch.setenv("DJANGO_AUTO_COMPLETE", "1")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(cword))
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        ManagementUtility(["manage.py"]).autocomplete()
    assert info.value.code == 0
    return capsys.readouterr().out.split()


SUBCOMMANDS = ["branches", "check", "config", "current", "downgrade", "edit", "ensure_version",
               "heads", "history", "init", "list_templates", "merge", "revision", "show",
               "showmigrations", "stamp", "upgrade"]

CASES = [
    ("manage.py alem", lambda got: got == ["alembic"]),
    ("manage.py alembic ", lambda got: set(SUBCOMMANDS) <= set(got)
     and {"--all", "--database=", "--name=", "-x="} <= set(got)),
    ("manage.py alembic up", lambda got: got == ["upgrade"]),
    ("manage.py alembic sh", lambda got: got == ["show", "showmigrations"]),
    ("manage.py alembic --name default do", lambda got: got == ["downgrade"]),
    ("manage.py alembic --name=default do", lambda got: got == ["downgrade"]),
    ("manage.py alembic upgrade --", lambda got: got == [
        "--check", "--database=", "--help", "--name=", "--sql", "--tag=", "--verbosity="]),
    ("manage.py alembic upgrade heads --s", lambda got: got == ["--sql"]),
    ("manage.py alembic revision --auto", lambda got: got == ["--autogenerate"]),
    ("manage.py alembic history --", lambda got: {"--rev-range=", "--verbose",
                                                  "--indicate-current", "--graph"} <= set(got)),
    ("manage.py alembic showmigrations -", lambda got: "--plan" in got),
    ("manage.py alembic upgrade --sql --s", lambda got: got == []),  # given once already
]


@pytest.mark.parametrize("line, ok", CASES, ids=[c[0].split(" ", 1)[1] for c in CASES])
def test_completion(monkeypatch, capsys, line, ok):
    got = complete(monkeypatch, capsys, line)
    assert ok(got), got


def test_no_completion_outside_the_protocol(monkeypatch):
    from alembic_django.management.commands.alembic import Command

    monkeypatch.delenv("DJANGO_AUTO_COMPLETE", raising=False)
    parser = Command().create_parser("manage.py", "alembic")
    assert any(a.dest == "cmd" for a in parser._actions)  # the real parser


# -- runserver -------------------------------------------------------------------------------
@pytest.fixture
def scratch_project(tmp_path):
    from django.db import connections

    shutil.copytree(django_settings.EXAMPLE / "alembic", tmp_path / "alembic",
                    ignore=shutil.ignore_patterns("__pycache__"))
    saved = connections["scratch"].settings_dict["NAME"]
    connections["scratch"].close()  # (the notice reads through Django's connection)
    connections["scratch"].settings_dict["NAME"] = str(tmp_path / "rs.sqlite3")
    yield tmp_path
    connections["scratch"].close()
    connections["scratch"].settings_dict["NAME"] = saved


def runserver_notice() -> tuple[str, float]:
    """What runserver's check_migrations() prints (Django's notice and ours)."""
    from django.core.management.commands.runserver import Command

    out = StringIO()
    command = Command(stdout=out, no_color=True)
    start = time.perf_counter()
    command.check_migrations()
    return out.getvalue(), time.perf_counter() - start


def test_runserver_lists_unapplied_revisions(scratch_project):
    from django.core.management import call_command

    alembic = {"default": {"script_location": scratch_project / "alembic", "database": "scratch"}}
    with override_settings(ALEMBIC=alembic):
        call_command("alembic", "upgrade", "ae1027a6acf", verbosity=0)
        text, _ = runserver_notice()
        assert text == (
            "\nYou have 2 unapplied Alembic revision(s). Your project may not work properly "
            "until you apply the revisions for environment(s): default.\n"
            "  default: 27c6a30d7c24, 53fffde5ad5\n"
            "Run 'python manage.py alembic upgrade heads' to apply them.\n")
        call_command("alembic", "upgrade", "heads", verbosity=0)
        assert runserver_notice()[0] == ""


def test_runserver_names_each_environment(scratch_project):
    shutil.copytree(django_settings.EXAMPLE / "analytics_migrations",
                    scratch_project / "analytics_migrations",
                    ignore=shutil.ignore_patterns("__pycache__"))
    alembic = {
        "default": {"script_location": scratch_project / "alembic", "database": "scratch"},
        "analytics": {"script_location": scratch_project / "analytics_migrations",
                      "database": "scratch", "version_table": "alembic_version_analytics"},
    }
    with override_settings(ALEMBIC=alembic):
        text, _ = runserver_notice()
    assert "You have 6 unapplied Alembic revision(s)" in text
    assert "  default: 1975ea83b712, 27c6a30d7c24, ae1027a6acf, 53fffde5ad5\n" in text
    assert "  analytics: 3cac04ae8714, 4f2e9c1b7d30\n" in text
    assert text.endswith("Run 'python manage.py alembic --all upgrade heads' to apply them.\n")


def test_runserver_survives_an_unreachable_database(scratch_project):
    pytest.importorskip("psycopg")
    from django.db import connections

    alias = "rs_unreachable"
    connections.settings[alias] = {
        "ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "app",
        "PASSWORD": "s3cret", "HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {}, "TEST": {},
        "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "TIME_ZONE": None}
    alembic = {"default": {"script_location": scratch_project / "alembic", "database": alias}}
    try:
        with override_settings(ALEMBIC=alembic):
            text, elapsed = runserver_notice()
    finally:
        del connections.settings[alias]
    assert text.startswith("Cannot check Alembic environment 'default' for unapplied "
                           "revisions: ")
    assert "s3cret" not in text and text.count("\n") == 1
    assert elapsed < 5  # a refused connection fails fast; nothing is retried


def test_runserver_notice_imports_no_sqlalchemy(scratch_project, tmp_path):
    """The notice reads the version table through Django's connection (checked in a
    fresh process, where nothing imported SQLAlchemy before)."""
    import subprocess
    import sys

    script = (
        "import sys, django\n"
        "from django.conf import settings\n"
        f"settings.configure(INSTALLED_APPS=['alembic_django'], DATABASES={{'default': "
        f"{{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'fresh.db')!r}}}}},"
        f" ALEMBIC={{'default': {{'script_location': {str(scratch_project / 'alembic')!r}}}}})\n"
        "django.setup()\n"
        "from django.core.management.commands.runserver import Command\n"
        "Command().check_migrations()\n"
        "print('sqlalchemy' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ,
                                            "PYTHONPATH": str(django_settings.REPO)})
    assert proc.returncode == 0, proc.stderr
    assert "You have 4 unapplied Alembic revision(s)" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "False"


def test_runserver_without_alembic_setting_says_nothing():
    with override_settings(ALEMBIC=None):
        assert runserver_notice()[0] == ""

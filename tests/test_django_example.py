"""End to end: ``example_project/manage.py alembic`` in a subprocess, from a clean copy."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example_project"

pytest.importorskip("django")
pytest.importorskip("alembic_django.command")


@pytest.fixture
def example(tmp_path):
    """A clean copy of example_project (no databases, no caches)."""
    target = tmp_path / "example_project"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    return target


def manage(project: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, str(project / "manage.py"), "alembic", *args],
        cwd=cwd or project.parent, env=env, capture_output=True, text=True, timeout=120,
    )


def versions_or_empty(db: Path) -> set[str]:
    try:
        return versions(db)
    except sqlite3.OperationalError:
        return set()


def versions(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}


def test_readme_run_command_from_a_clean_clone(example):
    """The README's run command: every environment upgraded to heads."""
    proc = manage(example, "--all", "upgrade", "heads")
    assert proc.returncode == 0, proc.stderr
    assert versions(example / "db.sqlite3") == {"53fffde5ad5"}
    assert versions(example / "analytics.sqlite3") == {"4f2e9c1b7d30"}
    assert "Environment 'default':" in proc.stdout and "Environment 'analytics':" in proc.stdout
    assert "Running upgrade" in proc.stdout
    clash = manage(example, "--all", "--name", "analytics", "current")
    assert clash.returncode != 0 and "mutually exclusive" in clash.stderr


def test_default_environment_only(example):
    proc = manage(example, "upgrade", "heads")
    assert proc.returncode == 0, proc.stderr
    assert versions(example / "db.sqlite3") == {"53fffde5ad5"}
    assert not (example / "analytics.sqlite3").exists() or \
        not versions_or_empty(example / "analytics.sqlite3")
    again = manage(example, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert "Running upgrade" not in again.stdout


def test_second_environment_and_checks(example):
    proc = manage(example, "--name", "analytics", "upgrade", "heads", "-v", "2")
    assert proc.returncode == 0, proc.stderr
    assert versions(example / "analytics.sqlite3") == {"4f2e9c1b7d30"}
    assert "s)" in proc.stdout  # timings at -v 2
    check = subprocess.run(
        [sys.executable, str(example / "manage.py"), "check", "--database", "default"],
        cwd=example, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert check.returncode == 0, check.stderr
    assert "alembic_django.W002" in check.stderr + check.stdout
    assert "4 unapplied Alembic revision(s) in environment 'default'" in check.stderr + check.stdout


def test_showmigrations_and_check_gate(example):
    gate = manage(example, "upgrade", "heads", "--check")
    assert gate.returncode == 1
    assert "unapplied revision(s)" in gate.stderr
    shown = manage(example, "showmigrations")
    assert " [ ] 1975ea83b712 create item table" in shown.stdout
    manage(example, "upgrade", "heads")
    shown = manage(example, "showmigrations", "--no-color")
    assert " [X] 27c6a30d7c24 create supplier table" in shown.stdout
    assert manage(example, "upgrade", "heads", "--check").returncode == 0


def test_errors_exit_with_engine_code_and_no_traceback(example):
    proc = manage(example, "upgrade", "nosuchrev")
    assert proc.returncode == 255
    assert "CommandError:" in proc.stderr and "nosuchrev" in proc.stderr
    assert "Traceback" not in proc.stderr
    traced = manage(example, "--traceback", "upgrade", "nosuchrev")
    assert "Traceback" in traced.stderr
    after = manage(example, "upgrade", "nosuchrev", "--traceback", "--no-color", "-v", "0")
    assert "Traceback" in after.stderr  # Django's options also work after the subcommand


def test_history_with_branch_range_and_heads(example):
    proc = manage(example, "history", "-r", "suppliers@base:")
    assert proc.returncode == 0, proc.stderr
    assert "27c6a30d7c24" in proc.stdout
    heads = manage(example, "heads", cwd=example / "inventory")
    assert heads.stdout.split() == ["53fffde5ad5", "(suppliers)", "(head)"]


def test_django_admin_with_settings_and_pythonpath(example, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run(
        [sys.executable, "-m", "django", "alembic", "--settings=example_project.settings",
         f"--pythonpath={example}", "--name", "analytics", "heads"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["4f2e9c1b7d30", "(head)"]


def test_read_only_commands_do_not_import_sqlalchemy(example):
    code = (
        "import io, os, sys\n"
        f"sys.path.insert(0, {str(example)!r})\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'example_project.settings'\n"
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "for args in (['heads'], ['branches'], ['history'], ['show', 'ae10']):\n"
        "    call_command('alembic', *args, stdout=io.StringIO())\n"
        "print('sqlalchemy' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_plain_migrate_leaves_alembic_alone(example):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run([sys.executable, str(example / "manage.py"), "migrate", "-v", "0"],
                          cwd=example, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(example / "db.sqlite3") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "alembic_version" not in names  # only test databases are upgraded automatically

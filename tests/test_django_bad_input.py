"""The bad-input catalogue, Django part: each bad ALEMBIC setting or option gives one
clear line naming the culprit, the engine's exit code, and changes nothing."""

from __future__ import annotations

import os
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

EXAMPLE_SCRIPTS = django_settings.EXAMPLE / "alembic"

CASES = [
    # (id, ALEMBIC setting, argv, culprit)
    ("alembic-not-a-dict", ["x"], ["heads"], "ALEMBIC"),
    ("environment-not-a-dict", {"default": "alembic"}, ["heads"], "default"),
    ("unknown-database-alias",
     {"default": {"script_location": EXAMPLE_SCRIPTS, "database": "nope"}},
     ["current"], "nope"),
    ("missing-script-location", {"default": {"database": "default"}}, ["heads"],
     "script_location"),
    ("script-location-missing-dir",
     {"default": {"script_location": "/no/such/dir/anywhere"}}, ["heads"],
     "/no/such/dir/anywhere"),
    ("boolean-wrong-type",
     {"default": {"script_location": EXAMPLE_SCRIPTS, "sourceless": "yes"}}, ["heads"],
     "sourceless"),
    ("list-key-wrong-type",
     {"default": {"script_location": EXAMPLE_SCRIPTS, "version_locations": 5}}, ["heads"],
     "version_locations"),
    ("unknown-environment-name",
     {"default": {"script_location": EXAMPLE_SCRIPTS}}, ["--name", "nope", "heads"], "nope"),
    ("unknown-database-option",
     {"default": {"script_location": EXAMPLE_SCRIPTS}}, ["--database", "nope", "current"],
     "nope"),
    ("ambiguous-default-environment",
     {"one": {"script_location": EXAMPLE_SCRIPTS}, "two": {"script_location": EXAMPLE_SCRIPTS}},
     ["heads"], "--name"),
    ("bad-target-metadata",
     {"default": {"script_location": EXAMPLE_SCRIPTS, "database": "scratch",
                  "target_metadata": "no_such_module_xyz:metadata"}},
     ["check"], "no_such_module_xyz"),
    ("bad-revision-identifier",
     {"default": {"script_location": EXAMPLE_SCRIPTS, "database": "scratch"}},
     ["upgrade", "zzzzzz"], "zzzzzz"),
]


def snapshot(root: Path) -> dict:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*") if "__pycache__" not in str(p)
            and not p.name.startswith(".alembic_django_index")}


@pytest.mark.parametrize("case_id,setting,argv,culprit", CASES, ids=[c[0] for c in CASES])
def test_bad_django_input(case_id, setting, argv, culprit, tmp_path):
    from django.db import connections

    saved = connections["scratch"].settings_dict["NAME"]
    connections["scratch"].settings_dict["NAME"] = str(tmp_path / "scratch.sqlite3")
    before = snapshot(django_settings.EXAMPLE)
    try:
        with override_settings(ALEMBIC=setting):
            with pytest.raises(CommandError) as info:
                call_command("alembic", *argv, stdout=StringIO(), stderr=StringIO())
    finally:
        connections["scratch"].settings_dict["NAME"] = saved
    message = str(info.value)
    assert culprit in message, message
    assert "\n" not in message.strip(), message
    assert info.value.returncode not in (0, None)
    assert snapshot(django_settings.EXAMPLE) == before
    db = tmp_path / "scratch.sqlite3"
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "alembic_version" not in names


def test_manage_py_error_is_one_line_without_traceback(tmp_path):
    import shutil

    project = tmp_path / "example_project"
    shutil.copytree(django_settings.EXAMPLE, project,
                    ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run([sys.executable, str(project / "manage.py"), "alembic", "upgrade",
                           "zzzzzz"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 255
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "zzzzzz" in lines[0], proc.stderr

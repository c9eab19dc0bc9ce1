"""``manage.py alembic fleet``: targets from settings (``ALEMBIC[...]["fleet"]`` groups,
``DATABASES`` aliases), the same verbs as the standalone command line."""

from __future__ import annotations

import json
import shutil
from io import StringIO

import django_settings
import pytest

django_settings.configure()

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.test import override_settings  # noqa: E402

django.setup()

HEAD = "53fffde5ad5"


@pytest.fixture
def fleet_project(tmp_path):
    from django.db import connections

    shutil.copytree(django_settings.EXAMPLE / "alembic", tmp_path / "alembic",
                    ignore=shutil.ignore_patterns("__pycache__"))
    saved = {}
    paths = {"scratch": tmp_path / "one.sqlite3", "scratch_analytics": tmp_path / "two.sqlite3"}
    for alias, path in paths.items():
        saved[alias] = connections[alias].settings_dict["NAME"]
        connections[alias].settings_dict["NAME"] = str(path)
    settings = override_settings(ALEMBIC={"default": {
        "script_location": tmp_path / "alembic", "database": "scratch",
        "target_metadata": "inventory.tables:metadata",
        "fleet": {"shards": {"databases": ["scratch", "scratch_analytics"]}},
    }})
    settings.enable()
    try:
        yield paths
    finally:
        settings.disable()
        for alias, name in saved.items():
            connections[alias].settings_dict["NAME"] = name


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command("alembic", *args, stdout=out, stderr=StringIO(), no_color=True, **kwargs)
    return out.getvalue()


def versions(path) -> set[str]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        try:
            return {r[0] for r in conn.execute("select version_num from alembic_version")}
        except sqlite3.OperationalError:
            return set()


def test_databases_group_from_settings(fleet_project):
    out = run("fleet", "upgrade", "heads", "--json", "-j", "2")
    results = json.loads(out[out.index("["):])
    assert [(r["target"], r["status"], r["to"]) for r in results] == [
        ("default:scratch", "migrated", HEAD), ("default:scratch_analytics", "migrated", HEAD)]
    assert versions(fleet_project["scratch"]) == versions(
        fleet_project["scratch_analytics"]) == {HEAD}
    out = run("fleet", "current")
    assert "2 up-to-date (2 targets)" in out
    with pytest.raises(CommandError) as caught:
        run("fleet", "check", "--databases", "scratch,nope")
    assert "nope" in str(caught.value)
    assert caught.value.returncode == 1

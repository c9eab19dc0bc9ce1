"""The new commands under ``manage.py alembic``: ``showmigrations --json`` and the
registry's ``--json`` (validated against the documented schemas), ``sqlmigrate``,
``squash`` and ``squashed``."""

from __future__ import annotations

import re

import pytest
from django.core.management.base import CommandError
from json_schemas import validate
from test_django_command import ALL_DEFAULT, Project


@pytest.fixture
def project(tmp_path):
    p = Project(tmp_path)
    p.settings.enable()
    try:
        yield p
    finally:
        p.settings.disable()
        p.restore()


@pytest.mark.parametrize("plan", [False, True], ids=["grouped", "plan"])
def test_showmigrations_json(project, plan):
    args = ["showmigrations", "--json"] + (["--plan"] if plan else [])
    doc = validate(project.run(*args), "showmigrations")
    assert doc["environment"] == "default" and doc["plan"] is plan
    assert not any(r["applied"] for r in doc["revisions"])
    assert sorted(r["revision"] for r in doc["revisions"]) == sorted(ALL_DEFAULT)
    project.run("upgrade", "27c6a30d7c24")
    doc = validate(project.run(*args), "showmigrations")
    applied = {r["revision"]: r["applied"] for r in doc["revisions"]}
    assert applied == {"1975ea83b712": True, "27c6a30d7c24": True,
                       "ae1027a6acf": False, "53fffde5ad5": False}
    branch = {r["revision"]: r["branch"] for r in doc["revisions"]}
    assert branch["27c6a30d7c24"] == "suppliers" and branch["1975ea83b712"] == "(main)"
    order = [r["revision"] for r in doc["revisions"]]
    if plan:
        assert order[0] == "1975ea83b712" and order[-1] == "53fffde5ad5"
    else:  # grouped by branch, as the text output
        assert order[-1] == "27c6a30d7c24"


@pytest.mark.parametrize("verbosity", [0, 1, 3])
def test_registry_json_through_call_command(project, verbosity):
    project.run("upgrade", "heads", verbosity=0)
    doc = validate(project.run("current", "--json", verbosity=verbosity), "current")
    assert [r["revision"] for r in doc["current"]] == ["53fffde5ad5"]
    doc = validate(project.run("heads", "--json", verbosity=verbosity), "heads")
    assert [r["revision"] for r in doc["heads"]] == ["53fffde5ad5"]


@pytest.mark.parametrize("verbosity", [0, 1, 3])
def test_sqlmigrate_prints_only_sql(project, verbosity):
    out = project.run("sqlmigrate", "ae10", verbosity=verbosity)
    assert out.startswith("-- Running upgrade 1975ea83b712 -> ae1027a6acf\n")
    assert "ALTER TABLE inventory_item ADD COLUMN quantity" in out
    assert "OK" not in out and project.versions() == set()  # nothing ran
    back = project.run("sqlmigrate", "27c6a30d7c24", "--backwards", verbosity=verbosity)
    assert back.startswith("-- Running downgrade 27c6a30d7c24 -> 1975ea83b712\n")
    assert "DROP TABLE inventory_supplier" in back


def test_squash_through_manage_py(project):
    with pytest.raises(CommandError, match="Revision 1975ea83b712 is a branch point inside"):
        project.run("squash", "1975ea83b712", "ae1027a6acf")
    project.run("upgrade", "3cac04ae8714", "--name", "analytics")
    out = project.run("squash", "3cac", "4f2e", "--name", "analytics", "--rev-id", "5a5a00000001")
    path = re.search(r"Generating (\S+) \.\.\.  done", out).group(1)
    assert "replaces = (\n    '3cac04ae8714',\n    '4f2e9c1b7d30',\n)" in open(path).read()
    with pytest.raises(CommandError, match="still needed by this database") as err:
        project.run("squashed", "--name", "analytics")
    assert err.value.returncode == 1
    project.run("upgrade", "heads", "--name", "analytics")
    assert project.versions(project.analytics_db) == {"5a5a00000001"}
    assert "not needed by this database" in project.run("squashed", "--name", "analytics")
    shown = validate(project.run("showmigrations", "--json", "--name", "analytics"),
                     "showmigrations")
    assert [(r["revision"], r["applied"], r["replaces"]) for r in shown["revisions"]] == [
        ("5a5a00000001", True, ["3cac04ae8714", "4f2e9c1b7d30"])]

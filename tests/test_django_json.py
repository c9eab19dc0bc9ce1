"""``manage.py alembic showmigrations --json`` (and the registry's ``--json`` through
``call_command``), validated against the documented schemas."""

from __future__ import annotations

import pytest
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

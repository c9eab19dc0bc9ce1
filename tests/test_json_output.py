"""``--json`` on heads, branches, history, show, current and check: every document is
validated against its documented schema (docs/json-schemas/), and its content is
checked against the graph and the database it describes."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from json_schemas import SCHEMAS, validate

from alembic_django.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "example_project"
ITEM, QUANTITY, SUPPLIER, MERGE = "1975ea83b712", "ae1027a6acf", "27c6a30d7c24", "53fffde5ad5"


def run(*argv: str, code: int = 0) -> str:
    out = io.StringIO()
    got = main(list(argv), stdout=out)
    assert got == code, out.getvalue()
    return out.getvalue()


@pytest.fixture
def project(tmp_path, monkeypatch, db_url):
    """The example project's four revisions (a branch, a label, a merge), standalone."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    run("init", "alembic")
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname",
                                           db_url.replace("%", "%%")))
    for path in (EXAMPLE / "alembic" / "versions").glob("*.py"):
        shutil.copy(path, tmp_path / "alembic" / "versions")
    shutil.copy(EXAMPLE / "inventory" / "tables.py", tmp_path / "json_models.py")
    env = tmp_path / "alembic" / "env.py"
    env.write_text(env.read_text().replace(
        "target_metadata = None",
        "import importlib, json_models\nimportlib.reload(json_models)\n"
        "target_metadata = json_models.metadata"))
    yield tmp_path
    sys.modules.pop("json_models", None)


def ids(revs: list[dict]) -> list[str]:
    return [r["revision"] for r in revs]


def test_every_schema_is_valid_and_documented():
    import jsonschema

    docs = (SCHEMAS.parent / "json.rst").read_text(encoding="utf-8")
    names = sorted(p.name for p in SCHEMAS.glob("*.json"))
    assert names == ["branches.json", "check.json", "current.json", "heads.json",
                     "history.json", "revision.json", "show.json", "showmigrations.json"]
    for name in names:
        jsonschema.Draft202012Validator.check_schema(json.loads((SCHEMAS / name).read_text()))
        assert f"json-schemas/{name}" in docs, f"{name} is not shown in docs/json.rst"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_read_only_commands(project):
    heads = validate(run("heads", "--json"), "heads")
    assert ids(heads["heads"]) == [MERGE]
    merge = heads["heads"][0]
    assert merge["down_revisions"] == [QUANTITY, SUPPLIER]
    assert merge["is_merge_point"] and merge["is_head"] and not merge["is_base"]
    assert merge["branch_labels"] == ["suppliers"]
    assert merge["doc"] == "merge quantity and suppliers; link items to suppliers"
    assert merge["path"].endswith("53fffde5ad5_merge_quantity_and_suppliers.py")

    branches = validate(run("branches", "--json"), "branches")
    assert [ids([b["revision"]]) for b in branches["branch_points"]] == [[ITEM]]
    assert sorted(ids(branches["branch_points"][0]["children"])) == sorted([QUANTITY, SUPPLIER])

    history = validate(run("history", "--json"), "history")
    order = ids(history["revisions"])
    assert sorted(order) == sorted([ITEM, QUANTITY, SUPPLIER, MERGE])
    assert order[0] == MERGE and order[-1] == ITEM
    assert all("current" not in r for r in history["revisions"])
    ranged = validate(run("history", "-r", f"{ITEM}:{QUANTITY}", "--json"), "history")
    assert ids(ranged["revisions"]) == [QUANTITY, ITEM]

    show = validate(run("show", "ae10", "--json"), "show")
    assert ids(show["revisions"]) == [QUANTITY]
    assert show["revisions"][0]["longdoc"].startswith("add quantity column")


@pytest.mark.parametrize("argv", [["heads"], ["branches"], ["history"], ["show", "head"]],
                         ids=["heads", "branches", "history", "show"])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_json_is_printed_under_quiet_and_never_imports_sqlalchemy(project, argv):
    import os
    import subprocess

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    code = ("import sys, alembic_django.cli as c; rc = c.main(sys.argv[1:]); "
            "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'; sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, "-q", *argv, "--json"],
                          capture_output=True, text=True, cwd=project, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    validate(proc.stdout, argv[0])


def test_database_commands(project, db_url):
    from sqlalchemy.engine import make_url

    current = validate(run("current", "--json"), "current")
    assert current == {**current, "version_table": [], "current": [], "at_head": False}
    url = make_url(db_url)
    assert current["url"] == url.render_as_string(hide_password=True)
    assert url.password is None or "***" in current["url"]

    check = validate(run("check", "--json", code=255), "check")
    assert check["ok"] is False and check["at_head"] is False and check["diffs"] is None
    assert check["database_heads"] == [] and check["script_heads"] == [MERGE]

    run("upgrade", QUANTITY)
    current = validate(run("current", "--json"), "current")
    assert current["version_table"] == [QUANTITY]
    assert ids(current["current"]) == [QUANTITY] and current["at_head"] is False
    history = validate(run("history", "-i", "--json"), "history")
    flags = {r["revision"]: r["current"] for r in history["revisions"]}
    assert flags == {MERGE: False, QUANTITY: True, SUPPLIER: False, ITEM: False}
    show = validate(run("show", "current", "--json"), "show")
    assert ids(show["revisions"]) == [QUANTITY]

    run("upgrade", "heads")
    check = validate(run("check", "--json"), "check")
    assert check == {**check, "ok": True, "at_head": True, "diffs": [],
                     "database_heads": [MERGE]}
    # drift: the metadata gains a column and an index the revisions do not have
    models = project / "json_models.py"
    models.write_text(models.read_text() + (
        "\nitem.append_column(sa.Column('colour', sa.String(20), nullable=True))\n"
        "sa.Index('ix_inventory_item_name', item.c.name)\n"))
    check = validate(run("check", "--json", code=255), "check")
    assert check["ok"] is False and check["at_head"] is True
    kinds = {(d["kind"], d["table"], d["name"]) for d in check["diffs"]}
    assert ("add_column", "inventory_item", "colour") in kinds
    assert ("add_index", "inventory_item", "ix_inventory_item_name") in kinds
    assert all(d["description"].startswith("Detected ") for d in check["diffs"])


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_current_check_heads_json_then_failure_on_stderr(project, capsys):
    run("upgrade", QUANTITY)
    out = io.StringIO()
    assert main(["current", "--check-heads", "--json"], stdout=out) == 255
    doc = validate(out.getvalue(), "current")  # stdout holds the document only
    assert doc["at_head"] is False
    assert "FAILED: Database is not on all head revisions" in capsys.readouterr().err


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_history_json_refuses_graph(project):
    out = run("history", "--graph", "--json", code=255)
    assert out == ""

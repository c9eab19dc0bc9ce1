"""``revision --autogenerate`` without ``-m`` names the revision after what it detected
(Django's ``Migration.suggest_name()`` habit)."""

from __future__ import annotations

import datetime
import io
import re
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from alembic_django.cli import main
from alembic_django.engine.autogenerate.naming import suggest_name
from alembic_django.engine.operations import ops

WHEN = datetime.datetime(2026, 12, 5, 9, 7)


def col(name: str) -> sa.Column:
    return sa.Column(name, sa.String(20))


def modify(table: str, *children) -> ops.ModifyTableOps:
    return ops.ModifyTableOps(table, list(children))


CASES = [
    ([modify("account", ops.AddColumnOp("account", col("email")))], False,
     "add_column_account_email"),
    ([ops.CreateTableOp("account", [col("id")])], False, "create_table_account"),
    ([ops.CreateTableOp("account", [col("id")])], True, "initial"),
    ([ops.DropTableOp("legacy")], False, "drop_table_legacy"),
    ([modify("account", ops.DropColumnOp("account", "email"))], False,
     "drop_column_account_email"),
    ([modify("account", ops.AlterColumnOp("account", "name", modify_nullable=True))], False,
     "alter_column_account_name"),
    ([ops.CreateIndexOp("ix_account_email", "account", ["email"])], False,
     "create_index_ix_account_email"),
    ([ops.DropIndexOp("ix_account_email", "account")], False, "drop_index_ix_account_email"),
    ([modify("account", ops.AddColumnOp("account", col("email")),
             ops.AddColumnOp("account", col("phone")))], False,
     "add_column_account_email_add_column_account_phone"),
    ([modify("account", ops.AddColumnOp("account", col("email")),
             ops.AddColumnOp("account", col("phone")),
             ops.AddColumnOp("account", col("fax")))], False,
     "add_column_account_email_add_column_account_phone_and_more"),
    ([ops.ExecuteSQLOp("UPDATE account SET name = 'x'")], False, "auto_20261205_0907"),
    ([modify("account", ops.AddColumnOp("account", col("email"))),
      ops.ExecuteSQLOp("SELECT 1")], False, "auto_20261205_0907"),
    ([], False, "auto_20261205_0907"),
    ([ops.CreateTableOp("Odd Name!", [col("id")])], False, "create_table_odd_name"),
]


@pytest.mark.parametrize("ops_list, initial, expected", CASES, ids=[c[2] + ("/initial" if c[1]
                         else "") + f"/{n}" for n, c in enumerate(CASES)])
def test_suggest_name(ops_list, initial, expected):
    name = suggest_name([ops.UpgradeOps(ops_list)], initial=initial, when=WHEN)
    assert name == expected
    assert len(name) <= 52 + len("_and_more")


MODELS_V1 = '''
import sqlalchemy as sa
metadata = sa.MetaData()
account = sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True))
'''
MODELS_V2 = MODELS_V1 + '''
account.append_column(sa.Column("email", sa.String(120), nullable=True))
'''
MODELS_V3 = MODELS_V2 + '''
account.append_column(sa.Column("phone", sa.String(20), nullable=True))
account.append_column(sa.Column("fax", sa.String(20), nullable=True))
account.append_column(sa.Column("pager", sa.String(20), nullable=True))
'''


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), stdout=out) == 0, out.getvalue()
    return out.getvalue()


def generated(out: str) -> Path:
    return Path(re.search(r"Generating (\S+) \.\.\.  done", out).group(1))


@pytest.fixture
def project(tmp_path, monkeypatch, db_url):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    run("init", "alembic")
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname",
                                           db_url.replace("%", "%%")))
    env = tmp_path / "alembic" / "env.py"
    env.write_text(env.read_text().replace(
        "target_metadata = None",
        "import importlib, naming_models\nimportlib.reload(naming_models)\n"
        "target_metadata = naming_models.metadata"))
    (tmp_path / "naming_models.py").write_text(MODELS_V1)
    yield tmp_path
    sys.modules.pop("naming_models", None)


def test_revision_files_are_named_after_their_operations(project):
    first = generated(run("revision", "--autogenerate"))
    assert first.name.endswith("_initial.py")
    assert '"""initial\n' in first.read_text()
    run("upgrade", "head")
    (project / "naming_models.py").write_text(MODELS_V2)
    second = generated(run("revision", "--autogenerate"))
    assert second.name.endswith("_add_column_account_email.py")
    assert '"""add_column_account_email\n' in second.read_text()
    run("upgrade", "head")
    (project / "naming_models.py").write_text(MODELS_V3)
    third = generated(run("revision", "--autogenerate"))
    name = "add_column_account_phone_add_column_account_fax_and_more"  # metadata order
    assert third.read_text().startswith(f'"""{name}\n')
    # the file name is the slug, cut at truncate_slug_length (40) as for any message
    assert third.name.endswith("_add_column_account_phone_add_column_.py")
    run("upgrade", "head")
    (project / "naming_models.py").write_text(MODELS_V3.replace("pager", "beeper"))
    # -m still wins
    named = generated(run("revision", "--autogenerate", "-m", "my words"))
    assert named.name.endswith("_my_words.py")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_plain_revision_without_m_is_unchanged(project):
    path = generated(run("revision"))
    assert path.name.endswith("_.py")  # Alembic's empty slug: nothing was detected
    assert '"""empty message\n' in path.read_text()

"""MigrationRunner's pytest-alembic checks, without Django (in-process, SQLite and the
database servers): each passes on a healthy history and fails with the reason on a
broken one."""

from __future__ import annotations

import io
import textwrap

import pytest

from alembic_django.cli import main
from alembic_django.engine.config import Config
from alembic_django.testing import MigrationRunner

MODELS = '''
import sqlalchemy as sa

metadata = sa.MetaData()
account = sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("name", sa.String(50), nullable=False))
{extra}
'''

REVISION = '''"""{message}

Revision ID: {rev}
Revises: {down}
"""
import sqlalchemy as sa
from alembic_django import op

revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


@pytest.fixture
def project(tmp_path, monkeypatch, db_url):
    """An Alembic project (generic template) whose env.py imports models.metadata."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(__import__("sys").modules, "models", raising=False)
    assert main(["init", "alembic"], stdout=io.StringIO()) == 0
    env = tmp_path / "alembic" / "env.py"
    env.write_text(env.read_text().replace(
        "target_metadata = None", "from models import metadata as target_metadata"))
    (tmp_path / "models.py").write_text(MODELS.format(extra=""))
    versions = tmp_path / "alembic" / "versions"

    def revision(rev, down, upgrade, downgrade, message="step"):
        (versions / f"{rev}_step.py").write_text(REVISION.format(
            rev=rev, down=down, message=message,
            upgrade=textwrap.indent(upgrade, "    "), downgrade=textwrap.indent(downgrade, "    ")))

    revision("a1", None,
             'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True),\n'
             '                sa.Column("name", sa.String(50), nullable=False))',
             'op.drop_table("account")')
    revision("b2", "a1", 'op.create_index("ix_account_name", "account", ["name"])',
             'op.drop_index("ix_account_name", table_name="account")')
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname",
                                           db_url.replace("%", "%%")))
    config = Config("alembic.ini")
    project = MigrationRunner(config)
    project.revision = revision
    project.root = tmp_path
    return project


def test_healthy_history_passes_every_check(project):
    (project.root / "models.py").write_text(MODELS.format(
        extra='sa.Index("ix_account_name", account.c.name)'))
    assert project.check_single_head() == "b2"
    assert project.check_upgrade() == ["a1", "b2"]
    assert project.check_up_down_consistency() == ["a1", "b2"]
    project.check_model_definitions_match_ddl()
    assert project.check_roundtrip() == ["a1", "b2"]
    assert project.current() == ("b2",)


def test_models_that_differ_from_the_ddl(project):
    # the index the revision creates is not in the models
    with pytest.raises(AssertionError) as info:
        project.check_model_definitions_match_ddl()
    assert str(info.value) == ("the models differ from the DDL the revisions produce: "
                               "Detected removed index 'ix_account_name' on 'account'")


def test_a_downgrade_that_does_not_undo(project):
    project.revision("c3", "b2", 'op.add_column("account", sa.Column("x", sa.Integer))',
                     "pass")
    project.check_upgrade()
    with pytest.raises(Exception) as info:  # re-upgrading c3 collides with its own column
        project.check_up_down_consistency()
    assert "x" in str(info.value)


def test_two_heads(project):
    project.revision("c3", "a1", "pass", "pass")
    with pytest.raises(AssertionError, match="expected a single head revision, found 2: b2, c3"):
        project.check_single_head()


def test_standalone_check_logs_its_detected_lines(project):
    """As Alembic's ``check``: one ``Detected`` INFO line per difference (the log lines
    of alembic.ini's logging configuration, on standard error)."""
    import os
    import subprocess
    import sys

    project.upgrade("heads")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project.root), *sys.path])}
    proc = subprocess.run([sys.executable, "-m", "alembic_django", "check"], cwd=project.root,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 255
    detected = [line for line in proc.stderr.splitlines() if "Detected" in line]
    assert detected == ["INFO  [alembic_django.autogenerate.compare] Detected removed index "
                        "'ix_account_name' on 'account'"]
    assert proc.stdout.startswith("FAILED: New upgrade operations detected: ")

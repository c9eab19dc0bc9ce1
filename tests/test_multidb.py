"""The multidb template end to end: one revision file, one upgrade_<engine>() per
database, each database with its own version table rows; offline writes <name>.sql."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

from alembic_django.cli import main


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), stdout=out) == 0, out.getvalue()
    return out.getvalue()


def test_multidb_upgrade_downgrade_and_offline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("init", "-t", "multidb", "alembic")
    ini = tmp_path / "alembic.ini"
    text = ini.read_text()
    text = text.replace("driver://user:pass@localhost/dbname2", "sqlite:///%(here)s/two.db")
    text = text.replace("driver://user:pass@localhost/dbname", "sqlite:///%(here)s/one.db")
    ini.write_text(text)
    out = run("revision", "-m", "tables in both", "--rev-id", "a1")
    path = Path(re.search(r"Generating (\S+) \.\.\.  done", out).group(1))
    source = path.read_text()
    assert "def upgrade_engine1()" in source and "def upgrade_engine2()" in source
    source = source.replace(
        '"""Upgrade engine1 schema."""\n    pass',
        '"""Upgrade engine1 schema."""\n    op.create_table("one_t", sa.Column("id", sa.Integer))')
    source = source.replace(
        '"""Upgrade engine2 schema."""\n    pass',
        '"""Upgrade engine2 schema."""\n    op.create_table("two_t", sa.Column("id", sa.Integer))')
    source = source.replace('"""Downgrade engine1 schema."""\n    pass',
                            '"""Downgrade engine1 schema."""\n    op.drop_table("one_t")')
    source = source.replace('"""Downgrade engine2 schema."""\n    pass',
                            '"""Downgrade engine2 schema."""\n    op.drop_table("two_t")')
    path.write_text(source)
    run("upgrade", "head")
    for db, table in (("one.db", "one_t"), ("two.db", "two_t")):
        with sqlite3.connect(tmp_path / db) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            assert {table, "alembic_version"} <= names
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("a1",)]
    run("downgrade", "base")
    with sqlite3.connect(tmp_path / "one.db") as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (0,)
    run("upgrade", "head", "--sql")
    assert "CREATE TABLE one_t" in (tmp_path / "engine1.sql").read_text()
    assert "CREATE TABLE two_t" in (tmp_path / "engine2.sql").read_text()


def test_async_template_runs_through_the_engine(tmp_path, monkeypatch):
    import pytest

    pytest.importorskip("aiosqlite")
    pytest.importorskip("greenlet")
    monkeypatch.chdir(tmp_path)
    run("init", "-t", "async", "alembic")
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname",
                                           "sqlite+aiosqlite:///%(here)s/a.db"))
    run("revision", "-m", "one", "--rev-id", "as1")
    run("upgrade", "head")
    assert run("current") == "as1 (head)\n"
    run("downgrade", "base")
    assert run("current") == ""

"""Seed 003's tutorial and seed 001's walkthrough, end to end through the CLI, on
SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from alembic_django.cli import main

ACCOUNT = '''
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("description", sa.Unicode(200)),
    )
'''


def run(*argv: str, ok: bool = True) -> str:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    if ok:
        assert code == 0, out.getvalue()
    return out.getvalue()


def fill(path: Path, upgrade: str, downgrade: str) -> None:
    text = path.read_text()
    text = text.replace('    """Upgrade schema."""\n    pass', '    """Upgrade schema."""\n' + upgrade, 1)
    text = text.replace('    """Downgrade schema."""\n    pass',
                        '    """Downgrade schema."""\n' + downgrade, 1)
    path.write_text(text)


def new_revision(message: str, *extra: str) -> tuple[str, Path]:
    out = run("revision", "-m", message, *extra)
    path = Path(re.search(r"Generating (\S+) \.\.\.  done", out).group(1))
    return path.name.split("_")[0], path


@pytest.fixture
def tutorial(tmp_path, monkeypatch, db_url):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    run("init", "alembic")
    ini = (tmp_path / "alembic.ini").read_text()
    (tmp_path / "alembic.ini").write_text(
        ini.replace("driver://user:pass@localhost/dbname", db_url.replace("%", "%%")))
    return tmp_path, db_url


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def versions(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return set()
            return set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    finally:
        engine.dispose()


def test_tutorial(tutorial):
    root, url = tutorial
    first, p1 = new_revision("create account table")
    fill(p1, ACCOUNT, '    op.drop_table("account")\n')
    second, p2 = new_revision("Add a column")
    fill(p2, '    op.add_column("account", sa.Column("last_transaction_date", sa.DateTime))\n',
         '    op.drop_column("account", "last_transaction_date")\n')
    assert p2.name == f"{second}_add_a_column.py"

    assert run("current") == ""
    assert "alembic_version" not in tables(url)  # current never creates the table
    run("upgrade", "head")
    assert {"account", "alembic_version"} <= tables(url)
    assert versions(url) == {second}
    assert run("current") == f"{second} (head)\n"
    out = run("current", "-v")
    assert out.startswith("Current revision(s) for ")
    assert f"Rev: {second} (head)\nParent: {first}\n" in out
    assert run("history", "-i") == (
        f"{first} -> {second} (head) (current), Add a column\n"
        f"<base> -> {first}, create account table\n"
    )
    assert run("history", "-r-1:current") == run("history")
    run("downgrade", "-1")
    assert versions(url) == {first}
    run("downgrade", "base")
    assert versions(url) == set()
    assert "account" not in tables(url)
    run("upgrade", "+2")
    assert versions(url) == {second}
    run("downgrade", first[:4] if first[:4] != second[:4] else first)
    assert versions(url) == {first}
    run("downgrade", "base")
    run("upgrade", f"{first[:4]}+1" if first[:4] != second[:4] else f"{first}+1")
    assert versions(url) == {second}
    run("downgrade", "-2")
    run("upgrade", second[:6])
    assert versions(url) == {second}


def test_relative_and_partial_errors(tutorial):
    first, _ = new_revision("one")
    out = run("upgrade", "+3", ok=False)
    assert out.startswith("FAILED: ") and "\n" == out[-1] and out.count("\n") == 1
    out = run("upgrade", "zzzz", ok=False)
    assert out == "FAILED: Can't locate revision identified by 'zzzz'\n" or \
        out.startswith("FAILED: No such revision or branch 'zzzz'")
    out = run("upgrade", "1:2", ok=False)
    assert out.startswith("FAILED: Range revision not allowed")
    out = run("downgrade", "--sql", "-1", ok=False)
    assert out == "FAILED: downgrade with --sql requires <fromrev>:<torev>\n"


def test_offline_sql(tutorial):
    root, url = tutorial
    first, p1 = new_revision("create account table")
    fill(p1, ACCOUNT, '    op.drop_table("account")\n')
    second, p2 = new_revision("add a column")
    fill(p2, '    op.add_column("account", sa.Column("x", sa.Integer))\n',
         '    op.drop_column("account", "x")\n')
    out = run("upgrade", "head", "--sql")
    dialect = sa.engine.make_url(url).get_backend_name()
    assert "CREATE TABLE alembic_version" in out
    assert f"-- Running upgrade  -> {first}" in out
    assert f"-- Running upgrade {first} -> {second}" in out
    assert f"INSERT INTO alembic_version (version_num) VALUES ('{first}')" in out
    assert f"UPDATE alembic_version SET version_num='{second}' WHERE alembic_version.version_num = '{first}'" in out
    if dialect == "postgresql":
        assert out.startswith("BEGIN;") or "\nBEGIN;" in out
        assert out.rstrip().endswith("COMMIT;")
    assert tables(url) == set()  # offline touches nothing
    out = run("downgrade", f"{second}:base", "--sql")
    assert f"-- Running downgrade {second} -> {first}" in out
    assert "DROP TABLE account" in out
    out = run("upgrade", f"{first}:{second}", "--sql")
    assert "CREATE TABLE alembic_version" not in out
    out = run("upgrade", "head", "--sql", "--tag", "mytag")
    assert "CREATE TABLE account" in out


def test_seed_001_multiple_bases(tutorial):
    root, url = tutorial
    r1, _ = new_revision("create account table")
    r2, _ = new_revision("add a column")
    r3, _ = new_revision("add shopping cart table", "--head", r1, "--splice",
                         "--branch-label", "shoppingcart")
    # plain 'head' is now ambiguous
    out = run("revision", "-m", "x", ok=False)
    assert out.startswith("FAILED: Multiple heads are present; please specify the head revision")
    out = run("upgrade", "head", ok=False)
    assert out.startswith("FAILED: Multiple head revisions are present for given argument 'head'")
    os_versions = root / "model" / "networking"
    os_versions.mkdir(parents=True)
    ini = (root / "alembic.ini").read_text()
    ini = ini.replace("# version_locations = %(here)s/bar:%(here)s/bat:%(here)s/alembic/versions",
                      "version_locations = %(here)s/alembic/versions:%(here)s/model/networking")
    assert "version_locations = %(here)s/alembic/versions" in ini
    (root / "alembic.ini").write_text(ini)
    out = run("revision", "-m", "create networking branch", "--head=base",
              "--branch-label=networking", ok=False)
    assert out == "FAILED: Multiple version locations present, please specify --version-path\n"
    n1, p = new_revision("create networking branch", "--head=base",
                         "--branch-label=networking", f"--version-path={os_versions}")
    assert p.parent == os_versions
    n2, p = new_revision("add ip number table", "--head=networking@head")
    assert p.parent == os_versions
    out = run("revision", "-m", "add DNS table", "--head=networking", ok=False)
    assert out == (f"FAILED: Revision {n1} is not a head revision; please specify --splice "
                   "to create a new branch from this revision\n") or n2 != n1
    n3, _ = new_revision("add DNS table", "--head=networking@head")
    heads = run("heads").splitlines()
    assert sorted(heads) == sorted([f"{n3} (networking) (head)", f"{r3} (shoppingcart) (head)",
                                    f"{r2} (head)"])
    assert run("history", "-r", "networking@base:") == (
        f"{n2} -> {n3} (networking) (head), add DNS table\n"
        f"{n1} -> {n2} (networking), add ip number table\n"
        f"<base> -> {n1} (networking), create networking branch\n"
    )
    out = run("branches")
    assert out.startswith(f"{r1} (branchpoint)\n")
    run("upgrade", "networking@head")
    assert versions(url) == {n3}
    run("upgrade", "heads")
    assert versions(url) == {n3, r2, r3}
    # current shows no branch labels (as Alembic)
    assert sorted(run("current").splitlines()) == sorted(f"{r} (head)" for r in (n3, r2, r3))
    # merge, then unmerge on the way down
    out = run("merge", "-m", "merge cart and trunk", r2, r3)
    m = re.search(r"versions/(\w+?)_merge", out).group(1)
    run("upgrade", "heads")
    assert versions(url) == {n3, m}
    run("downgrade", "networking@-1")
    assert versions(url) == {n2, m}
    run("downgrade", r2)  # unmerge
    assert versions(url) == {n2, r2, r3}
    run("downgrade", "base")
    assert versions(url) == set()


def test_name_environments_keep_their_own_version_tables(tmp_path, monkeypatch, db_url):
    """Seed 000: [DEFAULT] url, one section per environment."""
    monkeypatch.chdir(tmp_path)
    for name in ("schema1", "schema2"):
        run("-c", "scratch.ini", "init", f"myproject/revisions/{name}")
        (tmp_path / "scratch.ini").unlink()
        env = tmp_path / "myproject" / "revisions" / name / "env.py"
        env.write_text(env.read_text().replace(
            "context.configure(connection=connection,",
            f"context.configure(version_table='{name}_version', connection=connection,"))
        assert f"version_table='{name}_version'" in env.read_text()
    (tmp_path / "alembic.ini").write_text(
        "[DEFAULT]\nsqlalchemy.url = " + db_url.replace("%", "%%") + "\n\n"
        "[schema1]\nscript_location = myproject/revisions/schema1\n\n"
        "[schema2]\nscript_location = myproject/revisions/schema2\n")
    a = re.search(r"versions/(\w+?)_", run("--name", "schema1", "revision", "-m", "a")).group(1)
    b = re.search(r"versions/(\w+?)_", run("-n", "schema2", "revision", "-m", "b")).group(1)
    run("--name", "schema1", "upgrade", "head")
    run("--name", "schema2", "upgrade", "head")
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM schema1_version").scalar() == a
        assert conn.exec_driver_sql("SELECT version_num FROM schema2_version").scalar() == b
    engine.dispose()
    assert run("-n", "schema1", "current") == f"{a} (head)\n"

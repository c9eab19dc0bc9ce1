"""The runner: programmatic API, stamp, current, check, ensure_version, env.py
protocol details, version-table row changes, transactions and autocommit blocks."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from alembic_django import command
from alembic_django.engine.config import Config
from alembic_django.engine.errors import CommandError, DatabaseNotAtHead

ENV = '''\
from alembic_django import context

config = context.config
url = config.get_main_option("sqlalchemy.url")
opts = config.attributes.get("configure", {})
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, **opts)
    with context.begin_transaction():
        context.run_migrations()
else:
    conn = config.attributes.get("connection")
    if conn is None:
        engine = sa_create_engine(url)
        conn = engine.connect()
    try:
        context.configure(connection=conn, **opts)
        with context.begin_transaction():
            context.run_migrations(**config.attributes.get("run_kw", {}))
    finally:
        if "connection" not in config.attributes:
            conn.close()
'''.replace("sa_create_engine", "__import__('sqlalchemy').create_engine")


def rev(root: Path, rid: str, down, up: str = "pass", downg: str = "pass", labels=None,
        deps=None, sig: str = "") -> None:
    (root / "versions" / f"{rid}.py").write_text(
        f'"""rev {rid}"""\nfrom alembic_django import op\nimport sqlalchemy as sa\n'
        f"revision = {rid!r}\ndown_revision = {down!r}\nbranch_labels = {labels!r}\n"
        f"depends_on = {deps!r}\n"
        f"def upgrade({sig}):\n    {up}\n"
        f"def downgrade({sig}):\n    {downg}\n")


@pytest.fixture
def project(tmp_path, db_url):
    (tmp_path / "versions").mkdir()
    (tmp_path / "env.py").write_text(ENV)
    (tmp_path / "script.py.mako").write_text("x = 1\n")
    out = io.StringIO()
    cfg = Config(mapping={"script_location": tmp_path, "sqlalchemy.url": db_url}, stdout=out)
    return tmp_path, cfg, out, db_url


def rows(url: str, table: str = "alembic_version") -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(table):
                return set()
            return set(conn.exec_driver_sql(f"SELECT version_num FROM {table}").scalars())
    finally:
        engine.dispose()


def diamond(root: Path) -> None:
    """
        a
       / \\
      b   c
       \\ /
        m
    """
    rev(root, "aaaa", None, 'op.create_table("ta", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("ta")')
    rev(root, "bbbb", "aaaa")
    rev(root, "cccc", "aaaa")
    rev(root, "mmmm", ("bbbb", "cccc"))


def test_version_rows_through_branch_merge_unmerge(project):
    root, cfg, out, url = project
    diamond(root)
    command.upgrade(cfg, "bbbb")
    assert rows(url) == {"bbbb"}
    command.upgrade(cfg, "cccc")  # new branch: insert
    assert rows(url) == {"bbbb", "cccc"}
    command.upgrade(cfg, "heads")  # merge: delete + update
    assert rows(url) == {"mmmm"}
    with pytest.raises(CommandError, match="Ambiguous walk"):
        command.downgrade(cfg, "-1")  # -1 from a merge point is ambiguous (as Alembic)
    command.downgrade(cfg, "bbbb")  # unmerge: update + insert
    assert rows(url) == {"bbbb", "cccc"}
    command.downgrade(cfg, "base")
    assert rows(url) == set()


def test_stamp_purge_current_check_heads_and_check(project):
    root, cfg, out, url = project
    diamond(root)
    command.stamp(cfg, ["bbbb", "cccc"])
    assert rows(url) == {"bbbb", "cccc"}
    command.current(cfg)
    assert sorted(out.getvalue().splitlines()) == ["bbbb", "cccc"]
    with pytest.raises(DatabaseNotAtHead, match="Database is not on all head revisions"):
        command.current(cfg, check_heads=True)
    with pytest.raises(DatabaseNotAtHead, match="Target database is not up to date."):
        command.check(cfg)
    command.stamp(cfg, "heads")
    assert rows(url) == {"mmmm"}
    command.stamp(cfg, ["aaaa"], purge=True)
    assert rows(url) == {"aaaa"}
    command.stamp(cfg, "base")
    assert rows(url) == set()
    command.upgrade(cfg, "heads")
    with pytest.raises(CommandError, match="Can't proceed with --autogenerate option"):
        command.check(cfg)  # no target_metadata: nothing to compare (as Alembic)
    metadata = sa.MetaData()
    sa.Table("ta", metadata, sa.Column("id", sa.Integer, primary_key=True))
    cfg.attributes["configure"] = {"target_metadata": metadata}
    out.truncate(0)
    out.seek(0)
    command.check(cfg)
    assert out.getvalue() == "No new upgrade operations detected.\n"


def test_current_never_creates_table_and_ensure_version(project):
    root, cfg, out, url = project
    diamond(root)
    command.current(cfg)
    assert out.getvalue() == ""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("alembic_version")
    command.ensure_version(cfg)
    with engine.connect() as conn:
        assert sa.inspect(conn).has_table("alembic_version")
        pk = sa.inspect(conn).get_pk_constraint("alembic_version")
        assert pk["constrained_columns"] == ["version_num"]
        if conn.dialect.name != "mysql":
            assert pk["name"] == "alembic_version_pkc"
        col = sa.inspect(conn).get_columns("alembic_version")[0]
        assert col["nullable"] is False and col["type"].length == 32
    engine.dispose()
    sql = io.StringIO()
    cfg2 = Config(mapping=dict(cfg._mapping.data), stdout=sql)
    command.ensure_version(cfg2, sql=True)
    assert "CREATE TABLE alembic_version" in sql.getvalue()


def test_custom_version_table_schema_free_options(project):
    root, cfg, out, url = project
    diamond(root)
    cfg.attributes["configure"] = {"version_table": "my_versions", "version_table_pk": False}
    command.upgrade(cfg, "heads")
    assert rows(url, "my_versions") == {"mmmm"}
    assert rows(url) == set()


def test_shared_connection_and_run_kwargs_and_on_version_apply(project):
    root, cfg, out, url = project
    rev(root, "aaaa", None, up="assert engine_name == 'e1'", downg="pass", sig="engine_name")
    seen = []
    cfg.attributes["configure"] = {
        "on_version_apply": lambda ctx, step, heads, run_args: seen.append(
            (step.up_revision_id, step.is_upgrade, set(heads), run_args))}
    cfg.attributes["run_kw"] = {"engine_name": "e1"}
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        conn.commit()
    engine.dispose()
    assert seen == [("aaaa", True, {"aaaa"}, {"engine_name": "e1"})]
    assert rows(url) == {"aaaa"}


def test_tag_and_x_and_revision_arguments(project):
    root, cfg, out, url = project
    rev(root, "aaaa", None, up="from alembic_django import context as c; "
        "assert c.get_tag_argument() == 'v1'; assert c.get_revision_argument() == 'aaaa'; "
        "assert c.get_head_revision() == 'aaaa'")
    command.upgrade(cfg, "heads", tag="v1")
    assert rows(url) == {"aaaa"}


def test_autocommit_block(project):
    root, cfg, out, url = project
    rev(root, "aaaa", None, up=(
        "op.create_table('t1', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    with op.get_context().autocommit_block():\n"
        "        op.execute('CREATE TABLE t2 (id INTEGER)')\n"
        "    op.create_table('t3', sa.Column('id', sa.Integer, primary_key=True))"))
    command.upgrade(cfg, "heads")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    assert {"t1", "t2", "t3"} <= set(sa.inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.parametrize("per_migration", [False, True])
def test_failure_atomicity(project, per_migration):
    """Fail migration 3 of 3; inspect schema and version table."""
    root, cfg, out, url = project
    for i, (rid, down) in enumerate([("r001", None), ("r002", "r001"), ("r003", "r002")]):
        body = f'op.create_table("g{i}", sa.Column("id", sa.Integer, primary_key=True))'
        if rid == "r003":
            body += "; op.execute('SELECT * FROM nowhere_at_all')"
        rev(root, rid, down, up=body)
    cfg.attributes["configure"] = {"transaction_per_migration": per_migration}
    with pytest.raises(CommandError) as info:
        command.upgrade(cfg, "heads")
    message = str(info.value)
    assert message.startswith("Running upgrade r002 -> r003 failed")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    dialect = sa.engine.make_url(url).get_backend_name()
    if dialect == "mysql":
        assert rows(url) == {"r002"} and {"g0", "g1"} <= tables
        assert "recorded at r002" in message
    elif per_migration:
        assert rows(url) == {"r002"} and tables == {"g0", "g1", "alembic_version"}
    else:
        assert rows(url) == set() and not {"g0", "g1", "g2"} & tables
        assert "rolled back" in message


def test_sqlite_single_transaction_is_real(tmp_path):
    """pysqlite would autocommit DDL: our runner holds one real transaction."""
    url = f"sqlite:///{tmp_path}/x.db"
    (tmp_path / "versions").mkdir()
    (tmp_path / "env.py").write_text(ENV)
    cfg = Config(mapping={"script_location": tmp_path, "sqlalchemy.url": url})
    for i in range(30):
        rev(tmp_path, f"s{i:03d}", f"s{i - 1:03d}" if i else None,
            up=f'op.create_table("t{i}", sa.Column("id", sa.Integer, primary_key=True))'
            + ("; raise RuntimeError('boom')" if i == 29 else ""))
    with pytest.raises(CommandError, match="boom"):
        command.upgrade(cfg, "heads")
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()


def test_engine_never_imports_django():
    code = textwrap.dedent("""
        import sys, pkgutil, importlib
        sys.modules["django"] = None
        import alembic_django.engine as e
        for m in pkgutil.walk_packages(e.__path__, "alembic_django.engine."):
            importlib.import_module(m.name)
        import alembic_django.cli, alembic_django.command, alembic_django.context
        import alembic_django.op, alembic_django.config
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "ok", proc.stderr

"""Review findings in the runner: transactions, the deferred version write, locks,
version_table_schema, caller-owned connections, offline output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from alembic_django import command
from alembic_django.engine.config import Config
from alembic_django.engine.errors import CommandError

ENV = '''\
from alembic_django import context
import sqlalchemy

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
        conn = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool).connect()
    try:
        context.configure(connection=conn, **opts)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if "connection" not in config.attributes:
            conn.close()
'''


def rev(root: Path, rid: str, down, up: str = "pass", doc: str | None = None) -> None:
    (root / "versions" / f"{rid}.py").write_text(
        f'"""{doc or "rev " + rid}"""\nfrom alembic_django import op\nimport sqlalchemy as sa\n'
        f"revision = {rid!r}\ndown_revision = {down!r}\nbranch_labels = None\n"
        f"depends_on = None\n"
        f"def upgrade():\n    {up}\n"
        f"def downgrade():\n    pass\n", encoding="utf-8")


def make_project(tmp_path: Path, url: str) -> tuple[Path, Config, io.StringIO]:
    (tmp_path / "versions").mkdir()
    (tmp_path / "env.py").write_text(ENV)
    (tmp_path / "script.py.mako").write_text("x = 1\n")
    out = io.StringIO()
    cfg = Config(mapping={"script_location": tmp_path, "sqlalchemy.url": url}, stdout=out)
    return tmp_path, cfg, out


@pytest.fixture
def project(tmp_path, db_url):
    root, cfg, out = make_project(tmp_path, db_url)
    return root, cfg, out, db_url


def query(url: str, sql: str) -> list:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.exec_driver_sql(sql).scalars())
    finally:
        engine.dispose()


def tables(url: str, schema: str | None = None) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names(schema=schema))
    finally:
        engine.dispose()


def versions(url: str, table: str = "alembic_version") -> set[str]:
    if table.split(".")[-1] not in tables(url, table.split(".")[0] if "." in table else None):
        return set()
    return set(query(url, f"SELECT version_num FROM {table}"))


def test_autocommit_block_then_failure_keeps_version_table_true(project):
    """Steps committed by an autocommit_block are recorded, even when a later step fails
    (the net version write used to wait for the end of the run and was lost: the
    database held table ta with an empty version table)."""
    root, cfg, out, url = project
    rev(root, "a", None, "op.create_table('ta', sa.Column('id', sa.Integer))")
    rev(root, "b", "a", "with op.get_context().autocommit_block():\n        pass")
    rev(root, "c", "b", "raise RuntimeError('boom')")
    with pytest.raises(CommandError, match="upgrade b -> c failed"):
        command.upgrade(cfg, "head")
    assert "ta" in tables(url)
    # as Alembic: the autocommit_block committed step a and its version row; step b's
    # row was in the transaction that step c's failure rolled back
    assert versions(url) == ({"b"} if url.startswith("mysql") else {"a"})  # MySQL: per step


def test_migration_reads_version_table_on_fresh_database(project):
    """As Alembic, the version table exists from the start of an online run (a migration
    may query it), and get_current_revision() mid-run names the previous step."""
    root, cfg, out, url = project
    rev(root, "a", None)
    rev(root, "b", "a",
        "op.get_bind().execute(sa.text('SELECT count(*) FROM alembic_version')).scalar()\n"
        "    op.get_bind().execute(sa.text('INSERT INTO seen VALUES (:v)'),\n"
        "                          {'v': op.get_context().get_current_revision()})")
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE seen (v VARCHAR(32))")
    eng.dispose()
    command.upgrade(cfg, "head")
    assert query(url, "SELECT v FROM seen") == ["a"]
    assert versions(url) == {"b"}


def test_upgrade_with_no_steps_creates_version_table(project):
    root, cfg, out, url = project
    command.upgrade(cfg, "heads")
    assert "alembic_version" in tables(url)
    assert versions(url) == set()


def test_caller_transaction_is_never_committed(project):
    """A connection already inside the caller's transaction is left alone: the caller
    rolls back and nothing stays (transactional DDL backends)."""
    root, cfg, out, url = project
    if url.startswith("mysql"):
        pytest.skip("MySQL DDL commits by itself")
    rev(root, "a", None, "op.create_table('ta', sa.Column('id', sa.Integer))")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        trans = conn.begin()
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # pysqlite would otherwise autocommit the DDL
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        assert conn.in_transaction() and trans.is_active
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "a"
        trans.rollback()
    engine.dispose()
    assert "ta" not in tables(url)
    assert versions(url) == set()


def test_caller_transaction_failure_message_does_not_claim_rollback(project):
    root, cfg, out, url = project
    rev(root, "a", None, "raise RuntimeError('boom')")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        with conn.begin():
            cfg.attributes["connection"] = conn
            with pytest.raises(CommandError) as info:
                command.upgrade(cfg, "head")
            assert "was rolled back" not in str(info.value)
            assert "caller" in str(info.value)
    engine.dispose()


@pytest.mark.parametrize("fail_at", [1, 3])
def test_transaction_per_migration_failure_at_step_k(project, fail_at):
    root, cfg, out, url = project
    ids = ["r1", "r2", "r3"]
    for i, rid in enumerate(ids, 1):
        body = f"op.create_table('t{i}', sa.Column('id', sa.Integer))"
        if i == fail_at:
            body += "\n    raise RuntimeError('boom')"
        rev(root, rid, ids[i - 2] if i > 1 else None, body)
    cfg.attributes["configure"] = {"transaction_per_migration": True}
    with pytest.raises(CommandError, match=f"r{fail_at} failed"):
        command.upgrade(cfg, "head")
    done = ids[:fail_at - 1]
    assert versions(url) == ({done[-1]} if done else set())
    have = tables(url)
    for i in range(1, fail_at):
        assert f"t{i}" in have
    if not url.startswith("mysql"):
        assert f"t{fail_at}" not in have
    cfg.attributes["configure"] = {}
    (root / "versions" / f"r{fail_at}.py").unlink()
    rev(root, f"r{fail_at}", ids[fail_at - 2] if fail_at > 1 else None, "pass")
    if url.startswith("mysql"):
        return
    command.upgrade(cfg, "head")
    assert versions(url) == {"r3"}


class Interrupt(BaseException):
    pass


def test_base_exception_mid_run_leaves_no_half_state(project, monkeypatch):
    root, cfg, out, url = project
    rev(root, "a", None, "op.create_table('ta', sa.Column('id', sa.Integer))")
    rev(root, "b", "a", "raise KeyboardInterrupt")
    with pytest.raises(KeyboardInterrupt):
        command.upgrade(cfg, "head")
    expected = {"a"} if url.startswith("mysql") else set()
    assert versions(url) == expected
    assert ("ta" in tables(url)) == url.startswith("mysql")
    # the lock was released: a second run goes through
    (root / "versions" / "b.py").unlink()
    rev(root, "b", "a")
    command.upgrade(cfg, "head")
    assert versions(url) == {"b"}


def test_env_running_migrations_twice_on_one_connection(project):
    root, cfg, out, url = project
    rev(root, "a", None)
    rev(root, "b", "a")
    (root / "env.py").write_text(ENV.replace(
        "        with context.begin_transaction():\n            context.run_migrations()\n",
        "        for _ in range(2):\n            with context.begin_transaction():\n"
        "                context.run_migrations()\n"))
    command.upgrade(cfg, "head")
    assert versions(url) == {"b"}


def test_env_that_never_runs_migrations_does_nothing(project):
    root, cfg, out, url = project
    rev(root, "a", None)
    (root / "env.py").write_text("from alembic_django import context\n")
    command.upgrade(cfg, "head")
    assert versions(url) == set()


def test_stamp_merge_and_unmerge(project):
    root, cfg, out, url = project
    rev(root, "a", None)
    rev(root, "b", "a")
    rev(root, "c", "a")
    rev(root, "m", ("b", "c"))
    command.stamp(cfg, ["b", "c"])
    assert versions(url) == {"b", "c"}
    command.stamp(cfg, ["m"])
    assert versions(url) == {"m"}
    command.stamp(cfg, ["b", "c"])
    assert versions(url) == {"b", "c"}
    command.stamp(cfg, ["base"])
    assert versions(url) == set()


def test_unicode_message_in_log_and_offline_output(tmp_path, sqlite_url):
    root, cfg, out = make_project(tmp_path, sqlite_url)
    rev(root, "a", None, doc="Ünïcödé — 移行")
    buf = io.StringIO()
    cfg.output_buffer = buf
    command.upgrade(cfg, "a", sql=True)
    assert "-- Running upgrade  -> a" in buf.getvalue()
    cfg.output_buffer = None
    command.upgrade(cfg, "a")
    assert versions(sqlite_url) == {"a"}


def test_offline_percent_not_doubled_postgresql(tmp_path):
    root, cfg, out = make_project(tmp_path, "postgresql://u@h/db")
    rev(root, "a", None, "op.execute(\"UPDATE t SET x = 'a%b' WHERE y LIKE '%z'\")")
    buf = io.StringIO()
    cfg.output_buffer = buf
    command.upgrade(cfg, "a", sql=True, tag="mytag")
    text = buf.getvalue()
    assert "UPDATE t SET x = 'a%b' WHERE y LIKE '%z';" in text
    assert "%%" not in text


def test_downgrade_sql_range(tmp_path):
    root, cfg, out = make_project(tmp_path, "postgresql://u@h/db")
    rev(root, "a", None)
    rev(root, "b", "a")
    buf = io.StringIO()
    cfg.output_buffer = buf
    command.downgrade(cfg, "b:a", sql=True)
    text = buf.getvalue()
    assert "-- Running downgrade b -> a" in text
    assert "UPDATE alembic_version SET version_num='a' WHERE alembic_version.version_num = 'b';" \
        in text
    with pytest.raises(CommandError, match="requires <fromrev>:<torev>"):
        command.downgrade(cfg, "a", sql=True)


def test_version_table_schema_postgresql(tmp_path, postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA other")
    engine.dispose()
    root, cfg, out = make_project(tmp_path, postgresql_url)
    rev(root, "a", None, "op.create_table('ta', sa.Column('id', sa.Integer))")
    rev(root, "b", "a")
    cfg.attributes["configure"] = {"version_table_schema": "other"}
    command.upgrade(cfg, "a")
    assert versions(postgresql_url, "other.alembic_version") == {"a"}
    assert "alembic_version" not in tables(postgresql_url)
    command.current(cfg)
    assert out.getvalue() == "a\n"
    command.stamp(cfg, ["b"])
    assert versions(postgresql_url, "other.alembic_version") == {"b"}
    cfg.attributes["configure"] = {"version_table_schema": "other",
                                   "transaction_per_migration": True}
    command.downgrade(cfg, "base")
    assert versions(postgresql_url, "other.alembic_version") == set()


def test_sqlite_single_transaction_with_open_reader(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    (tmp_path / "p").mkdir()
    root, cfg, out = make_project(tmp_path / "p", url)
    for i in range(1, 30):
        rev(root, f"r{i:02d}", f"r{i - 1:02d}" if i > 1 else None,
            f"op.create_table('t{i}', sa.Column('id', sa.Integer))")
    reader = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with reader.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE x (id INTEGER)")
        conn.commit()
        assert conn.exec_driver_sql("SELECT count(*) FROM x").scalar() == 0
        command.upgrade(cfg, "head")  # the reader holds no lock between statements
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "r29"
    reader.dispose()


def test_mysql_lock_does_not_commit_the_runs_own_transaction(tmp_path, mysql_url):
    """With transactional_ddl=True on MySQL the run's transaction is ours; taking GET_LOCK
    used to commit it and releasing the lock committed the rest, so a failing run kept
    step a's data with no version row."""
    engine = sa.create_engine(mysql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE data (v VARCHAR(8))")
    engine.dispose()
    root, cfg, out = make_project(tmp_path, mysql_url)
    rev(root, "a", None, "op.execute(\"INSERT INTO data VALUES ('a')\")")
    rev(root, "b", "a", "raise RuntimeError('boom')")
    cfg.attributes["configure"] = {"transactional_ddl": True}
    with pytest.raises(CommandError, match="the transaction was rolled back"):
        command.upgrade(cfg, "head")
    assert query(mysql_url, "SELECT v FROM data") == []
    assert versions(mysql_url) == set()


def test_postgresql_lock_held_through_autocommit_block(tmp_path, postgresql_url):
    """The transaction-scoped advisory lock ended with the COMMIT an autocommit_block
    makes, so another runner could start mid-run."""
    from alembic_django.engine.runtime.lock import _key

    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE seen (got BOOLEAN)")
    engine.dispose()
    root, cfg, out = make_project(tmp_path, postgresql_url)
    probe = (
        "def probe():\n"
        f"    e = sa.create_engine({postgresql_url!r}, poolclass=sa.pool.NullPool)\n"
        "    with e.connect() as c:\n"
        f"        got = c.execute(sa.text('SELECT pg_try_advisory_lock({_key('public.alembic_version')})'))"
        ".scalar()\n"
        "        c.execute(sa.text('INSERT INTO seen VALUES (:g)'), {'g': got})\n"
        "        c.commit()\n"
        "    e.dispose()\n")
    (root / "versions" / "a.py").write_text(
        '"""a"""\nfrom alembic_django import op\nimport sqlalchemy as sa\n'
        "revision = 'a'\ndown_revision = None\n" + probe +
        "def upgrade():\n    with op.get_context().autocommit_block():\n        probe()\n"
        "    probe()\n"
        "def downgrade():\n    pass\n")
    command.upgrade(cfg, "head")
    assert query(postgresql_url, "SELECT got FROM seen") == [False, False]
    assert versions(postgresql_url) == {"a"}
    command.upgrade(cfg, "head")  # and it was released


def test_alembic_alias_restored_after_failing_env_and_nested(tmp_path, monkeypatch):
    import sys
    import types

    from alembic_django.engine.util.modules import alembic_alias

    sentinel = types.ModuleType("alembic")
    monkeypatch.setitem(sys.modules, "alembic", sentinel)
    monkeypatch.delitem(sys.modules, "alembic.op", raising=False)
    root, cfg, out = make_project(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    (root / "env.py").write_text("from alembic import context, op\nraise ValueError('env')\n")
    with pytest.raises(CommandError, match="ValueError: env"):
        command.upgrade(cfg, "head")
    assert sys.modules["alembic"] is sentinel and "alembic.op" not in sys.modules
    with pytest.raises(RuntimeError):
        with alembic_alias():
            with alembic_alias():
                assert getattr(sys.modules["alembic"], "__alembic_django_shim__", False)
            assert getattr(sys.modules["alembic"], "__alembic_django_shim__", False)
            raise RuntimeError
    assert sys.modules["alembic"] is sentinel and "alembic.op" not in sys.modules


def test_lock_timeout_sqlite_names_the_database(tmp_path):
    from alembic_django.engine.errors import LockTimeout

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    (tmp_path / "p").mkdir()
    root, cfg, out = make_project(tmp_path / "p", url)
    rev(root, "a", None)
    cfg.attributes["configure"] = {"migration_lock_timeout": 0.1}
    other = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with other.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        with pytest.raises(LockTimeout, match="db.sqlite"):
            command.upgrade(cfg, "head")
        conn.rollback()
    other.dispose()
    command.upgrade(cfg, "head")
    assert versions(url) == {"a"}


def test_lock_timeout_postgresql_with_version_table_schema(tmp_path, postgresql_url):
    from alembic_django.engine.errors import LockTimeout
    from alembic_django.engine.runtime.lock import _key

    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA other")
    root, cfg, out = make_project(tmp_path, postgresql_url)
    rev(root, "a", None)
    cfg.attributes["configure"] = {"migration_lock_timeout": 0.1,
                                   "version_table_schema": "other"}
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _key("other.alembic_version")})
        with pytest.raises(LockTimeout, match="other.alembic_version.*backend pid"):
            command.upgrade(cfg, "head")
        conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"),
                     {"k": _key("other.alembic_version")})
        conn.commit()
    engine.dispose()
    command.upgrade(cfg, "head")
    assert versions(postgresql_url, "other.alembic_version") == {"a"}


def _pg_lock_free(url: str) -> bool:
    from alembic_django.engine.runtime.lock import _key

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"),
                                     {"k": _key("public.alembic_version")}).scalar())
    finally:
        engine.dispose()


def test_postgresql_lock_released_after_failure_in_callers_transaction(tmp_path,
                                                                        postgresql_url):
    """transaction_per_migration inside a caller's transaction took a session lock whose
    unlock failed in the aborted transaction: the lock outlived the run."""
    root, cfg, out = make_project(tmp_path, postgresql_url)
    rev(root, "a", None, "op.execute('SELECT 1/0')")
    cfg.attributes["configure"] = {"transaction_per_migration": True}
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        trans = conn.begin()
        cfg.attributes["connection"] = conn
        with pytest.raises(CommandError, match="DivisionByZero"):
            command.upgrade(cfg, "head")
        trans.rollback()
        assert _pg_lock_free(postgresql_url)
    engine.dispose()


def test_postgresql_lock_released_when_env_skips_begin_transaction(tmp_path, postgresql_url):
    root, cfg, out = make_project(tmp_path, postgresql_url)
    (root / "env.py").write_text(ENV.replace(
        "        with context.begin_transaction():\n            context.run_migrations()\n",
        "        context.run_migrations()\n"))
    rev(root, "a", None, "op.execute('SELECT 1/0')")
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        with pytest.raises(CommandError, match="DivisionByZero"):
            command.upgrade(cfg, "head")
        assert _pg_lock_free(postgresql_url)
    engine.dispose()


@pytest.mark.parametrize("callers_transaction", [False, True], ids=["own", "callers"])
def test_sqlite_busy_timeout_of_callers_connection_restored(tmp_path, callers_transaction):
    """The lock's busy timeout (600 s by default) used to stay on a caller's connection."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    (tmp_path / "p").mkdir()
    root, cfg, out = make_project(tmp_path / "p", url)
    rev(root, "a", None, "op.create_table('ta', sa.Column('id', sa.Integer))")
    rev(root, "b", "a")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout = 1234")
        conn.commit()
        cfg.attributes["connection"] = conn
        if callers_transaction:
            with conn.begin():
                command.upgrade(cfg, "head")
        else:
            command.upgrade(cfg, "head")
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    engine.dispose()
    assert versions(url) == {"b"}

"""The promises of docs/guarantees.rst, checked on SQLite, PostgreSQL and MariaDB.

* A failing run on a transactional database (PostgreSQL, SQLite) leaves the database as
  it started; with ``transaction_per_migration`` at the last completed step.
* On MariaDB (DDL autocommits) the version table names the last completed step and the
  error says which step failed and where the database stands.
* The run lock: two concurrent ``upgrade heads`` apply each revision once.
* A version table naming an unknown revision is an error naming it; ``stamp --purge``
  repairs it.
* ``revision`` writes complete files only (no temp files left behind).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

cli = pytest.importorskip("alembic_django.cli")

REPO = Path(__file__).resolve().parent.parent

ENV_PY = '''\
from sqlalchemy import engine_from_config, pool

from alembic_django import context

config = context.config
per_migration = context.get_x_argument(as_dictionary=True).get("per_migration") == "1"


def run_migrations_online():
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.", poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=per_migration)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
'''

MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic_django import op
import sqlalchemy as sa

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''

REVS = ["aaaa1111", "bbbb2222", "cccc3333"]


def write_project(root: Path, url: str, *, fail_at: str | None = None,
                  slow: bool = False, extra_ini: str = "") -> Path:
    mig = root / "mig"
    (mig / "versions").mkdir(parents=True)
    (mig / "env.py").write_text(ENV_PY)
    (mig / "script.py.mako").write_text(MAKO)
    (root / "alembic.ini").write_text(
        f"[alembic]\nscript_location = %(here)s/mig\n"
        f"sqlalchemy.url = {url.replace('%', '%%')}\n{extra_ini}")
    down = None
    for rev in REVS:
        body = f'op.create_table("g_{rev}", sa.Column("id", sa.Integer, primary_key=True))'
        if slow and rev == REVS[0]:
            body = "import time; time.sleep(1.5)\n" + " " * 16 + body
        if rev == fail_at:
            body += "\n" + " " * 16 + 'op.execute("SELECT * FROM no_such_table_anywhere")'
        (mig / "versions" / f"{rev}_g.py").write_text(textwrap.dedent(f'''\
            """step {rev}"""
            from alembic_django import op
            import sqlalchemy as sa

            revision = {rev!r}
            down_revision = {down!r}
            branch_labels = None
            depends_on = None


            def upgrade():
                {body}


            def downgrade():
                op.drop_table("g_{rev}")
            '''))
        down = rev
    return root / "alembic.ini"


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return (0 if code is None else code), out.out + out.err


def db_state(url: str) -> tuple[set[str], set[str]]:
    """(version table rows, g_* tables) of the database at ``url``."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            rows = set()
            if "alembic_version" in tables:
                rows = set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
        return rows, {t for t in tables if t.startswith("g_")}
    finally:
        engine.dispose()


def dialect_of(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0]


@pytest.mark.parametrize("per_migration", [False, True], ids=["one-transaction", "per-migration"])
def test_failure_half_way(db_url, tmp_path, capsys, per_migration):
    ini = write_project(tmp_path, db_url, fail_at="cccc3333")
    argv = ["-c", str(ini)] + (["-x", "per_migration=1"] if per_migration else []) + ["upgrade", "heads"]
    code, output = run_cli(argv, capsys)

    assert code != 0
    assert "cccc3333" in output, output
    assert "Traceback" not in output
    rows, tables = db_state(db_url)
    if dialect_of(db_url) == "mysql":
        # DDL autocommits: the table names the last step that completed, and the error says so
        assert rows == {"bbbb2222"}
        assert {"g_aaaa1111", "g_bbbb2222"} <= tables
        assert "bbbb2222" in output, "the error must say where the database now stands"
    elif per_migration:
        assert rows == {"bbbb2222"}
        assert tables == {"g_aaaa1111", "g_bbbb2222"}
    else:
        assert rows == set()
        assert tables == set()


def test_concurrent_upgrades_apply_each_revision_once(db_url, tmp_path):
    ini = write_project(tmp_path, db_url, slow=True)
    argv = [sys.executable, "-m", "alembic_django", "-c", str(ini), "upgrade", "heads"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(8)]
    results = [(p.wait(timeout=120), p.stdout.read()) for p in procs]
    for p in procs:
        p.stdout.close()
    for code, output in results:
        assert code == 0, output
    rows, tables = db_state(db_url)
    assert rows == {"cccc3333"}
    assert tables == {f"g_{r}" for r in REVS}


def test_unknown_revision_in_version_table_then_stamp_purge(db_url, tmp_path, capsys):
    ini = write_project(tmp_path, db_url)
    assert run_cli(["-c", str(ini), "upgrade", "bbbb2222"], capsys)[0] == 0
    import sqlalchemy as sa

    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff9999'")
    engine.dispose()

    code, output = run_cli(["-c", str(ini), "upgrade", "heads"], capsys)
    assert code != 0 and "ffff9999" in output and "Traceback" not in output
    assert db_state(db_url)[0] == {"ffff9999"}

    assert run_cli(["-c", str(ini), "stamp", "--purge", "bbbb2222"], capsys)[0] == 0
    assert db_state(db_url)[0] == {"bbbb2222"}
    assert run_cli(["-c", str(ini), "upgrade", "heads"], capsys)[0] == 0
    assert db_state(db_url)[0] == {"cccc3333"}


def test_current_never_creates_the_version_table(sqlite_url, tmp_path, capsys):
    ini = write_project(tmp_path, sqlite_url)
    code, output = run_cli(["-c", str(ini), "current"], capsys)
    assert code == 0, output
    assert output.strip() == "", "an empty database has no current revision"
    if (tmp_path / "test.db").exists():
        import sqlalchemy as sa

        engine = sa.create_engine(sqlite_url)
        assert "alembic_version" not in sa.inspect(engine).get_table_names()
        engine.dispose()


def test_revision_writes_one_complete_file(sqlite_url, tmp_path, capsys):
    ini = write_project(tmp_path, sqlite_url)
    versions = tmp_path / "mig" / "versions"
    before = {p.name for p in versions.iterdir()}
    code, output = run_cli(["-c", str(ini), "revision", "-m", "add a thing"], capsys)
    assert code == 0, output
    new = {p.name for p in versions.iterdir()} - before - {"__pycache__"}
    new = {n for n in new if n.endswith(".py")}
    assert len(new) == 1, new
    text = (versions / new.pop()).read_text()
    compile(text, "new revision", "exec")
    assert "down_revision = 'cccc3333'" in text
    leftovers = [p for p in tmp_path.rglob("*") if p.suffix in (".tmp", ".part") or p.name.startswith(".tmp")]
    assert not leftovers


def test_lock_timeout_names_the_holder(db_url, tmp_path, capsys):
    """A run that cannot take the lock in time fails with one clear line."""
    import sqlalchemy as sa

    ini = write_project(tmp_path, db_url, extra_ini="migration_lock_timeout = 1\n")
    dialect = dialect_of(db_url)
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    holder = engine.connect()
    try:
        if dialect == "postgresql":
            from alembic_django.engine.runtime.lock import _key

            # an unqualified version table's lock is named after the schema it is in
            holder.execute(sa.text("SELECT pg_advisory_lock(:k)"),
                           {"k": _key("public.alembic_version")})
        elif dialect == "mysql":
            database = sa.make_url(db_url).database
            holder.execute(sa.text("SELECT GET_LOCK(:n, 0)"),
                           {"n": f"alembic_django:{database}.alembic_version"})
        else:
            holder.exec_driver_sql("CREATE TABLE busy (x INTEGER)")
            holder.connection.dbapi_connection.execute("BEGIN IMMEDIATE")
        code, output = run_cli(["-c", str(ini), "upgrade", "heads"], capsys)
    finally:
        holder.close()
        engine.dispose()
    assert code != 0
    assert "Traceback" not in output
    if dialect == "postgresql":
        assert "Could not take the migration lock on public.alembic_version within 1 s" in output
        assert "held by PostgreSQL backend pid" in output
    elif dialect == "mysql":
        assert "held by connection id" in output
    else:
        assert "Could not take the migration lock (the SQLite write lock on" in output
    assert db_state(db_url)[0] == set()
    # once the holder is gone the same command succeeds
    code, output = run_cli(["-c", str(ini), "upgrade", "heads"], capsys)
    assert code == 0, output
    assert db_state(db_url)[0] == {"cccc3333"}


def test_lock_can_be_turned_off(sqlite_url, tmp_path, capsys):
    ini = write_project(tmp_path, sqlite_url, extra_ini="migration_lock = false\n")
    code, output = run_cli(["-c", str(ini), "upgrade", "heads"], capsys)
    assert code == 0, output

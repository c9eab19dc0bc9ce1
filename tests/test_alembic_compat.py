"""An unmodified Alembic project (generic template shape, `from alembic import ...`)
runs under our engine without edits, and a real `alembic` is never shadowed outside
our runs."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import sqlalchemy as sa

from alembic_django.cli import main

ALEMBIC_ENV = '''\
from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = None


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

REV1 = '''\
"""create account table

Revision ID: 1975ea83b712
Revises:
Create Date: 2011-11-08 11:40:27.089406

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '1975ea83b712'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'account',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(50), nullable=False),
        sa.Column('description', sa.Unicode(200)),
    )


def downgrade() -> None:
    op.drop_table('account')
'''

REV2 = '''\
"""Add a column

Revision ID: ae1027a6acf
Revises: 1975ea83b712
Create Date: 2011-11-08 12:40:27.089406

"""
import alembic.op
from alembic import context
import sqlalchemy as sa

revision = 'ae1027a6acf'
down_revision = '1975ea83b712'
branch_labels = None
depends_on = None


def upgrade():
    assert not context.is_offline_mode() or True
    alembic.op.add_column('account', sa.Column('last_transaction_date', sa.DateTime))


def downgrade():
    alembic.op.drop_column('account', 'last_transaction_date')
'''

INI = '''\
[alembic]
script_location = %(here)s/alembic
prepend_sys_path = .
path_separator = os
sqlalchemy.url = {url}

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
'''


def make_project(root: Path, url: str) -> None:
    (root / "alembic" / "versions").mkdir(parents=True)
    (root / "alembic" / "env.py").write_text(ALEMBIC_ENV)
    (root / "alembic" / "versions" / "1975ea83b712_create_account_table.py").write_text(REV1)
    (root / "alembic" / "versions" / "ae1027a6acf_add_a_column.py").write_text(REV2)
    (root / "alembic.ini").write_text(INI.format(url=url.replace("%", "%%")))


def test_unmodified_alembic_project_runs(tmp_path, monkeypatch, db_url):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, db_url)
    before = sys.modules.get("alembic")
    out = io.StringIO()
    assert main(["upgrade", "head"], stdout=out) == 0, out.getvalue()
    assert sys.modules.get("alembic") is before  # never left shadowed
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        cols = {c["name"] for c in sa.inspect(conn).get_columns("account")}
        assert "last_transaction_date" in cols
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == \
            "ae1027a6acf"
    engine.dispose()
    out = io.StringIO()
    assert main(["history"], stdout=out) == 0
    assert out.getvalue() == ("1975ea83b712 -> ae1027a6acf (head), Add a column\n"
                              "<base> -> 1975ea83b712, create account table\n")
    out = io.StringIO()
    assert main(["downgrade", "base"], stdout=out) == 0, out.getvalue()
    out = io.StringIO()
    assert main(["upgrade", "head", "--sql"], stdout=out) == 0
    assert "ALTER TABLE account ADD" in out.getvalue()


def test_show_executes_nothing_but_reads_alembic_revision(tmp_path, monkeypatch, sqlite_url):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, sqlite_url)
    out = io.StringIO()
    assert main(["show", "ae1027a6acf"], stdout=out) == 0
    assert out.getvalue().startswith("Rev: ae1027a6acf (head)\nParent: 1975ea83b712\n")


def test_real_alembic_not_shadowed_outside_runs(tmp_path, monkeypatch):
    """A module called `alembic` on sys.path stays what `import alembic` finds."""
    fake = tmp_path / "site" / "alembic"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("REAL = True\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "alembic", raising=False)
    import alembic  # noqa: F401  (the stand-in "real" alembic)

    assert alembic.REAL
    from alembic_django.engine.util.modules import alembic_alias

    with alembic_alias():
        import alembic as inside

        assert not hasattr(inside, "REAL")
        from alembic import context, op  # noqa: F401
    import alembic as after

    assert after.REAL
    monkeypatch.delitem(sys.modules, "alembic", raising=False)


def test_unmodified_logging_config_still_shows_progress(tmp_path, monkeypatch, sqlite_url):
    """An Alembic ini configures the `alembic` logger only: the INFO lines still appear."""
    import subprocess

    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, sqlite_url)
    proc = subprocess.run([sys.executable, "-m", "alembic_django", "upgrade", "head"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "INFO  [alembic.runtime.migration] Running upgrade  -> 1975ea83b712, create " \
           "account table" in proc.stderr

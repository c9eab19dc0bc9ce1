"""A throwaway Django project for subprocess runs of ``manage.py test`` and pytest-django.

It has a *development* database (SQLite ``dev.sqlite3`` or the PostgreSQL database of
``ALEMBIC_DJANGO_TEST_POSTGRESQL_URL``) and the example project's ``alembic``
environment plus one revision of its own: ``inventory_note`` (foreign keys to
``auth_user`` and ``inventory_item``) and a seed supplier row.  Django's test database
is ``test_<NAME>`` (PostgreSQL), an in-memory SQLite database or ``test_dev.sqlite3``.

Scenario options travel to the settings as JSON in ``DJP_OPTIONS``; test code writes
one JSON line per report to ``DJP_REPORT``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import django_settings
import pytest
import sqlalchemy as sa

HEAD = "5eed0001note"

SETTINGS = '''
import json, os
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE
SECRET_KEY = "x"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "alembic_django",
                  "inventory"]
_options = json.loads(os.environ.get("DJP_OPTIONS", "{}"))
_pg = os.environ.get("DJP_POSTGRESQL")
if _pg:
    from sqlalchemy.engine import make_url
    _u = make_url(_pg)
    default = {"ENGINE": "django.db.backends.postgresql", "NAME": _u.database,
               "USER": _u.username or "", "PASSWORD": _u.password or "",
               "HOST": _u.host or "", "PORT": _u.port or "", "TEST": {}}
else:
    default = {"ENGINE": "django.db.backends.sqlite3", "NAME": HERE / "dev.sqlite3", "TEST": {}}
    if _options.get("test_file"):
        default["TEST"]["NAME"] = str(HERE / "test_dev.sqlite3")
DATABASES = {"default": default}
ALEMBIC = {"default": {"script_location": HERE / "alembic", "database": "default",
                       "target_metadata": "djp_tables:metadata"}}
ALEMBIC.update(_options.get("alembic", {}))
'''

TABLES = '''
import sqlalchemy as sa
from inventory.tables import metadata, item, supplier  # noqa: F401

# Django's table, outside the metadata autogenerate compares
auth_user = sa.Table("auth_user", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))

note = sa.Table(
    "inventory_note", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.String(200), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("inventory_item.id", name="fk_note_item"),
              nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey(auth_user.c.id, name="fk_note_user"),
              nullable=True),
)
'''

NOTE_REVISION = f'''"""create note table; seed a supplier

Revision ID: {HEAD}
Revises: 53fffde5ad5
"""
import sqlalchemy as sa

from alembic_django import op

revision = {HEAD!r}
down_revision = "53fffde5ad5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inventory_note",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("inventory_item.id", name="fk_note_item"),
                  nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("auth_user.id", name="fk_note_user"),
                  nullable=True),
    )
    supplier = sa.table("inventory_supplier", sa.column("id", sa.Integer),
                        sa.column("name", sa.String))
    op.bulk_insert(supplier, [{{"id": 1, "name": "Seeded by a revision"}}])


def downgrade():
    op.execute("DELETE FROM inventory_supplier WHERE id = 1")
    op.drop_table("inventory_note")
'''

#: a helper the test files import: what the current test sees
REPORTER = '''
import json, os


def report(label, **extra):
    from django.db import connection
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in ("inventory_item", "inventory_supplier", "inventory_note", "auth_user"):
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                counts[table] = cursor.fetchone()[0]
        versions = []
        if "alembic_version" in tables:
            cursor.execute("SELECT version_num FROM alembic_version")
            versions = [r[0] for r in cursor.fetchall()]
    line = {"label": label, "name": str(connection.settings_dict["NAME"]), "tables": tables,
            "counts": counts, "versions": versions, "pid": os.getpid(), **extra}
    with open(os.environ["DJP_REPORT"], "a") as fh:
        fh.write(json.dumps(line) + "\\n")


def insert_rows(cursor, sku):
    cursor.execute("INSERT INTO auth_user (password, is_superuser, username, first_name, "
                   "last_name, email, is_staff, is_active, date_joined) VALUES "
                   "('x', %s, %s, '', '', '', %s, %s, '2020-01-01')", [False, sku, False, True])
    cursor.execute("SELECT id FROM auth_user WHERE username = %s", [sku])
    user = cursor.fetchone()[0]
    cursor.execute("INSERT INTO inventory_supplier (id, name) VALUES (77, 'Acme')")
    cursor.execute("INSERT INTO inventory_item (sku, name, quantity, supplier_id) "
                   "VALUES (%s, 'Anvil', 3, 77)", [sku])
    cursor.execute("SELECT id FROM inventory_item WHERE sku = %s", [sku])
    item = cursor.fetchone()[0]
    cursor.execute("INSERT INTO inventory_note (text, item_id, user_id) VALUES ('n', %s, %s)",
                   [item, user])
'''


def postgresql_url() -> str | None:
    return os.environ.get("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL")


class Project:
    """The project in ``root``; ``backend`` is "sqlite" or "postgresql"."""

    def __init__(self, root: Path, backend: str = "sqlite", **options) -> None:
        self.root = root
        self.backend = backend
        self.options = options
        shutil.copytree(django_settings.EXAMPLE / "alembic", root / "alembic",
                        ignore=shutil.ignore_patterns("__pycache__"))
        (root / "alembic" / "versions" / f"{HEAD}_create_note_table.py").write_text(NOTE_REVISION)
        (root / "djp_settings.py").write_text(SETTINGS)
        (root / "djp_tables.py").write_text(TABLES)
        (root / "djp_report.py").write_text(REPORTER)
        (root / "manage.py").write_text(
            "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'djp_settings')\n"
            "from django.core.management import execute_from_command_line\n"
            "execute_from_command_line(sys.argv)\n")
        (root / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = djp_settings\n")
        self.report_file = root / "report.jsonl"

    # -- environment ---------------------------------------------------------------------
    def env(self, **options) -> dict:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["PYTHONPATH"] = os.pathsep.join([str(self.root), str(django_settings.EXAMPLE),
                                             str(django_settings.REPO)])
        env["DJP_OPTIONS"] = json.dumps({**self.options, **options})
        env["DJP_REPORT"] = str(self.report_file)
        if self.backend == "postgresql":
            env["DJP_POSTGRESQL"] = postgresql_url()
        else:
            env.pop("DJP_POSTGRESQL", None)
        return env

    def run(self, *argv: str, ok: bool = True, **options) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, *argv], cwd=self.root, env=self.env(**options),
                              capture_output=True, text=True, timeout=300)
        if ok:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    def manage(self, *argv: str, ok: bool = True, **options) -> subprocess.CompletedProcess:
        return self.run("manage.py", *argv, ok=ok, **options)

    def pytest(self, *argv: str, ok: bool = True, **options) -> subprocess.CompletedProcess:
        return self.run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", *argv, ok=ok,
                        **options)

    def reports(self) -> list[dict]:
        if not self.report_file.exists():
            return []
        return [json.loads(line) for line in self.report_file.read_text().splitlines()]

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.write_text(text)
        return path

    # -- the development database ----------------------------------------------------------
    def dev_url(self) -> str:
        if self.backend == "postgresql":
            return postgresql_url()
        return f"sqlite:///{self.root / 'dev.sqlite3'}"

    def prepare_dev_database(self) -> None:
        """Django's tables, the Alembic environment at head and one row of our own."""
        self.manage("migrate", "-v", "0")
        self.manage("alembic", "upgrade", "heads", "-v", "0")
        engine = sa.create_engine(self.dev_url(), poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO inventory_item (sku, name, quantity) "
                                 "VALUES ('dev-row', 'Precious', 1)"))
        engine.dispose()

    def dev_state(self) -> dict:
        engine = sa.create_engine(self.dev_url(), poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                names = sa.inspect(conn).get_table_names()
                state = {"tables": sorted(names)}
                if "inventory_item" in names:
                    state["items"] = conn.execute(
                        sa.text("SELECT sku FROM inventory_item ORDER BY sku")).scalars().all()
                if "alembic_version" in names:
                    state["versions"] = conn.execute(
                        sa.text("SELECT version_num FROM alembic_version")).scalars().all()
                return state
        finally:
            engine.dispose()


def drop_test_databases() -> None:
    """Drop ``test_<NAME>`` and its clones (``_1``, ``_gw0``, ...) left by --reuse-db or a
    failed run, on the PostgreSQL server of ``ALEMBIC_DJANGO_TEST_POSTGRESQL_URL``."""
    url = sa.engine.make_url(postgresql_url())
    prefix = "test_" + url.database
    engine = sa.create_engine(url.set(database="postgres"), poolclass=sa.pool.NullPool,
                              isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            names = conn.execute(sa.text("SELECT datname FROM pg_database")).scalars().all()
            for name in names:
                if name == prefix or name.startswith(prefix + "_"):
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()


def run_plain_pytest(root: Path, extra_env: dict) -> subprocess.CompletedProcess:
    """pytest in a project without Django settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(django_settings.EXAMPLE), str(django_settings.REPO)])
    env.update(extra_env)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


SCENARIOS = [
    pytest.param("sqlite", {}, id="sqlite-memory"),
    pytest.param("sqlite", {"test_file": True}, id="sqlite-file"),
    pytest.param("postgresql", {}, id="postgresql"),
]


def pg_or_skip() -> str:
    url = postgresql_url()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL is not set")
        pytest.skip("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL is not set")
    return url


@pytest.fixture
def make_project(tmp_path, request):
    """Project(backend, **options) on a wiped development database."""
    made = []

    def make(backend: str, **options) -> Project:
        if backend == "postgresql":
            pg_or_skip()
            request.getfixturevalue("postgresql_url")  # wiped before and after
        project = Project(tmp_path / f"p{len(made)}", backend, **options)
        made.append(project)
        return project

    (tmp_path).mkdir(exist_ok=True)
    yield make
    for project in made:
        if project.backend == "postgresql":
            drop_test_databases()



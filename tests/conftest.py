"""Shared fixtures: database URLs for SQLite, PostgreSQL and MariaDB/MySQL.

PostgreSQL and MariaDB URLs come from environment variables:

* ``ALEMBIC_DJANGO_TEST_POSTGRESQL_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
* ``ALEMBIC_DJANGO_TEST_MYSQL_URL`` (e.g. ``mysql+pymysql://root@127.0.0.1:3306/test``)

On a developer's machine without them the tests skip with a reason.  Under CI
(``CI`` set) a missing variable or an unreachable server is a failure, never a skip.
Each fixture hands out an *empty* database: every table (and extra schema on
PostgreSQL) is dropped before and after the test.
"""

from __future__ import annotations

import os

import pytest

DIALECT_ENV = {
    "postgresql": "ALEMBIC_DJANGO_TEST_POSTGRESQL_URL",
    "mysql": "ALEMBIC_DJANGO_TEST_MYSQL_URL",
}
DIALECTS = ["sqlite", "postgresql", "mysql"]


def _server_url(dialect: str) -> str:
    var = DIALECT_ENV[dialect]
    url = os.environ.get(var)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{var} is not set; CI must run the {dialect} tests")
        pytest.skip(f"{var} is not set: no {dialect} server to test against")
    return url


def wipe_database(url: str) -> None:
    """Drop every table, view and (PostgreSQL) non-system schema in ``url``."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            name = conn.dialect.name
            if name == "postgresql":
                schemas = conn.execute(sa.text(
                    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                    "AND nspname NOT IN ('information_schema')"
                )).scalars().all()
                for schema in schemas:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
                conn.exec_driver_sql("CREATE SCHEMA public")
                for (typname,) in conn.exec_driver_sql(
                    "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                    "WHERE n.nspname = 'public' AND t.typtype = 'e'"
                ):
                    conn.exec_driver_sql(f'DROP TYPE IF EXISTS "{typname}" CASCADE')
            elif name in ("mysql", "mariadb"):
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
                db = conn.exec_driver_sql("SELECT DATABASE()").scalar()
                rows = conn.exec_driver_sql(
                    "SELECT table_name, table_type FROM information_schema.tables "
                    "WHERE table_schema = %s",
                    (db,),
                ).all()
                for table, kind in rows:
                    what = "VIEW" if kind == "VIEW" else "TABLE"
                    conn.exec_driver_sql(f"DROP {what} IF EXISTS `{table}`")
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
            else:
                md = sa.MetaData()
                md.reflect(conn)
                md.drop_all(conn)
    finally:
        engine.dispose()


def _checked(url: str, dialect: str) -> str:
    try:
        wipe_database(url)
    except Exception as exc:  # noqa: BLE001 - any failure: the configured server is not usable
        pytest.fail(f"{dialect} server at {DIALECT_ENV[dialect]} is not usable: {exc}")
    return url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def postgresql_url():
    url = _checked(_server_url("postgresql"), "postgresql")
    yield url
    wipe_database(url)


@pytest.fixture
def mysql_url():
    url = _checked(_server_url("mysql"), "mysql")
    yield url
    wipe_database(url)


@pytest.fixture(params=DIALECTS)
def db_url(request) -> str:
    """An empty database on each of SQLite, PostgreSQL and MariaDB/MySQL in turn."""
    return request.getfixturevalue(f"{request.param}_url")

"""batch_alter_table: SQLite "move and copy" keeps rows, constraints, indexes and FKs;
other dialects get plain ALTERs; offline needs copy_from."""

from __future__ import annotations

import io
import types

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from alembic_django.engine.ddl.impl import DefaultImpl
from alembic_django.engine.errors import CommandError
from alembic_django.engine.operations import Operations


def make_context(dialect, connection=None, buf=None):
    as_sql = connection is None
    impl = DefaultImpl.get_by_dialect(dialect)(dialect, connection, as_sql, None, buf, {})
    return types.SimpleNamespace(impl=impl, dialect=dialect, as_sql=as_sql, bind=connection,
                                 opts={})


@pytest.fixture
def sqlite_op(sqlite_url):
    engine = sa.create_engine(sqlite_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        yield Operations(make_context(conn.dialect, conn)), conn
    engine.dispose()


@pytest.fixture
def online(db_url):
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        yield Operations(make_context(conn.dialect, conn)), conn
    engine.dispose()


def make_tables(op):
    """parent(id PK, name UNIQUE NOT NULL, age CHECK, ix_parent_age) <- child.parent_id FK."""
    op.create_table(
        "parent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("age", sa.Integer, server_default="1"),
        sa.Column("note", sa.String(20)),
        sa.UniqueConstraint("name", name="uq_parent_name"),
        sa.CheckConstraint("age > 0", name="ck_parent_age"),
    )
    op.create_index("ix_parent_age", "parent", ["age"])
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer,
                  sa.ForeignKey("parent.id", name="fk_child_parent", ondelete="CASCADE")),
    )
    op.bulk_insert(sa.table("parent", sa.column("id"), sa.column("name"), sa.column("age"),
                            sa.column("note")),
                   [{"id": 1, "name": "a", "age": 3, "note": "x"},
                    {"id": 2, "name": "b", "age": 4, "note": None}])
    op.bulk_insert(sa.table("child", sa.column("id"), sa.column("parent_id")),
                   [{"id": 10, "parent_id": 2}])


def columns(conn, table="parent"):
    return {c["name"]: c for c in sa.inspect(conn).get_columns(table)}


def test_sqlite_recreate_keeps_rows_constraints_indexes_and_fks(sqlite_op):
    op, conn = sqlite_op
    make_tables(op)
    with op.batch_alter_table("parent") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(30)), insert_after="id")
        batch_op.alter_column("name", new_column_name="title", type_=sa.String(80))
        batch_op.alter_column("age", nullable=False)
        batch_op.drop_column("note")
        batch_op.create_unique_constraint("uq_parent_email", ["email"])
    i = sa.inspect(conn)
    cols = columns(conn)
    assert list(cols) == ["id", "email", "title", "age"]
    assert cols["title"]["type"].length == 80 and cols["title"]["nullable"] is False
    assert cols["age"]["nullable"] is False and "1" in str(cols["age"]["default"])
    assert i.get_pk_constraint("parent")["constrained_columns"] == ["id"]
    uniques = {u["name"]: u["column_names"] for u in i.get_unique_constraints("parent")}
    assert uniques == {"uq_parent_name": ["title"], "uq_parent_email": ["email"]}
    assert [c["name"] for c in i.get_check_constraints("parent")] == ["ck_parent_age"]
    assert [(x["name"], x["column_names"]) for x in i.get_indexes("parent")] == [
        ("ix_parent_age", ["age"])]
    assert conn.execute(sa.text("SELECT id, email, title, age FROM parent ORDER BY id")).all() \
        == [(1, None, "a", 3), (2, None, "b", 4)]
    assert "_alembic_tmp_parent" not in i.get_table_names()
    # the FK from child still points at parent and still holds
    [fk] = i.get_foreign_keys("child")
    assert (fk["name"], fk["referred_table"], fk["referred_columns"]) == (
        "fk_child_parent", "parent", ["id"])
    assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    # the CHECK still holds after the copy
    with pytest.raises(sa.exc.IntegrityError):
        with conn.begin_nested():
            conn.execute(sa.text("INSERT INTO parent (id, title, age) VALUES (3, 'c', -1)"))


def test_sqlite_recreate_drops_constraints_and_keeps_own_fk(sqlite_op):
    op, conn = sqlite_op
    make_tables(op)
    with op.batch_alter_table("child") as batch_op:
        batch_op.add_column(sa.Column("extra", sa.Integer))
        batch_op.create_index("ix_child_extra", ["extra"], unique=True)
        batch_op.alter_column("extra", server_default="5")
    i = sa.inspect(conn)
    assert [fk["name"] for fk in i.get_foreign_keys("child")] == ["fk_child_parent"]
    assert i.get_foreign_keys("child")[0]["options"] == {"ondelete": "CASCADE"}
    assert [x["name"] for x in i.get_indexes("child")] == ["ix_child_extra"]
    assert conn.execute(sa.text("SELECT parent_id FROM child")).scalar() == 2
    with op.batch_alter_table("parent") as batch_op:
        batch_op.drop_constraint("ck_parent_age", type_="check")
        batch_op.drop_constraint("uq_parent_name", type_="unique")
        batch_op.drop_index("ix_parent_age")
    i = sa.inspect(conn)
    assert i.get_check_constraints("parent") == []
    assert i.get_unique_constraints("parent") == []
    assert i.get_indexes("parent") == []
    assert conn.execute(sa.text("SELECT count(*) FROM parent")).scalar() == 2


def test_sqlite_add_column_only_does_not_recreate(sqlite_op):
    op, conn = sqlite_op
    make_tables(op)
    before = conn.exec_driver_sql(
        "SELECT rootpage FROM sqlite_master WHERE name = 'parent'").scalar()
    with op.batch_alter_table("parent") as batch_op:
        batch_op.add_column(sa.Column("flag", sa.Integer))
        batch_op.create_index("ix_parent_flag", ["flag"])
    after = conn.exec_driver_sql(
        "SELECT rootpage FROM sqlite_master WHERE name = 'parent'").scalar()
    assert before == after  # same b-tree: altered in place, not copied
    assert "flag" in columns(conn)


def test_sqlite_recreate_always_and_partial_reordering(sqlite_op):
    op, conn = sqlite_op
    make_tables(op)
    with op.batch_alter_table("parent", recreate="always",
                              partial_reordering=[("note", "id")]) as batch_op:
        batch_op.add_column(sa.Column("first", sa.Integer), insert_before="name")
    assert list(columns(conn)) == ["note", "id", "first", "name", "age"]
    assert conn.execute(sa.text("SELECT note FROM parent WHERE id = 1")).scalar() == "x"


def test_sqlite_recreate_never_raises_batch_error(sqlite_op):
    op, conn = sqlite_op
    make_tables(op)
    with pytest.raises(CommandError, match=r"alter_column on table 'parent'.*batch mode"):
        with op.batch_alter_table("parent", recreate="never") as batch_op:
            batch_op.alter_column("age", nullable=False)


def test_batch_errors(sqlite_op):
    op, conn = sqlite_op
    make_tables(op)
    with pytest.raises(CommandError, match=r"no such constraint: 'nope'"):
        with op.batch_alter_table("parent") as batch_op:
            batch_op.drop_constraint("nope")
    with pytest.raises(CommandError, match=r"batch_alter_table 'missing': no such table"):
        with op.batch_alter_table("missing") as batch_op:
            batch_op.drop_column("x")
    with pytest.raises(CommandError, match="recreate must be"):
        with op.batch_alter_table("parent", recreate="sometimes"):
            pass
    assert conn.execute(sa.text("SELECT count(*) FROM parent")).scalar() == 2


def test_batch_offline_needs_copy_from():
    buf = io.StringIO()
    op = Operations(make_context(sqlite.dialect(paramstyle="named"), None, buf))
    with pytest.raises(CommandError, match=r"batch_alter_table 'parent'.*copy_from"):
        with op.batch_alter_table("parent") as batch_op:
            batch_op.drop_column("note")
    md = sa.MetaData()
    table = sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("note", sa.String(10)), sa.Column("n", sa.Integer))
    with op.batch_alter_table("parent", copy_from=table) as batch_op:
        batch_op.drop_column("note")
    sql = [s.strip() for s in buf.getvalue().split(";\n\n") if s.strip()]
    assert sql == [
        "CREATE TABLE _alembic_tmp_parent (\n    id INTEGER NOT NULL, \n    n INTEGER, \n"
        "    PRIMARY KEY (id)\n)",
        "INSERT INTO _alembic_tmp_parent (id, n) SELECT parent.id, parent.n \nFROM parent",
        "DROP TABLE parent",
        "ALTER TABLE _alembic_tmp_parent RENAME TO parent",
    ]


def test_batch_plain_alters_on_server_dialects(online):
    op, conn = online
    if conn.dialect.name == "sqlite":
        pytest.skip("SQLite recreates; covered above")
    make_tables(op)
    with op.batch_alter_table("parent") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(30)))
        batch_op.alter_column("note", type_=sa.String(60), existing_type=sa.String(20),
                              existing_nullable=True)
        batch_op.drop_constraint("uq_parent_name", type_="unique")
        batch_op.create_check_constraint("ck_parent_small", "age < 100")
    cols = columns(conn)
    assert "email" in cols and cols["note"]["type"].length == 60
    i = sa.inspect(conn)
    assert i.get_unique_constraints("parent") == []
    assert "ck_parent_small" in {c["name"] for c in i.get_check_constraints("parent")}
    assert conn.execute(sa.text("SELECT count(*) FROM parent")).scalar() == 2


def test_batch_recreate_always_postgresql(postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        op = Operations(make_context(conn.dialect, conn))
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("n", sa.String(5)), sa.Column("gone", sa.Integer))
        op.bulk_insert(sa.table("t", sa.column("n")), [{"n": "7"}])
        with op.batch_alter_table("t", recreate="always") as batch_op:
            batch_op.alter_column("n", type_=sa.Integer)
            batch_op.drop_column("gone")
        cols = columns(conn, "t")
        assert list(cols) == ["id", "n"] and isinstance(cols["n"]["type"], sa.Integer)
        assert conn.execute(sa.text("SELECT n + 1 FROM t")).scalar() == 8
        assert sa.inspect(conn).get_pk_constraint("t")["name"] == "t_pkey"
        assert conn.execute(sa.text("SELECT pg_get_serial_sequence('t', 'id')")).scalar() \
            == "public.t_id_seq"
        conn.execute(sa.text("INSERT INTO t (n) VALUES (9)"))  # the sequence carries on
        assert conn.execute(sa.text("SELECT id FROM t ORDER BY id")).scalars().all() == [1, 2]
    engine.dispose()


def test_sqlite_recreate_keeps_autoincrement(sqlite_op):
    op, conn = sqlite_op
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("n", sa.Integer), sqlite_autoincrement=True)
    with op.batch_alter_table("t") as batch_op:
        batch_op.alter_column("n", nullable=False)
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 't'").scalar()
    assert "AUTOINCREMENT" in sql


def test_sqlite_refuses_recreate_of_referenced_table_with_foreign_keys_on(sqlite_url):
    engine = sa.create_engine(sqlite_url, poolclass=sa.pool.NullPool)

    @sa.event.listens_for(engine, "connect")
    def _fk_on(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    with engine.begin() as conn:
        op = Operations(make_context(conn.dialect, conn))
        make_tables(op)
        with pytest.raises(CommandError, match=r"batch_alter_table 'parent'.*'child'.*"
                                               r"foreign_keys is ON"):
            with op.batch_alter_table("parent") as batch_op:
                batch_op.drop_column("note")
        with op.batch_alter_table("child") as batch_op:  # nothing references child
            batch_op.alter_column("parent_id", nullable=False)
        assert conn.execute(sa.text("SELECT count(*) FROM child")).scalar() == 1
    engine.dispose()


def test_batch_recreate_add_column_with_foreign_key(online):
    op, conn = online
    make_tables(op)
    if conn.dialect.name == "mysql":
        pytest.skip("MySQL cannot drop a table other tables reference; recreate is for SQLite")
    with op.batch_alter_table("child", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("other_id", sa.Integer,
                                      sa.ForeignKey("parent.id", name="fk_child_other")))
    fks = {fk["name"]: fk for fk in sa.inspect(conn).get_foreign_keys("child")}
    assert set(fks) == {"fk_child_parent", "fk_child_other"}
    assert fks["fk_child_other"]["constrained_columns"] == ["other_id"]
    assert conn.execute(sa.text("SELECT parent_id FROM child")).scalar() == 2

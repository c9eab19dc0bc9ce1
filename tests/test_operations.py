"""Op directives per dialect: applied online (checked by reflection) and offline (SQL text)."""

from __future__ import annotations

import io
import types

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

import alembic_django.op as op_proxy
from alembic_django.engine.ddl.impl import DefaultImpl
from alembic_django.engine.errors import CommandError
from alembic_django.engine.operations import BatchOperations, Operations, ops

OFFLINE_DIALECTS = {
    "postgresql": postgresql.dialect,
    "mysql": mysql.dialect,
    "sqlite": sqlite.dialect,
}


def make_context(dialect, connection=None, buf=None):
    as_sql = connection is None
    impl = DefaultImpl.get_by_dialect(dialect)(dialect, connection, as_sql, None, buf, {})
    return types.SimpleNamespace(impl=impl, dialect=dialect, as_sql=as_sql, bind=connection,
                                 opts={})


@pytest.fixture
def online(db_url):
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        yield Operations(make_context(conn.dialect, conn)), conn
    engine.dispose()


def offline(name):
    buf = io.StringIO()
    dialect = OFFLINE_DIALECTS[name](paramstyle="named")
    return Operations(make_context(dialect, None, buf)), buf


def statements(buf):
    return [s.strip() for s in buf.getvalue().split(";\n\n") if s.strip()]


def insp(conn):
    return sa.inspect(conn)


# -- DDL impl registry ------------------------------------------------------------------


@pytest.mark.parametrize("name,cls_name,transactional", [
    ("postgresql", "PostgresqlImpl", True),
    ("mysql", "MySQLImpl", False),
    ("sqlite", "SQLiteImpl", False),
], ids=["postgresql", "mysql", "sqlite"])
def test_impl_registry_and_transactional_ddl(name, cls_name, transactional):
    cls = DefaultImpl.get_by_dialect(OFFLINE_DIALECTS[name]())
    assert cls.__name__ == cls_name
    assert cls.transactional_ddl is transactional
    assert cls.command_terminator == ";"
    impl = cls(OFFLINE_DIALECTS[name](), None, True, not transactional, io.StringIO(), {})
    assert impl.transactional_ddl is (not transactional)


def test_mariadb_dialect_uses_mysql_impl():
    dialect = sa.create_engine("mariadb+pymysql://u@h/db").dialect
    assert dialect.name == "mariadb"
    impl_cls = DefaultImpl.get_by_dialect(dialect)
    assert impl_cls.__name__ == "MariaDBImpl" and impl_cls.__mro__[1].__name__ == "MySQLImpl"


def test_offline_begin_commit_static_output():
    op, buf = offline("postgresql")
    impl = op.get_context().impl
    impl.emit_begin()
    impl.static_output("-- Running upgrade  -> abc")
    impl.emit_commit()
    assert buf.getvalue() == "BEGIN;\n\n-- Running upgrade  -> abc\n\nCOMMIT;\n\n"


def test_offline_refuses_parameters():
    op, _ = offline("sqlite")
    with pytest.raises(CommandError, match="offline"):
        op.get_context().impl._exec(sa.text("select :x"), params={"x": 1})


# -- tables -----------------------------------------------------------------------------


def test_create_table_returns_table_and_is_reflected(online):
    op, conn = online
    op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))
    table = op.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, comment="the name"),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
        sa.Column("code", sa.String(10), index=True),
        sa.UniqueConstraint("name", name="uq_item_name"),
        comment="items",
    )
    assert isinstance(table, sa.Table) and table.name == "item"
    i = insp(conn)
    assert {"parent", "item"} <= set(i.get_table_names())
    cols = {c["name"]: c for c in i.get_columns("item")}
    assert list(cols) == ["id", "name", "parent_id", "code"]
    assert cols["name"]["nullable"] is False
    [fk] = i.get_foreign_keys("item")
    assert fk["referred_table"] == "parent" and fk["constrained_columns"] == ["parent_id"]
    assert fk["options"].get("ondelete") == "CASCADE"
    assert [ix["column_names"] for ix in i.get_indexes("item")
            if ix["name"] == "ix_item_code"] == [["code"]]
    assert "uq_item_name" in {u["name"] for u in i.get_unique_constraints("item")}
    if conn.dialect.name != "sqlite":
        assert i.get_table_comment("item")["text"] == "items"
        assert cols["name"]["comment"] == "the name"


def test_create_table_if_not_exists_and_drop_if_exists(online):
    op, conn = online
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), if_not_exists=True)
    op.drop_table("t")
    op.drop_table("t", if_exists=True)
    assert "t" not in insp(conn).get_table_names()


def test_rename_table(online):
    op, conn = online
    op.create_table("old", sa.Column("id", sa.Integer, primary_key=True))
    op.rename_table("old", "new")
    assert "new" in insp(conn).get_table_names() and "old" not in insp(conn).get_table_names()


def test_table_comment(online):
    op, conn = online
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table_comment("t", "hello")
    if conn.dialect.name == "sqlite":  # SQLite stores no comments: nothing to emit
        assert insp(conn).get_table_names() == ["t"]
        return
    assert insp(conn).get_table_comment("t")["text"] == "hello"
    op.drop_table_comment("t", existing_comment="hello")
    assert not insp(conn).get_table_comment("t")["text"]


# -- columns ----------------------------------------------------------------------------


def test_add_and_drop_column(online):
    op, conn = online
    op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    op.bulk_insert(sa.table("t", sa.column("id")), [{"id": 1}])
    op.add_column("t", sa.Column("qty", sa.Integer, nullable=False, server_default="7"))
    op.add_column("t", sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id")))
    op.add_column("t", sa.Column("code", sa.String(5), index=True))
    i = insp(conn)
    cols = {c["name"]: c for c in i.get_columns("t")}
    assert cols["qty"]["nullable"] is False and "7" in str(cols["qty"]["default"])
    assert conn.execute(sa.text("SELECT qty FROM t")).scalar() == 7
    assert [fk["referred_table"] for fk in i.get_foreign_keys("t")] == ["parent"]
    assert any(ix["column_names"] == ["code"] for ix in i.get_indexes("t"))
    op.drop_index("ix_t_code", "t")
    op.drop_column("t", "code")
    assert "code" not in {c["name"] for c in insp(conn).get_columns("t")}


def test_alter_column(online):
    op, conn = online
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(20), nullable=True))
    if conn.dialect.name == "sqlite":
        with pytest.raises(CommandError, match=r"alter_column on table 't'.*batch mode"):
            op.alter_column("t", "name", nullable=False)
        with pytest.raises(CommandError, match=r"alter_column on table 't'.*type"):
            op.alter_column("t", "name", type_=sa.String(50))
        op.alter_column("t", "name", new_column_name="title")
        assert [c["name"] for c in insp(conn).get_columns("t")] == ["id", "title"]
        return
    op.alter_column("t", "name", type_=sa.String(80), existing_type=sa.String(20),
                    nullable=False, existing_nullable=True)
    op.alter_column("t", "name", server_default="x", existing_type=sa.String(80),
                    existing_nullable=False)
    op.alter_column("t", "name", comment="a title", existing_type=sa.String(80),
                    existing_nullable=False, existing_server_default="x")
    cols = {c["name"]: c for c in insp(conn).get_columns("t")}
    assert cols["name"]["type"].length == 80
    assert cols["name"]["nullable"] is False
    assert "x" in str(cols["name"]["default"])
    assert cols["name"]["comment"] == "a title"
    op.alter_column("t", "name", new_column_name="title", existing_type=sa.String(80),
                    existing_nullable=False, existing_server_default="x",
                    existing_comment="a title")
    op.alter_column("t", "title", server_default=None, existing_type=sa.String(80),
                    existing_nullable=False)
    cols = {c["name"]: c for c in insp(conn).get_columns("t")}
    assert list(cols) == ["id", "title"]
    assert cols["title"]["default"] is None and cols["title"]["nullable"] is False


def test_alter_column_postgresql_using(postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        op = Operations(make_context(conn.dialect, conn))
        op.create_table("t", sa.Column("n", sa.String(10)))
        op.bulk_insert(sa.table("t", sa.column("n")), [{"n": "42"}])
        op.alter_column("t", "n", type_=sa.Integer, postgresql_using="n::integer")
        assert isinstance(insp(conn).get_columns("t")[0]["type"], sa.Integer)
        assert conn.execute(sa.text("SELECT n + 1 FROM t")).scalar() == 43
    engine.dispose()


def test_offline_postgresql_alter_column_sql():
    op, buf = offline("postgresql")
    op.alter_column("t", "n", type_=sa.Integer, postgresql_using="n::integer",
                    nullable=False, server_default="0", new_column_name="m")
    assert statements(buf) == [
        "ALTER TABLE t ALTER COLUMN n TYPE INTEGER USING n::integer",
        "ALTER TABLE t ALTER COLUMN n SET NOT NULL",
        "ALTER TABLE t ALTER COLUMN n SET DEFAULT '0'",
        "ALTER TABLE t RENAME n TO m",  # Alembic's PostgreSQL spelling
    ]


def test_offline_mysql_modify_and_change_sql():
    op, buf = offline("mysql")
    op.alter_column("t", "c", type_=sa.String(20), existing_nullable=False,
                    existing_server_default="a", existing_comment="cc")
    op.alter_column("t", "c", new_column_name="d", existing_type=sa.String(20),
                    existing_nullable=True)
    op.alter_column("t", "d", server_default=None, existing_type=sa.String(20))
    assert statements(buf) == [
        "ALTER TABLE t MODIFY c VARCHAR(20) NOT NULL DEFAULT 'a' COMMENT 'cc'",
        "ALTER TABLE t CHANGE c d VARCHAR(20) NULL",
        "ALTER TABLE t ALTER COLUMN d DROP DEFAULT",
    ]


@pytest.mark.parametrize("kw,missing", [
    ({"nullable": False}, "existing type"),
    ({"type_": sa.Integer}, "existing nullability"),
    ({"new_column_name": "x", "existing_nullable": True}, "existing type"),
], ids=["nullable-no-type", "type-no-nullable", "rename-no-type"])
def test_mysql_alter_column_needs_existing_type_and_nullability(kw, missing):
    op, _ = offline("mysql")
    with pytest.raises(CommandError, match=rf"alter_column on table 'users' column 'c'.*{missing}"):
        op.alter_column("users", "c", **kw)


# -- indexes ----------------------------------------------------------------------------


def test_create_and_drop_index(online):
    op, conn = online
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("a", sa.String(20)), sa.Column("b", sa.Integer))
    op.create_index("ix_t_a_b", "t", ["a", "b"], unique=True)
    if conn.dialect.name != "mysql":
        op.create_index("ix_t_a_b", "t", ["a", "b"], if_not_exists=True)
    if conn.dialect.name == "postgresql":
        op.create_index("ix_t_lower_a", "t", [sa.text("lower(a)")])
    found = {ix["name"]: ix for ix in insp(conn).get_indexes("t")}
    assert found["ix_t_a_b"]["column_names"] == ["a", "b"] and found["ix_t_a_b"]["unique"]
    if conn.dialect.name == "postgresql":
        assert "ix_t_lower_a" in found
        op.drop_index("ix_t_lower_a", "t")
    op.drop_index("ix_t_a_b", "t")
    if conn.dialect.name != "mysql":
        op.drop_index("ix_t_a_b", "t", if_exists=True)
    assert insp(conn).get_indexes("t") == []


def test_offline_create_index_postgresql_kwargs():
    op, buf = offline("postgresql")
    op.create_index("ix_a", "t", ["a"], unique=True, postgresql_where=sa.text("a > 1"))
    assert statements(buf) == ["CREATE UNIQUE INDEX ix_a ON t (a) WHERE a > 1"]


# -- constraints ------------------------------------------------------------------------


def test_constraints(online):
    op, conn = online
    op.create_table("p", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table("t", sa.Column("id", sa.Integer, nullable=False),
                    sa.Column("pid", sa.Integer), sa.Column("n", sa.Integer))
    if conn.dialect.name == "sqlite":
        for call, name in [
            (lambda: op.create_unique_constraint("uq", "t", ["n"]), "create_unique_constraint"),
            (lambda: op.create_foreign_key("fk", "t", "p", ["pid"], ["id"]), "create_foreign_key"),
            (lambda: op.create_check_constraint("ck", "t", "n > 0"), "create_check_constraint"),
            (lambda: op.create_primary_key("pk", "t", ["id"]), "create_primary_key"),
            (lambda: op.drop_constraint("uq", "t", type_="unique"), "drop_constraint"),
        ]:
            with pytest.raises(CommandError, match=rf"{name} on table 't'.*batch mode"):
                call()
        return
    op.create_primary_key("pk_t", "t", ["id"])
    op.create_unique_constraint("uq_t_n", "t", ["n"])
    op.create_foreign_key("fk_t_p", "t", "p", ["pid"], ["id"], ondelete="SET NULL")
    op.create_check_constraint("ck_t_n", "t", "n > 0")
    i = insp(conn)
    assert i.get_pk_constraint("t")["constrained_columns"] == ["id"]
    assert "uq_t_n" in {u["name"] for u in i.get_unique_constraints("t")}
    [fk] = i.get_foreign_keys("t")
    assert fk["name"] == "fk_t_p" and fk["options"]["ondelete"] == "SET NULL"
    assert "ck_t_n" in {c["name"] for c in i.get_check_constraints("t")}
    op.drop_constraint("fk_t_p", "t", type_="foreignkey")
    op.drop_constraint("uq_t_n", "t", type_="unique")
    op.drop_constraint("ck_t_n", "t", type_="check")
    i = insp(conn)
    assert i.get_foreign_keys("t") == []
    assert "uq_t_n" not in {u["name"] for u in i.get_unique_constraints("t")}
    assert "ck_t_n" not in {c["name"] for c in i.get_check_constraints("t")}


def test_mysql_drop_constraint_needs_type():
    op, _ = offline("mysql")
    with pytest.raises(CommandError, match=r"drop_constraint 'uq' on table 't'.*type_"):
        op.drop_constraint("uq", "t")


def test_offline_foreign_key_options():
    op, buf = offline("postgresql")
    op.create_foreign_key("fk", "c", "p", ["pid"], ["id"], ondelete="CASCADE",
                          onupdate="SET NULL", deferrable=True, initially="DEFERRED",
                          source_schema="s1", referent_schema="s2")
    assert statements(buf) == [
        "ALTER TABLE s1.c ADD CONSTRAINT fk FOREIGN KEY(pid) REFERENCES s2.p (id) "
        "ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED"
    ]


def test_create_exclude_constraint_postgresql(postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        op = Operations(make_context(conn.dialect, conn))
        op.create_table("room", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("slot", sa.Integer))
        op.create_exclude_constraint("ex_slot", "room", ("slot", "="), using="btree")
        rows = conn.execute(sa.text(
            "SELECT conname FROM pg_constraint WHERE contype = 'x'")).scalars().all()
        assert rows == ["ex_slot"]
    engine.dispose()


# -- data and SQL -----------------------------------------------------------------------


@pytest.mark.parametrize("multiinsert", [True, False], ids=["multi", "single"])
def test_bulk_insert_online(online, multiinsert):
    op, conn = online
    t = op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(20)))
    op.bulk_insert(t, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}], multiinsert=multiinsert)
    assert conn.execute(sa.text("SELECT id, name FROM t ORDER BY id")).all() == [
        (1, "a"), (2, "b")]


def test_bulk_insert_offline_renders_literals():
    op, buf = offline("postgresql")
    t = sa.table("t", sa.column("id", sa.Integer), sa.column("name", sa.String))
    op.bulk_insert(t, [{"id": 1, "name": "o'k"}, {"id": 2, "name": op.inline_literal("x")}])
    assert statements(buf) == [
        "INSERT INTO t (id, name) VALUES (1, 'o''k')",
        "INSERT INTO t (id, name) VALUES (2, 'x')",
    ]


def test_bulk_insert_rejects_non_list():
    op, _ = offline("sqlite")
    with pytest.raises(CommandError, match="bulk_insert into 't'"):
        op.bulk_insert(sa.table("t", sa.column("id")), {"id": 1})


def test_execute_online_and_offline(online):
    op, conn = online
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("v", sa.String(10)))
    op.execute("INSERT INTO t (id, v) VALUES (1, 'a')")
    tt = sa.table("t", sa.column("v", sa.String), sa.column("id", sa.Integer))
    op.execute(tt.update().where(tt.c.id == op.inline_literal(1)).values(
        v=op.inline_literal("b")))
    assert conn.execute(sa.text("SELECT v FROM t")).scalar() == "b"
    off, buf = offline(conn.dialect.name)
    off.execute(tt.update().where(tt.c.id == 1).values(v="c"))
    off.execute("DELETE FROM t")
    assert statements(buf) == ["UPDATE t SET v='c' WHERE id = 1", "DELETE FROM t"]


def test_offline_create_table_sql():
    op, buf = offline("sqlite")
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("n", sa.String(5), server_default="x"))
    op.add_column("t", sa.Column("m", sa.Integer))
    op.drop_column("t", "m")
    op.rename_table("t", "u")
    op.drop_table("u")
    assert statements(buf) == [
        "CREATE TABLE t (\n    id INTEGER NOT NULL, \n    n VARCHAR(5) DEFAULT 'x', \n"
        "    PRIMARY KEY (id)\n)",
        "ALTER TABLE t ADD COLUMN m INTEGER",
        "ALTER TABLE t DROP COLUMN m",
        "ALTER TABLE t RENAME TO u",
        "DROP TABLE u",
    ]


def test_offline_postgresql_enum_created_with_table():
    op, buf = offline("postgresql")
    op.create_table("t", sa.Column("mood", sa.Enum("a", "b", name="mood")))
    op.drop_table("t", )
    out = statements(buf)
    assert out[0] == "CREATE TYPE mood AS ENUM ('a', 'b')"
    assert out[1].startswith("CREATE TABLE t")


# -- Operations plumbing ----------------------------------------------------------------


def test_op_proxy_outside_migration_raises():
    with pytest.raises(CommandError, match="proxy object has not yet been established"):
        op_proxy.add_column("t", sa.Column("x", sa.Integer))
    assert str(op_proxy.f("ix_name")) == "ix_name"


def test_op_proxy_inside_context_and_restore():
    ctx_a = make_context(sqlite.dialect(), None, io.StringIO())
    ctx_b = make_context(postgresql.dialect(), None, io.StringIO())
    with Operations.context(ctx_a) as ops_a:
        assert op_proxy.get_context() is ctx_a
        with Operations.context(ctx_b):
            op_proxy.drop_table("x")
            assert op_proxy.get_context() is ctx_b
        assert Operations.current() is ops_a
        op_proxy.create_index("ix", "t", ["a"])
    assert Operations.current() is None
    assert ctx_a.impl.output_buffer.getvalue() == "CREATE INDEX ix ON t (a);\n\n"
    assert ctx_b.impl.output_buffer.getvalue() == "DROP TABLE x;\n\n"


def test_get_bind_and_context(online):
    op, conn = online
    assert op.get_bind() is conn
    assert op.get_context().bind is conn


def test_register_operation_and_implementation_for():
    @Operations.register_operation("create_sequence_ad")
    class CreateSequenceOp(ops.MigrateOperation):
        def __init__(self, name):
            self.name = name

        @classmethod
        def create_sequence_ad(cls, operations, name):
            """Make a sequence."""
            return operations.invoke(cls(name))

    @Operations.implementation_for(CreateSequenceOp)
    def _create(operations, operation):
        operations.execute(f"CREATE SEQUENCE {operation.name}")
        return operation.name

    with pytest.raises(ValueError, match="replace=True"):
        Operations.implementation_for(CreateSequenceOp)(_create)
    op, buf = offline("postgresql")
    assert op.create_sequence_ad("s1") == "s1"
    assert statements(buf) == ["CREATE SEQUENCE s1"]
    Operations.implementation_for(CreateSequenceOp, replace=True)(
        lambda operations, operation: "replaced")
    assert op.create_sequence_ad("s2") == "replaced"
    del Operations.create_sequence_ad
    del Operations._to_impl._registry[(CreateSequenceOp, "default")]


def test_directive_signatures_match_alembic():
    import inspect

    sig = inspect.signature(Operations.create_foreign_key)
    assert list(sig.parameters)[:6] == ["self", "constraint_name", "source_table",
                                        "referent_table", "local_cols", "remote_cols"]
    for name in ("ondelete", "onupdate", "deferrable", "initially", "match",
                 "source_schema", "referent_schema"):
        assert name in sig.parameters
    assert "insert_before" in inspect.signature(BatchOperations.add_column).parameters
    assert "type_" in inspect.signature(Operations.drop_constraint).parameters


# -- op objects -------------------------------------------------------------------------


def test_op_objects_reverse_and_diff_tuples():
    md = sa.MetaData()
    t = sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("n", sa.String(5)), sa.UniqueConstraint("n", name="uq_n"))
    create = ops.CreateTableOp.from_table(t)
    assert create.to_diff_tuple()[0] == "add_table"
    drop = create.reverse()
    assert isinstance(drop, ops.DropTableOp) and drop.table_name == "t"
    back = drop.reverse().to_table()
    assert [c.name for c in back.c] == ["id", "n"]
    assert {c.name for c in back.constraints if isinstance(c, sa.UniqueConstraint)} == {"uq_n"}

    add = ops.AddColumnOp.from_column(t.c.n)
    assert add.to_diff_tuple() == ("add_column", None, "t", t.c.n)
    assert add.reverse().to_diff_tuple()[:3] == ("remove_column", None, "t")
    with pytest.raises(ValueError, match="not reversible"):
        ops.DropColumnOp("t", "x").reverse()

    uq = ops.AddConstraintOp.from_constraint(next(
        c for c in t.constraints if isinstance(c, sa.UniqueConstraint)))
    assert isinstance(uq, ops.CreateUniqueConstraintOp)
    assert uq.reverse().to_diff_tuple()[0] == "remove_constraint"

    ix = ops.CreateIndexOp("ix_n", "t", ["n"], unique=True)
    assert ix.reverse().reverse().to_index().unique is True

    alter = ops.AlterColumnOp("t", "n", existing_type=sa.String(5), modify_type=sa.String(9),
                              modify_nullable=False, existing_nullable=True)
    kinds = [d[0] for d in alter.to_diff_tuple()]
    assert kinds == ["modify_type", "modify_nullable"]
    rev = alter.reverse()
    assert rev.modify_type.length == 5 and rev.existing_type.length == 9
    assert rev.modify_nullable is True and rev.existing_nullable is False

    up = ops.UpgradeOps(ops=[ops.ModifyTableOps("t", [add, ix])])
    down = up.reverse()
    assert [type(o).__name__ for o in down.ops[0].ops] == ["DropIndexOp", "DropColumnOp"]
    assert [d[0] for d in up.as_diffs()] == ["add_column", "add_index"]

    script = ops.MigrationScript("abc", up, down, message="m")
    assert script.upgrade_ops is up and script.downgrade_ops_list == [down]
    script.upgrade_ops = [up, ops.UpgradeOps()]
    with pytest.raises(ValueError, match="upgrade_ops_list"):
        _ = script.upgrade_ops


def test_foreign_key_op_round_trip():
    md = sa.MetaData()
    sa.Table("p", md, sa.Column("id", sa.Integer, primary_key=True))
    c = sa.Table("c", md, sa.Column("pid", sa.Integer),
                 sa.ForeignKeyConstraint(["pid"], ["p.id"], name="fk_c", ondelete="CASCADE"))
    fk = next(iter(c.foreign_key_constraints))
    op = ops.AddConstraintOp.from_constraint(fk)
    assert isinstance(op, ops.CreateForeignKeyOp)
    assert (op.source_table, op.referent_table, op.local_cols, op.remote_cols) == (
        "c", "p", ["pid"], ["id"])
    assert op.kw["ondelete"] == "CASCADE"
    assert op.to_diff_tuple()[0] == "add_fk"
    assert op.reverse().to_diff_tuple()[0] == "remove_fk"


def test_percent_sign_in_default_and_comment(online):
    op, conn = online
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("p", sa.String(10), server_default="5%"))
    op.bulk_insert(sa.table("t", sa.column("id")), [{"id": 1}])
    assert conn.execute(sa.text("SELECT p FROM t")).scalar() == "5%"
    op.create_table_comment("t", "100% sure")
    if conn.dialect.name != "sqlite":
        assert sa.inspect(conn).get_table_comment("t")["text"] == "100% sure"


def test_create_table_op_from_table_round_trip_keeps_each_constraint_once():
    from sqlalchemy.schema import CreateTable

    md = sa.MetaData()
    sa.Table("p", md, sa.Column("id", sa.Integer, primary_key=True))
    t = sa.Table("c", md, sa.Column("id", sa.Integer),
                 sa.Column("pid", sa.Integer, sa.ForeignKey("p.id")),
                 sa.Column("u", sa.String(5), unique=True),
                 sa.CheckConstraint("id > 0", name="ck_c"),
                 sa.PrimaryKeyConstraint("id", name="pk_c"))
    for table in (ops.CreateTableOp.from_table(t).to_table(),
                  ops.DropTableOp.from_table(t).reverse().to_table()):
        assert table is not t and table.metadata is not md
        kinds = sorted(type(c).__name__ for c in table.constraints)
        assert kinds == ["CheckConstraint", "ForeignKeyConstraint", "PrimaryKeyConstraint",
                         "UniqueConstraint"]
        assert table.primary_key.name == "pk_c"
        ddl = str(CreateTable(table).compile(dialect=sqlite.dialect()))
        assert "REFERENCES p (id)" in ddl and "UNIQUE (u)" in ddl


def test_as_diffs_keeps_an_alter_column_ops_list_as_one_item():
    """As Alembic's ``as_diffs()`` (and so its ``compare_metadata()``): the diff of an
    AlterColumnOp is a list of tuples, yielded as one item, e.g.
    ``[[('modify_type', ...), ('modify_nullable', ...)], ('add_column', ...)]``."""
    alter = ops.AlterColumnOp("t", "n", existing_type=sa.String(5), modify_type=sa.String(9),
                              modify_nullable=False, existing_nullable=True)
    add = ops.AddColumnOp("t", sa.Column("x", sa.Integer))
    up = ops.UpgradeOps([ops.ModifyTableOps("t", [alter, add]),
                         ops.CreateIndexOp("ix_x", "t", ["x"])])
    diffs = up.as_diffs()
    assert len(diffs) == 3
    assert [d[0] for d in diffs[0]] == ["modify_type", "modify_nullable"]
    assert diffs[0][1][:4] == ("modify_nullable", None, "t", "n")
    assert [diffs[1][0], diffs[2][0]] == ["add_column", "add_index"]


def _user_table():
    md = sa.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
    sa.Table("p", md, sa.Column("id", sa.Integer, primary_key=True))
    t = sa.Table("c", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("pid", sa.ForeignKey("p.id")),
                 sa.Column("u", sa.String(5), unique=True),
                 sa.Column("n", sa.String(20), index=True), comment="c table",
                 info={"k": 1})
    sa.Index("ix_c_lower_n", sa.func.lower(t.c.n))
    return md, t


def _shape(md, t):
    return (sorted(md.tables), len(t.c), len(t.constraints), len(t.indexes),
            len(t.foreign_keys), t.name, t.comment, dict(t.info))


def test_ops_from_table_reuse_the_original_table_and_leave_it_untouched():
    md, t = _user_table()
    before = _shape(md, t)
    create = ops.CreateTableOp.from_table(t)
    assert create.to_diff_tuple() == ("add_table", t)
    drop = create.reverse()
    assert drop._reverse._orig_table is t and drop.to_diff_tuple() == ("remove_table", t)
    assert drop.reverse().to_diff_tuple()[1] is t
    assert ops.DropTableOp.from_table(t).reverse().reverse().to_diff_tuple()[1] is t
    # to_table() (what executing the op uses) still makes its own Table
    assert create.to_table() is not t and create.to_table().metadata is not md

    # a changed op describes another table: built afresh, the original left alone
    create.table_name = "renamed"
    create.columns.append(sa.Column("extra", sa.Integer))
    built = create.to_diff_tuple()[1]
    assert built is not t and built.name == "renamed" and "extra" in built.c
    assert create.reverse().table_name == "renamed"
    drop = ops.DropTableOp.from_table(t)
    drop.comment = "other"
    assert drop.to_diff_tuple()[1] is not t and drop.to_diff_tuple()[1].comment == "other"
    assert drop.reverse().comment == "other"

    index = next(ix for ix in t.indexes if ix.name != "ix_c_lower_n")  # from index=True
    cix = ops.CreateIndexOp.from_index(index)
    assert cix.to_diff_tuple() == ("add_index", index)
    assert cix.reverse().to_diff_tuple() == ("remove_index", index)
    assert cix.reverse().reverse().to_diff_tuple()[1] is index
    cix.unique = True
    assert cix.to_diff_tuple()[1] is not index and cix.to_diff_tuple()[1].unique
    assert _shape(md, t) == before and index.unique is False


def test_expression_index_ops_reverse_and_rebuild():
    from sqlalchemy.schema import CreateIndex, DropIndex

    md, t = _user_table()
    before = _shape(md, t)
    index = next(ix for ix in t.indexes if ix.name == "ix_c_lower_n")
    create = ops.CreateIndexOp.from_index(index)
    drop = create.reverse()
    assert isinstance(drop, ops.DropIndexOp) and drop.index_name == "ix_c_lower_n"
    assert isinstance(drop.reverse(), ops.CreateIndexOp)
    assert ops.DropIndexOp.from_index(index).reverse().to_diff_tuple()[1] is index
    pg = postgresql.dialect()
    # built afresh (to_index(), or a changed op): the expression is moved onto the new Table
    for built in (create.to_index(), drop.to_index(), ops.DropIndexOp.from_index(index)
                  .reverse().to_index()):
        assert built.table is not t
        assert str(CreateIndex(built).compile(dialect=pg)).strip() == \
            "CREATE INDEX ix_c_lower_n ON c (lower(n))"
    create.table_name = "other"
    assert str(CreateIndex(create.to_diff_tuple()[1]).compile(dialect=pg)).strip() == \
        "CREATE INDEX ix_c_lower_n ON other (lower(n))"
    assert str(DropIndex(drop.to_index()).compile(dialect=pg)).strip() == \
        "DROP INDEX ix_c_lower_n"
    assert _shape(md, t) == before


@pytest.fixture(params=["sqlite", "postgresql"])
def online_with_expression_indexes(request):
    """(MariaDB has no expression indexes.)"""
    engine = sa.create_engine(request.getfixturevalue(f"{request.param}_url"),
                              poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        yield Operations(make_context(conn.dialect, conn)), conn
    engine.dispose()


def test_expression_index_ops_applied_online(online_with_expression_indexes):
    op, conn = online_with_expression_indexes
    md, t = _user_table()
    md.create_all(conn, tables=[md.tables["p"]])
    ops.CreateTableOp.from_table(t).to_table().create(conn)
    index = next(ix for ix in t.indexes if ix.name == "ix_c_lower_n")
    create = ops.CreateIndexOp.from_index(index)
    op.invoke(create)
    if conn.dialect.name == "sqlite":  # (SQLAlchemy does not reflect them there)
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE tablename = 'c'"
    names = lambda: set(conn.exec_driver_sql(query).scalars())  # noqa: E731
    assert "ix_c_lower_n" in names()
    op.invoke(create.reverse())
    assert "ix_c_lower_n" not in names()


def test_index_op_reverse_without_an_original_matches_from_index():
    op = ops.CreateIndexOp("ix_t_x", "t", ["x", sa.text("lower(y)")], schema="s", unique=True,
                           postgresql_using="btree")
    fast = op.reverse()
    slow = ops.DropIndexOp.from_index(op.to_index())
    for attr in ("index_name", "table_name", "schema", "kw", "if_exists"):
        assert getattr(fast, attr) == getattr(slow, attr), attr
    assert fast._reverse.unique is True and fast._reverse.kw == slow._reverse.kw
    pg = postgresql.dialect()
    from sqlalchemy.schema import CreateIndex

    assert str(CreateIndex(fast.reverse().to_index()).compile(dialect=pg)) == \
        str(CreateIndex(slow.reverse().to_index()).compile(dialect=pg)) == \
        "CREATE UNIQUE INDEX ix_t_x ON s.t USING btree (x, lower(y))"
    # keyword arguments that are not dialect options: built as before
    info = ops.CreateIndexOp("ix_t_x", "t", ["x"], info={"a": 1})
    assert info.reverse().index_name == "ix_t_x"


def test_run_async_needs_async_connection(online):
    op, conn = online
    with pytest.raises(CommandError, match="async driver"):
        op.run_async(lambda c: None)
    off, _ = offline("sqlite")
    with pytest.raises(CommandError, match="offline"):
        off.run_async(lambda c: None)


def test_offline_add_column_constraints_and_comments_postgresql():
    op, buf = offline("postgresql")
    op.add_column("t", sa.Column("pid", sa.Integer, sa.ForeignKey("p.id", name="fk_t_p"),
                                 comment="parent"))
    op.add_column("t", sa.Column("qid", sa.Integer, sa.ForeignKey("q.id")),
                  inline_references=True)
    op.add_column("t", sa.Column("id", sa.Integer, primary_key=True), inline_primary_key=True,
                  if_not_exists=True)
    op.create_table_comment("t", "it's a table")
    op.drop_table_comment("t")
    op.drop_column("t", "pid", if_exists=True)
    assert statements(buf) == [
        "ALTER TABLE t ADD COLUMN pid INTEGER",
        "ALTER TABLE t ADD CONSTRAINT fk_t_p FOREIGN KEY(pid) REFERENCES p (id)",
        "COMMENT ON COLUMN t.pid IS 'parent'",
        "ALTER TABLE t ADD COLUMN qid INTEGER REFERENCES q (id)",
        "ALTER TABLE t ADD COLUMN IF NOT EXISTS id SERIAL NOT NULL PRIMARY KEY",
        "COMMENT ON TABLE t IS 'it''s a table'",
        "COMMENT ON TABLE t IS NULL",
        "ALTER TABLE t DROP COLUMN IF EXISTS pid",
    ]


def test_offline_sqlite_add_column_renders_references_inline():
    op, buf = offline("sqlite")
    op.add_column("t", sa.Column("pid", sa.Integer, sa.ForeignKey("p.id")))
    assert statements(buf) == ["ALTER TABLE t ADD COLUMN pid INTEGER REFERENCES p (id)"]


def test_op_proxy_signatures():
    import inspect

    params = inspect.signature(op_proxy.create_index).parameters
    assert list(params)[:3] == ["index_name", "table_name", "columns"]
    assert "unique" in params and "if_not_exists" in params
    with pytest.raises(AttributeError):
        _ = op_proxy.no_such_directive


def test_mysql_drop_index_needs_table_name():
    op, buf = offline("mysql")
    with pytest.raises(CommandError, match=r"drop_index 'ix_a'.*table_name"):
        op.drop_index("ix_a")
    op.drop_index("ix_a", "t")
    assert statements(buf) == ["DROP INDEX ix_a ON t"]


def test_postgresql_enum_type_created_with_table(postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        op = Operations(make_context(conn.dialect, conn))
        op.create_table("t", sa.Column("mood", sa.Enum("sad", "ok", name="mood")))
        assert [e["name"] for e in sa.inspect(conn).get_enums()] == ["mood"]
        op.execute("INSERT INTO t (mood) VALUES ('ok')")
        with pytest.raises(sa.exc.DataError):
            with conn.begin_nested():
                op.execute("INSERT INTO t (mood) VALUES ('angry')")
    engine.dispose()

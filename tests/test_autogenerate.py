"""Autogenerate: compare metadata with a live database, render, run, compare again.

The round-trip tests run on SQLite, PostgreSQL and MariaDB: change the metadata,
autogenerate, run the rendered upgrade with our Operations, autogenerate again
(nothing left), run the rendered downgrade, and check by reflection that the
schema is exactly what it was.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from alembic_django.engine.autogenerate import (
    compare_metadata,
    generate_script_ops,
    produce_migrations,
    render_python_code,
)

# -- helpers -------------------------------------------------------------------------

def make_ctx(conn: Any, md: Any = None, **opts: Any) -> SimpleNamespace:
    impl = None
    try:
        from alembic_django.engine.ddl.impl import DefaultImpl

        impl = DefaultImpl.get_by_dialect(conn.dialect)(conn.dialect, conn, False, None, None, {})
    except ImportError:  # pragma: no cover - the DDL layer is a sibling module
        pass
    if md is not None:
        opts.setdefault("target_metadata", md)
    return SimpleNamespace(impl=impl, dialect=conn.dialect, as_sql=False, bind=conn, opts=opts)


def run_rendered(conn: Any, text: str, imports: set) -> None:
    """Execute a rendered ``upgrade()`` / ``downgrade()`` body with our Operations."""
    base = pytest.importorskip("alembic_django.engine.operations.base")
    ctx = make_ctx(conn)
    op = base.Operations(ctx)
    ns: dict[str, Any] = {"op": op, "sa": sa}
    for line in sorted(imports):
        exec(line, ns)
    exec("def _migration():\n    " + text + "\n", ns)
    ns["_migration"]()


def diff_kinds(diffs: list[Any]) -> list[str]:
    """The kinds, with a column's list of ``modify_*`` tuples opened up."""
    out: list[str] = []
    for d in diffs:
        out.extend(x[0] for x in d) if isinstance(d, list) else out.append(d[0])
    return out


def snapshot(conn: Any) -> dict[str, Any]:
    """The schema as plain data, compared before an upgrade and after the downgrade."""
    insp = sa.inspect(conn)
    out: dict[str, Any] = {}
    dialect = conn.dialect
    for name in sorted(insp.get_table_names()):
        cols = []
        for c in insp.get_columns(name):
            cols.append((c["name"], c["type"].compile(dialect=dialect), c["nullable"],
                         c.get("default"), c.get("comment"), c.get("autoincrement")))
        pk = insp.get_pk_constraint(name)
        fks = sorted((fk.get("name") or "", tuple(fk["constrained_columns"]), fk["referred_table"],
                      tuple(fk["referred_columns"]),
                      tuple(sorted((fk.get("options") or {}).items())))
                     for fk in insp.get_foreign_keys(name))
        fk_cols = {tuple(fk["constrained_columns"]) for fk in insp.get_foreign_keys(name)}
        ixs = sorted((_index_name(dialect, ix, fk_cols), tuple(ix["column_names"]),
                      bool(ix["unique"])) for ix in insp.get_indexes(name))
        uqs = sorted(((u.get("name") or ""), tuple(u["column_names"]))
                     for u in insp.get_unique_constraints(name))
        comment = None
        if dialect.supports_comments:
            comment = insp.get_table_comment(name).get("text")
        out[name] = {"columns": cols, "pk": tuple(pk["constrained_columns"]), "fks": fks,
                     "indexes": ixs, "uniques": uqs, "comment": comment}
    return out


def _index_name(dialect: Any, ix: dict, fk_cols: set) -> str:
    """MySQL names the index it makes for a foreign key after the key or its column,
    depending on how the key was declared: not part of the schema we compare."""
    if dialect.name in ("mysql", "mariadb") and not ix["unique"] and \
            tuple(ix["column_names"]) in fk_cols:
        return "<implicit fk index>"
    return ix["name"]


def autogen(conn: Any, md: Any, **opts: Any):
    if conn.dialect.name == "sqlite":
        opts.setdefault("render_as_batch", True)
    ctx = make_ctx(conn, md, **opts)
    up, down, imports, script = generate_script_ops(ctx)
    return compare_metadata(ctx, md), up, down, imports, script


def roundtrip(url: str, before: Callable[[], sa.MetaData], after: Callable[[], sa.MetaData],
              expected: list[str], **opts: Any) -> str:
    """The whole cycle; returns the rendered upgrade text for extra assertions."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            before().create_all(conn)
        with engine.connect() as conn:
            original = snapshot(conn)
        target = after()
        with engine.connect() as conn:
            diffs, up, down, imports, _ = autogen(conn, target, **opts)
        assert diff_kinds(diffs) == expected, up
        with engine.begin() as conn:
            run_rendered(conn, up, imports)
        with engine.connect() as conn:
            again = compare_metadata(make_ctx(conn, target, **opts), target)
        assert again == [], again
        with engine.begin() as conn:
            run_rendered(conn, down, imports)
        with engine.connect() as conn:
            assert snapshot(conn) == original
        return up
    finally:
        engine.dispose()


def md_parent(md: sa.MetaData | None = None, **cols: Any) -> sa.MetaData:
    md = md if md is not None else sa.MetaData()
    sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(50), nullable=True), *cols.values())
    return md


# -- round trips per detected kind, on every database ---------------------------------

def test_add_table(db_url):
    def after():
        md = md_parent()
        sa.Table("child", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("pid", sa.ForeignKey("parent.id", ondelete="CASCADE"), nullable=False),
                 sa.Column("code", sa.String(20), unique=True),
                 sa.Column("label", sa.String(30), index=True))
        return md

    up = roundtrip(db_url, md_parent, after, ["add_table", "add_index"])
    assert "op.create_table('child'," in up
    assert "sa.ForeignKeyConstraint(['pid'], ['parent.id'], ondelete='CASCADE')" in up
    if db_url.startswith("sqlite"):  # render_as_batch
        assert "batch_op.create_index(batch_op.f('ix_child_label'), ['label'], unique=False)" in up
    else:
        assert "op.create_index(op.f('ix_child_label'), 'child', ['label'], unique=False)" in up


def test_remove_table(db_url):
    def before():
        md = md_parent()
        sa.Table("gone", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("pid", sa.ForeignKey("parent.id")),
                 sa.Column("x", sa.String(20), index=True),
                 sa.UniqueConstraint("x", name="uq_gone_x"))
        return md

    up = roundtrip(db_url, before, md_parent, ["remove_index", "remove_table"]
                   if not db_url.startswith("mysql") else
                   ["remove_index", "remove_index", "remove_table"])
    assert "op.drop_table('gone')" in up


def test_add_and_remove_column(db_url):
    def before():
        return md_parent(old=sa.Column("old", sa.Integer))

    def after():
        return md_parent(new=sa.Column("new", sa.String(40), nullable=True))

    up = roundtrip(db_url, before, after, ["add_column", "remove_column"])
    assert "add_column(" in up and "sa.Column('new', sa.String(length=40), nullable=True)" in up


def test_nullable(db_url):
    def after():
        md = sa.MetaData()
        sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("name", sa.String(50), nullable=False))
        return md

    up = roundtrip(db_url, md_parent, after, ["modify_nullable"])
    assert "nullable=False" in up


def test_type_change(db_url):
    def after():
        md = sa.MetaData()
        sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("name", sa.String(120), nullable=True))
        return md

    up = roundtrip(db_url, md_parent, after, ["modify_type"])
    assert "type_=sa.String(length=120)" in up


def test_compare_type_off_and_callable(sqlite_url):
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        md_parent().create_all(conn)
    md = sa.MetaData()
    sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(120)))
    with engine.connect() as conn:
        assert compare_metadata(make_ctx(conn, md, compare_type=False), md) == []
        seen = []

        def cmp(context, insp_col, meta_col, insp_type, meta_type):
            seen.append(insp_col.name)
            return False if insp_col.name == "name" else None

        assert compare_metadata(make_ctx(conn, md, compare_type=cmp), md) == []
        assert set(seen) == {"id", "name"}
        assert diff_kinds(compare_metadata(make_ctx(conn, md), md)) == ["modify_type"]


def test_server_default(db_url):
    def before():
        return md_parent(flag=sa.Column("flag", sa.Integer, server_default="0"),
                         gone=sa.Column("gone", sa.String(10), server_default="x"))

    def after():
        return md_parent(flag=sa.Column("flag", sa.Integer, server_default="5"),
                         gone=sa.Column("gone", sa.String(10)),
                         name2=sa.Column("kind", sa.String(10), server_default="new"))

    up = roundtrip(db_url, before, after, ["add_column", "modify_default", "modify_default"],
                   compare_server_default=True)
    assert "server_default='5'" in up


def test_server_default_off_by_default(sqlite_url):
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        md_parent(flag=sa.Column("flag", sa.Integer, server_default="0")).create_all(conn)
    md = md_parent(flag=sa.Column("flag", sa.Integer, server_default="7"))
    with engine.connect() as conn:
        assert compare_metadata(make_ctx(conn, md), md) == []
        calls = []

        def cmp(ctx, insp_col, meta_col, rendered_meta, meta_default, rendered_insp):
            calls.append((insp_col.name, rendered_meta, rendered_insp))
            return None

        diffs = compare_metadata(make_ctx(conn, md, compare_server_default=cmp), md)
        assert diff_kinds(diffs) == ["modify_default"]
        assert calls == [("flag", "7", "'0'")]


def test_indexes(db_url):
    def before():
        md = md_parent(a=sa.Column("a", sa.Integer), b=sa.Column("b", sa.Integer))
        sa.Index("ix_old", md.tables["parent"].c.a)
        sa.Index("ix_change", md.tables["parent"].c.a)
        return md

    def after():
        md = md_parent(a=sa.Column("a", sa.Integer), b=sa.Column("b", sa.Integer))
        sa.Index("ix_change", md.tables["parent"].c.a, md.tables["parent"].c.b, unique=True)
        sa.Index("ix_new", md.tables["parent"].c.b)
        return md

    roundtrip(db_url, before, after,
              ["remove_index", "remove_index", "add_index", "add_index"])


def test_unique_constraints(db_url):
    def before():
        md = md_parent(a=sa.Column("a", sa.Integer), b=sa.Column("b", sa.Integer))
        md.tables["parent"].append_constraint(sa.UniqueConstraint("a", name="uq_old"))
        return md

    def after():
        md = md_parent(a=sa.Column("a", sa.Integer), b=sa.Column("b", sa.Integer))
        md.tables["parent"].append_constraint(sa.UniqueConstraint("b", name="uq_new"))
        return md

    up = roundtrip(db_url, before, after, ["remove_index" if db_url.startswith("mysql")
                                           else "remove_constraint", "add_constraint"])
    assert "create_unique_constraint('uq_new'" in up


def test_unnamed_unique_and_column_index_give_no_diff(db_url):
    def md_():
        md = sa.MetaData()
        sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("a", sa.String(20), unique=True),
                 sa.Column("b", sa.Integer, index=True),
                 sa.Column("c", sa.Integer), sa.Column("d", sa.Integer),
                 sa.UniqueConstraint("c", "d"),
                 sa.Index("ix_t_cd_unique", "c", "d", unique=True))
        return md

    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        md_().create_all(conn)
    with engine.connect() as conn:
        md = md_()
        assert compare_metadata(make_ctx(conn, md), md) == []
    engine.dispose()


def test_foreign_keys(db_url):
    def base(md):
        md_parent(md)
        sa.Table("other", md, sa.Column("id", sa.Integer, primary_key=True))
        return md

    def before():
        md = base(sa.MetaData())
        sa.Table("child", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_pid")),
                 sa.Column("oid", sa.Integer))
        return md

    def after():
        md = base(sa.MetaData())
        sa.Table("child", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("pid", sa.Integer),
                 sa.Column("oid", sa.Integer, sa.ForeignKey("other.id", name="fk_child_oid",
                                                            ondelete="CASCADE")))
        return md

    # MariaDB keeps the index it made for a dropped key: autogenerate drops it with the
    # key, and indexes a new key explicitly so that the downgrade drops that index too
    expected = (["remove_fk", "remove_index", "add_index", "add_fk"]
                if db_url.startswith("mysql")
                else ["remove_fk", "add_fk"])
    up = roundtrip(db_url, before, after, expected)
    assert "create_foreign_key('fk_child_oid'" in up
    assert "ondelete='CASCADE'" in up


def test_comments(postgresql_or_mysql_url):
    def before():
        md = sa.MetaData()
        sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("name", sa.String(50), comment="old"), comment="table old")
        sa.Table("other", md, sa.Column("id", sa.Integer, primary_key=True), comment="drop me")
        return md

    def after():
        md = sa.MetaData()
        sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True, comment="the key"),
                 sa.Column("name", sa.String(50), comment="new"), comment="table new")
        sa.Table("other", md, sa.Column("id", sa.Integer, primary_key=True))
        return md

    up = roundtrip(postgresql_or_mysql_url, before, after,
                   ["remove_table_comment", "modify_comment", "modify_comment",
                    "add_table_comment"])
    assert "existing_comment='table old'" in up


@pytest.fixture(params=["postgresql", "mysql"])
def postgresql_or_mysql_url(request):
    return request.getfixturevalue(f"{request.param}_url")


def test_no_spurious_diffs_on_a_rich_schema(db_url):
    """A model full of types, defaults, keys and indexes, created then compared."""

    def md_():
        md = sa.MetaData(naming_convention={
            "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s"})
        sa.Table("account", md,
                 sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                           primary_key=True),
                 sa.Column("email", sa.String(255), nullable=False, unique=True),
                 sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
                 sa.Column("score", sa.Numeric(10, 2), server_default="0"),
                 sa.Column("ratio", sa.Float),
                 sa.Column("small", sa.SmallInteger, server_default="3"),
                 sa.Column("bio", sa.Text),
                 sa.Column("born", sa.Date),
                 sa.Column("created", sa.DateTime, server_default=sa.func.current_timestamp()),
                 sa.Column("status", sa.Enum("a", "b", name="status_enum")),
                 sa.Column("payload", sa.JSON),
                 sa.Column("blob", sa.LargeBinary),
                 sa.Column("token", sa.Uuid),
                 sa.Column("label", sa.String(40), server_default="it's"),
                 sa.Index(None, "born"))
        sa.Table("membership", md,
                 sa.Column("account_id", sa.ForeignKey("account.id", ondelete="CASCADE"),
                           primary_key=True),
                 sa.Column("group_id", sa.Integer, primary_key=True),
                 sa.Column("note", sa.String(20), index=True))
        return md

    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        md_().create_all(conn)
    with engine.connect() as conn:
        md = md_()
        assert compare_metadata(make_ctx(conn, md, compare_server_default=True), md) == []
    engine.dispose()


def test_identity_and_autoincrement(postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        md = sa.MetaData()
        sa.Table("t", md, sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
                 sa.Column("n", sa.Integer, nullable=False))
        md.create_all(conn)
    with engine.connect() as conn:
        same = sa.MetaData()
        sa.Table("t", same, sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
                 sa.Column("n", sa.Integer, nullable=False))
        assert compare_metadata(make_ctx(conn, same), same) == []
        changed = sa.MetaData()
        sa.Table("t", changed,
                 sa.Column("id", sa.Integer, sa.Identity(start=10, increment=5),
                           primary_key=True),
                 sa.Column("n", sa.Integer, sa.Identity(), nullable=False))
        ctx = make_ctx(conn, changed)
        diffs = compare_metadata(ctx, changed)
        assert diff_kinds(diffs) == ["modify_default", "modify_default"]
        text = render_python_code(produce_migrations(ctx, changed).upgrade_ops)
        assert "server_default=sa.Identity(always=False, start=10, increment=5)" in text \
            or "server_default=sa.Identity(start=10, increment=5)" in text
        assert "autoincrement=True" in text
    engine.dispose()


def test_serial_is_not_a_server_default(postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        md_parent().create_all(conn)
    with engine.connect() as conn:
        md = sa.MetaData()
        with conn.begin():
            pass
        ms = produce_migrations(make_ctx(conn, md), md)
        text = render_python_code(ms.downgrade_ops)
    engine.dispose()
    assert "nextval" not in text
    assert "sa.Column('id', sa.INTEGER(), autoincrement=True, nullable=False)" in text
    assert "sa.PrimaryKeyConstraint('id', name='parent_pkey')" in text


def test_include_schemas(postgresql_url):
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA extra")
        md_parent().create_all(conn)
        other = sa.MetaData(schema="extra")
        sa.Table("old", other, sa.Column("id", sa.Integer, primary_key=True))
        other.create_all(conn)

    def target():
        md = md_parent()
        sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("pid", sa.ForeignKey("parent.id")), schema="extra")
        return md

    with engine.connect() as conn:
        md = target()
        assert diff_kinds(compare_metadata(make_ctx(conn, md), md)) == ["add_table"]
        diffs, up, down, imports, _ = autogen(conn, md, include_schemas=True)
        assert diff_kinds(diffs) == ["add_table", "remove_table"]
        assert "schema='extra'" in up
    with engine.begin() as conn:
        run_rendered(conn, up, imports)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE extra.alembic_version (version_num VARCHAR(32))")
    with engine.connect() as conn:
        assert compare_metadata(make_ctx(conn, md, include_schemas=True,
                                         version_table_schema="extra"), md) == []
        assert diff_kinds(compare_metadata(make_ctx(conn, md, include_schemas=True), md)) == [
            "remove_table"]
        only_public = make_ctx(conn, md, include_schemas=True,
                               include_name=lambda n, t, p: t != "schema" or n is None)
        assert diff_kinds(compare_metadata(only_public, md)) == ["add_table"]
    engine.dispose()


# -- hooks and rendering (SQLite) -------------------------------------------------------

@pytest.fixture
def sqlite_conn(sqlite_url):
    yield from open_sqlite_conn(sqlite_url)


def open_sqlite_conn(sqlite_url: str):
    """A connection to a SQLite database holding ``parent``, ``keep`` (with an index)
    and ``alembic_version``."""
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        md = md_parent()
        sa.Table("keep", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("x", sa.Integer), sa.Index("ix_keep_x", "x"))
        sa.Table("alembic_version", md, sa.Column("version_num", sa.String(32),
                                                  primary_key=True))
        md.create_all(conn)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def test_version_table_is_skipped(sqlite_conn):
    md = md_parent()
    sa.Table("keep", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("x", sa.Integer), sa.Index("ix_keep_x", "x"))
    assert compare_metadata(make_ctx(sqlite_conn, md), md) == []
    custom = make_ctx(sqlite_conn, md, version_table="other_version")
    assert diff_kinds(compare_metadata(custom, md)) == ["remove_table"]


def test_include_name_and_include_object(sqlite_conn):
    md = sa.MetaData()
    sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("extra", sa.Integer))
    sa.Table("brand_new", md, sa.Column("id", sa.Integer, primary_key=True))
    names = []

    def include_name(name, type_, parents):
        names.append((type_, name, parents.get("schema_qualified_table_name")))
        return not (type_ == "table" and name == "keep")

    def include_object(obj, name, type_, reflected, compare_to):
        return not (type_ == "column" and name == "name" and reflected)

    ctx = make_ctx(sqlite_conn, md, include_name=include_name, include_object=include_object)
    diffs = compare_metadata(ctx, md)
    assert diff_kinds(diffs) == ["add_table", "add_column"]
    assert ("table", "keep", "keep") in names
    assert ("column", "name", "parent") in names


def test_multiple_metadata_and_duplicates(sqlite_conn):
    a = md_parent()
    b = sa.MetaData()
    sa.Table("keep", b, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("x", sa.Integer), sa.Index("ix_keep_x", "x"))
    assert compare_metadata(make_ctx(sqlite_conn, [a, b]), [a, b]) == []
    from alembic_django.engine.errors import CommandError

    with pytest.raises(CommandError, match="Duplicate table keys"):
        compare_metadata(make_ctx(sqlite_conn, [a, md_parent()]), [a, md_parent()])


def test_check_and_diff_tuples(sqlite_conn):
    from alembic_django.engine.autogenerate import check

    md = md_parent()
    sa.Table("keep", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("x", sa.Integer), sa.Index("ix_keep_x", "x"))
    assert check(make_ctx(sqlite_conn, md)) == []
    md.tables["parent"].c.name.nullable = False
    diffs = check(make_ctx(sqlite_conn, md))
    assert len(diffs) == 1 and isinstance(diffs[0], list)  # one column: a list (as Alembic)
    kind, schema, tname, cname, existing, old, new = diffs[0][0]
    assert (kind, schema, tname, cname, old, new) == (
        "modify_nullable", None, "parent", "name", True, False)
    assert set(existing) == {"existing_type", "existing_server_default", "existing_comment"}


def test_bulk_reflection_query_count(postgresql_url):
    """Reflecting many tables costs a fixed handful of queries, not some per table."""
    engine = sa.create_engine(postgresql_url, poolclass=sa.pool.NullPool)

    def model(n):
        md = sa.MetaData()
        for i in range(n):
            sa.Table(f"t{i}", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("name", sa.String(20), index=True),
                     sa.Column("pid", sa.ForeignKey("t0.id") if i else sa.Integer))
        return md

    counts = {}
    for n in (5, 40):
        with engine.begin() as conn:
            model(n).create_all(conn)
        with engine.connect() as conn:
            statements = []
            sa.event.listen(conn, "before_cursor_execute",
                            lambda *a, out=statements: out.append(a[2]))
            md = model(n)
            assert compare_metadata(make_ctx(conn, md), md) == []
            counts[n] = len(statements)
        with engine.begin() as conn:
            model(n).drop_all(conn)
    engine.dispose()
    assert counts[40] <= counts[5]  # (the first run also warms a per-dialect cache)
    assert counts[40] < 20


def test_model_metadata_is_left_untouched(sqlite_conn):
    md = sa.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
    md_parent(md)
    t = sa.Table("item", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("x", sa.String(10), unique=True),
                 sa.Column("y", sa.Integer, index=True),
                 sa.Column("pid", sa.ForeignKey("parent.id")),
                 sa.UniqueConstraint("y", name="uq_y"))

    def shape():
        return (len(t.constraints), len(t.indexes), len(t.c), sorted(md.tables),
                len(t.foreign_keys))

    before = shape()
    for _ in range(2):
        ctx = make_ctx(sqlite_conn, md)
        compare_metadata(ctx, md)
        generate_script_ops(ctx)
    assert shape() == before


@pytest.fixture(params=["sqlite", "postgresql"])
def sqlite_or_postgresql_url(request):
    return request.getfixturevalue(f"{request.param}_url")


def test_expression_and_descending_indexes(sqlite_or_postgresql_url):
    def md_(extra: bool):
        md = sa.MetaData()
        t = sa.Table("person", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("first_name", sa.String(40)), sa.Column("age", sa.Integer))
        sa.Index("ix_person_lower", sa.func.lower(t.c.first_name))
        sa.Index("ix_person_age_desc", t.c.age.desc(), t.c.first_name)
        if extra:
            sa.Index("ix_person_upper", sa.func.upper(t.c.first_name))
        return md

    engine = sa.create_engine(sqlite_or_postgresql_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        md_(False).create_all(conn)
    with engine.connect() as conn:
        md = md_(False)
        assert compare_metadata(make_ctx(conn, md), md) == []
        md = md_(True)
        diffs, up, down, imports, _ = autogen(conn, md)
        assert diff_kinds(diffs) == ["add_index"]
        assert "['upper(first_name)']" not in up and "sa.text('upper(first_name)')" in up
    with engine.begin() as conn:
        run_rendered(conn, up, imports)
    with engine.connect() as conn:
        assert compare_metadata(make_ctx(conn, md), md) == []
    engine.dispose()


def test_postgresql_types_survive_a_drop_and_recreate(postgresql_url):
    from sqlalchemy.dialects import postgresql as pg

    def before():
        md = md_parent()
        sa.Table("gone", md, sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
                 sa.Column("arr", pg.ARRAY(sa.Integer)), sa.Column("j", pg.JSONB),
                 sa.Column("ts", sa.DateTime(timezone=True), server_default=sa.func.now()),
                 sa.Column("n", sa.Numeric(10, 2), server_default="0"),
                 sa.Column("u", sa.Uuid, unique=True),
                 sa.Column("pid", sa.ForeignKey("parent.id", ondelete="SET NULL")),
                 sa.CheckConstraint("n > -1", name="ck_gone_n"))
        return md

    up = roundtrip(postgresql_url, before, md_parent, ["remove_table"])
    assert up.count("op.drop_table('gone')") == 1


def test_script_fields_and_multidb_tokens(sqlite_conn):
    from alembic_django.engine.autogenerate.api import (
        produce_revision_directives,
        render_migration_script,
    )
    from alembic_django.engine.autogenerate.context import AutogenContext

    md = md_parent(extra=sa.Column("extra", sa.Integer))
    only_parent = lambda n, t, p: t != "table" or n == "parent"  # noqa: E731

    def hook(context, revision, directives):
        directives[0].message = directives[0].message.upper()

    ctx = make_ctx(sqlite_conn, md, include_name=only_parent, process_revision_directives=hook,
                   upgrade_token="engine1_upgrades", downgrade_token="engine1_downgrades")
    directives = produce_revision_directives(ctx, rev_id="abc123", message="add extra")
    script = directives[0]
    assert (script.rev_id, script.message) == ("abc123", "ADD EXTRA")
    other = make_ctx(sqlite_conn, md_parent(), include_name=only_parent,
                     upgrade_token="engine2_upgrades", downgrade_token="engine2_downgrades")
    produce_revision_directives(other, directives=directives)
    args = render_migration_script(AutogenContext(ctx, autogenerate=False), script)
    assert set(args) == {"engine1_upgrades", "engine1_downgrades", "engine2_upgrades",
                         "engine2_downgrades", "imports"}
    assert "op.add_column('parent'" in args["engine1_upgrades"]
    assert "pass" in args["engine2_upgrades"]


def test_include_object_sees_reflected_objects(sqlite_conn):
    md = sa.MetaData()
    sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True))
    calls = []

    def include_object(obj, name, type_, reflected, compare_to):
        calls.append((type_, name, reflected, compare_to is not None))
        return not (type_ == "table" and name == "keep")

    diffs = compare_metadata(make_ctx(sqlite_conn, md, include_object=include_object), md)
    assert diff_kinds(diffs) == ["remove_column"]
    assert ("table", "keep", True, False) in calls
    assert ("table", "parent", False, True) in calls
    assert ("column", "name", True, False) in calls
    assert ("column", "id", False, True) in calls
    assert isinstance(diffs[0][3], sa.Column) and diffs[0][3].name == "name"


def test_type_change_keeps_autoincrement(db_url):
    def before():
        md = sa.MetaData()
        sa.Table("counter", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("n", sa.Integer))
        return md

    def after():
        md = sa.MetaData()
        sa.Table("counter", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("n", sa.Integer, nullable=False))
        return md

    up = roundtrip(db_url, before, after, ["modify_nullable"])
    assert "autoincrement" not in up  # only the column that is the table's autoincrement
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        before().create_all(conn)
    md = sa.MetaData()
    sa.Table("counter", md, sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                                      primary_key=True),
             sa.Column("n", sa.Integer))
    with engine.connect() as conn:
        diffs, up, down, imports, _ = autogen(conn, md)
    if db_url.startswith("sqlite"):
        assert diffs == []  # the variant keeps INTEGER PRIMARY KEY (rowid) on SQLite
        return
    assert diff_kinds(diffs) == ["modify_type"]
    assert "autoincrement=True" in up
    with engine.begin() as conn:
        run_rendered(conn, up, imports)
    with engine.connect() as conn:
        assert compare_metadata(make_ctx(conn, md), md) == []
        col = [c for c in sa.inspect(conn).get_columns("counter") if c["name"] == "id"][0]
        assert col["autoincrement"] is True
    engine.dispose()


def test_foreign_key_retargeted_on_the_same_column(db_url):
    def md_(target: str):
        md = md_parent()
        sa.Table("other", md, sa.Column("id", sa.Integer, primary_key=True))
        sa.Table("child", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("ref", sa.Integer, sa.ForeignKey(f"{target}.id",
                                                            name=f"fk_child_{target}")))
        return md

    roundtrip(db_url, lambda: md_("parent"), lambda: md_("other"), ["remove_fk", "add_fk"])

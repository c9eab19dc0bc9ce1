"""``sqlmigrate REV`` prints exactly REV's part of ``upgrade A:B --sql`` (and, with
``--backwards``, of ``downgrade B:A --sql``), on each dialect, for every identifier form."""

from __future__ import annotations

import io
import re
import textwrap

import pytest

from alembic_django.cli import main

# a chain: base -> r1 -> ... -> r5 (r3 carries the branch label "accounts")
REVISIONS = [
    ("a1b2c3d4e501", None, None, """
        op.create_table("account", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(50), nullable=False))
    """, """
        op.drop_table("account")
    """),
    ("a1b2c3d4e502", "a1b2c3d4e501", None, """
        op.add_column("account", sa.Column("email", sa.String(120), nullable=True))
    """, """
        op.drop_column("account", "email")
    """),
    ("b7e8f9a0b103", "a1b2c3d4e502", "accounts", """
        op.create_index("ix_account_email", "account", ["email"])
        op.execute("UPDATE account SET email = 'unknown@example.com' WHERE email IS NULL")
    """, """
        op.drop_index("ix_account_email", table_name="account")
    """),
    ("c0ffee000004", "b7e8f9a0b103", None, """
        op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id")))
        op.bulk_insert(sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String)),
                       [{"id": 1, "name": "first"}])
    """, """
        op.execute("DELETE FROM account WHERE id = 1")
        op.drop_table("invoice")
    """),
    ("c0ffee000005", "c0ffee000004", None, """
        op.add_column("invoice", sa.Column("total", sa.Numeric(10, 2), server_default="0"))
    """, """
        op.drop_column("invoice", "total")
    """),
]
IDS = [r[0] for r in REVISIONS]


def run(*argv: str) -> str:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    assert code == 0, out.getvalue()
    return out.getvalue()


def write_revision(versions, rev, down, label, up, downgrade, doc=None) -> None:
    (versions / f"{rev}_r.py").write_text(
        f'"""{doc or "revision " + rev}"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = {rev!r}\ndown_revision = {down!r}\n"
        f"branch_labels = {(label,) if label else None!r}\ndepends_on = None\n\n\n"
        "def upgrade():\n" + textwrap.indent(textwrap.dedent(up).strip(), "    ") + "\n\n\n"
        "def downgrade():\n" + textwrap.indent(textwrap.dedent(downgrade).strip(), "    ")
        + "\n")


@pytest.fixture
def project(tmp_path, monkeypatch, db_url):
    monkeypatch.chdir(tmp_path)
    run("init", "alembic")
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname",
                                           db_url.replace("%", "%%")))
    for item in REVISIONS:
        write_revision(tmp_path / "alembic" / "versions", *item)
    return tmp_path


def slices(sql: str, direction: str) -> dict[str, str]:
    """Cut a whole-run script into the parts that follow each ``-- Running`` line
    (the trailing run-level COMMIT belongs to no revision)."""
    starts = [m.start() for m in re.finditer(r"^-- Running ", sql, re.M)]
    out = {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(sql)
        part = sql[start:end]
        if n + 1 == len(starts):
            part = re.sub(r"COMMIT;\n\n\Z", "", part)
        header = part.split("\n", 1)[0]
        arrow = header.split(" -> ")
        rev = arrow[1] if direction == "upgrade" else arrow[0].split()[-1]
        out[rev.strip()] = part
    return out


def test_each_revision_is_its_slice_of_the_whole_run(project):
    whole = run("upgrade", "base:heads", "--sql")
    up = slices(whole, "upgrade")
    assert list(up) == IDS
    for rev in IDS:
        assert run("sqlmigrate", rev) == up[rev], rev
    back = slices(run("downgrade", f"{IDS[-1]}:base", "--sql"), "downgrade")
    assert list(back) == IDS[::-1]
    for rev in IDS:
        assert run("sqlmigrate", rev, "--backwards") == back[rev], rev


def test_equals_upgrade_a_b_sql(project):
    """``upgrade A:B --sql`` for one step is the revision's part plus the run's frame."""
    for down, rev in zip([None, *IDS], IDS, strict=False):
        one = run("upgrade", f"{down or 'base'}:{rev}", "--sql")
        assert run("sqlmigrate", rev) in one
        assert run("sqlmigrate", rev).startswith(f"-- Running upgrade {down or ''} -> {rev}")


def test_statements_are_the_dialects(project):
    sql = run("sqlmigrate", IDS[1])
    assert "ALTER TABLE account ADD" in sql
    assert f"UPDATE alembic_version SET version_num='{IDS[1]}'" in sql
    assert "CREATE TABLE alembic_version" not in sql
    first = run("sqlmigrate", IDS[0])
    assert f"INSERT INTO alembic_version (version_num) VALUES ('{IDS[0]}')" in first
    assert "NUMERIC(10, 2)" in run("sqlmigrate", IDS[4])
    data = run("sqlmigrate", IDS[3])
    assert "INSERT INTO account (id, name) VALUES (1, 'first')" in data


@pytest.mark.parametrize("ident, expected", [
    (IDS[2], IDS[2]),
    ("b7e8", IDS[2]),
    ("accounts", IDS[2]),
    ("accounts@head", IDS[4]),
    ("head", IDS[4]),
    ("heads", IDS[4]),
    ("head-1", IDS[3]),
    (f"{IDS[0]}+2", IDS[2]),
], ids=["full id", "prefix", "label", "label@head", "head", "heads", "head-1", "relative"])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_identifier_forms(project, ident, expected):
    assert run("sqlmigrate", ident).startswith("-- Running upgrade ")
    assert run("sqlmigrate", ident) == run("sqlmigrate", expected)


@pytest.mark.parametrize("ident, message", [
    ("base", "sqlmigrate needs one revision; 'base' names no revision"),
    ("zzzz", "Can't locate revision identified by 'zzzz'"),
], ids=["base", "unknown"])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_bad_identifiers(project, ident, message):
    out = io.StringIO()
    assert main(["sqlmigrate", ident], stdout=out) == 255
    assert out.getvalue().startswith(f"FAILED: {message}")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_never_connects_and_python_api_returns_the_text(project, monkeypatch):
    import sqlalchemy

    from alembic_django import command
    from alembic_django.config import Config

    def refuse(*args, **kwargs):
        raise AssertionError("sqlmigrate connected")

    monkeypatch.setattr(sqlalchemy, "create_engine", refuse)
    buf = io.StringIO()
    cfg = Config("alembic.ini", output_buffer=buf)
    text = command.sqlmigrate(cfg, IDS[1])
    assert text == buf.getvalue() and text.startswith(f"-- Running upgrade {IDS[0]}")
    assert not (project / "test.db").exists()  # the SQLite file of db_url


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_merge_revision(project):
    versions = project / "alembic" / "versions"
    write_revision(versions, "d00000000006", IDS[2], None,
                   'op.create_table("side", sa.Column("id", sa.Integer, primary_key=True))',
                   'op.drop_table("side")')
    write_revision(versions, "e00000000007", (IDS[4], "d00000000006"), None, "pass", "pass")
    sql = run("sqlmigrate", "e00000000007")
    assert sql.startswith(f"-- Running upgrade {IDS[4]}, d00000000006 -> e00000000007")
    whole = slices(run("upgrade", "base:heads", "--sql"), "upgrade")
    assert sql == whole["e00000000007"]

"""``squash START END``: one revision replacing a range, the way Django's squashmigrations
does it.  A new database, databases before, inside, at the end of and past the range
all reach the same schema, data and version rows; downgrades cross the squashed
revision; the replaced files can be deleted once no database is inside the range."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from alembic_django.cli import main
from alembic_django.engine.script import parse

N = 50
IDS = [f"{n:04d}aa{n:06d}" for n in range(1, N + 1)]
START, END = IDS[4], IDS[44]  # squash revisions 5 .. 45 (41 of them)
RANGE = IDS[4:45]


def rev_source(n: int) -> str:
    """Revision n (1-based): tables, columns, indexes, foreign keys and data migrations,
    with the shapes squash must copy faithfully (helpers, multi-line SQL, globals())."""
    rev, down = IDS[n - 1], (IDS[n - 2] if n > 1 else None)
    head = (f'"""step {n}\n\nRevision ID: {rev}\n"""\n'
            + ("from __future__ import annotations\n\n" if n % 7 == 0 else "")
            + "import sqlalchemy as sa\nfrom alembic import op\n\n"
            f"# revision identifiers, used by Alembic.\nrevision = {rev!r}\n"
            f"down_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n")
    table = f"t{n:02d}"
    kind = n % 5
    if kind == 1 or n == 1:
        up = (f'    op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True),\n'
              f'                    sa.Column("name", sa.String(40), nullable=False))\n'
              f'    op.bulk_insert(sa.table("{table}", sa.column("id", sa.Integer),\n'
              f'                            sa.column("name", sa.String)),\n'
              f'                   [{{"id": 1, "name": "one"}}, {{"id": 2, "name": "two"}}])\n')
        down_ = f'    op.drop_table("{table}")\n'
        return head + f"def upgrade() -> None:\n{up}\n\ndef downgrade() -> None:\n{down_}"
    base = f"t{(n - 1) // 5 * 5 + 1:02d}"  # the table of this group of five
    if kind == 2:
        return head + (
            "def _label(n):\n    return f'row-{n}'\n\n\n"
            f"def upgrade() -> None:\n"
            f'    op.add_column("{base}", sa.Column("c{n}", sa.String(30), nullable=True))\n'
            f'    op.execute(\n        """\n        UPDATE {base}\n'
            f"           SET c{n} = '{{}}'\n"
            f'        """.format(_label({n}))\n    )\n\n\n'
            f"def downgrade() -> None:\n"
            f'    with op.batch_alter_table("{base}") as batch:\n'
            f'        batch.drop_column("c{n}")\n')
    if kind == 3:
        return head + (
            f"def upgrade() -> None:\n"
            f'    op.create_index("ix_{base}_{n}", "{base}", ["name"])\n\n\n'
            f"def downgrade() -> None:\n"
            f'    op.drop_index("ix_{base}_{n}", table_name="{base}")\n')
    if kind == 4:
        return head + (
            "def upgrade(**kw) -> None:\n"
            '    globals()["upgrade_" + kw.get("engine", "main")]()\n\n\n'
            "def downgrade(**kw) -> None:\n"
            '    globals()["downgrade_" + kw.get("engine", "main")]()\n\n\n'
            "def upgrade_main() -> None:\n"
            f'    op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True),\n'
            f'                    sa.Column("ref", sa.Integer, sa.ForeignKey("{base}.id")))\n'
            f"    op.execute(\"INSERT INTO {table} (id, ref) VALUES (1, 2)\")\n\n\n"
            "def downgrade_main() -> None:\n"
            f'    op.drop_table("{table}")\n')
    # kind 0: an irreversible-looking data fix with a reversible downgrade
    return head + (
        "def upgrade() -> None:\n"
        f"    op.execute(\"UPDATE {base} SET name = name || '!' WHERE id = 1\")\n\n\n"
        "def downgrade() -> None:\n"
        f"    op.execute(\"UPDATE {base} SET name = substr(name, 1, length(name) - 1) "
        "WHERE id = 1\")\n")


def run(*argv: str, code: int = 0) -> str:
    out = io.StringIO()
    got = main(list(argv), stdout=out)
    assert got == code, out.getvalue()
    return out.getvalue()


class Project:
    def __init__(self, root: Path, url: str) -> None:
        self.root, self.url = root, url
        self.versions = root / "alembic" / "versions"

    def write_all(self) -> None:
        for n in range(1, N + 1):
            (self.versions / f"{IDS[n - 1]}_step_{n}.py").write_text(rev_source(n))

    def squash(self) -> Path:
        out = run("squash", START, END, "--rev-id", "5a5a5a5a5a5a", "-m", "squash the middle")
        self.output = out
        return Path(re.search(r"Generating (\S+) \.\.\.  done", out).group(1))

    def rows(self) -> set[str]:
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                if not sa.inspect(conn).has_table("alembic_version"):
                    return set()
                return set(conn.execute(sa.text("SELECT version_num FROM alembic_version"))
                           .scalars())
        finally:
            engine.dispose()

    def state(self) -> dict:
        """Tables, columns, indexes, foreign keys, data and version rows."""
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                insp = sa.inspect(conn)
                out = {}
                for table in sorted(insp.get_table_names()):
                    cols = [(c["name"], str(c["type"]), c["nullable"])
                            for c in insp.get_columns(table)]
                    idx = sorted((i["name"], tuple(i["column_names"]))
                                 for i in insp.get_indexes(table))
                    fks = sorted((tuple(f["constrained_columns"]), f["referred_table"])
                                 for f in insp.get_foreign_keys(table))
                    data = sorted(tuple(map(str, r)) for r in
                                  conn.execute(sa.text(f"SELECT * FROM {table}")))
                    out[table] = (cols, idx, fks, data)
                return out
        finally:
            engine.dispose()


@pytest.fixture
def project(tmp_path, monkeypatch, db_url):
    monkeypatch.chdir(tmp_path)
    run("init", "alembic")
    ini = tmp_path / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname",
                                           db_url.replace("%", "%%")))
    p = Project(tmp_path, db_url)
    p.write_all()
    return p


def wipe(project: Project) -> None:
    from conftest import wipe_database

    if project.url.startswith("sqlite"):
        Path(project.url.split("///", 1)[1]).unlink(missing_ok=True)
    else:
        wipe_database(project.url)


# where each database stands when the squashed revision appears
SCENARIOS = {
    "new": None,
    "before the range": IDS[3],
    "at its start": START,
    "in the middle": IDS[20],
    "at its end": END,
    "past it": IDS[47],
    "at head": IDS[-1],
}


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_every_database_reaches_the_same_state(project):
    reference = None
    squashed_text = None
    squashed_path = project.versions / "not yet"
    for name, at in SCENARIOS.items():
        wipe(project)
        if squashed_text is not None:
            squashed_path.unlink()
        if at is not None:
            run("upgrade", at)
        if squashed_text is None:
            squashed_path = project.squash()
            squashed_text = squashed_path.read_text()
        else:
            squashed_path.write_text(squashed_text)
        run("upgrade", "heads")
        state = project.state()
        rows = project.rows()
        assert rows == {IDS[-1]}, name
        if reference is None:
            reference = state
            # the original path, for comparison: no squashed file at all
            wipe(project)
            squashed_path.unlink()
            run("upgrade", "heads")
            assert project.state() == reference, "the squashed path differs from the originals"
            squashed_path.write_text(squashed_text)
        assert state == reference, name


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_version_rows_and_paths(project):
    """Which revisions run, and what the version table says, in each case."""
    run("upgrade", IDS[20])  # inside
    path = project.squash()
    squashed = "5a5a5a5a5a5a"
    # inside: the remaining originals run, then the row says the squashed revision
    run("upgrade", squashed)
    assert project.rows() == {squashed}
    assert run("current").split() == [squashed]
    # head and past: ordinary revisions on top of the squashed one
    run("upgrade", "heads")
    assert project.rows() == {IDS[-1]}
    # downgrade across the squashed revision (runs its downgrade: the replaced
    # revisions' downgrades, newest first), then up again through it
    run("downgrade", IDS[3])
    assert project.rows() == {IDS[3]}
    assert "t06" not in project.state() and "t01" in project.state()
    run("upgrade", "heads")
    assert project.rows() == {IDS[-1]}
    run("downgrade", "base")
    assert project.rows() == set() and set(project.state()) == {"alembic_version"}
    assert path.exists()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_row_at_the_end_is_rewritten_to_the_squashed_revision(project):
    run("upgrade", END)
    project.squash()
    assert project.rows() == {END}
    assert run("current").split() == ["5a5a5a5a5a5a"]  # read as the squashed revision
    # offline from the end of the range: no migration, only the row's rewrite
    out = run("upgrade", f"{END}:5a5a5a5a5a5a", "--sql")
    assert "-- Running upgrade" not in out
    assert out.startswith(f"-- Running stamp_revision {END} -> 5a5a5a5a5a5a\n\nUPDATE "
                          "alembic_version SET version_num='5a5a5a5a5a5a' WHERE "
                          f"alembic_version.version_num = '{END}';")
    sql = run("upgrade", f"{END}:heads", "--sql")
    assert sql.index("UPDATE alembic_version SET version_num='5a5a5a5a5a5a'") < \
        sql.index(f"-- Running upgrade 5a5a5a5a5a5a -> {IDS[45]}")
    run("upgrade", "5a5a5a5a5a5a")  # no step, but the row is rewritten
    assert project.rows() == {"5a5a5a5a5a5a"}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_squashed_command_and_deleting_the_originals(project):
    run("upgrade", IDS[10])
    project.squash()
    out = run("squashed", code=1)
    assert out.startswith(f"5a5a5a5a5a5a replaces 41 revisions ({START} to {END}; 41 files "
                          f"present): needed: the database is at {IDS[10]}, inside the range")
    assert "FAILED: The revisions 5a5a5a5a5a5a replace are still needed" in out
    run("upgrade", IDS[30])  # still inside
    run("squashed", code=1)
    run("upgrade", "heads")
    out = run("squashed")
    assert out.splitlines() == [f"5a5a5a5a5a5a replaces 41 revisions ({START} to {END}; 41 "
                                "files present): not needed by this database"]
    for rid in RANGE:
        next(project.versions.glob(f"{rid}_*.py")).unlink()
    assert "41 revisions" in run("squashed") and "0 files present" in run("squashed")
    run("downgrade", IDS[3])
    run("upgrade", "heads")
    assert project.rows() == {IDS[-1]}
    # a database that was left at the end of the range still works (the row is an alias)
    wipe(project)
    run("upgrade", IDS[3])
    run("upgrade", "5a5a5a5a5a5a")
    assert run("history", "-r", f"{IDS[3]}:{IDS[46]}").splitlines() == [
        f"{IDS[45]} -> {IDS[46]}, step 47",
        f"5a5a5a5a5a5a -> {IDS[45]}, step 46",
        f"{IDS[3]} -> 5a5a5a5a5a5a, squash the middle",
        f"{IDS[2]} -> {IDS[3]}, step 4",
    ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_database_inside_needs_the_deleted_files(project):
    run("upgrade", IDS[10])
    project.squash()
    next(project.versions.glob(f"{IDS[20]}_*.py")).unlink()
    out = run("upgrade", "heads", code=255)
    assert out.startswith(f"FAILED: Revision {IDS[20]} is replaced by squashed revision "
                          "5a5a5a5a5a5a and its file is gone, but a database inside the "
                          "squashed range still needs it")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_graph_views(project):
    project.squash()
    history = run("history").splitlines()
    assert len(history) == N - len(RANGE) + 1
    assert f"{IDS[3]} -> 5a5a5a5a5a5a, squash the middle" in history
    assert f"5a5a5a5a5a5a -> {IDS[45]}, step 46" in history
    shown = run("show", "5a5a")
    assert f"Replaces: {', '.join(RANGE)}" in shown
    assert run("show", END).startswith("Rev: 5a5a5a5a5a5a")  # the end is an alias
    out = run("show", IDS[20], code=255)
    assert out.startswith(f"FAILED: Can't locate revision identified by '{IDS[20]}' (revision "
                          f"{IDS[20]} is replaced by squashed revision 5a5a5a5a5a5a")
    assert run("heads").split()[0] == IDS[-1]
    # sqlmigrate works on the squashed revision and on a replaced one
    assert run("sqlmigrate", "5a5a").startswith(f"-- Running upgrade {IDS[3]} -> 5a5a5a5a5a5a")
    assert run("sqlmigrate", IDS[20]).startswith(
        f"-- Running upgrade {IDS[19]} -> {IDS[20]}")
    # offline from inside the range: the originals, then the row moves to the squashed one
    sql = run("upgrade", f"{IDS[20]}:5a5a5a5a5a5a", "--sql")
    assert f"-- Running upgrade {IDS[20]} -> {IDS[21]}" in sql
    assert sql.index(f"-- Running upgrade {IDS[43]} -> {END}") < \
        sql.index(f"-- Running stamp_revision {END} -> 5a5a5a5a5a5a")
    sql = run("upgrade", f"{IDS[20]}:heads", "--sql")  # on through the originals' end
    assert f"-- Running upgrade {END} -> {IDS[45]}" in sql
    assert "5a5a5a5a5a5a" not in sql


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_squashed_file(project):
    path = project.squash()
    assert project.output.splitlines() == [
        f"Generating {path} ...  done",
        f"Squashed 41 revisions ({START} to {END}) into 5a5a5a5a5a5a.",
        "A new database runs 5a5a5a5a5a5a; a database inside the range runs the remaining "
        "revisions, then is recorded at 5a5a5a5a5a5a.",
        "Keep the replaced files until 'squashed' reports them unneeded on every database.",
    ]
    source = path.read_bytes()
    header = parse._fast_header(source)  # the fast header reader understands it
    assert header is not None and header["replaces"] == tuple(RANGE)
    assert header["down_revision"] == IDS[3] and header["revision"] == "5a5a5a5a5a5a"
    text = source.decode()
    assert text.startswith('"""squash the middle\n\nRevision ID: 5a5a5a5a5a5a\n')
    assert "from __future__ import annotations" in text  # revision 7 had it
    assert "_namespace = locals()" in text and 'globals()["' not in text
    assert '_namespace["upgrade_" + kw.get("engine", "main")]()' in text
    # multi-line SQL strings are carried over unchanged (not re-indented)
    original = rev_source(7)
    assert "        UPDATE t06\n           SET c7 = '{}'\n" in original
    assert "        UPDATE t06\n           SET c7 = '{}'\n" in text
    assert "            UPDATE t06" not in text
    assert "    def _label(n):\n        return f'row-{n}'\n" in text


@pytest.mark.parametrize("shape, start, end, message", [
    ("merge", "m3", "m5", "Revision m4 merges m3, b1: a squashed range cannot contain a merge"),
    ("branch", "m1", "m3", "Revision m2 is a branch point inside the range (it also leads to "
     "b1)"),
    ("order", "m3", "m1", "Revision m3 is not an ancestor of m1"),
    ("same", "m2", "m2", "Nothing to squash: 'm2' and 'm2' are the same revision"),
    ("base", "base", "m2", "squash needs one revision at each end of the range; 'base' "
     "names no revision"),
    ("global", "m1", "m2", "cannot squash revision m2: line"),
    ("star", "m1", "m2", "cannot squash revision m2: line"),
], ids=["merge", "branch", "order", "same", "base", "global", "star"])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_refusals(project, shape, start, end, message):
    for path in project.versions.glob("*.py"):
        path.unlink()

    def write(rev, down, body="pass"):
        (project.versions / f"{rev}_x.py").write_text(
            f'"""{rev}"""\nrevision = {rev!r}\ndown_revision = {down!r}\n'
            f"branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    {body}\n\n\n"
            "def downgrade():\n    pass\n")

    body = {"global": "global X", "star": "from os import *"}.get(shape, "pass")
    write("m1", None)
    write("m2", "m1", body if shape in ("global", "star") else "pass")
    write("m3", "m2")
    if shape in ("merge", "branch"):
        write("b1", "m2")
        write("m4", ("m3", "b1") if shape == "merge" else "m3")
        write("m5", "m4")
    if shape == "star":
        (project.versions / "m2_x.py").write_text(
            (project.versions / "m2_x.py").read_text().replace("def upgrade():\n    pass",
                                                              "from os import *\n\n\n"
                                                              "def upgrade():\n    pass"))
    before = sorted(project.versions.glob("*.py"))
    out = run("squash", start, end, code=255)
    assert message in out
    assert sorted(project.versions.glob("*.py")) == before  # nothing was written


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_database_inside_downgrades_through_the_originals(project):
    run("upgrade", IDS[10])
    before_state = project.state()
    run("upgrade", IDS[20])
    project.squash()
    run("downgrade", IDS[10])
    assert project.rows() == {IDS[10]} and project.state() == before_state
    run("downgrade", "base")
    assert project.rows() == set()
    run("upgrade", "heads")  # a new database now: the squashed revision runs
    assert project.rows() == {IDS[-1]}


@pytest.mark.parametrize("start, end", [("0005", "0045"), (START, f"{START}+40"),
                                        ("head-45", "head-5")],
                         ids=["prefixes", "relative", "from head"])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_identifier_forms(project, start, end):
    out = run("squash", start, end, "--rev-id", "5a5a5a5a5a5a")
    assert f"Squashed 41 revisions ({START} to {END}) into 5a5a5a5a5a5a." in out

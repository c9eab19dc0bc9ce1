"""Bad input, table-driven: every mistake gets one clear line and changes nothing.

Each case builds a small SQLite project in a temp directory (three revisions
``aaaa1111 -> bbbb2222 -> cccc3333``, the database at ``bbbb2222``), breaks one thing,
runs ``alembic_django.cli.main(argv)`` in-process and checks that

* the exit code is right (2 for argparse usage errors, else the error's own code),
* the output names the culprit (a substring: the key, file or revision at fault),
* there is no traceback,
* no project file was created, changed or removed and the database is unchanged.

Configuration mistakes in a plain mapping (what Django settings become) go through the
programmatic API, since no command line reaches that source.
"""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

cli = pytest.importorskip("alembic_django.cli")

ENV_PY = '''\
from sqlalchemy import engine_from_config, pool

from alembic_django import context

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.", poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

SCRIPT_MAKO = '''\
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


def revision_file(rev: str, down: str | tuple | None, *, labels=None, body=None,
                  message: str | None = None, down_body=None) -> str:
    table = f"t_{rev}"
    up = body or f'op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True))'
    return textwrap.dedent(f'''\
        """{message or "create " + table}

        Revision ID: {rev}
        Revises: {down or ""}
        """
        from alembic_django import op
        import sqlalchemy as sa

        revision = {rev!r}
        down_revision = {down!r}
        branch_labels = {labels!r}
        depends_on = None


        def upgrade():
            {up}


        def downgrade():
            {down_body or f'op.drop_table("{table}")'}
        ''')


class Project:
    """A three-revision SQLite project whose database is at ``bbbb2222``."""

    def __init__(self, root: Path):
        self.root = root
        self.mig = root / "mig"
        self.versions = self.mig / "versions"
        self.db = root / "app.db"
        self.versions.mkdir(parents=True)
        self.write("mig/env.py", ENV_PY)
        self.write("mig/script.py.mako", SCRIPT_MAKO)
        self.ini({})
        self.add("aaaa1111", None)
        self.add("bbbb2222", "aaaa1111")
        self.add("cccc3333", "bbbb2222")
        with sqlite3.connect(self.db) as conn:
            conn.execute("CREATE TABLE t_aaaa1111 (id INTEGER PRIMARY KEY)")
            conn.execute("CREATE TABLE t_bbbb2222 (id INTEGER PRIMARY KEY)")
            conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                         "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
            conn.execute("INSERT INTO alembic_version VALUES ('bbbb2222')")
        conn.close()

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def ini(self, extra: dict[str, str], *, section: str = "alembic", tail: str = "") -> None:
        keys = {"script_location": "%(here)s/mig",
                "sqlalchemy.url": "sqlite:///%(here)s/app.db", **extra}
        body = "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)
        self.write("alembic.ini", f"[{section}]\n{body}{tail}")

    def add(self, rev: str, down, **kw) -> Path:
        return self.write(f"mig/versions/{rev}_rev.py", revision_file(rev, down, **kw))

    def snapshot(self) -> tuple[dict[str, bytes], list[str]]:
        files = {}
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root)
            if path.is_dir() or "__pycache__" in rel.parts or is_cache_file(path):
                continue
            files[str(rel)] = b"" if path == self.db else path.read_bytes()
        conn = sqlite3.connect(self.db)
        try:
            dump = list(conn.iterdump())
        finally:
            conn.close()
        return files, dump


def is_cache_file(path: Path) -> bool:
    """The script directory's index cache may be (re)written by any command."""
    return "cache" in path.name.lower() or path.name.startswith(".")


@dataclass
class Case:
    id: str
    argv: list[str]
    culprit: str | list[str]
    setup: Callable[[Project], None] = lambda p: None
    code: int = 255
    env: dict[str, str] = field(default_factory=dict)


def _files(**files: str) -> Callable[[Project], None]:
    def setup(p: Project) -> None:
        for rel, text in files.items():
            p.write(rel.replace("__", "/"), text)
    return setup


def _ini(extra=None, **kw) -> Callable[[Project], None]:
    return lambda p: p.ini(extra or {}, **kw)


def _rev(rev, down, **kw) -> Callable[[Project], None]:
    return lambda p: p.add(rev, down, **kw)


def _both(*setups) -> Callable[[Project], None]:
    def setup(p: Project) -> None:
        for s in setups:
            s(p)
    return setup


def _remove(rel: str) -> Callable[[Project], None]:
    return lambda p: (p.root / rel).unlink()


PYPROJECT_ONLY = _both(_remove("alembic.ini"))

CASES = [
    # --- configuration: alembic.ini ---
    Case("ini-missing-file", ["-c", "nope.ini", "heads"], "nope.ini"),
    Case("ini-env-var-missing-file", ["heads"], "elsewhere.ini",
         env={"ALEMBIC_CONFIG": "elsewhere.ini"}),
    Case("ini-missing-section", ["-n", "nosuchsection", "heads"], "nosuchsection"),
    Case("ini-no-script-location", ["heads"], "script_location",
         setup=_ini({"script_location": None})),
    Case("ini-script-location-missing-dir", ["heads"], "nosuchdir",
         setup=_ini({"script_location": "%(here)s/nosuchdir"})),
    Case("ini-bad-interpolation-key", ["heads"], "script_location",
         setup=_ini({"script_location": "%(nothere)s/mig"})),
    Case("ini-lone-percent", ["revision", "-m", "x"], "file_template",
         setup=_ini({"file_template": "%%(rev)s_%"})),
    Case("ini-unparseable", ["heads"], "alembic.ini",
         setup=_files(**{"alembic.ini": "[alembic\nscript_location = mig\n"})),
    Case("ini-bad-path-separator", ["heads"], "path_separator",
         setup=_ini({"path_separator": "pipe", "version_locations": "%(here)s/mig/versions"})),
    Case("ini-unknown-timezone", ["revision", "-m", "x"], "Mars/Olympus",
         setup=_ini({"timezone": "Mars/Olympus"})),
    Case("ini-bad-truncate-slug-length", ["revision", "-m", "x"], "truncate_slug_length",
         setup=_ini({"truncate_slug_length": "forty"})),
    Case("ini-two-ini-files", ["-c", "alembic.ini", "-c", "other.ini", "heads"], "other.ini",
         setup=_files(**{"other.ini": "[alembic]\nscript_location = mig\n"})),
    # --- configuration: pyproject.toml ---
    Case("toml-unparseable", ["heads"], "pyproject.toml",
         setup=_both(PYPROJECT_ONLY, _files(**{"pyproject.toml": "[tool.alembic\n"}))),
    Case("toml-no-script-location", ["heads"], "script_location",
         setup=_both(PYPROJECT_ONLY, _files(**{"pyproject.toml": "[tool.alembic]\nsourceless = false\n"}))),
    Case("toml-list-key-not-a-list", ["heads"], "prepend_sys_path",
         setup=_both(PYPROJECT_ONLY, _files(**{
             "pyproject.toml": '[tool.alembic]\nscript_location = "%(here)s/mig"\nprepend_sys_path = 5\n'}))),
    Case("toml-boolean-as-string", ["heads"], "sourceless",
         setup=_both(PYPROJECT_ONLY, _files(**{
             "pyproject.toml": '[tool.alembic]\nscript_location = "%(here)s/mig"\nsourceless = "yes"\n'}))),
    Case("toml-bad-interpolation", ["heads"], "script_location",
         setup=_both(PYPROJECT_ONLY, _files(**{
             "pyproject.toml": '[tool.alembic]\nscript_location = "%(nowhere)s/mig"\n'}))),
    # --- the revision graph ---
    Case("graph-cycle", ["heads"], ["dddd4444", "eeee5555"],
         setup=_both(_rev("dddd4444", "eeee5555"), _rev("eeee5555", "dddd4444"))),
    Case("graph-self-loop", ["heads"], "dddd4444", setup=_rev("dddd4444", "dddd4444")),
    Case("graph-duplicate-label", ["heads"], "shop",
         setup=_both(_rev("dddd4444", "cccc3333", labels=("shop",)),
                     _rev("eeee5555", None, labels=("shop",)))),
    Case("graph-ambiguous-prefix", ["show", "abcd"], "abcd",
         setup=_both(_rev("abcd1111", "cccc3333"), _rev("abcd2222", "cccc3333"))),
    Case("graph-unknown-revision", ["show", "zzzz9999"], "zzzz9999"),
    Case("graph-unknown-label", ["show", "nosuchlabel@head"], "nosuchlabel"),
    Case("graph-head-with-two-heads", ["upgrade", "head"], "head",
         setup=_rev("dddd4444", "bbbb2222")),
    Case("graph-dangling-parent-upgrade", ["upgrade", "heads"], "ffff0000",
         setup=_rev("dddd4444", "ffff0000")),
    Case("graph-revision-on-non-head", ["revision", "-m", "x", "--head", "aaaa1111"],
         ["aaaa1111", "--splice"]),
    Case("graph-label-lineage", ["show", "shop@aaaa1111"], "shop",
         setup=_rev("dddd4444", None, labels=("shop",))),
    Case("graph-relative-too-far", ["upgrade", "+5"], "+5"),
    Case("graph-stamp-unknown", ["stamp", "zzzz9999"], "zzzz9999"),
    Case("graph-db-at-unknown-revision", ["upgrade", "heads"], "bbbb2222",
         setup=_remove("mig/versions/bbbb2222_rev.py")),
    # --- the command line ---
    Case("cli-unknown-command", ["frobnicate"], "frobnicate", code=2),
    Case("cli-missing-positional", ["upgrade"], "revision", code=2),
    Case("cli-unknown-option", ["heads", "--bogus"], "--bogus", code=2),
    Case("cli-history-range-without-colon", ["history", "-r", "aaaa1111"], "[start]:[end]"),
    Case("cli-range-without-sql", ["upgrade", "aaaa1111:cccc3333"], "aaaa1111:cccc3333"),
    Case("cli-offline-downgrade-needs-range", ["downgrade", "base", "--sql"], "--sql"),
    Case("cli-rev-id-with-at", ["revision", "-m", "x", "--rev-id", "ab@cd"], "ab@cd"),
    Case("cli-rev-id-exists", ["revision", "-m", "x", "--rev-id", "bbbb2222"], "bbbb2222"),
    Case("cli-revision-sql-without-environment", ["revision", "-m", "x", "--sql"], "--sql"),
    Case("cli-init-non-empty-dir", ["init", "mig"], "mig"),
    Case("cli-init-unknown-template", ["init", "-t", "nosuchtemplate", "fresh"], "nosuchtemplate"),
    Case("cli-downgrade-to-later", ["downgrade", "cccc3333"], "cccc3333"),
    # --- scripts ---
    Case("script-syntax-error", ["heads"], "dddd4444_rev.py",
         setup=_files(**{"mig__versions__dddd4444_rev.py": "revision = 'dddd4444'\ndown_revision = (\n"})),
    Case("script-missing-upgrade", ["upgrade", "heads"], ["dddd4444", "upgrade"],
         setup=_files(**{"mig__versions__dddd4444_rev.py":
                         "revision = 'dddd4444'\ndown_revision = 'cccc3333'\n"})),
    Case("script-import-error", ["upgrade", "heads"], "no_such_module_xyz",
         setup=_files(**{"mig__versions__cccc3333_rev.py":
                         revision_file("cccc3333", "bbbb2222").replace(
                             "import sqlalchemy as sa", "import sqlalchemy as sa\nimport no_such_module_xyz")})),
    Case("script-upgrade-raises", ["upgrade", "heads"], "cccc3333",
         setup=_rev("cccc3333", "bbbb2222", body='op.execute("THIS IS NOT SQL")')),
    Case("script-env-py-raises", ["upgrade", "heads"], "env.py",
         setup=_files(**{"mig__env.py": "raise RuntimeError('env boom')\n"})),
    Case("script-env-py-missing", ["upgrade", "heads"], "env.py", setup=_remove("mig/env.py")),
    Case("script-mako-missing", ["revision", "-m", "x"], "script.py.mako",
         setup=_remove("mig/script.py.mako")),
    Case("script-mako-broken", ["revision", "-m", "x"], "script.py.mako",
         setup=_files(**{"mig__script.py.mako": "${message\n% if:\n"})),
]


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse, and entry points that exit
        code = exc.code
    code = 0 if code is None else code
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    return Project(tmp_path)


def test_catalogue_is_big_enough():
    assert len(CASES) + len(MAPPING_CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, project: Project, capsys, monkeypatch):
    case.setup(project)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    before = project.snapshot()

    code, output = run_cli(case.argv, capsys)

    assert code == case.code, f"exit code {code}, expected {case.code}; output:\n{output}"
    culprits = [case.culprit] if isinstance(case.culprit, str) else case.culprit
    for culprit in culprits:
        assert culprit in output, f"{culprit!r} not named in:\n{output}"
    assert "Traceback" not in output, output
    if code != 2:
        assert "FAILED:" in output, output
    assert project.snapshot() == before, "files or database changed"


# --- configuration given as a mapping (Django settings) -------------------------------

MAPPING_CASES = [
    ("mapping-no-script-location", {}, "heads", "script_location"),
    ("mapping-script-location-not-a-path", {"script_location": 5}, "heads", "script_location"),
    ("mapping-list-key-wrong-type", {"prepend_sys_path": 3}, "heads", "prepend_sys_path"),
    ("mapping-boolean-wrong-type", {"sourceless": "yes"}, "heads", "sourceless"),
    ("mapping-bad-truncate-slug-length", {"truncate_slug_length": "forty"}, "revision",
     "truncate_slug_length"),
    ("mapping-unknown-timezone", {"timezone": "Mars/Olympus"}, "revision", "Mars/Olympus"),
]


@pytest.mark.parametrize("case_id,mapping,verb,culprit", MAPPING_CASES,
                         ids=[c[0] for c in MAPPING_CASES])
def test_bad_mapping(case_id, mapping, verb, culprit, project: Project):
    from alembic_django import command
    from alembic_django.engine.config import Config
    from alembic_django.engine.errors import CommandError

    (project.root / "alembic.ini").unlink()
    if case_id != "mapping-no-script-location":
        mapping = {"script_location": str(project.mig), **mapping}
    before = project.snapshot()
    cfg = Config(mapping=mapping)
    with pytest.raises(CommandError) as info:
        if verb == "revision":
            command.revision(cfg, message="x")
        else:
            getattr(command, verb)(cfg)
    message = str(info.value)
    assert culprit in message
    assert "\n" not in message.strip(), "one line"
    assert project.snapshot() == before


# --- graph errors refuse every command that reads the revision files -------------------
#
# The exact inputs: two files declaring ``revision = 'r02'`` with different bodies;
# a ``down_revision = 'zz99'`` that no file declares (and a ``depends_on`` naming one).
# Alembic only warns for these (and, for ``upgrade head``, reports "Multiple head
# revisions"); here each command stops with one line naming the files, before anything is
# written or applied.

def _duplicate_r02(p: Project) -> str:
    p.add("r02", "cccc3333", body='op.create_table("t_one", sa.Column("id", sa.Integer))')
    p.write("mig/versions/r02_other.py", revision_file(
        "r02", "cccc3333", body='op.create_table("t_other", sa.Column("id", sa.Integer))'))
    return (f"FAILED: Revision r02 is present more than once: {p.versions / 'r02_other.py'} "
            f"and {p.versions / 'r02_rev.py'}")


def _dangling_zz99(p: Project) -> str:
    p.add("dddd4444", "zz99")
    return (f"FAILED: Revision zz99 referenced from dddd4444 is not present "
            f"(down_revision in {p.versions / 'dddd4444_rev.py'})")


def _dangling_depends_on(p: Project) -> str:
    p.write("mig/versions/dddd4444_rev.py", revision_file("dddd4444", "cccc3333").replace(
        "depends_on = None", "depends_on = 'yy88'"))
    return (f"FAILED: Revision yy88 referenced from dddd4444 is not present "
            f"(depends_on in {p.versions / 'dddd4444_rev.py'})")


GRAPH_PROBLEMS = {"duplicate-r02": _duplicate_r02, "dangling-zz99": _dangling_zz99,
                  "dangling-depends-on": _dangling_depends_on}
GRAPH_COMMANDS = [
    ["heads"], ["heads", "--resolve-dependencies"], ["branches"], ["history"],
    ["history", "-r", "aaaa1111:"], ["history", "-i"], ["show", "head"], ["show", "current"],
    ["current"], ["upgrade", "head"], ["upgrade", "heads"], ["upgrade", "+1"],
    ["upgrade", "bbbb2222:heads", "--sql"], ["downgrade", "base"], ["downgrade", "-1"],
    ["stamp", "heads"], ["check"], ["revision", "-m", "new"], ["revision", "-m", "new", "--rev-id", "eeee5555"],
    ["merge", "heads", "-m", "join"], ["edit", "head"],
]


@pytest.mark.parametrize("argv", GRAPH_COMMANDS, ids=[" ".join(a) for a in GRAPH_COMMANDS])
@pytest.mark.parametrize("problem", list(GRAPH_PROBLEMS))
def test_graph_error_refuses_every_command(problem, argv, project: Project, capsys, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")
    line = GRAPH_PROBLEMS[problem](project)
    before = project.snapshot()

    code, output = run_cli(argv, capsys)

    assert (code, output) == (255, line + "\n"), "exactly the one line, exit 255"
    assert project.snapshot() == before, "nothing written, nothing applied"


def test_bare_revision_map_still_warns_as_alembic():
    """The pure graph keeps Alembic's API: a warning, and a map built without the problem."""
    from alembic_django.engine.script.revision import Revision, RevisionMap

    rmap = RevisionMap(lambda: [Revision("a", None), Revision("b", "zz99"), Revision("a", None)])
    with pytest.warns(UserWarning) as seen:
        assert set(rmap.heads) == {"a", "b"}
    assert sorted(str(w.message) for w in seen) == [
        "Revision a is present more than once", "Revision zz99 referenced from b is not present"]


# --- --rev-id and the written path ---------------------------------------------------------

def _escape_link(p: Project) -> None:
    """versions/link -> a directory outside the project; file_template writes through it."""
    outside = p.root.parent / f"{p.root.name}-outside"
    outside.mkdir()
    (p.versions / "link").symlink_to(outside, target_is_directory=True)
    p.ini({"file_template": "link/%%(rev)s_%%(slug)s"})


def _escape_version_path(p: Project) -> None:
    """A recursive version location whose subdirectory is a link to the outside."""
    _escape_link(p)
    p.ini({"recursive_version_locations": "true"})


REV_ID_CASES = [
    # (id, argv, setup, the FAILED line (after "FAILED: "), paths that must not appear)
    ("rev-id-escapes", ["revision", "-m", "x", "--rev-id", "../../../escaped"], None,
     "Character(s) '., /' not allowed in revision identifier '../../../escaped' (revision ids "
     "written to files are letters, digits and underscores)", ["../../../escaped_x.py"]),
    ("rev-id-subdirectory", ["revision", "-m", "x", "--rev-id", "a/b"], None,
     "Character(s) '/' not allowed in revision identifier 'a/b' (revision ids written to files "
     "are letters, digits and underscores)", ["a/b_x.py", "a"]),
    ("rev-id-alembic-chars", ["revision", "-m", "x", "--rev-id", "no@atsigns-ordashes"], None,
     "Character(s) '-, @' not allowed in revision identifier 'no@atsigns-ordashes' (revision "
     "ids written to files are letters, digits and underscores)", []),
    ("rev-id-colon", ["revision", "-m", "x", "--rev-id", "no:colons"], None,
     "Character(s) ':' not allowed in revision identifier 'no:colons' (revision ids written to "
     "files are letters, digits and underscores)", []),
    ("rev-id-newline", ["revision", "-m", "x", "--rev-id", "a\nb"], None,
     "Character(s) '\\n' not allowed in revision identifier 'a\\nb' (revision ids written to "
     "files are letters, digits and underscores)", []),
    ("merge-rev-id-escapes", ["merge", "heads", "--rev-id", "../up"], None,
     "Character(s) '., /' not allowed in revision identifier '../up' (revision ids written to "
     "files are letters, digits and underscores)", ["../up_.py"]),
    ("file-template-escapes", ["revision", "-m", "x", "--rev-id", "ffff6666"],
     lambda p: p.ini({"file_template": "../../%%(rev)s_%%(slug)s"}),
     "Refusing to write {versions}/../../ffff6666_x.py: it resolves to {root}/ffff6666_x.py, "
     "outside the version location {versions} (check file_template and --version-path)",
     ["../../ffff6666_x.py"]),
    ("file-template-through-link", ["revision", "-m", "x", "--rev-id", "ffff6666"],
     _escape_link,
     "Refusing to write {versions}/link/ffff6666_x.py: it resolves to "
     "{outside}/ffff6666_x.py, outside the version location {versions} (check file_template "
     "and --version-path)", ["link/ffff6666_x.py"]),
    ("version-path-through-link",
     ["revision", "-m", "x", "--rev-id", "ffff6666", "--version-path", "mig/versions/link"],
     _escape_version_path,
     "Refusing to write {versions}/link/ffff6666_x.py: it resolves to "
     "{outside}/ffff6666_x.py, outside the version location {versions} (check "
     "file_template and --version-path)", ["link/ffff6666_x.py"]),
]


@pytest.mark.parametrize("case", REV_ID_CASES, ids=[c[0] for c in REV_ID_CASES])
def test_rev_id_and_written_path(case, project: Project, capsys):
    _, argv, setup, line, never = case
    if setup:
        setup(project)
    before = project.snapshot()
    outside = project.root.parent / f"{project.root.name}-outside"
    listing = sorted(outside.rglob("*")) if outside.exists() else []

    code, output = run_cli(argv, capsys)

    expected = "FAILED: " + line.format(versions=project.versions, root=project.root,
                                        outside=outside.resolve())
    assert (code, output) == (255, expected + "\n")
    assert project.snapshot() == before
    for rel in never:
        assert not (project.versions / rel).exists(), rel
    assert (sorted(outside.rglob("*")) if outside.exists() else []) == listing


def test_a_valid_rev_id_is_written_inside(project: Project, capsys):
    code, output = run_cli(["revision", "-m", "x", "--rev-id", "Ünïcode_42"], capsys)
    assert code == 0, output
    assert (project.versions / "Ünïcode_42_x.py").exists()


# --- secrets and row data in error lines ---------------------------------------------------

def _disk_full(body: str) -> Callable[[Project], None]:
    """A revision that fills the database: SQLite's ``max_page_count`` makes the next page
    allocation fail with SQLITE_FULL ("database or disk is full"), the error a full disk
    gives, deterministically and without root (a small tmpfs needs a mount)."""
    return _rev("dddd4444", "cccc3333", body=textwrap.indent(textwrap.dedent(f'''\
        t = op.create_table("accounts", sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("note", sa.Text))
        op.execute("PRAGMA max_page_count = " + str(op.get_bind().exec_driver_sql(
            "PRAGMA page_count").scalar() + 2))
        {body}'''), " " * 12).strip())


ROW = "RowSecretQuokka"
LINE_CASES = [
    # (id, argv, setup, the FAILED line, strings that must not appear anywhere)
    ("ini-percent-in-password", ["upgrade", "heads"],
     _ini({"sqlalchemy.url": "postgresql+psycopg://postgres:Zq%LeakTail9@127.0.0.1/db"}),
     "alembic.ini [alembic] sqlalchemy.url: bad interpolation: a '%' in the (hidden) password "
     "must be written as %%", ["LeakTail9", "Zq%"]),
    ("disk-full-bulk-insert", ["upgrade", "heads"], _disk_full(
        f'op.bulk_insert(t, [{{"id": i, "note": "{ROW}" + "x" * 3000}} for i in range(50)])'),
     "Running upgrade cccc3333 -> dddd4444 failed ({versions}/dddd4444_rev.py): "
     "OperationalError: (sqlite3.OperationalError) database or disk is full "
     "[SQL: INSERT INTO accounts]; the transaction was rolled back", [ROW, "xxxx"]),
    ("disk-full-execute-with-parameters", ["upgrade", "heads"], _disk_full(
        f'op.execute(sa.text("INSERT INTO accounts (id, note) VALUES (:i, :n)").bindparams('
        f'i=1, n="{ROW}" + "x" * 50000))'),
     "Running upgrade cccc3333 -> dddd4444 failed ({versions}/dddd4444_rev.py): "
     "OperationalError: (sqlite3.OperationalError) database or disk is full "
     "[SQL: INSERT INTO accounts]; the transaction was rolled back", [ROW, "xxxx"]),
    ("disk-full-literal-sql", ["upgrade", "heads"], _disk_full(
        f'op.execute("INSERT INTO accounts (id, note) VALUES (1, \'{ROW}' + "x" * 50000
        + '\')")'),
     "Running upgrade cccc3333 -> dddd4444 failed ({versions}/dddd4444_rev.py): "
     "OperationalError: (sqlite3.OperationalError) database or disk is full "
     "[SQL: INSERT INTO accounts]; the transaction was rolled back", [ROW, "xxxx"]),
    ("unique-violation-names-no-value", ["upgrade", "heads"], _rev(
        "dddd4444", "cccc3333", body=(
            'op.execute(sa.text("INSERT INTO t_aaaa1111 (id) VALUES (:i)").bindparams(i=424242)); '
            'op.execute(sa.text("INSERT INTO t_aaaa1111 (id) VALUES (:i)").bindparams(i=424242))'
        )),
     "Running upgrade cccc3333 -> dddd4444 failed ({versions}/dddd4444_rev.py): "
     "IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed: t_aaaa1111.id "
     "[SQL: INSERT INTO t_aaaa1111]; the transaction was rolled back", ["424242"]),
]


@pytest.mark.parametrize("case", LINE_CASES, ids=[c[0] for c in LINE_CASES])
def test_error_line_carries_no_secret_or_row_data(case, project: Project, capsys):
    _, argv, setup, line, never = case
    setup(project)
    before = project.snapshot()

    code, output = run_cli(argv, capsys)

    assert (code, output) == (255, f"FAILED: {line.format(versions=project.versions)}\n")
    for text in never:
        assert text not in output
    assert project.snapshot() == before, "nothing applied (the step was rolled back)"


# --- warnings the package keeps reach the user as one line ------------------------------

def _multiple_heads_db(p: Project) -> None:
    p.add("dddd4444", "bbbb2222")
    with sqlite3.connect(p.db) as conn:
        conn.execute("CREATE TABLE t_cccc3333 (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE t_dddd4444 (id INTEGER PRIMARY KEY)")
        conn.execute("UPDATE alembic_version SET version_num = 'cccc3333'")
        conn.execute("INSERT INTO alembic_version VALUES ('dddd4444')")
    conn.close()


WARNING_CASES = [
    ("no-path-separator", ["heads"],
     _ini({"version_locations": "%(here)s/mig/versions %(here)s/mig/more"}),
     "WARNING: alembic.ini [alembic]: no path_separator is set; splitting version_locations "
     "on spaces and commas (set path_separator = os in the ini to silence this)"),
    ("downgrade-minus-one-from-two-heads", ["downgrade", "-1"], _multiple_heads_db,
     "WARNING: downgrade -1 from multiple heads is ambiguous; this usage will be disallowed "
     "in a future release."),
]


@pytest.mark.parametrize("case", WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_kept_warnings_are_one_line_on_the_command_line(case, project: Project, capsys):
    """The console script shows the package's warnings as ``WARNING: <text>`` on stderr:
    no file name, no source line, deprecations included (Python hides those)."""
    _, argv, setup, line = case
    setup(project)
    (project.mig / "more").mkdir(exist_ok=True)
    with pytest.raises(SystemExit) as exit_:
        cli.console_main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 0
    assert err.splitlines() == [line], err

"""Passwords never appear in output or in written files, in any form.

A password reaches the configuration as part of ``sqlalchemy.url`` in three spellings
(the issue's ``Zq%LeakTail9`` written raw; a password holding ``@ : / %`` URL-encoded; the
same password written raw, which no URL parser gets right), through every source:
alembic.ini (``%`` escaped as ``%%``, and not), ``[DEFAULT]`` key interpolation,
pyproject.toml (escaped, and not), an environment variable env.py copies in with
``set_main_option`` (escaped, and not), and ``config_args`` interpolation through the
Python API.  (Django ``DATABASES`` is in ``test_django_secrets.py``.)

Every command then runs at every verbosity (``-q``, normal, ``-v`` where the command has
it, ``--raiseerr`` through the console script, which prints the trace masked) against
SQLite (the URL's password then sits in other keys), PostgreSQL (trust authentication:
the password is accepted), MariaDB with a wrong password (refused) and an unreachable
port.  All output, the text of every exception, and every file left in the project are
searched for each 4-character window of the password in each spelling.

Commands that never connect do not depend on the server, so they run once per source
and spelling; commands that connect run against every server.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

cli = pytest.importorskip("alembic_django.cli")

ISSUE_PASSWORD = "Zq%LeakTail9"     # the issue's: a raw % in the ini
SPECIAL_PASSWORD = "Pq@7:Kx/%Wv"   # @ : / and % in one


@dataclass(frozen=True)
class Spelling:
    id: str
    password: str
    encode: bool

    def userinfo(self) -> str:
        pw = quote(self.password, safe="") if self.encode else self.password
        return f"postgres:{pw}"

    def windows(self) -> set[str]:
        """Every 4-character piece of the password as written anywhere."""
        forms = {self.password, quote(self.password, safe=""), self.password.replace("%", "%%"),
                 quote(self.password, safe="").replace("%", "%%")}
        return {f[i:i + 4] for f in forms for i in range(len(f) - 3)}


SPELLINGS = [
    Spelling("issue-raw", ISSUE_PASSWORD, encode=False),
    Spelling("special-encoded", SPECIAL_PASSWORD, encode=True),
    Spelling("special-raw", SPECIAL_PASSWORD, encode=False),
]

ENV_PY = '''\
import os

from sqlalchemy import engine_from_config, pool

from alembic_django import context

config = context.config
if "SECRETS_TEST_URL" in os.environ:  # the Alembic docs' way to take a URL from the environment
    url = os.environ["SECRETS_TEST_URL"]
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%")
                           if os.environ.get("SECRETS_TEST_ESCAPE") else url)


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

REVISION = '''\
"""first"""
from alembic_django import op
import sqlalchemy as sa

revision = "aaaa1111"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("secrets_t", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("secrets_t")
'''

MAKO = '''\
"""${message}"""
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    pass


def downgrade():
    pass
'''

# the command lines, each at every verbosity: (argv, has -v, connects)
COMMANDS = [
    (["heads"], True, False), (["branches"], True, False), (["history"], True, False),
    (["show", "head"], False, False), (["list_templates"], False, False),
    (["config"], False, False), (["revision", "-m", "new"], False, False),
    (["merge", "heads", "-m", "m"], False, False), (["edit", "head"], False, False),
    (["init", "fresh"], False, False),
    (["history", "--json"], False, False),
    (["upgrade", "heads"], False, True), (["current"], True, True),
    (["current", "--json"], False, True),
    (["history", "-i"], True, True), (["show", "current"], False, True),
    (["check"], False, True), (["stamp", "heads"], False, True),
    (["downgrade", "base"], False, True), (["ensure_version"], False, True),
    (["upgrade", "heads", "--sql"], False, True),
    (["downgrade", "aaaa1111:base", "--sql"], False, True),
]


def verbosities(has_verbose: bool) -> list[tuple[str, list[str], list[str]]]:
    """(id, options before the command, options after it)."""
    out = [("quiet", ["-q"], []), ("normal", [], []), ("raiseerr", ["--raiseerr"], [])]
    if has_verbose:
        out.append(("verbose", [], ["-v"]))
    return out


# -- servers ---------------------------------------------------------------------------------

def server_url(server: str, spelling: Spelling, request) -> str:
    """A URL with the password spelled in; for SQLite the password lives in other keys."""
    from sqlalchemy.engine import make_url

    if server == "sqlite":
        return f"sqlite:///{request.getfixturevalue('tmp_path') / 'app.db'}"
    if server == "unreachable":
        return f"postgresql+psycopg://{spelling.userinfo()}@127.0.0.1:1/nowhere"
    url = make_url(request.getfixturevalue(f"{server}_url"))
    driver = url.drivername
    port = f":{url.port}" if url.port else ""
    return f"{driver}://{spelling.userinfo()}@{url.host}{port}/{url.database}"


# -- sources ---------------------------------------------------------------------------------

def _ini_escape(text: str) -> str:
    return text.replace("%", "%%")


@dataclass
class Project:
    root: Path
    env: dict
    config_args: dict | None = None  # the Python API is used instead of the command line


def build(root: Path, source: str, url: str, spelling: Spelling, server: str) -> Project:
    mig = root / "mig"
    (mig / "versions").mkdir(parents=True)
    (mig / "env.py").write_text(ENV_PY)
    (mig / "script.py.mako").write_text(MAKO)
    (mig / "versions" / "aaaa1111_first.py").write_text(REVISION)
    # keys env.py never reads: shown by `config`, and the whole story on SQLite
    extra = {"replica_url": f"postgresql://{spelling.userinfo()}@replica/db",
             "admin_password": spelling.password}
    env: dict = {}
    ini: dict[str, str] = {"script_location": "%(here)s/mig"}
    ini_text_default = ""
    config_args = None
    if source in ("ini", "ini-unescaped"):
        ini["sqlalchemy.url"] = _ini_escape(url) if source == "ini" else url
    elif source == "ini-default-key":
        if server == "sqlite":
            ini["sqlalchemy.url"] = url
        else:
            head, tail = url.split(spelling.userinfo(), 1)
            pw = spelling.userinfo().split(":", 1)[1]
            ini_text_default = f"[DEFAULT]\ndb_password = {_ini_escape(pw)}\n"
            ini["sqlalchemy.url"] = f"{head}postgres:%(db_password)s{tail}"
    elif source in ("env-var", "env-var-unescaped"):
        env["SECRETS_TEST_URL"] = url
        if source == "env-var":
            env["SECRETS_TEST_ESCAPE"] = "1"
    elif source == "config-args":
        ini["sqlalchemy.url"] = "%(DB_URL)s"
        config_args = {"DB_URL": _ini_escape(url)}
    if source.startswith("pyproject"):
        value = _ini_escape(url) if source == "pyproject" else url
        lines = ["[tool.alembic]", 'script_location = "%(here)s/mig"',
                 f'"sqlalchemy.url" = "{value}"']
        lines += [f'{k} = "{_ini_escape(v) if source == "pyproject" else v}"'
                  for k, v in extra.items()]
        (root / "pyproject.toml").write_text("\n".join(lines) + "\n")
    else:
        ini.update({k: _ini_escape(v) for k, v in extra.items()})
        body = "".join(f"{k} = {v}\n" for k, v in ini.items())
        (root / "alembic.ini").write_text(f"{ini_text_default}[alembic]\n{body}")
    return Project(root, env, config_args)


SOURCES = ["ini", "ini-unescaped", "ini-default-key", "pyproject", "pyproject-unescaped",
           "env-var", "env-var-unescaped", "config-args"]


# -- running -----------------------------------------------------------------------------

def run_cli(argv: list[str], capsys, raiseerr: bool) -> str:
    """What a user sees: stdout, stderr (the console script prints --raiseerr traces)."""
    try:
        if raiseerr:
            cli.console_main(argv)
        else:
            cli.main(argv)
    except SystemExit:
        pass
    out = capsys.readouterr()
    return out.out + out.err


def run_api(project: Project, argv: list[str]) -> str:
    """The same command through ``alembic_django.command`` with ``config_args``."""
    from alembic_django import command
    from alembic_django.engine.config import Config

    stdout = io.StringIO()
    config = Config(str(project.root / "alembic.ini"), config_args=project.config_args,
                    stdout=stdout)
    name, *rest = argv
    kwargs: dict = {}
    positional: list = []
    it = iter(rest)
    for arg in it:
        if arg == "-m":
            kwargs["message"] = next(it)
        elif arg == "--sql":
            kwargs["sql"] = True
        elif arg == "-v":
            kwargs["verbose"] = True
        elif arg == "-i":
            kwargs["indicate_current"] = True
        else:
            positional.append(arg)
    if name == "init":
        return stdout.getvalue()  # init writes a fresh ini: nothing of ours to leak
    if name in ("merge", "stamp"):
        positional = [positional]
    try:
        getattr(command, name)(config, *positional, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any failure is output to search, not a result
        return stdout.getvalue() + "".join(traceback.format_exception(exc))
    return stdout.getvalue()


def written_text(root: Path) -> str:
    """Every file in the project but the two configuration files the test wrote itself
    (they hold the password on purpose)."""
    chunks = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix == ".pyc":
            continue
        if path.parent == root and path.name in ("alembic.ini", "pyproject.toml"):
            continue
        chunks.append(f"--- {path}\n" + path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(chunks)


def assert_hidden(spelling: Spelling, text: str, what: str) -> None:
    leaked = sorted(w for w in spelling.windows() if w in text)
    assert not leaked, f"password pieces {leaked} in {what}:\n{text}"


def run_matrix(project: Project, spelling: Spelling, commands, capsys, monkeypatch) -> int:
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    for key, value in project.env.items():
        monkeypatch.setenv(key, value)
    runs = 0
    for argv, has_verbose, _ in commands:
        for vid, before, after in verbosities(has_verbose):
            full = [*before, *argv, *after]
            if project.config_args is not None:
                if vid in ("quiet", "raiseerr"):
                    continue  # options of the command line only
                output = run_api(project, [*argv, *after])
            else:
                output = run_cli(full, capsys, raiseerr=vid == "raiseerr")
            assert_hidden(spelling, output, f"the output of {' '.join(full)}")
            runs += 1
    assert_hidden(spelling, written_text(project.root), "the files left in the project")
    return runs


@contextlib.contextmanager
def _sys_path_restored():
    saved = list(sys.path)
    try:
        yield
    finally:
        sys.path[:] = saved


@pytest.mark.parametrize("spelling", SPELLINGS, ids=[s.id for s in SPELLINGS])
@pytest.mark.parametrize("source", SOURCES)
def test_commands_that_never_connect(source, spelling, tmp_path, capsys, monkeypatch, request):
    url = server_url("unreachable", spelling, request)
    project = build(tmp_path, source, url, spelling, "unreachable")
    with _sys_path_restored():
        runs = run_matrix(project, spelling, [c for c in COMMANDS if not c[2]], capsys,
                          monkeypatch)
    assert runs >= (10 if source == "config-args" else 20)


SERVERS = ["sqlite", "postgresql", "mysql", "unreachable"]


def _connect_matrix() -> list:
    """Every source on the reachable server, every server through the ini and through
    env.py's environment variable (the driver's error text does not depend on the
    source); ``ALEMBIC_DJANGO_SECRETS_FULL=1`` runs the whole cross product."""
    full = bool(os.environ.get("ALEMBIC_DJANGO_SECRETS_FULL"))
    cases = []
    for source in SOURCES:
        for spelling in SPELLINGS:
            for server in SERVERS:
                if full or server == "postgresql" or source in ("ini", "env-var-unescaped"):
                    cases.append(pytest.param(source, spelling, server,
                                              id=f"{source}-{spelling.id}-{server}"))
    return cases


@pytest.mark.parametrize("source,spelling,server", _connect_matrix())
def test_commands_that_connect(source, spelling, server, tmp_path, capsys, monkeypatch, request):
    url = server_url(server, spelling, request)
    project = build(tmp_path, source, url, spelling, server)
    with _sys_path_restored():
        runs = run_matrix(project, spelling, [c for c in COMMANDS if c[2]], capsys,
                          monkeypatch)
    assert runs >= (10 if source == "config-args" else 20)


# -- the original, focused checks -----------------------------------------------------------

PASSWORD = "S3cr@t"
FORMS = ("S3cr", "%40t")  # the password's start, and its URL-encoded tail


def with_password(url: str, database: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url).set(password=PASSWORD)
    if database:
        u = u.set(database=database)
    return u.render_as_string(hide_password=False)


def project_ini(tmp_path, url: str) -> str:
    mig = tmp_path / "mig"
    (mig / "versions").mkdir(parents=True)
    (mig / "env.py").write_text(ENV_PY)
    (mig / "versions" / "aaaa1111_x.py").write_text(REVISION)
    ini = tmp_path / "alembic.ini"
    ini.write_text(f"[alembic]\nscript_location = %(here)s/mig\n"
                   f"sqlalchemy.url = {url.replace('%', '%%')}\n")
    return str(ini)


def assert_no_password(output: str) -> None:
    for form in FORMS:
        assert form not in output, f"password ({form!r}) leaked:\n{output}"


@pytest.mark.parametrize("argv", [["upgrade", "heads"], ["current", "-v"], ["config"],
                                  ["history", "-i"]], ids=lambda a: " ".join(a))
def test_password_hidden(postgresql_url, tmp_path, capsys, argv):
    ini = project_ini(tmp_path, with_password(postgresql_url))
    output = run_cli(["-c", ini, *argv], capsys, raiseerr=False)
    assert "FAILED" not in output, output
    assert_no_password(output)
    if argv[0] in ("current", "config"):
        assert "***" in output, "the URL is shown, masked"


def test_password_hidden_in_wrapped_driver_error(postgresql_url, tmp_path, capsys):
    ini = project_ini(tmp_path, with_password(postgresql_url, database="no_such_db_for_secrets"))
    output = run_cli(["-c", ini, "current", "-v"], capsys, raiseerr=False)
    assert "FAILED" in output
    assert "no_such_db_for_secrets" in output, output
    assert "Traceback" not in output
    assert_no_password(output)


@pytest.mark.parametrize("text,secret", [
    ("postgresql+psycopg://postgres:Zq%LeakTail9@127.0.0.1/db", "LeakTail9"),
    ("found: '%LeakTail9@127.0.0.1/db'", "LeakTail9"),
    ("Raw value: 'postgresql://u:%(pw)sTail9@h'", "Tail9"),
    ("mysql://root:Jy8@@Wqzk@127.0.0.1/db", "Wqzk"),
    ('could not translate host name "@Wqzk@127.0.0.1" to address', "Wqzk"),
    ("dbname=x password=hunter22 host=y", "hunter22"),
    ("dbname=x password='hun ter22' host=y", "ter22"),
    ("postgresql://u@h/db?sslmode=require&password=Qv7Lkz&x=1", "Qv7Lkz"),
    ("{'PASSWORD': 'Qv7Lkz', 'USER': 'u'}", "Qv7Lkz"),
    ("invalid interpolation syntax in 'postgresql://u:Zq%Leak@h/db' at position 18", "Leak"),
    ("postgres:S3cr@t@127.0.0.1:5432", "S3cr"),
    ("root:Qv7Lkz@localhost", "Qv7Lkz"),
], ids=["url", "configparser-fragment", "raw-value", "two-ats", "host-after-at",
        "dsn", "dsn-quoted", "query-string", "dict-repr", "set-option", "bare-userinfo",
        "bare-localhost"])
def test_mask_password_fragments(text, secret):
    from alembic_django.engine.config import mask_password

    masked = mask_password(text)
    assert secret not in masked and "***" in masked, masked


def test_mask_password_keeps_identifiers():
    from alembic_django.engine.config import mask_password

    for text in ("Can't locate revision identified by 'shop@head'", "branch@base",
                 "sqlite:////tmp/app.db", "postgresql://db.example:5432/app",
                 "Access denied for user 'root'@'localhost'",
                 "Requested range shop@base:shop@head does not refer to ancestor/descendant "
                 "revisions along the same branch"):
        assert mask_password(text) == text


def test_known_secrets_hide_every_spelling():
    from alembic_django.engine.config import mask_password

    text = "a Pq@7:Kx/%Wv b Pq%407%3AKx%2F%25Wv c Pq@7:Kx/%%Wv"
    masked = mask_password(text, [SPECIAL_PASSWORD])
    assert masked == "a *** b *** c ***", masked


def test_environment_is_not_searched_for_nothing():
    """The windows really are pieces of the password (a test that cannot fail is a defect)."""
    spelling = SPELLINGS[0]
    with pytest.raises(AssertionError):
        assert_hidden(spelling, f"x {ISSUE_PASSWORD[2:8]} y", "a planted leak")
    assert os.environ.get("SECRETS_TEST_URL") is None

"""Passwords never appear in ``manage.py alembic`` output: DATABASES' ``PASSWORD``.

The same check as ``test_guarantees_secrets.py`` for the Django source: a DATABASES alias
whose ``PASSWORD`` holds ``%`` (the issue's ``Zq%LeakTail9``) or ``@ : / %``, on
PostgreSQL (trust authentication: accepted), MariaDB (a wrong password: refused) and an
unreachable port; every command at every Django verbosity (``--verbosity 0`` to ``3``) and with
``--raiseerr`` / ``--traceback``, through ``run_from_argv`` -- what ``manage.py`` runs,
including the trace it prints.  All output and every file left are searched for each
4-character window of the password, raw and URL-encoded.
"""

from __future__ import annotations

from pathlib import Path

import django_settings
import pytest

django_settings.configure()

import django  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import override_settings  # noqa: E402
from test_guarantees_secrets import (  # noqa: E402
    ENV_PY,
    ISSUE_PASSWORD,
    MAKO,
    REVISION,
    SPECIAL_PASSWORD,
    Spelling,
    assert_hidden,
    written_text,
)

django.setup()

SPELLINGS = [Spelling("issue", ISSUE_PASSWORD, encode=False),
             Spelling("special", SPECIAL_PASSWORD, encode=True)]

COMMANDS = [
    ["heads"], ["history"], ["show", "head"], ["config"], ["revision", "-m", "new"],
    ["showmigrations"], ["upgrade", "heads", "--check"], ["upgrade", "heads"], ["current"],
    ["history", "-i"], ["show", "current"], ["check"], ["stamp", "heads"],
    ["downgrade", "base"], ["ensure_version"], ["upgrade", "heads", "--sql"],
]
VERBOSITIES = [["--verbosity", "0"], ["--verbosity", "1"], ["--verbosity", "2"],
               ["--verbosity", "3"], ["--raiseerr"], ["--traceback"]]


def settings_entry(server: str, password: str, request) -> dict:
    from sqlalchemy.engine import make_url

    if server == "unreachable":
        return {"ENGINE": "django.db.backends.postgresql", "NAME": "nowhere", "USER": "postgres",
                "PASSWORD": password, "HOST": "127.0.0.1", "PORT": "1"}
    url = make_url(request.getfixturevalue(f"{server}_url"))
    return {"ENGINE": f"django.db.backends.{server}", "NAME": url.database,
            "USER": url.username or "", "PASSWORD": password, "HOST": url.host or "",
            "PORT": str(url.port or "")}


@pytest.fixture
def alias():
    import logging

    logger = logging.getLogger("alembic_django")
    handlers, level = list(logger.handlers), logger.level
    yield "secrets"
    # ``--verbosity 3`` adds a handler bound to this test's captured stderr
    logger.handlers[:] = handlers
    logger.setLevel(level)
    connections.settings.pop("secrets", None)
    try:
        del connections["secrets"]
    except (AttributeError, KeyError):
        pass


def run_manage(argv: list[str], capsys) -> str:
    from alembic_django.management.commands.alembic import Command

    try:
        Command().run_from_argv(["manage.py", "alembic", *argv])
    except SystemExit:
        pass
    out = capsys.readouterr()
    return out.out + out.err


@pytest.mark.parametrize("server", ["postgresql", "mysql", "unreachable"])
@pytest.mark.parametrize("spelling", SPELLINGS, ids=[s.id for s in SPELLINGS])
def test_databases_password_hidden(server, spelling, alias, tmp_path: Path, capsys,
                                   monkeypatch, request):
    mig = tmp_path / "mig"
    (mig / "versions").mkdir(parents=True)
    (mig / "env.py").write_text(ENV_PY)
    (mig / "script.py.mako").write_text(MAKO)
    (mig / "versions" / "aaaa1111_first.py").write_text(REVISION)
    connections.settings[alias] = settings_entry(server, spelling.password, request)
    monkeypatch.chdir(tmp_path)
    runs = 0
    with override_settings(ALEMBIC={"default": {"script_location": mig, "database": alias}},
                           BASE_DIR=tmp_path):
        for argv in COMMANDS:
            for verbosity in VERBOSITIES:
                output = run_manage([*argv, *verbosity], capsys)
                assert_hidden(spelling, output, f"manage.py alembic {' '.join(argv + verbosity)}")
                runs += 1
    assert_hidden(spelling, written_text(tmp_path), "the files left in the project")
    assert runs == len(COMMANDS) * len(VERBOSITIES)

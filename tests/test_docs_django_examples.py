"""The console sessions of docs/django.rst print exactly what the tool prints (issue 15):
each ``$ command`` of a session is run in a fresh copy of the example project and its
output (stdout and stderr, as a terminal shows them) compared line by line.  Step timings
(``(0.016s)``) are the only thing normalised."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import django_settings
import pytest

DOCS = django_settings.REPO / "docs"
TIMING = re.compile(r"\(\d+\.\d{3}s\)")


def sessions(page: str) -> list[list[tuple[str, list[str]]]]:
    """Every ``.. code-block:: console`` of ``page``: [(command, output lines), ...]."""
    lines = (DOCS / page).read_text().splitlines()
    found = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == ".. code-block:: console":
            i += 2
            block: list[tuple[str, list[str]]] = []
            while i < len(lines) and (lines[i].startswith("   ") or not lines[i].strip()):
                text = lines[i][3:]
                if text.startswith("$ "):
                    block.append((text[2:], []))
                elif block:
                    block[-1][1].append(text)
                i += 1
            for _, out in block:
                while out and not out[-1].strip():
                    out.pop()
            found.append(block)
        else:
            i += 1
    return found


def session_starting(page: str, command: str) -> list[tuple[str, list[str]]]:
    for block in sessions(page):
        if block and block[0][0] == command:
            return block
    raise AssertionError(f"no console session in {page} starts with {command!r}")


@pytest.fixture
def example(tmp_path):
    shutil.copytree(django_settings.EXAMPLE, tmp_path / "example_project",
                    ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    return tmp_path


def shell(cwd: Path, command: str, last_status: int) -> tuple[str, int]:
    if command == "echo $?":
        return f"{last_status}\n", 0
    argv = shlex.split(command)
    assert argv[0] in ("python", "python3"), command
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(django_settings.REPO)
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.run([sys.executable, *argv[1:]], cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
    return proc.stdout, proc.returncode


def replay(cwd: Path, session, before=None) -> None:
    status = 0
    for n, (command, expected) in enumerate(session):
        if before:
            before(n, command)
        output, status = shell(cwd, command, status)
        got = [TIMING.sub("(T)", line) for line in output.rstrip("\n").splitlines()]
        want = [TIMING.sub("(T)", line) for line in expected]
        assert got == want, f"$ {command}"


def test_example_project_session(example):
    replay(example, session_starting(
        "django.rst", "python3 example_project/manage.py alembic --all upgrade heads"))


EXTRA_TABLE = ('\nextra = sa.Table("inventory_extra", metadata, '
               'sa.Column("id", sa.Integer, primary_key=True))\n')


def test_messages_session(example):
    project = example / "example_project"
    shell(project, "python manage.py alembic --all upgrade heads -v 0", 0)

    def before(n, command):
        if command.endswith("alembic check"):  # a model change without a revision
            with open(project / "inventory" / "tables.py", "a") as fh:
                fh.write(EXTRA_TABLE)

    replay(project, session_starting("django.rst", "python manage.py alembic upgrade heads"),
           before)


def test_config_session(example):
    [(command, expected)] = session_starting(
        "django.rst", "python example_project/manage.py alembic config")
    output, status = shell(example, command, 0)
    got = output.replace(str(example), "/tmp/ex").splitlines()
    assert status == 0 and got == expected


def test_runserver_session(example):
    project = example / "example_project"
    shell(project, "python manage.py alembic upgrade ae1027a6acf -v 0", 0)
    shell(project, "python manage.py alembic --name analytics upgrade 3cac04ae8714 -v 0", 0)
    [(command, expected)] = session_starting("django.rst", "python manage.py runserver")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(django_settings.REPO)
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload",
                             "127.0.0.1:0"], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Run '") or len(lines) > 40:
                break
    finally:
        proc.kill()
        proc.wait()
    assert lines == expected


SUPPLIER_EMAIL = ('\nsupplier.append_column(sa.Column("email", sa.String(254), nullable=True))\n')


def test_autogenerate_check_session(example):
    shell(example, "python example_project/manage.py alembic upgrade heads -v 0", 0)
    with open(example / "example_project" / "inventory" / "tables.py", "a") as fh:
        fh.write(SUPPLIER_EMAIL)
    replay(example, session_starting("autogenerate.rst",
                                     "python example_project/manage.py alembic check"))

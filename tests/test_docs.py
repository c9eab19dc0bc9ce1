"""The Sphinx documentation builds nitpicky, with warnings as errors.

The build runs in a subprocess (``python -m sphinx -n -W -b html docs <tmp>``), exactly as
a reader would build it: every cross-reference must resolve (``-n``) and any warning
fails the build (``-W``).  Without Sphinx the test skips, except under ``CI``, where the docs
extra is part of the test command and a missing Sphinx is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _require_sphinx() -> None:
    if importlib.util.find_spec("sphinx") is None:
        if os.environ.get("CI"):
            pytest.fail("Sphinx is not installed; CI installs the docs extra and must build the docs")
        pytest.skip("Sphinx is not installed (pip install -e '.[docs]')")


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory) -> Path:
    _require_sphinx()
    out = tmp_path_factory.mktemp("html")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(out / ".doctrees"), str(DOCS), str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, f"sphinx failed:\n{proc.stdout}\n{proc.stderr}"
    return out


def test_docs_build_without_warnings(built_docs):
    assert (built_docs / "index.html").is_file()


@pytest.mark.parametrize(
    "page",
    ["installation", "tutorial", "configuration", "django", "commands", "environments",
     "bases", "branches", "offline", "testing", "migrating", "guarantees", "architecture",
     "benchmarks", "autogenerate", "operations", "json", "api", "squashing", "deploying",
     "fleet"],
)
def test_page_is_built_and_linked(built_docs, page):
    assert (built_docs / f"{page}.html").is_file()
    assert f'href="{page}.html"' in (built_docs / "index.html").read_text(encoding="utf-8")


def test_command_reference_lists_every_registered_command(built_docs):
    spec = importlib.util.spec_from_file_location("commandref", DOCS / "_ext" / "commandref.py")
    commandref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(commandref)
    commands = commandref.load_commands()
    assert len(commands) >= 16, sorted(commands)
    html = (built_docs / "commands.html").read_text(encoding="utf-8")
    missing = [name for name in commands if f'id="command-{name.replace("_", "-")}"' not in html]
    assert not missing, f"commands missing from the reference: {missing}"


def test_no_option_name_turned_into_a_dash(built_docs):
    """``--sql`` must not come out as an en-dash ("–sql") or an em-dash anywhere."""
    import re

    bad = {}
    for page in built_docs.glob("*.html"):
        found = re.findall(r"[\u2013\u2014][a-z][\w-]*", page.read_text(encoding="utf-8"))
        if found:
            bad[page.name] = sorted(set(found))
    assert not bad, bad


@pytest.mark.parametrize("anchor", [
    "alembic_django.command.upgrade",
    "alembic_django.command.sqlmigrate",
    "alembic_django.command.squash",
    "alembic_django.config.Config",
    "alembic_django.config.Config.get_main_option",
    "alembic_django.engine.errors.CommandError",
    "alembic_django.engine.runtime.environment.EnvironmentContext.configure",
    "alembic_django.engine.operations.Operations.add_column",
    "alembic_django.engine.operations.Operations.batch_alter_table",
    "alembic_django.testing.MigrationRunner",
    "alembic_django.conf.get_config",
])
def test_api_reference_documents(built_docs, anchor):
    html = (built_docs / "api.html").read_text(encoding="utf-8")
    assert f'id="{anchor}"' in html


def test_json_schemas_are_shown(built_docs):
    html = (built_docs / "json.html").read_text(encoding="utf-8")
    for name in ("revision", "heads", "branches", "history", "show", "current", "check",
                 "showmigrations"):
        assert f"https://alembic-django.invalid/json-schemas/{name}.json" in html, name

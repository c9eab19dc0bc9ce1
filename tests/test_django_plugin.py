"""The pytest11 plugin's fixtures in a user's project (subprocess pytest runs)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example_project"

pytest.importorskip("alembic_django.command")

PLAIN_TESTS = '''
def test_single_head(alembic_django_runner):
    assert alembic_django_runner.check_single_head() == "53fffde5ad5"


def test_round_trip(alembic_django_runner):
    stepped = alembic_django_runner.check_roundtrip()
    assert len(stepped) == 4
    assert alembic_django_runner.current() == ("53fffde5ad5",)


def test_step_by_step(alembic_django_runner):
    alembic_django_runner.downgrade("base")
    alembic_django_runner.migrate_up_to("ae1027a6acf")
    assert alembic_django_runner.current() == ("ae1027a6acf",)
    assert list(alembic_django_runner.iterate_up()) == ["27c6a30d7c24", "53fffde5ad5"]
'''

BROKEN_TESTS = '''
def test_single_head(alembic_django_runner):
    alembic_django_runner.check_single_head()
'''


def _pytest(root: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(EXAMPLE), str(REPO)])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA"],
        cwd=root, env=env, capture_output=True, text=True, timeout=240,
    )


@pytest.fixture
def plain_project(tmp_path):
    """An Alembic project without Django: alembic.ini in pytest's rootdir."""
    shutil.copytree(EXAMPLE / "alembic", tmp_path / "alembic",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/alembic\n"
        "sqlalchemy.url = sqlite:///%(here)s/plain.db\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return tmp_path


def test_fixtures_without_django(plain_project):
    (plain_project / "test_migrations.py").write_text(PLAIN_TESTS)
    proc = _pytest(plain_project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout


def test_single_head_check_fails_on_two_heads(plain_project):
    versions = plain_project / "alembic" / "versions"
    (versions / "99aa_extra.py").write_text(
        '"""extra\n\nRevision ID: 99aa00000001\nRevises: 1975ea83b712\n"""\n'
        "revision = '99aa00000001'\ndown_revision = '1975ea83b712'\nbranch_labels = None\n"
        "depends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
    )
    (plain_project / "test_migrations.py").write_text(BROKEN_TESTS)
    proc = _pytest(plain_project)
    assert proc.returncode == 1
    assert "expected a single head revision, found 2" in proc.stdout


def test_without_any_configuration_the_fixture_skips(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_x.py").write_text("def test_x(alembic_django_config):\n    pass\n")
    proc = _pytest(tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "override the alembic_django_config fixture" in proc.stdout

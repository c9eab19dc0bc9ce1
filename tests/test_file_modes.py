"""Files the tool writes honour the umask, as ``open(path, "w")`` would (issue 15):
0644 under umask 022, 0600 under 077 -- ``init``'s files, ``revision``'s files, the
index cache; replacing an existing file keeps its mode."""

from __future__ import annotations

import os
import stat
from io import StringIO

import pytest

from alembic_django.cli import main
from alembic_django.engine.util.files import write_atomic

UMASKS = pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600),
                                                 (0o002, 0o664)], ids=["022", "077", "002"])


@pytest.fixture
def set_umask():
    saved = os.umask(0o022)
    os.umask(saved)

    def set_(value: int) -> None:
        os.umask(value)

    yield set_
    os.umask(saved)


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@UMASKS
def test_write_atomic_new_file(tmp_path, set_umask, mask, mode):
    set_umask(mask)
    write_atomic(str(tmp_path / "a.txt"), "x")
    write_atomic(str(tmp_path / "b.txt"), "y", overwrite=False)
    assert mode_of(tmp_path / "a.txt") == mode
    assert mode_of(tmp_path / "b.txt") == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]  # no temp left


def test_replacing_keeps_the_files_mode(tmp_path, set_umask):
    path = tmp_path / "pyproject.toml"
    path.write_text("a")
    os.chmod(path, 0o640)
    set_umask(0o077)
    write_atomic(str(path), "b")
    assert path.read_text() == "b" and mode_of(path) == 0o640


@UMASKS
def test_init_and_revision_files(tmp_path, monkeypatch, set_umask, mask, mode):
    monkeypatch.chdir(tmp_path)
    set_umask(mask)
    assert main(["init", "alembic"], stdout=StringIO()) == 0
    assert main(["revision", "-m", "first", "--rev-id", "f1"], stdout=StringIO()) == 0
    assert main(["heads"], stdout=StringIO()) == 0  # writes the index cache
    written = [tmp_path / "alembic.ini", tmp_path / "alembic" / "env.py",
               tmp_path / "alembic" / "README", tmp_path / "alembic" / "script.py.mako",
               tmp_path / "alembic" / "versions" / "f1_first.py",
               tmp_path / "alembic" / "versions" / ".alembic_django_index.json"]
    assert {str(p): mode_of(p) for p in written} == {str(p): mode for p in written}

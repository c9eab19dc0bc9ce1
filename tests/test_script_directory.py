"""The script directory: header parsing without imports, the index cache, revision
writing (file_template, encoding, hooks) and read-only commands that never import
SQLAlchemy."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from alembic_django.cli import main
from alembic_django.engine.config import Config
from alembic_django.engine.errors import CommandError
from alembic_django.engine.script.cache import CACHE_NAME
from alembic_django.engine.script.cache import FORMAT as CACHE_FORMAT
from alembic_django.engine.script.directory import ScriptDirectory


def run(*argv: str, ok: bool = True) -> str:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    if ok:
        assert code == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    run("init", "alembic")
    return tmp_path


def rev_file(root: Path, rev: str, down, body: str = "", name: str | None = None) -> Path:
    path = root / "alembic" / "versions" / (name or f"{rev}_x.py")
    path.write_text(textwrap.dedent(f'''\
        """message for {rev}"""
        revision = {rev!r}
        down_revision = {down!r}
        branch_labels = None
        depends_on = None
        {body}
        def upgrade():
            pass
        def downgrade():
            pass
        '''))
    return path


def test_headers_are_read_without_executing(env):
    rev_file(env, "aaaa", None, body="raise RuntimeError('executed!')")
    rev_file(env, "bbbb", "aaaa")
    assert run("heads") == "bbbb (head)\n"
    assert run("history") == ("aaaa -> bbbb (head), message for bbbb\n"
                              "<base> -> aaaa, message for aaaa\n")


def test_non_literal_header_executes_module(env):
    rev_file(env, "aaaa", None)
    path = env / "alembic" / "versions" / "b_x.py"
    path.write_text("revision = 'bb' + 'bb'\ndown_revision = 'aaaa'\n")
    assert run("heads") == "bbbb (head)\n"


def test_non_revision_file_is_refused(env):
    """As Alembic: a .py file without ``revision`` in a version location is an error
    (named, with its path), not a warning, on every read -- cached or not."""
    rev_file(env, "aaaa", None)
    helper = env / "alembic" / "versions" / "helpers.py"
    helper.write_text("X = 1\n")
    for _ in range(2):  # the second read hits the index cache
        out = run("heads", ok=False)
        assert out.startswith("FAILED: Could not determine revision id from filename helpers.py. "
                              "Be sure the 'revision' variable is declared inside the script ("), out
        assert str(helper) in out and out.count("\n") == 1


def test_legacy_hex_file_name_names_the_revision(env):
    """Alembic 0.1's layout: no ``revision`` variable, the file name is the id."""
    rev_file(env, "aaaa", None)
    (env / "alembic" / "versions" / "bbbb.py").write_text(
        "down_revision = 'aaaa'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n")
    assert run("heads") == "bbbb (head)\n"


def test_cache_invalidated_on_edit_add_delete_and_corruption(env):
    a = rev_file(env, "aaaa", None)
    b = rev_file(env, "bbbb", "aaaa")
    assert run("heads") == "bbbb (head)\n"
    cache = env / "alembic" / "versions" / CACHE_NAME
    data = json.loads(cache.read_text())
    assert set(data["entries"]) == {a.name, b.name}
    # edit: bbbb now branches from base
    time.sleep(0.01)
    b.write_text(b.read_text().replace("down_revision = 'aaaa'", "down_revision = None"))
    os.utime(b, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert sorted(run("heads").splitlines()) == ["aaaa (head)", "bbbb (head)"]
    # add
    rev_file(env, "cccc", ("aaaa", "bbbb"))
    assert run("heads") == "cccc (head)\n"
    # delete
    (env / "alembic" / "versions" / "cccc_x.py").unlink()
    assert sorted(run("heads").splitlines()) == ["aaaa (head)", "bbbb (head)"]
    assert "cccc_x.py" not in json.loads(cache.read_text())["entries"]
    # corrupt cache is ignored and rebuilt
    cache.write_text("{not json")
    assert sorted(run("heads").splitlines()) == ["aaaa (head)", "bbbb (head)"]
    assert json.loads(cache.read_text())["format"] == CACHE_FORMAT
    # a cache entry lying about the header is not trusted once the file changes size
    data = json.loads(cache.read_text())
    data["entries"][a.name][2]["revision"] = "zzzz"
    data["entries"][a.name][0] += 1
    cache.write_text(json.dumps(data))
    assert "zzzz" not in run("heads")


def test_cache_concurrent_writers(env):
    for i in range(50):
        rev_file(env, f"r{i:03d}", f"r{i - 1:03d}" if i else None)
    procs = [subprocess.Popen([sys.executable, "-m", "alembic_django", "heads"], cwd=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert out == "r049 (head)\n"
    data = json.loads((env / "alembic" / "versions" / CACHE_NAME).read_text())
    assert len(data["entries"]) == 50


@pytest.mark.parametrize("argv", [["heads"], ["branches"], ["history"], ["show", "aaaa"],
                                  ["heads", "-v"], ["history", "--graph"]])
def test_read_only_commands_do_not_import_sqlalchemy(env, argv):
    rev_file(env, "aaaa", None)
    code = ("import sys\nfrom alembic_django.cli import main\n"
            f"rc = main({argv!r})\n"
            "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy was imported'\n"
            "sys.exit(rc)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_file_template_tokens_timezone_and_slug(env):
    ini = env / "alembic.ini"
    ini.write_text(ini.read_text().replace(
        "# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s",
        "file_template = %%(epoch)s_%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d"
        "%%(second).2d-%%(rev)s_%%(slug)s\ntimezone = Asia/Tokyo\ntruncate_slug_length = 10"))
    out = run("revision", "-m", "Hello, wonderful world!", "--rev-id", "abc123")
    name = Path(out.split()[1]).name
    epoch, rest = name.split("_", 1)
    assert int(epoch) > 1_700_000_000
    assert rest.endswith("-abc123_hello_.py")
    text = (env / "alembic" / "versions" / name).read_text()
    assert "+09:00" in text  # Create Date in the configured zone


@pytest.mark.parametrize("bad,chars", [("ab@c", "@"), ("a-b", "-"), ("a+b", "+"), ("a:b", ":")])
def test_rev_id_with_reserved_characters(env, bad, chars):
    out = run("revision", "-m", "x", "--rev-id", bad, ok=False)
    # Alembic's text
    assert out.startswith(f"FAILED: Character(s) '{chars}' not allowed in revision identifier "
                          f"'{bad}'")
    assert list((env / "alembic" / "versions").glob("*.py")) == []


def test_never_overwrites(env):
    run("revision", "-m", "x", "--rev-id", "abc")
    out = run("revision", "-m", "x", "--rev-id", "abc", ok=False)
    assert out.startswith("FAILED: Revision abc already exists")


def test_output_encoding(env):
    ini = env / "alembic.ini"
    ini.write_text(ini.read_text().replace("# output_encoding = utf-8", "output_encoding = latin-1"))
    mako = env / "alembic" / "script.py.mako"
    mako.write_text("#!python\n# -*- coding: latin-1 -*-\n" + mako.read_text())
    out = run("revision", "-m", "café au lait", "--rev-id", "c1")
    path = Path(out.split()[1])
    assert "café".encode("latin-1") in path.read_bytes()


def test_depends_on_and_resolve_dependencies(env):
    run("revision", "-m", "a", "--rev-id", "a1")
    run("revision", "-m", "b", "--rev-id", "b1", "--head", "base", "--branch-label", "other")
    run("revision", "-m", "c", "--rev-id", "c1", "--head", "a1", "--depends-on", "other")
    text = next((env / "alembic" / "versions").glob("c1_*.py")).read_text()
    assert "depends_on: Union[str, Sequence[str], None] = 'other'" in text
    assert sorted(run("heads").splitlines()) == ["b1 (other) (effective head)", "c1 (head)"] \
        or sorted(run("heads").splitlines()) == ["b1 (other) (head)", "c1 (head)"]
    assert run("heads", "--resolve-dependencies") == "c1 (head)\n"
    assert "a1 (other) -> c1 (head), c" in run("history") or \
        "a1 (b1) -> c1 (head), c" in run("history")


def test_post_write_hook_runs_and_failure_keeps_file(env):
    ini = env / "alembic.ini"
    marker = env / "hooked.txt"
    script = env / "hook.py"
    script.write_text("import sys, pathlib\n"
                      f"pathlib.Path({str(marker)!r}).write_text(sys.argv[1])\n")
    ini.write_text(ini.read_text() + textwrap.dedent(f"""
        [post_write_hooks]
        hooks = mark
        mark.type = exec
        mark.executable = {sys.executable}
        mark.options = {script} REVISION_SCRIPT_FILENAME
    """))
    out = run("revision", "-m", "hooked", "--rev-id", "h1")
    assert out.splitlines()[-1] == "Running post write hook 'mark' ...  done"
    assert marker.read_text().endswith("h1_hooked.py")
    ini.write_text(ini.read_text().replace(f"mark.options = {script}", "mark.options = -c 'import sys; sys.exit(3)'"))
    out = run("revision", "-m", "second", "--rev-id", "h2", ok=False)
    assert out.startswith("Generating ")
    assert "FAILED: " in out and "mark" in out and "was written and kept" in out
    assert list((env / "alembic" / "versions").glob("h2_*.py"))


def test_history_graph_and_dot(env):
    run("revision", "-m", "a", "--rev-id", "a1")
    run("revision", "-m", "b", "--rev-id", "b1")
    run("revision", "-m", "c", "--rev-id", "c1", "--head", "a1", "--splice",
        "--branch-label", "side")
    run("merge", "-m", "merge", "--rev-id", "m1", "heads")
    graph = run("history", "--graph").splitlines()
    assert graph[0].startswith("*") and "m1" in graph[0] and "[head]" in graph[0] and \
        "[mergepoint]" in graph[0]
    joined = "\n".join(graph)
    assert "a1" in joined and "[branchpoint]" in joined and "(side)" in joined
    assert joined.index("m1") < joined.index("b1") < joined.index("a1")
    dot = run("history", "--format", "dot")
    assert dot.startswith("digraph revisions {")
    assert '"m1" -> "b1";' in dot and '"m1" -> "c1";' in dot and '"b1" -> "a1";' in dot


def test_show_and_branches_output(env):
    run("revision", "-m", "a", "--rev-id", "a1")
    run("revision", "-m", "b", "--rev-id", "b1")
    run("revision", "-m", "c", "--rev-id", "c1", "--head", "a1", "--splice")
    out = run("show", "a1")
    assert out.startswith("Rev: a1 (branchpoint)\nParent: <base>\nBranches into: b1, c1\nPath: ")
    assert "\n    a\n" in out
    assert run("branches") == ("a1 (branchpoint)\n"
                               "   -> b1 (head)\n"
                               "   -> c1 (head)\n\n")


def test_script_directory_api(env):
    run("revision", "-m", "a", "--rev-id", "a1")
    cfg = Config(str(env / "alembic.ini"))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == "a1"
    assert script.get_heads() == ["a1"] and script.get_bases() == ["a1"]
    rev = script.get_revision("a1")
    assert rev.doc == "a" and rev.path.endswith("a1_a.py")
    assert [r.revision for r in script.walk_revisions()] == ["a1"]
    new = script.generate_revision("b1", "b", head="a1")
    assert new.revision == "b1" and new.down_revision == "a1"
    with pytest.raises(CommandError):
        script.get_revision("zzzz")


HEADER_SOURCES = {
    "generated": '"""add a column\n\nRevision ID: ab\n"""\nfrom typing import Union\n'
                 "revision: str = 'ab'\ndown_revision: Union[str, None] = 'aa'\n"
                 "branch_labels = None\ndepends_on = None\n",
    "comments-and-tuple": "# header\n'''merge'''\nrevision = 'm1'  # the id\n"
                          "down_revision = ('a', 'b')\nbranch_labels = ('x',)\ndepends_on = None\n",
    "multi-line-tuple": '"""m"""\nrevision = "m1"\ndown_revision = (\n    "a",\n    "b",\n)\n'
                        "branch_labels = None\ndepends_on = None\n",
    "no-docstring": "revision = 'r'\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n",
    "escaped-docstring": '"""tab\\there"""\nrevision = "r"\ndown_revision = None\n'
                         "branch_labels = None\ndepends_on = None\n",
    "conditional": '"""c"""\nrevision = "r"\ndown_revision = None\nbranch_labels = None\n'
                   "depends_on = None\nif True:\n    down_revision = 'x'\n",
    "reassigned": '"""c"""\nrevision = "r"\nrevision = "s"\ndown_revision = None\n'
                  "branch_labels = None\ndepends_on = None\n",
    "missing-keys": '"""c"""\nrevision = "r"\ndown_revision = None\n',
}


@pytest.mark.parametrize("name", list(HEADER_SOURCES))
def test_fast_header_agrees_with_the_ast(tmp_path, name):
    """The fast header reader answers exactly as the AST reader, or defers to it."""
    from alembic_django.engine.script import parse

    source = HEADER_SOURCES[name].encode()
    path = tmp_path / "r.py"
    path.write_bytes(source)
    fast = parse._fast_header(source)
    saved = parse._fast_header
    parse._fast_header = lambda s: None
    try:
        slow = parse.read_header(str(path), source)
    finally:
        parse._fast_header = saved
    if fast is not None:
        assert fast == slow
    if name == "conditional":
        assert slow is None  # rebinding inside an `if`: the module must be executed
    assert name not in ("generated", "comments-and-tuple", "no-docstring") or fast is not None
    assert name not in ("multi-line-tuple", "conditional", "reassigned", "missing-keys") \
        or fast is None

"""The standalone command line: init / list_templates / config, global options and errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap

import pytest

from alembic_django.cli import main

TEMPLATES = ["async", "django", "generic", "multidb", "pyproject", "pyproject_async"]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALEMBIC_CONFIG", raising=False)
    return tmp_path


def test_list_templates(project):
    code, out = run("list_templates")
    assert code == 0
    assert out.startswith("Available templates:\n\n")
    assert "generic - Generic single-database configuration.\n" in out
    assert "multidb - Rudimentary multi-database configuration.\n" in out
    for name in TEMPLATES:
        assert f"\n{name} - " in out


@pytest.mark.parametrize("template", TEMPLATES)
def test_init_every_template(project, template):
    code, out = run("init", "-t", template, "migrations")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == f"Creating directory {project / 'migrations'} ...  done"
    assert lines[1] == f"Creating directory {project / 'migrations' / 'versions'} ...  done"
    assert f"Generating {project / 'migrations' / 'env.py'} ...  done" in lines
    assert f"Generating {project / 'migrations' / 'script.py.mako'} ...  done" in lines
    assert lines[-1].startswith("Please edit ")
    assert (project / "migrations" / "env.py").exists()
    assert (project / "alembic.ini").exists()
    if template in ("pyproject", "pyproject_async"):
        assert f"Generating {project / 'pyproject.toml'} ...  done" in lines
        text = (project / "pyproject.toml").read_text()
        assert 'script_location = "%(here)s/migrations"' in text
    else:
        assert "script_location = %(here)s/migrations" in (project / "alembic.ini").read_text()
    # the environment is usable right away by read-only commands
    code, out = run("heads")
    assert code == 0, out
    assert out == ""


def test_init_appends_to_existing_pyproject(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    code, out = run("init", "-t", "pyproject", "alembic")
    assert code == 0, out
    assert f"Appending to {project / 'pyproject.toml'} ...  done" in out
    text = (project / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "x"\n') and "[tool.alembic]" in text


def test_init_package(project):
    code, out = run("init", "--package", "alembic")
    assert code == 0
    assert (project / "alembic" / "__init__.py").exists()
    assert (project / "alembic" / "versions" / "__init__.py").exists()


@pytest.mark.parametrize(
    "argv,setup,message",
    [
        (["init", "-t", "nope", "x"], None, "No such template 'nope'"),
        (["init", "x"], "nonempty", "Directory {p}/x already exists and is not empty"),
        (["heads"], None, "No config file 'alembic.ini' found, or file has no '[alembic]' section"),
        (["-c", "missing.ini", "heads"], None, "No config file 'missing.ini' found"),
        (["-n", "other", "heads"], "ini", "No config file 'alembic.ini' found, or file has no "
                                          "'[other]' section"),
        (["heads"], "no_location", "No 'script_location' key found in configuration"),
        (["heads"], "bad_interp", "alembic.ini [alembic] script_location: bad interpolation"),
        (["revision", "-m", "x"], "bad_tz", "Can't locate timezone: Mars/Olympus"),
        (["heads"], "bad_sep", "alembic.ini [alembic]: path_separator has invalid value '|'"),
        (["heads"], "no_dir", "Path doesn't exist: {p}/gone"),
    ],
    ids=["unknown-template", "nonempty-init", "no-config", "missing-c", "missing-section",
         "missing-script_location", "bad-interpolation", "unknown-timezone", "bad-separator",
         "missing-directory"],
)
def test_bad_input_one_line(project, argv, setup, message):
    (project / "alembic" / "versions").mkdir(parents=True)
    (project / "alembic" / "script.py.mako").write_text("x = 1\n")
    ini = "[alembic]\nscript_location = %(here)s/alembic\n"
    if setup == "nonempty":
        (project / "x").mkdir()
        (project / "x" / "f").write_text("")
    elif setup == "ini":
        (project / "alembic.ini").write_text(ini)
    elif setup == "no_location":
        (project / "alembic.ini").write_text("[alembic]\nsqlalchemy.url = sqlite://\n")
    elif setup == "bad_interp":
        (project / "alembic.ini").write_text("[alembic]\nscript_location = 100% bad\n")
    elif setup == "bad_tz":
        (project / "alembic.ini").write_text(ini + "timezone = Mars/Olympus\n")
    elif setup == "bad_sep":
        (project / "alembic.ini").write_text(ini + "path_separator = |\nversion_locations = a|b\n")
    elif setup == "no_dir":
        (project / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/gone\n")
    before = sorted(str(p) for p in project.rglob("*"))
    code, out = run(*argv)
    assert code == 255
    assert out.count("\n") == 1, out
    assert out.startswith("FAILED: " + message.format(p=project)), out
    assert "Traceback" not in out
    assert sorted(str(p) for p in project.rglob("*")) == before  # nothing half-written


def test_raiseerr_shows_the_exception(project):
    from alembic_django.engine.errors import CommandError

    with pytest.raises(CommandError):
        main(["--raiseerr", "heads"], stdout=io.StringIO())


def test_version_and_python_m(project):
    proc = subprocess.run([sys.executable, "-m", "alembic_django", "--version"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.startswith("alembic-django ")
    proc = subprocess.run([sys.executable, "-m", "alembic_django", "heads"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 255
    assert proc.stdout.startswith("FAILED: No config file")
    assert "Traceback" not in proc.stdout + proc.stderr


def test_pyproject_only_environment(project):
    code, out = run("init", "-t", "pyproject", "alembic")
    assert code == 0
    os.remove(project / "alembic.ini")
    text = (project / "pyproject.toml").read_text()
    (project / "pyproject.toml").write_text(text)
    code, out = run("revision", "-m", "first")
    assert code == 0, out
    assert out.startswith("Generating ") and out.rstrip().endswith("_first.py ...  done")
    code, out = run("heads")
    assert code == 0 and out.endswith(" (head)\n")
    code, out = run("history")
    assert ", first" in out
    code, out = run("config")
    assert "script_location = " in out and "pyproject.toml [tool.alembic]" in out


def test_config_command_masks_passwords_and_names_sources(project):
    (project / "alembic").mkdir()
    (project / "alembic.ini").write_text(textwrap.dedent("""
        [DEFAULT]
        sqlalchemy.url = postgresql://scott:tiger@db/app
        [alembic]
        script_location = %(here)s/alembic
        timezone = UTC
    """))
    (project / "pyproject.toml").write_text('[tool.alembic]\ntruncate_slug_length = 20\n')
    code, out = run("config")
    assert code == 0
    assert "tiger" not in out
    assert "sqlalchemy.url = postgresql://scott:***@db/app    # alembic.ini [DEFAULT]" in out
    assert "timezone = UTC    # alembic.ini [alembic]" in out
    assert "truncate_slug_length = 20    # pyproject.toml [tool.alembic]" in out
    assert "file_template = %(rev)s_%(slug)s    # default" in out
    assert out.splitlines()[0].startswith("# sources, highest precedence first: alembic.ini")


def test_alembic_config_env_and_two_c_options(project, monkeypatch):
    (project / "envs").mkdir()
    code, out = run("-c", "envs/my.ini", "init", "envs/scripts")
    assert code == 0
    assert (project / "envs" / "my.ini").exists()
    monkeypatch.setenv("ALEMBIC_CONFIG", "envs/my.ini")
    code, out = run("revision", "-m", "via env var")
    assert code == 0, out
    monkeypatch.delenv("ALEMBIC_CONFIG")
    (project / "pyproject.toml").write_text('[tool.alembic]\ntruncate_slug_length = 5\n')
    code, out = run("-c", "envs/my.ini", "-c", "pyproject.toml", "revision", "-m", "long message")
    assert code == 0, out
    assert "_long_.py" in out
    code, out = run("-c", "a.ini", "-c", "b.ini", "heads")
    assert code == 255 and "at most one ini file" in out


def test_x_arguments_reach_env(project):
    from argparse import Namespace

    from alembic_django.engine.config import Config
    from alembic_django.engine.runtime.environment import EnvironmentContext

    cfg = Config(cmd_opts=Namespace(x=["a=1", "flag"]))
    env = EnvironmentContext(cfg, None)
    assert env.get_x_argument() == ["a=1", "flag"]
    assert env.get_x_argument(as_dictionary=True) == {"a": "1", "flag": ""}


def test_init_skips_an_existing_ini(project):
    (project / "alembic.ini").write_text("[alembic]\nscript_location = keep\n")
    code, out = run("init", "second")
    assert code == 0, out
    assert f"File {project / 'alembic.ini'} already exists, skipping" in out
    assert (project / "alembic.ini").read_text() == "[alembic]\nscript_location = keep\n"
    assert (project / "second" / "env.py").exists()

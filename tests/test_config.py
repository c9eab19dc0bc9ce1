"""Configuration: alembic.ini, [tool.alembic] and a mapping, merged with a stated precedence."""

from __future__ import annotations

import io
import os
import textwrap
from pathlib import Path

import pytest

from alembic_django.engine.config import Config
from alembic_django.engine.errors import ConfigError
from alembic_django.engine.script.location import script_directory_options


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    d = tmp_path / "migrations"
    (d / "versions").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    return d


# Every seed-003 key, given the same way through each of the three sources.
# (key, ini text, toml value, mapping value, expected typed option)
KEYS = [
    ("file_template", "%%(year)d_%%(rev)s_%%(slug)s", "%%(year)d_%%(rev)s_%%(slug)s",
     "%(year)d_%(rev)s_%(slug)s", "%(year)d_%(rev)s_%(slug)s"),
    ("timezone", "Europe/Paris", "Europe/Paris", "Europe/Paris", "Europe/Paris"),
    ("truncate_slug_length", "12", 12, 12, 12),
    ("revision_environment", "true", True, True, True),
    ("sourceless", "true", True, True, True),
    ("recursive_version_locations", "true", True, True, True),
    ("output_encoding", "latin-1", "latin-1", "latin-1", "latin-1"),
]


def _options(cfg: Config) -> dict:
    return script_directory_options(cfg)


@pytest.mark.parametrize("source", ["ini", "toml", "mapping"])
@pytest.mark.parametrize("key,ini,toml,mapping,expected", KEYS, ids=[k[0] for k in KEYS])
def test_every_key_through_every_source(tmp_path, scripts, source, key, ini, toml, mapping,
                                        expected):
    if source == "ini":
        write(tmp_path / "alembic.ini", f"""
            [alembic]
            script_location = %(here)s/migrations
            {key} = {ini}
        """)
        cfg = Config(tmp_path / "alembic.ini")
    elif source == "toml":
        value = f'"{toml}"' if isinstance(toml, str) else str(toml).lower()
        write(tmp_path / "pyproject.toml", f"""
            [tool.alembic]
            script_location = "%(here)s/migrations"
            {key} = {value}
        """)
        cfg = Config(toml_file=tmp_path / "pyproject.toml")
    else:
        cfg = Config(mapping={"script_location": scripts, key: mapping})
    opts = _options(cfg)
    assert opts["dir"] == str(scripts)
    if key == "truncate_slug_length":
        assert opts[key] == expected
    elif key == "revision_environment":
        assert cfg.get_alembic_boolean_option(key) is True
    else:
        assert opts[key] == expected
    assert cfg.origin_of(key) == {
        "ini": "alembic.ini [alembic]", "toml": "pyproject.toml [tool.alembic]",
        "mapping": "mapping"}[source]


@pytest.mark.parametrize("source", ["ini", "toml", "mapping"])
def test_list_keys_through_every_source(tmp_path, scripts, source):
    a, b = tmp_path / "migrations" / "versions", tmp_path / "other"
    if source == "ini":
        write(tmp_path / "alembic.ini", """
            [alembic]
            script_location = %(here)s/migrations
            path_separator = os
            version_locations = %(here)s/migrations/versions""" + os.pathsep + """%(here)s/other
            prepend_sys_path = .""" + os.pathsep + """%(here)s/lib
        """)
        cfg = Config(tmp_path / "alembic.ini")
    elif source == "toml":
        write(tmp_path / "pyproject.toml", """
            [tool.alembic]
            script_location = "%(here)s/migrations"
            version_locations = ["%(here)s/migrations/versions", "%(here)s/other"]
            prepend_sys_path = [".", "%(here)s/lib"]
        """)
        cfg = Config(toml_file=tmp_path / "pyproject.toml")
    else:
        cfg = Config(mapping={"script_location": scripts, "version_locations": [a, b],
                              "prepend_sys_path": [".", tmp_path / "lib"]})
    assert _options(cfg)["version_locations"] == [str(a), str(b)]
    assert cfg.get_alembic_list_option("prepend_sys_path") == [".", str(tmp_path / "lib")]


@pytest.mark.parametrize("sep,joiner", [("os", os.pathsep), (":", ":"), (";", ";"),
                                        ("space", " "), ("newline", "\n    ")])
def test_path_separator_values(tmp_path, scripts, sep, joiner):
    write(tmp_path / "alembic.ini", "[alembic]\nscript_location = %(here)s/migrations\n"
          f"path_separator = {sep}\nversion_locations = /a/x{joiner}/b/y\n")
    cfg = Config(tmp_path / "alembic.ini")
    assert cfg.get_alembic_list_option("version_locations") == ["/a/x", "/b/y"]


def test_legacy_version_path_separator_and_space_comma_fallback(tmp_path, scripts):
    write(tmp_path / "alembic.ini", """
        [alembic]
        script_location = %(here)s/migrations
        version_path_separator = ;
        version_locations = /a;/b c
    """)
    assert Config(tmp_path / "alembic.ini").get_alembic_list_option("version_locations") == [
        "/a", "/b c"]
    write(tmp_path / "old.ini", """
        [alembic]
        script_location = %(here)s/migrations
        version_locations = /a, /b /c
    """)
    with pytest.warns(DeprecationWarning, match="path_separator"):
        assert Config(tmp_path / "old.ini").get_alembic_list_option("version_locations") == [
            "/a", "/b", "/c"]


def test_bad_path_separator(tmp_path, scripts):
    write(tmp_path / "alembic.ini", """
        [alembic]
        script_location = %(here)s/migrations
        path_separator = |
        version_locations = /a|/b
    """)
    with pytest.raises(ConfigError, match=r"alembic.ini \[alembic\]: path_separator has invalid "
                                          r"value '\|'"):
        Config(tmp_path / "alembic.ini").get_alembic_list_option("version_locations")


def test_precedence_mapping_over_ini_over_toml(tmp_path, scripts):
    write(tmp_path / "alembic.ini", """
        [alembic]
        script_location = %(here)s/migrations
        truncate_slug_length = 20
        timezone = UTC
    """)
    write(tmp_path / "pyproject.toml", """
        [tool.alembic]
        script_location = "%(here)s/nowhere"
        truncate_slug_length = 30
        output_encoding = "latin-1"
        file_template = "%%(rev)s"
    """)
    cfg = Config(tmp_path / "alembic.ini", toml_file=tmp_path / "pyproject.toml",
                 mapping={"timezone": "Europe/Oslo"}, mapping_origin="settings.ALEMBIC['default']")
    assert cfg.get_alembic_option("truncate_slug_length") == "20"
    assert cfg.origin_of("truncate_slug_length") == "alembic.ini [alembic]"
    assert cfg.get_alembic_option("timezone") == "Europe/Oslo"
    assert cfg.origin_of("timezone") == "settings.ALEMBIC['default']"
    assert cfg.get_alembic_option("output_encoding") == "latin-1"
    assert cfg.get_alembic_option("file_template") == "%(rev)s"
    assert cfg.origin_of("file_template") == "pyproject.toml [tool.alembic]"
    assert cfg.origin_of("truncate_slug_length") == "alembic.ini [alembic]"
    rows = {k: (v, o) for k, v, o in cfg.effective_options()}
    assert rows["script_location"] == (f"{tmp_path}/migrations", "alembic.ini [alembic]")
    # get_main_option sees the merged value, as env.py expects
    assert cfg.get_main_option("timezone") == "Europe/Oslo"


def test_here_default_section_and_name(tmp_path):
    """Seed 000: three environments, [DEFAULT] url inherited, schema3 overrides it."""
    write(tmp_path / "alembic.ini", """
        [DEFAULT]
        # all defaults shared between environments go here

        sqlalchemy.url = postgresql://scott:tiger@hostname/mydatabase


        [schema1]
        # path to env.py and migration scripts for schema1
        script_location = myproject/revisions/schema1

        [schema2]
        # path to env.py and migration scripts for schema2
        script_location = myproject/revisions/schema2

        [schema3]
        # path to env.py and migration scripts for schema3
        script_location = myproject/revisions/db2

        # this schema uses a different database URL as well
        sqlalchemy.url = postgresql://scott:tiger@hostname/myotherdatabase
    """)
    urls = {}
    for name in ("schema1", "schema2", "schema3"):
        cfg = Config(tmp_path / "alembic.ini", ini_section=name)
        urls[name] = cfg.get_main_option("sqlalchemy.url")
        assert cfg.get_main_option("script_location").startswith("myproject/revisions/")
        assert cfg.get_section(name)["sqlalchemy.url"] == urls[name]
    assert urls["schema1"] == urls["schema2"] == "postgresql://scott:tiger@hostname/mydatabase"
    assert urls["schema3"].endswith("/myotherdatabase")
    assert Config(tmp_path / "alembic.ini", ini_section="schema3").origin_of(
        "sqlalchemy.url") == "alembic.ini [schema3]"
    assert Config(tmp_path / "alembic.ini", ini_section="schema1").origin_of(
        "sqlalchemy.url") == "alembic.ini [DEFAULT]"


def test_percent_escaping_round_trips_password(tmp_path):
    """Seed 003: P%%40ssw%%25rd in the ini is the password P@ssw%rd."""
    from sqlalchemy.engine import make_url

    write(tmp_path / "alembic.ini", """
        [alembic]
        script_location = x
        sqlalchemy.url = postgresql+psycopg2://scott:P%%40ssw%%25rd@localhost/test
    """)
    cfg = Config(tmp_path / "alembic.ini")
    url = make_url(cfg.get_main_option("sqlalchemy.url"))
    assert url.password == "P@ssw%rd"
    # set_main_option takes the escaped form as well
    cfg.set_main_option("sqlalchemy.url",
                        url.render_as_string(hide_password=False).replace("%", "%%"))
    assert make_url(cfg.get_main_option("sqlalchemy.url")).password == "P@ssw%rd"


def test_config_args_and_here_in_toml(tmp_path):
    write(tmp_path / "pyproject.toml", """
        [tool.alembic]
        script_location = "%(here)s/%(envname)s"
        version_locations = ["%(here)s/%(envname)s/versions"]
        output_encoding = "100%%"
    """)
    cfg = Config(toml_file=tmp_path / "pyproject.toml", config_args={"envname": "prod"})
    assert cfg.get_alembic_option("script_location") == f"{tmp_path}/prod"
    assert cfg.get_alembic_list_option("version_locations") == [f"{tmp_path}/prod/versions"]
    assert cfg.get_alembic_option("output_encoding") == "100%"


@pytest.mark.parametrize("where", ["ini", "toml"])
def test_bad_interpolation(tmp_path, where):
    if where == "ini":
        write(tmp_path / "alembic.ini", "[alembic]\nscript_location = 100% wrong\n")
        cfg = Config(tmp_path / "alembic.ini")
        with pytest.raises(ConfigError, match=r"alembic.ini \[alembic\] script_location: bad "
                                              "interpolation"):
            cfg.get_alembic_option("script_location")
    else:
        write(tmp_path / "pyproject.toml", '[tool.alembic]\nscript_location = "%(nope)s/x"\n')
        with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.alembic\] script_location: "
                                              "bad interpolation"):
            Config(toml_file=tmp_path / "pyproject.toml").get_alembic_option("script_location")


def test_missing_script_location(tmp_path):
    write(tmp_path / "alembic.ini", "[alembic]\nsqlalchemy.url = sqlite://\n")
    with pytest.raises(ConfigError, match="No 'script_location' key found"):
        script_directory_options(Config(tmp_path / "alembic.ini"))


def test_script_location_forms(tmp_path, scripts, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert script_directory_options(Config(mapping={"script_location": "migrations"}))[
        "dir"] == str(scripts)
    assert script_directory_options(Config(mapping={"script_location": str(scripts)}))[
        "dir"] == str(scripts)
    # package:resource
    pkg = tmp_path / "mypkg"
    (pkg / "alembic" / "versions").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert script_directory_options(Config(mapping={"script_location": "mypkg:alembic"}))[
        "dir"] == str(pkg / "alembic")
    with pytest.raises(ConfigError, match="no package 'nopkg_xyz'"):
        script_directory_options(Config(mapping={"script_location": "nopkg_xyz:alembic"}))


def test_post_write_hooks_ini_and_toml(tmp_path):
    write(tmp_path / "alembic.ini", """
        [alembic]
        script_location = x

        [post_write_hooks]
        hooks = black, ruff
        black.type = console_scripts
        black.entrypoint = black
        black.options = -l 79 REVISION_SCRIPT_FILENAME
        ruff.type = exec
        ruff.executable = ruff
    """)
    from alembic_django.engine.script.location import post_write_hooks

    hooks = post_write_hooks(Config(tmp_path / "alembic.ini"))
    assert [h["_hook_name"] for h in hooks] == ["black", "ruff"]  # Alembic's key
    assert hooks[0] == {"_hook_name": "black", "type": "console_scripts", "entrypoint": "black",
                        "options": "-l 79 REVISION_SCRIPT_FILENAME"}
    write(tmp_path / "pyproject.toml", """
        [tool.alembic]
        script_location = "x"
        [[tool.alembic.post_write_hooks]]
        name = "ruff"
        type = "module"
        module = "ruff"
        options = "check --fix REVISION_SCRIPT_FILENAME"
    """)
    hooks = post_write_hooks(Config(toml_file=tmp_path / "pyproject.toml"))
    assert hooks == [{"_hook_name": "ruff", "type": "module", "module": "ruff",
                      "options": "check --fix REVISION_SCRIPT_FILENAME"}]


def test_print_stdout_and_quiet():
    from argparse import Namespace

    buf = io.StringIO()
    Config(stdout=buf).print_stdout("a %s", "b")
    Config(stdout=buf, cmd_opts=Namespace(quiet=True)).print_stdout("hidden")
    assert buf.getvalue() == "a b\n"


def test_public_surface(tmp_path):
    write(tmp_path / "alembic.ini", "[alembic]\nscript_location = x\n[extra]\nk = v\n")
    cfg = Config(tmp_path / "alembic.ini", attributes={"connection": None})
    assert cfg.config_file_name == str(tmp_path / "alembic.ini")
    assert cfg.config_ini_section == "alembic"
    assert cfg.get_section("extra") == {"k": "v"}
    assert cfg.get_section_option("extra", "k") == "v"
    cfg.set_section_option("extra", "k2", "v2")
    assert cfg.get_section_option("extra", "k2") == "v2"
    assert "connection" in cfg.attributes
    assert os.path.isdir(os.path.join(cfg.get_template_directory(), "generic"))
    with pytest.raises(ConfigError, match=r"no '\[nope\]' section"):
        cfg.get_section_option("nope", "k")

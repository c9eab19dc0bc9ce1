"""The environment templates (``engine/templates/*``) and the post-write hooks.

Each template's files are checked on their own: README first line, env.py
compiles and behaves (run against a recording stand-in for
``alembic_django.context`` and real SQLite databases), the Mako templates
render to valid Python / ini / TOML with the keys Alembic's templates carry.
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import importlib.metadata
import logging.config
import py_compile
import runpy
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

mako_template = pytest.importorskip("mako.template")
sa = pytest.importorskip("sqlalchemy")

import alembic_django  # noqa: E402
from alembic_django.engine.errors import CommandError  # noqa: E402
from alembic_django.engine.script import write_hooks  # noqa: E402

TEMPLATES = Path(alembic_django.__file__).parent / "engine" / "templates"
NAMES = ["generic", "pyproject", "async", "pyproject_async", "multidb", "django"]
ALEMBIC_DESCRIPTIONS = {
    "generic": "Generic single-database configuration.",
    "pyproject": "pep-621 compliant configuration that includes pyproject.toml",
    "async": "Generic single-database configuration with an async dbapi.",
    "multidb": "Rudimentary multi-database configuration.",
}
SCRIPT_LOCATION = "%(here)s/migrations"


def comma(value):
    """What the revision generator passes as ``comma`` (Alembic's format_as_comma)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(value)


def render(path: Path, **kw) -> str:
    return mako_template.Template(filename=str(path)).render_unicode(**kw)


def script_vars(**kw):
    base = dict(
        message="add account table",
        up_revision="ae1027a6acf",
        down_revision=("1975ea83b712", "27c6a30d7c24"),
        create_date="2026-01-02 03:04:05.000006",
        branch_labels=None,
        depends_on=None,
        imports="",
        upgrades="",
        downgrades="",
        comma=comma,
        config=FakeConfig({"alembic": {"databases": "engine1, engine2"}}),
    )
    base.update(kw)
    return base


def module_globals(tree: ast.Module) -> dict:
    values = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            values[node.target.id] = ast.literal_eval(node.value)
    return values


def functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("name", NAMES)
def test_template_has_its_files(name):
    folder = TEMPLATES / name
    expected = {"README", "env.py", "script.py.mako", "alembic.ini.mako"}
    if name == "pyproject":
        expected.add("pyproject.toml.mako")
    assert expected <= {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("name", NAMES)
def test_readme_first_line_is_a_description(name):
    first = (TEMPLATES / name / "README").read_text(encoding="utf-8").splitlines()[0]
    assert first.strip() == first and first
    if name in ALEMBIC_DESCRIPTIONS:
        assert first == ALEMBIC_DESCRIPTIONS[name]


@pytest.mark.parametrize("name", NAMES)
def test_env_py_compiles_and_uses_our_context(name, tmp_path):
    env = TEMPLATES / name / "env.py"
    py_compile.compile(str(env), cfile=str(tmp_path / "env.pyc"), doraise=True)
    text = env.read_text(encoding="utf-8")
    assert "from alembic_django import context" in text
    assert "import alembic\n" not in text and "from alembic " not in text


# --------------------------------------------------------------------------- script.py.mako


@pytest.mark.parametrize("name", ["generic", "pyproject", "async", "django"])
def test_script_mako_renders_valid_python(name):
    source = render(TEMPLATES / name / "script.py.mako", **script_vars())
    tree = ast.parse(source)
    assert ast.get_docstring(tree).splitlines() == [
        "add account table",
        "",
        "Revision ID: ae1027a6acf",
        "Revises: 1975ea83b712, 27c6a30d7c24",
        "Create Date: 2026-01-02 03:04:05.000006",
    ]
    assert module_globals(tree) == {
        "revision": "ae1027a6acf",
        "down_revision": ("1975ea83b712", "27c6a30d7c24"),
        "branch_labels": None,
        "depends_on": None,
    }
    assert "from alembic_django import op\nimport sqlalchemy as sa\n" in source
    funcs = functions(tree)
    for fn in ("upgrade", "downgrade"):
        assert isinstance(funcs[fn].body[-1], ast.Pass)


def test_script_mako_base_revision_and_generated_code():
    source = render(
        TEMPLATES / "generic" / "script.py.mako",
        **script_vars(
            down_revision=None,
            branch_labels=("networking",),
            depends_on="55af2cb1c267",
            imports="import sqlalchemy_utils",
            upgrades="op.create_table('account', sa.Column('id', sa.Integer()))",
            downgrades="op.drop_table('account')",
        ),
    )
    tree = ast.parse(source)
    assert "Revises: \n" in source
    assert module_globals(tree)["down_revision"] is None
    assert module_globals(tree)["branch_labels"] == ("networking",)
    assert module_globals(tree)["depends_on"] == "55af2cb1c267"
    assert "import sqlalchemy_utils\n" in source
    up = functions(tree)["upgrade"]
    assert ast.unparse(up.body[-1]) == "op.create_table('account', sa.Column('id', sa.Integer()))"


def test_multidb_script_mako_dispatches_per_engine():
    source = render(
        TEMPLATES / "multidb" / "script.py.mako",
        **script_vars(engine1_upgrades="op.drop_table('t1')", engine2_downgrades=""),
    )
    tree = ast.parse(source)
    funcs = functions(tree)
    assert set(funcs) == {
        "upgrade", "downgrade",
        "upgrade_engine1", "downgrade_engine1", "upgrade_engine2", "downgrade_engine2",
    }
    assert [a.arg for a in funcs["upgrade"].args.args] == ["engine_name"]
    assert ast.unparse(funcs["upgrade_engine1"].body[-1]) == "op.drop_table('t1')"
    assert isinstance(funcs["downgrade_engine2"].body[-1], ast.Pass)
    # the dispatcher really calls upgrade_<name>()
    calls = []
    namespace = {"upgrade_engine2": lambda: calls.append("engine2")}
    exec(compile(ast.Module(body=[funcs["upgrade"]], type_ignores=[]), "<t>", "exec"), namespace)
    namespace["upgrade"]("engine2")
    assert calls == ["engine2"]


@pytest.mark.parametrize("name", NAMES)
def test_script_mako_through_the_revision_writer(name, tmp_path):
    """The real renderer (generate.render_template + format_as_comma) accepts every template."""
    generate = pytest.importorskip("alembic_django.engine.script.generate")
    directory = pytest.importorskip("alembic_django.engine.script.directory")
    out = tmp_path / "ae1027a6acf_add_account_table.py"
    kw = script_vars(comma=directory.format_as_comma, down_revision="1975ea83b712")
    generate.render_template(str(TEMPLATES / name / "script.py.mako"), str(out), "utf-8", **kw)
    tree = ast.parse(out.read_text(encoding="utf-8"))
    assert module_globals(tree)["down_revision"] == "1975ea83b712"
    assert "Revises: 1975ea83b712\n" in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- ini / toml

COMMENTED_KEYS = [
    "# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s",
    "# timezone =",
    "# truncate_slug_length = 40",
    "# revision_environment = false",
    "# sourceless = false",
    "# version_locations = %(here)s/bar:%(here)s/bat:%(here)s/alembic/versions",
    "# recursive_version_locations = false",
    "# output_encoding = utf-8",
    "# hooks = black",
    "# black.type = console_scripts",
    "# ruff.type = module",
    "# ruff.type = exec",
    "# ruff.options = check --fix REVISION_SCRIPT_FILENAME",
]


def parse_ini(text: str, here: str = "/project") -> configparser.ConfigParser:
    parser = configparser.ConfigParser(defaults={"here": here})
    parser.read_string(text)
    return parser


@pytest.mark.parametrize("name", ["generic", "async", "multidb"])
def test_ini_mako_carries_alembic_keys(name):
    text = render(TEMPLATES / name / "alembic.ini.mako", script_location=SCRIPT_LOCATION)
    lines = text.splitlines()
    for key in COMMENTED_KEYS:
        assert key in lines, key
    parser = parse_ini(text)
    section = parser["alembic"]
    assert section["script_location"] == "/project/migrations"
    assert section["prepend_sys_path"] == "."
    assert section["path_separator"] == "os"
    for logging_section in ("loggers", "handlers", "formatters", "logger_root", "formatter_generic"):
        assert parser.has_section(logging_section)
    if name == "multidb":
        assert section["databases"] == "engine1, engine2"
        assert "sqlalchemy.url" not in parser.options("alembic")
        assert parser["engine1"]["sqlalchemy.url"] == "driver://user:pass@localhost/dbname"
        assert parser["engine2"]["sqlalchemy.url"] == "driver://user:pass@localhost/dbname2"
    else:
        assert section["sqlalchemy.url"] == "driver://user:pass@localhost/dbname"


def test_pyproject_templates():
    toml_text = render(TEMPLATES / "pyproject" / "pyproject.toml.mako", script_location=SCRIPT_LOCATION)
    table = tomllib.loads(toml_text)["tool"]["alembic"]
    assert table == {"script_location": SCRIPT_LOCATION, "prepend_sys_path": ["."]}
    for key in ("# timezone =", "# truncate_slug_length = 40", "# sourceless = false",
                "# version_locations = [", '# output_encoding = "utf-8"',
                "# [[tool.alembic.post_write_hooks]]", '# type = "exec"'):
        assert key in toml_text.splitlines(), key
    ini = parse_ini(render(TEMPLATES / "pyproject" / "alembic.ini.mako", script_location=SCRIPT_LOCATION))
    assert ini.options("alembic") == ["sqlalchemy.url", "here"]
    assert ini.has_section("loggers")


def test_django_ini_is_minimal_but_usable():
    ini = parse_ini(render(TEMPLATES / "django" / "alembic.ini.mako", script_location=SCRIPT_LOCATION))
    assert ini["alembic"]["script_location"] == "/project/migrations"
    assert ini["alembic"]["sqlalchemy.url"] == "driver://user:pass@localhost/dbname"
    assert ini.has_section("loggers")


@pytest.mark.parametrize("name", ["generic", "pyproject", "multidb", "django"])
def test_ini_logging_sections_load_with_fileconfig(name, tmp_path):
    path = tmp_path / "alembic.ini"
    path.write_text(render(TEMPLATES / name / "alembic.ini.mako", script_location=SCRIPT_LOCATION))
    code = (
        "import logging, sys; from logging.config import fileConfig; "
        "fileConfig(sys.argv[1], disable_existing_loggers=False); "
        "logging.getLogger('alembic_django.runtime.migration').info('Running upgrade  -> abc')"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "INFO  [alembic_django.runtime.migration] Running upgrade  -> abc" in result.stderr


# --------------------------------------------------------------------------- env.py behaviour


class FakeConfig:
    """The part of Config that env.py templates touch."""

    def __init__(self, sections, file_name=None, attributes=None):
        self.sections = sections
        self.config_file_name = file_name
        self.config_ini_section = "alembic"
        self.attributes = dict(attributes or {})

    def get_section(self, name, default=None):
        return dict(self.sections[name]) if name in self.sections else default

    def get_section_option(self, section, name, default=None):
        return self.sections.get(section, {}).get(name, default)

    def get_main_option(self, name, default=None):
        value = self.get_section_option("alembic", name, default)
        return value if value is None or isinstance(value, str) else str(value)

    def get_alembic_option(self, name, default=None):
        return self.get_section_option("alembic", name, default)


class FakeContext(types.ModuleType):
    """Records what env.py asks of ``alembic_django.context``."""

    def __init__(self, config, offline=False, on_run=None):
        super().__init__("alembic_django.context")
        self.config = config
        self.offline = offline
        self.on_run = on_run
        self.configured = []
        self.runs = []

    def is_offline_mode(self):
        return self.offline

    def configure(self, **kw):
        self.configured.append(kw)

    @contextlib.contextmanager
    def begin_transaction(self):
        yield

    def run_migrations(self, **kw):
        self.runs.append(kw)
        if self.on_run is not None:
            self.on_run(self.configured[-1], kw)


@pytest.fixture
def run_env(monkeypatch):
    monkeypatch.delitem(sys.modules, "alembic_django.context", raising=False)
    file_configs = []
    monkeypatch.setattr(logging.config, "fileConfig", lambda *a, **kw: file_configs.append((a, kw)))

    def run(name, ctx):
        monkeypatch.setitem(sys.modules, "alembic_django.context", ctx)
        monkeypatch.setattr(alembic_django, "context", ctx, raising=False)
        runpy.run_path(str(TEMPLATES / name / "env.py"), run_name="env_py")
        return ctx

    run.file_configs = file_configs
    return run


def sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


def table_names(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def create_table_on_run(name="t"):
    def on_run(configured, kw):
        configured["connection"].exec_driver_sql(f"CREATE TABLE {name} (id INTEGER)")
    return on_run


@pytest.mark.parametrize("name", ["generic", "pyproject", "async", "django"])
def test_env_offline_configures_url_with_literal_binds(name, run_env):
    ctx = run_env(name, FakeContext(FakeConfig({"alembic": {"sqlalchemy.url": "sqlite://"}}), offline=True))
    (kw,) = ctx.configured
    assert kw["url"] == "sqlite://"
    assert kw["literal_binds"] is True
    assert kw["dialect_opts"] == {"paramstyle": "named"}
    assert "target_metadata" in kw
    assert ctx.runs == [{}]


@pytest.mark.parametrize("name", ["generic", "pyproject", "django"])
def test_env_online_builds_engine_from_main_section(name, run_env, tmp_path):
    url = sqlite(tmp_path / "db.sqlite")
    ctx = FakeContext(FakeConfig({"alembic": {"sqlalchemy.url": url}}), on_run=create_table_on_run())
    run_env(name, ctx)
    (kw,) = ctx.configured
    assert kw["connection"].closed
    assert table_names(url) == ["t"]


@pytest.mark.parametrize("name", ["generic", "pyproject", "async", "django"])
def test_env_online_uses_shared_connection(name, run_env, tmp_path):
    engine = sa.create_engine(sqlite(tmp_path / "db.sqlite"))
    with engine.connect() as conn:
        config = FakeConfig({"alembic": {"sqlalchemy.url": "nope://"}}, attributes={"connection": conn})
        ctx = run_env(name, FakeContext(config))
        assert ctx.configured[0]["connection"] is conn
        assert not conn.closed
    engine.dispose()


def test_async_env_online_with_async_driver(run_env, tmp_path):
    pytest.importorskip("aiosqlite")
    url = sqlite(tmp_path / "db.sqlite")
    ctx = FakeContext(
        FakeConfig({"alembic": {"sqlalchemy.url": url.replace("sqlite:", "sqlite+aiosqlite:")}}),
        on_run=create_table_on_run(),
    )
    run_env("async", ctx)
    assert table_names(url) == ["t"]


@pytest.mark.parametrize("ini", [None, "", "[alembic]\nsqlalchemy.url = sqlite://\n", "not an ini"],
                         ids=["no-file-name", "missing-file", "no-loggers", "unparsable"])
def test_env_skips_logging_without_loggers_section(ini, run_env, tmp_path):
    file_name = None
    if ini is not None:
        file_name = str(tmp_path / "alembic.ini")
        if ini:
            Path(file_name).write_text(ini)
    config = FakeConfig({"alembic": {"sqlalchemy.url": "sqlite://"}}, file_name=file_name)
    run_env("generic", FakeContext(config, offline=True))
    assert run_env.file_configs == []


@pytest.mark.parametrize("name", NAMES)
def test_env_configures_logging_from_ini(name, run_env, tmp_path, monkeypatch):
    # run as without Django (other test modules may have configured Django settings in
    # this process; under Django the django template leaves logging to settings.LOGGING)
    monkeypatch.setitem(sys.modules, "django.conf", None)
    path = tmp_path / "alembic.ini"
    path.write_text(render(TEMPLATES / name / "alembic.ini.mako", script_location=SCRIPT_LOCATION))
    sections = {"alembic": {"sqlalchemy.url": "sqlite://", "databases": ""}}
    run_env(name, FakeContext(FakeConfig(sections, file_name=str(path)), offline=True))
    assert run_env.file_configs == [((str(path),), {"disable_existing_loggers": False})]


def multidb_config(tmp_path):
    return FakeConfig({
        "alembic": {"databases": "engine1, engine2"},
        "engine1": {"sqlalchemy.url": sqlite(tmp_path / "one.sqlite")},
        "engine2": {"sqlalchemy.url": sqlite(tmp_path / "two.sqlite")},
    })


def test_multidb_env_online_commits_every_engine(run_env, tmp_path):
    def on_run(configured, kw):
        assert configured["upgrade_token"] == f"{kw['engine_name']}_upgrades"
        assert configured["downgrade_token"] == f"{kw['engine_name']}_downgrades"
        configured["connection"].exec_driver_sql(f"CREATE TABLE t_{kw['engine_name']} (id INTEGER)")

    ctx = run_env("multidb", FakeContext(multidb_config(tmp_path), on_run=on_run))
    assert ctx.runs == [{"engine_name": "engine1"}, {"engine_name": "engine2"}]
    assert table_names(sqlite(tmp_path / "one.sqlite")) == ["t_engine1"]
    assert table_names(sqlite(tmp_path / "two.sqlite")) == ["t_engine2"]


def test_multidb_env_online_rolls_back_every_engine_on_failure(run_env, tmp_path):
    def on_run(configured, kw):
        if kw["engine_name"] == "engine2":
            raise RuntimeError("boom")
        configured["connection"].exec_driver_sql("INSERT INTO t VALUES (1)")

    engine = sa.create_engine(sqlite(tmp_path / "one.sqlite"), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER)")
    with pytest.raises(RuntimeError, match="boom"):
        run_env("multidb", FakeContext(multidb_config(tmp_path), on_run=on_run))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    engine.dispose()


def test_multidb_env_offline_writes_one_sql_file_per_engine(run_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def on_run(configured, kw):
        configured["output_buffer"].write(f"-- {kw['engine_name']} {configured['url']}\n")

    ctx = run_env("multidb", FakeContext(multidb_config(tmp_path), offline=True, on_run=on_run))
    assert all(kw["literal_binds"] for kw in ctx.configured)
    assert (tmp_path / "engine1.sql").read_text() == f"-- engine1 {sqlite(tmp_path / 'one.sqlite')}\n"
    assert (tmp_path / "engine2.sql").read_text() == f"-- engine2 {sqlite(tmp_path / 'two.sqlite')}\n"


# --------------------------------------------------------------------------- django env.py


@pytest.fixture
def models_module(tmp_path, monkeypatch):
    (tmp_path / "tpl_models.py").write_text(textwrap.dedent("""
        import sqlalchemy as sa
        metadata = sa.MetaData()
        class Base:
            metadata = metadata
        def get_metadata():
            return [metadata]
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tpl_models", raising=False)
    return "tpl_models"


@pytest.mark.parametrize(
    "setting, expected",
    [("tpl_models:metadata", "metadata"), ("tpl_models:Base.metadata", "metadata"),
     ("tpl_models:get_metadata", "list"), ("", None)],
    ids=["attribute", "dotted", "callable", "empty"],
)
def test_django_env_resolves_target_metadata_option(setting, expected, models_module, run_env):
    config = FakeConfig({"alembic": {"sqlalchemy.url": "sqlite://", "target_metadata": setting}})
    ctx = run_env("django", FakeContext(config, offline=True))
    value = ctx.configured[0]["target_metadata"]
    if expected is None:
        assert value is None
    else:
        md = sys.modules[models_module].metadata
        assert value == ([md] if expected == "list" else md)


def test_django_env_resolves_a_list_of_targets(models_module, run_env):
    other = sa.MetaData()
    config = FakeConfig({"alembic": {"sqlalchemy.url": "sqlite://"}},
                        attributes={"target_metadata": ["tpl_models:get_metadata", other]})
    ctx = run_env("django", FakeContext(config, offline=True))
    assert ctx.configured[0]["target_metadata"] == [sys.modules[models_module].metadata, other]


def test_django_env_prefers_target_metadata_attribute_and_passes_context_options(run_env):
    md = sa.MetaData()
    config = FakeConfig(
        {"alembic": {"sqlalchemy.url": "sqlite://", "target_metadata": "no_such_module:x"}},
        attributes={"target_metadata": lambda: md, "context_options": {"version_table": "av_default"}},
    )
    ctx = run_env("django", FakeContext(config, offline=True))
    assert ctx.configured[0]["target_metadata"] is md
    assert ctx.configured[0]["version_table"] == "av_default"


def test_django_env_passes_version_table_options(run_env):
    config = FakeConfig({"alembic": {"sqlalchemy.url": "sqlite://", "version_table": "alembic_version_analytics",
                                     "version_table_schema": "meta"}})
    ctx = run_env("django", FakeContext(config, offline=True))
    assert ctx.configured[0]["version_table"] == "alembic_version_analytics"
    assert ctx.configured[0]["version_table_schema"] == "meta"
    ctx = run_env("django", FakeContext(FakeConfig({"alembic": {"sqlalchemy.url": "sqlite://"}}), offline=True))
    assert "version_table" not in ctx.configured[0]


@pytest.mark.parametrize(
    "setting, message",
    [("tpl_models", "must be 'module:attribute'"),
     ("no_such_module_xyz:metadata", "cannot import module 'no_such_module_xyz'"),
     ("tpl_models:nothing", "has no attribute 'nothing'")],
    ids=["no-colon", "no-module", "no-attribute"],
)
def test_django_env_bad_target_metadata_is_a_command_error(setting, message, models_module, run_env):
    config = FakeConfig({"alembic": {"sqlalchemy.url": "sqlite://", "target_metadata": setting}})
    with pytest.raises(CommandError, match=message) as info:
        run_env("django", FakeContext(config, offline=True))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "online"])
def test_django_env_without_url_is_a_command_error(offline, run_env):
    with pytest.raises(CommandError, match="sqlalchemy.url is not set"):
        run_env("django", FakeContext(FakeConfig({"alembic": {}}), offline=offline))


# --------------------------------------------------------------------------- write hooks


@pytest.fixture
def revision_file(tmp_path):
    path = tmp_path / "ae1027a6acf_add_a_column.py"
    path.write_text("revision = 'ae1027a6acf'\n")
    return path


def test_exec_hook_runs_with_revision_path(revision_file):
    script = "import sys; open(sys.argv[1], 'a').write('# hooked\\n')"
    write_hooks.run_hooks(str(revision_file), [{
        "name": "stamp", "type": "exec", "executable": sys.executable,
        "options": f'-c "{script}" REVISION_SCRIPT_FILENAME',
    }])
    assert revision_file.read_text() == "revision = 'ae1027a6acf'\n# hooked\n"


def test_exec_hook_prepends_token_when_absent(revision_file):
    # no token in options: the path comes first, so python runs the revision file itself
    revision_file.write_text("import pathlib\npathlib.Path(__file__ + '.ran').write_text('yes')\n")
    write_hooks.run_hooks(str(revision_file), [{"name": "self", "type": "exec", "executable": sys.executable}])
    assert Path(str(revision_file) + ".ran").read_text() == "yes"


def test_parse_cmdline_options_substitutes_token():
    assert write_hooks.parse_cmdline_options("check --fix REVISION_SCRIPT_FILENAME", "/a b/x.py") == [
        "check", "--fix", "/a b/x.py"]
    assert write_hooks.parse_cmdline_options("-l 79", "/x.py") == ["/x.py", "-l", "79"]
    assert write_hooks.parse_cmdline_options("--out=REVISION_SCRIPT_FILENAME.bak", "/x.py") == [
        "--out=/x.py.bak"]


@pytest.fixture
def hook_module(tmp_path):
    (tmp_path / "tpl_hookmod.py").write_text(textwrap.dedent("""
        import sys
        def main():
            path, suffix = sys.argv[1], sys.argv[2]
            with open(path, "a") as f:
                f.write("# " + suffix + "\\n")
        if __name__ == "__main__":
            main()
    """))
    return tmp_path


def test_module_hook_runs_python_dash_m(revision_file, hook_module):
    write_hooks.run_hooks(str(revision_file), [{
        "name": "tidy", "type": "module", "module": "tpl_hookmod",
        "options": "REVISION_SCRIPT_FILENAME by-module", "cwd": str(hook_module),
    }])
    assert revision_file.read_text().endswith("# by-module\n")


def test_console_scripts_hook_runs_entry_point(revision_file, hook_module, monkeypatch):
    entry = importlib.metadata.EntryPoint(name="tpl-hook", value="tpl_hookmod:main", group="console_scripts")
    monkeypatch.setattr(write_hooks, "_find_console_script", lambda name: entry if name == "tpl-hook" else None)
    write_hooks.run_hooks(str(revision_file), [{
        "name": "fmt", "type": "console_scripts", "entrypoint": "tpl-hook",
        "options": "by-entrypoint", "cwd": str(hook_module),
    }])
    assert revision_file.read_text().endswith("# by-entrypoint\n")


def test_console_scripts_hook_finds_installed_entry_points():
    names = {ep.name for ep in importlib.metadata.entry_points(group="console_scripts")}
    name = sorted(names)[0]
    assert write_hooks._find_console_script(name).name == name
    assert write_hooks._find_console_script("no-such-script-xyz") is None


@pytest.mark.parametrize(
    "hook, message",
    [
        ({"name": "boom", "type": "exec", "executable": sys.executable, "options": '-c "raise SystemExit(3)" REVISION_SCRIPT_FILENAME'},
         "Post write hook 'boom' failed with exit code 3"),
        ({"name": "ghost", "type": "exec", "executable": "/no/such/program-xyz"},
         "Post write hook 'ghost' could not run '/no/such/program-xyz'"),
        ({"name": "fmt", "type": "console_scripts", "entrypoint": "no-such-script-xyz"},
         "Could not find entrypoint console_scripts.no-such-script-xyz \\(post write hook 'fmt'\\)"),
        ({"name": "fmt", "type": "console_scripts"}, "Key fmt.entrypoint is required for post write hook 'fmt'"),
        ({"name": "lint", "type": "exec"}, "Key lint.executable is required for post write hook 'lint'"),
        ({"name": "tidy", "type": "module"}, "Key tidy.module is required for post write hook 'tidy'"),
        ({"name": "odd", "type": "nonesuch"}, "No post write hook runner of type 'nonesuch' registered \\(hook 'odd'\\)"),
        ({"name": "untyped"}, "Key 'untyped.type' \\(or 'type' in toml\\) is required"),
    ],
    ids=["exit-code", "missing-program", "missing-entrypoint", "no-entrypoint", "no-executable",
         "no-module", "unknown-type", "no-type"],
)
def test_failing_hook_raises_command_error(hook, message, revision_file):
    with pytest.raises(CommandError, match=message) as info:
        write_hooks.run_hooks(str(revision_file), [hook])
    assert "\n" not in str(info.value)


def test_registered_custom_hook_and_its_failure(revision_file, monkeypatch):
    calls = []
    monkeypatch.setattr(write_hooks, "_registry", dict(write_hooks._registry))

    @write_hooks.register("spaces_to_tabs")
    def convert(path, options):
        calls.append((path, options["name"], options["flag"]))

    @write_hooks.register("explodes")
    def explodes(path, options):
        raise ValueError("bad\ninput")

    statuses = []
    write_hooks.run_hooks(str(revision_file), [{"name": "tabs", "type": "spaces_to_tabs", "flag": "x"}],
                          status=statuses.append)
    assert calls == [(str(revision_file), "tabs", "x")]
    assert statuses == ["Running post write hook 'tabs' ...  done"]
    with pytest.raises(CommandError, match="^Post write hook 'kaboom' failed: ValueError: bad input$"):
        write_hooks.run_hooks(str(revision_file), [{"name": "kaboom", "type": "explodes"}])


def test_hooks_stop_at_first_failure(revision_file):
    script = "import sys; open(sys.argv[1], 'a').write('# second\\n')"
    with pytest.raises(CommandError, match="'first'"):
        write_hooks.run_hooks(str(revision_file), [
            {"name": "first", "type": "exec", "executable": sys.executable, "options": '-c "raise SystemExit(1)" REVISION_SCRIPT_FILENAME'},
            {"name": "second", "type": "exec", "executable": sys.executable,
             "options": f'-c "{script}" REVISION_SCRIPT_FILENAME'},
        ])
    assert "# second" not in revision_file.read_text()


def test_ignore_output_silences_the_program(revision_file, capfd):
    hook = {"name": "loud", "type": "exec", "executable": sys.executable,
            "options": '-c "print(12345)" REVISION_SCRIPT_FILENAME'}
    write_hooks.run_hooks(str(revision_file), [dict(hook, ignore_output="true")])
    assert "12345" not in capfd.readouterr().out
    write_hooks.run_hooks(str(revision_file), [hook])
    assert "12345" in capfd.readouterr().out


def test_django_env_leaves_logging_to_django(run_env, tmp_path, monkeypatch):
    import types

    fake = types.SimpleNamespace(settings=types.SimpleNamespace(configured=True))
    monkeypatch.setitem(sys.modules, "django.conf", fake)
    path = tmp_path / "alembic.ini"
    path.write_text(render(TEMPLATES / "django" / "alembic.ini.mako",
                           script_location=SCRIPT_LOCATION))
    sections = {"alembic": {"sqlalchemy.url": "sqlite://", "databases": ""}}
    run_env("django", FakeContext(FakeConfig(sections, file_name=str(path)), offline=True))
    assert run_env.file_configs == []

"""Property tests: hostile input gives a result or one ``CommandError``, never a crash.

Hypothesis feeds

* the three configuration readers -- ini text (and bytes), ``pyproject.toml`` text and
  a plain mapping of Python values -- through every reader a command uses (``Config``'s
  getters, the ``config`` listing, ``known_secrets`` and the script-directory options);
* the revision-file header reader (``engine/script/parse.py``) plus the checks the
  script directory applies to a header before the file becomes a revision;
* the identifier parser -- revision ids and prefixes, ``head(s)``/``base``, relative
  ``+N``/``-N``, ``label@rev``, ``label@head``, ranges -- through ``show``, ``history -r``,
  the script directory's lookups and the upgrade/downgrade/stamp planners.

Each input must either succeed or raise exactly one :class:`CommandError` whose text is
one line; any other exception is a bug.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import textwrap
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from alembic_django.engine.commands import scripts as script_commands
from alembic_django.engine.commands.database import _split_range
from alembic_django.engine.config import Config
from alembic_django.engine.errors import CommandError
from alembic_django.engine.script import plan
from alembic_django.engine.script.directory import ScriptDirectory, _graph_errors
from alembic_django.engine.script.location import script_directory_options
from alembic_django.engine.script.parse import read_header

FUZZ = settings(
    max_examples=int(os.environ.get("ALEMBIC_DJANGO_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

KEYS = [
    "script_location", "sqlalchemy.url", "version_locations", "prepend_sys_path",
    "path_separator", "version_path_separator", "file_template", "truncate_slug_length",
    "sourceless", "recursive_version_locations", "timezone", "output_encoding",
    "revision_environment", "post_write_hooks", "hooks", "here", "password", "x",
]
LIST_KEYS = ["version_locations", "prepend_sys_path"]
BOOL_KEYS = ["sourceless", "recursive_version_locations", "revision_environment"]


def one_line_error(exc: CommandError) -> None:
    text = str(exc)
    assert text.strip(), "an error says something"
    assert "\n" not in text.strip(), f"one line: {text!r}"


def read_everything(config: Config) -> None:
    """Every way a command reads its configuration."""
    for key in KEYS:
        config.get_main_option(key)
        config.get_alembic_option(key)
    for key in LIST_KEYS:
        config.get_alembic_list_option(key)
    for key in BOOL_KEYS:
        config.get_alembic_boolean_option(key)
    config.get_alembic_int_option("truncate_slug_length")
    config.get_section(config.config_ini_section)
    config.get_section("post_write_hooks")
    config.effective_options()
    config.known_secrets()
    config.has_source()
    script_directory_options(config)


def outcome(fn, *args, **kw) -> object:
    """Run ``fn``: its result, or the CommandError it raised (checked to be one line)."""
    try:
        return fn(*args, **kw)
    except CommandError as exc:
        one_line_error(exc)
        return exc


# --------------------------------------------------------------------- config readers

FRAGMENTS = st.sampled_from([
    "%", "%%", "%(", "%(here)s", "%(nothere)s", "%(here", ")s", "(", ")", ":", "@", "=", "[",
    "]", "\\", "'", '"', "#", ";", "\n", "\n  ", "\t", " ", "${x}", "{", "}", ",", "/", "..",
    "postgresql://u:p%w@h/db", "os", "space", "newline", "true", "no", "40", "-1", "1e999",
    "mig", "\x00", "é", "\u2028",
])
VALUES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=6).map("".join)
SECTIONS = st.sampled_from(["[alembic]", "[DEFAULT]", "[post_write_hooks]", "[alembic",
                            "alembic]", "[]", "[ alembic ]", "[other]"])


@st.composite
def ini_texts(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append(draw(SECTIONS))
        elif kind == 1:
            lines.append(draw(VALUES))  # anything at all
        else:
            key = draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)))
            sep = draw(st.sampled_from([" = ", "=", ": ", " "]))
            lines.append(f"{key}{sep}{draw(VALUES)}")
    if draw(st.booleans()):
        lines.insert(0, "[alembic]")
    return "\n".join(lines) + "\n"


def write(tmp: Path, name: str, data: str | bytes) -> Path:
    path = tmp / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(data)
    return path


@FUZZ
@given(text=ini_texts(), args=st.dictionaries(st.sampled_from(["env", "here", "x"]), VALUES,
                                              max_size=2))
@example(text="[alembic]\nsqlalchemy.url = postgresql+psycopg://postgres:Zq%LeakTail9@"
              "127.0.0.1/db\n", args={})
@example(text="[alembic]\nscript_location = %(here)s/mig\nx = %(x)s\n", args={"x": "%("})
@example(text="key = before any section\n[alembic]\n", args={})
def test_ini_reader(text, args):
    with tempfile.TemporaryDirectory() as tmp:
        ini = write(Path(tmp), "alembic.ini", text)
        outcome(read_everything, Config(file_=str(ini), config_args=args))


@FUZZ
@given(data=st.binary(max_size=200))
@example(data=b"[alembic]\nsqlalchemy.url = \xff\xfe\n")
def test_ini_reader_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        ini = write(Path(tmp), "alembic.ini", data)
        outcome(read_everything, Config(file_=str(ini)))


TOML_SCALARS = st.one_of(
    VALUES.map(lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               + '"'),
    VALUES.map(lambda v: "'" + v.replace("'", "").replace("\n", "") + "'"),
    st.integers(-10**20, 10**20).map(str), st.sampled_from(["true", "false", "inf", "nan",
                                                            "1.5", "{}", "[]", "{ a = 1 }"]),
)
TOML_VALUES = st.one_of(TOML_SCALARS, st.lists(TOML_SCALARS, max_size=3).map(
    lambda items: "[" + ", ".join(items) + "]"))


@st.composite
def toml_texts(draw) -> str:
    lines = [draw(st.sampled_from(["[tool.alembic]", "[tool]\nalembic = 5", "tool = 1",
                                   "[tool.alembic.x]", "[[tool.alembic.post_write_hooks]]",
                                   ""]))]
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(["[[tool.alembic.post_write_hooks]]",
                                               "[tool.alembic]", "[tool.other]"])))
        key = draw(st.one_of(st.sampled_from(KEYS).map(lambda k: f'"{k}"' if "." in k else k),
                             st.text(alphabet="abc_.-\"' ", min_size=1, max_size=5)))
        lines.append(f"{key} = {draw(TOML_VALUES)}")
    if draw(st.integers(0, 5)) == 0:
        lines.append(draw(VALUES))
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=toml_texts())
@example(text='[tool.alembic]\nsqlalchemy_url = "postgresql://u:Zq%LeakTail9@h/db"\n')
@example(text='[tool.alembic]\nscript_location = "%(here)s/mig"\ntruncate_slug_length = inf\n')
def test_pyproject_reader(text):
    with tempfile.TemporaryDirectory() as tmp:
        toml = write(Path(tmp), "pyproject.toml", text)
        outcome(read_everything, Config(toml_file=str(toml)))


MAPPING_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), VALUES,
              VALUES.map(PurePosixPath)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=4), children, max_size=3)),
    max_leaves=6,
)


@FUZZ
@given(mapping=st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)),
                               MAPPING_VALUES, max_size=6))
@example(mapping={"script_location": ".", "truncate_slug_length": math.inf})
@example(mapping={"script_location": ".", "post_write_hooks": [{"name": None}]})
def test_mapping_reader(mapping):
    if ":" in str(mapping.get("script_location", "")):
        mapping["script_location"] = "."  # "pkg:resource" would import arbitrary packages
    outcome(read_everything, Config(mapping=mapping))


# ------------------------------------------------------------------ the header reader

LITERALS = st.one_of(
    st.sampled_from(["None", "()", "[]", "{}", "'a'", "('a', 'b')", "['a', 1]", "b'x'", "1",
                     "1j", "{1}", "{'a': 1}", "{[]: 1}", "'a' 'b'", "f'x'", "x", "(", "'",
                     "'''", "-1", "'a@b'", "'a-b'", "'rev'", "('rev',)", "('x', None)",
                     "((((((((((((((((((((((((((((((((((((((((((((1" + ")" * 44,
                     "[" * 200 + "]" * 200, "'\\N{BOGUS}'", "'\\x'", "\"\"\"doc\"\"\"",
                     "'self'"]),
    st.text(max_size=10),
)
HEADER_KEYS = st.sampled_from(["revision", "down_revision", "branch_labels", "depends_on",
                               "doc", "x", "revision: str", "down_revision: str | None"])


@st.composite
def revision_sources(draw) -> bytes:
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(['"""doc"""', "'''doc", '"""é"""', "# c", "\\",
                                           "r'''raw'''"])))
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(st.integers(0, 6))
        if kind == 0:
            lines.append(draw(st.text(max_size=12)))
        elif kind == 1:
            lines.append(draw(st.sampled_from(["if x:", "    revision = 'y'", "try:",
                                               "import revision", "from x import *",
                                               "def upgrade():", "    pass", "\t", "\x00",
                                               "revision, down_revision = 'a', None",
                                               "(revision) = 'a'", "del revision"])))
        else:
            key = draw(HEADER_KEYS)
            lines.append(f"{key} = {draw(LITERALS)}{draw(st.sampled_from(['', '  # c', ';']))}")
    text = "\n".join(lines) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def empty_dir(tmp_path_factory) -> ScriptDirectory:
    root = tmp_path_factory.mktemp("headers")
    (root / "versions").mkdir()
    return ScriptDirectory(str(root))


@FUZZ
@given(source=st.one_of(revision_sources(), st.binary(max_size=120)))
@example(source=b"revision = {[]: 1}\ndown_revision = None\nbranch_labels = None\n"
                b"depends_on = None\n")
@example(source=b"revision = 'a@b'\ndown_revision = None\n")
@example(source=b"revision = 'aa'\ndown_revision = 'aa'\n")
@example(source=b"revision = '" + b"(" * 300 + b"'\n" + b"x = " + b"(" * 300 + b"\n")
def test_header_reader(source, empty_dir):
    path = os.path.join(empty_dir.dir, "versions", "r_x.py")
    header = outcome(read_header, path, source)
    if isinstance(header, dict):
        # what the script directory does with a literal header before using it
        outcome(lambda: (empty_dir._check_header(path, header), empty_dir._script(path, header)))


# ------------------------------------------------------------------ identifiers

#       a1 (alpha) -> a2 -> a3 ------------> m1 (merge)
#                      \                    /
#       b1 (beta)  ---- b2 (depends_on a2) -
#       c1 (gamma)            (a separate base)
GRAPH = [
    ("a1a1a1a1", None, None, "alpha"),
    ("a2a2a2a2", "a1a1a1a1", None, None),
    ("a3a3a3a3", "a2a2a2a2", None, None),
    ("b1b1b1b1", None, None, "beta"),
    ("b2b2b2b2", "b1b1b1b1", "a2a2a2a2", None),
    ("m1m1m1m1", ("a3a3a3a3", "b2b2b2b2"), None, None),
    ("c1c1c1c1", None, None, "gamma"),
]


@pytest.fixture(scope="module")
def graph_config(tmp_path_factory) -> Config:
    root = tmp_path_factory.mktemp("ids")
    versions = root / "versions"
    versions.mkdir()
    for rev, down, dep, label in GRAPH:
        (versions / f"{rev}_x.py").write_text(textwrap.dedent(f'''\
            """{rev}"""
            revision = {rev!r}
            down_revision = {down!r}
            branch_labels = {(label,) if label else None!r}
            depends_on = {dep!r}
            '''))
    return Config(mapping={"script_location": str(root)}, stdout=io.StringIO())


TOKENS = st.sampled_from([
    "a1a1a1a1", "a2a2", "a3a", "b2b2b2b2", "m1m1", "c1c1c1c1", "a", "zz99", "head", "heads",
    "base", "alpha", "beta", "gamma", "nolabel", "@", "+", "-", ":", "1", "2", "10", "0",
    "99999999999999999999", "head@", "@head", "@base", "alpha@head", "beta@base", "+1", "-1",
    "-0", "+-1", "a1a1a1a1@head", ",", " ", "", "é", "\n", "..", "/", "%",
])
IDENTIFIERS = st.one_of(st.lists(TOKENS, max_size=5).map("".join), st.text(max_size=12))
CURRENT = st.sampled_from([(), ("a1a1a1a1",), ("a3a3a3a3", "b2b2b2b2"), ("m1m1m1m1",),
                           ("c1c1c1c1", "a2a2a2a2"), ("zz99",)])


@FUZZ
@given(ident=IDENTIFIERS, other=IDENTIFIERS, current=CURRENT)
@pytest.mark.filterwarnings("ignore:downgrade -1 from multiple heads is ambiguous")
@example(ident="alpha@+1", other="base", current=())
@example(ident="-1", other="alpha@-1", current=("a3a3a3a3", "c1c1c1c1"))
@example(ident="heads:base", other="+99999999999999999999", current=("m1m1m1m1",))
def test_identifier_parser(ident, other, current, graph_config):
    script = ScriptDirectory.from_config(graph_config)
    outcome(script.get_revisions, ident)
    outcome(script.get_revision, ident)
    outcome(script.as_revision_number, ident)
    outcome(lambda: list(script.iterate_revisions(ident, other)))
    outcome(_split_range, ident, True, "upgrade")
    for planner in (plan.upgrade_plan, plan.downgrade_plan, plan.stamp_plan):
        def run(planner=planner):
            with _graph_errors():
                return planner(script.revision_map, current, ident)
        outcome(run)
    assume("current" not in ident + other)  # those read the database
    outcome(script_commands.show, graph_config, ident)
    outcome(script_commands.history, graph_config, rev_range=f"{ident}:{other}")
    outcome(script_commands.history, graph_config, rev_range=ident)

"""The fleet on SQLite files and MariaDB databases (database per tenant), its target
declarations, rollout stages, failure policies, output and interruption."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import _server_url
from fleet_helpers import engine, env_with, revision_file, run_cli, run_json

from alembic_django import command, fleet
from alembic_django.config import Config
from alembic_django.engine.errors import CommandError, ConfigError
from alembic_django.engine.fleet import rollout, targets

TENANT_ROW = ('op.bulk_insert(sa.table("item", sa.column("id", sa.Integer), sa.column("owner", sa.String)), '
              '[{"id": 1, "owner": context.get_x_argument(as_dictionary=True)["tenant"]}])')
REVISIONS = [
    ("r1", 'op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), '
           'sa.Column("owner", sa.String(60)))\n' + TENANT_ROW),
    ("r2", 'with op.batch_alter_table("item") as batch_op:\n'
           '    batch_op.add_column(sa.Column("note", sa.String(20)))'),
]


def generic_project(root: Path, extra_ini: str = "", revisions=REVISIONS,
                    url: str = "sqlite://") -> Path:
    """A generic-template project whose env.py honours each target's sqlalchemy.url."""
    root.mkdir(parents=True, exist_ok=True)
    ini = root / "alembic.ini"
    command.init(Config(str(ini), stdout=io.StringIO()), str(root / "migrations"))
    text = ini.read_text().replace("sqlalchemy.url = driver://user:pass@localhost/dbname",
                                   f"sqlalchemy.url = {url}\n{extra_ini}")
    ini.write_text(text.replace("level = INFO", "level = WARN"))
    down = None
    for rev, body in revisions:
        revision_file(root / "migrations" / "versions", rev, down, body)
        down = rev
    return ini


def sqlite_urls(root: Path, count: int, prefix: str = "shard") -> list[str]:
    return [f"sqlite:///{root / f'{prefix}_{n:02d}.db'}" for n in range(count)]


def db_state(url: str) -> tuple[set[str], list[tuple]]:
    """(version rows, item rows) of one database."""
    eng = engine(url)
    try:
        with eng.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            versions = set(conn.exec_driver_sql("SELECT version_num FROM alembic_version")
                           .scalars()) if "alembic_version" in names else set()
            items = [tuple(r) for r in conn.exec_driver_sql("SELECT id, owner FROM item")] \
                if "item" in names else []
    finally:
        eng.dispose()
    return versions, items


# -- database per tenant: 10 SQLite files and 3 MariaDB databases in one group -------------
@pytest.fixture
def mariadb_databases():
    server = sa.make_url(_server_url("mysql"))
    names = [f"test_fleet_{uuid.uuid4().hex[:8]}_{n}" for n in range(3)]
    admin = engine(server.render_as_string(hide_password=False))
    try:
        with admin.begin() as conn:
            for name in names:
                conn.exec_driver_sql(f"CREATE DATABASE `{name}`")
        yield [server.set(database=name).render_as_string(hide_password=False)
               for name in names]
    finally:
        with admin.begin() as conn:
            for name in names:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        admin.dispose()


def test_one_group_of_sqlite_files_and_mariadb_databases(tmp_path, mariadb_databases):
    urls = sqlite_urls(tmp_path, 10) + mariadb_databases
    group = "fleet.shards.urls =\n" + "".join(f"    {u}\n" for u in urls)
    ini = generic_project(tmp_path / "p", group)

    code, results = run_json(ini, ["upgrade", "heads", "--group", "shards", "-j", "4"])

    assert code == 0, results
    labels = [f"shard_{n:02d}" for n in range(10)] + [sa.make_url(u).database
                                                      for u in mariadb_databases]
    assert [r["target"] for r in results] == [f"alembic:{label}" for label in labels]
    assert {(r["status"], r["from"], r["to"], r["steps"]) for r in results} == {
        ("migrated", None, "r2", 2)}
    for url, label in zip(urls, labels, strict=True):
        assert db_state(url) == ({"r2"}, [(1, label)]), url  # x-argument tenant=label
    code, results = run_json(ini, ["upgrade", "heads", "-j", "4"])  # every declared group
    assert code == 0 and {r["status"] for r in results} == {"up-to-date"}
    code, results = run_json(ini, ["downgrade", "r1", "--target", "*test_fleet_*"])
    assert code == 0
    assert {r["target"].split(":")[1] for r in results} == set(labels[10:])
    assert [db_state(u)[0] for u in urls] == [{"r2"}] * 10 + [{"r1"}] * 3


# -- declarations ------------------------------------------------------------------------
@pytest.mark.parametrize("source, config, expected", [
    ("ini names", {"ini": "fleet.tenants.names = acme, globex\n"},
     [("alembic:acme", (("tenant", "acme"),))]),
    ("ini key", {"ini": "fleet.tenants.names = acme\nfleet.tenants.key = customer\n"},
     [("alembic:acme", (("customer", "acme"),))]),
    ("toml table", {"toml": '[tool.alembic.fleet.tenants]\nnames = ["acme", "globex"]\n'},
     [("alembic:acme", (("tenant", "acme"),))]),
    ("mapping callable", {"mapping": {"fleet": {"t": {"callable": "test_fleet:tenant_dicts"}}}},
     [("alembic:acme", (("tenant", "acme"), ("region", "eu")))]),
    ("mapping urls by name", {"mapping": {"fleet": {"s": {"urls": {"one": "sqlite:///1.db"}}}}},
     [("alembic:one", (("tenant", "one"),))]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_declared_groups(tmp_path, source, config, expected):
    ini = tmp_path / "alembic.ini"
    ini.write_text("[alembic]\nscript_location = x\n" + config.get("ini", ""))
    toml = None
    if "toml" in config:
        toml = tmp_path / "pyproject.toml"
        toml.write_text(config["toml"])
    cfg = Config(str(ini), toml_file=str(toml) if toml else None, mapping=config.get("mapping"))
    found, _ = targets.collect(cfg)
    assert [(t.name, t.x) for t in found][:1] == expected


def tenant_dicts():
    return [{"name": "acme", "region": "eu"}, {"name": "globex", "x": {"region": "us"}}]


@pytest.mark.parametrize("ini, message", [
    ("fleet.t.names = a\nfleet.t.sql = SELECT 1\n", "needs exactly one of"),
    ("fleet.t.nams = a\n", "unknown key 'nams'"),
    ("fleet.t = a\n", "expected fleet.<group>.<source>"),
    ("fleet.t.names = a;drop\n", "is not a usable target name"),
    ("fleet.t.names = a, a\n", "appears twice"),
    ("fleet.t.callable = no.such.module:fn\n", "cannot import 'no.such.module:fn'"),
    ("fleet.t.sql = SELECT nope FROM nowhere\n", "query failed"),
], ids=["two sources", "unknown key", "flat key", "bad name", "twice", "callable", "sql"])
def test_bad_declarations(tmp_path, ini, message):
    path = tmp_path / "alembic.ini"
    path.write_text(f"[alembic]\nscript_location = x\nsqlalchemy.url = sqlite://\n{ini}")
    with pytest.raises(ConfigError, match=message):
        targets.collect(Config(str(path)))


def test_command_line_sources_are_exclusive():
    with pytest.raises(ConfigError, match="give only one of --tenants, --tenants-sql"):
        targets.command_line_group(tenants="a", tenants_sql="SELECT 1")


def t(label: str) -> targets.Target:
    return targets.Target("e", label)


@pytest.mark.parametrize("specs, expected", [
    ([], [["a", "b", "c", "d", "e"]]),
    (["2"], [["a", "b"], ["c", "d", "e"]]),
    (["canary"], [["b", "d"], ["a", "c", "e"]]),
    (["e:c*", "1"], [["c"], ["a"], ["b", "d", "e"]]),
    (["5"], [["a", "b", "c", "d", "e"]]),
], ids=["one stage", "first N", "group", "glob then N", "everything"])
def test_plan_stages(specs, expected):
    everyone = [t(x) for x in "abcde"]
    stages = rollout.plan_stages(everyone, specs, {"canary": [t("d"), t("b")]})
    assert [[x.label for x in s.targets] for s in stages] == expected


def test_a_stage_that_matches_nothing_is_an_error():
    with pytest.raises(CommandError, match="--stage nope: matches no target"):
        rollout.plan_stages([t("a")], ["nope"])


# -- rollout policies on SQLite --------------------------------------------------------------
FAILS_FOR_BAD = ('if context.get_x_argument(as_dictionary=True)["tenant"].startswith("bad"):\n'
                 '    op.execute("SELECT no_such_function()")')


@pytest.fixture
def policy_project(tmp_path):
    revisions = [REVISIONS[0], ("r2", FAILS_FOR_BAD + "\n" + REVISIONS[1][1])]
    return generic_project(tmp_path / "p", revisions=revisions), tmp_path


def url_args(root: Path, labels: list[str]) -> list[str]:
    args = []
    for label in labels:
        args += ["--url", f"sqlite:///{root / (label + '.db')}"]
    return args


@pytest.mark.parametrize("labels, options, expected", [
    (["a1", "bad1", "a2", "a3"], ["--on-error", "stop"],
     ["migrated", "failed", "not-started", "not-started"]),
    (["a1", "bad1", "a2", "bad2", "a3"], ["--on-error", "continue"],
     ["migrated", "failed", "migrated", "failed", "migrated"]),
    (["bad1", "a1", "bad2", "a2", "a3"], ["--max-failures", "2"],
     ["failed", "migrated", "failed", "not-started", "not-started"]),
    (["a1", "bad1", "a2", "a3"], ["--stage", "2", "--on-error", "continue"],
     ["migrated", "failed", "not-started", "not-started"]),
], ids=["stop", "continue", "max failures", "failed canary stage"])
def test_failure_policies(policy_project, labels, options, expected):
    ini, root = policy_project
    code, results = run_json(ini, ["upgrade", "heads", *url_args(root, labels), *options])
    assert code == 1
    assert [r["status"] for r in results] == expected
    for label, result in zip(labels, results, strict=True):
        versions = db_state(f"sqlite:///{root / (label + '.db')}")[0]
        assert versions == {"migrated": {"r2"}, "failed": set(), "not-started": set()}[
            result["status"]]  # a failed SQLite target rolled back to where it was
    failed = [r for r in results if r["status"] == "failed"]
    assert all("no_such_function" in r["error"] for r in failed)


def test_no_target_matches(policy_project):
    ini, root = policy_project
    code, out = run_cli(["-c", str(ini), "fleet", "current", *url_args(root, ["a"]),
                         "--target", "zz*"])
    assert code == 255
    assert "FAILED: No fleet target matches --target zz*" in out


def test_table_progress_and_api(policy_project):
    ini, root = policy_project
    out = io.StringIO()
    results = fleet.upgrade(Config(str(ini), stdout=out), "heads",
                            url=[f"sqlite:///{root / 'a.db'}", f"sqlite:///{root / 'b.db'}"],
                            jobs=2)
    assert [(r.target, r.status, r.steps) for r in results] == [
        ("alembic:a", "migrated", 2), ("alembic:b", "migrated", 2)]
    text = out.getvalue()
    assert "migrated    alembic:a  <base> -> r2  (2 steps, " in text
    assert text.splitlines()[-1] == "2 migrated (2 targets)"
    with pytest.raises(fleet.FleetFailed) as caught:
        fleet.check(Config(str(ini), stdout=io.StringIO()), url=[f"sqlite:///{root / 'c.db'}"])
    assert caught.value.exit_code == 1
    assert [r.status for r in caught.value.results] == ["failed"]


def test_passwords_are_never_printed(policy_project):
    ini, _ = policy_project
    code, out = run_cli(["-c", str(ini), "fleet", "upgrade", "heads", "--url",
                         "postgresql+psycopg://app:s3cret@127.0.0.1:1/tenant_db"])
    assert code == 1
    assert "alembic:tenant_db" in out and "failed" in out
    assert "s3cret" not in out


def test_sql_writes_one_file_per_target(tmp_path):
    ini = generic_project(tmp_path / "p")
    out_dir = tmp_path / "sql"
    code, results = run_json(ini, ["upgrade", "heads", "--sql", "--tenants", "acme,globex",
                                   "--output-dir", str(out_dir)])
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["alembic-acme.sql", "alembic-globex.sql"]
    text = (out_dir / "alembic-acme.sql").read_text()
    assert "CREATE TABLE item" in text and "'acme'" in text and "'globex'" not in text
    assert "UPDATE alembic_version SET version_num='r2'" in text
    assert not (tmp_path / "p" / "x.db").exists()


def test_stamp_and_current(policy_project):
    ini, root = policy_project
    urls = url_args(root, ["s1", "s2"])
    assert run_json(ini, ["stamp", "r1", *urls])[0] == 0
    code, results = run_json(ini, ["current", *urls])
    assert code == 0
    assert [(r["from"], r["to"], r["steps"], r["status"]) for r in results] == [
        ("r1", "r2", 1, "behind")] * 2


def test_ctrl_c_finishes_running_targets_and_lists_the_rest(tmp_path):
    slow = [("r1", "import time\ntime.sleep(0.4)\n" + REVISIONS[0][1])]
    ini = generic_project(tmp_path / "p", revisions=slow)
    labels = [f"c{n}" for n in range(8)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "alembic_django", "-c", str(ini), "fleet", "upgrade", "heads",
         *url_args(tmp_path, labels), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env_with())
    first = proc.stdout.readline()
    assert first.startswith("migrated"), first
    proc.send_signal(signal.SIGINT)
    rest = proc.stdout.read()
    proc.wait(timeout=60)
    assert proc.returncode == 130, rest
    assert "(interrupted)" in rest
    table = rest[rest.index("target "):]
    statuses = {line.split()[0]: line.split()[-1] for line in table.splitlines()[2:-2]}
    assert set(statuses.values()) <= {"migrated", "not-started"} and "not-started" in \
        statuses.values(), table
    for label in labels:
        versions = db_state(f"sqlite:///{tmp_path / (label + '.db')}")[0]
        assert versions == ({"r1"} if statuses[f"alembic:{label}"] == "migrated" else set())


def test_processes_executor(policy_project):
    ini, root = policy_project
    code, results = run_json(ini, ["upgrade", "heads", *url_args(root, ["p1", "p2", "p3"]),
                                   "--executor", "processes", "-j", "2"])
    assert code == 0
    assert [r["status"] for r in results] == ["migrated"] * 3
    assert set(json.loads(json.dumps(results[0]))) == {"target", "from", "to", "steps",
                                                       "seconds", "status", "error"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(policy_project):
    ini, root = policy_project
    out = _Terminal()
    with pytest.raises(fleet.FleetFailed):
        fleet.upgrade(Config(str(ini), stdout=out), "heads",
                      url=[f"sqlite:///{root / n}.db" for n in ("t1", "bad1", "t2")],
                      on_error="continue")
    text = out.getvalue()
    assert "] 1 done, 0 failed, 2 left" in text
    assert "] 2 done, 1 failed, 1 left" in text
    assert "] 3 done, 1 failed, 0 left" in text
    assert "\r\033[K" in text  # the bar is rewritten in place, then cleared
    assert text.splitlines()[-1] == "2 migrated, 1 failed (3 targets)"


def test_running_state_is_per_thread():
    """``context`` and ``op`` resolve to the run of the thread asking (context variables)."""
    import threading

    from alembic_django.engine.operations import Operations
    from alembic_django.engine.runtime.environment import (
        EnvironmentContext,
        current_environment,
    )

    barrier = threading.Barrier(2)
    seen: dict[str, tuple] = {}

    class FakeContext:
        impl = None

    def run(name: str) -> None:
        env = EnvironmentContext(Config(), None, name=name)
        migration = FakeContext()
        with env, Operations.context(migration):
            barrier.wait()  # both runs are active at once
            seen[name] = (current_environment().context_opts["name"],
                          Operations.current().migration_context is migration)
            barrier.wait()
        seen[name + " after"] = (Operations.current(),)

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"a": ("a", True), "b": ("b", True), "a after": (None,),
                    "b after": (None,)}
    with pytest.raises(CommandError, match="no EnvironmentContext is active"):
        current_environment()


def test_a_placeholder_url_lets_env_py_connect_by_itself(tmp_path):
    """env.py that sets its own URL (the ini holds a placeholder): nothing is lent."""
    ini = generic_project(tmp_path / "p", url="driver://user:pass@localhost/dbname")
    env = tmp_path / "p" / "migrations" / "env.py"
    env.write_text(env.read_text().replace(
        "config = context.config",
        "config = context.config\nconfig.set_main_option('sqlalchemy.url', 'sqlite:///' + "
        f"{str(tmp_path)!r} + '/' + context.get_x_argument(as_dictionary=True)['tenant'] "
        "+ '.db')"))
    code, results = run_json(ini, ["upgrade", "heads", "--tenants", "own1,own2", "-j", "2"])
    assert code == 0, results
    assert db_state(f"sqlite:///{tmp_path / 'own2.db'}") == ({"r2"}, [(1, "own2")])

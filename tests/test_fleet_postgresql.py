"""The fleet on PostgreSQL, schema per tenant (the ``tenant`` template's env.py).

Acceptance: 60 tenants in mixed states with one failing revision; per-tenant drift
with ``fleet check --autogenerate``; 16 threads equal to a serial run; two fleets at
once (threads, processes) apply each revision exactly once.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa
from conftest import _server_url, wipe_database
from fleet_helpers import (
    LOG,
    LOG_TABLE,
    engine,
    env_with,
    log_counts,
    pg_setup,
    pg_versions,
    run_cli,
    run_json,
    tenant_project,
)

from alembic_django import fleet
from alembic_django.config import Config


@pytest.fixture
def pg_url():
    url = _server_url("postgresql")
    try:
        wipe_database(url)
    except Exception as exc:  # noqa: BLE001 - any failure: the configured server is not usable
        pytest.fail(f"PostgreSQL at ALEMBIC_DJANGO_TEST_POSTGRESQL_URL is not usable: {exc}")
    pg_setup(url)
    yield url
    wipe_database(url)


def log(rev: str) -> str:
    return LOG.format(table=LOG_TABLE, rev=rev)


def names(prefix: str, numbers) -> list[str]:
    return [f"{prefix}_{n:02d}" for n in numbers]


# -- 60 tenants, mixed states, one failing ------------------------------------------------
BROKEN_CHECK = """
tenant = context.get_x_argument(as_dictionary=True)["tenant"]
broken = op.get_bind().execute(
    sa.text("SELECT count(*) FROM public.fleet_broken WHERE tenant = :t"), {"t": tenant}).scalar()
if broken:
    op.execute("SELECT 1/0")
"""

MIXED = [
    ("r1", 'op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), '
           'sa.Column("name", sa.String(40)))\n' + log("r1")),
    ("r2", 'op.add_column("item", sa.Column("note", sa.Text))\n' + log("r2")),
    ("r3", BROKEN_CHECK + 'op.create_index("ix_item_name", "item", ["name"])\n' + log("r3")),
]


def test_sixty_tenants_in_mixed_states_with_one_failing(pg_url, tmp_path):
    ini = tenant_project(tmp_path / "p", pg_url, MIXED)
    everyone = names("tenant", range(60))
    with engine(pg_url).begin() as conn:
        conn.exec_driver_sql("CREATE TABLE public.customers (name VARCHAR(40), active BOOLEAN)")
        conn.execute(sa.text("INSERT INTO public.customers VALUES (:n, true)"),
                     [{"n": n} for n in everyone])
        conn.execute(sa.text("INSERT INTO public.customers VALUES (:n, false)"),
                     [{"n": "gone_1"}, {"n": "gone_2"}])
        conn.exec_driver_sql("CREATE TABLE public.fleet_broken (tenant VARCHAR(40))")
    # mixed states: 0-19 base (no schema), 20-39 midway (r1), 40-59 at heads (r3)
    midway, heads = names("tenant", range(20, 40)), names("tenant", range(40, 60))
    code, _ = run_json(ini, ["upgrade", "r1", "--tenants", ",".join(midway + heads), "-j", "4"])
    assert code == 0
    code, _ = run_json(ini, ["upgrade", "heads", "--tenants", ",".join(heads), "-j", "4"])
    assert code == 0
    with engine(pg_url).begin() as conn:
        conn.exec_driver_sql("INSERT INTO public.fleet_broken VALUES ('tenant_25')")
    sql = "SELECT name FROM public.customers WHERE active ORDER BY name"

    code, out = run_cli(["-c", str(ini), "fleet", "upgrade", "heads", "--tenants-sql", sql,
                         "--on-error", "continue", "-j", "4"])

    assert code == 1
    assert "FAILED: fleet upgrade: 1 of 60 targets failed (alembic:tenant_25)" in out
    assert "division by zero" in out
    summary = out[out.index("target "):]
    row = next(line for line in summary.splitlines() if line.startswith("alembic:tenant_25 "))
    assert re.search(r"alembic:tenant_25\s+r1\s+r1\s+\d+\s+[\d.]+\s+failed", row), row
    assert "59 migrated" not in summary and "39 migrated, 20 up-to-date" not in summary
    assert "39 migrated" in summary and "20 up-to-date" in summary and "1 failed" in summary
    versions = pg_versions(pg_url, everyone + ["gone_1", "gone_2"])
    assert versions["tenant_25"] == {"r1"}  # its last good state
    assert {t for t, v in versions.items() if v == {"r3"}} == set(everyone) - {"tenant_25"}
    assert versions["gone_1"] == versions["gone_2"] == set()  # inactive: never touched

    with engine(pg_url).begin() as conn:  # the fix
        conn.exec_driver_sql("DELETE FROM public.fleet_broken")
    code, results = run_json(ini, ["upgrade", "heads", "--tenants-sql", sql, "-j", "4"])
    assert code == 0
    migrated = [r for r in results if r["status"] == "migrated"]
    assert [(r["target"], r["from"], r["to"], r["steps"]) for r in migrated] == [
        ("alembic:tenant_25", "r1", "r3", 2)]
    assert all(r["status"] == "up-to-date" and r["steps"] == 0 and r["error"] is None
               for r in results if r not in migrated)
    assert len(results) == 60
    assert set(pg_versions(pg_url, everyone)["tenant_25"]) == {"r3"}
    counts = log_counts(pg_url)
    assert set(counts.values()) == {1}  # the failed run's work was rolled back
    assert len(counts) == 60 * 3  # r1..r3 once for each tenant, over all the runs


# -- drift ------------------------------------------------------------------------------------
MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table("item", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("name", sa.String(40)))
"""


def test_check_autogenerate_names_the_tenant_altered_by_hand(pg_url, tmp_path):
    ini = tenant_project(tmp_path / "p", pg_url, MIXED[:1], metadata_module=MODELS)
    tenants = names("drift", range(5))
    assert run_json(ini, ["upgrade", "heads", "--tenants", ",".join(tenants), "-j", "2"])[0] == 0
    code, results = run_json(ini, ["check", "--autogenerate", "--tenants", ",".join(tenants)])
    assert code == 0, results
    assert {r["status"] for r in results} == {"up-to-date"}
    with engine(pg_url).begin() as conn:
        conn.exec_driver_sql("ALTER TABLE drift_03.item ADD COLUMN extra INTEGER")

    code, results = run_json(ini, ["check", "--autogenerate", "--tenants", ",".join(tenants),
                                   "-j", "3"])

    assert code == 1
    failed = [r for r in results if r["status"] == "failed"]
    assert [r["target"] for r in failed] == ["alembic:drift_03"]
    assert "remove_column item.extra" in failed[0]["error"]
    # without --autogenerate only the revisions count: everyone is at heads
    assert run_json(ini, ["check", "--tenants", ",".join(tenants)])[0] == 0
    # and a tenant that is behind fails the plain check
    code, results = run_json(ini, ["check", "--tenants", ",".join(tenants + ["drift_new"])])
    assert code == 1
    assert [(r["target"], r["error"]) for r in results if r["status"] == "failed"] == [
        ("alembic:drift_new", "behind by 1 revision(s)")]
    code, out = run_cli(["-c", str(ini), "fleet", "current", "--tenants",
                         ",".join(tenants + ["drift_new"])])
    assert code == 0
    assert re.search(r"alembic:drift_new\s+<base>\s+r1\s+1\s+behind", out), out


# -- thread safety ----------------------------------------------------------------------------
HEAVY = [
    ("r1", """
tenant = context.get_x_argument(as_dictionary=True)["tenant"]
item = op.create_table("item", sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("name", sa.String(60)), sa.Column("owner", sa.String(60)))
op.bulk_insert(item, [{"id": i, "name": f"{tenant}-{i}", "owner": tenant} for i in range(1, 6)])
schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
op.execute(sa.text("INSERT INTO item (id, name, owner) VALUES (100, :n, :o)")
           .bindparams(n="schema:" + schema, o=context.get_context().version_table_schema))
"""),
    ("r2", """
with op.batch_alter_table("item") as batch_op:
    batch_op.add_column(sa.Column("score", sa.Integer, server_default="0"))
    batch_op.create_index("ix_item_owner", ["owner"])
op.execute("UPDATE item SET score = id * 2")
n = op.get_bind().execute(sa.text("SELECT count(*) FROM item")).scalar()
summary = op.create_table("summary", sa.Column("tenant", sa.String(60)),
                          sa.Column("n", sa.Integer))
op.bulk_insert(summary, [{"tenant": context.get_x_argument(as_dictionary=True)["tenant"],
                          "n": n}])
"""),
    ("r3", """
op.alter_column("item", "name", type_=sa.String(80), existing_type=sa.String(60))
heads = ",".join(op.get_context().get_current_heads())
op.execute(sa.text("INSERT INTO summary (tenant, n) VALUES (:t, :n)")
           .bindparams(t="heads:" + heads + ":" + str(context.get_revision_argument()),
                       n=3))
op.execute(sa.table("item", sa.column("id"), sa.column("score")).update()
           .where(sa.column("id") == op.inline_literal(100)).values(score=op.inline_literal(7)))
with op.batch_alter_table("summary") as batch_op:
    batch_op.alter_column("n", new_column_name="total", existing_type=sa.Integer)
op.execute(sa.text("UPDATE item SET owner = owner || :s").bindparams(
    s="/" + context.get_x_argument(as_dictionary=True)["tenant"]))
"""),
]


def snapshots(url: str, schemas: list[str]) -> dict[str, str]:
    """Per schema: its columns, indexes and rows (one catalog query for all of them),
    as text with the schema's name replaced by ``T``."""
    eng = engine(url)
    found: dict[str, list] = {schema: [] for schema in schemas}
    try:
        with eng.connect() as conn:
            for row in conn.execute(sa.text(
                    "SELECT table_schema, table_name, column_name, data_type, "
                    "character_maximum_length, is_nullable, column_default "
                    "FROM information_schema.columns WHERE table_schema = ANY(:s) "
                    "ORDER BY table_schema, table_name, ordinal_position"), {"s": schemas}):
                found[row[0]].append(("column", *row[1:]))
            for row in conn.execute(sa.text(
                    "SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = ANY(:s) ORDER BY 1, 2, 3"), {"s": schemas}):
                found[row[0]].append(("index", *row[1:]))
            for schema in schemas:
                for table in ("item", "summary", "alembic_version"):
                    rows = conn.exec_driver_sql(f'SELECT * FROM "{schema}"."{table}"').all()
                    found[schema].append((table, sorted(tuple(map(str, r)) for r in rows)))
    finally:
        eng.dispose()
    return {schema: repr(items).replace(schema, "T") for schema, items in found.items()}


def test_sixteen_threads_equal_a_serial_run(pg_url, tmp_path):
    ini = tenant_project(tmp_path / "p", pg_url, HEAVY)
    serial, parallel = names("ser", range(40)), names("par", range(40))
    code, results = run_json(ini, ["upgrade", "heads", "--tenants", ",".join(serial)])
    assert code == 0, [r for r in results if r["status"] != "migrated"]
    code, results = run_json(ini, ["upgrade", "heads", "--tenants", ",".join(parallel),
                                   "-j", "16"])
    assert code == 0, [r for r in results if r["status"] != "migrated"]
    assert {r["status"] for r in results} == {"migrated"}
    expected, got = snapshots(pg_url, serial), snapshots(pg_url, parallel)
    for ser, par in zip(serial, parallel, strict=True):
        # op.get_bind() and context saw this tenant's schema
        assert "('100', 'schema:T', 'T/T'" in expected[ser], expected[ser]
        assert got[par] == expected[ser].replace("ser_", "par_"), par
    versions = pg_versions(pg_url, serial + parallel)
    assert set(map(frozenset, versions.values())) == {frozenset({"r3"})}


# -- two fleets at once -----------------------------------------------------------------------
SLOW = [(rev, f'op.execute("SELECT pg_sleep(0.02)")\nop.create_table("t_{rev}", '
              f'sa.Column("id", sa.Integer))\n' + log(rev)) for rev in ("r1", "r2", "r3")]


def _once_each(url: str, tenants: list[str]) -> None:
    counts = log_counts(url)
    assert counts == {(t, r): 1 for t in tenants for r in ("r1", "r2", "r3")}


def test_two_fleets_in_threads_apply_each_revision_once(pg_url, tmp_path):
    ini = tenant_project(tmp_path / "p", pg_url, SLOW)
    tenants = names("twin", range(20))
    outcomes: list = []

    def one_fleet(order: list[str]) -> None:
        config = Config(str(ini), stdout=io.StringIO())
        try:
            outcomes.append(fleet.upgrade(config, "heads", tenants=order, jobs=4,
                                          on_error="continue"))
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes.append(exc)

    threads = [threading.Thread(target=one_fleet, args=(order,))
               for order in (tenants, list(reversed(tenants)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, list) for o in outcomes), outcomes
    _once_each(pg_url, tenants)
    statuses: dict[str, list[str]] = {}
    for results in outcomes:
        for r in results:
            statuses.setdefault(r.target, []).append(r.status)
    assert {t: sorted(s) for t, s in statuses.items()} == {
        f"alembic:{t}": ["migrated", "up-to-date"] for t in tenants}


def test_two_fleets_in_processes_apply_each_revision_once(pg_url, tmp_path):
    import json

    ini = tenant_project(tmp_path / "p", pg_url, SLOW)
    tenants = names("proc", range(16))
    procs = [subprocess.Popen(
        [sys.executable, "-m", "alembic_django", "-c", str(ini), "fleet", "upgrade", "heads",
         "--tenants", ",".join(order), "-j", "4", "--executor", executor, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_with(), text=True)
        for order, executor in ((tenants, "threads"), (tenants[::-1], "processes"))]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    _once_each(pg_url, tenants)
    migrated = []
    for out, _ in outputs:
        results = json.loads(out[out.index("["):])
        migrated += [r["target"] for r in results if r["status"] == "migrated"]
    assert sorted(migrated) == sorted(f"alembic:{t}" for t in tenants)

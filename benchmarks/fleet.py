"""Time ``alembic-django fleet`` against Alembic run the cookbook way (one process per tenant).

Schema per tenant on PostgreSQL, one env.py for both tools (the cookbook's, with
``version_table_schema`` and the shared-connection pattern).  Scenarios (``--scale``
multiplies the tenant counts):

* ``deploy``    500 tenant schemas, each 2 revisions behind;
* ``bootstrap`` 200 schemas x 20 revisions from base;
* ``noop``      the deploy's 500 schemas again, every one at heads;
* ``big``       2,000 schemas x 2 revisions (how time grows with tenants).

Each runs with ``--jobs 1``, ``--jobs 8`` and the Celery executor on two workers (when
``--broker`` is given), and with Alembic in a loop when ``--alembic`` names its
executable: Alembic runs on ``--alembic-sample`` tenants and its time is scaled to all
of them (one process per tenant: its cost per tenant does not depend on how many).
Every figure is the wall time of the whole command, interpreter start-up included,
with the client's CPU time (user + system, from ``os.wait4``).  Nothing here asserts
a time.

Usage::

    python benchmarks/fleet.py --postgresql-url postgresql+psycopg://postgres@127.0.0.1/bench \\
        --alembic /tmp/alvenv/bin/alembic --broker amqp://guest:guest@127.0.0.1:5672// \\
        --result-backend redis://127.0.0.1:6379/9 --json fleet.json
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
OURS = [sys.executable, "-m", "alembic_django"]

ENV_PY = '''
from alembic import context
from sqlalchemy import engine_from_config, pool, text

config = context.config
target_metadata = None


def run(connection, tenant):
    connection.execute(text('set search_path to "%s"' % tenant))
    connection.commit()
    connection.dialect.default_schema_name = tenant
    context.configure(connection=connection, target_metadata=target_metadata,
                      version_table_schema=tenant)
    with context.begin_transaction():
        context.run_migrations()


tenant = context.get_x_argument(as_dictionary=True).get("tenant")
connection = config.attributes.get("connection")
if connection is not None:
    run(connection, tenant)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        run(connection, tenant)
'''

REVISION = '''"""step {n}"""
import sqlalchemy as sa
from alembic import op

revision = "r{n:02d}"
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
    {body}


def downgrade():
    pass
'''


def make_project(root: Path, url: str, revisions: int) -> Path:
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV_PY)
    (root / "migrations" / "script.py.mako").write_text("")
    for n in range(1, revisions + 1):
        body = ('op.create_table("item", sa.Column("id", sa.Integer, primary_key=True))'
                if n == 1 else f'op.add_column("item", sa.Column("c{n}", sa.Integer))')
        down = f"r{n - 1:02d}" if n > 1 else None
        (root / "migrations" / "versions" / f"r{n:02d}.py").write_text(
            REVISION.format(n=n, down=down, body=body))
    ini = root / "alembic.ini"
    ini.write_text(f"[alembic]\nscript_location = %(here)s/migrations\n"
                   f"sqlalchemy.url = {url.replace('%', '%%')}\n")
    return ini


@dataclass
class Row:
    scenario: str
    tenants: int
    revisions: int
    runner: str
    seconds: float
    cpu: float
    per_tenant_ms: float
    note: str = ""


def timed_child(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """Wall and CPU time of one child process (rusage of that child only)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{' '.join(cmd[:8])}... failed:\n{out.decode()[-3000:]}\n"
                           f"{err.decode()[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, out.decode()


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.url = args.postgresql_url
        self.work = work
        self.env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.rows: list[Row] = []
        self.workers: list[subprocess.Popen] = []
        self.projects = {n: make_project(work / f"p{n}", self.url, n) for n in (2, 20)}

    # -- schemas ----------------------------------------------------------------------
    def sql(self, *statements: str) -> None:
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        engine.dispose()

    def schemas(self, prefix: str, count: int) -> list[str]:
        names = [f"{prefix}_{n:05d}" for n in range(count)]
        for start in range(0, count, 500):
            self.sql(*(f'CREATE SCHEMA "{n}"' for n in names[start:start + 500]))
        return names

    def drop_all(self) -> None:
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            names = conn.exec_driver_sql(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'fb%%'").scalars().all()
        engine.dispose()
        for start in range(0, len(names), 200):
            self.sql(*(f'DROP SCHEMA "{n}" CASCADE' for n in names[start:start + 200]))

    # -- runners ---------------------------------------------------------------------
    def ours(self, ini: Path, prefix: str, extra: list[str]) -> tuple[float, float]:
        query = f"SELECT nspname FROM pg_namespace WHERE nspname LIKE '{prefix}\\_%' ORDER BY 1"
        elapsed, cpu, out = timed_child(
            [*OURS, "-c", str(ini), "fleet", "upgrade", "heads", "--tenants-sql", query,
             "--json", *extra], self.env)
        results = json.loads(out[out.index("["):])
        bad = [r for r in results if r["status"] not in ("migrated", "up-to-date")]
        if bad:
            raise RuntimeError(f"{len(bad)} targets failed: {bad[:2]}")
        return elapsed, cpu

    def alembic(self, ini: Path, tenants: list[str]) -> tuple[float, float]:
        wall = cpu = 0.0
        for tenant in tenants:
            elapsed, used, _ = timed_child(
                [self.args.alembic, "-c", str(ini), "-x", f"tenant={tenant}", "upgrade",
                 "heads"], dict(os.environ))
            wall += elapsed
            cpu += used
        return wall, cpu

    def start_workers(self) -> None:
        if not self.args.broker:
            return
        self.queue = f"alembic_django_bench_{os.getpid()}"
        for _ in range(2):
            self.workers.append(subprocess.Popen(
                [*OURS, "fleet", "worker", "--broker", self.args.broker, "--result-backend",
                 self.args.result_backend, "--queue", self.queue, "--concurrency",
                 str(self.args.worker_concurrency), "--loglevel", "WARNING"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
                start_new_session=True))

    def stop_workers(self) -> None:
        for worker in self.workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in self.workers:
            worker.wait(timeout=60)

    def modes(self) -> list[tuple[str, list[str]]]:
        modes = [("--jobs 1", ["-j", "1"]), ("--jobs 8", ["-j", "8"])]
        if self.workers:
            modes.append((f"celery, 2 workers x {self.args.worker_concurrency}",
                          ["--executor", "celery", "--broker", self.args.broker,
                           "--result-backend", self.args.result_backend, "--queue",
                           self.queue, "--worker-timeout", "120"]))
        return modes

    # -- scenarios -------------------------------------------------------------------
    def record(self, scenario: str, tenants: int, revisions: int, runner: str, wall: float,
               cpu: float, note: str = "") -> None:
        row = Row(scenario, tenants, revisions, runner, round(wall, 2), round(cpu, 2),
                  round(1000 * wall / tenants, 2), note)
        self.rows.append(row)
        print(f"{scenario:<10} {tenants:>5} x {revisions:<2} {runner:<28} {wall:8.2f} s "
              f"(cpu {cpu:6.2f} s, {row.per_tenant_ms:7.2f} ms/tenant) {note}", flush=True)

    CODES = {"deploy": "d", "noop": "d", "bootstrap": "s", "big": "g"}

    def scenario(self, name: str, count: int, revisions: int, noop_of: str | None = None) -> None:
        ini = self.projects[revisions]
        code = self.CODES[name]
        for number, (label, extra) in enumerate(self.modes()):
            prefix = f"fb{code}{number}"
            if noop_of is None:
                self.schemas(prefix, count)
            wall, cpu = self.ours(ini, prefix, extra)
            self.record(name, count, revisions, f"alembic-django {label}", wall, cpu)
        if self.args.alembic:
            sample = min(count, self.args.alembic_sample)
            prefix = f"fb{code}a"
            if noop_of is None:
                names = self.schemas(prefix, sample)
            else:
                names = [f"{prefix}_{n:05d}" for n in range(sample)]
            wall, cpu = self.alembic(ini, names)
            scale = count / sample
            self.record(name, count, revisions, "Alembic 1.20.1, loop", wall * scale,
                        cpu * scale, f"(timed on {sample}, scaled)")

    def run(self) -> list[Row]:
        scale = self.args.scale
        self.drop_all()
        self.start_workers()
        try:
            wanted = self.args.scenarios
            if "deploy" in wanted or "noop" in wanted:
                self.scenario("deploy", int(500 * scale), 2)
            if "noop" in wanted:
                self.scenario("noop", int(500 * scale), 2, noop_of="deploy")
            if "bootstrap" in wanted:
                self.scenario("bootstrap", int(200 * scale), 20)
            if "big" in wanted:
                self.scenario("big", int(2000 * scale), 2)
            self.startup()
        finally:
            self.stop_workers()
            self.drop_all()
        return self.rows

    def startup(self) -> None:
        """What a process costs before its first target: ours, and Alembic's."""
        elapsed, cpu, _ = timed_child([*OURS, "--version"], self.env)
        self.record("start-up", 1, 0, "alembic-django --version", elapsed, cpu)
        if self.args.alembic:
            elapsed, cpu, _ = timed_child([self.args.alembic, "--version"], dict(os.environ))
            self.record("start-up", 1, 0, "Alembic --version", elapsed, cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgresql-url", required=True,
                        help="a database whose schemas named fb* may be created and dropped")
    parser.add_argument("--alembic", help="Alembic's executable (e.g. /tmp/alvenv/bin/alembic)")
    parser.add_argument("--alembic-sample", type=int, default=40)
    parser.add_argument("--broker", help="Celery broker URL (adds the Celery rows)")
    parser.add_argument("--result-backend", default="rpc://")
    parser.add_argument("--worker-concurrency", type=int, default=4)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every tenant count (e.g. 0.1 for a quick run)")
    parser.add_argument("--scenarios", nargs="+", default=["deploy", "noop", "bootstrap", "big"])
    parser.add_argument("--json", help="write the rows as JSON to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="alembic-django-fleet-bench-") as tmp:
        rows = Bench(args, Path(tmp)).run()
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in rows], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
